//! The relaxed lasso (glmnet's `relax = TRUE`): the Lasso, its unpenalised least-squares refit
//! on the Lasso's support, and their blend `γ·w_lasso + (1 − γ)·w_refit`.

use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use super::linear::{common_setters, Lasso, LassoParams};
use super::lstsq::least_squares;
use super::model::LinearModel;
use super::options::{Options, SolverChoice};

/// Checks a relaxation parameter `γ ∈ [0, 1]` (NaN-safe).
pub(crate) fn check_gamma<T: Scalar>(name: &'static str, gamma: T) -> Result<()> {
    if gamma >= T::zero() && gamma <= T::one() {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value: gamma.as_f64(),
            expected: "[0, 1] (1 = the lasso, 0 = the fully relaxed refit), not NaN",
        })
    }
}

/// The unpenalised least-squares refit of a Lasso point on its support, with its optimality
/// certificate.
///
/// The refit minimises `(1/(2m)) Σ s_i (y_i − b − x_{i,S}ᵀβ)²` over the support `S` (the
/// features the Lasso selected) and the intercept `b` when one is fitted, `m = n` or `Σ s_i`
/// with sample weights: the same weighted least squares as the Lasso's data term, without the
/// penalty. When the columns of `S` are rank-deficient (duplicated or collinear features, or
/// more features than rows), the refit is the **minimal-norm** least-squares solution: the
/// thin SVD of the weighted, centered support columns, singular values below
/// `ε·max(n, |S|)·σ_max` treated as zero (numpy's `lstsq` default), so [`rank`](Self::rank)
/// is then below `|S|`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RelaxedRefit<T> {
    coef: Vec<T>,
    intercept: T,
    support: Vec<usize>,
    rank: usize,
    normal_residual: T,
    gradient_at_zero: T,
}

impl<T: Scalar> RelaxedRefit<T> {
    /// The refit of `lasso` (a model fitted on `x`, `y`, `weights`).
    pub(crate) fn of<X: DesignMatrix<T> + ?Sized>(
        x: &X,
        y: &[T],
        weights: Option<&[T]>,
        support: Vec<usize>,
        fit_intercept: bool,
    ) -> Result<Self> {
        let ls = least_squares(x, y, weights, &support, fit_intercept)?;
        let mut coef = vec![T::zero(); x.ncols()];
        for (&j, &w) in support.iter().zip(&ls.coef) {
            coef[j] = w;
        }
        Ok(Self {
            coef,
            intercept: ls.intercept,
            support,
            rank: ls.rank,
            normal_residual: ls.normal_residual,
            gradient_at_zero: ls.gradient_at_zero,
        })
    }

    /// The refitted coefficients (one per feature, 0 off the support).
    pub fn coef(&self) -> &[T] {
        &self.coef
    }
    /// The refitted intercept (0 without intercept).
    pub fn intercept(&self) -> T {
        self.intercept
    }
    /// The support the refit is on: the Lasso's nonzero coefficients, increasing.
    pub fn support(&self) -> &[usize] {
        &self.support
    }
    /// The numerical rank of the support's weighted, centered columns (`< support().len()`:
    /// rank-deficient, the minimal-norm solution was taken).
    pub fn rank(&self) -> usize {
        self.rank
    }
    /// The refit's own optimality certificate: the largest normal-equation residual
    /// `‖X̃_Sᵀ S (ỹ − X̃_S β)‖_∞ / m` (the gradient of its objective on the support; 0 at the
    /// exact least-squares solution, rounding otherwise).
    pub fn normal_residual(&self) -> T {
        self.normal_residual
    }
    /// [`normal_residual`](Self::normal_residual) relative to its value at `β = 0`,
    /// `‖X̃_Sᵀ S ỹ‖_∞ / m` (the scale the Lasso's KKT tolerance uses); 0 for an empty support.
    pub fn relative_normal_residual(&self) -> T {
        if self.gradient_at_zero > T::zero() {
            self.normal_residual / self.gradient_at_zero
        } else {
            T::zero()
        }
    }
}

