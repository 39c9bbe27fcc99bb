//! The statistics computed by DataFusion over multi-partition tables (a `MemTable`, a
//! directory of CSV files, a directory of Parquet files) against the in-memory statistics of
//! the same rows, and cross-validation from both.

mod common;

use std::sync::Arc;

use common::*;
use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::Int64Type;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::datasource::MemTable;
use datafusion::prelude::*;
use proxreg_core::penalty::ElasticNet;
use proxreg_cv::{cv_path_stats, Alphas, CvSettings};
use proxreg_datafusion::{fold, stats, stats_by_fold};
use proxreg_solvers::{CoordinateDescent, SufficientStats};

const N: usize = 3000;
const K: usize = 5;
const TOL: f64 = 1e-10;

fn context() -> SessionContext {
    let ctx = SessionContext::new_with_config(
        SessionConfig::new()
            .with_target_partitions(4)
            .with_batch_size(257),
    );
    proxreg_datafusion::register(&ctx);
    ctx
}

async fn mem_context(r: &Rows) -> Result<SessionContext, Box<dyn std::error::Error>> {
    let ctx = context();
    let parts = partitions(r, 5)?;
    assert!(parts.len() >= 4);
    ctx.register_table("t", Arc::new(MemTable::try_new(schema(), parts)?))?;
    Ok(ctx)
}

/// Checks DataFusion's per-fold (and whole-table) statistics of table `t` against memory;
/// returns the largest relative difference.
async fn check_table(
    ctx: &SessionContext,
    r: &Rows,
    weighted: bool,
) -> Result<f64, Box<dyn std::error::Error>> {
    let weight = weighted.then_some("w");
    let expected = by_fold_in_memory(r, weighted, K)?;
    let df = ctx.table("t").await?;
    let got = stats_by_fold(df, "y", &FEATURES, weight, fold(col("id"), K), K).await?;
    assert_eq!(got.len(), K);
    let mut worst = 0.0f64;
    for (f, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g.n_samples(), e.n_samples(), "fold {f}");
        let d = max_rel_diff(g, e);
        assert!(d <= TOL, "fold {f}: relative difference {d:e}");
        worst = worst.max(d);
    }
    // the whole table, in one block
    let w = weighted.then_some(r.w.as_slice());
    let whole = SufficientStats::from_batch(&design(r), &r.y, w)?;
    let got = stats(ctx.table("t").await?, "y", &FEATURES, weight).await?;
    let d = max_rel_diff(&got, &whole);
    assert!(d <= TOL, "whole table: relative difference {d:e}");
    Ok(worst.max(d))
}

#[tokio::test]
async fn memtable_matches_in_memory_with_and_without_weights() -> TestResult {
    let r = rows(N);
    let ctx = mem_context(&r).await?;
    let d0 = check_table(&ctx, &r, false).await?;
    let d1 = check_table(&ctx, &r, true).await?;
    println!("MemTable: max relative difference {d0:.2e} unweighted, {d1:.2e} weighted");
    Ok(())
}

#[tokio::test]
async fn sql_group_by_fold_matches_fold_of_id() -> TestResult {
    let r = rows(N);
    let ctx = mem_context(&r).await?;
    let expected = by_fold_in_memory(&r, true, K)?;
    let batches = ctx
        .sql(
            "SELECT proxreg_fold(id, 5) AS fold, \
                    proxreg_stats_weighted(y, w, x0, x1, x2, x3, x4) AS s, \
                    count(*) AS n \
             FROM t GROUP BY proxreg_fold(id, 5) ORDER BY fold",
        )
        .await?
        .collect()
        .await?;
    let mut seen = 0;
    let mut worst = 0.0f64;
    for b in &batches {
        let folds = b.column(0).as_primitive::<Int64Type>();
        let blocks = b.column(1).as_binary::<i32>();
        let counts = b.column(2).as_primitive::<Int64Type>();
        for i in 0..b.num_rows() {
            let f = usize::try_from(folds.value(i))?;
            let s = proxreg_datafusion::decode(blocks.value(i))?;
            assert_eq!(s.n_samples() as i64, counts.value(i));
            let d = max_rel_diff(&s, &expected[f]);
            assert!(d <= TOL, "fold {f}: {d:e}");
            worst = worst.max(d);
            seen += 1;
        }
    }
    assert_eq!(seen, K);
    // the fold of each id, as SQL computes it
    let batches = ctx
        .sql("SELECT id, proxreg_fold(id, 7) AS f FROM t")
        .await?
        .collect()
        .await?;
    let mut checked = 0;
    for b in &batches {
        let ids = b.column(0).as_primitive::<Int64Type>();
        let f = b.column(1).as_primitive::<Int64Type>();
        for i in 0..b.num_rows() {
            assert_eq!(
                f.value(i) as usize,
                proxreg_solvers::fold_of_id(ids.value(i) as u64, 7)
            );
            checked += 1;
        }
    }
    assert_eq!(checked, N);
    println!("SQL GROUP BY proxreg_fold: max relative difference {worst:.2e}");
    Ok(())
}

