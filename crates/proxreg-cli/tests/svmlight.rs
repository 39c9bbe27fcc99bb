//! `--data FILE.svm`: the same numbers written as CSV and as svmlight give the same fit in every
//! subcommand, and bad svmlight input reaches the user as `file:line:column` with exit code 2.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// JSON compared to a tolerance (shared with the `commands` tests).
#[path = "common/json_close.rs"]
mod json_close;
use json_close::assert_close;

fn proxreg() -> Command {
    Command::cargo_bin("proxreg").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Seeded sparse data (about half the entries zero, column 4 empty), written as CSV (header
/// x1..x6, y) and as one-based svmlight, numbers in Rust's shortest round-trip form.
fn files(dir: &Path) -> (PathBuf, PathBuf) {
    let (n, p) = (40, 6);
    let mut s = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut csv = String::from("x1,x2,x3,x4,x5,x6,y\n");
    let mut svm = String::from("# same numbers as the CSV\n");
    for _ in 0..n {
        let row: Vec<f64> = (0..p)
            .map(|j| {
                let keep = next() < 0.5 && j != 3;
                let v = (next() - 0.5) * 4.0;
                if keep {
                    v
                } else {
                    0.0
                }
            })
            .collect();
        let y = 1.5 * row[0] - 2.0 * row[2] + 0.5 * row[5] + (next() - 0.5) * 0.1 + 3.0;
        let cells: Vec<String> = row.iter().map(|v| format!("{v}")).collect();
        csv += &format!("{},{y}\n", cells.join(","));
        svm += &format!("{y}");
        for (j, v) in row.iter().enumerate() {
            if *v != 0.0 {
                svm += &format!(" {}:{v}", j + 1);
            }
        }
        svm.push('\n');
    }
    (write(dir, "d.csv", &csv), write(dir, "d.svm", &svm))
}

fn json(args: &[&str], data: &Path, out: &Path) -> serde_json::Value {
    proxreg()
        .args(args)
        .arg("--data")
        .arg(data)
        .arg("--json")
        .arg(out)
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

#[test]
fn lasso_fit_on_svmlight_equals_the_fit_on_the_same_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, svm) = files(dir.path());
    // x6 is used, so the svmlight file has 6 columns like the CSV (x4 is empty in both)
    for extra in [&[][..], &["--standardize"][..]] {
        let mut args = vec!["fit", "--alpha", "0.01", "--tol", "1e-12"];
        args.extend_from_slice(extra);
        let a = json(&args, &csv, &dir.path().join("a.json"));
        let b = json(&args, &svm, &dir.path().join("b.json"));
        // the same numbers to rounding (the sparse and the dense kernels sum in other orders)
        let at = format!("{extra:?}");
        assert_close(&a["fit"]["coef"], &b["fit"]["coef"], 1e-9, 1.0, &at);
        assert_close(
            &a["fit"]["intercept"],
            &b["fit"]["intercept"],
            1e-9,
            1.0,
            &at,
        );
        assert_eq!(a["fit"]["feature_names"], b["fit"]["feature_names"]);
        let coef = a["fit"]["coef"].as_array().unwrap();
        assert_eq!(coef.len(), 6);
        assert_eq!(coef[3].as_f64(), Some(0.0), "the empty column");
    }
}

#[test]
fn every_subcommand_takes_svmlight_data() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, svm) = files(dir.path());
    let model = dir.path().join("m.json");
    for (args, key) in [
        (&["path", "--n-alphas", "5", "--tol", "1e-12"][..], "path"),
        (
            &["cv", "--folds", "3", "--n-alphas", "5", "--tol", "1e-12"][..],
            "cv",
        ),
        (
            &["select", "--n-alphas", "5", "--tol", "1e-12"][..],
            "select",
        ),
    ] {
        let a = json(args, &csv, &dir.path().join("a.json"));
        let b = json(args, &svm, &dir.path().join("b.json"));
        assert!(a.is_object(), "{key}");
        // the same numbers to the solvers' accuracy (a relative gap of 1e-12; the dense and
        // sparse engines stop at different points within it): everything but the data file's
        // name, the timings and the work counters
        assert_close(&a, &b, 1e-7, 1.0, key);
    }
    proxreg()
        .args(["fit", "--alpha", "0.01", "--save-model"])
        .arg(&model)
        .arg("--data")
        .arg(&svm)
        .assert()
        .success();
    let from_svm = proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&svm)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let from_csv = proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&csv)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(from_svm, from_csv);
    assert_eq!(String::from_utf8(from_svm).unwrap().lines().count(), 41);
}

