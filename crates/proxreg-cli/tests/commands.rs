//! Each subcommand runs the binary; its JSON is compared with the library's own results on the
//! same data, and the SVG figures are parsed.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use assert_cmd::Command;
use predicates::prelude::*;
use proxreg::prelude::*;
use proxreg::CvPath;
use proxreg_cli::io;
use serde_json::Value;
use std::path::Path;

/// `--family binomial` against scikit-learn's LogisticRegression (its own file).
#[path = "commands/binomial.rs"]
mod binomial;
/// `--family poisson|huber` against glum / skglm and the library (its own file).
#[path = "commands/families.rs"]
mod families;
/// `--penalty group-lasso|sparse-group-lasso` against skglm (its own file).
#[path = "commands/group.rs"]
mod group;
/// The crate's private helpers, through `proxreg_cli::internals` (the library has no unit-test
/// target; these were its unit tests).
#[path = "commands/internals.rs"]
mod internals;
/// JSON compared to a tolerance (shared with the `svmlight` tests).
#[path = "common/json_close.rs"]
mod json_close;
/// `--family multinomial` against scikit-learn / glmnet and the library (its own file).
#[path = "commands/multinomial.rs"]
mod multinomial;
/// `proxreg path` / `fit` with `--penalty mcp|scad` against skglm (its own file).
#[path = "commands/nonconvex.rs"]
mod nonconvex;
/// `--relax` / `--adaptive` against the numpy / scikit-learn references and the library's CV
/// estimators (its own file).
#[path = "commands/relax.rs"]
mod relax;
/// `proxreg select` (its own file; the helpers below are shared).
#[path = "commands/select.rs"]
mod select;
/// `--data FILE.svm` kept sparse, against scikit-learn on the CSR matrix (its own file).
#[path = "commands/sparse.rs"]
mod sparse;
/// `fit` / `path` / `cv --stats DIR` against the same commands on the rows (its own file).
#[path = "commands/stats.rs"]
mod stats;

fn proxreg() -> Command {
    Command::cargo_bin("proxreg").unwrap()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// A CSV file's bytes as a table, through the crate's public (fuzzed) parser.
fn csv_table(bytes: &[u8], file: &str) -> io::Table {
    let opts = io::CsvOptions {
        delimiter: b',',
        file: file.to_string(),
    };
    io::parse_csv(bytes, &opts).unwrap()
}

/// The features (every column but `targets`, in file order) and the targets (stacked
/// column-major), as the binary's column selection gives them.
fn split(t: &io::Table, targets: &[&str]) -> (ColMajor<f64>, Vec<f64>) {
    let is_target = |name: &String| targets.contains(&name.as_str());
    let n = t.nrows();
    let features: Vec<f64> = (0..t.names.len())
        .filter(|&j| !is_target(&t.names[j]))
        .flat_map(|j| t.columns[j].iter().copied())
        .collect();
    let p = features.len() / n;
    let y = targets
        .iter()
        .flat_map(|name| t.columns[t.names.iter().position(|c| c == name).unwrap()].clone())
        .collect();
    (ColMajor::new(features, n, p).unwrap(), y)
}

/// The embedded data file (the one the binary embeds, `data/diabetes.csv`).
fn diabetes_table() -> io::Table {
    csv_table(include_bytes!("../data/diabetes.csv"), "diabetes.csv")
}

/// The embedded data as the library sees it.
fn diabetes() -> (ColMajor<f64>, Vec<f64>) {
    split(&diabetes_table(), &["y"])
}

#[test]
fn embedded_data_is_442_by_10_plus_target() {
    let t = diabetes_table();
    assert_eq!(t.nrows(), 442);
    assert_eq!(
        t.names,
        ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "y"]
    );
    // first row of scikit-learn's diabetes_data_raw.csv.gz and diabetes_target.csv.gz
    let first: Vec<f64> = t.columns.iter().map(|c| c[0]).collect();
    assert_eq!(
        first,
        [59.0, 2.0, 32.1, 101.0, 157.0, 93.2, 38.0, 4.0, 4.8598, 87.0, 151.0]
    );
}

