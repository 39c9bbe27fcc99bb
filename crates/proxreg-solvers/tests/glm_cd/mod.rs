//! `GlmCd` (coordinate descent on a global curvature bound): against the committed logistic
//! references and prox-Newton, exact zeros at `alpha_max`, weights, penalty factors, f32, paths,
//! and visible non-convergence.

use proxreg_core::datafit::{Datafit, Logistic, Quadratic};
use proxreg_core::penalty::{ElasticNet, Weighted, L1};
use proxreg_core::Error;
use proxreg_fixtures::logistic::{load_logistic, LogisticPenalty, LOGISTIC_FILES};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{
    glm_alpha_max, CoordinateDescent, GlmCd, Problem, ProxNewton, Solution, Solver, Termination,
};

use crate::common::{problem, Rng};

/// A binary target `1{Xw* + noise > 0}` on the AR(1) design.
fn binary(n: usize, p: usize, rho: f64, seed: u64) -> (ColMajor<f64>, Vec<f64>) {
    let (x, y) = problem(n, p, rho, 5.min(p), seed);
    let mut rng = Rng::new(seed + 7);
    let yb = y
        .iter()
        .map(|&v| f64::from(u8::from(v + rng.normal() > 0.3)))
        .collect();
    (x, yb)
}

/// `max(|Δcoef|, |Δintercept|) / max(1, ‖reference‖_∞)`.
fn rel_diff(a: &Solution<f64>, coef: &[f64], intercept: f64) -> f64 {
    let scale = coef.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    a.coef
        .iter()
        .zip(coef)
        .map(|(u, v)| (u - v).abs())
        .fold((a.intercept[0] - intercept).abs(), f64::max)
        / scale
}

#[test]
fn glm_cd_matches_the_logistic_references_and_prox_newton() {
    let mut n_cases = 0;
    for name in LOGISTIC_FILES {
        let fx = load_logistic(name).unwrap();
        let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
        let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
        let y = &fx.problem.y;
        for case in &fx.cases {
            let rho = match case.penalty {
                LogisticPenalty::Lasso => 1.0,
                LogisticPenalty::Enet => case.l1_ratio,
                LogisticPenalty::Ridge => 0.0,
            };
            let en = ElasticNet::new(rho).unwrap();
            let pb = Problem::new(&x, y, &en, case.alpha)
                .fit_intercept(case.fit_intercept)
                .standardize(case.standardize)
                .sample_weight(case.sample_weight.as_deref())
                .datafit(Logistic);
            let cd = GlmCd::new().tol(1e-13).solve(&pb, None, &mut ()).unwrap();
            assert!(cd.converged(), "{name}/{}: {:?}", case.name, cd.termination);
            let r = &case.reference;
            let d_ref = rel_diff(&cd, &r.coef, r.intercept);
            assert!(
                d_ref <= 1e-8,
                "{name}/{}: {d_ref:e} from the reference",
                case.name
            );
            let pn = ProxNewton::new()
                .tol(1e-13)
                .solve(&pb, None, &mut ())
                .unwrap();
            let d_pn = rel_diff(&cd, &pn.coef, pn.intercept[0]);
            assert!(
                d_pn <= 1e-8,
                "{name}/{}: {d_pn:e} from ProxNewton",
                case.name
            );
            // The reported objective is that of the returned point.
            let obj = case.objective(&fx.problem, &cd.coef, cd.intercept[0]);
            assert!((obj - cd.objective).abs() <= 1e-12 * obj, "{}", case.name);
            if case.alpha_rel >= 1.0 {
                assert!(
                    cd.coef.iter().all(|&v| v == 0.0),
                    "{}: {:?}",
                    case.name,
                    cd.coef
                );
            }
            n_cases += 1;
        }
    }
    assert_eq!(n_cases, 20);
}

