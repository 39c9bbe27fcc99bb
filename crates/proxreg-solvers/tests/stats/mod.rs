//! Sufficient statistics: merges agree with one batch and with each other in any order, the
//! pairwise update stays accurate where raw moments cancel, and fits from the statistics alone
//! equal the in-memory fits on the same rows.

use proxreg_core::penalty::{ElasticNet, Penalty, SeparablePenalty, SquaredL2, Weighted, L1, L21};
use proxreg_core::{Error, Scalar};
use proxreg_linalg::ColMajor;
use proxreg_solvers::{
    alpha_grid, alpha_max, BlockCoordinateDescent, CdMode, CoordinateDescent, Fista, Prepared,
    Problem, RidgeDirect, RidgeSpectral, SufficientStats,
};

/// Correlated columns with non-zero means, and a target with noise.
fn data<T: Scalar>(n: usize, p: usize, shift: f64) -> (ColMajor<T>, Vec<T>) {
    let x = ColMajor::from_fn(n, p, |i, j| {
        let u = ((i * 37 + j * 101 + i * j * 7) % 97) as f64 / 97.0 - 0.3;
        let v = ((i * 13 + j * 29) % 31) as f64 / 31.0;
        T::lit(shift + u + 0.5 * (j as f64) + 0.7 * v + 0.2 * ((i + j) % 5) as f64)
    });
    let y: Vec<T> = (0..n)
        .map(|i| {
            let c0 = x.col(0)[i].as_f64() - shift;
            let c2 = x.col(2)[i].as_f64() - shift;
            T::lit(2.0 * c0 - 1.5 * c2 + ((i * 13) % 7) as f64 / 7.0 + 3.0)
        })
        .collect();
    (x, y)
}

fn weights<T: Scalar>(n: usize) -> Vec<T> {
    (0..n)
        .map(|i| T::lit([0.5, 1.0, 2.0, 0.0, 1.5][i % 5]))
        .collect()
}

fn rows_of<T: Scalar>(x: &ColMajor<T>, r: std::ops::Range<usize>) -> ColMajor<T> {
    ColMajor::from_fn(r.len(), x.ncols(), |i, j| x.col(j)[r.start + i])
}

/// Statistics of `x` cut at `cuts` (batch boundaries), one per batch.
fn batches<T: Scalar>(
    x: &ColMajor<T>,
    y: &[T],
    w: Option<&[T]>,
    cuts: &[usize],
) -> Vec<SufficientStats<T>> {
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(x.nrows());
    bounds
        .windows(2)
        .map(|b| {
            let r = b[0]..b[1];
            SufficientStats::from_batch(&rows_of(x, r.clone()), &y[r.clone()], w.map(|w| &w[r]))
                .unwrap()
        })
        .collect()
}

/// The largest difference between two statistics, relative to the scale of each part.
fn stats_diff<T: Scalar>(a: &SufficientStats<T>, b: &SufficientStats<T>) -> f64 {
    assert_eq!(a.n_samples(), b.n_samples());
    let rel = |u: &[T], v: &[T]| {
        let s = u
            .iter()
            .fold(0.0_f64, |m, x| m.max(x.as_f64().abs()))
            .max(1e-300);
        u.iter().zip(v).fold(0.0_f64, |m, (x, y)| {
            m.max((x.as_f64() - y.as_f64()).abs() / s)
        })
    };
    [
        rel(&[a.weight_sum()], &[b.weight_sum()]),
        rel(a.x_mean(), b.x_mean()),
        rel(&[a.y_mean()], &[b.y_mean()]),
        rel(a.xx().as_slice(), b.xx().as_slice()),
        rel(a.xy(), b.xy()),
        rel(&[a.yy()], &[b.yy()]),
    ]
    .into_iter()
    .fold(0.0, f64::max)
}

