//! Cross-validated Lasso and Elastic Net (scikit-learn's `LassoCV` / `ElasticNetCV`, with
//! glmnet's one-standard-error rule as an option).

use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::{penalty, Error, Result, Scalar};
use proxreg_cv::{CvData, CvSettings};
pub use proxreg_cv::{CvPath, ErrorMeasure, Folds, KFold, StratifiedKFold};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::Prepared;

use super::linear::{ElasticNet, Lasso};
use super::model::LinearModel;
use super::multitask::MultiTaskLasso;
use super::options::cd_with;

/// Which alpha a cross-validated estimator selects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Selection {
    /// The alpha of minimal mean held-out error (scikit-learn's `alpha_`, glmnet's
    /// `lambda.min`).
    #[default]
    Min,
    /// The one-standard-error rule (glmnet's `lambda.1se`): among every `(alpha, l1_ratio)` of
    /// the grid whose mean error is within one standard error of the minimum, the sparsest,
    /// measured by the ℓ1 weight `alpha·l1_ratio` (then the larger alpha, then the first
    /// `l1_ratio`). With one `l1_ratio` this is the largest alpha within one standard error.
    OneStandardError,
}

/// How the samples are split into folds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CvSplit {
    /// K-fold (contiguous as scikit-learn's `KFold`, optionally shuffled with a seed).
    KFold(KFold),
    /// One fold id per sample, `0..K` (glmnet's `foldid`).
    FoldIds(Vec<usize>),
    /// Stratified K-fold on the class labels (classification: scikit-learn's `StratifiedKFold`,
    /// its classifiers' default).
    Stratified(StratifiedKFold),
}

impl CvSplit {
    /// The folds of `n` samples; `labels` are the class labels a stratified split needs.
    pub(crate) fn folds_for<T: Scalar>(&self, n: usize, labels: Option<&[T]>) -> Result<Folds> {
        match (self, labels) {
            (Self::Stratified(s), Some(y)) => s.split(y),
            (Self::Stratified(_), None) => Err(Error::Unsupported {
                what: "stratified folds",
                reason: "they need class labels: a classifier's cross-validation",
            }),
            _ => self.folds(n),
        }
    }

    pub(crate) fn folds(&self, n: usize) -> Result<Folds> {
        match self {
            Self::KFold(k) => k.split(n),
            Self::Stratified(_) => Err(Error::Unsupported {
                what: "stratified folds",
                reason: "they need class labels: a classifier's cross-validation",
            }),
            Self::FoldIds(ids) => {
                if ids.len() != n {
                    return Err(Error::DimensionMismatch {
                        what: "fold_ids length vs X rows",
                        expected: n,
                        found: ids.len(),
                    });
                }
                Folds::from_fold_ids(ids)
            }
        }
    }
}

/// Unchecked cross-validated Elastic Net hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `l1_ratios` | `[0.5]` | the ρ grid; each ρ gets its own alpha grid | `[0, 1]` each (0 needs `alphas`) |
/// | `n_alphas` | 100 | length of the automatic grid | `>= 1` |
/// | `eps` | 1e-3 | `alpha_min / alpha_max` of the automatic grid | `(0, 1)` |
/// | `alphas` | automatic | a given grid (sorted decreasing), shared by every ρ | finite, `>= 0`, non-empty |
/// | `cv` / `fold_ids` | `KFold::new(5)` | the folds | `2 <= K <= n` |
/// | `fit_intercept` | true | unpenalised intercept (centering with each fold's training rows) | |
/// | `standardize` | false | unit-variance columns (each fold's training rows; the refit: all rows) | |
/// | `tol` | 1e-4 | relative duality gap of every fit | `(0, ∞)` |
/// | `max_iter` | 10000 | maximal epochs per fit | `>= 1` |
/// | `selection` | `Min` | minimum or one-standard-error rule | |
/// | `measure` | `Mse` | held-out error: MSE, MAE or a user closure | |
///
/// The `(l1_ratio, fold)` fits run in parallel on rayon's current thread pool with the
/// `rayon` feature (on by default; install a pool to choose the number of threads), each fit
/// sequential and the results collected in order: bitwise the same for any number of threads.
/// This is why `fit` asks for `X: Sync` (every backend matrix is).
///
/// The automatic grid is computed on the full data (centered when an intercept is fitted), as
/// scikit-learn does. The refit on the full data uses [`ElasticNet`] with the same `tol`,
/// `max_iter` and `fit_intercept`.
#[derive(Debug, Clone, PartialEq)]
pub struct ElasticNetCvParams<T> {
    l1_ratios: Vec<T>,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    cv: CvSplit,
    fit_intercept: bool,
    standardize: bool,
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    selection: Selection,
    measure: ErrorMeasure<T>,
}

