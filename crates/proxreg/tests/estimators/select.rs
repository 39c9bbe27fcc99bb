//! The selection estimators: `LassoIc` against scikit-learn's `LassoLarsIC`
//! (tests/fixtures/lasso_ic.json, scripts/make_ic_fixtures.py), `ElasticNetIc` against the
//! criterion's definition recomputed from each path point's coefficients, `StabilitySelection`
//! against its definition (an explicit loop of single fits over the complementary halves,
//! plain and randomized), f32 and f64, typed errors.

use proxreg::prelude::*;
use proxreg::{ElasticNetIc, StabilitySelection};
use serde_json::Value;

fn cast<T: Scalar>(x: &ColMajor<f64>, y: &[f64]) -> (ColMajor<T>, Vec<T>) {
    let xs = ColMajor::from_fn(x.nrows(), x.ncols(), |i, j| T::lit(x.col(j)[i]));
    (xs, y.iter().map(|&v| T::lit(v)).collect())
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_f64().unwrap())
        .collect()
}

fn lasso_ic_fixture() -> (ColMajor<f64>, Vec<f64>, Vec<Value>) {
    let path = proxreg_fixtures::fixtures_dir().join("lasso_ic.json");
    let f: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rows: Vec<Vec<f64>> = f["x"].as_array().unwrap().iter().map(nums).collect();
    let x = ColMajor::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j]);
    (x, nums(&f["y"]), f["cases"].as_array().unwrap().clone())
}

/// On scikit-learn's own alphas (the LARS kinks) the criteria, the degrees of freedom, the
/// noise variance and the selected alpha are scikit-learn's; the refit is the path's solution.
///
/// At a kink the entering coefficient is exactly 0: in f64 at `tol` 1e-14 coordinate descent
/// leaves a residue below the dof threshold (64ε·max|w|), so every dof is scikit-learn's; in
/// f32 (`tol` 100ε) the residue may count, so the comparison is made where the dof agree
/// (and the selected alpha must still be scikit-learn's).
fn lasso_ic_matches<T: Scalar>(tol: T, rel: f64, exact_dof: bool) {
    let (x, y, cases) = lasso_ic_fixture();
    let (x, y) = cast::<T>(&x, &y);
    for case in &cases {
        let fi = case["fit_intercept"].as_bool().unwrap();
        let crit = if case["criterion"] == "aic" {
            Criterion::Aic
        } else {
            Criterion::Bic
        };
        let alphas: Vec<T> = nums(&case["alphas"]).iter().map(|&a| T::lit(a)).collect();
        let ic = LassoIc::params()
            .criterion(crit)
            .fit_intercept(fi)
            .alphas(alphas.clone())
            .tol(tol)
            .max_iter(100_000)
            .fit(&x, &y)
            .unwrap();
        let s2 = case["noise_variance"].as_f64().unwrap();
        assert!((ic.noise_variance().as_f64() - s2).abs() <= rel * s2);
        let df: Vec<T> = nums(&case["df"]).iter().map(|&d| T::lit(d)).collect();
        if exact_dof {
            assert_eq!(ic.dof(), &df[..]);
        }
        let mut compared = 0;
        for (k, (&g, &w)) in ic
            .criterion_path()
            .iter()
            .zip(&nums(&case["criterion_values"]))
            .enumerate()
        {
            if ic.dof()[k] == df[k] {
                assert!((g.as_f64() - w).abs() <= rel * w.abs(), "{k}: {g:?} vs {w}");
                compared += 1;
            }
        }
        assert!(compared >= df.len() / 2, "{compared} of {}", df.len());
        assert_eq!(ic.alpha(), T::lit(case["alpha"].as_f64().unwrap()));
        assert_eq!(ic.criterion(), crit);
        // The refit: a converged Lasso at the selected alpha, the path's solution there.
        let m = ic.model();
        assert_eq!(m.alpha(), ic.alpha());
        assert_eq!(m.status(), Status::Converged);
        let on_path = &ic.info().coefs[ic.index()];
        let scale = on_path.iter().fold(T::one(), |a, v| a.max(v.abs()));
        for (a, b) in m.coef().iter().zip(on_path) {
            assert!((*a - *b).abs() <= T::lit(rel) * scale);
        }
    }
}

