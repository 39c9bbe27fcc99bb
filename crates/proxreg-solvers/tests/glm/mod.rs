//! The generic-datafit engine: prox-Newton agrees with coordinate descent on least squares,
//! certifies logistic fits, and refuses bad targets with typed errors.

use proxreg_core::datafit::{Datafit, Logistic, Quadratic};
use proxreg_core::penalty::{ElasticNet, Weighted, L1};
use proxreg_core::Error;
use proxreg_linalg::ColMajor;
use proxreg_solvers::{glm_alpha_max, CoordinateDescent, Problem, ProxNewton, Solver, Termination};

use crate::common::{problem, Rng};

/// A binary target `1{Xw* + noise > 0}` on the AR(1) design.
fn binary(n: usize, p: usize, rho: f64, seed: u64) -> (ColMajor<f64>, Vec<f64>) {
    let (x, y) = problem(n, p, rho, 5.min(p), seed);
    let mut rng = Rng::new(seed + 7);
    let yb = y
        .iter()
        .map(|&v| f64::from(u8::from(v + rng.normal() > 0.3)))
        .collect();
    (x, yb)
}

fn max_rel_diff(a: &[f64], b: &[f64]) -> f64 {
    let scale = a.iter().fold(1e-300_f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max)
        / scale
}

/// The objective `(1/m)Σ s_i ℓ_i + α g(w)` evaluated independently of the solver.
#[allow(clippy::too_many_arguments)] // the point, the data and the penalty value
fn objective<F: Datafit<f64>>(
    f: &F,
    x: &ColMajor<f64>,
    y: &[f64],
    s: Option<&[f64]>,
    coef: &[f64],
    b: f64,
    alpha: f64,
    g: f64,
) -> f64 {
    let n = y.len();
    let m: f64 = s.map_or(n as f64, |s| s.iter().sum());
    let mut v = 0.0;
    for i in 0..n {
        let eta = b + (0..coef.len()).map(|j| x.col(j)[i] * coef[j]).sum::<f64>();
        v += s.map_or(1.0, |s| s[i]) * f.loss(y[i], eta);
    }
    v / m + alpha * g
}

#[test]
fn prox_newton_on_least_squares_matches_coordinate_descent() {
    let (x, y) = problem(60, 25, 0.5, 6, 3);
    let s: Vec<f64> = (0..60).map(|i| 0.5 + (i % 4) as f64).collect();
    let en = ElasticNet::new(0.7).unwrap();
    for (weights, standardize) in [(None, false), (Some(&s[..]), false), (Some(&s[..]), true)] {
        let pb = Problem::new(&x, &y, &en, 1.0)
            .fit_intercept(true)
            .sample_weight(weights)
            .standardize(standardize);
        let amax = glm_alpha_max(&pb).unwrap();
        let pb = pb.with_alpha(amax / 20.0);
        let cd = CoordinateDescent::new()
            .tol(1e-13)
            .solve(&pb, None, &mut ())
            .unwrap();
        let pn = ProxNewton::new()
            .tol(1e-13)
            .solve(&pb.datafit(Quadratic), None, &mut ())
            .unwrap();
        assert!(cd.converged() && pn.converged(), "{:?}", pn.termination);
        assert!(max_rel_diff(&cd.coef, &pn.coef) < 1e-9, "coef");
        assert!((cd.intercept[0] - pn.intercept[0]).abs() < 1e-9);
        // One convention for the relative gap: relative to the null deviance ‖y − ȳ‖²/m.
        assert!(pn.relative_gap.unwrap() <= 1e-13);
        assert!((cd.objective - pn.objective).abs() <= 1e-12 * cd.objective);
    }
}

#[test]
fn glm_alpha_max_is_the_quadratic_alpha_max() {
    let (x, y) = problem(40, 12, 0.3, 4, 5);
    let pb = Problem::new(&x, &y, &L1, 1.0).fit_intercept(true);
    let prep = proxreg_solvers::Prepared::new(&pb, false).unwrap();
    let a = proxreg_solvers::alpha_max(&prep, &L1).unwrap();
    let b = glm_alpha_max(&pb).unwrap();
    assert!((a - b).abs() <= 1e-14 * a);
}

