//! Relaxed lasso and adaptive lasso against the numpy / scikit-learn references of
//! `tests/fixtures/relaxed_{diabetes,small}.json` (made by `scripts/make_relaxed_fixtures.py`),
//! their typed errors, and their cross-validation (honest folds, thread-count independence).

use proxreg::prelude::*;
use proxreg::{
    AdaptiveInit, AdaptiveLasso, AdaptiveLassoCv, KFold, LassoCv, RelaxedLasso, RelaxedLassoCv,
};
use serde_json::Value;

use super::{data, max_diff};

fn load(name: &str) -> Value {
    let path = proxreg_fixtures::fixtures_dir().join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn design(f: &Value) -> (ColMajor<f64>, Vec<f64>, Option<Vec<f64>>) {
    let rows: Vec<Vec<f64>> = f["x"].as_array().unwrap().iter().map(floats).collect();
    let (n, p) = (rows.len(), rows[0].len());
    let s = (!f["sample_weight"].is_null()).then(|| floats(&f["sample_weight"]));
    (
        ColMajor::from_fn(n, p, |i, j| rows[i][j]),
        floats(&f["y"]),
        s,
    )
}

/// `max |a − b| / max(1, ‖b‖∞)`.
fn rel(a: &[f64], b: &[f64]) -> f64 {
    max_diff(a, b) / b.iter().fold(1.0_f64, |m, v| m.max(v.abs()))
}

const TOL: f64 = 1e-6;

fn check_relaxed(file: &str) {
    let f = load(file);
    let (x, y, s) = design(&f);
    for case in f["relaxed"].as_array().unwrap() {
        let w = if case["weighted"].as_bool().unwrap() {
            s.as_deref()
        } else {
            None
        };
        let points = case["points"].as_array().unwrap();
        let alphas: Vec<f64> = points
            .iter()
            .map(|p| p["alpha"].as_f64().unwrap())
            .collect();
        let params = RelaxedLasso::params()
            .gamma(0.0)
            .tol(1e-14)
            .max_iter(1_000_000);
        let path = params.path(&x, &y, w, &alphas).unwrap();
        let name = format!("{file} {}", case["name"]);
        let mut worst = 0.0_f64;
        for (pt, fit) in points.iter().zip(&path) {
            let lasso = fit.lasso();
            let support: Vec<usize> = pt["support"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as usize)
                .collect();
            assert_eq!(lasso.support(), support, "{name} alpha {}", pt["alpha"]);
            assert_eq!(fit.refit().support(), &support[..]);
            assert_eq!(
                fit.refit().rank(),
                pt["refit_rank"].as_u64().unwrap() as usize
            );
            let mut lw = lasso.coef().to_vec();
            lw.push(lasso.intercept());
            let mut lref = floats(&pt["lasso_coef"]);
            lref.push(pt["lasso_intercept"].as_f64().unwrap());
            let mut rw = fit.refit().coef().to_vec();
            rw.push(fit.refit().intercept());
            let mut rref = floats(&pt["refit_coef"]);
            rref.push(pt["refit_intercept"].as_f64().unwrap());
            worst = worst.max(rel(&lw, &lref)).max(rel(&rw, &rref));
            assert!(rel(&lw, &lref) <= TOL, "{name} lasso {}", rel(&lw, &lref));
            assert!(rel(&rw, &rref) <= TOL, "{name} refit {}", rel(&rw, &rref));
            // The refit's own certificate: its normal equations hold to rounding.
            assert!(fit.refit().relative_normal_residual() <= 1e-9);
            // The Lasso point's certificate is carried.
            assert!(fit.kkt_violation() <= 1e-8 * case["alpha_max"].as_f64().unwrap());
            assert_eq!(fit.report(), lasso.report());
            for blend in pt["relaxed"].as_array().unwrap() {
                let gamma = blend["gamma"].as_f64().unwrap();
                let b = fit.with_gamma(gamma).unwrap();
                let mut bw = b.coef().to_vec();
                bw.push(b.intercept());
                let mut bref = floats(&blend["coef"]);
                bref.push(blend["intercept"].as_f64().unwrap());
                assert!(rel(&bw, &bref) <= TOL, "{name} gamma {gamma}");
            }
            // gamma = 1 is the Lasso, gamma = 0 the refit, exactly.
            assert_eq!(fit.with_gamma(1.0).unwrap().coef(), lasso.coef());
            assert_eq!(fit.coef(), fit.refit().coef());
        }
        eprintln!("{name}: worst relative difference {worst:.1e}");
        // A single fit is the path's point (same problem, solved from zero).
        let mid = alphas.len() / 2;
        let one = params.clone().alpha(alphas[mid]).gamma(0.5);
        let one = match w {
            Some(s) => one.fit_weighted(&x, &y, s).unwrap(),
            None => one.fit(&x, &y).unwrap(),
        };
        let from_path = path[mid].with_gamma(0.5).unwrap();
        assert!(rel(one.coef(), from_path.coef()) <= TOL);
    }
}

#[test]
fn relaxed_matches_numpy_lstsq_on_diabetes() {
    check_relaxed("relaxed_diabetes");
}

#[test]
fn relaxed_matches_numpy_lstsq_on_small_weighted_and_not() {
    check_relaxed("relaxed_small");
}

fn check_adaptive(file: &str) {
    let f = load(file);
    let (x, y, s) = design(&f);
    for case in f["adaptive"].as_array().unwrap() {
        let w = if case["weighted"].as_bool().unwrap() {
            s.as_deref()
        } else {
            None
        };
        let init = match case["init"].as_str().unwrap() {
            "ridge" => AdaptiveInit::Ridge(case["init_alpha"].as_f64().unwrap()),
            "ols" => AdaptiveInit::Ols,
            _ => AdaptiveInit::Given(floats(&case["given"])),
        };
        let params = AdaptiveLasso::params()
            .init(init)
            .nu(case["nu"].as_f64().unwrap())
            .init_eps(case["init_eps"].as_f64().unwrap())
            .tol(1e-14)
            .max_iter(1_000_000);
        let points = case["points"].as_array().unwrap();
        let alphas: Vec<f64> = points
            .iter()
            .map(|p| p["alpha"].as_f64().unwrap())
            .collect();
        let path = params.path(&x, &y, w, &alphas).unwrap();
        let name = format!("{file} {}", case["name"]);
        let init_ref = floats(&case["init_coef"]);
        assert!(rel(path[0].init_coef(), &init_ref) <= TOL, "{name} init");
        let amax = params.alpha_max(&x, &y, w).unwrap();
        let amax_ref = case["alpha_max"].as_f64().unwrap();
        assert!(
            (amax - amax_ref).abs() <= TOL * amax_ref,
            "{name} alpha_max"
        );
        for (j, fj) in case["factors"].as_array().unwrap().iter().enumerate() {
            let ours = path[0].factors()[j];
            match fj.as_f64() {
                Some(v) => assert!((ours - v).abs() <= TOL * v.max(1.0), "{name} factor {j}"),
                None => {
                    assert!(ours.is_infinite() && ours > 0.0);
                    assert!(path[0].excluded().contains(&j));
                }
            }
        }
        let mut worst = 0.0_f64;
        for (pt, fit) in points.iter().zip(&path) {
            let mut ours = fit.coef().to_vec();
            ours.push(fit.intercept());
            let mut reference = floats(&pt["coef"]);
            reference.push(pt["intercept"].as_f64().unwrap());
            worst = worst.max(rel(&ours, &reference));
            assert!(
                rel(&ours, &reference) <= TOL,
                "{name} alpha {}",
                pt["alpha"]
            );
            assert!(fit.coef().iter().all(|v| v.is_finite()));
            for &j in fit.excluded() {
                assert_eq!(fit.coef()[j], 0.0);
            }
            assert!(fit.duality_gap().unwrap() >= 0.0);
            assert_eq!(fit.status(), Status::Converged);
        }
        eprintln!("{name}: worst relative difference {worst:.1e}");
    }
}

#[test]
fn adaptive_matches_sklearn_rescaled_columns_on_diabetes() {
    check_adaptive("relaxed_diabetes");
}

#[test]
fn adaptive_matches_sklearn_rescaled_columns_on_small() {
    check_adaptive("relaxed_small");
}

fn is_invalid(r: Result<impl std::fmt::Debug>, param: &str) {
    match r {
        Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, param),
        other => panic!("expected InvalidParameter({param}), got {other:?}"),
    }
}

