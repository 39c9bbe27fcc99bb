//! Compressed sparse column (CSC) design matrices: [`CscRef`] borrows the three arrays
//! (`col_ptr`, `row_idx`, `values`) without copying them, [`CscMatrix`] owns them. Indices are
//! any [`CscIndex`] type (`u32`, `u64`, `usize`, `i32`, `i64`), so 32-bit index arrays from
//! SciPy, sprs or a file reader are used as they are.
//!
//! Both implement [`DesignMatrix`] with `O(nnz)` column kernels, and
//! [`DesignMatrix::sparse_columns`] hands the solvers of `proxreg-solvers` a [`SparseColumns`]
//! view of the three arrays: coordinate descent, prox-Newton, FISTA and the ridge Gram route run
//! on the stored entries with implicit centering, and never make a dense copy (what still
//! densifies is listed in `docs/backends.md`).

use core::ops::Range;

use crate::kernels::{mirror_lower, scale_out};
use crate::{ColMajor, DesignMatrix, Error, Parallelism, Result, Scalar};

mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
    impl Sealed for usize {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
}

/// An integer type a [`CscRef`] / [`CscMatrix`] stores its indices in: `u32`, `u64`, `usize`,
/// `i32` or `i64` (sealed: these five only).
///
/// Conversions are checked: a negative value, or one that does not fit in `usize` (or, from
/// `usize`, in `Self`), is `None`, which validation reports as [`Error::InvalidSparse`].
///
/// ```
/// use proxreg_linalg::CscIndex;
/// assert_eq!(7_u32.to_usize(), Some(7));
/// assert_eq!((-1_i32).to_usize(), None);
/// assert_eq!(<u32 as CscIndex>::from_usize(1 << 40), None);
/// assert_eq!(<i64 as CscIndex>::from_usize(5), Some(5));
/// ```
pub trait CscIndex:
    Copy + core::fmt::Debug + PartialEq + Send + Sync + 'static + sealed::Sealed
{
    /// The value as `usize`, or `None` if it is negative or too large.
    fn to_usize(self) -> Option<usize>;

    /// `i` in this type, or `None` if it does not fit.
    fn from_usize(i: usize) -> Option<Self>;

    /// The value as `usize` by an `as` cast: exact for the indices of a validated matrix (which
    /// all passed [`CscIndex::to_usize`]), meaningless otherwise. Used by the kernels.
    fn as_index(self) -> usize;

    /// The slice with its index type named at run time (for [`SparseColumns`]).
    fn index_slice(s: &[Self]) -> IndexSlice<'_>;
}

/// A slice of CSC indices in the integer type they are stored in: what a [`SparseColumns`]
/// view holds, so that code which is not generic over the index type (the solvers' prepared
/// data) can still run monomorphic kernels on the caller's arrays without copying them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexSlice<'a> {
    /// `u32` indices.
    U32(&'a [u32]),
    /// `u64` indices.
    U64(&'a [u64]),
    /// `usize` indices.
    Usize(&'a [usize]),
    /// `i32` indices.
    I32(&'a [i32]),
    /// `i64` indices.
    I64(&'a [i64]),
}

impl<'a> IndexSlice<'a> {
    /// Number of indices.
    pub fn len(&self) -> usize {
        match self {
            Self::U32(s) => s.len(),
            Self::U64(s) => s.len(),
            Self::Usize(s) => s.len(),
            Self::I32(s) => s.len(),
            Self::I64(s) => s.len(),
        }
    }

    /// Whether there are no indices.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sub-slice `r`.
    ///
    /// # Panics
    /// If `r` is out of bounds.
    #[inline]
    pub fn slice(&self, r: Range<usize>) -> IndexSlice<'a> {
        match *self {
            Self::U32(s) => IndexSlice::U32(&s[r]),
            Self::U64(s) => IndexSlice::U64(&s[r]),
            Self::Usize(s) => IndexSlice::Usize(&s[r]),
            Self::I32(s) => IndexSlice::I32(&s[r]),
            Self::I64(s) => IndexSlice::I64(&s[r]),
        }
    }

    /// Entry `i` as `usize` (an `as` cast: exact on a validated matrix).
    ///
    /// # Panics
    /// If `i >= len()`.
    #[inline]
    pub fn get(&self, i: usize) -> usize {
        match self {
            Self::U32(s) => s[i].as_index(),
            Self::U64(s) => s[i].as_index(),
            Self::Usize(s) => s[i].as_index(),
            Self::I32(s) => s[i].as_index(),
            Self::I64(s) => s[i].as_index(),
        }
    }
}

/// A validated CSC matrix seen without its index type: dimensions, column pointers, row indices
/// and values, all borrowed. [`DesignMatrix::sparse_columns`] returns it for [`CscRef`] and
/// [`CscMatrix`]; the solvers of `proxreg-solvers` use it to run on the stored entries without
/// densifying.
///
/// ```
/// use proxreg_linalg::{CscRef, DesignMatrix};
/// let x = CscRef::<f64, u32>::new(3, 2, &[0, 2, 3], &[0, 2, 1], &[1.0, 3.0, 2.0])?;
/// let s = x.sparse_columns().expect("a CSC has sparse columns");
/// assert_eq!((s.nrows(), s.ncols(), s.nnz()), (3, 2, 3));
/// assert_eq!(s.col_range(1), 2..3);
/// # Ok::<(), proxreg_linalg::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparseColumns<'a, T> {
    nrows: usize,
    ncols: usize,
    col_ptr: IndexSlice<'a>,
    row_idx: IndexSlice<'a>,
    values: &'a [T],
}

impl<'a, T> SparseColumns<'a, T> {
    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// Where column `j` is stored in [`row_idx`](Self::row_idx) and [`values`](Self::values).
    ///
    /// # Panics
    /// If `j >= ncols`.
    #[inline]
    pub fn col_range(&self, j: usize) -> Range<usize> {
        self.col_ptr.get(j)..self.col_ptr.get(j + 1)
    }

    /// The column pointers (`ncols + 1` entries, in the same index type as the row indices).
    pub fn col_ptr(&self) -> IndexSlice<'a> {
        self.col_ptr
    }

    /// The row index of every stored entry, column by column.
    pub fn row_idx(&self) -> IndexSlice<'a> {
        self.row_idx
    }

    /// The stored values, column by column.
    pub fn values(&self) -> &'a [T] {
        self.values
    }
}

