//! Group lasso and sparse group lasso over a user-given partition of the features into groups
//! of any sizes ([`Groups`], [`GroupLasso`], [`GroupSeparablePenalty`]).

use super::{indicator_le, norm2, pos_part, soft_threshold, Norm, Penalty};
use crate::{Error, Result, Scalar};

/// A validated partition of the features `0..p` into groups of any sizes, not necessarily
/// contiguous, stored like a CSR matrix: group `g` is `indices[ptr[g]..ptr[g + 1]]` (in the
/// order the user gave).
///
/// Built from index lists ([`Groups::new`]), from one label per feature
/// ([`Groups::from_labels`]) or from consecutive sizes ([`Groups::contiguous`]).
///
/// ```
/// use proxreg_core::penalty::Groups;
/// let g = Groups::new(&[vec![0, 3], vec![1], vec![2, 4]], 5)?;
/// assert_eq!((g.n_groups(), g.group(0), g.group_of(4)), (3, &[0, 3][..], 2));
/// let same = Groups::from_labels(&[0, 1, 2, 0, 2])?;
/// assert_eq!(same, g);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    ptr: Vec<usize>,
    indices: Vec<usize>,
    group_of: Vec<usize>,
}

impl Groups {
    /// The partition given by `groups` (lists of feature indices) of `0..n_features`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no groups or an empty group; [`Error::IndexOutOfRange`] for an
    /// index `>= n_features`; [`Error::InvalidGroups`] for a feature in two groups (or twice in
    /// one) or in none.
    pub fn new<G: AsRef<[usize]>>(groups: &[G], n_features: usize) -> Result<Self> {
        if groups.is_empty() || n_features == 0 {
            return Err(Error::Empty { what: "groups" });
        }
        let mut ptr = Vec::with_capacity(groups.len() + 1);
        ptr.push(0);
        let mut indices = Vec::with_capacity(n_features);
        let mut group_of = vec![usize::MAX; n_features];
        for (g, members) in groups.iter().enumerate() {
            let members = members.as_ref();
            if members.is_empty() {
                return Err(Error::InvalidGroups {
                    what: "an empty group",
                    index: g,
                });
            }
            for &j in members {
                if j >= n_features {
                    return Err(Error::IndexOutOfRange {
                        what: "features (a group's index)",
                        index: j,
                        len: n_features,
                    });
                }
                if group_of[j] != usize::MAX {
                    return Err(Error::InvalidGroups {
                        what: "a feature listed twice",
                        index: j,
                    });
                }
                group_of[j] = g;
                indices.push(j);
            }
            ptr.push(indices.len());
        }
        if let Some(j) = group_of.iter().position(|&g| g == usize::MAX) {
            return Err(Error::InvalidGroups {
                what: "a feature in no group",
                index: j,
            });
        }
        Ok(Self {
            ptr,
            indices,
            group_of,
        })
    }

    /// The partition where feature `j` belongs to the group labelled `labels[j]`; groups are
    /// numbered in the order their labels first appear.
    ///
    /// # Errors
    /// [`Error::Empty`] for no labels.
    pub fn from_labels<L: PartialEq>(labels: &[L]) -> Result<Self> {
        let mut seen: Vec<&L> = Vec::new();
        let mut lists: Vec<Vec<usize>> = Vec::new();
        for (j, l) in labels.iter().enumerate() {
            match seen.iter().position(|s| *s == l) {
                Some(g) => lists[g].push(j),
                None => {
                    seen.push(l);
                    lists.push(vec![j]);
                }
            }
        }
        Self::new(&lists, labels.len())
    }

    /// Consecutive groups of the given sizes (`0..s_0`, `s_0..s_0+s_1`, …).
    ///
    /// # Errors
    /// As [`Groups::new`] (a zero size is an empty group).
    pub fn contiguous(sizes: &[usize]) -> Result<Self> {
        let mut start = 0;
        let mut lists = Vec::with_capacity(sizes.len());
        for &s in sizes {
            lists.push((start..start + s).collect::<Vec<_>>());
            start += s;
        }
        Self::new(&lists, start)
    }

    /// The number of groups.
    pub fn n_groups(&self) -> usize {
        self.ptr.len() - 1
    }

