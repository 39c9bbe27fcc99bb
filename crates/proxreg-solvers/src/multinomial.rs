//! The multinomial (softmax) family: proximal Newton on `K` classes (see
//! [`MultinomialSolver`]).

use proxreg_core::error::{ensure_all_finite, ensure_nonneg_finite};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, DesignMatrix, SparseColumns};

use crate::Termination;

/// The multinomial problem: design, class indices, weights and penalty (see the
/// [`MultinomialSolver`] docs for the objective).
///
/// ```
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{MultinomialProblem, MultinomialSolver};
/// let x = ColMajor::from_fn(30, 2, |i, j| ((i * (j + 2)) % 7) as f64 - 3.0);
/// let y: Vec<usize> = (0..30).map(|i| i % 3).collect();
/// let pb = MultinomialProblem::new(&x, &y, 3)?.alpha(0.05).l1_ratio(0.5);
/// let sol = MultinomialSolver::new().tol(1e-10).solve(&pb, None)?;
/// assert_eq!(sol.coef.len(), 2 * 3);
/// assert!(sol.kkt_violation < 1e-8);
/// # Ok::<(), proxreg_core::Error>(())
/// ```
#[derive(Debug)]
pub struct MultinomialProblem<'a, T, X: ?Sized> {
    x: &'a X,
    y: &'a [usize],
    k: usize,
    weights: Option<&'a [T]>,
    alpha: T,
    l1_ratio: T,
    grouped: bool,
    fit_intercept: bool,
    standardize: bool,
}

impl<T: Copy, X: ?Sized> Clone for MultinomialProblem<'_, T, X> {
    fn clone(&self) -> Self {
        Self { ..*self }
    }
}

impl<'a, T: Scalar, X: DesignMatrix<T> + ?Sized> MultinomialProblem<'a, T, X> {
    /// A problem on `x` (`n × p`) with class indices `y[i] < k`; `α = 1`, `ρ = 1`, entrywise,
    /// with intercepts, no weights.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for `y.len() != n`; [`Error::InvalidParameter`] for
    /// `k < 2`; [`Error::IndexOutOfRange`] for a class index `>= k`; [`Error::Empty`] for an
    /// empty design.
    pub fn new(x: &'a X, y: &'a [usize], k: usize) -> Result<Self> {
        proxreg_core::error::ensure_nonempty_design(x.nrows(), x.ncols())?;
        if y.len() != x.nrows() {
            return Err(Error::DimensionMismatch {
                what: "y length vs X rows",
                expected: x.nrows(),
                found: y.len(),
            });
        }
        if k < 2 {
            return Err(Error::InvalidParameter {
                name: "n_classes",
                value: k as f64,
                expected: ">= 2",
            });
        }
        if let Some(index) = y.iter().position(|&c| c >= k) {
            return Err(Error::IndexOutOfRange {
                what: "classes",
                index,
                len: k,
            });
        }
        Ok(Self {
            x,
            y,
            k,
            weights: None,
            alpha: T::one(),
            l1_ratio: T::one(),
            grouped: false,
            fit_intercept: true,
            standardize: false,
        })
    }

    /// Sample weights `s_i >= 0` (validated at solve time).
    #[must_use]
    pub fn sample_weight(mut self, w: Option<&'a [T]>) -> Self {
        self.weights = w;
        self
    }
    /// The overall strength `α >= 0`.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// The mix `ρ ∈ [0, 1]`.
    #[must_use]
    pub fn l1_ratio(mut self, rho: T) -> Self {
        self.l1_ratio = rho;
        self
    }
    /// The grouped penalty (one `ℓ2` group per feature) instead of the entrywise one.
    #[must_use]
    pub fn grouped(mut self, yes: bool) -> Self {
        self.grouped = yes;
        self
    }
    /// Whether to fit the unpenalised intercepts (else `b = 0`).
    #[must_use]
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.fit_intercept = yes;
        self
    }

    /// Whether to penalise the standardized columns `x_j/σ_j` (`σ_j` the weighted population
    /// standard deviation around the weighted mean with intercepts, the weighted root mean
    /// square without; a column with `σ_j = 0` gets a zero coefficient). The solution is
    /// returned on the original scale; the certificates are those of the standardized problem.
    #[must_use]
    pub fn standardize(mut self, yes: bool) -> Self {
        self.standardize = yes;
        self
    }

    fn validate(&self) -> Result<()> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        let rho = self.l1_ratio;
        if !(rho >= T::zero() && rho <= T::one()) {
            return Err(Error::InvalidParameter {
                name: "l1_ratio",
                value: rho.as_f64(),
                expected: "a number in [0, 1]",
            });
        }
        if let Some(s) = self.weights {
            if s.len() != self.x.nrows() {
                return Err(Error::DimensionMismatch {
                    what: "sample_weight length vs X rows",
                    expected: self.x.nrows(),
                    found: s.len(),
                });
            }
            for &v in s {
                ensure_nonneg_finite("sample_weight", v)?;
            }
        }
        Ok(())
    }
}

