//! Lasso, Elastic Net and Ridge.

use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{self, SquaredL2};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{RidgeDirect, RidgeMethod};

use super::model::LinearModel;
use super::options::{
    separable_path, solve_separable, with_separable, AlphaMax, Data, Options, SolverChoice,
};

/// Setters shared by every estimator's params (each documented in the params' table).
macro_rules! common_setters {
    () => {
        /// Fit an unpenalised intercept (default `true`), by centering.
        #[must_use]
        pub fn fit_intercept(mut self, yes: bool) -> Self {
            self.opts.fit_intercept = yes;
            self
        }
        /// Standardize the columns before penalising (default `false`); coefficients are always
        /// reported on the original scale.
        #[must_use]
        pub fn standardize(mut self, yes: bool) -> Self {
            self.opts.standardize = yes;
            self
        }
        /// Per-feature penalty factors `c_j >= 0` (0 = unpenalised), as glmnet's
        /// `penalty.factor` but not rescaled.
        #[must_use]
        pub fn penalty_factors(mut self, factors: Vec<T>) -> Self {
            self.opts.penalty_factors = Some(factors);
            self
        }
        /// Constrain the coefficients to be `>= 0`.
        #[must_use]
        pub fn positive(mut self, yes: bool) -> Self {
            self.opts.positive = yes;
            self
        }
        /// Constrain every coefficient to `[lower, upper]` (`lower <= 0 <= upper`).
        #[must_use]
        pub fn bounds(mut self, lower: T, upper: T) -> Self {
            self.opts.bounds = Some((lower, upper));
            self
        }
        /// Start from these coefficients (original scale), e.g. a previous fit's.
        #[must_use]
        pub fn warm_start(mut self, coef: Vec<T>) -> Self {
            self.opts.warm_start = Some(coef);
            self
        }
        /// The algorithm.
        #[must_use]
        pub fn solver(mut self, solver: SolverChoice) -> Self {
            self.opts.solver = solver;
            self
        }
        /// The tolerance on the relative duality gap (default `1e-4`).
        #[must_use]
        pub fn tol(mut self, tol: T) -> Self {
            self.opts.tol = tol;
            self
        }
        /// The tolerance on the KKT violation relative to `‖∇f(0)‖_∞` (default: `tol`); the
        /// iterative solvers stop when both are met (`docs/conventions.md`, stopping rule).
        #[must_use]
        pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
            self.opts.kkt_tol = Some(kkt_tol);
            self
        }
        /// `kkt_tol` as an option (`None`: `tol`), for the refits of the CV estimators.
        #[must_use]
        #[allow(dead_code)] // not every estimator is refitted by a CV estimator
        pub(crate) fn kkt_tol_opt(mut self, kkt_tol: Option<T>) -> Self {
            self.opts.kkt_tol = kkt_tol;
            self
        }
        /// The maximal number of iterations (epochs / steps; default `10_000`).
        #[must_use]
        pub fn max_iter(mut self, max_iter: usize) -> Self {
            self.opts.max_iter = max_iter;
            self
        }
        /// Return [`Error::NotConverged`](crate::Error::NotConverged) instead of a model whose status says so.
        #[must_use]
        pub fn require_convergence(mut self, yes: bool) -> Self {
            self.opts.require_convergence = yes;
            self
        }
    };
}
pub(crate) use common_setters;

macro_rules! fitted_model {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name<T>(pub(crate) LinearModel<T>);

        impl<T> ::core::ops::Deref for $name<T> {
            type Target = LinearModel<T>;
            fn deref(&self) -> &LinearModel<T> {
                &self.0
            }
        }

        impl<T> $name<T> {
            /// The underlying [`LinearModel`].
            pub fn into_inner(self) -> LinearModel<T> {
                self.0
            }
        }

        impl<T> From<$name<T>> for LinearModel<T> {
            fn from(m: $name<T>) -> LinearModel<T> {
                m.0
            }
        }
    };
}
pub(crate) use fitted_model;

// ---------------------------------------------------------------------------------------------
// Elastic Net
// ---------------------------------------------------------------------------------------------

