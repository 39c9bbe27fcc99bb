//! Factorizations for the ridge and spectral routes: [`Cholesky`], [`SymEigen`] and [`ThinSvd`].
//!
//! They all take a [`ColMajor`] input (the Gram matrices of [`DesignMatrix`](crate::DesignMatrix)
//! are `ColMajor`). Two routes compute them:
//!
//! * **faer** (feature `faer`, the fast path): for `f32` and `f64` the `ColMajor` data is viewed
//!   as a `faer::MatRef` without copying and faer's blocked Cholesky, self-adjoint eigen solver
//!   and thin SVD run on it; the factors are copied back into `ColMajor`.
//! * **pure Rust** (always available, used when `faer` is off): right-looking Cholesky, cyclic
//!   Jacobi for the symmetric eigenproblem and one-sided (Hestenes) Jacobi for the SVD. They are
//!   accurate (Jacobi methods are among the most accurate there are) but `O(p³)` per sweep with
//!   several sweeps, so meant for moderate sizes.
//!
//! Every constructor validates its input first: an empty or non-square matrix is a typed
//! [`Error::Empty`] / [`Error::DimensionMismatch`], NaN or infinity is [`Error::NonFinite`], and
//! a failure of the algorithm (not positive definite, no convergence) is [`Error::Numerical`].
//! Symmetric inputs are read from their **lower triangle**.
//!
//! ```
//! use proxreg_linalg::{Cholesky, ColMajor, SymEigen};
//! // A = [[4, 2], [2, 3]]
//! let a = ColMajor::new(vec![4.0_f64, 2.0, 2.0, 3.0], 2, 2)?;
//! let chol = Cholesky::factor(&a)?;
//! let mut b = vec![6.0, 5.0]; // A · [1, 1]
//! chol.solve_in_place(&mut b)?;
//! assert!((b[0] - 1.0).abs() < 1e-12 && (b[1] - 1.0).abs() < 1e-12);
//! let eig = SymEigen::new(&a)?;
//! assert!(eig.values()[0] <= eig.values()[1]);
//! # Ok::<(), proxreg_core::Error>(())
//! ```

use crate::kernels::{axpy, dot};
use crate::{ColMajor, Error, Result, Scalar};

/// Checks `a` is a non-empty square matrix with finite entries.
fn check_square<T: Scalar>(a: &ColMajor<T>, what: &'static str) -> Result<()> {
    if a.nrows() != a.ncols() {
        return Err(Error::DimensionMismatch {
            what,
            expected: a.nrows(),
            found: a.ncols(),
        });
    }
    check_finite(a, what)
}

fn check_finite<T: Scalar>(a: &ColMajor<T>, what: &'static str) -> Result<()> {
    if a.nrows() == 0 || a.ncols() == 0 {
        return Err(Error::Empty { what });
    }
    match a.as_slice().iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(index) => Err(Error::NonFinite { what, index }),
    }
}

/// The Cholesky factorization `A = L Lᵀ` of a symmetric positive definite matrix.
///
/// ```
/// use proxreg_linalg::{Cholesky, ColMajor, Error};
/// let not_pd = ColMajor::new(vec![1.0_f64, 2.0, 2.0, 1.0], 2, 2)?;
/// assert!(matches!(Cholesky::factor(&not_pd), Err(Error::Numerical { .. })));
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cholesky<T> {
    l: ColMajor<T>,
}

impl<T: Scalar> Cholesky<T> {
    /// Factors `a` (only its lower triangle is read).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `a` is not square, [`Error::Empty`] if it is `0 × 0`,
    /// [`Error::NonFinite`] on NaN or infinity, [`Error::Numerical`] if `a` is not (numerically)
    /// positive definite.
    pub fn factor(a: &ColMajor<T>) -> Result<Self> {
        check_square(a, "Cholesky input (square matrix)")?;
        #[cfg(feature = "faer")]
        if let Some(r) = crate::faer_impl::route::llt(a) {
            return r.map(|l| Self { l });
        }
        pure::cholesky(a).map(|l| Self { l })
    }

    /// Solves `A x = b` in place (`b` becomes `x`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `b.len() != self.dim()`.
    pub fn solve_in_place(&self, b: &mut [T]) -> Result<()> {
        let n = self.dim();
        if b.len() != n {
            return Err(Error::DimensionMismatch {
                what: "right-hand side length vs Cholesky dimension",
                expected: n,
                found: b.len(),
            });
        }
        // L z = b, column by column.
        for j in 0..n {
            let c = self.l.col(j);
            b[j] /= c[j];
            let zj = b[j];
            axpy(-zj, &c[j + 1..], &mut b[j + 1..]);
        }
        // Lᵀ x = z, backwards.
        for j in (0..n).rev() {
            let c = self.l.col(j);
            let s = dot(&c[j + 1..], &b[j + 1..]);
            b[j] = (b[j] - s) / c[j];
        }
        Ok(())
    }

