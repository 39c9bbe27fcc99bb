//! Cross-validated logistic group lasso / sparse group lasso: stratified K-fold over a
//! warm-started alpha path scored by a [`ClassMeasure`], `lambda_min` / `lambda_1se`.

use proxreg_core::datafit::Logistic;
use proxreg_core::penalty::Groups;
use proxreg_core::{Error, Result, Scalar};
use proxreg_cv::{ClassMeasure, CvPath, KFold, StratifiedKFold};
use proxreg_linalg::DesignMatrix;

use super::cv::{CvSplit, Selection};
use super::group::{LogisticGroupLasso, LogisticGroupLassoParams};
use super::group_cv::{
    check_rows, group_cv_accessors, group_cv_setters, CvCore, FoldScore, GroupLassoCv,
    GroupLassoCvParams,
};
use super::logistic::encode_binary;

/// Unchecked cross-validated logistic group lasso hyper-parameters (builder).
///
/// | name | default | purpose |
/// | --- | --- | --- |
/// | `group_weights`, `l1_ratio`, `fit_intercept`, `tol`, `max_iter` | as [`LogisticGroupLassoParams`] | the model of every fit |
/// | `n_alphas` | 100 | length of the automatic grid (`>= 1`) |
/// | `eps` | 1e-2 | `alpha_min / alpha_max` of the automatic grid (`(0, 1)`) |
/// | `alphas` | automatic | a given grid (sorted decreasing; finite, `>= 0`, non-empty) |
/// | `stratified` / `cv` / `fold_ids` | `StratifiedKFold::new(5)` | the folds: stratified by class, plain K-fold, or one fold id per row |
/// | `measure` | `Deviance` | held-out measure ([`ClassMeasure`]; AUC is maximised) |
/// | `selection` | `Min` | minimum or one-standard-error rule |
/// | `parallel` | true | folds in parallel (feature `rayon`), bitwise identical to serial |
/// | `require_convergence` | false | the **refit** errors instead of returning a non-converged model |
///
/// The defaults of the folds, the measure and `eps` are those of
/// [`LogisticRegressionCv`](crate::LogisticRegressionCv) (see there why `eps` is `1e-2` for a
/// logistic loss); the others those of [`GroupLassoCv`].
///
/// **Grid.** From [`LogisticGroupLassoParams::alpha_max`] on all the data down to
/// `eps·alpha_max`, log-spaced. **Folds.** Each fold fits the warm-started path
/// ([`GroupCd::path`], the logistic datafit on the labels encoded 0/1 as [`LogisticGroupLasso`]
/// does) on its training rows, predicts `η = Xw + b` on its held-out rows and scores every alpha
/// with the measure; mean, standard error (sd over folds / √K), `lambda_min` and `lambda_1se`
/// are those of the other cross-validated estimators ([`CvPath::from_fold_errors`]). The model
/// is then refitted on all the data at the selected alpha.
///
/// [`GroupCd::path`]: proxreg_solvers::GroupCd::path
///
/// # Errors
/// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter, the errors
/// of [`LogisticGroupLassoParams::fit`] (labels that are not two finite classes:
/// [`Error::InvalidTarget`] / [`Error::NonFinite`]), those of the folds (too few rows or too
/// few of a class, bad fold ids), and [`Error::FoldMissingClass`] for a fold whose training rows
/// hold one class only (or, with [`ClassMeasure::Auc`], whose held-out rows do).
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticGroupLassoCvParams<T> {
    /// The grid, folds, selection and model options (the least-squares builder's).
    inner: GroupLassoCvParams<T>,
    measure: ClassMeasure,
}

/// A fitted cross-validated logistic group lasso: the held-out [`ClassMeasure`] along the alpha
/// grid, the selected alpha, the folds' certificates and the [`LogisticGroupLasso`] refitted on
/// all the data.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::penalty::Groups;
/// use proxreg::{ClassMeasure, LogisticGroupLassoCv};
/// let x = ColMajor::from_fn(80, 6, |i, j| (((i * (j + 3) + 5 * j) % 13) as f64 - 6.0) / 4.0);
/// let y: Vec<f64> = (0..80)
///     .map(|i| {
///         let t = x.col(0)[i] - x.col(1)[i] + 0.3 * ((i * 7) % 5) as f64;
///         if t > 0.2 { 1.0 } else { -1.0 }
///     })
///     .collect();
/// let cv = LogisticGroupLassoCv::params(Groups::contiguous(&[2, 2, 2])?)
///     .n_alphas(20)
///     .stratified(StratifiedKFold::new(4).shuffle(Some(3)))
///     .measure(ClassMeasure::Deviance)
///     .selection(Selection::OneStandardError)
///     .tol(1e-8)
///     .fit(&x, &y)?;
/// assert_eq!(cv.alphas().len(), 20);
/// assert_eq!(cv.cv_errors()[0].len(), 4); // [alpha][fold]
/// assert!(cv.alpha_1se() >= cv.alpha_min());
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// assert_eq!(cv.classes(), [-1.0, 1.0]);
/// assert!(cv.model().coef()[0] != 0.0);
/// assert!(cv.model().score(&x, &y)? > 0.7); // accuracy of the refit
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticGroupLassoCv<T> {
    core: CvCore<T>,
    measure: ClassMeasure,
    model: LogisticGroupLasso<T>,
}

