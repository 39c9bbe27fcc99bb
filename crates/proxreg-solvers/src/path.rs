//! Regularization paths: `alpha_max`, log-spaced grids, warm starts.

use proxreg_core::penalty::{BlockSeparablePenalty, Penalty, SeparablePenalty};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::problem::{Prepared, Problem};
use crate::solution::Solution;
use crate::{BlockCoordinateDescent, CoordinateDescent, Fista};

/// `alpha_max` of a prepared problem: the smallest `alpha` for which `w = 0` is optimal,
/// from the gradient at zero.
///
/// # Errors
/// [`Error::Unsupported`] when the penalty has no finite `alpha_max` (ridge, Elastic Net with
/// `l1_ratio = 0`); [`Error::Numerical`] if it is not finite.
pub fn alpha_max<T: Scalar, P: Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    penalty: &P,
) -> Result<T> {
    let a = match &prep.rescale {
        // Data rescaled for range: alpha is unchanged, the penalty is the rescaled one's.
        Some(rs) => rs
            .any(penalty, prep.p, prep.k)?
            .alpha_max(prep.gradient_at_zero_ref()),
        None => penalty.alpha_max(prep.gradient_at_zero_ref()),
    };
    match a {
        Some(a) if a.is_finite() => Ok(a),
        Some(_) => Err(Error::Numerical {
            what: "alpha_max",
            reason: "not finite (data too large or a zero penalty weight)",
        }),
        None => Err(Error::Unsupported {
            what: "alpha_max",
            reason: "the penalty has no finite alpha_max (e.g. ridge or l1_ratio = 0): give alphas",
        }),
    }
}

/// `n_alphas` values log-spaced from `alpha_max` down to `eps · alpha_max`, decreasing.
/// With `alpha_max == 0` (e.g. `y` constant) every value is 0.
///
/// # Errors
/// [`Error::InvalidParameter`] for `n_alphas == 0`, `eps` not in `(0, 1)`, or a bad `alpha_max`.
///
/// ```
/// let g = proxreg_solvers::alpha_grid(1.0_f64, 3, 1e-2)?;
/// assert_eq!(g.len(), 3);
/// assert!((g[1] - 0.1).abs() < 1e-15 && (g[2] - 0.01).abs() < 1e-15);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
pub fn alpha_grid<T: Scalar>(alpha_max: T, n_alphas: usize, eps: T) -> Result<Vec<T>> {
    proxreg_core::error::ensure_nonneg_finite("alpha_max", alpha_max)?;
    check_grid(n_alphas, eps)?;
    if n_alphas == 1 {
        return Ok(vec![alpha_max]);
    }
    let log_eps = eps.ln();
    let last = T::from_count(n_alphas - 1);
    Ok((0..n_alphas)
        .map(|i| {
            if i == 0 {
                alpha_max
            } else {
                alpha_max * (log_eps * T::from_count(i) / last).exp()
            }
        })
        .collect())
}

/// Validates the shape of an automatic grid (NaN-safe): `n_alphas >= 1`, `eps` in `(0, 1)`.
///
/// # Errors
/// [`Error::InvalidParameter`] naming `n_alphas` or `eps`.
pub fn check_grid<T: Scalar>(n_alphas: usize, eps: T) -> Result<()> {
    if n_alphas == 0 {
        return Err(Error::InvalidParameter {
            name: "n_alphas",
            value: 0.0,
            expected: ">= 1",
        });
    }
    let ok = eps > T::zero() && eps < T::one();
    if !ok {
        return Err(Error::InvalidParameter {
            name: "eps",
            value: eps.as_f64(),
            expected: "a number in (0, 1)",
        });
    }
    Ok(())
}

/// A regularization path: one solution per alpha, in the order given.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Path<T> {
    /// The alphas.
    pub alphas: Vec<T>,
    /// The solution at each alpha (coefficients, intercepts, certificates).
    pub solutions: Vec<Solution<T>>,
}

impl<T: Scalar> Path<T> {
    /// Whether every point converged (or reached the floor of rounding below its tolerance).
    pub fn all_converged(&self) -> bool {
        self.solutions.iter().all(Solution::converged)
    }
    /// The largest relative gap along the path (`None` if some point has no gap).
    pub fn max_relative_gap(&self) -> Option<T> {
        self.solutions
            .iter()
            .try_fold(T::zero(), |m, s| s.relative_gap.map(|g| m.max(g)))
    }
}

pub(crate) fn check_alphas<T: Scalar>(alphas: &[T]) -> Result<()> {
    if alphas.is_empty() {
        return Err(Error::Empty { what: "alphas" });
    }
    for &a in alphas {
        proxreg_core::error::ensure_nonneg_finite("alphas", a)?;
    }
    Ok(())
}

/// Solves at each alpha; `solve(alpha, warm, prev_alpha, before)` gets the previous point's
/// alpha when the warm start is that point's solution, and the point before it (coefficients
/// and alpha) when there is one.
fn walk<T: Scalar>(
    alphas: &[T],
    warm_start: Option<&[T]>,
    mut solve: impl FnMut(T, Option<&[T]>, Option<T>, Option<(&[T], T)>) -> Result<Solution<T>>,
) -> Result<Path<T>> {
    check_alphas(alphas)?;
    let mut solutions: Vec<Solution<T>> = Vec::with_capacity(alphas.len());
    for (i, &a) in alphas.iter().enumerate() {
        let warm = solutions.last().map(|s| s.coef.as_slice()).or(warm_start);
        let prev = if i > 0 { Some(alphas[i - 1]) } else { None };
        let before = if i > 1 {
            Some((solutions[i - 2].coef.as_slice(), alphas[i - 2]))
        } else {
            None
        };
        let sol = solve(a, warm, prev, before)?;
        solutions.push(sol);
    }
    Ok(Path {
        alphas: alphas.to_vec(),
        solutions,
    })
}

