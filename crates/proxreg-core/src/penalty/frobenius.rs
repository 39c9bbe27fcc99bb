//! Norms of a coefficient matrix: [`Frobenius`] and [`SquaredFrobenius`].

use super::l2::SquaredL2;
use super::{
    ball_scale, block_soft_threshold, indicator_le, l2_block_distance, norm2, Norm, Penalty,
    SeparablePenalty,
};
use crate::{Error, Result, Scalar};

/// Checks a matrix shape: both dimensions positive and the product representable.
pub(crate) fn check_shape(
    rows_name: &'static str,
    rows: usize,
    cols_name: &'static str,
    cols: usize,
) -> Result<usize> {
    if rows == 0 {
        return Err(Error::InvalidParameter {
            name: rows_name,
            value: 0.0,
            expected: "a positive count",
        });
    }
    if cols == 0 {
        return Err(Error::InvalidParameter {
            name: cols_name,
            value: 0.0,
            expected: "a positive count",
        });
    }
    rows.checked_mul(cols).ok_or(Error::InvalidParameter {
        name: cols_name,
        value: cols as f64,
        expected: "a shape whose number of entries fits in usize",
    })
}

/// The Frobenius norm `g(W) = ‖W‖_F = (Σ_{j,k} W_jk²)^{1/2}` of a `rows × cols` coefficient
/// matrix stored row-major in a slice of length `rows·cols`.
///
/// It is the Euclidean norm of the flattened matrix, so the math is [`L2`](super::L2)'s:
/// * prox: `V · max(1 − t/‖V‖_F, 0)`
/// * subdifferential: `{W/‖W‖_F}` if `W ≠ 0`, else the unit Frobenius ball; the one distance is
///   written into every `dist[j]`
/// * dual norm: `‖·‖_F` (self-dual); `alpha_max = ‖∇f(0)‖_F`
/// * conjugate of `α·g`: the indicator of `‖U‖_F ≤ α`; `dual_feasible_scale = min(1, α/‖U‖_F)`
///
/// The shape documents and validates the model; the methods treat whatever slice they get as
/// the flattened matrix (a length other than `rows·cols` is a caller error, asserted in debug
/// builds only).
///
/// ```
/// use proxreg_core::penalty::{Frobenius, Penalty};
/// let fro = Frobenius::new(2, 2)?;
/// assert_eq!(fro.value(&[1.0_f64, 1.0, 1.0, 1.0]), 2.0);
/// assert!(Frobenius::new(0, 3).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frobenius {
    rows: usize,
    cols: usize,
}

impl Frobenius {
    /// The Frobenius norm on `rows × cols` matrices.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `rows` or `cols` when it is 0 (or the product overflows).
    pub fn new(rows: usize, cols: usize) -> Result<Self> {
        check_shape("rows", rows, "cols", cols)?;
        Ok(Self { rows, cols })
    }
    /// Number of rows (features).
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// Number of columns (tasks).
    pub fn cols(&self) -> usize {
        self.cols
    }
    #[inline]
    fn check_len(&self, n: usize) {
        debug_assert_eq!(n, self.rows * self.cols, "slice length vs Frobenius shape");
    }
}

impl<T: Scalar> Penalty<T> for Frobenius {
    fn value(&self, w: &[T]) -> T {
        self.check_len(w.len());
        norm2(w)
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        self.check_len(w.len());
        block_soft_threshold(w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        self.check_len(w.len());
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

impl<T: Scalar> Norm<T> for Frobenius {
    fn dual_norm(&self, v: &[T]) -> T {
        norm2(v)
    }
}

/// Half the squared Frobenius norm, `g(W) = ½‖W‖_F²` (weight decay on a `rows × cols`
/// coefficient matrix, row-major). Separable, not a norm; the math is
/// [`SquaredL2`](super::SquaredL2)'s:
/// * prox: `V/(1 + t)`; subdifferential `{W}`; `alpha_max`: `None`
/// * conjugate of `α·g`: `‖U‖_F²/(2α)` (`α = 0`: `0` at `U = 0`, else `+inf`);
///   `dual_feasible_scale = 1`
///
/// ```
/// use proxreg_core::penalty::{Penalty, SquaredFrobenius};
/// let sq = SquaredFrobenius::new(1, 2)?;
/// let mut w = [2.0_f64, -4.0];
/// assert_eq!(sq.value(&w), 10.0);
/// sq.prox_in_place(&mut w, 1.0);
/// assert_eq!(w, [1.0, -2.0]);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SquaredFrobenius {
    rows: usize,
    cols: usize,
}

impl SquaredFrobenius {
    /// `½‖·‖_F²` on `rows × cols` matrices.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `rows` or `cols` when it is 0 (or the product overflows).
    pub fn new(rows: usize, cols: usize) -> Result<Self> {
        check_shape("rows", rows, "cols", cols)?;
        Ok(Self { rows, cols })
    }
    /// Number of rows (features).
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// Number of columns (tasks).
    pub fn cols(&self) -> usize {
        self.cols
    }
}

// ½‖W‖²_F is ½‖vec(W)‖²: every method is SquaredL2's, with the shape checked in debug builds.
impl<T: Scalar> Penalty<T> for SquaredFrobenius {
    fn value(&self, w: &[T]) -> T {
        debug_assert_eq!(w.len(), self.rows * self.cols);
        <SquaredL2 as Penalty<T>>::value(&SquaredL2, w)
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        debug_assert_eq!(w.len(), self.rows * self.cols);
        SquaredL2.prox_in_place(w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        SquaredL2.subdiff_distance(w, grad, alpha, dist)
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        SquaredL2.conjugate(u, alpha)
    }
    fn elastic_net_parts_1d(&self, j: usize) -> Option<super::ElasticNetParts<T>> {
        SquaredL2.elastic_net_parts_1d(j)
    }
}

impl<T: Scalar> SeparablePenalty<T> for SquaredFrobenius {
    #[inline]
    fn prox_1d(&self, v: T, step: T, j: usize) -> T {
        SquaredL2.prox_1d(v, step, j)
    }
    #[inline]
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, j: usize) -> T {
        SquaredL2.subdiff_distance_1d(w_j, grad_j, alpha, j)
    }
    #[inline]
    fn value_1d(&self, w_j: T, j: usize) -> T {
        <SquaredL2 as SeparablePenalty<T>>::value_1d(&SquaredL2, w_j, j)
    }
    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, j: usize) -> Option<T> {
        SquaredL2.conjugate_1d(u, alpha, lower, upper, j)
    }
    fn quadratic_piece_1d(&self, w_j: T, j: usize) -> Option<(T, T)> {
        SquaredL2.quadratic_piece_1d(w_j, j)
    }
}