/// Setters of the alpha grid and the solver, shared by the cross-validated estimators' params
/// and the selection estimators' (information criteria, stability selection).
macro_rules! grid_setters {
    ($($inner:tt)*) => {
        /// Length of the automatic grid (default 100).
        #[must_use]
        pub fn n_alphas(mut self, n: usize) -> Self {
            self$($inner)*.n_alphas = n;
            self
        }
        /// `alpha_min / alpha_max` of the automatic grid (default `1e-3`).
        #[must_use]
        pub fn eps(mut self, eps: T) -> Self {
            self$($inner)*.eps = eps;
            self
        }
        /// A given alpha grid (sorted decreasing before use) instead of the automatic one.
        #[must_use]
        pub fn alphas(mut self, alphas: Vec<T>) -> Self {
            self$($inner)*.alphas = Some(alphas);
            self
        }
        /// Fit an unpenalised intercept (default `true`).
        #[must_use]
        pub fn fit_intercept(mut self, yes: bool) -> Self {
            self$($inner)*.fit_intercept = yes;
            self
        }
        /// The relative duality gap of every fit (default `1e-4`).
        #[must_use]
        pub fn tol(mut self, tol: T) -> Self {
            self$($inner)*.tol = tol;
            self
        }
        /// The KKT violation of every fit relative to `‖∇f(0)‖_∞` (default: `tol`).
        #[must_use]
        pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
            self$($inner)*.kkt_tol = Some(kkt_tol);
            self
        }
        /// Maximal epochs per fit (default `10_000`).
        #[must_use]
        pub fn max_iter(mut self, max_iter: usize) -> Self {
            self$($inner)*.max_iter = max_iter;
            self
        }
    };
}
pub(crate) use grid_setters;

/// Setters shared by both cross-validated estimators' params.
macro_rules! cv_setters {
    ($($inner:tt)*) => {
        grid_setters!($($inner)*);
        /// K-fold splitting (default `KFold::new(5)`).
        #[must_use]
        pub fn cv(mut self, kfold: KFold) -> Self {
            self$($inner)*.cv = CvSplit::KFold(kfold);
            self
        }
        /// User fold ids, one per sample, `0..K` (glmnet's `foldid`).
        #[must_use]
        pub fn fold_ids(mut self, ids: Vec<usize>) -> Self {
            self$($inner)*.cv = CvSplit::FoldIds(ids);
            self
        }
        /// Standardize the columns (default `false`): in each fold with its training rows, for
        /// the automatic grid and the refit with all rows; coefficients on the original scale.
        #[must_use]
        pub fn standardize(mut self, yes: bool) -> Self {
            self$($inner)*.standardize = yes;
            self
        }
        /// Minimum (default) or one-standard-error selection.
        #[must_use]
        pub fn selection(mut self, selection: Selection) -> Self {
            self$($inner)*.selection = selection;
            self
        }
        /// The held-out error measure (default [`ErrorMeasure::Mse`]).
        #[must_use]
        pub fn measure(mut self, measure: ErrorMeasure<T>) -> Self {
            self$($inner)*.measure = measure;
            self
        }
    };
}

pub(crate) use cv_setters;

/// Checks the grid and solver parameters of [`grid_setters`] (NaN-safe), naming the first bad one.
pub(crate) fn check_grid<T: Scalar>(
    n_alphas: usize,
    eps: T,
    alphas: Option<&[T]>,
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
) -> Result<()> {
    proxreg_solvers::check_grid(n_alphas, eps)?;
    if let Some(a) = alphas {
        if a.is_empty() {
            return Err(Error::Empty { what: "alphas" });
        }
        for &v in a {
            ensure_nonneg_finite("alphas", v)?;
        }
    }
    proxreg_solvers::check_stopping(tol, kkt_tol, max_iter)
}

