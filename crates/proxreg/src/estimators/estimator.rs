//! One fit / predict interface over the single-fit estimators: [`Estimator`] for their
//! hyper-parameters, [`Fitted`] for the models they fit.

use proxreg_core::{Result, Scalar};
use proxreg_linalg::DesignMatrix;

use super::families::{
    HuberRegression, HuberRegressionParams, PoissonRegression, PoissonRegressionParams,
};
use super::linear::{ElasticNet, ElasticNetParams, Lasso, LassoParams, Ridge, RidgeParams};
use super::logistic::{LogisticRegression, LogisticRegressionParams};
use super::model::{FitReport, LinearModel};
use super::multitask::{
    MultiTaskElasticNet, MultiTaskElasticNetParams, MultiTaskLasso, MultiTaskLassoParams,
};

/// The hyper-parameters of an estimator that fits one penalised linear model to `(X, y)`:
/// [`LassoParams`], [`ElasticNetParams`], [`RidgeParams`], [`MultiTaskLassoParams`],
/// [`MultiTaskElasticNetParams`] and [`LogisticRegressionParams`]. Code generic over it — a
/// validation loop, a path walker, a command line — works with every one of them, and with a
/// seventh. Each method is the estimator's inherent method of the same name (those keep
/// working without the trait in scope).
///
/// ```
/// use proxreg::prelude::*;
///
/// /// Held-out score of a fit on the first rows, for any estimator.
/// fn holdout<E: Estimator<f64>>(est: &E, x: &ColMajor<f64>, y: &[f64], n_train: usize) -> proxreg::Result<f64> {
///     let (n, p) = (x.nrows(), x.ncols());
///     let train = ColMajor::from_fn(n_train, p, |i, j| x.col(j)[i]);
///     let test = ColMajor::from_fn(n - n_train, p, |i, j| x.col(j)[n_train + i]);
///     let model = est.fit(&train, &y[..n_train])?;
///     assert!(model.report().kkt_violation.is_finite());
///     model.score(&test, &y[n_train..]) // R² for regression, accuracy for classification
/// }
///
/// let x = ColMajor::from_fn(60, 3, |i, j| (((i + 1) * (j + 2)) % 7) as f64);
/// let y: Vec<f64> = (0..60).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i]).collect();
/// let labels: Vec<f64> = y.iter().map(|&v| if v > -4.0 { 1.0 } else { 0.0 }).collect();
/// let r2 = holdout(&Lasso::params().alpha(0.01), &x, &y, 40)?;
/// let r2_ridge = holdout(&Ridge::params().alpha(0.1), &x, &y, 40)?;
/// let accuracy = holdout(&LogisticRegression::params().alpha(0.01), &x, &labels, 40)?;
/// assert!(r2 > 0.9 && r2_ridge > 0.9 && accuracy > 0.5);
/// # Ok::<(), proxreg::Error>(())
/// ```
pub trait Estimator<T: Scalar>: Clone {
    /// The fitted model.
    type Model: Fitted<T>;

    /// The same hyper-parameters at strength `alpha` (in the estimator's own convention).
    #[must_use]
    fn alpha(self, alpha: T) -> Self;

    /// The same hyper-parameters, starting the fit from `coef` (original scale, `p × k`
    /// row-major); the direct Ridge solvers do not use it.
    #[must_use]
    fn warm_start(self, coef: Vec<T>) -> Self;

    /// Validates, then fits on `(x, y)`.
    ///
    /// # Errors
    /// The estimator's parameter, shape, data and (when required) convergence errors.
    fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<Self::Model>;

    /// Validates, then fits with sample weights `s_i >= 0`.
    ///
    /// # Errors
    /// As [`Estimator::fit`], plus invalid weights.
    fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<Self::Model>;

    /// [`fit`](Estimator::fit) or [`fit_weighted`](Estimator::fit_weighted), as the weights
    /// are given or not.
    ///
    /// # Errors
    /// As [`Estimator::fit_weighted`].
    fn fit_with<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<Self::Model> {
        match sample_weight {
            Some(w) => self.fit_weighted(x, y, w),
            None => self.fit(x, y),
        }
    }

    /// The regularization path over `alphas`, in the order given: one model per alpha, warm
    /// started from the previous one with the data prepared once (the direct Ridge solvers
    /// solve each alpha exactly).
    ///
    /// # Errors
    /// As [`Estimator::fit_weighted`]; [`proxreg_core::Error::Empty`] for no alphas and
    /// [`proxreg_core::Error::InvalidParameter`] for an alpha that is negative or not finite.
    fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<Self::Model>>;
}

/// A model fitted by an [`Estimator`]: its [`LinearModel`] (coefficients, intercepts, alpha,
/// certificates), its predictions and its score.
pub trait Fitted<T: Scalar> {
    /// The coefficients, intercepts, alpha and certificates.
    fn linear_model(&self) -> &LinearModel<T>;

    /// The [`LinearModel`], by value.
    fn into_linear_model(self) -> LinearModel<T>
    where
        Self: Sized;

    /// The certificates and status of the fit.
    fn report(&self) -> &FitReport<T> {
        self.linear_model().report()
    }

    /// The two labels of a classifier, sorted (its predictions are these values; the
    /// coefficients model the log-odds of the second); `None` for a regression.
    fn classes(&self) -> Option<[T; 2]> {
        None
    }

