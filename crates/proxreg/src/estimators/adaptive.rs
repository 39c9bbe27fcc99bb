//! The adaptive lasso (Zou 2006): a Lasso whose penalty factors `1/(|w_init_j| + ε)^ν` come
//! from a first fit.

use proxreg_core::error::{ensure_all_finite, ensure_nonneg_finite};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, DesignMatrix};

use super::linear::{common_setters, Lasso, LassoParams, Ridge};
use super::lstsq::{column, least_squares};
use super::model::{FitReport, LinearModel, Status};
use super::options::{Options, SolverChoice};

/// Where the adaptive lasso's initial coefficients `w_init` come from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AdaptiveInit<T> {
    /// A [`Ridge`] fit with this `alpha` (scikit-learn's `Ridge` convention
    /// `‖y − Xw − b‖² + α‖w‖²`), with the estimator's intercept, standardization and sample
    /// weights. The default, with `alpha = 1`: it exists for any shape (`p > n` included).
    Ridge(T),
    /// Ordinary least squares (with the estimator's intercept and sample weights), the
    /// classical choice (Zou 2006); needs `n > p` (more rows than features).
    Ols,
    /// User-given coefficients (one per feature, finite), e.g. from another estimator. Used as
    /// given, also in every fold of [`AdaptiveLassoCv`](crate::AdaptiveLassoCv).
    Given(Vec<T>),
}

impl<T: Scalar> Default for AdaptiveInit<T> {
    fn default() -> Self {
        Self::Ridge(T::one())
    }
}

impl<T: Scalar> AdaptiveInit<T> {
    /// Checks what does not depend on the data (NaN-safe).
    pub(crate) fn check(&self) -> Result<()> {
        match self {
            Self::Ridge(a) => ensure_nonneg_finite("init ridge alpha", *a).map(|_| ()),
            Self::Ols => Ok(()),
            Self::Given(v) => {
                if v.is_empty() {
                    return Err(Error::Empty {
                        what: "initial coefficients",
                    });
                }
                ensure_all_finite("initial coefficients", v)
            }
        }
    }
}

/// Checks the adaptive exponent `ν > 0` and offset `ε >= 0` (NaN-safe).
pub(crate) fn check_adaptive<T: Scalar>(nu: T, init_eps: T) -> Result<()> {
    if !(nu > T::zero() && nu.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "nu",
            value: nu.as_f64(),
            expected: "(0, ∞), finite, not NaN",
        });
    }
    ensure_nonneg_finite("init_eps", init_eps)?;
    Ok(())
}

/// The adaptive weighting of a problem: the initial coefficients, the penalty factors, the
/// features kept (finite factor) and, when some are excluded, the kept columns copied.
struct Weighting<T> {
    init: Vec<T>,
    factors: Vec<T>,
    kept: Vec<usize>,
    sub: Option<ColMajor<T>>,
}

/// A fitted adaptive lasso: the Lasso
///
/// `(1/(2n))‖y − Xw − b‖² + α Σ_j f_j |w_j|`, `f_j = c_j / (|w_init_j| + ε)^ν`
///
/// (`c_j` the user's penalty factors, 1 by default; `(1/(2Σs)) Σ s_i r_i²` with sample
/// weights). A feature whose factor is infinite (`w_init_j = 0` with `ε = 0`, or a power
/// that overflows) is **excluded**: its coefficient is 0 and the Lasso is solved on the other
/// columns (an unpenalised feature, `c_j = 0`, stays unpenalised: `0·∞ = 0` here).
///
/// It dereferences to the fitted [`LinearModel`] (one coefficient per feature), whose report
/// is the certificate of the weighted Lasso on the kept features (duality gap, KKT violation);
/// the excluded features satisfy their optimality condition exactly (an infinite factor).
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{AdaptiveInit, AdaptiveLasso};
/// let x = ColMajor::from_fn(50, 5, |i, j| (((i + 1) * (j + 3)) % 11) as f64);
/// let y: Vec<f64> = (0..50).map(|i| 2.0 * x.col(0)[i] - x.col(3)[i] + 0.1 * (i % 3) as f64).collect();
/// let fit = AdaptiveLasso::params().alpha(0.01).init(AdaptiveInit::Ols).tol(1e-10).fit(&x, &y)?;
/// assert!(fit.support().contains(&0) && fit.support().contains(&3));
/// // ν = 1, ε = 0: the factor is 1/|w̃_j| (a strong initial coefficient, a light penalty)
/// assert!((fit.factors()[0] - 1.0 / fit.init_coef()[0].abs()).abs() < 1e-12);
/// assert!(fit.duality_gap().unwrap() <= 1e-8);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptiveLasso<T> {
    model: LinearModel<T>,
    init: Vec<T>,
    factors: Vec<T>,
    excluded: Vec<usize>,
}