#[test]
fn fit_matches_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("fit.json");
    proxreg()
        .args([
            "fit",
            "--penalty",
            "elastic-net",
            "--alpha",
            "0.5",
            "--l1-ratio",
            "0.7",
            "--standardize",
            "--json",
        ])
        .arg(&j)
        .assert()
        .success()
        .stdout(predicate::str::contains("certificates: duality gap"));
    let v = read_json(&j);
    let (x, y) = diabetes();
    let m = ElasticNet::params()
        .alpha(0.5)
        .l1_ratio(0.7)
        .standardize(true)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(floats(&v["fit"]["coef"]), m.coef());
    assert_eq!(v["fit"]["intercept"][0].as_f64().unwrap(), m.intercept());
    assert_eq!(
        v["fit"]["certificates"]["duality_gap"].as_f64(),
        m.duality_gap()
    );
    assert_eq!(v["fit"]["certificates"]["status"], "Converged");
    assert_eq!(v["proxreg_version"], env!("CARGO_PKG_VERSION"));
}

/// The binary's `path --json`, run with `args` on the embedded data.
fn run_path(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("path.json");
    proxreg()
        .arg("path")
        .args(args)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    read_json(&j)
}

/// The binary's path points equal the library's path, bit for bit.
fn assert_same_path<M: std::ops::Deref<Target = LinearModel<f64>>>(v: &Value, lib: &[M]) {
    assert_eq!(v["coefs"].as_array().unwrap().len(), lib.len());
    for (i, m) in lib.iter().enumerate() {
        assert_eq!(floats(&v["coefs"][i]), m.coef(), "point {i}");
        assert_eq!(floats(&v["intercepts"][i]), m.intercepts(), "point {i}");
        assert_eq!(v["duality_gaps"][i].as_f64(), m.duality_gap(), "point {i}");
        assert_eq!(v["kkt_violations"][i].as_f64(), Some(m.kkt_violation()));
    }
}

