//! Options shared by the estimators, and the solver dispatch.

use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{Bounded, Penalty, SeparablePenalty, Weighted};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{CoordinateDescent, Fista, Path, Problem, Solution, Solver};

/// Which algorithm an estimator uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum SolverChoice {
    /// Coordinate descent for Lasso / Elastic Net (Gram or naive chosen by shape), Cholesky
    /// (primal or dual by shape) for Ridge without constraints.
    #[default]
    Auto,
    /// Coordinate descent (block coordinate descent for multi-task models).
    CoordinateDescent,
    /// Accelerated proximal gradient (FISTA).
    Fista,
    /// Proximal Newton (IRLS outer loop, coordinate descent inside): logistic regression's
    /// solver (its `Auto`). Chosen over coordinate descent on the logistic loss's global
    /// curvature bound (`proxreg_solvers::GlmCd`) by measurement: 2.7× to 11× faster on the
    /// T5 problems of `docs/benchmarks.md` (one fit and a 100-alpha path, three designs), as
    /// its steps use the local curvature where the bound `¼` makes them too short.
    ProxNewton,
    /// Cholesky on the normal equations (Ridge only).
    Cholesky,
    /// One thin SVD (Ridge only).
    Svd,
}

/// Coordinate descent with the estimators' stopping settings (`kkt_tol`: `None` = `tol`).
pub(crate) fn cd_with<T: Scalar>(
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
) -> CoordinateDescent<T> {
    let cd = CoordinateDescent::new().tol(tol).max_iter(max_iter);
    match kkt_tol {
        Some(k) => cd.kkt_tol(k),
        None => cd,
    }
}

/// The options every linear estimator shares. See each estimator's parameter table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Options<T> {
    pub fit_intercept: bool,
    pub standardize: bool,
    pub penalty_factors: Option<Vec<T>>,
    pub positive: bool,
    pub bounds: Option<(T, T)>,
    pub warm_start: Option<Vec<T>>,
    pub solver: SolverChoice,
    pub tol: T,
    pub kkt_tol: Option<T>,
    pub max_iter: usize,
    pub require_convergence: bool,
}

impl<T: Scalar> Default for Options<T> {
    fn default() -> Self {
        Self {
            fit_intercept: true,
            standardize: false,
            penalty_factors: None,
            positive: false,
            bounds: None,
            warm_start: None,
            solver: SolverChoice::Auto,
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 10_000,
            require_convergence: false,
        }
    }
}

impl<T: Scalar> Options<T> {
    pub fn check(&self) -> Result<()> {
        proxreg_solvers::check_stopping(self.tol, self.kkt_tol, self.max_iter)?;
        if let Some(f) = &self.penalty_factors {
            if f.is_empty() {
                return Err(Error::Empty {
                    what: "penalty_factors",
                });
            }
            for &v in f {
                ensure_nonneg_finite("penalty_factors", v)?;
            }
        }
        if let Some((lo, hi)) = self.bounds {
            let ok = !lo.is_nan() && !hi.is_nan() && lo <= hi && lo <= T::zero() && hi >= T::zero();
            if !ok {
                return Err(Error::InvalidParameter {
                    name: "bounds",
                    value: lo.as_f64(),
                    expected: "lower <= 0 <= upper, not NaN",
                });
            }
        }
        if let Some(w) = &self.warm_start {
            proxreg_core::error::ensure_all_finite("warm_start", w)?;
        }
        Ok(())
    }

    /// The box the coefficients live in, if any (positive = [0, +inf) intersected with bounds).
    pub fn effective_bounds(&self) -> Option<(T, T)> {
        match (self.positive, self.bounds) {
            (false, None) => None,
            (true, None) => Some((T::zero(), T::infinity())),
            (false, Some(b)) => Some(b),
            (true, Some((lo, hi))) => Some((lo.max(T::zero()), hi)),
        }
    }

    pub fn cd(&self) -> CoordinateDescent<T> {
        cd_with(self.tol, self.kkt_tol, self.max_iter)
    }

    pub fn fista(&self) -> Fista<T> {
        let f = Fista::new().tol(self.tol).max_iter(self.max_iter);
        match self.kkt_tol {
            Some(k) => f.kkt_tol(k),
            None => f,
        }
    }

