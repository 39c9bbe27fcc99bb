//! Penalized **logistic** regression references (issue #19): `tests/fixtures/logistic_*.json`,
//! produced by `scripts/make_logistic_fixtures.py` from real runs of scikit-learn 1.9.1
//! (`LogisticRegression`), python-glmnet 2.6.1 (`LogitNet`, the Fortran `lognet`) and an
//! independent numpy proximal Newton solver (the stored [`LogisticCase::reference`]).
//!
//! ```
//! use proxreg_fixtures::logistic::{load_logistic, LogisticPenalty};
//!
//! let fx = load_logistic("logistic_small")?;
//! let case = fx.case("lasso_rel0.1").ok_or("case exists")?;
//! assert_eq!(case.penalty, LogisticPenalty::Lasso);
//! let r = &case.reference;
//! let obj = case.objective(&fx.problem, &r.coef, r.intercept);
//! assert!((obj - r.objective).abs() <= 1e-12 * r.objective);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions (also written out in each file's `meta.conventions`), with `y_i ∈ {0, 1}`,
//! `s` the sample weights (`s = 1` when absent) and `m = Σ s_i`:
//!
//! `f(w, b) = (1/m) Σ_i s_i [log(1 + exp(η_i)) − y_i η_i] + α g(w)`, `η = Xw + b`, `b`
//! unpenalized (0 without intercept); `g` is `‖w‖₁` (lasso), `ρ‖w‖₁ + ½(1−ρ)‖w‖²` (enet,
//! `ρ = l1_ratio`), `½‖w‖²` (ridge, `l1_ratio = 0`). With `standardize = true` the penalty applies
//! to `u_j = σ_j w_j` (`σ = x_scale`: the s-weighted population std around the weighted mean with
//! an intercept, the weighted RMS around 0 without); stored coefficients are always `w`, on the
//! scale of the raw `x`. scikit-learn's `C = 1/(m α)` (`sklearn_C`), glmnet's `λ = α`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The stems of the logistic fixture files.
pub const LOGISTIC_FILES: &[&str] = &["logistic_small", "logistic_cancer"];

/// Reads and parses `tests/fixtures/<name>.json` as a logistic fixture (e.g. `"logistic_small"`);
/// the error names the file and what went wrong.
pub fn load_logistic(name: &str) -> Result<LogisticFixture, String> {
    let path = crate::fixtures_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot parse fixture {}: {e}", path.display()))
}

/// One logistic fixture file: the data and the cases solved on it.
#[derive(Debug, Clone, Deserialize)]
pub struct LogisticFixture {
    /// Provenance and conventions.
    pub meta: LogisticMeta,
    /// The data set.
    pub problem: LogisticProblem,
    /// The penalized fits, each with its references.
    pub cases: Vec<LogisticCase>,
}

impl LogisticFixture {
    /// The case with this `name` (e.g. `lasso_rel0.1`, `enet0.5_rel0.05`, `ridge_rel0.1`,
    /// `lasso_weighted_rel0.1`, `lasso_nointercept_rel0.1`, `lasso_rel1`).
    pub fn case(&self, name: &str) -> Option<&LogisticCase> {
        self.cases.iter().find(|c| c.name == name)
    }
}

/// Provenance of a logistic fixture.
#[derive(Debug, Clone, Deserialize)]
pub struct LogisticMeta {
    /// Format version of the file (1).
    pub format_version: u32,
    /// File stem, e.g. `logistic_small`.
    pub name: String,
    /// What the file holds.
    pub description: String,
    /// Script and library versions that produced it.
    pub generator: LogisticGenerator,
    /// The conventions, in words (objective, penalty, standardize, alpha_max, kkt, ...).
    pub conventions: BTreeMap<String, String>,
}

/// Script and library versions.
#[derive(Debug, Clone, Deserialize)]
pub struct LogisticGenerator {
    /// Path of the generating script.
    pub script: String,
    /// Python version.
    pub python: String,
    /// numpy version.
    pub numpy: String,
    /// scipy version.
    pub scipy: String,
    /// scikit-learn version.
    pub sklearn: String,
    /// python-glmnet version (`python-glmnet 2.6.1`).
    pub glmnet: String,
}

