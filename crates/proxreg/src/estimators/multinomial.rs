//! Penalised multinomial (softmax) regression: `K >= 2` classes.

use proxreg_core::error::{ensure_all_finite, ensure_nonneg_finite, ensure_positive_finite};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{
    multinomial_alpha_max, MultinomialProblem, MultinomialSolution, MultinomialSolver,
};

use super::model::{FitReport, Status};

/// A fitted penalised multinomial regression: minimises
///
/// `(1/m)·Σ_i s_i·(−log softmax(η_i)[c_i]) + α·g(W)`, `η_i = Wᵀx_i + b`,
///
/// over `W` (`p × K`) and unpenalised intercepts `b ∈ R^K`, where `c_i` is the index of `y_i`
/// among the sorted distinct labels ([`classes`](Self::classes)), `s` the sample weights and
/// `m = Σ s_i` (`= n` without weights). The penalty is
///
/// * entrywise (default): `g(W) = ρ‖W‖₁ + ½(1−ρ)‖W‖²_F` — scikit-learn's multinomial
///   `LogisticRegression(C = 1/(m·α), l1_ratio = ρ)` minimises `f/α`, the same minimiser;
/// * grouped (`grouped(true)`): `g(W) = ρ Σ_j ‖W_j·‖₂ + ½(1−ρ)‖W‖²_F`, a feature is in or out
///   for every class at once — glmnet's `family = "multinomial", type.multinomial = "grouped"`
///   with `lambda = α`, `alpha = ρ`.
///
/// The objective is invariant to adding a constant to every intercept: the returned intercepts
/// sum to zero (glmnet's convention; scikit-learn's do not, compare them centred). With
/// `α > 0` and `ρ < 1` the ridge part pins `W` uniquely; at `α = 0` the fit is unregularised,
/// `W` is determined only up to adding one vector to every class's column (and does not exist
/// for separable data: the fit then ends `MaxIterReached`); it is returned with each row of
/// `W` centred over the classes.
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(90, 2, |i, j| ((i % 3) as f64) * (j as f64 + 1.0) + ((i * 7 + j) % 5) as f64 / 4.0);
/// let y: Vec<f64> = (0..90).map(|i| [10.0, 20.0, 30.0][i % 3]).collect();
/// let model = MultinomialRegression::params().alpha(0.01).l1_ratio(0.5).tol(1e-8).fit(&x, &y)?;
/// assert_eq!(model.status(), Status::Converged);
/// assert_eq!(model.classes(), [10.0, 20.0, 30.0]);
/// let proba = model.predict_proba(&x)?; // n × K row-major
/// assert!(proba.chunks(3).all(|r| (r.iter().sum::<f64>() - 1.0).abs() < 1e-12));
/// assert!(model.score(&x, &y)? > 0.9); // accuracy
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MultinomialRegression<T> {
    coef: Vec<T>,
    intercept: Vec<T>,
    classes: Vec<T>,
    n_features: usize,
    alpha: T,
    l1_ratio: T,
    grouped: bool,
    report: FitReport<T>,
}

/// Unchecked multinomial-regression hyper-parameters (builder);
/// [`MultinomialRegressionParams::check`] validates.
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `alpha` | 1 | overall strength α | `[0, ∞)` |
/// | `l1_ratio` | 1 | mix ρ: 1 = lasso, 0 = ridge (`½‖W‖²_F`) | `[0, 1]` |
/// | `grouped` | false | `ρ Σ_j ‖W_j·‖₂` (a feature for every class at once) instead of `ρ‖W‖₁` | |
/// | `fit_intercept` | true | unpenalised intercepts, summing to zero | |
/// | `standardize` | false | penalise the standardized columns (weighted population std) | |
/// | `tol` | 1e-4 | relative duality gap to reach (relative to the null deviance) | `(0, ∞)` |
/// | `kkt_tol` | `tol` | KKT violation relative to the gradient's norm at the null model | `(0, ∞)` |
/// | `max_iter` | 200 | maximal Newton iterations | `>= 1` |
/// | `require_convergence` | false | error instead of a non-converged model | |
///
/// # Errors
/// [`Error::InvalidParameter`] names the parameter out of range (NaN included).
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialRegressionParams<T> {
    alpha: T,
    l1_ratio: T,
    grouped: bool,
    fit_intercept: bool,
    standardize: bool,
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    require_convergence: bool,
}

/// Validated multinomial-regression hyper-parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialRegressionValidParams<T>(MultinomialRegressionParams<T>);

impl<T: Scalar> MultinomialRegression<T> {
    /// The builder, with the defaults of the table on [`MultinomialRegressionParams`].
    pub fn params() -> MultinomialRegressionParams<T> {
        MultinomialRegressionParams {
            alpha: T::one(),
            l1_ratio: T::one(),
            grouped: false,
            fit_intercept: true,
            standardize: false,
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 200,
            require_convergence: false,
        }
    }

