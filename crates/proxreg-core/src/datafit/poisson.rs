//! Poisson (log link): `ℓ(y, η) = e^η − y·η`.

use super::{weighted_mean, xlogx, Datafit};
use crate::{Error, Result, Scalar};

/// The Poisson loss with the log link, `ℓ(y, η) = e^η − y·η` for counts (or rates) `y ≥ 0`: the
/// negative log-likelihood of `y ~ Poisson(e^η)` up to a term in `y` alone. glmnet's
/// `family = "poisson"`, scikit-learn's `PoissonRegressor` and glum's `family = "poisson"` (whose
/// losses are half the mean deviance, `ℓ` minus its minimum `y − y·log y`: the same minimiser).
///
/// Its curvature `e^η` is unbounded, so it is fitted by proximal Newton with a line search
/// (there is no global Lipschitz constant for coordinate descent). Its conjugate is
/// `ℓ*(y, v) = q·log q − q` with `q = y + v ≥ 0`. An exposure enters as an offset
/// `log(exposure)` in `η = Xw + b + offset` ([`Problem::offset`] of `proxreg-solvers`).
///
/// [`Problem::offset`]: https://docs.rs/proxreg-solvers
///
/// ```
/// use proxreg_core::datafit::{Datafit, Poisson};
/// // The null model predicts the mean count: e^b = 2.
/// let b = Poisson.null_eta(&[1.0_f64, 3.0, 0.0, 4.0], None)?;
/// assert!((Poisson.mean(b) - 2.0).abs() < 1e-15);
/// // With exposures 1, 1, 2, 4 (offset log t) the rate is Σy / Σt = 8/8.
/// let o: Vec<f64> = [1.0_f64, 1.0, 2.0, 4.0].iter().map(|t| t.ln()).collect();
/// let b = Poisson.null_eta_offset(&[1.0_f64, 3.0, 0.0, 4.0], None, &o)?;
/// assert!(b.abs() < 1e-15);
/// // All counts zero: the intercept would go to −∞.
/// assert!(Poisson.null_eta(&[0.0_f64, 0.0], None).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Poisson;

const ALL_ZERO: &str = "every (weighted) count is zero: the intercept has no finite optimum (it tends to −∞); give a positive count";

impl<T: Scalar> Datafit<T> for Poisson {
    fn name(&self) -> &'static str {
        "poisson"
    }
    fn loss(&self, y: T, eta: T) -> T {
        eta.exp() - y * eta
    }
    fn deriv(&self, y: T, eta: T) -> T {
        eta.exp() - y
    }
    fn hessian(&self, _y: T, eta: T) -> T {
        eta.exp()
    }
    fn conjugate(&self, y: T, v: T) -> Option<T> {
        let q = y + v;
        if q < T::zero() {
            return Some(T::infinity());
        }
        Some(xlogx(q) - q)
    }
    fn dual_domain(&self, y: T) -> (T, T) {
        (-y, T::infinity())
    }
    /// The generalised Kullback–Leibler divergence `q·log(q/μ) − q + μ` of `q = y + v` from
    /// `μ = e^η`, written with `log μ = η` so that it does not overflow before `μ` does.
    fn fenchel_young(&self, y: T, eta: T, v: T) -> Option<T> {
        let q = y + v;
        if q < T::zero() {
            return Some(T::infinity());
        }
        let mu = eta.exp();
        let kl = if q > T::zero() {
            q * (q.ln() - eta) - q + mu
        } else {
            mu
        };
        Some(kl.max(T::zero()))
    }
    fn saturated(&self, y: T) -> T {
        // min_η e^η − y·η is attained at η = log y: y − y·log y (0 at y = 0).
        y - xlogx(y)
    }
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T> {
        let (mu, _) = weighted_mean(y, s);
        if mu > T::zero() && mu.is_finite() {
            Ok(mu.ln())
        } else {
            Err(Error::InvalidTarget {
                datafit: "poisson",
                index: None,
                reason: ALL_ZERO,
            })
        }
    }
    /// Closed form: `log Σ s_i y_i − log Σ s_i e^{o_i}` (the second term shifted by `max o`).
    fn null_eta_offset(&self, y: &[T], s: Option<&[T]>, offset: &[T]) -> Result<T> {
        let w = |i: usize| s.map_or(T::one(), |s| s[i]);
        let sy: T = (0..y.len()).map(|i| w(i) * y[i]).sum();
        let top = offset
            .iter()
            .copied()
            .fold(T::neg_infinity(), |a, b| if b > a { b } else { a });
        let se: T = (0..y.len()).map(|i| w(i) * (offset[i] - top).exp()).sum();
        let b = sy.ln() - se.ln() - top;
        if sy > T::zero() && b.is_finite() {
            Ok(b)
        } else {
            Err(Error::InvalidTarget {
                datafit: "poisson",
                index: None,
                reason: ALL_ZERO,
            })
        }
    }
    fn mean(&self, eta: T) -> T {
        eta.exp()
    }
    fn check_target(&self, y: &[T]) -> Result<()> {
        for (i, &v) in y.iter().enumerate() {
            if !v.is_finite() {
                return Err(Error::NonFinite {
                    what: "y",
                    index: i,
                });
            }
            if v < T::zero() {
                return Err(Error::InvalidTarget {
                    datafit: "poisson",
                    index: Some(i),
                    reason: "a negative count; Poisson targets are counts or rates >= 0",
                });
            }
        }
        Ok(())
    }
}
