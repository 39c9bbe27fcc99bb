//! # proxreg-core
//!
//! The ground floor of proxreg: the [`Scalar`] trait (f32 and f64), the structured [`Error`],
//! and the penalty contracts ([`penalty::Penalty`], [`penalty::SeparablePenalty`],
//! [`penalty::BlockSeparablePenalty`], [`penalty::Norm`]) with every built-in penalty and its
//! proximal operator, and the datafit contract ([`datafit::Datafit`]: least squares and
//! logistic built in). Penalties and datafits work on slices and scalars: this crate has no
//! linear-algebra dependency.
//!
//! ```
//! use proxreg_core::penalty::{Penalty, L1};
//! let mut w = vec![1.5_f64, -0.25, -0.75];
//! L1.prox_in_place(&mut w, 0.5); // prox of 0.5·‖·‖₁: soft-thresholding
//! assert_eq!(w, vec![1.0, 0.0, -0.25]);
//! ```

pub mod datafit;
pub mod error;
pub mod penalty;
mod scalar;

pub use error::{Error, Result};
pub use scalar::Scalar;
