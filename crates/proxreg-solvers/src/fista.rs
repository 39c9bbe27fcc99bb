//! Proximal gradient: ISTA and FISTA with backtracking and adaptive restart.

use core::ops::ControlFlow;

use proxreg_core::penalty::Penalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::cd::cert_from_residual;
use crate::cert::{zero_is_optimal, CertScratch, Criterion};
use crate::kernels::{dot, sq_norm};
use crate::problem::{Prepared, Problem};
use crate::solution::{IterInfo, Observer, Solution, Termination};
use crate::Solver;

/// Proximal gradient descent for `f(w) + alpha·g(w)` with **any** penalty (a user's own
/// included): FISTA (Beck & Teboulle) with a backtracking line search on the step and
/// gradient-based adaptive restart (O'Donoghue & Candès), or plain ISTA.
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | `tol` | `1e-4` | relative duality gap `gap / (‖y‖²/m)` to reach |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇f(0)‖_∞` to reach as well |
/// | `max_iter` | `100_000` | maximal number of gradient steps |
/// | `accelerated` | `true` | FISTA (`false`: ISTA) |
/// | `check_every` | `10` | steps between two certificate checks |
#[derive(Debug, Clone, PartialEq)]
pub struct Fista<T> {
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    accelerated: bool,
    check_every: usize,
}

impl<T: Scalar> Default for Fista<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 100_000,
            accelerated: true,
            check_every: 10,
        }
    }
}

impl<T: Scalar> Fista<T> {
    /// Default settings.
    pub fn new() -> Self {
        Self::default()
    }
    /// The relative duality gap to reach.
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.tol = tol;
        self
    }
    /// The KKT violation to reach, relative to `‖∇f(0)‖_∞` (default: `tol`), as for
    /// [`CoordinateDescent::kkt_tol`](crate::CoordinateDescent::kkt_tol).
    #[must_use]
    pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
        self.kkt_tol = Some(kkt_tol);
        self
    }
    /// The maximal number of steps.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// FISTA (`true`) or ISTA (`false`).
    #[must_use]
    pub fn accelerated(mut self, yes: bool) -> Self {
        self.accelerated = yes;
        self
    }
    /// Steps between certificate checks (`>= 1`).
    #[must_use]
    pub fn check_every(mut self, every: usize) -> Self {
        self.check_every = every;
        self
    }

    /// Validates the settings.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a bad `tol`, `max_iter == 0` or `check_every == 0`.
    pub fn check(&self) -> Result<()> {
        crate::cd::check_stopping(self.tol, self.kkt_tol, self.max_iter)?;
        if self.check_every == 0 {
            return Err(Error::InvalidParameter {
                name: "check_every",
                value: 0.0,
                expected: ">= 1",
            });
        }
        Ok(())
    }

    /// Prepares the data of `problem` (once per path).
    ///
    /// # Errors
    /// As [`Problem::validate`].
    pub fn prepare<'a, X: DesignMatrix<T> + ?Sized, P: ?Sized>(
        &self,
        problem: &Problem<'a, T, X, P>,
    ) -> Result<Prepared<'a, T>> {
        self.check()?;
        Prepared::new(problem, false)
    }

    /// Solves at `alpha` on prepared data.
    ///
    /// # Errors
    /// A warm start of the wrong length, a bad `alpha`, or non-finite iterates;
    /// [`Error::Unsupported`] for a problem without rows ([`Prepared::has_rows`]).
    pub fn solve_prepared<P, O>(
        &self,
        prep: &Prepared<'_, T>,
        penalty: &P,
        alpha: T,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>>
    where
        P: Penalty<T> + ?Sized,
        O: Observer<T> + ?Sized,
    {
        self.check()?;
        prep.need_rows("FISTA")?;
        proxreg_core::error::ensure_nonneg_finite("alpha", alpha)?;
        if let Some(rs) = &prep.rescale {
            // Data rescaled for range (see `rescale.rs`): solve in the rescaled coefficients.
            let pen = rs.any_at(penalty, prep.p, prep.k, alpha, prep)?;
            let warm = warm_start.map(|w| rs.coef_to_internal(w, prep.k));
            let mut sol = self.solve_unscaled(prep, &pen, alpha, warm.as_deref(), observer)?;
            rs.to_original(&mut sol, prep.k)?;
            return Ok(sol);
        }
        self.solve_unscaled(prep, penalty, alpha, warm_start, observer)
    }

    #[allow(clippy::too_many_lines)]
    fn solve_unscaled<P, O>(
        &self,
        prep: &Prepared<'_, T>,
        penalty: &P,
        alpha: T,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>>
    where
        P: Penalty<T> + ?Sized,
        O: Observer<T> + ?Sized,
    {
        let (n, p, k, m) = (prep.n, prep.p, prep.k, prep.m);
        let len = p * k;
        let mut x = match warm_start {
            Some(w0) if w0.len() != len => {
                return Err(Error::DimensionMismatch {
                    what: "warm start length vs features × tasks",
                    expected: len,
                    found: w0.len(),
                })
            }
            Some(w0) => {
                proxreg_core::error::ensure_all_finite("warm start", w0)?;
                let mut w = w0.to_vec();
                prep.to_stored_scale(&mut w);
                w
            }
            None => vec![T::zero(); len],
        };
        let half = T::lit(0.5);
        let mut scratch = CertScratch::new(len);
        let crit = Criterion::new(
            self.tol,
            self.kkt_tol.unwrap_or(self.tol),
            n,
            m,
            prep.y_sq,
            &prep.col_sq,
            prep.gradient_at_zero_ref(),
        );
        // Zero optimal within rounding (alpha at alpha_max): exact zeros, whatever the start.
        if zero_is_optimal(
            penalty,
            alpha,
            prep.gradient_at_zero_ref(),
            &crit,
            &mut scratch.dist,
        ) {
            x.iter_mut().for_each(|v| *v = T::zero());
        }
        // The iterate at the previous check, and how many checks in a row saw it move by no
        // more than rounding while the certificate missed the tolerance (the rounding floor).
        let mut x_check = x.clone();
        let mut stalls = 0usize;

        let mut r_x = vec![T::zero(); n * k];
        prep.residual(&x, &mut r_x);
        let mut y = x.clone();
        let mut r_y = r_x.clone();
        let mut grad = vec![T::zero(); len];
        let mut z = vec![T::zero(); len];
        let mut r_z = vec![T::zero(); n * k];
        let mut lip = self.lipschitz_estimate(prep);
        let mut t = T::one();
        let mut steps = 0usize;
        let mut termination = Termination::MaxIterReached;
        let mut checks = 0usize;

        while steps < self.max_iter {
            // Certificate at x every `check_every` steps (and at the start).
            if steps.is_multiple_of(self.check_every) {
                prep.gradient(&r_x, &mut grad);
                let cert = cert_from_residual(prep, &x, &grad, &r_x, penalty, alpha, &mut scratch);
                checks += 1;
                if crit.meets(&cert) {
                    termination = Termination::Converged;
                    break;
                }
                let moved = x
                    .iter()
                    .zip(&x_check)
                    .fold(T::zero(), |a, (&u, &v)| a.max((u - v).abs()));
                stalls = if checks > 1 && moved <= crit.fixed_point_change(&x) {
                    stalls + 1
                } else {
                    0
                };
                if stalls >= 2 {
                    termination = Termination::RoundingFloor;
                    break;
                }
                x_check.copy_from_slice(&x);
                let info = IterInfo {
                    iter: checks,
                    objective: cert.objective,
                    duality_gap: cert.gap,
                    kkt_violation: cert.kkt,
                };
                if let ControlFlow::Break(()) = observer.on_iter(&info) {
                    termination = Termination::StoppedByObserver;
                    break;
                }
            }
            // Gradient at y.
            prep.gradient(&r_y, &mut grad);
            let f_y = half * sq_norm(&r_y) / m;
            // Backtracking on the quadratic upper bound.
            loop {
                for ((zi, &yi), &gi) in z.iter_mut().zip(&y).zip(&grad) {
                    *zi = yi - gi / lip;
                }
                penalty.prox_in_place(&mut z, alpha / lip);
                prep.residual(&z, &mut r_z);
                let f_z = half * sq_norm(&r_z) / m;
                let mut lin = T::zero();
                let mut quad = T::zero();
                for ((&zi, &yi), &gi) in z.iter().zip(&y).zip(&grad) {
                    let d = zi - yi;
                    lin += gi * d;
                    quad += d * d;
                }
                let bound = f_y + lin + half * lip * quad;
                let slack = T::epsilon().sqrt() * (T::one() + f_y.abs());
                if !f_z.is_finite() || !lip.is_finite() {
                    return Err(Error::Numerical {
                        what: "proximal gradient",
                        reason: "the iterates or the step became non-finite",
                    });
                }
                if f_z <= bound + slack {
                    break;
                }
                lip *= T::lit(2.0);
            }
            steps += 1;
            if self.accelerated {
                // Restart when the momentum points uphill: <y − z, z − x> > 0.
                let uphill: T = y
                    .iter()
                    .zip(&z)
                    .zip(&x)
                    .map(|((&yi, &zi), &xi)| (yi - zi) * (zi - xi))
                    .sum();
                if uphill > T::zero() {
                    t = T::one();
                }
                let t_next = (T::one() + (T::one() + T::lit(4.0) * t * t).sqrt()) * half;
                let beta = (t - T::one()) / t_next;
                t = t_next;
                for i in 0..len {
                    y[i] = z[i] + beta * (z[i] - x[i]);
                }
                // The residual is affine in w: r(y) = r(z) + beta (r(z) − r(x)).
                for i in 0..n * k {
                    r_y[i] = r_z[i] + beta * (r_z[i] - r_x[i]);
                }
            } else {
                y.copy_from_slice(&z);
                r_y.copy_from_slice(&r_z);
            }
            core::mem::swap(&mut x, &mut z);
            core::mem::swap(&mut r_x, &mut r_z);
        }

        // Final certificate from a fresh residual.
        prep.residual(&x, &mut r_x);
        prep.gradient(&r_x, &mut grad);
        let cert = cert_from_residual(prep, &x, &grad, &r_x, penalty, alpha, &mut scratch);
        if termination == Termination::MaxIterReached && crit.meets(&cert) {
            termination = Termination::Converged;
        }
        let intercept = prep.intercept(&x);
        prep.to_original(&mut x);
        Ok(Solution {
            intercept,
            coef: x,
            objective: cert.objective,
            duality_gap: cert.gap,
            relative_gap: cert.rel_gap,
            kkt_violation: cert.kkt,
            n_iter: steps,
            n_updates: steps,
            n_screened: 0,
            termination,
            rescaled: false,
        })
    }

    /// Largest eigenvalue of `X̃ᵀX̃/m` by a few power iterations (the backtracking corrects an
    /// underestimate).
    fn lipschitz_estimate(&self, prep: &Prepared<'_, T>) -> T {
        let (n, p, k) = (prep.n, prep.p, prep.k);
        // Work on the single-task operator: the multi-task one has the same spectrum.
        let mut v = vec![T::zero(); p * k];
        for j in 0..p {
            v[j * k] = T::one();
        }
        let mut r = vec![T::zero(); n * k];
        let mut g = vec![T::zero(); p * k];
        let mut est = prep.col_sq.iter().fold(T::zero(), |a, &b| a.max(b)) / prep.m;
        for _ in 0..20 {
            let nv = dot(&v, &v).sqrt();
            if nv == T::zero() || !nv.is_finite() {
                break;
            }
            v.iter_mut().for_each(|a| *a /= nv);
            // r = −X̃v (residual of v with zero targets), g = X̃ᵀX̃v/m
            prep.residual(&v, &mut r);
            for (ri, &yi) in r.iter_mut().zip(&prep.y) {
                *ri -= yi;
            }
            prep.gradient(&r, &mut g);
            est = est.max(dot(&v, &g));
            core::mem::swap(&mut v, &mut g);
        }
        if est > T::zero() && est.is_finite() {
            est
        } else {
            T::one()
        }
    }
}

impl<T, X, P> Solver<T, X, P> for Fista<T>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: Penalty<T> + ?Sized,
{
    fn solve<O: Observer<T> + ?Sized>(
        &self,
        problem: &Problem<'_, T, X, P>,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>> {
        let prep = self.prepare(problem)?;
        self.solve_prepared(&prep, problem.penalty, problem.alpha, warm_start, observer)
    }
}
