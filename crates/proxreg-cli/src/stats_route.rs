//! `fit`, `path`, `cv` and `select` from sufficient statistics instead of rows: read from a
//! statistics directory (`--stats DIR`) or computed in one streaming pass over Parquet data
//! (`--data FILE.parquet|DIR`).
//!
//! Least squares depends on the rows only through per-block sufficient statistics
//! ([`SufficientStats`]: counts, weighted means and centred comoments), so a Lasso, Elastic
//! Net or Ridge fit, its path and its K-fold cross-validation can be computed from them alone,
//! whatever the number of rows. The entry points [`fit`], [`path`] and [`cv`] take the
//! statistics already built ([`StatsData`]): [`read`] loads a statistics directory
//! (`proxreg_io::stats`, docs/scale.md); other readers (e.g. of Parquet files) build a
//! [`StatsData`] with [`StatsData::new`] and call the same entry points.
//!
//! - `fit` / `path` use the merge of all blocks: the prepared Gram problem
//!   ([`SufficientStats::prepare`]) solved by Gram-mode coordinate descent (lasso,
//!   elastic-net, ridge with `--positive` / `--penalty-factor` or `--solver cd`) or by the
//!   Cholesky solve of [`RidgeDirect::solve_prepared`] (ridge). The certificates (duality gap,
//!   KKT violation) are computed from the Gram matrix, as in the in-memory Gram mode.
//! - `cv` takes the blocks as its folds: [`proxreg_cv::cv_path_stats`] for lasso /
//!   elastic-net (what `LassoCv` / `ElasticNetCv` compute on the same folds),
//!   `--ridge-mode kfold` the same K-fold loop over exact ridge solves as the in-memory route,
//!   `--ridge-mode gcv` [`proxreg_cv::ridge_gcv_stats`]; leave-one-out needs the rows.
//!
//! The output (text, `--json`, `--save-model`, `--plot`) is the in-memory route's
//! (`report_fit`, `report_path`, `report_cv`), with the statistics' feature and target names.

use std::path::Path;
use std::time::Instant;

use clap::ValueEnum;
use proxreg::linalg::{CscMatrix, SymEigen};
use proxreg::penalty::{Bounded, Penalty, SeparablePenalty, SquaredL2, Weighted, L1};
use proxreg::solvers::{
    alpha_max, CoordinateDescent, Path as SolverPath, Prepared, RidgeDirect, Solution,
    SufficientStats,
};
use proxreg::{CvPath, FitReport};
use proxreg_cv::{
    cv_path_stats, information_criteria_stats, ridge_default_grid, ridge_gcv_stats, Alphas,
    CvSettings, NoiseVariance,
};
use serde_json::{json, Value};

use crate::commands::{
    check_cv_args, check_family_args, check_model_args, check_ridge_closed_form, chosen_index,
    given_alphas, kfold_result, l1_ratio_of, report_cv, report_fit, report_path, say, CliError,
    CriterionArg, CvArgs, CvResult, DataArgs, FamilyArg, FitArgs, Fitted, GridArgs, ModelArgs,
    PathArgs, PathFit, PenaltyKind, RidgeModeArg, SelectArgs, SolverArg,
};
use crate::io::{self, DataError, Dataset, Design};
use crate::select::{check_args as check_select_args, ic_report, IcResult};
use proxreg_io::parquet::{Folds as PqFolds, ParquetSource, StatsSpec};

type Result<T> = std::result::Result<T, CliError>;

/// Sufficient statistics with their names: what the statistics route fits from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatsData {
    /// One block per cross-validation fold (or just one), disjoint rows.
    pub blocks: Vec<SufficientStats<f64>>,
    /// The feature names, one per feature.
    pub feature_names: Vec<String>,
    /// The target name.
    pub target_name: String,
    /// Where the statistics came from (a directory, a file), for messages and output.
    pub source: String,
    /// Whether they were read from a statistics directory or computed from Parquet rows.
    pub origin: Origin,
}

/// Where a [`StatsData`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A statistics directory (`--stats DIR`).
    StatsDir,
    /// One streaming pass over Parquet data (`--data FILE.parquet|DIR`).
    Parquet,
}

