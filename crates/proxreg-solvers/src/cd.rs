//! Coordinate descent (single task) and block coordinate descent (multi-task), with working
//! sets grown from the KKT violation, naive (residual) and Gram (covariance) updates.

use core::ops::ControlFlow;

use proxreg_core::penalty::{max_abs, norm2, BlockSeparablePenalty, Penalty, SeparablePenalty};
use proxreg_core::{error::ensure_positive_finite, Error, Result, Scalar};
use proxreg_linalg::{Cholesky, ColMajor, DesignMatrix, Parallelism};

use crate::anderson::Anderson;
use crate::cert::{certify, zero_is_optimal, Cert, CertScratch, Criterion};
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

/// Which features a coordinate-descent solver may discard before or while it iterates.
///
/// **Gap-safe screening** (Fercoq, Gramfort & Salmon 2015; Ndiaye et al. 2017). The dual
/// `D(θ) = ⟨ỹ, θ⟩ − (m/2)‖θ‖² − (αg)*(X̃ᵀθ)` is `m`-strongly concave, so for the dual point
/// `θ` of every gap check (the rescaled residual) and the gap `G = P(w) − D(θ)`, the dual optimum
/// lies in the ball `‖θ* − θ‖ ≤ √(2G/m)`. At the optimum `x̃_jᵀθ* ∈ α∂g_j(w*_j)`; when the whole
/// interval `x̃_jᵀθ ± ‖x̃_j‖√(2G/m)` lies inside `α∂g_j(0)` (for the Lasso `|x̃_jᵀθ| +
/// ‖x̃_j‖√(2G/m) < α c_j`; for the Elastic Net the threshold is `α ρ c_j`: its smooth part is in
/// the conjugate, not in the subdifferential at 0) then `w*_j = 0`, and the feature is set to 0
/// and never visited again. For block penalties the test is `‖X̃_jᵀΘ‖₂ + ‖x̃_j‖√(2G/m) < ρ_b`
/// with `ρ_b` the radius of `α∂g_b(0)` (the block dual-norm ball,
/// [`BlockSeparablePenalty::zero_subdiff_radius`]). It needs a duality gap (a penalty with a
/// conjugate) and adds a margin for rounding; it never discards a feature that is nonzero at
/// the optimum.
///
/// **Strong rule** (Tibshirani et al. 2012, sequential form), on paths: at `α_k`, after `α_{k−1}`,
/// a feature that is zero at the previous solution with `|∇_j f(w_{k−1})| < 2α_k − α_{k−1}`
/// (scaled by the penalty's interval at zero) is left out of the working sets. It is a heuristic,
/// so every gap check re-admits each discarded feature whose KKT condition is violated, and
/// convergence is only declared on the full problem's duality gap: no wrong zeros.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Screening {
    /// No screening: working sets only.
    None,
    /// Gap-safe screening at every gap check.
    #[default]
    GapSafe,
    /// Gap-safe screening, plus the sequential strong rule on warm-started path points.
    Strong,
}

