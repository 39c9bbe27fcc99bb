//! Group block coordinate descent for penalties over feature groups of any sizes
//! ([`GroupSeparablePenalty`]: the group lasso and the sparse group lasso), with any datafit
//! that has a curvature bound (least squares, logistic).
// Loops over several per-sample arrays of one length read clearer indexed.
#![allow(clippy::needless_range_loop)]

use proxreg_core::datafit::Datafit;
use proxreg_core::penalty::GroupSeparablePenalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::cd::check_stopping;
use crate::glm::{certify, GlmData, Start};
use crate::path::Path;
use crate::problem::Problem;
use crate::solution::{IterInfo, Observer, Solution, Termination};
use crate::Solver;

/// Group block coordinate descent: for a penalty that is a sum over a partition of the
/// features into groups of any sizes ([`GroupSeparablePenalty`], e.g.
/// [`GroupLasso`](proxreg_core::penalty::GroupLasso)) and any [`Datafit`] with a curvature
/// bound ([`Datafit::curvature_bound`]: least squares `1`, logistic `¼`).
///
/// Each epoch visits the groups of the working set in order and takes the proximal gradient
/// step `w_G ← prox_{αg_G/L_G}(w_G − ∇_G F/L_G)` with `L_G = bound·λ_max(X̃_Gᵀ S̄ X̃_G)` (`S̄`
/// the normalised sample weights, `X̃` the centered columns; `λ_max` by power iteration, capped
/// by the trace), so each step decreases the objective. The linear predictor and the per-sample
/// derivatives are kept up to date after each group that moves. The intercept is unpenalised,
/// stepped once per epoch with curvature `bound` (exact for least squares on centered
/// columns).
///
/// **Working sets** (skglm's rule, as [`GlmCd`](crate::GlmCd)): after each certificate, the
/// groups in the support and the worst violators (largest group KKT distance),
/// `max(working_set_size, 2·|support|)` groups; epochs run on them until their largest
/// violation is below 0.3× the outer one (or nothing moves, which widens the set next time).
///
/// **Certificates.** After every round of epochs on a working set: the duality gap (through the datafit's conjugate and
/// the penalty's [`dual_feasible_scale`](proxreg_core::penalty::Penalty::dual_feasible_scale), relative to the
/// null model's objective, as [`GlmCd`](crate::GlmCd)) and the KKT violation (the largest
/// group distance of `−∇_G F` to `α∂g_G(w_G)`, and `|∂F/∂b|`). The fit stops when the relative
/// gap is at most `tol` **and** the KKT violation at most `kkt_tol·‖∇F(null)‖_∞` (or the
/// rounding floor). A group with no penalty at all (weight `0` and `τ = 0`) makes the dual
/// point infeasible: no gap is reported and the KKT violation alone decides.
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | `tol` | `1e-4` | relative duality gap to reach |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇F(null)‖_∞` to reach as well |
/// | `max_iter` | `100_000` | largest number of epochs (passes over a working set) |
/// | `working_set` | `true` | working sets (off: every epoch visits every group) |
/// | `working_set_size` | `10` | the smallest working set, in groups |
///
/// Reaching `max_iter` ends with [`Termination::MaxIterReached`]; two rounds in a row whose
/// first epoch on the whole problem moves no coefficient beyond rounding end with
/// [`Termination::RoundingFloor`]. No gap-safe screening yet.
///
/// ```
/// use proxreg_core::penalty::{GroupLasso, Groups};
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{GroupCd, Problem, Solver};
/// let x = ColMajor::from_fn(30, 5, |i, j| (((i * 7 + j * 13) % 11) as f64 - 5.0) / 3.0);
/// let y: Vec<f64> = (0..30).map(|i| (i % 4) as f64).collect();
/// let pen = GroupLasso::new(Groups::new(&[vec![0, 3], vec![1], vec![2, 4]], 5)?, None)?;
/// let pb = Problem::new(&x, &y, &pen, 1.0).fit_intercept(true);
/// let amax = GroupCd::new().alpha_max(&pb)?;
/// let sol = GroupCd::new().tol(1e-10).solve(&pb.with_alpha(amax / 5.0), None, &mut ())?;
/// assert!(sol.converged() && sol.relative_gap.unwrap() <= 1e-10);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupCd<T> {
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    working_set: bool,
    ws_min: usize,
}

