//! Cross-validated group lasso / sparse group lasso (least squares): K-fold over a
//! warm-started alpha path, `lambda_min` / `lambda_1se`.

use proxreg_core::datafit::{Datafit, Quadratic};
use proxreg_core::penalty::Groups;
use proxreg_core::{Error, Result, Scalar};
use proxreg_cv::{CvPath, Folds, KFold};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::Problem;

use super::cv::{check_grid, CvSplit, Selection};
use super::families_cv::RegressionMeasure;
use super::group::{GroupLasso, GroupLassoParams};

/// Unchecked cross-validated group lasso hyper-parameters (builder).
///
/// | name | default | purpose |
/// | --- | --- | --- |
/// | `group_weights`, `l1_ratio`, `fit_intercept`, `tol`, `max_iter` | as [`GroupLassoParams`] | the model of every fit |
/// | `n_alphas` | 100 | length of the automatic grid (`>= 1`) |
/// | `eps` | 1e-3 | `alpha_min / alpha_max` of the automatic grid (`(0, 1)`) |
/// | `alphas` | automatic | a given grid (sorted decreasing; finite, `>= 0`, non-empty) |
/// | `cv` / `fold_ids` | `KFold::new(5)` | the folds (plain K-fold, or one fold id per row) |
/// | `selection` | `Min` | minimum or one-standard-error rule |
/// | `parallel` | true | folds in parallel (feature `rayon`), bitwise identical to serial |
/// | `require_convergence` | false | the **refit** errors instead of returning a non-converged model |
///
/// **Grid.** From [`GroupLassoParams::alpha_max`] on all the data down to `eps·alpha_max`,
/// log-spaced. **Folds.** Each fold fits the warm-started path ([`GroupCd::path`]) on its
/// training rows and scores every alpha by the mean squared error of `Xw + b` on its held-out
/// rows; mean, standard error (sd over folds / √K), `lambda_min` and `lambda_1se` are those of
/// the other cross-validated estimators ([`CvPath::from_fold_errors`]). The model is then
/// refitted on all the data at the selected alpha.
///
/// [`GroupCd::path`]: proxreg_solvers::GroupCd::path
///
/// # Errors
/// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter, the errors
/// of [`GroupLassoParams::fit`], and those of the folds (too few rows, bad fold ids).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLassoCvParams<T> {
    pub(super) base: GroupLassoParams<T>,
    pub(super) n_alphas: usize,
    pub(super) eps: T,
    pub(super) alphas: Option<Vec<T>>,
    pub(super) cv: CvSplit,
    pub(super) selection: Selection,
    pub(super) parallel: bool,
}

/// A fitted cross-validated group lasso: the held-out mean squared error along the alpha grid,
/// the selected alpha, the folds' certificates and the [`GroupLasso`] refitted on all the data.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::penalty::Groups;
/// use proxreg::{GroupLassoCv, KFold};
/// let x = ColMajor::from_fn(60, 6, |i, j| (((i + 1) * (j + 3) + 7 * j) % 13) as f64 - 6.0);
/// let y: Vec<f64> = (0..60)
///     .map(|i| 2.0 * x.col(0)[i] - x.col(1)[i] + ((i * 7) % 5) as f64 * 0.3)
///     .collect();
/// let cv = GroupLassoCv::params(Groups::contiguous(&[2, 2, 2])?)
///     .n_alphas(20)
///     .cv(KFold::new(4).shuffle(Some(1)))
///     .selection(Selection::OneStandardError)
///     .tol(1e-8)
///     .fit(&x, &y)?;
/// assert_eq!(cv.alphas().len(), 20);
/// assert_eq!(cv.cv_errors()[0].len(), 4); // [alpha][fold]
/// assert!(cv.alpha_1se() >= cv.alpha_min());
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// assert!(cv.model().coef()[0] != 0.0);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLassoCv<T> {
    core: CvCore<T>,
    model: GroupLasso<T>,
}

