//! Cross-validated penalised logistic regression (glmnet's `cv.glmnet(family = "binomial")`,
//! scikit-learn's `LogisticRegressionCV` with an alpha path).

use proxreg_core::datafit::Logistic;
use proxreg_core::penalty::{self, Penalty, SeparablePenalty};
use proxreg_core::{Error, Result, Scalar};
pub use proxreg_cv::ClassMeasure;
use proxreg_cv::{CvPath, Folds, KFold, StratifiedKFold};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::Path;

use super::cv::{check_grid, select_over_ratios, CvSplit, Selection};
use super::linear::common_setters;
use super::logistic::{encode_binary, LogisticRegression, LogisticRegressionParams};
use super::options::{with_separable, Data, OnSeparable, Options, SolverChoice};

/// Unchecked cross-validated logistic-regression hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `l1_ratio` | 1 | mix ρ: 1 = lasso, 0 = ridge (needs `alphas`), between = elastic net | `[0, 1]` |
/// | `l1_ratios` | none | a grid of mixes, each on its own alpha grid; the best pair is selected | `[0, 1]` each, non-empty |
/// | `n_alphas` | 100 | length of the automatic grid | `>= 1` |
/// | `eps` | 1e-2 | `alpha_min / alpha_max` of the automatic grid (see below) | `(0, 1)` |
/// | `alphas` | automatic | a given grid (sorted decreasing) | finite, `>= 0`, non-empty |
/// | `stratified` / `cv` / `fold_ids` | `StratifiedKFold::new(5)` | the folds: stratified by class (scikit-learn's classifier default), plain K-fold, or given | `2 <= K <=` the largest class |
/// | `measure` | `Deviance` | held-out measure ([`ClassMeasure`]; AUC is maximised) | |
/// | `selection` | `Min` | minimum or one-standard-error rule | |
/// | `parallel` | true | folds in parallel (feature `rayon`), bitwise identical to serial | |
/// | `fit_intercept` | true | unpenalised intercept | |
/// | `standardize` | false | penalise standardized columns (each fold's training rows; the refit: all rows) | |
/// | `penalty_factors` | none | per-feature factors, 0 = unpenalised | `[0, ∞)` each |
/// | `positive` / `bounds` | none | box constraint on every coefficient | `lower <= 0 <= upper` |
/// | `warm_start` | none | initial coefficients of the **refit** only (fold paths start at 0) | length p |
/// | `tol` | 1e-4 | relative duality gap of every fit | `(0, ∞)` |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇F(0)‖_∞` | `(0, ∞)` |
/// | `max_iter` | 200 | maximal Newton iterations per fit | `>= 1` |
/// | `require_convergence` | false | the **refit** errors instead of returning a non-converged model | |
///
/// **Grid.** The automatic grid runs from `alpha_max` of the full data
/// ([`LogisticRegressionParams::alpha_max`]: same weights, standardization, penalty factors and
/// bounds) down to `eps·alpha_max`, log-spaced. `eps = 1e-2` (glmnet's `lambda.min.ratio` when
/// `n < p`, rather than the Gaussian estimators' `1e-3`): towards `α → 0` a logistic fit tends
/// to the unpenalised one, which does not exist on (nearly) separable data — common for
/// logistic problems — and whose coefficients, and Newton iterations, grow without bound; the
/// held-out deviance of that tail is rarely the best, and the path's cost is concentrated
/// there. When [`LogisticRegressionCv::on_grid_edge`] says the minimum is at the end of the
/// grid, lower `eps` (or give `alphas`).
///
/// **Folds.** Each fold fits the warm-started path with [`ProxNewton::path`] on its training
/// rows (labels encoded 0/1 as [`LogisticRegression`] does, with the same penalty, factors and
/// box), predicts `η = Xw + b` on its held-out rows and scores every alpha with the measure
/// (weighted by the held-out rows' sample weights with [`fit_weighted`](Self::fit_weighted)).
/// Mean, standard error (sd over folds / √K), `lambda_min` and `lambda_1se` are those of the
/// Gaussian estimators ([`CvPath::from_fold_errors`]). The model is then refitted on all the data
/// at the selected alpha.
///
/// **scikit-learn.** `LogisticRegressionCV` grids `C`, so a fold with `m` training rows fits
/// `alpha = 1/(m·C)` and its refit on all `n` rows `alpha = 1/(n·C)`; here alpha is the same in
/// every fold and in the refit (the objective is a mean). With folds of equal size the curves
/// agree (tested against scikit-learn 1.9.1, `tests/fixtures/logistic_cv_sklearn.json`).
///
/// [`ProxNewton::path`]: proxreg_solvers::ProxNewton::path
///
/// # Errors
/// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter;
/// [`Error::InvalidTarget`] for labels that are not two classes; [`Error::FoldMissingClass`]
/// (naming the fold, the part and the missing label) for a training fold with one class only,
/// and (measure AUC) for a held-out fold with one class only.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionCvParams<T> {
    l1_ratio: T,
    /// An `l1_ratio` grid (`None`: the one `l1_ratio`).
    l1_ratios: Option<Vec<T>>,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    cv: CvSplit,
    measure: ClassMeasure,
    selection: Selection,
    parallel: bool,
    opts: Options<T>,
}

