//! Coordinate descent for any [`Datafit`] with a bounded curvature: working sets, Anderson
//! extrapolation, and steps `1/L_j` with `L_j = bound·‖x̃_j‖²_s̄` (celer's and skglm's approach
//! for sparse logistic regression). Certified by [`crate::ProxNewton`]'s certificate.
// Loops over several per-sample arrays of one length read clearer indexed.
#![allow(clippy::needless_range_loop)]

use proxreg_core::datafit::Datafit;
use proxreg_core::penalty::SeparablePenalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::anderson::Anderson;
use crate::cd::check_stopping;
use crate::glm::{certify, GlmData, Start};
use crate::kernels::dot_off;
use crate::path::Path;
use crate::problem::Problem;
use crate::solution::{IterInfo, Observer, Solution, Termination};
use crate::Solver;

/// Coordinate descent for any [`Datafit`] with a curvature bound
/// ([`Datafit::curvature_bound`]: least squares, logistic) and any separable penalty, with
/// working sets and Anderson extrapolation.
///
/// Coordinate `j` takes the proximal step `w_j ← prox_{αg_j/L_j}(w_j − ∇_j F/L_j)` with the
/// global Lipschitz constant `L_j = bound·Σ_i s̄_i x̃_ij²` (`bound` the datafit's curvature
/// bound, `s̄` the normalised sample weights, `x̃` the centered and, with `standardize`,
/// scaled columns): no Hessian, no line search, and each step decreases the objective. The
/// linear predictor `η` and the per-sample derivatives `s̄_i·ℓ'(y_i, η_i)` are updated after
/// each step that moves, so a coordinate's gradient is one dot product. The intercept is a
/// coordinate of its own (unpenalised, curvature `bound`), stepped once per epoch.
///
/// **Outer iterations** compute the full gradient and the certificate (duality gap through
/// the datafit's conjugate, relative to the null deviance, and the KKT violation: the same as
/// [`ProxNewton`](crate::ProxNewton)'s), stop when the relative gap is at most `tol` **and**
/// the KKT violation at most `kkt_tol·‖∇F(0)‖_∞`, and otherwise choose a working set: the
/// support and the worst violators, `max(working_set_size, 2·nnz)` features (skglm's rule).
/// Epochs run on it until its largest violation is below 0.3× the outer one.
///
/// **Anderson extrapolation** (Bertrand & Massias 2021, as in
/// [`CoordinateDescent`](crate::CoordinateDescent)): every `anderson + 1` epochs the last
/// iterates on the working set (intercept included) are combined with the affine weights that
/// minimise the combined differences; the extrapolated point is kept only when its objective
/// is lower.
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | `tol` | `1e-4` | relative duality gap to reach |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇F(0)‖_∞` to reach as well |
/// | `max_iter` | `50_000` | largest number of epochs (passes over a working set) |
/// | `anderson` | `5` | extrapolation depth (0: off) |
/// | `working_set` | `true` | working sets (off: every epoch visits every feature) |
/// | `working_set_size` | `10` | the smallest working set |
///
/// `max_iter` counts epochs; reaching it ends the fit with [`Termination::MaxIterReached`].
/// A round of epochs that moves no coefficient beyond rounding on the full problem ends it
/// with [`Termination::RoundingFloor`] (the certificate says what was reached). A datafit
/// without a curvature bound (Poisson) is refused with [`Error::Unsupported`].
///
/// On the sparse logistic problems measured (`docs/benchmarks.md`, T5: small, corr and wide
/// designs, one fit and a 100-alpha path) [`ProxNewton`](crate::ProxNewton) is 2.7× to 11×
/// faster: the bound `¼` overestimates the local curvature `σ(1 − σ)` wherever fitted
/// probabilities are near 0 or 1, and each moving step evaluates the derivative for every
/// sample. This solver is for datafits whose Hessian is costly or missing but bounded.
///
/// ```
/// use proxreg_core::datafit::Logistic;
/// use proxreg_core::penalty::L1;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{glm_alpha_max, GlmCd, Problem, Solver};
/// let x = ColMajor::from_fn(40, 5, |i, j| (((i * 7 + j * 13) % 11) as f64 - 5.0) / 3.0);
/// let y: Vec<f64> = (0..40).map(|i| f64::from(u8::from((i * 7) % 11 > 4))).collect();
/// let pb = Problem::new(&x, &y, &L1, 1.0).fit_intercept(true).datafit(Logistic);
/// let amax = glm_alpha_max(&pb)?;
/// let sol = GlmCd::default().tol(1e-10).solve(&pb.with_alpha(amax / 10.0), None, &mut ())?;
/// assert!(sol.converged() && sol.relative_gap.unwrap() <= 1e-10);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlmCd<T> {
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    anderson: usize,
    working_set: bool,
    ws_min: usize,
}