fitted_model!(
    /// A fitted Elastic Net: minimises
    /// `(1/(2n))‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1−ρ)‖w‖²` (scikit-learn's convention;
    /// `(1/(2Σs)) Σ s_i r_i²` with sample weights).
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(30, 3, |i, j| ((i * (j + 2)) % 7) as f64);
    /// let y: Vec<f64> = (0..30).map(|i| (i % 7) as f64 + 1.0).collect();
    /// let model = ElasticNet::params().alpha(0.1).l1_ratio(0.5).fit(&x, &y)?;
    /// assert_eq!(model.status(), Status::Converged);
    /// let yhat = model.predict(&x)?;
    /// assert_eq!(yhat.len(), 30);
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    ElasticNet
);

/// Unchecked Elastic Net hyper-parameters (builder); [`ElasticNetParams::check`] validates.
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `alpha` | 1 | overall strength α | `[0, ∞)` |
/// | `l1_ratio` | 0.5 | mix ρ between ℓ1 and squared ℓ2 | `[0, 1]` |
/// | `fit_intercept` | true | unpenalised intercept | |
/// | `standardize` | false | penalise standardized columns | |
/// | `penalty_factors` | none | per-feature factors, 0 = unpenalised | `[0, ∞)` each |
/// | `positive` / `bounds` | none | box constraint on every coefficient | `lower <= 0 <= upper` |
/// | `warm_start` | none | initial coefficients | length p |
/// | `solver` | Auto | coordinate descent or FISTA | |
/// | `tol` | 1e-4 | relative duality gap to reach | `(0, ∞)` |
/// | `max_iter` | 10000 | maximal epochs / steps | `>= 1` |
/// | `require_convergence` | false | error instead of a non-converged model | |
///
/// # Errors
/// [`Error::InvalidParameter`] names the parameter out of range (NaN included);
/// [`Error::DimensionMismatch`] for factors or warm starts of the wrong length at fit time.
#[derive(Debug, Clone, PartialEq)]
pub struct ElasticNetParams<T> {
    alpha: T,
    l1_ratio: T,
    opts: Options<T>,
}

/// Validated Elastic Net hyper-parameters: fit many times without re-checking.
#[derive(Debug, Clone, PartialEq)]
pub struct ElasticNetValidParams<T>(ElasticNetParams<T>);

impl<T: Scalar> ElasticNet<T> {
    /// The builder, with the defaults of the table on [`ElasticNetParams`].
    pub fn params() -> ElasticNetParams<T> {
        ElasticNetParams {
            alpha: T::one(),
            l1_ratio: T::lit(0.5),
            opts: Options::default(),
        }
    }

    /// The ℓ1 ratio ρ it was fitted with.
    pub fn l1_ratio(&self) -> T {
        self.0.l1_ratio.unwrap_or_else(T::one)
    }
}

