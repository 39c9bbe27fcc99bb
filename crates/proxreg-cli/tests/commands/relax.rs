//! `--relax` and `--adaptive` through the binary: `path` / `fit` against the numpy /
//! scikit-learn references of `tests/fixtures/relaxed_{small,diabetes}.json`
//! (`scripts/make_relaxed_fixtures.py`) to the library tests' bound `1e-6·max(1, ‖w‖∞)`, `cv`
//! bitwise equal to the library's `RelaxedLassoCv` / `AdaptiveLassoCv` (and the same for one
//! thread and several), saved models through `predict`, and the inputs that exit with code 2.

use super::{floats, proxreg, read_json};
use predicates::prelude::*;
use proxreg::prelude::*;
use proxreg::{AdaptiveInit, AdaptiveLassoCv, RelaxedLassoCv};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> Value {
    let path = proxreg_fixtures::fixtures_dir().join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The fixture's data as a CSV file `x0..x{p-1},y` (and the sample weights as column `s`
/// when the fixture has them); Rust's `{}` of an f64 round-trips.
fn write_csv(dir: &Path, f: &Value) -> (PathBuf, usize) {
    let rows: Vec<Vec<f64>> = f["x"].as_array().unwrap().iter().map(floats).collect();
    let y = floats(&f["y"]);
    let s = (!f["sample_weight"].is_null()).then(|| floats(&f["sample_weight"]));
    let p = rows[0].len();
    let mut head: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
    head.push("y".into());
    if s.is_some() {
        head.push("s".into());
    }
    let mut text = head.join(",") + "\n";
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().map(|v| format!("{v}")).collect();
        cells.push(format!("{}", y[i]));
        if let Some(s) = &s {
            cells.push(format!("{}", s[i]));
        }
        text += &(cells.join(",") + "\n");
    }
    let path = dir.join(format!("{}.csv", f["name"].as_str().unwrap()));
    std::fs::write(&path, text).unwrap();
    (path, p)
}

/// `max |a − b| / max(1, ‖b‖∞)` over coefficients and intercept.
fn rel(coef: &[f64], b: f64, want: &[f64], want_b: f64) -> f64 {
    let scale = want.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    coef.iter()
        .zip(want)
        .map(|(a, w)| (a - w).abs())
        .fold((b - want_b).abs(), f64::max)
        / scale
}

const TOL: f64 = 1e-6;

