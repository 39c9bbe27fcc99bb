//! The subcommands: argument types (clap derive) and what each does.
//!
//! `proxreg` with no subcommand runs [`default_job`]: `cv` on the embedded diabetes data with
//! standardized columns, printing lambda_min / lambda_1se, the coefficients and their
//! certificates, and writing the figures to `./proxreg-out/`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};
use proxreg::core::datafit::sigmoid;
use proxreg::linalg::ColMajor;
use proxreg::prelude::*;
use proxreg::Fitted as _;
use proxreg::{
    CvPath, FitReport, HuberRegressionCv, HuberRegressionParams, LogisticRegressionParams,
    PoissonRegressionCv, PoissonRegressionParams, RegressionMeasure,
};
use serde_json::{json, Value};

use crate::io::{self, on_design, DataError, Dataset, Design};
use crate::model::{Model, FORMAT, VERSION, VERSION_1, VERSION_2};
use crate::plot::{Chart, Marker, Series};

/// The directory the default job writes its figures to.
pub const DEFAULT_PLOT_DIR: &str = "proxreg-out";

/// What can go wrong running a subcommand.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input data or model file (exit code 2).
    #[error("{0}")]
    Data(#[from] DataError),
    /// Arguments that do not fit together (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// The library rejected the problem or failed (exit code 1).
    #[error("{0}")]
    Fit(#[from] proxreg::Error),
    /// A Parquet file or directory that cannot be read into statistics: the message names
    /// the file and, where it applies, the row group, column and row (exit code 2).
    #[error("{0}")]
    Parquet(#[from] proxreg_io::parquet::ParquetError),
    /// An output file could not be written (exit code 1).
    #[error("{file}: cannot write: {message}")]
    Write {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
}

impl CliError {
    /// The process exit code: 2 for bad input or arguments, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            // a cross-validation fold without a class is a property of the data and the folds
            Self::Data(_)
            | Self::Usage(_)
            | Self::Parquet(_)
            | Self::Fit(proxreg::Error::FoldMissingClass { .. }) => 2,
            Self::Fit(_) | Self::Write { .. } => 1,
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, CliError>;

/// Norm-regularized linear models (Lasso, Ridge, Elastic Net, multi-task) on CSV, .npy or
/// svmlight data.
///
/// Without a subcommand: cross-validated Lasso on the embedded diabetes data (442 × 10,
/// standardized), figures written to ./proxreg-out/.
#[derive(Debug, Parser)]
#[command(name = "proxreg", version, about, long_about)]
pub struct Cli {
    /// The subcommand (none: the default job, see above).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fit one model at a given alpha.
    Fit(FitArgs),
    /// The regularization path: coefficients, nonzeros and duality gap per alpha.
    Path(PathArgs),
    /// K-fold cross-validation: lambda_min and lambda_1se, then a refit.
    Cv(CvArgs),
    /// Choose alpha by AIC / BIC along the path (then a refit), or select features by
    /// stability selection (selection probabilities over complementary half-samples).
    Select(SelectArgs),
    /// Apply a saved model (JSON) to new data.
    Predict(PredictArgs),
    /// The regularization experiments on seeded synthetic data, printed as tables.
    Demo(DemoArgs),
}

/// Where the data comes from and which columns are what.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Data file: CSV with a header, .npy (features; then --y gives the targets), or svmlight /
    /// libsvm text (.svm, .svmlight, .libsvm: the label is the target, features are named by
    /// their index in the file, x1.. for one-based, x0.. for zero-based). svmlight data stays a
    /// sparse (CSC) matrix all the way into the estimators. Parquet (a .parquet file, or a
    /// directory whose *.parquet files, in name order, are the parts): `fit`, `path`, `cv` and
    /// `select --criterion aic|bic` read it out of core, in one streaming pass, into sufficient
    /// statistics (least squares with lasso, elastic-net or ridge; memory independent of the
    /// number of rows; `cv` folds: --folds contiguous blocks, or --fold-id). Default: the
    /// embedded diabetes data (features age..s6, target y).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Indices of an svmlight --data file: zero-based, one-based, or auto (zero-based if any
    /// index is 0, as scikit-learn's load_svmlight_file). Default: auto.
    #[arg(long, value_name = "WHEN")]
    pub zero_based: Option<ZeroBasedArg>,
    /// Targets as .npy (1-D, or 2-D for several targets) when --data is a .npy file.
    #[arg(long = "y", value_name = "FILE")]
    pub y_npy: Option<PathBuf>,
    /// Target column name(s), comma-separated (several: multi-task). Default: the last column.
    #[arg(long, value_delimiter = ',', value_name = "COL")]
    pub target: Vec<String>,
    /// Feature column names, comma-separated. Default: every other column.
    #[arg(long, value_delimiter = ',', value_name = "COLS")]
    pub features: Option<Vec<String>>,
    /// Column of sample weights.
    #[arg(long, value_name = "COL")]
    pub weights: Option<String>,
    /// `--family poisson`: a CSV column added to the linear predictor as a known offset,
    /// `η = Xw + b + offset` (the log exposure); excluded from the features like the target.
    #[arg(long, value_name = "COL", conflicts_with = "exposure")]
    pub offset: Option<String>,
    /// `--family poisson`: a CSV column of exposures t > 0 (time at risk, population, ...):
    /// the offset is log(t), so exp(Xw + b) is the rate per unit exposure. Excluded from the
    /// features.
    #[arg(long, value_name = "COL")]
    pub exposure: Option<String>,
    /// CSV delimiter (one ASCII character).
    #[arg(long, default_value = ",")]
    pub delimiter: char,
    /// `fit`, `path`, `cv`, `select --criterion aic|bic`: fit from a directory of sufficient
    /// statistics (the format of docs/scale.md, written by `proxreg_io::stats::write` or
    /// scripts/write_stats.py) instead of rows: least squares (`--family gaussian`) with lasso,
    /// elastic-net or ridge. The statistics fix the features, the target and the weights;
    /// `cv` uses their blocks as its folds.
    #[arg(
        long,
        value_name = "DIR",
        conflicts_with_all = ["data", "y_npy", "target", "features", "weights", "offset", "exposure", "zero_based"]
    )]
    pub stats: Option<PathBuf>,
}

/// `--zero-based` for svmlight data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ZeroBasedArg {
    /// Index 0 is the first feature.
    True,
    /// Index 1 is the first feature (index 0 is an error).
    False,
    /// Zero-based if any index is 0, else one-based.
    Auto,
}

impl From<ZeroBasedArg> for proxreg_io::svmlight::ZeroBased {
    fn from(z: ZeroBasedArg) -> Self {
        match z {
            ZeroBasedArg::True => Self::Yes,
            ZeroBasedArg::False => Self::No,
            ZeroBasedArg::Auto => Self::Auto,
        }
    }
}

/// The penalties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PenaltyKind {
    /// ℓ1: `(1/2n)‖y − Xw − b‖² + α‖w‖₁`.
    Lasso,
    /// Squared ℓ2: `‖y − Xw − b‖² + α‖w‖²` (scikit-learn's Ridge convention).
    Ridge,
    /// `(1/2n)‖y − Xw − b‖² + αρ‖w‖₁ + ½α(1−ρ)‖w‖²`.
    ElasticNet,
    /// ℓ2,1 on the rows of W (several targets).
    MultiTaskLasso,
    /// ℓ2,1 plus squared Frobenius (several targets).
    MultiTaskElasticNet,
    /// Minimax concave penalty (Zhang 2010, non-convex), skglm's `MCPenalty(alpha, gamma)`:
    /// `α|w| − w²/(2γ)` up to `|w| = γα`, flat beyond (`--gamma`, default 3).
    Mcp,
    /// Smoothly clipped absolute deviation (Fan & Li 2001, non-convex), skglm's
    /// `SCAD(alpha, gamma)`: `α|w|` up to `α`, concave up to `γα`, flat beyond (`--gamma`,
    /// default 3.7).
    Scad,
    /// Group lasso over feature groups of any sizes (`--groups` / `--groups-file`, least
    /// squares): `(1/2n)‖y − Xw − b‖² + α Σ_g c_g ‖w_G‖₂`, `c_g = √|G|` unless
    /// `--group-weights` (the library's `GroupLasso`; with --family binomial the logistic
    /// loss, `LogisticGroupLasso`, fit / path / predict).
    GroupLasso,
    /// Sparse group lasso: `(1/2n)‖y − Xw − b‖² + α(τ‖w‖₁ + (1 − τ) Σ_g c_g ‖w_G‖₂)`, τ the
    /// library's `l1_ratio` (`--l1-ratio`, default 0.5, in [0, 1]).
    SparseGroupLasso,
}

impl PenaltyKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Lasso => "lasso",
            Self::Ridge => "ridge",
            Self::ElasticNet => "elastic-net",
            Self::MultiTaskLasso => "multi-task-lasso",
            Self::MultiTaskElasticNet => "multi-task-elastic-net",
            Self::Mcp => "mcp",
            Self::Scad => "scad",
            Self::GroupLasso => "group-lasso",
            Self::SparseGroupLasso => "sparse-group-lasso",
        }
    }
    /// MCP and SCAD: stationary points, a KKT certificate and no duality gap.
    pub(crate) fn nonconvex(self) -> bool {
        matches!(self, Self::Mcp | Self::Scad)
    }
    fn multitask(self) -> bool {
        matches!(self, Self::MultiTaskLasso | Self::MultiTaskElasticNet)
    }
}

/// The datafit (the GLM family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FamilyArg {
    /// Least squares (the default).
    Gaussian,
    /// Logistic regression on a target with two distinct labels (0/1, ±1, yes/no coded as
    /// numbers): `(1/n)Σ[log(1+e^η) − yη] + α·penalty`, `y` the indicator of the larger label.
    Binomial,
    /// Poisson regression (log link) on counts y >= 0: `(1/n)Σ[e^η − yη] + α·penalty`,
    /// `η = Xw + b (+ offset)`; glmnet's and glum's `family = "poisson"`.
    Poisson,
    /// Huber regression (robust): `(1/n)Σ h_δ(y − η) + α·penalty`, least squares for
    /// residuals up to δ (`--huber-delta`, default 1.35), absolute beyond; skglm's `Huber`.
    Huber,
    /// Multinomial (softmax) regression on a target with K >= 2 distinct labels:
    /// `(1/n)Σ −log softmax(Wᵀx_i + b)[y_i] + α·penalty(W)`, one coefficient column per label
    /// (sorted); entrywise penalties, or `--grouped` (a feature in or out for every class).
    Multinomial,
}

impl FamilyArg {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Gaussian => "gaussian",
            Self::Binomial => "binomial",
            Self::Poisson => "poisson",
            Self::Huber => "huber",
            Self::Multinomial => "multinomial",
        }
    }
    /// Poisson and Huber: the generic-datafit estimators (`PoissonRegression`,
    /// `HuberRegression`), fitted outside [`with_estimator`].
    pub(crate) fn is_glm(self) -> bool {
        matches!(self, Self::Poisson | Self::Huber)
    }
}

/// Huber's default δ (scikit-learn's `HuberRegressor(epsilon=1.35)`, the library's default).
pub const DEFAULT_HUBER_DELTA: f64 = 1.35;

/// Solver choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolverArg {
    /// Coordinate descent, or Cholesky for Ridge.
    Auto,
    /// Coordinate descent.
    Cd,
    /// Accelerated proximal gradient.
    Fista,
    /// Cholesky (Ridge).
    Cholesky,
    /// Thin SVD (Ridge).
    Svd,
    /// Proximal Newton (`--family poisson` and `huber`; what `auto` picks for them).
    ProxNewton,
}

impl From<SolverArg> for SolverChoice {
    fn from(s: SolverArg) -> Self {
        match s {
            SolverArg::Auto => SolverChoice::Auto,
            SolverArg::Cd => SolverChoice::CoordinateDescent,
            SolverArg::Fista => SolverChoice::Fista,
            SolverArg::Cholesky => SolverChoice::Cholesky,
            SolverArg::Svd => SolverChoice::Svd,
            SolverArg::ProxNewton => SolverChoice::ProxNewton,
        }
    }
}

/// The model and its options.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// The datafit: gaussian (least squares), binomial (logistic regression), multinomial
    /// (K classes, softmax; --grouped), poisson (counts, log link; --offset / --exposure) or
    /// huber (robust, --huber-delta). binomial, multinomial, poisson and huber take the
    /// penalties lasso, elastic-net and ridge (binomial also group-lasso and
    /// sparse-group-lasso) — ridge is `α·½‖w‖²` there (binomial and
    /// multinomial: scikit-learn's LogisticRegression convention with `C = 1/(n·α)`).
    #[arg(long, value_enum, default_value = "gaussian")]
    pub family: FamilyArg,
    /// `--family multinomial`: the grouped penalty `ρΣ_j‖W_j·‖₂ + ½(1−ρ)‖W‖²_F` (a feature
    /// is in or out for every class at once; glmnet's `type.multinomial = "grouped"`) instead
    /// of the entrywise `ρ‖W‖₁ + ½(1−ρ)‖W‖²_F`.
    #[arg(long)]
    pub grouped: bool,
    /// `--family huber`: the threshold δ > 0 between the quadratic and the linear part of the
    /// loss (default 1.35).
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    pub huber_delta: Option<f64>,
    /// The penalty.
    #[arg(long, value_enum, default_value = "lasso")]
    pub penalty: PenaltyKind,
    /// ℓ1 ratio ρ of the Elastic Net penalties (default 0.5); τ of sparse-group-lasso (the
    /// ℓ1 share, in [0, 1], default 0.5).
    #[arg(long)]
    pub l1_ratio: Option<f64>,
    /// group-lasso / sparse-group-lasso: one group label per feature, comma-separated, in the
    /// order of the features (`--groups a,a,b,b,b,c`).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "LABELS",
        conflicts_with = "groups_file"
    )]
    pub groups: Option<Vec<String>>,
    /// group-lasso / sparse-group-lasso: a file of lines `column_name,group` giving the group
    /// of every feature column by name (blank lines and `#` comments ignored).
    #[arg(long, value_name = "FILE")]
    pub groups_file: Option<PathBuf>,
    /// group-lasso / sparse-group-lasso: group weights c_g >= 0 by label, comma-separated
    /// (`--group-weights a=2,c=0`); groups not listed keep √|G|. A 0 weight with group-lasso
    /// leaves the group unpenalized.
    #[arg(long, value_delimiter = ',', value_name = "LABEL=W,..")]
    pub group_weights: Option<Vec<String>>,
    /// Shape γ of mcp (> 1, default 3) and scad (> 2, default 3.7), as in skglm and ncvreg: the
    /// penalty is flat beyond |w| = γ·α. With --relax: the blend γ in [0, 1] of the relaxed
    /// lasso (default 0, the fully relaxed fit; 1 is the Lasso).
    #[arg(long)]
    pub gamma: Option<f64>,
    /// Do not fit an intercept.
    #[arg(long)]
    pub no_intercept: bool,
    /// Standardize the columns before penalising (coefficients reported on the original scale).
    #[arg(long)]
    pub standardize: bool,
    /// Constrain the coefficients to be >= 0.
    #[arg(long)]
    pub positive: bool,
    /// Per-feature penalty factors, comma-separated (0 = unpenalised).
    #[arg(long, value_delimiter = ',', value_name = "C1,C2,..")]
    pub penalty_factor: Option<Vec<f64>>,
    /// The solver (poisson: auto or prox-newton; huber: auto, prox-newton or cd; binomial:
    /// auto).
    #[arg(long, value_enum, default_value = "auto")]
    pub solver: SolverArg,
    /// Tolerance on the relative duality gap.
    #[arg(long, default_value_t = 1e-4)]
    pub tol: f64,
    /// Tolerance on the KKT violation relative to ‖∇f(0)‖_∞, which bounds the coefficients'
    /// error (default: --tol). Fits stop when both are met.
    #[arg(long)]
    pub kkt_tol: Option<f64>,
    /// Maximal iterations (epochs). Default 10 000; with group-lasso / sparse-group-lasso the
    /// library's default for them (100 000).
    #[arg(long, value_name = "N")]
    pub max_iter: Option<usize>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub relax: crate::relax::RelaxArgs,
}