macro_rules! impl_index {
    ($($t:ty => $v:ident),*) => {$(
        impl CscIndex for $t {
            #[inline]
            fn to_usize(self) -> Option<usize> {
                usize::try_from(self).ok()
            }
            #[inline]
            fn from_usize(i: usize) -> Option<Self> {
                <$t>::try_from(i).ok()
            }
            #[inline]
            fn as_index(self) -> usize {
                self as usize
            }
            #[inline]
            fn index_slice(s: &[Self]) -> IndexSlice<'_> {
                IndexSlice::$v(s)
            }
        }
    )*};
}
impl_index!(u32 => U32, u64 => U64, usize => Usize, i32 => I32, i64 => I64);

/// Checks the CSC invariants of `(nrows, ncols, col_ptr, row_idx, values)`.
fn validate<T: Scalar, I: CscIndex>(
    nrows: usize,
    ncols: usize,
    col_ptr: &[I],
    row_idx: &[I],
    values: &[T],
) -> Result<()> {
    let want_ptr = ncols.checked_add(1).ok_or(Error::DimensionMismatch {
        what: "CSC col_ptr length vs ncols + 1 (ncols overflows)",
        expected: usize::MAX,
        found: col_ptr.len(),
    })?;
    if col_ptr.len() != want_ptr {
        return Err(Error::DimensionMismatch {
            what: "CSC col_ptr length vs ncols + 1",
            expected: want_ptr,
            found: col_ptr.len(),
        });
    }
    if row_idx.len() != values.len() {
        return Err(Error::DimensionMismatch {
            what: "CSC row_idx length vs values length",
            expected: values.len(),
            found: row_idx.len(),
        });
    }
    let mut prev = 0usize;
    for (j, &c) in col_ptr.iter().enumerate() {
        let c = c.to_usize().ok_or(Error::InvalidSparse {
            what: "col_ptr entry is negative or does not fit in usize",
            position: j,
        })?;
        if j == 0 && c != 0 {
            return Err(Error::InvalidSparse {
                what: "col_ptr[0] must be 0",
                position: 0,
            });
        }
        if c < prev {
            return Err(Error::InvalidSparse {
                what: "col_ptr decreases",
                position: j,
            });
        }
        prev = c;
    }
    if prev != row_idx.len() {
        return Err(Error::DimensionMismatch {
            what: "CSC col_ptr[ncols] vs number of stored entries",
            expected: row_idx.len(),
            found: prev,
        });
    }
    for w in col_ptr.windows(2) {
        let (start, end) = (w[0].as_index(), w[1].as_index());
        let mut last: Option<usize> = None;
        for (k, &r) in (start..end).zip(&row_idx[start..end]) {
            let r = r.to_usize().ok_or(Error::InvalidSparse {
                what: "row_idx entry is negative or does not fit in usize",
                position: k,
            })?;
            if r >= nrows {
                return Err(Error::IndexOutOfRange {
                    what: "CSC row index vs X rows",
                    index: r,
                    len: nrows,
                });
            }
            if last.is_some_and(|l| r <= l) {
                return Err(Error::InvalidSparse {
                    what: "row indices of a column are not strictly increasing (unsorted or duplicate)",
                    position: k,
                });
            }
            last = Some(r);
        }
    }
    proxreg_core::error::ensure_all_finite("CSC values", values)
}

/// A borrowed, validated CSC matrix: `nrows × ncols`, column `j` stored at positions
/// `col_ptr[j]..col_ptr[j + 1]` of `row_idx` (strictly increasing rows) and `values` (finite).
/// `Copy`, and zero-copy over the caller's arrays.
///
/// ```
/// use proxreg_linalg::{CscRef, DesignMatrix};
/// // X = [[1, 0], [0, 2], [3, 0]]
/// let (col_ptr, row_idx, values) = ([0_u32, 2, 3], [0_u32, 2, 1], [1.0_f64, 3.0, 2.0]);
/// let x = CscRef::new(3, 2, &col_ptr, &row_idx, &values)?;
/// assert_eq!((x.nrows(), x.ncols(), x.nnz()), (3, 2, 3));
/// let mut y = vec![0.0; 3];
/// x.gemv(1.0, &[1.0, 10.0], 0.0, &mut y);
/// assert_eq!(y, [1.0, 20.0, 3.0]);
/// assert_eq!(x.col_dot(0, &[1.0, 1.0, 1.0]), 4.0);
/// # Ok::<(), proxreg_linalg::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CscRef<'a, T, I = usize> {
    nrows: usize,
    ncols: usize,
    col_ptr: &'a [I],
    row_idx: &'a [I],
    values: &'a [T],
}