    /// The number of features `p`.
    pub fn n_features(&self) -> usize {
        self.group_of.len()
    }

    /// The feature indices of group `g` (panics if `g >= n_groups()`).
    pub fn group(&self, g: usize) -> &[usize] {
        &self.indices[self.ptr[g]..self.ptr[g + 1]]
    }

    /// The size of group `g`.
    pub fn size(&self, g: usize) -> usize {
        self.ptr[g + 1] - self.ptr[g]
    }

    /// The group of feature `j` (panics if `j >= n_features()`).
    pub fn group_of(&self, j: usize) -> usize {
        self.group_of[j]
    }

    /// The largest group size.
    pub fn max_size(&self) -> usize {
        (0..self.n_groups())
            .map(|g| self.size(g))
            .max()
            .unwrap_or(0)
    }
}

/// Block access to a penalty that is a sum over the groups of a [`Groups`] partition,
/// `g(w) = Σ_g g_g(w_G)`, for group block coordinate descent.
///
/// The group methods take the group's entries **gathered** in the order of
/// [`Groups::group`] (a group is not a contiguous slice of `w` in general).
///
/// Why not [`BlockSeparablePenalty`](super::BlockSeparablePenalty): that trait describes
/// multi-task rows, blocks of one common size that tile `w` contiguously
/// (`w[b*k..(b+1)*k]`); its helpers and the multi-task solver index by that arithmetic.
/// Feature groups have sizes of their own and arbitrary members, so the partition itself must
/// be part of the contract.
pub trait GroupSeparablePenalty<T: Scalar>: Penalty<T> {
    /// The partition.
    fn groups(&self) -> &Groups;

    /// `v <- prox_{step·g_g}(v)` for the gathered entries `v` of group `g`.
    fn prox_group(&self, v: &mut [T], step: T, g: usize);

    /// `dist(−grad_G, alpha·∂g_g(w_G))` in the Euclidean norm of the group.
    fn subdiff_distance_group(&self, w_g: &[T], grad_g: &[T], alpha: T, g: usize) -> T;

    /// `g_g(w_G)`.
    fn value_group(&self, w_g: &[T], g: usize) -> T;

    /// The gap-safe screening test: whether `w_G = 0` at every optimum when the optimal
    /// `u* = −∇_G f(w*)` (gathered) is only known to lie within Euclidean distance `radius` of
    /// `u_g`, i.e. `w_G = 0` is forced for every `u` in that ball. Must never answer `true`
    /// wrongly; the default never screens.
    fn zero_is_safe_group(&self, _u_g: &[T], _radius: T, _alpha: T, _g: usize) -> bool {
        false
    }

    /// Whether `w_G = 0` satisfies the group's optimality condition at `alpha`, i.e.
    /// `−grad_G ∈ alpha·∂g_g(0)` (no rounding slack).
    fn zero_is_optimal_group(&self, grad_g: &[T], alpha: T, g: usize) -> bool {
        let zero = vec![T::zero(); grad_g.len()];
        self.subdiff_distance_group(&zero, grad_g, alpha, g) <= T::zero()
    }
}

