//! Typed errors: [`InputError`] for what is wrong with a table's content or a call's arguments
//! (raised inside DataFusion's execution, carried through it as
//! [`DataFusionError::External`]), and [`Error`] for the Rust API ([`stats`](crate::stats),
//! [`stats_by_fold`](crate::stats_by_fold)).

use datafusion::error::DataFusionError;

/// A problem with the rows or the arguments of [`proxreg_stats`](crate::ProxregStats) or
/// [`proxreg_fold`](crate::ProxregFold), naming the column (as DataFusion names the argument:
/// the column name, or the expression's text for a computed argument).
///
/// Inside a query it reaches the caller as a [`DataFusionError`] wrapping it
/// ([`DataFusionError::External`], possibly under context); the Rust API unwraps it into
/// [`Error::Input`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A NULL value where a number is needed.
    #[error("column `{column}`: NULL at row {row} of a batch (proxreg statistics need a value in every row; filter or impute first)")]
    Null {
        /// The column (argument) with the NULL.
        column: String,
        /// The row within the Arrow batch being aggregated.
        row: usize,
    },
    /// A NaN or infinite value.
    #[error("column `{column}`: non-finite value {value} at row {row} of a batch")]
    NonFinite {
        /// The column (argument) with the value.
        column: String,
        /// The row within the Arrow batch being aggregated.
        row: usize,
        /// The value (NaN, `inf` or `-inf`).
        value: f64,
    },
    /// A negative sample weight.
    #[error("weight column `{column}`: negative weight {value} at row {row} of a batch")]
    NegativeWeight {
        /// The weight column.
        column: String,
        /// The row within the Arrow batch being aggregated.
        row: usize,
        /// The weight.
        value: f64,
    },
    /// A column (or argument) whose type is not numeric.
    #[error("{what} has type {data_type}, not a numeric type")]
    NotNumeric {
        /// The column, or the argument's position and role when the column is not known.
        what: String,
        /// The Arrow type found.
        data_type: String,
    },
    /// A function called with the wrong number of arguments.
    #[error("{function}: {found} arguments, expected {expected}")]
    Arguments {
        /// The function name.
        function: &'static str,
        /// How many arguments it takes.
        expected: &'static str,
        /// How many it got.
        found: usize,
    },
    /// A fold count `k` of `proxreg_fold` that is NULL or below 1.
    #[error("proxreg_fold: the fold count must be at least 1, found {found}")]
    FoldCount {
        /// The value given (`"NULL"` for a NULL).
        found: String,
    },
    /// A binary statistics block that is not in the encoding of
    /// [`encode`](crate::encode) (truncated, another version, inconsistent sizes).
    #[error("malformed statistics block: {0}")]
    Block(String),
    /// The statistics rejected the rows (e.g. an overflow), see [`proxreg_core::Error`].
    #[error(transparent)]
    Stats(#[from] proxreg_core::Error),
}

impl From<InputError> for DataFusionError {
    fn from(e: InputError) -> Self {
        DataFusionError::External(Box::new(e))
    }
}

/// The error of the Rust API of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The rows or arguments are unusable (a NULL, a NaN, a non-numeric column, ...).
    #[error(transparent)]
    Input(#[from] InputError),
    /// A fold value outside `0..k`.
    #[error("fold value {value} is not in 0..{k}")]
    FoldOutOfRange {
        /// The value found.
        value: i64,
        /// The number of folds.
        k: usize,
    },
    /// A row whose fold expression is NULL.
    #[error("the fold expression is NULL for some rows")]
    NullFold,
    /// A fold without rows (every fold `0..k` must have rows).
    #[error("fold {fold} of {k} has no rows")]
    MissingFold {
        /// The fold without rows.
        fold: usize,
        /// The number of folds.
        k: usize,
    },
    /// A fold (or the whole table) with rows whose weights are all zero.
    #[error("{what} has {rows} rows but zero total weight")]
    ZeroWeight {
        /// `"the table"` or `"fold f"`.
        what: String,
        /// Its rows.
        rows: usize,
    },
    /// No rows at all.
    #[error("the table has no rows")]
    NoRows,
    /// Invalid arguments of the Rust API (no features, `k = 0`, ...).
    #[error("invalid argument: {0}")]
    Argument(String),
    /// Any other error of DataFusion (planning, reading the files, an unknown column, ...).
    #[error(transparent)]
    DataFusion(DataFusionError),
}

impl From<DataFusionError> for Error {
    /// Unwraps an [`InputError`] raised inside the query (under any context DataFusion added)
    /// into [`Error::Input`]; any other error stays [`Error::DataFusion`].
    fn from(e: DataFusionError) -> Self {
        match find_input_error(&e) {
            Some(input) => Error::Input(input),
            None => Error::DataFusion(e),
        }
    }
}

/// The first [`InputError`] inside a DataFusion error chain, if any.
fn find_input_error(e: &DataFusionError) -> Option<InputError> {
    match e {
        DataFusionError::External(inner) => {
            if let Some(input) = inner.downcast_ref::<InputError>() {
                return Some(input.clone());
            }
            inner
                .downcast_ref::<DataFusionError>()
                .and_then(find_input_error)
        }
        DataFusionError::Context(_, inner) | DataFusionError::Diagnostic(_, inner) => {
            find_input_error(inner)
        }
        DataFusionError::Shared(inner) => find_input_error(inner),
        DataFusionError::Collection(errors) => errors.iter().find_map(find_input_error),
        DataFusionError::ArrowError(arrow, _) => match arrow.as_ref() {
            datafusion::arrow::error::ArrowError::ExternalError(inner) => {
                if let Some(input) = inner.downcast_ref::<InputError>() {
                    return Some(input.clone());
                }
                inner
                    .downcast_ref::<DataFusionError>()
                    .and_then(find_input_error)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The result type of this crate's Rust API.
pub type Result<T, E = Error> = std::result::Result<T, E>;