/// Coordinate descent for `f(w) + alpha·g(w)` with `g` separable (single task), or block
/// coordinate descent with `g` block-separable (multi-task, see [`BlockCoordinateDescent`]).
///
/// Each outer iteration computes the full gradient and the certificates (duality gap, KKT),
/// stops when the relative gap is at most `tol` and the KKT violation relative to
/// `‖∇f(0)‖_∞` at most `kkt_tol` (the gap bounds the objective's error, the KKT violation the
/// coefficients'; see the stopping rule in `docs/conventions.md`: at `alpha_max` the result is
/// exact zeros, and a tolerance below rounding ends in [`Termination::RoundingFloor`]), and
/// otherwise runs epochs on a working set: the current
/// support plus the features that violate the optimality conditions most (as in celer and
/// skglm), until the working set's violation drops below 0.3× the outer one. Features outside
/// the working set are only ever left at zero when the full KKT check says so: no wrong zeros.
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | `tol` | `1e-4` | relative duality gap `gap / (‖y‖²/m)` to reach |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇f(0)‖_∞` to reach as well |
/// | `max_iter` | `10_000` | maximal number of epochs (passes over the working set) |
/// | `mode` | `Auto` | naive or Gram updates |
/// | `order` | `Cyclic` | cyclic or seeded random |
/// | `working_set` | `true` | use working sets (off: every epoch visits every feature) |
/// | `screening` | `GapSafe` | discard provably-zero features ([`Screening`]) |
/// | `anderson` | `5` | Anderson extrapolation depth (0: off) |
/// | `polish` | `true` | Newton steps on the support (single task, penalties with a quadratic piece) |
/// | `path_extrapolation` | `true` | on a path in Gram mode, warm start from the line through the last two solutions |
///
/// **Working sets** hold the current support plus the worst violators, `max(100, 2·nnz)`
/// features in all, re-chosen at each outer iteration (skglm's rule, with celer's
/// starting size).
///
/// **Anderson extrapolation** (as in skglm; Bertrand & Massias 2021): every `anderson + 1`
/// epochs on a working set, the last iterates are combined with the affine weights that
/// minimise the norm of the combined differences, and the extrapolated point replaces the
/// iterate when its objective is lower. On ill-conditioned problems (correlated features,
/// supports near `n`) this cuts the number of epochs by an order of magnitude; it never
/// increases the objective, and the stopping rule (the full duality gap) is unchanged.
///
/// **Support polish** (single task; penalties that give
/// [`SeparablePenalty::quadratic_piece_1d`]: L1, Elastic Net, squared L2, their weighted forms).
/// On the orthant of the current support and signs the objective is a quadratic, so one Newton
/// step `H d = −∇` with `H = X̃_SᵀX̃_S/m + α·diag(b)` on the support `S` is its exact minimiser;
/// when a coefficient would change sign the step stops where the first one reaches zero (the
/// objective still decreases along it). A step is kept only if the objective drops. It is tried
/// once the working set's epochs have cost about as much as the step (`|S|²·n/2` for the
/// product, `|S|³/6` for the Cholesky factor), and only after an epoch that left the support
/// unchanged: cheap problems never pay for it, and near-interpolating supports (`|S|` close to
/// `n`), where coordinate descent needs thousands of epochs, finish in a few linear solves.
///
/// **Path extrapolation** (Gram mode): between kinks the Lasso path is linear in `alpha`, so
/// each point after the second starts from `w_k + t·(w_k − w_{k−1})`,
/// `t = (α_{k+1} − α_k)/(α_k − α_{k−1})` (coordinates that would cross zero start at zero). On
/// a stretch without a kink that start is already certified and the point costs no epoch
/// (measured effect: `docs/benchmarks.md`, "Measurements behind the API docs").
#[derive(Debug, Clone, PartialEq)]
pub struct CoordinateDescent<T> {
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    mode: CdMode,
    order: CdOrder,
    working_set: bool,
    screening: Screening,
    anderson: usize,
    polish: bool,
    extrapolate: bool,
}

impl<T: Scalar> Default for CoordinateDescent<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 10_000,
            mode: CdMode::Auto,
            order: CdOrder::Cyclic,
            working_set: true,
            screening: Screening::GapSafe,
            anderson: 5,
            polish: true,
            extrapolate: true,
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
    /// The KKT violation to reach, relative to `‖∇f(0)‖_∞` (for the Lasso, `alpha_max`);
    /// default: `tol`. Stopping needs both the gap and the KKT test, so a fit is certified in
    /// its coefficients as well as its objective (see the stopping rule in
    /// `docs/conventions.md`); a value below the rounding floor of the gradient is raised to it.
    #[must_use]
    pub fn kkt_tol(mut self, kkt_tol: T) -> Self {
        self.kkt_tol = Some(kkt_tol);
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
    /// Which screening rules to apply ([`Screening`]).
    #[must_use]
    pub fn screening(mut self, screening: Screening) -> Self {
        self.screening = screening;
        self
    }
    /// Anderson extrapolation depth: every `depth + 1` epochs the last `depth` differences of
    /// the iterates are combined (0 turns it off). Default 5.
    #[must_use]
    pub fn anderson(mut self, depth: usize) -> Self {
        self.anderson = depth;
        self
    }
    /// Whether to take Newton steps on the support (the support polish, see the type's docs).
    /// Default `true`; it applies to single-task problems whose penalty gives
    /// [`SeparablePenalty::quadratic_piece_1d`].
    #[must_use]
    pub fn polish(mut self, yes: bool) -> Self {
        self.polish = yes;
        self
    }
    /// Whether a path (Gram mode) warm starts each point from the linear extrapolation of the
    /// previous two solutions instead of the last one. Default `true`.
    ///
    /// Between two kinks the Lasso path is linear in `alpha` (the support and the signs do not
    /// change), so on such a stretch the extrapolated point is the next solution up to the
    /// previous points' tolerance and coordinate descent only has to confirm it; a coordinate
    /// the extrapolation would carry through zero starts at zero. Only in Gram mode, where the
    /// gradient at the extrapolated point costs `O(p·nnz)`; in naive mode it would cost a pass
    /// over `X`, which the path saves by handing each point's gradient to the next.
    #[must_use]
    pub fn path_extrapolation(mut self, yes: bool) -> Self {
        self.extrapolate = yes;
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
        check_stopping(self.tol, self.kkt_tol, self.max_iter)
    }

    /// The KKT tolerance in use (`kkt_tol`, or `tol` when it was not set).
    pub fn kkt_tol_value(&self) -> T {
        self.kkt_tol.unwrap_or(self.tol)
    }

    pub(crate) fn extrapolates(&self) -> bool {
        self.extrapolate
    }

    /// Whether a solve on `prep` runs Gram updates: when the settings ask for them and the
    /// Gram matrix is there, and always on a problem without rows (sufficient statistics).
    pub(crate) fn gram_mode(&self, prep: &Prepared<'_, T>) -> bool {
        prep.gram.is_some() && (!prep.has_rows() || self.uses_gram(prep.n, prep.p, prep.k))
    }

    /// Whether Gram updates are used for `n` rows (for a sparse design, the average stored
    /// entries per column: what one naive update reads; see [`gram_rows`]), `p` features and
    /// `k` tasks.
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
        let gram = self.uses_gram(gram_rows(problem.x), problem.x.ncols(), problem.n_tasks);
        Prepared::new(problem, gram)
    }

    /// Solves at `alpha` on prepared data (the path and cross-validation entry point).
    ///
    /// On a problem prepared from [`SufficientStats`](crate::SufficientStats) (no rows) the
    /// updates are Gram updates whatever [`CdMode`] says, except [`CdMode::Naive`], an error.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the warm start has the wrong length;
    /// [`Error::InvalidParameter`] for a bad `alpha`; [`Error::Unsupported`] for
    /// [`CdMode::Naive`] on a problem without rows.
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
        self.solve_prepared_after(prep, penalty, alpha, warm_start, None, None, observer)
    }

    /// As [`CoordinateDescent::solve_prepared`], where `warm_start` is the solution at
    /// `prev_alpha` (a path step: enables the strong rule).
    #[allow(clippy::too_many_arguments)] // the path's hand-over (prev alpha, gradient carry)
    pub(crate) fn solve_prepared_after<P, O>(
        &self,
        prep: &Prepared<'_, T>,
        penalty: &P,
        alpha: T,
        warm_start: Option<&[T]>,
        prev_alpha: Option<T>,
        carry: Option<&mut Vec<T>>,
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
        if self.mode == CdMode::Naive {
            prep.need_rows("naive coordinate descent (CdMode::Naive)")?;
        }
        if let Some(rs) = &prep.rescale {
            // Data rescaled for range (see `rescale.rs`): solve in the rescaled coefficients.
            let pen = rs.separable_at(penalty, prep.p, 1, alpha, prep)?;
            let warm = warm_start.map(|w| rs.coef_to_internal(w, 1));
            let mut sol = run(
                self,
                prep,
                &Sep(&pen),
                &pen,
                alpha,
                warm.as_deref(),
                prev_alpha,
                carry,
                observer,
            )?;
            rs.to_original(&mut sol, 1)?;
            return Ok(sol);
        }
        run(
            self,
            prep,
            &Sep(penalty),
            penalty,
            alpha,
            warm_start,
            prev_alpha,
            carry,
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
    /// The KKT tolerance (see [`CoordinateDescent::kkt_tol`]).
    #[must_use]
    pub fn kkt_tol(self, kkt_tol: T) -> Self {
        Self(self.0.kkt_tol(kkt_tol))
    }
    /// The maximal number of epochs.
    #[must_use]
    pub fn max_iter(self, max_iter: usize) -> Self {
        Self(self.0.max_iter(max_iter))
    }
    /// Which screening rules to apply ([`Screening`]; blocks are screened when the penalty
    /// gives [`BlockSeparablePenalty::zero_subdiff_radius`]).
    #[must_use]
    pub fn screening(self, screening: Screening) -> Self {
        Self(self.0.screening(screening))
    }

    /// Anderson extrapolation depth (see [`CoordinateDescent::anderson`]).
    #[must_use]
    pub fn anderson(self, depth: usize) -> Self {
        Self(self.0.anderson(depth))
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
    /// the warm start has the wrong length; [`Error::Unsupported`] for a problem without rows
    /// ([`Prepared::has_rows`]).
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
        self.solve_prepared_after(prep, penalty, alpha, warm_start, None, None, observer)
    }

    /// As [`BlockCoordinateDescent::solve_prepared`] for a path step from `prev_alpha`.
    #[allow(clippy::too_many_arguments)] // the path's hand-over (prev alpha, gradient carry)
    pub(crate) fn solve_prepared_after<P, O>(
        &self,
        prep: &Prepared<'_, T>,
        penalty: &P,
        alpha: T,
        warm_start: Option<&[T]>,
        prev_alpha: Option<T>,
        carry: Option<&mut Vec<T>>,
        observer: &mut O,
    ) -> Result<Solution<T>>
    where
        P: BlockSeparablePenalty<T> + ?Sized,
        O: Observer<T> + ?Sized,
    {
        prep.need_rows("block coordinate descent")?;
        if penalty.block_size() != prep.k {
            return Err(Error::DimensionMismatch {
                what: "penalty block size vs number of tasks",
                expected: prep.k,
                found: penalty.block_size(),
            });
        }
        let mut plain = self.0.clone();
        plain.mode = CdMode::Naive;
        if let Some(rs) = &prep.rescale {
            // Data rescaled for range (see `rescale.rs`): solve in the rescaled coefficients.
            let pen = rs.blocks_at(penalty, prep.p, prep.k, alpha, prep)?;
            let warm = warm_start.map(|w| rs.coef_to_internal(w, prep.k));
            let mut sol = run(
                &plain,
                prep,
                &Blk(&pen),
                &pen,
                alpha,
                warm.as_deref(),
                prev_alpha,
                carry,
                observer,
            )?;
            rs.to_original(&mut sol, prep.k)?;
            return Ok(sol);
        }
        run(
            &plain,
            prep,
            &Blk(penalty),
            penalty,
            alpha,
            warm_start,
            prev_alpha,
            carry,
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
    /// Whether every point within `delta` of the dual block `v` lies strictly inside
    /// `alpha·∂g_j(0)` (gap-safe test: then `w*_j = 0`).
    fn safe_zero(&self, v: &[T], delta: T, alpha: T, j: usize) -> bool;
    /// The strong rule: whether `v/t` (the dual block at the previous path point, `t =
    /// (2α_k − α_{k−1})/α_k`) lies inside `alpha·∂g_j(0)`.
    fn strong_zero(&self, v: &[T], t: T, alpha: T, j: usize) -> bool;
    /// The quadratic piece `(a, b)` of `g_j` through `w_j` ([`SeparablePenalty::quadratic_piece_1d`]);
    /// `None` for blocks.
    fn quadratic_piece(&self, _w_j: T, _j: usize) -> Option<(T, T)> {
        None
    }
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
    fn safe_zero(&self, v: &[T], delta: T, alpha: T, j: usize) -> bool {
        // `α∂g_j(0)` is a closed interval (g_j convex); `[v − δ, v + δ]` lies in it iff both
        // ends do, and the distance at w_j = 0 is exactly the distance to that interval. The
        // caller's δ is strictly positive, so the centre is strictly inside.
        let inside = |u: T| self.0.subdiff_distance_1d(T::zero(), -u, alpha, j) == T::zero();
        delta > T::zero() && inside(v[0] - delta) && inside(v[0] + delta)
    }
    fn strong_zero(&self, v: &[T], t: T, alpha: T, j: usize) -> bool {
        self.0.subdiff_distance_1d(T::zero(), -v[0] / t, alpha, j) == T::zero()
    }
    fn quadratic_piece(&self, w_j: T, j: usize) -> Option<(T, T)> {
        self.0.quadratic_piece_1d(w_j, j)
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
    fn safe_zero(&self, v: &[T], delta: T, alpha: T, j: usize) -> bool {
        self.0
            .zero_subdiff_radius(alpha, j)
            .is_some_and(|rho| norm2(v) + delta < rho)
    }
    fn strong_zero(&self, v: &[T], t: T, alpha: T, j: usize) -> bool {
        self.0
            .zero_subdiff_radius(alpha, j)
            .is_some_and(|rho| norm2(v) < t * rho)
    }
}

