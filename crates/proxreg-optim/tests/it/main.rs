//! Integration tests of proxreg-optim, one binary: each module is one claim of the crate docs.

// Test code: the generic test bodies (instantiated per scalar) are not `#[test]` fns themselves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod adam;
mod groups;
mod prox;
mod sgd;
mod validation;
