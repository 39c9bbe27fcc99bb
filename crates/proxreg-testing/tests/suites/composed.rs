//! Penalty factors and box constraints, alone and composed.

use proxreg_core::penalty::{
    Bounded, ElasticNet, Mcp, Scad, SquaredL2, Weighted, WeightedBlocks, L1, L21,
};
use proxreg_testing::Setup;

both_scalars!(weighted_l1, Weighted::new(L1, vec![1.0, 0.0, 2.5, 0.3, 1.0, 0.0, 4.0]).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(weighted_elastic_net,
    Weighted::new(ElasticNet::new(0.7).unwrap(), vec![0.5, 1.0, 0.0, 2.0, 1.0, 3.0, 1.0]).unwrap(),
    Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(weighted_blocks_l21,
    WeightedBlocks::new(L21::new(4, 3).unwrap(), vec![1.0, 0.0, 2.0, 0.5]).unwrap(),
    Setup::new(12);
    prox_optimality, block_consistency, firm_nonexpansive, fenchel_young, fenchel_equality,
    dual_feasible_scale,
    alpha_max);

both_scalars!(nonnegative_l1, Bounded::nonnegative(L1), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(nonpositive_l1, Bounded::new(L1, f64::NEG_INFINITY as _, 0.0).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(boxed_elastic_net, Bounded::new(ElasticNet::new(0.5).unwrap(), -1.0, 2.0).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(boxed_ridge, Bounded::new(SquaredL2, -0.5, 0.5).unwrap(), Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(nonnegative_weighted_l1,
    Bounded::nonnegative(Weighted::new(L1, vec![1.0, 0.0, 2.0, 0.5, 1.0, 1.0, 3.0]).unwrap()),
    Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

both_scalars!(weighted_boxed_l1,
    Weighted::new(Bounded::new(L1, -2.0, 1.0).unwrap(), vec![1.0, 0.0, 2.0, 0.5, 1.0, 1.0, 3.0]).unwrap(),
    Setup::new(7);
    prox_optimality, prox_1d_oracle, separable_consistency, firm_nonexpansive, fenchel_young,
    fenchel_equality, dual_feasible_scale, alpha_max);

// Non-convex inner penalties: factors (a zero factor included) at any step; a box in the regime
// where the 1-D prox objective is convex (step below MCP's knot, below SCAD's concave width),
// where clipping the prox is exact.
both_scalars!(weighted_mcp, Weighted::new(Mcp::new(3.0).unwrap(), vec![1.0, 0.0, 2.0, 0.5]).unwrap(),
    Setup::new(4);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
both_scalars!(nonnegative_scad, Bounded::nonnegative(Scad::new(3.7).unwrap()),
    Setup::new(5).steps(0.05, 2.5);
    prox_optimality, prox_1d_oracle, separable_consistency, alpha_max);
