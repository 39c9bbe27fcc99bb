//! Datafits (losses): the second axis of `min_{w,b} (1/m)·Σ_i s_i·ℓ(y_i, η_i) + α·g(w)`.
//!
//! A datafit is a per-sample loss `ℓ(y, η)` of a target `y` and a linear predictor
//! `η = x_iᵀw + b`. The engine sums it with the (normalised) sample weights and applies the
//! design itself, so a datafit is a handful of scalar functions: the loss, its first and second
//! derivatives in `η`, a bound on the second derivative (coordinate-descent steps), its Fenchel
//! conjugate in `η` (the duality gap), the best constant predictor (the null model) and the
//! inverse link (predictions). [`Quadratic`] (least squares, `ℓ = ½(y − η)²`) and [`Logistic`]
//! (binomial, `ℓ = log(1 + e^η) − y·η`) are built in; a datafit of your own implements
//! [`Datafit`] and is checked by the conformance kit of `proxreg-testing`.
//!
//! ```
//! use proxreg_core::datafit::{Datafit, Logistic};
//! let f = Logistic;
//! // ℓ(1, 0) = log 2, ℓ'(1, 0) = σ(0) − 1 = −½, ℓ''(1, 0) = ¼.
//! assert!((f.loss(1.0_f64, 0.0) - 2f64.ln()).abs() < 1e-15);
//! assert_eq!(f.deriv(1.0_f64, 0.0), -0.5);
//! assert_eq!(f.hessian(1.0_f64, 0.0), 0.25);
//! // At the dual point v = ℓ'(y, η) the Fenchel–Young gap is zero.
//! let v = f.deriv(1.0_f64, 0.3);
//! assert!(f.fenchel_young(1.0_f64, 0.3, v).unwrap().abs() < 1e-15);
//! ```

mod logistic;
mod quadratic;

pub use logistic::{log_sigmoid, sigmoid, softplus, Logistic};
pub use quadratic::Quadratic;

use crate::{Result, Scalar};

/// A per-sample loss `ℓ(y, η)`, convex in the linear predictor `η`.
///
/// The objective the solvers minimise is `(1/m)·Σ_i s_i·ℓ(y_i, η_i) + α·g(w)` with
/// `η = Xw + b`, sample weights `s_i ≥ 0` and `m = Σ s_i` (`= n` without weights).
///
/// Required: [`loss`](Datafit::loss), [`deriv`](Datafit::deriv),
/// [`hessian`](Datafit::hessian), [`null_eta`](Datafit::null_eta), [`mean`](Datafit::mean) and
/// [`name`](Datafit::name). Provide [`conjugate`](Datafit::conjugate) (and its domain) to get a
/// duality gap; without it fits are certified by their KKT violation only.
pub trait Datafit<T: Scalar>: Send + Sync {
    /// A short lowercase name (`"quadratic"`, `"logistic"`), used in errors and reports.
    fn name(&self) -> &'static str;

    /// `ℓ(y, η)`.
    fn loss(&self, y: T, eta: T) -> T;

    /// `∂ℓ/∂η (y, η)`.
    fn deriv(&self, y: T, eta: T) -> T;

    /// `∂²ℓ/∂η² (y, η) ≥ 0`: the weights of the prox-Newton (IRLS) quadratic model.
    fn hessian(&self, y: T, eta: T) -> T;

    /// `sup_{y, η} ∂²ℓ/∂η²`, the curvature bound that makes `‖x_j‖²·bound/m` a Lipschitz
    /// constant of coordinate `j` (`1` for least squares, `¼` for logistic); `None` when the
    /// curvature is unbounded (Poisson). Provided: `None`.
    fn curvature_bound(&self) -> Option<T> {
        None
    }

    /// The Fenchel conjugate in `η`, `ℓ*(y, v) = sup_η v·η − ℓ(y, η)`, which is `+inf` outside
    /// [`dual_domain`](Datafit::dual_domain). `None`: not provided (no duality gap).
    fn conjugate(&self, _y: T, _v: T) -> Option<T> {
        None
    }