/// Checks the grid and solver fields of a params struct (those [`grid_setters`] sets) with
/// [`check_grid`].
macro_rules! check_grid_of {
    ($p:expr) => {
        check_grid(
            $p.n_alphas,
            $p.eps,
            $p.alphas.as_deref(),
            $p.tol,
            $p.kkt_tol,
            $p.max_iter,
        )
    };
}
pub(crate) use check_grid_of;

/// The [`CvSettings`] of a params struct's grid and solver fields: the grid given, or automatic
/// from `n_alphas` and `eps`; coordinate descent with `tol`, `kkt_tol`, `max_iter`.
macro_rules! settings_of {
    ($p:expr, $standardize:expr, $measure:expr) => {
        CvSettings {
            alphas: match &$p.alphas {
                Some(a) => proxreg_cv::Alphas::Given(a.clone()),
                None => proxreg_cv::Alphas::Auto {
                    n_alphas: $p.n_alphas,
                    eps: $p.eps,
                },
            },
            fit_intercept: $p.fit_intercept,
            standardize: $standardize,
            solver: cd_with($p.tol, $p.kkt_tol, $p.max_iter),
            measure: $measure,
        }
    };
}
pub(crate) use settings_of;

/// A fitted cross-validated Elastic Net: the cross-validation results of every `l1_ratio`, the
/// selected `(alpha, l1_ratio)`, and the model refitted on all the data there.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{ElasticNetCv, KFold};
/// let x = ColMajor::from_fn(60, 4, |i, j| (((i + 2) * (j + 3)) % 11) as f64);
/// let y: Vec<f64> = (0..60).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i] + (i % 3) as f64).collect();
/// let cv = ElasticNetCv::params()
///     .l1_ratios(vec![0.5, 1.0])
///     .n_alphas(20)
///     .cv(KFold::new(3))
///     .fit(&x, &y)?;
/// assert_eq!(cv.mse_path().len(), 20);
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ElasticNetCv<T> {
    l1_ratios: Vec<T>,
    paths: Vec<CvPath<T>>,
    best_ratio: usize,
    index: usize,
    min_ratio: usize,
    selection: Selection,
    model: ElasticNet<T>,
}

impl<T: Scalar> ElasticNetCv<T> {
    /// The builder, with the defaults of [`ElasticNetCvParams`].
    pub fn params() -> ElasticNetCvParams<T> {
        ElasticNetCvParams {
            l1_ratios: vec![T::lit(0.5)],
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            cv: CvSplit::KFold(KFold::new(5)),
            fit_intercept: true,
            standardize: false,
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 10_000,
            selection: Selection::Min,
            measure: ErrorMeasure::Mse,
        }
    }

