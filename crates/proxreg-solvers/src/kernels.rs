//! Contiguous column kernels with an implicit column offset (centering): the inner loops of the
//! solvers. Eight independent accumulators let the compiler vectorise and shorten the
//! dependency chain; every kernel reads each slice once.

use proxreg_core::Scalar;

/// `Σ_i (x_i − mu) · r_i`.
#[inline(always)]
pub(crate) fn dot_off<T: Scalar>(x: &[T], mu: T, r: &[T]) -> T {
    debug_assert_eq!(x.len(), r.len());
    let mut acc = [T::zero(); 8];
    let split = x.len() - x.len() % 8;
    let (xc, xr) = x.split_at(split);
    let (rc, rr) = r.split_at(split);
    for (a, b) in xc.chunks_exact(8).zip(rc.chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += (a[l] - mu) * b[l];
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (a, b) in xr.iter().zip(rr) {
        s += (*a - mu) * *b;
    }
    s
}

/// `r_i <- r_i + a · (x_i − mu)`.
#[inline(always)]
pub(crate) fn axpy_off<T: Scalar>(a: T, x: &[T], mu: T, r: &mut [T]) {
    debug_assert_eq!(x.len(), r.len());
    let c = a * mu;
    for (ri, &xi) in r.iter_mut().zip(x) {
        *ri += a * xi - c;
    }
}

/// `out[c] = Σ_i (x_c,i − mu_c) · r_i` for four columns at once: `r` is read once for the four
/// (a block of `X_Gᵀr`); four lanes per column, summed in a fixed order.
#[inline(always)]
pub(crate) fn dot4_off<T: Scalar>(x: [&[T]; 4], mu: [T; 4], r: &[T]) -> [T; 4] {
    let n = r.len();
    debug_assert!(x.iter().all(|c| c.len() == n));
    let split = n - n % 4;
    let mut acc = [[T::zero(); 4]; 4];
    for i in (0..split).step_by(4) {
        let rr = &r[i..i + 4];
        for c in 0..4 {
            let xc = &x[c][i..i + 4];
            for l in 0..4 {
                acc[c][l] += (xc[l] - mu[c]) * rr[l];
            }
        }
    }
    let mut out = [T::zero(); 4];
    for c in 0..4 {
        let a = acc[c];
        let mut s = (a[0] + a[1]) + (a[2] + a[3]);
        for i in split..n {
            s += (x[c][i] - mu[c]) * r[i];
        }
        out[c] = s;
    }
    out
}

/// `r_i <- r_i + Σ_c a_c · (x_c,i − mu_c)` for four columns at once (`r` read and written once).
#[inline(always)]
pub(crate) fn axpy4_off<T: Scalar>(a: [T; 4], x: [&[T]; 4], mu: [T; 4], r: &mut [T]) {
    let n = r.len();
    debug_assert!(x.iter().all(|c| c.len() == n));
    let c = [a[0] * mu[0], a[1] * mu[1], a[2] * mu[2], a[3] * mu[3]];
    let (x0, x1, x2, x3) = (&x[0][..n], &x[1][..n], &x[2][..n], &x[3][..n]);
    for i in 0..n {
        r[i] += ((a[0] * x0[i] - c[0]) + (a[1] * x1[i] - c[1]))
            + ((a[2] * x2[i] - c[2]) + (a[3] * x3[i] - c[3]));
    }
}

/// `Σ_i v_i²` with plain accumulation (used on residuals, whose scale is that of `y`).
#[inline]
pub(crate) fn sq_norm<T: Scalar>(v: &[T]) -> T {
    dot_off(v, T::zero(), v)
}

/// `Σ_i a_i b_i`.
#[inline]
pub(crate) fn dot<T: Scalar>(a: &[T], b: &[T]) -> T {
    dot_off(a, T::zero(), b)
}

/// `Σ_i (x_i − mu)²`.
#[inline]
pub(crate) fn sq_norm_off<T: Scalar>(x: &[T], mu: T) -> T {
    let mut acc = [T::zero(); 4];
    let split = x.len() - x.len() % 4;
    let (xc, xr) = x.split_at(split);
    for a in xc.chunks_exact(4) {
        for l in 0..4 {
            let d = a[l] - mu;
            acc[l] += d * d;
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for &a in xr {
        let d = a - mu;
        s += d * d;
    }
    s
}

/// A tiny deterministic generator (xorshift64*), for the seeded random coordinate order.
#[derive(Debug, Clone)]
pub(crate) struct XorShift(u64);

impl XorShift {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Fisher–Yates shuffle.
    pub(crate) fn shuffle<U>(&mut self, v: &mut [U]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_match_naive_sums() {
        let x: Vec<f64> = (0..19).map(|i| (i as f64 * 0.37).sin()).collect();
        let r: Vec<f64> = (0..19).map(|i| (i as f64 * 1.1).cos()).collect();
        let mu = 0.25;
        let naive: f64 = x.iter().zip(&r).map(|(a, b)| (a - mu) * b).sum();
        assert!((dot_off(&x, mu, &r) - naive).abs() < 1e-14);
        let naive_sq: f64 = x.iter().map(|a| (a - mu) * (a - mu)).sum();
        assert!((sq_norm_off(&x, mu) - naive_sq).abs() < 1e-14);
        let mut r2 = r.clone();
        axpy_off(2.0, &x, mu, &mut r2);
        for i in 0..19 {
            assert!((r2[i] - (r[i] + 2.0 * (x[i] - mu))).abs() < 1e-14);
        }
    }

    #[test]
    fn four_column_kernels_match_the_one_column_ones() {
        for n in [0usize, 3, 4, 19, 203] {
            let cols: Vec<Vec<f64>> = (0..4)
                .map(|c| {
                    (0..n)
                        .map(|i| ((i * 7 + c * 13) as f64 * 0.37).sin())
                        .collect()
                })
                .collect();
            let r: Vec<f64> = (0..n).map(|i| (i as f64 * 1.1).cos()).collect();
            let mu = [0.25, -0.5, 0.0, 1.5];
            let a = [2.0, -0.75, 0.0, 1e-3];
            let x = [&cols[0][..], &cols[1][..], &cols[2][..], &cols[3][..]];
            let got = dot4_off(x, mu, &r);
            let mut r4 = r.clone();
            axpy4_off(a, x, mu, &mut r4);
            let mut r1 = r.clone();
            for c in 0..4 {
                let one = dot_off(x[c], mu[c], &r);
                assert!(
                    (got[c] - one).abs() <= 1e-13 * (1.0 + one.abs()),
                    "n {n} col {c}"
                );
                axpy_off(a[c], x[c], mu[c], &mut r1);
            }
            for (u, v) in r4.iter().zip(&r1) {
                assert!((u - v).abs() <= 1e-13, "n {n}");
            }
        }
    }

    #[test]
    fn shuffle_is_a_seeded_permutation() {
        let mut a: Vec<usize> = (0..50).collect();
        let mut b = a.clone();
        XorShift::new(7).shuffle(&mut a);
        XorShift::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(a, sorted);
    }
}
