//! The folded concave penalties MCP (Zhang 2010) and SCAD (Fan & Li 2001).
//!
//! **Parameterisation.** The strength `α` belongs to the solver, so a penalty here is a fixed
//! function `g` and the solver minimises `f + α·g`. The literature (and skglm, ncvreg) writes
//! these penalties as `p_{λ,γ}` whose knots move with `λ`; the two views meet through a
//! reference strength `λ` held by the penalty (`scale`, `1` for `new`):
//! `g = p_{λ,γ} / λ`, so that **`α·g` is exactly `p_{λ,γ}` when `α = λ`**. For another `α`,
//! `α·g` keeps the knots of `λ` (at `λ` and `γλ`, in coefficient units). A path in the
//! literature's convention (ratio `γ` fixed, knots at `α` and `γα`) therefore builds the penalty
//! of each point with [`Mcp::for_alpha`] / [`Scad::for_alpha`]; a path with one `Mcp::new(γ)`
//! keeps the knots where they are.
//!
//! Both are even, non-decreasing in `|w|`, equal to `|w| + o(|w|)` at 0 and differentiable
//! elsewhere, so their Fréchet subdifferential is `[−1, 1]` at 0 and `{g'(w)}` elsewhere, and
//! `alpha_max = ‖∇f(0)‖∞` as for the ℓ1 norm. They are not convex: no conjugate (solvers stop
//! on the KKT violation alone, no duality gap is claimed), not norms.

use super::{max_abs, pos_part, separable, Penalty, SeparablePenalty};
use crate::{Error, Result, Scalar};

/// Validates `gamma > min` and `scale > 0`, both finite (NaN fails).
fn check_shape<T: Scalar>(gamma: T, scale: T, min: T, expected: &'static str) -> Result<()> {
    let ok = gamma.is_finite() && gamma > min;
    if !ok {
        return Err(Error::InvalidParameter {
            name: "gamma",
            value: gamma.as_f64(),
            expected,
        });
    }
    let ok = scale.is_finite() && scale > T::zero();
    if !ok {
        return Err(Error::InvalidParameter {
            name: "alpha",
            value: scale.as_f64(),
            expected: "a finite number > 0",
        });
    }
    // The knot γ·scale must stay finite and positive (no overflow or underflow to 0).
    let knot = gamma * scale;
    if !(knot.is_finite() && knot > T::zero()) {
        return Err(Error::InvalidParameter {
            name: "alpha",
            value: scale.as_f64(),
            expected: "a scale whose product with gamma is finite and > 0",
        });
    }
    Ok(())
}

/// The 1-D distance `dist(−grad, alpha·∂g(w))` for `∂g(0) = [−1, 1]` and slope `d = g'(|w|)`.
#[inline]
fn distance<T: Scalar>(w: T, grad: T, alpha: T, slope: T) -> T {
    if w == T::zero() {
        pos_part(grad.abs() - alpha)
    } else {
        (grad + alpha * w.signum() * slope).abs()
    }
}

