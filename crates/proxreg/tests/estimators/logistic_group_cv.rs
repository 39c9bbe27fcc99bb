//! Cross-validated logistic group lasso / sparse group lasso: the curve against a manual loop
//! over the same folds (warm-started `LogisticGroupLasso` paths, and cold single fits), the
//! grid and the refit against the single estimator, every measure, parallel == serial bitwise
//! for any thread count, f32, typed errors.

use proxreg::penalty::Groups;
use proxreg::prelude::*;
use proxreg::{
    ClassMeasure, Folds, LogisticGroupLasso, LogisticGroupLassoCv, LogisticGroupLassoParams,
};

/// A seeded design of `n` rows and 8 features in 4 groups of sizes 3, 2, 2, 1, labels 2 / 5
/// from a noisy score on the first two groups (not separable).
fn data(n: usize) -> (ColMajor<f64>, Vec<f64>, Groups) {
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut u = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64 - 0.5
    };
    let x = ColMajor::from_fn(n, 8, |_, j| 2.0 * u() + 0.1 * j as f64);
    let y = (0..n)
        .map(|i| {
            let c = x.col(0);
            let t = 1.5 * c[i] - x.col(1)[i] + 0.8 * x.col(3)[i] + 1.2 * u();
            if t > 0.1 {
                5.0
            } else {
                2.0
            }
        })
        .collect();
    (x, y, Groups::contiguous(&[3, 2, 2, 1]).unwrap())
}

fn to_f32(x: &ColMajor<f64>, y: &[f64]) -> (ColMajor<f32>, Vec<f32>) {
    (
        ColMajor::from_fn(x.nrows(), x.ncols(), |i, j| x.col(j)[i] as f32),
        y.iter().map(|&v| v as f32).collect(),
    )
}

/// `[alpha][fold]`: the measure on each fold's held-out rows of the warm-started
/// `LogisticGroupLasso::path` on its training rows (labels 0/1 for the larger label).
fn manual_fold_errors<T: Scalar>(
    x: &ColMajor<T>,
    y: &[T],
    folds: &Folds,
    alphas: &[T],
    params: &LogisticGroupLassoParams<T>,
    measure: ClassMeasure,
) -> Vec<Vec<T>> {
    let hi = y
        .iter()
        .copied()
        .fold(y[0], |a, b| if b > a { b } else { a });
    let mut out = vec![Vec::new(); alphas.len()];
    for f in 0..folds.n_folds() {
        let (train, test) = (folds.train(f), folds.test(f));
        let xt = x.select_rows(&train).unwrap();
        let yt: Vec<T> = train.iter().map(|&i| y[i]).collect();
        let xs = x.select_rows(test).unwrap();
        let y01: Vec<T> = test
            .iter()
            .map(|&i| if y[i] == hi { T::one() } else { T::zero() })
            .collect();
        let path = params.path(&xt, &yt, None, alphas).unwrap();
        for (a, m) in path.iter().enumerate() {
            let eta = m.decision_function(&xs).unwrap();
            out[a].push(measure.eval(&y01, &eta, None));
        }
    }
    out
}

fn bits<T: Scalar>(v: &[Vec<T>]) -> Vec<u64> {
    v.iter().flatten().map(|f| f.as_f64().to_bits()).collect()
}

