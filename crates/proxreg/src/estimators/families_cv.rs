//! Cross-validated Poisson and Huber regression (glmnet's `cv.glmnet(family = "poisson")`,
//! with `lambda.min` / `lambda.1se`).

use proxreg_core::datafit::{Datafit, Huber, Poisson};
use proxreg_core::{Error, Result, Scalar};
use proxreg_cv::{CvPath, Folds, KFold};
use proxreg_linalg::DesignMatrix;

use super::cv::{check_grid, select_over_ratios, CvSplit, Selection};
use super::families::{
    HuberRegression, HuberRegressionParams, PoissonRegression, PoissonRegressionParams,
};
use super::linear::common_setters;
use super::options::{Options, SolverChoice};

/// The held-out measure of a regression family's cross-validation (sample-weighted means over
/// a fold's test rows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegressionMeasure {
    /// The mean deviance `2·Σ s_i·(ℓ(y_i, η_i) − min_η ℓ(y_i, η))/Σ s_i`: the Poisson deviance
    /// (glmnet's `type.measure = "deviance"`, the default), twice the mean Huber loss.
    #[default]
    Deviance,
    /// The mean squared error of the mean response `μ` (Poisson: the expected count).
    MeanSquaredError,
    /// The mean absolute error of `μ` (glmnet's `"mae"`).
    MeanAbsoluteError,
}

impl RegressionMeasure {
    /// The measure of the linear predictors `eta` against `y` for the datafit `f` (weights
    /// `s`, `None`: equal).
    pub fn eval<T: Scalar, F: Datafit<T> + ?Sized>(
        self,
        f: &F,
        y: &[T],
        eta: &[T],
        s: Option<&[T]>,
    ) -> T {
        let w = |i: usize| s.map_or(T::one(), |s| s[i]);
        let (mut num, mut den) = (T::zero(), T::zero());
        for i in 0..y.len() {
            let e = match self {
                Self::Deviance => T::lit(2.0) * (f.loss(y[i], eta[i]) - f.saturated(y[i])),
                Self::MeanSquaredError => {
                    let r = y[i] - f.mean(eta[i]);
                    r * r
                }
                Self::MeanAbsoluteError => (y[i] - f.mean(eta[i])).abs(),
            };
            if w(i) > T::zero() {
                num += w(i) * e;
            }
            den += w(i);
        }
        if den > T::zero() {
            num / den
        } else {
            T::zero()
        }
    }

    /// A short name (`"deviance"`, `"mse"`, `"mae"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Deviance => "deviance",
            Self::MeanSquaredError => "mse",
            Self::MeanAbsoluteError => "mae",
        }
    }
}

/// The grid and fold settings shared by the family CV estimators.
#[derive(Debug, Clone, PartialEq)]
struct CvCfg<T> {
    l1_ratio: T,
    l1_ratios: Option<Vec<T>>,
    n_alphas: usize,
    eps: T,
    alphas: Option<Vec<T>>,
    cv: CvSplit,
    measure: RegressionMeasure,
    selection: Selection,
    parallel: bool,
}

impl<T: Scalar> CvCfg<T> {
    fn new() -> Self {
        Self {
            l1_ratio: T::one(),
            l1_ratios: None,
            n_alphas: 100,
            eps: T::lit(1e-3),
            alphas: None,
            cv: CvSplit::KFold(KFold::new(10)),
            measure: RegressionMeasure::Deviance,
            selection: Selection::Min,
            parallel: true,
        }
    }
    fn ratios(&self) -> Vec<T> {
        self.l1_ratios
            .clone()
            .unwrap_or_else(|| vec![self.l1_ratio])
    }
    fn check(&self, opts: &Options<T>) -> Result<()> {
        if self.l1_ratios.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::Empty { what: "l1_ratios" });
        }
        check_grid(
            self.n_alphas,
            self.eps,
            self.alphas.as_deref(),
            opts.tol,
            opts.kkt_tol,
            opts.max_iter,
        )
    }
}

/// The cross-validation results shared by the family CV estimators.
#[derive(Debug, Clone, PartialEq)]
struct CvOut<T> {
    paths: Vec<CvPath<T>>,
    l1_ratios: Vec<T>,
    best: usize,
    min_ratio: usize,
    index: usize,
    selection: Selection,
    measure: RegressionMeasure,
    fold_max_gaps: Vec<Option<T>>,
}