/// The minimax concave penalty (MCP, Zhang 2010) with ratio `γ > 1` and reference strength
/// `λ > 0` (`scale`; `1` for [`Mcp::new`]). With the knot `k = γλ`:
///
/// `g(w) = Σ_j ρ(w_j)`, `ρ(w) = |w| − w²/(2k)` if `|w| ≤ k`, `k/2` beyond,
///
/// so `α·g` is Zhang's `MCP_{λ,γ}` (skglm's `MCPenalty(alpha=λ, gamma=γ)`) at `α = λ`.
///
/// * prox of `t·ρ`, with `a = |v|`: for `t < k` (the objective is strongly convex, curvature
///   `1 − t/k`) **firm thresholding**: `0` if `a ≤ t`, `sign(v)·k(a − t)/(k − t)` if
///   `t < a ≤ k`, `v` if `a > k`. For `t ≥ k` the objective is concave on `[−k, k]`, the
///   candidates are `0` and `v`: **hard thresholding** at `√(t·k)` (`0` at the tie). Coordinate
///   descent calls it with `t = α/L_j`; at `α = λ` on standardized columns (`L_j = 1`) that is
///   the firm regime exactly when `γ > 1`.
/// * Fréchet subdifferential: `[−1, 1]` at 0, `{sign(w)·max(1 − |w|/k, 0)}` elsewhere; the
///   distance is `max(|grad| − α, 0)` at 0 and `|grad + α·sign(w)·max(1 − |w|/k, 0)|` elsewhere.
/// * `alpha_max = ‖∇f(0)‖∞`: the smallest `α` at which `w = 0` is a stationary point (then a
///   local minimiser; for a non-convex objective not necessarily the global one).
/// * no conjugate (not convex), not a norm; [`Weighted`](super::Weighted) factors scale the
///   step and `α` as for any separable penalty, and [`Bounded`](super::Bounded)'s clipped prox
///   is exact in the firm regime (where the 1-D objective is convex).
///
/// ```
/// use proxreg_core::penalty::{Mcp, Penalty, SeparablePenalty};
/// let mcp = Mcp::new(3.0_f64)?; // knot at 3
/// assert_eq!(mcp.prox_1d(0.9, 1.0, 0), 0.0); // below the threshold
/// assert_eq!(mcp.prox_1d(2.0, 1.0, 0), 1.5); // 3·(2 − 1)/(3 − 1)
/// assert_eq!(mcp.prox_1d(-4.0, 1.0, 0), -4.0); // beyond the knot: unbiased
/// assert_eq!(mcp.value(&[0.0, 1.0, 10.0]), 1.0 - 1.0 / 6.0 + 1.5);
/// // skglm's MCPenalty(alpha=0.1, gamma=3) is 0.1·g for:
/// let at = Mcp::for_alpha(3.0_f64, 0.1)?;
/// assert!((at.knot() - 0.3).abs() < 1e-15);
/// assert!(Mcp::new(1.0_f64).is_err() && Mcp::new(f64::NAN).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mcp<T> {
    gamma: T,
    scale: T,
}

impl<T: Scalar> Mcp<T> {
    /// MCP with ratio `gamma` at the reference strength `1` (knot at `gamma`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `gamma` unless it is finite and `> 1` (NaN rejected).
    pub fn new(gamma: T) -> Result<Self> {
        Self::for_alpha(gamma, T::one())
    }

    /// MCP with ratio `gamma` whose multiple by `alpha` is Zhang's `MCP_{alpha,gamma}` (skglm's
    /// `MCPenalty(alpha, gamma)`): the knot is at `gamma·alpha`. Fit it with strength `alpha`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `gamma` unless it is finite and `> 1`, naming `alpha`
    /// unless it is finite and `> 0` (and `gamma·alpha` finite and `> 0`).
    pub fn for_alpha(gamma: T, alpha: T) -> Result<Self> {
        check_shape(gamma, alpha, T::one(), "a finite number > 1")?;
        Ok(Self {
            gamma,
            scale: alpha,
        })
    }

    /// The ratio `γ`.
    pub fn gamma(&self) -> T {
        self.gamma
    }

    /// The reference strength `λ` (`1` for [`Mcp::new`]).
    pub fn scale(&self) -> T {
        self.scale
    }

    /// The knot `k = γλ` beyond which the penalty is flat.
    pub fn knot(&self) -> T {
        self.gamma * self.scale
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
        Some(max_abs(grad_at_zero))
    }
}

impl<T: Scalar> SeparablePenalty<T> for Mcp<T> {
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        if v.is_nan() || step.is_nan() {
            return T::nan();
        }
        let (a, k) = (v.abs(), self.knot());
        if step < k {
            if a <= step {
                T::zero()
            } else if a <= k {
                // k(a − t)/(k − t), written so that k·(a − t) cannot overflow.
                v.signum() * ((a - step) * (k / (k - step))).min(k)
            } else {
                v
            }
        } else if a > k && a * (a / step) > k {
            // t ≥ k: φ(0) = a²/2 against φ(v) = t·k/2; keep v iff a² > t·k (written a·(a/t) > k
            // so that a huge `a` or `t` does not overflow).
            v
        } else {
            T::zero()
        }
    }

    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        let slope = pos_part(T::one() - w_j.abs() / self.knot());
        distance(w_j, grad_j, alpha, slope)
    }

    fn value_1d(&self, w_j: T, _j: usize) -> T {
        let (a, k) = (w_j.abs(), self.knot());
        if a <= k {
            a - a * (a / k) * T::lit(0.5)
        } else if a > k {
            k * T::lit(0.5)
        } else {
            w_j // NaN
        }
    }
}

