//! A small reader and writer for `.npy` files holding `f64` arrays (1-D or 2-D, C or Fortran
//! order), the format `numpy.save` writes: magic `\x93NUMPY`, version, a little-endian header
//! length, a Python-dict header, then the raw data.

use std::io::{Read, Write};
use std::path::Path;

/// What can go wrong reading a `.npy` file.
#[derive(Debug, thiserror::Error)]
pub enum NpyError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file does not start with the `.npy` magic string.
    #[error("not a .npy file (bad magic)")]
    BadMagic,
    /// A format version this reader does not know.
    #[error("unsupported .npy version {0}.{1}")]
    Version(u8, u8),
    /// The header dict is malformed or lacks a key.
    #[error("bad .npy header: {0}")]
    Header(String),
    /// The array is not little-endian float64.
    #[error("unsupported dtype {0:?} (only '<f8' / float64)")]
    Dtype(String),
    /// The data section is shorter or longer than the shape says.
    #[error("data has {got} bytes, shape needs {want}")]
    Length {
        /// Bytes present.
        got: usize,
        /// Bytes the shape requires.
        want: usize,
    },
}

/// An `f64` array read from a `.npy` file, with its data in column-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    /// Shape: `[n]` for a vector, `[rows, cols]` for a matrix.
    pub shape: Vec<usize>,
    /// The elements, column-major (converted if the file was C-ordered).
    pub data: Vec<f64>,
}

impl Array {
    /// Rows (the length of a vector).
    pub fn nrows(&self) -> usize {
        self.shape.first().copied().unwrap_or(1)
    }
    /// Columns (1 for a vector).
    pub fn ncols(&self) -> usize {
        self.shape.get(1).copied().unwrap_or(1)
    }
}

const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// Reads a `.npy` file, streaming the data section (the peak memory is the array plus 1 MiB,
/// not the file's bytes and the array at once).
///
/// # Errors
/// [`NpyError`] naming what is wrong with the file.
pub fn read(path: &Path) -> Result<Array, NpyError> {
    let io = |source| NpyError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut head = vec![0u8; 12];
    let got = read_up_to(&mut f, &mut head).map_err(io)?;
    head.truncate(got);
    let (start, hlen) = prefix(&head)?;
    let mut header = head;
    header.resize(start + hlen, 0);
    if got < start + hlen {
        f.read_exact(&mut header[got..])
            .map_err(|_| NpyError::Header("header runs past the end of the file".into()))?;
    }
    let (shape, fortran, want) = parse_header(&header[start..start + hlen])?;
    let mut raw: Vec<f64> = Vec::with_capacity(want / 8);
    // bytes of the header buffer already past the header (when the file is tiny)
    let mut pending: Vec<u8> = header[start + hlen..].to_vec();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        pending.extend_from_slice(&buf[..n]);
        let whole = pending.len() / 8 * 8;
        if raw.len() * 8 + whole > want {
            return Err(NpyError::Length {
                got: raw.len() * 8 + pending.len(),
                want,
            });
        }
        raw.extend(pending[..whole].chunks_exact(8).map(le_f64));
        pending.drain(..whole);
    }
    let got = raw.len() * 8 + pending.len();
    if got != want {
        return Err(NpyError::Length { got, want });
    }
    Ok(finish(shape, fortran, raw))
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        let n = f.read(&mut buf[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(got)
}

fn le_f64(c: &[u8]) -> f64 {
    f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])
}

/// Where the header starts and how long it is, from the magic and version prefix.
fn prefix(bytes: &[u8]) -> Result<(usize, usize), NpyError> {
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(NpyError::BadMagic);
    }
    let (major, minor) = (bytes[6], bytes[7]);
    match major {
        1 => Ok((10, u16::from_le_bytes([bytes[8], bytes[9]]) as usize)),
        2 | 3 => {
            if bytes.len() < 12 {
                return Err(NpyError::BadMagic);
            }
            Ok((
                12,
                u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            ))
        }
        _ => Err(NpyError::Version(major, minor)),
    }
}

