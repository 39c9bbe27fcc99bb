//! Accelerated proximal gradient (FISTA with adaptive restart) for any [`Datafit`] with a
//! bounded curvature and any [`Penalty`] — non-separable penalties and users' own included.

use proxreg_core::datafit::Datafit;
use proxreg_core::penalty::Penalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::glm::{certify, GlmData, Start};

use crate::problem::Problem;
use crate::solution::{IterInfo, Observer, Solution, Termination};
use crate::Solver;

/// FISTA for any datafit whose curvature is bounded ([`Datafit::curvature_bound`]: least
/// squares, logistic) and any penalty with a prox: step `1/L` with
/// `L = bound·λ_max(X̃ᵀ diag(s̄) X̃)` (power iteration on the centered columns; the intercept,
/// orthogonal to them, has curvature `bound`), Nesterov momentum restarted whenever the
/// objective increases (O'Donoghue & Candès). Certified as [`ProxNewton`](crate::ProxNewton)
/// (the certificate is computed every `check_every` iterations).
///
/// It is the fallback for penalties coordinate methods cannot take; for separable penalties
/// [`ProxNewton`](crate::ProxNewton) is faster (measured on the logistic fixtures: see
/// `docs/benchmarks.md`).
///
/// ```
/// use proxreg_core::datafit::Logistic;
/// use proxreg_core::penalty::L1;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{glm_alpha_max, Problem, ProxGradient, Solver};
/// let x = ColMajor::from_fn(40, 5, |i, j| (((i * 7 + j * 13) % 11) as f64 - 5.0) / 3.0);
/// let y: Vec<f64> = (0..40).map(|i| f64::from(u8::from((i * 7) % 11 > 4))).collect();
/// let pb = Problem::new(&x, &y, &L1, 1.0).fit_intercept(true).datafit(Logistic);
/// let a = glm_alpha_max(&pb)? / 10.0;
/// let sol = ProxGradient::default().tol(1e-8).solve(&pb.with_alpha(a), None, &mut ())?;
/// assert!(sol.converged() && sol.relative_gap.unwrap() <= 1e-8);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProxGradient<T> {
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    check_every: usize,
}

impl<T: Scalar> Default for ProxGradient<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 100_000,
            check_every: 10,
        }
    }
}

impl<T: Scalar> ProxGradient<T> {
    /// Default settings (`tol = 1e-4`, 100 000 iterations, a certificate every 10).
    pub fn new() -> Self {
        Self::default()
    }
    /// The relative duality gap to reach.
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.tol = tol;
        self
    }
    /// The KKT tolerance, relative to `‖∇F(0)‖_∞` (defaults to `tol`).
    #[must_use]
    pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
        self.kkt_tol = Some(kkt_tol);
        self
    }
    /// The largest number of gradient steps.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Compute the certificate every `every` steps (`>= 1`).
    #[must_use]
    pub fn check_every(mut self, every: usize) -> Self {
        self.check_every = every;
        self
    }
}

impl<T, X, P, F> Solver<T, X, P, F> for ProxGradient<T>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: Penalty<T> + ?Sized,
    F: Datafit<T>,
{
    fn solve<O: Observer<T> + ?Sized>(
        &self,
        pb: &Problem<'_, T, X, P, F>,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>> {
        crate::cd::check_stopping(self.tol, self.kkt_tol, self.max_iter)?;
        if self.check_every == 0 {
            return Err(Error::InvalidParameter {
                name: "check_every",
                value: 0.0,
                expected: ">= 1",
            });
        }
        let f = &pb.datafit;
        let bound = f.curvature_bound().ok_or(Error::Unsupported {
            what: "ProxGradient for this datafit",
            reason: "its curvature is unbounded (no Lipschitz gradient): use ProxNewton",
        })?;
        let d = GlmData::new(pb)?;
        let start = match warm_start {
            None => Start::cold(&d),
            Some(w0) => Start::warm(&d, w0)?,
        };
        run(self, &d, pb, bound, start, observer)
    }
}

/// `λ_max(X̃ᵀ diag(s̄) X̃)` by 50 power iterations from a fixed start.
fn lambda_max<T: Scalar>(d: &GlmData<'_, T>) -> T {
    let (n, p) = (d.n, d.p);
    let mut v = vec![T::one() / T::from_count(p).sqrt(); p];
    let mut xv = vec![T::zero(); n];
    let mut lam = T::zero();
    for _ in 0..50 {
        xv.iter_mut().for_each(|e| *e = T::zero());
        d.axpy_cols(v.iter().copied().enumerate(), &mut xv);
        for (e, &s) in xv.iter_mut().zip(&d.sw) {
            *e *= s;
        }
        let rs = d.rsum(&xv);
        for (j, vj) in v.iter_mut().enumerate() {
            *vj = d.col_dot(j, &xv, rs);
        }
        let norm = v.iter().map(|&a| a * a).sum::<T>().sqrt();
        if norm <= T::zero() || !norm.is_finite() {
            break;
        }
        lam = norm;
        v.iter_mut().for_each(|a| *a /= norm);
    }
    // Power iteration approaches from below: a margin keeps the step safe.
    lam * T::lit(1.02)
}

