//! Units: data at extreme scales gets the right answer (the unscaled fit, rescaled) or a typed
//! error — never zeros reported as converged (scikit-learn's `tol * ‖y‖²` stopping rule
//! returns zeros as converged when `‖y‖²` underflows).

use proxreg::prelude::*;

use super::common::{data, fit_one, rel_diff, Cfg, NAMES};
use crate::per_scalar;

fn is_f64<T: Scalar>() -> bool {
    T::epsilon() < T::lit(1e-10)
}

fn tol_cmp<T: Scalar>() -> f64 {
    if is_f64::<T>() {
        1e-5
    } else {
        2e-2
    }
}

fn base_cfg<T: Scalar>(alpha: T) -> Cfg<T> {
    let mut c = Cfg::new(alpha);
    if !is_f64::<T>() {
        c.tol = T::lit(1e-7);
    }
    c
}

/// X and y both multiplied by `c`: the objective is multiplied by `c²`, so with `alpha·c²`
/// every estimator returns the same coefficients and `c` times the intercept (the CV grids
/// scale by themselves).
fn joint_scaling<T: Scalar>(c: f64) {
    let (x, y) = data::<T>(30, 4, 21);
    let cs = T::lit(c);
    let xs = ColMajor::from_fn(30, 4, |i, j| x.col(j)[i] * cs);
    let ys: Vec<T> = y.iter().map(|&v| v * cs).collect();
    let alpha = T::lit(0.05);
    for i in 0..NAMES.len() {
        let base = fit_one(i, &x, &y, None, &base_cfg(alpha)).unwrap();
        let scaled = fit_one(i, &xs, &ys, None, &base_cfg(T::lit(0.05 * c * c)))
            .unwrap_or_else(|e| panic!("{} at scale {c:e}: {e:?}", NAMES[i]));
        scaled.assert_sane(NAMES[i]);
        let d = rel_diff(&scaled.coef, &base.coef, 1e-3);
        assert!(
            d <= tol_cmp::<T>(),
            "{} at scale {c:e}: coef {d:e}",
            NAMES[i]
        );
        let b: Vec<T> = base.intercept.iter().map(|&v| v * cs).collect();
        let d = rel_diff(&scaled.intercept, &b, 1e-3 * c);
        assert!(
            d <= tol_cmp::<T>(),
            "{} at scale {c:e}: intercept {d:e}",
            NAMES[i]
        );
    }
}

fn data_scaled_up<T: Scalar>() {
    joint_scaling::<T>(if is_f64::<T>() { 1e150 } else { 1e17 });
}
per_scalar!(
    data_scaled_by_1e150_gives_the_unscaled_answer,
    data_scaled_up
);

fn data_scaled_down<T: Scalar>() {
    joint_scaling::<T>(if is_f64::<T>() { 1e-150 } else { 1e-17 });
}
per_scalar!(
    data_scaled_by_1e_minus_150_gives_the_unscaled_answer,
    data_scaled_down
);