#[test]
fn bad_gamma_nu_and_init_are_typed_errors() {
    let (x, y) = data(30, 4, 7);
    for g in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
        is_invalid(RelaxedLasso::params().gamma(g).fit(&x, &y), "gamma");
        is_invalid(
            RelaxedLassoCv::params().gammas(vec![0.5, g]).fit(&x, &y),
            "gammas",
        );
    }
    let fit = RelaxedLasso::params().alpha(0.1).fit(&x, &y).unwrap();
    is_invalid(fit.with_gamma(f64::NAN), "gamma");
    assert!(matches!(
        RelaxedLassoCv::params().gammas(vec![]).fit(&x, &y),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        RelaxedLasso::params().positive(true).fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
    for nu in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        is_invalid(AdaptiveLasso::params().nu(nu).fit(&x, &y), "nu");
        is_invalid(AdaptiveLassoCv::params().nu(nu).fit(&x, &y), "nu");
    }
    is_invalid(
        AdaptiveLasso::params().init_eps(f64::NAN).fit(&x, &y),
        "init_eps",
    );
    is_invalid(
        AdaptiveLasso::params()
            .init(AdaptiveInit::Ridge(-1.0))
            .fit(&x, &y),
        "init ridge alpha",
    );
    match AdaptiveLasso::params()
        .init(AdaptiveInit::Given(vec![1.0; 3]))
        .fit(&x, &y)
    {
        Err(Error::DimensionMismatch {
            expected, found, ..
        }) => assert_eq!((expected, found), (4, 3)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        AdaptiveLasso::params()
            .init(AdaptiveInit::Given(vec![1.0, f64::NAN, 0.0, 1.0]))
            .fit(&x, &y),
        Err(Error::NonFinite { .. })
    ));
    // OLS needs n > p.
    let (xw, yw) = data(8, 10, 3);
    assert!(matches!(
        AdaptiveLasso::params()
            .init(AdaptiveInit::Ols)
            .fit(&xw, &yw),
        Err(Error::Unsupported { .. })
    ));
    // The ridge start works for p > n.
    let wide = AdaptiveLasso::params().alpha(0.05).fit(&xw, &yw).unwrap();
    assert_eq!(wide.coef().len(), 10);
}