/// The group lasso and the sparse group lasso over a [`Groups`] partition:
///
/// `g(w) = τ‖w‖₁ + (1 − τ) Σ_g c_g ‖w_G‖₂`, `τ ∈ [0, 1]` (`l1_ratio`), group weights
/// `c_g ≥ 0` (default `√|G|`).
///
/// `τ = 0` is the group lasso, `0 < τ < 1` the sparse group lasso. A group with `c_g = 0`
/// has no group term: with `τ = 0` it is unpenalized.
///
/// * prox of `t·g` on a group: `v ← ST(v, tτ)` entrywise, then block soft-thresholding by
///   `t(1 − τ)c_g`
/// * subdifferential of a group: `τ·∂‖w_G‖₁ + (1 − τ)c_g·∂‖w_G‖₂`; at `w_G = 0` the distance
///   of `−grad_G` to `α∂g_g(0)` is `max(‖ST(−grad_G, ατ)‖ − α(1 − τ)c_g, 0)`
/// * conjugate of `α·g`: the indicator of `‖ST(u_G, ατ)‖ ≤ α(1 − τ)c_g` for every group
/// * dual norm: `max_g a_g(u)`, `a_g(u)` the smallest `a` with
///   `‖ST(u_G, aτ)‖ ≤ a(1 − τ)c_g` (for `τ = 0`: `‖u_G‖/c_g`); `alpha_max` is the dual norm
///   of `∇f` at the null fit (unpenalized groups' entries ignored)
///
/// ```
/// use proxreg_core::penalty::{GroupLasso, Groups, Penalty};
/// let g = GroupLasso::new(Groups::contiguous(&[1, 2])?, None)?;
/// let mut w = [3.0_f64, 3.0, 4.0];
/// g.prox_in_place(&mut w, 1.0);
/// // group 1: ‖(3,4)‖ = 5 shrunk by √2
/// let s = 1.0 - 2f64.sqrt() / 5.0;
/// assert!((w[0] - 2.0).abs() < 1e-15 && (w[1] - 3.0 * s).abs() < 1e-15);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLasso<T> {
    groups: Groups,
    weights: Vec<T>,
    l1_ratio: T,
}

impl<T: Scalar> GroupLasso<T> {
    /// The group lasso (`τ = 0`) with weights `c_g` (`None`: `√|G|`).
    ///
    /// # Errors
    /// As [`GroupLasso::sparse`].
    pub fn new(groups: Groups, weights: Option<Vec<T>>) -> Result<Self> {
        Self::sparse(groups, weights, T::zero())
    }

    /// The sparse group lasso with `l1_ratio` `τ ∈ [0, 1]` and weights `c_g` (`None`:
    /// `√|G|`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `τ` outside `[0, 1]` or NaN, or a weight that is
    /// negative, NaN or infinite (`group_weights`); [`Error::DimensionMismatch`] when the
    /// number of weights differs from the number of groups.
    pub fn sparse(groups: Groups, weights: Option<Vec<T>>, l1_ratio: T) -> Result<Self> {
        if !(l1_ratio >= T::zero() && l1_ratio <= T::one()) {
            return Err(Error::InvalidParameter {
                name: "l1_ratio",
                value: l1_ratio.as_f64(),
                expected: "a number in [0, 1]",
            });
        }
        let weights = match weights {
            Some(w) => {
                if w.len() != groups.n_groups() {
                    return Err(Error::DimensionMismatch {
                        what: "group_weights (one per group)",
                        expected: groups.n_groups(),
                        found: w.len(),
                    });
                }
                if let Some(&bad) = w.iter().find(|&&c| !(c.is_finite() && c >= T::zero())) {
                    return Err(Error::InvalidParameter {
                        name: "group_weights",
                        value: bad.as_f64(),
                        expected: "finite numbers >= 0",
                    });
                }
                w
            }
            None => (0..groups.n_groups())
                .map(|g| T::from_count(groups.size(g)).sqrt())
                .collect(),
        };
        Ok(Self {
            groups,
            weights,
            l1_ratio,
        })
    }

