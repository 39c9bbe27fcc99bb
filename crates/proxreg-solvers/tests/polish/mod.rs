//! The support polish (Newton steps on the support) changes how fast coordinate descent gets
//! there, never where it gets: same optima, same certificates, fewer epochs near interpolation.
use proxreg_core::penalty::{Bounded, ElasticNet, SeparablePenalty, Weighted, L1};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{
    alpha_max, CdMode, CoordinateDescent, Problem, Solution, Solver, Termination,
};

use crate::common::{max_diff, problem, to_f32};

fn fit<P: SeparablePenalty<f64>>(
    x: &ColMajor<f64>,
    y: &[f64],
    pen: &P,
    frac: f64,
    intercept: bool,
    mode: CdMode,
    polish: bool,
) -> Solution<f64> {
    let cd = CoordinateDescent::new()
        .tol(1e-11)
        .mode(mode)
        .polish(polish)
        .max_iter(200_000);
    let pb0 = Problem::new(x, y, pen, 1.0).fit_intercept(intercept);
    let am = alpha_max(&cd.prepare(&pb0).unwrap(), pen).unwrap();
    let pb = Problem::new(x, y, pen, frac * am).fit_intercept(intercept);
    cd.solve(&pb, None, &mut ()).unwrap()
}

fn check_same<P: SeparablePenalty<f64>>(name: &str, x: &ColMajor<f64>, y: &[f64], pen: &P) {
    for intercept in [false, true] {
        for mode in [CdMode::Naive, CdMode::Gram] {
            for frac in [0.3, 0.02, 1e-3] {
                let a = fit(x, y, pen, frac, intercept, mode, true);
                let b = fit(x, y, pen, frac, intercept, mode, false);
                let tag = format!("{name} intercept={intercept} {mode:?} frac={frac}");
                assert_eq!(a.termination, Termination::Converged, "{tag}");
                assert_eq!(b.termination, Termination::Converged, "{tag}");
                assert!(
                    a.relative_gap.unwrap() <= 1e-11,
                    "{tag}: {:?}",
                    a.relative_gap
                );
                // Both are within 1e-11 (relative) of the optimal objective.
                let scale = a.objective.abs().max(1e-300);
                assert!(
                    (a.objective - b.objective).abs() <= 2e-11 * scale + 1e-14,
                    "{tag}: objectives {} vs {}",
                    a.objective,
                    b.objective
                );
                if frac >= 0.02 {
                    // A unique, well-conditioned optimum: the coefficients agree too.
                    let w = a.coef.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1.0);
                    assert!(max_diff(&a.coef, &b.coef) <= 1e-4 * w, "{tag}");
                }
            }
        }
    }
}

#[test]
fn polish_finds_the_same_optimum_for_each_penalty_and_mode() {
    let (x, y) = problem(80, 40, 0.5, 8, 71);
    check_same("L1", &x, &y, &L1);
    check_same("EN(0.5)", &x, &y, &ElasticNet::new(0.5).unwrap());
    let factors: Vec<f64> = (0..40).map(|j| 0.5 + (j % 3) as f64 * 0.5).collect();
    check_same("Weighted L1", &x, &y, &Weighted::new(L1, factors).unwrap());
    // No quadratic piece (a box): the polish stands aside and the fit is unchanged.
    check_same("Bounded L1", &x, &y, &Bounded::nonnegative(L1));
}

#[test]
fn polish_cuts_the_epochs_of_a_near_interpolating_lasso() {
    // p ≫ n at a small alpha: the support approaches n and plain coordinate descent crawls.
    let (x, y) = problem(60, 300, 0.5, 10, 72);
    let a = fit(&x, &y, &L1, 1e-3, false, CdMode::Naive, true);
    let b = fit(&x, &y, &L1, 1e-3, false, CdMode::Naive, false);
    assert_eq!(a.termination, Termination::Converged);
    assert_eq!(b.termination, Termination::Converged);
    assert!(
        2 * a.n_iter <= b.n_iter,
        "epochs with polish {} vs without {}",
        a.n_iter,
        b.n_iter
    );
    let scale = a.objective.abs();
    assert!((a.objective - b.objective).abs() <= 2e-11 * scale);
}

#[test]
fn polish_works_in_f32() {
    let (x, y) = problem(60, 300, 0.5, 10, 73);
    let (x, y) = to_f32(&x, &y);
    let cd = CoordinateDescent::<f32>::new().tol(1e-5).max_iter(100_000);
    let pb0 = Problem::new(&x, &y, &L1, 1.0);
    let am = alpha_max(&cd.prepare(&pb0).unwrap(), &L1).unwrap();
    let pb = Problem::new(&x, &y, &L1, 1e-2 * am);
    let sol = cd.solve(&pb, None, &mut ()).unwrap();
    assert_eq!(sol.termination, Termination::Converged);
    assert!(sol.relative_gap.unwrap() <= 1e-5);
}
