//! # proxreg-linalg
//!
//! The [`DesignMatrix`] trait: everything proxreg's solvers need from a dense design matrix `X`
//! (`n` samples × `p` features), and nothing decorative. It is implemented on proxreg's own
//! [`ColMajor`] (always available, no dependency) and, behind additive cargo features, on the
//! users' own matrix types, so data is passed as it is.
//!
//! | feature | types | products and Gram | thin SVD | default |
//! | --- | --- | --- | --- | --- |
//! | (none) | [`ColMajor`] | faer `matmul` for f32/f64 when `faer` is on, else pure-Rust blocked kernels | faer if on, else one-sided Jacobi | always on |
//! | `faer` | `faer::Mat<T>`, `faer::MatRef<'_, T>` | faer `matmul` | faer | off here (on in `proxreg`) |
//! | `nalgebra` | `nalgebra::DMatrix<T>`, `DMatrixView`, `DMatrixViewMut` (unit or run-time row stride) | nalgebra `gemv`/`gemv_tr`/`gemm` | nalgebra | off |
//! | `ndarray` | `ndarray::ArrayBase<S, Ix2>`, `S: Data` (owned, views, shared; any layout) | `general_mat_vec_mul` + fused line kernels, `matrixmultiply` | via a column-major copy | off |
//! | (none) | [`CscRef`] (zero-copy) / [`CscMatrix`] (owned): sparse CSC, 32- or 64-bit indices | `O(nnz)` column kernels; Gram from the stored entries | via a dense copy | always on |
//! | `faer` | conversions to and from `faer::sparse::SparseColMat` | | | off here |
//! | `sprs`, `nalgebra-sparse` | conversions from `sprs::CsMatBase` (CSC zero-copy, CSR copied) and `nalgebra_sparse::CscMatrix` | | | off |
//!
//! The features are additive; any subset may be on at once. The factorizations of [`factor`]
//! ([`Cholesky`], [`SymEigen`], [`ThinSvd`]) take [`ColMajor`] input and run on faer's kernels
//! for `f32`/`f64` when the `faer` feature is on (a zero-copy view of the `ColMajor` data), and on
//! pure-Rust fallbacks otherwise.
//!
//! ## Layout and coordinate descent
//!
//! Coordinate descent reads columns. The solvers of `proxreg-solvers` run on the columns in
//! place when [`DesignMatrix::col_slice`] returns `Some` for every column (and the fit needs
//! no sample weights or standardization); otherwise (a row-major ndarray, a transposed faer
//! view, a strided view) they make **one column-major copy per fit** with
//! [`DesignMatrix::to_col_major`] and run on it. The copy
//! costs one pass over `X` (see `docs/backends.md` for the measured numbers) and is amortised over
//! the epochs. Matrix-vector products are fast in every layout without a copy.
//!
//! A sparse [`CscRef`] / [`CscMatrix`] is never copied that way: the solvers see its stored
//! entries through [`DesignMatrix::sparse_columns`] and run on them (see [`csc`]).
//!
//! Vectors are plain slices. Products write into caller buffers in BLAS's `alpha`/`beta` form.
//!
//! ```
//! use proxreg_linalg::{ColMajor, DesignMatrix};
//! // X = [[1, 2], [3, 4]] given column by column
//! let x = ColMajor::new(vec![1.0_f64, 3.0, 2.0, 4.0], 2, 2)?;
//! let mut y = vec![0.0; 2];
//! x.gemv(1.0, &[1.0, 1.0], 0.0, &mut y);
//! assert_eq!(y, vec![3.0, 7.0]);
//! # Ok::<(), proxreg_core::Error>(())
//! ```
// docs.rs builds with `--cfg docsrs` on nightly: label feature-gated items with their features.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod colmajor;
pub mod csc;
pub mod factor;
mod kernels;

#[cfg(feature = "faer")]
mod faer_impl;
#[cfg(feature = "nalgebra")]
mod nalgebra_impl;
#[cfg(feature = "ndarray")]
mod ndarray_impl;

pub use colmajor::ColMajor;
pub use csc::{CscIndex, CscMatrix, CscRef, IndexSlice, SparseColumns};
pub use factor::{Cholesky, SymEigen, ThinSvd};
pub use proxreg_core::{Error, Result, Scalar};

/// How many threads a heavy kernel (Gram, factorizations) may use.
///
/// Solvers pass [`Parallelism::Sequential`] into kernels that run inside parallel
/// cross-validation, so that results never depend on the thread count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Parallelism {
    /// One thread (the default).
    #[default]
    Sequential,
    /// Up to this many threads, where the backend supports it.
    Threads(core::num::NonZeroUsize),
}

/// A design matrix `X` with `n = nrows()` samples and `p = ncols()` features: a dense backend
/// or the sparse [`CscRef`] / [`CscMatrix`].
///
/// Kernels do not check shapes beyond `debug_assert!`: callers (the estimators) validate at
/// their boundary, and [`check_gemv`] / [`check_gemv_t`] are there for that. Kernels never
/// allocate, except the ones that return an owned matrix.
///
/// # Panics
/// Kernel methods may panic when slice lengths do not match the shape (a programmer error;
/// estimators validate user input before calling them).
pub trait DesignMatrix<T: Scalar> {
    /// The owned matrix type produced by [`DesignMatrix::select_rows`] (same backend).
    type Owned: DesignMatrix<T>;

