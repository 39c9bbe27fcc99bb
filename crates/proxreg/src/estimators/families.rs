//! Penalised Poisson regression (log link, with an exposure offset) and penalised Huber
//! regression (robust), on the generic-datafit engine.

use proxreg_core::datafit::{Datafit, Huber, Poisson};
use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{self, Penalty, SeparablePenalty};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{glm_alpha_max, GlmCd, Path, Solution, Solver};

use super::linear::common_setters;
use super::model::{FitReport, LinearModel, Status};
use super::options::{with_separable, Data, OnSeparable, Options, SolverChoice};

/// The data of one family fit: the estimator's data, the offset and the datafit.
struct FamilyData<'a, T, X: ?Sized, F> {
    data: Data<'a, T, X>,
    offset: Option<&'a [T]>,
    datafit: F,
}

/// The solver of the options for a generic datafit: proximal Newton (`Auto`, `ProxNewton`) or
/// coordinate descent on the curvature bound (`CoordinateDescent`, when the datafit has one).
enum FamilySolver<T> {
    Newton(proxreg_solvers::ProxNewton<T>),
    Cd(GlmCd<T>),
}

fn family_solver<T: Scalar>(opts: &Options<T>) -> FamilySolver<T> {
    if opts.solver == SolverChoice::CoordinateDescent {
        let cd = GlmCd::new().tol(opts.tol).max_iter(opts.max_iter);
        FamilySolver::Cd(match opts.kkt_tol {
            Some(k) => cd.kkt_tol(k),
            None => cd,
        })
    } else {
        FamilySolver::Newton(opts.prox_newton())
    }
}

/// One fit at `alpha` with the options' penalty.
struct FamilySolve<'a, T, X: ?Sized, F>(FamilyData<'a, T, X, F>, T);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized, F: Datafit<T>> OnSeparable<T>
    for FamilySolve<'_, T, X, F>
{
    type Out = Solution<T>;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<Solution<T>> {
        let FamilySolve(fd, alpha) = self;
        let d = fd.data;
        let pb = d
            .opts
            .problem(d.x, d.y, d.weights, pen, alpha, 1)
            .offset(fd.offset)
            .datafit(fd.datafit);
        let warm = d.opts.warm_start.as_deref();
        match family_solver(d.opts) {
            FamilySolver::Newton(s) => s.solve(&pb, warm, &mut ()),
            FamilySolver::Cd(s) => s.solve(&pb, warm, &mut ()),
        }
    }
}

/// The warm-started path on `alphas` with the options' penalty.
struct FamilyPath<'a, T, X: ?Sized, F>(FamilyData<'a, T, X, F>, &'a [T]);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized, F: Datafit<T>> OnSeparable<T>
    for FamilyPath<'_, T, X, F>
{
    type Out = Path<T>;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<Path<T>> {
        let FamilyPath(fd, alphas) = self;
        let d = fd.data;
        let pb = d
            .opts
            .problem(d.x, d.y, d.weights, pen, T::zero(), 1)
            .offset(fd.offset)
            .datafit(fd.datafit);
        match family_solver(d.opts) {
            FamilySolver::Newton(s) => s.path(&pb, alphas),
            FamilySolver::Cd(s) => s.path(&pb, alphas),
        }
    }
}

/// `alpha_max` with the options' penalty.
struct FamilyAlphaMax<'a, T, X: ?Sized, F>(FamilyData<'a, T, X, F>);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized, F: Datafit<T>> OnSeparable<T>
    for FamilyAlphaMax<'_, T, X, F>
{
    type Out = T;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<T> {
        let fd = self.0;
        let d = fd.data;
        let pb = d
            .opts
            .problem(d.x, d.y, d.weights, pen, T::zero(), 1)
            .offset(fd.offset)
            .datafit(fd.datafit);
        glm_alpha_max(&pb)
    }
}

/// The shared hyper-parameters of the family estimators.
#[derive(Debug, Clone, PartialEq)]
struct Common<T> {
    alpha: T,
    l1_ratio: T,
}

impl<T: Scalar> Common<T> {
    fn new() -> Self {
        Self {
            alpha: T::one(),
            l1_ratio: T::one(),
        }
    }

    fn options() -> Options<T> {
        Options {
            max_iter: 200,
            ..Options::default()
        }
    }

