//! `GroupCd` (group block coordinate descent): the committed skglm group lasso / sparse group
//! lasso references (least squares and logistic, contiguous and scattered groups, an
//! unpenalized group), singleton groups against the Lasso, f32, paths, and typed errors.

use proxreg_core::datafit::{Datafit, Huber, Logistic, Poisson, Quadratic};
use proxreg_core::penalty::{GroupLasso, Groups, L1};
use proxreg_core::Error;
use proxreg_fixtures::group_lasso::{
    load_group_lasso, GroupFamily, GroupLassoCase, GroupLassoProblem,
};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{CoordinateDescent, GroupCd, Problem, ProxNewton, Solution, Solver};

use crate::common::{problem, to_f32};

/// `max(|Δcoef|, |Δintercept|) / max(1, ‖reference‖_∞)`.
fn rel_diff(coef: &[f64], intercept: f64, ref_coef: &[f64], ref_intercept: f64) -> f64 {
    let scale = ref_coef.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    coef.iter()
        .zip(ref_coef)
        .map(|(u, v)| (u - v).abs())
        .fold((intercept - ref_intercept).abs(), f64::max)
        / scale
}

fn design(pb: &GroupLassoProblem) -> ColMajor<f64> {
    ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap()
}

fn penalty(case: &GroupLassoCase, p: usize) -> GroupLasso<f64> {
    let groups = Groups::new(&case.groups, p).unwrap();
    GroupLasso::sparse(groups, Some(case.group_weights.clone()), case.tau).unwrap()
}

type BaseProblem<'a> = Problem<'a, f64, ColMajor<f64>, GroupLasso<f64>, Quadratic>;

/// `solver` on `base` with the case's datafit: (solution, alpha_max).
fn solve_family(
    solver: GroupCd<f64>,
    case: &GroupLassoCase,
    base: &BaseProblem<'_>,
) -> (Solution<f64>, f64) {
    fn go<F: Datafit<f64>>(
        solver: GroupCd<f64>,
        pb: &Problem<'_, f64, ColMajor<f64>, GroupLasso<f64>, F>,
    ) -> (Solution<f64>, f64) {
        let am = solver.alpha_max(pb).unwrap();
        (solver.solve(pb, None, &mut ()).unwrap(), am)
    }
    let b = *base;
    match case.family {
        GroupFamily::Gaussian => go(solver, &b),
        GroupFamily::Binomial => go(solver, &b.datafit(Logistic)),
        GroupFamily::Poisson => go(solver, &b.datafit(Poisson)),
        GroupFamily::Huber => go(solver, &b.datafit(Huber::new(case.delta.unwrap()).unwrap())),
    }
}

/// Solves one case (tight tolerances) and returns (solution, alpha_max).
fn solve_case(case: &GroupLassoCase, pb: &GroupLassoProblem) -> (Solution<f64>, f64) {
    let x = design(pb);
    let pen = penalty(case, pb.n_features);
    let solver = GroupCd::new().tol(1e-15).kkt_tol(1e-15);
    let base = Problem::new(&x, &pb.y, &pen, case.alpha).fit_intercept(case.fit_intercept);
    solve_family(solver, case, &base)
}

#[test]
fn group_cd_matches_the_skglm_references() {
    let fx = load_group_lasso().unwrap();
    assert_eq!(fx.cases.len(), 19);
    let (mut worst_coef, mut worst_am, mut worst_kkt) = (0.0_f64, 0.0_f64, 0.0_f64);
    for case in &fx.cases {
        let pb = fx.problem(case).unwrap();
        let (sol, am) = solve_case(case, pb);
        assert!(sol.converged(), "{}: {:?}", case.name, sol.termination);
        let d = rel_diff(&sol.coef, sol.intercept[0], &case.coef, case.intercept);
        let d_am = (am - case.alpha_max).abs() / case.alpha_max;
        // Our own point judged by the fixture's (independent) KKT formula.
        let (kkt, kkt_b) = case.kkt(pb, &sol.coef, sol.intercept[0]);
        eprintln!(
            "{:28} coef/intercept rel diff {d:.2e}  alpha_max rel diff {d_am:.2e}  kkt {kkt:.1e} \
             (ours {:.1e}) gap {:?} epochs {}",
            case.name, sol.kkt_violation, sol.relative_gap, sol.n_iter
        );
        assert!(d <= 1e-6, "{}: coefficients differ by {d:e}", case.name);
        assert!(
            d_am <= 1e-10,
            "{}: alpha_max {am} vs {}",
            case.name,
            case.alpha_max
        );
        assert!(
            kkt <= 1e-9 && kkt_b <= 1e-9,
            "{}: kkt {kkt:e} {kkt_b:e}",
            case.name
        );
        assert!(sol.kkt_violation <= 1e-9, "{}", case.name);
        // the exact zeros of skglm's solution are exact zeros of ours
        for (j, (&a, &b)) in sol.coef.iter().zip(&case.coef).enumerate() {
            assert_eq!(a == 0.0, b == 0.0, "{}: support differs at {j}", case.name);
        }
        worst_coef = worst_coef.max(d);
        worst_am = worst_am.max(d_am);
        worst_kkt = worst_kkt.max(kkt.max(kkt_b));
    }
    eprintln!(
        "worst: coef/intercept {worst_coef:.2e}, alpha_max {worst_am:.2e}, fixture-KKT {worst_kkt:.1e}"
    );
}

