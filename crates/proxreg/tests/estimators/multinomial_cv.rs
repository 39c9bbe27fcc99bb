//! Cross-validated multinomial regression: each fold's held-out errors recomputed from that
//! fold's own path by a small independent implementation of the measures, the selections,
//! parallel == serial bitwise, folds that lack a class, typed errors, f32, CSC == dense.

use proxreg::linalg::CscMatrix;
use proxreg::prelude::*;
use proxreg::{
    Error, MultinomialMeasure, MultinomialRegressionCv, MultinomialRegressionParams,
    StratifiedKFold,
};
use proxreg_fixtures::multinomial::load_multinomial;

/// `(X, y, weights)` of a dataset of the committed multinomial fixture (iris: 150 × 4, three
/// classes sorted by class; wine: 178 × 13 standardized, labels -1 / 0.5 / 3, weights).
fn dataset(name: &str) -> (ColMajor<f64>, Vec<f64>, Option<Vec<f64>>) {
    let fx = load_multinomial().unwrap();
    let d = fx.dataset(name).unwrap();
    let (n, p) = (d.x.len(), d.x[0].len());
    (
        ColMajor::new(d.x_col_major(), n, p).unwrap(),
        d.y.clone(),
        d.sample_weight.clone(),
    )
}

fn pick(v: &[f64], rows: &[usize]) -> Vec<f64> {
    rows.iter().map(|&i| v[i]).collect()
}

/// The three measures of probabilities `prob` (`n × K` row-major) for labels `y` among the
/// sorted `classes`, weights `s`: (deviance, misclassification, 1 − macro OvR AUC), by the
/// definitions (the AUC by counting every weighted pair, ties half).
fn measures(prob: &[f64], y: &[f64], classes: &[f64], s: &[f64]) -> [f64; 3] {
    let k = classes.len();
    let c_of = |v: f64| classes.iter().position(|&c| c == v).unwrap();
    let (mut dev, mut mis, mut tot) = (0.0, 0.0, 0.0);
    for i in 0..y.len() {
        let r = &prob[i * k..(i + 1) * k];
        let c = c_of(y[i]);
        dev += s[i] * -2.0 * r[c].ln();
        // predicted: the first class of largest probability
        let mut best = 0;
        for j in 1..k {
            if r[j] > r[best] {
                best = j;
            }
        }
        mis += s[i] * f64::from(u8::from(best != c));
        tot += s[i];
    }
    let mut auc_sum = 0.0;
    for c in 0..k {
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..y.len() {
            for j in 0..y.len() {
                if c_of(y[i]) == c && c_of(y[j]) != c {
                    let (a, b) = (prob[i * k + c], prob[j * k + c]);
                    let win = if a > b {
                        1.0
                    } else if a == b {
                        0.5
                    } else {
                        0.0
                    };
                    num += s[i] * s[j] * win;
                    den += s[i] * s[j];
                }
            }
        }
        auc_sum += num / den;
    }
    [dev / tot, mis / tot, 1.0 - auc_sum / k as f64]
}

#[test]
fn each_folds_errors_are_recomputed_from_its_own_path() {
    let (x, y, w) = dataset("wine");
    let w = w.unwrap();
    let classes = [-1.0, 0.5, 3.0];
    let kfold = KFold::new(4).shuffle(Some(7));
    let folds = kfold.split(x.nrows()).unwrap();
    for (grouped, l1_ratio) in [(false, 1.0), (true, 0.6)] {
        let run = |measure| {
            MultinomialRegressionCv::params()
                .grouped(grouped)
                .l1_ratio(l1_ratio)
                .n_alphas(6)
                .eps(1e-2)
                .cv(kfold)
                .measure(measure)
                .tol(1e-10)
                .fit_weighted(&x, &y, &w)
                .unwrap()
        };
        let cvs = [
            run(MultinomialMeasure::Deviance),
            run(MultinomialMeasure::Misclassification),
            run(MultinomialMeasure::Auc),
        ];
        // the grid starts at alpha_max of the full weighted data
        let base: MultinomialRegressionParams<f64> = MultinomialRegression::params()
            .grouped(grouped)
            .l1_ratio(l1_ratio)
            .tol(1e-10);
        assert_eq!(
            cvs[0].alphas()[0],
            base.alpha_max(&x, &y, Some(&w)).unwrap()
        );
        assert_eq!(cvs[0].classes(), classes);
        for cv in &cvs {
            assert_eq!(cv.alphas(), cvs[0].alphas());
            assert_eq!(cv.n_not_converged(), 0);
            assert!(cv.max_relative_gap().unwrap() <= 1e-10);
        }
        let mut nonzero_mis = false;
        for f in 0..folds.n_folds() {
            let (train, test) = (folds.train(f), folds.test(f));
            let xt = x.select_rows(&train).unwrap();
            let path = base
                .path(
                    &xt,
                    &pick(&y, &train),
                    Some(&pick(&w, &train)),
                    cvs[0].alphas(),
                )
                .unwrap();
            let xv = x.select_rows(test).unwrap();
            for (a, m) in path.iter().enumerate() {
                let prob = m.predict_proba(&xv).unwrap();
                let own = measures(&prob, &pick(&y, test), &classes, &pick(&w, test));
                for (cv, &e) in cvs.iter().zip(&own) {
                    let got = cv.cv_errors()[a][f];
                    assert!(
                        (got - e).abs() <= 1e-10 * e.abs().max(1.0),
                        "fold {f} alpha {a} {:?}: {got} vs {e}",
                        cv.measure()
                    );
                }
                nonzero_mis |= own[1] > 0.0;
            }
        }
        // the misclassification curve is not trivially zero (the test could fail)
        assert!(nonzero_mis);
    }
}

