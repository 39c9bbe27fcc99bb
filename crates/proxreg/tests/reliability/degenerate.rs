//! Degenerate but valid data: a certified answer (or, where no answer exists, a typed error).

use proxreg::prelude::*;

use super::common::{data, fit_all, fit_one, rel_diff, rng, Cfg, NAMES};
use crate::per_scalar;

/// One sample: the single-fit estimators return a converged model (with an intercept the
/// centered data are zero, so every coefficient is 0 and the intercept is `y`); the
/// cross-validated ones cannot make two folds: `InvalidParameter { name: "n_splits" }`.
fn one_sample<T: Scalar>() {
    let x = ColMajor::from_fn(1, 3, |_, j| T::from_count(j + 1));
    let y = [T::lit(2.5)];
    for (name, r) in fit_all(&x, &y, &Cfg::new(T::lit(0.1))) {
        match name {
            "LassoCv" | "ElasticNetCv" => assert!(
                matches!(
                    r,
                    Err(Error::InvalidParameter {
                        name: "n_splits",
                        ..
                    })
                ),
                "{name}: {r:?}"
            ),
            _ => {
                let f = r.unwrap_or_else(|e| panic!("{name}: {e:?}"));
                f.assert_sane(name);
                assert!(f.coef.iter().all(|&v| v == T::zero()), "{name}: {f:?}");
                assert!(f.intercept.iter().all(|&b| b == y[0]), "{name}: {f:?}");
            }
        }
    }
}
per_scalar!(
    n_one_gives_zero_coefficients_and_the_mean_or_a_fold_error,
    one_sample
);

/// Constant `y` (and all-zero `y`): every estimator, the cross-validated ones with their
/// automatic grid included, converges to zero coefficients and intercept `mean(y)`; the grid
/// is finite (`alpha_max = 0` must not make a NaN grid).
fn constant_or_zero_y<T: Scalar>() {
    let (x, _) = data::<T>(30, 4, 11);
    for c0 in [T::lit(3.25), T::zero()] {
        let y = vec![c0; 30];
        for (name, r) in fit_all(&x, &y, &Cfg::new(T::lit(0.1))) {
            let f = r.unwrap_or_else(|e| panic!("{name}: {e:?}"));
            f.assert_sane(name);
            assert!(f.alpha.is_finite(), "{name}");
            let tol = T::lit(1e-5) * (c0.abs() + T::one());
            assert!(f.coef.iter().all(|v| v.abs() <= tol), "{name}: {f:?}");
            assert!(
                f.intercept.iter().all(|&b| (b - c0).abs() <= tol),
                "{name}: {f:?}"
            );
        }
    }
}
per_scalar!(
    constant_or_zero_y_gives_zero_coefficients_and_a_finite_grid,
    constant_or_zero_y
);

/// A constant column and an all-zero column: their coefficients are exactly 0, the other
/// columns get the fit they get without them, with and without standardization.
fn constant_and_zero_columns<T: Scalar>() {
    let (x, y) = data::<T>(30, 3, 12);
    let xa = ColMajor::from_fn(30, 5, |i, j| match j {
        0..=2 => x.col(j)[i],
        3 => T::lit(7.0),
        _ => T::zero(),
    });
    let c = Cfg::new(T::lit(0.05));
    for i in 0..NAMES.len() {
        let base = fit_one(i, &x, &y, None, &c).unwrap();
        let f = fit_one(i, &xa, &y, None, &c).unwrap_or_else(|e| panic!("{}: {e:?}", NAMES[i]));
        f.assert_sane(NAMES[i]);
        let k = f.coef.len() / 5;
        assert!(
            f.coef[3 * k..].iter().all(|&v| v == T::zero()),
            "{}: {f:?}",
            NAMES[i]
        );
        let d = rel_diff(&f.coef[..3 * k], &base.coef, 1.0);
        let tol = if T::epsilon() < T::lit(1e-10) {
            1e-6
        } else {
            2e-2
        };
        assert!(d <= tol, "{}: {d:e}", NAMES[i]);
    }
    for std in [false, true] {
        let m = Lasso::params()
            .alpha(T::lit(0.05))
            .standardize(std)
            .fit(&xa, &y)
            .unwrap();
        assert_eq!(m.status(), Status::Converged);
        assert!(
            m.coef()[3] == T::zero() && m.coef()[4] == T::zero(),
            "{:?}",
            m.coef()
        );
    }
}
per_scalar!(
    constant_and_zero_columns_get_exact_zero_coefficients,
    constant_and_zero_columns
);

