//! The CSV reader on arbitrary bytes: a table or a typed error, never a panic; a table is
//! rectangular, finite, and has distinct non-empty names.
#![no_main]
use libfuzzer_sys::fuzz_target;
use proxreg_cli::io::{parse_csv, CsvOptions};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the delimiter, so `;` and tab files are explored too.
    let (delimiter, bytes) = match data.split_first() {
        Some((&b, rest)) if b % 4 == 1 => (b';', rest),
        Some((&b, rest)) if b % 4 == 2 => (b'\t', rest),
        _ => (b',', data),
    };
    let opts = CsvOptions {
        delimiter,
        file: "fuzz.csv".into(),
    };
    match parse_csv(bytes, &opts) {
        Ok(t) => {
            let n = t.nrows();
            assert!(n >= 1);
            assert_eq!(t.names.len(), t.columns.len());
            assert_eq!(t.lines.len(), n);
            for c in &t.columns {
                assert_eq!(c.len(), n);
                assert!(c.iter().all(|v| v.is_finite()));
            }
            for (i, a) in t.names.iter().enumerate() {
                assert!(!a.is_empty());
                assert!(!t.names[..i].contains(a));
            }
        }
        Err(e) => {
            assert_eq!(e.file, "fuzz.csv");
            let _ = e.to_string();
        }
    }
});
