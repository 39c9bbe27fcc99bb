//! Coordinate descent (single task) and block coordinate descent (multi-task), with working
//! sets grown from the KKT violation, naive (residual) and Gram (covariance) updates.

use core::ops::ControlFlow;

use proxreg_core::penalty::{BlockSeparablePenalty, Penalty, SeparablePenalty};
use proxreg_core::{error::ensure_positive_finite, Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::cert::{certify, meets, Cert, CertScratch};
use crate::kernels::{axpy_off, dot, dot_off, sq_norm, XorShift};
use crate::problem::{Prepared, Problem};
use crate::solution::{IterInfo, Observer, Solution, Termination};
use crate::Solver;

/// Which coordinate-descent updates to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CdMode {
    /// Gram when `n >= 2p`, `p <= 4096` and one task; naive otherwise.
    #[default]
    Auto,
    /// Residual updates: each coordinate reads one column (`O(n)`).
    Naive,
    /// Covariance updates on a precomputed `X̃ᵀX̃` (glmnet's "covariance" mode): `O(p)` per
    /// coefficient that changes, `O(1)` per one that does not; one `O(n p²)` BLAS-3 setup.
    Gram,
}

/// The order coordinates are visited in, within an epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CdOrder {
    /// `0, 1, …, p−1` (restricted to the working set).
    #[default]
    Cyclic,
    /// A fresh seeded permutation each epoch; deterministic for a given seed.
    Random {
        /// The seed.
        seed: u64,
    },
}

/// Coordinate descent for `f(w) + alpha·g(w)` with `g` separable (single task), or block
/// coordinate descent with `g` block-separable (multi-task, see [`BlockCoordinateDescent`]).
///
/// Each outer iteration computes the full gradient and the certificates (duality gap, KKT),
/// stops when the relative gap is at most `tol` (the KKT violation relative to `‖∇f(0)‖_∞` for
/// penalties without a conjugate), and otherwise runs epochs on a working set: the current
/// support plus the features that violate the optimality conditions most (as in celer and
/// skglm), until the working set's violation drops below 0.3× the outer one. Features outside
/// the working set are only ever left at zero when the full KKT check says so: no wrong zeros.
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | `tol` | `1e-4` | relative duality gap `gap / (‖y‖²/m)` to reach |
/// | `max_iter` | `10_000` | maximal number of epochs (passes over the working set) |
/// | `mode` | `Auto` | naive or Gram updates |
/// | `order` | `Cyclic` | cyclic or seeded random |
/// | `working_set` | `true` | use working sets (off: every epoch visits every feature) |
#[derive(Debug, Clone, PartialEq)]
pub struct CoordinateDescent<T> {
    tol: T,
    max_iter: usize,
    mode: CdMode,
    order: CdOrder,
    working_set: bool,
}

impl<T: Scalar> Default for CoordinateDescent<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            max_iter: 10_000,
            mode: CdMode::Auto,
            order: CdOrder::Cyclic,
            working_set: true,
        }
    }
}

impl<T: Scalar> CoordinateDescent<T> {
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
    /// The maximal number of epochs.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Naive or Gram updates.
    #[must_use]
    pub fn mode(mut self, mode: CdMode) -> Self {
        self.mode = mode;
        self
    }
    /// Cyclic or seeded random order.
    #[must_use]
    pub fn order(mut self, order: CdOrder) -> Self {
        self.order = order;
        self
    }
    /// Whether to use working sets.
    #[must_use]
    pub fn working_set(mut self, yes: bool) -> Self {
        self.working_set = yes;
        self
    }
    /// The tolerance.
    pub fn tol_value(&self) -> T {
        self.tol
    }

    /// Validates the settings.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `tol` not finite and > 0 or `max_iter == 0`.
    pub fn check(&self) -> Result<()> {
        check_tol_max_iter(self.tol, self.max_iter)
    }

    pub(crate) fn uses_gram(&self, n: usize, p: usize, k: usize) -> bool {
        match self.mode {
            CdMode::Gram => k == 1,
            CdMode::Naive => false,
            CdMode::Auto => k == 1 && n >= 2 * p && p <= 4096,
        }
    }

