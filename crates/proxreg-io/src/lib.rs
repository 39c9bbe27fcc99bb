//! Data files of proxreg, shared by the `proxreg` command-line tool (`proxreg-cli`), the
//! comparison runner and users, returning typed errors and never panicking on malformed bytes:
//! - [`npy`] reads and writes `f64` arrays in numpy's `.npy` format (1-D or 2-D, C or Fortran
//!   order);
//! - [`svmlight`] reads svmlight / libsvm text (`label index:value …`) straight into compressed
//!   sparse columns plus labels, with `file:line:column` errors, and writes it;
//! - [`stats`] reads and writes [`SufficientStats`](proxreg_solvers::SufficientStats) in a
//!   documented, versioned directory format (JSON header + `.npy` arrays);
//! - `parquet` (feature `parquet`) streams a Parquet file or a directory of parts into
//!   per-fold [`SufficientStats`](proxreg_solvers::SufficientStats), out of core.
//!
//! ```
//! let a = proxreg_io::npy::parse(b"not numpy");
//! assert!(matches!(a, Err(proxreg_io::npy::NpyError::BadMagic)));
//! ```

// docs.rs builds with `--cfg docsrs` on nightly: label feature-gated items with their features.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod npy;
#[cfg(feature = "parquet")]
#[cfg_attr(docsrs, doc(cfg(feature = "parquet")))]
pub mod parquet;
pub mod stats;
pub mod svmlight;
