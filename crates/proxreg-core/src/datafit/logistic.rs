//! Logistic (binomial): `ℓ(y, η) = log(1 + e^η) − y·η`.

use super::{weighted_mean, xlogx, Datafit};
use crate::{Error, Result, Scalar};

/// `log(1 + e^x)`, without overflow or loss of precision at either end.
pub fn softplus<T: Scalar>(x: T) -> T {
    if x > T::zero() {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// The logistic function `σ(x) = 1/(1 + e^{−x})`, evaluated without overflow.
pub fn sigmoid<T: Scalar>(x: T) -> T {
    if x >= T::zero() {
        T::one() / (T::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::one() + e)
    }
}

/// `log σ(x) = −softplus(−x)`.
pub fn log_sigmoid<T: Scalar>(x: T) -> T {
    -softplus(-x)
}

/// The logistic (binomial) loss, `ℓ(y, η) = log(1 + e^η) − y·η` with `y ∈ [0, 1]` (labels 0/1,
/// or proportions), the negative log-likelihood of `P(y = 1) = σ(η)`: glmnet's binomial family,
/// scikit-learn's `LogisticRegression` (whose `C` is `1/(m·α)`).
///
/// Its curvature `σ(η)(1 − σ(η))` is at most `¼`; its conjugate is the negative binary entropy
/// `ℓ*(y, v) = p·log p + (1 − p)·log(1 − p)` with `p = y + v ∈ [0, 1]`.
///
/// ```
/// use proxreg_core::datafit::{Datafit, Logistic};
/// // The null model of 3 ones in 4 samples predicts log(3/1).
/// let b = Logistic.null_eta(&[1.0_f64, 1.0, 0.0, 1.0], None)?;
/// assert!((b - 3f64.ln()).abs() < 1e-15);
/// assert!((Logistic.mean(b) - 0.75).abs() < 1e-15);
/// // One class only: no finite optimum.
/// assert!(Logistic.null_eta(&[1.0_f64, 1.0], None).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Logistic;

impl<T: Scalar> Datafit<T> for Logistic {
    fn name(&self) -> &'static str {
        "logistic"
    }
    fn loss(&self, y: T, eta: T) -> T {
        // y·softplus(−η) + (1 − y)·softplus(η) equals softplus(η) − y·η and has no
        // cancellation for large |η| with y ∈ {0, 1}.
        y * softplus(-eta) + (T::one() - y) * softplus(eta)
    }
    fn deriv(&self, y: T, eta: T) -> T {
        sigmoid(eta) - y
    }
    fn hessian(&self, _y: T, eta: T) -> T {
        let p = sigmoid(eta);
        p * (T::one() - p)
    }
    fn curvature_bound(&self) -> Option<T> {
        Some(T::lit(0.25))
    }
    fn conjugate(&self, y: T, v: T) -> Option<T> {
        let p = y + v;
        if p < T::zero() || p > T::one() {
            return Some(T::infinity());
        }
        Some(xlogx(p) + xlogx(T::one() - p))
    }
    fn dual_domain(&self, y: T) -> (T, T) {
        (-y, T::one() - y)
    }
    /// The Kullback–Leibler divergence `KL(q ‖ σ(η))` of the Bernoulli laws, `q = y + v`,
    /// written with `log σ` so that it does not overflow.
    fn fenchel_young(&self, y: T, eta: T, v: T) -> Option<T> {
        let q = y + v;
        if q < T::zero() || q > T::one() {
            return Some(T::infinity());
        }
        let r = T::one() - q;
        let kl = xlogx(q) + xlogx(r) - q * log_sigmoid(eta) - r * log_sigmoid(-eta);
        Some(kl.max(T::zero()))
    }
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T> {
        let (mu, _) = weighted_mean(y, s);
        if mu <= T::zero() || mu >= T::one() {
            return Err(Error::InvalidTarget {
                datafit: "logistic",
                index: None,
                reason: "every (weighted) target is in one class: the intercept has no finite optimum; give both classes",
            });
        }
        Ok((mu / (T::one() - mu)).ln())
    }
    fn mean(&self, eta: T) -> T {
        sigmoid(eta)
    }
    fn check_target(&self, y: &[T]) -> Result<()> {
        for (i, &v) in y.iter().enumerate() {
            if !v.is_finite() {
                return Err(Error::NonFinite {
                    what: "y",
                    index: i,
                });
            }
            if v < T::zero() || v > T::one() {
                return Err(Error::InvalidTarget {
                    datafit: "logistic",
                    index: Some(i),
                    reason: "a target outside [0, 1]; use labels 0 and 1 (or proportions)",
                });
            }
        }
        Ok(())
    }
}