/// The predictor of a path point at `a` from the solutions `w1` at `a1` and `w0` at `a0`:
/// `w1 + t·(w1 − w0)` with `t = (a − a1)/(a1 − a0)`, exact between kinks of a piecewise-linear
/// path. Coordinates zero in `w1` stay zero and one the step would carry through zero starts at
/// zero. `false` (and `out` unspecified) when the alphas do not make a forward step.
fn extrapolate<T: Scalar>(out: &mut Vec<T>, w1: &[T], a1: T, w0: &[T], a0: T, a: T) -> bool {
    let t = (a - a1) / (a1 - a0);
    if !(t.is_finite() && t > T::zero()) || w1.len() != w0.len() {
        return false;
    }
    out.clear();
    out.extend(w1.iter().zip(w0).map(|(&v1, &v0)| {
        let e = v1 + t * (v1 - v0);
        if v1 != T::zero() && e.is_finite() && (e > T::zero()) == (v1 > T::zero()) {
            e
        } else {
            T::zero()
        }
    }));
    true
}

impl<T: Scalar> CoordinateDescent<T> {
    /// Solves `problem` at each of `alphas` (best given in decreasing order), each point warm
    /// started from the previous one; the data are prepared once.
    ///
    /// # Errors
    /// As [`Problem::validate`]; [`Error::Empty`] for no alphas; bad alphas.
    pub fn path<X, P>(&self, problem: &Problem<'_, T, X, P>, alphas: &[T]) -> Result<Path<T>>
    where
        X: DesignMatrix<T> + ?Sized,
        P: SeparablePenalty<T> + ?Sized,
    {
        let prep = self.prepare(problem)?;
        self.path_prepared(&prep, problem.penalty, alphas, None)
    }

    /// [`CoordinateDescent::path`] on prepared data, optionally warm started.
    ///
    /// # Errors
    /// As [`CoordinateDescent::path`].
    pub fn path_prepared<P: SeparablePenalty<T> + ?Sized>(
        &self,
        prep: &Prepared<'_, T>,
        penalty: &P,
        alphas: &[T],
        warm_start: Option<&[T]>,
    ) -> Result<Path<T>> {
        // The gradient at each solution is handed to the next point (its warm start; empty
        // until the first point is solved, so a user's warm start is never paired with it).
        let mut carry = Vec::new();
        let mut pred = Vec::new();
        let gram = self.gram_mode(prep);
        walk(alphas, warm_start, |a, w, prev, before| {
            let mut warm = w;
            if let (true, Some(w1), Some(a1), Some((w0, a0))) =
                (gram && self.extrapolates(), w, prev, before)
            {
                if extrapolate(&mut pred, w1, a1, w0, a0, a) && penalty.value(&pred).is_finite() {
                    warm = Some(&pred);
                }
            }
            self.solve_prepared_after(prep, penalty, a, warm, prev, Some(&mut carry), &mut ())
        })
    }
}

impl<T: Scalar> BlockCoordinateDescent<T> {
    /// The multi-task path, warm started, data prepared once.
    ///
    /// # Errors
    /// As [`CoordinateDescent::path`].
    pub fn path<X, P>(&self, problem: &Problem<'_, T, X, P>, alphas: &[T]) -> Result<Path<T>>
    where
        X: DesignMatrix<T> + ?Sized,
        P: BlockSeparablePenalty<T> + ?Sized,
    {
        let prep = self.prepare(problem)?;
        let mut carry = Vec::new();
        walk(alphas, None, |a, w, prev, _| {
            self.solve_prepared_after(
                &prep,
                problem.penalty,
                a,
                w,
                prev,
                Some(&mut carry),
                &mut (),
            )
        })
    }
}

impl<T: Scalar> Fista<T> {
    /// The path with proximal gradient, warm started, data prepared once.
    ///
    /// # Errors
    /// As [`CoordinateDescent::path`].
    pub fn path<X, P>(&self, problem: &Problem<'_, T, X, P>, alphas: &[T]) -> Result<Path<T>>
    where
        X: DesignMatrix<T> + ?Sized,
        P: Penalty<T> + ?Sized,
    {
        let prep = self.prepare(problem)?;
        walk(alphas, None, |a, w, _, _| {
            self.solve_prepared(&prep, problem.penalty, a, w, &mut ())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::extrapolate;

    #[test]
    fn extrapolation_is_exact_on_a_line_and_never_crosses_zero() {
        // w(a) = u − a·v on the support {0, 1, 2}; coordinate 3 is zero; coordinate 2 would
        // cross zero at a = 0.5.
        let at = |a: f64| vec![3.0 - a, -2.0 + 0.5 * a, 1.0 - 2.0 * a, 0.0];
        let (a0, a1, a) = (1.0, 0.8, 0.6);
        let mut out = Vec::new();
        assert!(extrapolate(&mut out, &at(a1), a1, &at(a0), a0, a));
        let want = at(a);
        for j in 0..3 {
            assert!(
                (out[j] - want[j]).abs() < 1e-12,
                "{j}: {} vs {}",
                out[j],
                want[j]
            );
        }
        assert_eq!(out[3], 0.0);
        assert!(extrapolate(&mut out, &at(a1), a1, &at(a0), a0, 0.4));
        assert_eq!(
            out[2], 0.0,
            "a coordinate the step carries through zero starts at zero"
        );
        assert!((out[0] - 2.6).abs() < 1e-12);
        // Not a forward step: no predictor.
        assert!(!extrapolate(&mut out, &at(a1), a1, &at(a0), a0, 0.9));
        assert!(!extrapolate(&mut out, &at(a1), a1, &at(a1), a1, 0.5));
    }
}