/// `y` alone multiplied by `c`: Lasso-type coefficients scale by `c` with `alpha·c`, Ridge's
/// with the same alpha, and the Elastic Net's (not homogeneous in `y`) are `c` times those of
/// the unscaled data at the mix the scaling implies: with `alpha·ρ|w| + ½alpha(1−ρ)w²` on
/// `c·y`, `w = c·u` where `u` solves the unscaled problem at `alpha' = alpha(ρ/c + 1 − ρ)` and
/// `ρ' = (ρ/c)/(ρ/c + 1 − ρ)`. Where `‖y‖²` leaves the floating-point range (`1e155`,
/// `1e-200`, `1e±300` in f64) the data are rescaled internally by powers of two: the answer
/// is still required, with `rescaled` reported.
fn y_alone_scaled<T: Scalar>(c: f64, cmp: f64) {
    let (x, y) = data::<T>(30, 4, 22);
    let cs = T::lit(c);
    assert!(cs.is_finite() && cs != T::zero());
    let ys: Vec<T> = y.iter().map(|&v| v * cs).collect();
    let alpha = 0.05;
    for i in 0..NAMES.len() {
        let elastic = NAMES[i].contains("Elastic");
        let a = match NAMES[i] {
            "Ridge" => T::lit(alpha),
            _ if elastic && c < 1.0 => T::lit(alpha * c),
            _ if elastic => T::lit(alpha),
            _ => T::lit(alpha * c),
        };
        let cv = NAMES[i].ends_with("Cv");
        let sq_out = !ys.iter().map(|&v| v * v).sum::<T>().is_normal();
        let f = match fit_one(i, &x, &ys, None, &base_cfg(a)) {
            // Held-out squared errors do not fit the range: a typed error, never a selection
            // among infinities or zeros.
            Err(Error::Numerical { what: "y", .. }) if cv && sq_out => continue,
            Err(e) => panic!("{} with y·{c:e}: {e:?}", NAMES[i]),
            Ok(f) => f,
        };
        assert!(
            !(cv && sq_out),
            "{} with y·{c:e}: selected among overflowed errors",
            NAMES[i]
        );
        assert_eq!(
            f.rescaled,
            sq_out && !cv,
            "{} with y·{c:e}: rescaled flag",
            NAMES[i]
        );
        f.assert_sane(NAMES[i]);
        assert!(
            f.coef.iter().any(|&v| v != T::zero()),
            "{} with y·{c:e}: zeros reported as converged",
            NAMES[i]
        );
        if NAMES[i] == "ElasticNetCv" {
            continue; // its grid and mix choice are not a function of the scaled problem
        }
        let mut cfg = base_cfg(T::lit(alpha));
        if elastic {
            // alpha' and rho' of the unscaled problem with the same solution (divided by c).
            let rho = 0.5;
            cfg.alpha = T::lit(a.as_f64() * (rho / c + 1.0 - rho));
            cfg.l1_ratio = T::lit((rho / c) / (rho / c + 1.0 - rho));
        }
        let base = fit_one(i, &x, &y, None, &cfg).unwrap();
        let b: Vec<T> = base.coef.iter().map(|&v| v * cs).collect();
        let d = rel_diff(&f.coef, &b, 0.0);
        assert!(d <= cmp, "{} with y·{c:e}: coef {d:e}", NAMES[i]);
        let bi: Vec<T> = base.intercept.iter().map(|&v| v * cs).collect();
        let floor = b.iter().fold(0.0_f64, |m, v| m.max(v.as_f64().abs()));
        let d = rel_diff(&f.intercept, &bi, floor);
        assert!(d <= cmp, "{} with y·{c:e}: intercept {d:e}", NAMES[i]);
    }
}

fn y_scaled_up<T: Scalar>() {
    if is_f64::<T>() {
        y_alone_scaled::<T>(1e155, 1e-10);
        y_alone_scaled::<T>(1e300, 1e-10);
    } else {
        y_alone_scaled::<T>(1e20, 2e-2);
        y_alone_scaled::<T>(1e36, 2e-2);
    }
}
per_scalar!(
    y_scaled_by_1e155_to_1e300_gives_the_rescaled_answer,
    y_scaled_up
);

fn y_scaled_down<T: Scalar>() {
    if is_f64::<T>() {
        y_alone_scaled::<T>(1e-200, 1e-10);
        y_alone_scaled::<T>(1e-300, 1e-10);
    } else {
        y_alone_scaled::<T>(1e-25, 2e-2);
        y_alone_scaled::<T>(1e-36, 2e-2);
    }
}
per_scalar!(
    y_scaled_by_1e_minus_200_to_1e_minus_300_gives_the_rescaled_answer,
    y_scaled_down
);

/// The same at moderate scales (`1e±30`): well inside the range, so the answer itself is
/// required (the stopping rule is relative to `‖y‖²/n`, not absolute).
#[test]
fn y_scaled_by_1e30_and_1e_minus_30_gives_the_rescaled_answer() {
    for c in [1e30, 1e-30] {
        let (x, y) = data::<f64>(30, 4, 23);
        let ys: Vec<f64> = y.iter().map(|&v| v * c).collect();
        for i in [0usize, 2, 3, 5, 7] {
            let base = fit_one(i, &x, &y, None, &base_cfg(0.05)).unwrap();
            let a = if i == 2 { 0.05 } else { 0.05 * c };
            let f = fit_one(i, &x, &ys, None, &base_cfg(a)).unwrap();
            f.assert_sane(NAMES[i]);
            let b: Vec<f64> = base.coef.iter().map(|&v| v * c).collect();
            assert!(rel_diff(&f.coef, &b, 0.0) <= 1e-5, "{} y·{c:e}", NAMES[i]);
        }
    }
}

