//! Cross-validated multinomial regression (glmnet's `cv.glmnet(family = "multinomial")`,
//! scikit-learn's multinomial `LogisticRegressionCV` with an alpha path).

use proxreg_core::{Error, Result, Scalar};
use proxreg_cv::{CvPath, Folds, KFold, StratifiedKFold};
use proxreg_linalg::DesignMatrix;

use super::cv::{select_over_ratios, CvSplit, Selection};
use super::model::Status;
use super::multinomial::{encode_classes, MultinomialRegression, MultinomialRegressionParams};

/// The held-out measure of [`MultinomialRegressionCv`] (sample-weighted over a fold's test
/// rows). Every measure is stored as a loss, lower is better: AUC as `1 − AUC`, so that the
/// selection maximises the AUC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MultinomialMeasure {
    /// The multinomial deviance `2·Σ s_i·(−log softmax(η_i)[c_i]) / Σ s_i` (glmnet's
    /// `type.measure = "deviance"`, the default; twice scikit-learn's `log_loss`), computed
    /// from `η` by a stable log-sum-exp.
    #[default]
    Deviance,
    /// The weighted share of rows whose largest `η_i` (the first one on ties, as
    /// [`MultinomialRegression::predict`]) is not their class (glmnet's `"class"`).
    Misclassification,
    /// `1 − ` the one-vs-rest AUC, macro averaged: per class `k`, the AUC of the probability
    /// `P(k | x_i)` separating class `k` from the others (ties counted half, pairs weighted
    /// `s_i·s_j`, [`proxreg_cv::auc`]), then the plain mean over the `K` classes (scikit-learn's
    /// `roc_auc_score(multi_class = "ovr", average = "macro")`). Needs every class in every
    /// held-out fold.
    Auc,
}

impl MultinomialMeasure {
    /// The measure's name (`"deviance"`, `"class"`, `"auc"`, as glmnet's `type.measure`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Deviance => "deviance",
            Self::Misclassification => "class",
            Self::Auc => "auc",
        }
    }

    /// The loss (lower is better) of the linear predictors `eta` (`n × k` row-major, as
    /// [`MultinomialRegression::decision_function`]) for the class indices `y` (`0..k`, one per
    /// row), weighted by `weights` (`None`: equal). `1 − AUC` for [`MultinomialMeasure::Auc`].
    /// NaN when no row has positive weight, or (AUC) when a class has no row of positive weight.
    ///
    /// ```
    /// use proxreg::MultinomialMeasure;
    /// // Two rows, three classes: each row's largest predictor is its class.
    /// let eta = [2.0, 0.0, 0.0, 0.0, 0.0, 2.0];
    /// assert_eq!(MultinomialMeasure::Misclassification.eval(&[0, 2], &eta, 3, None), 0.0);
    /// assert!(MultinomialMeasure::Deviance.eval(&[0, 2], &eta, 3, None) > 0.0);
    /// ```
    ///
    /// # Panics
    /// If `eta` has fewer than `y.len()·k` entries, a class index is `>= k`, or `weights` is
    /// shorter than `y` (the cross-validation always passes consistent lengths).
    pub fn eval<T: Scalar>(self, y: &[usize], eta: &[T], k: usize, weights: Option<&[T]>) -> T {
        let w = |i: usize| weights.map_or_else(T::one, |s| s[i]);
        let row = |i: usize| &eta[i * k..(i + 1) * k];
        let per_row = |f: &dyn Fn(usize, &[T]) -> T| -> T {
            let (mut num, mut den) = (T::zero(), T::zero());
            for (i, &c) in y.iter().enumerate() {
                let s = w(i);
                if s > T::zero() {
                    num += s * f(c, row(i));
                    den += s;
                }
            }
            num / den
        };
        match self {
            Self::Deviance => per_row(&|c, r| {
                let mx = r.iter().copied().fold(T::neg_infinity(), T::max);
                let se: T = r.iter().map(|&v| (v - mx).exp()).sum();
                T::lit(2.0) * (mx + se.ln() - r[c])
            }),
            Self::Misclassification => per_row(&|c, r| {
                let mut best = 0;
                for (j, &v) in r.iter().enumerate() {
                    if v > r[best] {
                        best = j;
                    }
                }
                if best == c {
                    T::zero()
                } else {
                    T::one()
                }
            }),
            Self::Auc => {
                let n = y.len();
                let mut prob = vec![T::zero(); n * k];
                for i in 0..n {
                    let r = row(i);
                    let mx = r.iter().copied().fold(T::neg_infinity(), T::max);
                    let pr = &mut prob[i * k..(i + 1) * k];
                    let mut s = T::zero();
                    for (p, &v) in pr.iter_mut().zip(r) {
                        *p = (v - mx).exp();
                        s += *p;
                    }
                    pr.iter_mut().for_each(|p| *p /= s);
                }
                let mut total = T::zero();
                let mut lab = vec![T::zero(); n];
                let mut score = vec![T::zero(); n];
                for c in 0..k {
                    for i in 0..n {
                        lab[i] = if y[i] == c { T::one() } else { T::zero() };
                        score[i] = prob[i * k + c];
                    }
                    total += proxreg_cv::auc(&lab, &score, weights);
                }
                T::one() - total / T::from_count(k)
            }
        }
    }

    /// The measure's natural value from its loss: the AUC (`1 − loss`) for
    /// [`MultinomialMeasure::Auc`], the loss unchanged otherwise.
    pub fn score<T: Scalar>(self, loss: T) -> T {
        match self {
            Self::Auc => T::one() - loss,
            _ => loss,
        }
    }

    /// Whether the natural value is maximised (AUC) rather than minimised.
    pub fn greater_is_better(self) -> bool {
        matches!(self, Self::Auc)
    }
}

