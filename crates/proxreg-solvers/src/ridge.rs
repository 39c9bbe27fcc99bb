//! Ridge by direct linear algebra: Cholesky (primal `n >= p`, dual `p > n`) and the spectral
//! route (one thin SVD, then any number of alphas at `O(p·r)` each); and, for sparse designs
//! too large for either, preconditioned conjugate gradients on the normal equations through the
//! design's matrix-free products (never densified).
//!
//! Engine convention: `(1/(2m))‖ỹ − X̃w‖² + alpha·½‖w‖²`, whose solution solves
//! `(X̃ᵀX̃ + m·alpha·I) w = X̃ᵀỹ`. scikit-learn's `Ridge(alpha = a)` minimises
//! `‖y − Xw‖² + a‖w‖²`: the same problem with `alpha = a/m`.

use proxreg_core::penalty::SquaredL2;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::factor::{Cholesky, SymEigen, ThinSvd};
use proxreg_linalg::{ColMajor, DesignMatrix};

use crate::cd::cert_from_residual;
use crate::cert::{certify, CertScratch};
use crate::problem::{Prepared, Problem};
use crate::solution::{Solution, Termination};

/// How [`RidgeDirect`] solves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RidgeMethod {
    /// A dense design: Cholesky on the smaller of `X̃ᵀX̃ + mαI` (`p × p`) and `X̃X̃ᵀ + mαI`
    /// (`n × n`). A sparse (CSC) design: the primal Cholesky when `p ≤ n` and `p ≤ 256` (the
    /// Gram matrix from the stored entries costs about `p·nnz/2`, at most what 64
    /// conjugate-gradient iterations of `2·nnz` cost, and it is exact whatever the
    /// conditioning), else [`RidgeMethod::ConjugateGradient`] (`O(nnz + n + p)` per iteration
    /// and memory; the dual system would densify the `n × p` design). Measured on random 1 %
    /// dense CSC designs with 20 000 rows, CG took 10 to 23 iterations and was 10× (`p = 500`)
    /// to 100× (`p = 2000`) faster than the Gram Cholesky. When CG misses its tolerance
    /// (ill-conditioned data, [`RidgeDirect::max_iter`] reached), Auto factors instead when the
    /// system is small: the Gram Cholesky when `p ≤ n`, `p ≤ 2048`, the dual (`n × n`, from the
    /// stored entries) when `n < p`, `n ≤ 2048`.
    #[default]
    Auto,
    /// Cholesky on the primal system `X̃ᵀX̃ + mαI` whatever the shape (a sparse design's Gram
    /// matrix is formed from its stored entries).
    Cholesky,
    /// Cholesky on the dual system `X̃X̃ᵀ + mαI`, then `w = X̃ᵀ c`. On a sparse design
    /// `X̃X̃ᵀ` is formed from the stored entries (`O(Σ_j nnz_j²)`, an `n × n` result).
    Dual,
    /// Thin SVD of `X̃`: `w = V diag(s/(s² + mα)) Uᵀỹ` (also exact for `alpha = 0`). On a
    /// sparse design this **densifies** (the SVD is of a dense `n × p` copy).
    Svd,
    /// Conjugate gradients on the normal equations `(X̃ᵀX̃/m + αI) w = X̃ᵀỹ/m`, one task at a
    /// time, preconditioned by the diagonal `‖x̃_j‖²/m + α` (Jacobi), with the products
    /// `X̃v` and `X̃ᵀu` computed matrix-free (a sparse design is read through its stored
    /// entries only: `O(nnz + n + p)` per iteration and memory, nothing densified).
    ///
    /// It stops when the residual `r = X̃ᵀỹ/m − (X̃ᵀX̃/m + αI)w`, recomputed from the data (not
    /// the recursion's), satisfies `‖r‖₂ ≤ tol·‖X̃ᵀỹ/m‖₂` ([`RidgeDirect::tol`]). The residual
    /// is minus the objective's gradient, so this tolerance bounds the certificate the solution
    /// reports: the KKT violation is `‖r‖_∞ ≤ tol·‖X̃ᵀỹ/m‖₂` and the duality gap is exactly
    /// `‖r‖₂²/(2α)`. The certificates are computed from the data as on every route. Not
    /// reaching the tolerance within [`RidgeDirect::max_iter`] iterations is reported as
    /// [`Termination::MaxIterReached`]; a residual that stops decreasing above the tolerance
    /// (rounding) as [`Termination::RoundingFloor`]; a breakdown (a direction of zero
    /// curvature, possible only at `alpha = 0`) as [`Termination::Stalled`].
    /// `Solution::n_iter` is the largest number of iterations over the tasks, `n_updates` the
    /// number of products with `X̃ᵀX̃` in all. No condition number is computed.
    ConjugateGradient,
}

