//! Computes per-fold sufficient statistics of a Parquet file or directory of parts and reports
//! the throughput; with `--floor`, also the time of only decoding the same columns (every
//! record batch of every row group with the same projection, in parallel the same way, and
//! nothing done with it), so that the ratio statistics / decode floor can be reported:
//!
//! ```text
//! cargo run --release -p proxreg-io --features parquet --example parquet_stats -- \
//!     /tmp/gauss --target y --folds 5 [--weight w] [--by-id id] [--f32] [--floor] [--threads N]
//!     [--batch ROWS] [--floor-only] [--features a,b,..]
//! ```
//!
//! `--features` lists the feature columns (default: every other numeric column).
//!
//! `--floor-only` runs only the decode floor (no statistics), for timing it as a separate
//! process against another command.

use std::error::Error;
use std::fs::File;
use std::time::Instant;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use proxreg_io::parquet::{default_batch_size, Folds, ParquetSource, StatsSpec};
use rayon::prelude::*;

fn main() -> Result<(), Box<dyn Error + Send + Sync>> {
    let mut path = None;
    let (mut target, mut weight, mut by_id) = ("y".to_string(), None, None);
    let (mut k, mut f32_, mut floor, mut threads) = (1usize, false, false, 0usize);
    let mut floor_only = false;
    let mut only: Option<Vec<String>> = None;
    let mut batch = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{a}: missing value"));
        match a.as_str() {
            "--target" => target = val()?,
            "--weight" => weight = Some(val()?),
            "--by-id" => by_id = Some(val()?),
            "--folds" => k = val()?.parse()?,
            "--threads" => threads = val()?.parse()?,
            "--batch" => batch = Some(val()?.parse()?),
            "--f32" => f32_ = true,
            "--floor" => floor = true,
            "--floor-only" => (floor, floor_only) = (true, true),
            "--features" => only = Some(val()?.split(',').map(str::to_string).collect()),
            _ if path.is_none() && !a.starts_with("--") => path = Some(a),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let path = path.ok_or(
        "usage: parquet_stats PATH [--target y] [--folds K] [--weight w] \
                           [--by-id id] [--f32] [--floor] [--threads N] [--batch ROWS] [--floor-only] [--features a,b,..]",
    )?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let t0 = Instant::now();
    let source = ParquetSource::open(&path)?;
    let open_s = t0.elapsed().as_secs_f64();
    let folds = match (k, by_id) {
        (1, _) => Folds::None,
        (k, Some(column)) => Folds::ById { column, k },
        (k, None) => Folds::Contiguous(k),
    };
    let mut spec = StatsSpec::new(target.clone()).folds(folds.clone());
    if let Some(w) = &weight {
        spec = spec.weight(w.clone());
    }
    if let Some(b) = batch {
        spec = spec.batch_size(b);
    }
    if let Some(f) = only {
        spec = spec.features(f);
    }
    let features = source.features(&spec)?;
    println!(
        "{path}: {} rows, {} parts, {} row groups, {} features, {} threads, footers read in {open_s:.3} s",
        source.n_rows(),
        source.parts().len(),
        source.n_row_groups(),
        features.len(),
        pool.current_num_threads()
    );
    let t = Instant::now();
    let (n, w) = if floor_only {
        (0, 0.0)
    } else {
        pool.install(|| -> Result<(usize, f64), Box<dyn Error + Send + Sync>> {
            Ok(if f32_ {
                let s = source.stats::<f32>(&spec, |_| {})?;
                (
                    s.iter().map(|b| b.n_samples()).sum(),
                    s.iter().map(|b| f64::from(b.weight_sum())).sum(),
                )
            } else {
                let s = source.stats::<f64>(&spec, |_| {})?;
                (
                    s.iter().map(|b| b.n_samples()).sum(),
                    s.iter().map(|b| b.weight_sum()).sum(),
                )
            })
        })?
    };
    let stats_s = t.elapsed().as_secs_f64();
    if !floor_only {
        println!(
            "stats ({}, {folds:?}): {n} rows, weight sum {w}, {stats_s:.3} s, {:.3e} rows/s",
            if f32_ { "f32" } else { "f64" },
            n as f64 / stats_s
        );
    }
    if floor {
        let mut cols = features.clone();
        cols.push(target);
        cols.extend(weight);
        if let Folds::ById { column, .. } = &folds {
            cols.push(column.clone());
        }
        let batch = batch.unwrap_or_else(|| default_batch_size(features.len()));
        let t = Instant::now();
        let rows = pool.install(|| decode_only(&source, &cols, batch))?;
        let floor_s = t.elapsed().as_secs_f64();
        println!(
            "decode floor: {rows} rows, {floor_s:.3} s, {:.3e} rows/s",
            rows as f64 / floor_s
        );
        if !floor_only {
            println!("stats / floor = {:.2}", stats_s / floor_s);
        }
    }
    Ok(())
}

/// Decodes every record batch of `cols` of every row group, in parallel over row groups, and
/// does nothing with them.
fn decode_only(
    source: &ParquetSource,
    cols: &[String],
    batch: usize,
) -> Result<u64, Box<dyn Error + Send + Sync>> {
    let mut tasks = Vec::new();
    for part in source.parts() {
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(part)?)?;
        let schema = builder.schema().clone();
        let roots: Vec<usize> = cols
            .iter()
            .map(|c| schema.index_of(c))
            .collect::<Result<_, _>>()?;
        let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
        for g in 0..builder.metadata().num_row_groups() {
            tasks.push((part.to_path_buf(), g, mask.clone()));
        }
    }
    tasks
        .par_iter()
        .map(
            |(path, g, mask)| -> Result<u64, Box<dyn Error + Send + Sync>> {
                let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?
                    .with_row_groups(vec![*g])
                    .with_projection(mask.clone())
                    .with_batch_size(batch)
                    .build()?;
                let mut rows = 0u64;
                for b in reader {
                    rows += b?.num_rows() as u64;
                }
                Ok(rows)
            },
        )
        .sum()
}