impl<T: Scalar> Default for GlmCd<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 50_000,
            anderson: 5,
            working_set: true,
            ws_min: 10,
        }
    }
}

impl<T: Scalar> GlmCd<T> {
    /// Default settings (see the table of the type's documentation).
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
    /// The largest number of epochs.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Anderson extrapolation depth (0 turns it off; default 5).
    #[must_use]
    pub fn anderson(mut self, depth: usize) -> Self {
        self.anderson = depth;
        self
    }
    /// Working sets (on by default); off, every epoch updates every coordinate.
    #[must_use]
    pub fn working_set(mut self, yes: bool) -> Self {
        self.working_set = yes;
        self
    }
    /// The smallest working set (default 10, `>= 1`).
    #[must_use]
    pub fn working_set_size(mut self, size: usize) -> Self {
        self.ws_min = size;
        self
    }

    /// Validates the settings.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `tol` or `kkt_tol` not finite and `> 0`,
    /// `max_iter == 0` or `working_set_size == 0`.
    pub fn check(&self) -> Result<()> {
        check_stopping(self.tol, self.kkt_tol, self.max_iter)?;
        if self.ws_min == 0 {
            return Err(Error::InvalidParameter {
                name: "working_set_size",
                value: 0.0,
                expected: ">= 1",
            });
        }
        Ok(())
    }