/// The ridge solution with the condition number of the regularised system.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RidgeSolution<T> {
    /// Coefficients, intercepts and certificates.
    pub solution: Solution<T>,
    /// `κ = (σ_max² + mα)/(σ_min² + mα)` of the system that was solved (`None` when it was not
    /// computed: the Cholesky routes compute it only with `condition_number(true)`).
    pub condition_number: Option<T>,
}

/// Direct ridge solver.
///
/// ```
/// use proxreg_core::penalty::SquaredL2;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{Problem, RidgeDirect};
/// let x = ColMajor::from_fn(6, 2, |i, j| (i as f64) * (j as f64 + 1.0) + (i % 2) as f64);
/// let y = [1.0, 2.0, 2.5, 4.0, 5.5, 6.0];
/// let fit = RidgeDirect::new().solve(&Problem::new(&x, &y, &SquaredL2, 0.1))?;
/// assert!(fit.solution.converged());
/// assert!(fit.solution.kkt_violation < 1e-10);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeDirect {
    method: RidgeMethod,
    condition_number: bool,
    tol: Option<f64>,
    max_iter: usize,
}

impl Default for RidgeDirect {
    fn default() -> Self {
        Self {
            method: RidgeMethod::Auto,
            condition_number: false,
            tol: None,
            max_iter: 1000,
        }
    }
}

/// The sparse designs whose ridge [`RidgeMethod::Auto`] solves by the primal Cholesky (with
/// `p ≤ n`); wider ones go to conjugate gradients.
const SPARSE_GRAM_MAX_P: usize = 256;

/// The sparse designs (with `p ≤ n`) whose ridge [`RidgeMethod::Auto`] factors when conjugate
/// gradients missed the tolerance (`p²` memory: 32 MB in `f64`).
const SPARSE_GRAM_FALLBACK_P: usize = 2048;

