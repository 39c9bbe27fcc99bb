//! `proxreg-compare --task TASK --x X.npy --y y.npy [--tol T] [--reps R] [--coef-out C.npy]`
//!
//! Runs one task of the comparison (see `benches/compare/README.md`) and prints one JSON line:
//! `{"task", "times", "median", "reps", "extra", "coef"}`. Times (seconds) are measured around
//! the solve only. Tasks: `T1` (Lasso at alpha_max/10), `T2` (Lasso path, 100 alphas), `T3`
//! (ElasticNet CV, 5 contiguous folds), `T4a` (ridge, one alpha), `T4b` (ridge LOO over 50
//! alphas), `T5a` / `T5b` (L1 logistic regression with intercept: one fit at alpha_max/10, a
//! 100-alpha path to 1e-2·alpha_max; `--y` is then the 0/1 target; `--solver prox-newton|cd`
//! picks `ProxNewton` (default) or `GlmCd`), `T6a` / `T6b` (T2's Lasso path down to
//! 1e-2·alpha_max and T5b's logistic path on a sparse design: `--csc PREFIX` names the CSC files
//! `PREFIX_{indptr,indices,data,shape}.npy` instead of `--x`; `--baseline` loads the data and
//! solves nothing, for the peak-memory baseline), `noop` (nothing: the runtime's own peak
//! memory), the probes `epoch` (one CD epoch over all columns), `gram` (Gram-mode setup) and
//! `bandwidth` (streaming read of 1 GiB; needs no data). `T5c` / `T5d`: T5a / T5b for L1 Poisson
//! regression (`proxreg::PoissonRegression`; `--y` is the count target). `T5e` / `T5f`: L1
//! multinomial regression, one fit at alpha_max/10 and 5-fold CV over 20 alphas
//! (`proxreg::MultinomialRegression` / `MultinomialRegressionCv`; `--y` holds the class
//! labels). `T7`: the group lasso path (`proxreg::GroupLasso`, least squares, no intercept,
//! groups of 10 contiguous features, weights 1; `--y` is the group-sparse target).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use proxreg_compare::json::Json;
use proxreg_compare::{median, streaming_sum};
use proxreg_io::npy;

mod sparse;
mod tasks;

