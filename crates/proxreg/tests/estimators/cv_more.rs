//! Error measures (MSE, MAE, user closures), rayon thread-count independence, the 2-D
//! one-standard-error rule and the grid-edge flag of the cross-validated estimators.

#![allow(clippy::panic)]

use proxreg::prelude::*;
use proxreg::{ElasticNetCv, ErrorMeasure, LassoCv, RidgeCv, RidgeCvMode};

fn cast<T: Scalar>(x: &ColMajor<f64>, y: &[f64]) -> (ColMajor<T>, Vec<T>) {
    let xs = ColMajor::from_fn(x.nrows(), x.ncols(), |i, j| T::lit(x.col(j)[i]));
    (xs, y.iter().map(|&v| T::lit(v)).collect())
}

fn measures<T: Scalar>() {
    let (x, y) = super::data(40, 5, 11);
    let (x, y) = cast::<T>(&x, &y);
    let base = LassoCv::<T>::params().n_alphas(12).cv(KFold::new(4));
    let mse = base.clone().fit(&x, &y).unwrap();
    // A user closure computing the MSE gives the same bits as the built-in one.
    let user_mse = ErrorMeasure::custom(|t: &[T], p: &[T]| {
        t.iter().zip(p).map(|(&a, &b)| (a - b) * (a - b)).sum::<T>() / T::from_count(t.len())
    });
    let u = base.clone().measure(user_mse).fit(&x, &y).unwrap();
    // (In Gram mode the built-in MSE comes from the folds' block statistics when that is
    // accurate to 1e-8: equal to the closure's to rounding, not bit for bit.)
    for (a, b) in u
        .path()
        .mse
        .iter()
        .flatten()
        .zip(mse.path().mse.iter().flatten())
    {
        assert!((*a - *b).abs() <= T::lit(1e-7) * b.abs(), "{a:?} vs {b:?}");
    }
    // MAE: built-in equals the closure, and differs from the MSE.
    let mae = base.clone().measure(ErrorMeasure::Mae).fit(&x, &y).unwrap();
    let user_mae = ErrorMeasure::custom(|t: &[T], p: &[T]| {
        t.iter().zip(p).map(|(&a, &b)| (a - b).abs()).sum::<T>() / T::from_count(t.len())
    });
    let u = base.measure(user_mae).fit(&x, &y).unwrap();
    assert_eq!(u.path().mse, mae.path().mse);
    assert_ne!(mae.path().mse, mse.path().mse);
    // RidgeCv K-fold MAE against Ridge fitted on each fold's training rows.
    let alphas: Vec<T> = [10.0, 1.0, 0.1].iter().map(|&a| T::lit(a)).collect();
    let cv = RidgeCv::<T>::params()
        .alphas(alphas.clone())
        .mode(RidgeCvMode::KFold(KFold::new(4)))
        .measure(ErrorMeasure::Mae)
        .fit(&x, &y)
        .unwrap();
    let kf = cv.kfold().unwrap();
    let folds = KFold::new(4).split(40).unwrap();
    for (a, &alpha) in alphas.iter().enumerate() {
        for k in 0..4 {
            let train = folds.train(k);
            let xt = x.select_rows(&train).unwrap();
            let yt: Vec<T> = train.iter().map(|&i| y[i]).collect();
            let m = Ridge::params()
                .alpha(alpha)
                .solver(SolverChoice::Svd)
                .fit(&xt, &yt)
                .unwrap();
            let pred = m.predict(&x.select_rows(folds.test(k)).unwrap()).unwrap();
            let want = folds
                .test(k)
                .iter()
                .zip(&pred)
                .map(|(&i, &p)| (y[i] - p).abs())
                .sum::<T>()
                / T::from_count(pred.len());
            let got = kf.mse[a][k];
            let tol = T::epsilon() * T::lit(1e3);
            assert!(
                (got - want).abs() <= tol * want,
                "{a} {k}: {got:?} vs {want:?}"
            );
        }
    }
}

