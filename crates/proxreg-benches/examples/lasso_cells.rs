//! Timing of the Lasso cells T1 (one fit at `alpha_max/10`) and T2 (100-point path to
//! `1e-3·alpha_max`) of the comparison on the benches' seeded AR(1) designs, to a relative gap
//! of 1e-6, with per-point detail for the path.
//!
//! `cargo run --release -p proxreg-benches --example lasso_cells -- <small|corr|tall|wide> [points] [verbose]`
//! (environment: `REPS` repetitions, `ANDERSON` depth, `POLISH=0` turns the support polish off)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Instant;

use proxreg_benches::ar1;
use proxreg_core::penalty::L1;
use proxreg_solvers::{alpha_grid, alpha_max, CoordinateDescent, Problem};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("corr", String::as_str);
    let points: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let verbose = args.get(3).is_some();
    let (n, p, rho, k) = match name {
        "small" => (200, 50, 0.0, 10),
        "corr" => (500, 5000, 0.6, 50),
        "tall" => (100_000, 200, 0.5, 20),
        "wide" => (1000, 20_000, 0.3, 100),
        _ => panic!("unknown data set {name}"),
    };
    let (x, y) = ar1(n, p, rho, k, 1);
    let pb = Problem::new(&x, &y, &L1, 1.0);
    let depth: usize = std::env::var("ANDERSON")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let polish = std::env::var("POLISH").map_or(true, |v| v != "0");
    let cd = CoordinateDescent::new()
        .tol(5e-7)
        .anderson(depth)
        .polish(polish);
    let t0 = Instant::now();
    let prep = cd.prepare(&pb).unwrap();
    let t_prep = t0.elapsed().as_secs_f64();
    let am = alpha_max(&prep, &L1).unwrap();
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let mut times = Vec::new();
    let mut sol = None;
    for _ in 0..reps {
        let t0 = Instant::now();
        // as the comparison times it: preparation included
        let prep = cd.prepare(&pb).unwrap();
        sol = Some(
            cd.solve_prepared(&prep, &L1, am / 10.0, None, &mut ())
                .unwrap(),
        );
        times.push(t0.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let sol = sol.unwrap();
    println!(
        "{name} T1 (median of {reps}, with prep): {:.4} s (prep alone {t_prep:.4} s), rel gap {:.2e}, epochs {}, updates {}, nnz {}, {:?}",
        times[times.len() / 2],
        sol.relative_gap.unwrap_or(f64::NAN),
        sol.n_iter,
        sol.n_updates,
        sol.coef.iter().filter(|v| **v != 0.0).count(),
        sol.termination
    );
    let grid = alpha_grid(am, 100, 1e-3).unwrap();
    let mut t2 = Vec::new();
    let mut worst = 0.0f64;
    for rep in 0..reps.min(if points >= 100 && n * p > 100_000 {
        1
    } else {
        reps
    }) {
        let t_all = Instant::now();
        let path = cd.path_prepared(&prep, &L1, &grid[..points], None).unwrap();
        t2.push(t_all.elapsed().as_secs_f64());
        for (i, s) in path.solutions.iter().enumerate() {
            worst = worst.max(s.relative_gap.unwrap_or(f64::NAN));
            if verbose && rep == 0 {
                println!(
                    "  {i:3} a/amax {:.2e}: epochs {} updates {} nnz {} gap {:.1e} {:?}",
                    grid[i] / am,
                    s.n_iter,
                    s.n_updates,
                    s.coef.iter().filter(|v| **v != 0.0).count(),
                    s.relative_gap.unwrap_or(f64::NAN),
                    s.termination
                );
            }
        }
    }
    t2.sort_by(f64::total_cmp);
    println!(
        "{name} T2 ({points} points, median of {}): {:.4} s, worst rel gap {worst:.2e}",
        t2.len(),
        t2[t2.len() / 2]
    );
}
