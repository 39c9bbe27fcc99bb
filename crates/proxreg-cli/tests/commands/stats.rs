//! `fit`, `path` and `cv` with `--stats DIR` (sufficient statistics written by
//! `SufficientStats::by_fold` + `proxreg_io::stats::write`, one block per contiguous fold of
//! `KFold::new(5)`) against the same commands on the rows (`--data CSV`): the embedded
//! diabetes data and a synthetic CSV whose columns have means ~1e3 (centring). The statistics
//! route's JSON equals the rows' route's to 1e-8 (relative to the largest of the two numbers
//! and 1), except where the two differ in kind: the certificates' gaps (both below the
//! tolerance, not equal: different iterates), the fields that say where the numbers come from.

use super::json_close::assert_close;
use super::{diabetes, proxreg, read_json};
use predicates::prelude::*;
use proxreg::prelude::*;
use proxreg::solvers::SufficientStats;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The diabetes feature names, as the embedded CSV has them.
const DIABETES: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
];

/// A data set both ways: the CSV file (None: the embedded data) and the statistics directory.
#[derive(Clone)]
struct Both {
    csv: Option<PathBuf>,
    stats: PathBuf,
    n: usize,
    /// The column means (the intercept's conditioning).
    x_mean: Vec<f64>,
    /// Parquet data of the same rows: then the statistics come from `--data` on it, not from
    /// `stats` (see [`pyarrow_both`]).
    parquet: Option<PathBuf>,
}

impl Both {
    fn data_args(&self) -> Vec<String> {
        match &self.csv {
            Some(p) => vec!["--data".into(), p.display().to_string()],
            None => Vec::new(),
        }
    }
    fn stats_args(&self) -> Vec<String> {
        match &self.parquet {
            Some(p) => vec!["--data".into(), p.display().to_string()],
            None => vec!["--stats".into(), self.stats.display().to_string()],
        }
    }
}

/// Writes the statistics of `(x, y)` with one block per fold of `KFold::new(k)` (contiguous,
/// no shuffle) into `dir`.
fn write_stats(x: &ColMajor<f64>, y: &[f64], names: &[String], k: usize, dir: &Path) {
    let n = x.nrows();
    let mut fold_of = vec![0; n];
    if k > 1 {
        let folds = KFold::new(k).split(n).unwrap();
        for f in 0..k {
            for &i in folds.test(f) {
                fold_of[i] = f;
            }
        }
    }
    let blocks = SufficientStats::by_fold(x, y, None, &fold_of, k).unwrap();
    let file = proxreg_io::stats::StatsFile::new(blocks)
        .feature_names(names.to_vec())
        .target_name("y");
    proxreg_io::stats::write(dir, &file).unwrap();
}

fn means(x: &ColMajor<f64>) -> Vec<f64> {
    (0..x.ncols())
        .map(|j| x.col(j).iter().sum::<f64>() / x.nrows() as f64)
        .collect()
}

/// The largest difference of the intercepts `b` of `a` and `b` (arrays of one, or arrays of
/// those) relative to the size of the terms of `b = ȳ − μᵀw`, `|b| + Σ_j |μ_j w_j|` with the
/// coefficients `w` of `coef`: with column means of 1e3 the intercept is a difference of
/// numbers 100 times larger, and carries their absolute error.
fn intercept_rel(data: &Both, coef: &Value, a: &Value, b: &Value) -> f64 {
    let (a, b, coef) = (flat(a), flat(b), flat(coef));
    let p = data.x_mean.len();
    assert_eq!(a.len(), b.len());
    assert_eq!(coef.len(), p * a.len());
    (0..a.len())
        .map(|i| {
            let terms: f64 = (0..p)
                .map(|j| (data.x_mean[j] * coef[i * p + j]).abs())
                .sum();
            (a[i] - b[i]).abs() / (terms + a[i].abs().max(b[i].abs())).max(1.0)
        })
        .fold(0.0, f64::max)
}

