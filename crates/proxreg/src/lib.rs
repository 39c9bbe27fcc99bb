//! # proxreg
//!
//! Norm-regularized linear models for Rust: penalties with proximal operators, one engine, and
//! estimators that carry their certificates (duality gap and KKT violation).
//!
//! This facade re-exports the workspace crates.
//!
//! ## Cargo features
//!
//! Backend features are additive: any subset may be enabled at once, and
//! `--no-default-features` builds (proxreg's own [`ColMajor`](linalg::ColMajor) is always there).
//! See `docs/backends.md` for how to choose and what each costs.
//!
//! | feature | what it enables | default |
//! | --- | --- | --- |
//! | `faer` | [`DesignMatrix`](linalg::DesignMatrix) for `faer::Mat` / `faer::MatRef`; factorizations ([`Cholesky`](linalg::Cholesky), [`SymEigen`](linalg::SymEigen), [`ThinSvd`](linalg::ThinSvd)) of `ColMajor` run on faer's kernels (pure-Rust Jacobi fallback otherwise) | **on** |
//! | `nalgebra` | [`DesignMatrix`](linalg::DesignMatrix) for `nalgebra::DMatrix` and its views (`DMatrixView`, `DMatrixViewMut`, strided too); nalgebra's own SVD for them | off |
//! | `ndarray` | [`DesignMatrix`](linalg::DesignMatrix) for `ndarray::ArrayBase<S, Ix2>` (owned, views, shared; row-major, column-major or strided) | off |
//! | `full` | `faer`, `nalgebra` and `ndarray` | off |
//!
//! ```toml
//! [dependencies]
//! proxreg = { version = "0.1", features = ["ndarray"] }   # faer stays on by default
//! ```

pub use proxreg_core as core;
pub use proxreg_core::{penalty, Error, Result, Scalar};
pub use proxreg_linalg as linalg;

/// The names most programs need.
pub mod prelude {
    pub use proxreg_core::penalty::{BlockSeparablePenalty, Norm, Penalty, SeparablePenalty};
    pub use proxreg_core::{Error, Result, Scalar};
    pub use proxreg_linalg::{ColMajor, DesignMatrix, Parallelism};
}