    /// Number of rows (samples) `n`.
    fn nrows(&self) -> usize;

    /// Number of columns (features) `p`.
    fn ncols(&self) -> usize;

    /// `y <- alpha · X · w + beta · y` (`w.len() == p`, `y.len() == n`).
    /// With `beta == 0`, `y` is overwritten (NaN in `y` does not propagate).
    fn gemv(&self, alpha: T, w: &[T], beta: T, y: &mut [T]);

    /// `g <- alpha · Xᵀ · r + beta · g` (`r.len() == n`, `g.len() == p`).
    /// With `beta == 0`, `g` is overwritten.
    fn gemv_t(&self, alpha: T, r: &[T], beta: T, g: &mut [T]);

    /// `<X[:, j], r>`.
    fn col_dot(&self, j: usize, r: &[T]) -> T;

    /// `r <- r + a · X[:, j]`.
    fn col_axpy(&self, j: usize, a: T, r: &mut [T]);

    /// `out[j] = ‖X[:, j]‖²` for every column (`out.len() == p`).
    fn col_sq_norms(&self, out: &mut [T]);

    /// Column `j` as a contiguous slice, when the layout stores it so (`None` otherwise, and for
    /// `j >= p`). `Some` only when the column is truly contiguous in memory.
    /// Coordinate descent uses it for its fused kernels; when it is `None` the solvers make one
    /// column-major copy per fit ([`DesignMatrix::to_col_major`]).
    fn col_slice(&self, _j: usize) -> Option<&[T]> {
        None
    }

    /// Whether the column kernels ([`col_dot`](DesignMatrix::col_dot),
    /// [`col_axpy`](DesignMatrix::col_axpy)) are efficient on this layout: a hint for code
    /// that chooses between running on `self` and copying it first.
    ///
    /// The default is "every column is a contiguous slice" (`O(p)` to evaluate); a backend
    /// whose column kernels are fast without slices (sparse CSC) may override it with `true`.
    /// The solvers of `proxreg-solvers` do not consult it: they run on
    /// [`sparse_columns`](DesignMatrix::sparse_columns) when it is `Some`, else test
    /// [`col_slice`](DesignMatrix::col_slice) themselves and copy with
    /// [`to_col_major`](DesignMatrix::to_col_major) when any column has no slice.
    fn fast_column_access(&self) -> bool {
        (0..self.ncols()).all(|j| self.col_slice(j).is_some())
    }

    /// The matrix as validated sparse columns, when it is stored so: `Some` for [`CscRef`] and
    /// [`CscMatrix`] (a view of their arrays, no copy), `None` (the default) for dense layouts.
    /// The solvers of `proxreg-solvers` run on these stored entries and never densify such a
    /// matrix in coordinate descent, prox-Newton or FISTA.
    fn sparse_columns(&self) -> Option<SparseColumns<'_, T>> {
        None
    }

    /// A new matrix made of the given rows, in the given order (for cross-validation folds).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] if a row index is `>= n`.
    fn select_rows(&self, rows: &[usize]) -> Result<Self::Owned>;

    /// A column-major copy of the matrix.
    fn to_col_major(&self) -> ColMajor<T>;

    /// The Gram matrix `XᵀX` (`p × p`).
    fn gram(&self, par: Parallelism) -> ColMajor<T>;

    /// The outer Gram matrix `XXᵀ` (`n × n`), for the dual (p > n) ridge route.
    fn gram_outer(&self, par: Parallelism) -> ColMajor<T>;

    /// The thin SVD `X = U diag(s) Vᵀ` (`r = min(n, p)`, `s` descending).
    ///
    /// The default makes a column-major copy and runs [`ThinSvd::new`] (faer's SVD when the
    /// `faer` feature is on, one-sided Jacobi otherwise); the faer and nalgebra impls use their
    /// own SVD directly.
    ///
    /// # Errors
    /// [`Error::Empty`] if a dimension is zero, [`Error::NonFinite`] on NaN or infinity,
    /// [`Error::Numerical`] if the iteration does not converge.
    fn thin_svd(&self) -> Result<ThinSvd<T>> {
        ThinSvd::new(&self.to_col_major())
    }
}

/// Checks the lengths for [`DesignMatrix::gemv`].
///
/// # Errors
/// [`Error::DimensionMismatch`] naming the vector whose length is wrong.
pub fn check_gemv<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X, w: &[T], y: &[T]) -> Result<()> {
    if w.len() != x.ncols() {
        return Err(Error::DimensionMismatch {
            what: "coefficient length vs X columns",
            expected: x.ncols(),
            found: w.len(),
        });
    }
    if y.len() != x.nrows() {
        return Err(Error::DimensionMismatch {
            what: "output length vs X rows",
            expected: x.nrows(),
            found: y.len(),
        });
    }
    Ok(())
}

/// Checks the lengths for [`DesignMatrix::gemv_t`].
///
/// # Errors
/// [`Error::DimensionMismatch`] naming the vector whose length is wrong.
pub fn check_gemv_t<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X, r: &[T], g: &[T]) -> Result<()> {
    if r.len() != x.nrows() {
        return Err(Error::DimensionMismatch {
            what: "vector length vs X rows",
            expected: x.nrows(),
            found: r.len(),
        });
    }
    if g.len() != x.ncols() {
        return Err(Error::DimensionMismatch {
            what: "output length vs X columns",
            expected: x.ncols(),
            found: g.len(),
        });
    }
    Ok(())
}
