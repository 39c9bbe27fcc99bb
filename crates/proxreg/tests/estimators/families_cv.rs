//! Cross-validated Poisson and Huber regression: fold errors recomputed independently (the
//! offsets and weights must follow their rows), serial = parallel bitwise, the selection
//! rules, the refit, and typed errors.

use proxreg::prelude::*;
use proxreg::{HuberRegressionCv, PoissonRegressionCv, RegressionMeasure};
use proxreg_fixtures::glm_family::load_glm_family;

fn poisson_data() -> (ColMajor<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let fx = load_glm_family("poisson_glum").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let case = fx.case("enet0.5_offset_weighted_rel0.1").unwrap();
    (
        x,
        fx.problem.y.clone(),
        case.offset.clone().unwrap(),
        case.sample_weight.clone().unwrap(),
    )
}

#[test]
fn poisson_fold_errors_are_the_held_out_deviances_of_the_fold_paths() {
    let (x, y, o, w) = poisson_data();
    let n = y.len();
    let ids: Vec<usize> = (0..n).map(|i| (i * 7) % 4).collect();
    let params = PoissonRegressionCv::params()
        .n_alphas(8)
        .eps(1e-2)
        .fold_ids(ids.clone())
        .tol(1e-10);
    let cv = params.fit_offset(&x, &y, Some(&w), Some(&o)).unwrap();
    assert_eq!(cv.alphas().len(), 8);
    assert_eq!(cv.cv_errors()[0].len(), 4);
    assert!(cv.max_relative_gap().unwrap() <= 1e-10);
    assert_eq!(cv.n_not_converged(), 0);
    // Fold 2 by hand: the path on its training rows, the weighted deviance on its test rows.
    let train: Vec<usize> = (0..n).filter(|&i| ids[i] != 2).collect();
    let test: Vec<usize> = (0..n).filter(|&i| ids[i] == 2).collect();
    let pick = |v: &[f64], r: &[usize]| r.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let xt = x.select_rows(&train).unwrap();
    let path = PoissonRegression::params()
        .tol(1e-10)
        .path(
            &xt,
            &pick(&y, &train),
            Some(&pick(&w, &train)),
            Some(&pick(&o, &train)),
            cv.alphas(),
        )
        .unwrap();
    let xs = x.select_rows(&test).unwrap();
    let (ys, ws, os) = (pick(&y, &test), pick(&w, &test), pick(&o, &test));
    for (a, m) in path.iter().enumerate() {
        let mu = m.predict_offset(&xs, Some(&os)).unwrap();
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..ys.len() {
            let t = if ys[i] > 0.0 {
                ys[i] * (ys[i] / mu[i]).ln()
            } else {
                0.0
            };
            num += ws[i] * 2.0 * (t - ys[i] + mu[i]);
            den += ws[i];
        }
        let want = num / den;
        let got = cv.cv_errors()[a][2];
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "alpha {a}: {got} vs {want}"
        );
    }
    // The refit is at the selected alpha on all rows, with the offset.
    assert_eq!(cv.model().alpha(), cv.alpha());
    assert_eq!(cv.alpha(), cv.alpha_min());
    let direct = PoissonRegression::params()
        .alpha(cv.alpha())
        .tol(1e-10)
        .fit_offset(&x, &y, Some(&w), Some(&o))
        .unwrap();
    assert_eq!(direct.coef(), cv.coef());
    // One standard error: a larger (sparser) alpha.
    let se = params
        .clone()
        .selection(Selection::OneStandardError)
        .fit_offset(&x, &y, Some(&w), Some(&o))
        .unwrap();
    assert!(se.alpha() >= cv.alpha());
    assert_eq!(se.alpha(), se.alpha_1se());
}

#[test]
fn serial_and_parallel_are_bitwise_identical_and_measures_differ() {
    let (x, y, o, _) = poisson_data();
    let base = PoissonRegressionCv::params()
        .n_alphas(6)
        .cv(KFold::new(5).shuffle(Some(3)))
        .l1_ratios(vec![1.0, 0.5])
        .tol(1e-9);
    let a = base
        .clone()
        .parallel(false)
        .fit_offset(&x, &y, None, Some(&o))
        .unwrap();
    let b = base
        .clone()
        .parallel(true)
        .fit_offset(&x, &y, None, Some(&o))
        .unwrap();
    assert_eq!(a.paths(), b.paths());
    assert_eq!(a.coef(), b.coef());
    assert_eq!(a.l1_ratios(), &[1.0, 0.5]);
    for m in [
        RegressionMeasure::MeanSquaredError,
        RegressionMeasure::MeanAbsoluteError,
    ] {
        let c = base
            .clone()
            .measure(m)
            .fit_offset(&x, &y, None, Some(&o))
            .unwrap();
        assert_eq!(c.measure(), m);
        assert_ne!(c.cv_mean(), a.cv_mean());
    }
}

#[test]
fn huber_cv_resists_outliers_and_checks_its_inputs() {
    let fx = load_glm_family("huber_skglm").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let y = &fx.problem.y;
    let cv = HuberRegressionCv::params()
        .delta(1.35)
        .n_alphas(20)
        .cv(KFold::new(5).shuffle(Some(1)))
        .measure(RegressionMeasure::MeanAbsoluteError)
        .tol(1e-9)
        .fit(&x, y)
        .unwrap();
    assert_eq!(cv.model().delta(), 1.35);
    assert!(cv.max_relative_gap().unwrap() <= 1e-9);
    // The robust fit is closer to the truth than least squares on the same data.
    let ls = LassoCv::params()
        .n_alphas(20)
        .cv(KFold::new(5).shuffle(Some(1)))
        .fit(&x, y)
        .unwrap();
    let err = |c: &[f64]| -> f64 {
        c.iter()
            .zip(&fx.problem.w_true)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
    };
    assert!(
        err(cv.coef()) < err(ls.model().coef()),
        "{} {}",
        err(cv.coef()),
        err(ls.model().coef())
    );
    // Weights of one: the same curve.
    let ones = vec![1.0; n];
    let cw = HuberRegressionCv::params()
        .delta(1.35)
        .n_alphas(20)
        .cv(KFold::new(5).shuffle(Some(1)))
        .measure(RegressionMeasure::MeanAbsoluteError)
        .tol(1e-9)
        .fit_weighted(&x, y, &ones)
        .unwrap();
    for (a, b) in cw.cv_mean().iter().zip(cv.cv_mean()) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0));
    }
    // Typed errors.
    assert!(matches!(
        HuberRegressionCv::params().delta(-1.0).fit(&x, y),
        Err(Error::InvalidParameter { name: "delta", .. })
    ));
    assert!(matches!(
        HuberRegressionCv::params().n_alphas(0).fit(&x, y),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        HuberRegressionCv::params().l1_ratios(vec![]).fit(&x, y),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        PoissonRegressionCv::params().fit_offset(&x, &y[..], None, Some(&[0.0; 3])),
        Err(Error::DimensionMismatch { .. }) | Err(Error::InvalidTarget { .. })
    ));
    assert!(matches!(
        HuberRegressionCv::params().fit(&x, &y[..10]),
        Err(Error::DimensionMismatch { .. })
    ));
}
