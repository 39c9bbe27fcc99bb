//! Datafits (losses): the second axis of `min_{w,b} (1/m)·Σ_i s_i·ℓ(y_i, η_i) + α·g(w)`.
//!
//! A datafit is a per-sample loss `ℓ(y, η)` of a target `y` and a linear predictor
//! `η = x_iᵀw + b`. The engine sums it with the (normalised) sample weights and applies the
//! design itself, so a datafit is a handful of scalar functions: the loss, its first and second
//! derivatives in `η`, a bound on the second derivative (coordinate-descent steps), its Fenchel
//! conjugate in `η` (the duality gap), the best constant predictor (the null model) and the
//! inverse link (predictions). [`Quadratic`] (least squares, `ℓ = ½(y − η)²`), [`Logistic`]
//! (binomial, `ℓ = log(1 + e^η) − y·η`), [`Poisson`] (log link, `ℓ = e^η − y·η`) and [`Huber`]
//! (robust regression) are built in; a datafit of your own implements
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

mod huber;
mod logistic;
mod poisson;
mod quadratic;

pub use huber::Huber;
pub use logistic::{log_sigmoid, sigmoid, softplus, Logistic};
pub use poisson::Poisson;
pub use quadratic::Quadratic;

use crate::{Error, Result, Scalar};

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
    /// [`Error::InvalidTarget`] when there is no finite minimiser
    /// (a logistic model on one class only).
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T>;

    /// The best constant predictor next to a per-sample offset:
    /// `argmin_c Σ_i s_i·ℓ(y_i, c + o_i)`, the null model's intercept when the linear predictor
    /// is `η = Xw + b + o` (Poisson's log exposure). Provided: a safeguarded Newton iteration
    /// on the convex one-dimensional problem, started at [`null_eta`](Datafit::null_eta) minus
    /// the weighted mean offset; override it where a closed form exists.
    ///
    /// # Errors
    /// As [`null_eta`](Datafit::null_eta); [`Error::Numerical`] when
    /// no finite minimiser is found.
    fn null_eta_offset(&self, y: &[T], s: Option<&[T]>, offset: &[T]) -> Result<T> {
        let (o_bar, _) = weighted_mean(offset, s);
        let start = self.null_eta(y, s)? - o_bar;
        minimize_1d(self, y, s, offset, start)
    }

    /// `inf_η ℓ(y, η)`, the loss of the saturated model, so that
    /// `2·Σ_i s̄_i·(ℓ(y_i, η_i) − saturated(y_i))` is the deviance: the scale of the relative
    /// duality gap. Provided: `0` (least squares, logistic labels, Huber); Poisson's is
    /// `y − y·log y`.
    fn saturated(&self, _y: T) -> T {
        T::zero()
    }

    /// The mean response `μ(η)` (the inverse link): `η` for least squares, the probability
    /// `σ(η)` for logistic.
    fn mean(&self, eta: T) -> T;

    /// Checks the targets are in the loss's domain (finite for every datafit; in `[0, 1]` for
    /// logistic), NaN-safe. Provided: finiteness.
    ///
    /// # Errors
    /// [`Error::NonFinite`] or
    /// [`Error::InvalidTarget`] naming the first bad entry.
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
    fn null_eta_offset(&self, y: &[T], s: Option<&[T]>, offset: &[T]) -> Result<T> {
        (**self).null_eta_offset(y, s, offset)
    }
    fn saturated(&self, y: T) -> T {
        (**self).saturated(y)
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

/// `x·log x` with `0·log 0 = 0`.
pub(crate) fn xlogx<T: Scalar>(x: T) -> T {
    if x > T::zero() {
        x * x.ln()
    } else {
        T::zero()
    }
}

/// `argmin_c φ(c)`, `φ(c) = Σ_i s_i·ℓ(y_i, c + o_i)`, for a convex `ℓ`: a bracket on the
/// monotone derivative `φ'` found by doubling steps from `start`, then Newton steps kept inside
/// the bracket (bisection when a step leaves it or the curvature vanishes, as for Huber's
/// linear pieces), to the rounding of `φ'`.
pub(crate) fn minimize_1d<T: Scalar, F: Datafit<T> + ?Sized>(
    f: &F,
    y: &[T],
    s: Option<&[T]>,
    offset: &[T],
    start: T,
) -> Result<T> {
    let w = |i: usize| s.map_or(T::one(), |s| s[i]);
    // φ'(c), φ''(c) and Σ s_i·|ℓ'| (the rounding scale of φ').
    let eval = |c: T| {
        let (mut d, mut h, mut a) = (T::zero(), T::zero(), T::zero());
        for i in 0..y.len() {
            let g = f.deriv(y[i], c + offset[i]);
            d += w(i) * g;
            a += w(i) * g.abs();
            h += w(i) * f.hessian(y[i], c + offset[i]);
        }
        (d, h, a)
    };
    let fail = Error::Numerical {
        what: "null model",
        reason: "no finite best constant predictor (the datafit's targets admit none)",
    };
    let start = if start.is_finite() { start } else { T::zero() };
    let (d0, _, _) = eval(start);
    if !d0.is_finite() {
        return Err(fail);
    }
    if d0 == T::zero() {
        return Ok(start);
    }
    // Bracket [lo, hi] with φ'(lo) ≤ 0 ≤ φ'(hi).
    let dir = if d0 > T::zero() { -T::one() } else { T::one() };
    let mut step = T::one().max(start.abs());
    let mut far = start;
    let mut found = false;
    for _ in 0..200 {
        far = start + dir * step;
        let (d, _, _) = eval(far);
        if !far.is_finite() || d.is_nan() {
            return Err(fail);
        }
        if (d > T::zero()) != (d0 > T::zero()) || d == T::zero() {
            found = true;
            break;
        }
        step += step;
    }
    if !found {
        return Err(fail);
    }
    let (mut lo, mut hi) = if dir > T::zero() {
        (start, far)
    } else {
        (far, start)
    };
    let mut c = start;
    for _ in 0..400 {
        let (d, h, a) = eval(c);
        if d.abs() <= T::epsilon() * T::lit(8.0) * a {
            return Ok(c);
        }
        if d > T::zero() {
            hi = c;
        } else {
            lo = c;
        }
        let newton = c - d / h;
        let next = if h > T::zero() && newton > lo && newton < hi {
            newton
        } else {
            lo + (hi - lo) * T::lit(0.5)
        };
        if next == c {
            return Ok(c);
        }
        if (hi - lo) <= T::epsilon() * (lo.abs().max(hi.abs())) {
            return Ok(lo + (hi - lo) * T::lit(0.5));
        }
        c = next;
    }
    Ok(c)
}

#[cfg(test)]
mod tests;
