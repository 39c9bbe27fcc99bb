//! Out-of-core [`SufficientStats`] from Parquet files (feature `parquet`): one streaming pass
//! over a file, or a directory of part files, decoding only the needed columns, in memory
//! independent of the number of rows.
//!
//! [`ParquetSource::open`] reads the footers only (row counts, schemas); [`StatsSpec`] names
//! the feature, target, optional sample-weight columns and the cross-validation [`Folds`];
//! [`ParquetSource::stats`] streams the row groups and returns one set of statistics per fold,
//! ready for [`SufficientStats::prepare`] or `proxreg_cv::cv_path_stats`.
//!
//! - **Columns.** Accepted column types: `Float64`, `Float32`, `Int8`..`Int64`,
//!   `UInt8`..`UInt64` (converted to `T` as by `as`: integers beyond `2^53` round in `f64`,
//!   beyond `2^24` in `f32`) and `Boolean` (`false` = 0, `true` = 1). The default features are
//!   every column of such a type except the target, weight and fold-id columns, in schema
//!   order. Anything else (strings, decimals, dictionaries, nested types) is a
//!   [`ParquetError::NonNumeric`] error when it is needed. A fold-id column must be an integer.
//! - **Validation.** Nulls, NaN or infinite values (also values that overflow `f32` when
//!   `T = f32`), and negative or non-finite weights are errors naming the file, row group,
//!   column and row (0-based, within its file). Rows of weight 0 count in `n_samples` only.
//! - **Compression.** Uncompressed, Snappy (pyarrow's and Spark's default), Zstandard (Polars'
//!   default), LZ4 and LZ4_RAW; Gzip, Brotli and LZO column chunks are a
//!   [`ParquetError::UnsupportedCompression`] error, found from the footers before any data is
//!   read.
//! - **Parallelism and determinism.** Row groups are read in parallel (rayon, a window of a
//!   few row groups per worker thread), each into its own per-fold statistics (sequential
//!   arithmetic), which are then merged strictly in (file, row group) order: the result is
//!   bitwise identical whatever the number of threads. A single row group is read by one
//!   thread: write files with several row groups to use several cores.
//! - **Memory.** Per worker one record batch (`batch_size` rows) and its column-major copy,
//!   and the projected column chunks of the row group being decoded (the Parquet reader holds
//!   them: choose row groups the workers can hold); `k` statistics (`p × p` each) per row
//!   group in flight. Independent of the number of rows.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
//! use parquet::arrow::ArrowWriter;
//! use proxreg_io::parquet::{Folds, ParquetSource, StatsSpec};
//!
//! let dir = std::env::temp_dir().join(format!("proxreg-parquet-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("part-0.parquet");
//! let x1: Vec<f64> = (0..100).map(|i| (i % 7) as f64).collect();
//! let x2: Vec<i64> = (0..100).map(|i| i % 5).collect();
//! let y: Vec<f64> = (0..100).map(|i| 2.0 * x1[i] - x2[i] as f64).collect();
//! let batch = RecordBatch::try_from_iter([
//!     ("x1", Arc::new(Float64Array::from(x1)) as ArrayRef),
//!     ("x2", Arc::new(Int64Array::from(x2)) as ArrayRef),
//!     ("y", Arc::new(Float64Array::from(y)) as ArrayRef),
//! ])?;
//! let mut writer = ArrowWriter::try_new(std::fs::File::create(&path)?, batch.schema(), None)?;
//! writer.write(&batch)?;
//! writer.close()?;
//!
//! let source = ParquetSource::open(&dir)?; // the directory of parts (here one)
//! assert_eq!(source.n_rows(), 100);
//! let spec = StatsSpec::new("y").folds(Folds::Contiguous(5)); // features: x1, x2
//! let folds = source.stats::<f64>(&spec, |_rows_done| {})?;
//! assert_eq!(folds.len(), 5);
//! assert!(folds.iter().all(|f| f.n_samples() == 20 && f.n_features() == 2));
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrowPrimitiveType, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::basic::Compression;
use proxreg_core::Scalar;
use proxreg_linalg::ColMajor;
use proxreg_solvers::{fold_of_id, SufficientStats};
use rayon::prelude::*;

use crate::stats::StatsFile;

