//! Loader for proxreg's reference fixtures: real scikit-learn runs stored as JSON under
//! `tests/fixtures/` at the repository root, produced by `scripts/make_fixtures.py`
//! (see `tests/fixtures/README.md` for the conventions and the regeneration command).
//!
//! This crate is test-only (`publish = false`): add it as a `dev-dependency` of any crate in the
//! workspace and load a fixture by its file stem.
//!
//! ```
//! let fx = proxreg_fixtures::load("engine_iid").map_err(|e| e.to_string())?;
//! let problem = fx.problem.as_ref().ok_or("engine fixtures have a problem")?;
//! let lasso = fx.fit("lasso_rel0.1").ok_or("case exists")?;
//! let obj = proxreg_fixtures::enet_objective(
//!     &problem.x, &problem.y, &lasso.coef, lasso.intercept, lasso.alpha, 1.0, None,
//! );
//! assert!((obj - lasso.objective).abs() <= 1e-12 * lasso.objective.abs());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions: matrices are nested row-major lists (`x[i][j]` is sample `i`, feature `j`);
//! multi-task coefficients are `p × k` (`coef[j][t]`); a path's `coefs[a]` is the solution at
//! `alphas[a]`. Objectives are scikit-learn's, written out in [`enet_objective`],
//! [`ridge_objective`] and [`multitask_objective`].

use serde::Deserialize;
use std::path::PathBuf;

pub mod glm_family;
pub mod group_lasso;
pub mod logistic;
pub mod multinomial;

/// The names of every fixture file (without `.json`), for tests that want to visit all of them.
pub const ALL: &[&str] = &[
    "engine_iid",
    "engine_wide",
    "engine_corr",
    "engine_multitask",
    "estimators_iid",
    "estimators_corr",
    "estimators_multitask",
];

/// The directory holding the fixtures: `<repo>/tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("..")
        .join("tests")
        .join("fixtures")
}

/// Reads and parses `tests/fixtures/<name>.json`; the error names the file and what went wrong.
pub fn load(name: &str) -> Result<Fixture, String> {
    let path = fixtures_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot parse fixture {}: {e}", path.display()))
}

/// One fixture file.
#[derive(Debug, Clone, Deserialize)]
pub struct Fixture {
    /// Format version of the file (1).
    pub format_version: u32,
    /// File stem, e.g. `engine_iid`.
    pub name: String,
    /// What the file holds.
    pub description: String,
    /// Script and library versions that produced it.
    pub generator: Generator,
    /// The single-task data set (absent in multi-task files).
    #[serde(default)]
    pub problem: Option<Problem>,
    /// `problem` with row `i` repeated `sample_weight[i]` times (estimator files only).
    #[serde(default)]
    pub repeated_problem: Option<Problem>,
    /// The multi-task data set (multi-task files only).
    #[serde(default)]
    pub multitask_problem: Option<MultiTaskProblem>,
    /// Single-task fits (Lasso, ElasticNet, Ridge).
    #[serde(default)]
    pub fits: Vec<FitCase>,
    /// Regularization paths (`lasso_path` / `enet_path`).
    #[serde(default)]
    pub paths: Vec<PathCase>,
    /// Multi-task fits.
    #[serde(default)]
    pub multitask_fits: Vec<MultiTaskFitCase>,
    /// `LassoCV` / `ElasticNetCV` runs.
    #[serde(default)]
    pub lasso_cv: Vec<LassoCvCase>,
    /// `RidgeCV` leave-one-out runs.
    #[serde(default)]
    pub ridge_cv: Vec<RidgeCvCase>,
}

impl Fixture {
    /// The single-task fit with this `id`.
    pub fn fit(&self, id: &str) -> Option<&FitCase> {
        self.fits.iter().find(|c| c.id == id)
    }

    /// The data a fit was computed on (`problem` or `repeated_problem`).
    pub fn problem_of(&self, case: &FitCase) -> Option<&Problem> {
        match case.data {
            DataSet::Main => self.problem.as_ref(),
            DataSet::Repeated => self.repeated_problem.as_ref(),
        }
    }
}

/// Provenance of a fixture.
#[derive(Debug, Clone, Deserialize)]
pub struct Generator {
    /// Path of the generating script.
    pub script: String,
    /// Python version.
    pub python: String,
    /// numpy version.
    pub numpy: String,
    /// scipy version.
    pub scipy: String,
    /// scikit-learn version.
    pub sklearn: String,
    /// glmnet version, when glmnet was used (never so far).
    pub glmnet: Option<String>,
}