/// A fitted relaxed lasso at `(α, γ)` (glmnet's `relax = TRUE`): the blend
///
/// `w(γ) = γ·w_lasso(α) + (1 − γ)·w_refit(α)`, `b(γ) = γ·b_lasso + (1 − γ)·b_refit`,
///
/// of the Lasso at `α` and the unpenalised least-squares [refit](RelaxedRefit) on its support.
/// **γ = 1 is the Lasso, γ = 0 the fully relaxed fit** (glmnet's convention for its `gamma`).
///
/// It dereferences to the blended [`LinearModel`] (coefficients, intercept, `predict`,
/// `score`); that model's [`report`](LinearModel::report) is the **Lasso point's** certificate
/// (duality gap, KKT violation): the blend minimises no objective of its own. The refit's
/// certificate is [`RelaxedRefit::normal_residual`].
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::RelaxedLasso;
/// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 1) * (j + 3)) % 11) as f64);
/// let y: Vec<f64> = (0..40).map(|i| x.col(0)[i] * 2.0 - x.col(3)[i]).collect();
/// let fit = RelaxedLasso::params().alpha(0.5).gamma(0.0).tol(1e-10).fit(&x, &y)?;
/// // y is exactly linear in the support: the fully relaxed fit recovers it
/// assert!((fit.coef()[0] - 2.0).abs() < 1e-8 && (fit.coef()[3] + 1.0).abs() < 1e-8);
/// assert!(fit.lasso().coef()[0] < 2.0); // the Lasso shrinks
/// assert!(fit.refit().relative_normal_residual() < 1e-10);
/// assert_eq!(fit.with_gamma(1.0)?.coef(), fit.lasso().coef());
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RelaxedLasso<T> {
    model: LinearModel<T>,
    gamma: T,
    lasso: Lasso<T>,
    refit: RelaxedRefit<T>,
}

impl<T> core::ops::Deref for RelaxedLasso<T> {
    type Target = LinearModel<T>;
    fn deref(&self) -> &LinearModel<T> {
        &self.model
    }
}

impl<T: Scalar> RelaxedLasso<T> {
    /// The builder, with the defaults of [`RelaxedLassoParams`].
    pub fn params() -> RelaxedLassoParams<T> {
        RelaxedLassoParams {
            alpha: T::one(),
            gamma: T::zero(),
            opts: Options::default(),
        }
    }

    /// Blends a Lasso point and its refit.
    pub(crate) fn blend(lasso: Lasso<T>, refit: RelaxedRefit<T>, gamma: T) -> Self {
        let g1 = T::one() - gamma;
        let mut model = lasso.0.clone();
        for (c, &r) in model.coef.iter_mut().zip(&refit.coef) {
            *c = gamma * *c + g1 * r;
        }
        for b in &mut model.intercept {
            *b = gamma * *b + g1 * refit.intercept;
        }
        Self {
            model,
            gamma,
            lasso,
            refit,
        }
    }

    /// The same Lasso point and refit blended with another `γ` (no refitting).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`gamma`) outside `[0, 1]` or NaN.
    pub fn with_gamma(&self, gamma: T) -> Result<Self> {
        check_gamma("gamma", gamma)?;
        Ok(Self::blend(self.lasso.clone(), self.refit.clone(), gamma))
    }

    /// The relaxation `γ` of the blend (1 = Lasso, 0 = refit).
    pub fn gamma(&self) -> T {
        self.gamma
    }
    /// The Lasso point, with its certificates.
    pub fn lasso(&self) -> &Lasso<T> {
        &self.lasso
    }
    /// The least-squares refit on the Lasso's support, with its certificate.
    pub fn refit(&self) -> &RelaxedRefit<T> {
        &self.refit
    }
    /// The blended model, by value.
    pub fn into_inner(self) -> LinearModel<T> {
        self.model
    }
}

/// Unchecked relaxed lasso hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `alpha` | 1 | the Lasso's strength α (`(1/(2n))‖y − Xw − b‖² + α‖w‖₁`) | `[0, ∞)` |
/// | `gamma` | 0 | the blend γ: 1 = Lasso, 0 = fully relaxed (glmnet's `gamma`) | `[0, 1]` |
/// | `fit_intercept` | true | unpenalised intercept, in the Lasso and in the refit | |
/// | `standardize` | false | the Lasso penalises standardized columns (the refit is scale-invariant) | |
/// | `penalty_factors` | none | the Lasso's per-feature factors (0 = unpenalised, hence in the support when nonzero) | `[0, ∞)` each |
/// | `warm_start`, `solver`, `tol`, `kkt_tol`, `max_iter`, `require_convergence` | as [`Lasso`] | the Lasso's fit | |
///
/// `positive` and `bounds` are refused ([`Error::Unsupported`]): the refit is unconstrained
/// least squares.
///
/// # Errors
/// [`Error::InvalidParameter`] names the parameter out of range (NaN included).
#[derive(Debug, Clone, PartialEq)]
pub struct RelaxedLassoParams<T> {
    alpha: T,
    gamma: T,
    opts: Options<T>,
}

