//! The binary encoding of a statistics block: the state, the partial aggregate and the result
//! of [`proxreg_stats`](crate::ProxregStats).
//!
//! A small fixed little-endian layout rather than JSON: it is exact (every `f64` keeps its
//! bits), has a size known from `p` alone, and costs no parsing. Version 1:
//!
//! | offset | size | content |
//! | --- | --- | --- |
//! | 0 | 4 | magic `PXSS` |
//! | 4 | 4 | version, `u32` (1) |
//! | 8 | 8 | `p`, the number of features, `u64` |
//! | 16 | 8 | `n`, the number of rows (zero-weight rows included), `u64` |
//! | 24 | 8 | the weight sum `W` (`n` without weights), `f64` |
//! | 32 | 8 | the weighted mean of `y`, `f64` |
//! | 40 | 8 | `yy = Σ s (y − ȳ)²`, `f64` |
//! | 48 | 8p | the weighted means of the features, `f64` |
//! | 48 + 8p | 8p | `xy = Σ s (x − μ)(y − ȳ)`, `f64` |
//! | 48 + 16p | 8p² | `xx = Σ s (x − μ)(x − μ)ᵀ`, column-major, `f64` |
//!
//! The total length is `48 + 8(p² + 2p)` bytes. A block with `W = 0` holds zeros after the
//! row count (the statistics of no rows, or of rows that all have weight 0).

use proxreg_linalg::ColMajor;
use proxreg_solvers::SufficientStats;

use crate::error::InputError;

/// The magic bytes at the start of every block.
pub const MAGIC: [u8; 4] = *b"PXSS";
/// The version of the encoding written by [`encode`].
pub const ENCODING_VERSION: u32 = 1;
const HEADER: usize = 48;

/// The encoded length of a block of `p` features (`None` on overflow).
fn block_len(p: usize) -> Option<usize> {
    p.checked_mul(p)?
        .checked_add(p.checked_mul(2)?)?
        .checked_mul(8)?
        .checked_add(HEADER)
}

/// Encodes statistics as a version-1 block (see the [module docs](self)).
///
/// ```
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::SufficientStats;
/// let x = ColMajor::from_fn(5, 2, |i, j| (i * i + j) as f64);
/// let s = SufficientStats::from_batch(&x, &[1.0, 0.5, 2.0, 3.0, 1.5], None)?;
/// let bytes = proxreg_datafusion::encode(&s);
/// assert_eq!(bytes.len(), 48 + 8 * (4 + 4));
/// assert_eq!(proxreg_datafusion::decode(&bytes)?, s);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn encode(stats: &SufficientStats<f64>) -> Vec<u8> {
    encode_parts(stats, stats.n_samples())
}

