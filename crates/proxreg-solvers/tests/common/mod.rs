//! Seeded data for the tests.

use proxreg_linalg::ColMajor;

/// A tiny deterministic normal generator (xorshift + Box–Muller), so that the tests need no
/// extra dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(
            seed.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                | 1,
        )
    }
    pub fn uniform(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        ((x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// `n × p` AR(1) design with correlation `rho`, a sparse truth with `k` nonzeros, and
/// `y = X w* + noise` (signal-to-noise 3).
pub fn problem(n: usize, p: usize, rho: f64, k: usize, seed: u64) -> (ColMajor<f64>, Vec<f64>) {
    let mut rng = Rng::new(seed);
    let mut data = vec![0.0; n * p];
    let s = (1.0 - rho * rho).sqrt();
    for i in 0..n {
        let mut prev = rng.normal();
        data[i] = prev;
        for j in 1..p {
            prev = rho * prev + s * rng.normal();
            data[j * n + i] = prev;
        }
    }
    let x = ColMajor::new(data, n, p).unwrap();
    let mut w = vec![0.0; p];
    for t in 0..k.min(p) {
        w[(t * 7919) % p] = rng.normal();
    }
    let mut y = vec![0.0; n];
    for j in 0..p {
        for i in 0..n {
            y[i] += x.col(j)[i] * w[j];
        }
    }
    let sig = y.iter().map(|v| v * v).sum::<f64>().sqrt();
    let noise: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let nn = noise.iter().map(|v| v * v).sum::<f64>().sqrt();
    for i in 0..n {
        y[i] += noise[i] * sig / (3.0 * nn.max(1e-300));
    }
    (x, y)
}

pub fn to_f32(x: &ColMajor<f64>, y: &[f64]) -> (ColMajor<f32>, Vec<f32>) {
    (
        ColMajor::new(
            x.as_slice().iter().map(|&v| v as f32).collect(),
            x.nrows(),
            x.ncols(),
        )
        .unwrap(),
        y.iter().map(|&v| v as f32).collect(),
    )
}

pub fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}
