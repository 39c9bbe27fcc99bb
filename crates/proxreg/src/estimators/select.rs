//! Choosing alpha without cross-validation: information criteria (scikit-learn's
//! `LassoLarsIC`, extended to the Elastic Net) and stability selection (Meinshausen & Bühlmann
//! 2010 with the complementary pairs of Shah & Samworth 2013).

use proxreg_core::{penalty, Error, Result, Scalar};
use proxreg_cv::{CvSettings, NoiseVariance};
pub use proxreg_cv::{InfoCriteria, StabilityPath};
use proxreg_linalg::DesignMatrix;

use super::cv::{check_grid, check_grid_of, grid_setters, settings_of};
use super::linear::{ElasticNet, Lasso};
use super::options::cd_with;

/// Which information criterion selects alpha.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Criterion {
    /// Akaike: `n·ln(2πσ²) + RSS/σ² + 2·df`.
    Aic,
    /// Bayesian (Schwarz): `n·ln(2πσ²) + RSS/σ² + ln(n)·df` — sparser than AIC when `n > 7`.
    #[default]
    Bic,
}

/// Accessors shared by [`LassoIc`] and [`ElasticNetIc`] (both hold `info` and `criterion`).
macro_rules! ic_accessors {
    ($name:ident) => {
        /// The selected alpha.
        pub fn alpha(&self) -> T {
            self.info.alphas[self.index()]
        }
        /// The criterion that selected alpha.
        pub fn criterion(&self) -> Criterion {
            self.criterion
        }
        #[doc = concat!("Index of the selected alpha in [`", stringify!($name), "::alphas`] (the first minimum).")]
        pub fn index(&self) -> usize {
            index_of(&self.info, self.criterion)
        }
        /// The alpha grid (decreasing).
        pub fn alphas(&self) -> &[T] {
            &self.info.alphas
        }
        /// The chosen criterion at every alpha (scikit-learn's `criterion_`).
        pub fn criterion_path(&self) -> &[T] {
            path_of(&self.info, self.criterion)
        }
        /// AIC at every alpha.
        pub fn aic(&self) -> &[T] {
            &self.info.aic
        }
        /// BIC at every alpha.
        pub fn bic(&self) -> &[T] {
            &self.info.bic
        }
        /// Degrees of freedom at every alpha (Lasso: the number of non-zero coefficients).
        pub fn dof(&self) -> &[T] {
            &self.info.dof
        }
        /// Residual sum of squares at every alpha.
        pub fn rss(&self) -> &[T] {
            &self.info.rss
        }
        /// The noise variance `σ²` used (given or estimated; scikit-learn's `noise_variance_`).
        pub fn noise_variance(&self) -> T {
            self.info.noise_variance
        }
        /// Warning flag: the minimum is at the first or last alpha of the grid (widen it).
        pub fn on_grid_edge(&self) -> bool {
            let i = self.index();
            i == 0 || i + 1 == self.info.alphas.len()
        }
        /// Everything computed along the path (coefficients and intercepts included).
        pub fn info(&self) -> &InfoCriteria<T> {
            &self.info
        }
    };
}

/// Unchecked information-criterion Elastic Net hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `l1_ratio` | 0.5 | ρ of the Elastic Net penalty | `(0, 1]` (0 needs `alphas`) |
/// | `criterion` | `Bic` | AIC or BIC | |
/// | `noise_variance` | estimated | `σ²`; estimated as `RSS_ols/(n − p − [intercept])` (scikit-learn's `LassoLarsIC`), which needs `n > p + [intercept]` | `(0, ∞)` |
/// | `n_alphas` | 100 | length of the automatic grid | `>= 1` |
/// | `eps` | 1e-3 | `alpha_min / alpha_max` of the automatic grid | `(0, 1)` |
/// | `alphas` | automatic | a given grid (sorted decreasing) | finite, `>= 0`, non-empty |
/// | `fit_intercept` | true | unpenalised intercept (not counted in `df`) | |
/// | `tol`, `kkt_tol` | 1e-4, `tol` | stopping rule of every fit of the path and of the refit | `(0, ∞)` |
/// | `max_iter` | 10000 | maximal epochs per fit | `>= 1` |
///
/// The path is fitted on the full data with warm starts; at every alpha the criterion is
/// computed from the residual sum of squares and the degrees of freedom (number of non-zero
/// coefficients for the Lasso; the trace of the Elastic Net hat matrix on the active set
/// otherwise) — see [`proxreg_cv::information_criteria`]. The data are not standardized (the
/// degrees of freedom are those of the fit on the data given): standardize the columns first
/// if they have different units. The minimiser is refitted with [`ElasticNet`] (warm-started
/// from the path), whose certificates the model carries.
#[derive(Debug, Clone, PartialEq)]
pub struct ElasticNetIcParams<T> {
    l1_ratio: T,
    criterion: Criterion,
    noise_variance: Option<T>,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    fit_intercept: bool,
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
}

