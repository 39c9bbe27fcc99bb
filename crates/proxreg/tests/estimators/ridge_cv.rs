//! `RidgeCv` against scikit-learn 1.9.1's `RidgeCV` (leave-one-out curve, chosen alpha,
//! refit) and `GridSearchCV(Ridge, KFold(5))` (K-fold MSEs), tall and wide, with and without
//! intercept (tests/fixtures/ridge_cv.json from scripts/make_ridge_cv_fixtures.py); brute-force
//! oracles (n refits for leave-one-out, the hat matrix column by column for GCV and dof) in f32
//! and f64; typed errors.

#![allow(clippy::panic)]

use proxreg::prelude::*;
use proxreg::{RidgeCv, RidgeCvMode};
use serde_json::Value;

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

fn fixture() -> Value {
    let path = proxreg_fixtures::fixtures_dir().join("ridge_cv.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn matrix(v: &Value) -> ColMajor<f64> {
    let rows: Vec<Vec<f64>> = v.as_array().unwrap().iter().map(floats).collect();
    ColMajor::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j])
}

#[test]
fn ridge_cv_matches_scikit_learn_loo_and_kfold() {
    let f = fixture();
    let alphas = floats(&f["alphas"]);
    let mut checked = 0;
    for case in f["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let d = &f["data"][case["data"].as_str().unwrap()];
        let (x, y) = (matrix(&d["x"]), floats(&d["y"]));
        let fi = case["fit_intercept"].as_bool().unwrap();
        let cv = RidgeCv::params()
            .alphas(alphas.clone())
            .fit_intercept(fi)
            .fit(&x, &y)
            .unwrap();
        // The fixture's grid is decreasing: same order as ours.
        assert_eq!(cv.alphas(), &alphas[..]);
        let loo = floats(&case["loo"]);
        for (a, (&got, &want)) in cv.loo().iter().zip(&loo).enumerate() {
            assert!(
                rel(got, want) < 1e-6,
                "{id} alpha #{a}: loo {got} vs {want}"
            );
        }
        assert_eq!(cv.alpha(), case["alpha"].as_f64().unwrap(), "{id}: alpha");
        let coef = floats(&case["coef"]);
        let scale = coef.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        for (j, (&got, &want)) in cv.model().coef().iter().zip(&coef).enumerate() {
            assert!(
                (got - want).abs() < 1e-8 * scale,
                "{id} coef {j}: {got} vs {want}"
            );
        }
        let b = case["intercept"].as_f64().unwrap();
        assert!(
            (cv.model().intercept() - b).abs() < 1e-8 * (1.0 + b.abs()),
            "{id}: b"
        );

        // K-fold: GridSearchCV(Ridge, KFold(5), neg MSE).
        let kcv = RidgeCv::params()
            .alphas(alphas.clone())
            .fit_intercept(fi)
            .mode(RidgeCvMode::KFold(KFold::new(5)))
            .fit(&x, &y)
            .unwrap();
        let kf = kcv.kfold().unwrap();
        let kmse = case["kfold_mse"].as_array().unwrap();
        for (a, row) in kf.mse.iter().enumerate() {
            let want = floats(&kmse[a]);
            for (k, (&got, &w)) in row.iter().zip(&want).enumerate() {
                assert!(rel(got, w) < 1e-6, "{id} alpha #{a} fold {k}: {got} vs {w}");
            }
        }
        for (&got, &w) in kf.mean.iter().zip(&floats(&case["kfold_mean"])) {
            assert!(rel(got, w) < 1e-6, "{id}: kfold mean {got} vs {w}");
        }
        let want_index = case["kfold_best_index"].as_u64().unwrap() as usize;
        assert_eq!(kcv.index(), want_index, "{id}: kfold index");
        assert_eq!(kcv.alpha(), alphas[want_index]);
        // The LOO curve is the same whatever the mode.
        assert_eq!(kcv.loo(), cv.loo());
        checked += 1;
    }
    assert_eq!(checked, 4);
}

/// Small seeded data in any scalar type.
fn small<T: Scalar>(n: usize, p: usize, seed: u64) -> (ColMajor<T>, Vec<T>) {
    let (x, y) = super::data(n, p, seed);
    let xs = ColMajor::from_fn(n, p, |i, j| T::lit(x.col(j)[i]));
    (xs, y.iter().map(|&v| T::lit(v)).collect())
}