#[tokio::test]
async fn csv_directory_matches_in_memory() -> TestResult {
    let r = rows(N);
    let dir = temp_dir("csv")?;
    // four files of unequal sizes; values printed exactly (shortest round-trip)
    let cuts = [0, 400, 1300, 2100, N];
    for (f, w) in cuts.windows(2).enumerate() {
        let mut s = String::from("id,x0,x1,x2,x3,x4,y,w\n");
        for i in w[0]..w[1] {
            s.push_str(&format!(
                "{},{:?},{:?},{:?},{},{:?},{:?},{:?}\n",
                r.id[i], r.x[0][i], r.x[1][i], r.x[2][i], r.x3_i32[i], r.x[4][i], r.y[i], r.w[i]
            ));
        }
        std::fs::write(dir.join(format!("part-{f}.csv")), s)?;
    }
    let ctx = context();
    ctx.register_csv("t", dir.to_str().ok_or("path")?, CsvReadOptions::new())
        .await?;
    let d0 = check_table(&ctx, &r, false).await?;
    let d1 = check_table(&ctx, &r, true).await?;
    println!("CSV directory: max relative difference {d0:.2e} unweighted, {d1:.2e} weighted");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test]
async fn parquet_directory_matches_in_memory() -> TestResult {
    let r = rows(N);
    let dir = temp_dir("parquet")?;
    let mem = mem_context(&r).await?;
    mem.table("t")
        .await?
        .write_parquet(
            dir.to_str().ok_or("path")?,
            DataFrameWriteOptions::new(),
            None,
        )
        .await?;
    let files = std::fs::read_dir(&dir)?.count();
    let ctx = context();
    ctx.register_parquet(
        "t",
        dir.to_str().ok_or("path")?,
        ParquetReadOptions::default(),
    )
    .await?;
    let d0 = check_table(&ctx, &r, false).await?;
    let d1 = check_table(&ctx, &r, true).await?;
    println!(
        "Parquet directory ({files} files): max relative difference {d0:.2e} unweighted, {d1:.2e} weighted"
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test]
async fn cross_validation_from_datafusion_equals_in_memory() -> TestResult {
    let r = rows(N);
    let ctx = mem_context(&r).await?;
    for weighted in [false, true] {
        let df_folds = stats_by_fold(
            ctx.table("t").await?,
            "y",
            &FEATURES,
            weighted.then_some("w"),
            fold(col("id"), K),
            K,
        )
        .await?;
        let mem_folds = by_fold_in_memory(&r, weighted, K)?;
        let settings = CvSettings {
            alphas: Alphas::Auto {
                n_alphas: 30,
                eps: 1e-3,
            },
            fit_intercept: true,
            standardize: true,
            solver: CoordinateDescent::new().tol(1e-12),
            measure: Default::default(),
        };
        let pen = ElasticNet::new(0.7)?;
        let a = cv_path_stats(&df_folds, &pen, &settings)?;
        let b = cv_path_stats(&mem_folds, &pen, &settings)?;
        assert_eq!((a.index_min, a.index_1se), (b.index_min, b.index_1se));
        assert_eq!(a.alphas.len(), b.alphas.len());
        let mut worst = 0.0f64;
        for (u, v) in a.alphas.iter().zip(&b.alphas) {
            worst = worst.max((u - v).abs() / v.abs());
        }
        for (u, v) in a.mean.iter().zip(&b.mean) {
            worst = worst.max((u - v).abs() / v.abs());
        }
        for (fu, fv) in a.mse.iter().zip(&b.mse) {
            for (u, v) in fu.iter().zip(fv) {
                worst = worst.max((u - v).abs() / v.abs());
            }
        }
        assert!(worst <= 1e-8, "weighted {weighted}: {worst:e}");
        // the data make both selections non-trivial (an interior minimum, a larger lambda_1se)
        assert!(a.index_min > 0 && a.index_min + 1 < a.alphas.len());
        assert!(a.index_1se < a.index_min);
        println!(
            "cv (weighted {weighted}): index_min {} index_1se {}, max relative difference of alphas/errors {worst:.2e}",
            a.index_min, a.index_1se
        );
    }
    Ok(())
}
