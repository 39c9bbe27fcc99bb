//! Stability selection: an independent recount from per-half fits (probabilities, the selected
//! count per half and q, randomized penalty factors), determinism and seeds, probabilities in
//! [0, 1] and a strong feature selected, the error bound, f32 and f64; typed errors.

#![allow(clippy::unwrap_used, clippy::panic, clippy::needless_range_loop)]

use proxreg_core::penalty::{Weighted, L1};
use proxreg_core::{Error, Scalar};
use proxreg_cv::{
    complementary_pairs, randomized_factors, randomized_stability_selection, stability_selection,
    Alphas, CvSettings,
};
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

/// The definition, recounted: single (cold) fits at each alpha on each half of the pairs
/// (with the half's penalty factors when given); `selected[a][h][j]`: `w_j ≠ 0` at `alphas[a]`
/// on half `h`. Checks the probabilities of `st` against it and returns it.
fn recount<T: Scalar>(
    st: &proxreg_cv::StabilityPath<T>,
    (x, y): (&ColMajor<T>, &[T]),
    pairs: &[(Vec<usize>, Vec<usize>)],
    factors: Option<&[Vec<T>]>,
) -> Vec<Vec<Vec<bool>>> {
    let halves: Vec<&Vec<usize>> = pairs.iter().flat_map(|(a, b)| [a, b]).collect();
    let mut selected = Vec::new();
    for (a, &alpha) in st.alphas.iter().enumerate() {
        let mut per_half = Vec::new();
        for (h, rows) in halves.iter().enumerate() {
            let xs = x.select_rows(rows).unwrap();
            let ys: Vec<T> = rows.iter().map(|&i| y[i]).collect();
            let cd = CoordinateDescent::new().tol(T::epsilon() * T::lit(100.0));
            let sol = match factors {
                Some(f) => {
                    let pen = Weighted::new(L1, f[h].clone()).unwrap();
                    let pb = Problem::new(&xs, &ys, &pen, alpha).fit_intercept(true);
                    cd.solve(&pb, None, &mut ()).unwrap()
                }
                None => {
                    let pb = Problem::new(&xs, &ys, &L1, alpha).fit_intercept(true);
                    cd.solve(&pb, None, &mut ()).unwrap()
                }
            };
            per_half.push(sol.coef.iter().map(|&w| w != T::zero()).collect::<Vec<_>>());
        }
        for j in 0..x.ncols() {
            let count = per_half.iter().filter(|s| s[j]).count();
            let want = T::from_count(count) / T::from_count(halves.len());
            assert_eq!(st.probabilities[a][j], want, "alpha #{a} feature {j}");
        }
        selected.push(per_half);
    }
    selected
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
    let sel = recount(&st, (&x, &y), &pairs, None);
    let ever: Vec<Vec<bool>> = (0..10)
        .map(|h| (0..6).map(|j| sel.iter().any(|a| a[h][j])).collect())
        .collect();
    // Selected count per half over the whole path, q, and the bound q²/((2π−1)p).
    let n_sel: Vec<usize> = ever
        .iter()
        .map(|e| e.iter().filter(|&&v| v).count())
        .collect();
    assert_eq!(st.n_selected, n_sel);
    let q = T::from_count(n_sel.iter().sum::<usize>()) / T::lit(10.0);
    assert_eq!(st.mean_selected(), q);
    let bound = st.error_bound(T::lit(0.75)).unwrap();
    assert!(
        (bound - q * q / (T::lit(0.5) * T::lit(6.0))).abs() <= T::epsilon() * T::lit(8.0) * bound
    );
    assert!(st.penalty_factors.is_none());
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
    for huge in [proxreg_cv::MAX_PAIRS + 1, usize::MAX] {
        assert!(matches!(
            complementary_pairs(20, huge, 1),
            Err(Error::InvalidParameter {
                name: "n_pairs",
                ..
            })
        ));
    }
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

fn randomized<T: Scalar>() {
    let (x, y) = data::<T>(40, 6);
    let alphas: Vec<T> = [3.0, 1.0, 0.3].iter().map(|&a| T::lit(a)).collect();
    let tol = T::epsilon() * T::lit(100.0);
    let settings = CvSettings {
        alphas: Alphas::Given(alphas.clone()),
        fit_intercept: true,
        standardize: false,
        solver: CoordinateDescent::new().tol(tol),
        measure: Default::default(),
    };
    let weakness = T::lit(0.3);
    let st = randomized_stability_selection(&x, &y, &L1, &settings, 4, 5, weakness).unwrap();
    let factors = st.penalty_factors.clone().unwrap();
    assert_eq!(factors.len(), 8);
    // The definition: 1/W, W uniform in [weakness, 1], per half (not all equal).
    for (k, f) in factors.iter().enumerate() {
        assert_eq!(f, &randomized_factors(6, weakness, 5, k).unwrap());
        assert!(f.iter().all(|&c| c >= T::one() && c <= T::one() / weakness));
    }
    assert_ne!(factors[0], factors[1]);
    // Recount with the weighted L1 fitted on each half, one alpha at a time.
    let pairs = complementary_pairs(40, 4, 5).unwrap();
    recount(&st, (&x, &y), &pairs, Some(&factors));
    // weakness = 1: no randomization.
    let one = randomized_stability_selection(&x, &y, &L1, &settings, 4, 5, T::one()).unwrap();
    let plain = stability_selection(&x, &y, &L1, &settings, 4, 5).unwrap();
    assert_eq!(one.probabilities, plain.probabilities);
    assert_eq!(one.n_selected, plain.n_selected);
}

#[test]
fn randomized_f32_and_f64() {
    randomized::<f32>();
    randomized::<f64>();
}

#[test]
fn threshold_and_weakness_errors() {
    let (x, y) = data::<f64>(20, 4);
    let settings = CvSettings {
        alphas: Alphas::Given(vec![1.0]),
        fit_intercept: true,
        standardize: false,
        solver: CoordinateDescent::new(),
        measure: Default::default(),
    };
    let st = stability_selection(&x, &y, &L1, &settings, 2, 1).unwrap();
    for t in [0.5, 0.2, 1.0 + 1e-12, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            st.error_bound(t),
            Err(Error::InvalidParameter {
                name: "threshold",
                ..
            })
        ));
    }
    assert!(st.error_bound(1.0).is_ok());
    for w in [0.0, -0.5, 1.5, f64::NAN] {
        assert!(matches!(
            randomized_stability_selection(&x, &y, &L1, &settings, 2, 1, w),
            Err(Error::InvalidParameter {
                name: "weakness",
                ..
            })
        ));
    }
}
