#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Criterion benchmarks of the engine: one Lasso / Elastic Net fit at `alpha_max/10` and the
//! 100-point warm-started path (down to `1e-3·alpha_max`), to a relative duality gap of 1e-6,
//! on seeded AR(1) designs (corr(x_j, x_k) = ρ^|j−k|): 500×5000 with ρ = 0.6 and 100000×200
//! with ρ = 0.5. Before timing, each configuration prints the achieved gap, so a speed-up that
//! loosens the certificate is visible. Also one naive coordinate-descent epoch over all
//! columns (the memory-bound inner loop) and the Gram setup.
//!
//! The Lasso runs once per `Screening` (none, gap-safe, gap-safe + strong rule on paths).
//! Group `polish`: a near-interpolating Lasso (200×2000, `1e-3·alpha_max`, the support close to
//! `n`) with and without the support polish (Newton steps on the support).
//!
//! Group `group_lasso`: T7's group lasso path (least squares, no intercept, groups of 10
//! contiguous features with weight 1, 100 alphas `alpha_max … 1e-2·alpha_max`, warm started,
//! relative gap 5e-7) on a 500×1000 AR(1) design with ρ = 0.6 (T7's `group` design; the target
//! is `ar1`'s, 100-sparse, not T7's group-sparse one) through `GroupCd::path`, with Anderson
//! extrapolation (the default depth 5) and without it (`anderson(0)`).
//!
//! `cargo bench -p proxreg-benches --bench solvers` (the full set takes a few minutes).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use proxreg_benches::ar1;
use proxreg_core::penalty::{ElasticNet, GroupLasso, Groups, SeparablePenalty, L1};
use proxreg_linalg::{DesignMatrix, Parallelism};
use proxreg_solvers::{
    alpha_grid, alpha_max, CdMode, CoordinateDescent, GroupCd, Problem, Screening, Solver,
};

fn fits<P: SeparablePenalty<f64>>(
    c: &mut Criterion,
    label: &str,
    pen: &P,
    screenings: &[Screening],
) {
    let cases = [
        ("500x5000_rho0.6", 500, 5000, 0.6, 50),
        ("100000x200_rho0.5", 100_000, 200, 0.5, 20),
    ];
    let mut g = c.benchmark_group(label);
    g.sample_size(10);
    for ((name, n, p, rho, k), &screening) in cases
        .into_iter()
        .flat_map(|c| screenings.iter().map(move |s| (c, s)))
    {
        let (x, y) = ar1(n, p, rho, k, 42);
        let pb = Problem::new(&x, &y, pen, 1.0);
        let cd = CoordinateDescent::new().tol(1e-6).screening(screening);
        let name = if screenings.len() > 1 {
            format!("{name}_{screening:?}")
        } else {
            name.to_string()
        };
        let Ok(prep) = cd.prepare(&pb) else { continue };
        let Ok(am) = alpha_max(&prep, pen) else {
            continue;
        };
        let grid = alpha_grid(am, 100, 1e-3).unwrap_or_default();
        if let Ok(sol) = cd.solve_prepared(&prep, pen, am / 10.0, None, &mut ()) {
            eprintln!(
                "{label} {name} single fit: relative gap {:?}, {} epochs, {} screened, {:?}",
                sol.relative_gap, sol.n_iter, sol.n_screened, sol.termination
            );
        }
        if let Ok(path) = cd.path_prepared(&prep, pen, &grid, None) {
            eprintln!(
                "{label} {name} path: max relative gap {:?}, all converged {}, {} screened in all",
                path.max_relative_gap(),
                path.all_converged(),
                path.solutions.iter().map(|s| s.n_screened).sum::<usize>()
            );
        }
        g.bench_function(BenchmarkId::new("single_fit_with_setup", &name), |b| {
            b.iter(|| cd.solve(black_box(&pb.with_alpha(am / 10.0)), None, &mut ()))
        });
        g.bench_function(BenchmarkId::new("path_100", name), |b| {
            b.iter(|| cd.path_prepared(black_box(&prep), pen, &grid, None))
        });
    }
    g.finish();
}

fn lasso(c: &mut Criterion) {
    fits(
        c,
        "lasso",
        &L1,
        &[Screening::None, Screening::GapSafe, Screening::Strong],
    );
}

fn elastic_net(c: &mut Criterion) {
    if let Ok(pen) = ElasticNet::new(0.5) {
        fits(c, "elastic_net_l1r0.5", &pen, &[Screening::default()]);
    }
}

