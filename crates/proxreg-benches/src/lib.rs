//! Criterion benchmarks of proxreg's backends and solvers live in `benches/`, the screening timing
//! in `examples/`; this library holds the seeded data they share.
//!
//! Run them with `cargo bench -p proxreg-benches`.

use proxreg_linalg::{ColMajor, DesignMatrix};

/// Seeded AR(1) design (columns x_j = ρ·x_{j−1} + √(1−ρ²)·e_j, so corr(x_j, x_k) = ρ^|j−k|),
/// sparse truth with `k` normal entries, noise with ‖Xw*‖/‖ε‖ = 3.
pub fn ar1(n: usize, p: usize, rho: f64, k: usize, seed: u64) -> (ColMajor<f64>, Vec<f64>) {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut normal = move || {
        let mut u = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (a, b) = (u(), u());
        (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
    };
    let c = (1.0 - rho * rho).sqrt();
    let mut data = vec![0.0; n * p];
    for i in 0..n {
        let mut prev = normal();
        data[i] = prev;
        for j in 1..p {
            prev = rho * prev + c * normal();
            data[j * n + i] = prev;
        }
    }
    let x = ColMajor::new(data, n, p).unwrap_or_default();
    let mut w = vec![0.0; p];
    for t in 0..k {
        w[(t * 7919 + 13) % p] = normal();
    }
    let mut y = vec![0.0; n];
    x.gemv(1.0, &w, 0.0, &mut y);
    let noise: Vec<f64> = (0..n).map(|_| normal()).collect();
    let sig = y.iter().map(|v| v * v).sum::<f64>().sqrt();
    let nn = noise.iter().map(|v| v * v).sum::<f64>().sqrt();
    for (yi, e) in y.iter_mut().zip(&noise) {
        *yi += e * sig / (3.0 * nn);
    }
    (x, y)
}