/// What every cross-validated group estimator keeps besides its refit: the curve, the
/// selected index, the rule and the folds' largest relative gaps.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CvCore<T> {
    pub(super) path: CvPath<T>,
    pub(super) index: usize,
    pub(super) selection: Selection,
    pub(super) fold_max_gaps: Vec<Option<T>>,
}

/// The accessors of a cross-validated group estimator's [`CvCore`] (field `core`) and its
/// refitted model (field `model`, of type `$model`).
macro_rules! group_cv_accessors {
    ($model:ty) => {
        /// The selected alpha.
        pub fn alpha(&self) -> T {
            self.core.path.alphas[self.core.index]
        }
        /// The selected alpha's index in [`alphas`](Self::alphas).
        pub fn index(&self) -> usize {
            self.core.index
        }
        /// The alpha of minimal mean held-out loss (`lambda_min`).
        pub fn alpha_min(&self) -> T {
            self.core.path.alphas[self.core.path.index_min]
        }
        /// The one-standard-error alpha (`lambda_1se`): the largest alpha whose mean held-out
        /// loss is within one standard error of the minimum; `>= alpha_min()`.
        pub fn alpha_1se(&self) -> T {
            self.core.path.alphas[self.core.path.index_1se]
        }
        /// The selection rule used.
        pub fn selection(&self) -> Selection {
            self.core.selection
        }
        /// The cross-validation curve (its `mse` field holds the held-out losses).
        pub fn path(&self) -> &CvPath<T> {
            &self.core.path
        }
        /// The alpha grid (decreasing).
        pub fn alphas(&self) -> &[T] {
            &self.core.path.alphas
        }
        /// The mean over folds of the held-out loss per alpha (the curve that is minimised).
        pub fn cv_mean(&self) -> &[T] {
            &self.core.path.mean
        }
        /// The standard error of [`cv_mean`](Self::cv_mean) (sd over folds / √K).
        pub fn cv_std_err(&self) -> &[T] {
            &self.core.path.std_err
        }
        /// Each fold path's largest relative duality gap (`None` when a point had no gap).
        pub fn fold_max_relative_gaps(&self) -> &[Option<T>] {
            &self.core.fold_max_gaps
        }
        /// The largest relative gap over every fold fit (`None` when one had no gap).
        pub fn max_relative_gap(&self) -> Option<T> {
            self.core
                .fold_max_gaps
                .iter()
                .try_fold(T::zero(), |a, g| g.map(|g| a.max(g)))
        }
        /// Number of (alpha, fold) fits that did not reach the tolerance.
        pub fn n_not_converged(&self) -> usize {
            self.core.path.n_not_converged
        }
        /// The model refitted on all the data at the selected alpha.
        pub fn model(&self) -> &$model {
            &self.model
        }
        /// The refitted model, by value.
        pub fn into_model(self) -> $model {
            self.model
        }
    };
}
pub(super) use group_cv_accessors;

impl<T: Scalar> GroupLassoCv<T> {
    /// The builder for a partition, with the defaults of the table on [`GroupLassoCvParams`].
    pub fn params(groups: Groups) -> GroupLassoCvParams<T> {
        GroupLassoCvParams {
            base: GroupLasso::params(groups),
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            cv: CvSplit::KFold(KFold::new(5)),
            selection: Selection::Min,
            parallel: true,
        }
    }
    group_cv_accessors!(GroupLasso<T>);
    /// `cv_errors()[a][k]`: fold `k`'s held-out mean squared error at `alphas()[a]`.
    pub fn cv_errors(&self) -> &[Vec<T>] {
        &self.core.path.mse
    }
}