    /// The selected alpha.
    pub fn alpha(&self) -> T {
        self.path().alphas[self.index]
    }
    /// The selected `l1_ratio`.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratios[self.best_ratio]
    }
    /// The `l1_ratio` grid, in the order given.
    pub fn l1_ratios(&self) -> &[T] {
        &self.l1_ratios
    }
    /// The cross-validation of the selected `l1_ratio`.
    pub fn path(&self) -> &CvPath<T> {
        &self.paths[self.best_ratio]
    }
    /// The cross-validation of every `l1_ratio` (same order as [`ElasticNetCv::l1_ratios`]).
    pub fn paths(&self) -> &[CvPath<T>] {
        &self.paths
    }
    /// The alpha grid of the selected `l1_ratio` (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.path().alphas
    }
    /// Held-out MSE `[alpha][fold]` of the selected `l1_ratio`.
    pub fn mse_path(&self) -> &[Vec<T>] {
        &self.path().mse
    }
    /// Mean over folds of the held-out MSE, per alpha (selected `l1_ratio`).
    pub fn mse_mean(&self) -> &[T] {
        &self.path().mean
    }
    /// Standard error of [`ElasticNetCv::mse_mean`] (sd over folds / √K).
    pub fn mse_std_err(&self) -> &[T] {
        &self.path().std_err
    }
    /// Index of the minimal mean error in [`ElasticNetCv::alphas`].
    pub fn index_min(&self) -> usize {
        self.path().index_min
    }
    /// Index of the one-standard-error alpha in [`ElasticNetCv::alphas`].
    pub fn index_1se(&self) -> usize {
        self.path().index_1se
    }
    /// The selection rule used.
    pub fn selection(&self) -> Selection {
        self.selection
    }
    /// The `l1_ratio` of the minimal mean error (equal to [`ElasticNetCv::l1_ratio`] under
    /// [`Selection::Min`]).
    pub fn l1_ratio_min(&self) -> T {
        self.l1_ratios[self.min_ratio]
    }
    /// Warning flag: the minimal mean error sits on the edge of the grid — at the first or last
    /// alpha of its `l1_ratio`'s grid, or (with several `l1_ratios`) at the smallest or largest
    /// `l1_ratio` when that value is not a hard bound (0 or 1). The optimum may lie outside the
    /// grid: widen it.
    pub fn on_grid_edge(&self) -> bool {
        let p = &self.paths[self.min_ratio];
        let alpha_edge = p.index_min == 0 || p.index_min + 1 == p.alphas.len();
        let r = self.l1_ratios[self.min_ratio];
        let (lo, hi) = self.l1_ratios.iter().fold((r, r), |(a, b), &v| {
            (if v < a { v } else { a }, if v > b { v } else { b })
        });
        let interior = r > T::zero() && r < T::one();
        let ratio_edge = self.l1_ratios.len() > 1 && interior && (r == lo || r == hi);
        alpha_edge || ratio_edge
    }
    /// The model refitted on all the data at the selected `(alpha, l1_ratio)`.
    pub fn model(&self) -> &ElasticNet<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> ElasticNet<T> {
        self.model
    }
}

impl<T: Scalar> ElasticNetCvParams<T> {
    /// The `l1_ratio` grid (default `[0.5]`).
    #[must_use]
    pub fn l1_ratios(mut self, l1_ratios: Vec<T>) -> Self {
        self.l1_ratios = l1_ratios;
        self
    }
    cv_setters!();

    /// Validates the parameters that do not depend on the data (folds are checked at fit).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter.
    pub fn check(&self) -> Result<()> {
        if self.l1_ratios.is_empty() {
            return Err(Error::Empty { what: "l1_ratios" });
        }
        for &r in &self.l1_ratios {
            penalty::ElasticNet::new(r)?;
        }
        check_grid_of!(self)?;
        Ok(())
    }

    /// Validates, cross-validates every `l1_ratio`, selects, and refits on all the data.
    ///
    /// With the `rayon` feature the `(l1_ratio, fold)` fits run in parallel; results are
    /// bitwise identical for any number of threads.
    ///
    /// # Errors
    /// As [`ElasticNetCvParams::check`]; bad folds for this `n`; shapes and NaN in the data;
    /// [`Error::Unsupported`] for `l1_ratio = 0` with the automatic grid.
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<ElasticNetCv<T>> {
        let (paths, best_ratio, index, min_ratio, full) = self.cross_validate(x, y)?;
        let best = &paths[best_ratio];
        let (alpha, ratio) = (best.alphas[index], self.l1_ratios[best_ratio]);
        let model = match self.refit_prepared(full, alpha, ratio)? {
            Some(m) => ElasticNet(m),
            None => ElasticNet::params()
                .alpha(alpha)
                .l1_ratio(ratio)
                .fit_intercept(self.fit_intercept)
                .standardize(self.standardize)
                .tol(self.tol)
                .kkt_tol_opt(self.kkt_tol)
                .max_iter(self.max_iter)
                .fit(x, y)?,
        };
        Ok(ElasticNetCv {
            l1_ratios: self.l1_ratios.clone(),
            paths,
            best_ratio,
            index,
            min_ratio,
            selection: self.selection,
            model,
        })
    }