#[test]
fn lasso_ic_matches_lasso_lars_ic_f64_f32() {
    lasso_ic_matches::<f64>(1e-14, 1e-6, true);
    lasso_ic_matches::<f32>(f32::EPSILON * 100.0, 1e-3, false);
}

fn enet_ic_definition<T: Scalar>() {
    let (x, y) = super::data(50, 6, 3);
    let (x, y) = cast::<T>(&x, &y);
    for crit in [Criterion::Aic, Criterion::Bic] {
        let ic = ElasticNetIc::params()
            .l1_ratio(T::lit(0.7))
            .criterion(crit)
            .n_alphas(15)
            .tol(T::lit(1e-6))
            .fit(&x, &y)
            .unwrap();
        let n = T::lit(50.0);
        let s2 = ic.noise_variance();
        let c = match crit {
            Criterion::Aic => T::lit(2.0),
            _ => n.ln(),
        };
        let info = ic.info();
        for k in 0..ic.alphas().len() {
            // RSS recomputed from the path's coefficients and intercept.
            let w = &info.coefs[k];
            let rss: T = (0..50)
                .map(|i| {
                    let r = y[i] - info.intercepts[k] - (0..6).map(|j| x.col(j)[i] * w[j]).sum();
                    r * r
                })
                .sum();
            assert!((rss - ic.rss()[k]).abs() <= T::lit(1e-4) * rss);
            // 0 <= dof <= number of non-zero coefficients (the ridge part shrinks it).
            let nnz = T::from_count(w.iter().filter(|v| **v != T::zero()).count());
            assert!(ic.dof()[k] >= T::zero() && ic.dof()[k] <= nnz + T::lit(1e-4));
            let terms = [
                n * (T::lit(2.0 * std::f64::consts::PI) * s2).ln(),
                rss / s2,
                c * ic.dof()[k],
            ];
            let want: T = terms.iter().copied().sum();
            // Relative to the terms' size: the sum may cancel to near 0.
            let scale: T = terms.iter().map(|t| t.abs()).sum();
            let got = ic.criterion_path()[k];
            assert!((got - want).abs() <= T::lit(1e-4) * scale, "{k}");
        }
        let best = ic.criterion_path()[ic.index()];
        assert!(ic.criterion_path().iter().all(|&v| v >= best));
        assert_eq!(ic.model().alpha(), ic.alpha());
        assert_eq!(ic.model().l1_ratio(), T::lit(0.7));
        assert_eq!(ic.model().status(), Status::Converged);
        // The noise variance is the least-squares residual variance RSS/(n − p − 1).
        let ols = Ridge::params().alpha(T::zero()).fit(&x, &y).unwrap();
        let rss_ols: T = (0..50)
            .map(|i| {
                let r = y[i] - ols.intercept() - (0..6).map(|j| x.col(j)[i] * ols.coef()[j]).sum();
                r * r
            })
            .sum();
        assert!((s2 - rss_ols / T::lit(43.0)).abs() <= T::lit(1e-4) * s2);
    }
}

#[test]
fn elastic_net_ic_is_its_definition_f64_f32() {
    enet_ic_definition::<f64>();
    enet_ic_definition::<f32>();
}