#[allow(clippy::needless_range_loop)] // per-sample loops over several arrays
fn run<T, X, P, F, O>(
    cfg: &ProxGradient<T>,
    d: &GlmData<'_, T>,
    pb: &Problem<'_, T, X, P, F>,
    bound: T,
    start: Start<T>,
    observer: &mut O,
) -> Result<Solution<T>>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: Penalty<T> + ?Sized,
    F: Datafit<T>,
    O: Observer<T> + ?Sized,
{
    let (f, pen, alpha) = (&pb.datafit, pb.penalty, pb.alpha);
    let (n, p) = (d.n, d.p);
    let lip = bound * lambda_max(d).max(T::one());
    let step = T::one() / lip;
    let kkt_tol = cfg.kkt_tol.unwrap_or(cfg.tol);
    let kkt_abs = d.kkt_abs(kkt_tol);

    let eta_of = |w: &[T], b: T, out: &mut Vec<T>| {
        out.clear();
        out.resize(n, T::zero());
        d.eta_into(w, b, out);
    };
    let value = |eta: &[T], w: &[T]| -> T {
        let data: T = (0..n).map(|i| d.sw[i] * f.loss(d.y[i], eta[i])).sum();
        data + if alpha == T::zero() {
            T::zero()
        } else {
            alpha * pen.value(w)
        }
    };
    let Start { mut w, mut b } = start;
    if !d.fit_intercept {
        b = T::zero();
    }
    let (mut yw, mut yb) = (w.clone(), b);
    let mut eta = Vec::with_capacity(n);
    let mut eta_y = Vec::with_capacity(n);
    let mut raw = vec![T::zero(); n];
    let mut grad = vec![T::zero(); p];
    let mut dist = vec![T::zero(); p];
    let (mut cu, mut cv) = (Vec::with_capacity(p), Vec::with_capacity(n));
    eta_of(&w, b, &mut eta);
    let mut eta_m = eta.clone();
    let mut nw = vec![T::zero(); p];
    let mut obj = value(&eta, &w);
    let mut t_mom = T::one();
    let mut termination = Termination::MaxIterReached;
    let mut last = None;
    let mut iters = 0;
    let mut at_floor = false;
    for it in 0..=cfg.max_iter {
        iters = it;
        if it % cfg.check_every == 0 || it == cfg.max_iter || at_floor {
            for i in 0..n {
                raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
            }
            let rs = d.rsum(&raw);
            for (j, g) in grad.iter_mut().enumerate() {
                *g = d.col_dot(j, &raw, rs);
            }
            let c = certify(
                d, f, pen, alpha, &w, &eta, &raw, &grad, &mut dist, &mut cu, &mut cv,
            );
            if !c.objective.is_finite() {
                return Err(Error::Numerical {
                    what: "proximal gradient",
                    reason: "the objective is not finite",
                });
            }
            let stop = observer
                .on_iter(&IterInfo {
                    iter: it,
                    objective: c.objective,
                    duality_gap: c.gap,
                    kkt_violation: c.kkt,
                })
                .is_break();
            let meets = c.rel_gap.is_none_or(|g| g <= cfg.tol) && c.kkt <= kkt_abs;
            last = Some(c);
            if meets {
                termination = Termination::Converged;
                break;
            }
            if stop {
                termination = Termination::StoppedByObserver;
                break;
            }
            if at_floor {
                termination = Termination::RoundingFloor;
                break;
            }
            if it == cfg.max_iter {
                break;
            }
        }
        // Gradient step at the momentum point, then the penalty's prox. The momentum point's
        // linear predictor is kept up to date by the same affine combination as the point
        // itself: one product with X per step, and no allocation.
        for i in 0..n {
            raw[i] = d.sw[i] * f.deriv(d.y[i], eta_m[i]);
        }
        let rs = d.rsum(&raw);
        for j in 0..p {
            nw[j] = yw[j] - step * d.col_dot(j, &raw, rs);
        }
        pen.prox_in_place(&mut nw, step * alpha);
        let nb = if d.fit_intercept {
            yb - step * raw.iter().copied().sum::<T>()
        } else {
            T::zero()
        };
        eta_of(&nw, nb, &mut eta_y);
        let nobj = value(&eta_y, &nw);
        let t_next = (T::one() + (T::one() + T::lit(4.0) * t_mom * t_mom).sqrt()) / T::lit(2.0);
        let from_current = t_mom == T::one();
        if nobj > obj && !from_current {
            // Restart: drop the momentum and step from the current point.
            t_mom = T::one();
            yw.copy_from_slice(&w);
            yb = b;
            eta_m.copy_from_slice(&eta);
            continue;
        }
        if from_current && nb == b && nw == w {
            // A fixed point of the proximal-gradient map: as exact as rounding allows; the
            // next round certifies this point and stops.
            at_floor = true;
            continue;
        }
        let beta = (t_mom - T::one()) / t_next;
        for j in 0..p {
            yw[j] = nw[j] + beta * (nw[j] - w[j]);
        }
        yb = nb + beta * (nb - b);
        for i in 0..n {
            eta_m[i] = eta_y[i] + beta * (eta_y[i] - eta[i]);
        }
        t_mom = t_next;
        core::mem::swap(&mut w, &mut nw);
        b = nb;
        core::mem::swap(&mut eta, &mut eta_y);
        obj = nobj;
    }
    let c = last.ok_or(Error::Numerical {
        what: "proximal gradient",
        reason: "internal: no certificate",
    })?;
    Ok(d.solution(&w, b, &c, iters, iters * p, termination))
}
