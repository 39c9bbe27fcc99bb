//! The elastic net, scikit-learn's parameterisation.

use super::{
    ball_scale, coef_times, conjugate_en_1d, max_abs, pos_part, separable, soft_threshold, Penalty,
    SeparablePenalty,
};
use crate::{Error, Result, Scalar};

/// The elastic net `g(w) = ρ‖w‖₁ + ½(1 − ρ)‖w‖₂²` with `ρ = l1_ratio ∈ [0, 1]`
/// (scikit-learn's parameterisation: `α·g` is `α·ρ‖w‖₁ + ½α(1−ρ)‖w‖²`).
///
/// * prox: `prox_{t g}(v)_j = soft(v_j, tρ) / (1 + t(1 − ρ))`
/// * subdifferential: `ρ·∂|w_j| + (1 − ρ)·w_j`; the distance is `max(|grad_j| − αρ, 0)` at
///   `w_j = 0` and `|grad_j + αρ·sign(w_j) + α(1−ρ)w_j|` elsewhere
/// * `alpha_max = ‖∇f(0)‖_∞ / ρ`; `None` when `ρ = 0` (ridge)
/// * conjugate of `α·g`: for `ρ < 1`, `Σ_j max(|u_j| − αρ, 0)² / (2α(1 − ρ))` (finite, so
///   `dual_feasible_scale = 1`); for `ρ = 1` the ℓ1 case: the indicator of `‖u‖_∞ ≤ α` and
///   `dual_feasible_scale = min(1, α/‖u‖_∞)`
///
/// ```
/// use proxreg_core::penalty::{ElasticNet, Penalty};
/// let en = ElasticNet::new(0.5_f64)?;
/// let mut w = [3.0, -0.25];
/// assert_eq!(en.value(&w), 0.5 * 3.25 + 0.25 * 9.0625);
/// en.prox_in_place(&mut w, 1.0); // soft(3, 0.5) / 1.5
/// assert_eq!(w, [2.5 / 1.5, 0.0]);
/// assert!(ElasticNet::new(1.5_f64).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElasticNet<T> {
    l1_ratio: T,
}

impl<T: Scalar> ElasticNet<T> {
    /// An elastic net with mixing parameter `l1_ratio` (`1` is the Lasso, `0` is ridge).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `l1_ratio` when it is not in `[0, 1]` (NaN included).
    pub fn new(l1_ratio: T) -> Result<Self> {
        let ok = l1_ratio >= T::zero() && l1_ratio <= T::one();
        if ok {
            Ok(Self { l1_ratio })
        } else {
            Err(Error::InvalidParameter {
                name: "l1_ratio",
                value: l1_ratio.as_f64(),
                expected: "a number in [0, 1]",
            })
        }
    }

    /// The mixing parameter `ρ`.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratio
    }

    #[inline]
    fn l2_ratio(&self) -> T {
        T::one() - self.l1_ratio
    }
}

impl<T: Scalar> Penalty<T> for ElasticNet<T> {
    fn value(&self, w: &[T]) -> T {
        separable::value(w, |x, j| self.value_1d(x, j))
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        if self.l1_ratio > T::zero() {
            Some(max_abs(grad_at_zero) / self.l1_ratio)
        } else {
            None
        }
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let inf = T::infinity();
        let mut total = T::zero();
        for (j, &uj) in u.iter().enumerate() {
            // Always Some for this penalty.
            total += self.conjugate_1d(uj, alpha, -inf, inf, j).unwrap_or(inf);
        }
        Some(total)
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        if self.l1_ratio < T::one() {
            T::one()
        } else {
            ball_scale(max_abs(u), alpha)
        }
    }
    fn elastic_net_parts_1d(&self, _j: usize) -> Option<super::ElasticNetParts<T>> {
        Some(super::ElasticNetParts::unbounded(
            self.l1_ratio,
            self.l2_ratio(),
        ))
    }
}

impl<T: Scalar> SeparablePenalty<T> for ElasticNet<T> {
    #[inline]
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        // `coef_times`: with an infinite (overflowed) step, a zero ratio must not make 0·∞ = NaN.
        soft_threshold(v, coef_times(self.l1_ratio, step))
            / (T::one() + coef_times(self.l2_ratio(), step))
    }
    #[inline]
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        if w_j == T::zero() {
            pos_part(grad_j.abs() - alpha * self.l1_ratio)
        } else {
            (grad_j + alpha * (self.l1_ratio * w_j.signum() + self.l2_ratio() * w_j)).abs()
        }
    }
    #[inline]
    fn value_1d(&self, w_j: T, _j: usize) -> T {
        coef_times(self.l1_ratio, w_j.abs()) + coef_times(self.l2_ratio(), T::lit(0.5) * w_j * w_j)
    }
    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, _j: usize) -> Option<T> {
        Some(conjugate_en_1d(
            u,
            alpha * self.l1_ratio,
            alpha * self.l2_ratio(),
            lower,
            upper,
        ))
    }
    fn quadratic_piece_1d(&self, w_j: T, _j: usize) -> Option<(T, T)> {
        (w_j != T::zero() && w_j.is_finite())
            .then(|| (self.l1_ratio * w_j.signum(), self.l2_ratio()))
    }
}