#[test]
fn ic_typed_errors() {
    // n <= p + 1: the variance cannot be estimated; a given one works.
    let (x, y) = super::data(6, 5, 1);
    assert!(matches!(
        LassoIc::params().n_alphas(5).fit(&x, &y),
        Err(Error::Unsupported { .. })
    ));
    let ok = LassoIc::params()
        .n_alphas(5)
        .noise_variance(0.1)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(ok.noise_variance(), 0.1);
    for v in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            LassoIc::params().noise_variance(v).fit(&x, &y),
            Err(Error::InvalidParameter {
                name: "noise_variance",
                ..
            })
        ));
    }
    for r in [1.5, f64::NAN] {
        assert!(ElasticNetIc::params().l1_ratio(r).check().is_err());
    }
    assert!(matches!(
        LassoIc::<f64>::params().n_alphas(0).check(),
        Err(Error::InvalidParameter {
            name: "n_alphas",
            ..
        })
    ));
    assert!(matches!(
        LassoIc::<f64>::params().eps(f64::NAN).check(),
        Err(Error::InvalidParameter { name: "eps", .. })
    ));
    let mut bad = y.clone();
    bad[2] = f64::NAN;
    assert!(LassoIc::params().noise_variance(1.0).fit(&x, &bad).is_err());
}

/// The probabilities from an explicit loop of single (cold) Lasso fits on each half, at each
/// alpha; `q` from the same loop; the bound and the selected set from their definitions.
fn stability_definition<T: Scalar>(weakness: Option<f64>) {
    let (x, y) = super::data(40, 6, 7);
    let (x, y) = cast::<T>(&x, &y);
    let alphas: Vec<T> = [1.0, 0.3, 0.1, 0.03].iter().map(|&a| T::lit(a)).collect();
    let tol = T::epsilon() * T::lit(100.0);
    let mut params = StabilitySelection::params()
        .alphas(alphas.clone())
        .n_pairs(6)
        .seed(9)
        .threshold(T::lit(0.7))
        .tol(tol)
        .max_iter(100_000);
    if let Some(w) = weakness {
        params = params.weakness(T::lit(w));
    }
    let st = params.fit(&x, &y).unwrap();
    assert_eq!(st.n_subsamples(), 12);
    assert_eq!(st.alphas(), &alphas[..]);
    let pairs = proxreg_cv::complementary_pairs(40, 6, 9).unwrap();
    let halves: Vec<&Vec<usize>> = pairs.iter().flat_map(|(a, b)| [a, b]).collect();
    let mut ever = vec![vec![false; 6]; halves.len()];
    for (a, &alpha) in alphas.iter().enumerate() {
        let mut counts = [0usize; 6];
        for (k, rows) in halves.iter().enumerate() {
            let xs = x.select_rows(rows).unwrap();
            let ys: Vec<T> = rows.iter().map(|&i| y[i]).collect();
            let mut b = Lasso::params().alpha(alpha).tol(tol).max_iter(100_000);
            if let Some(w) = weakness {
                let f = proxreg_cv::randomized_factors(6, T::lit(w), 9, k).unwrap();
                assert_eq!(st.path().penalty_factors.as_ref().unwrap()[k], f);
                b = b.penalty_factors(f);
            }
            let m = b.fit(&xs, &ys).unwrap();
            for (j, &w) in m.coef().iter().enumerate() {
                if w != T::zero() {
                    counts[j] += 1;
                    ever[k][j] = true;
                }
            }
        }
        for j in 0..6 {
            let want = T::from_count(counts[j]) / T::lit(12.0);
            assert_eq!(st.probabilities()[a][j], want, "alpha #{a} feature {j}");
        }
    }
    let q = T::from_count(ever.iter().flatten().filter(|&&e| e).count()) / T::lit(12.0);
    assert_eq!(st.mean_selected(), q);
    let bound = q * q / (T::lit(0.4) * T::lit(6.0));
    assert!((st.error_bound() - bound).abs() <= T::lit(8.0) * T::epsilon() * bound);
    let maxp = st.max_probabilities();
    let want: Vec<usize> = (0..6).filter(|&j| maxp[j] >= T::lit(0.7)).collect();
    assert_eq!(st.selected(), &want[..]);
    // The two true features (0 and 5) are stable on these data.
    assert!(st.selected().contains(&0) && st.selected().contains(&5));
    assert_eq!(st.n_not_converged(), 0);
    assert_eq!(st.path().penalty_factors.is_some(), weakness.is_some());
}

