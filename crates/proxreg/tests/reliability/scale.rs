//! Units: data at extreme scales gets the right answer (the unscaled fit, rescaled) or a typed
//! error — never zeros reported as converged (scikit-learn's `tol * ‖y‖²` stopping rule
//! returns zeros as converged when `‖y‖²` underflows).

use proxreg::prelude::*;

use super::common::{data, fit_one, rel_diff, Cfg, Fit, NAMES};
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
/// with the same alpha; when `‖y‖²` does not fit the floating-point range the answer is a
/// typed `Error::Numerical`; in no case are zeros reported as a converged answer.
fn y_alone_scaled<T: Scalar>(c: f64) {
    let (x, y) = data::<T>(30, 4, 22);
    let cs = T::lit(c);
    assert!(cs.is_finite() && cs != T::zero());
    let ys: Vec<T> = y.iter().map(|&v| v * cs).collect();
    let alpha = T::lit(0.05);
    for i in 0..NAMES.len() {
        let base = fit_one(i, &x, &y, None, &base_cfg(alpha)).unwrap();
        let a = match NAMES[i] {
            "Ridge" => alpha,
            _ => T::lit(0.05 * c),
        };
        match fit_one(i, &x, &ys, None, &base_cfg(a)) {
            Err(e) => assert!(
                matches!(e, Error::Numerical { what: "y", .. }),
                "{} with y·{c:e}: {e:?}",
                NAMES[i]
            ),
            Ok(f) => {
                let f: Fit<T> = f;
                f.assert_sane(NAMES[i]);
                assert!(
                    f.coef.iter().any(|&v| v != T::zero()),
                    "{} with y·{c:e}: zeros reported as converged",
                    NAMES[i]
                );
                // Elastic Net is not homogeneous in y: only the Lasso and Ridge types compare.
                if !NAMES[i].contains("Elastic") {
                    let b: Vec<T> = base.coef.iter().map(|&v| v * cs).collect();
                    let d = rel_diff(&f.coef, &b, 0.0);
                    assert!(d <= tol_cmp::<T>(), "{} with y·{c:e}: {d:e}", NAMES[i]);
                }
            }
        }
    }
}

fn y_scaled_up<T: Scalar>() {
    y_alone_scaled::<T>(if is_f64::<T>() { 1e155 } else { 1e20 });
}
per_scalar!(
    y_scaled_by_1e155_is_rescaled_answer_or_typed_error,
    y_scaled_up
);

fn y_scaled_down<T: Scalar>() {
    y_alone_scaled::<T>(if is_f64::<T>() { 1e-200 } else { 1e-25 });
}
per_scalar!(
    y_scaled_by_1e_minus_200_is_rescaled_answer_or_typed_error,
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