/// Settings of the multinomial proximal Newton solver.
///
/// Objective (`W` is `p × K`, stored row-major: `W[j·K + k]`; `b ∈ R^K`; `a_i = s_i/m`,
/// `m = Σ s_i`):
///
/// `F(W, b) = Σ_i a_i·(logsumexp(η_i) − η_{i,y_i}) + α·g(W)`, `η_i = Wᵀx_i + b`,
///
/// with `g(W) = ρ‖W‖₁ + ½(1−ρ)‖W‖²_F` (entrywise) or `g(W) = ρ Σ_j ‖W_j·‖₂ + ½(1−ρ)‖W‖²_F`
/// (grouped: one group per feature, its `K` coefficients).
///
/// **Algorithm.** Each outer iteration builds the exact second-order model of the data term at
/// the current point (gradient `G = Xᵀ(A(P − Y))`, Hessian blocks `a_i·(diag(p_i) − p_i p_iᵀ)`)
/// and minimises model + penalty by coordinate descent. The entrywise penalty's coordinate
/// `(j, k)` uses the model's exact gradient `G_jk + Σ_i a_i x_ij p_ik (δη_ik − u_i)`,
/// `u_i = p_iᵀδη_i`, and its exact curvature `Σ_i a_i x_ij² p_ik(1 − p_ik)`: `O(n)` a coordinate
/// with `δη` and `u` kept up to date (no diagonal approximation of the Hessian, whose failure to
/// converge on simple problems scikit-learn PR #34681 reports). The grouped penalty updates a
/// feature's `K` coefficients at once with the `ℓ2` block prox under the scalar majorant
/// `Σ_i a_i x_ij²·min(max_k p_ik, max_k 2p_ik(1 − p_ik))` of that block's Hessian
/// (`diag(p) − ppᵀ ≼ diag(p)` and Gershgorin). The intercepts are coordinates of the same model
/// with `x_ij = 1`. A backtracking (Armijo) line search on the true objective follows; the
/// intercepts are then shifted to sum to zero (the objective is invariant to `b → b + c·1`).
///
/// **Certificates.** The KKT violation (largest distance of the gradient to minus the
/// subdifferential, over the entries or rows of `W` and the intercepts) always; the duality
/// gap for `α > 0`: the dual point is `Θ_i = −s·a_i·(p_i − e_{y_i} − ḡ_b)` (the intercepts'
/// gradient `ḡ_b` subtracted so that its columns sum to zero), `s` rescaling into the
/// conjugate's domain when `ρ = 1`; the gap is the sum of the Fenchel–Young gaps
/// `Σ_i a_i·KL(q_i ‖ p_i)`, `q_i = e_{y_i} + s(p_i − e_{y_i} − ḡ_b)`, and that of the penalty,
/// both non-negative (no cancellation). When the shift leaves some `q_i` outside the simplex
/// (a probability below the intercept gradient, possible far from the optimum) the gap is not
/// reported for that point and the KKT violation alone judges it.
///
/// **Stopping rule** (as the other solvers of this crate): the relative gap
/// `gap / (2·F_null)` (`F_null` the objective of the null model: `W = 0`, intercepts at the
/// log class shares, i.e. half the null deviance) at most `tol` **and** the KKT violation at
/// most `kkt_tol·‖G_null‖` (the null model's gradient, `‖·‖_∞` entrywise or the largest row
/// norm grouped; at least `64·ε` times it). Otherwise the solver stops at `max_iter`
/// ([`Termination::MaxIterReached`]), when the line search finds no decrease
/// ([`Termination::Stalled`]) or when the model's coordinate descent returns a zero step
/// ([`Termination::RoundingFloor`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialSolver<T> {
    tol: T,
    kkt_tol: Option<T>,
    max_iter: usize,
    max_inner: usize,
}

impl<T: Scalar> Default for MultinomialSolver<T> {
    fn default() -> Self {
        Self {
            tol: T::lit(1e-4),
            kkt_tol: None,
            max_iter: 200,
            max_inner: 200,
        }
    }
}

/// The solution of a [`MultinomialProblem`] with its certificates.
#[derive(Debug, Clone, PartialEq)]
pub struct MultinomialSolution<T> {
    /// `W`, `p × K` row-major: `coef[j·K + k]` is feature `j`'s coefficient for class `k`.
    pub coef: Vec<T>,
    /// `b` (`K`), summing to zero (all zero without intercepts).
    pub intercept: Vec<T>,
    /// The objective `F(W, b)`.
    pub objective: T,
    /// The duality gap (`None` for `α = 0`, or when the dual point of the last iterate was
    /// not feasible; see the [`MultinomialSolver`] docs).
    pub duality_gap: Option<T>,
    /// The gap relative to the null deviance `2·F(0, b_null)`: what `tol` bounds.
    pub relative_gap: Option<T>,
    /// The largest KKT violation (absolute).
    pub kkt_violation: T,
    /// The KKT violation relative to the gradient at the null model (what `kkt_tol` bounds).
    pub relative_kkt: T,
    /// Newton iterations.
    pub n_iter: usize,
    /// How the solver stopped.
    pub termination: Termination,
}

impl<T: Scalar> MultinomialSolver<T> {
    /// Default settings: `tol = 1e-4`, at most 200 Newton iterations of at most 200 inner
    /// epochs.
    pub fn new() -> Self {
        Self::default()
    }
    /// The relative duality gap to reach.
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.tol = tol;
        self
    }
    /// The KKT tolerance relative to the null model's gradient (defaults to `tol`).
    #[must_use]
    pub fn kkt_tol(mut self, kkt_tol: Option<T>) -> Self {
        self.kkt_tol = kkt_tol;
        self
    }
    /// Maximal Newton iterations.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Maximal inner coordinate-descent epochs per Newton iteration.
    #[must_use]
    pub fn max_inner(mut self, max_inner: usize) -> Self {
        self.max_inner = max_inner;
        self
    }

    fn check(&self) -> Result<()> {
        proxreg_core::error::ensure_positive_finite("tol", self.tol)?;
        if let Some(k) = self.kkt_tol {
            proxreg_core::error::ensure_positive_finite("kkt_tol", k)?;
        }
        if self.max_iter == 0 {
            return Err(Error::InvalidParameter {
                name: "max_iter",
                value: 0.0,
                expected: ">= 1",
            });
        }
        Ok(())
    }

    /// Solves `pb`, from `warm = (W, b)` when given (`p·K` row-major and `K` values).
    ///
    /// # Errors
    /// Invalid parameters or weights, NaN/inf in `X`, weights that leave fewer than two
    /// classes with positive weight ([`Error::InvalidTarget`]), warm starts of the wrong
    /// length, and a non-finite objective ([`Error::Numerical`]).
    pub fn solve<X: DesignMatrix<T> + ?Sized>(
        &self,
        pb: &MultinomialProblem<'_, T, X>,
        warm: Option<(&[T], &[T])>,
    ) -> Result<MultinomialSolution<T>> {
        self.check()?;
        pb.validate()?;
        let owned;
        let cols = match Cols::of(pb.x)? {
            Some(c) => c,
            None => {
                owned = pb.x.to_col_major();
                Cols::dense_of(&owned)?
            }
        };
        let data = Data::new(pb, cols)?;
        let (p, k) = (data.p, data.k);
        let (mut w, mut b) = (vec![T::zero(); p * k], data.b_null.clone());
        if let Some((w0, b0)) = warm {
            if w0.len() != p * k {
                return Err(Error::DimensionMismatch {
                    what: "warm-start coefficients vs p × K",
                    expected: p * k,
                    found: w0.len(),
                });
            }
            if b0.len() != k {
                return Err(Error::DimensionMismatch {
                    what: "warm-start intercepts vs K",
                    expected: k,
                    found: b0.len(),
                });
            }
            ensure_all_finite("warm-start coefficients", w0)?;
            ensure_all_finite("warm-start intercepts", b0)?;
            // The warm start is on the original scale; the solver works on the scaled one.
            for (t, (wv, &w0v)) in w.iter_mut().zip(w0).enumerate() {
                let sc = data.scale[t / k];
                *wv = if sc > T::zero() { w0v / sc } else { T::zero() };
            }
            if pb.fit_intercept {
                b.copy_from_slice(b0);
            }
        }
        data.run(self, &mut w, &mut b)
    }
}

