//! Poisson (with an offset) and Huber through the generic-datafit engine: certificates checked
//! against an independent KKT computation, the exposure-offset identity, Huber's least-squares
//! limit, sparse against dense, f32, and typed errors.

use proxreg_core::datafit::{Datafit, Huber, Poisson};
use proxreg_core::penalty::{ElasticNet, L1};
use proxreg_core::Error;
use proxreg_linalg::{ColMajor, CscMatrix};
use proxreg_solvers::{
    glm_alpha_max, CoordinateDescent, GlmCd, Problem, ProxNewton, Solution, Solver,
};

use crate::common::{problem, Rng};

/// Counts `y ~ Poisson(t·exp(Xw*))` (sampled by inversion) with exposures `t ∈ [0.5, 2]`.
fn counts(n: usize, p: usize, seed: u64) -> (ColMajor<f64>, Vec<f64>, Vec<f64>) {
    let (x, _) = problem(n, p, 0.3, 3.min(p), seed);
    let mut rng = Rng::new(seed + 11);
    let t: Vec<f64> = (0..n).map(|_| 0.5 + 1.5 * rng.uniform()).collect();
    let y = (0..n)
        .map(|i| {
            let eta = 0.3 * x.col(0)[i] - 0.2 * x.col(1 % p)[i] + 0.4;
            let lam = t[i] * eta.clamp(-3.0, 3.0).exp();
            // Inversion of the Poisson CDF.
            let u = rng.uniform();
            let (mut k, mut pk) = (0.0, (-lam).exp());
            let mut cdf = pk;
            while cdf < u && k < 200.0 {
                k += 1.0;
                pk *= lam / k;
                cdf += pk;
            }
            k
        })
        .collect();
    (x, y, t)
}

/// The largest violation of the optimality conditions at `sol`, computed from scratch:
/// `|∂F/∂b|` and, per column, the distance of `−∇_j F` to `α·∂g_j` for the elastic net `ρ`.
#[allow(clippy::too_many_arguments)]
fn kkt<F: Datafit<f64>>(
    f: &F,
    x: &ColMajor<f64>,
    y: &[f64],
    s: Option<&[f64]>,
    o: Option<&[f64]>,
    sol: &Solution<f64>,
    alpha: f64,
    rho: f64,
) -> f64 {
    let (n, p) = (y.len(), x.ncols());
    let m: f64 = s.map_or(n as f64, |s| s.iter().sum());
    let b = sol.intercept[0];
    let raw: Vec<f64> = (0..n)
        .map(|i| {
            let eta = b
                + o.map_or(0.0, |o| o[i])
                + (0..p).map(|j| x.col(j)[i] * sol.coef[j]).sum::<f64>();
            s.map_or(1.0, |s| s[i]) * f.deriv(y[i], eta) / m
        })
        .collect();
    let mut worst = raw.iter().sum::<f64>().abs();
    for j in 0..p {
        let g: f64 =
            (0..n).map(|i| x.col(j)[i] * raw[i]).sum::<f64>() + alpha * (1.0 - rho) * sol.coef[j];
        let w = sol.coef[j];
        let v = if w == 0.0 {
            (g.abs() - alpha * rho).max(0.0)
        } else {
            (g + alpha * rho * w.signum()).abs()
        };
        worst = worst.max(v);
    }
    worst
}