/// The numbers of an array (of arrays) of numbers, flattened.
fn flat(v: &Value) -> Vec<f64> {
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<f64>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Number(n) => out.push(n.as_f64().unwrap()),
            _ => {}
        }
    }
    walk(v, &mut out);
    out
}

/// The embedded diabetes data, and its statistics in `k` blocks under `root`.
fn diabetes_both(root: &Path, k: usize) -> Both {
    let (x, y) = diabetes();
    let names: Vec<String> = DIABETES.iter().map(|s| s.to_string()).collect();
    let stats = root.join(format!("diabetes-{k}"));
    write_stats(&x, &y, &names, k, &stats);
    Both {
        csv: None,
        stats,
        n: x.nrows(),
        x_mean: means(&x),
        parquet: None,
    }
}

/// A deterministic pseudo-random number in [-1, 1).
fn noise(i: usize, j: usize) -> f64 {
    let mut z = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((j as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z ^= z >> 29;
    z = z.wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 32;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// 230 rows × 6 features with means ~1e3 and spreads ~1..6 (two correlated columns), a linear
/// target with noise: written as CSV (exact decimal round trip) and as statistics.
fn synthetic_both(root: &Path, k: usize) -> Both {
    let (n, p) = (230, 6);
    let x = ColMajor::from_fn(n, p, |i, j| {
        let base = 1000.0 + 250.0 * j as f64 + (1 + j) as f64 * noise(i, j);
        if j == 4 {
            base + 0.8 * noise(i, 1)
        } else {
            base
        }
    });
    let y: Vec<f64> = (0..n)
        .map(|i| {
            3.0 * x.col(0)[i] - 2.0 * x.col(1)[i] + 0.5 * x.col(3)[i] + x.col(4)[i] - 700.0
                + 2.0 * noise(i, 99)
        })
        .collect();
    let names: Vec<String> = (1..=p).map(|j| format!("x{j}")).collect();
    let mut csv = names.join(",") + ",y\n";
    for (i, yi) in y.iter().enumerate() {
        for j in 0..p {
            csv += &format!("{:?},", x.col(j)[i]);
        }
        csv += &format!("{yi:?}\n");
    }
    let file = root.join("synthetic.csv");
    std::fs::write(&file, csv).unwrap();
    let stats = root.join(format!("synthetic-{k}"));
    write_stats(&x, &y, &names, k, &stats);
    Both {
        csv: Some(file),
        stats,
        n,
        x_mean: means(&x),
        parquet: None,
    }
}

/// Runs `proxreg ARGS --json FILE` and returns the JSON.
fn run(args: &[String], json: &Path) -> Value {
    proxreg()
        .args(args)
        .arg("--json")
        .arg(json)
        .assert()
        .success();
    read_json(json)
}

/// `v` without the keys (at any depth) that differ in kind between the two routes.
fn strip(v: &Value) -> Value {
    const DROP: [&str; 16] = [
        "objective",
        "intercept",
        "intercepts",
        "source",
        "stats_blocks",
        "n_samples",
        "weight_sum",
        "method",
        "duality_gap",
        "relative_gap",
        "kkt_violation",
        "duality_gaps",
        "relative_gaps",
        "kkt_violations",
        "alpha_floor",
        "status",
    ];
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| !DROP.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), strip(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
    }
}

/// The largest relative difference between two arrays of numbers (relative to the largest
/// magnitude of either).
fn max_rel(a: &Value, b: &Value) -> f64 {
    let (x, y) = (flat(a), flat(b));
    assert_eq!(x.len(), y.len());
    let scale = x.iter().chain(&y).fold(0.0f64, |m, v| m.max(v.abs()));
    x.iter()
        .zip(&y)
        .map(|(u, v)| (u - v).abs() / scale)
        .fold(0.0, f64::max)
}

/// The same command on the rows and on the statistics: both JSONs (`args` after the
/// subcommand; the data arguments added).
fn both_ways(sub: &str, data: &Both, args: &[&str], dir: &Path) -> (Value, Value) {
    let base: Vec<String> = std::iter::once(sub.to_string())
        .chain(args.iter().map(|s| s.to_string()))
        .collect();
    let rows = run(
        &[base.clone(), data.data_args()].concat(),
        &dir.join("rows.json"),
    );
    let stats = run(&[base, data.stats_args()].concat(), &dir.join("stats.json"));
    let source = match data.parquet {
        Some(_) => "parquet-out-of-core",
        None => "sufficient-statistics",
    };
    assert_eq!(stats["source"], source);
    assert_eq!(stats["n_samples"].as_u64().unwrap() as usize, data.n);
    (rows, stats)
}

/// Every certificate of a statistics fit says converged, with a relative gap below `tol`.
fn certified(fit: &Value, tol: f64) {
    assert_eq!(fit["certificates"]["status"], "Converged", "{fit}");
    let gap = fit["certificates"]["relative_gap"].as_f64().unwrap();
    assert!(gap <= tol, "relative gap {gap}");
    assert!(fit["certificates"]["kkt_violation"].as_f64().unwrap() >= 0.0);
}

const MODELS: [&[&str]; 4] = [
    &["--penalty", "lasso", "--alpha", "0.3"],
    &[
        "--penalty",
        "elastic-net",
        "--alpha",
        "0.2",
        "--l1-ratio",
        "0.7",
    ],
    &["--penalty", "ridge", "--alpha", "3"],
    &["--penalty", "ridge", "--alpha", "3", "--solver", "cd"],
];

/// Both data sets, their statistics in 5 contiguous blocks under `root`, and the pyarrow
/// Parquet fixture read out of core by `--data` ([`pyarrow_both`]).
fn datasets(root: &Path) -> [Both; 3] {
    [
        diabetes_both(root, 5),
        synthetic_both(root, 5),
        pyarrow_both(),
    ]
}

/// The Parquet fixture of crates/proxreg-io/tests/fixtures/pyarrow (written by pyarrow through
/// scripts/make_parquet_data.py: 3 snappy parts, 1000 rows, row groups of 70 rows that cross
/// the contiguous folds' boundaries, float64 / float32 / int64 columns, the id column a
/// feature as the CSV's default makes it) and its CSV copy `all.csv` (the same values, exactly):
/// `--data parts/` is read in one streaming pass into per-fold statistics, `--data all.csv`
/// into memory.
fn pyarrow_both() -> Both {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../proxreg-io/tests/fixtures/pyarrow");
    let csv = dir.join("all.csv");
    let table = super::csv_table(&std::fs::read(&csv).unwrap(), "all.csv");
    let p = table.columns.len() - 1; // every column but the last (y) is a feature
    let n = table.columns[0].len();
    Both {
        csv: Some(csv),
        stats: PathBuf::new(),
        n,
        x_mean: (0..p)
            .map(|j| table.columns[j].iter().sum::<f64>() / n as f64)
            .collect(),
        parquet: Some(dir.join("parts")),
    }
}

/// Runs `proxreg SUB ARGS --tol 1e-13` on the rows and on the statistics of `data`, checks
/// that their JSON agree to 1e-8 ([`strip`]ped), and returns both with a label for messages.
fn compare(sub: &str, data: &Both, args: &[&str]) -> (Value, Value, String) {
    let mut args = args.to_vec();
    args.extend_from_slice(&["--tol", "1e-13"]);
    let dir = tempfile::tempdir().unwrap();
    let (rows, stats) = both_ways(sub, data, &args, dir.path());
    let at = format!("{sub} {args:?} on {:?}", data.csv);
    assert_close(&strip(&rows), &strip(&stats), 1e-8, 1.0, &at);
    (rows, stats, at)
}

/// The largest relative difference of the coefficients (`coef` / `coefs` under `key`) and the
/// intercepts ([`intercept_rel`]) of two fits or paths.
fn fit_rel(data: &Both, rows: &Value, stats: &Value, coef: &str, intercept: &str) -> f64 {
    max_rel(&rows[coef], &stats[coef]).max(intercept_rel(
        data,
        &rows[coef],
        &rows[intercept],
        &stats[intercept],
    ))
}

/// The largest [`max_rel`] of the numbers under `keys`.
fn keys_rel(rows: &Value, stats: &Value, keys: &[&str]) -> f64 {
    keys.iter()
        .map(|k| max_rel(&rows[k], &stats[k]))
        .fold(0.0, f64::max)
}

/// [`fit_rel`] of the fits under `fit` (a fit, or the refit of `cv` / `select`).
fn refit_rel(data: &Both, rows: &Value, stats: &Value) -> f64 {
    fit_rel(data, &rows["fit"], &stats["fit"], "coef", "intercept")
}

/// For both data sets and every case `cases` gives for it, runs `proxreg SUB CASE` both ways
/// ([`compare`]), then `check` on the two JSONs, which returns their largest relative
/// difference in the numbers that matter: asserted at most 1e-8, the worst printed.
fn each_case(
    sub: &str,
    cases: impl Fn(&Both) -> Vec<Vec<&'static str>>,
    check: impl Fn(&Both, &Value, &Value, &str) -> f64,
) {
    let root = tempfile::tempdir().unwrap();
    let mut worst: f64 = 0.0;
    for data in datasets(root.path()) {
        for args in cases(&data) {
            let (rows, stats, at) = compare(sub, &data, &args);
            let d = check(&data, &rows, &stats, &at);
            assert!(d <= 1e-8, "{at}: {d}");
            worst = worst.max(d);
        }
    }
    eprintln!("{sub}: largest relative difference {worst:.1e}");
}

#[test]
fn fit_from_statistics_is_the_fit_from_rows() {
    let cases = |data: &Both| {
        let mut v = Vec::new();
        for model in MODELS {
            v.push(model.to_vec());
            v.push([model, &["--standardize"]].concat());
            // uncentred columns of mean 1e3: a different, ill-posed problem
            if data.csv.is_none() {
                v.push([model, &["--no-intercept"]].concat());
            }
        }
        v
    };
    each_case("fit", cases, |data, rows, stats, at| {
        certified(&stats["fit"], 1e-13);
        // The objectives agree to 1e-7 (measured 1.6e-8): the rows' Gram-mode ridge by
        // coordinate descent on these uncentred columns of mean 1e3 evaluates it with that much
        // rounding (its own direct solve gives the statistics' value to 1e-13).
        let (o1, o2) = (
            rows["fit"]["certificates"]["objective"].as_f64().unwrap(),
            stats["fit"]["certificates"]["objective"].as_f64().unwrap(),
        );
        assert!(
            (o1 - o2).abs() <= 1e-7 * o1.abs(),
            "{at}: objective {o1} vs {o2}"
        );
        refit_rel(data, rows, stats)
    });
}

#[test]
fn path_from_statistics_is_the_path_from_rows() {
    let cases = |_: &Both| {
        vec![
            vec!["--n-alphas", "12", "--standardize"],
            vec!["--n-alphas", "12", "--penalty", "elastic-net"],
            vec!["--n-alphas", "12", "--penalty", "ridge"],
            vec!["--n-alphas", "12", "--penalty", "ridge", "--standardize"],
            vec!["--alphas", "2,0.5,0.1", "--positive"],
        ]
    };
    each_case("path", cases, |data, rows, stats, at| {
        let alphas = max_rel(&rows["alphas"], &stats["alphas"]);
        assert!(alphas <= 1e-10, "{at}: grid {alphas}");
        fit_rel(data, rows, stats, "coefs", "intercepts")
    });
}

#[test]
fn cv_from_statistics_is_the_cv_from_rows() {
    let cases = |_: &Both| {
        let ridge = ["--n-alphas", "15", "--penalty", "ridge", "--ridge-mode"];
        vec![
            vec!["--n-alphas", "25"],
            vec!["--n-alphas", "25", "--standardize", "--select", "1se"],
            vec![
                "--n-alphas",
                "25",
                "--penalty",
                "elastic-net",
                "--l1-ratio",
                "0.6",
            ],
            [&ridge[..], &["kfold"]].concat(),
            [&ridge[..], &["kfold", "--standardize", "--select", "1se"]].concat(),
            [&ridge[..], &["gcv"]].concat(),
        ]
    };
    each_case("cv", cases, |data, rows, stats, at| {
        for key in ["index_min", "index_1se"] {
            assert_eq!(rows[key], stats[key], "{at}: {key}");
        }
        if stats["method"].as_str().unwrap().contains("GCV") {
            assert!(stats["folds"].is_null());
        } else {
            assert_eq!(stats["folds"], 5);
        }
        certified(&stats["fit"], 1e-13);
        keys_rel(rows, stats, &["mse_mean", "mse_std_err", "mse_path"])
            .max(refit_rel(data, rows, stats))
            .max(fit_rel(
                data,
                &rows["path"],
                &stats["path"],
                "coefs",
                "intercepts",
            ))
    });
}

#[test]
fn select_from_statistics_is_the_select_from_rows() {
    let cases = |_: &Both| {
        vec![
            vec!["--criterion", "aic", "--n-alphas", "30"],
            vec![
                "--criterion",
                "bic",
                "--n-alphas",
                "30",
                "--penalty",
                "elastic-net",
            ],
        ]
    };
    each_case("select", cases, |data, rows, stats, at| {
        assert_eq!(rows["index"], stats["index"], "{at}");
        certified(&stats["fit"], 1e-13);
        keys_rel(rows, stats, &["aic", "bic", "rss", "dof", "noise_variance"])
            .max(refit_rel(data, rows, stats))
    });
}

#[test]
fn statistics_text_output_plots_and_saved_model() {
    let root = tempfile::tempdir().unwrap();
    let data = synthetic_both(root.path(), 5);
    let figs = root.path().join("figs");
    let (m_stats, m_rows) = (root.path().join("s.json"), root.path().join("r.json"));
    proxreg()
        .args(["cv", "--n-alphas", "10", "--standardize"])
        .args(data.stats_args())
        .arg("--plot")
        .arg(&figs)
        .arg("--save-model")
        .arg(&m_stats)
        .assert()
        .success()
        .stdout(predicate::str::contains("lambda_min ="))
        .stdout(predicate::str::contains("5 folds"))
        .stdout(predicate::str::contains("230 samples × 6 features"))
        .stdout(predicate::str::contains("x4"))
        .stdout(predicate::str::contains(
            "from sufficient statistics: 5 block(s), 230 rows",
        ))
        .stdout(predicate::str::contains("certificates: duality gap"));
    for f in ["path.svg", "cv.svg"] {
        let svg = std::fs::read_to_string(figs.join(f)).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
    }
    proxreg()
        .args(["cv", "--n-alphas", "10", "--standardize"])
        .args(data.data_args())
        .arg("--save-model")
        .arg(&m_rows)
        .assert()
        .success();
    // the saved models predict the same on the CSV
    let predict = |model: &Path| -> Vec<f64> {
        let out = proxreg()
            .args(["predict", "--model"])
            .arg(model)
            .args(data.data_args())
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone())
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.parse().unwrap())
            .collect()
    };
    let (a, b) = (predict(&m_stats), predict(&m_rows));
    assert_eq!(a.len(), 230);
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (u, v) in a.iter().zip(&b) {
        // both refits stop at the default tol 1e-4: the same problem, different iterates
        assert!((u - v).abs() <= 1e-3 * scale, "{u} vs {v}");
    }
}