fn merge_all<T: Scalar>(parts: &[SufficientStats<T>]) -> SufficientStats<T> {
    let mut acc = SufficientStats::empty(parts[0].n_features());
    for s in parts {
        acc.merge(s).unwrap();
    }
    acc
}

fn tree<T: Scalar>(parts: &[SufficientStats<T>]) -> SufficientStats<T> {
    if parts.len() == 1 {
        return parts[0].clone();
    }
    let (l, r) = parts.split_at(parts.len() / 2);
    let mut a = tree(r);
    a.merge(&tree(l)).unwrap();
    a
}

fn merges_agree<T: Scalar>(weighted: bool) {
    let (n, p) = (203, 6);
    let (x, y) = data::<T>(n, p, 3.0);
    let w = weighted.then(|| weights::<T>(n));
    let whole = SufficientStats::from_batch(&x, &y, w.as_deref()).unwrap();
    let parts = batches(&x, &y, w.as_deref(), &[1, 17, 60, 61, 100, 150, 190]);
    let forward = merge_all(&parts);
    let mut rev = parts.clone();
    rev.reverse();
    let backward = merge_all(&rev);
    let treed = tree(&parts);
    let refs: Vec<&SufficientStats<T>> = parts.iter().collect();
    let combined = SufficientStats::combine(&refs).unwrap();
    let bound = 200.0 * T::epsilon().as_f64();
    for (name, s) in [
        ("forward", &forward),
        ("backward", &backward),
        ("tree", &treed),
        ("combine", &combined),
    ] {
        let d = stats_diff(&whole, s);
        assert!(d <= bound, "{name}: {d:e} > {bound:e}");
    }
    assert_eq!(forward.n_samples(), n);
}

#[test]
fn merge_equals_one_batch_in_any_order_f64() {
    merges_agree::<f64>(false);
    merges_agree::<f64>(true);
}

#[test]
fn merge_equals_one_batch_in_any_order_f32() {
    merges_agree::<f32>(false);
    merges_agree::<f32>(true);
}

/// `from_batch_scratch` (the caller's buffers as scratch space) gives the statistics of
/// `from_batch` bit for bit, and the same errors.
fn scratch_equals_from_batch<T: Scalar>() {
    let (x, y) = data::<T>(173, 6, 40.0);
    let w = weights::<T>(173);
    for wt in [None, Some(&w[..])] {
        let want = SufficientStats::from_batch(&x, &y, wt).unwrap();
        let (mut xs, mut ys) = (x.clone(), y.clone());
        let got = SufficientStats::from_batch_scratch(&mut xs, &mut ys, wt).unwrap();
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        assert_eq!(got, want);
    }
    let mut bad = x.clone();
    bad.col_mut(2)[5] = T::nan();
    let e1 = SufficientStats::from_batch(&bad, &y, None).unwrap_err();
    let e2 = SufficientStats::from_batch_scratch(&mut bad, &mut y.clone(), None).unwrap_err();
    assert_eq!(format!("{e1:?}"), format!("{e2:?}"));
    assert!(matches!(e2, Error::NonFinite { .. }));
    let zeros = vec![T::zero(); 173];
    let e = SufficientStats::from_batch_scratch(&mut x.clone(), &mut y.clone(), Some(&zeros));
    assert!(matches!(e, Err(Error::InvalidParameter { .. })));
    let e = SufficientStats::from_batch_scratch(&mut x.clone(), &mut y[..10].to_vec(), None);
    assert!(matches!(e, Err(Error::DimensionMismatch { .. })));
}

#[test]
fn from_batch_scratch_equals_from_batch_bitwise() {
    scratch_equals_from_batch::<f64>();
    scratch_equals_from_batch::<f32>();
}

