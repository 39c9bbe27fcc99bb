//! Cross-validated relaxed lasso (glmnet's `cv.glmnet(relax = TRUE)`): `(alpha, gamma)` chosen
//! jointly by K-fold cross-validation.

use proxreg_core::{Error, Result, Scalar};
use proxreg_cv::{CvPath, ErrorMeasure, Folds, KFold};
use proxreg_linalg::DesignMatrix;

use super::cv::{check_grid, check_grid_of, cv_setters, grid_setters, CvSplit, Selection};
use super::relaxed::{check_gamma, RelaxedLasso, RelaxedLassoParams};

/// Runs `f` on every fold, in parallel on rayon's current pool with the `rayon` feature; each
/// fold's computation is sequential and the results are collected in fold order, so the output
/// is bitwise the same for any number of threads.
pub(crate) fn map_folds<R, F>(n_folds: usize, f: F) -> Result<Vec<R>>
where
    R: Send,
    F: Fn(usize) -> Result<R> + Sync + Send,
{
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        (0..n_folds).into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "rayon"))]
    {
        (0..n_folds).map(f).collect()
    }
}

/// A given grid, validated (non-empty, finite, `>= 0`) and sorted decreasing.
pub(crate) fn sorted_grid<T: Scalar>(v: &[T]) -> Result<Vec<T>> {
    if v.is_empty() {
        return Err(Error::Empty { what: "alphas" });
    }
    for &a in v {
        proxreg_core::error::ensure_nonneg_finite("alphas", a)?;
    }
    let mut v = v.to_vec();
    v.sort_by(|a, b| b.partial_cmp(a).unwrap_or(core::cmp::Ordering::Equal));
    Ok(v)
}

/// A fold's rows, copied: `(x_train, y_train, x_test, y_test)`.
pub(crate) type FoldRows<X, T> = (X, Vec<T>, X, Vec<T>);

/// The training rows of fold `k` and its test rows, copied.
pub(crate) fn split_rows<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    x: &X,
    y: &[T],
    folds: &Folds,
    k: usize,
) -> Result<FoldRows<X::Owned, T>> {
    let train = folds.train(k);
    let test = folds.test(k);
    let x_train = x.select_rows(&train)?;
    let y_train = train.iter().map(|&i| y[i]).collect();
    let x_test = x.select_rows(test)?;
    let y_test = test.iter().map(|&i| y[i]).collect();
    Ok((x_train, y_train, x_test, y_test))
}

/// Predictions `Xw + b` (the data are validated by the fit that produced `w`).
pub(crate) fn predict_with<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    x: &X,
    w: &[T],
    b: T,
    out: &mut [T],
) {
    out.iter_mut().for_each(|v| *v = b);
    x.gemv(T::one(), w, T::one(), out);
}

/// Unchecked cross-validated relaxed lasso hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `gammas` | `[0, 0.25, 0.5, 0.75, 1]` | the γ grid (glmnet's default), 1 = Lasso, 0 = fully relaxed | `[0, 1]` each, non-empty |
/// | `n_alphas` | 100 | length of the automatic grid | `>= 1` |
/// | `eps` | 1e-3 | `alpha_min / alpha_max` of the automatic grid | `(0, 1)` |
/// | `alphas` | automatic | a given grid (sorted decreasing) | finite, `>= 0`, non-empty |
/// | `cv` / `fold_ids` | `KFold::new(5)` | the folds | `2 <= K <= n` |
/// | `fit_intercept` | true | unpenalised intercept (each fold: its training rows) | |
/// | `standardize` | false | the Lasso penalises standardized columns (each fold: its training rows) | |
/// | `tol`, `kkt_tol`, `max_iter` | 1e-4, `tol`, 10000 | every Lasso fit | |
/// | `selection` | `Min` | glmnet's `lambda.min`/`gamma.min` or `lambda.1se`/`gamma.1se` | |
/// | `measure` | `Mse` | held-out error: MSE, MAE or a user closure | |
///
/// Each fold fits the warm-started Lasso path on its training rows over the common grid
/// (automatic: from `alpha_max` of the full data), refits every point on its support with the
/// training rows only, and scores the blend of every γ on its test rows: one [`CvPath`] per γ.
/// The folds run in parallel with the `rayon` feature, bitwise the same as sequentially.
///
/// Selection is glmnet's (`getOptcv.relaxed`), jointly over `(alpha, γ)`: the minimum mean
/// error over the whole grid (ties: the larger alpha, then the larger γ); the
/// one-standard-error rule takes, among every `(alpha, γ)` whose mean error is within one
/// standard error of that minimum, the largest alpha, then the largest γ. The model is then
/// refitted on all the data at the selected `(alpha, γ)`.
#[derive(Debug, Clone, PartialEq)]
pub struct RelaxedLassoCvParams<T> {
    gammas: Vec<T>,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    cv: CvSplit,
    fit_intercept: bool,
    standardize: bool,
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    selection: Selection,
    measure: ErrorMeasure<T>,
}