/// `fit --data FILE.svm [extra]` fails with exit code 2, no panic, and stderr holding `expect`.
fn rejects(text: &str, extra: &[&str], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "bad.svm", text);
    let mut cmd = proxreg();
    cmd.args(["fit", "--alpha", "0.1", "--data"])
        .arg(&p)
        .args(extra);
    let mut assert = cmd.assert().failure().code(2).stdout("");
    for e in expect {
        assert = assert.stderr(predicate::str::contains(*e));
    }
    assert.stderr(predicate::str::contains("panicked").not());
}

#[test]
fn bad_svmlight_lines_name_file_line_and_column() {
    rejects(
        "1 1:1\n2 3:1 2:1\n",
        &[],
        &["bad.svm:2:7:", "strictly increasing"],
    );
    rejects("1 1:1 1:2\n", &[], &["bad.svm:1:7:", "duplicate index 1"]);
    rejects(
        "1 1:1\nyes 1:1\n",
        &[],
        &["bad.svm:2:1:", "label is not a number"],
    );
    rejects("1 1:x\n", &[], &["bad.svm:1:5:", "value is not a number"]);
    rejects("1 1:NaN\n", &[], &["bad.svm:1:5:", "not a finite number"]);
    rejects("nan 1:1\n", &[], &["bad.svm:1:1:", "not a finite number"]);
    rejects("1 1\n", &[], &["bad.svm:1:3:", "no colon"]);
    rejects("1 -1:1\n", &[], &["bad.svm:1:3:", "negative index"]);
    rejects("1 1:1e999\n", &[], &["bad.svm:1:5:", "overflows"]);
    rejects(
        "1 0:1\n",
        &["--zero-based", "false"],
        &["bad.svm:1:3:", "index 0"],
    );
    rejects("# only a comment\n", &[], &["bad.svm", "empty"]);
    rejects("1 1:1\n", &["--target", "y"], &["not for svmlight data"]);
}

#[test]
fn zero_based_flag_and_huge_sparse_data() {
    let dir = tempfile::tempdir().unwrap();
    // zero-based: index 0 is x0; forced true on a file without 0 shifts every column by one
    let p = write(dir.path(), "z.svm", "1 0:1 1:2\n2 0:2\n3 1:1\n4 0:1 1:1\n");
    let out = dir.path().join("z.json");
    let v = json(&["fit", "--alpha", "0.01"], &p, &out);
    assert_eq!(v["fit"]["feature_names"], serde_json::json!(["x0", "x1"]));
    let q = write(dir.path(), "o.svm", "1 1:1 2:2\n2 1:2\n3 2:1\n4 1:1 2:1\n");
    let v = json(
        &["fit", "--alpha", "0.01", "--zero-based", "true"],
        &q,
        &out,
    );
    assert_eq!(
        v["fit"]["feature_names"],
        serde_json::json!(["x0", "x1", "x2"])
    );
    // --zero-based with CSV data is a usage error
    let c = write(dir.path(), "c.csv", "a,y\n1,2\n2,3\n");
    proxreg()
        .args(["fit", "--alpha", "0.1", "--zero-based", "auto", "--data"])
        .arg(&c)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("--zero-based is for svmlight"));
    // 600 rows × 1e6 features (4.8 GB dense, 7 kB sparse): kept sparse, the CLI fits it (the
    // only nonzero column is constant, so every coefficient is 0 and the intercept the mean
    // label) and predicts from it in O(nnz)
    let big: String = (0..600).map(|i| format!("{i} 1000000:1\n")).collect();
    let b = write(dir.path(), "big.libsvm", &big);
    let model = dir.path().join("big.model.json");
    let v = json(
        &[
            "fit",
            "--alpha",
            "0.1",
            "--quiet",
            "--save-model",
            model.to_str().unwrap(),
        ],
        &b,
        &out,
    );
    let coef = v["fit"]["coef"].as_array().unwrap();
    assert_eq!(coef.len(), 1_000_000);
    assert!(coef.iter().all(|c| c.as_f64() == Some(0.0)));
    assert_eq!(v["fit"]["intercept"], serde_json::json!([299.5]));
    let pred = proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&b)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let pred = String::from_utf8(pred).unwrap();
    assert_eq!(pred.lines().count(), 601);
    assert!(
        pred.lines().skip(1).all(|l| l == "299.5"),
        "{}",
        &pred[..40]
    );
}