#[test]
fn integer_weights_equal_repeated_rows() {
    let (x, y) = data::<f64>(40, 4, 1.0);
    let w: Vec<f64> = (0..40).map(|i| (i % 3) as f64).collect();
    let rows: Vec<usize> = (0..40)
        .flat_map(|i| std::iter::repeat_n(i, i % 3))
        .collect();
    let xr = ColMajor::from_fn(rows.len(), 4, |i, j| x.col(j)[rows[i]]);
    let yr: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let a = SufficientStats::from_batch(&x, &y, Some(&w)).unwrap();
    let b = SufficientStats::from_batch(&xr, &yr, None).unwrap();
    assert_eq!(a.weight_sum(), b.weight_sum());
    let mut a2 = a.clone();
    // only the row count differs (zero-weight rows count)
    a2.merge(&SufficientStats::empty(4)).unwrap();
    assert!(stats_diff(&SufficientStats::combine(&[&b]).unwrap(), &b) == 0.0);
    let d = {
        let mut bb = b.clone();
        bb.merge(&SufficientStats::empty(4)).unwrap();
        let rel = |u: &[f64], v: &[f64]| {
            let s = u.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
            u.iter()
                .zip(v)
                .fold(0.0_f64, |m, (x, y)| m.max((x - y).abs() / s))
        };
        rel(a.xx().as_slice(), bb.xx().as_slice()).max(rel(a.xy(), bb.xy()))
    };
    assert!(d < 1e-13, "{d:e}");
}

/// Columns with mean 1e8 and unit variance, in 100 batches: the pairwise merge keeps the
/// comoments to about 1e-9 (f64) while raw moments minus the mean's outer product lose every
/// digit.
#[test]
fn badly_centred_columns_stay_accurate() {
    let (n, p, nb) = (20_000, 3, 100);
    let mean = 1e8;
    // unit-variance-ish columns around 1e8 (deterministic, exactly representable offsets)
    let x = ColMajor::from_fn(n, p, |i, j| {
        let u = (((i * 7919 + j * 104_729) % 1000) as f64 - 499.5) / 288.675;
        mean + u + 0.3 * j as f64
    });
    let y: Vec<f64> = (0..n).map(|i| x.col(0)[i] - mean + 0.5).collect();
    // exact reference: the centred comoments computed on the offsets (x − 1e8 is exact here)
    let xc = ColMajor::from_fn(n, p, |i, j| x.col(j)[i] - mean);
    let reference = SufficientStats::from_batch(&xc, &y, None).unwrap();
    let cuts: Vec<usize> = (1..nb).map(|b| b * n / nb).collect();
    let merged = merge_all(&batches(&x, &y, None, &cuts));
    // naive: Σ xxᵀ − n μμᵀ accumulated batch by batch in raw moments
    let mut raw = vec![0.0_f64; p * p];
    let mut sum = vec![0.0_f64; p];
    for i in 0..n {
        for a in 0..p {
            sum[a] += x.col(a)[i];
            for b in 0..p {
                raw[a * p + b] += x.col(a)[i] * x.col(b)[i];
            }
        }
    }
    let nn = n as f64;
    let naive: Vec<f64> = (0..p * p)
        .map(|ab| raw[ab] - sum[ab / p] * sum[ab % p] / nn)
        .collect();
    let rel = |v: &[f64]| {
        let s = reference
            .xx()
            .as_slice()
            .iter()
            .fold(0.0_f64, |m, x| m.max(x.abs()));
        reference
            .xx()
            .as_slice()
            .iter()
            .zip(v)
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs() / s))
    };
    let err_pairwise = rel(merged.xx().as_slice());
    let err_naive = rel(&naive);
    println!("mean 1e8, unit variance, n = {n}, {nb} batches: relative error of XᵀX pairwise {err_pairwise:.2e}, raw moments {err_naive:.2e}");
    assert!(err_pairwise < 1e-8, "{err_pairwise:e}");
    assert!(
        err_naive > 1e-2,
        "the naive formula should fail here: {err_naive:e}"
    );
    // and the fit from the merged statistics equals the in-memory fit on the same rows
    let cd = CoordinateDescent::new().tol(1e-13);
    let prep = merged.prepare(true, false).unwrap();
    let a = 0.05 * alpha_max(&prep, &L1).unwrap();
    let s1 = cd.solve_prepared(&prep, &L1, a, None, &mut ()).unwrap();
    // in memory, with naive (residual) updates and with Gram updates (whose Gram matrix is
    // formed from a centred copy here: the rank-one mean correction would cancel)
    for mode in [CdMode::Naive, CdMode::Gram] {
        let s2 = cd
            .clone()
            .mode(mode)
            .solve(
                &Problem::new(&x, &y, &L1, a).fit_intercept(true),
                None,
                &mut (),
            )
            .unwrap();
        let dw = max_rel(&s1.coef, &s2.coef);
        let db = (s1.intercept[0] - s2.intercept[0]).abs() / s2.intercept[0].abs();
        println!("  Lasso from merged statistics vs in memory ({mode:?}): coef {dw:.2e}, intercept {db:.2e}");
        assert!(dw < 1e-8 && db < 1e-8, "{dw:e} {db:e}");
    }
}

