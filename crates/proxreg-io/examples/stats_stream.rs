//! Fit from statistics: a data set streamed in chunks (memory independent of the row count),
//! accumulated into one set of sufficient statistics per fold (a stable hash of the row id),
//! written to a statistics directory, read back, and fitted without any row: `alpha_max`, a
//! warm-started Elastic Net path and a ridge solve, with their certificates.
//!
//! `cargo run --release -p proxreg-io --example stats_stream [ROWS] [DIR]`

use std::path::PathBuf;

use proxreg_core::penalty::ElasticNet;
use proxreg_io::stats::{read, write, StatsFile};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{
    alpha_grid, alpha_max, fold_of_id, CoordinateDescent, RidgeDirect, SufficientStats,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let dir = args.next().map_or_else(
        || std::env::temp_dir().join("proxreg-stats-stream"),
        PathBuf::from,
    );
    let (p, k, chunk) = (20, 5, 50_000);

    // One pass over the rows, chunk by chunk: per-fold statistics, merged as they come.
    let mut folds: Vec<SufficientStats<f64>> = (0..k).map(|_| SufficientStats::empty(p)).collect();
    let mut start = 0u64;
    while (start as usize) < rows {
        let b = chunk.min(rows - start as usize);
        let x = ColMajor::from_fn(b, p, |i, j| row_value(start + i as u64, j));
        let y: Vec<f64> = (0..b)
            .map(|i| {
                let id = start + i as u64;
                3.0 * row_value(id, 0) - 2.0 * row_value(id, 3) + 0.5 * (row_value(id, p) - 100.0)
            })
            .collect();
        let ids: Vec<usize> = (0..b).map(|i| fold_of_id(start + i as u64, k)).collect();
        for (acc, part) in folds
            .iter_mut()
            .zip(SufficientStats::by_fold(&x, &y, None, &ids, k)?)
        {
            acc.merge(&part)?;
        }
        start += b as u64;
    }

    let names = (0..p).map(|j| format!("x{j}")).collect();
    write(
        &dir,
        &StatsFile::new(folds).feature_names(names).target_name("y"),
    )?;
    let file: StatsFile<f64> = read(&dir)?;
    let stats = file.merged()?;
    println!(
        "{} rows in {} folds -> {} ({} numbers)",
        stats.n_samples(),
        file.blocks.len(),
        dir.display(),
        file.blocks.len() * (p * p + 2 * p + 4)
    );

    let prep = stats.prepare(true, true)?;
    let pen = ElasticNet::new(0.8)?;
    let grid = alpha_grid(alpha_max(&prep, &pen)?, 30, 1e-3)?;
    let path = CoordinateDescent::new()
        .tol(1e-10)
        .path_prepared(&prep, &pen, &grid, None)?;
    let last = path.solutions.last().ok_or("empty path")?;
    println!(
        "elastic net path: {} points, all converged: {}, max relative gap {:.1e}",
        grid.len(),
        path.all_converged(),
        path.max_relative_gap().unwrap_or(f64::NAN)
    );
    println!(
        "  at alpha {:.3e}: coef[0] {:.4} coef[3] {:.4} intercept {:.4}",
        grid[grid.len() - 1],
        last.coef[0],
        last.coef[3],
        last.intercept[0]
    );
    let ridge = RidgeDirect::new().solve_prepared(&prep, 1e-3)?.solution;
    println!(
        "ridge: coef[0] {:.4} coef[3] {:.4}, relative gap {:.1e}",
        ridge.coef[0],
        ridge.coef[3],
        ridge.relative_gap.unwrap_or(f64::NAN)
    );
    Ok(())
}

/// A deterministic pseudo-random value in [99, 101) for (row, column): columns with mean 100.
fn row_value(id: u64, j: usize) -> f64 {
    let mut z = id
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((j as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z ^= z >> 29;
    z = z.wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 32;
    100.0 + (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}
