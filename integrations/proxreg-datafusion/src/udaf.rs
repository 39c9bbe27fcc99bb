//! The aggregate UDFs `proxreg_stats(y, x1, ..., xp)` and
//! `proxreg_stats_weighted(y, w, x1, ..., xp)`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::ScalarValue;
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::physical_expr::expressions::{CastExpr, Column, TryCastExpr};
use datafusion::physical_expr::PhysicalExpr;
use proxreg_linalg::ColMajor;
use proxreg_solvers::SufficientStats;

use crate::encoding::{decode_block, encode_parts};
use crate::error::InputError;

/// The aggregate function computing [`SufficientStats`] of a least-squares problem over the
/// rows of a group: `proxreg_stats(y, x1, ..., xp)` (unweighted) or
/// `proxreg_stats_weighted(y, w, x1, ..., xp)` (sample weights `w ≥ 0`).
///
/// Arguments of any numeric Arrow type are cast to `Float64` (`Float32`, integers, decimals);
/// other types are a planning error, and a NULL, NaN or infinite value (or a negative weight)
/// an execution error naming the column ([`InputError`]). The result, like the partial state
/// exchanged between partitions, is one `Binary` value in the [encoding](crate::encoding) of
/// [`encode`](crate::encode); [`decode`](crate::decode) reads it back. Each Arrow batch becomes
/// [`SufficientStats::from_batch`] and batches and partitions combine by
/// [`SufficientStats::merge`] (the pairwise centred update), so the result equals the
/// in-memory statistics of the same rows to rounding, whatever the partitioning.
///
/// ```
/// use datafusion::prelude::*;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let ctx = SessionContext::new();
/// proxreg_datafusion::register(&ctx);
/// let df = ctx
///     .sql("SELECT proxreg_stats(y, x) AS s FROM (VALUES (1.0, 0), (2.0, 1), (6.0, 2)) AS t(y, x)")
///     .await?;
/// let batches = df.collect().await?;
/// let bytes = batches[0].column(0).as_any()
///     .downcast_ref::<datafusion::arrow::array::BinaryArray>().ok_or("not binary")?.value(0);
/// let s = proxreg_datafusion::decode(bytes)?;
/// assert_eq!(s.n_samples(), 3);
/// assert!((s.x_mean()[0] - 1.0).abs() < 1e-12 && (s.y_mean() - 3.0).abs() < 1e-12);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProxregStats {
    signature: Signature,
    weighted: bool,
}

impl ProxregStats {
    /// The unweighted form, `proxreg_stats(y, x1, ..., xp)`.
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            weighted: false,
        }
    }

    /// The weighted form, `proxreg_stats_weighted(y, w, x1, ..., xp)`.
    pub fn weighted() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            weighted: true,
        }
    }

    fn fname(&self) -> &'static str {
        if self.weighted {
            "proxreg_stats_weighted"
        } else {
            "proxreg_stats"
        }
    }

    /// Arguments before the features: `y` (and `w`).
    fn lead(&self) -> usize {
        if self.weighted {
            2
        } else {
            1
        }
    }

    fn role(&self, i: usize) -> String {
        match (i, self.weighted) {
            (0, _) => "target".to_string(),
            (1, true) => "weight".to_string(),
            _ => format!("feature {}", i + 1 - self.lead()),
        }
    }
}

impl Default for ProxregStats {
    fn default() -> Self {
        Self::new()
    }
}

impl AggregateUDFImpl for ProxregStats {
    fn name(&self) -> &str {
        self.fname()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Binary)
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> DfResult<Vec<DataType>> {
        if arg_types.len() <= self.lead() {
            return Err(InputError::Arguments {
                function: self.fname(),
                expected: if self.weighted {
                    "y, w and at least one feature"
                } else {
                    "y and at least one feature"
                },
                found: arg_types.len(),
            }
            .into());
        }
        arg_types
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if t.is_numeric() || t.is_null() {
                    Ok(DataType::Float64)
                } else {
                    Err(InputError::NotNumeric {
                        what: format!("{} argument {} ({})", self.fname(), i + 1, self.role(i)),
                        data_type: t.to_string(),
                    }
                    .into())
                }
            })
            .collect()
    }

    fn accumulator(&self, acc_args: AccumulatorArgs) -> DfResult<Box<dyn Accumulator>> {
        let names: Vec<String> = acc_args.exprs.iter().map(arg_name).collect();
        let p = names.len().saturating_sub(self.lead());
        if p == 0 {
            return Err(InputError::Arguments {
                function: self.fname(),
                expected: "at least one feature",
                found: names.len(),
            }
            .into());
        }
        Ok(Box::new(StatsAccumulator {
            names,
            weighted: self.weighted,
            p,
            stats: SufficientStats::empty(p),
            zero_weight_rows: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> DfResult<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "stats"),
            DataType::Binary,
            true,
        ))])
    }
}

