//! The tasks, on proxreg's engine (`proxreg-solvers`).
//!
//! Conventions are scikit-learn's (see `benches/compare/common.py`): Lasso and Elastic Net
//! `(1/(2n))‖y − Xw − b‖² + α·(ρ‖w‖₁ + ½(1−ρ)‖w‖²)`, ridge `‖y − Xw − b‖² + a‖w‖²`, which the
//! engine solves as `alpha = a/n` with the penalty `½‖w‖²`. T5 is L1 logistic regression in
//! proxreg's convention, `(1/n) Σ [log(1 + exp(η_i)) − y_i η_i] + α‖w‖₁`, `η = Xw + b`, with an
//! unpenalized intercept and `y` in {0, 1} (`benches/compare/common.py:
//! logistic_relative_gap`). T6a / T6b are T2's and T5b's paths on a sparse design, read as a
//! `CscMatrix` (`crate::sparse`) and handed to the same solvers without a dense copy in this
//! crate (whatever the solvers do with it inside is theirs: issue #20). T5c / T5d are T5a's and
//! T5b's tasks for L1 Poisson regression, `(1/n) Σ [exp(η_i) − y_i η_i] + α‖w‖₁`, through the
//! product (`proxreg::PoissonRegression`), `y` the count target (`common.poisson_relative_gap`).
//! T5e / T5f are L1 (entrywise) multinomial regression, one fit and K-fold CV, through
//! `proxreg::MultinomialRegression` / `MultinomialRegressionCv`, `y` the class labels
//! (`common.multinomial_relative_gap`); T7 the group lasso path (least squares, no intercept,
//! groups of 10 contiguous features, weights 1) through `proxreg::GroupLasso`
//! (`common.group_relative_gap`).

use std::time::Instant;

use proxreg_compare::json::Json;
use proxreg_core::datafit::Poisson;
use proxreg_core::penalty::{SquaredL2, L1};
use proxreg_io::npy::Array;
use proxreg_linalg::{ColMajor, CscMatrix, DesignMatrix};
use proxreg_solvers::{
    alpha_grid, alpha_max, glm_alpha_max, CdMode, CoordinateDescent, GlmCd, Logistic, Prepared,
    Problem, ProxNewton, RidgeDirect, Solver,
};

use crate::{Opts, Outcome};

/// Number of alphas of the T2/T3 grids and their smallest ratio.
const N_ALPHAS: usize = 100;
const EPS: f64 = 1e-3;
/// T3: l1_ratio (default) and folds.
const L1_RATIO: f64 = 0.5;
const N_FOLDS: usize = 5;
/// T4: ridge alpha (scikit-learn convention) per sample, and the LOO grid n·logspace(−4, 1, 50).
const RIDGE_ALPHA_PER_N: f64 = 0.1;
const N_RIDGE_ALPHAS: usize = 50;
/// T5: the single fit at `alpha_max / LOGISTIC_RATIO`, the path down to `LOGISTIC_EPS·alpha_max`.
const LOGISTIC_RATIO: f64 = 10.0;
const LOGISTIC_EPS: f64 = 1e-2;
/// T6a: the Lasso path's smallest ratio (`common.T6_EPS`).
const T6_EPS: f64 = 1e-2;
/// T5f: the CV grid's length (`common.MULTI_CV_ALPHAS`), down to `LOGISTIC_EPS·alpha_max`.
const MULTI_CV_ALPHAS: usize = 20;
/// T7: the group size (`common.GROUP_SIZE`) and the path's smallest ratio (`common.T7_EPS`).
const GROUP_SIZE: usize = 10;
const T7_EPS: f64 = 1e-2;

fn err(e: proxreg_core::Error) -> String {
    e.to_string()
}

/// Runs `o.task` on `X` (column-major) and `y`.
pub fn run(o: &Opts, xa: Array, y: Vec<f64>) -> Result<Outcome, String> {
    let (n, p) = (xa.nrows(), xa.ncols());
    let x = ColMajor::new(xa.data, n, p).map_err(err)?;
    match o.task.as_str() {
        "T1" => t1(o, &x, &y),
        "T2" => t2(o, &x, &y),
        "T3" => t3(o, &x, &y),
        "T4a" => t4a(o, &x, &y),
        "T4b" => t4b(o, &x, &y),
        "T5a" => t5a(o, &x, &y),
        "T5b" => t5b(o, &x, &y),
        "T5c" => t5c(o, &x, &y),
        "T5d" => t5d(o, &x, &y),
        "T5e" => t5e(o, &x, &y),
        "T5f" => t5f(o, &x, &y),
        "T7" => t7(o, &x, &y),
        "epoch" => epoch(o, &x, &y),
        "gram" => gram(o, &x, &y),
        other => Err(format!("unknown task {other:?}")),
    }
}

