//! Ridge by conjugate gradients (issue #20): `RidgeMethod::ConjugateGradient` on a dense design
//! and on the same entries as a CSC agrees with the Cholesky routes (intercept, sample weights,
//! standardization, one and two tasks, f64 and f32); `Auto` on a wide sparse design takes it
//! without densifying and returns the dense dual route's certified answer; not converging
//! within `max_iter` is reported.

use proxreg_core::penalty::SquaredL2;
use proxreg_core::Scalar;
use proxreg_linalg::{ColMajor, CscMatrix};
use proxreg_solvers::{Problem, RidgeDirect, RidgeMethod, RidgeSolution, Termination};

use crate::common::Rng;

/// An `n × p` design with about `density` of its entries nonzero (values `N(0.5, 1)`), every
/// third column given a constant offset on its stored entries, and `k` targets from a dense
/// truth plus noise (`n × k` column-major).
fn sparse_data(n: usize, p: usize, k: usize, density: f64, seed: u64) -> (ColMajor<f64>, Vec<f64>) {
    let mut rng = Rng::new(seed);
    let x = ColMajor::from_fn(n, p, |_, j| {
        if rng.uniform() < density {
            rng.normal() + 0.5 + (j % 3) as f64
        } else {
            0.0
        }
    });
    let mut y = vec![0.0; n * k];
    for t in 0..k {
        let w: Vec<f64> = (0..p).map(|_| rng.normal()).collect();
        for i in 0..n {
            y[t * n + i] = (0..p).map(|j| x.col(j)[i] * w[j]).sum::<f64>() + rng.normal() + 1.0;
        }
    }
    (x, y)
}

fn cast<T: Scalar>(x: &ColMajor<f64>, y: &[f64]) -> (ColMajor<T>, Vec<T>) {
    (
        ColMajor::from_fn(x.nrows(), x.ncols(), |i, j| T::lit(x.col(j)[i])),
        y.iter().map(|&v| T::lit(v)).collect(),
    )
}

fn as_f64<T: Scalar>(v: &[T]) -> Vec<f64> {
    v.iter().map(|a| a.as_f64()).collect()
}

/// `max |a − b| / max(1, max |b|)`.
fn scaled_diff(a: &[f64], b: &[f64]) -> f64 {
    let scale = b.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max)
        / scale
}

fn check_same<T: Scalar>(got: &RidgeSolution<T>, want: &RidgeSolution<T>, tol: f64, what: &str) {
    let (g, w) = (&got.solution, &want.solution);
    assert!(g.converged(), "{what}: {:?}", g.termination);
    let d = scaled_diff(&as_f64(&g.coef), &as_f64(&w.coef));
    assert!(d <= tol, "{what}: coefficients differ by {d:e}");
    let di = scaled_diff(&as_f64(&g.intercept), &as_f64(&w.intercept));
    assert!(di <= tol, "{what}: intercepts differ by {di:e}");
    // The same certificates as the direct route (a gap wherever it has one).
    assert!(g.kkt_violation.is_finite(), "{what}");
    assert_eq!(g.relative_gap.is_some(), w.relative_gap.is_some(), "{what}");
}

/// CG on the dense design and on its CSC against the direct route, over intercept / weights /
/// standardization and one or two tasks.
fn cg_agrees<T: Scalar>(n: usize, p: usize, tol: f64, direct: RidgeMethod) {
    let cg = RidgeDirect::new().method(RidgeMethod::ConjugateGradient);
    for k in [1, 2] {
        let (x0, y0) = sparse_data(n, p, k, 0.3, 7 + k as u64 + n as u64);
        let (x, y) = cast::<T>(&x0, &y0);
        let csc = CscMatrix::<T, u32>::from_dense(&x).unwrap();
        let s: Vec<T> = (0..n).map(|i| T::lit(0.25 + (i % 5) as f64)).collect();
        for (fit_intercept, weights, standardize) in [
            (false, None, false),
            (true, None, false),
            (true, Some(&s[..]), false),
            (true, None, true),
            (true, Some(&s[..]), true),
        ] {
            let alpha = T::lit(0.05);
            let what = format!(
                "{n}x{p} k={k} intercept={fit_intercept} weights={} std={standardize}",
                weights.is_some()
            );
            let pd = Problem::new(&x, &y, &SquaredL2, alpha)
                .n_tasks(k)
                .fit_intercept(fit_intercept)
                .sample_weight(weights)
                .standardize(standardize);
            let ps = Problem::new(&csc, &y, &SquaredL2, alpha)
                .n_tasks(k)
                .fit_intercept(fit_intercept)
                .sample_weight(weights)
                .standardize(standardize);
            let want = RidgeDirect::new().method(direct).solve(&pd).unwrap();
            let dense = cg.solve(&pd).unwrap();
            let sparse = cg.solve(&ps).unwrap();
            check_same(&dense, &want, tol, &format!("dense CG {what}"));
            check_same(&sparse, &want, tol, &format!("CSC CG {what}"));
            // CG's iteration count is reported (the direct route's is 1), and within max_iter.
            assert!((1..=1000).contains(&sparse.solution.n_iter), "{what}");
            assert!(sparse.solution.n_updates >= sparse.solution.n_iter);
            assert_eq!(sparse.condition_number, None);
        }
    }
}

