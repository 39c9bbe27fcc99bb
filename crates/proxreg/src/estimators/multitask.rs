//! Multi-task Lasso and Elastic Net: one coefficient row per feature, shared support.

use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{self, BlockSeparablePenalty, L21ElasticNet, WeightedBlocks, L21};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{BlockCoordinateDescent, Path, Solution, Solver};

use super::linear::{common_setters, fitted_model};
use super::model::LinearModel;
use super::options::{AlphaMax, Data, Options, SolverChoice};

fitted_model!(
    /// A fitted multi-task Elastic Net: `W` is `p × k` (row-major), and it minimises
    /// `(1/(2n))‖Y − XW − 1bᵀ‖²_F + α·(ρ Σ_j ‖W_j,:‖₂ + ½(1−ρ)‖W‖²_F)` (scikit-learn's
    /// `MultiTaskElasticNet`). `Y` is given `n × k` column-major (task after task).
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(30, 4, |i, j| (((i + 2) * (j + 1)) % 9) as f64);
    /// // two tasks, column-major: y[0..30] then y[30..60]
    /// let y: Vec<f64> = (0..60).map(|i| ((i % 30) % 9) as f64 * if i < 30 { 1.0 } else { -0.5 }).collect();
    /// let m = MultiTaskElasticNet::params().alpha(0.1).l1_ratio(0.7).fit(&x, &y)?;
    /// assert_eq!(m.n_tasks(), 2);
    /// assert_eq!(m.coef().len(), 8);
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    MultiTaskElasticNet
);

fitted_model!(
    /// A fitted multi-task Lasso: `(1/(2n))‖Y − XW − 1bᵀ‖²_F + α Σ_j ‖W_j,:‖₂`.
    MultiTaskLasso
);

/// Multi-task Elastic Net hyper-parameters: `alpha`, `l1_ratio` and the common options
/// (`penalty_factors` per feature row; `positive`/`bounds` are not supported and rejected).
#[derive(Debug, Clone, PartialEq)]
pub struct MultiTaskElasticNetParams<T> {
    alpha: T,
    l1_ratio: T,
    opts: Options<T>,
}

/// Multi-task Lasso hyper-parameters (`alpha` and the common options).
#[derive(Debug, Clone, PartialEq)]
pub struct MultiTaskLassoParams<T> {
    alpha: T,
    opts: Options<T>,
}

impl<T: Scalar> MultiTaskElasticNet<T> {
    /// The builder (`alpha = 1`, `l1_ratio = 0.5`).
    pub fn params() -> MultiTaskElasticNetParams<T> {
        MultiTaskElasticNetParams {
            alpha: T::one(),
            l1_ratio: T::lit(0.5),
            opts: Options::default(),
        }
    }
}

impl<T: Scalar> MultiTaskLasso<T> {
    /// The builder (`alpha = 1`).
    pub fn params() -> MultiTaskLassoParams<T> {
        MultiTaskLassoParams {
            alpha: T::one(),
            opts: Options::default(),
        }
    }
}