impl<T: Scalar> ElasticNetParams<T> {
    /// The overall strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// The mix ρ ∈ [0, 1] (1 = Lasso, 0 = Ridge with `alpha_ridge = n·α`).
    #[must_use]
    pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
        self.l1_ratio = l1_ratio;
        self
    }
    common_setters!();

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of its range.
    pub fn check(self) -> Result<ElasticNetValidParams<T>> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        penalty::ElasticNet::new(self.l1_ratio)?;
        self.opts.check()?;
        Ok(ElasticNetValidParams(self))
    }

    /// `alpha_max` on `(x, y)` (optionally with sample weights): the smallest `alpha` whose fit
    /// is all zeros, `max_j |x̃_jᵀỹ| / (m·ρ·f_j)` from the same centering, standardization,
    /// weights, penalty factors and bounds as [`fit`](Self::fit) — the top of the CV
    /// estimators' and the CLI's automatic grids. A fit at it, or below it by rounding only
    /// (another library's value of it, say), returns exact zeros.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(30, 3, |i, j| (((i + 1) * (j + 2)) % 7) as f64);
    /// let y: Vec<f64> = (0..30).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i]).collect();
    /// let params = ElasticNet::params().l1_ratio(0.5);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let zero = params.clone().alpha(amax).tol(1e-16).fit(&x, &y)?;
    /// assert!(zero.coef().iter().all(|&w| w == 0.0));
    /// let below = params.alpha(0.9 * amax).fit(&x, &y)?;
    /// assert!(below.coef().iter().any(|&w| w != 0.0));
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit`](Self::fit) for the data; [`Error::Unsupported`] for `l1_ratio = 0`.
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        let v = self.clone().check()?;
        let data = Data {
            opts: &v.0.opts,
            x,
            y,
            weights: sample_weight,
            k: 1,
        };
        with_separable(
            &v.0.opts,
            penalty::ElasticNet::new(v.0.l1_ratio)?,
            AlphaMax(data),
        )
    }

    /// The regularization path: one fit per alpha of `alphas`, in the order given (decreasing
    /// from [`alpha_max`](Self::alpha_max) is the efficient order), each warm-started from the
    /// previous one and the data prepared once, with the solver, options and sample weights of
    /// [`fit_weighted`](Self::fit_weighted); its own `alpha` and `warm_start` are not used (the
    /// path starts from zero). Every point carries its certificates.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(30, 3, |i, j| (((i + 1) * (j + 2)) % 7) as f64);
    /// let y: Vec<f64> = (0..30).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i]).collect();
    /// let params = ElasticNet::params().l1_ratio(0.5).tol(1e-8);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let alphas = proxreg::solvers::alpha_grid(amax, 5, 1e-2)?;
    /// let path = params.path(&x, &y, None, &alphas)?;
    /// assert_eq!(path.len(), 5);
    /// assert!(path[0].coef().iter().all(|&w| w == 0.0));
    /// assert!(path.iter().all(|m| m.status() == Status::Converged));
    /// assert_eq!(path[4].alpha(), alphas[4]);
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
    ) -> Result<Vec<ElasticNet<T>>> {
        let v = self.clone().check()?;
        let p = &v.0;
        let pen = penalty::ElasticNet::new(p.l1_ratio)?;
        let path = separable_path(&p.opts, x, y, sample_weight, pen, alphas)?;
        path.alphas
            .into_iter()
            .zip(path.solutions)
            .map(|(a, sol)| {
                let mut model = LinearModel::from_solution(sol, x.ncols(), 1, a)?;
                model.l1_ratio = Some(p.l1_ratio);
                Ok(ElasticNet(model))
            })
            .collect()
    }

    /// Validates, then fits.
    ///
    /// # Errors
    /// As [`ElasticNetParams::check`] and [`ElasticNetValidParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<ElasticNet<T>> {
        self.clone().check()?.fit(x, y)
    }

    /// Validates, then fits with sample weights.
    ///
    /// # Errors
    /// As [`ElasticNetParams::fit`], plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<ElasticNet<T>> {
        self.clone().check()?.fit_weighted(x, y, sample_weight)
    }
}

impl<T: Scalar> ElasticNetValidParams<T> {
    /// Fits on `(x, y)`.
    ///
    /// # Errors
    /// Shapes, NaN/inf in the data, and non-convergence when it is required.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<ElasticNet<T>> {
        self.fit_inner(x, y, None)
    }

    /// Fits with sample weights `s_i >= 0` (objective `(1/(2Σs)) Σ s_i r_i² + penalty`).
    ///
    /// # Errors
    /// As [`ElasticNetValidParams::fit`], plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<ElasticNet<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<ElasticNet<T>> {
        let p = &self.0;
        let pen = penalty::ElasticNet::new(p.l1_ratio)?;
        let sol = solve_separable(&p.opts, x, y, w, pen, p.alpha)?;
        let mut model = LinearModel::from_solution(sol, x.ncols(), 1, p.alpha)?;
        model.l1_ratio = Some(p.l1_ratio);
        Ok(ElasticNet(model))
    }
}

// ---------------------------------------------------------------------------------------------
// Lasso
// ---------------------------------------------------------------------------------------------

fitted_model!(
    /// A fitted Lasso: minimises `(1/(2n))‖y − Xw − b‖² + α‖w‖₁` (scikit-learn's convention).
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 1) * (j + 3)) % 11) as f64);
    /// let y: Vec<f64> = (0..40).map(|i| x.col(0)[i] * 2.0 - x.col(3)[i]).collect();
    /// let model = Lasso::params().alpha(0.05).tol(1e-8).fit(&x, &y)?;
    /// assert!(model.duality_gap().unwrap() >= 0.0);
    /// assert!(model.support().contains(&0));
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    Lasso
);

