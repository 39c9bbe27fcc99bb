//! The svmlight reader on arbitrary bytes: CSC arrays that proxreg-linalg's `CscMatrix`
//! validates, or a typed error with a line, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use proxreg::linalg::{CscMatrix, DesignMatrix};
use proxreg_io::svmlight::{parse, SvmlightOptions, ZeroBased};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the index base and whether n_features is given.
    let (zero_based, n_features, bytes) = match data.split_first() {
        Some((&b, rest)) => (
            match b % 3 {
                0 => ZeroBased::Auto,
                1 => ZeroBased::Yes,
                _ => ZeroBased::No,
            },
            (b & 0x80 != 0).then_some(usize::from(b & 0x3f)),
            rest,
        ),
        None => (ZeroBased::Auto, None, data),
    };
    // a small column bound keeps the column pointers small whatever index the bytes write
    let opts = SvmlightOptions {
        zero_based,
        n_features,
        max_features: 1 << 16,
        file: "fuzz.svm".into(),
    };
    match parse(bytes, &opts) {
        Ok(d) => {
            assert_eq!(d.labels.len(), d.nrows);
            assert_eq!(d.lines.len(), d.nrows);
            assert!(d.labels.iter().all(|v| v.is_finite()));
            if let Some(nf) = n_features {
                assert_eq!(d.ncols, nf);
            }
            let x = CscMatrix::<f64, usize>::new(d.nrows, d.ncols, d.col_ptr, d.row_idx, d.values)
                .expect("the reader's CSC is valid");
            let mut y = vec![0.0; x.nrows()];
            x.gemv(1.0, &vec![1.0; x.ncols()], 0.0, &mut y);
        }
        Err(e) => {
            assert_eq!(e.file, "fuzz.svm");
            assert!(e.line.is_some());
            let _ = e.to_string();
        }
    }
});
