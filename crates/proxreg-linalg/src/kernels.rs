//! Pure-Rust dense kernels on column slices, shared by [`ColMajor`](crate::ColMajor) and by the
//! backends' fallbacks. Written so that LLVM vectorises them on the baseline target: independent
//! accumulator lanes for reductions, several columns fused per pass for matrix-vector products,
//! and register-blocked micro-kernels on row panels for the Gram matrices.

use crate::Scalar;

/// Lanes of independent accumulators in reductions (a multiple of every SIMD width we target).
const LANES: usize = 8;

/// `Σ a[i] b[i]` with eight independent accumulators.
#[inline]
pub(crate) fn dot<T: Scalar>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [T::zero(); LANES];
    let ca = a.chunks_exact(LANES);
    let cb = b.chunks_exact(LANES);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..LANES {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        s += *x * *y;
    }
    s
}

/// Four dot products of columns `c0..c3` with one vector `r`, sharing the loads of `r`.
#[inline]
fn dot4<T: Scalar>(c: [&[T]; 4], r: &[T]) -> [T; 4] {
    const L: usize = 4;
    let n = r.len();
    let mut acc = [[T::zero(); L]; 4];
    let full = n - n % L;
    let mut i = 0;
    while i < full {
        let rr = &r[i..i + L];
        for (k, ck) in c.iter().enumerate() {
            let x = &ck[i..i + L];
            for l in 0..L {
                acc[k][l] += x[l] * rr[l];
            }
        }
        i += L;
    }
    let mut out = [T::zero(); 4];
    for k in 0..4 {
        let mut s = (acc[k][0] + acc[k][2]) + (acc[k][1] + acc[k][3]);
        for t in full..n {
            s += c[k][t] * r[t];
        }
        out[k] = s;
    }
    out
}

/// `y <- y + a x`.
#[inline]
pub(crate) fn axpy<T: Scalar>(a: T, x: &[T], y: &mut [T]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// `y <- y + Σ_k a[k] c[k]` for four columns in one pass over `y`.
#[inline]
fn axpy4<T: Scalar>(a: [T; 4], c: [&[T]; 4], y: &mut [T]) {
    let n = y.len();
    let (c0, c1, c2, c3) = (&c[0][..n], &c[1][..n], &c[2][..n], &c[3][..n]);
    for i in 0..n {
        y[i] += (a[0] * c0[i] + a[1] * c1[i]) + (a[2] * c2[i] + a[3] * c3[i]);
    }
}

/// `y <- beta y` with the BLAS convention that `beta == 0` overwrites (NaN does not survive).
#[inline]
pub(crate) fn scale_out<T: Scalar>(beta: T, y: &mut [T]) {
    if beta == T::zero() {
        y.iter_mut().for_each(|v| *v = T::zero());
    } else if beta != T::one() {
        y.iter_mut().for_each(|v| *v *= beta);
    }
}

/// `y <- alpha Σ_j w[j] col(j) + beta y` over columns given by `col`.
pub(crate) fn gemv_cols<'a, T: Scalar>(
    ncols: usize,
    col: impl Fn(usize) -> &'a [T],
    alpha: T,
    w: &[T],
    beta: T,
    y: &mut [T],
) {
    scale_out(beta, y);
    if alpha == T::zero() {
        return;
    }
    let mut j = 0;
    while j + 4 <= ncols {
        let a = [
            alpha * w[j],
            alpha * w[j + 1],
            alpha * w[j + 2],
            alpha * w[j + 3],
        ];
        if a.iter().any(|&v| v != T::zero()) {
            axpy4(a, [col(j), col(j + 1), col(j + 2), col(j + 3)], y);
        }
        j += 4;
    }
    for k in j..ncols {
        if w[k] != T::zero() {
            axpy(alpha * w[k], col(k), y);
        }
    }
}

/// `g <- alpha [<col(j), r>]_j + beta g`.
pub(crate) fn gemv_t_cols<'a, T: Scalar>(
    ncols: usize,
    col: impl Fn(usize) -> &'a [T],
    alpha: T,
    r: &[T],
    beta: T,
    g: &mut [T],
) {
    let put = |gj: &mut T, d: T| {
        *gj = if beta == T::zero() {
            alpha * d
        } else {
            beta * *gj + alpha * d
        };
    };
    let mut j = 0;
    while j + 4 <= ncols {
        let d = dot4([col(j), col(j + 1), col(j + 2), col(j + 3)], r);
        for (k, dk) in d.into_iter().enumerate() {
            put(&mut g[j + k], dk);
        }
        j += 4;
    }
    for k in j..ncols {
        put(&mut g[k], dot(col(k), r));
    }
}

/// Rows per panel of the Gram kernel: a panel of four columns stays in L1.
const PANEL: usize = 256;
/// Micro-kernel block: `MR × NR` entries of the Gram matrix accumulated in registers.
const MR: usize = 4;
const NR: usize = 4;
/// Lanes per accumulator in the micro-kernel.
const GL: usize = 2;

