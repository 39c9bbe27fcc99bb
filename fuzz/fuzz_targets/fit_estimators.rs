//! Params + fit for every estimator on small arbitrary matrices and parameters (f64 and f32).
//!
//! Invariant: `Ok` or a typed `Err`, never a panic or a hang (`max_iter` is bounded). A
//! successful fit has finite coefficients, intercepts and certificates; when it reports
//! `Status::Converged` its relative gap is within `tol`, and for the Lasso-type models an
//! independent check holds: every zero coefficient (row) satisfies the KKT condition
//! `|x̃_jᵀr|/n ≤ α + ‖x̃_j‖·√(2·gap/n)` (the gap bounds the distance to the optimal residual), so
//! zeros can never be reported as a converged answer when they are not one.
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use proxreg::penalty::{ElasticNet as EnPenalty, Groups, SquaredL2, L1, L2, L21};
use proxreg::prelude::*;
use proxreg::{
    ElasticNetCv, Fitted, GroupLasso, HuberGroupLasso, KFold, LassoCv, LinearModel,
    MultiTaskElasticNet, MultiTaskLasso, PoissonGroupLasso,
};

#[path = "common.rs"]
mod common;

#[derive(Debug)]
struct Case<T> {
    n: usize,
    p: usize,
    x: ColMajor<T>,
    y: Vec<T>,
    weights: Option<Vec<T>>,
    alpha: T,
    ratio: T,
    tol: T,
    max_iter: usize,
    fit_intercept: bool,
    standardize: bool,
    positive: bool,
    solver: SolverChoice,
}