/// Leave-one-out by n refits, GCV and dof from the hat matrix built column by column (the fit
/// of `y = e_j`), against the one-SVD curves.
fn brute_force<T: Scalar>(n: usize, p: usize, fit_intercept: bool) {
    let (x, y) = small::<T>(n, p, 7 + p as u64);
    let alphas: Vec<T> = [30.0, 3.0, 0.3].iter().map(|&a| T::lit(a)).collect();
    let cv = RidgeCv::params()
        .alphas(alphas.clone())
        .fit_intercept(fit_intercept)
        .fit(&x, &y)
        .unwrap();
    let tol = T::epsilon().as_f64() * 2e3 * (n * p) as f64;
    for (a, &alpha) in alphas.iter().enumerate() {
        let ridge = |xm: &ColMajor<T>, yv: &[T]| {
            Ridge::params()
                .alpha(alpha)
                .fit_intercept(fit_intercept)
                .solver(SolverChoice::Svd)
                .fit(xm, yv)
                .unwrap()
        };
        // Leave-one-out.
        let mut sloo = 0.0;
        for i in 0..n {
            let keep: Vec<usize> = (0..n).filter(|&r| r != i).collect();
            let xr = x.select_rows(&keep).unwrap();
            let yr: Vec<T> = keep.iter().map(|&r| y[r]).collect();
            let m = ridge(&xr, &yr);
            let xi = x.select_rows(&[i]).unwrap();
            let e = (y[i] - m.predict(&xi).unwrap()[0]).as_f64();
            sloo += e * e;
        }
        let loo = sloo / n as f64;
        assert!(
            rel(cv.loo()[a].as_f64(), loo) < tol,
            "loo {} vs {loo} (n={n}, p={p}, intercept {fit_intercept})",
            cv.loo()[a].as_f64()
        );
        // Hat matrix trace: Σ_j (fit of e_j)_j.
        let mut tr = 0.0;
        for j in 0..n {
            let ej: Vec<T> = (0..n)
                .map(|i| if i == j { T::one() } else { T::zero() })
                .collect();
            tr += ridge(&x, &ej).predict(&x).unwrap()[j].as_f64();
        }
        let base = if fit_intercept { 1.0 } else { 0.0 };
        assert!(
            (cv.dof()[a].as_f64() + base - tr).abs() < tol * (1.0 + tr),
            "dof {} vs trace {tr}",
            cv.dof()[a].as_f64()
        );
        let m = ridge(&x, &y);
        let pred = m.predict(&x).unwrap();
        let rss: f64 = pred
            .iter()
            .zip(&y)
            .map(|(&p, &t)| (t - p).as_f64().powi(2))
            .sum();
        let gcv = rss / n as f64 / (1.0 - tr / n as f64).powi(2);
        assert!(rel(cv.gcv()[a].as_f64(), gcv) < tol, "gcv");
    }
    // The refit is Ridge at the selected alpha (computed from the curves' decomposition, so
    // equal to rounding, and certified).
    let direct = Ridge::params()
        .alpha(cv.alpha())
        .fit_intercept(fit_intercept)
        .fit(&x, &y)
        .unwrap();
    let scale = direct
        .coef()
        .iter()
        .fold(T::one(), |m, v| m.max(v.abs()))
        .as_f64();
    for (a, b) in cv.model().coef().iter().zip(direct.coef()) {
        assert!(
            (a.as_f64() - b.as_f64()).abs() < tol * scale,
            "refit {a:?} vs {b:?}"
        );
    }
    let (b1, b2) = (cv.model().intercept().as_f64(), direct.intercept().as_f64());
    assert!(
        (b1 - b2).abs() < tol * (scale + b2.abs()),
        "refit b {b1} vs {b2}"
    );
    assert!(cv.model().report().kkt_violation.as_f64() < tol * (1.0 + scale));
}

macro_rules! per_scalar {
    ($($name:ident: $t:ty),*) => {$(
        mod $name {
            #[test]
            fn loo_gcv_dof_brute_force_tall_and_wide() {
                super::brute_force::<$t>(15, 4, true);
                super::brute_force::<$t>(15, 4, false);
                super::brute_force::<$t>(8, 12, true);
                super::brute_force::<$t>(8, 12, false);
            }
            #[test]
            fn modes_default_grid_and_kfold() {
                super::modes::<$t>();
            }
        }
    )*};
}
per_scalar!(f32_: f32, f64_: f64);