#[test]
fn parallel_equals_serial_bitwise() {
    let (x, y, _) = dataset("iris");
    for measure in [MultinomialMeasure::Deviance, MultinomialMeasure::Auc] {
        let params = MultinomialRegressionCv::params()
            .grouped(true)
            .l1_ratios(vec![0.5, 1.0])
            .n_alphas(8)
            .eps(1e-2)
            .stratified(StratifiedKFold::new(5).shuffle(Some(3)))
            .measure(measure)
            .tol(1e-8);
        let par = params.clone().parallel(true).fit(&x, &y).unwrap();
        let ser = params.parallel(false).fit(&x, &y).unwrap();
        let bits = |v: &[f64]| v.iter().map(|u| u.to_bits()).collect::<Vec<_>>();
        for (a, b) in par.paths().iter().zip(ser.paths()) {
            assert_eq!(bits(&a.alphas), bits(&b.alphas));
            for (ra, rb) in a.mse.iter().zip(&b.mse) {
                assert_eq!(bits(ra), bits(rb));
            }
        }
        assert_eq!(bits(par.coef()), bits(ser.coef()));
        assert_eq!(bits(par.intercept()), bits(ser.intercept()));
        assert_eq!(par.fold_max_relative_gaps(), ser.fold_max_relative_gaps());
        assert_eq!(par.alpha().to_bits(), ser.alpha().to_bits());
    }
}

#[test]
fn selections_auc_is_maximised_and_the_refit() {
    let (x, y, _) = dataset("iris");
    let params = MultinomialRegressionCv::params()
        .n_alphas(12)
        .eps(1e-3)
        .stratified(StratifiedKFold::new(5).shuffle(Some(1)))
        .tol(1e-8);
    for measure in [
        MultinomialMeasure::Deviance,
        MultinomialMeasure::Misclassification,
        MultinomialMeasure::Auc,
    ] {
        let min = params.clone().measure(measure).fit(&x, &y).unwrap();
        let se = params
            .clone()
            .measure(measure)
            .selection(Selection::OneStandardError)
            .fit(&x, &y)
            .unwrap();
        assert!(min.alpha_1se() >= min.alpha_min());
        assert_eq!(min.alpha(), min.alpha_min());
        assert_eq!(se.alpha(), se.alpha_1se());
        assert_eq!(se.alpha_min(), min.alpha_min());
        assert_eq!(min.model().alpha(), min.alpha());
        assert_eq!(se.model().alpha(), se.alpha());
        // the 1se pick is within one standard error of the minimum, and the largest such
        let (m, s) = (min.cv_mean(), min.cv_std_err());
        let bound = m[min.index_min()] + s[min.index_min()];
        assert!(m[min.index_1se()] <= bound);
        assert!(m[..min.index_1se()].iter().all(|&v| v > bound));
        let score = min.cv_score();
        if measure == MultinomialMeasure::Auc {
            assert!(measure.greater_is_better());
            // the selected AUC is the largest mean AUC, and AUCs are above chance here
            let best = score.iter().copied().fold(f64::MIN, f64::max);
            assert_eq!(score[min.index_min()], best);
            assert!(best > 0.9);
            assert!(score
                .iter()
                .zip(min.cv_mean())
                .all(|(a, l)| (a + l - 1.0).abs() < 1e-15));
        } else {
            assert_eq!(score, min.cv_mean());
            let lowest = m.iter().copied().fold(f64::MAX, f64::min);
            assert_eq!(m[min.index_min()], lowest);
        }
        // the refit is the single fit at the selection
        let refit = MultinomialRegression::params()
            .alpha(min.alpha())
            .tol(1e-8)
            .fit(&x, &y)
            .unwrap();
        assert_eq!(refit.coef(), min.coef());
        assert!(min.score(&x, &y).unwrap() > 0.9);
    }
}

