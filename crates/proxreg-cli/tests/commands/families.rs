//! `proxreg fit / path / cv / predict --family poisson|huber` (issue #21, CLI part) against the
//! glum 3.4.1 / skglm 0.5 references (`tests/fixtures/poisson_glum.json`, `poisson_skglm.json`,
//! `huber_skglm.json`, loaded by `proxreg_fixtures::glm_family`): each case's data are written
//! as a CSV (features `x0..`, the offset `off`, the exposure `expo`, the weights `w`, the target
//! `y`), the binary is run on it and the coefficients it writes are compared with the
//! reference's; `cv` and `predict` are compared with the library on the same data; every bad
//! input is a typed error (exit code 2, a message naming the problem, no panic).

use super::{floats, proxreg, read_json};
use predicates::prelude::*;
use proxreg::prelude::*;
use proxreg::{HuberRegression, PoissonRegression, PoissonRegressionCv, RegressionMeasure};
use proxreg_fixtures::glm_family::{
    load_glm_family, GlmFamily, GlmFamilyCase, GlmFamilyFixture, GlmPenalty, GLM_FAMILY_FILES,
};
use std::path::{Path, PathBuf};

/// `max(max_j |a_j − b_j|, |a_b − b_b|) ≤ 1e-7·max(1, ‖b‖∞)` (the library reproduces the
/// references to 1.5e-12; the binary runs the library at `--tol 1e-12`).
fn assert_close_to_reference(what: &str, coef: &[f64], b: f64, case: &GlmFamilyCase) {
    assert_eq!(coef.len(), case.coef.len(), "{what}");
    let scale = case.coef.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let d = coef
        .iter()
        .zip(&case.coef)
        .map(|(a, r)| (a - r).abs())
        .fold((b - case.intercept).abs(), f64::max);
    assert!(d <= 1e-7 * scale, "{what}: {d:e} from the reference");
}

