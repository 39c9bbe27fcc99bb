//! The scalar UDF `proxreg_fold(id, k)`: the stable fold of a row id.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type, UInt64Type};
use datafusion::common::ScalarValue;
use datafusion::error::Result as DfResult;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use proxreg_solvers::fold_of_id;

use crate::error::InputError;

/// `proxreg_fold(id, k)`: the fold in `0..k` of an integer row id, as
/// [`proxreg_solvers::fold_of_id`] computes it in memory (a splitmix64 hash), returned as
/// `Int64`. Rows keep their fold whatever order, file or partition they are read in, so
/// `GROUP BY proxreg_fold(id, 5)` gives the same folds as the in-memory route.
///
/// `id` may be any integer type: unsigned ids are used as they are, signed ids as their
/// two's-complement bits (`-1` is `u64::MAX`), as `id as u64` does in Rust. `k` is an integer
/// `≥ 1`. A NULL `id`, a NULL or non-positive `k` or a non-integer argument is an error
/// naming it ([`InputError`]): a row without an id has no fold.
///
/// ```
/// use datafusion::prelude::*;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let ctx = SessionContext::new();
/// proxreg_datafusion::register(&ctx);
/// let batches = ctx.sql("SELECT proxreg_fold(12345, 5) AS f").await?.collect().await?;
/// let f = batches[0].column(0).as_any()
///     .downcast_ref::<datafusion::arrow::array::Int64Array>().ok_or("not Int64")?.value(0);
/// assert_eq!(f as usize, proxreg_solvers::fold_of_id(12345, 5));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProxregFold {
    signature: Signature,
}

impl ProxregFold {
    /// The function, to register under its name `proxreg_fold`.
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl Default for ProxregFold {
    fn default() -> Self {
        Self::new()
    }
}

fn is_unsigned(t: &DataType) -> bool {
    matches!(
        t,
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64
    )
}

fn is_signed(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64
    )
}

impl ScalarUDFImpl for ProxregFold {
    fn name(&self) -> &str {
        "proxreg_fold"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Int64)
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> DfResult<Vec<DataType>> {
        if arg_types.len() != 2 {
            return Err(InputError::Arguments {
                function: "proxreg_fold",
                expected: "2 (id, k)",
                found: arg_types.len(),
            }
            .into());
        }
        let id = &arg_types[0];
        let id = if is_unsigned(id) {
            DataType::UInt64
        } else if is_signed(id) || id.is_null() {
            DataType::Int64
        } else {
            return Err(InputError::NotNumeric {
                what: "proxreg_fold argument 1 (id, an integer)".into(),
                data_type: id.to_string(),
            }
            .into());
        };
        let k = &arg_types[1];
        if !(is_unsigned(k) || is_signed(k) || k.is_null()) {
            return Err(InputError::NotNumeric {
                what: "proxreg_fold argument 2 (k, an integer)".into(),
                data_type: k.to_string(),
            }
            .into());
        }
        Ok(vec![id, DataType::Int64])
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let rows = args.number_rows;
        let name = args
            .arg_fields
            .first()
            .map_or_else(|| "id".to_string(), |f| f.name().clone());
        let all_scalar = args
            .args
            .iter()
            .all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let [ids, ks] = arrays.as_slice() else {
            return Err(InputError::Arguments {
                function: "proxreg_fold",
                expected: "2 (id, k)",
                found: arrays.len(),
            }
            .into());
        };
        let ks: ArrayRef = if ks.data_type() == &DataType::Int64 {
            Arc::clone(ks)
        } else {
            cast(ks, &DataType::Int64)?
        };
        let ks = ks.as_primitive::<Int64Type>();
        let k_at = |i: usize| -> Result<usize, InputError> {
            if ks.is_null(i) {
                return Err(InputError::FoldCount {
                    found: "NULL".into(),
                });
            }
            let k = ks.value(i);
            usize::try_from(k)
                .ok()
                .filter(|&k| k >= 1)
                .ok_or(InputError::FoldCount {
                    found: k.to_string(),
                })
        };
        let id_at: Box<dyn Fn(usize) -> u64> = if is_unsigned(ids.data_type()) {
            let ids = cast(ids, &DataType::UInt64)?;
            let ids = ids.as_primitive::<UInt64Type>().clone();
            Box::new(move |i| ids.value(i))
        } else {
            let ids = cast(ids, &DataType::Int64)?;
            let ids = ids.as_primitive::<Int64Type>().clone();
            Box::new(move |i| ids.value(i) as u64)
        };
        if let Some(row) = (0..ids.len()).find(|&i| ids.is_null(i)) {
            return Err(InputError::Null { column: name, row }.into());
        }
        let folds = (0..ids.len())
            .map(|i| Ok(fold_of_id(id_at(i), k_at(i)?) as i64))
            .collect::<Result<Vec<i64>, InputError>>()?;
        if all_scalar {
            // constant arguments (e.g. constant folding at planning): a constant result
            if let Some(&f) = folds.first() {
                return Ok(ColumnarValue::Scalar(ScalarValue::Int64(Some(f))));
            }
        }
        debug_assert!(folds.len() == rows || all_scalar);
        Ok(ColumnarValue::Array(Arc::new(Int64Array::from(folds))))
    }
}