/// A duplicated column: every estimator converges; the duplicated pair together carries what
/// the single column carries in the Ridge and Elastic Net fits (the pair splits it equally).
fn duplicated_columns<T: Scalar>() {
    let (x, y) = data::<T>(30, 3, 13);
    let xd = ColMajor::from_fn(30, 4, |i, j| x.col(j.min(2))[i]);
    let c = Cfg::new(T::lit(0.05));
    for (name, r) in fit_all(&xd, &y, &c) {
        r.unwrap_or_else(|e| panic!("{name}: {e:?}"))
            .assert_sane(name);
    }
    // Ridge: w(X with x₃ twice, α) has w₃ = w₄ = ½ w₃(X, α/2)... checked through the pair sum of
    // the ElasticNet with l1_ratio = 0 (a strictly convex objective: the split is unique).
    let en = |x: &ColMajor<T>| {
        ElasticNet::params()
            .alpha(T::lit(0.05))
            .l1_ratio(T::zero())
            .tol(c.tol)
            .fit(x, &y)
            .unwrap()
    };
    let (one, two) = (en(&x), en(&xd));
    let rel = ((two.coef()[2] - two.coef()[3]).abs() / two.coef()[2].abs()).as_f64();
    assert!(rel < 1e-3, "unequal split {:?}", two.coef());
    assert!(two.coef()[0].is_finite() && one.coef()[0].is_finite());
}
per_scalar!(
    duplicated_columns_converge_and_split_equally,
    duplicated_columns
);

/// p ≫ n (p = 300, n = 12): every estimator converges with a certificate and finite outputs.
fn p_much_larger_than_n<T: Scalar>() {
    let (x, y) = data::<T>(12, 300, 14);
    let mut c = Cfg::new(T::lit(0.1));
    c.tol = T::lit(1e-6);
    for (name, r) in fit_all(&x, &y, &c) {
        let f = r.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        f.assert_sane(name);
        if let Some(g) = f.relative_gap {
            assert!(g <= c.tol, "{name}: gap {g:?}");
        }
    }
}
per_scalar!(
    p_much_larger_than_n_converges_with_certificates,
    p_much_larger_than_n
);

/// Condition number 1e12 (two columns equal up to 1e-6 relative noise, f64): every
/// estimator converges with a relative gap within `tol`; the Lasso's answer predicts like the
/// well-conditioned answer it is close to.
#[test]
fn condition_number_1e12_converges_with_certificates() {
    let (x, y) = data::<f64>(40, 3, 15);
    let mut u = rng(16);
    let xc = ColMajor::from_fn(40, 4, |i, j| {
        if j < 3 {
            x.col(j)[i]
        } else {
            x.col(0)[i] * (1.0 + 1e-6 * u())
        }
    });
    let mut c = Cfg::new(0.01);
    c.tol = 1e-9; // FISTA's rate on κ = 1e12 makes 1e-12 a matter of 1e5+ steps
    let fits = fit_all(&xc, &y, &c);
    for (name, r) in fits {
        let f = r.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        f.assert_sane(name);
        if let Some(g) = f.relative_gap {
            assert!(g <= c.tol, "{name}: gap {g:e}");
        }
    }
    let r = Ridge::params()
        .alpha(1e-12)
        .condition_number(true)
        .fit(&xc, &y)
        .unwrap();
    assert!(
        r.condition_number().unwrap() > 1e8,
        "{:?}",
        r.condition_number()
    );
}

/// `alpha = 0`: least squares. Lasso, Elastic Net, Ridge and the generic estimators agree with
/// each other (full-rank X, so the answer is unique) and converge.
fn alpha_zero<T: Scalar>() {
    let (x, y) = data::<T>(30, 4, 17);
    let mut c = Cfg::new(T::zero());
    if T::epsilon() > T::lit(1e-10) {
        c.tol = T::lit(1e-7);
    }
    let ridge = fit_one(2, &x, &y, None, &c).unwrap();
    for i in 0..7 {
        let f = fit_one(i, &x, &y, None, &c).unwrap_or_else(|e| panic!("{}: {e:?}", NAMES[i]));
        f.assert_sane(NAMES[i]);
        let tol = if T::epsilon() < T::lit(1e-10) {
            1e-6
        } else {
            1e-2
        };
        let d = rel_diff(&f.coef[..4], &ridge.coef, 1.0);
        assert!(
            d <= tol,
            "{}: {d:e} {:?} vs {:?}",
            NAMES[i],
            f.coef,
            ridge.coef
        );
    }
}
per_scalar!(alpha_zero_is_least_squares_for_every_estimator, alpha_zero);

/// A huge alpha (`1e30`, or `1e300` in f64): all coefficients exactly 0, intercept `mean(y)`,
/// converged (Ridge's coefficients are ~1/alpha: tiny, finite).
fn huge_alpha<T: Scalar>() {
    let (x, y) = data::<T>(30, 4, 18);
    let mean = y.iter().copied().sum::<T>() / T::from_count(30);
    let big = if T::epsilon() < T::lit(1e-10) {
        T::lit(1e300)
    } else {
        T::lit(1e30)
    };
    for i in 0..7 {
        let f = fit_one(i, &x, &y, None, &Cfg::new(big))
            .unwrap_or_else(|e| panic!("{}: {e:?}", NAMES[i]));
        f.assert_sane(NAMES[i]);
        if NAMES[i] == "Ridge" {
            assert!(f.coef.iter().all(|v| v.abs() < T::lit(1e-20)), "{f:?}");
        } else {
            assert!(
                f.coef.iter().all(|&v| v == T::zero()),
                "{}: {f:?}",
                NAMES[i]
            );
        }
        let tol = T::lit(1e-5) * mean.abs();
        assert!(
            f.intercept.iter().all(|&b| (b - mean).abs() <= tol),
            "{}: {f:?}",
            NAMES[i]
        );
    }
}
per_scalar!(huge_alpha_gives_zero_coefficients_and_the_mean, huge_alpha);
