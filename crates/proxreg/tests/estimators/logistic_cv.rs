//! Cross-validated logistic regression: the curve against independent single fits on the
//! folds' training rows, the selections, parallel == serial bitwise, every measure, typed
//! errors.

use proxreg::prelude::*;
use proxreg::{ClassMeasure, Folds, LogisticRegressionCv, LogisticRegressionParams};
use proxreg_fixtures::logistic::load_logistic;

fn small() -> (ColMajor<f64>, Vec<f64>) {
    let fx = load_logistic("logistic_small").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    (
        ColMajor::new(fx.problem.x_col_major(), n, p).unwrap(),
        fx.problem.y.clone(),
    )
}

/// The measure of independent `LogisticRegression` fits on each fold's training rows, mean over
/// folds, at each alpha.
fn independent_curve(
    x: &ColMajor<f64>,
    y: &[f64],
    w: Option<&[f64]>,
    folds: &Folds,
    alphas: &[f64],
    base: &LogisticRegressionParams<f64>,
    measure: ClassMeasure,
) -> Vec<f64> {
    let k = folds.n_folds();
    alphas
        .iter()
        .map(|&a| {
            let mut sum = 0.0;
            for f in 0..k {
                let (train, test) = (folds.train(f), folds.test(f));
                let pick = |v: &[f64], r: &[usize]| r.iter().map(|&i| v[i]).collect::<Vec<_>>();
                let xt = x.select_rows(&train).unwrap();
                let params = base.clone().alpha(a).tol(1e-12);
                let m = match w {
                    Some(s) => params.fit_weighted(&xt, &pick(y, &train), &pick(s, &train)),
                    None => params.fit(&xt, &pick(y, &train)),
                }
                .unwrap();
                let eta = m.decision_function(&x.select_rows(test).unwrap()).unwrap();
                let y01: Vec<f64> = pick(y, test)
                    .iter()
                    .map(|&v| f64::from(u8::from(v == 1.0)))
                    .collect();
                let wt = w.map(|s| pick(s, test));
                sum += measure.eval(&y01, &eta, wt.as_deref());
            }
            sum / k as f64
        })
        .collect()
}

#[test]
fn curve_equals_the_mean_of_independent_fold_fits() {
    let (x, y) = small();
    let kfold = KFold::new(4).shuffle(Some(11));
    let folds = kfold.split(x.nrows()).unwrap();
    for (measure, l1_ratio) in [
        (ClassMeasure::Deviance, 1.0),
        (ClassMeasure::Mse, 0.5),
        (ClassMeasure::Mae, 1.0),
    ] {
        let cv = LogisticRegressionCv::params()
            .n_alphas(8)
            .l1_ratio(l1_ratio)
            .cv(kfold)
            .measure(measure)
            .tol(1e-12)
            .fit(&x, &y)
            .unwrap();
        // the grid starts at alpha_max of the full data
        let amax = LogisticRegression::params()
            .l1_ratio(l1_ratio)
            .alpha_max(&x, &y, None)
            .unwrap();
        assert_eq!(cv.alphas()[0], amax);
        assert!((cv.alphas()[7] / amax - 1e-2).abs() < 1e-12);
        let base = LogisticRegression::params().l1_ratio(l1_ratio);
        let reference = independent_curve(&x, &y, None, &folds, cv.alphas(), &base, measure);
        for (a, (&got, &want)) in cv.cv_mean().iter().zip(&reference).enumerate() {
            assert!(
                (got - want).abs() <= 1e-8 * want.abs().max(1.0),
                "{measure:?} alpha #{a}: {got} vs {want}"
            );
        }
        assert_eq!(cv.n_not_converged(), 0);
        assert!(cv.max_relative_gap().unwrap() <= 1e-12);
        assert_eq!(cv.fold_max_relative_gaps().len(), 4);
        // refit at the selected alpha, all data
        let refit = LogisticRegression::params()
            .alpha(cv.alpha())
            .l1_ratio(l1_ratio)
            .tol(1e-12)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(cv.coef(), refit.coef());
        assert_eq!(cv.model().alpha(), cv.alpha());
    }
}