/// Unchecked cross-validated multinomial-regression hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `l1_ratio` | 1 | mix ρ: 1 = lasso, 0 = ridge (needs `alphas`), between = elastic net | `[0, 1]` |
/// | `l1_ratios` | none | a grid of mixes, each on its own alpha grid; the best pair is selected | `[0, 1]` each, non-empty |
/// | `grouped` | false | the grouped penalty `ρΣ_j‖W_j·‖₂` (glmnet's `type.multinomial = "grouped"`) | |
/// | `n_alphas` | 100 | length of the automatic grid | `>= 1` |
/// | `eps` | 1e-3 | `alpha_min / alpha_max` of the automatic grid | `(0, 1)` |
/// | `alphas` | automatic | a given grid (sorted decreasing) | finite, `>= 0`, non-empty |
/// | `stratified` / `cv` / `fold_ids` | `StratifiedKFold::new(5)` | the folds: stratified by class (as [`LogisticRegressionCv`](crate::LogisticRegressionCv)), plain K-fold, or given | every class in every training fold |
/// | `measure` | `Deviance` | held-out measure ([`MultinomialMeasure`]; AUC is maximised) | |
/// | `selection` | `Min` | minimum or one-standard-error rule | |
/// | `parallel` | true | folds in parallel (feature `rayon`), bitwise identical to serial | |
/// | `fit_intercept`, `standardize`, `tol`, `kkt_tol`, `max_iter` | as [`MultinomialRegressionParams`] | every fit (folds and refit) | |
/// | `require_convergence` | false | the **refit** errors instead of returning a non-converged model | |
///
/// **Grid.** The automatic grid runs from `alpha_max` of the full data
/// ([`MultinomialRegressionParams::alpha_max`], same weights, standardization and penalty
/// form) down to `eps·alpha_max`, log-spaced. On (nearly) separable classes the fits at the
/// small end grow large and slow; raise `eps` (LogisticRegressionCv uses `1e-2`) or give
/// `alphas` then.
///
/// **Folds.** The classes are those of the full data (sorted distinct labels). Each fold fits
/// the warm-started path ([`MultinomialRegressionParams::path`]) on its training rows, computes
/// `η` on its held-out rows and scores every alpha with the measure (weighted by the held-out
/// rows' weights with [`fit_weighted`](Self::fit_weighted)). Mean, standard error,
/// `lambda_min` and `lambda_1se` are those of the other estimators
/// ([`CvPath::from_fold_errors`]); the model is refitted on all the data at the selection.
///
/// **A fold without a class.** A training fold holding no row (of positive weight) of a class
/// of the full data cannot fit that class (its unpenalised intercept would tend to `−∞`):
/// the fit returns [`Error::FoldMissingClass`] naming the fold and the class rather than a
/// model that silently drops or invents it. Stratified folds avoid it whenever every class has
/// at least two rows. With [`MultinomialMeasure::Auc`] every held-out fold must also hold
/// every class (the same error, `part: "held-out"`).
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{Error, MultinomialMeasure, MultinomialRegressionCv};
/// let x = ColMajor::from_fn(60, 3, |i, j| (((i * (j + 2) + 3 * j) % 11) as f64 - 5.0) / 3.0);
/// let y: Vec<f64> = (0..60).map(|i| if x.col(0)[i] > 0.5 { 5.0 } else if x.col(2)[i] > 0.0 { -1.0 } else { 2.0 }).collect();
/// let w: Vec<f64> = (0..60).map(|i| 1.0 + (i % 3) as f64).collect();
/// let params = MultinomialRegressionCv::params()
///     .grouped(true)
///     .l1_ratios(vec![0.5, 1.0])
///     .n_alphas(10)
///     .eps(1e-2)
///     .measure(MultinomialMeasure::Auc);
/// let cv = params.fit_weighted(&x, &y, &w)?;
/// assert_eq!(cv.paths().len(), 2); // one cross-validation per l1_ratio
/// assert!(cv.cv_score()[cv.index_min()] > 0.5); // the mean AUC at the selection
/// // Contiguous folds of rows sorted by label would leave a class out of a training fold.
/// let mut order: Vec<usize> = (0..60).collect();
/// order.sort_by(|&a, &b| y[a].partial_cmp(&y[b]).unwrap());
/// let xs = x.select_rows(&order)?;
/// let ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
/// let err = params
///     .measure(MultinomialMeasure::Deviance)
///     .cv(KFold::new(3))
///     .fit(&xs, &ys)
///     .unwrap_err();
/// // fold 1 holds out rows 20..40: every row of label 2
/// assert!(matches!(err, Error::FoldMissingClass { fold: 1, part: "training", class } if class == 2.0));
/// # Ok::<(), proxreg::Error>(())
/// ```
///
/// # Errors
/// See [`check`](Self::check) and [`fit`](Self::fit).
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialRegressionCvParams<T> {
    base: MultinomialRegressionParams<T>,
    l1_ratio: T,
    l1_ratios: Option<Vec<T>>,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    cv: CvSplit,
    measure: MultinomialMeasure,
    selection: Selection,
    parallel: bool,
}

