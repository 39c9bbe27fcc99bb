//! The cluster route: the UDFs run by Apache Ballista, DataFusion's distributed engine, in its
//! standalone mode — a scheduler and an executor started in this process, talking over gRPC
//! and Arrow Flight on localhost exactly as separate machines would. The logical plan goes to
//! the scheduler as protobuf, the executor resolves `proxreg_stats` and `proxreg_fold` by name
//! from its function registry, the partial aggregates' states (one `Binary` block per group)
//! cross a shuffle written as Arrow IPC files, and the final aggregate merges them.
//!
//! Needs the `ballista` feature (a large build, so not in CI):
//! `cargo test --features ballista --test ballista -- --nocapture`.
#![cfg(feature = "ballista")]

mod common;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use common::*;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::datasource::MemTable;
use datafusion::execution::SessionStateBuilder;
use datafusion::physical_plan::displayable;
use datafusion::prelude::*;
use proxreg_core::penalty::ElasticNet;
use proxreg_cv::{cv_path_stats, Alphas, CvSettings};
use proxreg_datafusion::{fold, stats, stats_by_fold, Error};
use proxreg_solvers::{CoordinateDescent, SufficientStats};
use std::sync::Arc;

const N: usize = 3000;
const K: usize = 5;
const TOL: f64 = 1e-10;

/// A Ballista standalone session (two task slots) whose state has the proxreg UDFs: the
/// scheduler and the executor are built from this state, so both resolve them by name.
async fn ballista_context() -> Result<SessionContext, Box<dyn std::error::Error>> {
    let config = SessionConfig::new_with_ballista()
        .with_target_partitions(4)
        .with_batch_size(257)
        .with_ballista_standalone_parallelism(2);
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    let local = SessionContext::new_with_state(state);
    proxreg_datafusion::register(&local);
    let ctx = SessionContext::standalone_with_state(local.state()).await?;
    // The client session Ballista returns has a state of its own: register the functions
    // there too, for SQL's name resolution on the client.
    proxreg_datafusion::register(&ctx);
    Ok(ctx)
}