/// The feature names `x0..x{p-1}`, comma-separated (for `--features`).
fn feature_list(p: usize) -> String {
    (0..p)
        .map(|j| format!("x{j}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Writes the fixture's data as CSV: `x0..x{p-1}`, `off` (the case's offset, or 0), `expo`
/// (the problem's exposure, or 1), `w` (the case's weights, or 1), `y`; `y_override` replaces
/// the target.
fn write_csv(
    fx: &GlmFamilyFixture,
    case: Option<&GlmFamilyCase>,
    path: &Path,
    y_override: Option<&[f64]>,
) {
    let pb = &fx.problem;
    let mut s: String = (0..pb.n_features).map(|j| format!("x{j},")).collect();
    s += "off,expo,w,y\n";
    for (i, row) in pb.x.iter().enumerate() {
        for v in row {
            s += &format!("{v:?},");
        }
        let off = case.and_then(|c| c.offset.as_ref()).map_or(0.0, |o| o[i]);
        let expo = pb.exposure.as_ref().map_or(1.0, |e| e[i]);
        let w = case
            .and_then(|c| c.sample_weight.as_ref())
            .map_or(1.0, |w| w[i]);
        let y = y_override.map_or(pb.y[i], |o| o[i]);
        s += &format!("{off:?},{expo:?},{w:?},{y:?}\n");
    }
    std::fs::write(path, s).unwrap();
}

/// The family's name on the command line.
fn family_name(f: GlmFamily) -> &'static str {
    match f {
        GlmFamily::Poisson => "poisson",
        GlmFamily::Huber => "huber",
    }
}

/// The model options of a case (family, penalty, δ, intercept, scaling, weights, offset).
fn case_args(case: &GlmFamilyCase) -> Vec<String> {
    let mut v: Vec<String> = vec!["--family".into(), family_name(case.family).into()];
    if case.penalty == GlmPenalty::Enet {
        v.extend([
            "--penalty".into(),
            "elastic-net".into(),
            "--l1-ratio".into(),
            format!("{:?}", case.l1_ratio),
        ]);
    }
    if let Some(d) = case.delta {
        v.extend(["--huber-delta".into(), format!("{d:?}")]);
    }
    if !case.fit_intercept {
        v.push("--no-intercept".into());
    }
    if case.standardize {
        v.push("--standardize".into());
    }
    if case.sample_weight.is_some() {
        v.extend(["--weights".into(), "w".into()]);
    }
    if case.offset.is_some() {
        v.extend(["--offset".into(), "off".into()]);
    }
    v
}

/// The fixture's design (column-major) and its log exposure.
fn design(fx: &GlmFamilyFixture) -> ColMajor<f64> {
    let pb = &fx.problem;
    ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap()
}

#[test]
fn fit_reproduces_every_fixture_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut n_cases = 0;
    for &file in GLM_FAMILY_FILES {
        let fx = load_glm_family(file).unwrap();
        let p = fx.problem.n_features;
        for case in &fx.cases {
            let what = format!("{file}/{}", case.name);
            let csv = dir.path().join(format!("{file}_{}.csv", case.name));
            write_csv(&fx, Some(case), &csv, None);
            let j = dir.path().join(format!("{file}_{}.json", case.name));
            proxreg()
                .args(["fit", "--target", "y", "--tol", "1e-12"])
                .args(["--features", &feature_list(p)])
                .args(["--alpha", &format!("{:?}", case.alpha)])
                .args(case_args(case))
                .arg("--data")
                .arg(&csv)
                .arg("--json")
                .arg(&j)
                .assert()
                .success()
                .stdout(predicate::str::starts_with(format!(
                    "{} ",
                    family_name(case.family)
                )))
                .stdout(predicate::str::contains("certificates: duality gap"));
            let fit = &read_json(&j)["fit"];
            assert_eq!(fit["family"], family_name(case.family), "{what}");
            match case.family {
                GlmFamily::Poisson => {
                    assert_eq!(fit["link"], "log", "{what}");
                    let want = if case.offset.is_some() {
                        serde_json::json!("off")
                    } else {
                        serde_json::Value::Null
                    };
                    assert_eq!(fit["offset"], want, "{what}");
                }
                GlmFamily::Huber => {
                    assert_eq!(fit["delta"].as_f64(), case.delta, "{what}");
                }
            }
            let coef = floats(&fit["coef"]);
            let b = floats(&fit["intercept"])[0];
            assert_close_to_reference(&what, &coef, b, case);
            n_cases += 1;
        }
    }
    assert_eq!(n_cases, 22);
}

#[test]
fn path_starts_at_alpha_max_and_passes_through_the_references() {
    let dir = tempfile::tempdir().unwrap();
    for (file, names) in [
        (
            "poisson_skglm",
            ["lasso_rel0.5", "lasso_rel0.1", "lasso_rel0.01"],
        ),
        (
            "huber_skglm",
            [
                "d1.35_lasso_rel0.5",
                "d1.35_lasso_rel0.1",
                "d1.35_lasso_rel0.01",
            ],
        ),
    ] {
        let fx = load_glm_family(file).unwrap();
        let p = fx.problem.n_features;
        let cases: Vec<&GlmFamilyCase> = names.iter().map(|n| fx.case(n).unwrap()).collect();
        let csv = dir.path().join(format!("{file}.csv"));
        write_csv(&fx, None, &csv, None);
        // the reference alphas, in decreasing order
        let alphas: Vec<String> = cases.iter().map(|c| format!("{:?}", c.alpha)).collect();
        let j = dir.path().join(format!("{file}_given.json"));
        proxreg()
            .args(["path", "--target", "y", "--tol", "1e-12"])
            .args(["--features", &feature_list(p)])
            .args(["--alphas", &alphas.join(",")])
            .args(case_args(cases[0]))
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&j)
            .assert()
            .success();
        let out = read_json(&j);
        assert_eq!(out["family"], family_name(cases[0].family));
        for (k, case) in cases.iter().enumerate() {
            let coef = floats(&out["coefs"][k]);
            let b = floats(&out["intercepts"][k])[0];
            assert_close_to_reference(&format!("{file} path {k}"), &coef, b, case);
        }
        // the automatic grid starts at the family's alpha_max with every coefficient zero
        let j = dir.path().join(format!("{file}_grid.json"));
        proxreg()
            .args(["path", "--target", "y", "--tol", "1e-10", "--n-alphas", "5"])
            .args(["--features", &feature_list(p)])
            .args(case_args(cases[0]))
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&j)
            .assert()
            .success();
        let out = read_json(&j);
        let a0 = floats(&out["alphas"])[0];
        let amax = cases[0].alpha_max;
        assert!((a0 - amax).abs() <= 1e-10 * amax, "{file}: {a0} vs {amax}");
        assert!(floats(&out["coefs"][0]).iter().all(|&v| v == 0.0));
        assert!(floats(&out["coefs"][4]).iter().any(|&v| v != 0.0));
    }
}

