//! `proxreg select`: AIC / BIC on the embedded diabetes data against scikit-learn's
//! `LassoLarsIC` (tests/fixtures/diabetes_ic.json, scripts/make_select_fixtures.py), stability
//! selection against the library estimator, a user's CSV, the SVG figures, and bad input.

use super::{diabetes, floats, proxreg, read_json};
use assert_cmd::Command;
use predicates::prelude::*;
use proxreg::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture_case(criterion: &str) -> Value {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/diabetes_ic.json");
    let f: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == criterion)
        .unwrap()
        .clone()
}

/// Runs `proxreg ARGS --json DIR/out.json` (and `--plot DIR/figs` when `plots`); the JSON, the
/// figures' directory, and the command's assertion for more checks of its output.
fn run(args: &[&str], dir: &Path, plots: bool) -> (Value, PathBuf, assert_cmd::assert::Assert) {
    let (j, figs) = (dir.join("out.json"), dir.join("figs"));
    let mut cmd: Command = proxreg();
    cmd.args(args).arg("--json").arg(&j);
    if plots {
        cmd.arg("--plot").arg(&figs);
    }
    let done = cmd.assert().success();
    (read_json(&j), figs, done)
}

fn run_json(args: &[&str], dir: &Path) -> Value {
    run(args, dir, false).0
}

/// At scikit-learn's own alphas (the LARS kinks), `--tol 1e-14`: the noise variance and the
/// fit term `n·ln(2πσ²) + RSS/σ²` of every kink are scikit-learn's to 1e-10 (measured: 6e-15).
/// The degrees of freedom are scikit-learn's except at two kinks where coordinate descent
/// leaves a residue (measured 2e-12, above the 64ε·max|w| ≈ 9e-13 threshold on these unscaled
/// data) of the coefficient entering exactly at that kink, which it counts: one more, never
/// anything else. Counted as scikit-learn does there, the minimiser is scikit-learn's
/// `alpha_` (counted as proxreg does, the kink above it, 0.021 higher in scikit-learn's
/// criterion, wins), and the
/// refit's coefficients at `alpha_` are `coef_` to 1e-9 of the largest (measured: 8e-13;
/// LARS is exact and the refit's duality gap is ~1e-11 on an objective of ~1e3).
fn kinks_match(criterion: &str) {
    let case = fixture_case(criterion);
    let kinks = floats(&case["alphas"]);
    let list = kinks
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(",");
    let dir = tempfile::tempdir().unwrap();
    let v = run_json(
        &[
            "select",
            "--criterion",
            criterion,
            "--alphas",
            &list,
            "--tol",
            "1e-14",
            "--max-iter",
            "1000000",
        ],
        dir.path(),
    );
    assert_eq!(floats(&v["alphas"]), kinks);
    let s2 = case["noise_variance"].as_f64().unwrap();
    assert!((v["noise_variance"].as_f64().unwrap() - s2).abs() <= 1e-10 * s2);
    let c = if criterion == "aic" { 2.0 } else { 442f64.ln() };
    let (got, want) = (
        floats(&v["criterion_values"]),
        floats(&case["criterion_values"]),
    );
    let (dof, df) = (floats(&v["dof"]), floats(&case["df"]));
    let mut aligned = Vec::new();
    for k in 0..kinks.len() {
        assert!(dof[k] == df[k] || dof[k] == df[k] + 1.0, "kink {k}");
        let fit_term = got[k] - c * dof[k];
        let want_fit = want[k] - c * df[k];
        assert!(
            (fit_term - want_fit).abs() <= 1e-10 * want_fit.abs(),
            "kink {k}: {fit_term} vs {want_fit}"
        );
        aligned.push(fit_term + c * df[k]);
    }
    let best = (0..aligned.len())
        .min_by(|&i, &j| aligned[i].total_cmp(&aligned[j]))
        .unwrap();
    assert_eq!(kinks[best], case["alpha"].as_f64().unwrap());
    // The refit at scikit-learn's alpha_ (given alone) is its coef_.
    let v = run_json(
        &[
            "select",
            "--criterion",
            criterion,
            "--alphas",
            &format!("{:?}", case["alpha"].as_f64().unwrap()),
            "--tol",
            "1e-14",
            "--max-iter",
            "1000000",
        ],
        dir.path(),
    );
    let (coef, want) = (floats(&v["fit"]["coef"]), floats(&case["coef"]));
    let scale = want.iter().fold(0f64, |m, w| m.max(w.abs()));
    for (a, b) in coef.iter().zip(&want) {
        assert!((a - b).abs() <= 1e-9 * scale, "{a} vs {b}");
    }
    let b0 = case["intercept"].as_f64().unwrap();
    assert!((v["fit"]["intercept"][0].as_f64().unwrap() - b0).abs() <= 1e-9 * b0.abs());
}

