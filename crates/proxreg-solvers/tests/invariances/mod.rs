use core::ops::ControlFlow;

use proxreg_core::penalty::L1;
use proxreg_core::Error;
use proxreg_linalg::{ColMajor, DesignMatrix};
use proxreg_solvers::{
    alpha_grid, alpha_max, CdMode, CdOrder, CoordinateDescent, Fista, IterInfo, Problem, Solver,
    Termination,
};

use crate::common::{max_diff, problem, to_f32};

fn amax(x: &ColMajor<f64>, y: &[f64], intercept: bool) -> f64 {
    let pb = Problem::new(x, y, &L1, 1.0).fit_intercept(intercept);
    let cd = CoordinateDescent::new();
    alpha_max(&cd.prepare(&pb).unwrap(), &L1).unwrap()
}

const SHAPES: [(usize, usize, f64); 3] = [(50, 10, 0.0), (30, 80, 0.3), (200, 20, 0.8)];

#[test]
fn lasso_certificates_are_tight_on_every_shape_and_mode() {
    for (seed, &(n, p, rho)) in SHAPES.iter().enumerate() {
        let (x, y) = problem(n, p, rho, 5, seed as u64);
        for frac in [0.5, 0.1, 0.01] {
            let alpha = frac * amax(&x, &y, false);
            for mode in [CdMode::Naive, CdMode::Gram] {
                let cd = CoordinateDescent::new().tol(1e-12).mode(mode);
                let sol = cd
                    .solve(&Problem::new(&x, &y, &L1, alpha), None, &mut ())
                    .unwrap();
                assert_eq!(
                    sol.termination,
                    Termination::Converged,
                    "{n}x{p} {frac} {mode:?}"
                );
                assert!(sol.relative_gap.unwrap() <= 1e-12);
                let kkt_scale = alpha.max(1e-300);
                assert!(
                    sol.kkt_violation <= 1e-6 * kkt_scale,
                    "kkt {}",
                    sol.kkt_violation
                );
            }
        }
    }
}

#[test]
fn coordinate_descent_and_fista_agree() {
    for (seed, &(n, p, rho)) in SHAPES.iter().enumerate() {
        let (x, y) = problem(n, p, rho, 5, 10 + seed as u64);
        let alpha = 0.1 * amax(&x, &y, true);
        let pb = Problem::new(&x, &y, &L1, alpha).fit_intercept(true);
        let a = CoordinateDescent::new()
            .tol(1e-14)
            .solve(&pb, None, &mut ())
            .unwrap();
        let b = Fista::new().tol(1e-14).solve(&pb, None, &mut ()).unwrap();
        assert!(
            a.converged() && b.converged(),
            "{:?} {:?}",
            a.termination,
            b.termination
        );
        assert!(
            max_diff(&a.coef, &b.coef) < 1e-6,
            "{}",
            max_diff(&a.coef, &b.coef)
        );
        assert!((a.intercept[0] - b.intercept[0]).abs() < 1e-6);
        assert!((a.objective - b.objective).abs() <= 1e-12 * a.objective.abs().max(1.0));
        let ista = Fista::new()
            .tol(1e-10)
            .accelerated(false)
            .solve(&pb, None, &mut ())
            .unwrap();
        assert!(ista.converged());
        assert!(max_diff(&a.coef, &ista.coef) < 1e-4);
    }
}

#[test]
fn gram_and_naive_modes_agree_with_and_without_intercept() {
    let (x, y) = problem(120, 15, 0.5, 4, 3);
    for intercept in [false, true] {
        let alpha = 0.05 * amax(&x, &y, intercept);
        let pb = Problem::new(&x, &y, &L1, alpha).fit_intercept(intercept);
        let a = CoordinateDescent::new()
            .tol(1e-14)
            .mode(CdMode::Naive)
            .solve(&pb, None, &mut ())
            .unwrap();
        let b = CoordinateDescent::new()
            .tol(1e-14)
            .mode(CdMode::Gram)
            .solve(&pb, None, &mut ())
            .unwrap();
        assert!(max_diff(&a.coef, &b.coef) < 1e-9);
        assert!((a.intercept[0] - b.intercept[0]).abs() < 1e-9);
    }
}

