//! Penalised logistic regression (binomial family).

use proxreg_core::datafit::{sigmoid, Logistic};
use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{self, Penalty, SeparablePenalty};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{glm_alpha_max, Solution, Solver};

use super::linear::common_setters;
use super::logistic_cv::GlmPath;
use super::model::{FitReport, LinearModel, Status};
use super::options::{with_separable, Data, OnSeparable, Options, SolverChoice};

/// A fitted penalised logistic regression: minimises
///
/// `(1/m)·Σ_i s_i·[log(1 + e^{η_i}) − y_i·η_i] + α·(ρ‖w‖₁ + ½(1−ρ)‖w‖²)`, `η = Xw + b`,
///
/// with `y_i ∈ {0, 1}` the indicator of the second (larger) of the two labels, `m = Σ s_i`
/// (`= n` without weights) and an unpenalised intercept `b`: glmnet's binomial family
/// (`λ = α`, `alpha = ρ`). scikit-learn's `LogisticRegression(C = 1/(m·α))` minimises the same
/// objective with `l1_ratio = ρ` ([`crate::conventions::alpha_from_sklearn_c`]).
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(60, 3, |i, j| (((i * (j + 3)) % 11) as f64 - 5.0) / 3.0);
/// let y: Vec<f64> = (0..60).map(|i| if (i * 7) % 11 > 4 { 1.0 } else { -1.0 }).collect();
/// let model = LogisticRegression::params().alpha(0.01).l1_ratio(1.0).tol(1e-8).fit(&x, &y)?;
/// assert_eq!(model.status(), Status::Converged);
/// assert_eq!(model.classes(), [-1.0, 1.0]);
/// let proba = model.predict_proba(&x)?; // P(label = 1.0)
/// let labels = model.predict(&x)?;      // -1.0 or 1.0
/// assert!(proba.iter().all(|&p| (0.0..=1.0).contains(&p)));
/// assert!(labels.iter().all(|&l| l == -1.0 || l == 1.0));
/// assert!(model.score(&x, &y)? >= 0.5); // accuracy
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogisticRegression<T> {
    pub(crate) model: LinearModel<T>,
    classes: [T; 2],
}

/// Unchecked logistic-regression hyper-parameters (builder); [`LogisticRegressionParams::check`]
/// validates.
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `alpha` | 1 | overall strength α | `[0, ∞)` |
/// | `l1_ratio` | 1 | mix ρ: 1 = lasso, 0 = ridge (`½‖w‖²`), between = elastic net | `[0, 1]` |
/// | `fit_intercept` | true | unpenalised intercept (its own coordinate, no centering) | |
/// | `standardize` | false | penalise standardized columns | |
/// | `penalty_factors` | none | per-feature factors, 0 = unpenalised | `[0, ∞)` each |
/// | `positive` / `bounds` | none | box constraint on every coefficient | `lower <= 0 <= upper` |
/// | `warm_start` | none | initial coefficients | length p |
/// | `solver` | Auto | proximal Newton (faster than coordinate descent on the curvature bound, measured: see [`SolverChoice::ProxNewton`]) | `Auto`, `ProxNewton` |
/// | `tol` | 1e-4 | relative duality gap to reach (relative to the null deviance) | `(0, ∞)` |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇F(0)‖_∞` | `(0, ∞)` |
/// | `max_iter` | 200 | maximal Newton iterations | `>= 1` |
/// | `require_convergence` | false | error instead of a non-converged model | |
///
/// # Errors
/// [`Error::InvalidParameter`] names the parameter out of range (NaN included);
/// [`Error::InvalidTarget`] for targets that are not two classes;
/// [`Error::DimensionMismatch`] for factors or warm starts of the wrong length at fit time.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionParams<T> {
    pub(crate) alpha: T,
    pub(crate) l1_ratio: T,
    pub(crate) opts: Options<T>,
}

/// Validated logistic-regression hyper-parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionValidParams<T>(LogisticRegressionParams<T>);

impl<T: Scalar> LogisticRegression<T> {
    /// The builder, with the defaults of the table on [`LogisticRegressionParams`].
    pub fn params() -> LogisticRegressionParams<T> {
        LogisticRegressionParams {
            alpha: T::one(),
            l1_ratio: T::one(),
            opts: Options {
                max_iter: 200,
                ..Options::default()
            },
        }
    }

    /// The two labels, sorted: predictions are `classes()[1]` when `P > ½`; the probabilities
    /// are those of `classes()[1]`.
    pub fn classes(&self) -> [T; 2] {
        self.classes
    }

    /// The coefficients (original scale of `X`).
    pub fn coef(&self) -> &[T] {
        self.model.coef()
    }

    /// The intercept (0 without intercept).
    pub fn intercept(&self) -> T {
        self.model.intercept()
    }

    /// The regularization strength α.
    pub fn alpha(&self) -> T {
        self.model.alpha()
    }