/// What can go wrong reading statistics from Parquet files. Every variant names the file, and
/// where it applies the row group (index within the file), the column and the row (0-based,
/// within the file).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParquetError {
    /// A file or directory could not be opened or listed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A directory without any `*.parquet` file.
    #[error("{dir}: no *.parquet files in this directory")]
    NoParts {
        /// The directory.
        dir: String,
    },
    /// The file is not readable Parquet (bad magic, corrupt footer or pages, ...).
    #[error("{file}: unreadable Parquet: {source}")]
    Corrupt {
        /// The file.
        file: String,
        /// The Parquet reader's error.
        source: parquet::errors::ParquetError,
    },
    /// A row group could not be decoded.
    #[error("{file}: row group {row_group}: cannot decode: {reason}")]
    Decode {
        /// The file.
        file: String,
        /// The row group.
        row_group: usize,
        /// The decoder's message.
        reason: String,
    },
    /// A requested column is not in the schema.
    #[error("{file}: no column {column:?} (columns: {available})")]
    MissingColumn {
        /// The file (the first part, whose schema is the reference).
        file: String,
        /// The missing column.
        column: String,
        /// The columns there are, comma-separated.
        available: String,
    },
    /// A part lacks a column of the first part's schema.
    #[error(
        "{file}: column {column:?} of {first} is missing (all parts must have the same columns)"
    )]
    SchemaMismatch {
        /// The part without the column.
        file: String,
        /// The column.
        column: String,
        /// The first part (the reference schema).
        first: String,
    },
    /// A needed column has a type that is not numeric (or, for a fold-id column, not an
    /// integer).
    #[error("{file}: column {column:?} has type {data_type}, expected {expected}")]
    NonNumeric {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// Its Arrow type.
        data_type: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A null value in a needed column.
    #[error("{file}: row group {row_group}: column {column:?}: null value at row {row}")]
    Null {
        /// The file.
        file: String,
        /// The row group.
        row_group: usize,
        /// The column.
        column: String,
        /// The row, 0-based within the file.
        row: u64,
    },
    /// A NaN or infinite value (or one that overflows the precision `T`) in a feature or the
    /// target.
    #[error(
        "{file}: row group {row_group}: column {column:?}: non-finite value {value} at row {row}"
    )]
    NonFinite {
        /// The file.
        file: String,
        /// The row group.
        row_group: usize,
        /// The column.
        column: String,
        /// The row, 0-based within the file.
        row: u64,
        /// The value (as converted to `T`, then to `f64`).
        value: f64,
    },
    /// A negative, NaN or infinite sample weight.
    #[error("{file}: row group {row_group}: weight column {column:?}: invalid weight {value} at row {row} (weights must be finite and >= 0)")]
    BadWeight {
        /// The file.
        file: String,
        /// The row group.
        row_group: usize,
        /// The weight column.
        column: String,
        /// The row, 0-based within the file.
        row: u64,
        /// The weight.
        value: f64,
    },
    /// A column chunk compressed with a codec this build does not read.
    #[error("{file}: row group {row_group}: column {column:?} is compressed with {codec}, which is not supported (supported: uncompressed, snappy, zstd, lz4, lz4_raw)")]
    UnsupportedCompression {
        /// The file.
        file: String,
        /// The row group.
        row_group: usize,
        /// The column.
        column: String,
        /// The codec.
        codec: String,
    },
    /// Fewer rows than cross-validation folds.
    #[error("{rows} rows cannot be split into {k} folds")]
    TooFewRows {
        /// Total rows of all parts.
        rows: u64,
        /// Folds requested.
        k: usize,
    },
    /// A row group decoded to another number of rows than its metadata says.
    #[error("{file}: row group {row_group}: {found} rows decoded, the footer says {expected}")]
    RowCount {
        /// The file.
        file: String,
        /// The row group.
        row_group: usize,
        /// Rows in the footer.
        expected: u64,
        /// Rows decoded.
        found: u64,
    },
    /// The [`StatsSpec`] is inconsistent (fewer than two folds, no features, a column used
    /// twice, ...).
    #[error("invalid specification: {0}")]
    Spec(String),
    /// The statistics of a row group overflow in this precision.
    #[error("{file}: row group {row_group}: {source}")]
    Stats {
        /// The file.
        file: String,
        /// The row group.
        row_group: usize,
        /// The statistics' error.
        source: proxreg_core::Error,
    },
}

/// How rows are assigned to cross-validation folds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Folds {
    /// One block: all rows (`stats` returns one set of statistics).
    None,
    /// `k` contiguous blocks over the global row index (parts in file-name order, rows in file
    /// order): the first `n % k` blocks hold `n / k + 1` rows, the others `n / k`, exactly as
    /// `proxreg_cv::KFold::new(k)` (no shuffle) splits `n` rows in memory. Only meaningful when
    /// the row order is stable.
    Contiguous(usize),
    /// Fold `fold_of_id(id as u64, k)` of an integer id column (a negative id is taken as
    /// its two's-complement `u64`): every row keeps its fold whatever the order or partition
    /// of the files.
    ById {
        /// The integer id column.
        column: String,
        /// Number of folds `k >= 2`.
        k: usize,
    },
}

impl Folds {
    /// The number of fold statistics this assignment yields (1 for [`Folds::None`]).
    pub fn count(&self) -> usize {
        match self {
            Folds::None => 1,
            Folds::Contiguous(k) | Folds::ById { k, .. } => *k,
        }
    }
}

