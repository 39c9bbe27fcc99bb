//! Cross-validated Ridge: exact leave-one-out and GCV from one decomposition, or K-fold.

use proxreg_core::{Error, Result, Scalar};
use proxreg_cv::{
    ridge_curves_and_fit, ridge_kfold, CvPath, ErrorMeasure, Folds, KFold, RidgeCurves,
    RidgeDecomposition,
};
use proxreg_linalg::DesignMatrix;

use super::linear::Ridge;
use super::model::LinearModel;

/// Which cross-validation criterion [`RidgeCv`] minimises.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RidgeCvMode {
    /// Exact leave-one-out mean squared error, from one decomposition (scikit-learn's `RidgeCV`
    /// default, `cv=None`).
    #[default]
    Loo,
    /// Generalized cross-validation `mean(e²)/(1 − tr(H)/n)²`, from the same decomposition.
    Gcv,
    /// K-fold held-out MSE (one SVD per fold's training rows).
    KFold(KFold),
    /// K-fold with user fold ids, one per sample, `0..K` (glmnet's `foldid`).
    FoldIds(Vec<usize>),
}

/// Unchecked cross-validated Ridge hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `alphas` | automatic | a given grid (scikit-learn's `Ridge` α, sorted decreasing) | finite, `> 0`, non-empty |
/// | `n_alphas` | 50 | length of the automatic grid | `>= 1` |
/// | `mode` | `Loo` | leave-one-out, GCV, or K-fold | K-fold: `2 <= K <= n` |
/// | `fit_intercept` | true | unpenalised intercept (by centering) | |
/// | `measure` | `Mse` | held-out error of the K-fold modes (LOO and GCV are squared errors) | |
///
/// The automatic grid is log-spaced over the squared singular values of the (centered) design:
/// `n_alphas` values from `100·σ_max²` down to `max(σ_min², 10⁻⁶σ_max²)/100`
/// ([`proxreg_cv::ridge_default_grid`]), so that it spans the effective degrees of freedom
/// from almost 0 to almost `rank(X)` whatever the units of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeCvParams<T> {
    alphas: Option<Vec<T>>,
    n_alphas: usize,
    mode: RidgeCvMode,
    fit_intercept: bool,
    measure: ErrorMeasure<T>,
}

/// A fitted cross-validated Ridge: the leave-one-out and GCV curves and effective degrees of
/// freedom over the grid (always computed, from one decomposition of the full data; the refit reuses it), the K-fold results
/// in K-fold mode, the selected alpha (minimum of the mode's criterion; the largest alpha on
/// ties) and the Ridge refitted on all the data there.
///
/// Alpha is scikit-learn's `Ridge` convention: `‖y − Xw − b‖² + α‖w‖²`.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{RidgeCv, RidgeCvMode};
/// let x = ColMajor::from_fn(40, 5, |i, j| (((i + 2) * (j + 3)) % 11) as f64);
/// let y: Vec<f64> = (0..40).map(|i| x.col(0)[i] - 0.5 * x.col(3)[i] + (i % 3) as f64).collect();
/// let cv = RidgeCv::params().mode(RidgeCvMode::Gcv).fit(&x, &y)?;
/// assert_eq!(cv.alphas().len(), 50);
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// let i = cv.index();
/// assert!(cv.gcv()[i] <= cv.gcv()[0] && cv.dof()[i] <= 5.0);
/// let yhat = cv.model().predict(&x)?;
/// assert_eq!(yhat.len(), 40);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeCv<T> {
    curves: RidgeCurves<T>,
    kfold: Option<CvPath<T>>,
    mode: RidgeCvMode,
    index: usize,
    model: Ridge<T>,
}

impl<T: Scalar> RidgeCv<T> {
    /// The builder, with the defaults of [`RidgeCvParams`].
    pub fn params() -> RidgeCvParams<T> {
        RidgeCvParams {
            alphas: None,
            n_alphas: 50,
            mode: RidgeCvMode::Loo,
            fit_intercept: true,
            measure: ErrorMeasure::Mse,
        }
    }
    /// The selected alpha (scikit-learn's `Ridge` convention).
    pub fn alpha(&self) -> T {
        self.curves.alphas[self.index]
    }
    /// Index of the selected alpha in [`RidgeCv::alphas`].
    pub fn index(&self) -> usize {
        self.index
    }
    /// The grid, decreasing.
    pub fn alphas(&self) -> &[T] {
        &self.curves.alphas
    }
    /// Mean squared exact leave-one-out error per alpha.
    pub fn loo(&self) -> &[T] {
        &self.curves.loo
    }
    /// Generalized cross-validation criterion per alpha.
    pub fn gcv(&self) -> &[T] {
        &self.curves.gcv
    }
    /// Effective degrees of freedom `Σ σ_i²/(σ_i² + α)` per alpha (without the intercept).
    pub fn dof(&self) -> &[T] {
        &self.curves.dof
    }
    /// Singular values of the (centered) design, descending.
    pub fn singular_values(&self) -> &[T] {
        &self.curves.singular_values
    }
    /// The K-fold results (`Some` in the K-fold modes).
    pub fn kfold(&self) -> Option<&CvPath<T>> {
        self.kfold.as_ref()
    }
    /// The criterion that selected the alpha.
    pub fn mode(&self) -> &RidgeCvMode {
        &self.mode
    }
    /// Whether the selected alpha is the first or last of the grid (the optimum may lie
    /// outside it: widen the grid).
    pub fn on_grid_edge(&self) -> bool {
        self.index == 0 || self.index + 1 == self.curves.alphas.len()
    }
    /// The Ridge refitted on all the data at the selected alpha.
    pub fn model(&self) -> &Ridge<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> Ridge<T> {
        self.model
    }
}

