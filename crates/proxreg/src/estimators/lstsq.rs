//! Unpenalised (weighted) least squares on a subset of the columns, the minimal-norm solution:
//! the refit of the relaxed lasso and the OLS start of the adaptive lasso.

use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, DesignMatrix, ThinSvd};

/// The least-squares fit on the columns `cols` of `X`, with its optimality certificate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LeastSquares<T> {
    /// One coefficient per column of `cols`, in that order.
    pub coef: Vec<T>,
    /// The intercept (0 without intercept).
    pub intercept: T,
    /// The numerical rank of the weighted, centered columns.
    pub rank: usize,
    /// `‖X̃_Sᵀ S (ỹ − X̃_S β)‖_∞ / m`: the largest normal-equation residual (the gradient of
    /// `(1/(2m)) Σ s_i r_i²` on the support; `m = n` or `Σ s_i`).
    pub normal_residual: T,
    /// The same at `β = 0`: `‖X̃_Sᵀ S ỹ‖_∞ / m`, the scale `normal_residual` is relative to.
    pub gradient_at_zero: T,
}

/// Column `j` of `x` (any backend: `gemv` with a unit vector when there is no slice).
pub(crate) fn column<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X, j: usize, out: &mut [T]) {
    if let Some(c) = x.col_slice(j) {
        out.copy_from_slice(c);
        return;
    }
    let mut e = vec![T::zero(); x.ncols()];
    e[j] = T::one();
    x.gemv(T::one(), &e, T::zero(), out);
}

