//! Invariances and determinism: permutations, f32 vs f64, identical bits across runs and
//! thread counts, inputs left unmodified.

use proxreg::penalty::L1;
use proxreg::prelude::*;
use proxreg_cv::{cv_path, par_cv_path, Alphas, CvSettings};
use proxreg_solvers::CoordinateDescent;

use super::common::{bits, data, fit_all, fit_one, rel_diff, Cfg, NAMES};
use crate::per_scalar;

fn tol_cmp<T: Scalar>() -> f64 {
    if T::epsilon() < T::lit(1e-10) {
        1e-6
    } else {
        2e-2
    }
}

/// Permuting the rows changes nothing but rounding (the cross-validated estimators are left
/// out: their folds are made of contiguous rows, so a row permutation changes the folds).
fn row_permutation<T: Scalar>() {
    let (x, y) = data::<T>(30, 4, 31);
    let perm: Vec<usize> = (0..30).map(|i| (i * 7 + 3) % 30).collect();
    let xp = ColMajor::from_fn(30, 4, |i, j| x.col(j)[perm[i]]);
    let yp: Vec<T> = perm.iter().map(|&i| y[i]).collect();
    let mut c = Cfg::new(T::lit(0.05));
    c.two_tasks = true;
    for i in 0..7 {
        let a = fit_one(i, &x, &y, None, &c).unwrap();
        let b = fit_one(i, &xp, &yp, None, &c).unwrap();
        let d = rel_diff(&b.coef, &a.coef, 1.0);
        assert!(d <= tol_cmp::<T>(), "{}: {d:e}", NAMES[i]);
    }
}
per_scalar!(
    row_permutation_leaves_coefficients_unchanged,
    row_permutation
);

/// Permuting the columns permutes the coefficients (every estimator).
fn column_permutation<T: Scalar>() {
    let (x, y) = data::<T>(30, 4, 32);
    let perm = [2usize, 0, 3, 1];
    let xp = ColMajor::from_fn(30, 4, |i, j| x.col(perm[j])[i]);
    let c = Cfg::new(T::lit(0.05));
    for i in 0..NAMES.len() {
        let a = fit_one(i, &x, &y, None, &c).unwrap();
        let b = fit_one(i, &xp, &y, None, &c).unwrap();
        let k = a.coef.len() / 4;
        let want: Vec<T> = (0..4)
            .flat_map(|j| a.coef[perm[j] * k..(perm[j] + 1) * k].to_vec())
            .collect();
        let d = rel_diff(&b.coef, &want, 1.0);
        assert!(d <= tol_cmp::<T>(), "{}: {d:e}", NAMES[i]);
    }
}
per_scalar!(column_permutation_permutes_coefficients, column_permutation);

/// f32 and f64 fits of the same data agree to f32 accuracy (every estimator).
#[test]
fn f32_input_agrees_with_f64_for_every_estimator() {
    let (x, y) = data::<f64>(30, 4, 33);
    let x32 = ColMajor::from_fn(30, 4, |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let mut c32 = Cfg::new(0.05f32);
    c32.tol = 1e-7;
    for i in 0..NAMES.len() {
        let a = fit_one(i, &x, &y, None, &Cfg::new(0.05)).unwrap();
        let b = fit_one(i, &x32, &y32, None, &c32).unwrap();
        b.assert_sane(NAMES[i]);
        let b64: Vec<f64> = b.coef.iter().map(|&v| f64::from(v)).collect();
        let d = rel_diff(&b64, &a.coef, 1.0);
        assert!(d <= 1e-3, "{}: {d:e}", NAMES[i]);
    }
}

/// Two runs on the same input give identical bits (every estimator, with and without
/// intercept).
fn repeated_runs<T: Scalar>() {
    let (x, y) = data::<T>(40, 6, 34);
    for fi in [true, false] {
        let mut c = Cfg::new(T::lit(0.02));
        c.fit_intercept = fi;
        let a = fit_all(&x, &y, &c);
        let b = fit_all(&x, &y, &c);
        for ((name, ra), (_, rb)) in a.into_iter().zip(b) {
            let (ra, rb) = (ra.unwrap(), rb.unwrap());
            assert_eq!(bits(&ra.coef), bits(&rb.coef), "{name}");
            assert_eq!(bits(&ra.intercept), bits(&rb.intercept), "{name}");
            assert_eq!(
                ra.relative_gap.map(|g| g.as_f64().to_bits()),
                rb.relative_gap.map(|g| g.as_f64().to_bits()),
                "{name}"
            );
        }
    }
}
per_scalar!(repeated_runs_are_bitwise_identical, repeated_runs);

/// One thread and four threads give identical bits: `par_cv_path` in rayon pools of 1 and 4
/// threads equals the sequential `cv_path`, and the cross-validated estimators fitted inside
/// either pool equal each other.
#[test]
fn one_vs_four_threads_are_bitwise_identical() {
    let (x, y) = data::<f64>(60, 8, 35);
    let folds = proxreg::KFold::new(5).shuffle(Some(7)).split(60).unwrap();
    let settings = CvSettings {
        alphas: Alphas::Auto {
            n_alphas: 12,
            eps: 1e-3,
        },
        fit_intercept: true,
        standardize: false,
        solver: CoordinateDescent::new().tol(1e-10),
        measure: proxreg_cv::ErrorMeasure::Mse,
    };
    let seq = cv_path(&x, &y, &L1, &folds, &settings).unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let path = par_cv_path(&x, &y, &L1, &folds, &settings).unwrap();
            let cv = proxreg::ElasticNetCv::params()
                .l1_ratios(vec![0.3, 1.0])
                .n_alphas(10)
                .fit(&x, &y)
                .unwrap();
            (path, cv.model().coef().to_vec(), cv.mse_mean().to_vec())
        })
    };
    let (p1, c1, m1) = run(1);
    let (p4, c4, m4) = run(4);
    for p in [&p1, &p4] {
        assert_eq!(bits(&p.mean), bits(&seq.mean));
        assert_eq!(bits(&p.std_err), bits(&seq.std_err));
        for (a, b) in p.mse.iter().zip(&seq.mse) {
            assert_eq!(bits(a), bits(b));
        }
    }
    assert_eq!(bits(&c1), bits(&c4));
    assert_eq!(bits(&m1), bits(&m4));
}

/// Nothing the user passed is modified: X, y and the weights are bitwise equal to copies taken
/// before fitting (every estimator, successful and failing fits alike).
fn inputs_unmodified<T: Scalar>() {
    let (x, y) = data::<T>(30, 4, 36);
    let w: Vec<T> = (0..30).map(|i| T::from_count(1 + i % 3)).collect();
    let mut y_bad = y.clone();
    y_bad[3] = T::nan();
    let (x0, y0, w0, yb0) = (bits(x.as_slice()), bits(&y), bits(&w), bits(&y_bad));
    let c = Cfg::new(T::lit(0.05));
    for i in 0..NAMES.len() {
        let _ = fit_one(i, &x, &y, None, &c).unwrap();
        let _ = fit_one(i, &x, &y_bad, None, &c).unwrap_err();
        if super::common::takes_weights(i) {
            let _ = fit_one(i, &x, &y, Some(&w), &c).unwrap();
        }
        assert_eq!(bits(x.as_slice()), x0, "{}", NAMES[i]);
        assert_eq!(bits(&y), y0, "{}", NAMES[i]);
        assert_eq!(bits(&w), w0, "{}", NAMES[i]);
        assert_eq!(bits(&y_bad), yb0, "{}", NAMES[i]);
    }
}
per_scalar!(inputs_are_left_unmodified, inputs_unmodified);