    /// `τ`.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratio
    }

    /// The group weights `c_g`.
    pub fn weights(&self) -> &[T] {
        &self.weights
    }

    /// Whether group `g` is penalized at all (`τ > 0` or `c_g > 0`).
    pub fn group_is_penalized(&self, g: usize) -> bool {
        self.l1_ratio > T::zero() || self.weights[g] > T::zero()
    }

    fn gather(&self, w: &[T], g: usize, out: &mut Vec<T>) {
        out.clear();
        out.extend(
            self.groups
                .group(g)
                .iter()
                .map(|&j| w.get(j).copied().unwrap_or(T::zero())),
        );
    }

    /// `a_g(u)`: the smallest `a ≥ 0` with `‖ST(u_G, aτ)‖ ≤ a(1 − τ)c_g` (`+inf` when none,
    /// i.e. an unpenalized group with `u_G ≠ 0`). `u_g` gathered.
    pub fn group_dual_norm(&self, u_g: &[T], g: usize) -> T {
        let tau = self.l1_ratio;
        let rad = (T::one() - tau) * self.weights[g];
        let nu = norm2(u_g);
        if nu.is_nan() {
            return T::nan();
        }
        if nu == T::zero() {
            return T::zero();
        }
        if tau == T::zero() {
            return if rad > T::zero() {
                nu / rad
            } else {
                T::infinity()
            };
        }
        // phi(a) = ‖ST(u, aτ)‖ − a·rad is continuous and strictly decreasing on [0, max|u|/τ]
        // (where it is ≤ 0): bisection to the last bit.
        let phi = |a: T| {
            let t = a * tau;
            super::norm2_map(u_g.len(), |i| soft_threshold(u_g[i], t)) - a * rad
        };
        let mut lo = T::zero();
        let mut hi = super::max_abs(u_g) / tau;
        if !hi.is_finite() {
            return hi;
        }
        for _ in 0..300 {
            let mid = lo + (hi - lo) * T::lit(0.5);
            if mid <= lo || mid >= hi {
                break;
            }
            if phi(mid) > T::zero() {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }

    fn prox_gathered(&self, v: &mut [T], step: T, g: usize) {
        let tau = self.l1_ratio;
        if tau > T::zero() {
            let t = super::coef_times(tau, step);
            v.iter_mut().for_each(|x| *x = soft_threshold(*x, t));
        }
        let c = self.weights[g];
        if c > T::zero() && tau < T::one() {
            super::block_soft_threshold(v, step * (T::one() - tau) * c);
        }
    }

    fn distance_gathered(&self, w: &[T], grad: &[T], alpha: T, g: usize) -> T {
        let tau = self.l1_ratio;
        let at = alpha * tau;
        let rad = alpha * (T::one() - tau) * self.weights[g];
        let n = w.len().min(grad.len());
        let nw = norm2(w);
        if nw.is_nan() {
            return T::nan();
        }
        if nw == T::zero() {
            let s = super::norm2_map(n, |i| soft_threshold(-grad[i], at));
            return pos_part(s - rad);
        }
        super::norm2_map(n, |i| {
            if w[i] != T::zero() {
                -grad[i] - at * w[i].signum() - rad * (w[i] / nw)
            } else {
                soft_threshold(-grad[i], at)
            }
        })
    }
}

impl<T: Scalar> Penalty<T> for GroupLasso<T> {
    fn value(&self, w: &[T]) -> T {
        let mut buf = Vec::with_capacity(self.groups.max_size());
        (0..self.groups.n_groups())
            .map(|g| {
                self.gather(w, g, &mut buf);
                self.value_group(&buf, g)
            })
            .sum()
    }

    fn prox_in_place(&self, w: &mut [T], step: T) {
        let mut buf = Vec::with_capacity(self.groups.max_size());
        for g in 0..self.groups.n_groups() {
            self.gather(w, g, &mut buf);
            self.prox_gathered(&mut buf, step, g);
            for (&j, &v) in self.groups.group(g).iter().zip(&buf) {
                if let Some(x) = w.get_mut(j) {
                    *x = v;
                }
            }
        }
    }

    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        let (mut bw, mut bg) = (Vec::new(), Vec::new());
        let mut worst = T::zero();
        for g in 0..self.groups.n_groups() {
            self.gather(w, g, &mut bw);
            self.gather(grad, g, &mut bg);
            let d = self.distance_gathered(&bw, &bg, alpha, g);
            for &j in self.groups.group(g) {
                if let Some(x) = dist.get_mut(j) {
                    *x = d;
                }
            }
            if d > worst || d.is_nan() {
                worst = d;
            }
        }
        worst
    }

    fn is_penalized(&self, j: usize) -> bool {
        j >= self.groups.n_features() || self.group_is_penalized(self.groups.group_of(j))
    }

    /// The dual norm of `∇f` over the penalized groups: pass the gradient at the null fit
    /// (unpenalized groups at their optimum, where their entries vanish).
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        let mut buf = Vec::new();
        let mut best = T::zero();
        for g in 0..self.groups.n_groups() {
            if !self.group_is_penalized(g) {
                continue;
            }
            self.gather(grad_at_zero, g, &mut buf);
            let a = self.group_dual_norm(&buf, g);
            if a > best || a.is_nan() {
                best = a;
            }
        }
        Some(best)
    }

    fn conjugate(&self, u: &[T], alpha: T) -> Option<T> {
        let tau = self.l1_ratio;
        let slack = T::one() + T::epsilon().sqrt();
        let mut buf = Vec::new();
        let mut total = T::zero();
        for g in 0..self.groups.n_groups() {
            self.gather(u, g, &mut buf);
            // The same relative slack on the threshold as `indicator_le` puts on the radius
            // (a boundary point of an L1-only group must not read as infeasible).
            let at = alpha * tau * slack;
            let s = super::norm2_map(buf.len(), |i| soft_threshold(buf[i], at));
            let c = indicator_le(s, alpha * (T::one() - tau) * self.weights[g]);
            if c.is_nan() || c > total {
                total = c;
            }
        }
        Some(total)
    }

    fn dual_feasible_scale(&self, u: &[T], alpha: T) -> T {
        let d = self.dual_norm(u);
        if d > alpha {
            alpha / d
        } else {
            T::one()
        }
    }
}