/// A single-task regression data set.
#[derive(Debug, Clone, Deserialize)]
pub struct Problem {
    /// Data set name (`iid`, `wide`, `corr`, `iid_repeated`, ...).
    pub name: String,
    /// How it was drawn.
    pub description: String,
    /// n.
    pub n_samples: usize,
    /// p.
    pub n_features: usize,
    /// Design, `[n][p]`.
    pub x: Vec<Vec<f64>>,
    /// Target, length n.
    pub y: Vec<f64>,
    /// The true coefficients used to draw `y`.
    pub w_true: Vec<f64>,
    /// Integer-valued sample weights (estimator files).
    #[serde(default)]
    pub sample_weight: Option<Vec<f64>>,
    /// The true intercept used to draw `y` (estimator files).
    #[serde(default)]
    pub intercept_true: Option<f64>,
}

impl Problem {
    /// The design flattened column-major (`x[i][j]` at `j * n + i`), e.g. for `ColMajor::new`.
    pub fn x_col_major(&self) -> Vec<f64> {
        (0..self.n_features)
            .flat_map(|j| self.x.iter().map(move |row| row[j]))
            .collect()
    }
}

/// A multi-task data set.
#[derive(Debug, Clone, Deserialize)]
pub struct MultiTaskProblem {
    /// Data set name.
    pub name: String,
    /// How it was drawn.
    pub description: String,
    /// n.
    pub n_samples: usize,
    /// p.
    pub n_features: usize,
    /// k.
    pub n_tasks: usize,
    /// Design, `[n][p]`.
    pub x: Vec<Vec<f64>>,
    /// Targets, `[n][k]`.
    pub y: Vec<Vec<f64>>,
    /// True coefficients, `[p][k]`.
    pub w_true: Vec<Vec<f64>>,
    /// True intercepts, length k (estimator file).
    #[serde(default)]
    pub intercept_true: Option<Vec<f64>>,
}

/// Which scikit-learn estimator or function produced a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Estimator {
    /// `Lasso` (l1_ratio 1).
    Lasso,
    /// `ElasticNet`.
    ElasticNet,
    /// `Ridge` (objective ‖y − Xw − b‖² + α‖w‖², not divided by n).
    Ridge,
    /// `MultiTaskLasso`.
    MultiTaskLasso,
    /// `MultiTaskElasticNet`.
    MultiTaskElasticNet,
    /// `LassoCV`.
    #[serde(rename = "LassoCV")]
    LassoCv,
    /// `ElasticNetCV`.
    #[serde(rename = "ElasticNetCV")]
    ElasticNetCv,
    /// `RidgeCV`.
    #[serde(rename = "RidgeCV")]
    RidgeCv,
}

/// Which data set of the file a fit used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataSet {
    /// `Fixture::problem`.
    Main,
    /// `Fixture::repeated_problem`.
    Repeated,
}

/// Precision the data had when scikit-learn fitted it (results are always stored as f64).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    /// float64.
    Float64,
    /// X and y cast to float32 before fitting (tol 1e-6 instead of 1e-12).
    Float32,
}

/// One single-task fit.
#[derive(Debug, Clone, Deserialize)]
pub struct FitCase {
    /// Unique id within the file.
    pub id: String,
    /// `Lasso`, `ElasticNet` or `Ridge`.
    pub estimator: Estimator,
    /// Data set used.
    pub data: DataSet,
    /// Precision of the data given to scikit-learn.
    pub dtype: Dtype,
    /// Regularization strength α in the estimator's own convention.
    pub alpha: f64,
    /// α / α_max when α was chosen relative to α_max.
    pub alpha_rel: Option<f64>,
    /// ρ (1 for Lasso, `None` for Ridge).
    pub l1_ratio: Option<f64>,
    /// Whether an unpenalized intercept was fitted.
    pub fit_intercept: bool,
    /// `positive=True` (nonnegative coefficients).
    pub positive: bool,
    /// Sample weights given to `fit` (unnormalized).
    pub sample_weight: Option<Vec<f64>>,
    /// `coordinate_descent` or `cholesky`.
    pub solver: String,
    /// scikit-learn `tol` (relative duality gap), for coordinate descent.
    pub tol: Option<f64>,
    /// scikit-learn `max_iter`, for coordinate descent.
    pub max_iter: Option<u64>,
    /// Whether scikit-learn reported convergence.
    pub converged: bool,
    /// Coefficients, length p.
    pub coef: Vec<f64>,
    /// Intercept (0 when not fitted).
    pub intercept: f64,
    /// Objective at (`coef`, `intercept`), computed in float64 by numpy.
    pub objective: f64,
    /// scikit-learn's `dual_gap_` (objective scale; may be a tiny negative number from rounding).
    pub dual_gap: Option<f64>,
    /// scikit-learn's `n_iter_`.
    pub n_iter: Option<u64>,
    /// Max KKT violation computed by numpy (objective-gradient scale).
    pub kkt_violation: f64,
}

