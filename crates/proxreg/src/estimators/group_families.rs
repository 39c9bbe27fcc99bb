//! The group lasso and the sparse group lasso with the Poisson and the Huber datafits.

use proxreg_core::datafit::{Datafit, Huber, Poisson};
use proxreg_core::penalty::Groups;
use proxreg_core::{Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::Solution;

use proxreg_cv::{CvPath, KFold};

use super::cv::{CvSplit, Selection};
use super::families::linear_predictor;
use super::families_cv::RegressionMeasure;
use super::group::{group_setters, GroupLasso, GroupLassoParams};
use super::group_cv::{
    check_rows, group_cv_accessors, group_cv_setters, CvCore, FoldScore, GroupLassoCv,
    GroupLassoCvParams,
};
use super::linear::fitted_model;
use super::model::LinearModel;

fitted_model!(
    /// A fitted Poisson group lasso / sparse group lasso (log link): minimises
    ///
    /// `(1/n)·Σ_i [e^{η_i} − y_i·η_i] + α(τ‖w‖₁ + (1 − τ) Σ_g c_g ‖w_G‖₂)`, `η = Xw + b`,
    ///
    /// on counts `y_i ≥ 0`, over a partition of the features into groups of any sizes (as
    /// [`GroupLasso`]). The Poisson loss has no global curvature bound: [`GroupCd`] steps with
    /// each group's local bound `λ_max(X̃_Gᵀ X̃_G / n)·max_i e^{η_i}` and checks sufficient
    /// decrease on the objective itself. skglm's `PoissonGroup` datafit with `WeightedGroupL2` /
    /// `WeightedL1GroupL2` minimises the same objective. Certified by the duality gap of the
    /// conjugate `q·log q − q` relative to the null deviance, and by the KKT violation.
    ///
    /// It dereferences to its [`LinearModel`] (coefficients, intercept, report);
    /// [`predict`](Self::predict) gives the expected counts `e^η`, not `η`.
    ///
    /// [`GroupCd`]: proxreg_solvers::GroupCd
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// use proxreg::penalty::Groups;
    /// use proxreg::PoissonGroupLasso;
    /// let x = ColMajor::from_fn(80, 6, |i, j| (((i * (j + 3)) % 7) as f64 - 3.0) / 4.0);
    /// let y: Vec<f64> = (0..80).map(|i| ((x.col(0)[i] - x.col(1)[i]).exp() * 2.0).floor()).collect();
    /// let params = PoissonGroupLasso::params(Groups::contiguous(&[2, 2, 2])?).tol(1e-8);
    /// let amax = params.alpha_max(&x, &y, None, None)?;
    /// let model = params.alpha(amax / 5.0).fit(&x, &y)?;
    /// assert_eq!(model.status(), Status::Converged);
    /// assert!(model.coef()[0] != 0.0 && model.coef()[1] != 0.0);
    /// let counts = model.predict(&x)?;
    /// assert!(counts.iter().all(|&c| c > 0.0));
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    PoissonGroupLasso
);

impl<T: Scalar> PoissonGroupLasso<T> {
    /// The builder for a partition, with [`GroupLasso::params`]' defaults.
    pub fn params(groups: Groups) -> PoissonGroupLassoParams<T> {
        PoissonGroupLassoParams(GroupLasso::params(groups))
    }
    /// The linear predictor `η = Xw + b` (the log of the expected count).
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn decision_function<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.0.predict(x)
    }
    /// The expected counts `e^{Xw + b}` (with an offset in the fit: the rate per unit
    /// exposure).
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.predict_offset(x, None)
    }
    /// The expected counts `e^{Xw + b + o}` at the rows' offsets `o` (log exposures).
    ///
    /// # Errors
    /// As [`LinearModel::predict`], and
    /// [`Error::DimensionMismatch`](proxreg_core::Error::DimensionMismatch) /
    /// [`Error::NonFinite`](proxreg_core::Error::NonFinite) for an offset of the wrong length or
    /// not finite.
    pub fn predict_offset<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        offset: Option<&[T]>,
    ) -> Result<Vec<T>> {
        Ok(linear_predictor(&self.0, x, offset)?
            .into_iter()
            .map(T::exp)
            .collect())
    }
}

/// Poisson group lasso hyper-parameters: those of [`GroupLassoParams`] (same names, same
/// defaults), solved by [`GroupCd`](proxreg_solvers::GroupCd) with the Poisson datafit; `y`
/// holds finite counts `≥ 0`, not all zero.
#[derive(Debug, Clone, PartialEq)]
pub struct PoissonGroupLassoParams<T>(GroupLassoParams<T>);

group_setters!(PoissonGroupLassoParams, 0);

impl<T: Scalar> PoissonGroupLassoParams<T> {
    fn model(&self, s: Solution<T>, p: usize, alpha: T) -> Result<PoissonGroupLasso<T>> {
        Ok(PoissonGroupLasso(self.0.model(s, p, alpha)?.0))
    }