/// `alpha_max`: the smallest `α` whose solution has `W = 0`, from the gradient at the null
/// model (`W = 0`, intercepts at the weighted log class shares, or `0` without intercepts):
/// `max |G_jk| / ρ` (entrywise) or `max_j ‖G_j·‖₂ / ρ` (grouped). The problem's own `α` is
/// not used.
///
/// ```
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{multinomial_alpha_max, MultinomialProblem, MultinomialSolver};
/// let x = ColMajor::from_fn(30, 2, |i, j| ((i * (j + 2)) % 7) as f64 - 3.0);
/// let y: Vec<usize> = (0..30).map(|i| i % 3).collect();
/// let pb = MultinomialProblem::new(&x, &y, 3)?;
/// let amax = multinomial_alpha_max(&pb)?;
/// let sol = MultinomialSolver::new().solve(&pb.alpha(amax), None)?;
/// assert!(sol.coef.iter().all(|&v| v == 0.0));
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// # Errors
/// As [`MultinomialSolver::solve`]; [`Error::Unsupported`] for `ρ = 0` (no finite value).
pub fn multinomial_alpha_max<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    pb: &MultinomialProblem<'_, T, X>,
) -> Result<T> {
    let pb = pb.clone().alpha(T::zero());
    pb.validate()?;
    if pb.l1_ratio == T::zero() {
        return Err(Error::Unsupported {
            what: "alpha_max with l1_ratio = 0",
            reason: "a ridge penalty never sets every coefficient to zero",
        });
    }
    let owned;
    let cols = match Cols::of(pb.x)? {
        Some(c) => c,
        None => {
            owned = pb.x.to_col_major();
            Cols::dense_of(&owned)?
        }
    };
    let data = Data::new(&pb, cols)?;
    Ok(data.g0_norm / pb.l1_ratio)
}

/// The columns of `X`: borrowed contiguous slices, or a CSC's stored entries.
enum Cols<'a, T> {
    Dense(Vec<&'a [T]>),
    Sparse(SparseColumns<'a, T>),
}

impl<'a, T: Scalar> Cols<'a, T> {
    /// The columns without a copy, when the layout allows (`None`: copy first).
    fn of<X: DesignMatrix<T> + ?Sized>(x: &'a X) -> Result<Option<Self>> {
        if let Some(sp) = x.sparse_columns() {
            ensure_all_finite("X", sp.values())?;
            return Ok(Some(Cols::Sparse(sp)));
        }
        let slices: Vec<&[T]> = (0..x.ncols()).filter_map(|j| x.col_slice(j)).collect();
        if slices.len() != x.ncols() || slices.iter().any(|c| c.len() != x.nrows()) {
            return Ok(None);
        }
        check_finite_cols(&slices)?;
        Ok(Some(Cols::Dense(slices)))
    }

    fn dense_of(x: &'a ColMajor<T>) -> Result<Self> {
        let slices: Vec<&[T]> = (0..x.ncols()).map(|j| x.col(j)).collect();
        check_finite_cols(&slices)?;
        Ok(Cols::Dense(slices))
    }

    /// Calls `f(i, x_ij)` for the (stored) entries of column `j`.
    #[inline]
    fn for_col(&self, j: usize, mut f: impl FnMut(usize, T)) {
        match self {
            Cols::Dense(c) => {
                for (i, &v) in c[j].iter().enumerate() {
                    f(i, v);
                }
            }
            Cols::Sparse(sp) => {
                let (rows, vals) = (sp.row_idx(), sp.values());
                for t in sp.col_range(j) {
                    f(rows.get(t), vals[t]);
                }
            }
        }
    }
}

fn check_finite_cols<T: Scalar>(cols: &[&[T]]) -> Result<()> {
    let n = cols.first().map_or(0, |c| c.len());
    for (j, c) in cols.iter().enumerate() {
        if let Some(i) = c.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "X",
                index: j * n + i,
            });
        }
    }
    Ok(())
}

/// The prepared problem.
struct Data<'a, T> {
    cols: Cols<'a, T>,
    y: &'a [usize],
    n: usize,
    p: usize,
    k: usize,
    /// `a_i = s_i / m`.
    a: Vec<T>,
    alpha: T,
    rho: T,
    grouped: bool,
    fit_intercept: bool,
    /// Column scales `1/σ_j` (all 1 without standardization; 0 for a constant column).
    scale: Vec<T>,
    /// Weighted column means `Σ_i a_i x_ij` (the dual point's intercept shift).
    xbar: Vec<T>,
    /// Null model's intercepts and objective.
    b_null: Vec<T>,
    f_null: T,
    /// `‖G(null)‖_∞` (entrywise) or `max_j ‖G_j·(null)‖₂` (grouped).
    g0_norm: T,
}