#[test]
fn logistic_fit_is_certified_and_optimal() {
    let (x, y) = binary(120, 30, 0.5, 11);
    let pb = Problem::new(&x, &y, &L1, 1.0)
        .fit_intercept(true)
        .datafit(Logistic);
    let amax = glm_alpha_max(&pb).unwrap();
    for frac in [0.5, 0.1, 0.02] {
        let pb = pb.with_alpha(amax * frac);
        let sol = ProxNewton::new()
            .tol(1e-10)
            .solve(&pb, None, &mut ())
            .unwrap();
        assert!(sol.converged(), "{:?}", sol.termination);
        assert!(sol.relative_gap.unwrap() <= 1e-10);
        assert!(sol.n_iter < 50, "{} Newton iterations", sol.n_iter);
        // The reported objective is the objective of the returned point.
        let l1: f64 = sol.coef.iter().map(|v| v.abs()).sum();
        let obj = objective(
            &Logistic,
            &x,
            &y,
            None,
            &sol.coef,
            sol.intercept[0],
            amax * frac,
            l1,
        );
        assert!((obj - sol.objective).abs() <= 1e-12 * obj);
        // A tighter fit is no better than the certificate allows.
        let tight = ProxNewton::new()
            .tol(1e-14)
            .solve(&pb, None, &mut ())
            .unwrap();
        assert!(sol.objective - tight.objective <= sol.duality_gap.unwrap() + 1e-15);
        // Perturbing any coefficient does not decrease the objective.
        for j in 0..5 {
            let mut c = sol.coef.clone();
            c[j] += 1e-4;
            let l1p: f64 = c.iter().map(|v| v.abs()).sum();
            let o = objective(
                &Logistic,
                &x,
                &y,
                None,
                &c,
                sol.intercept[0],
                amax * frac,
                l1p,
            );
            assert!(o >= sol.objective - 1e-12);
        }
    }
}

#[test]
fn logistic_zero_at_alpha_max_and_not_below() {
    let (x, y) = binary(80, 20, 0.2, 13);
    let w: Vec<f64> = (0..20)
        .map(|j| {
            if j % 3 == 0 {
                0.0
            } else {
                1.0 + j as f64 / 10.0
            }
        })
        .collect();
    let pen = Weighted::new(L1, w).unwrap();
    let s: Vec<f64> = (0..80).map(|i| 1.0 + (i % 3) as f64).collect();
    let pb = Problem::new(&x, &y, &pen, 1.0)
        .fit_intercept(true)
        .sample_weight(Some(&s))
        .datafit(Logistic);
    // Unpenalised features make alpha_max the point where only they are active: use plain L1.
    let pb1 = Problem::new(&x, &y, &L1, 1.0)
        .fit_intercept(true)
        .sample_weight(Some(&s))
        .standardize(true)
        .datafit(Logistic);
    let amax = glm_alpha_max(&pb1).unwrap();
    let at = ProxNewton::new()
        .tol(1e-12)
        .solve(&pb1.with_alpha(amax), None, &mut ())
        .unwrap();
    assert!(at.coef.iter().all(|&v| v == 0.0), "{:?}", at.coef);
    // The intercept is the null model's: logit of the weighted mean.
    let m: f64 = s.iter().sum();
    let mu: f64 = y.iter().zip(&s).map(|(a, b)| a * b).sum::<f64>() / m;
    assert!((at.intercept[0] - (mu / (1.0 - mu)).ln()).abs() < 1e-12);
    let below = ProxNewton::new()
        .tol(1e-12)
        .solve(&pb1.with_alpha(amax * (1.0 - 1e-6)), None, &mut ())
        .unwrap();
    assert!(below.coef.iter().any(|&v| v != 0.0));
    // Penalty factors: converges, and the unpenalised features are active.
    let a2 = glm_alpha_max(&pb).unwrap();
    let sol = ProxNewton::new()
        .tol(1e-10)
        .solve(&pb.with_alpha(a2 / 5.0), None, &mut ())
        .unwrap();
    assert!(sol.converged());
}

