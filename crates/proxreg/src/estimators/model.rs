//! The fitted linear model shared by every estimator.

use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{Solution, Termination};

/// How a fit ended, with its certificates (a copy of the solver's report).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FitReport<T> {
    /// Objective value at the solution, in the solvers' convention
    /// `(1/(2n))‖y − Xw − b‖² + penalty` (`1/(2Σs)` with sample weights). For Lasso, Elastic
    /// Net, the multi-task models and `PenalizedLinear` this is the objective they minimise; for
    /// `Ridge`, whose objective is `‖y − Xw − b‖² + α‖w‖²`, it is that objective divided by `2n`
    /// (by `2Σs` with weights).
    pub objective: T,
    /// Duality gap of the solved problem (`None` for penalties without a conjugate).
    pub duality_gap: Option<T>,
    /// Duality gap relative to `‖y‖²/m`: what `tol` bounds.
    pub relative_gap: Option<T>,
    /// Maximal KKT violation.
    pub kkt_violation: T,
    /// Iterations (epochs for coordinate descent, steps for FISTA, 1 for direct solvers).
    pub n_iter: usize,
    /// Whether the solver reached its tolerance.
    pub status: Status,
    /// Whether the data were rescaled internally by powers of two because a squared norm of `y`
    /// or of a column left the floating-point range (e.g. `y` near `1e155` in f64): the
    /// coefficients are still those asked for, and `objective`, `duality_gap` and
    /// `kkt_violation` are then those of the rescaled problem (`relative_gap` is unchanged);
    /// see `docs/reliability.md`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rescaled: bool,
}

/// Serializable mirror of [`Termination`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Status {
    /// Reached the tolerance.
    Converged,
    /// Stopped at `max_iter`.
    MaxIterReached,
    /// Stopped by an observer.
    StoppedByObserver,
    /// Converged as far as the arithmetic allows, short of a tolerance below rounding
    /// ([`Termination::RoundingFloor`]); the certificates say what was achieved.
    RoundingFloor,
    /// The line search of a prox-Newton fit found no decreasing step before the tolerance
    /// ([`Termination::Stalled`]); not converged, the certificates say how far it is.
    Stalled,
}

impl From<Termination> for Status {
    fn from(t: Termination) -> Self {
        match t {
            Termination::Converged => Status::Converged,
            Termination::StoppedByObserver => Status::StoppedByObserver,
            Termination::RoundingFloor => Status::RoundingFloor,
            Termination::Stalled => Status::Stalled,
            _ => Status::MaxIterReached,
        }
    }
}

impl<T: Scalar> FitReport<T> {
    /// The report of a solver's [`Solution`] (its certificates and how it stopped), e.g. of a
    /// fit from sufficient statistics by [`proxreg_solvers::CoordinateDescent::solve_prepared`].
    pub fn from_solution(s: &Solution<T>) -> Self {
        Self {
            objective: s.objective,
            duality_gap: s.duality_gap,
            relative_gap: s.relative_gap,
            kkt_violation: s.kkt_violation,
            n_iter: s.n_iter,
            status: s.termination.into(),
            rescaled: s.rescaled,
        }
    }
}

/// A fitted linear model `ŷ = X·W + b`: coefficients on the original scale of `X`, the
/// intercept(s), the regularization that produced it and its certificates.
///
/// `coef` is `p × k` row-major (`k = 1`: a plain vector); predictions for several tasks are
/// `n × k` column-major.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinearModel<T> {
    pub(crate) coef: Vec<T>,
    pub(crate) intercept: Vec<T>,
    pub(crate) n_features: usize,
    pub(crate) n_tasks: usize,
    pub(crate) alpha: T,
    pub(crate) l1_ratio: Option<T>,
    pub(crate) condition_number: Option<T>,
    pub(crate) report: FitReport<T>,
}

impl<T: Scalar> LinearModel<T> {
    /// The model of a solver's solution.
    ///
    /// # Errors
    /// [`Error::Numerical`] when a coefficient, an intercept or the objective is not finite:
    /// the answer (or its certificate) does not fit the floating-point range, e.g. a least-squares
    /// coefficient `y/x` with `y = 1e255` and `x = 1e-137`. A model is never returned with
    /// infinite or NaN numbers in it.
    pub(crate) fn from_solution(
        s: Solution<T>,
        n_features: usize,
        n_tasks: usize,
        alpha: T,
    ) -> Result<Self> {
        let finite = s.coef.iter().chain(&s.intercept).all(|v| v.is_finite())
            && s.objective.is_finite()
            && s.kkt_violation.is_finite();
        if !finite {
            return Err(Error::Numerical {
                what: "fit",
                reason: "the coefficients or their certificates overflow the floating-point \
                         range (rescale X or y)",
            });
        }
        let report = FitReport::from_solution(&s);
        Ok(Self {
            coef: s.coef,
            intercept: s.intercept,
            n_features,
            n_tasks,
            alpha,
            l1_ratio: None,
            condition_number: None,
            report,
        })
    }

