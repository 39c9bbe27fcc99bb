//! `proxreg fit` / `path` with `--penalty group-lasso|sparse-group-lasso` against skglm 0.5
//! (`tests/fixtures/group_lasso_skglm.json`, `scripts/make_group_fixtures.py`): every
//! least-squares case (contiguous groups, scattered groups with an unpenalized group, sparse
//! group lasso τ = 0.2 and 0.7) through the binary to `1e-6·max(1, ‖w‖∞)`, the path's
//! `alpha_max` and its all-zero first point, the saved model and `predict`, and the inputs that
//! must exit with code 2.

use super::{floats, proxreg, read_json};
use predicates::prelude::*;
use proxreg_fixtures::group_lasso::{load_group_lasso, GroupFamily, GroupLassoCase};
use std::path::{Path, PathBuf};

/// The fixture's data set as a CSV file `x0..x{p-1},y` (Rust's `{}` of an f64 round-trips).
fn write_csv(dir: &Path, name: &str, x: &[Vec<f64>], y: &[f64]) -> PathBuf {
    let p = x[0].len();
    let mut s: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
    s.push("y".into());
    let mut text = s.join(",") + "\n";
    for (row, yi) in x.iter().zip(y) {
        let cells: Vec<String> = row.iter().chain([yi]).map(|v| format!("{v}")).collect();
        text += &(cells.join(",") + "\n");
    }
    let path = dir.join(format!("{name}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

/// The label of each feature (`g0`, `g1`, .. by the case's group order).
fn labels(case: &GroupLassoCase, p: usize) -> Vec<String> {
    let mut l = vec![String::new(); p];
    for (g, members) in case.groups.iter().enumerate() {
        for &j in members {
            l[j] = format!("g{g}");
        }
    }
    l
}

/// The command-line options of a case: the groups (by labels, or for the scattered cases by a
/// `column,group` file listed in reverse order), the weights unless they are the default
/// `√|G|` (so the default is exercised too), τ and the intercept.
fn case_args(case: &GroupLassoCase, p: usize, dir: &Path) -> Vec<String> {
    let penalty = if case.tau > 0.0 {
        "sparse-group-lasso"
    } else {
        "group-lasso"
    };
    let mut args: Vec<String> = vec!["--penalty".into(), penalty.into()];
    let l = labels(case, p);
    if case.name.starts_with("gl_scattered") {
        let file = dir.join(format!("{}.groups", case.name));
        let lines: Vec<String> = (0..p).rev().map(|j| format!("x{j},{}", l[j])).collect();
        std::fs::write(&file, format!("# column,group\n{}\n", lines.join("\n"))).unwrap();
        args.push("--groups-file".into());
        args.push(file.display().to_string());
    } else {
        args.push("--groups".into());
        args.push(l.join(","));
    }
    let default = case
        .groups
        .iter()
        .zip(&case.group_weights)
        .all(|(g, &w)| w == (g.len() as f64).sqrt());
    if !default {
        let w: Vec<String> = case
            .group_weights
            .iter()
            .enumerate()
            .map(|(g, w)| format!("g{g}={w}"))
            .collect();
        args.push("--group-weights".into());
        args.push(w.join(","));
    }
    if case.tau > 0.0 {
        args.push("--l1-ratio".into());
        args.push(format!("{}", case.tau));
    }
    if !case.fit_intercept {
        args.push("--no-intercept".into());
    }
    args.extend(["--tol", "1e-13", "--max-iter", "100000", "--quiet"].map(String::from));
    args
}

/// The largest relative distance of (coef, intercept) to the case's reference.
fn distance(case: &GroupLassoCase, coef: &[f64], intercept: f64) -> f64 {
    let scale = case.coef.iter().fold(1.0_f64, |a, v| a.max(v.abs()));
    coef.iter()
        .zip(&case.coef)
        .map(|(a, b)| (a - b).abs())
        .fold((intercept - case.intercept).abs(), f64::max)
        / scale
}

/// `fit` at the case's alpha (saving the model to `model` when given) and `path` from the
/// case's `alpha_max` to its alpha, with `--family family` and the case's options: checks
/// the path's `alpha_max` and both fits' distance to the reference (`<= 1e-6`); returns the
/// fit's JSON, the path's JSON and the larger distance.
fn fit_and_path(
    dir: &Path,
    case: &GroupLassoCase,
    csv: &Path,
    args: &[String],
    family: &str,
    model: Option<&Path>,
) -> (serde_json::Value, serde_json::Value, f64) {
    let j = dir.join(format!("{}.fit.json", case.name));
    let mut cmd = proxreg();
    cmd.args(["fit", "--family", family])
        .args(["--alpha", &format!("{}", case.alpha), "--data"])
        .arg(csv)
        .args(args)
        .arg("--json")
        .arg(&j);
    if let Some(m) = model {
        cmd.arg("--save-model").arg(m);
    }
    cmd.assert().success();
    let fit = read_json(&j)["fit"].clone();
    let intercept = fit["intercept"][0].as_f64().unwrap();
    let d_fit = distance(case, &floats(&fit["coef"]), intercept);
    assert!(d_fit <= 1e-6, "{}: fit |Δ| = {d_fit:.3e}", case.name);
    let j = dir.join(format!("{}.path.json", case.name));
    proxreg()
        .args(["path", "--family", family, "--alphas"])
        .arg(format!("{},{}", case.alpha_max, case.alpha))
        .arg("--data")
        .arg(csv)
        .args(args)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let v = read_json(&j);
    let amax = v["alpha_max"].as_f64().unwrap();
    assert!(
        (amax - case.alpha_max).abs() <= 1e-10 * case.alpha_max,
        "{}: alpha_max {amax} vs {}",
        case.name,
        case.alpha_max
    );
    let d_path = distance(
        case,
        &floats(&v["coefs"][1]),
        floats(&v["intercepts"][1])[0],
    );
    assert!(d_path <= 1e-6, "{}: path |Δ| = {d_path:.3e}", case.name);
    (fit, v, d_fit.max(d_path))
}

#[test]
fn least_squares_fixture_cases_through_the_binary() {
    let fx = load_group_lasso().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut worst = 0.0_f64;
    for case in fx
        .cases
        .iter()
        .filter(|c| c.family == GroupFamily::Gaussian)
    {
        let pb = fx.problem(case).unwrap();
        let p = pb.n_features;
        let csv = write_csv(dir.path(), &case.problem, &pb.x, &pb.y);
        let args = case_args(case, p, dir.path());

        // fit at the case's alpha, the path from alpha_max to it
        let (fit, v, d) = fit_and_path(dir.path(), case, &csv, &args, "gaussian", None);
        worst = worst.max(d);
        let cert = &fit["certificates"];
        assert_eq!(cert["status"], "Converged", "{}", case.name);
        // a duality gap for every case, the unpenalized group (weight 0, τ = 0) included: the
        // library projects its dual point off the free group's columns (see penalties.md)
        let g = cert["relative_gap"].as_f64();
        assert!(g.is_some_and(|g| g <= 1e-13), "{}: gap {g:?}", case.name);
        assert!(
            cert["kkt_violation"].as_f64().unwrap() <= 1e-10,
            "{}",
            case.name
        );
        let want: Vec<String> = labels(case, p);
        assert_eq!(fit["groups"], serde_json::json!(want), "{}", case.name);
        // groups are numbered by first appearance over the features: match them by label
        let names = fit["group_labels"].as_array().unwrap();
        for (w, name) in floats(&fit["group_weights"]).iter().zip(names) {
            let g: usize = name.as_str().unwrap()[1..].parse().unwrap();
            assert_eq!(*w, case.group_weights[g], "{}: weight of {name}", case.name);
        }
        assert_eq!(fit["tau"].as_f64().unwrap(), case.tau);
        // at alpha_max every penalized group is zero (an unpenalized group may not be)
        let first = floats(&v["coefs"][0]);
        for (g, members) in case.groups.iter().enumerate() {
            if case.group_weights[g] > 0.0 || case.tau > 0.0 {
                assert!(
                    members.iter().all(|&j| first[j] == 0.0),
                    "{}: group {g} at alpha_max",
                    case.name
                );
            }
        }
        n += 1;
    }
    assert_eq!(n, 9);
    eprintln!(
        "cli group lasso: 9 least-squares cases, max relative |Δ| (coef, intercept) = {worst:.2e}"
    );
}

#[test]
fn automatic_path_starts_all_zero_at_alpha_max() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("path.json");
    proxreg()
        .args([
            "path",
            "--penalty",
            "sparse-group-lasso",
            "--l1-ratio",
            "0.4",
            "--groups",
            "a,a,b,b,c,c,c,c,d,d",
            "--n-alphas",
            "6",
            "--json",
        ])
        .arg(&j)
        .assert()
        .success()
        .stdout(predicate::str::contains("sparse-group-lasso path"));
    let v = read_json(&j);
    let alphas = floats(&v["alphas"]);
    let amax = v["alpha_max"].as_f64().unwrap();
    assert_eq!(alphas[0], amax);
    assert_eq!(alphas, proxreg::solvers::alpha_grid(amax, 6, 1e-3).unwrap());
    assert!(floats(&v["coefs"][0]).iter().all(|&c| c == 0.0));
    assert!(v["nonzeros"][5].as_u64().unwrap() > 0);
    assert_eq!(v["penalty"], "sparse-group-lasso");
    assert_eq!(v["l1_ratio"].as_f64(), Some(0.4));
    assert_eq!(v["group_labels"], serde_json::json!(["a", "b", "c", "d"]));
    assert_eq!(
        floats(&v["group_weights"]),
        [2f64.sqrt(), 2f64.sqrt(), 2.0, 2f64.sqrt()]
    );
    for (i, gap) in v["duality_gaps"].as_array().unwrap().iter().enumerate() {
        assert!(gap.as_f64().is_some(), "point {i} has a duality gap");
    }
}

#[test]
fn saved_group_model_records_the_groups_and_predicts_like_a_linear_model() {
    let dir = tempfile::tempdir().unwrap();
    let (j, model) = (dir.path().join("fit.json"), dir.path().join("m.json"));
    proxreg()
        .args([
            "fit",
            "--penalty",
            "group-lasso",
            "--alpha",
            "2",
            "--groups",
            "a,a,b,b,c,c,c,c,d,d",
            "--group-weights",
            "a=0,c=3.5",
            "--json",
        ])
        .arg(&j)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .success()
        .stdout(predicate::str::contains("group a: weight 0.000000"))
        .stdout(predicate::str::contains("certificates: duality gap"));
    let fit = read_json(&j)["fit"].clone();
    let m = read_json(&model);
    assert_eq!(m["version"], 3);
    assert_eq!(m["estimator"], "group-lasso");
    assert_eq!(m["groups"], fit["groups"]);
    assert_eq!(
        floats(&m["group_weights"]),
        [0.0, 2f64.sqrt(), 3.5, 2f64.sqrt()]
    );
    let (coef, b) = (floats(&fit["coef"]), fit["intercept"][0].as_f64().unwrap());
    let out = proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let (x, _) = super::diabetes();
    for (i, line) in text.lines().skip(1).enumerate() {
        let want = b + (0..10).map(|j| x.col(j)[i] * coef[j]).sum::<f64>();
        let got: f64 = line.parse().unwrap();
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "row {i}");
    }
    // groups without their weights, or on a version-2 file, are refused
    let text = std::fs::read_to_string(&model).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, text.replace("\"version\": 3", "\"version\": 2")).unwrap();
    proxreg()
        .args(["predict", "--model"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "group lasso model is format version 3",
        ));
}