/// What [`ParquetSource::stats`] reads: features, target, optional sample weights, folds and
/// the batch size. Build it with [`StatsSpec::new`] and the setters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatsSpec {
    /// Feature columns in order; `None`: every numeric column except the target, weight and
    /// fold-id columns, in schema order.
    pub features: Option<Vec<String>>,
    /// The target column.
    pub target: String,
    /// The sample-weight column, if any.
    pub weight: Option<String>,
    /// The fold assignment.
    pub folds: Folds,
    /// Rows per decoded record batch (`None`: [`default_batch_size`]).
    pub batch_size: Option<usize>,
}

impl StatsSpec {
    /// The default specification for target column `target`: all other numeric columns as
    /// features, no weights, one block.
    pub fn new(target: impl Into<String>) -> Self {
        Self {
            features: None,
            target: target.into(),
            weight: None,
            folds: Folds::None,
            batch_size: None,
        }
    }

    /// The same with these feature columns (in this order).
    #[must_use]
    pub fn features<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.features = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// The same with a sample-weight column.
    #[must_use]
    pub fn weight(mut self, column: impl Into<String>) -> Self {
        self.weight = Some(column.into());
        self
    }

    /// The same with this fold assignment.
    #[must_use]
    pub fn folds(mut self, folds: Folds) -> Self {
        self.folds = folds;
        self
    }

    /// The same with this many rows per record batch (at least 1).
    #[must_use]
    pub fn batch_size(mut self, rows: usize) -> Self {
        self.batch_size = Some(rows);
        self
    }
}

/// One part file: its footer and where its rows start globally.
#[derive(Debug)]
struct Part {
    path: PathBuf,
    meta: ArrowReaderMetadata,
    /// Global index of the part's first row.
    start: u64,
    /// Rows of each row group.
    group_rows: Vec<u64>,
}

impl Part {
    fn name(&self) -> String {
        self.path.display().to_string()
    }
}

/// A Parquet file or a directory of part files, opened by reading the footers only.
#[derive(Debug)]
pub struct ParquetSource {
    parts: Vec<Part>,
    n_rows: u64,
    columns: Vec<String>,
}

