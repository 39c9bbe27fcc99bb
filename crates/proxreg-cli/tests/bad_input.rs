//! Every bad-input case of issue #7 runs the binary and checks the message (file, line,
//! column) and the exit code; the accepted variants (BOM, CRLF, surrounding whitespace) give
//! the same fit as the clean file.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn proxreg() -> Command {
    Command::cargo_bin("proxreg").unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Runs `fit --data FILE --alpha 0.1 [extra]` and checks exit code 2 and that stderr contains
/// every piece of `expect`.
fn rejects(bytes: &[u8], extra: &[&str], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "data.csv", bytes);
    let mut cmd = proxreg();
    cmd.arg("fit")
        .arg("--data")
        .arg(&p)
        .args(["--alpha", "0.1"])
        .args(extra);
    let mut assert = cmd.assert().failure().code(2).stdout("");
    let shown = p.display().to_string();
    assert = assert.stderr(predicate::str::contains(shown));
    for e in expect {
        assert = assert.stderr(predicate::str::contains(*e));
    }
    assert.stderr(predicate::str::contains("panicked").not());
}

#[test]
fn ragged_row() {
    rejects(
        b"a,b,y\n1,2,3\n4,5\n",
        &[],
        &["data.csv:3:3:", "row has 2 cells, the header has 3"],
    );
    rejects(b"a,b,y\n1,2,3,4\n", &[], &["data.csv:2:4:", "ragged"]);
}

#[test]
fn non_numeric_cell() {
    rejects(
        b"a,b,y\n1,2,3\n4,five,6\n",
        &[],
        &["data.csv:3:2:", "not a number: \"five\""],
    );
    rejects(
        b"a,b,y\n1,,3\n",
        &[],
        &["data.csv:2:2:", "not a number: \"\""],
    );
    rejects(
        b"a,b,y\n1,1 000,3\n",
        &[],
        &["data.csv:2:2:", "not a number"],
    );
}

#[test]
fn nan_inf_and_overflow() {
    rejects(
        b"a,b,y\n1,2,3\nNaN,2,3\n",
        &[],
        &["data.csv:3:1:", "not a finite number"],
    );
    rejects(
        b"a,b,y\n1,-inf,3\n",
        &[],
        &["data.csv:2:2:", "not a finite number"],
    );
    rejects(
        b"a,b,y\n1,2,Infinity\n",
        &[],
        &["data.csv:2:3:", "not a finite number"],
    );
    rejects(
        b"a,b,y\n1,2,3\n1,2e400,3\n",
        &[],
        &["data.csv:3:2:", "overflows f64"],
    );
}

#[test]
fn empty_file() {
    rejects(b"", &[], &["data.csv: the file is empty"]);
    rejects(b"\n\n", &[], &["the file is empty"]);
}

#[test]
fn header_only() {
    rejects(
        b"a,b,y\n",
        &[],
        &["data.csv:1: the file has a header but no data rows"],
    );
}

#[test]
fn missing_target_column() {
    rejects(
        b"a,b,y\n1,2,3\n",
        &["--target", "z"],
        &["data.csv:1:", "no column named \"z\"", "a, b, y"],
    );
    rejects(
        b"a,b,y\n1,2,3\n",
        &["--features", "a,q"],
        &["no column named \"q\""],
    );
}

#[test]
fn duplicate_target_column() {
    rejects(
        b"a,y,b,y\n1,2,3,4\n",
        &[],
        &[
            "data.csv:1:4:",
            "duplicate column name \"y\"",
            "also column 2",
        ],
    );
    rejects(
        b"a,b,y\n1,2,3\n",
        &["--target", "y,y", "--penalty", "multi-task-lasso"],
        &["data.csv:1:", "column \"y\" is selected twice"],
    );
}

#[test]
fn non_utf8_bytes() {
    rejects(
        b"a,b,y\n1,2,3\n1,\xff\xfe,3\n",
        &[],
        &["data.csv:3:2:", "invalid UTF-8"],
    );
    rejects(
        b"a,\xe9,y\n1,2,3\n",
        &[],
        &["data.csv:1:2:", "invalid UTF-8"],
    );
}

