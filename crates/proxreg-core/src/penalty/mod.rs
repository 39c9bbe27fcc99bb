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
//! | [`GroupSeparablePenalty`] | group prox, distance and value over a [`Groups`] partition (any sizes, any members) | group block coordinate descent |
//! | [`Norm`] | the dual norm | norm-axiom and Moreau tests |
//!
//! Coefficient matrices (multi-task, `p` features × `k` tasks) are stored **row-major** in one
//! slice: the `k` coefficients of feature `j` are `w[j*k .. (j+1)*k]`, so the row groups of
//! [`L21`] are contiguous blocks.

//!
//! | penalty | `g(w)` | traits |
//! | --- | --- | --- |
//! | [`L1`] | `Σ_j |w_j|` | separable, norm |
//! | [`L2`] | `‖w‖₂` (the norm, not squared) | norm |
//! | [`SquaredL2`] | `½‖w‖₂²` (ridge) | separable |
//! | [`ElasticNet`] | `ρ‖w‖₁ + ½(1−ρ)‖w‖₂²` | separable |
//! | [`Frobenius`] | `‖W‖_F` | norm |
//! | [`SquaredFrobenius`] | `½‖W‖_F²` | separable |
//! | [`L21`] | `Σ_j ‖W_j,:‖₂` | block-separable, norm |
//! | [`GroupLasso`] | `τ‖w‖₁ + (1−τ) Σ_g c_g ‖w_G‖₂` over feature groups (group / sparse group lasso) | group-separable, norm |
//! | [`Weighted`] | `Σ_j c_j g_j(w_j)` (penalty factors) | separable |
//! | [`WeightedBlocks`] | `Σ_b c_b g_b(w_b)` (per-row factors) | block-separable |
//! | [`Bounded`] | `g(w) + ι_{[l,u]^p}(w)` (box / non-negativity) | separable |
//! | [`Mcp`] | `Σ_j ρ(w_j)`, minimax concave (non-convex, no conjugate) | separable |
//! | [`Scad`] | `Σ_j ρ(w_j)`, smoothly clipped absolute deviation (non-convex, no conjugate) | separable |
//!
//! The math of each (prox, subdifferential, dual norm, conjugate, `alpha_max`) is in
//! `docs/penalties.md` and in each type's documentation.
//!
//! **Lengths.** Methods take slices; a slice whose length does not match a penalty's shape (a
//! [`Frobenius`] or [`L21`] shape, the factors of a [`Weighted`]) is a caller error that debug
//! builds assert on. Release builds never index out of bounds: they iterate over what is there.
//! NaN inputs propagate as NaN.

pub mod separable;

mod bounded;
mod elastic_net;
mod frobenius;
mod group;
mod l1;
mod l2;
mod l21;
mod l21_elastic_net;
mod nonconvex;
mod prox;
mod weighted;