/// `proxreg ARGS` fails with exit code 2 and a message containing every one of `needles`.
fn fails(args: &[String], needles: &[&str]) {
    let mut a = proxreg().args(args).assert().failure().code(2);
    for n in needles {
        a = a.stderr(predicate::str::contains(*n));
    }
}

#[test]
fn statistics_route_refuses_what_it_cannot_do() {
    let root = tempfile::tempdir().unwrap();
    let five = diabetes_both(root.path(), 5);
    let one = diabetes_both(root.path(), 1);
    let s = |b: &Both, rest: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = rest.iter().map(|x| x.to_string()).collect();
        v.extend(b.stats_args());
        v
    };
    // (the statistics, the arguments, what the message names)
    let cases: [(&Both, &[&str], &[&str]); 14] = [
        (&five, &["fit", "--data", "x.csv"], &["--stats", "--data"]),
        (&five, &["fit", "--relax"], &["--relax", "--stats"]),
        (&five, &["cv", "--adaptive"], &["--adaptive", "--stats"]),
        (&five, &["fit", "--target", "y"], &["--stats", "--target"]),
        (
            &five,
            &["path", "--weights", "w"],
            &["--stats", "--weights"],
        ),
        (&five, &["cv", "--seed", "1"], &["--seed", "blocks"]),
        (
            &five,
            &["fit", "--family", "binomial"],
            &[
                "--family binomial",
                "--stats",
                "lasso, elastic-net or ridge",
            ],
        ),
        (
            &five,
            &["path", "--penalty", "mcp"],
            &["--penalty mcp", "--stats"],
        ),
        (
            &five,
            &["fit", "--solver", "fista"],
            &["--solver fista", "--stats"],
        ),
        (&five, &["cv", "--folds", "3"], &["--folds 3", "5 blocks"]),
        (
            &one,
            &["cv"],
            &["single block", "one block of statistics per fold"],
        ),
        (
            &five,
            &["cv", "--penalty", "ridge"],
            &["leave-one-out", "--ridge-mode kfold"],
        ),
        (
            &five,
            &["select", "--criterion", "stability"],
            &["--criterion stability", "--stats"],
        ),
        (
            &five,
            &["cv", "--l1-ratios", "0.2,0.8", "--penalty", "elastic-net"],
            &["--l1-ratios", "--stats"],
        ),
    ];
    for (b, args, needles) in cases {
        fails(&s(b, args), needles);
    }
    let missing = root.path().join("nowhere");
    fails(
        &[
            "fit".into(),
            "--stats".into(),
            missing.display().to_string(),
        ],
        &["nowhere", "statistics directory"],
    );
    // --folds equal to the number of blocks is fine; a one-block file fits and paths
    proxreg()
        .args(s(&five, &["cv", "--folds", "5", "--n-alphas", "5"]))
        .assert()
        .success();
    proxreg()
        .args(s(&one, &["path", "--n-alphas", "5"]))
        .assert()
        .success();
}

