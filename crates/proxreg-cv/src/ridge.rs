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
//!
//! The decomposition is, by default, one symmetric eigendecomposition of the smaller Gram
//! matrix instead of the SVD: `X̃X̃ᵀ = U diag(σ²) Uᵀ` when `p > n` (giving `U` and `σ²`
//! directly), `X̃ᵀX̃ = V diag(σ²) Vᵀ` when `n >= p` (then `M = X̃V = U diag(σ)` is formed block
//! by block of rows and the formulas above are used with `U_ji σ_i = M_ji`, no division by
//! `σ`). The Gram matrix's eigenvalues are accurate to `δ ≈ ε·σ_max²·√d` only, so eigenvalues
//! below `δ` count as zero and, when the smallest alpha is so small that `δ/α_min > √ε`, the
//! thin SVD is used instead ([`RidgeDecomposition`]). All alphas are evaluated at once as two
//! matrix products per block of rows.

use proxreg_core::error::ensure_positive_finite;
use proxreg_core::penalty::SquaredL2;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, DesignMatrix, SymEigen};
use proxreg_solvers::{certify_ridge, Prepared, Problem, Solution};

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
    /// The decomposition that was used ([`RidgeDecomposition::Eigen`] or
    /// [`RidgeDecomposition::Svd`]).
    pub decomposition: RidgeDecomposition,
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

/// How the rows of the spectral factor are obtained.
enum RowFactor<T> {
    /// `M = U` (`n × r`, orthonormal columns): from the eigendecomposition of `X̃X̃ᵀ` or from
    /// the thin SVD. Weights `g_i = λ_i`.
    Left(ColMajor<T>),
    /// `M = X̃V` (`n × r`, computed block by block of rows, never stored whole), `V` (`p × r`)
    /// from the eigendecomposition of `X̃ᵀX̃`. Weights `g_i = 1`.
    Right(ColMajor<T>),
}

/// The decomposition behind [`ridge_curves`], in one form for both routes: a row factor `M`
/// (`n × r`), eigenvalues `λ` and weights `g` such that, for every alpha,
///
/// - hat diagonal `h_j = base + Σ_i M_ji² · g_i/(λ_i + α)`,
/// - fitted values `ŷ_j = Σ_i M_ji · g_i c_i/(λ_i + α)` with `c = Mᵀỹ`.
///
/// With `M = U` and `g = λ = σ²` these are the SVD formulas; with `M = X̃V` (so that
/// `U = M diag(1/σ)`) and `g = 1` the same numbers without dividing by `σ`.
struct Spectral<'a, T> {
    prep: Prepared<'a, T>,
    rows: RowFactor<T>,
    /// `λ_i = σ_i² >= 0` of the kept directions.
    lam: Vec<T>,
    g: Vec<T>,
    c: Vec<T>,
    /// All `min(n, p)` singular values, descending.
    s: Vec<T>,
    /// The absolute accuracy of the eigenvalues (`0` for the SVD route).
    delta: T,
    /// Which route made it.
    used: RidgeDecomposition,
}

impl<T: Scalar> Spectral<'_, T> {
    /// Whether the eigen route is accurate enough for the smallest alpha `a_min`: the
    /// eigenvalues' error `δ ≈ ε·λ_max·√d` perturbs every weight `g/(λ + α)` by at most
    /// `δ/α` relative to the largest, which must stay below `√ε`.
    fn trusted(&self, a_min: T) -> bool {
        let ok = self.delta <= T::epsilon().sqrt() * a_min;
        ok && self.lam.iter().all(|v| v.is_finite())
    }
}

