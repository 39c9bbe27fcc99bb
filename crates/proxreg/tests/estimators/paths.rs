//! The estimators' `path` methods: the solvers' warm-started paths behind the estimators'
//! options (each point certified and close to a cold fit at its alpha), and Ridge's grid on
//! the design as the fit prepares it.

use proxreg::prelude::*;

use super::{data, max_diff};

/// Each path point is within the fits' tolerance of a cold fit at its alpha, and converged.
#[test]
fn path_points_agree_with_single_fits() {
    let (x, y) = data(60, 6, 3);
    let w: Vec<f64> = (0..60).map(|i| 0.5 + (i % 4) as f64).collect();
    let params = ElasticNet::params()
        .l1_ratio(0.7)
        .standardize(true)
        .penalty_factors(vec![1.0, 0.5, 2.0, 1.0, 1.0, 0.0])
        .tol(1e-12);
    let amax = params.alpha_max(&x, &y, Some(&w)).unwrap();
    let alphas = proxreg::solvers::alpha_grid(amax, 6, 1e-2).unwrap();
    let path = params.path(&x, &y, Some(&w), &alphas).unwrap();
    assert_eq!(path.len(), alphas.len());
    for (m, &a) in path.iter().zip(&alphas) {
        assert_eq!(m.alpha(), a);
        assert_eq!(m.status(), Status::Converged);
        let cold = params.clone().alpha(a).fit_weighted(&x, &y, &w).unwrap();
        let scale = cold.coef().iter().fold(1.0_f64, |s, v| s.max(v.abs()));
        assert!(max_diff(m.coef(), cold.coef()) <= 1e-5 * scale, "alpha {a}");
    }
    // Lasso's path is the Elastic Net's with l1_ratio = 1, and FISTA gives a path too
    let lasso = Lasso::params()
        .tol(1e-10)
        .path(&x, &y, None, &alphas)
        .unwrap();
    let en = ElasticNet::params()
        .l1_ratio(1.0)
        .tol(1e-10)
        .path(&x, &y, None, &alphas)
        .unwrap();
    for (a, b) in lasso.iter().zip(&en) {
        assert_eq!(a.coef(), b.coef());
    }
    let fista = Lasso::params()
        .solver(SolverChoice::Fista)
        .tol(1e-10)
        .path(&x, &y, None, &alphas)
        .unwrap();
    for (a, b) in fista.iter().zip(&lasso) {
        assert!(max_diff(a.coef(), b.coef()) <= 1e-4, "fista vs cd");
    }
}

#[test]
fn path_errors_are_typed() {
    let (x, y) = data(20, 3, 1);
    assert!(matches!(
        Lasso::params().path(&x, &y, None, &[]),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Lasso::params().path(&x, &y, None, &[1.0, f64::NAN]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        Ridge::params().path(&x, &y, None, &[1.0, -1.0]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        Lasso::params()
            .solver(SolverChoice::Cholesky)
            .path(&x, &y, None, &[1.0]),
        Err(Error::Unsupported { .. })
    ));
    let two_labels: Vec<f64> = (0..20).map(|i| f64::from(i % 2 == 0)).collect();
    assert!(matches!(
        LogisticRegression::params().path(&x, &y, None, &[0.1]),
        Err(Error::InvalidTarget { .. })
    ));
    assert!(LogisticRegression::params()
        .path(&x, &two_labels, None, &[0.1, 0.01])
        .is_ok());
    // a strict path fails on a point that does not converge
    let strict = Lasso::params()
        .max_iter(1)
        .tol(1e-14)
        .require_convergence(true);
    assert!(matches!(
        strict.path(&x, &y, None, &[0.01]),
        Err(Error::NotConverged { .. })
    ));
}

/// Ridge's direct path is one exact fit per alpha; its iterative path (penalty factors)
/// agrees with the fits to their tolerance.
#[test]
fn ridge_path_is_exact_or_warm_started() {
    let (x, y) = data(40, 5, 7);
    let alphas = [10.0, 1.0, 0.1];
    let path = Ridge::params().path(&x, &y, None, &alphas).unwrap();
    for (m, &a) in path.iter().zip(&alphas) {
        let fit = Ridge::params().alpha(a).fit(&x, &y).unwrap();
        assert_eq!(m.coef(), fit.coef());
        assert_eq!(m.intercepts(), fit.intercepts());
    }
    let params = Ridge::params()
        .penalty_factors(vec![1.0, 1.0, 0.5, 1.0, 2.0])
        .tol(1e-12);
    let path = params.path(&x, &y, None, &alphas).unwrap();
    for (m, &a) in path.iter().zip(&alphas) {
        assert_eq!(m.alpha(), a);
        let fit = params.clone().alpha(a).fit(&x, &y).unwrap();
        assert!(max_diff(m.coef(), fit.coef()) <= 1e-6, "alpha {a}");
    }
}

/// Integer sample weights are repeated rows: the weighted grid is the grid of the data with
/// each row repeated (to rounding), and ones change nothing.
#[test]
fn ridge_grid_follows_weights_and_standardization() {
    let (x, y) = data(30, 4, 5);
    let plain = Ridge::params().alpha_grid(&x, &y, None, 7).unwrap();
    let ones = Ridge::params()
        .alpha_grid(&x, &y, Some(&[1.0; 30]), 7)
        .unwrap();
    assert!(max_diff(&plain, &ones) <= 1e-12 * plain[0]);
    let w: Vec<f64> = (0..30).map(|i| (1 + i % 3) as f64).collect();
    let rows: Vec<usize> = (0..30).flat_map(|i| vec![i; 1 + i % 3]).collect();
    let xr = ColMajor::from_fn(rows.len(), 4, |i, j| x.col(j)[rows[i]]);
    let yr: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let weighted = Ridge::params().alpha_grid(&x, &y, Some(&w), 7).unwrap();
    let repeated = Ridge::params().alpha_grid(&xr, &yr, None, 7).unwrap();
    for (a, b) in weighted.iter().zip(&repeated) {
        assert!((a - b).abs() <= 1e-9 * b, "{a} vs {b}");
    }
    // standardized: the grid of the design with unit-variance columns
    let sd: Vec<f64> = (0..4)
        .map(|j| {
            let c = x.col(j);
            let mu = c.iter().sum::<f64>() / 30.0;
            (c.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / 30.0).sqrt()
        })
        .collect();
    let xs = ColMajor::from_fn(30, 4, |i, j| x.col(j)[i] / sd[j]);
    let std = Ridge::params()
        .standardize(true)
        .alpha_grid(&x, &y, None, 7)
        .unwrap();
    let scaled = Ridge::params().alpha_grid(&xs, &y, None, 7).unwrap();
    for (a, b) in std.iter().zip(&scaled) {
        assert!((a - b).abs() <= 1e-9 * b, "{a} vs {b}");
    }
    assert!(matches!(
        Ridge::params().alpha_grid(&x, &y, None, 0),
        Err(Error::InvalidParameter { .. })
    ));
}
