//! Cross-validation from per-fold sufficient statistics equals the in-memory cross-validation
//! on the same rows and folds (errors to rounding, the same lambda_min / lambda_1se).

#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use proxreg_core::penalty::{ElasticNet, SeparablePenalty, L1};
use proxreg_core::{Error, Scalar};
use proxreg_cv::{
    cv_path, cv_path_stats, information_criteria, information_criteria_stats, ridge_curves,
    ridge_gcv_stats, Alphas, CvPath, CvSettings, ErrorMeasure, KFold, NoiseVariance,
};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{CoordinateDescent, SufficientStats};

fn data<T: Scalar>(n: usize, p: usize) -> (ColMajor<T>, Vec<T>) {
    let x = ColMajor::from_fn(n, p, |i, j| {
        let u = ((i * 37 + j * 101 + i * j * 7) % 97) as f64 / 97.0;
        T::lit(50.0 + u + 0.5 * j as f64 + 0.3 * ((i * 13 + j) % 11) as f64)
    });
    let y: Vec<T> = (0..n)
        .map(|i| {
            let v = 2.0 * x.col(0)[i].as_f64() - 1.5 * x.col(3)[i].as_f64()
                + 0.7 * ((i * 29) % 17) as f64 / 17.0;
            T::lit(v)
        })
        .collect();
    (x, y)
}

fn settings<T: Scalar>(standardize: bool, tol: f64) -> CvSettings<T> {
    CvSettings {
        alphas: Alphas::Auto {
            n_alphas: 30,
            eps: T::lit(1e-3),
        },
        fit_intercept: true,
        standardize,
        solver: CoordinateDescent::new().tol(T::lit(tol)),
        measure: ErrorMeasure::Mse,
    }
}

fn worst(a: &CvPath<f64>, b: &CvPath<f64>) -> f64 {
    let mut w = 0.0_f64;
    for (ra, rb) in a.alphas.iter().zip(&b.alphas) {
        w = w.max((ra - rb).abs() / rb);
    }
    for (ra, rb) in a.mse.iter().zip(&b.mse) {
        for (u, v) in ra.iter().zip(rb) {
            w = w.max((u - v).abs() / v);
        }
    }
    w
}

fn same_cv<P: SeparablePenalty<f64>>(pen: &P, standardize: bool, intercept: bool) -> f64 {
    let (n, p) = (300, 6);
    let (x, y) = data::<f64>(n, p);
    let folds = KFold::new(5).shuffle(Some(7)).split(n).unwrap();
    let mut ids = vec![0; n];
    for k in 0..folds.n_folds() {
        for &i in folds.test(k) {
            ids[i] = k;
        }
    }
    let per = SufficientStats::by_fold(&x, &y, None, &ids, 5).unwrap();
    let mut st = settings::<f64>(standardize, 1e-13);
    st.fit_intercept = intercept;
    let a = cv_path(&x, &y, pen, &folds, &st).unwrap();
    let b = cv_path_stats(&per, pen, &st).unwrap();
    assert_eq!(a.index_min, b.index_min);
    assert_eq!(a.index_1se, b.index_1se);
    assert_eq!(b.n_not_converged, 0);
    worst(&b, &a)
}

#[test]
fn cv_from_fold_statistics_equals_in_memory_cv() {
    let enet = ElasticNet::new(0.5).unwrap();
    let mut w = 0.0_f64;
    for standardize in [false, true] {
        for intercept in [true, false] {
            w = w.max(same_cv(&L1, standardize, intercept));
            w = w.max(same_cv(&enet, standardize, intercept));
        }
    }
    println!("CV from per-fold statistics vs in memory: worst relative difference {w:.2e}");
    assert!(w <= 1e-8, "{w:e}");
}

#[test]
fn cv_from_statistics_errors() {
    let (x, y) = data::<f64>(40, 4);
    let ids: Vec<usize> = (0..40).map(|i| i % 2).collect();
    let per = SufficientStats::by_fold(&x, &y, None, &ids, 2).unwrap();
    let st = settings::<f64>(false, 1e-8);
    assert!(matches!(
        cv_path_stats(&per[..1], &L1, &st),
        Err(Error::InvalidParameter { .. })
    ));
    let mut mae = st.clone();
    mae.measure = ErrorMeasure::Mae;
    assert!(matches!(
        cv_path_stats(&per, &L1, &mae),
        Err(Error::Unsupported { .. })
    ));
    let with_empty = vec![per[0].clone(), SufficientStats::empty(4)];
    assert!(matches!(
        cv_path_stats(&with_empty, &L1, &st),
        Err(Error::Empty { .. })
    ));
    let other = SufficientStats::by_fold(
        &ColMajor::from_fn(40, 2, |i, j| (i * j) as f64),
        &y,
        None,
        &ids,
        2,
    )
    .unwrap();
    assert!(cv_path_stats(&[per[0].clone(), other[1].clone()], &L1, &st).is_err());
}