    /// The distinct labels, sorted: class `k` of [`coef`](Self::coef),
    /// [`intercept`](Self::intercept) and [`predict_proba`](Self::predict_proba) is
    /// `classes()[k]`.
    pub fn classes(&self) -> &[T] {
        &self.classes
    }

    /// Number of classes `K`.
    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }

    /// `W` on the original scale of `X`, `p × K` **row-major**: `coef()[j·K + k]` is feature
    /// `j`'s coefficient for class `k` (scikit-learn's `coef_` is its transpose, `K × p`).
    pub fn coef(&self) -> &[T] {
        &self.coef
    }

    /// The intercepts `b` (`K`, summing to zero; all zero without intercepts).
    pub fn intercept(&self) -> &[T] {
        &self.intercept
    }

    /// The regularization strength α.
    pub fn alpha(&self) -> T {
        self.alpha
    }

    /// The ℓ1 ratio ρ.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratio
    }

    /// Whether the penalty is the grouped one.
    pub fn grouped(&self) -> bool {
        self.grouped
    }

    /// Number of features `p` the model was fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The certificates and status of the fit (relative gap relative to the null deviance).
    pub fn report(&self) -> &FitReport<T> {
        &self.report
    }

    /// How the solver stopped.
    pub fn status(&self) -> Status {
        self.report.status
    }

    /// Indices of the features with a nonzero coefficient for some class.
    pub fn support(&self) -> Vec<usize> {
        let k = self.classes.len();
        (0..self.n_features)
            .filter(|&j| {
                self.coef[j * k..(j + 1) * k]
                    .iter()
                    .any(|&v| v != T::zero())
            })
            .collect()
    }

    /// The linear predictors `η = XW + 1bᵀ`, `n × K` **row-major** (`[i·K + k]`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `x` has another number of columns than the fit's.
    pub fn decision_function<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        if x.ncols() != self.n_features {
            return Err(Error::DimensionMismatch {
                what: "X columns vs fitted features",
                expected: self.n_features,
                found: x.ncols(),
            });
        }
        let (n, k, p) = (x.nrows(), self.classes.len(), self.n_features);
        let mut out = vec![T::zero(); n * k];
        let mut wk = vec![T::zero(); p];
        let mut col = vec![T::zero(); n];
        for c in 0..k {
            for (j, v) in wk.iter_mut().enumerate() {
                *v = self.coef[j * k + c];
            }
            x.gemv(T::one(), &wk, T::zero(), &mut col);
            for (i, &e) in col.iter().enumerate() {
                out[i * k + c] = e + self.intercept[c];
            }
        }
        Ok(out)
    }

    /// The class probabilities `softmax(η_i)`, `n × K` row-major, each row summing to 1
    /// (computed stably: the row's maximum is subtracted before exponentiating).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict_proba<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        let mut eta = self.decision_function(x)?;
        for row in eta.chunks_mut(self.classes.len()) {
            let mx = row.iter().copied().fold(T::neg_infinity(), T::max);
            let mut s = T::zero();
            for v in row.iter_mut() {
                *v = (*v - mx).exp();
                s += *v;
            }
            row.iter_mut().for_each(|v| *v /= s);
        }
        Ok(eta)
    }

    /// The predicted labels: the class of largest `η_i` (the first one on ties).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        let k = self.classes.len();
        Ok(self
            .decision_function(x)?
            .chunks(k)
            .map(|row| {
                let mut best = 0;
                for (c, &v) in row.iter().enumerate() {
                    if v > row[best] {
                        best = c;
                    }
                }
                self.classes[best]
            })
            .collect())
    }

    /// The accuracy of [`predict`](Self::predict) on `(x, y)`.
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
}

/// The sorted distinct labels of `y` and each sample's class index.
///
/// # Errors
/// [`Error::Empty`] for no labels, [`Error::NonFinite`] for NaN or infinite labels,
/// [`Error::InvalidTarget`] for one label only.
pub(crate) fn encode_classes<T: Scalar>(y: &[T]) -> Result<(Vec<T>, Vec<usize>)> {
    if y.is_empty() {
        return Err(Error::Empty { what: "y" });
    }
    ensure_all_finite("y", y)?;
    let mut classes = y.to_vec();
    classes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(core::cmp::Ordering::Equal));
    classes.dedup();
    if classes.len() < 2 {
        return Err(Error::InvalidTarget {
            datafit: "multinomial",
            index: None,
            reason: "one label only: multinomial regression needs at least two classes",
        });
    }
    let idx = y
        .iter()
        .map(|v| {
            classes
                .binary_search_by(|c| c.partial_cmp(v).unwrap_or(core::cmp::Ordering::Equal))
                .unwrap_or(0)
        })
        .collect();
    Ok((classes, idx))
}