/// What a naive update reads per column, as the row count [`CoordinateDescent::uses_gram`]
/// weighs against `p`: `n` for a dense design, the average stored entries per column for a
/// sparse one (a Gram update costs `p`; a sparse naive update `nnz_j`).
pub(crate) fn gram_rows<T: Scalar, X: DesignMatrix<T> + ?Sized>(x: &X) -> usize {
    match x.sparse_columns() {
        Some(s) => s.nnz().div_ceil(s.ncols().max(1)),
        None => x.nrows(),
    }
}

/// The smallest working set (celer's starting size): below it, an outer iteration (one full
/// gradient) buys too little.
const WS_MIN: usize = 100;

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
    /// Sparse design (naive mode): the residual is `r + shift_t·e` per task `t`, the offsets'
    /// part of the updates kept as one scalar (zeros otherwise; see [`flush`]).
    shift: Vec<T>,
    /// Sparse design: `⟨e, r_t⟩` of the exact residual at the last refresh (constant under
    /// updates with an intercept, unused without: see [`update_sparse`]).
    q0: Vec<T>,
}

/// Folds the sparse design's pending offset shift into the residual (`O(n)`), so that `st.r`
/// is the exact residual `ỹ − X̃w` again; a no-op for dense storage.
fn flush<T: Scalar>(prep: &Prepared<'_, T>, st: &mut State<T>) {
    if let Some(sp) = prep.sparse() {
        let n = prep.n;
        for (t, c) in st.shift.iter_mut().enumerate() {
            if *c != T::zero() {
                sp.add_e(*c, &mut st.r[t * n..(t + 1) * n]);
                *c = T::zero();
            }
        }
    }
}