impl StatsData {
    /// The statistics `blocks` (at least one, all with the same features) of `source`, with
    /// their names (default `x1..xp` and `y`, as for .npy data).
    ///
    /// # Errors
    /// [`CliError::Data`] for no block, blocks with different numbers of features, or as many
    /// feature names as features.
    pub(crate) fn new(
        blocks: Vec<SufficientStats<f64>>,
        feature_names: Option<Vec<String>>,
        target_name: Option<String>,
        source: String,
    ) -> Result<Self> {
        let bad = |msg: String| -> CliError {
            DataError::new(&source, None, None, io::ErrorKind::Shape(msg)).into()
        };
        let p = match blocks.first() {
            Some(b) => b.n_features(),
            None => return Err(bad("no block of statistics".into())),
        };
        if let Some(b) = blocks.iter().find(|b| b.n_features() != p) {
            return Err(bad(format!(
                "blocks of statistics with {p} and {} features",
                b.n_features()
            )));
        }
        let feature_names =
            feature_names.unwrap_or_else(|| (1..=p).map(|j| format!("x{j}")).collect());
        if feature_names.len() != p {
            return Err(bad(format!(
                "{} feature names for {p} features",
                feature_names.len()
            )));
        }
        Ok(Self {
            blocks,
            feature_names,
            target_name: target_name.unwrap_or_else(|| "y".into()),
            source,
            origin: Origin::StatsDir,
        })
    }

    /// The statistics of all blocks together.
    fn merged(&self) -> Result<SufficientStats<f64>> {
        let all: Vec<&SufficientStats<f64>> = self.blocks.iter().collect();
        Ok(SufficientStats::combine(&all)?)
    }

    /// A [`Dataset`] that carries the names and the shape (`n × p`) for the output code, and
    /// no values: its design is an `n × p` sparse matrix without entries and its target is
    /// empty. Nothing is ever fitted on it.
    fn dataset(&self, n: usize) -> Result<Dataset> {
        let p = self.feature_names.len();
        let x = CscMatrix::new(n, p, vec![0u32; p + 1], Vec::new(), Vec::new())?;
        Ok(Dataset {
            file: self.source.clone(),
            feature_names: self.feature_names.clone(),
            target_names: vec![self.target_name.clone()],
            x: Design::Sparse(x),
            y: Vec::new(),
            weights: None,
            offset: None,
            offset_name: None,
            lines: None,
        })
    }

