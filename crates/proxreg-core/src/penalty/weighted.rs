//! Per-feature penalty factors: [`Weighted`] (coordinates) and [`WeightedBlocks`] (rows).

use super::{separable, BlockSeparablePenalty, Penalty, SeparablePenalty};
use crate::error::ensure_all_finite;
use crate::{Error, Result, Scalar};

/// Validates penalty factors: non-empty, finite, `>= 0`.
fn check_factors<T: Scalar>(factors: &[T]) -> Result<()> {
    if factors.is_empty() {
        return Err(Error::Empty { what: "factors" });
    }
    ensure_all_finite("factors", factors)?;
    // All finite now; NaN-safe anyway.
    if let Some(&bad) = factors.iter().find(|&&c| {
        let ok = c >= T::zero();
        !ok
    }) {
        return Err(Error::InvalidParameter {
            name: "factors",
            value: bad.as_f64(),
            expected: "finite penalty factors >= 0",
        });
    }
    Ok(())
}

/// `c · v` with the convention `0 · (±inf) = ±inf`, so a constraint (`+inf` outside a box)
/// survives a zero factor.
#[inline]
fn scaled<T: Scalar>(c: T, v: T) -> T {
    if c == T::zero() && v.is_infinite() {
        v
    } else {
        c * v
    }
}

/// `g / c` for a penalised coordinate, `0` for an unpenalised one.
#[inline]
fn unscale<T: Scalar>(g: T, c: T) -> T {
    if c > T::zero() {
        g / c
    } else {
        T::zero()
    }
}

/// A separable penalty with per-feature penalty factors, `g(w) = Σ_j c_j · g_j(w_j)`, `c_j ≥ 0`.
///
/// `c_j = 0` leaves coordinate `j` unpenalised (like glmnet's `penalty.factor`). The factors are
/// used **as given**: glmnet rescales them internally to sum to the number of features, which
/// changes what `α` means; proxreg does not (multiply `α` by `p / Σ_j c_j` to reproduce glmnet).
///
/// * prox: `prox_1d(v, t, j) = inner.prox_1d(v, t·c_j, j)`
/// * subdifferential: `c_j · ∂g_j(w_j)`, i.e. the inner distance with `α·c_j`
/// * `is_penalized(j) = c_j > 0` (and the inner penalty penalises `j`)
/// * `alpha_max`: the inner `alpha_max` of the gradient with entry `j` divided by `c_j`
///   (for [`L1`](super::L1): `max_{c_j > 0} |∇f(0)_j| / c_j`). It **assumes the unpenalised
///   coordinates are at their optimum**: pass the gradient at the point where the penalised
///   coefficients are 0 and the unpenalised ones are optimal (then their gradient entries are 0);
///   entries of unpenalised coordinates are ignored.
/// * conjugate of `α·g`: `Σ_j (α c_j g_j)*(u_j)` through [`SeparablePenalty::conjugate_1d`] of
///   the inner penalty (`None` if it does not provide it). An unpenalised coordinate contributes
///   `+inf` unless `u_j = 0`.
/// * `dual_feasible_scale`: the inner rule applied to `u_j / c_j` (unpenalised entries set to
///   0), right for every built-in inner penalty. It cannot repair a non-zero `u_j` on an
///   unpenalised coordinate: the solver must keep those at their optimum.
///
/// Coordinates beyond `factors.len()` get the factor 1.
///
/// ```
/// use proxreg_core::penalty::{Penalty, Weighted, L1};
/// let pen = Weighted::new(L1, vec![0.0_f64, 1.0, 2.0])?;
/// let mut w = [3.0, 3.0, 3.0];
/// pen.prox_in_place(&mut w, 1.0);
/// assert_eq!(w, [3.0, 2.0, 1.0]); // the first coordinate is unpenalised
/// assert_eq!(pen.alpha_max(&[0.0, 1.0, 4.0]), Some(2.0));
/// assert!(Weighted::new(L1, vec![1.0, -1.0_f64]).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Weighted<P, T> {
    inner: P,
    factors: Vec<T>,
}

