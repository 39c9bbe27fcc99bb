//! Group lasso and sparse group lasso over a scattered partition of groups of sizes 1 to 4.

use proxreg_core::penalty::{GroupLasso, Groups};
use proxreg_testing::Setup;

#[allow(clippy::unwrap_used)] // a fixed, valid partition
fn groups() -> Groups {
    Groups::new(&[vec![3, 0, 9], vec![5], vec![1, 8, 2, 6], vec![4, 7]], 10).unwrap()
}

both_scalars!(group_lasso, GroupLasso::new(groups(), None).unwrap(), Setup::new(10);
    prox_optimality, firm_nonexpansive, norm_axioms, moreau, fenchel_young, fenchel_equality,
    dual_feasible_scale, alpha_max);

both_scalars!(sparse_group_lasso,
    GroupLasso::sparse(groups(), Some(vec![1.0, 0.5, 2.0, 1.3]), 0.4).unwrap(), Setup::new(10);
    prox_optimality, firm_nonexpansive, norm_axioms, moreau, fenchel_young, fenchel_equality,
    dual_feasible_scale, alpha_max);

// A zero-weight group: unpenalized with τ = 0 (a seminorm: no norm axioms), only the L1 part
// with τ > 0.
both_scalars!(group_lasso_free_group,
    GroupLasso::new(groups(), Some(vec![1.0, 0.0, 2.0, 1.0])).unwrap(), Setup::new(10);
    prox_optimality, firm_nonexpansive, fenchel_young, fenchel_equality, dual_feasible_scale,
    alpha_max);

both_scalars!(sparse_group_lasso_zero_weight,
    GroupLasso::sparse(groups(), Some(vec![1.0, 0.0, 2.0, 1.0]), 0.6).unwrap(), Setup::new(10);
    prox_optimality, firm_nonexpansive, norm_axioms, moreau, fenchel_young, fenchel_equality,
    dual_feasible_scale, alpha_max);