    fn check(&self, opts: &Options<T>, name: &'static str) -> Result<()> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        penalty::ElasticNet::new(self.l1_ratio)?;
        opts.check()?;
        if !matches!(
            opts.solver,
            SolverChoice::Auto | SolverChoice::ProxNewton | SolverChoice::CoordinateDescent
        ) {
            return Err(Error::Unsupported {
                what: name,
                reason: "this family is solved by proximal Newton (Auto, ProxNewton) or coordinate descent on its curvature bound (CoordinateDescent)",
            });
        }
        Ok(())
    }

    fn data<'a, X: DesignMatrix<T> + ?Sized, F>(
        &'a self,
        opts: &'a Options<T>,
        x: &'a X,
        y: &'a [T],
        weights: Option<&'a [T]>,
        offset: Option<&'a [T]>,
        datafit: F,
    ) -> Result<FamilyData<'a, T, X, F>> {
        opts.check_lengths(x.ncols(), 1)?;
        Ok(FamilyData {
            data: Data {
                opts,
                x,
                y,
                weights,
                k: 1,
            },
            offset,
            datafit,
        })
    }

    fn fit<X: DesignMatrix<T> + ?Sized, F: Datafit<T>>(
        &self,
        opts: &Options<T>,
        x: &X,
        y: &[T],
        weights: Option<&[T]>,
        offset: Option<&[T]>,
        datafit: F,
    ) -> Result<LinearModel<T>> {
        let fd = self.data(opts, x, y, weights, offset, datafit)?;
        let pen = penalty::ElasticNet::new(self.l1_ratio)?;
        let sol = with_separable(opts, pen, FamilySolve(fd, self.alpha))?;
        let sol = opts.enforce(sol)?;
        let mut model = LinearModel::from_solution(sol, x.ncols(), 1, self.alpha)?;
        model.l1_ratio = Some(self.l1_ratio);
        Ok(model)
    }

    #[allow(clippy::too_many_arguments)] // the data of a fit (x, y, weights, offset) plus the grid
    fn path<X: DesignMatrix<T> + ?Sized, F: Datafit<T>>(
        &self,
        opts: &Options<T>,
        x: &X,
        y: &[T],
        weights: Option<&[T]>,
        offset: Option<&[T]>,
        datafit: F,
        alphas: &[T],
    ) -> Result<Vec<LinearModel<T>>> {
        let fd = self.data(opts, x, y, weights, offset, datafit)?;
        let pen = penalty::ElasticNet::new(self.l1_ratio)?;
        let path = with_separable(opts, pen, FamilyPath(fd, alphas))?;
        let path = opts.enforce_path(path)?;
        path.alphas
            .into_iter()
            .zip(path.solutions)
            .map(|(a, sol)| {
                let mut model = LinearModel::from_solution(sol, x.ncols(), 1, a)?;
                model.l1_ratio = Some(self.l1_ratio);
                Ok(model)
            })
            .collect()
    }

    fn alpha_max<X: DesignMatrix<T> + ?Sized, F: Datafit<T>>(
        &self,
        opts: &Options<T>,
        x: &X,
        y: &[T],
        weights: Option<&[T]>,
        offset: Option<&[T]>,
        datafit: F,
    ) -> Result<T> {
        let fd = self.data(opts, x, y, weights, offset, datafit)?;
        with_separable(
            opts,
            penalty::ElasticNet::new(self.l1_ratio)?,
            FamilyAlphaMax(fd),
        )
    }
}

/// `η = Xw + b (+ offset)` of a fitted single-target model.
pub(super) fn linear_predictor<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    model: &LinearModel<T>,
    x: &X,
    offset: Option<&[T]>,
) -> Result<Vec<T>> {
    let mut eta = model.predict(x)?;
    if let Some(o) = offset {
        if o.len() != eta.len() {
            return Err(Error::DimensionMismatch {
                what: "offset length vs X rows",
                expected: eta.len(),
                found: o.len(),
            });
        }
        proxreg_core::error::ensure_all_finite("offset", o)?;
        eta.iter_mut().zip(o).for_each(|(e, &v)| *e += v);
    }
    Ok(eta)
}

fn check_y_len<T>(y: &[T], n: usize) -> Result<()> {
    if y.len() == n {
        Ok(())
    } else {
        Err(Error::DimensionMismatch {
            what: "y length vs X rows",
            expected: n,
            found: y.len(),
        })
    }
}