#[test]
fn path_is_the_library_path_and_plots() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("path.json");
    let plots = dir.path().join("figs");
    proxreg()
        .args(["path", "--n-alphas", "8", "--json"])
        .arg(&j)
        .arg("--plot")
        .arg(&plots)
        .assert()
        .success()
        .stdout(predicate::str::contains("nonzeros"));
    let v = read_json(&j);
    let alphas = floats(&v["alphas"]);
    assert_eq!(alphas.len(), 8);
    // alpha_max: nothing selected at the first alpha, something at the last
    assert_eq!(v["nonzeros"][0], 0);
    assert!(v["nonzeros"][7].as_u64().unwrap() > 0);
    let (x, y) = diabetes();
    // the grid is the library's: log-spaced from the estimator's own alpha_max
    let amax = Lasso::params().alpha_max(&x, &y, None).unwrap();
    assert_eq!(alphas, proxreg::solvers::alpha_grid(amax, 8, 1e-3).unwrap());
    // the points are the library's warm-started path, bit for bit
    let lib = Lasso::params().path(&x, &y, None, &alphas).unwrap();
    assert_same_path(&v, &lib);
    let svg = std::fs::read_to_string(plots.join("path.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let series = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .count();
    assert_eq!(series, 10);
}

#[test]
fn elastic_net_path_with_options_is_the_library_path() {
    let v = run_path(&[
        "--penalty",
        "elastic-net",
        "--l1-ratio",
        "0.3",
        "--standardize",
        "--positive",
        "--n-alphas",
        "6",
        "--eps",
        "0.01",
    ]);
    let (x, y) = diabetes();
    let params = ElasticNet::params()
        .l1_ratio(0.3)
        .standardize(true)
        .positive(true);
    let amax = params.alpha_max(&x, &y, None).unwrap();
    let alphas = proxreg::solvers::alpha_grid(amax, 6, 0.01).unwrap();
    assert_eq!(floats(&v["alphas"]), alphas);
    assert_same_path(&v, &params.path(&x, &y, None, &alphas).unwrap());
}

#[test]
fn ridge_path_grid_is_the_library_grid() {
    let (x, y) = diabetes();
    // without standardization: RidgeCv's automatic grid
    let v = run_path(&["--penalty", "ridge", "--n-alphas", "5"]);
    let alphas = floats(&v["alphas"]);
    assert_eq!(
        alphas,
        RidgeCv::params().n_alphas(5).fit(&x, &y).unwrap().alphas()
    );
    assert_same_path(&v, &Ridge::params().path(&x, &y, None, &alphas).unwrap());
    // standardized: the grid of the standardized design, as the fit prepares it
    let v = run_path(&["--penalty", "ridge", "--standardize", "--n-alphas", "5"]);
    let params = Ridge::params().standardize(true);
    let alphas = params.alpha_grid(&x, &y, None, 5).unwrap();
    assert_eq!(floats(&v["alphas"]), alphas);
    assert_same_path(&v, &params.path(&x, &y, None, &alphas).unwrap());
    // sample weights: the grid of the weighted design
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("w.csv");
    std::fs::write(
        &csv,
        "a,b,w,y\n1,2,1,3\n2,1,2,2\n3,5,1,9\n4,4,3,7\n5,0,1,4\n",
    )
    .unwrap();
    let v = run_path(&[
        "--penalty",
        "ridge",
        "--weights",
        "w",
        "--target",
        "y",
        "--n-alphas",
        "4",
        "--data",
        csv.to_str().unwrap(),
    ]);
    let x = ColMajor::new(vec![1.0, 2.0, 3.0, 4.0, 5.0, 2.0, 1.0, 5.0, 4.0, 0.0], 5, 2).unwrap();
    let (y, w) = ([3.0, 2.0, 9.0, 7.0, 4.0], [1.0, 2.0, 1.0, 3.0, 1.0]);
    let alphas = Ridge::params().alpha_grid(&x, &y, Some(&w), 4).unwrap();
    assert_eq!(floats(&v["alphas"]), alphas);
    assert_same_path(
        &v,
        &Ridge::params().path(&x, &y, Some(&w), &alphas).unwrap(),
    );
}

#[test]
fn cv_matches_lasso_cv_and_writes_valid_figures() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("cv.json");
    let plots = dir.path().join("figs");
    let model = dir.path().join("model.json");
    proxreg()
        .args([
            "cv",
            "--folds",
            "4",
            "--seed",
            "3",
            "--n-alphas",
            "30",
            "--select",
            "1se",
            "--json",
        ])
        .arg(&j)
        .arg("--plot")
        .arg(&plots)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .success()
        .stdout(predicate::str::contains("lambda_min ="))
        .stdout(predicate::str::contains("lambda_1se ="));
    let v = read_json(&j);
    let (x, y) = diabetes();
    let cv = LassoCv::params()
        .n_alphas(30)
        .cv(KFold::new(4).shuffle(Some(3)))
        .selection(Selection::OneStandardError)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(floats(&v["alphas"]), cv.alphas());
    assert_eq!(floats(&v["mse_mean"]), cv.mse_mean());
    assert_eq!(floats(&v["mse_std_err"]), cv.mse_std_err());
    assert_eq!(v["index_min"].as_u64().unwrap() as usize, cv.index_min());
    assert_eq!(v["index_1se"].as_u64().unwrap() as usize, cv.index_1se());
    assert_eq!(v["fit"]["alpha"].as_f64().unwrap(), cv.alpha());
    assert_eq!(floats(&v["fit"]["coef"]), cv.model().coef());
    assert!(v["fit"]["certificates"]["kkt_violation"].as_f64().is_some());

    // the figures parse, and show the path (10 curves, both alphas marked) and the CV curve
    // (one curve with one error bar per alpha, both alphas marked)
    let path_svg = std::fs::read_to_string(plots.join("path.svg")).unwrap();
    let doc = roxmltree::Document::parse(&path_svg).unwrap();
    let curves: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .collect();
    assert_eq!(curves.len(), 10);
    let labels: Vec<&str> = curves
        .iter()
        .filter_map(|n| n.attribute("data-label"))
        .collect();
    assert!(labels.contains(&"bmi") && labels.contains(&"s5"));
    for c in &curves {
        let d = c
            .children()
            .find(|n| n.has_tag_name("path"))
            .and_then(|n| n.attribute("d"))
            .unwrap();
        assert_eq!(d.matches('L').count(), 29, "30 points per curve");
    }
    let marker_text = |doc: &roxmltree::Document| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("marker"))
            .filter_map(|n| n.children().find(|c| c.has_tag_name("text")))
            .filter_map(|t| t.text().map(str::to_string))
            .collect()
    };
    assert_eq!(marker_text(&doc), ["lambda_min", "lambda_1se"]);
    let cv_svg = std::fs::read_to_string(plots.join("cv.svg")).unwrap();
    let doc = roxmltree::Document::parse(&cv_svg).unwrap();
    let bars = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("errorbar"))
        .count();
    assert_eq!(bars, 30);
    assert_eq!(marker_text(&doc), ["lambda_min", "lambda_1se"]);

    // predict with the saved model equals the library model's predictions
    let pj = dir.path().join("pred.json");
    proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--json")
        .arg(&pj)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("y\n"));
    let pv = read_json(&pj);
    let want = cv.model().predict(&x).unwrap();
    let got = floats(&pv["predictions"][0]);
    assert_eq!(got.len(), 442);
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{g} vs {w}");
    }
}

