//! Estimators against scikit-learn 1.9.1 fixtures: coefficients within 1e-6 (f32: 1e-4), the
//! intercept within that times `1 + ‖x̄‖₁` (it is `ȳ − x̄ᵀw`), and objective no higher than the
//! reference × (1 + 1e-9).

use proxreg::prelude::*;
use proxreg_fixtures::{load, DataSet, Dtype, Estimator, Fixture};

use super::max_diff;

fn matrices(f: &Fixture, set: DataSet) -> (ColMajor<f64>, Vec<f64>) {
    let pb = match set {
        DataSet::Main => f.problem.as_ref().unwrap(),
        DataSet::Repeated => f.repeated_problem.as_ref().unwrap(),
    };
    (
        ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap(),
        pb.y.clone(),
    )
}

#[test]
fn every_single_task_case_matches_scikit_learn() {
    let mut checked = 0;
    for name in ["estimators_iid", "estimators_corr"] {
        let f = load(name).unwrap();
        for case in &f.fits {
            let (x, y) = matrices(&f, case.data);
            let w = case.sample_weight.as_deref();
            let (coef, intercept, objective_ok) = match case.dtype {
                Dtype::Float64 => {
                    let (c, b, obj) = fit64(case.estimator, case, &x, &y, w);
                    let ok = obj.is_none_or(|o| o <= case.objective * (1.0 + 1e-9) + 1e-15);
                    (c, b, ok)
                }
                Dtype::Float32 => {
                    let xf = ColMajor::new(
                        x.as_slice().iter().map(|&v| v as f32).collect(),
                        x.nrows(),
                        x.ncols(),
                    )
                    .unwrap();
                    let yf: Vec<f32> = y.iter().map(|&v| v as f32).collect();
                    let (c, b) = fit32(case.estimator, case, &xf, &yf);
                    (c, b, true)
                }
            };
            let tol = if case.dtype == Dtype::Float32 {
                1e-4
            } else {
                1e-6
            };
            let scale = case.coef.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            let d = max_diff(&coef, &case.coef);
            assert!(d < tol * scale, "{name} {}: max |Δcoef| = {d:e}", case.id);
            // The intercept is ȳ − x̄ᵀw (weighted means): its error is the coefficients' error
            // carried by x̄, so its tolerance is the coefficients' times (1 + ‖x̄‖₁).
            let xbar_l1: f64 = (0..x.ncols())
                .map(|j| {
                    let c = x.col(j);
                    let (s, sw) = match w {
                        Some(w) => c
                            .iter()
                            .zip(w)
                            .fold((0.0, 0.0), |(a, b), (v, wi)| (a + v * wi, b + wi)),
                        None => (c.iter().sum::<f64>(), c.len() as f64),
                    };
                    (s / sw).abs()
                })
                .sum();
            let b_tol = tol * scale.max(case.intercept.abs()) * (1.0 + xbar_l1);
            assert!(
                (intercept - case.intercept).abs() < b_tol,
                "{name} {}: intercept {intercept} vs {}",
                case.id,
                case.intercept
            );
            assert!(
                objective_ok,
                "{name} {}: objective above scikit-learn's",
                case.id
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 46);
}

fn fit64(
    est: Estimator,
    case: &proxreg_fixtures::FitCase,
    x: &ColMajor<f64>,
    y: &[f64],
    w: Option<&[f64]>,
) -> (Vec<f64>, f64, Option<f64>) {
    let m: LinearModel<f64> = match est {
        Estimator::Lasso => {
            let p = Lasso::params()
                .alpha(case.alpha)
                .fit_intercept(case.fit_intercept)
                .positive(case.positive)
                .tol(1e-13);
            match w {
                Some(w) => p.fit_weighted(x, y, w).unwrap().into_inner(),
                None => p.fit(x, y).unwrap().into_inner(),
            }
        }
        Estimator::ElasticNet => {
            let p = ElasticNet::params()
                .alpha(case.alpha)
                .l1_ratio(case.l1_ratio.unwrap())
                .fit_intercept(case.fit_intercept)
                .positive(case.positive)
                .tol(1e-13);
            match w {
                Some(w) => p.fit_weighted(x, y, w).unwrap().into_inner(),
                None => p.fit(x, y).unwrap().into_inner(),
            }
        }
        Estimator::Ridge => {
            let p = Ridge::params()
                .alpha(case.alpha)
                .fit_intercept(case.fit_intercept);
            let m = match w {
                Some(w) => p.fit_weighted(x, y, w).unwrap().into_inner(),
                None => p.fit(x, y).unwrap().into_inner(),
            };
            // Ridge's objective convention differs from the engine's: compare coefficients only.
            return (m.coef().to_vec(), m.intercept(), None);
        }
        other => panic!("unexpected estimator {other:?}"),
    };
    assert_eq!(m.status(), Status::Converged, "{}", case.id);
    // The model's objective is the engine's (1/(2Σs))Σ s r² + penalty, the fixtures' convention.
    (m.coef().to_vec(), m.intercept(), Some(m.report().objective))
}

/// f32 fits use `tol = 1e-7`: at scikit-learn's `1e-6` our certificate allows (and on `iid`
/// gives) 5e-4 of coefficient error for Elastic Net, above the 1e-4 asked for; `1e-7` is near the
/// resolution of an f32 duality gap.
fn fit32(
    est: Estimator,
    case: &proxreg_fixtures::FitCase,
    x: &ColMajor<f32>,
    y: &[f32],
) -> (Vec<f64>, f64) {
    let m: LinearModel<f32> = match est {
        Estimator::Lasso => Lasso::params()
            .alpha(case.alpha as f32)
            .fit_intercept(case.fit_intercept)
            .tol(1e-7)
            .fit(x, y)
            .unwrap()
            .into_inner(),
        Estimator::ElasticNet => ElasticNet::params()
            .alpha(case.alpha as f32)
            .l1_ratio(case.l1_ratio.unwrap() as f32)
            .fit_intercept(case.fit_intercept)
            .tol(1e-7)
            .fit(x, y)
            .unwrap()
            .into_inner(),
        Estimator::Ridge => Ridge::params()
            .alpha(case.alpha as f32)
            .fit_intercept(case.fit_intercept)
            .fit(x, y)
            .unwrap()
            .into_inner(),
        other => panic!("unexpected estimator {other:?}"),
    };
    (
        m.coef().iter().map(|&v| f64::from(v)).collect(),
        f64::from(m.intercept()),
    )
}

#[test]
fn multitask_lasso_with_intercept_matches_scikit_learn() {
    let f = load("estimators_multitask").unwrap();
    let mp = f.multitask_problem.as_ref().unwrap();
    let (n, p, k) = (mp.n_samples, mp.n_features, mp.n_tasks);
    let x = ColMajor::from_fn(n, p, |i, j| mp.x[i][j]);
    let y: Vec<f64> = (0..k)
        .flat_map(|t| mp.y.iter().map(move |r| r[t]))
        .collect();
    for case in &f.multitask_fits {
        let m = MultiTaskLasso::params()
            .alpha(case.alpha)
            .tol(1e-13)
            .fit(&x, &y)
            .unwrap();
        let expected: Vec<f64> = case.coef.iter().flatten().copied().collect();
        assert!(max_diff(m.coef(), &expected) < 1e-6, "{}", case.id);
        assert!(
            max_diff(m.intercepts(), &case.intercept) < 1e-6,
            "{}",
            case.id
        );
        assert!(m.report().objective <= case.objective * (1.0 + 1e-9));
        // One task equals Lasso.
        let y0 = &y[..n];
        let single = MultiTaskLasso::params()
            .alpha(case.alpha)
            .tol(1e-13)
            .fit(&x, y0)
            .unwrap();
        let lasso = Lasso::params()
            .alpha(case.alpha)
            .tol(1e-13)
            .fit(&x, y0)
            .unwrap();
        assert!(max_diff(single.coef(), lasso.coef()) < 1e-8);
    }
}