#[allow(clippy::too_many_lines, clippy::too_many_arguments)]
fn run<T, B, P, O>(
    cfg: &CoordinateDescent<T>,
    prep: &Prepared<'_, T>,
    ops: &B,
    penalty: &P,
    alpha: T,
    warm_start: Option<&[T]>,
    prev_alpha: Option<T>,
    carry: Option<&mut Vec<T>>,
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
    let use_gram = cfg.gram_mode(prep);
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
        shift: vec![T::zero(); k],
        q0: vec![T::zero(); k],
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
        st.c = prep.gradient_at_zero_ref().iter().map(|&v| -v).collect();
    } else {
        st.r = vec![T::zero(); n * k];
    }
    refresh_exact(prep, &mut st, use_gram);

    let mut scratch = CertScratch::new(p * k);
    let crit = Criterion::new(
        cfg.tol,
        cfg.kkt_tol_value(),
        n,
        m,
        prep.y_sq,
        &prep.col_sq,
        prep.gradient_at_zero_ref(),
    );
    // Zero optimal within rounding (alpha at alpha_max, or another library's rounding of it):
    // exact zeros, whatever the start.
    let zero_start = zero_is_optimal(
        penalty,
        alpha,
        prep.gradient_at_zero_ref(),
        &crit,
        &mut scratch.dist,
    );
    if zero_start && st.w.iter().any(|&v| v != T::zero()) {
        st.w.iter_mut().for_each(|v| *v = T::zero());
        refresh_exact(prep, &mut st, use_gram);
    }
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
    let mut accel = Anderson::new(cfg.anderson);
    let mut ws_acc: Vec<T> = Vec::new();
    let mut r_acc: Vec<T> = Vec::new();
    let termination;
    // Below about 100·ε a computed gap is rounding noise (f32: ~1e-5): then also require that
    // the last epoch was a fixed point, as the certificate alone cannot tell.
    let below_resolution = cfg.tol < T::lit(100.0) * T::epsilon();
    let mut last_change = if zero_start { T::zero() } else { T::infinity() };
    // Consecutive outer iterations whose epochs could not move any coordinate by more than
    // rounding while the certificate still missed the tolerance: the floor of rounding.
    let mut stalls = 0usize;
    let mut stuck = false;
    // Features discarded for good (gap-safe) and for now (strong rule, re-checked each time).
    let mut screened = vec![
        false;
        if cfg.screening == Screening::None {
            0
        } else {
            p
        }
    ];
    let mut n_screened = 0usize;
    // At a zero start the gradient is ∇f(0), cached by the prepared data; on a path, the
    // previous point's final gradient is the one at this warm start: no pass over X.
    let mut grad_known = false;
    if !use_gram {
        if st.w.iter().all(|&v| v == T::zero()) {
            st.grad.copy_from_slice(prep.gradient_at_zero_ref());
            grad_known = true;
        } else if let (Some(g), Some(_)) = (carry.as_deref(), warm_start) {
            if g.len() == p * k {
                st.grad.copy_from_slice(g);
                grad_known = true;
            }
        }
    }
    // Support polish: the epochs' cost since the last attempt (in multiply-adds) and a
    // back-off factor, doubled after a step that was rejected.
    let polish_on = cfg.polish && k == 1;
    let mut spent = 0.0f64;
    let mut backoff = 1.0f64;
    let mut pbuf = PolishBuf::default();
    let mut strong_out = vec![false; p];
    let mut strong_pending = cfg.screening == Screening::Strong
        && prev_alpha.is_some_and(|a| a > alpha)
        && warm_start.is_some();

    // The residual (naive) or the gradient (Gram) is recomputed from scratch before every
    // check, so certificates carry no drift from the incremental updates. `complete`: the
    // gradient also covers the screened features (naive mode leaves them out until the end).
    let mut cert;
    let mut complete;
    loop {
        outer += 1;
        if outer > 1 {
            refresh_exact(prep, &mut st, use_gram);
        }
        // --- certificates at the current point ---
        let (mut c, r_sq) = full_cert(
            prep,
            &mut st,
            penalty,
            alpha,
            use_gram,
            &screened,
            grad_known,
            &mut scratch,
        );
        grad_known = false;
        complete = use_gram || !screened.contains(&true);
        let done = |c: &Cert<T>, w: &[T]| {
            crit.meets(c) && (!below_resolution || last_change <= crit.fixed_point_change(w))
        };
        if done(&c, &st.w) && !complete {
            c = complete_cert(prep, &mut st, penalty, alpha, &screened, r_sq, &mut scratch);
            complete = true;
        }
        cert = c;
        let info = IterInfo {
            iter: outer,
            objective: cert.objective,
            duality_gap: cert.gap,
            kkt_violation: cert.kkt,
        };
        if done(&cert, &st.w) {
            termination = Termination::Converged;
            break;
        }
        stalls = if stuck { stalls + 1 } else { 0 };
        if stalls >= 2 {
            termination = Termination::RoundingFloor;
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

        // --- screening ---
        if strong_pending {
            strong_pending = false;
            if let Some(a_prev) = prev_alpha {
                let t = (alpha + alpha - a_prev) / alpha;
                if t > T::zero() {
                    for (j, out) in strong_out.iter_mut().enumerate() {
                        let wj = &st.w[j * k..(j + 1) * k];
                        if wj.iter().all(|&v| !penalty.in_support(v)) {
                            // v = −∇_j f(w_prev), written into z (k entries).
                            for (z, &g) in st.z.iter_mut().zip(&st.grad[j * k..(j + 1) * k]) {
                                *z = -g;
                            }
                            *out = ops.strong_zero(&st.z, t, alpha, j);
                        }
                    }
                }
            }
        }
        // KKT check of the strong set: a violator goes back among the candidates.
        for (j, out) in strong_out.iter_mut().enumerate() {
            if *out && scratch.dist[j * k] != T::zero() {
                *out = false;
            }
        }
        if let (false, Some(gap)) = (screened.is_empty(), cert.gap) {
            n_screened += gap_safe_screen(
                prep,
                &mut st,
                ops,
                alpha,
                use_gram,
                &lips,
                &scratch.u,
                gap,
                cert.objective,
                r_sq,
                &mut screened,
            );
        }

        // --- working set: the support plus the worst violators ---
        ws.clear();
        scores.clear();
        let mut nnz = 0usize;
        for (j, &lj) in lips.iter().enumerate() {
            if lj <= T::zero() || strong_out[j] || screened.get(j).copied().unwrap_or(false) {
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
            (2 * nnz).max(WS_MIN).min(n_cand)
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
        accel.reset(ws.len() * k);

        // --- inner epochs on the working set ---
        let inner_target = cert.kkt * T::lit(0.3);
        let mut first = true;
        loop {
            order.clear();
            order.extend_from_slice(&ws);
            if let Some(rng) = rng.as_mut() {
                rng.shuffle(&mut order);
            }
            let Sweep {
                max_dist,
                max_change,
                changed,
                flips,
            } = crate::simd::run(EpochOp {
                prep,
                st: &mut st,
                ops,
                alpha,
                lips: &lips,
                order: &order,
                use_gram,
            });
            epochs += 1;
            updates += order.len();
            last_change = max_change;
            let fixed = max_change <= crit.fixed_point_change(&st.w);
            stuck = first && fixed;
            first = false;
            if fixed || max_dist <= inner_target || epochs >= cfg.max_iter {
                break;
            }
            if polish_on {
                // Multiply-adds of this epoch: a naive update reads its column (and writes the
                // residual when it moves); a Gram update moves the gradient by a Gram column.
                spent += if use_gram {
                    (order.len() + changed * p) as f64
                } else {
                    ((order.len() + changed) * prep.avg_col_len()) as f64
                };
                if flips == 0 {
                    let s_sup = ws.iter().filter(|&&j| st.w[j] != T::zero()).count();
                    if s_sup > 0
                        && s_sup <= POLISH_MAX
                        && spent >= backoff * polish_cost(n, p, s_sup, use_gram)
                    {
                        spent = 0.0;
                        let (res, ch) =
                            polish(prep, &mut st, penalty, ops, alpha, use_gram, &mut pbuf);
                        match res {
                            Polished::Exact => {
                                last_change = ch;
                                break;
                            }
                            Polished::Partial => accel.reset(ws.len() * k),
                            Polished::Rejected => backoff *= 2.0,
                        }
                    }
                }
            }
            if accel.enabled() && accel.push(&st.w, &ws, k) {
                extrapolate(
                    prep,
                    &mut st,
                    penalty,
                    alpha,
                    use_gram,
                    &ws,
                    &mut accel,
                    &mut ws_acc,
                    &mut r_acc,
                );
                accel.reset(ws.len() * k);
            }
            if !max_dist.is_finite() {
                return Err(Error::Numerical {
                    what: "coordinate descent",
                    reason: "the iterates became non-finite",
                });
            }
        }
    }

    // The reported certificate is the full problem's, at exact quantities: every exit above
    // happens right after a check (residual or gradient recomputed from scratch).
    if !complete {
        flush(prep, &mut st);
        let r_sq = sq_norm(&st.r);
        cert = complete_cert(prep, &mut st, penalty, alpha, &screened, r_sq, &mut scratch);
    }
    debug_assert!(termination != Termination::Converged || crit.meets(&cert));
    if let Some(c) = carry {
        // The gradient at the returned coefficients, for the next path point.
        c.clear();
        if !use_gram {
            c.extend_from_slice(&st.grad);
        }
    }
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
        n_screened,
        termination,
        rescaled: false,
    })
}

/// The largest support the polish factors (its `|S| × |S|` matrix: 72 MB in `f64`).
const POLISH_MAX: usize = 3000;

/// What a support polish did.
enum Polished {
    /// The full Newton step: the minimiser on the support's orthant.
    Exact,
    /// A step stopped where a coefficient reached zero (the objective decreased).
    Partial,
    /// Nothing changed (no quadratic piece, a matrix that is not positive definite, or no
    /// decrease).
    Rejected,
}

/// Buffers of the support polish, kept across attempts.
struct PolishBuf<T> {
    s: Vec<usize>,
    a: Vec<T>,
    b: Vec<T>,
    g: Vec<T>,
    d: Vec<T>,
    w_old: Vec<T>,
    aux: Vec<T>,
}

impl<T> Default for PolishBuf<T> {
    fn default() -> Self {
        Self {
            s: Vec::new(),
            a: Vec::new(),
            b: Vec::new(),
            g: Vec::new(),
            d: Vec::new(),
            w_old: Vec::new(),
            aux: Vec::new(),
        }
    }
}

/// The polish's cost in the epochs' unit (multiply-adds of the memory-bound column passes):
/// the BLAS-3 product and the factorisations (about two rounds) run about 16× faster per
/// multiply-add than a column pass (measured: a polish on 950 of 1000 rows' worth of support
/// costs what 20–25 epochs over its 1900-feature working set do), plus a fixed 50 000 for the
/// allocations and calls.
fn polish_cost(n: usize, p: usize, s: usize, use_gram: bool) -> f64 {
    let (n, p, s) = (n as f64, p as f64, s as f64);
    // Plus a fixed cost for the allocations and factorisation calls, which dominate for small
    // supports (small problems converge in a few cheap epochs and never pay for a polish).
    let rounds = 2.0 * (s * s * s / 6.0 / 16.0 + 2.0 * s * s) + 50_000.0;
    if use_gram {
        rounds + s * p
    } else {
        rounds + n * s * s / 2.0 / 16.0 + 3.0 * n * s
    }
}

