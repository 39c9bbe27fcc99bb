//! Information criteria (AIC, BIC) along a Lasso / Elastic Net path.
//!
//! Convention (scikit-learn's `LassoLarsIC`, version ≥ 1.1): for a fit with residual sum of
//! squares `RSS` and `df` degrees of freedom on `n` samples, with noise variance `σ²`,
//!
//! `criterion = n·ln(2πσ²) + RSS/σ² + c·df`, `c = 2` (AIC) or `ln n` (BIC).
//!
//! `df` is the number of non-zero coefficients (`|w_j| > 64ε·max|w|`, the max over the whole path: rounding residues of a
//! coefficient entering exactly at that alpha do not count) for the Lasso (`l1_ratio = 1`; Zou, Hastie &
//! Tibshirani 2007) and the trace of the Elastic Net hat matrix on the active set otherwise,
//! `tr X̃_A (X̃_AᵀX̃_A + nα(1−ρ)I)⁻¹ X̃_Aᵀ = Σ λ_i/(λ_i + nα(1−ρ))` over the eigenvalues `λ_i` of
//! `X̃_AᵀX̃_A` (Zou & Hastie 2005). The intercept is not counted. `σ²` is given, or estimated
//! as scikit-learn does: `RSS_ols/(n − p − [intercept])` of the unpenalised least-squares fit
//! (which needs `n > p + [intercept]`).

use proxreg_core::penalty::{ElasticNet, SquaredL2};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::factor::SymEigen;
use proxreg_linalg::{ColMajor, DesignMatrix, Parallelism};
use proxreg_solvers::{Path, Problem, RidgeDirect, RidgeMethod};

use crate::path::{grid, CvSettings};

/// The noise variance `σ²` of the criteria.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub enum NoiseVariance<T> {
    /// `RSS/(n − p − [intercept])` of the least-squares fit (scikit-learn's default).
    #[default]
    Estimate,
    /// A known value (`> 0`).
    Given(T),
}

/// AIC and BIC along a path.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InfoCriteria<T> {
    /// The alphas, decreasing.
    pub alphas: Vec<T>,
    /// Residual sum of squares of the fit at each alpha.
    pub rss: Vec<T>,
    /// Degrees of freedom at each alpha.
    pub dof: Vec<T>,
    /// AIC per alpha.
    pub aic: Vec<T>,
    /// BIC per alpha.
    pub bic: Vec<T>,
    /// The noise variance used.
    pub noise_variance: T,
    /// First index of the minimal AIC.
    pub index_aic: usize,
    /// First index of the minimal BIC.
    pub index_bic: usize,
    /// Coefficients at each alpha (`p` each, original scale).
    pub coefs: Vec<Vec<T>>,
    /// Intercept at each alpha.
    pub intercepts: Vec<T>,
}

/// Fits the Elastic Net path (`l1_ratio` ρ; ρ = 1 is the Lasso) on the full data over the grid of
/// `settings` (given, or automatic from `alpha_max`) and computes AIC and BIC at every point
/// (see the module docs for the convention).
///
/// ```
/// use proxreg_cv::{information_criteria, Alphas, CvSettings, NoiseVariance};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::CoordinateDescent;
/// let x = ColMajor::from_fn(40, 4, |i, j| (((i + 3) * (j + 5)) % 13) as f64);
/// let y: Vec<f64> = (0..40).map(|i| 2.0 * x.col(1)[i] + (i % 3) as f64).collect();
/// let settings = CvSettings {
///     alphas: Alphas::Auto { n_alphas: 10, eps: 1e-3 },
///     fit_intercept: true,
///     standardize: false,
///     solver: CoordinateDescent::new().tol(1e-10),
///     measure: Default::default(),
/// };
/// let ic = information_criteria(&x, &y, 1.0, &settings, NoiseVariance::Estimate)?;
/// assert_eq!(ic.dof[0], 0.0); // alpha_max: nothing active
/// assert!(ic.bic[ic.index_bic] <= ic.bic[0]);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] for `l1_ratio` outside `[0, 1]` or a given variance not `> 0`;
/// [`Error::Unsupported`] with `standardize` (the degrees of freedom are those of the
/// unstandardized fit) or for an estimated variance when `n <= p + [intercept]`; as
/// [`crate::grid`]; solver errors.
pub fn information_criteria<T, X>(
    x: &X,
    y: &[T],
    l1_ratio: T,
    settings: &CvSettings<T>,
    noise: NoiseVariance<T>,
) -> Result<InfoCriteria<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let pen = checked_penalty(l1_ratio, settings)?;
    let (n, p) = (x.nrows(), x.ncols());
    let fi = settings.fit_intercept;
    let sigma2 = noise_variance(noise, n, p, fi, || {
        let ols = RidgeDirect::new()
            .method(RidgeMethod::Svd)
            .solve(&Problem::new(x, y, &SquaredL2, T::zero()).fit_intercept(fi))?;
        Ok(rss_of(x, y, &ols.solution.coef, ols.solution.intercept[0]))
    })?;
    let alphas = grid(x, y, &pen, settings)?;
    let pb = Problem::new(x, y, &pen, T::zero()).fit_intercept(fi);
    let prep = settings.solver.prepare(&pb)?;
    let path = settings.solver.path_prepared(&prep, &pen, &alphas, None)?;

    along_path(
        alphas,
        &path,
        l1_ratio,
        sigma2,
        T::from_count(n),
        n,
        |w, b| Ok(rss_of(x, y, w, b)),
        |active| {
            // The active columns only (a sparse design is not densified whole).
            let xa = prep
                .centered_columns(active)
                .unwrap_or_else(|_| ColMajor::zeros(n, 0));
            xa.gram(Parallelism::Sequential)
        },
    )
}

