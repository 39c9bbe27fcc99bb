//! Just enough JSON output for the runner: numbers (non-finite ones as `null`), strings,
//! arrays and flat objects.

use std::fmt::Write;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// A number; NaN and infinities are written as `null`.
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, keys in the given order.
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// An array of numbers.
    pub fn nums(v: &[f64]) -> Self {
        Json::Arr(v.iter().map(|&x| Json::Num(x)).collect())
    }

    /// The JSON text.
    pub fn render(&self) -> String {
        let mut s = String::new();
        self.write_to(&mut s);
        s
    }

    fn write_to(&self, s: &mut String) {
        match self {
            Json::Num(x) if x.is_finite() => {
                // `{:?}` prints the shortest text that round-trips, e.g. 0.1, 1e-7, 3.0
                let _ = write!(s, "{x:?}");
            }
            Json::Num(_) => s.push_str("null"),
            Json::Str(t) => {
                s.push('"');
                for ch in t.chars() {
                    match ch {
                        '"' => s.push_str("\\\""),
                        '\\' => s.push_str("\\\\"),
                        c if (c as u32) < 0x20 => {
                            let _ = write!(s, "\\u{:04x}", c as u32);
                        }
                        c => s.push(c),
                    }
                }
                s.push('"');
            }
            Json::Arr(v) => {
                s.push('[');
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    x.write_to(s);
                }
                s.push(']');
            }
            Json::Obj(kv) => {
                s.push('{');
                for (i, (k, v)) in kv.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    Json::Str(k.clone()).write_to(s);
                    s.push_str(": ");
                    v.write_to(s);
                }
                s.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_nested_values_with_escapes_and_null_for_nan() {
        let j = Json::Obj(vec![
            ("a".into(), Json::nums(&[1.0, 1e-7, f64::NAN])),
            ("b\"q".into(), Json::Str("x\\y\n".into())),
        ]);
        assert_eq!(
            j.render(),
            r#"{"a": [1.0, 1e-7, null], "b\"q": "x\\y\u000a"}"#
        );
    }
}
