//! proxreg's integration tests in one binary (one link, one set of generic instantiations of
//! the estimators): the estimator tests (scikit-learn fixtures, invariances, typed errors) and
//! the hostile-input and invariance suite of issue #9 (`reliability`, see
//! `docs/reliability.md`). `sparse_memory` (its own allocator) and `external_penalty` stay
//! separate binaries.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::needless_range_loop,
    clippy::panic
)]

mod estimators;

/// The hostile-input and invariance suite (issue #9): one test per case, each named after the
/// behaviour it expects, over every estimator the case applies to.
mod reliability {
    pub mod common;
    mod degenerate;
    mod hostile;
    mod invariance;
    mod regressions;
    mod scale;
}