/// The Elastic Net penalty of the criteria, refusing standardization.
pub(crate) fn checked_penalty<T: Scalar>(
    l1_ratio: T,
    settings: &CvSettings<T>,
) -> Result<ElasticNet<T>> {
    let pen = ElasticNet::new(l1_ratio)?;
    if settings.standardize {
        return Err(Error::Unsupported {
            what: "information criteria",
            reason: "standardize = true (use standardized data instead)",
        });
    }
    Ok(pen)
}

/// `σ²`: the given value (`> 0`), or `RSS_ols/(n − p − [intercept])` with `ols_rss()` the
/// least-squares fit's residual sum of squares.
pub(crate) fn noise_variance<T: Scalar>(
    noise: NoiseVariance<T>,
    n: usize,
    p: usize,
    fit_intercept: bool,
    ols_rss: impl FnOnce() -> Result<T>,
) -> Result<T> {
    match noise {
        NoiseVariance::Given(v) => proxreg_core::error::ensure_positive_finite("noise_variance", v),
        NoiseVariance::Estimate => {
            let dfree = n as i64 - p as i64 - i64::from(fit_intercept);
            if dfree <= 0 {
                return Err(Error::Unsupported {
                    what: "noise variance estimate",
                    reason: "needs n > p (+1 with an intercept); give the variance",
                });
            }
            Ok(ols_rss()? / T::from_count(dfree as usize))
        }
    }
}

/// AIC and BIC at every point of `path` (over `alphas`), with noise variance `sigma2` on `nn`
/// samples (weight sum); `rss(w, b)` is a point's residual sum of squares, `gram(active)` the
/// Gram matrix `X̃_AᵀX̃_A` of the active columns (Elastic Net dof), `n_rows` the row count (its
/// eigenvalues' rounding floor).
#[allow(clippy::too_many_arguments)]
pub(crate) fn along_path<T: Scalar>(
    alphas: Vec<T>,
    path: &Path<T>,
    l1_ratio: T,
    sigma2: T,
    nn: T,
    n_rows: usize,
    rss: impl Fn(&[T], T) -> Result<T>,
    gram: impl Fn(&[usize]) -> ColMajor<T>,
) -> Result<InfoCriteria<T>> {
    let two_pi = T::lit(2.0 * core::f64::consts::PI);
    // Non-zero: above rounding (a coefficient entering exactly at an alpha is left by
    // coordinate descent as a ~ε residue; scikit-learn counts |w_j| > ε), relative to the
    // largest coefficient along the path.
    let wmax = path
        .solutions
        .iter()
        .flat_map(|s| s.coef.iter())
        .fold(T::zero(), |m, v| m.max(v.abs()));
    let thr = T::lit(64.0) * T::epsilon() * wmax;
    let (mut rss_v, mut dof, mut aic, mut bic) = (vec![], vec![], vec![], vec![]);
    let (mut coefs, mut intercepts) = (vec![], vec![]);
    for (sol, &a) in path.solutions.iter().zip(&alphas) {
        let b = sol.intercept.first().copied().unwrap_or_else(T::zero);
        let r = rss(&sol.coef, b)?;
        let active: Vec<usize> = (0..sol.coef.len())
            .filter(|&j| sol.coef[j].abs() > thr)
            .collect();
        let d = if l1_ratio == T::one() {
            T::from_count(active.len())
        } else if active.is_empty() {
            T::zero()
        } else {
            enet_dof(&gram(&active), n_rows, nn * a * (T::one() - l1_ratio))?
        };
        let fit = nn * (two_pi * sigma2).ln() + r / sigma2;
        aic.push(fit + T::lit(2.0) * d);
        bic.push(fit + nn.ln() * d);
        rss_v.push(r);
        dof.push(d);
        coefs.push(sol.coef.clone());
        intercepts.push(b);
    }
    let index_aic = argmin(&aic);
    let index_bic = argmin(&bic);
    Ok(InfoCriteria {
        alphas,
        rss: rss_v,
        dof,
        aic,
        bic,
        noise_variance: sigma2,
        index_aic,
        index_bic,
        coefs,
        intercepts,
    })
}

fn rss_of<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X, y: &[T], w: &[T], b: T) -> T {
    let mut pred = vec![T::zero(); y.len()];
    x.gemv(T::one(), w, T::zero(), &mut pred);
    pred.iter()
        .zip(y)
        .map(|(&p, &t)| (t - p - b) * (t - p - b))
        .sum()
}

/// `Σ λ_i/(λ_i + shift)` over the eigenvalues of `g = X̃_AᵀX̃_A` (`n` rows: eigenvalues below
/// `ε·λ_max·max(n, |A|)` count as zero).
pub(crate) fn enet_dof<T: Scalar>(g: &ColMajor<T>, n: usize, shift: T) -> Result<T> {
    let eig = SymEigen::new(g)?;
    let tiny = eig.values().iter().copied().fold(T::zero(), T::max)
        * T::epsilon()
        * T::from_count(n.max(g.ncols()));
    Ok(eig
        .values()
        .iter()
        .map(|&l| if l > tiny { l / (l + shift) } else { T::zero() })
        .sum())
}

fn argmin<T: Scalar>(v: &[T]) -> usize {
    let mut best = 0;
    for (i, &m) in v.iter().enumerate() {
        if m < v[best] || (v[best].is_nan() && !m.is_nan()) {
            best = i;
        }
    }
    best
}