/// Writes rows `r` as a directory of Parquet files (one per `MemTable` partition).
async fn write_parts(r: &Rows, dir: &std::path::Path) -> TestResult {
    let ctx = SessionContext::new();
    ctx.register_table(
        "t",
        Arc::new(MemTable::try_new(schema(), partitions(r, 5)?)?),
    )?;
    ctx.table("t")
        .await?
        .write_parquet(
            dir.to_str().ok_or("path")?,
            DataFrameWriteOptions::new(),
            None,
        )
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ballista_statistics_and_cv_equal_in_memory() -> TestResult {
    let r = rows(N);
    let dir = temp_dir("ballista")?;
    write_parts(&r, &dir).await?;
    let files = std::fs::read_dir(&dir)?.count();
    assert!(files >= 2, "{files} Parquet files");

    let ctx = ballista_context().await?;
    ctx.register_parquet(
        "t",
        dir.to_str().ok_or("path")?,
        ParquetReadOptions::default(),
    )
    .await?;

    // The aggregate is planned for Ballista: the client's physical plan is one
    // DistributedQueryExec that hands the job to the scheduler.
    let plan = ctx
        .table("t")
        .await?
        .aggregate(
            vec![fold(col("id"), K).alias("f")],
            vec![proxreg_datafusion::stats_udaf()
                .call(std::iter::once("y").chain(FEATURES).map(col).collect())],
        )?
        .create_physical_plan()
        .await?;
    let shown = displayable(plan.as_ref()).indent(true).to_string();
    assert!(
        shown.contains("DistributedQueryExec"),
        "not distributed:\n{shown}"
    );

    let mut worst = 0.0f64;
    for weighted in [false, true] {
        let weight = weighted.then_some("w");
        let expected = by_fold_in_memory(&r, weighted, K)?;
        let got = stats_by_fold(
            ctx.table("t").await?,
            "y",
            &FEATURES,
            weight,
            fold(col("id"), K),
            K,
        )
        .await?;
        assert_eq!(got.len(), K);
        for (f, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(g.n_samples(), e.n_samples(), "fold {f}");
            let d = max_rel_diff(g, e);
            assert!(
                d <= TOL,
                "fold {f} (weighted {weighted}): relative difference {d:e}"
            );
            worst = worst.max(d);
        }
        let whole =
            SufficientStats::from_batch(&design(&r), &r.y, weighted.then_some(r.w.as_slice()))?;
        let d = max_rel_diff(
            &stats(ctx.table("t").await?, "y", &FEATURES, weight).await?,
            &whole,
        );
        assert!(
            d <= TOL,
            "whole table (weighted {weighted}): relative difference {d:e}"
        );
        worst = worst.max(d);

        // cross-validation from the cluster's statistics equals the in-memory one
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
        let a = cv_path_stats(&got, &pen, &settings)?;
        let b = cv_path_stats(&expected, &pen, &settings)?;
        assert_eq!((a.index_min, a.index_1se), (b.index_min, b.index_1se));
        let mut cv_worst = 0.0f64;
        for (u, v) in a
            .alphas
            .iter()
            .chain(&a.mean)
            .zip(b.alphas.iter().chain(&b.mean))
        {
            cv_worst = cv_worst.max((u - v).abs() / v.abs());
        }
        assert!(cv_worst <= 1e-8, "weighted {weighted}: {cv_worst:e}");
        println!(
            "Ballista (weighted {weighted}): index_min {} index_1se {}, cv relative difference {cv_worst:.2e}",
            a.index_min, a.index_1se
        );
    }

    // The same through SQL, with GROUP BY on the registered scalar UDF.
    let batches = ctx
        .sql(&format!(
            "SELECT proxreg_fold(id, {K}) AS f, proxreg_stats(y, {}) AS s FROM t GROUP BY f ORDER BY f",
            FEATURES.join(", ")
        ))
        .await?
        .collect()
        .await?;
    let rows_out: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows_out, K);
    let expected = by_fold_in_memory(&r, false, K)?;
    let mut f = 0;
    for b in &batches {
        let blocks = datafusion::arrow::array::AsArray::as_binary::<i32>(b.column(1));
        for i in 0..b.num_rows() {
            let s = proxreg_datafusion::decode(blocks.value(i))?;
            let d = max_rel_diff(&s, &expected[f]);
            assert!(d <= TOL, "SQL fold {f}: relative difference {d:e}");
            f += 1;
        }
    }
    println!("Ballista standalone, {files} Parquet files: max relative difference {worst:.2e}");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// A NaN in the data fails the job on the executor; the error reaches the client with the
/// column and the value named. Ballista carries an executor's error back as its `Debug` text
/// inside a DataFusion execution error, so the client gets [`Error::DataFusion`] (not
/// [`Error::Input`]) whose message holds `NonFinite { column: "x1", row: .., value: NaN }`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ballista_reports_bad_rows_by_column() -> TestResult {
    let mut r = rows(200);
    r.x[1][17] = f64::NAN;
    let dir = temp_dir("ballista-nan")?;
    write_parts(&r, &dir).await?;
    let ctx = ballista_context().await?;
    ctx.register_parquet(
        "t",
        dir.to_str().ok_or("path")?,
        ParquetReadOptions::default(),
    )
    .await?;
    let err = stats(ctx.table("t").await?, "y", &FEATURES, None)
        .await
        .err()
        .ok_or("a NaN was accepted")?;
    let text = err.to_string();
    assert!(matches!(err, Error::DataFusion(_)), "{err:?}");
    assert!(
        text.contains("NonFinite") && text.contains("\"x1\"") && text.contains("NaN"),
        "{text}"
    );
    println!("Ballista error: {text}");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