#[test]
fn elastic_net_cv_over_l1_ratios() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("cv.json");
    proxreg()
        .args([
            "cv",
            "--penalty",
            "elastic-net",
            "--l1-ratios",
            "0.2,0.8,1",
            "--n-alphas",
            "15",
            "--json",
        ])
        .arg(&j)
        .assert()
        .success();
    let v = read_json(&j);
    let (x, y) = diabetes();
    let cv = ElasticNetCv::params()
        .l1_ratios(vec![0.2, 0.8, 1.0])
        .n_alphas(15)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(v["l1_ratio"].as_f64().unwrap(), cv.l1_ratio());
    assert_eq!(v["fit"]["alpha"].as_f64().unwrap(), cv.alpha());
    assert_eq!(floats(&v["fit"]["coef"]), cv.model().coef());
}

#[test]
fn ridge_cv_by_kfold_agrees_with_ridge_fits() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("cv.json");
    proxreg()
        .args([
            "cv",
            "--penalty",
            "ridge",
            "--alphas",
            "0.01,0.1,1,10,100",
            "--folds",
            "3",
            "--ridge-mode",
            "kfold",
            "--json",
        ])
        .arg(&j)
        .assert()
        .success();
    let v = read_json(&j);
    let (x, y) = diabetes();
    // fold 0 of 3 contiguous folds: rows 0..148 held out
    let folds = KFold::new(3).split(442).unwrap();
    let (tr, te) = (folds.train(0), folds.test(0).to_vec());
    let xt = ColMajor::from_fn(tr.len(), 10, |i, j| x.col(j)[tr[i]]);
    let yt: Vec<f64> = tr.iter().map(|&i| y[i]).collect();
    let xe = ColMajor::from_fn(te.len(), 10, |i, j| x.col(j)[te[i]]);
    let alphas = floats(&v["alphas"]);
    assert_eq!(alphas, [100.0, 10.0, 1.0, 0.1, 0.01]);
    for (a, &alpha) in alphas.iter().enumerate() {
        let m = Ridge::params().alpha(alpha).fit(&xt, &yt).unwrap();
        let p = m.predict(&xe).unwrap();
        let mse = te
            .iter()
            .zip(&p)
            .map(|(&i, p)| (y[i] - p).powi(2))
            .sum::<f64>()
            / te.len() as f64;
        let got = v["mse_path"][a][0].as_f64().unwrap();
        assert!((got - mse).abs() <= 1e-9 * mse, "{got} vs {mse}");
    }
    // the summary is the library's CV summary of those fold errors, bit for bit
    let per_fold: Vec<Vec<f64>> = (0..3)
        .map(|f| {
            (0..5)
                .map(|a| v["mse_path"][a][f].as_f64().unwrap())
                .collect()
        })
        .collect();
    let lib = CvPath::from_fold_errors(alphas.clone(), &per_fold, 0).unwrap();
    assert_eq!(floats(&v["mse_mean"]), lib.mean);
    assert_eq!(floats(&v["mse_std_err"]), lib.std_err);
    assert_eq!(v["index_1se"].as_u64().unwrap() as usize, lib.index_1se);
    let i = v["index_min"].as_u64().unwrap() as usize;
    assert_eq!(i, lib.index_min);
    let m = Ridge::params().alpha(alphas[i]).fit(&x, &y).unwrap();
    assert_eq!(floats(&v["fit"]["coef"]), m.coef());
}