#[test]
fn bad_npy() {
    let dir = tempfile::tempdir().unwrap();
    let x = write(dir.path(), "x.npy", b"\x93NUMPY\x01\x00garbage");
    let y = write(dir.path(), "y.npy", b"whatever");
    proxreg()
        .args(["fit", "--data"])
        .arg(&x)
        .arg("--y")
        .arg(&y)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("x.npy: malformed .npy file"));
}

#[test]
fn npy_with_nan_names_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let xp = dir.path().join("x.npy");
    let yp = dir.path().join("y.npy");
    // 3 × 2, column-major: NaN at row 2, column 2
    proxreg_io::npy::write(&xp, &[3, 2], &[1.0, 2.0, 3.0, 4.0, f64::NAN, 6.0]).unwrap();
    proxreg_io::npy::write(&yp, &[3], &[1.0, 2.0, 3.0]).unwrap();
    proxreg()
        .args(["fit", "--data"])
        .arg(&xp)
        .arg("--y")
        .arg(&yp)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("x.npy:2:2: not a finite number"));
}

fn fit_json(bytes: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "d.csv", bytes);
    let j = dir.path().join("out.json");
    proxreg()
        .args(["fit", "--alpha", "0.05", "--tol", "1e-10", "--data"])
        .arg(&p)
        .arg("--json")
        .arg(&j)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&j).unwrap()).unwrap();
    v["fit"].clone()
}

const CLEAN: &[u8] = b"a,b,y\n1,2,3.5\n2,1,2\n3,5,9\n4,4,7.5\n5,0,4\n";

#[test]
fn bom_crlf_and_whitespace_are_accepted_with_the_same_result() {
    let clean = fit_json(CLEAN);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(CLEAN);
    let crlf: Vec<u8> = String::from_utf8(CLEAN.to_vec())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    let spaced = b" a , b\t, y\n 1, 2 ,3.5\n2,1,\t2\n3,5,9 \n\n4,4,7.5\n5,\"0\",4\n";
    for variant in [bom, crlf, spaced.to_vec()] {
        let got = fit_json(&variant);
        assert_eq!(got["coef"], clean["coef"]);
        assert_eq!(got["intercept"], clean["intercept"]);
        assert_eq!(got["feature_names"], clean["feature_names"]);
    }
}

#[test]
fn model_for_a_different_number_of_features() {
    let dir = tempfile::tempdir().unwrap();
    let train = write(dir.path(), "train.csv", CLEAN);
    let model = dir.path().join("m.json");
    proxreg()
        .args(["fit", "--alpha", "0.01", "--data"])
        .arg(&train)
        .arg("--save-model")
        .arg(&model)
        .assert()
        .success();
    // three columns none of which is named b: the model has 2 features
    let other = write(dir.path(), "new.csv", b"a,c,d\n1,2,3\n");
    proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&other)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("new.csv:1:"))
        .stderr(predicate::str::contains("fitted on 2 features (a, b)"));
    // .npy with 3 columns
    let xp = dir.path().join("x.npy");
    proxreg_io::npy::write(&xp, &[1, 3], &[1.0, 2.0, 3.0]).unwrap();
    proxreg()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&xp)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("x.npy:1:"))
        .stderr(predicate::str::contains(
            "the model was fitted on 2 features (a, b), the data has 3 feature columns",
        ));
}

#[test]
fn corrupt_model_files() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(
        dir.path(),
        "m.json",
        b"{\n  \"format\": \"proxreg-model\",\n  oops\n}",
    );
    proxreg()
        .args(["predict", "--model"])
        .arg(&m)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("m.json:3:"));
    let v2 = br#"{"format":"proxreg-model","version":9,"proxreg_version":"0","estimator":"lasso","alpha":1,"l1_ratio":1,"feature_names":["a"],"target_names":["y"],"n_features":1,"n_tasks":1,"coef":[1],"intercept":[0]}"#;
    let m = write(dir.path(), "v9.json", v2);
    proxreg()
        .args(["predict", "--model"])
        .arg(&m)
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains(
            "v9.json: unusable model file: format version 9",
        ));
}

#[test]
fn bad_arguments_exit_2_without_panic() {
    proxreg()
        .args(["fit", "--alpha", "nan"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("alpha"))
        .stderr(predicate::str::contains("panicked").not());
    proxreg()
        .args(["fit", "--data", "/nonexistent/file.csv"])
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/file.csv: cannot read the file",
        ));
    proxreg()
        .args(["cv", "--folds", "1000"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("n_splits"));
}