    /// Runs the in-memory route's `report` with what the JSON output adds (where the numbers
    /// come from: the statistics, their blocks, rows and weight sum), then prints the same
    /// under the text output.
    fn report(
        &self,
        merged: &SufficientStats<f64>,
        quiet: bool,
        out: &mut dyn std::io::Write,
        report: impl FnOnce(&[(&'static str, Value)], &mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        let extra = [
            (
                "source",
                json!(match self.origin {
                    Origin::StatsDir => "sufficient-statistics",
                    Origin::Parquet => "parquet-out-of-core",
                }),
            ),
            ("stats_blocks", json!(self.blocks.len())),
            ("n_samples", json!(merged.n_samples())),
            ("weight_sum", json!(merged.weight_sum())),
        ];
        report(&extra, out)?;
        if !quiet {
            say(
                out,
                &format!(
                    "  from sufficient statistics{}: {} block(s), {} rows (weight sum {}); certificates from the Gram matrix\n",
                    match self.origin {
                        Origin::StatsDir => "",
                        Origin::Parquet => " (one streaming pass over the Parquet data)",
                    },
                    self.blocks.len(),
                    merged.n_samples(),
                    merged.weight_sum()
                ),
            );
        }
        Ok(())
    }
}

/// The merged statistics of `d` and the [`StatsData::dataset`] of the output, once `m` is
/// checked against what the statistics route supports.
fn prologue(d: &StatsData, m: &ModelArgs) -> Result<(SufficientStats<f64>, Dataset)> {
    let merged = d.merged()?;
    let ds = d.dataset(merged.n_samples())?;
    check_model(m, &ds)?;
    Ok((merged, ds))
}

/// The statistics the data arguments name, if they name statistics: `--stats DIR` is read;
/// Parquet `--data` (a `.parquet` file or a directory of parts) is read in one streaming pass
/// into one block (`cv == None`: fit, path, select) or one block per fold (`cv`: `--folds K`
/// contiguous blocks of the row order, exactly the in-memory `cv`'s folds, or a hash of
/// `--fold-id COL`). `None` for row data.
///
/// # Errors
/// [`CliError::Usage`] for flags that do not apply to Parquet data; [`CliError::Parquet`] for
/// data that cannot be read (the message names file, row group, column and row); those of
/// [`read`].
pub(crate) fn source(a: &DataArgs, cv: Option<&CvArgs>) -> Result<Option<StatsData>> {
    if let Some(dir) = &a.stats {
        if cv.is_some_and(|c| c.fold_id.is_some()) {
            return Err(CliError::Usage(
                "--fold-id is for Parquet --data (with --stats the folds are the statistics' blocks)".into(),
            ));
        }
        return read(dir).map(Some);
    }
    match a.data.as_deref() {
        Some(p) if io::is_parquet(p) => parquet(p, a, cv).map(Some),
        _ => {
            if cv.is_some_and(|c| c.fold_id.is_some()) {
                return Err(CliError::Usage(
                    "--fold-id is for Parquet --data (a .parquet file or a directory of parts)"
                        .into(),
                ));
            }
            Ok(None)
        }
    }
}

/// Reads Parquet data into [`StatsData`] (see [`source`]), with a progress bar (rows, rows/s)
/// on a terminal.
fn parquet(path: &Path, a: &DataArgs, cv: Option<&CvArgs>) -> Result<StatsData> {
    let shown = path.display().to_string();
    let not_for = |flag: &str, why: &str| {
        CliError::Usage(format!("{flag} is not for Parquet --data ({shown}): {why}"))
    };
    if a.y_npy.is_some() {
        return Err(not_for("--y", "name the target column with --target"));
    }
    if a.zero_based.is_some() {
        return Err(not_for("--zero-based", "it is for svmlight files"));
    }
    if a.offset.is_some() || a.exposure.is_some() {
        return Err(not_for(
            "--offset / --exposure",
            "the Parquet route fits least squares (--family gaussian)",
        ));
    }
    if a.target.len() > 1 {
        return Err(not_for(
            "several --target columns",
            "the Parquet route fits one target (multi-task needs the rows)",
        ));
    }
    let src = ParquetSource::open(path)?;
    let target = match a.target.first() {
        Some(t) => t.clone(),
        None => src
            .column_names()
            .last()
            .cloned()
            .ok_or_else(|| not_for("a file without columns", "nothing to fit"))?,
    };
    let folds = match cv {
        None => PqFolds::None,
        Some(c) => {
            if c.seed.is_some() {
                return Err(not_for(
                    "--seed",
                    "its folds are contiguous blocks of the row order (as `cv` without --seed), or a hash of a row id column with --fold-id COL",
                ));
            }
            let k = c.folds.unwrap_or(5);
            match &c.fold_id {
                Some(col) => PqFolds::ById {
                    column: col.clone(),
                    k,
                },
                None => PqFolds::Contiguous(k),
            }
        }
    };
    let mut spec = StatsSpec::new(target.clone()).folds(folds);
    if let Some(f) = &a.features {
        spec = spec.features(f.iter().cloned());
    }
    if let Some(w) = &a.weights {
        spec = spec.weight(w.clone());
    }
    let names = src.features(&spec)?;
    let bar = crate::commands::progress(src.n_rows(), "reading Parquet");
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:40}] {human_pos}/{human_len} rows, {per_sec}, {elapsed}",
    ) {
        bar.set_style(style);
    }
    let blocks = src.stats::<f64>(&spec, |done| bar.set_position(done))?;
    bar.finish_and_clear();
    let mut d = StatsData::new(blocks, Some(names), Some(target), shown)?;
    d.origin = Origin::Parquet;
    Ok(d)
}

/// Reads a statistics directory (`proxreg_io::stats`, docs/scale.md).
///
/// # Errors
/// [`CliError::Data`] naming the directory and what is wrong with it.
pub(crate) fn read(dir: &Path) -> Result<StatsData> {
    let source = dir.display().to_string();
    let file = proxreg_io::stats::read::<f64>(dir).map_err(|e| {
        DataError::new(
            &source,
            None,
            None,
            io::ErrorKind::Shape(format!("not a readable statistics directory: {e}")),
        )
    })?;
    StatsData::new(file.blocks, file.feature_names, file.target_name, source)
}

/// What the statistics route supports, for the messages of what it does not.
const SUPPORTED: &str = "from sufficient statistics (--stats DIR, or Parquet --data read into them) proxreg fits least squares (--family gaussian) with --penalty lasso, elastic-net or ridge (--solver auto or cd; ridge also cholesky), with --standardize, --no-intercept, --positive and --penalty-factor";

fn unsupported(what: &str) -> CliError {
    CliError::Usage(format!(
        "{what} is not available with --stats or Parquet --data: {SUPPORTED}"
    ))
}

