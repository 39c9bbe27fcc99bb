//! Box constraints (and non-negativity) on top of a separable penalty.

use super::{separable, Penalty, SeparablePenalty};
use crate::{Error, Result, Scalar};

/// A separable penalty restricted to a box, `g(w) + ι_{[l, u]^p}(w)`: every coefficient must lie
/// in `[lower, upper]` (non-negative Lasso: `Bounded::nonnegative(L1)`).
///
/// The box must contain 0 (`lower ≤ 0 ≤ upper`, either may be infinite) so that `w = 0` is
/// feasible and `alpha_max` is meaningful.
///
/// * value: `g(w)` inside the box, `+inf` outside
/// * prox: for a convex 1-D `g_j`, `prox_{t(g_j + ι)}(v) = clip(prox_{t g_j}(v), lower, upper)`
/// * subdifferential: `∂g_j(w_j) + N(w_j)` with the normal cone `N = [0, +inf)` at `w_j = upper`,
///   `(−inf, 0]` at `w_j = lower`, `{0}` inside and ℝ when `lower = upper = 0`; the distance is
///   computed from the inner distance alone (a second probe tells on which side of the inner
///   subdifferential `−grad_j` lies). Outside the box the distance is `+inf`.
/// * `alpha_max`: the inner `alpha_max` of the gradient whose entries the cone absorbs are set to
///   0 (with `lower = 0`, a positive `∇f(0)_j` pushes `w_j` below 0 and is harmless: for
///   `Bounded::nonnegative(L1)`, `alpha_max = max(max_j −∇f(0)_j, 0)`). Exact when each `g_j` is
///   even with its minimum at 0, as for every built-in penalty.
/// * conjugate of `α·g`: `Σ_j sup_{lower ≤ z ≤ upper} u_j z − α g_j(z)` through the inner
///   [`SeparablePenalty::conjugate_1d`] (`None` if the inner penalty does not provide it); for
///   `Bounded::nonnegative(L1)` it is the indicator of `u_j ≤ α` for all `j`.
/// * `dual_feasible_scale`: the inner rule applied to `u` with the entries that a finite bound
///   makes harmless set to 0 (right when the inner conjugate's domain is a symmetric product of
///   intervals, as for every built-in penalty).
///
/// ```
/// use proxreg_core::penalty::{Bounded, Penalty, L1};
/// let pen = Bounded::nonnegative(L1);
/// let mut w = [3.0_f64, -3.0];
/// pen.prox_in_place(&mut w, 1.0);
/// assert_eq!(w, [2.0, 0.0]);
/// assert_eq!(pen.value(&[-1.0_f64]), f64::INFINITY);
/// assert!(Bounded::new(L1, 1.0_f64, -1.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounded<P, T> {
    inner: P,
    lower: T,
    upper: T,
}

impl<P, T: Scalar> Bounded<P, T> {
    /// `inner` restricted to `[lower, upper]` in every coordinate.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `lower` or `upper` when either is NaN, when
    /// `lower > upper`, or when the box does not contain 0 (`lower > 0` or `upper < 0`).
    pub fn new(inner: P, lower: T, upper: T) -> Result<Self> {
        if lower.is_nan() {
            return Err(Error::InvalidParameter {
                name: "lower",
                value: lower.as_f64(),
                expected: "a number (not NaN)",
            });
        }
        if upper.is_nan() {
            return Err(Error::InvalidParameter {
                name: "upper",
                value: upper.as_f64(),
                expected: "a number (not NaN)",
            });
        }
        if lower > upper {
            return Err(Error::InvalidParameter {
                name: "lower",
                value: lower.as_f64(),
                expected: "a bound <= upper",
            });
        }
        if lower > T::zero() {
            return Err(Error::InvalidParameter {
                name: "lower",
                value: lower.as_f64(),
                expected: "a bound <= 0 (the box must contain 0)",
            });
        }
        if upper < T::zero() {
            return Err(Error::InvalidParameter {
                name: "upper",
                value: upper.as_f64(),
                expected: "a bound >= 0 (the box must contain 0)",
            });
        }
        Ok(Self {
            inner,
            lower,
            upper,
        })
    }

    /// `inner` restricted to `w ≥ 0` (positive Lasso / elastic net).
    pub fn nonnegative(inner: P) -> Self {
        Self {
            inner,
            lower: T::zero(),
            upper: T::infinity(),
        }
    }
    /// The inner penalty.
    pub fn inner(&self) -> &P {
        &self.inner
    }
    /// The lower bound.
    pub fn lower(&self) -> T {
        self.lower
    }
    /// The upper bound.
    pub fn upper(&self) -> T {
        self.upper
    }