    /// The refit on the full problem prepared from the cross-validation's block statistics
    /// (Gram mode on tall data: no second Gram matrix of `X`), when there is one: the same
    /// solver settings and problem as [`ElasticNet`]'s fit with these parameters.
    fn refit_prepared(
        &self,
        full: Option<Prepared<'_, T>>,
        alpha: T,
        l1_ratio: T,
    ) -> Result<Option<LinearModel<T>>> {
        let Some(prep) = full.filter(|_| !self.standardize) else {
            return Ok(None);
        };
        let pen = penalty::ElasticNet::new(l1_ratio)?;
        let sol = cd_with(self.tol, self.kkt_tol, self.max_iter).solve_prepared(
            &prep,
            &pen,
            alpha,
            None,
            &mut (),
        )?;
        let mut model = LinearModel::from_solution(sol, prep.n_features(), 1, alpha)?;
        model.l1_ratio = Some(l1_ratio);
        Ok(Some(model))
    }

    /// Checks, runs the cross-validation of every `l1_ratio`; returns the paths, the selected
    /// `l1_ratio` index and alpha index, the `l1_ratio` index of the minimum, and the full
    /// problem prepared from the folds' block statistics when there are some (for the refit).
    #[allow(clippy::type_complexity)]
    fn cross_validate<'a, X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &'a X,
        y: &'a [T],
    ) -> Result<(Vec<CvPath<T>>, usize, usize, usize, Option<Prepared<'a, T>>)> {
        self.check()?;
        let folds = self.cv.folds(x.nrows())?;
        let settings = settings_of!(self, self.standardize, self.measure.clone());
        let penalties = self
            .l1_ratios
            .iter()
            .map(|&r| penalty::ElasticNet::new(r))
            .collect::<Result<Vec<_>>>()?;
        #[cfg(feature = "rayon")]
        let (paths, full) = {
            let data = CvData::par_new(x, y, &folds, &settings)?;
            let paths = data.par_paths(&penalties, &settings)?;
            (paths, data.prepare_all(self.fit_intercept).transpose()?)
        };
        #[cfg(not(feature = "rayon"))]
        let (paths, full) = {
            let data = CvData::new(x, y, &folds, &settings)?;
            let paths = data.paths(&penalties, &settings)?;
            (paths, data.prepare_all(self.fit_intercept).transpose()?)
        };
        let (ratio, index, min_ratio) = select_over_ratios(&paths, &self.l1_ratios, self.selection);
        Ok((paths, ratio, index, min_ratio, full))
    }
}

/// The selection over an `l1_ratio` grid, each with its own cross-validated path: returns the
/// selected `(l1_ratio index, alpha index)` and the `l1_ratio` index of the minimal mean error.
/// The minimum is scikit-learn's (the first `l1_ratio` whose minimal mean error is strictly
/// smallest); the one-standard-error rule picks the sparsest point within one standard error of
/// it, by the ℓ1 weight `alpha·l1_ratio`, then the larger alpha, then the first in
/// `(l1_ratio, alpha)` order (the minimum itself qualifies).
pub(crate) fn select_over_ratios<T: Scalar>(
    paths: &[CvPath<T>],
    l1_ratios: &[T],
    selection: Selection,
) -> (usize, usize, usize) {
    let mut min_ratio = 0;
    for (i, p) in paths.iter().enumerate() {
        if p.mean[p.index_min] < paths[min_ratio].mean[paths[min_ratio].index_min] {
            min_ratio = i;
        }
    }
    let best = &paths[min_ratio];
    match selection {
        Selection::Min => (min_ratio, best.index_min, min_ratio),
        Selection::OneStandardError => {
            let bound = best.mean[best.index_min] + best.std_err[best.index_min];
            let mut pick = (min_ratio, best.index_min);
            let key = |r: usize, i: usize| (paths[r].alphas[i] * l1_ratios[r], paths[r].alphas[i]);
            for (r, p) in paths.iter().enumerate() {
                for (i, &m) in p.mean.iter().enumerate() {
                    if m <= bound && key(r, i) > key(pick.0, pick.1) {
                        pick = (r, i);
                    }
                }
            }
            (pick.0, pick.1, min_ratio)
        }
    }
}