/// Accumulates `out[a][b] += <x_a, y_b>` over one row panel (all slices of equal length).
#[inline]
fn micro<T: Scalar>(xs: &[&[T]; MR], ys: &[&[T]; NR], out: &mut [[T; NR]; MR]) {
    let len = xs[0].len();
    let full = len - len % GL;
    let mut acc = [[[T::zero(); GL]; NR]; MR];
    let mut i = 0;
    while i < full {
        let mut xv = [[T::zero(); GL]; MR];
        for a in 0..MR {
            xv[a].copy_from_slice(&xs[a][i..i + GL]);
        }
        for b in 0..NR {
            let yv = &ys[b][i..i + GL];
            for a in 0..MR {
                for l in 0..GL {
                    acc[a][b][l] += xv[a][l] * yv[l];
                }
            }
        }
        i += GL;
    }
    for a in 0..MR {
        for b in 0..NR {
            let mut s = acc[a][b][0];
            for l in 1..GL {
                s += acc[a][b][l];
            }
            for t in full..len {
                s += xs[a][t] * ys[b][t];
            }
            out[a][b] += s;
        }
    }
}

/// The Gram matrix `G = XᵀX` (`p × p`, column-major data) of the columns given by `col`,
/// each of length `n`.
///
/// Blocked like a BLAS-3 kernel: rows are split in panels of [`PANEL`]; within a panel every
/// `MR × NR` block of the lower triangle is accumulated in registers, so each loaded element
/// feeds several multiply-adds. The upper triangle is mirrored at the end, so `G` is exactly
/// symmetric.
pub(crate) fn gram_cols<'a, T: Scalar>(
    n: usize,
    p: usize,
    col: impl Fn(usize) -> &'a [T],
) -> Vec<T> {
    let mut g = vec![T::zero(); p * p];
    let mut r0 = 0;
    while r0 < n {
        let r1 = (r0 + PANEL).min(n);
        let seg = |j: usize| &col(j)[r0..r1];
        let mut j0 = 0;
        while j0 < p {
            let jb = MR.min(p - j0);
            let mut k0 = 0;
            // Blocks (j0.., k0..) with k0 <= j0: the lower triangle, diagonal blocks included.
            while k0 <= j0 {
                let kb = NR.min(p - k0);
                if jb == MR && kb == NR {
                    let xs = [seg(j0), seg(j0 + 1), seg(j0 + 2), seg(j0 + 3)];
                    let ys = [seg(k0), seg(k0 + 1), seg(k0 + 2), seg(k0 + 3)];
                    let mut out = [[T::zero(); NR]; MR];
                    micro(&xs, &ys, &mut out);
                    for (a, row) in out.iter().enumerate() {
                        for (b, &v) in row.iter().enumerate() {
                            g[(k0 + b) * p + j0 + a] += v;
                        }
                    }
                } else {
                    for a in 0..jb {
                        for b in 0..kb {
                            g[(k0 + b) * p + j0 + a] += dot(seg(j0 + a), seg(k0 + b));
                        }
                    }
                }
                k0 += NR;
            }
            j0 += MR;
        }
        r0 = r1;
    }
    mirror_lower(&mut g, p);
    g
}

/// Copies the strict lower triangle of the `p × p` column-major `g` onto its upper triangle.
pub(crate) fn mirror_lower<T: Scalar>(g: &mut [T], p: usize) {
    for j in 0..p {
        for i in j + 1..p {
            g[i * p + j] = g[j * p + i];
        }
    }
}

/// Columns of the outer Gram matrix computed per block of `G`'s columns.
const OUTER_BLOCK: usize = 64;

/// The outer Gram matrix `XXᵀ` (`n × n`, column-major data) of the columns given by `col`,
/// each of length `n`: a sum of rank-one updates, four columns of `X` fused per pass over a
/// block of `G`'s columns, lower triangle only, then mirrored.
pub(crate) fn gram_outer_cols<'a, T: Scalar>(
    n: usize,
    p: usize,
    col: impl Fn(usize) -> &'a [T],
) -> Vec<T> {
    let mut g = vec![T::zero(); n * n];
    let mut k0 = 0;
    while k0 < n {
        let k1 = (k0 + OUTER_BLOCK).min(n);
        let mut j = 0;
        while j + 4 <= p {
            let c = [col(j), col(j + 1), col(j + 2), col(j + 3)];
            for k in k0..k1 {
                let a = [c[0][k], c[1][k], c[2][k], c[3][k]];
                let tail = [&c[0][k..], &c[1][k..], &c[2][k..], &c[3][k..]];
                axpy4(a, tail, &mut g[k * n + k..(k + 1) * n]);
            }
            j += 4;
        }
        for jj in j..p {
            let c = col(jj);
            for k in k0..k1 {
                axpy(c[k], &c[k..], &mut g[k * n + k..(k + 1) * n]);
            }
        }
        k0 = k1;
    }
    mirror_lower(&mut g, n);
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_gram(x: &[f64], n: usize, p: usize) -> Vec<f64> {
        let mut g = vec![0.0; p * p];
        for j in 0..p {
            for k in 0..p {
                g[k * p + j] = (0..n).map(|i| x[j * n + i] * x[k * n + i]).sum();
            }
        }
        g
    }

    #[test]
    fn blocked_grams_match_naive_on_odd_shapes() {
        for &(n, p) in &[(1, 1), (3, 7), (300, 9), (257, 13), (5, 4), (9, 300)] {
            let x: Vec<f64> = (0..n * p)
                .map(|t| ((t * 7919) % 23) as f64 - 11.0)
                .collect();
            let col = |j: usize| &x[j * n..(j + 1) * n];
            assert_eq!(gram_cols(n, p, col), naive_gram(&x, n, p), "gram {n}x{p}");
            // XXᵀ of X is the Gram of Xᵀ.
            let xt: Vec<f64> = (0..p * n).map(|t| x[(t % p) * n + t / p]).collect();
            assert_eq!(
                gram_outer_cols(n, p, col),
                naive_gram(&xt, p, n),
                "outer {n}x{p}"
            );
        }
    }
}