/// The thin-SVD route (exact for any conditioning, also the fallback of the eigen route).
fn spectral_svd<T: Scalar>(prep: Prepared<'_, T>) -> Result<Spectral<'_, T>> {
    let svd = prep.centered_design().thin_svd()?;
    let (u, s, _) = svd.into_parts();
    let lam: Vec<T> = s.iter().map(|&v| v * v).collect();
    let mut c = vec![T::zero(); s.len()];
    u.gemv_t(T::one(), prep.targets(), T::zero(), &mut c);
    Ok(Spectral {
        rows: RowFactor::Left(u),
        g: lam.clone(),
        lam,
        c,
        s,
        delta: T::zero(),
        used: RidgeDecomposition::Svd,
        prep,
    })
}

/// The eigen route: one symmetric eigendecomposition of the smaller Gram matrix
/// (`X̃X̃ᵀ` when `p > n`, `X̃ᵀX̃` otherwise), eigenvalues below `δ = ε·λ_max·√d` taken as 0
/// (their directions dropped: they carry nothing for any `α >> δ`).
fn spectral_eigen<'a, T, X>(prep: Prepared<'a, T>, x: &X) -> Result<Spectral<'a, T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let (n, p) = (prep.n_samples(), prep.n_features());
    let outer = p > n;
    let gram = prep.centered_products(x, outer)?;
    let d = gram.nrows();
    let eig = SymEigen::new(&gram)?;
    drop(gram);
    let vals = eig.values();
    let lmax = vals.last().copied().unwrap_or(T::zero()).max(T::zero());
    let delta = T::epsilon() * lmax * T::from_count(d).sqrt();
    // Descending order, kept directions only.
    let keep: Vec<usize> = (0..d).rev().filter(|&i| vals[i] > delta).collect();
    let lam: Vec<T> = keep.iter().map(|&i| vals[i]).collect();
    let mut s: Vec<T> = lam.iter().map(|v| v.sqrt()).collect();
    s.resize(n.min(p), T::zero());
    let vecs = eig.vectors();
    let m = ColMajor::from_fn(d, keep.len(), |i, k| vecs.col(keep[k])[i]);
    let mut c = vec![T::zero(); keep.len()];
    let (rows, g) = if outer {
        m.gemv_t(T::one(), prep.targets(), T::zero(), &mut c);
        (RowFactor::Left(m), lam.clone())
    } else {
        let mut xty = vec![T::zero(); p];
        prep.centered_gemv_t(prep.targets(), &mut xty)?;
        m.gemv_t(T::one(), &xty, T::zero(), &mut c);
        (RowFactor::Right(m), vec![T::one(); keep.len()])
    };
    Ok(Spectral {
        prep,
        rows,
        lam,
        g,
        c,
        s,
        delta,
        used: RidgeDecomposition::Eigen,
    })
}

fn prepare<'a, T, X>(x: &'a X, y: &'a [T], fit_intercept: bool) -> Result<Prepared<'a, T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let pb = Problem::new(x, y, &SquaredL2, T::zero()).fit_intercept(fit_intercept);
    Prepared::new(&pb, false)
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
    Ok(spectral_svd(prepare(x, y, fit_intercept)?)?.s)
}

/// The decomposition of `prep` (the eigen route unless `decomposition` is
/// [`RidgeDecomposition::Svd`]) and the grid on it (`alphas` validated, or
/// [`ridge_default_grid`] of its singular values); with [`RidgeDecomposition::Auto`], the thin
/// SVD instead when the eigen route is not accurate enough for the grid's smallest alpha.
fn spectral_and_grid<'a, T, X>(
    prep: Prepared<'a, T>,
    x: &X,
    alphas: Option<&[T]>,
    n_alphas: usize,
    decomposition: RidgeDecomposition,
) -> Result<(Spectral<'a, T>, Vec<T>)>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let mut sp = match decomposition {
        RidgeDecomposition::Svd => spectral_svd(prep)?,
        _ => spectral_eigen(prep, x)?,
    };
    let grid = |sp: &Spectral<'_, T>| match alphas {
        Some(a) => ridge_alphas(a),
        None => ridge_default_grid(&sp.s, n_alphas),
    };
    let mut alphas = grid(&sp)?;
    let a_min = alphas.last().copied().unwrap_or(T::zero());
    if decomposition == RidgeDecomposition::Auto && !sp.trusted(a_min) {
        sp = spectral_svd(sp.prep)?;
        alphas = grid(&sp)?;
    }
    Ok((sp, alphas))
}