/// Unchecked Lasso hyper-parameters: the table of [`ElasticNetParams`] without `l1_ratio`.
#[derive(Debug, Clone, PartialEq)]
pub struct LassoParams<T> {
    alpha: T,
    opts: Options<T>,
}

/// Validated Lasso hyper-parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct LassoValidParams<T>(ElasticNetValidParams<T>);

impl<T: Scalar> Lasso<T> {
    /// The builder (`alpha = 1`, intercept on, `tol = 1e-4`).
    pub fn params() -> LassoParams<T> {
        LassoParams {
            alpha: T::one(),
            opts: Options::default(),
        }
    }
}

impl<T: Scalar> LassoParams<T> {
    /// The params with these options (for the estimators built on the Lasso).
    pub(crate) fn with_options(alpha: T, opts: Options<T>) -> Self {
        Self { alpha, opts }
    }

    /// The strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    common_setters!();

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of its range.
    pub fn check(self) -> Result<LassoValidParams<T>> {
        let en = ElasticNetParams {
            alpha: self.alpha,
            l1_ratio: T::one(),
            opts: self.opts,
        };
        Ok(LassoValidParams(en.check()?))
    }

    /// `alpha_max` on `(x, y)`: [`ElasticNetParams::alpha_max`] with `l1_ratio = 1`.
    ///
    /// # Errors
    /// As [`ElasticNetParams::alpha_max`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        ElasticNetParams {
            alpha: self.alpha,
            l1_ratio: T::one(),
            opts: self.opts.clone(),
        }
        .alpha_max(x, y, sample_weight)
    }

    /// The regularization path: [`ElasticNetParams::path`] with `l1_ratio = 1`.
    ///
    /// # Errors
    /// As [`ElasticNetParams::path`].
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<Lasso<T>>> {
        let en = ElasticNetParams {
            alpha: self.alpha,
            l1_ratio: T::one(),
            opts: self.opts.clone(),
        };
        Ok(en
            .path(x, y, sample_weight, alphas)?
            .into_iter()
            .map(|m| Lasso(m.0))
            .collect())
    }

    /// Validates, then fits.
    ///
    /// # Errors
    /// As [`ElasticNetValidParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<Lasso<T>> {
        self.clone().check()?.fit(x, y)
    }

    /// Validates, then fits with sample weights.
    ///
    /// # Errors
    /// As [`ElasticNetValidParams::fit_weighted`].
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<Lasso<T>> {
        self.clone().check()?.fit_weighted(x, y, sample_weight)
    }
}

impl<T: Scalar> LassoValidParams<T> {
    /// Fits on `(x, y)`.
    ///
    /// # Errors
    /// As [`ElasticNetValidParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<Lasso<T>> {
        Ok(Lasso(self.0.fit(x, y)?.0))
    }

    /// Fits with sample weights.
    ///
    /// # Errors
    /// As [`ElasticNetValidParams::fit_weighted`].
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<Lasso<T>> {
        Ok(Lasso(self.0.fit_weighted(x, y, sample_weight)?.0))
    }
}

// ---------------------------------------------------------------------------------------------
// Ridge
// ---------------------------------------------------------------------------------------------

fitted_model!(
    /// A fitted Ridge: minimises `‖y − Xw − b‖² + α‖w‖²` (scikit-learn's `Ridge`; with sample
    /// weights `Σ s_i r_i² + α‖w‖²`). This equals `ElasticNet(alpha = α/n, l1_ratio = 0)`.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(20, 3, |i, j| ((i * 5 + j * 3) % 7) as f64);
    /// let y: Vec<f64> = (0..20).map(|i| (i % 4) as f64).collect();
    /// let model = Ridge::params().alpha(1.0).fit(&x, &y)?;
    /// assert!(model.condition_number().is_none()); // Cholesky route; ask for it with .condition_number(true)
    /// assert!(model.kkt_violation() < 1e-10);
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    Ridge
);

