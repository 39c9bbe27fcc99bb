//! Screening (gap-safe and strong rule) never changes a solution, and does discard features.

use proxreg_core::penalty::{
    BlockSeparablePenalty, Bounded, ElasticNet, L21ElasticNet, SeparablePenalty, Weighted,
    WeightedBlocks, L1, L21,
};
use proxreg_core::Scalar;
use proxreg_linalg::ColMajor;
use proxreg_solvers::{
    alpha_grid, alpha_max, BlockCoordinateDescent, CdMode, CoordinateDescent, Problem, Screening,
    Solver,
};

use crate::common::{problem, Rng};

fn cast<T: Scalar>(x: &ColMajor<f64>, y: &[f64]) -> (ColMajor<T>, Vec<T>) {
    (
        ColMajor::from_fn(x.nrows(), x.ncols(), |i, j| T::lit(x.col(j)[i])),
        y.iter().map(|&v| T::lit(v)).collect(),
    )
}

fn weights(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| 0.2 + 2.0 * rng.uniform()).collect()
}

/// Tight tolerance and coefficient agreement for a scalar type.
fn tols<T: Scalar>() -> (T, f64) {
    if T::epsilon().as_f64() < 1e-10 {
        (T::lit(1e-13), 1e-6)
    } else {
        (T::lit(1e-6), 2e-3)
    }
}

/// Solves with screening on and off; both converge, the coefficients agree, every feature the
/// screened fit discarded is exactly zero there and (near) zero in the unscreened fit. Returns
/// the number of screened features.
#[allow(clippy::too_many_arguments)]
fn compare_sep<T: Scalar, P: SeparablePenalty<T>>(
    x: &ColMajor<f64>,
    y: &[f64],
    sw: Option<&[f64]>,
    intercept: bool,
    pen: &P,
    frac: f64,
    mode: CdMode,
    what: &str,
) -> usize {
    let (xt, yt) = cast::<T>(x, y);
    let swt: Option<Vec<T>> = sw.map(|s| s.iter().map(|&v| T::lit(v)).collect());
    let base = Problem::new(&xt, &yt, pen, T::one())
        .fit_intercept(intercept)
        .sample_weight(swt.as_deref());
    let (tol, coef_tol) = tols::<T>();
    let amax = alpha_max(&CoordinateDescent::new().prepare(&base).unwrap(), &L1).unwrap();
    let pb = base.with_alpha(amax * T::lit(frac));
    let solve = |s: Screening| {
        CoordinateDescent::new()
            .tol(tol)
            .mode(mode)
            .screening(s)
            .solve(&pb, None, &mut ())
            .unwrap()
    };
    let off = solve(Screening::None);
    let on = solve(Screening::GapSafe);
    assert!(
        off.converged() && on.converged(),
        "{what}: {:?} {:?}",
        off.termination,
        on.termination
    );
    assert_eq!(off.n_screened, 0);
    let scale = off
        .coef
        .iter()
        .fold(1.0_f64, |m, v| m.max(v.as_f64().abs()));
    let mut exact_zeros = 0;
    for (a, b) in on.coef.iter().zip(&off.coef) {
        let (a, b) = (a.as_f64(), b.as_f64());
        assert!((a - b).abs() <= coef_tol * scale, "{what}: {a} vs {b}");
        if a == 0.0 {
            exact_zeros += 1;
            assert!(
                b.abs() <= coef_tol * scale,
                "{what}: screened-zero feature is {b}"
            );
        }
    }
    assert!(on.n_screened <= exact_zeros, "{what}");
    let ia = on.intercept[0].as_f64();
    let ib = off.intercept[0].as_f64();
    assert!(
        (ia - ib).abs() <= coef_tol * scale.max(ib.abs()),
        "{what}: intercept"
    );
    on.n_screened
}