#[test]
fn weighted_curve_equals_independent_weighted_fits() {
    let (x, y) = small();
    let w: Vec<f64> = (0..x.nrows()).map(|i| 0.5 + (i % 4) as f64 * 0.5).collect();
    let ids: Vec<usize> = (0..x.nrows()).map(|i| (i * 7) % 3).collect();
    let folds = Folds::from_fold_ids(&ids).unwrap();
    let cv = LogisticRegressionCv::params()
        .n_alphas(6)
        .fold_ids(ids)
        .tol(1e-12)
        .fit_weighted(&x, &y, &w)
        .unwrap();
    let amax = LogisticRegression::params()
        .alpha_max(&x, &y, Some(&w))
        .unwrap();
    assert_eq!(cv.alphas()[0], amax);
    let reference = independent_curve(
        &x,
        &y,
        Some(&w),
        &folds,
        cv.alphas(),
        &LogisticRegression::params(),
        ClassMeasure::Deviance,
    );
    for (&got, &want) in cv.cv_mean().iter().zip(&reference) {
        assert!(
            (got - want).abs() <= 1e-8 * want.max(1.0),
            "{got} vs {want}"
        );
    }
}

/// Standardization, penalty factors and bounds reach every fold's fit as they reach a single
/// `LogisticRegression` (the same penalty wrapping), and the grid's top.
#[test]
fn options_reach_the_fold_fits() {
    let (x, y) = small();
    let p = x.ncols();
    let factors: Vec<f64> = (0..p)
        .map(|j| if j == 2 { 0.0 } else { 0.5 + j as f64 / 4.0 })
        .collect();
    let kfold = KFold::new(3).shuffle(Some(4));
    let folds = kfold.split(x.nrows()).unwrap();
    let cv = LogisticRegressionCv::params()
        .n_alphas(6)
        .l1_ratio(0.8)
        .standardize(true)
        .penalty_factors(factors.clone())
        .bounds(-0.5, 2.0)
        .cv(kfold)
        .measure(ClassMeasure::Misclassification)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    let base = LogisticRegression::params()
        .l1_ratio(0.8)
        .standardize(true)
        .penalty_factors(factors)
        .bounds(-0.5, 2.0);
    assert_eq!(cv.alphas()[0], base.alpha_max(&x, &y, None).unwrap());
    let reference = independent_curve(
        &x,
        &y,
        None,
        &folds,
        cv.alphas(),
        &base,
        ClassMeasure::Misclassification,
    );
    for (&got, &want) in cv.cv_mean().iter().zip(&reference) {
        assert!((got - want).abs() <= 1e-12, "{got} vs {want}");
    }
    let refit = base.alpha(cv.alpha()).tol(1e-12).fit(&x, &y).unwrap();
    // (standardized: the box holds the coefficients of the standardized columns)
    assert_eq!(cv.coef(), refit.coef());
    assert!(cv.n_not_converged() == 0 && cv.max_relative_gap().unwrap() <= 1e-12);
}