/// Work arrays of one outer iteration (`n × K` arrays column-major: `[k·n + i]`).
struct Work<T> {
    eta: Vec<T>,
    eta_try: Vec<T>,
    prob: Vec<T>,
    /// `a_i (p_ik − y_ik)`.
    raw: Vec<T>,
    grad: Vec<T>,
    gb: Vec<T>,
}

impl<'a, T: Scalar> Data<'a, T> {
    fn new<X: DesignMatrix<T> + ?Sized>(
        pb: &MultinomialProblem<'a, T, X>,
        cols: Cols<'a, T>,
    ) -> Result<Self> {
        let (n, p, k) = (pb.x.nrows(), pb.x.ncols(), pb.k);
        let a: Vec<T> = match pb.weights {
            Some(s) => {
                let m: T = s.iter().copied().sum();
                if m <= T::zero() || !m.is_finite() {
                    return Err(Error::InvalidParameter {
                        name: "sample_weight",
                        value: m.as_f64(),
                        expected: "at least one weight > 0 and a finite sum",
                    });
                }
                s.iter().map(|&v| v / m).collect()
            }
            None => vec![T::one() / T::from_count(n); n],
        };
        let mut share = vec![T::zero(); k];
        for (i, &c) in pb.y.iter().enumerate() {
            share[c] += a[i];
        }
        if share.iter().filter(|&&v| v > T::zero()).count() < 2 {
            return Err(Error::InvalidTarget {
                datafit: "multinomial",
                index: None,
                reason: "fewer than two classes with positive weight: the model needs two",
            });
        }
        let mut xbar = vec![T::zero(); p];
        let mut scale = vec![T::one(); p];
        for (j, xb) in xbar.iter_mut().enumerate() {
            let mut sq = T::zero();
            cols.for_col(j, |i, v| {
                *xb += a[i] * v;
                sq += a[i] * v * v;
            });
            if pb.standardize {
                let var = if pb.fit_intercept {
                    (sq - *xb * *xb).max(T::zero())
                } else {
                    sq
                };
                let sd = var.sqrt();
                scale[j] = if sd > T::zero() {
                    T::one() / sd
                } else {
                    T::zero()
                };
                *xb *= scale[j];
            }
        }
        // Null model: W = 0, b = log(share) (centred over the classes present) with an
        // intercept; b = 0 (uniform probabilities) without. A class absent from the data has
        // no finite null intercept: it is given a probability of 1e-6 of the smallest share.
        let (b_null, f_null) = if pb.fit_intercept {
            let min_pos = share
                .iter()
                .copied()
                .filter(|&v| v > T::zero())
                .fold(T::infinity(), T::min);
            let lp: Vec<T> = share
                .iter()
                .map(|&v| {
                    if v > T::zero() {
                        v.ln()
                    } else {
                        (min_pos * T::lit(1e-6)).ln()
                    }
                })
                .collect();
            let mean = lp.iter().copied().sum::<T>() / T::from_count(k);
            let f: T = share
                .iter()
                .filter(|&&v| v > T::zero())
                .map(|&v| -v * v.ln())
                .sum();
            (lp.iter().map(|&v| v - mean).collect(), f)
        } else {
            (vec![T::zero(); k], T::from_count(k).ln())
        };
        let mut d = Self {
            cols,
            y: pb.y,
            n,
            p,
            k,
            a,
            alpha: pb.alpha,
            rho: pb.l1_ratio,
            grouped: pb.grouped,
            fit_intercept: pb.fit_intercept,
            scale,
            xbar,
            b_null,
            f_null,
            g0_norm: T::zero(),
        };
        let mut wk = d.work();
        let w0 = vec![T::zero(); p * k];
        let b0 = d.b_null.clone();
        d.eta_into(&w0, &b0, &mut wk.eta);
        d.loss_and_gradient(&mut wk);
        d.g0_norm = d.block_norms(&wk.grad).fold(T::zero(), T::max);
        Ok(d)
    }

    /// Calls `f(i, z_ij)` for the (stored) entries of the (scaled) column `j`.
    #[inline]
    fn for_col(&self, j: usize, mut f: impl FnMut(usize, T)) {
        let sc = self.scale[j];
        if sc == T::one() {
            self.cols.for_col(j, f);
        } else if sc != T::zero() {
            self.cols.for_col(j, |i, x| f(i, x * sc));
        }
    }

    fn work(&self) -> Work<T> {
        let nk = self.n * self.k;
        Work {
            eta: vec![T::zero(); nk],
            eta_try: vec![T::zero(); nk],
            prob: vec![T::zero(); nk],
            raw: vec![T::zero(); nk],
            grad: vec![T::zero(); self.p * self.k],
            gb: vec![T::zero(); self.k],
        }
    }

    /// The entries' absolute values (entrywise) or the rows' `ℓ2` norms (grouped).
    fn block_norms<'b>(&'b self, g: &'b [T]) -> Box<dyn Iterator<Item = T> + 'b> {
        if self.grouped {
            Box::new(g.chunks(self.k).map(norm2))
        } else {
            Box::new(g.iter().map(|v| v.abs()))
        }
    }

    fn eta_into(&self, w: &[T], b: &[T], eta: &mut [T]) {
        let (n, k) = (self.n, self.k);
        for (kk, &bk) in b.iter().enumerate() {
            eta[kk * n..(kk + 1) * n].iter_mut().for_each(|e| *e = bk);
        }
        for j in 0..self.p {
            let row = &w[j * k..(j + 1) * k];
            if row.iter().all(|&v| v == T::zero()) {
                continue;
            }
            self.for_col(j, |i, x| {
                for (kk, &wv) in row.iter().enumerate() {
                    eta[kk * n + i] += wv * x;
                }
            });
        }
    }

