//! A penalty defined outside proxreg (MCP, in `examples/mcp.rs`) plugs into the public traits
//! and passes the parts of the conformance kit that apply to it, for f32 and f64; so does a
//! datafit defined outside it (the squared hinge, `examples/squared_hinge.rs`), which
//! `ProxNewton` then fits with a certificate.

#[path = "../examples/mcp.rs"]
#[allow(dead_code)]
mod mcp;

#[path = "../examples/squared_hinge.rs"]
#[allow(dead_code)]
mod squared_hinge;

use mcp::Mcp;
use proxreg::prelude::*;
use proxreg_testing::{penalty_suite, Setup};

penalty_suite!(mcp_f64: f64, Mcp::new(3.0).unwrap(), Setup::new(6);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
penalty_suite!(mcp_f32: f32, Mcp::new(3.0).unwrap(), Setup::new(6);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
// Shape close to 1, steps below and above γ.
penalty_suite!(mcp_tight_f64: f64, Mcp::new(1.1).unwrap(), Setup::new(6).magnitude(3.0);
    prox_optimality, prox_1d_oracle, alpha_max);

#[test]
fn constructor_rejects_gamma_at_most_one_and_nan() {
    for g in [1.0, 0.5, -2.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            Mcp::new(g),
            Err(Error::InvalidParameter { name: "gamma", .. })
        ));
    }
    assert!(Mcp::new(f32::NAN).is_err());
    assert_eq!(Mcp::new(2.0_f64).unwrap().gamma(), 2.0);
}

#[test]
fn firm_thresholding_interpolates_soft_and_hard() {
    let m = Mcp::new(3.0_f64).unwrap();
    // below the threshold: 0; beyond γ: identity; in between: γ(|v| − t)/(γ − t)
    assert_eq!(m.prox_1d(0.9, 1.0, 0), 0.0);
    assert_eq!(m.prox_1d(-4.0, 1.0, 0), -4.0);
    assert_eq!(m.prox_1d(2.0, 1.0, 0), 1.5);
    // continuous at |v| = γ
    assert!((m.prox_1d(3.0 - 1e-12, 1.0, 0) - 3.0).abs() < 1e-9);
    // t ≥ γ: hard thresholding at sqrt(tγ) = sqrt(12)
    assert_eq!(m.prox_1d(3.4, 4.0, 0), 0.0);
    assert_eq!(m.prox_1d(3.5, 4.0, 0), 3.5);
    assert!(m.prox_1d(f64::NAN, 1.0, 0).is_nan());
    // it is a Penalty like any other: value, alpha_max, usable as a trait object
    let pen: &dyn Penalty<f64> = &m;
    assert_eq!(pen.value(&[0.0, 1.0, 10.0]), 1.0 - 1.0 / 6.0 + 1.5);
    assert_eq!(pen.alpha_max(&[0.5, -2.0]), Some(2.0));
}

#[test]
fn external_datafit_conforms_and_fits_certified() {
    use proxreg::core::datafit::Datafit;
    use proxreg::solvers::{glm_alpha_max, Problem, ProxNewton, Solver};
    use proxreg_testing::datafit::check_datafit_at;
    use squared_hinge::{toy_problem, SquaredHinge, SMOOTH_ETAS};
    check_datafit_at::<f64, _>(&SquaredHinge, &[0.0, 1.0], &SMOOTH_ETAS, 1e-6).unwrap();
    check_datafit_at::<f32, _>(&SquaredHinge, &[0.0, 1.0], &SMOOTH_ETAS, 1e-2).unwrap();
    let (x, y) = toy_problem(200, 20);
    let pb = Problem::new(&x, &y, &L1, 1.0)
        .fit_intercept(true)
        .datafit(SquaredHinge);
    let amax = glm_alpha_max(&pb).unwrap();
    let at = ProxNewton::new()
        .tol(1e-12)
        .solve(&pb.with_alpha(amax), None, &mut ())
        .unwrap();
    assert!(at.coef.iter().all(|&v| v == 0.0));
    let sol = ProxNewton::new()
        .tol(1e-10)
        .solve(&pb.with_alpha(amax / 20.0), None, &mut ())
        .unwrap();
    assert!(sol.converged(), "{:?}", sol.termination);
    assert!(sol.relative_gap.unwrap() <= 1e-10);
    // The rule's three features are found.
    assert!(
        sol.coef[0] > 0.0 && sol.coef[1] < 0.0 && sol.coef[2] > 0.0,
        "{:?}",
        sol.coef
    );
    // No coordinate perturbation decreases the objective.
    let obj = |c: &[f64], b: f64| -> f64 {
        let n = y.len();
        let mut v = 0.0;
        for (i, &yi) in y.iter().enumerate() {
            let eta = b + (0..20).map(|j| x.col(j)[i] * c[j]).sum::<f64>();
            v += SquaredHinge.loss(yi, eta);
        }
        v / n as f64 + amax / 20.0 * c.iter().map(|w| w.abs()).sum::<f64>()
    };
    let base = obj(&sol.coef, sol.intercept[0]);
    assert!((base - sol.objective).abs() <= 1e-12 * base);
    for j in 0..20 {
        for d in [-1e-4, 1e-4] {
            let mut c = sol.coef.clone();
            c[j] += d;
            assert!(obj(&c, sol.intercept[0]) >= base - 1e-12);
        }
    }
}