/// Runs `o.task` (T6a or T6b) on the sparse design `x`. With `--baseline` nothing is solved:
/// the process's peak memory is then that of the runtime with the data loaded.
pub fn run_sparse(o: &Opts, x: &CscMatrix<f64, i32>, y: &[f64]) -> Result<Outcome, String> {
    if o.baseline {
        return Ok(Outcome {
            times: vec![],
            extra: vec![("nnz".into(), Json::Num(x.nnz() as f64))],
            coef: None,
        });
    }
    match o.task.as_str() {
        "T6a" => lasso_path(o, x, y, T6_EPS),
        "T6b" => logistic_path(o, x, y),
        other => Err(format!(
            "task {other:?} does not take a sparse design (--csc)"
        )),
    }
}

/// Times `f` `reps` times; returns the times and the last result.
fn timed<R>(
    reps: usize,
    mut f: impl FnMut() -> Result<R, String>,
) -> Result<(Vec<f64>, R), String> {
    let mut times = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        let t0 = Instant::now();
        let r = f()?;
        times.push(t0.elapsed().as_secs_f64());
        last = Some(r);
    }
    last.map(|r| (times, r))
        .ok_or_else(|| "no repetition".to_string())
}

fn lasso_alpha_max<X: DesignMatrix<f64> + ?Sized>(x: &X, y: &[f64]) -> Result<f64, String> {
    let prep = Prepared::new(&Problem::new(x, y, &L1, 1.0), false).map_err(err)?;
    alpha_max(&prep, &L1).map_err(err)
}

fn t1(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let a = lasso_alpha_max(x, y)? / 10.0;
    let cd = CoordinateDescent::new().tol(o.tol.unwrap_or(5e-7));
    let pb = Problem::new(x, y, &L1, a);
    let (times, sol) = timed(o.reps, || cd.solve(&pb, None, &mut ()).map_err(err))?;
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(a)),
            (
                "relative_gap_proxreg".into(),
                Json::Num(sol.relative_gap.unwrap_or(f64::NAN)),
            ),
            (
                "converged".into(),
                Json::Num(f64::from(u8::from(sol.converged()))),
            ),
            ("n_iter".into(), Json::Num(sol.n_iter as f64)),
        ],
        coef: Some((vec![x.ncols()], sol.coef)),
    })
}

fn t2(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    lasso_path(o, x, y, EPS)
}

/// The Lasso path without intercept over 100 alphas `alpha_max … eps·alpha_max`, warm
/// started (`CoordinateDescent::path`): T2 (dense, eps 1e-3) and T6a (CSC, eps 1e-2).
fn lasso_path<X: DesignMatrix<f64> + ?Sized>(
    o: &Opts,
    x: &X,
    y: &[f64],
    eps: f64,
) -> Result<Outcome, String> {
    let grid = alpha_grid(lasso_alpha_max(x, y)?, N_ALPHAS, eps).map_err(err)?;
    let cd = CoordinateDescent::new().tol(o.tol.unwrap_or(5e-7));
    let pb = Problem::new(x, y, &L1, grid[0]);
    let (times, path) = timed(o.reps, || cd.path(&pb, &grid).map_err(err))?;
    let p = x.ncols();
    let extra = path_extra(&path);
    // the solutions are moved out one by one, so the output is not held twice
    let mut coefs = Vec::with_capacity(p * grid.len());
    for s in path.solutions {
        coefs.extend_from_slice(&s.coef);
    }
    Ok(Outcome {
        times,
        extra,
        coef: Some((vec![p, grid.len()], coefs)),
    })
}

