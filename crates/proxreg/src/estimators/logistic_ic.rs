//! Logistic regression with alpha chosen by an information criterion along the path.

use proxreg_core::datafit::{Datafit, Logistic};
use proxreg_core::{penalty, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use super::cv::check_grid;
use super::linear::common_setters;
use super::logistic::{LogisticRegression, LogisticRegressionParams};
use super::logistic_cv::{binary_rows, logistic_grid, GlmPath};
use super::options::{with_separable, Data, Options, SolverChoice};
use super::select::Criterion;

/// Unchecked hyper-parameters of [`LogisticRegressionIc`]: an L1 logistic path (proximal
/// Newton, warm-started) on a grid from `alpha_max`, the alpha of least AIC or BIC selected and
/// refitted.
///
/// The criteria of a fit at alpha with coefficients `w` are `deviance + 2·df` (AIC) and
/// `deviance + ln(n)·df` (BIC), with the binomial deviance `2·Σ s_i·[log(1 + e^{η_i}) − y_i η_i]`
/// (weights `s`, 1 without) and `df` the number of non-zero coefficients — an unbiased estimate
/// of the degrees of freedom for the lasso in least squares (Zou, Hastie & Tibshirani 2007) and
/// the usual approximation for L1-penalised GLMs (Park & Hastie 2007). That approximation does
/// not hold with a ridge part, so the penalty is the lasso (`l1_ratio = 1`) only. The intercept
/// is not counted (as in scikit-learn's `LassoLarsIC`); it shifts every criterion equally.
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `criterion` | `Bic` | AIC or BIC | |
/// | `n_alphas`, `eps`, `alphas` | 100, 1e-3, automatic | the grid (from the logistic `alpha_max`) | as [`LogisticRegressionCvParams`](crate::LogisticRegressionCvParams) |
/// | `fit_intercept`, `standardize`, `penalty_factors`, `positive`, `bounds`, `tol`, `kkt_tol`, `max_iter` | as [`LogisticRegression`] | | |
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{Criterion, LogisticRegressionIc};
/// let x = ColMajor::from_fn(200, 5, |i, j| ((((i + 2) * (j + 3) * 7 + i * i) % 23) as f64 - 11.0) / 6.0);
/// let y: Vec<f64> = (0..200)
///     .map(|i| f64::from(u8::from(1.5 * x.col(0)[i] - x.col(2)[i] + 0.3 * ((i % 7) as f64 - 3.0) > 0.0)))
///     .collect();
/// let ic = LogisticRegressionIc::params()
///     .criterion(Criterion::Bic)
///     .n_alphas(30)
///     .tol(1e-8)
///     .fit(&x, &y)?;
/// assert_eq!(ic.bic().len(), 30);
/// let w = ic.model().coef();
/// assert!(w[0] > 0.0 && w[2] < 0.0);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionIcParams<T> {
    criterion: Criterion,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    opts: Options<T>,
}

/// A logistic regression whose alpha was chosen by AIC or BIC along the path: the criteria,
/// deviances and degrees of freedom at every alpha, and the model refitted at the selected one.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegressionIc<T> {
    criterion: Criterion,
    alphas: Vec<T>,
    deviance: Vec<T>,
    dof: Vec<T>,
    aic: Vec<T>,
    bic: Vec<T>,
    index: usize,
    n_not_converged: usize,
    model: LogisticRegression<T>,
}

impl<T: Scalar> LogisticRegressionIc<T> {
    /// The builder, with the defaults of [`LogisticRegressionIcParams`].
    pub fn params() -> LogisticRegressionIcParams<T> {
        LogisticRegressionIcParams {
            criterion: Criterion::Bic,
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            opts: Options {
                max_iter: 200,
                ..Options::default()
            },
        }
    }
    /// The selected alpha.
    pub fn alpha(&self) -> T {
        self.alphas[self.index]
    }
    /// Index of the selected alpha (the first minimum of the criterion).
    pub fn index(&self) -> usize {
        self.index
    }
    /// The criterion that selected alpha.
    pub fn criterion(&self) -> Criterion {
        self.criterion
    }
    /// The alpha grid (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.alphas
    }
    /// The selecting criterion at every alpha.
    pub fn criterion_path(&self) -> &[T] {
        match self.criterion {
            Criterion::Aic => &self.aic,
            _ => &self.bic,
        }
    }
    /// AIC at every alpha.
    pub fn aic(&self) -> &[T] {
        &self.aic
    }
    /// BIC at every alpha.
    pub fn bic(&self) -> &[T] {
        &self.bic
    }
    /// The binomial deviance (weighted) of the path's fit at every alpha.
    pub fn deviance(&self) -> &[T] {
        &self.deviance
    }
    /// Degrees of freedom (non-zero coefficients) at every alpha.
    pub fn dof(&self) -> &[T] {
        &self.dof
    }
    /// Path points that did not reach the tolerance.
    pub fn n_not_converged(&self) -> usize {
        self.n_not_converged
    }
    /// Warning flag: the minimum is at the first or last alpha of the grid.
    pub fn on_grid_edge(&self) -> bool {
        self.index == 0 || self.index + 1 == self.alphas.len()
    }
    /// The logistic regression refitted at the selected alpha (its certificate in
    /// [`report`](LogisticRegression::report)).
    pub fn model(&self) -> &LogisticRegression<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> LogisticRegression<T> {
        self.model
    }
}

