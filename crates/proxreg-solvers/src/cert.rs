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

/// Whether a certificate meets `tol`: the relative gap when available, else the KKT violation
/// relative to `kkt_scale` (`‖∇f(0)‖_∞`, so that it does not depend on the data's units).
pub(crate) fn meets<T: Scalar>(c: &Cert<T>, tol: T, kkt_scale: T) -> bool {
    match c.rel_gap {
        Some(g) => g <= tol,
        None => {
            let scale = if kkt_scale > T::zero() {
                kkt_scale
            } else {
                T::one()
            };
            c.kkt <= tol * scale
        }
    }
}
