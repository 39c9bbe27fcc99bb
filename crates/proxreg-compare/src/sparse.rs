//! T6's sparse design on disk: the CSC arrays as three `.npy` files plus the shape (written by
//! `benches/compare/common.py: ensure_sparse_data`), read straight into a
//! [`proxreg_linalg::CscMatrix`] (never a dense matrix), and a streaming `.npy` writer for the
//! coefficients (so the runner's peak memory is not inflated by a second copy of its output).

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use proxreg_io::npy;
use proxreg_linalg::CscMatrix;

/// A 1-D integer array as stored: `<i4` or `<i8`.
#[derive(Debug)]
enum Ints {
    I32(Vec<i32>),
    I64(Vec<i64>),
}

/// Reads a 1-D little-endian integer `.npy` file (`<i4` or `<i8`), streaming the data section
/// into a vector of the stored width (no wider intermediate copy).
fn read_ints(path: &Path) -> Result<Ints, String> {
    let what = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut f = std::fs::File::open(path).map_err(|e| what(&e))?;
    let mut pre = [0u8; 10];
    f.read_exact(&mut pre).map_err(|e| what(&e))?;
    if &pre[..6] != b"\x93NUMPY" {
        return Err(what(&"not a .npy file"));
    }
    let hlen = match pre[6] {
        1 => usize::from(u16::from_le_bytes([pre[8], pre[9]])),
        2 | 3 => {
            let mut more = [0u8; 2];
            f.read_exact(&mut more).map_err(|e| what(&e))?;
            u32::from_le_bytes([pre[8], pre[9], more[0], more[1]]) as usize
        }
        v => return Err(what(&format!("npy version {v}"))),
    };
    let mut header = vec![0u8; hlen];
    f.read_exact(&mut header).map_err(|e| what(&e))?;
    let header = String::from_utf8(header).map_err(|e| what(&e))?;
    let wide = if header.contains("'<i4'") {
        false
    } else if header.contains("'<i8'") {
        true
    } else {
        return Err(what(&format!("expected '<i4' or '<i8' in {header:?}")));
    };
    let shape = header
        .split("'shape':")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .map(|s| s.trim().trim_start_matches('('))
        .ok_or_else(|| what(&"no shape"))?;
    let dims: Vec<usize> = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|e| what(&e)))
        .collect::<Result<_, _>>()?;
    let [len] = dims[..] else {
        return Err(what(&format!("expected a 1-D array, shape {dims:?}")));
    };
    let width = if wide { 8 } else { 4 };
    let mut out = if wide {
        Ints::I64(Vec::with_capacity(len))
    } else {
        Ints::I32(Vec::with_capacity(len))
    };
    let mut buf = vec![0u8; (1 << 16) * width];
    let mut left = len;
    while left > 0 {
        let take = left.min(1 << 16);
        let chunk = &mut buf[..take * width];
        f.read_exact(chunk).map_err(|e| what(&e))?;
        match &mut out {
            Ints::I32(v) => v.extend(
                chunk
                    .chunks_exact(4)
                    .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            ),
            Ints::I64(v) => v.extend(
                chunk
                    .chunks_exact(8)
                    .map(|c| i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])),
            ),
        }
        left -= take;
    }
    Ok(out)
}

/// A 1-D `<i4` file (the CSC index arrays).
fn read_i32(path: &Path) -> Result<Vec<i32>, String> {
    match read_ints(path)? {
        Ints::I32(v) => Ok(v),
        Ints::I64(_) => Err(format!(
            "{}: CSC index arrays must be int32 ('<i4')",
            path.display()
        )),
    }
}

/// The file names of the CSC design with prefix `prefix` (`{prefix}_indptr.npy`, ...).
fn part(prefix: &Path, name: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(format!("_{name}.npy"));
    PathBuf::from(s)
}