/// Unchecked Ridge hyper-parameters: `alpha` (default 1, `[0, ∞)`, scikit-learn's convention),
/// `condition_number` (default false: also report κ of the regularised system), and the table of
/// [`ElasticNetParams`] (solver: `Auto`/`Cholesky`/`Svd` direct, or iterative `CoordinateDescent`
/// / `Fista`; penalty factors and bounds need an iterative solver, which `Auto` then picks).
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeParams<T> {
    alpha: T,
    condition_number: bool,
    opts: Options<T>,
}

/// Validated Ridge hyper-parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeValidParams<T>(RidgeParams<T>);

impl<T: Scalar> Ridge<T> {
    /// The builder.
    pub fn params() -> RidgeParams<T> {
        RidgeParams {
            alpha: T::one(),
            condition_number: false,
            opts: Options::default(),
        }
    }

    /// Condition number of the regularised system, when it was computed.
    pub fn condition_number(&self) -> Option<T> {
        self.0.condition_number
    }
}

impl<T: Scalar> RidgeParams<T> {
    /// The strength α (scikit-learn's `Ridge` convention).
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// Also compute the condition number of `XᵀX + αI` (always computed by the SVD solver).
    #[must_use]
    pub fn condition_number(mut self, yes: bool) -> Self {
        self.condition_number = yes;
        self
    }
    common_setters!();

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of its range.
    pub fn check(self) -> Result<RidgeValidParams<T>> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        self.opts.check()?;
        Ok(RidgeValidParams(self))
    }

    /// The automatic alpha grid for these data: `n_alphas` values log-spaced (decreasing) from
    /// `100·σ_max²` down to `max(σ_min², 10⁻⁶σ_max²)/100` over the singular values `σ` of the
    /// design as [`fit_weighted`](Self::fit_weighted) prepares it (centered with an intercept,
    /// standardized with `standardize`, rows scaled by `√s_i` with sample weights), so that it
    /// spans the effective degrees of freedom from almost 0 to almost `rank(X)`
    /// ([`proxreg_cv::ridge_grid`]). Without weights or standardization it is [`RidgeCv`]'s
    /// automatic grid.
    ///
    /// [`RidgeCv`]: crate::RidgeCv
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 2) * (j + 3)) % 11) as f64);
    /// let y: Vec<f64> = (0..40).map(|i| x.col(0)[i] - 0.5 * x.col(3)[i]).collect();
    /// let grid = Ridge::params().alpha_grid(&x, &y, None, 20)?;
    /// let cv = RidgeCv::params().n_alphas(20).fit(&x, &y)?;
    /// assert_eq!(grid, cv.alphas());
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted) for the data; [`Error::InvalidParameter`] for
    /// `n_alphas = 0`; [`Error::Numerical`] for a design without a positive singular value.
    pub fn alpha_grid<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        n_alphas: usize,
    ) -> Result<Vec<T>> {
        let v = self.clone().check()?;
        let pb =
            v.0.opts
                .problem(x, y, sample_weight, &SquaredL2, T::zero(), 1);
        proxreg_cv::ridge_grid(&pb, n_alphas)
    }

    /// The path over `alphas` (scikit-learn's `Ridge` convention, in the order given): with a
    /// direct solver each alpha is solved exactly (no warm start helps); with an iterative one
    /// (penalty factors, bounds, or [`SolverChoice::CoordinateDescent`] / [`SolverChoice::Fista`])
    /// as a warm-started path, the data prepared once. Its own `alpha` and `warm_start` are not
    /// used.
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted); [`Error::Empty`] for no alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<Ridge<T>>> {
        let v = self.clone().check()?;
        if alphas.is_empty() {
            return Err(Error::Empty { what: "alphas" });
        }
        let p = &v.0;
        if p.direct().is_some() {
            return alphas
                .iter()
                .map(|&a| {
                    let mut one = p.clone();
                    one.alpha = a;
                    RidgeValidParams(one).fit_inner(x, y, sample_weight)
                })
                .collect();
        }
        for &a in alphas {
            ensure_nonneg_finite("alphas", a)?;
        }
        let m = ridge_normalizer(x, sample_weight);
        let engine: Vec<T> = alphas.iter().map(|&a| engine_alpha(a, m)).collect();
        let opts = p.iterative_opts();
        let path = separable_path(&opts, x, y, sample_weight, SquaredL2, &engine)?;
        alphas
            .iter()
            .zip(path.solutions)
            .map(|(&a, sol)| Ok(Ridge(LinearModel::from_solution(sol, x.ncols(), 1, a)?)))
            .collect()
    }

    /// Validates, then fits.
    ///
    /// # Errors
    /// As [`RidgeValidParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<Ridge<T>> {
        self.clone().check()?.fit(x, y)
    }

    /// Validates, then fits with sample weights.
    ///
    /// # Errors
    /// As [`RidgeValidParams::fit`], plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<Ridge<T>> {
        self.clone().check()?.fit_weighted(x, y, sample_weight)
    }
}