    /// Fits at `alpha`.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit`], and [`Error::InvalidTarget`](proxreg_core::Error::InvalidTarget)
    /// for counts that are negative or all zero.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<PoissonGroupLasso<T>> {
        self.fit_with(x, y, None)
    }

    /// Fits at `alpha` with sample weights `s_i ≥ 0` (not all zero): the data term becomes
    /// `(1/Σs) Σ_i s_i [e^{η_i} − y_i η_i]`; an integer weight is the row repeated.
    ///
    /// # Errors
    /// As [`PoissonGroupLassoParams::fit`], and as [`GroupLassoParams::fit_weighted`] for the
    /// weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<PoissonGroupLasso<T>> {
        self.fit_with(x, y, Some(sample_weight))
    }

    /// [`fit`](Self::fit) or [`fit_weighted`](Self::fit_weighted), as the weights are given.
    ///
    /// # Errors
    /// As [`PoissonGroupLassoParams::fit_weighted`].
    pub fn fit_with<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<PoissonGroupLasso<T>> {
        self.fit_offset(x, y, sample_weight, None)
    }

    /// Fits at `alpha` with optional sample weights and an optional **offset** `o` (the rows'
    /// log exposures): `η = Xw + b + o`, so `e^{Xw + b}` is the rate per unit exposure
    /// ([`predict`](PoissonGroupLasso::predict)) and `e^{Xw + b + o}` the expected count
    /// ([`predict_offset`](PoissonGroupLasso::predict_offset)); glmnet's and glum's `offset`.
    ///
    /// # Errors
    /// As [`PoissonGroupLassoParams::fit_weighted`], and
    /// [`Error::DimensionMismatch`](proxreg_core::Error::DimensionMismatch) /
    /// [`Error::NonFinite`](proxreg_core::Error::NonFinite) for an offset of the wrong length or
    /// not finite.
    pub fn fit_offset<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
    ) -> Result<PoissonGroupLasso<T>> {
        let sol = self.0.solve_datafit(x, y, sample_weight, offset, Poisson)?;
        self.model(sol, x.ncols(), self.0.alpha)
    }

    /// The smallest `alpha` at which every penalized group is zero, with optional sample
    /// weights and offset.
    ///
    /// # Errors
    /// As [`PoissonGroupLassoParams::fit_offset`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
    ) -> Result<T> {
        self.0
            .alpha_max_datafit(x, y, sample_weight, offset, Poisson)
    }

    /// The warm-started path on `alphas` (decreasing is the efficient order), with optional
    /// sample weights and offset; this estimator's `alpha` is ignored.
    ///
    /// # Errors
    /// As [`PoissonGroupLassoParams::fit_offset`], and [`Error::Empty`](proxreg_core::Error::Empty)
    /// / [`Error::InvalidParameter`](proxreg_core::Error::InvalidParameter) for the alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<PoissonGroupLasso<T>>> {
        self.0
            .path_datafit(x, y, sample_weight, offset, alphas, Poisson)?
            .into_iter()
            .map(|(a, s)| self.model(s, x.ncols(), a))
            .collect()
    }
}

fitted_model!(
    /// A fitted Huber group lasso / sparse group lasso (robust regression): minimises
    ///
    /// `(1/n)·Σ_i h_δ(y_i − η_i) + α(τ‖w‖₁ + (1 − τ) Σ_g c_g ‖w_G‖₂)`, `η = Xw + b`,
    ///
    /// `h_δ(r) = r²/2` for `|r| ≤ δ`, `δ(|r| − δ/2)` beyond, over a partition of the features
    /// into groups of any sizes (as [`GroupLasso`]; solved by
    /// [`GroupCd`](proxreg_solvers::GroupCd) with the Huber curvature bound `1`). Certified by
    /// the duality gap (the conjugate `vy + v²/2` on `|v| ≤ δ`) relative to the null
    /// objective's distance from the saturated one, and by the KKT violation.
    ///
    /// It dereferences to its [`LinearModel`]: `predict` is `Xw + b`.
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// use proxreg::penalty::Groups;
    /// use proxreg::HuberGroupLasso;
    /// let x = ColMajor::from_fn(60, 6, |i, j| (((i * (j + 3)) % 11) as f64 - 5.0) / 3.0);
    /// let mut y: Vec<f64> = (0..60).map(|i| 2.0 * x.col(0)[i] - x.col(1)[i]).collect();
    /// y[7] += 50.0; // an outlier: its pull is bounded by δ
    /// let params = HuberGroupLasso::params(Groups::contiguous(&[2, 2, 2])?).delta(1.0).tol(1e-8);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let model = params.alpha(amax / 20.0).fit(&x, &y)?;
    /// assert_eq!(model.status(), Status::Converged);
    /// assert!((model.coef()[0] - 2.0).abs() < 0.05 && model.coef()[2] == 0.0);
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    HuberGroupLasso
);

impl<T: Scalar> HuberGroupLasso<T> {
    /// The builder for a partition, with [`GroupLasso::params`]' defaults and `δ = 1.35`
    /// (scikit-learn's `HuberRegressor` default, as [`HuberRegression`](crate::HuberRegression)).
    pub fn params(groups: Groups) -> HuberGroupLassoParams<T> {
        HuberGroupLassoParams {
            inner: GroupLasso::params(groups),
            delta: T::lit(1.35),
        }
    }
}

