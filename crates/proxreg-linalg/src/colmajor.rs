//! proxreg's own column-major dense matrix.

use crate::kernels::{axpy, dot, gemv_cols, gemv_t_cols, gram_cols, gram_outer_cols};
use crate::{DesignMatrix, Error, Parallelism, Result, Scalar};

/// A dense `nrows × ncols` matrix stored column by column in one `Vec`.
///
/// Always available; the reference every other backend is tested against.
///
/// ```
/// use proxreg_linalg::{ColMajor, DesignMatrix};
/// let x = ColMajor::from_fn(3, 2, |i, j| (i + 10 * j) as f64);
/// assert_eq!(x.col(1), &[10.0, 11.0, 12.0]);
/// assert_eq!(x.get(2, 0), Some(2.0));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColMajor<T> {
    data: Vec<T>,
    nrows: usize,
    ncols: usize,
}

impl<T: Scalar> ColMajor<T> {
    /// Wraps `data` (column-major, `nrows * ncols` entries).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `data.len() != nrows * ncols` (or the product overflows).
    pub fn new(data: Vec<T>, nrows: usize, ncols: usize) -> Result<Self> {
        let expected = nrows.checked_mul(ncols).ok_or(Error::DimensionMismatch {
            what: "matrix data length (shape overflows usize)",
            expected: usize::MAX,
            found: data.len(),
        })?;
        if data.len() != expected {
            return Err(Error::DimensionMismatch {
                what: "matrix data length vs nrows * ncols",
                expected,
                found: data.len(),
            });
        }
        Ok(Self { data, nrows, ncols })
    }

    /// Builds a matrix from row-major data (`data[i * ncols + j]` is entry `(i, j)`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `data.len() != nrows * ncols`.
    pub fn from_row_major(data: &[T], nrows: usize, ncols: usize) -> Result<Self> {
        if Some(data.len()) != nrows.checked_mul(ncols) {
            return Err(Error::DimensionMismatch {
                what: "matrix data length vs nrows * ncols",
                expected: nrows.saturating_mul(ncols),
                found: data.len(),
            });
        }
        Ok(Self::from_fn(nrows, ncols, |i, j| data[i * ncols + j]))
    }

    /// A matrix whose entry `(i, j)` is `f(i, j)`.
    pub fn from_fn(nrows: usize, ncols: usize, mut f: impl FnMut(usize, usize) -> T) -> Self {
        let mut data = Vec::with_capacity(nrows * ncols);
        for j in 0..ncols {
            for i in 0..nrows {
                data.push(f(i, j));
            }
        }
        Self { data, nrows, ncols }
    }

    /// The `nrows × ncols` zero matrix.
    pub fn zeros(nrows: usize, ncols: usize) -> Self {
        Self {
            data: vec![T::zero(); nrows * ncols],
            nrows,
            ncols,
        }
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// The column-major data.
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// The column-major data, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// Consumes the matrix, returning its column-major data.
    pub fn into_vec(self) -> Vec<T> {
        self.data
    }

    /// Column `j`.
    ///
    /// # Panics
    /// If `j >= ncols`.
    pub fn col(&self, j: usize) -> &[T] {
        &self.data[j * self.nrows..(j + 1) * self.nrows]
    }

    /// Column `j`, mutably.
    ///
    /// # Panics
    /// If `j >= ncols`.
    pub fn col_mut(&mut self, j: usize) -> &mut [T] {
        &mut self.data[j * self.nrows..(j + 1) * self.nrows]
    }

    /// `self <- a · b` (a matrix product into an existing `a.nrows() × b.ncols()` matrix, no
    /// allocation): faer's blocked `matmul` for `f32`/`f64` with the `faer` feature, a
    /// column-axpy kernel otherwise.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// let a = ColMajor::new(vec![1.0_f64, 3.0, 2.0, 4.0], 2, 2)?; // [[1, 2], [3, 4]]
    /// let b = ColMajor::new(vec![1.0, 1.0], 2, 1)?;
    /// let mut c = ColMajor::zeros(2, 1);
    /// c.matmul_into(&a, &b)?;
    /// assert_eq!(c.as_slice(), &[3.0, 7.0]);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the shapes do not chain.
    pub fn matmul_into(&mut self, a: &ColMajor<T>, b: &ColMajor<T>) -> Result<()> {
        if a.ncols != b.nrows {
            return Err(Error::DimensionMismatch {
                what: "matmul: columns of a vs rows of b",
                expected: a.ncols,
                found: b.nrows,
            });
        }
        if self.nrows != a.nrows || self.ncols != b.ncols {
            return Err(Error::DimensionMismatch {
                what: "matmul: output shape vs a.nrows() x b.ncols()",
                expected: a.nrows * b.ncols,
                found: self.nrows * self.ncols,
            });
        }
        #[cfg(feature = "faer")]
        if crate::faer_impl::route::matmul_into(self, a, b) {
            return Ok(());
        }
        let m = self.nrows;
        for j in 0..self.ncols {
            let out = &mut self.data[j * m..(j + 1) * m];
            out.iter_mut().for_each(|v| *v = T::zero());
            for (k, &bkj) in b.col(j).iter().enumerate() {
                if bkj != T::zero() {
                    axpy(bkj, a.col(k), out);
                }
            }
        }
        Ok(())
    }

    /// Entry `(i, j)`, or `None` out of range.
    pub fn get(&self, i: usize, j: usize) -> Option<T> {
        (i < self.nrows && j < self.ncols).then(|| self.data[j * self.nrows + i])
    }
}

impl<T: Scalar> DesignMatrix<T> for ColMajor<T> {
    type Owned = ColMajor<T>;