#[test]
fn poisson_cv_with_offset_reports_lambda_min_and_1se_as_the_library() {
    let fx = load_glm_family("poisson_glum").unwrap();
    let case = fx.case("lasso_offset_rel0.1").unwrap();
    let offset = case.offset.clone().unwrap();
    let p = fx.problem.n_features;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("counts.csv");
    write_csv(&fx, Some(case), &csv, None);
    let j = dir.path().join("cv.json");
    proxreg()
        .args([
            "cv", "--family", "poisson", "--offset", "off", "--target", "y",
        ])
        .args(["--features", &feature_list(p)])
        .args(["--measure", "deviance", "--n-alphas", "20", "--eps", "0.01"])
        .args(["--tol", "1e-10", "--folds", "5"])
        .arg("--data")
        .arg(&csv)
        .arg("--json")
        .arg(&j)
        .assert()
        .success()
        .stdout(predicate::str::contains("poisson lasso cross-validation"))
        .stdout(predicate::str::contains("lambda_min ="))
        .stdout(predicate::str::contains("lambda_1se ="))
        .stdout(predicate::str::contains("mean deviance"));
    let out = read_json(&j);
    assert_eq!(out["family"], "poisson");
    assert_eq!(out["measure"], "deviance");
    assert_eq!(out["method"], "PoissonRegressionCv");
    assert_eq!(out["offset"], "off");

    let lib = PoissonRegressionCv::params()
        .n_alphas(20)
        .eps(0.01)
        .tol(1e-10)
        .cv(KFold::new(5))
        .measure(RegressionMeasure::Deviance)
        .selection(Selection::Min)
        .fit_offset(&design(&fx), &fx.problem.y, None, Some(&offset))
        .unwrap();
    let alphas = floats(&out["alphas"]);
    assert_eq!(alphas.len(), 20);
    for (a, b) in alphas.iter().zip(lib.alphas()) {
        assert!((a - b).abs() <= 1e-12 * b, "{a} vs {b}");
    }
    // alpha_max of the grid is the reference's (offset included)
    assert!((alphas[0] - case.alpha_max).abs() <= 1e-10 * case.alpha_max);
    let mean = floats(&out["mse_mean"]);
    for (a, b) in mean.iter().zip(lib.cv_mean()) {
        assert!((a - b).abs() <= 1e-8 * b.abs().max(1.0), "{a} vs {b}");
    }
    let (imin, i1se) = (lib.index_min(), lib.index_1se());
    assert_eq!(out["index_min"].as_u64().unwrap() as usize, imin);
    assert_eq!(out["index_1se"].as_u64().unwrap() as usize, i1se);
    assert_eq!(out["lambda_min"].as_f64().unwrap(), alphas[imin]);
    assert_eq!(out["lambda_1se"].as_f64().unwrap(), alphas[i1se]);
    assert!(i1se <= imin, "lambda_1se is the larger alpha");
    // the refit at lambda_min
    let coef = floats(&out["fit"]["coef"]);
    let d = coef
        .iter()
        .zip(lib.model().coef())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(d <= 1e-8, "refit {d:e} from the library");
}

