//! Poisson and Huber regression against the committed references (glum 3.4.1 and skglm 0.5,
//! KKT-verified by `scripts/make_glm_family_fixtures.py`), through the estimators: fits,
//! `alpha_max`, paths, predictions, f32, sparse designs and typed errors.

use proxreg::prelude::*;
use proxreg_fixtures::glm_family::{load_glm_family, GlmFamily, GLM_FAMILY_FILES};
use proxreg_linalg::CscMatrix;

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max)
}

/// Fits a case with the estimator of its family: (coef, intercept, report).
fn fit_case(
    x: &ColMajor<f64>,
    y: &[f64],
    case: &proxreg_fixtures::glm_family::GlmFamilyCase,
    tol: f64,
) -> (Vec<f64>, f64, FitReport<f64>) {
    match case.family {
        GlmFamily::Poisson => {
            let m = PoissonRegression::params()
                .alpha(case.alpha)
                .l1_ratio(case.l1_ratio)
                .fit_intercept(case.fit_intercept)
                .standardize(case.standardize)
                .tol(tol)
                .fit_offset(x, y, case.sample_weight.as_deref(), case.offset.as_deref())
                .unwrap();
            (m.coef().to_vec(), m.intercept(), m.report().clone())
        }
        GlmFamily::Huber => {
            let params = HuberRegression::params()
                .delta(case.delta.unwrap())
                .alpha(case.alpha)
                .l1_ratio(case.l1_ratio)
                .fit_intercept(case.fit_intercept)
                .standardize(case.standardize)
                .tol(tol);
            let m = match &case.sample_weight {
                Some(s) => params.fit_weighted(x, y, s).unwrap(),
                None => params.fit(x, y).unwrap(),
            };
            (m.coef().to_vec(), m.intercept(), m.report().clone())
        }
    }
}

#[test]
fn every_fixture_case_matches_the_references() {
    let mut worst: f64 = 0.0;
    let mut n_cases = 0;
    for name in GLM_FAMILY_FILES {
        let fx = load_glm_family(name).unwrap();
        let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
        let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
        let y = &fx.problem.y;
        for case in &fx.cases {
            let (coef, b, report) = fit_case(&x, y, case, 1e-12);
            assert_eq!(report.status, Status::Converged, "{name}/{}", case.name);
            assert!(report.relative_gap.unwrap() <= 1e-12);
            let scale = case.coef.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
            let d = max_abs_diff(&coef, &case.coef).max((b - case.intercept).abs()) / scale;
            assert!(d <= 1e-6, "{name}/{}: {d:e} from the reference", case.name);
            worst = worst.max(d);
            // The same zeros as the reference.
            for (j, (&a, &r)) in coef.iter().zip(&case.coef).enumerate() {
                assert_eq!(a == 0.0, r.abs() < 1e-9, "{name}/{} coef {j}", case.name);
            }
            // Our objective at our point is no larger than at the reference's.
            let ours = case.objective(&fx.problem, &coef, b);
            assert!(ours <= case.objective + 1e-12 * case.objective.abs().max(1.0));
            let (kkt, kkt_b) = case.kkt(&fx.problem, &coef, b);
            assert!(
                kkt <= 1e-8 && kkt_b <= 1e-8,
                "{name}/{}: {kkt} {kkt_b}",
                case.name
            );
            n_cases += 1;
        }
    }
    assert_eq!(n_cases, 22);
    eprintln!("glm families: {n_cases} cases, worst relative difference {worst:e}");
}

#[test]
fn alpha_max_and_paths_agree_with_the_references() {
    let fx = load_glm_family("poisson_glum").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let y = &fx.problem.y;
    for case in fx.cases.iter().filter(|c| c.l1_ratio == 1.0) {
        let params = PoissonRegression::params()
            .fit_intercept(case.fit_intercept)
            .standardize(case.standardize)
            .tol(1e-12);
        let amax = params
            .alpha_max(&x, y, case.sample_weight.as_deref(), case.offset.as_deref())
            .unwrap();
        assert!(
            (amax - case.alpha_max).abs() <= 1e-10 * case.alpha_max,
            "{}: {amax} vs {}",
            case.name,
            case.alpha_max
        );
    }
    // A path through three cases of the same data (no weights, no offset).
    let cases: Vec<_> = ["lasso_rel0.5", "lasso_rel0.1", "lasso_rel0.01"]
        .iter()
        .map(|c| fx.case(c).unwrap())
        .collect();
    let alphas: Vec<f64> = cases.iter().map(|c| c.alpha).collect();
    let path = PoissonRegression::params()
        .tol(1e-12)
        .path(&x, y, None, None, &alphas)
        .unwrap();
    for (m, c) in path.iter().zip(&cases) {
        assert!(max_abs_diff(m.coef(), &c.coef) <= 1e-7, "{}", c.name);
        assert!((m.intercept() - c.intercept).abs() <= 1e-7);
    }
    let fx = load_glm_family("huber_skglm").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let cases: Vec<_> = [
        "d1.35_lasso_rel0.5",
        "d1.35_lasso_rel0.1",
        "d1.35_lasso_rel0.01",
    ]
    .iter()
    .map(|c| fx.case(c).unwrap())
    .collect();
    let params = HuberRegression::params().delta(1.35).tol(1e-12);
    let amax = params.alpha_max(&x, &fx.problem.y, None).unwrap();
    assert!((amax - cases[0].alpha_max).abs() <= 1e-10 * amax);
    let alphas: Vec<f64> = cases.iter().map(|c| c.alpha).collect();
    for solver in [SolverChoice::Auto, SolverChoice::CoordinateDescent] {
        let path = params
            .clone()
            .solver(solver)
            .path(&x, &fx.problem.y, None, &alphas)
            .unwrap();
        for (m, c) in path.iter().zip(&cases) {
            assert!(
                max_abs_diff(m.coef(), &c.coef) <= 1e-7,
                "{solver:?} {}",
                c.name
            );
            assert_eq!(m.status(), Status::Converged);
        }
    }
}