impl<P, T: Scalar> Weighted<P, T> {
    /// Weights the coordinates of `inner` by `factors`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no factors, [`Error::NonFinite`] for a NaN or infinite factor (with
    /// its index), [`Error::InvalidParameter`] naming `factors` for a negative one.
    pub fn new(inner: P, factors: Vec<T>) -> Result<Self> {
        check_factors(&factors)?;
        Ok(Self { inner, factors })
    }
    /// The inner penalty.
    pub fn inner(&self) -> &P {
        &self.inner
    }
    /// The penalty factors.
    pub fn factors(&self) -> &[T] {
        &self.factors
    }
    /// The factor of coordinate `j` (1 beyond the end).
    #[inline]
    pub fn factor(&self, j: usize) -> T {
        self.factors.get(j).copied().unwrap_or_else(T::one)
    }
    fn unscaled(&self, g: &[T]) -> Vec<T> {
        g.iter()
            .enumerate()
            .map(|(j, &x)| unscale(x, self.factor(j)))
            .collect()
    }
}

impl<T: Scalar, P: SeparablePenalty<T>> Penalty<T> for Weighted<P, T> {
    fn value(&self, w: &[T]) -> T {
        debug_assert_eq!(w.len(), self.factors.len(), "slice length vs factors");
        separable::value(w, |x, j| self.value_1d(x, j))
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        debug_assert_eq!(w.len(), self.factors.len(), "slice length vs factors");
        separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn is_penalized(&self, j: usize) -> bool {
        self.factor(j) > T::zero() && self.inner.is_penalized(j)
    }
    fn in_support(&self, w_j: T) -> bool {
        self.inner.in_support(w_j)
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        self.inner.alpha_max(&self.unscaled(grad_at_zero))
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
        self.inner.dual_feasible_scale(&self.unscaled(u), alpha)
    }
    fn elastic_net_parts_1d(&self, j: usize) -> Option<super::ElasticNetParts<T>> {
        let c = self.factor(j);
        let p = self.inner.elastic_net_parts_1d(j)?;
        Some(super::ElasticNetParts {
            l1: scaled(c, p.l1),
            l2: scaled(c, p.l2),
            ..p
        })
    }
}

impl<T: Scalar, P: SeparablePenalty<T>> SeparablePenalty<T> for Weighted<P, T> {
    #[inline]
    fn prox_1d(&self, v: T, step: T, j: usize) -> T {
        self.inner.prox_1d(v, step * self.factor(j), j)
    }
    #[inline]
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, j: usize) -> T {
        self.inner
            .subdiff_distance_1d(w_j, grad_j, alpha * self.factor(j), j)
    }
    #[inline]
    fn value_1d(&self, w_j: T, j: usize) -> T {
        scaled(self.factor(j), self.inner.value_1d(w_j, j))
    }
    fn conjugate_1d(&self, u: T, alpha: T, lower: T, upper: T, j: usize) -> Option<T> {
        self.inner
            .conjugate_1d(u, alpha * self.factor(j), lower, upper, j)
    }
    fn quadratic_piece_1d(&self, w_j: T, j: usize) -> Option<(T, T)> {
        let c = self.factor(j);
        let (a, b) = self.inner.quadratic_piece_1d(w_j, j)?;
        (c.is_finite() && c >= T::zero()).then(|| (c * a, c * b))
    }
}

/// A block-separable penalty with per-block (per-row) factors,
/// `g(W) = Σ_b c_b · g_b(W_b,:)`, `c_b ≥ 0`: e.g. a weighted [`L21`](super::L21) with one factor
/// per feature. Same conventions as [`Weighted`]: factors used as given (glmnet rescales them),
/// `c_b = 0` leaves row `b` unpenalised, `alpha_max` assumes the unpenalised rows are at their
/// optimum and ignores their gradient, blocks beyond `factors.len()` get the factor 1.
///
/// * prox of block `b`: `inner.prox_block(v, t·c_b, b)`; distance: inner distance with `α·c_b`
/// * `alpha_max`: the inner `alpha_max` of the gradient with row `b` divided by `c_b`
///   (for `L21`: `max_{c_b > 0} ‖∇f(0)_b,:‖₂ / c_b`)
/// * conjugate: `Σ_b (α c_b g_b)*(U_b,:)` via [`BlockSeparablePenalty::conjugate_block`];
///   `dual_feasible_scale`: the inner rule applied to the rescaled rows
///
/// ```
/// use proxreg_core::penalty::{Penalty, WeightedBlocks, L21};
/// let pen = WeightedBlocks::new(L21::new(2, 2)?, vec![1.0_f64, 0.0])?;
/// let mut w = [3.0, 4.0, 3.0, 4.0];
/// pen.prox_in_place(&mut w, 2.5);
/// assert_eq!(w, [1.5, 2.0, 3.0, 4.0]); // row 1 is unpenalised
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedBlocks<P, T> {
    inner: P,
    factors: Vec<T>,
    block: usize,
}

