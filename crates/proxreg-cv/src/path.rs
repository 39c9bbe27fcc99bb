//! Cross-validated regularization paths.

use proxreg_core::penalty::SeparablePenalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{alpha_grid, alpha_max, BlockStats, CoordinateDescent, Problem, RowBlock};

use crate::folds::Folds;
use crate::measure::ErrorMeasure;

/// The alpha grid of a cross-validated path.
#[derive(Debug, Clone, PartialEq)]
pub enum Alphas<T> {
    /// `n_alphas` values log-spaced from `alpha_max` (of the full data, centered when an
    /// intercept is fitted) down to `eps · alpha_max`, as scikit-learn's automatic grid.
    Auto {
        /// Grid length (`>= 1`).
        n_alphas: usize,
        /// `alpha_min / alpha_max`, in `(0, 1)`.
        eps: T,
    },
    /// The given values (finite, `>= 0`), sorted in decreasing order before use.
    Given(Vec<T>),
}

/// Settings of [`cv_path`].
#[derive(Debug, Clone, PartialEq)]
pub struct CvSettings<T> {
    /// The grid.
    pub alphas: Alphas<T>,
    /// Fit an unpenalised intercept in every fold (centering with the fold's training means).
    pub fit_intercept: bool,
    /// Standardize the columns in every fold with the fold's training rows (and the full data
    /// for the automatic grid); coefficients are reported on the original scale.
    pub standardize: bool,
    /// The coordinate-descent solver used for every fold.
    pub solver: CoordinateDescent<T>,
    /// How held-out predictions are scored (default [`ErrorMeasure::Mse`]).
    pub measure: ErrorMeasure<T>,
}

/// A cross-validated path: held-out mean squared errors per alpha and fold, their means and
/// standard errors, and the selected indices.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CvPath<T> {
    /// The alphas, decreasing.
    pub alphas: Vec<T>,
    /// `mse[a][k]`: the error ([`CvSettings::measure`], the mean squared error by default) on
    /// the test rows of fold `k` of the fit at `alphas[a]` on its training rows (plain mean over
    /// the test rows, as scikit-learn).
    pub mse: Vec<Vec<T>>,
    /// Mean over folds of `mse[a]` (scikit-learn's `mse_path_.mean(axis=-1)`, glmnet's `cvm`
    /// for equal fold weights).
    pub mean: Vec<T>,
    /// Standard error of `mean[a]`: the sample standard deviation over folds divided by `√K`
    /// (glmnet's `cvsd` with equal fold weights).
    pub std_err: Vec<T>,
    /// First index of the minimal mean error.
    pub index_min: usize,
    /// The largest alpha (smallest index) whose mean error is `<= mean[index_min] +
    /// std_err[index_min]` (the one-standard-error rule).
    pub index_1se: usize,
    /// Number of (alpha, fold) fits that did not reach the tolerance.
    pub n_not_converged: usize,
}