/// The model accessors shared by the family estimators.
macro_rules! model_accessors {
    () => {
        /// The coefficients (length `p`, on the original scale of the columns).
        pub fn coef(&self) -> &[T] {
            self.model.coef()
        }
        /// The intercept `b`.
        pub fn intercept(&self) -> T {
            self.model.intercept()
        }
        /// The strength α the model was fitted at.
        pub fn alpha(&self) -> T {
            self.model.alpha()
        }
        /// The mix ρ the model was fitted at.
        pub fn l1_ratio(&self) -> T {
            self.model.l1_ratio.unwrap_or_else(T::one)
        }
        /// The certificates (duality gap, KKT violation) and status of the fit.
        pub fn report(&self) -> &FitReport<T> {
            self.model.report()
        }
        /// How the solver stopped.
        pub fn status(&self) -> Status {
            self.model.status()
        }
        /// Indices of the nonzero coefficients.
        pub fn support(&self) -> Vec<usize> {
            self.model.support()
        }
        /// The underlying linear model (coefficients, intercept, report).
        pub fn into_inner(self) -> LinearModel<T> {
            self.model
        }
    };
}

/// The `alpha` / `l1_ratio` setters and the common ones.
macro_rules! family_setters {
    () => {
        /// The overall strength α.
        #[must_use]
        pub fn alpha(mut self, alpha: T) -> Self {
            self.c.alpha = alpha;
            self
        }
        /// The mix ρ ∈ [0, 1] (1 = lasso, the default; 0 = ridge `½‖w‖²`).
        #[must_use]
        pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
            self.c.l1_ratio = l1_ratio;
            self
        }
    };
}

/// A fitted penalised Poisson regression (log link): minimises
///
/// `(1/m)·Σ_i s_i·[exp(η_i) − y_i·η_i] + α·(ρ‖w‖₁ + ½(1−ρ)‖w‖²)`, `η = Xw + b + offset`,
///
/// for counts (or rates) `y_i ≥ 0`, sample weights `s_i` (`m = Σ s_i`), an optional known
/// offset (the log exposure: `η_i = x_iᵀw + b + log t_i` models the rate `E[y_i]/t_i`) and an
/// unpenalised intercept. glmnet's `family = "poisson"` (`λ = α`, `alpha = ρ`, `offset`),
/// glum's `GeneralizedLinearRegressor(family = "poisson", alpha, l1_ratio)` and scikit-learn's
/// `PoissonRegressor(alpha)` (ridge only, `alpha_sklearn = α·(1 − ρ)` with `ρ = 0`) minimise
/// the same objective (theirs is half the mean deviance: ours plus a constant). See
/// `docs/conventions.md`.
///
/// Solved by proximal Newton with a backtracking line search (the Poisson curvature is not
/// bounded, so there is no coordinate-descent step size); certified by the duality gap of the
/// conjugate `q·log q − q` relative to the null deviance, and by the KKT violation.
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(80, 3, |i, j| (((i * (j + 3)) % 7) as f64 - 3.0) / 3.0);
/// let exposure: Vec<f64> = (0..80).map(|i| 0.5 + (i % 4) as f64 / 2.0).collect();
/// let y: Vec<f64> = (0..80).map(|i| ((i * 5) % 7 / 2) as f64).collect();
/// let offset: Vec<f64> = exposure.iter().map(|t| t.ln()).collect();
/// let model = PoissonRegression::params()
///     .alpha(0.01)
///     .tol(1e-8)
///     .fit_offset(&x, &y, None, Some(&offset))?;
/// assert_eq!(model.status(), Status::Converged);
/// let rate = model.predict(&x)?; // expected count per unit exposure
/// let counts = model.predict_offset(&x, Some(&offset))?; // at each row's exposure
/// assert!(rate.iter().zip(&counts).zip(&exposure).all(|((r, c), t)| (r * t - c).abs() < 1e-9));
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PoissonRegression<T> {
    pub(crate) model: LinearModel<T>,
}