#[test]
fn ridge_gcv_from_statistics_equals_ridge_curves() {
    let (x, y) = data::<f64>(200, 6);
    let parts: Vec<SufficientStats<f64>> = [0..70, 70..71, 71..200]
        .into_iter()
        .map(|r| {
            let xb = ColMajor::from_fn(r.len(), 6, |i, j| x.col(j)[r.start + i]);
            SufficientStats::from_batch(&xb, &y[r], None).unwrap()
        })
        .collect();
    let mut stats = parts[0].clone();
    stats.merge(&parts[2]).unwrap();
    stats.merge(&parts[1]).unwrap();
    let mut worst = 0.0_f64;
    let (mut compared, mut skipped) = (0, 0);
    for intercept in [true, false] {
        for given in [Some(vec![1e3, 10.0, 1.0, 0.1, 1e-3]), None] {
            let a = ridge_curves(&x, &y, given.as_deref(), 25, intercept).unwrap();
            let b = ridge_gcv_stats(&stats, given.as_deref(), 25, intercept).unwrap();
            assert_eq!(a.alphas.len(), b.alphas.len());
            for i in 0..a.alphas.len() {
                let r = |u: f64, v: f64| (u - v).abs() / v.abs().max(1e-300);
                if b.alphas[i] < b.alpha_floor {
                    skipped += 1;
                    continue;
                }
                compared += 1;
                worst = worst
                    .max(r(b.alphas[i], a.alphas[i]))
                    .max(r(b.gcv[i], a.gcv[i]))
                    .max(r(b.dof[i], a.dof[i]));
            }
            let amin = a
                .gcv
                .iter()
                .enumerate()
                .fold(0, |m, (i, &v)| if v < a.gcv[m] { i } else { m });
            assert_eq!(amin, b.index_min);
        }
    }
    println!(
        "ridge GCV from statistics vs ridge_curves: worst relative difference {worst:.2e} \
         ({compared} alphas compared, {skipped} below alpha_floor)"
    );
    assert!(compared >= 50);
    assert!(worst <= 1e-9, "{worst:e}");
    assert!(ridge_gcv_stats(&SufficientStats::<f64>::empty(6), None, 10, true).is_err());
    assert!(ridge_gcv_stats(&stats, Some(&[-1.0]), 10, true).is_err());
}

#[test]
fn information_criteria_from_statistics_equal_in_memory() {
    let (x, y) = data::<f64>(150, 6);
    let stats = SufficientStats::from_batch(&x, &y, None).unwrap();
    let mut worst = 0.0_f64;
    for l1_ratio in [1.0, 0.5] {
        for intercept in [true, false] {
            for noise in [NoiseVariance::Estimate, NoiseVariance::Given(0.3)] {
                let mut st = settings::<f64>(false, 1e-13);
                st.fit_intercept = intercept;
                let a = information_criteria(&x, &y, l1_ratio, &st, noise).unwrap();
                let b = information_criteria_stats(&stats, l1_ratio, &st, noise).unwrap();
                assert_eq!(a.index_aic, b.index_aic);
                assert_eq!(a.index_bic, b.index_bic);
                let r = |u: &[f64], v: &[f64]| {
                    let s = v.iter().fold(0.0_f64, |m, x| m.max(x.abs())).max(1e-300);
                    u.iter()
                        .zip(v)
                        .fold(0.0_f64, |m, (p, q)| m.max((p - q).abs() / s))
                };
                worst = worst
                    .max(r(&b.alphas, &a.alphas))
                    .max(r(&b.rss, &a.rss))
                    .max(r(&b.dof, &a.dof))
                    .max(r(&b.aic, &a.aic))
                    .max(r(&b.bic, &a.bic))
                    .max((b.noise_variance - a.noise_variance).abs() / a.noise_variance);
            }
        }
    }
    println!(
        "information criteria from statistics vs in memory: worst relative difference {worst:.2e}"
    );
    assert!(worst <= 1e-8, "{worst:e}");
    let mut st = settings::<f64>(true, 1e-8);
    assert!(matches!(
        information_criteria_stats(&stats, 1.0, &st, NoiseVariance::Estimate),
        Err(Error::Unsupported { .. })
    ));
    st.standardize = false;
    let tiny = SufficientStats::from_batch(
        &ColMajor::from_fn(5, 6, |i, j| (i * j) as f64),
        &[1.0; 5],
        None,
    )
    .unwrap();
    assert!(matches!(
        information_criteria_stats(&tiny, 1.0, &st, NoiseVariance::Estimate),
        Err(Error::Unsupported { .. })
    ));
}