macro_rules! per_scalar {
    ($($t:ident: $tol:expr),*) => {$(
        mod $t {
            use proxreg_solvers::RidgeMethod;
            #[test]
            fn tall_cg_agrees_with_the_primal_cholesky() {
                super::cg_agrees::<$t>(60, 25, $tol, RidgeMethod::Cholesky);
            }
            #[test]
            fn wide_cg_agrees_with_the_dual_cholesky() {
                super::cg_agrees::<$t>(25, 60, $tol, RidgeMethod::Dual);
            }
        }
    )*};
}

per_scalar!(f64: 1e-8, f32: 2e-3);

#[test]
fn auto_on_a_wide_sparse_design_is_cg_and_equals_the_dense_dual() {
    let (n, p) = (200, 3000);
    let (x, y) = sparse_data(n, p, 1, 0.01, 42);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    assert!(csc.nnz() < n * p / 50);
    let s: Vec<f64> = (0..n).map(|i| 0.5 + (i % 4) as f64 * 0.5).collect();
    for (weights, standardize) in [(None, false), (Some(&s[..]), true)] {
        let alpha = 0.01;
        let pd = Problem::new(&x, &y, &SquaredL2, alpha)
            .fit_intercept(true)
            .sample_weight(weights)
            .standardize(standardize);
        let ps = Problem::new(&csc, &y, &SquaredL2, alpha)
            .fit_intercept(true)
            .sample_weight(weights)
            .standardize(standardize);
        // Dense Auto stays the dual Cholesky (n < p): one step, condition number on request.
        let want = RidgeDirect::new()
            .condition_number(true)
            .solve(&pd)
            .unwrap();
        assert_eq!(want.solution.n_iter, 1);
        assert!(want.condition_number.is_some());
        let got = RidgeDirect::new().solve(&ps).unwrap();
        let sol = &got.solution;
        // The sparse Auto went to conjugate gradients: iterations counted, no condition number.
        assert!(sol.n_iter > 1, "{}", sol.n_iter);
        assert_eq!(got.condition_number, None);
        assert_eq!(sol.termination, Termination::Converged);
        check_same(&got, &want, 1e-8, "wide sparse Auto");
        // The certificate: the default tolerance (‖r‖ ≤ 1.9e-12·‖X̃ᵀỹ/m‖) makes the gap,
        // ‖r‖²/(2α), tiny against ‖ỹ‖²/m.
        let rel = sol.relative_gap.unwrap();
        assert!(rel < 1e-14, "relative gap {rel:e}");
        eprintln!(
            "wide sparse Auto (weights {}, standardize {standardize}): {} CG iterations, \
             {} products, relative gap {rel:.1e}, KKT {:.1e}",
            weights.is_some(),
            sol.n_iter,
            sol.n_updates,
            sol.kkt_violation
        );
    }
}

#[test]
fn auto_on_a_tall_narrow_sparse_design_is_the_gram_cholesky() {
    let (x, y) = sparse_data(120, 30, 1, 0.2, 3);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let pb = Problem::new(&csc, &y, &SquaredL2, 0.1).fit_intercept(true);
    let fit = RidgeDirect::new()
        .condition_number(true)
        .solve(&pb)
        .unwrap();
    assert_eq!(fit.solution.n_iter, 1);
    assert!(fit.condition_number.is_some());
    let cg = RidgeDirect::new()
        .method(RidgeMethod::ConjugateGradient)
        .solve(&pb)
        .unwrap();
    check_same(&cg, &fit, 1e-8, "tall sparse CG vs Auto");
}

#[test]
fn max_iter_reached_is_reported_not_silent() {
    let (x, y) = sparse_data(100, 400, 2, 0.05, 5);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let pb = Problem::new(&csc, &y, &SquaredL2, 1e-3)
        .n_tasks(2)
        .fit_intercept(true);
    let fit = RidgeDirect::new()
        .method(RidgeMethod::ConjugateGradient)
        .max_iter(2)
        .solve(&pb)
        .unwrap();
    let sol = &fit.solution;
    assert_eq!(sol.termination, Termination::MaxIterReached);
    assert!(!sol.converged());
    assert_eq!(sol.n_iter, 2);
    // The certificate says how far from optimal the point is.
    let gap = sol.relative_gap.unwrap();
    assert!(gap > 1e-8 && gap.is_finite(), "{gap:e}");
    assert!(sol.kkt_violation > 0.0);
    // Auto with the same limit on this small wide system factors the `n × n` dual instead
    // (from the stored entries), so its answer is the exact one.
    let auto = RidgeDirect::new().max_iter(1).solve(&pb).unwrap();
    assert_eq!(auto.solution.termination, Termination::Converged);
    let dual = RidgeDirect::new()
        .method(RidgeMethod::Dual)
        .solve(&pb)
        .unwrap();
    assert_eq!(auto.solution.coef, dual.solution.coef);
}