fn list(v: &[f64]) -> String {
    v.iter()
        .map(|a| format!("{a}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A case's name, points, alphas, and the options every run of it takes: the data, `flag`,
/// tight tolerances, and the weight column (or, unweighted, the features without it).
fn case_setup<'a>(
    f: &Value,
    file: &str,
    case: &'a Value,
    csv: &Path,
    flag: &str,
) -> (String, &'a Vec<Value>, Vec<f64>, Vec<String>) {
    let name = format!("{file} {}", case["name"]);
    let points = case["points"].as_array().unwrap();
    let alphas: Vec<f64> = points
        .iter()
        .map(|p| p["alpha"].as_f64().unwrap())
        .collect();
    let mut base: Vec<String> = vec!["--data".into(), csv.display().to_string()];
    base.extend(["--target", "y", flag, "--tol", "1e-14"].map(String::from));
    base.extend(["--max-iter", "1000000", "--quiet"].map(String::from));
    if case["weighted"].as_bool().unwrap() {
        base.extend(["--weights", "s"].map(String::from));
    } else if !f["sample_weight"].is_null() {
        base.extend(["--features".to_string(), list_names(f)]);
    }
    (name, points, alphas, base)
}

fn relaxed_cases(file: &str) -> (usize, f64) {
    let f = fixture(file);
    let dir = tempfile::tempdir().unwrap();
    let (csv, _) = write_csv(dir.path(), &f);
    let (mut n, mut worst) = (0, 0.0_f64);
    for case in f["relaxed"].as_array().unwrap() {
        let (name, points, alphas, base) = case_setup(&f, file, case, &csv, "--relax");
        // the path at gamma 0 (the refits) and 1 (the lasso points)
        for gamma in ["0", "1"] {
            let j = dir.path().join(format!("path{gamma}.json"));
            proxreg()
                .args(["path", "--alphas", &list(&alphas), "--gamma", gamma])
                .args(&base)
                .arg("--json")
                .arg(&j)
                .assert()
                .success();
            let v = read_json(&j);
            assert_eq!(v["estimator"], "relaxed-lasso");
            assert_eq!(floats(&v["alphas"]), alphas, "{name}");
            let res = floats(&v["refit_relative_normal_residuals"]);
            for (i, pt) in points.iter().enumerate() {
                let (key, bkey) = if gamma == "0" {
                    ("refit_coef", "refit_intercept")
                } else {
                    ("lasso_coef", "lasso_intercept")
                };
                let d = rel(
                    &floats(&v["coefs"][i]),
                    floats(&v["intercepts"][i])[0],
                    &floats(&pt[key]),
                    pt[bkey].as_f64().unwrap(),
                );
                assert!(d <= TOL, "{name} gamma {gamma} point {i}: {d:e}");
                worst = worst.max(d);
                assert!(res[i] <= 1e-9, "{name} point {i}: residual {}", res[i]);
                // the lasso stage's certificate
                assert!(
                    v["kkt_violations"][i].as_f64().unwrap()
                        <= 1e-8 * case["alpha_max"].as_f64().unwrap()
                );
            }
        }
        // one fit in the middle with an intermediate gamma, against the reference blend
        let mid = points.len() / 2;
        let pt = &points[mid];
        for blend in pt["relaxed"].as_array().unwrap() {
            let gamma = blend["gamma"].as_f64().unwrap();
            if gamma != 0.25 {
                continue;
            }
            let j = dir.path().join("fit.json");
            proxreg()
                .args(["fit", "--alpha", &format!("{}", alphas[mid])])
                .args(["--gamma", "0.25"])
                .args(&base)
                .arg("--json")
                .arg(&j)
                .assert()
                .success();
            let fit = read_json(&j)["fit"].clone();
            let d = rel(
                &floats(&fit["coef"]),
                fit["intercept"][0].as_f64().unwrap(),
                &floats(&blend["coef"]),
                blend["intercept"].as_f64().unwrap(),
            );
            assert!(d <= TOL, "{name} fit gamma 0.25: {d:e}");
            worst = worst.max(d);
            assert_eq!(fit["estimator"], "relaxed-lasso");
            assert_eq!(fit["gamma"].as_f64(), Some(0.25));
            let refit = &fit["refit"];
            let support: Vec<u64> = pt["support"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            let got: Vec<u64> = refit["support"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            assert_eq!(got, support, "{name}");
            assert_eq!(refit["rank"], pt["refit_rank"]);
            assert!(refit["relative_normal_residual"].as_f64().unwrap() <= 1e-9);
            assert_eq!(fit["certificates"]["status"], "Converged");
        }
        n += 1;
    }
    (n, worst)
}

/// The feature names of a fixture with a weight column (everything but `y` and `s`).
fn list_names(f: &Value) -> String {
    let p = f["x"][0].as_array().unwrap().len();
    (0..p)
        .map(|j| format!("x{j}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn relaxed_path_and_fit_match_the_numpy_references() {
    let (a, wa) = relaxed_cases("relaxed_small");
    let (b, wb) = relaxed_cases("relaxed_diabetes");
    assert_eq!((a, b), (2, 1));
    eprintln!(
        "cli relaxed lasso: 3 cases, max relative |Δ| (coef, intercept) = {:.2e}",
        wa.max(wb)
    );
}

fn adaptive_cases(file: &str) -> (usize, f64) {
    let f = fixture(file);
    let dir = tempfile::tempdir().unwrap();
    let (csv, p) = write_csv(dir.path(), &f);
    let (mut n, mut worst) = (0, 0.0_f64);
    for case in f["adaptive"].as_array().unwrap() {
        let (name, points, alphas, mut base) = case_setup(&f, file, case, &csv, "--adaptive");
        base.extend(["--nu".into(), format!("{}", case["nu"].as_f64().unwrap())]);
        base.extend([
            "--init-eps".into(),
            format!("{}", case["init_eps"].as_f64().unwrap()),
        ]);
        match case["init"].as_str().unwrap() {
            "ridge" => base.extend([
                "--adaptive-init".into(),
                "ridge".into(),
                "--init-alpha".into(),
                format!("{}", case["init_alpha"].as_f64().unwrap()),
            ]),
            "ols" => base.extend(["--adaptive-init", "ols"].map(String::from)),
            _ => base.extend(["--init-coef".into(), list(&floats(&case["given"]))]),
        }
        let j = dir.path().join("path.json");
        proxreg()
            .args(["path", "--alphas", &list(&alphas)])
            .args(&base)
            .arg("--json")
            .arg(&j)
            .assert()
            .success();
        let v = read_json(&j);
        assert_eq!(v["estimator"], "adaptive-lasso");
        for (i, pt) in points.iter().enumerate() {
            let d = rel(
                &floats(&v["coefs"][i]),
                floats(&v["intercepts"][i])[0],
                &floats(&pt["coef"]),
                pt["intercept"].as_f64().unwrap(),
            );
            assert!(d <= TOL, "{name} point {i}: {d:e}");
            worst = worst.max(d);
            assert_eq!(v["statuses"][i], "Converged", "{name} point {i}");
            assert!(v["duality_gaps"][i].as_f64().unwrap() >= 0.0);
        }
        // a fit: the initial coefficients and the factors (null = excluded)
        let j = dir.path().join("fit.json");
        proxreg()
            .args(["fit", "--alpha", &format!("{}", alphas[2])])
            .args(&base)
            .arg("--json")
            .arg(&j)
            .assert()
            .success();
        let fit = read_json(&j)["fit"].clone();
        let init_ref = floats(&case["init_coef"]);
        let init = floats(&fit["init_coef"]);
        assert!(rel(&init, 0.0, &init_ref, 0.0) <= TOL, "{name} init");
        let factors = fit["penalty_factors"].as_array().unwrap();
        assert_eq!(factors.len(), p);
        for (j, fj) in case["factors"].as_array().unwrap().iter().enumerate() {
            match fj.as_f64() {
                Some(want) => {
                    let got = factors[j].as_f64().unwrap();
                    assert!(
                        (got - want).abs() <= TOL * want.max(1.0),
                        "{name} factor {j}"
                    );
                }
                None => {
                    assert!(factors[j].is_null(), "{name} factor {j}");
                    assert!(fit["excluded"]
                        .as_array()
                        .unwrap()
                        .contains(&serde_json::json!(j)));
                }
            }
        }
        // the automatic grid starts at the weighted problem's alpha_max
        let j = dir.path().join("grid.json");
        proxreg()
            .args(["path", "--n-alphas", "2"])
            .args(&base)
            .arg("--json")
            .arg(&j)
            .assert()
            .success();
        let amax = floats(&read_json(&j)["alphas"])[0];
        let want = case["alpha_max"].as_f64().unwrap();
        assert!((amax - want).abs() <= TOL * want, "{name} alpha_max");
        n += 1;
    }
    (n, worst)
}

#[test]
fn adaptive_path_and_fit_match_the_sklearn_references() {
    let (a, wa) = adaptive_cases("relaxed_small");
    let (b, wb) = adaptive_cases("relaxed_diabetes");
    assert_eq!((a, b), (3, 2));
    eprintln!(
        "cli adaptive lasso: 5 cases, max relative |Δ| (coef, intercept) = {:.2e}",
        wa.max(wb)
    );
}

/// Runs `cv` on the embedded data with `args`, with `threads` rayon threads, and returns its
/// JSON without the timings.
fn cv_json(dir: &Path, args: &[&str], threads: &str) -> Value {
    let j = dir.join(format!("cv{threads}.json"));
    proxreg()
        .env("RAYON_NUM_THREADS", threads)
        .arg("cv")
        .args(args)
        .args(["--quiet", "--json"])
        .arg(&j)
        .assert()
        .success();
    let mut v = read_json(&j);
    let o = v.as_object_mut().unwrap();
    o.remove("seconds");
    o["fit"].as_object_mut().unwrap().remove("seconds");
    o["path"].as_object_mut().unwrap().remove("seconds");
    v
}

#[test]
fn cv_relax_equals_the_librarys_relaxed_lasso_cv() {
    let (x, y) = super::diabetes();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--relax",
        "--gammas",
        "0,0.5,1",
        "--folds",
        "4",
        "--seed",
        "3",
        "--n-alphas",
        "15",
        "--select",
        "1se",
        "--tol",
        "1e-8",
    ];
    let v = cv_json(dir.path(), &args, "1");
    assert_eq!(v, cv_json(dir.path(), &args, "2"), "thread count");
    let cv = RelaxedLassoCv::params()
        .gammas(vec![0.0, 0.5, 1.0])
        .n_alphas(15)
        .tol(1e-8)
        .cv(KFold::new(4).shuffle(Some(3)))
        .selection(Selection::OneStandardError)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(v["method"], "RelaxedLassoCv");
    assert_eq!(floats(&v["alphas"]), cv.alphas());
    assert_eq!(floats(&v["gammas"]), cv.gammas());
    for (g, p) in cv.paths().iter().enumerate() {
        assert_eq!(floats(&v["mse_mean_by_gamma"][g]), p.mean);
        assert_eq!(floats(&v["mse_std_err_by_gamma"][g]), p.std_err);
    }
    let ((gmin, amin), (g1se, a1se)) = (cv.index_min(), cv.index_1se());
    assert_eq!(v["alpha_min"].as_f64().unwrap(), cv.alphas()[amin]);
    assert_eq!(v["alpha_1se"].as_f64().unwrap(), cv.alphas()[a1se]);
    assert_eq!(v["gamma_min"].as_f64().unwrap(), cv.gammas()[gmin]);
    assert_eq!(v["gamma_1se"].as_f64().unwrap(), cv.gammas()[g1se]);
    assert_eq!(
        v["cv_error_min"].as_f64().unwrap(),
        cv.paths()[gmin].mean[amin]
    );
    assert_eq!(
        v["cv_error_1se"].as_f64().unwrap(),
        cv.paths()[g1se].mean[a1se]
    );
    // the refit at the selected (alpha, gamma)
    let fit = &v["fit"];
    assert_eq!(fit["alpha"].as_f64().unwrap(), cv.alpha());
    assert_eq!(fit["gamma"].as_f64().unwrap(), cv.gamma());
    assert_eq!(floats(&fit["coef"]), cv.model().coef());
    assert_eq!(
        fit["intercept"][0].as_f64().unwrap(),
        cv.model().intercept()
    );
    assert_eq!(
        fit["refit"]["relative_normal_residual"].as_f64().unwrap(),
        cv.model().refit().relative_normal_residual()
    );
    assert_eq!(fit["certificates"]["status"], "Converged");
    // the JSON's path is at the refit's gamma: its (warm-started) point at the selected alpha
    // is the refit to the tolerance
    let d = rel(
        &floats(&v["path"]["coefs"][a1se]),
        0.0,
        cv.model().coef(),
        0.0,
    );
    assert!(d <= 1e-6, "path point vs refit: {d:e}");
}

#[test]
fn cv_adaptive_equals_the_librarys_adaptive_lasso_cv() {
    let (x, y) = super::diabetes();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--adaptive",
        "--adaptive-init",
        "ols",
        "--nu",
        "2",
        "--folds",
        "5",
        "--seed",
        "7",
        "--n-alphas",
        "12",
        "--tol",
        "1e-8",
    ];
    let v = cv_json(dir.path(), &args, "1");
    assert_eq!(v, cv_json(dir.path(), &args, "2"), "thread count");
    let cv = AdaptiveLassoCv::params()
        .init(AdaptiveInit::Ols)
        .nu(2.0)
        .n_alphas(12)
        .tol(1e-8)
        .cv(KFold::new(5).shuffle(Some(7)))
        .fit(&x, &y)
        .unwrap();
    assert_eq!(v["method"], "AdaptiveLassoCv");
    assert_eq!(floats(&v["alphas"]), cv.alphas());
    assert_eq!(floats(&v["mse_mean"]), cv.path().mean);
    assert_eq!(floats(&v["mse_std_err"]), cv.path().std_err);
    assert_eq!(
        v["index_min"].as_u64().unwrap() as usize,
        cv.path().index_min
    );
    assert_eq!(v["alpha_min"].as_f64().unwrap(), cv.alpha());
    let fit = &v["fit"];
    assert_eq!(floats(&fit["coef"]), cv.model().coef());
    assert_eq!(floats(&fit["init_coef"]), cv.model().init_coef());
    assert_eq!(fit["estimator"], "adaptive-lasso");
    assert_eq!(fit["init"], "ols");
    assert!(fit["certificates"]["duality_gap"].as_f64().unwrap() >= 0.0);
}

#[test]
fn saved_relaxed_and_adaptive_models_predict_like_linear_models() {
    let dir = tempfile::tempdir().unwrap();
    let (x, _) = super::diabetes();
    for (flags, estimator) in [
        (vec!["--relax", "--gamma", "0.3"], "relaxed-lasso"),
        (vec!["--adaptive", "--nu", "0.5"], "adaptive-lasso"),
    ] {
        let (j, model) = (dir.path().join("fit.json"), dir.path().join("m.json"));
        proxreg()
            .args(["fit", "--alpha", "0.5"])
            .args(&flags)
            .arg("--json")
            .arg(&j)
            .arg("--save-model")
            .arg(&model)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("{estimator} on")))
            .stdout(predicate::str::contains("certificates: duality gap"));
        let fit = read_json(&j)["fit"].clone();
        let m = read_json(&model);
        assert_eq!(m["estimator"], estimator);
        // readable by the builds that read version 1
        assert_eq!(m["version"], 1);
        let (coef, b) = (floats(&fit["coef"]), fit["intercept"][0].as_f64().unwrap());
        assert_eq!(floats(&m["coef"]), coef);
        let out = proxreg()
            .args(["predict", "--model"])
            .arg(&model)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let mut rows = 0;
        for (i, line) in text.lines().skip(1).enumerate() {
            let want = b + (0..10).map(|j| x.col(j)[i] * coef[j]).sum::<f64>();
            let got: f64 = line.parse().unwrap();
            assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "row {i}");
            rows += 1;
        }
        assert_eq!(rows, 442);
    }
}

#[test]
fn bad_relax_and_adaptive_inputs_exit_2_with_a_clear_message() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["fit", "--relax", "--family", "binomial"],
            "--relax is supported with --family gaussian --penalty lasso only (not --family binomial --penalty lasso)",
        ),
        (
            vec!["path", "--adaptive", "--penalty", "elastic-net"],
            "--adaptive is supported with --family gaussian --penalty lasso only",
        ),
        (
            vec!["cv", "--relax", "--penalty", "ridge"],
            "--relax is supported with --family gaussian --penalty lasso only",
        ),
        (
            vec!["fit", "--adaptive", "--family", "poisson"],
            "--adaptive is supported with --family gaussian",
        ),
        (vec!["fit", "--relax", "--adaptive"], "cannot be used with"),
        (vec!["fit", "--nu", "2"], "apply to --adaptive"),
        (vec!["fit", "--relax", "--gamma", "1.5"], "gamma"),
        (vec!["fit", "--relax", "--gamma", "NaN"], "gamma"),
        (vec!["fit", "--adaptive", "--nu", "0"], "nu"),
        (vec!["fit", "--adaptive", "--init-eps", "NaN"], "init_eps"),
        (
            vec!["fit", "--adaptive", "--init-coef", "1,2"],
            "--init-coef has 2 values, the data has 10 features",
        ),
        (
            vec!["fit", "--adaptive", "--adaptive-init", "ols", "--init-alpha", "2"],
            "--init-alpha is the ridge start's alpha",
        ),
        (vec!["fit", "--relax", "--positive"], "--positive is not supported with --relax"),
        (vec!["fit", "--gamma", "0.5"], "--gamma applies to --penalty mcp or scad, or to --relax"),
        (vec!["cv", "--gammas", "0,1"], "--gammas applies to cv --relax"),
        (
            vec!["cv", "--relax", "--gammas", "0,1", "--gamma", "0.5"],
            "not both",
        ),
        (vec!["cv", "--relax", "--gammas", "0,2"], "gammas"),
        (vec!["select", "--relax"], "not select"),
    ];
    for (args, msg) in cases {
        proxreg()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(msg));
    }
}