/// Outputs.
#[derive(Debug, Clone, Default, Args)]
pub struct OutArgs {
    /// Write the results as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write SVG figures into DIR (created if needed).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    /// Print nothing on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `proxreg fit`.
#[derive(Debug, Clone, Args)]
pub struct FitArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub data: DataArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub model: ModelArgs,
    /// Regularization strength α (in the penalty's convention).
    #[arg(long, default_value_t = 1.0)]
    pub alpha: f64,
    /// Save the model as JSON (for `predict`).
    #[arg(long, value_name = "FILE")]
    pub save_model: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// The alpha grid of `path`, `cv` and `select`.
#[derive(Debug, Clone, Args)]
pub struct GridArgs {
    /// Length of the automatic alpha grid.
    #[arg(long, default_value_t = 100)]
    pub n_alphas: usize,
    /// alpha_min / alpha_max of the automatic grid (for `select --criterion stability`: the
    /// region of alphas; a larger eps keeps fewer features per half-sample and tightens the
    /// error bound).
    #[arg(long, default_value_t = 1e-3)]
    pub eps: f64,
    /// A given alpha grid, comma-separated (instead of the automatic one).
    #[arg(long, value_delimiter = ',')]
    pub alphas: Option<Vec<f64>>,
}

/// `proxreg path`.
#[derive(Debug, Clone, Args)]
pub struct PathArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub data: DataArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub model: ModelArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub grid: GridArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// Which alpha `cv` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SelectArg {
    /// Minimal mean held-out error.
    Min,
    /// Largest alpha within one standard error of the minimum.
    #[value(name = "1se")]
    OneSe,
}

/// The held-out measures of binomial cross-validation (multinomial: deviance,
/// misclassification, auc; poisson and huber: deviance, mse, mae).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureArg {
    /// The deviance (the default): binomial, Poisson, or twice the mean Huber loss.
    Deviance,
    /// Share of wrong labels (at probability ½).
    Misclassification,
    /// Area under the ROC curve (maximised; the curve shows 1 − AUC); multinomial: the
    /// one-vs-rest AUC, macro averaged over the classes.
    Auc,
    /// Mean squared error of the probabilities (Brier score), of the expected counts
    /// (poisson) or of the predictions (huber).
    Mse,
    /// Mean absolute error of the probabilities, expected counts or predictions.
    Mae,
}

/// `proxreg cv`.
#[derive(Debug, Clone, Args)]
pub struct CvArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub data: DataArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub model: ModelArgs,
    /// Number of folds (default 5; with --stats: the statistics' blocks).
    #[arg(long)]
    pub folds: Option<usize>,
    /// Shuffle the samples with this seed before splitting (default: contiguous folds).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Parquet `--data` only: the fold of each row is a stable hash of this integer column (a
    /// row id), `fold_of_id(id, K)`, instead of contiguous blocks of the row order; use it
    /// when the order of the rows (or of the part files) is not stable.
    #[arg(long, value_name = "COL", conflicts_with = "seed")]
    pub fold_id: Option<String>,
    /// `--family binomial` / `multinomial`: plain K-fold folds instead of the default
    /// stratified ones (every fold holds the classes in the proportions of the whole, as
    /// scikit-learn's `StratifiedKFold`).
    #[arg(long)]
    pub plain_folds: bool,
    /// Which alpha to refit at.
    #[arg(long, value_enum, default_value = "min")]
    pub select: SelectArg,
    /// The ℓ1-ratio grid of elastic-net CV, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub l1_ratios: Option<Vec<f64>>,
    /// `cv --relax`: the γ grid, comma-separated, each in [0, 1] (default 0,0.25,0.5,0.75,1,
    /// glmnet's); (alpha, γ) are chosen jointly.
    #[arg(long, value_delimiter = ',', value_name = "G1,G2,..")]
    pub gammas: Option<Vec<f64>>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub grid: GridArgs,
    /// Ridge's criterion: exact leave-one-out or GCV (`RidgeCv`, one SVD), or K-fold over
    /// `Ridge` fits (needed for --standardize, --weights, --positive, --penalty-factor).
    #[arg(long, value_enum, default_value = "loo")]
    pub ridge_mode: RidgeModeArg,
    /// The held-out measure of `--family binomial` (default deviance), `multinomial`
    /// (deviance, misclassification or auc; default deviance), `poisson` and `huber`
    /// (deviance, mse or mae; default deviance). gaussian: mean squared error.
    #[arg(long, value_enum)]
    pub measure: Option<MeasureArg>,
    /// Save the refitted model as JSON (for `predict`).
    #[arg(long, value_name = "FILE")]
    pub save_model: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// How `cv --penalty ridge` scores the alphas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RidgeModeArg {
    /// Exact leave-one-out MSE (`RidgeCv`, scikit-learn's `RidgeCV` default).
    Loo,
    /// Generalized cross-validation (`RidgeCv`).
    Gcv,
    /// K-fold (--folds, --seed) over `Ridge` fits, with standard errors and the 1-SE rule.
    Kfold,
}

/// How `select` chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CriterionArg {
    /// Akaike's information criterion along the path (scikit-learn's `LassoLarsIC`).
    Aic,
    /// The Bayesian information criterion along the path (sparser than AIC).
    Bic,
    /// Stability selection: features whose selection probability over complementary
    /// half-samples reaches --threshold at one alpha.
    Stability,
}

/// `proxreg select`.
#[derive(Debug, Clone, Args)]
pub struct SelectArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub data: DataArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub model: ModelArgs,
    /// The selection strategy.
    #[arg(long, value_enum, default_value = "bic")]
    pub criterion: CriterionArg,
    /// aic / bic: the noise variance σ² (default: the least-squares estimate
    /// RSS/(n − p − 1), which needs more samples than features + 1).
    #[arg(long, value_name = "SIGMA2")]
    pub noise_variance: Option<f64>,
    /// stability: the threshold π in (0.5, 1] (default 0.6).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// stability: the number of complementary pairs of half-samples (default 50).
    #[arg(long)]
    pub n_pairs: Option<usize>,
    /// stability: the seed of the half-samples (default 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// stability: randomize the penalty of each half-sample fit (randomized lasso): the
    /// penalty of each feature divided by a weight drawn from [WEAKNESS, 1], WEAKNESS in (0, 1].
    #[arg(long)]
    pub weakness: Option<f64>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub grid: GridArgs,
    /// aic / bic: save the refitted model as JSON (for `predict`).
    #[arg(long, value_name = "FILE")]
    pub save_model: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// `proxreg predict`.
#[derive(Debug, Clone, Args)]
pub struct PredictArgs {
    /// The model file written by `fit --save-model` or `cv --save-model`.
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,
    /// The data (CSV with the model's feature columns by name, .npy with as many columns, or
    /// svmlight with indices up to the model's number of features; its labels are ignored).
    /// Default: the embedded diabetes data.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Indices of an svmlight --data file: true, false or auto (default auto). Give it when
    /// the file may not use index 0 although the training file was zero-based.
    #[arg(long, value_name = "WHEN")]
    pub zero_based: Option<ZeroBasedArg>,
    /// CSV delimiter.
    #[arg(long, default_value = ",")]
    pub delimiter: char,
    /// A poisson model: the CSV column of offsets (log exposures) added to `Xw + b`, so the
    /// predictions are the expected counts `exp(Xw + b + offset)` (without: the rate per unit
    /// exposure `exp(Xw + b)`).
    #[arg(long, value_name = "COL", conflicts_with = "exposure")]
    pub offset: Option<String>,
    /// A poisson model: the CSV column of exposures t > 0; the predictions are
    /// `t·exp(Xw + b)`.
    #[arg(long, value_name = "COL")]
    pub exposure: Option<String>,
    /// Write the predictions as CSV to FILE (default: stdout).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the predictions as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// `proxreg demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Seed of the synthetic data.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Write the tables' numbers as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

// ---------------------------------------------------------------------------------------------
// dispatch
// ---------------------------------------------------------------------------------------------

/// Runs the parsed command line; what it prints goes to `out`.
///
/// # Errors
/// A [`CliError`] whose [`CliError::exit_code`] the binary exits with.
pub fn run(cli: Cli, out: &mut dyn std::io::Write) -> Result<()> {
    match cli.command {
        None => default_job(out),
        Some(Command::Fit(a)) => fit(&a, out),
        Some(Command::Path(a)) => path(&a, out),
        Some(Command::Cv(a)) => cv(&a, out),
        Some(Command::Select(a)) => crate::select::select(&a, out),
        Some(Command::Predict(a)) => predict(&a, out),
        Some(Command::Demo(a)) => crate::demo::run(a.seed, a.json.as_deref(), out),
    }
}

/// The default job: `proxreg cv --standardize --plot proxreg-out` on the embedded data.
///
/// # Errors
/// As [`cv`].
pub fn default_job(out: &mut dyn std::io::Write) -> Result<()> {
    let cli = Cli::parse_from(["proxreg", "cv", "--standardize", "--plot", DEFAULT_PLOT_DIR]);
    match cli.command {
        Some(Command::Cv(a)) => {
            say(out, "proxreg: no subcommand given; running `proxreg cv --standardize --plot proxreg-out` on the embedded diabetes data (see `proxreg --help`)\n");
            cv(&a, out)
        }
        _ => Err(CliError::Usage("internal: default job".into())),
    }
}

pub(crate) fn say(out: &mut dyn std::io::Write, s: &str) {
    // stdout closed (e.g. `| head`) is not an error worth failing a fit for
    let _ = out.write_all(s.as_bytes());
}

// ---------------------------------------------------------------------------------------------
// data
// ---------------------------------------------------------------------------------------------

fn delimiter(c: char) -> Result<u8> {
    u8::try_from(c).ok().filter(u8::is_ascii).ok_or_else(|| {
        CliError::Usage(format!(
            "--delimiter must be one ASCII character, got {c:?}"
        ))
    })
}

fn is_npy(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("npy"))
}

/// Loads the data the arguments describe.
///
/// # Errors
/// [`CliError::Data`] for unreadable or bad files and unknown columns; [`CliError::Usage`] for
/// arguments that do not fit together.
pub fn load(a: &DataArgs) -> Result<Dataset> {
    if a.stats.is_some() {
        return Err(CliError::Usage(
            "--stats is read by `fit`, `path`, `cv` and `select` (this needs the rows: give --data)"
                .into(),
        ));
    }
    if let Some(p) = a.data.as_deref().filter(|p| io::is_parquet(p)) {
        return Err(CliError::Usage(format!(
            "{}: Parquet data is read out of core into sufficient statistics, which `fit`, `path`, `cv` and `select --criterion aic|bic` use (least squares with lasso, elastic-net or ridge); for this command convert it to CSV",
            p.display()
        )));
    }
    if a.zero_based.is_some() && !a.data.as_deref().is_some_and(io::is_svmlight) {
        return Err(CliError::Usage(
            "--zero-based is for svmlight --data files (.svm, .svmlight, .libsvm)".into(),
        ));
    }
    if (a.offset.is_some() || a.exposure.is_some())
        && a.data
            .as_deref()
            .is_some_and(|p| io::is_svmlight(p) || is_npy(p))
    {
        return Err(CliError::Usage(
            "--offset and --exposure name a CSV column; not with .npy or svmlight data".into(),
        ));
    }
    let table = match &a.data {
        None => io::diabetes()?,
        Some(p) if io::is_svmlight(p) => {
            if a.y_npy.is_some()
                || a.weights.is_some()
                || !a.target.is_empty()
                || a.features.is_some()
            {
                return Err(CliError::Usage(
                    "--y, --target, --features and --weights are not for svmlight data (the label is the target)"
                        .into(),
                ));
            }
            let file = p.display().to_string();
            let zb = a.zero_based.unwrap_or(ZeroBasedArg::Auto).into();
            let d = io::read_svmlight(p, zb, None)?;
            let first = usize::from(!d.zero_based);
            let p_features = d.ncols;
            // kept sparse: the estimators take the CSC matrix as it is
            let (x, y) = io::sparse_design(d, &file, u32::MAX as usize)?;
            return Ok(Dataset {
                file,
                feature_names: (first..first + p_features)
                    .map(|j| format!("x{j}"))
                    .collect(),
                target_names: vec!["y".into()],
                x,
                y,
                weights: None,
                offset: None,
                offset_name: None,
                lines: None,
            });
        }
        Some(p) if is_npy(p) => {
            let Some(yp) = &a.y_npy else {
                return Err(CliError::Usage(
                    "--data is a .npy file: give the targets with --y FILE.npy".into(),
                ));
            };
            if a.weights.is_some() || !a.target.is_empty() || a.features.is_some() {
                return Err(CliError::Usage(
                    "--target, --features and --weights name CSV columns; not with .npy data"
                        .into(),
                ));
            }
            let xf = p.display().to_string();
            let yf = yp.display().to_string();
            let xa = io::read_npy(p)?;
            let ya = io::read_npy(yp)?;
            if xa.shape.len() != 2 {
                return Err(DataError {
                    file: xf,
                    line: None,
                    column: None,
                    kind: io::ErrorKind::Shape(format!(
                        "features must be a 2-D array, got shape {:?}",
                        xa.shape
                    )),
                }
                .into());
            }
            if ya.nrows() != xa.nrows() {
                return Err(DataError {
                    file: yf,
                    line: None,
                    column: None,
                    kind: io::ErrorKind::Shape(format!(
                        "{} target rows, {xf} has {} rows",
                        ya.nrows(),
                        xa.nrows()
                    )),
                }
                .into());
            }
            if xa.nrows() == 0 || xa.ncols() == 0 {
                return Err(DataError {
                    file: xf,
                    line: None,
                    column: None,
                    kind: io::ErrorKind::Empty,
                }
                .into());
            }
            let xt = io::npy_table(&xa, &xf, "x");
            let yt = io::npy_table(&ya, &yf, "y");
            return Ok(Dataset {
                file: xf,
                feature_names: xt.names,
                target_names: yt.names,
                x: Design::Dense(ColMajor::new(xa.data, xa.shape[0], xa.shape[1])?),
                y: ya.data,
                weights: None,
                offset: None,
                offset_name: None,
                lines: None,
            });
        }
        Some(p) => {
            if a.y_npy.is_some() {
                return Err(CliError::Usage(
                    "--y is for .npy data; with CSV use --target".into(),
                ));
            }
            io::read_csv(p, delimiter(a.delimiter)?)?
        }
    };
    let targets = if a.target.is_empty() {
        vec![table.names.last().cloned().unwrap_or_default()]
    } else {
        a.target.clone()
    };
    Ok(io::select(
        &table,
        &io::Selection {
            targets: &targets,
            features: a.features.as_deref(),
            weights: a.weights.as_deref(),
            offset: a.offset.as_deref().or(a.exposure.as_deref()),
            exposure: a.exposure.is_some(),
        },
    )?)
}

