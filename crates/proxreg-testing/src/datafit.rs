//! Conformance checks for datafits ([`Datafit`]): derivatives against finite differences, the
//! curvature bound, Fenchel–Young with the conjugate (zero at `v = ℓ'(y, η)`, non-negative in
//! the dual domain), and the null model.
//!
//! ```
//! use proxreg_core::datafit::Logistic;
//! use proxreg_testing::datafit::check_datafit;
//! check_datafit::<f64, _>(&Logistic, &[0.0, 1.0, 0.25], 1e-6).unwrap();
//! ```

// `!(a <= b)` is meant: a NaN must fail the check, which `a > b` would let pass.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use proxreg_core::datafit::Datafit;
use proxreg_core::Scalar;

/// The linear predictors the checks are evaluated at: from `−20` to `20`, including `0`.
pub const ETAS: [f64; 13] = [
    -20.0, -6.0, -2.5, -1.0, -0.3, -0.01, 0.0, 0.02, 0.4, 1.1, 3.0, 7.0, 20.0,
];

/// A central difference of `f` at `x`, step `h`.
fn central<T: Scalar>(f: impl Fn(T) -> T, x: T, h: T) -> T {
    (f(x + h) - f(x - h)) / (h + h)
}

/// `ℓ'` and `ℓ''` agree with central differences of `ℓ` and `ℓ'` at `(y, η)`, to
/// `tol · (1 + |value|)` (the difference step is `∛ε·max(1, |η|)`). Points where the loss is
/// not twice differentiable (a hinge's kink) should be left out of `eta`.
///
/// # Errors
/// A message naming the derivative, the point and both values.
pub fn check_derivatives<T: Scalar, F: Datafit<T> + ?Sized>(
    f: &F,
    y: T,
    eta: T,
    tol: T,
) -> Result<(), String> {
    let h = T::epsilon().cbrt() * eta.abs().max(T::one());
    let d = f.deriv(y, eta);
    let d_fd = central(|e| f.loss(y, e), eta, h);
    if !((d - d_fd).abs() <= tol * (T::one() + d.abs())) {
        return Err(format!(
            "{}: deriv({y:?}, {eta:?}) = {d:?}, finite difference {d_fd:?}",
            f.name()
        ));
    }
    let hs = f.hessian(y, eta);
    let h_fd = central(|e| f.deriv(y, e), eta, h);
    if !((hs - h_fd).abs() <= tol * (T::one() + hs.abs())) {
        return Err(format!(
            "{}: hessian({y:?}, {eta:?}) = {hs:?}, finite difference {h_fd:?}",
            f.name()
        ));
    }
    if !(hs >= T::zero()) {
        return Err(format!(
            "{}: hessian({y:?}, {eta:?}) = {hs:?} < 0 (not convex)",
            f.name()
        ));
    }
    Ok(())
}

/// The curvature bound holds: `ℓ''(y, η) ≤ curvature_bound()` (when one is given).
///
/// # Errors
/// A message with the point, the curvature and the bound.
pub fn check_curvature_bound<T: Scalar, F: Datafit<T> + ?Sized>(
    f: &F,
    y: T,
    eta: T,
) -> Result<(), String> {
    match f.curvature_bound() {
        Some(b) if !(f.hessian(y, eta) <= b * (T::one() + T::epsilon())) => Err(format!(
            "{}: hessian({y:?}, {eta:?}) = {:?} exceeds the curvature bound {b:?}",
            f.name(),
            f.hessian(y, eta)
        )),
        _ => Ok(()),
    }
}

/// Fenchel–Young with the conjugate (when the datafit provides one): the gap
/// `ℓ(y, η) + ℓ*(y, v) − v·η` is `≈ 0` at `v = ℓ'(y, η)` (to `tol·(1 + |ℓ| + |v·η|)`), is
/// `≥ −tol·(…)` at other points `v` of the dual domain, agrees with
/// [`Datafit::fenchel_young`], and `0` lies in the dual domain.
///
/// # Errors
/// A message with the point and the gap.
pub fn check_fenchel_young<T: Scalar, F: Datafit<T> + ?Sized>(
    f: &F,
    y: T,
    eta: T,
    tol: T,
) -> Result<(), String> {
    let Some(_) = f.conjugate(y, T::zero()) else {
        return Ok(());
    };
    let (lo, hi) = f.dual_domain(y);
    if !(lo <= T::zero() && T::zero() <= hi) {
        return Err(format!(
            "{}: dual domain [{lo:?}, {hi:?}] misses 0",
            f.name()
        ));
    }
    let d = f.deriv(y, eta);
    let scale = |v: T| T::one() + f.loss(y, eta).abs() + (v * eta).abs();
    let fy = |v: T| -> Result<T, String> {
        let c = f
            .conjugate(y, v)
            .ok_or_else(|| format!("{}: conjugate missing at {v:?}", f.name()))?;
        Ok(f.loss(y, eta) + c - v * eta)
    };
    let at = fy(d)?;
    if !(at.abs() <= tol * scale(d)) {
        return Err(format!(
            "{}: Fenchel–Young gap {at:?} at v = ℓ'(y, η) (y={y:?}, η={eta:?}): the conjugate is not ℓ's",
            f.name()
        ));
    }
    let half = T::lit(0.5);
    for v in [
        d * half,
        d + half,
        d - half,
        lo.max(d - T::one()),
        hi.min(d + T::one()),
    ] {
        if !(v >= lo && v <= hi) {
            continue;
        }
        let g = fy(v)?;
        if !(g >= -tol * scale(v)) {
            return Err(format!(
                "{}: negative Fenchel–Young gap {g:?} at y={y:?}, η={eta:?}, v={v:?}",
                f.name()
            ));
        }
        if let Some(g2) = f.fenchel_young(y, eta, v) {
            if !((g - g2).abs() <= tol * scale(v)) {
                return Err(format!(
                    "{}: fenchel_young = {g2:?}, loss + conjugate − vη = {g:?} (y={y:?}, η={eta:?}, v={v:?})",
                    f.name()
                ));
            }
        }
    }
    Ok(())
}