/// The setters shared by the cross-validated group estimators' builders, on
/// `self$inner` (a [`GroupLassoCvParams`]).
macro_rules! group_cv_setters {
    ($($inner:tt)*) => {
        /// The group weights `c_g` (`None`: `√|G|`).
        #[must_use]
        pub fn group_weights(mut self, weights: Option<Vec<T>>) -> Self {
            self$($inner)*.base = self$($inner)*.base.group_weights(weights);
            self
        }
        /// `τ ∈ [0, 1]`.
        #[must_use]
        pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
            self$($inner)*.base = self$($inner)*.base.l1_ratio(l1_ratio);
            self
        }
        /// Whether to fit an unpenalized intercept.
        #[must_use]
        pub fn fit_intercept(mut self, yes: bool) -> Self {
            self$($inner)*.base = self$($inner)*.base.fit_intercept(yes);
            self
        }
        /// The relative duality gap of every fit.
        #[must_use]
        pub fn tol(mut self, tol: T) -> Self {
            self$($inner)*.base = self$($inner)*.base.tol(tol);
            self
        }
        /// The largest number of epochs per fit.
        #[must_use]
        pub fn max_iter(mut self, max_iter: usize) -> Self {
            self$($inner)*.base = self$($inner)*.base.max_iter(max_iter);
            self
        }
        /// Whether a refit that does not reach `tol` is an error.
        #[must_use]
        pub fn require_convergence(mut self, yes: bool) -> Self {
            self$($inner)*.base = self$($inner)*.base.require_convergence(yes);
            self
        }
        /// Length of the automatic grid.
        #[must_use]
        pub fn n_alphas(mut self, n: usize) -> Self {
            self$($inner)*.n_alphas = n;
            self
        }
        /// `alpha_min / alpha_max` of the automatic grid.
        #[must_use]
        pub fn eps(mut self, eps: T) -> Self {
            self$($inner)*.eps = eps;
            self
        }
        /// A given grid (sorted decreasing before use).
        #[must_use]
        pub fn alphas(mut self, alphas: Vec<T>) -> Self {
            self$($inner)*.alphas = Some(alphas);
            self
        }
        /// Plain K-fold splitting (contiguous, or shuffled with a seed).
        #[must_use]
        pub fn cv(mut self, kfold: KFold) -> Self {
            self$($inner)*.cv = CvSplit::KFold(kfold);
            self
        }
        /// One fold id per row, `0..K` (glmnet's `foldid`).
        #[must_use]
        pub fn fold_ids(mut self, ids: Vec<usize>) -> Self {
            self$($inner)*.cv = CvSplit::FoldIds(ids);
            self
        }
        /// Minimum or one-standard-error rule.
        #[must_use]
        pub fn selection(mut self, selection: Selection) -> Self {
            self$($inner)*.selection = selection;
            self
        }
        /// Fit the folds in parallel on rayon's current pool (default `true`; sequential
        /// without the `rayon` feature). The results are bitwise identical either way.
        #[must_use]
        pub fn parallel(mut self, yes: bool) -> Self {
            self$($inner)*.parallel = yes;
            self
        }
    };
}
pub(super) use group_cv_setters;

impl<T: Scalar> GroupLassoCvParams<T> {
    group_cv_setters!();

    /// Validates every parameter.
    ///
    /// # Errors
    /// As [`GroupLassoParams::check`], and [`Error::InvalidParameter`] / [`Error::Empty`] for
    /// `n_alphas`, `eps`, `alphas`.
    pub fn check(&self) -> Result<()> {
        self.base.check()?;
        check_grid(
            self.n_alphas,
            self.eps,
            self.alphas.as_deref(),
            self.base.tol,
            None,
            self.base.max_iter,
        )
    }

    /// Cross-validates on `(x, y)` and refits at the selected alpha.
    ///
    /// # Errors
    /// See [`GroupLassoCvParams`].
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<GroupLassoCv<T>> {
        self.fit_with(x, y, None)
    }

    /// Cross-validates with sample weights `s_i ≥ 0` (not all zero): every fold path and the
    /// refit weight their training rows as [`GroupLassoParams::fit_weighted`], and the
    /// held-out mean squared error is the `s`-weighted mean over the fold's test rows. With
    /// integer weights this is the cross-validation of the data with the rows repeated when
    /// each copy stays in its row's fold.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), and [`Error::DimensionMismatch`] / [`Error::InvalidParameter`] /
    /// [`Error::NonFinite`] for weights of the wrong length, negative, not finite or all zero
    /// (on all the rows, or on a fold's training rows).
    pub fn fit_weighted<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<GroupLassoCv<T>> {
        self.fit_with(x, y, Some(sample_weight))
    }