impl<T: Scalar> MultiTaskElasticNetParams<T> {
    /// The overall strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// The mix ρ ∈ [0, 1].
    #[must_use]
    pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
        self.l1_ratio = l1_ratio;
        self
    }
    common_setters!();

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of its range;
    /// [`Error::Unsupported`] for `positive` / `bounds` / a direct solver.
    pub fn check(self) -> Result<Self> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        penalty::ElasticNet::new(self.l1_ratio)?;
        self.opts.check()?;
        if self.opts.effective_bounds().is_some() {
            return Err(Error::Unsupported {
                what: "positive / bounds",
                reason: "not available for multi-task models",
            });
        }
        if matches!(self.opts.solver, SolverChoice::Cholesky | SolverChoice::Svd) {
            return Err(Error::Unsupported {
                what: "solver Cholesky / Svd",
                reason: "direct solvers apply to Ridge only",
            });
        }
        Ok(self)
    }

    /// `alpha_max` on `X` and `Y` (optionally with sample weights): the smallest `alpha` whose
    /// fit is all zeros, `max_j ‖x̃_jᵀỸ‖₂ / (m·ρ·f_j)` from the same centering,
    /// standardization, weights and penalty factors as [`fit`](Self::fit). A fit at it — or
    /// below it by rounding only — returns exact zeros.
    ///
    /// # Errors
    /// Shapes and NaN/inf as in [`fit`](Self::fit); [`Error::Unsupported`] for `l1_ratio = 0`.
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        let p = self.clone().check()?;
        multitask_alpha_max(&p.opts, x, y, sample_weight, p.l1_ratio)
    }

    /// The regularization path: one fit per alpha of `alphas`, in the order given (decreasing
    /// from [`alpha_max`](Self::alpha_max) is the efficient order), each warm-started from the
    /// previous one and the data prepared once (block coordinate descent, or FISTA when
    /// chosen), with the options and sample weights of [`fit_weighted`](Self::fit_weighted);
    /// its own `alpha` and `warm_start` are not used.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(30, 4, |i, j| (((i + 2) * (j + 1)) % 9) as f64);
    /// let y: Vec<f64> = (0..60).map(|i| ((i % 30) % 9) as f64 * if i < 30 { 1.0 } else { -0.5 }).collect();
    /// let params = MultiTaskElasticNet::params().l1_ratio(0.7);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let path = params.path(&x, &y, None, &[amax, amax / 10.0])?;
    /// assert!(path[0].coef().iter().all(|&w| w == 0.0));
    /// assert_eq!(path[1].n_tasks(), 2);
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted); [`Error::Empty`] for no alphas and
    /// [`Error::InvalidParameter`] for an alpha that is negative or not finite.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<MultiTaskElasticNet<T>>> {
        let p = self.clone().check()?;
        Ok(
            path_multitask(&p.opts, x, y, sample_weight, alphas, p.l1_ratio)?
                .into_iter()
                .map(MultiTaskElasticNet)
                .collect(),
        )
    }

    /// Fits on `X` (`n × p`) and `Y` (`n × k` column-major, `k = y.len() / n`).
    ///
    /// # Errors
    /// Parameters, shapes (`y.len()` not a multiple of `n`), NaN/inf, strict non-convergence.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<MultiTaskElasticNet<T>> {
        let p = self.clone().check()?;
        let m = fit_multitask(&p.opts, x, y, None, p.alpha, p.l1_ratio)?;
        Ok(MultiTaskElasticNet(m))
    }

    /// Fits with sample weights.
    ///
    /// # Errors
    /// As [`MultiTaskElasticNetParams::fit`], plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<MultiTaskElasticNet<T>> {
        let p = self.clone().check()?;
        let m = fit_multitask(&p.opts, x, y, Some(sample_weight), p.alpha, p.l1_ratio)?;
        Ok(MultiTaskElasticNet(m))
    }
}

impl<T: Scalar> MultiTaskLassoParams<T> {
    /// The strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    common_setters!();

    fn as_enet(&self) -> MultiTaskElasticNetParams<T> {
        MultiTaskElasticNetParams {
            alpha: self.alpha,
            l1_ratio: T::one(),
            opts: self.opts.clone(),
        }
    }

    /// Validates every parameter.
    ///
    /// # Errors
    /// As [`MultiTaskElasticNetParams::check`].
    pub fn check(self) -> Result<Self> {
        self.as_enet().check()?;
        Ok(self)
    }

    /// `alpha_max` on `X` and `Y`, as [`MultiTaskElasticNetParams::alpha_max`] with `ρ = 1`.
    ///
    /// # Errors
    /// As [`MultiTaskElasticNetParams::alpha_max`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        self.as_enet().alpha_max(x, y, sample_weight)
    }

    /// The regularization path: [`MultiTaskElasticNetParams::path`] with `ρ = 1`.
    ///
    /// # Errors
    /// As [`MultiTaskElasticNetParams::path`].
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<MultiTaskLasso<T>>> {
        Ok(self
            .as_enet()
            .path(x, y, sample_weight, alphas)?
            .into_iter()
            .map(|m| MultiTaskLasso(m.0))
            .collect())
    }

    /// Fits on `X` and `Y` (`n × k` column-major).
    ///
    /// # Errors
    /// As [`MultiTaskElasticNetParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<MultiTaskLasso<T>> {
        Ok(MultiTaskLasso(self.as_enet().fit(x, y)?.0))
    }

    /// Fits with sample weights.
    ///
    /// # Errors
    /// As [`MultiTaskElasticNetParams::fit_weighted`].
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<MultiTaskLasso<T>> {
        Ok(MultiTaskLasso(
            self.as_enet().fit_weighted(x, y, sample_weight)?.0,
        ))
    }
}

/// `(n, p, k)` of multi-task data, checked: rows and columns present, `y.len()` a multiple
/// of `n`.
fn tasks<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X, y: &[T]) -> Result<(usize, usize, usize)> {
    let (n, p) = (x.nrows(), x.ncols());
    if n == 0 {
        return Err(Error::Empty {
            what: "X (no rows)",
        });
    }
    if y.is_empty() || !y.len().is_multiple_of(n) {
        return Err(Error::DimensionMismatch {
            what: "y length (n × tasks) vs X rows",
            expected: n,
            found: y.len(),
        });
    }
    if p == 0 {
        return Err(Error::Empty {
            what: "X (no columns)",
        });
    }
    Ok((n, p, y.len() / n))
}

