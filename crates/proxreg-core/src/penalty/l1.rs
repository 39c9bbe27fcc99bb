//! The ℓ1 norm (Lasso).

use super::{
    ball_scale, conjugate_en_1d, indicator_le, max_abs, pos_part, separable, soft_threshold, Norm,
    Penalty, SeparablePenalty,
};
use crate::Scalar;

/// The ℓ1 norm, `g(w) = Σ_j |w_j|` (Lasso).
///
/// * prox: soft-thresholding, `prox_{t g}(v)_j = sign(v_j) · max(|v_j| − t, 0)`
/// * subdifferential: `{sign(w_j)}` if `w_j ≠ 0`, else `[−1, 1]`
/// * dual norm: `‖·‖_∞`; `alpha_max = ‖∇f(0)‖_∞`
/// * conjugate of `α·g`: the indicator of `{u : ‖u‖_∞ ≤ α}`; `dual_feasible_scale = min(1, α/‖u‖_∞)`
///
/// ```
/// use proxreg_core::penalty::{Penalty, L1};
/// let mut w = [3.0_f64, -0.5, 1.0];
/// L1.prox_in_place(&mut w, 1.0);
/// assert_eq!(w, [2.0, 0.0, 0.0]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct L1;

impl<T: Scalar> Penalty<T> for L1 {
    fn value(&self, w: &[T]) -> T {
        w.iter().map(|x| x.abs()).sum()
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        Some(max_abs(grad_at_zero))
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        // Indicator of the ℓ∞ ball of radius alpha (with a relative slack for rounding).
        Some(indicator_le(max_abs(u), alpha))
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        ball_scale(max_abs(u), alpha)
    }
    fn elastic_net_parts_1d(&self, _j: usize) -> Option<super::ElasticNetParts<T>> {
        Some(super::ElasticNetParts::unbounded(T::one(), T::zero()))
    }
}

impl<T: Scalar> SeparablePenalty<T> for L1 {
    #[inline]
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        soft_threshold(v, step)
    }
    #[inline]
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        if w_j == T::zero() {
            pos_part(grad_j.abs() - alpha)
        } else {
            (grad_j + alpha * w_j.signum()).abs()
        }
    }
    #[inline]
    fn value_1d(&self, w_j: T, _j: usize) -> T {
        w_j.abs()
    }
    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, _j: usize) -> Option<T> {
        Some(conjugate_en_1d(u, alpha, T::zero(), lower, upper))
    }
    fn quadratic_piece_1d(&self, w_j: T, _j: usize) -> Option<(T, T)> {
        (w_j != T::zero() && w_j.is_finite()).then(|| (w_j.signum(), T::zero()))
    }
}

impl<T: Scalar> Norm<T> for L1 {
    fn dual_norm(&self, v: &[T]) -> T {
        max_abs(v)
    }
}