    /// The ℓ1 ratio ρ.
    pub fn l1_ratio(&self) -> T {
        self.model.l1_ratio.unwrap_or_else(T::one)
    }

    /// The certificates and status of the fit (relative gap relative to the null deviance).
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

    /// The linear predictor `η = Xw + b` (log-odds of `classes()[1]`).
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn decision_function<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict(x)
    }

    /// `P(y = classes()[1] | x) = σ(η)`.
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn predict_proba<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        Ok(self
            .decision_function(x)?
            .into_iter()
            .map(sigmoid)
            .collect())
    }

    /// The predicted labels: `classes()[1]` where `η > 0` (`P > ½`), else `classes()[0]`.
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        let [lo, hi] = self.classes;
        Ok(self
            .decision_function(x)?
            .into_iter()
            .map(|e| if e > T::zero() { hi } else { lo })
            .collect())
    }

    /// The accuracy of [`predict`](Self::predict) on `(x, y)`: the share of labels predicted
    /// exactly.
    ///
    /// # Errors
    /// As [`predict`](Self::predict), plus [`Error::DimensionMismatch`] for `y`.
    pub fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        let pred = self.predict(x)?;
        if y.len() != pred.len() {
            return Err(Error::DimensionMismatch {
                what: "y length vs X rows",
                expected: pred.len(),
                found: y.len(),
            });
        }
        let hits = pred.iter().zip(y).filter(|(a, b)| a == b).count();
        Ok(T::from_count(hits) / T::from_count(y.len().max(1)))
    }

    /// The underlying [`LinearModel`] (its `predict` is the linear predictor).
    pub fn into_inner(self) -> LinearModel<T> {
        self.model
    }
}

/// The two classes of `y` (sorted) and its 0/1 encoding (1 for the larger label).
///
/// # Errors
/// [`Error::NonFinite`] for NaN or infinite labels; [`Error::InvalidTarget`] for a third label
/// (naming its index) or for one label only.
pub(crate) fn encode_binary<T: Scalar>(y: &[T]) -> Result<([T; 2], Vec<T>)> {
    proxreg_core::error::ensure_all_finite("y", y)?;
    let first = *y.first().ok_or(Error::Empty { what: "y" })?;
    let mut other: Option<T> = None;
    for (i, &v) in y.iter().enumerate() {
        if v == first || Some(v) == other {
            continue;
        }
        if other.is_some() {
            return Err(Error::InvalidTarget {
                datafit: "logistic",
                index: Some(i),
                reason: "a third label: logistic regression takes exactly two classes",
            });
        }
        other = Some(v);
    }
    let Some(second) = other else {
        return Err(Error::InvalidTarget {
            datafit: "logistic",
            index: None,
            reason: "one label only: logistic regression needs two classes",
        });
    };
    let (lo, hi) = if first < second {
        (first, second)
    } else {
        (second, first)
    };
    let enc = y
        .iter()
        .map(|&v| if v == hi { T::one() } else { T::zero() })
        .collect();
    Ok(([lo, hi], enc))
}