/// A regularization path (no intercept).
#[derive(Debug, Clone, Deserialize)]
pub struct PathCase {
    /// Unique id.
    pub id: String,
    /// `lasso_path` or `enet_path`.
    pub function: String,
    /// ρ.
    pub l1_ratio: f64,
    /// α_min / α_max.
    pub eps: f64,
    /// Grid length.
    pub n_alphas: usize,
    /// Always false.
    pub fit_intercept: bool,
    /// scikit-learn `tol`.
    pub tol: f64,
    /// scikit-learn `max_iter`.
    pub max_iter: u64,
    /// ‖Xᵀy‖∞ / (n ρ).
    pub alpha_max: f64,
    /// The grid, decreasing.
    pub alphas: Vec<f64>,
    /// `coefs[a]` is the solution at `alphas[a]` (`[n_alphas][p]`).
    pub coefs: Vec<Vec<f64>>,
    /// Objective per alpha.
    pub objectives: Vec<f64>,
    /// Dual gap per alpha.
    pub dual_gaps: Vec<f64>,
    /// Iterations per alpha.
    pub n_iters: Vec<u64>,
    /// KKT violation per alpha (numpy).
    pub kkt_violations: Vec<f64>,
}

/// One multi-task fit.
#[derive(Debug, Clone, Deserialize)]
pub struct MultiTaskFitCase {
    /// Unique id.
    pub id: String,
    /// `MultiTaskLasso` or `MultiTaskElasticNet`.
    pub estimator: Estimator,
    /// α.
    pub alpha: f64,
    /// α / α_max, α_max = max_j ‖X_jᵀY‖₂ / (n ρ) (centered data with intercept).
    pub alpha_rel: Option<f64>,
    /// ρ.
    pub l1_ratio: f64,
    /// Whether intercepts were fitted.
    pub fit_intercept: bool,
    /// scikit-learn `tol`.
    pub tol: f64,
    /// scikit-learn `max_iter`.
    pub max_iter: u64,
    /// Whether scikit-learn reported convergence.
    pub converged: bool,
    /// Coefficients `[p][k]` (scikit-learn's `coef_` transposed).
    pub coef: Vec<Vec<f64>>,
    /// Intercepts, length k (zeros when not fitted).
    pub intercept: Vec<f64>,
    /// Objective (numpy).
    pub objective: f64,
    /// scikit-learn's `dual_gap_`.
    pub dual_gap: f64,
    /// scikit-learn's `n_iter_`.
    pub n_iter: u64,
    /// Max KKT violation (numpy).
    pub kkt_violation: f64,
}

/// A `LassoCV` / `ElasticNetCV` run (fit_intercept=True, contiguous K-fold).
#[derive(Debug, Clone, Deserialize)]
pub struct LassoCvCase {
    /// Unique id.
    pub id: String,
    /// `LassoCV` or `ElasticNetCV`.
    pub estimator: Estimator,
    /// The l1_ratio grid (`[1.0]` for LassoCV).
    pub l1_ratios: Vec<f64>,
    /// Whether the alpha grid was given (else scikit-learn built it from the centered full data).
    pub alphas_given: bool,
    /// Grid length.
    pub n_alphas: usize,
    /// α_min / α_max of an automatic grid.
    pub eps: f64,
    /// Description of the splitter.
    pub cv: String,
    /// Test indices of each fold (train = the rest).
    pub test_folds: Vec<Vec<usize>>,
    /// Always true.
    pub fit_intercept: bool,
    /// scikit-learn `tol`.
    pub tol: f64,
    /// scikit-learn `max_iter`.
    pub max_iter: u64,
    /// `[n_l1_ratios][n_alphas]`, decreasing in each row.
    pub alphas: Vec<Vec<f64>>,
    /// Held-out MSE `[n_l1_ratios][n_alphas][n_folds]`.
    pub mse_path: Vec<Vec<Vec<f64>>>,
    /// Selected α (minimum of the fold-mean MSE).
    pub alpha: f64,
    /// Selected ρ.
    pub l1_ratio: f64,
    /// Refit coefficients on all data.
    pub coef: Vec<f64>,
    /// Refit intercept.
    pub intercept: f64,
    /// Objective of the refit (numpy).
    pub objective: f64,
    /// Refit `dual_gap_`.
    pub dual_gap: f64,
    /// Refit `n_iter_`.
    pub n_iter: u64,
    /// Refit KKT violation (numpy).
    pub kkt_violation: f64,
}