impl ParquetSource {
    /// Opens a `.parquet` file, or a directory whose `*.parquet` files (not recursive, sorted
    /// by file name) are the parts, their rows in that order. Reads the footers only and checks
    /// that every part has all the columns of the first.
    ///
    /// # Errors
    /// [`ParquetError::Io`] when the path cannot be read; [`ParquetError::NoParts`] for a
    /// directory without `*.parquet` files; [`ParquetError::Corrupt`] for a file that is not
    /// Parquet or whose footer is corrupt; [`ParquetError::SchemaMismatch`] for a part that
    /// lacks a column of the first.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, ParquetError> {
        let path = path.as_ref();
        let io = |p: &Path| {
            let path = p.display().to_string();
            move |source| ParquetError::Io { path, source }
        };
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut files = Vec::new();
            for entry in std::fs::read_dir(path).map_err(io(path))? {
                let entry = entry.map_err(io(path))?;
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "parquet") && p.is_file() {
                    files.push(p);
                }
            }
            files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
            if files.is_empty() {
                return Err(ParquetError::NoParts {
                    dir: path.display().to_string(),
                });
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut parts = Vec::with_capacity(files.len());
        let mut start = 0u64;
        for p in files {
            let file = File::open(&p).map_err(io(&p))?;
            let corrupt = |source| ParquetError::Corrupt {
                file: p.display().to_string(),
                source,
            };
            let meta = guarded(&p.display().to_string(), || {
                ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(corrupt)
            })?;
            let mut group_rows = Vec::with_capacity(meta.metadata().num_row_groups());
            for rg in meta.metadata().row_groups() {
                let rows = u64::try_from(rg.num_rows()).map_err(|_| {
                    corrupt(parquet::errors::ParquetError::General(format!(
                        "negative row count {} in a row group",
                        rg.num_rows()
                    )))
                })?;
                group_rows.push(rows);
            }
            // checked: a damaged footer may claim any row counts
            let end = group_rows
                .iter()
                .try_fold(start, |a, &r| a.checked_add(r))
                .ok_or_else(|| {
                    corrupt(parquet::errors::ParquetError::General(
                        "the row counts of the row groups overflow".into(),
                    ))
                })?;
            parts.push(Part {
                path: p,
                meta,
                start,
                group_rows,
            });
            start = end;
        }
        let columns: Vec<String> = parts[0]
            .meta
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        for part in &parts[1..] {
            let schema = part.meta.schema();
            if let Some(c) = columns.iter().find(|c| schema.index_of(c).is_err()) {
                return Err(ParquetError::SchemaMismatch {
                    file: part.name(),
                    column: c.clone(),
                    first: parts[0].name(),
                });
            }
        }
        Ok(Self {
            parts,
            n_rows: start,
            columns,
        })
    }

    /// Total number of rows of all parts (from the footers).
    pub fn n_rows(&self) -> u64 {
        self.n_rows
    }

    /// The column names of the first part's schema (top-level fields), in order.
    pub fn column_names(&self) -> &[String] {
        &self.columns
    }

    /// The part files, in reading order.
    pub fn parts(&self) -> Vec<&Path> {
        self.parts.iter().map(|p| p.path.as_path()).collect()
    }

    /// Total number of row groups (the units of parallel work).
    pub fn n_row_groups(&self) -> usize {
        self.parts.iter().map(|p| p.group_rows.len()).sum()
    }

    /// The feature columns `spec` resolves to, in order (the explicit list, or every numeric
    /// column of the first part except the target, weight and fold-id columns).
    ///
    /// # Errors
    /// [`ParquetError::MissingColumn`] for a named column not in the schema;
    /// [`ParquetError::Spec`] for no features, or a column used twice (as two features, or as
    /// a feature and the target or weight).
    pub fn features(&self, spec: &StatsSpec) -> Result<Vec<String>, ParquetError> {
        let first = &self.parts[0];
        let schema = first.meta.schema();
        let id_col = match &spec.folds {
            Folds::ById { column, .. } => Some(column.as_str()),
            _ => None,
        };
        let mut named: Vec<&str> = vec![spec.target.as_str()];
        named.extend(spec.weight.as_deref());
        named.extend(id_col);
        if let Some(f) = &spec.features {
            named.extend(f.iter().map(String::as_str));
        }
        for c in &named {
            if schema.index_of(c).is_err() {
                return Err(ParquetError::MissingColumn {
                    file: first.name(),
                    column: (*c).to_string(),
                    available: self.columns.join(", "),
                });
            }
        }
        let special: Vec<&str> = [Some(spec.target.as_str()), spec.weight.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if spec.weight.as_deref() == Some(spec.target.as_str()) {
            return Err(ParquetError::Spec(format!(
                "column {:?} is both the target and the weight",
                spec.target
            )));
        }
        let features: Vec<String> = match &spec.features {
            Some(f) => {
                for (i, a) in f.iter().enumerate() {
                    if special.contains(&a.as_str()) {
                        return Err(ParquetError::Spec(format!(
                            "column {a:?} is both a feature and the target or weight"
                        )));
                    }
                    if f[..i].contains(a) {
                        return Err(ParquetError::Spec(format!("feature {a:?} listed twice")));
                    }
                }
                f.clone()
            }
            None => schema
                .fields()
                .iter()
                .filter(|fl| numeric(fl.data_type()))
                .map(|fl| fl.name().clone())
                .filter(|n| !special.contains(&n.as_str()) && Some(n.as_str()) != id_col)
                .collect(),
        };
        if features.is_empty() {
            return Err(ParquetError::Spec("no feature columns".into()));
        }
        Ok(features)
    }

    /// Streams every row group once and returns the statistics of each fold of
    /// `spec.folds` (one for [`Folds::None`]), in precision `T` (`f32` or `f64`). `progress` is
    /// called with the number of rows done after each row group (in order).
    ///
    /// A fold without rows of positive weight gets [`SufficientStats::empty`] statistics (with
    /// its zero-weight rows counted), as [`SufficientStats::by_fold`] does. The result equals
    /// `by_fold` on the same rows in memory to rounding, and is bitwise identical whatever the
    /// number of rayon threads.
    ///
    /// # Errors
    /// Those of [`ParquetSource::features`]; [`ParquetError::Spec`] for fewer than 2 folds or
    /// a batch size of 0; [`ParquetError::TooFewRows`] for more folds than rows;
    /// [`ParquetError::NonNumeric`] for a needed column of another type in any part;
    /// [`ParquetError::UnsupportedCompression`]; [`ParquetError::Null`],
    /// [`ParquetError::NonFinite`], [`ParquetError::BadWeight`] for invalid values (from the
    /// first row group, in reading order, that has one: the same error whatever the number of
    /// threads); [`ParquetError::Io`], [`ParquetError::Corrupt`],
    /// [`ParquetError::Decode`], [`ParquetError::RowCount`] for unreadable data;
    /// [`ParquetError::Stats`] for statistics that overflow in `T`.
    pub fn stats<T: Scalar>(
        &self,
        spec: &StatsSpec,
        progress: impl Fn(u64) + Sync,
    ) -> Result<Vec<SufficientStats<T>>, ParquetError> {
        let plan = self.plan(spec)?;
        let k = spec.folds.count();
        let p = plan.features.len();
        let tasks: Vec<(usize, usize)> = self
            .parts
            .iter()
            .enumerate()
            .flat_map(|(i, part)| (0..part.group_rows.len()).map(move |g| (i, g)))
            .collect();
        let mut acc: Vec<SufficientStats<T>> = (0..k).map(|_| SufficientStats::empty(p)).collect();
        let window = 2 * rayon::current_num_threads().max(1);
        let mut done = 0u64;
        for chunk in tasks.chunks(window) {
            let results: Vec<Result<Vec<SufficientStats<T>>, ParquetError>> = chunk
                .par_iter()
                .map(|&(i, g)| {
                    guarded(&self.parts[i].name(), || {
                        self.row_group::<T>(&plan, spec, i, g)
                    })
                })
                .collect();
            for (r, &(i, g)) in results.into_iter().zip(chunk) {
                let per = r?;
                for (a, b) in acc.iter_mut().zip(&per) {
                    a.merge(b).map_err(|source| ParquetError::Stats {
                        file: self.parts[i].name(),
                        row_group: g,
                        source,
                    })?;
                }
                done += self.parts[i].group_rows[g];
                progress(done);
            }
        }
        Ok(acc)
    }

    /// [`ParquetSource::stats`] with the feature and target names, as a
    /// [`StatsFile`] ready to be written.
    ///
    /// # Errors
    /// As [`ParquetSource::stats`].
    pub fn stats_file<T: Scalar>(
        &self,
        spec: &StatsSpec,
        progress: impl Fn(u64) + Sync,
    ) -> Result<StatsFile<T>, ParquetError> {
        let names = self.features(spec)?;
        Ok(StatsFile::new(self.stats(spec, progress)?)
            .feature_names(names)
            .target_name(spec.target.clone()))
    }

    /// Everything that can be checked from the footers: columns, types, codecs, folds.
    fn plan(&self, spec: &StatsSpec) -> Result<Plan, ParquetError> {
        let features = self.features(spec)?;
        let k = spec.folds.count();
        if !matches!(spec.folds, Folds::None) {
            if k < 2 {
                return Err(ParquetError::Spec(format!("{k} folds (at least 2 needed)")));
            }
            if (k as u64) > self.n_rows {
                return Err(ParquetError::TooFewRows {
                    rows: self.n_rows,
                    k,
                });
            }
        }
        if spec.batch_size == Some(0) {
            return Err(ParquetError::Spec("a batch size of 0 rows".into()));
        }
        let id_col = match &spec.folds {
            Folds::ById { column, .. } => Some(column.clone()),
            _ => None,
        };
        let mut needed: Vec<(String, Role)> =
            features.iter().map(|f| (f.clone(), Role::Value)).collect();
        needed.push((spec.target.clone(), Role::Value));
        if let Some(w) = &spec.weight {
            needed.push((w.clone(), Role::Value));
        }
        if let Some(c) = &id_col {
            needed.push((c.clone(), Role::Id));
        }
        for part in &self.parts {
            let schema = part.meta.schema();
            let mut roots = Vec::new();
            for (name, role) in &needed {
                let idx = schema
                    .index_of(name)
                    .map_err(|_| ParquetError::SchemaMismatch {
                        file: part.name(),
                        column: name.clone(),
                        first: self.parts[0].name(),
                    })?;
                let dt = schema.field(idx).data_type();
                let ok = match role {
                    Role::Value => numeric(dt),
                    Role::Id => integer(dt),
                };
                if !ok {
                    return Err(ParquetError::NonNumeric {
                        file: part.name(),
                        column: name.clone(),
                        data_type: dt.to_string(),
                        expected: match role {
                            Role::Value => "a numeric type (float, integer or boolean)",
                            Role::Id => "an integer type (fold ids)",
                        },
                    });
                }
                roots.push(idx);
            }
            let descr = part.meta.parquet_schema();
            for (g, rg) in part.meta.metadata().row_groups().iter().enumerate() {
                for (leaf, cc) in rg.columns().iter().enumerate() {
                    if leaf >= descr.num_columns()
                        || !roots.contains(&descr.get_column_root_idx(leaf))
                    {
                        continue;
                    }
                    let codec = cc.compression();
                    let supported = matches!(
                        codec,
                        Compression::UNCOMPRESSED
                            | Compression::SNAPPY
                            | Compression::ZSTD(_)
                            | Compression::LZ4
                            | Compression::LZ4_RAW
                    );
                    if !supported {
                        return Err(ParquetError::UnsupportedCompression {
                            file: part.name(),
                            row_group: g,
                            column: cc.column_path().string(),
                            codec: codec.to_string(),
                        });
                    }
                }
            }
        }
        let batch_size = spec
            .batch_size
            .unwrap_or_else(|| default_batch_size(features.len()));
        Ok(Plan {
            features,
            id_col,
            batch_size,
        })
    }

    /// The per-fold statistics of one row group (sequential arithmetic).
    fn row_group<T: Scalar>(
        &self,
        plan: &Plan,
        spec: &StatsSpec,
        part_idx: usize,
        g: usize,
    ) -> Result<Vec<SufficientStats<T>>, ParquetError> {
        let part = &self.parts[part_idx];
        let fname = part.name();
        let k = spec.folds.count();
        let p = plan.features.len();
        let schema = part.meta.schema();
        let mut roots: Vec<usize> = Vec::with_capacity(p + 3);
        for c in plan
            .features
            .iter()
            .chain(std::iter::once(&spec.target))
            .chain(spec.weight.iter())
            .chain(plan.id_col.iter())
        {
            // checked in `plan`
            let idx = schema.index_of(c).map_err(|e| ParquetError::Decode {
                file: fname.clone(),
                row_group: g,
                reason: e.to_string(),
            })?;
            roots.push(idx);
        }
        let file = File::open(&part.path).map_err(|source| ParquetError::Io {
            path: fname.clone(),
            source,
        })?;
        let mask = ProjectionMask::roots(part.meta.parquet_schema(), roots);
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, part.meta.clone())
            .with_row_groups(vec![g])
            .with_projection(mask)
            .with_batch_size(plan.batch_size)
            .build()
            .map_err(|source| ParquetError::Corrupt {
                file: fname.clone(),
                source,
            })?;
        let group_start: u64 = part.group_rows[..g].iter().sum();
        let mut acc: Vec<SufficientStats<T>> = (0..k).map(|_| SufficientStats::empty(p)).collect();
        let mut read = 0u64;
        let mut scratch = Scratch {
            x: Vec::new(),
            y: Vec::new(),
            w: Vec::new(),
            yb: Vec::new(),
        };
        let ctx = Ctx {
            file: &fname,
            row_group: g,
        };
        for batch in reader {
            let batch = batch.map_err(|e| ParquetError::Decode {
                file: fname.clone(),
                row_group: g,
                reason: e.to_string(),
            })?;
            let first_row = group_start + read;
            let global = part.start + first_row;
            self.batch(
                &ctx,
                plan,
                spec,
                &batch,
                first_row,
                global,
                &mut acc,
                &mut scratch,
            )?;
            read += batch.num_rows() as u64;
        }
        if read != part.group_rows[g] {
            return Err(ParquetError::RowCount {
                file: fname,
                row_group: g,
                expected: part.group_rows[g],
                found: read,
            });
        }
        Ok(acc)
    }

    /// Adds the rows of one record batch to the per-fold accumulators.
    #[allow(clippy::too_many_arguments)]
    fn batch<T: Scalar>(
        &self,
        ctx: &Ctx<'_>,
        plan: &Plan,
        spec: &StatsSpec,
        batch: &RecordBatch,
        first_row: u64,
        global: u64,
        acc: &mut [SufficientStats<T>],
        scratch: &mut Scratch<T>,
    ) -> Result<(), ParquetError> {
        let len = batch.num_rows();
        if len == 0 {
            return Ok(());
        }
        let col = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| ParquetError::Decode {
                    file: ctx.file.to_string(),
                    row_group: ctx.row_group,
                    reason: format!("column {name:?} missing from the decoded batch"),
                })
        };
        let all = Sel::Range(0..len);
        let Scratch { x: xbuf, y, w, yb } = scratch;
        y.clear();
        convert(
            ctx,
            &spec.target,
            col(&spec.target)?.as_ref(),
            &all,
            first_row,
            y,
        )?;
        let w = match &spec.weight {
            Some(name) => {
                w.clear();
                convert(ctx, name, col(name)?.as_ref(), &all, first_row, w).map_err(
                    |e| match e {
                        ParquetError::NonFinite {
                            file,
                            row_group,
                            column,
                            row,
                            value,
                        } => ParquetError::BadWeight {
                            file,
                            row_group,
                            column,
                            row,
                            value,
                        },
                        e => e,
                    },
                )?;
                if let Some(i) = w.iter().position(|v| *v < T::zero()) {
                    return Err(ParquetError::BadWeight {
                        file: ctx.file.to_string(),
                        row_group: ctx.row_group,
                        column: name.clone(),
                        row: first_row + i as u64,
                        value: w[i].as_f64(),
                    });
                }
                Some(&w[..])
            }
            None => None,
        };
        let groups: Vec<(usize, Sel)> = match &spec.folds {
            Folds::None => vec![(0, all)],
            Folds::Contiguous(k) => contiguous_segments(self.n_rows, *k, global, len),
            Folds::ById { column, k } => {
                let ids = col(column)?;
                let folds = fold_ids(ctx, column, ids.as_ref(), first_row, *k)?;
                let mut rows: Vec<Vec<usize>> = vec![Vec::new(); *k];
                for (i, f) in folds.into_iter().enumerate() {
                    rows[f].push(i);
                }
                rows.into_iter()
                    .enumerate()
                    .filter(|(_, r)| !r.is_empty())
                    .map(|(f, r)| (f, Sel::Rows(r)))
                    .collect()
            }
        };
        let feature_cols: Vec<Arc<dyn Array>> = plan
            .features
            .iter()
            .map(|f| col(f).cloned())
            .collect::<Result<_, _>>()?;
        let p = plan.features.len();
        for (f, sel) in groups {
            let n = sel.len();
            // the chunk goes into the reused buffer (no zeroing, no fresh pages per batch)
            let mut data = std::mem::take(xbuf);
            data.clear();
            for (j, c) in feature_cols.iter().enumerate() {
                convert(
                    ctx,
                    &plan.features[j],
                    c.as_ref(),
                    &sel,
                    first_row,
                    &mut data,
                )?;
            }
            let stats_err = |source| ParquetError::Stats {
                file: ctx.file.to_string(),
                row_group: ctx.row_group,
                source,
            };
            let mut x = ColMajor::new(data, n, p).map_err(stats_err)?;
            yb.clear();
            sel.gather_into(y, yb);
            let wb = w.map(|w| match &sel {
                Sel::Range(r) => std::borrow::Cow::Borrowed(&w[r.clone()]),
                Sel::Rows(r) => std::borrow::Cow::Owned(r.iter().map(|&i| w[i]).collect()),
            });
            let positive = wb.as_ref().is_none_or(|w| w.iter().any(|&v| v > T::zero()));
            let s = if positive {
                SufficientStats::from_batch_scratch(&mut x, yb, wb.as_deref()).map_err(stats_err)?
            } else {
                // rows of zero weight only: counted, nothing else (as `by_fold`)
                let zeros = vec![0usize; n];
                SufficientStats::by_fold(&x, yb, wb.as_deref(), &zeros, 1)
                    .map_err(stats_err)?
                    .swap_remove(0)
            };
            *xbuf = x.into_vec();
            acc[f].merge(&s).map_err(stats_err)?;
        }
        Ok(())
    }
}

