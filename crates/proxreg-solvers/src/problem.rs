//! The problem a solver solves, and its prepared (centered, weighted) form.

use proxreg_core::datafit::Quadratic;
use proxreg_core::error::{ensure_all_finite, ensure_nonneg_finite};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::{ColMajor, DesignMatrix, Parallelism};

use crate::kernels::{axpy_off, dot_off, sq_norm, sq_norm_off};

/// A penalised least-squares problem:
///
/// `minimise (1/(2m)) Σ_i s_i ‖y_i − x_iᵀW − b‖² + alpha · g(W)`
///
/// with `m = Σ_i s_i` (`= n` without sample weights), an unpenalised intercept `b` when
/// `fit_intercept` is set, and `k = n_tasks` targets (`k = 1`: the usual single-task problem).
///
/// Layouts: `y` holds the `n × k` targets **column-major** (task `t` is `y[t*n .. (t+1)*n]`);
/// coefficients are `p × k` **row-major** (feature `j` is `w[j*k .. (j+1)*k]`), so for `k = 1`
/// both are plain vectors.
///
/// ```
/// use proxreg_core::penalty::L1;
/// use proxreg_linalg::ColMajor;
/// use proxreg_solvers::{CoordinateDescent, Problem, Solver};
/// let x = ColMajor::from_fn(4, 2, |i, j| (i * (j + 1)) as f64);
/// let y = [0.0, 1.0, 2.0, 3.1];
/// let pb = Problem::new(&x, &y, &L1, 0.01).fit_intercept(true);
/// let sol = CoordinateDescent::default().solve(&pb, None, &mut ())?;
/// assert!(sol.converged());
/// # Ok::<(), proxreg_core::Error>(())
/// ```
///
/// The loss is the fifth type parameter, a [`Datafit`](proxreg_core::datafit::Datafit): [`Quadratic`] (least squares) unless
/// [`Problem::datafit`] sets another, e.g. [`Logistic`](proxreg_core::datafit::Logistic) for
/// sparse logistic regression, which [`ProxNewton`](crate::ProxNewton) solves:
/// `minimise (1/m) Σ_i s_i ℓ(y_i, x_iᵀw + b) + alpha · g(w)`.
#[derive(Debug)]
pub struct Problem<'a, T, X: ?Sized, P: ?Sized, F = Quadratic> {
    pub(crate) x: &'a X,
    pub(crate) y: &'a [T],
    pub(crate) penalty: &'a P,
    pub(crate) alpha: T,
    pub(crate) fit_intercept: bool,
    pub(crate) sample_weight: Option<&'a [T]>,
    pub(crate) n_tasks: usize,
    pub(crate) standardize: bool,
    pub(crate) offset: Option<&'a [T]>,
    pub(crate) datafit: F,
}

