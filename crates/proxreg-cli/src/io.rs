//! Readers for the data the tool accepts: CSV with a header, `.npy` arrays, and svmlight /
//! libsvm sparse text (`.svm`, `.svmlight`, `.libsvm`).
//!
//! Every error is a [`DataError`] naming the file, and the line and column when the problem is
//! in one cell. The entry points taking bytes ([`parse_csv`], [`parse_npy`], [`parse_svmlight`])
//! never panic, whatever the bytes (they are fuzzed: `fuzz/fuzz_targets/csv.rs`, `npy.rs`,
//! `svmlight.rs`).
//!
//! svmlight files are read into a sparse CSC matrix ([`proxreg::linalg::CscMatrix`] with 32-bit
//! indices) that goes to the estimators as it is: nothing in the tool densifies
//! it (a [`Design`] is dense or sparse, and every command is generic over the two).
//!
//! What the CSV reader accepts, deliberately:
//! - a UTF-8 byte-order mark at the start of the file (skipped);
//! - `\n` or `\r\n` line ends (also mixed);
//! - spaces and tabs around a number or a header name (`" 1.5 "` is 1.5): many tools write
//!   `1, 2, 3`, and nothing else could be meant; whitespace *inside* a number is an error;
//! - quoted cells (`"1.5"`), as the `csv` crate reads them;
//! - blank lines (skipped).
//!
//! What it rejects: a file with no header, a header with no data row, an empty or duplicate
//! column name, rows with a different number of cells than the header, cells that are not a
//! decimal number (empty cells included: missing values are not supported), `NaN`, `inf` and
//! numbers that overflow `f64` (`1e400`), and bytes that are not UTF-8.

use std::fmt;
use std::path::Path;

/// What is wrong (the "what" of a [`DataError`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    Read(String),
    /// The file holds no bytes (or only a byte-order mark / blank lines).
    Empty,
    /// A header but no data row.
    HeaderOnly,
    /// A header cell that is empty.
    EmptyName,
    /// Two header cells with the same name.
    DuplicateColumn {
        /// The name.
        name: String,
        /// Its first column (1-based).
        first: usize,
    },
    /// A row with a different number of cells than the header.
    Ragged {
        /// Cells in the header.
        expected: usize,
        /// Cells in this row.
        found: usize,
    },
    /// A cell that is not a decimal number.
    NotNumeric {
        /// The cell's text.
        cell: String,
    },
    /// `NaN` or an infinity written out.
    NonFinite {
        /// The cell's text.
        cell: String,
    },
    /// A number too large for `f64`.
    Overflow {
        /// The cell's text.
        cell: String,
    },
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// A malformed CSV record (as reported by the `csv` crate).
    Csv(String),
    /// A malformed `.npy` file.
    Npy(String),
    /// A column asked for that is not in the header.
    MissingColumn {
        /// The name asked for.
        name: String,
        /// The header's names.
        available: Vec<String>,
    },
    /// A column asked for twice (as a target, a feature or the weights).
    ColumnTwice {
        /// The name.
        name: String,
    },
    /// The shapes of the arrays do not fit together.
    Shape(String),
    /// A model file that is not valid JSON or not of the expected form.
    Json(String),
    /// A model file that is valid JSON but unusable (version, lengths, values, features).
    Model(String),
    /// A malformed svmlight / libsvm file (the line and column are in the [`DataError`]).
    Svmlight(proxreg_io::svmlight::ErrorKind),
    /// A value out of the range its role allows (a negative count for `--family poisson`, an
    /// exposure that is not positive).
    OutOfRange(String),
    /// Sparse data with more stored entries or rows than its 32-bit indices can number.
    SparseTooLarge {
        /// Stored entries.
        nnz: usize,
        /// Rows.
        nrows: usize,
        /// The largest number of either.
        max: usize,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(m) => write!(f, "cannot read the file: {m}"),
            Self::Empty => write!(f, "the file is empty (a header line is required)"),
            Self::HeaderOnly => write!(f, "the file has a header but no data rows"),
            Self::EmptyName => write!(f, "empty column name in the header"),
            Self::DuplicateColumn { name, first } => write!(
                f,
                "duplicate column name {name:?} in the header (also column {first})"
            ),
            Self::Ragged { expected, found } => write!(
                f,
                "row has {found} cells, the header has {expected} (ragged row)"
            ),
            Self::NotNumeric { cell } => write!(f, "not a number: {cell:?}"),
            Self::NonFinite { cell } => {
                write!(
                    f,
                    "not a finite number: {cell:?} (NaN and infinities are not accepted)"
                )
            }
            Self::Overflow { cell } => write!(f, "number overflows f64: {cell:?}"),
            Self::NotUtf8 => write!(f, "invalid UTF-8 bytes"),
            Self::Csv(m) => write!(f, "malformed CSV: {m}"),
            Self::Npy(m) => write!(f, "malformed .npy file: {m}"),
            Self::MissingColumn { name, available } => write!(
                f,
                "no column named {name:?} (the header has: {})",
                available.join(", ")
            ),
            Self::ColumnTwice { name } => write!(f, "column {name:?} is selected twice"),
            Self::Shape(m) => write!(f, "{m}"),
            Self::Json(m) => write!(f, "invalid model file: {m}"),
            Self::Model(m) => write!(f, "unusable model file: {m}"),
            Self::Svmlight(k) => write!(f, "{k}"),
            Self::OutOfRange(m) => write!(f, "{m}"),
            Self::SparseTooLarge { nnz, nrows, max } => write!(
                f,
                "{nnz} stored entries in {nrows} rows: the sparse matrix's 32-bit indices \
                 number at most {max} of either"
            ),
        }
    }
}