impl<T: Scalar> CvPath<T> {
    /// A cross-validated path from per-fold errors computed elsewhere (e.g. the held-out
    /// [`ClassMeasure`](crate::ClassMeasure) of a logistic path): `fold_errors[k][a]` is fold
    /// `k`'s error at `alphas[a]` (lower is better). The mean, standard error, `index_min` and
    /// `index_1se` are computed exactly as [`cv_path`] computes them (the same code);
    /// `n_not_converged` is stored as given. `alphas` should be decreasing for the
    /// one-standard-error rule to pick the sparsest fit.
    ///
    /// ```
    /// let cv = proxreg_cv::CvPath::from_fold_errors(
    ///     vec![1.0, 0.1, 0.01],
    ///     &[vec![3.0, 1.0, 2.0], vec![3.0, 2.0, 1.0]],
    ///     0,
    /// )?;
    /// assert_eq!(cv.mean, [3.0, 1.5, 1.5]);
    /// assert_eq!((cv.index_min, cv.index_1se), (1, 1));
    /// assert_eq!(cv.mse[2], [2.0, 1.0]); // [alpha][fold]
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Empty`] for no alphas; [`Error::InvalidParameter`] (`fold_errors`) for fewer
    /// than two folds; [`Error::DimensionMismatch`] for a fold without one error per alpha.
    pub fn from_fold_errors(
        alphas: Vec<T>,
        fold_errors: &[Vec<T>],
        n_not_converged: usize,
    ) -> Result<Self> {
        if alphas.is_empty() {
            return Err(Error::Empty { what: "alphas" });
        }
        if fold_errors.len() < 2 {
            return Err(Error::InvalidParameter {
                name: "fold_errors",
                value: fold_errors.len() as f64,
                expected: "at least 2 folds",
            });
        }
        if let Some(bad) = fold_errors.iter().find(|f| f.len() != alphas.len()) {
            return Err(Error::DimensionMismatch {
                what: "a fold's errors vs alphas",
                expected: alphas.len(),
                found: bad.len(),
            });
        }
        let per_fold: Vec<(Vec<T>, usize)> = fold_errors.iter().map(|f| (f.clone(), 0)).collect();
        let mut path = assemble(alphas, &per_fold);
        path.n_not_converged = n_not_converged;
        Ok(path)
    }
}

/// The alpha grid for `penalty` on the full data: the given values sorted decreasing, or the
/// automatic grid from `alpha_max` of the full data (centered when `settings.fit_intercept`,
/// standardized when `settings.standardize`). `settings.alphas` chooses which.
///
/// # Errors
/// Invalid data (shapes, NaN), an empty or non-finite grid, bad `n_alphas`/`eps`, and
/// [`Error::Unsupported`] for an automatic grid of a penalty without finite `alpha_max`.
pub fn grid<T, X, P>(x: &X, y: &[T], penalty: &P, settings: &CvSettings<T>) -> Result<Vec<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
{
    match &settings.alphas {
        Alphas::Given(v) => given_grid(v),
        Alphas::Auto { n_alphas, eps } => {
            let pb = Problem::new(x, y, penalty, T::zero())
                .fit_intercept(settings.fit_intercept)
                .standardize(settings.standardize);
            let prep = settings.solver.prepare(&pb)?;
            let amax = alpha_max(&prep, penalty)?;
            alpha_grid(amax, *n_alphas, *eps)
        }
    }
}

/// A given grid validated (non-empty, finite, `>= 0`) and sorted decreasing.
pub(crate) fn given_grid<T: Scalar>(v: &[T]) -> Result<Vec<T>> {
    if v.is_empty() {
        return Err(Error::Empty { what: "alphas" });
    }
    for &a in v {
        proxreg_core::error::ensure_nonneg_finite("alphas", a)?;
    }
    let mut v = v.to_vec();
    v.sort_by(|a, b| b.partial_cmp(a).unwrap_or(core::cmp::Ordering::Equal));
    Ok(v)
}

/// Cross-validates the path of a separable penalty: the grid is computed once on the full
/// data (see [`grid`]); each fold fits the whole path with warm starts on its training rows
/// only (centering, when an intercept is fitted, uses the training rows: no leakage) and scores
/// every point on its test rows.
///
/// Folds are processed sequentially, in order; the result is deterministic.
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_cv::{cv_path, Alphas, CvSettings, KFold};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::CoordinateDescent;
/// let x = ColMajor::from_fn(40, 4, |i, j| (((i + 3) * (j + 5)) % 13) as f64);
/// let y: Vec<f64> = (0..40).map(|i| 2.0 * x.col(1)[i] + (i % 3) as f64).collect();
/// let settings = CvSettings {
///     alphas: Alphas::Auto { n_alphas: 10, eps: 1e-3 },
///     fit_intercept: true,
///     standardize: false,
///     solver: CoordinateDescent::new().tol(1e-8),
///     measure: Default::default(),
/// };
/// let cv = cv_path(&x, &y, &L1, &KFold::new(4).split(40)?, &settings)?;
/// assert_eq!(cv.mse.len(), 10);
/// assert!(cv.index_1se <= cv.index_min);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`grid`]; [`Error::DimensionMismatch`] when the folds do not cover `x`'s rows or `y`'s
/// length differs; solver errors of a fold's fit.
pub fn cv_path<T, X, P>(
    x: &X,
    y: &[T],
    penalty: &P,
    folds: &Folds,
    settings: &CvSettings<T>,
) -> Result<CvPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
{
    check_shapes(x, y, folds)?;
    let stats = block_stats(x, y, folds, settings, |k| fold_block(x, y, folds, k))?;
    let alphas = fold_grid(x, y, penalty, settings, stats.as_ref())?;
    // parallel: `par_cv_path` (feature `rayon`).
    let per_fold = (0..folds.n_folds())
        .map(|k| fold_errors(x, y, penalty, folds, k, &alphas, settings, stats.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    Ok(assemble(alphas, &per_fold))
}

/// [`cv_path`] with the folds fitted in parallel on rayon's current thread pool (feature
/// `rayon`). Each fold's computation is sequential and the folds are collected in order, so the
/// result is bitwise identical to [`cv_path`]'s whatever the number of threads.
///
/// # Errors
/// As [`cv_path`] (the first failing fold's error, in fold order).
#[cfg(feature = "rayon")]
pub fn par_cv_path<T, X, P>(
    x: &X,
    y: &[T],
    penalty: &P,
    folds: &Folds,
    settings: &CvSettings<T>,
) -> Result<CvPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
    P: SeparablePenalty<T> + Sync + ?Sized,
{
    use rayon::prelude::*;
    check_shapes(x, y, folds)?;
    let stats = par_block_stats(x, y, folds, settings)?;
    let alphas = fold_grid(x, y, penalty, settings, stats.as_ref())?;
    let per_fold = (0..folds.n_folds())
        .into_par_iter()
        .map(|k| fold_errors(x, y, penalty, folds, k, &alphas, settings, stats.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    Ok(assemble(alphas, &per_fold))
}

/// Cross-validates several penalties (e.g. one Elastic Net per `l1_ratio`) on the same folds:
/// one [`CvPath`] per penalty, in order, each as [`cv_path`] would return it. The
/// `(penalty, fold)` fits are independent; here they run sequentially. The per-fold preparation
/// (block statistics in Gram mode, see [`CvData`]) is shared by every penalty.
///
/// # Errors
/// As [`cv_path`] (the first failing fit's error, in `(penalty, fold)` order).
pub fn cv_paths<T, X, P>(
    x: &X,
    y: &[T],
    penalties: &[P],
    folds: &Folds,
    settings: &CvSettings<T>,
) -> Result<Vec<CvPath<T>>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
    P: SeparablePenalty<T>,
{
    CvData::new(x, y, folds, settings)?.paths(penalties, settings)
}

/// [`cv_paths`] with the `(penalty, fold)` fits in parallel on rayon's current thread pool
/// (feature `rayon`); each fit is sequential and the results are collected in order, so the
/// output is bitwise identical to [`cv_paths`]'s for any number of threads.
///
/// # Errors
/// As [`cv_paths`].
#[cfg(feature = "rayon")]
pub fn par_cv_paths<T, X, P>(
    x: &X,
    y: &[T],
    penalties: &[P],
    folds: &Folds,
    settings: &CvSettings<T>,
) -> Result<Vec<CvPath<T>>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
    P: SeparablePenalty<T> + Sync,
{
    CvData::par_new(x, y, folds, settings)?.par_paths(penalties, settings)
}

/// The data of a cross-validation, prepared once for any number of penalties and for the
/// refit: the folds and, when the solver uses Gram updates on every training set and there is
/// no standardization (and the `K` statistics of size `p × p` are no larger than `X` or small),
/// the row-block statistics of the test folds ([`BlockStats`]): then every
/// fold's training problem, and the full problem of the refit, are combined from them without
/// copying rows or computing another Gram matrix.
///
/// ```
/// use proxreg_core::penalty::ElasticNet;
/// use proxreg_cv::{Alphas, CvData, CvSettings, KFold};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::CoordinateDescent;
/// let x = ColMajor::from_fn(60, 3, |i, j| (((i + 2) * (j + 3)) % 7) as f64);
/// let y: Vec<f64> = (0..60).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i] + (i % 3) as f64).collect();
/// let settings = CvSettings {
///     alphas: Alphas::Auto { n_alphas: 10, eps: 1e-3 },
///     fit_intercept: true,
///     standardize: false,
///     solver: CoordinateDescent::new().tol(1e-8),
///     measure: Default::default(),
/// };
/// let folds = KFold::new(5).split(60)?;
/// let data = CvData::new(&x, &y, &folds, &settings)?;
/// let paths = data.paths(&[ElasticNet::new(0.5)?, ElasticNet::new(1.0)?], &settings)?;
/// assert_eq!(paths.len(), 2);
/// // tall data in Gram mode: the refit's problem comes from the same statistics
/// assert!(data.prepare_all(true).is_some());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug)]
pub struct CvData<'a, T, X: ?Sized> {
    x: &'a X,
    y: &'a [T],
    folds: Folds,
    stats: Option<BlockStats<'a, T, X>>,
}