/// At `alpha_max` the fit is exactly zero on the penalized groups; just below it is not.
#[test]
fn zero_at_alpha_max_and_not_below() {
    let fx = load_group_lasso().unwrap();
    for name in [
        "gl_small_0.1",
        "sgl_small_tau0.7_0.05",
        "gl_binary_0.05",
        "gl_counts_0.4",
        "gl_robust_0.4",
        "sgl_robust_tau0.3_0.1",
    ] {
        let case = fx.case(name).unwrap();
        let pb = fx.problem(case).unwrap();
        let x = design(pb);
        let pen = penalty(case, pb.n_features);
        let solver = GroupCd::new().tol(1e-12);
        let run = |alpha: f64| {
            let base = Problem::new(&x, &pb.y, &pen, alpha).fit_intercept(true);
            solve_family(solver, case, &base).0
        };
        let at = run(case.alpha_max);
        assert!(at.coef.iter().all(|&v| v == 0.0), "{name}: {:?}", at.coef);
        let below = run(case.alpha_max * 0.98);
        assert!(below.coef.iter().any(|&v| v != 0.0), "{name}");
    }
}

/// Singleton groups with unit weights and `τ = 0` are the Lasso: same solution as coordinate
/// descent with `L1`.
#[test]
fn singleton_groups_equal_the_lasso() {
    let (x, y) = problem(50, 12, 0.5, 4, 11);
    let pen = GroupLasso::new(Groups::contiguous(&[1; 12]).unwrap(), Some(vec![1.0; 12])).unwrap();
    for fit_intercept in [true, false] {
        let pb_l1 = Problem::new(&x, &y, &L1, 1.0).fit_intercept(fit_intercept);
        let pb_g = Problem::new(&x, &y, &pen, 1.0).fit_intercept(fit_intercept);
        let am = GroupCd::new().alpha_max(&pb_g).unwrap();
        for rel in [0.5, 0.1, 0.01] {
            let a = am * rel;
            let lasso = CoordinateDescent::new()
                .tol(1e-14)
                .solve(&pb_l1.with_alpha(a), None, &mut ())
                .unwrap();
            let grp = GroupCd::new()
                .tol(1e-14)
                .solve(&pb_g.with_alpha(a), None, &mut ())
                .unwrap();
            let d = rel_diff(&grp.coef, grp.intercept[0], &lasso.coef, lasso.intercept[0]);
            assert!(d <= 1e-8, "rel {rel} intercept {fit_intercept}: {d:e}");
        }
    }
}