/// Huber group lasso hyper-parameters: those of [`GroupLassoParams`] (same names, same
/// defaults) and the threshold `delta` (`δ > 0`, finite; default `1.35`).
#[derive(Debug, Clone, PartialEq)]
pub struct HuberGroupLassoParams<T> {
    inner: GroupLassoParams<T>,
    delta: T,
}

group_setters!(HuberGroupLassoParams, inner);

impl<T: Scalar> HuberGroupLassoParams<T> {
    /// The threshold `δ` between the quadratic and the linear part of the loss.
    #[must_use]
    pub fn delta(mut self, delta: T) -> Self {
        self.delta = delta;
        self
    }

    fn datafit(&self) -> Result<Huber<T>> {
        Huber::new(self.delta)
    }

    fn model(&self, s: Solution<T>, p: usize, alpha: T) -> Result<HuberGroupLasso<T>> {
        Ok(HuberGroupLasso(self.inner.model(s, p, alpha)?.0))
    }

    /// Fits at `alpha`.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit`], and [`Error::InvalidParameter`](proxreg_core::Error::InvalidParameter)
    /// naming `delta` when it is not finite and `> 0`.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<HuberGroupLasso<T>> {
        self.fit_with(x, y, None)
    }

    /// Fits at `alpha` with sample weights `s_i ≥ 0` (not all zero): the data term becomes
    /// `(1/Σs) Σ_i s_i h_δ(y_i − η_i)`; an integer weight is the row repeated.
    ///
    /// # Errors
    /// As [`HuberGroupLassoParams::fit`], and as [`GroupLassoParams::fit_weighted`] for the
    /// weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<HuberGroupLasso<T>> {
        self.fit_with(x, y, Some(sample_weight))
    }

    /// [`fit`](Self::fit) or [`fit_weighted`](Self::fit_weighted), as the weights are given.
    ///
    /// # Errors
    /// As [`HuberGroupLassoParams::fit_weighted`].
    pub fn fit_with<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<HuberGroupLasso<T>> {
        let sol = self
            .inner
            .solve_datafit(x, y, sample_weight, None, self.datafit()?)?;
        self.model(sol, x.ncols(), self.inner.alpha)
    }

    /// The smallest `alpha` at which every penalized group is zero (the intercept at the
    /// Huber location of `y`), with optional sample weights.
    ///
    /// # Errors
    /// As [`HuberGroupLassoParams::fit_weighted`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        self.inner
            .alpha_max_datafit(x, y, sample_weight, None, self.datafit()?)
    }

    /// The warm-started path on `alphas` (decreasing is the efficient order), with optional
    /// sample weights; this estimator's `alpha` is ignored.
    ///
    /// # Errors
    /// As [`HuberGroupLassoParams::fit_weighted`], and [`Error::Empty`](proxreg_core::Error::Empty)
    /// / [`Error::InvalidParameter`](proxreg_core::Error::InvalidParameter) for the alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<HuberGroupLasso<T>>> {
        self.inner
            .path_datafit(x, y, sample_weight, None, alphas, self.datafit()?)?
            .into_iter()
            .map(|(a, s)| self.model(s, x.ncols(), a))
            .collect()
    }
}

/// The held-out score of a regression family's fold: its datafit and a [`RegressionMeasure`]
/// (weighted by the test rows' sample weights when given).
struct RegressionScore<F> {
    f: F,
    measure: RegressionMeasure,
}

impl<T: Scalar, F: Datafit<T> + Clone + Sync> FoldScore<T> for RegressionScore<F> {
    type Fit = F;
    fn datafit(&self) -> F {
        self.f.clone()
    }
    fn check_fold(&self, _: usize, _: &[usize], _: &[usize]) -> Result<()> {
        Ok(())
    }
    fn loss(&self, y: &[T], eta: &[T], s: Option<&[T]>) -> T {
        self.measure.eval(&self.f, y, eta, s)
    }
}