/// A fitted information-criterion Elastic Net: AIC and BIC along the path, the alpha that
/// minimises the chosen criterion, and the model refitted there.
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(60, 4, |i, j| (((i + 2) * (j + 3)) % 11) as f64 + 0.1 * j as f64);
/// let y: Vec<f64> = (0..60).map(|i| x.col(0)[i] - 2.0 * x.col(2)[i] + (i % 3) as f64).collect();
/// let ic = ElasticNetIc::params().l1_ratio(0.9).n_alphas(30).fit(&x, &y)?;
/// assert_eq!(ic.criterion_path().len(), 30);
/// let best = ic.criterion_path()[ic.index()];
/// assert!(ic.criterion_path().iter().all(|&c| c >= best));
/// assert_eq!(ic.model().alpha(), ic.alpha());
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ElasticNetIc<T> {
    info: InfoCriteria<T>,
    criterion: Criterion,
    l1_ratio: T,
    model: ElasticNet<T>,
}

impl<T: Scalar> ElasticNetIc<T> {
    /// The builder, with the defaults of [`ElasticNetIcParams`].
    pub fn params() -> ElasticNetIcParams<T> {
        ElasticNetIcParams {
            l1_ratio: T::lit(0.5),
            criterion: Criterion::Bic,
            noise_variance: None,
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            fit_intercept: true,
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 10_000,
        }
    }
    ic_accessors!(ElasticNetIc);
    /// The `l1_ratio`.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratio
    }
    /// The model refitted at the selected alpha.
    pub fn model(&self) -> &ElasticNet<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> ElasticNet<T> {
        self.model
    }
}

fn index_of<T>(info: &InfoCriteria<T>, c: Criterion) -> usize {
    match c {
        Criterion::Aic => info.index_aic,
        Criterion::Bic => info.index_bic,
    }
}

fn path_of<T>(info: &InfoCriteria<T>, c: Criterion) -> &[T] {
    match c {
        Criterion::Aic => &info.aic,
        Criterion::Bic => &info.bic,
    }
}

/// Setters of the information-criterion params (besides the grid's).
macro_rules! ic_setters {
    ($($inner:tt)*) => {
        grid_setters!($($inner)*);
        /// AIC or BIC (default BIC).
        #[must_use]
        pub fn criterion(mut self, criterion: Criterion) -> Self {
            self$($inner)*.criterion = criterion;
            self
        }
        /// A known noise variance `σ² > 0` instead of the least-squares estimate (needed when
        /// `n <= p + [intercept]`).
        #[must_use]
        pub fn noise_variance(mut self, sigma2: T) -> Self {
            self$($inner)*.noise_variance = Some(sigma2);
            self
        }
    };
}

