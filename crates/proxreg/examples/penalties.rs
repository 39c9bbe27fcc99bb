//! Every built-in penalty on one small vector: its value `g(v)`, its prox `prox_{t g}(v)` and
//! `alpha_max` when `v` is read as the gradient at zero.
//!
//! ```sh
//! cargo run --release -p proxreg --example penalties
//! ```
//!
//! Matrix penalties read `v` as a 2 × 3 coefficient matrix stored row-major (2 features,
//! 3 tasks): rows `(2, −0.6, 0.1)` and `(0, −1.5, 3)`.

use proxreg::penalty::ElasticNet;
use proxreg::prelude::*;

fn show(name: &str, pen: &dyn Penalty<f64>, v: &[f64], t: f64) {
    let mut p = v.to_vec();
    pen.prox_in_place(&mut p, t);
    let prox: Vec<String> = p.iter().map(|x| format!("{x:7.3}")).collect();
    let amax = pen
        .alpha_max(v)
        .map_or_else(|| "—".to_string(), |a| format!("{a:.3}"));
    println!(
        "{name:<28} {:>8.3}  [{}]  {amax:>8}",
        pen.value(v),
        prox.join(" ")
    );
}

fn main() -> Result<()> {
    let v = [2.0, -0.6, 0.1, 0.0, -1.5, 3.0];
    let t = 0.5;
    println!("v = {v:?}, step t = {t}\n");
    println!(
        "{:<28} {:>8}  {:<49}  {:>8}",
        "penalty g", "g(v)", "prox_{t·g}(v)", "alpha_max"
    );
    println!("{}", "-".repeat(99));
    show("L1  Σ|w_j|", &L1, &v, t);
    show("L2  ‖w‖₂", &L2, &v, t);
    show("SquaredL2  ½‖w‖₂²", &SquaredL2, &v, t);
    show("ElasticNet(ρ = 0.5)", &ElasticNet::new(0.5)?, &v, t);
    show("ElasticNet(ρ = 1) = L1", &ElasticNet::new(1.0)?, &v, t);
    show("Frobenius 2×3  ‖W‖_F", &Frobenius::new(2, 3)?, &v, t);
    show("SquaredFrobenius 2×3", &SquaredFrobenius::new(2, 3)?, &v, t);
    show("L21 2×3  Σ_j ‖W_j,:‖₂", &L21::new(2, 3)?, &v, t);
    let factors = vec![1.0, 0.0, 2.0, 1.0, 1.0, 0.5];
    show(
        "Weighted L1 c=(1,0,2,1,1,.5)",
        &Weighted::new(L1, factors)?,
        &v,
        t,
    );
    show(
        "WeightedBlocks L21 c=(1,0)",
        &WeightedBlocks::new(L21::new(2, 3)?, vec![1.0, 0.0])?,
        &v,
        t,
    );
    show("Bounded::nonnegative(L1)", &Bounded::nonnegative(L1), &v, t);
    show(
        "Bounded(EN(0.5), -1, 1)",
        &Bounded::new(ElasticNet::new(0.5)?, -1.0, 1.0)?,
        &v,
        t,
    );
    println!("\n(g(v) = inf: v is outside the box; alpha_max — : no finite value, e.g. ridge)");
    Ok(())
}