/// A fitted cross-validated multinomial regression: the cross-validation curve of a
/// [`MultinomialMeasure`] along the alpha grid (per `l1_ratio`), the selected alpha
/// (`lambda_min` or `lambda_1se`), the folds' certificates, and the
/// [`MultinomialRegression`] refitted on all the data there.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{MultinomialMeasure, MultinomialRegressionCv, StratifiedKFold};
/// let x = ColMajor::from_fn(90, 3, |i, j| (((i * (j + 3) + 5 * j) % 13) as f64 - 6.0) / 4.0);
/// let y: Vec<f64> = (0..90)
///     .map(|i| {
///         let (a, b) = (x.col(0)[i], x.col(1)[i] + 0.2 * ((i * 7) % 3) as f64);
///         if a > 0.5 { 2.0 } else if b > 0.0 { 1.0 } else { 0.0 }
///     })
///     .collect();
/// let cv = MultinomialRegressionCv::params()
///     .n_alphas(15)
///     .eps(1e-2)
///     .stratified(StratifiedKFold::new(3).shuffle(Some(1)))
///     .measure(MultinomialMeasure::Deviance)
///     .tol(1e-8)
///     .fit(&x, &y)?;
/// assert_eq!(cv.cv_errors()[0].len(), 3); // [alpha][fold]
/// assert!(cv.alpha_1se() >= cv.alpha_min());
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// assert_eq!(cv.classes(), [0.0, 1.0, 2.0]);
/// assert!(cv.max_relative_gap().unwrap() <= 1e-8);
/// assert!(cv.score(&x, &y)? > 0.8); // accuracy of the refit
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialRegressionCv<T> {
    paths: Vec<CvPath<T>>,
    l1_ratios: Vec<T>,
    best: usize,
    min_ratio: usize,
    index: usize,
    selection: Selection,
    measure: MultinomialMeasure,
    fold_max_gaps: Vec<Option<T>>,
    model: MultinomialRegression<T>,
}

