//! The conformance suite, written once ([`check_backend`]) and run on every backend and view
//! kind, for f32 and f64, on every shape of [`shapes`].

use super::support::*;
use proxreg_linalg::{ColMajor, DesignMatrix, Error, Parallelism, Scalar};

/// Calls `f(x, seed)` with a seeded random reference matrix of every test shape.
fn for_each_shape<T: Scalar>(mut f: impl FnMut(&ColMajor<T>, u64)) {
    for (k, &(n, p)) in shapes().iter().enumerate() {
        let x = random_matrix::<T>(n, p, 1000 + k as u64);
        f(&x, 17 * k as u64);
    }
}

/// Entry `(i, j)` of the reference.
fn at<T: Scalar>(x: &ColMajor<T>, i: usize, j: usize) -> T {
    x.col(j)[i]
}

/// The same matrix as `x`, embedded at offset `(r0, c0)` of a larger one filled with NaN:
/// views of it must never read outside their window.
#[cfg_attr(
    not(any(feature = "faer", feature = "nalgebra", feature = "ndarray")),
    allow(dead_code)
)]
fn padded<T: Scalar>(x: &ColMajor<T>, r0: usize, c0: usize, extra: usize) -> ColMajor<T> {
    let (n, p) = (x.nrows(), x.ncols());
    ColMajor::from_fn(n + r0 + extra, p + c0 + extra, |i, j| {
        if (r0..r0 + n).contains(&i) && (c0..c0 + p).contains(&j) {
            at(x, i - r0, j - c0)
        } else {
            T::nan()
        }
    })
}

macro_rules! per_scalar {
    ($name:ident, $body:ident) => {
        mod $name {
            #[test]
            fn f32() {
                super::$body::<f32>();
            }
            #[test]
            fn f64() {
                super::$body::<f64>();
            }
        }
    };
}

fn colmajor<T: Scalar>() {
    for_each_shape::<T>(|x, s| check_backend("ColMajor", x, x, Contiguity::Columns, s));
}
per_scalar!(colmajor_conforms, colmajor);

/// The reference itself against naive loops (the oracle of the oracle).
fn colmajor_vs_naive<T: Scalar>() {
    for_each_shape::<T>(|x, s| {
        let (n, p) = (x.nrows(), x.ncols());
        let mut rng = Rng::new(s);
        let w: Vec<T> = rng.vec(p);
        let mut y = vec![T::nan(); n];
        x.gemv(T::one(), &w, T::zero(), &mut y);
        let naive: Vec<T> = (0..n)
            .map(|i| (0..p).map(|j| at(x, i, j) * w[j]).sum())
            .collect();
        let tols: Vec<T> = (0..n).map(|_| tol(p, T::from_count(p))).collect();
        assert_close("ColMajor gemv vs naive", &y, &naive, &tols);
        let g = x.gram(Parallelism::Sequential);
        let go = x.gram_outer(Parallelism::Sequential);
        for a in 0..p {
            for b in 0..p {
                let v: T = (0..n).map(|i| at(x, i, a) * at(x, i, b)).sum();
                assert!((at(&g, a, b) - v).abs() <= tol(n, T::from_count(n)));
            }
        }
        for a in 0..n {
            for b in 0..n {
                let v: T = (0..p).map(|j| at(x, a, j) * at(x, b, j)).sum();
                assert!((at(&go, a, b) - v).abs() <= tol(p, T::from_count(p)));
            }
        }
    });
}
per_scalar!(colmajor_matches_naive_loops, colmajor_vs_naive);

/// Non-finite data is a typed error from the SVD of any backend.
#[track_caller]
fn assert_svd_rejects_nan<T: Scalar, M: DesignMatrix<T>>(m: &M) {
    assert!(matches!(m.thin_svd(), Err(Error::NonFinite { .. })));
}

fn colmajor_errors<T: Scalar>() {
    let mut x = random_matrix::<T>(4, 3, 1);
    x.col_mut(1)[2] = T::nan();
    assert_svd_rejects_nan(&x);
    let empty = ColMajor::<T>::zeros(0, 3);
    assert!(matches!(empty.thin_svd(), Err(Error::Empty { .. })));
}
per_scalar!(colmajor_typed_errors, colmajor_errors);

