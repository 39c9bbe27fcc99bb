//! Mergeable least-squares sufficient statistics over any [Apache DataFusion] table, for
//! proxreg's Lasso / Elastic Net / Ridge fits, paths and K-fold cross-validation without
//! moving the rows.
//!
//! DataFusion reads the table (Parquet, CSV, object stores, views, SQL-engineered features),
//! partitions and parallelises the scan; this crate adds
//!
//! - the aggregate function [`ProxregStats`], `proxreg_stats(y, x1, ..., xp)` and
//!   `proxreg_stats_weighted(y, w, x1, ..., xp)`, whose accumulator turns each Arrow batch into
//!   [`SufficientStats`] and merges batches and partitions by the stable pairwise update; its
//!   state and result are one `Binary` value ([`encode`], [`decode`], [module
//!   `encoding`](encoding) for the layout);
//! - the scalar function [`ProxregFold`], `proxreg_fold(id, k)`, the stable fold of a row id
//!   ([`proxreg_solvers::fold_of_id`]), so that `GROUP BY proxreg_fold(id, 5)` gives the
//!   folds of the in-memory route;
//! - [`register`] (both, for SQL; [`register_functions`] for any function registry, such as
//!   a distributed engine's), and the Rust API [`stats`] / [`stats_by_fold`], which run
//!   the aggregation (by fold) on a [`DataFrame`] and decode the blocks.
//!
//! The per-fold statistics feed `proxreg_cv::cv_path_stats` (lambda_min / lambda_1se), and
//! their merge feeds [`SufficientStats::prepare`] for a Gram-mode coordinate-descent fit with
//! its duality gap (see `examples/sql_features.rs` and `docs/scale.md`).
//!
//! ```
//! use datafusion::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let ctx = SessionContext::new();
//! proxreg_datafusion::register(&ctx);
//! let df = ctx
//!     .sql("SELECT value AS id, value * 0.5 AS x1, value * value AS x2, 3.0 * value + 1.0 AS y \
//!           FROM range(0, 100)")
//!     .await?;
//! let fold = proxreg_datafusion::fold(col("id"), 4);
//! let folds = proxreg_datafusion::stats_by_fold(df, "y", &["x1", "x2"], None, fold, 4).await?;
//! assert_eq!(folds.iter().map(|s| s.n_samples()).sum::<usize>(), 100);
//! # Ok(())
//! # }
//! ```
//!
//! The statistics are always `f64` (`Float32`, integer and decimal columns are cast).
//!
//! [Apache DataFusion]: https://datafusion.apache.org

pub mod encoding;
mod error;
mod fold;
mod udaf;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datafusion::prelude::{ident, lit, DataFrame, Expr, SessionContext};
use proxreg_solvers::SufficientStats;
use std::sync::Arc;

pub use encoding::{decode, encode, ENCODING_VERSION};
pub use error::{Error, InputError, Result};
pub use fold::ProxregFold;
pub use udaf::ProxregStats;

/// The aggregate UDF `proxreg_stats(y, x1, ..., xp)` (see [`ProxregStats`]).
pub fn stats_udaf() -> AggregateUDF {
    AggregateUDF::from(ProxregStats::new())
}

/// The aggregate UDF `proxreg_stats_weighted(y, w, x1, ..., xp)` (see [`ProxregStats`]).
pub fn weighted_stats_udaf() -> AggregateUDF {
    AggregateUDF::from(ProxregStats::weighted())
}

/// The scalar UDF `proxreg_fold(id, k)` (see [`ProxregFold`]).
pub fn fold_udf() -> ScalarUDF {
    ScalarUDF::from(ProxregFold::new())
}

/// Registers `proxreg_stats`, `proxreg_stats_weighted` and `proxreg_fold` with a session, for
/// SQL: `SELECT proxreg_fold(id, 5) AS fold, proxreg_stats(y, x1, x2) FROM t GROUP BY fold`.
pub fn register(ctx: &SessionContext) {
    ctx.register_udaf(stats_udaf());
    ctx.register_udaf(weighted_stats_udaf());
    ctx.register_udf(fold_udf());
}

/// Registers the same three functions with any DataFusion [`FunctionRegistry`] — a
/// [`SessionState`](datafusion::execution::SessionState) before it becomes a session, or the
/// registry a distributed engine's processes resolve functions from. This is the cluster
/// route's hook: Apache Ballista's scheduler and executors look user-defined functions up by
/// name in their own registries, so each process registers them at start-up (`docs/scale.md`,
/// `examples/ballista_node.rs`).
///
/// ```
/// use datafusion::execution::SessionStateBuilder;
/// use datafusion::execution::FunctionRegistry;
/// let mut state = SessionStateBuilder::new().with_default_features().build();
/// proxreg_datafusion::register_functions(&mut state)?;
/// assert!(state.udaf("proxreg_stats").is_ok() && state.udf("proxreg_fold").is_ok());
/// # Ok::<(), datafusion::error::DataFusionError>(())
/// ```
///
/// # Errors
/// What the registry's `register_udf` / `register_udaf` return (a registry that does not
/// accept registrations).
pub fn register_functions(registry: &mut dyn FunctionRegistry) -> datafusion::error::Result<()> {
    registry.register_udaf(Arc::new(stats_udaf()))?;
    registry.register_udaf(Arc::new(weighted_stats_udaf()))?;
    registry.register_udf(Arc::new(fold_udf()))?;
    Ok(())
}