#[test]
fn logistic_path_equals_cold_fits_and_f32_works() {
    let (x, y) = binary(70, 15, 0.4, 17);
    let en = ElasticNet::new(0.5).unwrap();
    let pb = Problem::new(&x, &y, &en, 1.0)
        .fit_intercept(true)
        .datafit(Logistic);
    let amax = glm_alpha_max(&pb).unwrap();
    let alphas: Vec<f64> = (0..8).map(|k| amax * 0.5_f64.powi(k)).collect();
    let solver = ProxNewton::new().tol(1e-12);
    let path = solver.path(&pb, &alphas).unwrap();
    assert!(path.all_converged());
    for (a, s) in alphas.iter().zip(&path.solutions) {
        let cold = solver.solve(&pb.with_alpha(*a), None, &mut ()).unwrap();
        assert!(max_rel_diff(&cold.coef, &s.coef) < 1e-7);
    }
    // f32: the same fit to f32 accuracy.
    let x32 = ColMajor::from_fn(70, 15, |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let pb32 = Problem::new(&x32, &y32, &L1, (amax / 10.0) as f32)
        .fit_intercept(true)
        .datafit(Logistic);
    let s32 = ProxNewton::new()
        .tol(1e-5_f32)
        .solve(&pb32, None, &mut ())
        .unwrap();
    assert!(s32.converged(), "{:?}", s32.termination);
    let s64 = ProxNewton::new()
        .tol(1e-12)
        .solve(
            &Problem::new(&x, &y, &L1, amax / 10.0)
                .fit_intercept(true)
                .datafit(Logistic),
            None,
            &mut (),
        )
        .unwrap();
    let c32: Vec<f64> = s32.coef.iter().map(|&v| f64::from(v)).collect();
    assert!(
        max_rel_diff(&s64.coef, &c32) < 2e-2,
        "{:?} vs {:?}",
        s64.coef,
        c32
    );
}

#[test]
fn bad_targets_get_typed_errors() {
    let (x, mut y) = binary(30, 4, 0.0, 19);
    let solver = ProxNewton::new();
    y[3] = 2.0;
    let e = solver
        .solve(
            &Problem::new(&x, &y, &L1, 0.1).datafit(Logistic),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidTarget { index: Some(3), .. }),
        "{e}"
    );
    y[3] = f64::NAN;
    let e = solver
        .solve(
            &Problem::new(&x, &y, &L1, 0.1).datafit(Logistic),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::NonFinite {
                what: "y",
                index: 3
            }
        ),
        "{e}"
    );
    let ones = vec![1.0; 30];
    let e = solver
        .solve(
            &Problem::new(&x, &ones, &L1, 0.1)
                .fit_intercept(true)
                .datafit(Logistic),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(e, Error::InvalidTarget { index: None, .. }), "{e}");
    let y2 = vec![0.0; 60];
    let e = solver
        .solve(
            &Problem::new(&x, &y2, &L1, 0.1).n_tasks(2).datafit(Logistic),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e}");
    assert!(matches!(
        ProxNewton::<f64>::new().max_inner(0).check(),
        Err(Error::InvalidParameter {
            name: "max_inner",
            ..
        })
    ));
    // Not converging is visible.
    let (x, y) = binary(60, 20, 0.5, 23);
    let pb = Problem::new(&x, &y, &L1, 1e-4)
        .fit_intercept(true)
        .datafit(Logistic);
    let s = ProxNewton::new()
        .tol(1e-14)
        .max_iter(1)
        .solve(&pb, None, &mut ())
        .unwrap();
    assert_eq!(s.termination, Termination::MaxIterReached);
    assert!(!s.converged());
}

