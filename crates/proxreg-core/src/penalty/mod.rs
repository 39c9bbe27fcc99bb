//! Penalties `g` and their proximal operators.
//!
//! Solvers minimise `f(w) + alpha * g(w)`. The strength `alpha` is held by the solver or the
//! estimator, never by the penalty, so a regularization path or a cross-validation reuses one
//! penalty value. A penalty knows its value, its proximal operator, the distance of a negative
//! gradient to its (scaled) subdifferential (the KKT violation), `alpha_max`, which coordinates it
//! penalises, and, when it is convex, its Fenchel conjugate (for the duality gap).
//!
//! | trait | what it adds | needed by |
//! | --- | --- | --- |
//! | [`Penalty`] | value, prox, subdifferential distance, `alpha_max`, conjugate | proximal gradient |
//! | [`SeparablePenalty`] | `prox_1d`, `subdiff_distance_1d` per coordinate | coordinate descent |
//! | [`BlockSeparablePenalty`] | block prox and block distance over contiguous blocks | block coordinate descent (multi-task) |
//! | [`Norm`] | the dual norm | norm-axiom and Moreau tests |
//!
//! Coefficient matrices (multi-task, `p` features × `k` tasks) are stored **row-major** in one
//! slice: the `k` coefficients of feature `j` are `w[j*k .. (j+1)*k]`, so the row groups of
//! [`L21`] are contiguous blocks.

pub mod separable;

mod prox;
pub use prox::{block_soft_threshold, soft_threshold};

use crate::Scalar;

/// A proximable regulariser `g`.
///
/// Solvers minimise `f(w) + alpha * g(w)`; `alpha` is supplied by the solver.
/// The trait is dyn-compatible: `&dyn Penalty<f64>` works.
///
/// Implement it (and [`SeparablePenalty`] when `g` is a sum of functions of single coordinates)
/// for your own penalty; the conformance kit of `proxreg-testing` then checks it.
pub trait Penalty<T: Scalar> {
    /// `g(w)`.
    fn value(&self, w: &[T]) -> T;

    /// `w <- prox_{step * g}(w) = argmin_z step * g(z) + ½‖z − w‖²`, in place.
    ///
    /// To apply the prox of `alpha * g` with step `t`, pass `step = t * alpha`.
    fn prox_in_place(&self, w: &mut [T], step: T);

    /// Writes `dist[j] = dist(−grad_j, alpha · ∂g(w)_j)` and returns `max_j dist[j]`: the KKT
    /// violation of `w` for `f + alpha * g` when `grad = ∇f(w)`. For a penalty that is not
    /// separable the per-coordinate entries are those of the coordinate's block.
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T;

    /// `false` for a coordinate left unpenalised (a zero penalty factor, say).
    fn is_penalized(&self, _j: usize) -> bool {
        true
    }

    /// Whether `w_j` belongs to the generalised support (seeds working sets).
    fn in_support(&self, w_j: T) -> bool {
        w_j != T::zero()
    }

    /// The smallest `alpha` for which `w = 0` is optimal, given `∇f(0)`; `None` when no finite
    /// such value exists (ridge) or it is unknown.
    fn alpha_max(&self, _grad_at_zero: &[T]) -> Option<T> {
        None
    }

    /// The Fenchel conjugate of `alpha * g` at `u`: `sup_w <u, w> − alpha * g(w)`, which may be
    /// `+inf`. `None` when the penalty does not provide it (then no duality gap is available,
    /// only the KKT violation).
    fn conjugate(&self, _u: &[T], _alpha: T) -> Option<T> {
        None
    }

    /// The largest `s` in `(0, 1]` such that `conjugate(s·u, alpha)` is finite: the factor that
    /// turns a scaled residual `Xᵀr/n` into a feasible dual point. Defaults to `1`.
    fn dual_feasible_scale(&self, _u: &[T], _alpha: T) -> T {
        T::one()
    }
}

/// A penalty that is a sum of functions of single coordinates, `g(w) = Σ_j g_j(w_j)`.
///
/// Coordinate descent requires it. The [`separable`] module turns these two methods into the
/// vector methods of [`Penalty`], so an implementation delegates in one line each.
pub trait SeparablePenalty<T: Scalar>: Penalty<T> {
    /// `prox_{step * g_j}(v)`.
    fn prox_1d(&self, v: T, step: T, j: usize) -> T;