impl<T, X: ?Sized, P: ?Sized, F: Copy> Clone for Problem<'_, T, X, P, F>
where
    T: Copy,
{
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Copy, X: ?Sized, P: ?Sized, F: Copy> Copy for Problem<'_, T, X, P, F> {}

impl<'a, T: Scalar, X: DesignMatrix<T> + ?Sized, P: ?Sized> Problem<'a, T, X, P> {
    /// A single-task least-squares problem without intercept or weights.
    pub fn new(x: &'a X, y: &'a [T], penalty: &'a P, alpha: T) -> Self {
        Self {
            x,
            y,
            penalty,
            alpha,
            fit_intercept: false,
            sample_weight: None,
            n_tasks: 1,
            standardize: false,
            offset: None,
            datafit: Quadratic,
        }
    }
}

impl<'a, T: Scalar, X: DesignMatrix<T> + ?Sized, P: ?Sized, F> Problem<'a, T, X, P, F> {
    /// The same problem with another datafit (loss).
    ///
    /// ```
    /// use proxreg_core::datafit::Logistic;
    /// use proxreg_core::penalty::L1;
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::{Problem, ProxNewton, Solver};
    /// let x = ColMajor::from_fn(6, 2, |i, j| ((i * 7 + j * 3) % 5) as f64 - 2.0);
    /// let y = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0];
    /// let pb = Problem::new(&x, &y, &L1, 0.01).fit_intercept(true).datafit(Logistic);
    /// let sol = ProxNewton::default().solve(&pb, None, &mut ())?;
    /// assert!(sol.converged());
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    #[must_use]
    pub fn datafit<G>(self, datafit: G) -> Problem<'a, T, X, P, G> {
        Problem {
            x: self.x,
            y: self.y,
            penalty: self.penalty,
            alpha: self.alpha,
            fit_intercept: self.fit_intercept,
            sample_weight: self.sample_weight,
            n_tasks: self.n_tasks,
            standardize: self.standardize,
            offset: self.offset,
            datafit,
        }
    }

    /// The datafit.
    pub fn datafit_ref(&self) -> &F {
        &self.datafit
    }

    /// Fit an unpenalised intercept (by centering; weighted centering with sample weights).
    #[must_use]
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.fit_intercept = yes;
        self
    }

    /// Sample weights `s_i >= 0` (not all zero); the data term becomes `(1/(2Σs)) Σ s_i r_i²`.
    #[must_use]
    pub fn sample_weight(mut self, weights: Option<&'a [T]>) -> Self {
        self.sample_weight = weights;
        self
    }

    /// A known per-sample offset `o` in the linear predictor, `η = Xw + b + o` (not fitted, not
    /// penalised): Poisson's log exposure, `o_i = log t_i`, models the rate `E[y_i]/t_i`. Read
    /// by the generic-datafit solvers ([`ProxNewton`](crate::ProxNewton),
    /// [`GlmCd`](crate::GlmCd), [`ProxGradient`](crate::ProxGradient)); the least-squares
    /// solvers refuse it (subtract it from `y` instead).
    ///
    /// ```
    /// use proxreg_core::datafit::Poisson;
    /// use proxreg_core::penalty::L1;
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::{Problem, ProxNewton, Solver};
    /// let x = ColMajor::from_fn(30, 2, |i, j| ((i * 7 + j * 3) % 5) as f64 / 2.0 - 1.0);
    /// let y: Vec<f64> = (0..30).map(|i| ((i * 5) % 4) as f64).collect();
    /// let exposure: Vec<f64> = (0..30).map(|i| 0.5 + (i % 3) as f64).collect();
    /// let offset: Vec<f64> = exposure.iter().map(|t| t.ln()).collect();
    /// let pb = Problem::new(&x, &y, &L1, 0.01)
    ///     .fit_intercept(true)
    ///     .offset(Some(&offset))
    ///     .datafit(Poisson);
    /// let sol = ProxNewton::default().tol(1e-10).solve(&pb, None, &mut ())?;
    /// assert!(sol.converged());
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    #[must_use]
    pub fn offset(mut self, offset: Option<&'a [T]>) -> Self {
        self.offset = offset;
        self
    }

    /// The offset, if any.
    pub fn offset_ref(&self) -> Option<&'a [T]> {
        self.offset
    }

    /// Standardize the columns (to unit weighted variance after centering) before penalising;
    /// coefficients, intercepts and warm starts stay on the original scale. The certificates
    /// are those of the standardized problem, which is the one solved. Constant columns are
    /// left unscaled (their coefficient is 0).
    #[must_use]
    pub fn standardize(mut self, yes: bool) -> Self {
        self.standardize = yes;
        self
    }

    /// Number of targets `k` (`y.len() == n·k`, column-major).
    #[must_use]
    pub fn n_tasks(mut self, k: usize) -> Self {
        self.n_tasks = k;
        self
    }

    /// The same problem at another `alpha`.
    #[must_use]
    pub fn with_alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }

    /// The regularization strength.
    pub fn alpha(&self) -> T {
        self.alpha
    }

    /// The penalty.
    pub fn penalty(&self) -> &'a P {
        self.penalty
    }

    /// The design `X`.
    pub fn design(&self) -> &'a X {
        self.x
    }

    /// Validates shapes, finiteness and parameters (X itself is checked when prepared).
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::DimensionMismatch`], [`Error::NonFinite`],
    /// [`Error::InvalidParameter`] naming the offending input.
    pub fn validate(&self) -> Result<()> {
        let (n, p) = (self.x.nrows(), self.x.ncols());
        proxreg_core::error::ensure_nonempty_design(n, p)?;
        if self.n_tasks == 0 {
            return Err(Error::InvalidParameter {
                name: "n_tasks",
                value: 0.0,
                expected: ">= 1",
            });
        }
        let expected = n.saturating_mul(self.n_tasks);
        if self.y.len() != expected {
            return Err(Error::DimensionMismatch {
                what: "y length vs X rows × tasks",
                expected,
                found: self.y.len(),
            });
        }
        ensure_all_finite("y", self.y)?;
        ensure_nonneg_finite("alpha", self.alpha)?;
        check_sample_weight(n, self.sample_weight)?;
        if let Some(o) = self.offset {
            if o.len() != n {
                return Err(Error::DimensionMismatch {
                    what: "offset length vs X rows",
                    expected: n,
                    found: o.len(),
                });
            }
            ensure_all_finite("offset", o)?;
        }
        if let Some(s) = self.sample_weight {
            if !s.iter().any(|&v| v > T::zero()) {
                return Err(Error::InvalidParameter {
                    name: "sample_weight",
                    value: 0.0,
                    expected: "at least one weight > 0",
                });
            }
        }
        Ok(())
    }
}

/// Sample weights (when given): one per row, each finite and `>= 0` (NaN-safe).
pub(crate) fn check_sample_weight<T: Scalar>(n: usize, weights: Option<&[T]>) -> Result<()> {
    if let Some(s) = weights {
        if s.len() != n {
            return Err(Error::DimensionMismatch {
                what: "sample_weight length vs X rows",
                expected: n,
                found: s.len(),
            });
        }
        for &v in s {
            ensure_nonneg_finite("sample_weight", v)?;
        }
    }
    Ok(())
}

/// Where the prepared columns live.
#[derive(Debug)]
enum Storage<'a, T> {
    Borrowed(Vec<&'a [T]>),
    Owned(ColMajor<T>),
    /// Built from block statistics: the columns are gathered only if a solver asks for them.
    Lazy(crate::blocks::LazyCols<'a, T>),
    /// Built from sufficient statistics alone: there are no rows (only Gram-mode solvers and
    /// the Gram route of ridge run; everything that needs the rows returns an error).
    Absent,
    /// A sparse CSC design, read through its stored entries (never densified): the offsets
    /// `o_j·e` are applied as one scalar per vector (see [`crate::sparse`]).
    Sparse(crate::sparse::SparseCols<'a, T>),
}

/// What [`Prepared::from_gram_parts`] needs (see [`crate::BlockStats::prepare`] and
/// [`crate::SufficientStats::prepare`]).
pub(crate) struct GramParts<'a, T> {
    /// The rows, when they exist: a gatherer of the raw (uncentered) rows of the problem,
    /// column-major, and the centered targets. `None`: statistics only.
    pub(crate) rows: Option<GramRows<'a, T>>,
    /// Number of rows.
    pub(crate) n: usize,
    /// The normaliser `m` (`n`, or the weight sum).
    pub(crate) m: T,
    /// `‖ỹ‖²`.
    pub(crate) y_sq: T,
    pub(crate) offsets: Vec<T>,
    pub(crate) x_mean: Vec<T>,
    pub(crate) y_mean: T,
    pub(crate) col_sq: Vec<T>,
    /// `X̃ᵀX̃`.
    pub(crate) gram: ColMajor<T>,
    /// `∇f(0) = −X̃ᵀỹ/m`.
    pub(crate) grad0: Vec<T>,
    /// Column scales divided out of the statistics (standardization).
    pub(crate) x_scale: Option<Vec<T>>,
}

/// The rows behind a Gram-mode problem built from block statistics.
pub(crate) struct GramRows<'a, T> {
    /// Gathers the raw (uncentered) rows, column-major.
    pub(crate) make: Box<dyn Fn() -> ColMajor<T> + Send + Sync + 'a>,
    /// Centered targets.
    pub(crate) y: Vec<T>,
}

/// The problem data in the form the solvers iterate on: contiguous columns `x_j` with offsets
/// `mu_j` (the design is `X̃ = X − 1·muᵀ`, never materialised), the centered (and weighted)
/// targets, the normaliser `m`, and what is needed to recover the intercept.
///
/// Built once per fit, or once per path. A column-major copy of `X` is made only when the
/// backend does not store columns contiguously, or when sample weights are given (then the
/// copy holds `diag(√s)(X − 1·muᵀ)`).
#[derive(Debug)]
pub struct Prepared<'a, T> {
    storage: Storage<'a, T>,
    /// Column offsets `mu_j` applied implicitly (zeros when they are baked in or absent).
    pub(crate) offsets: Vec<T>,
    /// Column means subtracted for the intercept (weighted means with sample weights).
    pub(crate) x_mean: Vec<T>,
    /// Target means (one per task) subtracted for the intercept.
    pub(crate) y_mean: Vec<T>,
    /// Centered (and √s-weighted) targets, `n × k` column-major.
    pub(crate) y: Vec<T>,
    /// `‖ỹ‖²` over all tasks.
    pub(crate) y_sq: T,
    /// `‖x̃_j‖²` per column.
    pub(crate) col_sq: Vec<T>,
    /// The normaliser `m` (`n`, or `Σ s_i`).
    pub(crate) m: T,
    pub(crate) n: usize,
    pub(crate) p: usize,
    pub(crate) k: usize,
    pub(crate) gram: Option<ColMajor<T>>,
    /// Column scales `σ_j` divided out of the stored design (standardization), if any.
    pub(crate) x_scale: Option<Vec<T>>,
    /// `∇f(0)`, computed on first use (every solve on these data needs it; `O(np)`).
    grad0: std::sync::OnceLock<Vec<T>>,
    /// How the data were rescaled to fit the floating-point range, if they had to be.
    pub(crate) rescale: Option<crate::rescale::Rescale>,
}

impl<'a, T: Scalar> Prepared<'a, T> {
    /// Prepares `problem` (validating it, X's finiteness included). `want_gram` also computes
    /// `X̃ᵀX̃` (BLAS-3 through the backend).
    ///
    /// # Errors
    /// As [`Problem::validate`], plus [`Error::NonFinite`] for X.
    pub fn new<X, P>(problem: &Problem<'a, T, X, P>, want_gram: bool) -> Result<Self>
    where
        X: DesignMatrix<T> + ?Sized,
        P: ?Sized,
    {
        problem.validate()?;
        if problem.offset.is_some() {
            return Err(Error::Unsupported {
                what: "an offset with least squares",
                reason: "subtract the offset from y (the least-squares solvers do not read Problem::offset)",
            });
        }
        let me = Self::build(problem)?;
        match me.check_range() {
            Ok(()) => Ok(me.with_gram(problem.x, want_gram)),
            Err(e) => Self::rescaled(problem, want_gram, me, e),
        }
    }

    fn with_gram<X: DesignMatrix<T> + ?Sized>(mut self, x: &X, want_gram: bool) -> Self {
        if want_gram {
            self.gram = Some(self.compute_gram(x));
        }
        self
    }

    /// The preparation of data whose squared norms left the floating-point range (`first`
    /// failed [`Prepared::check_range`] with `err`): the same problem on `ŷ = y/2^ey` and
    /// `x̂_j = x_j/2^ed_j`, exponents from the out-of-range vectors' largest entries (then, if
    /// centering or weights still leave a squared norm out of range, from the prepared
    /// vectors'). `err` is returned when that does not help.
    fn rescaled<X, P>(
        problem: &Problem<'a, T, X, P>,
        want_gram: bool,
        first: Self,
        err: Error,
    ) -> Result<Self>
    where
        X: DesignMatrix<T> + ?Sized,
        P: ?Sized,
    {
        use crate::rescale::exponent_of;
        let (p, k) = (first.p, first.k);
        let expo = |v: &mut dyn Iterator<Item = T>| {
            let m = v.fold(T::zero(), |a, b| a.max(b.abs()));
            (m > T::zero() && m.is_finite()).then(|| exponent_of(m))
        };
        let mut ey = 0_i32;
        let mut ed = vec![0_i32; p];
        let mut cm = problem.x.to_col_major();
        let mut ys = problem.y.to_vec();
        let mut prev = first;
        for round in 0..2 {
            let y_bad = prev.range_bad_y();
            let cols_bad: Vec<usize> = (0..p).filter(|&j| prev.range_bad_col(j)).collect();
            if !y_bad && cols_bad.is_empty() {
                break;
            }
            // Round one scales by the raw data; a second round by the prepared (centered,
            // weighted) vectors, when centering left a squared norm out of range.
            let raw = round == 0;
            if y_bad {
                let e = if raw {
                    expo(&mut ys.iter().copied())
                } else {
                    expo(&mut prev.y.iter().copied())
                };
                if let Some(e) = e {
                    ys.iter_mut()
                        .for_each(|v| *v = crate::rescale::ldexp(*v, -e));
                    ey += e;
                }
            }
            for &j in &cols_bad {
                let e = if raw {
                    expo(&mut cm.col(j).iter().copied())
                } else {
                    let mut c = vec![T::zero(); prev.n];
                    prev.col_into(j, &mut c);
                    expo(&mut c.into_iter())
                };
                if let Some(e) = e {
                    cm.col_mut(j)
                        .iter_mut()
                        .for_each(|v| *v = crate::rescale::ldexp(*v, -e));
                    ed[j] += e;
                }
            }
            let pb = Problem {
                x: &cm,
                y: &ys,
                penalty: problem.penalty,
                alpha: problem.alpha,
                fit_intercept: problem.fit_intercept,
                sample_weight: problem.sample_weight,
                n_tasks: k,
                standardize: problem.standardize,
                offset: None,
                datafit: Quadratic,
            };
            let next = Prepared::build(&pb)?;
            // Own the rescaled copy (a borrowed preparation points into `cm`).
            let Prepared {
                storage,
                offsets,
                x_mean,
                y_mean,
                y,
                y_sq,
                col_sq,
                m,
                n,
                p: pp,
                k: kk,
                gram,
                x_scale,
                grad0,
                rescale: _,
            } = next;
            let storage = match storage {
                Storage::Owned(own) => Storage::Owned(own),
                Storage::Borrowed(_) | Storage::Lazy(_) | Storage::Absent | Storage::Sparse(_) => {
                    Storage::Owned(cm.clone())
                }
            };
            prev = Prepared {
                storage,
                offsets,
                x_mean,
                y_mean,
                y,
                y_sq,
                col_sq,
                m,
                n,
                p: pp,
                k: kk,
                gram,
                x_scale,
                grad0,
                rescale: Some(crate::rescale::Rescale {
                    ey,
                    ed: ed.clone(),
                    pen_cols: !problem.standardize,
                }),
            };
            if prev.check_range().is_ok() {
                return Ok(prev.with_gram(&cm, want_gram));
            }
        }
        Err(err)
    }

    /// Builds the prepared data without checking their range or computing a Gram matrix.
    fn build<X, P>(problem: &Problem<'a, T, X, P>) -> Result<Self>
    where
        X: DesignMatrix<T> + ?Sized,
        P: ?Sized,
    {
        let x = problem.x;
        let (n, p, k) = (x.nrows(), x.ncols(), problem.n_tasks);
        let y_in = problem.y;

        // Weighted means (plain means without weights).
        let (m, weights) = match problem.sample_weight {
            Some(s) => (s.iter().copied().sum::<T>(), Some(s)),
            None => (T::from_count(n), None),
        };
        let mean_of = |v: &[T]| -> T {
            match weights {
                Some(s) => v.iter().zip(s).map(|(&a, &b)| a * b).sum::<T>() / m,
                None => v.iter().copied().sum::<T>() / m,
            }
        };

        if let Some(sv) = x.sparse_columns() {
            return Self::build_sparse(problem, sv, m, weights);
        }
        let borrowed: Option<Vec<&'a [T]>> = (0..p).map(|j| x.col_slice(j)).collect();
        let needs_copy = borrowed.is_none() || weights.is_some() || problem.standardize;
        let mut storage = match borrowed {
            Some(cols) if !needs_copy => Storage::Borrowed(cols),
            _ => Storage::Owned(x.to_col_major()),
        };

        let mut y_mean = vec![T::zero(); k];
        let mut y = y_in.to_vec();
        if problem.fit_intercept {
            for (t, ym) in y_mean.iter_mut().enumerate() {
                *ym = mean_of(&y_in[t * n..(t + 1) * n]);
                y[t * n..(t + 1) * n].iter_mut().for_each(|v| *v -= *ym);
            }
        }

        // A borrowed design (no weights, no standardization) is read from memory once: each
        // column's mean, squared norm and `∇f(0)` entries are computed while it is in cache
        // (the same kernels, in the same order, as the separate passes below).
        let mut x_mean = vec![T::zero(); p];
        let mut fused: Option<(Vec<T>, Vec<T>)> = None;
        if let Storage::Borrowed(cols) = &storage {
            let inv_m = T::one() / m;
            let mut col_sq = vec![T::zero(); p];
            let mut g0 = vec![T::zero(); p * k];
            for (j, &col) in cols.iter().enumerate() {
                let mu = if problem.fit_intercept {
                    mean_of(col)
                } else {
                    T::zero()
                };
                x_mean[j] = mu;
                col_sq[j] = sq_norm_off(col, mu);
                for t in 0..k {
                    g0[j * k + t] = -dot_off(col, mu, &y[t * n..(t + 1) * n]) * inv_m;
                }
            }
            fused = Some((col_sq, g0));
        } else if let (true, Storage::Owned(cm)) = (problem.fit_intercept, &storage) {
            for (j, mj) in x_mean.iter_mut().enumerate() {
                *mj = mean_of(cm.col(j));
            }
        }

        let offsets = match (&mut storage, weights) {
            (Storage::Owned(cm), Some(s)) => {
                // Bake centering and √s into the copy.
                let sq: Vec<T> = s.iter().map(|v| v.sqrt()).collect();
                for (j, &mu) in x_mean.iter().enumerate() {
                    for (v, &r) in cm.col_mut(j).iter_mut().zip(&sq) {
                        *v = (*v - mu) * r;
                    }
                }
                for t in 0..k {
                    for (v, &r) in y[t * n..(t + 1) * n].iter_mut().zip(&sq) {
                        *v *= r;
                    }
                }
                vec![T::zero(); p]
            }
            (Storage::Owned(cm), None) if problem.standardize => {
                for (j, &mu) in x_mean.iter().enumerate() {
                    cm.col_mut(j).iter_mut().for_each(|v| *v -= mu);
                }
                vec![T::zero(); p]
            }
            _ => x_mean.clone(),
        };
        let x_scale = if problem.standardize {
            let Storage::Owned(cm) = &mut storage else {
                return Err(Error::Numerical {
                    what: "standardize",
                    reason: "internal: expected an owned copy",
                });
            };
            let mut scales = vec![T::one(); p];
            for (j, sj) in scales.iter_mut().enumerate() {
                // The copy is centered (and √s-weighted): ‖x̃_j‖²/m is the weighted variance.
                // A square out of the normal range (a column near 1e±155 in f64) is computed
                // with scaling instead, so the standardized column is exact to rounding.
                let sq = sq_norm_off(cm.col(j), T::zero());
                let sd = if sq.is_finite() && sq >= T::min_positive_value() / T::epsilon() {
                    (sq / m).sqrt()
                } else {
                    proxreg_core::penalty::norm2(cm.col(j)) / m.sqrt()
                };
                if sd > T::zero() && sd.is_finite() {
                    *sj = sd;
                    cm.col_mut(j).iter_mut().for_each(|v| *v /= sd);
                }
            }
            Some(scales)
        } else {
            None
        };

        let mut me = Self {
            storage,
            offsets,
            x_mean,
            y_mean,
            y_sq: T::zero(),
            y,
            col_sq: vec![T::zero(); p],
            m,
            n,
            p,
            k,
            gram: None,
            x_scale,
            grad0: std::sync::OnceLock::new(),
            rescale: None,
        };
        me.y_sq = sq_norm(&me.y);
        if let Some((col_sq, g0)) = fused {
            me.col_sq = col_sq;
            me.grad0 = std::sync::OnceLock::from(g0);
        } else {
            for j in 0..p {
                me.col_sq[j] = sq_norm_off(me.col(j), me.offsets[j]);
            }
        }
        // Finiteness of X without a pass of its own: a finite squared norm and a finite mean
        // mean a finite column (a NaN or an infinity would propagate). Only when one is not
        // finite is the user's column scanned, to name the entry (or to tell an overflow).
        for j in 0..p {
            let ok = me.col_sq[j].is_finite() && me.x_mean[j].is_finite();
            if !ok {
                find_non_finite(x, j)?;
            }
        }
        Ok(me)
    }

    /// [`Prepared::build`] for a sparse design: nothing is densified. Centering stays implicit
    /// (the offsets are the weighted column means), weights enter as `e = √s` beside the stored
    /// entries, standardization as a factor per column.
    fn build_sparse<X, P>(
        problem: &Problem<'a, T, X, P>,
        sv: proxreg_linalg::SparseColumns<'a, T>,
        m: T,
        weights: Option<&'a [T]>,
    ) -> Result<Self>
    where
        X: DesignMatrix<T> + ?Sized,
        P: ?Sized,
    {
        let (n, p, k) = (sv.nrows(), sv.ncols(), problem.n_tasks);
        let y_in = problem.y;
        let e: Option<Vec<T>> = weights.map(|s| s.iter().map(|v| v.sqrt()).collect());
        let mut sp = crate::sparse::SparseCols::new(sv, e);
        let mut y_mean = vec![T::zero(); k];
        let mut y = y_in.to_vec();
        for t in 0..k {
            let yt = &mut y[t * n..(t + 1) * n];
            if problem.fit_intercept {
                let s: T = match weights {
                    Some(w) => yt.iter().zip(w).map(|(&a, &b)| a * b).sum(),
                    None => yt.iter().copied().sum(),
                };
                y_mean[t] = s / m;
                yt.iter_mut().for_each(|v| *v -= y_mean[t]);
            }
            if let Some(w) = weights {
                yt.iter_mut().zip(w).for_each(|(v, &s)| *v *= s.sqrt());
            }
        }
        let x_mean: Vec<T> = if problem.fit_intercept {
            (0..p).map(|j| sp.d(j) / m).collect()
        } else {
            vec![T::zero(); p]
        };
        let mut col_sq: Vec<T> = (0..p).map(|j| sp.sq_norm_off(j, x_mean[j])).collect();
        let mut offsets = x_mean.clone();
        let x_scale = if problem.standardize {
            let mut scales = vec![T::one(); p];
            for (j, sj) in scales.iter_mut().enumerate() {
                let sd = (col_sq[j] / m).sqrt();
                if sd > T::zero() && sd.is_finite() {
                    *sj = sd;
                }
            }
            sp.set_scale(scales.iter().map(|&s| T::one() / s).collect());
            for j in 0..p {
                offsets[j] = x_mean[j] / scales[j];
                col_sq[j] = sp.sq_norm_off(j, offsets[j]);
            }
            Some(scales)
        } else {
            None
        };
        let me = Self {
            storage: Storage::Sparse(sp),
            offsets,
            x_mean,
            y_mean,
            y_sq: sq_norm(&y),
            y,
            col_sq,
            m,
            n,
            p,
            k,
            gram: None,
            x_scale,
            grad0: std::sync::OnceLock::new(),
            rescale: None,
        };
        for j in 0..p {
            if !(me.col_sq[j].is_finite() && me.x_mean[j].is_finite()) {
                return Err(Error::Numerical {
                    what: "X",
                    reason: "a sparse column's squared norm or mean overflows (rescale X)",
                });
            }
        }
        Ok(me)
    }

    /// The sparse view of the design, when it is stored sparse.
    #[inline]
    pub(crate) fn sparse(&self) -> Option<&crate::sparse::SparseCols<'a, T>> {
        match &self.storage {
            Storage::Sparse(sp) => Some(sp),
            _ => None,
        }
    }

    /// The average number of entries a column kernel reads: `n` for dense storage, the
    /// average stored entries per column for a sparse design.
    pub(crate) fn avg_col_len(&self) -> usize {
        match &self.storage {
            Storage::Sparse(sp) => sp.nnz().div_ceil(self.p.max(1)),
            _ => self.n,
        }
    }

    /// The centered (weighted, scaled) column `x̃_j` into `out` (`n` entries).
    pub(crate) fn col_into(&self, j: usize, out: &mut [T]) {
        match &self.storage {
            Storage::Sparse(sp) => sp.col_into(j, self.offsets[j], out),
            _ => {
                let mu = self.offsets[j];
                for (d, &v) in out.iter_mut().zip(self.col(j)) {
                    *d = v - mu;
                }
            }
        }
    }

    /// `⟨e, r⟩` for a sparse design (what [`Prepared::col_dot`] needs), 0 for dense storage
    /// (whose kernels apply the offsets entry by entry).
    #[inline]
    pub(crate) fn e_dot(&self, r: &[T]) -> T {
        match &self.storage {
            Storage::Sparse(sp) if self.offsets.iter().any(|&o| o != T::zero()) => sp.e_dot(r),
            _ => T::zero(),
        }
    }

    /// `x̃_jᵀ r`, given `er = e_dot(r)`.
    #[inline]
    pub(crate) fn col_dot(&self, j: usize, r: &[T], er: T) -> T {
        match &self.storage {
            Storage::Sparse(sp) => sp.dot(j, r) - self.offsets[j] * er,
            _ => dot_off(self.col(j), self.offsets[j], r),
        }
    }

    /// `r <- r + Σ a·x̃_j` over the `(j, a)` pairs (a sparse design: the stored entries, then
    /// the offsets' sum as one scalar).
    pub(crate) fn axpy_cols(&self, pairs: impl IntoIterator<Item = (usize, T)>, r: &mut [T]) {
        match &self.storage {
            Storage::Sparse(sp) => {
                let mut c = T::zero();
                for (j, a) in pairs {
                    sp.axpy(j, a, r);
                    c -= a * self.offsets[j];
                }
                sp.add_e(c, r);
            }
            _ => {
                for (j, a) in pairs {
                    axpy_off(a, self.col(j), self.offsets[j], r);
                }
            }
        }
    }

    /// A single-task Gram-mode problem from precomputed parts (block or sufficient
    /// statistics).
    pub(crate) fn from_gram_parts(parts: GramParts<'a, T>) -> Result<Self> {
        let p = parts.col_sq.len();
        let (storage, y) = match parts.rows {
            Some(r) => (
                Storage::Lazy(crate::blocks::LazyCols {
                    make: r.make,
                    cell: std::sync::OnceLock::new(),
                }),
                r.y,
            ),
            None => (Storage::Absent, Vec::new()),
        };
        let me = Self {
            storage,
            offsets: parts.offsets,
            x_mean: parts.x_mean,
            y_mean: vec![parts.y_mean],
            y_sq: parts.y_sq,
            y,
            col_sq: parts.col_sq,
            m: parts.m,
            n: parts.n,
            p,
            k: 1,
            gram: Some(parts.gram),
            x_scale: parts.x_scale,
            grad0: std::sync::OnceLock::from(parts.grad0),
            rescale: None,
        };
        me.check_range()?;
        Ok(me)
    }

    /// Whether the rows of the problem are available: `false` for a problem prepared from
    /// [`SufficientStats`](crate::SufficientStats) alone, which only Gram-mode coordinate
    /// descent and [`RidgeDirect::solve_prepared`](crate::RidgeDirect::solve_prepared) solve
    /// (the methods that need rows return [`Error::Unsupported`]).
    ///
    /// ```
    /// use proxreg_core::penalty::L1;
    /// use proxreg_linalg::ColMajor;
    /// use proxreg_solvers::{Prepared, Problem, SufficientStats};
    /// let x = ColMajor::from_fn(5, 2, |i, j| (i + 2 * j) as f64);
    /// let y = [1.0, 2.0, 0.0, 4.0, 3.0];
    /// assert!(Prepared::new(&Problem::new(&x, &y, &L1, 0.1), false)?.has_rows());
    /// assert!(!SufficientStats::from_batch(&x, &y, None)?.prepare(true, false)?.has_rows());
    /// # Ok::<(), proxreg_core::Error>(())
    /// ```
    pub fn has_rows(&self) -> bool {
        !matches!(self.storage, Storage::Absent)
    }

    /// [`Error::Unsupported`] naming `what` when the rows are not available.
    pub(crate) fn need_rows(&self, what: &'static str) -> Result<()> {
        if self.has_rows() {
            Ok(())
        } else {
            Err(Error::Unsupported {
                what,
                reason: "the problem was prepared from sufficient statistics and has no rows \
                         (use coordinate descent in Gram mode, or RidgeDirect::solve_prepared)",
            })
        }
    }

    /// The certificates (relative gap, objective, column norms) are built from squared norms:
    /// `‖ỹ‖²` and every `‖x̃_j‖²` must be finite, and a non-zero vector must not have a squared
    /// norm that underflows (to zero or to the subnormal range), else the relative duality gap
    /// would be `g/∞ = 0` or an absolute tiny number and zeros would be reported as converged.
    /// Such data (e.g. `y` scaled by `1e155` or `1e-200` in f64) is rejected with a typed error:
    /// rescale it (the estimators' answers scale with the data; see `docs/reliability.md`).
    fn check_range(&self) -> Result<()> {
        if self.range_bad_y() {
            return Err(Error::Numerical {
                what: "y",
                reason: "its squared norm overflows or underflows in this precision \
                         (rescale y, and alpha with it)",
            });
        }
        if (0..self.p).any(|j| self.range_bad_col(j)) {
            return Err(Error::Numerical {
                what: "X",
                reason: "a column's squared norm overflows or underflows in this precision \
                         (rescale X)",
            });
        }
        Ok(())
    }

    /// A squared norm that is not finite, or a nonzero vector's that is below the normal range.
    /// The vector is only read when its squared norm is tiny (a lazily gathered column is not
    /// gathered otherwise).
    fn range_bad(sq: T, nonzero: &dyn Fn() -> bool) -> bool {
        !sq.is_finite() || (sq < T::min_positive_value() && nonzero())
    }

    // Without rows (sufficient statistics), a squared norm is zero exactly when its vector is.
    fn range_bad_y(&self) -> bool {
        let sq = self.y_sq;
        Self::range_bad(sq, &|| {
            if self.has_rows() {
                self.y.iter().any(|&a| a != T::zero())
            } else {
                sq != T::zero()
            }
        })
    }

    fn range_bad_col(&self, j: usize) -> bool {
        let (off, sq) = (self.offsets[j], self.col_sq[j]);
        Self::range_bad(sq, &|| {
            if let Some(sp) = self.sparse() {
                sp.nonzero_off(j, off)
            } else if self.has_rows() {
                self.col(j).iter().any(|&a| a - off != T::zero())
            } else {
                sq != T::zero()
            }
        })
    }

    /// Column `j` of the stored design (before its offset is applied).
    #[inline]
    pub(crate) fn col(&self, j: usize) -> &[T] {
        match &self.storage {
            Storage::Borrowed(cols) => cols[j],
            Storage::Owned(cm) => cm.col(j),
            Storage::Lazy(l) => l.cell.get_or_init(|| (l.make)()).col(j),
            // Never reached: every entry point that reads columns checks `need_rows` first,
            // and code that may meet a sparse design goes through `col_into`, `col_dot` and
            // `axpy_cols`.
            Storage::Absent | Storage::Sparse(_) => &[],
        }
    }

    /// `X̃ᵀX̃` through the backend's BLAS-3 Gram, corrected for the implicit offsets:
    /// `(X − 1μᵀ)ᵀ(X − 1μᵀ) = XᵀX − n·μμᵀ`.
    ///
    /// When the means are so large against the spread that the correction would lose more than
    /// half of the digits (see `gram_correction_ok`; e.g. a column with mean `1e8` and unit
    /// variance, where it loses every digit in `f64`), the Gram matrix is formed from one
    /// centered copy instead.
    fn compute_gram<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> ColMajor<T> {
        if let Storage::Sparse(sp) = &self.storage {
            // From the stored entries (`O(p·nnz)`); the mean correction with `m` (the weights'
            // sum), as `VᵀD V − m·ooᵀ` is the centered product. Sparse columns have small means
            // against their spread, so no centered copy is made.
            let p = self.p;
            let mut data = sp.gram();
            let m = self.m;
            for a in 0..p {
                for b in 0..p {
                    data[a * p + b] -= m * self.offsets[a] * self.offsets[b];
                }
            }
            for j in 0..p {
                data[j * p + j] = self.col_sq[j];
            }
            return ColMajor::new(data, p, p).unwrap_or_else(|_| ColMajor::zeros(p, p));
        }
        if !self.gram_correction_ok() {
            let mut g = self.centered_design().gram(Parallelism::Sequential);
            let data = g.as_mut_slice();
            for j in 0..self.p {
                data[j * self.p + j] = self.col_sq[j];
            }
            return g;
        }
        let mut g = match &self.storage {
            Storage::Owned(cm) => cm.gram(Parallelism::Sequential),
            Storage::Borrowed(_) | Storage::Lazy(_) | Storage::Absent | Storage::Sparse(_) => {
                x.gram(Parallelism::Sequential)
            }
        };
        let nn = T::from_count(self.n);
        let p = self.p;
        if self.offsets.iter().any(|&v| v != T::zero()) {
            let data = g.as_mut_slice();
            for a in 0..p {
                for b in 0..p {
                    data[a * p + b] -= nn * self.offsets[a] * self.offsets[b];
                }
            }
        }
        // The diagonal is recomputed exactly (two-pass), which keeps it consistent with col_sq.
        let data = g.as_mut_slice();
        for j in 0..p {
            data[j * p + j] = self.col_sq[j];
        }
        g
    }

    /// Number of samples `n`.
    pub fn n_samples(&self) -> usize {
        self.n
    }

    /// Number of features `p`.
    pub fn n_features(&self) -> usize {
        self.p
    }

    /// Number of tasks `k`.
    pub fn n_tasks(&self) -> usize {
        self.k
    }

    /// `out (n×k) <- Ỹ − X̃ W`: the residual of coefficients `w` (`p × k`, row-major).
    pub(crate) fn residual(&self, w: &[T], out: &mut [T]) {
        out.copy_from_slice(&self.y);
        let (n, k) = (self.n, self.k);
        if self.sparse().is_some() {
            for t in 0..k {
                let pairs = (0..self.p)
                    .map(|j| (j, -w[j * k + t]))
                    .filter(|&(_, a)| a != T::zero());
                self.axpy_cols(pairs, &mut out[t * n..(t + 1) * n]);
            }
            return;
        }
        for j in 0..self.p {
            let row = &w[j * k..(j + 1) * k];
            for (t, &wjt) in row.iter().enumerate() {
                if wjt != T::zero() {
                    axpy_off(
                        -wjt,
                        self.col(j),
                        self.offsets[j],
                        &mut out[t * n..(t + 1) * n],
                    );
                }
            }
        }
    }

    /// `grad (p×k, row-major) <- −X̃ᵀR / m`: the gradient of the data term.
    pub(crate) fn gradient(&self, r: &[T], grad: &mut [T]) {
        let (n, k) = (self.n, self.k);
        let inv_m = T::one() / self.m;
        if self.sparse().is_some() {
            return self.sparse_gradient(r, grad, |_| true);
        }
        for j in 0..self.p {
            for t in 0..k {
                grad[j * k + t] =
                    -dot_off(self.col(j), self.offsets[j], &r[t * n..(t + 1) * n]) * inv_m;
            }
        }
    }

    /// As [`Prepared::gradient`], but features with `skip[j]` get a zero gradient without
    /// reading their column (screened features: the certificate is then the reduced problem's,
    /// which bounds the full suboptimality as those coefficients are zero at the optimum).
    /// An empty `skip` skips nothing.
    pub(crate) fn gradient_masked(&self, r: &[T], grad: &mut [T], skip: &[bool]) {
        if skip.is_empty() {
            return self.gradient(r, grad);
        }
        let (n, k) = (self.n, self.k);
        let inv_m = T::one() / self.m;
        if self.sparse().is_some() {
            for (j, &sk) in skip.iter().enumerate().take(self.p) {
                if sk {
                    grad[j * k..(j + 1) * k]
                        .iter_mut()
                        .for_each(|g| *g = T::zero());
                }
            }
            return self.sparse_gradient(r, grad, |j| !skip[j]);
        }
        for (j, &sk) in skip.iter().enumerate().take(self.p) {
            for t in 0..k {
                grad[j * k + t] = if sk {
                    T::zero()
                } else {
                    -dot_off(self.col(j), self.offsets[j], &r[t * n..(t + 1) * n]) * inv_m
                };
            }
        }
    }

    /// The gradient entries of the features with `which[j]` only (the others are untouched).
    pub(crate) fn gradient_where(&self, r: &[T], grad: &mut [T], which: &[bool]) {
        let (n, k) = (self.n, self.k);
        let inv_m = T::one() / self.m;
        if self.sparse().is_some() {
            return self.sparse_gradient(r, grad, |j| which[j]);
        }
        for (j, _) in which.iter().enumerate().filter(|(_, &w)| w).take(self.p) {
            for t in 0..k {
                grad[j * k + t] =
                    -dot_off(self.col(j), self.offsets[j], &r[t * n..(t + 1) * n]) * inv_m;
            }
        }
    }

    /// The sparse design's gradient entries `−x̃_jᵀR/m` of the features with `keep(j)` (one
    /// pass over the stored entries per task; the others untouched).
    fn sparse_gradient(&self, r: &[T], grad: &mut [T], keep: impl Fn(usize) -> bool + Copy) {
        let Some(sp) = self.sparse() else {
            return;
        };
        let (n, k) = (self.n, self.k);
        let inv_m = T::one() / self.m;
        for t in 0..k {
            let rt = &r[t * n..(t + 1) * n];
            let er = self.e_dot(rt);
            sp.dots_where(rt, keep, |j, d| {
                grad[j * k + t] = -(d - self.offsets[j] * er) * inv_m;
            });
        }
    }

    /// `(‖r‖², ∇f(w))` of single-task coefficients `w` (stored scale) from the Gram matrix:
    /// `‖r‖² = ‖ỹ‖² − 2wᵀX̃ᵀỹ + wᵀGw` (clamped at 0; its rounding error is a few
    /// `ε·(‖ỹ‖² + 2|wᵀX̃ᵀỹ| + wᵀGw)`) and `∇f(w) = (Gw − X̃ᵀỹ)/m`. `None` without a Gram
    /// matrix or with several tasks.
    pub(crate) fn gram_residual(&self, w: &[T]) -> Option<(T, Vec<T>)> {
        let g = self.gram.as_ref()?;
        let p = self.p;
        if self.k != 1 || w.len() != p {
            return None;
        }
        let g0 = self.gradient_at_zero_ref();
        let inv_m = T::one() / self.m;
        let mut q = vec![T::zero(); p];
        for (j, &wj) in w.iter().enumerate() {
            if wj != T::zero() {
                for (qi, &gij) in q.iter_mut().zip(&g.as_slice()[j * p..(j + 1) * p]) {
                    *qi += wj * gij;
                }
            }
        }
        let wq: T = w.iter().zip(&q).map(|(&a, &b)| a * b).sum();
        let wg0: T = w.iter().zip(g0).map(|(&a, &b)| a * b).sum();
        let r_sq = (self.y_sq + T::lit(2.0) * self.m * wg0 + wq).max(T::zero());
        let grad = q.iter().zip(g0).map(|(&qi, &c)| qi * inv_m + c).collect();
        Some((r_sq, grad))
    }

    /// `∇f(0) = −X̃ᵀỸ/m`, the gradient at zero (for `alpha_max`).
    pub fn gradient_at_zero(&self) -> Vec<T> {
        self.gradient_at_zero_ref().to_vec()
    }

    /// `∇f(0)`, computed once per prepared problem.
    pub(crate) fn gradient_at_zero_ref(&self) -> &[T] {
        self.grad0.get_or_init(|| {
            let mut g = vec![T::zero(); self.p * self.k];
            self.gradient(&self.y, &mut g);
            g
        })
    }

    /// Converts coefficients of the stored (possibly standardized) design to the original scale.
    pub(crate) fn to_original(&self, w: &mut [T]) {
        if let Some(sc) = &self.x_scale {
            let k = self.k;
            for (j, &s) in sc.iter().enumerate() {
                w[j * k..(j + 1) * k].iter_mut().for_each(|v| *v /= s);
            }
        }
    }

    /// Converts original-scale coefficients (a warm start) to the stored design's scale.
    pub(crate) fn to_stored_scale(&self, w: &mut [T]) {
        if let Some(sc) = &self.x_scale {
            let k = self.k;
            for (j, &s) in sc.iter().enumerate() {
                w[j * k..(j + 1) * k].iter_mut().for_each(|v| *v *= s);
            }
        }
    }

    /// The intercept(s) for coefficients `w`: `b_t = ȳ_t − Σ_j x̄_j w_jt`.
    /// `w` is on the stored design's scale.
    pub(crate) fn intercept(&self, w: &[T]) -> Vec<T> {
        let k = self.k;
        let scale = |j: usize| self.x_scale.as_ref().map_or(T::one(), |s| s[j]);
        (0..k)
            .map(|t| {
                self.y_mean[t]
                    - (0..self.p)
                        .map(|j| self.x_mean[j] * w[j * k + t] / scale(j))
                        .sum::<T>()
            })
            .collect()
    }
}

