//! The multi-task Elastic Net penalty `ρ Σ_j ‖W_j,:‖₂ + ½(1−ρ)‖W‖²_F`.

use super::{
    ball_scale, block_soft_threshold, coef_times, indicator_le, norm2, norm2_map,
    BlockSeparablePenalty, Penalty,
};
use crate::{Error, Result, Scalar};

/// `g(W) = ρ Σ_j ‖W_j,:‖₂ + ½(1−ρ)‖W‖²_F` on a `p × k` coefficient matrix stored row-major
/// (scikit-learn's `MultiTaskElasticNet` penalty; `ρ = 1` is [`L21`](super::L21)).
///
/// * prox of `t·g` on a row `v`: `block_soft_threshold(v, tρ) / (1 + t(1−ρ))`
/// * subdifferential of a row: `ρ·∂‖W_j‖₂ + (1−ρ)W_j`
/// * conjugate of `α·g`: `Σ_j max(‖U_j‖₂ − αρ, 0)² / (2α(1−ρ))` for `ρ < 1`
/// * `alpha_max = max_j ‖∇f(0)_j,:‖₂ / ρ` (none for `ρ = 0`)
///
/// ```
/// use proxreg_core::penalty::{L21ElasticNet, Penalty};
/// let g = L21ElasticNet::new(0.5_f64, 2, 2)?;
/// let mut w = [3.0, 4.0, 0.1, 0.0];
/// g.prox_in_place(&mut w, 1.0);
/// // row 0: ‖(3,4)‖ = 5 shrunk by 0.5, then divided by 1.5; row 1 is set to zero
/// assert!((w[0] - 3.0 * 0.9 / 1.5).abs() < 1e-12 && w[2] == 0.0);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct L21ElasticNet<T> {
    l1_ratio: T,
    n_features: usize,
    n_tasks: usize,
}

impl<T: Scalar> L21ElasticNet<T> {
    /// `l1_ratio` ρ ∈ [0, 1] on a `n_features × n_tasks` matrix.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for ρ outside [0, 1] or NaN; [`Error::Empty`] for a zero
    /// dimension.
    pub fn new(l1_ratio: T, n_features: usize, n_tasks: usize) -> Result<Self> {
        let ok = l1_ratio >= T::zero() && l1_ratio <= T::one();
        if !ok {
            return Err(Error::InvalidParameter {
                name: "l1_ratio",
                value: l1_ratio.as_f64(),
                expected: "a number in [0, 1]",
            });
        }
        if n_features == 0 || n_tasks == 0 {
            return Err(Error::Empty {
                what: "L21ElasticNet shape",
            });
        }
        Ok(Self {
            l1_ratio,
            n_features,
            n_tasks,
        })
    }

    /// ρ.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratio
    }

    fn rows<'a>(&self, w: &'a [T]) -> impl Iterator<Item = &'a [T]> {
        w.chunks(self.n_tasks.max(1))
    }
}

impl<T: Scalar> Penalty<T> for L21ElasticNet<T> {
    fn value(&self, w: &[T]) -> T {
        let half = T::lit(0.5);
        let rho = self.l1_ratio;
        self.rows(w)
            .map(|r| {
                let nr = norm2(r);
                coef_times(rho, nr) + coef_times(T::one() - rho, half * nr * nr)
            })
            .sum()
    }

    fn prox_in_place(&self, w: &mut [T], step: T) {
        super::separable::prox_in_place_blocks(self, w, step);
    }

    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        super::separable::subdiff_distance_blocks(self, w, grad, alpha, dist)
    }

    fn in_support(&self, w_j: T) -> bool {
        w_j != T::zero()
    }

    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        if self.l1_ratio <= T::zero() {
            return None;
        }
        let m = self
            .rows(grad_at_zero)
            .map(norm2)
            .fold(T::zero(), |a, b| a.max(b));
        Some(m / self.l1_ratio)
    }

    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let rho = self.l1_ratio;
        let max_row = self.rows(u).map(norm2).fold(T::zero(), |a, b| a.max(b));
        if alpha <= T::zero() {
            return Some(indicator_le(max_row, T::zero()));
        }
        if rho >= T::one() {
            return Some(indicator_le(max_row, alpha));
        }
        let denom = T::lit(2.0) * alpha * (T::one() - rho);
        Some(
            self.rows(u)
                .map(|r| {
                    let e = (norm2(r) - alpha * rho).max(T::zero());
                    // e·(e/denom), not e²/denom: e² underflows for data at 1e-150.
                    e * (e / denom)
                })
                .sum(),
        )
    }

    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        if self.l1_ratio < T::one() && alpha > T::zero() {
            return T::one();
        }
        let max_row = self.rows(u).map(norm2).fold(T::zero(), |a, b| a.max(b));
        ball_scale(max_row, alpha * self.l1_ratio)
    }
    fn elastic_net_parts_block(&self, _b: usize) -> Option<super::ElasticNetParts<T>> {
        Some(super::ElasticNetParts::unbounded(
            self.l1_ratio,
            T::one() - self.l1_ratio,
        ))
    }
}