#[test]
fn selections_and_summaries() {
    let (x, y) = small();
    let params = LogisticRegressionCv::params()
        .n_alphas(15)
        .cv(KFold::new(5).shuffle(Some(2)))
        .tol(1e-8);
    let min = params.clone().fit(&x, &y).unwrap();
    let se = params
        .clone()
        .selection(Selection::OneStandardError)
        .fit(&x, &y)
        .unwrap();
    assert!(min.alpha_1se() >= min.alpha_min());
    assert_eq!(min.alpha(), min.alpha_min());
    assert_eq!(se.alpha(), se.alpha_1se());
    assert_eq!(se.alpha_1se(), min.alpha_1se());
    // the 1se alpha is within one standard error of the minimum, and is the largest such
    let bound = min.cv_mean()[min.index_min()] + min.cv_std_err()[min.index_min()];
    assert!(min.cv_mean()[min.index_1se()] <= bound);
    assert!(min.cv_mean()[..min.index_1se()].iter().all(|&m| m > bound));
    // the mean and standard error are those of the fold-by-alpha matrix
    for (a, row) in min.cv_errors().iter().enumerate() {
        assert_eq!(row.len(), 5);
        let m = row.iter().sum::<f64>() / 5.0;
        let sd = (row.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 4.0).sqrt();
        assert!((min.cv_mean()[a] - m).abs() <= 1e-15 * m.abs().max(1.0));
        assert!((min.cv_std_err()[a] - sd / 5f64.sqrt()).abs() <= 1e-14);
    }
    // predictions of the refit, in the user's labels
    let p = se.predict_proba(&x).unwrap();
    assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
    assert_eq!(se.predict(&x).unwrap(), se.model().predict(&x).unwrap());
    assert_eq!(se.classes(), [0.0, 1.0]);
}

#[test]
fn parallel_equals_serial_bitwise() {
    let (x, y) = small();
    // labels as ±1, to go through the encoding too
    let y: Vec<f64> = y.iter().map(|&v| 2.0 * v - 1.0).collect();
    for measure in [ClassMeasure::Deviance, ClassMeasure::Auc] {
        let params = LogisticRegressionCv::params()
            .n_alphas(12)
            .l1_ratio(0.7)
            .cv(KFold::new(5).shuffle(Some(5)))
            .measure(measure)
            .tol(1e-9);
        let serial = params.clone().parallel(false).fit(&x, &y).unwrap();
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let par = pool.install(|| params.clone().parallel(true).fit(&x, &y).unwrap());
            assert_eq!(par, serial, "{measure:?}, {threads} threads");
            let bits =
                |v: &[Vec<f64>]| -> Vec<u64> { v.iter().flatten().map(|f| f.to_bits()).collect() };
            assert_eq!(bits(par.cv_errors()), bits(serial.cv_errors()));
        }
    }
}

#[test]
fn every_measure_runs_and_auc_is_maximised() {
    let (x, y) = small();
    let base = LogisticRegressionCv::params()
        .n_alphas(10)
        .cv(KFold::new(4).shuffle(Some(1)))
        .tol(1e-8);
    for measure in [
        ClassMeasure::Deviance,
        ClassMeasure::Misclassification,
        ClassMeasure::Auc,
        ClassMeasure::Mse,
        ClassMeasure::Mae,
    ] {
        let cv = base.clone().measure(measure).fit(&x, &y).unwrap();
        assert_eq!(cv.measure(), measure);
        assert!(cv.cv_mean().iter().all(|v| v.is_finite() && *v >= 0.0));
        assert!(cv.alpha_1se() >= cv.alpha_min());
        let score = cv.cv_score();
        if measure == ClassMeasure::Auc {
            // the selected alpha has the largest mean AUC (= 1 − the minimised loss)
            let best = score.iter().copied().fold(f64::MIN, f64::max);
            assert_eq!(score[cv.index_min()], best);
            assert!(best > 0.5 && best <= 1.0);
            assert!(cv
                .cv_errors()
                .iter()
                .flatten()
                .all(|&l| (0.0..=1.0).contains(&l)));
        } else {
            assert_eq!(score, cv.cv_mean());
        }
        if measure == ClassMeasure::Misclassification {
            // shares of wrong labels: multiples of 1/20 in every fold of 20 rows
            for v in cv.cv_errors().iter().flatten() {
                assert!((v * 20.0 - (v * 20.0).round()).abs() < 1e-12);
            }
        }
    }
}