impl<T: Scalar> Prepared<'_, T> {
    /// The design `X̃ = X − 1·muᵀ` as an explicit column-major matrix (for factorizations).
    /// Without rows ([`Prepared::has_rows`] is false) it is the empty `0 × p` matrix.
    pub fn centered_design(&self) -> ColMajor<T> {
        if !self.has_rows() {
            return ColMajor::zeros(0, self.p);
        }
        let mut out = ColMajor::zeros(self.n, self.p);
        for j in 0..self.p {
            self.col_into(j, out.col_mut(j));
        }
        out
    }

    /// The columns `cols` of `X̃` as an explicit `n × cols.len()` matrix (a sparse design's
    /// chosen columns only, not the whole dense form). Without rows it has no rows.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for a column index `>= p`.
    pub fn centered_columns(&self, cols: &[usize]) -> Result<ColMajor<T>> {
        if let Some(&bad) = cols.iter().find(|&&j| j >= self.p) {
            return Err(Error::IndexOutOfRange {
                what: "column",
                index: bad,
                len: self.p,
            });
        }
        let n = if self.has_rows() { self.n } else { 0 };
        let mut out = ColMajor::zeros(n, cols.len());
        if n > 0 {
            for (c, &j) in cols.iter().enumerate() {
                self.col_into(j, out.col_mut(c));
            }
        }
        Ok(out)
    }

    /// `X̃ᵀX̃` (`p × p`): the precomputed Gram matrix when there is one, else computed.
    pub fn centered_gram(&self) -> ColMajor<T> {
        match &self.gram {
            Some(g) => g.clone(),
            None => self.centered_design().gram(Parallelism::Sequential),
        }
    }

    /// Whether `X̃ᵀX̃` / `X̃X̃ᵀ` may be formed from the raw products of `X` with the rank-one
    /// mean correction without losing more than about four bits: every column's raw squared
    /// norm `‖x̃_j‖² + n·μ_j²` is at most 16 times its centered one (false on NaN).
    fn mean_correction_ok(&self) -> bool {
        if self.offsets.iter().all(|&v| v == T::zero()) {
            return true;
        }
        let nn = T::from_count(self.n);
        let limit = T::lit(16.0);
        self.offsets
            .iter()
            .zip(&self.col_sq)
            .all(|(&mu, &sq)| sq + nn * mu * mu <= limit * sq)
    }

    /// Whether the Gram-mode preparation may correct the raw Gram matrix by the rank-one mean
    /// term: every non-constant column's raw squared norm is at most `1/√ε` times its centered
    /// one (at most half of the digits lost; constant columns are never read by the solvers).
    fn gram_correction_ok(&self) -> bool {
        let nn = T::from_count(self.n);
        let limit = T::one() / T::epsilon().sqrt();
        self.offsets
            .iter()
            .zip(&self.col_sq)
            .all(|(&mu, &sq)| mu == T::zero() || sq == T::zero() || sq + nn * mu * mu <= limit * sq)
    }

    /// `X̃ᵀX̃` (`p × p`, `outer = false`) or `X̃X̃ᵀ` (`n × n`, `outer = true`) through the
    /// backend's BLAS-3 product, without a centered copy of `X` when the column means are
    /// small enough for the rank-one correction to be accurate (see below); otherwise (or when
    /// the design is stored as a copy) from one centered copy.
    ///
    /// `x` must be the design these data were prepared from. The corrections are
    /// `XᵀX − n·μμᵀ` and `XXᵀ − q1ᵀ − 1qᵀ + ‖μ‖²·11ᵀ` with `q = Xμ`; they are used only when
    /// every column's raw squared norm is at most 16 times its centered one.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `x` does not have the prepared shape;
    /// [`Error::Unsupported`] without rows ([`Prepared::has_rows`]).
    pub fn centered_products<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        outer: bool,
    ) -> Result<ColMajor<T>> {
        self.need_rows("centered products")?;
        if x.nrows() != self.n || x.ncols() != self.p {
            return Err(Error::DimensionMismatch {
                what: "design vs prepared problem (rows x columns)",
                expected: self.n * self.p,
                found: x.nrows() * x.ncols(),
            });
        }
        let par = Parallelism::Sequential;
        if let (true, Some(sp)) = (outer, self.sparse()) {
            // The `n × n` product of a sparse design from its stored entries (no dense copy).
            let n = self.n;
            return ColMajor::new(sp.gram_outer_off(&self.offsets), n, n);
        }
        if let Storage::Owned(cm) = &self.storage {
            if self.offsets.iter().all(|&v| v == T::zero()) {
                return Ok(if outer {
                    cm.gram_outer(par)
                } else {
                    cm.gram(par)
                });
            }
        }
        if !self.mean_correction_ok() {
            let xc = self.centered_design();
            return Ok(if outer {
                xc.gram_outer(par)
            } else {
                xc.gram(par)
            });
        }
        if !outer {
            return Ok(match &self.gram {
                Some(g) => g.clone(),
                None => self.compute_gram(x),
            });
        }
        let n = self.n;
        let mut g = match &self.storage {
            Storage::Owned(cm) => cm.gram_outer(par),
            Storage::Borrowed(_) => x.gram_outer(par),
            Storage::Lazy(l) => l.cell.get_or_init(|| (l.make)()).gram_outer(par),
            Storage::Absent | Storage::Sparse(_) => x.gram_outer(par),
        };
        if self.offsets.iter().any(|&v| v != T::zero()) {
            let mut q = vec![T::zero(); n];
            for (j, &mu) in self.offsets.iter().enumerate() {
                if mu != T::zero() {
                    axpy_off(mu, self.col(j), T::zero(), &mut q);
                }
            }
            let mm: T = self.offsets.iter().map(|&v| v * v).sum();
            let data = g.as_mut_slice();
            for (b, &qb) in q.iter().enumerate() {
                let col = &mut data[b * n..(b + 1) * n];
                for (v, &qa) in col.iter_mut().zip(&q) {
                    *v = *v - qa - qb + mm;
                }
            }
        }
        Ok(g)
    }

    /// `out <- X̃ᵀ r` for one vector `r` of length `n` (`out.len() == p`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for wrong lengths; [`Error::Unsupported`] without rows.
    pub fn centered_gemv_t(&self, r: &[T], out: &mut [T]) -> Result<()> {
        self.need_rows("centered_gemv_t")?;
        self.check_len(r.len(), out.len())?;
        let er = self.e_dot(r);
        for (j, o) in out.iter_mut().enumerate() {
            *o = self.col_dot(j, r, er);
        }
        Ok(())
    }

    /// `out <- X̃ w` for one coefficient vector `w` of length `p` (`out.len() == n`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for wrong lengths; [`Error::Unsupported`] without rows.
    pub fn centered_gemv(&self, w: &[T], out: &mut [T]) -> Result<()> {
        self.need_rows("centered_gemv")?;
        self.check_len(out.len(), w.len())?;
        out.iter_mut().for_each(|v| *v = T::zero());
        let pairs = w
            .iter()
            .enumerate()
            .filter(|(_, &wj)| wj != T::zero())
            .map(|(j, &wj)| (j, wj));
        self.axpy_cols(pairs, out);
        Ok(())
    }

    /// Rows `start..start + out.nrows()` of `X̃` into `out` (`out.ncols() == p`): one row block
    /// of the centered design, for blocked products that never hold a whole centered copy.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the block does not fit; [`Error::Unsupported`]
    /// without rows.
    pub fn centered_rows_into(&self, start: usize, out: &mut ColMajor<T>) -> Result<()> {
        self.need_rows("centered_rows_into")?;
        let b = out.nrows();
        if out.ncols() != self.p || start.checked_add(b).is_none_or(|e| e > self.n) {
            return Err(Error::DimensionMismatch {
                what: "row block vs prepared design (rows)",
                expected: self.n,
                found: start.saturating_add(b),
            });
        }
        if self.sparse().is_some() {
            let mut buf = vec![T::zero(); self.n];
            for j in 0..self.p {
                self.col_into(j, &mut buf);
                out.col_mut(j).copy_from_slice(&buf[start..start + b]);
            }
            return Ok(());
        }
        for j in 0..self.p {
            let mu = self.offsets[j];
            let src = &self.col(j)[start..start + b];
            for (d, &v) in out.col_mut(j).iter_mut().zip(src) {
                *d = v - mu;
            }
        }
        Ok(())
    }

    fn check_len(&self, n_len: usize, p_len: usize) -> Result<()> {
        if n_len != self.n {
            return Err(Error::DimensionMismatch {
                what: "vector length vs X rows",
                expected: self.n,
                found: n_len,
            });
        }
        if p_len != self.p {
            return Err(Error::DimensionMismatch {
                what: "vector length vs X columns",
                expected: self.p,
                found: p_len,
            });
        }
        Ok(())
    }

    /// The centered (and weighted) targets `Ỹ` (`n × k`, column-major); empty without rows
    /// ([`Prepared::has_rows`]).
    pub fn targets(&self) -> &[T] {
        &self.y
    }

    /// The normaliser `m` (`n`, or the sum of the sample weights).
    pub fn normalizer(&self) -> T {
        self.m
    }
}

