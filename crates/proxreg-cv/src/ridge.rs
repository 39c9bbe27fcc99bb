//! Ridge cross-validation from one decomposition: exact leave-one-out and generalized
//! cross-validation for every alpha, plus K-fold.
//!
//! Convention: scikit-learn's `Ridge`, `‖y − Xw − b‖² + α‖w‖²` (sum of squares, not divided
//! by `n`). With a thin SVD of the (centered, when an intercept is fitted) design
//! `X̃ = U diag(σ) Vᵀ` and `ỹ` the (centered) target, for every α:
//!
//! - shrinkage `f_i = σ_i²/(σ_i² + α)`, fitted values `ŷ = ȳ + U diag(f) Uᵀỹ`, residuals `e`;
//! - hat-matrix diagonal `h_jj = Σ_i U_ji² f_i (+ 1/n with an intercept)`;
//! - exact leave-one-out residuals `e_j/(1 − h_jj)` (the leave-one-out refit re-estimates the
//!   intercept too: it is ridge on `[X̃, 1]` with the intercept unpenalised), and
//!   `loo = mean_j (e_j/(1 − h_jj))²` — scikit-learn's `RidgeCV` (`cv=None`) curve;
//! - effective degrees of freedom `dof = Σ_i f_i` (the intercept not counted);
//! - GCV (Golub, Heath & Wahba 1979) `gcv = mean_j e_j² / (1 − tr(H)/n)²` with
//!   `tr(H) = dof (+ 1 with an intercept)`: leave-one-out with every `h_jj` replaced by their
//!   mean, a different curve.
//!
//! Each alpha costs `O(n·r)` after the decomposition (`r = min(n, p)`).

use proxreg_core::error::ensure_positive_finite;
use proxreg_core::penalty::SquaredL2;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{Prepared, Problem};

use crate::folds::Folds;
use crate::measure::ErrorMeasure;
use crate::path::CvPath;

/// Leave-one-out and GCV curves of ridge over an alpha grid, from one decomposition.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RidgeCurves<T> {
    /// The alphas (scikit-learn's `Ridge` convention), decreasing.
    pub alphas: Vec<T>,
    /// Mean squared exact leave-one-out error per alpha (scikit-learn's
    /// `RidgeCV(store_cv_results=True).cv_results_.mean(axis=0)`).
    pub loo: Vec<T>,
    /// Generalized cross-validation `mean(e²)/(1 − tr(H)/n)²` per alpha.
    pub gcv: Vec<T>,
    /// Effective degrees of freedom `Σ σ_i²/(σ_i² + α)` per alpha (without the intercept).
    pub dof: Vec<T>,
    /// The singular values of the (centered) design, descending.
    pub singular_values: Vec<T>,
}

/// Validates a given ridge grid (non-empty, finite, `> 0`) and sorts it decreasing.
///
/// # Errors
/// [`Error::Empty`] for an empty grid, [`Error::InvalidParameter`] (`alphas`) for a value that
/// is NaN, infinite or `<= 0`.
pub fn ridge_alphas<T: Scalar>(alphas: &[T]) -> Result<Vec<T>> {
    if alphas.is_empty() {
        return Err(Error::Empty { what: "alphas" });
    }
    for &a in alphas {
        ensure_positive_finite("alphas", a)?;
    }
    let mut v = alphas.to_vec();
    v.sort_by(|a, b| b.partial_cmp(a).unwrap_or(core::cmp::Ordering::Equal));
    Ok(v)
}

/// The default ridge grid: `n_alphas` values log-spaced (decreasing) from `100·σ_max²` down to
/// `max(σ_min², 10⁻⁶·σ_max²)/100`, where `σ` are the singular values of the (centered) design
/// and `σ_min` the smallest one above `10⁻⁶·σ_max` (numerically zero directions are ignored).
///
/// At the top every direction is shrunk by at least 100× (`dof ≤ r/101`); at the bottom every
/// direction with `σ ≥ σ_min` keeps at least 99% of its least-squares size: the grid covers the
/// whole range of effective degrees of freedom, in the units of the data.
///
/// # Errors
/// [`Error::InvalidParameter`] (`n_alphas`) for 0; [`Error::Numerical`] when the design is
/// zero (no positive singular value).
pub fn ridge_default_grid<T: Scalar>(singular_values: &[T], n_alphas: usize) -> Result<Vec<T>> {
    if n_alphas == 0 {
        return Err(Error::InvalidParameter {
            name: "n_alphas",
            value: 0.0,
            expected: ">= 1",
        });
    }
    let smax = singular_values
        .iter()
        .copied()
        .fold(T::zero(), |a, b| if b > a { b } else { a });
    if !(smax > T::zero() && smax.is_finite()) {
        return Err(Error::Numerical {
            what: "ridge grid",
            reason: "the design has no positive singular value",
        });
    }
    let floor = smax * T::lit(1e-6);
    let smin = singular_values
        .iter()
        .copied()
        .filter(|&s| s >= floor)
        .fold(smax, |a, b| if b < a { b } else { a });
    let hi = T::lit(100.0) * smax * smax;
    let lo = smin * smin / T::lit(100.0);
    if n_alphas == 1 {
        return Ok(vec![hi]);
    }
    let (lh, ll) = (hi.ln(), lo.ln());
    let steps = T::from_count(n_alphas - 1);
    Ok((0..n_alphas)
        .map(|i| (lh + (ll - lh) * T::from_count(i) / steps).exp())
        .collect())
}