/// The automatic ridge grid of the design that `problem` prepares: [`ridge_default_grid`]
/// with `n_alphas` points over the singular values of `X̃`, the design centered when the
/// problem fits an intercept, standardized when it standardizes, and with rows scaled by `√s_i`
/// under sample weights — the matrix whose `X̃ᵀX̃ + αI` a ridge fit of that problem solves, so
/// the grid is in the units of scikit-learn's `Ridge` alpha for those data. The decomposition
/// is chosen as in [`ridge_curves`] ([`RidgeDecomposition::Auto`]); for a problem with an
/// intercept and no weights or standardization the grid equals the automatic grid of
/// [`ridge_curves`] bit for bit. The problem's penalty and alpha are not used.
///
/// ```
/// use proxreg_core::penalty::SquaredL2;
/// use proxreg_cv::{ridge_curves, ridge_grid};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::Problem;
/// let x = ColMajor::from_fn(30, 3, |i, j| (((i + 2) * (j + 3)) % 7) as f64);
/// let y: Vec<f64> = (0..30).map(|i| x.col(0)[i] - x.col(2)[i] + (i % 3) as f64).collect();
/// let pb = Problem::new(&x, &y, &SquaredL2, 0.0).fit_intercept(true);
/// let grid = ridge_grid(&pb, 10)?;
/// assert_eq!(grid, ridge_curves(&x, &y, None, 10, true)?.alphas);
/// // standardized columns: the grid of the standardized design
/// let std = ridge_grid(&pb.standardize(true), 10)?;
/// assert_eq!(std.len(), 10);
/// assert!(std.windows(2).all(|w| w[0] > w[1]));
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`ridge_default_grid`]; shapes, NaN and invalid weights in the problem; decomposition
/// failures.
pub fn ridge_grid<T, X, P>(problem: &Problem<'_, T, X, P>, n_alphas: usize) -> Result<Vec<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: ?Sized,
{
    if n_alphas == 0 {
        return Err(Error::InvalidParameter {
            name: "n_alphas",
            value: 0.0,
            expected: ">= 1",
        });
    }
    let prep = Prepared::new(problem, false)?;
    Ok(spectral_and_grid(
        prep,
        problem.design(),
        None,
        n_alphas,
        RidgeDecomposition::Auto,
    )?
    .1)
}

/// Which decomposition [`ridge_curves_with`] uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RidgeDecomposition {
    /// One symmetric eigendecomposition of the smaller Gram matrix (`X̃X̃ᵀ` when `p > n`,
    /// `X̃ᵀX̃` otherwise), falling back to the thin SVD when the smallest alpha is too small for
    /// the Gram matrix's eigenvalues to be accurate (`δ/α_min > √ε` with
    /// `δ = ε·λ_max·√d`). The default: several times faster than the SVD.
    #[default]
    Auto,
    /// The eigen route of [`RidgeDecomposition::Auto`] without its fallback (for tests and
    /// for users who know their problem is well conditioned).
    Eigen,
    /// The thin SVD of the (centered) design, whatever the conditioning.
    Svd,
}

/// Exact leave-one-out, GCV and effective degrees of freedom of ridge for every alpha of
/// `alphas` (validated and sorted decreasing) from one decomposition; `alphas = None` uses
/// [`ridge_default_grid`] with `n_alphas` points. Same as [`ridge_curves_with`] with
/// [`RidgeDecomposition::Auto`].
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
/// As [`ridge_alphas`] / [`ridge_default_grid`]; shapes and NaN in the data; decomposition
/// failures.
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
    ridge_curves_with(
        x,
        y,
        alphas,
        n_alphas,
        fit_intercept,
        RidgeDecomposition::Auto,
    )
}

/// [`ridge_curves`] with a choice of decomposition.
///
/// Every alpha costs `O(n·r)` after the decomposition, done for all alphas at once as two
/// matrix products per block of rows (`H = (M∘M)·W_h`, `Ŷ = M·W_f` with `W_h[i, a] =
/// g_i/(λ_i + α_a)`), so the work runs at matrix-product speed and nothing is allocated per
/// alpha.
///
/// # Errors
/// As [`ridge_curves`].
pub fn ridge_curves_with<T, X>(
    x: &X,
    y: &[T],
    alphas: Option<&[T]>,
    n_alphas: usize,
    fit_intercept: bool,
    decomposition: RidgeDecomposition,
) -> Result<RidgeCurves<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    Ok(curves_and_spectral(x, y, alphas, n_alphas, fit_intercept, decomposition)?.0)
}