/// What a family CV needs from its single-fit estimator: the path on some rows, the linear
/// predictor of a solution, the `alpha_max`.
trait FamilyFit<T: Scalar>: Sync {
    type D: Datafit<T>;
    fn datafit(&self) -> Result<Self::D>;
    fn at(&self, alpha: T, l1_ratio: T) -> Self;
    /// `(coef, intercept, converged, relative gap)` per alpha.
    #[allow(clippy::type_complexity)]
    fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
        o: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<(Vec<T>, T, bool, Option<T>)>>;
    fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
        o: Option<&[T]>,
    ) -> Result<T>;
}

fn unpack<T: Scalar>(m: &super::model::LinearModel<T>) -> (Vec<T>, T, bool, Option<T>) {
    (
        m.coef().to_vec(),
        m.intercept(),
        m.status() == super::model::Status::Converged,
        m.report().relative_gap,
    )
}

impl<T: Scalar> FamilyFit<T> for PoissonRegressionParams<T> {
    type D = Poisson;
    fn datafit(&self) -> Result<Poisson> {
        Ok(Poisson)
    }
    fn at(&self, alpha: T, l1_ratio: T) -> Self {
        self.clone().alpha(alpha).l1_ratio(l1_ratio)
    }
    fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
        o: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<(Vec<T>, T, bool, Option<T>)>> {
        Ok(PoissonRegressionParams::path(self, x, y, w, o, alphas)?
            .iter()
            .map(|m| unpack(&m.model))
            .collect())
    }
    fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
        o: Option<&[T]>,
    ) -> Result<T> {
        PoissonRegressionParams::alpha_max(self, x, y, w, o)
    }
}

impl<T: Scalar> FamilyFit<T> for HuberRegressionParams<T> {
    type D = Huber<T>;
    fn datafit(&self) -> Result<Huber<T>> {
        self.check()
    }
    fn at(&self, alpha: T, l1_ratio: T) -> Self {
        self.clone().alpha(alpha).l1_ratio(l1_ratio)
    }
    fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
        _o: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<(Vec<T>, T, bool, Option<T>)>> {
        Ok(HuberRegressionParams::path(self, x, y, w, alphas)?
            .iter()
            .map(|m| unpack(&m.model))
            .collect())
    }
    fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
        _o: Option<&[T]>,
    ) -> Result<T> {
        HuberRegressionParams::alpha_max(self, x, y, w)
    }
}

/// Cross-validates `base` over the grid of `cfg`: one [`CvPath`] per `l1_ratio`, the
/// selection; the caller refits.
fn cross_validate<T, X, B>(
    cfg: &CvCfg<T>,
    base: &B,
    x: &X,
    y: &[T],
    w: Option<&[T]>,
    o: Option<&[T]>,
) -> Result<CvOut<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + Sync + ?Sized,
    B: FamilyFit<T>,
{
    let n = x.nrows();
    for (what, v) in [
        ("y length vs X rows", Some(y)),
        ("sample_weight length vs X rows", w),
        ("offset length vs X rows", o),
    ] {
        if let Some(v) = v {
            if v.len() != n {
                return Err(Error::DimensionMismatch {
                    what,
                    expected: n,
                    found: v.len(),
                });
            }
        }
    }
    let folds = cfg.cv.folds_for::<T>(n, None)?;
    let ratios = cfg.ratios();
    let mut paths = Vec::with_capacity(ratios.len());
    let mut fold_max_gaps: Vec<Option<T>> = vec![Some(T::zero()); folds.n_folds()];
    for &ratio in &ratios {
        let at = base.at(T::one(), ratio);
        let alphas = match cfg.alphas.as_deref() {
            Some(a) => {
                let mut a = a.to_vec();
                a.sort_by(|u, v| v.partial_cmp(u).unwrap_or(core::cmp::Ordering::Equal));
                a
            }
            None => {
                let amax = at.alpha_max(x, y, w, o)?;
                proxreg_solvers::alpha_grid(amax, cfg.n_alphas, cfg.eps)?
            }
        };
        let job = FoldJob {
            cfg,
            base: &at,
            x,
            y,
            w,
            o,
            folds: &folds,
            alphas: &alphas,
        };
        let outs = job.run_all()?;
        let fold_errors: Vec<Vec<T>> = outs.iter().map(|f| f.errors.clone()).collect();
        let n_not_converged = outs.iter().map(|f| f.not_converged).sum();
        for (g, f) in fold_max_gaps.iter_mut().zip(&outs) {
            *g = match (*g, f.max_gap) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
        paths.push(CvPath::from_fold_errors(
            alphas,
            &fold_errors,
            n_not_converged,
        )?);
    }
    let (best, index, min_ratio) = select_over_ratios(&paths, &ratios, cfg.selection);
    Ok(CvOut {
        paths,
        l1_ratios: ratios,
        best,
        min_ratio,
        index,
        selection: cfg.selection,
        measure: cfg.measure,
        fold_max_gaps,
    })
}

struct FoldOut<T> {
    errors: Vec<T>,
    not_converged: usize,
    max_gap: Option<T>,
}

struct FoldJob<'a, T, X: ?Sized, B> {
    cfg: &'a CvCfg<T>,
    base: &'a B,
    x: &'a X,
    y: &'a [T],
    w: Option<&'a [T]>,
    o: Option<&'a [T]>,
    folds: &'a Folds,
    alphas: &'a [T],
}

