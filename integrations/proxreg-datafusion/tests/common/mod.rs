//! Shared test data: a synthetic table, as Arrow batches and as in-memory columns.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float32Array, Float64Array, Int32Array, Int64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use proxreg_linalg::ColMajor;
use proxreg_solvers::SufficientStats;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub const FEATURES: [&str; 5] = ["x0", "x1", "x2", "x3", "x4"];

/// A deterministic value in [0, 1) for (row, stream).
pub fn unif(i: u64, s: u64) -> f64 {
    let mut z = i
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(s.wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(0x1234_5678);
    z ^= z >> 29;
    z = z.wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 32;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The rows: ids, features (x2 is Float32, x3 Int32 in the Arrow table; here their f64
/// values), target and weights (some exactly 0).
pub struct Rows {
    pub id: Vec<i64>,
    pub x: Vec<Vec<f64>>,
    pub x2_f32: Vec<f32>,
    pub x3_i32: Vec<i32>,
    pub y: Vec<f64>,
    pub w: Vec<f64>,
}

pub fn rows(n: usize) -> Rows {
    let id: Vec<i64> = (0..n as i64).map(|i| i * 7919 + 13).collect();
    let x0: Vec<f64> = (0..n).map(|i| 100.0 + unif(i as u64, 0)).collect();
    let x1: Vec<f64> = (0..n).map(|i| unif(i as u64, 1) * 10.0 - 5.0).collect();
    let x2_f32: Vec<f32> = (0..n).map(|i| (unif(i as u64, 2) * 3.0) as f32).collect();
    let x3_i32: Vec<i32> = (0..n)
        .map(|i| (unif(i as u64, 3) * 20.0) as i32 - 10)
        .collect();
    let x4: Vec<f64> = (0..n)
        .map(|i| 0.7 * x1[i] + 0.3 * unif(i as u64, 4) - 1e3)
        .collect();
    let x2: Vec<f64> = x2_f32.iter().map(|&v| f64::from(v)).collect();
    let x3: Vec<f64> = x3_i32.iter().map(|&v| f64::from(v)).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| 2.0 * x0[i] - 1.5 * x1[i] + 0.25 * x3[i] + 20.0 * (unif(i as u64, 5) - 0.5))
        .collect();
    let w: Vec<f64> = (0..n)
        .map(|i| {
            if i % 17 == 3 {
                0.0
            } else {
                0.1 + 2.0 * unif(i as u64, 6)
            }
        })
        .collect();
    Rows {
        id,
        x: vec![x0, x1, x2, x3, x4],
        x2_f32,
        x3_i32,
        y,
        w,
    }
}

pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("x0", DataType::Float64, false),
        Field::new("x1", DataType::Float64, false),
        Field::new("x2", DataType::Float32, false),
        Field::new("x3", DataType::Int32, false),
        Field::new("x4", DataType::Float64, false),
        Field::new("y", DataType::Float64, false),
        Field::new("w", DataType::Float64, false),
    ]))
}

/// Rows `lo..hi` as one Arrow batch.
pub fn batch(r: &Rows, lo: usize, hi: usize) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    let f = |v: &[f64]| -> ArrayRef { Arc::new(Float64Array::from(v[lo..hi].to_vec())) };
    Ok(RecordBatch::try_new(
        schema(),
        vec![
            Arc::new(Int64Array::from(r.id[lo..hi].to_vec())),
            f(&r.x[0]),
            f(&r.x[1]),
            Arc::new(Float32Array::from(r.x2_f32[lo..hi].to_vec())),
            Arc::new(Int32Array::from(r.x3_i32[lo..hi].to_vec())),
            f(&r.x[4]),
            f(&r.y),
            f(&r.w),
        ],
    )?)
}

/// The rows split into `parts` partitions of unequal sizes, each of up to three batches.
pub fn partitions(
    r: &Rows,
    parts: usize,
) -> Result<Vec<Vec<RecordBatch>>, Box<dyn std::error::Error>> {
    let n = r.id.len();
    // cut points at uneven fractions
    let mut cuts: Vec<usize> = (1..parts).map(|k| n * (k * k) / (parts * parts)).collect();
    cuts.insert(0, 0);
    cuts.push(n);
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let third = (hi - lo) / 3;
        out.push(vec![
            batch(r, lo, lo + third)?,
            batch(r, lo + third, hi - third)?,
            batch(r, hi - third, hi)?,
        ]);
    }
    Ok(out)
}

/// The design as a column-major matrix.
pub fn design(r: &Rows) -> ColMajor<f64> {
    let n = r.id.len();
    ColMajor::from_fn(n, r.x.len(), |i, j| r.x[j][i])
}

/// The in-memory per-fold statistics (folds by `fold_of_id`).
pub fn by_fold_in_memory(
    r: &Rows,
    weighted: bool,
    k: usize,
) -> Result<Vec<SufficientStats<f64>>, proxreg_core::Error> {
    let folds: Vec<usize> =
        r.id.iter()
            .map(|&i| proxreg_solvers::fold_of_id(i as u64, k))
            .collect();
    let w = weighted.then_some(r.w.as_slice());
    SufficientStats::by_fold(&design(r), &r.y, w, &folds, k)
}

/// The largest difference between two sets of statistics, each entry relative to its natural
/// scale: counts exactly (1 when they differ), the weight sum and `yy` relative to themselves,
/// the means relative to `|mean| + std`, `xx[a, b]` relative to `sqrt(xx[a,a] xx[b,b])`,
/// `xy[j]` relative to `sqrt(xx[j,j] yy)`.
pub fn max_rel_diff(a: &SufficientStats<f64>, b: &SufficientStats<f64>) -> f64 {
    if a.n_samples() != b.n_samples() || a.n_features() != b.n_features() {
        return 1.0;
    }
    let p = b.n_features();
    let rel = |u: f64, v: f64, scale: f64| (u - v).abs() / scale.max(f64::MIN_POSITIVE);
    let g = b.xx().as_slice();
    let w = b.weight_sum();
    let mut m = rel(a.weight_sum(), w, w.abs());
    m = m.max(rel(a.yy(), b.yy(), b.yy()));
    m = m.max(rel(
        a.y_mean(),
        b.y_mean(),
        b.y_mean().abs() + (b.yy() / w).sqrt(),
    ));
    for j in 0..p {
        let sd = (g[j * p + j] / w).sqrt();
        m = m.max(rel(a.x_mean()[j], b.x_mean()[j], b.x_mean()[j].abs() + sd));
        m = m.max(rel(a.xy()[j], b.xy()[j], (g[j * p + j] * b.yy()).sqrt()));
        for i in 0..p {
            m = m.max(rel(
                a.xx().as_slice()[j * p + i],
                g[j * p + i],
                (g[i * p + i] * g[j * p + j]).sqrt(),
            ));
        }
    }
    m
}

/// A fresh, empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> Result<PathBuf, std::io::Error> {
    let d = std::env::temp_dir().join(format!("proxreg-datafusion-{}-{name}", std::process::id()));
    if d.exists() {
        std::fs::remove_dir_all(&d)?;
    }
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