impl<T: Scalar> Default for GroupCd<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 100_000,
            working_set: true,
            ws_min: 10,
        }
    }
}

impl<T: Scalar> GroupCd<T> {
    /// Default settings (see the type's documentation).
    pub fn new() -> Self {
        Self::default()
    }
    /// The relative duality gap to reach.
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.tol = tol;
        self
    }
    /// The KKT tolerance, relative to `‖∇F(null)‖_∞` (defaults to `tol`).
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

    /// Working sets (on by default); off, every epoch visits every group.
    #[must_use]
    pub fn working_set(mut self, yes: bool) -> Self {
        self.working_set = yes;
        self
    }
    /// The smallest working set, in groups (default 10, `>= 1`).
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

    /// The smallest `alpha` at which every penalized group is zero at the optimum: the
    /// penalty's [`alpha_max`](proxreg_core::penalty::Penalty::alpha_max) of `∇F` at the null fit, where the intercept
    /// and the groups without any penalty are at their own optimum (found by this solver on
    /// those groups alone when there are any).
    ///
    /// # Errors
    /// As [`Solver::solve`]; [`Error::Unsupported`] when the penalty gives no `alpha_max`.
    pub fn alpha_max<X, P, F>(&self, problem: &Problem<'_, T, X, P, F>) -> Result<T>
    where
        X: DesignMatrix<T> + ?Sized,
        P: GroupSeparablePenalty<T> + ?Sized,
        F: Datafit<T>,
    {
        self.check()?;
        let bound = bound_of(&problem.datafit)?;
        let data = GlmData::new(problem)?;
        check_groups(problem.penalty, data.p)?;
        let pen = problem.penalty;
        let free: Vec<bool> = (0..pen.groups().n_groups())
            .map(|g| !group_penalized(pen, g))
            .collect();
        let grad = if free.iter().any(|&f| f) {
            let start = Start::cold(&data);
            let lips = group_lipschitzes(&data, pen, bound);
            let (_, Start { w, b }) = run(
                self,
                &data,
                problem,
                bound,
                &lips,
                T::zero(),
                start,
                Some(&free),
                &mut (),
            )?;
            let mut eta = vec![T::zero(); data.n];
            data.eta_into(&w, b, &mut eta);
            let raw: Vec<T> = (0..data.n)
                .map(|i| data.sw[i] * problem.datafit.deriv(data.y[i], eta[i]))
                .collect();
            let mut g = vec![T::zero(); data.p];
            data.gradient_into(&raw, &mut g);
            for (j, v) in g.iter_mut().enumerate() {
                if !pen.is_penalized(j) {
                    *v = T::zero();
                }
            }
            g
        } else {
            data.grad_null.clone()
        };
        pen.alpha_max(&grad).ok_or(Error::Unsupported {
            what: "alpha_max for this penalty",
            reason: "the penalty gives no alpha_max",
        })
    }

    /// A warm-started path: one solution per alpha, in the order given (decreasing alphas are
    /// the efficient order), each started from the previous one.
    ///
    /// # Errors
    /// As [`Solver::solve`], and [`Error::Empty`] / [`Error::InvalidParameter`] for the alphas.
    pub fn path<X, P, F>(&self, problem: &Problem<'_, T, X, P, F>, alphas: &[T]) -> Result<Path<T>>
    where
        X: DesignMatrix<T> + ?Sized,
        P: GroupSeparablePenalty<T> + ?Sized,
        F: Datafit<T>,
    {
        self.check()?;
        crate::path::check_alphas(alphas)?;
        let bound = bound_of(&problem.datafit)?;
        let data = GlmData::new(problem)?;
        check_groups(problem.penalty, data.p)?;
        let mut start = Start::cold(&data);
        let mut solutions = Vec::with_capacity(alphas.len());
        // the groups' step sizes depend on the data only: computed once for the whole path
        let lips = group_lipschitzes(&data, problem.penalty, bound);
        for &a in alphas {
            let (sol, end) = run(self, &data, problem, bound, &lips, a, start, None, &mut ())?;
            start = end;
            solutions.push(sol);
        }
        Ok(Path {
            alphas: alphas.to_vec(),
            solutions,
        })
    }
}

impl<T, X, P, F> Solver<T, X, P, F> for GroupCd<T>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: GroupSeparablePenalty<T> + ?Sized,
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
        check_groups(problem.penalty, data.p)?;
        let start = match warm_start {
            None => Start::cold(&data),
            Some(w0) => Start::warm(&data, w0)?,
        };
        let lips = group_lipschitzes(&data, problem.penalty, bound);
        run(
            self,
            &data,
            problem,
            bound,
            &lips,
            problem.alpha,
            start,
            None,
            observer,
        )
        .map(|(s, _)| s)
    }
}