impl<T: Scalar, X: DesignMatrix<T> + Sync + ?Sized, B: FamilyFit<T>> FoldJob<'_, T, X, B> {
    /// Every fold in fold order (in parallel when asked): the same bits for any thread count.
    fn run_all(&self) -> Result<Vec<FoldOut<T>>> {
        let k = self.folds.n_folds();
        #[cfg(feature = "rayon")]
        if self.cfg.parallel {
            use rayon::prelude::*;
            let outs: Vec<Result<FoldOut<T>>> =
                (0..k).into_par_iter().map(|f| self.run(f)).collect();
            return outs.into_iter().collect();
        }
        (0..k).map(|f| self.run(f)).collect()
    }

    fn run(&self, k: usize) -> Result<FoldOut<T>> {
        let (train, test) = (self.folds.train(k), self.folds.test(k));
        let pick = |v: &[T], rows: &[usize]| rows.iter().map(|&i| v[i]).collect::<Vec<T>>();
        let (y_train, y_test) = (pick(self.y, &train), pick(self.y, test));
        let w_train = self.w.map(|s| pick(s, &train));
        let w_test = self.w.map(|s| pick(s, test));
        let o_train = self.o.map(|s| pick(s, &train));
        let o_test = self.o.map(|s| pick(s, test));
        let x_train = self.x.select_rows(&train)?;
        let path = self.base.path(
            &x_train,
            &y_train,
            w_train.as_deref(),
            o_train.as_deref(),
            self.alphas,
        )?;
        let x_test = self.x.select_rows(test)?;
        let f = self.base.datafit()?;
        let mut eta = vec![T::zero(); test.len()];
        let mut errors = Vec::with_capacity(path.len());
        let mut max_gap = Some(T::zero());
        let mut not_converged = 0;
        for (coef, b, converged, gap) in &path {
            x_test.gemv(T::one(), coef, T::zero(), &mut eta);
            for (i, e) in eta.iter_mut().enumerate() {
                *e += *b + o_test.as_ref().map_or(T::zero(), |o| o[i]);
            }
            errors.push(self.cfg.measure.eval(&f, &y_test, &eta, w_test.as_deref()));
            not_converged += usize::from(!converged);
            max_gap = match (max_gap, *gap) {
                (Some(a), Some(g)) => Some(a.max(g)),
                _ => None,
            };
        }
        Ok(FoldOut {
            errors,
            not_converged,
            max_gap,
        })
    }
}

