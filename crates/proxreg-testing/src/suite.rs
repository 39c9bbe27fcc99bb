//! Property-based suites: each function draws random inputs (honouring `PROPTEST_CASES`) and
//! runs one check of [`crate::checks`] on them. [`penalty_suite!`](crate::penalty_suite) turns
//! them into `#[test]`s; they can also be called directly.

use crate::checks;
use crate::strategies::{self, vector};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use proxreg_core::penalty::{Norm, Penalty, SeparablePenalty};
use proxreg_core::Scalar;

/// What the suites draw: vector length (the penalty's shape), magnitudes, step and `alpha`
/// ranges, and the tolerance factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    /// Length of every vector (e.g. `rows·cols` for a matrix penalty).
    pub len: usize,
    /// Entries are drawn in `[−magnitude, magnitude]`.
    pub magnitude: f64,
    /// Steps `t` are log-uniform in this range.
    pub steps: (f64, f64),
    /// `alpha`s are log-uniform in this range.
    pub alphas: (f64, f64),
    /// Multiplies [`default_tol`](crate::default_tol).
    pub tol_factor: f64,
    /// Number of cases; `None` uses proptest's default (`PROPTEST_CASES`, else 256).
    pub cases: Option<u32>,
}

impl Setup {
    /// Vectors of length `len`, magnitude 10, steps in `[0.05, 20]`, alphas in `[0.1, 10]`.
    pub fn new(len: usize) -> Self {
        Self {
            len,
            magnitude: 10.0,
            steps: (0.05, 20.0),
            alphas: (0.1, 10.0),
            tol_factor: 1.0,
            cases: None,
        }
    }
    /// Sets the step range (e.g. below a weakly convex penalty's limit).
    #[must_use]
    pub fn steps(mut self, lo: f64, hi: f64) -> Self {
        self.steps = (lo, hi);
        self
    }
    /// Sets the `alpha` range.
    #[must_use]
    pub fn alphas(mut self, lo: f64, hi: f64) -> Self {
        self.alphas = (lo, hi);
        self
    }
    /// Sets the magnitude of drawn entries.
    #[must_use]
    pub fn magnitude(mut self, m: f64) -> Self {
        self.magnitude = m;
        self
    }
    /// Multiplies the default tolerance.
    #[must_use]
    pub fn tol_factor(mut self, f: f64) -> Self {
        self.tol_factor = f;
        self
    }
    /// Sets the number of cases.
    #[must_use]
    pub fn cases(mut self, n: u32) -> Self {
        self.cases = Some(n);
        self
    }

    fn tol<T: Scalar>(&self) -> T {
        crate::default_tol::<T>(self.len) * T::lit(self.tol_factor)
    }
    fn step<T: Scalar>(&self) -> BoxedStrategy<T> {
        strategies::log_uniform(self.steps.0, self.steps.1)
    }
    fn alpha<T: Scalar>(&self) -> BoxedStrategy<T> {
        strategies::log_uniform(self.alphas.0, self.alphas.1)
    }
    fn vec<T: Scalar>(&self) -> BoxedStrategy<Vec<T>> {
        vector(self.len, self.magnitude)
    }
    fn runner(&self) -> TestRunner {
        let mut config = Config {
            failure_persistence: None,
            ..Config::default()
        };
        if let Some(n) = self.cases {
            config.cases = n;
        }
        TestRunner::new(config)
    }
}

fn run<S: Strategy>(
    name: &str,
    setup: &Setup,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), String>,
) -> Result<(), String> {
    setup
        .runner()
        .run(&strategy, |input| test(input).map_err(TestCaseError::fail))
        .map_err(|e| format!("{name}: {e}"))
}

/// Zeroes the entries of unpenalised coordinates.
fn penalised_only<T: Scalar, P: Penalty<T> + ?Sized>(pen: &P, mut v: Vec<T>) -> Vec<T> {
    for (j, x) in v.iter_mut().enumerate() {
        if !pen.is_penalized(j) {
            *x = T::zero();
        }
    }
    v
}

/// [`checks::check_prox_optimality`] on random `(v, t)`.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn prox_optimality<T: Scalar, P: Penalty<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "prox_optimality",
        setup,
        (setup.vec::<T>(), setup.step::<T>()),
        |(v, t)| checks::check_prox_optimality(pen, &v, t, tol),
    )
}

/// [`checks::check_prox_1d_oracle`] on every coordinate of random `(v, t)`.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn prox_1d_oracle<T: Scalar, P: SeparablePenalty<T>>(
    pen: &P,
    setup: &Setup,
) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "prox_1d_oracle",
        setup,
        (setup.vec::<T>(), setup.step::<T>()),
        |(v, t)| {
            v.iter()
                .enumerate()
                .try_for_each(|(j, &vj)| checks::check_prox_1d_oracle(pen, vj, t, j, tol))
        },
    )
}