#[test]
fn typed_errors() {
    let (x, y) = small();
    // one class in a training fold: the first 3 rows are the only positives of a fold split
    let n = 12;
    let xs = ColMajor::from_fn(n, 2, |i, j| (i * (j + 1)) as f64 / 5.0);
    let ys: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i < 3))).collect();
    let ids: Vec<usize> = (0..n).map(|i| usize::from(i >= 3)).collect();
    let err = LogisticRegressionCv::params()
        .n_alphas(3)
        .fold_ids(ids)
        .fit(&xs, &ys)
        .unwrap_err();
    // fold 0's training rows (3..12) are all negatives: the first failing fold, class 1
    match &err {
        Error::FoldMissingClass { fold, part, class } => {
            assert_eq!((*fold, *part, *class), (0, "training", 1.0));
        }
        e => panic!("unexpected {e:?}"),
    }
    assert!(err.to_string().contains("training"), "{err}");
    // AUC on a test fold of one class
    // (both classes in every training set, fold 0's test rows all positive)
    let ys2: Vec<f64> = (0..n)
        .map(|i| f64::from(u8::from(!(3..10).contains(&i))))
        .collect();
    let ids: Vec<usize> = (0..n)
        .map(|i| usize::from(i >= 3) + usize::from(i >= 8))
        .collect();
    let err = LogisticRegressionCv::params()
        .n_alphas(3)
        .fold_ids(ids)
        .measure(ClassMeasure::Auc)
        .fit(&xs, &ys2)
        .unwrap_err();
    // fold 0's held-out rows (0..3) are all positives: class 0 is missing there
    assert!(
        matches!(
            err,
            Error::FoldMissingClass {
                fold: 0,
                part: "held-out",
                class
            } if class == 0.0
        ),
        "{err:?}"
    );
    // one label overall, three labels
    let err = LogisticRegressionCv::params()
        .fit(&xs, &vec![1.0; n])
        .unwrap_err();
    assert!(matches!(err, Error::InvalidTarget { .. }));
    let mut y3 = y.clone();
    y3[5] = 2.0;
    let err = LogisticRegressionCv::params().fit(&x, &y3).unwrap_err();
    assert!(
        matches!(err, Error::InvalidTarget { index: Some(_), .. }),
        "{err:?}"
    );
    // bad n_splits
    for k in [0, 1, x.nrows() + 1] {
        let err = LogisticRegressionCv::params()
            .cv(KFold::new(k))
            .fit(&x, &y)
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidParameter {
                    name: "n_splits",
                    ..
                }
            ),
            "{k}: {err:?}"
        );
    }
    // bad eps, n_alphas, l1_ratio, alphas
    for eps in [0.0, 1.0, -1e-3, f64::NAN] {
        let err = LogisticRegressionCv::params()
            .eps(eps)
            .fit(&x, &y)
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "eps", .. }),
            "{eps}: {err:?}"
        );
    }
    let err = LogisticRegressionCv::<f64>::params()
        .n_alphas(0)
        .check()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidParameter {
            name: "n_alphas",
            ..
        }
    ));
    let err = LogisticRegressionCv::params()
        .l1_ratio(1.5_f64)
        .check()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err:?}");
    let err = LogisticRegressionCv::<f64>::params()
        .alphas(vec![])
        .check()
        .unwrap_err();
    assert!(matches!(err, Error::Empty { what: "alphas" }));
    // ridge needs a given grid; with one it runs
    let err = LogisticRegressionCv::params()
        .l1_ratio(0.0)
        .fit(&x, &y)
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
    let ridge = LogisticRegressionCv::params()
        .l1_ratio(0.0)
        .alphas(vec![0.01, 1.0, 0.1])
        .fit(&x, &y)
        .unwrap();
    assert_eq!(ridge.alphas(), [1.0, 0.1, 0.01]);
    // shapes
    let err = LogisticRegressionCv::params().fit(&x, &y[1..]).unwrap_err();
    assert!(matches!(err, Error::DimensionMismatch { .. }));
    let err = LogisticRegressionCv::params()
        .fit_weighted(&x, &y, &[1.0; 3])
        .unwrap_err();
    assert!(matches!(err, Error::DimensionMismatch { .. }));
}

