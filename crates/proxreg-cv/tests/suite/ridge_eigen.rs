//! The eigen route of the ridge curves against the thin-SVD route: tall (`X̃ᵀX̃`, rows of `X̃V`
//! in blocks) and wide (`X̃X̃ᵀ`), with and without intercept, f32 and f64; the fallback to
//! the SVD on a rank-deficient design with a tiny alpha.
#![allow(missing_docs, clippy::unwrap_used, clippy::panic)]

use proxreg_core::Scalar;
use proxreg_cv::{ridge_curves_with, RidgeDecomposition};
use proxreg_linalg::ColMajor;

/// Seeded uniform data with correlated columns.
fn data<T: Scalar>(n: usize, p: usize, seed: u64) -> (ColMajor<T>, Vec<T>) {
    let mut s = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut u = move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    let mut prev = vec![0.0; n];
    let cols: Vec<Vec<f64>> = (0..p)
        .map(|_| {
            prev = prev.iter().map(|&v| 0.5 * v + u() + 0.2).collect();
            prev.clone()
        })
        .collect();
    let x = ColMajor::from_fn(n, p, |i, j| T::lit(cols[j][i]));
    let y = (0..n)
        .map(|i| T::lit(cols[0][i] - 2.0 * cols[p / 2][i] + 0.5 * u()))
        .collect();
    (x, y)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-30)
}

fn agree<T: Scalar>(n: usize, p: usize, n_alphas: usize) {
    let (x, y) = data::<T>(n, p, (n * 7 + p) as u64);
    let alphas: Vec<T> = (0..n_alphas)
        .map(|i| T::lit(n as f64 * 10f64.powf(-2.0 + 4.0 * i as f64 / n_alphas as f64)))
        .collect();
    let tol = T::epsilon().as_f64().sqrt() * 10.0;
    for fi in [true, false] {
        let svd = ridge_curves_with(&x, &y, Some(&alphas), 0, fi, RidgeDecomposition::Svd).unwrap();
        let auto =
            ridge_curves_with(&x, &y, Some(&alphas), 0, fi, RidgeDecomposition::Auto).unwrap();
        assert_eq!(svd.decomposition, RidgeDecomposition::Svd);
        if T::epsilon().as_f64() < 1e-10 {
            // f64: the grid is well above the Gram's eigenvalue accuracy, Auto keeps the eigen
            // route (in f32 it may prefer the SVD, which is then the SVD's answer exactly)
            assert_eq!(auto.decomposition, RidgeDecomposition::Eigen, "{n}x{p}");
        } else if auto.decomposition == RidgeDecomposition::Svd {
            assert_eq!(auto, svd);
        }
        let auto =
            ridge_curves_with(&x, &y, Some(&alphas), 0, fi, RidgeDecomposition::Eigen).unwrap();
        assert_eq!(auto.decomposition, RidgeDecomposition::Eigen);
        assert_eq!(auto.alphas, svd.alphas);
        for a in 0..n_alphas {
            let (l1, l2) = (auto.loo[a].as_f64(), svd.loo[a].as_f64());
            assert!(rel(l1, l2) < tol, "{n}x{p} fi {fi} loo #{a}: {l1} vs {l2}");
            let (g1, g2) = (auto.gcv[a].as_f64(), svd.gcv[a].as_f64());
            assert!(rel(g1, g2) < tol, "{n}x{p} fi {fi} gcv #{a}: {g1} vs {g2}");
            let (d1, d2) = (auto.dof[a].as_f64(), svd.dof[a].as_f64());
            assert!(rel(d1, d2) < tol, "{n}x{p} fi {fi} dof #{a}: {d1} vs {d2}");
        }
        let smax = svd.singular_values[0].as_f64();
        for (k, (s1, s2)) in auto
            .singular_values
            .iter()
            .zip(&svd.singular_values)
            .enumerate()
        {
            // eigenvalues of the Gram are accurate to ε·σ_max² absolutely
            let (s1, s2) = (s1.as_f64(), s2.as_f64());
            assert!(
                (s1 * s1 - s2 * s2).abs() < tol * smax * smax,
                "σ #{k}: {s1} vs {s2}"
            );
        }
    }
}

fn fallback<T: Scalar>() {
    // A duplicated column: rank deficient; with a tiny alpha the Gram's eigenvalues are not
    // accurate enough and Auto must take the SVD, giving the SVD's curves exactly.
    let (x0, y) = data::<T>(40, 6, 3);
    let x = ColMajor::from_fn(40, 7, |i, j| x0.col(j.min(5))[i]);
    let alphas = [T::lit(1e-12), T::lit(1.0)];
    let svd = ridge_curves_with(&x, &y, Some(&alphas), 0, true, RidgeDecomposition::Svd).unwrap();
    let auto = ridge_curves_with(&x, &y, Some(&alphas), 0, true, RidgeDecomposition::Auto).unwrap();
    assert_eq!(auto.decomposition, RidgeDecomposition::Svd);
    assert_eq!(auto, svd);
}

macro_rules! per_scalar {
    ($($t:ident),*) => {$(
        mod $t {
            #[test]
            fn tall_eigen_equals_svd() {
                super::agree::<$t>(60, 8, 7);
            }
            #[test]
            fn tall_blocked_eigen_equals_svd() {
                // 50 alphas and 30 columns: blocks of 1379 rows, the last one partial
                super::agree::<$t>(3000, 30, 50);
            }
            #[test]
            fn wide_eigen_equals_svd() {
                super::agree::<$t>(20, 45, 9);
            }
            #[test]
            fn rank_deficient_tiny_alpha_falls_back_to_svd() {
                super::fallback::<$t>();
            }
        }
    )*};
}
per_scalar!(f32, f64);