fn solver_name(s: SolverArg) -> String {
    s.to_possible_value()
        .map_or_else(|| format!("{s:?}"), |v| v.get_name().to_string())
}

/// Whether ridge is solved directly (Cholesky on the Gram matrix) rather than by coordinate
/// descent: as the in-memory `Ridge`, unless penalty factors, bounds or `--solver cd`.
fn ridge_direct(m: &ModelArgs) -> bool {
    m.penalty == PenaltyKind::Ridge
        && matches!(m.solver, SolverArg::Auto | SolverArg::Cholesky)
        && !m.positive
        && m.penalty_factor.is_none()
}

/// The model options the statistics route takes (and the shared checks of the in-memory
/// route on them).
fn check_model(m: &ModelArgs, ds: &Dataset) -> Result<()> {
    if m.family != FamilyArg::Gaussian {
        return Err(unsupported(&format!("--family {}", m.family.name())));
    }
    if !matches!(
        m.penalty,
        PenaltyKind::Lasso | PenaltyKind::ElasticNet | PenaltyKind::Ridge
    ) {
        return Err(unsupported(&format!("--penalty {}", m.penalty.name())));
    }
    if m.relax.relax {
        return Err(unsupported("--relax (the relaxed lasso)"));
    }
    if m.relax.adaptive {
        return Err(unsupported("--adaptive (the adaptive lasso)"));
    }
    let solver_ok = match m.solver {
        SolverArg::Auto | SolverArg::Cd => true,
        SolverArg::Cholesky => m.penalty == PenaltyKind::Ridge,
        _ => false,
    };
    if !solver_ok {
        return Err(unsupported(&format!(
            "--solver {} with {}",
            solver_name(m.solver),
            m.penalty.name()
        )));
    }
    if m.solver == SolverArg::Cholesky && !ridge_direct(m) {
        return Err(CliError::Usage(
            "--solver cholesky solves ridge without --positive and --penalty-factor (use --solver cd)".into(),
        ));
    }
    check_family_args(ds, m)?;
    check_model_args(ds, m)
}

/// Coordinate descent with the command line's stopping rules.
fn cd_of(m: &ModelArgs) -> CoordinateDescent<f64> {
    let cd = CoordinateDescent::new()
        .tol(m.tol)
        .max_iter(crate::commands::max_iter_of(m));
    match m.kkt_tol {
        Some(k) => cd.kkt_tol(k),
        None => cd,
    }
}

/// A job on the penalty the options describe.
trait PenaltyJob {
    type Out;
    fn run<P: SeparablePenalty<f64> + Penalty<f64>>(self, pen: &P) -> Result<Self::Out>;
}

/// Builds the penalty of `m` (`l1_ratio` ρ for the elastic net), with its penalty factors and
/// the bound of `--positive`, and runs `job` on it.
fn with_penalty<J: PenaltyJob>(m: &ModelArgs, rho: f64, p: usize, job: J) -> Result<J::Out> {
    match m.penalty {
        PenaltyKind::Lasso => wrapped(m, p, L1, job),
        PenaltyKind::ElasticNet => wrapped(m, p, proxreg::penalty::ElasticNet::new(rho)?, job),
        _ => wrapped(m, p, SquaredL2, job),
    }
}

fn wrapped<B: SeparablePenalty<f64>, J: PenaltyJob>(
    m: &ModelArgs,
    p: usize,
    base: B,
    job: J,
) -> Result<J::Out> {
    if let Some(f) = &m.penalty_factor {
        if f.len() != p {
            return Err(CliError::Usage(format!(
                "--penalty-factor has {} values, the statistics have {p} features",
                f.len()
            )));
        }
    }
    let inf = f64::INFINITY;
    match (m.penalty_factor.clone(), m.positive) {
        (None, false) => job.run(&base),
        (Some(f), false) => job.run(&Weighted::new(base, f)?),
        (None, true) => job.run(&Bounded::new(base, 0.0, inf)?),
        (Some(f), true) => job.run(&Bounded::new(Weighted::new(base, f)?, 0.0, inf)?),
    }
}

/// `alpha_max` of the prepared problem with the options' penalty.
struct AlphaMax<'a>(&'a Prepared<'a, f64>);

impl PenaltyJob for AlphaMax<'_> {
    type Out = f64;
    fn run<P: SeparablePenalty<f64> + Penalty<f64>>(self, pen: &P) -> Result<f64> {
        Ok(alpha_max(self.0, pen)?)
    }
}