#[test]
fn every_feature_excluded_gives_the_intercept_alone() {
    let (x, y) = data(30, 4, 11);
    let fit = AdaptiveLasso::params()
        .init(AdaptiveInit::Given(vec![0.0; 4]))
        .alpha(0.01)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(fit.excluded(), &[0, 1, 2, 3]);
    assert!(fit.coef().iter().all(|&v| v == 0.0));
    let mean = y.iter().sum::<f64>() / 30.0;
    assert!((fit.intercept() - mean).abs() < 1e-12);
    assert_eq!(fit.duality_gap(), Some(0.0));
    // With eps > 0 nothing is excluded and nothing is NaN.
    let fit = AdaptiveLasso::params()
        .init(AdaptiveInit::Given(vec![0.0; 4]))
        .init_eps(1e-3)
        .alpha(0.01)
        .fit(&x, &y)
        .unwrap();
    assert!(fit.excluded().is_empty());
    assert!(fit.factors().iter().all(|v| v.is_finite()));
}

/// Two identical columns, both unpenalised and both nonzero (coordinate descent keeps the split
/// of its warm start): the refit on a rank-deficient support is the minimal-norm solution,
/// which splits the coefficient equally.
#[test]
fn rank_deficient_support_gets_the_minimal_norm_refit() {
    let (base, y) = data(40, 3, 5);
    let x = ColMajor::from_fn(40, 4, |i, j| base.col(if j == 3 { 0 } else { j })[i]);
    let fit = RelaxedLasso::params()
        .alpha(0.01)
        .penalty_factors(vec![0.0, 1.0, 1.0, 0.0])
        .warm_start(vec![0.3, 0.0, 0.0, 0.7])
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    let refit = fit.refit();
    assert!(refit.support().contains(&0) && refit.support().contains(&3));
    assert_eq!(refit.rank(), refit.support().len() - 1);
    let (a, b) = (refit.coef()[0], refit.coef()[3]);
    assert!((a - b).abs() <= 1e-10 * a.abs().max(1.0), "{a} vs {b}");
    assert!(refit.relative_normal_residual() < 1e-10);
    // Same predictions as the full-rank refit on the three distinct columns.
    let distinct = RelaxedLasso::params()
        .alpha(0.01)
        .penalty_factors(vec![0.0, 1.0, 1.0])
        .tol(1e-12)
        .fit(&base, &y)
        .unwrap();
    if distinct.refit().support().len() + 1 == refit.support().len() {
        assert!((distinct.refit().coef()[0] - (a + b)).abs() < 1e-8);
    }
}

#[test]
fn relaxed_and_adaptive_work_in_f32() {
    let (x, y) = data(50, 5, 9);
    let x32 = ColMajor::from_fn(50, 5, |i, j| x.col(j)[i] as f32);
    let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
    let r64 = RelaxedLasso::params()
        .alpha(0.05)
        .gamma(0.25)
        .tol(1e-10)
        .fit(&x, &y)
        .unwrap();
    let r32 = RelaxedLasso::params()
        .alpha(0.05_f32)
        .gamma(0.25)
        .tol(1e-5)
        .fit(&x32, &y32)
        .unwrap();
    let c32: Vec<f64> = r32.coef().iter().map(|&v| v as f64).collect();
    assert!(rel(&c32, r64.coef()) < 1e-3);
    let a64 = AdaptiveLasso::params()
        .alpha(0.05)
        .tol(1e-10)
        .fit(&x, &y)
        .unwrap();
    let a32 = AdaptiveLasso::params()
        .alpha(0.05_f32)
        .tol(1e-5)
        .fit(&x32, &y32)
        .unwrap();
    let c32: Vec<f64> = a32.coef().iter().map(|&v| v as f64).collect();
    assert!(rel(&c32, a64.coef()) < 1e-3);
}