/// scikit-learn 1.9.1 `LogisticRegressionCV(scoring="neg_log_loss")`, ridge, on the same data
/// and folds (`tests/fixtures/logistic_cv_sklearn.json`, `scripts/make_logistic_cv_fixture.py`):
/// the deviance of every (alpha, fold) and the selected alpha.
#[test]
fn deviance_curve_matches_scikit_learn() {
    let (x, y) = small();
    let path = proxreg_fixtures::fixtures_dir().join("logistic_cv_sklearn.json");
    let fx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let floats = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_f64().unwrap())
            .collect()
    };
    let alphas = floats(&fx["alphas"]);
    let tests: Vec<Vec<usize>> = fx["test_folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| floats(t).iter().map(|&i| i as usize).collect())
        .collect();
    // the fixture's folds are KFold(4)'s
    assert_eq!(KFold::new(4).split(x.nrows()).unwrap().tests(), &tests[..]);
    let cv = LogisticRegressionCv::params()
        .l1_ratio(0.0)
        .alphas(alphas.clone())
        .cv(KFold::new(4))
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(cv.alphas(), &alphas[..]);
    let mut worst: f64 = 0.0;
    for (a, row) in fx["deviance"].as_array().unwrap().iter().enumerate() {
        for (k, &want) in floats(row).iter().enumerate() {
            worst = worst.max((cv.cv_errors()[a][k] - want).abs() / want);
        }
    }
    assert!(worst <= 1e-8, "{worst:e} from scikit-learn");
    // scikit-learn selects C_ = 1/(60·alpha) of the same alpha (60 training rows per fold)
    let c_sel = fx["C_selected"].as_f64().unwrap();
    assert!((cv.alpha() * 60.0 * c_sel - 1.0).abs() < 1e-12);
    // its refit keeps C on all 80 rows, i.e. alpha = 1/(80·C): proxreg refits at the selected
    // alpha itself (the objective's scale does not depend on n)
    let sk = LogisticRegression::params()
        .alpha(1.0 / (80.0 * c_sel))
        .l1_ratio(0.0)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    let sk_coef = floats(&fx["refit_coef"]);
    let d = sk
        .coef()
        .iter()
        .zip(&sk_coef)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(d <= 1e-7, "{d:e}");
}

/// The default folds are stratified (scikit-learn's `LogisticRegressionCV` default): the same
/// fit, bit for bit, as the fold ids of `StratifiedKFold::new(5)`; and `.stratified(..)` with a
/// seed equals its own fold ids.
#[test]
fn default_folds_are_stratified() {
    let (x, y) = small();
    let base = || LogisticRegressionCv::params().n_alphas(8).tol(1e-10);
    let by_default = base().fit(&x, &y).unwrap();
    let ids = |folds: &Folds| {
        let mut ids = vec![0; y.len()];
        for f in 0..folds.n_folds() {
            for &i in folds.test(f) {
                ids[i] = f;
            }
        }
        ids
    };
    let strat = StratifiedKFold::new(5).split(&y).unwrap();
    let given = base().fold_ids(ids(&strat)).fit(&x, &y).unwrap();
    assert_eq!(by_default.cv_errors(), given.cv_errors());
    assert_eq!(by_default.coef(), given.coef());
    let seeded = StratifiedKFold::new(4).shuffle(Some(9));
    let a = base().stratified(seeded).fit(&x, &y).unwrap();
    let b = base()
        .fold_ids(ids(&seeded.split(&y).unwrap()))
        .fit(&x, &y)
        .unwrap();
    assert_eq!(a.cv_errors(), b.cv_errors());
}