impl<T: Scalar> MultinomialRegressionCv<T> {
    /// The builder, with the defaults of [`MultinomialRegressionCvParams`].
    pub fn params() -> MultinomialRegressionCvParams<T> {
        MultinomialRegressionCvParams {
            base: MultinomialRegression::params(),
            l1_ratio: T::one(),
            l1_ratios: None,
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            cv: CvSplit::Stratified(StratifiedKFold::new(5)),
            measure: MultinomialMeasure::Deviance,
            selection: Selection::Min,
            parallel: true,
        }
    }
    /// The selected alpha (`alpha_min` or `alpha_1se` by [`selection`](Self::selection)).
    pub fn alpha(&self) -> T {
        self.path().alphas[self.index]
    }
    /// Index of the selected alpha in [`alphas`](Self::alphas).
    pub fn index(&self) -> usize {
        self.index
    }
    /// The alpha of minimal mean loss (glmnet's `lambda.min`) on the selected `l1_ratio`.
    pub fn alpha_min(&self) -> T {
        self.path().alphas[self.path().index_min]
    }
    /// The largest alpha whose mean loss is within one standard error of the minimum (glmnet's
    /// `lambda.1se`) on the selected `l1_ratio`; `>= alpha_min()`.
    pub fn alpha_1se(&self) -> T {
        self.path().alphas[self.path().index_1se]
    }
    /// Index of [`alpha_min`](Self::alpha_min).
    pub fn index_min(&self) -> usize {
        self.path().index_min
    }
    /// Index of [`alpha_1se`](Self::alpha_1se).
    pub fn index_1se(&self) -> usize {
        self.path().index_1se
    }
    /// The selected ℓ1 ratio ρ.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratios[self.best]
    }
    /// The `l1_ratio` grid, in the order given (one value without a grid).
    pub fn l1_ratios(&self) -> &[T] {
        &self.l1_ratios
    }
    /// The `l1_ratio` of the minimal mean loss (equal to [`l1_ratio`](Self::l1_ratio) under
    /// [`Selection::Min`]).
    pub fn l1_ratio_min(&self) -> T {
        self.l1_ratios[self.min_ratio]
    }
    /// The cross-validation of every `l1_ratio` (same order as
    /// [`l1_ratios`](Self::l1_ratios)).
    pub fn paths(&self) -> &[CvPath<T>] {
        &self.paths
    }
    /// The cross-validation of the selected `l1_ratio` (its `mse` field holds the measure's
    /// losses).
    pub fn path(&self) -> &CvPath<T> {
        &self.paths[self.best]
    }
    /// The selection rule used.
    pub fn selection(&self) -> Selection {
        self.selection
    }
    /// The held-out measure.
    pub fn measure(&self) -> MultinomialMeasure {
        self.measure
    }
    /// The alpha grid (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.path().alphas
    }
    /// Held-out losses `[alpha][fold]` (`1 − AUC` for [`MultinomialMeasure::Auc`]).
    pub fn cv_errors(&self) -> &[Vec<T>] {
        &self.path().mse
    }
    /// Mean over folds of the held-out loss, per alpha (the curve that is minimised).
    pub fn cv_mean(&self) -> &[T] {
        &self.path().mean
    }
    /// Standard error of [`cv_mean`](Self::cv_mean) (sd over folds / √K).
    pub fn cv_std_err(&self) -> &[T] {
        &self.path().std_err
    }
    /// The mean curve in the measure's own terms: the mean AUC for
    /// [`MultinomialMeasure::Auc`] (`1 − cv_mean`), [`cv_mean`](Self::cv_mean) otherwise.
    pub fn cv_score(&self) -> Vec<T> {
        self.path()
            .mean
            .iter()
            .map(|&m| self.measure.score(m))
            .collect()
    }
    /// Warning flag: the minimal mean loss is at the first or last alpha of its grid (the
    /// optimum may lie outside; widen the grid).
    pub fn on_grid_edge(&self) -> bool {
        let p = &self.paths[self.min_ratio];
        p.index_min == 0 || p.index_min + 1 == p.alphas.len()
    }
    /// The largest relative duality gap over every (`l1_ratio`, fold, alpha) fit (`None` if a
    /// fit has no gap).
    pub fn max_relative_gap(&self) -> Option<T> {
        self.fold_max_gaps
            .iter()
            .try_fold(T::zero(), |m, g| g.map(|g| m.max(g)))
    }
    /// The largest relative duality gap of each fold's paths (every `l1_ratio`), in fold order.
    pub fn fold_max_relative_gaps(&self) -> &[Option<T>] {
        &self.fold_max_gaps
    }
    /// Number of (`l1_ratio`, fold, alpha) fits that did not reach the tolerance.
    pub fn n_not_converged(&self) -> usize {
        self.paths.iter().map(|p| p.n_not_converged).sum()
    }
    /// The multinomial regression refitted on all the data at the selected alpha.
    pub fn model(&self) -> &MultinomialRegression<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> MultinomialRegression<T> {
        self.model
    }
    /// The classes (sorted distinct labels of the full data).
    pub fn classes(&self) -> &[T] {
        self.model.classes()
    }
    /// The refit's coefficients, `p × K` row-major.
    pub fn coef(&self) -> &[T] {
        self.model.coef()
    }
    /// The refit's intercepts (`K`).
    pub fn intercept(&self) -> &[T] {
        self.model.intercept()
    }
    /// The refit's class probabilities, `n × K` row-major.
    ///
    /// # Errors
    /// As [`MultinomialRegression::predict_proba`].
    pub fn predict_proba<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict_proba(x)
    }
    /// The refit's predicted labels.
    ///
    /// # Errors
    /// As [`MultinomialRegression::predict`].
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict(x)
    }
    /// The refit's accuracy on `(x, y)`.
    ///
    /// # Errors
    /// As [`MultinomialRegression::score`].
    pub fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        self.model.score(x, y)
    }
}