/// Columns far out of range (`1e±300` in f64, `1e±30` in f32), the others unscaled. With
/// standardization the columns' units do not matter: every estimator returns the unscaled
/// fit with coefficient `j` divided by the column's scale. Without it, the Lasso on a column
/// scaled by `s` with penalty factor `s` is the unscaled Lasso (coefficient divided by `s`):
/// the rescaled penalty `l1·2^(−ey−ed_j)` of the internal problem is what makes it exact.
fn columns_out_of_range<T: Scalar>() {
    let (big, small) = if is_f64::<T>() {
        (1e300, 1e-300)
    } else {
        (1e30, 1e-30)
    };
    let cmp = if is_f64::<T>() { 1e-10 } else { 2e-2 };
    let (x, y) = data::<T>(30, 4, 24);
    let scales = [big, 1.0, small, 1.0];
    let xs = ColMajor::from_fn(30, 4, |i, j| x.col(j)[i] * T::lit(scales[j]));
    let cfg = base_cfg(T::lit(0.05));
    // Coefficient j of the scaled design times the column's scale: the unscaled coefficient.
    let unscale = |c: &[T], k: usize| -> Vec<T> {
        c.iter()
            .enumerate()
            .map(|(i, &v)| v * T::lit(scales[i / k]))
            .collect()
    };
    macro_rules! both {
        ($name:expr, $params:expr, $y:expr, $k:expr) => {{
            let p = $params
                .tol(cfg.tol)
                .max_iter(cfg.max_iter)
                .standardize(true);
            let base = p.clone().fit(&x, $y).unwrap();
            let f = p
                .fit(&xs, $y)
                .unwrap_or_else(|e| panic!("{} standardized, columns out of range: {e:?}", $name));
            assert_eq!(f.status(), Status::Converged, "{}", $name);
            let d = rel_diff(&unscale(f.coef(), $k), base.coef(), 0.0);
            assert!(
                d <= cmp,
                "{} standardized, columns out of range: {d:e}",
                $name
            );
            let d = rel_diff(f.intercepts(), base.intercepts(), 1.0);
            assert!(d <= cmp, "{} intercept: {d:e}", $name);
        }};
    }
    let yy: Vec<T> = y.iter().chain(&y).copied().collect();
    both!("Lasso", Lasso::params().alpha(cfg.alpha), &y, 1);
    both!(
        "ElasticNet",
        ElasticNet::params().alpha(cfg.alpha).l1_ratio(T::lit(0.5)),
        &y,
        1
    );
    both!("Ridge", Ridge::params().alpha(cfg.alpha), &y, 1);
    both!(
        "MultiTaskLasso",
        MultiTaskLasso::params().alpha(cfg.alpha),
        &yy,
        2
    );
    both!(
        "MultiTaskElasticNet",
        MultiTaskElasticNet::params()
            .alpha(cfg.alpha)
            .l1_ratio(T::lit(0.5)),
        &yy,
        2
    );

    // Without standardization: the Lasso with compensating penalty factors.
    let lasso = Lasso::params()
        .alpha(cfg.alpha)
        .tol(cfg.tol)
        .max_iter(cfg.max_iter);
    let base = lasso.clone().fit(&x, &y).unwrap();
    let factors: Vec<T> = scales.iter().map(|&s| T::lit(s)).collect();
    let f = lasso.penalty_factors(factors).fit(&xs, &y).unwrap();
    assert_eq!(f.status(), Status::Converged);
    assert!(f.report().rescaled);
    let d = rel_diff(&unscale(f.coef(), 1), base.coef(), 0.0);
    assert!(d <= cmp, "Lasso with factors, columns out of range: {d:e}");
}
per_scalar!(
    columns_scaled_by_1e_plus_minus_300_give_the_unscaled_answer,
    columns_out_of_range
);

/// What cannot be represented stays a typed error: `y` at `1e300` on columns at `1e-300` needs
/// coefficients near `1e600`.
#[test]
fn coefficients_beyond_the_range_are_a_typed_error() {
    let (x, y) = data::<f64>(30, 4, 25);
    let xs = ColMajor::from_fn(30, 4, |i, j| x.col(j)[i] * 1e-300);
    let ys: Vec<f64> = y.iter().map(|&v| v * 1e300).collect();
    let err = Lasso::params()
        .alpha(1e-10)
        .tol(1e-10)
        .fit(&xs, &ys)
        .unwrap_err();
    assert!(matches!(err, Error::Numerical { .. }), "{err:?}");
}