impl<T: Scalar> MultinomialRegressionParams<T> {
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
    /// The grouped penalty `ρ Σ_j ‖W_j·‖₂ + ½(1−ρ)‖W‖²_F` (default `false`: entrywise).
    #[must_use]
    pub fn grouped(mut self, yes: bool) -> Self {
        self.grouped = yes;
        self
    }
    /// Fit unpenalised intercepts (default `true`).
    #[must_use]
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.fit_intercept = yes;
        self
    }
    /// Penalise the standardized columns (default `false`); coefficients are reported on the
    /// original scale.
    #[must_use]
    pub fn standardize(mut self, yes: bool) -> Self {
        self.standardize = yes;
        self
    }
    /// The tolerance on the relative duality gap (default `1e-4`).
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.tol = tol;
        self
    }
    /// The tolerance on the relative KKT violation (default: `tol`).
    #[must_use]
    pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
        self.kkt_tol = Some(kkt_tol);
        self
    }
    /// Maximal Newton iterations (default 200).
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Return [`Error::NotConverged`] instead of a model that did not converge.
    #[must_use]
    pub fn require_convergence(mut self, yes: bool) -> Self {
        self.require_convergence = yes;
        self
    }

    /// Validates every parameter.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for the first parameter out of its range.
    pub fn check(self) -> Result<MultinomialRegressionValidParams<T>> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        if !(self.l1_ratio >= T::zero() && self.l1_ratio <= T::one()) {
            return Err(Error::InvalidParameter {
                name: "l1_ratio",
                value: self.l1_ratio.as_f64(),
                expected: "a number in [0, 1]",
            });
        }
        ensure_positive_finite("tol", self.tol)?;
        if let Some(k) = self.kkt_tol {
            ensure_positive_finite("kkt_tol", k)?;
        }
        if self.max_iter == 0 {
            return Err(Error::InvalidParameter {
                name: "max_iter",
                value: 0.0,
                expected: ">= 1",
            });
        }
        Ok(MultinomialRegressionValidParams(self))
    }

    /// `alpha_max` on `(x, y)`: the smallest `alpha` whose fit has `W = 0` (the intercepts
    /// are then the centred log class shares), `max_jk |G_jk|/ρ` (entrywise) or
    /// `max_j ‖G_j·‖₂/ρ` (grouped) with `G = Xᵀ(P₀ − Y)/m` the gradient at that null model,
    /// with the same weights and standardization as [`fit`](Self::fit).
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(60, 2, |i, j| (((i * (j + 3)) % 11) as f64 - 5.0) / 3.0);
    /// let y: Vec<f64> = (0..60).map(|i| (i % 3) as f64).collect();
    /// let params = MultinomialRegression::params().grouped(true);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let model = params.alpha(amax).fit(&x, &y)?;
    /// assert!(model.coef().iter().all(|&w| w == 0.0));
    /// # Ok::<(), proxreg::Error>(())
    /// ```
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
        let (classes, idx) = encode_classes(y)?;
        let pb = v.problem(x, &idx, classes.len(), sample_weight)?;
        multinomial_alpha_max(&pb)
    }

    /// The regularization path: one fit per alpha of `alphas`, in the order given (decreasing
    /// from [`alpha_max`](Self::alpha_max) is the efficient order), each warm-started from the
    /// previous one; its own `alpha` is not used.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(60, 2, |i, j| (((i * (j + 3)) % 11) as f64 - 5.0) / 3.0);
    /// let y: Vec<f64> = (0..60).map(|i| (i % 3) as f64).collect();
    /// let params = MultinomialRegression::params().tol(1e-8);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let alphas = proxreg::solvers::alpha_grid(amax, 4, 1e-2)?;
    /// let path = params.path(&x, &y, None, &alphas)?;
    /// assert!(path[0].coef().iter().all(|&w| w == 0.0));
    /// assert!(path.iter().all(|m| m.status() == Status::Converged));
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
    ) -> Result<Vec<MultinomialRegression<T>>> {
        if alphas.is_empty() {
            return Err(Error::Empty { what: "alphas" });
        }
        for &a in alphas {
            ensure_nonneg_finite("alpha", a)?;
        }
        let v = self.clone().check()?;
        let (classes, idx) = encode_classes(y)?;
        let mut out: Vec<MultinomialRegression<T>> = Vec::with_capacity(alphas.len());
        for &a in alphas {
            let mut p = v.0.clone();
            p.alpha = a;
            let vp = MultinomialRegressionValidParams(p);
            let warm = out
                .last()
                .map(|m| (m.coef.as_slice(), m.intercept.as_slice()));
            let model = vp.fit_encoded(x, classes.clone(), &idx, sample_weight, warm)?;
            out.push(model);
        }
        Ok(out)
    }

    /// Validates, then fits.
    ///
    /// # Errors
    /// As [`MultinomialRegressionParams::check`] and [`MultinomialRegressionValidParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<MultinomialRegression<T>> {
        self.clone().check()?.fit(x, y)
    }

    /// Validates, then fits with sample weights.
    ///
    /// # Errors
    /// As [`MultinomialRegressionParams::fit`], plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<MultinomialRegression<T>> {
        self.clone().check()?.fit_weighted(x, y, sample_weight)
    }
}