impl<'a, T, X> CvData<'a, T, X>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
{
    /// Checks the shapes and computes the block statistics when `settings` call for them.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `y` or the folds do not match `x`'s rows; NaN or
    /// infinite data.
    pub fn new(x: &'a X, y: &'a [T], folds: &Folds, settings: &CvSettings<T>) -> Result<Self> {
        check_shapes(x, y, folds)?;
        let stats = block_stats(x, y, folds, settings, |k| fold_block(x, y, folds, k))?;
        Ok(Self {
            x,
            y,
            folds: folds.clone(),
            stats,
        })
    }

    /// [`CvData::new`] with the folds' statistics computed in parallel (feature `rayon`;
    /// bitwise the same).
    ///
    /// # Errors
    /// As [`CvData::new`].
    #[cfg(feature = "rayon")]
    pub fn par_new(x: &'a X, y: &'a [T], folds: &Folds, settings: &CvSettings<T>) -> Result<Self> {
        check_shapes(x, y, folds)?;
        let stats = par_block_stats(x, y, folds, settings)?;
        Ok(Self {
            x,
            y,
            folds: folds.clone(),
            stats,
        })
    }

    /// The block statistics, when `settings` use them (they are ignored, and every fold is
    /// prepared from its copied training rows, when `settings` ask for standardization or a
    /// solver without Gram updates).
    fn stats_for(&self, settings: &CvSettings<T>) -> Option<&BlockStats<'a, T, X>> {
        self.stats
            .as_ref()
            .filter(|_| use_blocks(self.x, &self.folds, settings))
    }

    /// The prepared full problem (every row; no weights, no standardization) from the block
    /// statistics, for the refit: `None` when there are no statistics.
    pub fn prepare_all(
        &self,
        fit_intercept: bool,
    ) -> Option<Result<proxreg_solvers::Prepared<'a, T>>> {
        self.stats.as_ref().map(|s| s.prepare(None, fit_intercept))
    }

    /// One [`CvPath`] per penalty (as [`cv_paths`]), sequentially.
    ///
    /// # Errors
    /// As [`cv_paths`].
    pub fn paths<P: SeparablePenalty<T>>(
        &self,
        penalties: &[P],
        settings: &CvSettings<T>,
    ) -> Result<Vec<CvPath<T>>> {
        let (x, y, folds) = (self.x, self.y, &self.folds);
        let stats = self.stats_for(settings);
        let grids = penalties
            .iter()
            .map(|p| fold_grid(x, y, p, settings, stats))
            .collect::<Result<Vec<_>>>()?;
        let k = folds.n_folds();
        let fits = (0..penalties.len() * k)
            .map(|t| {
                fold_errors(
                    x,
                    y,
                    &penalties[t / k],
                    folds,
                    t % k,
                    &grids[t / k],
                    settings,
                    stats,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(collect_paths(grids, &fits, k))
    }

    /// [`CvData::paths`] with the `(penalty, fold)` fits in parallel on rayon's current thread
    /// pool (feature `rayon`), bitwise identical to the sequential result.
    ///
    /// # Errors
    /// As [`cv_paths`].
    #[cfg(feature = "rayon")]
    pub fn par_paths<P: SeparablePenalty<T> + Sync>(
        &self,
        penalties: &[P],
        settings: &CvSettings<T>,
    ) -> Result<Vec<CvPath<T>>>
    where
        X: Sync,
    {
        use rayon::prelude::*;
        let (x, y, folds) = (self.x, self.y, &self.folds);
        let stats = self.stats_for(settings);
        let grids = penalties
            .iter()
            .map(|p| fold_grid(x, y, p, settings, stats))
            .collect::<Result<Vec<_>>>()?;
        let k = folds.n_folds();
        let fits = (0..penalties.len() * k)
            .into_par_iter()
            .map(|t| {
                fold_errors(
                    x,
                    y,
                    &penalties[t / k],
                    folds,
                    t % k,
                    &grids[t / k],
                    settings,
                    stats,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(collect_paths(grids, &fits, k))
    }
}

fn collect_paths<T: Scalar>(
    grids: Vec<Vec<T>>,
    fits: &[(Vec<T>, usize)],
    k: usize,
) -> Vec<CvPath<T>> {
    grids
        .into_iter()
        .enumerate()
        .map(|(i, g)| assemble(g, &fits[i * k..(i + 1) * k]))
        .collect()
}

/// Validates the shapes of `y` and the folds against `x`.
fn check_shapes<T, X>(x: &X, y: &[T], folds: &Folds) -> Result<()>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let (n, p) = (x.nrows(), x.ncols());
    // The same errors, in the same order, as a fit on the full data (Problem::validate, then
    // X's finiteness with the flat index of the first bad entry).
    proxreg_core::error::ensure_nonempty_design(n, p)?;
    crate::ridge::check_shapes(x, y, folds)?;
    proxreg_core::error::ensure_all_finite("y", y)?;
    check_error_range(y)?;
    for j in 0..p {
        if let Some(c) = x.col_slice(j) {
            if let Some(i) = c.iter().position(|v| !v.is_finite()) {
                return Err(Error::NonFinite {
                    what: "X",
                    index: j * n + i,
                });
            }
        }
    }
    Ok(())
}

/// Held-out errors are squared residuals, of the scale of `y²`: when `‖y‖²` (centered or not)
/// leaves the floating-point range, every fold's error would be `∞` or `0` and the selection
/// meaningless. The fits themselves handle such `y` (rescaled internally); cross-validation
/// asks for `y` to be rescaled (the selected alpha then scales with it).
pub(crate) fn check_error_range<T: Scalar>(y: &[T]) -> Result<()> {
    let nz = y.iter().any(|&v| v != T::zero());
    let sq: T = y.iter().map(|&v| v * v).sum();
    let n = T::from_count(y.len().max(1));
    // The squared errors are compared and averaged: keep them and their mean normal.
    let ok = !nz || (sq.is_finite() && sq / n >= T::min_positive_value());
    if ok {
        Ok(())
    } else {
        Err(Error::Numerical {
            what: "y",
            reason: "cross-validation errors (squared residuals) overflow or underflow in this \
                     precision: rescale y for cross-validation (the selected alpha scales with \
                     it); single fits rescale internally",
        })
    }
}

/// The grid: from the block statistics when there are some (the full data's `alpha_max` from
/// the combined statistics, no pass over `X`), else as [`grid`].
fn fold_grid<T, X, P>(
    x: &X,
    y: &[T],
    penalty: &P,
    settings: &CvSettings<T>,
    stats: Option<&BlockStats<'_, T, X>>,
) -> Result<Vec<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
{
    match (&settings.alphas, stats) {
        (Alphas::Auto { n_alphas, eps }, Some(st)) => {
            settings.solver.check()?;
            let prep = st.prepare(None, settings.fit_intercept)?;
            let amax = alpha_max(&prep, penalty)?;
            alpha_grid(amax, *n_alphas, *eps)
        }
        _ => grid(x, y, penalty, settings),
    }
}

/// Whether the folds are fitted from row-block statistics (see [`BlockStats`]): the solver
/// uses Gram updates on every training set, no standardization, and the `K` per-fold `p × p`
/// statistics are no larger than `X` itself (`K·p <= n`) or small (at most 2^20 numbers).
///
/// Never for a sparse design: its folds are prepared as sparse matrices (row selection on the
/// CSC), where the block statistics would be dense.
fn use_blocks<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    x: &X,
    folds: &Folds,
    settings: &CvSettings<T>,
) -> bool {
    if x.sparse_columns().is_some() {
        return false;
    }
    let (n, p) = (x.nrows(), x.ncols());
    let k = folds.n_folds();
    let stats = k.saturating_mul(p).saturating_mul(p);
    !settings.standardize
        && (stats <= n.saturating_mul(p) || stats <= 1 << 20)
        && (0..k).all(|f| {
            settings
                .solver
                .uses_gram_updates(n - folds.test(f).len(), p)
        })
}

/// The statistics of fold `k`'s test rows.
fn fold_block<T, X>(x: &X, y: &[T], folds: &Folds, k: usize) -> Result<RowBlock<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    RowBlock::new(x, y, folds.test(k).to_vec())
}

/// The block statistics of the folds (one block per test fold), when [`use_blocks`].
fn block_stats<'a, T, X>(
    x: &'a X,
    y: &'a [T],
    folds: &Folds,
    settings: &CvSettings<T>,
    block: impl Fn(usize) -> Result<RowBlock<T>>,
) -> Result<Option<BlockStats<'a, T, X>>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
{
    if !use_blocks(x, folds, settings) {
        return Ok(None);
    }
    let blocks = (0..folds.n_folds())
        .map(block)
        .collect::<Result<Vec<_>>>()?;
    in_range(BlockStats::new(x, y, blocks)?, settings)
}

/// The block statistics, or `None` when the data's squared norms leave the floating-point
/// range: then the folds are prepared one by one, where such data are rescaled internally
/// (the statistics are not).
fn in_range<'a, T, X>(
    st: BlockStats<'a, T, X>,
    settings: &CvSettings<T>,
) -> Result<Option<BlockStats<'a, T, X>>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
{
    match st.prepare(None, settings.fit_intercept) {
        Ok(_) => Ok(Some(st)),
        Err(Error::Numerical { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// [`block_stats`] with the blocks computed in parallel (each block's computation is
/// sequential: the statistics are bitwise those of [`block_stats`]).
#[cfg(feature = "rayon")]
fn par_block_stats<'a, T, X>(
    x: &'a X,
    y: &'a [T],
    folds: &Folds,
    settings: &CvSettings<T>,
) -> Result<Option<BlockStats<'a, T, X>>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
{
    use rayon::prelude::*;
    if !use_blocks(x, folds, settings) {
        return Ok(None);
    }
    let blocks = (0..folds.n_folds())
        .into_par_iter()
        .map(|k| fold_block(x, y, folds, k))
        .collect::<Result<Vec<_>>>()?;
    in_range(BlockStats::new(x, y, blocks)?, settings)
}

/// Builds the result from the per-fold errors (in fold order).
pub(crate) fn assemble<T: Scalar>(alphas: Vec<T>, per_fold: &[(Vec<T>, usize)]) -> CvPath<T> {
    let n_not_converged = per_fold.iter().map(|f| f.1).sum();
    let mse: Vec<Vec<T>> = (0..alphas.len())
        .map(|a| per_fold.iter().map(|f| f.0[a]).collect())
        .collect();
    let (mean, std_err) = summarize(&mse);
    let (index_min, index_1se) = select(&mean, &std_err);
    CvPath {
        alphas,
        mse,
        mean,
        std_err,
        index_min,
        index_1se,
        n_not_converged,
    }
}

/// Fits the path on fold `k`'s training rows; returns its test error per alpha and the number
/// of points that did not converge. With block statistics the training problem is prepared
/// from them (no copy of the training rows, no Gram matrix per fold) and the mean squared
/// error is computed from the test block's statistics.
#[allow(clippy::too_many_arguments)]
fn fold_errors<T, X, P>(
    x: &X,
    y: &[T],
    penalty: &P,
    folds: &Folds,
    k: usize,
    alphas: &[T],
    settings: &CvSettings<T>,
    stats: Option<&BlockStats<'_, T, X>>,
) -> Result<(Vec<T>, usize)>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
{
    let solver = &settings.solver;
    let test = folds.test(k);
    let path = match stats {
        Some(st) => {
            let prep = st.prepare(Some(k), settings.fit_intercept)?;
            solver.path_prepared(&prep, penalty, alphas, None)?
        }
        None => {
            let train = folds.train(k);
            let x_train = x.select_rows(&train)?;
            let y_train: Vec<T> = train.iter().map(|&i| y[i]).collect();
            let pb = Problem::new(&x_train, &y_train, penalty, T::zero())
                .fit_intercept(settings.fit_intercept)
                .standardize(settings.standardize);
            let prep = solver.prepare(&pb)?;
            solver.path_prepared(&prep, penalty, alphas, None)?
        }
    };
    let not_converged = path.solutions.iter().filter(|s| !s.converged()).count();
    let mut errors = Vec::with_capacity(alphas.len());
    let nt = T::from_count(test.len());
    let from_stats = match (stats, &settings.measure) {
        (Some(st), ErrorMeasure::Mse) => Some(st.block(k)),
        _ => None,
    };
    // The test rows are copied only if some error is computed from predictions.
    let mut test_data: Option<(X::Owned, Vec<T>, Vec<T>)> = None;
    for sol in &path.solutions {
        let b = sol.intercept.first().copied().unwrap_or_else(T::zero);
        if let Some(block) = from_stats {
            // The MSE from the block's statistics, when its rounding error (a few ε times the
            // size of its terms) is below 1e-8 of it (f64, unless the fit is nearly exact);
            // else from predictions.
            let (sse, size) = block.sse(&sol.coef, b)?;
            if T::lit(64.0) * T::epsilon() * size <= T::lit(1e-8) * sse {
                errors.push(sse / nt);
                continue;
            }
        }
        if test_data.is_none() {
            let xt = x.select_rows(test)?;
            let yt: Vec<T> = test.iter().map(|&i| y[i]).collect();
            test_data = Some((xt, yt, vec![T::zero(); test.len()]));
        }
        if let Some((x_test, y_test, pred)) = test_data.as_mut() {
            x_test.gemv(T::one(), &sol.coef, T::zero(), pred);
            pred.iter_mut().for_each(|v| *v += b);
            errors.push(settings.measure.eval(y_test, pred));
        }
    }
    Ok((errors, not_converged))
}

/// Per-row mean and standard error (`sd / √K`, sample sd with `K − 1`).
pub(crate) fn summarize<T: Scalar>(mse: &[Vec<T>]) -> (Vec<T>, Vec<T>) {
    let mut mean = Vec::with_capacity(mse.len());
    let mut se = Vec::with_capacity(mse.len());
    for row in mse {
        let k = T::from_count(row.len());
        let m = row.iter().copied().sum::<T>() / k;
        let ss: T = row.iter().map(|&v| (v - m) * (v - m)).sum();
        mean.push(m);
        se.push((ss / (k * (k - T::one()))).sqrt());
    }
    (mean, se)
}

/// `(index_min, index_1se)` of a decreasing grid's mean errors (first minimum; NaN never wins).
pub(crate) fn select<T: Scalar>(mean: &[T], se: &[T]) -> (usize, usize) {
    let mut best = 0;
    for (i, &m) in mean.iter().enumerate() {
        if m < mean[best] || (mean[best].is_nan() && !m.is_nan()) {
            best = i;
        }
    }
    let bound = mean[best] + se[best];
    let i1 = mean.iter().position(|&m| m <= bound).unwrap_or(best);
    (best, i1)
}