/// The warm-started Gram-mode path over engine alphas.
struct PathJob<'a> {
    prep: &'a Prepared<'a, f64>,
    alphas: &'a [f64],
    warm: Option<&'a [f64]>,
    cd: CoordinateDescent<f64>,
}

impl PenaltyJob for PathJob<'_> {
    type Out = SolverPath<f64>;
    fn run<P: SeparablePenalty<f64> + Penalty<f64>>(self, pen: &P) -> Result<SolverPath<f64>> {
        Ok(self
            .cd
            .path_prepared(self.prep, pen, self.alphas, self.warm)?)
    }
}

/// A solver's solution in the command line's plain numbers (`alpha` in the penalty's
/// convention).
fn fitted_of(m: &ModelArgs, alpha: f64, rho: f64, sol: Solution<f64>) -> Result<Fitted> {
    let finite = sol.coef.iter().chain(&sol.intercept).all(|v| v.is_finite())
        && sol.objective.is_finite()
        && sol.kkt_violation.is_finite();
    if !finite {
        return Err(proxreg::Error::Numerical {
            what: "fit",
            reason: "the coefficients or their certificates overflow the floating-point range (rescale the data)",
        }
        .into());
    }
    let report = FitReport::from_solution(&sol);
    Ok(Fitted {
        penalty: m.penalty,
        alpha,
        l1_ratio: rho,
        coef: sol.coef,
        intercept: sol.intercept,
        report,
        seconds: 0.0,
        classes: None,
        glm: None,
        multinomial: None,
        groups: None,
        relax: None,
    })
}

/// Ridge's alpha (scikit-learn's `‖y − Xw − b‖² + α‖w‖²`) in the solvers' convention
/// `(1/(2W))‖r‖² + (a/2)‖w‖²`: `a = α/W`.
fn engine_alpha(m: &ModelArgs, prep: &Prepared<'_, f64>, alpha: f64) -> f64 {
    if m.penalty == PenaltyKind::Ridge {
        alpha / prep.normalizer()
    } else {
        alpha
    }
}

/// The fits of the path over `alphas` (in the penalty's convention) on a prepared problem:
/// exact ridge solves at each alpha, or the warm-started Gram-mode coordinate descent path.
fn path_on(
    m: &ModelArgs,
    rho: f64,
    prep: &Prepared<'_, f64>,
    alphas: &[f64],
) -> Result<Vec<Fitted>> {
    path_from(m, rho, prep, alphas, None)
}

/// [`path_on`], the iterative route warm-started from `warm` (the direct ridge solve needs
/// none).
fn path_from(
    m: &ModelArgs,
    rho: f64,
    prep: &Prepared<'_, f64>,
    alphas: &[f64],
    warm: Option<&[f64]>,
) -> Result<Vec<Fitted>> {
    if ridge_direct(m) {
        return alphas
            .iter()
            .map(|&a| {
                let sol = RidgeDirect::new()
                    .solve_prepared(prep, engine_alpha(m, prep, a))?
                    .solution;
                fitted_of(m, a, rho, sol)
            })
            .collect();
    }
    let engine: Vec<f64> = alphas.iter().map(|&a| engine_alpha(m, prep, a)).collect();
    let job = PathJob {
        prep,
        alphas: &engine,
        warm,
        cd: cd_of(m),
    };
    let path = with_penalty(m, rho, prep.n_features(), job)?;
    alphas
        .iter()
        .zip(path.solutions)
        .map(|(&a, sol)| fitted_of(m, a, rho, sol))
        .collect()
}

/// The automatic grid, as the in-memory route's: `n_alphas` values from `alpha_max` of the
/// prepared problem down to `eps·alpha_max` (lasso, elastic-net), or ridge's grid over the
/// singular values of the prepared design (from the eigenvalues of its Gram matrix).
fn auto_grid(
    m: &ModelArgs,
    rho: f64,
    prep: &Prepared<'_, f64>,
    n_alphas: usize,
    eps: f64,
) -> Result<Vec<f64>> {
    let ok = n_alphas > 0 && eps > 0.0 && eps < 1.0;
    if !ok {
        return Err(CliError::Usage(
            "--n-alphas must be >= 1 and --eps in (0, 1)".into(),
        ));
    }
    if m.penalty == PenaltyKind::Ridge {
        let eig = SymEigen::new(&prep.centered_gram())?;
        let s: Vec<f64> = eig.values().iter().map(|v| v.max(0.0).sqrt()).collect();
        return Ok(ridge_default_grid(&s, n_alphas)?);
    }
    let ok = rho > 0.0 && rho <= 1.0;
    if !ok {
        return Err(CliError::Usage(
            "an automatic grid needs l1_ratio in (0, 1]: give --alphas".into(),
        ));
    }
    let amax = with_penalty(m, rho, prep.n_features(), AlphaMax(prep))?;
    let ok = amax.is_finite() && amax > 0.0;
    if !ok {
        return Err(CliError::Usage(
            "alpha_max is 0 (constant target or features): give --alphas".into(),
        ));
    }
    Ok(proxreg::solvers::alpha_grid(amax, n_alphas, eps)?)
}

