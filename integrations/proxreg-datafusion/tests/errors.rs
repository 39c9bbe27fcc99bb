//! Unusable rows and arguments are typed errors naming the column, never panics.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Array, Int32Array, Int64Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::MemTable;
use datafusion::prelude::*;
use proxreg_datafusion::{fold, stats, stats_by_fold, Error, InputError};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A table `t(id, y, x1, x2, name, w)` in two partitions, with `x1` as given.
fn context(
    x1: Vec<Option<f64>>,
    w: Vec<f64>,
) -> Result<SessionContext, Box<dyn std::error::Error>> {
    let n = x1.len();
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("y", DataType::Float64, false),
        Field::new("x1", DataType::Float64, true),
        Field::new("x2", DataType::Float64, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("w", DataType::Float64, false),
        Field::new("i1", DataType::Int32, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from((0..n as i64).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(
            (0..n).map(|i| i as f64).collect::<Vec<_>>(),
        )),
        Arc::new(Float64Array::from(x1)),
        Arc::new(Float64Array::from(
            (0..n).map(|i| (i * i) as f64).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            (0..n).map(|i| format!("r{i}")).collect::<Vec<_>>(),
        )),
        Arc::new(Float64Array::from(w)),
        // an integer column with a NULL at row 5
        Arc::new(Int32Array::from(
            (0..n as i32)
                .map(|i| (i != 5).then_some(i % 4))
                .collect::<Vec<_>>(),
        )),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols)?;
    let half = n / 2;
    let parts = vec![
        vec![batch.slice(0, half)],
        vec![batch.slice(half, n - half)],
    ];
    let ctx = SessionContext::new();
    proxreg_datafusion::register(&ctx);
    ctx.register_table("t", Arc::new(MemTable::try_new(schema, parts)?))?;
    Ok(ctx)
}

fn good(n: usize) -> Vec<Option<f64>> {
    (0..n).map(|i| Some((i % 5) as f64)).collect()
}

#[tokio::test]
async fn null_in_a_feature_names_the_column() -> TestResult {
    let mut x1 = good(40);
    x1[27] = None;
    let ctx = context(x1, vec![1.0; 40])?;
    let e = stats(ctx.table("t").await?, "y", &["x2", "x1"], None)
        .await
        .err()
        .ok_or("no error")?;
    assert!(
        matches!(&e, Error::Input(InputError::Null { column, .. }) if column == "x1"),
        "{e:?}"
    );
    // through SQL: a DataFusion error whose message names the column
    let sql = ctx
        .sql("SELECT proxreg_stats(y, x2, x1) FROM t")
        .await?
        .collect()
        .await
        .err()
        .ok_or("no error")?;
    assert!(sql.to_string().contains("`x1`"), "{sql}");
    assert!(matches!(
        Error::from(sql),
        Error::Input(InputError::Null { .. })
    ));
    Ok(())
}

#[tokio::test]
async fn nan_and_infinity_are_errors() -> TestResult {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut x1 = good(40);
        x1[3] = Some(bad);
        let ctx = context(x1, vec![1.0; 40])?;
        let e = stats_by_fold(
            ctx.table("t").await?,
            "y",
            &["x1", "x2"],
            None,
            fold(col("id"), 3),
            3,
        )
        .await
        .err()
        .ok_or("no error")?;
        assert!(
            matches!(&e, Error::Input(InputError::NonFinite { column, .. }) if column == "x1"),
            "{e:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn non_numeric_columns_are_errors() -> TestResult {
    let ctx = context(good(20), vec![1.0; 20])?;
    let e = stats(ctx.table("t").await?, "y", &["x1", "name"], None)
        .await
        .err()
        .ok_or("no error")?;
    assert!(
        matches!(&e, Error::Input(InputError::NotNumeric { what, .. }) if what.contains("name")),
        "{e:?}"
    );
    // SQL: a planning error naming the argument
    let sql = ctx
        .sql("SELECT proxreg_stats(y, x1, name) FROM t")
        .await
        .err()
        .ok_or("no error")?;
    assert!(sql.to_string().contains("feature 2"), "{sql}");
    let sql = ctx
        .sql("SELECT proxreg_fold(name, 3) FROM t")
        .await
        .err()
        .ok_or("no error")?;
    assert!(sql.to_string().contains("proxreg_fold"), "{sql}");
    // too few arguments
    assert!(ctx.sql("SELECT proxreg_stats(y) FROM t").await.is_err());
    assert!(ctx
        .sql("SELECT proxreg_stats_weighted(y, w) FROM t")
        .await
        .is_err());
    // an unknown column
    assert!(matches!(
        stats(ctx.table("t").await?, "y", &["nope"], None).await,
        Err(Error::DataFusion(_))
    ));
    assert!(matches!(
        stats(ctx.table("t").await?, "y", &[], None).await,
        Err(Error::Argument(_))
    ));
    Ok(())
}

#[tokio::test]
async fn weights_folds_and_empty_tables() -> TestResult {
    // a negative weight
    let mut w = vec![1.0; 30];
    w[20] = -0.5;
    let ctx = context(good(30), w)?;
    let e = stats(ctx.table("t").await?, "y", &["x1"], Some("w"))
        .await
        .err()
        .ok_or("no error")?;
    assert!(
        matches!(&e, Error::Input(InputError::NegativeWeight { column, .. }) if column == "w"),
        "{e:?}"
    );
    // all weights zero
    let ctx = context(good(30), vec![0.0; 30])?;
    let e = stats(ctx.table("t").await?, "y", &["x1"], Some("w"))
        .await
        .err()
        .ok_or("no error")?;
    assert!(matches!(e, Error::ZeroWeight { rows: 30, .. }), "{e:?}");
    // zero weights in one partition only: those rows count, the statistics are the others'
    let w: Vec<f64> = (0..30).map(|i| if i < 15 { 0.0 } else { 1.0 }).collect();
    let ctx = context(good(30), w)?;
    let s = stats(ctx.table("t").await?, "y", &["x1"], Some("w")).await?;
    assert_eq!((s.n_samples(), s.weight_sum()), (30, 15.0));
    // a fold column missing a fold, and one out of range
    let ctx = context(good(30), vec![1.0; 30])?;
    let e = stats_by_fold(
        ctx.table("t").await?,
        "y",
        &["x1"],
        None,
        col("id") % lit(3i64),
        4,
    )
    .await
    .err()
    .ok_or("no error")?;
    assert!(matches!(e, Error::MissingFold { fold: 3, k: 4 }), "{e:?}");
    let e = stats_by_fold(
        ctx.table("t").await?,
        "y",
        &["x1"],
        None,
        col("id") % lit(3i64),
        2,
    )
    .await
    .err()
    .ok_or("no error")?;
    assert!(
        matches!(e, Error::FoldOutOfRange { value: 2, k: 2 }),
        "{e:?}"
    );
    let e = stats_by_fold(
        ctx.table("t").await?,
        "y",
        &["x1"],
        None,
        fold(col("id"), 0),
        3,
    )
    .await
    .err()
    .ok_or("no error")?;
    assert!(
        matches!(e, Error::Input(InputError::FoldCount { .. })),
        "{e:?}"
    );
    // no rows
    let e = stats(
        ctx.table("t").await?.filter(col("id").lt(lit(0i64)))?,
        "y",
        &["x1"],
        None,
    )
    .await
    .err()
    .ok_or("no error")?;
    assert!(matches!(e, Error::NoRows), "{e:?}");
    Ok(())
}