// ---------------------------------------------------------------------------------------------
// fitting
// ---------------------------------------------------------------------------------------------

/// A fitted model in plain numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// The penalty.
    pub penalty: PenaltyKind,
    /// α.
    pub alpha: f64,
    /// ρ (1 for Lasso, 0 for Ridge).
    pub l1_ratio: f64,
    /// `p × k` row-major.
    pub coef: Vec<f64>,
    /// One per task.
    pub intercept: Vec<f64>,
    /// Certificates.
    pub report: FitReport<f64>,
    /// Seconds spent in the library's fit.
    pub seconds: f64,
    /// The two labels of a binomial fit (the coefficients model the log-odds of the second).
    pub classes: Option<[f64; 2]>,
    /// Poisson / Huber fits: the family, δ and the offset column.
    pub glm: Option<GlmInfo>,
    /// Multinomial fits: the labels and the penalty form (`coef` is `p × K`, one column per
    /// label).
    pub multinomial: Option<MultinomialInfo>,
    /// Group lasso fits: the partition and its weights.
    pub groups: Option<crate::group::GroupInfo>,
    /// Relaxed / adaptive lasso fits: γ and the refit, or the adaptive weighting.
    pub relax: Option<crate::relax::RelaxInfo>,
}

/// What a multinomial fit adds to its numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialInfo {
    /// The `K` distinct labels, sorted: column `k` of the coefficients is `classes[k]`'s.
    pub classes: Vec<f64>,
    /// The grouped penalty (`--grouped`).
    pub grouped: bool,
}

/// What a Poisson or Huber fit adds to its numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct GlmInfo {
    /// [`FamilyArg::Poisson`] or [`FamilyArg::Huber`].
    pub family: FamilyArg,
    /// Huber's δ.
    pub delta: Option<f64>,
    /// The column the Poisson offset came from (`--offset COL`; `log(COL)` for `--exposure`).
    pub offset: Option<String>,
}

macro_rules! common {
    ($b:expr, $m:expr, $p:expr) => {{
        let mut b = $b
            .fit_intercept(!$m.no_intercept)
            .standardize($m.standardize)
            .positive($m.positive)
            .solver($m.solver.into())
            .tol($m.tol)
            .max_iter($crate::commands::max_iter_of($m));
        if let Some(f) = &$m.penalty_factor {
            if f.len() != $p {
                return Err(CliError::Usage(format!(
                    "--penalty-factor has {} values, the data has {} features",
                    f.len(),
                    $p
                )));
            }
            b = b.penalty_factors(f.clone());
        }
        if let Some(k) = $m.kkt_tol {
            b = b.kkt_tol(k);
        }
        b
    }};
}
pub(crate) use common;

/// The iteration limit when `--max-iter` is not given (the group penalties use their
/// estimators' own default instead).
pub const DEFAULT_MAX_ITER: usize = 10_000;

/// `--max-iter`, or [`DEFAULT_MAX_ITER`].
pub(crate) fn max_iter_of(m: &ModelArgs) -> usize {
    m.max_iter.unwrap_or(DEFAULT_MAX_ITER)
}

pub(crate) fn l1_ratio_of(m: &ModelArgs) -> f64 {
    match m.penalty {
        PenaltyKind::Lasso | PenaltyKind::MultiTaskLasso | PenaltyKind::Mcp | PenaltyKind::Scad => {
            1.0
        }
        PenaltyKind::Ridge => 0.0,
        PenaltyKind::GroupLasso | PenaltyKind::SparseGroupLasso => crate::group::tau_of(m),
        _ => m.l1_ratio.unwrap_or(0.5),
    }
}

/// The checks of the model arguments against the data shared by `fit` and `path`: several
/// targets need a multi-task penalty, `--l1-ratio` an elastic net, `--gamma` MCP / SCAD.
pub(crate) fn check_model_args(ds: &Dataset, m: &ModelArgs) -> Result<()> {
    let k = ds.n_tasks();
    if k > 1 && !m.penalty.multitask() {
        return Err(CliError::Usage(format!(
            "{} targets given ({}): use --penalty multi-task-lasso or multi-task-elastic-net",
            k,
            ds.target_names.join(", ")
        )));
    }
    if m.l1_ratio.is_some()
        && !matches!(
            m.penalty,
            PenaltyKind::ElasticNet
                | PenaltyKind::MultiTaskElasticNet
                | PenaltyKind::SparseGroupLasso
                | PenaltyKind::GroupLasso
        )
    {
        return Err(CliError::Usage(
            "--l1-ratio applies to elastic-net, multi-task-elastic-net and sparse-group-lasso (τ) only".into(),
        ));
    }
    check_nonconvex_args(ds, m)
}

/// `--family binomial` takes one target column.
fn check_binomial_targets(ds: &Dataset, m: &ModelArgs) -> Result<()> {
    if m.family == FamilyArg::Binomial && ds.n_tasks() > 1 {
        return Err(CliError::Usage(
            "--family binomial takes one target column".into(),
        ));
    }
    Ok(())
}

/// A job generic over the library's [`Estimator`]s: what `fit` and `path` do with whichever
/// estimator `--family` / `--penalty` name.
trait EstimatorJob {
    /// What the job returns.
    type Out;
    /// Runs the job with `est` (its options from the command line).
    fn run<E: Estimator<f64>>(self, est: E) -> Result<Self::Out>;
}

/// Builds the estimator `m` describes (every option of the command line) and runs `job` with
/// it: the one place that maps `--family` / `--penalty` to a library estimator. MCP and SCAD,
/// whose penalty changes with alpha, are not fitted through it.
fn with_estimator<J: EstimatorJob>(m: &ModelArgs, p: usize, job: J) -> Result<J::Out> {
    let rho = l1_ratio_of(m);
    if m.family == FamilyArg::Binomial {
        return job.run(binomial_params(m, p)?);
    }
    if m.family.is_glm() || m.family == FamilyArg::Multinomial {
        return Err(CliError::Usage(format!(
            "internal: {} is fitted by its own estimator",
            m.family.name()
        )));
    }
    match m.penalty {
        PenaltyKind::Lasso => job.run(common!(Lasso::params(), m, p)),
        PenaltyKind::ElasticNet => job.run(common!(ElasticNet::params().l1_ratio(rho), m, p)),
        PenaltyKind::Ridge => job.run(common!(Ridge::params(), m, p)),
        PenaltyKind::MultiTaskLasso => job.run(common!(MultiTaskLasso::params(), m, p)),
        PenaltyKind::MultiTaskElasticNet => {
            job.run(common!(MultiTaskElasticNet::params().l1_ratio(rho), m, p))
        }
        PenaltyKind::Mcp | PenaltyKind::Scad => Err(CliError::Usage(format!(
            "internal: {} is fitted alpha by alpha",
            m.penalty.name()
        ))),
        PenaltyKind::GroupLasso | PenaltyKind::SparseGroupLasso => Err(CliError::Usage(format!(
            "internal: {} is fitted by its own estimator",
            m.penalty.name()
        ))),
    }
}

/// A library model in plain numbers (`seconds` 0: the caller times its own work).
fn fitted_of<M: proxreg::Fitted<f64>>(m: &ModelArgs, model: M) -> Fitted {
    let classes = model.classes();
    let model = model.into_linear_model();
    Fitted {
        penalty: m.penalty,
        alpha: model.alpha(),
        l1_ratio: l1_ratio_of(m),
        coef: model.coef().to_vec(),
        intercept: model.intercepts().to_vec(),
        report: model.report().clone(),
        seconds: 0.0,
        classes,
        glm: None,
        multinomial: None,
        groups: None,
        relax: None,
    }
}

/// One fit at `alpha`, warm-started from `warm`, with the data's sample weights.
struct FitAt<'a> {
    ds: &'a Dataset,
    m: &'a ModelArgs,
    alpha: f64,
    warm: Option<Vec<f64>>,
}

impl EstimatorJob for FitAt<'_> {
    type Out = Fitted;
    fn run<E: Estimator<f64>>(self, est: E) -> Result<Fitted> {
        let t0 = Instant::now();
        let mut est = est.alpha(self.alpha);
        if let Some(c) = self.warm {
            est = est.warm_start(c);
        }
        let (y, w) = (&self.ds.y, self.ds.weights.as_deref());
        let model = on_design!(&self.ds.x, |x| est.fit_with(x, y, w)?);
        let mut f = fitted_of(self.m, model);
        f.seconds = t0.elapsed().as_secs_f64();
        Ok(f)
    }
}

/// The library's warm-started path over `alphas`, with the data's sample weights.
struct PathOver<'a> {
    ds: &'a Dataset,
    m: &'a ModelArgs,
    alphas: &'a [f64],
}

impl EstimatorJob for PathOver<'_> {
    type Out = Vec<Fitted>;
    fn run<E: Estimator<f64>>(self, est: E) -> Result<Vec<Fitted>> {
        let ds = self.ds;
        let (y, w) = (&ds.y, ds.weights.as_deref());
        let models = on_design!(&ds.x, |x| est.path(x, y, w, self.alphas)?);
        Ok(models
            .into_iter()
            .map(|model| fitted_of(self.m, model))
            .collect())
    }
}

/// Fits one model of the kind `m` describes at `alpha` (warm-started from `warm`).
///
/// # Errors
/// [`CliError::Usage`] for argument mismatches (multi-task penalty with one target, …);
/// [`CliError::Fit`] for the library's errors.
pub fn fit_one(ds: &Dataset, m: &ModelArgs, alpha: f64, warm: Option<Vec<f64>>) -> Result<Fitted> {
    check_family_args(ds, m)?;
    check_model_args(ds, m)?;
    if crate::group::is_group(m.penalty) {
        return crate::group::fit(ds, m, alpha);
    }
    if m.family.is_glm() {
        return glm_fit(ds, m, alpha, warm);
    }
    if m.family == FamilyArg::Multinomial {
        // the library's own path warm-starts; a single fit starts from zero
        return crate::multinomial::fit(ds, m, alpha);
    }
    check_binomial_targets(ds, m)?;
    if crate::group::is_group(m.penalty) {
        return crate::group::fit(ds, m, alpha);
    }
    if crate::relax::kind(m).is_some() {
        return crate::relax::fit(ds, m, alpha);
    }
    if m.family == FamilyArg::Gaussian && m.penalty.nonconvex() {
        let t0 = Instant::now();
        let model = match m.penalty {
            PenaltyKind::Scad => {
                let pen = proxreg::penalty::Scad::for_alpha(gamma_of(m), alpha)?;
                nonconvex_fit(ds, m, pen, alpha, warm)?
            }
            _ => {
                let pen = proxreg::penalty::Mcp::for_alpha(gamma_of(m), alpha)?;
                nonconvex_fit(ds, m, pen, alpha, warm)?
            }
        };
        let mut f = fitted_from(m.penalty, l1_ratio_of(m), &model);
        f.seconds = t0.elapsed().as_secs_f64();
        return Ok(f);
    }
    let job = FitAt { ds, m, alpha, warm };
    with_estimator(m, ds.x.ncols(), job)
}

/// The binomial penalties, and a clear error for the others.
fn check_binomial_args(m: &ModelArgs) -> Result<()> {
    if !matches!(
        m.penalty,
        PenaltyKind::Lasso | PenaltyKind::ElasticNet | PenaltyKind::Ridge
    ) {
        return Err(CliError::Usage(format!(
            "--family binomial takes --penalty lasso, elastic-net or ridge (not {})",
            m.penalty.name()
        )));
    }
    if !matches!(m.solver, SolverArg::Auto) {
        return Err(CliError::Usage(
            "--family binomial is solved by proximal Newton: use --solver auto".into(),
        ));
    }
    Ok(())
}

/// The binomial model's builder with the options of `m`.
fn binomial_params(m: &ModelArgs, p: usize) -> Result<LogisticRegressionParams<f64>> {
    check_binomial_args(m)?;
    let b = LogisticRegression::params().l1_ratio(l1_ratio_of(m));
    Ok(common!(b, m, p))
}

/// `--huber-delta`, or the default 1.35.
pub(crate) fn delta_of(m: &ModelArgs) -> f64 {
    m.huber_delta.unwrap_or(DEFAULT_HUBER_DELTA)
}