/// `fit --stats`: one fit on the merged statistics.
///
/// # Errors
/// Unsupported options ([`CliError::Usage`]), invalid statistics, fit errors.
pub(crate) fn fit(a: &FitArgs, d: &StatsData, out: &mut dyn std::io::Write) -> Result<()> {
    let m = &a.model;
    let (merged, ds) = prologue(d, m)?;
    let t0 = Instant::now();
    let prep = merged.prepare(!m.no_intercept, m.standardize)?;
    let rho = l1_ratio_of(m);
    let mut f = path_on(m, rho, &prep, &[a.alpha])?
        .pop()
        .ok_or_else(|| CliError::Usage("internal: no fit".into()))?;
    f.seconds = t0.elapsed().as_secs_f64();
    d.report(&merged, a.out.quiet, out, |extra, out| {
        report_fit(a, &ds, &f, extra, out)
    })
}

/// `path --stats`: the path on the merged statistics.
///
/// # Errors
/// As [`fit`].
pub(crate) fn path(a: &PathArgs, d: &StatsData, out: &mut dyn std::io::Write) -> Result<()> {
    let m = &a.model;
    let (merged, ds) = prologue(d, m)?;
    let t0 = Instant::now();
    let prep = merged.prepare(!m.no_intercept, m.standardize)?;
    let rho = l1_ratio_of(m);
    let alphas = match &a.grid.alphas {
        Some(v) => given_alphas(v)?,
        None => auto_grid(m, rho, &prep, a.grid.n_alphas, a.grid.eps)?,
    };
    let fits = path_on(m, rho, &prep, &alphas)?;
    let path = PathFit {
        fits,
        seconds: t0.elapsed().as_secs_f64(),
    };
    d.report(&merged, a.out.quiet, out, |extra, out| {
        report_path(a, &ds, &path, extra, out)
    })
}

/// `cv --stats`: K-fold cross-validation with the statistics' blocks as the folds (or ridge's
/// GCV from the merged statistics), then the refit on the merged statistics.
///
/// # Errors
/// As [`fit`]; [`CliError::Usage`] for `--seed`, `--measure`, a `--folds` other than the
/// number of blocks, a single block, ridge's leave-one-out.
pub(crate) fn cv(a: &CvArgs, d: &StatsData, out: &mut dyn std::io::Write) -> Result<()> {
    let m = &a.model;
    let (merged, ds) = prologue(d, m)?;
    if a.seed.is_some() {
        return Err(CliError::Usage(
            "--seed does not apply with --stats: the folds are the statistics' blocks, fixed when they were computed".into(),
        ));
    }
    if a.measure.is_some() {
        return Err(CliError::Usage(
            "--measure does not apply with --stats or Parquet --data: cross-validation from statistics scores the mean squared error".into(),
        ));
    }
    check_cv_args(a, &ds)?;
    let k = d.blocks.len();
    let gcv = m.penalty == PenaltyKind::Ridge && a.ridge_mode != RidgeModeArg::Kfold;
    if gcv {
        if a.ridge_mode == RidgeModeArg::Loo {
            return Err(CliError::Usage(
                "ridge's leave-one-out (--ridge-mode loo, the default) needs the rows (the hat matrix's diagonal): with --stats or Parquet --data give --ridge-mode kfold (the statistics' blocks, or the folds of the Parquet rows) or gcv".into(),
            ));
        }
        check_ridge_closed_form(a, &ds)?;
    } else {
        if k < 2 {
            return Err(CliError::Usage(format!(
                "cv --stats needs one block of statistics per fold, and {} holds a single block: write the statistics by fold (SufficientStats::by_fold), or use `fit` / `path`{}",
                d.source,
                if m.penalty == PenaltyKind::Ridge { " (or --ridge-mode gcv)" } else { "" }
            )));
        }
        if let Some(f) = a.folds.filter(|&f| f != k) {
            return Err(CliError::Usage(format!(
                "--folds {f} does not match the statistics: {} holds {k} blocks, which are the folds with --stats (omit --folds or give --folds {k})",
                d.source
            )));
        }
    }
    let rho = match (&a.l1_ratios, m.penalty) {
        (Some(r), PenaltyKind::ElasticNet) if r.len() != 1 => {
            return Err(CliError::Usage(
                "--l1-ratios with several values is not available with --stats or Parquet --data: run one cv per l1_ratio (--l1-ratio)".into(),
            ))
        }
        (Some(r), PenaltyKind::ElasticNet) => r.first().copied().unwrap_or(0.5),
        _ => l1_ratio_of(m),
    };
    let t0 = Instant::now();
    let full = merged.prepare(!m.no_intercept, m.standardize)?;
    let mut r = if gcv {
        cv_gcv(a, &merged, &full)?
    } else if m.penalty == PenaltyKind::Ridge {
        cv_ridge_kfold(a, d, &full)?
    } else {
        cv_separable(a, d, rho, &full)?
    };
    r.refit.seconds = t0.elapsed().as_secs_f64();
    let path = if a.out.plot.is_some() || a.out.json.is_some() {
        let fits = path_on(m, r.l1_ratio, &full, &r.alphas)?;
        Some(PathFit { fits, seconds: 0.0 })
    } else {
        None
    };
    let mut shown = a.clone();
    shown.folds = Some(k);
    d.report(&merged, a.out.quiet, out, |extra, out| {
        report_cv(&shown, &ds, &r, path.as_ref(), extra, out)
    })
}