/// A cross-validated Poisson or Huber group lasso's fitted parts (`$model` the refit).
macro_rules! family_group_cv {
    ($(#[$doc:meta])* $name:ident, $params:ident, $model:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name<T> {
            core: CvCore<T>,
            measure: RegressionMeasure,
            model: $model<T>,
        }

        impl<T: Scalar> $name<T> {
            group_cv_accessors!($model<T>);
            /// `cv_errors()[a][k]`: fold `k`'s held-out measure at `alphas()[a]`.
            pub fn cv_errors(&self) -> &[Vec<T>] {
                &self.core.path.mse
            }
            /// The held-out measure.
            pub fn measure(&self) -> RegressionMeasure {
                self.measure
            }
        }

        impl<T: Scalar> $params<T> {
            group_cv_setters!(.inner);
            /// The held-out measure (default [`RegressionMeasure::Deviance`]).
            #[must_use]
            pub fn measure(mut self, measure: RegressionMeasure) -> Self {
                self.measure = measure;
                self
            }
            /// Validates the parameters that do not depend on the data.
            ///
            /// # Errors
            /// As [`GroupLassoCvParams::check`].
            pub fn check(&self) -> Result<()> {
                self.inner.check()
            }
            /// Cross-validates on `(x, y)` and refits at the selected alpha.
            ///
            /// # Errors
            /// As the single fit's and [`GroupLassoCvParams::fit`]'s.
            pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(&self, x: &X, y: &[T]) -> Result<$name<T>> {
                self.fit_with(x, y, None)
            }
            /// Cross-validates with sample weights (fold paths, held-out measure and refit
            /// weighted, as [`GroupLassoCvParams::fit_weighted`]).
            ///
            /// # Errors
            /// As [`fit`](Self::fit), and the weights' errors.
            pub fn fit_weighted<X: DesignMatrix<T> + Sync + ?Sized>(
                &self,
                x: &X,
                y: &[T],
                sample_weight: &[T],
            ) -> Result<$name<T>> {
                self.fit_with(x, y, Some(sample_weight))
            }
            /// [`fit`](Self::fit) or [`fit_weighted`](Self::fit_weighted), as the weights are
            /// given.
            ///
            /// # Errors
            /// As [`fit_weighted`](Self::fit_weighted).
            pub fn fit_with<X: DesignMatrix<T> + Sync + ?Sized>(
                &self,
                x: &X,
                y: &[T],
                sample_weight: Option<&[T]>,
            ) -> Result<$name<T>> {
                self.check()?;
                let n = check_rows(x.nrows(), y, sample_weight)?;
                let base = self.refit_params()?;
                let alphas = self.inner.grid(|| Self::top(&base, x, y, sample_weight))?;
                let folds = self.inner.cv.folds(n)?;
                let score = RegressionScore {
                    f: self.datafit()?,
                    measure: self.measure,
                };
                let core = self
                    .inner
                    .cross_validate(x, y, sample_weight, &folds, alphas, &score)?;
                let model = base.alpha(core.alpha()).fit_with(x, y, sample_weight)?;
                Ok($name {
                    core,
                    measure: self.measure,
                    model,
                })
            }
        }
    };
}

/// Cross-validated Poisson group lasso hyper-parameters: as [`GroupLassoCvParams`] (grid,
/// folds, selection, parallel folds bitwise identical to serial, the model options) plus the
/// held-out `measure` ([`RegressionMeasure`], default the Poisson deviance, glmnet's
/// `cv.glmnet(family = "poisson")` default). Each fold fits the warm-started
/// [`PoissonGroupLasso`] path on its training rows and scores `η = Xw + b` on its held-out rows;
/// the model is refitted on all the data at the selected alpha.
#[derive(Debug, Clone, PartialEq)]
pub struct PoissonGroupLassoCvParams<T> {
    inner: GroupLassoCvParams<T>,
    measure: RegressionMeasure,
}

family_group_cv!(
    /// A fitted cross-validated Poisson group lasso: the held-out measure along the alpha
    /// grid, the selected alpha, the folds' certificates and the refitted
    /// [`PoissonGroupLasso`].
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// use proxreg::penalty::Groups;
    /// use proxreg::{PoissonGroupLassoCv, RegressionMeasure};
    /// let x = ColMajor::from_fn(90, 6, |i, j| (((i * (j + 3)) % 7) as f64 - 3.0) / 4.0);
    /// let y: Vec<f64> = (0..90).map(|i| ((x.col(0)[i] - x.col(1)[i]).exp() * 2.0).floor()).collect();
    /// let cv = PoissonGroupLassoCv::params(Groups::contiguous(&[2, 2, 2])?)
    ///     .n_alphas(15)
    ///     .cv(KFold::new(3))
    ///     .tol(1e-8)
    ///     .fit(&x, &y)?;
    /// assert_eq!(cv.measure(), RegressionMeasure::Deviance);
    /// assert_eq!(cv.cv_errors()[0].len(), 3);
    /// assert!(cv.model().coef()[0] != 0.0);
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    PoissonGroupLassoCv,
    PoissonGroupLassoCvParams,
    PoissonGroupLasso
);

impl<T: Scalar> PoissonGroupLassoCv<T> {
    /// The builder for a partition: [`GroupLassoCv::params`]' defaults and the deviance.
    pub fn params(groups: Groups) -> PoissonGroupLassoCvParams<T> {
        PoissonGroupLassoCvParams {
            inner: GroupLassoCv::params(groups),
            measure: RegressionMeasure::Deviance,
        }
    }
}

impl<T: Scalar> PoissonGroupLassoCvParams<T> {
    fn datafit(&self) -> Result<Poisson> {
        Ok(Poisson)
    }
    fn refit_params(&self) -> Result<PoissonGroupLassoParams<T>> {
        Ok(PoissonGroupLassoParams(self.inner.base.clone()))
    }
    fn top<X: DesignMatrix<T> + ?Sized>(
        b: &PoissonGroupLassoParams<T>,
        x: &X,
        y: &[T],
        sw: Option<&[T]>,
    ) -> Result<T> {
        b.alpha_max(x, y, sw, None)
    }
}