    /// Probabilities, `raw = A(P − Y)`, gradient and intercept gradient at `wk.eta`; returns
    /// the data term.
    fn loss_and_gradient(&self, wk: &mut Work<T>) -> T {
        let (n, k) = (self.n, self.k);
        let mut total = T::zero();
        for i in 0..n {
            let mx = (0..k)
                .map(|c| wk.eta[c * n + i])
                .fold(T::neg_infinity(), T::max);
            let mut se = T::zero();
            for c in 0..k {
                let e = (wk.eta[c * n + i] - mx).exp();
                wk.prob[c * n + i] = e;
                se += e;
            }
            for c in 0..k {
                wk.prob[c * n + i] /= se;
                let yv = if self.y[i] == c { T::one() } else { T::zero() };
                wk.raw[c * n + i] = self.a[i] * (wk.prob[c * n + i] - yv);
            }
            if self.a[i] > T::zero() {
                total += self.a[i] * (mx + se.ln() - wk.eta[self.y[i] * n + i]);
            }
        }
        for j in 0..self.p {
            let g = &mut wk.grad[j * k..(j + 1) * k];
            g.iter_mut().for_each(|v| *v = T::zero());
            let raw = &wk.raw;
            self.for_col(j, |i, x| {
                for (c, gv) in g.iter_mut().enumerate() {
                    *gv += x * raw[c * n + i];
                }
            });
        }
        for c in 0..k {
            wk.gb[c] = wk.raw[c * n..(c + 1) * n].iter().copied().sum();
        }
        total
    }

    fn penalty(&self, w: &[T]) -> T {
        if self.alpha == T::zero() {
            return T::zero();
        }
        let l1: T = if self.grouped {
            w.chunks(self.k).map(norm2).sum()
        } else {
            w.iter().map(|v| v.abs()).sum()
        };
        let l2: T = w.iter().map(|&v| v * v).sum();
        self.alpha * (self.rho * l1 + T::lit(0.5) * (T::one() - self.rho) * l2)
    }

    /// `Σ_i a_i [ℓ(η_i + t·δ_i) − ℓ(η_i)]` from the probabilities at `η`, without cancellation:
    /// `log1p(Σ_k p_ik·expm1(t·δ_ik)) − t·δ_{i,y_i}`.
    fn loss_change(&self, prob: &[T], deta: &[T], t: T) -> T {
        let (n, k) = (self.n, self.k);
        let mut total = T::zero();
        for i in 0..n {
            if self.a[i] == T::zero() {
                continue;
            }
            let s: T = (0..k)
                .map(|c| prob[c * n + i] * (t * deta[c * n + i]).exp_m1())
                .sum();
            total += self.a[i] * (s.ln_1p() - t * deta[self.y[i] * n + i]);
        }
        total
    }

    /// `α·[g(w + t·d) − g(w)]`, entry by entry (row by row grouped).
    fn penalty_change(&self, w: &[T], d: &[T], t: T) -> T {
        if self.alpha == T::zero() {
            return T::zero();
        }
        let (lam, r, half) = (
            self.alpha * self.rho,
            self.alpha * (T::one() - self.rho),
            T::lit(0.5),
        );
        let ridge: T = w
            .iter()
            .zip(d)
            .map(|(&a, &b)| half * r * t * b * (a + a + t * b))
            .sum();
        // Both without cancellation: ‖a + tb‖ − ‖a‖ = (2t·a·b + t²‖b‖²)/(‖a + tb‖ + ‖a‖), and
        // |a + tb| − |a| = sign(a)·tb while the sign does not change.
        let l1: T = if self.grouped {
            w.chunks(self.k)
                .zip(d.chunks(self.k))
                .map(|(a, b)| {
                    let moved: Vec<T> = a.iter().zip(b).map(|(&u, &v)| u + t * v).collect();
                    let den = norm2(&moved) + norm2(a);
                    if den == T::zero() {
                        return T::zero();
                    }
                    let num: T = a
                        .iter()
                        .zip(b)
                        .map(|(&u, &v)| t * v * (u + u + t * v))
                        .sum();
                    num / den
                })
                .sum()
        } else {
            w.iter()
                .zip(d)
                .map(|(&a, &b)| {
                    let m = a + t * b;
                    if (a > T::zero() && m >= T::zero()) || (a < T::zero() && m <= T::zero()) {
                        a.signum() * t * b
                    } else {
                        m.abs() - a.abs()
                    }
                })
                .sum()
        };
        lam * l1 + ridge
    }

    /// The KKT violation at `w` with gradient `grad` and intercept gradient `gb`.
    fn kkt(&self, w: &[T], grad: &[T], gb: &[T]) -> T {
        let (k, lam, r) = (
            self.k,
            self.alpha * self.rho,
            self.alpha * (T::one() - self.rho),
        );
        let mut worst = if self.fit_intercept {
            gb.iter().fold(T::zero(), |m, v| m.max(v.abs()))
        } else {
            T::zero()
        };
        for j in 0..self.p {
            let (wj, gj) = (&w[j * k..(j + 1) * k], &grad[j * k..(j + 1) * k]);
            let v = if self.grouped {
                block_violation(wj, gj, lam, r)
            } else {
                wj.iter()
                    .zip(gj)
                    .map(|(&wv, &gv)| entry_violation(wv, gv, lam, r))
                    .fold(T::zero(), T::max)
            };
            worst = worst.max(v);
        }
        worst
    }