/// Shape, Fortran flag and data size in bytes from the header dict.
fn parse_header(header: &[u8]) -> Result<(Vec<usize>, bool, usize), NpyError> {
    let header = std::str::from_utf8(header).map_err(|e| NpyError::Header(e.to_string()))?;
    let descr = dict_value(header, "descr")?;
    let descr = descr.trim().trim_matches(|c| c == '\'' || c == '"');
    if descr != "<f8" && descr != "f8" && descr != "=f8" {
        return Err(NpyError::Dtype(descr.to_string()));
    }
    let fortran = match dict_value(header, "fortran_order")?.trim() {
        "True" => true,
        "False" => false,
        other => return Err(NpyError::Header(format!("fortran_order = {other}"))),
    };
    let shape_text = dict_value(header, "shape")?;
    let shape_text = shape_text
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')');
    let mut shape = Vec::new();
    for part in shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        shape.push(
            part.parse::<usize>()
                .map_err(|_| NpyError::Header(format!("shape entry {part:?}")))?,
        );
    }
    if shape.len() > 2 {
        return Err(NpyError::Header(format!(
            "{}-dimensional arrays are not supported",
            shape.len()
        )));
    }
    let count = shape.iter().try_fold(1usize, |a, &b| a.checked_mul(b));
    let want = count
        .and_then(|c| c.checked_mul(8))
        .ok_or_else(|| NpyError::Header("shape overflows".into()))?;
    Ok((shape, fortran, want))
}

/// The array in column-major order (C-ordered matrices are transposed).
fn finish(shape: Vec<usize>, fortran: bool, raw: Vec<f64>) -> Array {
    let data = if shape.len() == 2 && !fortran {
        let (r, c) = (shape[0], shape[1]);
        let mut out = vec![0.0; r * c];
        for i in 0..r {
            for j in 0..c {
                out[j * r + i] = raw[i * c + j];
            }
        }
        out
    } else {
        raw
    };
    Array { shape, data }
}

/// Parses the bytes of a `.npy` file.
///
/// # Errors
/// [`NpyError`] naming what is wrong.
pub fn parse(bytes: &[u8]) -> Result<Array, NpyError> {
    let (start, hlen) = prefix(bytes)?;
    let header = bytes
        .get(start..start + hlen)
        .ok_or_else(|| NpyError::Header("header runs past the end of the file".into()))?;
    let (shape, fortran, want) = parse_header(header)?;
    let body = &bytes[start + hlen..];
    if body.len() != want {
        return Err(NpyError::Length {
            got: body.len(),
            want,
        });
    }
    Ok(finish(
        shape,
        fortran,
        body.chunks_exact(8).map(le_f64).collect(),
    ))
}