/// [`checks::check_separable_consistency`] on random `(w, grad, t, alpha)`.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn separable_consistency<T: Scalar, P: SeparablePenalty<T>>(
    pen: &P,
    setup: &Setup,
) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "separable_consistency",
        setup,
        (
            setup.vec::<T>(),
            setup.vec::<T>(),
            setup.step::<T>(),
            setup.alpha::<T>(),
        ),
        |(w, g, t, a)| checks::check_separable_consistency(pen, &w, &g, t, a, tol),
    )
}

/// [`checks::check_firm_nonexpansive`] on random `(x, y, t)`.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn firm_nonexpansive<T: Scalar, P: Penalty<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "firm_nonexpansive",
        setup,
        (setup.vec::<T>(), setup.vec::<T>(), setup.step::<T>()),
        |(x, y, t)| checks::check_firm_nonexpansive(pen, &x, &y, t, tol),
    )
}

/// [`checks::check_norm_axioms`] on random `(x, y, c)`, `c ∈ [−3, 3]`.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn norm_axioms<T: Scalar, P: Norm<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "norm_axioms",
        setup,
        (
            setup.vec::<T>(),
            setup.vec::<T>(),
            strategies::uniform::<T>(-3.0, 3.0),
        ),
        |(x, y, c)| checks::check_norm_axioms(pen, &x, &y, c, tol),
    )
}

/// [`checks::check_moreau`] on random `(v, t)`.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn moreau<T: Scalar, P: Norm<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "moreau",
        setup,
        (setup.vec::<T>(), setup.step::<T>()),
        |(v, t)| checks::check_moreau(pen, &v, t, tol),
    )
}

/// [`checks::check_fenchel_young`] on random `(w, u, alpha)` (`w` is moved into the domain by
/// a prox when `g(w)` is infinite, so that the inequality is not vacuous), and at
/// `(p, k·u)` with `p = prox_{tα g}(v)`, `u = (v − p)/t ∈ α∂g(p)` and `k ∈ [1, 2]`: there the
/// inequality is tight for `k = 1`, so a conjugate that is too small beyond its domain fails.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn fenchel_young<T: Scalar, P: Penalty<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "fenchel_young",
        setup,
        (
            (setup.vec::<T>(), setup.vec::<T>(), setup.alpha::<T>()),
            (
                setup.vec::<T>(),
                setup.step::<T>(),
                strategies::uniform::<T>(1.0, 2.0),
            ),
        ),
        |((mut w, u, a), (v, t, k))| {
            if !pen.value(&w).is_finite() {
                pen.prox_in_place(&mut w, T::lit(1e-3));
            }
            checks::check_fenchel_young(pen, &w, &u, a, tol)?;
            let mut p = v.clone();
            pen.prox_in_place(&mut p, t * a);
            let ku: Vec<T> = v
                .iter()
                .zip(&p)
                .map(|(&vj, &pj)| k * (vj - pj) / t)
                .collect();
            // Indicator conjugates accept a relative sqrt(ε) slack for rounding.
            let loose = tol * (T::one() + checks_scale(&v, t)) + T::lit(2.0) * T::epsilon().sqrt();
            checks::check_fenchel_young(pen, &p, &ku, a, loose)
        },
    )
}

/// `‖v‖∞ / t`: how much rounding a dual point `(v − p)/t` carries, relative to its size.
fn checks_scale<T: Scalar>(v: &[T], t: T) -> T {
    v.iter().fold(T::zero(), |m, x| m.max(x.abs())) / t
}

/// [`checks::check_fenchel_equality`] on random `(v, t, alpha)`.
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn fenchel_equality<T: Scalar, P: Penalty<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run(
        "fenchel_equality",
        setup,
        (setup.vec::<T>(), setup.step::<T>(), setup.alpha::<T>()),
        |(v, t, a)| checks::check_fenchel_equality(pen, &v, t, a, tol),
    )
}

/// [`checks::check_dual_feasible_scale`] on random `(u, alpha)` (unpenalised entries zeroed).
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn dual_feasible_scale<T: Scalar, P: Penalty<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    run(
        "dual_feasible_scale",
        setup,
        (setup.vec::<T>(), setup.alpha::<T>()),
        |(u, a)| checks::check_dual_feasible_scale(pen, &penalised_only(pen, u), a),
    )
}

/// [`checks::check_alpha_max`] on a random gradient at zero (unpenalised entries zeroed).
///
/// # Errors
/// The minimal failing case, with the check's message.
pub fn alpha_max<T: Scalar, P: Penalty<T>>(pen: &P, setup: &Setup) -> Result<(), String> {
    let tol = setup.tol::<T>();
    run("alpha_max", setup, setup.vec::<T>(), |g0| {
        checks::check_alpha_max(pen, &penalised_only(pen, g0), tol)
    })
}