#[test]
fn bad_group_inputs_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let groups_file = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let all = "age,a\nsex,a\nbmi,b\nbp,b\ns1,c\ns2,c\ns3,c\ns4,c\ns5,d\ns6,d\n";
    let unknown = groups_file("unknown.txt", &format!("{all}height,a\n"));
    let missing = groups_file("missing.txt", "age,a\nsex,a\nbmi,b\n");
    let gl = ["fit", "--penalty", "group-lasso", "--alpha", "1"];
    let sgl = ["fit", "--penalty", "sparse-group-lasso", "--alpha", "1"];
    let g = "a,a,b,b,c,c,c,c,d,d";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            [&gl[..], &["--groups", "a,b"]].concat(),
            "--groups has 2 labels, the data has 10 features",
        ),
        (
            [&gl[..], &["--groups", "a,,b,b,c,c,c,c,d,d"]].concat(),
            "label 2 (feature sex) is empty",
        ),
        (
            [&gl[..], &["--groups", g, "--group-weights", "a=NaN"]].concat(),
            "the weight of group \"a\" is NaN",
        ),
        (
            [&gl[..], &["--groups", g, "--group-weights", "b=-1"]].concat(),
            "the weight of group \"b\" is -1",
        ),
        (
            [&gl[..], &["--groups", g, "--group-weights", "e=1"]].concat(),
            "no group is labelled \"e\"",
        ),
        (
            [&gl[..], &["--groups-file", &unknown]].concat(),
            "not feature columns of <embedded diabetes.csv>: height",
        ),
        (
            [&gl[..], &["--groups-file", &missing]].concat(),
            "missing: bp, s1, s2, s3, s4, s5, s6",
        ),
        (
            [&sgl[..], &["--groups", g, "--l1-ratio", "1.5"]].concat(),
            "must be in [0, 1], got 1.5",
        ),
        (
            [&sgl[..], &["--groups", g, "--l1-ratio", "NaN"]].concat(),
            "must be in [0, 1], got NaN",
        ),
        (
            [&gl[..], &["--groups", g, "--l1-ratio", "0.5"]].concat(),
            "--l1-ratio is τ of --penalty sparse-group-lasso",
        ),
        (gl.to_vec(), "needs the groups"),
        (
            vec!["fit", "--penalty", "lasso", "--groups", g],
            "apply to --penalty group-lasso or sparse-group-lasso",
        ),
        (
            [&gl[..], &["--groups", g, "--family", "multinomial"]].concat(),
            "for --family gaussian, binomial, poisson and huber, not multinomial",
        ),
        (
            vec![
                "cv",
                "--penalty",
                "group-lasso",
                "--groups",
                g,
                "--plain-folds",
            ],
            "--plain-folds applies to --family binomial and multinomial",
        ),
        (
            vec![
                "cv",
                "--penalty",
                "group-lasso",
                "--groups",
                g,
                "--measure",
                "auc",
            ],
            "--measure is for --family binomial",
        ),
        (
            [&gl[..], &["--groups", g, "--standardize"]].concat(),
            "not supported with group-lasso",
        ),
        (
            vec![
                "cv",
                "--penalty",
                "sparse-group-lasso",
                "--groups",
                g,
                "--l1-ratios",
                "0.2,0.5",
            ],
            "--l1-ratios applies to --penalty elastic-net",
        ),
    ];
    for (args, msg) in cases {
        proxreg()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(msg));
    }
}

