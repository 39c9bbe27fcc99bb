//! `proxreg demo`: the regularization chapter's experiments on seeded synthetic data, printed
//! as tables (and optionally written as JSON).
//!
//! 1. Ridge on two collinear features: weights, ‖w‖₂ and the condition number of `XᵀX + λI`
//!    per λ.
//! 2. Lasso against Ridge on a sparse truth: nonzeros, ‖w‖₁, ‖w‖₂.
//! 3. The Lasso path: nonzeros and selected features per alpha.
//! 4. Elastic Net on three correlated features: the Lasso picks one, the Elastic Net spreads.
//! 5. LassoCv, RidgeCv (K-fold and exact leave-one-out) and ElasticNetCv choosing alpha (and
//!    l1_ratio).

use std::path::Path;

use proxreg::linalg::ColMajor;
use proxreg::prelude::*;
use serde_json::json;

use crate::commands::CliError;

/// A small deterministic generator (splitmix64) with Box–Muller normals.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    /// A uniform number in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A standard normal number.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

fn norm1(w: &[f64]) -> f64 {
    w.iter().map(|v| v.abs()).sum()
}
fn norm2(w: &[f64]) -> f64 {
    w.iter().map(|v| v * v).sum::<f64>().sqrt()
}
fn nnz(w: &[f64]) -> usize {
    w.iter().filter(|v| **v != 0.0).count()
}

/// The sparse problem of experiments 2, 3 and 5: `n = 100`, `p = 20`, truth
/// `w = (3, −2, 1.5, 0, …)`, noise sd 1.
pub fn sparse_data(seed: u64) -> (ColMajor<f64>, Vec<f64>, Vec<f64>) {
    let mut rng = Rng::new(seed.wrapping_add(2));
    let (n, p) = (100, 20);
    let x = ColMajor::from_fn(n, p, |_, _| rng.normal());
    let mut truth = vec![0.0; p];
    truth[0] = 3.0;
    truth[1] = -2.0;
    truth[2] = 1.5;
    let y = (0..n)
        .map(|i| (0..p).map(|j| x.col(j)[i] * truth[j]).sum::<f64>() + rng.normal())
        .collect();
    (x, y, truth)
}