fn max_rel<T: Scalar>(a: &[T], b: &[T]) -> f64 {
    let s = b
        .iter()
        .fold(0.0_f64, |m, x| m.max(x.as_f64().abs()))
        .max(1e-300);
    a.iter().zip(b).fold(0.0_f64, |m, (x, y)| {
        m.max((x.as_f64() - y.as_f64()).abs() / s)
    })
}

use proxreg_solvers::Solver;

/// A fit from merged statistics against the in-memory fit of the same problem; returns the
/// relative differences of the coefficients and the intercept.
fn compare<T: Scalar, P: SeparablePenalty<T> + Penalty<T>>(
    x: &ColMajor<T>,
    y: &[T],
    w: Option<&[T]>,
    pen: &P,
    intercept: bool,
    standardize: bool,
    cd: &CoordinateDescent<T>,
) -> (f64, f64) {
    let parts = batches(x, y, w, &[13, 50, 51, 120]);
    let stats = tree(&parts);
    let prep = stats.prepare(intercept, standardize).unwrap();
    assert!(!prep.has_rows());
    let pb = Problem::new(x, y, pen, T::zero())
        .fit_intercept(intercept)
        .standardize(standardize)
        .sample_weight(w);
    let full = Prepared::new(&pb, false).unwrap();
    let amax = alpha_max(&full, pen).unwrap();
    let amax_s = alpha_max(&prep, pen).unwrap();
    assert!((amax.as_f64() - amax_s.as_f64()).abs() <= 1e3 * T::epsilon().as_f64() * amax.as_f64());
    let a = amax * T::lit(0.03);
    let s1 = cd.solve_prepared(&prep, pen, a, None, &mut ()).unwrap();
    let s2 = cd.solve(&pb.with_alpha(a), None, &mut ()).unwrap();
    assert!(s1.converged() && s2.converged(), "{s1:?}");
    assert!(s1.coef.iter().any(|&v| v != T::zero()));
    let db = (s1.intercept[0].as_f64() - s2.intercept[0].as_f64()).abs()
        / (s2.intercept[0].as_f64().abs().max(1.0));
    (max_rel(&s1.coef, &s2.coef), db)
}