/// The smoothly clipped absolute deviation penalty (SCAD, Fan & Li 2001) with ratio `γ > 2` and
/// reference strength `λ > 0` (`scale`; `1` for [`Scad::new`]). With the knots `λ` and `γλ`:
///
/// `ρ(w) = |w|` if `|w| ≤ λ`, `(2γλ|w| − w² − λ²) / (2(γ − 1)λ)` if `λ < |w| ≤ γλ`,
/// `(γ + 1)λ/2` beyond; `g(w) = Σ_j ρ(w_j)`,
///
/// so `α·g` is Fan & Li's `SCAD_{λ,γ}` (skglm's `SCAD(alpha=λ, gamma=γ)`) at `α = λ`. `ρ` is
/// continuously differentiable away from 0, with `ρ'(w) = sign(w)·min(1, max(γλ − |w|, 0) /
/// ((γ − 1)λ))`.
///
/// * prox of `t·ρ`, with `a = |v|`: for `t < (γ − 1)λ` (strongly convex 1-D objective, curvature
///   `1 − t/((γ − 1)λ)` on the middle piece) the **three-piece SCAD thresholding rule**:
///   `sign(v)·max(a − t, 0)` if `a ≤ λ + t`; `sign(v)·((γ − 1)λa − tγλ)/((γ − 1)λ − t)` if
///   `λ + t < a ≤ γλ`; `v` if `a > γλ`. At `α = λ` with `L_j = 1`, `t = λ` and this needs
///   `γ > 2` (Fan & Li's condition). For `t ≥ (γ − 1)λ` the middle piece of the objective is
///   concave, its minimum over `[λ, γλ]` is at an end, and the prox is the better of the
///   soft-thresholded `min(max(a − t, 0), λ)` (the first piece) and `max(a, γλ)` (the flat
///   piece), the smaller one at a tie.
/// * Fréchet subdifferential: `[−1, 1]` at 0, `{ρ'(w)}` elsewhere; the distance is
///   `max(|grad| − α, 0)` at 0 and `|grad + α·ρ'(w)|` elsewhere.
/// * `alpha_max = ‖∇f(0)‖∞` (a stationary point, as for [`Mcp`]); no conjugate, not a norm.
///
/// ```
/// use proxreg_core::penalty::{Penalty, Scad, SeparablePenalty};
/// let scad = Scad::new(3.7_f64)?; // knots at 1 and 3.7
/// assert_eq!(scad.prox_1d(1.5, 0.5, 0), 1.0); // soft-thresholding up to λ + t
/// assert_eq!(scad.prox_1d(5.0, 0.5, 0), 5.0); // beyond γλ: unbiased
/// assert_eq!(scad.value(&[0.5, 10.0]), 0.5 + 4.7 / 2.0);
/// assert!(Scad::new(2.0_f64).is_err());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scad<T> {
    gamma: T,
    scale: T,
}

impl<T: Scalar> Scad<T> {
    /// SCAD with ratio `gamma` at the reference strength `1` (knots at 1 and `gamma`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `gamma` unless it is finite and `> 2` (NaN rejected).
    pub fn new(gamma: T) -> Result<Self> {
        Self::for_alpha(gamma, T::one())
    }

    /// SCAD with ratio `gamma` whose multiple by `alpha` is Fan & Li's `SCAD_{alpha,gamma}`
    /// (skglm's `SCAD(alpha, gamma)`): knots at `alpha` and `gamma·alpha`. Fit it with strength
    /// `alpha`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `gamma` unless it is finite and `> 2`, naming `alpha`
    /// unless it is finite and `> 0` (and `gamma·alpha` finite and `> 0`).
    pub fn for_alpha(gamma: T, alpha: T) -> Result<Self> {
        check_shape(gamma, alpha, T::lit(2.0), "a finite number > 2")?;
        Ok(Self {
            gamma,
            scale: alpha,
        })
    }

    /// The ratio `γ`.
    pub fn gamma(&self) -> T {
        self.gamma
    }

    /// The reference strength `λ`, the first knot (`1` for [`Scad::new`]).
    pub fn scale(&self) -> T {
        self.scale
    }

    /// The second knot `γλ`, beyond which the penalty is flat.
    pub fn knot(&self) -> T {
        self.gamma * self.scale
    }

    /// The width `(γ − 1)λ` of the concave middle piece.
    #[inline]
    fn width(&self) -> T {
        self.knot() - self.scale
    }
}

impl<T: Scalar> Penalty<T> for Scad<T> {
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
        Some(max_abs(grad_at_zero))
    }
}

