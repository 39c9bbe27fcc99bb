//! Hostile inputs get a typed error naming what is wrong, for every estimator.

use proxreg::prelude::*;

use super::common::{data, fit_one, takes_weights, Cfg, NAMES};
use crate::per_scalar;

fn each_estimator<T: Scalar>(
    x: &ColMajor<T>,
    y: &[T],
    w: Option<&[T]>,
    c: &Cfg<T>,
    expect: impl Fn(&Error) -> bool,
) {
    for i in 0..NAMES.len() {
        if w.is_some() && !takes_weights(i) {
            continue;
        }
        match fit_one(i, x, y, w, c) {
            Err(e) => assert!(expect(&e), "{}: unexpected error {e:?}", NAMES[i]),
            Ok(f) => panic!("{}: expected an error, got {f:?}", NAMES[i]),
        }
    }
}

fn with_x_entry<T: Scalar>(x: &ColMajor<T>, at: usize, v: T) -> ColMajor<T> {
    let mut d = x.as_slice().to_vec();
    d[at] = v;
    ColMajor::new(d, x.nrows(), x.ncols()).unwrap()
}

/// NaN, +inf or -inf anywhere in X: `Error::NonFinite { what: "X", index }` with the flat
/// (column-major) index of the first bad entry.
fn nonfinite_x_is_a_nonfinite_error<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 1);
    for bad in [T::nan(), T::infinity(), T::neg_infinity()] {
        let xb = with_x_entry(&x, 29, bad);
        each_estimator(&xb, &y, None, &Cfg::new(T::lit(0.1)), |e| {
            *e == Error::NonFinite {
                what: "X",
                index: 29,
            }
        });
    }
}
per_scalar!(
    nonfinite_x_is_a_nonfinite_error_for_every_estimator,
    nonfinite_x_is_a_nonfinite_error
);

/// NaN or ±inf in y: `Error::NonFinite { what: "y", index }`.
fn nonfinite_y_is_a_nonfinite_error<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 2);
    for bad in [T::nan(), T::infinity(), T::neg_infinity()] {
        let mut yb = y.clone();
        yb[7] = bad;
        each_estimator(&x, &yb, None, &Cfg::new(T::lit(0.1)), |e| {
            matches!(
                e,
                Error::NonFinite {
                    what: "y",
                    index: 7
                }
            )
        });
    }
}
per_scalar!(
    nonfinite_y_is_a_nonfinite_error_for_every_estimator,
    nonfinite_y_is_a_nonfinite_error
);

/// NaN, ±inf or negative sample weights, all-zero weights, or the wrong number of them:
/// `InvalidParameter { name: "sample_weight" }` / `DimensionMismatch`.
fn bad_weights_are_typed_errors<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 3);
    let c = Cfg::new(T::lit(0.1));
    for bad in [T::nan(), T::infinity(), T::neg_infinity(), T::lit(-1.0)] {
        let mut w = vec![T::one(); 24];
        w[3] = bad;
        each_estimator(&x, &y, Some(&w), &c, |e| {
            matches!(
                e,
                Error::InvalidParameter {
                    name: "sample_weight",
                    ..
                }
            )
        });
    }
    each_estimator(&x, &y, Some(&[T::zero(); 24]), &c, |e| {
        matches!(
            e,
            Error::InvalidParameter {
                name: "sample_weight",
                ..
            }
        )
    });
    each_estimator(&x, &y, Some(&[T::one(); 23]), &c, |e| {
        matches!(e, Error::DimensionMismatch { .. })
    });
}
per_scalar!(
    bad_weights_are_typed_errors_for_every_weighted_estimator,
    bad_weights_are_typed_errors
);

/// No rows (`n = 0`): `Error::Empty`, also for the cross-validated estimators (never a panic
/// in the fold split or a division by zero).
fn no_rows_is_an_empty_error<T: Scalar>() {
    let x = ColMajor::<T>::zeros(0, 3);
    each_estimator(&x, &[], None, &Cfg::new(T::lit(0.1)), |e| {
        matches!(
            e,
            Error::Empty { .. }
                | Error::InvalidParameter {
                    name: "n_splits",
                    ..
                }
        )
    });
}
per_scalar!(
    n_zero_is_an_empty_error_for_every_estimator,
    no_rows_is_an_empty_error
);

/// No columns (`p = 0`): `Error::Empty`.
fn no_columns_is_an_empty_error<T: Scalar>() {
    let x = ColMajor::<T>::zeros(10, 0);
    let y: Vec<T> = (0..10).map(T::from_count).collect();
    each_estimator(&x, &y, None, &Cfg::new(T::lit(0.1)), |e| {
        matches!(e, Error::Empty { .. })
    });
}
per_scalar!(
    p_zero_is_an_empty_error_for_every_estimator,
    no_columns_is_an_empty_error
);

