//! Held-out error measures.

use std::sync::Arc;

use proxreg_core::Scalar;

/// A user error function `f(y_true, y_pred) -> error` over one fold's test rows (lower is
/// better). It must be deterministic for cross-validation to be.
pub type MeasureFn<T> = dyn Fn(&[T], &[T]) -> T + Send + Sync;

/// How a fold's held-out predictions are scored (lower is better).
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum ErrorMeasure<T> {
    /// Mean squared error (the default; scikit-learn's `mse_path_`, glmnet's `type.measure =
    /// "mse"`).
    #[default]
    Mse,
    /// Mean absolute error (glmnet's `type.measure = "mae"`).
    Mae,
    /// A user function `f(y_true, y_pred)`.
    Custom(Arc<MeasureFn<T>>),
}

impl<T> core::fmt::Debug for ErrorMeasure<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Mse => f.write_str("Mse"),
            Self::Mae => f.write_str("Mae"),
            Self::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

impl<T> PartialEq for ErrorMeasure<T> {
    /// Built-in measures compare by kind, user functions by identity (the same `Arc`).
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Mse, Self::Mse) | (Self::Mae, Self::Mae) => true,
            (Self::Custom(a), Self::Custom(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl<T: Scalar> ErrorMeasure<T> {
    /// A user measure from a closure.
    ///
    /// ```
    /// use proxreg_cv::ErrorMeasure;
    /// // Maximal absolute error.
    /// let m = ErrorMeasure::custom(|y: &[f64], p: &[f64]| {
    ///     y.iter().zip(p).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
    /// });
    /// assert_eq!(m.eval(&[1.0, 2.0], &[1.5, 0.0]), 2.0);
    /// assert_eq!(ErrorMeasure::Mae.eval(&[1.0, 2.0], &[1.5, 0.0]), 1.25);
    /// ```
    pub fn custom(f: impl Fn(&[T], &[T]) -> T + Send + Sync + 'static) -> Self {
        Self::Custom(Arc::new(f))
    }

    /// The error of predictions `y_pred` for `y_true` (same length; plain means over the rows
    /// for the built-in measures).
    pub fn eval(&self, y_true: &[T], y_pred: &[T]) -> T {
        let n = T::from_count(y_true.len());
        match self {
            Self::Mse => {
                y_true
                    .iter()
                    .zip(y_pred)
                    .map(|(&a, &b)| (a - b) * (a - b))
                    .sum::<T>()
                    / n
            }
            Self::Mae => {
                y_true
                    .iter()
                    .zip(y_pred)
                    .map(|(&a, &b)| (a - b).abs())
                    .sum::<T>()
                    / n
            }
            Self::Custom(f) => f(y_true, y_pred),
        }
    }
}