/// [`Error::NonFinite`] naming the first non-finite entry of column `j` of the user's `x`, if any.
pub(crate) fn find_non_finite<T: Scalar, X: DesignMatrix<T> + ?Sized>(
    x: &X,
    j: usize,
) -> Result<()> {
    let n = x.nrows();
    let pos = |c: &[T]| c.iter().position(|v| !v.is_finite());
    // Only reached on bad data: the copy of a strided layout is the error path's cost.
    let found = match x.col_slice(j) {
        Some(c) => pos(c),
        None => pos(x.to_col_major().col(j)),
    };
    match found {
        Some(i) => Err(Error::NonFinite {
            what: "X",
            index: j * n + i,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proxreg_core::penalty::L1;

    /// A design that hides its columns (`col_slice` is `None`), so `Prepared` copies it and
    /// takes the separate passes; every other method delegates to the column-major matrix.
    struct Strided(ColMajor<f64>);

    impl DesignMatrix<f64> for Strided {
        type Owned = ColMajor<f64>;
        fn nrows(&self) -> usize {
            self.0.nrows()
        }
        fn ncols(&self) -> usize {
            self.0.ncols()
        }
        fn gemv(&self, alpha: f64, w: &[f64], beta: f64, y: &mut [f64]) {
            self.0.gemv(alpha, w, beta, y);
        }
        fn gemv_t(&self, alpha: f64, r: &[f64], beta: f64, g: &mut [f64]) {
            self.0.gemv_t(alpha, r, beta, g);
        }
        fn col_dot(&self, j: usize, r: &[f64]) -> f64 {
            self.0.col_dot(j, r)
        }
        fn col_axpy(&self, j: usize, a: f64, r: &mut [f64]) {
            self.0.col_axpy(j, a, r);
        }
        fn col_sq_norms(&self, out: &mut [f64]) {
            self.0.col_sq_norms(out);
        }
        fn select_rows(&self, rows: &[usize]) -> Result<ColMajor<f64>> {
            self.0.select_rows(rows)
        }
        fn to_col_major(&self) -> ColMajor<f64> {
            self.0.clone()
        }
        fn gram(&self, par: Parallelism) -> ColMajor<f64> {
            self.0.gram(par)
        }
        fn gram_outer(&self, par: Parallelism) -> ColMajor<f64> {
            self.0.gram_outer(par)
        }
    }

    /// The one-read preparation of a borrowed design (means, squared norms and `∇f(0)` while
    /// each column is in cache) gives the same bits as the separate passes over a copy.
    #[test]
    fn fused_preparation_matches_the_separate_passes() {
        let (n, p) = (37, 11);
        let x = ColMajor::from_fn(n, p, |i, j| {
            ((i * 31 + j * 17) % 23) as f64 * 0.37 - 2.0 + (j as f64) * 0.5
        });
        let hidden = Strided(x.clone());
        for k in [1usize, 3] {
            let y: Vec<f64> = (0..n * k)
                .map(|i| ((i * 13) % 19) as f64 * 0.7 - 5.0)
                .collect();
            for intercept in [false, true] {
                let a = Problem::new(&x, &y, &L1, 0.1)
                    .n_tasks(k)
                    .fit_intercept(intercept);
                let b = Problem::new(&hidden, &y, &L1, 0.1)
                    .n_tasks(k)
                    .fit_intercept(intercept);
                let pa = Prepared::new(&a, false).unwrap();
                let pb = Prepared::new(&b, false).unwrap();
                assert!(matches!(pa.storage, Storage::Borrowed(_)));
                assert!(matches!(pb.storage, Storage::Owned(_)));
                // Initialised eagerly on the borrowed route only.
                assert!(pa.grad0.get().is_some() && pb.grad0.get().is_none());
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    bits(&pa.x_mean),
                    bits(&pb.x_mean),
                    "k {k} intercept {intercept}"
                );
                assert_eq!(
                    bits(&pa.col_sq),
                    bits(&pb.col_sq),
                    "k {k} intercept {intercept}"
                );
                assert_eq!(
                    bits(pa.gradient_at_zero_ref()),
                    bits(pb.gradient_at_zero_ref()),
                    "k {k} intercept {intercept}"
                );
                if intercept {
                    assert!(pa.x_mean.iter().any(|&m| m != 0.0));
                }
            }
        }
    }
}