impl<T: Scalar> MultinomialRegressionValidParams<T> {
    /// Fits on `(x, y)`: `y` holds `K >= 2` distinct finite labels (any values; sorted, they
    /// are the classes `0..K`). Dense designs and sparse CSC designs (run on the stored
    /// entries, never densified) are supported.
    ///
    /// # Errors
    /// Shapes ([`Error::DimensionMismatch`], [`Error::Empty`]), NaN/inf in `X` or `y`
    /// ([`Error::NonFinite`]), [`Error::InvalidTarget`] for one label only (or weights that
    /// leave one class only), and non-convergence when it is required.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<MultinomialRegression<T>> {
        let (classes, idx) = encode_classes(y)?;
        self.fit_encoded(x, classes, &idx, None, None)
    }

    /// Fits with sample weights `s_i >= 0` (objective `(1/Σs)·Σ s_i ℓ_i + penalty`).
    ///
    /// # Errors
    /// As [`MultinomialRegressionValidParams::fit`], plus invalid weights
    /// ([`Error::InvalidParameter`], [`Error::DimensionMismatch`]).
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<MultinomialRegression<T>> {
        let (classes, idx) = encode_classes(y)?;
        self.fit_encoded(x, classes, &idx, Some(sample_weight), None)
    }

    fn problem<'a, X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &'a X,
        idx: &'a [usize],
        k: usize,
        sample_weight: Option<&'a [T]>,
    ) -> Result<MultinomialProblem<'a, T, X>> {
        let p = &self.0;
        Ok(MultinomialProblem::new(x, idx, k)?
            .sample_weight(sample_weight)
            .alpha(p.alpha)
            .l1_ratio(p.l1_ratio)
            .grouped(p.grouped)
            .fit_intercept(p.fit_intercept)
            .standardize(p.standardize))
    }

    fn fit_encoded<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        classes: Vec<T>,
        idx: &[usize],
        sample_weight: Option<&[T]>,
        warm: Option<(&[T], &[T])>,
    ) -> Result<MultinomialRegression<T>> {
        let p = &self.0;
        let pb = self.problem(x, idx, classes.len(), sample_weight)?;
        let sol = MultinomialSolver::new()
            .tol(p.tol)
            .kkt_tol(p.kkt_tol)
            .max_iter(p.max_iter)
            .solve(&pb, warm)?;
        let converged = matches!(
            sol.termination,
            proxreg_solvers::Termination::Converged | proxreg_solvers::Termination::RoundingFloor
        );
        if p.require_convergence && !converged {
            return Err(Error::NotConverged {
                iterations: sol.n_iter,
                criterion: sol.relative_gap.unwrap_or(sol.relative_kkt).as_f64(),
                tol: p.tol.as_f64(),
            });
        }
        Ok(model_of(sol, classes, x.ncols(), p))
    }
}

fn model_of<T: Scalar>(
    sol: MultinomialSolution<T>,
    classes: Vec<T>,
    n_features: usize,
    p: &MultinomialRegressionParams<T>,
) -> MultinomialRegression<T> {
    let k = classes.len();
    let mut coef = sol.coef;
    if p.alpha == T::zero() {
        // Unregularised: W is determined up to a common vector per row; centre each row.
        for row in coef.chunks_mut(k) {
            let mean = row.iter().copied().sum::<T>() / T::from_count(k);
            row.iter_mut().for_each(|v| *v -= mean);
        }
    }
    let report = FitReport {
        objective: sol.objective,
        duality_gap: sol.duality_gap,
        relative_gap: sol.relative_gap,
        kkt_violation: sol.kkt_violation,
        n_iter: sol.n_iter,
        status: sol.termination.into(),
        rescaled: false,
    };
    MultinomialRegression {
        coef,
        intercept: sol.intercept,
        classes,
        n_features,
        alpha: p.alpha,
        l1_ratio: p.l1_ratio,
        grouped: p.grouped,
        report,
    }
}