/// The text of `key`'s value in a Python dict literal such as numpy's header, up to the next
/// top-level comma (parentheses nest).
fn dict_value(header: &str, key: &str) -> Result<String, NpyError> {
    let pat_single = format!("'{key}'");
    let pat_double = format!("\"{key}\"");
    let at = header
        .find(&pat_single)
        .or_else(|| header.find(&pat_double))
        .ok_or_else(|| NpyError::Header(format!("no key {key:?}")))?;
    let rest = &header[at + key.len() + 2..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')
        .ok_or_else(|| NpyError::Header(format!("no ':' after {key:?}")))?;
    let mut depth = 0i32;
    let mut end = rest.len();
    for (i, ch) in rest.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | '}' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    Ok(rest[..end].to_string())
}

/// Writes `data` (column-major, `shape` of 1 or 2 entries) as a Fortran-ordered `.npy` file.
///
/// # Errors
/// [`NpyError::Io`] when the file cannot be written, [`NpyError::Length`] when `data` does not
/// match `shape`.
pub fn write(path: &Path, shape: &[usize], data: &[f64]) -> Result<(), NpyError> {
    let want: usize = shape.iter().product();
    if want != data.len() {
        return Err(NpyError::Length {
            got: data.len() * 8,
            want: want * 8,
        });
    }
    let shape_txt = match shape {
        [n] => format!("({n},)"),
        dims => format!(
            "({})",
            dims.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': True, 'shape': {shape_txt}, }}");
    // pad so that the data starts at a multiple of 64 bytes, ending the header with '\n'
    while !(10 + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + data.len() * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    let hl = u16::try_from(header.len()).map_err(|_| NpyError::Header("header too long".into()))?;
    out.extend_from_slice(&hl.to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in data {
        out.extend_from_slice(&v.to_le_bytes());
    }
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(&out))
        .map_err(|source| NpyError::Io {
            path: path.display().to_string(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(header: &str, data: &[f64]) -> Vec<u8> {
        let mut h = header.to_string();
        while !(10 + h.len() + 1).is_multiple_of(64) {
            h.push(' ');
        }
        h.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(h.len() as u16).to_le_bytes());
        out.extend_from_slice(h.as_bytes());
        for v in data {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    #[test]
    fn c_order_matrix_is_transposed_to_column_major() {
        // numpy: np.save(f, np.array([[1., 2., 3.], [4., 5., 6.]]))
        let b = file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
            &[1., 2., 3., 4., 5., 6.],
        );
        let a = parse(&b).unwrap();
        assert_eq!(a.shape, vec![2, 3]);
        assert_eq!(a.data, vec![1., 4., 2., 5., 3., 6.]);
    }

    #[test]
    fn fortran_order_and_vectors_are_read_as_is() {
        let b = file(
            "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
            &[1., 4., 2., 5., 3., 6.],
        );
        assert_eq!(parse(&b).unwrap().data, vec![1., 4., 2., 5., 3., 6.]);
        let v = file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
            &[7., 8., 9.],
        );
        let a = parse(&v).unwrap();
        assert_eq!((a.nrows(), a.ncols(), a.data), (3, 1, vec![7., 8., 9.]));
    }

    #[test]
    fn write_then_read_round_trips() {
        let dir = std::env::temp_dir().join(format!("proxreg-npy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.npy");
        write(&p, &[2, 2], &[1.5, -2.0, f64::MIN_POSITIVE, 4.0]).unwrap();
        let a = read(&p).unwrap();
        assert_eq!(a.shape, vec![2, 2]);
        assert_eq!(a.data, vec![1.5, -2.0, f64::MIN_POSITIVE, 4.0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn read_streams_files_like_parse() {
        let dir = std::env::temp_dir().join(format!("proxreg-npy-r-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let c = file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
            &[1., 2., 3., 4., 5., 6.],
        );
        std::fs::write(dir.join("c.npy"), &c).unwrap();
        assert_eq!(read(&dir.join("c.npy")).unwrap(), parse(&c).unwrap());
        let short = file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
            &[1.0],
        );
        std::fs::write(dir.join("s.npy"), &short).unwrap();
        assert!(matches!(
            read(&dir.join("s.npy")),
            Err(NpyError::Length { got: 8, want: 24 })
        ));
        let long = file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
            &[1.0, 2.0],
        );
        std::fs::write(dir.join("l.npy"), &long).unwrap();
        assert!(matches!(
            read(&dir.join("l.npy")),
            Err(NpyError::Length { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn malformed_files_get_typed_errors() {
        assert!(matches!(parse(b"hello world!"), Err(NpyError::BadMagic)));
        let f4 = file(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
            &[],
        );
        assert!(matches!(parse(&f4), Err(NpyError::Dtype(_))));
        let short = file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
            &[1.0],
        );
        assert!(matches!(
            parse(&short),
            Err(NpyError::Length { got: 8, want: 24 })
        ));
        let noshape = file("{'descr': '<f8', 'fortran_order': False, }", &[]);
        assert!(matches!(parse(&noshape), Err(NpyError::Header(_))));
        let mut v9 = file(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }",
            &[],
        );
        v9[6] = 9;
        assert!(matches!(parse(&v9), Err(NpyError::Version(9, 0))));
        assert!(matches!(
            read(Path::new("/nonexistent/x.npy")),
            Err(NpyError::Io { .. })
        ));
    }
}
