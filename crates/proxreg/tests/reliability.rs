//! The hostile-input and invariance suite (issue #9): one test per case, each named after the
//! behaviour it expects, over every estimator the case applies to. See `docs/reliability.md`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_range_loop,
    clippy::panic
)]

mod reliability {
    pub mod common;
    mod degenerate;
    mod hostile;
    mod invariance;
    mod regressions;
    mod scale;
}