#[test]
fn predictions_sparse_designs_and_f32() {
    let fx = load_glm_family("poisson_glum").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let y = &fx.problem.y;
    let case = fx.case("lasso_offset_rel0.1").unwrap();
    let o = case.offset.as_deref().unwrap();
    let params = PoissonRegression::params().alpha(case.alpha).tol(1e-12);
    let m = params.fit_offset(&x, y, None, Some(o)).unwrap();
    let rate = m.predict(&x).unwrap();
    let counts = m.predict_offset(&x, Some(o)).unwrap();
    for i in 0..n {
        assert!((rate[i] * o[i].exp() - counts[i]).abs() <= 1e-9 * counts[i].max(1.0));
    }
    // The deviance at the fit is below the null model's, and D² is in (0, 1).
    let d = m.deviance(&x, y, Some(o)).unwrap();
    let null = params
        .clone()
        .alpha(1e6)
        .fit_offset(&x, y, None, Some(o))
        .unwrap();
    assert!(d < null.deviance(&x, y, Some(o)).unwrap());
    let d2 = m.score(&x, y).unwrap();
    assert!(d2 > 0.0 && d2 < 1.0, "{d2}");
    // A CSC copy of the design gives the same fit.
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let ms = params.fit_offset(&csc, y, None, Some(o)).unwrap();
    assert!(max_abs_diff(ms.coef(), m.coef()) <= 1e-9);
    // f32 within its precision.
    let x32 = ColMajor::from_fn(n, p, |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let o32: Vec<f32> = o.iter().map(|&v| v as f32).collect();
    let m32 = PoissonRegression::params()
        .alpha(case.alpha as f32)
        .tol(1e-5)
        .fit_offset(&x32, &y32, None, Some(&o32))
        .unwrap();
    assert_eq!(m32.status(), Status::Converged);
    for (a, b) in m32.coef().iter().zip(&case.coef) {
        assert!((f64::from(*a) - b).abs() <= 1e-3, "{a} {b}");
    }
    // Huber: outliers flagged, R² of a fit on the inliers' structure.
    let fx = load_glm_family("huber_skglm").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let case = fx.case("d1.35_lasso_rel0.01").unwrap();
    let h = HuberRegression::params()
        .delta(1.35)
        .alpha(case.alpha)
        .tol(1e-12)
        .fit(&x, &fx.problem.y)
        .unwrap();
    let out = h.outliers(&x, &fx.problem.y).unwrap();
    for &i in fx.problem.outlier_rows.as_ref().unwrap() {
        assert!(out[i], "row {i} is a planted outlier");
    }
    assert_eq!(h.delta(), 1.35);
}

#[test]
fn bad_inputs_are_typed_errors_and_inputs_are_untouched() {
    let x = ColMajor::from_fn(20, 2, |i, j| ((i * (j + 2)) % 5) as f64);
    let y: Vec<f64> = (0..20).map(|i| (i % 4) as f64).collect();
    let (x0, y0) = (x.clone(), y.clone());
    let pr = PoissonRegression::params();
    let mut neg = y.clone();
    neg[3] = -2.0;
    assert!(matches!(
        pr.fit(&x, &neg),
        Err(Error::InvalidTarget { index: Some(3), .. })
    ));
    assert!(matches!(
        pr.fit(&x, &[0.0; 20]),
        Err(Error::InvalidTarget { index: None, .. })
    ));
    assert!(matches!(
        pr.fit_offset(&x, &y, None, Some(&[0.0; 19])),
        Err(Error::DimensionMismatch { .. })
    ));
    let mut nan = vec![0.0; 20];
    nan[5] = f64::NAN;
    assert!(matches!(
        pr.fit_offset(&x, &y, None, Some(&nan)),
        Err(Error::NonFinite { index: 5, .. })
    ));
    assert!(matches!(
        pr.clone().alpha(f64::NAN).fit(&x, &y),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    assert!(matches!(
        pr.clone().l1_ratio(1.5).fit(&x, &y),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        pr.clone()
            .solver(SolverChoice::CoordinateDescent)
            .fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
    let m = pr.clone().alpha(0.01).fit(&x, &y).unwrap();
    assert!(matches!(
        m.deviance(&x, &neg, None),
        Err(Error::InvalidTarget { .. })
    ));
    assert!(matches!(
        m.predict_offset(&x, Some(&[0.0; 3])),
        Err(Error::DimensionMismatch { .. })
    ));
    let hr = HuberRegression::params();
    for d in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            hr.clone().delta(d).fit(&x, &y),
            Err(Error::InvalidParameter { name: "delta", .. })
        ));
    }
    assert!(matches!(
        hr.clone().solver(SolverChoice::Fista).fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
    let mut ynan = y.clone();
    ynan[0] = f64::INFINITY;
    assert!(matches!(hr.fit(&x, &ynan), Err(Error::NonFinite { .. })));
    assert_eq!(x, x0);
    assert_eq!(y, y0);
}