impl<T: Scalar> ElasticNetIcParams<T> {
    /// ρ of the Elastic Net penalty (default 0.5).
    #[must_use]
    pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
        self.l1_ratio = l1_ratio;
        self
    }
    ic_setters!();

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter.
    pub fn check(&self) -> Result<()> {
        penalty::ElasticNet::new(self.l1_ratio)?;
        if let Some(v) = self.noise_variance {
            proxreg_core::error::ensure_positive_finite("noise_variance", v)?;
        }
        check_grid_of!(self)
    }

    /// Validates, fits the path, computes AIC and BIC, selects, and refits.
    ///
    /// # Errors
    /// As [`ElasticNetIcParams::check`]; shapes and NaN in the data; [`Error::Unsupported`]
    /// for an estimated noise variance when `n <= p + [intercept]` (give
    /// [`ElasticNetIcParams::noise_variance`]) or for `l1_ratio = 0` with the automatic grid.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<ElasticNetIc<T>> {
        let (info, alpha, warm) = self.criteria(x, y)?;
        let model = ElasticNet::params()
            .alpha(alpha)
            .l1_ratio(self.l1_ratio)
            .fit_intercept(self.fit_intercept)
            .tol(self.tol)
            .kkt_tol_opt(self.kkt_tol)
            .max_iter(self.max_iter)
            .warm_start(warm)
            .fit(x, y)?;
        Ok(ElasticNetIc {
            info,
            criterion: self.criterion,
            l1_ratio: self.l1_ratio,
            model,
        })
    }

    /// Checks and computes the criteria; returns them, the selected alpha and the path's
    /// coefficients there (the refit's warm start).
    fn criteria<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<(InfoCriteria<T>, T, Vec<T>)> {
        self.check()?;
        let settings = settings_of!(self, false, Default::default());
        let noise = self
            .noise_variance
            .map_or(NoiseVariance::Estimate, NoiseVariance::Given);
        let info = proxreg_cv::information_criteria(x, y, self.l1_ratio, &settings, noise)?;
        let i = index_of(&info, self.criterion);
        let warm = info
            .coefs
            .get(i)
            .cloned()
            .ok_or(Error::Empty { what: "alphas" })?;
        let alpha = info.alphas[i];
        Ok((info, alpha, warm))
    }
}

/// Unchecked information-criterion Lasso hyper-parameters: the table of
/// [`ElasticNetIcParams`] without `l1_ratio` (ρ = 1; `df` = number of non-zero coefficients,
/// scikit-learn's `LassoLarsIC`).
#[derive(Debug, Clone, PartialEq)]
pub struct LassoIcParams<T>(ElasticNetIcParams<T>);

/// A fitted information-criterion Lasso (scikit-learn's `LassoLarsIC` on a log grid of alphas
/// instead of the LARS kinks): AIC and BIC along the path, the selected alpha, and the
/// [`Lasso`] refitted there with its certificates.
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(80, 6, |i, j| (((i + 1) * (j + 2) * 7) % 17) as f64 + j as f64);
/// let y: Vec<f64> = (0..80).map(|i| 3.0 * x.col(1)[i] - x.col(4)[i] + (i % 5) as f64).collect();
/// let ic = LassoIc::params().criterion(Criterion::Bic).n_alphas(40).fit(&x, &y)?;
/// assert!(ic.noise_variance() > 0.0);
/// assert_eq!(ic.dof()[0], 0.0); // alpha_max: nothing selected
/// assert!(ic.model().support().contains(&1));
/// println!("BIC picks alpha = {} ({} features)", ic.alpha(), ic.model().support().len());
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LassoIc<T> {
    info: InfoCriteria<T>,
    criterion: Criterion,
    model: Lasso<T>,
}

impl<T: Scalar> LassoIc<T> {
    /// The builder, with the defaults of [`ElasticNetIcParams`] and ρ = 1.
    pub fn params() -> LassoIcParams<T> {
        LassoIcParams(ElasticNetIc::params().l1_ratio(T::one()))
    }
    ic_accessors!(LassoIc);
    /// Always 1.
    pub fn l1_ratio(&self) -> T {
        T::one()
    }
    /// The Lasso refitted at the selected alpha.
    pub fn model(&self) -> &Lasso<T> {
        &self.model
    }
    /// The refitted model, by value.
    pub fn into_model(self) -> Lasso<T> {
        self.model
    }
}

impl<T: Scalar> LassoIcParams<T> {
    ic_setters!(.0);

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// As [`ElasticNetIcParams::check`].
    pub fn check(&self) -> Result<()> {
        self.0.check()
    }