impl<T> core::ops::Deref for AdaptiveLasso<T> {
    type Target = LinearModel<T>;
    fn deref(&self) -> &LinearModel<T> {
        &self.model
    }
}

impl<T: Scalar> AdaptiveLasso<T> {
    /// The builder, with the defaults of [`AdaptiveLassoParams`].
    pub fn params() -> AdaptiveLassoParams<T> {
        AdaptiveLassoParams {
            alpha: T::one(),
            nu: T::one(),
            init_eps: T::zero(),
            init: AdaptiveInit::default(),
            opts: Options::default(),
        }
    }
    /// The initial coefficients the factors come from.
    pub fn init_coef(&self) -> &[T] {
        &self.init
    }
    /// The penalty factors `f_j` used (`+∞` for an excluded feature).
    pub fn factors(&self) -> &[T] {
        &self.factors
    }
    /// The excluded features (infinite factor), increasing.
    pub fn excluded(&self) -> &[usize] {
        &self.excluded
    }
    /// The fitted model, by value.
    pub fn into_inner(self) -> LinearModel<T> {
        self.model
    }
}

/// Unchecked adaptive lasso hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `alpha` | 1 | the Lasso's strength α | `[0, ∞)` |
/// | `nu` | 1 | the exponent ν of the factors `1/(|w_init| + ε)^ν` | `(0, ∞)` |
/// | `init_eps` | 0 | the offset ε (0: a zero initial coefficient excludes its feature) | `[0, ∞)` |
/// | `init` | `Ridge(1)` | the first fit: ridge, OLS (`n > p`) or given coefficients | see [`AdaptiveInit`] |
/// | `penalty_factors` | none | user factors `c_j`, multiplied with the adaptive ones | `[0, ∞)` each |
/// | `standardize` | false | standardize the columns of the **ridge start** (not scale-invariant); the weighted Lasso is not standardized: with `ε = 0` and `ν = 1` its penalty `Σ|w_j|/|w̃_j|` is already invariant to column scaling | |
/// | others | as [`Lasso`] | `fit_intercept`, `positive`, `bounds`, `warm_start`, `solver`, `tol`, `kkt_tol`, `max_iter`, `require_convergence` | |
///
/// # Errors
/// [`Error::InvalidParameter`] names the parameter out of range (NaN included);
/// [`Error::DimensionMismatch`] for initial coefficients of the wrong length at fit time;
/// [`Error::Unsupported`] for the OLS start with `n <= p`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptiveLassoParams<T> {
    alpha: T,
    nu: T,
    init_eps: T,
    init: AdaptiveInit<T>,
    opts: Options<T>,
}

impl<T: Scalar> AdaptiveLassoParams<T> {
    /// The Lasso's strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// The exponent ν > 0 (default 1).
    #[must_use]
    pub fn nu(mut self, nu: T) -> Self {
        self.nu = nu;
        self
    }
    /// The offset ε >= 0 of `1/(|w_init_j| + ε)^ν` (default 0).
    #[must_use]
    pub fn init_eps(mut self, init_eps: T) -> Self {
        self.init_eps = init_eps;
        self
    }
    /// The first fit (default [`AdaptiveInit::Ridge`] with `alpha = 1`).
    #[must_use]
    pub fn init(mut self, init: AdaptiveInit<T>) -> Self {
        self.init = init;
        self
    }
    common_setters!();

