//! `proxreg fit / path / predict --family binomial` against scikit-learn 1.9.1's
//! `LogisticRegression` (`tests/fixtures/logistic_small.json`,
//! `scripts/make_logistic_fixtures.py`): the data are written as a CSV whose target holds the
//! labels 2 and 5 (not 0/1, so the label mapping is exercised), and the coefficients the binary
//! writes are compared with scikit-learn's to `1e-6·max(1, ‖w‖∞)`.

use super::{floats, proxreg, read_json};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn fixture() -> Value {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/logistic_small.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Writes the fixture's data as CSV: `x0..x{p-1}`, `w` (the case's weights, or ones), `y` in
/// labels {2, 5}; returns the number of features.
fn write_csv(fx: &Value, weights: Option<&[f64]>, path: &Path, y_override: Option<&[f64]>) {
    let x = fx["problem"]["x"].as_array().unwrap();
    let y = floats(&fx["problem"]["y"]);
    let p = x[0].as_array().unwrap().len();
    let mut s: String = (0..p).map(|j| format!("x{j},")).collect();
    s += "w,y\n";
    for (i, row) in x.iter().enumerate() {
        for v in floats(row) {
            s += &format!("{v:?},");
        }
        let w = weights.map_or(1.0, |w| w[i]);
        let label = match y_override {
            Some(o) => o[i],
            None if y[i] == 1.0 => 5.0,
            None => 2.0,
        };
        s += &format!("{w:?},{label:?}\n");
    }
    std::fs::write(path, s).unwrap();
}

fn case<'a>(fx: &'a Value, name: &str) -> &'a Value {
    fx["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
}

#[test]
fn fit_matches_scikit_learn_and_predict_gives_probabilities() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "lasso_rel0.1",
        "enet0.5_rel0.05",
        "lasso_weighted_rel0.1",
        "lasso_standardized_rel0.1",
    ] {
        let c = case(&fx, name);
        let weights = c["sample_weight"]
            .as_array()
            .map(|_| floats(&c["sample_weight"]));
        let csv = dir.path().join(format!("{name}.csv"));
        write_csv(&fx, weights.as_deref(), &csv, None);
        let j = dir.path().join(format!("{name}.json"));
        let model = dir.path().join(format!("{name}.model.json"));
        let mut cmd = proxreg();
        cmd.args([
            "fit", "--family", "binomial", "--target", "y", "--tol", "1e-12",
        ])
        .arg("--data")
        .arg(&csv)
        .args(["--alpha", &format!("{:?}", c["alpha"].as_f64().unwrap())]);
        if c["penalty"] == "enet" {
            cmd.args([
                "--penalty",
                "elastic-net",
                "--l1-ratio",
                &format!("{:?}", c["l1_ratio"].as_f64().unwrap()),
            ]);
        }
        if weights.is_some() {
            cmd.args(["--weights", "w"]);
        }
        if c["standardize"] == true {
            cmd.arg("--standardize");
        }
        let feats: Vec<String> = (0..12).map(|j| format!("x{j}")).collect();
        cmd.args(["--features", &feats.join(",")])
            .arg("--json")
            .arg(&j)
            .arg("--save-model")
            .arg(&model);
        cmd.assert()
            .success()
            .stdout(predicate::str::contains("label 2 -> 0, label 5 -> 1"));
        let out = read_json(&j);
        let fit = &out["fit"];
        assert_eq!(fit["family"], "binomial");
        assert_eq!(floats(&fit["classes"]), vec![2.0, 5.0]);
        let coef = floats(&fit["coef"]);
        let sk = floats(&c["sklearn"]["coef"]);
        let scale = sk.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
        let d = coef
            .iter()
            .zip(&sk)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
            .max(
                (floats(&fit["intercept"])[0] - c["sklearn"]["intercept"].as_f64().unwrap()).abs(),
            );
        assert!(d <= 1e-6 * scale, "{name}: {d:e} from scikit-learn");
        let rel = fit["certificates"]["relative_gap"].as_f64().unwrap();
        assert!(rel <= 1e-12, "{name}: relative gap {rel}");

        // predict: P(label 5) = σ(Xw + b) and the label where it exceeds ½.
        let pj = dir.path().join(format!("{name}.pred.json"));
        proxreg()
            .args(["predict", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&pj)
            .assert()
            .success();
        let pred = read_json(&pj);
        let proba = floats(&pred["probabilities"]);
        let labels = floats(&pred["labels"]);
        let x = fx["problem"]["x"].as_array().unwrap();
        let b = floats(&fit["intercept"])[0];
        for (i, row) in x.iter().enumerate() {
            let eta: f64 = b + floats(row)
                .iter()
                .zip(&coef)
                .map(|(a, w)| a * w)
                .sum::<f64>();
            let p = 1.0 / (1.0 + (-eta).exp());
            assert!((proba[i] - p).abs() <= 1e-12, "{name} row {i}");
            assert_eq!(labels[i], if eta > 0.0 { 5.0 } else { 2.0 });
        }
    }
}