/// A problem with an input file: where (file, 1-based line and column when known) and what.
///
/// Displayed as `file:line:column: what` (or `file:line: what`, `file: what`).
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// The file (`<embedded diabetes.csv>` for the embedded data).
    pub file: String,
    /// 1-based line.
    pub line: Option<u64>,
    /// 1-based column (the cell's position in its row, counted in cells).
    pub column: Option<usize>,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        } else if let Some(c) = self.column {
            write!(f, ": column {c}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for DataError {}

impl DataError {
    pub(crate) fn new(
        file: &str,
        line: Option<u64>,
        column: Option<usize>,
        kind: ErrorKind,
    ) -> Self {
        Self {
            file: file.to_string(),
            line,
            column,
            kind,
        }
    }
}

/// Options of [`parse_csv`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// The cell delimiter (default `b','`).
    pub delimiter: u8,
    /// The file name used in error messages.
    pub file: String,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: b',',
            file: "<input>".to_string(),
        }
    }
}

/// A numeric table: named columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Where it came from (for messages).
    pub file: String,
    /// Column names, in file order.
    pub names: Vec<String>,
    /// The columns (each `nrows` long).
    pub columns: Vec<Vec<f64>>,
    /// The file line of each row (1-based), for messages.
    pub lines: Vec<u64>,
}

impl Table {
    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// The index of column `name`.
    ///
    /// # Errors
    /// [`ErrorKind::MissingColumn`].
    pub(crate) fn index(&self, name: &str) -> Result<usize, DataError> {
        self.names.iter().position(|n| n == name).ok_or_else(|| {
            DataError::new(
                &self.file,
                Some(1),
                None,
                ErrorKind::MissingColumn {
                    name: name.to_string(),
                    available: self.names.clone(),
                },
            )
        })
    }
}