/// The grid / fold setters shared by the family CV estimators.
macro_rules! cv_setters {
    () => {
        /// The mix ρ of the one `l1_ratio` cross-validated (default 1, the lasso).
        #[must_use]
        pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
            self.cfg.l1_ratio = l1_ratio;
            self
        }
        /// A grid of mixes ρ: one cross-validation each, the best pair selected.
        #[must_use]
        pub fn l1_ratios(mut self, l1_ratios: Vec<T>) -> Self {
            self.cfg.l1_ratios = Some(l1_ratios);
            self
        }
        /// Number of alphas of the automatic grid (default 100).
        #[must_use]
        pub fn n_alphas(mut self, n: usize) -> Self {
            self.cfg.n_alphas = n;
            self
        }
        /// The automatic grid ends at `eps·alpha_max` (default 1e-3).
        #[must_use]
        pub fn eps(mut self, eps: T) -> Self {
            self.cfg.eps = eps;
            self
        }
        /// Explicit alphas (sorted decreasing) instead of the automatic grid.
        #[must_use]
        pub fn alphas(mut self, alphas: Vec<T>) -> Self {
            self.cfg.alphas = Some(alphas);
            self
        }
        /// K-fold splitting (default `KFold::new(10)`, glmnet's `nfolds`).
        #[must_use]
        pub fn cv(mut self, kfold: KFold) -> Self {
            self.cfg.cv = CvSplit::KFold(kfold);
            self
        }
        /// User fold ids, one per sample, `0..K` (glmnet's `foldid`).
        #[must_use]
        pub fn fold_ids(mut self, ids: Vec<usize>) -> Self {
            self.cfg.cv = CvSplit::FoldIds(ids);
            self
        }
        /// The held-out measure (default [`RegressionMeasure::Deviance`]).
        #[must_use]
        pub fn measure(mut self, measure: RegressionMeasure) -> Self {
            self.cfg.measure = measure;
            self
        }
        /// `alpha_min` (default) or `alpha_1se`.
        #[must_use]
        pub fn selection(mut self, selection: Selection) -> Self {
            self.cfg.selection = selection;
            self
        }
        /// Fit the folds in parallel (default `true`; needs the `rayon` feature); bitwise
        /// identical results either way.
        #[must_use]
        pub fn parallel(mut self, yes: bool) -> Self {
            self.cfg.parallel = yes;
            self
        }
    };
}

/// The accessors shared by the family CV estimators.
macro_rules! cv_accessors {
    ($model:ident) => {
        /// The selected alpha (`alpha_min` or `alpha_1se` by the selection).
        pub fn alpha(&self) -> T {
            self.out.paths[self.out.best].alphas[self.out.index]
        }
        /// The selected alpha's index in [`alphas`](Self::alphas).
        pub fn index(&self) -> usize {
            self.out.index
        }
        /// The alpha of minimal mean held-out error (glmnet's `lambda.min`) on the selected
        /// `l1_ratio`.
        pub fn alpha_min(&self) -> T {
            self.path().alphas[self.path().index_min]
        }
        /// The largest alpha within one standard error of the minimum (glmnet's
        /// `lambda.1se`) on the selected `l1_ratio`.
        pub fn alpha_1se(&self) -> T {
            self.path().alphas[self.path().index_1se]
        }
        /// The index of `alpha_min`.
        pub fn index_min(&self) -> usize {
            self.path().index_min
        }
        /// The index of `alpha_1se`.
        pub fn index_1se(&self) -> usize {
            self.path().index_1se
        }
        /// The selected `l1_ratio`.
        pub fn l1_ratio(&self) -> T {
            self.out.l1_ratios[self.out.best]
        }
        /// The cross-validated `l1_ratio`s.
        pub fn l1_ratios(&self) -> &[T] {
            &self.out.l1_ratios
        }
        /// One cross-validation per `l1_ratio`.
        pub fn paths(&self) -> &[CvPath<T>] {
            &self.out.paths
        }
        /// The selected `l1_ratio`'s cross-validation.
        pub fn path(&self) -> &CvPath<T> {
            &self.out.paths[self.out.best]
        }
        /// Its alphas, decreasing.
        pub fn alphas(&self) -> &[T] {
            &self.path().alphas
        }
        /// Its held-out errors, `[alpha][fold]`.
        pub fn cv_errors(&self) -> &[Vec<T>] {
            &self.path().mse
        }
        /// Its mean held-out error per alpha.
        pub fn cv_mean(&self) -> &[T] {
            &self.path().mean
        }
        /// Its standard error of the mean per alpha.
        pub fn cv_std_err(&self) -> &[T] {
            &self.path().std_err
        }
        /// The selection rule.
        pub fn selection(&self) -> Selection {
            self.out.selection
        }
        /// The held-out measure.
        pub fn measure(&self) -> RegressionMeasure {
            self.out.measure
        }
        /// The largest relative duality gap over every fold's path (`None` if one had none).
        pub fn max_relative_gap(&self) -> Option<T> {
            self.out
                .fold_max_gaps
                .iter()
                .try_fold(T::zero(), |m, g| g.map(|g| m.max(g)))
        }
        /// Per fold, its path's largest relative gap.
        pub fn fold_max_relative_gaps(&self) -> &[Option<T>] {
            &self.out.fold_max_gaps
        }
        /// Fold fits (over every `l1_ratio`) that did not converge.
        pub fn n_not_converged(&self) -> usize {
            self.out.paths.iter().map(|p| p.n_not_converged).sum()
        }
        /// The selected alpha is the first or last of its grid (the grid may be too short).
        pub fn on_grid_edge(&self) -> bool {
            self.out.index == 0 || self.out.index + 1 == self.alphas().len()
        }
        /// The model refitted on all the data at the selection.
        pub fn model(&self) -> &$model<T> {
            &self.model
        }
        /// The refitted model, owned.
        pub fn into_model(self) -> $model<T> {
            self.model
        }
        /// The refit's coefficients.
        pub fn coef(&self) -> &[T] {
            self.model.coef()
        }
        /// The refit's intercept.
        pub fn intercept(&self) -> T {
            self.model.intercept()
        }
    };
}

