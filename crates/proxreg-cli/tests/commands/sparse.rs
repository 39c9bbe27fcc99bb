//! `--data FILE.svm` on a sparse design (issue #20) against scikit-learn 1.9.1 on the same CSR
//! matrix (`tests/fixtures/sparse_small.json`, `scripts/make_svmlight_cli_fixture.py`): `fit`
//! (Lasso, Elastic Net, plain and standardized, L1 logistic), `path` and `cv`, each to
//! `1e-6·max(1, ‖w‖∞)` with its certificates; and the same numbers as a dense CSV give the same
//! answers as the sparse file in every subcommand.

use super::json_close::assert_close;
use super::{floats, proxreg, read_json};
use proxreg_cli::io;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn fixture() -> Value {
    read_json(&fixtures().join("sparse_small.json"))
}

/// The tolerance of the fits the fixture is compared with.
const TOL: &str = "1e-12";

/// Largest absolute difference of `coef` / `intercept` from the reference, over its scale
/// `max(1, ‖w‖∞, |b|)`.
fn rel_err(coef: &[f64], b: f64, ref_coef: &[f64], ref_b: f64) -> f64 {
    assert_eq!(coef.len(), ref_coef.len());
    let scale = ref_coef
        .iter()
        .chain([&ref_b])
        .fold(1.0_f64, |m, v| m.max(v.abs()));
    coef.iter()
        .zip(ref_coef)
        .map(|(a, b)| (a - b).abs())
        .fold((b - ref_b).abs(), f64::max)
        / scale
}

/// The certificates of a fit at `--tol 1e-12`: converged, relative duality gap at most the
/// tolerance, a small KKT violation, at least one iteration.
fn check_certificates(c: &Value, what: &str) {
    assert_eq!(c["status"], "Converged", "{what}: {c}");
    let rel = c["relative_gap"].as_f64().unwrap();
    assert!(
        (0.0..=1e-12).contains(&rel.abs()),
        "{what}: relative gap {rel}"
    );
    let gap = c["duality_gap"].as_f64().unwrap();
    assert!(gap.abs() <= 1e-10, "{what}: duality gap {gap}");
    let kkt = c["kkt_violation"].as_f64().unwrap();
    assert!(
        kkt.is_finite() && kkt <= 1e-6,
        "{what}: KKT violation {kkt}"
    );
    assert!(c["n_iter"].as_u64().unwrap() >= 1, "{what}");
}

fn run_json(args: &[String], out: &Path) -> Value {
    proxreg()
        .args(args)
        .arg("--json")
        .arg(out)
        .assert()
        .success();
    read_json(out)
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

#[test]
fn fit_on_svmlight_matches_scikit_learn_on_the_csr_matrix() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let p = fx["data"]["n_features"].as_u64().unwrap() as usize;
    let names: Vec<String> = (1..=p).map(|j| format!("x{j}")).collect();
    let cases = fx["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 12);
    let mut standardized = 0;
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let binomial = c["family"] == "binomial";
        let file = fixtures().join(if binomial {
            "sparse_small_binary.svm"
        } else {
            "sparse_small.svm"
        });
        let mut args = s(&["fit", "--tol", TOL, "--max-iter", "100000"]);
        args.push("--data".into());
        args.push(file.display().to_string());
        args.push("--alpha".into());
        args.push(format!("{:?}", c["alpha"].as_f64().unwrap()));
        if binomial {
            args.extend(s(&["--family", "binomial"]));
        }
        if c["penalty"] == "elastic-net" {
            args.extend(s(&["--penalty", "elastic-net", "--l1-ratio"]));
            args.push(format!("{:?}", c["l1_ratio"].as_f64().unwrap()));
        }
        if c["standardize"] == true {
            args.push("--standardize".into());
            standardized += 1;
        }
        let v = run_json(&args, &dir.path().join(format!("{name}.json")));
        let fit = &v["fit"];
        assert_eq!(fit["feature_names"], serde_json::json!(names), "{name}");
        if binomial {
            assert_eq!(floats(&fit["classes"]), [-1.0, 1.0], "{name}");
        }
        let coef = floats(&fit["coef"]);
        let b = floats(&fit["intercept"])[0];
        let sk = &c["sklearn"];
        let d = rel_err(
            &coef,
            b,
            &floats(&sk["coef"]),
            sk["intercept"].as_f64().unwrap(),
        );
        assert!(d <= 1e-6, "{name}: {d:e} from scikit-learn");
        // the same support (scikit-learn's zeros are exact zeros of coordinate descent / saga)
        let nz = |w: &[f64]| w.iter().filter(|v| **v != 0.0).count();
        assert!(
            nz(&coef).abs_diff(nz(&floats(&sk["coef"]))) <= 2,
            "{name}: {} nonzeros, scikit-learn {}",
            nz(&coef),
            nz(&floats(&sk["coef"]))
        );
        assert_eq!(
            fit["nonzeros"].as_u64().unwrap() as usize,
            nz(&coef),
            "{name}"
        );
        check_certificates(&fit["certificates"], name);
    }
    assert_eq!(standardized, 6);
}

