//! The converters, checked by solving both formulations with proxreg itself and against
//! scikit-learn's Ridge fixtures.

use proxreg::conventions::{
    enet_to_ridge_alpha, from_glmnet, glmnet_y_scale, ridge_to_enet_alpha, to_glmnet,
};
use proxreg::prelude::*;

use super::{data, max_diff};

#[test]
fn glmnet_problem_on_scaled_y_equals_the_converted_elastic_net() {
    let (x, y) = data(60, 5, 21);
    let s_y = glmnet_y_scale(&y).unwrap();
    for (lambda, a) in [(0.05, 1.0), (0.08, 0.5), (0.2, 0.1)] {
        // glmnet's fit: ElasticNet on y / s_y with (λ/s_y, a), coefficients times s_y.
        let ys: Vec<f64> = y.iter().map(|v| v / s_y).collect();
        let g = ElasticNet::params()
            .alpha(lambda / s_y)
            .l1_ratio(a)
            .tol(1e-14)
            .fit(&x, &ys)
            .unwrap();
        let glmnet_coef: Vec<f64> = g.coef().iter().map(|v| v * s_y).collect();
        // proxreg on the original y with converted parameters.
        let (alpha, rho) = from_glmnet(lambda, a, s_y).unwrap();
        let m = ElasticNet::params()
            .alpha(alpha)
            .l1_ratio(rho)
            .tol(1e-14)
            .fit(&x, &y)
            .unwrap();
        assert!(max_diff(m.coef(), &glmnet_coef) < 1e-7, "λ={lambda} a={a}");
        let (l2, a2) = to_glmnet(alpha, rho, s_y).unwrap();
        assert!((l2 - lambda).abs() < 1e-14 && (a2 - a).abs() < 1e-14);
    }
    assert!(from_glmnet(0.1, 1.5, 1.0).is_err());
    assert!(from_glmnet(f64::NAN, 0.5, 1.0).is_err());
    assert!(to_glmnet(0.1, 0.5, 0.0).is_err());
    assert!(glmnet_y_scale::<f64>(&[]).is_err());
}

#[test]
fn ridge_alpha_conversion_matches_scikit_learn_ridge() {
    let f = proxreg_fixtures::load("engine_iid").unwrap();
    let pb = f.problem.as_ref().unwrap();
    let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
    let n = pb.n_samples as f64;
    for case in f
        .fits
        .iter()
        .filter(|c| c.estimator == proxreg_fixtures::Estimator::Ridge)
    {
        let a = ridge_to_enet_alpha(case.alpha, n).unwrap();
        assert_eq!(enet_to_ridge_alpha(a, n).unwrap(), case.alpha);
        let m = ElasticNet::params()
            .alpha(a)
            .l1_ratio(0.0)
            .fit_intercept(false)
            .tol(1e-14)
            .fit(&x, &pb.y)
            .unwrap();
        assert!(max_diff(m.coef(), &case.coef) < 1e-7, "{}", case.id);
    }
}

#[derive(serde::Deserialize)]
struct GlmnetCase {
    id: String,
    lambda: f64,
    a: f64,
    y_scale: f64,
    coef: Vec<f64>,
    intercept: f64,
}

#[derive(serde::Deserialize)]
struct GlmnetFixture {
    cases: Vec<GlmnetCase>,
}

/// Real glmnet runs (`scripts/make_glmnet_fixtures.py`, python-glmnet 2.6.1) on the
/// `estimators_iid` data: proxreg's Elastic Net at the converted `(α, ρ)` gives glmnet's answer.
#[test]
fn converted_glmnet_parameters_reproduce_glmnet() {
    let path = proxreg_fixtures::fixtures_dir().join("glmnet_iid.json");
    let fx: GlmnetFixture = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let f = proxreg_fixtures::load("estimators_iid").unwrap();
    let pb = f.problem.as_ref().unwrap();
    let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
    assert!((glmnet_y_scale(&pb.y).unwrap() - fx.cases[0].y_scale).abs() < 1e-12);
    assert_eq!(fx.cases.len(), 6);
    for c in &fx.cases {
        let (alpha, rho) = from_glmnet(c.lambda, c.a, c.y_scale).unwrap();
        let m = ElasticNet::params()
            .alpha(alpha)
            .l1_ratio(rho)
            .tol(1e-14)
            .fit(&x, &pb.y)
            .unwrap();
        let d = max_diff(m.coef(), &c.coef);
        assert!(d < 1e-6, "{}: max |Δcoef| = {d:e}", c.id);
        assert!((m.intercept() - c.intercept).abs() < 1e-6, "{}", c.id);
    }
}