/// Poisson has no curvature bound: `GroupCd` steps with local step constants and checks
/// sufficient decrease on the objective itself. Singleton groups with unit weights are then the
/// Poisson Lasso, which the proximal Newton solver fits independently; larger groups reach the
/// same certificates.
#[test]
fn poisson_singleton_groups_equal_the_proximal_newton_lasso() {
    let (x, eta) = problem(80, 9, 0.4, 3, 17);
    // Counts with a spread of means (up to e^2.5): the curvature bound changes along the fit.
    let y: Vec<f64> = eta
        .iter()
        .enumerate()
        .map(|(i, e)| {
            ((0.3 * e).clamp(-2.0, 2.5).exp() * (1.0 + f64::from((i % 5) as u8) / 4.0)).floor()
        })
        .collect();
    let single = GroupLasso::new(Groups::contiguous(&[1; 9]).unwrap(), Some(vec![1.0; 9])).unwrap();
    let triples = GroupLasso::new(Groups::contiguous(&[3; 3]).unwrap(), None).unwrap();
    for fit_intercept in [true, false] {
        let pb_l1 = Problem::new(&x, &y, &L1, 1.0)
            .fit_intercept(fit_intercept)
            .datafit(Poisson);
        let pb_g = Problem::new(&x, &y, &single, 1.0)
            .fit_intercept(fit_intercept)
            .datafit(Poisson);
        let am = GroupCd::new().alpha_max(&pb_g).unwrap();
        let am_l1 = proxreg_solvers::glm_alpha_max(&pb_l1).unwrap();
        assert!((am - am_l1).abs() <= 1e-10 * am_l1, "{am} vs {am_l1}");
        for rel in [0.5, 0.1, 0.01] {
            let a = am * rel;
            let lasso = ProxNewton::default()
                .tol(1e-14)
                .solve(&pb_l1.with_alpha(a), None, &mut ())
                .unwrap();
            let grp = GroupCd::new()
                .tol(1e-14)
                .solve(&pb_g.with_alpha(a), None, &mut ())
                .unwrap();
            assert!(grp.converged(), "rel {rel}: {:?}", grp.termination);
            let d = rel_diff(&grp.coef, grp.intercept[0], &lasso.coef, lasso.intercept[0]);
            assert!(d <= 1e-8, "rel {rel} intercept {fit_intercept}: {d:e}");
            let pb_t = Problem::new(&x, &y, &triples, a)
                .fit_intercept(fit_intercept)
                .datafit(Poisson);
            let t = GroupCd::new()
                .tol(1e-12)
                .solve(&pb_t, None, &mut ())
                .unwrap();
            assert!(t.converged() && t.relative_gap.unwrap() <= 1e-12, "{t:?}");
        }
    }
}

/// f32: a fixture case solved in single precision agrees to single-precision accuracy.
#[test]
fn f32_runs_agree_with_the_reference() {
    let fx = load_group_lasso().unwrap();
    for name in ["gl_small_0.1", "sgl_small_tau0.2_0.05", "gl_scattered_0.05"] {
        let case = fx.case(name).unwrap();
        let pb = fx.problem(case).unwrap();
        let (x, y) = to_f32(&design(pb), &pb.y);
        let groups = Groups::new(&case.groups, pb.n_features).unwrap();
        let w: Vec<f32> = case.group_weights.iter().map(|&c| c as f32).collect();
        let pen = GroupLasso::sparse(groups, Some(w), case.tau as f32).unwrap();
        let sol = GroupCd::new()
            .tol(1e-6_f32)
            .solve(
                &Problem::new(&x, &y, &pen, case.alpha as f32).fit_intercept(case.fit_intercept),
                None,
                &mut (),
            )
            .unwrap();
        assert!(sol.converged(), "{name}: {:?}", sol.termination);
        let coef: Vec<f64> = sol.coef.iter().map(|&v| f64::from(v)).collect();
        let d = rel_diff(
            &coef,
            f64::from(sol.intercept[0]),
            &case.coef,
            case.intercept,
        );
        assert!(d <= 1e-3, "{name}: {d:e}");
    }
}

/// A warm-started path gives the single fits.
#[test]
fn path_points_equal_single_fits() {
    let fx = load_group_lasso().unwrap();
    let case = fx.case("sgl_small_tau0.2_0.05").unwrap();
    let pb = fx.problem(case).unwrap();
    let x = design(pb);
    let pen = penalty(case, pb.n_features);
    let solver = GroupCd::new().tol(1e-13);
    let problem = Problem::new(&x, &pb.y, &pen, 1.0).fit_intercept(true);
    let alphas: Vec<f64> = [1.0, 0.5, 0.2, 0.05]
        .iter()
        .map(|r| r * case.alpha_max)
        .collect();
    let path = solver.path(&problem, &alphas).unwrap();
    for (a, s) in alphas.iter().zip(&path.solutions) {
        let single = solver
            .solve(&problem.with_alpha(*a), None, &mut ())
            .unwrap();
        let d = rel_diff(&s.coef, s.intercept[0], &single.coef, single.intercept[0]);
        assert!(d <= 1e-9, "alpha {a}: {d:e}");
    }
    let last = path.solutions.last().unwrap();
    let d = rel_diff(&last.coef, last.intercept[0], &case.coef, case.intercept);
    assert!(d <= 1e-6, "{d:e}");
}