#[cfg(feature = "faer")]
mod faer_backend {
    use super::*;
    use faer::Mat;

    fn to_faer<T: Scalar>(x: &ColMajor<T>) -> Mat<T> {
        Mat::from_fn(x.nrows(), x.ncols(), |i, j| at(x, i, j))
    }

    fn all<T: Scalar + faer::traits::RealField>() {
        for_each_shape::<T>(|x, s| {
            let (n, p) = (x.nrows(), x.ncols());
            let m = to_faer(x);
            check_backend("faer::Mat", x, &m, Contiguity::Columns, s);
            check_backend("faer::MatRef", x, &m.as_ref(), Contiguity::Columns, s);
            let big = to_faer(&padded(x, 2, 1, 3));
            let sub = big.as_ref().submatrix(2, 1, n, p);
            check_backend("faer submatrix view", x, &sub, Contiguity::Columns, s);
            let t = Mat::from_fn(p, n, |j, i| at(x, i, j));
            let tv = t.as_ref().transpose();
            check_backend(
                "faer transposed (row-major) view",
                x,
                &tv,
                Contiguity::Strided,
                s,
            );
        });
        let mut x = random_matrix::<T>(4, 3, 1);
        x.col_mut(0)[3] = T::infinity();
        assert_svd_rejects_nan(&to_faer(&x));
        assert_svd_rejects_nan(&to_faer(&x).as_ref());
    }
    per_scalar!(conforms, all);
}

#[cfg(feature = "nalgebra")]
mod nalgebra_backend {
    use super::*;
    use nalgebra::DMatrix;

    fn to_na<T: Scalar + nalgebra::RealField>(x: &ColMajor<T>) -> DMatrix<T> {
        DMatrix::from_fn(x.nrows(), x.ncols(), |i, j| at(x, i, j))
    }

    fn all<T: Scalar + nalgebra::RealField>() {
        for_each_shape::<T>(|x, s| {
            let (n, p) = (x.nrows(), x.ncols());
            let m = to_na(x);
            check_backend("DMatrix", x, &m, Contiguity::Columns, s);
            check_backend(
                "DMatrixView",
                x,
                &m.view((0, 0), (n, p)),
                Contiguity::Columns,
                s,
            );
            let big = to_na(&padded(x, 2, 1, 3));
            let sub = big.view((2, 1), (n, p));
            check_backend("DMatrixView window", x, &sub, Contiguity::Columns, s);
            // Every other row and column of a 2n × 2p matrix: run-time row stride 2.
            let spread = DMatrix::from_fn(2 * n, 2 * p, |i, j| {
                if i % 2 == 0 && j % 2 == 0 {
                    at(x, i / 2, j / 2)
                } else {
                    T::nan()
                }
            });
            let strided = spread.view_with_steps((0, 0), (n, p), (1, 1));
            check_backend("DMatrixView strided", x, &strided, Contiguity::Strided, s);
            let mut owned = m.clone();
            let vm = owned.view_mut((0, 0), (n, p));
            check_backend("DMatrixViewMut", x, &vm, Contiguity::Columns, s);
        });
        let mut x = random_matrix::<T>(4, 3, 1);
        x.col_mut(2)[0] = T::nan();
        assert_svd_rejects_nan(&to_na(&x));
        assert_svd_rejects_nan(&to_na(&x).view((0, 0), (4, 3)));
    }
    per_scalar!(conforms, all);
}

#[cfg(feature = "ndarray")]
mod ndarray_backend {
    use super::*;
    use ndarray::{Array2, ShapeBuilder, Slice};

