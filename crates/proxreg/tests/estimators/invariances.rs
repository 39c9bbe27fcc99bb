use proxreg::prelude::*;

use super::{data, max_diff};

/// Strong convexity: `P(w) − P(w*) >= (μ/2)‖w − w*‖²` and `P(w) − P(w*) <= gap`, so
/// `‖w − w*‖ <= sqrt(2·gap/μ)`: the distance the certificate guarantees.
fn certified_radius(gap: Option<f64>, mu: f64) -> f64 {
    (2.0 * gap.unwrap() / mu).sqrt() + 1e-12
}

const TOL: f64 = 1e-13;

#[test]
fn shifting_y_or_a_column_changes_only_the_intercept() {
    let (x, y) = data(60, 5, 1);
    let base = ElasticNet::params()
        .alpha(0.05)
        .l1_ratio(0.7)
        .tol(TOL)
        .fit(&x, &y)
        .unwrap();
    let y2: Vec<f64> = y.iter().map(|v| v - 12.0).collect();
    let a = ElasticNet::params()
        .alpha(0.05)
        .l1_ratio(0.7)
        .tol(TOL)
        .fit(&x, &y2)
        .unwrap();
    assert!(max_diff(base.coef(), a.coef()) < 1e-9);
    assert!((a.intercept() - (base.intercept() - 12.0)).abs() < 1e-9);
    let x2 = ColMajor::from_fn(60, 5, |i, j| x.col(j)[i] + if j == 0 { 50.0 } else { 0.0 });
    let b = ElasticNet::params()
        .alpha(0.05)
        .l1_ratio(0.7)
        .tol(TOL)
        .fit(&x2, &y)
        .unwrap();
    assert!(max_diff(base.coef(), b.coef()) < 1e-8);
    assert!((b.intercept() - (base.intercept() - 50.0 * base.coef()[0])).abs() < 1e-7);
}

#[test]
fn weights_integer_scaled_and_zero() {
    let (x, y) = data(30, 4, 2);
    let w: Vec<f64> = (0..30).map(|i| ((i * 7) % 4) as f64).collect();
    let rows: Vec<usize> = (0..30)
        .flat_map(|i| std::iter::repeat_n(i, w[i] as usize))
        .collect();
    let xr = x.select_rows(&rows).unwrap();
    let yr: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let p = Lasso::params().alpha(0.02).tol(TOL);
    let a = p.fit_weighted(&x, &y, &w).unwrap();
    let b = p.fit(&xr, &yr).unwrap();
    assert!(
        max_diff(a.coef(), b.coef()) < 1e-8,
        "integer weights = repeated rows"
    );
    assert!((a.intercept() - b.intercept()).abs() < 1e-8);
    let w5: Vec<f64> = w.iter().map(|v| v * 5.5).collect();
    let c = p.fit_weighted(&x, &y, &w5).unwrap();
    assert!(
        max_diff(a.coef(), c.coef()) < 1e-9,
        "scaling all weights changes nothing"
    );
    // Zero weight = removing the row.
    let mut wz = vec![1.0; 30];
    wz[3] = 0.0;
    wz[17] = 0.0;
    let keep: Vec<usize> = (0..30).filter(|&i| wz[i] > 0.0).collect();
    let d = p.fit_weighted(&x, &y, &wz).unwrap();
    let e = p
        .fit(
            &x.select_rows(&keep).unwrap(),
            &keep.iter().map(|&i| y[i]).collect::<Vec<_>>(),
        )
        .unwrap();
    assert!(max_diff(d.coef(), e.coef()) < 1e-9);
    // Ridge too.
    let ra = Ridge::params().alpha(2.0).fit_weighted(&x, &y, &w).unwrap();
    let rb = Ridge::params().alpha(2.0).fit(&xr, &yr).unwrap();
    assert!(max_diff(ra.coef(), rb.coef()) < 1e-9);
}

#[test]
fn scaling_y_and_alpha_scales_w() {
    let (x, y) = data(50, 6, 3);
    let a = Lasso::params().alpha(0.03).tol(TOL).fit(&x, &y).unwrap();
    let c = 250.0;
    let yc: Vec<f64> = y.iter().map(|v| v * c).collect();
    let b = Lasso::params()
        .alpha(0.03 * c)
        .tol(TOL)
        .fit(&x, &yc)
        .unwrap();
    for j in 0..6 {
        assert!((b.coef()[j] - c * a.coef()[j]).abs() < 1e-8 * c);
    }
}

