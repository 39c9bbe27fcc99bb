//! `alpha_max` of the estimators: scikit-learn's automatic grids start at it (fixtures), a fit
//! at it is exactly zero at any tolerance, and just below it is not — with intercepts, sample
//! weights, penalty factors, positivity, standardization and several tasks.

use proxreg::prelude::*;
use proxreg_fixtures::load;

use super::data;

#[test]
fn scikit_learns_automatic_grids_start_at_alpha_max() {
    let mut checked = 0;
    for name in ["estimators_iid", "estimators_corr"] {
        let f = load(name).unwrap();
        let pb = f.problem.as_ref().unwrap();
        let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
        for case in f.lasso_cv.iter().filter(|c| !c.alphas_given) {
            for (&rho, grid) in case.l1_ratios.iter().zip(&case.alphas) {
                let amax = ElasticNet::params()
                    .l1_ratio(rho)
                    .fit_intercept(case.fit_intercept)
                    .alpha_max(&x, &pb.y, None)
                    .unwrap();
                let rel = (amax - grid[0]).abs() / grid[0];
                assert!(
                    rel <= 1e-13,
                    "{name} {} rho {rho}: {amax} vs {}",
                    case.id,
                    grid[0]
                );
                // scikit-learn's own value (one rounding step away): exact zeros even when
                // asked for the tightest tolerance.
                for tol in [1e-4, 1e-16] {
                    let fit = ElasticNet::params()
                        .l1_ratio(rho)
                        .fit_intercept(case.fit_intercept)
                        .alpha(grid[0])
                        .tol(tol)
                        .fit(&x, &pb.y)
                        .unwrap();
                    assert!(fit.coef().iter().all(|&w| w == 0.0), "{name} {}", case.id);
                    assert_eq!(fit.status(), Status::Converged);
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 4, "{checked}");
}

/// A named option setting: its label, the params and the sample weights.
type Setting<'a> = (&'a str, proxreg::ElasticNetParams<f64>, Option<&'a [f64]>);

/// `alpha_max` is the threshold of the fit itself: zeros at it, a nonzero coefficient at
/// `(1 − 1e-6)·alpha_max`, for every option that changes it.
#[test]
fn alpha_max_is_the_fits_own_threshold_under_every_option() {
    let (x, y) = data(60, 5, 7);
    let weights: Vec<f64> = (0..60).map(|i| f64::from(i % 4)).collect();
    let factors = vec![1.0, 0.5, 2.0, 1.0, 3.0];
    let settings: Vec<Setting> = vec![
        ("plain", ElasticNet::params(), None),
        (
            "no intercept",
            ElasticNet::params().fit_intercept(false),
            None,
        ),
        ("weights", ElasticNet::params(), Some(&weights[..])),
        (
            "factors",
            ElasticNet::params().penalty_factors(factors.clone()),
            None,
        ),
        ("positive", ElasticNet::params().positive(true), None),
        ("standardized", ElasticNet::params().standardize(true), None),
        ("l1_ratio 0.3", ElasticNet::params().l1_ratio(0.3), None),
    ];
    for (tag, params, w) in settings {
        let amax = params.alpha_max(&x, &y, w).unwrap();
        assert!(amax > 0.0, "{tag}");
        let fit = |a: f64| {
            let p = params.clone().alpha(a).tol(1e-14);
            match w {
                Some(w) => p.fit_weighted(&x, &y, w).unwrap(),
                None => p.fit(&x, &y).unwrap(),
            }
        };
        let at = fit(amax);
        assert!(
            at.coef().iter().all(|&c| c == 0.0),
            "{tag}: {:?}",
            at.coef()
        );
        let below = fit(amax * (1.0 - 1e-6));
        assert!(below.coef().iter().any(|&c| c != 0.0), "{tag}");
    }
    let lasso = Lasso::params().alpha_max(&x, &y, None).unwrap();
    let enet = ElasticNet::params()
        .l1_ratio(1.0)
        .alpha_max(&x, &y, None)
        .unwrap();
    assert_eq!(lasso, enet);
}

#[test]
fn multitask_alpha_max_is_the_fits_own_threshold() {
    let (x, y1) = data(40, 4, 11);
    let (_, y2) = data(40, 4, 12);
    let y: Vec<f64> = y1.iter().chain(&y2).copied().collect();
    for rho in [1.0, 0.5] {
        let params = MultiTaskElasticNet::params().l1_ratio(rho);
        let amax = params.alpha_max(&x, &y, None).unwrap();
        let at = params.clone().alpha(amax).tol(1e-16).fit(&x, &y).unwrap();
        assert!(at.coef().iter().all(|&c| c == 0.0), "rho {rho}");
        assert!(at.report().status == Status::Converged, "rho {rho}");
        let below = params
            .alpha(amax * (1.0 - 1e-6))
            .tol(1e-14)
            .fit(&x, &y)
            .unwrap();
        assert!(below.coef().iter().any(|&c| c != 0.0), "rho {rho}");
    }
    let a = MultiTaskLasso::params().alpha_max(&x, &y, None).unwrap();
    let b = MultiTaskElasticNet::params()
        .l1_ratio(1.0)
        .alpha_max(&x, &y, None)
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn alpha_max_rejects_bad_input_with_typed_errors() {
    let (x, y) = data(20, 3, 3);
    let mut bad = y.clone();
    bad[4] = f64::NAN;
    assert!(matches!(
        Lasso::params().alpha_max(&x, &bad, None),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        ElasticNet::params().l1_ratio(0.0).alpha_max(&x, &y, None),
        Err(Error::Unsupported { .. })
    ));
    assert!(Lasso::params().alpha_max(&x, &y[..5], None).is_err());
    assert!(MultiTaskLasso::params()
        .alpha_max(&x, &y[..7], None)
        .is_err());
    assert!(Lasso::params()
        .penalty_factors(vec![1.0])
        .alpha_max(&x, &y, None)
        .is_err());
    // kkt_tol is validated like tol.
    for k in [0.0, -1.0, f64::NAN] {
        assert!(Lasso::params().kkt_tol(k).alpha(0.1).fit(&x, &y).is_err());
        assert!(LassoCv::params().kkt_tol(k).fit(&x, &y).is_err());
    }
}
