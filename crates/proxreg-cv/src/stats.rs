//! Cross-validation from per-fold sufficient statistics alone (no rows).

use proxreg_core::penalty::SeparablePenalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_solvers::{alpha_grid, alpha_max, SufficientStats};

use crate::measure::ErrorMeasure;
use crate::path::{assemble, given_grid, Alphas, CvPath, CvSettings};

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
