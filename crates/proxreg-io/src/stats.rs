//! A versioned on-disk format for [`SufficientStats`]: a directory with a JSON header and
//! three `.npy` arrays, so that statistics computed elsewhere (numpy, Spark's
//! `RowMatrix.computeGramianMatrix`, a database) can be loaded and fitted from, and statistics
//! computed by proxreg can be shipped and merged. The layout is documented in
//! `docs/scale.md`; `scripts/write_stats.py` writes such a directory from numpy.
//!
//! ```text
//! stats.json   {"format": "proxreg-sufficient-stats", "version": 1, "dtype": "float64",
//!               "n_features": p, "feature_names": [...] | null, "target_name": "y" | null,
//!               "blocks": [{"n_samples": n, "weight_sum": W, "y_mean": ȳ, "yy": v}, ...]}
//! x_mean.npy   float64, shape (K, p): row k = block k's weighted column means μ_k
//! xy.npy       float64, shape (K, p): row k = Σ s (x − μ_k)(y − ȳ_k) over block k
//! xx.npy       float64, shape (K·p, p): rows k·p .. (k+1)·p = Σ s (x − μ_k)(x − μ_k)ᵀ
//! ```
//!
//! `K ≥ 1` blocks of disjoint rows (one per cross-validation fold, or just one); all moments
//! are **centred** at the block's own weighted means and do not depend on whether a fit will
//! have an intercept.
//!
//! ```
//! use proxreg_io::stats::{read, write, StatsFile};
//! use proxreg_linalg::ColMajor;
//! use proxreg_solvers::SufficientStats;
//! let x = ColMajor::from_fn(20, 3, |i, j| ((i * 7 + j) % 5) as f64);
//! let y: Vec<f64> = (0..20).map(|i| i as f64).collect();
//! let file = StatsFile::new(vec![SufficientStats::from_batch(&x, &y, None)?]);
//! let dir = std::env::temp_dir().join(format!("proxreg-stats-doc-{}", std::process::id()));
//! write(&dir, &file)?;
//! let back: StatsFile<f64> = read(&dir)?;
//! assert_eq!(back.blocks, file.blocks);
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use proxreg_core::Scalar;
use proxreg_linalg::ColMajor;
use proxreg_solvers::SufficientStats;
use serde::{Deserialize, Serialize};

use crate::npy::{self, NpyError};

/// The `format` value of the header.
pub const FORMAT: &str = "proxreg-sufficient-stats";
/// The format version this crate writes and reads (readers refuse a newer major version and
/// ignore header keys they do not know).
pub const VERSION: u32 = 1;
/// The header's file name inside the directory.
pub const HEADER: &str = "stats.json";

/// What can go wrong reading or writing statistics.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// One of the `.npy` arrays is malformed.
    #[error("{file}: {source}")]
    Npy {
        /// The array's file name.
        file: &'static str,
        /// What is wrong with it.
        source: NpyError,
    },
    /// The header is not valid JSON of this format, or disagrees with the arrays.
    #[error("bad statistics directory: {0}")]
    Format(String),
    /// The statistics themselves are invalid (shapes, NaN, negative moments, ...).
    #[error("invalid statistics: {0}")]
    Stats(#[from] proxreg_core::Error),
}

/// Statistics with their optional feature and target names: what a statistics directory holds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StatsFile<T> {
    /// One set of statistics per block of rows (at least one; e.g. one per CV fold).
    pub blocks: Vec<SufficientStats<T>>,
    /// The feature names, one per feature, if known.
    pub feature_names: Option<Vec<String>>,
    /// The target's name, if known.
    pub target_name: Option<String>,
}

impl<T: Scalar> StatsFile<T> {
    /// Statistics without names (add them with [`StatsFile::feature_names`] and
    /// [`StatsFile::target_name`]; see the [module example](self)).
    pub fn new(blocks: Vec<SufficientStats<T>>) -> Self {
        Self {
            blocks,
            feature_names: None,
            target_name: None,
        }
    }

    /// The same with feature names.
    #[must_use]
    pub fn feature_names(mut self, names: Vec<String>) -> Self {
        self.feature_names = Some(names);
        self
    }

    /// The same with a target name.
    #[must_use]
    pub fn target_name(mut self, name: impl Into<String>) -> Self {
        self.target_name = Some(name.into());
        self
    }

    /// The statistics of all blocks merged (the whole data set).
    ///
    /// # Errors
    /// [`StatsError::Stats`] for no blocks or an overflow.
    ///
    /// ```
    /// use proxreg_io::stats::StatsFile;
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::SufficientStats;
    /// let x = ColMajor::from_fn(10, 2, |i, j| (i * (j + 1)) as f64);
    /// let y: Vec<f64> = (0..10).map(|i| i as f64).collect();
    /// let folds: Vec<usize> = (0..10).map(|i| i % 2).collect();
    /// let file = StatsFile::new(SufficientStats::by_fold(&x, &y, None, &folds, 2)?);
    /// assert_eq!(file.merged()?.n_samples(), 10);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn merged(&self) -> Result<SufficientStats<T>, StatsError> {
        let refs: Vec<&SufficientStats<T>> = self.blocks.iter().collect();
        Ok(SufficientStats::combine(&refs)?)
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    dtype: String,
    n_features: usize,
    #[serde(default)]
    feature_names: Option<Vec<String>>,
    #[serde(default)]
    target_name: Option<String>,
    blocks: Vec<BlockHeader>,
}

