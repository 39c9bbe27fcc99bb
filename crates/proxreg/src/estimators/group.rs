//! The group lasso and the sparse group lasso over user-given feature groups of any sizes.

use proxreg_core::datafit::{sigmoid, Datafit, Logistic, Quadratic};
use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{self, Groups};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{GroupCd, Problem, Solution, Solver};

use super::linear::fitted_model;
use super::logistic::encode_binary;
use super::model::{FitReport, LinearModel, Status};

fitted_model!(
    /// A fitted group lasso / sparse group lasso: minimises
    /// `(1/(2n))‖y − Xw − b‖² + α(τ‖w‖₁ + (1 − τ) Σ_g c_g ‖w_G‖₂)` over a partition of the
    /// features into groups `G` of any sizes (`τ = l1_ratio`, `c_g` the group weights,
    /// default `√|G|`; a zero weight with `τ = 0` leaves a group unpenalized).
    ///
    /// ```
    /// use proxreg::prelude::*;
    /// use proxreg::penalty::Groups;
    /// use proxreg::GroupLasso;
    /// let x = ColMajor::from_fn(40, 6, |i, j| (((i + 1) * (j + 3)) % 11) as f64);
    /// let y: Vec<f64> = (0..40).map(|i| x.col(0)[i] * 2.0 - x.col(3)[i]).collect();
    /// // one label per feature: groups {0, 3}, {1, 2}, {4, 5}
    /// let groups = Groups::from_labels(&["a", "b", "b", "a", "c", "c"])?;
    /// let params = GroupLasso::params(groups).tol(1e-8);
    /// let amax = params.alpha_max(&x, &y, None)?;
    /// let model = params.alpha(amax / 10.0).fit(&x, &y)?;
    /// assert!(model.coef()[0] != 0.0 && model.coef()[3] != 0.0);
    /// # Ok::<(), proxreg::Error>(())
    /// ```
    GroupLasso
);

impl<T: Scalar> GroupLasso<T> {
    /// The builder for a partition: `alpha = 1`, `l1_ratio = 0` (group lasso), weights
    /// `√|G|`, intercept on, `tol = 1e-4`, `max_iter = 100_000`.
    pub fn params(groups: Groups) -> GroupLassoParams<T> {
        GroupLassoParams {
            groups,
            group_weights: None,
            l1_ratio: T::zero(),
            alpha: T::one(),
            fit_intercept: true,
            tol: T::lit(1e-4),
            max_iter: 100_000,
            require_convergence: false,
        }
    }
}

/// Group lasso hyper-parameters (least squares, solved by [`GroupCd`]).
///
/// | parameter | default | meaning |
/// | --- | --- | --- |
/// | `groups` | (given) | the partition of the features ([`Groups`]) |
/// | `group_weights` | `√|G|` | `c_g ≥ 0` per group |
/// | `l1_ratio` | `0` | `τ ∈ [0, 1]`: the L1 share (sparse group lasso for `τ > 0`) |
/// | `alpha` | `1` | the strength α |
/// | `fit_intercept` | `true` | fit an unpenalized intercept |
/// | `tol` | `1e-4` | relative duality gap (and relative KKT violation) to reach |
/// | `max_iter` | `100_000` | largest number of epochs |
/// | `require_convergence` | `false` | make a fit that misses `tol` an [`Error::NotConverged`] |
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLassoParams<T> {
    pub(crate) groups: Groups,
    pub(crate) group_weights: Option<Vec<T>>,
    pub(crate) l1_ratio: T,
    pub(crate) alpha: T,
    pub(crate) fit_intercept: bool,
    pub(crate) tol: T,
    pub(crate) max_iter: usize,
    pub(crate) require_convergence: bool,
}