fn separable_cases<T: Scalar>() {
    let (x, y) = problem(60, 150, 0.5, 6, 41);
    let (x2, y2) = problem(300, 25, 0.3, 5, 42);
    let sw = weights(60, 43);
    let sw2 = weights(300, 44);
    let en = ElasticNet::new(T::lit(0.6)).unwrap();
    let factors: Vec<T> = (0..150)
        .map(|j| {
            T::lit(if j % 17 == 0 {
                0.0
            } else {
                0.5 + (j % 5) as f64 * 0.3
            })
        })
        .collect();
    let wl1 = Weighted::new(L1, factors.clone()).unwrap();
    let wen = Weighted::new(en, factors).unwrap();
    let nonneg = Bounded::nonnegative(L1);
    let mut screened = 0;
    for (intercept, weighted) in [(false, false), (true, false), (true, true)] {
        let s = if weighted { Some(sw.as_slice()) } else { None };
        let s2 = if weighted { Some(sw2.as_slice()) } else { None };
        for frac in [0.5, 0.1] {
            let tag = format!("i{intercept} w{weighted} {frac}");
            screened += compare_sep::<T, _>(
                &x,
                &y,
                s,
                intercept,
                &L1,
                frac,
                CdMode::Naive,
                &format!("lasso {tag}"),
            );
            screened += compare_sep::<T, _>(
                &x,
                &y,
                s,
                intercept,
                &en,
                frac,
                CdMode::Naive,
                &format!("enet {tag}"),
            );
            screened += compare_sep::<T, _>(
                &x,
                &y,
                s,
                intercept,
                &wl1,
                frac,
                CdMode::Naive,
                &format!("weighted l1 {tag}"),
            );
            screened += compare_sep::<T, _>(
                &x,
                &y,
                s,
                intercept,
                &wen,
                frac,
                CdMode::Naive,
                &format!("weighted enet {tag}"),
            );
            screened += compare_sep::<T, _>(
                &x,
                &y,
                s,
                intercept,
                &nonneg,
                frac,
                CdMode::Naive,
                &format!("nonneg {tag}"),
            );
            screened += compare_sep::<T, _>(
                &x2,
                &y2,
                s2,
                intercept,
                &L1,
                frac,
                CdMode::Gram,
                &format!("gram lasso {tag}"),
            );
            screened += compare_sep::<T, _>(
                &x2,
                &y2,
                s2,
                intercept,
                &en,
                frac,
                CdMode::Gram,
                &format!("gram enet {tag}"),
            );
        }
    }
    assert!(screened > 0);
}

#[test]
fn gap_safe_screening_never_changes_separable_solutions_f64() {
    separable_cases::<f64>();
}

#[test]
fn gap_safe_screening_never_changes_separable_solutions_f32() {
    separable_cases::<f32>();
}

#[test]
fn screening_discards_most_features_of_a_sparse_wide_problem() {
    let (x, y) = problem(80, 600, 0.3, 5, 45);
    let pb = Problem::new(&x, &y, &L1, 1.0);
    let cd = CoordinateDescent::new().tol(1e-10);
    let a = 0.3 * alpha_max(&cd.prepare(&pb).unwrap(), &L1).unwrap();
    let sol = cd.solve(&pb.with_alpha(a), None, &mut ()).unwrap();
    let nnz = sol.coef.iter().filter(|&&v| v != 0.0).count();
    assert!(sol.converged());
    assert!(
        sol.n_screened >= 600 / 2,
        "screened {} of 600 (nnz {nnz})",
        sol.n_screened
    );
    assert!(sol.n_screened <= 600 - nnz);
    // Off: nothing is screened, same answer.
    let off = cd
        .clone()
        .screening(Screening::None)
        .solve(&pb.with_alpha(a), None, &mut ())
        .unwrap();
    assert_eq!(off.n_screened, 0);
    assert!(crate::common::max_diff(&off.coef, &sol.coef) < 1e-7);
}