/// ElasticNetCV through the product, `proxreg::ElasticNetCv` (what users get): l1_ratio 0.5,
/// the 100-alpha grid from the centered full data down to 1e-3·alpha_max, 5 contiguous folds
/// (`KFold::new(5)`, scikit-learn's), with intercept, refit on all the data included. Single
/// thread for the comparison: the fit runs in a rayon pool of one thread (`PROXREG_CV_THREADS`
/// overrides it, for the parallel-CV measurement).
fn t3(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let threads = std::env::var("PROXREG_CV_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| e.to_string())?;
    let l1_ratios: Vec<f64> = match std::env::var("PROXREG_CV_L1_RATIOS") {
        Ok(v) => v
            .split(',')
            .map(|s| s.trim().parse::<f64>().map_err(|e| format!("{s:?}: {e}")))
            .collect::<Result<_, _>>()?,
        Err(_) => vec![L1_RATIO],
    };
    let params = proxreg::ElasticNetCv::params()
        .l1_ratios(l1_ratios)
        .n_alphas(N_ALPHAS)
        .eps(EPS)
        .cv(proxreg::KFold::new(N_FOLDS))
        .fit_intercept(true)
        .tol(o.tol.unwrap_or(1e-4));
    let (times, cv) = timed(o.reps, || {
        pool.install(|| params.fit(x, y)).map_err(|e| e.to_string())
    })?;
    let model = cv.model();
    // diagnostic: the refit alone (cold start on all the data at the chosen alpha)
    let t0 = Instant::now();
    let _refit = pool
        .install(|| {
            proxreg::ElasticNet::params()
                .alpha(cv.alpha())
                .l1_ratio(cv.l1_ratio())
                .fit_intercept(true)
                .tol(o.tol.unwrap_or(1e-4))
                .fit(x, y)
        })
        .map_err(|e| e.to_string())?;
    let refit_s = t0.elapsed().as_secs_f64();
    let checksum: f64 = cv.paths().iter().flat_map(|p| p.mean.iter()).sum();
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(cv.alpha())),
            ("intercept".into(), Json::Num(model.intercept())),
            ("l1_ratio".into(), Json::Num(cv.l1_ratio())),
            ("mse_mean_sum".into(), Json::Num(checksum)),
            ("threads".into(), Json::Num(threads as f64)),
            ("refit_s".into(), Json::Num(refit_s)),
        ],
        coef: Some((vec![x.ncols()], model.coef().to_vec())),
    })
}

fn t4a(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let n = x.nrows() as f64;
    let a_sk = RIDGE_ALPHA_PER_N * n;
    let pb = Problem::new(x, y, &SquaredL2, a_sk / n).fit_intercept(true);
    let solver = RidgeDirect::new();
    let (times, fit) = timed(o.reps, || solver.solve(&pb).map_err(err))?;
    let b = fit.solution.intercept.first().copied().unwrap_or(0.0);
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(a_sk)),
            ("intercept".into(), Json::Num(b)),
        ],
        coef: Some((vec![x.ncols()], fit.solution.coef)),
    })
}

/// Ridge leave-one-out CV over the 50 alphas `n·logspace(−4, 1, 50)`, with intercept:
/// `proxreg::RidgeCv` in `Loo` mode (scikit-learn's `RidgeCV(cv=None)`), refit included.
fn t4b(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let nf = x.nrows() as f64;
    let grid: Vec<f64> = (0..N_RIDGE_ALPHAS)
        .map(|i| nf * 10f64.powf(-4.0 + 5.0 * i as f64 / (N_RIDGE_ALPHAS - 1) as f64))
        .collect();
    // The facade's RidgeCv in leave-one-out mode (the curves, the selection and the certified
    // refit), exactly what a user calls.
    let params = proxreg::RidgeCv::params()
        .alphas(grid)
        .fit_intercept(true)
        .mode(proxreg::RidgeCvMode::Loo);
    let (times, cv) = timed(o.reps, || params.fit(x, y).map_err(err))?;
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(cv.alpha())),
            ("intercept".into(), Json::Num(cv.model().intercept())),
        ],
        coef: Some((vec![x.ncols()], cv.model().coef().to_vec())),
    })
}

/// T5's `alpha_max = ‖Xᵀ(ȳ − y)‖∞ / n` (w = 0 optimal, the intercept at `logit(ȳ)`).
fn logistic_alpha_max<X: DesignMatrix<f64> + ?Sized>(x: &X, y: &[f64]) -> Result<f64, String> {
    let pb = Problem::new(x, y, &L1, 1.0)
        .fit_intercept(true)
        .datafit(Logistic);
    glm_alpha_max(&pb).map_err(err)
}