#[test]
fn poisson_with_an_offset_is_certified_and_optimal() {
    let (x, y, t) = counts(200, 12, 1);
    let o: Vec<f64> = t.iter().map(|v| v.ln()).collect();
    let s: Vec<f64> = (0..200).map(|i| 0.5 + (i % 3) as f64).collect();
    for (rho, weights) in [(1.0, None), (0.5, Some(&s[..]))] {
        let en = ElasticNet::new(rho).unwrap();
        let pb = Problem::new(&x, &y, &en, 1.0)
            .fit_intercept(true)
            .sample_weight(weights)
            .offset(Some(&o))
            .datafit(Poisson);
        let amax = glm_alpha_max(&pb).unwrap();
        // At alpha_max the null model (with the offset) is optimal.
        let null = ProxNewton::default()
            .tol(1e-10)
            .solve(&pb.with_alpha(amax * 1.0001), None, &mut ())
            .unwrap();
        assert!(null.coef.iter().all(|&c| c == 0.0));
        for frac in [0.3, 0.05, 0.005] {
            let alpha = amax * frac;
            let sol = ProxNewton::default()
                .tol(1e-10)
                .solve(&pb.with_alpha(alpha), None, &mut ())
                .unwrap();
            assert!(sol.converged(), "{:?}", sol.termination);
            assert!(sol.relative_gap.unwrap() <= 1e-10);
            let v = kkt(&Poisson, &x, &y, weights, Some(&o), &sol, alpha, rho);
            assert!(v <= 1e-7, "rho {rho} frac {frac}: KKT {v}");
        }
    }
}