#[test]
fn elastic_net_limits_equal_lasso_and_ridge() {
    let (x, y) = data(40, 5, 4);
    let en1 = ElasticNet::params()
        .alpha(0.04)
        .l1_ratio(1.0)
        .tol(TOL)
        .fit(&x, &y)
        .unwrap();
    let lasso = Lasso::params().alpha(0.04).tol(TOL).fit(&x, &y).unwrap();
    assert!(max_diff(en1.coef(), lasso.coef()) < 1e-10);
    let en0 = ElasticNet::params()
        .alpha(0.04)
        .l1_ratio(0.0)
        .tol(TOL)
        .fit(&x, &y)
        .unwrap();
    let ridge = Ridge::params().alpha(0.04 * 40.0).fit(&x, &y).unwrap();
    // Both are certified: the engine-scale strong convexity is alpha = 0.04 for both.
    let radius =
        certified_radius(en0.duality_gap(), 0.04) + certified_radius(ridge.duality_gap(), 0.04);
    assert!(radius < 1e-5, "the certificates are tight: {radius:e}");
    assert!(
        max_diff(en0.coef(), ridge.coef()) <= radius,
        "{:?} {:?}",
        en0.coef(),
        ridge.coef()
    );
    for solver in [
        SolverChoice::Svd,
        SolverChoice::Cholesky,
        SolverChoice::CoordinateDescent,
        SolverChoice::Fista,
    ] {
        let r = Ridge::params()
            .alpha(1.6)
            .solver(solver)
            .tol(TOL)
            .fit(&x, &y)
            .unwrap();
        let radius =
            certified_radius(r.duality_gap(), 0.04) + certified_radius(ridge.duality_gap(), 0.04);
        assert!(max_diff(r.coef(), ridge.coef()) <= radius, "{solver:?}");
    }
}

#[test]
fn duplicated_column_gets_an_equal_split_under_elastic_net() {
    let (x, y) = data(40, 3, 5);
    let xd = ColMajor::from_fn(40, 4, |i, j| x.col(if j == 3 { 0 } else { j })[i]);
    let m = ElasticNet::params()
        .alpha(0.05)
        .l1_ratio(0.5)
        .tol(TOL)
        .fit(&xd, &y)
        .unwrap();
    assert!(m.coef()[0] != 0.0);
    // The exact solution splits equally; the fit is within the certified radius of it
    // (μ = α(1−ρ)), so the two halves differ by at most √2 times that radius.
    let radius = certified_radius(m.duality_gap(), 0.05 * 0.5);
    assert!(radius < 1e-4);
    assert!(
        (m.coef()[0] - m.coef()[3]).abs() <= 2f64.sqrt() * radius,
        "{:?}",
        m.coef()
    );
}

#[test]
fn standardize_penalty_factors_bounds_and_warm_start() {
    let (x, y) = data(50, 5, 6);
    // Coefficients on the original scale: predictions equal those of the model fitted by hand on
    // standardized columns (checked in the engine); here: the score is sensible and support nonempty.
    let s = Lasso::params()
        .alpha(0.05)
        .standardize(true)
        .tol(TOL)
        .fit(&x, &y)
        .unwrap();
    assert!(s.score(&x, &y).unwrap() > 0.5);
    // Factor 0 leaves a feature unpenalised: huge alpha still keeps it.
    let f = Lasso::params()
        .alpha(1e3)
        .penalty_factors(vec![0.0, 1.0, 1.0, 1.0, 1.0])
        .tol(TOL)
        .fit(&x, &y)
        .unwrap();
    assert!(f.coef()[0] != 0.0 && f.coef()[1..].iter().all(|&v| v == 0.0));
    // Positive and bounds.
    let pos = ElasticNet::params()
        .alpha(0.01)
        .positive(true)
        .tol(TOL)
        .fit(&x, &y)
        .unwrap();
    assert!(pos.coef().iter().all(|&v| v >= 0.0));
    let b = Lasso::params()
        .alpha(0.001)
        .bounds(-0.5, 0.5)
        .tol(TOL)
        .fit(&x, &y)
        .unwrap();
    assert!(b.coef().iter().all(|&v| (-0.5..=0.5).contains(&v)));
    assert!(
        b.coef().iter().any(|&v| v == 0.5 || v == -0.5),
        "{:?}",
        b.coef()
    );
    // Warm start at the solution.
    let cold = Lasso::params().alpha(0.05).tol(TOL).fit(&x, &y).unwrap();
    let warm = Lasso::params()
        .alpha(0.05)
        .tol(TOL)
        .warm_start(cold.coef().to_vec())
        .fit(&x, &y)
        .unwrap();
    assert!(warm.n_iter() <= 1);
}

