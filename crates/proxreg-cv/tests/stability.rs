//! Stability selection: an independent recount from per-half fits, determinism and seeds,
//! probabilities in [0, 1] and a strong feature selected, f32 and f64; typed errors.

#![allow(clippy::unwrap_used, clippy::panic, clippy::needless_range_loop)]

use proxreg_core::penalty::L1;
use proxreg_core::{Error, Scalar};
use proxreg_cv::{complementary_pairs, stability_selection, Alphas, CvSettings};
use proxreg_linalg::{ColMajor, DesignMatrix};
use proxreg_solvers::{CoordinateDescent, Problem, Solver};

fn data<T: Scalar>(n: usize, p: usize) -> (ColMajor<T>, Vec<T>) {
    let x = ColMajor::from_fn(n, p, |i, j| {
        T::lit((((i + 3) * (j + 5) * 7 + i * i) % 19) as f64 / 3.0 + 0.1 * j as f64)
    });
    let y = (0..n)
        .map(|i| T::lit(3.0) * x.col(0)[i] - T::lit(2.0) * x.col(3)[i] + T::lit((i % 4) as f64))
        .collect();
    (x, y)
}

fn check<T: Scalar>() {
    let (x, y) = data::<T>(40, 6);
    let alphas: Vec<T> = [3.0, 1.0, 0.3, 0.1].iter().map(|&a| T::lit(a)).collect();
    let settings = CvSettings {
        alphas: Alphas::Given(alphas.clone()),
        fit_intercept: true,
        standardize: false,
        solver: CoordinateDescent::new().tol(T::epsilon() * T::lit(100.0)),
        measure: Default::default(),
    };
    let st = stability_selection(&x, &y, &L1, &settings, 5, 11).unwrap();
    assert_eq!(st.n_subsamples, 10);
    assert_eq!(st.alphas, alphas);
    // Recount from independent single fits on each half.
    let pairs = complementary_pairs(40, 5, 11).unwrap();
    for (a, &alpha) in alphas.iter().enumerate() {
        let mut counts = [0usize; 6];
        for (h1, h2) in &pairs {
            for rows in [h1, h2] {
                let xs = x.select_rows(rows).unwrap();
                let ys: Vec<T> = rows.iter().map(|&i| y[i]).collect();
                let pb = Problem::new(&xs, &ys, &L1, alpha).fit_intercept(true);
                let sol = CoordinateDescent::new()
                    .tol(T::epsilon() * T::lit(100.0))
                    .solve(&pb, None, &mut ())
                    .unwrap();
                for (c, &w) in counts.iter_mut().zip(&sol.coef) {
                    if w != T::zero() {
                        *c += 1;
                    }
                }
            }
        }
        for j in 0..6 {
            let want = T::from_count(counts[j]) / T::lit(10.0);
            assert_eq!(st.probabilities[a][j], want, "alpha #{a} feature {j}");
        }
    }
    // The strong features are always selected at the smallest alpha.
    let last = &st.probabilities[3];
    assert_eq!(last[0], T::one());
    assert_eq!(last[3], T::one());
    assert!(st.stable_set(T::lit(0.99)).contains(&0));
    assert!(st
        .probabilities
        .iter()
        .flatten()
        .all(|&v| v >= T::zero() && v <= T::one()));
    // Deterministic for a seed; another seed draws other halves.
    assert_eq!(
        stability_selection(&x, &y, &L1, &settings, 5, 11).unwrap(),
        st
    );
    assert_ne!(pairs, complementary_pairs(40, 5, 12).unwrap());
}

#[test]
fn stability_f32_and_f64() {
    check::<f32>();
    check::<f64>();
}

#[test]
fn complementary_pairs_are_disjoint_halves() {
    for (a, b) in complementary_pairs(11, 20, 3).unwrap() {
        assert_eq!((a.len(), b.len()), (5, 5));
        assert!(a.windows(2).all(|w| w[0] < w[1]));
        assert!(a.iter().all(|i| !b.contains(i) && *i < 11));
    }
}

#[test]
fn typed_errors() {
    let (x, y) = data::<f64>(20, 4);
    let settings = CvSettings {
        alphas: Alphas::Given(vec![1.0]),
        fit_intercept: true,
        standardize: false,
        solver: CoordinateDescent::new(),
        measure: Default::default(),
    };
    assert!(matches!(
        stability_selection(&x, &y, &L1, &settings, 0, 1),
        Err(Error::InvalidParameter {
            name: "n_pairs",
            ..
        })
    ));
    assert!(matches!(
        stability_selection(&x, &y[..5], &L1, &settings, 2, 1),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        complementary_pairs(3, 2, 1),
        Err(Error::InvalidParameter {
            name: "n_samples",
            ..
        })
    ));
    let bad = CvSettings {
        alphas: Alphas::Given(vec![f64::NAN]),
        ..settings
    };
    assert!(matches!(
        stability_selection(&x, &y, &L1, &bad, 2, 1),
        Err(Error::InvalidParameter { name: "alphas", .. })
    ));
}
