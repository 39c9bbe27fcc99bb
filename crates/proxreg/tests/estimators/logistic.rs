//! Logistic regression against the committed references (scikit-learn 1.9.1 `LogisticRegression`,
//! python-glmnet 2.6.1 `LogitNet` and an independent numpy prox-Newton run, all KKT-verified by
//! `scripts/make_logistic_fixtures.py`), plus labels, probabilities and typed errors.

use proxreg::prelude::*;
use proxreg_fixtures::logistic::{load_logistic, LogisticPenalty, LOGISTIC_FILES};

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max)
}

#[test]
fn every_fixture_case_matches_the_references() {
    let mut worst_ref: f64 = 0.0;
    let mut worst_sk: f64 = 0.0;
    let mut n_cases = 0;
    for name in LOGISTIC_FILES {
        let fx = load_logistic(name).unwrap();
        let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
        let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
        let y = &fx.problem.y;
        for case in &fx.cases {
            let l1_ratio = match case.penalty {
                LogisticPenalty::Lasso => 1.0,
                LogisticPenalty::Enet => case.l1_ratio,
                LogisticPenalty::Ridge => 0.0,
            };
            let params = LogisticRegression::params()
                .alpha(case.alpha)
                .l1_ratio(l1_ratio)
                .fit_intercept(case.fit_intercept)
                .standardize(case.standardize)
                .tol(1e-13);
            let model = match &case.sample_weight {
                Some(s) => params.fit_weighted(&x, y, s).unwrap(),
                None => params.fit(&x, y).unwrap(),
            };
            assert!(
                model.report().status == Status::Converged
                    || model.report().status == Status::RoundingFloor,
                "{name}/{}: {:?}",
                case.name,
                model.report()
            );
            let scale = case
                .reference
                .coef
                .iter()
                .fold(1.0_f64, |m, v| m.max(v.abs()));
            let d_ref = max_abs_diff(model.coef(), &case.reference.coef)
                .max((model.intercept() - case.reference.intercept).abs())
                / scale;
            assert!(
                d_ref <= 1e-8,
                "{name}/{}: {d_ref:e} from the reference",
                case.name
            );
            // scikit-learn to 1e-6 (its saga leaves the intercept of the all-zero fit at
            // alpha_max unconverged: the file notes it, the reference is exact there).
            let d_sk = max_abs_diff(model.coef(), &case.sklearn.coef)
                .max((model.intercept() - case.sklearn.intercept).abs())
                / scale;
            if case.sklearn.note.is_none() {
                assert!(
                    d_sk <= 1e-6,
                    "{name}/{}: {d_sk:e} from scikit-learn",
                    case.name
                );
                worst_sk = worst_sk.max(d_sk);
            }
            if let Some(g) = &case.glmnet {
                let d_g = max_abs_diff(model.coef(), &g.coef) / scale;
                assert!(d_g <= 1e-5, "{name}/{}: {d_g:e} from glmnet", case.name);
            }
            // Exact zeros where the reference has them (at alpha_max: all of them).
            if case.alpha_rel >= 1.0 {
                assert!(model.coef().iter().all(|&v| v == 0.0), "{}", case.name);
            }
            // The objective the model reports is that of its coefficients.
            let obj = case.objective(&fx.problem, model.coef(), model.intercept());
            assert!(
                (obj - model.report().objective).abs() <= 1e-12 * obj,
                "{name}/{}",
                case.name
            );
            // The library's alpha_max equals the script's (the lasso's, same weights/scaling).
            if case.penalty == LogisticPenalty::Lasso && case.fit_intercept {
                let amax = LogisticRegression::params()
                    .standardize(case.standardize)
                    .alpha_max(&x, y, case.sample_weight.as_deref())
                    .unwrap();
                assert!(
                    (amax - case.alpha_max).abs() <= 1e-12 * case.alpha_max,
                    "{name}/{}: alpha_max {amax} vs {}",
                    case.name,
                    case.alpha_max
                );
            }
            worst_ref = worst_ref.max(d_ref);
            n_cases += 1;
        }
    }
    assert_eq!(n_cases, 20);
    eprintln!(
        "logistic fixtures: worst vs reference {worst_ref:.1e}, vs scikit-learn {worst_sk:.1e}"
    );
}