    /// The duality gap at the current point (see [`MultinomialSolver`]); `None` for `α = 0` or an
    /// infeasible dual point.
    fn gap(&self, w: &[T], wk: &Work<T>) -> Option<T> {
        if self.alpha == T::zero() {
            return None;
        }
        let (n, k, p) = (self.n, self.k, self.p);
        let (lam, r) = (self.alpha * self.rho, self.alpha * (T::one() - self.rho));
        let shift: Vec<T> = if self.fit_intercept {
            wk.gb.clone()
        } else {
            vec![T::zero(); k]
        };
        // G' = Xᵀ A (P − Y − 1 shiftᵀ) = G − x̄ shiftᵀ.
        let gp: Vec<T> = (0..p * k)
            .map(|t| wk.grad[t] - self.xbar[t / k] * shift[t % k])
            .collect();
        let s = if r > T::zero() {
            T::one()
        } else {
            let mx = self.block_norms(&gp).fold(T::zero(), T::max);
            if mx > lam {
                lam / mx
            } else {
                T::one()
            }
        };
        // The penalty's Fenchel–Young gap with Z = −s G'.
        let mut fy_pen = T::zero();
        for j in 0..p {
            let wj = &w[j * k..(j + 1) * k];
            let zj: Vec<T> = gp[j * k..(j + 1) * k].iter().map(|&g| -s * g).collect();
            if self.grouped {
                let nz = norm2(&zj);
                let conj = if r > T::zero() {
                    let e = (nz - lam).max(T::zero());
                    e * e / (T::lit(2.0) * r)
                } else {
                    T::zero()
                };
                let nw = norm2(wj);
                let wz: T = wj.iter().zip(&zj).map(|(&a, &b)| a * b).sum();
                let val = lam * nw + T::lit(0.5) * r * nw * nw + conj - wz;
                fy_pen += val.max(T::zero());
            } else {
                for (&wv, &zv) in wj.iter().zip(&zj) {
                    let conj = if r > T::zero() {
                        let e = (zv.abs() - lam).max(T::zero());
                        e * e / (T::lit(2.0) * r)
                    } else {
                        T::zero()
                    };
                    let val = lam * wv.abs() + T::lit(0.5) * r * wv * wv + conj - wv * zv;
                    fy_pen += val.max(T::zero());
                }
            }
        }
        // The data's: Σ_i a_i KL(q_i ‖ p_i), q_i = e_y + s (p_i − e_y − shift).
        let mut fy_data = T::zero();
        for i in 0..n {
            if self.a[i] == T::zero() {
                continue;
            }
            let mx = (0..k)
                .map(|c| wk.eta[c * n + i])
                .fold(T::neg_infinity(), T::max);
            let lse = mx
                + (0..k)
                    .map(|c| (wk.eta[c * n + i] - mx).exp())
                    .sum::<T>()
                    .ln();
            let mut kl = T::zero();
            for (c, &sh) in shift.iter().enumerate() {
                let yv = if self.y[i] == c { T::one() } else { T::zero() };
                let q = yv + s * (wk.prob[c * n + i] - yv - sh);
                if q < T::zero() {
                    return None;
                }
                if q > T::zero() {
                    kl += q * (q.ln() - (wk.eta[c * n + i] - lse));
                }
            }
            fy_data += self.a[i] * kl.max(T::zero());
        }
        let g = fy_data + fy_pen;
        g.is_finite().then_some(g)
    }