/// The default rows per record batch for `n_features` features: about `2^18` values (2 MB in
/// `f64`) per batch, between 1024 and 16384 rows. Larger batches were slower in the
/// benchmark (`examples/parquet_stats.rs`, 2e6 rows × 20 features: 43690-row batches took
/// 1.8× as long as 16384-row ones; the chunk then no longer stays in cache between passes).
pub fn default_batch_size(n_features: usize) -> usize {
    ((1usize << 18) / (n_features + 2)).clamp(1024, 16384)
}

/// Runs `f`, turning a panic of the Parquet decoder on malformed bytes (a bug of that crate,
/// but possible) into a [`ParquetError::Corrupt`] error instead of unwinding into the caller.
fn guarded<R>(file: &str, f: impl FnOnce() -> Result<R, ParquetError>) -> Result<R, ParquetError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(ParquetError::Corrupt {
            file: file.to_string(),
            source: parquet::errors::ParquetError::General(
                "the Parquet decoder panicked on this file's bytes".into(),
            ),
        })
    })
}

/// The resolved reading plan.
struct Plan {
    features: Vec<String>,
    id_col: Option<String>,
    batch_size: usize,
}

/// Buffers reused from batch to batch within a row group.
struct Scratch<T> {
    /// The column-major feature chunk.
    x: Vec<T>,
    /// The batch's target and weights.
    y: Vec<T>,
    w: Vec<T>,
    /// The target of one fold's rows of the batch.
    yb: Vec<T>,
}