#[test]
fn path_starts_at_alpha_max_with_zeros() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("d.csv");
    write_csv(&fx, None, &csv, None);
    let j = dir.path().join("p.json");
    let feats: Vec<String> = (0..12).map(|j| format!("x{j}")).collect();
    proxreg()
        .args([
            "path",
            "--family",
            "binomial",
            "--target",
            "y",
            "--n-alphas",
            "8",
        ])
        .args([
            "--eps",
            "0.02",
            "--tol",
            "1e-10",
            "--features",
            &feats.join(","),
        ])
        .arg("--data")
        .arg(&csv)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let out = read_json(&j);
    let alphas = floats(&out["alphas"]);
    let amax = case(&fx, "lasso_rel1")["alpha_max"].as_f64().unwrap();
    assert!(
        (alphas[0] - amax).abs() <= 1e-12 * amax,
        "{} vs {amax}",
        alphas[0]
    );
    let first = floats(&out["coefs"][0]);
    assert!(first.iter().all(|&v| v == 0.0));
    let nnz = out["nonzeros"].as_array().unwrap();
    assert!(nnz.last().unwrap().as_u64().unwrap() > 0);
    assert!(floats(&out["relative_gaps"]).iter().all(|&g| g <= 1e-10));
    // the binary runs the library's warm-started proximal-Newton path: bitwise the same
    let rows = fx["problem"]["x"].as_array().unwrap();
    let x = proxreg::linalg::ColMajor::from_fn(rows.len(), 12, |i, j| {
        rows[i].as_array().unwrap()[j].as_f64().unwrap()
    });
    let y: Vec<f64> = floats(&fx["problem"]["y"])
        .iter()
        .map(|&v| if v == 1.0 { 5.0 } else { 2.0 })
        .collect();
    let lib = proxreg::LogisticRegression::params()
        .tol(1e-10)
        .path(&x, &y, None, &alphas)
        .unwrap();
    for (i, m) in lib.iter().enumerate() {
        assert_eq!(floats(&out["coefs"][i]), m.coef(), "alpha {}", alphas[i]);
        assert_eq!(floats(&out["intercepts"][i]), [m.intercept()]);
        assert_eq!(out["relative_gaps"][i].as_f64(), m.report().relative_gap);
    }
}

#[test]
fn bad_binomial_input_gets_clear_errors() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let n = fx["problem"]["y"].as_array().unwrap().len();
    let feats: Vec<String> = (0..12).map(|j| format!("x{j}")).collect();
    let run = |y: &[f64], weights: Option<&[f64]>, extra: &[&str], msg: &str| {
        let csv = dir.path().join("bad.csv");
        write_csv(&fx, weights, &csv, Some(y));
        let mut cmd = proxreg();
        cmd.args([
            "fit", "--family", "binomial", "--target", "y", "--alpha", "0.01",
        ])
        .args(["--features", &feats.join(",")])
        .arg("--data")
        .arg(&csv)
        .args(extra);
        cmd.assert().failure().stderr(predicate::str::contains(msg));
    };
    let mut y: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
    y[5] = 7.0;
    run(&y, None, &[], "third label");
    run(&vec![1.0; n], None, &[], "one label");
    let y01: Vec<f64> = (0..n).map(|i| (i % 2) as f64).collect();
    run(
        &y01,
        Some(&vec![0.0; n]),
        &["--weights", "w"],
        "sample_weight",
    );
    run(
        &y01,
        None,
        &["--penalty", "mcp"],
        "lasso, elastic-net or ridge",
    );
    run(&y01, None, &["--solver", "fista"], "proximal Newton");
}