    /// The predictions: the fitted values (`n × k` column-major) of a regression, the
    /// predicted labels of a classifier.
    ///
    /// # Errors
    /// [`proxreg_core::Error::DimensionMismatch`] for a wrong number of columns;
    /// [`proxreg_core::Error::NonFinite`] for NaN or infinite entries.
    fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>>;

    /// The score on `(x, y)`: R² (averaged over tasks) for a regression, accuracy for a
    /// classifier.
    ///
    /// # Errors
    /// As [`Fitted::predict`], plus [`proxreg_core::Error::DimensionMismatch`] for `y`.
    fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T>;
}

/// The trait impls of a least-squares estimator whose fitted model derefs to [`LinearModel`].
macro_rules! least_squares {
    ($params:ident, $model:ident) => {
        impl<T: Scalar> Estimator<T> for $params<T> {
            type Model = $model<T>;
            fn alpha(self, alpha: T) -> Self {
                $params::alpha(self, alpha)
            }
            fn warm_start(self, coef: Vec<T>) -> Self {
                $params::warm_start(self, coef)
            }
            fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<$model<T>> {
                $params::fit(self, x, y)
            }
            fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
                &self,
                x: &X,
                y: &[T],
                sample_weight: &[T],
            ) -> Result<$model<T>> {
                $params::fit_weighted(self, x, y, sample_weight)
            }
            fn path<X: DesignMatrix<T> + ?Sized>(
                &self,
                x: &X,
                y: &[T],
                sample_weight: Option<&[T]>,
                alphas: &[T],
            ) -> Result<Vec<$model<T>>> {
                $params::path(self, x, y, sample_weight, alphas)
            }
        }

        impl<T: Scalar> Fitted<T> for $model<T> {
            fn linear_model(&self) -> &LinearModel<T> {
                &self.0
            }
            fn into_linear_model(self) -> LinearModel<T> {
                self.0
            }
            fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
                self.0.predict(x)
            }
            fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
                self.0.score(x, y)
            }
        }
    };
}

least_squares!(LassoParams, Lasso);
least_squares!(ElasticNetParams, ElasticNet);
least_squares!(RidgeParams, Ridge);
least_squares!(MultiTaskLassoParams, MultiTaskLasso);
least_squares!(MultiTaskElasticNetParams, MultiTaskElasticNet);

impl<T: Scalar> Estimator<T> for LogisticRegressionParams<T> {
    type Model = LogisticRegression<T>;
    fn alpha(self, alpha: T) -> Self {
        LogisticRegressionParams::alpha(self, alpha)
    }
    fn warm_start(self, coef: Vec<T>) -> Self {
        LogisticRegressionParams::warm_start(self, coef)
    }
    fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<LogisticRegression<T>> {
        LogisticRegressionParams::fit(self, x, y)
    }
    fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<LogisticRegression<T>> {
        LogisticRegressionParams::fit_weighted(self, x, y, sample_weight)
    }
    fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<LogisticRegression<T>>> {
        LogisticRegressionParams::path(self, x, y, sample_weight, alphas)
    }
}

impl<T: Scalar> Fitted<T> for LogisticRegression<T> {
    fn linear_model(&self) -> &LinearModel<T> {
        &self.model
    }
    fn into_linear_model(self) -> LinearModel<T> {
        self.model
    }
    fn classes(&self) -> Option<[T; 2]> {
        Some(LogisticRegression::classes(self))
    }
    fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        LogisticRegression::predict(self, x)
    }
    fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        LogisticRegression::score(self, x, y)
    }
}

/// Poisson and Huber regression: the trait's `path` without an offset (use the estimators'
/// own `path` for one).
macro_rules! family {
    ($params:ident, $model:ident, |$s:ident, $x:ident, $y:ident, $w:ident, $a:ident| $path:expr) => {
        impl<T: Scalar> Estimator<T> for $params<T> {
            type Model = $model<T>;
            fn alpha(self, alpha: T) -> Self {
                $params::alpha(self, alpha)
            }
            fn warm_start(self, coef: Vec<T>) -> Self {
                $params::warm_start(self, coef)
            }
            fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<$model<T>> {
                $params::fit(self, x, y)
            }
            fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
                &self,
                x: &X,
                y: &[T],
                sample_weight: &[T],
            ) -> Result<$model<T>> {
                $params::fit_weighted(self, x, y, sample_weight)
            }
            fn path<X: DesignMatrix<T> + ?Sized>(
                &self,
                x: &X,
                y: &[T],
                sample_weight: Option<&[T]>,
                alphas: &[T],
            ) -> Result<Vec<$model<T>>> {
                let ($s, $x, $y, $w, $a) = (self, x, y, sample_weight, alphas);
                $path
            }
        }

        impl<T: Scalar> Fitted<T> for $model<T> {
            fn linear_model(&self) -> &LinearModel<T> {
                &self.model
            }
            fn into_linear_model(self) -> LinearModel<T> {
                self.model
            }
            fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
                $model::predict(self, x)
            }
            fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
                $model::score(self, x, y)
            }
        }
    };
}

family!(
    PoissonRegressionParams,
    PoissonRegression,
    |s, x, y, w, a| PoissonRegressionParams::path(s, x, y, w, None, a)
);
family!(HuberRegressionParams, HuberRegression, |s, x, y, w, a| {
    HuberRegressionParams::path(s, x, y, w, a)
});