#[test]
fn glm_cd_zeros_at_alpha_max_weights_and_penalty_factors() {
    let (x, y) = binary(80, 20, 0.2, 13);
    let s: Vec<f64> = (0..80).map(|i| 1.0 + (i % 3) as f64).collect();
    let pb = Problem::new(&x, &y, &L1, 1.0)
        .fit_intercept(true)
        .sample_weight(Some(&s))
        .standardize(true)
        .datafit(Logistic);
    let amax = glm_alpha_max(&pb).unwrap();
    let solver = GlmCd::new().tol(1e-12);
    let at = solver.solve(&pb.with_alpha(amax), None, &mut ()).unwrap();
    assert!(at.converged());
    assert!(at.coef.iter().all(|&v| v == 0.0), "{:?}", at.coef);
    // The intercept is the null model's (the datafit's own best constant).
    let b0 = Logistic.null_eta(&y, Some(&s)).unwrap();
    assert!((at.intercept[0] - b0).abs() < 1e-12);
    // A warm start far from zero still ends in exact zeros at alpha_max.
    let warm = vec![0.5; 20];
    let at2 = solver
        .solve(&pb.with_alpha(amax), Some(&warm), &mut ())
        .unwrap();
    assert!(at2.coef.iter().all(|&v| v == 0.0), "{:?}", at2.coef);
    let below = solver
        .solve(&pb.with_alpha(amax * (1.0 - 1e-6)), None, &mut ())
        .unwrap();
    assert!(below.coef.iter().any(|&v| v != 0.0));
    // Penalty factors (some zero: unpenalized features) with weights: prox-Newton's answer.
    let f: Vec<f64> = (0..20)
        .map(|j| {
            if j % 3 == 0 {
                0.0
            } else {
                1.0 + j as f64 / 10.0
            }
        })
        .collect();
    let pen = Weighted::new(L1, f).unwrap();
    let pbw = Problem::new(&x, &y, &pen, 1.0)
        .fit_intercept(true)
        .sample_weight(Some(&s))
        .datafit(Logistic);
    let pbw = pbw.with_alpha(glm_alpha_max(&pbw).unwrap() / 5.0);
    let cd = GlmCd::new().tol(1e-13).solve(&pbw, None, &mut ()).unwrap();
    let pn = ProxNewton::new()
        .tol(1e-13)
        .solve(&pbw, None, &mut ())
        .unwrap();
    assert!(cd.converged() && pn.converged());
    assert!(rel_diff(&cd, &pn.coef, pn.intercept[0]) <= 1e-8);
    // (Unpenalized features leave no finite dual scale: the KKT violation certifies.)
    assert!(cd.relative_gap.is_none_or(|g| g <= 1e-13));
}