/// Where a batch comes from (for error messages).
struct Ctx<'a> {
    file: &'a str,
    row_group: usize,
}

#[derive(Clone, Copy)]
enum Role {
    Value,
    Id,
}

/// Rows of a batch: a contiguous range or a list.
enum Sel {
    Range(Range<usize>),
    Rows(Vec<usize>),
}

impl Sel {
    fn len(&self) -> usize {
        match self {
            Sel::Range(r) => r.len(),
            Sel::Rows(r) => r.len(),
        }
    }

    /// The batch row of the `i`-th selected row.
    fn row(&self, i: usize) -> usize {
        match self {
            Sel::Range(r) => r.start + i,
            Sel::Rows(r) => r[i],
        }
    }

    fn gather_into<T: Copy>(&self, v: &[T], out: &mut Vec<T>) {
        match self {
            Sel::Range(r) => out.extend_from_slice(&v[r.clone()]),
            Sel::Rows(r) => out.extend(r.iter().map(|&i| v[i])),
        }
    }
}

/// The contiguous KFold blocks of `n` rows cut by a batch of global rows
/// `global .. global + len`: `(fold, batch rows)` in order.
fn contiguous_segments(n: u64, k: usize, global: u64, len: usize) -> Vec<(usize, Sel)> {
    let k64 = k as u64;
    let (base, extra) = (n / k64, n % k64);
    // fold f starts at f·base + min(f, extra)
    let start_of = |f: u64| f * base + f.min(extra);
    let fold_of = |g: u64| {
        let big = extra * (base + 1);
        if g < big {
            g / (base + 1)
        } else {
            extra + (g - big) / base.max(1)
        }
    };
    let mut out = Vec::new();
    let end = global + len as u64;
    let mut g = global;
    while g < end {
        let f = fold_of(g).min(k64 - 1);
        let stop = start_of(f + 1).min(end);
        let stop = stop.max(g + 1);
        out.push((
            f as usize,
            Sel::Range((g - global) as usize..(stop - global) as usize),
        ));
        g = stop;
    }
    out
}