    /// [`fit`](Self::fit) or [`fit_weighted`](Self::fit_weighted), as the weights are given.
    ///
    /// # Errors
    /// As [`fit_weighted`](Self::fit_weighted).
    pub fn fit_with<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<GroupLassoCv<T>> {
        self.check()?;
        let n = check_rows(x.nrows(), y, sample_weight)?;
        let alphas = self.grid(|| self.base.alpha_max(x, y, sample_weight))?;
        let folds = self.cv.folds(n)?;
        let core = self.cross_validate(x, y, sample_weight, &folds, alphas, &MeanSquaredError)?;
        let model = self
            .base
            .clone()
            .alpha(core.alpha())
            .fit_with(x, y, sample_weight)?;
        Ok(GroupLassoCv { core, model })
    }

    /// The given alphas sorted decreasing, or the automatic grid from `alpha_max()` down to
    /// `eps·alpha_max`.
    pub(super) fn grid(&self, alpha_max: impl FnOnce() -> Result<T>) -> Result<Vec<T>> {
        match &self.alphas {
            Some(a) => {
                let mut a = a.clone();
                a.sort_by(|u, v| v.partial_cmp(u).unwrap_or(core::cmp::Ordering::Equal));
                Ok(a)
            }
            None => proxreg_solvers::alpha_grid(alpha_max()?, self.n_alphas, self.eps),
        }
    }

    /// Every fold's warm-started path on its training rows of `(x, y)` (`y` as the datafit
    /// reads it), scored on its held-out rows by `score`; the curve and the selected index.
    pub(super) fn cross_validate<X, S>(
        &self,
        x: &X,
        y: &[T],
        sw: Option<&[T]>,
        folds: &Folds,
        alphas: Vec<T>,
        score: &S,
    ) -> Result<CvCore<T>>
    where
        X: DesignMatrix<T> + Sync + ?Sized,
        S: FoldScore<T>,
    {
        let job = FoldJob {
            params: self,
            x,
            y,
            sw,
            folds,
            alphas: &alphas,
            score,
        };
        let outs = job.run_all()?;
        let fold_errors: Vec<Vec<T>> = outs.iter().map(|o| o.errors.clone()).collect();
        let n_not_converged = outs.iter().map(|o| o.not_converged).sum();
        let fold_max_gaps = outs.iter().map(|o| o.max_gap).collect();
        let path = CvPath::from_fold_errors(alphas, &fold_errors, n_not_converged)?;
        let index = match self.selection {
            Selection::Min => path.index_min,
            Selection::OneStandardError => path.index_1se,
        };
        Ok(CvCore {
            path,
            index,
            selection: self.selection,
            fold_max_gaps,
        })
    }
}

impl<T: Scalar> CvCore<T> {
    /// The selected alpha.
    pub(super) fn alpha(&self) -> T {
        self.path.alphas[self.index]
    }
}

/// How a cross-validated group estimator fits and scores a fold: the datafit of the fold
/// paths, a check of the fold's rows before it is fitted, and the held-out loss.
pub(super) trait FoldScore<T: Scalar>: Sync {
    /// The datafit of the fold paths.
    type Fit: Datafit<T>;
    /// The datafit (a fresh value per fold).
    fn datafit(&self) -> Self::Fit;
    /// Whether fold `fold` (its training and held-out rows) can be fitted and scored.
    fn check_fold(&self, fold: usize, train: &[usize], test: &[usize]) -> Result<()>;
    /// The held-out loss of the linear predictor `eta = Xw + b` on the targets `y` (as the
    /// datafit reads them), weighted by `s` when given.
    fn loss(&self, y: &[T], eta: &[T], s: Option<&[T]>) -> T;
}

