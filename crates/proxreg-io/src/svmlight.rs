//! A reader and writer of svmlight / libsvm text files, the sparse format of libsvm's data sets
//! and of scikit-learn's `dump_svmlight_file`:
//!
//! ```text
//! # a comment line
//! 1.5 qid:3 1:0.25 4:-2 7:1e-3   # label, optional qid, then index:value pairs
//! -1 2:1
//! ```
//!
//! Each data line is a label, an optional `qid:N` (accepted and ignored: proxreg has no ranking
//! models), then `index:value` pairs with **strictly increasing** indices. Anything from `#` to
//! the end of the line is a comment; blank and comment-only lines are skipped; `\n` and `\r\n`
//! line ends are read. The data is read straight into compressed sparse columns
//! ([`SvmlightData`]): the row-major entries are counted per column and placed, with no dense
//! intermediate. Stored values are kept as written, explicit zeros included.
//!
//! Indices are zero- or one-based ([`ZeroBased`]). `Auto`, as scikit-learn's
//! `zero_based="auto"`, reads the file as zero-based if any index is 0 and as one-based
//! otherwise. The number of columns is `n_features` when given (every index must fit), else the
//! largest index plus one (zero-based) or the largest index (one-based).
//!
//! Every problem is an [`SvmlightError`] naming the file, the 1-based line and the 1-based
//! column (in bytes) of the offending token: a label or value that is not a number, NaN or an
//! infinity, a number that overflows `f64`, an index that is not a non-negative integer or
//! overflows, unsorted or duplicate indices in a line, a missing colon, index 0 when the file is
//! declared one-based, an index beyond `n_features`, and more columns than
//! [`SvmlightOptions::max_features`]. [`parse`] never panics, whatever the bytes (it is fuzzed:
//! `fuzz/fuzz_targets/svmlight.rs`).
//!
//! ```
//! use proxreg_io::svmlight::{parse, SvmlightOptions};
//! let d = parse(b"1 1:0.5 3:2\n-1 2:1 # comment\n", &SvmlightOptions::default())?;
//! assert_eq!((d.nrows, d.ncols, d.zero_based), (2, 3, false));
//! assert_eq!(d.labels, [1.0, -1.0]);
//! assert_eq!(d.col_ptr, [0, 1, 2, 3]);
//! assert_eq!(d.row_idx, [0, 1, 0]);
//! assert_eq!(d.values, [0.5, 1.0, 2.0]);
//! let err = parse(b"1 3:1 2:1\n", &SvmlightOptions::default()).unwrap_err();
//! assert_eq!(err.to_string(), "<input>:1:7: index 2 is not greater than the previous index 3 (indices must be strictly increasing)");
//! # Ok::<(), proxreg_io::svmlight::SvmlightError>(())
//! ```

use std::fmt;
use std::io::Write;
use std::path::Path;

/// The default of [`SvmlightOptions::max_features`]: 2²⁷ = 134 217 728 columns (the column
/// pointers alone then take 1 GiB). The largest libsvm data sets have about 3·10⁷ features.
pub const DEFAULT_MAX_FEATURES: usize = 1 << 27;

/// Whether indices start at 0 or 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ZeroBased {
    /// Zero-based if any index is 0, else one-based (scikit-learn's `zero_based="auto"`).
    #[default]
    Auto,
    /// Index 0 is the first column.
    Yes,
    /// Index 1 is the first column; index 0 is an error.
    No,
}

/// Options of [`parse`] and [`read`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvmlightOptions {
    /// Zero- or one-based indices (default [`ZeroBased::Auto`]).
    pub zero_based: ZeroBased,
    /// The number of columns, when known (e.g. a test file with fewer features than the
    /// training file); `None`: from the largest index.
    pub n_features: Option<usize>,
    /// The largest number of columns accepted (default [`DEFAULT_MAX_FEATURES`]): a bound on
    /// the memory of the column pointers whatever the file says.
    pub max_features: usize,
    /// The file name used in error messages (default `<input>`).
    pub file: String,
}

impl Default for SvmlightOptions {
    fn default() -> Self {
        Self {
            zero_based: ZeroBased::Auto,
            n_features: None,
            max_features: DEFAULT_MAX_FEATURES,
            file: "<input>".to_string(),
        }
    }
}