#[test]
fn huber_cv_takes_mse_and_mae() {
    let fx = load_glm_family("huber_skglm").unwrap();
    let p = fx.problem.n_features;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("robust.csv");
    write_csv(&fx, None, &csv, None);
    let mut curves = Vec::new();
    for measure in ["mse", "mae"] {
        let j = dir.path().join(format!("{measure}.json"));
        proxreg()
            .args([
                "cv",
                "--family",
                "huber",
                "--huber-delta",
                "0.5",
                "--target",
                "y",
            ])
            .args(["--features", &feature_list(p)])
            .args(["--measure", measure, "--n-alphas", "10", "--eps", "0.01"])
            .arg("--data")
            .arg(&csv)
            .arg("--json")
            .arg(&j)
            .assert()
            .success()
            .stdout(predicate::str::contains("lambda_1se ="));
        let out = read_json(&j);
        assert_eq!(out["family"], "huber");
        assert_eq!(out["method"], "HuberRegressionCv");
        assert_eq!(out["delta"].as_f64(), Some(0.5));
        assert!(out.get("offset").is_none());
        curves.push(floats(&out["mse_mean"]));
    }
    assert_ne!(curves[0], curves[1]);
}

#[test]
fn saved_models_predict_as_the_library() {
    let dir = tempfile::tempdir().unwrap();
    // Poisson with an offset: rates without --offset, counts with --offset / --exposure.
    let fx = load_glm_family("poisson_glum").unwrap();
    let case = fx.case("lasso_offset_rel0.1").unwrap();
    let offset = case.offset.clone().unwrap();
    let p = fx.problem.n_features;
    let csv = dir.path().join("counts.csv");
    write_csv(&fx, Some(case), &csv, None);
    let model = dir.path().join("poisson.model.json");
    proxreg()
        .args([
            "fit", "--family", "poisson", "--offset", "off", "--target", "y",
        ])
        .args(["--features", &feature_list(p), "--tol", "1e-12"])
        .args(["--alpha", &format!("{:?}", case.alpha)])
        .arg("--data")
        .arg(&csv)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .success();
    let saved = read_json(&model);
    assert_eq!(saved["family"], "poisson");
    assert_eq!(saved["offset"], "off");
    let x = design(&fx);
    let lib = PoissonRegression::params()
        .alpha(case.alpha)
        .tol(1e-12)
        .fit_offset(&x, &fx.problem.y, None, Some(&offset))
        .unwrap();
    let rates = lib.predict(&x).unwrap();
    let counts = lib.predict_offset(&x, Some(&offset)).unwrap();
    let predict = |extra: &[&str], name: &str| -> serde_json::Value {
        let j = dir.path().join(name);
        proxreg()
            .args(["predict", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&csv)
            .args(extra)
            .arg("--json")
            .arg(&j)
            .assert()
            .success()
            .stdout(predicate::str::starts_with("y\n"));
        read_json(&j)
    };
    let close = |got: &[f64], want: &[f64], what: &str| {
        assert_eq!(got.len(), want.len(), "{what}");
        for (i, (a, b)) in got.iter().zip(want).enumerate() {
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                "{what} row {i}: {a} vs {b}"
            );
        }
    };
    let out = predict(&[], "rates.json");
    assert_eq!(out["family"], "poisson");
    close(&floats(&out["predictions"][0]), &rates, "rates");
    let out = predict(&["--offset", "off"], "counts.json");
    close(&floats(&out["predictions"][0]), &counts, "counts (offset)");
    let out = predict(&["--exposure", "expo"], "exposure.json");
    close(
        &floats(&out["predictions"][0]),
        &counts,
        "counts (exposure)",
    );

    // Huber: the linear predictions, δ recorded in the model file.
    let fx = load_glm_family("huber_skglm").unwrap();
    let case = fx.case("d0.5_lasso_rel0.1").unwrap();
    let p = fx.problem.n_features;
    let csv = dir.path().join("robust.csv");
    write_csv(&fx, Some(case), &csv, None);
    let model = dir.path().join("huber.model.json");
    proxreg()
        .args([
            "fit",
            "--family",
            "huber",
            "--huber-delta",
            "0.5",
            "--target",
            "y",
        ])
        .args(["--features", &feature_list(p), "--tol", "1e-12"])
        .args(["--alpha", &format!("{:?}", case.alpha)])
        .arg("--data")
        .arg(&csv)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .success();
    let saved = read_json(&model);
    assert_eq!(saved["family"], "huber");
    assert_eq!(saved["delta"].as_f64(), Some(0.5));
    let x = design(&fx);
    let lib = HuberRegression::params()
        .delta(0.5)
        .alpha(case.alpha)
        .tol(1e-12)
        .fit(&x, &fx.problem.y)
        .unwrap();
    let j = dir.path().join("huber.pred.json");
    proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&csv)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    close(
        &floats(&read_json(&j)["predictions"][0]),
        &lib.predict(&x).unwrap(),
        "huber",
    );
}