#[test]
fn multi_task_fit_from_csv_columns() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("mt.csv");
    let mut s = String::from("a,b,c,y1,y2\n");
    for i in 0..30 {
        let (a, b, c) = ((i % 7) as f64, ((i * 3) % 5) as f64, ((i * 5) % 11) as f64);
        s += &format!("{a},{b},{c},{},{}\n", 2.0 * a - c, a + 0.5 * b);
    }
    std::fs::write(&csv, s).unwrap();
    let j = dir.path().join("mt.json");
    proxreg()
        .args([
            "fit",
            "--penalty",
            "multi-task-lasso",
            "--alpha",
            "0.1",
            "--target",
            "y1,y2",
            "--data",
        ])
        .arg(&csv)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let v = read_json(&j);
    let t = csv_table(&std::fs::read(&csv).unwrap(), "multi.csv");
    let (x, y) = split(&t, &["y1", "y2"]);
    let m = MultiTaskLasso::params().alpha(0.1).fit(&x, &y).unwrap();
    assert_eq!(floats(&v["fit"]["coef"]), m.coef());
    assert_eq!(floats(&v["fit"]["intercept"]), m.intercepts());
}

#[test]
fn npy_input_gives_the_csv_result() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = diabetes();
    let xp = dir.path().join("x.npy");
    let yp = dir.path().join("y.npy");
    proxreg_io::npy::write(&xp, &[442, 10], x.as_slice()).unwrap();
    proxreg_io::npy::write(&yp, &[442], &y).unwrap();
    let j = dir.path().join("f.json");
    proxreg()
        .args(["fit", "--alpha", "0.3", "--data"])
        .arg(&xp)
        .arg("--y")
        .arg(&yp)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let m = Lasso::params().alpha(0.3).fit(&x, &y).unwrap();
    assert_eq!(floats(&read_json(&j)["fit"]["coef"]), m.coef());
}

#[test]
fn weights_column_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("w.csv");
    std::fs::write(
        &csv,
        "a,b,w,y\n1,2,1,3\n2,1,2,2\n3,5,1,9\n4,4,3,7\n5,0,1,4\n",
    )
    .unwrap();
    let j = dir.path().join("f.json");
    proxreg()
        .args([
            "fit",
            "--alpha",
            "0.1",
            "--weights",
            "w",
            "--target",
            "y",
            "--data",
        ])
        .arg(&csv)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let x = ColMajor::new(vec![1.0, 2.0, 3.0, 4.0, 5.0, 2.0, 1.0, 5.0, 4.0, 0.0], 5, 2).unwrap();
    let m = Lasso::params()
        .alpha(0.1)
        .fit_weighted(&x, &[3.0, 2.0, 9.0, 7.0, 4.0], &[1.0, 2.0, 1.0, 3.0, 1.0])
        .unwrap();
    let v = read_json(&j);
    assert_eq!(floats(&v["fit"]["coef"]), m.coef());
    assert_eq!(v["fit"]["feature_names"], serde_json::json!(["a", "b"]));
}

