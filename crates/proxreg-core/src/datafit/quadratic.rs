//! Least squares: `ℓ(y, η) = ½(y − η)²`.

use super::{weighted_mean, Datafit};
use crate::{Result, Scalar};

/// Least squares, `ℓ(y, η) = ½(y − η)²`: the Lasso, the Elastic Net and ridge regression.
///
/// The solvers specialise it (centering for the intercept, Gram mode, sufficient statistics,
/// the support polish, direct ridge solves); through the generic engine it is one more datafit.
///
/// ```
/// use proxreg_core::datafit::{Datafit, Quadratic};
/// assert_eq!(Quadratic.loss(3.0_f64, 1.0), 2.0);
/// assert_eq!(Quadratic.deriv(3.0_f64, 1.0), -2.0);
/// assert_eq!(Quadratic.null_eta(&[1.0_f64, 2.0, 6.0], None)?, 3.0);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quadratic;

impl<T: Scalar> Datafit<T> for Quadratic {
    fn name(&self) -> &'static str {
        "quadratic"
    }
    fn loss(&self, y: T, eta: T) -> T {
        let r = y - eta;
        T::lit(0.5) * r * r
    }
    fn deriv(&self, y: T, eta: T) -> T {
        eta - y
    }
    fn hessian(&self, _y: T, _eta: T) -> T {
        T::one()
    }
    fn curvature_bound(&self) -> Option<T> {
        Some(T::one())
    }
    /// `ℓ*(y, v) = v·y + v²/2`.
    fn conjugate(&self, y: T, v: T) -> Option<T> {
        Some(v * y + T::lit(0.5) * v * v)
    }
    /// `½(y − η + v)²`, which does not cancel.
    fn fenchel_young(&self, y: T, eta: T, v: T) -> Option<T> {
        let d = y - eta + v;
        Some(T::lit(0.5) * d * d)
    }
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T> {
        Ok(weighted_mean(y, s).0)
    }
    fn mean(&self, eta: T) -> T {
        eta
    }
}