#[test]
fn stability_selection_is_its_definition_f64_f32() {
    for w in [None, Some(0.5)] {
        stability_definition::<f64>(w);
        stability_definition::<f32>(w);
    }
}

#[test]
fn stability_typed_errors() {
    let (x, y) = super::data(30, 4, 2);
    for t in [0.5, 0.3, 1.01, f64::NAN] {
        assert!(matches!(
            StabilitySelection::params().threshold(t).fit(&x, &y),
            Err(Error::InvalidParameter {
                name: "threshold",
                ..
            })
        ));
    }
    for w in [0.0, 1.5, f64::NAN] {
        assert!(matches!(
            StabilitySelection::params().weakness(w).check(),
            Err(Error::InvalidParameter {
                name: "weakness",
                ..
            })
        ));
    }
    assert!(matches!(
        StabilitySelection::<f64>::params().n_pairs(0).check(),
        Err(Error::InvalidParameter {
            name: "n_pairs",
            ..
        })
    ));
    let mut bad = x.clone();
    bad.col_mut(1)[3] = f64::NAN;
    assert!(StabilitySelection::params().fit(&bad, &y).is_err());
    assert!(StabilitySelection::params()
        .n_pairs(usize::MAX)
        .fit(&x, &y)
        .is_err());
    let (x3, y3) = super::data(3, 2, 2);
    assert!(matches!(
        StabilitySelection::params().fit(&x3, &y3),
        Err(Error::InvalidParameter {
            name: "n_samples",
            ..
        })
    ));
    assert!(StabilitySelection::params().fit(&x, &y[..10]).is_err());
}

/// Logistic stability selection: the probabilities from an explicit loop of single (cold)
/// `LogisticRegression` fits on each half at each alpha (labels 2 / 5 as the user gives them),
/// with and without randomized factors; the grid from the full data's logistic `alpha_max`.
#[test]
fn logistic_stability_selection_is_its_definition() {
    let fx = proxreg_fixtures::logistic::load_logistic("logistic_small").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let y: Vec<f64> = fx
        .problem
        .y
        .iter()
        .map(|&v| if v == 1.0 { 5.0 } else { 2.0 })
        .collect();
    let amax = LogisticRegression::params()
        .alpha_max(&x, &y, None)
        .unwrap();
    let alphas: Vec<f64> = [0.7, 0.3, 0.1].iter().map(|&a| a * amax).collect();
    let tol = 1e-12;
    for weakness in [None, Some(0.5)] {
        let mut params = StabilitySelection::params()
            .alphas(alphas.clone())
            .n_pairs(4)
            .seed(3)
            .threshold(0.7)
            .tol(tol);
        if let Some(w) = weakness {
            params = params.weakness(w);
        }
        let st = params.fit_logistic(&x, &y).unwrap();
        assert_eq!(st.n_subsamples(), 8);
        assert_eq!(st.n_not_converged(), 0);
        let pairs = proxreg_cv::complementary_pairs(n, 4, 3).unwrap();
        let halves: Vec<&Vec<usize>> = pairs.iter().flat_map(|(a, b)| [a, b]).collect();
        for (a, &alpha) in alphas.iter().enumerate() {
            let mut counts = vec![0usize; p];
            for (k, rows) in halves.iter().enumerate() {
                let xs = x.select_rows(rows).unwrap();
                let ys: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
                let mut b = LogisticRegression::params().alpha(alpha).tol(tol);
                if let Some(w) = weakness {
                    let f = proxreg_cv::randomized_factors(p, w, 3, k).unwrap();
                    assert_eq!(st.path().penalty_factors.as_ref().unwrap()[k], f);
                    b = b.penalty_factors(f);
                }
                let m = b.fit(&xs, &ys).unwrap();
                for (j, &w) in m.coef().iter().enumerate() {
                    counts[j] += usize::from(w != 0.0);
                }
            }
            for j in 0..p {
                let want = counts[j] as f64 / 8.0;
                assert_eq!(
                    st.probabilities()[a][j],
                    want,
                    "{weakness:?} alpha #{a} feature {j}"
                );
            }
        }
        let maxp = st.max_probabilities();
        let want: Vec<usize> = (0..p).filter(|&j| maxp[j] >= 0.7).collect();
        assert_eq!(st.selected(), &want[..]);
        assert!(!want.is_empty() && want.len() < p);
    }
    // Three labels: a typed error naming the target.
    let mut bad = y.clone();
    bad[0] = 7.0;
    assert!(matches!(
        StabilitySelection::params().fit_logistic(&x, &bad),
        Err(Error::InvalidTarget { .. })
    ));
}