/// `cv` with the group penalties is the library's `GroupLassoCv` on the same folds: the same
/// grid, curve and choice (lambda_min and lambda_1se), and the refit's coefficients, groups and
/// certificate in the JSON. (On a fixture's design: the raw diabetes columns make block CD
/// take more than 100 000 epochs to reach 1e-10 at the small alphas.)
#[test]
fn cv_equals_the_librarys_group_lasso_cv() {
    use proxreg::linalg::ColMajor;
    use proxreg::penalty::Groups;
    use proxreg::prelude::*;
    use proxreg::GroupLassoCv;
    let fx = load_group_lasso().unwrap();
    let case = fx
        .cases
        .iter()
        .find(|c| c.family == GroupFamily::Gaussian && c.tau == 0.0 && c.fit_intercept)
        .unwrap();
    let pb = fx.problem(case).unwrap();
    let (n, p) = (pb.x.len(), pb.n_features);
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), "cv", &pb.x, &pb.y);
    let x = ColMajor::from_fn(n, p, |i, j| pb.x[i][j]);
    let labels = labels(case, p);
    for (penalty, tau, select) in [
        ("group-lasso", 0.0, "min"),
        ("sparse-group-lasso", 0.3, "1se"),
    ] {
        let j = dir.path().join(format!("{penalty}.json"));
        let mut cmd = proxreg();
        cmd.args(["cv", "--penalty", penalty, "--groups", &labels.join(",")])
            .args([
                "--folds",
                "4",
                "--seed",
                "3",
                "--n-alphas",
                "25",
                "--tol",
                "1e-10",
            ])
            .args([
                "--max-iter",
                "100000",
                "--select",
                select,
                "--quiet",
                "--json",
            ])
            .arg(&j)
            .arg("--data")
            .arg(&csv);
        if tau > 0.0 {
            cmd.args(["--l1-ratio", &format!("{tau}")]);
        }
        cmd.assert().success();
        let v = read_json(&j);
        let cv = GroupLassoCv::params(Groups::from_labels(&labels).unwrap())
            .l1_ratio(tau)
            .n_alphas(25)
            .tol(1e-10)
            .cv(KFold::new(4).shuffle(Some(3)))
            .selection(if select == "min" {
                Selection::Min
            } else {
                Selection::OneStandardError
            })
            .fit(&x, &pb.y)
            .unwrap();
        assert_eq!(cv.n_not_converged(), 0, "{penalty}");
        assert_eq!(v["n_not_converged"].as_u64(), Some(0), "{penalty}");
        assert_eq!(v["method"], "GroupLassoCv");
        assert_eq!(floats(&v["alphas"]), cv.alphas());
        assert_eq!(floats(&v["mse_mean"]), cv.cv_mean());
        assert_eq!(v["alpha_min"].as_f64().unwrap(), cv.alpha_min());
        assert_eq!(v["alpha_1se"].as_f64().unwrap(), cv.alpha_1se());
        assert!(cv.alpha_1se() >= cv.alpha_min());
        assert_eq!(v["fit"]["alpha"].as_f64().unwrap(), cv.alpha());
        assert_eq!(floats(&v["fit"]["coef"]), cv.model().coef());
        assert_eq!(v["fit"]["groups"], serde_json::json!(labels));
        assert_eq!(v["tau"].as_f64(), Some(tau));
        let cert = &v["fit"]["certificates"];
        assert_eq!(cert["status"], "Converged", "{penalty}");
        assert!(cert["relative_gap"].as_f64().unwrap() <= 1e-10, "{penalty}");
        assert!(v["max_fold_relative_gap"].as_f64().unwrap() <= 1e-10);
    }
}

