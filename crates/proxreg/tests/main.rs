//! Estimator tests: scikit-learn fixtures, invariances, typed errors.
#![allow(missing_docs, clippy::unwrap_used, clippy::needless_range_loop)]

mod estimators;
