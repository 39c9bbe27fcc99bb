//! The lessons of the regularization chapter on a seeded synthetic design:
//! ridge shrinks every weight and improves the conditioning of XᵀX + λI; the Lasso sets weights
//! exactly to zero; the Elastic Net spreads weight across correlated features where the Lasso
//! picks one. Every fit prints its certificate (relative duality gap).
//!
//! `cargo run --release -p proxreg --example quickstart`

use proxreg::prelude::*;

/// A tiny seeded normal generator (xorshift + Box–Muller).
struct Rng(u64);
impl Rng {
    fn normal(&mut self) -> f64 {
        let mut u = || {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (a, b) = (u(), u());
        (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
    }
}

fn norm2(w: &[f64]) -> f64 {
    w.iter().map(|v| v * v).sum::<f64>().sqrt()
}

fn fmt(w: &[f64]) -> String {
    w.iter()
        .map(|v| format!("{v:>7.3}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> Result<()> {
    let mut rng = Rng(0x5EED);
    let n = 100;

    // 1. Ridge on two nearly collinear features (x2 = x1 + 0.01·noise), y = x1 + x2 + noise.
    println!("1. Ridge on collinear features: shrinks, keeps all weights, conditions XᵀX + λI");
    let x1: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let x = ColMajor::from_fn(n, 2, |i, j| {
        if j == 0 {
            x1[i]
        } else {
            x1[i] + 0.01 * rng.normal()
        }
    });
    let y: Vec<f64> = (0..n)
        .map(|i| x.col(0)[i] + x.col(1)[i] + 0.5 * rng.normal())
        .collect();
    println!(
        "   {:>8} {:>17} {:>9} {:>12} {:>10}",
        "lambda", "weights", "‖w‖₂", "cond(XᵀX+λI)", "rel. gap"
    );
    for lambda in [0.0, 0.01, 0.1, 1.0, 10.0] {
        let m = Ridge::params()
            .alpha(lambda)
            .fit_intercept(false)
            .solver(SolverChoice::Svd)
            .fit(&x, &y)?;
        println!(
            "   {lambda:>8} {} {:>9.3} {:>12.3e} {:>10}",
            fmt(m.coef()),
            norm2(m.coef()),
            m.condition_number().unwrap_or(f64::NAN),
            m.report()
                .relative_gap
                .map_or("-".to_string(), |g| format!("{g:.1e}")) // no gap at λ = 0
        );
    }

    // 2. Lasso against Ridge on a sparse truth: 3 of 20 features matter.
    println!("\n2. Lasso against Ridge on a sparse truth (3 of 20 features)");
    let p = 20;
    let x = ColMajor::from_fn(n, p, |_, _| rng.normal());
    let truth: Vec<f64> = (0..p)
        .map(|j| match j {
            2 => 3.0,
            7 => -2.0,
            11 => 1.5,
            _ => 0.0,
        })
        .collect();
    let mut y = vec![0.0; n];
    x.gemv(1.0, &truth, 0.0, &mut y);
    y.iter_mut().for_each(|v| *v += 0.5 * rng.normal());
    let lasso = Lasso::params().alpha(0.1).fit(&x, &y)?;
    let ridge = Ridge::params().alpha(10.0).fit(&x, &y)?;
    for (name, m) in [
        ("Lasso(α=0.1)", lasso.coef()),
        ("Ridge(α=10)", ridge.coef()),
    ] {
        let nnz = m.iter().filter(|v| **v != 0.0).count();
        let l1: f64 = m.iter().map(|v| v.abs()).sum();
        println!(
            "   {name:<13} nonzeros {nnz:>2}   ‖w‖₁ {l1:>6.3}   ‖w‖₂ {:>6.3}",
            norm2(m)
        );
    }
    println!(
        "   Lasso support: {:?} (truth: [2, 7, 11]); gap {:.1e}",
        lasso.support(),
        lasso.report().relative_gap.unwrap_or(f64::NAN)
    );

    // 3. Three strongly correlated copies of one signal: Lasso picks one, Elastic Net spreads.
    println!(
        "\n3. Three correlated features (pairwise corr ≈ 0.9999): Lasso picks, Elastic Net spreads"
    );
    let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let x = ColMajor::from_fn(n, 3, |i, _| z[i] + 0.01 * rng.normal());
    let y: Vec<f64> = (0..n).map(|i| 3.0 * z[i] + 0.5 * rng.normal()).collect();
    let lasso = Lasso::params().alpha(0.5).tol(1e-10).fit(&x, &y)?;
    let enet = ElasticNet::params()
        .alpha(0.5)
        .l1_ratio(0.1)
        .tol(1e-10)
        .fit(&x, &y)?;
    println!("   Lasso           {}", fmt(lasso.coef()));
    println!("   ElasticNet(0.1) {}", fmt(enet.coef()));
    Ok(())
}