impl<T: Scalar> Norm<T> for GroupLasso<T> {
    /// `max_g a_g(v)` ([`GroupLasso::group_dual_norm`]); `+inf` when `v` is nonzero on an
    /// unpenalized group (then `g` is only a seminorm).
    fn dual_norm(&self, v: &[T]) -> T {
        let mut buf = Vec::new();
        let mut best = T::zero();
        for g in 0..self.groups.n_groups() {
            self.gather(v, g, &mut buf);
            let a = self.group_dual_norm(&buf, g);
            if a > best || a.is_nan() {
                best = a;
            }
        }
        best
    }
}

impl<T: Scalar> GroupSeparablePenalty<T> for GroupLasso<T> {
    fn groups(&self) -> &Groups {
        &self.groups
    }

    fn prox_group(&self, v: &mut [T], step: T, g: usize) {
        self.prox_gathered(v, step, g);
    }

    fn subdiff_distance_group(&self, w_g: &[T], grad_g: &[T], alpha: T, g: usize) -> T {
        self.distance_gathered(w_g, grad_g, alpha, g)
    }

    fn value_group(&self, w_g: &[T], g: usize) -> T {
        let tau = self.l1_ratio;
        let l1: T = w_g.iter().map(|x| x.abs()).sum();
        super::coef_times(tau, l1)
            + super::coef_times((T::one() - tau) * self.weights[g], norm2(w_g))
    }

    /// At an optimum with `w_G ≠ 0`, `‖ST(u*_G, ατ)‖ = α(1 − τ)c_g` exactly, and
    /// soft-thresholding is nonexpansive; so `‖ST(u_G, ατ)‖ + radius < α(1 − τ)c_g` forces
    /// `w_G = 0` (Ndiaye et al. 2017's group test). A relative margin `√ε` on the right side
    /// absorbs the rounding of `u_G` and of the gap. Unpenalized groups and `τ = 1` (no group
    /// term) are never screened.
    fn zero_is_safe_group(&self, u_g: &[T], radius: T, alpha: T, g: usize) -> bool {
        let tau = self.l1_ratio;
        let rad = alpha * (T::one() - tau) * self.weights[g];
        if !(rad > T::zero() && radius >= T::zero()) {
            return false;
        }
        let at = alpha * tau;
        let s = super::norm2_map(u_g.len(), |i| soft_threshold(u_g[i], at));
        s + radius < rad * (T::one() - T::epsilon().sqrt())
    }

    fn zero_is_optimal_group(&self, grad_g: &[T], alpha: T, g: usize) -> bool {
        let tau = self.l1_ratio;
        let at = alpha * tau;
        let s = super::norm2_map(grad_g.len(), |i| soft_threshold(-grad_g[i], at));
        s <= alpha * (T::one() - tau) * self.weights[g]
    }
}

#[cfg(test)]
mod tests {
    use super::super::{SeparablePenalty, L1};
    use super::*;

    fn scattered() -> Groups {
        Groups::new(&[vec![4, 0], vec![2], vec![1, 3, 5]], 6).unwrap()
    }