impl<T: Scalar> LogisticGroupLassoCv<T> {
    /// The builder for a partition, with the defaults of the table on
    /// [`LogisticGroupLassoCvParams`].
    pub fn params(groups: Groups) -> LogisticGroupLassoCvParams<T> {
        let mut inner = GroupLassoCv::params(groups).eps(T::lit(1e-2));
        inner.cv = CvSplit::Stratified(StratifiedKFold::new(5));
        LogisticGroupLassoCvParams {
            inner,
            measure: ClassMeasure::Deviance,
        }
    }
    group_cv_accessors!(LogisticGroupLasso<T>);
    /// `cv_errors()[a][k]`: fold `k`'s held-out loss at `alphas()[a]` (`1 − AUC` for
    /// [`ClassMeasure::Auc`]).
    pub fn cv_errors(&self) -> &[Vec<T>] {
        &self.core.path.mse
    }
    /// The held-out measure.
    pub fn measure(&self) -> ClassMeasure {
        self.measure
    }
    /// The mean curve in the measure's own terms: the mean AUC for [`ClassMeasure::Auc`]
    /// (`1 − cv_mean`), [`cv_mean`](Self::cv_mean) otherwise.
    pub fn cv_score(&self) -> Vec<T> {
        self.core
            .path
            .mean
            .iter()
            .map(|&m| self.measure.score(m))
            .collect()
    }
    /// The two labels, sorted ([`LogisticGroupLasso::classes`]).
    pub fn classes(&self) -> [T; 2] {
        self.model.classes()
    }
}

impl<T: Scalar> LogisticGroupLassoCvParams<T> {
    group_cv_setters!(.inner);

    /// Stratified K-fold splitting (the default, `StratifiedKFold::new(5)`): every fold holds
    /// the classes in the proportions of the whole.
    #[must_use]
    pub fn stratified(mut self, folds: StratifiedKFold) -> Self {
        self.inner.cv = CvSplit::Stratified(folds);
        self
    }
    /// The held-out measure (default [`ClassMeasure::Deviance`]).
    #[must_use]
    pub fn measure(mut self, measure: ClassMeasure) -> Self {
        self.measure = measure;
        self
    }

    /// Validates the parameters that do not depend on the data (folds are checked at fit).
    ///
    /// # Errors
    /// As [`GroupLassoCvParams::check`].
    pub fn check(&self) -> Result<()> {
        self.inner.check()
    }

    /// Cross-validates on `(x, y)` (two distinct labels) and refits at the selected alpha.
    ///
    /// # Errors
    /// See [`LogisticGroupLassoCvParams`].
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<LogisticGroupLassoCv<T>> {
        self.fit_with(x, y, None)
    }

    /// Cross-validates with sample weights `s_i ≥ 0` (not all zero): the fold paths and the
    /// refit weight their training rows as [`LogisticGroupLassoParams::fit_weighted`], and the
    /// held-out measure is `s`-weighted ([`ClassMeasure::eval`] with the weights, as
    /// [`LogisticRegressionCv`](crate::LogisticRegressionCv)).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), and [`Error::DimensionMismatch`] / [`Error::InvalidParameter`] /
    /// [`Error::NonFinite`] for weights of the wrong length, negative, not finite or all zero.
    pub fn fit_weighted<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<LogisticGroupLassoCv<T>> {
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
    ) -> Result<LogisticGroupLassoCv<T>> {
        self.check()?;
        let n = check_rows(x.nrows(), y, sample_weight)?;
        let (classes, enc) = encode_binary(y)?;
        let base = self.refit_params();
        let alphas = self.inner.grid(|| base.alpha_max(x, y, sample_weight))?;
        let folds = self.inner.cv.folds_for(n, Some(y))?;
        let score = BinaryScore {
            y01: &enc,
            classes,
            measure: self.measure,
        };
        let core = self
            .inner
            .cross_validate(x, &enc, sample_weight, &folds, alphas, &score)?;
        let model = base.alpha(core.alpha()).fit_with(x, y, sample_weight)?;
        Ok(LogisticGroupLassoCv {
            core,
            measure: self.measure,
            model,
        })
    }

    /// The single-fit builder with the same model options.
    fn refit_params(&self) -> LogisticGroupLassoParams<T> {
        LogisticGroupLassoParams(self.inner.base.clone())
    }
}

/// The logistic score of a fold: both classes in its training rows (and, for AUC, in its
/// held-out rows), the measure of `η = Xw + b` against the 0/1 labels.
struct BinaryScore<'a, T> {
    y01: &'a [T],
    classes: [T; 2],
    measure: ClassMeasure,
}

impl<T: Scalar> BinaryScore<'_, T> {
    /// The label of the first class (by label order) absent from `rows`.
    fn missing(&self, rows: &[usize]) -> Option<T> {
        let has = |c: T| rows.iter().any(|&i| self.y01[i] == c);
        if !has(T::zero()) {
            Some(self.classes[0])
        } else if !has(T::one()) {
            Some(self.classes[1])
        } else {
            None
        }
    }
}

impl<T: Scalar> FoldScore<T> for BinaryScore<'_, T> {
    type Fit = Logistic;
    fn datafit(&self) -> Logistic {
        Logistic
    }
    fn check_fold(&self, fold: usize, train: &[usize], test: &[usize]) -> Result<()> {
        let auc = self.measure == ClassMeasure::Auc;
        for (rows, part, needed) in [(train, "training", true), (test, "held-out", auc)] {
            if let Some(class) = self.missing(rows).filter(|_| needed) {
                return Err(Error::FoldMissingClass {
                    fold,
                    part,
                    class: class.as_f64(),
                });
            }
        }
        Ok(())
    }
    fn loss(&self, y: &[T], eta: &[T], s: Option<&[T]>) -> T {
        self.measure.eval(y, eta, s)
    }
}
