//! Regularization paths: `alpha_max`, log-spaced grids, warm starts.

use proxreg_core::penalty::{BlockSeparablePenalty, Penalty, SeparablePenalty};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::problem::{Prepared, Problem};
use crate::solution::{Solution, Termination};
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
    match penalty.alpha_max(prep.gradient_at_zero_ref()) {
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
    /// Whether every point converged.
    pub fn all_converged(&self) -> bool {
        self.solutions
            .iter()
            .all(|s| s.termination == Termination::Converged)
    }
    /// The largest relative gap along the path (`None` if some point has no gap).
    pub fn max_relative_gap(&self) -> Option<T> {
        self.solutions
            .iter()
            .try_fold(T::zero(), |m, s| s.relative_gap.map(|g| m.max(g)))
    }
}

fn check_alphas<T: Scalar>(alphas: &[T]) -> Result<()> {
    if alphas.is_empty() {
        return Err(Error::Empty { what: "alphas" });
    }
    for &a in alphas {
        proxreg_core::error::ensure_nonneg_finite("alphas", a)?;
    }
    Ok(())
}

/// Solves at each alpha; `solve(alpha, warm, prev_alpha)` gets the previous point's alpha when
/// the warm start is that point's solution.
fn walk<T: Scalar>(
    alphas: &[T],
    warm_start: Option<&[T]>,
    mut solve: impl FnMut(T, Option<&[T]>, Option<T>) -> Result<Solution<T>>,
) -> Result<Path<T>> {
    check_alphas(alphas)?;
    let mut solutions: Vec<Solution<T>> = Vec::with_capacity(alphas.len());
    for (i, &a) in alphas.iter().enumerate() {
        let warm = solutions.last().map(|s| s.coef.as_slice()).or(warm_start);
        let prev = if i > 0 { Some(alphas[i - 1]) } else { None };
        let sol = solve(a, warm, prev)?;
        solutions.push(sol);
    }
    Ok(Path {
        alphas: alphas.to_vec(),
        solutions,
    })
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
        walk(alphas, warm_start, |a, w, prev| {
            self.solve_prepared_after(prep, penalty, a, w, prev, Some(&mut carry), &mut ())
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
        walk(alphas, None, |a, w, prev| {
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
        walk(alphas, None, |a, w, _| {
            self.solve_prepared(&prep, problem.penalty, a, w, &mut ())
        })
    }
}
