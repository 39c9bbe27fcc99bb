//! Group block coordinate descent for penalties over feature groups of any sizes
//! ([`GroupSeparablePenalty`]: the group lasso and the sparse group lasso), with any datafit:
//! on its curvature bound (least squares, logistic, Huber) or, without one (Poisson), on local
//! step constants checked against the objective.
// Loops over several per-sample arrays of one length read clearer indexed.
#![allow(clippy::needless_range_loop)]

use proxreg_core::datafit::Datafit;
use proxreg_core::penalty::GroupSeparablePenalty;
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;

use crate::anderson::Anderson;
use crate::cd::check_stopping;
use crate::glm::{certify, GlmData, Start};
use crate::kernels::{axpy4_off, dot4_off};
use crate::path::Path;
use crate::problem::Problem;
use crate::solution::{IterInfo, Observer, Solution, Termination};
use crate::Solver;

/// Group block coordinate descent: for a penalty that is a sum over a partition of the
/// features into groups of any sizes ([`GroupSeparablePenalty`], e.g.
/// [`GroupLasso`](proxreg_core::penalty::GroupLasso)) and any [`Datafit`]: with a curvature
/// bound ([`Datafit::curvature_bound`]: least squares and Huber `1`, logistic `¼`) as below, and
/// without one (Poisson) as in **Datafits without a curvature bound**.
///
/// Each epoch visits the groups of the working set in order and takes the proximal gradient
/// step `w_G ← prox_{αg_G/L_G}(w_G − ∇_G F/L_G)` with `L_G = bound·λ_max(X̃_Gᵀ S̄ X̃_G)` (`S̄`
/// the normalised sample weights, `X̃` the centered columns; `λ_max` by power iteration, capped
/// by the trace). **Sufficient decrease** is checked on every step rather than trusted to the
/// power iteration: the step from `L_G` decreases the objective when
/// `bound·‖X̃_G Δ‖²_S̄ ≤ L_G‖Δ‖²` (with the datafit's curvature bound this gives
/// `F(w + Δ) − F(w) ≤ ∇_G F·Δ + (L_G/2)‖Δ‖²`); when that fails, `L_G` doubles (up to
/// `bound·trace`, where it always holds) and the step is redone from the same point. The linear predictor and the per-sample
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
/// rounding floor). A group with no penalty at all (weight `0` and `τ = 0`) adds the dual
/// constraint `X̃_Uᵀ S̄ v = 0`: the dual point is then projected `S̄`-orthogonally off the
/// unpenalized columns (a Cholesky of their Gram matrix, once per path) and scaled back into
/// the datafit's dual domain, which gives an honest gap that vanishes at the optimum. If the
/// projection cannot make those entries vanish to `√ε` (numerically collinear unpenalized
/// columns), or when the projected point leaves the datafit's dual domain in a way no
/// scaling repairs (logistic, far from the optimum: a `v_i` past the domain's end at 0), no
/// gap is reported for that round (`duality_gap = None`) and the KKT violation alone decides;
/// near the optimum the projection moves the point by little and the gap returns.
///
/// **Gram mode** (least squares only, dense `X` without offsets or unpenalized groups; by
/// default when `n ≥ 2p` and `p ≤ 4096`, the rule of [`CoordinateDescent`](crate::CoordinateDescent)):
/// once per path `Q = X̃ᵀ S̄ X̃` and `c = X̃ᵀ S̄ (y − b₀)` (`b₀` the null intercept, optimal
/// for every `w` on centered columns); a group step reads `∇_G F` from the kept gradient and
/// updates it by `Q_{:,G}Δ` (`p·|G|` operations instead of `2n·|G|`), the gradient is
/// recomputed from scratch (`Qw − c`) at every certificate, and the certificate (the same dual
/// point `s·(η − y)`, whose Fenchel–Young term is `(1 − s)²F(w)`) and the Anderson objective are
/// evaluated from `Q`, `c` and `½Σs̄(y − b₀)²`. The same steps as on the rows, up to rounding.
///
/// **Datafits without a curvature bound** (Poisson, `ℓ'' = e^η`): no step constant majorizes
/// everywhere, so each round (between certificates) starts every group from the local bound
/// `L_G = λ_max(X̃_Gᵀ S̄ X̃_G)·max_i ℓ''(y_i, η_i)` at the current iterate, and the
/// sufficient-decrease test is made on the objective itself,
/// `F(w + Δ) − F(w) ≤ ∇_G F·Δ + (L_G/2)‖Δ‖²` (up to `8ε·Σ|s̄_i ℓ_i|`, the rounding of the
/// sums), doubling `L_G` until it holds (uncapped). The intercept takes a Newton step halved
/// until it decreases the objective by half its linear prediction (Armijo). Each trial costs
/// one loss evaluation per sample. Gap-safe screening needs the bound (the radius of the dual
/// ball comes from it) and is off; the duality gap itself (the Poisson conjugate) and the KKT
/// violation certify as above.
///
/// **Gap-safe screening** (Ndiaye, Fercoq, Gramfort, Salmon 2017): with a gap, the optimal
/// dual point lies within `√(2·bound·gap)` (in `‖·‖_S̄`) of the current one, so `u*_G` lies
/// within `ρ_G = ‖X̃_G‖_F·√(2·bound·gap)` of `u_G`; a penalized group whose
/// [`zero_is_safe_group`](GroupSeparablePenalty::zero_is_safe_group) test passes for that ball
/// (group lasso: `‖ST(u_G, ατ)‖ + ρ_G < α(1 − τ)c_g`) is zero at the optimum, is set to zero
/// and is not visited again in this solve ([`Solution::n_screened`] counts its features).
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | `tol` | `1e-4` | relative duality gap to reach |
/// | `kkt_tol` | `tol` | KKT violation relative to `‖∇F(null)‖_∞` to reach as well |
/// | `max_iter` | `100_000` | largest number of epochs (passes over a working set) |
/// | `working_set` | `true` | working sets (off: every epoch visits every group) |
/// | `working_set_size` | `10` | the smallest working set, in groups |
/// | `screening` | `true` | gap-safe group screening |
/// | `anderson` | `5` | Anderson extrapolation depth on the working set (`0`: off) |
/// | `gram` | `None` (auto) | least squares in Gram form (below) |
///
/// **Anderson extrapolation** (Anderson 1965; for coordinate descent Bertrand & Massias
/// 2021, as in skglm and [`CoordinateDescent`](crate::CoordinateDescent)): every
/// `anderson + 1` epochs on a working set, its coefficients' last iterates are combined with
/// the affine weights that minimise the norm of the combined differences; the extrapolated
/// point replaces the iterate only when the objective there is lower, so the objective never
/// increases and the certificates are unchanged.
///
/// Reaching `max_iter` ends with [`Termination::MaxIterReached`]; two rounds in a row whose
/// first epoch on the whole problem moves no coefficient beyond rounding end with
/// [`Termination::RoundingFloor`].
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
    screening: bool,
    anderson: usize,
    lip_scale: T,
    gram: Option<bool>,
}

