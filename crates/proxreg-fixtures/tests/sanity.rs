//! Every fixture loads, its shapes agree, the stored objectives are reproduced in Rust, and the
//! stored solutions satisfy the optimality conditions of the documented objectives. This checks
//! both the fixtures and our reading of scikit-learn's conventions.

// helpers of this test file panic on a bad fixture, which is the point of a test
#![allow(clippy::panic)]

use proxreg_fixtures::{
    enet_objective, load, multitask_objective, ridge_objective, DataSet, Dtype, Estimator, Fixture,
    MultiTaskProblem, Problem, ALL,
};

const OBJ_RTOL: f64 = 1e-12;
const KKT_TOL: f64 = 1e-8;

fn all() -> Vec<Fixture> {
    ALL.iter()
        .map(|name| load(name).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn assert_rel(got: f64, want: f64, rtol: f64, what: &str) {
    let err = (got - want).abs();
    assert!(
        err <= rtol * want.abs().max(f64::MIN_POSITIVE),
        "{what}: got {got:e}, want {want:e}, rel err {:e}",
        err / want.abs()
    );
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

fn residuals(x: &[Vec<f64>], y: &[f64], w: &[f64], b: f64) -> Vec<f64> {
    x.iter()
        .zip(y)
        .map(|(row, yi)| yi - b - dot(row, w))
        .collect()
}

/// `Xᵀ (s ∘ v)`.
fn xt_weighted(x: &[Vec<f64>], v: &[f64], s: Option<&[f64]>) -> Vec<f64> {
    let mut g = vec![0.0; x[0].len()];
    for (i, (row, vi)) in x.iter().zip(v).enumerate() {
        let si = s.map_or(1.0, |s| s[i]);
        for (gj, xij) in g.iter_mut().zip(row) {
            *gj += si * vi * xij;
        }
    }
    g
}

/// `max(1, ‖Xᵀy‖∞ / n)`: the scale of the elastic-net gradient.
fn kkt_scale(x: &[Vec<f64>], y: &[f64]) -> f64 {
    let g = xt_weighted(x, y, None);
    (g.iter().fold(0.0_f64, |m, v| m.max(v.abs())) / x.len() as f64).max(1.0)
}

/// Max violation of the optimality conditions of the (weighted) elastic-net objective.
#[allow(clippy::too_many_arguments)]
fn enet_kkt(
    x: &[Vec<f64>],
    y: &[f64],
    w: &[f64],
    b: f64,
    alpha: f64,
    rho: f64,
    s: Option<&[f64]>,
    positive: bool,
    fit_intercept: bool,
) -> f64 {
    let r = residuals(x, y, w, b);
    let total: f64 = s.map_or(x.len() as f64, |s| s.iter().sum());
    let g: Vec<f64> = xt_weighted(x, &r, s).iter().map(|v| v / total).collect();
    let mut viol: f64 = 0.0;
    if fit_intercept {
        let sr: f64 = r
            .iter()
            .enumerate()
            .map(|(i, ri)| s.map_or(1.0, |s| s[i]) * ri)
            .sum();
        viol = (sr / total).abs();
    }
    let (l1, l2) = (alpha * rho, alpha * (1.0 - rho));
    for (gj, wj) in g.iter().zip(w) {
        let v = if *wj != 0.0 {
            (gj - l1 * wj.signum() - l2 * wj).abs()
        } else if positive {
            (gj - l1).max(0.0)
        } else {
            (gj.abs() - l1).max(0.0)
        };
        viol = viol.max(v);
    }
    viol
}

/// Gradient of `Σ sᵢ rᵢ² + α‖w‖²` (and of the intercept), relative to `2 max(1, ‖Xᵀ(s∘y)‖∞)`.
#[allow(clippy::too_many_arguments)]
fn ridge_kkt_rel(
    x: &[Vec<f64>],
    y: &[f64],
    w: &[f64],
    b: f64,
    alpha: f64,
    s: Option<&[f64]>,
    fit_intercept: bool,
) -> f64 {
    let r = residuals(x, y, w, b);
    let g = xt_weighted(x, &r, s);
    let mut viol = g.iter().zip(w).fold(0.0_f64, |m, (gj, wj)| {
        m.max((2.0 * alpha * wj - 2.0 * gj).abs())
    });
    if fit_intercept {
        let sr: f64 = r
            .iter()
            .enumerate()
            .map(|(i, ri)| s.map_or(1.0, |s| s[i]) * ri)
            .sum();
        viol = viol.max(2.0 * sr.abs());
    }
    let scale = xt_weighted(x, y, s)
        .iter()
        .fold(1.0_f64, |m, v| m.max(v.abs()));
    viol / (2.0 * scale)
}

fn multitask_kkt(p: &MultiTaskProblem, w: &[Vec<f64>], b: &[f64], alpha: f64, rho: f64) -> f64 {
    let (n, k) = (p.n_samples, p.n_tasks);
    let mut r = vec![vec![0.0; k]; n];
    for (i, row) in p.x.iter().enumerate() {
        for t in 0..k {
            r[i][t] = p.y[i][t] - b[t] - row.iter().zip(w).map(|(x, wj)| x * wj[t]).sum::<f64>();
        }
    }
    let mut viol: f64 = 0.0;
    for t in 0..k {
        let mean = r.iter().map(|ri| ri[t]).sum::<f64>() / n as f64;
        // with fit_intercept=false the intercepts are zero and the mean residual is unconstrained
        if b.iter().any(|v| *v != 0.0) {
            viol = viol.max(mean.abs());
        }
    }
    let (l1, l2) = (alpha * rho, alpha * (1.0 - rho));
    for (j, wj) in w.iter().enumerate() {
        let gj: Vec<f64> = (0..k)
            .map(|t| {
                p.x.iter()
                    .zip(&r)
                    .map(|(row, ri)| row[j] * ri[t])
                    .sum::<f64>()
                    / n as f64
            })
            .collect();
        let nw = dot(wj, wj).sqrt();
        let v = if nw > 0.0 {
            let d: Vec<f64> = (0..k)
                .map(|t| gj[t] - l1 * wj[t] / nw - l2 * wj[t])
                .collect();
            dot(&d, &d).sqrt()
        } else {
            (dot(&gj, &gj).sqrt() - l1).max(0.0)
        };
        viol = viol.max(v);
    }
    viol
}

fn check_problem_shapes(p: &Problem) {
    assert_eq!(p.x.len(), p.n_samples, "{}: rows of x", p.name);
    assert!(
        p.x.iter().all(|r| r.len() == p.n_features),
        "{}: cols",
        p.name
    );
    assert_eq!(p.y.len(), p.n_samples, "{}: y", p.name);
    assert_eq!(p.w_true.len(), p.n_features, "{}: w_true", p.name);
    assert!(p.x.iter().flatten().chain(&p.y).all(|v| v.is_finite()));
    if let Some(s) = &p.sample_weight {
        assert_eq!(s.len(), p.n_samples);
        assert!(s.iter().all(|v| *v >= 0.0 && v.fract() == 0.0));
    }
    let cm = p.x_col_major();
    assert_eq!(cm[p.n_samples + 1], p.x[1][1]);
}

/// ‖Xᵀ(s∘(y − ȳ))‖∞ / (Σs ρ) with (weighted) centering when `center`.
fn enet_alpha_max(p: &Problem, rho: f64, center: bool) -> f64 {
    let n = p.n_samples as f64;
    let (ym, xm): (f64, Vec<f64>) = if center {
        let xm = (0..p.n_features)
            .map(|j| p.x.iter().map(|r| r[j]).sum::<f64>() / n)
            .collect();
        (p.y.iter().sum::<f64>() / n, xm)
    } else {
        (0.0, vec![0.0; p.n_features])
    };
    let g = (0..p.n_features).map(|j| {
        p.x.iter()
            .zip(&p.y)
            .map(|(r, yi)| (r[j] - xm[j]) * (yi - ym))
            .sum::<f64>()
    });
    g.fold(0.0_f64, |m, v| m.max(v.abs())) / (n * rho)
}

#[test]
fn every_fixture_loads_with_versions() {
    let fixtures = all();
    assert_eq!(fixtures.len(), ALL.len());
    for fx in &fixtures {
        assert_eq!(fx.format_version, 1);
        assert!(!fx.generator.sklearn.is_empty() && !fx.generator.numpy.is_empty());
        assert!(
            fx.problem.is_some() || fx.multitask_problem.is_some(),
            "{}",
            fx.name
        );
    }
    assert!(load("no_such_fixture").is_err());
}

#[test]
fn single_fits_reproduce_objective_and_kkt() {
    let mut checked = 0;
    for fx in all() {
        let Some(main) = &fx.problem else { continue };
        check_problem_shapes(main);
        if let Some(rep) = &fx.repeated_problem {
            check_problem_shapes(rep);
            let total: f64 = main.sample_weight.as_ref().map_or(0.0, |s| s.iter().sum());
            assert_eq!(
                rep.n_samples as f64, total,
                "repeated rows = sum of weights"
            );
        }
        for c in &fx.fits {
            let p = fx
                .problem_of(c)
                .unwrap_or_else(|| panic!("{}: no data", c.id));
            let what = format!("{}/{}", fx.name, c.id);
            assert_eq!(c.coef.len(), p.n_features, "{what}: coef length");
            let s = c.sample_weight.as_deref();
            if let Some(s) = s {
                assert_eq!(s.len(), p.n_samples, "{what}: weights length");
            }
            assert!(c.converged, "{what}");
            if !c.fit_intercept {
                assert_eq!(c.intercept, 0.0);
            }
            if c.positive {
                assert!(c.coef.iter().all(|v| *v >= 0.0), "{what}: positive");
            }
            if c.estimator == Estimator::Ridge {
                let obj = ridge_objective(&p.x, &p.y, &c.coef, c.intercept, c.alpha, s);
                assert_rel(obj, c.objective, OBJ_RTOL, &what);
                let kkt = ridge_kkt_rel(
                    &p.x,
                    &p.y,
                    &c.coef,
                    c.intercept,
                    c.alpha,
                    s,
                    c.fit_intercept,
                );
                let tol = if c.dtype == Dtype::Float64 {
                    KKT_TOL
                } else {
                    1e-4
                };
                assert!(kkt <= tol, "{what}: ridge kkt {kkt:e}");
            } else {
                let rho = c.l1_ratio.unwrap_or_else(|| panic!("{what}: no l1_ratio"));
                if c.estimator == Estimator::Lasso {
                    assert_eq!(rho, 1.0);
                }
                let obj = enet_objective(&p.x, &p.y, &c.coef, c.intercept, c.alpha, rho, s);
                assert_rel(obj, c.objective, OBJ_RTOL, &what);
                let gap = c.dual_gap.unwrap_or_else(|| panic!("{what}: no gap"));
                let gap_tol = if c.dtype == Dtype::Float64 {
                    1e-10
                } else {
                    1e-4
                };
                assert!(gap.abs() <= gap_tol * c.objective, "{what}: gap {gap:e}");
                let kkt = enet_kkt(
                    &p.x,
                    &p.y,
                    &c.coef,
                    c.intercept,
                    c.alpha,
                    rho,
                    s,
                    c.positive,
                    c.fit_intercept,
                );
                let tol = if c.dtype == Dtype::Float64 {
                    KKT_TOL
                } else {
                    1e-5
                };
                assert!(kkt <= tol * kkt_scale(&p.x, &p.y), "{what}: kkt {kkt:e}");
                // alpha_rel is relative to alpha_max of the (centered when fitting an intercept) data
                if let (Some(rel), DataSet::Main, None) = (c.alpha_rel, c.data, s) {
                    let amax = enet_alpha_max(p, rho, c.fit_intercept);
                    if fx.name.starts_with("engine") || c.fit_intercept {
                        assert_rel(c.alpha, rel * amax, 1e-13, &format!("{what}: alpha_max"));
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} fits checked");
}

#[test]
fn integer_weights_equal_repeated_rows() {
    let mut pairs = 0;
    for fx in all() {
        for c in fx.fits.iter().filter(|c| c.id.contains("_weighted_")) {
            let twin = fx
                .fit(&c.id.replace("_weighted_", "_repeated_"))
                .unwrap_or_else(|| panic!("{}: no repeated twin", c.id));
            assert_eq!(twin.data, DataSet::Repeated);
            assert!(twin.sample_weight.is_none());
            for (a, b) in c.coef.iter().zip(&twin.coef) {
                assert!(
                    (a - b).abs() <= 1e-8 * (1.0 + b.abs()),
                    "{}: {a} vs {b}",
                    c.id
                );
            }
            assert!((c.intercept - twin.intercept).abs() <= 1e-8 * (1.0 + twin.intercept.abs()));
            pairs += 1;
        }
    }
    assert_eq!(pairs, 12);
}

#[test]
fn paths_reproduce_objective_and_kkt() {
    let mut checked = 0;
    for fx in all() {
        let Some(p) = &fx.problem else { continue };
        for c in &fx.paths {
            let what = format!("{}/{}", fx.name, c.id);
            assert_eq!(c.alphas.len(), c.n_alphas);
            assert_eq!(c.coefs.len(), c.n_alphas);
            assert_eq!(c.objectives.len(), c.n_alphas);
            assert_eq!(c.dual_gaps.len(), c.n_alphas);
            assert!(
                c.alphas.windows(2).all(|a| a[1] < a[0]),
                "{what}: decreasing"
            );
            // sklearn computes sqrt(max (Xᵀy)²) / (n ρ): equal to ‖Xᵀy‖∞ / (n ρ) up to an ulp
            assert_rel(c.alphas[0], c.alpha_max, 1e-14, &what);
            assert_rel(
                c.alpha_max,
                enet_alpha_max(p, c.l1_ratio, false),
                1e-13,
                &what,
            );
            assert_rel(c.alphas[c.n_alphas - 1], c.eps * c.alpha_max, 1e-12, &what);
            assert!(
                c.coefs[0].iter().all(|v| *v == 0.0),
                "{what}: zero at alpha_max"
            );
            for ((a, w), obj) in c.alphas.iter().zip(&c.coefs).zip(&c.objectives) {
                assert_eq!(w.len(), p.n_features);
                let got = enet_objective(&p.x, &p.y, w, 0.0, *a, c.l1_ratio, None);
                assert_rel(got, *obj, OBJ_RTOL, &what);
                let kkt = enet_kkt(&p.x, &p.y, w, 0.0, *a, c.l1_ratio, None, false, false);
                assert!(
                    kkt <= KKT_TOL * kkt_scale(&p.x, &p.y),
                    "{what}: kkt {kkt:e}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 2 * 20);
}

#[test]
fn multitask_fits_reproduce_objective_and_kkt() {
    let mut checked = 0;
    for fx in all() {
        let Some(p) = &fx.multitask_problem else {
            continue;
        };
        assert_eq!(p.x.len(), p.n_samples);
        assert!(p.x.iter().all(|r| r.len() == p.n_features));
        assert!(p.y.len() == p.n_samples && p.y.iter().all(|r| r.len() == p.n_tasks));
        assert!(p.w_true.len() == p.n_features && p.w_true.iter().all(|r| r.len() == p.n_tasks));
        for c in &fx.multitask_fits {
            let what = format!("{}/{}", fx.name, c.id);
            assert!(c.coef.len() == p.n_features && c.coef.iter().all(|r| r.len() == p.n_tasks));
            assert_eq!(c.intercept.len(), p.n_tasks);
            if c.estimator == Estimator::MultiTaskLasso {
                assert_eq!(c.l1_ratio, 1.0);
            }
            let obj = multitask_objective(&p.x, &p.y, &c.coef, &c.intercept, c.alpha, c.l1_ratio);
            assert_rel(obj, c.objective, OBJ_RTOL, &what);
            let kkt = multitask_kkt(p, &c.coef, &c.intercept, c.alpha, c.l1_ratio);
            assert!(kkt <= KKT_TOL, "{what}: kkt {kkt:e}");
            // row sparsity: whole rows are zero or not
            assert!(c
                .coef
                .iter()
                .all(|r| r.iter().all(|v| *v == 0.0) || r.iter().all(|v| *v != 0.0)));
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
}

#[test]
fn lasso_cv_records_are_consistent() {
    let mut checked = 0;
    for fx in all() {
        let Some(p) = &fx.problem else { continue };
        for c in &fx.lasso_cv {
            let what = format!("{}/{}", fx.name, c.id);
            let (nl, na, nf) = (c.l1_ratios.len(), c.n_alphas, c.test_folds.len());
            assert!(
                c.alphas.len() == nl && c.alphas.iter().all(|r| r.len() == na),
                "{what}"
            );
            assert_eq!(c.mse_path.len(), nl);
            assert!(c.mse_path.iter().flatten().all(|r| r.len() == nf), "{what}");
            // contiguous folds partitioning 0..n
            let flat: Vec<usize> = c.test_folds.iter().flatten().copied().collect();
            assert_eq!(flat, (0..p.n_samples).collect::<Vec<_>>(), "{what}: folds");
            // the automatic grid starts at alpha_max of the CENTERED full data
            if !c.alphas_given {
                for (row, rho) in c.alphas.iter().zip(&c.l1_ratios) {
                    assert_rel(row[0], enet_alpha_max(p, *rho, true), 1e-13, &what);
                    assert_rel(row[na - 1], c.eps * row[0], 1e-12, &what);
                }
            }
            // selection = argmin of the fold-mean MSE
            let mut best = (f64::INFINITY, 0, 0);
            for (i, rows) in c.mse_path.iter().enumerate() {
                for (j, folds) in rows.iter().enumerate() {
                    let m = folds.iter().sum::<f64>() / nf as f64;
                    if m < best.0 {
                        best = (m, i, j);
                    }
                }
            }
            assert_eq!(c.alphas[best.1][best.2], c.alpha, "{what}: alpha");
            assert_eq!(c.l1_ratios[best.1], c.l1_ratio, "{what}: l1_ratio");
            let obj = enet_objective(&p.x, &p.y, &c.coef, c.intercept, c.alpha, c.l1_ratio, None);
            assert_rel(obj, c.objective, OBJ_RTOL, &what);
            let kkt = enet_kkt(
                &p.x,
                &p.y,
                &c.coef,
                c.intercept,
                c.alpha,
                c.l1_ratio,
                None,
                false,
                true,
            );
            assert!(
                kkt <= KKT_TOL * kkt_scale(&p.x, &p.y),
                "{what}: kkt {kkt:e}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}

/// Solves the SPD system `a z = b` by Cholesky (test oracle, small dense).
fn cholesky_solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let m = b.len();
    for j in 0..m {
        let d = (a[j][j] - (0..j).map(|k| a[j][k] * a[j][k]).sum::<f64>()).sqrt();
        a[j][j] = d;
        for i in j + 1..m {
            a[i][j] = (a[i][j] - (0..j).map(|k| a[i][k] * a[j][k]).sum::<f64>()) / d;
        }
    }
    for i in 0..m {
        b[i] = (b[i] - (0..i).map(|k| a[i][k] * b[k]).sum::<f64>()) / a[i][i];
    }
    for i in (0..m).rev() {
        b[i] = (b[i] - (i + 1..m).map(|k| a[k][i] * b[k]).sum::<f64>()) / a[i][i];
    }
    b
}

/// Ridge (`Σ rᵢ² + α‖w‖²`) on the rows `keep`, intercept by centering; returns (w, b).
fn ridge_fit(p: &Problem, keep: &[usize], alpha: f64, fit_intercept: bool) -> (Vec<f64>, f64) {
    let (n, d) = (keep.len() as f64, p.n_features);
    let (xm, ym) = if fit_intercept {
        let xm: Vec<f64> = (0..d)
            .map(|j| keep.iter().map(|&i| p.x[i][j]).sum::<f64>() / n)
            .collect();
        (xm, keep.iter().map(|&i| p.y[i]).sum::<f64>() / n)
    } else {
        (vec![0.0; d], 0.0)
    };
    let mut a = vec![vec![0.0; d]; d];
    let mut rhs = vec![0.0; d];
    for &i in keep {
        let xc: Vec<f64> = p.x[i].iter().zip(&xm).map(|(x, m)| x - m).collect();
        for j in 0..d {
            rhs[j] += xc[j] * (p.y[i] - ym);
            for k in 0..d {
                a[j][k] += xc[j] * xc[k];
            }
        }
    }
    for (j, row) in a.iter_mut().enumerate() {
        row[j] += alpha;
    }
    let w = cholesky_solve(a, rhs);
    let b = ym - dot(&xm, &w);
    (w, b)
}

#[test]
fn ridge_cv_loo_is_exact_leave_one_out() {
    let mut checked = 0;
    for fx in all() {
        let Some(p) = &fx.problem else { continue };
        for c in &fx.ridge_cv {
            let what = format!("{}/{}", fx.name, c.id);
            let na = c.alphas.len();
            assert!(c.loo_squared_errors.len() == p.n_samples);
            assert!(c.loo_squared_errors.iter().all(|r| r.len() == na));
            let mut best = (f64::INFINITY, 0);
            for (a, &m) in c.loo_mse.iter().enumerate() {
                let mean =
                    c.loo_squared_errors.iter().map(|r| r[a]).sum::<f64>() / p.n_samples as f64;
                assert_rel(mean, m, 1e-12, &what);
                if m < best.0 {
                    best = (m, a);
                }
            }
            assert_eq!(c.alphas[best.1], c.alpha, "{what}: selected alpha");
            assert_rel(-c.best_score, best.0, 1e-12, &what);
            // brute force: refit without row i (re-estimating the intercept), predict row i
            for (a, &alpha) in c.alphas.iter().enumerate().step_by(3) {
                for i in (0..p.n_samples).step_by(7) {
                    let keep: Vec<usize> = (0..p.n_samples).filter(|&k| k != i).collect();
                    let (w, b) = ridge_fit(p, &keep, alpha, c.fit_intercept);
                    let e = p.y[i] - b - dot(&p.x[i], &w);
                    assert_rel(e * e, c.loo_squared_errors[i][a], 1e-8, &what);
                }
            }
            let all_rows: Vec<usize> = (0..p.n_samples).collect();
            let (w, b) = ridge_fit(p, &all_rows, c.alpha, c.fit_intercept);
            for (got, want) in w.iter().zip(&c.coef) {
                assert!(
                    (got - want).abs() <= 1e-10 * (1.0 + want.abs()),
                    "{what}: coef"
                );
            }
            assert!((b - c.intercept).abs() <= 1e-10 * (1.0 + c.intercept.abs()));
            let obj = ridge_objective(&p.x, &p.y, &c.coef, c.intercept, c.alpha, None);
            assert_rel(obj, c.objective, OBJ_RTOL, &what);
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

/// The group lasso fixture: 12 cases, each stored objective and KKT violation recomputed here
/// from the stored solution (the loader's formulas agree with the generating script's).
#[test]
fn group_lasso_cases_recompute() {
    let fx = proxreg_fixtures::group_lasso::load_group_lasso().unwrap();
    assert_eq!(fx.cases.len(), 19);
    for case in &fx.cases {
        let pb = fx.problem(case).unwrap();
        assert_eq!(pb.x.len(), pb.n_samples);
        let mut seen = vec![false; pb.n_features];
        for g in &case.groups {
            for &j in g {
                assert!(!seen[j], "{}: feature {j} twice", case.name);
                seen[j] = true;
            }
        }
        assert!(seen.iter().all(|&s| s), "{}: not a partition", case.name);
        let obj = case.objective(pb, &case.coef, case.intercept);
        assert!(
            (obj - case.objective).abs() <= 1e-12 * case.objective.abs(),
            "{}",
            case.name
        );
        let (kkt, kb) = case.kkt(pb, &case.coef, case.intercept);
        assert!((kkt - case.kkt).abs() <= 1e-12 && (kb - case.kkt_intercept).abs() <= 1e-12);
        assert!((case.alpha - case.alpha_rel * case.alpha_max).abs() <= 1e-15 * case.alpha_max);
    }
}
