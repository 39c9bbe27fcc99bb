//! The row-group norm `L2,1` of a multi-task coefficient matrix.

use super::frobenius::check_shape;
use super::{
    ball_scale, block_soft_threshold, indicator_le, l2_block_distance, norm2,
    BlockSeparablePenalty, Norm, Penalty,
};
use crate::{Result, Scalar};

/// The `ℓ2,1` norm of a `p × k` coefficient matrix (`p` features, `k` tasks),
/// `g(W) = Σ_j ‖W_j,:‖₂`: the multi-task Lasso penalty, which selects whole rows (features).
///
/// `W` is stored **row-major**: row `j` is `w[j*k .. (j+1)*k]`, so each row is a block of
/// [`BlockSeparablePenalty`] (block `b` = row `b`, block size `k`).
/// * prox: block soft-thresholding of each row, `V_j,: · max(1 − t/‖V_j,:‖₂, 0)`
/// * subdifferential (per row): `{W_j,:/‖W_j,:‖₂}` if the row is non-zero, else the unit ball;
///   `subdiff_distance` writes the row's distance into each coordinate of the row
/// * dual norm: `max_j ‖V_j,:‖₂` (`ℓ2,∞`); `alpha_max = max_j ‖∇f(0)_j,:‖₂`
/// * conjugate of `α·g`: the indicator of `max_j ‖U_j,:‖₂ ≤ α`;
///   `dual_feasible_scale = min(1, α / max_j ‖U_j,:‖₂)`
///
/// A slice whose length is not `p·k` is a caller error (asserted in debug builds); release
/// builds treat it as consecutive rows of `k` with a shorter last row.
///
/// ```
/// use proxreg_core::penalty::{Norm, Penalty, L21};
/// let l21 = L21::new(2, 2)?; // 2 features, 2 tasks
/// let mut w = [3.0_f64, 4.0, 0.3, 0.4];
/// assert_eq!(l21.value(&w), 5.5);
/// l21.prox_in_place(&mut w, 2.5); // row 0 shrinks to norm 2.5, row 1 vanishes
/// assert_eq!(w, [1.5, 2.0, 0.0, 0.0]);
/// assert_eq!(l21.dual_norm(&[3.0, 4.0, 0.0, 1.0]), 5.0);
/// assert!(L21::new(3, 0).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L21 {
    n_features: usize,
    n_tasks: usize,
}

impl L21 {
    /// The `ℓ2,1` norm on `n_features × n_tasks` matrices.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] naming `n_features` or `n_tasks` when it is 0 (or the
    /// product overflows).
    pub fn new(n_features: usize, n_tasks: usize) -> Result<Self> {
        check_shape("n_features", n_features, "n_tasks", n_tasks)?;
        Ok(Self {
            n_features,
            n_tasks,
        })
    }
    /// Number of features `p` (rows, blocks).
    pub fn n_features(&self) -> usize {
        self.n_features
    }
    /// Number of tasks `k` (columns, the block size).
    pub fn n_tasks(&self) -> usize {
        self.n_tasks
    }
    #[inline]
    fn check_len(&self, n: usize) {
        debug_assert_eq!(
            n,
            self.n_features * self.n_tasks,
            "slice length vs L21 shape"
        );
    }
}

impl<T: Scalar> Penalty<T> for L21 {
    fn value(&self, w: &[T]) -> T {
        self.check_len(w.len());
        w.chunks(self.n_tasks).map(norm2).sum()
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        self.check_len(w.len());
        for row in w.chunks_mut(self.n_tasks) {
            block_soft_threshold(row, step);
        }
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        self.check_len(w.len());
        debug_assert_eq!(w.len(), grad.len());
        debug_assert_eq!(w.len(), dist.len());
        let k = self.n_tasks;
        let mut worst = T::zero();
        for ((wb, gb), db) in w.chunks(k).zip(grad.chunks(k)).zip(dist.chunks_mut(k)) {
            let d = l2_block_distance(wb, gb, alpha);
            db.iter_mut().for_each(|x| *x = d);
            if d > worst || d.is_nan() {
                worst = d;
            }
        }
        worst
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        Some(self.dual_norm(grad_at_zero))
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        Some(indicator_le(self.dual_norm(u), alpha))
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        ball_scale(self.dual_norm(u), alpha)
    }
    fn elastic_net_parts_block(&self, _b: usize) -> Option<super::ElasticNetParts<T>> {
        Some(super::ElasticNetParts::unbounded(T::one(), T::zero()))
    }
}

impl<T: Scalar> Norm<T> for L21 {
    fn dual_norm(&self, v: &[T]) -> T {
        v.chunks(self.n_tasks).map(norm2).fold(
            T::zero(),
            |m, x| {
                if x > m || x.is_nan() {
                    x
                } else {
                    m
                }
            },
        )
    }
}

impl<T: Scalar> BlockSeparablePenalty<T> for L21 {
    fn block_size(&self) -> usize {
        self.n_tasks
    }
    fn prox_block(&self, v: &mut [T], step: T, _b: usize) {
        block_soft_threshold(v, step);
    }
    fn subdiff_distance_block(&self, w_b: &[T], grad_b: &[T], alpha: T, _b: usize) -> T {
        l2_block_distance(w_b, grad_b, alpha)
    }
    fn value_block(&self, w_b: &[T], _b: usize) -> T {
        norm2(w_b)
    }
    fn conjugate_block(&self, u_b: &[T], alpha: T, _b: usize) -> Option<T> {
        Some(indicator_le(norm2(u_b), alpha))
    }
    fn zero_subdiff_radius(&self, alpha: T, _b: usize) -> Option<T> {
        Some(alpha)
    }
}
