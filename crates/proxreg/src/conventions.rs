//! Converters between proxreg's (scikit-learn's) parameterisation and the other common ones.
//!
//! proxreg's Elastic Net minimises `(1/(2n))‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1−ρ)‖w‖²` and its
//! Ridge minimises `‖y − Xw − b‖² + α_ridge‖w‖²`. See `docs/conventions.md` for the derivations.
//!
//! glmnet (gaussian family) fits on `y / s_y` (with `s_y` the 1/n standard deviation of `y`)
//! and reports `λ` on the original scale, which amounts to minimising
//! `(1/(2n))‖y − Xβ − b‖² + λ·a‖β‖₁ + (λ/s_y)·(1−a)/2·‖β‖²`. The ℓ1 parts agree (`αρ = λa`),
//! the ridge parts differ by `s_y` (`α(1−ρ) = λ(1−a)/s_y`): for the Lasso (`a = 1`) the two are
//! the same, for `a < 1` the conversion needs `s_y`.

use proxreg_core::error::{ensure_nonneg_finite, ensure_positive_finite};
use proxreg_core::{Error, Result, Scalar};

/// scikit-learn's `Ridge(alpha = a)` on `n` samples (or `Σ s_i` with sample weights) is
/// `ElasticNet(alpha = a/n, l1_ratio = 0)`.
///
/// ```
/// use proxreg::conventions::ridge_to_enet_alpha;
/// assert_eq!(ridge_to_enet_alpha(10.0_f64, 50.0)?, 0.2);
/// # Ok::<(), proxreg::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] for a negative/NaN alpha or a non-positive `n`.
pub fn ridge_to_enet_alpha<T: Scalar>(alpha_ridge: T, n: T) -> Result<T> {
    ensure_nonneg_finite("alpha", alpha_ridge)?;
    ensure_positive_finite("n", n)?;
    Ok(alpha_ridge / n)
}

/// The inverse of [`ridge_to_enet_alpha`]: `alpha_ridge = n · alpha`.
///
/// # Errors
/// As [`ridge_to_enet_alpha`].
pub fn enet_to_ridge_alpha<T: Scalar>(alpha: T, n: T) -> Result<T> {
    ensure_nonneg_finite("alpha", alpha)?;
    ensure_positive_finite("n", n)?;
    Ok(alpha * n)
}

/// The 1/n standard deviation of `y` that glmnet divides by (`s_y` above).
///
/// # Errors
/// [`Error::Empty`] for an empty `y`, [`Error::NonFinite`] for NaN/inf.
pub fn glmnet_y_scale<T: Scalar>(y: &[T]) -> Result<T> {
    if y.is_empty() {
        return Err(Error::Empty { what: "y" });
    }
    proxreg_core::error::ensure_all_finite("y", y)?;
    let n = T::from_count(y.len());
    let mean = y.iter().copied().sum::<T>() / n;
    Ok((y.iter().map(|&v| (v - mean) * (v - mean)).sum::<T>() / n).sqrt())
}

/// glmnet's `(λ, a)` (its `lambda` and `alpha`) to proxreg's `(α, ρ)` (`alpha`, `l1_ratio`),
/// given `s_y` ([`glmnet_y_scale`]): `α = λa + λ(1−a)/s_y`, `ρ = λa/α`.
///
/// ```
/// use proxreg::conventions::{from_glmnet, to_glmnet};
/// let (alpha, l1_ratio) = from_glmnet(0.3_f64, 1.0, 2.5)?;     // the Lasso needs no s_y
/// assert_eq!((alpha, l1_ratio), (0.3, 1.0));
/// let (a2, r2) = from_glmnet(0.3_f64, 0.5, 2.0)?;
/// let (lambda, a) = to_glmnet(a2, r2, 2.0)?;
/// assert!((lambda - 0.3).abs() < 1e-15 && (a - 0.5).abs() < 1e-15);
/// # Ok::<(), proxreg::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] for `λ` negative or NaN, `a` outside [0, 1], `s_y` not > 0.
pub fn from_glmnet<T: Scalar>(lambda: T, a: T, y_scale: T) -> Result<(T, T)> {
    ensure_nonneg_finite("lambda", lambda)?;
    check_unit("glmnet alpha", a)?;
    ensure_positive_finite("y_scale", y_scale)?;
    let l1 = lambda * a;
    let alpha = l1 + lambda * (T::one() - a) / y_scale;
    let l1_ratio = if alpha > T::zero() { l1 / alpha } else { a };
    Ok((alpha, l1_ratio))
}

/// proxreg's `(α, ρ)` to glmnet's `(λ, a)`: `λ = αρ + α(1−ρ)s_y`, `a = αρ/λ`.
///
/// # Errors
/// As [`from_glmnet`].
pub fn to_glmnet<T: Scalar>(alpha: T, l1_ratio: T, y_scale: T) -> Result<(T, T)> {
    ensure_nonneg_finite("alpha", alpha)?;
    check_unit("l1_ratio", l1_ratio)?;
    ensure_positive_finite("y_scale", y_scale)?;
    let l1 = alpha * l1_ratio;
    let lambda = l1 + alpha * (T::one() - l1_ratio) * y_scale;
    let a = if lambda > T::zero() {
        l1 / lambda
    } else {
        l1_ratio
    };
    Ok((lambda, a))
}

fn check_unit<T: Scalar>(name: &'static str, v: T) -> Result<T> {
    let ok = v >= T::zero() && v <= T::one();
    if ok {
        Ok(v)
    } else {
        Err(Error::InvalidParameter {
            name,
            value: v.as_f64(),
            expected: "a number in [0, 1]",
        })
    }
}

/// scikit-learn's `LogisticRegression(C = c)` on `m` samples (or `m = Σ s_i` with sample
/// weights) is proxreg's logistic regression with `alpha = 1/(m·c)`: scikit-learn minimises
/// `c·Σ s_i ℓ_i + penalty`, proxreg `(1/m)·Σ s_i ℓ_i + α·penalty` (same `l1_ratio`; its ridge
/// penalty is `½‖w‖²` as proxreg's).
///
/// ```
/// use proxreg::conventions::{alpha_from_sklearn_c, sklearn_c_from_alpha};
/// assert_eq!(alpha_from_sklearn_c(0.5_f64, 100.0)?, 0.02);
/// assert_eq!(sklearn_c_from_alpha(0.02_f64, 100.0)?, 0.5);
/// # Ok::<(), proxreg::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] for a `c` or `m` that is not finite and `> 0`.
pub fn alpha_from_sklearn_c<T: Scalar>(c: T, m: T) -> Result<T> {
    ensure_positive_finite("C", c)?;
    ensure_positive_finite("m", m)?;
    Ok(T::one() / (m * c))
}

/// The inverse of [`alpha_from_sklearn_c`]: `C = 1/(m·α)` (`α = 0` is `C = ∞`, refused).
///
/// # Errors
/// [`Error::InvalidParameter`] for an `alpha` or `m` that is not finite and `> 0`.
pub fn sklearn_c_from_alpha<T: Scalar>(alpha: T, m: T) -> Result<T> {
    ensure_positive_finite("alpha", alpha)?;
    ensure_positive_finite("m", m)?;
    Ok(T::one() / (m * alpha))
}