#[test]
fn demo_prints_every_experiment() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("demo.json");
    proxreg()
        .args(["demo", "--json"])
        .arg(&j)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1. Ridge on two collinear features",
        ))
        .stdout(predicate::str::contains("5. Cross-validation"));
    let v = read_json(&j);
    // Lasso picks one of three correlated features; the Elastic Net spreads over all three
    let lasso = floats(&v["correlated"][0]["coef"]);
    let en = floats(&v["correlated"][1]["coef"]);
    assert_eq!(lasso.iter().filter(|w| **w != 0.0).count(), 1);
    assert!(en.iter().all(|w| *w > 0.5));
    // ridge shrinks the norm and improves the condition number as lambda grows
    let rows = v["ridge_collinear"].as_array().unwrap();
    let conds: Vec<f64> = rows
        .iter()
        .map(|r| r["condition_number"].as_f64().unwrap())
        .collect();
    assert!(conds.windows(2).all(|w| w[1] < w[0]));
    // the Lasso path's support grows as alpha decreases (nonzeros at the end > at the start)
    let nz: Vec<u64> = v["lasso_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["nonzeros"].as_u64().unwrap())
        .collect();
    assert!(nz[0] < *nz.last().unwrap());
    // its LassoCv is the library's on the same data (the generator, seed 0, through
    // `proxreg_cli::internals`)
    let (x, y, _) = proxreg_cli::internals::sparse_data(0);
    let cv = LassoCv::params()
        .cv(KFold::new(5).shuffle(Some(0)))
        .fit(&x, &y)
        .unwrap();
    assert_eq!(v["cv"][0]["alpha"].as_f64().unwrap(), cv.alpha());
}

#[test]
fn no_arguments_runs_the_default_job() {
    let dir = tempfile::tempdir().unwrap();
    proxreg()
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("lambda_min ="))
        .stdout(predicate::str::contains("lambda_1se ="))
        .stdout(predicate::str::contains("certificates: duality gap"))
        .stdout(predicate::str::contains(
            "<embedded diabetes.csv> (442 samples × 10 features",
        ));
    for f in ["path.svg", "cv.svg"] {
        let svg = std::fs::read_to_string(dir.path().join("proxreg-out").join(f)).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
    }
}

#[test]
fn ridge_cv_loo_and_gcv_match_ridge_cv() {
    let (x, y) = diabetes();
    for (mode, lib_mode) in [("loo", RidgeCvMode::Loo), ("gcv", RidgeCvMode::Gcv)] {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("cv.json");
        proxreg()
            .args([
                "cv",
                "--penalty",
                "ridge",
                "--ridge-mode",
                mode,
                "--n-alphas",
                "20",
                "--json",
            ])
            .arg(&j)
            .assert()
            .success()
            .stdout(predicate::str::contains("RidgeCv"));
        let v = read_json(&j);
        let cv = RidgeCv::params()
            .mode(lib_mode)
            .n_alphas(20)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(floats(&v["alphas"]), cv.alphas());
        let curve = if mode == "loo" { cv.loo() } else { cv.gcv() };
        assert_eq!(floats(&v["mse_mean"]), curve);
        assert_eq!(v["fit"]["alpha"].as_f64().unwrap(), cv.alpha());
        assert_eq!(floats(&v["fit"]["coef"]), cv.model().coef());
    }
}

