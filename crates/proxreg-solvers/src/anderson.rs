//! Anderson extrapolation of coordinate-descent iterates on a working set (Anderson 1965;
//! for coordinate descent, Bertrand & Massias 2021, as used by skglm).
//!
//! After `K + 1` epochs with iterates `w₀ … w_K`, let `U = [w₁ − w₀, …, w_K − w_{K−1}]`. The
//! weights `c = z / 1ᵀz` with `(UᵀU) z = 1` minimise `‖U c‖` over `1ᵀc = 1`, and the
//! extrapolated point is `Σ_i c_i w_{i+1}`. The caller keeps it only if the objective is lower.

use proxreg_core::Scalar;

/// The last `depth + 1` snapshots of the working-set coefficients.
#[derive(Debug)]
pub(crate) struct Anderson<T> {
    depth: usize,
    len: usize,
    count: usize,
    snaps: Vec<T>,
    gram: Vec<T>,
    rhs: Vec<T>,
}

impl<T: Scalar> Anderson<T> {
    pub(crate) fn new(depth: usize) -> Self {
        Self {
            depth,
            len: 0,
            count: 0,
            snaps: Vec::new(),
            gram: vec![T::zero(); depth * depth],
            rhs: vec![T::zero(); depth],
        }
    }

    /// Whether extrapolation is on.
    pub(crate) fn enabled(&self) -> bool {
        self.depth > 0
    }

    /// Forgets every snapshot; the next ones have `len` entries.
    pub(crate) fn reset(&mut self, len: usize) {
        self.len = len;
        self.count = 0;
        let need = (self.depth + 1) * len;
        if self.snaps.len() < need {
            self.snaps.resize(need, T::zero());
        }
    }

    /// Stores the blocks `w[j·k .. (j+1)·k]` for `j` in `ws`; true when `depth + 1` are stored.
    pub(crate) fn push(&mut self, w: &[T], ws: &[usize], k: usize) -> bool {
        debug_assert_eq!(ws.len() * k, self.len);
        let slot = &mut self.snaps[self.count * self.len..(self.count + 1) * self.len];
        for (dst, &j) in slot.chunks_exact_mut(k).zip(ws) {
            dst.copy_from_slice(&w[j * k..(j + 1) * k]);
        }
        self.count += 1;
        self.count == self.depth + 1
    }

    /// The newest snapshot.
    pub(crate) fn last(&self) -> &[T] {
        let c = self.count.max(1) - 1;
        &self.snaps[c * self.len..(c + 1) * self.len]
    }

    /// Writes the extrapolated point into `out` (`len` entries); false (and `out` untouched)
    /// when the differences are degenerate (the system is singular or not finite).
    pub(crate) fn extrapolate(&mut self, out: &mut [T]) -> bool {
        let (d, len) = (self.depth, self.len);
        if self.count != d + 1 || len == 0 {
            return false;
        }
        let snap = |i: usize| &self.snaps[i * len..(i + 1) * len];
        // UᵀU, with U's columns the successive differences (computed on the fly).
        for a in 0..d {
            for b in a..d {
                let (a0, a1, b0, b1) = (snap(a), snap(a + 1), snap(b), snap(b + 1));
                let mut acc = T::zero();
                for l in 0..len {
                    acc += (a1[l] - a0[l]) * (b1[l] - b0[l]);
                }
                self.gram[a * d + b] = acc;
                self.gram[b * d + a] = acc;
            }
        }
        let trace: T = (0..d).map(|a| self.gram[a * d + a]).sum();
        let ok = trace.is_finite() && trace > T::zero();
        if !ok {
            return false;
        }
        // A relative ridge keeps the solve stable when the differences are nearly collinear
        // (they are, near convergence); it only changes the weights by O(ε).
        let ridge = T::lit(1e-10) * trace;
        for a in 0..d {
            self.gram[a * d + a] += ridge;
            self.rhs[a] = T::one();
        }
        if !solve_in_place(&mut self.gram, &mut self.rhs, d) {
            return false;
        }
        let sum: T = self.rhs.iter().copied().sum();
        let ok = sum.is_finite() && sum != T::zero();
        if !ok {
            return false;
        }
        for c in &mut self.rhs {
            *c /= sum;
        }
        if self.rhs.iter().any(|c| !c.is_finite()) {
            return false;
        }
        for v in out.iter_mut() {
            *v = T::zero();
        }
        for (i, &c) in self.rhs.iter().enumerate() {
            for (v, &s) in out.iter_mut().zip(snap(i + 1)) {
                *v += c * s;
            }
        }
        out.iter().all(|v| v.is_finite())
    }
}