    /// Prepares the data of `problem` for this solver (once per path).
    ///
    /// # Errors
    /// As [`Problem::validate`].
    pub fn prepare<'a, X: DesignMatrix<T> + ?Sized, P: ?Sized>(
        &self,
        problem: &Problem<'a, T, X, P>,
    ) -> Result<Prepared<'a, T>> {
        self.check()?;
        let gram = self.uses_gram(problem.x.nrows(), problem.x.ncols(), problem.n_tasks);
        Prepared::new(problem, gram)
    }

    /// Solves at `alpha` on prepared data (the path and cross-validation entry point).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the warm start has the wrong length;
    /// [`Error::InvalidParameter`] for a bad `alpha`.
    pub fn solve_prepared<P, O>(
        &self,
        prep: &Prepared<'_, T>,
        penalty: &P,
        alpha: T,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>>
    where
        P: SeparablePenalty<T> + ?Sized,
        O: Observer<T> + ?Sized,
    {
        if prep.k != 1 {
            return Err(Error::DimensionMismatch {
                what: "tasks for coordinate descent (use BlockCoordinateDescent)",
                expected: 1,
                found: prep.k,
            });
        }
        run(
            self,
            prep,
            &Sep(penalty),
            penalty,
            alpha,
            warm_start,
            observer,
        )
    }
}

impl<T, X, P> Solver<T, X, P> for CoordinateDescent<T>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: SeparablePenalty<T> + ?Sized,
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

/// Block coordinate descent for multi-task problems (`k` tasks, `W` is `p × k` row-major) with a
/// block-separable penalty such as `L21`: each step updates one feature's row of `W` by the
/// block prox. Same settings and certificates as [`CoordinateDescent`] (naive updates only).
#[derive(Debug, Clone, PartialEq)]
pub struct BlockCoordinateDescent<T>(pub CoordinateDescent<T>);

impl<T: Scalar> Default for BlockCoordinateDescent<T> {
    fn default() -> Self {
        Self(CoordinateDescent::default())
    }
}

impl<T: Scalar> BlockCoordinateDescent<T> {
    /// Default settings.
    pub fn new() -> Self {
        Self(CoordinateDescent::default())
    }
    /// The relative duality gap to reach.
    #[must_use]
    pub fn tol(self, tol: T) -> Self {
        Self(self.0.tol(tol))
    }
    /// The maximal number of epochs.
    #[must_use]
    pub fn max_iter(self, max_iter: usize) -> Self {
        Self(self.0.max_iter(max_iter))
    }

    /// Prepares the data of `problem` (once per path).
    ///
    /// # Errors
    /// As [`Problem::validate`].
    pub fn prepare<'a, X: DesignMatrix<T> + ?Sized, P: ?Sized>(
        &self,
        problem: &Problem<'a, T, X, P>,
    ) -> Result<Prepared<'a, T>> {
        self.0.check()?;
        Prepared::new(problem, false)
    }

    /// Solves at `alpha` on prepared data.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the penalty's block size is not the number of tasks or
    /// the warm start has the wrong length.
    pub fn solve_prepared<P, O>(
        &self,
        prep: &Prepared<'_, T>,
        penalty: &P,
        alpha: T,
        warm_start: Option<&[T]>,
        observer: &mut O,
    ) -> Result<Solution<T>>
    where
        P: BlockSeparablePenalty<T> + ?Sized,
        O: Observer<T> + ?Sized,
    {
        if penalty.block_size() != prep.k {
            return Err(Error::DimensionMismatch {
                what: "penalty block size vs number of tasks",
                expected: prep.k,
                found: penalty.block_size(),
            });
        }
        let mut plain = self.0.clone();
        plain.mode = CdMode::Naive;
        run(
            &plain,
            prep,
            &Blk(penalty),
            penalty,
            alpha,
            warm_start,
            observer,
        )
    }
}

impl<T, X, P> Solver<T, X, P> for BlockCoordinateDescent<T>
where
    T: Scalar,
    X: DesignMatrix<T> + ?Sized,
    P: BlockSeparablePenalty<T> + ?Sized,
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

/// One coordinate block's prox and distance: `k = 1` for separable penalties, `k` tasks for
/// block-separable ones.
trait BlockOps<T: Scalar> {
    fn prox(&self, z: &mut [T], step: T, j: usize);
    fn dist(&self, w_j: &[T], g_j: &[T], alpha: T, j: usize) -> T;
}

struct Sep<'a, P: ?Sized>(&'a P);
struct Blk<'a, P: ?Sized>(&'a P);