impl<T: Scalar> RelaxedLassoParams<T> {
    /// The Lasso's strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// The blend γ ∈ [0, 1] (1 = Lasso, 0 = fully relaxed; default 0).
    #[must_use]
    pub fn gamma(mut self, gamma: T) -> Self {
        self.gamma = gamma;
        self
    }
    common_setters!();

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of its range;
    /// [`Error::Unsupported`] for `positive` or `bounds`.
    pub fn check(&self) -> Result<()> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        check_gamma("gamma", self.gamma)?;
        self.opts.check()?;
        if self.opts.effective_bounds().is_some() {
            return Err(Error::Unsupported {
                what: "positive / bounds with the relaxed lasso",
                reason: "the refit on the support is unconstrained least squares",
            });
        }
        if matches!(self.opts.solver, SolverChoice::Cholesky | SolverChoice::Svd) {
            return Err(Error::Unsupported {
                what: "solver Cholesky / Svd",
                reason: "direct solvers apply to Ridge without penalty factors or bounds",
            });
        }
        Ok(())
    }

    fn lasso(&self) -> LassoParams<T> {
        LassoParams::with_options(self.alpha, self.opts.clone())
    }

    /// `alpha_max` of the Lasso on `(x, y)`: [`LassoParams::alpha_max`].
    ///
    /// # Errors
    /// As [`LassoParams::alpha_max`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        self.check()?;
        self.lasso().alpha_max(x, y, sample_weight)
    }

    /// Validates, fits the Lasso at `alpha`, refits on its support and blends with `gamma`.
    ///
    /// # Errors
    /// As [`check`](Self::check) and [`LassoParams::fit`]; [`Error::Numerical`] when the refit
    /// overflows.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<RelaxedLasso<T>> {
        self.fit_inner(x, y, None)
    }

    /// [`fit`](Self::fit) with sample weights (the Lasso's and the refit's data term are
    /// `(1/(2Σs)) Σ s_i r_i²`).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<RelaxedLasso<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<RelaxedLasso<T>> {
        self.check()?;
        let lasso = match w {
            Some(s) => self.lasso().fit_weighted(x, y, s)?,
            None => self.lasso().fit(x, y)?,
        };
        let refit = RelaxedRefit::of(x, y, w, lasso.support(), self.opts.fit_intercept)?;
        Ok(RelaxedLasso::blend(lasso, refit, self.gamma))
    }

    /// The relaxed path: the warm-started Lasso path over `alphas` ([`LassoParams::path`]: in
    /// the order given, its own `alpha` and `warm_start` unused), each point refitted on its
    /// support (consecutive points with the same support share one refit) and blended with
    /// `gamma`; [`RelaxedLasso::with_gamma`] re-blends a point with any other γ.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// use proxreg::RelaxedLasso;
    /// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 1) * (j + 3)) % 11) as f64);
    /// let y: Vec<f64> = (0..40).map(|i| x.col(0)[i] * 2.0 - x.col(3)[i] + (i % 3) as f64).collect();
    /// let params = RelaxedLasso::params().gamma(0.5).tol(1e-10);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let path = params.path(&x, &y, None, &proxreg::solvers::alpha_grid(amax, 8, 1e-2)?)?;
    /// assert!(path[0].coef().iter().all(|&w| w == 0.0)); // alpha_max: empty support
    /// assert!(path.iter().all(|p| p.refit().relative_normal_residual() < 1e-10));
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted); [`Error::Empty`] for no alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<RelaxedLasso<T>>> {
        self.check()?;
        if alphas.is_empty() {
            return Err(Error::Empty { what: "alphas" });
        }
        let lassos = self.lasso().path(x, y, sample_weight, alphas)?;
        let mut out: Vec<RelaxedLasso<T>> = Vec::with_capacity(lassos.len());
        for lasso in lassos {
            let support = lasso.support();
            let refit = match out.last() {
                Some(prev) if prev.refit.support == support => prev.refit.clone(),
                _ => RelaxedRefit::of(x, y, sample_weight, support, self.opts.fit_intercept)?,
            };
            out.push(RelaxedLasso::blend(lasso, refit, self.gamma));
        }
        Ok(out)
    }
}