/// Runs the five experiments, prints the tables to `out`, writes `json` if given.
///
/// # Errors
/// [`CliError::Fit`] if a fit fails (it does not on this data); [`CliError::Write`].
pub fn run(
    seed: u64,
    json_path: Option<&Path>,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let mut s = String::new();
    let mut report = serde_json::Map::new();
    s += &format!("proxreg demo (seed {seed})\n\n");

    // 1. ridge on collinear features
    let mut rng = Rng::new(seed.wrapping_add(1));
    let n = 100;
    let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let x = ColMajor::from_fn(n, 2, |i, j| {
        if j == 0 {
            z[i]
        } else {
            z[i] + 0.05 * rng.normal()
        }
    });
    let y: Vec<f64> = (0..n)
        .map(|i| x.col(0)[i] + x.col(1)[i] + 0.5 * rng.normal())
        .collect();
    s += "1. Ridge on two collinear features (x2 = x1 + 0.05·noise; truth w = (1, 1))\n";
    s += &format!(
        "   {:>8} {:>10} {:>10} {:>9} {:>16}\n",
        "lambda", "w1", "w2", "‖w‖₂", "cond(XᵀX+λI)"
    );
    let mut rows = Vec::new();
    for lam in [0.0, 0.01, 0.1, 1.0, 10.0] {
        let m = Ridge::params()
            .alpha(lam)
            .condition_number(true)
            .fit(&x, &y)?;
        let w = m.coef();
        let cond = m.condition_number().unwrap_or(f64::NAN);
        s += &format!(
            "   {:>8} {:>10.4} {:>10.4} {:>9.4} {:>16.4e}\n",
            lam,
            w[0],
            w[1],
            norm2(w),
            cond
        );
        rows.push(json!({"lambda": lam, "coef": w, "norm2": norm2(w), "condition_number": cond}));
    }
    report.insert("ridge_collinear".into(), json!(rows));

    // 2. lasso against ridge on a sparse truth
    let (x, y, truth) = sparse_data(seed);
    let lasso = Lasso::params().alpha(0.1).fit(&x, &y)?;
    let ridge = Ridge::params().alpha(10.0).fit(&x, &y)?;
    s += "\n2. Lasso against Ridge on a sparse truth (n = 100, p = 20, 3 nonzero: 3, −2, 1.5)\n";
    s += &format!(
        "   {:<14} {:>8} {:>8} {:>8}\n",
        "model", "nonzeros", "‖w‖₁", "‖w‖₂"
    );
    let mut rows = Vec::new();
    for (name, w) in [
        ("truth", truth.as_slice()),
        ("Lasso(α=0.1)", lasso.coef()),
        ("Ridge(α=10)", ridge.coef()),
    ] {
        s += &format!(
            "   {:<14} {:>8} {:>8.3} {:>8.3}\n",
            name,
            nnz(w),
            norm1(w),
            norm2(w)
        );
        rows.push(json!({"model": name, "coef": w, "nonzeros": nnz(w), "norm1": norm1(w), "norm2": norm2(w)}));
    }
    report.insert("lasso_vs_ridge".into(), json!(rows));

    // 3. the lasso path
    s += "\n3. The Lasso path on the same data (warm starts, decreasing alpha)\n";
    s += &format!(
        "   {:>9} {:>8}  selected features (1-based)\n",
        "alpha", "nonzeros"
    );
    let mut rows = Vec::new();
    let mut warm: Option<Vec<f64>> = None;
    for alpha in [3.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0.05, 0.01] {
        let mut b = Lasso::params().alpha(alpha);
        if let Some(w) = warm.take() {
            b = b.warm_start(w);
        }
        let m = b.fit(&x, &y)?;
        let sel: Vec<usize> = m.support().iter().map(|j| j + 1).collect();
        s += &format!(
            "   {:>9} {:>8}  {}\n",
            alpha,
            sel.len(),
            sel.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        );
        rows.push(json!({"alpha": alpha, "nonzeros": sel.len(), "selected": sel, "duality_gap": m.duality_gap()}));
        warm = Some(m.coef().to_vec());
    }
    report.insert("lasso_path".into(), json!(rows));

    // 4. elastic net on three correlated features
    let mut rng = Rng::new(seed.wrapping_add(4));
    let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let x3 = ColMajor::from_fn(n, 3, |i, _| z[i] + 0.01 * rng.normal());
    let y3: Vec<f64> = (0..n).map(|i| 3.0 * z[i] + 0.5 * rng.normal()).collect();
    let l = Lasso::params().alpha(0.1).tol(1e-8).fit(&x3, &y3)?;
    let e = ElasticNet::params()
        .alpha(0.1)
        .l1_ratio(0.1)
        .tol(1e-8)
        .fit(&x3, &y3)?;
    s += "\n4. Three correlated features (x_i = z + 0.01·noise, y = 3z + noise): Lasso picks, Elastic Net spreads\n";
    s += &format!("   {:<24} {:>8} {:>8} {:>8}\n", "model", "w1", "w2", "w3");
    let mut rows = Vec::new();
    for (name, w) in [
        ("Lasso(α=0.1)", l.coef()),
        ("ElasticNet(α=0.1, ρ=0.1)", e.coef()),
    ] {
        s += &format!(
            "   {:<24} {:>8.3} {:>8.3} {:>8.3}\n",
            name, w[0], w[1], w[2]
        );
        rows.push(json!({"model": name, "coef": w}));
    }
    report.insert("correlated".into(), json!(rows));

    // 5. cross-validation choosing alpha and l1_ratio
    let kf = KFold::new(5).shuffle(Some(seed));
    let lcv = LassoCv::params().cv(kf).fit(&x, &y)?;
    let ecv = ElasticNetCv::params()
        .l1_ratios(vec![0.1, 0.5, 0.9, 1.0])
        .cv(kf)
        .fit(&x, &y)?;
    let rcv = RidgeCv::params().mode(RidgeCvMode::KFold(kf)).fit(&x, &y)?;
    let ridge_mse = rcv.kfold().map_or(f64::NAN, |p| p.mean[rcv.index()]);
    let rloo = RidgeCv::params().fit(&x, &y)?;
    s += "\n5. Cross-validation (5 shuffled folds; leave-one-out in closed form) on the sparse problem of 2.\n";
    s += &format!(
        "   {:<26} {:>10} {:>9} {:>9} {:>8}\n",
        "estimator", "alpha", "l1_ratio", "CV MSE", "nonzeros"
    );
    let rows = vec![
        (
            "LassoCv",
            lcv.alpha(),
            1.0,
            lcv.mse_mean()[lcv.index_min()],
            lcv.model().coef(),
        ),
        (
            "ElasticNetCv(0.1,.5,.9,1)",
            ecv.alpha(),
            ecv.l1_ratio(),
            ecv.mse_mean()[ecv.index_min()],
            ecv.model().coef(),
        ),
        (
            "RidgeCv (K-fold)",
            rcv.alpha(),
            0.0,
            ridge_mse,
            rcv.model().coef(),
        ),
        (
            "RidgeCv (leave-one-out)",
            rloo.alpha(),
            0.0,
            rloo.loo()[rloo.index()],
            rloo.model().coef(),
        ),
    ];
    let mut jrows = Vec::new();
    for (name, alpha, rho, mse, w) in rows {
        s += &format!(
            "   {:<26} {:>10.4e} {:>9} {:>9.4} {:>8}\n",
            name,
            alpha,
            rho,
            mse,
            nnz(w)
        );
        jrows.push(json!({"estimator": name, "alpha": alpha, "l1_ratio": rho, "cv_mse": mse, "nonzeros": nnz(w)}));
    }
    report.insert("cv".into(), json!(jrows));

    let _ = out.write_all(s.as_bytes());
    if let Some(p) = json_path {
        report.insert("command".into(), json!("demo"));
        report.insert("seed".into(), json!(seed));
        report.insert("proxreg_version".into(), json!(env!("CARGO_PKG_VERSION")));
        let text =
            serde_json::to_string_pretty(&serde_json::Value::Object(report)).map_err(|e| {
                CliError::Write {
                    file: p.display().to_string(),
                    message: e.to_string(),
                }
            })?;
        std::fs::write(p, text).map_err(|e| CliError::Write {
            file: p.display().to_string(),
            message: e.to_string(),
        })?;
    }
    Ok(())
}