impl<T: Scalar> SeparablePenalty<T> for Scad<T> {
    fn prox_1d(&self, v: T, step: T, _j: usize) -> T {
        if v.is_nan() || step.is_nan() {
            return T::nan();
        }
        let (a, lam, c, width) = (v.abs(), self.scale, self.knot(), self.width());
        if step < width {
            let z = if a <= lam + step {
                pos_part(a - step)
            } else if a <= c {
                // ((γ−1)λa − tγλ)/((γ−1)λ − t) = (a − t·c/width)/(1 − t/width), in [λ, c].
                ((a - step * (c / width)) * (width / (width - step)))
                    .max(lam)
                    .min(c)
            } else {
                a
            };
            return v.signum() * z;
        }
        // t ≥ (γ−1)λ: the middle piece is concave; compare the first piece's minimiser with the
        // flat piece's, by φ(z) = t·ρ(z) + ½(z − a)².
        let half = T::lit(0.5);
        let z1 = pos_part(a - step).min(lam);
        let z3 = a.max(c);
        let phi1 = step * z1 + half * (z1 - a) * (z1 - a);
        let phi3 = step * ((lam + c) * half) + half * (z3 - a) * (z3 - a);
        let z = if phi3 < phi1 { z3 } else { z1 };
        v.signum() * z
    }

    fn subdiff_distance_1d(&self, w_j: T, grad_j: T, alpha: T, _j: usize) -> T {
        let slope = (pos_part(self.knot() - w_j.abs()) / self.width()).min(T::one());
        distance(w_j, grad_j, alpha, slope)
    }

    fn value_1d(&self, w_j: T, _j: usize) -> T {
        let (a, lam, c) = (w_j.abs(), self.scale, self.knot());
        let half = T::lit(0.5);
        if a <= lam {
            a
        } else if a <= c {
            // (2ca − a² − λ²)/(2(c − λ)) = (λ + c)/2 − (c − a)²/(2(c − λ)).
            (lam + c) * half - (c - a) * ((c - a) / self.width()) * half
        } else if a > c {
            (lam + c) * half
        } else {
            w_j // NaN
        }
    }
}

#[cfg(test)]
mod tests {
    //! The thresholding rules at their breakpoints, the constructors, and the conventions; the
    //! property tests (prox optimality, the brute-force 1-D oracle, …) are in
    //! `proxreg-testing/tests`.
    use super::*;

