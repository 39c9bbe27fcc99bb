//! A penalty written outside the library: the minimax concave penalty (MCP, Zhang 2010), using
//! only proxreg's public traits, checked with the public conformance kit.
//!
//! This is the "write your own penalty" guide of `docs/penalties.md`. MCP is now also built in:
//! to fit it, use `proxreg::penalty::Mcp` (and `Scad`), which adds the literature's reference
//! strength (`Mcp::for_alpha(γ, α)`: skglm's `MCPenalty(alpha, gamma)`) and the `t ≥ γ` regime
//! tests; this file's `Mcp::new(γ)` is the built-in `Mcp::new(γ)`.
//!
//! ```sh
//! cargo run --release -p proxreg --example mcp
//! ```
//!
//! The same type is exercised by `cargo test` through `crates/proxreg/tests/external_penalty.rs`,
//! which includes this file.
//!
//! ## The math (shape `γ > 1`; the strength `α` is applied by the solver)
//!
//! `g(w) = Σ_j ρ(w_j)`, `ρ(w) = |w| − w²/(2γ)` if `|w| ≤ γ`, `γ/2` otherwise.
//!
//! * **prox** of `t·ρ` (minimise `t·ρ(z) + ½(z − v)²`). For `t < γ` the objective is strongly
//!   convex (curvature `1 − t/γ > 0`) and the minimiser is *firm thresholding*:
//!   `0` if `|v| ≤ t`; `sign(v)·γ(|v| − t)/(γ − t)` if `t < |v| ≤ γ`; `v` if `|v| > γ`.
//!   For `t ≥ γ` the objective is concave on `[−γ, γ]`, the candidates are `0` and `v`, and the
//!   global minimiser is hard thresholding at `sqrt(tγ)` (set-valued at the threshold). A solver
//!   calls the prox with step `t·α` (`t = 1/L_j` in coordinate descent), so the firm regime —
//!   unique, continuous, and what the MCP literature assumes — needs `t·α < γ`.
//! * **subdifferential** (Fréchet = Clarke here): `[−1, 1]` at `w = 0`, and
//!   `sign(w)·max(1 − |w|/γ, 0)` elsewhere, so the distance of `−grad` to `α·∂ρ(w)` is
//!   `max(|grad| − α, 0)` at 0 and `|grad + α·sign(w)·max(1 − |w|/γ, 0)|` elsewhere.
//! * **alpha_max** `= ‖∇f(0)‖∞`: `∂ρ(0) = [−1, 1]` as for the ℓ1 norm.
//! * not convex: no conjugate, not a norm; the kit's convexity checks (firm non-expansiveness,
//!   Fenchel–Young, norm axioms, Moreau) do not apply.

use proxreg::penalty::{separable, Penalty, SeparablePenalty};
use proxreg::{Error, Result, Scalar};

/// The minimax concave penalty with shape `γ > 1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mcp<T> {
    gamma: T,
}

impl<T: Scalar> Mcp<T> {
    /// MCP with shape `gamma`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `gamma` is finite and `> 1` (NaN rejected).
    pub fn new(gamma: T) -> Result<Self> {
        let ok = gamma.is_finite() && gamma > T::one();
        if ok {
            Ok(Self { gamma })
        } else {
            Err(Error::InvalidParameter {
                name: "gamma",
                value: gamma.as_f64(),
                expected: "a finite number > 1",
            })
        }
    }

    /// The shape `γ`.
    pub fn gamma(&self) -> T {
        self.gamma
    }
}

impl<T: Scalar> Penalty<T> for Mcp<T> {
    fn value(&self, w: &[T]) -> T {
        separable::value(w, |x, j| self.value_1d(x, j))
    }
    fn prox_in_place(&self, w: &mut [T], step: T) {
        separable::prox_in_place(self, w, step);
    }
    fn subdiff_distance(&self, w: &[T], grad: &[T], alpha: T, dist: &mut [T]) -> T {
        separable::subdiff_distance(self, w, grad, alpha, dist)
    }
    fn alpha_max(&self, grad_at_zero: &[T]) -> Option<T> {
        Some(proxreg::penalty::max_abs(grad_at_zero))
    }
}

impl<T: Scalar> SeparablePenalty<T> for Mcp<T> {
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        let (a, g) = (v.abs(), self.gamma);
        if v.is_nan() || step.is_nan() {
            return T::nan();
        }
        if step < g {
            // firm thresholding
            if a <= step {
                T::zero()
            } else if a <= g {
                v.signum() * g * (a - step) / (g - step)
            } else {
                v
            }
        } else if a * a > step * g {
            // hard thresholding at sqrt(step·γ)
            v
        } else {
            T::zero()
        }
    }

    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        if w_j == T::zero() {
            let d = grad_j.abs() - alpha;
            if d > T::zero() || d.is_nan() {
                d
            } else {
                T::zero()
            }
        } else {
            let slope = (T::one() - w_j.abs() / self.gamma).max(T::zero());
            (grad_j + alpha * w_j.signum() * slope).abs()
        }
    }

    fn value_1d(&self, w_j: T, _j: usize) -> T {
        let (a, g) = (w_j.abs(), self.gamma);
        if a <= g {
            a - a * a / (g + g)
        } else if a > g {
            g * T::lit(0.5)
        } else {
            w_j // NaN
        }
    }
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    use proxreg_testing::{suite, Setup};

    let mcp = Mcp::new(3.0_f64)?;
    println!(
        "MCP, γ = {}: firm thresholding for steps t < γ",
        mcp.gamma()
    );
    println!(
        "{:>8} {:>12} {:>12} {:>12}",
        "v", "t = 0.5", "t = 1", "t = 4 (≥ γ)"
    );
    for v in [-5.0, -2.0, -0.8, 0.0, 0.4, 1.2, 2.9, 3.5] {
        let p = |t: f64| mcp.prox_1d(v, t, 0);
        println!(
            "{v:>8.3} {:>12.4} {:>12.4} {:>12.4}",
            p(0.5),
            p(1.0),
            p(4.0)
        );
    }

    // The parts of the conformance kit that apply to a non-convex separable penalty.
    let setup = Setup::new(6).cases(256);
    suite::prox_optimality::<f64, _>(&mcp, &setup)?;
    suite::prox_1d_oracle::<f64, _>(&mcp, &setup)?;
    suite::separable_consistency::<f64, _>(&mcp, &setup)?;
    suite::alpha_max::<f64, _>(&mcp, &setup)?;
    let mcp32 = Mcp::new(3.0_f32)?;
    suite::prox_optimality::<f32, _>(&mcp32, &setup)?;
    suite::prox_1d_oracle::<f32, _>(&mcp32, &setup)?;
    suite::alpha_max::<f32, _>(&mcp32, &setup)?;
    println!("conformance kit: prox optimality, 1-D oracle, consistency, alpha_max: ok (f32, f64)");
    Ok(())
}