/// The refit at `alpha` on the merged statistics.
fn refit(m: &ModelArgs, rho: f64, full: &Prepared<'_, f64>, alpha: f64) -> Result<Fitted> {
    path_on(m, rho, full, &[alpha])?
        .pop()
        .ok_or_else(|| CliError::Usage("internal: no refit".into()))
}

/// The grid and solver settings of the command line for the library's statistics routines.
fn settings_of(grid: &GridArgs, m: &ModelArgs) -> Result<CvSettings<f64>> {
    Ok(CvSettings {
        alphas: match &grid.alphas {
            Some(v) => Alphas::Given(given_alphas(v)?),
            None => Alphas::Auto {
                n_alphas: grid.n_alphas,
                eps: grid.eps,
            },
        },
        fit_intercept: !m.no_intercept,
        standardize: m.standardize,
        solver: cd_of(m),
        measure: Default::default(),
    })
}

/// Lasso / elastic-net: [`cv_path_stats`] over the blocks, the refit on the merged statistics.
fn cv_separable(a: &CvArgs, d: &StatsData, rho: f64, full: &Prepared<'_, f64>) -> Result<CvResult> {
    struct Cv<'a> {
        blocks: &'a [SufficientStats<f64>],
        settings: CvSettings<f64>,
    }
    impl PenaltyJob for Cv<'_> {
        type Out = CvPath<f64>;
        fn run<P: SeparablePenalty<f64> + Penalty<f64>>(self, pen: &P) -> Result<CvPath<f64>> {
            Ok(cv_path_stats(self.blocks, pen, &self.settings)?)
        }
    }
    let m = &a.model;
    let job = Cv {
        blocks: &d.blocks,
        settings: settings_of(&a.grid, m)?,
    };
    let cv = with_penalty(m, rho, full.n_features(), job)?;
    let fit = refit(m, rho, full, cv.alphas[chosen_index(a, &cv)])?;
    let method = if m.penalty == PenaltyKind::Lasso {
        "LassoCv from sufficient statistics"
    } else {
        "ElasticNetCv from sufficient statistics"
    };
    Ok(kfold_result(cv, rho, fit, method))
}