#[test]
fn path_and_cv_on_svmlight_match_scikit_learn() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let file = fixtures().join("sparse_small.svm").display().to_string();
    let alphas: Vec<String> = floats(&fx["path"]["alphas"])
        .iter()
        .map(|a| format!("{a:?}"))
        .collect();
    let grid = alphas.join(",");

    let args = vec![
        "path".into(),
        "--data".into(),
        file.clone(),
        "--tol".into(),
        TOL.into(),
        "--alphas".into(),
        grid.clone(),
    ];
    let v = run_json(&args, &dir.path().join("path.json"));
    assert_eq!(floats(&v["alphas"]), floats(&fx["path"]["alphas"]));
    let coefs = v["coefs"].as_array().unwrap();
    let ref_coefs = fx["path"]["coefs"].as_array().unwrap();
    assert_eq!(coefs.len(), 6);
    for (k, (c, r)) in coefs.iter().zip(ref_coefs).enumerate() {
        let b = floats(&v["intercepts"][k])[0];
        let rb = fx["path"]["intercepts"][k].as_f64().unwrap();
        let d = rel_err(&floats(c), b, &floats(r), rb);
        assert!(d <= 1e-6, "path point {k}: {d:e} from scikit-learn");
        assert_eq!(v["statuses"][k], "Converged", "path point {k}");
        let rel = v["relative_gaps"][k].as_f64().unwrap();
        assert!(rel.abs() <= 1e-12, "path point {k}: relative gap {rel}");
    }
    // at alpha_max every coefficient is zero
    assert_eq!(v["nonzeros"][0], 0);

    let cv = &fx["lasso_cv"];
    let args = vec![
        "cv".into(),
        "--data".into(),
        file,
        "--tol".into(),
        TOL.into(),
        "--folds".into(),
        "5".into(),
        "--alphas".into(),
        grid,
    ];
    let v = run_json(&args, &dir.path().join("cv.json"));
    let mse = v["mse_path"].as_array().unwrap();
    let ref_mse = cv["mse_path"].as_array().unwrap();
    assert_eq!(mse.len(), ref_mse.len());
    for (a, (m, r)) in mse.iter().zip(ref_mse).enumerate() {
        let (m, r) = (floats(m), floats(r));
        assert_eq!(m.len(), 5);
        for (f, (x, y)) in m.iter().zip(&r).enumerate() {
            assert!(
                (x - y).abs() <= 1e-6 * y.abs(),
                "held-out MSE alpha {a} fold {f}: {x} vs scikit-learn {y}"
            );
        }
    }
    let lmin = v["lambda_min"].as_f64().unwrap();
    let sk_alpha = cv["alpha"].as_f64().unwrap();
    assert!(
        (lmin - sk_alpha).abs() <= 1e-12 * sk_alpha,
        "{lmin} vs {sk_alpha}"
    );
    let fit = &v["fit"];
    let d = rel_err(
        &floats(&fit["coef"]),
        floats(&fit["intercept"])[0],
        &floats(&cv["coef"]),
        cv["intercept"].as_f64().unwrap(),
    );
    assert!(d <= 1e-6, "cv refit: {d:e} from scikit-learn");
    check_certificates(&fit["certificates"], "cv refit");
}

/// The svmlight file's numbers (as proxreg reads them) written as a dense CSV, `x1..xp,y`, in
/// Rust's round-trip float format.
fn as_csv(svm: &Path, csv: &Path) {
    let bytes = std::fs::read(svm).unwrap();
    let d = io::parse_svmlight(
        &bytes,
        "sparse",
        proxreg_io::svmlight::ZeroBased::Auto,
        None,
    )
    .unwrap();
    let (n, p) = (d.nrows, d.ncols);
    let mut dense = vec![0.0; n * p];
    for j in 0..p {
        for k in d.col_ptr[j]..d.col_ptr[j + 1] {
            dense[d.row_idx[k] * p + j] = d.values[k];
        }
    }
    let mut s: String = (1..=p).map(|j| format!("x{j},")).collect();
    s += "y\n";
    for i in 0..n {
        for v in &dense[i * p..(i + 1) * p] {
            s += &format!("{v:?},");
        }
        s += &format!("{:?}\n", d.labels[i]);
    }
    std::fs::write(csv, s).unwrap();
}

