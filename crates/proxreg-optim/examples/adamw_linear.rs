//! Trains a small linear model `y ≈ Xw + b` with AdamW and two parameter groups: weight decay
//! on the weights, none on the bias. Mini-batches of 20 rows, a cosine learning-rate schedule,
//! and the per-group norms printed as training goes.
//!
//! ```sh
//! cargo run --release -p proxreg-optim --example adamw_linear
//! ```

use proxreg_core::Result;
use proxreg_optim::schedule::Cosine;
use proxreg_optim::{AdamW, Optimizer, ParamGroup};

/// A tiny deterministic generator (SplitMix64 + Box–Muller), so the example needs no crate.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

fn main() -> Result<()> {
    let (n, p, batch, epochs) = (200, 5, 20, 150);
    let w_true = [1.5, -2.0, 0.0, 0.5, 3.0];
    let b_true = 0.7;
    let mut rng = Rng(42);
    let x: Vec<f64> = (0..n * p).map(|_| rng.normal()).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| {
            let xi = &x[i * p..(i + 1) * p];
            xi.iter().zip(&w_true).map(|(a, b)| a * b).sum::<f64>() + b_true + 0.1 * rng.normal()
        })
        .collect();

    // tensors in group order: [weights (p)], [bias (1)]
    let groups = vec![
        ParamGroup::new("weights", &[p]).weight_decay(1e-2),
        ParamGroup::new("bias", &[1]).weight_decay(0.0),
    ];
    let steps = epochs * (n / batch);
    let mut opt = AdamW::params()
        .lr(0.05)
        .build(groups)?
        .with_schedule(Cosine::new(steps, 0.0)?);

    let mut params = vec![vec![0.0_f64; p], vec![0.0]];
    let mut grads = vec![vec![0.0_f64; p], vec![0.0]];
    let mse = |params: &[Vec<f64>]| -> f64 {
        (0..n)
            .map(|i| {
                let xi = &x[i * p..(i + 1) * p];
                let r = xi.iter().zip(&params[0]).map(|(a, b)| a * b).sum::<f64>() + params[1][0]
                    - y[i];
                r * r
            })
            .sum::<f64>()
            / n as f64
    };

    println!("AdamW, lr 0.05 (cosine to 0 over {steps} steps), decay 1e-2 on weights, 0 on bias\n");
    println!(
        "{:>6} {:>10} {:>10} | {:>9} {:>11} {:>11} | {:>9} {:>11}",
        "epoch", "lr", "mse", "‖W‖_F", "½‖W‖²_F", "λ·½‖W‖²_F", "|b|", "λ·½b²"
    );
    for epoch in 0..=epochs {
        if epoch % 25 == 0 {
            let norms = opt.groups().norms(&params)?;
            let lr = opt.current_lr(0)?;
            println!(
                "{epoch:>6} {lr:>10.2e} {:>10.3e} | {:>9.5} {:>11.5} {:>11.3e} | {:>9.5} {:>11.3e}",
                mse(&params),
                norms[0].frobenius,
                norms[0].squared_frobenius,
                norms[0].decay_term,
                norms[1].frobenius,
                norms[1].decay_term,
            );
        }
        if epoch == epochs {
            break;
        }
        for start in (0..n).step_by(batch) {
            // gradient of the mini-batch loss (1/(2m))‖Xw + b − y‖²
            grads.iter_mut().flatten().for_each(|g| *g = 0.0);
            for i in start..start + batch {
                let xi = &x[i * p..(i + 1) * p];
                let r = xi.iter().zip(&params[0]).map(|(a, b)| a * b).sum::<f64>() + params[1][0]
                    - y[i];
                for (g, &xij) in grads[0].iter_mut().zip(xi) {
                    *g += xij * r / batch as f64;
                }
                grads[1][0] += r / batch as f64;
            }
            opt.step(&mut params, &grads)?;
        }
    }
    println!("\nlearned w = {:.4?}, b = {:.4}", params[0], params[1][0]);
    println!("true    w = {w_true:.4?}, b = {b_true:.4}");
    Ok(())
}