    /// Validates, fits the path, computes AIC and BIC, selects, and refits.
    ///
    /// # Errors
    /// As [`ElasticNetIcParams::fit`].
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<LassoIc<T>> {
        let p = &self.0;
        let (info, alpha, warm) = p.criteria(x, y)?;
        let model = Lasso::params()
            .alpha(alpha)
            .fit_intercept(p.fit_intercept)
            .tol(p.tol)
            .kkt_tol_opt(p.kkt_tol)
            .max_iter(p.max_iter)
            .warm_start(warm)
            .fit(x, y)?;
        Ok(LassoIc {
            info,
            criterion: p.criterion,
            model,
        })
    }
}

/// Unchecked stability-selection hyper-parameters (builder).
///
/// | name | default | purpose | range |
/// | --- | --- | --- | --- |
/// | `l1_ratio` | 1 (Lasso) | ρ of the Elastic Net penalty | `(0, 1]` (0 needs `alphas`) |
/// | `n_pairs` | 50 | complementary pairs `B`: `2B` half-sample fits of the path | `>= 1` |
/// | `seed` | 0 | seed of the pairs (and of the randomized factors) | |
/// | `threshold` | 0.6 | `π`: a feature is selected if its probability reaches `π` at one alpha | `(0.5, 1]` |
/// | `weakness` | none | randomized penalty: factors `1/W_j`, `W_j ~ U[weakness, 1]` per half | `(0, 1]` |
/// | `n_alphas`, `eps`, `alphas` | 100, 1e-3, automatic | the region of alphas (grid from the full data) | as [`ElasticNetIcParams`] |
/// | `fit_intercept` | true | unpenalised intercept | |
/// | `standardize` | false | unit-variance columns in each half | |
/// | `tol`, `kkt_tol`, `max_iter` | 1e-4, `tol`, 10000 | stopping rule of every fit | as [`ElasticNetIcParams`] |
///
/// The error-control bound `E[V] <= q²/((2π − 1)p)` holds for the stable set over the region
/// of alphas fitted, with `q` the average number of features a half-sample fit selects at one
/// alpha of that region at least: a grid running down to tiny alphas selects every feature
/// (`q = p`, a useless bound). Narrow the region (a larger `eps`, or given `alphas`) to make
/// `q` — and the bound — small.
#[derive(Debug, Clone, PartialEq)]
pub struct StabilitySelectionParams<T> {
    l1_ratio: T,
    n_pairs: usize,
    seed: u64,
    threshold: T,
    weakness: Option<T>,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    fit_intercept: bool,
    standardize: bool,
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
}

/// Fitted stability selection: the selection probability of every feature along the path, the
/// selected (stable) set at threshold `π`, `q` and the bound on the expected number of false
/// selections.
///
/// ```
/// use proxreg::prelude::*;
/// let x = ColMajor::from_fn(60, 6, |i, j| (((i + 3) * (j + 5) * 7 + i * i) % 19) as f64);
/// let y: Vec<f64> = (0..60).map(|i| 3.0 * x.col(0)[i] - 2.0 * x.col(3)[i] + (i % 4) as f64).collect();
/// let st = StabilitySelection::params()
///     .n_pairs(10)
///     .threshold(0.8)
///     .eps(0.1)
///     .n_alphas(20)
///     .seed(1)
///     .fit(&x, &y)?;
/// assert_eq!(st.n_subsamples(), 20);
/// assert!(st.selected().contains(&0) && st.selected().contains(&3));
/// println!("q = {}, E[false selections] <= {}", st.mean_selected(), st.error_bound());
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StabilitySelection<T> {
    path: StabilityPath<T>,
    threshold: T,
    l1_ratio: T,
    weakness: Option<T>,
    selected: Vec<usize>,
    bound: T,
}