/// The labels and the features, in compressed sparse column form (`usize` indices): column `j`
/// holds rows `row_idx[col_ptr[j]..col_ptr[j + 1]]` (strictly increasing) with `values` at the
/// same positions. Every value and label is finite.
#[derive(Debug, Clone, PartialEq)]
pub struct SvmlightData {
    /// Number of data lines (samples).
    pub nrows: usize,
    /// Number of columns (features).
    pub ncols: usize,
    /// Column pointers, `ncols + 1` entries from 0 to `values.len()`.
    pub col_ptr: Vec<usize>,
    /// Row of every stored entry, column by column.
    pub row_idx: Vec<usize>,
    /// Stored values, column by column.
    pub values: Vec<f64>,
    /// One label per row.
    pub labels: Vec<f64>,
    /// Whether the indices were read as zero-based (resolved when [`ZeroBased::Auto`]).
    pub zero_based: bool,
    /// The file line (1-based) of every row.
    pub lines: Vec<u64>,
}

/// What is wrong (the "what" of an [`SvmlightError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    Read(String),
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// A label that is not a decimal number.
    Label(String),
    /// A feature value that is not a decimal number.
    Value(String),
    /// `NaN` or an infinity, as a label or a value.
    NonFinite(String),
    /// A number too large for `f64`.
    Overflow(String),
    /// An `index:value` pair without the colon.
    MissingColon(String),
    /// An index that is not a non-negative decimal integer.
    Index(String),
    /// A negative index.
    NegativeIndex(String),
    /// An index too large for `usize` (or whose column count overflows).
    IndexOverflow(String),
    /// An index not greater than the one before it on the line.
    Unsorted {
        /// The index.
        index: usize,
        /// The index before it.
        previous: usize,
    },
    /// The same index twice in a row.
    Duplicate(usize),
    /// Index 0 in a file declared one-based.
    ZeroIndexOneBased,
    /// A `qid:` whose value is not an integer.
    Qid(String),
    /// An index beyond the given number of features.
    IndexTooLarge {
        /// The index as written.
        index: usize,
        /// The number of features given.
        n_features: usize,
    },
    /// More columns than [`SvmlightOptions::max_features`].
    TooManyFeatures {
        /// Columns the file needs.
        ncols: usize,
        /// The limit.
        max: usize,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(m) => write!(f, "cannot read the file: {m}"),
            Self::NotUtf8 => write!(f, "invalid UTF-8 bytes"),
            Self::Label(t) => write!(f, "label is not a number: {t:?}"),
            Self::Value(t) => write!(f, "value is not a number: {t:?}"),
            Self::NonFinite(t) => write!(
                f,
                "not a finite number: {t:?} (NaN and infinities are not accepted)"
            ),
            Self::Overflow(t) => write!(f, "number overflows f64: {t:?}"),
            Self::MissingColon(t) => {
                write!(f, "expected index:value, found {t:?} (no colon)")
            }
            Self::Index(t) => write!(f, "index is not a non-negative integer: {t:?}"),
            Self::NegativeIndex(t) => write!(f, "negative index: {t:?}"),
            Self::IndexOverflow(t) => write!(f, "index too large: {t:?}"),
            Self::Unsorted { index, previous } => write!(
                f,
                "index {index} is not greater than the previous index {previous} (indices must be strictly increasing)"
            ),
            Self::Duplicate(i) => write!(f, "duplicate index {i}"),
            Self::ZeroIndexOneBased => write!(
                f,
                "index 0 in a file read as one-based (use zero-based or auto detection)"
            ),
            Self::Qid(t) => write!(f, "qid is not an integer: {t:?}"),
            Self::IndexTooLarge { index, n_features } => write!(
                f,
                "index {index} is beyond the {n_features} features given"
            ),
            Self::TooManyFeatures { ncols, max } => write!(
                f,
                "the file needs {ncols} feature columns, more than the limit of {max}"
            ),
        }
    }
}

/// A problem in an svmlight file: where (file, 1-based line, 1-based byte column when known)
/// and what. Displayed as `file:line:column: what`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvmlightError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: Option<u64>,
    /// 1-based column, in bytes from the start of the line.
    pub column: Option<usize>,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl fmt::Display for SvmlightError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for SvmlightError {}