/// The datafit's curvature bound, finite and positive.
fn bound_of<T: Scalar, F: Datafit<T>>(f: &F) -> Result<T> {
    match f.curvature_bound() {
        Some(b) if b.is_finite() && b > T::zero() => Ok(b),
        _ => Err(Error::Unsupported {
            what: "GroupCd for this datafit",
            reason: "its curvature is unbounded (no global Lipschitz constant)",
        }),
    }
}

/// The partition must cover exactly the design's columns.
fn check_groups<T: Scalar, P: GroupSeparablePenalty<T> + ?Sized>(pen: &P, p: usize) -> Result<()> {
    let q = pen.groups().n_features();
    if q == p {
        Ok(())
    } else {
        Err(Error::DimensionMismatch {
            what: "features covered by the groups vs columns of X",
            expected: p,
            found: q,
        })
    }
}

/// Whether group `g` carries any penalty.
fn group_penalized<T: Scalar, P: GroupSeparablePenalty<T> + ?Sized>(pen: &P, g: usize) -> bool {
    pen.groups().group(g).iter().any(|&j| pen.is_penalized(j))
}

/// `L_G = bound·λ_max(X̃_Gᵀ S̄ X̃_G)` by power iteration (exact for one column), capped by the
/// trace `Σ_{j∈G} Σ_i s̄_i x̃_ij²`.
fn group_lipschitz<T: Scalar>(d: &GlmData<'_, T>, members: &[usize], bound: T) -> T {
    let trace: T = members.iter().map(|&j| d.col_sq[j]).sum();
    if members.len() == 1 || trace <= T::zero() || !trace.is_finite() {
        return bound * trace;
    }
    let k = members.len();
    let mut v: Vec<T> = members.iter().map(|&j| d.col_sq[j].sqrt()).collect();
    let mut xv = vec![T::zero(); d.n];
    let mut lambda = T::zero();
    for _ in 0..500 {
        let nv = proxreg_core::penalty::norm2(&v);
        if nv.is_nan() || nv <= T::zero() {
            break;
        }
        v.iter_mut().for_each(|a| *a /= nv);
        xv.iter_mut().for_each(|a| *a = T::zero());
        d.axpy_cols(members.iter().zip(&v).map(|(&j, &a)| (j, a)), &mut xv);
        for i in 0..d.n {
            xv[i] *= d.sw[i];
        }
        let rs = d.rsum(&xv);
        let next: Vec<T> = members.iter().map(|&j| d.col_dot(j, &xv, rs)).collect();
        // Rayleigh quotient (v is a unit vector).
        let rq: T = next.iter().zip(&v).map(|(&a, &b)| a * b).sum();
        v = next;
        let done = (rq - lambda).abs() <= T::lit(1e-10) * rq;
        lambda = rq;
        if done {
            break;
        }
    }
    debug_assert_eq!(v.len(), k);
    let l = if lambda.is_finite() && lambda > T::zero() {
        // A slight margin above the estimate: power iteration approaches λ_max from below.
        (lambda * (T::one() + T::lit(1e-6))).min(trace)
    } else {
        trace
    };
    bound * l
}

/// Every group's `L_G` ([`group_lipschitz`]), in the partition's order: they depend on the
/// data and the datafit's bound only, so a path computes them once, not once per alpha.
fn group_lipschitzes<T: Scalar, P: GroupSeparablePenalty<T> + ?Sized>(
    d: &GlmData<'_, T>,
    pen: &P,
    bound: T,
) -> Vec<T> {
    let groups = pen.groups();
    (0..groups.n_groups())
        .map(|g| group_lipschitz(d, groups.group(g), bound))
        .collect()
}

