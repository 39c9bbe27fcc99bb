//! The `.npy` reader on arbitrary bytes: an array whose data matches its shape, or a typed
//! error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use proxreg_cli::io::parse_npy;

fuzz_target!(|data: &[u8]| {
    match parse_npy(data, "fuzz.npy") {
        Ok(a) => {
            assert!(a.shape.len() <= 2);
            assert_eq!(a.shape.iter().product::<usize>(), a.data.len());
            assert!(a.data.iter().all(|v| v.is_finite()));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
