//! Huber: `ℓ(y, η) = h_δ(y − η)`, quadratic near zero and linear beyond `δ`.

use super::{minimize_1d, Datafit};
use crate::{Error, Result, Scalar};

/// The Huber loss of the residual, `ℓ(y, η) = h_δ(y − η)` with `h_δ(r) = r²/2` for `|r| ≤ δ`
/// and `δ·|r| − δ²/2` beyond: least squares for small residuals, least absolute deviations for
/// gross outliers (robust regression). skglm's `Huber(delta)` datafit is the same loss.
/// scikit-learn's `HuberRegressor(epsilon)` differs: it also fits a scale `σ` and uses
/// `δ = epsilon·σ` (see `docs/conventions.md`).
///
/// Its curvature is `1` inside `[−δ, δ]` and `0` outside (bound `1`, so coordinate descent
/// applies); its conjugate is `ℓ*(y, v) = v·y + v²/2` on `|v| ≤ δ`.
///
/// ```
/// use proxreg_core::datafit::{Datafit, Huber};
/// let f = Huber::new(1.0_f64)?;
/// assert_eq!(f.loss(0.5, 0.0), 0.125); // r²/2
/// assert_eq!(f.loss(3.0, 0.0), 2.5); // δ|r| − δ²/2
/// assert_eq!(f.deriv(3.0, 0.0), -1.0); // clipped at δ
/// // The null model is the Huber location: one gross outlier barely moves it.
/// let b = f.null_eta(&[0.0, 0.1, 0.2, 100.0], None)?;
/// assert!(b > 0.1 && b < 1.5);
/// assert!(Huber::new(-1.0_f64).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Huber<T> {
    delta: T,
}

impl<T: Scalar> Huber<T> {
    /// The Huber loss with threshold `delta > 0` (finite).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `delta` when it is not finite and positive (NaN-safe).
    pub fn new(delta: T) -> Result<Self> {
        if delta.is_finite() && delta > T::zero() {
            Ok(Self { delta })
        } else {
            Err(Error::InvalidParameter {
                name: "delta",
                value: delta.as_f64(),
                expected: "finite and > 0",
            })
        }
    }
    /// The threshold `δ`.
    pub fn delta(&self) -> T {
        self.delta
    }
}

impl<T: Scalar> Datafit<T> for Huber<T> {
    fn name(&self) -> &'static str {
        "huber"
    }
    fn loss(&self, y: T, eta: T) -> T {
        let r = (y - eta).abs();
        let d = self.delta;
        if r <= d {
            T::lit(0.5) * r * r
        } else {
            d * (r - T::lit(0.5) * d)
        }
    }
    fn deriv(&self, y: T, eta: T) -> T {
        let d = self.delta;
        (eta - y).max(-d).min(d)
    }
    fn hessian(&self, y: T, eta: T) -> T {
        if (eta - y).abs() <= self.delta {
            T::one()
        } else {
            T::zero()
        }
    }
    fn curvature_bound(&self) -> Option<T> {
        Some(T::one())
    }
    fn conjugate(&self, y: T, v: T) -> Option<T> {
        if v.abs() > self.delta {
            return Some(T::infinity());
        }
        Some(v * y + T::lit(0.5) * v * v)
    }
    fn dual_domain(&self, _y: T) -> (T, T) {
        (-self.delta, self.delta)
    }
    /// Without cancellation, `t = η − y`: `(t − v)²/2` for `|t| ≤ δ`, else
    /// `(v − δ·sgn t)²/2 + (δ·sgn t − v)(t − δ·sgn t)` (both terms `≥ 0` on the domain).
    fn fenchel_young(&self, y: T, eta: T, v: T) -> Option<T> {
        let d = self.delta;
        if v.abs() > d {
            return Some(T::infinity());
        }
        let t = eta - y;
        let half = T::lit(0.5);
        let g = if t.abs() <= d {
            half * (t - v) * (t - v)
        } else {
            let sd = if t > T::zero() { d } else { -d };
            half * (v - sd) * (v - sd) + (sd - v) * (t - sd)
        };
        Some(g.max(T::zero()))
    }
    /// The weighted Huber location `argmin_c Σ s_i h_δ(y_i − c)` (a safeguarded Newton
    /// iteration on the monotone derivative).
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T> {
        let zeros = vec![T::zero(); y.len()];
        self.null_eta_offset(y, s, &zeros)
    }
    fn null_eta_offset(&self, y: &[T], s: Option<&[T]>, offset: &[T]) -> Result<T> {
        if y.is_empty() {
            return Err(Error::Empty { what: "y" });
        }
        let (start, _) = super::weighted_mean(y, s);
        minimize_1d(self, y, s, offset, start)
    }
    fn mean(&self, eta: T) -> T {
        eta
    }
}
