//! The group lasso and the sparse group lasso over user-given feature groups of any sizes.

use proxreg_core::datafit::Quadratic;
use proxreg_core::error::ensure_nonneg_finite;
use proxreg_core::penalty::{self, Groups};
use proxreg_core::{Error, Result, Scalar};
use proxreg_linalg::DesignMatrix;
use proxreg_solvers::{GroupCd, Problem, Solution, Solver};

use super::linear::fitted_model;
use super::model::LinearModel;

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
    /// let amax = params.alpha_max(&x, &y)?;
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
    groups: Groups,
    group_weights: Option<Vec<T>>,
    l1_ratio: T,
    alpha: T,
    fit_intercept: bool,
    tol: T,
    max_iter: usize,
    require_convergence: bool,
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

    fn model(&self, s: Solution<T>, p: usize, alpha: T) -> Result<GroupLasso<T>> {
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
        let (pen, solver) = self.check()?;
        let pb = Problem::new(x, y, &pen, self.alpha)
            .fit_intercept(self.fit_intercept)
            .datafit(Quadratic);
        let sol = solver.solve(&pb, None, &mut ())?;
        self.model(sol, x.ncols(), self.alpha)
    }

    /// The smallest `alpha` at which every penalized group is zero ([`GroupCd::alpha_max`]).
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit`].
    pub fn alpha_max<X: DesignMatrix<T> + ?Sized>(&self, x: &X, y: &[T]) -> Result<T> {
        let (pen, solver) = self.check()?;
        let pb = Problem::new(x, y, &pen, T::one())
            .fit_intercept(self.fit_intercept)
            .datafit(Quadratic);
        solver.alpha_max(&pb)
    }

    /// The warm-started path on `alphas` (decreasing is the efficient order); this
    /// estimator's `alpha` is ignored.
    ///
    /// # Errors
    /// As [`GroupLassoParams::fit`], and [`Error::Empty`] / [`Error::InvalidParameter`] for
    /// the alphas.
    pub fn path<X: DesignMatrix<T> + ?Sized>(
        &self,
        x: &X,
        y: &[T],
        alphas: &[T],
    ) -> Result<Vec<GroupLasso<T>>> {
        let (pen, solver) = self.check()?;
        let pb = Problem::new(x, y, &pen, T::one())
            .fit_intercept(self.fit_intercept)
            .datafit(Quadratic);
        let path = solver.path(&pb, alphas)?;
        path.alphas
            .into_iter()
            .zip(path.solutions)
            .map(|(a, s)| self.model(s, x.ncols(), a))
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
            let am = params.alpha_max(&x, &pb.y).unwrap();
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
            let path = params.path(&x, &pb.y, &[am, case.alpha]).unwrap();
            assert!(path[0].coef().iter().all(|&v| v == 0.0) || case.group_weights.contains(&0.0));
            assert!((path[1].coef()[0] - m.coef()[0]).abs() <= 1e-9 * scale);
            n += 1;
        }
        assert_eq!(n, 9);
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
}
