//! Cross-validation from sufficient statistics alone (no rows): K-fold paths from per-fold
//! statistics, ridge GCV, and information criteria.

use proxreg_core::penalty::SeparablePenalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, SymEigen};
use proxreg_solvers::{alpha_grid, alpha_max, Prepared, SufficientStats};

use crate::criteria::{along_path, checked_penalty, noise_variance, InfoCriteria, NoiseVariance};
use crate::measure::ErrorMeasure;
use crate::path::{assemble, given_grid, select, Alphas, CvPath, CvSettings};
use crate::ridge::{ridge_alphas, ridge_default_grid};

/// Cross-validates the path of a separable penalty from one set of [`SufficientStats`] per
/// fold (e.g. [`SufficientStats::by_fold`], or per-fold statistics loaded from files): fold
/// `k`'s training problem is the [combination](SufficientStats::combine) of the other folds'
/// statistics (centred and standardized with the training rows when the settings say so), its
/// path is fitted in Gram mode with warm starts, and each point is scored on fold `k` by its
/// weighted mean squared error `Σ s (y − xᵀw − b)² / Σ s` from fold `k`'s statistics
/// ([`SufficientStats::sse`]). The automatic grid comes from `alpha_max` of all folds together.
/// The result (errors, `index_min`, `index_1se`) equals [`cv_path`](crate::cv_path)'s on the
/// same rows and folds to rounding.
///
/// The squared error from statistics is `v − 2wᵀc + wᵀMw + W(ȳ − b − μᵀw)²`: its rounding
/// error is a few `ε` times the size of those terms, which matters only when a fold's error is
/// below about `1e-8` (f64) of `‖y − ȳ‖²` (a nearly exact fit).
///
/// # Errors
/// [`Error::InvalidParameter`] (`folds`) for fewer than two folds;
/// [`Error::DimensionMismatch`] for folds with different numbers of features;
/// [`Error::Empty`] for a fold without rows; [`Error::Unsupported`] for an error measure other
/// than the mean squared error, or an automatic grid of a penalty without `alpha_max`; solver
/// errors.
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_cv::{cv_path_stats, Alphas, CvSettings};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{CoordinateDescent, SufficientStats};
/// let x = ColMajor::from_fn(80, 4, |i, j| (((i + 3) * (j + 5)) % 13) as f64);
/// let y: Vec<f64> = (0..80).map(|i| 2.0 * x.col(1)[i] + (i % 3) as f64).collect();
/// let fold_of_row: Vec<usize> = (0..80).map(|i| i * 5 / 80).collect();
/// let folds = SufficientStats::by_fold(&x, &y, None, &fold_of_row, 5)?;
/// let settings = CvSettings {
///     alphas: Alphas::Auto { n_alphas: 20, eps: 1e-3 },
///     fit_intercept: true,
///     standardize: false,
///     solver: CoordinateDescent::new().tol(1e-10),
///     measure: Default::default(),
/// };
/// let cv = cv_path_stats(&folds, &L1, &settings)?;
/// assert!(cv.index_1se <= cv.index_min);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
pub fn cv_path_stats<T, P>(
    folds: &[SufficientStats<T>],
    penalty: &P,
    settings: &CvSettings<T>,
) -> Result<CvPath<T>>
where
    T: Scalar,
    P: SeparablePenalty<T> + ?Sized,
{
    if folds.len() < 2 {
        return Err(Error::InvalidParameter {
            name: "folds",
            value: folds.len() as f64,
            expected: "at least 2 folds of statistics",
        });
    }
    if !matches!(settings.measure, ErrorMeasure::Mse) {
        return Err(Error::Unsupported {
            what: "cross-validation from statistics",
            reason: "only the mean squared error can be computed from statistics",
        });
    }
    settings.solver.check()?;
    if folds
        .iter()
        .any(|f| f.n_samples() == 0 || f.weight_sum() <= T::zero())
    {
        return Err(Error::Empty {
            what: "a fold's statistics (no rows)",
        });
    }
    let all: Vec<&SufficientStats<T>> = folds.iter().collect();
    let alphas = match &settings.alphas {
        Alphas::Given(v) => given_grid(v)?,
        Alphas::Auto { n_alphas, eps } => {
            let prep = SufficientStats::combine(&all)?
                .prepare(settings.fit_intercept, settings.standardize)?;
            alpha_grid(alpha_max(&prep, penalty)?, *n_alphas, *eps)?
        }
    };
    let per_fold = (0..folds.len())
        .map(|k| {
            let train: Vec<&SufficientStats<T>> = all
                .iter()
                .enumerate()
                .filter(|&(f, _)| f != k)
                .map(|(_, s)| *s)
                .collect();
            let prep = SufficientStats::combine(&train)?
                .prepare(settings.fit_intercept, settings.standardize)?;
            let path = settings
                .solver
                .path_prepared(&prep, penalty, &alphas, None)?;
            let not_converged = path.solutions.iter().filter(|s| !s.converged()).count();
            let test = &folds[k];
            let errors = path
                .solutions
                .iter()
                .map(|sol| {
                    let b = sol.intercept.first().copied().unwrap_or_else(T::zero);
                    test.sse(&sol.coef, b)
                        .map(|(sse, _)| sse / test.weight_sum())
                })
                .collect::<Result<Vec<T>>>()?;
            Ok((errors, not_converged))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(assemble(alphas, &per_fold))
}

/// Generalized cross-validation of ridge from statistics alone (see [`ridge_gcv_stats`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RidgeGcv<T> {
    /// The alphas (scikit-learn's `Ridge` convention, `‖y − Xw − b‖² + α‖w‖²`), decreasing.
    pub alphas: Vec<T>,
    /// `gcv = (sse/W) / (1 − tr(H)/W)²` per alpha, `tr(H) = dof (+ 1 with an intercept)`.
    pub gcv: Vec<T>,
    /// Effective degrees of freedom `Σ λ_i/(λ_i + α)` per alpha (without the intercept).
    pub dof: Vec<T>,
    /// The singular values `√λ_i` of the (centred, weighted) design, descending (from the
    /// eigenvalues of its Gram matrix; `min(n, p)` values, zeros for dropped directions).
    pub singular_values: Vec<T>,
    /// Below this alpha the curves are approximate: the Gram matrix's eigenvalues are accurate
    /// to `δ = ε·λ_max·√p` only, and the in-memory [`ridge_curves`](crate::ridge_curves) would
    /// switch to the SVD of the rows for alphas under `δ/√ε` (rows that statistics do not have).
    pub alpha_floor: T,
    /// The index of the smallest `gcv` (the first one; NaN never wins).
    pub index_min: usize,
}

/// Generalized cross-validation (Golub, Heath & Wahba) of ridge over an alpha grid from
/// statistics alone, as the `gcv` and `dof` curves of [`ridge_curves`](crate::ridge_curves)
/// (same conventions, same default grid): one symmetric eigendecomposition `X̃ᵀX̃ = V Λ Vᵀ`
/// (`p × p`) of the statistics' centred Gram matrix, then for every alpha, with
/// `g = Vᵀ X̃ᵀỹ`, the residual `sse = ‖ỹ‖² − Σ_i g_i² (λ_i + 2α)/(λ_i + α)²` and
/// `dof = Σ_i λ_i/(λ_i + α)`. With sample weights the weighted statistics are used and the
/// weight sum `W` takes the place of `n`.
///
/// `sse` is a difference of the size of `‖ỹ‖²`: its rounding error is a few `ε·‖ỹ‖²`, which
/// matters only for a nearly exact fit. See [`RidgeGcv::alpha_floor`] for very small alphas.
/// Leave-one-out needs the hat matrix's diagonal, i.e. the rows: it is not available here.
///
/// # Errors
/// As [`ridge_alphas`](crate::ridge_alphas) / [`ridge_default_grid`](crate::ridge_default_grid);
/// [`Error::Empty`] for statistics without rows; eigendecomposition failures.
///
/// ```
/// use proxreg_cv::ridge_gcv_stats;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::SufficientStats;
/// let x = ColMajor::from_fn(50, 3, |i, j| (((i + 2) * (j + 3)) % 7) as f64);
/// let y: Vec<f64> = (0..50).map(|i| x.col(0)[i] - x.col(2)[i] + (i % 3) as f64).collect();
/// let stats = SufficientStats::from_batch(&x, &y, None)?;
/// let g = ridge_gcv_stats(&stats, Some(&[10.0, 1.0, 0.1]), 0, true)?;
/// assert!(g.dof[0] < g.dof[2] && g.dof[2] < 3.0);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
pub fn ridge_gcv_stats<T: Scalar>(
    stats: &SufficientStats<T>,
    alphas: Option<&[T]>,
    n_alphas: usize,
    fit_intercept: bool,
) -> Result<RidgeGcv<T>> {
    if let Some(a) = alphas {
        ridge_alphas(a)?;
    }
    let prep = stats.prepare(fit_intercept, false)?;
    let (p, w) = (prep.n_features(), prep.normalizer());
    let gram = prep.centered_gram();
    let (xty, y_sq) = cross_and_target(stats, &prep, fit_intercept);
    let eig = SymEigen::new(&gram)?;
    let vals = eig.values();
    let lmax = vals.last().copied().unwrap_or(T::zero()).max(T::zero());
    let delta = T::epsilon() * lmax * T::from_count(p).sqrt();
    let keep: Vec<usize> = (0..p).rev().filter(|&i| vals[i] > delta).collect();
    let lam: Vec<T> = keep.iter().map(|&i| vals[i]).collect();
    let vecs = eig.vectors();
    let g: Vec<T> = keep
        .iter()
        .map(|&i| vecs.col(i).iter().zip(&xty).map(|(&a, &b)| a * b).sum())
        .collect();
    let mut s: Vec<T> = lam.iter().map(|v| v.sqrt()).collect();
    s.resize(stats.n_samples().min(p), T::zero());
    let alphas = match alphas {
        Some(a) => ridge_alphas(a)?,
        None => ridge_default_grid(&s, n_alphas)?,
    };
    let base = if fit_intercept { T::one() } else { T::zero() };
    let two = T::lit(2.0);
    let mut gcv = Vec::with_capacity(alphas.len());
    let mut dof = Vec::with_capacity(alphas.len());
    for &a in &alphas {
        let mut d = T::zero();
        let mut explained = T::zero();
        for (&l, &gi) in lam.iter().zip(&g) {
            let t = l + a;
            d += l / t;
            explained += gi * gi * (l + two * a) / (t * t);
        }
        let sse = (y_sq - explained).max(T::zero());
        let q = T::one() - (d + base) / w;
        gcv.push(sse / w / (q * q));
        dof.push(d);
    }
    // the first minimum (NaN never wins), as the cross-validated paths select it
    let (index_min, _) = select(&gcv, &vec![T::zero(); gcv.len()]);
    Ok(RidgeGcv {
        alphas,
        gcv,
        dof,
        singular_values: s,
        alpha_floor: delta / T::epsilon().sqrt(),
        index_min,
    })
}

/// AIC and BIC along an Elastic Net path (`l1_ratio` ρ; ρ = 1 is the Lasso) from statistics
/// alone, as [`information_criteria`](crate::information_criteria) computes them from the rows
/// (same conventions and grid): the path is fitted in Gram mode, each point's residual sum of
/// squares comes from [`SufficientStats::sse`], the Elastic Net's degrees of freedom from the
/// eigenvalues of the active columns' block of the Gram matrix, and the estimated noise
/// variance from the least-squares fit `RSS_ols = ‖ỹ‖² − Σ_i g_i²/λ_i` over the eigenvalues
/// `λ_i` of the Gram matrix (`g = VᵀX̃ᵀỹ`; the minimum-norm solution's residual when the
/// columns are collinear). With sample weights, the weighted statistics are used and the
/// weight sum takes the place of `n`.
///
/// # Errors
/// As [`information_criteria`](crate::information_criteria); [`Error::Empty`] for statistics
/// without rows.
///
/// ```
/// use proxreg_cv::{information_criteria_stats, Alphas, CvSettings, NoiseVariance};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{CoordinateDescent, SufficientStats};
/// let x = ColMajor::from_fn(40, 4, |i, j| (((i + 3) * (j + 5)) % 13) as f64);
/// let y: Vec<f64> = (0..40).map(|i| 2.0 * x.col(1)[i] + (i % 3) as f64).collect();
/// let settings = CvSettings {
///     alphas: Alphas::Auto { n_alphas: 10, eps: 1e-3 },
///     fit_intercept: true,
///     standardize: false,
///     solver: CoordinateDescent::new().tol(1e-10),
///     measure: Default::default(),
/// };
/// let stats = SufficientStats::from_batch(&x, &y, None)?;
/// let ic = information_criteria_stats(&stats, 1.0, &settings, NoiseVariance::Estimate)?;
/// assert_eq!(ic.dof[0], 0.0);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
pub fn information_criteria_stats<T: Scalar>(
    stats: &SufficientStats<T>,
    l1_ratio: T,
    settings: &CvSettings<T>,
    noise: NoiseVariance<T>,
) -> Result<InfoCriteria<T>> {
    let pen = checked_penalty(l1_ratio, settings)?;
    let fi = settings.fit_intercept;
    let (n, p) = (stats.n_samples(), stats.n_features());
    let prep = stats.prepare(fi, false)?;
    let w = prep.normalizer();
    let gram = prep.centered_gram();
    let sigma2 = noise_variance(noise, n, p, fi, || {
        let (xty, y_sq) = cross_and_target(stats, &prep, fi);
        let eig = SymEigen::new(&gram)?;
        let vals = eig.values();
        let tiny =
            vals.iter().copied().fold(T::zero(), T::max) * T::epsilon() * T::from_count(n.max(p));
        let mut explained = T::zero();
        for (i, &l) in vals.iter().enumerate() {
            if l > tiny {
                let g: T = eig
                    .vectors()
                    .col(i)
                    .iter()
                    .zip(&xty)
                    .map(|(&a, &b)| a * b)
                    .sum();
                explained += g * g / l;
            }
        }
        Ok((y_sq - explained).max(T::zero()))
    })?;
    let alphas = match &settings.alphas {
        Alphas::Given(v) => given_grid(v)?,
        Alphas::Auto { n_alphas, eps } => {
            settings.solver.check()?;
            alpha_grid(alpha_max(&prep, &pen)?, *n_alphas, *eps)?
        }
    };
    let path = settings.solver.path_prepared(&prep, &pen, &alphas, None)?;
    let g = gram.as_slice();
    along_path(
        alphas,
        &path,
        l1_ratio,
        sigma2,
        w,
        n,
        |coef, b| stats.sse(coef, b).map(|(sse, _)| sse),
        |active| {
            ColMajor::from_fn(active.len(), active.len(), |a, c| {
                g[active[c] * p + active[a]]
            })
        },
    )
}

/// `X̃ᵀỹ` and `‖ỹ‖²` of a problem prepared from `stats` (centred with an intercept, raw
/// weighted products without).
fn cross_and_target<T: Scalar>(
    stats: &SufficientStats<T>,
    prep: &Prepared<'_, T>,
    fit_intercept: bool,
) -> (Vec<T>, T) {
    let w = prep.normalizer();
    let xty = prep.gradient_at_zero().iter().map(|&v| -v * w).collect();
    let yb = stats.y_mean();
    let y_sq = if fit_intercept {
        stats.yy()
    } else {
        stats.yy() + stats.weight_sum() * yb * yb
    };
    (xty, y_sq)
}
