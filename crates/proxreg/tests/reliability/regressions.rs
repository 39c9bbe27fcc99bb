//! Regression tests for what fuzzing found (see `fuzz/` and `docs/reliability.md`).

use proxreg::penalty::{ElasticNet as EnPenalty, L21ElasticNet, Penalty, Weighted};
use proxreg::prelude::*;
use proxreg::{Folds, KFold, MultiTaskElasticNet};

/// `penalty_prox`: a finite step times a large penalty factor overflows to `∞`; with
/// `l1_ratio = 1` the elastic-net prox computed `∞ · 0 = NaN`. The prox of an infinite step is
/// 0, and the value of a huge `w` with a zero ratio is finite.
#[test]
fn elastic_net_prox_with_overflowing_step_is_zero_not_nan() {
    for ratio in [0.0, 1.0, 0.5] {
        let p = Weighted::new(EnPenalty::new(ratio).unwrap(), vec![1e300, 1.0]).unwrap();
        let mut w = [5.25_f64, 13.0];
        p.prox_in_place(&mut w, 3.7e279);
        assert!(w.iter().all(|v| v.is_finite()), "{ratio}: {w:?}");
        assert_eq!(w[0], 0.0);
        let m = L21ElasticNet::new(ratio, 1, 2).unwrap();
        let mut v = [1.0_f64, 2.0];
        m.prox_in_place(&mut v, f64::INFINITY);
        assert_eq!(v, [0.0, 0.0], "{ratio}");
    }
    let lasso = EnPenalty::new(1.0).unwrap();
    assert_eq!(lasso.value(&[1e200]), 1e200);
}

/// `folds`: a fold id such as `usize::MAX` was an allocation request of `usize::MAX` folds;
/// a huge `n_samples` with small test sets allocated `n_samples` entries. Both are typed
/// errors now, checked before allocating.
#[test]
fn bogus_fold_ids_and_sizes_are_errors_not_allocations() {
    assert!(matches!(
        Folds::from_fold_ids(&[0, 1, usize::MAX]),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Folds::from_fold_ids(&[0, 5]),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Folds::from_test_sets(usize::MAX, vec![vec![0], vec![1]]),
        Err(Error::InvalidParameter {
            name: "test_folds",
            ..
        })
    ));
    assert!(matches!(
        Folds::from_test_sets(3, vec![vec![0, 1], vec![1, 2]]),
        Err(Error::InvalidParameter {
            name: "test_folds",
            ..
        })
    ));
    assert!(KFold::new(usize::MAX).split(10).is_err());
    let f = Folds::from_test_sets(4, vec![vec![3, 0], vec![1, 2]]).unwrap();
    assert_eq!(f.test(0), &[0, 3]);
}

/// `fit_estimators`: least squares with `y = -6.9e255` and `x = 6.9e-137` (n = 1, standardized,
/// alpha = 0) has the coefficient `1e392`, beyond f64: the fit is `Error::Numerical`, not a
/// model holding `inf`.
#[test]
fn a_coefficient_beyond_the_range_is_a_numerical_error() {
    let x = ColMajor::new(vec![-6.9e-137, -8.625, -8.625, -8.625, 1.375], 1, 5).unwrap();
    let y = [-6.9e255];
    let r = MultiTaskElasticNet::params()
        .alpha(0.0)
        .fit_intercept(false)
        .standardize(true)
        .max_iter(11)
        .fit(&x, &y);
    assert!(matches!(r, Err(Error::Numerical { .. })), "{r:?}");
}