#[test]
fn bad_inputs_are_typed_errors() {
    let (x, y) = problem(20, 6, 0.3, 2, 3);
    let pen5 = GroupLasso::new(Groups::contiguous(&[2, 3]).unwrap(), None).unwrap();
    let err = GroupCd::new()
        .solve(&Problem::new(&x, &y, &pen5, 0.1), None, &mut ())
        .unwrap_err();
    assert!(matches!(err, Error::DimensionMismatch { .. }), "{err:?}");
    let pen = GroupLasso::new(Groups::contiguous(&[2, 4]).unwrap(), None).unwrap();
    for alpha in [f64::NAN, -1.0, f64::INFINITY] {
        let err = GroupCd::new()
            .solve(&Problem::new(&x, &y, &pen, alpha), None, &mut ())
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "alpha", .. }),
            "{err:?}"
        );
    }
    for tol in [0.0, f64::NAN] {
        let err = GroupCd::new()
            .tol(tol)
            .solve(&Problem::new(&x, &y, &pen, 0.1), None, &mut ())
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "tol", .. }),
            "{err:?}"
        );
    }
    let err = GroupCd::new()
        .solve(&Problem::new(&x, &y, &pen, 0.1), Some(&[0.0; 3]), &mut ())
        .unwrap_err();
    assert!(matches!(err, Error::DimensionMismatch { .. }), "{err:?}");
    let mut y_nan = y.clone();
    y_nan[2] = f64::NAN;
    let err = GroupCd::new()
        .solve(&Problem::new(&x, &y_nan, &pen, 0.1), None, &mut ())
        .unwrap_err();
    assert!(matches!(err, Error::NonFinite { .. }), "{err:?}");
    let err = GroupCd::new()
        .solve(
            &Problem::new(&x, &y, &pen, 0.1).datafit(Poisson),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidTarget { .. }), "{err:?}");
    let err = GroupCd::new()
        .solve(
            &Problem::new(&x, &y, &pen, 0.1).datafit(Logistic),
            None,
            &mut (),
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidTarget { .. }), "{err:?}");
}

/// Integer sample weights equal repeated rows (least squares and logistic).
#[test]
fn integer_weights_equal_repeated_rows() {
    let fx = load_group_lasso().unwrap();
    for name in ["sgl_small_tau0.2_0.05", "gl_binary_0.05"] {
        let case = fx.case(name).unwrap();
        let pb = fx.problem(case).unwrap();
        let (n, p) = (pb.n_samples, pb.n_features);
        let counts: Vec<f64> = (0..n).map(|i| f64::from(1 + (i % 3) as u8)).collect();
        let x = design(pb);
        let mut rows = Vec::new();
        let mut y_rep = Vec::new();
        for i in 0..n {
            for _ in 0..counts[i] as usize {
                rows.push(i);
                y_rep.push(pb.y[i]);
            }
        }
        let x_rep = ColMajor::from_fn(rows.len(), p, |r, j| x.col(j)[rows[r]]);
        let pen = penalty(case, p);
        let solver = GroupCd::new().tol(1e-14);
        let (w, r) = if case.family == GroupFamily::Gaussian {
            let a = Problem::new(&x, &pb.y, &pen, case.alpha)
                .fit_intercept(true)
                .sample_weight(Some(&counts));
            let b = Problem::new(&x_rep, &y_rep, &pen, case.alpha).fit_intercept(true);
            (
                solver.solve(&a, None, &mut ()).unwrap(),
                solver.solve(&b, None, &mut ()).unwrap(),
            )
        } else {
            let a = Problem::new(&x, &pb.y, &pen, case.alpha)
                .fit_intercept(true)
                .sample_weight(Some(&counts))
                .datafit(Logistic);
            let b = Problem::new(&x_rep, &y_rep, &pen, case.alpha)
                .fit_intercept(true)
                .datafit(Logistic);
            (
                solver.solve(&a, None, &mut ()).unwrap(),
                solver.solve(&b, None, &mut ()).unwrap(),
            )
        };
        let d = rel_diff(&w.coef, w.intercept[0], &r.coef, r.intercept[0]);
        assert!(d <= 1e-9, "{name}: {d:e}");
        assert!(w.coef.iter().any(|&v| v != 0.0));
    }
}

