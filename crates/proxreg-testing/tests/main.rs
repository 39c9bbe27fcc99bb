//! The conformance kit run on every built-in penalty, for f32 and f64 (one test binary).

/// Instantiates a suite list for one penalty for both `f32` and `f64`.
macro_rules! both_scalars {
    ($name:ident, $pen:expr, $setup:expr; $($check:ident),+ $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            proxreg_testing::penalty_suite!(f32: f32, $pen, $setup; $($check),+);
            proxreg_testing::penalty_suite!(f64: f64, $pen, $setup; $($check),+);
        }
    };
}

#[path = "suites/builtin.rs"]
mod builtin;
#[path = "suites/composed.rs"]
mod composed;
#[path = "suites/group.rs"]
mod group;
#[path = "suites/meta.rs"]
mod meta;