/// Ridge, `--ridge-mode kfold`: for each block, the exact ridge path on the other blocks'
/// statistics scored on the block (its weighted mean squared error), the library's mean,
/// standard error and 1-SE rule ([`CvPath::from_fold_errors`]), the refit on all blocks.
fn cv_ridge_kfold(a: &CvArgs, d: &StatsData, full: &Prepared<'_, f64>) -> Result<CvResult> {
    let m = &a.model;
    let alphas = match &a.grid.alphas {
        Some(v) => given_alphas(v)?,
        None => auto_grid(m, 0.0, full, a.grid.n_alphas, a.grid.eps)?,
    };
    let mut fold_errors = Vec::with_capacity(d.blocks.len());
    for (f, test) in d.blocks.iter().enumerate() {
        let train: Vec<&SufficientStats<f64>> = d
            .blocks
            .iter()
            .enumerate()
            .filter(|&(g, _)| g != f)
            .map(|(_, s)| s)
            .collect();
        let prep = SufficientStats::combine(&train)?.prepare(!m.no_intercept, m.standardize)?;
        let errors = path_on(m, 0.0, &prep, &alphas)?
            .iter()
            .map(|fit| {
                let b = fit.intercept.first().copied().unwrap_or(0.0);
                Ok(test.sse(&fit.coef, b)?.0 / test.weight_sum())
            })
            .collect::<Result<Vec<f64>>>()?;
        fold_errors.push(errors);
    }
    let cv = CvPath::from_fold_errors(alphas, &fold_errors, 0)?;
    let fit = refit(m, 0.0, full, cv.alphas[chosen_index(a, &cv)])?;
    Ok(kfold_result(
        cv,
        0.0,
        fit,
        "K-fold over Ridge from sufficient statistics",
    ))
}

/// Ridge, `--ridge-mode gcv`: [`ridge_gcv_stats`] on the merged statistics, the refit at its
/// minimum.
fn cv_gcv(a: &CvArgs, merged: &SufficientStats<f64>, full: &Prepared<'_, f64>) -> Result<CvResult> {
    let m = &a.model;
    let given = a.grid.alphas.as_deref().map(given_alphas).transpose()?;
    let g = ridge_gcv_stats(merged, given.as_deref(), a.grid.n_alphas, !m.no_intercept)?;
    let fit = refit(m, 0.0, full, g.alphas[g.index_min])?;
    Ok(CvResult {
        mse_std_err: vec![0.0; g.gcv.len()],
        mse_path: Vec::new(),
        mse_mean: g.gcv,
        index_min: g.index_min,
        index_1se: g.index_min,
        alphas: g.alphas,
        l1_ratios: vec![0.0],
        l1_ratio: 0.0,
        refit: fit,
        method: "RidgeCv (GCV) from sufficient statistics".into(),
        measure: "MSE".into(),
        extra: vec![("alpha_floor", json!(g.alpha_floor))],
    })
}

/// `select --criterion aic|bic --stats`: [`information_criteria_stats`] along the path of the
/// merged statistics, the minimiser of the criterion refitted there (warm-started from the
/// path, as `LassoIc` / `ElasticNetIc`). Stability selection draws half-samples of the rows:
/// not available.
///
/// # Errors
/// As [`fit`]; [`CliError::Usage`] for `--criterion stability` and the options `select`
/// refuses for rows.
pub(crate) fn select(a: &SelectArgs, d: &StatsData, out: &mut dyn std::io::Write) -> Result<()> {
    let m = &a.model;
    let (merged, ds) = prologue(d, m)?;
    if a.criterion == CriterionArg::Stability {
        return Err(CliError::Usage(
            "--criterion stability draws half-samples of the rows: not available with --stats or Parquet --data (aic and bic are)".into(),
        ));
    }
    check_select_args(a, &ds)?;
    let t0 = Instant::now();
    let rho = l1_ratio_of(m);
    let noise = a
        .noise_variance
        .map_or(NoiseVariance::Estimate, NoiseVariance::Given);
    let info = information_criteria_stats(&merged, rho, &settings_of(&a.grid, m)?, noise)?;
    let i = if a.criterion == CriterionArg::Aic {
        info.index_aic
    } else {
        info.index_bic
    };
    let prep = merged.prepare(!m.no_intercept, false)?;
    let alpha = info.alphas[i];
    let mut refit = path_from(
        m,
        rho,
        &prep,
        &[alpha],
        info.coefs.get(i).map(Vec::as_slice),
    )?
    .pop()
    .ok_or_else(|| CliError::Usage("internal: no refit".into()))?;
    refit.seconds = t0.elapsed().as_secs_f64();
    let n = info.alphas.len();
    let r = IcResult {
        alphas: info.alphas,
        aic: info.aic,
        bic: info.bic,
        dof: info.dof,
        rss: info.rss,
        noise_variance: info.noise_variance,
        index: i,
        on_grid_edge: i == 0 || i + 1 == n,
        refit,
    };
    d.report(&merged, a.out.quiet, out, |extra, out| {
        ic_report(a, &ds, &r, extra, out)
    })
}