impl RidgeDirect {
    /// Auto method, no condition number on the Cholesky routes; conjugate gradients (when
    /// used) to the default tolerance, at most 1000 iterations.
    pub fn new() -> Self {
        Self::default()
    }
    /// The relative residual [`RidgeMethod::ConjugateGradient`] must reach,
    /// `‖X̃ᵀỹ/m − (X̃ᵀX̃/m + αI)w‖₂ ≤ tol·‖X̃ᵀỹ/m‖₂` (see there for what it certifies). Default:
    /// `ε^(3/4)` of the precision (about `1.9e-12` in `f64`, `6.4e-6` in `f32`). The direct
    /// routes do not use it.
    #[must_use]
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = Some(tol);
        self
    }
    /// The most conjugate-gradient iterations per task (default 1000); reaching it is reported
    /// as [`Termination::MaxIterReached`]. The direct routes do not use it.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// The method.
    #[must_use]
    pub fn method(mut self, method: RidgeMethod) -> Self {
        self.method = method;
        self
    }
    /// Also compute the condition number on the Cholesky routes (one symmetric eigen
    /// decomposition of the system; the SVD route always reports it).
    #[must_use]
    pub fn condition_number(mut self, yes: bool) -> Self {
        self.condition_number = yes;
        self
    }

    /// Solves a ridge problem (penalty `½‖w‖²`), any number of tasks.
    ///
    /// # Errors
    /// As [`Problem::validate`]; [`Error::Numerical`] when `alpha = 0` and the system is
    /// singular on a Cholesky route (use [`RidgeMethod::Svd`] for the minimum-norm solution).
    pub fn solve<T: Scalar, X: DesignMatrix<T> + ?Sized>(
        &self,
        problem: &Problem<'_, T, X, SquaredL2>,
    ) -> Result<RidgeSolution<T>> {
        let cg_tol = self.cg_tol::<T>()?;
        let prep = Prepared::new(problem, false)?;
        let (n, p, k) = (prep.n, prep.p, prep.k);
        let alpha = problem.alpha;
        if let Some(rs) = &prep.rescale {
            // Data rescaled for range: the rescaled problem is a ridge again when no column
            // scale enters the penalty (y alone rescaled, or standardization); else its penalty
            // differs per coefficient, `Σ_j (l2_j/2)·u_j²`, solved on the normal equations.
            let pen = rs.separable::<T, SquaredL2>(&SquaredL2, p * k, k)?;
            let uniform = (0..p * k).all(|i| {
                proxreg_core::penalty::Penalty::elastic_net_parts_1d(pen.inner(), i)
                    .is_some_and(|q| q.l2 == T::one())
            });
            if !uniform {
                return self.solve_per_coefficient(&prep, problem.x, alpha, rs, cg_tol);
            }
        }
        let method = self.resolve(&prep);
        let shift = prep.m * alpha;
        let mut coef = vec![T::zero(); p * k];
        let mut cond = None;
        let mut run = None;
        match method {
            RidgeMethod::ConjugateGradient => {
                let shifts = vec![alpha; p];
                let r = ridge_cg(&prep, &shifts, cg_tol, self.max_iter, &mut coef)?;
                let missed =
                    self.method == RidgeMethod::Auto && r.termination != Termination::Converged;
                if missed && p <= n && p <= SPARSE_GRAM_FALLBACK_P {
                    // Auto's CG missed the tolerance on a system small enough to factor.
                    cond = self.primal_cholesky(&prep, problem.x, shift, &mut coef)?;
                } else if missed && n < p && n <= SPARSE_GRAM_FALLBACK_P {
                    // A wide one: the `n × n` dual system (from the stored entries).
                    cond = self.dual_cholesky(&prep, problem.x, shift, &mut coef)?;
                } else {
                    run = Some(r);
                }
            }
            RidgeMethod::Svd => {
                let spec = RidgeSpectral::new(&prep)?;
                coef = spec.coef_stored(alpha)?;
                cond = Some(spec.condition_number(alpha));
            }
            RidgeMethod::Dual => {
                cond = self.dual_cholesky(&prep, problem.x, shift, &mut coef)?;
            }
            _ => cond = self.primal_cholesky(&prep, problem.x, shift, &mut coef)?,
        }
        let mut solution = finish(&prep, coef, alpha)?;
        if let Some(run) = run {
            run.record(&mut solution);
        }
        if let Some(rs) = &prep.rescale {
            rs.to_original(&mut solution, k)?;
        }
        Ok(RidgeSolution {
            solution,
            condition_number: cond,
        })
    }

    /// Cholesky on the dual system `X̃X̃ᵀ + shift·I`, then `w = X̃ᵀc`, into `coef` (`p × k`
    /// row-major), with its condition number when asked for. `X̃X̃ᵀ` through the backend's
    /// product (a sparse design's from its stored entries), no centered copy when the means
    /// allow.
    fn dual_cholesky<T: Scalar, X: DesignMatrix<T> + ?Sized>(
        &self,
        prep: &Prepared<'_, T>,
        x: &X,
        shift: T,
        coef: &mut [T],
    ) -> Result<Option<T>> {
        let (n, p, k) = (prep.n, prep.p, prep.k);
        let mut a = prep.centered_products(x, true)?;
        add_diagonal(&mut a, shift);
        let cond = if self.condition_number {
            Some(condition_of(&a)?)
        } else {
            None
        };
        let chol = Cholesky::factor(&a)?;
        let mut c = vec![T::zero(); n];
        let mut w = vec![T::zero(); p];
        for t in 0..k {
            c.copy_from_slice(&prep.y[t * n..(t + 1) * n]);
            chol.solve_in_place(&mut c)?;
            prep.centered_gemv_t(&c, &mut w)?;
            for j in 0..p {
                coef[j * k + t] = w[j];
            }
        }
        Ok(cond)
    }

    /// Cholesky on the primal system `X̃ᵀX̃ + shift·I` into `coef` (`p × k` row-major), with
    /// its condition number when asked for.
    fn primal_cholesky<T: Scalar, X: DesignMatrix<T> + ?Sized>(
        &self,
        prep: &Prepared<'_, T>,
        x: &X,
        shift: T,
        coef: &mut [T],
    ) -> Result<Option<T>> {
        let (p, k) = (prep.p, prep.k);
        let mut a = prep.centered_products(x, false)?;
        add_diagonal(&mut a, shift);
        let cond = if self.condition_number {
            Some(condition_of(&a)?)
        } else {
            None
        };
        let chol = Cholesky::factor(&a)?;
        let rhs = prep.gradient_at_zero_ref(); // −X̃ᵀỸ/m, p × k row-major
        let mut b = vec![T::zero(); p];
        for t in 0..k {
            for (j, bj) in b.iter_mut().enumerate() {
                *bj = -rhs[j * k + t] * prep.m;
            }
            chol.solve_in_place(&mut b)?;
            for (j, &bj) in b.iter().enumerate() {
                coef[j * k + t] = bj;
            }
        }
        Ok(cond)
    }

    /// The method [`RidgeMethod::Auto`] stands for on these data (see there).
    fn resolve<T: Scalar>(&self, prep: &Prepared<'_, T>) -> RidgeMethod {
        let (n, p) = (prep.n, prep.p);
        match self.method {
            RidgeMethod::Auto if prep.sparse().is_some() => {
                if p <= n && p <= SPARSE_GRAM_MAX_P {
                    RidgeMethod::Cholesky
                } else {
                    RidgeMethod::ConjugateGradient
                }
            }
            RidgeMethod::Auto if n >= p => RidgeMethod::Cholesky,
            RidgeMethod::Auto => RidgeMethod::Dual,
            m => m,
        }
    }

    /// The conjugate-gradient tolerance in `T`, validated (`max_iter` too).
    fn cg_tol<T: Scalar>(&self) -> Result<T> {
        let tol = match self.tol {
            Some(t) => T::lit(t),
            None => {
                let e = T::epsilon();
                e.sqrt() * e.sqrt().sqrt()
            }
        };
        crate::cd::check_stopping(tol, None, self.max_iter)?;
        Ok(tol)
    }
}