/// Cross-validated Huber group lasso hyper-parameters: as [`PoissonGroupLassoCvParams`] with
/// the Huber datafit and its `delta` (default 1.35); the default measure, the deviance, is
/// twice the mean held-out Huber loss.
#[derive(Debug, Clone, PartialEq)]
pub struct HuberGroupLassoCvParams<T> {
    inner: GroupLassoCvParams<T>,
    measure: RegressionMeasure,
    delta: T,
}

family_group_cv!(
    /// A fitted cross-validated Huber group lasso: as [`PoissonGroupLassoCv`], with the
    /// refitted [`HuberGroupLasso`].
    HuberGroupLassoCv,
    HuberGroupLassoCvParams,
    HuberGroupLasso
);

impl<T: Scalar> HuberGroupLassoCv<T> {
    /// The builder for a partition: [`GroupLassoCv::params`]' defaults, `δ = 1.35` and the
    /// deviance.
    pub fn params(groups: Groups) -> HuberGroupLassoCvParams<T> {
        HuberGroupLassoCvParams {
            inner: GroupLassoCv::params(groups),
            measure: RegressionMeasure::Deviance,
            delta: T::lit(1.35),
        }
    }
}

impl<T: Scalar> HuberGroupLassoCvParams<T> {
    /// The threshold `δ` of the Huber loss.
    #[must_use]
    pub fn delta(mut self, delta: T) -> Self {
        self.delta = delta;
        self
    }
    fn datafit(&self) -> Result<Huber<T>> {
        Huber::new(self.delta)
    }
    fn refit_params(&self) -> Result<HuberGroupLassoParams<T>> {
        self.datafit()?;
        Ok(HuberGroupLassoParams {
            inner: self.inner.base.clone(),
            delta: self.delta,
        })
    }
    fn top<X: DesignMatrix<T> + ?Sized>(
        b: &HuberGroupLassoParams<T>,
        x: &X,
        y: &[T],
        sw: Option<&[T]>,
    ) -> Result<T> {
        b.alpha_max(x, y, sw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proxreg_core::Error;
    use proxreg_fixtures::group_lasso::{load_group_lasso, GroupFamily, GroupLassoCase};
    use proxreg_linalg::ColMajor;

    fn max_diff(a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(u, v)| (u - v).abs())
            .fold(0.0, f64::max)
    }

    /// `max(|Δcoef|, |Δintercept|) / max(1, ‖reference‖_∞)`.
    fn rel_diff(coef: &[f64], intercept: f64, case: &GroupLassoCase) -> f64 {
        let scale = case.coef.iter().fold(1.0_f64, |a, v| a.max(v.abs()));
        max_diff(coef, &case.coef).max((intercept - case.intercept).abs()) / scale
    }

    /// Every Poisson and Huber fixture case (skglm 0.5: `PoissonGroup` with `GroupProxNewton`,
    /// the script's Huber group datafit with `GroupBCD`) through the estimators: alpha_max,
    /// the fit at alpha, and the path through alpha_max and alpha.
    #[test]
    fn estimators_reproduce_the_poisson_and_huber_references() {
        let fx = load_group_lasso().unwrap();
        let (mut n_poisson, mut n_huber) = (0, 0);
        for case in &fx.cases {
            let pb = fx.problem(case).unwrap();
            let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
            let groups = Groups::new(&case.groups, pb.n_features).unwrap();
            let (am, coef, b, path) = match case.family {
                GroupFamily::Poisson => {
                    n_poisson += 1;
                    let params = PoissonGroupLasso::params(groups)
                        .group_weights(Some(case.group_weights.clone()))
                        .l1_ratio(case.tau)
                        .fit_intercept(case.fit_intercept)
                        .tol(1e-14)
                        .require_convergence(true);
                    let am = params.alpha_max(&x, &pb.y, None, None).unwrap();
                    let m = params.clone().alpha(case.alpha).fit(&x, &pb.y).unwrap();
                    let path = params
                        .path(&x, &pb.y, None, None, &[am, case.alpha])
                        .unwrap();
                    let path: Vec<Vec<f64>> = path.iter().map(|m| m.coef().to_vec()).collect();
                    // the predictions are the expected counts
                    let eta = m.decision_function(&x).unwrap();
                    let mu = m.predict(&x).unwrap();
                    assert!(eta
                        .iter()
                        .zip(&mu)
                        .all(|(e, u)| (e.exp() - u).abs() <= 1e-12 * u));
                    (am, m.coef().to_vec(), m.intercept(), path)
                }
                GroupFamily::Huber => {
                    n_huber += 1;
                    let params = HuberGroupLasso::params(groups)
                        .delta(case.delta.unwrap())
                        .group_weights(Some(case.group_weights.clone()))
                        .l1_ratio(case.tau)
                        .fit_intercept(case.fit_intercept)
                        .tol(1e-14)
                        .require_convergence(true);
                    let am = params.alpha_max(&x, &pb.y, None).unwrap();
                    let m = params.clone().alpha(case.alpha).fit(&x, &pb.y).unwrap();
                    let path = params.path(&x, &pb.y, None, &[am, case.alpha]).unwrap();
                    let path: Vec<Vec<f64>> = path.iter().map(|m| m.coef().to_vec()).collect();
                    (am, m.coef().to_vec(), m.intercept(), path)
                }
                _ => continue,
            };
            assert!(
                (am - case.alpha_max).abs() <= 1e-10 * case.alpha_max,
                "{}: alpha_max {am} vs {}",
                case.name,
                case.alpha_max
            );
            let d = rel_diff(&coef, b, case);
            assert!(d <= 1e-6, "{}: {d:e}", case.name);
            assert!(path[0].iter().all(|&v| v == 0.0), "{}", case.name);
            assert!(max_diff(&path[1], &coef) <= 1e-9, "{}", case.name);
        }
        assert_eq!((n_poisson, n_huber), (3, 4));
    }

    /// Repeats row `i` `reps[i]` times.
    fn repeat(x: &ColMajor<f64>, y: &[f64], reps: &[usize]) -> (ColMajor<f64>, Vec<f64>) {
        let rows: Vec<usize> = reps
            .iter()
            .enumerate()
            .flat_map(|(i, &r)| std::iter::repeat_n(i, r))
            .collect();
        let xr = ColMajor::from_fn(rows.len(), x.ncols(), |k, j| x.col(j)[rows[k]]);
        (xr, rows.iter().map(|&i| y[i]).collect())
    }

    /// Integer sample weights (zeros included) are the rows repeated, for both families and
    /// the sparse group lasso; bad inputs are typed errors.
    #[test]
    fn weights_are_repeated_rows_and_bad_inputs_are_errors() {
        let (n, p) = (50, 6);
        let x = ColMajor::from_fn(n, p, |i, j| {
            (((i * 7 + j * 13 + i * j) % 17) as f64 - 8.0) / 8.0
        });
        let counts: Vec<f64> = (0..n)
            .map(|i| {
                ((0.8 * x.col(0)[i] - 0.6 * x.col(3)[i]).exp() * (1.0 + (i % 3) as f64)).floor()
            })
            .collect();
        let resp: Vec<f64> = (0..n)
            .map(|i| x.col(1)[i] - 2.0 * x.col(4)[i] + if i % 9 == 0 { 6.0 } else { 0.1 })
            .collect();
        let reps: Vec<usize> = (0..n).map(|i| [1, 2, 0, 3, 1][i % 5]).collect();
        let w: Vec<f64> = reps.iter().map(|&r| r as f64).collect();
        let (xr, cr) = repeat(&x, &counts, &reps);
        let (_, rr) = repeat(&x, &resp, &reps);
        let groups = || Groups::contiguous(&[2, 2, 2]).unwrap();
        for tau in [0.0, 0.4] {
            let po = PoissonGroupLasso::params(groups()).l1_ratio(tau).tol(1e-13);
            let am = po.alpha_max(&x, &counts, Some(&w), None).unwrap();
            let am_r = po.alpha_max(&xr, &cr, None, None).unwrap();
            assert!(
                (am - am_r).abs() <= 1e-12 * am_r,
                "tau {tau}: {am} vs {am_r}"
            );
            let a = po.clone().alpha(am / 6.0);
            let (fw, fr) = (
                a.fit_weighted(&x, &counts, &w).unwrap(),
                a.fit(&xr, &cr).unwrap(),
            );
            assert_eq!(fw.status(), crate::Status::Converged);
            assert!(max_diff(fw.coef(), fr.coef()) <= 1e-8, "poisson tau {tau}");
            assert!((fw.intercept() - fr.intercept()).abs() <= 1e-8);
            let unweighted = a.fit(&x, &counts).unwrap();
            assert!(max_diff(fw.coef(), unweighted.coef()) > 1e-4);

            let hu = HuberGroupLasso::params(groups())
                .delta(0.8)
                .l1_ratio(tau)
                .tol(1e-13);
            let am = hu.alpha_max(&x, &resp, Some(&w)).unwrap();
            let am_r = hu.alpha_max(&xr, &rr, None).unwrap();
            assert!(
                (am - am_r).abs() <= 1e-12 * am_r,
                "tau {tau}: {am} vs {am_r}"
            );
            let a = hu.clone().alpha(am / 6.0);
            let (fw, fr) = (
                a.fit_weighted(&x, &resp, &w).unwrap(),
                a.fit(&xr, &rr).unwrap(),
            );
            assert!(max_diff(fw.coef(), fr.coef()) <= 1e-8, "huber tau {tau}");
            assert!((fw.intercept() - fr.intercept()).abs() <= 1e-8);
        }
        // negative counts, a bad delta, wrong weights: typed errors, the inputs untouched
        let mut bad = counts.clone();
        bad[3] = -1.0;
        let before = bad.clone();
        let po = PoissonGroupLasso::params(groups()).alpha(0.1);
        assert!(matches!(po.fit(&x, &bad), Err(Error::InvalidTarget { .. })));
        assert_eq!(bad, before);
        for d in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let err = HuberGroupLasso::params(groups())
                .delta(d)
                .fit(&x, &resp)
                .unwrap_err();
            assert!(
                matches!(err, Error::InvalidParameter { name: "delta", .. }),
                "{d}: {err:?}"
            );
        }
        assert!(matches!(
            po.fit_weighted(&x, &counts, &w[1..]),
            Err(Error::DimensionMismatch { .. })
        ));
        let mut nan_y = resp.clone();
        nan_y[0] = f64::NAN;
        assert!(matches!(
            HuberGroupLasso::params(groups()).fit(&x, &nan_y),
            Err(Error::NonFinite { .. })
        ));
    }