#[test]
fn working_sets_random_order_and_plain_cd_agree() {
    let (x, y) = problem(40, 200, 0.6, 8, 4);
    let alpha = 0.05 * amax(&x, &y, false);
    let pb = Problem::new(&x, &y, &L1, alpha);
    let a = CoordinateDescent::new()
        .tol(1e-13)
        .solve(&pb, None, &mut ())
        .unwrap();
    let b = CoordinateDescent::new()
        .tol(1e-13)
        .working_set(false)
        .solve(&pb, None, &mut ())
        .unwrap();
    let c = CoordinateDescent::new()
        .tol(1e-13)
        .order(CdOrder::Random { seed: 5 })
        .solve(&pb, None, &mut ())
        .unwrap();
    let c2 = CoordinateDescent::new()
        .tol(1e-13)
        .order(CdOrder::Random { seed: 5 })
        .solve(&pb, None, &mut ())
        .unwrap();
    assert_eq!(c.coef, c2.coef, "seeded random order is deterministic");
    assert!(max_diff(&a.coef, &b.coef) < 1e-6);
    assert!(max_diff(&a.coef, &c.coef) < 1e-6);
    // Working sets must not leave a wrong zero: the full KKT check holds.
    assert!(a.kkt_violation <= 1e-6 * alpha);
}

#[test]
fn alpha_max_is_exact() {
    for intercept in [false, true] {
        let (x, y) = problem(60, 12, 0.4, 3, 7);
        let am = amax(&x, &y, intercept);
        let cd = CoordinateDescent::new().tol(1e-12);
        let at = cd
            .solve(
                &Problem::new(&x, &y, &L1, am).fit_intercept(intercept),
                None,
                &mut (),
            )
            .unwrap();
        assert!(
            at.coef.iter().all(|&v| v == 0.0),
            "w = 0 exactly at alpha_max"
        );
        let below = cd
            .solve(
                &Problem::new(&x, &y, &L1, 0.99 * am).fit_intercept(intercept),
                None,
                &mut (),
            )
            .unwrap();
        assert!(
            below.coef.iter().any(|&v| v != 0.0),
            "a nonzero just below alpha_max"
        );
    }
}

#[test]
fn path_points_equal_cold_fits_and_warm_start_at_solution_is_free() {
    let (x, y) = problem(50, 30, 0.5, 5, 8);
    let pb = Problem::new(&x, &y, &L1, 1.0).fit_intercept(true);
    let cd = CoordinateDescent::new().tol(1e-13);
    let am = alpha_max(&cd.prepare(&pb).unwrap(), &L1).unwrap();
    let alphas = alpha_grid(am, 15, 1e-3).unwrap();
    let path = cd.path(&pb, &alphas).unwrap();
    assert!(path.all_converged());
    assert!(path.max_relative_gap().unwrap() <= 1e-13);
    for (i, &a) in alphas.iter().enumerate().step_by(4) {
        let cold = cd.solve(&pb.with_alpha(a), None, &mut ()).unwrap();
        assert!(max_diff(&cold.coef, &path.solutions[i].coef) < 1e-6);
        let warm = cd
            .solve(&pb.with_alpha(a), Some(&cold.coef), &mut ())
            .unwrap();
        assert!(
            warm.n_iter <= 1,
            "warm start at the solution took {} epochs",
            warm.n_iter
        );
    }
}

