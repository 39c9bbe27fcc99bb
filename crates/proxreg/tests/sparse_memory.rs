//! A fit on a sparse design whose dense form could not exist in memory (issue #20): a
//! 1 000 000 × 200 000 CSC matrix (1.6 TB dense, 24 MB as CSC with 32-bit indices) is fitted
//! by the Lasso and by L1 logistic regression, with intercept and standardization, and the
//! peak memory the fits add is measured (Linux: `VmHWM` after resetting it through
//! `/proc/self/clear_refs`). Its own test binary, so that no other test shares the process.
#![allow(missing_docs, clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use proxreg::linalg::{CscMatrix, DesignMatrix};
use proxreg::prelude::*;

const N: usize = 1_000_000;
const P: usize = 200_000;
const PER_COL: usize = 10;

/// A seeded CSC matrix with `PER_COL` entries per column (rows from an LCG, sorted, distinct)
/// and a target from 20 of its columns plus noise.
fn data() -> (CscMatrix<f64, u32>, Vec<f64>) {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        s >> 11
    };
    let mut col_ptr = Vec::with_capacity(P + 1);
    let mut row_idx: Vec<u32> = Vec::with_capacity(P * PER_COL);
    let mut values = Vec::with_capacity(P * PER_COL);
    col_ptr.push(0_u32);
    let mut rows = Vec::with_capacity(PER_COL);
    for _ in 0..P {
        rows.clear();
        while rows.len() < PER_COL {
            let r = (next() % N as u64) as u32;
            if !rows.contains(&r) {
                rows.push(r);
            }
        }
        rows.sort_unstable();
        for &r in &rows {
            row_idx.push(r);
            values.push((next() % 2001) as f64 / 1000.0 - 1.0 + 0.5);
        }
        col_ptr.push(row_idx.len() as u32);
    }
    let x = CscMatrix::new(N, P, col_ptr, row_idx, values).unwrap();
    let mut w = vec![0.0; P];
    for t in 0..20 {
        w[t * 9973] = 2.0 + t as f64 / 10.0;
    }
    let mut y = vec![0.0; N];
    x.gemv(1.0, &w, 0.0, &mut y);
    for v in &mut y {
        *v += (next() % 1000) as f64 / 1000.0 - 0.5;
    }
    (x, y)
}

/// `(VmRSS, VmHWM)` in bytes.
#[cfg(target_os = "linux")]
fn rss() -> (usize, usize) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let get = |key: &str| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<usize>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (get("VmRSS:"), get("VmHWM:"))
}

#[test]
fn fits_on_a_csc_whose_dense_form_would_not_fit_in_memory() {
    let (x, y) = data();
    let csc_bytes = x.nnz() * (8 + 4) + (P + 1) * 4;
    // The peak of the fits alone.
    #[cfg(target_os = "linux")]
    let before = {
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        (reset, rss().0)
    };

    let lp = Lasso::params().standardize(true).tol(1e-6);
    let amax = lp.alpha_max(&x, &y, None).unwrap();
    let lasso = lp.alpha(amax / 4.0).fit(&x, &y).unwrap();
    assert_eq!(lasso.status(), Status::Converged, "{:?}", lasso.report());
    let support = lasso.support();
    assert!(
        !support.is_empty() && support.len() < 2000,
        "{}",
        support.len()
    );

    let median = {
        let mut s = y.clone();
        s.sort_by(f64::total_cmp);
        s[N / 2]
    };
    let yb: Vec<f64> = y.iter().map(|&v| f64::from(u8::from(v > median))).collect();
    // 1e-5: at n = 1e6 the line search stalls near a relative gap of 1e-6, where the change of
    // the objective (a sum of a million losses) is below its summation's rounding.
    let gp = LogisticRegression::params().standardize(true).tol(1e-5);
    let amax = gp.alpha_max(&x, &yb, None).unwrap();
    let logit = gp.alpha(amax / 4.0).fit(&x, &yb).unwrap();
    assert!(!logit.support().is_empty());
    assert_eq!(logit.status(), Status::Converged, "{:?}", logit.report());

    #[cfg(target_os = "linux")]
    {
        let (reset, base) = before;
        let (_, peak) = rss();
        if reset {
            let added = peak.saturating_sub(base);
            // O(nnz + n + p), not O(n·p): the CSC matrix once more, plus a few dozen vectors
            // of length n or p. The dense form would be 1.6e12 bytes.
            let bound = 2 * csc_bytes + 16 * 8 * (N + P);
            eprintln!(
                "sparse fits: peak added {:.1} MB (CSC {:.1} MB, bound {:.1} MB)",
                added as f64 / 1e6,
                csc_bytes as f64 / 1e6,
                bound as f64 / 1e6
            );
            assert!(added <= bound, "peak added {added} bytes > {bound}");
        }
    }
}