impl<T: Scalar, P: SeparablePenalty<T> + ?Sized> BlockOps<T> for Sep<'_, P> {
    #[inline]
    fn prox(&self, z: &mut [T], step: T, j: usize) {
        z[0] = self.0.prox_1d(z[0], step, j);
    }
    #[inline]
    fn dist(&self, w_j: &[T], g_j: &[T], alpha: T, j: usize) -> T {
        self.0.subdiff_distance_1d(w_j[0], g_j[0], alpha, j)
    }
}

impl<T: Scalar, P: BlockSeparablePenalty<T> + ?Sized> BlockOps<T> for Blk<'_, P> {
    #[inline]
    fn prox(&self, z: &mut [T], step: T, j: usize) {
        self.0.prox_block(z, step, j);
    }
    #[inline]
    fn dist(&self, w_j: &[T], g_j: &[T], alpha: T, j: usize) -> T {
        self.0.subdiff_distance_block(w_j, g_j, alpha, j)
    }
}

/// Mutable state of one run.
struct State<T> {
    w: Vec<T>,
    /// Residual `Ỹ − X̃W` (naive mode), `n × k`.
    r: Vec<T>,
    /// Gradient `−X̃ᵀR/m` (maintained exactly in Gram mode, recomputed at checks in naive mode).
    grad: Vec<T>,
    /// `c = X̃ᵀỹ/m` (Gram mode).
    c: Vec<T>,
    /// `X̃ᵀX̃/m` (Gram mode), column-major `p × p`.
    gram: Vec<T>,
    z: Vec<T>,
    old: Vec<T>,
}