/// A finite `f64` from `t`, or the kind of error (`not_number` builds the one for text that is
/// not a number at all).
fn number(t: &str, not_number: fn(String) -> ErrorKind) -> Result<f64, ErrorKind> {
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if body.starts_with("nan") || body.starts_with("inf") {
        return Err(ErrorKind::NonFinite(t.to_string()));
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(ErrorKind::Overflow(t.to_string())),
        Err(_) => Err(not_number(t.to_string())),
    }
}

/// A non-negative decimal index.
fn index(t: &str) -> Result<usize, ErrorKind> {
    if let Some(rest) = t.strip_prefix('-') {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ErrorKind::NegativeIndex(t.to_string()));
        }
    }
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ErrorKind::Index(t.to_string()));
    }
    t.parse::<usize>()
        .map_err(|_| ErrorKind::IndexOverflow(t.to_string()))
}

/// Whitespace-separated tokens of `s` with their byte offsets.
fn tokens(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = s;
    let mut off = 0;
    std::iter::from_fn(move || {
        let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        rest = &rest[skip..];
        off += skip;
        if rest.is_empty() {
            return None;
        }
        let len = rest.find([' ', '\t']).unwrap_or(rest.len());
        let tok = (off, &rest[..len]);
        rest = &rest[len..];
        off += len;
        Some(tok)
    })
}

/// Parses the bytes of an svmlight / libsvm file (see the [module documentation](self)).
///
/// # Errors
/// An [`SvmlightError`] for every case listed in the module documentation.
pub fn parse(bytes: &[u8], opts: &SvmlightOptions) -> Result<SvmlightData, SvmlightError> {
    let at = |line: u64, col: Option<usize>, kind| SvmlightError {
        file: opts.file.clone(),
        line: Some(line),
        column: col,
        kind,
    };
    // row-major entries: raw index and value per stored entry, `row_ptr` per row
    let mut row_ptr: Vec<usize> = vec![0];
    let mut raw_idx: Vec<usize> = Vec::new();
    let mut raw_val: Vec<f64> = Vec::new();
    let mut labels = Vec::new();
    let mut lines = Vec::new();
    // the first index 0 (auto detection) and the largest index, with their positions
    let mut saw_zero = false;
    let mut max_idx: Option<(usize, u64, usize)> = None;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (ln, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = ln as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = std::str::from_utf8(raw)
            .map_err(|e| at(line_no, Some(e.valid_up_to() + 1), ErrorKind::NotUtf8))?;
        let data = text.split('#').next().unwrap_or("");
        let mut toks = tokens(data).peekable();
        let Some((loff, ltok)) = toks.next() else {
            continue;
        };
        let label = number(ltok, ErrorKind::Label).map_err(|k| at(line_no, Some(loff + 1), k))?;
        if let Some(&(qoff, qtok)) = toks.peek() {
            if let Some(q) = qtok.strip_prefix("qid:") {
                if q.parse::<i64>().is_err() {
                    return Err(at(
                        line_no,
                        Some(qoff + 1),
                        ErrorKind::Qid(qtok.to_string()),
                    ));
                }
                toks.next();
            }
        }
        let mut prev: Option<usize> = None;
        for (off, tok) in toks {
            let col = Some(off + 1);
            let Some((itxt, vtxt)) = tok.split_once(':') else {
                return Err(at(line_no, col, ErrorKind::MissingColon(tok.to_string())));
            };
            let i = index(itxt).map_err(|k| at(line_no, col, k))?;
            if let Some(p) = prev {
                if i == p {
                    return Err(at(line_no, col, ErrorKind::Duplicate(i)));
                }
                if i < p {
                    return Err(at(
                        line_no,
                        col,
                        ErrorKind::Unsorted {
                            index: i,
                            previous: p,
                        },
                    ));
                }
            }
            if i == 0 {
                if opts.zero_based == ZeroBased::No {
                    return Err(at(line_no, col, ErrorKind::ZeroIndexOneBased));
                }
                saw_zero = true;
            }
            let vcol = Some(off + itxt.len() + 2);
            let v = number(vtxt, ErrorKind::Value).map_err(|k| at(line_no, vcol, k))?;
            prev = Some(i);
            if max_idx.is_none_or(|(m, _, _)| i > m) {
                max_idx = Some((i, line_no, off + 1));
            }
            raw_idx.push(i);
            raw_val.push(v);
        }
        row_ptr.push(raw_idx.len());
        labels.push(label);
        lines.push(line_no);
    }
    let zero_based = match opts.zero_based {
        ZeroBased::Yes => true,
        ZeroBased::No => false,
        ZeroBased::Auto => saw_zero,
    };
    let shift = usize::from(!zero_based);
    let needed = match max_idx {
        None => 0,
        Some((m, l, c)) => (m - shift)
            .checked_add(1)
            .ok_or_else(|| at(l, Some(c), ErrorKind::IndexOverflow(m.to_string())))?,
    };
    let ncols = match (opts.n_features, max_idx) {
        (Some(nf), Some((m, l, c))) if needed > nf => {
            return Err(at(
                l,
                Some(c),
                ErrorKind::IndexTooLarge {
                    index: m,
                    n_features: nf,
                },
            ))
        }
        (Some(nf), _) => nf,
        (None, _) => needed,
    };
    if ncols > opts.max_features {
        let (l, c) = max_idx.map_or((1, None), |(_, l, c)| (l, Some(c)));
        return Err(at(
            l,
            c,
            ErrorKind::TooManyFeatures {
                ncols,
                max: opts.max_features,
            },
        ));
    }
    // counting sort of the row-major entries into columns (rows stay increasing per column)
    let mut col_ptr = vec![0usize; ncols + 1];
    for &i in &raw_idx {
        col_ptr[i - shift + 1] += 1;
    }
    for j in 0..ncols {
        col_ptr[j + 1] += col_ptr[j];
    }
    let mut fill = col_ptr[..ncols].to_vec();
    let nnz = raw_idx.len();
    let mut row_idx = vec![0usize; nnz];
    let mut values = vec![0.0; nnz];
    for (r, w) in row_ptr.windows(2).enumerate() {
        for k in w[0]..w[1] {
            let j = raw_idx[k] - shift;
            row_idx[fill[j]] = r;
            values[fill[j]] = raw_val[k];
            fill[j] += 1;
        }
    }
    Ok(SvmlightData {
        nrows: labels.len(),
        ncols,
        col_ptr,
        row_idx,
        values,
        labels,
        zero_based,
        lines,
    })
}