/// `y` and the weights (when given) have one entry per row; the weights are finite and `≥ 0`
/// (all zero is refused by the fits). Returns the number of rows.
pub(super) fn check_rows<T: Scalar>(n: usize, y: &[T], sw: Option<&[T]>) -> Result<usize> {
    if y.len() != n {
        return Err(Error::DimensionMismatch {
            what: "y length vs X rows",
            expected: n,
            found: y.len(),
        });
    }
    if let Some(s) = sw {
        if s.len() != n {
            return Err(Error::DimensionMismatch {
                what: "sample_weight length vs X rows",
                expected: n,
                found: s.len(),
            });
        }
        for &v in s {
            proxreg_core::error::ensure_nonneg_finite("sample_weight", v)?;
        }
    }
    Ok(n)
}

/// The least-squares score: the held-out mean squared error.
struct MeanSquaredError;

impl<T: Scalar> FoldScore<T> for MeanSquaredError {
    type Fit = Quadratic;
    fn datafit(&self) -> Quadratic {
        Quadratic
    }
    fn check_fold(&self, _: usize, _: &[usize], _: &[usize]) -> Result<()> {
        Ok(())
    }
    fn loss(&self, y: &[T], eta: &[T], s: Option<&[T]>) -> T {
        RegressionMeasure::MeanSquaredError.eval(&Quadratic, y, eta, s)
    }
}

/// One fold's held-out errors, non-converged count and largest relative gap.
struct FoldOut<T> {
    errors: Vec<T>,
    not_converged: usize,
    max_gap: Option<T>,
}

struct FoldJob<'a, T, X: ?Sized, S> {
    params: &'a GroupLassoCvParams<T>,
    x: &'a X,
    y: &'a [T],
    sw: Option<&'a [T]>,
    folds: &'a Folds,
    alphas: &'a [T],
    score: &'a S,
}