/// Whether a column of this type can be a feature, target or weight.
fn numeric(dt: &DataType) -> bool {
    integer(dt)
        || matches!(
            dt,
            DataType::Float32 | DataType::Float64 | DataType::Boolean
        )
}

/// Whether a column of this type can hold fold ids.
fn integer(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
    )
}

fn null_error(ctx: &Ctx<'_>, column: &str, arr: &dyn Array, first_row: u64) -> ParquetError {
    let i = (0..arr.len()).find(|&i| arr.is_null(i)).unwrap_or(0);
    ParquetError::Null {
        file: ctx.file.to_string(),
        row_group: ctx.row_group,
        column: column.to_string(),
        row: first_row + i as u64,
    }
}

/// Appends the selected rows of a numeric column to `out` (`sel.len()` values), checking for
/// nulls and non-finite values.
fn convert<T: Scalar>(
    ctx: &Ctx<'_>,
    column: &str,
    arr: &dyn Array,
    sel: &Sel,
    first_row: u64,
    out: &mut Vec<T>,
) -> Result<(), ParquetError> {
    if arr.null_count() > 0 {
        return Err(null_error(ctx, column, arr, first_row));
    }
    fn prim<A: ArrowPrimitiveType, T: Scalar>(
        arr: &dyn Array,
        sel: &Sel,
        out: &mut Vec<T>,
        f: impl Fn(A::Native) -> f64,
    ) {
        let v = arr.as_primitive::<A>().values();
        match sel {
            Sel::Range(r) => out.extend(v[r.clone()].iter().map(|&a| T::lit(f(a)))),
            Sel::Rows(r) => out.extend(r.iter().map(|&i| T::lit(f(v[i])))),
        }
    }
    let start = out.len();
    match arr.data_type() {
        DataType::Float64 => prim::<Float64Type, T>(arr, sel, out, |a| a),
        DataType::Float32 => prim::<Float32Type, T>(arr, sel, out, f64::from),
        DataType::Int8 => prim::<Int8Type, T>(arr, sel, out, f64::from),
        DataType::Int16 => prim::<Int16Type, T>(arr, sel, out, f64::from),
        DataType::Int32 => prim::<Int32Type, T>(arr, sel, out, f64::from),
        DataType::Int64 => prim::<Int64Type, T>(arr, sel, out, |a| a as f64),
        DataType::UInt8 => prim::<UInt8Type, T>(arr, sel, out, f64::from),
        DataType::UInt16 => prim::<UInt16Type, T>(arr, sel, out, f64::from),
        DataType::UInt32 => prim::<UInt32Type, T>(arr, sel, out, f64::from),
        DataType::UInt64 => prim::<UInt64Type, T>(arr, sel, out, |a| a as f64),
        DataType::Boolean => {
            let b = arr.as_boolean();
            out.extend((0..sel.len()).map(|i| {
                if b.value(sel.row(i)) {
                    T::one()
                } else {
                    T::zero()
                }
            }));
        }
        dt => {
            return Err(ParquetError::NonNumeric {
                file: ctx.file.to_string(),
                column: column.to_string(),
                data_type: dt.to_string(),
                expected: "a numeric type (float, integer or boolean)",
            })
        }
    }
    if let Some(i) = out[start..].iter().position(|v| !v.is_finite()) {
        return Err(ParquetError::NonFinite {
            file: ctx.file.to_string(),
            row_group: ctx.row_group,
            column: column.to_string(),
            row: first_row + sel.row(i) as u64,
            value: out[start + i].as_f64(),
        });
    }
    Ok(())
}

