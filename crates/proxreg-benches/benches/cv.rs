#![allow(missing_docs)] // criterion_group! generates undocumented items
//! Criterion bench of cross-validation: 5-fold `ElasticNetCv` with 100 alphas per `l1_ratio`,
//! `l1_ratio ∈ {0.1, 0.5, 0.9}`, scikit-learn's default tolerance (relative gap 1e-4), on seeded
//! AR(1) designs 500×5000 (ρ = 0.6) and 100000×200 (ρ = 0.5). With the facade's default
//! `rayon` feature the 15 (l1_ratio, fold) paths run on rayon's global pool.
//!
//! Each configuration is first timed once (printed, with the selected alpha and l1_ratio), then
//! measured by criterion with 10 samples: `cargo bench -p proxreg-benches --bench cv` takes
//! several minutes; `-- --test` runs each configuration once. Not part of CI's test run.

use std::time::Instant;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use proxreg::{ElasticNetCv, KFold};
use proxreg_benches::ar1;

fn bench(c: &mut Criterion) {
    let params = ElasticNetCv::params()
        .l1_ratios(vec![0.1, 0.5, 0.9])
        .n_alphas(100)
        .cv(KFold::new(5));
    let mut group = c.benchmark_group("elastic_net_cv_5fold_100x3");
    group.sample_size(10);
    for (n, p, rho) in [(500, 5000, 0.6), (100_000, 200, 0.5)] {
        let (x, y) = ar1(n, p, rho, 10, 42);
        let t = Instant::now();
        match params.fit(&x, &y) {
            Ok(cv) => println!(
                "{n}x{p}: one run {:.2} s, alpha = {:.4e}, l1_ratio = {}, not converged = {}",
                t.elapsed().as_secs_f64(),
                cv.alpha(),
                cv.l1_ratio(),
                cv.paths().iter().map(|p| p.n_not_converged).sum::<usize>()
            ),
            Err(e) => println!("{n}x{p}: error {e}"),
        }
        group.bench_function(format!("{n}x{p}"), |b| {
            b.iter(|| black_box(params.fit(&x, &y).map(|cv| cv.alpha())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