impl<T: Scalar> MultinomialRegressionCvParams<T> {
    /// The mix ρ ∈ [0, 1] (default 1; 0 needs [`alphas`](Self::alphas)); replaces an
    /// [`l1_ratios`](Self::l1_ratios) grid.
    #[must_use]
    pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
        self.l1_ratio = l1_ratio;
        self.l1_ratios = None;
        self
    }
    /// A grid of mixes, each cross-validated on its own alpha grid; the pair of minimal mean
    /// loss is selected (under [`Selection::OneStandardError`] the sparsest pair within one
    /// standard error of it, largest `alpha·l1_ratio`).
    #[must_use]
    pub fn l1_ratios(mut self, l1_ratios: Vec<T>) -> Self {
        self.l1_ratios = Some(l1_ratios);
        self
    }
    /// The grouped penalty (default `false`: entrywise), as
    /// [`MultinomialRegressionParams::grouped`].
    #[must_use]
    pub fn grouped(mut self, yes: bool) -> Self {
        self.base = self.base.grouped(yes);
        self
    }
    /// Length of the automatic grid (default 100).
    #[must_use]
    pub fn n_alphas(mut self, n: usize) -> Self {
        self.n_alphas = n;
        self
    }
    /// `alpha_min / alpha_max` of the automatic grid (default `1e-3`).
    #[must_use]
    pub fn eps(mut self, eps: T) -> Self {
        self.eps = eps;
        self
    }
    /// A given alpha grid (sorted decreasing before use) instead of the automatic one.
    #[must_use]
    pub fn alphas(mut self, alphas: Vec<T>) -> Self {
        self.alphas = Some(alphas);
        self
    }
    /// Plain K-fold splitting, contiguous (or shuffled), without regard to the classes.
    #[must_use]
    pub fn cv(mut self, kfold: KFold) -> Self {
        self.cv = CvSplit::KFold(kfold);
        self
    }
    /// Stratified K-fold splitting (default `StratifiedKFold::new(5)`): every fold holds the
    /// classes in the proportions of the whole.
    #[must_use]
    pub fn stratified(mut self, folds: StratifiedKFold) -> Self {
        self.cv = CvSplit::Stratified(folds);
        self
    }
    /// User fold ids, one per sample, `0..K` (glmnet's `foldid`).
    #[must_use]
    pub fn fold_ids(mut self, ids: Vec<usize>) -> Self {
        self.cv = CvSplit::FoldIds(ids);
        self
    }
    /// The held-out measure (default [`MultinomialMeasure::Deviance`]).
    #[must_use]
    pub fn measure(mut self, measure: MultinomialMeasure) -> Self {
        self.measure = measure;
        self
    }
    /// Minimum (default) or one-standard-error selection.
    #[must_use]
    pub fn selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }
    /// Fit the folds in parallel on rayon's current pool (default `true`; sequential without
    /// the `rayon` feature). The results are bitwise identical either way.
    #[must_use]
    pub fn parallel(mut self, yes: bool) -> Self {
        self.parallel = yes;
        self
    }
    /// Fit unpenalised intercepts (default `true`).
    #[must_use]
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.base = self.base.fit_intercept(yes);
        self
    }
    /// Penalise the standardized columns (default `false`; each fold standardizes its own
    /// training rows, the refit all rows).
    #[must_use]
    pub fn standardize(mut self, yes: bool) -> Self {
        self.base = self.base.standardize(yes);
        self
    }
    /// The relative duality gap of every fit (default `1e-4`).
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.base = self.base.tol(tol);
        self
    }
    /// The relative KKT violation of every fit (default: `tol`).
    #[must_use]
    pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
        self.base = self.base.kkt_tol(kkt_tol);
        self
    }
    /// Maximal Newton iterations per fit (default 200).
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.base = self.base.max_iter(max_iter);
        self
    }
    /// The **refit** returns [`Error::NotConverged`] instead of a non-converged model (the
    /// folds' non-converged fits are counted in
    /// [`n_not_converged`](MultinomialRegressionCv::n_not_converged)).
    #[must_use]
    pub fn require_convergence(mut self, yes: bool) -> Self {
        self.base = self.base.require_convergence(yes);
        self
    }

    /// The `l1_ratio` grid (the one `l1_ratio` without a grid).
    fn ratios(&self) -> Vec<T> {
        self.l1_ratios
            .clone()
            .unwrap_or_else(|| vec![self.l1_ratio])
    }

    /// The single-fit parameters at `l1_ratio` (folds: without `require_convergence`).
    fn at(&self, l1_ratio: T, refit: bool) -> MultinomialRegressionParams<T> {
        let p = self.base.clone().l1_ratio(l1_ratio);
        if refit {
            p
        } else {
            p.require_convergence(false)
        }
    }

    /// Validates the parameters that do not depend on the data (folds are checked at fit).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter (NaN
    /// included).
    pub fn check(&self) -> Result<()> {
        if self.l1_ratios.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::Empty { what: "l1_ratios" });
        }
        for r in self.ratios() {
            self.at(r, true).check()?;
        }
        proxreg_solvers::check_grid(self.n_alphas, self.eps)?;
        if let Some(a) = &self.alphas {
            if a.is_empty() {
                return Err(Error::Empty { what: "alphas" });
            }
            for &v in a {
                proxreg_core::error::ensure_nonneg_finite("alphas", v)?;
            }
        }
        Ok(())
    }

    /// Validates, cross-validates, selects and refits on `(x, y)` (`K >= 2` distinct finite
    /// labels).
    ///
    /// # Errors
    /// As [`check`](Self::check); shapes ([`Error::DimensionMismatch`]); NaN/inf in `X` or
    /// `y` ([`Error::NonFinite`]); one label only ([`Error::InvalidTarget`]); bad folds for
    /// this `n` (fold ids out of range or leaving a fold empty, more folds than samples,
    /// stratified folds with more folds than the largest class);
    /// [`Error::FoldMissingClass`] for a training fold without a class (or, with AUC, a
    /// held-out fold); [`Error::Unsupported`] for `l1_ratio = 0` with the automatic grid;
    /// the refit's non-convergence when required.
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<MultinomialRegressionCv<T>> {
        self.fit_inner(x, y, None)
    }

    /// As [`fit`](Self::fit) with sample weights `s_i >= 0`: every fold's fit uses its training
    /// rows' weights, the held-out measure its test rows' weights, and the grid and the refit
    /// all the weights. A class is present in a fold when one of its rows there has positive
    /// weight.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<MultinomialRegressionCv<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<MultinomialRegressionCv<T>> {
        self.check()?;
        let n = x.nrows();
        if y.len() != n {
            return Err(Error::DimensionMismatch {
                what: "y length vs X rows",
                expected: n,
                found: y.len(),
            });
        }
        if let Some(s) = w {
            if s.len() != n {
                return Err(Error::DimensionMismatch {
                    what: "sample_weight length vs X rows",
                    expected: n,
                    found: s.len(),
                });
            }
            for (i, &v) in s.iter().enumerate() {
                if !v.is_finite() {
                    return Err(Error::NonFinite {
                        what: "sample_weight",
                        index: i,
                    });
                }
            }
        }
        let (classes, idx) = encode_classes(y)?;
        let folds = self.cv.folds_for(n, Some(y))?;
        let ratios = self.ratios();
        let mut paths = Vec::with_capacity(ratios.len());
        let mut fold_max_gaps: Vec<Option<T>> = vec![Some(T::zero()); folds.n_folds()];
        for &ratio in &ratios {
            let params = self.at(ratio, false);
            let alphas = match self.alphas.as_deref() {
                Some(a) => {
                    let mut a = a.to_vec();
                    a.sort_by(|u, v| v.partial_cmp(u).unwrap_or(core::cmp::Ordering::Equal));
                    a
                }
                None => {
                    let amax = params.alpha_max(x, y, w)?;
                    proxreg_solvers::alpha_grid(amax, self.n_alphas, self.eps)?
                }
            };
            let job = FoldJob {
                params: &params,
                measure: self.measure,
                parallel: self.parallel,
                x,
                y,
                idx: &idx,
                classes: &classes,
                w,
                folds: &folds,
                alphas: &alphas,
            };
            let outs = job.run_all()?;
            let fold_errors: Vec<Vec<T>> = outs.iter().map(|o| o.errors.clone()).collect();
            let n_not_converged = outs.iter().map(|o| o.not_converged).sum();
            for (g, o) in fold_max_gaps.iter_mut().zip(&outs) {
                *g = match (*g, o.max_gap) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            paths.push(CvPath::from_fold_errors(
                alphas,
                &fold_errors,
                n_not_converged,
            )?);
        }
        let (best, index, min_ratio) = select_over_ratios(&paths, &ratios, self.selection);
        let refit = self.at(ratios[best], true).alpha(paths[best].alphas[index]);
        let model = match w {
            Some(s) => refit.fit_weighted(x, y, s)?,
            None => refit.fit(x, y)?,
        };
        Ok(MultinomialRegressionCv {
            paths,
            l1_ratios: ratios,
            best,
            min_ratio,
            index,
            selection: self.selection,
            measure: self.measure,
            fold_max_gaps,
            model,
        })
    }
}