/// The fold of every row of a batch from its integer id column.
fn fold_ids(
    ctx: &Ctx<'_>,
    column: &str,
    arr: &dyn Array,
    first_row: u64,
    k: usize,
) -> Result<Vec<usize>, ParquetError> {
    if arr.null_count() > 0 {
        return Err(null_error(ctx, column, arr, first_row));
    }
    fn ids<A: ArrowPrimitiveType>(
        arr: &dyn Array,
        k: usize,
        f: impl Fn(A::Native) -> u64,
    ) -> Vec<usize> {
        arr.as_primitive::<A>()
            .values()
            .iter()
            .map(|&a| fold_of_id(f(a), k))
            .collect()
    }
    Ok(match arr.data_type() {
        DataType::Int8 => ids::<Int8Type>(arr, k, |a| a as u64),
        DataType::Int16 => ids::<Int16Type>(arr, k, |a| a as u64),
        DataType::Int32 => ids::<Int32Type>(arr, k, |a| a as u64),
        DataType::Int64 => ids::<Int64Type>(arr, k, |a| a as u64),
        DataType::UInt8 => ids::<UInt8Type>(arr, k, u64::from),
        DataType::UInt16 => ids::<UInt16Type>(arr, k, u64::from),
        DataType::UInt32 => ids::<UInt32Type>(arr, k, u64::from),
        DataType::UInt64 => ids::<UInt64Type>(arr, k, |a| a),
        dt => {
            return Err(ParquetError::NonNumeric {
                file: ctx.file.to_string(),
                column: column.to_string(),
                data_type: dt.to_string(),
                expected: "an integer type (fold ids)",
            })
        }
    })
}