    fn all<T: Scalar + ndarray::LinalgScalar>() {
        for_each_shape::<T>(|x, s| {
            let (n, p) = (x.nrows(), x.ncols());
            let row_major = Array2::from_shape_fn((n, p), |(i, j)| at(x, i, j));
            check_backend("Array2 row-major", x, &row_major, Contiguity::Strided, s);
            check_backend(
                "ArrayView2 row-major",
                x,
                &row_major.view(),
                Contiguity::Strided,
                s,
            );
            check_backend(
                "ArcArray2 row-major",
                x,
                &row_major.to_shared(),
                Contiguity::Strided,
                s,
            );
            let col_major = Array2::from_shape_fn((n, p).f(), |(i, j)| at(x, i, j));
            check_backend("Array2 column-major", x, &col_major, Contiguity::Columns, s);
            check_backend(
                "ArrayView2 column-major",
                x,
                &col_major.view(),
                Contiguity::Columns,
                s,
            );
            let t = Array2::from_shape_fn((p, n), |(j, i)| at(x, i, j));
            check_backend("ArrayView2 transposed", x, &t.t(), Contiguity::Columns, s);
            // Every other row and column, starting at (1, 1): both strides 2.
            let spread = Array2::from_shape_fn((2 * n + 1, 2 * p + 1), |(i, j)| {
                if i % 2 == 1 && j % 2 == 1 {
                    at(x, i / 2, j / 2)
                } else {
                    T::nan()
                }
            });
            let strided = spread.slice_each_axis(|_| Slice::new(1, None, 2));
            check_backend("ArrayView2 strided", x, &strided, Contiguity::Strided, s);
            // A window of a column-major matrix: columns contiguous, column stride > n.
            let pad = padded(x, 2, 1, 3);
            let big =
                Array2::from_shape_fn((pad.nrows(), pad.ncols()).f(), |(i, j)| at(&pad, i, j));
            let window = big.slice_each_axis(|ax| match ax.axis.index() {
                0 => Slice::from(2..2 + n),
                _ => Slice::from(1..1 + p),
            });
            check_backend(
                "ArrayView2 window (column-major)",
                x,
                &window,
                Contiguity::Columns,
                s,
            );
        });
        let mut x = Array2::<T>::zeros((4, 3));
        x[(1, 1)] = T::nan();
        assert_svd_rejects_nan(&x);
        assert_svd_rejects_nan(&x.view());
    }
    per_scalar!(conforms, all);
}

/// The CSC backend on sparsified copies of the test matrices (about half the entries, and a few
/// empty columns and rows, set to zero), with 32-bit unsigned, 64-bit signed and `usize`
/// indices, owned and borrowed; the kernels run on the stored entries only.
mod csc {
    use super::*;
    use proxreg_linalg::{CscMatrix, CscRef};

    /// `x` with entries zeroed by a seeded coin, plus column 0 and row 0 emptied.
    pub(super) fn sparsify<T: Scalar>(x: &ColMajor<T>, seed: u64) -> ColMajor<T> {
        let mut rng = Rng::new(seed);
        let (n, p) = (x.nrows(), x.ncols());
        ColMajor::from_fn(n, p, |i, j| {
            let keep = rng.below(2) == 0 && !(j == 0 && p > 2) && !(i == 0 && n > 2);
            if keep {
                at(x, i, j)
            } else {
                T::zero()
            }
        })
    }

    fn all<T: Scalar>() {
        for_each_shape::<T>(|x, s| {
            let x = sparsify(x, s + 5);
            let a = CscMatrix::<T, u32>::from_dense(&x).unwrap();
            check_backend("CscMatrix<u32>", &x, &a, Contiguity::Sparse, s);
            check_backend("CscRef<u32>", &x, &a.as_ref(), Contiguity::Sparse, s);
            let b = CscMatrix::<T, i64>::from_dense(&x).unwrap();
            let (n, p, cp, ri, v) = b.clone().into_parts();
            let view = CscRef::new(n, p, &cp, &ri, &v).unwrap();
            check_backend("CscRef<i64>", &x, &view, Contiguity::Sparse, s);
            let c = CscMatrix::<T, usize>::from_dense(&x).unwrap();
            check_backend("CscMatrix<usize>", &x, &c, Contiguity::Sparse, s);
            // the dense matrix too (every entry stored, explicit zeros included)
            let full: Vec<usize> = (0..=p).map(|j| j * n).collect();
            let rows: Vec<usize> = (0..n * p).map(|k| k % n).collect();
            let d = CscRef::new(n, p, &full, &rows, x.as_slice()).unwrap();
            check_backend("CscRef dense pattern", &x, &d, Contiguity::Sparse, s);
        });
    }
    per_scalar!(conforms, all);

