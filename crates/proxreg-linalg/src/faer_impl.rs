//! [`DesignMatrix`] for `faer::Mat<T>` and `faer::MatRef<'_, T>`, and the faer route of the
//! factorizations on [`ColMajor`].
//!
//! Products go through faer's `matmul` (a SIMD, cache-blocked kernel), so any stride works at
//! full speed; column kernels use slices when the column is contiguous.

use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::BlockStructure;
use faer::{Accum, ColMut, ColRef, Mat, MatMut, MatRef, Par, Side};

use crate::kernels::{axpy, dot, mirror_lower, scale_out};
use crate::{ColMajor, DesignMatrix, Error, Parallelism, Result, Scalar, ThinSvd};

/// faer is built without its `rayon` feature here, so every kernel runs on one thread.
fn par(_p: Parallelism) -> Par {
    Par::Seq
}

/// Column `j` as a slice when its row stride is `+1`.
fn contiguous_col<T>(x: MatRef<'_, T>, j: usize) -> Option<&[T]> {
    x.col(j).try_as_col_major().map(|c| c.as_slice())
}

pub(crate) fn to_col_major<T: Scalar>(x: MatRef<'_, T>) -> ColMajor<T> {
    let (n, p) = (x.nrows(), x.ncols());
    let mut out = ColMajor::zeros(n, p);
    for j in 0..p {
        match contiguous_col(x, j) {
            Some(c) => out.col_mut(j).copy_from_slice(c),
            None => {
                for (o, v) in out.col_mut(j).iter_mut().zip(x.col(j).iter()) {
                    *o = *v;
                }
            }
        }
    }
    out
}

/// A faer view of a [`ColMajor`] matrix (no copy).
pub(crate) fn view<T>(a: &ColMajor<T>) -> MatRef<'_, T>
where
    T: Scalar,
{
    MatRef::from_column_major_slice(a.as_slice(), a.nrows(), a.ncols())
}

fn all_finite<T: Scalar>(x: MatRef<'_, T>, what: &'static str) -> Result<()> {
    let n = x.nrows();
    for j in 0..x.ncols() {
        if let Some(i) = x.col(j).iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what,
                index: j * n + i,
            });
        }
    }
    Ok(())
}

fn svd_of<T: Scalar + faer::traits::RealField>(x: MatRef<'_, T>) -> Result<ThinSvd<T>> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty { what: "SVD input" });
    }
    all_finite(x, "SVD input")?;
    let svd = x.thin_svd().map_err(|_| Error::Numerical {
        what: "thin SVD (faer)",
        reason: "no convergence",
    })?;
    let s: Vec<T> = svd.S().column_vector().iter().copied().collect();
    ThinSvd::from_parts(to_col_major(svd.U()), s, to_col_major(svd.V())).map(ThinSvd::sorted)
}

fn gemv_impl<T: Scalar + faer::traits::RealField>(
    x: MatRef<'_, T>,
    alpha: T,
    w: &[T],
    beta: T,
    y: &mut [T],
) {
    scale_out(beta, y);
    let w = ColRef::from_slice(w);
    let y = ColMut::from_slice_mut(y);
    matmul(y.as_mat_mut(), Accum::Add, x, w.as_mat(), alpha, Par::Seq);
}

fn gemv_t_impl<T: Scalar + faer::traits::RealField>(
    x: MatRef<'_, T>,
    alpha: T,
    r: &[T],
    beta: T,
    g: &mut [T],
) {
    scale_out(beta, g);
    let r = ColRef::from_slice(r);
    let g = ColMut::from_slice_mut(g);
    matmul(
        g.as_mat_mut(),
        Accum::Add,
        x.transpose(),
        r.as_mat(),
        alpha,
        Par::Seq,
    );
}

fn col_dot_impl<T: Scalar>(x: MatRef<'_, T>, j: usize, r: &[T]) -> T {
    match contiguous_col(x, j) {
        Some(c) => dot(c, r),
        None => x.col(j).iter().zip(r).map(|(&a, &b)| a * b).sum(),
    }
}

fn col_axpy_impl<T: Scalar>(x: MatRef<'_, T>, j: usize, a: T, r: &mut [T]) {
    match contiguous_col(x, j) {
        Some(c) => axpy(a, c, r),
        None => {
            for (ri, &xi) in r.iter_mut().zip(x.col(j).iter()) {
                *ri += a * xi;
            }
        }
    }
}

fn col_sq_norms_impl<T: Scalar>(x: MatRef<'_, T>, out: &mut [T]) {
    for (j, o) in out.iter_mut().enumerate() {
        *o = match contiguous_col(x, j) {
            Some(c) => dot(c, c),
            None => x.col(j).iter().map(|&v| v * v).sum(),
        };
    }
}

