//! # proxreg
//!
//! Norm-regularized linear models for Rust: penalties with proximal operators, one engine, and
//! estimators that carry their certificates (duality gap and KKT violation).
//!
//! This facade re-exports the workspace crates.
//!
//! | feature | what it enables | default |
//! | --- | --- | --- |
//! | `faer` | [`DesignMatrix`](linalg::DesignMatrix) for `faer::Mat` and views | off |
//! | `nalgebra` | [`DesignMatrix`](linalg::DesignMatrix) for `nalgebra::DMatrix` and views | off |
//! | `ndarray` | [`DesignMatrix`](linalg::DesignMatrix) for `ndarray` 2-D arrays and views | off |
//! | `full` | all of the above | off |

pub use proxreg_core as core;
pub use proxreg_core::{penalty, Error, Result, Scalar};
pub use proxreg_linalg as linalg;

/// The names most programs need.
pub mod prelude {
    pub use proxreg_core::penalty::{
        BlockSeparablePenalty, Bounded, ElasticNet, Frobenius, Norm, Penalty, SeparablePenalty,
        SquaredFrobenius, SquaredL2, Weighted, WeightedBlocks, L1, L2, L21,
    };
    pub use proxreg_core::{Error, Result, Scalar};
    pub use proxreg_linalg::{ColMajor, DesignMatrix, Parallelism};
}