/// The expression `proxreg_fold(id, k)`, for [`stats_by_fold`] (no registration needed).
pub fn fold(id: Expr, k: usize) -> Expr {
    fold_udf().call(vec![id, lit(k as i64)])
}

const FOLD_COLUMN: &str = "__proxreg_fold";
const STATS_COLUMN: &str = "__proxreg_stats";

/// The aggregate expression over the named columns, after checking that they exist and are
/// numeric.
fn stats_expr(
    df: &DataFrame,
    target: &str,
    features: &[&str],
    weight: Option<&str>,
) -> Result<Expr> {
    if features.is_empty() {
        return Err(Error::Argument("no feature columns".into()));
    }
    let names: Vec<&str> = std::iter::once(target)
        .chain(weight)
        .chain(features.iter().copied())
        .collect();
    for name in &names {
        let field = df.schema().field_with_unqualified_name(name)?;
        if !field.data_type().is_numeric() {
            return Err(InputError::NotNumeric {
                what: format!("column `{name}`"),
                data_type: field.data_type().to_string(),
            }
            .into());
        }
    }
    let args: Vec<Expr> = names.into_iter().map(ident).collect();
    Ok(match weight {
        Some(_) => weighted_stats_udaf().call(args),
        None => stats_udaf().call(args),
    })
}

/// The statistics of all rows of `df`: target column `target`, feature columns `features` (in
/// that order), optional sample-weight column `weight` (`≥ 0`).
///
/// # Errors
/// [`Error::Input`] for a column that is not numeric or holds a NULL, NaN or infinite value
/// (or a negative weight); [`Error::NoRows`] for a table without rows;
/// [`Error::ZeroWeight`] when every weight is 0; [`Error::Argument`] for no features;
/// [`Error::DataFusion`] for an unknown column or a failure to read the table.
pub async fn stats(
    df: DataFrame,
    target: &str,
    features: &[&str],
    weight: Option<&str>,
) -> Result<SufficientStats<f64>> {
    let agg = stats_expr(&df, target, features, weight)?.alias(STATS_COLUMN);
    let batches = df.aggregate(vec![], vec![agg])?.collect().await?;
    let mut blocks = Vec::new();
    for b in &batches {
        let col = b.column(0).as_binary_opt::<i32>().ok_or_else(|| {
            InputError::Block(format!("result of type {}", b.column(0).data_type()))
        })?;
        for i in 0..col.len() {
            if !col.is_null(i) {
                blocks.push(encoding::decode_block(col.value(i))?);
            }
        }
    }
    let block = match blocks.len() {
        0 => return Err(Error::NoRows),
        1 => blocks.remove(0),
        n => return Err(InputError::Block(format!("{n} result rows for one aggregate")).into()),
    };
    match block.stats {
        Some(s) => Ok(s),
        None if block.n == 0 => Err(Error::NoRows),
        None => Err(Error::ZeroWeight {
            what: "the table".into(),
            rows: block.n,
        }),
    }
}

/// The statistics of each fold `0..k` of `df`, in fold order: `SELECT fold,
/// proxreg_stats(...) ... GROUP BY fold`, where `fold` is an integer expression with values in
/// `0..k` — a fold column (`col("fold")`) or the stable hash fold of a row id
/// ([`fold`]`(col("id"), k)`, i.e. `proxreg_fold(id, k)`). Columns as in [`stats`].
///
/// The result is what `proxreg_cv::cv_path_stats` takes; [`SufficientStats::combine`] of all
/// folds gives the whole table's statistics.
///
/// # Errors
/// As [`stats`]; [`Error::Argument`] for `k = 0`; [`Error::FoldOutOfRange`] for a fold value
/// outside `0..k`; [`Error::NullFold`] for a NULL fold; [`Error::MissingFold`] for a fold
/// without rows; [`Error::ZeroWeight`] for a fold whose weights are all 0.
pub async fn stats_by_fold(
    df: DataFrame,
    target: &str,
    features: &[&str],
    weight: Option<&str>,
    fold: Expr,
    k: usize,
) -> Result<Vec<SufficientStats<f64>>> {
    if k == 0 {
        return Err(Error::Argument("k = 0 folds".into()));
    }
    let agg = stats_expr(&df, target, features, weight)?.alias(STATS_COLUMN);
    let batches = df
        .aggregate(vec![fold.alias(FOLD_COLUMN)], vec![agg])?
        .collect()
        .await?;
    let mut out: Vec<Option<SufficientStats<f64>>> = vec![None; k];
    for b in &batches {
        let (folds, blocks) = (b.column(0), b.column(1));
        let folds =
            cast(folds, &DataType::Int64).map_err(datafusion::error::DataFusionError::from)?;
        let folds = folds.as_primitive::<Int64Type>();
        let blocks = blocks
            .as_binary_opt::<i32>()
            .ok_or_else(|| InputError::Block(format!("result of type {}", blocks.data_type())))?;
        for i in 0..b.num_rows() {
            if folds.is_null(i) {
                return Err(Error::NullFold);
            }
            let value = folds.value(i);
            let f = usize::try_from(value)
                .ok()
                .filter(|&f| f < k)
                .ok_or(Error::FoldOutOfRange { value, k })?;
            if blocks.is_null(i) {
                continue;
            }
            let block = encoding::decode_block(blocks.value(i))?;
            out[f] = Some(match block.stats {
                Some(s) => s,
                None => {
                    return Err(Error::ZeroWeight {
                        what: format!("fold {f}"),
                        rows: block.n,
                    })
                }
            });
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(fold, s)| s.ok_or(Error::MissingFold { fold, k }))
        .collect()
}
