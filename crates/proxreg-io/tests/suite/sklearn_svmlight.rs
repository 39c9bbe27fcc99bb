//! The svmlight reader on files written by scikit-learn's `dump_svmlight_file`
//! (`scripts/make_svmlight_fixture.py`): one-based with a comment header, zero-based, and with
//! query ids. Each must give bitwise the matrix and labels scikit-learn's own
//! `load_svmlight_file` reads from them (saved as `.npy` beside them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use proxreg_io::npy;
use proxreg_io::svmlight::{read, SvmlightData, SvmlightOptions, ZeroBased};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The dense column-major form of the first `p` columns.
fn dense(d: &SvmlightData) -> Vec<f64> {
    let mut out = vec![0.0; d.nrows * d.ncols];
    for j in 0..d.ncols {
        for k in d.col_ptr[j]..d.col_ptr[j + 1] {
            out[j * d.nrows + d.row_idx[k]] = d.values[k];
        }
    }
    out
}

#[test]
fn scikit_learn_files_read_exactly() {
    let want = npy::read(&data("sklearn_dense.npy")).unwrap();
    let y = npy::read(&data("sklearn_y.npy")).unwrap();
    let (n, p) = (want.nrows(), want.ncols());
    assert_eq!((n, p), (12, 7));
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (file, zero_based) in [
        ("sklearn_one_based.svm", false),
        ("sklearn_zero_based.svm", true),
        ("sklearn_qid.svm", false),
    ] {
        // auto detection, the number of features given (the last column is empty)
        let opts = SvmlightOptions {
            n_features: Some(p),
            ..SvmlightOptions::default()
        };
        let d = read(&data(file), &opts).unwrap();
        assert_eq!(
            (d.nrows, d.ncols, d.zero_based),
            (n, p, zero_based),
            "{file}"
        );
        assert_eq!(bits(&dense(&d)), bits(&want.data), "{file}");
        assert_eq!(bits(&d.labels), bits(&y.data), "{file}");
        assert!(d.row_idx.len() < n * p, "{file}: stored entries only");
        // without n_features: as many columns as the largest index says
        let forced = SvmlightOptions {
            zero_based: if zero_based {
                ZeroBased::Yes
            } else {
                ZeroBased::No
            },
            ..SvmlightOptions::default()
        };
        let d = read(&data(file), &forced).unwrap();
        assert_eq!(d.ncols, p - 1, "{file}");
        assert_eq!(bits(&dense(&d)), bits(&want.data[..n * (p - 1)]), "{file}");
    }
}