    #[cfg(feature = "faer")]
    fn faer_conversions<T: Scalar + faer::traits::RealField>() {
        let x = sparsify(&random_matrix::<T>(9, 6, 3), 11);
        let ours = CscMatrix::<T, usize>::from_dense(&x).unwrap();
        assert_eq!(ours.to_col_major(), x);
        let f = ours.as_ref().to_faer().unwrap();
        assert_eq!(f.to_dense(), faer::Mat::from_fn(9, 6, |i, j| at(&x, i, j)));
        let back = CscRef::from_faer(f.as_ref()).unwrap();
        assert_eq!(back, ours.as_ref());
        assert_eq!(CscMatrix::from_faer(f.as_ref()).unwrap(), ours);
    }

    #[cfg(feature = "faer")]
    #[test]
    fn faer_round_trip_and_gaps() {
        use faer::sparse::{SparseColMatRef, SymbolicSparseColMatRef};
        faer_conversions::<f32>();
        faer_conversions::<f64>();
        // columns with gaps (col_nnz): a view is refused, a copy compacts them
        let (col_ptr, col_nnz, row_idx) = ([0_u32, 2, 4], [1_u32, 2], [1_u32, 9, 0, 2]);
        let vals = [1.0_f64, 99.0, 2.0, 3.0];
        let sym =
            SymbolicSparseColMatRef::new_checked(3, 2, &col_ptr, Some(&col_nnz), &row_idx[..]);
        let m = SparseColMatRef::new(sym, &vals);
        assert!(matches!(
            CscRef::from_faer(m),
            Err(Error::Unsupported { .. })
        ));
        let c = CscMatrix::from_faer(m).unwrap();
        assert_eq!(c.col_ptr(), &[0, 1, 3]);
        assert_eq!(c.row_idx(), &[1, 0, 2]);
        assert_eq!(c.values(), &[1.0, 2.0, 3.0]);
    }

    #[cfg(feature = "sprs")]
    #[test]
    fn sprs_csc_view_and_csr_copy() {
        let x = sparsify(&random_matrix::<f64>(8, 5, 4), 12);
        let ours = CscMatrix::<f64, usize>::from_dense(&x).unwrap();
        let (n, p, cp, ri, v) = ours.clone().into_parts();
        let csc = sprs::CsMat::new_csc((n, p), cp, ri, v);
        let view = CscRef::from_sprs(csc.view()).unwrap();
        assert_eq!(view, ours.as_ref());
        let csr = csc.to_csr();
        assert!(matches!(
            CscRef::from_sprs(csr.view()),
            Err(Error::Unsupported { .. })
        ));
        assert_eq!(CscMatrix::from_sprs(&csr).unwrap(), ours);
        assert_eq!(CscMatrix::from_sprs(&csc).unwrap(), ours);
        // 32-bit indices
        let c32: sprs::CsMatI<f32, u32> =
            sprs::CsMatI::new_csc((2, 1), vec![0, 1], vec![1], vec![2.5]);
        let x32 = CscRef::from_sprs(c32.view()).unwrap();
        assert_eq!(x32.to_col_major().col(0), &[0.0, 2.5]);
        // a NaN value is refused like anywhere else
        let bad = sprs::CsMat::new_csc((1, 1), vec![0, 1], vec![0], vec![f64::NAN]);
        assert!(matches!(
            CscRef::from_sprs(bad.view()),
            Err(Error::NonFinite { .. })
        ));
    }

    #[cfg(feature = "nalgebra-sparse")]
    #[test]
    fn nalgebra_sparse_view_and_copy() {
        let x = sparsify(&random_matrix::<f32>(7, 4, 5), 13);
        let ours = CscMatrix::<f32, usize>::from_dense(&x).unwrap();
        let (n, p, cp, ri, v) = ours.clone().into_parts();
        let m = nalgebra_sparse::CscMatrix::try_from_csc_data(n, p, cp, ri, v).unwrap();
        assert_eq!(CscRef::from_nalgebra(&m).unwrap(), ours.as_ref());
        assert_eq!(CscMatrix::from_nalgebra(&m).unwrap(), ours);
    }
}