fn select_rows_impl<T: Scalar>(x: MatRef<'_, T>, rows: &[usize]) -> Result<Mat<T>> {
    if let Some(&bad) = rows.iter().find(|&&i| i >= x.nrows()) {
        return Err(Error::IndexOutOfRange {
            what: "matrix rows",
            index: bad,
            len: x.nrows(),
        });
    }
    Ok(Mat::from_fn(rows.len(), x.ncols(), |i, j| x[(rows[i], j)]))
}

fn gram_impl<T: Scalar + faer::traits::RealField>(
    x: MatRef<'_, T>,
    outer: bool,
    p: Parallelism,
) -> ColMajor<T> {
    let (lhs, rhs) = if outer {
        (x, x.transpose())
    } else {
        (x.transpose(), x)
    };
    let d = lhs.nrows();
    let mut g = ColMajor::zeros(d, d);
    {
        let dst = MatMut::from_column_major_slice_mut(g.as_mut_slice(), d, d);
        // Only the lower triangle (half the flops of a full product), then mirrored: exactly
        // symmetric whatever order the blocked kernel summed in.
        faer::linalg::matmul::triangular::matmul(
            dst,
            BlockStructure::TriangularLower,
            Accum::Replace,
            lhs,
            BlockStructure::Rectangular,
            rhs,
            BlockStructure::Rectangular,
            T::one(),
            par(p),
        );
    }
    mirror_lower(g.as_mut_slice(), d);
    g
}

macro_rules! impl_faer {
    ($ty:ty, $as_ref:expr, $($lt:lifetime)?) => {
        impl<$($lt,)? T: Scalar + faer::traits::RealField> DesignMatrix<T> for $ty {
            type Owned = Mat<T>;

            #[inline]
            fn nrows(&self) -> usize {
                $as_ref(self).nrows()
            }

            #[inline]
            fn ncols(&self) -> usize {
                $as_ref(self).ncols()
            }

            fn gemv(&self, alpha: T, w: &[T], beta: T, y: &mut [T]) {
                gemv_impl($as_ref(self), alpha, w, beta, y);
            }

            fn gemv_t(&self, alpha: T, r: &[T], beta: T, g: &mut [T]) {
                gemv_t_impl($as_ref(self), alpha, r, beta, g);
            }

            #[inline]
            fn col_dot(&self, j: usize, r: &[T]) -> T {
                col_dot_impl($as_ref(self), j, r)
            }

            #[inline]
            fn col_axpy(&self, j: usize, a: T, r: &mut [T]) {
                col_axpy_impl($as_ref(self), j, a, r);
            }

            fn col_sq_norms(&self, out: &mut [T]) {
                col_sq_norms_impl($as_ref(self), out);
            }

            fn col_slice(&self, j: usize) -> Option<&[T]> {
                let x = $as_ref(self);
                if j < x.ncols() {
                    contiguous_col(x, j)
                } else {
                    None
                }
            }

            fn select_rows(&self, rows: &[usize]) -> Result<Mat<T>> {
                select_rows_impl($as_ref(self), rows)
            }

            fn to_col_major(&self) -> ColMajor<T> {
                to_col_major($as_ref(self))
            }

            fn gram(&self, par: Parallelism) -> ColMajor<T> {
                gram_impl($as_ref(self), false, par)
            }

            fn gram_outer(&self, par: Parallelism) -> ColMajor<T> {
                gram_impl($as_ref(self), true, par)
            }

            fn thin_svd(&self) -> Result<ThinSvd<T>> {
                svd_of($as_ref(self))
            }
        }
    };
}

fn own_ref<T>(m: &Mat<T>) -> MatRef<'_, T> {
    m.as_ref()
}

fn view_ref<'b, T>(m: &'b MatRef<'_, T>) -> MatRef<'b, T> {
    *m
}

impl_faer!(Mat<T>, own_ref,);
impl_faer!(MatRef<'a, T>, view_ref, 'a);

/// The faer route of the factorizations on [`ColMajor`] for `f32` and `f64` (other scalar types
/// get `None` and take the pure-Rust route). The type dispatch goes through `Any`, so it costs
/// one type-id comparison and no copy.
pub(crate) mod route {
    use super::*;
    use core::any::Any;

    fn cast<A: 'static, B: 'static>(a: A) -> Option<B> {
        (Box::new(a) as Box<dyn Any>)
            .downcast::<B>()
            .ok()
            .map(|b| *b)
    }

    macro_rules! dispatch {
        ($a:expr, $f:ident, $out:ty) => {{
            let any = $a as &dyn Any;
            if let Some(a) = any.downcast_ref::<ColMajor<f64>>() {
                return cast::<_, $out>($f::<f64>(a));
            }
            if let Some(a) = any.downcast_ref::<ColMajor<f32>>() {
                return cast::<_, $out>($f::<f32>(a));
            }
            None
        }};
    }

