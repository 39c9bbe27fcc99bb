#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Criterion bench of the ridge solvers (issue #8, T4): `Ridge` at one alpha
//! (`a = 0.1·n`, with intercept: Cholesky on the smaller Gram matrix, primal for the tall
//! design, dual for the wide one) and `RidgeCv` leave-one-out over the 50 alphas
//! `n·logspace(−4, 1, 50)` (one eigendecomposition of the smaller Gram matrix, all alphas as
//! blocked matrix products, refit from the same decomposition), plus the thin-SVD route of
//! the curves for comparison. Seeded AR(1) designs 500×5000 (ρ = 0.6) and 20000×200 (ρ = 0.5).
//!
//! `cargo bench -p proxreg-benches --bench ridge` (about a minute); `-- --test` runs each once.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use proxreg::{Ridge, RidgeCv, RidgeCvMode};
use proxreg_benches::ar1;
use proxreg_cv::{ridge_curves_with, RidgeDecomposition};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("ridge");
    group.sample_size(10);
    for (n, p, rho) in [(500, 5000, 0.6), (20_000, 200, 0.5)] {
        let (x, y) = ar1(n, p, rho, 20, 42);
        let nf = n as f64;
        let grid: Vec<f64> = (0..50)
            .map(|i| nf * 10f64.powf(-4.0 + 5.0 * i as f64 / 49.0))
            .collect();
        let one = Ridge::params().alpha(0.1 * nf);
        group.bench_function(format!("one_alpha/{n}x{p}"), |b| {
            b.iter(|| black_box(one.fit(&x, &y).map(|m| m.intercept())))
        });
        let cv = RidgeCv::params()
            .alphas(grid.clone())
            .mode(RidgeCvMode::Loo);
        group.bench_function(format!("loo_50/{n}x{p}"), |b| {
            b.iter(|| black_box(cv.fit(&x, &y).map(|m| m.alpha())))
        });
        group.bench_function(format!("loo_50_svd_curves/{n}x{p}"), |b| {
            b.iter(|| {
                black_box(
                    ridge_curves_with(&x, &y, Some(&grid), 0, true, RidgeDecomposition::Svd)
                        .map(|c| c.loo[0]),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
