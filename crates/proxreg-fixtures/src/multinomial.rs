//! Penalized **multinomial** regression references (issue #21):
//! `tests/fixtures/multinomial_sklearn_glmnet.json`, produced by
//! `scripts/make_multinomial_fixtures.py` from real runs of scikit-learn 1.9.1
//! (`LogisticRegression`, solver saga: the entrywise l1 / elastic-net penalties) and of
//! python-glmnet 2.6.1's Fortran `lognet` with `kopt = 2` (glmnet's grouped multinomial).
//!
//! ```
//! use proxreg_fixtures::multinomial::load_multinomial;
//!
//! let fx = load_multinomial()?;
//! let case = fx.case("iris_l1").ok_or("case exists")?;
//! let data = fx.dataset(&case.data).ok_or("data set exists")?;
//! assert_eq!(data.x.len(), 150);
//! assert!(case.solver_kkt <= 1e-8);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions (`K` classes, the sorted labels; `s` the sample weights, `m = Σ s_i`):
//! `f(W, b) = (1/m) Σ_i s_i [logsumexp(η_i) − η_{i,y_i}] + α g(W)`, `η_i = Wᵀx_i + b`, `W`
//! `p × K` (stored as `coef[j][k]`), `g = ρ‖W‖₁ + ½(1−ρ)‖W‖²_F` (entrywise) or
//! `ρ Σ_j ‖W_j·‖₂ + ½(1−ρ)‖W‖²_F` (grouped). Intercepts are stored centred (they are defined up
//! to a common shift); `proba` holds the reference's class probabilities on the data set.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Reads and parses `tests/fixtures/multinomial_sklearn_glmnet.json`.
pub fn load_multinomial() -> Result<MultinomialFixture, String> {
    let path = crate::fixtures_dir().join("multinomial_sklearn_glmnet.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot parse fixture {}: {e}", path.display()))
}

/// The multinomial fixture: data sets and cases.
#[derive(Debug, Clone, Deserialize)]
pub struct MultinomialFixture {
    /// What the file holds.
    pub description: String,
    /// The data sets by name (`iris`, `wine`).
    pub datasets: BTreeMap<String, MultinomialData>,
    /// The fits.
    pub cases: Vec<MultinomialCase>,
}

impl MultinomialFixture {
    /// The case of this name.
    pub fn case(&self, name: &str) -> Option<&MultinomialCase> {
        self.cases.iter().find(|c| c.name == name)
    }

    /// The data set of this name.
    pub fn dataset(&self, name: &str) -> Option<&MultinomialData> {
        self.datasets.get(name)
    }
}

/// A data set: rows of `x` (standardized), labels, optional weights.
#[derive(Debug, Clone, Deserialize)]
pub struct MultinomialData {
    /// The rows of `X`.
    pub x: Vec<Vec<f64>>,
    /// The labels.
    pub y: Vec<f64>,
    /// Sample weights used by the `weighted` cases.
    #[serde(default)]
    pub sample_weight: Option<Vec<f64>>,
}

impl MultinomialData {
    /// `X` column-major (`n·p` values).
    pub fn x_col_major(&self) -> Vec<f64> {
        let (n, p) = (self.x.len(), self.x.first().map_or(0, Vec::len));
        let mut out = vec![0.0; n * p];
        for (i, row) in self.x.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                out[j * n + i] = v;
            }
        }
        out
    }
}

/// One reference fit.
#[derive(Debug, Clone, Deserialize)]
pub struct MultinomialCase {
    /// Case name, e.g. `iris_l1`, `wine_group_weighted`.
    pub name: String,
    /// The data set's name.
    pub data: String,
    /// The solver that produced it.
    pub solver: String,
    /// Its iterations (epochs for saga, passes for glmnet).
    pub solver_iterations: u64,
    /// Its KKT violation under `f` (computed by the script).
    pub solver_kkt: f64,
    /// α.
    pub alpha: f64,
    /// `alpha_max` of the case's penalty.
    pub alpha_max: f64,
    /// ρ.
    pub l1_ratio: f64,
    /// Grouped penalty.
    pub grouped: bool,
    /// Whether the data set's sample weights are used.
    pub weighted: bool,
    /// `f` at the reference.
    pub objective: f64,
    /// `W`, `coef[j][k]`.
    pub coef: Vec<Vec<f64>>,
    /// Centred intercepts.
    pub intercept_centred: Vec<f64>,
    /// Class probabilities of the reference on the data set, `proba[i][k]`.
    pub proba: Vec<Vec<f64>>,
}
