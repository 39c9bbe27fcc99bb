//! Helpers that turn the one-coordinate methods of a [`SeparablePenalty`] (and the block methods
//! of a [`BlockSeparablePenalty`](super::BlockSeparablePenalty)) into the vector methods
//! of [`Penalty`](super::Penalty), so that an implementation delegates in one line.

use super::SeparablePenalty;
use crate::Scalar;

/// `w_j <- prox_1d(w_j, step, j)` for every `j`.
#[inline]
pub fn prox_in_place<T: Scalar, P: SeparablePenalty<T> + ?Sized>(p: &P, w: &mut [T], step: T) {
    for (j, wj) in w.iter_mut().enumerate() {
        *wj = p.prox_1d(*wj, step, j);
    }
}

/// Fills `dist` with `subdiff_distance_1d` per coordinate and returns the maximum.
#[inline]
pub fn subdiff_distance<T: Scalar, P: SeparablePenalty<T> + ?Sized>(
    p: &P,
    w: &[T],
    grad: &[T],
    alpha: T,
    dist: &mut [T],
) -> T {
    debug_assert_eq!(w.len(), grad.len());
    debug_assert_eq!(w.len(), dist.len());
    let mut worst = T::zero();
    for (j, ((&wj, &gj), dj)) in w.iter().zip(grad).zip(dist.iter_mut()).enumerate() {
        let d = p.subdiff_distance_1d(wj, gj, alpha, j);
        *dj = d;
        if d > worst || d.is_nan() {
            worst = d;
        }
    }
    worst
}

/// `Σ_j value_1d(w_j, j)` for a separable penalty given its one-coordinate value.
#[inline]
pub fn value<T: Scalar>(w: &[T], value_1d: impl Fn(T, usize) -> T) -> T {
    w.iter().enumerate().map(|(j, &x)| value_1d(x, j)).sum()
}

/// `w_b <- prox_block(w_b, step, b)` for every block of a row-block penalty (blocks of
/// `block_size()`, at least 1).
#[inline]
pub fn prox_in_place_blocks<T: Scalar, P: super::BlockSeparablePenalty<T> + ?Sized>(
    p: &P,
    w: &mut [T],
    step: T,
) {
    for (b, row) in w.chunks_mut(p.block_size().max(1)).enumerate() {
        p.prox_block(row, step, b);
    }
}

/// Fills every entry of block `b` of `dist` with `subdiff_distance_block` of that block and
/// returns the maximum (NaN propagates), for a row-block penalty.
#[inline]
pub fn subdiff_distance_blocks<T: Scalar, P: super::BlockSeparablePenalty<T> + ?Sized>(
    p: &P,
    w: &[T],
    grad: &[T],
    alpha: T,
    dist: &mut [T],
) -> T {
    debug_assert_eq!(w.len(), grad.len());
    debug_assert_eq!(w.len(), dist.len());
    let k = p.block_size().max(1);
    let mut worst = T::zero();
    for (b, ((wb, gb), db)) in w
        .chunks(k)
        .zip(grad.chunks(k))
        .zip(dist.chunks_mut(k))
        .enumerate()
    {
        let d = p.subdiff_distance_block(wb, gb, alpha, b);
        db.iter_mut().for_each(|x| *x = d);
        if d > worst || d.is_nan() {
            worst = d;
        }
    }
    worst
}
