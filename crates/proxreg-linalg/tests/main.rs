//! Integration tests of proxreg-linalg, one binary: the backend conformance suite (every backend
//! and view kind against the `ColMajor` reference, f32 and f64) and the factorizations.

// Test helpers outside `#[test]` functions assert and unwrap too.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
#![allow(clippy::needless_range_loop)]

#[path = "suite/support.rs"]
mod support;

#[path = "suite/conformance.rs"]
mod conformance;

#[path = "suite/factor.rs"]
mod factor;
