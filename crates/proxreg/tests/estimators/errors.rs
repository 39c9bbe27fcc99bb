//! Every invalid input gets its typed error, and nothing the user passed is modified.

use proxreg::prelude::*;

use super::data;

fn is_param(e: Result<impl std::fmt::Debug>, name: &str) -> bool {
    matches!(e, Err(Error::InvalidParameter { name: n, .. }) if n == name)
}

#[test]
fn invalid_parameters() {
    let (x, y) = data(20, 3, 1);
    for a in [-1.0, f64::NAN, f64::INFINITY] {
        assert!(is_param(Lasso::params().alpha(a).fit(&x, &y), "alpha"));
        assert!(is_param(Ridge::params().alpha(a).fit(&x, &y), "alpha"));
    }
    for r in [-0.1, 1.1, f64::NAN] {
        assert!(is_param(
            ElasticNet::params().l1_ratio(r).fit(&x, &y),
            "l1_ratio"
        ));
        assert!(is_param(
            MultiTaskElasticNet::params().l1_ratio(r).fit(&x, &y),
            "l1_ratio"
        ));
    }
    for t in [0.0, -1e-3, f64::NAN] {
        assert!(is_param(Lasso::params().tol(t).fit(&x, &y), "tol"));
    }
    assert!(is_param(
        Lasso::params().max_iter(0).fit(&x, &y),
        "max_iter"
    ));
    assert!(is_param(
        Lasso::params()
            .penalty_factors(vec![1.0, -1.0, 1.0])
            .fit(&x, &y),
        "penalty_factors"
    ));
    assert!(is_param(
        Lasso::params().bounds(1.0, -1.0).fit(&x, &y),
        "bounds"
    ));
    assert!(matches!(
        Lasso::params().penalty_factors(vec![1.0]).fit(&x, &y),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        MultiTaskLasso::params().positive(true).fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
    assert!(matches!(
        Lasso::params().solver(SolverChoice::Cholesky).fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
}

#[test]
fn invalid_weights() {
    let (x, y) = data(20, 3, 2);
    let p = Lasso::params().alpha(0.1);
    assert!(matches!(
        p.fit_weighted(&x, &y, &[1.0; 19]),
        Err(Error::DimensionMismatch { .. })
    ));
    let mut neg = vec![1.0; 20];
    neg[2] = -1.0;
    assert!(is_param(p.fit_weighted(&x, &y, &neg), "sample_weight"));
    let mut nan = vec![1.0; 20];
    nan[0] = f64::NAN;
    assert!(is_param(p.fit_weighted(&x, &y, &nan), "sample_weight"));
    assert!(is_param(
        p.fit_weighted(&x, &y, &[0.0; 20]),
        "sample_weight"
    ));
    assert!(is_param(
        Ridge::params().fit_weighted(&x, &y, &[0.0; 20]),
        "sample_weight"
    ));
}

#[test]
fn invalid_data_and_inputs_untouched() {
    let (x, y) = data(20, 3, 3);
    let (x0, y0) = (x.clone(), y.clone());
    let mut yn = y.clone();
    yn[5] = f64::NAN;
    assert_eq!(
        Lasso::params().fit(&x, &yn).unwrap_err(),
        Error::NonFinite {
            what: "y",
            index: 5
        }
    );
    let mut xd = x.clone().into_vec();
    xd[7] = f64::INFINITY;
    let xi = ColMajor::new(xd, 20, 3).unwrap();
    assert_eq!(
        ElasticNet::params().fit(&xi, &y).unwrap_err(),
        Error::NonFinite {
            what: "X",
            index: 7
        }
    );
    assert!(matches!(
        Ridge::params().fit(&xi, &y),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        Lasso::params().fit(&x, &y[..19]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        Ridge::params().fit(&x, &y[..19]),
        Err(Error::DimensionMismatch { .. })
    ));
    let empty = ColMajor::<f64>::zeros(0, 3);
    assert!(matches!(
        Lasso::params().fit(&empty, &[]),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Ridge::params().fit(&empty, &[]),
        Err(Error::Empty { .. })
    ));
    let no_cols = ColMajor::<f64>::zeros(20, 0);
    assert!(matches!(
        Lasso::params().fit(&no_cols, &y),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        MultiTaskLasso::params().fit(&x, &y[..13]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert_eq!(x, x0);
    assert_eq!(y, y0);
}

#[test]
fn params_models_and_errors_are_send_sync() {
    fn ok<T: Send + Sync + Unpin>() {}
    ok::<proxreg::LassoParams<f64>>();
    ok::<proxreg::ElasticNetValidParams<f32>>();
    ok::<Lasso<f64>>();
    ok::<Ridge<f32>>();
    ok::<MultiTaskElasticNet<f64>>();
    ok::<Error>();
}