    /// A warm-started path: one solution per alpha, in the order given (decreasing alphas
    /// from [`glm_alpha_max`](crate::glm_alpha_max) are the efficient order), each started
    /// from the previous one.
    ///
    /// # Errors
    /// As [`Solver::solve`], and [`Error::Empty`] / [`Error::InvalidParameter`] for the alphas.
    pub fn path<X, P, F>(&self, problem: &Problem<'_, T, X, P, F>, alphas: &[T]) -> Result<Path<T>>
    where
        X: DesignMatrix<T> + ?Sized,
        P: SeparablePenalty<T> + ?Sized,
        F: Datafit<T>,
    {
        self.check()?;
        crate::path::check_alphas(alphas)?;
        let bound = bound_of(&problem.datafit)?;
        let data = GlmData::new(problem)?;
        let mut start = Start::cold(&data);
        let mut solutions = Vec::with_capacity(alphas.len());
        for &a in alphas {
            let (sol, end) = run(self, &data, problem, bound, a, start, &mut ())?;
            start = end;
            solutions.push(sol);
        }
        Ok(Path {
            alphas: alphas.to_vec(),
            solutions,
        })
    }
}

impl<T, X, P, F> Solver<T, X, P, F> for GlmCd<T>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
    F: Datafit<T>,
{
    fn solve<O: Observer<T> + ?Sized>(
        &self,
        problem: &Problem<'_, T, X, P, F>,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>> {
        self.check()?;
        let bound = bound_of(&problem.datafit)?;
        let data = GlmData::new(problem)?;
        let start = match warm_start {
            None => Start::cold(&data),
            Some(w0) => Start::warm(&data, w0)?,
        };
        run(self, &data, problem, bound, problem.alpha, start, observer).map(|(s, _)| s)
    }
}

/// The datafit's curvature bound, finite and positive.
fn bound_of<T: Scalar, F: Datafit<T>>(f: &F) -> Result<T> {
    match f.curvature_bound() {
        Some(b) if b.is_finite() && b > T::zero() => Ok(b),
        _ => Err(Error::Unsupported {
            what: "GlmCd for this datafit",
            reason: "its curvature is unbounded (no global Lipschitz constant): use ProxNewton",
        }),
    }
}

/// `Σ_i s̄_i·ℓ(y_i, η_i)`.
fn data_value<T: Scalar, F: Datafit<T>>(d: &GlmData<'_, T>, f: &F, eta: &[T]) -> T {
    (0..d.n).map(|i| d.sw[i] * f.loss(d.y[i], eta[i])).sum()
}

/// One solve at `alpha` from `start`; returns the solution and the internal end point.
#[allow(clippy::too_many_lines)] // one loop: certificate, working set, epochs, extrapolation
fn run<T, X, P, F, O>(
    cfg: &GlmCd<T>,
    d: &GlmData<'_, T>,
    pb: &Problem<'_, T, X, P, F>,
    bound: T,
    alpha: T,
    start: Start<T>,
    observer: &mut O,
) -> Result<(Solution<T>, Start<T>)>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
    F: Datafit<T>,
    O: Observer<T> + ?Sized,
{
    proxreg_core::error::ensure_nonneg_finite("alpha", alpha)?;
    let f = &pb.datafit;
    let pen = pb.penalty;
    let (n, p) = (d.n, d.p);
    let kkt_abs = d.kkt_abs(cfg.kkt_tol.unwrap_or(cfg.tol));
    let lips: Vec<T> = d.col_sq.iter().map(|&s| bound * s).collect();

    // When zero (with the null intercept) is optimal, as at `alpha >= alpha_max`, it is the
    // answer whatever the start: exact zeros, not a warm start's rounding residue.
    let zero_optimal =
        (0..p).all(|j| pen.subdiff_distance_1d(T::zero(), d.grad_null[j], alpha, j) == T::zero());
    let Start { mut w, mut b } = if zero_optimal { Start::cold(d) } else { start };
    if !d.fit_intercept {
        b = T::zero();
    }
    let mut eta = vec![T::zero(); n];
    let mut raw = vec![T::zero(); n];
    let mut grad = vec![T::zero(); p];
    let mut dist = vec![T::zero(); p];
    let (mut cu, mut cv) = (Vec::with_capacity(p), Vec::with_capacity(n));
    let mut scores: Vec<(T, usize)> = Vec::with_capacity(p);
    let mut ws: Vec<usize> = Vec::with_capacity(p);
    let mut ws_size = cfg.ws_min.min(p).max(1);
    let mut accel = Anderson::new(cfg.anderson);
    let mut snap: Vec<T> = Vec::with_capacity(p + 1);
    let mut snap_idx: Vec<usize> = Vec::with_capacity(p + 1);
    let mut extra: Vec<T> = Vec::with_capacity(p + 1);
    let mut eta_try = vec![T::zero(); n];
    let mut epochs = 0usize;
    let mut n_updates = 0usize;
    let mut outer = 0usize;
    let mut stalls = 0usize;
    let mut stuck = false;
    let mut widen = false;
    let termination;
    let cert;

    loop {
        // The linear predictor from scratch (no drift from the incremental updates), the
        // gradient and the certificate.
        d.eta_into(&w, b, &mut eta);
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
                what: "coordinate descent (GlmCd)",
                reason: "the objective is not finite (data too large for this datafit)",
            });
        }
        let info = IterInfo {
            iter: outer,
            objective: c.objective,
            duality_gap: c.gap,
            kkt_violation: c.kkt,
        };
        let meets = c.rel_gap.is_none_or(|g| g <= cfg.tol) && c.kkt <= kkt_abs;
        let kkt_now = c.kkt;
        if meets {
            termination = Termination::Converged;
            cert = c;
            break;
        }
        stalls = if stuck { stalls + 1 } else { 0 };
        if stalls >= 2 {
            termination = Termination::RoundingFloor;
            cert = c;
            break;
        }
        if observer.on_iter(&info).is_break() {
            termination = Termination::StoppedByObserver;
            cert = c;
            break;
        }
        if epochs >= cfg.max_iter {
            termination = Termination::MaxIterReached;
            cert = c;
            break;
        }
        outer += 1;

        // Working set: the support and the worst violators.
        ws.clear();
        if cfg.working_set {
            let n_supp = w.iter().filter(|&&v| pen.in_support(v)).count();
            ws_size = ws_size.max(2 * n_supp).min(p);
            if widen {
                // The last round could not move on its working set: widen it.
                ws_size = (2 * ws_size).min(p);
            }
            scores.clear();
            for j in 0..p {
                if lips[j] <= T::zero() {
                    continue;
                }
                let s = if pen.in_support(w[j]) {
                    T::infinity()
                } else {
                    let v = pen.subdiff_distance_1d(w[j], grad[j], alpha, j);
                    if v.is_nan() {
                        T::infinity()
                    } else {
                        v
                    }
                };
                if s > T::zero() {
                    scores.push((s, j));
                }
            }
            if scores.len() > ws_size {
                scores.select_nth_unstable_by(ws_size - 1, |a, b| {
                    b.0.partial_cmp(&a.0).unwrap_or(core::cmp::Ordering::Equal)
                });
                scores.truncate(ws_size);
            }
            ws.extend(scores.iter().map(|&(_, j)| j));
            ws.sort_unstable();
        } else {
            ws.extend((0..p).filter(|&j| lips[j] > T::zero()));
        }
        let full = ws.len() == (0..p).filter(|&j| lips[j] > T::zero()).count();
        // Anderson acts on [w_ws, b].
        let len = ws.len() + 1;
        snap_idx.clear();
        snap_idx.extend(0..len);
        snap.resize(len, T::zero());
        extra.resize(len, T::zero());
        accel.reset(len);

        let inner_tol = T::lit(0.3) * kkt_now.max(kkt_abs);
        let mut first = true;
        stuck = false;
        widen = false;
        loop {
            let mut worst = T::zero();
            let mut max_change = T::zero();
            let mut max_w = b.abs();
            for &j in &ws {
                let l = lips[j];
                let (col, o) = (d.col(j), d.offsets[j]);
                // A sparse design: every update still refreshes all `n` derivatives (the
                // offset moves every η_i), so GlmCd is `O(n)` an update on sparse data too.
                let sparse = d.sparse().is_some();
                let gj = if sparse {
                    d.col_dot(j, &raw, d.rsum(&raw))
                } else {
                    dot_off(col, o, &raw)
                };
                let old = w[j];
                worst = worst.max(pen.subdiff_distance_1d(old, gj, alpha, j));
                let new = pen.prox_1d(old - gj / l, alpha / l, j);
                n_updates += 1;
                let step = new - old;
                if step != T::zero() {
                    w[j] = new;
                    if sparse {
                        d.axpy_cols([(j, step)], &mut eta);
                        for i in 0..n {
                            raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                        }
                    } else {
                        for i in 0..n {
                            eta[i] += step * (col[i] - o);
                            raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                        }
                    }
                    max_change = max_change.max(step.abs() * l.sqrt());
                }
                max_w = max_w.max(new.abs() * l.sqrt());
            }
            if d.fit_intercept {
                let gb: T = raw.iter().copied().sum();
                worst = worst.max(gb.abs());
                let step = -gb / bound;
                if step != T::zero() {
                    b += step;
                    for i in 0..n {
                        eta[i] += step;
                        raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                    }
                    max_change = max_change.max(step.abs() * bound.sqrt());
                }
            }
            epochs += 1;
            if !worst.is_finite() || !max_change.is_finite() {
                return Err(Error::Numerical {
                    what: "coordinate descent (GlmCd)",
                    reason: "the iterates became non-finite",
                });
            }
            // A fixed point of the epoch, up to rounding of the largest scaled coefficient.
            let fixed = max_change <= T::lit(4.0) * T::epsilon() * max_w.max(T::one());
            if first && fixed {
                // Nothing moves on this working set: widen it, or, on the whole problem,
                // count a stall.
                if full {
                    stuck = true;
                } else {
                    widen = true;
                }
            }
            first = false;
            if fixed || worst <= inner_tol || epochs >= cfg.max_iter {
                break;
            }
            if accel.enabled() {
                for (k, &j) in ws.iter().enumerate() {
                    snap[k] = w[j];
                }
                snap[len - 1] = b;
                if accel.push(&snap, &snap_idx, 1) {
                    extrapolate(
                        d,
                        f,
                        pen,
                        alpha,
                        &ws,
                        &mut accel,
                        &mut extra,
                        &mut w,
                        &mut b,
                        &mut eta,
                        &mut raw,
                        &mut eta_try,
                    );
                    accel.reset(len);
                }
            }
        }
    }

    let sol = d.solution(&w, b, &cert, epochs, n_updates, termination);
    Ok((sol, Start { w, b }))
}