/// `y` one entry too short or too long (for the multi-task models: not a multiple of `n`):
/// `Error::DimensionMismatch`.
fn y_length_mismatch_is_a_dimension_error<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 4);
    let longer: Vec<T> = y.iter().copied().chain([T::one()]).collect();
    for yb in [&y[..23], &longer[..]] {
        each_estimator(&x, yb, None, &Cfg::new(T::lit(0.1)), |e| {
            matches!(e, Error::DimensionMismatch { .. })
        });
    }
}
per_scalar!(
    shape_mismatch_is_a_dimension_error_for_every_estimator,
    y_length_mismatch_is_a_dimension_error
);

/// Negative, NaN and infinite alpha: `InvalidParameter { name: "alpha" }` (the cross-validated
/// estimators take a grid: `alphas` with the same values is `InvalidParameter { "alphas" }`).
fn bad_alpha_is_an_invalid_parameter<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 5);
    for a in [
        T::lit(-1.0),
        T::lit(-1e-30),
        T::nan(),
        T::infinity(),
        T::neg_infinity(),
    ] {
        for i in 0..7 {
            let e = fit_one(i, &x, &y, None, &Cfg::new(a)).unwrap_err();
            assert!(
                matches!(e, Error::InvalidParameter { name: "alpha", .. }),
                "{}: {e:?}",
                NAMES[i]
            );
        }
        let e = proxreg::LassoCv::params()
            .alphas(vec![T::one(), a])
            .fit(&x, &y)
            .unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { name: "alphas", .. }),
            "{e:?}"
        );
        let e = proxreg::ElasticNetCv::params()
            .alphas(vec![a])
            .fit(&x, &y)
            .unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { name: "alphas", .. }),
            "{e:?}"
        );
    }
}
per_scalar!(
    negative_nan_inf_alpha_is_an_invalid_parameter,
    bad_alpha_is_an_invalid_parameter
);

/// `l1_ratio` outside `[0, 1]` or NaN: `InvalidParameter { name: "l1_ratio" }` for every
/// estimator that has one.
fn bad_l1_ratio_is_an_invalid_parameter<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 6);
    for r in [T::lit(-0.1), T::lit(1.0 + 1e-3), T::nan(), T::infinity()] {
        let mut c = Cfg::new(T::lit(0.1));
        c.l1_ratio = r;
        for i in [1, 4, 6, 8] {
            let e = fit_one(i, &x, &y, None, &c).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::InvalidParameter {
                        name: "l1_ratio",
                        ..
                    }
                ),
                "{}: {e:?}",
                NAMES[i]
            );
        }
    }
}
per_scalar!(
    l1_ratio_outside_unit_interval_is_an_invalid_parameter,
    bad_l1_ratio_is_an_invalid_parameter
);

/// `l1_ratio = 0` (ridge) has no finite `alpha_max`: the automatic grid is a typed
/// `Error::Unsupported`, never a grid of NaN or inf; with a given grid it fits.
fn l1_ratio_zero_with_auto_grid_is_unsupported<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 7);
    let e = proxreg::ElasticNetCv::params()
        .l1_ratios(vec![T::zero()])
        .fit(&x, &y)
        .unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e:?}");
    let e = proxreg::ElasticNetCv::params()
        .l1_ratios(vec![T::one(), T::zero()])
        .fit(&x, &y)
        .unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e:?}");
    let cv = proxreg::ElasticNetCv::params()
        .l1_ratios(vec![T::zero()])
        .alphas(vec![T::lit(1.0), T::lit(0.1)])
        .fit(&x, &y)
        .unwrap();
    assert!(cv.alpha().is_finite() && cv.mse_mean().iter().all(|v| v.is_finite()));
}
per_scalar!(
    l1_ratio_zero_with_automatic_grid_is_a_typed_error_not_a_nan_grid,
    l1_ratio_zero_with_auto_grid_is_unsupported
);

/// Bad tolerances, iteration counts, grids and folds for the cross-validated estimators:
/// `InvalidParameter` naming them.
fn bad_cv_settings_are_invalid_parameters<T: Scalar>() {
    let (x, y) = data::<T>(24, 4, 8);
    let name = |e: Error| match e {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("{other:?}"),
    };
    let p = || proxreg::LassoCv::<T>::params();
    assert_eq!(name(p().n_alphas(0).fit(&x, &y).unwrap_err()), "n_alphas");
    for eps in [T::zero(), T::one(), T::nan(), T::lit(-0.5)] {
        assert_eq!(name(p().eps(eps).fit(&x, &y).unwrap_err()), "eps");
    }
    for tol in [T::zero(), T::nan(), T::infinity()] {
        assert_eq!(name(p().tol(tol).fit(&x, &y).unwrap_err()), "tol");
    }
    assert_eq!(name(p().max_iter(0).fit(&x, &y).unwrap_err()), "max_iter");
    for k in [0, 1, 25] {
        assert_eq!(
            name(p().cv(proxreg::KFold::new(k)).fit(&x, &y).unwrap_err()),
            "n_splits"
        );
    }
    assert!(matches!(
        p().fold_ids(vec![0; 23]).fit(&x, &y),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        p().fold_ids(vec![usize::MAX; 24]).fit(&x, &y),
        Err(Error::Empty { .. })
    ));
}
per_scalar!(
    bad_cv_settings_are_invalid_parameters,
    bad_cv_settings_are_invalid_parameters
);