impl RidgeDirect {
    /// The ridge of data rescaled for range with a column scale in the penalty: the rescaled
    /// coefficients `u_j = w_j·d_j/c` carry `(l2_j/2)·u_j²` with `l2_j = 2^(−2·e_j)` (see
    /// `rescale.rs`), so the system is `X̂ᵀX̂ + m·α·diag(l2)` — the primal normal equations
    /// (the dual and spectral routes need one shift for all coefficients). A column far above
    /// the range gets `l2_j` below rounding, i.e. it is unpenalized, as its true penalty
    /// (`~1/scale²` of the others') is.
    fn solve_per_coefficient<T: Scalar, X: DesignMatrix<T> + ?Sized>(
        &self,
        prep: &Prepared<'_, T>,
        x: &X,
        alpha: T,
        rs: &crate::rescale::Rescale,
        cg_tol: T,
    ) -> Result<RidgeSolution<T>> {
        // Auto: the primal normal equations whatever the shape (the dual is not an option),
        // by conjugate gradients where a sparse design would take them.
        let method = match self.resolve(prep) {
            RidgeMethod::Dual if self.method == RidgeMethod::Auto => RidgeMethod::Cholesky,
            m => m,
        };
        if !matches!(
            method,
            RidgeMethod::Cholesky | RidgeMethod::ConjugateGradient
        ) {
            return Err(Error::Unsupported {
                what: "this ridge method on a column out of the floating-point range",
                reason: "the rescaled penalty differs per coefficient, which only the primal \
                         normal equations take: use RidgeMethod::Auto, Cholesky or \
                         ConjugateGradient, or standardize",
            });
        }
        let (p, k) = (prep.p, prep.k);
        let pen = rs.separable_at::<T, SquaredL2>(&SquaredL2, p * k, k, alpha, prep)?;
        let l2 = |j: usize| {
            proxreg_core::penalty::Penalty::elastic_net_parts_1d(pen.inner(), j * k)
                .map_or(T::one(), |q| q.l2)
        };
        if method == RidgeMethod::ConjugateGradient {
            let shifts: Vec<T> = (0..p).map(|j| alpha * l2(j)).collect();
            let mut coef = vec![T::zero(); p * k];
            let run = ridge_cg(prep, &shifts, cg_tol, self.max_iter, &mut coef)?;
            let mut solution = finish_with(prep, coef, alpha, &pen)?;
            run.record(&mut solution);
            rs.to_original(&mut solution, k)?;
            return Ok(RidgeSolution {
                solution,
                condition_number: None,
            });
        }
        let mut a = prep.centered_products(x, false)?;
        {
            let data = a.as_mut_slice();
            for j in 0..p {
                data[j * p + j] += prep.m * alpha * l2(j);
            }
        }
        let cond = if self.condition_number {
            Some(condition_of(&a)?)
        } else {
            None
        };
        let chol = Cholesky::factor(&a)?;
        let rhs = prep.gradient_at_zero(); // −X̃ᵀỸ/m, p × k row-major
        let mut coef = vec![T::zero(); p * k];
        for t in 0..k {
            let mut b: Vec<T> = (0..p).map(|j| -rhs[j * k + t] * prep.m).collect();
            chol.solve_in_place(&mut b)?;
            for j in 0..p {
                coef[j * k + t] = b[j];
            }
        }
        let mut solution = finish_with(prep, coef, alpha, &pen)?;
        rs.to_original(&mut solution, k)?;
        Ok(RidgeSolution {
            solution,
            condition_number: cond,
        })
    }
}