pub use bounded::Bounded;
pub use elastic_net::ElasticNet;
pub use frobenius::{Frobenius, SquaredFrobenius};
pub use group::{GroupLasso, GroupSeparablePenalty, Groups};
pub use l1::L1;
pub use l2::{SquaredL2, L2};
pub use l21::L21;
pub use l21_elastic_net::L21ElasticNet;
pub use nonconvex::{Mcp, Scad};
pub use prox::{block_soft_threshold, soft_threshold};
pub use weighted::{Weighted, WeightedBlocks};

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

    /// For a separable penalty, coordinate `j`'s term as an elastic net with a box, when it is
    /// one: `g_j(v) = l1·|v| + (l2/2)·v² + ι_[lower, upper](v)` ([`ElasticNetParts`]).
    ///
    /// The solvers use it when data had to be rescaled internally by powers of two because a
    /// squared norm of `y` or of a column left the floating-point range: the penalty of the
    /// rescaled coefficients is then known exactly. Provided: `None` (such data then get a
    /// typed error naming the range, as before).
    fn elastic_net_parts_1d(&self, _j: usize) -> Option<ElasticNetParts<T>> {
        None
    }

    /// For a row-block penalty, block `b`'s term as `l1·‖v‖₂ + (l2/2)·‖v‖₂²` (an unbounded
    /// box), when it is one; see [`Penalty::elastic_net_parts_1d`]. Provided: `None`.
    fn elastic_net_parts_block(&self, _b: usize) -> Option<ElasticNetParts<T>> {
        None
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

    /// `g_j(w_j)`, the term of coordinate `j` (used by [`Weighted`] and the 1-D prox oracle).
    ///
    /// Provided: `self.value(&[w_j])`, which is right when every coordinate has the same
    /// function; override it when `g_j` depends on `j`.
    fn value_1d(&self, w_j: T, _j: usize) -> T {
        self.value(core::slice::from_ref(&w_j))
    }

    /// `sup { u·z − alpha·g_j(z) : lower ≤ z ≤ upper }`: the Fenchel conjugate at `u` of
    /// `alpha·g_j` restricted to the interval (`lower ≤ 0 ≤ upper`, either may be infinite),
    /// possibly `+inf`. This is what lets [`Weighted`] and [`Bounded`] provide a conjugate (and so
    /// a duality gap) for any inner penalty that provides this method.
    ///
    /// Provided: `None` (not available).
    fn conjugate_1d(&self, _u: T, _alpha: T, _lower: T, _upper: T, _j: usize) -> Option<T> {
        None
    }

    /// The quadratic piece of `g_j` through a nonzero `w_j`: `(a, b)` such that
    /// `g_j(v) = g_j(w_j) + a·(v − w_j) + (b/2)·(v² − w_j²)` for every `v` of the same sign as
    /// `w_j` (so `g_j'(v) = a + b·v` there, `b ≥ 0`). The Lasso's `|v|` gives `(sign w_j, 0)`,
    /// the Elastic Net's `ρ|v| + (1−ρ)v²/2` gives `(ρ·sign w_j, 1−ρ)`.
    ///
    /// Coordinate descent uses it for Newton steps on a fixed support and sign pattern (its
    /// support polish, which makes a Lasso whose support is found exact in one linear solve).
    /// Provided: `None` (no such piece known: no polish). Return `None` whenever the identity
    /// above does not hold on the whole open half-line (e.g. a box constraint).
    fn quadratic_piece_1d(&self, _w_j: T, _j: usize) -> Option<(T, T)> {
        None
    }
}

/// One coordinate's (or one block's) penalty term written as an elastic net with a box:
/// `l1·‖v‖₂ + (l2/2)·‖v‖₂² + ι_[lower, upper](v)` (for one coordinate `‖v‖₂ = |v|`; for a block,
/// `lower = −∞`, `upper = +∞`). See [`Penalty::elastic_net_parts_1d`] and
/// [`Penalty::elastic_net_parts_block`].
///
/// ```
/// use proxreg_core::penalty::{ElasticNet, Penalty, Weighted};
/// let pen = Weighted::new(ElasticNet::new(0.25_f64)?, vec![2.0, 0.0])?;
/// let parts = pen.elastic_net_parts_1d(0).expect("an elastic net");
/// assert_eq!((parts.l1, parts.l2), (0.5, 1.5));
/// assert_eq!(pen.elastic_net_parts_1d(1).map(|p| p.l1), Some(0.0));
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElasticNetParts<T> {
    /// The coefficient of the (Euclidean) norm, `≥ 0`.
    pub l1: T,
    /// The coefficient of half the squared norm, `≥ 0`.
    pub l2: T,
    /// The lower bound (`≤ 0`, possibly `−∞`).
    pub lower: T,
    /// The upper bound (`≥ 0`, possibly `+∞`).
    pub upper: T,
}

impl<T: Scalar> ElasticNetParts<T> {
    /// `l1·|v| + (l2/2)·v²` without a box.
    pub fn unbounded(l1: T, l2: T) -> Self {
        Self {
            l1,
            l2,
            lower: T::neg_infinity(),
            upper: T::infinity(),
        }
    }
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

    /// `g_b(w_b)`, the term of block `b` (used by [`WeightedBlocks`]).
    ///
    /// Provided: `self.value(w_b)`, right when every block has the same function.
    fn value_block(&self, w_b: &[T], _b: usize) -> T {
        self.value(w_b)
    }

    /// The Fenchel conjugate of `alpha·g_b` at `u_b` (possibly `+inf`; used by
    /// [`WeightedBlocks`]). Provided: `None` (not available).
    fn conjugate_block(&self, _u_b: &[T], _alpha: T, _b: usize) -> Option<T> {
        None
    }