impl<T: Scalar> GroupLassoParams<T> {
    /// The group weights `c_g` (one per group, `≥ 0`; `None`: `√|G|`).
    #[must_use]
    pub fn group_weights(mut self, weights: Option<Vec<T>>) -> Self {
        self.group_weights = weights;
        self
    }
    /// `τ ∈ [0, 1]`.
    #[must_use]
    pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
        self.l1_ratio = l1_ratio;
        self
    }
    /// The strength α.
    #[must_use]
    pub fn alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }
    /// Whether to fit an unpenalized intercept.
    #[must_use]
    pub fn fit_intercept(mut self, yes: bool) -> Self {
        self.fit_intercept = yes;
        self
    }
    /// The relative duality gap to reach.
    #[must_use]
    pub fn tol(mut self, tol: T) -> Self {
        self.tol = tol;
        self
    }
    /// The largest number of epochs.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Whether a fit that does not reach `tol` is an error.
    #[must_use]
    pub fn require_convergence(mut self, yes: bool) -> Self {
        self.require_convergence = yes;
        self
    }

    /// The penalty and the solver, validated.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `alpha`, `l1_ratio`, `group_weights`, `tol`,
    /// `max_iter`; [`Error::DimensionMismatch`] for a number of weights other than the number
    /// of groups.
    pub fn check(&self) -> Result<(penalty::GroupLasso<T>, GroupCd<T>)> {
        ensure_nonneg_finite("alpha", self.alpha)?;
        let pen = penalty::GroupLasso::sparse(
            self.groups.clone(),
            self.group_weights.clone(),
            self.l1_ratio,
        )?;
        let solver = GroupCd::new().tol(self.tol).max_iter(self.max_iter);
        solver.check()?;
        Ok((pen, solver))
    }

    fn enforce(&self, s: Solution<T>) -> Result<Solution<T>> {
        if self.require_convergence && !s.converged() {
            return Err(Error::NotConverged {
                iterations: s.n_iter,
                criterion: s.relative_gap.unwrap_or(s.kkt_violation).as_f64(),
                tol: self.tol.as_f64(),
            });
        }
        Ok(s)
    }

    pub(crate) fn model(&self, s: Solution<T>, p: usize, alpha: T) -> Result<GroupLasso<T>> {
        let s = self.enforce(s)?;
        let mut m = LinearModel::from_solution(s, p, 1, alpha)?;
        m.l1_ratio = Some(self.l1_ratio);
        Ok(GroupLasso(m))
    }

    /// Fits at `alpha`.
    ///
    /// # Errors
    /// As [`GroupLassoParams::check`] and [`GroupCd`]'s `solve` (shapes, NaN, groups that do
    /// not cover the columns of `x`), and [`Error::NotConverged`] with
    /// `require_convergence`.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<GroupLasso<T>> {
        self.fit_with(x, y, None)
    }

    /// Fits at `alpha` with sample weights `s_i ≥ 0` (not all zero): the data term becomes
    /// `(1/(2Σs)) Σ_i s_i (y_i − x_iᵀw − b)²`, the intercept and the centring weighted. An
    /// integer weight is the same fit as the row repeated that many times; a zero weight drops
    /// the row.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit`], and [`Error::DimensionMismatch`] /
    /// [`Error::InvalidParameter`] / [`Error::NonFinite`] for weights of the wrong length,
    /// negative, not finite or all zero.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<GroupLasso<T>> {
        self.fit_with(x, y, Some(sample_weight))
    }

    /// [`fit`](Self::fit) or [`fit_weighted`](Self::fit_weighted), as the weights are given.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit_weighted`].
    pub fn fit_with<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<GroupLasso<T>> {
        let sol = self.solve_datafit(x, y, sample_weight, None, Quadratic)?;
        self.model(sol, x.ncols(), self.alpha)
    }

    /// The smallest `alpha` at which every penalized group is zero ([`GroupCd::alpha_max`]),
    /// with optional sample weights.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit_weighted`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        self.alpha_max_datafit(x, y, sample_weight, None, Quadratic)
    }

    /// The warm-started path on `alphas` (decreasing is the efficient order), with optional
    /// sample weights; this estimator's `alpha` is ignored.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit_weighted`], and [`Error::Empty`] /
    /// [`Error::InvalidParameter`] for the alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<GroupLasso<T>>> {
        self.path_datafit(x, y, sample_weight, None, alphas, Quadratic)?
            .into_iter()
            .map(|(a, s)| self.model(s, x.ncols(), a))
            .collect()
    }

    /// One fit at `alpha` with the datafit `f` (`y` already encoded for it) and an optional
    /// offset of the linear predictor.
    pub(crate) fn solve_datafit<X: DesignMatrix<T> + ?Sized, F: Datafit<T>>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
        f: F,
    ) -> Result<Solution<T>> {
        let (pen, solver) = self.check()?;
        let pb = Problem::new(x, y, &pen, self.alpha)
            .fit_intercept(self.fit_intercept)
            .sample_weight(sample_weight)
            .offset(offset)
            .datafit(f);
        solver.solve(&pb, None, &mut ())
    }

    /// [`GroupCd::alpha_max`] with the datafit `f`.
    pub(crate) fn alpha_max_datafit<X: DesignMatrix<T> + ?Sized, F: Datafit<T>>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
        f: F,
    ) -> Result<T> {
        let (pen, solver) = self.check()?;
        let pb = Problem::new(x, y, &pen, T::one())
            .fit_intercept(self.fit_intercept)
            .sample_weight(sample_weight)
            .offset(offset)
            .datafit(f);
        solver.alpha_max(&pb)
    }

    /// The warm-started path with the datafit `f`: `(alpha, solution)` pairs.
    pub(crate) fn path_datafit<X: DesignMatrix<T> + ?Sized, F: Datafit<T>>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        offset: Option<&[T]>,
        alphas: &[T],
        f: F,
    ) -> Result<Vec<(T, Solution<T>)>> {
        let (pen, solver) = self.check()?;
        let pb = Problem::new(x, y, &pen, T::one())
            .fit_intercept(self.fit_intercept)
            .sample_weight(sample_weight)
            .offset(offset)
            .datafit(f);
        let path = solver.path(&pb, alphas)?;
        Ok(path.alphas.into_iter().zip(path.solutions).collect())
    }
}