impl<T: Scalar> BlockSeparablePenalty<T> for L21ElasticNet<T> {
    fn block_size(&self) -> usize {
        self.n_tasks
    }

    fn prox_block(&self, v: &mut [T], step: T, _b: usize) {
        let rho = self.l1_ratio;
        block_soft_threshold(v, coef_times(rho, step));
        let shrink = T::one() / (T::one() + coef_times(T::one() - rho, step));
        v.iter_mut().for_each(|x| *x *= shrink);
    }

    fn subdiff_distance_block(&self, w_b: &[T], grad_b: &[T], alpha: T, _b: usize) -> T {
        let rho = self.l1_ratio;
        let nw = norm2(w_b);
        if nw == T::zero() {
            (norm2(grad_b) - alpha * rho).max(T::zero())
        } else {
            // Scaled norm: the entries are of the gradient's scale, whose square may overflow
            // (data scaled by 1e150) or underflow (1e-150).
            let n = w_b.len().min(grad_b.len());
            let l2 = alpha * (T::one() - rho);
            norm2_map(n, |i| {
                let wi = w_b[i];
                grad_b[i] + alpha * rho * (wi / nw) + coef_times(l2, wi)
            })
        }
    }

    fn zero_subdiff_radius(&self, alpha: T, _b: usize) -> Option<T> {
        Some(alpha * self.l1_ratio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructor_rejects_bad_parameters() {
        assert!(L21ElasticNet::new(1.5_f64, 2, 2).is_err());
        assert!(L21ElasticNet::new(f64::NAN, 2, 2).is_err());
        assert!(L21ElasticNet::new(0.5_f64, 0, 2).is_err());
        assert!(L21ElasticNet::new(0.5_f32, 2, 0).is_err());
    }

    #[test]
    fn prox_satisfies_its_optimality_condition() {
        let g = L21ElasticNet::new(0.3_f64, 3, 2).unwrap();
        let v = [1.0, -2.0, 0.05, 0.02, -0.7, 0.4];
        for t in [0.1, 0.5, 2.0] {
            let mut p = v;
            g.prox_in_place(&mut p, t);
            // (v − p)/t ∈ ∂g(p)  <=>  dist(−(p − v)/t, ∂g(p)) = 0
            let grad: Vec<f64> = v.iter().zip(&p).map(|(a, b)| (b - a) / t).collect();
            let mut d = [0.0; 6];
            assert!(g.subdiff_distance(&p, &grad, 1.0, &mut d) < 1e-12);
        }
    }

    #[test]
    fn fenchel_young_holds_with_equality_on_the_subdifferential() {
        let g = L21ElasticNet::new(0.6_f64, 2, 2).unwrap();
        let w = [0.5, -1.0, 0.0, 0.0];
        // u ∈ α∂g(w): row 0: α(ρ w/‖w‖ + (1−ρ)w), row 1: anything of norm ≤ αρ.
        let alpha = 0.7;
        let nw = (0.25f64 + 1.0).sqrt();
        let u = [
            alpha * (0.6 * 0.5 / nw + 0.4 * 0.5),
            -alpha * (0.6 / nw + 0.4),
            0.1,
            -0.2,
        ];
        let lhs = alpha * g.value(&w) + g.conjugate(&u, alpha).unwrap();
        let inner: f64 = w.iter().zip(&u).map(|(a, b)| a * b).sum();
        assert!((lhs - inner).abs() < 1e-12, "{lhs} vs {inner}");
    }
}