/// `cv --family binomial` with the group penalties is the library's `LogisticGroupLassoCv` on
/// the same folds (stratified by default, `--plain-folds`): the same grid, fold losses, curve,
/// measure and choice (lambda_min and lambda_1se), and the refit's coefficients, labels, groups
/// and certificates in the JSON, bitwise; the saved model predicts `σ(Xw + b)` of the refit. A
/// training fold with one class is exit code 2.
#[test]
fn binomial_cv_equals_the_librarys_logistic_group_lasso_cv() {
    use proxreg::linalg::ColMajor;
    use proxreg::penalty::Groups;
    use proxreg::prelude::*;
    use proxreg::{ClassMeasure, LogisticGroupLassoCv};
    let fx = load_group_lasso().unwrap();
    let case = fx
        .cases
        .iter()
        .find(|c| c.family == GroupFamily::Binomial && c.tau == 0.0)
        .unwrap();
    let pb = fx.problem(case).unwrap();
    let (n, p) = (pb.x.len(), pb.n_features);
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), "bcv", &pb.x, &pb.y);
    let x = ColMajor::from_fn(n, p, |i, j| pb.x[i][j]);
    let labels = labels(case, p);
    let cases = [
        ("group-lasso", 0.0, "min", None, false),
        (
            "group-lasso",
            0.0,
            "1se",
            Some(("auc", ClassMeasure::Auc)),
            true,
        ),
        (
            "sparse-group-lasso",
            0.3,
            "min",
            Some(("misclassification", ClassMeasure::Misclassification)),
            false,
        ),
        ("sparse-group-lasso", 0.3, "1se", None, false),
    ];
    for (penalty, tau, select, measure, plain) in cases {
        let name = format!("{penalty} {select} {measure:?} plain={plain}");
        let j = dir.path().join("bcv.json");
        let model = dir.path().join("bcv.model.json");
        let mut cmd = proxreg();
        cmd.args(["cv", "--family", "binomial", "--penalty", penalty])
            .args(["--groups", &labels.join(","), "--folds", "4", "--seed", "3"])
            .args(["--n-alphas", "15", "--eps", "0.005", "--tol", "1e-10"])
            .args(["--select", select])
            .args(["--quiet", "--json"])
            .arg(&j)
            .arg("--save-model")
            .arg(&model)
            .arg("--data")
            .arg(&csv);
        if tau > 0.0 {
            cmd.args(["--l1-ratio", &format!("{tau}")]);
        }
        if let Some((m, _)) = measure {
            cmd.args(["--measure", m]);
        }
        if plain {
            cmd.arg("--plain-folds");
        }
        cmd.assert().success();
        let v = read_json(&j);
        let folds = KFold::new(4).shuffle(Some(3));
        let b = LogisticGroupLassoCv::params(Groups::from_labels(&labels).unwrap())
            .l1_ratio(tau)
            .n_alphas(15)
            .eps(0.005)
            .tol(1e-10)
            .measure(measure.map_or(ClassMeasure::Deviance, |m| m.1))
            .selection(if select == "min" {
                Selection::Min
            } else {
                Selection::OneStandardError
            });
        let b = if plain {
            b.cv(folds)
        } else {
            b.stratified(StratifiedKFold::from(folds))
        };
        let cv = b.fit(&x, &pb.y).unwrap();
        assert_eq!(v["method"], "LogisticGroupLassoCv", "{name}");
        assert_eq!(v["family"], "binomial", "{name}");
        let want_measure = match cv.measure() {
            ClassMeasure::Auc => "1 - AUC".to_string(),
            m => m.name().to_string(),
        };
        assert_eq!(v["measure"], want_measure.as_str(), "{name}");
        assert_eq!(floats(&v["alphas"]), cv.alphas(), "{name}");
        assert_eq!(v["mse_path"], serde_json::json!(cv.cv_errors()), "{name}");
        assert_eq!(floats(&v["mse_mean"]), cv.cv_mean(), "{name}");
        assert_eq!(floats(&v["mse_std_err"]), cv.cv_std_err(), "{name}");
        assert_eq!(v["alpha_min"].as_f64().unwrap(), cv.alpha_min(), "{name}");
        assert_eq!(v["alpha_1se"].as_f64().unwrap(), cv.alpha_1se(), "{name}");
        assert!(cv.alpha_1se() >= cv.alpha_min());
        assert_eq!(v["fit"]["alpha"].as_f64().unwrap(), cv.alpha(), "{name}");
        let (coef, b0) = (floats(&v["fit"]["coef"]), v["fit"]["intercept"][0].as_f64());
        assert_eq!(coef, cv.model().coef(), "{name}");
        assert_eq!(b0, Some(cv.model().intercept()), "{name}");
        assert_eq!(floats(&v["fit"]["classes"]), cv.classes(), "{name}");
        assert_eq!(v["fit"]["groups"], serde_json::json!(labels));
        assert_eq!(v["tau"].as_f64(), Some(tau));
        assert_eq!(
            v["n_not_converged"].as_u64(),
            Some(cv.n_not_converged() as u64)
        );
        assert_eq!(
            v["max_fold_relative_gap"].as_f64(),
            cv.max_relative_gap(),
            "{name}"
        );
        assert!(cv.max_relative_gap().unwrap() <= 1e-10, "{name}");
        assert_eq!(v["fit"]["certificates"]["status"], "Converged", "{name}");
        // the saved refit predicts the library model's probabilities and labels
        let pj = dir.path().join("bcv.pred.json");
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
        let lib = cv.model().predict_proba(&x).unwrap();
        let d = proba
            .iter()
            .zip(&lib)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(d <= 1e-12, "{name}: predict |Δ| = {d:e}");
        assert_eq!(floats(&pred["labels"]), cv.model().predict(&x).unwrap());
    }
    // rows sorted by label, two contiguous folds: each training set holds one class
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| pb.y[a].partial_cmp(&pb.y[b]).unwrap());
    let xs: Vec<Vec<f64>> = order.iter().map(|&i| pb.x[i].clone()).collect();
    let ys: Vec<f64> = order.iter().map(|&i| pb.y[i]).collect();
    let sorted = write_csv(dir.path(), "sorted", &xs, &ys);
    proxreg()
        .args(["cv", "--family", "binomial", "--penalty", "group-lasso"])
        .args([
            "--groups",
            &labels.join(","),
            "--folds",
            "2",
            "--plain-folds",
        ])
        .arg("--data")
        .arg(&sorted)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("its training rows hold no sample"));
}