#[allow(clippy::type_complexity)]
fn curves_and_spectral<'a, T, X>(
    x: &'a X,
    y: &'a [T],
    alphas: Option<&[T]>,
    n_alphas: usize,
    fit_intercept: bool,
    decomposition: RidgeDecomposition,
) -> Result<(RidgeCurves<T>, Spectral<'a, T>)>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    if let Some(a) = alphas {
        ridge_alphas(a)?;
    }
    let prep = prepare(x, y, fit_intercept)?;
    let (sp, alphas) = spectral_and_grid(prep, x, alphas, n_alphas, decomposition)?;
    let (loo, gcv, dof) = evaluate(&sp, &alphas, fit_intercept)?;
    let curves = RidgeCurves {
        decomposition: sp.used,
        alphas,
        loo,
        gcv,
        dof,
        singular_values: sp.s.clone(),
    };
    Ok((curves, sp))
}

/// [`ridge_curves_with`], then the ridge fit at the alpha that `select` picks from the curves
/// (an index into `curves.alphas`), computed from the same decomposition (no second
/// factorization) and certified on the data ([`proxreg_solvers::certify_ridge`]: duality gap
/// and KKT violation). The solution's coefficients are on the original scale, with the
/// intercept when `fit_intercept`.
///
/// ```
/// use proxreg_cv::{ridge_curves_and_fit, RidgeDecomposition};
/// use proxreg_linalg::ColMajor;
/// let x = ColMajor::from_fn(30, 3, |i, j| (((i + 2) * (j + 3)) % 7) as f64);
/// let y: Vec<f64> = (0..30).map(|i| x.col(0)[i] - x.col(2)[i] + (i % 3) as f64).collect();
/// let (curves, i, fit) = ridge_curves_and_fit(
///     &x, &y, Some(&[10.0, 1.0, 0.1]), 0, true, RidgeDecomposition::Auto,
///     |c| Ok((0..3).min_by(|&a, &b| c.loo[a].total_cmp(&c.loo[b])).unwrap_or(0)),
/// )?;
/// assert!(i < 3 && curves.loo[i] <= curves.loo[0]);
/// assert!(fit.kkt_violation < 1e-10);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`ridge_curves_with`]; whatever `select` returns; [`Error::IndexOutOfRange`] for an
/// index outside the grid.
#[allow(clippy::type_complexity)]
pub fn ridge_curves_and_fit<T, X, F>(
    x: &X,
    y: &[T],
    alphas: Option<&[T]>,
    n_alphas: usize,
    fit_intercept: bool,
    decomposition: RidgeDecomposition,
    select: F,
) -> Result<(RidgeCurves<T>, usize, Solution<T>)>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    F: FnOnce(&RidgeCurves<T>) -> Result<usize>,
{
    let (curves, sp) = curves_and_spectral(x, y, alphas, n_alphas, fit_intercept, decomposition)?;
    let index = select(&curves)?;
    let Some(&alpha) = curves.alphas.get(index) else {
        return Err(Error::IndexOutOfRange {
            what: "selected alpha",
            index,
            len: curves.alphas.len(),
        });
    };
    let coef = sp.coef(alpha)?;
    let prep = &sp.prep;
    let sol = certify_ridge(prep, coef, alpha / prep.normalizer())?;
    Ok((curves, index, sol))
}

impl<T: Scalar> Spectral<'_, T> {
    /// Ridge coefficients at `alpha` (scikit-learn convention): `w = X̃ᵀU diag(1/(λ+α)) Uᵀỹ`
    /// for the `U` form (SVD or `X̃X̃ᵀ`), `w = V diag(1/(λ+α)) VᵀX̃ᵀỹ` for the `V` form.
    fn coef(&self, alpha: T) -> Result<Vec<T>> {
        let p = self.prep.n_features();
        let t: Vec<T> = self
            .c
            .iter()
            .zip(&self.lam)
            .map(|(&c, &l)| c / (l + alpha))
            .collect();
        let mut w = vec![T::zero(); p];
        match &self.rows {
            RowFactor::Left(u) => {
                let mut z = vec![T::zero(); u.nrows()];
                u.gemv(T::one(), &t, T::zero(), &mut z);
                self.prep.centered_gemv_t(&z, &mut w)?;
            }
            RowFactor::Right(v) => v.gemv(T::one(), &t, T::zero(), &mut w),
        }
        Ok(w)
    }
}