/// Command-line options.
#[derive(Debug, Clone)]
pub struct Opts {
    task: String,
    x: Option<PathBuf>,
    /// T6: the prefix of the CSC design's files (instead of `x`).
    csc: Option<PathBuf>,
    /// T6: load the data, solve nothing (the peak-memory baseline).
    baseline: bool,
    y: Option<PathBuf>,
    tol: Option<f64>,
    reps: usize,
    coef_out: Option<PathBuf>,
    /// T5's solver: `prox-newton` (default) or `cd` (`GlmCd`); T5d: `engine` (the path on
    /// `ProxNewton` directly, a diagnostic reporting its coordinate updates).
    solver: String,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        task: String::new(),
        x: None,
        csc: None,
        baseline: false,
        y: None,
        tol: None,
        reps: 1,
        coef_out: None,
        solver: "prox-newton".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--task" => o.task = val()?,
            "--x" => o.x = Some(PathBuf::from(val()?)),
            "--csc" => o.csc = Some(PathBuf::from(val()?)),
            "--baseline" => o.baseline = true,
            "--y" => o.y = Some(PathBuf::from(val()?)),
            "--tol" => {
                let v = val()?;
                let t: f64 = v
                    .parse()
                    .map_err(|_| format!("--tol {v:?} is not a number"))?;
                if !(t.is_finite() && t > 0.0) {
                    return Err(format!("--tol must be finite and > 0, got {v}"));
                }
                o.tol = Some(t);
            }
            "--reps" => {
                let v = val()?;
                o.reps = v
                    .parse()
                    .map_err(|_| format!("--reps {v:?} is not a count"))?;
                if o.reps == 0 {
                    return Err("--reps must be >= 1".into());
                }
            }
            "--coef-out" => o.coef_out = Some(PathBuf::from(val()?)),
            "--solver" => {
                let v = val()?;
                if v != "prox-newton" && v != "cd" && v != "engine" {
                    return Err(format!(
                        "--solver must be prox-newton, cd or engine (T5d), got {v:?}"
                    ));
                }
                o.solver = v;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if o.task.is_empty() {
        return Err("--task is required".into());
    }
    Ok(o)
}

/// What a task returns: the timings, extra scalars, and the coefficients (`shape`, column-major).
pub struct Outcome {
    times: Vec<f64>,
    extra: Vec<(String, Json)>,
    coef: Option<(Vec<usize>, Vec<f64>)>,
}

fn bandwidth(reps: usize) -> Outcome {
    let data = vec![1.0f64; 1 << 27]; // 1 GiB
    let mut times = Vec::new();
    let mut sink = streaming_sum(&data); // first touch outside the timing
    for _ in 0..reps {
        let t0 = Instant::now();
        sink += streaming_sum(&data);
        times.push(t0.elapsed().as_secs_f64());
    }
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    Outcome {
        times,
        extra: vec![
            (
                "gb_per_s".into(),
                Json::Num((data.len() * 8) as f64 / best / 1e9),
            ),
            ("checksum".into(), Json::Num(sink)),
        ],
        coef: None,
    }
}

fn run(o: &Opts) -> Result<Outcome, String> {
    if o.task == "bandwidth" {
        return Ok(bandwidth(o.reps));
    }
    if o.task == "noop" {
        return Ok(Outcome {
            times: vec![],
            extra: vec![],
            coef: None,
        });
    }
    if let Some(prefix) = &o.csc {
        let yp = o.y.as_ref().ok_or("--csc needs --y")?;
        let x = sparse::read_csc(prefix)?;
        let y = npy::read(yp).map_err(|e| format!("y: {e}"))?;
        if y.shape.len() != 1 || y.shape[0] != x.nrows() {
            return Err(format!(
                "y must be a vector of {} entries, has shape {:?}",
                x.nrows(),
                y.shape
            ));
        }
        return tasks::run_sparse(o, &x, &y.data);
    }
    let (xp, yp) = match (&o.x, &o.y) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(format!("task {} needs --x and --y", o.task)),
    };
    let xa = npy::read(xp).map_err(|e| format!("X: {e}"))?;
    let ya = npy::read(yp).map_err(|e| format!("y: {e}"))?;
    if xa.shape.len() != 2 {
        return Err(format!("X must be a matrix, has shape {:?}", xa.shape));
    }
    if ya.shape.len() != 1 || ya.shape[0] != xa.nrows() {
        return Err(format!(
            "y must be a vector of {} entries, has shape {:?}",
            xa.nrows(),
            ya.shape
        ));
    }
    tasks::run(o, xa, ya.data)
}

fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}\nusage: proxreg-compare --task T1|T2|T3|T4a|T4b|T5a|T5b|T5c|T5d|T5e|T5f|T6a|T6b|T7|epoch|gram|bandwidth|noop (--x X.npy | --csc PREFIX) --y y.npy [--tol T] [--reps R] [--coef-out C.npy] [--solver prox-newton|cd|engine] [--baseline]");
            return ExitCode::from(2);
        }
    };
    let out = match run(&o) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("proxreg-compare: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut obj = vec![
        ("task".to_string(), Json::Str(o.task.clone())),
        ("times".into(), Json::nums(&out.times)),
        ("median".into(), Json::Num(median(&out.times))),
        ("reps".into(), Json::Num(out.times.len() as f64)),
        ("extra".into(), Json::Obj(out.extra)),
    ];
    if let Some((shape, data)) = out.coef {
        match &o.coef_out {
            Some(p) => {
                if let Err(e) = sparse::write_npy(p, &shape, &data) {
                    eprintln!("proxreg-compare: {e}");
                    return ExitCode::FAILURE;
                }
                obj.push(("coef_file".into(), Json::Str(p.display().to_string())));
            }
            None => obj.push(("coef".into(), Json::nums(&data))),
        }
    }
    println!("{}", Json::Obj(obj).render());
    ExitCode::SUCCESS
}
