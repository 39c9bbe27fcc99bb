//! The Euclidean norm [`L2`] and its half square [`SquaredL2`] (ridge).

use super::{
    ball_scale, block_soft_threshold, conjugate_en_1d, indicator_le, l2_block_distance, norm2,
    separable, Norm, Penalty, SeparablePenalty,
};
use crate::Scalar;

/// The Euclidean norm itself (not squared), `g(w) = ‖w‖₂` (the group-Lasso term of one group).
///
/// * prox: block soft-thresholding of the whole vector, `prox_{t g}(v) = v · max(1 − t/‖v‖₂, 0)`
/// * subdifferential: `{w/‖w‖₂}` if `w ≠ 0`, else the unit ball `{s : ‖s‖₂ ≤ 1}`; the distance is
///   not separable, so `subdiff_distance` writes the one block distance into every `dist[j]`
/// * dual norm: `‖·‖₂` (self-dual); `alpha_max = ‖∇f(0)‖₂`
/// * conjugate of `α·g`: the indicator of `{u : ‖u‖₂ ≤ α}`; `dual_feasible_scale = min(1, α/‖u‖₂)`
///
/// ```
/// use proxreg_core::penalty::{Penalty, L2};
/// let mut w = [3.0_f64, 4.0];
/// assert_eq!(L2.value(&w), 5.0);
/// L2.prox_in_place(&mut w, 2.5); // shrinks the norm from 5 to 2.5
/// assert_eq!(w, [1.5, 2.0]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct L2;

impl<T: Scalar> Penalty<T> for L2 {
    fn value(&self, w: &[T]) -> T {
        norm2(w)
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        block_soft_threshold(w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        debug_assert_eq!(w.len(), grad.len());
        debug_assert_eq!(w.len(), dist.len());
        let d = l2_block_distance(w, grad, alpha);
        dist.iter_mut().for_each(|x| *x = d);
        d
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        Some(norm2(grad_at_zero))
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        Some(indicator_le(norm2(u), alpha))
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        ball_scale(norm2(u), alpha)
    }
}

impl<T: Scalar> Norm<T> for L2 {
    fn dual_norm(&self, v: &[T]) -> T {
        norm2(v)
    }
}

/// Half the squared Euclidean norm, `g(w) = ½‖w‖₂²` (ridge, weight decay). Not a norm.
///
/// * prox: `prox_{t g}(v) = v / (1 + t)`
/// * subdifferential: `{w}` (differentiable), so the distance is `|grad_j + α·w_j|`
/// * `alpha_max`: `None` — no finite `α` makes `w = 0` optimal unless `∇f(0) = 0`
/// * conjugate of `α·g`: `‖u‖₂²/(2α)` for `α > 0`; for `α = 0`, `0` at `u = 0` and `+inf`
///   elsewhere; `dual_feasible_scale = 1` (the conjugate is finite everywhere when `α > 0`)
///
/// ```
/// use proxreg_core::penalty::{Penalty, SquaredL2};
/// let mut w = [3.0_f64, -1.0];
/// assert_eq!(SquaredL2.value(&w), 5.0);
/// SquaredL2.prox_in_place(&mut w, 1.0);
/// assert_eq!(w, [1.5, -0.5]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SquaredL2;

impl<T: Scalar> Penalty<T> for SquaredL2 {
    fn value(&self, w: &[T]) -> T {
        half_squared_norm(w)
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        Some(conjugate_squared(u, alpha))
    }
    fn elastic_net_parts_1d(&self, _j: usize) -> Option<super::ElasticNetParts<T>> {
        Some(super::ElasticNetParts::unbounded(T::zero(), T::one()))
    }
}

impl<T: Scalar> SeparablePenalty<T> for SquaredL2 {
    #[inline]
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        v / (T::one() + step)
    }
    #[inline]
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        (grad_j + alpha * w_j).abs()
    }
    #[inline]
    fn value_1d(&self, w_j: T, _j: usize) -> T {
        T::lit(0.5) * w_j * w_j
    }
    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, _j: usize) -> Option<T> {
        Some(conjugate_en_1d(u, T::zero(), alpha, lower, upper))
    }
    fn quadratic_piece_1d(&self, w_j: T, _j: usize) -> Option<(T, T)> {
        (w_j != T::zero() && w_j.is_finite()).then(|| (T::zero(), T::one()))
    }
}

/// `½ Σ w_j²`.
#[inline]
pub(crate) fn half_squared_norm<T: Scalar>(w: &[T]) -> T {
    T::lit(0.5) * w.iter().map(|&x| x * x).sum::<T>()
}

/// The conjugate of `α·½‖·‖²` at `u`: `‖u‖²/(2α)`, or for `α = 0` the indicator of `{0}`.
#[inline]
pub(crate) fn conjugate_squared<T: Scalar>(u: &[T], alpha: T) -> T {
    if alpha > T::zero() {
        u.iter().map(|&x| x * x).sum::<T>() / (alpha + alpha)
    } else if alpha.is_nan() {
        T::nan()
    } else {
        u.iter().fold(T::zero(), |acc, &x| {
            if x.is_nan() || acc.is_nan() {
                T::nan()
            } else if x == T::zero() {
                acc
            } else {
                T::infinity()
            }
        })
    }
}