/// The inner loops: one naive epoch over every column (reads X once) and the Gram setup.
fn kernels(c: &mut Criterion) {
    let mut g = c.benchmark_group("cd_kernels");
    g.sample_size(10);
    for (name, n, p) in [("500x5000", 500, 5000), ("100000x200", 100_000, 200)] {
        let (x, y) = ar1(n, p, 0.5, 10, 7);
        let alpha = {
            let pb = Problem::new(&x, &y, &L1, 1.0);
            CoordinateDescent::new()
                .prepare(&pb)
                .ok()
                .and_then(|prep| alpha_max(&prep, &L1).ok())
                .unwrap_or(1.0)
                / 10.0
        };
        let one_epoch = CoordinateDescent::new()
            .tol(1e-12)
            .max_iter(1)
            .working_set(false)
            .mode(CdMode::Naive);
        let pb = Problem::new(&x, &y, &L1, alpha);
        let Ok(prep) = one_epoch.prepare(&pb) else {
            continue;
        };
        g.bench_function(BenchmarkId::new("naive_epoch_all_columns", name), |b| {
            b.iter(|| one_epoch.solve_prepared(black_box(&prep), &L1, alpha, None, &mut ()))
        });
        if p <= 1000 {
            g.bench_function(BenchmarkId::new("gram_setup", name), |b| {
                b.iter(|| black_box(&x).gram(Parallelism::Sequential))
            });
        }
    }
    g.finish();
}

/// The support polish where it matters: a Lasso whose support approaches `n`.
fn polish(c: &mut Criterion) {
    let mut g = c.benchmark_group("polish");
    g.sample_size(10);
    let (x, y) = ar1(200, 2000, 0.3, 20, 11);
    let pb = Problem::new(&x, &y, &L1, 1.0);
    let Ok(am) = CoordinateDescent::new()
        .prepare(&pb)
        .and_then(|prep| alpha_max(&prep, &L1))
    else {
        return;
    };
    let pb = pb.with_alpha(1e-3 * am);
    for on in [true, false] {
        let cd = CoordinateDescent::new()
            .tol(1e-6)
            .max_iter(100_000)
            .polish(on);
        if let Ok(sol) = cd.solve(&pb, None, &mut ()) {
            eprintln!(
                "polish={on} 200x2000 at 1e-3 alpha_max: relative gap {:?}, {} epochs, nnz {}, {:?}",
                sol.relative_gap,
                sol.n_iter,
                sol.coef.iter().filter(|v| **v != 0.0).count(),
                sol.termination
            );
        }
        let name = if on { "on" } else { "off" };
        g.bench_function(BenchmarkId::new("lasso_200x2000_1e-3", name), |b| {
            b.iter(|| cd.solve(black_box(&pb), None, &mut ()))
        });
    }
    g.finish();
}

/// T7's group lasso path (see the module docs), with and without Anderson extrapolation.
fn group_lasso(c: &mut Criterion) {
    let mut g = c.benchmark_group("group_lasso");
    g.sample_size(10);
    let (x, y) = ar1(500, 1000, 0.6, 100, 9);
    let Ok(groups) = Groups::contiguous(&[10; 100]) else {
        return;
    };
    let Ok(pen) = GroupLasso::new(groups, Some(vec![1.0; 100])) else {
        return;
    };
    let pb = Problem::new(&x, &y, &pen, 1.0);
    let Ok(am) = GroupCd::new().alpha_max(&pb) else {
        return;
    };
    let grid = alpha_grid(am, 100, 1e-2).unwrap_or_default();
    for depth in [5, 0] {
        let solver = GroupCd::new().tol(5e-7).anderson(depth);
        if let Ok(path) = solver.path(&pb, &grid) {
            eprintln!(
                "group_lasso 500x1000 anderson={depth}: max relative gap {:?}, all converged {}, {} epochs in all",
                path.max_relative_gap(),
                path.all_converged(),
                path.solutions.iter().map(|s| s.n_iter).sum::<usize>()
            );
        }
        g.bench_function(
            BenchmarkId::new("path_100_500x1000", format!("anderson{depth}")),
            |b| b.iter(|| solver.path(black_box(&pb), &grid)),
        );
    }
    g.finish();
}

criterion_group!(benches, lasso, elastic_net, kernels, polish, group_lasso);
criterion_main!(benches);
