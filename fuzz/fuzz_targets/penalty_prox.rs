//! Every built-in penalty's prox and value on arbitrary finite vectors and parameters:
//! the prox of a finite point with a finite step is finite, the value is `>= 0` (never NaN),
//! and the prox is nonexpansive, `‖prox(a) − prox(b)‖ ≤ ‖a − b‖` (up to rounding). Both f64
//! and f32.
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use proxreg::penalty::{
    norm2, Bounded, ElasticNet, Frobenius, L21ElasticNet, Penalty, SquaredFrobenius, SquaredL2,
    Weighted, WeightedBlocks, L1, L2, L21,
};
use proxreg::Scalar;

#[path = "common.rs"]
mod common;

/// Checks the three properties for one penalty on the pair `(a, b)` with step `t`.
fn check<T: Scalar, P: Penalty<T> + ?Sized>(name: &str, pen: &P, a: &[T], b: &[T], t: T) {
    for v in [a, b] {
        let g = pen.value(v);
        assert!(g >= T::zero(), "{name}: value {g:?} of {v:?} is not >= 0");
    }
    let mut pa = a.to_vec();
    let mut pb = b.to_vec();
    pen.prox_in_place(&mut pa, t);
    pen.prox_in_place(&mut pb, t);
    for (v, p) in [(a, &pa), (b, &pb)] {
        assert!(
            p.iter().all(|x| x.is_finite()),
            "{name}: prox({v:?}, {t:?}) = {p:?} is not finite"
        );
        let g = pen.value(p);
        assert!(g >= T::zero(), "{name}: value {g:?} of prox {p:?}");
    }
    // Halves, so that differences of huge values do not overflow (halving is exact above the
    // subnormal range).
    let half = T::lit(0.5);
    let d_in: Vec<T> = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| x * half - y * half)
        .collect();
    let d_out: Vec<T> = pa
        .iter()
        .zip(&pb)
        .map(|(&x, &y)| x * half - y * half)
        .collect();
    let size: T = norm2(a) * half + norm2(b) * half;
    let slack = T::epsilon() * T::lit(16.0) * T::from_count(a.len() + 1) * size
        + T::min_positive_value() * T::lit(4.0);
    let (n_in, n_out) = (norm2(&d_in), norm2(&d_out));
    assert!(
        n_out <= n_in + slack,
        "{name}: not nonexpansive: |P(a)-P(b)|/2 = {n_out:?} > |a-b|/2 = {n_in:?} (+{slack:?}), a={a:?} b={b:?} t={t:?}"
    );
}

fn run<T: Scalar>(
    u: &mut Unstructured<'_>,
    draw: fn(&mut Unstructured<'_>) -> Result<T>,
) -> Result<()> {
    let rows = u.int_in_range(1..=6usize)?;
    let cols = u.int_in_range(1..=3usize)?;
    let len = rows * cols;
    let a = common::vec_of(u, len, draw)?;
    let b = common::vec_of(u, len, draw)?;
    let t = draw(u)?.abs();
    let which: u8 = u.arbitrary()?;
    let ratio = draw(u)?;
    let factors = common::vec_of(u, len, draw)?;
    let (lo, hi) = (draw(u)?, draw(u)?);
    match which % 12 {
        0 => check("L1", &L1, &a, &b, t),
        1 => check("L2", &L2, &a, &b, t),
        2 => check("SquaredL2", &SquaredL2, &a, &b, t),
        3 => {
            if let Ok(p) = ElasticNet::new(ratio) {
                check("ElasticNet", &p, &a, &b, t);
            }
        }
        4 => {
            if let Ok(p) = Frobenius::new(rows, cols) {
                check("Frobenius", &p, &a, &b, t);
            }
        }
        5 => {
            if let Ok(p) = SquaredFrobenius::new(rows, cols) {
                check("SquaredFrobenius", &p, &a, &b, t);
            }
        }
        6 => {
            if let Ok(p) = L21::new(rows, cols) {
                check("L21", &p, &a, &b, t);
            }
        }
        7 => {
            if let Ok(p) = L21ElasticNet::new(ratio, rows, cols) {
                check("L21ElasticNet", &p, &a, &b, t);
            }
        }
        8 => {
            if let Ok(p) = Weighted::new(L1, factors) {
                check("Weighted<L1>", &p, &a, &b, t);
            }
        }
        9 => {
            let en = ElasticNet::new(ratio.abs().min(T::one()));
            if let Ok(p) = en.and_then(|en| Weighted::new(en, factors)) {
                check("Weighted<ElasticNet>", &p, &a, &b, t);
            }
        }
        10 => {
            let inner = L21::new(rows, cols);
            let f: Vec<T> = factors.into_iter().take(rows).collect();
            if let Ok(p) = inner.and_then(|l| WeightedBlocks::new(l, f)) {
                check("WeightedBlocks<L21>", &p, &a, &b, t);
            }
        }
        _ => {
            let en = ElasticNet::new(ratio.abs().min(T::one()));
            if let Ok(p) = en.and_then(|en| Bounded::new(en, -lo.abs(), hi.abs())) {
                check("Bounded<ElasticNet>", &p, &a, &b, t);
            }
            check(
                "Bounded::nonnegative<L1>",
                &Bounded::nonnegative(L1),
                &a,
                &b,
                t,
            );
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let double: bool = u.arbitrary().unwrap_or(true);
    let _ = if double {
        run::<f64>(&mut u, common::finite_f64)
    } else {
        run::<f32>(&mut u, common::finite_f32)
    };
});