/// At most this many Newton rounds per polish (each drops the coefficients that reach zero;
/// after the first, a round costs a few triangular solves, not a factorisation).
const POLISH_ROUNDS: usize = 16;

/// The support polish (see [`CoordinateDescent`]): Newton steps on the support `S₀` and its
/// signs. On the closed orthant of those signs `α g_j(w_j) = const + α(a_j w_j + b_j w_j²/2)`,
/// so the objective is exactly the quadratic with Hessian `H = X̃_S₀ᵀX̃_S₀/m + α diag(b)` and
/// gradient `∇_S₀ f + α(a + b∘w)`. Each round solves `H_AA d = −∇_A` on the active set `A`
/// (from one factor of `H` and a bordered solve for the dropped coefficients, see
/// [`bordered_newton`]; singular `H` gets a tiny ridge, see [`factor_sub`]),
/// projects the step onto the orthant (coefficients that would change sign become zero and
/// leave `A`) when that lowers the quadratic, and otherwise stops at the first zero crossing
/// (which always lowers it). Rounds end when a step crosses nothing (the minimiser on the
/// orthant's face: `Exact`). The result is kept only if the true objective, recomputed from
/// the moved residual (or gradient), dropped. Single task. Returns what happened and the
/// largest coefficient change.
#[allow(clippy::too_many_lines)]
fn polish<T: Scalar, P: Penalty<T> + ?Sized, B: BlockOps<T>>(
    prep: &Prepared<'_, T>,
    st: &mut State<T>,
    penalty: &P,
    ops: &B,
    alpha: T,
    use_gram: bool,
    buf: &mut PolishBuf<T>,
) -> (Polished, T) {
    let (n, p) = (prep.n, prep.p);
    let inv_m = T::one() / prep.m;
    flush(prep, st);
    buf.s.clear();
    buf.a.clear();
    buf.b.clear();
    for (j, &wj) in st.w.iter().enumerate() {
        if wj != T::zero() {
            let Some((a, b)) = ops.quadratic_piece(wj, j) else {
                return (Polished::Rejected, T::zero());
            };
            buf.s.push(j);
            buf.a.push(alpha * a);
            buf.b.push(alpha * b);
        }
    }
    let s = buf.s.len();
    if s == 0 {
        return (Polished::Rejected, T::zero());
    }
    // H over the whole starting support, and the orthant objective's gradient there.
    buf.g.clear();
    let (mut h, cols) = if use_gram {
        let mut h = ColMajor::<T>::zeros(s, s);
        for (c, &jc) in buf.s.iter().enumerate() {
            let src = &st.gram[jc * p..(jc + 1) * p];
            for (dst, &jr) in h.col_mut(c).iter_mut().zip(&buf.s) {
                *dst = src[jr];
            }
            buf.g.push(st.grad[jc]);
        }
        (h, None)
    } else {
        // The support's centred columns, then their Gram matrix by the BLAS-3 kernel.
        let mut a = ColMajor::<T>::zeros(n, s);
        for (c, &j) in buf.s.iter().enumerate() {
            prep.col_into(j, a.col_mut(c));
            buf.g.push(-dot(a.col(c), &st.r) * inv_m);
        }
        let mut h = a.gram(Parallelism::Sequential);
        h.as_mut_slice().iter_mut().for_each(|v| *v *= inv_m);
        (h, Some(a))
    };
    for c in 0..s {
        h.col_mut(c)[c] += buf.b[c];
        buf.g[c] += buf.a[c] + buf.b[c] * st.w[buf.s[c]];
    }
    // Newton rounds on the active set; `buf.w_old` keeps the start, `buf.d` the current point.
    buf.w_old.clear();
    buf.w_old.extend(buf.s.iter().map(|&j| st.w[j]));
    buf.d.clear();
    buf.d.extend_from_slice(&buf.w_old);
    let mut active: Vec<usize> = (0..s).collect();
    let mut step: Vec<T> = Vec::with_capacity(s);
    let mut exact = false;
    let mut moved = false;
    // The factor of H over `base` (⊇ the active set): coefficients dropped since are held at
    // zero by a bordered solve (a few extra triangular solves) instead of a new factorisation.
    let mut base: Vec<usize> = Vec::new();
    let mut chol: Option<Cholesky<T>> = None;
    let mut in_active = vec![false; s];
    let mut rhs: Vec<T> = Vec::with_capacity(s);
    for _ in 0..POLISH_ROUNDS {
        let na = active.len();
        if na == 0 {
            break;
        }
        if chol.is_none() || base.len() - na > 16.max(base.len() / 8) {
            base.clear();
            base.extend_from_slice(&active);
            chol = factor_sub(&h, &base);
        }
        let Some(ch) = chol.as_ref() else {
            break;
        };
        in_active.fill(false);
        for &c in &active {
            in_active[c] = true;
        }
        if !bordered_newton(ch, &buf.g, &base, &in_active, &mut rhs) {
            break;
        }
        // `active` is a subsequence of `base` (both in increasing order).
        step.clear();
        step.extend(
            base.iter()
                .zip(&rhs)
                .filter(|(&c, _)| in_active[c])
                .map(|(_, &v)| v),
        );
        // The projected full step, if it lowers the quadratic; else the step to the first
        // zero crossing. The quadratic's change for a move `e`: gᵀe + ½ eᵀH e.
        let model = |e: &[T], g: &[T], act: &[usize]| {
            let mut lin = T::zero();
            let mut quad = T::zero();
            for (&ac, &ec) in act.iter().zip(e) {
                if ec == T::zero() {
                    continue;
                }
                lin += g[ac] * ec;
                let col = h.col(ac);
                let mut he = T::zero();
                for (&ar, &er) in act.iter().zip(e) {
                    he += col[ar] * er;
                }
                quad += ec * he;
            }
            lin + T::lit(0.5) * quad
        };
        // NaN-safe: a NaN change is not a decrease.
        let lowers = |v: T| v < T::zero();
        let mut e: Vec<T> = Vec::with_capacity(na);
        let mut crossed = false;
        for (&ac, &dc) in active.iter().zip(&step) {
            let (w0, cur) = (buf.w_old[ac], buf.d[ac]);
            let v = cur + dc;
            if v * w0 <= T::zero() {
                crossed = true;
                e.push(-cur);
            } else {
                e.push(dc);
            }
        }
        let dec = model(&e, &buf.g, &active);
        if crossed && !lowers(dec) {
            // First crossing: the largest t ≤ 1 keeping every sign.
            let mut t = T::one();
            for (&ac, &dc) in active.iter().zip(&step) {
                let cur = buf.d[ac];
                let v = cur + dc;
                if v * buf.w_old[ac] <= T::zero() {
                    let tc = cur / (cur - v);
                    if tc < t {
                        t = tc;
                    }
                }
            }
            for ((ec, &ac), &dc) in e.iter_mut().zip(&active).zip(&step) {
                let cur = buf.d[ac];
                let v = cur + t * dc;
                *ec = if v * buf.w_old[ac] <= T::zero() {
                    -cur
                } else {
                    t * dc
                };
            }
            if !lowers(model(&e, &buf.g, &active)) {
                break;
            }
        } else if dec.is_nan() || dec > T::zero() {
            break;
        }
        // Move: the point, the gradient (g += H e over the whole start support).
        for (&ac, &ec) in active.iter().zip(&e) {
            if ec == T::zero() {
                continue;
            }
            buf.d[ac] += ec;
            for (gi, &hij) in buf.g.iter_mut().zip(h.col(ac)) {
                *gi += ec * hij;
            }
        }
        moved = true;
        let before_len = active.len();
        active.retain(|&c| buf.d[c] != T::zero());
        if !crossed && active.len() == before_len {
            exact = true;
            break;
        }
    }
    if !moved {
        return (Polished::Rejected, T::zero());
    }
    let before = objective_at(prep, st, penalty, alpha, use_gram, None);
    buf.aux.clear();
    buf.aux
        .extend_from_slice(if use_gram { &st.grad } else { &st.r });
    let mut max_change = T::zero();
    for (c, &j) in buf.s.iter().enumerate() {
        let delta = buf.d[c] - buf.w_old[c];
        if delta == T::zero() {
            continue;
        }
        max_change = max_change.max(delta.abs());
        st.w[j] = buf.d[c];
        match &cols {
            Some(a) => axpy_off(-delta, a.col(c), T::zero(), &mut buf.aux),
            None => {
                for (gi, &gij) in buf.aux.iter_mut().zip(&st.gram[j * p..(j + 1) * p]) {
                    *gi += delta * gij;
                }
            }
        }
    }
    let after = objective_at(prep, st, penalty, alpha, use_gram, Some(&buf.aux));
    if after <= before && after.is_finite() {
        if use_gram {
            core::mem::swap(&mut st.grad, &mut buf.aux);
        } else {
            core::mem::swap(&mut st.r, &mut buf.aux);
        }
        let res = if exact {
            Polished::Exact
        } else {
            Polished::Partial
        };
        (res, max_change)
    } else {
        for (&j, &w) in buf.s.iter().zip(&buf.w_old) {
            st.w[j] = w;
        }
        (Polished::Rejected, T::zero())
    }
}