/// The name of an argument for messages: the column's name (through the casts that the type
/// coercion added), or the expression's text for a computed argument.
fn arg_name(e: &Arc<dyn PhysicalExpr>) -> String {
    let e: &dyn PhysicalExpr = e.as_ref();
    if let Some(c) = e.downcast_ref::<Column>() {
        c.name().to_string()
    } else if let Some(c) = e.downcast_ref::<CastExpr>() {
        arg_name(c.expr())
    } else if let Some(c) = e.downcast_ref::<TryCastExpr>() {
        arg_name(c.expr())
    } else {
        e.to_string()
    }
}

/// The per-group state: merged statistics, plus rows of zero weight in batches whose weights
/// are all zero (statistics of positive weight count such rows themselves).
#[derive(Debug)]
struct StatsAccumulator {
    names: Vec<String>,
    weighted: bool,
    p: usize,
    stats: SufficientStats<f64>,
    zero_weight_rows: usize,
}

impl StatsAccumulator {
    fn encoded(&self) -> ScalarValue {
        ScalarValue::Binary(Some(encode_parts(
            &self.stats,
            self.stats.n_samples() + self.zero_weight_rows,
        )))
    }

    /// Column `i` as finite `f64` values.
    fn column(&self, values: &[ArrayRef], i: usize) -> DfResult<Vec<f64>> {
        let name = || {
            self.names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("#{i}"))
        };
        let arr = values.get(i).ok_or_else(|| {
            DataFusionError::from(InputError::Arguments {
                function: "proxreg_stats",
                expected: "one array per argument",
                found: values.len(),
            })
        })?;
        let cast_arr;
        let arr = if arr.data_type() == &DataType::Float64 {
            arr
        } else {
            cast_arr = cast(arr, &DataType::Float64)?;
            &cast_arr
        };
        let f = arr.as_primitive_opt::<Float64Type>().ok_or_else(|| {
            DataFusionError::from(InputError::NotNumeric {
                what: format!("column `{}`", name()),
                data_type: arr.data_type().to_string(),
            })
        })?;
        if f.null_count() > 0 {
            let row = (0..f.len()).find(|&r| f.is_null(r)).unwrap_or_default();
            return Err(InputError::Null {
                column: name(),
                row,
            }
            .into());
        }
        let v = f.values();
        if let Some(row) = v.iter().position(|x| !x.is_finite()) {
            return Err(InputError::NonFinite {
                column: name(),
                row,
                value: v[row],
            }
            .into());
        }
        Ok(v.to_vec())
    }
}

impl Accumulator for StatsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> DfResult<()> {
        let rows = values.first().map_or(0, |a| a.len());
        if rows == 0 {
            return Ok(());
        }
        let y = self.column(values, 0)?;
        let lead = if self.weighted { 2 } else { 1 };
        let w = if self.weighted {
            let w = self.column(values, 1)?;
            if let Some(row) = w.iter().position(|&v| v < 0.0) {
                return Err(InputError::NegativeWeight {
                    column: self.names.get(1).cloned().unwrap_or_default(),
                    row,
                    value: w[row],
                }
                .into());
            }
            if w.iter().all(|&v| v == 0.0) {
                self.zero_weight_rows += rows;
                return Ok(());
            }
            Some(w)
        } else {
            None
        };
        let mut data = Vec::with_capacity(rows * self.p);
        for j in 0..self.p {
            data.extend(self.column(values, lead + j)?);
        }
        let x = ColMajor::new(data, rows, self.p).map_err(InputError::from)?;
        let batch = SufficientStats::from_batch(&x, &y, w.as_deref()).map_err(InputError::from)?;
        self.stats.merge(&batch).map_err(InputError::from)?;
        Ok(())
    }

    fn evaluate(&mut self) -> DfResult<ScalarValue> {
        Ok(self.encoded())
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>()
            + 8 * (self.p * self.p + 2 * self.p)
            + self.names.iter().map(|s| s.capacity() + 24).sum::<usize>()
    }

    fn state(&mut self) -> DfResult<Vec<ScalarValue>> {
        Ok(vec![self.encoded()])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> DfResult<()> {
        let Some(arr) = states.first() else {
            return Ok(());
        };
        let bin = arr.as_binary_opt::<i32>().ok_or_else(|| {
            DataFusionError::from(InputError::Block(format!(
                "state of type {}, expected Binary",
                arr.data_type()
            )))
        })?;
        for i in 0..bin.len() {
            if bin.is_null(i) {
                continue;
            }
            let block = decode_block(bin.value(i))?;
            if block.p != self.p {
                return Err(InputError::Block(format!(
                    "a block of {} features merged into {}",
                    block.p, self.p
                ))
                .into());
            }
            match block.stats {
                Some(s) => self.stats.merge(&s).map_err(InputError::from)?,
                None => self.zero_weight_rows += block.n,
            }
        }
        Ok(())
    }
}