    /// `dist(−grad_j, alpha · ∂g_j(w_j))`.
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, j: usize) -> T;
}

/// A penalty that is a sum over contiguous, equal-sized blocks, `g(w) = Σ_b g_b(w_b)` with
/// `w_b = w[b*size .. (b+1)*size]` (rows of a row-major coefficient matrix).
///
/// Block coordinate descent (multi-task models) requires it.
pub trait BlockSeparablePenalty<T: Scalar>: Penalty<T> {
    /// The length of every block (the number of tasks).
    fn block_size(&self) -> usize;

    /// `v <- prox_{step * g_b}(v)` for block `b`, in place (`v.len() == block_size()`).
    fn prox_block(&self, v: &mut [T], step: T, b: usize);

    /// `dist(−grad_b, alpha · ∂g_b(w_b))` in the Euclidean norm of the block.
    fn subdiff_distance_block(&self, w_b: &[T], grad_b: &[T], alpha: T, b: usize) -> T;
}

/// A penalty that is a norm; gives access to the dual norm.
///
/// Only true norms implement it ([`L1`], [`L2`], [`Frobenius`], [`L21`]; not [`SquaredL2`]).
pub trait Norm<T: Scalar>: Penalty<T> {
    /// `g*(v) = sup { <v, w> : g(w) <= 1 }`.
    fn dual_norm(&self, v: &[T]) -> T;
}

// ---------------------------------------------------------------------------------------------
// L1
// ---------------------------------------------------------------------------------------------

/// The ℓ1 norm, `g(w) = Σ_j |w_j|` (Lasso).
///
/// * prox: soft-thresholding, `prox_{t g}(v)_j = sign(v_j) · max(|v_j| − t, 0)`
/// * subdifferential: `{sign(w_j)}` if `w_j ≠ 0`, else `[−1, 1]`
/// * dual norm: `‖·‖_∞`; `alpha_max = ‖∇f(0)‖_∞`
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
}

impl<T: Scalar> SeparablePenalty<T> for L1 {
    #[inline]
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        soft_threshold(v, step)
    }
    #[inline]
    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        if w_j == T::zero() {
            (grad_j.abs() - alpha).max(T::zero())
        } else {
            (grad_j + alpha * w_j.signum()).abs()
        }
    }
}

impl<T: Scalar> Norm<T> for L1 {
    fn dual_norm(&self, v: &[T]) -> T {
        max_abs(v)
    }
}

// ---------------------------------------------------------------------------------------------
// small shared helpers
// ---------------------------------------------------------------------------------------------

/// `max_j |v_j|` (0 for an empty slice; NaN propagates as NaN).
#[inline]
pub fn max_abs<T: Scalar>(v: &[T]) -> T {
    v.iter().fold(T::zero(), |m, &x| {
        let a = x.abs();
        if a > m || a.is_nan() {
            a
        } else {
            m
        }
    })
}

/// Euclidean norm of `v`, computed with scaling so that it neither overflows nor underflows.
#[inline]
pub fn norm2<T: Scalar>(v: &[T]) -> T {
    let scale = max_abs(v);
    if scale == T::zero() || !scale.is_finite() {
        return scale;
    }
    let s: T = v
        .iter()
        .map(|&x| {
            let y = x / scale;
            y * y
        })
        .sum();
    scale * s.sqrt()
}

/// `0` if `norm <= radius` (with a relative slack of `sqrt(eps)` for rounding), else `+inf`.
#[inline]
pub(crate) fn indicator_le<T: Scalar>(norm: T, radius: T) -> T {
    let slack = T::one() + T::epsilon().sqrt();
    if norm <= radius * slack {
        T::zero()
    } else {
        T::infinity()
    }
}

/// `min(1, radius / norm)`, the scale that brings a vector of dual norm `norm` into the ball.
#[inline]
pub(crate) fn ball_scale<T: Scalar>(norm: T, radius: T) -> T {
    if norm > radius {
        radius / norm
    } else {
        T::one()
    }
}