#[test]
fn a_looser_tolerance_stops_earlier_and_its_bound_holds() {
    let (x, y) = sparse_data(150, 600, 1, 0.03, 9);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let alpha = 0.02;
    let pb = Problem::new(&csc, &y, &SquaredL2, alpha).fit_intercept(true);
    let tight = RidgeDirect::new().solve(&pb).unwrap().solution;
    let loose = RidgeDirect::new().tol(1e-4).solve(&pb).unwrap().solution;
    assert!(loose.converged() && tight.converged());
    assert!(
        loose.n_iter < tight.n_iter,
        "{} vs {}",
        loose.n_iter,
        tight.n_iter
    );
    // ‖r‖₂ ≤ 1e-4·‖b‖₂ with b = X̃ᵀỹ/m: the KKT violation (‖r‖_∞) is below it.
    let prep = proxreg_solvers::Prepared::new(&pb, false).unwrap();
    let b_norm = prep
        .gradient_at_zero()
        .iter()
        .map(|v| v * v)
        .sum::<f64>()
        .sqrt();
    assert!(loose.kkt_violation <= 1e-4 * b_norm * (1.0 + 1e-9));
    // and the gap is ‖r‖²/(2α) ≤ (1e-4·‖b‖)²/(2α)
    let gap = loose.duality_gap.unwrap();
    assert!(
        gap <= (1e-4 * b_norm).powi(2) / (2.0 * alpha) * (1.0 + 1e-6),
        "{gap:e}"
    );
}

#[test]
fn bad_cg_settings_are_errors() {
    let (x, y) = sparse_data(20, 10, 1, 0.5, 1);
    let pb = Problem::new(&x, &y, &SquaredL2, 0.1);
    for bad in [
        RidgeDirect::new().tol(0.0),
        RidgeDirect::new().tol(f64::NAN),
        RidgeDirect::new().max_iter(0),
    ] {
        assert!(bad.solve(&pb).is_err());
    }
}

#[test]
fn cg_takes_the_per_coefficient_ridge_of_data_rescaled_for_range() {
    // Column 2 near 1e160: its squared norm overflows, so the data are rescaled by powers of
    // two and the rescaled penalty differs per coefficient (the primal normal equations only).
    let (x0, y) = sparse_data(40, 6, 1, 0.6, 13);
    let x = ColMajor::from_fn(40, 6, |i, j| {
        x0.col(j)[i] * if j == 2 { 1e160 } else { 1.0 } + if j == 2 { 1e158 } else { 0.0 }
    });
    let pb = Problem::new(&x, &y, &SquaredL2, 0.05).fit_intercept(true);
    let chol = RidgeDirect::new()
        .method(RidgeMethod::Cholesky)
        .solve(&pb)
        .unwrap();
    assert!(chol.solution.rescaled);
    let cg = RidgeDirect::new()
        .method(RidgeMethod::ConjugateGradient)
        .solve(&pb)
        .unwrap();
    assert!(cg.solution.rescaled && cg.solution.n_iter > 1);
    check_same(&cg, &chol, 1e-8, "rescaled CG");
    assert!(RidgeDirect::new()
        .method(RidgeMethod::Dual)
        .solve(&pb)
        .is_err());
}

#[test]
fn auto_falls_back_to_the_gram_cholesky_when_cg_misses_on_a_tall_sparse_design() {
    let (x, y) = sparse_data(400, 300, 1, 0.03, 17);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let pb = Problem::new(&csc, &y, &SquaredL2, 1e-3).fit_intercept(true);
    let chol = RidgeDirect::new()
        .method(RidgeMethod::Cholesky)
        .solve(&pb)
        .unwrap();
    // p = 300 > 256: Auto takes CG, which converges with enough iterations ...
    let auto = RidgeDirect::new().solve(&pb).unwrap();
    assert!(auto.solution.n_iter > 1);
    check_same(&auto, &chol, 1e-8, "tall sparse Auto (CG)");
    // ... and, held to 2, misses: Auto then factors (one step, converged).
    let short = RidgeDirect::new().max_iter(2).solve(&pb).unwrap();
    assert_eq!(short.solution.n_iter, 1);
    check_same(&short, &chol, 1e-10, "tall sparse Auto (fallback)");
    // An explicit CG reports the miss.
    let cg = RidgeDirect::new()
        .method(RidgeMethod::ConjugateGradient)
        .max_iter(2)
        .solve(&pb)
        .unwrap();
    assert_eq!(cg.solution.termination, Termination::MaxIterReached);
}