/// A fitted cross-validated logistic regression: the cross-validation curve of the chosen
/// [`ClassMeasure`] along the alpha grid, the selected alpha (`lambda_min` or `lambda_1se`),
/// the folds' certificates, and the [`LogisticRegression`] refitted on all the data there.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{ClassMeasure, KFold, LogisticRegressionCv};
/// let x = ColMajor::from_fn(80, 4, |i, j| (((i * (j + 3) + 5 * j) % 13) as f64 - 6.0) / 4.0);
/// let y: Vec<f64> = (0..80)
///     .map(|i| if x.col(0)[i] - x.col(2)[i] + 0.3 * ((i * 7) % 5) as f64 > 0.2 { 1.0 } else { -1.0 })
///     .collect();
/// let cv = LogisticRegressionCv::params()
///     .n_alphas(20)
///     .cv(KFold::new(4).shuffle(Some(3)))
///     .measure(ClassMeasure::Deviance)
///     .selection(Selection::OneStandardError)
///     .tol(1e-8)
///     .fit(&x, &y)?;
/// assert_eq!(cv.alphas().len(), 20);
/// assert_eq!(cv.cv_errors()[0].len(), 4); // [alpha][fold]
/// assert!(cv.alpha_1se() >= cv.alpha_min());
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// assert!(cv.max_relative_gap().unwrap() <= 1e-8);
/// let labels = cv.predict(&x)?; // in the user's labels, -1.0 / 1.0
/// assert!(labels.iter().all(|&l| l == -1.0 || l == 1.0));
/// assert!(cv.score(&x, &y)? > 0.7); // accuracy of the refit
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionCv<T> {
    /// One cross-validation per `l1_ratio`.
    paths: Vec<CvPath<T>>,
    l1_ratios: Vec<T>,
    /// The selected `l1_ratio`'s index, and the minimal mean loss's.
    best: usize,
    min_ratio: usize,
    index: usize,
    selection: Selection,
    measure: ClassMeasure,
    fold_max_gaps: Vec<Option<T>>,
    model: LogisticRegression<T>,
}

