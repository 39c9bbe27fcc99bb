//! Cross-validated adaptive lasso: alpha chosen by K-fold cross-validation, the initial fit
//! redone on every fold's training rows.

use proxreg_core::{Error, Result, Scalar};
use proxreg_cv::{CvPath, ErrorMeasure, KFold};
use proxreg_linalg::DesignMatrix;

use super::adaptive::{check_adaptive, AdaptiveInit, AdaptiveLasso, AdaptiveLassoParams};
use super::cv::{check_grid, check_grid_of, cv_setters, grid_setters, CvSplit, Selection};
use super::relaxed_cv::{map_folds, predict_with, sorted_grid, split_rows};

/// Unchecked cross-validated adaptive lasso hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `nu`, `init_eps`, `init` | 1, 0, `Ridge(1)` | as [`AdaptiveLassoParams`] | |
/// | `n_alphas` | 100 | length of the automatic grid | `>= 1` |
/// | `eps` | 1e-3 | `alpha_min / alpha_max` of the automatic grid | `(0, 1)` |
/// | `alphas` | automatic | a given grid (sorted decreasing) | finite, `>= 0`, non-empty |
/// | `cv` / `fold_ids` | `KFold::new(5)` | the folds | `2 <= K <= n` |
/// | `fit_intercept`, `standardize` | true, false | as [`AdaptiveLassoParams`] (each fold: its training rows) | |
/// | `tol`, `kkt_tol`, `max_iter` | 1e-4, `tol`, 10000 | every Lasso fit | |
/// | `selection` | `Min` | minimum or one-standard-error rule | |
/// | `measure` | `Mse` | held-out error | |
///
/// **Honest cross-validation**: the initial fit (ridge or OLS) is part of the estimator, so
/// each fold computes it on its own training rows, then its penalty factors, then the
/// weighted Lasso path on the same rows: the test rows influence neither the factors nor the
/// fit. (Factors from the full data would leak the test rows into the penalty and make the
/// held-out error optimistic.) A [`AdaptiveInit::Given`] vector is used as given in every
/// fold; it is honest only if it was not computed from the rows being tested. The automatic
/// grid goes from `alpha_max` of the full data's weighted problem (full-data factors) down to
/// `eps` times it; the refit on all the data redoes the initial fit there. The folds run in
/// parallel with the `rayon` feature, bitwise the same as sequentially.
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptiveLassoCvParams<T> {
    nu: T,
    init_eps: T,
    init: AdaptiveInit<T>,
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

/// A fitted cross-validated adaptive lasso: its cross-validation, the selected alpha and the
/// [`AdaptiveLasso`] refitted on all the data.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::AdaptiveLassoCv;
/// let x = ColMajor::from_fn(60, 6, |i, j| (((i + 2) * (j + 3)) % 11) as f64);
/// let y: Vec<f64> = (0..60).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i] + (i % 3) as f64).collect();
/// let cv = AdaptiveLassoCv::params().n_alphas(20).cv(KFold::new(3)).fit(&x, &y)?;
/// assert_eq!(cv.path().mean.len(), 20);
/// assert_eq!(cv.model().alpha(), cv.alpha());
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AdaptiveLassoCv<T> {
    path: CvPath<T>,
    index: usize,
    selection: Selection,
    model: AdaptiveLasso<T>,
}

impl<T: Scalar> AdaptiveLassoCv<T> {
    /// The builder, with the defaults of [`AdaptiveLassoCvParams`].
    pub fn params() -> AdaptiveLassoCvParams<T> {
        AdaptiveLassoCvParams {
            nu: T::one(),
            init_eps: T::zero(),
            init: AdaptiveInit::default(),
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
    /// The selected alpha.
    pub fn alpha(&self) -> T {
        self.path.alphas[self.index]
    }
    /// The cross-validation results (held-out errors `[alpha][fold]`, mean, standard error).
    pub fn path(&self) -> &CvPath<T> {
        &self.path
    }
    /// The alpha grid (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.path.alphas
    }
    /// Index of the selected alpha.
    pub fn index(&self) -> usize {
        self.index
    }
    /// The selection rule used.
    pub fn selection(&self) -> Selection {
        self.selection
    }
    /// Warning flag: the minimal mean error is at the first or last alpha of the grid.
    pub fn on_grid_edge(&self) -> bool {
        self.path.index_min == 0 || self.path.index_min + 1 == self.path.alphas.len()
    }
    /// The adaptive lasso refitted on all the data at the selected alpha.
    pub fn model(&self) -> &AdaptiveLasso<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> AdaptiveLasso<T> {
        self.model
    }
}

impl<T: Scalar> AdaptiveLassoCvParams<T> {
    /// The exponent ν > 0 (default 1).
    #[must_use]
    pub fn nu(mut self, nu: T) -> Self {
        self.nu = nu;
        self
    }
    /// The offset ε >= 0 of the factors (default 0).
    #[must_use]
    pub fn init_eps(mut self, init_eps: T) -> Self {
        self.init_eps = init_eps;
        self
    }
    /// The first fit (default [`AdaptiveInit::Ridge`] with `alpha = 1`).
    #[must_use]
    pub fn init(mut self, init: AdaptiveInit<T>) -> Self {
        self.init = init;
        self
    }
    cv_setters!();

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter.
    pub fn check(&self) -> Result<()> {
        check_adaptive(self.nu, self.init_eps)?;
        self.init.check()?;
        check_grid_of!(self)
    }

    fn adaptive(&self, alpha: T) -> AdaptiveLassoParams<T> {
        let p = AdaptiveLasso::params()
            .alpha(alpha)
            .nu(self.nu)
            .init_eps(self.init_eps)
            .init(self.init.clone())
            .fit_intercept(self.fit_intercept)
            .standardize(self.standardize)
            .tol(self.tol)
            .max_iter(self.max_iter);
        match self.kkt_tol {
            Some(k) => p.kkt_tol(k),
            None => p,
        }
    }

    /// Validates, cross-validates (the initial fit on each fold's training rows), selects and
    /// refits on all the data.
    ///
    /// # Errors
    /// As [`check`](Self::check); bad folds for this `n`; the data's and the fits' errors;
    /// [`Error::Unsupported`] for the automatic grid when the full data's initial fit excludes
    /// every feature (`alpha_max = 0`: give `alphas`).
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<AdaptiveLassoCv<T>> {
        self.check()?;
        let base = self.adaptive(T::one());
        let amax = base.alpha_max(x, y, None)?;
        let folds = self.cv.folds(x.nrows())?;
        let alphas = match &self.alphas {
            Some(a) => sorted_grid(a)?,
            None if amax > T::zero() => proxreg_solvers::alpha_grid(amax, self.n_alphas, self.eps)?,
            None => {
                return Err(Error::Unsupported {
                    what: "the automatic alpha grid of the adaptive lasso",
                    reason: "the initial fit excludes every feature (alpha_max = 0); give alphas",
                })
            }
        };
        let per_fold = map_folds(folds.n_folds(), |k| {
            let (xt, yt, xs, ys) = split_rows(x, y, &folds, k)?;
            let path = base.path(&xt, &yt, None, &alphas)?;
            let mut pred = vec![T::zero(); ys.len()];
            let mut errors = Vec::with_capacity(alphas.len());
            let mut not_converged = 0;
            for point in &path {
                if point.status() != super::model::Status::Converged {
                    not_converged += 1;
                }
                predict_with(&xs, point.coef(), point.intercept(), &mut pred);
                errors.push(self.measure.eval(&ys, &pred));
            }
            Ok((errors, not_converged))
        })?;
        let not_converged = per_fold.iter().map(|f| f.1).sum();
        let fold_errors: Vec<Vec<T>> = per_fold.into_iter().map(|f| f.0).collect();
        let path = CvPath::from_fold_errors(alphas, &fold_errors, not_converged)?;
        let index = match self.selection {
            Selection::OneStandardError => path.index_1se,
            _ => path.index_min,
        };
        let model = self.adaptive(path.alphas[index]).fit(x, y)?;
        Ok(AdaptiveLassoCv {
            path,
            index,
            selection: self.selection,
            model,
        })
    }
}