/// One Anderson step on `[w_ws, b]`: the extrapolated point replaces the iterate (with its
/// linear predictor and derivatives) when its objective is lower.
#[allow(clippy::too_many_arguments)]
fn extrapolate<T: Scalar, P: SeparablePenalty<T> + ?Sized, F: Datafit<T>>(
    d: &GlmData<'_, T>,
    f: &F,
    pen: &P,
    alpha: T,
    ws: &[usize],
    accel: &mut Anderson<T>,
    extra: &mut [T],
    w: &mut [T],
    b: &mut T,
    eta: &mut Vec<T>,
    raw: &mut [T],
    eta_try: &mut Vec<T>,
) {
    if !accel.extrapolate(extra) {
        return;
    }
    let len = ws.len();
    let nb = if d.fit_intercept {
        extra[len]
    } else {
        T::zero()
    };
    let pen_of = |get: &dyn Fn(usize) -> T| -> T {
        if alpha == T::zero() {
            T::zero()
        } else {
            alpha
                * ws.iter()
                    .enumerate()
                    .map(|(k, &j)| pen.value_1d(get(k), j))
                    .sum::<T>()
        }
    };
    let before = data_value(d, f, eta) + pen_of(&|k| w[ws[k]]);
    eta_try.clear();
    eta_try.extend(eta.iter().map(|&e| e + (nb - *b)));
    d.axpy_cols(
        ws.iter()
            .enumerate()
            .map(|(k, &j)| (j, extra[k] - w[j]))
            .filter(|&(_, a)| a != T::zero()),
        eta_try,
    );
    let after = data_value(d, f, eta_try) + pen_of(&|k| extra[k]);
    if after < before {
        for (k, &j) in ws.iter().enumerate() {
            w[j] = extra[k];
        }
        *b = nb;
        core::mem::swap(eta, eta_try);
        for i in 0..d.n {
            raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
        }
    }
}