#[test]
fn kkt_tol_reaches_the_fit() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("fit.json");
    proxreg()
        .args([
            "fit",
            "--penalty",
            "elastic-net",
            "--alpha",
            "0.5",
            "--tol",
            "1e-10",
            "--kkt-tol",
            "1e-12",
            "--json",
        ])
        .arg(&j)
        .assert()
        .success();
    let v = read_json(&j);
    let (x, y) = diabetes();
    let m = ElasticNet::params()
        .alpha(0.5)
        .tol(1e-10)
        .kkt_tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(floats(&v["fit"]["coef"]), m.coef());
    let loose = ElasticNet::params()
        .alpha(0.5)
        .tol(1e-10)
        .fit(&x, &y)
        .unwrap();
    assert!(m.kkt_violation() <= loose.kkt_violation());
    proxreg()
        .args(["fit", "--kkt-tol", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("kkt_tol"));
}

/// A column far beyond the range (`1e300`, squares overflow) under ridge without
/// standardization: fitted through internal rescaling (the direct solver with a penalty per
/// coefficient), and equal to the library's fit of the unscaled design with that column
/// unpenalized, its coefficient divided by the scale.
#[test]
fn a_ridge_column_out_of_range_is_fitted() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = diabetes();
    let c = 1e300;
    let xs = ColMajor::from_fn(442, 10, |i, j| x.col(j)[i] * if j == 2 { c } else { 1.0 });
    let xp = dir.path().join("x.npy");
    let yp = dir.path().join("y.npy");
    proxreg_io::npy::write(&xp, &[442, 10], xs.as_slice()).unwrap();
    proxreg_io::npy::write(&yp, &[442], &y).unwrap();
    let j = dir.path().join("f.json");
    proxreg()
        .args(["fit", "--penalty", "ridge", "--alpha", "1.0", "--data"])
        .arg(&xp)
        .arg("--y")
        .arg(&yp)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let v = read_json(&j);
    assert_eq!(
        v["fit"]["certificates"]["rescaled"],
        serde_json::json!(true)
    );
    let coef = floats(&v["fit"]["coef"]);
    let mut factors = vec![1.0; 10];
    factors[2] = 0.0;
    // With penalty factors the library's ridge runs coordinate descent: ask it for 1e-13.
    let m = Ridge::params()
        .alpha(1.0)
        .tol(1e-13)
        .penalty_factors(factors)
        .fit(&x, &y)
        .unwrap();
    let scale = m.coef().iter().fold(0.0_f64, |a, b| a.max(b.abs()));
    for (i, (a, b)) in coef.iter().zip(m.coef()).enumerate() {
        let a = if i == 2 { a * c } else { *a };
        assert!((a - b).abs() <= 1e-9 * scale, "coef {i}: {a:e} vs {b:e}");
    }
}

/// `y` far beyond the range whose squares fit (`1e200`): fitted through internal rescaling,
/// reported as such, and `1e200` times the unscaled fit.
#[test]
fn y_out_of_range_is_fitted_and_reported_rescaled() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = diabetes();
    let c = 1e200;
    let ys: Vec<f64> = y.iter().map(|v| v * c).collect();
    let xp = dir.path().join("x.npy");
    let yp = dir.path().join("y.npy");
    proxreg_io::npy::write(&xp, &[442, 10], x.as_slice()).unwrap();
    proxreg_io::npy::write(&yp, &[442], &ys).unwrap();
    let j = dir.path().join("f.json");
    proxreg()
        .args(["fit", "--alpha", "3e199", "--tol", "1e-12", "--data"])
        .arg(&xp)
        .arg("--y")
        .arg(&yp)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let v = read_json(&j);
    assert_eq!(
        v["fit"]["certificates"]["rescaled"],
        serde_json::json!(true)
    );
    let coef = floats(&v["fit"]["coef"]);
    let m = Lasso::params().alpha(0.3).tol(1e-12).fit(&x, &y).unwrap();
    let scale = m.coef().iter().fold(0.0_f64, |a, b| a.max(b.abs()));
    for (a, b) in coef.iter().zip(m.coef()) {
        assert!((a / c - b).abs() <= 1e-9 * scale, "{a:e} vs {b:e}·1e200");
    }
}