/// A `RidgeCV` efficient leave-one-out run.
#[derive(Debug, Clone, Deserialize)]
pub struct RidgeCvCase {
    /// Unique id.
    pub id: String,
    /// `RidgeCV`.
    pub estimator: Estimator,
    /// Description of the CV scheme.
    pub cv: String,
    /// Whether the intercept was fitted (LOO refits re-estimate it).
    pub fit_intercept: bool,
    /// The alpha grid, as given (increasing).
    pub alphas: Vec<f64>,
    /// Squared LOO residuals `[n][n_alphas]` (`cv_results_`).
    pub loo_squared_errors: Vec<Vec<f64>>,
    /// Mean over samples of `loo_squared_errors`, per alpha.
    pub loo_mse: Vec<f64>,
    /// scikit-learn's `best_score_` (= −min `loo_mse`).
    pub best_score: f64,
    /// Selected α.
    pub alpha: f64,
    /// Coefficients at the selected α.
    pub coef: Vec<f64>,
    /// Intercept at the selected α.
    pub intercept: f64,
    /// Ridge objective at the selected α (numpy).
    pub objective: f64,
}

fn residual(row: &[f64], y: f64, w: &[f64], b: f64) -> f64 {
    y - b - row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>()
}

/// scikit-learn's ElasticNet objective (Lasso: `l1_ratio = 1`):
/// `(1/(2 Σs)) Σ sᵢ rᵢ² + α (ρ‖w‖₁ + ½(1−ρ)‖w‖²)`, with `r = y − Xw − b` and `s = 1` by default.
pub fn enet_objective(
    x: &[Vec<f64>],
    y: &[f64],
    w: &[f64],
    b: f64,
    alpha: f64,
    l1_ratio: f64,
    sample_weight: Option<&[f64]>,
) -> f64 {
    let (mut loss, mut total) = (0.0, 0.0);
    for (i, (row, &yi)) in x.iter().zip(y).enumerate() {
        let s = sample_weight.map_or(1.0, |s| s[i]);
        let r = residual(row, yi, w, b);
        loss += s * r * r;
        total += s;
    }
    let l1: f64 = w.iter().map(|v| v.abs()).sum();
    let l2: f64 = w.iter().map(|v| v * v).sum();
    loss / (2.0 * total) + alpha * (l1_ratio * l1 + 0.5 * (1.0 - l1_ratio) * l2)
}

/// scikit-learn's Ridge objective: `Σ sᵢ rᵢ² + α‖w‖²` (not divided by n, weights not normalized).
pub fn ridge_objective(
    x: &[Vec<f64>],
    y: &[f64],
    w: &[f64],
    b: f64,
    alpha: f64,
    sample_weight: Option<&[f64]>,
) -> f64 {
    let loss: f64 = x
        .iter()
        .zip(y)
        .enumerate()
        .map(|(i, (row, &yi))| {
            let r = residual(row, yi, w, b);
            sample_weight.map_or(1.0, |s| s[i]) * r * r
        })
        .sum();
    loss + alpha * w.iter().map(|v| v * v).sum::<f64>()
}

/// scikit-learn's multi-task objective, `W` is `[p][k]`:
/// `(1/(2n)) ‖Y − XW − 1bᵀ‖_F² + α (ρ Σ_j ‖W_j‖₂ + ½(1−ρ)‖W‖_F²)`.
pub fn multitask_objective(
    x: &[Vec<f64>],
    y: &[Vec<f64>],
    w: &[Vec<f64>],
    b: &[f64],
    alpha: f64,
    l1_ratio: f64,
) -> f64 {
    let mut loss = 0.0;
    for (row, yrow) in x.iter().zip(y) {
        for (t, (&yt, &bt)) in yrow.iter().zip(b).enumerate() {
            let pred: f64 = row.iter().zip(w).map(|(xj, wj)| xj * wj[t]).sum();
            let r = yt - bt - pred;
            loss += r * r;
        }
    }
    let l21: f64 = w
        .iter()
        .map(|r| r.iter().map(|v| v * v).sum::<f64>().sqrt())
        .sum();
    let fro2: f64 = w.iter().flatten().map(|v| v * v).sum();
    loss / (2.0 * x.len() as f64) + alpha * (l1_ratio * l21 + 0.5 * (1.0 - l1_ratio) * fro2)
}