/// A binary classification data set (raw, unstandardized values).
#[derive(Debug, Clone, Deserialize)]
pub struct LogisticProblem {
    /// `small` or `cancer`.
    pub name: String,
    /// How it was made.
    pub description: String,
    /// n.
    pub n_samples: usize,
    /// p.
    pub n_features: usize,
    /// Design, row-major `[n][p]`.
    pub x: Vec<Vec<f64>>,
    /// Labels, 0.0 or 1.0, length n.
    pub y: Vec<f64>,
    /// The coefficients used to draw `y` (synthetic data only).
    pub w_true: Option<Vec<f64>>,
}

impl LogisticProblem {
    /// The design flattened column-major (`x[i][j]` at `j * n + i`), e.g. for `ColMajor::new`.
    pub fn x_col_major(&self) -> Vec<f64> {
        (0..self.n_features)
            .flat_map(|j| self.x.iter().map(move |row| row[j]))
            .collect()
    }
}

/// The penalty `g` of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogisticPenalty {
    /// `‖w‖₁` (`l1_ratio = 1`).
    Lasso,
    /// `ρ‖w‖₁ + ½(1−ρ)‖w‖²` (`ρ = l1_ratio`).
    Enet,
    /// `½‖w‖²` (`l1_ratio = 0`).
    Ridge,
}

/// One penalized logistic fit and its references.
#[derive(Debug, Clone, Deserialize)]
pub struct LogisticCase {
    /// Unique name within the file.
    pub name: String,
    /// The penalty.
    pub penalty: LogisticPenalty,
    /// Strength α.
    pub alpha: f64,
    /// The lasso's α_max for this case (its weights, intercept and scaling):
    /// `‖Zᵀ s (p̄ − y)‖∞ / m`, `Z = X / x_scale`, `p̄` the weighted mean of `y` with an intercept,
    /// ½ without.
    pub alpha_max: f64,
    /// `alpha / alpha_max` (`alpha == alpha_max` exactly when 1).
    pub alpha_rel: f64,
    /// ρ: 1 for the lasso, 0 for ridge.
    pub l1_ratio: f64,
    /// Whether the unpenalized intercept was fitted.
    pub fit_intercept: bool,
    /// Whether the penalty applies to `x_scale ⊙ w` (see the module docs).
    pub standardize: bool,
    /// σ (length p) when `standardize`.
    pub x_scale: Option<Vec<f64>>,
    /// Sample weights (unnormalized, one of them 0), when weighted.
    pub sample_weight: Option<Vec<f64>>,
    /// scikit-learn's `C = 1/(m α)`.
    #[serde(rename = "sklearn_C")]
    pub sklearn_c: f64,
    /// The numpy proximal Newton solution (KKT ≤ 1e-12, usually ~1e-17).
    pub reference: ReferenceFit,
    /// scikit-learn `LogisticRegression`'s solution.
    pub sklearn: SklearnFit,
    /// python-glmnet `LogitNet`'s solution (lasso and enet cases only).
    pub glmnet: Option<GlmnetFit>,
    /// Agreement of each outside solution with `reference`.
    pub agreement: Agreement,
}

impl LogisticCase {
    /// `f(w, b)` of this case (weights, standardization and penalty included) in float64.
    pub fn objective(&self, problem: &LogisticProblem, w: &[f64], b: f64) -> f64 {
        logistic_objective(
            &problem.x,
            &problem.y,
            w,
            b,
            self.alpha,
            self.l1_ratio,
            self.sample_weight.as_deref(),
            self.x_scale.as_deref(),
        )
    }
}

/// The numpy reference solution.
#[derive(Debug, Clone, Deserialize)]
pub struct ReferenceFit {
    /// Coefficients `w` (raw scale), length p.
    pub coef: Vec<f64>,
    /// Intercept (0 when not fitted).
    pub intercept: f64,
    /// `f(coef, intercept)`.
    pub objective: f64,
    /// `max_j dist(−∂_j loss, α ∂g(u_j))` in the penalized (`u`) space.
    pub kkt: f64,
    /// `|∂f/∂b|` (0 without intercept).
    pub kkt_intercept: f64,
    /// Relative duality gap `(P − D)/|P|` (can be a tiny negative number from rounding).
    pub rel_duality_gap: f64,
    /// Description of the method.
    pub solver: String,
    /// Outer (Newton) iterations.
    pub n_outer: u64,
}