#[derive(Serialize, Deserialize)]
struct BlockHeader {
    n_samples: usize,
    weight_sum: f64,
    y_mean: f64,
    yy: f64,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StatsError + '_ {
    move |source| StatsError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `file` into the directory `dir` (created if missing; existing files of the format
/// are overwritten): `stats.json`, `x_mean.npy`, `xy.npy`, `xx.npy` (see the [module
/// docs](self)). The arrays are `float64` whatever `T`; the header's `dtype` records `T`.
///
/// # Errors
/// [`StatsError::Io`] when the directory or a file cannot be written; [`StatsError::Format`]
/// for no blocks, blocks with different numbers of features, or names of the wrong count.
pub fn write<T: Scalar>(dir: &Path, file: &StatsFile<T>) -> Result<(), StatsError> {
    let first = file
        .blocks
        .first()
        .ok_or_else(|| StatsError::Format("no blocks to write".into()))?;
    let p = first.n_features();
    if file.blocks.iter().any(|b| b.n_features() != p) {
        return Err(StatsError::Format(
            "blocks with different numbers of features".into(),
        ));
    }
    if let Some(names) = &file.feature_names {
        if names.len() != p {
            return Err(StatsError::Format(format!(
                "{} feature names for {p} features",
                names.len()
            )));
        }
    }
    let k = file.blocks.len();
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        dtype: dtype_of::<T>().into(),
        n_features: p,
        feature_names: file.feature_names.clone(),
        target_name: file.target_name.clone(),
        blocks: file
            .blocks
            .iter()
            .map(|b| BlockHeader {
                n_samples: b.n_samples(),
                weight_sum: b.weight_sum().as_f64(),
                y_mean: b.y_mean().as_f64(),
                yy: b.yy().as_f64(),
            })
            .collect(),
    };
    // (K, p) arrays are stored column-major: entry (k, j) at j·K + k.
    let stack = |get: &dyn Fn(&SufficientStats<T>) -> &[T]| -> Vec<f64> {
        let mut out = vec![0.0; k * p];
        for (bk, b) in file.blocks.iter().enumerate() {
            for (j, &v) in get(b).iter().enumerate() {
                out[j * k + bk] = v.as_f64();
            }
        }
        out
    };
    let x_mean = stack(&|b| b.x_mean());
    let xy = stack(&|b| b.xy());
    // (K·p, p): entry (k·p + a, b) at b·K·p + k·p + a.
    let mut xx = vec![0.0; k * p * p];
    for (bk, s) in file.blocks.iter().enumerate() {
        let g = s.xx().as_slice();
        for b in 0..p {
            for a in 0..p {
                xx[b * k * p + bk * p + a] = g[b * p + a].as_f64();
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let put = |name: &'static str, shape: &[usize], data: &[f64]| {
        npy::write(&dir.join(name), shape, data)
            .map_err(|source| StatsError::Npy { file: name, source })
    };
    put("x_mean.npy", &[k, p], &x_mean)?;
    put("xy.npy", &[k, p], &xy)?;
    put("xx.npy", &[k * p, p], &xx)?;
    let json = serde_json::to_string_pretty(&header)
        .map_err(|e| StatsError::Format(format!("cannot encode the header: {e}")))?;
    let hp = dir.join(HEADER);
    std::fs::write(&hp, json + "\n").map_err(io_err(&hp))
}

/// Reads a statistics directory written by [`write()`] or by any tool following the layout of
/// the [module docs](self) (e.g. `scripts/write_stats.py`). Every block is validated by
/// [`SufficientStats::from_parts`]; `float64` values are converted to `T`.
///
/// # Errors
/// [`StatsError::Io`] for a missing file; [`StatsError::Format`] for another format, a newer
/// version, malformed JSON or arrays whose shapes disagree with the header;
/// [`StatsError::Npy`] for a malformed array; [`StatsError::Stats`] for invalid statistics.
pub fn read<T: Scalar>(dir: &Path) -> Result<StatsFile<T>, StatsError> {
    let hp = dir.join(HEADER);
    let text = std::fs::read_to_string(&hp).map_err(io_err(&hp))?;
    let header: Header = serde_json::from_str(&text)
        .map_err(|e| StatsError::Format(format!("{}: {e}", hp.display())))?;
    if header.format != FORMAT {
        return Err(StatsError::Format(format!(
            "format {:?}, expected {FORMAT:?}",
            header.format
        )));
    }
    if header.version == 0 || header.version > VERSION {
        return Err(StatsError::Format(format!(
            "version {} (this reader knows versions 1..={VERSION})",
            header.version
        )));
    }
    if !matches!(header.dtype.as_str(), "float64" | "float32") {
        return Err(StatsError::Format(format!(
            "dtype {:?}, expected \"float64\" or \"float32\"",
            header.dtype
        )));
    }
    let (p, k) = (header.n_features, header.blocks.len());
    if k == 0 {
        return Err(StatsError::Format("no blocks".into()));
    }
    if let Some(names) = &header.feature_names {
        if names.len() != p {
            return Err(StatsError::Format(format!(
                "{} feature names for {p} features",
                names.len()
            )));
        }
    }
    let get = |name: &'static str, rows: usize| -> Result<Vec<f64>, StatsError> {
        let a =
            npy::read(&dir.join(name)).map_err(|source| StatsError::Npy { file: name, source })?;
        // a (p,) vector is accepted for a single block
        let fits = (a.shape.len() == 2 && a.shape[0] == rows && a.shape[1] == p)
            || (a.shape.len() == 1 && rows == 1 && a.shape[0] == p);
        if !fits {
            return Err(StatsError::Format(format!(
                "{name} has shape {:?}, expected ({rows}, {p})",
                a.shape
            )));
        }
        Ok(a.data)
    };
    let x_mean = get("x_mean.npy", k)?;
    let xy = get("xy.npy", k)?;
    let xx = get("xx.npy", k * p)?;
    let t = |v: f64| T::lit(v);
    let blocks = header
        .blocks
        .iter()
        .enumerate()
        .map(|(bk, b)| {
            let g = ColMajor::from_fn(p, p, |a, c| t(xx[c * k * p + bk * p + a]));
            SufficientStats::from_parts(
                b.n_samples,
                t(b.weight_sum),
                (0..p).map(|j| t(x_mean[j * k + bk])).collect(),
                t(b.y_mean),
                g,
                (0..p).map(|j| t(xy[j * k + bk])).collect(),
                t(b.yy),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(StatsFile {
        blocks,
        feature_names: header.feature_names,
        target_name: header.target_name,
    })
}

fn dtype_of<T: Scalar>() -> &'static str {
    if std::mem::size_of::<T>() == 4 {
        "float32"
    } else {
        "float64"
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn tmp(tag: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("proxreg-stats-{tag}-{}", std::process::id()))
    }

    fn sample(k: usize) -> Vec<SufficientStats<f64>> {
        (0..k)
            .map(|b| {
                let x =
                    ColMajor::from_fn(10 + b, 3, |i, j| ((i * 7 + j * 3 + b) % 5) as f64 + 0.25);
                let y: Vec<f64> = (0..10 + b).map(|i| (i * i % 7) as f64).collect();
                SufficientStats::from_batch(&x, &y, None).unwrap()
            })
            .collect()
    }

    #[test]
    fn round_trip_is_exact_with_blocks_and_names() {
        let dir = tmp("rt");
        let file = StatsFile::new(sample(3))
            .feature_names(vec!["a".into(), "b".into(), "c".into()])
            .target_name("y");
        write(&dir, &file).unwrap();
        let back: StatsFile<f64> = read(&dir).unwrap();
        assert_eq!(back, file);
        let back32: StatsFile<f32> = read(&dir).unwrap();
        assert_eq!(back32.blocks[1].n_samples(), 11);
        assert_eq!(back.merged().unwrap().n_samples(), 33);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn bad_directories_are_typed_errors() {
        let dir = tmp("bad");
        assert!(matches!(read::<f64>(&dir), Err(StatsError::Io { .. })));
        write(&dir, &StatsFile::new(sample(2))).unwrap();
        let hp = dir.join(HEADER);
        let good = std::fs::read_to_string(&hp).unwrap();
        for (from, to) in [
            ("proxreg-sufficient-stats", "other"),
            ("\"version\": 1", "\"version\": 2"),
            ("float64", "int8"),
            ("\"n_features\": 3", "\"n_features\": 4"),
            ("\"yy\"", "\"zz\""),
        ] {
            std::fs::write(&hp, good.replace(from, to)).unwrap();
            assert!(
                matches!(read::<f64>(&dir), Err(StatsError::Format(_))),
                "{from} -> {to}"
            );
        }
        std::fs::write(&hp, good.replacen("\"yy\": ", "\"yy\": -", 1)).unwrap();
        assert!(matches!(read::<f64>(&dir), Err(StatsError::Stats(_))));
        std::fs::write(&hp, &good).unwrap();
        std::fs::write(dir.join("xy.npy"), b"garbage").unwrap();
        assert!(matches!(read::<f64>(&dir), Err(StatsError::Npy { .. })));
        assert!(write::<f64>(&dir, &StatsFile::new(vec![])).is_err());
        assert!(write(
            &dir,
            &StatsFile::new(sample(1)).feature_names(vec!["a".into()])
        )
        .is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