impl<T: Scalar> LogisticRegressionIcParams<T> {
    /// AIC or BIC (default BIC).
    #[must_use]
    pub fn criterion(mut self, criterion: Criterion) -> Self {
        self.criterion = criterion;
        self
    }
    /// Length of the automatic grid (default 100).
    #[must_use]
    pub fn n_alphas(mut self, n: usize) -> Self {
        self.n_alphas = n;
        self
    }
    /// `alpha_min / alpha_max` of the automatic grid (default `1e-3`).
    #[must_use]
    pub fn eps(mut self, eps: T) -> Self {
        self.eps = eps;
        self
    }
    /// A given alpha grid (sorted decreasing before use).
    #[must_use]
    pub fn alphas(mut self, alphas: Vec<T>) -> Self {
        self.alphas = Some(alphas);
        self
    }
    common_setters!();

    fn base(&self, alpha: T) -> LogisticRegressionParams<T> {
        LogisticRegressionParams {
            alpha,
            l1_ratio: T::one(),
            opts: self.opts.clone(),
        }
    }

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) / [`Error::Empty`](crate::Error::Empty) naming the first bad parameter;
    /// [`Error::Unsupported`](crate::Error::Unsupported) for a solver other than `Auto` / `ProxNewton`.
    pub fn check(&self) -> Result<()> {
        self.base(T::one()).check()?;
        check_grid(
            self.n_alphas,
            self.eps,
            self.alphas.as_deref(),
            self.opts.tol,
            self.opts.kkt_tol,
            self.opts.max_iter,
        )
    }

    /// Validates, fits the path, selects and refits on `(x, y)` (two distinct labels).
    ///
    /// # Errors
    /// As [`check`](Self::check); shapes and NaN in the data; [`Error::InvalidTarget`](crate::Error::InvalidTarget) for
    /// labels that are not two classes.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<LogisticRegressionIc<T>> {
        self.fit_inner(x, y, None)
    }

    /// As [`fit`](Self::fit) with sample weights `s_i >= 0` (in the fits and the deviance).
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<LogisticRegressionIc<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<LogisticRegressionIc<T>> {
        self.check()?;
        let n = x.nrows();
        let enc = binary_rows(&self.opts, x, y, w)?;
        let alphas = logistic_grid(
            &self.base(T::one()),
            self.alphas.as_deref(),
            self.n_alphas,
            self.eps,
            (x, y, w),
        )?;
        let data = Data {
            opts: &self.opts,
            x,
            y: &enc,
            weights: w,
            k: 1,
        };
        let path = with_separable(
            &self.opts,
            penalty::ElasticNet::new(T::one())?,
            GlmPath(data, &alphas),
        )?;
        let ln_n = T::from_count(n).ln();
        let mut eta = vec![T::zero(); n];
        let (mut deviance, mut dof, mut aic, mut bic) = (vec![], vec![], vec![], vec![]);
        for sol in &path.solutions {
            let b = sol.intercept.first().copied().unwrap_or_else(T::zero);
            x.gemv(T::one(), &sol.coef, T::zero(), &mut eta);
            let mut dev = T::zero();
            for i in 0..n {
                let s = w.map_or(T::one(), |s| s[i]);
                if s != T::zero() {
                    dev += s * Datafit::<T>::loss(&Logistic, enc[i], eta[i] + b);
                }
            }
            let dev = T::lit(2.0) * dev;
            let df = T::from_count(sol.coef.iter().filter(|&&c| c != T::zero()).count());
            deviance.push(dev);
            dof.push(df);
            aic.push(dev + T::lit(2.0) * df);
            bic.push(dev + ln_n * df);
        }
        let crit = match self.criterion {
            Criterion::Aic => &aic,
            _ => &bic,
        };
        let mut index = 0;
        for (i, &c) in crit.iter().enumerate() {
            if c < crit[index] {
                index = i;
            }
        }
        let refit = self.base(alphas[index]);
        let model = match w {
            Some(s) => refit.fit_weighted(x, y, s)?,
            None => refit.fit(x, y)?,
        };
        Ok(LogisticRegressionIc {
            criterion: self.criterion,
            n_not_converged: path.solutions.iter().filter(|s| !s.converged()).count(),
            alphas,
            deviance,
            dof,
            aic,
            bic,
            index,
            model,
        })
    }
}