    /// f32 runs agree with f64 to single precision.
    #[test]
    fn f32_agrees_with_f64() {
        let fx = load_group_lasso().unwrap();
        for name in ["gl_counts_0.4", "sgl_robust_tau0.3_0.1"] {
            let case = fx.case(name).unwrap();
            let pb = fx.problem(case).unwrap();
            let xs: Vec<f32> = pb.x_col_major().iter().map(|&v| v as f32).collect();
            let x = ColMajor::new(xs, pb.n_samples, pb.n_features).unwrap();
            let y: Vec<f32> = pb.y.iter().map(|&v| v as f32).collect();
            let groups = Groups::new(&case.groups, pb.n_features).unwrap();
            let gw: Vec<f32> = case.group_weights.iter().map(|&v| v as f32).collect();
            let alpha = case.alpha as f32;
            let (coef, b): (Vec<f32>, f32) = if case.family == GroupFamily::Poisson {
                let m = PoissonGroupLasso::params(groups)
                    .group_weights(Some(gw))
                    .alpha(alpha)
                    .tol(1e-6)
                    .fit(&x, &y)
                    .unwrap();
                (m.coef().to_vec(), m.intercept())
            } else {
                let m = HuberGroupLasso::params(groups)
                    .delta(case.delta.unwrap() as f32)
                    .group_weights(Some(gw))
                    .l1_ratio(case.tau as f32)
                    .alpha(alpha)
                    .tol(1e-6)
                    .fit(&x, &y)
                    .unwrap();
                (m.coef().to_vec(), m.intercept())
            };
            let c64: Vec<f64> = coef.iter().map(|&v| f64::from(v)).collect();
            let d = rel_diff(&c64, f64::from(b), case);
            assert!(d <= 1e-3, "{name}: {d:e}");
        }
    }