/// scikit-learn's solution.
#[derive(Debug, Clone, Deserialize)]
pub struct SklearnFit {
    /// Coefficients `w` (raw scale), length p.
    pub coef: Vec<f64>,
    /// Intercept (0 when not fitted).
    pub intercept: f64,
    /// `f(coef, intercept)`.
    pub objective: f64,
    /// KKT violation, as [`ReferenceFit::kkt`].
    pub kkt: f64,
    /// `|∂f/∂b|`.
    pub kkt_intercept: f64,
    /// Relative duality gap.
    pub rel_duality_gap: f64,
    /// `saga` (lasso, enet) or `newton-cholesky` (ridge).
    pub solver: String,
    /// `tol` passed.
    pub tol: f64,
    /// `max_iter` passed.
    pub max_iter: u64,
    /// `n_iter_`.
    pub n_iter: u64,
    /// No `ConvergenceWarning` was raised.
    pub converged: bool,
    /// `C` passed (= the case's `sklearn_c`).
    #[serde(rename = "C")]
    pub c: f64,
    /// `random_state` passed (saga samples rows at random).
    pub random_state: u64,
    /// Caveat, when any (at α_max saga stops before the intercept has converged).
    #[serde(default)]
    pub note: Option<String>,
}

/// python-glmnet's solution.
#[derive(Debug, Clone, Deserialize)]
pub struct GlmnetFit {
    /// Coefficients `w` (raw scale), length p.
    pub coef: Vec<f64>,
    /// Intercept (0 when not fitted).
    pub intercept: f64,
    /// `f(coef, intercept)`.
    pub objective: f64,
    /// KKT violation, as [`ReferenceFit::kkt`].
    pub kkt: f64,
    /// `|∂f/∂b|`.
    pub kkt_intercept: f64,
    /// Relative duality gap.
    pub rel_duality_gap: f64,
    /// glmnet's λ (= the case's α).
    pub lambda: f64,
    /// glmnet's `alpha` (= the case's ρ).
    pub alpha: f64,
    /// The λ path given to glmnet (decreasing, ends at `lambda`).
    pub lambda_path: Vec<f64>,
    /// glmnet's `thresh` (python-glmnet `tol`).
    pub thresh: f64,
    /// glmnet's own `standardize` flag as passed.
    pub standardize: bool,
    /// The script gave glmnet `x / x_scale` (standardized case without intercept, where glmnet's
    /// own `standardize` would use the centered std instead of the RMS).
    pub x_scaled_by_script: bool,
    /// glmnet's `intercept`.
    pub fit_intercept: bool,
    /// Class labels as glmnet saw them.
    pub classes: Vec<i64>,
}

/// `max(max_j |w_j − w_ref_j|, |b − b_ref|) / max(1, max_j |w_ref_j|)`.
#[derive(Debug, Clone, Deserialize)]
pub struct Agreement {
    /// scikit-learn vs the reference (≤ 1e-7 asserted; ≤ 1e-5 at α_max, see [`SklearnFit::note`]).
    pub sklearn_vs_reference: f64,
    /// glmnet vs the reference (≤ 1e-5 asserted), when glmnet was run.
    #[serde(default)]
    pub glmnet_vs_reference: Option<f64>,
}