impl<T: Scalar> Default for GroupCd<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 100_000,
            working_set: true,
            ws_min: 10,
            screening: true,
            anderson: 5,
            lip_scale: T::one(),
            gram: None,
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

    /// Gap-safe group screening (on by default): after each certificate with a duality gap,
    /// the penalized groups proved zero at the optimum are set to zero and never visited
    /// again in this solve (see the type's documentation).
    #[must_use]
    pub fn screening(mut self, yes: bool) -> Self {
        self.screening = yes;
        self
    }

    /// Anderson extrapolation depth on the working set: every `depth + 1` epochs the last
    /// `depth` differences of the iterates are combined and the extrapolated point replaces the
    /// iterate when its objective is lower (`0` turns it off). Default `5`, as
    /// [`CoordinateDescent::anderson`](crate::CoordinateDescent::anderson).
    #[must_use]
    pub fn anderson(mut self, depth: usize) -> Self {
        self.anderson = depth;
        self
    }

    /// The Gram mode for least squares (see the type's documentation): `None` (the default)
    /// uses it when `n ≥ 2p` and `p ≤ 4096`, `Some(true)` whenever the problem allows it,
    /// `Some(false)` never. Other datafits, sparse designs, offsets and unpenalized groups
    /// always work on the rows.
    #[must_use]
    pub fn gram(mut self, mode: Option<bool>) -> Self {
        self.gram = mode;
        self
    }

    /// Testing hook: multiplies every power-iteration step constant `L_G` by `factor` before
    /// the solve (`factor < 1` makes the estimates too small, which the sufficient-decrease
    /// safeguard must then repair). Not part of the stable API.
    #[doc(hidden)]
    #[must_use]
    pub fn step_constant_scale(mut self, factor: T) -> Self {
        self.lip_scale = factor;
        self
    }

    /// Validates the settings.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `tol` or `kkt_tol` not finite and `> 0`,
    /// `max_iter == 0` or `working_set_size == 0`.
    pub fn check(&self) -> Result<()> {
        check_stopping(self.tol, self.kkt_tol, self.max_iter)?;
        if !(self.lip_scale.is_finite() && self.lip_scale > T::zero()) {
            return Err(Error::InvalidParameter {
                name: "step_constant_scale",
                value: self.lip_scale.as_f64(),
                expected: "a finite number > 0",
            });
        }
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
            let mut setup = PathSetup::new(self, &data, pen, bound, false, false);
            let (_, Start { w, b }) = run(
                self,
                &data,
                problem,
                bound,
                &mut setup,
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
        // The groups' step constants (and those the safeguard doubled), their caps and the
        // projection off the unpenalized columns depend on the data only: once for the path.
        let quadratic = problem.datafit.name() == "quadratic";
        let mut setup = PathSetup::new(self, &data, problem.penalty, bound, true, quadratic);
        for &a in alphas {
            let (sol, end) = run(
                self,
                &data,
                problem,
                bound,
                &mut setup,
                a,
                start,
                None,
                &mut (),
            )?;
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
        let quadratic = problem.datafit.name() == "quadratic";
        let mut setup = PathSetup::new(self, &data, problem.penalty, bound, true, quadratic);
        run(
            self,
            &data,
            problem,
            bound,
            &mut setup,
            problem.alpha,
            start,
            None,
            observer,
        )
        .map(|(s, _)| s)
    }
}

/// The datafit's curvature bound when it has one (finite and positive); `None` (Poisson): the
/// step constants are local and sufficient decrease is checked on the objective itself.
fn bound_of<T: Scalar, F: Datafit<T>>(f: &F) -> Result<Option<T>> {
    match f.curvature_bound() {
        Some(b) if b.is_finite() && b > T::zero() => Ok(Some(b)),
        None => Ok(None),
        Some(_) => Err(Error::Unsupported {
            what: "GroupCd for this datafit",
            reason: "its curvature bound is not finite and positive",
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
/// With the Gram form the products are `Q_GG v` (`|G|²` operations, not `2n|G|`).
fn group_lipschitz<T: Scalar>(
    d: &GlmData<'_, T>,
    members: &[usize],
    bound: T,
    gram: Option<&GramForm<T>>,
) -> T {
    let trace: T = members.iter().map(|&j| d.col_sq[j]).sum();
    if members.len() == 1 || trace <= T::zero() || !trace.is_finite() {
        return bound * trace;
    }
    let k = members.len();
    let mut v: Vec<T> = members.iter().map(|&j| d.col_sq[j].sqrt()).collect();
    let mut xv = if gram.is_some() {
        Vec::new()
    } else {
        vec![T::zero(); d.n]
    };
    let mut lambda = T::zero();
    for _ in 0..500 {
        let nv = proxreg_core::penalty::norm2(&v);
        if nv.is_nan() || nv <= T::zero() {
            break;
        }
        v.iter_mut().for_each(|a| *a /= nv);
        let next: Vec<T> = if let Some(gm) = gram {
            members
                .iter()
                .map(|&ja| {
                    let qa = gm.col(ja);
                    members.iter().zip(&v).map(|(&jb, &b)| qa[jb] * b).sum()
                })
                .collect()
        } else {
            xv.iter_mut().for_each(|a| *a = T::zero());
            d.axpy_cols(members.iter().zip(&v).map(|(&j, &a)| (j, a)), &mut xv);
            for i in 0..d.n {
                xv[i] *= d.sw[i];
            }
            let rs = d.rsum(&xv);
            members.iter().map(|&j| d.col_dot(j, &xv, rs)).collect()
        };
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
    gram: Option<&GramForm<T>>,
) -> Vec<T> {
    let groups = pen.groups();
    (0..groups.n_groups())
        .map(|g| group_lipschitz(d, groups.group(g), bound, gram))
        .collect()
}

/// What a path computes once and every solve on it shares: the groups' step constants, their
/// caps and the projection off the unpenalized columns.
struct PathSetup<T> {
    /// `L_G`: the power-iteration estimate (times the `step_constant_scale`, at most the cap)
    /// at first; the sufficient-decrease safeguard doubles an entry when a step shows it too
    /// small, and the doubled value stays for the rest of the path (it is still an upper
    /// bound's candidate for the same `X`, never above the cap).
    lips: Vec<T>,
    /// `caps[g] = bound·trace(X̃_Gᵀ S̄ X̃_G) ≥ bound·λ_max`: a step constant that always
    /// majorizes.
    caps: Vec<T>,
    /// The `S̄`-orthogonal projection off the unpenalized groups' columns (their dual
    /// constraint `X̃_Uᵀ S̄ v = 0`), so that a duality gap exists with them; `None` without
    /// such groups or when not asked for (the null fit of [`GroupCd::alpha_max`]).
    proj: Option<FreeProjection<T>>,
    /// Without a curvature bound: `λ_max(X̃_Gᵀ S̄ X̃_G)` per group (times the
    /// `step_constant_scale`); each round of a solve starts from `base[g]·max_i ℓ''(y_i, η_i)`,
    /// the local curvature bound at its iterate. Empty with a bound.
    base: Vec<T>,
    /// Least squares in Gram form, when the Gram mode is on.
    gram: Option<GramForm<T>>,
}

impl<T: Scalar> PathSetup<T> {
    fn new<P: GroupSeparablePenalty<T> + ?Sized>(
        cfg: &GroupCd<T>,
        d: &GlmData<'_, T>,
        pen: &P,
        bound: Option<T>,
        with_projection: bool,
        quadratic: bool,
    ) -> Self {
        let groups = pen.groups();
        let q = groups.n_groups();
        let b1 = bound.unwrap_or_else(T::one);
        let traces: Vec<T> = (0..q)
            .map(|g| groups.group(g).iter().map(|&j| d.col_sq[j]).sum::<T>())
            .collect();
        // Without a bound no step constant majorizes everywhere: no cap (but a group of
        // zero columns still never moves).
        let caps: Vec<T> = traces
            .iter()
            .map(|&t| match bound {
                Some(b) => b * t,
                None if t > T::zero() => T::infinity(),
                None => T::zero(),
            })
            .collect();
        let free_cols: Vec<usize> = (0..q)
            .filter(|&g| !group_penalized(pen, g))
            .flat_map(|g| groups.group(g).iter().copied())
            .collect();
        let gram = (quadratic
            && bound == Some(T::one())
            && free_cols.is_empty()
            && d.offset.is_none()
            && d.sparse().is_none()
            && match cfg.gram {
                None => d.n >= 2 * d.p && d.p <= 4096,
                Some(yes) => yes,
            })
        .then(|| GramForm::new(d));
        let lips: Vec<T> = group_lipschitzes(d, pen, b1, gram.as_ref())
            .into_iter()
            .zip(&traces)
            .map(|(l, &t)| (l * cfg.lip_scale).min(b1 * t))
            .collect();
        let base = if bound.is_none() {
            lips.clone()
        } else {
            Vec::new()
        };
        let proj =
            (with_projection && !free_cols.is_empty()).then(|| FreeProjection::new(d, free_cols));
        Self {
            lips,
            caps,
            proj,
            base,
            gram,
        }
    }
}

/// One solve at `alpha` from `start`, with the path's step constants, caps and projection
/// (`setup`, [`PathSetup`]; the safeguard's doubled step constants are written back). With `only`, only the groups marked `true` move (the
/// others stay at their start) and the certificate is the KKT violation of those groups and
/// the intercept (the null fit of [`GroupCd::alpha_max`]).
#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn run<T, X, P, F, O>(
    cfg: &GroupCd<T>,
    d: &GlmData<'_, T>,
    pb: &Problem<'_, T, X, P, F>,
    bound: Option<T>,
    setup: &mut PathSetup<T>,
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
    // With a curvature bound, `caps[g]` always majorizes and `lips[g]` only grows (the
    // sufficient-decrease safeguard below doubles it, up to the cap, when a step shows it too
    // small). Without one, each round restarts `lips` from the local bound (`base`).
    let PathSetup {
        lips,
        caps,
        proj,
        base,
        gram,
    } = setup;
    let caps: &[T] = caps;
    let proj = if only.is_none() { proj.as_ref() } else { None };
    let gram = if only.is_none() { gram.as_ref() } else { None };
    debug_assert_eq!(lips.len(), q);
    let mut xd = vec![T::zero(); n];
    let mut screened = vec![false; q];
    let mut n_screened = 0usize;
    let moves = |g: usize| only.is_none_or(|m| m[g]) && caps[g] > T::zero();

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
    if let Some(gm) = gram {
        // The intercept is optimal for every `w` (centered columns): `b₀` throughout.
        b = gm.b0;
    }
    let mut eta = vec![T::zero(); n];
    let mut raw = vec![T::zero(); n];
    // Without a curvature bound: `s̄_i ℓ(y_i, η_i)` per sample (the safeguard compares the
    // objective itself) and scratch for a trial step's values.
    let local = bound.is_none();
    let (mut lossv, mut lnew) = if local {
        (vec![T::zero(); n], vec![T::zero(); n])
    } else {
        (Vec::new(), Vec::new())
    };
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
    let mut accel = Anderson::new(cfg.anderson);
    let mut ws_feats: Vec<usize> = Vec::with_capacity(p);
    let (mut ws_acc, mut eta_acc): (Vec<T>, Vec<T>) = (Vec::new(), Vec::new());
    let termination;
    let cert;

    loop {
        // The linear predictor from scratch (no drift), the gradient and the certificate
        // (in the Gram mode the gradient from scratch, `Qw − c`).
        let mut c = if let Some(gm) = gram {
            gm.gradient_into(&w, &mut grad);
            gm.certify(pen, alpha, d, &w, &grad, &mut dist, &mut cu)
        } else {
            d.eta_into(&w, b, &mut eta);
            for i in 0..n {
                raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
            }
            if local {
                restart_local(d, f, &eta, base, lips, &mut lossv)?;
            }
            d.gradient_into(&raw, &mut grad);
            certify(
                d, f, pen, alpha, &w, &eta, &raw, &grad, &mut dist, &mut cu, &mut cv,
            )
        };
        if let Some(pr) = proj {
            // `certify` finds no dual point with an unpenalized group (its `u_U ≠ 0`).
            c.gap = projected_gap(d, f, pen, alpha, &w, &eta, &raw, pr, &mut cv, &mut cu);
            let scale = T::lit(2.0) * (d.f_null - d.f_sat);
            c.rel_gap = c.gap.map(|g| if scale > T::zero() { g / scale } else { g });
        }
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

        // Gap-safe screening (Ndiaye et al. 2017): `cu` holds the feasible dual point's
        // `u = −X̃ᵀS̄v` whenever there is a gap; the optimal `u*` lies within
        // `‖X̃_G‖_F·√(2·bound·gap)` of it on group `G` (the dual is `1/bound`-strongly concave in
        // `‖v‖_S̄`), and the penalty tells whether every `u_G` in that ball makes `w_G = 0`.
        if let (true, None, Some(gap), Some(bound)) = (cfg.screening, only, c.gap, bound) {
            let r = (T::lit(2.0) * bound * gap.max(T::zero())).sqrt();
            let mut zeroed = false;
            for g in 0..q {
                if screened[g] || !group_penalized(pen, g) || caps[g] <= T::zero() {
                    continue;
                }
                let members = groups.group(g);
                gbuf.clear();
                gbuf.extend(members.iter().map(|&j| cu[j]));
                let rho = r * (caps[g] / bound).sqrt();
                if pen.zero_is_safe_group(&gbuf, rho, alpha, g) {
                    screened[g] = true;
                    n_screened += members.len();
                    for &j in members {
                        zeroed |= w[j] != T::zero();
                        w[j] = T::zero();
                    }
                }
            }
            if let (true, Some(gm)) = (zeroed, gram) {
                gm.gradient_into(&w, &mut grad);
            } else if zeroed {
                d.eta_into(&w, b, &mut eta);
                for i in 0..n {
                    raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                }
            }
            // (Screening needs the bound: the local case never zeroes here, so its loss
            // values stay current.)
        }

        // Working set: the groups in the support and the worst violators (skglm's rule:
        // `max(working_set_size, 2·|support|)` groups); all moving groups without it.
        ws.clear();
        let n_moving = (0..q).filter(|&g| moves(g) && !screened[g]).count();
        if cfg.working_set && only.is_none() {
            let n_supp = (0..q)
                .filter(|&g| groups.group(g).iter().any(|&j| w[j] != T::zero()))
                .count();
            ws_size = ws_size.max(2 * n_supp).min(q);
            if widen {
                ws_size = (2 * ws_size).min(q);
            }
            scores.clear();
            for g in (0..q).filter(|&g| moves(g) && !screened[g]) {
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
            ws.extend((0..q).filter(|&g| moves(g) && !screened[g]));
        }
        let full = ws.len() == n_moving;
        let inner_tol = T::lit(0.3) * c.kkt.max(kkt_abs);
        ws_feats.clear();
        for &g in &ws {
            ws_feats.extend_from_slice(groups.group(g));
        }
        accel.reset(ws_feats.len());
        let mut first = true;
        let mut stuck = false;
        widen = false;

        // Epochs over the working set (each: its groups, then the intercept), until its largest
        // violation is below `inner_tol` or nothing moves.
        loop {
            let sweep = if let Some(gm) = gram {
                crate::simd::run(GramEpoch {
                    gm,
                    pen,
                    alpha,
                    ws: &ws,
                    lips: &mut lips[..],
                    caps,
                    w: &mut w,
                    grad: &mut grad,
                    gbuf: &mut gbuf,
                    wbuf: &mut wbuf,
                    vbuf: &mut vbuf,
                })
            } else {
                crate::simd::run(GroupEpoch {
                    d,
                    f,
                    pen,
                    alpha,
                    bound,
                    ws: &ws,
                    lips: &mut lips[..],
                    caps,
                    w: &mut w,
                    b: &mut b,
                    eta: &mut eta,
                    raw: &mut raw,
                    lossv: &mut lossv,
                    lnew: &mut lnew,
                    xd: &mut xd,
                    gbuf: &mut gbuf,
                    wbuf: &mut wbuf,
                    vbuf: &mut vbuf,
                })
            };
            let (worst, max_change, max_w) = (sweep.worst, sweep.max_change, sweep.max_w);
            n_updates += sweep.updates;
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
            if accel.enabled() && accel.push(&w, &ws_feats, 1) {
                ws_acc.resize(ws_feats.len(), T::zero());
                if accel.extrapolate(&mut ws_acc) {
                    if let Some(gm) = gram {
                        gm.try_extrapolated(
                            pen,
                            alpha,
                            &ws_feats,
                            &mut ws_acc,
                            &mut w,
                            &mut grad,
                            &mut eta_acc,
                        );
                    } else if try_extrapolated(
                        d,
                        f,
                        pen,
                        alpha,
                        &ws_feats,
                        &mut ws_acc,
                        &mut w,
                        &mut eta,
                        &mut eta_acc,
                    ) {
                        for i in 0..n {
                            raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                        }
                        if local {
                            for i in 0..n {
                                lossv[i] = d.sw[i] * f.loss(d.y[i], eta[i]);
                            }
                        }
                    }
                }
                accel.reset(ws_feats.len());
            }
        }
        stalls = if stuck { stalls + 1 } else { 0 };
    }
    let mut sol = d.solution(&w, b, &cert, epochs, n_updates, termination);
    sol.n_screened = n_screened;
    Ok((sol, Start { w, b }))
}

/// What one epoch over a working set reports.
struct EpochSweep<T> {
    /// The largest group KKT distance seen (before each group's step) and `|∂F/∂b|`.
    worst: T,
    /// The largest step, in `√L_G·‖Δ‖`.
    max_change: T,
    /// The largest coefficient, in `√L_G·|w_j|` (and `|b|`).
    max_w: T,
    /// Group steps taken (each safeguard retry counts).
    updates: usize,
}

/// One epoch of group steps over `ws` then the intercept step, run through
/// [`crate::simd::run`] so that its column kernels are compiled for the widest vector unit
/// the CPU has (the kernels fix their summation order: the same bits either way).
struct GroupEpoch<'a, 'd, T, P: ?Sized, F> {
    d: &'a GlmData<'d, T>,
    f: &'a F,
    pen: &'a P,
    alpha: T,
    bound: Option<T>,
    ws: &'a [usize],
    lips: &'a mut [T],
    caps: &'a [T],
    w: &'a mut [T],
    b: &'a mut T,
    eta: &'a mut [T],
    raw: &'a mut [T],
    lossv: &'a mut [T],
    lnew: &'a mut [T],
    xd: &'a mut [T],
    gbuf: &'a mut Vec<T>,
    wbuf: &'a mut Vec<T>,
    vbuf: &'a mut Vec<T>,
}

impl<T, P, F> crate::simd::Body for GroupEpoch<'_, '_, T, P, F>
where
    T: Scalar,
    P: GroupSeparablePenalty<T> + ?Sized,
    F: Datafit<T>,
{
    type Output = EpochSweep<T>;
    #[inline(always)]
    fn call(self) -> EpochSweep<T> {
        let GroupEpoch {
            d,
            f,
            pen,
            alpha,
            bound,
            ws,
            lips,
            caps,
            w,
            b,
            eta,
            raw,
            lossv,
            lnew,
            xd,
            gbuf,
            wbuf,
            vbuf,
        } = self;
        let n = d.n;
        let groups = pen.groups();
        let dense = d.sparse().is_none();
        let md_slack = T::one() + T::lit(1e3) * T::epsilon();
        let mut worst = T::zero();
        let mut max_change = T::zero();
        let mut max_w = b.abs();
        let mut updates = 0usize;
        for &g in ws {
            let members = groups.group(g);
            let rs = d.rsum(raw);
            wbuf.clear();
            gbuf.clear();
            if dense {
                // Four columns at a time: `raw` is read once per four (a block of `X̃_Gᵀr`).
                let mut quads = members.chunks_exact(4);
                for m in &mut quads {
                    gbuf.extend_from_slice(&dot4_off(
                        [d.col(m[0]), d.col(m[1]), d.col(m[2]), d.col(m[3])],
                        [
                            d.offsets[m[0]],
                            d.offsets[m[1]],
                            d.offsets[m[2]],
                            d.offsets[m[3]],
                        ],
                        raw,
                    ));
                }
                for &j in quads.remainder() {
                    gbuf.push(d.col_dot(j, raw, rs));
                }
            } else {
                gbuf.extend(members.iter().map(|&j| d.col_dot(j, raw, rs)));
            }
            wbuf.extend(members.iter().map(|&j| w[j]));
            let dg = pen.subdiff_distance_group(wbuf, gbuf, alpha, g);
            if dg > worst || dg.is_nan() {
                worst = dg;
            }
            // Sufficient decrease: the step from `L` decreases the objective when the
            // datafit's quadratic upper bound holds along it,
            // `F(w + Δ) − F(w) − ∇_G F·Δ ≤ (bound/2)‖X̃_G Δ‖²_S̄ ≤ (L/2)‖Δ‖²`; the first
            // inequality is the datafit's curvature bound, the second is checked on the
            // step. When it fails (the power-iteration `L` is below `bound·λ_max`), `L`
            // doubles (up to `caps[g]`, where it holds for every step) and the step is
            // redone from the same point.
            let mut l = lips[g];
            let mut change_sq;
            let mut doublings = 0usize;
            loop {
                vbuf.clear();
                vbuf.extend(wbuf.iter().zip(gbuf.iter()).map(|(&wj, &gj)| wj - gj / l));
                pen.prox_group(vbuf, alpha / l, g);
                updates += 1;
                change_sq = T::zero();
                for (&a, &b0) in vbuf.iter().zip(wbuf.iter()) {
                    change_sq += (a - b0) * (a - b0);
                }
                if change_sq == T::zero() {
                    break;
                }
                xd.iter_mut().for_each(|v| *v = T::zero());
                let mut done = 0;
                if dense {
                    // `X̃_G Δ` four columns at a time (`xd` read and written once per four).
                    for (k, m) in members.chunks_exact(4).enumerate() {
                        let k = 4 * k;
                        axpy4_off(
                            [
                                vbuf[k] - wbuf[k],
                                vbuf[k + 1] - wbuf[k + 1],
                                vbuf[k + 2] - wbuf[k + 2],
                                vbuf[k + 3] - wbuf[k + 3],
                            ],
                            [d.col(m[0]), d.col(m[1]), d.col(m[2]), d.col(m[3])],
                            [
                                d.offsets[m[0]],
                                d.offsets[m[1]],
                                d.offsets[m[2]],
                                d.offsets[m[3]],
                            ],
                            xd,
                        );
                        done = k + 4;
                    }
                }
                d.axpy_cols(
                    members
                        .iter()
                        .enumerate()
                        .skip(done)
                        .map(|(k, &j)| (j, vbuf[k] - wbuf[k]))
                        .filter(|&(_, a)| a != T::zero()),
                    xd,
                );
                if let Some(bound) = bound {
                    if l >= caps[g] {
                        break;
                    }
                    let quad: T = (0..n).map(|i| d.sw[i] * xd[i] * xd[i]).sum();
                    if bound * quad <= l * change_sq * md_slack || !quad.is_finite() {
                        break;
                    }
                    l = (l + l).min(caps[g]);
                } else {
                    // No curvature bound: the inequality is checked on the objective itself,
                    // `F(w + Δ) − F(w) ≤ ∇_G F·Δ + (L/2)‖Δ‖²` (up to its rounding), with the
                    // trial's per-sample losses kept for when it is taken.
                    let mut dl = T::zero();
                    let mut mag = T::zero();
                    for i in 0..n {
                        let v = d.sw[i] * f.loss(d.y[i], eta[i] + xd[i]);
                        lnew[i] = v;
                        dl += v - lossv[i];
                        mag += lossv[i].abs();
                    }
                    let lin: T = gbuf
                        .iter()
                        .zip(vbuf.iter().zip(wbuf.iter()))
                        .map(|(&gj, (&a, &b0))| gj * (a - b0))
                        .sum();
                    let room = lin + T::lit(0.5) * l * change_sq + T::lit(8.0) * T::epsilon() * mag;
                    if dl <= room {
                        break;
                    }
                    doublings += 1;
                    if doublings > 200 || !(l + l).is_finite() {
                        // No step of this group decreases the objective (rounding): stay.
                        vbuf.clear();
                        vbuf.extend_from_slice(wbuf);
                        change_sq = T::zero();
                        break;
                    }
                    l = l + l;
                }
            }
            lips[g] = l;
            for (k, &j) in members.iter().enumerate() {
                w[j] = vbuf[k];
                max_w = max_w.max(vbuf[k].abs() * l.sqrt());
            }
            if change_sq != T::zero() {
                for i in 0..n {
                    eta[i] += xd[i];
                    raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                }
                if bound.is_none() {
                    lossv.copy_from_slice(lnew);
                }
                max_change = max_change.max(change_sq.sqrt() * l.sqrt());
            }
        }
        if let (true, None) = (d.fit_intercept, bound) {
            let gb: T = raw.iter().copied().sum();
            worst = worst.max(gb.abs());
            let step = local_intercept_step(d, f, gb, eta, lossv, lnew);
            if step != T::zero() {
                *b += step;
                for i in 0..n {
                    eta[i] += step;
                    raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                }
                lossv.copy_from_slice(lnew);
                max_change = max_change.max(step.abs());
            }
        } else if let (true, Some(bound)) = (d.fit_intercept, bound) {
            let gb: T = raw.iter().copied().sum();
            worst = worst.max(gb.abs());
            let step = -gb / bound;
            if step != T::zero() {
                *b += step;
                for i in 0..n {
                    eta[i] += step;
                    raw[i] = d.sw[i] * f.deriv(d.y[i], eta[i]);
                }
                max_change = max_change.max(step.abs() * bound.sqrt());
            }
        }
        EpochSweep {
            worst,
            max_change,
            max_w,
            updates,
        }
    }
}

/// Least squares in Gram form (the Gram mode of [`GroupCd`]): `Q = X̃ᵀ S̄ X̃` (`p × p`,
/// column-major), `c = X̃ᵀ S̄ (y − b₀)` and `k = ½ Σ_i s̄_i (y_i − b₀)²`, with `b₀` the null
/// intercept (`0` without one), which is the optimal intercept for every `w` because the
/// columns are centered. Then `F(w) = ½ wᵀQw − cᵀw + k`, `∇F(w) = Qw − c`, and a group step
/// updates the gradient by `Q_{:,G}Δ` (`p·|G|` operations instead of `2n·|G|` on the rows).
struct GramForm<T> {
    q: Vec<T>,
    c: Vec<T>,
    k: T,
    b0: T,
    p: usize,
}

impl<T: Scalar> GramForm<T> {
    fn new(d: &GlmData<'_, T>) -> Self {
        let (n, p) = (d.n, d.p);
        let b0 = if d.fit_intercept {
            d.eta_null
        } else {
            T::zero()
        };
        let mut q = vec![T::zero(); p * p];
        let mut xk = vec![T::zero(); n];
        for k in 0..p {
            xk.iter_mut().for_each(|v| *v = T::zero());
            d.axpy_cols([(k, T::one())], &mut xk);
            for i in 0..n {
                xk[i] *= d.sw[i];
            }
            let rs = d.rsum(&xk);
            for j in k..p {
                let v = d.col_dot(j, &xk, rs);
                q[k * p + j] = v;
                q[j * p + k] = v;
            }
        }
        let yc: Vec<T> = (0..n).map(|i| d.sw[i] * (d.y[i] - b0)).collect();
        let rs = d.rsum(&yc);
        let c = (0..p).map(|j| d.col_dot(j, &yc, rs)).collect();
        let k = T::lit(0.5)
            * (0..n)
                .map(|i| d.sw[i] * (d.y[i] - b0) * (d.y[i] - b0))
                .sum::<T>();
        Self { q, c, k, b0, p }
    }

    fn col(&self, j: usize) -> &[T] {
        &self.q[j * self.p..(j + 1) * self.p]
    }

    /// `g = Qw − c`.
    fn gradient_into(&self, w: &[T], g: &mut [T]) {
        for (gj, &cj) in g.iter_mut().zip(&self.c) {
            *gj = -cj;
        }
        for (j, &wj) in w.iter().enumerate() {
            if wj != T::zero() {
                for (gi, &qi) in g.iter_mut().zip(self.col(j)) {
                    *gi += wj * qi;
                }
            }
        }
    }

    /// `F(w) = ½ wᵀ(g + c) − cᵀw + k = ½ wᵀg − ½ cᵀw + k` from `g = ∇F(w)` (never below 0).
    fn value(&self, w: &[T], g: &[T]) -> T {
        let mut a = T::zero();
        for ((&wj, &gj), &cj) in w.iter().zip(g).zip(&self.c) {
            a += wj * (gj - cj);
        }
        (T::lit(0.5) * a + self.k).max(T::zero())
    }

    /// [`certify`] in Gram form: the dual point `v = s·r` (`r = η − y`, whose weighted mean is
    /// 0 at `b₀`), `u = −s·∇F`, the same scaling into the dual ball; the datafit's
    /// Fenchel–Young term is `(1 − s)²·F(w)` (least squares: `½(y − η + v)²`).
    #[allow(clippy::too_many_arguments)]
    fn certify<P: GroupSeparablePenalty<T> + ?Sized>(
        &self,
        pen: &P,
        alpha: T,
        d: &GlmData<'_, T>,
        w: &[T],
        grad: &[T],
        dist: &mut [T],
        u: &mut Vec<T>,
    ) -> crate::glm::GlmCert<T> {
        let data_value = self.value(w, grad);
        let pen_value = if alpha == T::zero() {
            T::zero()
        } else {
            alpha * pen.value(w)
        };
        let objective = data_value + pen_value;
        let kkt = pen.subdiff_distance(w, grad, alpha, dist);
        u.clear();
        u.extend(grad.iter().map(|&g| -g));
        let s = pen.dual_feasible_scale(u, alpha);
        let gap = if s.is_finite() && s > T::zero() {
            let mut w_dot_u = T::zero();
            for (ui, &wi) in u.iter_mut().zip(w) {
                *ui *= s;
                w_dot_u += wi * *ui;
            }
            pen.conjugate(u, alpha).and_then(|conj| {
                let fy_pen = (pen_value + conj - w_dot_u).max(T::zero());
                let fy_data = (T::one() - s) * (T::one() - s) * data_value;
                let g = fy_data + fy_pen;
                g.is_finite().then_some(g)
            })
        } else {
            None
        };
        let scale = T::lit(2.0) * (d.f_null - d.f_sat);
        let rel_gap = gap.map(|g| if scale > T::zero() { g / scale } else { g });
        crate::glm::GlmCert {
            objective,
            gap,
            rel_gap,
            kkt,
        }
    }

    /// [`try_extrapolated`] in Gram form: `w` takes `ext` on `feats` when the objective is
    /// lower there, and `grad` moves with it; `g_acc` is scratch.
    #[allow(clippy::too_many_arguments)]
    fn try_extrapolated<P: GroupSeparablePenalty<T> + ?Sized>(
        &self,
        pen: &P,
        alpha: T,
        feats: &[usize],
        ext: &mut [T],
        w: &mut [T],
        grad: &mut Vec<T>,
        g_acc: &mut Vec<T>,
    ) -> bool {
        let objective = |w: &[T], g: &[T]| {
            let data = self.value(w, g);
            if alpha == T::zero() {
                data
            } else {
                data + alpha * pen.value(w)
            }
        };
        let before = objective(w, grad);
        g_acc.clear();
        g_acc.extend_from_slice(grad);
        for (&j, &e) in feats.iter().zip(ext.iter()) {
            let a = e - w[j];
            if a != T::zero() {
                for (gi, &qi) in g_acc.iter_mut().zip(self.col(j)) {
                    *gi += a * qi;
                }
            }
        }
        swap_in_if_lower(feats, ext, w, grad, g_acc, before, objective)
    }
}

/// One epoch of group steps over `ws` in Gram form ([`GroupEpoch`] on `Q` and the gradient;
/// no intercept step: `b₀` is optimal throughout).
struct GramEpoch<'a, T, P: ?Sized> {
    gm: &'a GramForm<T>,
    pen: &'a P,
    alpha: T,
    ws: &'a [usize],
    lips: &'a mut [T],
    caps: &'a [T],
    w: &'a mut [T],
    grad: &'a mut [T],
    gbuf: &'a mut Vec<T>,
    wbuf: &'a mut Vec<T>,
    vbuf: &'a mut Vec<T>,
}

impl<T, P> crate::simd::Body for GramEpoch<'_, T, P>
where
    T: Scalar,
    P: GroupSeparablePenalty<T> + ?Sized,
{
    type Output = EpochSweep<T>;
    #[inline(always)]
    fn call(self) -> EpochSweep<T> {
        let GramEpoch {
            gm,
            pen,
            alpha,
            ws,
            lips,
            caps,
            w,
            grad,
            gbuf,
            wbuf,
            vbuf,
        } = self;
        let groups = pen.groups();
        let md_slack = T::one() + T::lit(1e3) * T::epsilon();
        let mut worst = T::zero();
        let mut max_change = T::zero();
        let mut max_w = T::zero();
        let mut updates = 0usize;
        for &g in ws {
            let members = groups.group(g);
            gbuf.clear();
            gbuf.extend(members.iter().map(|&j| grad[j]));
            wbuf.clear();
            wbuf.extend(members.iter().map(|&j| w[j]));
            let dg = pen.subdiff_distance_group(wbuf, gbuf, alpha, g);
            if dg > worst || dg.is_nan() {
                worst = dg;
            }
            // Sufficient decrease as in `GroupEpoch` (bound 1): `ΔᵀQ_GGΔ ≤ L‖Δ‖²`.
            let mut l = lips[g];
            let mut change_sq;
            loop {
                vbuf.clear();
                vbuf.extend(wbuf.iter().zip(gbuf.iter()).map(|(&wj, &gj)| wj - gj / l));
                pen.prox_group(vbuf, alpha / l, g);
                updates += 1;
                change_sq = T::zero();
                for (&a, &b0) in vbuf.iter().zip(wbuf.iter()) {
                    change_sq += (a - b0) * (a - b0);
                }
                if change_sq == T::zero() || l >= caps[g] {
                    break;
                }
                let mut quad = T::zero();
                for (a, &ja) in members.iter().enumerate() {
                    let da = vbuf[a] - wbuf[a];
                    if da == T::zero() {
                        continue;
                    }
                    let qa = gm.col(ja);
                    let mut row = T::zero();
                    for (b, &jb) in members.iter().enumerate() {
                        row += qa[jb] * (vbuf[b] - wbuf[b]);
                    }
                    quad += da * row;
                }
                if quad <= l * change_sq * md_slack || !quad.is_finite() {
                    break;
                }
                l = (l + l).min(caps[g]);
            }
            lips[g] = l;
            for (k, &j) in members.iter().enumerate() {
                w[j] = vbuf[k];
                max_w = max_w.max(vbuf[k].abs() * l.sqrt());
            }
            if change_sq != T::zero() {
                for (k, &j) in members.iter().enumerate() {
                    let a = vbuf[k] - wbuf[k];
                    if a != T::zero() {
                        for (gi, &qi) in grad.iter_mut().zip(gm.col(j)) {
                            *gi += a * qi;
                        }
                    }
                }
                max_change = max_change.max(change_sq.sqrt() * l.sqrt());
            }
        }
        EpochSweep {
            worst,
            max_change,
            max_w,
            updates,
        }
    }
}

/// Without a curvature bound, at the start of a round: the per-sample losses `s̄_i ℓ(y_i, η_i)`
/// and every group's step constant from the local curvature bound,
/// `L_G = λ_max(X̃_Gᵀ S̄ X̃_G)·max_i ℓ''(y_i, η_i)` (rows of weight `0` excluded), which
/// majorizes the datafit's curvature on the group at this iterate (the safeguard doubles it
/// where a step leaves the region where it does).
fn restart_local<T: Scalar, F: Datafit<T>>(
    d: &GlmData<'_, T>,
    f: &F,
    eta: &[T],
    base: &[T],
    lips: &mut [T],
    lossv: &mut [T],
) -> Result<()> {
    let mut hmax = T::zero();
    for i in 0..d.n {
        lossv[i] = d.sw[i] * f.loss(d.y[i], eta[i]);
        if d.sw[i] > T::zero() {
            let h = f.hessian(d.y[i], eta[i]);
            if h > hmax || h.is_nan() {
                hmax = h;
            }
        }
    }
    if !hmax.is_finite() {
        return Err(Error::Numerical {
            what: "group coordinate descent (GroupCd)",
            reason: "the datafit's curvature is not finite at the iterate (data too large for this datafit)",
        });
    }
    let h = if hmax > T::zero() { hmax } else { T::one() };
    for (l, &b) in lips.iter_mut().zip(base) {
        *l = b * h;
    }
    Ok(())
}

/// Without a curvature bound: the intercept's Newton step `−∂F/∂b / Σ s̄_i ℓ''(y_i, η_i)`,
/// halved until it decreases the objective by at least half its linear prediction (Armijo);
/// `0` when no halving does (rounding). `lnew` holds the per-sample losses at the step taken.
fn local_intercept_step<T: Scalar, F: Datafit<T>>(
    d: &GlmData<'_, T>,
    f: &F,
    gb: T,
    eta: &[T],
    lossv: &[T],
    lnew: &mut [T],
) -> T {
    let h: T = (0..d.n).map(|i| d.sw[i] * f.hessian(d.y[i], eta[i])).sum();
    let mut step = if h > T::zero() { -gb / h } else { -gb };
    if step == T::zero() || !step.is_finite() {
        return T::zero();
    }
    for _ in 0..64 {
        let mut dl = T::zero();
        let mut mag = T::zero();
        for i in 0..d.n {
            let v = d.sw[i] * f.loss(d.y[i], eta[i] + step);
            lnew[i] = v;
            dl += v - lossv[i];
            mag += lossv[i].abs();
        }
        if dl <= T::lit(0.5) * step * gb + T::lit(8.0) * T::epsilon() * mag {
            return step;
        }
        step *= T::lit(0.5);
    }
    T::zero()
}

/// An Anderson step: `w` takes the extrapolated working-set coefficients `ext` (indexed like
/// `feats`) when the objective `Σ s̄_i ℓ(y_i, η_i) + α·g(w)` is lower there, and `eta` moves with
/// it (true); otherwise `w` and `eta` are left as they were (false). `ext` and `eta_acc` are
/// scratch.
#[allow(clippy::too_many_arguments)]
fn try_extrapolated<T, P, F>(
    d: &GlmData<'_, T>,
    f: &F,
    pen: &P,
    alpha: T,
    feats: &[usize],
    ext: &mut [T],
    w: &mut [T],
    eta: &mut Vec<T>,
    eta_acc: &mut Vec<T>,
) -> bool
where
    T: Scalar,
    P: GroupSeparablePenalty<T> + ?Sized,
    F: Datafit<T>,
{
    let objective = |w: &[T], eta: &[T]| {
        let data: T = (0..d.n).map(|i| d.sw[i] * f.loss(d.y[i], eta[i])).sum();
        if alpha == T::zero() {
            data
        } else {
            data + alpha * pen.value(w)
        }
    };
    let before = objective(w, eta);
    eta_acc.clear();
    eta_acc.extend_from_slice(eta);
    d.axpy_cols(
        feats
            .iter()
            .zip(ext.iter())
            .map(|(&j, &a)| (j, a - w[j]))
            .filter(|&(_, a)| a != T::zero()),
        eta_acc,
    );
    swap_in_if_lower(feats, ext, w, eta, eta_acc, before, objective)
}

/// The end of an Anderson step: `w` takes `ext` on `feats` and `state` (the linear predictor,
/// or the Gram mode's gradient) takes `acc`, the state at `ext`, when `objective` there is below
/// `before` (true); otherwise both are left as they were (false; `ext` then holds junk).
fn swap_in_if_lower<T: Scalar>(
    feats: &[usize],
    ext: &mut [T],
    w: &mut [T],
    state: &mut Vec<T>,
    acc: &mut Vec<T>,
    before: T,
    objective: impl Fn(&[T], &[T]) -> T,
) -> bool {
    // Swap in the extrapolated coefficients (`ext` keeps the current ones).
    for (&j, e) in feats.iter().zip(ext.iter_mut()) {
        core::mem::swap(&mut w[j], e);
    }
    if objective(w, acc) < before {
        core::mem::swap(state, acc);
        true
    } else {
        for (&j, &e) in feats.iter().zip(ext.iter()) {
            w[j] = e;
        }
        false
    }
}

/// The `S̄`-orthogonal projection off the span of the unpenalized columns `X̃_U`:
/// `v ← v − X̃_U c` with `(X̃_Uᵀ S̄ X̃_U) c = X̃_Uᵀ S̄ v` (Cholesky of the Gram matrix, computed
/// once per path; a column whose pivot shows it (numerically) in the span of the earlier
/// ones is left out, which changes nothing in exact arithmetic).
struct FreeProjection<T> {
    cols: Vec<usize>,
    /// Lower Cholesky factor, row-major `k × k`; a dropped column has a zero row.
    chol: Vec<T>,
    keep: Vec<bool>,
}

impl<T: Scalar> FreeProjection<T> {
    fn new(d: &GlmData<'_, T>, cols: Vec<usize>) -> Self {
        let k = cols.len();
        let mut gram = vec![T::zero(); k * k];
        let mut xa = vec![T::zero(); d.n];
        for a in 0..k {
            xa.iter_mut().for_each(|v| *v = T::zero());
            d.axpy_cols([(cols[a], T::one())], &mut xa);
            for i in 0..d.n {
                xa[i] *= d.sw[i];
            }
            let rs = d.rsum(&xa);
            for bcol in 0..=a {
                let v = d.col_dot(cols[bcol], &xa, rs);
                gram[a * k + bcol] = v;
                gram[bcol * k + a] = v;
            }
        }
        let mut chol = vec![T::zero(); k * k];
        let mut keep = vec![false; k];
        let tiny = T::lit(100.0) * T::epsilon();
        for a in 0..k {
            let mut diag = gram[a * k + a];
            for m in 0..a {
                diag -= chol[a * k + m] * chol[a * k + m];
            }
            let independent = diag.is_finite() && diag > tiny * gram[a * k + a];
            if !independent {
                continue;
            }
            keep[a] = true;
            let la = diag.sqrt();
            chol[a * k + a] = la;
            for c in (a + 1)..k {
                let mut v = gram[c * k + a];
                for m in 0..a {
                    v -= chol[c * k + m] * chol[a * k + m];
                }
                chol[c * k + a] = v / la;
            }
        }
        Self { cols, chol, keep }
    }

    /// Projects `v` in place (`sv` is scratch of length `n`).
    fn project(&self, d: &GlmData<'_, T>, v: &mut [T], sv: &mut Vec<T>) {
        let k = self.cols.len();
        sv.clear();
        sv.extend(v.iter().zip(&d.sw).map(|(&a, &s)| a * s));
        let rs = d.rsum(sv);
        let mut c: Vec<T> = self.cols.iter().map(|&j| d.col_dot(j, sv, rs)).collect();
        // L z = rhs, then Lᵀ c = z, on the kept columns.
        for a in 0..k {
            if !self.keep[a] {
                c[a] = T::zero();
                continue;
            }
            let mut t = c[a];
            for m in 0..a {
                t -= self.chol[a * k + m] * c[m];
            }
            c[a] = t / self.chol[a * k + a];
        }
        for a in (0..k).rev() {
            if !self.keep[a] {
                continue;
            }
            let mut t = c[a];
            for m in (a + 1)..k {
                t -= self.chol[m * k + a] * c[m];
            }
            c[a] = t / self.chol[a * k + a];
        }
        for e in v.iter_mut() {
            *e = -*e;
        }
        d.axpy_cols(self.cols.iter().zip(&c).map(|(&j, &a)| (j, a)), v);
        for e in v.iter_mut() {
            *e = -*e;
        }
    }
}

/// The duality gap at `w` with unpenalized groups: the dual point is `ℓ'(y_i, η_i)` shifted to
/// `Σ s̄_i v_i = 0` (the intercept's constraint), projected `S̄`-orthogonally off the
/// unpenalized columns (their constraint `X̃_Uᵀ S̄ v = 0`; the columns are centered, so the
/// shift survives), then scaled by the largest `s ≤ 1` that keeps `s·v` in the datafit's dual
/// domain and `s·u` (`u = −X̃ᵀS̄v`) in the penalty's dual ball. At the optimum the projection
/// removes nothing (the gradient vanishes on the free groups) and the gap is zero.
///
/// `None` (KKT-only certificate) when the projection leaves `|u_j|` above `√ε·‖x̃_j‖·‖v‖`
/// on a free column (numerically collinear free columns), when the dual domain does not
/// contain 0 or when a conjugate is missing. On success `u` holds the scaled `u` (zero on the
/// free columns), as [`certify`] leaves it.
#[allow(clippy::too_many_arguments)]
fn projected_gap<T, P, F>(
    d: &GlmData<'_, T>,
    f: &F,
    pen: &P,
    alpha: T,
    w: &[T],
    eta: &[T],
    raw: &[T],
    proj: &FreeProjection<T>,
    v: &mut Vec<T>,
    u: &mut Vec<T>,
) -> Option<T>
where
    T: Scalar,
    P: GroupSeparablePenalty<T> + ?Sized,
    F: Datafit<T>,
{
    let n = d.n;
    let delta = if d.fit_intercept {
        raw.iter().copied().sum::<T>()
    } else {
        T::zero()
    };
    v.clear();
    v.extend((0..n).map(|i| f.deriv(d.y[i], eta[i]) - delta));
    let v_norm = (0..n).map(|i| d.sw[i] * v[i] * v[i]).sum::<T>().sqrt();
    let mut sv = Vec::with_capacity(n);
    proj.project(d, v, &mut sv);
    sv.clear();
    sv.extend(v.iter().zip(&d.sw).map(|(&a, &s)| a * s));
    let rs = d.rsum(&sv);
    u.clear();
    u.extend((0..d.p).map(|j| -d.col_dot(j, &sv, rs)));
    let tol = T::epsilon().sqrt() * v_norm;
    for &j in &proj.cols {
        let orthogonal = u[j].abs() <= tol * d.col_sq[j].sqrt();
        if !orthogonal {
            return None;
        }
        u[j] = T::zero();
    }
    // The largest scale keeping every `s·v_i` in the dual domain (which contains 0).
    let mut s = pen.dual_feasible_scale(u, alpha).min(T::one());
    for i in 0..n {
        let (lo, hi) = f.dual_domain(d.y[i]);
        if !(lo <= T::zero() && T::zero() <= hi) {
            return None;
        }
        if v[i] > hi {
            s = s.min(hi / v[i]);
        } else if v[i] < lo {
            s = s.min(lo / v[i]);
        }
    }
    if !(s.is_finite() && s > T::zero()) {
        return None;
    }
    let mut w_dot_u = T::zero();
    for (ui, &wi) in u.iter_mut().zip(w) {
        *ui *= s;
        w_dot_u += wi * *ui;
    }
    let pen_value = if alpha == T::zero() {
        T::zero()
    } else {
        alpha * pen.value(w)
    };
    let conj = pen.conjugate(u, alpha)?;
    if !conj.is_finite() {
        return None;
    }
    let fy_pen = (pen_value + conj - w_dot_u).max(T::zero());
    let mut fy_data = T::zero();
    for i in 0..n {
        if d.sw[i] > T::zero() {
            fy_data += d.sw[i] * f.fenchel_young(d.y[i], eta[i], s * v[i])?;
        }
    }
    fy_data.is_finite().then_some(fy_data + fy_pen)
}