#[test]
fn glm_cd_path_f32_and_least_squares() {
    let (x, y) = binary(70, 15, 0.4, 17);
    let en = ElasticNet::new(0.5).unwrap();
    let pb = Problem::new(&x, &y, &en, 1.0)
        .fit_intercept(true)
        .datafit(Logistic);
    let amax = glm_alpha_max(&pb).unwrap();
    let alphas: Vec<f64> = (0..8).map(|k| amax * 0.5_f64.powi(k)).collect();
    let path = GlmCd::new().tol(1e-12).path(&pb, &alphas).unwrap();
    let pn = ProxNewton::new().tol(1e-12).path(&pb, &alphas).unwrap();
    assert!(path.all_converged());
    for (a, b) in path.solutions.iter().zip(&pn.solutions) {
        assert!(rel_diff(a, &b.coef, b.intercept[0]) < 1e-7);
    }
    // f32: converges, and agrees with the f64 fit to f32 accuracy.
    let x32 = ColMajor::from_fn(70, 15, |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let pb32 = Problem::new(&x32, &y32, &L1, (amax / 10.0) as f32)
        .fit_intercept(true)
        .datafit(Logistic);
    let s32 = GlmCd::new()
        .tol(1e-5_f32)
        .solve(&pb32, None, &mut ())
        .unwrap();
    assert!(s32.converged(), "{:?}", s32.termination);
    assert!(s32.relative_gap.unwrap() <= 1e-5);
    let pb64 = Problem::new(&x, &y, &L1, amax / 10.0)
        .fit_intercept(true)
        .datafit(Logistic);
    let s64 = ProxNewton::new()
        .tol(1e-12)
        .solve(&pb64, None, &mut ())
        .unwrap();
    let c32: Vec<f64> = s32.coef.iter().map(|&v| f64::from(v)).collect();
    let scale = s64.coef.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let d = c32
        .iter()
        .zip(&s64.coef)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(d / scale < 2e-2, "{c32:?} vs {:?}", s64.coef);
    // Least squares through it (curvature bound 1) is the Lasso of coordinate descent.
    let (xq, yq) = problem(50, 10, 0.4, 3, 31);
    let pq = Problem::new(&xq, &yq, &L1, 0.05).fit_intercept(true);
    let cd = CoordinateDescent::new()
        .tol(1e-13)
        .solve(&pq, None, &mut ())
        .unwrap();
    let q = GlmCd::new()
        .tol(1e-13)
        .solve(&pq.datafit(Quadratic), None, &mut ())
        .unwrap();
    assert!(q.converged());
    assert!(rel_diff(&q, &cd.coef, cd.intercept[0]) < 1e-9);
}

/// Logistic without its curvature bound: what a Poisson-like datafit looks like to `GlmCd`.
struct Unbounded;

impl Datafit<f64> for Unbounded {
    fn name(&self) -> &'static str {
        "unbounded"
    }
    fn loss(&self, y: f64, eta: f64) -> f64 {
        Logistic.loss(y, eta)
    }
    fn deriv(&self, y: f64, eta: f64) -> f64 {
        Logistic.deriv(y, eta)
    }
    fn hessian(&self, y: f64, eta: f64) -> f64 {
        Logistic.hessian(y, eta)
    }
    fn null_eta(&self, y: &[f64], s: Option<&[f64]>) -> proxreg_core::Result<f64> {
        Logistic.null_eta(y, s)
    }
    fn mean(&self, eta: f64) -> f64 {
        Datafit::<f64>::mean(&Logistic, eta)
    }
}

#[test]
fn glm_cd_non_convergence_and_bad_settings_are_visible() {
    let (x, y) = binary(60, 20, 0.5, 23);
    let pb = Problem::new(&x, &y, &L1, 1e-4)
        .fit_intercept(true)
        .datafit(Logistic);
    let s = GlmCd::new()
        .tol(1e-14)
        .max_iter(1)
        .solve(&pb, None, &mut ())
        .unwrap();
    assert_eq!(s.termination, Termination::MaxIterReached);
    assert!(!s.converged());
    assert!(s.relative_gap.unwrap() > 1e-14);
    // Without Anderson and working sets it still converges (the plain method).
    let plain = GlmCd::new()
        .tol(1e-10)
        .anderson(0)
        .working_set(false)
        .solve(
            &pb.with_alpha(glm_alpha_max(&pb).unwrap() / 10.0),
            None,
            &mut (),
        )
        .unwrap();
    assert!(plain.converged(), "{:?}", plain.termination);
    assert!(matches!(
        GlmCd::<f64>::new().working_set_size(0).check(),
        Err(Error::InvalidParameter {
            name: "working_set_size",
            ..
        })
    ));
    assert!(matches!(
        GlmCd::new().tol(f64::NAN).solve(&pb, None, &mut ()),
        Err(Error::InvalidParameter { name: "tol", .. })
    ));
    let e = GlmCd::new()
        .solve(
            &Problem::new(&x, &y, &L1, 0.01).datafit(Unbounded),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e}");
    let mut y2 = y.clone();
    y2[4] = 3.0;
    let e = GlmCd::new()
        .solve(
            &Problem::new(&x, &y2, &L1, 0.01).datafit(Logistic),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidTarget { index: Some(4), .. }),
        "{e}"
    );
}