/// The Cholesky factor of `h[idx, idx]`. When that is singular (more coefficients than
/// independent rows), a tiny ridge (1e-9 of the mean diagonal, Levenberg–Marquardt style) still
/// gives a descent direction, and the polish's projection drops coefficients until the support
/// fits. `None` if even that fails.
fn factor_sub<T: Scalar>(h: &ColMajor<T>, idx: &[usize]) -> Option<Cholesky<T>> {
    let na = idx.len();
    let mut ha = ColMajor::<T>::zeros(na, na);
    for (c, &ic) in idx.iter().enumerate() {
        let src = h.col(ic);
        for (dst, &ir) in ha.col_mut(c).iter_mut().zip(idx) {
            *dst = src[ir];
        }
    }
    if let Ok(c) = Cholesky::factor(&ha) {
        return Some(c);
    }
    let mean_diag = (0..na).map(|c| ha.col(c)[c]).sum::<T>() / T::from_count(na);
    let mu = T::lit(1e-9) * mean_diag;
    if !(mu > T::zero() && mu.is_finite()) {
        return None;
    }
    for c in 0..na {
        ha.col_mut(c)[c] += mu;
    }
    Cholesky::factor(&ha).ok()
}

/// The Newton step `x` over `base` with the coefficients outside the active set held at zero:
/// `min ½xᵀHx + gᵀx` s.t. `x_D = 0`, from the factor of `H_BB` (`ch`). With `u = −H⁻¹g`,
/// `Z = H⁻¹E_D` and `Z_D λ = u_D`: `x = u − Zλ`. Writes `x` into `out` (length `|base|`, exact
/// zeros on `D`); `false` when a solve fails or gives non-finite values.
fn bordered_newton<T: Scalar>(
    ch: &Cholesky<T>,
    g: &[T],
    base: &[usize],
    in_active: &[bool],
    out: &mut Vec<T>,
) -> bool {
    let nb = base.len();
    out.clear();
    out.extend(base.iter().map(|&c| -g[c]));
    if ch.solve_in_place(out).is_err() {
        return false;
    }
    let dpos: Vec<usize> = (0..nb).filter(|&i| !in_active[base[i]]).collect();
    if !dpos.is_empty() {
        let nd = dpos.len();
        let mut z = ColMajor::<T>::zeros(nb, nd);
        for (k, &dp) in dpos.iter().enumerate() {
            let col = z.col_mut(k);
            col[dp] = T::one();
            if ch.solve_in_place(col).is_err() {
                return false;
            }
        }
        let mut sm = ColMajor::<T>::zeros(nd, nd);
        for k in 0..nd {
            for (dst, &dp) in sm.col_mut(k).iter_mut().zip(&dpos) {
                *dst = z.col(k)[dp];
            }
        }
        let mut lam: Vec<T> = dpos.iter().map(|&dp| out[dp]).collect();
        let Ok(sc) = Cholesky::factor(&sm) else {
            return false;
        };
        if sc.solve_in_place(&mut lam).is_err() {
            return false;
        }
        for (k, &lk) in lam.iter().enumerate() {
            axpy_off(-lk, z.col(k), T::zero(), out);
        }
        for &dp in &dpos {
            out[dp] = T::zero();
        }
    }
    out.iter().all(|v| v.is_finite())
}

/// The certificate once the gradient is completed on the screened features (naive mode: the
/// in-loop checks leave them out); `st.r` must be the exact residual and `r_sq` its `‖r‖²`.
fn complete_cert<T: Scalar, P: Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    st: &mut State<T>,
    penalty: &P,
    alpha: T,
    screened: &[bool],
    r_sq: T,
    scratch: &mut CertScratch<T>,
) -> Cert<T> {
    flush(prep, st);
    prep.gradient_where(&st.r, &mut st.grad, screened);
    certify(
        penalty, alpha, &st.w, &st.grad, r_sq, prep.y_sq, prep.m, scratch,
    )
}

/// Recomputes the incrementally updated quantity from scratch: the residual `ỹ − X̃w` (naive
/// mode) or the gradient `G w − c` (Gram mode).
fn refresh_exact<T: Scalar>(prep: &Prepared<'_, T>, st: &mut State<T>, use_gram: bool) {
    if use_gram {
        crate::simd::run(GramGradient { p: prep.p, st });
    } else {
        prep.residual(&st.w, &mut st.r);
        if prep.sparse().is_some() {
            let n = prep.n;
            for t in 0..prep.k {
                st.shift[t] = T::zero();
                st.q0[t] = prep.e_dot(&st.r[t * n..(t + 1) * n]);
            }
        }
    }
}

/// `grad ← G w − c` in Gram mode, through [`crate::simd::run`] (elementwise: same bits).
struct GramGradient<'a, T> {
    p: usize,
    st: &'a mut State<T>,
}

impl<T: Scalar> crate::simd::Body for GramGradient<'_, T> {
    type Output = ();
    #[inline(always)]
    fn call(self) {
        let GramGradient { p, st } = self;
        for (gi, &ci) in st.grad.iter_mut().zip(&st.c) {
            *gi = -ci;
        }
        for j in 0..p {
            let wj = st.w[j];
            if wj != T::zero() {
                for (gi, &gij) in st.grad.iter_mut().zip(&st.gram[j * p..(j + 1) * p]) {
                    *gi += wj * gij;
                }
            }
        }
    }
}

/// The smooth part `‖r‖²/(2m)` of the objective, from the residual (naive mode) or from
/// `q = Gw − c` (Gram mode: `‖ỹ‖²/(2m) + ½ wᵀ(q − c)`).
fn smooth_value<T: Scalar>(prep: &Prepared<'_, T>, st: &State<T>, q: &[T], use_gram: bool) -> T {
    let half = T::lit(0.5);
    if use_gram {
        let mut acc = T::zero();
        for ((&w, &qi), &ci) in st.w.iter().zip(q).zip(&st.c) {
            if w != T::zero() {
                acc += w * (qi - ci);
            }
        }
        half * (prep.y_sq / prep.m + acc)
    } else {
        half * sq_norm(q) / prep.m
    }
}