fn fits_equal<T: Scalar>(bound: f64, tol: f64) {
    let (n, p) = (160, 7);
    let (x, y) = data::<T>(n, p, 2.0);
    let cd = CoordinateDescent::new().tol(T::lit(tol));
    let w = weights::<T>(n);
    let enet = ElasticNet::new(T::lit(0.7)).unwrap();
    let factors: Vec<T> = (0..p)
        .map(|j| T::lit([1.0, 0.5, 2.0, 0.0, 1.0, 1.5, 1.0][j]))
        .collect();
    let wl1 = Weighted::new(L1, factors).unwrap();
    let mut worst = (0.0_f64, 0.0_f64);
    for intercept in [true, false] {
        for standardize in [false, true] {
            for wt in [None, Some(w.as_slice())] {
                for (dw, db) in [
                    compare(&x, &y, wt, &L1, intercept, standardize, &cd),
                    compare(&x, &y, wt, &enet, intercept, standardize, &cd),
                    compare(&x, &y, wt, &wl1, intercept, standardize, &cd),
                ] {
                    assert!(
                        dw <= bound && db <= bound,
                        "intercept {intercept} standardize {standardize} weights {}: {dw:e} {db:e}",
                        wt.is_some()
                    );
                    worst = (worst.0.max(dw), worst.1.max(db));
                }
            }
        }
    }
    println!(
        "{}: fits from statistics vs in memory, worst relative difference coef {:.2e}, intercept {:.2e}",
        std::any::type_name::<T>(),
        worst.0,
        worst.1
    );
}

#[test]
fn lasso_enet_weighted_l1_from_stats_equal_in_memory_f64() {
    fits_equal::<f64>(1e-10, 1e-14);
}

#[test]
fn lasso_enet_weighted_l1_from_stats_equal_in_memory_f32() {
    fits_equal::<f32>(2e-3, 1e-6);
}

#[test]
fn path_from_stats_equals_in_memory_path() {
    let (x, y) = data::<f64>(150, 6, 5.0);
    let stats = tree(&batches(&x, &y, None, &[40, 90]));
    let prep = stats.prepare(true, true).unwrap();
    let pen = ElasticNet::new(0.5).unwrap();
    let grid = alpha_grid(alpha_max(&prep, &pen).unwrap(), 20, 1e-3).unwrap();
    let cd = CoordinateDescent::new().tol(1e-13);
    let p1 = cd.path_prepared(&prep, &pen, &grid, None).unwrap();
    let p2 = cd
        .path(
            &Problem::new(&x, &y, &pen, 0.0)
                .fit_intercept(true)
                .standardize(true),
            &grid,
        )
        .unwrap();
    assert!(p1.all_converged() && p2.all_converged());
    assert!(p1.max_relative_gap().unwrap() <= 1e-13);
    let mut worst = 0.0_f64;
    for (a, b) in p1.solutions.iter().zip(&p2.solutions) {
        worst = worst.max(max_rel(&a.coef, &b.coef));
        assert!((a.intercept[0] - b.intercept[0]).abs() <= 1e-10 * b.intercept[0].abs().max(1.0));
    }
    println!("path of 20 alphas from statistics vs in memory: worst coef difference {worst:.2e}");
    assert!(worst <= 1e-10, "{worst:e}");
}

#[test]
fn ridge_from_stats_equals_in_memory() {
    for weighted in [false, true] {
        let (x, y) = data::<f64>(120, 5, 10.0);
        let w = weighted.then(|| weights::<f64>(120));
        let stats = merge_all(&batches(&x, &y, w.as_deref(), &[30, 31, 77]));
        for (intercept, standardize) in [(true, false), (false, false), (true, true)] {
            let prep = stats.prepare(intercept, standardize).unwrap();
            let r1 = RidgeDirect::new()
                .condition_number(true)
                .solve_prepared(&prep, 0.1)
                .unwrap();
            let pb = Problem::new(&x, &y, &SquaredL2, 0.1)
                .fit_intercept(intercept)
                .standardize(standardize)
                .sample_weight(w.as_deref());
            let r2 = RidgeDirect::new().solve(&pb).unwrap();
            let dw = max_rel(&r1.solution.coef, &r2.solution.coef);
            assert!(dw <= 1e-10, "{dw:e}");
            assert!(
                (r1.solution.intercept[0] - r2.solution.intercept[0]).abs()
                    <= 1e-10 * r2.solution.intercept[0].abs().max(1.0)
            );
            assert!(r1.solution.relative_gap.unwrap() <= 1e-12);
            assert!(r1.condition_number.unwrap() >= 1.0);
            // and the in-memory prepared route gives the same
            let r3 = RidgeDirect::new()
                .solve_prepared(&Prepared::new(&pb, false).unwrap(), 0.1)
                .unwrap();
            assert!(max_rel(&r3.solution.coef, &r2.solution.coef) <= 1e-10);
        }
    }
}