    /// The dimension `p` of the factored `p × p` matrix.
    pub fn dim(&self) -> usize {
        self.l.nrows()
    }

    /// The lower-triangular factor `L` (its strict upper triangle is zero).
    pub fn l(&self) -> &ColMajor<T> {
        &self.l
    }
}

/// The eigendecomposition `A = V Λ Vᵀ` of a symmetric matrix: eigenvalues in ascending order,
/// eigenvectors as orthonormal columns of `V`.
#[derive(Debug, Clone, PartialEq)]
pub struct SymEigen<T> {
    values: Vec<T>,
    vectors: ColMajor<T>,
}

impl<T: Scalar> SymEigen<T> {
    /// Decomposes `a` (only its lower triangle is read).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `a` is not square, [`Error::Empty`] if it is `0 × 0`,
    /// [`Error::NonFinite`] on NaN or infinity, [`Error::Numerical`] if the iteration does not
    /// converge.
    pub fn new(a: &ColMajor<T>) -> Result<Self> {
        check_square(a, "symmetric eigen input (square matrix)")?;
        #[cfg(feature = "faer")]
        if let Some(r) = crate::faer_impl::route::sym_eigen(a) {
            return r.map(|(values, vectors)| Self { values, vectors });
        }
        pure::jacobi_eigen(a).map(|(values, vectors)| Self { values, vectors })
    }

    /// The eigenvalues, ascending.
    pub fn values(&self) -> &[T] {
        &self.values
    }

    /// The eigenvectors: column `k` belongs to `values()[k]`.
    pub fn vectors(&self) -> &ColMajor<T> {
        &self.vectors
    }
}

/// The thin singular value decomposition `X = U diag(s) Vᵀ` of an `n × p` matrix, with
/// `r = min(n, p)`: `U` is `n × r` and `V` is `p × r`, both with orthonormal columns, and `s`
/// is non-negative and descending.
///
/// Obtained from [`DesignMatrix::thin_svd`](crate::DesignMatrix::thin_svd) or
/// [`ThinSvd::new`].
#[derive(Debug, Clone, PartialEq)]
pub struct ThinSvd<T> {
    u: ColMajor<T>,
    s: Vec<T>,
    v: ColMajor<T>,
}

impl<T: Scalar> ThinSvd<T> {
    /// Decomposes a column-major matrix (faer's SVD with the `faer` feature, one-sided Jacobi
    /// otherwise).
    ///
    /// # Errors
    /// [`Error::Empty`] if a dimension is zero, [`Error::NonFinite`] on NaN or infinity,
    /// [`Error::Numerical`] if the iteration does not converge.
    pub fn new(a: &ColMajor<T>) -> Result<Self> {
        check_finite(a, "SVD input")?;
        #[cfg(feature = "faer")]
        if let Some(r) = crate::faer_impl::route::thin_svd(a) {
            return r;
        }
        pure::jacobi_svd(a)
    }

    /// Assembles a decomposition from its parts, checking their shapes (for backends that
    /// compute their own SVD).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the shapes do not fit together.
    pub fn from_parts(u: ColMajor<T>, s: Vec<T>, v: ColMajor<T>) -> Result<Self> {
        let r = s.len();
        if u.ncols() != r || v.ncols() != r || r != u.nrows().min(v.nrows()) {
            return Err(Error::DimensionMismatch {
                what: "thin SVD rank vs factor shapes",
                expected: u.nrows().min(v.nrows()),
                found: r,
            });
        }
        Ok(Self { u, s, v })
    }

    /// The left singular vectors `U` (`n × r`).
    pub fn u(&self) -> &ColMajor<T> {
        &self.u
    }

    /// The singular values, descending (`r` of them).
    pub fn s(&self) -> &[T] {
        &self.s
    }

    /// The right singular vectors `V` (`p × r`).
    pub fn v(&self) -> &ColMajor<T> {
        &self.v
    }

    /// Consumes the decomposition, returning `(U, s, V)`.
    pub fn into_parts(self) -> (ColMajor<T>, Vec<T>, ColMajor<T>) {
        (self.u, self.s, self.v)
    }