/// Group coordinate descent equals the proximal gradient solvers, which use only the generic
/// `Penalty` methods (prox of the whole vector): FISTA for least squares, `ProxGradient` for
/// logistic; scattered groups, sparse group lasso.
#[test]
fn group_cd_equals_proximal_gradient() {
    use proxreg_solvers::{Fista, ProxGradient};
    let (x, y) = problem(60, 9, 0.4, 4, 21);
    let groups = Groups::new(&[vec![0, 5, 7], vec![2], vec![1, 3], vec![4, 6, 8]], 9).unwrap();
    let pen = GroupLasso::sparse(groups, None, 0.3).unwrap();
    let pb = Problem::new(&x, &y, &pen, 1.0).fit_intercept(true);
    let am = GroupCd::new().alpha_max(&pb).unwrap();
    let a = 0.1 * am;
    let cd = GroupCd::new()
        .tol(1e-14)
        .solve(&pb.with_alpha(a), None, &mut ())
        .unwrap();
    let fi = Fista::new()
        .tol(1e-14)
        .max_iter(200_000)
        .solve(&pb.with_alpha(a), None, &mut ())
        .unwrap();
    assert!(fi.converged());
    let d = rel_diff(&cd.coef, cd.intercept[0], &fi.coef, fi.intercept[0]);
    assert!(d <= 1e-8, "least squares: {d:e}");
    assert!(cd.coef.contains(&0.0) && cd.coef.iter().any(|&v| v != 0.0));

    let yb: Vec<f64> = y.iter().map(|&v| f64::from(u8::from(v > 0.0))).collect();
    let pbl = Problem::new(&x, &yb, &pen, 1.0)
        .fit_intercept(true)
        .datafit(Logistic);
    let am = GroupCd::new().alpha_max(&pbl).unwrap();
    let a = 0.1 * am;
    let cd = GroupCd::new()
        .tol(1e-14)
        .solve(&pbl.with_alpha(a), None, &mut ())
        .unwrap();
    let pg = ProxGradient::new()
        .tol(1e-14)
        .max_iter(200_000)
        .solve(&pbl.with_alpha(a), None, &mut ())
        .unwrap();
    assert!(pg.converged());
    let d = rel_diff(&cd.coef, cd.intercept[0], &pg.coef, pg.intercept[0]);
    assert!(d <= 1e-8, "logistic: {d:e}");
}

/// Working sets change the route, not the answer: on a problem with many small groups, fits
/// with and without them agree, and with them fewer group updates are made.
#[test]
fn working_sets_give_the_same_solution() {
    let (x, y) = problem(80, 60, 0.5, 5, 8);
    let labels: Vec<usize> = (0..60).map(|j| (j * 7) % 20).collect();
    let pen = GroupLasso::sparse(Groups::from_labels(&labels).unwrap(), None, 0.2).unwrap();
    let pb = Problem::new(&x, &y, &pen, 1.0).fit_intercept(true);
    let am = GroupCd::new().alpha_max(&pb).unwrap();
    for rel in [0.3, 0.05] {
        let pa = pb.with_alpha(rel * am);
        let with = GroupCd::new().tol(1e-13).solve(&pa, None, &mut ()).unwrap();
        let without = GroupCd::new()
            .tol(1e-13)
            .working_set(false)
            .solve(&pa, None, &mut ())
            .unwrap();
        assert!(with.converged() && without.converged());
        let d = rel_diff(
            &with.coef,
            with.intercept[0],
            &without.coef,
            without.intercept[0],
        );
        assert!(d <= 1e-9, "rel {rel}: {d:e}");
        eprintln!(
            "rel {rel}: group updates with working sets {}, without {}",
            with.n_updates, without.n_updates
        );
    }
    let err = GroupCd::<f64>::new()
        .working_set_size(0)
        .check()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidParameter {
            name: "working_set_size",
            ..
        }
    ));
}