impl RidgeDirect {
    /// Solves ridge (penalty `½‖w‖²` at `alpha`, the engine's convention) on prepared data by
    /// a Cholesky factorization of `X̃ᵀX̃ + mαI` (`p × p`; the [`RidgeMethod`] setting is not
    /// used), with the usual certificate. This is the ridge of a problem prepared from
    /// [`SufficientStats`](crate::SufficientStats) (no rows: the residual norm comes from the
    /// statistics, `‖r‖² = ‖ỹ‖² − 2wᵀX̃ᵀỹ + wᵀX̃ᵀX̃w`), and of any prepared problem.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a bad `alpha`; [`Error::Numerical`] when the system is
    /// singular (`alpha = 0` with collinear columns) or the solution is not finite.
    ///
    /// ```
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::{RidgeDirect, SufficientStats};
    /// let x = ColMajor::from_fn(30, 3, |i, j| ((i * 5 + j * 7) % 11) as f64);
    /// let y: Vec<f64> = (0..30).map(|i| x.col(1)[i] - x.col(2)[i] + 1.0).collect();
    /// let prep = SufficientStats::from_batch(&x, &y, None)?.prepare(true, false)?;
    /// let sol = RidgeDirect::new().solve_prepared(&prep, 0.01)?.solution;
    /// assert!(sol.relative_gap.unwrap() < 1e-12);
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn solve_prepared<T: Scalar>(
        &self,
        prep: &Prepared<'_, T>,
        alpha: T,
    ) -> Result<RidgeSolution<T>> {
        proxreg_core::error::ensure_nonneg_finite("alpha", alpha)?;
        let (p, k) = (prep.p, prep.k);
        let mut a = prep.centered_gram();
        add_diagonal(&mut a, prep.m * alpha);
        let cond = if self.condition_number {
            Some(condition_of(&a)?)
        } else {
            None
        };
        let chol = Cholesky::factor(&a)?;
        let rhs = prep.gradient_at_zero_ref(); // −X̃ᵀỸ/m, p × k row-major
        let mut coef = vec![T::zero(); p * k];
        let mut b = vec![T::zero(); p];
        for t in 0..k {
            for (j, bj) in b.iter_mut().enumerate() {
                *bj = -rhs[j * k + t] * prep.m;
            }
            chol.solve_in_place(&mut b)?;
            for (j, &bj) in b.iter().enumerate() {
                coef[j * k + t] = bj;
            }
        }
        Ok(RidgeSolution {
            solution: finish(prep, coef, alpha)?,
            condition_number: cond,
        })
    }
}

/// How the conjugate-gradient solves of all tasks went.
#[derive(Debug, Clone, Copy)]
struct CgRun {
    /// The most iterations of a task.
    iters: usize,
    /// Products with `X̃ᵀX̃` in all.
    products: usize,
    termination: Termination,
}

impl CgRun {
    /// Writes the counts and the termination into a certified solution.
    fn record<T>(self, s: &mut Solution<T>) {
        s.n_iter = self.iters;
        s.n_updates = self.products;
        s.termination = self.termination;
    }
}

/// How a termination ranks when tasks end differently (the worst is reported).
fn severity(t: Termination) -> u8 {
    match t {
        Termination::Converged => 0,
        Termination::RoundingFloor => 1,
        Termination::Stalled => 2,
        _ => 3,
    }
}