#[test]
fn prox_gradient_agrees_with_prox_newton_and_takes_any_penalty() {
    use proxreg_core::penalty::L2;
    use proxreg_solvers::ProxGradient;
    let (x, y) = binary(90, 12, 0.3, 29);
    let s: Vec<f64> = (0..90).map(|i| 0.5 + (i % 3) as f64).collect();
    let en = ElasticNet::new(0.6).unwrap();
    let pb = Problem::new(&x, &y, &en, 1.0)
        .fit_intercept(true)
        .sample_weight(Some(&s))
        .standardize(true)
        .datafit(Logistic);
    let pb = pb.with_alpha(glm_alpha_max(&pb).unwrap() / 10.0);
    let pn = ProxNewton::new()
        .tol(1e-12)
        .solve(&pb, None, &mut ())
        .unwrap();
    let pg = ProxGradient::new()
        .tol(1e-10)
        .solve(&pb, None, &mut ())
        .unwrap();
    assert!(pn.converged() && pg.converged(), "{:?}", pg.termination);
    assert!(
        max_rel_diff(&pn.coef, &pg.coef) < 1e-4,
        "{:?} vs {:?}",
        pn.coef,
        pg.coef
    );
    assert!((pn.intercept[0] - pg.intercept[0]).abs() < 1e-4);
    // A non-separable penalty (the group norm ‖w‖₂), which ProxNewton cannot take: certified,
    // and optimal against perturbations.
    let pb2 = Problem::new(&x, &y, &L2, 0.02)
        .fit_intercept(true)
        .datafit(Logistic);
    let g = ProxGradient::new()
        .tol(1e-10)
        .solve(&pb2, None, &mut ())
        .unwrap();
    assert!(g.converged() && g.relative_gap.unwrap() <= 1e-10);
    let norm = |c: &[f64]| c.iter().map(|v| v * v).sum::<f64>().sqrt();
    let base = objective(
        &Logistic,
        &x,
        &y,
        None,
        &g.coef,
        g.intercept[0],
        0.02,
        norm(&g.coef),
    );
    assert!((base - g.objective).abs() <= 1e-12 * base);
    for j in 0..12 {
        let mut c = g.coef.clone();
        c[j] += 1e-4;
        assert!(
            objective(&Logistic, &x, &y, None, &c, g.intercept[0], 0.02, norm(&c)) >= base - 1e-12
        );
    }
    // Least squares through it equals coordinate descent.
    let (xq, yq) = problem(50, 10, 0.4, 3, 31);
    let pq = Problem::new(&xq, &yq, &L1, 0.05).fit_intercept(true);
    let cd = CoordinateDescent::new()
        .tol(1e-13)
        .solve(&pq, None, &mut ())
        .unwrap();
    let q = ProxGradient::new()
        .tol(1e-12)
        .solve(&pq.datafit(Quadratic), None, &mut ())
        .unwrap();
    assert!(max_rel_diff(&cd.coef, &q.coef) < 1e-5);
}

#[test]
fn prox_newton_inner_anderson_changes_the_speed_not_the_answer() {
    // Correlated columns: the inner coordinate descent needs many epochs, where extrapolation
    // acts.
    let (x, y) = binary(150, 60, 0.9, 37);
    let pb = Problem::new(&x, &y, &L1, 1.0)
        .fit_intercept(true)
        .datafit(Logistic);
    let pb = pb.with_alpha(glm_alpha_max(&pb).unwrap() / 20.0);
    let with = ProxNewton::new()
        .tol(1e-12)
        .solve(&pb, None, &mut ())
        .unwrap();
    let without = ProxNewton::new()
        .tol(1e-12)
        .anderson(0)
        .solve(&pb, None, &mut ())
        .unwrap();
    assert!(with.converged() && without.converged());
    assert!(max_rel_diff(&with.coef, &without.coef) < 1e-8);
    assert!((with.intercept[0] - without.intercept[0]).abs() < 1e-8);
    assert!(
        with.n_updates < without.n_updates,
        "{} vs {} coordinate updates",
        with.n_updates,
        without.n_updates
    );
}