    #[inline]
    fn clip(&self, x: T) -> T {
        if x < self.lower {
            self.lower
        } else if x > self.upper {
            self.upper
        } else {
            x
        }
    }

    #[inline]
    fn outside(&self, x: T) -> bool {
        x < self.lower || x > self.upper
    }

    /// Zeroes the entries of `g` that the normal cone at 0 absorbs: with `lower = 0` a positive
    /// entry (its `−g_j` points below the box), with `upper = 0` a negative one.
    fn cone_reduced(&self, g: &[T]) -> Vec<T> {
        let zero = T::zero();
        g.iter()
            .map(|&x| {
                let absorbed = (self.lower == zero && x > zero) || (self.upper == zero && x < zero);
                if absorbed {
                    zero
                } else {
                    x
                }
            })
            .collect()
    }
}

impl<T: Scalar, P: SeparablePenalty<T>> Penalty<T> for Bounded<P, T> {
    fn value(&self, w: &[T]) -> T {
        if w.iter().any(|&x| self.outside(x)) {
            T::infinity()
        } else {
            self.inner.value(w)
        }
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn is_penalized(&self, j: usize) -> bool {
        self.inner.is_penalized(j)
    }
    fn in_support(&self, w_j: T) -> bool {
        self.inner.in_support(w_j)
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        self.inner.alpha_max(&self.cone_reduced(grad_at_zero))
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let inf = T::infinity();
        let mut total = T::zero();
        for (j, &uj) in u.iter().enumerate() {
            total += self.conjugate_1d(uj, alpha, -inf, inf, j)?;
        }
        Some(total)
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        // A finite bound on the side u_j pushes towards makes that coordinate's conjugate finite.
        let zero = T::zero();
        let reduced: Vec<T> = u
            .iter()
            .map(|&x| {
                let capped =
                    (x > zero && self.upper.is_finite()) || (x < zero && self.lower.is_finite());
                if capped {
                    zero
                } else {
                    x
                }
            })
            .collect();
        self.inner.dual_feasible_scale(&reduced, alpha)
    }
    fn elastic_net_parts_1d(&self, j: usize) -> Option<super::ElasticNetParts<T>> {
        let p = self.inner.elastic_net_parts_1d(j)?;
        Some(super::ElasticNetParts {
            lower: p.lower.max(self.lower),
            upper: p.upper.min(self.upper),
            ..p
        })
    }
}

impl<T: Scalar, P: SeparablePenalty<T>> SeparablePenalty<T> for Bounded<P, T> {
    #[inline]
    fn prox_1d(&self, v: T, step: T, j: usize) -> T {
        self.clip(self.inner.prox_1d(v, step, j))
    }

    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, j: usize) -> T {
        if self.outside(w_j) {
            return T::infinity();
        }
        let at_upper = w_j == self.upper;
        let at_lower = w_j == self.lower;
        if at_upper && at_lower {
            // lower = upper = 0: the normal cone is the whole line.
            return if grad_j.is_nan() { grad_j } else { T::zero() };
        }
        let d = self.inner.subdiff_distance_1d(w_j, grad_j, alpha, j);
        let violated = d > T::zero();
        if !violated || !(at_upper || at_lower) {
            return d;
        }
        // x = −grad_j is at distance d from the interval α∂g_j(w_j) = [a, b]. Probe x moved by
        // d towards the side the cone does not cover: if x was outside on that side, the probe
        // lands on the interval (distance ≈ 0); if on the covered side, at distance 2d.
        let probe = if at_upper {
            // N = [0, inf): only x < a counts; probe x + d.
            self.inner.subdiff_distance_1d(w_j, grad_j - d, alpha, j)
        } else {
            // N = (−inf, 0]: only x > b counts; probe x − d.
            self.inner.subdiff_distance_1d(w_j, grad_j + d, alpha, j)
        };
        if probe < d {
            d
        } else {
            T::zero()
        }
    }

    fn value_1d(&self, w_j: T, j: usize) -> T {
        if self.outside(w_j) {
            T::infinity()
        } else {
            self.inner.value_1d(w_j, j)
        }
    }

    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, j: usize) -> Option<T> {
        self.inner
            .conjugate_1d(u, alpha, self.lower.max(lower), self.upper.min(upper), j)
    }
}
