//! Runner for the side-by-side comparison in `benches/compare` (not published).
//!
//! The binary `proxreg-compare` reads a design `X` and targets `y` from `.npy` files, runs one
//! benchmark task with proxreg, and prints one JSON line: the times measured around the solve
//! only, their median, and (unless `--coef-out` is given) the coefficients. The Python driver
//! checks every answer with its one duality-gap function.

pub mod json;

/// The median of `v` (the mean of the two middle values for an even count; NaN when empty).
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => 0.5 * (s[n / 2 - 1] + s[n / 2]),
    }
}

/// One pass reading `data` (a streaming-read kernel for the memory-bandwidth probe): the sum,
/// with independent accumulators so the loop is bound by memory, not by the add latency.
pub fn streaming_sum(data: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = data.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, &v) in acc.iter_mut().zip(c) {
            *a += v;
        }
    }
    acc.iter().sum::<f64>() + rest.iter().sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn streaming_sum_matches_a_plain_sum() {
        let v: Vec<f64> = (0..1003).map(|i| i as f64).collect();
        assert_eq!(streaming_sum(&v), 1002.0 * 1003.0 / 2.0);
    }
}
