//! AIC / BIC along a path: scikit-learn 1.9.1's `LassoLarsIC` (tests/fixtures/lasso_ic.json from
//! scripts/make_ic_fixtures.py), the Elastic Net dof against ridge's effective dof (ρ = 0),
//! f32 and f64, typed errors.

#![allow(clippy::unwrap_used, clippy::panic)]

use proxreg_core::{Error, Scalar};
use proxreg_cv::{information_criteria, Alphas, CvSettings, NoiseVariance};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{CoordinateDescent, Prepared, Problem, RidgeSpectral};
use serde_json::Value;

fn settings<T: Scalar>(alphas: Alphas<T>, fit_intercept: bool) -> CvSettings<T> {
    CvSettings {
        alphas,
        fit_intercept,
        standardize: false,
        solver: CoordinateDescent::new()
            .tol(T::lit(1e-14))
            .max_iter(100_000),
        measure: Default::default(),
    }
}

#[test]
fn lasso_criteria_match_lasso_lars_ic() {
    let path = proxreg_fixtures::fixtures_dir().join("lasso_ic.json");
    let f: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rows: Vec<Vec<f64>> = f["x"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let x = ColMajor::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j]);
    let y: Vec<f64> = f["y"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let fl = |v: &Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_f64().unwrap())
            .collect()
    };
    for case in f["cases"].as_array().unwrap() {
        let fi = case["fit_intercept"].as_bool().unwrap();
        let alphas = fl(&case["alphas"]);
        let want = fl(&case["criterion_values"]);
        let df = fl(&case["df"]);
        let ic = information_criteria(
            &x,
            &y,
            1.0,
            &settings(Alphas::Given(alphas.clone()), fi),
            NoiseVariance::Estimate,
        )
        .unwrap();
        let s2 = case["noise_variance"].as_f64().unwrap();
        assert!((ic.noise_variance - s2).abs() < 1e-10 * s2);
        let got = if case["criterion"] == "aic" {
            &ic.aic
        } else {
            &ic.bic
        };
        // At a LARS kink the entering coefficient is exactly 0: coordinate descent leaves a
        // rounding residue (~1e-16) that the active-set count ignores.
        assert_eq!(ic.dof, df);
        for (k, (&g, &w)) in got.iter().zip(&want).enumerate() {
            assert!((g - w).abs() <= 1e-6 * w.abs(), "{k}: {g} vs {w}");
        }
        let index = if case["criterion"] == "aic" {
            ic.index_aic
        } else {
            ic.index_bic
        };
        assert_eq!(ic.alphas[index], case["alpha"].as_f64().unwrap());
    }
}

fn data<T: Scalar>(n: usize, p: usize) -> (ColMajor<T>, Vec<T>) {
    let x = ColMajor::from_fn(n, p, |i, j| {
        T::lit((((i + 3) * (j + 5) * 7) % 17) as f64 / 4.0 + j as f64)
    });
    let y = (0..n)
        .map(|i| x.col(0)[i] - T::lit(0.5) * x.col(p - 1)[i] + T::lit((i % 5) as f64 * 0.3))
        .collect();
    (x, y)
}

fn identities<T: Scalar>() {
    let (x, y) = data::<T>(30, 5);
    let alphas: Vec<T> = [1.0, 0.1, 0.01].iter().map(|&a| T::lit(a)).collect();
    let s = settings(Alphas::Given(alphas.clone()), true);
    // Lasso: dof = number of non-zeros.
    let ic = information_criteria(&x, &y, T::one(), &s, NoiseVariance::Given(T::one())).unwrap();
    for (d, c) in ic.dof.iter().zip(&ic.coefs) {
        assert_eq!(
            *d,
            T::from_count(c.iter().filter(|&&v| v != T::zero()).count())
        );
    }
    // Given σ² = 1: AIC − BIC = (2 − ln n)·dof.
    for k in 0..3 {
        let diff = ic.aic[k] - ic.bic[k] - (T::lit(2.0) - T::lit(30.0).ln()) * ic.dof[k];
        assert!(diff.abs() <= T::epsilon() * T::lit(1e3) * ic.aic[k].abs().max(T::one()));
    }
    // ρ = 0: every coefficient active, dof = ridge's effective dof at alpha_ridge = n·alpha.
    let ic0 = information_criteria(&x, &y, T::zero(), &s, NoiseVariance::Estimate).unwrap();
    let pb = Problem::new(&x, &y, &proxreg_core::penalty::SquaredL2, T::zero()).fit_intercept(true);
    let spec = RidgeSpectral::new(&Prepared::new(&pb, false).unwrap()).unwrap();
    for (k, &a) in alphas.iter().enumerate() {
        let want = spec.effective_dof(a);
        let got = ic0.dof[k];
        assert!(
            (got - want).abs() <= T::epsilon() * T::lit(1e3) * want,
            "{got:?} {want:?}"
        );
    }
    assert!(ic0.noise_variance > T::zero());
}

#[test]
fn identities_f32_f64() {
    identities::<f32>();
    identities::<f64>();
}

#[test]
fn typed_errors() {
    let (x, y) = data::<f64>(6, 5);
    let s = settings(Alphas::Given(vec![0.1]), true);
    assert!(matches!(
        information_criteria(&x, &y, 1.0, &s, NoiseVariance::Estimate),
        Err(Error::Unsupported { .. })
    ));
    for v in [0.0, -1.0, f64::NAN] {
        assert!(matches!(
            information_criteria(&x, &y, 1.0, &s, NoiseVariance::Given(v)),
            Err(Error::InvalidParameter { .. })
        ));
    }
    assert!(information_criteria(&x, &y, 1.5, &s, NoiseVariance::Given(1.0)).is_err());
    assert!(information_criteria(&x, &y, f64::NAN, &s, NoiseVariance::Given(1.0)).is_err());
    let empty = settings(Alphas::Given(vec![]), true);
    assert!(matches!(
        information_criteria(&x, &y, 1.0, &empty, NoiseVariance::Given(1.0)),
        Err(Error::Empty { .. })
    ));
    let st = CvSettings {
        standardize: true,
        ..s
    };
    assert!(matches!(
        information_criteria(&x, &y, 1.0, &st, NoiseVariance::Given(1.0)),
        Err(Error::Unsupported { .. })
    ));
}