/// A fitted cross-validated relaxed lasso: the cross-validation of every γ, the selected
/// `(alpha, γ)` and the [`RelaxedLasso`] refitted on all the data there.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::RelaxedLassoCv;
/// let x = ColMajor::from_fn(60, 6, |i, j| (((i + 2) * (j + 3)) % 11) as f64);
/// let y: Vec<f64> = (0..60).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i] + (i % 3) as f64).collect();
/// let cv = RelaxedLassoCv::params().n_alphas(20).cv(KFold::new(3)).fit(&x, &y)?;
/// assert_eq!(cv.paths().len(), 5); // one per gamma
/// assert_eq!((cv.model().alpha(), cv.model().gamma()), (cv.alpha(), cv.gamma()));
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RelaxedLassoCv<T> {
    gammas: Vec<T>,
    paths: Vec<CvPath<T>>,
    index_min: (usize, usize),
    index_1se: (usize, usize),
    selection: Selection,
    model: RelaxedLasso<T>,
}

impl<T: Scalar> RelaxedLassoCv<T> {
    /// The builder, with the defaults of [`RelaxedLassoCvParams`].
    pub fn params() -> RelaxedLassoCvParams<T> {
        RelaxedLassoCvParams {
            gammas: [0.0, 0.25, 0.5, 0.75, 1.0]
                .iter()
                .map(|&g| T::lit(g))
                .collect(),
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            cv: CvSplit::KFold(KFold::new(5)),
            fit_intercept: true,
            standardize: false,
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 10_000,
            selection: Selection::Min,
            measure: ErrorMeasure::Mse,
        }
    }
    fn selected(&self) -> (usize, usize) {
        match self.selection {
            Selection::OneStandardError => self.index_1se,
            _ => self.index_min,
        }
    }
    /// The selected alpha.
    pub fn alpha(&self) -> T {
        let (g, a) = self.selected();
        self.paths[g].alphas[a]
    }
    /// The selected γ.
    pub fn gamma(&self) -> T {
        self.gammas[self.selected().0]
    }
    /// The γ grid, in the order given.
    pub fn gammas(&self) -> &[T] {
        &self.gammas
    }
    /// The alpha grid (decreasing), shared by every γ.
    pub fn alphas(&self) -> &[T] {
        &self.paths[0].alphas
    }
    /// The cross-validation of every γ (same order as [`gammas`](Self::gammas)): held-out
    /// errors `[alpha][fold]`, their mean and standard error per alpha.
    pub fn paths(&self) -> &[CvPath<T>] {
        &self.paths
    }
    /// `(γ index, alpha index)` of the minimal mean error (glmnet's `index["min", ]`).
    pub fn index_min(&self) -> (usize, usize) {
        self.index_min
    }
    /// `(γ index, alpha index)` of the one-standard-error rule (glmnet's `index["1se", ]`).
    pub fn index_1se(&self) -> (usize, usize) {
        self.index_1se
    }
    /// The selection rule used.
    pub fn selection(&self) -> Selection {
        self.selection
    }
    /// Warning flag: the minimal mean error is at the first or last alpha of the grid.
    pub fn on_grid_edge(&self) -> bool {
        let a = self.index_min.1;
        a == 0 || a + 1 == self.alphas().len()
    }
    /// The relaxed lasso refitted on all the data at the selected `(alpha, γ)`.
    pub fn model(&self) -> &RelaxedLasso<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> RelaxedLasso<T> {
        self.model
    }
}

/// glmnet's joint selection over `(γ, alpha)` (`getOptcv.relaxed`): the minimal mean error,
/// ties to the larger alpha then the larger γ; and among the means within one standard error
/// of it, the larger alpha then the larger γ. NaN means never win. Returns
/// `((γ, a) of the minimum, (γ, a) of the 1se rule)`.
pub(crate) fn select_joint<T: Scalar>(
    paths: &[CvPath<T>],
    gammas: &[T],
) -> ((usize, usize), (usize, usize)) {
    // Key order: larger alpha, then larger gamma.
    let better_key = |(g, a): (usize, usize), (h, b): (usize, usize)| {
        let (x, y) = (paths[g].alphas[a], paths[h].alphas[b]);
        x > y || (x == y && gammas[g] > gammas[h])
    };
    let mut best: Option<(usize, usize)> = None;
    for (g, p) in paths.iter().enumerate() {
        for (a, &m) in p.mean.iter().enumerate() {
            if m.is_nan() {
                continue;
            }
            best = match best {
                None => Some((g, a)),
                Some(b) => {
                    let mb = paths[b.0].mean[b.1];
                    if m < mb || (m == mb && better_key((g, a), b)) {
                        Some((g, a))
                    } else {
                        Some(b)
                    }
                }
            };
        }
    }
    let best = best.unwrap_or((0, 0));
    let bound = paths[best.0].mean[best.1] + paths[best.0].std_err[best.1];
    let mut pick = best;
    for (g, p) in paths.iter().enumerate() {
        for (a, &m) in p.mean.iter().enumerate() {
            if m <= bound && better_key((g, a), pick) {
                pick = (g, a);
            }
        }
    }
    (best, pick)
}