/// The decomposition behind [`ridge_curves`]: thin SVD of the (centered) design.
struct Spectral<T> {
    /// `U` (`n × r`, column-major).
    u: Vec<T>,
    s: Vec<T>,
    /// `Uᵀỹ`.
    uty: Vec<T>,
    /// Centered (or raw) targets.
    yt: Vec<T>,
    n: usize,
}

fn spectral<T, X>(x: &X, y: &[T], fit_intercept: bool) -> Result<Spectral<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let pb = Problem::new(x, y, &SquaredL2, T::zero()).fit_intercept(fit_intercept);
    let prep = Prepared::new(&pb, false)?;
    let n = prep.n_samples();
    let svd = prep.centered_design().thin_svd()?;
    let yt = prep.targets().to_vec();
    let r = svd.s().len();
    let u = svd.u();
    let mut ucols = Vec::with_capacity(n * r);
    let mut uty = Vec::with_capacity(r);
    for i in 0..r {
        let c = u.col(i);
        uty.push(c.iter().zip(&yt).map(|(&a, &b)| a * b).sum());
        ucols.extend_from_slice(c);
    }
    Ok(Spectral {
        u: ucols,
        s: svd.s().to_vec(),
        uty,
        yt,
        n,
    })
}

/// The singular values of the (centered when `fit_intercept`) design, descending: what
/// [`ridge_default_grid`] needs.
///
/// # Errors
/// Shapes, NaN and SVD failures.
pub fn ridge_singular_values<T, X>(x: &X, y: &[T], fit_intercept: bool) -> Result<Vec<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    Ok(spectral(x, y, fit_intercept)?.s)
}

/// Exact leave-one-out, GCV and effective degrees of freedom of ridge for every alpha of
/// `alphas` (validated and sorted decreasing) from one thin SVD; `alphas = None` uses
/// [`ridge_default_grid`] with `n_alphas` points.
///
/// ```
/// use proxreg_cv::ridge_curves;
/// use proxreg_linalg::ColMajor;
/// let x = ColMajor::from_fn(30, 3, |i, j| (((i + 2) * (j + 3)) % 7) as f64);
/// let y: Vec<f64> = (0..30).map(|i| x.col(0)[i] - x.col(2)[i] + (i % 3) as f64).collect();
/// let c = ridge_curves(&x, &y, Some(&[10.0, 1.0, 0.1]), 0, true)?;
/// assert_eq!(c.alphas, vec![10.0, 1.0, 0.1]);
/// assert!(c.dof[0] < c.dof[2] && c.dof[2] < 3.0);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`ridge_alphas`] / [`ridge_default_grid`]; shapes and NaN in the data; SVD failures.
pub fn ridge_curves<T, X>(
    x: &X,
    y: &[T],
    alphas: Option<&[T]>,
    n_alphas: usize,
    fit_intercept: bool,
) -> Result<RidgeCurves<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    if let Some(a) = alphas {
        ridge_alphas(a)?;
    }
    let sp = spectral(x, y, fit_intercept)?;
    let alphas = match alphas {
        Some(a) => ridge_alphas(a)?,
        None => ridge_default_grid(&sp.s, n_alphas)?,
    };
    let (n, r) = (sp.n, sp.s.len());
    let nn = T::from_count(n);
    let base = if fit_intercept {
        T::one() / nn
    } else {
        T::zero()
    };
    let usq: Vec<T> = sp.u.iter().map(|&v| v * v).collect();
    let mut loo = Vec::with_capacity(alphas.len());
    let mut gcv = Vec::with_capacity(alphas.len());
    let mut dofs = Vec::with_capacity(alphas.len());
    let mut fitted = vec![T::zero(); n];
    let mut h = vec![T::zero(); n];
    for &a in &alphas {
        fitted.iter_mut().for_each(|v| *v = T::zero());
        h.iter_mut().for_each(|v| *v = base);
        let mut dof = T::zero();
        for i in 0..r {
            let s2 = sp.s[i] * sp.s[i];
            let f = s2 / (s2 + a);
            dof += f;
            let c = f * sp.uty[i];
            let ucol = &sp.u[i * n..(i + 1) * n];
            let u2 = &usq[i * n..(i + 1) * n];
            for j in 0..n {
                fitted[j] += c * ucol[j];
                h[j] += f * u2[j];
            }
        }
        let mut sse = T::zero();
        let mut sloo = T::zero();
        for j in 0..n {
            let e = sp.yt[j] - fitted[j];
            sse += e * e;
            let l = e / (T::one() - h[j]);
            sloo += l * l;
        }
        let tr = dof + base * nn;
        let d = T::one() - tr / nn;
        loo.push(sloo / nn);
        gcv.push(sse / nn / (d * d));
        dofs.push(dof);
    }
    Ok(RidgeCurves {
        alphas,
        loo,
        gcv,
        dof: dofs,
        singular_values: sp.s,
    })
}