/// An owned, validated CSC matrix (see [`CscRef`] for the layout); [`CscMatrix::as_ref`] views
/// it without copying.
///
/// ```
/// use proxreg_linalg::{ColMajor, CscMatrix, DesignMatrix};
/// let x = CscMatrix::<f64, u32>::new(2, 2, vec![0, 1, 2], vec![1, 0], vec![5.0, 7.0])?;
/// assert_eq!(x.to_col_major(), ColMajor::new(vec![0.0, 5.0, 7.0, 0.0], 2, 2)?);
/// // a CV fold: rows 1, 1, 0 (repeats allowed)
/// let fold = x.select_rows(&[1, 1, 0])?;
/// assert_eq!(fold.to_col_major().col(0), &[5.0, 5.0, 0.0]);
/// # Ok::<(), proxreg_linalg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CscMatrix<T, I = usize> {
    nrows: usize,
    ncols: usize,
    col_ptr: Vec<I>,
    row_idx: Vec<I>,
    values: Vec<T>,
}

impl<'a, T: Scalar, I: CscIndex> CscRef<'a, T, I> {
    /// Wraps the three arrays after checking every CSC invariant (`O(nnz + ncols)`, no copy).
    ///
    /// # Errors
    /// - [`Error::DimensionMismatch`]: `col_ptr.len() != ncols + 1`, `row_idx.len() !=
    ///   values.len()`, or `col_ptr[ncols]` is not the number of stored entries;
    /// - [`Error::InvalidSparse`]: `col_ptr[0] != 0`, `col_ptr` decreasing, an index that is
    ///   negative or does not fit in `usize`, row indices of a column not strictly increasing
    ///   (unsorted or duplicate);
    /// - [`Error::IndexOutOfRange`]: a row index `>= nrows`;
    /// - [`Error::NonFinite`]: a NaN or infinite value (its position in `values`).
    ///
    /// ```
    /// use proxreg_linalg::{CscRef, Error};
    /// let dup = CscRef::<f64, u32>::new(3, 1, &[0, 2], &[1, 1], &[1.0, 2.0]);
    /// assert!(matches!(dup, Err(Error::InvalidSparse { position: 1, .. })));
    /// let nan = CscRef::<f64, u32>::new(3, 1, &[0, 1], &[0], &[f64::NAN]);
    /// assert!(matches!(nan, Err(Error::NonFinite { index: 0, .. })));
    /// ```
    pub fn new(
        nrows: usize,
        ncols: usize,
        col_ptr: &'a [I],
        row_idx: &'a [I],
        values: &'a [T],
    ) -> Result<Self> {
        validate(nrows, ncols, col_ptr, row_idx, values)?;
        Ok(Self {
            nrows,
            ncols,
            col_ptr,
            row_idx,
            values,
        })
    }