/// Every logistic skglm case through the binary with `--family binomial`: `fit` at the case's
/// alpha and `path` from `alpha_max` to it (coefficients and intercept to
/// `1e-6·max(1, ‖w‖∞)`, as the library's test), the labels and certificates in the JSON, and
/// `predict` with the saved model writing `σ(Xw + b)` of the fit.
#[test]
fn logistic_fixture_cases_through_the_binary() {
    let fx = load_group_lasso().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut worst = 0.0_f64;
    for case in fx
        .cases
        .iter()
        .filter(|c| c.family == GroupFamily::Binomial)
    {
        let pb = fx.problem(case).unwrap();
        let p = pb.n_features;
        let csv = write_csv(dir.path(), &case.problem, &pb.x, &pb.y);
        let args = case_args(case, p, dir.path());
        let model = dir.path().join(format!("{}.model.json", case.name));
        let (fit, v, d) = fit_and_path(dir.path(), case, &csv, &args, "binomial", Some(&model));
        worst = worst.max(d);
        let (coef, b) = (floats(&fit["coef"]), fit["intercept"][0].as_f64().unwrap());
        assert_eq!(fit["family"], "binomial", "{}", case.name);
        assert_eq!(floats(&fit["classes"]), [0.0, 1.0]);
        assert_eq!(fit["groups"], serde_json::json!(labels(case, p)));
        let cert = &fit["certificates"];
        assert_eq!(cert["status"], "Converged", "{}", case.name);
        assert!(cert["relative_gap"].as_f64().is_some_and(|g| g <= 1e-10));
        assert!(floats(&v["coefs"][0]).iter().all(|&c| c == 0.0));
        assert_eq!(floats(&v["classes"]), [0.0, 1.0]);

        // the saved model predicts probabilities of the second label, as the binomial route
        let m = read_json(&model);
        assert_eq!(
            (m["version"].as_u64(), m["family"].as_str()),
            (Some(3), Some("binomial"))
        );
        let pj = dir.path().join(format!("{}.pred.json", case.name));
        proxreg()
            .args(["predict", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&pj)
            .assert()
            .success()
            .stdout(predicate::str::starts_with("y_probability_1,y\n"));
        let pred = read_json(&pj);
        let proba = floats(&pred["probabilities"]);
        let labels_out = floats(&pred["labels"]);
        assert_eq!(proba.len(), pb.x.len());
        for (i, row) in pb.x.iter().enumerate() {
            let eta = b + row.iter().zip(&coef).map(|(x, w)| x * w).sum::<f64>();
            let want = 1.0 / (1.0 + (-eta).exp());
            assert!((proba[i] - want).abs() <= 1e-12, "{} row {i}", case.name);
            assert_eq!(labels_out[i], if eta > 0.0 { 1.0 } else { 0.0 });
        }
        n += 1;
    }
    assert_eq!(n, 3);
    eprintln!(
        "cli logistic group lasso: 3 cases, max relative |Δ| (coef, intercept) = {worst:.2e}"
    );
}

/// Every Poisson and Huber fixture case (skglm 0.5 references) through `fit` and `path` with
/// `--family poisson|huber` (Huber's δ by `--huber-delta`): coefficients, intercept and
/// alpha_max; the JSON records the family (and δ); a saved Poisson model predicts the
/// expected counts `e^{Xw + b}`, a Huber one `Xw + b`; `cv` is refused with a message.
#[test]
fn poisson_and_huber_fixture_cases_through_the_binary() {
    let fx = load_group_lasso().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut worst = 0.0_f64;
    for case in fx
        .cases
        .iter()
        .filter(|c| matches!(c.family, GroupFamily::Poisson | GroupFamily::Huber))
    {
        let pb = fx.problem(case).unwrap();
        let p = pb.n_features;
        let csv = write_csv(dir.path(), &case.problem, &pb.x, &pb.y);
        let mut args = case_args(case, p, dir.path());
        let family = if case.family == GroupFamily::Poisson {
            "poisson"
        } else {
            args.push("--huber-delta".into());
            args.push(format!("{}", case.delta.unwrap()));
            "huber"
        };
        let model = dir.path().join(format!("{}.model.json", case.name));
        let (fit, v, d) = fit_and_path(dir.path(), case, &csv, &args, family, Some(&model));
        worst = worst.max(d);
        assert_eq!(fit["family"], family, "{}", case.name);
        if family == "huber" {
            assert_eq!(fit["delta"].as_f64(), case.delta, "{}", case.name);
        }
        assert_eq!(fit["groups"], serde_json::json!(labels(case, p)));
        let cert = &fit["certificates"];
        assert_eq!(cert["status"], "Converged", "{}", case.name);
        assert!(cert["relative_gap"].as_f64().is_some_and(|g| g <= 1e-10));
        assert!(floats(&v["coefs"][0]).iter().all(|&c| c == 0.0));

        let (coef, b) = (floats(&fit["coef"]), fit["intercept"][0].as_f64().unwrap());
        let pj = dir.path().join(format!("{}.pred.json", case.name));
        proxreg()
            .args(["predict", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&pj)
            .assert()
            .success();
        let pred = floats(&read_json(&pj)["predictions"][0]);
        for (i, row) in pb.x.iter().enumerate() {
            let eta = b + row.iter().zip(&coef).map(|(x, w)| x * w).sum::<f64>();
            let want = if family == "poisson" { eta.exp() } else { eta };
            assert!(
                (pred[i] - want).abs() <= 1e-12 * want.abs().max(1.0),
                "{} row {i}: {} vs {want}",
                case.name,
                pred[i]
            );
        }
        n += 1;
    }
    assert_eq!(n, 7);
    eprintln!("cli poisson / huber group lasso: 7 cases, max relative |Δ| = {worst:.2e}");
}

/// `cv --weights COL` with the group penalties, for the four families (`--family poisson` /
/// `huber` through `PoissonGroupLassoCv` / `HuberGroupLassoCv`, `--measure`, `--huber-delta`):
/// bitwise the library's cross-validation with the same folds and weights (grid, curve,
/// choice, refit).
#[test]
fn weighted_cv_of_every_group_family_equals_the_library() {
    use proxreg::linalg::ColMajor;
    use proxreg::penalty::Groups;
    use proxreg::prelude::*;
    use proxreg::{
        GroupLassoCv, HuberGroupLassoCv, LogisticGroupLassoCv, PoissonGroupLassoCv,
        RegressionMeasure,
    };
    let fx = load_group_lasso().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, family, measure) in [
        ("gl_small_0.1", "gaussian", None),
        ("gl_binary_0.05", "binomial", None),
        ("gl_counts_0.4", "poisson", Some("mse")),
        ("gl_robust_0.4", "huber", None),
    ] {
        let case = fx.case(name).unwrap();
        let pb = fx.problem(case).unwrap();
        let (n, p) = (pb.x.len(), pb.n_features);
        let w: Vec<f64> = (0..n).map(|i| [1.0, 3.0, 0.0, 2.0][i % 4]).collect();
        let mut text = (0..p)
            .map(|j| format!("x{j}"))
            .collect::<Vec<_>>()
            .join(",")
            + ",y,w\n";
        for ((row, yi), wi) in pb.x.iter().zip(&pb.y).zip(&w) {
            let cells: Vec<String> = row.iter().chain([yi, wi]).map(|v| format!("{v}")).collect();
            text += &(cells.join(",") + "\n");
        }
        let csv = dir.path().join(format!("{name}-w.csv"));
        std::fs::write(&csv, text).unwrap();
        let labels = labels(case, p);
        let feats: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
        let j = dir.path().join(format!("{name}-cv.json"));
        let mut cmd = proxreg();
        cmd.args(["cv", "--family", family, "--penalty", "group-lasso"])
            .args(["--groups", &labels.join(","), "--folds", "3", "--seed", "2"])
            .args(["--n-alphas", "8", "--tol", "1e-10", "--quiet", "--json"])
            .arg(&j)
            .args([
                "--target",
                "y",
                "--weights",
                "w",
                "--features",
                &feats.join(","),
            ])
            .arg("--data")
            .arg(&csv);
        if family == "binomial" {
            cmd.arg("--plain-folds");
        }
        if family == "huber" {
            cmd.args(["--huber-delta", &format!("{}", case.delta.unwrap())]);
        }
        if let Some(m) = measure {
            cmd.args(["--measure", m]);
        }
        cmd.assert().success();
        let v = read_json(&j);
        let x = ColMajor::from_fn(n, p, |i, j| pb.x[i][j]);
        let groups = Groups::from_labels(&labels).unwrap();
        let folds = KFold::new(3).shuffle(Some(2));
        let (alphas, mean, coef, method): (Vec<f64>, Vec<f64>, Vec<f64>, &str) = match family {
            "gaussian" => {
                let cv = GroupLassoCv::params(groups)
                    .n_alphas(8)
                    .eps(1e-3)
                    .tol(1e-10)
                    .cv(folds);
                let cv = cv.fit_weighted(&x, &pb.y, &w).unwrap();
                (
                    cv.alphas().to_vec(),
                    cv.cv_mean().to_vec(),
                    cv.model().coef().to_vec(),
                    "GroupLassoCv",
                )
            }
            "binomial" => {
                let cv = LogisticGroupLassoCv::params(groups)
                    .n_alphas(8)
                    .eps(1e-3)
                    .tol(1e-10)
                    .cv(folds);
                let cv = cv.fit_weighted(&x, &pb.y, &w).unwrap();
                (
                    cv.alphas().to_vec(),
                    cv.cv_mean().to_vec(),
                    cv.model().coef().to_vec(),
                    "LogisticGroupLassoCv",
                )
            }
            "poisson" => {
                let cv = PoissonGroupLassoCv::params(groups)
                    .n_alphas(8)
                    .eps(1e-3)
                    .tol(1e-10)
                    .cv(folds)
                    .measure(RegressionMeasure::MeanSquaredError);
                let cv = cv.fit_weighted(&x, &pb.y, &w).unwrap();
                assert_eq!(v["measure"], "mse");
                (
                    cv.alphas().to_vec(),
                    cv.cv_mean().to_vec(),
                    cv.model().coef().to_vec(),
                    "PoissonGroupLassoCv",
                )
            }
            _ => {
                let cv = HuberGroupLassoCv::params(groups)
                    .delta(case.delta.unwrap())
                    .n_alphas(8)
                    .eps(1e-3)
                    .tol(1e-10)
                    .cv(folds);
                let cv = cv.fit_weighted(&x, &pb.y, &w).unwrap();
                assert_eq!(v["measure"], "deviance");
                (
                    cv.alphas().to_vec(),
                    cv.cv_mean().to_vec(),
                    cv.model().coef().to_vec(),
                    "HuberGroupLassoCv",
                )
            }
        };
        assert_eq!(v["method"], method, "{name}");
        assert_eq!(floats(&v["alphas"]), alphas, "{name}");
        assert_eq!(floats(&v["mse_mean"]), mean, "{name}");
        assert_eq!(floats(&v["fit"]["coef"]), coef, "{name}");
        assert_eq!(v["fit"]["certificates"]["status"], "Converged", "{name}");
        if matches!(family, "poisson" | "huber") {
            assert_eq!(v["fit"]["family"], family, "{name}");
        }
    }
}

/// Without `--max-iter` a group fit gets the estimator's own limit (100 000 epochs), not the
/// command line's 10 000: a fit that needs about 60 000 epochs converges, bitwise the library's
/// fit with its defaults, and `--max-iter 10000` stops it there.
#[test]
fn group_fits_use_the_estimators_default_max_iter() {
    use proxreg::penalty::Groups;
    use proxreg::GroupLasso;
    let dir = tempfile::tempdir().unwrap();
    let g = "a,a,b,b,c,c,c,c,d,d";
    let run = |extra: &[&str]| {
        let j = dir.path().join("fit.json");
        proxreg()
            .args(["fit", "--penalty", "group-lasso", "--groups", g])
            .args(["--alpha", "1", "--tol", "1e-8", "--quiet", "--json"])
            .arg(&j)
            .args(extra)
            .assert()
            .success();
        read_json(&j)["fit"].clone()
    };
    let (x, y) = super::diabetes();
    let labels: Vec<&str> = g.split(',').collect();
    let lib = GroupLasso::params(Groups::from_labels(&labels).unwrap())
        .alpha(1.0)
        .tol(1e-8)
        .fit(&x, &y)
        .unwrap();
    let fit = run(&[]);
    let cert = &fit["certificates"];
    let n_iter = cert["n_iter"].as_u64().unwrap() as usize;
    assert_eq!(cert["status"], "Converged");
    assert!(n_iter > proxreg_cli_default_max_iter(), "{n_iter} epochs");
    assert_eq!(n_iter, lib.report().n_iter);
    assert_eq!(floats(&fit["coef"]), lib.coef());
    let capped = run(&["--max-iter", "10000"]);
    assert_eq!(capped["certificates"]["status"], "MaxIterReached");
    assert_eq!(capped["certificates"]["n_iter"].as_u64(), Some(10_000));
}

/// The command line's default `--max-iter` for the other penalties (its `--help` says so).
fn proxreg_cli_default_max_iter() -> usize {
    let out = proxreg().args(["fit", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Default 10 000"), "{help}");
    10_000
}

/// `--weights` with the group penalties (`fit` and `path`, least squares and `--family
/// binomial`): integer weights, zeros included, give the fit of the CSV with each row repeated
/// that many times, through the binary both ways; `cv --weights` is refused (above).
#[test]
fn weighted_group_fits_equal_repeated_rows() {
    let fx = load_group_lasso().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for family in [GroupFamily::Gaussian, GroupFamily::Binomial] {
        let case = fx
            .cases
            .iter()
            .find(|c| c.family == family && c.fit_intercept)
            .unwrap();
        let pb = fx.problem(case).unwrap();
        let p = pb.n_features;
        let reps: Vec<usize> = (0..pb.x.len()).map(|i| [1, 3, 0, 2][i % 4]).collect();
        // the weighted CSV: x0.., y, w
        let mut text = (0..p)
            .map(|j| format!("x{j}"))
            .collect::<Vec<_>>()
            .join(",")
            + ",y,w\n";
        for ((row, yi), r) in pb.x.iter().zip(&pb.y).zip(&reps) {
            let cells: Vec<String> = row.iter().chain([yi]).map(|v| format!("{v}")).collect();
            text += &format!("{},{r}\n", cells.join(","));
        }
        let weighted = dir.path().join(format!("{}-w.csv", case.name));
        std::fs::write(&weighted, text).unwrap();
        let (xr, yr): (Vec<Vec<f64>>, Vec<f64>) =
            pb.x.iter()
                .zip(&pb.y)
                .zip(&reps)
                .flat_map(|((row, &yi), &r)| std::iter::repeat_n((row.clone(), yi), r))
                .unzip();
        let repeated = write_csv(dir.path(), &format!("{}-r", case.name), &xr, &yr);
        let fam = if family == GroupFamily::Binomial {
            "binomial"
        } else {
            "gaussian"
        };
        let args = case_args(case, p, dir.path());
        let run = |cmd: &str, csv: &Path, weights: bool, tag: &str| {
            let j = dir.path().join(format!("{}-{cmd}-{tag}.json", case.name));
            let mut c = proxreg();
            c.args([cmd, "--family", fam, "--data"])
                .arg(csv)
                .args(&args);
            if cmd == "fit" {
                c.args(["--alpha", &format!("{}", case.alpha)]);
            } else {
                c.args(["--n-alphas", "5"]);
            }
            if weights {
                let feats: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
                c.args([
                    "--target",
                    "y",
                    "--weights",
                    "w",
                    "--features",
                    &feats.join(","),
                ]);
            }
            c.arg("--json").arg(&j).assert().success();
            read_json(&j)
        };
        let (fw, fr) = (
            run("fit", &weighted, true, "w")["fit"].clone(),
            run("fit", &repeated, false, "r")["fit"].clone(),
        );
        assert_eq!(fw["certificates"]["status"], "Converged", "{}", case.name);
        let (cw, cr) = (floats(&fw["coef"]), floats(&fr["coef"]));
        assert_eq!(cw.len(), p);
        assert!(cw.iter().any(|&v| v != 0.0), "{}", case.name);
        let d = cw
            .iter()
            .zip(&cr)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0_f64, f64::max)
            .max((floats(&fw["intercept"])[0] - floats(&fr["intercept"])[0]).abs());
        assert!(d <= 1e-8, "{} fit: |Δ| = {d:.2e}", case.name);
        let (pw, pr) = (
            run("path", &weighted, true, "w"),
            run("path", &repeated, false, "r"),
        );
        let (aw, ar) = (
            pw["alpha_max"].as_f64().unwrap(),
            pr["alpha_max"].as_f64().unwrap(),
        );
        assert!(
            (aw - ar).abs() <= 1e-10 * ar,
            "{}: alpha_max {aw} vs {ar}",
            case.name
        );
        for k in 0..5 {
            let d = floats(&pw["coefs"][k])
                .iter()
                .zip(floats(&pr["coefs"][k]))
                .map(|(a, b)| (a - b).abs())
                .fold(0.0_f64, f64::max);
            assert!(d <= 1e-8, "{} path point {k}: |Δ| = {d:.2e}", case.name);
        }
    }
}

/// `--family poisson --offset COL` with a group penalty: singleton groups of weight 1 are the
/// Poisson lasso, so `fit` reproduces the glum reference with an offset (1e-6), `path`'s
/// `alpha_max` too; the JSON and the saved model record the offset column, and `predict
/// --offset` writes `e^{Xw + b + o}`; `cv` with an offset is refused with a message.
#[test]
fn poisson_group_lasso_with_an_offset_reproduces_glum() {
    use proxreg_fixtures::glm_family::load_glm_family;
    let fx = load_glm_family("poisson_glum").unwrap();
    let case = fx.case("lasso_offset_rel0.1").unwrap();
    let pb = &fx.problem;
    let p = pb.n_features;
    let dir = tempfile::tempdir().unwrap();
    let csv = super::families::poisson_csv(dir.path(), "counts.csv", None);
    let feats: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
    let labels: Vec<String> = (0..p).map(|j| format!("g{j}")).collect();
    let weights: Vec<String> = labels.iter().map(|l| format!("{l}=1")).collect();
    let common = |cmd: &str| {
        let mut c = proxreg();
        c.args([
            cmd,
            "--family",
            "poisson",
            "--penalty",
            "group-lasso",
            "--offset",
            "off",
        ])
        .args(["--target", "y", "--features", &feats.join(",")])
        .args([
            "--groups",
            &labels.join(","),
            "--group-weights",
            &weights.join(","),
        ])
        .args(["--tol", "1e-13", "--quiet", "--data"])
        .arg(&csv);
        c
    };
    let j = dir.path().join("fit.json");
    let model = dir.path().join("m.json");
    common("fit")
        .args(["--alpha", &format!("{:?}", case.alpha), "--json"])
        .arg(&j)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .success();
    let fit = read_json(&j)["fit"].clone();
    let (coef, b) = (floats(&fit["coef"]), fit["intercept"][0].as_f64().unwrap());
    let scale = case.coef.iter().fold(1.0_f64, |a, v| a.max(v.abs()));
    let d = coef
        .iter()
        .zip(&case.coef)
        .map(|(u, v)| (u - v).abs())
        .fold((b - case.intercept).abs(), f64::max)
        / scale;
    assert!(d <= 1e-6, "{d:e}");
    assert_eq!(fit["offset"], "off");
    let j = dir.path().join("path.json");
    common("path")
        .args(["--n-alphas", "3", "--json"])
        .arg(&j)
        .assert()
        .success();
    let amax = read_json(&j)["alpha_max"].as_f64().unwrap();
    assert!((amax - case.alpha_max).abs() <= 1e-9 * case.alpha_max);
    let pj = dir.path().join("pred.json");
    proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .args(["--offset", "off", "--json"])
        .arg(&pj)
        .arg("--data")
        .arg(&csv)
        .assert()
        .success();
    let pred = floats(&read_json(&pj)["predictions"][0]);
    let off = case.offset.as_ref().unwrap();
    for (i, row) in pb.x.iter().enumerate() {
        let eta = b + off[i] + row.iter().zip(&coef).map(|(x, w)| x * w).sum::<f64>();
        assert!(
            (pred[i] - eta.exp()).abs() <= 1e-12 * eta.exp().max(1.0),
            "row {i}"
        );
    }
    common("cv")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("takes no --offset / --exposure"));
}