    /// The closed interval where `ℓ*(y, ·)` is finite (it contains `0`): the certificate clamps
    /// its dual point into it. Provided: the whole line.
    fn dual_domain(&self, _y: T) -> (T, T) {
        (T::neg_infinity(), T::infinity())
    }

    /// The Fenchel–Young gap `ℓ(y, η) + ℓ*(y, v) − v·η ≥ 0` (zero exactly at
    /// `v = ℓ'(y, η)`); the duality gap is its weighted mean plus the penalty's. Provided from
    /// [`loss`](Datafit::loss) and [`conjugate`](Datafit::conjugate); override it with a form
    /// that does not cancel (least squares: `½(y − η + v)²`).
    fn fenchel_young(&self, y: T, eta: T, v: T) -> Option<T> {
        self.conjugate(y, v)
            .map(|c| (self.loss(y, eta) + c - v * eta).max(T::zero()))
    }

    /// The best constant predictor: `argmin_c Σ_i s_i·ℓ(y_i, c)` (weights `s`, `None`: all
    /// ones). The intercept of the null model and the starting intercept of a fit.
    ///
    /// # Errors
    /// [`Error::InvalidTarget`](crate::Error::InvalidTarget) when there is no finite minimiser
    /// (a logistic model on one class only).
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T>;

    /// The mean response `μ(η)` (the inverse link): `η` for least squares, the probability
    /// `σ(η)` for logistic.
    fn mean(&self, eta: T) -> T;

    /// Checks the targets are in the loss's domain (finite for every datafit; in `[0, 1]` for
    /// logistic), NaN-safe. Provided: finiteness.
    ///
    /// # Errors
    /// [`Error::NonFinite`](crate::Error::NonFinite) or
    /// [`Error::InvalidTarget`](crate::Error::InvalidTarget) naming the first bad entry.
    fn check_target(&self, y: &[T]) -> Result<()> {
        crate::error::ensure_all_finite("y", y)
    }
}

impl<T: Scalar, F: Datafit<T> + ?Sized> Datafit<T> for &F {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn loss(&self, y: T, eta: T) -> T {
        (**self).loss(y, eta)
    }
    fn deriv(&self, y: T, eta: T) -> T {
        (**self).deriv(y, eta)
    }
    fn hessian(&self, y: T, eta: T) -> T {
        (**self).hessian(y, eta)
    }
    fn curvature_bound(&self) -> Option<T> {
        (**self).curvature_bound()
    }
    fn conjugate(&self, y: T, v: T) -> Option<T> {
        (**self).conjugate(y, v)
    }
    fn dual_domain(&self, y: T) -> (T, T) {
        (**self).dual_domain(y)
    }
    fn fenchel_young(&self, y: T, eta: T, v: T) -> Option<T> {
        (**self).fenchel_young(y, eta, v)
    }
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T> {
        (**self).null_eta(y, s)
    }
    fn mean(&self, eta: T) -> T {
        (**self).mean(eta)
    }
    fn check_target(&self, y: &[T]) -> Result<()> {
        (**self).check_target(y)
    }
}

/// `(Σ s_i·y_i / Σ s_i, Σ s_i)`: the weighted mean of `y` and the weight sum (plain mean and
/// `n` without weights).
pub fn weighted_mean<T: Scalar>(y: &[T], s: Option<&[T]>) -> (T, T) {
    match s {
        Some(s) => {
            let m: T = s.iter().copied().sum();
            let sy: T = y.iter().zip(s).map(|(&a, &b)| a * b).sum();
            (if m > T::zero() { sy / m } else { T::zero() }, m)
        }
        None => {
            let m = T::from_count(y.len());
            let sy: T = y.iter().copied().sum();
            (if m > T::zero() { sy / m } else { T::zero() }, m)
        }
    }
}

#[cfg(test)]
mod tests;