/// The same ElasticNetCv on a 1-thread and a 4-thread pool: the same bits.
fn thread_counts<T: Scalar + Bits>() {
    let (x, y) = super::data(60, 8, 5);
    let (x, y) = cast::<T>(&x, &y);
    let params = ElasticNetCv::<T>::params()
        .l1_ratios(vec![T::lit(0.1), T::lit(0.5), T::lit(0.9)])
        .n_alphas(15)
        .cv(KFold::new(5))
        .selection(Selection::OneStandardError);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| params.fit(&x, &y).unwrap())
    };
    let (one, four) = (run(1), run(4));
    assert_eq!(one, four);
    for (a, b) in one.paths().iter().zip(four.paths()) {
        for (ra, rb) in a.mse.iter().zip(&b.mse) {
            for (u, v) in ra.iter().zip(rb) {
                assert_eq!((*u).to_bits_u64(), (*v).to_bits_u64());
            }
        }
    }
    for (u, v) in one.model().coef().iter().zip(four.model().coef()) {
        assert_eq!((*u).to_bits_u64(), (*v).to_bits_u64());
    }
}

trait Bits {
    fn to_bits_u64(self) -> u64;
}
impl Bits for f32 {
    fn to_bits_u64(self) -> u64 {
        u64::from(self.to_bits())
    }
}
impl Bits for f64 {
    fn to_bits_u64(self) -> u64 {
        self.to_bits()
    }
}

macro_rules! per_scalar {
    ($($name:ident: $t:ty),*) => {$(
        mod $name {
            #[test]
            fn error_measures() {
                super::measures::<$t>();
            }
            #[test]
            fn one_thread_equals_four_threads() {
                super::thread_counts::<$t>();
            }
        }
    )*};
}
per_scalar!(f32_: f32, f64_: f64);

#[test]
fn one_standard_error_across_the_l1_ratio_grid() {
    let (x, y) = super::data(60, 8, 21);
    let ratios = vec![0.2, 0.6, 1.0];
    let base = ElasticNetCv::params()
        .l1_ratios(ratios.clone())
        .n_alphas(20)
        .tol(1e-10);
    let min = base.clone().fit(&x, &y).unwrap();
    let se = base
        .selection(Selection::OneStandardError)
        .fit(&x, &y)
        .unwrap();
    assert_eq!(min.paths(), se.paths());
    assert_eq!(min.l1_ratio(), se.l1_ratio_min());
    // The minimum and its bound.
    let pm = min.path();
    let bound = pm.mean[pm.index_min] + pm.std_err[pm.index_min];
    // The pick is within the bound and no candidate is sparser (larger alpha·l1_ratio).
    let i = se.paths().iter().position(|p| p == se.path()).unwrap();
    let idx = se.alphas().iter().position(|&a| a == se.alpha()).unwrap();
    assert!(se.path().mean[idx] <= bound);
    let key = se.alpha() * se.l1_ratio();
    for (r, p) in se.paths().iter().enumerate() {
        for (a, &m) in p.mean.iter().enumerate() {
            if m <= bound {
                assert!(p.alphas[a] * ratios[r] <= key, "({r}, {a}) is sparser");
            }
        }
    }
    assert!(key >= min.alpha() * min.l1_ratio());
    assert_eq!(se.model().alpha(), se.alpha());
    assert_eq!(se.model().l1_ratio(), ratios[i]);
}

#[test]
fn grid_edge_flag() {
    let (x, y) = super::data(60, 6, 2);
    // Every alpha zeroes every coefficient: all errors tie, the minimum is the first alpha.
    let flat = LassoCv::params()
        .alphas(vec![1e6, 1e5, 1e4])
        .fit(&x, &y)
        .unwrap();
    assert_eq!(flat.index_min(), 0);
    assert!(flat.on_grid_edge());
    // Tiny alphas only: the least-squares end, an edge too.
    let tiny = ElasticNetCv::params()
        .l1_ratios(vec![0.5])
        .alphas(vec![1e-3, 1e-4, 1e-5, 1e-6])
        .tol(1e-10)
        .fit(&x, &y)
        .unwrap();
    let im = tiny.index_min();
    assert_eq!(tiny.on_grid_edge(), im == 0 || im == 3);
    // The automatic grid on data with signal and noise: an interior minimum.
    let auto = LassoCv::params().n_alphas(30).fit(&x, &y).unwrap();
    assert!(!auto.on_grid_edge(), "index_min {} of 30", auto.index_min());
}