/// The builder methods of a group lasso family's hyper-parameters, forwarded to the
/// [`GroupLassoParams`] in field `$f` (same names, same defaults).
macro_rules! group_setters {
    ($name:ident, $f:tt) => {
        impl<T: Scalar> $name<T> {
            /// The group weights `c_g` (one per group, `≥ 0`; `None`: `√|G|`).
            #[must_use]
            pub fn group_weights(mut self, weights: Option<Vec<T>>) -> Self {
                self.$f = self.$f.group_weights(weights);
                self
            }
            /// `τ ∈ [0, 1]`.
            #[must_use]
            pub fn l1_ratio(mut self, l1_ratio: T) -> Self {
                self.$f = self.$f.l1_ratio(l1_ratio);
                self
            }
            /// The strength α.
            #[must_use]
            pub fn alpha(mut self, alpha: T) -> Self {
                self.$f = self.$f.alpha(alpha);
                self
            }
            /// Whether to fit an unpenalized intercept.
            #[must_use]
            pub fn fit_intercept(mut self, yes: bool) -> Self {
                self.$f = self.$f.fit_intercept(yes);
                self
            }
            /// The relative duality gap to reach (relative to the null deviance).
            #[must_use]
            pub fn tol(mut self, tol: T) -> Self {
                self.$f = self.$f.tol(tol);
                self
            }
            /// The largest number of epochs.
            #[must_use]
            pub fn max_iter(mut self, max_iter: usize) -> Self {
                self.$f = self.$f.max_iter(max_iter);
                self
            }
            /// Whether a fit that does not reach `tol` is an error.
            #[must_use]
            pub fn require_convergence(mut self, yes: bool) -> Self {
                self.$f = self.$f.require_convergence(yes);
                self
            }
        }
    };
}
pub(super) use group_setters;