/// The family-specific arguments, checked before anything is fitted: `--huber-delta` only with
/// huber, `--offset` / `--exposure` only with poisson, `--grouped` only with multinomial (and
/// its own checks, [`crate::multinomial::check_args`]), `--solver prox-newton` only with
/// poisson / huber; for poisson and huber one target, the penalties lasso / elastic-net / ridge, their
/// solvers, and (poisson) counts `y >= 0`.
pub(crate) fn check_family_args(ds: &Dataset, m: &ModelArgs) -> Result<()> {
    crate::group::check_flags(m)?;
    crate::relax::check_flags(m)?;
    let fam = m.family;
    if m.huber_delta.is_some() && fam != FamilyArg::Huber {
        return Err(CliError::Usage(format!(
            "--huber-delta applies to --family huber (not {})",
            fam.name()
        )));
    }
    if ds.offset.is_some() && fam != FamilyArg::Poisson {
        return Err(CliError::Usage(format!(
            "--offset / --exposure apply to --family poisson (not {})",
            fam.name()
        )));
    }
    if m.grouped && fam != FamilyArg::Multinomial {
        return Err(CliError::Usage(format!(
            "--grouped applies to --family multinomial (not {}; for groups of features see the library's GroupLasso)",
            fam.name()
        )));
    }
    if fam == FamilyArg::Multinomial {
        return crate::multinomial::check_args(ds, m);
    }
    if !fam.is_glm() {
        if m.solver == SolverArg::ProxNewton && fam == FamilyArg::Gaussian {
            return Err(CliError::Usage(
                "--solver prox-newton is for --family poisson or huber (least squares: auto, cd, fista, cholesky, svd)".into(),
            ));
        }
        return Ok(());
    }
    let name = fam.name();
    if ds.n_tasks() > 1 {
        return Err(CliError::Usage(format!(
            "--family {name} takes one target column ({} given: {})",
            ds.n_tasks(),
            ds.target_names.join(", ")
        )));
    }
    let group = crate::group::is_group(m.penalty);
    if !group
        && !matches!(
            m.penalty,
            PenaltyKind::Lasso | PenaltyKind::ElasticNet | PenaltyKind::Ridge
        )
    {
        return Err(CliError::Usage(format!(
            "--family {name} takes --penalty lasso, elastic-net, ridge, group-lasso or sparse-group-lasso (not {})",
            m.penalty.name()
        )));
    }
    // (the group penalties' solver is checked by `group::check_args`: block coordinate descent)
    match (fam, m.solver) {
        _ if group => {}
        (FamilyArg::Poisson, SolverArg::Auto | SolverArg::ProxNewton)
        | (FamilyArg::Huber, SolverArg::Auto | SolverArg::ProxNewton | SolverArg::Cd) => {}
        (FamilyArg::Poisson, _) => {
            return Err(CliError::Usage(
                "--family poisson is solved by proximal Newton: use --solver auto or prox-newton (the Poisson curvature has no bound for coordinate descent)".into(),
            ))
        }
        _ => {
            return Err(CliError::Usage(
                "--family huber takes --solver auto, prox-newton or cd".into(),
            ))
        }
    }
    if let Some(d) = m.huber_delta {
        let ok = d.is_finite() && d > 0.0;
        if !ok {
            return Err(CliError::Usage(format!(
                "--huber-delta must be a finite number > 0, got {d}"
            )));
        }
    }
    if fam == FamilyArg::Poisson {
        if let Some(i) = ds.y.iter().position(|&v| v < 0.0) {
            return Err(DataError {
                file: ds.file.clone(),
                line: ds.lines.as_ref().and_then(|l| l.get(i).copied()),
                column: None,
                kind: io::ErrorKind::OutOfRange(format!(
                    "--family poisson needs counts >= 0: target {} is {} in data row {}",
                    ds.target_names.join(","),
                    ds.y[i],
                    i + 1
                )),
            }
            .into());
        }
    }
    if let Some(o) = &ds.offset {
        if let Some(i) = o.iter().position(|v| !v.is_finite()) {
            return Err(DataError {
                file: ds.file.clone(),
                line: ds.lines.as_ref().and_then(|l| l.get(i).copied()),
                column: None,
                kind: io::ErrorKind::OutOfRange(format!(
                    "offset {} is not finite in data row {}",
                    ds.offset_name.as_deref().unwrap_or("?"),
                    i + 1
                )),
            }
            .into());
        }
    }
    Ok(())
}

/// The Poisson builder with the options of `m`.
fn poisson_params(m: &ModelArgs, p: usize) -> Result<PoissonRegressionParams<f64>> {
    let b = PoissonRegression::params().l1_ratio(l1_ratio_of(m));
    Ok(common!(b, m, p))
}

/// The Huber builder with the options of `m`.
fn huber_params(m: &ModelArgs, p: usize) -> Result<HuberRegressionParams<f64>> {
    let b = HuberRegression::params()
        .delta(delta_of(m))
        .l1_ratio(l1_ratio_of(m));
    Ok(common!(b, m, p))
}

/// A Poisson / Huber model in plain numbers.
fn glm_fitted(ds: &Dataset, m: &ModelArgs, model: &LinearModel<f64>) -> Fitted {
    let mut f = fitted_from(m.penalty, l1_ratio_of(m), model);
    f.glm = Some(GlmInfo {
        family: m.family,
        delta: (m.family == FamilyArg::Huber).then(|| delta_of(m)),
        offset: ds.offset_name.clone(),
    });
    f
}

/// One Poisson / Huber fit at `alpha` (weights and offset from the data).
fn glm_fit(ds: &Dataset, m: &ModelArgs, alpha: f64, warm: Option<Vec<f64>>) -> Result<Fitted> {
    let t0 = Instant::now();
    let p = ds.x.ncols();
    let (y, w, off) = (&ds.y, ds.weights.as_deref(), ds.offset.as_deref());
    let model = if m.family == FamilyArg::Poisson {
        let mut b = poisson_params(m, p)?.alpha(alpha);
        if let Some(c) = warm {
            b = b.warm_start(c);
        }
        on_design!(&ds.x, |x| b.fit_offset(x, y, w, off)?).into_inner()
    } else {
        let mut b = huber_params(m, p)?.alpha(alpha);
        if let Some(c) = warm {
            b = b.warm_start(c);
        }
        on_design!(&ds.x, |x| match w {
            Some(w) => b.fit_weighted(x, y, w)?,
            None => b.fit(x, y)?,
        })
        .into_inner()
    };
    let mut f = glm_fitted(ds, m, &model);
    f.seconds = t0.elapsed().as_secs_f64();
    Ok(f)
}

/// The library's warm-started Poisson / Huber path over `alphas`.
fn glm_path(ds: &Dataset, m: &ModelArgs, alphas: &[f64]) -> Result<Vec<Fitted>> {
    let p = ds.x.ncols();
    let (y, w, off) = (&ds.y, ds.weights.as_deref(), ds.offset.as_deref());
    let models: Vec<LinearModel<f64>> = if m.family == FamilyArg::Poisson {
        let b = poisson_params(m, p)?;
        on_design!(&ds.x, |x| b.path(x, y, w, off, alphas)?)
            .into_iter()
            .map(PoissonRegression::into_inner)
            .collect()
    } else {
        let b = huber_params(m, p)?;
        on_design!(&ds.x, |x| b.path(x, y, w, alphas)?)
            .into_iter()
            .map(HuberRegression::into_inner)
            .collect()
    };
    Ok(models.iter().map(|mo| glm_fitted(ds, m, mo)).collect())
}

/// The Poisson / Huber `alpha_max` (same weights, offset, standardization, penalty factors).
fn glm_alpha_max(ds: &Dataset, m: &ModelArgs) -> Result<f64> {
    let p = ds.x.ncols();
    let (y, w, off) = (&ds.y, ds.weights.as_deref(), ds.offset.as_deref());
    Ok(if m.family == FamilyArg::Poisson {
        let b = poisson_params(m, p)?;
        on_design!(&ds.x, |x| b.alpha_max(x, y, w, off)?)
    } else {
        let b = huber_params(m, p)?;
        on_design!(&ds.x, |x| b.alpha_max(x, y, w)?)
    })
}

/// `--gamma`, or the penalty's default (MCP 3, SCAD 3.7).
pub(crate) fn gamma_of(m: &ModelArgs) -> f64 {
    m.gamma.unwrap_or(if m.penalty == PenaltyKind::Scad {
        3.7
    } else {
        3.0
    })
}

/// The options MCP / SCAD fits take (and `--gamma` only with them).
fn check_nonconvex_args(ds: &Dataset, m: &ModelArgs) -> Result<()> {
    if !m.penalty.nonconvex() {
        if m.gamma.is_some() && !m.relax.relax {
            return Err(CliError::Usage(
                "--gamma applies to --penalty mcp or scad, or to --relax".into(),
            ));
        }
        return Ok(());
    }
    if ds.weights.is_some() || m.positive || m.penalty_factor.is_some() {
        return Err(CliError::Usage(
            "--weights, --positive and --penalty-factor are not supported with mcp / scad".into(),
        ));
    }
    if !matches!(m.solver, SolverArg::Auto | SolverArg::Cd) {
        return Err(CliError::Usage(
            "mcp / scad use coordinate descent (--solver auto or cd)".into(),
        ));
    }
    Ok(())
}

/// One MCP / SCAD fit by coordinate descent: the penalty is built for this `alpha`
/// (`for_alpha`, skglm's convention), so it is fitted at strength `alpha`.
fn nonconvex_fit<P: proxreg::penalty::SeparablePenalty<f64>>(
    ds: &Dataset,
    m: &ModelArgs,
    pen: P,
    alpha: f64,
    warm: Option<Vec<f64>>,
) -> Result<LinearModel<f64>> {
    let mut b = PenalizedLinear::params(pen)
        .alpha(alpha)
        .fit_intercept(!m.no_intercept)
        .standardize(m.standardize)
        .tol(m.tol)
        .max_iter(max_iter_of(m));
    if let Some(k) = m.kkt_tol {
        b = b.kkt_tol(k);
    }
    if let Some(c) = warm {
        b = b.warm_start(c);
    }
    Ok(on_design!(&ds.x, |x| b.fit_cd(x, &ds.y)?))
}

/// The line that says what a non-convex fit's certificate means.
pub(crate) const NONCONVEX_NOTE: &str = "  non-convex penalty: the certificate is the KKT (stationarity) violation alone, no duality gap exists; the point is a stationary point reached from the warm start, not necessarily the global minimum\n";

/// A library model in plain numbers (`seconds` 0: the caller times its own work).
pub(crate) fn fitted_from(penalty: PenaltyKind, l1_ratio: f64, model: &LinearModel<f64>) -> Fitted {
    Fitted {
        penalty,
        alpha: model.alpha(),
        l1_ratio,
        coef: model.coef().to_vec(),
        intercept: model.intercepts().to_vec(),
        report: model.report().clone(),
        seconds: 0.0,
        classes: None,
        glm: None,
        multinomial: None,
        groups: None,
        relax: None,
    }
}

fn report_json(r: &FitReport<f64>) -> Value {
    json!({
        "objective": r.objective,
        "duality_gap": r.duality_gap,
        "relative_gap": r.relative_gap,
        "kkt_violation": r.kkt_violation,
        "n_iter": r.n_iter,
        "status": format!("{:?}", r.status),
        "rescaled": r.rescaled,
    })
}

pub(crate) fn fitted_json(f: &Fitted, ds: &Dataset) -> Value {
    let mut v = fitted_json_gaussian(f, ds);
    if let (Some(g), Value::Object(m)) = (&f.glm, &mut v) {
        m.insert("family".into(), json!(g.family.name()));
        m.insert(
            "link".into(),
            json!(if g.family == FamilyArg::Poisson {
                "log"
            } else {
                "identity"
            }),
        );
        if let Some(d) = g.delta {
            m.insert("delta".into(), json!(d));
        }
        if g.family == FamilyArg::Poisson {
            m.insert("offset".into(), json!(g.offset));
        }
    }
    if let (Some(info), Value::Object(m)) = (&f.multinomial, &mut v) {
        for (k, x) in crate::multinomial::json_entries(info) {
            m.insert(k.into(), x);
        }
    }
    if let (Some(info), Value::Object(m)) = (&f.groups, &mut v) {
        for (k, x) in crate::group::json_entries(info, f.l1_ratio) {
            m.insert(k.into(), x);
        }
    }
    if let (Some(info), Value::Object(m)) = (&f.relax, &mut v) {
        for (k, x) in crate::relax::json_entries(info) {
            m.insert(k.into(), x);
        }
    }
    if let (Some([lo, hi]), Value::Object(m)) = (f.classes, &mut v) {
        m.insert("family".into(), json!("binomial"));
        m.insert("classes".into(), json!([lo, hi]));
        m.insert(
            "label_encoding".into(),
            json!(format!(
                "{lo} -> 0, {hi} -> 1 (coefficients model the log-odds of {hi})"
            )),
        );
    }
    v
}

fn fitted_json_gaussian(f: &Fitted, ds: &Dataset) -> Value {
    json!({
        "penalty": f.penalty.name(),
        "alpha": f.alpha,
        "l1_ratio": f.l1_ratio,
        "feature_names": ds.feature_names,
        "target_names": ds.target_names,
        "coef": f.coef,
        "intercept": f.intercept,
        "nonzeros": f.coef.iter().filter(|v| **v != 0.0).count(),
        "certificates": report_json(&f.report),
        "seconds": f.seconds,
    })
}

fn to_model(f: &Fitted, ds: &Dataset) -> Model {
    let multi = f.multinomial.as_ref();
    Model {
        format: FORMAT.into(),
        // version 2 only where it is needed: earlier builds read the other models
        version: if f.groups.is_some() {
            VERSION
        } else if multi.is_some() {
            VERSION_2
        } else {
            VERSION_1
        },
        proxreg_version: env!("CARGO_PKG_VERSION").into(),
        estimator: f
            .relax
            .as_ref()
            .map_or(f.penalty.name(), |r| r.estimator())
            .into(),
        alpha: f.alpha,
        l1_ratio: f.l1_ratio,
        feature_names: ds.feature_names.clone(),
        target_names: ds.target_names.clone(),
        n_features: ds.x.ncols(),
        n_tasks: ds.n_tasks(),
        coef: f.coef.clone(),
        intercept: f.intercept.clone(),
        family: match (&f.glm, multi) {
            (Some(g), _) => Some(g.family.name().to_string()),
            (None, Some(_)) => Some("multinomial".to_string()),
            (None, None) => f.classes.map(|_| "binomial".to_string()),
        },
        classes: multi
            .map(|i| i.classes.clone())
            .or_else(|| f.classes.map(|c| c.to_vec())),
        grouped: multi.map(|i| i.grouped),
        delta: f.glm.as_ref().and_then(|g| g.delta),
        offset: f.glm.as_ref().and_then(|g| g.offset.clone()),
        groups: f.groups.as_ref().map(|g| g.labels.clone()),
        group_weights: f.groups.as_ref().map(|g| g.weights.clone()),
    }
}

pub(crate) fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Write {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?;
    }
    std::fs::write(path, text).map_err(|e| CliError::Write {
        file: path.display().to_string(),
        message: e.to_string(),
    })
}

pub(crate) fn write_json(path: &Path, mut v: Value) -> Result<()> {
    if let Value::Object(m) = &mut v {
        m.insert("proxreg_version".into(), json!(env!("CARGO_PKG_VERSION")));
    }
    let text = serde_json::to_string_pretty(&v).map_err(|e| CliError::Write {
        file: path.display().to_string(),
        message: e.to_string(),
    })?;
    write_file(path, &text)
}