/// `[w; b]`: the coefficients with the intercept appended (what the gap check reads for T5).
fn with_intercept(coef: &[f64], intercept: &[f64]) -> Vec<f64> {
    let mut v = Vec::with_capacity(coef.len() + 1);
    v.extend_from_slice(coef);
    v.push(intercept.first().copied().unwrap_or(0.0));
    v
}

/// T5a: one L1 logistic fit with intercept at `alpha_max/10`, cold start, `ProxNewton` or
/// `GlmCd` (`--solver cd`) (their
/// relative gap is the gap over the null deviance `2·P0`, half of T5's: tol 5e-7 by default).
fn t5a(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let a = logistic_alpha_max(x, y)? / LOGISTIC_RATIO;
    let pb = Problem::new(x, y, &L1, a)
        .fit_intercept(true)
        .datafit(Logistic);
    let tol = o.tol.unwrap_or(5e-7);
    let (times, sol) = if o.solver == "cd" {
        let solver = GlmCd::default().tol(tol);
        timed(o.reps, || solver.solve(&pb, None, &mut ()).map_err(err))?
    } else {
        let solver = ProxNewton::default().tol(tol);
        timed(o.reps, || solver.solve(&pb, None, &mut ()).map_err(err))?
    };
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(a)),
            (
                "relative_gap_proxreg".into(),
                Json::Num(sol.relative_gap.unwrap_or(f64::NAN)),
            ),
            (
                "converged".into(),
                Json::Num(f64::from(u8::from(sol.converged()))),
            ),
            ("n_iter".into(), Json::Num(sol.n_iter as f64)),
        ],
        coef: Some((
            vec![x.ncols() + 1],
            with_intercept(&sol.coef, &sol.intercept),
        )),
    })
}

/// T5b: the 100-alpha path `alpha_max … 1e-2·alpha_max`, warm started (`ProxNewton::path`, or
/// `GlmCd::path` with `--solver cd`);
/// the coefficients are `(p + 1) × 100`, the intercept in the last row.
fn t5b(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    logistic_path(o, x, y)
}

/// T5b's path (see [`t5b`]) on any design: T5b (dense) and T6b (CSC).
fn logistic_path<X: DesignMatrix<f64> + ?Sized>(
    o: &Opts,
    x: &X,
    y: &[f64],
) -> Result<Outcome, String> {
    let grid = alpha_grid(logistic_alpha_max(x, y)?, N_ALPHAS, LOGISTIC_EPS).map_err(err)?;
    let pb = Problem::new(x, y, &L1, grid[0])
        .fit_intercept(true)
        .datafit(Logistic);
    let tol = o.tol.unwrap_or(5e-7);
    let (times, path) = if o.solver == "cd" {
        let solver = GlmCd::default().tol(tol);
        timed(o.reps, || solver.path(&pb, &grid).map_err(err))?
    } else {
        let solver = ProxNewton::default().tol(tol);
        timed(o.reps, || solver.path(&pb, &grid).map_err(err))?
    };
    let p = x.ncols();
    let extra = path_extra(&path);
    let mut coefs = Vec::with_capacity((p + 1) * grid.len());
    for s in path.solutions {
        coefs.extend_from_slice(&s.coef);
        coefs.push(s.intercept.first().copied().unwrap_or(0.0));
    }
    Ok(Outcome {
        times,
        extra,
        coef: Some((vec![p + 1, grid.len()], coefs)),
    })
}

/// The Poisson tasks' parameters: L1, intercept, ProxNewton (the family's only solver), a
/// generous Newton budget (the check is the driver's), tol 5e-7 by default (the relative gap is
/// over the null deviance `2·P0`, half of the harness's scale: 5e-7 is its 1e-6).
fn poisson_params(o: &Opts) -> proxreg::PoissonRegressionParams<f64> {
    proxreg::PoissonRegression::params()
        .l1_ratio(1.0)
        .tol(o.tol.unwrap_or(5e-7))
        .max_iter(1000)
}

/// The Poisson model's `[w; b]` and its report's diagnostics.
fn poisson_extra(m: &proxreg::PoissonRegression<f64>) -> (f64, f64, usize, bool) {
    let r = m.report();
    (
        r.relative_gap.unwrap_or(f64::NAN),
        r.kkt_violation,
        r.n_iter,
        m.status() == proxreg::Status::Converged,
    )
}