/// A fitted logistic group lasso / sparse group lasso: minimises
///
/// `(1/n)·Σ_i [log(1 + e^{η_i}) − y_i·η_i] + α(τ‖w‖₁ + (1 − τ) Σ_g c_g ‖w_G‖₂)`, `η = Xw + b`,
///
/// with `y_i ∈ {0, 1}` the indicator of the second (larger) of the two labels, over a partition
/// of the features into groups of any sizes (as [`GroupLasso`]; solved by [`GroupCd`] with the
/// logistic curvature bound `¼`). skglm's `LogisticGroup` datafit with `WeightedGroupL2` /
/// `WeightedL1GroupL2` minimises the same objective (labels `±1`).
///
/// ```
/// use proxreg::prelude::*;
/// use proxreg::penalty::Groups;
/// use proxreg::LogisticGroupLasso;
/// let x = ColMajor::from_fn(60, 4, |i, j| (((i * (j + 3)) % 11) as f64 - 5.0) / 3.0);
/// let y: Vec<f64> = (0..60).map(|i| if x.col(0)[i] + 0.5 * x.col(1)[i] > 0.0 { 1.0 } else { -1.0 }).collect();
/// let params = LogisticGroupLasso::params(Groups::contiguous(&[2, 2])?).tol(1e-8);
/// let amax = params.alpha_max(&x, &y, None)?;
/// let model = params.alpha(amax / 4.0).fit(&x, &y)?;
/// assert_eq!(model.classes(), [-1.0, 1.0]);
/// assert!(model.coef()[0] != 0.0 && model.coef()[2] == 0.0);
/// assert!(model.score(&x, &y)? > 0.8);
/// # Ok::<(), proxreg::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticGroupLasso<T> {
    model: LinearModel<T>,
    classes: [T; 2],
}

impl<T: Scalar> LogisticGroupLasso<T> {
    /// The builder for a partition, with [`GroupLasso::params`]' defaults.
    pub fn params(groups: Groups) -> LogisticGroupLassoParams<T> {
        LogisticGroupLassoParams(GroupLasso::params(groups))
    }
    /// The two labels, sorted (probabilities are those of `classes()[1]`).
    pub fn classes(&self) -> [T; 2] {
        self.classes
    }
    /// The coefficients.
    pub fn coef(&self) -> &[T] {
        self.model.coef()
    }
    /// The intercept (0 without intercept).
    pub fn intercept(&self) -> T {
        self.model.intercept()
    }
    /// The strength α.
    pub fn alpha(&self) -> T {
        self.model.alpha()
    }
    /// `τ`.
    pub fn l1_ratio(&self) -> T {
        self.model.l1_ratio.unwrap_or_else(T::zero)
    }
    /// The certificates and status of the fit (relative gap relative to the null deviance).
    pub fn report(&self) -> &FitReport<T> {
        self.model.report()
    }
    /// How the solver stopped.
    pub fn status(&self) -> Status {
        self.model.status()
    }
    /// Indices of the nonzero coefficients.
    pub fn support(&self) -> Vec<usize> {
        self.model.support()
    }
    /// The linear predictor `η = Xw + b` (log-odds of `classes()[1]`).
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn decision_function<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        self.model.predict(x)
    }
    /// `P(y = classes()[1] | x) = σ(η)`.
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn predict_proba<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        Ok(self
            .decision_function(x)?
            .into_iter()
            .map(sigmoid)
            .collect())
    }
    /// The predicted labels: `classes()[1]` where `η > 0`, else `classes()[0]`.
    ///
    /// # Errors
    /// As [`LinearModel::predict`].
    pub fn predict<X: DesignMatrix<T> + ?Sized>(&self, x: &X) -> Result<Vec<T>> {
        let [lo, hi] = self.classes;
        Ok(self
            .decision_function(x)?
            .into_iter()
            .map(|e| if e > T::zero() { hi } else { lo })
            .collect())
    }
    /// The accuracy of [`predict`](Self::predict) on `(x, y)`.
    ///
    /// # Errors
    /// As [`predict`](Self::predict), plus [`Error::DimensionMismatch`] for `y`.
    pub fn score<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        let pred = self.predict(x)?;
        if y.len() != pred.len() {
            return Err(Error::DimensionMismatch {
                what: "y length vs X rows",
                expected: pred.len(),
                found: y.len(),
            });
        }
        let hits = pred.iter().zip(y).filter(|(a, b)| a == b).count();
        Ok(T::from_count(hits) / T::from_count(y.len().max(1)))
    }
    /// The underlying [`LinearModel`] (its `predict` is the linear predictor).
    pub fn into_inner(self) -> LinearModel<T> {
        self.model
    }
}

/// Logistic group lasso hyper-parameters: those of [`GroupLassoParams`] (same names, same
/// defaults), solved by [`GroupCd`] with the logistic datafit; `y` holds two distinct labels.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticGroupLassoParams<T>(pub(super) GroupLassoParams<T>);

