//! Sparse CSC designs run through the engine without densifying (issue #20): every solver and
//! datafit gives the dense matrix's answer (same entries) to rounding, with intercept, sample
//! weights and standardization, for several index types.

use proxreg_core::datafit::Logistic;
use proxreg_core::penalty::{ElasticNet, SquaredL2, L1, L21};
use proxreg_linalg::{ColMajor, CscMatrix};
use proxreg_solvers::{
    alpha_grid, alpha_max, glm_alpha_max, BlockCoordinateDescent, CdMode, CoordinateDescent, Fista,
    GlmCd, Prepared, Problem, ProxGradient, ProxNewton, RidgeDirect, Screening, Solution, Solver,
};

use crate::common::{problem, Rng};

/// The AR(1) design with about 70 % of its entries set to zero, an all-zero column (3), a
/// column with one entry (5) and a constant-free binary column (8); `y` from the dense design
/// before sparsification (so the fit is not trivial).
fn sparse_problem(n: usize, p: usize, seed: u64) -> (ColMajor<f64>, Vec<f64>) {
    let (x, y) = problem(n, p, 0.4, 6, seed);
    let mut rng = Rng::new(seed + 11);
    let d = ColMajor::from_fn(n, p, |i, j| match j {
        3 => 0.0,
        5 => {
            if i == 2 {
                1.5
            } else {
                0.0
            }
        }
        8 => f64::from(u8::from(i % 3 == 0)),
        _ => {
            if rng.uniform() < 0.3 {
                x.col(j)[i] + 0.5
            } else {
                0.0
            }
        }
    });
    (d, y)
}

fn scaled_diff(a: &[f64], b: &[f64]) -> f64 {
    let scale = a.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max)
        / scale
}

fn same(a: &Solution<f64>, b: &Solution<f64>, tol: f64, what: &str) {
    assert!(a.converged() && b.converged(), "{what}: {a:?} / {b:?}");
    let d = scaled_diff(&a.coef, &b.coef);
    assert!(d <= tol, "{what}: coefficients differ by {d:e}");
    let di = scaled_diff(&a.intercept, &b.intercept);
    assert!(di <= tol, "{what}: intercepts differ by {di:e}");
    assert!(b.kkt_violation.is_finite() && b.relative_gap.is_some());
}

#[test]
fn coordinate_descent_on_a_csc_gives_the_dense_answer() {
    let (x, y) = sparse_problem(80, 30, 1);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let csc64 = CscMatrix::<f64, i64>::from_dense(&x).unwrap();
    assert!(csc.nnz() < 80 * 30 / 2);
    let s: Vec<f64> = (0..80).map(|i| 0.25 + (i % 5) as f64).collect();
    let en = ElasticNet::new(0.8).unwrap();
    for (fit_intercept, weights, standardize) in [
        (false, None, false),
        (true, None, false),
        (true, Some(&s[..]), false),
        (true, None, true),
        (true, Some(&s[..]), true),
        (false, Some(&s[..]), true),
    ] {
        let pb_d = Problem::new(&x, &y, &en, 1.0)
            .fit_intercept(fit_intercept)
            .sample_weight(weights)
            .standardize(standardize);
        let amax = alpha_max(&Prepared::new(&pb_d, false).unwrap(), &en).unwrap();
        let what = format!(
            "intercept {fit_intercept}, weights {}, standardize {standardize}",
            weights.is_some()
        );
        for (mode, screening) in [
            (CdMode::Naive, Screening::None),
            (CdMode::Naive, Screening::GapSafe),
            (CdMode::Gram, Screening::None),
        ] {
            let cd = CoordinateDescent::new()
                .tol(1e-13)
                .mode(mode)
                .screening(screening);
            for ratio in [0.5, 0.05, 0.002] {
                let pb_d = pb_d.with_alpha(amax * ratio);
                let pb_s = Problem::new(&csc, &y, &en, amax * ratio)
                    .fit_intercept(fit_intercept)
                    .sample_weight(weights)
                    .standardize(standardize);
                let a = cd.solve(&pb_d, None, &mut ()).unwrap();
                let b = cd.solve(&pb_s, None, &mut ()).unwrap();
                same(
                    &a,
                    &b,
                    1e-9,
                    &format!("{what}, {mode:?}, {screening:?}, ratio {ratio}"),
                );
                assert_eq!(
                    b.coef[3], 0.0,
                    "an all-zero column keeps a zero coefficient"
                );
                let pb_64 = Problem::new(&csc64, &y, &en, amax * ratio)
                    .fit_intercept(fit_intercept)
                    .sample_weight(weights)
                    .standardize(standardize);
                let c = cd.solve(&pb_64, None, &mut ()).unwrap();
                assert_eq!(b.coef, c.coef, "the index type does not change the bits");
            }
        }
    }
}

