//! The plain built-in penalties.

use proxreg_core::penalty::{ElasticNet, Frobenius, SquaredFrobenius, SquaredL2, L1, L2, L21};
use proxreg_testing::Setup;

both_scalars!(l1, L1, Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, norm_axioms,
    moreau, fenchel_young, fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(l2, L2, Setup::new(7);
    prox_optimality, firm_nonexpansive, norm_axioms, moreau, fenchel_young, fenchel_equality,
    dual_feasible_scale, alpha_max);

both_scalars!(squared_l2, SquaredL2, Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(elastic_net_half, ElasticNet::new(0.5).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(elastic_net_lasso, ElasticNet::new(1.0).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(elastic_net_ridge, ElasticNet::new(0.0).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(frobenius, Frobenius::new(3, 4).unwrap(), Setup::new(12);
    prox_optimality, firm_nonexpansive, norm_axioms, moreau, fenchel_young, fenchel_equality,
    dual_feasible_scale, alpha_max);

both_scalars!(squared_frobenius, SquaredFrobenius::new(3, 4).unwrap(), Setup::new(12);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(l21, L21::new(4, 3).unwrap(), Setup::new(12);
    prox_optimality, firm_nonexpansive, norm_axioms, moreau, fenchel_young, fenchel_equality,
    dual_feasible_scale, alpha_max);