#[test]
fn column_permutation_permutes_the_solution() {
    let (x, y) = problem(40, 10, 0.3, 4, 9);
    let perm: Vec<usize> = (0..10).map(|j| (j * 3) % 10).collect();
    let xp = ColMajor::from_fn(40, 10, |i, j| x.col(perm[j])[i]);
    let alpha = 0.1 * amax(&x, &y, true);
    let cd = CoordinateDescent::new().tol(1e-14);
    let a = cd
        .solve(
            &Problem::new(&x, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    let b = cd
        .solve(
            &Problem::new(&xp, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    for j in 0..10 {
        assert!((b.coef[j] - a.coef[perm[j]]).abs() < 1e-9);
    }
}

#[test]
fn constant_and_zero_columns_get_exact_zeros() {
    let (x0, y) = problem(30, 6, 0.0, 3, 11);
    let x = ColMajor::from_fn(30, 8, |i, j| match j {
        6 => 0.0,
        7 => 3.5,
        _ => x0.col(j)[i],
    });
    for intercept in [false, true] {
        let alpha = 0.01 * amax(&x, &y, intercept);
        for mode in [CdMode::Naive, CdMode::Gram] {
            let sol = CoordinateDescent::new()
                .tol(1e-12)
                .mode(mode)
                .solve(
                    &Problem::new(&x, &y, &L1, alpha).fit_intercept(intercept),
                    None,
                    &mut (),
                )
                .unwrap();
            assert!(sol.coef.iter().all(|v| v.is_finite()));
            assert_eq!(sol.coef[6], 0.0);
            if intercept {
                assert_eq!(
                    sol.coef[7], 0.0,
                    "a constant column is absorbed by the intercept"
                );
            }
            assert!(sol.converged());
        }
    }
}

#[test]
fn shifting_y_or_a_column_moves_only_the_intercept() {
    let (x, y) = problem(50, 8, 0.2, 3, 12);
    let alpha = 0.05 * amax(&x, &y, true);
    let cd = CoordinateDescent::new().tol(1e-14);
    let base = cd
        .solve(
            &Problem::new(&x, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    let y2: Vec<f64> = y.iter().map(|v| v + 7.0).collect();
    let s = cd
        .solve(
            &Problem::new(&x, &y2, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    assert!(max_diff(&base.coef, &s.coef) < 1e-9);
    assert!((s.intercept[0] - base.intercept[0] - 7.0).abs() < 1e-9);
    let x2 = ColMajor::from_fn(50, 8, |i, j| x.col(j)[i] + if j == 2 { 100.0 } else { 0.0 });
    let c = cd
        .solve(
            &Problem::new(&x2, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    assert!(max_diff(&base.coef, &c.coef) < 1e-8);
    assert!((c.intercept[0] - (base.intercept[0] - 100.0 * base.coef[2])).abs() < 1e-7);
}

#[test]
fn integer_sample_weights_equal_repeated_rows_and_scale_does_not_matter() {
    let (x, y) = problem(25, 6, 0.3, 3, 13);
    let weights: Vec<f64> = (0..25).map(|i| (i % 4) as f64).collect();
    let mut rows = Vec::new();
    for (i, &w) in weights.iter().enumerate() {
        for _ in 0..(w as usize) {
            rows.push(i);
        }
    }
    let xr = x.select_rows(&rows).unwrap();
    let yr: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let alpha = 0.05;
    let cd = CoordinateDescent::new().tol(1e-14);
    for intercept in [false, true] {
        let a = cd
            .solve(
                &Problem::new(&x, &y, &L1, alpha)
                    .fit_intercept(intercept)
                    .sample_weight(Some(&weights)),
                None,
                &mut (),
            )
            .unwrap();
        let b = cd
            .solve(
                &Problem::new(&xr, &yr, &L1, alpha).fit_intercept(intercept),
                None,
                &mut (),
            )
            .unwrap();
        assert!(
            max_diff(&a.coef, &b.coef) < 1e-8,
            "{}",
            max_diff(&a.coef, &b.coef)
        );
        assert!((a.intercept[0] - b.intercept[0]).abs() < 1e-8);
        let w3: Vec<f64> = weights.iter().map(|v| v * 3.7).collect();
        let c = cd
            .solve(
                &Problem::new(&x, &y, &L1, alpha)
                    .fit_intercept(intercept)
                    .sample_weight(Some(&w3)),
                None,
                &mut (),
            )
            .unwrap();
        assert!(max_diff(&a.coef, &c.coef) < 1e-8);
    }
}

#[test]
fn scaling_y_and_alpha_together_scales_w() {
    let (x, y) = problem(40, 10, 0.3, 4, 14);
    let alpha = 0.1 * amax(&x, &y, true);
    let cd = CoordinateDescent::new().tol(1e-14);
    let a = cd
        .solve(
            &Problem::new(&x, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    let c = 1e3;
    let yc: Vec<f64> = y.iter().map(|v| v * c).collect();
    let b = cd
        .solve(
            &Problem::new(&x, &yc, &L1, alpha * c).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    for j in 0..10 {
        assert!((b.coef[j] - c * a.coef[j]).abs() <= 1e-8 * c);
    }
    assert_eq!(
        a.n_iter, b.n_iter,
        "the stopping rule does not depend on units"
    );
}

#[test]
fn f32_works_and_agrees_with_f64() {
    let (x, y) = problem(60, 12, 0.3, 4, 15);
    let (xf, yf) = to_f32(&x, &y);
    let alpha = 0.1 * amax(&x, &y, true);
    let a = CoordinateDescent::new()
        .tol(1e-12)
        .solve(
            &Problem::new(&x, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    let b = CoordinateDescent::<f32>::new()
        .tol(1e-6)
        .solve(
            &Problem::new(&xf, &yf, &L1, alpha as f32).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    assert!(
        b.converged(),
        "{:?} gap {:?}",
        b.termination,
        b.relative_gap
    );
    for j in 0..12 {
        assert!((f64::from(b.coef[j]) - a.coef[j]).abs() < 1e-3, "{j}");
    }
    let c = Fista::<f32>::new()
        .tol(1e-6)
        .solve(
            &Problem::new(&xf, &yf, &L1, alpha as f32).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    assert!(c.converged());
}

#[test]
fn hitting_max_iter_is_visible_and_observers_can_stop() {
    let (x, y) = problem(30, 100, 0.9, 10, 16);
    let alpha = 1e-3 * amax(&x, &y, false);
    let pb = Problem::new(&x, &y, &L1, alpha);
    let sol = CoordinateDescent::new()
        .tol(1e-14)
        .max_iter(2)
        .solve(&pb, None, &mut ())
        .unwrap();
    assert_eq!(sol.termination, Termination::MaxIterReached);
    assert!(sol.relative_gap.unwrap() > 1e-14);
    let mut calls = 0;
    let mut stop = |_: &IterInfo<f64>| {
        calls += 1;
        if calls >= 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let sol = CoordinateDescent::new()
        .tol(1e-14)
        .solve(&pb, None, &mut stop)
        .unwrap();
    assert_eq!(sol.termination, Termination::StoppedByObserver);
    assert_eq!(calls, 2);
}

#[test]
fn bad_inputs_are_typed_errors_and_inputs_are_untouched() {
    let (x, y) = problem(10, 3, 0.0, 2, 17);
    let y_before = y.clone();
    let cd = CoordinateDescent::new();
    let e = cd
        .solve(&Problem::new(&x, &y[..9], &L1, 0.1), None, &mut ())
        .unwrap_err();
    assert!(matches!(e, Error::DimensionMismatch { .. }));
    let e = cd
        .solve(&Problem::new(&x, &y, &L1, f64::NAN), None, &mut ())
        .unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { name: "alpha", .. }));
    let e = cd
        .solve(&Problem::new(&x, &y, &L1, -1.0), None, &mut ())
        .unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { name: "alpha", .. }));
    let mut yn = y.clone();
    yn[3] = f64::INFINITY;
    let e = cd
        .solve(&Problem::new(&x, &yn, &L1, 0.1), None, &mut ())
        .unwrap_err();
    assert_eq!(
        e,
        Error::NonFinite {
            what: "y",
            index: 3
        }
    );
    let mut xd = x.clone().into_vec();
    xd[4] = f64::NAN;
    let xn = ColMajor::new(xd, 10, 3).unwrap();
    let e = cd
        .solve(&Problem::new(&xn, &y, &L1, 0.1), None, &mut ())
        .unwrap_err();
    assert_eq!(
        e,
        Error::NonFinite {
            what: "X",
            index: 4
        }
    );
    let e = cd
        .solve(&Problem::new(&x, &y, &L1, 0.1), Some(&[0.0; 2]), &mut ())
        .unwrap_err();
    assert!(matches!(e, Error::DimensionMismatch { .. }));
    let zero_w = vec![0.0; 10];
    let e = cd
        .solve(
            &Problem::new(&x, &y, &L1, 0.1).sample_weight(Some(&zero_w)),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidParameter {
            name: "sample_weight",
            ..
        }
    ));
    let e = CoordinateDescent::new()
        .tol(0.0)
        .solve(&Problem::new(&x, &y, &L1, 0.1), None, &mut ())
        .unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { name: "tol", .. }));
    let e = CoordinateDescent::new()
        .max_iter(0)
        .solve(&Problem::new(&x, &y, &L1, 0.1), None, &mut ())
        .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidParameter {
            name: "max_iter",
            ..
        }
    ));
    let empty = ColMajor::<f64>::zeros(0, 3);
    let e = cd
        .solve(&Problem::new(&empty, &[], &L1, 0.1), None, &mut ())
        .unwrap_err();
    assert!(matches!(e, Error::Empty { .. }));
    assert!(alpha_grid(1.0, 0, 1e-3).is_err());
    assert!(alpha_grid(1.0, 5, f64::NAN).is_err());
    assert_eq!(y, y_before);
}

#[test]
fn alpha_zero_is_least_squares_and_constant_y_gives_zero() {
    let (x, y) = problem(40, 5, 0.2, 5, 18);
    let sol = CoordinateDescent::new()
        .tol(1e-14)
        .solve(&Problem::new(&x, &y, &L1, 0.0), None, &mut ())
        .unwrap();
    assert!(sol.converged());
    // Normal equations: Xᵀ(y − Xw) = 0.
    let mut r = y.to_vec();
    x.gemv(-1.0, &sol.coef, 1.0, &mut r);
    let mut g = vec![0.0; 5];
    x.gemv_t(1.0, &r, 0.0, &mut g);
    assert!(g.iter().all(|v: &f64| v.abs() < 1e-8), "{g:?}");
    let yc = vec![2.5; 40];
    let pb = Problem::new(&x, &yc, &L1, 1.0).fit_intercept(true);
    let cd = CoordinateDescent::new();
    assert_eq!(alpha_max(&cd.prepare(&pb).unwrap(), &L1).unwrap(), 0.0);
    let s = cd.solve(&pb, None, &mut ()).unwrap();
    assert!(s.coef.iter().all(|&v| v == 0.0));
    assert_eq!(s.intercept[0], 2.5);
}

#[test]
fn standardize_equals_fitting_scaled_columns_and_reports_original_scale() {
    let (x, y) = problem(60, 6, 0.3, 3, 19);
    // Reference: standardize by hand, fit, map back.
    let n = 60.0;
    let mut means = [0.0; 6];
    let mut sds = [0.0; 6];
    for j in 0..6 {
        means[j] = x.col(j).iter().sum::<f64>() / n;
        sds[j] = (x.col(j).iter().map(|v| (v - means[j]).powi(2)).sum::<f64>() / n).sqrt();
    }
    let xs = ColMajor::from_fn(60, 6, |i, j| (x.col(j)[i] - means[j]) / sds[j]);
    let alpha = 0.05;
    let cd = CoordinateDescent::new().tol(1e-14);
    let a = cd
        .solve(
            &Problem::new(&xs, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    for mode in [CdMode::Naive, CdMode::Gram] {
        let b = CoordinateDescent::new()
            .tol(1e-14)
            .mode(mode)
            .solve(
                &Problem::new(&x, &y, &L1, alpha)
                    .fit_intercept(true)
                    .standardize(true),
                None,
                &mut (),
            )
            .unwrap();
        for j in 0..6 {
            assert!((b.coef[j] - a.coef[j] / sds[j]).abs() < 1e-9);
        }
        // The intercept makes predictions on the original data agree.
        let mut pa = vec![a.intercept[0]; 60];
        xs.gemv(1.0, &a.coef, 1.0, &mut pa);
        let mut pb = vec![b.intercept[0]; 60];
        x.gemv(1.0, &b.coef, 1.0, &mut pb);
        assert!(max_diff(&pa, &pb) < 1e-9);
        let f = Fista::new()
            .tol(1e-13)
            .solve(
                &Problem::new(&x, &y, &L1, alpha)
                    .fit_intercept(true)
                    .standardize(true),
                None,
                &mut (),
            )
            .unwrap();
        assert!(max_diff(&f.coef, &b.coef) < 1e-6);
        // A warm start given on the original scale is recognised as the solution.
        let w = cd
            .solve(
                &Problem::new(&x, &y, &L1, alpha)
                    .fit_intercept(true)
                    .standardize(true),
                Some(&b.coef),
                &mut (),
            )
            .unwrap();
        assert!(w.n_iter <= 1);
    }
}