impl<P, T: Scalar> WeightedBlocks<P, T> {
    /// Weights the blocks of `inner` by `factors` (one per block).
    ///
    /// # Errors
    /// As [`Weighted::new`], and [`Error::InvalidParameter`] naming `block_size` when the inner
    /// penalty reports a block size of 0.
    pub fn new(inner: P, factors: Vec<T>) -> Result<Self>
    where
        P: BlockSeparablePenalty<T>,
    {
        check_factors(&factors)?;
        let block = inner.block_size();
        if block == 0 {
            return Err(Error::InvalidParameter {
                name: "block_size",
                value: 0.0,
                expected: "a positive block size",
            });
        }
        Ok(Self {
            inner,
            factors,
            block,
        })
    }
    /// The inner penalty.
    pub fn inner(&self) -> &P {
        &self.inner
    }
    /// The penalty factors, one per block.
    pub fn factors(&self) -> &[T] {
        &self.factors
    }
    /// The factor of block `b` (1 beyond the end).
    #[inline]
    pub fn factor(&self, b: usize) -> T {
        self.factors.get(b).copied().unwrap_or_else(T::one)
    }
    fn unscaled(&self, g: &[T]) -> Vec<T> {
        g.iter()
            .enumerate()
            .map(|(j, &x)| unscale(x, self.factor(j / self.block)))
            .collect()
    }
}

impl<T: Scalar, P: BlockSeparablePenalty<T>> Penalty<T> for WeightedBlocks<P, T> {
    fn value(&self, w: &[T]) -> T {
        w.chunks(self.block)
            .enumerate()
            .map(|(b, wb)| scaled(self.factor(b), self.inner.value_block(wb, b)))
            .sum()
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        separable::prox_in_place_blocks(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        separable::subdiff_distance_blocks(self, w, grad, alpha, dist)
    }
    fn is_penalized(&self, j: usize) -> bool {
        self.factor(j / self.block) > T::zero() && self.inner.is_penalized(j)
    }
    fn in_support(&self, w_j: T) -> bool {
        self.inner.in_support(w_j)
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        self.inner.alpha_max(&self.unscaled(grad_at_zero))
    }
    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let mut total = T::zero();
        for (b, ub) in u.chunks(self.block).enumerate() {
            total += self.conjugate_block(ub, alpha, b)?;
        }
        Some(total)
    }
    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        self.inner.dual_feasible_scale(&self.unscaled(u), alpha)
    }
    fn elastic_net_parts_block(&self, b: usize) -> Option<super::ElasticNetParts<T>> {
        let c = self.factor(b);
        let p = self.inner.elastic_net_parts_block(b)?;
        Some(super::ElasticNetParts {
            l1: scaled(c, p.l1),
            l2: scaled(c, p.l2),
            ..p
        })
    }
}

impl<T: Scalar, P: BlockSeparablePenalty<T>> BlockSeparablePenalty<T> for WeightedBlocks<P, T> {
    fn block_size(&self) -> usize {
        self.block
    }
    fn prox_block(&self, v: &mut [T], step: T, b: usize) {
        self.inner.prox_block(v, step * self.factor(b), b);
    }
    fn subdiff_distance_block(&self, w_b: &[T], grad_b: &[T], alpha: T, b: usize) -> T {
        self.inner
            .subdiff_distance_block(w_b, grad_b, alpha * self.factor(b), b)
    }
    fn value_block(&self, w_b: &[T], b: usize) -> T {
        scaled(self.factor(b), self.inner.value_block(w_b, b))
    }
    fn conjugate_block(&self, u_b: &[T], alpha: T, b: usize) -> Option<T> {
        self.inner.conjugate_block(u_b, alpha * self.factor(b), b)
    }
    fn zero_subdiff_radius(&self, alpha: T, b: usize) -> Option<T> {
        self.inner.zero_subdiff_radius(alpha * self.factor(b), b)
    }
}