/// The curve of the group lasso and of the sparse group lasso equals (bitwise) the manual loop
/// of warm-started paths over the same stratified folds, for every measure; cold single fits
/// on the training rows agree to 1e-8; the mean and standard error are those of the fold
/// errors; the grid starts at the single estimator's `alpha_max` and ends at `1e-2` of it; the
/// refit is bitwise the single fit at the selected alpha.
#[test]
fn curve_equals_a_manual_loop_over_the_same_folds() {
    let (x, y, groups) = data(90);
    let strat = StratifiedKFold::new(4).shuffle(Some(7));
    let folds = strat.split(&y).unwrap();
    let single = |tau: f64, tol: f64| {
        LogisticGroupLasso::params(groups.clone())
            .l1_ratio(tau)
            .tol(tol)
    };
    let amax = |tau: f64| {
        LogisticGroupLasso::params(groups.clone())
            .l1_ratio(tau)
            .alpha_max(&x, &y, None)
            .unwrap()
    };
    let measures = [
        ClassMeasure::Deviance,
        ClassMeasure::Misclassification,
        ClassMeasure::Auc,
        ClassMeasure::Mse,
        ClassMeasure::Mae,
    ];
    let mut worst_cold = 0.0_f64;
    for (tau, measure) in [(0.0, measures[0]), (0.4, measures[0])]
        .into_iter()
        .chain(measures[1..].iter().map(|&m| (0.4, m)))
    {
        let cv = LogisticGroupLassoCv::params(groups.clone())
            .l1_ratio(tau)
            .n_alphas(12)
            .stratified(strat)
            .measure(measure)
            .tol(1e-12)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(cv.measure(), measure);
        assert_eq!(cv.classes(), [2.0, 5.0]);
        assert_eq!(cv.n_not_converged(), 0);
        assert!(cv.max_relative_gap().unwrap() <= 1e-12);
        assert_eq!(cv.fold_max_relative_gaps().len(), 4);
        // the grid
        let grid = proxreg::solvers::alpha_grid(amax(tau), 12, 1e-2).unwrap();
        assert_eq!(cv.alphas(), &grid[..]);
        // the fold errors: the same paths, the same measure
        let manual = manual_fold_errors(&x, &y, &folds, cv.alphas(), &single(tau, 1e-12), measure);
        assert_eq!(bits(cv.cv_errors()), bits(&manual), "tau {tau} {measure:?}");
        for (a, row) in manual.iter().enumerate() {
            let mean = row.iter().sum::<f64>() / 4.0;
            let sd = (row.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / 3.0).sqrt();
            assert!((cv.cv_mean()[a] - mean).abs() <= 1e-14 * mean.abs().max(1.0));
            assert!((cv.cv_std_err()[a] - sd / 2.0).abs() <= 1e-12 * sd.max(1e-3));
            assert_eq!(cv.cv_score()[a], measure.score(cv.cv_mean()[a]));
        }
        // cold single fits (no warm start) on two folds at two alphas
        for f in [0, 3] {
            let (train, test) = (folds.train(f), folds.test(f));
            let xt = x.select_rows(&train).unwrap();
            let yt: Vec<f64> = train.iter().map(|&i| y[i]).collect();
            let xs = x.select_rows(test).unwrap();
            let y01: Vec<f64> = test.iter().map(|&i| f64::from(y[i] == 5.0)).collect();
            for a in [3, 10] {
                let m = LogisticGroupLasso::params(groups.clone())
                    .l1_ratio(tau)
                    .tol(1e-12)
                    .alpha(cv.alphas()[a])
                    .fit(&xt, &yt)
                    .unwrap();
                let e = measure.eval(&y01, &m.decision_function(&xs).unwrap(), None);
                let d = (e - cv.cv_errors()[a][f]).abs() / e.abs().max(1e-3);
                worst_cold = worst_cold.max(d);
                assert!(
                    d <= 1e-8,
                    "fold {f} alpha {a}: {e} vs {}",
                    cv.cv_errors()[a][f]
                );
            }
        }
        // the selection and the refit
        assert_eq!(cv.index(), cv.path().index_min);
        assert_eq!(cv.alpha(), cv.alpha_min());
        assert!(cv.alpha_1se() >= cv.alpha_min());
        let refit = LogisticGroupLasso::params(groups.clone())
            .l1_ratio(tau)
            .tol(1e-12)
            .alpha(cv.alpha())
            .fit(&x, &y)
            .unwrap();
        assert_eq!(&refit, cv.model());
        assert_eq!(cv.model().l1_ratio(), tau);
    }
    eprintln!(
        "logistic group cv: cold single fits vs the fold paths, max rel |Δ| = {worst_cold:.2e}"
    );
}