impl<T: Scalar> RelaxedLassoCvParams<T> {
    /// The γ grid (default `[0, 0.25, 0.5, 0.75, 1]`).
    #[must_use]
    pub fn gammas(mut self, gammas: Vec<T>) -> Self {
        self.gammas = gammas;
        self
    }
    cv_setters!();

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter (`gammas`
    /// outside `[0, 1]` or NaN included).
    pub fn check(&self) -> Result<()> {
        if self.gammas.is_empty() {
            return Err(Error::Empty { what: "gammas" });
        }
        for &g in &self.gammas {
            check_gamma("gammas", g)?;
        }
        check_grid_of!(self)
    }

    /// The relaxed lasso these settings fit (at `alpha`, `gamma`).
    fn relaxed(&self, alpha: T, gamma: T) -> RelaxedLassoParams<T> {
        let p = RelaxedLasso::params()
            .alpha(alpha)
            .gamma(gamma)
            .fit_intercept(self.fit_intercept)
            .standardize(self.standardize)
            .tol(self.tol)
            .max_iter(self.max_iter);
        match self.kkt_tol {
            Some(k) => p.kkt_tol(k),
            None => p,
        }
    }

    /// Validates, cross-validates every `(alpha, γ)`, selects and refits on all the data.
    ///
    /// # Errors
    /// As [`check`](Self::check); bad folds for this `n`; shapes and NaN in the data; errors
    /// of a fold's fit (the first, in fold order).
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<RelaxedLassoCv<T>> {
        self.check()?;
        let base = self.relaxed(T::one(), T::one());
        // Validates the data (as a fit would) and gives the automatic grid's top.
        let amax = base.alpha_max(x, y, None)?;
        let folds = self.cv.folds(x.nrows())?;
        let alphas = match &self.alphas {
            Some(a) => sorted_grid(a)?,
            None => proxreg_solvers::alpha_grid(amax, self.n_alphas, self.eps)?,
        };
        let ng = self.gammas.len();
        let per_fold = map_folds(folds.n_folds(), |k| {
            let (xt, yt, xs, ys) = split_rows(x, y, &folds, k)?;
            let path = base.path(&xt, &yt, None, &alphas)?;
            let mut errors = vec![Vec::with_capacity(alphas.len()); ng];
            let mut pred = vec![T::zero(); ys.len()];
            let mut not_converged = 0;
            for point in &path {
                if point.lasso().status() != super::model::Status::Converged {
                    not_converged += 1;
                }
                for (g, &gamma) in self.gammas.iter().enumerate() {
                    let blend = point.with_gamma(gamma)?;
                    predict_with(&xs, blend.coef(), blend.intercept(), &mut pred);
                    errors[g].push(self.measure.eval(&ys, &pred));
                }
            }
            Ok((errors, not_converged))
        })?;
        let not_converged: usize = per_fold.iter().map(|f| f.1).sum();
        let paths = (0..ng)
            .map(|g| {
                let fold_errors: Vec<Vec<T>> = per_fold.iter().map(|f| f.0[g].clone()).collect();
                CvPath::from_fold_errors(alphas.clone(), &fold_errors, not_converged)
            })
            .collect::<Result<Vec<_>>>()?;
        let (index_min, index_1se) = select_joint(&paths, &self.gammas);
        let (g, a) = match self.selection {
            Selection::OneStandardError => index_1se,
            _ => index_min,
        };
        let model = self.relaxed(alphas[a], self.gammas[g]).fit(x, y)?;
        Ok(RelaxedLassoCv {
            gammas: self.gammas.clone(),
            paths,
            index_min,
            index_1se,
            selection: self.selection,
            model,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// glmnet's `getOptcv.relaxed` tie rules on a hand-made grid (two gammas, three alphas).
    #[test]
    fn joint_selection_breaks_ties_by_alpha_then_gamma() {
        let alphas = vec![1.0, 0.5, 0.25];
        // gamma 0: means [3, 1, 2]; gamma 1: means [1.05, 1, 4] (std errs 0.1 everywhere).
        let g0 = CvPath::from_fold_errors(
            alphas.clone(),
            &[vec![2.9, 0.9, 1.9], vec![3.1, 1.1, 2.1]],
            0,
        )
        .unwrap();
        let g1 = CvPath::from_fold_errors(
            alphas.clone(),
            &[vec![0.95, 0.9, 3.9], vec![1.15, 1.1, 4.1]],
            0,
        )
        .unwrap();
        let (min, se) = select_joint(&[g0.clone(), g1.clone()], &[0.0, 1.0]);
        // The minimum 1.0 is reached at alpha 0.5 for both gammas: the larger gamma wins.
        assert_eq!(min, (1, 1));
        // Within one standard error (1.0 + 0.1): alpha 1.0 at gamma 1 (mean 1.05).
        assert_eq!(se, (1, 0));
        // Gammas given in decreasing order: the same points, by value.
        let (min, _) = select_joint(&[g1, g0], &[1.0, 0.0]);
        assert_eq!(min, (0, 1));
    }
}