/// The Poisson fixture's data as CSV in `dir`, with `y` replaced by `y` if given.
pub(super) fn poisson_csv(dir: &Path, name: &str, y: Option<&[f64]>) -> PathBuf {
    let fx = load_glm_family("poisson_glum").unwrap();
    let case = fx.case("lasso_offset_rel0.1").unwrap();
    let path = dir.join(name);
    write_csv(&fx, Some(case), &path, y);
    path
}

/// Runs `proxreg <args> --data <csv>` and checks exit code 2, nothing on stdout, no panic and
/// every piece of `expect` on stderr.
fn rejects(args: &[&str], csv: &Path, expect: &[&str]) {
    let mut assert = proxreg()
        .args(args)
        .arg("--data")
        .arg(csv)
        .assert()
        .failure()
        .code(2)
        .stdout("");
    for e in expect {
        assert = assert.stderr(predicate::str::contains(*e));
    }
    assert.stderr(predicate::str::contains("panicked").not());
}

const FEATURES: &str = "x0,x1,x2,x3,x4,x5,x6,x7";

#[test]
fn negative_counts_are_rejected_by_fit_path_and_cv() {
    let fx = load_glm_family("poisson_glum").unwrap();
    let mut y = fx.problem.y.clone();
    y[4] = -1.0;
    let dir = tempfile::tempdir().unwrap();
    let csv = poisson_csv(dir.path(), "neg.csv", Some(&y));
    let f = ["--features", FEATURES];
    // data row 5 is line 6 of the file (after the header)
    let expect = ["neg.csv:6:", "--family poisson needs counts >= 0", "-1"];
    rejects(
        &[
            &["fit", "--family", "poisson", "--alpha", "0.1"][..],
            &f[..],
        ]
        .concat(),
        &csv,
        &expect,
    );
    rejects(
        &[&["path", "--family", "poisson"][..], &f[..]].concat(),
        &csv,
        &expect,
    );
    rejects(
        &[&["cv", "--family", "poisson"][..], &f[..]].concat(),
        &csv,
        &expect,
    );
    // huber takes any real target
    proxreg()
        .args([
            "fit",
            "--family",
            "huber",
            "--alpha",
            "0.1",
            "--features",
            FEATURES,
        ])
        .arg("--data")
        .arg(&csv)
        .assert()
        .success();
}