/// T5c: one L1 Poisson fit with intercept at `alpha_max/10`, cold start
/// (`proxreg::PoissonRegression`, proximal Newton).
fn t5c(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let base = poisson_params(o);
    let a = base.alpha_max(x, y, None, None).map_err(err)? / LOGISTIC_RATIO;
    let params = base.alpha(a);
    let (times, m) = timed(o.reps, || params.fit_offset(x, y, None, None).map_err(err))?;
    let (gap, kkt, n_iter, conv) = poisson_extra(&m);
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(a)),
            ("relative_gap_proxreg".into(), Json::Num(gap)),
            ("kkt_violation".into(), Json::Num(kkt)),
            ("converged".into(), Json::Num(f64::from(u8::from(conv)))),
            ("n_iter".into(), Json::Num(n_iter as f64)),
        ],
        coef: Some((
            vec![x.ncols() + 1],
            with_intercept(m.coef(), &[m.intercept()]),
        )),
    })
}

/// T5d: the 100-alpha path `alpha_max … 1e-2·alpha_max`, warm started
/// (`PoissonRegressionParams::path`); `(p + 1) × 100`, the intercept in the last row.
///
/// `--solver engine` (a diagnostic, not what the harness times): the same path on the engine,
/// `ProxNewton::path` with `datafit(Poisson)` (what the estimator runs), which also reports
/// the coordinate updates (`total_updates`) for comparison with T5b's.
fn t5d(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    if o.solver == "engine" {
        return poisson_engine_path(o, x, y);
    }
    let params = poisson_params(o);
    let amax = params.alpha_max(x, y, None, None).map_err(err)?;
    let grid = alpha_grid(amax, N_ALPHAS, LOGISTIC_EPS).map_err(err)?;
    let (times, path) = timed(o.reps, || params.path(x, y, None, None, &grid).map_err(err))?;
    let p = x.ncols();
    let mut coefs = Vec::with_capacity((p + 1) * grid.len());
    let (mut max_gap, mut total_iter, mut all_conv) = (0.0_f64, 0usize, true);
    for m in &path {
        let (gap, _, n_iter, conv) = poisson_extra(m);
        max_gap = max_gap.max(gap);
        total_iter += n_iter;
        all_conv &= conv;
        coefs.extend_from_slice(m.coef());
        coefs.push(m.intercept());
    }
    Ok(Outcome {
        times,
        extra: vec![
            ("max_relative_gap_proxreg".into(), Json::Num(max_gap)),
            (
                "all_converged".into(),
                Json::Num(f64::from(u8::from(all_conv))),
            ),
            ("total_iter".into(), Json::Num(total_iter as f64)),
        ],
        coef: Some((vec![p + 1, grid.len()], coefs)),
    })
}

/// T5d on the engine (`--solver engine`, see [`t5d`]).
fn poisson_engine_path(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let amax = poisson_params(o).alpha_max(x, y, None, None).map_err(err)?;
    let grid = alpha_grid(amax, N_ALPHAS, LOGISTIC_EPS).map_err(err)?;
    let pb = Problem::new(x, y, &L1, grid[0])
        .fit_intercept(true)
        .datafit(Poisson);
    let solver = ProxNewton::default()
        .tol(o.tol.unwrap_or(5e-7))
        .max_iter(1000);
    let (times, path) = timed(o.reps, || solver.path(&pb, &grid).map_err(err))?;
    Ok(Outcome {
        times,
        extra: path_extra(&path),
        coef: None,
    })
}

/// The multinomial tasks' parameters: the entrywise L1 penalty, intercepts, tol 5e-7 by
/// default (the relative gap is over the null deviance, half of the harness's scale: 5e-7 is
/// its 1e-6), a generous Newton budget (the check is the driver's).
fn multinomial_params(o: &Opts) -> proxreg::MultinomialRegressionParams<f64> {
    proxreg::MultinomialRegression::params()
        .l1_ratio(1.0)
        .tol(o.tol.unwrap_or(5e-7))
        .max_iter(1000)
}

/// `[W; b]` as the `(p + 1) × K` array the driver reads, column-major: column `k` is
/// `W[:, k]` followed by `b_k` (`coef` is `p × K` row-major).
fn multinomial_out(coef: &[f64], intercept: &[f64], p: usize) -> (Vec<usize>, Vec<f64>) {
    let k = intercept.len();
    let mut out = Vec::with_capacity((p + 1) * k);
    for c in 0..k {
        out.extend((0..p).map(|j| coef[j * k + c]));
        out.push(intercept[c]);
    }
    (vec![p + 1, k], out)
}