/// Preconditioned conjugate gradients on `(X̃ᵀX̃/m + diag(shift)) w = X̃ᵀỹ/m` for each task
/// (`coef`, `p × k` row-major, receives the solutions), matrix-free through
/// [`Prepared::centered_gemv`] and [`Prepared::centered_gemv_t`], Jacobi-preconditioned by
/// `‖x̃_j‖²/m + shift_j`. See [`RidgeMethod::ConjugateGradient`] for the stopping rule.
fn ridge_cg<T: Scalar>(
    prep: &Prepared<'_, T>,
    shift: &[T],
    tol: T,
    max_iter: usize,
    coef: &mut [T],
) -> Result<CgRun> {
    prep.need_rows("the conjugate-gradient ridge (products with the rows)")?;
    let (n, p, k, m) = (prep.n, prep.p, prep.k, prep.m);
    let inv_m = T::one() / m;
    let inv_diag: Vec<T> = (0..p)
        .map(|j| {
            let d = prep.col_sq[j] * inv_m + shift[j];
            if d > T::zero() && d.is_finite() {
                T::one() / d
            } else {
                T::one()
            }
        })
        .collect();
    let g0 = prep.gradient_at_zero_ref(); // −X̃ᵀỸ/m, p × k row-major
    let mut tmp = vec![T::zero(); n];
    let mut products = 0usize;
    // out <- (X̃ᵀX̃/m + diag(shift)) v
    let mut apply = |v: &[T], out: &mut [T], products: &mut usize| -> Result<()> {
        prep.centered_gemv(v, &mut tmp)?;
        prep.centered_gemv_t(&tmp, out)?;
        for ((o, &vj), &s) in out.iter_mut().zip(v).zip(shift) {
            *o = *o * inv_m + s * vj;
        }
        *products += 1;
        Ok(())
    };
    let dot = |a: &[T], b: &[T]| -> T { a.iter().zip(b).map(|(&u, &v)| u * v).sum() };
    let mut run = CgRun {
        iters: 0,
        products: 0,
        termination: Termination::Converged,
    };
    let (mut w, mut r, mut z, mut d, mut q) = (
        vec![T::zero(); p],
        vec![T::zero(); p],
        vec![T::zero(); p],
        vec![T::zero(); p],
        vec![T::zero(); p],
    );
    for t in 0..k {
        let b: Vec<T> = (0..p).map(|j| -g0[j * k + t]).collect();
        let thr = tol * dot(&b, &b).sqrt();
        w.iter_mut().for_each(|v| *v = T::zero());
        r.copy_from_slice(&b);
        let mut iters = 0usize;
        let mut last_true = T::infinity();
        let termination = 'task: loop {
            // (Re)start from the residual in `r`.
            for ((zj, &rj), &dj) in z.iter_mut().zip(&r).zip(&inv_diag) {
                *zj = rj * dj;
            }
            d.copy_from_slice(&z);
            let mut rz = dot(&r, &z);
            let mut breakdown = false;
            while iters < max_iter && dot(&r, &r).sqrt() > thr {
                apply(&d, &mut q, &mut products)?;
                let dq = dot(&d, &q);
                if !(dq > T::zero() && dq.is_finite()) {
                    breakdown = true;
                    break;
                }
                let a = rz / dq;
                for j in 0..p {
                    w[j] += a * d[j];
                    r[j] -= a * q[j];
                    z[j] = r[j] * inv_diag[j];
                }
                let rz_new = dot(&r, &z);
                let beta = rz_new / rz;
                for (dj, &zj) in d.iter_mut().zip(&z) {
                    *dj = zj + beta * *dj;
                }
                rz = rz_new;
                iters += 1;
            }
            // The recursion says converged, ran out of iterations or broke down: check
            // the residual recomputed from the data.
            apply(&w, &mut q, &mut products)?;
            for j in 0..p {
                r[j] = b[j] - q[j];
            }
            let true_norm = dot(&r, &r).sqrt();
            if !true_norm.is_finite() {
                return Err(Error::Numerical {
                    what: "ridge (conjugate gradients)",
                    reason: "the residual is not finite (overflow)",
                });
            }
            if true_norm <= thr {
                break 'task Termination::Converged;
            }
            if breakdown {
                break 'task Termination::Stalled;
            }
            if iters >= max_iter {
                break 'task Termination::MaxIterReached;
            }
            // The recursion drifted from the true residual: restart from it, unless
            // restarting no longer helps (rounding).
            if true_norm > T::lit(0.5) * last_true {
                break 'task Termination::RoundingFloor;
            }
            last_true = true_norm;
        };
        for j in 0..p {
            coef[j * k + t] = w[j];
        }
        run.iters = run.iters.max(iters);
        if severity(termination) > severity(run.termination) {
            run.termination = termination;
        }
    }
    run.products = products;
    Ok(run)
}

