//! The DataFusion route on a directory of Parquet parts: per-fold statistics by
//! `proxreg_stats(...) GROUP BY proxreg_fold(id, K)` over the registered table, then an
//! Elastic Net cross-validation (`cv_path_stats`) and the refit at lambda_min from them, with
//! the time of each step. It is the DataFusion counterpart of
//! `proxreg cv --data DIR --target y --penalty elastic-net --fold-id id --folds K` (same folds,
//! same grid, same answer), used for the measurements of docs/scale.md:
//!
//! ```text
//! cd integrations/proxreg-datafusion
//! cargo run --release --example parquet_cv -- DIR [--target y] [--id id] [--folds 5] \
//!     [--partitions N] [--weight w] [--exclude other,columns] [--cluster URL]
//! ```
//!
//! `--cluster df://HOST:PORT` (with `--features ballista`) runs the aggregation on an Apache
//! Ballista cluster whose scheduler listens there (`examples/ballista_node.rs` starts one);
//! `--cluster standalone` starts Ballista's scheduler and an executor inside this process
//! (`--partitions` task slots), which still sends every plan and shuffle over gRPC / Flight.
//!
//! Features: every numeric column except the target, the id, the weight and the `--exclude`
//! columns.

use std::time::Instant;

use datafusion::prelude::*;
use proxreg_core::penalty::ElasticNet;
use proxreg_cv::{cv_path_stats, Alphas, CvSettings};
use proxreg_datafusion::{fold, register, stats_by_fold};
use proxreg_solvers::{CoordinateDescent, SufficientStats};

struct Args {
    dir: String,
    target: String,
    id: String,
    folds: usize,
    partitions: Option<usize>,
    exclude: Vec<String>,
    weight: Option<String>,
    cluster: Option<String>,
}

fn parse() -> Result<Args, Box<dyn std::error::Error>> {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        dir: String::new(),
        target: "y".into(),
        id: "id".into(),
        folds: 5,
        partitions: None,
        exclude: Vec::new(),
        weight: None,
        cluster: None,
    };
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--target" => a.target = value()?,
            "--id" => a.id = value()?,
            "--folds" => a.folds = value()?.parse()?,
            "--partitions" => a.partitions = Some(value()?.parse()?),
            "--weight" => a.weight = Some(value()?),
            "--cluster" => a.cluster = Some(value()?),
            "--exclude" => a.exclude = value()?.split(',').map(str::to_string).collect(),
            _ if a.dir.is_empty() && !arg.starts_with("--") => a.dir = arg,
            _ => return Err(format!("unknown argument {arg}").into()),
        }
    }
    if a.dir.is_empty() {
        return Err("usage: parquet_cv DIR [--target y] [--id id] [--folds K] [--partitions N] [--weight w] [--exclude a,b] [--cluster df://HOST:PORT|standalone]".into());
    }
    Ok(a)
}

/// A session whose queries run on Ballista: remote (`df://HOST:PORT`) or in-process
/// (`standalone`). The session's own state has the functions too: the plan it sends names
/// them.
#[cfg(feature = "ballista")]
async fn cluster_context(
    url: &str,
    partitions: Option<usize>,
) -> Result<SessionContext, Box<dyn std::error::Error>> {
    use ballista::prelude::{SessionConfigExt, SessionContextExt};
    use datafusion::execution::SessionStateBuilder;
    let mut config = SessionConfig::new_with_ballista();
    if let Some(n) = partitions {
        config = config
            .with_target_partitions(n)
            .with_ballista_standalone_parallelism(n);
    }
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    proxreg_datafusion::register_functions(&mut state)?;
    Ok(if url == "standalone" {
        SessionContext::standalone_with_state(state).await?
    } else {
        SessionContext::remote_with_state(url, state).await?
    })
}

#[cfg(not(feature = "ballista"))]
async fn cluster_context(
    _url: &str,
    _partitions: Option<usize>,
) -> Result<SessionContext, Box<dyn std::error::Error>> {
    Err("--cluster needs the `ballista` feature: cargo run --release --features ballista --example parquet_cv".into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = parse()?;
    let ctx = match &a.cluster {
        None => {
            let mut config = SessionConfig::new();
            if let Some(n) = a.partitions {
                config = config.with_target_partitions(n);
            }
            let ctx = SessionContext::new_with_config(config);
            register(&ctx);
            ctx
        }
        Some(url) => cluster_context(url, a.partitions).await?,
    };
    ctx.register_parquet("t", &a.dir, ParquetReadOptions::default())
        .await?;
    let df = ctx.table("t").await?;
    let names: Vec<String> = df
        .schema()
        .fields()
        .iter()
        .filter(|f| f.data_type().is_numeric())
        .map(|f| f.name().clone())
        .filter(|n| {
            *n != a.target && *n != a.id && a.weight.as_ref() != Some(n) && !a.exclude.contains(n)
        })
        .collect();
    let features: Vec<&str> = names.iter().map(String::as_str).collect();

    let t0 = Instant::now();
    let folds = stats_by_fold(
        df,
        &a.target,
        &features,
        a.weight.as_deref(),
        fold(col(a.id.as_str()), a.folds),
        a.folds,
    )
    .await?;
    let t_stats = t0.elapsed().as_secs_f64();
    let n: usize = folds.iter().map(SufficientStats::n_samples).sum();
    println!(
        "statistics: {n} rows x {} features in {} folds, {t_stats:.2} s ({:.2} M rows/s, {} partitions)",
        features.len(),
        folds.len(),
        n as f64 / t_stats / 1e6,
        ctx.copied_config().target_partitions()
    );

    let t1 = Instant::now();
    let settings = CvSettings {
        alphas: Alphas::Auto {
            n_alphas: 100,
            eps: 1e-3,
        },
        fit_intercept: true,
        standardize: false,
        solver: CoordinateDescent::new().tol(1e-4),
        measure: Default::default(),
    };
    let penalty = ElasticNet::new(0.5)?;
    let cv = cv_path_stats(&folds, &penalty, &settings)?;
    let all: Vec<&SufficientStats<f64>> = folds.iter().collect();
    let prep = SufficientStats::combine(&all)?.prepare(true, false)?;
    let lmin = cv.alphas[cv.index_min];
    let sol =
        CoordinateDescent::new()
            .tol(1e-4)
            .solve_prepared(&prep, &penalty, lmin, None, &mut ())?;
    println!(
        "elastic net (l1_ratio 0.5) {}-fold CV and refit: {:.2} s; lambda_min {lmin:.6e} (index {}), lambda_1se {:.6e} (index {}), refit gap {:.2e}",
        a.folds,
        t1.elapsed().as_secs_f64(),
        cv.index_min,
        cv.alphas[cv.index_1se],
        cv.index_1se,
        sol.duality_gap.unwrap_or(f64::NAN)
    );
    println!("total {:.2} s", t0.elapsed().as_secs_f64());
    Ok(())
}