impl<T: Scalar, X: DesignMatrix<T> + Sync + ?Sized, S: FoldScore<T>> FoldJob<'_, T, X, S> {
    /// Every fold, in fold order; each fold's computation is sequential and the results are
    /// collected in order, so the output (or the first failing fold's error) does not depend
    /// on the number of threads.
    fn run_all(&self) -> Result<Vec<FoldOut<T>>> {
        let k = self.folds.n_folds();
        #[cfg(feature = "rayon")]
        if self.params.parallel {
            use rayon::prelude::*;
            let outs: Vec<Result<FoldOut<T>>> =
                (0..k).into_par_iter().map(|f| self.run(f)).collect();
            return outs.into_iter().collect();
        }
        (0..k).map(|f| self.run(f)).collect()
    }

    /// Fold `k`: the path on its training rows, scored on its test rows.
    fn run(&self, k: usize) -> Result<FoldOut<T>> {
        let (train, test) = (self.folds.train(k), self.folds.test(k));
        self.score.check_fold(k, &train, test)?;
        let y_train: Vec<T> = train.iter().map(|&i| self.y[i]).collect();
        let y_test: Vec<T> = test.iter().map(|&i| self.y[i]).collect();
        let sw_train: Option<Vec<T>> = self.sw.map(|s| train.iter().map(|&i| s[i]).collect());
        let sw_test: Option<Vec<T>> = self.sw.map(|s| test.iter().map(|&i| s[i]).collect());
        let x_train = self.x.select_rows(&train)?;
        let x_test = self.x.select_rows(test)?;
        let base = &self.params.base;
        let (pen, solver) = base.check()?;
        let pb = Problem::new(&x_train, &y_train, &pen, T::one())
            .fit_intercept(base.fit_intercept)
            .sample_weight(sw_train.as_deref())
            .datafit(self.score.datafit());
        let path = solver.path(&pb, self.alphas)?;
        let mut eta = vec![T::zero(); test.len()];
        let mut errors = Vec::with_capacity(self.alphas.len());
        for sol in &path.solutions {
            // as the fitted models predict: the intercept, then `+ Xw`
            let b = sol.intercept.first().copied().unwrap_or_else(T::zero);
            eta.iter_mut().for_each(|e| *e = b);
            x_test.gemv(T::one(), &sol.coef, T::one(), &mut eta);
            errors.push(self.score.loss(&y_test, &eta, sw_test.as_deref()));
        }
        Ok(FoldOut {
            errors,
            not_converged: path.solutions.iter().filter(|s| !s.converged()).count(),
            max_gap: path.max_relative_gap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proxreg_linalg::ColMajor;

    fn data() -> (ColMajor<f64>, Vec<f64>, Groups) {
        let x = ColMajor::from_fn(72, 9, |i, j| {
            (((i * 7 + j * 13 + i * j) % 17) as f64 - 8.0) / 4.0
        });
        let y: Vec<f64> = (0..72)
            .map(|i| {
                1.5 * x.col(0)[i] - x.col(4)[i]
                    + 0.5 * x.col(5)[i]
                    + (((i * 11) % 7) as f64 - 3.0) * 0.4
            })
            .collect();
        let groups = Groups::new(&[vec![0, 1], vec![2, 3], vec![4, 5, 8], vec![6, 7]], 9).unwrap();
        (x, y, groups)
    }

    /// Each fold's error is the held-out MSE of a single fit on its training rows; the refit is
    /// the single fit at the selected alpha; lambda_1se ≥ lambda_min.
    #[test]
    fn fold_errors_and_refit_are_single_fits() {
        let (x, y, groups) = data();
        let cv = GroupLassoCv::params(groups.clone())
            .l1_ratio(0.3)
            .n_alphas(12)
            .cv(KFold::new(4).shuffle(Some(5)))
            .tol(1e-12)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(cv.alphas().len(), 12);
        assert!(cv.alpha_1se() >= cv.alpha_min());
        assert!(cv.max_relative_gap().unwrap() <= 1e-12);
        assert_eq!(cv.n_not_converged(), 0);
        let folds = KFold::new(4).shuffle(Some(5)).split(72).unwrap();
        let single = GroupLasso::params(groups.clone()).l1_ratio(0.3).tol(1e-12);
        for k in [0, 3] {
            let (train, test) = (folds.train(k), folds.test(k));
            let xt = x.select_rows(&train).unwrap();
            let yt: Vec<f64> = train.iter().map(|&i| y[i]).collect();
            for a in [2, 7] {
                let m = single.clone().alpha(cv.alphas()[a]).fit(&xt, &yt).unwrap();
                let xs = x.select_rows(test).unwrap();
                let pred = m.predict(&xs).unwrap();
                let mse: f64 = test
                    .iter()
                    .zip(&pred)
                    .map(|(&i, &p)| (y[i] - p) * (y[i] - p))
                    .sum::<f64>()
                    / test.len() as f64;
                let got = cv.cv_errors()[a][k];
                assert!(
                    (got - mse).abs() <= 1e-8 * mse,
                    "fold {k} alpha {a}: {got} vs {mse}"
                );
            }
        }
        let refit = single.alpha(cv.alpha()).fit(&x, &y).unwrap();
        for (a, b) in refit.coef().iter().zip(cv.model().coef()) {
            assert_eq!(a, b);
        }
        let err = GroupLassoCv::<f64>::params(groups)
            .n_alphas(0)
            .fit(&x, &y)
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidParameter {
                    name: "n_alphas",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    /// Parallel folds give bitwise the serial result (Min and 1se), and the selection rules
    /// pick `index_min` / `index_1se`.
    #[test]
    fn parallel_equals_serial_bitwise() {
        let (x, y, groups) = data();
        for sel in [Selection::Min, Selection::OneStandardError] {
            let p = GroupLassoCv::params(groups.clone())
                .n_alphas(15)
                .cv(KFold::new(5).shuffle(Some(2)))
                .selection(sel)
                .tol(1e-9);
            let par = p.clone().parallel(true).fit(&x, &y).unwrap();
            let ser = p.parallel(false).fit(&x, &y).unwrap();
            assert_eq!(par, ser);
            let want = match sel {
                Selection::Min => par.path().index_min,
                Selection::OneStandardError => par.path().index_1se,
            };
            assert_eq!(par.index(), want);
        }
    }
}