#[test]
fn folds_and_hash_folds() {
    let (x, y) = data::<f64>(90, 4, 1.0);
    let k = 4;
    let ids: Vec<usize> = (0..90)
        .map(|i| proxreg_solvers::fold_of_id(1000 + i as u64, k))
        .collect();
    let counts: Vec<usize> = (0..k)
        .map(|f| ids.iter().filter(|&&v| v == f).count())
        .collect();
    assert!(counts.iter().all(|&c| c > 5), "{counts:?}");
    let per = SufficientStats::by_fold(&x, &y, None, &ids, k).unwrap();
    for f in 0..k {
        let others: Vec<&SufficientStats<f64>> =
            (0..k).filter(|&g| g != f).map(|g| &per[g]).collect();
        let train = SufficientStats::combine(&others).unwrap();
        let rows: Vec<usize> = (0..90).filter(|&i| ids[i] != f).collect();
        let xt = ColMajor::from_fn(rows.len(), 4, |i, j| x.col(j)[rows[i]]);
        let yt: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
        let direct = SufficientStats::from_batch(&xt, &yt, None).unwrap();
        assert!(stats_diff(&direct, &train) < 1e-13);
    }
    // a fold with no rows gets empty statistics, which merge as the identity
    let per = SufficientStats::by_fold(&x, &y, None, &vec![0; 90], 2).unwrap();
    assert_eq!(per[1].n_samples(), 0);
    assert!(per[1].prepare(true, false).is_err());
    assert!(matches!(
        SufficientStats::by_fold(&x, &y, None, &vec![3; 90], 2),
        Err(Error::IndexOutOfRange { .. })
    ));
}