/// K-fold cross-validation of ridge over `alphas` (validated, sorted decreasing): one thin SVD
/// per fold's training rows (centered with the training means when `fit_intercept`), then
/// every alpha in `O(p·r)`; held-out error (`measure`) per alpha and fold, mean, standard error and the
/// selected indices, as [`crate::cv_path`]. The alpha is scikit-learn's `Ridge` alpha on every
/// fold (not rescaled by the training size), as `GridSearchCV(Ridge(alpha))` does.
///
/// # Errors
/// As [`ridge_alphas`]; [`Error::DimensionMismatch`] for folds or `y` not matching `x`;
/// shapes, NaN and SVD failures.
pub fn ridge_kfold<T, X>(
    x: &X,
    y: &[T],
    alphas: &[T],
    folds: &Folds,
    fit_intercept: bool,
    measure: &ErrorMeasure<T>,
) -> Result<CvPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let alphas = ridge_alphas(alphas)?;
    check_shapes(x, y, folds)?;
    let per_fold = (0..folds.n_folds())
        .map(|k| ridge_fold_errors(x, y, folds, k, &alphas, fit_intercept, measure))
        .collect::<Result<Vec<_>>>()?;
    Ok(crate::path::assemble(alphas, &per_fold))
}

pub(crate) fn check_shapes<T, X>(x: &X, y: &[T], folds: &Folds) -> Result<()>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let n = x.nrows();
    if y.len() != n {
        return Err(Error::DimensionMismatch {
            what: "y length vs X rows",
            expected: n,
            found: y.len(),
        });
    }
    if folds.n_samples() != n {
        return Err(Error::DimensionMismatch {
            what: "folds' samples vs X rows",
            expected: n,
            found: folds.n_samples(),
        });
    }
    Ok(())
}

/// Test MSE per alpha of fold `k` (ridge from the training rows' SVD).
fn ridge_fold_errors<T, X>(
    x: &X,
    y: &[T],
    folds: &Folds,
    k: usize,
    alphas: &[T],
    fit_intercept: bool,
    measure: &ErrorMeasure<T>,
) -> Result<(Vec<T>, usize)>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let (train, test) = (folds.train(k), folds.test(k));
    let x_train = x.select_rows(&train)?;
    let y_train: Vec<T> = train.iter().map(|&i| y[i]).collect();
    let x_test = x.select_rows(test)?;
    let pb = Problem::new(&x_train, &y_train, &SquaredL2, T::zero()).fit_intercept(fit_intercept);
    let prep = Prepared::new(&pb, false)?;
    let p = prep.n_features();
    let m = T::from_count(train.len());
    let x_mean = if fit_intercept {
        column_means(&x_train)
    } else {
        vec![T::zero(); p]
    };
    let y_mean = if fit_intercept {
        y_train.iter().copied().sum::<T>() / m
    } else {
        T::zero()
    };
    let svd = prep.centered_design().thin_svd()?;
    let yt = prep.targets();
    let (s, u, v) = (svd.s(), svd.u(), svd.v());
    let uty: Vec<T> = (0..s.len())
        .map(|i| u.col(i).iter().zip(yt).map(|(&a, &b)| a * b).sum())
        .collect();
    let mut w = vec![T::zero(); p];
    let mut pred = vec![T::zero(); test.len()];
    let y_test: Vec<T> = test.iter().map(|&i| y[i]).collect();
    let mut errors = Vec::with_capacity(alphas.len());
    for &a in alphas {
        w.iter_mut().for_each(|v| *v = T::zero());
        for (i, &si) in s.iter().enumerate() {
            let c = si / (si * si + a) * uty[i];
            for (wj, &vji) in w.iter_mut().zip(v.col(i)) {
                *wj += c * vji;
            }
        }
        let b = y_mean - x_mean.iter().zip(&w).map(|(&a, &b)| a * b).sum::<T>();
        x_test.gemv(T::one(), &w, T::zero(), &mut pred);
        pred.iter_mut().for_each(|v| *v += b);
        errors.push(measure.eval(&y_test, &pred));
    }
    Ok((errors, 0))
}

/// Column means through matrix-vector products (for backends without contiguous columns).
fn column_means<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X) -> Vec<T> {
    let (n, p) = (x.nrows(), x.ncols());
    let ones = vec![T::one() / T::from_count(n); n];
    let mut out = vec![T::zero(); p];
    x.gemv_t(T::one(), &ones, T::zero(), &mut out);
    out
}