#[test]
fn offset_errors_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let csv = poisson_csv(dir.path(), "d.csv", None);
    let fit = |family: &'static str, extra: &[&'static str]| -> Vec<&'static str> {
        [
            &[
                "fit",
                "--family",
                family,
                "--alpha",
                "0.1",
                "--features",
                FEATURES,
            ][..],
            extra,
        ]
        .concat()
    };
    for family in ["gaussian", "huber"] {
        rejects(
            &fit(family, &["--offset", "off"]),
            &csv,
            &[&format!(
                "--offset / --exposure apply to --family poisson (not {family})"
            )],
        );
    }
    rejects(
        &["path", "--offset", "off", "--features", FEATURES],
        &csv,
        &["apply to --family poisson (not gaussian)"],
    );
    rejects(
        &[
            "cv",
            "--family",
            "huber",
            "--exposure",
            "expo",
            "--features",
            FEATURES,
        ],
        &csv,
        &["apply to --family poisson (not huber)"],
    );
    rejects(
        &fit("poisson", &["--offset", "nope"]),
        &csv,
        &["d.csv:1:", "no column named \"nope\""],
    );
    // a non-finite offset cell: the file, line and column of the cell
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<&str> = lines[3].split(',').collect();
    cells[8] = "NaN"; // the `off` column
    lines[3] = cells.join(",");
    let bad = dir.path().join("nan_offset.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    rejects(
        &fit("poisson", &["--offset", "off"]),
        &bad,
        &["nan_offset.csv:4:9:", "not a finite number"],
    );
    // an exposure that is not positive (its log would be the offset)
    let mut cells: Vec<String> = text
        .lines()
        .nth(2)
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    cells[9] = "0.0".into(); // the `expo` column
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[2] = cells.join(",");
    let bad = dir.path().join("zero_exposure.csv");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    rejects(
        &fit("poisson", &["--exposure", "expo"]),
        &bad,
        &["zero_exposure.csv:3:10:", "exposures must be > 0"],
    );
}

#[test]
fn huber_delta_must_be_positive_and_only_with_huber() {
    let dir = tempfile::tempdir().unwrap();
    let csv = poisson_csv(dir.path(), "d.csv", None);
    for d in ["0", "-1", "NaN", "inf"] {
        rejects(
            &[
                "fit",
                "--family",
                "huber",
                "--alpha",
                "0.1",
                "--huber-delta",
                d,
            ],
            &csv,
            &["--huber-delta must be a finite number > 0"],
        );
    }
    rejects(
        &["cv", "--family", "huber", "--huber-delta", "-0.5"],
        &csv,
        &["--huber-delta must be a finite number > 0, got -0.5"],
    );
    rejects(
        &[
            "fit",
            "--family",
            "poisson",
            "--alpha",
            "0.1",
            "--huber-delta",
            "1",
        ],
        &csv,
        &["--huber-delta applies to --family huber (not poisson)"],
    );
}

#[test]
fn measure_must_suit_the_family() {
    let dir = tempfile::tempdir().unwrap();
    let csv = poisson_csv(dir.path(), "d.csv", None);
    for family in ["poisson", "huber"] {
        for m in ["auc", "misclassification"] {
            rejects(
                &["cv", "--family", family, "--measure", m],
                &csv,
                &[&format!(
                    "--measure {m} is for --family binomial and multinomial; {family} takes deviance, mse or mae"
                )],
            );
        }
    }
    rejects(
        &["cv", "--measure", "deviance"],
        &csv,
        &["--measure is for --family binomial, multinomial, poisson and huber"],
    );
}

#[test]
fn predict_offset_needs_a_poisson_model() {
    let dir = tempfile::tempdir().unwrap();
    let csv = poisson_csv(dir.path(), "d.csv", None);
    for family in ["huber", "gaussian"] {
        let model = dir.path().join(format!("{family}.model.json"));
        proxreg()
            .args([
                "fit",
                "--family",
                family,
                "--alpha",
                "0.1",
                "--features",
                FEATURES,
            ])
            .arg("--data")
            .arg(&csv)
            .arg("--save-model")
            .arg(&model)
            .assert()
            .success();
        let mut assert = proxreg()
            .args(["predict", "--offset", "off", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&csv)
            .assert()
            .failure()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(
                "--offset / --exposure apply to a poisson model",
            ));
        assert = assert.stderr(predicate::str::contains(format!("is a {family} model")));
        assert.stderr(predicate::str::contains("panicked").not());
    }
    // a poisson model, an offset column that is not in the file
    let model = dir.path().join("poisson.model.json");
    proxreg()
        .args([
            "fit", "--family", "poisson", "--alpha", "0.1", "--offset", "off",
        ])
        .args(["--features", FEATURES])
        .arg("--data")
        .arg(&csv)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .success();
    proxreg()
        .args(["predict", "--offset", "log_t", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&csv)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("no column named \"log_t\""))
        .stderr(predicate::str::contains("panicked").not());
}