/// T5e: one L1 multinomial fit at `alpha_max/10`, cold start (`MultinomialRegression`).
fn t5e(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let base = multinomial_params(o);
    let a = base.alpha_max(x, y, None).map_err(err)? / LOGISTIC_RATIO;
    let params = base.alpha(a);
    let (times, m) = timed(o.reps, || params.fit(x, y).map_err(err))?;
    let r = m.report();
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(a)),
            (
                "relative_gap_proxreg".into(),
                Json::Num(r.relative_gap.unwrap_or(f64::NAN)),
            ),
            ("kkt_violation".into(), Json::Num(r.kkt_violation)),
            (
                "converged".into(),
                Json::Num(f64::from(u8::from(
                    m.status() == proxreg::Status::Converged,
                ))),
            ),
            ("n_iter".into(), Json::Num(r.n_iter as f64)),
        ],
        coef: Some(multinomial_out(m.coef(), m.intercept(), x.ncols())),
    })
}

/// T5f: 5-fold CV (contiguous folds, `KFold::new(5)`) over 20 alphas `alpha_max …
/// 1e-2·alpha_max`, held-out deviance, refit at the minimum (`MultinomialRegressionCv`, folds
/// run serially: one thread, as every tool). `[W; b]` of the refit; `alpha` the chosen one.
fn t5f(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let amax = multinomial_params(o).alpha_max(x, y, None).map_err(err)?;
    let grid = alpha_grid(amax, MULTI_CV_ALPHAS, LOGISTIC_EPS).map_err(err)?;
    let params = proxreg::MultinomialRegressionCv::params()
        .l1_ratio(1.0)
        .alphas(grid)
        .cv(proxreg::KFold::new(N_FOLDS))
        .measure(proxreg::MultinomialMeasure::Deviance)
        .parallel(false)
        .tol(o.tol.unwrap_or(5e-7))
        .max_iter(1000);
    let (times, cv) = timed(o.reps, || params.fit(x, y).map_err(err))?;
    let m = cv.model();
    Ok(Outcome {
        times,
        extra: vec![
            ("alpha".into(), Json::Num(cv.alpha())),
            (
                "relative_gap_proxreg".into(),
                Json::Num(m.report().relative_gap.unwrap_or(f64::NAN)),
            ),
            (
                "max_fold_relative_gap_proxreg".into(),
                Json::Num(cv.max_relative_gap().unwrap_or(f64::NAN)),
            ),
            (
                "n_not_converged".into(),
                Json::Num(cv.n_not_converged() as f64),
            ),
        ],
        coef: Some(multinomial_out(m.coef(), m.intercept(), x.ncols())),
    })
}

/// T7: the group lasso path, least squares without intercept, groups of 10 contiguous
/// features with weights 1, 100 alphas `alpha_max … 1e-2·alpha_max`, warm started
/// (`proxreg::GroupLasso::params(..).path`, the `GroupCd` solver); `p × 100`.
fn t7(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let p = x.ncols();
    if !p.is_multiple_of(GROUP_SIZE) {
        return Err(format!("T7 needs p a multiple of {GROUP_SIZE}, got {p}"));
    }
    let ng = p / GROUP_SIZE;
    let groups = proxreg::penalty::Groups::contiguous(&vec![GROUP_SIZE; ng]).map_err(err)?;
    let params = proxreg::GroupLasso::params(groups)
        .group_weights(Some(vec![1.0; ng]))
        .fit_intercept(false)
        .tol(o.tol.unwrap_or(5e-7));
    let amax = params.alpha_max(x, y, None).map_err(err)?;
    let grid = alpha_grid(amax, N_ALPHAS, T7_EPS).map_err(err)?;
    let (times, path) = timed(o.reps, || params.path(x, y, None, &grid).map_err(err))?;
    let mut coefs = Vec::with_capacity(p * grid.len());
    let (mut max_gap, mut total_iter, mut all_conv) = (0.0_f64, 0usize, true);
    for m in &path {
        let r = m.report();
        max_gap = max_gap.max(r.relative_gap.unwrap_or(f64::NAN));
        total_iter += r.n_iter;
        all_conv &= m.status() == proxreg::Status::Converged;
        coefs.extend_from_slice(m.coef());
    }
    Ok(Outcome {
        times,
        extra: vec![
            ("max_relative_gap_proxreg".into(), Json::Num(max_gap)),
            (
                "all_converged".into(),
                Json::Num(f64::from(u8::from(all_conv))),
            ),
            ("total_iter".into(), Json::Num(total_iter as f64)),
        ],
        coef: Some((vec![p, grid.len()], coefs)),
    })
}

