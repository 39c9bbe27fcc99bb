//! Quick timing of coordinate descent with each `Screening` (median of a few runs, with the
//! number of screened features), on the benches' seeded AR(1) designs: one Lasso fit at
//! `alpha_max/10` and the 100-point path (its first 40 points on the wide design), to a
//! relative gap of 1e-6.
//!
//! `cargo run --release -p proxreg-benches --example screening [reps]`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use proxreg_benches::ar1;
use proxreg_core::penalty::{ElasticNet, SeparablePenalty, L1};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{alpha_grid, alpha_max, CoordinateDescent, Problem, Screening};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<P: SeparablePenalty<f64>>(
    label: &str,
    x: &ColMajor<f64>,
    y: &[f64],
    pen: &P,
    reps: usize,
    n_points: usize,
) {
    let pb = Problem::new(x, y, pen, 1.0);
    for s in [Screening::None, Screening::GapSafe, Screening::Strong] {
        let cd = CoordinateDescent::new().tol(1e-6).screening(s);
        let prep = cd.prepare(&pb).unwrap();
        let am = alpha_max(&prep, pen).unwrap();
        let mut grid = alpha_grid(am, 100, 1e-3).unwrap();
        grid.truncate(n_points);
        let mut t_fit = Vec::new();
        let mut t_path = Vec::new();
        let mut info = (0, 0, 0);
        for _ in 0..reps {
            let t0 = Instant::now();
            let sol = cd
                .solve_prepared(&prep, pen, am / 10.0, None, &mut ())
                .unwrap();
            t_fit.push(t0.elapsed().as_secs_f64());
            let t0 = Instant::now();
            let path = cd.path_prepared(&prep, pen, &grid, None).unwrap();
            t_path.push(t0.elapsed().as_secs_f64());
            assert!(sol.converged() && path.all_converged());
            info = (
                sol.n_screened,
                path.solutions.iter().map(|s| s.n_screened).sum::<usize>(),
                path.solutions.iter().map(|s| s.n_updates).sum::<usize>(),
            );
        }
        println!(
            "{label} {s:?}: fit {:.4} s ({} screened), path {:.4} s ({} screened over {n_points} points, {} updates)",
            median(t_fit),
            info.0,
            median(t_path),
            info.1,
            info.2
        );
    }
}

fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let en = ElasticNet::new(0.5).unwrap();
    for (name, n, p, rho, k) in [
        ("500x5000_rho0.6", 500, 5000, 0.6, 50),
        ("100000x200_rho0.5", 100_000, 200, 0.5, 20),
    ] {
        let (x, y) = ar1(n, p, rho, k, 42);
        // The first `n_points` of the 100-point grid (the wide design's tail is long).
        let n_points = if p > n { 40 } else { 100 };
        time(&format!("lasso {name}"), &x, &y, &L1, reps, n_points);
        time(&format!("enet0.5 {name}"), &x, &y, &en, reps, n_points);
    }
}