    /// Coefficients (`p × k` row-major; for one task, one per feature).
    pub fn coef(&self) -> &[T] {
        &self.coef
    }

    /// The intercept (first task's, 0 without intercept).
    pub fn intercept(&self) -> T {
        self.intercept.first().copied().unwrap_or_else(T::zero)
    }

    /// All intercepts (one per task).
    pub fn intercepts(&self) -> &[T] {
        &self.intercept
    }

    /// Number of features the model was fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of tasks (targets).
    pub fn n_tasks(&self) -> usize {
        self.n_tasks
    }

    /// The regularization strength, in the estimator's convention.
    pub fn alpha(&self) -> T {
        self.alpha
    }

    /// The certificates and status of the fit.
    pub fn report(&self) -> &FitReport<T> {
        &self.report
    }

    /// Duality gap (`None` when the penalty has no conjugate).
    pub fn duality_gap(&self) -> Option<T> {
        self.report.duality_gap
    }

    /// Maximal KKT violation.
    pub fn kkt_violation(&self) -> T {
        self.report.kkt_violation
    }

    /// Iterations performed (see [`FitReport::n_iter`]).
    pub fn n_iter(&self) -> usize {
        self.report.n_iter
    }

    /// How the solver stopped.
    pub fn status(&self) -> Status {
        self.report.status
    }

    /// Indices of the nonzero coefficients (features whose row is nonzero for several tasks).
    pub fn support(&self) -> Vec<usize> {
        let k = self.n_tasks.max(1);
        (0..self.n_features)
            .filter(|&j| {
                self.coef[j * k..(j + 1) * k]
                    .iter()
                    .any(|&v| v != T::zero())
            })
            .collect()
    }

    /// Predictions `X·W + b` (`n × k` column-major).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `x` has the wrong number of columns;
    /// [`Error::NonFinite`] if `x` holds NaN or infinite values.
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        if x.ncols() != self.n_features {
            return Err(Error::DimensionMismatch {
                what: "X columns vs the model's features",
                expected: self.n_features,
                found: x.ncols(),
            });
        }
        let (n, p, k) = (x.nrows(), self.n_features, self.n_tasks);
        let mut out = vec![T::zero(); n * k];
        let mut w = vec![T::zero(); p];
        for t in 0..k {
            for (j, wj) in w.iter_mut().enumerate() {
                *wj = self.coef[j * k + t];
            }
            let o = &mut out[t * n..(t + 1) * n];
            o.iter_mut().for_each(|v| *v = self.intercept[t]);
            x.gemv(T::one(), &w, T::one(), o);
        }
        if let Some(i) = out.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: "X (or the predictions overflow)",
                index: i,
            });
        }
        Ok(out)
    }

    /// The coefficient of determination R² of the predictions on `(x, y)` (averaged over tasks).
    ///
    /// # Errors
    /// As [`LinearModel::predict`], plus [`Error::DimensionMismatch`] for `y`.
    pub fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        let pred = self.predict(x)?;
        if y.len() != pred.len() {
            return Err(Error::DimensionMismatch {
                what: "y length vs X rows × tasks",
                expected: pred.len(),
                found: y.len(),
            });
        }
        let n = x.nrows();
        let k = self.n_tasks;
        let mut total = T::zero();
        for t in 0..k {
            let yt = &y[t * n..(t + 1) * n];
            let pt = &pred[t * n..(t + 1) * n];
            let mean = yt.iter().copied().sum::<T>() / T::from_count(n.max(1));
            let ss_tot: T = yt.iter().map(|&v| (v - mean) * (v - mean)).sum();
            let ss_res: T = yt.iter().zip(pt).map(|(&a, &b)| (a - b) * (a - b)).sum();
            total += if ss_tot > T::zero() {
                T::one() - ss_res / ss_tot
            } else if ss_res == T::zero() {
                T::one()
            } else {
                T::zero()
            };
        }
        Ok(total / T::from_count(k))
    }
}