/// The path's diagnostics reported in `extra` (the check itself is the driver's).
fn path_extra(path: &proxreg_solvers::Path<f64>) -> Vec<(String, Json)> {
    vec![
        (
            "max_relative_gap_proxreg".into(),
            Json::Num(path.max_relative_gap().unwrap_or(f64::NAN)),
        ),
        (
            "all_converged".into(),
            Json::Num(f64::from(u8::from(path.all_converged()))),
        ),
        (
            "total_iter".into(),
            Json::Num(path.solutions.iter().map(|s| s.n_iter as f64).sum()),
        ),
        (
            "total_updates".into(),
            Json::Num(path.solutions.iter().map(|s| s.n_updates as f64).sum()),
        ),
    ]
}

/// The time of one coordinate-descent epoch over all columns (naive updates, no working set):
/// the difference between runs of `E2` and `E1` epochs on the same prepared data, divided by
/// the difference in coordinate updates over `p`.
fn epoch(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let a = lasso_alpha_max(x, y)? / 100.0;
    let pb = Problem::new(x, y, &L1, a);
    let base = CoordinateDescent::new()
        .tol(1e-300)
        .working_set(false)
        .mode(CdMode::Naive);
    let prep = base.prepare(&pb).map_err(err)?;
    let p = x.ncols() as f64;
    let (e1, e2) = (1, 11);
    let mut per_epoch = Vec::with_capacity(o.reps);
    for _ in 0..o.reps {
        let go = |e: usize| -> Result<(f64, usize), String> {
            let cd = base.clone().max_iter(e);
            let t0 = Instant::now();
            let sol = cd
                .solve_prepared(&prep, &L1, a, None, &mut ())
                .map_err(err)?;
            Ok((t0.elapsed().as_secs_f64(), sol.n_updates))
        };
        let (t1, u1) = go(e1)?;
        let (t2, u2) = go(e2)?;
        let epochs = (u2.saturating_sub(u1)) as f64 / p;
        per_epoch.push(if epochs > 0.0 {
            (t2 - t1) / epochs
        } else {
            f64::NAN
        });
    }
    Ok(Outcome {
        times: per_epoch,
        extra: vec![],
        coef: None,
    })
}

/// The Gram-mode setup: preparing the data with `X̃ᵀX̃` (one BLAS-3 product).
fn gram(o: &Opts, x: &ColMajor<f64>, y: &[f64]) -> Result<Outcome, String> {
    let pb = Problem::new(x, y, &L1, 1.0);
    let (times, prep) = timed(o.reps, || Prepared::new(&pb, true).map_err(err))?;
    Ok(Outcome {
        times,
        extra: vec![("p".into(), Json::Num(prep.n_features() as f64))],
        coef: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[W; b]` column-major: column `k` is `W[:, k]` then `b_k`, from `coef` `p × K`
    /// row-major (what `common.multinomial_relative_gap` reads as `coef[:-1]`, `coef[-1]`).
    #[test]
    fn multinomial_output_is_w_over_b_column_major() {
        // p = 2, K = 3: W = [[1, 2, 3], [4, 5, 6]] row-major, b = [7, 8, 9]
        let (shape, data) = multinomial_out(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[7.0, 8.0, 9.0], 2);
        assert_eq!(shape, vec![3, 3]);
        assert_eq!(data, vec![1.0, 4.0, 7.0, 2.0, 5.0, 8.0, 3.0, 6.0, 9.0]);
    }

    #[test]
    fn folds_match_scikit_learns_kfold() {
        let f = proxreg::KFold::new(N_FOLDS).split(10).unwrap();
        let bounds: Vec<(usize, usize)> = f
            .tests()
            .iter()
            .map(|t| (t[0], t[t.len() - 1] + 1))
            .collect();
        assert_eq!(bounds, vec![(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]);
        let f = proxreg::KFold::new(3).split(7).unwrap();
        assert_eq!(f.tests(), &[vec![0, 1, 2], vec![3, 4], vec![5, 6]]);
    }
}