/// Anderson extrapolation changes the route, not the answer: on correlated designs (least
/// squares and logistic, group and sparse group lasso, with an intercept) fits with the default
/// depth and with it off (`anderson(0)`) agree to the tolerance's scale, both certify, and on
/// the least-squares problems extrapolation takes fewer epochs.
#[test]
fn anderson_gives_the_same_solution_in_fewer_epochs() {
    let (x, y) = problem(120, 80, 0.8, 8, 21);
    let ybin: Vec<f64> = y.iter().map(|&v| f64::from(u8::from(v > 0.0))).collect();
    let labels: Vec<usize> = (0..80).map(|j| j / 5).collect();
    let gl = GroupLasso::new(Groups::from_labels(&labels).unwrap(), None).unwrap();
    let sgl = GroupLasso::sparse(Groups::from_labels(&labels).unwrap(), None, 0.3).unwrap();
    let mut max_d = 0.0_f64;
    for (name, pen) in [("group lasso", &gl), ("sparse group lasso", &sgl)] {
        for logistic in [false, true] {
            let run = |solver: GroupCd<f64>, rel: f64| {
                if logistic {
                    let pb = Problem::new(&x, &ybin, pen, 1.0)
                        .fit_intercept(true)
                        .datafit(Logistic);
                    let am = solver.alpha_max(&pb).unwrap();
                    solver
                        .solve(&pb.with_alpha(rel * am), None, &mut ())
                        .unwrap()
                } else {
                    let pb = Problem::new(&x, &y, pen, 1.0).fit_intercept(true);
                    let am = solver.alpha_max(&pb).unwrap();
                    solver
                        .solve(&pb.with_alpha(rel * am), None, &mut ())
                        .unwrap()
                }
            };
            for rel in [0.1, 0.01] {
                let with = run(GroupCd::new().tol(1e-12), rel);
                let without = run(GroupCd::new().tol(1e-12).anderson(0), rel);
                assert!(with.converged() && without.converged(), "{name} {rel}");
                assert!(with.relative_gap.unwrap() <= 1e-12, "{name} {rel}");
                let d = rel_diff(
                    &with.coef,
                    with.intercept[0],
                    &without.coef,
                    without.intercept[0],
                );
                max_d = max_d.max(d);
                assert!(d <= 1e-9, "{name} logistic {logistic} rel {rel}: {d:e}");
                eprintln!(
                    "{name} logistic {logistic} rel {rel}: epochs with Anderson {}, without {}, diff {d:e}",
                    with.n_iter, without.n_iter
                );
                if !logistic && rel == 0.01 {
                    assert!(
                        with.n_iter < without.n_iter,
                        "{name}: {} vs {}",
                        with.n_iter,
                        without.n_iter
                    );
                }
            }
        }
    }
    eprintln!("largest relative difference {max_d:e}");
}

/// The sufficient-decrease safeguard: with every power-iteration step constant made 100× (or
/// 5×) too small through the testing hook, the objective after `k` epochs (working sets off, so
/// the run with `max_iter = k` is a prefix of the run with `k + 1`) never increases, and the
/// fit still reaches the skglm reference.
#[test]
fn too_small_step_constants_still_decrease_monotonically() {
    let fx = load_group_lasso().unwrap();
    for name in [
        "gl_small_0.1",
        "sgl_small_tau0.7_0.05",
        "gl_binary_0.05",
        "gl_counts_0.05",
        "sgl_robust_tau0.3_0.1",
    ] {
        let case = fx.case(name).unwrap();
        let pb = fx.problem(case).unwrap();
        let x = design(pb);
        let pen = penalty(case, pb.n_features);
        let base = Problem::new(&x, &pb.y, &pen, case.alpha).fit_intercept(case.fit_intercept);
        for factor in [0.01, 0.2] {
            let run = |solver: GroupCd<f64>| solve_family(solver, case, &base).0;
            let solver = GroupCd::new()
                .tol(1e-14)
                .working_set(false)
                .step_constant_scale(factor);
            // Without a curvature bound (Poisson) the safeguard compares objective values, so
            // it decides a decrease up to their rounding (a few ε·Σ|s̄ℓ|).
            let slack = if case.family == GroupFamily::Poisson {
                1e-13
            } else {
                1e-14
            };
            let mut prev = f64::INFINITY;
            for k in 1..=40 {
                let obj = run(solver.max_iter(k)).objective;
                assert!(
                    obj <= prev * (1.0 + slack),
                    "{name} factor {factor}: objective rose at epoch {k}: {prev} -> {obj}"
                );
                prev = obj;
            }
            let sol = run(solver.max_iter(100_000));
            assert!(sol.converged(), "{name} factor {factor}");
            let d = rel_diff(&sol.coef, sol.intercept[0], &case.coef, case.intercept);
            assert!(d <= 1e-6, "{name} factor {factor}: {d:e}");
        }
    }
    let err = GroupCd::<f64>::new()
        .step_constant_scale(0.0)
        .check()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidParameter {
            name: "step_constant_scale",
            ..
        }
    ));
}

/// (name, X, y, penalty, alpha, fit_intercept, logistic)
type FreeCase = (
    String,
    ColMajor<f64>,
    Vec<f64>,
    GroupLasso<f64>,
    f64,
    bool,
    bool,
);

