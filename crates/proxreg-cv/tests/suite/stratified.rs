//! `StratifiedKFold` against scikit-learn's `StratifiedKFold(shuffle=False)` on the label vectors
//! of `tests/fixtures/stratified_kfold.json` (`scripts/make_stratified_fixture.py`), and the
//! properties that hold with shuffling.

#![allow(clippy::unwrap_used, clippy::panic)]

use proxreg_cv::StratifiedKFold;

fn fixture() -> serde_json::Value {
    let path = proxreg_fixtures::fixtures_dir().join("stratified_kfold.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn labels(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn unshuffled_folds_are_scikit_learns() {
    let fx = fixture();
    let cases = fx["cases"].as_array().unwrap();
    assert!(cases.len() >= 6);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let y = labels(&case["y"]);
        let k = case["n_splits"].as_u64().unwrap() as usize;
        let want: Vec<Vec<usize>> = case["test_folds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                f.as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_u64().unwrap() as usize)
                    .collect()
            })
            .collect();
        let folds = StratifiedKFold::new(k).split(&y).unwrap();
        assert_eq!(folds.tests(), &want[..], "{name}");
        // f32 labels give the same folds.
        let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
        assert_eq!(
            StratifiedKFold::new(k).split(&y32).unwrap(),
            folds,
            "{name}"
        );
    }
}

/// With a seed: a partition, deterministic, each class's share per fold within one of even,
/// and the class counts per fold those of the unshuffled split (only who goes where changes).
#[test]
fn shuffled_folds_keep_the_class_counts() {
    let fx = fixture();
    for case in fx["cases"].as_array().unwrap() {
        let y = labels(&case["y"]);
        let k = case["n_splits"].as_u64().unwrap() as usize;
        let plain = StratifiedKFold::new(k).split(&y).unwrap();
        let a = StratifiedKFold::new(k).shuffle(Some(7)).split(&y).unwrap();
        let b = StratifiedKFold::new(k).shuffle(Some(7)).split(&y).unwrap();
        assert_eq!(a, b);
        let c = StratifiedKFold::new(k).shuffle(Some(8)).split(&y).unwrap();
        assert_ne!(a, plain, "{}: seed 7 moved nobody", case["name"]);
        assert_ne!(a, c, "{}: seeds 7 and 8 agree", case["name"]);
        let mut seen = vec![0_usize; y.len()];
        for f in 0..k {
            for &i in a.test(f) {
                seen[i] += 1;
            }
            let count = |folds: &proxreg_cv::Folds, v: f64| {
                folds.test(f).iter().filter(|&&i| y[i] == v).count()
            };
            for &v in &[0.0, 1.0, 2.0, 5.0] {
                assert_eq!(count(&a, v), count(&plain, v));
            }
        }
        assert!(seen.iter().all(|&s| s == 1));
    }
}

#[test]
fn bad_labels_and_fold_counts_are_typed_errors() {
    use proxreg_core::Error;
    let y = [0.0, 1.0, 0.0, 1.0];
    assert!(matches!(
        StratifiedKFold::new(1).split(&y),
        Err(Error::InvalidParameter {
            name: "n_splits",
            ..
        })
    ));
    // Every class smaller than K.
    assert!(matches!(
        StratifiedKFold::new(3).split(&y),
        Err(Error::InvalidParameter {
            name: "n_splits",
            ..
        })
    ));
    assert!(matches!(
        StratifiedKFold::new(2).split(&[0.0, f64::NAN, 1.0, 1.0]),
        Err(Error::NonFinite {
            what: "y",
            index: 1
        })
    ));
    assert!(matches!(
        StratifiedKFold::new(2).split::<f64>(&[]),
        Err(Error::Empty { .. })
    ));
}