    #[allow(clippy::too_many_lines)] // one Newton iteration: model, inner CD, line search
    fn run(
        &self,
        cfg: &MultinomialSolver<T>,
        w: &mut [T],
        b: &mut [T],
    ) -> Result<MultinomialSolution<T>> {
        let (n, p, k) = (self.n, self.p, self.k);
        let (lam, r) = (self.alpha * self.rho, self.alpha * (T::one() - self.rho));
        let g0 = if self.g0_norm > T::zero() {
            self.g0_norm
        } else {
            T::one()
        };
        let kkt_tol = cfg.kkt_tol.unwrap_or(cfg.tol);
        let floor = T::lit(64.0) * T::epsilon() * g0;
        let kkt_abs = (kkt_tol * g0).max(floor);
        let mut wk = self.work();
        self.eta_into(w, b, &mut wk.eta);
        let mut ap = vec![T::zero(); n * k];
        let mut curv = vec![T::zero(); p * k];
        let mut lips = vec![T::zero(); p];
        let mut cmaj = vec![T::zero(); n];
        let mut cb = vec![T::zero(); k];
        let mut dw = vec![T::zero(); p * k];
        let mut db = vec![T::zero(); k];
        let mut deta = vec![T::zero(); n * k];
        let mut u = vec![T::zero(); n];
        let mut gj = vec![T::zero(); k];
        // Grouped block update buffers (the block's current value and its gradient step).
        let mut old = vec![T::zero(); k];
        let mut v = vec![T::zero(); k];
        let mut termination = Termination::MaxIterReached;
        let mut last;
        let mut it = 0;
        loop {
            let data_val = self.loss_and_gradient(&mut wk);
            let objective = data_val + self.penalty(w);
            if !objective.is_finite() {
                return Err(Error::Numerical {
                    what: "multinomial prox-Newton",
                    reason: "the objective is not finite",
                });
            }
            let kkt = self.kkt(w, &wk.grad, &wk.gb);
            let gap = self.gap(w, &wk);
            let rel_gap = gap.map(|g| g / (T::lit(2.0) * self.f_null));
            last = (objective, gap, rel_gap, kkt);
            if rel_gap.is_none_or(|g| g <= cfg.tol) && kkt <= kkt_abs {
                termination = Termination::Converged;
                break;
            }
            if it == cfg.max_iter {
                break;
            }
            it += 1;

            // The quadratic model.
            for i in 0..n {
                let (mut pmax, mut gmax) = (T::zero(), T::zero());
                for c in 0..k {
                    let pr = wk.prob[c * n + i];
                    ap[c * n + i] = self.a[i] * pr;
                    pmax = pmax.max(pr);
                    gmax = gmax.max(T::lit(2.0) * pr * (T::one() - pr));
                }
                cmaj[i] = self.a[i] * pmax.min(gmax);
            }
            for j in 0..p {
                let cj = &mut curv[j * k..(j + 1) * k];
                cj.iter_mut().for_each(|v| *v = T::zero());
                let mut l = T::zero();
                let (prob, ap) = (&wk.prob, &ap);
                self.for_col(j, |i, x| {
                    let x2 = x * x;
                    for (c, cv) in cj.iter_mut().enumerate() {
                        *cv += x2 * ap[c * n + i] * (T::one() - prob[c * n + i]);
                    }
                    l += x2 * cmaj[i];
                });
                // Three upper bounds of the block's largest eigenvalue: per-sample (above),
                // Gershgorin on the summed block (2·max_k of its diagonal) and diag(p) ≽ H.
                if !self.grouped {
                    continue;
                }
                let gmax = cj.iter().fold(T::zero(), |m, &v| m.max(T::lit(2.0) * v));
                let dsum = &mut gj;
                dsum.iter_mut().for_each(|v| *v = T::zero());
                self.for_col(j, |i, x| {
                    for (c, dv) in dsum.iter_mut().enumerate() {
                        *dv += x * x * ap[c * n + i];
                    }
                });
                let dmax = dsum.iter().fold(T::zero(), |m, &v| m.max(v));
                lips[j] = l.min(gmax).min(dmax);
            }
            for (c, cbv) in cb.iter_mut().enumerate() {
                *cbv = (0..n)
                    .map(|i| ap[c * n + i] * (T::one() - wk.prob[c * n + i]))
                    .sum();
            }
            dw.iter_mut().for_each(|v| *v = T::zero());
            db.iter_mut().for_each(|v| *v = T::zero());
            deta.iter_mut().for_each(|v| *v = T::zero());
            u.iter_mut().for_each(|v| *v = T::zero());
            let inner_tol = T::lit(0.3) * kkt.max(kkt_abs);

            for _epoch in 0..cfg.max_inner {
                let mut worst = T::zero();
                for j in 0..p {
                    // The model's gradient of feature j's K coordinates.
                    if self.grouped {
                        gj.copy_from_slice(&wk.grad[j * k..(j + 1) * k]);
                        self.for_col(j, |i, x| {
                            for (c, g) in gj.iter_mut().enumerate() {
                                *g += x * ap[c * n + i] * (deta[c * n + i] - u[i]);
                            }
                        });
                        for (c, o) in old.iter_mut().enumerate() {
                            *o = w[j * k + c] + dw[j * k + c];
                        }
                        worst = worst.max(block_violation(&old, &gj, lam, r));
                        let l = lips[j];
                        let den = l + r;
                        if den <= T::zero() {
                            continue;
                        }
                        for ((vc, &o), &g) in v.iter_mut().zip(&old).zip(&gj) {
                            *vc = l * o - g;
                        }
                        let nv = norm2(&v);
                        let shrink = if nv > lam {
                            (T::one() - lam / nv) / den
                        } else {
                            T::zero()
                        };
                        for c in 0..k {
                            gj[c] = v[c] * shrink - old[c];
                        }
                        if gj.iter().all(|&d| d == T::zero()) {
                            continue;
                        }
                        for c in 0..k {
                            dw[j * k + c] += gj[c];
                        }
                        let prob = &wk.prob;
                        self.for_col(j, |i, x| {
                            let mut du = T::zero();
                            for (c, &d) in gj.iter().enumerate() {
                                deta[c * n + i] += d * x;
                                du += prob[c * n + i] * d * x;
                            }
                            u[i] += du;
                        });
                    } else {
                        for c in 0..k {
                            let t = j * k + c;
                            let mut g = wk.grad[t];
                            self.for_col(j, |i, x| {
                                g += x * ap[c * n + i] * (deta[c * n + i] - u[i]);
                            });
                            let old = w[t] + dw[t];
                            worst = worst.max(entry_violation(old, g, lam, r));
                            let h = curv[t];
                            let den = h + r;
                            if den <= T::zero() {
                                continue;
                            }
                            let new = soft(h * old - g, lam) / den;
                            let d = new - old;
                            if d == T::zero() {
                                continue;
                            }
                            dw[t] += d;
                            let prob = &wk.prob;
                            self.for_col(j, |i, x| {
                                deta[c * n + i] += d * x;
                                u[i] += prob[c * n + i] * d * x;
                            });
                        }
                    }
                    // The model is flat along W_j· + c·1 (the softmax Hessian maps 1 to 0, and
                    // Σ_k G_jk = 0): the best such shift minimises the penalty alone. Without
                    // this step coordinate descent crawls along that direction, whose only
                    // curvature is the ridge part α(1 − ρ).
                    if self.alpha > T::zero() {
                        for c in 0..k {
                            gj[c] = w[j * k + c] + dw[j * k + c];
                        }
                        let sh = best_shift(&gj, lam, r, self.grouped);
                        if sh != T::zero() {
                            for c in 0..k {
                                dw[j * k + c] += sh;
                            }
                            self.for_col(j, |i, x| {
                                for c in 0..k {
                                    deta[c * n + i] += sh * x;
                                }
                                u[i] += sh * x;
                            });
                        }
                    }
                }
                if self.fit_intercept {
                    for c in 0..k {
                        let g = wk.gb[c]
                            + (0..n)
                                .map(|i| ap[c * n + i] * (deta[c * n + i] - u[i]))
                                .sum::<T>();
                        worst = worst.max(g.abs());
                        if cb[c] <= T::zero() {
                            continue;
                        }
                        let d = -g / cb[c];
                        if d == T::zero() {
                            continue;
                        }
                        db[c] += d;
                        for i in 0..n {
                            deta[c * n + i] += d;
                            u[i] += wk.prob[c * n + i] * d;
                        }
                    }
                }
                if worst <= inner_tol {
                    break;
                }
            }

            if db.iter().chain(&dw).all(|&v| v == T::zero()) {
                termination = Termination::RoundingFloor;
                break;
            }
            // Backtracking line search on F. The changes of the loss and of the penalty are
            // computed as sums of per-sample / per-entry changes (log1p / expm1), accurate to
            // the size of the change and not to that of the objective: near the optimum the
            // decrease is far below the rounding of F itself.
            let lin: T = wk.raw.iter().zip(&deta).map(|(&a, &d)| a * d).sum();
            let decrease = lin + self.penalty_change(w, &dw, T::one());
            let mut t = T::one();
            let mut accepted = false;
            let noise = T::lit(16.0) * T::epsilon() * objective.abs();
            for _ in 0..60 {
                let lhs = self.loss_change(&wk.prob, &deta, t) + self.penalty_change(w, &dw, t);
                // The last clause: a full step whose change is within the rounding of F (the
                // accurate sums above make it rare).
                if lhs <= T::lit(1e-4) * t * decrease.min(T::zero())
                    || (t == T::one() && (lhs <= T::zero() || lhs.abs() <= noise))
                {
                    accepted = true;
                    break;
                }
                t *= T::lit(0.5);
            }
            if !accepted {
                termination = Termination::Stalled;
                break;
            }
            for (e, (&e0, &d)) in wk.eta_try.iter_mut().zip(wk.eta.iter().zip(&deta)) {
                *e = e0 + t * d;
            }
            let w_try: Vec<T> = w.iter().zip(&dw).map(|(&a, &d)| a + t * d).collect();
            w.copy_from_slice(&w_try);
            for (bv, &d) in b.iter_mut().zip(&db) {
                *bv += t * d;
            }
            core::mem::swap(&mut wk.eta, &mut wk.eta_try);
            // Intercepts summing to zero (the softmax is invariant to a common shift).
            if self.fit_intercept {
                let mean = b.iter().copied().sum::<T>() / T::from_count(k);
                if mean != T::zero() {
                    b.iter_mut().for_each(|v| *v -= mean);
                    wk.eta.iter_mut().for_each(|v| *v -= mean);
                }
            }
        }
        let (objective, duality_gap, relative_gap, kkt_violation) = last;
        if !(w.iter().chain(b.iter()).all(|v| v.is_finite())) {
            return Err(Error::Numerical {
                what: "multinomial prox-Newton",
                reason: "the coefficients are not finite",
            });
        }
        let coef = w
            .iter()
            .enumerate()
            .map(|(t, &v)| v * self.scale[t / k])
            .collect();
        Ok(MultinomialSolution {
            coef,
            intercept: b.to_vec(),
            objective,
            duality_gap,
            relative_gap,
            kkt_violation,
            relative_kkt: kkt_violation / g0,
            n_iter: it,
            termination,
        })
    }
}