/// Unchecked cross-validated Lasso hyper-parameters: the table of [`ElasticNetCvParams`]
/// without `l1_ratios` (ρ = 1).
#[derive(Debug, Clone, PartialEq)]
pub struct LassoCvParams<T>(ElasticNetCvParams<T>);

/// A fitted cross-validated Lasso: its cross-validation, the selected alpha and the refit.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{LassoCv, Selection};
/// let x = ColMajor::from_fn(50, 5, |i, j| (((i + 1) * (j + 2)) % 13) as f64);
/// let y: Vec<f64> = (0..50).map(|i| 3.0 * x.col(1)[i] + (i % 4) as f64).collect();
/// let cv = LassoCv::params().n_alphas(30).selection(Selection::OneStandardError).fit(&x, &y)?;
/// assert!(cv.alpha() >= cv.alphas()[cv.index_min()]);
/// assert!(cv.model().support().contains(&1));
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LassoCv<T> {
    path: CvPath<T>,
    index: usize,
    selection: Selection,
    model: Lasso<T>,
}

impl<T: Scalar> LassoCv<T> {
    /// The builder, with the defaults of [`ElasticNetCvParams`].
    pub fn params() -> LassoCvParams<T> {
        LassoCvParams(ElasticNetCv::params().l1_ratios(vec![T::one()]))
    }
    /// The selected alpha.
    pub fn alpha(&self) -> T {
        self.path.alphas[self.index]
    }
    /// Always 1.
    pub fn l1_ratio(&self) -> T {
        T::one()
    }
    /// The cross-validation results.
    pub fn path(&self) -> &CvPath<T> {
        &self.path
    }
    /// The alpha grid (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.path.alphas
    }
    /// Held-out MSE `[alpha][fold]`.
    pub fn mse_path(&self) -> &[Vec<T>] {
        &self.path.mse
    }
    /// Mean over folds of the held-out MSE, per alpha.
    pub fn mse_mean(&self) -> &[T] {
        &self.path.mean
    }
    /// Standard error of [`LassoCv::mse_mean`] (sd over folds / √K).
    pub fn mse_std_err(&self) -> &[T] {
        &self.path.std_err
    }
    /// Index of the minimal mean error.
    pub fn index_min(&self) -> usize {
        self.path.index_min
    }
    /// Index of the one-standard-error alpha.
    pub fn index_1se(&self) -> usize {
        self.path.index_1se
    }
    /// The selection rule used.
    pub fn selection(&self) -> Selection {
        self.selection
    }
    /// Warning flag: the minimal mean error is at the first or last alpha of the grid (the
    /// optimum may lie outside it).
    pub fn on_grid_edge(&self) -> bool {
        self.path.index_min == 0 || self.path.index_min + 1 == self.path.alphas.len()
    }
    /// The Lasso refitted on all the data at the selected alpha.
    pub fn model(&self) -> &Lasso<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> Lasso<T> {
        self.model
    }
}

impl<T: Scalar> LassoCvParams<T> {
    cv_setters!(.0);

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// As [`ElasticNetCvParams::check`].
    pub fn check(&self) -> Result<()> {
        self.0.check()
    }

    /// Validates, cross-validates, selects and refits.
    ///
    /// # Errors
    /// As [`ElasticNetCvParams::fit`].
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(&self, x: &X, y: &[T]) -> Result<LassoCv<T>> {
        let p = &self.0;
        let (mut paths, _, index, _, full) = p.cross_validate(x, y)?;
        let path = paths.pop().ok_or(Error::Empty { what: "l1_ratios" })?;
        let alpha = path.alphas[index];
        let model = match p.refit_prepared(full, alpha, T::one())? {
            Some(m) => Lasso(m),
            None => Lasso::params()
                .alpha(alpha)
                .fit_intercept(p.fit_intercept)
                .standardize(p.standardize)
                .tol(p.tol)
                .kkt_tol_opt(p.kkt_tol)
                .max_iter(p.max_iter)
                .fit(x, y)?,
        };
        Ok(LassoCv {
            path,
            index,
            selection: p.selection,
            model,
        })
    }
}