fn draw_case<T: Scalar>(
    u: &mut Unstructured<'_>,
    draw: fn(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Case<T>> {
    let n = u.int_in_range(0..=8usize)?;
    let p = u.int_in_range(0..=5usize)?;
    let k = u.int_in_range(1..=3usize)?;
    let hostile = u.ratio(1u8, 8)?;
    let mut val = |u: &mut Unstructured<'_>| -> Result<T> {
        if hostile && u.ratio(1u8, 4)? {
            Ok(T::lit(common::any_f64(u)?))
        } else {
            draw(u)
        }
    };
    let x = common::vec_of(u, n * p, &mut val)?;
    let x = ColMajor::from_fn(n, p, |i, j| x[j * n + i]);
    // Occasionally one value too few or too many (shape mismatch).
    let y_len = match u.int_in_range(0..=15u8)? {
        0 => (n * k).saturating_sub(1),
        1 => n * k + 1,
        _ => n * k,
    };
    let y = common::vec_of(u, y_len, &mut val)?;
    let weights = if u.ratio(1u8, 6)? {
        Some(common::vec_of(u, n, &mut val)?)
    } else {
        None
    };
    let alpha = if u.ratio(1u8, 8)? {
        T::lit(common::any_f64(u)?)
    } else {
        draw(u)?.abs()
    };
    let ratio = if u.ratio(1u8, 8)? {
        T::lit(common::any_f64(u)?)
    } else {
        T::from_count(u.int_in_range(0..=4u8)?.into()) / T::lit(4.0)
    };
    let tol = *u.choose(&[1e-4, 1e-8, 1e-2, 0.0, -1.0, f64::NAN])?;
    let max_iter = u.int_in_range(0..=60usize)?;
    let solver = *u.choose(&[
        SolverChoice::Auto,
        SolverChoice::CoordinateDescent,
        SolverChoice::Fista,
        SolverChoice::Cholesky,
        SolverChoice::Svd,
    ])?;
    Ok(Case {
        n,
        p,
        x,
        y,
        weights,
        alpha,
        ratio,
        tol: T::lit(tol),
        max_iter,
        fit_intercept: u.arbitrary()?,
        standardize: u.ratio(1u8, 4)?,
        positive: u.ratio(1u8, 8)?,
        solver,
    })
}

/// Finite outputs, and the gap within `tol` when converged.
fn check_model<T: Scalar>(m: &LinearModel<T>, tol: T) {
    assert!(
        m.coef().iter().all(|v| v.is_finite()),
        "coef {:?}",
        m.coef()
    );
    assert!(
        m.intercepts().iter().all(|v| v.is_finite()),
        "intercept {:?}",
        m.intercepts()
    );
    let r = m.report();
    assert!(r.kkt_violation.is_finite(), "kkt {:?}", r.kkt_violation);
    assert!(r.objective.is_finite(), "objective {:?}", r.objective);
    if let Some(g) = r.duality_gap {
        assert!(g.is_finite() && g >= T::zero(), "gap {g:?}");
    }
    if r.status == Status::Converged {
        if let Some(g) = r.relative_gap {
            assert!(g <= tol, "converged with relative gap {g:?} > tol {tol:?}");
        }
    }
}

/// The independent KKT check of zero rows for a (multi-task) Lasso without weights or bounds:
/// computed in f64 from the data, the coefficients and the reported gap.
fn check_zero_rows<T: Scalar>(c: &Case<T>, m: &LinearModel<T>, alpha: T) {
    let r = m.report();
    if r.status != Status::Converged {
        return;
    }
    let Some(gap) = r.duality_gap else { return };
    let (n, p, k) = (c.n, c.p, m.n_tasks());
    assert_eq!(c.y.len(), n * k, "fitted with a y of the wrong length");
    assert_eq!(m.coef().len(), p * k);
    let nf = n as f64;
    let xs: Vec<f64> = c.x.as_slice().iter().map(|v| v.as_f64()).collect();
    let coef: Vec<f64> = m.coef().iter().map(|v| v.as_f64()).collect();
    let b: Vec<f64> = m.intercepts().iter().map(|v| v.as_f64()).collect();
    // Centered columns (with an intercept), standardized when asked.
    let mut xt = xs.clone();
    for j in 0..p {
        let col = &mut xt[j * n..(j + 1) * n];
        if c.fit_intercept || c.standardize {
            let mu = col.iter().sum::<f64>() / nf;
            if c.fit_intercept || c.standardize {
                col.iter_mut().for_each(|v| *v -= mu);
            }
        }
        if c.standardize {
            let sd = (col.iter().map(|v| v * v).sum::<f64>() / nf).sqrt();
            if sd > 0.0 && sd.is_finite() {
                col.iter_mut().for_each(|v| *v /= sd);
            }
        }
    }
    if c.standardize && !c.fit_intercept {
        return; // standardize without intercept centers the scale only: skip
    }
    // Residuals R = Y − XW − 1bᵀ (original design).
    let mut res = vec![0.0; n * k];
    for t in 0..k {
        for i in 0..n {
            let mut v = c.y[t * n + i].as_f64() - b[t];
            for j in 0..p {
                v -= xs[j * n + i] * coef[j * k + t];
            }
            res[t * n + i] = v;
        }
    }
    let y_norm =
        c.y.iter()
            .map(|v| v.as_f64() * v.as_f64())
            .sum::<f64>()
            .sqrt();
    let gap = gap.as_f64();
    let alpha = alpha.as_f64();
    let eps = T::epsilon().as_f64();
    for j in 0..p {
        if (0..k).any(|t| coef[j * k + t] != 0.0) {
            continue;
        }
        let col = &xt[j * n..(j + 1) * n];
        let cn = col.iter().map(|v| v * v).sum::<f64>().sqrt();
        let g: f64 = (0..k)
            .map(|t| {
                let d: f64 = col
                    .iter()
                    .zip(&res[t * n..(t + 1) * n])
                    .map(|(a, b)| a * b)
                    .sum();
                (d / nf).powi(2)
            })
            .sum::<f64>()
            .sqrt();
        let bound = alpha + cn * (2.0 * gap / nf).sqrt();
        let slack = 1e3 * eps * (nf + 1.0) * (cn * y_norm / nf + alpha);
        if !(g.is_finite() && bound.is_finite() && slack.is_finite()) {
            continue;
        }
        assert!(
            g <= bound + slack,
            "zero row {j} violates KKT: |x̃ᵀr|/n = {g:e} > α + ‖x̃‖√(2G/n) = {bound:e} (+{slack:e})"
        );
    }
}

fn run<T: Scalar>(
    u: &mut Unstructured<'_>,
    draw: fn(&mut Unstructured<'_>) -> Result<T>,
) -> Result<()> {
    let c = draw_case(u, draw)?;
    let which = u.int_in_range(0..=12u8)?;
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        eprintln!("estimator {which}: {c:?}");
    }
    let w = c.weights.as_deref();
    match which {
        0 => {
            let params = Lasso::params()
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .positive(c.positive)
                .solver(c.solver)
                .tol(c.tol)
                .max_iter(c.max_iter);
            let fit = match w {
                Some(w) => params.fit_weighted(&c.x, &c.y, w),
                None => params.fit(&c.x, &c.y),
            };
            if let Ok(m) = fit {
                check_model(&m, c.tol);
                if w.is_none() && !c.positive {
                    check_zero_rows(&c, &m, c.alpha);
                }
            }
        }
        1 => {
            let params = ElasticNet::params()
                .alpha(c.alpha)
                .l1_ratio(c.ratio)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .positive(c.positive)
                .solver(c.solver)
                .tol(c.tol)
                .max_iter(c.max_iter);
            let fit = match w {
                Some(w) => params.fit_weighted(&c.x, &c.y, w),
                None => params.fit(&c.x, &c.y),
            };
            if let Ok(m) = fit {
                check_model(&m, c.tol);
            }
        }
        2 => {
            let params = Ridge::params()
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .positive(c.positive)
                .solver(c.solver)
                .tol(c.tol)
                .max_iter(c.max_iter);
            let fit = match w {
                Some(w) => params.fit_weighted(&c.x, &c.y, w),
                None => params.fit(&c.x, &c.y),
            };
            if let Ok(m) = fit {
                // Direct solvers (Cholesky / SVD) do not iterate to `tol`: their gap is reported
                // but not bounded by it (it can be large for a tiny alpha, by rounding alone).
                let direct = !c.positive
                    && matches!(
                        c.solver,
                        SolverChoice::Auto | SolverChoice::Cholesky | SolverChoice::Svd
                    );
                check_model(&m, if direct { T::infinity() } else { c.tol });
            }
        }
        3 => {
            let params = MultiTaskLasso::params()
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .solver(c.solver)
                .tol(c.tol)
                .max_iter(c.max_iter);
            let fit = match w {
                Some(w) => params.fit_weighted(&c.x, &c.y, w),
                None => params.fit(&c.x, &c.y),
            };
            if let Ok(m) = fit {
                check_model(&m, c.tol);
                if w.is_none() {
                    check_zero_rows(&c, &m, c.alpha);
                }
            }
        }
        4 => {
            let params = MultiTaskElasticNet::params()
                .alpha(c.alpha)
                .l1_ratio(c.ratio)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .solver(c.solver)
                .tol(c.tol)
                .max_iter(c.max_iter);
            let fit = match w {
                Some(w) => params.fit_weighted(&c.x, &c.y, w),
                None => params.fit(&c.x, &c.y),
            };
            if let Ok(m) = fit {
                check_model(&m, c.tol);
            }
        }
        5 => {
            // PenalizedLinear with FISTA on penalties of every kind, or CD on separable ones.
            let sel = u.int_in_range(0..=4u8)?;
            macro_rules! base {
                ($pen:expr) => {
                    PenalizedLinear::params($pen)
                        .alpha(c.alpha)
                        .fit_intercept(c.fit_intercept)
                        .standardize(c.standardize)
                        .tol(c.tol)
                        .max_iter(c.max_iter)
                };
            }
            let out = match sel {
                0 => PenalizedLinear::params(L1)
                    .alpha(c.alpha)
                    .fit_intercept(c.fit_intercept)
                    .tol(c.tol)
                    .max_iter(c.max_iter)
                    .fit(&c.x, &c.y),
                1 => PenalizedLinear::params(L2)
                    .alpha(c.alpha)
                    .fit_intercept(c.fit_intercept)
                    .tol(c.tol)
                    .max_iter(c.max_iter)
                    .fit(&c.x, &c.y),
                2 => PenalizedLinear::params(SquaredL2)
                    .alpha(c.alpha)
                    .tol(c.tol)
                    .max_iter(c.max_iter)
                    .fit_cd(&c.x, &c.y),
                3 => match EnPenalty::new(c.ratio) {
                    Ok(pen) => base!(pen).fit_cd(&c.x, &c.y),
                    Err(_) => return Ok(()),
                },
                _ => match L21::new(c.p.max(1), 1) {
                    Ok(pen) => base!(pen).fit(&c.x, &c.y),
                    Err(_) => return Ok(()),
                },
            };
            if let Ok(m) = out {
                check_model(&m, c.tol);
            }
        }
        6 | 7 => {
            let n_alphas = u.int_in_range(0..=4usize)?;
            let folds = u.int_in_range(0..=4usize)?;
            let eps = T::lit(*u.choose(&[1e-3, 0.5, 0.0, 1.0, f64::NAN])?);
            let given = if u.ratio(1u8, 4)? {
                let len = u.int_in_range(0..=3usize)?;
                Some(common::vec_of(u, len, |u| Ok(T::lit(common::any_f64(u)?)))?)
            } else {
                None
            };
            if which == 6 {
                let mut params = LassoCv::params()
                    .n_alphas(n_alphas)
                    .eps(eps)
                    .cv(KFold::new(folds))
                    .fit_intercept(c.fit_intercept)
                    .standardize(c.standardize)
                    .tol(c.tol)
                    .max_iter(c.max_iter);
                if let Some(a) = given {
                    params = params.alphas(a);
                }
                if let Ok(cv) = params.fit(&c.x, &c.y) {
                    assert!(cv.alpha().is_finite());
                    assert!(cv.mse_mean().iter().all(|v| !v.is_nan()));
                    check_model(cv.model(), c.tol);
                    check_zero_rows(&c, cv.model(), cv.alpha());
                }
            } else {
                let ratios = vec![c.ratio, T::one()];
                let mut params = ElasticNetCv::params()
                    .l1_ratios(ratios)
                    .n_alphas(n_alphas)
                    .eps(eps)
                    .cv(KFold::new(folds))
                    .fit_intercept(c.fit_intercept)
                    .standardize(c.standardize)
                    .tol(c.tol)
                    .max_iter(c.max_iter);
                if let Some(a) = given {
                    params = params.alphas(a);
                }
                if let Ok(cv) = params.fit(&c.x, &c.y) {
                    assert!(cv.alpha().is_finite());
                    check_model(cv.model(), c.tol);
                }
            }
        }
        9 => {
            // Poisson: counts |y| (raw y a quarter of the time: negative counts must be typed
            // errors), sometimes an offset; a converged fit is certified.
            let y: Vec<T> = if u.ratio(1u8, 4)? {
                c.y.clone()
            } else {
                c.y.iter().map(|v| v.abs()).collect()
            };
            let offset = if u.ratio(1u8, 3)? {
                Some(common::vec_of(u, c.n, |u| draw(u))?)
            } else {
                None
            };
            let params = PoissonRegression::params()
                .alpha(c.alpha)
                .l1_ratio(c.ratio)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .positive(c.positive)
                .tol(c.tol)
                .max_iter(c.max_iter);
            if let Ok(m) = params.fit_offset(&c.x, &y, w, offset.as_deref()) {
                check_model(m.linear_model(), c.tol);
                let _ = m.predict_offset(&c.x, offset.as_deref());
                let _ = m.deviance(&c.x, &y, offset.as_deref());
            }
        }
        10 => {
            let delta = if u.ratio(1u8, 6)? {
                T::lit(common::any_f64(u)?)
            } else {
                draw(u)?.abs()
            };
            let params = HuberRegression::params()
                .delta(delta)
                .alpha(c.alpha)
                .l1_ratio(c.ratio)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .solver(if c.solver == SolverChoice::CoordinateDescent {
                    c.solver
                } else {
                    SolverChoice::Auto
                })
                .tol(c.tol)
                .max_iter(c.max_iter);
            let fit = match w {
                Some(w) => params.fit_weighted(&c.x, &c.y, w),
                None => params.fit(&c.x, &c.y),
            };
            if let Ok(m) = fit {
                check_model(m.linear_model(), c.tol);
                let _ = m.outliers(&c.x, &c.y);
            }
        }
        11 => {
            // Multinomial: labels from the target (rounded, a few classes) or the raw target;
            // entrywise or grouped; probabilities of a fitted model are finite and sum to one.
            let y: Vec<T> = if u.ratio(1u8, 4)? {
                c.y.clone()
            } else {
                c.y.iter()
                    .map(|v| T::lit((v.as_f64().abs() * 7.0).floor() % 3.0))
                    .collect()
            };
            let params = MultinomialRegression::params()
                .alpha(c.alpha)
                .l1_ratio(c.ratio)
                .grouped(u.arbitrary()?)
                .fit_intercept(c.fit_intercept)
                .standardize(c.standardize)
                .tol(c.tol)
                .max_iter(c.max_iter);
            let fit = match w {
                Some(w) => params.fit_weighted(&c.x, &y, w),
                None => params.fit(&c.x, &y),
            };
            if let Ok(m) = fit {
                assert!(
                    m.coef().iter().all(|v| v.is_finite()),
                    "coef {:?}",
                    m.coef()
                );
                assert!(m.intercept().iter().all(|v| v.is_finite()));
                let r = m.report();
                assert!(r.kkt_violation.is_finite(), "kkt {:?}", r.kkt_violation);
                if r.status == Status::Converged {
                    if let Some(g) = r.relative_gap {
                        assert!(
                            g <= c.tol,
                            "converged with relative gap {g:?} > {:?}",
                            c.tol
                        );
                    }
                }
                if let Ok(prob) = m.predict_proba(&c.x) {
                    let k = m.n_classes();
                    for (i, row) in prob.chunks(k).enumerate() {
                        let s: f64 = row.iter().map(|v| v.as_f64()).sum();
                        let ok = prob.iter().all(|v| v.is_finite()) && (s - 1.0).abs() < 1e-3;
                        assert!(ok, "probabilities of row {i} sum to {s}");
                    }
                }
                let _ = m.score(&c.x, &y);
            }
        }
        12 => {
            // Group lasso: groups from arbitrary labels (always a partition), or arbitrary index
            // lists (usually invalid: a typed error); arbitrary weights and l1_ratio.
            let groups = if u.ratio(1u8, 3)? {
                let lists: Vec<Vec<usize>> = (0..u.int_in_range(0..=3usize)?)
                    .map(|_| {
                        (0..u.int_in_range(0..=3usize)?)
                            .map(|_| u.int_in_range(0..=6usize))
                            .collect::<Result<Vec<usize>>>()
                    })
                    .collect::<Result<_>>()?;
                Groups::new(&lists, c.p)
            } else {
                let labels = (0..c.p)
                    .map(|_| u.int_in_range(0..=2u8))
                    .collect::<Result<Vec<u8>>>()?;
                Groups::from_labels(&labels)
            };
            let Ok(groups) = groups else {
                return Ok(());
            };
            let weights = if u.ratio(1u8, 3)? {
                Some(common::vec_of(u, groups.n_groups(), |u| draw(u))?)
            } else {
                None
            };
            let ratio = if u.arbitrary()? { T::zero() } else { c.ratio };
            let params = GroupLasso::params(groups.clone())
                .group_weights(weights.clone())
                .l1_ratio(ratio)
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter);
            // with the case's sample weights when it has some (typed errors for bad ones)
            let sw = c.weights.as_deref();
            if let Ok(m) = params.fit_with(&c.x, &c.y, sw) {
                check_model(&m, c.tol);
            }
            let _ = params.alpha_max(&c.x, &c.y, sw);
            // the same partition with the Poisson (|y| as counts) and Huber datafits
            let counts: Vec<T> = c.y.iter().map(|v| v.abs()).collect();
            let po = PoissonGroupLasso::params(groups.clone())
                .group_weights(weights.clone())
                .l1_ratio(ratio)
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter);
            if let Ok(m) = po.fit_with(&c.x, &counts, sw) {
                check_model(&m, c.tol);
            }
            let hu = HuberGroupLasso::params(groups)
                .group_weights(weights)
                .delta(c.alpha + T::lit(0.5))
                .l1_ratio(ratio)
                .alpha(c.alpha)
                .fit_intercept(c.fit_intercept)
                .tol(c.tol)
                .max_iter(c.max_iter);
            if let Ok(m) = hu.fit_with(&c.x, &c.y, sw) {
                check_model(&m, c.tol);
            }
        }
        _ => {
            // Prediction and scoring of a fitted model on arbitrary (possibly mismatched) data.
            if let Ok(m) = Lasso::params()
                .alpha(c.alpha)
                .max_iter(c.max_iter)
                .fit(&c.x, &c.y)
            {
                let _ = m.predict(&c.x);
                let _ = m.score(&c.x, &c.y);
                let other = ColMajor::from_fn(c.n, c.p + 1, |_, _| T::one());
                assert!(m.predict(&other).is_err());
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let double: bool = u.arbitrary().unwrap_or(true);
    let _ = if double {
        run::<f64>(&mut u, common::finite_f64)
    } else {
        run::<f32>(&mut u, common::finite_f32)
    };
});