/// Poisson-regression hyper-parameters (builder), validated at fit time.
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `alpha` | 1 | overall strength α | `[0, ∞)` |
/// | `l1_ratio` | 1 | mix ρ: 1 = lasso, 0 = ridge (`½‖w‖²`) | `[0, 1]` |
/// | `fit_intercept` | true | unpenalised intercept | |
/// | `standardize` | false | penalise standardized columns | |
/// | `penalty_factors` | none | per-feature factors, 0 = unpenalised | `[0, ∞)` each |
/// | `positive` / `bounds` | none | box constraint on every coefficient | `lower <= 0 <= upper` |
/// | `warm_start` | none | initial coefficients | length p |
/// | `solver` | Auto | proximal Newton (the only solver: no curvature bound) | `Auto`, `ProxNewton` |
/// | `tol` | 1e-4 | relative duality gap (relative to the null deviance) | `(0, ∞)` |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇F(0)‖_∞` | `(0, ∞)` |
/// | `max_iter` | 200 | maximal Newton iterations | `>= 1` |
/// | `require_convergence` | false | error instead of a non-converged model | |
#[derive(Debug, Clone, PartialEq)]
pub struct PoissonRegressionParams<T> {
    c: Common<T>,
    opts: Options<T>,
}

impl<T: Scalar> PoissonRegression<T> {
    /// The builder, with the defaults of the table on [`PoissonRegressionParams`].
    pub fn params() -> PoissonRegressionParams<T> {
        PoissonRegressionParams {
            c: Common::new(),
            opts: Common::options(),
        }
    }
    model_accessors!();

    /// The linear predictor `η = Xw + b` (no offset).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for the wrong number of columns; [`Error::NonFinite`].
    pub fn decision_function<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict(x)
    }

    /// The expected counts per unit exposure, `exp(Xw + b)`.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.predict_offset(x, None)
    }

    /// The expected counts `exp(Xw + b + offset)` (offset: the rows' log exposures).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), plus an offset of the wrong length
    /// or not finite.
    pub fn predict_offset<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        offset: Option<&[T]>,
    ) -> Result<Vec<T>> {
        Ok(linear_predictor(&self.model, x, offset)?
            .into_iter()
            .map(T::exp)
            .collect())
    }

    /// The mean Poisson deviance `(2/n)·Σ_i [y_i·log(y_i/μ_i) − y_i + μ_i]` of the predictions
    /// `μ = exp(Xw + b + offset)` on `(x, y)`.
    ///
    /// # Errors
    /// As [`predict_offset`](Self::predict_offset), plus `y` of the wrong length or with a
    /// negative or non-finite count.
    pub fn deviance<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        offset: Option<&[T]>,
    ) -> Result<T> {
        let eta = linear_predictor(&self.model, x, offset)?;
        check_y_len(y, eta.len())?;
        Poisson.check_target(y)?;
        Ok(poisson_deviance(y, &eta))
    }

    /// D², the fraction of the Poisson deviance explained (scikit-learn's
    /// `PoissonRegressor.score`): `1 − D(y, μ)/D(y, ȳ)`, without offset.
    ///
    /// # Errors
    /// As [`deviance`](Self::deviance).
    pub fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        let d = self.deviance(x, y, None)?;
        let mean = y.iter().copied().sum::<T>() / T::from_count(y.len().max(1));
        let eta0 = vec![mean.ln(); y.len()];
        let d0 = poisson_deviance(y, &eta0);
        Ok(if d0 > T::zero() {
            T::one() - d / d0
        } else {
            T::zero()
        })
    }
}

/// `(2/n)·Σ_i [y_i·log(y_i/μ_i) − y_i + μ_i]`, `log μ = η`.
pub(crate) fn poisson_deviance<T: Scalar>(y: &[T], eta: &[T]) -> T {
    let two = T::lit(2.0);
    let s: T = y
        .iter()
        .zip(eta)
        .map(|(&yi, &e)| {
            let mu = e.exp();
            let t = if yi > T::zero() {
                yi * (yi.ln() - e)
            } else {
                T::zero()
            };
            t - yi + mu
        })
        .sum();
    two * s / T::from_count(y.len().max(1))
}

impl<T: Scalar> PoissonRegressionParams<T> {
    family_setters!();

    /// The parameters at `(alpha, l1_ratio)` with `opts` (the CV estimators' folds and refit).
    pub(crate) fn from_parts(alpha: T, l1_ratio: T, opts: Options<T>) -> Self {
        Self {
            c: Common { alpha, l1_ratio },
            opts,
        }
    }
    common_setters!();