/// `LogisticRegressionIc`: every criterion value from its definition on independent cold
/// `LogisticRegression` fits at each alpha (deviance `2·Σ s_i·ℓ(y_i, η_i)`, df the non-zeros),
/// with and without weights; the first minimum selected and refitted there.
#[test]
fn logistic_ic_is_its_definition() {
    use proxreg::{Criterion, LogisticRegressionIc};
    let fx = proxreg_fixtures::logistic::load_logistic("logistic_small").unwrap();
    let (n, p) = (fx.problem.n_samples, fx.problem.n_features);
    let x = ColMajor::new(fx.problem.x_col_major(), n, p).unwrap();
    let y = fx.problem.y.clone();
    let weights: Vec<f64> = (0..n).map(|i| 0.5 + (i % 3) as f64 * 0.5).collect();
    let tol = 1e-12;
    for w in [None, Some(&weights[..])] {
        for criterion in [Criterion::Aic, Criterion::Bic] {
            let params = LogisticRegressionIc::params()
                .criterion(criterion)
                .n_alphas(8)
                .eps(0.01)
                .tol(tol);
            let ic = match w {
                Some(s) => params.fit_weighted(&x, &y, s),
                None => params.fit(&x, &y),
            }
            .unwrap();
            assert_eq!(ic.alphas().len(), 8);
            assert_eq!(ic.n_not_converged(), 0);
            let mut crit = Vec::new();
            for (a, &alpha) in ic.alphas().iter().enumerate() {
                let b = LogisticRegression::params().alpha(alpha).tol(tol);
                let m = match w {
                    Some(s) => b.fit_weighted(&x, &y, s),
                    None => b.fit(&x, &y),
                }
                .unwrap();
                let prob = m.predict_proba(&x).unwrap();
                let dev: f64 = -2.0
                    * (0..n)
                        .map(|i| {
                            let s = w.map_or(1.0, |s| s[i]);
                            s * if y[i] == 1.0 {
                                prob[i].ln()
                            } else {
                                (1.0 - prob[i]).ln()
                            }
                        })
                        .sum::<f64>();
                let df = m.coef().iter().filter(|&&c| c != 0.0).count() as f64;
                assert!(
                    (ic.deviance()[a] - dev).abs() <= 1e-8 * dev,
                    "#{a}: {} vs {dev}",
                    ic.deviance()[a]
                );
                assert_eq!(ic.dof()[a], df, "#{a}");
                let k = if criterion == Criterion::Aic {
                    2.0
                } else {
                    (n as f64).ln()
                };
                crit.push(dev + k * df);
            }
            let mut best = 0;
            for (i, &c) in ic.criterion_path().iter().enumerate() {
                assert!((c - crit[i]).abs() <= 1e-8 * crit[i]);
                if c < ic.criterion_path()[best] {
                    best = i;
                }
            }
            assert_eq!(ic.index(), best);
            let b = LogisticRegression::params().alpha(ic.alpha()).tol(tol);
            let refit = match w {
                Some(s) => b.fit_weighted(&x, &y, s),
                None => b.fit(&x, &y),
            }
            .unwrap();
            assert_eq!(ic.model().coef(), refit.coef());
        }
    }
    let mut bad = y.clone();
    bad[1] = 3.0;
    assert!(matches!(
        LogisticRegressionIc::params().fit(&x, &bad),
        Err(Error::InvalidTarget { .. })
    ));
}
