//! proxreg's own column-major dense matrix.

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

    /// Entry `(i, j)`, or `None` out of range.
    pub fn get(&self, i: usize, j: usize) -> Option<T> {
        (i < self.nrows && j < self.ncols).then(|| self.data[j * self.nrows + i])
    }
}

#[inline]
fn dot<T: Scalar>(a: &[T], b: &[T]) -> T {
    // Four accumulators: lets the compiler vectorise and shortens the dependency chain.
    let mut acc = [T::zero(); 4];
    let (ca, ra) = a.split_at(a.len() - a.len() % 4);
    let (cb, rb) = b.split_at(ca.len());
    for (x, y) in ca.chunks_exact(4).zip(cb.chunks_exact(4)) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (x, y) in ra.iter().zip(rb) {
        s += *x * *y;
    }
    s
}

#[inline]
fn axpy<T: Scalar>(a: T, x: &[T], y: &mut [T]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
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
        if beta == T::zero() {
            y.iter_mut().for_each(|v| *v = T::zero());
        } else if beta != T::one() {
            y.iter_mut().for_each(|v| *v *= beta);
        }
        for (j, &wj) in w.iter().enumerate() {
            if wj != T::zero() {
                axpy(alpha * wj, self.col(j), y);
            }
        }
    }

    fn gemv_t(&self, alpha: T, r: &[T], beta: T, g: &mut [T]) {
        debug_assert_eq!(r.len(), self.nrows);
        debug_assert_eq!(g.len(), self.ncols);
        for (j, gj) in g.iter_mut().enumerate() {
            let d = alpha * dot(self.col(j), r);
            *gj = if beta == T::zero() { d } else { beta * *gj + d };
        }
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

    fn gram(&self, _par: Parallelism) -> ColMajor<T> {
        let p = self.ncols;
        let mut g = ColMajor::zeros(p, p);
        for j in 0..p {
            for k in 0..=j {
                let v = dot(self.col(j), self.col(k));
                g.data[j * p + k] = v;
                g.data[k * p + j] = v;
            }
        }
        g
    }

    fn gram_outer(&self, _par: Parallelism) -> ColMajor<T> {
        let n = self.nrows;
        let mut g = ColMajor::zeros(n, n);
        for j in 0..self.ncols {
            let c = self.col(j);
            for (k, &ck) in c.iter().enumerate() {
                if ck != T::zero() {
                    axpy(ck, c, g.col_mut(k));
                }
            }
        }
        g
    }
}