/// One solve at `alpha` from `start`, with the groups' step sizes `lips`
/// ([`group_lipschitzes`]). With `only`, only the groups marked `true` move (the
/// others stay at their start) and the certificate is the KKT violation of those groups and
/// the intercept (the null fit of [`GroupCd::alpha_max`]).
#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn run<T, X, P, F, O>(
    cfg: &GroupCd<T>,
    d: &GlmData<'_, T>,
    pb: &Problem<'_, T, X, P, F>,
    bound: T,
    lips: &[T],
    alpha: T,
    start: Start<T>,
    only: Option<&[bool]>,
    observer: &mut O,
) -> Result<(Solution<T>, Start<T>)>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: GroupSeparablePenalty<T> + ?Sized,
    F: Datafit<T>,
    O: Observer<T> + ?Sized,
{
    proxreg_core::error::ensure_nonneg_finite("alpha", alpha)?;
    let f = &pb.datafit;
    let pen = pb.penalty;
    let groups = pen.groups();
    let q = groups.n_groups();
    let (n, p) = (d.n, d.p);
    let kkt_abs = d.kkt_abs(cfg.kkt_tol.unwrap_or(cfg.tol));
    debug_assert_eq!(lips.len(), q);
    let moves = |g: usize| only.is_none_or(|m| m[g]) && lips[g] > T::zero();

    // When zero (with the null intercept) is optimal, as at `alpha >= alpha_max`, it is the
    // answer whatever the start: exact zeros, not a warm start's rounding residue.
    let mut gbuf: Vec<T> = Vec::with_capacity(groups.max_size());
    let zero_optimal = only.is_none()
        && (0..q).all(|g| {
            gbuf.clear();
            gbuf.extend(groups.group(g).iter().map(|&j| d.grad_null[j]));
            group_penalized(pen, g) && pen.zero_is_optimal_group(&gbuf, alpha, g)
        });
    let Start { mut w, mut b } = if zero_optimal { Start::cold(d) } else { start };
    if !d.fit_intercept {
        b = T::zero();
    }
    let mut eta = vec![T::zero(); n];
    let mut raw = vec![T::zero(); n];
    let mut grad = vec![T::zero(); p];
    let mut dist = vec![T::zero(); p];
    let (mut cu, mut cv) = (Vec::with_capacity(p), Vec::with_capacity(n));
    let mut wbuf: Vec<T> = Vec::with_capacity(groups.max_size());
    let mut vbuf: Vec<T> = Vec::with_capacity(groups.max_size());
    let mut epochs = 0usize;
    let mut n_updates = 0usize;
    let mut stalls = 0usize;
    let mut ws: Vec<usize> = Vec::with_capacity(q);
    let mut scores: Vec<(T, usize)> = Vec::with_capacity(q);
    let mut ws_size = cfg.ws_min.min(q).max(1);
    let mut widen = false;
    let termination;
    let cert;

    loop {
        // The linear predictor from scratch (no drift), the gradient and the certificate.
        d.eta_into(&w, b, &mut eta);
        for i in 0..n {
            raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
        }
        d.gradient_into(&raw, &mut grad);
        let mut c = certify(
            d, f, pen, alpha, &w, &eta, &raw, &grad, &mut dist, &mut cu, &mut cv,
        );
        if let Some(mask) = only {
            // The null fit: only the free groups and the intercept count.
            let mut k = if d.fit_intercept {
                raw.iter().copied().sum::<T>().abs()
            } else {
                T::zero()
            };
            for g in (0..q).filter(|&g| mask[g]) {
                gbuf.clear();
                gbuf.extend(groups.group(g).iter().map(|&j| grad[j]));
                k = k.max(proxreg_core::penalty::norm2(&gbuf));
            }
            c.kkt = k;
            c.gap = None;
            c.rel_gap = None;
        }
        if !c.objective.is_finite() {
            return Err(Error::Numerical {
                what: "group coordinate descent (GroupCd)",
                reason: "the objective is not finite (data too large for this datafit)",
            });
        }
        let info = IterInfo {
            iter: epochs,
            objective: c.objective,
            duality_gap: c.gap,
            kkt_violation: c.kkt,
        };
        // The null fit is solved to the rounding floor (alpha_max is quoted to full precision).
        let kkt_goal = if only.is_some() { d.floor } else { kkt_abs };
        let meets = (only.is_some() || c.rel_gap.is_none_or(|g| g <= cfg.tol)) && c.kkt <= kkt_goal;
        if meets {
            termination = Termination::Converged;
            cert = c;
            break;
        }
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

        // Working set: the groups in the support and the worst violators (skglm's rule:
        // `max(working_set_size, 2·|support|)` groups); all moving groups without it.
        ws.clear();
        let n_moving = (0..q).filter(|&g| moves(g)).count();
        if cfg.working_set && only.is_none() {
            let n_supp = (0..q)
                .filter(|&g| groups.group(g).iter().any(|&j| w[j] != T::zero()))
                .count();
            ws_size = ws_size.max(2 * n_supp).min(q);
            if widen {
                ws_size = (2 * ws_size).min(q);
            }
            scores.clear();
            for g in (0..q).filter(|&g| moves(g)) {
                let members = groups.group(g);
                let sc = if members.iter().any(|&j| w[j] != T::zero()) {
                    T::infinity()
                } else {
                    let dg = dist[members[0]];
                    if dg.is_nan() {
                        T::infinity()
                    } else {
                        dg
                    }
                };
                if sc > T::zero() {
                    scores.push((sc, g));
                }
            }
            if scores.len() > ws_size {
                scores.select_nth_unstable_by(ws_size - 1, |a, b| {
                    b.0.partial_cmp(&a.0).unwrap_or(core::cmp::Ordering::Equal)
                });
                scores.truncate(ws_size);
            }
            ws.extend(scores.iter().map(|&(_, g)| g));
            ws.sort_unstable();
        } else {
            ws.extend((0..q).filter(|&g| moves(g)));
        }
        let full = ws.len() == n_moving;
        let inner_tol = T::lit(0.3) * c.kkt.max(kkt_abs);
        let mut first = true;
        let mut stuck = false;
        widen = false;

        // Epochs over the working set (each: its groups, then the intercept), until its largest
        // violation is below `inner_tol` or nothing moves.
        loop {
            let mut worst = T::zero();
            let mut max_change = T::zero();
            let mut max_w = b.abs();
            for &g in &ws {
                let members = groups.group(g);
                let l = lips[g];
                let rs = d.rsum(&raw);
                wbuf.clear();
                vbuf.clear();
                gbuf.clear();
                for &j in members {
                    let gj = d.col_dot(j, &raw, rs);
                    gbuf.push(gj);
                    wbuf.push(w[j]);
                    vbuf.push(w[j] - gj / l);
                }
                let dg = pen.subdiff_distance_group(&wbuf, &gbuf, alpha, g);
                if dg > worst || dg.is_nan() {
                    worst = dg;
                }
                pen.prox_group(&mut vbuf, alpha / l, g);
                n_updates += 1;
                let mut moved = false;
                let mut change_sq = T::zero();
                for (k, &j) in members.iter().enumerate() {
                    let step = vbuf[k] - wbuf[k];
                    if step != T::zero() {
                        moved = true;
                        change_sq += step * step;
                    }
                    w[j] = vbuf[k];
                    max_w = max_w.max(vbuf[k].abs() * l.sqrt());
                }
                if moved {
                    d.axpy_cols(
                        members
                            .iter()
                            .enumerate()
                            .map(|(k, &j)| (j, vbuf[k] - wbuf[k]))
                            .filter(|&(_, a)| a != T::zero()),
                        &mut eta,
                    );
                    for i in 0..n {
                        raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                    }
                    max_change = max_change.max(change_sq.sqrt() * l.sqrt());
                }
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
            if !max_change.is_finite() || worst.is_nan() {
                return Err(Error::Numerical {
                    what: "group coordinate descent (GroupCd)",
                    reason: "the iterates became non-finite",
                });
            }
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
        }
        stalls = if stuck { stalls + 1 } else { 0 };
    }
    let sol = d.solution(&w, b, &cert, epochs, n_updates, termination);
    Ok((sol, Start { w, b }))
}