    pub fn prox_newton(&self) -> proxreg_solvers::ProxNewton<T> {
        let f = proxreg_solvers::ProxNewton::new()
            .tol(self.tol)
            .max_iter(self.max_iter);
        match self.kkt_tol {
            Some(k) => f.kkt_tol(k),
            None => f,
        }
    }

    /// The engine problem for data `(x, y)`.
    pub fn problem<'a, X: DesignMatrix<T> + ?Sized, P: ?Sized>(
        &self,
        x: &'a X,
        y: &'a [T],
        weights: Option<&'a [T]>,
        penalty: &'a P,
        alpha: T,
        k: usize,
    ) -> Problem<'a, T, X, P> {
        Problem::new(x, y, penalty, alpha)
            .fit_intercept(self.fit_intercept)
            .standardize(self.standardize)
            .sample_weight(weights)
            .n_tasks(k)
    }

    /// Turns a non-converged solution into an error when strict convergence was asked for.
    pub fn enforce(&self, s: Solution<T>) -> Result<Solution<T>> {
        if self.require_convergence && !s.converged() {
            return Err(Error::NotConverged {
                iterations: s.n_iter,
                criterion: s.relative_gap.unwrap_or(s.kkt_violation).as_f64(),
                tol: self.tol.as_f64(),
            });
        }
        Ok(s)
    }

    /// [`Options::enforce`] on every point of a path.
    pub fn enforce_path(&self, path: Path<T>) -> Result<Path<T>> {
        if self.require_convergence {
            for s in &path.solutions {
                if !s.converged() {
                    return Err(Error::NotConverged {
                        iterations: s.n_iter,
                        criterion: s.relative_gap.unwrap_or(s.kkt_violation).as_f64(),
                        tol: self.tol.as_f64(),
                    });
                }
            }
        }
        Ok(path)
    }

    pub fn check_lengths(&self, p: usize, k: usize) -> Result<()> {
        if let Some(f) = &self.penalty_factors {
            if f.len() != p {
                return Err(Error::DimensionMismatch {
                    what: "penalty_factors length vs X columns",
                    expected: p,
                    found: f.len(),
                });
            }
        }
        if let Some(w) = &self.warm_start {
            if w.len() != p * k {
                return Err(Error::DimensionMismatch {
                    what: "warm_start length vs features × tasks",
                    expected: p * k,
                    found: w.len(),
                });
            }
        }
        Ok(())
    }
}

/// An operation on the penalty an estimator builds from its options (the base penalty
/// wrapped by the penalty factors and the box): solving, or `alpha_max`.
pub(crate) trait OnSeparable<T: Scalar> {
    type Out;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<Self::Out>;
}

/// Builds the single-task penalty of the options around `base` and applies `op` to it.
pub(crate) fn with_separable<T, B, V>(opts: &Options<T>, base: B, op: V) -> Result<V::Out>
where
    T: Scalar,
    B: SeparablePenalty<T>,
    V: OnSeparable<T>,
{
    match (opts.penalty_factors.clone(), opts.effective_bounds()) {
        (None, None) => op.apply(&base),
        (Some(f), None) => op.apply(&Weighted::new(base, f)?),
        (None, Some((lo, hi))) => op.apply(&Bounded::new(base, lo, hi)?),
        (Some(f), Some((lo, hi))) => op.apply(&Bounded::new(Weighted::new(base, f)?, lo, hi)?),
    }
}

/// The data an estimator is fitted on (`k` tasks).
#[derive(Clone, Copy)]
pub(crate) struct Data<'a, T, X: ?Sized> {
    pub opts: &'a Options<T>,
    pub x: &'a X,
    pub y: &'a [T],
    pub weights: Option<&'a [T]>,
    pub k: usize,
}

