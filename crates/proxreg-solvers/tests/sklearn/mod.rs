//! The engine against scikit-learn 1.9.1 (fixtures from `scripts/make_fixtures.py`):
//! coefficients within 1e-6 and objective no higher than the reference × (1 + 1e-9).

use proxreg_core::penalty::{ElasticNet, L21ElasticNet, SquaredL2, L21};
use proxreg_fixtures::{load, Estimator};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{
    BlockCoordinateDescent, CdMode, CoordinateDescent, Fista, Problem, RidgeDirect, RidgeMethod,
    Solver,
};

use crate::common::max_diff;

const ENGINE: [&str; 3] = ["engine_iid", "engine_wide", "engine_corr"];

fn design(name: &str) -> (ColMajor<f64>, Vec<f64>, proxreg_fixtures::Fixture) {
    let f = load(name).unwrap();
    let pb = f.problem.as_ref().unwrap();
    let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
    let y = pb.y.clone();
    (x, y, f)
}

/// The distance to the exact solution that a duality gap certifies when the objective is
/// `mu`-strongly convex (`‖w − w*‖ <= sqrt(2·gap/mu)`), 0 when it is not.
fn radius(gap: Option<f64>, mu: f64) -> f64 {
    match gap {
        Some(g) if mu > 0.0 => (2.0 * g.max(0.0) / mu).sqrt(),
        _ => 0.0,
    }
}

/// 1e-6, or — where the problem is so flat that not even scikit-learn's own answer is certified
/// to 1e-6 (Elastic Net with p > n and a small alpha) — the sum of both certified radii.
fn coef_tol(ours: Option<f64>, reference: Option<f64>, mu: f64) -> f64 {
    1e-6f64.max(radius(ours, mu) + radius(reference, mu))
}

fn objective_ok(ours: f64, reference: f64) -> bool {
    ours <= reference * (1.0 + 1e-9) + 1e-15
}

#[test]
fn lasso_and_elastic_net_match_scikit_learn() {
    let mut checked = 0;
    for name in ENGINE {
        let (x, y, f) = design(name);
        for case in f
            .fits
            .iter()
            .filter(|c| matches!(c.estimator, Estimator::Lasso | Estimator::ElasticNet))
        {
            let rho = case.l1_ratio.unwrap_or(1.0);
            let pen = ElasticNet::new(rho).unwrap();
            let pb = Problem::new(&x, &y, &pen, case.alpha);
            for mode in [CdMode::Naive, CdMode::Gram] {
                let sol = CoordinateDescent::new()
                    .tol(1e-13)
                    .mode(mode)
                    .solve(&pb, None, &mut ())
                    .unwrap();
                assert!(sol.converged(), "{name} {}", case.id);
                let d = max_diff(&sol.coef, &case.coef);
                let tol = coef_tol(sol.duality_gap, case.dual_gap, case.alpha * (1.0 - rho));
                assert!(
                    d <= tol,
                    "{name} {} {mode:?}: max |Δcoef| = {d:e} > {tol:e}",
                    case.id
                );
                assert!(
                    objective_ok(sol.objective, case.objective),
                    "{name} {}: {} vs {}",
                    case.id,
                    sol.objective,
                    case.objective
                );
            }
            let sol = Fista::new().tol(1e-13).solve(&pb, None, &mut ()).unwrap();
            let tol = coef_tol(sol.duality_gap, case.dual_gap, case.alpha * (1.0 - rho));
            assert!(
                max_diff(&sol.coef, &case.coef) <= tol,
                "{name} {} fista",
                case.id
            );
            assert!(objective_ok(sol.objective, case.objective));
            checked += 1;
        }
    }
    assert_eq!(checked, 36);
}

