//! Poisson regression with an exposure offset and Huber regression on the same counts (the
//! snippet of `docs/guide.md`): `cargo run --release -p proxreg --example families`.

use proxreg::prelude::*;

fn main() -> Result<()> {
    let x = ColMajor::from_fn(100, 3, |i, j| (((i * (j + 3)) % 7) as f64 - 3.0) / 3.0);
    let exposure: Vec<f64> = (0..100).map(|i| 0.5 + (i % 4) as f64 / 2.0).collect();
    let counts: Vec<f64> = (0..100).map(|i| ((i * 5) % 7 / 2) as f64).collect();
    let offset: Vec<f64> = exposure.iter().map(|t| t.ln()).collect();
    let fit = PoissonRegression::params()
        .alpha(0.01)
        .tol(1e-8)
        .fit_offset(&x, &counts, None, Some(&offset))?;
    println!(
        "poisson: coef {:?} rate[0] {:.4} relative gap {:?} ({:?})",
        fit.coef(),
        fit.predict(&x)?[0],
        fit.report().relative_gap,
        fit.status()
    );
    let robust = HuberRegression::params()
        .delta(1.35)
        .alpha(0.01)
        .fit(&x, &counts)?;
    let n_out = robust.outliers(&x, &counts)?.iter().filter(|&&o| o).count();
    println!(
        "huber: coef {:?}, {n_out} rows beyond delta, relative gap {:?}",
        robust.coef(),
        robust.report().relative_gap
    );
    Ok(())
}
