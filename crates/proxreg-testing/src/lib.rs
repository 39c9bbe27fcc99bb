//! # proxreg-testing
//!
//! The public conformance kit for proxreg penalties and datafits — the built-in ones and yours. It checks
//! the identities every correct penalty satisfies, so a wrong prox, subdifferential, dual norm,
//! conjugate or `alpha_max` fails loudly:
//!
//! | check ([`checks`]) | applies to | what it asserts |
//! | --- | --- | --- |
//! | [`check_prox_optimality`] | every penalty | `(v − p)/t ∈ ∂g(p)` for `p = prox_{t g}(v)`, via `subdiff_distance` |
//! | [`check_prox_1d_oracle`] | [`SeparablePenalty`](proxreg_core::penalty::SeparablePenalty) | `prox_1d` minimises `t·g_j(z) + ½(z − v)²` (dense grid + golden section) |
//! | [`check_separable_consistency`] | [`SeparablePenalty`](proxreg_core::penalty::SeparablePenalty) | vector methods agree with the 1-D ones |
//! | [`check_block_consistency`] | [`BlockSeparablePenalty`](proxreg_core::penalty::BlockSeparablePenalty) | vector methods agree with the block ones |
//! | [`check_firm_nonexpansive`] | convex penalties | `‖p(x) − p(y)‖² ≤ ⟨p(x) − p(y), x − y⟩` |
//! | [`check_norm_axioms`] | [`Norm`](proxreg_core::penalty::Norm) | non-negativity, definiteness, homogeneity, triangle, Hölder |
//! | [`check_moreau`] | [`Norm`](proxreg_core::penalty::Norm) | `g*(v − p) ≤ t` and `⟨v − p, p⟩ = t·g(p)` |
//! | [`check_fenchel_young`] | penalties with a conjugate | `αg(w) + (αg)*(u) ≥ ⟨u, w⟩` |
//! | [`check_fenchel_equality`] | penalties with a conjugate | equality at `u ∈ α∂g(w)`, and `dual_feasible_scale` |
//! | [`check_dual_feasible_scale`] | penalties with a conjugate | `s ∈ (0, 1]`, `(αg)*(s·u) < ∞`, `s = 1` when already finite |
//! | [`check_alpha_max`] | penalties with `alpha_max` | `w = 0` is optimal at `alpha_max`, not at `0.99·alpha_max` |
//!
//! Datafits (losses) have their own checks in [`datafit`]: derivatives against finite
//! differences, the curvature bound, Fenchel–Young with the conjugate and the null model
//! ([`datafit::check_datafit`] runs them all).
//!
//! Each check is a plain function returning `Result<(), String>`, usable in a plain test or
//! inside your own proptest. The [`suite`] module runs each check on random inputs drawn from
//! the [`strategies`] (honouring `PROPTEST_CASES`), and [`penalty_suite!`] turns a list of suite
//! names into `#[test]` functions for one penalty and one scalar type:
//!
//! ```
//! use proxreg_core::penalty::L1;
//! use proxreg_testing::{penalty_suite, Setup};
//!
//! penalty_suite!(l1_f64: f64, L1, Setup::new(6);
//!     prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive,
//!     norm_axioms, moreau, fenchel_young, fenchel_equality, dual_feasible_scale, alpha_max);
//! # fn main() {}
//! ```
//!
//! **Tolerances** are relative: a check passes when the violation is at most
//! `tol × (the natural magnitude of the quantity)`, and [`default_tol`] is
//! `64 · ε · (n + 1)` for vectors of length `n`.
//!
//! **Unpenalised coordinates.** [`check_alpha_max`] and [`check_dual_feasible_scale`] assume the
//! entries of the gradient (or dual vector) on coordinates with `is_penalized(j) == false` are 0
//! (the engine keeps those coordinates at their optimum); the suites zero them.

pub mod checks;
pub mod datafit;
pub mod strategies;
pub mod suite;

pub use checks::*;
pub use proptest;
pub use suite::Setup;

use proxreg_core::Scalar;

/// The default relative tolerance for vectors of length `n`: `64 · ε · (n + 1)`.
pub fn default_tol<T: Scalar>(n: usize) -> T {
    T::epsilon() * T::lit(64.0) * T::from_count(n + 1)
}

/// Instantiates [`suite`] functions as `#[test]`s in a module, for one penalty and one scalar.
///
/// `penalty_suite!(module_name: ScalarType, penalty_expression, setup_expression; suite_fn, ...);`
///
/// Each `suite_fn` is the name of a function of [`suite`] (`prox_optimality`, `prox_1d_oracle`,
/// `separable_consistency`, `block_consistency`, `firm_nonexpansive`, `norm_axioms`, `moreau`,
/// `fenchel_young`, `fenchel_equality`, `dual_feasible_scale`, `alpha_max`); list the ones that
/// apply to the
/// penalty (the trait bounds of each function say which). The penalty expression is evaluated in
/// each test, with `use super::*` in scope.
///
/// ```
/// use proxreg_core::penalty::{ElasticNet, SquaredL2};
/// use proxreg_testing::{penalty_suite, Setup};
///
/// penalty_suite!(ridge_f32: f32, SquaredL2, Setup::new(5); prox_optimality, prox_1d_oracle);
/// penalty_suite!(enet_f64: f64, ElasticNet::new(0.3).unwrap(), Setup::new(5); alpha_max);
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! penalty_suite {
    ($name:ident : $t:ty, $pen:expr, $setup:expr; $($check:ident),+ $(,)?) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $check() {
                    let pen = $pen;
                    let setup: $crate::Setup = $setup;
                    if let Err(msg) = $crate::suite::$check::<$t, _>(&pen, &setup) {
                        panic!("{}", msg);
                    }
                }
            )+
        }
    };
}