impl<T: Scalar> RidgeValidParams<T> {
    /// Fits on `(x, y)`.
    ///
    /// # Errors
    /// Shapes, NaN/inf, a singular system at `alpha = 0` on the Cholesky route.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<Ridge<T>> {
        self.fit_inner(x, y, None)
    }

    /// Fits with sample weights (objective `Σ s_i r_i² + α‖w‖²`).
    ///
    /// # Errors
    /// As [`RidgeValidParams::fit`], plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<Ridge<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<Ridge<T>> {
        let p = &self.0;
        let engine_alpha = engine_alpha(p.alpha, ridge_normalizer(x, w));
        let constrained = p.constrained();
        let (sol, cond) = match p.direct() {
            Some(method) => {
                if constrained {
                    return Err(Error::Unsupported {
                        what: "direct ridge solver",
                        reason: "penalty factors and bounds need CoordinateDescent or Fista",
                    });
                }
                p.opts.check_lengths(x.ncols(), 1)?;
                let pb = p.opts.problem(x, y, w, &SquaredL2, engine_alpha, 1);
                let r = RidgeDirect::new()
                    .method(method)
                    .condition_number(p.condition_number)
                    .solve(&pb)?;
                (r.solution, r.condition_number)
            }
            None => (
                solve_separable(&p.iterative_opts(), x, y, w, SquaredL2, engine_alpha)?,
                None,
            ),
        };
        let mut model = LinearModel::from_solution(sol, x.ncols(), 1, p.alpha)?;
        model.condition_number = cond;
        Ok(Ridge(model))
    }
}

/// The normaliser `m` of the engine's objective: `n`, or `Σ s_i` with sample weights.
fn ridge_normalizer<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X, w: Option<&[T]>) -> T {
    match w {
        Some(s) => s.iter().copied().sum::<T>(),
        None => T::from_count(x.nrows()),
    }
}

/// The engine's convention is `(1/(2m))‖r‖² + (a/2)‖w‖²`; scikit-learn's Ridge is
/// `‖r‖² + α‖w‖²`, i.e. `a = α/m`.
fn engine_alpha<T: Scalar>(alpha: T, m: T) -> T {
    if m > T::zero() {
        alpha / m
    } else {
        alpha
    }
}

impl<T: Scalar> RidgeParams<T> {
    /// Penalty factors or a box: only the iterative solvers take them.
    fn constrained(&self) -> bool {
        self.opts.penalty_factors.is_some() || self.opts.effective_bounds().is_some()
    }

    /// The direct method the options choose, if any.
    fn direct(&self) -> Option<RidgeMethod> {
        match self.opts.solver {
            SolverChoice::Auto if !self.constrained() => Some(RidgeMethod::Auto),
            SolverChoice::Cholesky => Some(RidgeMethod::Cholesky),
            SolverChoice::Svd => Some(RidgeMethod::Svd),
            _ => None,
        }
    }

    /// The options of the iterative route (`Auto` is coordinate descent).
    fn iterative_opts(&self) -> Options<T> {
        let mut opts = self.opts.clone();
        if opts.solver == SolverChoice::Auto {
            opts.solver = SolverChoice::CoordinateDescent;
        }
        opts
    }
}
