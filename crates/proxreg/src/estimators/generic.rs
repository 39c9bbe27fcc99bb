//! `PenalizedLinear`: least squares with any penalty, including a user's own.

use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{Penalty, SeparablePenalty};
use proxreg_core::{Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::Solver;

use super::model::LinearModel;
use super::options::Options;

/// Least squares with any [`Penalty`]: `(1/(2n))‖y − Xw − b‖² + α·g(w)`.
///
/// [`PenalizedLinearParams::fit`] uses FISTA, which needs nothing but the prox;
/// [`PenalizedLinearParams::fit_cd`] uses coordinate descent when the penalty is separable.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::penalty::L1;
/// let x = ColMajor::from_fn(25, 3, |i, j| ((i * (j + 1)) % 5) as f64);
/// let y: Vec<f64> = (0..25).map(|i| (i % 5) as f64).collect();
/// let a = PenalizedLinear::params(L1).alpha(0.1).tol(1e-10).fit(&x, &y)?;
/// let b = Lasso::params().alpha(0.1).tol(1e-10).fit(&x, &y)?;
/// assert!((a.coef()[0] - b.coef()[0]).abs() < 1e-6);
/// # Ok::<(), proxreg::Error>(())
/// ```
///
/// The non-convex penalties [`Mcp`](crate::penalty::Mcp) and [`Scad`](crate::penalty::Scad) are
/// fitted this way, by coordinate descent; `for_alpha(γ, α)` fitted at strength `α` is skglm's
/// `MCPenalty(alpha, gamma)` / `SCAD(alpha, gamma)`. The fit is a stationary point (it depends on
/// the warm start; walk a path down from `alpha_max` for the usual one) certified by its KKT
/// violation alone: there is no duality gap.
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(40, 4, |i, j| (((i + 1) * (j + 2)) % 7) as f64 - 3.0);
/// let y: Vec<f64> = (0..40).map(|i| ((i * 3) % 7) as f64 - 3.0).collect();
/// let alpha = 0.2;
/// let m = PenalizedLinear::params(Mcp::for_alpha(3.0, alpha)?)
///     .alpha(alpha)
///     .tol(1e-10)
///     .fit_cd(&x, &y)?;
/// assert_eq!(m.duality_gap(), None);
/// assert!(m.kkt_violation() <= 1e-8);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PenalizedLinear;

/// Hyper-parameters of [`PenalizedLinear`]: the penalty, `alpha`, `fit_intercept`, `standardize`,
/// `warm_start`, `tol`, `max_iter`, `require_convergence`.
#[derive(Debug, Clone, PartialEq)]
pub struct PenalizedLinearParams<P, T> {
    penalty: P,
    alpha: T,
    opts: Options<T>,
}

impl PenalizedLinear {
    /// The builder for `penalty` (`alpha = 1`).
    pub fn params<T: Scalar, P: Penalty<T>>(penalty: P) -> PenalizedLinearParams<P, T> {
        PenalizedLinearParams {
            penalty,
            alpha: T::one(),
            opts: Options::default(),
        }
    }
}

impl<T: Scalar, P: Penalty<T>> PenalizedLinearParams<P, T> {
    /// The strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// Fit an unpenalised intercept (default `true`).
    #[must_use]
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.opts.fit_intercept = yes;
        self
    }
    /// Standardize the columns before penalising.
    #[must_use]
    pub fn standardize(mut self, yes: bool) -> Self {
        self.opts.standardize = yes;
        self
    }
    /// Initial coefficients.
    #[must_use]
    pub fn warm_start(mut self, coef: Vec<T>) -> Self {
        self.opts.warm_start = Some(coef);
        self
    }
    /// Tolerance (relative gap, or relative KKT for penalties without a conjugate).
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.opts.tol = tol;
        self
    }
    /// KKT tolerance relative to `‖∇f(0)‖_∞` (default: `tol`).
    #[must_use]
    pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
        self.opts.kkt_tol = Some(kkt_tol);
        self
    }
    /// Maximal iterations.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.opts.max_iter = max_iter;
        self
    }
    /// Error instead of a non-converged model.
    #[must_use]
    pub fn require_convergence(mut self, yes: bool) -> Self {
        self.opts.require_convergence = yes;
        self
    }

    fn check(&self, p: usize) -> Result<()> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        self.opts.check()?;
        self.opts.check_lengths(p, 1)
    }

    /// Fits with FISTA.
    ///
    /// # Errors
    /// Parameters, shapes, NaN/inf, strict non-convergence.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<LinearModel<T>> {
        self.check(x.ncols())?;
        let pb = self.opts.problem(x, y, None, &self.penalty, self.alpha, 1);
        let sol = self
            .opts
            .fista()
            .solve(&pb, self.opts.warm_start.as_deref(), &mut ())?;
        let sol = self.opts.enforce(sol)?;
        LinearModel::from_solution(sol, x.ncols(), 1, self.alpha)
    }
}

impl<T: Scalar, P: SeparablePenalty<T>> PenalizedLinearParams<P, T> {
    /// Fits with coordinate descent (separable penalties).
    ///
    /// # Errors
    /// As [`PenalizedLinearParams::fit`].
    pub fn fit_cd<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<LinearModel<T>> {
        self.check(x.ncols())?;
        let pb = self.opts.problem(x, y, None, &self.penalty, self.alpha, 1);
        let sol = self
            .opts
            .cd()
            .solve(&pb, self.opts.warm_start.as_deref(), &mut ())?;
        let sol = self.opts.enforce(sol)?;
        LinearModel::from_solution(sol, x.ncols(), 1, self.alpha)
    }
}