#[test]
fn labels_probabilities_and_converter() {
    let fx = load_logistic("logistic_small").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let y01 = &fx.problem.y;
    let case = fx.case("lasso_rel0.1").unwrap();
    // Labels 3 / 7 instead of 0 / 1: the same fit, predictions in the user's labels.
    let y37: Vec<f64> = y01
        .iter()
        .map(|&v| if v == 1.0 { 7.0 } else { 3.0 })
        .collect();
    let a = LogisticRegression::params()
        .alpha(case.alpha)
        .tol(1e-12)
        .fit(&x, y01)
        .unwrap();
    let b = LogisticRegression::params()
        .alpha(case.alpha)
        .tol(1e-12)
        .fit(&x, &y37)
        .unwrap();
    assert_eq!(a.coef(), b.coef());
    assert_eq!(b.classes(), [3.0, 7.0]);
    let pa = a.predict(&x).unwrap();
    let pb = b.predict(&x).unwrap();
    assert!(pa.iter().zip(&pb).all(|(u, v)| (*u == 1.0) == (*v == 7.0)));
    let proba = b.predict_proba(&x).unwrap();
    let eta = b.decision_function(&x).unwrap();
    for i in 0..n {
        assert!((proba[i] - 1.0 / (1.0 + (-eta[i]).exp())).abs() < 1e-15);
        assert_eq!(pb[i] == 7.0, eta[i] > 0.0);
    }
    let acc = b.score(&x, &y37).unwrap();
    let hits = pb.iter().zip(&y37).filter(|(u, v)| u == v).count();
    assert_eq!(acc, hits as f64 / n as f64);
    // scikit-learn's C converts to alpha exactly as the fixture stores it.
    let alpha = proxreg::conventions::alpha_from_sklearn_c(case.sklearn_c, n as f64).unwrap();
    assert!((alpha - case.alpha).abs() <= 1e-14 * case.alpha);
    // f32 fits the same model to f32 accuracy.
    let x32 = ColMajor::from_fn(n, p, |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y01.iter().map(|&v| v as f32).collect();
    let m32 = LogisticRegression::params()
        .alpha(case.alpha as f32)
        .tol(1e-5)
        .fit(&x32, &y32)
        .unwrap();
    let c32: Vec<f64> = m32.coef().iter().map(|&v| f64::from(v)).collect();
    let scale = a.coef().iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    assert!(max_abs_diff(&c32, a.coef()) / scale < 1e-3);
}

#[test]
fn bad_labels_and_parameters_get_typed_errors() {
    let x = ColMajor::from_fn(6, 2, |i, j| (i + j) as f64);
    let fit = |y: &[f64]| LogisticRegression::params().alpha(0.1).fit(&x, y);
    assert!(matches!(
        fit(&[0.0, 1.0, 2.0, 0.0, 1.0, 0.0]),
        Err(Error::InvalidTarget { index: Some(2), .. })
    ));
    assert!(matches!(
        fit(&[1.0; 6]),
        Err(Error::InvalidTarget { index: None, .. })
    ));
    assert!(matches!(
        fit(&[0.0, 1.0, f64::NAN, 0.0, 1.0, 0.0]),
        Err(Error::NonFinite {
            what: "y",
            index: 2
        })
    ));
    let y = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0];
    // Weights that leave one class: no finite intercept.
    assert!(matches!(
        LogisticRegression::params().fit_weighted(&x, &y, &[1.0, 0.0, 0.0, 1.0, 0.0, 1.0]),
        Err(Error::InvalidTarget { .. })
    ));
    assert!(matches!(
        LogisticRegression::params().l1_ratio(1.5).fit(&x, &y),
        Err(Error::InvalidParameter {
            name: "l1_ratio",
            ..
        })
    ));
    assert!(matches!(
        LogisticRegression::params()
            .solver(SolverChoice::Fista)
            .fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
    // Nothing the user passed is modified.
    let y_copy = y;
    let _ = LogisticRegression::params().fit(&x, &y);
    assert_eq!(y, y_copy);
}