/// The shift `c` minimising `φ(c) = λ·Σ_k |v_k + c| + (r/2)·Σ_k (v_k + c)²` (entrywise) or
/// `λ‖v + c·1‖₂ + (r/2)‖v + c·1‖²` (grouped: `c = −mean(v)`); `0` unless it lowers `φ` by more
/// than rounding.
fn best_shift<T: Scalar>(v: &[T], lam: T, r: T, grouped: bool) -> T {
    let k = T::from_count(v.len());
    let phi = |c: T| -> T {
        if grouped {
            let sh: Vec<T> = v.iter().map(|&a| a + c).collect();
            let nv = norm2(&sh);
            lam * nv + T::lit(0.5) * r * nv * nv
        } else {
            v.iter()
                .map(|&a| lam * (a + c).abs() + T::lit(0.5) * r * (a + c) * (a + c))
                .sum()
        }
    };
    let sum: T = v.iter().copied().sum();
    let mut best = T::zero();
    let mut best_val = phi(T::zero());
    let floor = T::lit(4.0) * T::epsilon() * best_val.abs();
    let mut consider = |c: T| {
        if c.is_finite() {
            let val = phi(c);
            if val < best_val {
                best_val = val;
                best = c;
            }
        }
    };
    if grouped {
        consider(-sum / k);
    } else {
        let mut t: Vec<T> = v.iter().map(|&a| -a).collect();
        t.sort_by(|a, b| a.partial_cmp(b).unwrap_or(core::cmp::Ordering::Equal));
        for &c in &t {
            consider(c);
        }
        if r > T::zero() {
            // On the interval with `m` breakpoints below c, φ' = r(Σv + Kc) + λ(2m − K).
            for m in 0..=t.len() {
                let c = -(sum + lam * (T::from_count(2 * m) - k) / r) / k;
                let lo = if m == 0 { T::neg_infinity() } else { t[m - 1] };
                let hi = if m == t.len() { T::infinity() } else { t[m] };
                consider(c.max(lo).min(hi));
            }
        }
    }
    if phi(T::zero()) - best_val > floor {
        best
    } else {
        T::zero()
    }
}

fn norm2<T: Scalar>(v: &[T]) -> T {
    // Scaled to avoid overflow of the squares.
    let mx = v.iter().fold(T::zero(), |m, x| m.max(x.abs()));
    if mx == T::zero() || !mx.is_finite() {
        return mx;
    }
    mx * v.iter().map(|&x| (x / mx) * (x / mx)).sum::<T>().sqrt()
}

#[inline]
fn soft<T: Scalar>(v: T, lam: T) -> T {
    if v > lam {
        v - lam
    } else if v < -lam {
        v + lam
    } else {
        T::zero()
    }
}

/// Distance of `−(g + r·w)` to `lam·∂|w|`.
#[inline]
fn entry_violation<T: Scalar>(w: T, g: T, lam: T, r: T) -> T {
    let g = g + r * w;
    if w > T::zero() {
        (g + lam).abs()
    } else if w < T::zero() {
        (g - lam).abs()
    } else {
        (g.abs() - lam).max(T::zero())
    }
}

/// Distance of `−(g + r·w)` to `lam·∂‖w‖₂`.
fn block_violation<T: Scalar>(w: &[T], g: &[T], lam: T, r: T) -> T {
    let nw = norm2(w);
    let v: Vec<T> = w.iter().zip(g).map(|(&a, &b)| b + r * a).collect();
    if nw > T::zero() {
        let e: Vec<T> = v.iter().zip(w).map(|(&a, &b)| a + lam * b / nw).collect();
        norm2(&e)
    } else {
        (norm2(&v) - lam).max(T::zero())
    }
}
