//! # proxreg-solvers
//!
//! The engine of proxreg: solvers for
//!
//! `minimise (1/(2m)) Σ_i s_i (y_i − x_iᵀw − b)² + alpha · g(w)`
//!
//! generic over the design-matrix backend ([`DesignMatrix`]) and
//! the penalty ([`Penalty`](proxreg_core::penalty::Penalty)). Every [`Solution`] carries its
//! certificates: the duality gap (relative to `‖y‖²/m`, so independent of the data's units) and
//! the KKT violation, and a [`Termination`] status that makes non-convergence visible.
//!
//! | solver | penalty bound | use |
//! | --- | --- | --- |
//! | [`CoordinateDescent`] | `SeparablePenalty` | Lasso, Elastic Net, weighted / bounded variants |
//! | [`BlockCoordinateDescent`] | `BlockSeparablePenalty` | multi-task (`L21`) |
//! | [`Fista`] | any `Penalty` | everything, including non-separable and users' own penalties |
//! | [`RidgeDirect`], [`RidgeSpectral`] | `SquaredL2` | ridge by Cholesky (primal or dual) or one SVD for many alphas |
//! | [`ProxNewton`] | `SeparablePenalty`, any [`Datafit`] | logistic regression (its default), any loss |
//! | [`GlmCd`] | `SeparablePenalty`, a [`Datafit`] with a curvature bound | coordinate descent on the bound (slower than [`ProxNewton`] on the measured logistic problems) |
//! | [`GroupCd`] | `GroupSeparablePenalty`, a [`Datafit`] with a curvature bound | group lasso / sparse group lasso over feature groups of any sizes |
//! | [`ProxGradient`] | any `Penalty`, a [`Datafit`] with a curvature bound | non-separable penalties with any such loss |
//!
//! Data come as rows ([`Problem`] over any [`DesignMatrix`]) or as mergeable
//! [`SufficientStats`] (counts, means, centred comoments; from batches, files or other
//! engines), from which [`CoordinateDescent`] (Gram mode) and [`RidgeDirect::solve_prepared`]
//! fit without any row.
//!
//! ```
//! use proxreg_core::penalty::L1;
//! use proxreg_linalg::ColMajor;
//! use proxreg_solvers::{CoordinateDescent, Problem, Solver};
//! let x = ColMajor::from_fn(20, 5, |i, j| ((i * 7 + j * 3) % 11) as f64 - 5.0);
//! let y: Vec<f64> = (0..20).map(|i| (i % 5) as f64).collect();
//! let sol = CoordinateDescent::new().tol(1e-10).solve(&Problem::new(&x, &y, &L1, 0.1), None, &mut ())?;
//! assert!(sol.converged());
//! assert!(sol.relative_gap.unwrap() <= 1e-10);
//! # Ok::<(), proxreg_core::Error>(())
//! ```

mod anderson;
mod blocks;
mod cd;
mod cert;
mod fista;
mod glm;
mod glm_cd;
mod group_cd;
mod kernels;
mod multinomial;
mod path;
mod problem;
mod prox_grad;
mod rescale;
mod ridge;
mod simd;
mod solution;
mod sparse;
mod stats;

pub use blocks::{BlockStats, RowBlock};
pub use cd::{
    check_stopping, BlockCoordinateDescent, CdMode, CdOrder, CoordinateDescent, Screening,
};
pub use fista::Fista;
pub use glm::{glm_alpha_max, ProxNewton};
pub use glm_cd::GlmCd;
pub use group_cd::GroupCd;
pub use multinomial::{
    multinomial_alpha_max, MultinomialProblem, MultinomialSolution, MultinomialSolver,
};
pub use path::{alpha_grid, alpha_max, check_grid, Path};
pub use problem::{Prepared, Problem};
pub use prox_grad::ProxGradient;
pub use proxreg_core::datafit::{Datafit, Logistic, Quadratic};
pub use ridge::{certify_ridge, RidgeDirect, RidgeMethod, RidgeSolution, RidgeSpectral};
pub use solution::{IterInfo, Observer, Solution, Termination};
pub use stats::{fold_of_id, SufficientStats};

use proxreg_core::{Result, Scalar};
use proxreg_linalg::DesignMatrix;

/// A solver of `Problem`s with datafit `F` (least squares unless named); its requirements on
/// the penalty and the datafit are trait bounds on its impl (coordinate descent needs a
/// separable penalty and least squares, FISTA takes any penalty, [`ProxNewton`] any datafit
/// with a separable penalty, [`GlmCd`] any datafit with a curvature bound).
pub trait Solver<T: Scalar, X: DesignMatrix<T> + ?Sized, P: ?Sized, F = Quadratic> {
    /// Solves `problem` from `warm_start` (zeros when `None`), reporting to `observer`.
    ///
    /// # Errors
    /// Invalid problems (shapes, NaN, parameters) and numerical failures; not reaching the
    /// tolerance is a [`Termination`] status, not an error.
    fn solve<O: Observer<T> + ?Sized>(
        &self,
        problem: &Problem<'_, T, X, P, F>,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>>;
}