    /// Validates every parameter that does not depend on the data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] for the first bad parameter.
    pub fn check(&self) -> Result<()> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        check_adaptive(self.nu, self.init_eps)?;
        self.init.check()?;
        self.opts.check()
    }

    /// The Lasso on the kept features with their factors.
    fn lasso(&self, alpha: T, w: &Weighting<T>) -> LassoParams<T> {
        let mut opts = self.opts.clone();
        // The factors already put every feature on the scale of its initial coefficient:
        // `standardize` is the ridge start's only.
        opts.standardize = false;
        opts.penalty_factors = Some(w.kept.iter().map(|&j| w.factors[j]).collect());
        opts.warm_start = opts.warm_start.map(|ws| {
            w.kept
                .iter()
                .map(|&j| ws.get(j).copied().unwrap_or_else(T::zero))
                .collect()
        });
        LassoParams::with_options(alpha, opts)
    }

    /// The initial coefficients on `(x, y)`.
    fn initial<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<Vec<T>> {
        let p = x.ncols();
        match &self.init {
            AdaptiveInit::Ridge(a) => {
                let ridge = Ridge::params()
                    .alpha(*a)
                    .fit_intercept(self.opts.fit_intercept)
                    .standardize(self.opts.standardize);
                let m = match w {
                    Some(s) => ridge.fit_weighted(x, y, s)?,
                    None => ridge.fit(x, y)?,
                };
                Ok(m.coef().to_vec())
            }
            AdaptiveInit::Ols => {
                if x.nrows() <= p {
                    return Err(Error::Unsupported {
                        what: "the OLS initial fit of the adaptive lasso",
                        reason: "it needs more rows than features (n > p); use AdaptiveInit::Ridge",
                    });
                }
                // Validates the data as a fit does (shapes, NaN, weights).
                Lasso::params()
                    .fit_intercept(self.opts.fit_intercept)
                    .alpha_max(x, y, w)?;
                let cols: Vec<usize> = (0..p).collect();
                Ok(least_squares(x, y, w, &cols, self.opts.fit_intercept)?.coef)
            }
            AdaptiveInit::Given(v) => {
                if v.len() != p {
                    return Err(Error::DimensionMismatch {
                        what: "initial coefficients length vs X columns",
                        expected: p,
                        found: v.len(),
                    });
                }
                Ok(v.clone())
            }
        }
    }

    /// The weighting of `(x, y)`: initial fit, factors, kept columns.
    fn weighting<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<Weighting<T>> {
        self.check()?;
        self.opts.check_lengths(x.ncols(), 1)?;
        let init = self.initial(x, y, w)?;
        let factors: Vec<T> = init
            .iter()
            .enumerate()
            .map(|(j, &v)| {
                let adaptive = (v.abs() + self.init_eps).powf(-self.nu);
                let user = self
                    .opts
                    .penalty_factors
                    .as_ref()
                    .map_or(T::one(), |c| c[j]);
                if user == T::zero() {
                    T::zero()
                } else {
                    user * adaptive
                }
            })
            .collect();
        let kept: Vec<usize> = (0..factors.len())
            .filter(|&j| factors[j].is_finite())
            .collect();
        let sub = if kept.len() < x.ncols() && !kept.is_empty() {
            let n = x.nrows();
            let mut sub = ColMajor::zeros(n, kept.len());
            for (c, &j) in kept.iter().enumerate() {
                column(x, j, sub.col_mut(c));
            }
            Some(sub)
        } else {
            None
        };
        Ok(Weighting {
            init,
            factors,
            kept,
            sub,
        })
    }

    /// The fitted model of a Lasso on the kept columns, embedded in all the features.
    fn embed(&self, lasso: Lasso<T>, wt: &Weighting<T>) -> AdaptiveLasso<T> {
        let p = wt.factors.len();
        let mut model = lasso.into_inner();
        let mut coef = vec![T::zero(); p];
        for (&j, &v) in wt.kept.iter().zip(&model.coef) {
            coef[j] = v;
        }
        model.coef = coef;
        model.n_features = p;
        AdaptiveLasso {
            model,
            init: wt.init.clone(),
            factors: wt.factors.clone(),
            excluded: (0..p).filter(|&j| !wt.factors[j].is_finite()).collect(),
        }
    }

    /// The model when every feature is excluded: the intercept alone (weighted mean of `y`),
    /// exactly optimal (gap 0).
    fn empty<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
        alpha: T,
        wt: &Weighting<T>,
    ) -> Result<AdaptiveLasso<T>> {
        let ls = least_squares(x, y, w, &[], self.opts.fit_intercept)?;
        let n = y.len();
        let weight = |i: usize| w.map_or(T::one(), |s| s[i]);
        let m: T = (0..n).map(weight).sum();
        let sse: T = (0..n)
            .map(|i| weight(i) * (y[i] - ls.intercept) * (y[i] - ls.intercept))
            .sum();
        let objective = if m > T::zero() {
            sse / (m + m)
        } else {
            T::zero()
        };
        let report = FitReport {
            objective,
            duality_gap: Some(T::zero()),
            relative_gap: Some(T::zero()),
            kkt_violation: T::zero(),
            n_iter: 0,
            status: Status::Converged,
            rescaled: false,
        };
        let model = LinearModel {
            coef: vec![T::zero(); x.ncols()],
            intercept: vec![ls.intercept],
            n_features: x.ncols(),
            n_tasks: 1,
            alpha,
            l1_ratio: None,
            condition_number: None,
            report,
        };
        Ok(AdaptiveLasso {
            model,
            init: wt.init.clone(),
            factors: wt.factors.clone(),
            excluded: (0..x.ncols()).collect(),
        })
    }

    /// `alpha_max` of the weighted Lasso on `(x, y)` (the smallest alpha whose fit is all
    /// zeros, the top of [`AdaptiveLassoCv`](crate::AdaptiveLassoCv)'s automatic grid); 0 when
    /// every feature is excluded. Runs the initial fit.
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted).
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        let wt = self.weighting(x, y, sample_weight)?;
        let lasso = self.lasso(self.alpha, &wt);
        match (&wt.sub, wt.kept.is_empty()) {
            (_, true) => Ok(T::zero()),
            (Some(sub), false) => lasso.alpha_max(sub, y, sample_weight),
            (None, false) => lasso.alpha_max(x, y, sample_weight),
        }
    }

    /// Validates, runs the initial fit, then the weighted Lasso.
    ///
    /// # Errors
    /// As [`check`](Self::check), the initial fit's and [`LassoParams::fit`]'s errors;
    /// [`Error::DimensionMismatch`] for given initial coefficients of the wrong length.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<AdaptiveLasso<T>> {
        self.fit_inner(x, y, None)
    }

    /// [`fit`](Self::fit) with sample weights (also those of the initial fit).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<AdaptiveLasso<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<AdaptiveLasso<T>> {
        Ok(self.path(x, y, w, &[self.alpha])?.remove(0))
    }

    /// The path over `alphas` (in the order given; decreasing is efficient): one initial fit,
    /// then the warm-started weighted Lasso path ([`LassoParams::path`]). Its own `alpha` and
    /// `warm_start` are not used.
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted); [`Error::Empty`] for no alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<AdaptiveLasso<T>>> {
        if alphas.is_empty() {
            return Err(Error::Empty { what: "alphas" });
        }
        let wt = self.weighting(x, y, sample_weight)?;
        if wt.kept.is_empty() {
            return alphas
                .iter()
                .map(|&a| {
                    ensure_nonneg_finite("alphas", a)?;
                    self.empty(x, y, sample_weight, a, &wt)
                })
                .collect();
        }
        let fits = if alphas.len() == 1 {
            // A single fit uses the warm start (a path starts from zero).
            let one = self.lasso(alphas[0], &wt);
            vec![match (&wt.sub, sample_weight) {
                (Some(sub), Some(s)) => one.fit_weighted(sub, y, s)?,
                (Some(sub), None) => one.fit(sub, y)?,
                (None, Some(s)) => one.fit_weighted(x, y, s)?,
                (None, None) => one.fit(x, y)?,
            }]
        } else {
            let lasso = self.lasso(self.alpha, &wt);
            match &wt.sub {
                Some(sub) => lasso.path(sub, y, sample_weight, alphas)?,
                None => lasso.path(x, y, sample_weight, alphas)?,
            }
        };
        Ok(fits.into_iter().map(|l| self.embed(l, &wt)).collect())
    }
}
