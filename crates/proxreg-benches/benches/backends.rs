//! Backend kernels side by side: `X·w`, `Xᵀ·r`, a coordinate-descent-like sweep of column
//! dot + axpy over all columns, the Gram matrix `XᵀX`, and the column-major copy a solver makes
//! of a row-major ndarray, at 1000×1000 and 100000×100, f64.
//!
//! Run: `cargo bench -p proxreg-benches --bench backends`
//! (quick: append `-- --warm-up-time 1 --measurement-time 3 --sample-size 10`).

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ndarray::{Array2, ShapeBuilder};
use proxreg_linalg::{ColMajor, DesignMatrix, Parallelism};

const SHAPES: [(usize, usize); 2] = [(1000, 1000), (100_000, 100)];

/// One design matrix in every backend, same entries.
struct Backends {
    col_major: ColMajor<f64>,
    faer: faer::Mat<f64>,
    nalgebra: nalgebra::DMatrix<f64>,
    nd_row: Array2<f64>,
    nd_col: Array2<f64>,
}

fn make(n: usize, p: usize) -> Backends {
    let mut s: u64 = 0x2545_F491_4F6C_DD1D ^ (n * p) as u64;
    let col_major = ColMajor::from_fn(n, p, |_, _| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    });
    let at = |i: usize, j: usize| col_major.col(j)[i];
    Backends {
        faer: faer::Mat::from_fn(n, p, at),
        nalgebra: nalgebra::DMatrix::from_column_slice(n, p, col_major.as_slice()),
        nd_row: Array2::from_shape_fn((n, p), |(i, j)| at(i, j)),
        nd_col: Array2::from_shape_fn((n, p).f(), |(i, j)| at(i, j)),
        col_major,
    }
}

/// Runs `f` on every backend under the group, with the shape as parameter.
macro_rules! each_backend {
    ($group:expr, $label:expr, $b:expr, |$x:ident| $body:expr) => {{
        let b = $b;
        $group.bench_with_input(
            BenchmarkId::new("ColMajor", $label),
            &b.col_major,
            |bn, $x| bn.iter(|| $body),
        );
        $group.bench_with_input(BenchmarkId::new("faer", $label), &b.faer, |bn, $x| {
            bn.iter(|| $body)
        });
        $group.bench_with_input(
            BenchmarkId::new("nalgebra", $label),
            &b.nalgebra,
            |bn, $x| bn.iter(|| $body),
        );
        $group.bench_with_input(
            BenchmarkId::new("ndarray-row", $label),
            &b.nd_row,
            |bn, $x| bn.iter(|| $body),
        );
        $group.bench_with_input(
            BenchmarkId::new("ndarray-col", $label),
            &b.nd_col,
            |bn, $x| bn.iter(|| $body),
        );
    }};
}

fn gemv<M: DesignMatrix<f64>>(x: &M, w: &[f64], y: &mut [f64]) -> f64 {
    x.gemv(1.0, black_box(w), 0.0, y);
    y[0]
}

fn gemv_t<M: DesignMatrix<f64>>(x: &M, r: &[f64], g: &mut [f64]) -> f64 {
    x.gemv_t(1.0, black_box(r), 0.0, g);
    g[0]
}

/// What coordinate descent does per epoch: for every column, a dot with the residual and an
/// axpy into it.
fn sweep<M: DesignMatrix<f64>>(x: &M, r: &mut [f64]) -> f64 {
    for j in 0..x.ncols() {
        let d = x.col_dot(j, r);
        x.col_axpy(j, -1e-9 * d, r);
    }
    r[0]
}

fn bench(c: &mut Criterion) {
    for (n, p) in SHAPES {
        let label = format!("{n}x{p}");
        let b = make(n, p);
        let w: Vec<f64> = (0..p).map(|j| (j % 7) as f64 - 3.0).collect();
        let r0: Vec<f64> = (0..n).map(|i| (i % 5) as f64 - 2.0).collect();

        let mut group = c.benchmark_group("gemv");
        let mut y = vec![0.0; n];
        each_backend!(group, &label, &b, |x| gemv(x, &w, &mut y));
        group.finish();

        let mut group = c.benchmark_group("gemv_t");
        let mut g = vec![0.0; p];
        each_backend!(group, &label, &b, |x| gemv_t(x, &r0, &mut g));
        group.finish();

        let mut group = c.benchmark_group("col_dot_axpy_sweep");
        let mut r = r0.clone();
        each_backend!(group, &label, &b, |x| sweep(x, &mut r));
        group.finish();

        let mut group = c.benchmark_group("gram");
        each_backend!(group, &label, &b, |x| x.gram(Parallelism::Sequential));
        group.finish();

        let mut group = c.benchmark_group("to_col_major");
        each_backend!(group, &label, &b, |x| x.to_col_major());
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