impl<T: Scalar> LogisticRegressionCv<T> {
    /// The builder, with the defaults of [`LogisticRegressionCvParams`].
    pub fn params() -> LogisticRegressionCvParams<T> {
        LogisticRegressionCvParams {
            l1_ratio: T::one(),
            l1_ratios: None,
            n_alphas: 100,
            eps: T::lit(1e-2),
            alphas: None,
            cv: CvSplit::Stratified(StratifiedKFold::new(5)),
            measure: ClassMeasure::Deviance,
            selection: Selection::Min,
            parallel: true,
            opts: Options {
                max_iter: 200,
                ..Options::default()
            },
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
    /// The alpha of minimal mean loss (glmnet's `lambda.min`).
    pub fn alpha_min(&self) -> T {
        self.path().alphas[self.path().index_min]
    }
    /// The largest alpha whose mean loss is within one standard error of the minimum (glmnet's
    /// `lambda.1se`); `>= alpha_min()`.
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
    /// The selected ℓ1 ratio ρ (the one given, or the grid's selected value).
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
    /// The selection rule used.
    pub fn selection(&self) -> Selection {
        self.selection
    }
    /// The held-out measure.
    pub fn measure(&self) -> ClassMeasure {
        self.measure
    }
    /// The cross-validation of the selected `l1_ratio` (its `mse` field holds the measure's
    /// losses). The alpha accessors below read it.
    pub fn path(&self) -> &CvPath<T> {
        &self.paths[self.best]
    }
    /// The alpha grid (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.path().alphas
    }
    /// Held-out losses `[alpha][fold]` (`1 − AUC` for [`ClassMeasure::Auc`]).
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
    /// The mean curve in the measure's own terms: the mean AUC for [`ClassMeasure::Auc`]
    /// (`1 − cv_mean`), [`cv_mean`](Self::cv_mean) otherwise.
    pub fn cv_score(&self) -> Vec<T> {
        self.path()
            .mean
            .iter()
            .map(|&m| self.measure.score(m))
            .collect()
    }
    /// Warning flag: the minimal mean loss is at the first or last alpha of its grid, or (with
    /// several `l1_ratios`) at the smallest or largest `l1_ratio` when that value is not a hard
    /// bound (0 or 1): the optimum may lie outside the grid; widen it.
    pub fn on_grid_edge(&self) -> bool {
        let p = &self.paths[self.min_ratio];
        let alpha_edge = p.index_min == 0 || p.index_min + 1 == p.alphas.len();
        let r = self.l1_ratios[self.min_ratio];
        let (lo, hi) = self.l1_ratios.iter().fold((r, r), |(a, b), &v| {
            (if v < a { v } else { a }, if v > b { v } else { b })
        });
        let interior = r > T::zero() && r < T::one();
        alpha_edge || (self.l1_ratios.len() > 1 && interior && (r == lo || r == hi))
    }
    /// The largest relative duality gap over every (`l1_ratio`, fold, alpha) fit (`None` if a
    /// fit has no gap): the certificate of the cross-validation paths.
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
    /// The logistic regression refitted on all the data at the selected alpha (its
    /// [`report`](LogisticRegression::report) holds the refit's certificates).
    pub fn model(&self) -> &LogisticRegression<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> LogisticRegression<T> {
        self.model
    }
    /// The refit's two labels, sorted ([`LogisticRegression::classes`]).
    pub fn classes(&self) -> [T; 2] {
        self.model.classes()
    }
    /// The refit's coefficients (original scale).
    pub fn coef(&self) -> &[T] {
        self.model.coef()
    }
    /// The refit's intercept.
    pub fn intercept(&self) -> T {
        self.model.intercept()
    }
    /// The refit's linear predictor `η = Xw + b`.
    ///
    /// # Errors
    /// As [`LogisticRegression::decision_function`].
    pub fn decision_function<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.decision_function(x)
    }
    /// The refit's `P(y = classes()[1] | x)`.
    ///
    /// # Errors
    /// As [`LogisticRegression::predict_proba`].
    pub fn predict_proba<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict_proba(x)
    }
    /// The refit's predicted labels.
    ///
    /// # Errors
    /// As [`LogisticRegression::predict`].
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict(x)
    }
    /// The refit's accuracy on `(x, y)`.
    ///
    /// # Errors
    /// As [`LogisticRegression::score`].
    pub fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        self.model.score(x, y)
    }
}