    #[test]
    fn partition_errors_are_typed() {
        let e = |g: &[Vec<usize>], p| Groups::new(g, p).unwrap_err();
        assert_eq!(e(&[], 3), Error::Empty { what: "groups" });
        assert_eq!(
            e(&[vec![0], vec![], vec![1]], 2),
            Error::InvalidGroups {
                what: "an empty group",
                index: 1
            }
        );
        assert_eq!(
            e(&[vec![0, 5]], 2),
            Error::IndexOutOfRange {
                what: "features (a group's index)",
                index: 5,
                len: 2
            }
        );
        assert_eq!(
            e(&[vec![0, 1], vec![1]], 2),
            Error::InvalidGroups {
                what: "a feature listed twice",
                index: 1
            }
        );
        assert_eq!(
            e(&[vec![0, 0, 1]], 2),
            Error::InvalidGroups {
                what: "a feature listed twice",
                index: 0
            }
        );
        assert_eq!(
            e(&[vec![0], vec![2]], 3),
            Error::InvalidGroups {
                what: "a feature in no group",
                index: 1
            }
        );
        assert_eq!(
            Groups::contiguous(&[2, 0]).unwrap_err(),
            e(&[vec![0, 1], vec![]], 2)
        );
        assert_eq!(
            Groups::from_labels::<u8>(&[]).unwrap_err(),
            Error::Empty { what: "groups" }
        );
    }

    #[test]
    fn partition_accessors() {
        let g = scattered();
        assert_eq!(g.n_groups(), 3);
        assert_eq!(g.n_features(), 6);
        assert_eq!(g.group(2), &[1, 3, 5]);
        assert_eq!((g.size(0), g.max_size()), (2, 3));
        assert_eq!(
            (0..6).map(|j| g.group_of(j)).collect::<Vec<_>>(),
            [0, 2, 1, 2, 0, 2]
        );
        let labels = Groups::from_labels(&["a", "c", "b", "c", "a", "c"]).unwrap();
        assert_eq!(labels.group(0), &[0, 4]);
        assert_eq!(
            (labels.group(1), labels.group(2)),
            (&[1, 3, 5][..], &[2][..])
        );
        let c = Groups::contiguous(&[1, 2]).unwrap();
        assert_eq!((c.group(0), c.group(1)), (&[0][..], &[1, 2][..]));
    }