/// glmnet's cvm, cvsd, lambda.min and lambda.1se with a given foldid (python-glmnet 2.2.1,
/// tests/fixtures/glmnet_cv.json from scripts/make_glmnet_cv_fixtures.py).
#[test]
fn lasso_cv_matches_glmnet_with_fold_ids() {
    let path = proxreg_fixtures::fixtures_dir().join("glmnet_cv.json");
    let f: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let fl = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_f64().unwrap())
            .collect()
    };
    let src = proxreg_fixtures::load("estimators_iid").unwrap();
    let pb = src.problem.as_ref().unwrap();
    let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
    let ids: Vec<usize> = f["fold_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let lambdas = fl(&f["lambdas"]);
    let base = LassoCv::params()
        .alphas(lambdas.clone())
        .fold_ids(ids)
        .tol(1e-14)
        .max_iter(1_000_000);
    let min = base.clone().fit(&x, &pb.y).unwrap();
    let se = base
        .selection(Selection::OneStandardError)
        .fit(&x, &pb.y)
        .unwrap();
    assert_eq!(min.alphas(), &lambdas[..]);
    for (a, (&got, &want)) in min.mse_mean().iter().zip(&fl(&f["cvm"])).enumerate() {
        assert!(
            (got - want).abs() <= 1e-6 * want,
            "cvm #{a}: {got} vs {want}"
        );
    }
    for (a, (&got, &want)) in min.mse_std_err().iter().zip(&fl(&f["cvsd"])).enumerate() {
        assert!(
            (got - want).abs() <= 1e-6 * want,
            "cvsd #{a}: {got} vs {want}"
        );
    }
    assert_eq!(min.index_min(), f["index_min"].as_u64().unwrap() as usize);
    assert_eq!(min.index_1se(), f["index_1se"].as_u64().unwrap() as usize);
    assert_eq!(min.alpha(), f["lambda_min"].as_f64().unwrap());
    assert_eq!(se.alpha(), f["lambda_1se"].as_f64().unwrap());
}

/// MultiTaskLassoCv: every held-out MSE equals a MultiTaskLasso fitted on the fold's training
/// rows (mean over all test entries of both tasks); selection and refit; f32 and f64.
fn multitask<T: Scalar>() {
    let (x, y1) = super::data(36, 5, 17);
    let (x, y1) = cast::<T>(&x, &y1);
    let n = 36;
    let y: Vec<T> = (0..2 * n)
        .map(|r| {
            let i = r % n;
            if r < n {
                y1[i]
            } else {
                T::lit(0.5) * y1[i] + x.col(2)[i]
            }
        })
        .collect();
    let alphas: Vec<T> = [1.0, 0.3, 0.1, 0.03].iter().map(|&a| T::lit(a)).collect();
    let tol = if T::epsilon() < T::lit(1e-10) {
        T::lit(1e-12)
    } else {
        T::lit(1e-5)
    };
    let cv = proxreg::MultiTaskLassoCv::params()
        .alphas(alphas.clone())
        .cv(KFold::new(3))
        .tol(tol)
        .fit(&x, &y)
        .unwrap();
    let folds = KFold::new(3).split(n).unwrap();
    for (a, &alpha) in alphas.iter().enumerate() {
        for k in 0..3 {
            let train = folds.train(k);
            let test = folds.test(k);
            let xt = x.select_rows(&train).unwrap();
            let yr = &y;
            let yt: Vec<T> = (0..2)
                .flat_map(|t| train.iter().map(move |&i| yr[t * n + i]))
                .collect();
            let m = MultiTaskLasso::params()
                .alpha(alpha)
                .tol(tol)
                .fit(&xt, &yt)
                .unwrap();
            let pred = m.predict(&x.select_rows(test).unwrap()).unwrap();
            let mt = test.len();
            let mut sse = T::zero();
            for t in 0..2 {
                for (r, &i) in test.iter().enumerate() {
                    let e = y[t * n + i] - pred[t * mt + r];
                    sse += e * e;
                }
            }
            let want = sse / T::from_count(2 * mt);
            let got = cv.path().mse[a][k];
            let rt = if T::epsilon() < T::lit(1e-10) {
                T::lit(1e-8)
            } else {
                T::lit(1e-3)
            };
            assert!(
                (got - want).abs() <= rt * want,
                "{a} {k}: {got:?} vs {want:?}"
            );
        }
    }
    assert_eq!(cv.index(), cv.path().index_min);
    assert_eq!(cv.model().alpha(), cv.alpha());
    assert_eq!(cv.model().n_tasks(), 2);
    // Typed errors: Y not a multiple of n, bad folds.
    assert!(matches!(
        proxreg::MultiTaskLassoCv::<T>::params().fit(&x, &y[..n + 1]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        proxreg::MultiTaskLassoCv::<T>::params()
            .cv(KFold::new(1))
            .fit(&x, &y),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn multitask_lasso_cv_f32_f64() {
    multitask::<f32>();
    multitask::<f64>();
}