/// With exposures `t`, the offset `log t` and the rates `y/t` weighted by `t` are the same
/// model: `Σ_i t_i·ℓ(y_i/t_i, η_i) = Σ_i ℓ(y_i, η_i + log t_i) + const`, so with α scaled by
/// `n/Σt` the coefficients agree.
#[test]
fn an_exposure_offset_equals_rates_weighted_by_exposure() {
    let (x, y, t) = counts(150, 8, 2);
    let o: Vec<f64> = t.iter().map(|v| v.ln()).collect();
    let rate: Vec<f64> = y.iter().zip(&t).map(|(a, b)| a / b).collect();
    let sum_t: f64 = t.iter().sum();
    let alpha = 0.01;
    let a = ProxNewton::default()
        .tol(1e-12)
        .solve(
            &Problem::new(&x, &y, &L1, alpha)
                .fit_intercept(true)
                .offset(Some(&o))
                .datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap();
    let b = ProxNewton::default()
        .tol(1e-12)
        .solve(
            &Problem::new(&x, &rate, &L1, alpha * 150.0 / sum_t)
                .fit_intercept(true)
                .sample_weight(Some(&t))
                .datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap();
    assert!(a.coef.iter().any(|&c| c != 0.0));
    for j in 0..8 {
        assert!((a.coef[j] - b.coef[j]).abs() < 1e-7, "{j}: {a:?} {b:?}");
    }
    assert!((a.intercept[0] - b.intercept[0]).abs() < 1e-7);
}

#[test]
fn huber_is_certified_and_tends_to_least_squares() {
    let (x, mut y) = problem(120, 10, 0.4, 4, 3);
    // Gross outliers.
    for i in (0..120).step_by(9) {
        y[i] += 25.0;
    }
    let h = Huber::new(1.0).unwrap();
    let pb = Problem::new(&x, &y, &L1, 1.0)
        .fit_intercept(true)
        .datafit(h);
    let amax = glm_alpha_max(&pb).unwrap();
    for frac in [0.5, 0.05, 0.005] {
        let alpha = amax * frac;
        let pn = ProxNewton::default()
            .tol(1e-10)
            .solve(&pb.with_alpha(alpha), None, &mut ())
            .unwrap();
        let cd = GlmCd::default()
            .tol(1e-10)
            .solve(&pb.with_alpha(alpha), None, &mut ())
            .unwrap();
        assert!(pn.converged() && cd.converged());
        assert!(kkt(&h, &x, &y, None, None, &pn, alpha, 1.0) <= 1e-7);
        assert!(kkt(&h, &x, &y, None, None, &cd, alpha, 1.0) <= 1e-7);
        // The objective is strictly convex only on the inliers: compare objectives.
        assert!((pn.objective - cd.objective).abs() <= 1e-9 * pn.objective.abs().max(1.0));
    }
    // δ above every residual: least squares, as coordinate descent solves it.
    let big = Huber::new(1e6).unwrap();
    let alpha = 0.05;
    let hub = ProxNewton::default()
        .tol(1e-12)
        .solve(
            &Problem::new(&x, &y, &L1, alpha)
                .fit_intercept(true)
                .datafit(big),
            None,
            &mut (),
        )
        .unwrap();
    let ls = CoordinateDescent::default()
        .tol(1e-12)
        .solve(
            &Problem::new(&x, &y, &L1, alpha).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    for j in 0..10 {
        assert!((hub.coef[j] - ls.coef[j]).abs() < 1e-7);
    }
}

#[test]
fn sparse_poisson_with_an_offset_matches_dense_and_f32_works() {
    let (mut x, y, t) = counts(120, 15, 4);
    // Zero out most entries (the counts stay a valid target either way).
    for j in 0..15 {
        for (i, v) in x.col_mut(j).iter_mut().enumerate() {
            if (i * 7 + j * 3) % 4 != 0 {
                *v = 0.0;
            }
        }
    }
    let o: Vec<f64> = t.iter().map(|v| v.ln()).collect();
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    for standardize in [false, true] {
        let dense = Problem::new(&x, &y, &L1, 0.01)
            .fit_intercept(true)
            .standardize(standardize)
            .offset(Some(&o))
            .datafit(Poisson);
        let sparse = Problem::new(&csc, &y, &L1, 0.01)
            .fit_intercept(true)
            .standardize(standardize)
            .offset(Some(&o))
            .datafit(Poisson);
        let a = ProxNewton::default()
            .tol(1e-12)
            .solve(&dense, None, &mut ())
            .unwrap();
        let b = ProxNewton::default()
            .tol(1e-12)
            .solve(&sparse, None, &mut ())
            .unwrap();
        for j in 0..15 {
            assert!((a.coef[j] - b.coef[j]).abs() < 1e-8);
        }
        assert!((a.intercept[0] - b.intercept[0]).abs() < 1e-8);
    }
    let x32 = ColMajor::from_fn(120, 15, |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let o32: Vec<f32> = o.iter().map(|&v| v as f32).collect();
    let s32 = ProxNewton::default()
        .tol(1e-5_f32)
        .solve(
            &Problem::new(&x32, &y32, &L1, 0.01_f32)
                .fit_intercept(true)
                .offset(Some(&o32))
                .datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap();
    assert!(s32.converged());
    let s64 = ProxNewton::default()
        .tol(1e-12)
        .solve(
            &Problem::new(&x, &y, &L1, 0.01)
                .fit_intercept(true)
                .offset(Some(&o))
                .datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap();
    for j in 0..15 {
        assert!((f64::from(s32.coef[j]) - s64.coef[j]).abs() < 1e-3);
    }
}

#[test]
fn bad_offsets_and_counts_are_typed_errors() {
    let (x, y, _) = counts(30, 3, 5);
    let short = vec![0.0; 29];
    let nan: Vec<f64> = (0..30)
        .map(|i| if i == 4 { f64::NAN } else { 0.0 })
        .collect();
    let pn = ProxNewton::default();
    let e = pn
        .solve(
            &Problem::new(&x, &y, &L1, 0.1)
                .offset(Some(&short))
                .datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(e, Error::DimensionMismatch { .. }), "{e}");
    let e = pn
        .solve(
            &Problem::new(&x, &y, &L1, 0.1)
                .offset(Some(&nan))
                .datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(e, Error::NonFinite { index: 4, .. }), "{e}");
    // Least squares refuses an offset instead of ignoring it.
    let zeros = vec![0.0; 30];
    let e = CoordinateDescent::default()
        .solve(
            &Problem::new(&x, &y, &L1, 0.1).offset(Some(&zeros)),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e}");
    // Negative counts; Poisson has no curvature bound for GlmCd.
    let mut neg = y.clone();
    neg[2] = -1.0;
    let e = pn
        .solve(
            &Problem::new(&x, &neg, &L1, 0.1).datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidTarget { index: Some(2), .. }),
        "{e}"
    );
    assert!(GlmCd::default()
        .solve(
            &Problem::new(&x, &y, &L1, 0.1).datafit(Poisson),
            None,
            &mut ()
        )
        .is_err());
    let _ = y;
}