impl<T: Scalar> StabilitySelection<T> {
    /// The builder, with the defaults of [`StabilitySelectionParams`].
    pub fn params() -> StabilitySelectionParams<T> {
        StabilitySelectionParams {
            l1_ratio: T::one(),
            n_pairs: 50,
            seed: 0,
            threshold: T::lit(0.6),
            weakness: None,
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            fit_intercept: true,
            standardize: false,
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 10_000,
        }
    }
    /// The alphas (decreasing).
    pub fn alphas(&self) -> &[T] {
        &self.path.alphas
    }
    /// `probabilities()[a][j]`: the fraction of half-sample fits at `alphas()[a]` with
    /// `w_j ≠ 0`.
    pub fn probabilities(&self) -> &[Vec<T>] {
        &self.path.probabilities
    }
    /// Per feature, the largest selection probability over the path.
    pub fn max_probabilities(&self) -> Vec<T> {
        self.path.max_probabilities()
    }
    /// The selected (stable) features, increasing: maximal probability `>= threshold`.
    pub fn selected(&self) -> &[usize] {
        &self.selected
    }
    /// The threshold `π`.
    pub fn threshold(&self) -> T {
        self.threshold
    }
    /// The `l1_ratio` of the penalty.
    pub fn l1_ratio(&self) -> T {
        self.l1_ratio
    }
    /// The weakness of the randomized penalty, if any.
    pub fn weakness(&self) -> Option<T> {
        self.weakness
    }
    /// `q`: the average number of features a half-sample fit selects at one alpha of the path
    /// at least.
    pub fn mean_selected(&self) -> T {
        self.path.mean_selected()
    }
    /// The bound on the expected number of falsely selected features, `q²/((2π − 1)p)`.
    pub fn error_bound(&self) -> T {
        self.bound
    }
    /// Number of half-sample fits (`2·n_pairs`).
    pub fn n_subsamples(&self) -> usize {
        self.path.n_subsamples
    }
    /// Half-sample fits (alpha points) that did not reach the tolerance.
    pub fn n_not_converged(&self) -> usize {
        self.path.n_not_converged
    }
    /// Everything computed (per-half selected counts and penalty factors included).
    pub fn path(&self) -> &StabilityPath<T> {
        &self.path
    }
}