    fn name(err: Error) -> &'static str {
        match err {
            Error::InvalidParameter { name, .. } => name,
            other => panic!("expected InvalidParameter, got {other:?}"),
        }
    }

    /// `argmin_z t·g(z) + ½(z − v)²` on a fine grid around the candidates (f64), for checking
    /// the closed forms away from ties.
    fn brute<P: SeparablePenalty<f64> + ?Sized>(p: &P, v: f64, t: f64) -> f64 {
        let phi = |z: f64| t * p.value_1d(z, 0) + 0.5 * (z - v) * (z - v);
        let hi = 2.0 * v.abs() + 1.0;
        let n = 200_000;
        let mut best = (phi(0.0), 0.0);
        for i in 0..=2 * n {
            let z = -hi + hi * (i as f64) / (n as f64);
            let f = phi(z);
            if f < best.0 {
                best = (f, z);
            }
        }
        best.1
    }

    macro_rules! per_scalar {
        ($($t:ident),+) => {$(
            mod $t {
                use super::*;
                type T = $t;

                #[test]
                fn constructors_reject_bad_shapes_and_nan() {
                    for g in [1.0 as T, 0.5, -2.0, T::NAN, T::INFINITY] {
                        assert_eq!(name(Mcp::new(g).unwrap_err()), "gamma");
                    }
                    for g in [2.0 as T, 1.5, T::NAN, T::NEG_INFINITY] {
                        assert_eq!(name(Scad::new(g).unwrap_err()), "gamma");
                    }
                    for a in [0.0 as T, -1.0, T::NAN, T::INFINITY] {
                        assert_eq!(name(Mcp::for_alpha(3.0, a).unwrap_err()), "alpha");
                        assert_eq!(name(Scad::for_alpha(3.7, a).unwrap_err()), "alpha");
                    }
                    // γ·α overflowing or underflowing is refused too.
                    assert_eq!(name(Mcp::for_alpha(3.0, T::MAX).unwrap_err()), "alpha");
                    let m = Mcp::for_alpha(3.0 as T, 0.5).unwrap();
                    assert_eq!((m.gamma(), m.scale(), m.knot()), (3.0, 0.5, 1.5));
                    let s = Scad::for_alpha(4.0 as T, 0.5).unwrap();
                    assert_eq!((s.gamma(), s.scale(), s.knot()), (4.0, 0.5, 2.0));
                }

                #[test]
                fn mcp_firm_thresholding_at_its_breakpoints() {
                    let m = Mcp::new(3.0 as T).unwrap();
                    let t = 1.0;
                    assert_eq!(m.prox_1d(1.0, t, 0), 0.0); // |v| = t
                    assert_eq!(m.prox_1d(-0.5, t, 0), 0.0);
                    assert_eq!(m.prox_1d(2.0, t, 0), 1.5); // 3(2 − 1)/(3 − 1)
                    assert_eq!(m.prox_1d(-2.0, t, 0), -1.5);
                    assert_eq!(m.prox_1d(3.0, t, 0), 3.0); // |v| = k: continuous
                    assert_eq!(m.prox_1d(4.0, t, 0), 4.0); // beyond k: identity
                    // just above the threshold the output starts at 0 (continuous)
                    let z = m.prox_1d(1.0 + 1e-3, t, 0);
                    assert!(z > 0.0 && z < 2e-3);
                    // stationarity on the middle piece: z − v + t(1 − z/k) = 0
                    let (v, z) = (2.4 as T, m.prox_1d(2.4, t, 0));
                    assert!((z - v + t * (1.0 - z / 3.0)).abs() < 8.0 * T::EPSILON);
                }

                #[test]
                fn mcp_hard_thresholding_when_the_step_reaches_the_knot() {
                    let m = Mcp::new(3.0 as T).unwrap();
                    // t = 4 ≥ k = 3: hard threshold at √12 ≈ 3.464
                    assert_eq!(m.prox_1d(3.4, 4.0, 0), 0.0);
                    assert_eq!(m.prox_1d(-3.5, 4.0, 0), -3.5);
                    // t = k: threshold √(k²) = k, 0 at the tie
                    assert_eq!(m.prox_1d(3.0, 3.0, 0), 0.0);
                    assert_eq!(m.prox_1d(3.125, 3.0, 0), 3.125);
                    // exact tie a² = t·k: 0 (the sparser of the two minimisers)
                    let m2 = Mcp::new(2.0 as T).unwrap();
                    assert_eq!(m2.prox_1d(4.0, 8.0, 0), 0.0);
                    assert_eq!(m2.prox_1d(4.0 + 1e-3, 8.0, 0), 4.0 + 1e-3);
                    // huge inputs do not overflow into the wrong branch
                    assert_eq!(m.prox_1d(T::MAX, 1e30, 0), T::MAX);
                    assert_eq!(m.prox_1d(T::MAX, 0.5, 0), T::MAX);
                    assert!(m.prox_1d(T::NAN, 1.0, 0).is_nan());
                    assert!(m.prox_1d(1.0, T::NAN, 0).is_nan());
                }

                #[test]
                fn scad_three_piece_rule_at_its_breakpoints() {
                    let s = Scad::new(3.5 as T).unwrap(); // knots 1 and 3.5, width 2.5
                    let t = 0.5;
                    assert_eq!(s.prox_1d(0.5, t, 0), 0.0); // |v| = t
                    assert_eq!(s.prox_1d(1.0, t, 0), 0.5); // soft
                    assert_eq!(s.prox_1d(-1.5, t, 0), -1.0); // |v| = λ + t: z = λ
                    // middle piece: ((γ−1)λa − tγλ)/((γ−1)λ − t) = (2.5a − 1.75)/2
                    let z = s.prox_1d(2.5, t, 0);
                    assert!((z - 2.25).abs() < 4.0 * T::EPSILON, "{z}");
                    let z = s.prox_1d(1.5 + 1e-3, t, 0); // continuous at λ + t
                    assert!((z - 1.0).abs() < 2e-3);
                    let z = s.prox_1d(3.5, t, 0); // continuous at γλ
                    assert!((z - 3.5).abs() < 8.0 * T::EPSILON, "{z}");
                    assert_eq!(s.prox_1d(-4.0, t, 0), -4.0);
                    // stationarity on the middle piece: z − v + t(γλ − z)/((γ−1)λ) = 0
                    let (v, z) = (3.0 as T, s.prox_1d(3.0, t, 0));
                    assert!((z - v + t * (3.5 - z) / 2.5).abs() < 8.0 * T::EPSILON);
                    assert!(s.prox_1d(T::NAN, t, 0).is_nan());
                    assert_eq!(s.prox_1d(T::MAX, 1e30, 0), T::MAX);
                }

                #[test]
                fn scad_beyond_the_convex_regime_compares_the_end_pieces() {
                    let s = Scad::new(3.0 as T).unwrap(); // knots 1 and 3, width 2
                    // t = 2.5 ≥ 2: z1 = min(max(a − t, 0), 1), z3 = max(a, 3).
                    // a = 3.2: φ(z1 = 0.7) = 1.75 + 3.125 = 4.875 < φ(z3 = 3.2) = 2.5·2 = 5: z1.
                    let z = s.prox_1d(3.2, 2.5, 0);
                    assert!((z - 0.7).abs() < 8.0 * T::EPSILON, "{z}");
                    // a = 3.6: φ(z1 = 1) = 2.5 + 3.38 = 5.88 > 5: the flat piece, z = v.
                    assert_eq!(s.prox_1d(-3.6, 2.5, 0), -3.6);
                    assert_eq!(s.prox_1d(2.0, 2.5, 0), 0.0);
                }

                #[test]
                fn values_are_continuous_at_the_knots() {
                    let m = Mcp::for_alpha(2.0 as T, 0.5).unwrap(); // knot 1
                    assert_eq!(m.value(&[1.0]), 0.5);
                    assert_eq!(m.value(&[-7.0]), 0.5);
                    assert_eq!(m.value(&[0.5]), 0.375);
                    let s = Scad::for_alpha(3.0 as T, 0.5).unwrap(); // knots 0.5 and 1.5
                    assert_eq!(s.value(&[0.5]), 0.5);
                    assert_eq!(s.value(&[1.5]), 1.0);
                    assert_eq!(s.value(&[-9.0]), 1.0);
                    assert_eq!(s.value(&[1.0]), 1.0 - 0.25 * 0.5); // (λ+c)/2 − (c−a)²/(2(c−λ))
                    assert!(m.value(&[T::NAN]).is_nan() && s.value(&[T::NAN]).is_nan());
                    assert_eq!(m.value(&[]), 0.0);
                }

                #[test]
                fn frechet_distances_and_alpha_max() {
                    let m = Mcp::new(2.0 as T).unwrap();
                    let s = Scad::new(3.0 as T).unwrap();
                    for p in [&m as &dyn SeparablePenalty<T>, &s] {
                        // at 0: [−α, α]
                        assert_eq!(p.subdiff_distance_1d(0.0, 0.3, 0.5, 0), 0.0);
                        assert_eq!(p.subdiff_distance_1d(0.0, -0.75, 0.5, 0), 0.25);
                        // beyond the last knot: the penalty is flat, distance |grad|
                        assert_eq!(p.subdiff_distance_1d(5.0, 0.25, 0.5, 0), 0.25);
                        assert_eq!(p.alpha_max(&[0.5, -2.0]), Some(2.0));
                        assert_eq!(p.conjugate(&[0.0], 1.0), None);
                        assert!(p.subdiff_distance_1d(T::NAN, 0.0, 1.0, 0).is_nan());
                    }
                    // MCP at w = 1, k = 2: slope 1/2
                    assert_eq!(m.subdiff_distance_1d(1.0, -0.25, 0.5, 0), 0.0);
                    // SCAD at w = −0.5 (first piece: slope 1) and w = 2 (slope (3 − 2)/2)
                    assert_eq!(s.subdiff_distance_1d(-0.5, 0.5, 0.5, 0), 0.0);
                    assert_eq!(s.subdiff_distance_1d(2.0, -0.25, 0.5, 0), 0.0);
                }
            }
        )+};
    }

    per_scalar!(f32, f64);

    #[test]
    fn closed_forms_match_a_grid_search() {
        let m = Mcp::new(3.0).unwrap();
        let s = Scad::new(3.7).unwrap();
        for &t in &[0.3, 1.0, 2.5, 2.9, 3.0, 4.0] {
            for &v in &[-5.0, -3.3, -1.7, 0.2, 1.1, 2.2, 3.5, 4.4, 6.0] {
                for (p, label) in [(&m as &dyn SeparablePenalty<f64>, "mcp"), (&s, "scad")] {
                    let z = p.prox_1d(v, t, 0);
                    let phi = |z: f64| t * p.value_1d(z, 0) + 0.5 * (z - v) * (z - v);
                    let b = brute(p, v, t);
                    assert!(
                        phi(z) <= phi(b) + 1e-9,
                        "{label} v={v} t={t}: {z} vs grid {b}"
                    );
                }
            }
        }
    }
}
