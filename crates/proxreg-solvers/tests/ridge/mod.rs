//! Ridge's direct routes against each other: primal Cholesky, dual Cholesky and the SVD agree
//! (tall and wide, with intercept), whichever way the centered Gram matrix is formed (the
//! mean-corrected raw product for small means, a centered copy for large ones); and ridge with
//! an intercept is invariant to shifting a column (the oracle for the large-means route).

use proxreg_core::penalty::SquaredL2;
use proxreg_core::Scalar;
use proxreg_linalg::ColMajor;
use proxreg_solvers::{Problem, RidgeDirect, RidgeMethod};

use crate::common::problem;

fn cast<T: Scalar>(x: &ColMajor<f64>, y: &[f64], shift: f64) -> (ColMajor<T>, Vec<T>) {
    let xs = ColMajor::from_fn(x.nrows(), x.ncols(), |i, j| {
        T::lit(x.col(j)[i] + shift * (1.0 + j as f64 % 3.0))
    });
    (xs, y.iter().map(|&v| T::lit(v)).collect())
}

fn fit<T: Scalar>(x: &ColMajor<T>, y: &[T], alpha: T, method: RidgeMethod) -> (Vec<f64>, f64) {
    let pb = Problem::new(x, y, &SquaredL2, alpha).fit_intercept(true);
    let r = RidgeDirect::new().method(method).solve(&pb).unwrap();
    let s = r.solution;
    // The certificates are kept on every route.
    assert!(s.converged(), "{method:?}");
    let tol = T::epsilon().as_f64() * 1e3 * (x.nrows() * x.ncols()) as f64;
    let gap = s.relative_gap.map_or(f64::NAN, |g| g.as_f64());
    assert!(gap <= tol, "{method:?} gap {gap}");
    (
        s.coef.iter().map(|v| v.as_f64()).collect(),
        s.intercept[0].as_f64(),
    )
}

fn routes_agree<T: Scalar>(n: usize, p: usize) {
    let (x0, y0) = problem(n, p, 0.5, 3, 11 + n as u64);
    let tol = T::epsilon().as_f64() * 2e2 * (n + p) as f64;
    for &shift in &[0.0, 0.3, 50.0] {
        // 0.3: means small, the raw products are corrected; 50: large, a centered copy is used
        let (x, y) = cast::<T>(&x0, &y0, shift);
        let alpha = T::lit(0.05);
        let (w_svd, b_svd) = fit(&x, &y, alpha, RidgeMethod::Svd);
        let scale = w_svd.iter().fold(1e-3_f64, |m, v| m.max(v.abs()));
        for m in [RidgeMethod::Cholesky, RidgeMethod::Dual, RidgeMethod::Auto] {
            let (w, b) = fit(&x, &y, alpha, m);
            for (j, (a, c)) in w.iter().zip(&w_svd).enumerate() {
                assert!(
                    (a - c).abs() <= tol * scale,
                    "{n}x{p} shift {shift} {m:?} coef {j}: {a} vs {c}"
                );
            }
            // intercepts carry the shift's scale
            let bs = 1.0 + b_svd.abs() + shift * p as f64 * scale;
            assert!((b - b_svd).abs() <= tol * bs, "{m:?} b {b} vs {b_svd}");
        }
        if shift != 0.0 {
            // shift invariance of the coefficients (intercept absorbs the shift)
            let (x1, y1) = cast::<T>(&x0, &y0, 0.0);
            let (w1, _) = fit(&x1, &y1, alpha, RidgeMethod::Auto);
            let (w2, _) = fit(&x, &y, alpha, RidgeMethod::Auto);
            let tol_s = tol * (1.0 + shift) * 10.0;
            for (a, c) in w1.iter().zip(&w2) {
                assert!((a - c).abs() <= tol_s * scale, "shift {shift}: {a} vs {c}");
            }
        }
    }
}

macro_rules! per_scalar {
    ($($t:ident),*) => {$(
        mod $t {
            #[test]
            fn tall_routes_agree() {
                super::routes_agree::<$t>(80, 12);
            }
            #[test]
            fn wide_routes_agree() {
                super::routes_agree::<$t>(15, 60);
            }
        }
    )*};
}
per_scalar!(f32, f64);
