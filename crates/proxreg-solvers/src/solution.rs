//! What a solver reports: coefficients, certificates, and how it stopped.

use core::ops::ControlFlow;

/// How a solver stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Termination {
    /// The stopping criterion reached the tolerance.
    Converged,
    /// `max_iter` was reached first: the certificates say how far from optimal the result is.
    MaxIterReached,
    /// An [`Observer`] asked to stop.
    StoppedByObserver,
    /// The tolerance asked for more than the arithmetic can certify: two rounds of epochs in a
    /// row moved no coefficient by more than rounding error while the certificate still
    /// missed `tol`. The result is as exact as this precision allows; the reported gap and
    /// KKT violation are what was achieved. Counts as converged ([`Solution::converged`]).
    RoundingFloor,
    /// [`ProxNewton`](crate::ProxNewton)'s line search found no step that decreases the
    /// objective (rounding, or a nonconvex penalty at a stationary point) before the
    /// certificate met the tolerance. Not counted as converged: the certificate tells how far
    /// the point is from optimal.
    Stalled,
}

/// One iteration as seen by an [`Observer`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct IterInfo<T> {
    /// Outer iteration (coordinate descent: one full check of the certificates; FISTA: one step).
    pub iter: usize,
    /// Primal objective at the current point.
    pub objective: T,
    /// The duality gap, when the penalty provides its conjugate.
    pub duality_gap: Option<T>,
    /// The maximal KKT violation (distance of `−∇f(w)` to `alpha·∂g(w)`).
    pub kkt_violation: T,
}

/// Watches iterations and may stop the solver (`ControlFlow::Break`).
///
/// `()` is the no-op observer, and any `FnMut(&IterInfo<T>) -> ControlFlow<()>` is one.
///
/// ```
/// use core::ops::ControlFlow;
/// use proxreg_solvers::{IterInfo, Observer};
/// let mut seen = 0;
/// let mut obs = |_: &IterInfo<f64>| { seen += 1; ControlFlow::Continue(()) };
/// # fn takes<O: Observer<f64>>(_: &mut O) {}
/// takes(&mut obs);
/// ```
pub trait Observer<T> {
    /// Called after each outer iteration.
    fn on_iter(&mut self, _info: &IterInfo<T>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

impl<T> Observer<T> for () {}

impl<T, F: FnMut(&IterInfo<T>) -> ControlFlow<()>> Observer<T> for F {
    fn on_iter(&mut self, info: &IterInfo<T>) -> ControlFlow<()> {
        self(info)
    }
}

/// The result of a fit, with its certificates.
///
/// For a multi-task problem `coef` is the `p × k` matrix, row-major, and `intercept` has `k`
/// entries; for a single task `intercept` has one entry.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Solution<T> {
    /// Coefficients on the original scale of the design.
    pub coef: Vec<T>,
    /// Intercept(s): zeros when the problem has no intercept.
    pub intercept: Vec<T>,
    /// Primal objective `f(w) + alpha·g(w)` at the solution.
    pub objective: T,
    /// Duality gap `P(w) − D(θ)` (`None` if the penalty has no conjugate, e.g. non-convex).
    pub duality_gap: Option<T>,
    /// The duality gap divided by `‖y‖²/m` (what `tol` is compared with).
    pub relative_gap: Option<T>,
    /// Maximal KKT violation `max_j dist(−∇_j f(w), alpha·∂g(w)_j)`.
    pub kkt_violation: T,
    /// Iterations performed, in the solver's own unit (what `max_iter` bounds): epochs (passes
    /// over the working set) for coordinate descent and block coordinate descent, proximal
    /// gradient steps for FISTA/ISTA, 1 for the direct ridge solvers.
    pub n_iter: usize,
    /// Coordinate updates (or FISTA steps) performed, for work accounting.
    pub n_updates: usize,
    /// Features (or multi-task rows) proved zero and discarded by gap-safe screening
    /// (coordinate descent, and [`GroupCd`](crate::GroupCd): the features of the screened
    /// groups; 0 for the other solvers).
    pub n_screened: usize,
    /// How the solver stopped.
    pub termination: Termination,
    /// Whether the data were rescaled internally by powers of two because a squared norm of
    /// `y` or of a column left the floating-point range (e.g. `y` near `1e155` in f64). The
    /// coefficients and intercepts are then still those of the problem asked for, exactly
    /// mapped back; `objective`, `duality_gap` and `kkt_violation` are those of the rescaled
    /// problem (the objective divided by `c²`, in the rescaled coefficients), and
    /// `relative_gap` is the same number for both (see `docs/reliability.md`).
    pub rescaled: bool,
}

impl<T> Solution<T> {
    /// Whether the solver reached its tolerance, or the floor of rounding below it
    /// ([`Termination::RoundingFloor`]).
    pub fn converged(&self) -> bool {
        matches!(
            self.termination,
            Termination::Converged | Termination::RoundingFloor
        )
    }
}