/// Encodes `stats` with the row count `n` (at least `stats.n_samples()`: rows of zero weight
/// counted outside the statistics).
pub(crate) fn encode_parts(stats: &SufficientStats<f64>, n: usize) -> Vec<u8> {
    let p = stats.n_features();
    let mut out = Vec::with_capacity(block_len(p).unwrap_or(HEADER));
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&ENCODING_VERSION.to_le_bytes());
    out.extend_from_slice(&(p as u64).to_le_bytes());
    out.extend_from_slice(&(n as u64).to_le_bytes());
    let floats = [stats.weight_sum(), stats.y_mean(), stats.yy()]
        .into_iter()
        .chain(stats.x_mean().iter().copied())
        .chain(stats.xy().iter().copied())
        .chain(stats.xx().as_slice().iter().copied());
    for v in floats {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// A decoded block: the row count and, when the weight sum is positive, the statistics.
#[derive(Debug)]
pub(crate) struct Block {
    /// Rows, zero-weight rows included.
    pub(crate) n: usize,
    /// Features.
    pub(crate) p: usize,
    /// `None` when the weight sum is 0 (no rows, or only rows of weight 0).
    pub(crate) stats: Option<SufficientStats<f64>>,
}

/// Decodes a block written by [`encode`].
///
/// # Errors
/// [`InputError::Block`] for bytes that are not a version-1 block; [`InputError::Block`] also
/// for rows of zero total weight (statistics cannot hold them); [`InputError::Stats`] for
/// values that are not statistics (NaN, a negative `yy`, an asymmetric `xx`, ...).
pub fn decode(bytes: &[u8]) -> Result<SufficientStats<f64>, InputError> {
    let block = decode_block(bytes)?;
    match block.stats {
        Some(s) => Ok(s),
        None if block.n == 0 => Ok(SufficientStats::empty(block.p)),
        None => Err(InputError::Block(format!(
            "{} rows of zero total weight",
            block.n
        ))),
    }
}

pub(crate) fn decode_block(bytes: &[u8]) -> Result<Block, InputError> {
    let bad = |what: String| InputError::Block(what);
    if bytes.len() < HEADER {
        return Err(bad(format!(
            "{} bytes, shorter than the {HEADER}-byte header",
            bytes.len()
        )));
    }
    if bytes[..4] != MAGIC {
        return Err(bad("no PXSS magic".into()));
    }
    let u32_at = |o: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&bytes[o..o + 4]);
        u32::from_le_bytes(b)
    };
    let u64_at = |o: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[o..o + 8]);
        u64::from_le_bytes(b)
    };
    let f64_at = |o: usize| f64::from_bits(u64_at(o));
    let version = u32_at(4);
    if version != ENCODING_VERSION {
        return Err(bad(format!(
            "version {version}, this build reads version {ENCODING_VERSION}"
        )));
    }
    let p = usize::try_from(u64_at(8)).map_err(|_| bad("feature count overflows".into()))?;
    let n = usize::try_from(u64_at(16)).map_err(|_| bad("row count overflows".into()))?;
    if p == 0 {
        return Err(bad("no features".into()));
    }
    let expected = block_len(p).ok_or_else(|| bad(format!("{p} features overflow")))?;
    if bytes.len() != expected {
        return Err(bad(format!(
            "{} bytes, expected {expected} for {p} features",
            bytes.len()
        )));
    }
    let weight_sum = f64_at(24);
    let read = |start: usize, len: usize| -> Vec<f64> {
        (0..len).map(|i| f64_at(start + 8 * i)).collect()
    };
    if weight_sum == 0.0 {
        return Ok(Block { n, p, stats: None });
    }
    let x_mean = read(HEADER, p);
    let xy = read(HEADER + 8 * p, p);
    let xx = ColMajor::new(read(HEADER + 16 * p, p * p), p, p)?;
    let stats = SufficientStats::from_parts(n, weight_sum, x_mean, f64_at(32), xx, xy, f64_at(40))?;
    Ok(Block {
        n,
        p,
        stats: Some(stats),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_bitwise_and_bad_blocks_are_errors() -> Result<(), Box<dyn std::error::Error>> {
        let x = ColMajor::from_fn(7, 3, |i, j| ((i * 5 + j * 3) % 7) as f64 + 1e6);
        let y: Vec<f64> = (0..7).map(|i| (i as f64).sin()).collect();
        let w: Vec<f64> = (0..7).map(|i| 0.5 + i as f64).collect();
        let s = SufficientStats::from_batch(&x, &y, Some(&w))?;
        let bytes = encode(&s);
        assert_eq!(decode(&bytes)?, s);
        // the empty statistics
        let e = SufficientStats::empty(3);
        assert_eq!(decode(&encode(&e))?, e);
        // zero-weight rows only: a block, but not statistics
        let z = encode_parts(&e, 4);
        assert_eq!(decode_block(&z)?.n, 4);
        assert!(matches!(decode(&z), Err(InputError::Block(_))));
        // truncated, wrong magic, wrong version, NaN
        assert!(matches!(
            decode(&bytes[..bytes.len() - 1]),
            Err(InputError::Block(_))
        ));
        assert!(matches!(decode(&bytes[..10]), Err(InputError::Block(_))));
        let mut m = bytes.clone();
        m[0] = b'Q';
        assert!(matches!(decode(&m), Err(InputError::Block(_))));
        let mut v = bytes.clone();
        v[4] = 2;
        assert!(matches!(decode(&v), Err(InputError::Block(_))));
        let mut nan = bytes.clone();
        nan[HEADER..HEADER + 8].copy_from_slice(&f64::NAN.to_le_bytes());
        assert!(matches!(decode(&nan), Err(InputError::Stats(_))));
        // a huge p does not overflow or allocate
        let mut huge = bytes;
        huge[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(decode(&huge), Err(InputError::Block(_))));
        Ok(())
    }
}
