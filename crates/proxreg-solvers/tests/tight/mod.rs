//! Tight tolerances (fixtures from `scripts/make_tight_fixtures.py`, scikit-learn at
//! `tol = 1e-14`, each single-task reference checked against a linear solve on its support):
//! exact zeros at scikit-learn's `alpha_max`, no stall to `max_iter` below a tolerance the
//! arithmetic can certify, and coefficients certified by the KKT part of the stopping rule.

use proxreg_core::penalty::{ElasticNet, L21ElasticNet};
use proxreg_fixtures::{load, Estimator, FitCase};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{
    BlockCoordinateDescent, CdMode, CoordinateDescent, Fista, Problem, Solution, Solver,
    Termination,
};

/// Tolerances below what rounding can certify in f64 (the gap is relative to `‖y‖²/n`).
const TIGHT: [f64; 3] = [1e-14, 1e-15, 1e-16];

fn design(name: &str) -> (ColMajor<f64>, Vec<f64>, Vec<FitCase>) {
    let f = load(name).unwrap();
    let pb = f.problem.as_ref().unwrap();
    let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
    (x, pb.y.clone(), f.fits.clone())
}

struct MultiTask {
    x: ColMajor<f64>,
    y: Vec<f64>,
    p: usize,
    k: usize,
    cases: Vec<proxreg_fixtures::MultiTaskFitCase>,
}

fn multitask() -> MultiTask {
    let f = load("tight_multitask").unwrap();
    let mp = f.multitask_problem.as_ref().unwrap();
    let (n, p, k) = (mp.n_samples, mp.n_features, mp.n_tasks);
    let x = ColMajor::from_fn(n, p, |i, j| mp.x[i][j]);
    let y: Vec<f64> = (0..k)
        .flat_map(|t| mp.y.iter().map(move |row| row[t]))
        .collect();
    MultiTask {
        x,
        y,
        p,
        k,
        cases: f.multitask_fits.clone(),
    }
}

/// Every solver of a single-task problem, at tolerance `tol` and a million iterations.
fn single_solvers(
    x: &ColMajor<f64>,
    y: &[f64],
    pen: &ElasticNet<f64>,
    alpha: f64,
    tol: f64,
    warm: Option<&[f64]>,
) -> Vec<(&'static str, Solution<f64>)> {
    let pb = Problem::new(x, y, pen, alpha);
    let mut out = Vec::new();
    for (tag, mode) in [("cd naive", CdMode::Naive), ("cd gram", CdMode::Gram)] {
        let cd = CoordinateDescent::new()
            .tol(tol)
            .max_iter(1_000_000)
            .mode(mode);
        out.push((tag, cd.solve(&pb, warm, &mut ()).unwrap()));
    }
    let f = Fista::new().tol(tol).max_iter(1_000_000);
    out.push(("fista", f.solve(&pb, warm, &mut ()).unwrap()));
    out
}

fn rel_max_diff(a: &[f64], b: &[f64]) -> f64 {
    let scale = b.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (u, v)| m.max((u - v).abs()))
        / scale
}