impl<T: Scalar> LogisticRegressionCvParams<T> {
    /// The mix ρ ∈ [0, 1] (default 1, the lasso; 0 needs [`alphas`](Self::alphas)); replaces
    /// an [`l1_ratios`](Self::l1_ratios) grid.
    #[must_use]
    pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
        self.l1_ratio = l1_ratio;
        self.l1_ratios = None;
        self
    }
    /// A grid of mixes (scikit-learn's `LogisticRegressionCV(l1_ratios=…)`), each
    /// cross-validated on its own alpha grid (from its own `alpha_max`; 0 needs
    /// [`alphas`](Self::alphas)); the pair of minimal mean loss is selected, or under
    /// [`Selection::OneStandardError`] the sparsest pair within one standard error of it (largest
    /// `alpha·l1_ratio`), as [`ElasticNetCv`](crate::ElasticNetCv).
    #[must_use]
    pub fn l1_ratios(mut self, l1_ratios: Vec<T>) -> Self {
        self.l1_ratios = Some(l1_ratios);
        self
    }
    /// Length of the automatic grid (default 100).
    #[must_use]
    pub fn n_alphas(mut self, n: usize) -> Self {
        self.n_alphas = n;
        self
    }
    /// `alpha_min / alpha_max` of the automatic grid (default `1e-2`).
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
    /// Plain K-fold splitting, contiguous (or shuffled) without regard to the classes (default:
    /// stratified, [`LogisticRegressionCvParams::stratified`]).
    #[must_use]
    pub fn cv(mut self, kfold: KFold) -> Self {
        self.cv = CvSplit::KFold(kfold);
        self
    }
    /// Stratified K-fold splitting: every fold holds the classes in the proportions of the whole
    /// (default `StratifiedKFold::new(5)`, scikit-learn's `LogisticRegressionCV` default; without
    /// shuffling the same folds as scikit-learn's `StratifiedKFold`).
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
    /// The held-out measure (default [`ClassMeasure::Deviance`]).
    #[must_use]
    pub fn measure(mut self, measure: ClassMeasure) -> Self {
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
    common_setters!();

    /// Validates the parameters that do not depend on the data (folds are checked at fit).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter;
    /// [`Error::Unsupported`] for a solver other than `Auto` / `ProxNewton`.
    pub fn check(&self) -> Result<()> {
        if self.l1_ratios.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::Empty { what: "l1_ratios" });
        }
        for r in self.ratios() {
            self.base(T::one(), r).check()?;
        }
        check_grid(
            self.n_alphas,
            self.eps,
            self.alphas.as_deref(),
            self.opts.tol,
            self.opts.kkt_tol,
            self.opts.max_iter,
        )
    }

    /// The `l1_ratio` grid (the one `l1_ratio` without a grid).
    fn ratios(&self) -> Vec<T> {
        self.l1_ratios
            .clone()
            .unwrap_or_else(|| vec![self.l1_ratio])
    }

    /// The single-fit parameters at `(alpha, l1_ratio)` (the refit's).
    fn base(&self, alpha: T, l1_ratio: T) -> LogisticRegressionParams<T> {
        LogisticRegressionParams {
            alpha,
            l1_ratio,
            opts: self.opts.clone(),
        }
    }

    /// Validates, cross-validates, selects and refits on `(x, y)` (two distinct labels).
    ///
    /// # Errors
    /// As [`check`](Self::check); bad folds for this `n`; shapes and NaN in the data;
    /// [`Error::InvalidTarget`] and [`Error::FoldMissingClass`] (see
    /// [`LogisticRegressionCvParams`]); [`Error::Unsupported`] for `l1_ratio = 0` with the
    /// automatic grid.
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<LogisticRegressionCv<T>> {
        self.fit_inner(x, y, None)
    }

    /// As [`fit`](Self::fit) with sample weights `s_i >= 0`: every fold's fit uses its training
    /// rows' weights, the held-out measure its test rows' weights, and the grid and the refit
    /// all the weights.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<LogisticRegressionCv<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<LogisticRegressionCv<T>> {
        self.check()?;
        let n = x.nrows();
        let enc = binary_rows(&self.opts, x, y, w)?;
        // `binary_rows` checked two finite labels: the smaller is encoded 0, the larger 1.
        let first = y.first().copied().unwrap_or_else(T::zero);
        let classes = y
            .iter()
            .fold([first, first], |[lo, hi], &v| [lo.min(v), hi.max(v)]);
        let folds = self.cv.folds_for(n, Some(y))?;
        let ratios = self.ratios();
        let mut paths = Vec::with_capacity(ratios.len());
        let mut fold_max_gaps: Vec<Option<T>> = vec![Some(T::zero()); folds.n_folds()];
        for &ratio in &ratios {
            let alphas = logistic_grid(
                &self.base(T::one(), ratio),
                self.alphas.as_deref(),
                self.n_alphas,
                self.eps,
                (x, y, w),
            )?;
            let job = FoldJob {
                params: self,
                l1_ratio: ratio,
                x,
                y: &enc,
                classes,
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
        let refit = self.base(paths[best].alphas[index], ratios[best]);
        let model = match w {
            Some(s) => refit.fit_weighted(x, y, s)?,
            None => refit.fit(x, y)?,
        };
        Ok(LogisticRegressionCv {
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

/// One fold's results: its held-out loss per alpha, how many points did not converge, and its
/// path's largest relative gap.
struct FoldOut<T> {
    errors: Vec<T>,
    not_converged: usize,
    max_gap: Option<T>,
}

/// Everything a fold's fit reads.
struct FoldJob<'a, T, X: ?Sized> {
    params: &'a LogisticRegressionCvParams<T>,
    l1_ratio: T,
    x: &'a X,
    /// The labels encoded 0/1.
    y: &'a [T],
    /// The two labels, sorted: `classes[c]` is encoded `c`.
    classes: [T; 2],
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
        if self.params.parallel {
            use rayon::prelude::*;
            // Collected whole, then the first error in fold order: the same error as serial.
            let outs: Vec<Result<FoldOut<T>>> =
                (0..k).into_par_iter().map(|f| self.run(f)).collect();
            return outs.into_iter().collect();
        }
        (0..k).map(|f| self.run(f)).collect()
    }

    /// Fold `k`: the path on its training rows, scored on its test rows.
    fn run(&self, k: usize) -> Result<FoldOut<T>> {
        let p = self.params;
        let (train, test) = (self.folds.train(k), self.folds.test(k));
        let pick = |v: &[T], rows: &[usize]| rows.iter().map(|&i| v[i]).collect::<Vec<T>>();
        let y_train = pick(self.y, &train);
        let y_test = pick(self.y, test);
        // A training part without a class cannot be fitted; a held-out part without one has
        // no AUC. Named as the other classifiers' CVs name it: fold, part and missing label.
        let auc = p.measure == ClassMeasure::Auc;
        for (rows, part, needed) in [(&y_train, "training", true), (&y_test, "held-out", auc)] {
            if let Some(c) = missing_class(rows).filter(|_| needed) {
                return Err(Error::FoldMissingClass {
                    fold: k,
                    part,
                    class: self.classes[c].to_f64().unwrap_or(f64::NAN),
                });
            }
        }
        let w_train = self.w.map(|s| pick(s, &train));
        let w_test = self.w.map(|s| pick(s, test));
        let x_train = self.x.select_rows(&train)?;
        let data = Data {
            opts: &p.opts,
            x: &x_train,
            y: &y_train,
            weights: w_train.as_deref(),
            k: 1,
        };
        let path = with_separable(
            &p.opts,
            penalty::ElasticNet::new(self.l1_ratio)?,
            GlmPath(data, self.alphas),
        )?;
        let x_test = self.x.select_rows(test)?;
        let mut eta = vec![T::zero(); test.len()];
        let mut errors = Vec::with_capacity(self.alphas.len());
        for sol in &path.solutions {
            let b = sol.intercept.first().copied().unwrap_or_else(T::zero);
            x_test.gemv(T::one(), &sol.coef, T::zero(), &mut eta);
            eta.iter_mut().for_each(|v| *v += b);
            errors.push(p.measure.eval(&y_test, &eta, w_test.as_deref()));
        }
        Ok(FoldOut {
            errors,
            not_converged: path.solutions.iter().filter(|s| !s.converged()).count(),
            max_gap: path.max_relative_gap(),
        })
    }
}

/// The checks every logistic selection estimator makes before fitting: `y` and the weights
/// have a row per row of `X`, `y` is two classes (returned encoded 0/1), the options' per-feature
/// lengths fit `X`.
pub(crate) fn binary_rows<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    opts: &Options<T>,
    x: &X,
    y: &[T],
    w: Option<&[T]>,
) -> Result<Vec<T>> {
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
    }
    let (_, enc) = encode_binary(y)?;
    opts.check_lengths(x.ncols(), 1)?;
    Ok(enc)
}