fn add_diagonal<T: Scalar>(a: &mut ColMajor<T>, shift: T) {
    let d = a.nrows();
    let data = a.as_mut_slice();
    for i in 0..d {
        data[i * d + i] += shift;
    }
}

fn condition_of<T: Scalar>(a: &ColMajor<T>) -> Result<T> {
    let eig = SymEigen::new(a)?;
    let v = eig.values();
    match (v.first(), v.last()) {
        (Some(&lo), Some(&hi)) if lo > T::zero() => Ok(hi / lo),
        (Some(_), Some(_)) => Ok(T::infinity()),
        _ => Err(Error::Empty { what: "system" }),
    }
}

/// Certifies ridge coefficients computed elsewhere (e.g. from a decomposition shared by many
/// alphas): the residual, the gradient, the duality gap and the KKT violation are computed
/// from the data, exactly as [`RidgeDirect::solve`] does for its own coefficients.
///
/// `coef` is `p × k` row-major on the prepared design's scale (the standardized one when the
/// problem standardizes), `alpha` in the engine's convention.
///
/// # Errors
/// [`Error::DimensionMismatch`] for a wrong length; [`Error::Numerical`] when a coefficient is
/// not finite.
pub fn certify_ridge<T: Scalar>(
    prep: &Prepared<'_, T>,
    coef: Vec<T>,
    alpha: T,
) -> Result<Solution<T>> {
    if coef.len() != prep.p * prep.k {
        return Err(Error::DimensionMismatch {
            what: "ridge coefficients vs features x tasks",
            expected: prep.p * prep.k,
            found: coef.len(),
        });
    }
    proxreg_core::error::ensure_nonneg_finite("alpha", alpha)?;
    finish(prep, coef, alpha)
}

/// Wraps coefficients into a certified [`Solution`].
fn finish<T: Scalar>(prep: &Prepared<'_, T>, coef: Vec<T>, alpha: T) -> Result<Solution<T>> {
    finish_with(prep, coef, alpha, &SquaredL2)
}

/// [`finish`] with the penalty the system was solved for.
fn finish_with<T: Scalar, P: proxreg_core::penalty::Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    mut coef: Vec<T>,
    alpha: T,
    penalty: &P,
) -> Result<Solution<T>> {
    if let Some(i) = coef.iter().position(|v| !v.is_finite()) {
        let _ = i;
        return Err(Error::Numerical {
            what: "ridge",
            reason: "the solution is not finite (singular system or overflow)",
        });
    }
    let mut scratch = CertScratch::new(coef.len());
    let cert = match prep.gram_residual(&coef) {
        // No rows: the residual's norm and the gradient from the statistics.
        Some((r_sq, grad)) if !prep.has_rows() => certify(
            penalty,
            alpha,
            &coef,
            &grad,
            r_sq,
            prep.y_sq,
            prep.m,
            &mut scratch,
        ),
        _ => {
            let (n, k) = (prep.n, prep.k);
            let mut r = vec![T::zero(); n * k];
            prep.residual(&coef, &mut r);
            let mut grad = vec![T::zero(); coef.len()];
            prep.gradient(&r, &mut grad);
            cert_from_residual(prep, &coef, &grad, &r, penalty, alpha, &mut scratch)
        }
    };
    let intercept = prep.intercept(&coef);
    prep.to_original(&mut coef);
    Ok(Solution {
        intercept,
        coef,
        objective: cert.objective,
        duality_gap: cert.gap,
        relative_gap: cert.rel_gap,
        kkt_violation: cert.kkt,
        n_iter: 1,
        n_updates: 1,
        n_screened: 0,
        termination: Termination::Converged,
        rescaled: false,
    })
}

/// The spectral view of ridge: one thin SVD `X̃ = U S Vᵀ`, then for every alpha
/// `w(α) = V diag(σ_i/(σ_i² + mα)) Uᵀỹ` — each singular direction is shrunk by
/// `σ_i²/(σ_i² + mα)` relative to least squares. Also gives the hat-matrix diagonal and the
/// effective degrees of freedom, for leave-one-out and GCV.
#[derive(Debug, Clone)]
pub struct RidgeSpectral<T> {
    svd: ThinSvd<T>,
    /// `Uᵀỹ` per task (`r × k`, column-major).
    uty: Vec<T>,
    m: T,
    k: usize,
    x_mean: Vec<T>,
    y_mean: Vec<T>,
    x_scale: Option<Vec<T>>,
}