/// Cross-validated penalised Poisson regression: the K-fold curve of a
/// [`RegressionMeasure`] (default: the Poisson deviance) along an alpha grid (from
/// `alpha_max`, warm-started paths per fold), `alpha_min` / `alpha_1se`, the folds'
/// certificates, and the [`PoissonRegression`] refitted on all the data. Offsets (log
/// exposures) and weights follow their rows into the folds.
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{PoissonRegressionCv, RegressionMeasure};
/// let x = ColMajor::from_fn(90, 4, |i, j| (((i * (j + 3) + 5 * j) % 13) as f64 - 6.0) / 4.0);
/// let y: Vec<f64> = (0..90).map(|i| ((x.col(0)[i] + 1.5).max(0.0) + ((i * 7) % 3) as f64).round()).collect();
/// let cv = PoissonRegressionCv::params()
///     .n_alphas(20)
///     .cv(KFold::new(5).shuffle(Some(1)))
///     .tol(1e-8)
///     .fit(&x, &y)?;
/// assert_eq!(cv.cv_errors()[0].len(), 5); // [alpha][fold]
/// assert!(cv.alpha_1se() >= cv.alpha_min());
/// assert_eq!(cv.measure(), RegressionMeasure::Deviance);
/// assert!(cv.max_relative_gap().unwrap() <= 1e-8);
/// assert!(cv.model().predict(&x)?.iter().all(|&m| m > 0.0));
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PoissonRegressionCv<T> {
    out: CvOut<T>,
    model: PoissonRegression<T>,
}

/// Unchecked [`PoissonRegressionCv`] hyper-parameters: the grid (`n_alphas` 100, `eps` 1e-3 or
/// `alphas`), the folds (`KFold::new(10)` or `fold_ids`), the measure, the selection,
/// `parallel`, `l1_ratio(s)`, and every option of [`PoissonRegressionParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct PoissonRegressionCvParams<T> {
    cfg: CvCfg<T>,
    opts: Options<T>,
}

impl<T: Scalar> PoissonRegressionCv<T> {
    /// The builder.
    pub fn params() -> PoissonRegressionCvParams<T> {
        PoissonRegressionCvParams {
            cfg: CvCfg::new(),
            opts: Options {
                max_iter: 200,
                ..Options::default()
            },
        }
    }
    cv_accessors!(PoissonRegression);
}

impl<T: Scalar> PoissonRegressionCvParams<T> {
    cv_setters!();
    common_setters!();

    fn base(&self, alpha: T, l1_ratio: T) -> PoissonRegressionParams<T> {
        PoissonRegressionParams::from_parts(alpha, l1_ratio, self.opts.clone())
    }

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] / [`Error::Empty`] naming the first bad parameter;
    /// [`Error::Unsupported`] for a solver other than `Auto` / `ProxNewton`.
    pub fn check(&self) -> Result<()> {
        for r in self.cfg.ratios() {
            self.base(T::one(), r).check()?;
        }
        self.cfg.check(&self.opts)
    }

    /// Cross-validates, selects and refits on `(x, y)`.
    ///
    /// # Errors
    /// As [`check`](Self::check); bad folds; shapes and NaN in the data; negative counts, or a
    /// training fold whose counts are all zero ([`Error::InvalidTarget`]).
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<PoissonRegressionCv<T>> {
        self.fit_offset(x, y, None, None)
    }

    /// As [`fit`](Self::fit) with optional sample weights and offset (both split with their
    /// rows: a fold's fit uses its training rows', its measure its test rows').
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights or offset.
    pub fn fit_offset<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
    ) -> Result<PoissonRegressionCv<T>> {
        self.check()?;
        let out = cross_validate(
            &self.cfg,
            &self.base(T::one(), self.cfg.l1_ratio),
            x,
            y,
            sample_weight,
            offset,
        )?;
        let refit = self.base(
            out.paths[out.best].alphas[out.index],
            out.l1_ratios[out.best],
        );
        let model = refit.fit_offset(x, y, sample_weight, offset)?;
        Ok(PoissonRegressionCv { out, model })
    }
}