#[test]
fn sparse_and_dense_inputs_give_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let svm = fixtures().join("sparse_small.svm");
    let svm_bin = fixtures().join("sparse_small_binary.svm");
    let csv = dir.path().join("dense.csv");
    let csv_bin = dir.path().join("dense_binary.csv");
    as_csv(&svm, &csv);
    as_csv(&svm_bin, &csv_bin);
    let fx = fixture();
    let a1 = format!("{:?}", fx["cases"][1]["alpha"].as_f64().unwrap());
    let ab = format!("{:?}", fx["cases"][9]["alpha"].as_f64().unwrap());
    let runs: Vec<(Vec<&str>, bool)> = vec![
        (vec!["fit", "--alpha", &a1], false),
        (vec!["fit", "--alpha", &a1, "--standardize"], false),
        (
            vec![
                "fit",
                "--alpha",
                &a1,
                "--penalty",
                "elastic-net",
                "--standardize",
            ],
            false,
        ),
        (vec!["fit", "--alpha", "10", "--penalty", "ridge"], false),
        (vec!["fit", "--alpha", &a1, "--penalty", "mcp"], false),
        (vec!["fit", "--family", "binomial", "--alpha", &ab], true),
        // Not standardized: two single-entry columns (x75, x78 of the file) share their row
        // and become equal once standardized, so the standardized Lasso is not unique once
        // they enter (the path's later points): each engine may split the weight differently.
        (vec!["path", "--n-alphas", "8"], false),
        (
            vec!["path", "--family", "binomial", "--n-alphas", "5"],
            true,
        ),
        (
            vec!["cv", "--folds", "4", "--n-alphas", "8", "--seed", "3"],
            false,
        ),
        (
            vec![
                "cv",
                "--penalty",
                "ridge",
                "--ridge-mode",
                "kfold",
                "--folds",
                "3",
                "--n-alphas",
                "5",
            ],
            false,
        ),
        (vec!["cv", "--penalty", "ridge", "--n-alphas", "5"], false),
        (
            vec![
                "select",
                "--criterion",
                "stability",
                "--n-pairs",
                "5",
                "--n-alphas",
                "5",
            ],
            false,
        ),
    ];
    for (k, (args, binomial)) in runs.iter().enumerate() {
        let (sp, de) = if *binomial {
            (&svm_bin, &csv_bin)
        } else {
            (&svm, &csv)
        };
        let mut a: Vec<String> = args.iter().map(|x| (*x).to_string()).collect();
        a.extend(s(&["--tol", "1e-10", "--data"]));
        let mut sa = a.clone();
        sa.push(sp.display().to_string());
        let mut da = a;
        da.push(de.display().to_string());
        let vs = run_json(&sa, &dir.path().join(format!("s{k}.json")));
        let vd = run_json(&da, &dir.path().join(format!("d{k}.json")));
        assert!(vs.is_object());
        // 1e-6: a relative gap of 1e-10 bounds a coefficient error near its square root, and
        // the two engines stop at different points within it (logistic paths differ ~1e-7).
        assert_close(&vs, &vd, 1e-6, 1.0, &args.join(" "));
    }
}

#[test]
fn predict_on_svmlight_equals_predict_on_the_dense_csv() {
    let dir = tempfile::tempdir().unwrap();
    let svm = fixtures().join("sparse_small.svm");
    let csv = dir.path().join("dense.csv");
    as_csv(&svm, &csv);
    let fx = fixture();
    let model = dir.path().join("m.json");
    proxreg()
        .args(["fit", "--standardize", "--alpha"])
        .arg(format!("{:?}", fx["cases"][1]["alpha"].as_f64().unwrap()))
        .arg("--data")
        .arg(&svm)
        .arg("--save-model")
        .arg(&model)
        .arg("--quiet")
        .assert()
        .success();
    let predict = |data: &Path, out: &Path| -> Vec<f64> {
        proxreg()
            .args(["predict", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(data)
            .arg("--json")
            .arg(out)
            .assert()
            .success();
        floats(&read_json(out)["predictions"][0])
    };
    let a = predict(&svm, &dir.path().join("a.json"));
    let b = predict(&csv, &dir.path().join("b.json"));
    assert_eq!(a.len(), 120);
    for (i, (u, v)) in a.iter().zip(&b).enumerate() {
        assert!(
            (u - v).abs() <= 1e-12 * u.abs().max(1.0),
            "row {i}: {u} vs {v}"
        );
    }
    // not a constant: the model uses some features
    assert!(a.iter().any(|v| (v - a[0]).abs() > 1e-3));
}