/// `alpha_max` of the estimator's problem: the smallest alpha whose solution is all zeros,
/// from the same preparation (centering, standardization, weights) and penalty as the fit.
pub(crate) struct AlphaMax<'a, T, X: ?Sized>(pub Data<'a, T, X>);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> AlphaMax<'_, T, X> {
    pub fn of<P: Penalty<T> + ?Sized>(&self, pen: &P) -> Result<T> {
        let d = &self.0;
        d.opts.check()?;
        d.opts.check_lengths(d.x.ncols(), d.k)?;
        let pb = d.opts.problem(d.x, d.y, d.weights, pen, T::zero(), d.k);
        // Fista's preparation: the validated, centered data without a Gram matrix.
        let prep = Fista::new().prepare(&pb)?;
        proxreg_solvers::alpha_max(&prep, pen)
    }
}

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnSeparable<T> for AlphaMax<'_, T, X> {
    type Out = T;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<T> {
        self.of(pen)
    }
}

/// Solving at `alpha` with the options' solver.
struct Solve<'a, T, X: ?Sized>(Data<'a, T, X>, T);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnSeparable<T> for Solve<'_, T, X> {
    type Out = Solution<T>;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<Solution<T>> {
        let Solve(d, alpha) = self;
        run(d.opts, d.x, d.y, d.weights, pen, alpha)
    }
}

/// Solves a single-task problem with a separable base penalty, wrapped by the penalty factors
/// and the box from the options, with the chosen solver.
pub(crate) fn solve_separable<T, X, B>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    base: B,
    alpha: T,
) -> Result<Solution<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    B: SeparablePenalty<T>,
{
    opts.check()?;
    opts.check_lengths(x.ncols(), 1)?;
    let data = Data {
        opts,
        x,
        y,
        weights,
        k: 1,
    };
    with_separable(opts, base, Solve(data, alpha))
}

/// The warm-started path over `alphas` with the options' solver.
struct SolvePath<'a, T, X: ?Sized>(Data<'a, T, X>, &'a [T]);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnSeparable<T> for SolvePath<'_, T, X> {
    type Out = Path<T>;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<Path<T>> {
        let SolvePath(d, alphas) = self;
        let pb = d.opts.problem(d.x, d.y, d.weights, pen, T::zero(), 1);
        let path = match d.opts.solver {
            SolverChoice::Auto | SolverChoice::CoordinateDescent => {
                d.opts.cd().path(&pb, alphas)?
            }
            SolverChoice::Fista => d.opts.fista().path(&pb, alphas)?,
            SolverChoice::ProxNewton => d
                .opts
                .prox_newton()
                .path(&pb.datafit(proxreg_core::datafit::Quadratic), alphas)?,
            SolverChoice::Cholesky | SolverChoice::Svd => {
                return Err(Error::Unsupported {
                    what: "solver Cholesky / Svd",
                    reason: "direct solvers apply to Ridge without penalty factors or bounds",
                })
            }
        };
        d.opts.enforce_path(path)
    }
}

/// The single-task path of a separable base penalty (wrapped as in [`solve_separable`]) over
/// `alphas`, in the order given, each point warm-started from the previous one and the data
/// prepared once.
pub(crate) fn separable_path<T, X, B>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    base: B,
    alphas: &[T],
) -> Result<Path<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    B: SeparablePenalty<T>,
{
    opts.check()?;
    opts.check_lengths(x.ncols(), 1)?;
    let data = Data {
        opts,
        x,
        y,
        weights,
        k: 1,
    };
    with_separable(opts, base, SolvePath(data, alphas))
}

fn run<T, X, P>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    pen: &P,
    alpha: T,
) -> Result<Solution<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + Penalty<T>,
{
    let pb = opts.problem(x, y, weights, pen, alpha, 1);
    let warm = opts.warm_start.as_deref();
    let sol = match opts.solver {
        SolverChoice::Auto | SolverChoice::CoordinateDescent => {
            opts.cd().solve(&pb, warm, &mut ())?
        }
        SolverChoice::Fista => opts.fista().solve(&pb, warm, &mut ())?,
        SolverChoice::ProxNewton => opts.prox_newton().solve(
            &pb.datafit(proxreg_core::datafit::Quadratic),
            warm,
            &mut (),
        )?,
        SolverChoice::Cholesky | SolverChoice::Svd => {
            return Err(Error::Unsupported {
                what: "solver Cholesky / Svd",
                reason: "direct solvers apply to Ridge without penalty factors or bounds",
            })
        }
    };
    opts.enforce(sol)
}