pub(crate) fn save_model(path: &Path, f: &Fitted, ds: &Dataset) -> Result<()> {
    let text = to_model(f, ds)
        .to_json_string()
        .map_err(|e| CliError::Write {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
    write_file(path, &text)
}

/// The names of the coefficient columns: the targets, or a multinomial fit's classes
/// (`TARGET=LABEL`).
pub(crate) fn output_names(f: &Fitted, ds: &Dataset) -> Vec<String> {
    match &f.multinomial {
        Some(info) => {
            let t = ds.target_names.join(",");
            info.classes
                .iter()
                .map(|&c| format!("{t}={}", crate::multinomial::label(c)))
                .collect()
        }
        None => ds.target_names.clone(),
    }
}

/// The lines that say how a classifier's labels map to its coefficients (nothing for the
/// other families).
fn class_mapping(f: &Fitted, ds: &Dataset) -> String {
    let t = ds.target_names.join(",");
    if let Some([lo, hi]) = f.classes {
        return format!(
            "  target {t}: label {lo} -> 0, label {hi} -> 1 (the coefficients model the log-odds of {hi})\n"
        );
    }
    match &f.multinomial {
        Some(info) => format!(
            "  target {t}: {} classes, {} (one coefficient column per label; probabilities are the softmax over the columns)\n",
            info.classes.len(),
            crate::multinomial::mapping(info)
        ),
        None => String::new(),
    }
}

pub(crate) fn coef_table(f: &Fitted, ds: &Dataset) -> String {
    let names = output_names(f, ds);
    let k = names.len();
    let width = ds
        .feature_names
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let mut s = format!("  {:<width$}", "feature");
    for t in &names {
        s += &format!(" {t:>14}");
    }
    s.push('\n');
    s += &format!("  {:<width$}", "intercept");
    for b in &f.intercept {
        s += &format!(" {b:>14.6}");
    }
    s.push('\n');
    for (j, name) in ds.feature_names.iter().enumerate() {
        s += &format!("  {name:<width$}");
        for t in 0..k {
            let v = f.coef[j * k + t];
            if v == 0.0 {
                s += &format!(" {:>14}", "0");
            } else {
                s += &format!(" {v:>14.6}");
            }
        }
        s.push('\n');
    }
    s
}

/// `binomial `, `multinomial `, `multinomial grouped `, `poisson `, `huber ` before the
/// penalty's name (nothing for least squares).
fn family_prefix(m: &ModelArgs) -> String {
    match m.family {
        FamilyArg::Gaussian => String::new(),
        FamilyArg::Multinomial if m.grouped => "multinomial grouped ".into(),
        f => format!("{} ", f.name()),
    }
}

pub(crate) fn certificates_line(r: &FitReport<f64>) -> String {
    let gap = r
        .duality_gap
        .map_or("n/a".to_string(), |g| format!("{g:.3e}"));
    let rel = r
        .relative_gap
        .map_or("n/a".to_string(), |g| format!("{g:.3e}"));
    format!(
        "  certificates: duality gap {gap} (relative {rel}), KKT violation {:.3e}, {} iterations, {:?}\n",
        r.kkt_violation, r.n_iter, r.status
    )
}

/// `proxreg fit`.
///
/// # Errors
/// Data, argument and fit errors.
pub fn fit(a: &FitArgs, out: &mut dyn std::io::Write) -> Result<()> {
    if let Some(d) = crate::stats_route::source(&a.data, None)? {
        return crate::stats_route::fit(a, &d, out);
    }
    let ds = load(&a.data)?;
    let f = fit_one(&ds, &a.model, a.alpha, None)?;
    report_fit(a, &ds, &f, &[], out)
}

/// Inserts `extra` entries into a JSON object (what a route adds to the common output).
pub(crate) fn with_extra(mut v: Value, extra: &[(&'static str, Value)]) -> Value {
    if let Value::Object(o) = &mut v {
        for (k, x) in extra {
            o.insert((*k).into(), x.clone());
        }
    }
    v
}

/// What `fit` prints and writes for the fit `f` on `ds` (`extra`: entries added to the JSON).
pub(crate) fn report_fit(
    a: &FitArgs,
    ds: &Dataset,
    f: &Fitted,
    extra: &[(&'static str, Value)],
    out: &mut dyn std::io::Write,
) -> Result<()> {
    if !a.out.quiet {
        say(
            out,
            &format!(
                "{}{} on {} ({} samples × {} features), alpha = {}{}\n",
                family_prefix(&a.model),
                f.relax.as_ref().map_or(f.penalty.name(), |r| r.estimator()),
                ds.file,
                ds.nrows(),
                ds.x.ncols(),
                f.alpha,
                if matches!(
                    f.penalty,
                    PenaltyKind::ElasticNet | PenaltyKind::MultiTaskElasticNet
                ) {
                    format!(", l1_ratio = {}", f.l1_ratio)
                } else if f.penalty.nonconvex() {
                    format!(", gamma = {}", gamma_of(&a.model))
                } else if let Some(g) = &f.groups {
                    format!(
                        ", {} groups, tau (l1_ratio) = {}",
                        g.names.len(),
                        f.l1_ratio
                    )
                } else if let Some(r) = &f.relax {
                    crate::relax::header(r)
                } else {
                    String::new()
                }
            ),
        );
        say(out, &class_mapping(f, ds));
        say(out, &coef_table(f, ds));
        if let Some(g) = &f.groups {
            say(out, &crate::group::summary(g, ds, &f.coef));
        }
        say(out, &certificates_line(&f.report));
        if f.penalty.nonconvex() {
            say(out, NONCONVEX_NOTE);
        }
        if let Some(r) = &f.relax {
            say(out, &crate::relax::summary(r, ds));
        }
    }
    if let Some(p) = &a.out.json {
        let mut fit = fitted_json(f, ds);
        if let (true, Value::Object(m)) = (f.penalty.nonconvex(), &mut fit) {
            m.insert("gamma".into(), json!(gamma_of(&a.model)));
            m.insert("certificate".into(), json!("kkt-only"));
        }
        let v = json!({ "command": "fit", "data": ds.file, "fit": fit });
        write_json(p, with_extra(v, extra))?;
    }
    if let Some(p) = &a.save_model {
        save_model(p, f, ds)?;
    }
    if a.out.plot.is_some() {
        return Err(CliError::Usage(
            "--plot applies to `path` and `cv` (a single fit has nothing to plot)".into(),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// path
// ---------------------------------------------------------------------------------------------

pub(crate) fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    if std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new(len);
        pb.set_message(what.to_string());
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {elapsed}")
        {
            pb.set_style(style);
        }
        pb
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// The automatic alpha grid, from the library: `n_alphas` values log-spaced from the
/// estimator's own `alpha_max` (the smallest alpha with all-zero coefficients, from the same
/// centering, standardization, weights and penalty factors as its fits) down to
/// `eps · alpha_max` ([`proxreg::solvers::alpha_grid`], the grid the CV estimators use). Ridge
/// has no such alpha: its grid is [`RidgeParams::alpha_grid`](proxreg::RidgeParams::alpha_grid)
/// on the design as the fit prepares it (centered, standardized, weighted; [`RidgeCv`]'s grid
/// without standardization or weights), `n_alphas` values from `100·σ_max²` down to
/// `σ_min²/100` (`eps` unused).
///
/// # Errors
/// [`CliError::Usage`] for `n_alphas == 0`, `eps` outside `(0, 1)`, an Elastic Net with
/// `l1_ratio = 0` or binomial ridge (give `--alphas`), or data that make `alpha_max` zero;
/// [`CliError::Fit`] for the library's errors.
pub fn alpha_grid(ds: &Dataset, m: &ModelArgs, n_alphas: usize, eps: f64) -> Result<Vec<f64>> {
    let ok = eps > 0.0 && eps < 1.0;
    if n_alphas == 0 || !ok {
        return Err(CliError::Usage(
            "--n-alphas must be >= 1 and --eps in (0, 1)".into(),
        ));
    }
    let p = ds.x.ncols();
    let w = ds.weights.as_deref();
    check_family_args(ds, m)?;
    if m.family == FamilyArg::Multinomial {
        return crate::multinomial::alpha_grid(ds, m, n_alphas, eps);
    }
    if m.family.is_glm() && !crate::group::is_group(m.penalty) {
        if l1_ratio_of(m) <= 0.0 {
            return Err(CliError::Usage(format!(
                "{} ridge (l1_ratio 0) has no alpha_max to start an automatic grid from: give --alphas",
                m.family.name()
            )));
        }
        let amax = glm_alpha_max(ds, m)?;
        let ok = amax.is_finite() && amax > 0.0;
        if !ok {
            return Err(CliError::Usage(
                "alpha_max is 0 (constant target or features): give --alphas".into(),
            ));
        }
        return Ok(proxreg::solvers::alpha_grid(amax, n_alphas, eps)?);
    }
    if m.family == FamilyArg::Binomial && m.penalty == PenaltyKind::Ridge {
        return Err(CliError::Usage(
            "binomial ridge has no alpha_max to start an automatic grid from: give --alphas".into(),
        ));
    }
    if crate::group::is_group(m.penalty) {
        let amax = crate::group::alpha_max(ds, m)?;
        let ok = amax.is_finite() && amax > 0.0;
        if !ok {
            return Err(CliError::Usage(format!(
                "alpha_max is {amax} (constant target or features, or every group unpenalized): give --alphas"
            )));
        }
        return Ok(proxreg::solvers::alpha_grid(amax, n_alphas, eps)?);
    }
    if let Some(amax) = crate::relax::adaptive_alpha_max(ds, m)? {
        let ok = amax.is_finite() && amax > 0.0;
        if !ok {
            return Err(CliError::Usage(format!(
                "alpha_max of the adaptive lasso is {amax} (every feature excluded, or a constant target): give --alphas"
            )));
        }
        return Ok(proxreg::solvers::alpha_grid(amax, n_alphas, eps)?);
    }
    if m.penalty == PenaltyKind::Ridge {
        let b = common!(Ridge::params(), m, p);
        return Ok(on_design!(&ds.x, |x| b.alpha_grid(x, &ds.y, w, n_alphas)?));
    }
    let rho = l1_ratio_of(m);
    let ok = rho > 0.0 && rho <= 1.0;
    if !ok {
        return Err(CliError::Usage(
            "an automatic grid needs l1_ratio in (0, 1]: give --alphas".into(),
        ));
    }
    // The library's alpha_max, from the same preparation and penalty as every fit.
    check_nonconvex_args(ds, m)?;
    let y = &ds.y;
    let amax = on_design!(&ds.x, |x| match m.penalty {
        _ if m.family == FamilyArg::Binomial => binomial_params(m, p)?.alpha_max(x, y, w)?,
        // MCP and SCAD: ∂g(0) = [−α, α] as for the Lasso, so the same alpha_max.
        PenaltyKind::Lasso | PenaltyKind::Mcp | PenaltyKind::Scad => {
            common!(Lasso::params(), m, p).alpha_max(x, y, w)?
        }
        PenaltyKind::MultiTaskLasso =>
            common!(MultiTaskLasso::params(), m, p).alpha_max(x, y, w)?,
        PenaltyKind::MultiTaskElasticNet => {
            common!(MultiTaskElasticNet::params().l1_ratio(rho), m, p).alpha_max(x, y, w)?
        }
        _ => common!(ElasticNet::params().l1_ratio(rho), m, p).alpha_max(x, y, w)?,
    });
    let ok = amax.is_finite() && amax > 0.0;
    if !ok {
        return Err(CliError::Usage(
            "alpha_max is 0 (constant target or features): give --alphas".into(),
        ));
    }
    Ok(proxreg::solvers::alpha_grid(amax, n_alphas, eps)?)
}

pub(crate) fn given_alphas(v: &[f64]) -> Result<Vec<f64>> {
    if v.is_empty() {
        return Err(CliError::Usage("--alphas is empty".into()));
    }
    for &a in v {
        let ok = a.is_finite() && a >= 0.0;
        if !ok {
            return Err(CliError::Usage(format!(
                "--alphas: {a} is not a finite number >= 0"
            )));
        }
    }
    let mut v = v.to_vec();
    v.sort_by(|a, b| b.total_cmp(a));
    Ok(v)
}

/// A regularization path in plain numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct PathFit {
    /// One fit per alpha, in the grid's order.
    pub fits: Vec<Fitted>,
    /// Seconds spent in the library's path.
    pub seconds: f64,
}

/// Fits the path over `alphas` (decreasing) with the library's warm-started path (the data
/// prepared once): `path` of the estimator's params (coordinate descent, FISTA, block
/// coordinate descent, or proximal Newton for `--family binomial`; ridge's direct solver is
/// exact at each alpha). MCP and SCAD, whose penalty changes with alpha, are fitted alpha by
/// alpha, each warm-started from the previous fit.
///
/// # Errors
/// As [`fit_one`].
pub fn fit_path(ds: &Dataset, m: &ModelArgs, alphas: &[f64]) -> Result<PathFit> {
    check_family_args(ds, m)?;
    check_model_args(ds, m)?;
    check_binomial_targets(ds, m)?;
    let t0 = Instant::now();
    let fits = if crate::group::is_group(m.penalty) {
        crate::group::path(ds, m, alphas)?
    } else if m.family.is_glm() {
        glm_path(ds, m, alphas)?
    } else if m.family == FamilyArg::Multinomial {
        crate::multinomial::path(ds, m, alphas)?
    } else if crate::relax::kind(m).is_some() {
        crate::relax::path(ds, m, alphas)?
    } else if m.family == FamilyArg::Gaussian && m.penalty.nonconvex() {
        let pb = progress(alphas.len() as u64, "path");
        let mut fits: Vec<Fitted> = Vec::with_capacity(alphas.len());
        for &a in alphas {
            let warm = fits.last().map(|f| f.coef.clone());
            fits.push(fit_one(ds, m, a, warm)?);
            pb.inc(1);
        }
        pb.finish_and_clear();
        fits
    } else {
        with_estimator(m, ds.x.ncols(), PathOver { ds, m, alphas })?
    };
    Ok(PathFit {
        fits,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

fn path_json(path: &PathFit, ds: &Dataset) -> Value {
    let path_fits = &path.fits;
    json!({
        "feature_names": ds.feature_names,
        "target_names": ds.target_names,
        "alphas": path_fits.iter().map(|f| f.alpha).collect::<Vec<_>>(),
        "coefs": path_fits.iter().map(|f| f.coef.clone()).collect::<Vec<_>>(),
        "intercepts": path_fits.iter().map(|f| f.intercept.clone()).collect::<Vec<_>>(),
        "nonzeros": path_fits.iter().map(|f| f.coef.iter().filter(|v| **v != 0.0).count()).collect::<Vec<_>>(),
        "duality_gaps": path_fits.iter().map(|f| f.report.duality_gap).collect::<Vec<_>>(),
        "relative_gaps": path_fits.iter().map(|f| f.report.relative_gap).collect::<Vec<_>>(),
        "kkt_violations": path_fits.iter().map(|f| f.report.kkt_violation).collect::<Vec<_>>(),
        "statuses": path_fits.iter().map(|f| format!("{:?}", f.report.status)).collect::<Vec<_>>(),
        "seconds": path.seconds,
    })
}

/// The coefficient-path figure.
pub fn path_chart(path: &[Fitted], ds: &Dataset, markers: Vec<Marker>, title: &str) -> Chart {
    let names = path
        .first()
        .map_or_else(|| ds.target_names.clone(), |f| output_names(f, ds));
    let k = names.len();
    let mut series = Vec::new();
    for (j, name) in ds.feature_names.iter().enumerate() {
        for (t, column) in names.iter().enumerate() {
            let label = if k == 1 {
                name.clone()
            } else {
                format!("{name}/{column}")
            };
            series.push(Series {
                label,
                points: path
                    .iter()
                    .map(|f| (f.alpha.log10(), f.coef[j * k + t]))
                    .collect(),
                error: None,
            });
        }
    }
    Chart {
        title: title.into(),
        x_label: "log10(alpha)".into(),
        y_label: "coefficient".into(),
        series,
        markers,
    }
}

/// `proxreg path`.
///
/// # Errors
/// Data, argument and fit errors.
pub fn path(a: &PathArgs, out: &mut dyn std::io::Write) -> Result<()> {
    if let Some(d) = crate::stats_route::source(&a.data, None)? {
        return crate::stats_route::path(a, &d, out);
    }
    let ds = load(&a.data)?;
    let alphas = match &a.grid.alphas {
        Some(v) => given_alphas(v)?,
        None => alpha_grid(&ds, &a.model, a.grid.n_alphas, a.grid.eps)?,
    };
    let path = fit_path(&ds, &a.model, &alphas)?;
    report_path(a, &ds, &path, &[], out)
}

/// What `path` prints and writes for the path `path` on `ds` (`extra`: entries added to the
/// JSON).
pub(crate) fn report_path(
    a: &PathArgs,
    ds: &Dataset,
    path: &PathFit,
    extra: &[(&'static str, Value)],
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let fits = &path.fits;
    let (relax_entries, relax_note) = crate::relax::path_entries(fits);
    if !a.out.quiet {
        say(
            out,
            &format!(
                "{}{} path on {} ({} samples × {} features), {} alphas\n{:>12} {:>8} {:>12} {:>12}  selected\n",
                family_prefix(&a.model),
                crate::relax::name(&a.model),
                ds.file,
                ds.nrows(),
                ds.x.ncols(),
                fits.len(),
                "alpha",
                "nonzeros",
                "gap",
                "kkt"
            ),
        );
        for f in fits {
            let k = f.coef.len() / ds.x.ncols().max(1);
            let sel: Vec<&str> = (0..ds.x.ncols())
                .filter(|&j| f.coef[j * k..(j + 1) * k].iter().any(|v| *v != 0.0))
                .map(|j| ds.feature_names[j].as_str())
                .collect();
            let gap = f
                .report
                .duality_gap
                .map_or("n/a".into(), |g| format!("{g:.2e}"));
            say(
                out,
                &format!(
                    "{:>12.5e} {:>8} {:>12} {:>12.2e}  {}\n",
                    f.alpha,
                    f.coef.iter().filter(|v| **v != 0.0).count(),
                    gap,
                    f.report.kkt_violation,
                    sel.join(" ")
                ),
            );
        }
        if a.model.penalty.nonconvex() {
            say(
                out,
                &format!(
                    "  gamma = {}; each alpha warm-started from the previous one\n{NONCONVEX_NOTE}",
                    gamma_of(&a.model)
                ),
            );
        }
        say(out, &relax_note);
    }
    if let Some(p) = &a.out.json {
        let mut v = path_json(path, ds);
        if let Value::Object(m) = &mut v {
            m.insert("command".into(), json!("path"));
            m.insert("data".into(), json!(ds.file));
            m.insert("penalty".into(), json!(a.model.penalty.name()));
            m.insert("family".into(), json!(a.model.family.name()));
            if a.model.family == FamilyArg::Huber {
                m.insert("delta".into(), json!(delta_of(&a.model)));
            }
            if a.model.family == FamilyArg::Poisson {
                m.insert("offset".into(), json!(ds.offset_name));
            }
            if let Some(c) = fits.first().and_then(|f| f.classes) {
                m.insert("classes".into(), json!(c));
            }
            if let Some(info) = fits.first().and_then(|f| f.multinomial.as_ref()) {
                m.insert("classes".into(), json!(info.classes));
                m.insert("grouped".into(), json!(info.grouped));
                m.insert(
                    "coef_layout".into(),
                    json!("n_features × n_classes, row-major"),
                );
            }
            m.insert("l1_ratio".into(), json!(l1_ratio_of(&a.model)));
            if a.model.penalty.nonconvex() {
                m.insert("gamma".into(), json!(gamma_of(&a.model)));
                m.insert("certificate".into(), json!("kkt-only"));
            }
            for (k, x) in relax_entries {
                m.insert(k.into(), x);
            }
            if let Some(info) = fits.first().and_then(|f| f.groups.as_ref()) {
                for (k, x) in crate::group::json_entries(info, l1_ratio_of(&a.model)) {
                    m.insert(k.into(), x);
                }
                m.insert(
                    "alpha_max".into(),
                    json!(crate::group::alpha_max(ds, &a.model)?),
                );
            }
        }
        write_json(p, with_extra(v, extra))?;
    }
    if let Some(dir) = &a.out.plot {
        let chart = path_chart(
            fits,
            ds,
            Vec::new(),
            &format!("{} path", a.model.penalty.name()),
        );
        write_file(&dir.join("path.svg"), &chart.to_svg())?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// cv
// ---------------------------------------------------------------------------------------------

/// Cross-validation results in plain numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct CvResult {
    /// The alphas (decreasing) of the selected `l1_ratio`.
    pub alphas: Vec<f64>,
    /// `[alpha][fold]` held-out MSE.
    pub mse_path: Vec<Vec<f64>>,
    /// Mean over folds.
    pub mse_mean: Vec<f64>,
    /// Standard error over folds.
    pub mse_std_err: Vec<f64>,
    /// Index of lambda_min.
    pub index_min: usize,
    /// Index of lambda_1se.
    pub index_1se: usize,
    /// The `l1_ratio` grid and the mean curve for each (Elastic Net).
    pub l1_ratios: Vec<f64>,
    /// The selected `l1_ratio`.
    pub l1_ratio: f64,
    /// The refit at the selected alpha.
    pub refit: Fitted,
    /// How the ridge CV was done (`kfold`), or the library estimator used.
    pub method: String,
    /// The held-out measure of the curves (`mse` for least squares).
    pub measure: String,
    /// Family-specific entries of the JSON output (Poisson / Huber: family, delta, offset,
    /// the folds' certificates).
    pub extra: Vec<(&'static str, Value)>,
}

impl CvResult {
    /// The result of a least-squares CV estimator with one curve (`path`, held-out MSE) at
    /// one `l1_ratio`.
    pub(crate) fn of_path(
        path: &CvPath<f64>,
        l1_ratio: f64,
        refit: Fitted,
        method: &str,
        extra: Vec<(&'static str, Value)>,
    ) -> Self {
        Self {
            alphas: path.alphas.clone(),
            mse_path: path.mse.clone(),
            mse_mean: path.mean.clone(),
            mse_std_err: path.std_err.clone(),
            index_min: path.index_min,
            index_1se: path.index_1se,
            l1_ratios: vec![l1_ratio],
            l1_ratio,
            refit,
            method: method.into(),
            measure: "MSE".into(),
            extra,
        }
    }
}

/// A CV or selection params builder with the grid (`--n-alphas`, `--eps`, `--alphas`) and the
/// solver options (`--no-intercept`, `--tol`, `--kkt-tol`, `--max-iter`) of the command line.
macro_rules! grid_and_solver {
    ($b:expr, $grid:expr, $m:expr) => {{
        let (g, m): (&GridArgs, &ModelArgs) = ($grid, $m);
        let mut b = $b
            .n_alphas(g.n_alphas)
            .eps(g.eps)
            .fit_intercept(!m.no_intercept)
            .tol(m.tol)
            .max_iter($crate::commands::max_iter_of(m));
        if let Some(al) = &g.alphas {
            b = b.alphas(given_alphas(al)?);
        }
        if let Some(k) = m.kkt_tol {
            b = b.kkt_tol(k);
        }
        b
    }};
}
pub(crate) use grid_and_solver;

/// The number of folds of `cv`: `--folds`, default 5.
pub(crate) const DEFAULT_FOLDS: usize = 5;

impl CvArgs {
    /// `--folds`, or the default.
    pub(crate) fn n_folds(&self) -> usize {
        self.folds.unwrap_or(DEFAULT_FOLDS)
    }
}

pub(crate) fn kfold(a: &CvArgs) -> KFold {
    KFold::new(a.n_folds()).shuffle(a.seed)
}

pub(crate) fn selection(a: &CvArgs) -> Selection {
    match a.select {
        SelectArg::Min => Selection::Min,
        SelectArg::OneSe => Selection::OneStandardError,
    }
}

pub(crate) fn check_cv_args(a: &CvArgs, ds: &Dataset) -> Result<()> {
    let m = &a.model;
    if m.penalty.multitask() {
        return Err(CliError::Usage(
            "cross-validation of multi-task models is not available: use `proxreg path` and `fit`"
                .into(),
        ));
    }
    if m.penalty.nonconvex() {
        return Err(CliError::Usage(
            "cross-validation of mcp / scad is not available (the cross-validation estimators are the Lasso's and the Elastic Net's): use `proxreg path` and `fit`"
                .into(),
        ));
    }
    if ds.n_tasks() > 1 {
        return Err(CliError::Usage("cv takes one target column".into()));
    }
    // (the group penalties' options are checked by `group::check_args`, with their own message)
    if m.penalty != PenaltyKind::Ridge && !crate::group::is_group(m.penalty) {
        if ds.weights.is_some() || m.positive || m.penalty_factor.is_some() {
            return Err(CliError::Usage(
                "--weights, --positive and --penalty-factor are not supported by `cv` for lasso / elastic-net (LassoCv, ElasticNetCv); use `path` + `fit`".into(),
            ));
        }
        if !matches!(m.solver, SolverArg::Auto | SolverArg::Cd) {
            return Err(CliError::Usage(
                "`cv` for lasso / elastic-net uses coordinate descent (--solver auto or cd)".into(),
            ));
        }
    }
    if a.l1_ratios.is_some() && m.penalty != PenaltyKind::ElasticNet {
        return Err(CliError::Usage(
            "--l1-ratios applies to --penalty elastic-net".into(),
        ));
    }
    if a.gammas.is_some() && !m.relax.relax {
        return Err(CliError::Usage("--gammas applies to cv --relax".into()));
    }
    if a.plain_folds && m.family != FamilyArg::Binomial {
        return Err(CliError::Usage(format!(
            "--plain-folds applies to --family binomial and multinomial ({} folds are plain K-fold)",
            m.family.name()
        )));
    }
    Ok(())
}

/// `cv --family binomial`: [`LogisticRegressionCv`].
fn cv_binomial(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    let m = &a.model;
    check_binomial_args(m)?;
    if m.penalty == PenaltyKind::Ridge && a.grid.alphas.is_none() {
        return Err(CliError::Usage(
            "binomial ridge has no alpha_max to start an automatic grid from: give --alphas".into(),
        ));
    }
    if ds.n_tasks() > 1 {
        return Err(CliError::Usage("cv takes one target column".into()));
    }
    let measure = class_measure(a);
    let p = ds.x.ncols();
    let b = grid_and_solver!(
        LogisticRegressionCv::params().l1_ratio(l1_ratio_of(m)),
        &a.grid,
        m
    );
    let b = match &a.l1_ratios {
        Some(r) => b.l1_ratios(r.clone()),
        None => b,
    };
    let b = if a.plain_folds {
        b.cv(kfold(a))
    } else {
        b.stratified(proxreg::StratifiedKFold::from(kfold(a)))
    };
    let mut b = b
        .standardize(m.standardize)
        .positive(m.positive)
        .selection(selection(a))
        .measure(measure);
    if let Some(f) = &m.penalty_factor {
        if f.len() != p {
            return Err(CliError::Usage(format!(
                "--penalty-factor has {} values, the data has {p} features",
                f.len()
            )));
        }
        b = b.penalty_factors(f.clone());
    }
    let cv = on_design!(&ds.x, |x| match ds.weights.as_deref() {
        Some(w) => b.fit_weighted(x, &ds.y, w)?,
        None => b.fit(x, &ds.y)?,
    });
    let model = cv.model();
    Ok(CvResult {
        alphas: cv.alphas().to_vec(),
        mse_path: cv.cv_errors().to_vec(),
        mse_mean: cv.cv_mean().to_vec(),
        mse_std_err: cv.cv_std_err().to_vec(),
        index_min: cv.index_min(),
        index_1se: cv.index_1se(),
        l1_ratios: cv.l1_ratios().to_vec(),
        l1_ratio: cv.l1_ratio(),
        refit: Fitted {
            penalty: m.penalty,
            alpha: cv.alpha(),
            l1_ratio: cv.l1_ratio(),
            coef: model.coef().to_vec(),
            intercept: vec![model.intercept()],
            report: model.report().clone(),
            seconds: 0.0,
            classes: Some(model.classes()),
            glm: None,
            multinomial: None,
            groups: None,
            relax: None,
        },
        method: "LogisticRegressionCv".into(),
        measure: class_measure_name(measure),
        extra: Vec::new(),
    })
}

/// The held-out measure of `cv --family binomial`: `--measure`, default the deviance.
pub(crate) fn class_measure(a: &CvArgs) -> proxreg::ClassMeasure {
    match a.measure.unwrap_or(MeasureArg::Deviance) {
        MeasureArg::Deviance => proxreg::ClassMeasure::Deviance,
        MeasureArg::Misclassification => proxreg::ClassMeasure::Misclassification,
        MeasureArg::Auc => proxreg::ClassMeasure::Auc,
        MeasureArg::Mse => proxreg::ClassMeasure::Mse,
        MeasureArg::Mae => proxreg::ClassMeasure::Mae,
    }
}

/// How a binomial measure's curve is named in the output (AUC's curve is `1 - AUC`).
pub(crate) fn class_measure_name(measure: proxreg::ClassMeasure) -> String {
    match measure {
        proxreg::ClassMeasure::Auc => "1 - AUC".into(),
        other => other.name().to_string(),
    }
}

/// The held-out measure of `cv --family poisson|huber` (`--measure deviance|mse|mae`, default
/// the deviance).
pub(crate) fn regression_measure(a: &CvArgs) -> Result<RegressionMeasure> {
    let name = a.model.family.name();
    Ok(match a.measure.unwrap_or(MeasureArg::Deviance) {
        MeasureArg::Deviance => RegressionMeasure::Deviance,
        MeasureArg::Mse => RegressionMeasure::MeanSquaredError,
        MeasureArg::Mae => RegressionMeasure::MeanAbsoluteError,
        other => {
            return Err(CliError::Usage(format!(
                "--measure {} is for --family binomial and multinomial; {name} takes deviance, mse or mae",
                if other == MeasureArg::Auc {
                    "auc"
                } else {
                    "misclassification"
                }
            )))
        }
    })
}

/// `cv --family poisson|huber`: [`PoissonRegressionCv`] / [`HuberRegressionCv`] (K-fold, the
/// offset and weights split with their rows), then the refit on all rows.
fn cv_glm(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    let m = &a.model;
    check_family_args(ds, m)?;
    let name = m.family.name();
    if a.plain_folds {
        return Err(CliError::Usage(format!(
            "--plain-folds applies to --family binomial and multinomial ({name} folds are plain K-fold)"
        )));
    }
    if a.l1_ratios.is_some() && m.penalty != PenaltyKind::ElasticNet {
        return Err(CliError::Usage(
            "--l1-ratios applies to --penalty elastic-net".into(),
        ));
    }
    if l1_ratio_of(m) <= 0.0 && a.grid.alphas.is_none() {
        return Err(CliError::Usage(format!(
            "{name} ridge (l1_ratio 0) has no alpha_max to start an automatic grid from: give --alphas"
        )));
    }
    let measure = regression_measure(a)?;
    let p = ds.x.ncols();
    if let Some(f) = &m.penalty_factor {
        if f.len() != p {
            return Err(CliError::Usage(format!(
                "--penalty-factor has {} values, the data has {p} features",
                f.len()
            )));
        }
    }
    let (y, w, off) = (&ds.y, ds.weights.as_deref(), ds.offset.as_deref());
    // the builders' shared settings: grid, folds, selection, measure and the model options
    macro_rules! configure {
        ($params:expr) => {{
            let b = grid_and_solver!($params.l1_ratio(l1_ratio_of(m)), &a.grid, m);
            let b = match &a.l1_ratios {
                Some(r) => b.l1_ratios(r.clone()),
                None => b,
            };
            let mut b = b
                .cv(kfold(a))
                .standardize(m.standardize)
                .positive(m.positive)
                .solver(m.solver.into())
                .selection(selection(a))
                .measure(measure);
            if let Some(f) = &m.penalty_factor {
                b = b.penalty_factors(f.clone());
            }
            b
        }};
    }
    let t0 = Instant::now();
    // (alphas, errors, mean, std_err, index_min, index_1se, l1_ratios, l1_ratio, alpha, model,
    // max relative gap, fits not converged, lambda_min on the grid's edge)
    let (alphas, errors, mean, se, imin, i1se, ratios, ratio, model, gap, nnc, edge, method) =
        if m.family == FamilyArg::Poisson {
            let b = configure!(PoissonRegressionCv::params());
            let cv = on_design!(&ds.x, |x| b.fit_offset(x, y, w, off)?);
            (
                cv.alphas().to_vec(),
                cv.cv_errors().to_vec(),
                cv.cv_mean().to_vec(),
                cv.cv_std_err().to_vec(),
                cv.index_min(),
                cv.index_1se(),
                cv.l1_ratios().to_vec(),
                cv.l1_ratio(),
                cv.model().clone().into_inner(),
                cv.max_relative_gap(),
                cv.n_not_converged(),
                cv.on_grid_edge(),
                "PoissonRegressionCv",
            )
        } else {
            let b = configure!(HuberRegressionCv::params().delta(delta_of(m)));
            let cv = on_design!(&ds.x, |x| match w {
                Some(w) => b.fit_weighted(x, y, w)?,
                None => b.fit(x, y)?,
            });
            (
                cv.alphas().to_vec(),
                cv.cv_errors().to_vec(),
                cv.cv_mean().to_vec(),
                cv.cv_std_err().to_vec(),
                cv.index_min(),
                cv.index_1se(),
                cv.l1_ratios().to_vec(),
                cv.l1_ratio(),
                cv.model().clone().into_inner(),
                cv.max_relative_gap(),
                cv.n_not_converged(),
                cv.on_grid_edge(),
                "HuberRegressionCv",
            )
        };
    let mut refit = glm_fitted(ds, m, &model);
    refit.l1_ratio = ratio;
    refit.seconds = t0.elapsed().as_secs_f64();
    let mut extra = vec![
        ("delta", json!(refit.glm.as_ref().and_then(|g| g.delta))),
        ("offset", json!(ds.offset_name)),
        ("max_fold_relative_gap", json!(gap)),
        ("n_fold_fits_not_converged", json!(nnc)),
        ("on_grid_edge", json!(edge)),
    ];
    extra.retain(|(k, _)| match *k {
        "offset" => m.family == FamilyArg::Poisson,
        "delta" => m.family == FamilyArg::Huber,
        _ => true,
    });
    Ok(CvResult {
        alphas,
        mse_path: errors,
        mse_mean: mean,
        mse_std_err: se,
        index_min: imin,
        index_1se: i1se,
        l1_ratios: ratios,
        l1_ratio: ratio,
        refit,
        method: method.into(),
        measure: measure.name().into(),
        extra,
    })
}

fn cv_compute(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    if a.model.family == FamilyArg::Multinomial {
        return crate::multinomial::cv(a, ds);
    }
    if a.model.family.is_glm() && !crate::group::is_group(a.model.penalty) {
        return cv_glm(a, ds);
    }
    check_family_args(ds, &a.model)?;
    let binomial = a.model.family == FamilyArg::Binomial;
    // (binomial group penalties: `group::cv`, below, with the least-squares group checks)
    if binomial && !crate::group::is_group(a.model.penalty) {
        return cv_binomial(a, ds);
    }
    if a.measure.is_some() && !binomial && !a.model.family.is_glm() {
        return Err(CliError::Usage(
            "--measure is for --family binomial, multinomial, poisson and huber (least squares uses the mean squared error)".into(),
        ));
    }
    check_cv_args(a, ds)?;
    let m = &a.model;
    let pb = if std::io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message(format!(
            "cross-validating ({} folds × {} alphas)",
            a.n_folds(),
            a.grid.alphas.as_ref().map_or(a.grid.n_alphas, Vec::len)
        ));
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    } else {
        indicatif::ProgressBar::hidden()
    };
    let t0 = Instant::now();
    let res = match m.penalty {
        PenaltyKind::Lasso if crate::relax::kind(m).is_some() => crate::relax::cv(a, ds)?,
        PenaltyKind::Lasso => {
            let cv = grid_and_solver!(LassoCv::params(), &a.grid, m)
                .cv(kfold(a))
                .standardize(m.standardize)
                .selection(selection(a));
            let cv = on_design!(&ds.x, |x| cv.fit(x, &ds.y)?);
            let model = cv.model();
            CvResult {
                alphas: cv.alphas().to_vec(),
                mse_path: cv.mse_path().to_vec(),
                mse_mean: cv.mse_mean().to_vec(),
                mse_std_err: cv.mse_std_err().to_vec(),
                index_min: cv.index_min(),
                index_1se: cv.index_1se(),
                l1_ratios: vec![1.0],
                l1_ratio: 1.0,
                refit: fitted_from(PenaltyKind::Lasso, 1.0, model),
                method: "LassoCv".into(),
                measure: "MSE".into(),
                extra: Vec::new(),
            }
        }
        PenaltyKind::ElasticNet => {
            let ratios = a
                .l1_ratios
                .clone()
                .unwrap_or_else(|| vec![m.l1_ratio.unwrap_or(0.5)]);
            let cv = grid_and_solver!(ElasticNetCv::params(), &a.grid, m)
                .l1_ratios(ratios.clone())
                .cv(kfold(a))
                .standardize(m.standardize)
                .selection(selection(a));
            let cv = on_design!(&ds.x, |x| cv.fit(x, &ds.y)?);
            let model = cv.model();
            CvResult {
                alphas: cv.alphas().to_vec(),
                mse_path: cv.mse_path().to_vec(),
                mse_mean: cv.mse_mean().to_vec(),
                mse_std_err: cv.mse_std_err().to_vec(),
                index_min: cv.index_min(),
                index_1se: cv.index_1se(),
                l1_ratios: ratios,
                l1_ratio: cv.l1_ratio(),
                refit: fitted_from(PenaltyKind::ElasticNet, cv.l1_ratio(), model),
                method: "ElasticNetCv".into(),
                measure: "MSE".into(),
                extra: Vec::new(),
            }
        }
        PenaltyKind::Ridge if a.ridge_mode == RidgeModeArg::Kfold => ridge_kfold(a, ds)?,
        PenaltyKind::Ridge => ridge_closed_form(a, ds)?,
        PenaltyKind::MultiTaskLasso | PenaltyKind::MultiTaskElasticNet => {
            return Err(CliError::Usage("multi-task cv".into()))
        }
        PenaltyKind::Mcp | PenaltyKind::Scad => {
            return Err(CliError::Usage("mcp / scad cv".into()))
        }
        PenaltyKind::GroupLasso | PenaltyKind::SparseGroupLasso => crate::group::cv(a, ds)?,
    };
    pb.finish_and_clear();
    let mut res = res;
    res.refit.seconds = t0.elapsed().as_secs_f64();
    Ok(res)
}

/// The options ridge's closed-form criteria (leave-one-out, GCV) do not take.
pub(crate) fn check_ridge_closed_form(a: &CvArgs, ds: &Dataset) -> Result<()> {
    let m = &a.model;
    if m.standardize || ds.weights.is_some() || m.positive || m.penalty_factor.is_some() {
        return Err(CliError::Usage(
            "--standardize, --weights, --positive and --penalty-factor with ridge need --ridge-mode kfold".into(),
        ));
    }
    if a.select == SelectArg::OneSe {
        return Err(CliError::Usage(
            "--select 1se needs fold errors: use --ridge-mode kfold".into(),
        ));
    }
    Ok(())
}

/// Ridge by [`RidgeCv`]: exact leave-one-out or GCV curves from one SVD (no standard error:
/// lambda_1se is lambda_min).
fn ridge_closed_form(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    let m = &a.model;
    check_ridge_closed_form(a, ds)?;
    let (mode, name) = match a.ridge_mode {
        RidgeModeArg::Gcv => (RidgeCvMode::Gcv, "RidgeCv (GCV)"),
        _ => (RidgeCvMode::Loo, "RidgeCv (exact leave-one-out)"),
    };
    let mut b = RidgeCv::params()
        .mode(mode)
        .n_alphas(a.grid.n_alphas)
        .fit_intercept(!m.no_intercept);
    if let Some(al) = &a.grid.alphas {
        b = b.alphas(given_alphas(al)?);
    }
    let cv = on_design!(&ds.x, |x| b.fit(x, &ds.y)?);
    let curve = if a.ridge_mode == RidgeModeArg::Gcv {
        cv.gcv().to_vec()
    } else {
        cv.loo().to_vec()
    };
    let model = cv.model();
    Ok(CvResult {
        alphas: cv.alphas().to_vec(),
        mse_path: Vec::new(),
        mse_std_err: vec![0.0; curve.len()],
        mse_mean: curve,
        index_min: cv.index(),
        index_1se: cv.index(),
        l1_ratios: vec![0.0],
        l1_ratio: 0.0,
        refit: Fitted {
            penalty: PenaltyKind::Ridge,
            alpha: cv.alpha(),
            l1_ratio: 0.0,
            coef: model.coef().to_vec(),
            intercept: model.intercepts().to_vec(),
            report: model.report().clone(),
            seconds: 0.0,
            classes: None,
            glm: None,
            multinomial: None,
            groups: None,
            relax: None,
        },
        method: name.into(),
        measure: "MSE".into(),
        extra: Vec::new(),
    })
}

/// Ridge by K-fold cross-validation over [`Ridge`] paths (each fold centers / standardizes with
/// its training rows inside `Ridge`), with the folds, mean, standard error and 1-SE rule of
/// `LassoCv` ([`CvPath::from_fold_errors`]).
fn ridge_kfold(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    let m = &a.model;
    let alphas = match &a.grid.alphas {
        Some(v) => given_alphas(v)?,
        None => alpha_grid(ds, m, a.grid.n_alphas, a.grid.eps)?,
    };
    let n = ds.nrows();
    let folds = kfold(a).split(n)?;
    let kf = folds.n_folds();
    let mut fold_errors: Vec<Vec<f64>> = vec![Vec::with_capacity(alphas.len()); kf];
    for (f, errors) in fold_errors.iter_mut().enumerate() {
        let train = folds.train(f);
        let test = folds.test(f);
        let sub = |rows: &[usize]| -> Result<Dataset> {
            // the rows in the same storage: a sparse design stays sparse
            Ok(Dataset {
                file: ds.file.clone(),
                feature_names: ds.feature_names.clone(),
                target_names: ds.target_names.clone(),
                x: ds.x.select_rows(rows)?,
                y: rows.iter().map(|&i| ds.y[i]).collect(),
                weights: ds
                    .weights
                    .as_ref()
                    .map(|w| rows.iter().map(|&i| w[i]).collect()),
                offset: None,
                offset_name: None,
                lines: None,
            })
        };
        let tr = sub(&train)?;
        let te = sub(test)?;
        // the fold's path (the library's: exact direct solves, or warm-started with penalty
        // factors / bounds), scored on the held-out rows
        for fit in fit_path(&tr, m, &alphas)?.fits {
            let model = to_model(&fit, &tr);
            let pred = on_design!(&te.x, |x| model.predict(x, &te.file)?);
            let err: f64 = pred
                .iter()
                .zip(&te.y)
                .map(|(p, y)| (p - y) * (p - y))
                .sum::<f64>()
                / te.y.len() as f64;
            errors.push(err);
        }
    }
    // mean, standard error, lambda_min and the 1-SE rule: the library's, as for LassoCv
    let cv = CvPath::from_fold_errors(alphas, &fold_errors, 0)?;
    let refit = fit_one(ds, m, cv.alphas[chosen_index(a, &cv)], None)?;
    Ok(kfold_result(cv, 0.0, refit, "K-fold over Ridge"))
}

/// The alpha index `--select` picks on a cross-validated path.
pub(crate) fn chosen_index(a: &CvArgs, cv: &CvPath<f64>) -> usize {
    match a.select {
        SelectArg::Min => cv.index_min,
        SelectArg::OneSe => cv.index_1se,
    }
}

/// The result of a K-fold path of one `l1_ratio` (`rho`) and its refit, scored by the mean
/// squared error.
pub(crate) fn kfold_result(cv: CvPath<f64>, rho: f64, refit: Fitted, method: &str) -> CvResult {
    CvResult {
        mse_path: cv.mse,
        mse_mean: cv.mean,
        mse_std_err: cv.std_err,
        index_min: cv.index_min,
        index_1se: cv.index_1se,
        alphas: cv.alphas,
        l1_ratios: vec![rho],
        l1_ratio: rho,
        refit,
        method: method.into(),
        measure: "MSE".into(),
        extra: Vec::new(),
    }
}

/// The CV-curve figure.
pub fn cv_chart(r: &CvResult, title: &str) -> Chart {
    Chart {
        title: title.into(),
        x_label: "log10(alpha)".into(),
        y_label: format!("mean held-out {} (± 1 standard error)", r.measure),
        series: vec![Series {
            label: "CV error".into(),
            points: r
                .alphas
                .iter()
                .zip(&r.mse_mean)
                .map(|(a, m)| (a.log10(), *m))
                .collect(),
            error: Some(r.mse_std_err.clone()),
        }],
        markers: cv_markers(r),
    }
}

fn cv_markers(r: &CvResult) -> Vec<Marker> {
    vec![
        Marker {
            label: "lambda_min".into(),
            x: r.alphas[r.index_min].log10(),
        },
        Marker {
            label: "lambda_1se".into(),
            x: r.alphas[r.index_1se].log10(),
        },
    ]
}

/// `proxreg cv`.
///
/// # Errors
/// Data, argument and fit errors.
pub fn cv(a: &CvArgs, out: &mut dyn std::io::Write) -> Result<()> {
    if let Some(d) = crate::stats_route::source(&a.data, Some(a))? {
        return crate::stats_route::cv(a, &d, out);
    }
    let ds = load(&a.data)?;
    let r = cv_compute(a, &ds)?;
    let need_path = a.out.plot.is_some() || a.out.json.is_some();
    let path = if need_path {
        let mut m = a.model.clone();
        if m.penalty == PenaltyKind::ElasticNet {
            m.l1_ratio = Some(r.l1_ratio);
        }
        crate::relax::selected_model(&mut m, &r.refit);
        Some(fit_path(&ds, &m, &r.alphas)?)
    } else {
        None
    };
    report_cv(a, &ds, &r, path.as_ref(), &[], out)
}

/// What `cv` prints and writes for the cross-validation `r` on `ds`, with the path at the
/// selected `l1_ratio` over `r`'s alphas when `--json` or `--plot` needs it (`extra`: entries
/// added to the JSON).
pub(crate) fn report_cv(
    a: &CvArgs,
    ds: &Dataset,
    r: &CvResult,
    path: Option<&PathFit>,
    extra: &[(&'static str, Value)],
    out: &mut dyn std::io::Write,
) -> Result<()> {
    if !a.out.quiet {
        let sel = match a.select {
            SelectArg::Min => "min",
            SelectArg::OneSe => "1se",
        };
        say(
            out,
            &format!(
                "{}{} cross-validation on {} ({} samples × {} features, target {}), {}, {} alphas{}\n",
                family_prefix(&a.model),
                crate::relax::name(&a.model),
                ds.file,
                ds.nrows(),
                ds.x.ncols(),
                ds.target_names.join(","),
                if r.mse_path.is_empty() {
                    r.method.clone()
                } else {
                    format!(
                        "{} {}folds{}",
                        a.n_folds(),
                        if matches!(a.model.family, FamilyArg::Binomial | FamilyArg::Multinomial)
                            && !a.plain_folds
                        {
                            "stratified "
                        } else {
                            ""
                        },
                        a.seed.map_or(String::new(), |s| format!(" (shuffled, seed {s})"))
                    )
                },
                r.alphas.len(),
                if a.model.standardize { ", standardized" } else { "" },
            ),
        );
        if let Some(lines) = crate::relax::cv_lines(r) {
            say(out, &lines);
        } else if r.mse_path.is_empty() {
            say(
                out,
                &format!(
                    "  lambda_min = {:.6e}   criterion {:.4} (no fold errors: lambda_1se = lambda_min)\n",
                    r.alphas[r.index_min], r.mse_mean[r.index_min],
                ),
            );
        } else {
            say(
                out,
                &format!(
                    "  lambda_min = {:.6e}   mean {m} {:.4} ± {:.4}\n  lambda_1se = {:.6e}   mean {m} {:.4} ± {:.4}\n",
                    r.alphas[r.index_min],
                    r.mse_mean[r.index_min],
                    r.mse_std_err[r.index_min],
                    r.alphas[r.index_1se],
                    r.mse_mean[r.index_1se],
                    r.mse_std_err[r.index_1se],
                    m = r.measure,
                ),
            );
        }
        if r.l1_ratios.len() > 1 {
            say(
                out,
                &format!(
                    "  l1_ratio selected = {} (of {:?})\n",
                    r.l1_ratio, r.l1_ratios
                ),
            );
        }
        say(
            out,
            &format!(
                "refit on all rows at lambda_{sel} = {:.6e}{} ({}):\n",
                r.refit.alpha,
                if a.model.penalty == PenaltyKind::ElasticNet {
                    format!(", l1_ratio = {}", r.l1_ratio)
                } else if let Some(x) = &r.refit.relax {
                    crate::relax::header(x)
                } else {
                    String::new()
                },
                r.method
            ),
        );
        say(out, &class_mapping(&r.refit, ds));
        say(out, &coef_table(&r.refit, ds));
        say(out, &certificates_line(&r.refit.report));
        if let Some(x) = &r.refit.relax {
            say(out, &crate::relax::summary(x, ds));
        }
    }
    if let Some(p) = &a.out.json {
        let v = json!({
            "command": "cv",
            "data": ds.file,
            "penalty": a.model.penalty.name(),
            "method": r.method,
            "folds": if r.mse_path.is_empty() { None } else { Some(a.n_folds()) },
            "seed": a.seed,
            "selection": format!("{:?}", a.select),
            "alphas": r.alphas,
            "measure": r.measure,
            "mse_path": r.mse_path,
            "mse_mean": r.mse_mean,
            "mse_std_err": r.mse_std_err,
            "index_min": r.index_min,
            "index_1se": r.index_1se,
            "lambda_min": r.alphas[r.index_min],
            "lambda_1se": r.alphas[r.index_1se],
            "alpha_min": r.alphas[r.index_min],
            "alpha_1se": r.alphas[r.index_1se],
            "family": a.model.family.name(),
            "l1_ratios": r.l1_ratios,
            "l1_ratio": r.l1_ratio,
            "fit": fitted_json(&r.refit, ds),
            "path": path.map(|p| path_json(p, ds)),
            "seconds": r.refit.seconds,
        });
        write_json(p, with_extra(with_extra(v, &r.extra), extra))?;
    }
    if let (Some(dir), Some(path)) = (&a.out.plot, path) {
        let name = a.model.penalty.name();
        let c1 = path_chart(
            &path.fits,
            ds,
            cv_markers(r),
            &format!("{name} coefficient path"),
        );
        let f1 = dir.join("path.svg");
        write_file(&f1, &c1.to_svg())?;
        let c2 = cv_chart(r, &format!("{name}: {}-fold cross-validation", a.n_folds()));
        let f2 = dir.join("cv.svg");
        write_file(&f2, &c2.to_svg())?;
        if !a.out.quiet {
            say(
                out,
                &format!("figures: {} and {}\n", f1.display(), f2.display()),
            );
        }
    }
    if let Some(p) = &a.save_model {
        save_model(p, &r.refit, ds)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// predict
// ---------------------------------------------------------------------------------------------

/// `proxreg predict`.
///
/// # Errors
/// Data, model-file and argument errors.
pub fn predict(a: &PredictArgs, out: &mut dyn std::io::Write) -> Result<()> {
    let mfile = a.model.display().to_string();
    let model = Model::from_json_bytes(&io::read_file(&a.model)?, &mfile)?;
    if let Some(p) = a.data.as_deref().filter(|p| io::is_parquet(p)) {
        return Err(CliError::Usage(format!(
            "{}: Parquet data is read out of core into sufficient statistics, which `fit`, `path`, `cv` and `select --criterion aic|bic` use; `predict` needs the rows: convert it to CSV",
            p.display()
        )));
    }
    if a.zero_based.is_some() && !a.data.as_deref().is_some_and(io::is_svmlight) {
        return Err(CliError::Usage(
            "--zero-based is for svmlight --data files (.svm, .svmlight, .libsvm)".into(),
        ));
    }
    let family = model.family.as_deref().unwrap_or("gaussian");
    let offset_col = a.offset.as_deref().or(a.exposure.as_deref());
    if let Some(col) = offset_col {
        if family != "poisson" {
            return Err(CliError::Usage(format!(
                "--offset / --exposure apply to a poisson model ({mfile} is a {family} model)"
            )));
        }
        if a.data
            .as_deref()
            .is_some_and(|p| io::is_svmlight(p) || is_npy(p))
        {
            return Err(CliError::Usage(format!(
                "--offset / --exposure {col} name a CSV column; not with .npy or svmlight data"
            )));
        }
    }
    let mut offset: Option<Vec<f64>> = None;
    let (x, file) = match &a.data {
        Some(p) if io::is_svmlight(p) => {
            let f = p.display().to_string();
            let zb = a.zero_based.unwrap_or(ZeroBasedArg::Auto).into();
            let d = io::read_svmlight(p, zb, Some(model.n_features))?;
            // kept sparse: the predictions are O(nnz)
            (io::sparse_design(d, &f, u32::MAX as usize)?.0, f)
        }
        Some(p) if is_npy(p) => {
            let f = p.display().to_string();
            let arr = io::read_npy(p)?;
            let (r, c) = (
                arr.nrows(),
                if arr.shape.len() == 2 { arr.ncols() } else { 1 },
            );
            (Design::Dense(ColMajor::new(arr.data, r, c)?), f)
        }
        other => {
            let mut table = match other {
                Some(p) => io::read_csv(p, delimiter(a.delimiter)?)?,
                None => io::diabetes()?,
            };
            if let Some(col) = offset_col {
                // the offset column: taken out of the table (never a feature)
                let j = table.index(col)?;
                let values = table.columns.remove(j);
                table.names.remove(j);
                if a.exposure.is_some() {
                    if let Some(i) = values.iter().position(|&t| t <= 0.0) {
                        return Err(DataError {
                            file: table.file.clone(),
                            line: table.lines.get(i).copied(),
                            column: Some(j + 1),
                            kind: io::ErrorKind::OutOfRange(format!(
                                "exposure column {col:?} holds {}: exposures must be > 0 (the offset is their log)",
                                values[i]
                            )),
                        }
                        .into());
                    }
                    offset = Some(values.iter().map(|t| t.ln()).collect());
                } else {
                    offset = Some(values);
                }
            }
            let all_named = model.feature_names.iter().all(|n| table.names.contains(n));
            if all_named {
                let n = table.nrows();
                let mut data = Vec::with_capacity(n * model.n_features);
                for name in &model.feature_names {
                    let j = table.index(name)?;
                    data.extend_from_slice(&table.columns[j]);
                }
                (
                    Design::Dense(ColMajor::new(data, n, model.n_features)?),
                    table.file.clone(),
                )
            } else {
                let missing: Vec<&str> = model
                    .feature_names
                    .iter()
                    .filter(|n| !table.names.contains(n))
                    .map(String::as_str)
                    .collect();
                if table.names.len() != model.n_features {
                    return Err(DataError {
                        file: table.file.clone(),
                        line: Some(1),
                        column: None,
                        kind: io::ErrorKind::Model(format!(
                            "{mfile} was fitted on {} features ({}); this file has {} columns and lacks {}",
                            model.n_features,
                            model.feature_names.join(", "),
                            table.names.len(),
                            missing.join(", ")
                        )),
                    }
                    .into());
                }
                // same number of columns, other names: use them by position
                let n = table.nrows();
                let data: Vec<f64> = table.columns.concat();
                (
                    Design::Dense(ColMajor::new(data, n, model.n_features)?),
                    table.file.clone(),
                )
            }
        }
    };
    let pred = on_design!(&x, |x| model.predict(x, &file)?);
    let n = x.nrows();
    if family == "poisson" {
        return predict_poisson(a, &model, &mfile, &file, pred, offset.as_deref(), out);
    }
    if family == "multinomial" {
        // One probability column per label, and the predicted label.
        let (csv, v) = crate::multinomial::predict(&model, &pred, n);
        return write_predictions(a, out, &csv, &mfile, &file, v);
    }
    if let Some(&[lo, hi]) = model.classes.as_deref() {
        // Binomial: the probability of the second label, and the predicted label.
        let t = &model.target_names[0];
        let proba: Vec<f64> = pred.iter().map(|&e| sigmoid(e)).collect();
        let labels: Vec<f64> = pred
            .iter()
            .map(|&e| if e > 0.0 { hi } else { lo })
            .collect();
        let mut csv = format!("{t}_probability_{hi},{t}\n");
        for i in 0..n {
            csv += &format!("{},{}\n", proba[i], labels[i]);
        }
        let v = json!({
            "family": "binomial",
            "classes": [lo, hi],
            "target_names": model.target_names,
            "probabilities": proba,
            "labels": labels,
            "decision_function": pred,
        });
        return write_predictions(a, out, &csv, &mfile, &file, v);
    }
    let mut csv = model.target_names.join(",");
    csv.push('\n');
    for i in 0..n {
        let row: Vec<String> = (0..model.n_tasks)
            .map(|t| format!("{}", pred[t * n + i]))
            .collect();
        csv += &row.join(",");
        csv.push('\n');
    }
    let v = json!({
        "family": family,
        "target_names": model.target_names,
        "predictions": (0..model.n_tasks).map(|t| pred[t * n..(t + 1) * n].to_vec()).collect::<Vec<_>>(),
    });
    write_predictions(a, out, &csv, &mfile, &file, v)
}

/// Writes `predict`'s CSV to `--output` (or stdout) and, with `--json`, the JSON object `v`
/// with the command, the model file and the data file added.
fn write_predictions(
    a: &PredictArgs,
    out: &mut dyn std::io::Write,
    csv: &str,
    mfile: &str,
    file: &str,
    mut v: Value,
) -> Result<()> {
    match &a.output {
        Some(p) => write_file(p, csv)?,
        None => say(out, csv),
    }
    if let Some(p) = &a.json {
        if let Value::Object(o) = &mut v {
            o.insert("command".into(), json!("predict"));
            o.insert("model".into(), json!(mfile));
            o.insert("data".into(), json!(file));
        }
        write_json(p, v)?;
    }
    Ok(())
}

/// `predict` with a poisson model: the expected counts `exp(η)`, `η = Xw + b (+ offset)` (one
/// column named as the target), and in the JSON the linear predictor too.
fn predict_poisson(
    a: &PredictArgs,
    model: &Model,
    mfile: &str,
    file: &str,
    eta: Vec<f64>,
    offset: Option<&[f64]>,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let mut eta = eta;
    if let Some(o) = offset {
        // one value per row: the offset column comes from the same table as the features
        for (e, v) in eta.iter_mut().zip(o) {
            *e += v;
        }
    }
    let mu: Vec<f64> = eta.iter().map(|e| e.exp()).collect();
    if let Some(i) = mu.iter().position(|v| !v.is_finite()) {
        return Err(DataError {
            file: file.to_string(),
            line: None,
            column: None,
            kind: io::ErrorKind::Shape(format!(
                "expected count {} overflows f64 (linear predictor {})",
                i + 1,
                eta[i]
            )),
        }
        .into());
    }
    let mut csv = model.target_names.join(",");
    csv.push('\n');
    for v in &mu {
        csv += &format!("{v}\n");
    }
    let v = json!({
        "family": "poisson",
        "target_names": model.target_names,
        "offset": a.offset.clone().or_else(|| a.exposure.as_ref().map(|c| format!("log({c})"))),
        "predictions": [mu],
        "linear_predictor": eta,
    });
    write_predictions(a, out, &csv, mfile, file, v)
}