    /// Fits on `(x, y)` without weights or offset.
    ///
    /// # Errors
    /// Parameters out of range ([`Error::InvalidParameter`]), shapes, NaN/inf,
    /// [`Error::InvalidTarget`] for a negative count or all counts zero, non-convergence when
    /// it is required.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<PoissonRegression<T>> {
        self.fit_offset(x, y, None, None)
    }

    /// Fits with sample weights.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<PoissonRegression<T>> {
        self.fit_offset(x, y, Some(sample_weight), None)
    }

    /// Fits with optional sample weights and an optional offset (`η = Xw + b + offset`; the
    /// log exposure).
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted), plus an offset of the wrong length or not
    /// finite.
    pub fn fit_offset<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
    ) -> Result<PoissonRegression<T>> {
        self.check()?;
        let model = self
            .c
            .fit(&self.opts, x, y, sample_weight, offset, Poisson)?;
        Ok(PoissonRegression { model })
    }

    /// `alpha_max`: the smallest α whose fit has all coefficients zero (the intercept is then
    /// the log of the weighted mean rate), with the same weights, offset, standardization,
    /// penalty factors and bounds as [`fit_offset`](Self::fit_offset).
    ///
    /// # Errors
    /// As [`fit_offset`](Self::fit_offset); [`Error::Unsupported`] for `l1_ratio = 0`.
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
    ) -> Result<T> {
        self.check()?;
        self.c
            .alpha_max(&self.opts, x, y, sample_weight, offset, Poisson)
    }

    /// The regularization path: one fit per alpha of `alphas` (decreasing from
    /// [`alpha_max`](Self::alpha_max) is the efficient order), warm-started, the data prepared
    /// once; its own `alpha` and `warm_start` are not used.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(60, 3, |i, j| (((i * (j + 3)) % 7) as f64 - 3.0) / 3.0);
    /// let y: Vec<f64> = (0..60).map(|i| ((i * 5) % 7 / 2) as f64).collect();
    /// let params = PoissonRegression::params().tol(1e-8);
    /// let amax = params.alpha_max(&x, &y, None, None)?;
    /// let alphas = proxreg::solvers::alpha_grid(amax, 5, 1e-2)?;
    /// let path = params.path(&x, &y, None, None, &alphas)?;
    /// assert!(path[0].coef().iter().all(|&w| w == 0.0));
    /// assert!(path.iter().all(|m| m.status() == Status::Converged));
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit_offset`](Self::fit_offset); [`Error::Empty`] for no alphas and
    /// [`Error::InvalidParameter`] for an alpha that is negative or not finite.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<PoissonRegression<T>>> {
        self.check()?;
        Ok(self
            .c
            .path(&self.opts, x, y, sample_weight, offset, Poisson, alphas)?
            .into_iter()
            .map(|model| PoissonRegression { model })
            .collect())
    }

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of its range;
    /// [`Error::Unsupported`] for a solver other than `Auto` / `ProxNewton`.
    pub fn check(&self) -> Result<()> {
        self.c
            .check(&self.opts, "this solver for Poisson regression")?;
        if self.opts.solver == SolverChoice::CoordinateDescent {
            return Err(Error::Unsupported {
                what: "coordinate descent for Poisson regression",
                reason: "the Poisson curvature exp(η) has no bound: use Auto (proximal Newton)",
            });
        }
        Ok(())
    }
}

/// A fitted penalised Huber regression (robust): minimises
///
/// `(1/m)·Σ_i s_i·h_δ(y_i − η_i) + α·(ρ‖w‖₁ + ½(1−ρ)‖w‖²)`, `η = Xw + b`,
///
/// with `h_δ(r) = r²/2` for `|r| ≤ δ` and `δ|r| − δ²/2` beyond: least squares on the inliers,
/// least absolute deviations on the outliers. skglm's
/// `GeneralizedLinearEstimator(Huber(delta), L1(alpha))` is the same objective.
/// scikit-learn's `HuberRegressor(epsilon, alpha)` also fits a scale σ: its solution is this
/// one with ρ = 0, `δ = epsilon·scale_` and `α = alpha_sklearn·scale_/m`
/// (`docs/conventions.md`).
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(60, 2, |i, j| ((i * (j + 2)) % 9) as f64 - 4.0);
/// let mut y: Vec<f64> = (0..60).map(|i| 0.5 * x.col(0)[i] - x.col(1)[i]).collect();
/// y[7] += 1000.0; // a gross outlier
/// let model = HuberRegression::params().delta(1.0).alpha(1e-3).tol(1e-10).fit(&x, &y)?;
/// assert_eq!(model.status(), Status::Converged);
/// assert!((model.coef()[0] - 0.5).abs() < 0.05 && (model.coef()[1] + 1.0).abs() < 0.05);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HuberRegression<T> {
    pub(crate) model: LinearModel<T>,
    delta: T,
}

/// Huber-regression hyper-parameters (builder), validated at fit time: as
/// [`PoissonRegressionParams`] plus `delta` (default 1.35, scikit-learn's `epsilon` default;
/// finite and `> 0`), and `solver` may also be `CoordinateDescent` (on the curvature bound 1).
#[derive(Debug, Clone, PartialEq)]
pub struct HuberRegressionParams<T> {
    c: Common<T>,
    opts: Options<T>,
    delta: T,
}

impl<T: Scalar> HuberRegression<T> {
    /// The builder (`delta = 1.35`, `alpha = 1`, `l1_ratio = 1`).
    pub fn params() -> HuberRegressionParams<T> {
        HuberRegressionParams {
            c: Common::new(),
            opts: Common::options(),
            delta: T::lit(1.35),
        }
    }
    model_accessors!();

    /// The threshold δ the model was fitted with.
    pub fn delta(&self) -> T {
        self.delta
    }

    /// The predictions `Xw + b`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for the wrong number of columns; [`Error::NonFinite`].
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict(x)
    }

    /// The coefficient of determination R² of the predictions (scikit-learn's
    /// `HuberRegressor.score`).
    ///
    /// # Errors
    /// As [`predict`](Self::predict), plus `y` of the wrong length.
    pub fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        self.model.score(x, y)
    }

    /// The outliers of `(x, y)`: the rows whose residual exceeds δ in absolute value.
    ///
    /// # Errors
    /// As [`score`](Self::score).
    pub fn outliers<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<Vec<bool>> {
        let pred = self.predict(x)?;
        check_y_len(y, pred.len())?;
        Ok(pred
            .iter()
            .zip(y)
            .map(|(&p, &v)| (v - p).abs() > self.delta)
            .collect())
    }
}

impl<T: Scalar> HuberRegressionParams<T> {
    family_setters!();

    /// The parameters at `(alpha, l1_ratio)` with `opts` and `delta`.
    pub(crate) fn from_parts(alpha: T, l1_ratio: T, opts: Options<T>, delta: T) -> Self {
        Self {
            c: Common { alpha, l1_ratio },
            opts,
            delta,
        }
    }
    common_setters!();

    /// The threshold δ > 0 between the quadratic and the linear part of the loss.
    #[must_use]
    pub fn delta(mut self, delta: T) -> Self {
        self.delta = delta;
        self
    }

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of range (`delta` included);
    /// [`Error::Unsupported`] for a solver other than `Auto`, `ProxNewton`,
    /// `CoordinateDescent`.
    pub fn check(&self) -> Result<Huber<T>> {
        let h = Huber::new(self.delta)?;
        self.c
            .check(&self.opts, "this solver for Huber regression")?;
        Ok(h)
    }

    /// Fits on `(x, y)`.
    ///
    /// # Errors
    /// Parameters out of range, shapes, NaN/inf, non-convergence when it is required.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<HuberRegression<T>> {
        self.fit_inner(x, y, None)
    }

    /// Fits with sample weights.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<HuberRegression<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<HuberRegression<T>> {
        let h = self.check()?;
        let model = self.c.fit(&self.opts, x, y, w, None, h)?;
        Ok(HuberRegression {
            model,
            delta: self.delta,
        })
    }

    /// `alpha_max`: the smallest α whose fit has all coefficients zero (the intercept is then
    /// the weighted Huber location of `y`).
    ///
    /// # Errors
    /// As [`fit`](Self::fit); [`Error::Unsupported`] for `l1_ratio = 0`.
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        let h = self.check()?;
        self.c.alpha_max(&self.opts, x, y, sample_weight, None, h)
    }

    /// The warm-started regularization path on `alphas` (as
    /// [`PoissonRegressionParams::path`]).
    ///
    /// # Errors
    /// As [`fit`](Self::fit); [`Error::Empty`] for no alphas and [`Error::InvalidParameter`]
    /// for an alpha that is negative or not finite.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<HuberRegression<T>>> {
        let h = self.check()?;
        Ok(self
            .c
            .path(&self.opts, x, y, sample_weight, None, h, alphas)?
            .into_iter()
            .map(|model| HuberRegression {
                model,
                delta: self.delta,
            })
            .collect())
    }
}
