//! [`DesignMatrix`] for `ndarray::ArrayBase<S, Ix2>` with `S: Data` (owned arrays, views,
//! shared arrays), in any layout.
//!
//! ndarray arrays are row-major by default, while coordinate descent reads columns. The impl
//! picks its kernels from the layout it finds:
//!
//! | layout | `X·w` | `Xᵀ·r` | `col_slice` |
//! | --- | --- | --- | --- |
//! | row-major (rows contiguous, the default) | ndarray `general_mat_vec_mul` (row dots) | fused row axpys | `None` |
//! | column-major (`.f()` / `.t()` of row-major) | fused column axpys | ndarray `general_mat_vec_mul` on `Xᵀ` | `Some` |
//! | anything else (strided slices) | ndarray `general_mat_vec_mul` | same on `Xᵀ` | `None` |
//!
//! So both products are fast in both layouts. Column kernels (`col_dot`, `col_axpy`) on a
//! row-major array are strided; that is why solvers call
//! [`DesignMatrix::col_slice`] and, when it is `None`, make one column-major copy per fit with
//! [`DesignMatrix::to_col_major`] (a cache-blocked transpose). The Gram matrices use
//! `matrixmultiply` through ndarray's `dot`.

use ndarray::linalg::general_mat_vec_mul;
use ndarray::{Array2, ArrayBase, ArrayView1, ArrayViewMut1, Axis, Data, Ix2, LinalgScalar};

use crate::kernels::{axpy, dot, gemv_cols, scale_out};
use crate::{ColMajor, DesignMatrix, Error, Parallelism, Result, Scalar};

/// Rows are contiguous slices.
fn rows_contiguous<T, S: Data<Elem = T>>(x: &ArrayBase<S, Ix2>) -> bool {
    x.ncols() <= 1 || x.strides()[1] == 1
}

/// Columns are contiguous slices.
fn cols_contiguous<T, S: Data<Elem = T>>(x: &ArrayBase<S, Ix2>) -> bool {
    x.nrows() <= 1 || x.strides()[0] == 1
}

/// Tile of the blocked transpose in `to_col_major`.
const TILE: usize = 32;

impl<T, S> DesignMatrix<T> for ArrayBase<S, Ix2>
where
    T: Scalar + LinalgScalar,
    S: Data<Elem = T>,
{
    type Owned = Array2<T>;

    #[inline]
    fn nrows(&self) -> usize {
        self.dim().0
    }

    #[inline]
    fn ncols(&self) -> usize {
        self.dim().1
    }

    fn gemv(&self, alpha: T, w: &[T], beta: T, y: &mut [T]) {
        if cols_contiguous(self) && !rows_contiguous(self) {
            // Column-major: one pass over y per four columns.
            let col = |j: usize| self.column(j).to_slice().unwrap_or(&[]);
            gemv_cols(self.ncols(), col, alpha, w, beta, y);
        } else {
            scale_out(beta, y);
            let w = ArrayView1::from(w);
            let mut y = ArrayViewMut1::from(y);
            general_mat_vec_mul(alpha, self, &w, T::one(), &mut y);
        }
    }

    fn gemv_t(&self, alpha: T, r: &[T], beta: T, g: &mut [T]) {
        if rows_contiguous(self) && !cols_contiguous(self) {
            // Row-major: Xᵀr = Σ_i r_i X[i, :], four rows fused per pass over g.
            let row = |i: usize| self.row(i).to_slice().unwrap_or(&[]);
            gemv_cols(self.nrows(), row, alpha, r, beta, g);
        } else {
            scale_out(beta, g);
            let r = ArrayView1::from(r);
            let mut g = ArrayViewMut1::from(g);
            general_mat_vec_mul(alpha, &self.t(), &r, T::one(), &mut g);
        }
    }

    #[inline]
    fn col_dot(&self, j: usize, r: &[T]) -> T {
        let c = self.column(j);
        match c.to_slice() {
            Some(c) => dot(c, r),
            None => c.dot(&ArrayView1::from(r)),
        }
    }

    #[inline]
    fn col_axpy(&self, j: usize, a: T, r: &mut [T]) {
        let c = self.column(j);
        match c.to_slice() {
            Some(c) => axpy(a, c, r),
            None => ArrayViewMut1::from(r).scaled_add(a, &c),
        }
    }

    fn col_sq_norms(&self, out: &mut [T]) {
        if rows_contiguous(self) && !cols_contiguous(self) {
            // One pass over the rows instead of p strided passes.
            out.iter_mut().for_each(|o| *o = T::zero());
            for row in self.rows() {
                if let Some(rs) = row.to_slice() {
                    for (o, &v) in out.iter_mut().zip(rs) {
                        *o += v * v;
                    }
                }
            }
        } else {
            for (j, o) in out.iter_mut().enumerate() {
                let c = self.column(j);
                *o = match c.to_slice() {
                    Some(c) => dot(c, c),
                    None => c.dot(&c),
                };
            }
        }
    }

    fn col_slice(&self, j: usize) -> Option<&[T]> {
        if j < self.ncols() {
            self.column(j).to_slice()
        } else {
            None
        }
    }

    fn select_rows(&self, rows: &[usize]) -> Result<Array2<T>> {
        if let Some(&bad) = rows.iter().find(|&&i| i >= self.nrows()) {
            return Err(Error::IndexOutOfRange {
                what: "matrix rows",
                index: bad,
                len: self.nrows(),
            });
        }
        Ok(self.select(Axis(0), rows))
    }

    fn to_col_major(&self) -> ColMajor<T> {
        let (n, p) = self.dim();
        let mut out = ColMajor::zeros(n, p);
        if cols_contiguous(self) {
            for j in 0..p {
                let c = self.column(j);
                match c.to_slice() {
                    Some(s) => out.col_mut(j).copy_from_slice(s),
                    None => out.col_mut(j).iter_mut().zip(c).for_each(|(o, v)| *o = *v),
                }
            }
        } else if rows_contiguous(self) {
            // Cache-blocked transpose: TILE × TILE tiles are read by rows, written by columns.
            let data = out.as_mut_slice();
            for i0 in (0..n).step_by(TILE) {
                let i1 = (i0 + TILE).min(n);
                for j0 in (0..p).step_by(TILE) {
                    let j1 = (j0 + TILE).min(p);
                    for i in i0..i1 {
                        let row = self.row(i);
                        match row.to_slice() {
                            Some(rs) => {
                                for j in j0..j1 {
                                    data[j * n + i] = rs[j];
                                }
                            }
                            None => {
                                for j in j0..j1 {
                                    data[j * n + i] = row[j];
                                }
                            }
                        }
                    }
                }
            }
        } else {
            for ((i, j), &v) in self.indexed_iter() {
                out.col_mut(j)[i] = v;
            }
        }
        out
    }

    fn gram(&self, _par: Parallelism) -> ColMajor<T> {
        // matrixmultiply (BLAS-3) through ndarray; the result is symmetric, so its row-major
        // data is also its column-major data up to rounding: copy by index and mirror.
        let g = self.t().dot(self);
        symmetric_from(&g)
    }

    fn gram_outer(&self, _par: Parallelism) -> ColMajor<T> {
        let g = self.dot(&self.t());
        symmetric_from(&g)
    }
}

/// A `ColMajor` copy of a square array whose lower triangle is kept and mirrored.
fn symmetric_from<T: Scalar>(g: &Array2<T>) -> ColMajor<T> {
    let d = g.nrows();
    ColMajor::from_fn(d, d, |i, j| if i >= j { g[(i, j)] } else { g[(j, i)] })
}
