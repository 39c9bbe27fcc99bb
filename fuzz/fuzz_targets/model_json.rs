//! Model files on arbitrary bytes: a validated model (consistent lengths, finite values, and
//! a prediction on a small matrix that succeeds or fails with a typed error) or a typed error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use proxreg_cli::model::Model;

fuzz_target!(|data: &[u8]| {
    match Model::from_json_bytes(data, "fuzz.json") {
        Ok(m) => {
            // n_outputs: the targets, or a multinomial model's K classes
            assert_eq!(m.coef.len(), m.n_features * m.n_outputs());
            assert_eq!(m.intercept.len(), m.n_outputs());
            if m.n_features <= 64 && m.n_outputs() <= 64 {
                if let Ok(xm) =
                    proxreg::linalg::ColMajor::new(vec![1.0; 3 * m.n_features], 3, m.n_features)
                {
                    let _ = m.predict(&xm, "x.npy");
                }
            }
            let _ = m.to_json_string();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