    /// Sorts the triplets by descending singular value (stable), for backends whose SVD is
    /// unordered.
    pub(crate) fn sorted(self) -> Self {
        let r = self.s.len();
        let mut idx: Vec<usize> = (0..r).collect();
        idx.sort_by(|&a, &b| {
            self.s[b]
                .partial_cmp(&self.s[a])
                .unwrap_or(core::cmp::Ordering::Equal)
        });
        if idx.iter().enumerate().all(|(k, &i)| k == i) {
            return self;
        }
        let u = ColMajor::from_fn(self.u.nrows(), r, |i, k| self.u.col(idx[k])[i]);
        let v = ColMajor::from_fn(self.v.nrows(), r, |i, k| self.v.col(idx[k])[i]);
        let s = idx.iter().map(|&i| self.s[i]).collect();
        Self { u, s, v }
    }
}

/// The pure-Rust algorithms (also the reference the faer route is tested against).
pub(crate) mod pure {
    use super::*;

    /// Most sweeps a Jacobi method may take before reporting non-convergence.
    const MAX_SWEEPS: usize = 80;

    /// Right-looking Cholesky on the lower triangle, column axpys on contiguous data.
    pub(crate) fn cholesky<T: Scalar>(a: &ColMajor<T>) -> Result<ColMajor<T>> {
        let n = a.nrows();
        let mut l = ColMajor::from_fn(n, n, |i, j| if i >= j { a.col(j)[i] } else { T::zero() });
        for j in 0..n {
            let d = l.col(j)[j];
            let ok = d.is_finite() && d > T::zero();
            if !ok {
                return Err(Error::Numerical {
                    what: "Cholesky factorization",
                    reason: "the matrix is not positive definite",
                });
            }
            let djj = d.sqrt();
            let data = l.as_mut_slice();
            let (left, right) = data.split_at_mut((j + 1) * n);
            let cj = &mut left[j * n..];
            cj[j] = djj;
            cj[j + 1..].iter_mut().for_each(|v| *v /= djj);
            for k in j + 1..n {
                let lkj = cj[k];
                if lkj != T::zero() {
                    let ck = &mut right[(k - j - 1) * n..(k - j) * n];
                    axpy(-lkj, &cj[k..], &mut ck[k..]);
                }
            }
        }
        Ok(l)
    }

    /// Cyclic Jacobi eigenvalue algorithm (Golub & Van Loan, Alg. 8.5.3).
    pub(crate) fn jacobi_eigen<T: Scalar>(a: &ColMajor<T>) -> Result<(Vec<T>, ColMajor<T>)> {
        let n = a.nrows();
        // Symmetric working copy from the lower triangle.
        let mut m = ColMajor::from_fn(n, n, |i, j| if i >= j { a.col(j)[i] } else { a.col(i)[j] });
        let mut v = ColMajor::from_fn(n, n, |i, j| if i == j { T::one() } else { T::zero() });
        let norm2: T = m.as_slice().iter().map(|&x| x * x).sum();
        let tol2 = T::epsilon() * T::epsilon() * norm2;
        let mut converged = false;
        for _ in 0..MAX_SWEEPS {
            let off: T = (0..n)
                .flat_map(|j| (0..n).filter(move |&i| i != j).map(move |i| (i, j)))
                .map(|(i, j)| {
                    let x = m.col(j)[i];
                    x * x
                })
                .sum();
            if off <= tol2 {
                converged = true;
                break;
            }
            for p in 0..n {
                for q in p + 1..n {
                    let apq = m.col(q)[p];
                    if apq == T::zero() {
                        continue;
                    }
                    let app = m.col(p)[p];
                    let aqq = m.col(q)[q];
                    let tau = (aqq - app) / (T::lit(2.0) * apq);
                    let t = if tau >= T::zero() {
                        T::one() / (tau + (T::one() + tau * tau).sqrt())
                    } else {
                        -T::one() / (-tau + (T::one() + tau * tau).sqrt())
                    };
                    let c = T::one() / (T::one() + t * t).sqrt();
                    let s = t * c;
                    rotate_cols(&mut m, p, q, c, s);
                    rotate_rows(&mut m, p, q, c, s);
                    rotate_cols(&mut v, p, q, c, s);
                }
            }
        }
        if !converged {
            return Err(Error::Numerical {
                what: "symmetric eigen decomposition (Jacobi)",
                reason: "no convergence",
            });
        }
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by(|&x, &y| {
            m.col(x)[x]
                .partial_cmp(&m.col(y)[y])
                .unwrap_or(core::cmp::Ordering::Equal)
        });
        let values = idx.iter().map(|&k| m.col(k)[k]).collect();
        let vectors = ColMajor::from_fn(n, n, |i, k| v.col(idx[k])[i]);
        Ok((values, vectors))
    }

