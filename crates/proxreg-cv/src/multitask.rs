//! Cross-validated multi-task Lasso path (penalty `L21`, block coordinate descent).

use proxreg_core::penalty::L21;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{alpha_grid, alpha_max, BlockCoordinateDescent, Problem};

use crate::folds::Folds;
use crate::path::{assemble, Alphas, CvPath, CvSettings};

/// Cross-validates the multi-task Lasso path (`(1/(2n))‖Y − XW − 1bᵀ‖²_F + α Σ_j ‖W_j,:‖₂`) as
/// [`crate::cv_path`] does the single-task one: grid from the full data (`alpha_max` of `L21`
/// on the centered data, or given), each fold's path on its training rows with warm starts
/// (block coordinate descent with `settings.solver`'s tolerance), held-out error
/// (`settings.measure` over all test entries of every task: scikit-learn's
/// `MultiTaskLassoCV` MSE) per alpha and fold. `y` is `n × k` column-major.
///
/// # Errors
/// [`Error::DimensionMismatch`] when `y.len()` is not `k·n` or the folds do not match `n`;
/// [`Error::InvalidParameter`] for `n_tasks = 0`; as [`crate::grid`]; solver errors.
pub fn multitask_cv_path<T, X>(
    x: &X,
    y: &[T],
    n_tasks: usize,
    folds: &Folds,
    settings: &CvSettings<T>,
) -> Result<CvPath<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
{
    let (n, p, k) = (x.nrows(), x.ncols(), n_tasks);
    let pen = L21::new(p, k)?;
    if y.len() != n * k {
        return Err(Error::DimensionMismatch {
            what: "Y length vs X rows × tasks",
            expected: n * k,
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
    proxreg_core::error::ensure_all_finite("y", y)?;
    crate::path::check_error_range(y)?;
    let solver = BlockCoordinateDescent(settings.solver.clone());
    let alphas = match &settings.alphas {
        Alphas::Given(v) => crate::path::given_grid(v)?,
        Alphas::Auto { n_alphas, eps } => {
            let pb = Problem::new(x, y, &pen, T::zero())
                .fit_intercept(settings.fit_intercept)
                .standardize(settings.standardize)
                .n_tasks(k);
            let prep = solver.prepare(&pb)?;
            alpha_grid(alpha_max(&prep, &pen)?, *n_alphas, *eps)?
        }
    };
    let mut per_fold = Vec::with_capacity(folds.n_folds());
    for f in 0..folds.n_folds() {
        let (train, test) = (folds.train(f), folds.test(f));
        let rows = |idx: &[usize]| -> Vec<T> {
            (0..k)
                .flat_map(|t| idx.iter().map(move |&i| y[t * n + i]))
                .collect()
        };
        let (xt, yt) = (x.select_rows(&train)?, rows(&train));
        let (xs, ys) = (x.select_rows(test)?, rows(test));
        let pb = Problem::new(&xt, &yt, &pen, T::zero())
            .fit_intercept(settings.fit_intercept)
            .standardize(settings.standardize)
            .n_tasks(k);
        let path = solver.path(&pb, &alphas)?;
        let m = test.len();
        let mut pred = vec![T::zero(); m * k];
        let mut w = vec![T::zero(); p];
        let mut errors = Vec::with_capacity(alphas.len());
        let mut not_converged = 0;
        for sol in &path.solutions {
            if !sol.converged() {
                not_converged += 1;
            }
            for t in 0..k {
                for (j, wj) in w.iter_mut().enumerate() {
                    *wj = sol.coef[j * k + t];
                }
                let out = &mut pred[t * m..(t + 1) * m];
                xs.gemv(T::one(), &w, T::zero(), out);
                let b = sol.intercept.get(t).copied().unwrap_or_else(T::zero);
                out.iter_mut().for_each(|v| *v += b);
            }
            errors.push(settings.measure.eval(&ys, &pred));
        }
        per_fold.push((errors, not_converged));
    }
    Ok(assemble(alphas, &per_fold))
}
