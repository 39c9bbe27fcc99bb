//! [`DesignMatrix`] for `nalgebra::DMatrix<T>` and its views (`DMatrixView`, `DMatrixViewMut`,
//! with unit or arbitrary row stride).
//!
//! Products use nalgebra's `gemv` / `gemv_tr`; the Gram matrices use nalgebra's `gemm`, which
//! calls `matrixmultiply` (a blocked BLAS-3 kernel) for `f32`/`f64`. The thin SVD is nalgebra's.

use nalgebra::{
    DMatrix, DMatrixView, DMatrixViewMut, DVectorView, DVectorViewMut, Dim, Dyn, Matrix, Storage,
    SVD, U1,
};

use crate::kernels::{axpy, dot, mirror_lower, scale_out};
use crate::{ColMajor, DesignMatrix, Error, Parallelism, Result, Scalar, ThinSvd};

/// The scalar bound of the nalgebra impls (`f32` and `f64` satisfy it).
trait NaScalar: Scalar + nalgebra::RealField {}
impl<T: Scalar + nalgebra::RealField> NaScalar for T {}

type Na<T, S> = Matrix<T, Dyn, Dyn, S>;

fn to_col_major<T: NaScalar, S: Storage<T, Dyn, Dyn>>(x: &Na<T, S>) -> ColMajor<T> {
    let (n, p) = x.shape();
    let mut out = ColMajor::zeros(n, p);
    for j in 0..p {
        for (o, v) in out.col_mut(j).iter_mut().zip(x.column(j).iter()) {
            *o = *v;
        }
    }
    out
}

fn gemv_impl<T: NaScalar, S: Storage<T, Dyn, Dyn>>(
    x: &Na<T, S>,
    alpha: T,
    w: &[T],
    beta: T,
    y: &mut [T],
) {
    scale_out(beta, y);
    let n = y.len();
    let mut yv = DVectorViewMut::from_slice(y, n);
    yv.gemv(alpha, x, &DVectorView::from_slice(w, w.len()), T::one());
}

fn gemv_t_impl<T: NaScalar, S: Storage<T, Dyn, Dyn>>(
    x: &Na<T, S>,
    alpha: T,
    r: &[T],
    beta: T,
    g: &mut [T],
) {
    scale_out(beta, g);
    let p = g.len();
    let mut gv = DVectorViewMut::from_slice(g, p);
    gv.gemv_tr(alpha, x, &DVectorView::from_slice(r, r.len()), T::one());
}

fn select_rows_impl<T: NaScalar, S: Storage<T, Dyn, Dyn>>(
    x: &Na<T, S>,
    rows: &[usize],
) -> Result<DMatrix<T>> {
    if let Some(&bad) = rows.iter().find(|&&i| i >= x.nrows()) {
        return Err(Error::IndexOutOfRange {
            what: "matrix rows",
            index: bad,
            len: x.nrows(),
        });
    }
    Ok(DMatrix::from_fn(rows.len(), x.ncols(), |i, j| {
        x[(rows[i], j)]
    }))
}

/// `XᵀX` (or `XXᵀ` when `outer`) through nalgebra's `gemm`; `xt` is `Xᵀ` (a strided view of an
/// owned matrix, or a transposed copy for views).
fn gram_impl<T: NaScalar, S: Storage<T, Dyn, Dyn>, S2: Storage<T, Dyn, Dyn>>(
    x: &Na<T, S>,
    xt: &Na<T, S2>,
    outer: bool,
) -> ColMajor<T> {
    let d = if outer { x.nrows() } else { x.ncols() };
    let mut g = ColMajor::zeros(d, d);
    {
        let mut gv = DMatrixViewMut::from_slice(g.as_mut_slice(), d, d);
        if outer {
            gv.gemm(T::one(), x, xt, T::zero());
        } else {
            gv.gemm(T::one(), xt, x, T::zero());
        }
    }
    mirror_lower(g.as_mut_slice(), d);
    g
}

fn svd_impl<T: NaScalar, S: Storage<T, Dyn, Dyn>>(x: &Na<T, S>) -> Result<ThinSvd<T>> {
    let (n, p) = x.shape();
    if n == 0 || p == 0 {
        return Err(Error::Empty { what: "SVD input" });
    }
    for j in 0..p {
        if let Some(i) = x.column(j).iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "SVD input",
                index: j * n + i,
            });
        }
    }
    let r = n.min(p);
    let max_iter = 1000 * (r + 1);
    let svd = SVD::try_new_unordered(x.clone_owned(), true, true, T::epsilon(), max_iter).ok_or(
        Error::Numerical {
            what: "thin SVD (nalgebra)",
            reason: "no convergence",
        },
    )?;
    let (u, v_t) = match (svd.u, svd.v_t) {
        (Some(u), Some(v_t)) => (u, v_t),
        _ => {
            return Err(Error::Numerical {
                what: "thin SVD (nalgebra)",
                reason: "singular vectors were not computed",
            })
        }
    };
    let u = to_col_major(&u);
    let v = ColMajor::from_fn(p, r, |i, k| v_t[(k, i)]);
    let s = svd.singular_values.iter().copied().collect();
    ThinSvd::from_parts(u, s, v).map(ThinSvd::sorted)
}