group_setters!(LogisticGroupLassoParams, 0);

impl<T: Scalar> LogisticGroupLassoParams<T> {
    /// Fits at `alpha`.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit`], and [`Error::InvalidTarget`] / [`Error::NonFinite`] for
    /// labels that are not two finite classes.
    pub fn fit<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
    ) -> Result<LogisticGroupLasso<T>> {
        self.fit_with(x, y, None)
    }

    /// Fits at `alpha` with sample weights `s_i ≥ 0` (not all zero): the data term becomes
    /// `(1/Σs) Σ_i s_i [log(1 + e^{η_i}) − y_i η_i]`. An integer weight is the same fit as the
    /// row repeated that many times; a zero weight drops the row (its label still counts
    /// among the two classes).
    ///
    /// # Errors
    /// As [`LogisticGroupLassoParams::fit`], and [`Error::DimensionMismatch`] /
    /// [`Error::InvalidParameter`] / [`Error::NonFinite`] for weights of the wrong length,
    /// negative, not finite or all zero.
    pub fn fit_weighted<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: &[T],
    ) -> Result<LogisticGroupLasso<T>> {
        self.fit_with(x, y, Some(sample_weight))
    }

    /// [`fit`](Self::fit) or [`fit_weighted`](Self::fit_weighted), as the weights are given.
    ///
    /// # Errors
    /// As [`LogisticGroupLassoParams::fit_weighted`].
    pub fn fit_with<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<LogisticGroupLasso<T>> {
        let (classes, enc) = encode_binary(y)?;
        let sol = self
            .0
            .solve_datafit(x, &enc, sample_weight, None, Logistic)?;
        self.model(sol, x.ncols(), self.0.alpha, classes)
    }

    fn model(
        &self,
        s: Solution<T>,
        p: usize,
        alpha: T,
        classes: [T; 2],
    ) -> Result<LogisticGroupLasso<T>> {
        let model = self.0.model(s, p, alpha)?.0;
        Ok(LogisticGroupLasso { model, classes })
    }

    /// The smallest `alpha` at which every penalized group is zero ([`GroupCd::alpha_max`]),
    /// with optional sample weights.
    ///
    /// # Errors
    /// As [`LogisticGroupLassoParams::fit_weighted`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
    ) -> Result<T> {
        let (_, enc) = encode_binary(y)?;
        self.0
            .alpha_max_datafit(x, &enc, sample_weight, None, Logistic)
    }

    /// The warm-started path on `alphas` (decreasing is the efficient order), with optional
    /// sample weights.
    ///
    /// # Errors
    /// As [`LogisticGroupLassoParams::fit_weighted`], and [`Error::Empty`] /
    /// [`Error::InvalidParameter`] for the alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        sample_weight: Option<&[T]>,
        alphas: &[T],
    ) -> Result<Vec<LogisticGroupLasso<T>>> {
        let (classes, enc) = encode_binary(y)?;
        self.0
            .path_datafit(x, &enc, sample_weight, None, alphas, Logistic)?
            .into_iter()
            .map(|(a, s)| self.model(s, x.ncols(), a, classes))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proxreg_fixtures::group_lasso::{load_group_lasso, GroupFamily};
    use proxreg_linalg::ColMajor;

    /// Every least-squares fixture case through the estimator: coefficients, intercept and
    /// alpha_max; then a path through the alphas of one data set's cases.
    #[test]
    fn estimator_reproduces_the_least_squares_references() {
        let fx = load_group_lasso().unwrap();
        let mut n = 0;
        for case in fx
            .cases
            .iter()
            .filter(|c| c.family == GroupFamily::Gaussian)
        {
            let pb = fx.problem(case).unwrap();
            let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
            let params = GroupLasso::params(Groups::new(&case.groups, pb.n_features).unwrap())
                .group_weights(Some(case.group_weights.clone()))
                .l1_ratio(case.tau)
                .fit_intercept(case.fit_intercept)
                .tol(1e-14)
                .require_convergence(true);
            let am = params.alpha_max(&x, &pb.y, None).unwrap();
            assert!(
                (am - case.alpha_max).abs() <= 1e-10 * case.alpha_max,
                "{}",
                case.name
            );
            let m = params.clone().alpha(case.alpha).fit(&x, &pb.y).unwrap();
            let scale = case.coef.iter().fold(1.0_f64, |a, v| a.max(v.abs()));
            let d = m
                .coef()
                .iter()
                .zip(&case.coef)
                .map(|(a, b)| (a - b).abs())
                .fold((m.intercept() - case.intercept).abs(), f64::max)
                / scale;
            assert!(d <= 1e-6, "{}: {d:e}", case.name);
            let path = params.path(&x, &pb.y, None, &[am, case.alpha]).unwrap();
            assert!(path[0].coef().iter().all(|&v| v == 0.0) || case.group_weights.contains(&0.0));
            assert!((path[1].coef()[0] - m.coef()[0]).abs() <= 1e-9 * scale);
            n += 1;
        }
        assert_eq!(n, 9);
    }

    /// Every logistic fixture case through `LogisticGroupLasso`, with the labels 0/1 and ±1:
    /// coefficients, intercept and alpha_max to the skglm references, probabilities in (0, 1).
    #[test]
    fn logistic_estimator_reproduces_the_references() {
        let fx = load_group_lasso().unwrap();
        let mut n = 0;
        for case in fx
            .cases
            .iter()
            .filter(|c| c.family == GroupFamily::Binomial)
        {
            let pb = fx.problem(case).unwrap();
            let x = ColMajor::new(pb.x_col_major(), pb.n_samples, pb.n_features).unwrap();
            let pm: Vec<f64> = pb.y.iter().map(|&v| 2.0 * v - 1.0).collect();
            let params =
                LogisticGroupLasso::params(Groups::new(&case.groups, pb.n_features).unwrap())
                    .group_weights(Some(case.group_weights.clone()))
                    .l1_ratio(case.tau)
                    .fit_intercept(case.fit_intercept)
                    .tol(1e-14)
                    .require_convergence(true);
            for y in [&pb.y, &pm] {
                let am = params.alpha_max(&x, y, None).unwrap();
                assert!(
                    (am - case.alpha_max).abs() <= 1e-10 * case.alpha_max,
                    "{}",
                    case.name
                );
                let m = params.clone().alpha(case.alpha).fit(&x, y).unwrap();
                assert_eq!(m.status(), Status::Converged);
                let scale = case.coef.iter().fold(1.0_f64, |a, v| a.max(v.abs()));
                let d = m
                    .coef()
                    .iter()
                    .zip(&case.coef)
                    .map(|(a, b)| (a - b).abs())
                    .fold((m.intercept() - case.intercept).abs(), f64::max)
                    / scale;
                assert!(d <= 1e-6, "{}: {d:e}", case.name);
                assert_eq!(m.classes()[1], y.iter().copied().fold(f64::MIN, f64::max));
                let proba = m.predict_proba(&x).unwrap();
                assert!(proba.iter().all(|&p| p > 0.0 && p < 1.0));
                let path = params.path(&x, y, None, &[am, case.alpha]).unwrap();
                assert!(path[0].coef().iter().all(|&v| v == 0.0));
                assert!((path[1].coef()[0] - m.coef()[0]).abs() <= 1e-9 * scale);
            }
            n += 1;
        }
        assert_eq!(n, 3);
        let g = Groups::contiguous(&[1, 2]).unwrap();
        let x = ColMajor::from_fn(5, 3, |i, j| (i * j) as f64);
        let err = LogisticGroupLasso::<f64>::params(g)
            .fit(&x, &[1.0, 2.0, 3.0, 1.0, 2.0])
            .unwrap_err();
        assert!(matches!(err, Error::InvalidTarget { .. }), "{err:?}");
    }

    #[test]
    fn bad_hyper_parameters_are_typed_errors() {
        let g = Groups::contiguous(&[1, 2]).unwrap();
        let x = ColMajor::from_fn(5, 3, |i, j| (i * j) as f64);
        let y = [1.0, 2.0, 0.0, 1.0, 3.0];
        let p = || GroupLasso::<f64>::params(g.clone());
        let name = |e: Error| match e {
            Error::InvalidParameter { name, .. } => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(name(p().alpha(-1.0).fit(&x, &y).unwrap_err()), "alpha");
        assert_eq!(
            name(p().l1_ratio(f64::NAN).fit(&x, &y).unwrap_err()),
            "l1_ratio"
        );
        assert_eq!(
            name(
                p().group_weights(Some(vec![1.0, -2.0]))
                    .fit(&x, &y)
                    .unwrap_err()
            ),
            "group_weights"
        );
        assert_eq!(name(p().tol(0.0).fit(&x, &y).unwrap_err()), "tol");
        let x4 = ColMajor::from_fn(5, 4, |i, j| (i + j) as f64);
        assert!(matches!(
            p().fit(&x4, &y).unwrap_err(),
            Error::DimensionMismatch { .. }
        ));
        let xr = ColMajor::from_fn(30, 3, |i, j| ((i * 7 + j * 13 + i * j) % 11) as f64);
        let yr: Vec<f64> = (0..30).map(|i| ((i * 5) % 7) as f64).collect();
        let strict = p().tol(1e-14).require_convergence(true).alpha(1e-3);
        assert!(strict.clone().fit(&xr, &yr).is_ok());
        assert!(matches!(
            strict.max_iter(1).fit(&xr, &yr),
            Err(Error::NotConverged { .. })
        ));
    }
    /// Rows `i` of `x` / `y` repeated `reps[i]` times (a zero drops the row).
    fn repeat(x: &ColMajor<f64>, y: &[f64], reps: &[usize]) -> (ColMajor<f64>, Vec<f64>) {
        let rows: Vec<usize> = reps
            .iter()
            .enumerate()
            .flat_map(|(i, &r)| std::iter::repeat_n(i, r))
            .collect();
        let xr = ColMajor::from_fn(rows.len(), x.ncols(), |i, j| x.col(j)[rows[i]]);
        (xr, rows.iter().map(|&i| y[i]).collect())
    }

    fn max_diff(a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(u, v)| (u - v).abs())
            .fold(0.0, f64::max)
    }

    /// Sample weights against repeated rows, for both datafits and both penalties: integer
    /// weights (zeros included) give the fit, alpha_max and path of the data with each row
    /// repeated that many times; the weighted fits carry their certificates.
    #[test]
    fn integer_sample_weights_equal_repeated_rows() {
        let (n, p) = (45, 7);
        let x = ColMajor::from_fn(n, p, |i, j| {
            (((i * 7 + j * 13 + i * j) % 17) as f64 - 8.0) / 4.0 + 0.3 * j as f64
        });
        let y: Vec<f64> = (0..n)
            .map(|i| {
                x.col(0)[i] - 0.5 * x.col(2)[i] + 0.25 * x.col(5)[i] + ((i * 3) % 5) as f64 * 0.2
            })
            .collect();
        let ybin: Vec<f64> = (0..n)
            .map(|i| {
                if y[i] + 0.3 * ((i % 4) as f64 - 1.5) > 0.0 {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let reps: Vec<usize> = (0..n).map(|i| [1, 2, 0, 3, 1][i % 5]).collect();
        let w: Vec<f64> = reps.iter().map(|&r| r as f64).collect();
        let (xr, yr) = repeat(&x, &y, &reps);
        let (_, ybr) = repeat(&x, &ybin, &reps);
        let groups = || Groups::contiguous(&[2, 3, 2]).unwrap();
        for tau in [0.0, 0.4] {
            let ls = GroupLasso::params(groups())
                .l1_ratio(tau)
                .tol(1e-13)
                .require_convergence(true);
            let am = ls.alpha_max(&x, &y, Some(&w)).unwrap();
            let am_r = ls.alpha_max(&xr, &yr, None).unwrap();
            assert!(
                (am - am_r).abs() <= 1e-12 * am_r,
                "tau {tau}: {am} vs {am_r}"
            );
            let a = ls.clone().alpha(am / 8.0);
            let fw = a.fit_weighted(&x, &y, &w).unwrap();
            let fr = a.fit(&xr, &yr).unwrap();
            assert!(fw.report().relative_gap.unwrap() <= 1e-13);
            assert!(max_diff(fw.coef(), fr.coef()) <= 1e-9, "tau {tau}");
            assert!((fw.intercept() - fr.intercept()).abs() <= 1e-9);
            assert!(fw.coef().iter().any(|&v| v != 0.0));
            // the weights matter: the unweighted fit is another one
            assert!(max_diff(fw.coef(), a.fit(&x, &y).unwrap().coef()) > 1e-6);
            let pw = ls
                .path(&x, &y, Some(&w), &[am, am / 3.0, am / 30.0])
                .unwrap();
            let pr = ls.path(&xr, &yr, None, &[am, am / 3.0, am / 30.0]).unwrap();
            for (u, v) in pw.iter().zip(&pr) {
                assert!(max_diff(u.coef(), v.coef()) <= 1e-9, "tau {tau} path");
            }
            // fit_with dispatches to both
            assert_eq!(a.fit_with(&x, &y, Some(&w)).unwrap().coef(), fw.coef());

            let lg = LogisticGroupLasso::params(groups())
                .l1_ratio(tau)
                .tol(1e-13)
                .require_convergence(true);
            let am = lg.alpha_max(&x, &ybin, Some(&w)).unwrap();
            let am_r = lg.alpha_max(&xr, &ybr, None).unwrap();
            assert!(
                (am - am_r).abs() <= 1e-12 * am_r,
                "logistic tau {tau}: {am} vs {am_r}"
            );
            let a = lg.clone().alpha(am / 8.0);
            let fw = a.fit_weighted(&x, &ybin, &w).unwrap();
            let fr = a.fit(&xr, &ybr).unwrap();
            assert!(fw.report().relative_gap.unwrap() <= 1e-13);
            assert!(max_diff(fw.coef(), fr.coef()) <= 1e-8, "logistic tau {tau}");
            assert!((fw.intercept() - fr.intercept()).abs() <= 1e-8);
            assert!(fw.coef().iter().any(|&v| v != 0.0));
            assert!(max_diff(fw.coef(), a.fit(&x, &ybin).unwrap().coef()) > 1e-6);
            let pw = lg.path(&x, &ybin, Some(&w), &[am, am / 4.0]).unwrap();
            let pr = lg.path(&xr, &ybr, None, &[am, am / 4.0]).unwrap();
            for (u, v) in pw.iter().zip(&pr) {
                assert!(
                    max_diff(u.coef(), v.coef()) <= 1e-8,
                    "logistic tau {tau} path"
                );
            }
        }
        // uniform weights are no weights
        let ones = vec![2.5; n];
        let ls = GroupLasso::params(groups()).tol(1e-13).alpha(0.05);
        assert!(
            max_diff(
                ls.fit_weighted(&x, &y, &ones).unwrap().coef(),
                ls.fit(&x, &y).unwrap().coef()
            ) <= 1e-10
        );
    }

    /// Bad sample weights are typed errors, the caller's weights untouched.
    #[test]
    fn bad_sample_weights_are_errors() {
        let x = ColMajor::from_fn(6, 2, |i, j| (i * (j + 1)) as f64);
        let y = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0];
        let ls = GroupLasso::params(Groups::contiguous(&[1, 1]).unwrap()).alpha(0.01);
        let lg = LogisticGroupLasso::params(Groups::contiguous(&[1, 1]).unwrap()).alpha(0.01);
        let bad: [Vec<f64>; 4] = [
            vec![1.0; 5],
            vec![1.0, -1.0, 1.0, 1.0, 1.0, 1.0],
            vec![1.0, f64::NAN, 1.0, 1.0, 1.0, 1.0],
            vec![0.0; 6],
        ];
        for w in &bad {
            let before = w.clone();
            assert!(ls.fit_weighted(&x, &y, w).is_err(), "{w:?}");
            assert!(lg.fit_weighted(&x, &y, w).is_err(), "{w:?}");
            assert!(ls.alpha_max(&x, &y, Some(w)).is_err(), "{w:?}");
            assert!(lg.path(&x, &y, Some(w), &[0.1]).is_err(), "{w:?}");
            assert_eq!(format!("{before:?}"), format!("{w:?}"));
        }
        assert!(matches!(
            ls.fit_weighted(&x, &y, &bad[0]).unwrap_err(),
            Error::DimensionMismatch { .. }
        ));
    }
}