/// The objective at `st.w` from `q`: the residual (naive mode) or the gradient `Gw − c` (Gram
/// mode); `None` takes the state's own. Used to accept or reject an extrapolated or polished
/// point.
fn objective_at<T: Scalar, P: Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    st: &State<T>,
    penalty: &P,
    alpha: T,
    use_gram: bool,
    q: Option<&[T]>,
) -> T {
    let q = q.unwrap_or(if use_gram { &st.grad } else { &st.r });
    let pen = if alpha == T::zero() {
        T::zero()
    } else {
        alpha * penalty.value(&st.w)
    };
    smooth_value(prep, st, q, use_gram) + pen
}

/// One Anderson step on the working set: the extrapolated point replaces the iterate (and the
/// residual or gradient is moved with it) when its objective is lower.
#[allow(clippy::too_many_arguments)]
fn extrapolate<T: Scalar, P: Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    st: &mut State<T>,
    penalty: &P,
    alpha: T,
    use_gram: bool,
    ws: &[usize],
    accel: &mut Anderson<T>,
    ws_acc: &mut Vec<T>,
    aux: &mut Vec<T>,
) {
    let (n, p, k) = (prep.n, prep.p, prep.k);
    ws_acc.resize(ws.len() * k, T::zero());
    if !accel.extrapolate(ws_acc) {
        return;
    }
    flush(prep, st);
    let before = objective_at(prep, st, penalty, alpha, use_gram, None);
    // Move the residual (or gradient) by the change, into `aux`.
    if use_gram {
        aux.clear();
        aux.extend_from_slice(&st.grad);
    } else {
        aux.clear();
        aux.extend_from_slice(&st.r);
    }
    if !use_gram && prep.sparse().is_some() {
        // One scalar offset per task for the whole move (`O(nnz)` plus one `O(n)` pass).
        for t in 0..k {
            let pairs = ws_acc
                .chunks_exact(k)
                .zip(ws)
                .map(|(blk, &j)| (j, st.w[j * k + t] - blk[t]))
                .filter(|&(_, a)| a != T::zero());
            prep.axpy_cols(pairs, &mut aux[t * n..(t + 1) * n]);
        }
        for (blk, &j) in ws_acc.chunks_exact(k).zip(ws) {
            st.w[j * k..(j + 1) * k].copy_from_slice(blk);
        }
    } else {
        for (blk, &j) in ws_acc.chunks_exact(k).zip(ws) {
            for t in 0..k {
                let delta = blk[t] - st.w[j * k + t];
                if delta == T::zero() {
                    continue;
                }
                if use_gram {
                    for (gi, &gij) in aux.iter_mut().zip(&st.gram[j * p..(j + 1) * p]) {
                        *gi += delta * gij;
                    }
                } else {
                    axpy_off(
                        -delta,
                        prep.col(j),
                        prep.offsets[j],
                        &mut aux[t * n..(t + 1) * n],
                    );
                }
                st.w[j * k + t] = blk[t];
            }
        }
    }
    let after = objective_at(prep, st, penalty, alpha, use_gram, Some(aux));
    if after < before {
        if use_gram {
            core::mem::swap(&mut st.grad, aux);
        } else {
            core::mem::swap(&mut st.r, aux);
        }
    } else {
        // Rejected: back to the last iterate (its residual / gradient were not touched).
        for (blk, &j) in accel.last().chunks_exact(k).zip(ws) {
            st.w[j * k..(j + 1) * k].copy_from_slice(blk);
        }
    }
}

/// Gap-safe screening at a gap check (see [`Screening`]): `v = scratch.u` holds the dual
/// point's correlations `X̃ᵀθ` (the gap was computed, so they are rescaled). Sets the features it
/// proves zero to 0 (updating the residual or the gradient) and returns how many it found.
#[allow(clippy::too_many_arguments)]
fn gap_safe_screen<T: Scalar, B: BlockOps<T>>(
    prep: &Prepared<'_, T>,
    st: &mut State<T>,
    ops: &B,
    alpha: T,
    use_gram: bool,
    lips: &[T],
    v: &[T],
    gap: T,
    objective: T,
    r_sq: T,
    screened: &mut [bool],
) -> usize {
    let (n, p, k, m) = (prep.n, prep.p, prep.k, prep.m);
    flush(prep, st);
    let eps = T::epsilon();
    // Rounding margins: the gap is computed with an absolute error of a few ε·P(w), and each
    // correlation x̃_jᵀr/m with an error of order ε·√n·‖x̃_j‖‖r‖/m (plus the Gram mode's drift).
    let gap_eff = gap.max(T::zero()) + T::lit(64.0) * eps * objective.abs();
    let radius = (T::lit(2.0) * gap_eff / m).sqrt();
    let round = T::lit(16.0) * eps * T::from_count(n).sqrt() * r_sq.max(T::zero()).sqrt() / m;
    if !radius.is_finite() || !round.is_finite() {
        return 0;
    }
    let mut found = 0usize;
    for j in 0..p {
        if screened[j] || lips[j] <= T::zero() {
            continue;
        }
        let vj = &v[j * k..(j + 1) * k];
        let delta = prep.col_sq[j].sqrt() * (radius + round) + T::lit(16.0) * eps * max_abs(vj);
        if !ops.safe_zero(vj, delta, alpha, j) {
            continue;
        }
        screened[j] = true;
        found += 1;
        for t in 0..k {
            let wjt = st.w[j * k + t];
            if wjt == T::zero() {
                continue;
            }
            st.w[j * k + t] = T::zero();
            if use_gram {
                for (gi, &gij) in st.grad.iter_mut().zip(&st.gram[j * p..(j + 1) * p]) {
                    *gi -= wjt * gij;
                }
            } else {
                prep.axpy_cols([(j, wjt)], &mut st.r[t * n..(t + 1) * n]);
            }
        }
    }
    found
}