impl<T: Scalar> StabilitySelectionParams<T> {
    grid_setters!();
    /// ρ of the Elastic Net penalty (default 1: the Lasso).
    #[must_use]
    pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
        self.l1_ratio = l1_ratio;
        self
    }
    /// Number of complementary pairs `B` (default 50).
    #[must_use]
    pub fn n_pairs(mut self, n_pairs: usize) -> Self {
        self.n_pairs = n_pairs;
        self
    }
    /// Seed of the pairs and of the randomized factors (default 0).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// The threshold `π` in `(0.5, 1]` (default 0.6).
    #[must_use]
    pub fn threshold(mut self, threshold: T) -> Self {
        self.threshold = threshold;
        self
    }
    /// Randomize the penalty (Meinshausen & Bühlmann's randomized lasso): each half-sample fit
    /// divides the penalty of feature `j` by `W_j`, drawn uniformly from `[weakness, 1]`.
    #[must_use]
    pub fn weakness(mut self, weakness: T) -> Self {
        self.weakness = Some(weakness);
        self
    }
    /// Standardize the columns of each half (default `false`).
    #[must_use]
    pub fn standardize(mut self, yes: bool) -> Self {
        self.standardize = yes;
        self
    }

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter.
    pub fn check(&self) -> Result<()> {
        penalty::ElasticNet::new(self.l1_ratio)?;
        if self.n_pairs == 0 {
            return Err(Error::InvalidParameter {
                name: "n_pairs",
                value: 0.0,
                expected: ">= 1",
            });
        }
        proxreg_cv::check_threshold(self.threshold)?;
        if let Some(w) = self.weakness {
            proxreg_cv::randomized_factors(0, w, 0, 0)?;
        }
        check_grid_of!(self)
    }

    /// Validates, fits the path on every half-sample, and selects.
    ///
    /// # Errors
    /// As [`StabilitySelectionParams::check`]; shapes and NaN in the data;
    /// [`Error::InvalidParameter`] naming `n_samples` for fewer than 4 samples;
    /// [`Error::Unsupported`] for `l1_ratio = 0` with the automatic grid.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<StabilitySelection<T>> {
        self.check()?;
        let settings = settings_of!(self, self.standardize, Default::default());
        let pen = penalty::ElasticNet::new(self.l1_ratio)?;
        let path = match self.weakness {
            Some(w) => proxreg_cv::randomized_stability_selection(
                x,
                y,
                &pen,
                &settings,
                self.n_pairs,
                self.seed,
                w,
            )?,
            None => {
                proxreg_cv::stability_selection(x, y, &pen, &settings, self.n_pairs, self.seed)?
            }
        };
        self.finish(path)
    }

    /// Stability selection for **logistic regression** (binomial, any two labels): every
    /// half-sample fits the L1 / Elastic-Net logistic path with proximal Newton
    /// ([`ProxNewton::path`](proxreg_solvers::ProxNewton::path)) on the grid from the full
    /// data's logistic `alpha_max` (or the given `alphas`); the other parameters as
    /// [`fit`](Self::fit) (randomized penalty, standardization, intercept, stopping rule).
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// let x = ColMajor::from_fn(120, 6, |i, j| ((((i + 3) * (j + 5) * 7 + i * i) % 19) as f64 - 9.0) / 5.0);
    /// let y: Vec<f64> = (0..120)
    ///     .map(|i| f64::from(u8::from(2.0 * x.col(0)[i] - 1.5 * x.col(3)[i] + 0.2 * ((i % 5) as f64 - 2.0) > 0.0)))
    ///     .collect();
    /// let st = StabilitySelection::params()
    ///     .n_pairs(10)
    ///     .threshold(0.8)
    ///     .eps(0.2)
    ///     .n_alphas(10)
    ///     .fit_logistic(&x, &y)?;
    /// assert!(st.selected().contains(&0) && st.selected().contains(&3));
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit`](Self::fit); [`Error::InvalidTarget`] when `y` is not two classes, or a
    /// half-sample holds one class only.
    pub fn fit_logistic<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<StabilitySelection<T>> {
        use proxreg_core::datafit::Logistic;
        self.check()?;
        let (_, enc) = super::logistic::encode_binary(y)?;
        let base = super::logistic::LogisticRegression::params()
            .l1_ratio(self.l1_ratio)
            .fit_intercept(self.fit_intercept)
            .standardize(self.standardize);
        let alphas = super::logistic_cv::logistic_grid(
            &base,
            self.alphas.as_deref(),
            self.n_alphas,
            self.eps,
            (x, y, None),
        )?;
        let mut solver = proxreg_solvers::ProxNewton::new()
            .tol(self.tol)
            .max_iter(self.max_iter);
        if let Some(k) = self.kkt_tol {
            solver = solver.kkt_tol(k);
        }
        let pen = penalty::ElasticNet::new(self.l1_ratio)?;
        let p = x.ncols();
        let mut factors = Vec::new();
        let mut path = proxreg_cv::stability_selection_with(
            x,
            &enc,
            alphas,
            self.n_pairs,
            self.seed,
            |k, xs, ys, alphas| match self.weakness {
                Some(w) => {
                    let f = proxreg_cv::randomized_factors(p, w, self.seed, k)?;
                    let wp = penalty::Weighted::new(pen, f.clone())?;
                    factors.push(f);
                    let pb = proxreg_solvers::Problem::new(xs, ys, &wp, T::zero())
                        .fit_intercept(self.fit_intercept)
                        .standardize(self.standardize)
                        .datafit(Logistic);
                    solver.path(&pb, alphas)
                }
                None => {
                    let pb = proxreg_solvers::Problem::new(xs, ys, &pen, T::zero())
                        .fit_intercept(self.fit_intercept)
                        .standardize(self.standardize)
                        .datafit(Logistic);
                    solver.path(&pb, alphas)
                }
            },
        )?;
        if self.weakness.is_some() {
            path.penalty_factors = Some(factors);
        }
        self.finish(path)
    }

    fn finish(&self, path: StabilityPath<T>) -> Result<StabilitySelection<T>> {
        let bound = path.error_bound(self.threshold)?;
        Ok(StabilitySelection {
            selected: path.stable_set(self.threshold),
            path,
            threshold: self.threshold,
            l1_ratio: self.l1_ratio,
            weakness: self.weakness,
            bound,
        })
    }
}