#[test]
fn a_sparse_lasso_path_matches_the_dense_path() {
    let (x, y) = sparse_problem(60, 120, 2);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let pb_d = Problem::new(&x, &y, &L1, 1.0).fit_intercept(true);
    let view = csc.as_ref();
    let pb_s = Problem::new(&view, &y, &L1, 1.0).fit_intercept(true);
    let amax = alpha_max(&Prepared::new(&pb_d, false).unwrap(), &L1).unwrap();
    let amax_s = alpha_max(&Prepared::new(&pb_s, false).unwrap(), &L1).unwrap();
    assert!((amax - amax_s).abs() <= 1e-12 * amax);
    let grid = alpha_grid(amax, 30, 1e-3).unwrap();
    let cd = CoordinateDescent::new().tol(1e-12);
    let a = cd.path(&pb_d, &grid).unwrap();
    let b = cd.path(&pb_s, &grid).unwrap();
    assert!(b.all_converged());
    for (k, (u, v)) in a.solutions.iter().zip(&b.solutions).enumerate() {
        same(u, v, 1e-8, &format!("path point {k}"));
    }
}

#[test]
fn multi_task_block_descent_on_a_csc() {
    let (x, y1) = sparse_problem(50, 20, 3);
    let (_, y2) = sparse_problem(50, 20, 4);
    let y: Vec<f64> = y1.iter().chain(&y2).copied().collect();
    let csc = CscMatrix::<f64, usize>::from_dense(&x).unwrap();
    let pen = L21::new(20, 2).unwrap();
    let s: Vec<f64> = (0..50).map(|i| 1.0 + (i % 3) as f64).collect();
    let pb_d = Problem::new(&x, &y, &pen, 1.0)
        .n_tasks(2)
        .fit_intercept(true)
        .sample_weight(Some(&s));
    let amax = alpha_max(&Prepared::new(&pb_d, false).unwrap(), &pen).unwrap();
    let bcd = BlockCoordinateDescent::new().tol(1e-13);
    let a = bcd
        .solve(&pb_d.with_alpha(amax / 10.0), None, &mut ())
        .unwrap();
    let pb_s = Problem::new(&csc, &y, &pen, amax / 10.0)
        .n_tasks(2)
        .fit_intercept(true)
        .sample_weight(Some(&s));
    let b = bcd.solve(&pb_s, None, &mut ()).unwrap();
    same(&a, &b, 1e-9, "multi-task");
}

#[test]
fn fista_and_direct_ridge_on_a_csc() {
    let (x, y) = sparse_problem(40, 15, 5);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let pb_d = Problem::new(&x, &y, &L1, 0.05)
        .fit_intercept(true)
        .standardize(true);
    let pb_s = Problem::new(&csc, &y, &L1, 0.05)
        .fit_intercept(true)
        .standardize(true);
    let f = Fista::new().tol(1e-11).max_iter(200_000);
    same(
        &f.solve(&pb_d, None, &mut ()).unwrap(),
        &f.solve(&pb_s, None, &mut ()).unwrap(),
        1e-7,
        "fista",
    );
    let s: Vec<f64> = (0..40).map(|i| 0.5 + (i % 4) as f64).collect();
    for weights in [None, Some(&s[..])] {
        let rd = Problem::new(&x, &y, &SquaredL2, 0.3)
            .fit_intercept(true)
            .sample_weight(weights);
        let rs = Problem::new(&csc, &y, &SquaredL2, 0.3)
            .fit_intercept(true)
            .sample_weight(weights);
        let a = RidgeDirect::new().solve(&rd).unwrap();
        let b = RidgeDirect::new().solve(&rs).unwrap();
        assert!(scaled_diff(&a.solution.coef, &b.solution.coef) <= 1e-10);
        assert!(scaled_diff(&a.solution.intercept, &b.solution.intercept) <= 1e-10);
    }
}

fn binary(x: &ColMajor<f64>, y: &[f64]) -> Vec<f64> {
    let _ = x;
    y.iter().map(|&v| f64::from(u8::from(v > 0.2))).collect()
}

#[test]
fn logistic_solvers_on_a_csc_give_the_dense_answer() {
    let (x, y) = sparse_problem(90, 40, 6);
    let yb = binary(&x, &y);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let s: Vec<f64> = (0..90).map(|i| 0.5 + (i % 3) as f64).collect();
    let en = ElasticNet::new(0.9).unwrap();
    for (weights, standardize) in [
        (None, false),
        (Some(&s[..]), false),
        (None, true),
        (Some(&s[..]), true),
    ] {
        let pb_d = Problem::new(&x, &yb, &en, 1.0)
            .datafit(Logistic)
            .fit_intercept(true)
            .sample_weight(weights)
            .standardize(standardize);
        let pb_s = Problem::new(&csc, &yb, &en, 1.0)
            .datafit(Logistic)
            .fit_intercept(true)
            .sample_weight(weights)
            .standardize(standardize);
        let amax = glm_alpha_max(&pb_d).unwrap();
        assert!((glm_alpha_max(&pb_s).unwrap() - amax).abs() <= 1e-12 * amax);
        let what = format!("weights {}, standardize {standardize}", weights.is_some());
        let pn = ProxNewton::new().tol(1e-12);
        let grid = alpha_grid(amax, 12, 1e-2).unwrap();
        let a = pn.path(&pb_d, &grid).unwrap();
        let b = pn.path(&pb_s, &grid).unwrap();
        for (u, v) in a.solutions.iter().zip(&b.solutions) {
            same(u, v, 1e-7, &format!("prox-Newton, {what}"));
        }
        let pb_d = pb_d.with_alpha(amax / 8.0);
        let pb_s = pb_s.with_alpha(amax / 8.0);
        let g = GlmCd::new().tol(1e-11);
        same(
            &g.solve(&pb_d, None, &mut ()).unwrap(),
            &g.solve(&pb_s, None, &mut ()).unwrap(),
            1e-7,
            &format!("GlmCd, {what}"),
        );
        let pg = ProxGradient::new().tol(1e-10).max_iter(100_000);
        same(
            &pg.solve(&pb_d, None, &mut ()).unwrap(),
            &pg.solve(&pb_s, None, &mut ()).unwrap(),
            1e-6,
            &format!("ProxGradient, {what}"),
        );
    }
}