#[test]
fn strict_convergence_and_predict_shape() {
    let (x, y) = data(50, 5, 7);
    let e = Lasso::params()
        .alpha(1e-4)
        .tol(1e-14)
        .max_iter(1)
        .require_convergence(true)
        .fit(&x, &y);
    assert!(matches!(e, Err(Error::NotConverged { .. })), "{e:?}");
    let m = Lasso::params()
        .alpha(1e-4)
        .tol(1e-14)
        .max_iter(1)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(m.status(), Status::MaxIterReached);
    let wrong = ColMajor::<f64>::zeros(3, 4);
    assert!(matches!(
        m.predict(&wrong),
        Err(Error::DimensionMismatch { .. })
    ));
    let pred = m.predict(&x).unwrap();
    assert_eq!(pred.len(), 50);
}

#[test]
fn f32_models_work() {
    let (x, y) = data(50, 5, 8);
    let xf = ColMajor::new(x.as_slice().iter().map(|&v| v as f32).collect(), 50, 5).unwrap();
    let yf: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let a = Lasso::params()
        .alpha(0.05_f32)
        .tol(1e-6)
        .fit(&xf, &yf)
        .unwrap();
    let b = Lasso::params().alpha(0.05).tol(1e-12).fit(&x, &y).unwrap();
    assert_eq!(a.status(), Status::Converged);
    for j in 0..5 {
        assert!((f64::from(a.coef()[j]) - b.coef()[j]).abs() < 1e-3);
    }
    let r = Ridge::params().alpha(1.0_f32).fit(&xf, &yf).unwrap();
    assert!(r.kkt_violation() < 1e-3);
}

#[cfg(feature = "serde")]
#[test]
fn fitted_models_round_trip_through_json() {
    let (x, y) = data(30, 4, 9);
    let m = ElasticNet::params().alpha(0.1).fit(&x, &y).unwrap();
    let s = serde_json::to_string(&m).unwrap();
    let back: ElasticNet<f64> = serde_json::from_str(&s).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.predict(&x).unwrap(), m.predict(&x).unwrap());
}

/// A sparse CSC design fits like the dense matrix holding the same entries (the engine densifies
/// it once per fit today, issue #20): Lasso with and without standardization, Ridge, LassoCv
/// (folds by `select_rows` on the CSC), for 32-bit indices.
#[test]
fn csc_design_fits_like_the_dense_matrix() {
    use proxreg::linalg::CscMatrix;
    let (x, y) = data(50, 7, 21);
    let mut k = 0;
    let dense = ColMajor::from_fn(50, 7, |i, j| {
        k += 1;
        if k % 3 == 0 || j == 4 {
            0.0
        } else {
            x.col(j)[i]
        }
    });
    let csc = CscMatrix::<f64, u32>::from_dense(&dense).unwrap();
    assert!(csc.nnz() < 50 * 7 * 2 / 3);
    for standardize in [false, true] {
        let p = Lasso::params()
            .alpha(0.02)
            .tol(TOL)
            .standardize(standardize);
        let a = p.clone().fit(&dense, &y).unwrap();
        let b = p.fit(&csc, &y).unwrap();
        assert!(max_diff(a.coef(), b.coef()) <= 1e-12);
        assert!((a.intercept() - b.intercept()).abs() <= 1e-12);
        assert_eq!(b.coef()[4], 0.0);
    }
    let a = Ridge::params().alpha(0.5).fit(&dense, &y).unwrap();
    let b = Ridge::params().alpha(0.5).fit(&csc.as_ref(), &y).unwrap();
    assert!(max_diff(a.coef(), b.coef()) <= 1e-10);
    let a = LassoCv::params()
        .n_alphas(10)
        .tol(1e-10)
        .fit(&dense, &y)
        .unwrap();
    let b = LassoCv::params()
        .n_alphas(10)
        .tol(1e-10)
        .fit(&csc, &y)
        .unwrap();
    assert_eq!(a.alpha(), b.alpha());
    assert!(max_diff(a.mse_mean(), b.mse_mean()) <= 1e-10);
}