#[test]
fn aic_and_bic_at_the_lars_kinks_match_lasso_lars_ic() {
    kinks_match("bic");
    kinks_match("aic");
}

/// On a log grid (`--eps 1e-4`, reaching below scikit-learn's `alpha_`; `--tol 1e-10`) the grid
/// cannot hit the kinks, so the honest comparison is an inequality and a location: along the
/// Lasso path the degrees of freedom are constant between kinks and RSS grows with alpha, so
/// the criterion at any alpha is at least scikit-learn's value at the kink just below it (where
/// the coefficient that enters or leaves is exactly zero). Every grid value satisfies it, and
/// the grid's minimum falls in the segment just above scikit-learn's `alpha_` with
/// scikit-learn's support (`coef_`'s non-zeros).
#[test]
fn bic_on_a_log_grid_is_bounded_by_lasso_lars_ic_and_lands_in_its_segment() {
    let case = fixture_case("bic");
    let (kinks, values) = (floats(&case["alphas"]), floats(&case["criterion_values"]));
    let dir = tempfile::tempdir().unwrap();
    let (v, plots, done) = run(
        &[
            "select",
            "--criterion",
            "bic",
            "--eps",
            "1e-4",
            "--tol",
            "1e-10",
        ],
        dir.path(),
        true,
    );
    done.stdout(predicate::str::contains("BIC"))
        .stdout(predicate::str::contains("certificates: duality gap"));
    let (alphas, bic) = (floats(&v["alphas"]), floats(&v["bic"]));
    assert_eq!(alphas.len(), 100);
    for (&a, &c) in alphas.iter().zip(&bic) {
        let below = kinks.iter().position(|&k| k <= a).unwrap();
        assert!(
            c >= values[below] - 1e-6 * values[below].abs(),
            "alpha {a}: {c} < {}",
            values[below]
        );
    }
    let alpha = v["alpha"].as_f64().unwrap();
    let sk = case["alpha"].as_f64().unwrap();
    let above = kinks.iter().rev().find(|&&k| k > sk).copied().unwrap();
    assert!(
        alpha > sk && alpha < above,
        "{alpha} not in ({sk}, {above})"
    );
    let support = |c: &[f64]| -> Vec<usize> { (0..c.len()).filter(|&j| c[j] != 0.0).collect() };
    assert_eq!(
        support(&floats(&v["fit"]["coef"])),
        support(&floats(&case["coef"]))
    );
    // The refit is the library's LassoIc on the same grid.
    let (x, y) = diabetes();
    let ic = LassoIc::params().eps(1e-4).tol(1e-10).fit(&x, &y).unwrap();
    assert_eq!(alpha, ic.alpha());
    assert_eq!(floats(&v["fit"]["coef"]), ic.model().coef());
    assert_eq!(bic, ic.bic());
    // criterion.svg: the AIC and BIC curves, the BIC minimum marked.
    let svg = std::fs::read_to_string(plots.join("criterion.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .filter_map(|n| n.attribute("data-label"))
        .collect();
    assert_eq!(labels, ["AIC", "BIC"]);
    let markers: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("marker"))
        .filter_map(|n| n.children().find(|c| c.has_tag_name("text")))
        .filter_map(|t| t.text().map(str::to_string))
        .collect();
    assert_eq!(markers, ["BIC minimum"]);
}

fn series_points(svg: &str) -> Vec<(String, usize)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .map(|n| {
            let d = n
                .children()
                .find(|c| c.has_tag_name("path"))
                .and_then(|c| c.attribute("d"))
                .unwrap();
            (
                n.attribute("data-label").unwrap().to_string(),
                d.matches('L').count() + 1,
            )
        })
        .collect()
}

