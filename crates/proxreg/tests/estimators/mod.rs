mod alpha_max;
mod conventions;
mod cv;
mod cv_more;
mod errors;
mod estimator_trait;
mod families;
mod families_cv;
mod invariances;
mod logistic;
mod logistic_cv;
mod logistic_group_cv;
mod multinomial;
mod multinomial_cv;
mod nonconvex;
mod paths;
mod relaxed;
mod ridge_cv;
mod select;
mod sklearn;

use proxreg::prelude::*;

pub fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// A small seeded design with shifted columns and an intercept.
pub fn data(n: usize, p: usize, seed: u64) -> (ColMajor<f64>, Vec<f64>) {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut u = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64 - 0.5
    };
    let x = ColMajor::from_fn(n, p, |_, j| u() * 4.0 + j as f64 * 0.3);
    let y = (0..n)
        .map(|i| 2.0 * x.col(0)[i] - 1.5 * x.col(p - 1)[i] + 0.5 + 0.3 * u())
        .collect();
    (x, y)
}
