//! Test helpers: a seeded Gaussian generator, a least-squares problem, and an exact dense Ridge
//! reference.

use proxreg_core::Scalar;

/// Instantiates each generic test function `name::<T>()` for `f32` and `f64`.
macro_rules! scalar_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn f32() {
                    super::$name::<f32>();
                }
                #[test]
                fn f64() {
                    super::$name::<f64>();
                }
            }
        )*
    };
}
pub(crate) use scalar_tests;

/// SplitMix64 with Box–Muller: deterministic standard normal draws.
pub struct Gauss(u64);

impl Gauss {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1].
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    pub fn vec(&mut self, len: usize) -> Vec<f64> {
        (0..len).map(|_| self.normal()).collect()
    }
}

/// Converts an `f64` slice to `T`.
pub fn cast<T: Scalar>(v: &[f64]) -> Vec<T> {
    v.iter().map(|&x| T::lit(x)).collect()
}

/// `(1/(2n))‖y − Xw‖²`, with `X` row-major `n × p` (no intercept).
pub struct LeastSquares<T> {
    pub x: Vec<T>,
    pub y: Vec<T>,
    pub n: usize,
    pub p: usize,
}

impl<T: Scalar> LeastSquares<T> {
    /// `y = X w_true + noise · N(0, 1)`, `X` with standard normal entries; all drawn in `f64`
    /// from `seed`, then rounded to `T`.
    pub fn gaussian(
        n: usize,
        p: usize,
        w_true: &[f64],
        noise: f64,
        seed: u64,
    ) -> (Self, Vec<f64>, Vec<f64>) {
        assert_eq!(w_true.len(), p);
        let mut rng = Gauss::new(seed);
        let x64 = rng.vec(n * p);
        let y64: Vec<f64> = (0..n)
            .map(|i| {
                let xi = &x64[i * p..(i + 1) * p];
                xi.iter().zip(w_true).map(|(a, b)| a * b).sum::<f64>() + noise * rng.normal()
            })
            .collect();
        let ls = Self {
            x: cast(&x64),
            y: cast(&y64),
            n,
            p,
        };
        (ls, x64, y64)
    }

    /// Residual `r = Xw − y`.
    fn residual(&self, w: &[T]) -> Vec<T> {
        (0..self.n)
            .map(|i| {
                let xi = &self.x[i * self.p..(i + 1) * self.p];
                xi.iter().zip(w).map(|(&a, &b)| a * b).sum::<T>() - self.y[i]
            })
            .collect()
    }

    /// `(1/(2n))‖Xw − y‖²`.
    pub fn loss(&self, w: &[T]) -> T {
        let r = self.residual(w);
        r.iter().map(|&v| v * v).sum::<T>() / (T::lit(2.0) * T::from_count(self.n))
    }

    /// `∇ = Xᵀ(Xw − y)/n` into `out`.
    pub fn grad(&self, w: &[T], out: &mut [T]) {
        let r = self.residual(w);
        let n = T::from_count(self.n);
        for (j, o) in out.iter_mut().enumerate() {
            *o = (0..self.n)
                .map(|i| self.x[i * self.p + j] * r[i])
                .sum::<T>()
                / n;
        }
    }

    /// `‖X‖²_F / n = trace(XᵀX/n) ≥ λ_max(XᵀX/n)`: an upper bound of the loss's Lipschitz
    /// constant, so `1/bound` is a safe fixed step.
    pub fn lipschitz_bound(&self) -> T {
        self.x.iter().map(|&v| v * v).sum::<T>() / T::from_count(self.n)
    }
}

/// The Ridge solution **of the engine** (`proxreg_solvers::RidgeDirect`, Cholesky): the
/// minimiser of `‖y − Xw‖² + alpha·‖w‖²` (no intercept; `x` row-major `n × p`). The engine's
/// convention is `(1/(2n))‖y − Xw‖² + a·½‖w‖²`, so it is called with `a = alpha / n`; the test
/// that calls this converts SGD's `λ` to `alpha = n·λ` explicitly.
pub fn ridge_reference(x: &[f64], y: &[f64], n: usize, p: usize, alpha: f64) -> Vec<f64> {
    let xm = proxreg_linalg::ColMajor::from_row_major(x, n, p).expect("shape");
    let pb =
        proxreg_solvers::Problem::new(&xm, y, &proxreg_core::penalty::SquaredL2, alpha / n as f64);
    let fit = proxreg_solvers::RidgeDirect::new()
        .solve(&pb)
        .expect("ridge");
    assert!(
        fit.solution.kkt_violation < 1e-12,
        "the engine's ridge is certified"
    );
    fit.solution.coef
}

/// `max_j |a_j − b_j|` in `f64`.
pub fn max_abs_diff<T: Scalar>(a: &[T], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x.as_f64() - y).abs())
        .fold(0.0, f64::max)
}

/// The gradient of the quadratic `½ Σ_j h_j (w_j − c_j)²` for every tensor (`h`, `c` indexed
/// cyclically by the entry index), written into `grads`.
pub fn quadratic_grads<T: Scalar>(params: &[Vec<T>], h: &[f64], c: &[f64], grads: &mut [Vec<T>]) {
    for (w, g) in params.iter().zip(grads.iter_mut()) {
        for (j, (gj, &wj)) in g.iter_mut().zip(w).enumerate() {
            let k = j % h.len();
            *gj = T::lit(h[k]) * (wj - T::lit(c[k]));
        }
    }
}