/// Reads the CSC design at `prefix` (int32 `indptr` and `indices`, float64 `data`, int64
/// `shape`) into a validated `CscMatrix<f64, i32>`; the three arrays are moved in, not copied.
pub fn read_csc(prefix: &Path) -> Result<CscMatrix<f64, i32>, String> {
    let shape = match read_ints(&part(prefix, "shape"))? {
        Ints::I64(v) => v,
        Ints::I32(v) => v.into_iter().map(i64::from).collect(),
    };
    let [n, p] = shape[..] else {
        return Err(format!("shape must have 2 entries, has {shape:?}"));
    };
    let (n, p) = (
        usize::try_from(n).map_err(|e| e.to_string())?,
        usize::try_from(p).map_err(|e| e.to_string())?,
    );
    let indptr = read_i32(&part(prefix, "indptr"))?;
    let indices = read_i32(&part(prefix, "indices"))?;
    let data = npy::read(&part(prefix, "data"))
        .map_err(|e| format!("data: {e}"))?
        .data;
    CscMatrix::new(n, p, indptr, indices, data).map_err(|e| e.to_string())
}

/// Writes `data` (column-major, `shape` of 1 or 2 entries) as a Fortran-ordered float64 `.npy`
/// file through a buffered writer (no second in-memory copy of `data`).
pub fn write_npy(path: &Path, shape: &[usize], data: &[f64]) -> Result<(), String> {
    let want: usize = shape.iter().product();
    if want != data.len() {
        return Err(format!("{} values for shape {shape:?}", data.len()));
    }
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let shape_txt = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': True, 'shape': {shape_txt}, }}");
    while !(10 + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let hl = u16::try_from(header.len()).map_err(|_| "npy header too long".to_string())?;
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut w = BufWriter::new(std::fs::File::create(path).map_err(io)?);
    w.write_all(b"\x93NUMPY\x01\x00").map_err(io)?;
    w.write_all(&hl.to_le_bytes()).map_err(io)?;
    w.write_all(header.as_bytes()).map_err(io)?;
    for v in data {
        w.write_all(&v.to_le_bytes()).map_err(io)?;
    }
    w.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proxreg_linalg::DesignMatrix;

    fn write_ints(path: &Path, descr: &str, vals: &[i64]) {
        let mut header = format!(
            "{{'descr': '{descr}', 'fortran_order': False, 'shape': ({},), }}",
            vals.len()
        );
        while !(10 + header.len() + 1).is_multiple_of(64) {
            header.push(' ');
        }
        header.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        for &v in vals {
            if descr == "<i4" {
                out.extend_from_slice(&(v as i32).to_le_bytes());
            } else {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        std::fs::write(path, out).unwrap();
    }

    #[test]
    fn reads_a_csc_written_in_numpys_format() {
        let dir = std::env::temp_dir().join(format!("proxreg-compare-csc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let prefix = dir.join("m_X");
        // [[1, 0, 0], [0, 0, 2], [3, 0, 4]] (3 x 3, the middle column empty)
        write_ints(&part(&prefix, "shape"), "<i8", &[3, 3]);
        write_ints(&part(&prefix, "indptr"), "<i4", &[0, 2, 2, 4]);
        write_ints(&part(&prefix, "indices"), "<i4", &[0, 2, 1, 2]);
        write_npy(&part(&prefix, "data"), &[4], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        let x = read_csc(&prefix).unwrap();
        assert_eq!((x.nrows(), x.ncols(), x.nnz()), (3, 3, 4));
        let mut y = vec![0.0; 3];
        x.gemv(1.0, &[1.0, 10.0, 100.0], 0.0, &mut y);
        assert_eq!(y, vec![1.0, 200.0, 403.0]);
        // int64 index arrays are refused (the runner stores int32)
        write_ints(&part(&prefix, "indices"), "<i8", &[0, 2, 1, 2]);
        assert!(read_csc(&prefix).is_err());
        let back = npy::read(&part(&prefix, "data")).unwrap();
        assert_eq!(back.data, vec![1.0, 3.0, 2.0, 4.0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