/// The alpha grid of a logistic selection estimator: the given alphas sorted decreasing, or
/// `n_alphas` log-spaced from the logistic `alpha_max` of `base` on `(x, y, w)` down to
/// `eps·alpha_max`.
pub(crate) fn logistic_grid<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    base: &LogisticRegressionParams<T>,
    given: Option<&[T]>,
    n_alphas: usize,
    eps: T,
    (x, y, w): (&X, &[T], Option<&[T]>),
) -> Result<Vec<T>> {
    match given {
        Some(a) => {
            let mut a = a.to_vec();
            a.sort_by(|u, v| v.partial_cmp(u).unwrap_or(core::cmp::Ordering::Equal));
            Ok(a)
        }
        None => {
            let amax = base.alpha_max(x, y, w)?;
            proxreg_solvers::alpha_grid(amax, n_alphas, eps)
        }
    }
}

/// The class (0 or 1) that the 0/1 labels `y01` lack, if one is missing.
fn missing_class<T: Scalar>(y01: &[T]) -> Option<usize> {
    if !y01.iter().any(|&v| v == T::zero()) {
        Some(0)
    } else if !y01.iter().any(|&v| v == T::one()) {
        Some(1)
    } else {
        None
    }
}

/// The warm-started logistic path on the given alphas with the options' penalty.
pub(crate) struct GlmPath<'a, T, X: ?Sized>(pub(crate) Data<'a, T, X>, pub(crate) &'a [T]);

impl<T: Scalar, X: DesignMatrix<T> + ?Sized> OnSeparable<T> for GlmPath<'_, T, X> {
    type Out = Path<T>;
    fn apply<P: SeparablePenalty<T> + Penalty<T>>(self, pen: &P) -> Result<Path<T>> {
        let GlmPath(d, alphas) = self;
        debug_assert!(matches!(
            d.opts.solver,
            SolverChoice::Auto | SolverChoice::ProxNewton
        ));
        let pb = d
            .opts
            .problem(d.x, d.y, d.weights, pen, T::zero(), 1)
            .datafit(Logistic);
        d.opts.prox_newton().path(&pb, alphas)
    }
}
