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