fn modes<T: Scalar>() {
    let (x, y) = small::<T>(30, 6, 3);
    let loo = RidgeCv::params().fit(&x, &y).unwrap();
    let gcv = RidgeCv::params()
        .mode(RidgeCvMode::Gcv)
        .fit(&x, &y)
        .unwrap();
    // Default grid: 50 decreasing alphas from 100 σ_max² to σ_min²/100.
    let s = loo.singular_values();
    let a = loo.alphas();
    assert_eq!(a.len(), 50);
    assert!(a.windows(2).all(|w| w[0] > w[1]));
    let tol = T::epsilon() * T::lit(1e3);
    let smax2 = s[0] * s[0];
    assert!(((a[0] - T::lit(100.0) * smax2) / a[0]).abs() < tol);
    let smin2 = s[s.len() - 1] * s[s.len() - 1];
    assert!(((a[49] - smin2 / T::lit(100.0)) / a[49]).abs() < tol);
    // dof spans (almost) 0 to (almost) p, increasing as alpha decreases.
    let dof = loo.dof();
    assert!(dof[0] < T::lit(0.06) && dof[49] > T::lit(5.9));
    assert!(dof.windows(2).all(|w| w[0] <= w[1]));
    // Same curves, each mode selects the minimum of its own.
    assert_eq!(loo.loo(), gcv.loo());
    assert_eq!(loo.gcv(), gcv.gcv());
    for (cv, curve) in [(&loo, loo.loo()), (&gcv, gcv.gcv())] {
        let best = curve[cv.index()];
        assert!(curve.iter().all(|&c| c >= best));
        assert_eq!(cv.model().alpha(), cv.alpha());
    }
    assert!(loo.kfold().is_none());
    // Fold ids equal to the contiguous 3-fold give the same K-fold results.
    let ids: Vec<usize> = (0..30).map(|i| i / 10).collect();
    let k1 = RidgeCv::params()
        .mode(RidgeCvMode::KFold(KFold::new(3)))
        .fit(&x, &y)
        .unwrap();
    let k2 = RidgeCv::params()
        .mode(RidgeCvMode::FoldIds(ids))
        .fit(&x, &y)
        .unwrap();
    assert_eq!(k1.kfold(), k2.kfold());
    let kf = k1.kfold().unwrap();
    assert_eq!(kf.mse.len(), 50);
    assert_eq!(k1.index(), kf.index_min);
    // Deterministic.
    let again = RidgeCv::params().fit(&x, &y).unwrap();
    assert_eq!(again, loo);
}

#[test]
fn typed_errors() {
    let (x, y) = small::<f64>(12, 3, 1);
    let bad = |p: proxreg::RidgeCvParams<f64>| p.fit(&x, &y).unwrap_err();
    assert!(matches!(
        bad(RidgeCv::params().alphas(vec![])),
        Error::Empty { what: "alphas" }
    ));
    for a in [f64::NAN, 0.0, -1.0, f64::INFINITY] {
        let e = bad(RidgeCv::params().alphas(vec![1.0, a]));
        assert!(
            matches!(e, Error::InvalidParameter { name: "alphas", .. }),
            "{a}: {e:?}"
        );
    }
    assert!(matches!(
        bad(RidgeCv::params().n_alphas(0)),
        Error::InvalidParameter {
            name: "n_alphas",
            ..
        }
    ));
    for k in [0, 1, 13] {
        let e = bad(RidgeCv::params().mode(RidgeCvMode::KFold(KFold::new(k))));
        assert!(
            matches!(
                e,
                Error::InvalidParameter {
                    name: "n_splits",
                    ..
                }
            ),
            "{k}: {e:?}"
        );
    }
    assert!(matches!(
        bad(RidgeCv::params().mode(RidgeCvMode::FoldIds(vec![0, 1]))),
        Error::DimensionMismatch { .. }
    ));
    assert!(matches!(
        bad(RidgeCv::params().mode(RidgeCvMode::FoldIds(vec![0; 12]))),
        Error::InvalidParameter { .. }
    ));
    let mut ynan = y.clone();
    ynan[3] = f64::NAN;
    assert!(RidgeCv::params().fit(&x, &ynan).is_err());
    assert!(matches!(
        RidgeCv::params().fit(&x, &y[..5]).unwrap_err(),
        Error::DimensionMismatch { .. }
    ));
    let zero = ColMajor::from_fn(12, 3, |_, _| 0.0);
    assert!(matches!(
        RidgeCv::params().fit(&zero, &y).unwrap_err(),
        Error::Numerical { .. }
    ));
}