/// Reads and parses an svmlight file; `opts.file` is replaced by the path for messages.
///
/// # Errors
/// [`ErrorKind::Read`] when the file cannot be read, else as [`parse`].
pub fn read(path: &Path, opts: &SvmlightOptions) -> Result<SvmlightData, SvmlightError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| SvmlightError {
        file: file.clone(),
        line: None,
        column: None,
        kind: ErrorKind::Read(e.to_string()),
    })?;
    parse(
        &bytes,
        &SvmlightOptions {
            file,
            ..opts.clone()
        },
    )
}

/// Writes `data` as svmlight text, one line per row (`label idx:value …`, indices increasing,
/// zero- or one-based as `zero_based` says). Numbers are written in Rust's shortest
/// round-trip form, so [`parse`] reads back exactly the same values. `data`'s `lines` and
/// `zero_based` fields are not used.
///
/// ```
/// use proxreg_io::svmlight::{parse, write, SvmlightOptions};
/// let d = parse(b"1 1:0.5 3:2\n-1 2:1\n", &SvmlightOptions::default())?;
/// let mut out = Vec::new();
/// write(&mut out, &d, true).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "1 0:0.5 2:2\n-1 1:1\n");
/// # Ok::<(), proxreg_io::svmlight::SvmlightError>(())
/// ```
///
/// # Errors
/// The writer's I/O errors; [`std::io::ErrorKind::InvalidInput`] if the arrays are not a
/// consistent CSC of `nrows` rows (lengths, pointers or row indices out of range).
pub fn write<W: Write>(out: &mut W, data: &SvmlightData, zero_based: bool) -> std::io::Result<()> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, m.to_string());
    let (n, p) = (data.nrows, data.ncols);
    if data.labels.len() != n
        || data.col_ptr.len() != p + 1
        || data.row_idx.len() != data.values.len()
        || data.col_ptr.last() != Some(&data.values.len())
        || data.col_ptr.windows(2).any(|w| w[0] > w[1])
        || data.row_idx.iter().any(|&r| r >= n)
    {
        return Err(bad("svmlight write: inconsistent CSC arrays"));
    }
    // transpose by counting: rows of (column, value), columns increasing within a row
    let mut row_ptr = vec![0usize; n + 1];
    for &r in &data.row_idx {
        row_ptr[r + 1] += 1;
    }
    for i in 0..n {
        row_ptr[i + 1] += row_ptr[i];
    }
    let mut fill = row_ptr[..n].to_vec();
    let mut entries = vec![(0usize, 0.0f64); data.values.len()];
    for j in 0..p {
        for k in data.col_ptr[j]..data.col_ptr[j + 1] {
            let r = data.row_idx[k];
            entries[fill[r]] = (j, data.values[k]);
            fill[r] += 1;
        }
    }
    let shift = usize::from(!zero_based);
    let mut buf = std::io::BufWriter::new(out);
    for (i, label) in data.labels.iter().enumerate() {
        write!(buf, "{label}")?;
        for &(j, v) in &entries[row_ptr[i]..row_ptr[i + 1]] {
            write!(buf, " {}:{v}", j + shift)?;
        }
        writeln!(buf)?;
    }
    buf.flush()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn opts() -> SvmlightOptions {
        SvmlightOptions {
            file: "t.svm".into(),
            ..SvmlightOptions::default()
        }
    }

    fn err(text: &str, o: &SvmlightOptions) -> SvmlightError {
        parse(text.as_bytes(), o).unwrap_err()
    }

    fn at(e: &SvmlightError) -> (Option<u64>, Option<usize>) {
        (e.line, e.column)
    }

    #[test]
    fn reads_comments_blank_lines_qid_crlf_and_bom() {
        let text =
            "\u{feff}# header comment\n\n1 qid:4 2:1.5 10:-3 # tail\r\n  \t\n-2.5e0 1:7\n0\n";
        let d = parse(text.as_bytes(), &opts()).unwrap();
        assert_eq!((d.nrows, d.ncols, d.zero_based), (3, 10, false));
        assert_eq!(d.labels, [1.0, -2.5, 0.0]);
        assert_eq!(d.lines, [3, 5, 6]);
        assert_eq!(d.col_ptr, [0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3]);
        assert_eq!(d.row_idx, [1, 0, 0]);
        assert_eq!(d.values, [7.0, 1.5, -3.0]);
    }

    #[test]
    fn zero_based_auto_forced_and_n_features() {
        let auto = parse(b"1 0:1 2:2\n", &opts()).unwrap();
        assert!(auto.zero_based);
        assert_eq!(auto.ncols, 3);
        let one = parse(b"1 1:1 2:2\n", &opts()).unwrap();
        assert!(!one.zero_based);
        assert_eq!(one.ncols, 2);
        let forced = SvmlightOptions {
            zero_based: ZeroBased::Yes,
            ..opts()
        };
        let z = parse(b"1 1:1 2:2\n", &forced).unwrap();
        assert_eq!((z.ncols, z.col_ptr.clone()), (3, vec![0, 0, 1, 2]));
        let wide = SvmlightOptions {
            n_features: Some(5),
            ..opts()
        };
        assert_eq!(parse(b"1 2:1\n", &wide).unwrap().ncols, 5);
        let empty = parse(b"# nothing\n", &opts()).unwrap();
        assert_eq!((empty.nrows, empty.ncols, empty.col_ptr), (0, 0, vec![0]));
        let labels_only = parse(b"3\n4\n", &opts()).unwrap();
        assert_eq!((labels_only.nrows, labels_only.ncols), (2, 0));
    }

    #[test]
    fn every_error_has_its_kind_line_and_column() {
        let o = opts();
        let e = err("1 1:1\nx 1:1\n", &o);
        assert_eq!(
            (at(&e), &e.kind),
            ((Some(2), Some(1)), &ErrorKind::Label("x".into()))
        );
        assert_eq!(e.to_string(), "t.svm:2:1: label is not a number: \"x\"");
        let e = err("1 1:abc\n", &o);
        assert_eq!(
            (at(&e), &e.kind),
            ((Some(1), Some(5)), &ErrorKind::Value("abc".into()))
        );
        let e = err("1 1:\n", &o);
        assert!(matches!(e.kind, ErrorKind::Value(_)));
        for bad in ["nan", "NaN", "inf", "-Infinity"] {
            let e = err(&format!("1 1:{bad}\n"), &o);
            assert_eq!(e.kind, ErrorKind::NonFinite(bad.into()));
            let e = err(&format!("{bad} 1:1\n"), &o);
            assert_eq!(
                (at(&e), e.kind),
                ((Some(1), Some(1)), ErrorKind::NonFinite(bad.into()))
            );
        }
        let e = err("1 1:1e400\n", &o);
        assert_eq!(e.kind, ErrorKind::Overflow("1e400".into()));
        let e = err("1 2:1 1:1\n", &o);
        assert_eq!(
            (at(&e), e.kind),
            (
                (Some(1), Some(7)),
                ErrorKind::Unsorted {
                    index: 1,
                    previous: 2
                }
            )
        );
        let e = err("1 2:1 2:1\n", &o);
        assert_eq!(
            (at(&e), e.kind),
            ((Some(1), Some(7)), ErrorKind::Duplicate(2))
        );
        let e = err("1 -3:1\n", &o);
        assert_eq!(
            (at(&e), e.kind),
            ((Some(1), Some(3)), ErrorKind::NegativeIndex("-3".into()))
        );
        let e = err("1 a:1\n", &o);
        assert_eq!(e.kind, ErrorKind::Index("a".into()));
        let e = err("1 :1\n", &o);
        assert_eq!(e.kind, ErrorKind::Index(String::new()));
        let e = err("1 3\n", &o);
        assert_eq!(
            (at(&e), e.kind),
            ((Some(1), Some(3)), ErrorKind::MissingColon("3".into()))
        );
        let e = err("1 99999999999999999999999:1\n", &o);
        assert!(matches!(e.kind, ErrorKind::IndexOverflow(_)));
        let one = SvmlightOptions {
            zero_based: ZeroBased::No,
            ..opts()
        };
        let e = err("1 1:1\n2 0:1\n", &one);
        assert_eq!(
            (at(&e), e.kind),
            ((Some(2), Some(3)), ErrorKind::ZeroIndexOneBased)
        );
        let e = err("1 qid:x 1:1\n", &o);
        assert_eq!(
            (at(&e), e.kind),
            ((Some(1), Some(3)), ErrorKind::Qid("qid:x".into()))
        );
        let nf = SvmlightOptions {
            n_features: Some(3),
            ..opts()
        };
        let e = err("1 1:1\n1 2:1 4:1\n", &nf);
        assert_eq!(
            (at(&e), e.kind),
            (
                (Some(2), Some(7)),
                ErrorKind::IndexTooLarge {
                    index: 4,
                    n_features: 3
                }
            )
        );
        let small = SvmlightOptions {
            max_features: 10,
            ..opts()
        };
        let e = err("1 11:1\n", &small);
        assert_eq!(e.kind, ErrorKind::TooManyFeatures { ncols: 11, max: 10 });
        let e = parse(b"1 1:1\n1 2:\xff\n", &o).unwrap_err();
        assert_eq!((at(&e), e.kind), ((Some(2), Some(5)), ErrorKind::NotUtf8));
        let huge = format!("1 {}:1\n", usize::MAX);
        let zb = SvmlightOptions {
            zero_based: ZeroBased::Yes,
            ..opts()
        };
        assert!(matches!(err(&huge, &zb).kind, ErrorKind::IndexOverflow(_)));
        assert!(matches!(
            err(&huge, &o).kind,
            ErrorKind::TooManyFeatures { .. }
        ));
    }

    #[test]
    fn read_names_the_file() {
        let e = read(Path::new("/nonexistent/x.svm"), &opts()).unwrap_err();
        assert_eq!(e.file, "/nonexistent/x.svm");
        assert!(matches!(e.kind, ErrorKind::Read(_)));
    }

    #[test]
    fn write_refuses_inconsistent_arrays() {
        let mut d = parse(b"1 1:1\n", &opts()).unwrap();
        d.row_idx[0] = 5;
        assert!(write(&mut Vec::new(), &d, false).is_err());
    }
}