#[allow(clippy::too_many_lines)]
fn run<T, B, P, O>(
    cfg: &CoordinateDescent<T>,
    prep: &Prepared<'_, T>,
    ops: &B,
    penalty: &P,
    alpha: T,
    warm_start: Option<&[T]>,
    observer: &mut O,
) -> Result<Solution<T>>
where
    T: Scalar,
    B: BlockOps<T>,
    P: Penalty<T> + ?Sized,
    O: Observer<T> + ?Sized,
{
    cfg.check()?;
    proxreg_core::error::ensure_nonneg_finite("alpha", alpha)?;
    let (n, p, k, m) = (prep.n, prep.p, prep.k, prep.m);
    let use_gram = cfg.uses_gram(n, p, k) && prep.gram.is_some();
    let mut st = State {
        w: match warm_start {
            Some(w0) => {
                if w0.len() != p * k {
                    return Err(Error::DimensionMismatch {
                        what: "warm start length vs features × tasks",
                        expected: p * k,
                        found: w0.len(),
                    });
                }
                proxreg_core::error::ensure_all_finite("warm start", w0)?;
                let mut w = w0.to_vec();
                prep.to_stored_scale(&mut w);
                w
            }
            None => vec![T::zero(); p * k],
        },
        r: Vec::new(),
        grad: vec![T::zero(); p * k],
        c: Vec::new(),
        gram: Vec::new(),
        z: vec![T::zero(); k],
        old: vec![T::zero(); k],
    };
    let inv_m = T::one() / m;
    let lips: Vec<T> = prep.col_sq.iter().map(|&s| s * inv_m).collect();
    // A column that is zero after centering can only have a zero coefficient (its gradient is
    // zero); it is never visited.
    for (j, &l) in lips.iter().enumerate() {
        if l <= T::zero() {
            st.w[j * k..(j + 1) * k]
                .iter_mut()
                .for_each(|v| *v = T::zero());
        }
    }

    if use_gram {
        let g = prep.gram.as_ref().map(|g| g.as_slice()).unwrap_or(&[]);
        st.gram = g.iter().map(|&v| v * inv_m).collect();
        st.c = prep.gradient_at_zero().iter().map(|&v| -v).collect();
        // grad = G w − c
        for (i, gi) in st.grad.iter_mut().enumerate() {
            *gi = -st.c[i];
        }
        for j in 0..p {
            let wj = st.w[j];
            if wj != T::zero() {
                for (gi, &gij) in st.grad.iter_mut().zip(&st.gram[j * p..(j + 1) * p]) {
                    *gi += wj * gij;
                }
            }
        }
    } else {
        st.r = vec![T::zero(); n * k];
        prep.residual(&st.w, &mut st.r);
    }

    let mut scratch = CertScratch::new(p * k);
    let kkt_scale = {
        let g0 = prep.gradient_at_zero();
        proxreg_core::penalty::max_abs(&g0)
    };
    let mut rng = match cfg.order {
        CdOrder::Random { seed } => Some(XorShift::new(seed)),
        CdOrder::Cyclic => None,
    };
    let mut ws: Vec<usize> = Vec::with_capacity(p);
    let mut order: Vec<usize> = Vec::with_capacity(p);
    let mut scores: Vec<(T, usize)> = Vec::with_capacity(p);
    let mut epochs = 0usize;
    let mut updates = 0usize;
    let mut outer = 0usize;
    let mut ws_size = 0usize;
    let termination;
    // Below about 100·ε a computed gap is rounding noise (f32: ~1e-5): then also require that
    // the last epoch was a fixed point, as the certificate alone cannot tell.
    let below_resolution = cfg.tol < T::lit(100.0) * T::epsilon();
    let mut last_change = T::infinity();

    loop {
        outer += 1;
        // --- certificates at the current point ---
        let cert = full_cert(prep, &mut st, penalty, alpha, use_gram, &mut scratch);
        let info = IterInfo {
            iter: outer,
            objective: cert.objective,
            duality_gap: cert.gap,
            kkt_violation: cert.kkt,
        };
        if meets(&cert, cfg.tol, kkt_scale)
            && (!below_resolution || last_change <= fixed_point_change(&st.w))
        {
            termination = Termination::Converged;
            break;
        }
        if let ControlFlow::Break(()) = observer.on_iter(&info) {
            termination = Termination::StoppedByObserver;
            break;
        }
        if epochs >= cfg.max_iter {
            termination = Termination::MaxIterReached;
            break;
        }

        // --- working set: the support plus the worst violators ---
        ws.clear();
        scores.clear();
        let mut nnz = 0usize;
        for (j, &lj) in lips.iter().enumerate() {
            if lj <= T::zero() {
                continue;
            }
            let wj = &st.w[j * k..(j + 1) * k];
            let in_supp = wj.iter().any(|&v| penalty.in_support(v));
            if in_supp {
                nnz += 1;
                scores.push((T::infinity(), j));
            } else {
                let d = scratch.dist[j * k];
                scores.push((if d.is_nan() { T::infinity() } else { d }, j));
            }
        }
        let n_cand = scores.len();
        let target = if cfg.working_set {
            ws_size = ws_size.max((2 * nnz).max(10)).min(n_cand);
            ws_size
        } else {
            n_cand
        };
        if target < n_cand {
            scores.select_nth_unstable_by(target, |a, b| {
                b.0.partial_cmp(&a.0).unwrap_or(core::cmp::Ordering::Equal)
            });
            scores.truncate(target);
        }
        ws.extend(scores.iter().map(|s| s.1));
        ws.sort_unstable();
        // Next outer iteration may grow the working set if this one does not suffice.
        ws_size = (2 * ws_size).min(n_cand).max(ws_size);

        // --- inner epochs on the working set ---
        let inner_target = cert.kkt * T::lit(0.3);
        loop {
            order.clear();
            order.extend_from_slice(&ws);
            if let Some(rng) = rng.as_mut() {
                rng.shuffle(&mut order);
            }
            let mut max_dist = T::zero();
            let mut max_change = T::zero();
            for &j in &order {
                let (d, ch) = if use_gram {
                    update_gram(&mut st, ops, alpha, &lips, p, j)
                } else {
                    update_naive(prep, &mut st, ops, alpha, &lips, j)
                };
                if d > max_dist || d.is_nan() {
                    max_dist = d;
                }
                if ch > max_change {
                    max_change = ch;
                }
            }
            epochs += 1;
            updates += order.len();
            last_change = max_change;
            let fixed = max_change <= fixed_point_change(&st.w);
            if fixed || max_dist <= inner_target || epochs >= cfg.max_iter {
                break;
            }
            if !max_dist.is_finite() {
                return Err(Error::Numerical {
                    what: "coordinate descent",
                    reason: "the iterates became non-finite",
                });
            }
        }
    }

    // Final certificate from a freshly computed residual (no drift from incremental updates).
    let mut r = vec![T::zero(); n * k];
    prep.residual(&st.w, &mut r);
    prep.gradient(&r, &mut st.grad);
    let cert = cert_from_residual(prep, &st.w, &st.grad, &r, penalty, alpha, &mut scratch);
    let termination = if termination == Termination::Converged && !meets(&cert, cfg.tol, kkt_scale)
    {
        // Incremental quantities said converged; the exact recomputation disagrees.
        Termination::MaxIterReached
    } else {
        termination
    };
    let intercept = prep.intercept(&st.w);
    prep.to_original(&mut st.w);
    Ok(Solution {
        intercept,
        coef: st.w,
        objective: cert.objective,
        duality_gap: cert.gap,
        relative_gap: cert.rel_gap,
        kkt_violation: cert.kkt,
        n_iter: epochs,
        n_updates: updates,
        termination,
    })
}