fn block_cases<T: Scalar>() {
    let (n, p, k) = (50, 40, 3);
    let mut rng = Rng::new(46);
    let (x, _) = problem(n, p, 0.4, 4, 47);
    // Y = X W* + noise with 4 nonzero rows.
    let mut y = vec![0.0; n * k];
    for t in 0..k {
        for &j in &[1usize, 9, 17, 30] {
            let c = rng.normal();
            for i in 0..n {
                y[t * n + i] += c * x.col(j)[i];
            }
        }
        for i in 0..n {
            y[t * n + i] += 0.5 * rng.normal();
        }
    }
    let sw = weights(n, 48);
    let (xt, yt) = cast::<T>(&x, &y);
    let swt: Vec<T> = sw.iter().map(|&v| T::lit(v)).collect();
    let (tol, coef_tol) = tols::<T>();
    let l21 = L21::new(p, k).unwrap();
    let l21en = L21ElasticNet::new(T::lit(0.7), p, k).unwrap();
    let factors: Vec<T> = (0..p)
        .map(|j| {
            T::lit(if j == 3 {
                0.0
            } else {
                1.0 + (j % 3) as f64 * 0.5
            })
        })
        .collect();
    let wl21 = WeightedBlocks::new(L21::new(p, k).unwrap(), factors).unwrap();
    let mut screened = 0;
    #[allow(clippy::too_many_arguments)]
    fn one<T: Scalar, P: BlockSeparablePenalty<T>>(
        xt: &ColMajor<T>,
        yt: &[T],
        sw: Option<&[T]>,
        pen: &P,
        tol: T,
        coef_tol: f64,
        k: usize,
        what: &str,
    ) -> usize {
        let base = Problem::new(xt, yt, pen, T::one())
            .n_tasks(k)
            .fit_intercept(true)
            .sample_weight(sw);
        let bcd = BlockCoordinateDescent::new().tol(tol);
        let amax = alpha_max(
            &bcd.prepare(&base).unwrap(),
            &L21::new(xt.ncols(), k).unwrap(),
        )
        .unwrap();
        let pb = base.with_alpha(amax * T::lit(0.3));
        let on = bcd.clone().solve(&pb, None, &mut ()).unwrap();
        let off = bcd
            .screening(Screening::None)
            .solve(&pb, None, &mut ())
            .unwrap();
        assert!(on.converged() && off.converged(), "{what}");
        let scale = off
            .coef
            .iter()
            .fold(1.0_f64, |m, v| m.max(v.as_f64().abs()));
        for (a, b) in on.coef.iter().zip(&off.coef) {
            assert!(
                (a.as_f64() - b.as_f64()).abs() <= coef_tol * scale,
                "{what}"
            );
        }
        let zero_rows = on
            .coef
            .chunks(k)
            .filter(|r| r.iter().all(|&v| v == T::zero()))
            .count();
        assert!(on.n_screened <= zero_rows, "{what}");
        on.n_screened
    }
    for sw in [None, Some(swt.as_slice())] {
        screened += one(&xt, &yt, sw, &l21, tol, coef_tol, k, "l21");
        screened += one(&xt, &yt, sw, &l21en, tol, coef_tol, k, "l21 enet");
        screened += one(&xt, &yt, sw, &wl21, tol, coef_tol, k, "weighted l21");
    }
    assert!(screened > 0);
}

#[test]
fn block_screening_never_changes_multitask_solutions_f64() {
    block_cases::<f64>();
}

#[test]
fn block_screening_never_changes_multitask_solutions_f32() {
    block_cases::<f32>();
}

fn path_case<T: Scalar>() {
    let (x, y) = problem(50, 120, 0.6, 6, 49);
    let (xt, yt) = cast::<T>(&x, &y);
    let (tol, _) = tols::<T>();
    let en = ElasticNet::new(T::lit(0.8)).unwrap();
    for intercept in [false, true] {
        let pb = Problem::new(&xt, &yt, &en, T::one()).fit_intercept(intercept);
        let cd = CoordinateDescent::new().tol(tol);
        let amax = alpha_max(&cd.prepare(&pb).unwrap(), &en).unwrap();
        let alphas = alpha_grid(amax, 30, T::lit(1e-3)).unwrap();
        let paths: Vec<_> = [Screening::None, Screening::GapSafe, Screening::Strong]
            .iter()
            .map(|&s| cd.clone().screening(s).path(&pb, &alphas).unwrap())
            .collect();
        for path in &paths {
            assert!(path.all_converged());
        }
        // The penalty is μ-strongly convex with μ = α(1 − ρ), so a point with duality gap G is
        // within √(2G/μ) of the solution: the bound two fits must agree to (plus rounding).
        // A computed gap is itself only known to a few ε·P(w) (its Fenchel–Young term cancels
        // at the optimum); that margin is the one the gap-safe rule uses (64·ε·P).
        let eps = T::epsilon().as_f64();
        let g_eff = |s: &proxreg_solvers::Solution<T>| {
            s.duality_gap.unwrap().as_f64() + 64.0 * eps * s.objective.as_f64().abs()
        };
        for (i, &a) in alphas.iter().enumerate() {
            let r = &paths[0].solutions[i];
            let mu = a.as_f64() * 0.2;
            let scale = r.coef.iter().fold(1.0_f64, |m, v| m.max(v.as_f64().abs()));
            for other in &paths[1..] {
                let o = &other.solutions[i];
                let bound =
                    (2.0 * g_eff(r) / mu).sqrt() + (2.0 * g_eff(o) / mu).sqrt() + 1e4 * eps * scale;
                let dist = o
                    .coef
                    .iter()
                    .zip(&r.coef)
                    .map(|(x, y)| (x.as_f64() - y.as_f64()).powi(2))
                    .sum::<f64>()
                    .sqrt();
                assert!(dist <= bound, "point {i}: {dist} > {bound}");
            }
        }
        assert!(paths[1].solutions.iter().any(|s| s.n_screened > 0));
    }
}

#[test]
fn paths_are_equal_with_and_without_screening_f64() {
    path_case::<f64>();
}

#[test]
fn paths_are_equal_with_and_without_screening_f32() {
    path_case::<f32>();
}
