//! Data-file readers shared by the `proxreg` command-line tool (`proxreg-cli`) and the
//! comparison runner: [`npy`] reads and writes `f64` arrays in numpy's `.npy` format (1-D or
//! 2-D, C or Fortran order), returning typed errors and never panicking on malformed bytes.
//!
//! ```
//! let a = proxreg_io::npy::parse(b"not numpy");
//! assert!(matches!(a, Err(proxreg_io::npy::NpyError::BadMagic)));
//! ```

pub mod npy;