    /// Number of rows `n`.
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// Number of columns `p`.
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// The column pointers (`ncols + 1` entries, from 0 to `nnz`).
    pub fn col_ptr(&self) -> &'a [I] {
        self.col_ptr
    }

    /// The row index of every stored entry, column by column.
    pub fn row_idx(&self) -> &'a [I] {
        self.row_idx
    }

    /// The stored values, column by column.
    pub fn values(&self) -> &'a [T] {
        self.values
    }

    /// Where column `j` is stored in [`row_idx`](Self::row_idx) and [`values`](Self::values).
    ///
    /// # Panics
    /// If `j >= ncols`.
    #[inline]
    pub fn col_range(&self, j: usize) -> Range<usize> {
        self.col_ptr[j].as_index()..self.col_ptr[j + 1].as_index()
    }

    /// Column `j`'s row indices and values.
    ///
    /// ```
    /// use proxreg_linalg::CscRef;
    /// let x = CscRef::<f64, u32>::new(3, 1, &[0, 2], &[0, 2], &[1.0, 3.0])?;
    /// assert_eq!(x.col(0), (&[0_u32, 2][..], &[1.0, 3.0][..]));
    /// # Ok::<(), proxreg_linalg::Error>(())
    /// ```
    ///
    /// # Panics
    /// If `j >= ncols`.
    pub fn col(&self, j: usize) -> (&'a [I], &'a [T]) {
        let r = self.col_range(j);
        (&self.row_idx[r.clone()], &self.values[r])
    }

    /// An owned copy.
    pub fn into_owned(self) -> CscMatrix<T, I> {
        CscMatrix {
            nrows: self.nrows,
            ncols: self.ncols,
            col_ptr: self.col_ptr.to_vec(),
            row_idx: self.row_idx.to_vec(),
            values: self.values.to_vec(),
        }
    }

    fn entries(&self, j: usize) -> impl Iterator<Item = (usize, T)> + 'a {
        let (rows, vals) = self.col(j);
        rows.iter().zip(vals).map(|(&i, &v)| (i.as_index(), v))
    }

    fn gemv_impl(&self, alpha: T, w: &[T], beta: T, y: &mut [T]) {
        debug_assert_eq!((w.len(), y.len()), (self.ncols, self.nrows));
        scale_out(beta, y);
        for (j, &wj) in w.iter().enumerate().take(self.ncols) {
            let a = alpha * wj;
            if a == T::zero() {
                continue;
            }
            for (i, v) in self.entries(j) {
                y[i] += a * v;
            }
        }
    }

    fn gemv_t_impl(&self, alpha: T, r: &[T], beta: T, g: &mut [T]) {
        debug_assert_eq!((r.len(), g.len()), (self.nrows, self.ncols));
        for (j, gj) in g.iter_mut().enumerate().take(self.ncols) {
            let d = alpha * self.col_dot_impl(j, r);
            *gj = if beta == T::zero() { d } else { d + beta * *gj };
        }
    }

    #[inline]
    fn col_dot_impl(&self, j: usize, r: &[T]) -> T {
        self.entries(j).fold(T::zero(), |s, (i, v)| s + v * r[i])
    }

    #[inline]
    fn col_axpy_impl(&self, j: usize, a: T, r: &mut [T]) {
        for (i, v) in self.entries(j) {
            r[i] += a * v;
        }
    }

    fn col_sq_norms_impl(&self, out: &mut [T]) {
        for (j, o) in out.iter_mut().enumerate().take(self.ncols) {
            *o = self.col(j).1.iter().fold(T::zero(), |s, &v| s + v * v);
        }
    }

    fn select_rows_impl(&self, rows: &[usize]) -> Result<CscMatrix<T, I>> {
        let n = self.nrows;
        if let Some(&bad) = rows.iter().find(|&&i| i >= n) {
            return Err(Error::IndexOutOfRange {
                what: "matrix rows",
                index: bad,
                len: n,
            });
        }
        // the new positions of every old row, grouped by old row (CSR-like, ascending)
        let mut pos_ptr = vec![0usize; n + 1];
        for &i in rows {
            pos_ptr[i + 1] += 1;
        }
        for i in 0..n {
            pos_ptr[i + 1] += pos_ptr[i];
        }
        let mut fill = pos_ptr.clone();
        let mut pos = vec![0usize; rows.len()];
        for (q, &i) in rows.iter().enumerate() {
            pos[fill[i]] = q;
            fill[i] += 1;
        }
        let sorted = rows.windows(2).all(|w| w[0] < w[1]);
        let too_big = |position| Error::InvalidSparse {
            what: "the row selection has more entries or rows than the index type holds",
            position,
        };
        let mut col_ptr = Vec::with_capacity(self.ncols + 1);
        col_ptr.push(I::from_usize(0).ok_or(too_big(0))?);
        let mut row_idx: Vec<I> = Vec::new();
        let mut values: Vec<T> = Vec::new();
        let mut col: Vec<(usize, T)> = Vec::new();
        for j in 0..self.ncols {
            col.clear();
            for (i, v) in self.entries(j) {
                col.extend(pos[pos_ptr[i]..pos_ptr[i + 1]].iter().map(|&q| (q, v)));
            }
            if !sorted {
                col.sort_unstable_by_key(|e| e.0);
            }
            for &(q, v) in &col {
                row_idx.push(I::from_usize(q).ok_or(too_big(row_idx.len()))?);
                values.push(v);
            }
            col_ptr.push(I::from_usize(row_idx.len()).ok_or(too_big(row_idx.len()))?);
        }
        Ok(CscMatrix {
            nrows: rows.len(),
            ncols: self.ncols,
            col_ptr,
            row_idx,
            values,
        })
    }

    fn dense_impl(self) -> ColMajor<T> {
        let mut out = ColMajor::zeros(self.nrows, self.ncols);
        for j in 0..self.ncols {
            let c = out.col_mut(j);
            for (i, v) in self.entries(j) {
                c[i] = v;
            }
        }
        out
    }

    /// `XᵀX` as the sum over rows of `x_i x_iᵀ`, through a row-major copy of the pattern:
    /// `O(Σ_i nnz_i²)` flops, lower triangle accumulated, then mirrored.
    fn gram_impl(&self) -> ColMajor<T> {
        let (n, p) = (self.nrows, self.ncols);
        let mut row_ptr = vec![0usize; n + 1];
        for &i in self.row_idx {
            row_ptr[i.as_index() + 1] += 1;
        }
        for i in 0..n {
            row_ptr[i + 1] += row_ptr[i];
        }
        let mut fill = row_ptr.clone();
        let mut cols = vec![0usize; self.nnz()];
        let mut vals = vec![T::zero(); self.nnz()];
        for j in 0..p {
            for (i, v) in self.entries(j) {
                cols[fill[i]] = j;
                vals[fill[i]] = v;
                fill[i] += 1;
            }
        }
        let mut g = ColMajor::zeros(p, p);
        let gs = g.as_mut_slice();
        for i in 0..n {
            let r = row_ptr[i]..row_ptr[i + 1];
            let (cs, vs) = (&cols[r.clone()], &vals[r]);
            // columns ascending within the row: (a, b) with b <= a is the lower triangle
            for (ka, (&a, &va)) in cs.iter().zip(vs).enumerate() {
                for (&b, &vb) in cs[..=ka].iter().zip(&vs[..=ka]) {
                    gs[b * p + a] += va * vb;
                }
            }
        }
        mirror_lower(gs, p);
        g
    }

    /// `XXᵀ` as the sum over columns of `x_j x_jᵀ`: `O(Σ_j nnz_j²)` flops.
    fn gram_outer_impl(&self) -> ColMajor<T> {
        let n = self.nrows;
        let mut g = ColMajor::zeros(n, n);
        let gs = g.as_mut_slice();
        for j in 0..self.ncols {
            let (rows, vals) = self.col(j);
            for (ka, (&a, &va)) in rows.iter().zip(vals).enumerate() {
                let a = a.as_index();
                for (&b, &vb) in rows[..=ka].iter().zip(&vals[..=ka]) {
                    gs[b.as_index() * n + a] += va * vb;
                }
            }
        }
        mirror_lower(gs, n);
        g
    }
}