/// Column `j` of an owned matrix.
fn owned_col<T: NaScalar>(x: &DMatrix<T>, j: usize) -> Option<&[T]> {
    let n = x.nrows();
    (j < x.ncols()).then(|| &x.as_slice()[j * n..(j + 1) * n])
}

/// Column `j` of a view with unit row stride (always contiguous).
fn unit_stride_col<'b, T: NaScalar, S>(x: &'b Na<T, S>, j: usize) -> Option<&'b [T]>
where
    S: Storage<T, Dyn, Dyn, RStride = U1>,
{
    (j < x.ncols()).then(|| x.column(j).data.into_slice())
}

/// A view with a run-time row stride: no contiguity promise.
fn strided_col<T: NaScalar, S: Storage<T, Dyn, Dyn>>(_x: &Na<T, S>, _j: usize) -> Option<&[T]> {
    None
}

fn own_gram<T: NaScalar>(x: &DMatrix<T>, outer: bool) -> ColMajor<T> {
    // Xᵀ as a strided view of the same buffer: no copy.
    let (n, p) = x.shape();
    let xt = DMatrixView::from_slice_with_strides(x.as_slice(), p, n, n, 1);
    gram_impl(x, &xt, outer)
}

fn view_gram<T: NaScalar, S: Storage<T, Dyn, Dyn>>(x: &Na<T, S>, outer: bool) -> ColMajor<T> {
    gram_impl(x, &x.transpose(), outer)
}

macro_rules! impl_nalgebra {
    ([$($gen:tt)*], $ty:ty, $col:ident, $gram:ident) => {
        impl<$($gen)*> DesignMatrix<T> for $ty {
            type Owned = DMatrix<T>;

            #[inline]
            fn nrows(&self) -> usize {
                self.shape().0
            }

            #[inline]
            fn ncols(&self) -> usize {
                self.shape().1
            }

            fn gemv(&self, alpha: T, w: &[T], beta: T, y: &mut [T]) {
                gemv_impl(self, alpha, w, beta, y);
            }

            fn gemv_t(&self, alpha: T, r: &[T], beta: T, g: &mut [T]) {
                gemv_t_impl(self, alpha, r, beta, g);
            }

            #[inline]
            fn col_dot(&self, j: usize, r: &[T]) -> T {
                match $col(self, j) {
                    Some(c) => dot(c, r),
                    None => self.column(j).iter().zip(r).map(|(&a, &b)| a * b).sum(),
                }
            }

            #[inline]
            fn col_axpy(&self, j: usize, a: T, r: &mut [T]) {
                match $col(self, j) {
                    Some(c) => axpy(a, c, r),
                    None => {
                        for (ri, &xi) in r.iter_mut().zip(self.column(j).iter()) {
                            *ri += a * xi;
                        }
                    }
                }
            }

            fn col_sq_norms(&self, out: &mut [T]) {
                for (j, o) in out.iter_mut().enumerate() {
                    *o = match $col(self, j) {
                        Some(c) => dot(c, c),
                        None => self.column(j).iter().map(|&v| v * v).sum(),
                    };
                }
            }

            fn col_slice(&self, j: usize) -> Option<&[T]> {
                $col(self, j)
            }

            fn select_rows(&self, rows: &[usize]) -> Result<DMatrix<T>> {
                select_rows_impl(self, rows)
            }

            fn to_col_major(&self) -> ColMajor<T> {
                to_col_major(self)
            }

            fn gram(&self, _par: Parallelism) -> ColMajor<T> {
                $gram(self, false)
            }

            fn gram_outer(&self, _par: Parallelism) -> ColMajor<T> {
                $gram(self, true)
            }

            fn thin_svd(&self) -> Result<ThinSvd<T>> {
                svd_impl(self)
            }
        }
    };
}

impl_nalgebra!([T: NaScalar], DMatrix<T>, owned_col, own_gram);
impl_nalgebra!(
    ['a, T: NaScalar, CS: Dim],
    DMatrixView<'a, T, U1, CS>,
    unit_stride_col,
    view_gram
);
impl_nalgebra!(
    ['a, T: NaScalar, CS: Dim],
    DMatrixView<'a, T, Dyn, CS>,
    strided_col,
    view_gram
);
impl_nalgebra!(
    ['a, T: NaScalar, CS: Dim],
    DMatrixViewMut<'a, T, U1, CS>,
    unit_stride_col,
    view_gram
);
impl_nalgebra!(
    ['a, T: NaScalar, CS: Dim],
    DMatrixViewMut<'a, T, Dyn, CS>,
    strided_col,
    view_gram
);
