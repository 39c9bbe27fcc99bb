//! # proxreg
//!
//! Norm-regularized linear models for Rust: penalties with proximal operators, one engine, and
//! estimators that carry their certificates (duality gap and KKT violation).
//!
//! ```
//! use proxreg::prelude::*;
//! let x = ColMajor::from_fn(50, 4, |i, j| (((i + 1) * (j + 2)) % 13) as f64);
//! let y: Vec<f64> = (0..50).map(|i| 3.0 * x.col(1)[i] - x.col(2)[i] + 0.5).collect();
//! let fit = ElasticNet::params().alpha(0.01).l1_ratio(0.9).fit(&x, &y)?;
//! println!("{:?} gap={:?} kkt={:e}", fit.coef(), fit.duality_gap(), fit.kkt_violation());
//! assert_eq!(fit.status(), Status::Converged);
//! # Ok::<(), proxreg::Error>(())
//! ```
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
//! | `sprs`, `nalgebra-sparse` | conversions of those crates' CSC matrices to [`CscRef`](linalg::CscRef) / [`CscMatrix`](linalg::CscMatrix), proxreg's sparse design (always available; fits densify it once per fit for now, see `docs/backends.md`) | off |
//! | `rayon` | cross-validation fits (folds × `l1_ratios`; the folds of [`LogisticRegressionCv`]) in parallel on rayon's current pool; bitwise-identical results for any thread count | on |
//! | `serde` | `Serialize`/`Deserialize` for fitted models | off |
//! | `full` | `faer`, `nalgebra`, `ndarray`, `sprs`, `nalgebra-sparse`, `serde` and `rayon` | off |
//!
//! ```toml
//! [dependencies]
//! proxreg = { version = "0.1", features = ["ndarray"] }   # faer stays on by default
//! ```
// docs.rs builds with `--cfg docsrs` on nightly: label feature-gated items with their features.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod conventions;
pub mod estimators;

pub use estimators::*;
pub use proxreg_core as core;
pub use proxreg_core::{penalty, Error, Result, Scalar};
pub use proxreg_linalg as linalg;
pub use proxreg_solvers as solvers;

/// The names most programs need.
pub mod prelude {
    pub use crate::estimators::{
        AdaptiveInit, AdaptiveLasso, AdaptiveLassoCv, Criterion, ElasticNet, ElasticNetCv,
        ElasticNetIc, Estimator, FitReport, Fitted, HuberRegression, KFold, Lasso, LassoCv,
        LassoIc, LinearModel, LogisticRegression, LogisticRegressionCv, MultiTaskElasticNet,
        MultiTaskLasso, MultinomialRegression, MultinomialRegressionCv, PenalizedLinear,
        PoissonRegression, RelaxedLasso, RelaxedLassoCv, Ridge, RidgeCv, RidgeCvMode, Selection,
        SolverChoice, StabilitySelection, Status, StratifiedKFold,
    };
    // Penalty types (the Elastic Net *penalty* is `proxreg::penalty::ElasticNet`; in the
    // prelude `ElasticNet` is the estimator).
    pub use proxreg_core::penalty::{
        BlockSeparablePenalty, Bounded, Frobenius, L21ElasticNet, Mcp, Norm, Penalty, Scad,
        SeparablePenalty, SquaredFrobenius, SquaredL2, Weighted, WeightedBlocks, L1, L2, L21,
    };
    pub use proxreg_core::{Error, Result, Scalar};
    pub use proxreg_linalg::{ColMajor, DesignMatrix, Parallelism};
}
