//! `LassoCv` / `ElasticNetCv` against scikit-learn 1.9.1's `LassoCV` / `ElasticNetCV`
//! fixtures (folds, grids, mse_path, selection, refit), f32 runs, typed errors, determinism.
//!
//! Fits use a relative gap of 1e-14 (scikit-learn used 1e-12 with its own, looser dual point):
//! the gap bounds ‖w − w*‖², so 1e-12 leaves Elastic Net points ~1e-7 from the optimum.

#![allow(clippy::panic)]

use proxreg::prelude::*;
use proxreg::{ElasticNetCv, KFold, LassoCv, Selection};
use proxreg_fixtures::{load, Estimator};

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn lasso_cv_and_elastic_net_cv_match_scikit_learn() {
    let mut checked = 0;
    for name in ["estimators_iid", "estimators_corr"] {
        let f = load(name).unwrap();
        let pb = f.problem.as_ref().unwrap();
        let (n, p) = (pb.n_samples, pb.n_features);
        let x = ColMajor::new(pb.x_col_major(), n, p).unwrap();
        let y = &pb.y;
        for case in &f.lasso_cv {
            let kf = KFold::new(case.test_folds.len());
            assert_eq!(kf.split(n).unwrap().tests(), &case.test_folds[..]);
            let (alpha, rho, paths, coef, intercept) = match case.estimator {
                Estimator::LassoCv => {
                    let mut params = LassoCv::params()
                        .n_alphas(case.n_alphas)
                        .eps(case.eps)
                        .cv(kf)
                        .tol(1e-14)
                        .max_iter(case.max_iter as usize);
                    if case.alphas_given {
                        params = params.alphas(case.alphas[0].clone());
                    }
                    let cv = params.fit(&x, y).unwrap();
                    assert_eq!(cv.alpha(), cv.model().alpha());
                    assert_eq!(cv.alphas(), &cv.path().alphas[..]);
                    (
                        cv.alpha(),
                        cv.l1_ratio(),
                        vec![cv.path().clone()],
                        cv.model().coef().to_vec(),
                        cv.model().intercept(),
                    )
                }
                Estimator::ElasticNetCv => {
                    let mut params = ElasticNetCv::params()
                        .l1_ratios(case.l1_ratios.clone())
                        .n_alphas(case.n_alphas)
                        .eps(case.eps)
                        .cv(kf)
                        .tol(1e-14)
                        .max_iter(case.max_iter as usize);
                    if case.alphas_given {
                        params = params.alphas(case.alphas[0].clone());
                    }
                    let cv = params.fit(&x, y).unwrap();
                    assert_eq!(cv.l1_ratio(), cv.model().l1_ratio());
                    assert_eq!(cv.mse_path(), &cv.path().mse[..]);
                    (
                        cv.alpha(),
                        cv.l1_ratio(),
                        cv.paths().to_vec(),
                        cv.model().coef().to_vec(),
                        cv.model().intercept(),
                    )
                }
                other => panic!("unexpected {other:?}"),
            };
            let id = &case.id;
            assert_eq!(paths.len(), case.l1_ratios.len());
            for (r, path) in paths.iter().enumerate() {
                assert_eq!(path.n_not_converged, 0, "{name}/{id}");
                for (a, b) in path.alphas.iter().zip(&case.alphas[r]) {
                    assert!(rel(*a, *b) <= 1e-12, "{name}/{id}: grid {a} vs {b}");
                }
                for (a, row) in path.mse.iter().enumerate() {
                    for (k, &m) in row.iter().enumerate() {
                        let want = case.mse_path[r][a][k];
                        assert!(
                            rel(m, want) <= 1e-9,
                            "{name}/{id} r{r} a{a} k{k}: {m} vs {want}"
                        );
                    }
                }
            }
            assert!(
                rel(alpha, case.alpha) <= 1e-12,
                "{name}/{id}: {alpha} vs {}",
                case.alpha
            );
            assert_eq!(rho, case.l1_ratio, "{name}/{id}");
            for (a, b) in coef.iter().zip(&case.coef) {
                assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "{name}/{id}: {a} vs {b}"
                );
            }
            assert!((intercept - case.intercept).abs() <= 1e-9 * case.intercept.abs().max(1.0));
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}

#[test]
fn one_standard_error_rule() {
    let (x, y) = super::data(60, 6, 3);
    let base = LassoCv::params().n_alphas(25).tol(1e-10);
    let min = base.clone().fit(&x, &y).unwrap();
    let se = base
        .selection(Selection::OneStandardError)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(se.selection(), Selection::OneStandardError);
    assert_eq!(min.path(), se.path());
    assert_eq!(min.alpha(), min.alphas()[min.index_min()]);
    assert_eq!(se.alpha(), se.alphas()[se.index_1se()]);
    assert!(se.alpha() >= min.alpha());
    let (m, s) = (se.mse_mean(), se.mse_std_err());
    let bound = m[se.index_min()] + s[se.index_min()];
    assert!(m[se.index_1se()] <= bound);
    // Every larger alpha is above the bound.
    assert!(m[..se.index_1se()].iter().all(|&v| v > bound));
    // The standard error is sd over folds / √K, from mse_path.
    let row = &se.mse_path()[3];
    let k = row.len() as f64;
    let mean = row.iter().sum::<f64>() / k;
    let sd = (row.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (k - 1.0)).sqrt();
    assert!((s[3] - sd / k.sqrt()).abs() <= 1e-12 * sd.max(1.0));
}

#[test]
fn fold_ids_equal_the_same_kfold() {
    let (x, y) = super::data(40, 5, 9);
    let ids: Vec<usize> = (0..40).map(|i| i / 10).collect();
    let a = ElasticNetCv::params()
        .l1_ratios(vec![0.3, 0.8])
        .n_alphas(10)
        .cv(KFold::new(4))
        .fit(&x, &y)
        .unwrap();
    let b = ElasticNetCv::params()
        .l1_ratios(vec![0.3, 0.8])
        .n_alphas(10)
        .fold_ids(ids)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn deterministic_and_f32() {
    let (x, y) = super::data(50, 5, 11);
    let params = ElasticNetCv::params()
        .l1_ratios(vec![0.5, 1.0])
        .n_alphas(12)
        .cv(KFold::new(5).shuffle(Some(42)));
    let a = params.fit(&x, &y).unwrap();
    let b = params.fit(&x, &y).unwrap();
    assert_eq!(a, b);
    let bits = |c: &ElasticNetCv<f64>| -> Vec<u64> {
        c.paths()
            .iter()
            .flat_map(|p| p.mse.iter().flatten().map(|v| v.to_bits()))
            .collect()
    };
    assert_eq!(bits(&a), bits(&b));
    // f32 agrees with f64 to single precision on the held-out errors.
    let xf = ColMajor::new(x.as_slice().iter().map(|&v| v as f32).collect(), 50, 5).unwrap();
    let yf: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let pf = ElasticNetCv::<f32>::params()
        .l1_ratios(vec![0.5, 1.0])
        .n_alphas(12)
        .tol(1e-6)
        .cv(KFold::new(5).shuffle(Some(42)));
    let c = pf.fit(&xf, &yf).unwrap();
    let a64 = ElasticNetCv::params()
        .l1_ratios(vec![0.5, 1.0])
        .n_alphas(12)
        .tol(1e-12)
        .cv(KFold::new(5).shuffle(Some(42)))
        .fit(&x, &y)
        .unwrap();
    for (p32, p64) in c.paths().iter().zip(a64.paths()) {
        for (r32, r64) in p32.mean.iter().zip(&p64.mean) {
            assert!(rel(f64::from(*r32), *r64) <= 1e-3, "{r32} vs {r64}");
        }
    }
}

#[test]
fn typed_errors() {
    let (x, y) = super::data(20, 3, 1);
    let e = |r: Result<LassoCv<f64>>| r.unwrap_err();
    assert!(matches!(
        e(LassoCv::params().cv(KFold::new(1)).fit(&x, &y)),
        Error::InvalidParameter {
            name: "n_splits",
            ..
        }
    ));
    assert!(matches!(
        e(LassoCv::params().cv(KFold::new(21)).fit(&x, &y)),
        Error::InvalidParameter {
            name: "n_splits",
            ..
        }
    ));
    assert!(matches!(
        e(LassoCv::params().fold_ids(vec![0; 19]).fit(&x, &y)),
        Error::DimensionMismatch { .. }
    ));
    let mut ids = vec![0; 20];
    ids[0] = 2;
    assert!(matches!(
        e(LassoCv::params().fold_ids(ids).fit(&x, &y)),
        Error::Empty { .. }
    ));
    assert!(matches!(
        e(LassoCv::params().eps(f64::NAN).fit(&x, &y)),
        Error::InvalidParameter { name: "eps", .. }
    ));
    assert!(matches!(
        e(LassoCv::params().n_alphas(0).fit(&x, &y)),
        Error::InvalidParameter {
            name: "n_alphas",
            ..
        }
    ));
    assert!(matches!(
        e(LassoCv::params().alphas(vec![0.1, -1.0]).fit(&x, &y)),
        Error::InvalidParameter { name: "alphas", .. }
    ));
    assert!(matches!(
        e(LassoCv::params().tol(0.0).fit(&x, &y)),
        Error::InvalidParameter { name: "tol", .. }
    ));
    let mut yn = y.clone();
    yn[4] = f64::NAN;
    assert!(matches!(
        e(LassoCv::params().fit(&x, &yn)),
        Error::NonFinite { .. }
    ));
    assert!(matches!(
        ElasticNetCv::params()
            .l1_ratios(vec![])
            .fit(&x, &y)
            .unwrap_err(),
        Error::Empty { .. }
    ));
    assert!(matches!(
        ElasticNetCv::params()
            .l1_ratios(vec![1.5])
            .fit(&x, &y)
            .unwrap_err(),
        Error::InvalidParameter { .. }
    ));
    assert!(matches!(
        ElasticNetCv::params()
            .l1_ratios(vec![0.0])
            .fit(&x, &y)
            .unwrap_err(),
        Error::Unsupported { .. }
    ));
    // l1_ratio = 0 with a given grid is fine.
    assert!(ElasticNetCv::params()
        .l1_ratios(vec![0.0])
        .alphas(vec![1.0, 0.1])
        .fit(&x, &y)
        .is_ok());
}

/// With `standardize`, the cross-validation equals `proxreg_cv::cv_path` with per-fold
/// standardization, and the refit equals a standardized `Lasso`.
#[test]
fn standardize_in_folds_and_refit() {
    let (x0, y) = super::data(45, 4, 5);
    // One column on a wildly different scale.
    let x = ColMajor::from_fn(45, 4, |i, j| x0.col(j)[i] * if j == 1 { 1e3 } else { 1.0 });
    let cv = LassoCv::params()
        .n_alphas(10)
        .standardize(true)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    let direct = proxreg_cv::cv_path(
        &x,
        &y,
        &L1,
        &KFold::new(5).split(45).unwrap(),
        &proxreg_cv::CvSettings {
            measure: proxreg_cv::ErrorMeasure::Mse,
            alphas: proxreg_cv::Alphas::Auto {
                n_alphas: 10,
                eps: 1e-3,
            },
            fit_intercept: true,
            standardize: true,
            solver: proxreg::solvers::CoordinateDescent::new().tol(1e-12),
        },
    )
    .unwrap();
    assert_eq!(cv.path(), &direct);
    let refit = Lasso::params()
        .alpha(cv.alpha())
        .standardize(true)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(cv.model().coef(), refit.coef());
    // Differs from the unstandardized cross-validation.
    let plain = LassoCv::params()
        .n_alphas(10)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    assert_ne!(plain.alphas(), cv.alphas());
}