impl<T: Scalar, I: CscIndex> CscMatrix<T, I> {
    /// Takes ownership of the three arrays after checking every CSC invariant (no copy).
    ///
    /// # Errors
    /// As [`CscRef::new`].
    pub fn new(
        nrows: usize,
        ncols: usize,
        col_ptr: Vec<I>,
        row_idx: Vec<I>,
        values: Vec<T>,
    ) -> Result<Self> {
        validate(nrows, ncols, &col_ptr, &row_idx, &values)?;
        Ok(Self {
            nrows,
            ncols,
            col_ptr,
            row_idx,
            values,
        })
    }

    /// The nonzero entries of a dense matrix (exact zeros are not stored).
    ///
    /// ```
    /// use proxreg_linalg::{ColMajor, CscMatrix, DesignMatrix};
    /// let d = ColMajor::new(vec![0.0, 2.0, 3.0, 0.0], 2, 2)?;
    /// let s = CscMatrix::<f64, u32>::from_dense(&d)?;
    /// assert_eq!(s.nnz(), 2);
    /// assert_eq!(s.to_col_major(), d);
    /// # Ok::<(), proxreg_linalg::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NonFinite`] on NaN or infinity, [`Error::InvalidSparse`] if a row index or the
    /// number of entries does not fit the index type.
    pub fn from_dense(x: &ColMajor<T>) -> Result<Self> {
        let (n, p) = (x.nrows(), x.ncols());
        let too_big = |position| Error::InvalidSparse {
            what: "a row index or the number of entries does not fit the index type",
            position,
        };
        let mut col_ptr = Vec::with_capacity(p + 1);
        let mut row_idx = Vec::new();
        let mut values = Vec::new();
        col_ptr.push(I::from_usize(0).ok_or(too_big(0))?);
        for j in 0..p {
            for (i, &v) in x.col(j).iter().enumerate() {
                if v != T::zero() {
                    row_idx.push(I::from_usize(i).ok_or(too_big(values.len()))?);
                    values.push(v);
                }
            }
            col_ptr.push(I::from_usize(values.len()).ok_or(too_big(values.len()))?);
        }
        Self::new(n, p, col_ptr, row_idx, values)
    }

    /// A zero-copy view.
    pub fn as_ref(&self) -> CscRef<'_, T, I> {
        CscRef {
            nrows: self.nrows,
            ncols: self.ncols,
            col_ptr: &self.col_ptr,
            row_idx: &self.row_idx,
            values: &self.values,
        }
    }

    /// Number of rows `n`.
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// Number of columns `p`.
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// The column pointers (`ncols + 1` entries).
    pub fn col_ptr(&self) -> &[I] {
        &self.col_ptr
    }

    /// The row indices of the stored entries.
    pub fn row_idx(&self) -> &[I] {
        &self.row_idx
    }

    /// The stored values.
    pub fn values(&self) -> &[T] {
        &self.values
    }

    /// `(nrows, ncols, col_ptr, row_idx, values)`, giving the arrays back without copying.
    pub fn into_parts(self) -> (usize, usize, Vec<I>, Vec<I>, Vec<T>) {
        (
            self.nrows,
            self.ncols,
            self.col_ptr,
            self.row_idx,
            self.values,
        )
    }
}

macro_rules! impl_design {
    ($ty:ty, $view:expr, $($lt:lifetime)?) => {
        /// `O(nnz)` products and column kernels on the stored entries; `col_slice` is `None`
        /// and [`fast_column_access`](DesignMatrix::fast_column_access) is `true`.
        /// [`to_col_major`](DesignMatrix::to_col_major) densifies (`n × p` values); the solvers
        /// of `proxreg-solvers` use [`sparse_columns`](DesignMatrix::sparse_columns) instead.
        /// The Gram matrices are dense
        /// results computed from the stored entries only (`O(Σ_i nnz_i²)` for `XᵀX`,
        /// `O(Σ_j nnz_j²)` for `XXᵀ`); the thin SVD densifies.
        impl<$($lt,)? T: Scalar, I: CscIndex> DesignMatrix<T> for $ty {
            type Owned = CscMatrix<T, I>;

            #[inline]
            fn nrows(&self) -> usize {
                self.nrows
            }

            #[inline]
            fn ncols(&self) -> usize {
                self.ncols
            }

            fn gemv(&self, alpha: T, w: &[T], beta: T, y: &mut [T]) {
                $view(self).gemv_impl(alpha, w, beta, y);
            }

            fn gemv_t(&self, alpha: T, r: &[T], beta: T, g: &mut [T]) {
                $view(self).gemv_t_impl(alpha, r, beta, g);
            }

            #[inline]
            fn col_dot(&self, j: usize, r: &[T]) -> T {
                $view(self).col_dot_impl(j, r)
            }

            #[inline]
            fn col_axpy(&self, j: usize, a: T, r: &mut [T]) {
                $view(self).col_axpy_impl(j, a, r);
            }

            fn col_sq_norms(&self, out: &mut [T]) {
                $view(self).col_sq_norms_impl(out);
            }

            fn fast_column_access(&self) -> bool {
                true
            }

            fn sparse_columns(&self) -> Option<SparseColumns<'_, T>> {
                let v = $view(self);
                Some(SparseColumns {
                    nrows: v.nrows,
                    ncols: v.ncols,
                    col_ptr: I::index_slice(v.col_ptr),
                    row_idx: I::index_slice(v.row_idx),
                    values: v.values,
                })
            }

            fn select_rows(&self, rows: &[usize]) -> Result<CscMatrix<T, I>> {
                $view(self).select_rows_impl(rows)
            }

            fn to_col_major(&self) -> ColMajor<T> {
                $view(self).dense_impl()
            }

            fn gram(&self, _par: Parallelism) -> ColMajor<T> {
                $view(self).gram_impl()
            }

            fn gram_outer(&self, _par: Parallelism) -> ColMajor<T> {
                $view(self).gram_outer_impl()
            }
        }
    };
}