/// Labels sorted with a rare class at the end: plain contiguous K-fold trains one fold on the
/// common class alone (`Error::FoldMissingClass`), stratified folds put the rare class in every fold.
#[test]
fn stratified_folds_fit_a_rare_class_that_plain_folds_cannot() {
    let (x, y) = small();
    let n = y.len();
    // The 8 highest scores of a fixed direction become the rare class, placed last.
    let score: Vec<f64> = (0..n).map(|i| x.col(0)[i] - x.col(1)[i]).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| score[a].partial_cmp(&score[b]).unwrap());
    let xs = x.select_rows(&order).unwrap();
    let ys: Vec<f64> = (0..n).map(|r| f64::from(u8::from(r >= n - 8))).collect();
    let base = || LogisticRegressionCv::params().n_alphas(5).tol(1e-8);
    let err = base().cv(KFold::new(5)).fit(&xs, &ys).unwrap_err();
    // the rare class sits in one contiguous fold: that fold's training rows lack it
    assert!(
        matches!(err, Error::FoldMissingClass { part: "training", class, .. } if class == 1.0),
        "{err:?}"
    );
    let cv = base().fit(&xs, &ys).unwrap();
    assert!(cv.cv_mean().iter().all(|v| v.is_finite()));
}

/// An `l1_ratio` grid: each ratio's curve is the single-ratio cross-validation's, bit for bit;
/// the selection is the pair of minimal mean loss (or, one standard error, the largest
/// `alpha·l1_ratio` within the bound), and the model is the refit there.
#[test]
fn an_l1_ratio_grid_selects_the_best_pair() {
    let (x, y) = small();
    let ratios = [0.2, 0.6, 1.0];
    let base = || {
        LogisticRegressionCv::params()
            .n_alphas(6)
            .eps(0.05)
            .tol(1e-10)
            .stratified(StratifiedKFold::new(4).shuffle(Some(3)))
    };
    let singles: Vec<_> = ratios
        .iter()
        .map(|&r| base().l1_ratio(r).fit(&x, &y).unwrap())
        .collect();
    for selection in [Selection::Min, Selection::OneStandardError] {
        let grid = base()
            .l1_ratios(ratios.to_vec())
            .selection(selection)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(grid.l1_ratios(), &ratios);
        for (p, s) in grid.paths().iter().zip(&singles) {
            assert_eq!(p, s.path());
        }
        // The minimum over every pair, the first ratio on ties.
        let mut best = (0, singles[0].index_min());
        for (r, s) in singles.iter().enumerate() {
            if s.cv_mean()[s.index_min()] < singles[best.0].cv_mean()[best.1] {
                best = (r, s.index_min());
            }
        }
        assert_eq!(grid.l1_ratio_min(), ratios[best.0]);
        let want = match selection {
            Selection::OneStandardError => {
                let b = &singles[best.0];
                let bound = b.cv_mean()[best.1] + b.cv_std_err()[best.1];
                let mut pick = best;
                let key = |r: usize, i: usize| {
                    let a = singles[r].alphas()[i];
                    (a * ratios[r], a)
                };
                for (r, s) in singles.iter().enumerate() {
                    for (i, &m) in s.cv_mean().iter().enumerate() {
                        if m <= bound && key(r, i) > key(pick.0, pick.1) {
                            pick = (r, i);
                        }
                    }
                }
                pick
            }
            _ => best,
        };
        assert_eq!(grid.l1_ratio(), ratios[want.0], "{selection:?}");
        assert_eq!(
            grid.alpha(),
            singles[want.0].alphas()[want.1],
            "{selection:?}"
        );
        let refit = LogisticRegression::params()
            .alpha(grid.alpha())
            .l1_ratio(grid.l1_ratio())
            .tol(1e-10)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(grid.coef(), refit.coef());
        assert!(grid.max_relative_gap().unwrap() <= 1e-10);
    }
    // One ratio as a grid is that ratio.
    let one = base().l1_ratios(vec![0.6]).fit(&x, &y).unwrap();
    assert_eq!(one.path(), singles[1].path());
    assert_eq!(one.coef(), singles[1].coef());
    // Typed errors.
    assert!(matches!(
        base().l1_ratios(vec![]).fit(&x, &y),
        Err(Error::Empty { what: "l1_ratios" })
    ));
    assert!(matches!(
        base().l1_ratios(vec![0.5, 1.5]).fit(&x, &y),
        Err(Error::InvalidParameter {
            name: "l1_ratio",
            ..
        })
    ));
}
