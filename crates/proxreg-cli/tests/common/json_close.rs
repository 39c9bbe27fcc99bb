//! JSON outputs compared to a tolerance (shared by the `commands` and `svmlight` tests): sparse
//! and dense inputs give the same answers to rounding, not bitwise, once the engine runs on the
//! sparse columns (issue #20).

use serde_json::Value;

/// Every number of `a` and `b` equal to `tol` relative to `max(scale, |a|, |b|)`; the same
/// structure, and the same strings, booleans and integers; skipped at any depth: `data` (the
/// file's name), `seconds` (timings) and the work counters `n_iter`, `n_updates`, `n_screened`
/// (the sparse engine's cheaper epochs change when the support polish pays off, so the number
/// of epochs to the same certified answer differs). `at` names the place in failure messages.
pub fn assert_close(a: &Value, b: &Value, tol: f64, scale: f64, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys = |o: &serde_json::Map<String, Value>| -> Vec<String> {
                o.keys()
                    .filter(|k| {
                        !matches!(
                            k.as_str(),
                            "data" | "seconds" | "n_iter" | "n_updates" | "n_screened"
                        )
                    })
                    .cloned()
                    .collect()
            };
            assert_eq!(keys(x), keys(y), "{at}");
            for k in keys(x) {
                assert_close(&x[&k], &y[&k], tol, scale, &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                assert_close(u, v, tol, scale, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (u, v) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            assert!(
                (u - v).abs() <= tol * scale.max(u.abs()).max(v.abs()),
                "{at}: {u} vs {v}"
            );
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}