fn view_of_ref<'b, T: Copy, I: Copy>(x: &CscRef<'b, T, I>) -> CscRef<'b, T, I> {
    *x
}

fn view_of_owned<T: Scalar, I: CscIndex>(x: &CscMatrix<T, I>) -> CscRef<'_, T, I> {
    x.as_ref()
}

impl_design!(CscRef<'a, T, I>, view_of_ref, 'a);
impl_design!(CscMatrix<T, I>, view_of_owned,);

/// The entries of every column given by `col(j) -> (rows, values)`, copied into a new
/// validated matrix (the copying conversions).
#[cfg(any(feature = "faer", feature = "sprs"))]
fn collect_columns<'c, T: Scalar + 'c, I: CscIndex>(
    nrows: usize,
    ncols: usize,
    mut col: impl FnMut(usize) -> (&'c [I], &'c [T]),
) -> Result<CscMatrix<T, I>> {
    let mut col_ptr = Vec::with_capacity(ncols + 1);
    let mut row_idx = Vec::new();
    let mut values = Vec::new();
    let too_big = |position| Error::InvalidSparse {
        what: "the number of stored entries does not fit the index type",
        position,
    };
    col_ptr.push(I::from_usize(0).ok_or(too_big(0))?);
    for j in 0..ncols {
        let (r, v) = col(j);
        row_idx.extend_from_slice(r);
        values.extend_from_slice(v);
        col_ptr.push(I::from_usize(values.len()).ok_or(too_big(values.len()))?);
    }
    CscMatrix::new(nrows, ncols, col_ptr, row_idx, values)
}

#[cfg(feature = "faer")]
mod faer_conv {
    use super::{collect_columns, CscIndex, CscMatrix, CscRef};
    use crate::{Error, Result, Scalar};
    use faer::sparse::{SparseColMat, SparseColMatRef, SymbolicSparseColMat};

    impl<'a, T: Scalar, I: CscIndex + faer::Index> CscRef<'a, T, I> {
        /// A zero-copy view of a faer CSC matrix (`faer` feature), validated like
        /// [`CscRef::new`].
        ///
        /// ```
        /// use faer::sparse::{SparseColMat, Triplet};
        /// use proxreg_linalg::{CscRef, DesignMatrix};
        /// let t = [Triplet::new(0_u32, 0_u32, 1.0_f64), Triplet::new(2, 1, 3.0)];
        /// let m = SparseColMat::<u32, f64>::try_new_from_triplets(3, 2, &t).unwrap();
        /// let x = CscRef::from_faer(m.as_ref())?;
        /// assert_eq!((x.nrows(), x.ncols(), x.nnz()), (3, 2, 2));
        /// # Ok::<(), proxreg_linalg::Error>(())
        /// ```
        ///
        /// # Errors
        /// [`Error::Unsupported`] if the matrix has per-column counts (`col_nnz`, a layout with
        /// gaps: copy it with [`CscMatrix::from_faer`]); otherwise as [`CscRef::new`] (faer
        /// allows unsorted row indices, which are [`Error::InvalidSparse`] here).
        pub fn from_faer(m: SparseColMatRef<'a, I, T>) -> Result<Self> {
            let (sym, val) = m.parts();
            let (nrows, ncols, col_ptr, col_nnz, row_idx) = sym.parts();
            if col_nnz.is_some() {
                return Err(Error::Unsupported {
                    what: "a zero-copy view of a faer matrix with per-column counts (col_nnz)",
                    reason: "its columns have gaps: copy it with CscMatrix::from_faer",
                });
            }
            let end = col_ptr
                .last()
                .and_then(|e| e.to_usize())
                .unwrap_or(0)
                .min(row_idx.len())
                .min(val.len());
            Self::new(nrows, ncols, col_ptr, &row_idx[..end], &val[..end])
        }

        /// A faer copy with `usize` indices (`faer` feature).
        ///
        /// ```
        /// use proxreg_linalg::CscMatrix;
        /// let x = CscMatrix::<f64, u32>::new(2, 1, vec![0, 1], vec![1], vec![4.0])?;
        /// let f = x.as_ref().to_faer()?;
        /// assert_eq!(f.to_dense()[(1, 0)], 4.0);
        /// # Ok::<(), proxreg_linalg::Error>(())
        /// ```
        ///
        /// # Errors
        /// [`Error::Unsupported`] if a dimension exceeds `isize::MAX` (faer's limit).
        pub fn to_faer(self) -> Result<SparseColMat<usize, T>> {
            let limit = isize::MAX.unsigned_abs();
            if self.nrows > limit || self.ncols > limit {
                return Err(Error::Unsupported {
                    what: "conversion to faer",
                    reason: "a dimension exceeds isize::MAX",
                });
            }
            let col_ptr: Vec<usize> = self.col_ptr.iter().map(|c| c.as_index()).collect();
            let row_idx: Vec<usize> = self.row_idx.iter().map(|r| r.as_index()).collect();
            let sym =
                SymbolicSparseColMat::new_checked(self.nrows, self.ncols, col_ptr, None, row_idx);
            Ok(SparseColMat::new(sym, self.values.to_vec()))
        }
    }