impl<T: Scalar> LogisticRegressionParams<T> {
    /// The overall strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// The mix ρ ∈ [0, 1] (1 = lasso, the default; 0 = ridge).
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
    /// [`Error::Unsupported`] for a solver other than `Auto` / `ProxNewton`.
    pub fn check(self) -> Result<LogisticRegressionValidParams<T>> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        penalty::ElasticNet::new(self.l1_ratio)?;
        self.opts.check()?;
        if !matches!(
            self.opts.solver,
            SolverChoice::Auto | SolverChoice::ProxNewton
        ) {
            return Err(Error::Unsupported {
                what: "this solver for logistic regression",
                reason:
                    "logistic regression is solved by proximal Newton (solver Auto or ProxNewton)",
            });
        }
        Ok(LogisticRegressionValidParams(self))
    }

    /// `alpha_max` on `(x, y)`: the smallest `alpha` whose fit has all coefficients zero (the
    /// intercept is then the log-odds of the weighted class share), from the gradient of that
    /// null model, with the same weights, standardization, penalty factors and bounds as
    /// [`fit`](Self::fit).
    ///
    /// # Errors
    /// As [`fit`](Self::fit); [`Error::Unsupported`] for `l1_ratio = 0`.
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        let v = self.clone().check()?;
        let (_, enc) = encode_binary(y)?;
        v.0.opts.check_lengths(x.ncols(), 1)?;
        let data = Data {
            opts: &v.0.opts,
            x,
            y: &enc,
            weights: sample_weight,
            k: 1,
        };
        with_separable(
            &v.0.opts,
            penalty::ElasticNet::new(v.0.l1_ratio)?,
            GlmAlphaMax(data),
        )
    }

    /// The regularization path: one fit per alpha of `alphas`, in the order given (decreasing
    /// from [`alpha_max`](Self::alpha_max) is the efficient order), by proximal Newton with
    /// each point warm-started from the previous one (coefficients, intercept and linear
    /// predictor) and the data prepared once, with the options and sample weights of
    /// [`fit_weighted`](Self::fit_weighted); its own `alpha` and `warm_start` are not used.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(60, 3, |i, j| (((i * (j + 3)) % 11) as f64 - 5.0) / 3.0);
    /// let y: Vec<f64> = (0..60).map(|i| if (i * 7) % 11 > 4 { 1.0 } else { -1.0 }).collect();
    /// let params = LogisticRegression::params().tol(1e-8);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let alphas = proxreg::solvers::alpha_grid(amax, 4, 1e-2)?;
    /// let path = params.path(&x, &y, None, &alphas)?;
    /// assert!(path[0].coef().iter().all(|&w| w == 0.0));
    /// assert!(path.iter().all(|m| m.status() == Status::Converged && m.classes() == [-1.0, 1.0]));
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
    ) -> Result<Vec<LogisticRegression<T>>> {
        let v = self.clone().check()?;
        let p = &v.0;
        let (classes, enc) = encode_binary(y)?;
        p.opts.check_lengths(x.ncols(), 1)?;
        let data = Data {
            opts: &p.opts,
            x,
            y: &enc,
            weights: sample_weight,
            k: 1,
        };
        let pen = penalty::ElasticNet::new(p.l1_ratio)?;
        let path = with_separable(&p.opts, pen, GlmPath(data, alphas))?;
        let path = p.opts.enforce_path(path)?;
        path.alphas
            .into_iter()
            .zip(path.solutions)
            .map(|(a, sol)| {
                let mut model = LinearModel::from_solution(sol, x.ncols(), 1, a)?;
                model.l1_ratio = Some(p.l1_ratio);
                Ok(LogisticRegression { model, classes })
            })
            .collect()
    }

    /// Validates, then fits.
    ///
    /// # Errors
    /// As [`LogisticRegressionParams::check`] and [`LogisticRegressionValidParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<LogisticRegression<T>> {
        self.clone().check()?.fit(x, y)
    }

    /// Validates, then fits with sample weights.
    ///
    /// # Errors
    /// As [`LogisticRegressionParams::fit`], plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<LogisticRegression<T>> {
        self.clone().check()?.fit_weighted(x, y, sample_weight)
    }
}

impl<T: Scalar> LogisticRegressionValidParams<T> {
    /// Fits on `(x, y)`: `y` holds two distinct labels (0/1, ±1, 1/2, …).
    ///
    /// # Errors
    /// Shapes, NaN/inf in the data, [`Error::InvalidTarget`] for labels that are not two
    /// classes, and non-convergence when it is required.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<LogisticRegression<T>> {
        self.fit_inner(x, y, None)
    }

    /// Fits with sample weights `s_i >= 0` (objective `(1/Σs)·Σ s_i ℓ_i + penalty`).
    ///
    /// # Errors
    /// As [`LogisticRegressionValidParams::fit`], plus invalid weights (and weights that leave
    /// one class only).
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<LogisticRegression<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<LogisticRegression<T>> {
        let p = &self.0;
        let (classes, enc) = encode_binary(y)?;
        p.opts.check_lengths(x.ncols(), 1)?;
        let data = Data {
            opts: &p.opts,
            x,
            y: &enc,
            weights: w,
            k: 1,
        };
        let pen = penalty::ElasticNet::new(p.l1_ratio)?;
        let sol = with_separable(&p.opts, pen, GlmSolve(data, p.alpha))?;
        let sol = p.opts.enforce(sol)?;
        let mut model = LinearModel::from_solution(sol, x.ncols(), 1, p.alpha)?;
        model.l1_ratio = Some(p.l1_ratio);
        Ok(LogisticRegression { model, classes })
    }
}

/// Solving the logistic problem at `alpha` with the options' penalty.
struct GlmSolve<'a, T, X: ?Sized>(Data<'a, T, X>, T);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnSeparable<T> for GlmSolve<'_, T, X> {
    type Out = Solution<T>;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<Solution<T>> {
        let GlmSolve(d, alpha) = self;
        let pb = d
            .opts
            .problem(d.x, d.y, d.weights, pen, alpha, 1)
            .datafit(Logistic);
        d.opts
            .prox_newton()
            .solve(&pb, d.opts.warm_start.as_deref(), &mut ())
    }
}

/// `alpha_max` of the logistic problem with the options' penalty.
struct GlmAlphaMax<'a, T, X: ?Sized>(Data<'a, T, X>);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnSeparable<T> for GlmAlphaMax<'_, T, X> {
    type Out = T;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<T> {
        let d = self.0;
        let pb = d
            .opts
            .problem(d.x, d.y, d.weights, pen, T::zero(), 1)
            .datafit(Logistic);
        glm_alpha_max(&pb)
    }
}