    /// The radius `ρ` when `alpha·∂g_b(0)` is the centred Euclidean ball of radius `ρ` (the
    /// dual-norm ball of an `ℓ2`-type block penalty at zero). Solvers use it for gap-safe
    /// screening: block `b` is provably zero at the optimum when the dual point's block lies in
    /// the open ball. Provided: `None` (no screening for this penalty).
    fn zero_subdiff_radius(&self, _alpha: T, _b: usize) -> Option<T> {
        None
    }
}

/// A penalty that is a norm; gives access to the dual norm.
///
/// Only true norms implement it ([`L1`], [`L2`], [`Frobenius`], [`L21`]; not [`SquaredL2`]).
pub trait Norm<T: Scalar>: Penalty<T> {
    /// `g*(v) = sup { <v, w> : g(w) <= 1 }`.
    fn dual_norm(&self, v: &[T]) -> T;
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

/// `c · v` for a fixed coefficient `c` of a penalty (a mix ratio), with `0 · ±∞ = 0`: a term
/// whose coefficient is zero is absent, even when `v` overflowed (a step `t·c` with `t = ∞`, or
/// `w² = ∞` for a huge `w`). NaN in `v` still propagates.
#[inline]
pub(crate) fn coef_times<T: Scalar>(c: T, v: T) -> T {
    if c == T::zero() && !v.is_nan() {
        T::zero()
    } else {
        c * v
    }
}

/// `max(x, 0)`, propagating NaN (unlike `Float::max`).
#[inline]
pub(crate) fn pos_part<T: Scalar>(x: T) -> T {
    if x > T::zero() || x.is_nan() {
        x
    } else {
        T::zero()
    }
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

/// Euclidean norm of `(f(0), …, f(n−1))` without allocating, with the same scaling as [`norm2`].
#[inline]
pub(crate) fn norm2_map<T: Scalar>(n: usize, f: impl Fn(usize) -> T) -> T {
    let scale = (0..n).fold(T::zero(), |m, i| {
        let a = f(i).abs();
        if a > m || a.is_nan() {
            a
        } else {
            m
        }
    });
    if scale == T::zero() || !scale.is_finite() {
        return scale;
    }
    let s: T = (0..n)
        .map(|i| {
            let y = f(i) / scale;
            y * y
        })
        .sum();
    scale * s.sqrt()
}

/// `dist(−grad, alpha · ∂‖·‖₂(w))` for one Euclidean block: `‖grad + alpha·w/‖w‖‖` if `w ≠ 0`,
/// else `max(‖grad‖ − alpha, 0)`. Lengths are taken as the shorter of the two.
#[inline]
pub(crate) fn l2_block_distance<T: Scalar>(w: &[T], grad: &[T], alpha: T) -> T {
    let n = w.len().min(grad.len());
    let nw = norm2(w);
    if nw == T::zero() {
        pos_part(norm2(grad) - alpha)
    } else {
        norm2_map(n, |i| grad[i] + alpha * (w[i] / nw))
    }
}

/// `sup { u·z − a1·|z| − ½·a2·z² : lower ≤ z ≤ upper }` for `a1, a2 ≥ 0`, `lower ≤ 0 ≤ upper`:
/// the 1-D conjugate of the elastic-net term on an interval (`+inf` when unbounded). With
/// `a2 = 0` and an unbounded side it is the indicator `|u| ≤ a1` with the same relative slack as
/// [`L1`]'s conjugate. NaN propagates.
#[inline]
pub(crate) fn conjugate_en_1d<T: Scalar>(u: T, a1: T, a2: T, lower: T, upper: T) -> T {
    if u.is_nan() || a1.is_nan() || a2.is_nan() {
        return T::nan();
    }
    let excess = u.abs() - a1;
    // The maximiser has the sign of u; how far it may go on that side:
    let reach = if u > T::zero() { upper } else { -lower };
    if reach.is_nan() {
        return T::nan();
    }
    if a2 > T::zero() {
        if excess <= T::zero() {
            return T::zero();
        }
        let z = (excess / a2).min(reach);
        if z.is_infinite() {
            return T::infinity();
        }
        (excess - a2 * z * T::lit(0.5)) * z
    } else if reach.is_infinite() {
        indicator_le(u.abs(), a1)
    } else if excess <= T::zero() {
        T::zero()
    } else {
        excess * reach
    }
}

#[cfg(test)]
mod tests;