/// Cross-validated penalised Huber regression: as [`PoissonRegressionCv`] with the Huber
/// datafit (default measure: the deviance, twice the mean held-out Huber loss; the mean
/// absolute error is the usual robust alternative).
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::{HuberRegressionCv, RegressionMeasure};
/// let x = ColMajor::from_fn(80, 3, |i, j| ((i * (j + 2)) % 9) as f64 - 4.0);
/// let mut y: Vec<f64> = (0..80).map(|i| x.col(0)[i] - 0.5 * x.col(2)[i] + ((i * 3) % 5) as f64 / 5.0).collect();
/// y[11] += 500.0;
/// let cv = HuberRegressionCv::params()
///     .delta(1.0)
///     .n_alphas(15)
///     .measure(RegressionMeasure::MeanAbsoluteError)
///     .cv(KFold::new(4))
///     .fit(&x, &y)?;
/// assert!((cv.coef()[0] - 1.0).abs() < 0.2);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct HuberRegressionCv<T> {
    out: CvOut<T>,
    model: HuberRegression<T>,
}

/// Unchecked [`HuberRegressionCv`] hyper-parameters: as [`PoissonRegressionCvParams`] plus
/// `delta` (default 1.35); `solver` may also be `CoordinateDescent`.
#[derive(Debug, Clone, PartialEq)]
pub struct HuberRegressionCvParams<T> {
    cfg: CvCfg<T>,
    opts: Options<T>,
    delta: T,
}

impl<T: Scalar> HuberRegressionCv<T> {
    /// The builder.
    pub fn params() -> HuberRegressionCvParams<T> {
        HuberRegressionCvParams {
            cfg: CvCfg::new(),
            opts: Options {
                max_iter: 200,
                ..Options::default()
            },
            delta: T::lit(1.35),
        }
    }
    cv_accessors!(HuberRegression);
}

impl<T: Scalar> HuberRegressionCvParams<T> {
    cv_setters!();
    common_setters!();

    /// The Huber threshold δ > 0.
    #[must_use]
    pub fn delta(mut self, delta: T) -> Self {
        self.delta = delta;
        self
    }

    fn base(&self, alpha: T, l1_ratio: T) -> HuberRegressionParams<T> {
        HuberRegressionParams::from_parts(alpha, l1_ratio, self.opts.clone(), self.delta)
    }

    /// Validates the parameters that do not depend on the data.
    ///
    /// # Errors
    /// As [`PoissonRegressionCvParams::check`], plus `delta`.
    pub fn check(&self) -> Result<()> {
        for r in self.cfg.ratios() {
            self.base(T::one(), r).check()?;
        }
        self.cfg.check(&self.opts)
    }

    /// Cross-validates, selects and refits on `(x, y)`.
    ///
    /// # Errors
    /// As [`check`](Self::check); bad folds; shapes and NaN in the data.
    pub fn fit<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<HuberRegressionCv<T>> {
        self.fit_inner(x, y, None)
    }

    /// As [`fit`](Self::fit) with sample weights.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), plus invalid weights.
    pub fn fit_weighted<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<HuberRegressionCv<T>> {
        self.fit_inner(x, y, Some(sample_weight))
    }

    fn fit_inner<X: DesignMatrix<T> + Sync + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        w: Option<&[T]>,
    ) -> Result<HuberRegressionCv<T>> {
        self.check()?;
        let out = cross_validate(
            &self.cfg,
            &self.base(T::one(), self.cfg.l1_ratio),
            x,
            y,
            w,
            None,
        )?;
        let refit = self.base(
            out.paths[out.best].alphas[out.index],
            out.l1_ratios[out.best],
        );
        let model = match w {
            Some(s) => refit.fit_weighted(x, y, s)?,
            None => refit.fit(x, y)?,
        };
        Ok(HuberRegressionCv { out, model })
    }
}
