//! proptest strategies for penalty inputs, generic over the scalar type.
//!
//! Values are drawn as `f64` and converted with [`Scalar::lit`], so the same strategy serves
//! `f32` and `f64`. Vectors mix exact zeros (the kinks of most penalties), small entries and
//! entries of the given magnitude, all finite.

use proptest::prelude::*;
use proxreg_core::Scalar;

/// A uniform scalar in `[lo, hi]`.
pub fn uniform<T: Scalar>(lo: f64, hi: f64) -> BoxedStrategy<T> {
    (lo..=hi).prop_map(T::lit).boxed()
}

/// A log-uniform positive scalar in `[lo, hi]` (`0 < lo ≤ hi`): steps, `alpha`s, scales.
pub fn log_uniform<T: Scalar>(lo: f64, hi: f64) -> BoxedStrategy<T> {
    let (a, b) = (lo.ln(), hi.ln());
    (a..=b).prop_map(|x| T::lit(x.exp())).boxed()
}

/// One finite entry: 0 (1 in 5), a small value (`±[1e-3, 1e-1]·magnitude`, 1 in 5) or a
/// uniform value in `[−magnitude, magnitude]`.
pub fn entry<T: Scalar>(magnitude: f64) -> BoxedStrategy<T> {
    let m = magnitude.abs();
    prop_oneof![
        1 => Just(T::zero()),
        1 => (prop::bool::ANY, 1e-3..=1e-1_f64).prop_map(move |(neg, x)| {
            T::lit(if neg { -x * m } else { x * m })
        }),
        3 => (-m..=m).prop_map(T::lit),
    ]
    .boxed()
}

/// A finite vector of length `len` whose entries come from [`entry`].
pub fn vector<T: Scalar>(len: usize, magnitude: f64) -> BoxedStrategy<Vec<T>> {
    prop::collection::vec(entry::<T>(magnitude), len).boxed()
}

/// A proximal step in `[0.05, 20]`, log-uniform.
pub fn step<T: Scalar>() -> BoxedStrategy<T> {
    log_uniform(0.05, 20.0)
}

/// A regularisation strength `alpha` in `[0.1, 10]`, log-uniform.
pub fn alpha<T: Scalar>() -> BoxedStrategy<T> {
    log_uniform(0.1, 10.0)
}