    fn llt_impl<U: Scalar + faer::traits::RealField>(a: &ColMajor<U>) -> Result<ColMajor<U>> {
        let llt = view(a).llt(Side::Lower).map_err(|_| Error::Numerical {
            what: "Cholesky factorization",
            reason: "the matrix is not positive definite",
        })?;
        let l = llt.L();
        let n = a.nrows();
        Ok(ColMajor::from_fn(n, n, |i, j| {
            if i >= j {
                l[(i, j)]
            } else {
                U::zero()
            }
        }))
    }

    fn eigen_impl<U: Scalar + faer::traits::RealField>(
        a: &ColMajor<U>,
    ) -> Result<(Vec<U>, ColMajor<U>)> {
        let evd = view(a)
            .self_adjoint_eigen(Side::Lower)
            .map_err(|_| Error::Numerical {
                what: "symmetric eigen decomposition (faer)",
                reason: "no convergence",
            })?;
        let values: Vec<U> = evd.S().column_vector().iter().copied().collect();
        Ok((values, to_col_major(evd.U())))
    }

    fn svd_impl<U: Scalar + faer::traits::RealField>(a: &ColMajor<U>) -> Result<ThinSvd<U>> {
        svd_of(view(a))
    }

    /// `Some(L)` for `f32`/`f64` (input already validated square and finite).
    pub(crate) fn llt<T: Scalar>(a: &ColMajor<T>) -> Option<Result<ColMajor<T>>> {
        dispatch!(a, llt_impl, Result<ColMajor<T>>)
    }

    /// `Some((values ascending, vectors))` for `f32`/`f64`.
    pub(crate) fn sym_eigen<T: Scalar>(a: &ColMajor<T>) -> Option<Result<(Vec<T>, ColMajor<T>)>> {
        dispatch!(a, eigen_impl, Result<(Vec<T>, ColMajor<T>)>)
    }

    /// `Some(svd)` for `f32`/`f64`.
    pub(crate) fn thin_svd<T: Scalar>(a: &ColMajor<T>) -> Option<Result<ThinSvd<T>>> {
        dispatch!(a, svd_impl, Result<ThinSvd<T>>)
    }

    fn gram_inner_impl<U: Scalar + faer::traits::RealField>(a: &ColMajor<U>) -> ColMajor<U> {
        gram_impl(view(a), false, Parallelism::Sequential)
    }

    fn gram_outer_impl<U: Scalar + faer::traits::RealField>(a: &ColMajor<U>) -> ColMajor<U> {
        gram_impl(view(a), true, Parallelism::Sequential)
    }

    /// `Some(XᵀX)` (or `XXᵀ` with `outer`) by faer's `matmul` for `f32`/`f64`.
    pub(crate) fn gram<T: Scalar>(a: &ColMajor<T>, outer: bool) -> Option<ColMajor<T>> {
        if outer {
            dispatch!(a, gram_outer_impl, ColMajor<T>)
        } else {
            dispatch!(a, gram_inner_impl, ColMajor<T>)
        }
    }

    fn matmul_impl<U: Scalar + faer::traits::RealField>(
        c: &mut ColMajor<U>,
        a: &ColMajor<U>,
        b: &ColMajor<U>,
    ) {
        let (m, n) = (c.nrows(), c.ncols());
        let dst = MatMut::from_column_major_slice_mut(c.as_mut_slice(), m, n);
        matmul(dst, Accum::Replace, view(a), view(b), U::one(), Par::Seq);
    }

    /// `c <- a·b` by faer's `matmul` for `f32`/`f64` (shapes already checked); `false` for
    /// other scalars.
    pub(crate) fn matmul_into<T: Scalar>(
        c: &mut ColMajor<T>,
        a: &ColMajor<T>,
        b: &ColMajor<T>,
    ) -> bool {
        let (aa, bb) = (a as &dyn Any, b as &dyn Any);
        let cc = c as &mut dyn Any;
        if let (Some(c), Some(a), Some(b)) = (
            cc.downcast_mut::<ColMajor<f64>>(),
            aa.downcast_ref::<ColMajor<f64>>(),
            bb.downcast_ref::<ColMajor<f64>>(),
        ) {
            matmul_impl(c, a, b);
            return true;
        }
        let cc = c as &mut dyn Any;
        if let (Some(c), Some(a), Some(b)) = (
            cc.downcast_mut::<ColMajor<f32>>(),
            aa.downcast_ref::<ColMajor<f32>>(),
            bb.downcast_ref::<ColMajor<f32>>(),
        ) {
            matmul_impl(c, a, b);
            return true;
        }
        false
    }
}
