//! Cross-validation from per-fold sufficient statistics equals the in-memory cross-validation
//! on the same rows and folds (errors to rounding, the same lambda_min / lambda_1se).

#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use proxreg_core::penalty::{ElasticNet, SeparablePenalty, L1};
use proxreg_core::{Error, Scalar};
use proxreg_cv::{cv_path, cv_path_stats, Alphas, CvPath, CvSettings, ErrorMeasure, KFold};
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