    fn nrows(&self) -> usize {
        self.nrows
    }

    fn ncols(&self) -> usize {
        self.ncols
    }

    fn gemv(&self, alpha: T, w: &[T], beta: T, y: &mut [T]) {
        debug_assert_eq!(w.len(), self.ncols);
        debug_assert_eq!(y.len(), self.nrows);
        gemv_cols(self.ncols, |j| self.col(j), alpha, w, beta, y);
    }

    fn gemv_t(&self, alpha: T, r: &[T], beta: T, g: &mut [T]) {
        debug_assert_eq!(r.len(), self.nrows);
        debug_assert_eq!(g.len(), self.ncols);
        gemv_t_cols(self.ncols, |j| self.col(j), alpha, r, beta, g);
    }

    fn col_dot(&self, j: usize, r: &[T]) -> T {
        dot(self.col(j), r)
    }

    fn col_axpy(&self, j: usize, a: T, r: &mut [T]) {
        axpy(a, self.col(j), r);
    }

    fn col_sq_norms(&self, out: &mut [T]) {
        debug_assert_eq!(out.len(), self.ncols);
        for (j, o) in out.iter_mut().enumerate() {
            let c = self.col(j);
            *o = dot(c, c);
        }
    }

    fn col_slice(&self, j: usize) -> Option<&[T]> {
        (j < self.ncols).then(|| self.col(j))
    }

    fn select_rows(&self, rows: &[usize]) -> Result<ColMajor<T>> {
        if let Some(&bad) = rows.iter().find(|&&i| i >= self.nrows) {
            return Err(Error::IndexOutOfRange {
                what: "matrix rows",
                index: bad,
                len: self.nrows,
            });
        }
        Ok(Self::from_fn(rows.len(), self.ncols, |i, j| {
            self.data[j * self.nrows + rows[i]]
        }))
    }

    fn to_col_major(&self) -> ColMajor<T> {
        self.clone()
    }

    fn thin_svd(&self) -> Result<crate::ThinSvd<T>> {
        crate::ThinSvd::new(self)
    }

    fn gram(&self, _par: Parallelism) -> ColMajor<T> {
        // faer's blocked matmul is about 2.5× faster than the pure-Rust kernel.
        #[cfg(feature = "faer")]
        if let Some(g) = crate::faer_impl::route::gram(self, false) {
            return g;
        }
        let p = self.ncols;
        let data = gram_cols(self.nrows, p, |j| self.col(j));
        ColMajor {
            data,
            nrows: p,
            ncols: p,
        }
    }

    fn gram_outer(&self, _par: Parallelism) -> ColMajor<T> {
        #[cfg(feature = "faer")]
        if let Some(g) = crate::faer_impl::route::gram(self, true) {
            return g;
        }
        let n = self.nrows;
        let data = gram_outer_cols(n, self.ncols, |j| self.col(j));
        ColMajor {
            data,
            nrows: n,
            ncols: n,
        }
    }
}