#[test]
fn at_scikit_learns_alpha_max_every_solver_returns_exact_zeros() {
    let (x, y, cases) = design("tight_corr");
    let mut checked = 0;
    for case in cases.iter().filter(|c| c.alpha_rel == Some(1.0)) {
        let pen = ElasticNet::new(case.l1_ratio.unwrap()).unwrap();
        // A warm start far from zero must not leave rounding-sized coefficients behind.
        let warm = vec![0.3; x.ncols()];
        for tol in TIGHT {
            for start in [None, Some(&warm[..])] {
                for (tag, sol) in single_solvers(&x, &y, &pen, case.alpha, tol, start) {
                    let what = format!("{} {tag} tol {tol:e} warm {}", case.id, start.is_some());
                    assert!(sol.coef.iter().all(|&v| v == 0.0), "{what}: {:?}", sol.coef);
                    assert_eq!(sol.termination, Termination::Converged, "{what}");
                    assert!(sol.n_iter <= 1, "{what}: {} iterations", sol.n_iter);
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * TIGHT.len());
}

#[test]
fn multitask_at_scikit_learns_alpha_max_returns_exact_zeros() {
    let mt = multitask();
    let mut checked = 0;
    for case in mt.cases.iter().filter(|c| c.alpha_rel == Some(1.0)) {
        let pen = L21ElasticNet::new(case.l1_ratio, mt.p, mt.k).unwrap();
        let pb = Problem::new(&mt.x, &mt.y, &pen, case.alpha).n_tasks(mt.k);
        for tol in TIGHT {
            let a = BlockCoordinateDescent::new()
                .tol(tol)
                .max_iter(1_000_000)
                .solve(&pb, None, &mut ())
                .unwrap();
            let b = Fista::new()
                .tol(tol)
                .max_iter(1_000_000)
                .solve(&pb, None, &mut ())
                .unwrap();
            for (tag, s) in [("bcd", a), ("fista", b)] {
                let what = format!("{} {tag} tol {tol:e}", case.id);
                assert!(s.coef.iter().all(|&v| v == 0.0), "{what}: {:?}", s.coef);
                assert_eq!(s.termination, Termination::Converged, "{what}");
                assert!(s.n_iter <= 1, "{what}: {} iterations", s.n_iter);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * TIGHT.len());
}

/// Just below `alpha_max` and further down, at tolerances below rounding: every solver stops
/// (converged, or at the rounding floor) in a bounded number of iterations, with scikit-learn's
/// coefficients.
#[test]
fn below_alpha_max_tight_tolerances_stop_certified_in_bounded_iterations() {
    let (x, y, cases) = design("tight_corr");
    for case in cases.iter().filter(|c| c.alpha_rel != Some(1.0)) {
        let pen = ElasticNet::new(case.l1_ratio.unwrap()).unwrap();
        for tol in TIGHT {
            for (tag, sol) in single_solvers(&x, &y, &pen, case.alpha, tol, None) {
                let what = format!("{} {tag} tol {tol:e}", case.id);
                assert!(
                    matches!(
                        sol.termination,
                        Termination::Converged | Termination::RoundingFloor
                    ),
                    "{what}: {:?} after {} iterations",
                    sol.termination,
                    sol.n_iter
                );
                let bound = if tag == "fista" { 200_000 } else { 5_000 };
                assert!(sol.n_iter <= bound, "{what}: {} iterations", sol.n_iter);
                let d = rel_max_diff(&sol.coef, &case.coef);
                assert!(d <= 1e-9, "{what}: coefficients off by {d:e}");
                // A zero of the reference is an exact zero here too.
                for (j, (&a, &b)) in sol.coef.iter().zip(&case.coef).enumerate() {
                    if b == 0.0 {
                        assert_eq!(a, 0.0, "{what}: coefficient {j}");
                    }
                }
            }
        }
    }
}

#[test]
fn multitask_below_alpha_max_tight_tolerances_stop_in_bounded_iterations() {
    let mt = multitask();
    for case in mt.cases.iter().filter(|c| c.alpha_rel != Some(1.0)) {
        let pen = L21ElasticNet::new(case.l1_ratio, mt.p, mt.k).unwrap();
        let pb = Problem::new(&mt.x, &mt.y, &pen, case.alpha).n_tasks(mt.k);
        let expected: Vec<f64> = case.coef.iter().flatten().copied().collect();
        for tol in TIGHT {
            let s = BlockCoordinateDescent::new()
                .tol(tol)
                .max_iter(1_000_000)
                .solve(&pb, None, &mut ())
                .unwrap();
            let what = format!("{} tol {tol:e}", case.id);
            assert!(s.converged(), "{what}: {:?}", s.termination);
            assert!(s.n_iter <= 5_000, "{what}: {} epochs", s.n_iter);
            let d = rel_max_diff(&s.coef, &expected);
            assert!(d <= 1e-9, "{what}: coefficients off by {d:e}");
        }
    }
}

/// Elastic Net on a design with two identical columns: the optimum is unique and gives both
/// the same coefficient. At `tol = 1e-12` the KKT part of the stopping rule certifies the
/// coefficients, not only the objective: equal to 1e-9 relative, and scikit-learn's
/// (tol 1e-14, checked against a linear solve on the support) to 1e-8.
#[test]
fn duplicated_columns_get_equal_elastic_net_coefficients() {
    let (x, y, cases) = design("tight_dup");
    assert_eq!(x.col(2), x.col(7));
    let mut checked = 0;
    for case in cases
        .iter()
        .filter(|c| c.estimator == Estimator::ElasticNet)
    {
        let pen = ElasticNet::new(case.l1_ratio.unwrap()).unwrap();
        for (tag, sol) in single_solvers(&x, &y, &pen, case.alpha, 1e-12, None) {
            let what = format!("{} {tag}", case.id);
            assert!(sol.converged(), "{what}");
            let (a, b) = (sol.coef[2], sol.coef[7]);
            assert!(a != 0.0, "{what}");
            let split = (a - b).abs() / a.abs();
            assert!(split <= 1e-9, "{what}: {a} vs {b} ({split:e})");
            let d = rel_max_diff(&sol.coef, &case.coef);
            assert!(d <= 1e-8, "{what}: {d:e} from scikit-learn");
        }
        checked += 1;
    }
    assert_eq!(checked, 3);
}

/// An ill-conditioned design (AR(1), neighbour correlation 0.99): at `tol = 1e-12` every solver
/// matches the independent reference to 1e-8.
#[test]
fn ill_conditioned_design_matches_the_reference_to_1e_minus_8() {
    let (x, y, cases) = design("tight_corr");
    for case in cases
        .iter()
        .filter(|c| c.alpha_rel.is_some_and(|r| r <= 0.1))
    {
        let pen = ElasticNet::new(case.l1_ratio.unwrap()).unwrap();
        for (tag, sol) in single_solvers(&x, &y, &pen, case.alpha, 1e-12, None) {
            let what = format!("{} {tag}", case.id);
            assert!(sol.converged(), "{what}");
            let d = rel_max_diff(&sol.coef, &case.coef);
            assert!(d <= 1e-8, "{what}: {d:e} from the reference");
        }
    }
}

/// The same fits along a warm-started path: every point certified in its coefficients.
#[test]
fn paths_inherit_the_coefficient_certificate() {
    let (x, y, cases) = design("tight_dup");
    let case = &cases[0];
    let pen = ElasticNet::new(case.l1_ratio.unwrap()).unwrap();
    let pb = Problem::new(&x, &y, &pen, case.alpha);
    let alphas: Vec<f64> = (0..8).map(|i| case.alpha * 0.7f64.powi(i)).collect();
    for mode in [CdMode::Naive, CdMode::Gram] {
        let path = CoordinateDescent::new()
            .tol(1e-12)
            .mode(mode)
            .path(&pb, &alphas)
            .unwrap();
        assert!(path.all_converged());
        for (i, s) in path.solutions.iter().enumerate() {
            let (a, b) = (s.coef[2], s.coef[7]);
            assert!(
                (a - b).abs() <= 1e-9 * a.abs(),
                "{mode:?} point {i}: {a} vs {b}"
            );
        }
    }
}

/// `kkt_tol` is settable and validated.
#[test]
fn kkt_tol_is_validated() {
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(CoordinateDescent::new().kkt_tol(bad).check().is_err());
        assert!(Fista::new().kkt_tol(bad).check().is_err());
    }
    assert_eq!(CoordinateDescent::new().tol(1e-7).kkt_tol_value(), 1e-7);
    assert_eq!(
        CoordinateDescent::new()
            .tol(1e-7)
            .kkt_tol(1e-3)
            .kkt_tol_value(),
        1e-3
    );
}

/// f32 asked for a tolerance far below its precision: every solver stops certified as far as
/// f32 allows (converged or at the rounding floor), never by running to `max_iter`, with the
/// f64 reference's coefficients to f32 accuracy.
#[test]
fn f32_below_its_precision_stops_at_the_rounding_floor() {
    let (x, y, cases) = design("tight_corr");
    let xf = ColMajor::new(
        x.as_slice().iter().map(|&v| v as f32).collect(),
        x.nrows(),
        x.ncols(),
    )
    .unwrap();
    let yf: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    for case in cases.iter().filter(|c| c.alpha_rel == Some(0.1)) {
        let pen = ElasticNet::new(case.l1_ratio.unwrap() as f32).unwrap();
        let pb = Problem::new(&xf, &yf, &pen, case.alpha as f32);
        let mut sols = Vec::new();
        for mode in [CdMode::Naive, CdMode::Gram] {
            let cd = CoordinateDescent::new()
                .tol(1e-12f32)
                .max_iter(1_000_000)
                .mode(mode);
            sols.push((format!("{mode:?}"), cd.solve(&pb, None, &mut ()).unwrap()));
        }
        let f = Fista::new().tol(1e-12f32).max_iter(1_000_000);
        sols.push(("fista".into(), f.solve(&pb, None, &mut ()).unwrap()));
        for (tag, s) in sols {
            let what = format!("{} {tag}", case.id);
            assert!(s.converged(), "{what}: {:?}", s.termination);
            let bound = if tag == "fista" { 200_000 } else { 5_000 };
            assert!(s.n_iter <= bound, "{what}: {} iterations", s.n_iter);
            let coef: Vec<f64> = s.coef.iter().map(|&v| f64::from(v)).collect();
            let d = rel_max_diff(&coef, &case.coef);
            assert!(d <= 1e-3, "{what}: {d:e} from the f64 reference");
        }
    }
}