#[test]
fn ridge_matches_scikit_learn_by_every_route() {
    let mut checked = 0;
    for name in ENGINE {
        let (x, y, f) = design(name);
        let n = y.len() as f64;
        for case in f.fits.iter().filter(|c| c.estimator == Estimator::Ridge) {
            // scikit-learn's ‖y − Xw‖² + a‖w‖² is the engine's (1/(2n))‖r‖² + (a/n)/2 ‖w‖².
            let pb = Problem::new(&x, &y, &SquaredL2, case.alpha / n);
            for method in [
                RidgeMethod::Auto,
                RidgeMethod::Cholesky,
                RidgeMethod::Dual,
                RidgeMethod::Svd,
            ] {
                let r = RidgeDirect::new()
                    .method(method)
                    .condition_number(true)
                    .solve(&pb)
                    .unwrap();
                let d = max_diff(&r.solution.coef, &case.coef);
                assert!(d < 1e-8, "{name} {} {method:?}: {d:e}", case.id);
                assert!(r.condition_number.unwrap() >= 1.0);
                assert!(r.solution.relative_gap.unwrap() < 1e-12);
            }
            let sol = CoordinateDescent::new()
                .tol(1e-14)
                .solve(&pb, None, &mut ())
                .unwrap();
            assert!(
                max_diff(&sol.coef, &case.coef) < 1e-6,
                "{name} {} cd",
                case.id
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 9);
}

#[test]
fn paths_match_scikit_learn_point_by_point() {
    for name in ENGINE {
        let (x, y, f) = design(name);
        for case in &f.paths {
            let pen = ElasticNet::new(case.l1_ratio).unwrap();
            let pb = Problem::new(&x, &y, &pen, 1.0);
            let cd = CoordinateDescent::new().tol(1e-13);
            let prep = cd.prepare(&pb).unwrap();
            let am = proxreg_solvers::alpha_max(&prep, &pen).unwrap();
            assert!(
                (am - case.alpha_max).abs() <= 1e-12 * am,
                "{name} alpha_max"
            );
            let grid = proxreg_solvers::alpha_grid(am, case.n_alphas, case.eps).unwrap();
            for (a, b) in grid.iter().zip(&case.alphas) {
                assert!((a - b).abs() <= 1e-12 * b, "{name} grid {a} vs {b}");
            }
            let path = cd.path_prepared(&prep, &pen, &case.alphas, None).unwrap();
            assert!(path.all_converged());
            for (i, sol) in path.solutions.iter().enumerate() {
                let d = max_diff(&sol.coef, &case.coefs[i]);
                let mu = case.alphas[i] * (1.0 - case.l1_ratio);
                let tol = coef_tol(sol.duality_gap, Some(case.dual_gaps[i]), mu);
                assert!(d <= tol, "{name} {} point {i}: {d:e} > {tol:e}", case.id);
                assert!(objective_ok(sol.objective, case.objectives[i]));
            }
        }
    }
}

#[test]
fn multitask_lasso_and_elastic_net_match_scikit_learn() {
    let f = load("engine_multitask").unwrap();
    let mp = f.multitask_problem.as_ref().unwrap();
    let (n, p, k) = (mp.n_samples, mp.n_features, mp.n_tasks);
    let x = ColMajor::new(mp.x.iter().flatten().copied().collect::<Vec<_>>(), p, n)
        .map(|xt| ColMajor::from_fn(n, p, |i, j| xt.as_slice()[i * p + j]))
        .unwrap();
    // Y column-major (task after task).
    let y: Vec<f64> = (0..k)
        .flat_map(|t| mp.y.iter().map(move |row| row[t]))
        .collect();
    for case in &f.multitask_fits {
        let expected: Vec<f64> = case.coef.iter().flatten().copied().collect();
        let sol = if case.l1_ratio == 1.0 {
            let pen = L21::new(p, k).unwrap();
            let pb = Problem::new(&x, &y, &pen, case.alpha).n_tasks(k);
            let a = BlockCoordinateDescent::new()
                .tol(1e-13)
                .solve(&pb, None, &mut ())
                .unwrap();
            let b = Fista::new().tol(1e-13).solve(&pb, None, &mut ()).unwrap();
            assert!(max_diff(&a.coef, &b.coef) < 1e-6);
            a
        } else {
            let pen = L21ElasticNet::new(case.l1_ratio, p, k).unwrap();
            let pb = Problem::new(&x, &y, &pen, case.alpha).n_tasks(k);
            BlockCoordinateDescent::new()
                .tol(1e-13)
                .solve(&pb, None, &mut ())
                .unwrap()
        };
        assert!(sol.converged(), "{}", case.id);
        let d = max_diff(&sol.coef, &expected);
        assert!(d < 1e-6, "{}: {d:e}", case.id);
        assert!(objective_ok(sol.objective, case.objective), "{}", case.id);
    }
}