/// `cv --data PARTS --fold-id id` (folds by a hash of the row id, read in one streaming pass)
/// equals `cv --stats DIR` on statistics computed in memory from the CSV copy of the same rows
/// with the same folds (`SufficientStats::by_fold` with `fold_of_id`); and what the Parquet
/// route refuses, with the message naming the problem.
#[test]
fn parquet_data_folds_by_id_and_refusals() {
    let fx = pyarrow_both();
    let (csv, parts) = (fx.csv.clone().unwrap(), fx.parquet.clone().unwrap());
    let table = super::csv_table(&std::fs::read(&csv).unwrap(), "all.csv");
    let (n, p) = (fx.n, table.columns.len() - 1);
    let id = table.names.iter().position(|c| c == "id").unwrap();
    // the fold-id column is not a feature: the Parquet route leaves it out of the design
    let feats: Vec<usize> = (0..p).filter(|&j| j != id).collect();
    let x = ColMajor::from_fn(n, feats.len(), |i, j| table.columns[feats[j]][i]);
    let y = table.columns[p].clone();
    let fold_of: Vec<usize> = table.columns[id]
        .iter()
        .map(|&v| proxreg::solvers::fold_of_id(v as u64, 5))
        .collect();
    let blocks = SufficientStats::by_fold(&x, &y, None, &fold_of, 5).unwrap();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("by-id");
    proxreg_io::stats::write(
        &dir,
        &proxreg_io::stats::StatsFile::new(blocks)
            .feature_names(feats.iter().map(|&j| table.names[j].clone()).collect())
            .target_name("y"),
    )
    .unwrap();
    let args = |src: &[String]| -> Vec<String> {
        let mut v: Vec<String> = ["cv", "--n-alphas", "20", "--tol", "1e-13", "--standardize"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend_from_slice(src);
        v
    };
    let a = run(
        &args(&[
            "--data".into(),
            parts.display().to_string(),
            "--fold-id".into(),
            "id".into(),
        ]),
        &root.path().join("a.json"),
    );
    let b = run(
        &args(&["--stats".into(), dir.display().to_string()]),
        &root.path().join("b.json"),
    );
    assert_eq!(a["source"], "parquet-out-of-core");
    for key in ["index_min", "index_1se"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_close(
        &strip(&a),
        &strip(&b),
        1e-9,
        1.0,
        "cv --fold-id vs --stats by id",
    );
    // the intercept's conditioning: the means of the features without the id column
    let no_id = Both {
        x_mean: feats.iter().map(|&j| fx.x_mean[j]).collect(),
        ..fx.clone()
    };
    let d = keys_rel(&a, &b, &["mse_mean", "mse_std_err"]).max(refit_rel(&no_id, &a, &b));
    assert!(d <= 1e-9, "{d}");
    eprintln!("cv --fold-id: largest relative difference {d:.1e}");

    let pq = parts.display().to_string();
    let bad = parts.parent().unwrap().join("bad");
    let v = |xs: &[&str]| -> Vec<String> { xs.iter().map(|s| s.to_string()).collect() };
    let nan = bad.join("nan.parquet").display().to_string();
    let null = bad.join("null.parquet").display().to_string();
    let cases: [(Vec<String>, &[&str]); 9] = [
        (
            v(&["cv", "--data", &pq, "--seed", "1"]),
            &["--seed", "--fold-id"],
        ),
        (
            v(&["fit", "--data", &pq, "--target", "y,x0"]),
            &["several --target", "one target"],
        ),
        (
            v(&["fit", "--data", &pq, "--target", "nope"]),
            &["\"nope\"", "part-00000.parquet"],
        ),
        (
            v(&["path", "--data", &pq, "--features", "x0,zz"]),
            &["\"zz\""],
        ),
        (
            v(&["fit", "--data", &pq, "--family", "binomial"]),
            &["--family binomial", "Parquet --data"],
        ),
        (
            v(&["cv", "--data", csv.to_str().unwrap(), "--fold-id", "id"]),
            &["--fold-id", "Parquet"],
        ),
        (
            v(&["select", "--data", &pq, "--criterion", "stability"]),
            &["--criterion stability", "Parquet --data"],
        ),
        (
            v(&["fit", "--data", &nan, "--target", "y"]),
            &["nan.parquet", "row group 2", "\"x1\"", "row 23"],
        ),
        (
            v(&["fit", "--data", &null, "--target", "y"]),
            &["null.parquet", "row group 0", "\"x0\"", "null"],
        ),
    ];
    for (args, needles) in cases {
        fails(&args, needles);
    }
    // Parquet data for a command that needs the rows: a usage error naming the route
    let model = root.path().join("m.json");
    proxreg()
        .args(["fit", "--save-model"])
        .arg(&model)
        .assert()
        .success();
    fails(
        &v(&["predict", "--model", model.to_str().unwrap(), "--data", &pq]),
        &["Parquet data", "convert it to CSV"],
    );
}