/// The one-standard-error rule picks `index_1se`: the largest alpha whose mean is within one
/// standard error of the minimum (checked from the curve); plain K-fold and fold ids give the
/// folds they name.
#[test]
fn one_se_rule_plain_folds_and_fold_ids() {
    let (x, y, groups) = data(90);
    let single = |tau: f64, tol: f64| {
        LogisticGroupLasso::params(groups.clone())
            .l1_ratio(tau)
            .tol(tol)
    };
    let base = LogisticGroupLassoCv::params(groups.clone())
        .l1_ratio(0.4)
        .n_alphas(15)
        .tol(1e-10);
    let cv = base
        .clone()
        .cv(KFold::new(5).shuffle(Some(2)))
        .selection(Selection::OneStandardError)
        .fit(&x, &y)
        .unwrap();
    let (mean, se) = (cv.cv_mean(), cv.cv_std_err());
    let imin = (0..mean.len())
        .min_by(|&a, &b| mean[a].partial_cmp(&mean[b]).unwrap())
        .unwrap();
    assert_eq!(cv.path().index_min, imin);
    let i1se = (0..=imin)
        .find(|&a| mean[a] <= mean[imin] + se[imin])
        .unwrap();
    assert_eq!(cv.index(), i1se);
    assert_eq!(cv.alpha(), cv.alpha_1se());
    let folds = KFold::new(5).shuffle(Some(2)).split(90).unwrap();
    let manual = manual_fold_errors(
        &x,
        &y,
        &folds,
        cv.alphas(),
        &single(0.4, 1e-10),
        ClassMeasure::Deviance,
    );
    assert_eq!(bits(cv.cv_errors()), bits(&manual));
    let ids: Vec<usize> = (0..90).map(|i| (i * 7) % 3).collect();
    let by_ids = base.fold_ids(ids.clone()).fit(&x, &y).unwrap();
    let folds = Folds::from_fold_ids(&ids).unwrap();
    let manual = manual_fold_errors(
        &x,
        &y,
        &folds,
        by_ids.alphas(),
        &single(0.4, 1e-10),
        ClassMeasure::Deviance,
    );
    assert_eq!(bits(by_ids.cv_errors()), bits(&manual));
}

/// Parallel folds give bitwise the serial result in pools of 1, 2 and 4 threads, for both
/// penalties and both rules.
#[test]
fn parallel_equals_serial_bitwise_for_any_thread_count() {
    let (x, y, groups) = data(90);
    for (tau, sel) in [(0.0, Selection::Min), (0.5, Selection::OneStandardError)] {
        let params = LogisticGroupLassoCv::params(groups.clone())
            .l1_ratio(tau)
            .n_alphas(10)
            .measure(ClassMeasure::Auc)
            .selection(sel)
            .tol(1e-9);
        let serial = params.clone().parallel(false).fit(&x, &y).unwrap();
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let par = pool.install(|| params.clone().parallel(true).fit(&x, &y).unwrap());
            assert_eq!(par, serial, "tau {tau}, {threads} threads");
            assert_eq!(bits(par.cv_errors()), bits(serial.cv_errors()));
            assert_eq!(par.model().coef(), serial.model().coef());
        }
    }
}

/// f32: the curve equals the manual f32 loop bitwise, and is the f64 curve to f32 accuracy;
/// the same alpha is selected and the refit is close.
#[test]
fn f32_matches_its_manual_loop_and_f64() {
    let (x, y, groups) = data(90);
    let (x32, y32) = to_f32(&x, &y);
    let strat = StratifiedKFold::new(4).shuffle(Some(1));
    let cv32 = LogisticGroupLassoCv::<f32>::params(groups.clone())
        .l1_ratio(0.3)
        .n_alphas(8)
        .stratified(strat)
        .tol(1e-6)
        .fit(&x32, &y32)
        .unwrap();
    let folds = strat.split(&y32).unwrap();
    let manual = manual_fold_errors(
        &x32,
        &y32,
        &folds,
        cv32.alphas(),
        &LogisticGroupLasso::params(groups.clone())
            .l1_ratio(0.3_f32)
            .tol(1e-6),
        ClassMeasure::Deviance,
    );
    assert_eq!(bits(cv32.cv_errors()), bits(&manual));
    assert_eq!(cv32.classes(), [2.0_f32, 5.0]);
    let cv64 = LogisticGroupLassoCv::params(groups)
        .l1_ratio(0.3)
        .n_alphas(8)
        .stratified(strat)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    for (a, b) in cv32.alphas().iter().zip(cv64.alphas()) {
        assert!((f64::from(*a) - b).abs() <= 1e-5 * b, "{a} vs {b}");
    }
    let d = cv32
        .cv_mean()
        .iter()
        .zip(cv64.cv_mean())
        .map(|(a, b)| (f64::from(*a) - b).abs() / b)
        .fold(0.0, f64::max);
    assert!(d <= 1e-3, "f32 vs f64 curve: {d:e}");
    eprintln!("logistic group cv f32 vs f64: curve max rel |Δ| = {d:.2e}");
    let d = cv32
        .model()
        .coef()
        .iter()
        .zip(cv64.model().coef())
        .map(|(a, b)| (f64::from(*a) - b).abs())
        .fold(0.0, f64::max);
    assert_eq!(cv32.index(), cv64.index());
    assert!(d <= 1e-3, "f32 vs f64 refit: {d:e}");
    eprintln!("logistic group cv f32 vs f64: refit max |Δcoef| = {d:.2e}");
}