#[test]
fn stability_on_the_embedded_data_is_the_library_estimator() {
    let dir = tempfile::tempdir().unwrap();
    let (v, plots, done) = run(
        &[
            "select",
            "--criterion",
            "stability",
            "--standardize",
            "--eps",
            "0.1",
            "--n-alphas",
            "20",
            "--n-pairs",
            "10",
            "--seed",
            "4",
            "--threshold",
            "0.8",
        ],
        dir.path(),
        true,
    );
    done.stdout(predicate::str::contains("max probability"))
        .stdout(predicate::str::contains("q = "));
    let (x, y) = diabetes();
    let st = StabilitySelection::params()
        .standardize(true)
        .eps(0.1)
        .n_alphas(20)
        .n_pairs(10)
        .seed(4)
        .threshold(0.8)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(floats(&v["alphas"]), st.alphas());
    let probs: Vec<Vec<f64>> = v["probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(floats)
        .collect();
    assert_eq!(probs, st.probabilities());
    let sel: Vec<usize> = v["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(sel, st.selected());
    assert!(!sel.is_empty());
    assert_eq!(v["mean_selected"].as_f64().unwrap(), st.mean_selected());
    assert_eq!(v["error_bound"].as_f64().unwrap(), st.error_bound());
    assert_eq!(v["n_subsamples"], 20);
    // stability.svg: one curve per feature over the 20 alphas, and the threshold line.
    let curves = series_points(&std::fs::read_to_string(plots.join("stability.svg")).unwrap());
    assert_eq!(curves.len(), 11);
    assert!(curves[..10].iter().all(|(_, n)| *n == 20));
    assert_eq!(curves[2].0, "bmi");
    assert_eq!(curves[10], ("threshold 0.8".to_string(), 2));
}

/// A user's CSV (seeded, two true features among six, 60 rows): BIC and stability both run on
/// it, find the true features, and equal the library's results.
#[test]
fn select_runs_on_a_users_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut u = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let (n, p) = (60, 6);
    let rows: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..p).map(|_| u() * 4.0).collect())
        .collect();
    let y: Vec<f64> = rows
        .iter()
        .map(|r| 2.0 * r[1] - 3.0 * r[4] + 0.2 * u())
        .collect();
    let mut csv = String::from("a,b,c,d,e,f,target\n");
    for (r, t) in rows.iter().zip(&y) {
        let cells: Vec<String> = r.iter().chain([t]).map(|v| format!("{v:?}")).collect();
        csv += &cells.join(",");
        csv.push('\n');
    }
    let file = dir.path().join("mine.csv");
    std::fs::write(&file, csv).unwrap();
    let f = file.to_str().unwrap();
    let x = ColMajor::from_fn(n, p, |i, j| rows[i][j]);

    let v = run_json(&["select", "--data", f, "--target", "target"], dir.path());
    let ic = LassoIc::params().fit(&x, &y).unwrap();
    assert_eq!(v["alpha"].as_f64().unwrap(), ic.alpha());
    assert_eq!(floats(&v["fit"]["coef"]), ic.model().coef());
    assert!(ic.model().support().contains(&1) && ic.model().support().contains(&4));

    let v = run_json(
        &[
            "select",
            "--data",
            f,
            "--criterion",
            "stability",
            "--n-pairs",
            "8",
            "--eps",
            "0.05",
            "--n-alphas",
            "15",
            "--weakness",
            "0.5",
        ],
        dir.path(),
    );
    let st = StabilitySelection::params()
        .n_pairs(8)
        .eps(0.05)
        .n_alphas(15)
        .weakness(0.5)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(v["selected_names"], serde_json::json!(["b", "e"]));
    assert_eq!(v["mean_selected"].as_f64().unwrap(), st.mean_selected());
    assert_eq!(v["weakness"].as_f64(), Some(0.5));
}

fn fails_with(args: &[&str], code: i32, needle: &str) {
    proxreg()
        .args(args)
        .assert()
        .failure()
        .code(code)
        .stderr(predicate::str::contains(needle))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn bad_input_is_named_with_exit_code_2() {
    fails_with(&["select", "--criterion", "cp"], 2, "--criterion");
    for t in ["0.5", "0.3", "1.5", "nan"] {
        fails_with(
            &["select", "--criterion", "stability", "--threshold", t],
            2,
            "--threshold",
        );
    }
    fails_with(
        &["select", "--criterion", "stability", "--weakness", "0"],
        2,
        "--weakness",
    );
    fails_with(&["select", "--threshold", "0.7"], 2, "--threshold");
    fails_with(
        &[
            "select",
            "--criterion",
            "stability",
            "--n-pairs",
            "99999999999",
        ],
        1,
        "n_pairs",
    );
    for v in [
        "--noise-variance=-1",
        "--noise-variance=0",
        "--noise-variance=nan",
    ] {
        fails_with(&["select", v], 2, "--noise-variance");
    }
    fails_with(&["select", "--standardize"], 2, "--standardize");
    fails_with(&["select", "--penalty", "ridge"], 2, "--penalty");
    // n <= p + 1: the variance cannot be estimated; --noise-variance makes it run.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wide.csv");
    std::fs::write(
        &file,
        "a,b,c,d,y\n1,2,3,4,1\n2,1,0,3,2\n0,1,2,5,0\n3,3,1,1,4\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    fails_with(&["select", "--data", f], 2, "--noise-variance");
    proxreg()
        .args(["select", "--data", f, "--noise-variance", "0.5"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "noise variance 5.000000e-1 (given)",
        ));
}