/// The fold errors are those of fits on the training rows alone (the refit for the relaxed
/// lasso, the initial ridge fit for the adaptive lasso): recomputed here by hand for one fold.
#[test]
fn cv_folds_fit_on_training_rows_only() {
    let (x, y) = data(45, 6, 21);
    let folds = KFold::new(3).split(45).unwrap();
    let alphas = vec![0.5, 0.1, 0.02];
    let cv = RelaxedLassoCv::params()
        .alphas(alphas.clone())
        .cv(KFold::new(3))
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    let acv = AdaptiveLassoCv::params()
        .alphas(alphas.clone())
        .cv(KFold::new(3))
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    let k = 1;
    let train = folds.train(k);
    let test = folds.test(k);
    let xt = x.select_rows(&train).unwrap();
    let yt: Vec<f64> = train.iter().map(|&i| y[i]).collect();
    let xs = x.select_rows(test).unwrap();
    let ys: Vec<f64> = test.iter().map(|&i| y[i]).collect();
    let mse = |pred: Vec<f64>| {
        pred.iter()
            .zip(&ys)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            / ys.len() as f64
    };
    for (g, &gamma) in cv.gammas().iter().enumerate() {
        let m = RelaxedLasso::params()
            .alpha(alphas[1])
            .gamma(gamma)
            .tol(1e-12)
            .fit(&xt, &yt)
            .unwrap();
        let e = mse(m.predict(&xs).unwrap());
        assert!(
            (cv.paths()[g].mse[1][k] - e).abs() <= 1e-8 * e,
            "gamma {gamma}"
        );
    }
    let m = AdaptiveLasso::params()
        .alpha(alphas[1])
        .tol(1e-12)
        .fit(&xt, &yt)
        .unwrap();
    let e = mse(m.predict(&xs).unwrap());
    assert!((acv.path().mse[1][k] - e).abs() <= 1e-8 * e);
    // Factors from the full data would differ: the fold's own initial fit is used.
    let full = AdaptiveLasso::params()
        .alpha(alphas[1])
        .fit(&x, &y)
        .unwrap();
    assert_ne!(full.factors(), m.factors());
}

/// With γ = 1 only, the relaxed CV is the Lasso CV: the same folds, grid and held-out errors.
#[test]
fn relaxed_cv_with_gamma_one_is_lasso_cv() {
    let (x, y) = data(60, 8, 4);
    let r = RelaxedLassoCv::params()
        .gammas(vec![1.0])
        .n_alphas(15)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    let l = LassoCv::params()
        .n_alphas(15)
        .tol(1e-12)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(r.alphas().len(), l.alphas().len());
    assert!(rel(r.alphas(), l.alphas()) < 1e-12);
    assert!(rel(&r.paths()[0].mean, l.mse_mean()) < 1e-8);
    assert_eq!(r.index_min().1, l.index_min());
    assert!(rel(r.model().coef(), l.model().coef()) < 1e-8);
}

#[test]
fn cv_selection_is_glmnets_and_bitwise_independent_of_threads() {
    let (x, y) = data(70, 10, 13);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            (
                RelaxedLassoCv::params()
                    .n_alphas(20)
                    .selection(Selection::OneStandardError)
                    .fit(&x, &y)
                    .unwrap(),
                AdaptiveLassoCv::params().n_alphas(20).fit(&x, &y).unwrap(),
            )
        })
    };
    let (r1, a1) = run(1);
    let (r2, a2) = run(2);
    assert_eq!(r1, r2);
    assert_eq!(a1, a2);
    // glmnet's rules: the minimum over the whole (gamma, alpha) grid; the 1se point has the
    // largest alpha within one standard error, then the largest gamma.
    let (gm, am) = r1.index_min();
    let best = r1.paths()[gm].mean[am];
    for p in r1.paths() {
        assert!(p.mean.iter().all(|&m| m >= best));
    }
    let bound = best + r1.paths()[gm].std_err[am];
    let (g1, a1se) = r1.index_1se();
    assert!(r1.paths()[g1].mean[a1se] <= bound);
    for (g, p) in r1.paths().iter().enumerate() {
        for (a, &m) in p.mean.iter().enumerate() {
            if m <= bound {
                assert!(a > a1se || (a == a1se && r1.gammas()[g] <= r1.gammas()[g1]));
            }
        }
    }
    assert_eq!(r1.alpha(), r1.alphas()[a1se]);
    assert_eq!(r1.gamma(), r1.gammas()[g1]);
    assert_eq!(
        (r1.model().alpha(), r1.model().gamma()),
        (r1.alpha(), r1.gamma())
    );
}