/// Unchecked cross-validated multi-task Lasso hyper-parameters: the table of
/// [`ElasticNetCvParams`] without `l1_ratios`.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiTaskLassoCvParams<T>(ElasticNetCvParams<T>);

/// A fitted cross-validated multi-task Lasso (scikit-learn's `MultiTaskLassoCV`): its
/// cross-validation (held-out error over every task's test entries), the selected alpha and
/// the [`MultiTaskLasso`] refitted on all the data.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::MultiTaskLassoCv;
/// let x = ColMajor::from_fn(40, 4, |i, j| (((i + 1) * (j + 2)) % 13) as f64);
/// // Two tasks, column-major n × 2.
/// let y: Vec<f64> = (0..80).map(|r| { let i = r % 40; x.col(1)[i] * (1.0 + (r / 40) as f64) + (i % 3) as f64 }).collect();
/// let cv = MultiTaskLassoCv::params().n_alphas(15).fit(&x, &y)?;
/// assert_eq!(cv.model().n_tasks(), 2);
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MultiTaskLassoCv<T> {
    path: CvPath<T>,
    index: usize,
    selection: Selection,
    model: MultiTaskLasso<T>,
}

impl<T: Scalar> MultiTaskLassoCv<T> {
    /// The builder, with the defaults of [`ElasticNetCvParams`].
    pub fn params() -> MultiTaskLassoCvParams<T> {
        MultiTaskLassoCvParams(ElasticNetCv::params().l1_ratios(vec![T::one()]))
    }
    /// The selected alpha.
    pub fn alpha(&self) -> T {
        self.path.alphas[self.index]
    }
    /// The cross-validation results.
    pub fn path(&self) -> &CvPath<T> {
        &self.path
    }
    /// The alpha grid (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.path.alphas
    }
    /// Index of the selected alpha.
    pub fn index(&self) -> usize {
        self.index
    }
    /// The selection rule used.
    pub fn selection(&self) -> Selection {
        self.selection
    }
    /// Warning flag: the minimal mean error is at the first or last alpha of the grid.
    pub fn on_grid_edge(&self) -> bool {
        self.path.index_min == 0 || self.path.index_min + 1 == self.path.alphas.len()
    }
    /// The multi-task Lasso refitted on all the data at the selected alpha.
    pub fn model(&self) -> &MultiTaskLasso<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> MultiTaskLasso<T> {
        self.model
    }
}

impl<T: Scalar> MultiTaskLassoCvParams<T> {
    cv_setters!(.0);

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// As [`ElasticNetCvParams::check`].
    pub fn check(&self) -> Result<()> {
        self.0.check()
    }

    /// Validates, cross-validates (folds sequentially), selects and refits; `y` is `n × k`
    /// column-major.
    ///
    /// # Errors
    /// As [`ElasticNetCvParams::fit`]; [`Error::DimensionMismatch`] when `y.len()` is not a
    /// non-zero multiple of `n`.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<MultiTaskLassoCv<T>> {
        let p = &self.0;
        p.check()?;
        let n = x.nrows();
        if n == 0 || y.is_empty() || !y.len().is_multiple_of(n) {
            return Err(Error::DimensionMismatch {
                what: "Y length vs a multiple of X rows",
                expected: n,
                found: y.len(),
            });
        }
        let folds = p.cv.folds(n)?;
        let settings = settings_of!(p, p.standardize, p.measure.clone());
        let path = proxreg_cv::multitask_cv_path(x, y, y.len() / n, &folds, &settings)?;
        let index = match p.selection {
            Selection::Min => path.index_min,
            Selection::OneStandardError => path.index_1se,
        };
        let model = MultiTaskLasso::params()
            .alpha(path.alphas[index])
            .fit_intercept(p.fit_intercept)
            .standardize(p.standardize)
            .tol(p.tol)
            .kkt_tol_opt(p.kkt_tol)
            .max_iter(p.max_iter)
            .fit(x, y)?;
        Ok(MultiTaskLassoCv {
            path,
            index,
            selection: p.selection,
            model,
        })
    }
}