/// Parses a numeric value the way the CSV reader does: surrounding spaces/tabs trimmed, then a
/// finite decimal `f64`. Returns the kind of error otherwise.
///
/// # Errors
/// [`ErrorKind::NotNumeric`], [`ErrorKind::NonFinite`], [`ErrorKind::Overflow`].
#[doc(hidden)] // public for the integration tests (`tests/commands/internals.rs`)
pub fn parse_number(text: &str) -> Result<f64, ErrorKind> {
    let t = text.trim_matches(|c| c == ' ' || c == '\t');
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if body.starts_with("nan") || body.starts_with("inf") {
        return Err(ErrorKind::NonFinite {
            cell: text.to_string(),
        });
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(ErrorKind::Overflow {
            cell: text.to_string(),
        }),
        Err(_) => Err(ErrorKind::NotNumeric {
            cell: text.to_string(),
        }),
    }
}

/// Parses the bytes of a CSV file with a header line into a numeric [`Table`].
///
/// ```
/// use proxreg_cli::io::{parse_csv, CsvOptions};
/// let t = parse_csv(b"a,b\n1,2\n3, 4\n", &CsvOptions::default())?;
/// assert_eq!(t.names, ["a", "b"]);
/// assert_eq!(t.columns[1], [2.0, 4.0]);
/// let err = parse_csv(b"a,b\n1,x\n", &CsvOptions::default()).unwrap_err();
/// assert_eq!((err.line, err.column), (Some(2), Some(2)));
/// # Ok::<(), proxreg_cli::io::DataError>(())
/// ```
///
/// # Errors
/// A [`DataError`] for every case listed in the [module documentation](self).
pub fn parse_csv(bytes: &[u8], opts: &CsvOptions) -> Result<Table, DataError> {
    let file = opts.file.as_str();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(opts.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = rdr.byte_records();
    let record = |records: &mut csv::ByteRecordsIter<'_, &[u8]>| -> Result<
        Option<(u64, Vec<String>)>,
        DataError,
    > {
        match records.next() {
            None => Ok(None),
            Some(Err(e)) => {
                let line = e.position().map(csv::Position::line);
                let kind = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => ErrorKind::NotUtf8,
                    _ => ErrorKind::Csv(e.to_string()),
                };
                Err(DataError::new(file, line, None, kind))
            }
            Some(Ok(r)) => {
                let line = r.position().map_or(0, csv::Position::line);
                let mut cells = Vec::with_capacity(r.len());
                for (j, raw) in r.iter().enumerate() {
                    let s = std::str::from_utf8(raw).map_err(|_| {
                        DataError::new(file, Some(line), Some(j + 1), ErrorKind::NotUtf8)
                    })?;
                    cells.push(s.to_string());
                }
                Ok(Some((line, cells)))
            }
        }
    };
    let Some((hline, header)) = record(&mut records)? else {
        return Err(DataError::new(file, None, None, ErrorKind::Empty));
    };
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (j, h) in header.iter().enumerate() {
        let name = h.trim_matches(|c| c == ' ' || c == '\t').to_string();
        if name.is_empty() {
            return Err(DataError::new(
                file,
                Some(hline),
                Some(j + 1),
                ErrorKind::EmptyName,
            ));
        }
        if let Some(first) = names.iter().position(|n| *n == name) {
            return Err(DataError::new(
                file,
                Some(hline),
                Some(j + 1),
                ErrorKind::DuplicateColumn {
                    name,
                    first: first + 1,
                },
            ));
        }
        names.push(name);
    }
    let p = names.len();
    let mut columns = vec![Vec::new(); p];
    let mut lines = Vec::new();
    while let Some((line, cells)) = record(&mut records)? {
        if cells.len() != p {
            let column = cells.len().min(p) + 1;
            return Err(DataError::new(
                file,
                Some(line),
                Some(column),
                ErrorKind::Ragged {
                    expected: p,
                    found: cells.len(),
                },
            ));
        }
        for (j, cell) in cells.iter().enumerate() {
            let v = parse_number(cell)
                .map_err(|kind| DataError::new(file, Some(line), Some(j + 1), kind))?;
            columns[j].push(v);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(DataError::new(
            file,
            Some(hline),
            None,
            ErrorKind::HeaderOnly,
        ));
    }
    Ok(Table {
        file: file.to_string(),
        names,
        columns,
        lines,
    })
}

/// An `f64` array from a `.npy` file: `shape` (`[n]` or `[rows, cols]`) and the data in
/// column-major order.
pub type NpyArray = proxreg_io::npy::Array;

/// Parses the bytes of a `.npy` file (little-endian `float64`, 1-D or 2-D, C or Fortran order)
/// and checks every value is finite.
///
/// ```
/// use proxreg_cli::io::parse_npy;
/// assert!(parse_npy(b"not numpy", "x.npy").is_err());
/// ```
///
/// # Errors
/// [`ErrorKind::Npy`] for a malformed file; [`ErrorKind::NonFinite`] naming the row (as the
/// "line") and column of the first NaN or infinity.
pub fn parse_npy(bytes: &[u8], file: &str) -> Result<NpyArray, DataError> {
    let a = proxreg_io::npy::parse(bytes)
        .map_err(|e| DataError::new(file, None, None, ErrorKind::Npy(e.to_string())))?;
    let n = a.nrows();
    if let Some(i) = a.data.iter().position(|v| !v.is_finite()) {
        let (row, col) = if n == 0 { (0, 0) } else { (i % n, i / n) };
        return Err(DataError::new(
            file,
            Some(row as u64 + 1),
            Some(col + 1),
            ErrorKind::NonFinite {
                cell: a.data[i].to_string(),
            },
        ));
    }
    Ok(a)
}

/// Whether `p` names an svmlight / libsvm file (extension `svm`, `svmlight` or `libsvm`,
/// any case).
pub fn is_svmlight(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["svm", "svmlight", "libsvm"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Whether `p` names Parquet data: a file with the extension `parquet` (any case) or a
/// directory (of Parquet part files).
pub fn is_parquet(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
        || p.is_dir()
}

/// Parses the bytes of an svmlight / libsvm file into CSC arrays and labels (see
/// [`proxreg_io::svmlight`]); `n_features` fixes the number of columns.
///
/// ```
/// use proxreg_cli::io::parse_svmlight;
/// use proxreg_io::svmlight::ZeroBased;
/// let d = parse_svmlight(b"1 1:2.5\n0 2:1\n", "a.svm", ZeroBased::Auto, None)?;
/// assert_eq!((d.nrows, d.ncols), (2, 2));
/// let err = parse_svmlight(b"1 2:1 1:1\n", "a.svm", ZeroBased::Auto, None).unwrap_err();
/// assert_eq!((err.line, err.column), (Some(1), Some(7)));
/// # Ok::<(), proxreg_cli::io::DataError>(())
/// ```
///
/// # Errors
/// [`ErrorKind::Svmlight`] with the line and column of the offending token.
pub fn parse_svmlight(
    bytes: &[u8],
    file: &str,
    zero_based: proxreg_io::svmlight::ZeroBased,
    n_features: Option<usize>,
) -> Result<proxreg_io::svmlight::SvmlightData, DataError> {
    let opts = proxreg_io::svmlight::SvmlightOptions {
        zero_based,
        n_features,
        file: file.to_string(),
        ..Default::default()
    };
    proxreg_io::svmlight::parse(bytes, &opts).map_err(svmlight_error)
}

fn svmlight_error(e: proxreg_io::svmlight::SvmlightError) -> DataError {
    DataError {
        file: e.file,
        line: e.line,
        column: e.column,
        kind: ErrorKind::Svmlight(e.kind),
    }
}

/// A design matrix as the tool hands it to the estimators: dense column-major (CSV, `.npy`,
/// the embedded data) or sparse CSC (svmlight). Every command reaches the matrix through
/// `on_design!`, which runs the same generic code on whichever it is; nothing
/// in the tool converts one into the other.
///
/// Sparse matrices store their indices as `u32`: 12 bytes per stored entry instead of 16, the
/// width SciPy uses, up to 2³² − 1 stored entries and rows (about 50 GB of matrix; beyond,
/// [`ErrorKind::SparseTooLarge`]). A second, `usize`-indexed variant would lift that limit at
/// the price of a third copy of every estimator in the binary (measured: the release build of
/// this crate took 293 s with three designs, 124 s with two, 54 s dense only).
#[derive(Debug, Clone, PartialEq)]
pub enum Design {
    /// Dense, column-major.
    Dense(proxreg::linalg::ColMajor<f64>),
    /// Sparse CSC with 32-bit indices.
    Sparse(proxreg::linalg::CscMatrix<f64, u32>),
}

/// Runs `$body` with `$x` bound to the matrix inside a [`Design`] (`&ColMajor<f64>` or
/// `&CscMatrix<f64, _>`): the one dispatch from the dense-or-sparse design to the library's
/// generic estimators.
macro_rules! on_design {
    ($design:expr, |$x:ident| $body:expr) => {
        match $design {
            $crate::io::Design::Dense($x) => $body,
            $crate::io::Design::Sparse($x) => $body,
        }
    };
}
pub(crate) use on_design;

impl Design {
    /// Rows.
    pub fn nrows(&self) -> usize {
        on_design!(self, |x| x.nrows())
    }
    /// Columns.
    pub fn ncols(&self) -> usize {
        on_design!(self, |x| x.ncols())
    }
    /// Whether the matrix is sparse.
    pub fn is_sparse(&self) -> bool {
        !matches!(self, Self::Dense(_))
    }
    /// The rows `rows`, in that order, in the same storage (a sparse matrix stays sparse).
    ///
    /// # Errors
    /// The library's error for a row index out of range.
    pub fn select_rows(&self, rows: &[usize]) -> proxreg::linalg::Result<Self> {
        use proxreg::linalg::DesignMatrix;
        Ok(match self {
            Self::Dense(x) => Self::Dense(x.select_rows(rows)?),
            Self::Sparse(x) => Self::Sparse(x.select_rows(rows)?),
        })
    }
}

/// svmlight data as a validated sparse [`Design`] (32-bit indices) and its labels; an empty
/// matrix is refused, and so is one with more than `max_u32` stored entries or rows (the
/// callers pass `u32::MAX`; tests a smaller limit).
///
/// # Errors
/// [`ErrorKind::Empty`] (no rows or no columns), [`ErrorKind::SparseTooLarge`],
/// [`ErrorKind::Shape`] if the arrays are not a valid CSC (never for the reader's output).
#[doc(hidden)] // public for the integration tests (`tests/commands/internals.rs`)
pub fn sparse_design(
    d: proxreg_io::svmlight::SvmlightData,
    file: &str,
    max_u32: usize,
) -> Result<(Design, Vec<f64>), DataError> {
    let err = |kind| DataError::new(file, None, None, kind);
    if d.nrows == 0 || d.ncols == 0 {
        return Err(err(ErrorKind::Empty));
    }
    let max = max_u32.min(u32::MAX as usize);
    let too_large = || {
        err(ErrorKind::SparseTooLarge {
            nnz: d.values.len(),
            nrows: d.nrows,
            max,
        })
    };
    // col_ptr entries are at most nnz and row indices below nrows: both checked here
    if d.values.len() > max || d.nrows > max {
        return Err(too_large());
    }
    let narrow =
        |v: &[usize]| -> Option<Vec<u32>> { v.iter().map(|&i| u32::try_from(i).ok()).collect() };
    let (Some(col_ptr), Some(row_idx)) = (narrow(&d.col_ptr), narrow(&d.row_idx)) else {
        return Err(too_large());
    };
    let x = proxreg::linalg::CscMatrix::new(d.nrows, d.ncols, col_ptr, row_idx, d.values)
        .map_err(|e| err(ErrorKind::Shape(e.to_string())))?;
    Ok((Design::Sparse(x), d.labels))
}

/// Reads an svmlight file (see [`parse_svmlight`]).
///
/// # Errors
/// As [`read_file`] and [`parse_svmlight`].
pub(crate) fn read_svmlight(
    path: &Path,
    zero_based: proxreg_io::svmlight::ZeroBased,
    n_features: Option<usize>,
) -> Result<proxreg_io::svmlight::SvmlightData, DataError> {
    let bytes = read_file(path)?;
    parse_svmlight(&bytes, &path.display().to_string(), zero_based, n_features)
}

/// Reads a whole file.
///
/// # Errors
/// [`ErrorKind::Read`].
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, DataError> {
    std::fs::read(path).map_err(|e| {
        DataError::new(
            &path.display().to_string(),
            None,
            None,
            ErrorKind::Read(e.to_string()),
        )
    })
}

/// Reads a CSV file (see [`parse_csv`]).
///
/// # Errors
/// As [`read_file`] and [`parse_csv`].
pub(crate) fn read_csv(path: &Path, delimiter: u8) -> Result<Table, DataError> {
    let bytes = read_file(path)?;
    parse_csv(
        &bytes,
        &CsvOptions {
            delimiter,
            file: path.display().to_string(),
        },
    )
}

/// Reads a `.npy` file (see [`parse_npy`]).
///
/// # Errors
/// As [`read_file`] and [`parse_npy`].
pub(crate) fn read_npy(path: &Path) -> Result<NpyArray, DataError> {
    let bytes = read_file(path)?;
    parse_npy(&bytes, &path.display().to_string())
}

/// Turns a `.npy` array into a table with columns `x1, x2, …` (prefix `prefix`); a vector is one
/// column.
pub(crate) fn npy_table(a: &NpyArray, file: &str, prefix: &str) -> Table {
    let (n, p) = (a.nrows(), a.ncols());
    let columns: Vec<Vec<f64>> = (0..p)
        .map(|j| {
            a.data
                .get(j * n..(j + 1) * n)
                .map(<[f64]>::to_vec)
                .unwrap_or_default()
        })
        .collect();
    Table {
        file: file.to_string(),
        names: (1..=p).map(|j| format!("{prefix}{j}")).collect(),
        columns,
        lines: (1..=n as u64).collect(),
    }
}

/// The data a model is fitted on: features, one or several targets, optional sample weights.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dataset {
    /// Where it came from.
    pub file: String,
    /// Feature names.
    pub feature_names: Vec<String>,
    /// Target names.
    pub target_names: Vec<String>,
    /// Features, `n × p`, dense or sparse.
    pub x: Design,
    /// Targets, column-major `n × k`.
    pub y: Vec<f64>,
    /// Sample weights.
    pub weights: Option<Vec<f64>>,
    /// The offset added to the linear predictor (`--offset COL`, or `log` of `--exposure COL`;
    /// Poisson only).
    pub offset: Option<Vec<f64>>,
    /// The column the offset came from (`log(COL)` for an exposure column).
    pub offset_name: Option<String>,
    /// The file line of each row (CSV data), for messages.
    pub lines: Option<Vec<u64>>,
}

impl Dataset {
    /// Rows.
    pub fn nrows(&self) -> usize {
        self.x.nrows()
    }
    /// Number of targets.
    pub fn n_tasks(&self) -> usize {
        self.target_names.len()
    }
}

/// Which columns of a table are what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection<'a> {
    /// Target column names (at least one).
    pub targets: &'a [String],
    /// Feature column names; `None` = every column that is neither a target nor the weights.
    pub features: Option<&'a [String]>,
    /// The sample-weight column.
    pub weights: Option<&'a str>,
    /// The offset column (excluded from the features like the target).
    pub offset: Option<&'a str>,
    /// The offset column holds exposures `t > 0`: the offset is `log t`.
    pub exposure: bool,
}

/// Picks features, targets and weights out of a table by name.
///
/// # Errors
/// [`ErrorKind::MissingColumn`], [`ErrorKind::ColumnTwice`], [`ErrorKind::Shape`] (no feature
/// left).
pub(crate) fn select(table: &Table, sel: &Selection<'_>) -> Result<Dataset, DataError> {
    let err = |kind| DataError::new(&table.file, Some(1), None, kind);
    let mut used: Vec<usize> = Vec::new();
    let take = |name: &str, used: &mut Vec<usize>| -> Result<usize, DataError> {
        let i = table.index(name)?;
        if used.contains(&i) {
            return Err(err(ErrorKind::ColumnTwice {
                name: name.to_string(),
            }));
        }
        used.push(i);
        Ok(i)
    };
    if sel.targets.is_empty() {
        return Err(err(ErrorKind::Shape("no target column given".into())));
    }
    let t_idx = sel
        .targets
        .iter()
        .map(|t| take(t, &mut used))
        .collect::<Result<Vec<_>, _>>()?;
    let w_idx = sel.weights.map(|w| take(w, &mut used)).transpose()?;
    let o_idx = sel.offset.map(|o| take(o, &mut used)).transpose()?;
    let f_idx: Vec<usize> = match sel.features {
        Some(f) => f
            .iter()
            .map(|t| take(t, &mut used))
            .collect::<Result<Vec<_>, _>>()?,
        None => (0..table.names.len())
            .filter(|i| !used.contains(i))
            .collect(),
    };
    if f_idx.is_empty() {
        return Err(err(ErrorKind::Shape(
            "no feature column left (every column is a target, the weights or the offset)".into(),
        )));
    }
    let offset = match o_idx {
        None => None,
        Some(j) if sel.exposure => {
            let col = &table.columns[j];
            if let Some(i) = col.iter().position(|&t| t <= 0.0) {
                return Err(DataError::new(
                    &table.file,
                    table.lines.get(i).copied(),
                    Some(j + 1),
                    ErrorKind::OutOfRange(format!(
                        "exposure column {:?} holds {}: exposures must be > 0 (the offset is their log)",
                        table.names[j], col[i]
                    )),
                ));
            }
            Some(col.iter().map(|t| t.ln()).collect())
        }
        Some(j) => Some(table.columns[j].clone()),
    };
    let n = table.nrows();
    let mut data = Vec::with_capacity(n * f_idx.len());
    for &j in &f_idx {
        data.extend_from_slice(&table.columns[j]);
    }
    let x = proxreg::linalg::ColMajor::new(data, n, f_idx.len())
        .map(Design::Dense)
        .map_err(|e| err(ErrorKind::Shape(e.to_string())))?;
    let mut y = Vec::with_capacity(n * t_idx.len());
    for &j in &t_idx {
        y.extend_from_slice(&table.columns[j]);
    }
    Ok(Dataset {
        file: table.file.clone(),
        feature_names: f_idx.iter().map(|&j| table.names[j].clone()).collect(),
        target_names: t_idx.iter().map(|&j| table.names[j].clone()).collect(),
        x,
        y,
        weights: w_idx.map(|j| table.columns[j].clone()),
        offset,
        offset_name: o_idx.map(|j| {
            if sel.exposure {
                format!("log({})", table.names[j])
            } else {
                table.names[j].clone()
            }
        }),
        lines: Some(table.lines.clone()),
    })
}

/// The embedded diabetes data (442 × 10 features and the target `y`), see
/// `crates/proxreg-cli/data/README.md` for its provenance.
pub(crate) const DIABETES_CSV: &str = include_str!("../data/diabetes.csv");

/// The name the embedded data goes by in messages and outputs.
pub(crate) const DIABETES_NAME: &str = "<embedded diabetes.csv>";

/// The embedded diabetes data as a table.
///
/// # Errors
/// Never in practice (the file is checked by a test), but typed rather than panicking.
pub(crate) fn diabetes() -> Result<Table, DataError> {
    parse_csv(
        DIABETES_CSV.as_bytes(),
        &CsvOptions {
            delimiter: b',',
            file: DIABETES_NAME.to_string(),
        },
    )
}