/// `null_eta` minimises `Σ_i ℓ(y_i, c)`: the derivative sum vanishes there (to
/// `tol·n·(1 + max|ℓ'|)`), for the targets `ys` (unweighted).
///
/// # Errors
/// A message with the intercept and the derivative sum; or the datafit's own error.
pub fn check_null_eta<T: Scalar, F: Datafit<T> + ?Sized>(
    f: &F,
    ys: &[T],
    tol: T,
) -> Result<(), String> {
    let c = f
        .null_eta(ys, None)
        .map_err(|e| format!("{}: null_eta: {e}", f.name()))?;
    let s: T = ys.iter().map(|&y| f.deriv(y, c)).sum();
    let m = ys
        .iter()
        .fold(T::zero(), |a, &y| a.max(f.deriv(y, c).abs()));
    if !(s.abs() <= tol * T::from_count(ys.len()) * (T::one() + m)) {
        return Err(format!(
            "{}: Σ ℓ'(y_i, null_eta) = {s:?} at null_eta = {c:?}",
            f.name()
        ));
    }
    Ok(())
}

/// Every check above at every `y` of `ys` and every `η` of [`ETAS`] (`null_eta` on all of
/// `ys`). `tol` is the finite-difference tolerance; the identities use `64·ε`.
///
/// # Errors
/// The first failing check's message.
pub fn check_datafit<T: Scalar, F: Datafit<T> + ?Sized>(
    f: &F,
    ys: &[T],
    tol: T,
) -> Result<(), String> {
    check_datafit_at(f, ys, &ETAS, tol)
}

/// [`check_datafit`] at the linear predictors `etas` (leave out the points where the loss is
/// not twice differentiable, e.g. a hinge's kink).
///
/// # Errors
/// The first failing check's message.
pub fn check_datafit_at<T: Scalar, F: Datafit<T> + ?Sized>(
    f: &F,
    ys: &[T],
    etas: &[f64],
    tol: T,
) -> Result<(), String> {
    let exact = T::epsilon() * T::lit(64.0);
    for &y in ys {
        f.check_target(core::slice::from_ref(&y))
            .map_err(|e| format!("{}: target {y:?} refused: {e}", f.name()))?;
        for &e in etas {
            let eta = T::lit(e);
            check_derivatives(f, y, eta, tol)?;
            check_curvature_bound(f, y, eta)?;
            check_fenchel_young(f, y, eta, exact.max(tol * T::lit(1e-3)))?;
        }
    }
    check_null_eta(f, ys, exact.max(tol * T::lit(1e-3)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proxreg_core::datafit::{Huber, Logistic, Poisson, Quadratic};

    #[test]
    fn built_in_datafits_conform() {
        check_datafit::<f64, _>(&Quadratic, &[-3.0, 0.0, 2.5], 1e-6).unwrap();
        check_datafit::<f64, _>(&Logistic, &[0.0, 1.0, 0.3], 1e-6).unwrap();
        check_datafit::<f32, _>(&Logistic, &[0.0, 1.0], 2e-2).unwrap();
        // Poisson's e^η reaches 5e8 at η = 20: the checks are relative.
        check_datafit::<f64, _>(&Poisson, &[0.0, 1.0, 6.5], 1e-6).unwrap();
        // Huber's kinks at η = y ± δ are not among the checked η for these y.
        let h = Huber::new(1.35).unwrap();
        check_datafit::<f64, _>(&h, &[0.0, 1.7, -2.2], 1e-6).unwrap();
    }

    /// A wrong derivative, a wrong conjugate and a wrong curvature bound are caught.
    #[test]
    fn broken_datafits_fail() {
        struct Bad(u8);
        impl Datafit<f64> for Bad {
            fn name(&self) -> &'static str {
                "bad"
            }
            fn loss(&self, y: f64, eta: f64) -> f64 {
                0.5 * (y - eta) * (y - eta)
            }
            fn deriv(&self, y: f64, eta: f64) -> f64 {
                if self.0 == 0 {
                    y - eta
                } else {
                    eta - y
                }
            }
            fn hessian(&self, _: f64, _: f64) -> f64 {
                1.0
            }
            fn curvature_bound(&self) -> Option<f64> {
                Some(if self.0 == 2 { 0.5 } else { 1.0 })
            }
            fn conjugate(&self, y: f64, v: f64) -> Option<f64> {
                Some(if self.0 == 1 {
                    v * y + v * v
                } else {
                    v * y + 0.5 * v * v
                })
            }
            fn null_eta(&self, y: &[f64], _: Option<&[f64]>) -> proxreg_core::Result<f64> {
                Ok(y.iter().sum::<f64>() / y.len() as f64)
            }
            fn mean(&self, eta: f64) -> f64 {
                eta
            }
        }
        for k in 0..3 {
            assert!(
                check_datafit(&Bad(k), &[0.0, 1.0], 1e-6).is_err(),
                "Bad({k})"
            );
        }
        assert!(check_datafit(&Bad(3), &[0.0, 1.0], 1e-6).is_ok());
    }
}