/// One fold's results: its held-out loss per alpha, how many fits did not converge, and its
/// path's largest relative gap.
struct FoldOut<T> {
    errors: Vec<T>,
    not_converged: usize,
    max_gap: Option<T>,
}

/// Everything a fold's fit reads.
struct FoldJob<'a, T, X: ?Sized> {
    params: &'a MultinomialRegressionParams<T>,
    measure: MultinomialMeasure,
    parallel: bool,
    x: &'a X,
    y: &'a [T],
    /// Each row's class index among `classes`.
    idx: &'a [usize],
    classes: &'a [T],
    w: Option<&'a [T]>,
    folds: &'a Folds,
    alphas: &'a [T],
}

impl<T: Scalar, X: DesignMatrix<T> + Sync + ?Sized> FoldJob<'_, T, X> {
    /// Every fold, in fold order: in parallel when asked (and the `rayon` feature is on). Each
    /// fold's computation is sequential and the results are collected in order, so the output
    /// (or the error: the first failing fold's) does not depend on the number of threads.
    fn run_all(&self) -> Result<Vec<FoldOut<T>>> {
        let k = self.folds.n_folds();
        #[cfg(feature = "rayon")]
        if self.parallel {
            use rayon::prelude::*;
            let outs: Vec<Result<FoldOut<T>>> =
                (0..k).into_par_iter().map(|f| self.run(f)).collect();
            return outs.into_iter().collect();
        }
        (0..k).map(|f| self.run(f)).collect()
    }

    /// The first class without a row of positive weight among `rows`.
    fn missing_class(&self, rows: &[usize]) -> Option<usize> {
        let mut seen = vec![false; self.classes.len()];
        for &i in rows {
            if self.w.is_none_or(|s| s[i] > T::zero()) {
                seen[self.idx[i]] = true;
            }
        }
        seen.iter().position(|&s| !s)
    }

    /// Fold `f`: the path on its training rows, scored on its test rows.
    fn run(&self, f: usize) -> Result<FoldOut<T>> {
        let (train, test) = (self.folds.train(f), self.folds.test(f));
        for (rows, part) in [(train.as_slice(), "training"), (test, "held-out")] {
            if part == "held-out" && self.measure != MultinomialMeasure::Auc {
                continue;
            }
            if let Some(c) = self.missing_class(rows) {
                return Err(Error::FoldMissingClass {
                    fold: f,
                    part,
                    class: self.classes[c].as_f64(),
                });
            }
        }
        let pick = |v: &[T], rows: &[usize]| rows.iter().map(|&i| v[i]).collect::<Vec<T>>();
        let y_train = pick(self.y, &train);
        let w_train = self.w.map(|s| pick(s, &train));
        let w_test = self.w.map(|s| pick(s, test));
        let idx_test: Vec<usize> = test.iter().map(|&i| self.idx[i]).collect();
        let x_train = self.x.select_rows(&train)?;
        let path = self
            .params
            .path(&x_train, &y_train, w_train.as_deref(), self.alphas)?;
        let x_test = self.x.select_rows(test)?;
        let k = self.classes.len();
        let mut errors = Vec::with_capacity(path.len());
        let mut not_converged = 0;
        let mut max_gap = Some(T::zero());
        for m in &path {
            let eta = m.decision_function(&x_test)?;
            errors.push(self.measure.eval(&idx_test, &eta, k, w_test.as_deref()));
            not_converged += usize::from(!matches!(
                m.status(),
                Status::Converged | Status::RoundingFloor
            ));
            max_gap = match (max_gap, m.report().relative_gap) {
                (Some(a), Some(g)) => Some(a.max(g)),
                _ => None,
            };
        }
        Ok(FoldOut {
            errors,
            not_converged,
            max_gap,
        })
    }
}