/// The logistic objective of the module docs,
/// `(1/m) Σ sᵢ [log(1 + exp(ηᵢ)) − yᵢηᵢ] + α (ρ‖u‖₁ + ½(1−ρ)‖u‖²)` with `η = Xw + b` and
/// `u = x_scale ⊙ w` (`u = w` when `x_scale` is `None`); `s = 1` when `sample_weight` is `None`.
#[allow(clippy::too_many_arguments)]
pub fn logistic_objective(
    x: &[Vec<f64>],
    y: &[f64],
    w: &[f64],
    b: f64,
    alpha: f64,
    l1_ratio: f64,
    sample_weight: Option<&[f64]>,
    x_scale: Option<&[f64]>,
) -> f64 {
    let (mut loss, mut total) = (0.0, 0.0);
    for (i, (row, &yi)) in x.iter().zip(y).enumerate() {
        let s = sample_weight.map_or(1.0, |s| s[i]);
        let eta = b + row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>();
        // log(1 + e^η), stable for large |η|
        let softplus = eta.max(0.0) + (-eta.abs()).exp().ln_1p();
        loss += s * (softplus - yi * eta);
        total += s;
    }
    let u = |j: usize| w[j] * x_scale.map_or(1.0, |sc| sc[j]);
    let l1: f64 = (0..w.len()).map(|j| u(j).abs()).sum();
    let l2: f64 = (0..w.len()).map(|j| u(j) * u(j)).sum();
    loss / total + alpha * (l1_ratio * l1 + 0.5 * (1.0 - l1_ratio) * l2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_fixtures_load_with_consistent_shapes() {
        for &name in LOGISTIC_FILES {
            let fx = load_logistic(name).unwrap();
            assert_eq!(fx.meta.name, name);
            assert_eq!(fx.meta.format_version, 1);
            assert!(fx.meta.generator.glmnet.contains("2.6.1"));
            let pb = &fx.problem;
            let (n, p) = (pb.n_samples, pb.n_features);
            assert_eq!(pb.x.len(), n);
            assert!(pb.x.iter().all(|r| r.len() == p));
            assert_eq!(pb.y.len(), n);
            assert!(pb.y.iter().all(|&v| v == 0.0 || v == 1.0));
            assert_eq!(pb.x_col_major().len(), n * p);
            assert_eq!(pb.x_col_major()[n], pb.x[0][1]);
            assert_eq!(fx.cases.len(), 10, "{name}");
            for c in &fx.cases {
                let what = format!("{name}/{}", c.name);
                assert_eq!(c.reference.coef.len(), p, "{what}");
                assert_eq!(c.sklearn.coef.len(), p, "{what}");
                assert_eq!(c.x_scale.as_ref().map(Vec::len), c.standardize.then_some(p));
                if let Some(s) = &c.sample_weight {
                    assert_eq!(s.len(), n, "{what}");
                }
                let rho = match c.penalty {
                    LogisticPenalty::Lasso => 1.0,
                    LogisticPenalty::Ridge => 0.0,
                    LogisticPenalty::Enet => c.l1_ratio,
                };
                assert_eq!(c.l1_ratio, rho, "{what}");
                // glmnet exactly for the l1 cases
                assert_eq!(
                    c.glmnet.is_some(),
                    c.penalty != LogisticPenalty::Ridge,
                    "{what}"
                );
                assert_eq!(
                    c.agreement.glmnet_vs_reference.is_some(),
                    c.glmnet.is_some()
                );
                let m: f64 = c
                    .sample_weight
                    .as_ref()
                    .map_or(n as f64, |s| s.iter().sum());
                assert!((c.sklearn_c * m * c.alpha - 1.0).abs() <= 1e-12, "{what}");
                assert!((c.alpha - c.alpha_rel * c.alpha_max).abs() <= 1e-15 * c.alpha_max);
                if !c.fit_intercept {
                    assert_eq!(c.reference.intercept, 0.0, "{what}");
                }
                // the stored objectives are reproduced here, and the reference is the best
                let r = &c.reference;
                let obj = c.objective(pb, &r.coef, r.intercept);
                assert!((obj - r.objective).abs() <= 1e-12 * obj, "{what}: {obj}");
                assert!(r.kkt <= 1e-12 && r.kkt_intercept <= 1e-12, "{what}");
                let sk = c.objective(pb, &c.sklearn.coef, c.sklearn.intercept);
                assert!(sk >= obj - 1e-14 * obj, "{what}");
                if let Some(g) = &c.glmnet {
                    assert_eq!(g.coef.len(), p, "{what}");
                    assert_eq!(g.lambda, c.alpha, "{what}");
                    assert_eq!(g.lambda_path.last(), Some(&c.alpha), "{what}");
                }
                if c.alpha_rel == 1.0 {
                    assert_eq!(c.alpha, c.alpha_max, "{what}");
                    assert!(r.coef.iter().all(|&v| v == 0.0), "{what}");
                }
            }
        }
    }
}
