//! Path extrapolation (Gram mode: each point warm started from the line through the previous
//! two solutions) changes how many epochs a path takes, never where it gets.
use proxreg_core::penalty::{Bounded, ElasticNet, SeparablePenalty, L1};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{alpha_grid, alpha_max, CdMode, CoordinateDescent, Path, Problem};

use crate::common::problem;

fn path<P: SeparablePenalty<f64>>(
    x: &ColMajor<f64>,
    y: &[f64],
    pen: &P,
    intercept: bool,
    extrapolate: bool,
) -> Path<f64> {
    let cd = CoordinateDescent::new()
        .tol(1e-9)
        .mode(CdMode::Gram)
        .path_extrapolation(extrapolate);
    let pb = Problem::new(x, y, pen, 1.0).fit_intercept(intercept);
    let am = alpha_max(&cd.prepare(&pb).unwrap(), pen).unwrap();
    let grid = alpha_grid(am, 60, 1e-3).unwrap();
    cd.path(&pb, &grid).unwrap()
}

fn epochs(p: &Path<f64>) -> usize {
    p.solutions.iter().map(|s| s.n_iter).sum()
}

fn check_same<P: SeparablePenalty<f64>>(name: &str, x: &ColMajor<f64>, y: &[f64], pen: &P) {
    for intercept in [false, true] {
        let a = path(x, y, pen, intercept, true);
        let b = path(x, y, pen, intercept, false);
        assert!(a.all_converged() && b.all_converged(), "{name}");
        for (i, (sa, sb)) in a.solutions.iter().zip(&b.solutions).enumerate() {
            // Both are certified to a relative gap of 1e-9: their objectives differ by at most
            // the sum of the two gaps.
            let (ga, gb) = (sa.duality_gap.unwrap(), sb.duality_gap.unwrap());
            assert!(
                (sa.objective - sb.objective).abs() <= ga + gb + 1e-12 * sb.objective.abs(),
                "{name} intercept={intercept} point {i}: {} vs {}",
                sa.objective,
                sb.objective
            );
        }
        assert!(
            epochs(&a) < epochs(&b),
            "{name} intercept={intercept}: {} epochs with extrapolation, {} without",
            epochs(&a),
            epochs(&b)
        );
    }
}

#[test]
fn same_path_in_fewer_epochs() {
    let (x, y) = problem(300, 40, 0.5, 12, 7);
    check_same("lasso", &x, &y, &L1);
    check_same("elastic net", &x, &y, &ElasticNet::new(0.5).unwrap());
}

#[test]
fn a_bounded_penalty_keeps_its_domain() {
    // Positive Lasso: an extrapolated start outside the domain would be rejected; starts are
    // clipped at zero by construction, so the path is the same either way.
    let (x, y) = problem(200, 30, 0.3, 8, 11);
    let pen = Bounded::nonnegative(L1);
    let a = path(&x, &y, &pen, true, true);
    let b = path(&x, &y, &pen, true, false);
    assert!(a.all_converged() && b.all_converged());
    for (sa, sb) in a.solutions.iter().zip(&b.solutions) {
        assert!(sa.coef.iter().all(|&v| v >= 0.0));
        let (ga, gb) = (sa.duality_gap.unwrap(), sb.duality_gap.unwrap());
        assert!((sa.objective - sb.objective).abs() <= ga + gb + 1e-12 * sb.objective.abs());
    }
}