/// Gaussian elimination with partial pivoting on the `d × d` row-major `a`; the solution
/// replaces `b`. False for a (numerically) singular matrix.
fn solve_in_place<T: Scalar>(a: &mut [T], b: &mut [T], d: usize) -> bool {
    for col in 0..d {
        let mut piv = col;
        for r in col + 1..d {
            if a[r * d + col].abs() > a[piv * d + col].abs() {
                piv = r;
            }
        }
        let pv = a[piv * d + col];
        let ok = pv.is_finite() && pv != T::zero();
        if !ok {
            return false;
        }
        if piv != col {
            for c in 0..d {
                a.swap(col * d + c, piv * d + c);
            }
            b.swap(col, piv);
        }
        for r in col + 1..d {
            let f = a[r * d + col] / pv;
            if f != T::zero() {
                for c in col..d {
                    let v = a[col * d + c];
                    a[r * d + c] -= f * v;
                }
                let v = b[col];
                b[r] -= f * v;
            }
        }
    }
    for col in (0..d).rev() {
        let mut acc = b[col];
        for c in col + 1..d {
            acc -= a[col * d + c] * b[c];
        }
        b[col] = acc / a[col * d + col];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_matches_a_known_system() {
        // A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]], x = [1, -2, 3]: b = A x.
        let a0 = [4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0];
        let x = [1.0, -2.0, 3.0];
        let mut b: Vec<f64> = (0..3)
            .map(|r| (0..3).map(|c| a0[r * 3 + c] * x[c]).sum())
            .collect();
        let mut a = a0.to_vec();
        assert!(solve_in_place(&mut a, &mut b, 3));
        for (u, v) in b.iter().zip(x) {
            assert!((u - v).abs() < 1e-12);
        }
        let mut sing = vec![1.0, 2.0, 2.0, 4.0];
        assert!(!solve_in_place(&mut sing, &mut [1.0, 1.0], 2));
    }

    /// On a linear fixed-point iteration `w ← M w + b` with `M` of rank ≤ depth, Anderson with
    /// `depth` differences lands on the fixed point (up to the ridge's O(ε)).
    #[test]
    fn extrapolation_finds_the_fixed_point_of_a_linear_map() {
        fn run<T: Scalar>() {
            let m = [[T::lit(0.9), T::lit(0.05)], [T::lit(0.0), T::lit(0.8)]];
            let b = [T::lit(1.0), T::lit(-0.5)];
            // fixed point of w = M w + b
            let det = (T::one() - m[0][0]) * (T::one() - m[1][1]) - m[0][1] * m[1][0];
            let fx = [
                ((T::one() - m[1][1]) * b[0] + m[0][1] * b[1]) / det,
                (m[1][0] * b[0] + (T::one() - m[0][0]) * b[1]) / det,
            ];
            let mut acc = Anderson::<T>::new(3);
            acc.reset(2);
            let mut w = [T::zero(), T::zero()];
            let ws = [0usize, 1];
            let mut full = acc.push(&w, &ws, 1);
            while !full {
                w = [
                    m[0][0] * w[0] + m[0][1] * w[1] + b[0],
                    m[1][0] * w[0] + m[1][1] * w[1] + b[1],
                ];
                full = acc.push(&w, &ws, 1);
            }
            let mut out = [T::zero(); 2];
            assert!(acc.extrapolate(&mut out));
            let err = (out[0] - fx[0]).abs().max((out[1] - fx[1]).abs());
            let plain = (w[0] - fx[0]).abs().max((w[1] - fx[1]).abs());
            assert!(err < T::lit(1e-3) * plain, "err {err:?} vs plain {plain:?}");
        }
        run::<f64>();
        run::<f32>();
    }
}