    impl<T: Scalar, I: CscIndex + faer::Index> CscMatrix<T, I> {
        /// A compact copy of a faer CSC matrix (`faer` feature), also when it has per-column
        /// counts (`col_nnz`).
        ///
        /// ```
        /// use faer::sparse::{SparseColMat, Triplet};
        /// use proxreg_linalg::{CscMatrix, DesignMatrix};
        /// let t = [Triplet::new(1_usize, 0_usize, 2.0_f32)];
        /// let m = SparseColMat::<usize, f32>::try_new_from_triplets(2, 1, &t).unwrap();
        /// let x = CscMatrix::from_faer(m.as_ref())?;
        /// assert_eq!(x.to_col_major().col(0), &[0.0, 2.0]);
        /// # Ok::<(), proxreg_linalg::Error>(())
        /// ```
        ///
        /// # Errors
        /// As [`CscRef::new`].
        pub fn from_faer(m: SparseColMatRef<'_, I, T>) -> Result<Self> {
            let (sym, val) = m.parts();
            let row_idx = sym.row_idx();
            collect_columns(sym.nrows(), sym.ncols(), |j| {
                let r = sym.col_range(j);
                (&row_idx[r.clone()], &val[r])
            })
        }
    }
}

#[cfg(feature = "sprs")]
mod sprs_conv {
    use super::{collect_columns, CscIndex, CscMatrix, CscRef};
    use crate::{Error, Result, Scalar};
    use core::ops::Deref;

    impl<'a, T: Scalar, I: CscIndex + sprs::SpIndex> CscRef<'a, T, I> {
        /// A zero-copy view of a CSC sprs matrix view (`sprs` feature; pass `m.view()`),
        /// validated like [`CscRef::new`].
        ///
        /// ```
        /// use proxreg_linalg::{CscRef, DesignMatrix};
        /// let m = sprs::CsMat::new_csc((3, 2), vec![0, 1, 2], vec![2, 0], vec![5.0_f64, 6.0]);
        /// let x = CscRef::from_sprs(m.view())?;
        /// assert_eq!(x.col_dot(0, &[1.0, 1.0, 1.0]), 5.0);
        /// # Ok::<(), proxreg_linalg::Error>(())
        /// ```
        ///
        /// # Errors
        /// [`Error::Unsupported`] for a CSR matrix (copy it with [`CscMatrix::from_sprs`]);
        /// [`Error::InvalidSparse`] for a slice of a matrix whose `indptr` does not start at 0
        /// (copy it too); otherwise as [`CscRef::new`].
        pub fn from_sprs(m: sprs::CsMatViewI<'a, T, I>) -> Result<Self> {
            if !m.is_csc() {
                return Err(Error::Unsupported {
                    what: "a zero-copy CSC view of a CSR sprs matrix",
                    reason: "copy it with CscMatrix::from_sprs",
                });
            }
            let (nrows, ncols) = m.shape();
            let (col_ptr, row_idx, values) = m.into_raw_storage();
            Self::new(nrows, ncols, col_ptr, row_idx, values)
        }
    }

    impl<T: Scalar, I: CscIndex + sprs::SpIndex> CscMatrix<T, I> {
        /// A copy of any sprs matrix (`sprs` feature): CSC as it is, CSR converted to CSC.
        ///
        /// ```
        /// use proxreg_linalg::{CscMatrix, DesignMatrix};
        /// // CSR: row 0 = [0, 7], row 1 = [8, 0]
        /// let m = sprs::CsMat::new((2, 2), vec![0, 1, 2], vec![1, 0], vec![7.0_f64, 8.0]);
        /// let x = CscMatrix::from_sprs(&m)?;
        /// assert_eq!(x.to_col_major().col(0), &[0.0, 8.0]);
        /// # Ok::<(), proxreg_linalg::Error>(())
        /// ```
        ///
        /// # Errors
        /// As [`CscRef::new`].
        pub fn from_sprs<PS, IS, DS>(m: &sprs::CsMatBase<T, I, PS, IS, DS, I>) -> Result<Self>
        where
            PS: Deref<Target = [I]>,
            IS: Deref<Target = [I]>,
            DS: Deref<Target = [T]>,
        {
            let converted;
            let csc = if m.is_csc() {
                m.view()
            } else {
                converted = m.to_csc();
                converted.view()
            };
            let cols: Vec<_> = csc.outer_iterator().collect();
            let (nrows, ncols) = csc.shape();
            collect_columns(nrows, ncols, |j| (cols[j].indices(), cols[j].data()))
        }
    }
}

#[cfg(feature = "nalgebra-sparse")]
mod nalgebra_sparse_conv {
    use super::{CscMatrix, CscRef};
    use crate::{Result, Scalar};

    impl<'a, T: Scalar> CscRef<'a, T, usize> {
        /// A zero-copy view of a `nalgebra_sparse::CscMatrix` (`nalgebra-sparse` feature); its
        /// structure is valid by construction, so only the values are checked (finite).
        ///
        /// ```
        /// use proxreg_linalg::{CscRef, DesignMatrix};
        /// let m = nalgebra_sparse::CscMatrix::try_from_csc_data(2, 2, vec![0, 1, 1], vec![1], vec![3.0_f64])
        ///     .unwrap();
        /// let x = CscRef::from_nalgebra(&m)?;
        /// assert_eq!(x.to_col_major().col(0), &[0.0, 3.0]);
        /// # Ok::<(), proxreg_linalg::Error>(())
        /// ```
        ///
        /// # Errors
        /// [`crate::Error::NonFinite`] for a NaN or infinite value.
        pub fn from_nalgebra(m: &'a nalgebra_sparse::CscMatrix<T>) -> Result<Self> {
            let (col_ptr, row_idx, values) = m.csc_data();
            Self::new(m.nrows(), m.ncols(), col_ptr, row_idx, values)
        }
    }