#[test]
fn typed_errors_and_no_row_solvers() {
    let (x, y) = data::<f64>(30, 3, 0.0);
    let bad = |r: proxreg_core::Result<SufficientStats<f64>>| r.unwrap_err();
    assert!(matches!(
        bad(SufficientStats::from_batch(&x, &y[..29], None)),
        Error::DimensionMismatch { .. }
    ));
    assert!(matches!(
        bad(SufficientStats::from_batch(&x, &y, Some(&[1.0; 29]))),
        Error::DimensionMismatch { .. }
    ));
    let mut xn = x.clone();
    xn.col_mut(2)[7] = f64::NAN;
    assert!(matches!(
        bad(SufficientStats::from_batch(&xn, &y, None)),
        Error::NonFinite { what: "X", index } if index == 2 * 30 + 7
    ));
    let mut yn = y.clone();
    yn[3] = f64::INFINITY;
    assert!(matches!(
        bad(SufficientStats::from_batch(&x, &yn, None)),
        Error::NonFinite { what: "y", .. }
    ));
    for wbad in [-1.0, f64::NAN, f64::INFINITY] {
        let mut w = vec![1.0; 30];
        w[4] = wbad;
        assert!(matches!(
            bad(SufficientStats::from_batch(&x, &y, Some(&w))),
            Error::InvalidParameter {
                name: "sample_weight",
                ..
            }
        ));
    }
    assert!(matches!(
        bad(SufficientStats::from_batch(&x, &y, Some(&[0.0; 30]))),
        Error::InvalidParameter {
            name: "sample_weight",
            ..
        }
    ));
    let empty = ColMajor::<f64>::zeros(0, 3);
    assert!(SufficientStats::from_batch(&empty, &[], None).is_err());
    let huge = ColMajor::from_fn(3, 1, |i, _| 1e200 * i as f64);
    assert!(matches!(
        bad(SufficientStats::from_batch(&huge, &[1.0, 2.0, 3.0], None)),
        Error::Numerical { .. }
    ));
    let mut s = SufficientStats::from_batch(&x, &y, None).unwrap();
    let before = s.clone();
    assert!(s.merge(&SufficientStats::empty(2)).is_err());
    assert_eq!(s, before);
    assert!(matches!(
        SufficientStats::<f64>::empty(3).prepare(true, false),
        Err(Error::Empty { .. })
    ));
    assert!(SufficientStats::<f64>::combine(&[]).is_err());
    // from_parts validation
    let xx = before.xx().clone();
    let ok = |xx: ColMajor<f64>, xy: Vec<f64>, yy: f64, ws: f64| {
        SufficientStats::from_parts(30, ws, before.x_mean().to_vec(), 0.0, xx, xy, yy)
    };
    assert!(ok(xx.clone(), before.xy().to_vec(), before.yy(), 30.0).is_ok());
    assert!(ok(xx.clone(), vec![0.0; 2], 1.0, 30.0).is_err());
    assert!(ok(xx.clone(), before.xy().to_vec(), -1.0, 30.0).is_err());
    assert!(ok(xx.clone(), before.xy().to_vec(), 1.0, 0.0).is_err());
    assert!(ok(xx.clone(), before.xy().to_vec(), f64::NAN, 30.0).is_err());
    assert!(matches!(
        SufficientStats::from_parts(1, 1.0, vec![], 0.0, ColMajor::zeros(0, 0), vec![], 1.0),
        Err(Error::Empty { .. })
    ));
    let mut asym = xx.clone();
    asym.col_mut(0)[1] += 1.0;
    assert!(ok(asym, before.xy().to_vec(), 1.0, 30.0).is_err());
    // solvers that need rows say so
    let prep = before.prepare(true, false).unwrap();
    let unsupported = |r: proxreg_core::Result<proxreg_solvers::Solution<f64>>| {
        matches!(r, Err(Error::Unsupported { .. }))
    };
    assert!(unsupported(
        CoordinateDescent::new()
            .mode(CdMode::Naive)
            .solve_prepared(&prep, &L1, 0.1, None, &mut ())
    ));
    assert!(unsupported(Fista::new().solve_prepared(
        &prep,
        &L1,
        0.1,
        None,
        &mut ()
    )));
    assert!(unsupported(BlockCoordinateDescent::new().solve_prepared(
        &prep,
        &L21::new(3, 1).unwrap(),
        0.1,
        None,
        &mut ()
    )));
    assert!(matches!(
        RidgeSpectral::new(&prep),
        Err(Error::Unsupported { .. })
    ));
    assert!(prep.centered_gemv_t(&[0.0; 30], &mut [0.0; 3]).is_err());
    assert!(prep.centered_products(&x, false).is_err());
    assert_eq!(prep.centered_design().nrows(), 0);
    assert!(prep.targets().is_empty());
    // Gram mode runs whatever the Auto heuristic says (here n < 2p would pick naive updates)
    let few = ColMajor::from_fn(5, 4, |i, j| ((i + 1) * (j + 2) % 7) as f64);
    let yf = [1.0, 0.0, 2.0, -1.0, 0.5];
    let pf = SufficientStats::from_batch(&few, &yf, None)
        .unwrap()
        .prepare(true, false)
        .unwrap();
    let a = 0.1 * alpha_max(&pf, &L1).unwrap();
    let s1 = CoordinateDescent::new()
        .tol(1e-12)
        .solve_prepared(&pf, &L1, a, None, &mut ())
        .unwrap();
    let s2 = CoordinateDescent::new()
        .tol(1e-12)
        .solve(
            &Problem::new(&few, &yf, &L1, a).fit_intercept(true),
            None,
            &mut (),
        )
        .unwrap();
    assert!(s1.converged() && max_rel(&s1.coef, &s2.coef) < 1e-9);
}