/// A column far below the range (`1e-300`) without standardization under a squared penalty:
/// its coefficient is near `1e-300` and its contribution to every prediction near `1e-600`,
/// below the range, so the rescaled problem's penalty on it (`l2·2^1994`) overflows: a typed
/// error naming the rescaling, never a silent answer. The Lasso has no squared term and fits
/// it (`columns_scaled_by_1e_plus_minus_300_give_the_unscaled_answer`).
#[test]
fn a_column_at_1e_minus_300_under_a_squared_penalty_is_a_typed_error() {
    let (x, y) = data::<f64>(30, 4, 28);
    let xs = ColMajor::from_fn(30, 4, |i, j| {
        x.col(j)[i] * if j == 1 { 1e-300 } else { 1.0 }
    });
    let err = ElasticNet::params()
        .alpha(0.05)
        .l1_ratio(0.5)
        .fit(&xs, &y)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Numerical {
                what: "rescaling",
                ..
            }
        ),
        "{err:?}"
    );
    let err = Ridge::params().alpha(0.05).fit(&xs, &y).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Numerical {
                what: "rescaling",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(ElasticNet::params()
        .alpha(0.05)
        .l1_ratio(0.5)
        .standardize(true)
        .fit(&xs, &y)
        .is_ok());
}

/// `y` whose raw squares fit but whose centered squares underflow (mean `1e-160`, spread
/// `1e-168`): rescaled after centering, and equal to the fit of `y·2^560` (an exact scaling)
/// with alpha scaled alike.
#[test]
fn y_whose_centered_squares_underflow_gives_the_scaled_answer() {
    let (x, y) = data::<f64>(30, 4, 26);
    let ys: Vec<f64> = y.iter().map(|&v| 1e-160 * (1.0 + 1e-8 * v)).collect();
    let k = 2.0_f64.powi(560);
    let yk: Vec<f64> = ys.iter().map(|&v| v * k).collect();
    let alpha = 0.05e-168;
    let params = |a: f64| Lasso::params().alpha(a).tol(1e-12);
    let f = params(alpha).fit(&x, &ys).unwrap();
    assert!(f.report().rescaled);
    assert_eq!(f.status(), Status::Converged);
    let base = params(alpha * k).fit(&x, &yk).unwrap();
    assert!(!base.report().rescaled);
    assert!(base.coef().iter().any(|&v| v != 0.0));
    let scaled: Vec<f64> = f.coef().iter().map(|&v| v * k).collect();
    let d = rel_diff(&scaled, base.coef(), 0.0);
    assert!(d <= 1e-10, "coef {d:e}");
    let d = (f.intercept() * k - base.intercept()).abs() / base.intercept().abs();
    assert!(d <= 1e-12, "intercept {d:e}");
}

