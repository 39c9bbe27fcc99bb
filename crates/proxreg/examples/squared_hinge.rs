//! A datafit written outside the library: the squared hinge loss of a linear SVM (L2-loss SVM,
//! liblinear's `L2R_L2LOSS_SVC` with an ℓ1 penalty instead), using only proxreg's public
//! `Datafit` trait, checked with the public conformance kit and fitted by `ProxNewton`.
//!
//! ```sh
//! cargo run --release -p proxreg --example squared_hinge
//! ```
//!
//! `cargo test` runs the same type through `crates/proxreg/tests/external_penalty.rs`, which
//! includes this file.
//!
//! ## The math (labels `y ∈ {0, 1}`, signs `s = 2y − 1`)
//!
//! `ℓ(y, η) = max(0, 1 − s·η)²`; `ℓ' = −2s·max(0, 1 − sη)`; `ℓ'' = 2` where `sη < 1`, `0`
//! beyond the margin (the generalised Hessian at the kink `sη = 1` is taken as `0`); curvature
//! bound `2`.
//! * **conjugate**: with `h(z) = max(0, 1 − z)²`, `h*(u) = u + u²/4` for `u ≤ 0` and `+∞`
//!   for `u > 0`; so `ℓ*(y, v) = h*(s·v) = s·v + v²/4` on the dual domain `s·v ≤ 0`.
//! * **null model**: with weighted class totals `W₊`, `W₋` the best constant is
//!   `c = (W₊ − W₋)/(W₊ + W₋) ∈ [−1, 1]` (both hinge terms active).
//! * **mean**: there is no probability; `mean(η)` is the decision value `η` itself.

use proxreg::core::datafit::Datafit;
use proxreg::{Error, Result, Scalar};

/// The squared hinge loss `max(0, 1 − (2y − 1)·η)²` for labels `y ∈ {0, 1}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SquaredHinge;

fn sign<T: Scalar>(y: T) -> T {
    if y > T::lit(0.5) {
        T::one()
    } else {
        -T::one()
    }
}

impl<T: Scalar> Datafit<T> for SquaredHinge {
    fn name(&self) -> &'static str {
        "squared hinge"
    }
    fn loss(&self, y: T, eta: T) -> T {
        let m = (T::one() - sign(y) * eta).max(T::zero());
        m * m
    }
    fn deriv(&self, y: T, eta: T) -> T {
        let s = sign(y);
        -(s + s) * (T::one() - s * eta).max(T::zero())
    }
    fn hessian(&self, y: T, eta: T) -> T {
        if sign(y) * eta < T::one() {
            T::lit(2.0)
        } else {
            T::zero()
        }
    }
    fn curvature_bound(&self) -> Option<T> {
        Some(T::lit(2.0))
    }
    fn conjugate(&self, y: T, v: T) -> Option<T> {
        let u = sign(y) * v;
        Some(if u > T::zero() {
            T::infinity()
        } else {
            u + u * u / T::lit(4.0)
        })
    }
    fn dual_domain(&self, y: T) -> (T, T) {
        if sign(y) > T::zero() {
            (T::neg_infinity(), T::zero())
        } else {
            (T::zero(), T::infinity())
        }
    }
    fn null_eta(&self, y: &[T], s: Option<&[T]>) -> Result<T> {
        let (mut pos, mut neg) = (T::zero(), T::zero());
        for (i, &v) in y.iter().enumerate() {
            let w = s.map_or(T::one(), |s| s[i]);
            if sign(v) > T::zero() {
                pos += w;
            } else {
                neg += w;
            }
        }
        let total = pos + neg;
        if total > T::zero() {
            Ok((pos - neg) / total)
        } else {
            Err(Error::InvalidTarget {
                datafit: "squared hinge",
                index: None,
                reason: "no target with a positive weight",
            })
        }
    }
    fn mean(&self, eta: T) -> T {
        eta
    }
    fn check_target(&self, y: &[T]) -> Result<()> {
        for (i, &v) in y.iter().enumerate() {
            if !(v == T::zero() || v == T::one()) {
                return Err(if v.is_finite() {
                    Error::InvalidTarget {
                        datafit: "squared hinge",
                        index: Some(i),
                        reason: "labels must be 0 or 1",
                    }
                } else {
                    Error::NonFinite {
                        what: "y",
                        index: i,
                    }
                });
            }
        }
        Ok(())
    }
}

/// Linear predictors away from the kinks `η = ±1`, for the derivative checks.
pub const SMOOTH_ETAS: [f64; 9] = [-20.0, -3.0, -1.5, -0.4, 0.0, 0.3, 0.9, 1.7, 6.0];

/// A seeded two-class problem: `n × p` features, labels from a sparse linear rule plus noise.
pub fn toy_problem(n: usize, p: usize) -> (proxreg::linalg::ColMajor<f64>, Vec<f64>) {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut unif = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let x = proxreg::linalg::ColMajor::from_fn(n, p, |_, _| 0.0);
    let mut data = x.into_vec();
    data.iter_mut().for_each(|v| *v = 4.0 * unif());
    let x = proxreg::linalg::ColMajor::new(data, n, p).unwrap_or_else(|_| unreachable!());
    let y = (0..n)
        .map(|i| {
            let score = 2.0 * x.col(0)[i] - x.col(1)[i] + 0.5 * x.col(2)[i] + 2.0 * unif();
            f64::from(u8::from(score > 0.0))
        })
        .collect();
    (x, y)
}

#[allow(dead_code)] // `main` is the example's; the tests include the types only
fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    use proxreg::penalty::L1;
    use proxreg::solvers::{glm_alpha_max, Problem, ProxNewton, Solver};
    use proxreg_testing::datafit::check_datafit_at;

    // The conformance kit: derivatives, curvature bound, Fenchel–Young, null model.
    check_datafit_at::<f64, _>(&SquaredHinge, &[0.0, 1.0], &SMOOTH_ETAS, 1e-6)?;
    check_datafit_at::<f32, _>(&SquaredHinge, &[0.0, 1.0], &SMOOTH_ETAS, 1e-2)?;
    println!("squared hinge: conformance checks passed (f64, f32)");

    // An ℓ1-penalised L2-loss SVM, certified by the duality gap through the conjugate above.
    let (x, y) = toy_problem(200, 20);
    let pb = Problem::new(&x, &y, &L1, 1.0)
        .fit_intercept(true)
        .datafit(SquaredHinge);
    let amax = glm_alpha_max(&pb)?;
    for frac in [0.5, 0.1, 0.01] {
        let sol = ProxNewton::new()
            .tol(1e-10)
            .solve(&pb.with_alpha(amax * frac), None, &mut ())?;
        let support: Vec<usize> = (0..20).filter(|&j| sol.coef[j] != 0.0).collect();
        println!(
            "alpha = {:.3e}: support {support:?}, relative gap {:.1e}, KKT {:.1e}, {} Newton steps ({:?})",
            amax * frac,
            sol.relative_gap.unwrap_or(f64::NAN),
            sol.kkt_violation,
            sol.n_iter,
            sol.termination
        );
    }
    Ok(())
}
