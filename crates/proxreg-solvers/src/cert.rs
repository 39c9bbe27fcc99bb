//! Certificates: primal objective, duality gap, KKT violation.
//!
//! For `P(w) = (1/(2m))‖ỹ − X̃w‖² + α·g(w)` the Fenchel dual is
//! `D(θ) = ⟨ỹ, θ⟩ − (m/2)‖θ‖² − (αg)*(X̃ᵀθ)`. The dual point is the rescaled residual
//! `θ = s·r/m`, with `s = penalty.dual_feasible_scale(X̃ᵀr/m, α)` so that the conjugate is finite.
//! Then `X̃ᵀθ = −s·∇f(w)`, and every quantity comes from `‖r‖²`, `⟨ỹ, r⟩` and the gradient.

use proxreg_core::penalty::Penalty;
use proxreg_core::Scalar;

/// The certificate of a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cert<T> {
    pub objective: T,
    pub gap: Option<T>,
    pub rel_gap: Option<T>,
    pub kkt: T,
}

/// Scratch for [`certify`] (allocated once per fit).
#[derive(Debug)]
pub(crate) struct CertScratch<T> {
    pub u: Vec<T>,
    pub dist: Vec<T>,
}

impl<T: Scalar> CertScratch<T> {
    pub fn new(len: usize) -> Self {
        Self {
            u: vec![T::zero(); len],
            dist: vec![T::zero(); len],
        }
    }
}

/// Inputs: `r_sq = ‖r‖²`, `y_sq = ‖ỹ‖²`, the normaliser `m`, and the gradient
/// `grad = −X̃ᵀr/m` at `w`.
///
/// With `θ = s·r/m`, `u = X̃ᵀθ = −s·∇f(w)` and `ỹ = r + X̃w`, the gap `P(w) − D(θ)` equals
///
/// `(1 − s)²‖r‖²/(2m) + [α·g(w) + (αg)*(u) − ⟨w, u⟩]`,
///
/// a sum of two non-negative terms (the second is the Fenchel–Young gap of the penalty). This
/// form is used because it does not cancel at the scale of `‖y‖²/m`: computed as `P − D` the
/// gap of an f32 fit is noise below about `1e-7·‖y‖²/m`.
#[allow(clippy::too_many_arguments)] // the certificate needs every one of these scalars
pub(crate) fn certify<T: Scalar, P: Penalty<T> + ?Sized>(
    penalty: &P,
    alpha: T,
    w: &[T],
    grad: &[T],
    r_sq: T,
    y_sq: T,
    m: T,
    scratch: &mut CertScratch<T>,
) -> Cert<T> {
    let half = T::lit(0.5);
    let pen = if alpha == T::zero() {
        T::zero()
    } else {
        alpha * penalty.value(w)
    };
    let objective = half * r_sq / m + pen;
    let kkt = penalty.subdiff_distance(w, grad, alpha, &mut scratch.dist);

    for (u, &g) in scratch.u.iter_mut().zip(grad) {
        *u = -g;
    }
    let s = penalty.dual_feasible_scale(&scratch.u, alpha);
    let gap = if s.is_finite() && s > T::zero() {
        let mut w_dot_u = T::zero();
        for (u, &wi) in scratch.u.iter_mut().zip(w) {
            *u *= s;
            w_dot_u += wi * *u;
        }
        penalty.conjugate(&scratch.u, alpha).and_then(|conj| {
            if !conj.is_finite() {
                return None;
            }
            let one_minus_s = T::one() - s;
            let fy = pen + conj - w_dot_u;
            Some((one_minus_s * one_minus_s * half * r_sq / m + fy.max(T::zero())).max(T::zero()))
        })
    } else {
        None
    };
    let scale = y_sq / m;
    let rel_gap = gap.map(|g| if scale > T::zero() { g / scale } else { g });
    Cert {
        objective,
        gap,
        rel_gap,
        kkt,
    }
}