    impl<T: Scalar> CscMatrix<T, usize> {
        /// A copy of a `nalgebra_sparse::CscMatrix` (`nalgebra-sparse` feature).
        ///
        /// ```
        /// use proxreg_linalg::CscMatrix;
        /// let m = nalgebra_sparse::CscMatrix::<f32>::identity(3);
        /// assert_eq!(CscMatrix::from_nalgebra(&m)?.nnz(), 3);
        /// # Ok::<(), proxreg_linalg::Error>(())
        /// ```
        ///
        /// # Errors
        /// As [`CscRef::from_nalgebra`].
        pub fn from_nalgebra(m: &nalgebra_sparse::CscMatrix<T>) -> Result<Self> {
            CscRef::from_nalgebra(m).map(CscRef::into_owned)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn each_validation_error_is_typed() {
        type R<'a> = Result<CscRef<'a, f64, i32>>;
        let ok: R<'_> = CscRef::new(3, 2, &[0, 2, 3], &[0, 2, 1], &[1.0, 3.0, 2.0]);
        assert!(ok.is_ok());
        let len: R<'_> = CscRef::new(3, 2, &[0, 2], &[0, 2], &[1.0, 3.0]);
        assert!(matches!(
            len,
            Err(Error::DimensionMismatch {
                expected: 3,
                found: 2,
                ..
            })
        ));
        let vals: R<'_> = CscRef::new(3, 1, &[0, 2], &[0, 2], &[1.0]);
        assert!(matches!(vals, Err(Error::DimensionMismatch { .. })));
        let start: R<'_> = CscRef::new(3, 1, &[1, 2], &[0, 2], &[1.0, 2.0]);
        assert!(matches!(
            start,
            Err(Error::InvalidSparse { position: 0, .. })
        ));
        let down: R<'_> = CscRef::new(3, 2, &[0, 2, 1], &[0, 2], &[1.0, 2.0]);
        assert!(matches!(
            down,
            Err(Error::InvalidSparse { position: 2, .. })
        ));
        let end: R<'_> = CscRef::new(3, 1, &[0, 1], &[0, 2], &[1.0, 2.0]);
        assert!(matches!(
            end,
            Err(Error::DimensionMismatch {
                expected: 2,
                found: 1,
                ..
            })
        ));
        let neg_ptr: R<'_> = CscRef::new(3, 1, &[0, -1], &[], &[]);
        assert!(matches!(
            neg_ptr,
            Err(Error::InvalidSparse { position: 1, .. })
        ));
        let neg_row: R<'_> = CscRef::new(3, 1, &[0, 1], &[-2], &[1.0]);
        assert!(matches!(
            neg_row,
            Err(Error::InvalidSparse { position: 0, .. })
        ));
        let range: R<'_> = CscRef::new(3, 1, &[0, 1], &[3], &[1.0]);
        assert!(matches!(
            range,
            Err(Error::IndexOutOfRange {
                index: 3,
                len: 3,
                ..
            })
        ));
        let unsorted: R<'_> = CscRef::new(3, 1, &[0, 2], &[2, 0], &[1.0, 2.0]);
        assert!(matches!(
            unsorted,
            Err(Error::InvalidSparse { position: 1, .. })
        ));
        let dup: R<'_> = CscRef::new(3, 1, &[0, 2], &[1, 1], &[1.0, 2.0]);
        assert!(matches!(dup, Err(Error::InvalidSparse { position: 1, .. })));
        // sorted across a column boundary is not required: row 2 then row 0 in the next column
        let next_col: R<'_> = CscRef::new(3, 2, &[0, 1, 2], &[2, 0], &[1.0, 2.0]);
        assert!(next_col.is_ok());
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let v = [1.0, bad];
            let r: R<'_> = CscRef::new(3, 1, &[0, 2], &[0, 1], &v);
            assert!(matches!(r, Err(Error::NonFinite { index: 1, .. })));
        }
        let f32_nan = CscMatrix::<f32, u32>::new(1, 1, vec![0, 1], vec![0], vec![f32::NAN]);
        assert!(matches!(f32_nan, Err(Error::NonFinite { .. })));
        let err = CscRef::<f64, u64>::new(3, 1, &[0, 2], &[1, 1], &[1.0, 2.0]).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("invalid sparse matrix: row indices"));
    }

    #[test]
    fn empty_shapes_are_valid() {
        let x = CscMatrix::<f64, u32>::new(0, 0, vec![0], vec![], vec![]).unwrap();
        assert_eq!(x.to_col_major().nrows(), 0);
        let x = CscMatrix::<f64, u32>::new(4, 2, vec![0, 0, 0], vec![], vec![]).unwrap();
        let mut y = vec![f64::NAN; 4];
        x.gemv(1.0, &[1.0, 2.0], 0.0, &mut y);
        assert_eq!(y, [0.0; 4]);
        assert_eq!(x.gram(Parallelism::Sequential), ColMajor::zeros(2, 2));
    }

    #[test]
    fn select_rows_keeps_columns_sorted_with_repeats_and_reordering() {
        let x = CscMatrix::<f64, u32>::new(2, 1, vec![0, 1], vec![1], vec![2.0]).unwrap();
        let s = x.select_rows(&[1, 0, 1]).unwrap();
        assert_eq!(s.row_idx(), &[0, 2]);
        assert_eq!(s.col_ptr(), &[0, 2]);
    }
}