#[test]
fn cv_binomial_equals_the_library_and_refits() {
    use proxreg::prelude::*;
    use proxreg::ClassMeasure;
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("d.csv");
    write_csv(&fx, None, &csv, None);
    let feats: Vec<String> = (0..12).map(|j| format!("x{j}")).collect();
    for measure in ["deviance", "auc"] {
        let j = dir.path().join(format!("cv-{measure}.json"));
        proxreg()
            .args([
                "cv",
                "--family",
                "binomial",
                "--target",
                "y",
                "--n-alphas",
                "10",
            ])
            .args([
                "--eps",
                "0.02",
                "--tol",
                "1e-10",
                "--features",
                &feats.join(","),
            ])
            .args(["--measure", measure])
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&j)
            .assert()
            .success();
        let out = read_json(&j);
        // The library's LogisticRegressionCv on the same data, folds and grid.
        let x = fx["problem"]["x"].as_array().unwrap();
        let (n, p) = (x.len(), 12);
        let xm = ColMajor::from_fn(n, p, |i, jj| floats(&x[i])[jj]);
        let y = floats(&fx["problem"]["y"]);
        let m = if measure == "auc" {
            ClassMeasure::Auc
        } else {
            ClassMeasure::Deviance
        };
        let lib = LogisticRegressionCv::params()
            .n_alphas(10)
            .eps(0.02)
            .tol(1e-10)
            .stratified(StratifiedKFold::new(5))
            .measure(m)
            .fit(&xm, &y)
            .unwrap();
        assert_eq!(floats(&out["alphas"]), lib.alphas().to_vec());
        assert_eq!(
            floats(&out["mse_mean"]),
            lib.cv_mean().to_vec(),
            "{measure}"
        );
        let refit = &out["fit"];
        assert_eq!(floats(&refit["classes"]), vec![2.0, 5.0]);
        assert_eq!(floats(&refit["coef"]), lib.coef().to_vec());
        if measure == "deviance" {
            // --plain-folds: the library's plain K-fold, which differs from stratified here.
            let jp = dir.path().join("cv-plain.json");
            proxreg()
                .args([
                    "cv",
                    "--family",
                    "binomial",
                    "--target",
                    "y",
                    "--plain-folds",
                ])
                .args(["--n-alphas", "10", "--eps", "0.02", "--tol", "1e-10"])
                .args(["--features", &feats.join(",")])
                .arg("--data")
                .arg(&csv)
                .arg("--json")
                .arg(&jp)
                .assert()
                .success();
            let plain = LogisticRegressionCv::params()
                .n_alphas(10)
                .eps(0.02)
                .tol(1e-10)
                .cv(KFold::new(5))
                .fit(&xm, &y)
                .unwrap();
            let got = floats(&read_json(&jp)["mse_mean"]);
            assert_eq!(got, plain.cv_mean().to_vec());
            assert_ne!(got, lib.cv_mean().to_vec());
        }
    }
}

/// `cv --family binomial --penalty elastic-net --l1-ratios …`: the library's `l1_ratio` grid —
/// the same selected pair, curve and refit.
#[test]
fn cv_binomial_with_an_l1_ratio_grid_equals_the_library() {
    use proxreg::prelude::*;
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("d.csv");
    write_csv(&fx, None, &csv, None);
    let feats: Vec<String> = (0..12).map(|j| format!("x{j}")).collect();
    let j = dir.path().join("cv.json");
    proxreg()
        .args(["cv", "--family", "binomial", "--target", "y"])
        .args(["--penalty", "elastic-net", "--l1-ratios", "0.3,1"])
        .args(["--n-alphas", "6", "--eps", "0.05", "--tol", "1e-10"])
        .args(["--features", &feats.join(",")])
        .arg("--data")
        .arg(&csv)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let out = read_json(&j);
    let x = fx["problem"]["x"].as_array().unwrap();
    let xm = ColMajor::from_fn(x.len(), 12, |i, jj| floats(&x[i])[jj]);
    let y = floats(&fx["problem"]["y"]);
    let lib = LogisticRegressionCv::params()
        .l1_ratios(vec![0.3, 1.0])
        .n_alphas(6)
        .eps(0.05)
        .tol(1e-10)
        .fit(&xm, &y)
        .unwrap();
    assert_eq!(floats(&out["l1_ratios"]), vec![0.3, 1.0]);
    assert_eq!(out["l1_ratio"].as_f64().unwrap(), lib.l1_ratio());
    assert_eq!(floats(&out["alphas"]), lib.alphas().to_vec());
    assert_eq!(floats(&out["mse_mean"]), lib.cv_mean().to_vec());
    assert_eq!(floats(&out["fit"]["coef"]), lib.coef().to_vec());
}

/// `select --family binomial --criterion stability`: the library's logistic stability selection
/// (same probabilities and selected set); the information criteria stay least squares only.
#[test]
fn select_binomial_stability_equals_the_library() {
    use proxreg::prelude::*;
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("d.csv");
    write_csv(&fx, None, &csv, None);
    let feats: Vec<String> = (0..12).map(|j| format!("x{j}")).collect();
    let j = dir.path().join("st.json");
    let run = |criterion: &str| {
        let mut c = proxreg();
        c.args(["select", "--family", "binomial", "--target", "y"])
            .args(["--criterion", criterion, "--n-pairs", "5", "--seed", "4"])
            .args(["--n-alphas", "5", "--eps", "0.1", "--tol", "1e-8"])
            .args(["--features", &feats.join(",")])
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&j);
        c
    };
    run("stability").assert().success();
    let out = read_json(&j);
    assert_eq!(out["family"], "binomial");
    let x = fx["problem"]["x"].as_array().unwrap();
    let xm = ColMajor::from_fn(x.len(), 12, |i, jj| floats(&x[i])[jj]);
    let y = floats(&fx["problem"]["y"]);
    let lib = StabilitySelection::params()
        .n_pairs(5)
        .seed(4)
        .n_alphas(5)
        .eps(0.1)
        .tol(1e-8)
        .threshold(0.6)
        .fit_logistic(&xm, &y)
        .unwrap();
    assert_eq!(floats(&out["alphas"]), lib.alphas().to_vec());
    let probs: Vec<Vec<f64>> = out["probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(floats)
        .collect();
    assert_eq!(probs, lib.probabilities().to_vec());
    let sel: Vec<usize> = out["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(sel, lib.selected().to_vec());
    run("bic")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--criterion stability"));
}
