//! Checks of the crate's private helpers that the binary cannot reach: svmlight data as a CSC
//! design and its index limits, number parsing, and the multinomial prediction table. They
//! were unit tests; the library has no unit-test target (see `proxreg_cli::internals`).

use proxreg::linalg::DesignMatrix;
use proxreg_cli::internals::{label, predict};
use proxreg_cli::io::{parse_number, parse_svmlight, sparse_design, Design, ErrorKind};
use proxreg_cli::model::Model;
use proxreg_io::svmlight::ZeroBased;
use serde_json::json;

/// svmlight data becomes a CSC with `u32` indices and selects rows without leaving its
/// storage; too many entries or rows for the indices (a limit of 5 or 9 here) and a file
/// without features are refused. (That it fits like the same numbers dense is tested through
/// the binary: `svmlight.rs`, `commands/sparse.rs`.)
#[test]
fn sparse_design_keeps_its_storage_and_refuses_what_it_cannot_index() {
    let text = b"1.5 1:1 3:2\n-0.5 2:1\n2 1:0.5 2:-1 3:1\n0.25 3:-2\n3 1:2 2:1\n-1 2:0.5\n";
    let read = || parse_svmlight(text, "t.svm", ZeroBased::Auto, None).unwrap();
    let (sparse, y) = sparse_design(read(), "t.svm", u32::MAX as usize).unwrap();
    assert!(matches!(sparse, Design::Sparse(_)) && sparse.is_sparse());
    assert_eq!((sparse.nrows(), sparse.ncols()), (6, 3));
    assert_eq!(y, [1.5, -0.5, 2.0, 0.25, 3.0, -1.0]);
    // the entries (densified here only to compare them)
    let dense = |x: &Design| match x {
        Design::Dense(m) => m.to_col_major(),
        Design::Sparse(m) => m.to_col_major(),
    };
    assert_eq!(dense(&sparse).col(1), [0.0, 1.0, -1.0, 0.0, 1.0, 0.5]);
    let sub = sparse.select_rows(&[4, 0]).unwrap();
    assert!(matches!(sub, Design::Sparse(_)));
    assert_eq!(dense(&sub).col(0), [2.0, 1.0]);

    // 10 stored entries in 6 rows: refused with a limit of 5 (rows and entries) or 9
    for max in [5, 9] {
        let err = sparse_design(read(), "t.svm", max).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::SparseTooLarge {
                nnz: 10,
                nrows: 6,
                max
            }
        );
    }
    assert!(sparse_design(read(), "t.svm", 10).is_ok());
    // an svmlight file with rows but no feature is refused
    let d = parse_svmlight(b"1\n2\n", "e.svm", ZeroBased::Auto, None).unwrap();
    let err = sparse_design(d, "e.svm", u32::MAX as usize).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Empty);
}

#[test]
fn parse_number_trims_and_rejects_non_finite_and_non_numeric() {
    assert_eq!(parse_number(" 1.5e2\t"), Ok(150.0));
    assert!(parse_number("nan").is_err());
    assert!(parse_number("1e400").is_err());
    assert!(parse_number("1 000").is_err());
}

#[test]
fn labels_print_without_a_trailing_zero() {
    assert_eq!(label(3.0), "3");
    assert_eq!(label(-1.0), "-1");
    assert_eq!(label(0.5), "0.5");
}

#[test]
fn predict_rows_are_distributions_and_ties_take_the_first_class() {
    let model = Model {
        format: proxreg_cli::model::FORMAT.into(),
        version: proxreg_cli::model::VERSION_2,
        proxreg_version: "0".into(),
        estimator: "lasso".into(),
        alpha: 1.0,
        l1_ratio: 1.0,
        feature_names: vec!["a".into()],
        target_names: vec!["c".into()],
        n_features: 1,
        n_tasks: 1,
        coef: vec![0.0; 3],
        intercept: vec![0.0; 3],
        family: Some("multinomial".into()),
        classes: Some(vec![-1.0, 0.5, 3.0]),
        grouped: Some(false),
        delta: None,
        offset: None,
        groups: None,
        group_weights: None,
    };
    // two rows: η = (0, 0, 0) (a tie) and (700, 0, 800) (exp overflows without the shift)
    let eta = [0.0, 700.0, 0.0, 0.0, 0.0, 800.0];
    let (csv, v) = predict(&model, &eta, 2);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("c_probability_-1,c_probability_0.5,c_probability_3,c")
    );
    assert!(lines.next().unwrap().ends_with(",-1"));
    assert!(lines.next().unwrap().ends_with(",3"));
    for row in v["probabilities"].as_array().unwrap() {
        let s: f64 = row
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap())
            .sum();
        assert!((s - 1.0).abs() < 1e-15);
    }
    assert_eq!(v["labels"], json!([-1.0, 3.0]));
}
