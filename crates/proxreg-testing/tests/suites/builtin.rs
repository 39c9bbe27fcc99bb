//! The plain built-in penalties.

use proxreg_core::penalty::{
    ElasticNet, Frobenius, Mcp, Scad, SquaredFrobenius, SquaredL2, L1, L2, L21,
};
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
    prox_optimality, block_consistency, firm_nonexpansive, norm_axioms, moreau, fenchel_young,
    fenchel_equality,
    dual_feasible_scale, alpha_max);

// Non-convex: the checks that do not need convexity (prox optimality with the Fréchet
// subdifferential, the brute-force 1-D oracle, consistency, alpha_max). Steps in [0.05, 20] cover
// both regimes of each prox (firm / three-piece below the concave width, hard / end-piece
// comparison beyond it).
both_scalars!(mcp, Mcp::new(3.0).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
both_scalars!(mcp_small_knot, Mcp::for_alpha(1.5, 0.4).unwrap(), Setup::new(7).magnitude(3.0);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
both_scalars!(scad, Scad::new(3.7).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
both_scalars!(scad_small_knots, Scad::for_alpha(2.5, 0.5).unwrap(), Setup::new(7).magnitude(3.0);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