/// Validates the stopping settings every iterative solver has (NaN-safe): `tol` and `kkt_tol`
/// (when given) finite and `> 0`, `max_iter >= 1`. The estimators check theirs with it too.
///
/// # Errors
/// [`Error::InvalidParameter`] naming the first bad setting.
///
/// ```
/// use proxreg_solvers::check_stopping;
/// assert!(check_stopping(1e-6, Some(1e-8), 100).is_ok());
/// assert!(check_stopping(1e-6, Some(f64::NAN), 100).is_err());
/// assert!(check_stopping(1e-6, None, 0).is_err());
/// ```
pub fn check_stopping<T: Scalar>(tol: T, kkt_tol: Option<T>, max_iter: usize) -> Result<()> {
    ensure_positive_finite("tol", tol)?;
    if let Some(k) = kkt_tol {
        ensure_positive_finite("kkt_tol", k)?;
    }
    if max_iter == 0 {
        return Err(Error::InvalidParameter {
            name: "max_iter",
            value: 0.0,
            expected: ">= 1",
        });
    }
    Ok(())
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

/// The certificate at the current point, and `‖r‖²`. In naive mode, the features marked in
/// `screened` (proved zero at the optimum) are left out of the gradient: the certificate is
/// the reduced problem's, which bounds the full problem's suboptimality too. With
/// `grad_known` the gradient in `st.grad` is already that of `st.r` (naive mode).
#[allow(clippy::too_many_arguments)]
fn full_cert<T: Scalar, P: Penalty<T> + ?Sized>(
    prep: &Prepared<'_, T>,
    st: &mut State<T>,
    penalty: &P,
    alpha: T,
    use_gram: bool,
    screened: &[bool],
    grad_known: bool,
    scratch: &mut CertScratch<T>,
) -> (Cert<T>, T) {
    let m = prep.m;
    let r_sq = if use_gram {
        // ‖r‖²/m = ‖ỹ‖²/m − cᵀw + wᵀq, with q = Gw − c = grad.
        let ctw = dot(&st.c, &st.w);
        let wtq = dot(&st.w, &st.grad);
        let y_sq_m = prep.y_sq / m;
        ((y_sq_m - ctw + wtq) * m).max(T::zero())
    } else {
        flush(prep, st);
        if !grad_known {
            prep.gradient_masked(&st.r, &mut st.grad, screened);
        }
        sq_norm(&st.r)
    };
    let cert = certify(penalty, alpha, &st.w, &st.grad, r_sq, prep.y_sq, m, scratch);
    (cert, r_sq)
}

/// What one epoch did: the largest KKT distance met, the largest change, how many coordinates
/// moved and how many entered or left the support.
struct Sweep<T> {
    max_dist: T,
    max_change: T,
    changed: usize,
    flips: usize,
}

/// One epoch over `order` (naive or Gram updates), run through [`crate::simd::run`] so that
/// its loops are compiled for the widest vector unit the CPU has.
struct EpochOp<'a, 'p, T: Scalar, B> {
    prep: &'a Prepared<'p, T>,
    st: &'a mut State<T>,
    ops: &'a B,
    alpha: T,
    lips: &'a [T],
    order: &'a [usize],
    use_gram: bool,
}

impl<T: Scalar, B: BlockOps<T>> crate::simd::Body for EpochOp<'_, '_, T, B> {
    type Output = Sweep<T>;
    #[inline(always)]
    fn call(self) -> Sweep<T> {
        let EpochOp {
            prep,
            st,
            ops,
            alpha,
            lips,
            order,
            use_gram,
        } = self;
        let (k, p) = (prep.k, prep.p);
        let mut out = Sweep {
            max_dist: T::zero(),
            max_change: T::zero(),
            changed: 0,
            flips: 0,
        };
        let sparse = if use_gram { None } else { prep.sparse() };
        for &j in order {
            let was_zero = st.w[j * k] == T::zero();
            let (d, ch) = if use_gram {
                update_gram(st, ops, alpha, lips, p, j)
            } else if let Some(sp) = sparse {
                update_sparse(prep, sp, st, ops, alpha, lips, j)
            } else {
                update_naive(prep, st, ops, alpha, lips, j)
            };
            if d > out.max_dist || d.is_nan() {
                out.max_dist = d;
            }
            if ch > out.max_change {
                out.max_change = ch;
            }
            if ch > T::zero() {
                out.changed += 1;
                if was_zero != (st.w[j * k] == T::zero()) {
                    out.flips += 1;
                }
            }
        }
        out
    }
}

/// The proximal step of block `j` from its gradient in `st.z`: the KKT distance before the
/// step (returned), the old block into `st.old`, the new one into `st.z`.
#[inline(always)]
fn prox_step<T: Scalar, B: BlockOps<T>>(
    st: &mut State<T>,
    ops: &B,
    alpha: T,
    lj: T,
    j: usize,
    k: usize,
) -> T {
    let wj = &st.w[j * k..(j + 1) * k];
    let d = ops.dist(wj, &st.z, alpha, j);
    st.old.copy_from_slice(wj);
    for t in 0..k {
        st.z[t] = st.old[t] - st.z[t] / lj;
    }
    ops.prox(&mut st.z, alpha / lj, j);
    d
}

/// One naive block update; returns (KKT distance before the update, max |change|).
#[inline(always)]
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
    let d = prox_step(st, ops, alpha, lj, j, k);
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

/// One naive block update on a sparse design (`O(nnz_j)`); returns as [`update_naive`].
///
/// The exact residual is `r + c·e` (`c = st.shift[t]`): the gradient is
/// `x̃_jᵀ(r + c·e) = ⟨e∘v_j, r⟩ + c·d_j − o_j·⟨e, r + c·e⟩`, and `⟨e, r + c·e⟩` is constant
/// under the updates (`d_j = o_j·m` when the offsets are the means; `o_j = 0` otherwise), so
/// it is the refresh's `q0`. A move `δ` adds `−δ·e∘v_j` to `r` and `δ·o_j` to `c`.
#[inline(always)]
fn update_sparse<T: Scalar, B: BlockOps<T>>(
    prep: &Prepared<'_, T>,
    sp: &crate::sparse::SparseCols<'_, T>,
    st: &mut State<T>,
    ops: &B,
    alpha: T,
    lips: &[T],
    j: usize,
) -> (T, T) {
    let (n, k) = (prep.n, prep.k);
    let mu = prep.offsets[j];
    let dj = sp.d(j);
    let inv_m = T::one() / prep.m;
    let lj = lips[j];
    for t in 0..k {
        let g = sp.dot(j, &st.r[t * n..(t + 1) * n]) + st.shift[t] * dj - mu * st.q0[t];
        st.z[t] = -g * inv_m;
    }
    let d = prox_step(st, ops, alpha, lj, j, k);
    let mut change = T::zero();
    for t in 0..k {
        let delta = st.z[t] - st.old[t];
        if delta != T::zero() {
            sp.axpy(j, -delta, &mut st.r[t * n..(t + 1) * n]);
            st.shift[t] += delta * mu;
            change = change.max(delta.abs());
        }
        st.w[j * k + t] = st.z[t];
    }
    (d, change)
}

/// One Gram-mode update (single task); returns (KKT distance before the update, |change|).
#[inline(always)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::unwrap_used)]
    fn bordered_newton_equals_a_fresh_factorisation_of_the_active_block() {
        // H = AᵀA + I (SPD), 7 × 7, from a deterministic A.
        let n = 7;
        let a = ColMajor::from_fn(9, n, |i, j| ((i * 7 + j * 3) % 11) as f64 / 11.0 - 0.4);
        let mut h = a.gram(Parallelism::Sequential);
        for c in 0..n {
            h.col_mut(c)[c] += 1.0;
        }
        let g: Vec<f64> = (0..n).map(|i| (i as f64 - 3.0) * 0.7).collect();
        let base: Vec<usize> = (0..n).collect();
        let ch = factor_sub(&h, &base).unwrap();
        let mut in_active = vec![true; n];
        in_active[1] = false;
        in_active[4] = false;
        let mut x = Vec::new();
        assert!(bordered_newton(&ch, &g, &base, &in_active, &mut x));
        let act: Vec<usize> = (0..n).filter(|&i| in_active[i]).collect();
        let direct = factor_sub(&h, &act).unwrap();
        let mut y: Vec<f64> = act.iter().map(|&i| -g[i]).collect();
        direct.solve_in_place(&mut y).unwrap();
        assert_eq!(x[1], 0.0);
        assert_eq!(x[4], 0.0);
        for (k, &i) in act.iter().enumerate() {
            assert!(
                (x[i] - y[k]).abs() <= 1e-12 * (1.0 + y[k].abs()),
                "{i}: {} vs {}",
                x[i],
                y[k]
            );
        }
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn factor_sub_adds_a_tiny_ridge_to_a_singular_block() {
        // Rank one: x xᵀ, singular for n ≥ 2.
        let h = ColMajor::from_fn(3, 3, |i, j| ((i + 1) * (j + 1)) as f64);
        let ch = factor_sub(&h, &[0, 1, 2]).unwrap();
        assert_eq!(ch.dim(), 3);
    }
}
