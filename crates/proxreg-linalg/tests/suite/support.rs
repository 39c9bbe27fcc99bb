//! Seeded data, tolerances, and the one conformance check every backend goes through.

use proxreg_linalg::{
    check_gemv, check_gemv_t, ColMajor, DesignMatrix, Error, Parallelism, Scalar,
};

/// SplitMix64: small, seeded, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[-1, 1)`.
    pub fn uniform<T: Scalar>(&mut self) -> T {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        T::lit(2.0 * u - 1.0)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn vec<T: Scalar>(&mut self, n: usize) -> Vec<T> {
        (0..n).map(|_| self.uniform()).collect()
    }
}

/// Shapes every backend is run on: 1×1, single rows/columns, n < p, n > p, sizes that are not
/// multiples of the kernels' blocks, plus a few seeded random ones.
pub fn shapes() -> Vec<(usize, usize)> {
    let mut s = vec![
        (1, 1),
        (1, 6),
        (6, 1),
        (3, 7),
        (7, 3),
        (17, 9),
        (9, 17),
        (70, 13),
        (13, 70),
        (300, 5),
    ];
    let mut rng = Rng::new(7);
    for _ in 0..4 {
        s.push((1 + rng.below(40), 1 + rng.below(40)));
    }
    s
}

pub fn random_matrix<T: Scalar>(n: usize, p: usize, seed: u64) -> ColMajor<T> {
    let mut rng = Rng::new(seed);
    ColMajor::from_fn(n, p, |_, _| rng.uniform())
}

/// Entry-wise tolerance for a sum of `k` products whose absolute values sum to `abs`:
/// a constant times `eps × k × abs` (the classical bound for any summation order).
pub fn tol<T: Scalar>(k: usize, abs: T) -> T {
    T::lit(4.0) * T::epsilon() * T::from_count(k + 2) * abs + T::min_positive_value()
}

#[track_caller]
pub fn assert_close<T: Scalar>(what: &str, got: &[T], want: &[T], tols: &[T]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, ((&g, &w), &t)) in got.iter().zip(want).zip(tols).enumerate() {
        assert!(
            (g - w).abs() <= t,
            "{what}[{i}]: got {g}, want {w}, diff {} > tol {t}",
            (g - w).abs()
        );
    }
}

/// `|beta · y|`, zero when `beta == 0` (the output is overwritten, NaN included).
fn scaled_abs<T: Scalar>(beta: T, y: T) -> T {
    if beta == T::zero() {
        T::zero()
    } else {
        (beta * y).abs()
    }
}

/// `|X| · |w|` (the scale of the rounding error of `X w`).
fn abs_gemv<T: Scalar>(x: &ColMajor<T>, w: &[T]) -> Vec<T> {
    let mut out = vec![T::zero(); x.nrows()];
    for (j, wj) in w.iter().enumerate() {
        for (o, &v) in out.iter_mut().zip(x.col(j)) {
            *o += v.abs() * wj.abs();
        }
    }
    out
}

fn abs_gemv_t<T: Scalar>(x: &ColMajor<T>, r: &[T]) -> Vec<T> {
    (0..x.ncols())
        .map(|j| x.col(j).iter().zip(r).map(|(a, b)| a.abs() * b.abs()).sum())
        .collect()
}

/// `max_ij |A_ij - B_ij|` for equal shapes.
pub fn max_diff<T: Scalar>(a: &ColMajor<T>, b: &ColMajor<T>) -> T {
    assert_eq!((a.nrows(), a.ncols()), (b.nrows(), b.ncols()), "shapes");
    a.as_slice()
        .iter()
        .zip(b.as_slice())
        .fold(T::zero(), |m, (x, y)| m.max((*x - *y).abs()))
}

/// `A Bᵀ`-style products for reconstruction checks: `A diag(s) Bᵀ`.
pub fn usvt<T: Scalar>(u: &ColMajor<T>, s: &[T], v: &ColMajor<T>) -> ColMajor<T> {
    ColMajor::from_fn(u.nrows(), v.nrows(), |i, j| {
        (0..s.len()).map(|k| u.col(k)[i] * s[k] * v.col(k)[j]).sum()
    })
}

/// `max |QᵀQ - I|`.
pub fn orthonormality_error<T: Scalar>(q: &ColMajor<T>) -> T {
    let r = q.ncols();
    let mut e = T::zero();
    for a in 0..r {
        for b in 0..r {
            let d: T = q.col(a).iter().zip(q.col(b)).map(|(x, y)| *x * *y).sum();
            let want = if a == b { T::one() } else { T::zero() };
            e = e.max((d - want).abs());
        }
    }
    e
}