#[test]
fn csc_gram_of_the_prepared_problem_matches_the_dense_one() {
    let (x, y) = sparse_problem(30, 6, 7);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let s: Vec<f64> = (0..30).map(|i| 1.0 + (i % 2) as f64).collect();
    for standardize in [false, true] {
        let d = Prepared::new(
            &Problem::new(&x, &y, &L1, 0.1)
                .fit_intercept(true)
                .sample_weight(Some(&s))
                .standardize(standardize),
            true,
        )
        .unwrap();
        let sp = Prepared::new(
            &Problem::new(&csc, &y, &L1, 0.1)
                .fit_intercept(true)
                .sample_weight(Some(&s))
                .standardize(standardize),
            true,
        )
        .unwrap();
        assert!(scaled_diff(d.centered_gram().as_slice(), sp.centered_gram().as_slice()) <= 1e-12);
        assert!(
            scaled_diff(
                d.centered_design().as_slice(),
                sp.centered_design().as_slice()
            ) <= 1e-13
        );
        assert!(scaled_diff(&d.gradient_at_zero(), &sp.gradient_at_zero()) <= 1e-13);
        let (od, os) = (
            d.centered_products(&x, true).unwrap(),
            sp.centered_products(&csc, true).unwrap(),
        );
        assert!(scaled_diff(od.as_slice(), os.as_slice()) <= 1e-12);
        assert_eq!(csc.nrows(), 30);
    }
}

#[test]
fn f32_csc_fits_like_the_f32_dense_matrix() {
    let (x, y) = sparse_problem(70, 25, 8);
    let (x32, y32) = crate::common::to_f32(&x, &y);
    let csc = CscMatrix::<f32, u32>::from_dense(&x32).unwrap();
    let s: Vec<f32> = (0..70).map(|i| 0.5 + (i % 3) as f32).collect();
    for standardize in [false, true] {
        let pb_d = Problem::new(&x32, &y32, &L1, 0.05_f32)
            .fit_intercept(true)
            .sample_weight(Some(&s))
            .standardize(standardize);
        let pb_s = Problem::new(&csc, &y32, &L1, 0.05_f32)
            .fit_intercept(true)
            .sample_weight(Some(&s))
            .standardize(standardize);
        let cd = CoordinateDescent::new().tol(1e-5_f32);
        let a = cd.solve(&pb_d, None, &mut ()).unwrap();
        let b = cd.solve(&pb_s, None, &mut ()).unwrap();
        assert!(a.converged() && b.converged());
        let scale = a.coef.iter().fold(1.0_f32, |m, v| m.max(v.abs()));
        let d = a
            .coef
            .iter()
            .zip(&b.coef)
            .map(|(u, v)| (u - v).abs())
            .fold(0.0_f32, f32::max);
        assert!(d <= 2e-3 * scale, "f32 coefficients differ by {d}");
        assert!((a.intercept[0] - b.intercept[0]).abs() <= 2e-3 * scale);
    }
}

#[test]
fn auto_ridge_on_a_wide_csc_falls_back_to_the_dual_when_cg_stops_short() {
    let (x, y) = sparse_problem(30, 70, 9);
    let csc = CscMatrix::<f64, u32>::from_dense(&x).unwrap();
    let s: Vec<f64> = (0..30).map(|i| 1.0 + (i % 2) as f64).collect();
    let pd = Problem::new(&x, &y, &SquaredL2, 1e-3)
        .fit_intercept(true)
        .sample_weight(Some(&s));
    let ps = Problem::new(&csc, &y, &SquaredL2, 1e-3)
        .fit_intercept(true)
        .sample_weight(Some(&s));
    let dense = RidgeDirect::new()
        .method(proxreg_solvers::RidgeMethod::Dual)
        .solve(&pd)
        .unwrap();
    // Two CG iterations cannot reach the tolerance: Auto factors the dual instead.
    let auto = RidgeDirect::new().max_iter(2).solve(&ps).unwrap();
    assert_eq!(
        auto.solution.termination,
        proxreg_solvers::Termination::Converged
    );
    assert!(scaled_diff(&dense.solution.coef, &auto.solution.coef) <= 1e-9);
}