    /// Cross-validation with integer sample weights is the cross-validation of the rows
    /// repeated, each copy in its row's fold: the same grid, curve, choice and refit, for the
    /// four group families; the folds in parallel are bitwise the serial ones.
    #[test]
    fn weighted_cross_validation_equals_repeated_rows() {
        use crate::{GroupLassoCv, LogisticGroupLassoCv};
        let (n, p) = (60, 6);
        let x = ColMajor::from_fn(n, p, |i, j| {
            (((i * 7 + j * 13 + i * j) % 17) as f64 - 8.0) / 8.0
        });
        let counts: Vec<f64> = (0..n)
            .map(|i| {
                ((0.8 * x.col(0)[i] - 0.6 * x.col(3)[i]).exp() * (1.0 + (i % 3) as f64)).floor()
            })
            .collect();
        let resp: Vec<f64> = (0..n)
            .map(|i| {
                x.col(1)[i] - 2.0 * x.col(4)[i]
                    + if i % 9 == 0 {
                        6.0
                    } else {
                        0.1 * (i % 4) as f64
                    }
            })
            .collect();
        let labels: Vec<f64> = resp
            .iter()
            .enumerate()
            .map(|(i, r)| f64::from(u8::from(r + 0.4 * (i % 3) as f64 > 0.0)))
            .collect();
        let reps: Vec<usize> = (0..n).map(|i| [1, 2, 0, 3, 1][i % 5]).collect();
        let w: Vec<f64> = reps.iter().map(|&r| r as f64).collect();
        let ids: Vec<usize> = (0..n).map(|i| i % 3).collect();
        let rows: Vec<usize> = reps
            .iter()
            .enumerate()
            .flat_map(|(i, &r)| std::iter::repeat_n(i, r))
            .collect();
        let ids_r: Vec<usize> = rows.iter().map(|&i| ids[i]).collect();
        let (xr, cr) = repeat(&x, &counts, &reps);
        let (_, rr) = repeat(&x, &resp, &reps);
        let (_, lr) = repeat(&x, &labels, &reps);
        let groups = || Groups::contiguous(&[2, 2, 2]).unwrap();
        let close = |a: &[f64], b: &[f64], tol: f64, what: &str| {
            let scale = b.iter().fold(1e-300_f64, |m, v| m.max(v.abs()));
            assert!(max_diff(a, b) <= tol * scale, "{what}: {a:?} vs {b:?}");
        };
        // (curve, alphas, index, coef) of the weighted and the repeated fits
        type Out = (Vec<f64>, Vec<f64>, usize, Vec<f64>);
        let mut pairs: Vec<(&str, Out, Out)> = Vec::new();
        macro_rules! both {
            ($name:expr, $b:expr, $y:expr, $yr:expr) => {{
                let b = $b.n_alphas(8).tol(1e-12);
                let a = b
                    .clone()
                    .fold_ids(ids.clone())
                    .fit_weighted(&x, $y, &w)
                    .unwrap();
                let serial = b
                    .clone()
                    .fold_ids(ids.clone())
                    .parallel(false)
                    .fit_weighted(&x, $y, &w)
                    .unwrap();
                assert_eq!(a.cv_errors(), serial.cv_errors(), "{}", $name);
                let r = b.fold_ids(ids_r.clone()).fit(&xr, $yr).unwrap();
                pairs.push((
                    $name,
                    (
                        a.cv_mean().to_vec(),
                        a.alphas().to_vec(),
                        a.index(),
                        a.model().coef().to_vec(),
                    ),
                    (
                        r.cv_mean().to_vec(),
                        r.alphas().to_vec(),
                        r.index(),
                        r.model().coef().to_vec(),
                    ),
                ));
            }};
        }
        both!("least squares", GroupLassoCv::params(groups()), &resp, &rr);
        both!(
            "logistic",
            LogisticGroupLassoCv::params(groups()),
            &labels,
            &lr
        );
        both!(
            "poisson",
            PoissonGroupLassoCv::params(groups()),
            &counts,
            &cr
        );
        both!(
            "huber",
            HuberGroupLassoCv::params(groups()).delta(0.8),
            &resp,
            &rr
        );
        for (name, a, r) in &pairs {
            close(&a.1, &r.1, 1e-10, name);
            close(&a.0, &r.0, 1e-7, name);
            assert_eq!(a.2, r.2, "{name}");
            close(&a.3, &r.3, 1e-7, name);
        }
        // the weights matter, and bad ones are typed errors
        let plain = PoissonGroupLassoCv::params(groups())
            .n_alphas(8)
            .fold_ids(ids.clone())
            .fit(&x, &counts)
            .unwrap();
        assert!(max_diff(plain.cv_mean(), &pairs[2].1 .0) > 1e-6);
        let err = HuberGroupLassoCv::params(groups())
            .fit_weighted(&x, &resp, &w[1..])
            .unwrap_err();
        assert!(matches!(err, Error::DimensionMismatch { .. }), "{err:?}");
        let mut bad = w.clone();
        bad[4] = f64::NAN;
        assert!(GroupLassoCv::params(groups())
            .alphas(vec![0.1, 0.01])
            .fit_weighted(&x, &resp, &bad)
            .is_err());
        let err = HuberGroupLassoCv::params(groups())
            .delta(-1.0)
            .fit(&x, &resp)
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "delta", .. }),
            "{err:?}"
        );
    }

    /// With singleton groups and unit weights the Poisson group lasso is the Poisson lasso: the
    /// glum references with an offset (and with weights and an offset, the elastic net case
    /// excluded) through `fit_offset`, `alpha_max` and `path`; `predict_offset` is `e^{η + o}`.
    #[test]
    fn poisson_offsets_reproduce_the_glum_lasso_references() {
        use proxreg_fixtures::glm_family::{load_glm_family, GlmPenalty};
        let fx = load_glm_family("poisson_glum").unwrap();
        let pb = &fx.problem;
        let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
        let p = pb.n_features;
        let mut n = 0;
        for case in fx
            .cases
            .iter()
            .filter(|c| c.penalty == GlmPenalty::Lasso && c.offset.is_some() && !c.standardize)
        {
            let params = PoissonGroupLasso::params(Groups::contiguous(&vec![1; p]).unwrap())
                .group_weights(Some(vec![1.0; p]))
                .fit_intercept(case.fit_intercept)
                .tol(1e-13)
                .require_convergence(true);
            let (sw, off) = (case.sample_weight.as_deref(), case.offset.as_deref());
            let am = params.alpha_max(&x, &pb.y, sw, off).unwrap();
            assert!(
                (am - case.alpha_max).abs() <= 1e-9 * case.alpha_max,
                "{}",
                case.name
            );
            let m = params
                .clone()
                .alpha(case.alpha)
                .fit_offset(&x, &pb.y, sw, off)
                .unwrap();
            let scale = case.coef.iter().fold(1.0_f64, |a, v| a.max(v.abs()));
            let d =
                max_diff(m.coef(), &case.coef).max((m.intercept() - case.intercept).abs()) / scale;
            assert!(d <= 1e-6, "{}: {d:e}", case.name);
            let path = params.path(&x, &pb.y, sw, off, &[am, case.alpha]).unwrap();
            assert!(path[0].coef().iter().all(|&v| v == 0.0));
            assert!(max_diff(path[1].coef(), m.coef()) <= 1e-9);
            let o = off.unwrap();
            let counts = m.predict_offset(&x, Some(o)).unwrap();
            let rates = m.predict(&x).unwrap();
            for i in 0..pb.n_samples {
                assert!((counts[i] - rates[i] * o[i].exp()).abs() <= 1e-12 * counts[i]);
            }
            assert!(matches!(
                m.predict_offset(&x, Some(&o[1..])),
                Err(Error::DimensionMismatch { .. })
            ));
            n += 1;
        }
        assert_eq!(n, 1);
        let bad = vec![f64::NAN; pb.n_samples];
        assert!(
            PoissonGroupLasso::params(Groups::contiguous(&vec![1; p]).unwrap())
                .alpha(0.1)
                .fit_offset(&x, &pb.y, None, Some(&bad))
                .is_err()
        );
    }
}