/// Rows per block of the blocked evaluation (about 2 MB of working set per block).
fn block_rows(n: usize, width: usize) -> usize {
    (262_144 / width.max(1)).max(64).min(n.max(1))
}

/// The curves of [`ridge_curves_with`] from a decomposition.
#[allow(clippy::type_complexity)]
fn evaluate<T: Scalar>(
    sp: &Spectral<'_, T>,
    alphas: &[T],
    fit_intercept: bool,
) -> Result<(Vec<T>, Vec<T>, Vec<T>)> {
    let prep = &sp.prep;
    let (n, p) = (prep.n_samples(), prep.n_features());
    let (r, na) = (sp.lam.len(), alphas.len());
    let nn = T::from_count(n);
    let base = if fit_intercept {
        T::one() / nn
    } else {
        T::zero()
    };
    let wh = ColMajor::from_fn(r, na, |i, a| sp.g[i] / (sp.lam[i] + alphas[a]));
    let wf = ColMajor::from_fn(r, na, |i, a| sp.g[i] * sp.c[i] / (sp.lam[i] + alphas[a]));
    let dof: Vec<T> = alphas
        .iter()
        .map(|&a| sp.lam.iter().map(|&l| l / (l + a)).sum())
        .collect();
    let mut sse = vec![T::zero(); na];
    let mut sloo = vec![T::zero(); na];
    let yt = prep.targets();
    let width = match &sp.rows {
        RowFactor::Left(_) => 2 * r + 2 * na,
        RowFactor::Right(_) => p + 2 * r + 2 * na,
    };
    let bn = block_rows(n, width);
    let right = matches!(sp.rows, RowFactor::Right(_));
    let mut bufs: Option<(usize, [ColMajor<T>; 5])> = None;
    let mut start = 0;
    while start < n {
        let b = bn.min(n - start);
        if bufs.as_ref().is_none_or(|(rows, _)| *rows != b) {
            bufs = Some((
                b,
                [
                    // the centered row block (only the `X̃V` route needs it)
                    ColMajor::zeros(if right { b } else { 0 }, if right { p } else { 0 }),
                    ColMajor::zeros(b, r),
                    ColMajor::zeros(b, r),
                    ColMajor::zeros(b, na),
                    ColMajor::zeros(b, na),
                ],
            ));
        }
        let Some((_, [xb, mb, sq, hb, fb])) = bufs.as_mut() else {
            break;
        };
        match &sp.rows {
            RowFactor::Left(u) => {
                for k in 0..r {
                    mb.col_mut(k).copy_from_slice(&u.col(k)[start..start + b]);
                }
            }
            RowFactor::Right(v) => {
                prep.centered_rows_into(start, xb)?;
                mb.matmul_into(xb, v)?;
            }
        }
        for (q, &m) in sq.as_mut_slice().iter_mut().zip(mb.as_slice()) {
            *q = m * m;
        }
        if r > 0 {
            hb.matmul_into(sq, &wh)?;
            fb.matmul_into(mb, &wf)?;
        }
        let yb = &yt[start..start + b];
        for a in 0..na {
            let (h, f) = (hb.col(a), fb.col(a));
            let (mut e2, mut l2) = (T::zero(), T::zero());
            for j in 0..b {
                let e = yb[j] - f[j];
                e2 += e * e;
                let l = e / (T::one() - base - h[j]);
                l2 += l * l;
            }
            sse[a] += e2;
            sloo[a] += l2;
        }
        start += b;
    }
    let mut loo = Vec::with_capacity(na);
    let mut gcv = Vec::with_capacity(na);
    for a in 0..na {
        let tr = dof[a] + base * nn;
        let d = T::one() - tr / nn;
        loo.push(sloo[a] / nn);
        gcv.push(sse[a] / nn / (d * d));
    }
    Ok((loo, gcv, dof))
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

/// `y`'s length and the folds' sample count against `x`'s rows (shared by every CV entry point).
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