/// The minimal-norm solution of `min (1/(2m)) Σ s_i (y_i − b − x_{i,S}ᵀβ)²` over `β` (and `b`
/// with an intercept), from the thin SVD of the weighted, centered columns `√s_i (x_ij − x̄_j)`:
/// singular values below `ε·max(n, |S|)·σ_max` are treated as zero (numpy's `lstsq` default
/// `rcond`), so a rank-deficient support (duplicated or collinear columns, more columns than
/// rows) gets the minimal-norm solution. `x`, `y` and the weights are assumed validated.
///
/// # Errors
/// [`Error::NonFinite`] when a selected column holds NaN or infinity; [`Error::Numerical`]
/// when the SVD does not converge or the solution overflows.
pub(crate) fn least_squares<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    x: &X,
    y: &[T],
    weights: Option<&[T]>,
    cols: &[usize],
    fit_intercept: bool,
) -> Result<LeastSquares<T>> {
    let n = x.nrows();
    let weight = |i: usize| weights.map_or(T::one(), |s| s[i]);
    let m: T = match weights {
        Some(s) => s.iter().copied().sum(),
        None => T::from_count(n),
    };
    let m = if m > T::zero() { m } else { T::one() };
    let mean = |v: &[T]| -> T {
        if fit_intercept {
            v.iter().enumerate().map(|(i, &a)| weight(i) * a).sum::<T>() / m
        } else {
            T::zero()
        }
    };
    let y_mean = mean(y);
    let root: Vec<T> = (0..n).map(|i| weight(i).sqrt()).collect();
    let b: Vec<T> = (0..n).map(|i| root[i] * (y[i] - y_mean)).collect();
    let s = cols.len();
    let mut a = ColMajor::zeros(n, s);
    let mut x_means = Vec::with_capacity(s);
    for (c, &j) in cols.iter().enumerate() {
        let col = a.col_mut(c);
        column(x, j, col);
        if let Some(i) = col.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "X",
                index: j * n + i,
            });
        }
        let mu = mean(col);
        col.iter_mut()
            .zip(&root)
            .for_each(|(v, &r)| *v = r * (*v - mu));
        x_means.push(mu);
    }
    let atb = |r: &[T]| -> T {
        (0..s)
            .map(|c| {
                a.col(c)
                    .iter()
                    .zip(r)
                    .map(|(&u, &v)| u * v)
                    .sum::<T>()
                    .abs()
            })
            .fold(T::zero(), T::max)
            / m
    };
    let gradient_at_zero = atb(&b);
    let mut coef = vec![T::zero(); s];
    let mut rank = 0;
    if s > 0 && n > 0 {
        let svd = ThinSvd::new(&a)?;
        let sv = svd.s();
        let smax = sv.first().copied().unwrap_or_else(T::zero);
        let cutoff = T::epsilon() * T::from_count(n.max(s)) * smax;
        for (k, &sk) in sv.iter().enumerate() {
            if sk.is_nan() || sk <= cutoff {
                continue;
            }
            rank += 1;
            let ub: T = svd.u().col(k).iter().zip(&b).map(|(&u, &v)| u * v).sum();
            let t = ub / sk;
            for (c, w) in coef.iter_mut().enumerate() {
                *w += t * svd.v().col(k)[c];
            }
        }
    }
    let mut r = b;
    for (c, &w) in coef.iter().enumerate() {
        if w != T::zero() {
            r.iter_mut()
                .zip(a.col(c))
                .for_each(|(ri, &aic)| *ri -= w * aic);
        }
    }
    let normal_residual = atb(&r);
    let intercept = if fit_intercept {
        y_mean - x_means.iter().zip(&coef).map(|(&mu, &w)| mu * w).sum::<T>()
    } else {
        T::zero()
    };
    let finite =
        coef.iter().all(|v| v.is_finite()) && intercept.is_finite() && normal_residual.is_finite();
    if !finite {
        return Err(Error::Numerical {
            what: "least-squares refit",
            reason: "the coefficients overflow the floating-point range (rescale X or y)",
        });
    }
    Ok(LeastSquares {
        coef,
        intercept,
        rank,
        normal_residual,
        gradient_at_zero,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weighted least squares equals the same problem with repeated rows (integer weights),
    /// and a duplicated column gets half the coefficient each (the minimal-norm solution).
    #[test]
    fn weights_are_repetitions_and_duplicates_split_equally() {
        let x = ColMajor::from_fn(12, 2, |i, j| {
            ((i * (j + 3) + 1) % 7) as f64 + 0.1 * j as f64
        });
        let y: Vec<f64> = (0..12)
            .map(|i| 1.0 + 0.5 * i as f64 - (i % 3) as f64)
            .collect();
        let s: Vec<f64> = (0..12).map(|i| (i % 3) as f64).collect();
        let rows: Vec<usize> = (0..12).flat_map(|i| vec![i; i % 3]).collect();
        let xr = x.select_rows(&rows).unwrap();
        let yr: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
        let a = least_squares(&x, &y, Some(&s), &[0, 1], true).unwrap();
        let b = least_squares(&xr, &yr, None, &[0, 1], true).unwrap();
        for (u, v) in a.coef.iter().zip(&b.coef) {
            assert!((u - v).abs() < 1e-12);
        }
        assert!((a.intercept - b.intercept).abs() < 1e-12);
        assert!(a.normal_residual <= 1e-13 * a.gradient_at_zero);
        // Duplicate column 0.
        let d = ColMajor::from_fn(12, 3, |i, j| x.col(if j == 2 { 0 } else { j })[i]);
        let c = least_squares(&d, &y, None, &[0, 1, 2], true).unwrap();
        let full = least_squares(&x, &y, None, &[0, 1], true).unwrap();
        assert_eq!(c.rank, 2);
        assert!((c.coef[0] - c.coef[2]).abs() < 1e-12);
        assert!((c.coef[0] + c.coef[2] - full.coef[0]).abs() < 1e-10);
        assert!((c.intercept - full.intercept).abs() < 1e-10);
        // No columns: the (weighted) mean.
        let e = least_squares(&x, &y, Some(&s), &[], true).unwrap();
        let mean = y.iter().zip(&s).map(|(a, b)| a * b).sum::<f64>() / s.iter().sum::<f64>();
        assert!((e.intercept - mean).abs() < 1e-12);
        assert_eq!((e.rank, e.normal_residual), (0, 0.0));
    }
}