#[test]
fn folds_without_a_class_are_typed_errors() {
    let (x, y, _) = dataset("iris");
    // iris is sorted by class: contiguous 3-fold leaves a class out of every training fold
    let err = MultinomialRegressionCv::params()
        .n_alphas(4)
        .cv(KFold::new(3))
        .fit(&x, &y)
        .unwrap_err();
    assert_eq!(
        err,
        Error::FoldMissingClass {
            fold: 0,
            part: "training",
            class: 0.0
        }
    );
    assert!(err.to_string().contains("fold 0"));
    // a class with one sample: the fold holding it out cannot fit it (stratified too)
    let mut y1 = y.clone();
    y1[149] = 7.0;
    let err = MultinomialRegressionCv::params()
        .n_alphas(4)
        .fit(&x, &y1)
        .unwrap_err();
    assert!(
        matches!(err, Error::FoldMissingClass { part: "training", class, .. } if class == 7.0),
        "{err:?}"
    );
    // a class whose training rows all have zero weight
    let mut w = vec![1.0; 150];
    w[100..125].iter_mut().for_each(|v| *v = 0.0);
    // fold 1 holds the positive-weight rows of class 2 and half of classes 0 and 1; fold 0
    // (fold 1's training rows) has class 2 only at weight zero
    let ids: Vec<usize> = (0..150)
        .map(|i| usize::from(i >= 125 || (i < 100 && i % 2 == 0)))
        .collect();
    let err = MultinomialRegressionCv::params()
        .n_alphas(4)
        .fold_ids(ids)
        .fit_weighted(&x, &y, &w)
        .unwrap_err();
    assert_eq!(
        err,
        Error::FoldMissingClass {
            fold: 1,
            part: "training",
            class: 2.0
        }
    );
    // AUC needs every class in every held-out fold
    let ids: Vec<usize> = (0..150)
        .map(|i| if i < 50 { i % 2 } else { i % 3 })
        .collect();
    let params = MultinomialRegressionCv::params().n_alphas(4).fold_ids(ids);
    assert!(params.clone().fit(&x, &y).is_ok());
    let err = params
        .measure(MultinomialMeasure::Auc)
        .fit(&x, &y)
        .unwrap_err();
    assert_eq!(
        err,
        Error::FoldMissingClass {
            fold: 2,
            part: "held-out",
            class: 0.0
        }
    );
}