/// The stopping rule of the iterative solvers (see `docs/conventions.md`, "Stopping rule").
///
/// A point is accepted when **both** hold:
/// - the relative duality gap is at most `tol` (when the penalty has a conjugate): this bounds
///   the objective's error;
/// - the KKT violation is at most `max(kkt_tol·G, floor)`, with `G = ‖∇f(0)‖_∞` (for the Lasso,
///   `alpha_max`), so the test does not depend on the data's units: this bounds the
///   coefficients' error (by `kkt/μ` where the objective is `μ`-strongly convex, e.g. the
///   Elastic Net's ridge part along a flat direction of the data).
///
/// `floor` is the rounding error of a computed gradient entry, `4·√n·ε·√(max_j L_j · ‖ỹ‖²/m)`
/// (the Cauchy–Schwarz bound of `|x̃_jᵀr|/m` times a random-walk rounding factor): a KKT
/// tolerance below it cannot be certified and is not asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Criterion<T> {
    /// Tolerance on the relative duality gap.
    pub tol: T,
    /// The absolute KKT tolerance, `max(kkt_tol·G, floor)`.
    pub kkt_abs: T,
    /// The rounding floor of a gradient entry.
    pub floor: T,
    /// A change of a coefficient below `8ε·max(max|w|, w_nat)` is rounding: `w_nat = ‖ỹ‖/max‖x̃_j‖`
    /// is the coefficient scale of the data.
    pub w_nat: T,
}

impl<T: Scalar> Criterion<T> {
    /// The rule for data with `n` rows, normaliser `m`, `‖ỹ‖² = y_sq`, column squared norms
    /// `col_sq` and gradient at zero `grad0`.
    pub fn new(tol: T, kkt_tol: T, n: usize, m: T, y_sq: T, col_sq: &[T], grad0: &[T]) -> Self {
        let g = proxreg_core::penalty::max_abs(grad0);
        let g = if g > T::zero() { g } else { T::one() };
        let l_max = col_sq.iter().fold(T::zero(), |a, &b| a.max(b)) / m;
        let y_m = (y_sq / m).max(T::zero());
        let floor = T::lit(4.0) * T::from_count(n).sqrt() * T::epsilon() * (l_max * y_m).sqrt();
        let floor = if floor.is_finite() { floor } else { T::zero() };
        let w_nat = if l_max > T::zero() {
            (y_m / l_max).sqrt()
        } else {
            T::zero()
        };
        let kkt_abs = (kkt_tol * g).max(floor);
        Self {
            tol,
            kkt_abs,
            floor,
            w_nat: if w_nat.is_finite() { w_nat } else { T::zero() },
        }
    }

    /// Whether a certificate meets the rule.
    pub fn meets(&self, c: &Cert<T>) -> bool {
        c.rel_gap.is_none_or(|g| g <= self.tol) && c.kkt <= self.kkt_abs
    }

    /// The largest coefficient change that is rounding at coefficients `w`.
    pub fn fixed_point_change(&self, w: &[T]) -> T {
        T::lit(8.0) * T::epsilon() * proxreg_core::penalty::max_abs(w).max(self.w_nat)
    }
}

/// Whether `w = 0` is optimal within rounding: its KKT violation (from the gradient at zero)
/// is at most the rounding floor of a gradient entry. At or above `alpha_max` — or below it by
/// rounding only, e.g. another library's value of it — every solver then returns exact zeros
/// instead of coefficients of the size of rounding errors. Uses `dist` as scratch.
pub(crate) fn zero_is_optimal<T: Scalar, P: Penalty<T> + ?Sized>(
    penalty: &P,
    alpha: T,
    grad0: &[T],
    crit: &Criterion<T>,
    dist: &mut [T],
) -> bool {
    let zeros = vec![T::zero(); grad0.len()];
    let d = penalty.subdiff_distance(&zeros, grad0, alpha, dist);
    d <= crit.floor
}