    /// Columns `p, q` of `m` <- `[c_p, c_q] · [[c, s], [-s, c]]`.
    fn rotate_cols<T: Scalar>(m: &mut ColMajor<T>, p: usize, q: usize, c: T, s: T) {
        let n = m.nrows();
        let data = m.as_mut_slice();
        let (lo, hi) = data.split_at_mut(q * n);
        let cp = &mut lo[p * n..(p + 1) * n];
        let cq = &mut hi[..n];
        for (x, y) in cp.iter_mut().zip(cq.iter_mut()) {
            let (a, b) = (*x, *y);
            *x = c * a - s * b;
            *y = s * a + c * b;
        }
    }

    /// Rows `p, q` of `m` <- `[[c, -s], [s, c]] · [r_p; r_q]`.
    fn rotate_rows<T: Scalar>(m: &mut ColMajor<T>, p: usize, q: usize, c: T, s: T) {
        for j in 0..m.ncols() {
            let col = m.col_mut(j);
            let (a, b) = (col[p], col[q]);
            col[p] = c * a - s * b;
            col[q] = s * a + c * b;
        }
    }

    /// One-sided (Hestenes) Jacobi SVD.
    pub(crate) fn jacobi_svd<T: Scalar>(a: &ColMajor<T>) -> Result<ThinSvd<T>> {
        let (n, p) = (a.nrows(), a.ncols());
        if n < p {
            // Xᵀ = U' S V'ᵀ  =>  X = V' S U'ᵀ.
            let at = ColMajor::from_fn(p, n, |i, j| a.col(i)[j]);
            let t = jacobi_svd_tall(&at)?;
            return Ok(ThinSvd {
                u: t.v,
                s: t.s,
                v: t.u,
            });
        }
        jacobi_svd_tall(a)
    }

    fn jacobi_svd_tall<T: Scalar>(a: &ColMajor<T>) -> Result<ThinSvd<T>> {
        let p = a.ncols();
        let mut w = a.clone();
        let mut v = ColMajor::from_fn(p, p, |i, j| if i == j { T::one() } else { T::zero() });
        let eps = T::epsilon();
        let mut converged = false;
        for _ in 0..MAX_SWEEPS {
            let mut rotated = false;
            for i in 0..p {
                for j in i + 1..p {
                    let alpha = dot(w.col(i), w.col(i));
                    let beta = dot(w.col(j), w.col(j));
                    let gamma = dot(w.col(i), w.col(j));
                    let small = gamma.abs() <= eps * (alpha * beta).sqrt();
                    if small || gamma == T::zero() {
                        continue;
                    }
                    rotated = true;
                    let zeta = (beta - alpha) / (T::lit(2.0) * gamma);
                    let t = if zeta >= T::zero() {
                        T::one() / (zeta + (T::one() + zeta * zeta).sqrt())
                    } else {
                        -T::one() / (-zeta + (T::one() + zeta * zeta).sqrt())
                    };
                    let c = T::one() / (T::one() + t * t).sqrt();
                    let s = c * t;
                    rotate_cols(&mut w, i, j, c, s);
                    rotate_cols(&mut v, i, j, c, s);
                }
            }
            if !rotated {
                converged = true;
                break;
            }
        }
        if !converged {
            return Err(Error::Numerical {
                what: "thin SVD (one-sided Jacobi)",
                reason: "no convergence",
            });
        }
        let s: Vec<T> = (0..p).map(|j| dot(w.col(j), w.col(j)).sqrt()).collect();
        let mut u = w;
        let mut zero_cols = Vec::new();
        for (j, &sj) in s.iter().enumerate() {
            if sj > T::zero() {
                u.col_mut(j).iter_mut().for_each(|x| *x /= sj);
            } else {
                zero_cols.push(j);
            }
        }
        complete_orthonormal(&mut u, &zero_cols);
        Ok(ThinSvd { u, s, v }.sorted())
    }

    /// Replaces the columns `cols` of `u` (whose other columns are orthonormal) by unit vectors
    /// orthogonal to every other column (Gram–Schmidt on the canonical basis, twice).
    fn complete_orthonormal<T: Scalar>(u: &mut ColMajor<T>, cols: &[usize]) {
        let n = u.nrows();
        let mut done: Vec<usize> = (0..u.ncols()).filter(|j| !cols.contains(j)).collect();
        let mut e = 0;
        for &k in cols {
            while e < n {
                let mut x = vec![T::zero(); n];
                x[e] = T::one();
                e += 1;
                for _ in 0..2 {
                    for &d in &done {
                        let c = dot(u.col(d), &x);
                        axpy(-c, u.col(d), &mut x);
                    }
                }
                let nx = dot(&x, &x).sqrt();
                if nx > T::lit(0.5) {
                    x.iter_mut().for_each(|v| *v /= nx);
                    u.col_mut(k).copy_from_slice(&x);
                    done.push(k);
                    break;
                }
            }
        }
    }
}
