//! Shared data and the "fit every estimator" runner.

use proxreg::penalty::{ElasticNet as EnPenalty, L1};
use proxreg::prelude::*;
use proxreg::KFold;

/// What a fit produced, whatever the estimator.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit<T> {
    pub coef: Vec<T>,
    pub intercept: Vec<T>,
    pub status: Status,
    pub relative_gap: Option<T>,
    pub kkt: T,
    pub alpha: T,
    pub rescaled: bool,
}

impl<T: Scalar> Fit<T> {
    fn of(m: &LinearModel<T>) -> Self {
        Self {
            coef: m.coef().to_vec(),
            intercept: m.intercepts().to_vec(),
            status: m.status(),
            relative_gap: m.report().relative_gap,
            kkt: m.kkt_violation(),
            alpha: m.alpha(),
            rescaled: m.report().rescaled,
        }
    }

    /// Finite numbers everywhere, and a converged status.
    pub fn assert_sane(&self, name: &str) {
        assert!(
            self.coef
                .iter()
                .chain(&self.intercept)
                .all(|v| v.is_finite()),
            "{name}: non-finite output {self:?}"
        );
        assert!(self.kkt.is_finite(), "{name}: kkt {:?}", self.kkt);
        assert_eq!(self.status, Status::Converged, "{name}: {self:?}");
    }
}

/// The estimators, by name.
pub const NAMES: [&str; 9] = [
    "Lasso",
    "ElasticNet",
    "Ridge",
    "MultiTaskLasso",
    "MultiTaskElasticNet",
    "PenalizedLinear(L1, FISTA)",
    "PenalizedLinear(ElasticNet, CD)",
    "LassoCv",
    "ElasticNetCv",
];

/// Settings of [`fit_all`].
#[derive(Debug, Clone, Copy)]
pub struct Cfg<T> {
    pub alpha: T,
    pub l1_ratio: T,
    pub fit_intercept: bool,
    pub tol: T,
    pub max_iter: usize,
    /// Two identical tasks for the multi-task models (else one).
    pub two_tasks: bool,
}

impl<T: Scalar> Cfg<T> {
    pub fn new(alpha: T) -> Self {
        Self {
            alpha,
            l1_ratio: T::lit(0.5),
            fit_intercept: true,
            tol: if T::epsilon() < T::lit(1e-10) {
                T::lit(1e-12)
            } else {
                T::lit(1e-6)
            },
            max_iter: 100_000,
            two_tasks: false,
        }
    }
}

/// Fits estimator `which` (an index into [`NAMES`]) on `(x, y)` with optional weights (for the
/// estimators that take them; the others get `None` and ignore none).
pub fn fit_one<T: Scalar>(
    which: usize,
    x: &ColMajor<T>,
    y: &[T],
    w: Option<&[T]>,
    c: &Cfg<T>,
) -> Result<Fit<T>> {
    let yy: Vec<T> = if c.two_tasks {
        y.iter().chain(y).copied().collect()
    } else {
        y.to_vec()
    };
    macro_rules! go {
        ($params:expr, $y:expr) => {{
            let p = $params
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter);
            let m = match w {
                Some(w) => p.fit_weighted(x, $y, w)?,
                None => p.fit(x, $y)?,
            };
            Ok(Fit::of(&m))
        }};
    }
    match which {
        0 => go!(Lasso::params().alpha(c.alpha), y),
        1 => go!(ElasticNet::params().alpha(c.alpha).l1_ratio(c.l1_ratio), y),
        2 => go!(Ridge::params().alpha(c.alpha), y),
        3 => go!(MultiTaskLasso::params().alpha(c.alpha), &yy),
        4 => go!(
            MultiTaskElasticNet::params()
                .alpha(c.alpha)
                .l1_ratio(c.l1_ratio),
            &yy
        ),
        5 => {
            let m = PenalizedLinear::params(L1)
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter)
                .fit(x, y)?;
            Ok(Fit::of(&m))
        }
        6 => {
            let m = PenalizedLinear::params(EnPenalty::new(c.l1_ratio)?)
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter)
                .fit_cd(x, y)?;
            Ok(Fit::of(&m))
        }
        7 => {
            let cv = proxreg::LassoCv::params()
                .n_alphas(6)
                .cv(KFold::new(3))
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter)
                .fit(x, y)?;
            Ok(Fit::of(cv.model()))
        }
        _ => {
            let cv = proxreg::ElasticNetCv::params()
                .l1_ratios(vec![c.l1_ratio, T::one()])
                .n_alphas(6)
                .cv(KFold::new(3))
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter)
                .fit(x, y)?;
            Ok(Fit::of(cv.model()))
        }
    }
}

/// Whether estimator `which` takes sample weights.
pub fn takes_weights(which: usize) -> bool {
    which <= 4
}

/// Fits every estimator.
pub fn fit_all<T: Scalar>(
    x: &ColMajor<T>,
    y: &[T],
    c: &Cfg<T>,
) -> Vec<(&'static str, Result<Fit<T>>)> {
    (0..NAMES.len())
        .map(|i| (NAMES[i], fit_one(i, x, y, None, c)))
        .collect()
}

/// A small seeded design (xorshift), shifted columns, `y` a sparse signal plus noise.
pub fn data<T: Scalar>(n: usize, p: usize, seed: u64) -> (ColMajor<T>, Vec<T>) {
    let mut u = rng(seed);
    let x = ColMajor::from_fn(n, p, |_, j| T::lit(u() * 4.0 + j as f64 * 0.3));
    let y = (0..n)
        .map(|i| {
            let mut v = 0.5 + 0.3 * u();
            if p > 0 {
                v += 2.0 * x.col(0)[i].as_f64() - 1.5 * x.col(p - 1)[i].as_f64();
            }
            T::lit(v)
        })
        .collect();
    (x, y)
}

/// Uniform numbers in `[-0.5, 0.5)`, seeded.
pub fn rng(seed: u64) -> impl FnMut() -> f64 {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64 - 0.5
    }
}

/// `max |a − b| / max(max |b|, floor)`.
pub fn rel_diff<T: Scalar>(a: &[T], b: &[T], floor: f64) -> f64 {
    assert_eq!(a.len(), b.len());
    let scale = b.iter().fold(floor, |m, v| m.max(v.as_f64().abs()));
    a.iter()
        .zip(b)
        .map(|(x, y)| (x.as_f64() - y.as_f64()).abs())
        .fold(0.0, f64::max)
        / scale
}

/// Bit patterns, so that NaN compares equal to itself and `-0.0` differs from `0.0`.
pub fn bits<T: Scalar>(v: &[T]) -> Vec<u64> {
    v.iter().map(|x| x.as_f64().to_bits()).collect()
}

/// Instantiates `$body` (a generic fn `fn run<T: Scalar>()`) as one test per scalar type.
#[macro_export]
macro_rules! per_scalar {
    ($name:ident, $body:ident) => {
        mod $name {
            #[test]
            fn f64() {
                super::$body::<f64>();
            }
            #[test]
            fn f32() {
                super::$body::<f32>();
            }
        }
    };
}