/// A column far above the range (`1e300` in f64, `1e30` in f32) without standardization: its
/// coefficient is near `1/scale`, so the penalty on it (`α·l1·|w|`, `α·l2·w²/2`) is far below
/// the rounding of the objective — the exact answer is the fit of the unscaled design with that
/// column unpenalized (penalty factor 0), divided by the scale. Elastic Net, Ridge (its direct
/// solver: the rescaled ridge has a penalty per coefficient) and the Lasso with a finite box
/// (the rescaled box differs per coefficient) each give it.
fn large_column_unstandardized<T: Scalar>() {
    let big = if is_f64::<T>() { 1e300 } else { 1e30 };
    let cmp = if is_f64::<T>() { 1e-10 } else { 2e-2 };
    let (x, y) = data::<T>(30, 4, 27);
    let scales = [1.0, big, 1.0, 1.0];
    let xs = ColMajor::from_fn(30, 4, |i, j| x.col(j)[i] * T::lit(scales[j]));
    let cfg = base_cfg(T::lit(0.05));
    let factors: Vec<T> = [1.0, 0.0, 1.0, 1.0].iter().map(|&v| T::lit(v)).collect();
    let unscale =
        |c: &[T]| -> Vec<T> { c.iter().zip(scales).map(|(&v, s)| v * T::lit(s)).collect() };
    macro_rules! check {
        ($name:expr, $params:expr) => {
            check!($name, $params, Status::Converged)
        };
        ($name:expr, $params:expr, $status:expr) => {{
            let p = $params.tol(cfg.tol).max_iter(cfg.max_iter);
            let base = p
                .clone()
                .penalty_factors(factors.clone())
                .fit(&x, &y)
                .unwrap();
            let f = p
                .fit(&xs, &y)
                .unwrap_or_else(|e| panic!("{}, a column at {big:e}: {e:?}", $name));
            assert_eq!(f.status(), $status, "{}: {:?}", $name, f.report());
            let kkt = f.report().kkt_violation;
            // The rescaled problem's gradient is in y's units here (y is not rescaled).
            assert!(kkt.as_f64() <= 1e-5, "{}: KKT {:e}", $name, kkt.as_f64());
            assert!(f.report().rescaled, "{}", $name);
            let d = rel_diff(&unscale(f.coef()), base.coef(), 0.0);
            assert!(d <= cmp, "{}, a column at {big:e}: coef {d:e}", $name);
            let d = rel_diff(f.intercepts(), base.intercepts(), 1.0);
            assert!(d <= cmp, "{} intercept: {d:e}", $name);
            base
        }};
    }
    check!(
        "ElasticNet",
        ElasticNet::params().alpha(cfg.alpha).l1_ratio(T::lit(0.5))
    );
    check!("Ridge", Ridge::params().alpha(cfg.alpha));
    check!(
        "Ridge (coordinate descent)",
        Ridge::params()
            .alpha(cfg.alpha)
            .solver(SolverChoice::CoordinateDescent)
    );
    check!(
        "positive Lasso",
        Lasso::params().alpha(cfg.alpha).positive(true)
    );
    // A finite box that binds on an unscaled coefficient; on the scaled column it is the box
    // `[lo·big, hi·big]` of the unscaled coefficient, which does not bind there. The
    // coefficients are right and KKT-certified; the duality gap is not informative (the
    // unpenalized coordinate's conjugate is its box's reach, `lim·big`, times its gradient's
    // rounding), so the fit reports the rounding floor.
    let unboxed = Lasso::params()
        .alpha(cfg.alpha)
        .tol(cfg.tol)
        .penalty_factors(factors.clone())
        .fit(&x, &y)
        .unwrap();
    let top = unboxed
        .coef()
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != 1)
        .map(|(_, &v)| v.abs())
        .fold(T::zero(), T::max);
    let lim = top * T::lit(0.5);
    let base = check!(
        "Lasso with a box",
        Lasso::params().alpha(cfg.alpha).bounds(-lim, lim),
        Status::RoundingFloor
    );
    assert!(
        base.coef().iter().any(|&v| v.abs() == lim),
        "the box binds somewhere"
    );
    assert!(
        base.coef()[1].abs() < lim,
        "the unscaled reference keeps the scaled column inside its box"
    );
}
per_scalar!(
    a_column_at_1e300_without_standardization_gives_the_unscaled_answer,
    large_column_unstandardized
);

/// A coefficient whose true value is below `f32`'s range (`y ≈ 4.7e-10` against a column at
/// `8.6e35`: `w ≈ 5e-46`) is a typed error, not a zero certified as converged. Found by the
/// `fit_estimators` fuzz target: the rescaled fit was certified and its coefficient then
/// underflowed to 0 when scaled back.
#[test]
fn a_coefficient_below_the_f32_range_is_a_typed_error() {
    let mut d = vec![0.0_f32; 8 * 4];
    d[3] = -2.625;
    d[5] = 5.5;
    d[6] = -10.75;
    d[11] = -8.6e35;
    d[26] = -8.6e35;
    d[30] = -0.125;
    let x = proxreg::linalg::ColMajor::new(d, 8, 4).unwrap();
    let mut y = vec![0.0_f32; 8];
    y[2] = 4.656_613e-10;
    // Without intercept (with one, the answer moves to a normal coefficient of column 0).
    {
        let r = Lasso::params()
            .alpha(0.0)
            .fit_intercept(false)
            .tol(1e-4)
            .fit(&x, &y);
        match r {
            Err(proxreg::Error::Numerical { what, .. }) => assert_eq!(what, "coefficient"),
            Ok(m) => panic!(
                "expected a typed error, got {:?} with status {:?}",
                m.coef(),
                m.status()
            ),
            Err(e) => panic!("unexpected error {e}"),
        }
    }
}