impl<T: Scalar> RidgeCvParams<T> {
    /// A given grid (scikit-learn's `Ridge` α; sorted decreasing before use).
    #[must_use]
    pub fn alphas(mut self, alphas: Vec<T>) -> Self {
        self.alphas = Some(alphas);
        self
    }
    /// Length of the automatic grid (default 50).
    #[must_use]
    pub fn n_alphas(mut self, n: usize) -> Self {
        self.n_alphas = n;
        self
    }
    /// The criterion (default [`RidgeCvMode::Loo`]).
    #[must_use]
    pub fn mode(mut self, mode: RidgeCvMode) -> Self {
        self.mode = mode;
        self
    }
    /// Fit an unpenalised intercept (default `true`).
    #[must_use]
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.fit_intercept = yes;
        self
    }

    /// The held-out error measure of the K-fold modes (default [`ErrorMeasure::Mse`]).
    #[must_use]
    pub fn measure(mut self, measure: ErrorMeasure<T>) -> Self {
        self.measure = measure;
        self
    }

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`Error::Empty`] for an empty grid; [`Error::InvalidParameter`] for an alpha that is
    /// NaN, infinite or `<= 0`, or `n_alphas = 0`.
    pub fn check(&self) -> Result<()> {
        if let Some(a) = &self.alphas {
            proxreg_cv::ridge_alphas(a)?;
        }
        if self.n_alphas == 0 {
            return Err(Error::InvalidParameter {
                name: "n_alphas",
                value: 0.0,
                expected: ">= 1",
            });
        }
        Ok(())
    }

    /// Validates, computes the curves (and the K-fold errors in K-fold mode), selects the
    /// minimum and refits.
    ///
    /// # Errors
    /// As [`RidgeCvParams::check`]; bad folds for this `n`; shapes and NaN in the data; SVD
    /// failures.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<RidgeCv<T>> {
        self.check()?;
        let folds = match &self.mode {
            RidgeCvMode::KFold(k) => Some(k.split(x.nrows())?),
            RidgeCvMode::FoldIds(ids) => {
                if ids.len() != x.nrows() {
                    return Err(Error::DimensionMismatch {
                        what: "fold_ids length vs X rows",
                        expected: x.nrows(),
                        found: ids.len(),
                    });
                }
                Some(Folds::from_fold_ids(ids)?)
            }
            _ => None,
        };
        // The curves, the selection and the refit from one decomposition: the refit reuses
        // it (no second factorization) and is certified on the data like `Ridge::fit`.
        let mut kfold = None;
        let (curves, index, sol) = ridge_curves_and_fit(
            x,
            y,
            self.alphas.as_deref(),
            self.n_alphas,
            self.fit_intercept,
            RidgeDecomposition::Auto,
            |curves| {
                if let Some(f) = &folds {
                    let k =
                        ridge_kfold(x, y, &curves.alphas, f, self.fit_intercept, &self.measure)?;
                    let i = k.index_min;
                    kfold = Some(k);
                    return Ok(i);
                }
                Ok(match self.mode {
                    RidgeCvMode::Gcv => argmin(&curves.gcv),
                    _ => argmin(&curves.loo),
                })
            },
        )?;
        let alpha = curves.alphas[index];
        let model = Ridge(LinearModel::from_solution(sol, x.ncols(), 1, alpha)?);
        Ok(RidgeCv {
            curves,
            kfold,
            mode: self.mode.clone(),
            index,
            model,
        })
    }
}

/// First index of the minimum (NaN never wins).
fn argmin<T: Scalar>(v: &[T]) -> usize {
    let mut best = 0;
    for (i, &m) in v.iter().enumerate() {
        if m < v[best] || (v[best].is_nan() && !m.is_nan()) {
            best = i;
        }
    }
    best
}