/// Unpenalized groups (weight 0, `τ = 0`) get an honest duality gap: the fixture cases with
/// one (no intercept) and built cases with an intercept, least squares and logistic. At every
/// round the gap exists, is `≥ 0` and bounds the suboptimality `P(w_k) − P(w*)`; at the
/// solution it is tiny.
#[test]
fn unpenalized_groups_have_an_honest_gap() {
    let fx = load_group_lasso().unwrap();
    let mut cases: Vec<FreeCase> = Vec::new();
    for name in ["gl_scattered_0.3", "gl_scattered_0.05"] {
        let case = fx.case(name).unwrap();
        assert!(case.group_weights.contains(&0.0));
        let pb = fx.problem(case).unwrap();
        cases.push((
            name.into(),
            design(pb),
            pb.y.clone(),
            penalty(case, pb.n_features),
            case.alpha,
            case.fit_intercept,
            false,
        ));
    }
    for name in ["gl_small_0.1", "gl_binary_0.05", "sgl_binary_tau0.5_0.1"] {
        let case = fx.case(name).unwrap();
        let pb = fx.problem(case).unwrap();
        let mut weights = case.group_weights.clone();
        weights[1] = 0.0;
        let groups = Groups::new(&case.groups, pb.n_features).unwrap();
        let logistic = case.family == GroupFamily::Binomial;
        // τ > 0 keeps the group penalized (by L1): use the group lasso there
        let pen = GroupLasso::new(groups, Some(weights)).unwrap();
        cases.push((
            format!("{name} (group 1 free)"),
            design(pb),
            pb.y.clone(),
            pen,
            case.alpha,
            true,
            logistic,
        ));
    }
    for (name, x, y, pen, alpha, intercept, logistic) in &cases {
        let base = Problem::new(x, y, pen, *alpha).fit_intercept(*intercept);
        let run = |solver: GroupCd<f64>| {
            if *logistic {
                solver
                    .solve(&base.datafit(Logistic), None, &mut ())
                    .unwrap()
            } else {
                solver.solve(&base, None, &mut ()).unwrap()
            }
        };
        let best = run(GroupCd::new().tol(1e-15).kkt_tol(1e-15));
        let gap = best.duality_gap.expect("a gap with an unpenalized group");
        assert!(gap >= 0.0, "{name}: {gap}");
        assert!(best.relative_gap.unwrap() <= 1e-12, "{name}: {gap:e}");
        let mut kkt_only = 0;
        for k in 1..=12 {
            let s = run(GroupCd::new().tol(1e-15).working_set(false).max_iter(k));
            // least squares: always a gap; logistic: none while the projected dual point is
            // outside the conjugate's domain (far from the optimum)
            let Some(g) = s.duality_gap else {
                assert!(
                    *logistic,
                    "{name} epoch {k}: least squares always has a gap"
                );
                kkt_only += 1;
                continue;
            };
            let sub = s.objective - best.objective;
            assert!(
                g >= 0.0 && g >= sub - 1e-13 * best.objective.abs(),
                "{name} epoch {k}: gap {g:e} below suboptimality {sub:e}"
            );
        }
        assert!(kkt_only < 12, "{name}: no gap along the way");
        eprintln!(
            "{name}: gap at the solution {gap:.1e} (relative {:.1e}); KKT-only in {kkt_only} of 12 early rounds",
            best.relative_gap.unwrap()
        );
    }
}

/// Builds a random group problem: `n × p` Gaussian design, random groups, a sparse truth over
/// a few groups; `y` real or 0/1.
fn random_group_problem(
    seed: u64,
    n: usize,
    p: usize,
    n_groups: usize,
    logistic: bool,
) -> (ColMajor<f64>, Vec<f64>, Vec<usize>) {
    let mut rng = crate::common::Rng::new(seed);
    let x = ColMajor::from_fn(n, p, |_, _| rng.normal());
    let labels: Vec<usize> = (0..p)
        .map(|j| {
            if j < n_groups {
                j
            } else {
                (rng.uniform() * n_groups as f64) as usize % n_groups
            }
        })
        .collect();
    let truth: Vec<f64> = (0..p)
        .map(|j| if labels[j] < 2 { rng.normal() } else { 0.0 })
        .collect();
    let y: Vec<f64> = (0..n)
        .map(|i| {
            let eta: f64 = (0..p).map(|j| x.col(j)[i] * truth[j]).sum::<f64>() + 0.5 * rng.normal();
            if logistic {
                f64::from(u8::from(eta > 0.0))
            } else {
                eta
            }
        })
        .collect();
    (x, y, labels)
}