/// An operation on the multi-task penalty an estimator builds (solving, or `alpha_max`).
trait OnBlock<T: Scalar> {
    type Out;
    fn apply<P: BlockSeparablePenalty<T>>(self, pen: &P) -> Result<Self::Out>;
}

/// Builds the multi-task penalty (`L21` or `L21ElasticNet`, with the options' penalty
/// factors) for `p` features and `k` tasks, and applies `op` to it.
fn with_block<T: Scalar, V: OnBlock<T>>(
    opts: &Options<T>,
    l1_ratio: T,
    p: usize,
    k: usize,
    op: V,
) -> Result<V::Out> {
    let f = opts.penalty_factors.clone();
    if l1_ratio == T::one() {
        let base = L21::new(p, k)?;
        match f {
            None => op.apply(&base),
            Some(f) => op.apply(&WeightedBlocks::new(base, f)?),
        }
    } else {
        let base = L21ElasticNet::new(l1_ratio, p, k)?;
        match f {
            None => op.apply(&base),
            Some(f) => op.apply(&WeightedBlocks::new(base, f)?),
        }
    }
}

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnBlock<T> for AlphaMax<'_, T, X> {
    type Out = T;
    fn apply<P: BlockSeparablePenalty<T>>(self, pen: &P) -> Result<T> {
        self.of(pen)
    }
}

/// Solving at `alpha` with the options' solver.
struct SolveBlock<'a, T, X: ?Sized>(Data<'a, T, X>, T);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnBlock<T> for SolveBlock<'_, T, X> {
    type Out = Solution<T>;
    fn apply<P: BlockSeparablePenalty<T>>(self, pen: &P) -> Result<Solution<T>> {
        let SolveBlock(d, alpha) = self;
        run_block(d.opts, d.x, d.y, d.weights, pen, alpha, d.k)
    }
}

/// `alpha_max` of a multi-task model (see [`MultiTaskElasticNetParams::alpha_max`]).
fn multitask_alpha_max<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    l1_ratio: T,
) -> Result<T> {
    let (_, p, k) = tasks(x, y)?;
    let data = Data {
        opts,
        x,
        y,
        weights,
        k,
    };
    with_block(opts, l1_ratio, p, k, AlphaMax(data))
}

fn fit_multitask<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    alpha: T,
    l1_ratio: T,
) -> Result<LinearModel<T>> {
    let (_, p, k) = tasks(x, y)?;
    opts.check_lengths(p, k)?;
    let data = Data {
        opts,
        x,
        y,
        weights,
        k,
    };
    let sol = with_block(opts, l1_ratio, p, k, SolveBlock(data, alpha))?;
    let mut m = LinearModel::from_solution(sol, p, k, alpha)?;
    m.l1_ratio = Some(l1_ratio);
    Ok(m)
}

/// The warm-started multi-task path over `alphas` with the options' solver.
struct PathBlock<'a, T, X: ?Sized>(Data<'a, T, X>, &'a [T]);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnBlock<T> for PathBlock<'_, T, X> {
    type Out = Path<T>;
    fn apply<P: BlockSeparablePenalty<T>>(self, pen: &P) -> Result<Path<T>> {
        let PathBlock(d, alphas) = self;
        let pb = d.opts.problem(d.x, d.y, d.weights, pen, T::zero(), d.k);
        let path = match d.opts.solver {
            SolverChoice::Fista => d.opts.fista().path(&pb, alphas)?,
            _ => BlockCoordinateDescent(d.opts.cd()).path(&pb, alphas)?,
        };
        d.opts.enforce_path(path)
    }
}

fn path_multitask<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    alphas: &[T],
    l1_ratio: T,
) -> Result<Vec<LinearModel<T>>> {
    let (_, p, k) = tasks(x, y)?;
    opts.check_lengths(p, k)?;
    let data = Data {
        opts,
        x,
        y,
        weights,
        k,
    };
    let path = with_block(opts, l1_ratio, p, k, PathBlock(data, alphas))?;
    path.alphas
        .into_iter()
        .zip(path.solutions)
        .map(|(a, sol)| {
            let mut m = LinearModel::from_solution(sol, p, k, a)?;
            m.l1_ratio = Some(l1_ratio);
            Ok(m)
        })
        .collect()
}

fn run_block<T, X, P>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    pen: &P,
    alpha: T,
    k: usize,
) -> Result<Solution<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: BlockSeparablePenalty<T>,
{
    let pb = opts.problem(x, y, weights, pen, alpha, k);
    let warm = opts.warm_start.as_deref();
    let sol = match opts.solver {
        SolverChoice::Fista => opts.fista().solve(&pb, warm, &mut ())?,
        _ => BlockCoordinateDescent(opts.cd()).solve(&pb, warm, &mut ())?,
    };
    opts.enforce(sol)
}