#[test]
fn bad_inputs_are_typed_errors_and_the_data_is_untouched() {
    let (x, y, _) = dataset("iris");
    let (x0, y0) = (x.clone(), y.clone());
    let ok = || MultinomialRegressionCv::params().n_alphas(4);
    let nan = f64::NAN;
    // parameters
    for (params, name) in [
        (ok().l1_ratio(nan), "l1_ratio"),
        (ok().l1_ratios(vec![0.5, 1.5]), "l1_ratio"),
        (ok().tol(nan), "tol"),
        (ok().eps(nan), "eps"),
        (ok().n_alphas(0), "n_alphas"),
        (ok().alphas(vec![0.1, nan]), "alphas"),
        (ok().alphas(vec![-0.1]), "alphas"),
    ] {
        let err = params.fit(&x, &y).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: n, .. } if n == name),
            "{name}: {err:?}"
        );
    }
    assert!(matches!(
        ok().l1_ratios(vec![]).fit(&x, &y),
        Err(Error::Empty { what: "l1_ratios" })
    ));
    assert!(matches!(
        ok().alphas(vec![]).fit(&x, &y),
        Err(Error::Empty { what: "alphas" })
    ));
    assert!(matches!(
        ok().l1_ratio(0.0).fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
    // folds
    assert!(matches!(
        ok().fold_ids(vec![0; 10]).fit(&x, &y),
        Err(Error::DimensionMismatch { .. })
    ));
    let gap_ids: Vec<usize> = (0..150).map(|i| 2 * (i % 2)).collect(); // fold 1 empty
    assert!(matches!(
        ok().fold_ids(gap_ids).fit(&x, &y),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        ok().stratified(StratifiedKFold::new(1)).fit(&x, &y),
        Err(Error::InvalidParameter { .. })
    ));
    // too few samples of every class for the folds
    assert!(ok()
        .stratified(StratifiedKFold::new(51))
        .fit(&x, &y)
        .is_err());
    // data
    let mut xn = x.clone();
    xn.col_mut(2)[5] = nan;
    assert!(matches!(ok().fit(&xn, &y), Err(Error::NonFinite { .. })));
    let mut yn = y.clone();
    yn[3] = nan;
    assert!(matches!(
        ok().fit(&x, &yn),
        Err(Error::NonFinite { what: "y", .. })
    ));
    assert!(matches!(
        ok().fit(&x, &y[..10]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        ok().fit(&x, &vec![1.0; 150]),
        Err(Error::InvalidTarget { .. })
    ));
    let mut w = vec![1.0; 150];
    w[4] = nan;
    assert!(matches!(
        ok().fit_weighted(&x, &y, &w),
        Err(Error::NonFinite { .. })
    ));
    w[4] = -1.0;
    assert!(ok().fit_weighted(&x, &y, &w).is_err());
    assert!(matches!(
        ok().fit_weighted(&x, &y, &w[..3]),
        Err(Error::DimensionMismatch { .. })
    ));
    // nothing above (nor a good fit) changed the user's data
    let wc = w.clone();
    let _ = ok().fit_weighted(&x, &y, &w);
    ok().fit(&x, &y).unwrap();
    assert_eq!(x, x0);
    assert_eq!(y, y0);
    assert_eq!(w, wc);
}

#[test]
fn f32_runs_and_follows_f64() {
    let (x, y, _) = dataset("iris");
    let x32 = ColMajor::from_fn(x.nrows(), x.ncols(), |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let folds = StratifiedKFold::new(4).shuffle(Some(2));
    let cv32 = MultinomialRegressionCv::<f32>::params()
        .n_alphas(8)
        .eps(1e-2)
        .stratified(folds)
        .tol(1e-5)
        .fit(&x32, &y32)
        .unwrap();
    let cv64 = MultinomialRegressionCv::<f64>::params()
        .n_alphas(8)
        .eps(1e-2)
        .stratified(folds)
        .tol(1e-10)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(cv32.n_not_converged(), 0);
    for (a, b) in cv32.alphas().iter().zip(cv64.alphas()) {
        assert!((f64::from(*a) - b).abs() <= 1e-4 * b);
    }
    for (a, b) in cv32.cv_mean().iter().zip(cv64.cv_mean()) {
        assert!((f64::from(*a) - b).abs() <= 1e-2 * b.max(1.0), "{a} vs {b}");
    }
    assert!(cv32.index_min().abs_diff(cv64.index_min()) <= 1);
    assert_eq!(cv32.classes(), [0.0f32, 1.0, 2.0]);
}

#[test]
fn csc_design_equals_dense() {
    let (x, y, w) = dataset("wine");
    let w = w.unwrap();
    let mut xs = x.clone();
    for j in 0..xs.ncols() {
        for i in 0..xs.nrows() {
            if (i + 2 * j) % 3 == 0 {
                xs.col_mut(j)[i] = 0.0;
            }
        }
    }
    let csc: CscMatrix<f64, u32> = CscMatrix::from_dense(&xs).unwrap();
    let params = MultinomialRegressionCv::params()
        .grouped(true)
        .l1_ratio(0.8)
        .n_alphas(6)
        .eps(1e-2)
        .stratified(StratifiedKFold::new(3).shuffle(Some(5)))
        .measure(MultinomialMeasure::Auc)
        .tol(1e-10);
    let dense = params.fit_weighted(&xs, &y, &w).unwrap();
    let sparse = params.fit_weighted(&csc, &y, &w).unwrap();
    assert_eq!(dense.alphas().len(), sparse.alphas().len());
    for (a, b) in dense.alphas().iter().zip(sparse.alphas()) {
        assert!((a - b).abs() <= 1e-12 * a);
    }
    for (ra, rb) in dense.cv_errors().iter().zip(sparse.cv_errors()) {
        for (a, b) in ra.iter().zip(rb) {
            assert!((a - b).abs() <= 1e-8, "{a} vs {b}");
        }
    }
    assert_eq!(dense.index(), sparse.index());
    for (a, b) in dense.coef().iter().zip(sparse.coef()) {
        assert!((a - b).abs() <= 1e-7);
    }
}