/// Labels that are not two classes, folds without a class, bad grids and shapes are typed
/// errors; the data and the labels are not modified.
#[test]
fn bad_inputs_are_typed_errors() {
    let (x, y, groups) = data(90);
    let p = || LogisticGroupLassoCv::<f64>::params(groups.clone()).n_alphas(5);
    let one: Vec<f64> = vec![1.0; 90];
    assert!(matches!(
        p().fit(&x, &one).unwrap_err(),
        Error::InvalidTarget { .. }
    ));
    let mut three = y.clone();
    three[4] = 9.0;
    assert!(matches!(
        p().fit(&x, &three).unwrap_err(),
        Error::InvalidTarget { index: Some(4), .. }
    ));
    let mut nan = y.clone();
    nan[2] = f64::NAN;
    assert!(matches!(
        p().fit(&x, &nan).unwrap_err(),
        Error::NonFinite { .. }
    ));
    assert!(matches!(
        p().fit(&x, &y[..80]).unwrap_err(),
        Error::DimensionMismatch { .. }
    ));
    // sorted labels, contiguous folds: fold 0's training rows (the second half) hold one class
    let sorted: Vec<f64> = (0..90).map(|i| if i < 45 { 2.0 } else { 5.0 }).collect();
    let err = p().cv(KFold::new(2)).fit(&x, &sorted).unwrap_err();
    assert!(
        matches!(err, Error::FoldMissingClass { fold: 0, part: "training", class } if class == 2.0),
        "{err:?}"
    );
    // three folds: every training set holds both classes, fold 0's held-out rows one only
    let three_folds = p().cv(KFold::new(3));
    assert!(three_folds.clone().fit(&x, &sorted).is_ok());
    let err = three_folds
        .measure(ClassMeasure::Auc)
        .fit(&x, &sorted)
        .unwrap_err();
    assert!(
        matches!(err, Error::FoldMissingClass { fold: 0, part: "held-out", class } if class == 5.0),
        "{err:?}"
    );
    let name = |e: Error| match e {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(name(p().n_alphas(0).fit(&x, &y).unwrap_err()), "n_alphas");
    assert_eq!(name(p().eps(1.5).fit(&x, &y).unwrap_err()), "eps");
    assert_eq!(
        name(p().alphas(vec![0.1, -1.0]).fit(&x, &y).unwrap_err()),
        "alphas"
    );
    assert_eq!(
        name(p().alphas(vec![f64::NAN]).fit(&x, &y).unwrap_err()),
        "alphas"
    );
    assert!(matches!(
        p().alphas(vec![]).fit(&x, &y).unwrap_err(),
        Error::Empty { what: "alphas" }
    ));
    assert_eq!(name(p().l1_ratio(1.5).fit(&x, &y).unwrap_err()), "l1_ratio");
    assert_eq!(name(p().tol(0.0).fit(&x, &y).unwrap_err()), "tol");
    assert_eq!(
        name(
            p().stratified(StratifiedKFold::new(60))
                .fit(&x, &y)
                .unwrap_err()
        ),
        "n_splits"
    );
    assert!(matches!(
        p().fold_ids(vec![0; 10]).fit(&x, &y).unwrap_err(),
        Error::DimensionMismatch { .. }
    ));
    let wrong = Groups::contiguous(&[3, 2]).unwrap();
    assert!(LogisticGroupLassoCv::<f64>::params(wrong)
        .n_alphas(3)
        .fit(&x, &y)
        .is_err());
    // a given grid is used sorted decreasing; the inputs are unchanged
    let (x0, y0) = (x.clone(), y.clone());
    let cv = p().alphas(vec![0.001, 0.05, 0.01]).fit(&x, &y).unwrap();
    assert_eq!(cv.alphas(), &[0.05, 0.01, 0.001]);
    assert_eq!((x, y), (x0, y0));
}