/// What a backend promises about `col_slice`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contiguity {
    /// Every column is contiguous: `col_slice` must be `Some`.
    Columns,
    /// Columns are strided (when `n > 1`): `col_slice` must be `None`.
    Strided,
    /// Sparse columns (CSC): `col_slice` is `None`, `fast_column_access` is `true`.
    Sparse,
}

/// Runs every operation of `m` and compares it with the `ColMajor` reference `x` holding the
/// same entries. Products within `eps × size`, copies exactly.
pub fn check_backend<T: Scalar, M: DesignMatrix<T>>(
    label: &str,
    x: &ColMajor<T>,
    m: &M,
    contiguity: Contiguity,
    seed: u64,
) {
    let (n, p) = (x.nrows(), x.ncols());
    let ctx = format!("{label} {n}x{p} {}", core::any::type_name::<T>());
    assert_eq!((m.nrows(), m.ncols()), (n, p), "{ctx}: shape");
    let mut rng = Rng::new(seed);

    // Shape checks at the boundary are typed errors, never panics.
    let w: Vec<T> = rng.vec(p);
    let r: Vec<T> = rng.vec(n);
    assert!(matches!(
        check_gemv(m, &w[..p - 1], &r),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        check_gemv(m, &w, &vec![T::zero(); n + 1]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        check_gemv_t(m, &r[..n - 1], &w),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(check_gemv(m, &w, &r).is_ok() && check_gemv_t(m, &r, &w).is_ok());

    // gemv / gemv_t in alpha/beta form; beta = 0 overwrites NaN in the output.
    let abs_y = abs_gemv(x, &w);
    let abs_g = abs_gemv_t(x, &r);
    for &(alpha, beta) in &[(1.0, 0.0), (1.3, 1.0), (-0.5, -0.7), (0.0, 0.5)] {
        let (alpha, beta) = (T::lit(alpha), T::lit(beta));
        let y0: Vec<T> = if beta == T::zero() {
            vec![T::nan(); n]
        } else {
            rng.vec(n)
        };
        let (mut got, mut want) = (y0.clone(), y0.clone());
        m.gemv(alpha, &w, beta, &mut got);
        x.gemv(alpha, &w, beta, &mut want);
        let tols: Vec<T> = abs_y
            .iter()
            .zip(&y0)
            .map(|(a, y)| tol(p, alpha.abs() * *a + scaled_abs(beta, *y)))
            .collect();
        assert_close(
            &format!("{ctx} gemv a={alpha} b={beta}"),
            &got,
            &want,
            &tols,
        );

        let g0: Vec<T> = if beta == T::zero() {
            vec![T::nan(); p]
        } else {
            rng.vec(p)
        };
        let (mut got, mut want) = (g0.clone(), g0.clone());
        m.gemv_t(alpha, &r, beta, &mut got);
        x.gemv_t(alpha, &r, beta, &mut want);
        let tols: Vec<T> = abs_g
            .iter()
            .zip(&g0)
            .map(|(a, g)| tol(n, alpha.abs() * *a + scaled_abs(beta, *g)))
            .collect();
        assert_close(
            &format!("{ctx} gemv_t a={alpha} b={beta}"),
            &got,
            &want,
            &tols,
        );
    }

    // Column kernels.
    for j in 0..p {
        let d = m.col_dot(j, &r);
        let want = x.col_dot(j, &r);
        let t = tol(n, abs_g[j]);
        assert!((d - want).abs() <= t, "{ctx} col_dot {j}: {d} vs {want}");

        let a = T::lit(0.7);
        let (mut got, mut want) = (r.clone(), r.clone());
        m.col_axpy(j, a, &mut got);
        x.col_axpy(j, a, &mut want);
        let tols: Vec<T> = r.iter().map(|v| tol(1, v.abs() + T::one())).collect();
        assert_close(&format!("{ctx} col_axpy {j}"), &got, &want, &tols);

        match (m.col_slice(j), contiguity) {
            (Some(_), Contiguity::Sparse) => panic!("{ctx}: a sparse column {j} as slice"),
            (Some(s), _) => assert_eq!(s, x.col(j), "{ctx} col_slice {j} contents"),
            (None, Contiguity::Columns) => panic!("{ctx}: column {j} should be contiguous"),
            (None, Contiguity::Strided | Contiguity::Sparse) => {}
        }
        if contiguity == Contiguity::Strided && n > 1 && p > 1 {
            assert!(
                m.col_slice(j).is_none(),
                "{ctx}: strided column {j} as slice"
            );
        }
    }
    assert!(m.col_slice(p).is_none(), "{ctx}: col_slice out of range");
    match contiguity {
        Contiguity::Columns | Contiguity::Sparse => {
            assert!(m.fast_column_access(), "{ctx}: fast columns")
        }
        Contiguity::Strided if n > 1 && p > 1 => {
            assert!(
                !m.fast_column_access(),
                "{ctx}: strided columns are not fast"
            );
        }
        Contiguity::Strided => {}
    }
    let mut got = vec![T::nan(); p];
    let mut want = vec![T::zero(); p];
    m.col_sq_norms(&mut got);
    x.col_sq_norms(&mut want);
    let tols: Vec<T> = want.iter().map(|&v| tol(n, v)).collect();
    assert_close(&format!("{ctx} col_sq_norms"), &got, &want, &tols);

    // Copies are exact.
    assert_eq!(&m.to_col_major(), x, "{ctx} to_col_major");
    let rows: Vec<usize> = (0..n + 3).map(|_| rng.below(n)).collect();
    let sel = m.select_rows(&rows).expect("valid rows");
    assert_eq!(
        sel.to_col_major(),
        x.select_rows(&rows).expect("valid rows"),
        "{ctx} select_rows"
    );
    assert_eq!(
        m.select_rows(&[]).expect("no rows").to_col_major().nrows(),
        0,
        "{ctx} select_rows empty"
    );
    assert!(matches!(
        m.select_rows(&[0, n]),
        Err(Error::IndexOutOfRange { index, len, .. }) if index == n && len == n
    ));

    // Gram matrices: within eps × n of the reference, exactly symmetric.
    for outer in [false, true] {
        let (got, want, k) = if outer {
            (
                m.gram_outer(Parallelism::Sequential),
                x.gram_outer(Parallelism::Sequential),
                p,
            )
        } else {
            (
                m.gram(Parallelism::Sequential),
                x.gram(Parallelism::Sequential),
                n,
            )
        };
        let d = want.nrows();
        assert_eq!((got.nrows(), got.ncols()), (d, d), "{ctx} gram shape");
        // |X|ᵀ|X| is bounded by k (entries in [-1, 1]).
        let t = tol(k, T::from_count(k));
        let diff = max_diff(&got, &want);
        assert!(diff <= t, "{ctx} gram(outer={outer}) diff {diff} > {t}");
        for i in 0..d {
            for j in 0..d {
                assert_eq!(got.get(i, j), got.get(j, i), "{ctx} gram symmetry");
            }
        }
    }

    // Thin SVD: reconstruction, orthonormal factors, same singular values as the reference.
    let svd = m.thin_svd().expect("svd of finite data");
    let rank = n.min(p);
    assert_eq!(svd.s().len(), rank, "{ctx} svd rank");
    assert_eq!(
        (svd.u().nrows(), svd.u().ncols()),
        (n, rank),
        "{ctx} U shape"
    );
    assert_eq!(
        (svd.v().nrows(), svd.v().ncols()),
        (p, rank),
        "{ctx} V shape"
    );
    let smax = svd.s()[0];
    assert!(
        svd.s().windows(2).all(|w| w[0] >= w[1]),
        "{ctx} s descending"
    );
    assert!(svd.s().iter().all(|&s| s >= T::zero()), "{ctx} s >= 0");
    let big = T::lit(30.0) * T::epsilon() * T::from_count(n.max(p) + 1);
    let rec = usvt(svd.u(), svd.s(), svd.v());
    let e = max_diff(&rec, x);
    assert!(e <= big * smax, "{ctx} X = U S Vᵀ: {e}");
    assert!(orthonormality_error(svd.u()) <= big, "{ctx} UᵀU = I");
    assert!(orthonormality_error(svd.v()) <= big, "{ctx} VᵀV = I");
    let reference = x.thin_svd().expect("reference svd");
    let sd = svd
        .s()
        .iter()
        .zip(reference.s())
        .fold(T::zero(), |m, (a, b)| m.max((*a - *b).abs()));
    assert!(sd <= big * smax, "{ctx} singular values vs reference: {sd}");
}