/// Gap-safe screening never discards a group that is active at the tight unscreened solution:
/// over random problems (least squares and logistic, group and sparse group lasso, several
/// alphas), the screened fit equals the unscreened one to 1e-10 with the same exact zeros,
/// and screening does discard groups.
#[test]
fn screening_is_safe_on_random_problems() {
    let mut total_screened = 0usize;
    let mut n_fits = 0usize;
    for seed in 0..24u64 {
        let logistic = seed % 3 == 2;
        let (n, p, n_groups) = (60 + (seed as usize % 4) * 10, 24, 8 + seed as usize % 5);
        let (x, y, labels) = random_group_problem(seed, n, p, n_groups, logistic);
        let tau = [0.0, 0.3, 0.0, 0.8][seed as usize % 4];
        let pen = GroupLasso::sparse(Groups::from_labels(&labels).unwrap(), None, tau).unwrap();
        let base = Problem::new(&x, &y, &pen, 1.0).fit_intercept(seed % 2 == 0);
        let solve = |solver: GroupCd<f64>, a: f64| {
            if logistic {
                solver
                    .solve(&base.datafit(Logistic).with_alpha(a), None, &mut ())
                    .unwrap()
            } else {
                solver.solve(&base.with_alpha(a), None, &mut ()).unwrap()
            }
        };
        let am = if logistic {
            GroupCd::new().alpha_max(&base.datafit(Logistic)).unwrap()
        } else {
            GroupCd::new().alpha_max(&base).unwrap()
        };
        for rel in [0.7, 0.3, 0.1] {
            let tight = GroupCd::new().tol(1e-15).kkt_tol(1e-15);
            let with = solve(tight, rel * am);
            let without = solve(tight.screening(false), rel * am);
            assert!(
                with.converged() && without.converged(),
                "seed {seed} rel {rel}"
            );
            assert_eq!(without.n_screened, 0);
            let d = rel_diff(
                &with.coef,
                with.intercept[0],
                &without.coef,
                without.intercept[0],
            );
            assert!(d <= 1e-10, "seed {seed} rel {rel}: {d:e}");
            for (j, (&a, &b)) in with.coef.iter().zip(&without.coef).enumerate() {
                assert_eq!(a == 0.0, b == 0.0, "seed {seed} rel {rel}: support at {j}");
            }
            // every screened feature is zero in the unscreened solution
            let zeros = without.coef.iter().filter(|&&v| v == 0.0).count();
            assert!(with.n_screened <= zeros, "seed {seed} rel {rel}");
            total_screened += with.n_screened;
            n_fits += 1;
        }
    }
    eprintln!("screened {total_screened} features over {n_fits} fits");
    assert!(total_screened > 0);
}

/// The Gram mode (least squares, `Q = X̃ᵀS̄X̃`) gives the fit on the rows: random problems
/// with and without intercept and sample weights, group and sparse group lasso, single fits
/// from zero and warm-started paths; both reach the tolerance with their own certificates.
#[test]
fn gram_mode_equals_the_rows() {
    for seed in 0..6_u64 {
        let (x, y, labels) = random_group_problem(100 + seed, 80, 24, 6, false);
        let groups = Groups::from_labels(&labels).unwrap();
        let sw: Vec<f64> = (0..80)
            .map(|i| [1.0, 0.5, 2.0, 0.0][(i + seed as usize) % 4])
            .collect();
        let tau = if seed % 2 == 0 { 0.0 } else { 0.3 };
        let pen = GroupLasso::sparse(groups, None, tau).unwrap();
        let weights = if seed % 3 == 0 { Some(&sw[..]) } else { None };
        let pb = Problem::new(&x, &y, &pen, 1.0)
            .fit_intercept(seed % 4 != 1)
            .sample_weight(weights);
        let am = GroupCd::new().alpha_max(&pb).unwrap();
        let alphas: Vec<f64> = (0..12).map(|k| am * 0.6_f64.powi(k)).collect();
        let rows = GroupCd::new().tol(1e-13).gram(Some(false));
        let gram = GroupCd::new().tol(1e-13).gram(Some(true));
        let (pr, pg) = (
            rows.path(&pb, &alphas).unwrap(),
            gram.path(&pb, &alphas).unwrap(),
        );
        for (k, (a, b)) in pr.solutions.iter().zip(&pg.solutions).enumerate() {
            assert!(a.converged() && b.converged(), "seed {seed} point {k}");
            assert!(b.relative_gap.unwrap() <= 1e-13, "seed {seed} point {k}");
            let d = rel_diff(&b.coef, b.intercept[0], &a.coef, a.intercept[0]);
            assert!(d <= 1e-9, "seed {seed} point {k}: {d:e}");
            assert!((a.objective - b.objective).abs() <= 1e-12 * a.objective.max(1.0));
        }
        let one = gram.solve(&pb.with_alpha(am / 7.0), None, &mut ()).unwrap();
        let two = rows.solve(&pb.with_alpha(am / 7.0), None, &mut ()).unwrap();
        let d = rel_diff(&one.coef, one.intercept[0], &two.coef, two.intercept[0]);
        assert!(d <= 1e-9, "seed {seed}: {d:e}");
    }
}