impl<T: Scalar> RidgeSpectral<T> {
    /// Decomposes the prepared (centered, weighted) design.
    ///
    /// # Errors
    /// Failures of the SVD; [`Error::Unsupported`] for a problem without rows
    /// ([`Prepared::has_rows`]).
    pub fn new(prep: &Prepared<'_, T>) -> Result<Self> {
        prep.need_rows("the spectral ridge (SVD of the rows)")?;
        let xt = prep.centered_design();
        let svd = xt.thin_svd()?;
        let (n, k) = (prep.n, prep.k);
        let rank = svd.s().len();
        let mut uty = vec![T::zero(); rank * k];
        for t in 0..k {
            let yt = &prep.y[t * n..(t + 1) * n];
            for i in 0..rank {
                uty[t * rank + i] = svd.u().col(i).iter().zip(yt).map(|(&a, &b)| a * b).sum();
            }
        }
        Ok(Self {
            svd,
            uty,
            m: prep.m,
            k,
            x_mean: prep.x_mean.clone(),
            y_mean: prep.y_mean.clone(),
            x_scale: prep.x_scale.clone(),
        })
    }

    /// The singular values of `X̃`, descending.
    pub fn singular_values(&self) -> &[T] {
        self.svd.s()
    }

    /// The decomposition.
    pub fn svd(&self) -> &ThinSvd<T> {
        &self.svd
    }

    /// Coefficients (`p × k` row-major, original scale) at `alpha` (engine convention).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a negative or NaN alpha.
    pub fn coef(&self, alpha: T) -> Result<Vec<T>> {
        let mut w = self.coef_stored(alpha)?;
        if let Some(sc) = &self.x_scale {
            let k = self.k;
            for (j, &s) in sc.iter().enumerate() {
                w[j * k..(j + 1) * k].iter_mut().for_each(|v| *v /= s);
            }
        }
        Ok(w)
    }

    /// Coefficients on the scale of the decomposed (standardized) design.
    fn coef_stored(&self, alpha: T) -> Result<Vec<T>> {
        proxreg_core::error::ensure_nonneg_finite("alpha", alpha)?;
        let s = self.svd.s();
        let v = self.svd.v();
        let (p, rank, k) = (v.nrows(), s.len(), self.k);
        let shift = self.m * alpha;
        let tiny =
            s.first().copied().unwrap_or(T::zero()) * T::epsilon() * T::from_count(p.max(rank));
        let mut w = vec![T::zero(); p * k];
        for t in 0..k {
            for (i, &si) in s.iter().enumerate() {
                let denom = si * si + shift;
                // Directions with σ = 0 (or numerically so, at alpha = 0) contribute nothing:
                // the minimum-norm solution.
                if si <= tiny || denom <= T::zero() {
                    continue;
                }
                let f = si / denom * self.uty[t * rank + i];
                for (j, &vji) in v.col(i).iter().enumerate() {
                    w[j * k + t] += f * vji;
                }
            }
        }
        Ok(w)
    }

    /// Intercepts for coefficients `w`.
    pub fn intercept(&self, w: &[T]) -> Vec<T> {
        let k = self.k;
        (0..k)
            .map(|t| {
                self.y_mean[t]
                    - self
                        .x_mean
                        .iter()
                        .enumerate()
                        .map(|(j, &mj)| mj * w[j * k + t])
                        .sum::<T>()
            })
            .collect()
    }

    /// Effective degrees of freedom `Σ σ_i²/(σ_i² + mα)` (the trace of the hat matrix).
    pub fn effective_dof(&self, alpha: T) -> T {
        let shift = self.m * alpha;
        self.svd
            .s()
            .iter()
            .map(|&s| {
                let d = s * s + shift;
                if d > T::zero() {
                    s * s / d
                } else {
                    T::zero()
                }
            })
            .sum()
    }

    /// Condition number `(σ_max² + mα)/(σ_min² + mα)` of `X̃ᵀX̃ + mαI` (with `σ_min = 0` when
    /// `p > n`, so that it is the primal system's).
    pub fn condition_number(&self, alpha: T) -> T {
        let s = self.svd.s();
        let shift = self.m * alpha;
        let p = self.svd.v().nrows();
        let hi = s.first().copied().unwrap_or(T::zero());
        let lo = if s.len() < p {
            T::zero()
        } else {
            s.last().copied().unwrap_or(T::zero())
        };
        let den = lo * lo + shift;
        if den > T::zero() {
            (hi * hi + shift) / den
        } else {
            T::infinity()
        }
    }
}