    #[test]
    fn penalty_errors_are_typed() {
        let bad =
            |w: Option<Vec<f64>>, tau: f64| GroupLasso::sparse(scattered(), w, tau).unwrap_err();
        for tau in [-0.1, 1.5, f64::NAN] {
            assert!(matches!(
                bad(None, tau),
                Error::InvalidParameter {
                    name: "l1_ratio",
                    ..
                }
            ));
        }
        for c in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                bad(Some(vec![1.0, c, 1.0]), 0.5),
                Error::InvalidParameter {
                    name: "group_weights",
                    ..
                }
            ));
        }
        assert!(matches!(
            bad(Some(vec![1.0]), 0.0),
            Error::DimensionMismatch { .. }
        ));
        let ok = GroupLasso::<f64>::new(scattered(), None).unwrap();
        assert_eq!(ok.weights(), &[2f64.sqrt(), 1.0, 3f64.sqrt()]);
    }

    /// Singleton groups with unit weights and τ = 0 (or any groups with τ = 1) are the L1 norm:
    /// same value, prox, distance, alpha_max and dual norm.
    #[test]
    fn singletons_and_tau_one_equal_l1() {
        let single =
            GroupLasso::<f64>::new(Groups::contiguous(&[1; 5]).unwrap(), Some(vec![1.0; 5]))
                .unwrap();
        let tau1 = GroupLasso::sparse(Groups::contiguous(&[2, 3]).unwrap(), None, 1.0).unwrap();
        let v: [f64; 5] = [1.5, -0.2, 0.0, -3.0, 0.7];
        let grad: [f64; 5] = [-0.3, 0.9, 0.1, 2.0, -1.1];
        let w = [0.5, 0.0, 0.0, -1.0, 0.2];
        for pen in [&single, &tau1] {
            assert!((pen.value(&v) - L1.value(&v)).abs() < 1e-15);
            for t in [0.0, 0.3, 1.0, 5.0] {
                let mut a = v;
                pen.prox_in_place(&mut a, t);
                for (j, (&aj, &vj)) in a.iter().zip(&v).enumerate() {
                    assert!((aj - L1.prox_1d(vj, t, j)).abs() < 1e-15, "t {t} j {j}");
                }
            }
            assert!((pen.alpha_max(&grad).unwrap() - L1.alpha_max(&grad).unwrap()).abs() < 1e-15);
            assert!((pen.dual_norm(&grad) - L1.dual_norm(&grad)).abs() < 1e-15);
        }
        // (τ = 1 with larger groups: the group distance is the Euclidean norm of the L1
        // distances over the group, so only singletons agree entry by entry)
        let (mut d1, mut d2) = ([0.0f64; 5], [0.0f64; 5]);
        let m1 = single.subdiff_distance(&w, &grad, 0.8, &mut d1);
        let m2 = L1.subdiff_distance(&w, &grad, 0.8, &mut d2);
        assert!((m1 - m2).abs() < 1e-15);
        for (a, b) in d1.iter().zip(&d2) {
            assert!((a - b).abs() < 1e-15);
        }
    }

    fn prox_objective(pen: &GroupLasso<f64>, z: &[f64], v: &[f64], t: f64) -> f64 {
        let q: f64 = z.iter().zip(v).map(|(a, b)| 0.5 * (a - b) * (a - b)).sum();
        t * pen.value(z) + q
    }

    /// The prox is the minimiser of `t·g(z) + ½‖z − v‖²`: no point of a grid around it (nor
    /// the grid's best point) does better, for 2-D groups and several τ.
    #[test]
    fn prox_beats_a_brute_force_search() {
        let groups = Groups::contiguous(&[2, 1]).unwrap();
        let vs = [
            [1.0, 0.5, -2.0],
            [0.3, -0.1, 0.05],
            [-2.0, 3.0, 0.4],
            [0.8, 0.0, -0.9],
        ];
        for tau in [0.0, 0.3, 0.8] {
            let pen = GroupLasso::sparse(groups.clone(), Some(vec![1.5, 0.7]), tau).unwrap();
            for v in vs {
                for t in [0.2, 0.7, 2.0] {
                    let mut p = v;
                    pen.prox_in_place(&mut p, t);
                    let best = prox_objective(&pen, &p, &v, t);
                    let steps = 120;
                    for a in 0..=steps {
                        for b in 0..=steps {
                            let z0 = -3.0 + 6.0 * a as f64 / steps as f64;
                            let z1 = -3.0 + 6.0 * b as f64 / steps as f64;
                            for z2 in [p[2], p[2] + 0.01, p[2] - 0.01, 0.0] {
                                let z = [z0, z1, z2];
                                assert!(
                                    prox_objective(&pen, &z, &v, t) >= best - 1e-12,
                                    "tau {tau} v {v:?} t {t}: {z:?} beats {p:?}"
                                );
                            }
                        }
                    }
                    // and the optimality condition v − p ∈ t·∂g(p)
                    let grad: Vec<f64> = p.iter().zip(&v).map(|(a, b)| a - b).collect();
                    let mut d = [0.0; 3];
                    assert!(pen.subdiff_distance(&p, &grad, t, &mut d) < 1e-13);
                }
            }
        }
    }

    /// Moreau: `v − prox_{tg}(v)` lies in the dual ball of radius `t` (the group dual norm)
    /// and `⟨v − p, p⟩ = t·g(p)`.
    #[test]
    fn moreau_identity() {
        let pen = GroupLasso::sparse(scattered(), Some(vec![1.0, 2.0, 0.5]), 0.35).unwrap();
        let v = [0.9, -2.0, 0.4, 1.1, -0.3, 0.05];
        for t in [0.1, 0.6, 3.0] {
            let mut p = v;
            pen.prox_in_place(&mut p, t);
            let r: Vec<f64> = v.iter().zip(&p).map(|(a, b)| a - b).collect();
            assert!(pen.dual_norm(&r) <= t * (1.0 + 1e-12));
            let rp: f64 = r.iter().zip(&p).map(|(a, b)| a * b).sum();
            assert!((rp - t * pen.value(&p)).abs() < 1e-12);
            assert_eq!(pen.conjugate(&r, t), Some(0.0));
        }
    }

    /// The per-group dual norm solves `‖ST(u, aτ)‖ = a(1 − τ)c` and is positively homogeneous.
    #[test]
    fn group_dual_norm_solves_its_equation() {
        let pen = GroupLasso::<f64>::sparse(scattered(), Some(vec![1.0, 2.0, 0.5]), 0.4).unwrap();
        let u: [f64; 3] = [1.3, -0.2, 0.7];
        let a = pen.group_dual_norm(&u, 2);
        let s = norm2(&u.map(|x| soft_threshold(x, a * 0.4)));
        assert!((s - a * 0.6 * 0.5).abs() < 1e-14, "{s} vs {}", a * 0.3);
        let a3 = pen.group_dual_norm(&u.map(|x| 3.0 * x), 2);
        assert!((a3 - 3.0 * a).abs() < 1e-13);
        // an unpenalized group (τ = 0, c = 0): infinite unless u = 0
        let free = GroupLasso::new(scattered(), Some(vec![1.0, 0.0, 1.0])).unwrap();
        assert_eq!(free.group_dual_norm(&[0.1], 1), f64::INFINITY);
        assert_eq!(free.group_dual_norm(&[0.0], 1), 0.0);
        assert!(!free.is_penalized(2) && free.is_penalized(1));
        // its gradient entries are ignored by alpha_max
        let g = [0.3, -0.4, 7.0, 0.0, 0.4, 0.0];
        let am = free.alpha_max(&g).unwrap();
        assert!((am - (0.3f64.hypot(0.4)).max(0.4)).abs() < 1e-15);
    }

    /// The screening test is safe: whenever it passes for a ball, every point of the ball
    /// (its centre, points on the sphere along each axis and along `u` itself) makes `w_G = 0`
    /// optimal; and it does pass well inside the dual ball.
    #[test]
    fn screening_test_is_safe_on_its_ball() {
        let pen = GroupLasso::sparse(scattered(), Some(vec![1.0, 2.0, 1.5]), 0.0).unwrap();
        let sgl = GroupLasso::sparse(scattered(), Some(vec![1.0, 2.0, 1.5]), 0.4).unwrap();
        let u: [f64; 3] = [0.3, -0.5, 0.2];
        let nu = norm2(&u);
        let mut passed = 0;
        for p in [&pen, &sgl] {
            for alpha in [0.3, 0.6, 1.0, 2.0] {
                for radius in [0.0, 0.05, 0.2, 0.5] {
                    if !p.zero_is_safe_group(&u, radius, alpha, 2) {
                        continue;
                    }
                    passed += 1;
                    let mut probes: Vec<[f64; 3]> = vec![u, u.map(|v| v * (1.0 + radius / nu))];
                    for k in 0..3 {
                        for sgn in [-1.0, 1.0] {
                            let mut z = u;
                            z[k] += sgn * radius;
                            probes.push(z);
                        }
                    }
                    for z in probes {
                        let grad = z.map(|v| -v);
                        assert!(
                            p.zero_is_optimal_group(&grad, alpha, 2),
                            "{z:?} {alpha} {radius}"
                        );
                    }
                }
            }
        }
        assert!(passed >= 8, "{passed}");
        // the boundary itself is never screened (w_G may be nonzero there)
        let a = pen.group_dual_norm(&u, 2);
        assert!(!pen.zero_is_safe_group(&u, 0.0, a, 2));
        let free = GroupLasso::new(scattered(), Some(vec![1.0, 0.0, 1.0])).unwrap();
        assert!(!free.zero_is_safe_group(&[0.0], 0.0, 1.0, 1));
    }

    #[test]
    fn zero_group_test_matches_distance() {
        let pen = GroupLasso::sparse(scattered(), None, 0.5).unwrap();
        let grad = [0.5, -0.2];
        for alpha in [0.1, 0.5, 1.0, 2.0] {
            let d = pen.subdiff_distance_group(&[0.0, 0.0], &grad, alpha, 0);
            assert_eq!(pen.zero_is_optimal_group(&grad, alpha, 0), d == 0.0);
        }
    }
}