/// Validates the two settings every iterative solver has.
pub(crate) fn check_tol_max_iter<T: Scalar>(tol: T, max_iter: usize) -> Result<()> {
    ensure_positive_finite("tol", tol)?;
    if max_iter == 0 {
        return Err(Error::InvalidParameter {
            name: "max_iter",
            value: 0.0,
            expected: ">= 1",
        });
    }
    Ok(())
}

/// A change this small (relative to the largest coefficient) is a fixed point of the epoch.
fn fixed_point_change<T: Scalar>(w: &[T]) -> T {
    T::lit(8.0) * T::epsilon() * proxreg_core::penalty::max_abs(w)
}

/// Certificates from an explicit residual `r` and gradient.
pub(crate) fn cert_from_residual<T: Scalar, P: Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    w: &[T],
    grad: &[T],
    r: &[T],
    penalty: &P,
    alpha: T,
    scratch: &mut CertScratch<T>,
) -> Cert<T> {
    let r_sq = sq_norm(r);
    certify(penalty, alpha, w, grad, r_sq, prep.y_sq, prep.m, scratch)
}

fn full_cert<T: Scalar, P: Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    st: &mut State<T>,
    penalty: &P,
    alpha: T,
    use_gram: bool,
    scratch: &mut CertScratch<T>,
) -> Cert<T> {
    if use_gram {
        // ‖r‖²/m = ‖ỹ‖²/m − cᵀw + wᵀq, with q = Gw − c = grad.
        let m = prep.m;
        let ctw = dot(&st.c, &st.w);
        let wtq = dot(&st.w, &st.grad);
        let y_sq_m = prep.y_sq / m;
        let r_sq = ((y_sq_m - ctw + wtq) * m).max(T::zero());
        certify(penalty, alpha, &st.w, &st.grad, r_sq, prep.y_sq, m, scratch)
    } else {
        prep.gradient(&st.r, &mut st.grad);
        cert_from_residual(prep, &st.w, &st.grad, &st.r, penalty, alpha, scratch)
    }
}

/// One naive block update; returns (KKT distance before the update, max |change|).
#[inline]
fn update_naive<T: Scalar, B: BlockOps<T>>(
    prep: &Prepared<'_, T>,
    st: &mut State<T>,
    ops: &B,
    alpha: T,
    lips: &[T],
    j: usize,
) -> (T, T) {
    let (n, k) = (prep.n, prep.k);
    let col = prep.col(j);
    let mu = prep.offsets[j];
    let inv_m = T::one() / prep.m;
    let lj = lips[j];
    for t in 0..k {
        st.z[t] = -dot_off(col, mu, &st.r[t * n..(t + 1) * n]) * inv_m; // gradient
    }
    let wj = &st.w[j * k..(j + 1) * k];
    let d = ops.dist(wj, &st.z, alpha, j);
    st.old.copy_from_slice(wj);
    for t in 0..k {
        st.z[t] = st.old[t] - st.z[t] / lj;
    }
    ops.prox(&mut st.z, alpha / lj, j);
    let mut change = T::zero();
    for t in 0..k {
        let delta = st.z[t] - st.old[t];
        if delta != T::zero() {
            axpy_off(-delta, col, mu, &mut st.r[t * n..(t + 1) * n]);
            change = change.max(delta.abs());
        }
        st.w[j * k + t] = st.z[t];
    }
    (d, change)
}

/// One Gram-mode update (single task); returns (KKT distance before the update, |change|).
#[inline]
fn update_gram<T: Scalar, B: BlockOps<T>>(
    st: &mut State<T>,
    ops: &B,
    alpha: T,
    lips: &[T],
    p: usize,
    j: usize,
) -> (T, T) {
    let g = st.grad[j];
    let old = st.w[j];
    let d = ops.dist(&[old], &[g], alpha, j);
    st.z[0] = old - g / lips[j];
    ops.prox(&mut st.z[..1], alpha / lips[j], j);
    let delta = st.z[0] - old;
    if delta != T::zero() {
        st.w[j] = st.z[0];
        for (gi, &gij) in st.grad.iter_mut().zip(&st.gram[j * p..(j + 1) * p]) {
            *gi += delta * gij;
        }
    }
    (d, delta.abs())
}
