//! Poisson and Huber reference fixtures (`tests/fixtures/poisson_glum.json`,
//! `poisson_skglm.json`, `huber_skglm.json`), issue #21.
//!
//! Produced by `scripts/make_glm_family_fixtures.py` from real runs of glum 3.4.1
//! (`GeneralizedLinearRegressor(family="poisson")`, IRLS-CD, `gradient_tol=1e-12`) and skglm 0.5
//! (`GeneralizedLinearEstimator` with `Poisson()` + `ProxNewton` or `Huber(δ)` + `AndersonCD`,
//! `tol=1e-13`). Each case stores the tool's solution as is (no polishing), with its KKT
//! violation in proxreg's convention (asserted ≤ 1e-8 by the script; measured ≤ 5e-13).
//!
//! ```
//! use proxreg_fixtures::glm_family::{load_glm_family, GlmFamily};
//!
//! let fx = load_glm_family("poisson_glum")?;
//! let case = fx.case("lasso_offset_rel0.1").ok_or("case exists")?;
//! assert_eq!(case.family, GlmFamily::Poisson);
//! assert!(case.offset.is_some());
//! let obj = case.objective(&fx.problem, &case.coef, case.intercept);
//! assert!((obj - case.objective).abs() <= 1e-12 * case.objective.abs());
//! let (kkt, kkt_b) = case.kkt(&fx.problem, &case.coef, case.intercept);
//! assert!(kkt <= 1e-8 && kkt_b <= 1e-8);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions (also in each file's `meta.conventions`; `s` the sample weights, `s = 1` when
//! absent, `m = Σ sᵢ`, `ρ = l1_ratio`, `g(w) = ρ‖w‖₁ + ½(1−ρ)‖w‖²`, `b` unpenalized and 0
//! without intercept):
//!
//! - Poisson: `F(w, b) = (1/m) Σ sᵢ [exp(ηᵢ) − yᵢηᵢ] + α g(w)`, `η = Xw + b + offset`.
//! - Huber: `F(w, b) = (1/m) Σ sᵢ h_δ(yᵢ − ηᵢ) + α g(w)`, `η = Xw + b`,
//!   `h_δ(r) = r²/2` if `|r| ≤ δ`, else `δ|r| − δ²/2`.
//!
//! With `standardize = true` the penalty applies to `u = x_scale ⊙ w` (`x_scale`: the
//! s-weighted population std around the weighted mean, glum's `scale_predictors=True`); the
//! stored coefficients are always `w`, on the scale of the raw `x`. glum's objective is
//! `F + (1/m) Σ sᵢ (yᵢ log yᵢ − yᵢ)` with the same α and ρ (half the mean Poisson deviance:
//! no factor 2 to convert); skglm's values are `F` exactly. The derivations are in each file's
//! `meta.notes`, as is scikit-learn's `HuberRegressor` mapping (information only:
//! `δ = ε·scale_`, ridge with `α = α_sklearn·scale_/m`).

use serde::Deserialize;
use std::collections::BTreeMap;

/// The stems of the Poisson / Huber fixture files.
pub const GLM_FAMILY_FILES: &[&str] = &["poisson_glum", "poisson_skglm", "huber_skglm"];

/// Reads and parses `tests/fixtures/<name>.json` as a Poisson / Huber fixture (one of
/// [`GLM_FAMILY_FILES`]); the error names the file and what went wrong.
pub fn load_glm_family(name: &str) -> Result<GlmFamilyFixture, String> {
    let path = crate::fixtures_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot parse fixture {}: {e}", path.display()))
}

/// One Poisson / Huber fixture file: the data and the cases solved on it.
#[derive(Debug, Clone, Deserialize)]
pub struct GlmFamilyFixture {
    /// Provenance, conventions and notes.
    pub meta: GlmFamilyMeta,
    /// The data set (shared by every case of the file).
    pub problem: GlmFamilyProblem,
    /// The penalized fits.
    pub cases: Vec<GlmFamilyCase>,
}

impl GlmFamilyFixture {
    /// The case with this `name`. Poisson files: `lasso_rel0.5`, `lasso_rel0.1`,
    /// `lasso_rel0.01`, `enet0.5_rel0.1`, `lasso_nointercept_rel0.1` (both files), and in
    /// `poisson_glum` only `lasso_weighted_rel0.1`, `lasso_offset_rel0.1`,
    /// `enet0.5_offset_weighted_rel0.1`, `lasso_standardized_rel0.1`. Huber: `d1.35_lasso_rel0.5`,
    /// `d1.35_lasso_rel0.1`, `d1.35_lasso_rel0.01`, `d1.35_enet0.5_rel0.1`,
    /// `d1.35_lasso_nointercept_rel0.1`, `d0.5_lasso_rel0.1`, `d0.5_lasso_rel0.01`,
    /// `d0.5_enet0.5_rel0.1`.
    pub fn case(&self, name: &str) -> Option<&GlmFamilyCase> {
        self.cases.iter().find(|c| c.name == name)
    }
}

/// Provenance of a fixture file.
#[derive(Debug, Clone, Deserialize)]
pub struct GlmFamilyMeta {
    /// Format version of the file (1).
    pub format_version: u32,
    /// File stem, e.g. `poisson_glum`.
    pub name: String,
    /// What the file holds.
    pub description: String,
    /// Script and library versions that produced it.
    pub generator: GlmFamilyGenerator,
    /// The conventions, in words (`objective_definition`, `penalty`, `alpha_max`, `kkt`, ...).
    pub conventions: BTreeMap<String, String>,
    /// How each tool's objective maps onto proxreg's, as read in its source and checked by the
    /// script (keys: `glum`, `skglm`, `sklearn_HuberRegressor`).
    pub notes: BTreeMap<String, String>,
}

/// Script and library versions (every file records all of them).
#[derive(Debug, Clone, Deserialize)]
pub struct GlmFamilyGenerator {
    /// Path of the generating script.
    pub script: String,
    /// Python version.
    pub python: String,
    /// numpy version.
    pub numpy: String,
    /// scipy version.
    pub scipy: String,
    /// scikit-learn version (its `HuberRegressor` is used for `meta.notes` only).
    pub sklearn: String,
    /// glum version (`3.4.1`).
    pub glum: String,
    /// skglm version (`0.5`).
    pub skglm: String,
}

/// A regression data set (raw values).
#[derive(Debug, Clone, Deserialize)]
pub struct GlmFamilyProblem {
    /// `poisson_counts` or `huber_outliers`.
    pub name: String,
    /// How it was drawn.
    pub description: String,
    /// n.
    pub n_samples: usize,
    /// p.
    pub n_features: usize,
    /// Design, row-major `[n][p]`.
    pub x: Vec<Vec<f64>>,
    /// Target, length n (non-negative integer counts for Poisson).
    pub y: Vec<f64>,
    /// The coefficients used to draw `y`.
    pub w_true: Vec<f64>,
    /// The intercept used to draw `y`.
    pub intercept_true: f64,
    /// Poisson: the exposures `y` was drawn with (the offset cases use `log(exposure)`).
    pub exposure: Option<Vec<f64>>,
    /// Huber: the rows given a gross outlier.
    pub outlier_rows: Option<Vec<usize>>,
}

impl GlmFamilyProblem {
    /// The design flattened column-major (`x[i][j]` at `j * n + i`), e.g. for `ColMajor::new`.
    pub fn x_col_major(&self) -> Vec<f64> {
        (0..self.n_features)
            .flat_map(|j| self.x.iter().map(move |row| row[j]))
            .collect()
    }
}

/// The datafit of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlmFamily {
    /// Poisson with log link: `exp(η) − yη`.
    Poisson,
    /// Huber: `h_δ(y − η)`.
    Huber,
}

/// The penalty `g` of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlmPenalty {
    /// `‖w‖₁` (`l1_ratio = 1`).
    Lasso,
    /// `ρ‖w‖₁ + ½(1−ρ)‖w‖²` (`ρ = l1_ratio`, 0.5 here).
    Enet,
}

/// One penalized fit: the problem in proxreg's convention and the tool's solution.
#[derive(Debug, Clone, Deserialize)]
pub struct GlmFamilyCase {
    /// Unique name within the file.
    pub name: String,
    /// The datafit.
    pub family: GlmFamily,
    /// The penalty.
    pub penalty: GlmPenalty,
    /// Strength α (proxreg's; equal to the tool's, see [`ToolRun::tool_alpha`]).
    pub alpha: f64,
    /// The lasso's α_max for this case (its weights, offset, intercept, scaling and δ):
    /// `‖Zᵀ ∂loss/∂η(b₀)‖∞`, `Z = X / x_scale`, `b₀` the intercept-only optimum (0 without
    /// intercept).
    pub alpha_max: f64,
    /// `alpha / alpha_max`.
    pub alpha_rel: f64,
    /// ρ (1 for the lasso).
    pub l1_ratio: f64,
    /// Huber's δ (`None` for Poisson).
    pub delta: Option<f64>,
    /// Whether the unpenalized intercept was fitted.
    pub fit_intercept: bool,
    /// Whether the penalty applies to `x_scale ⊙ w` (see the module docs).
    pub standardize: bool,
    /// The scale σ (length p) when `standardize`.
    pub x_scale: Option<Vec<f64>>,
    /// Sample weights (unnormalized, one of them 0), when weighted.
    pub sample_weight: Option<Vec<f64>>,
    /// Offset added to η (`log(exposure)`), Poisson only, when used.
    pub offset: Option<Vec<f64>>,
    /// The tool's coefficients `w` (raw scale), length p.
    pub coef: Vec<f64>,
    /// The tool's intercept (0 when not fitted).
    pub intercept: f64,
    /// `F(coef, intercept)` in proxreg's convention (numpy, float64).
    pub objective: f64,
    /// `max_j dist(−∂loss/∂u_j, α ∂g(u_j))` at the stored solution (`u = w` unless standardized).
    pub kkt: f64,
    /// `|∂F/∂b|` at the stored solution (0 without intercept).
    pub kkt_intercept: f64,
    /// How the tool was called.
    pub solver: ToolRun,
    /// `poisson_skglm` only: glum's solution of the same case.
    #[serde(default)]
    pub cross_check: Option<CrossCheck>,
}

impl GlmFamilyCase {
    /// `F(w, b)` of this case (family, weights, offset, standardization and penalty included).
    pub fn objective(&self, problem: &GlmFamilyProblem, w: &[f64], b: f64) -> f64 {
        let (loss, _) = self.loss_and_deta(problem, w, b);
        let u = |j: usize| w[j] * self.x_scale.as_ref().map_or(1.0, |sc| sc[j]);
        let l1: f64 = (0..w.len()).map(|j| u(j).abs()).sum();
        let l2: f64 = (0..w.len()).map(|j| u(j) * u(j)).sum();
        loss + self.alpha * (self.l1_ratio * l1 + 0.5 * (1.0 - self.l1_ratio) * l2)
    }

    /// `(max_j dist(−∂loss/∂u_j, α ∂g(u_j)), |∂F/∂b|)` at `(w, b)`, as the stored
    /// [`kkt`](Self::kkt) / [`kkt_intercept`](Self::kkt_intercept) (the second is 0 without
    /// intercept).
    pub fn kkt(&self, problem: &GlmFamilyProblem, w: &[f64], b: f64) -> (f64, f64) {
        let (_, de) = self.loss_and_deta(problem, w, b);
        let (l1, l2) = (
            self.alpha * self.l1_ratio,
            self.alpha * (1.0 - self.l1_ratio),
        );
        let mut worst: f64 = 0.0;
        for (j, &wj) in w.iter().enumerate() {
            let sc = self.x_scale.as_ref().map_or(1.0, |sc| sc[j]);
            let u = sc * wj;
            let g = problem
                .x
                .iter()
                .zip(&de)
                .map(|(row, d)| row[j] / sc * d)
                .sum::<f64>()
                + l2 * u;
            let v = if u != 0.0 {
                (g + l1 * u.signum()).abs()
            } else {
                (g.abs() - l1).max(0.0)
            };
            worst = worst.max(v);
        }
        let db = if self.fit_intercept {
            de.iter().sum::<f64>().abs()
        } else {
            0.0
        };
        (worst, db)
    }

    /// `((1/m) Σ sᵢ lᵢ, sᵢ ∂lᵢ/∂ηᵢ / m)`.
    fn loss_and_deta(&self, problem: &GlmFamilyProblem, w: &[f64], b: f64) -> (f64, Vec<f64>) {
        let n = problem.y.len();
        let s = |i: usize| self.sample_weight.as_ref().map_or(1.0, |s| s[i]);
        let m: f64 = (0..n).map(s).sum();
        let mut loss = 0.0;
        let mut de = Vec::with_capacity(n);
        for (i, (row, &yi)) in problem.x.iter().zip(&problem.y).enumerate() {
            let off = self.offset.as_ref().map_or(0.0, |o| o[i]);
            let eta = b + off + row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>();
            let (l, d) = match self.family {
                GlmFamily::Poisson => {
                    let mu = eta.exp();
                    (mu - yi * eta, mu - yi)
                }
                GlmFamily::Huber => {
                    // every Huber case has a delta; a missing one gives NaN, not a panic
                    let delta = self.delta.unwrap_or(f64::NAN);
                    let r = yi - eta;
                    let l = if r.abs() <= delta {
                        0.5 * r * r
                    } else {
                        delta * r.abs() - 0.5 * delta * delta
                    };
                    (l, -r.clamp(-delta, delta))
                }
            };
            loss += s(i) * l;
            de.push(s(i) * d / m);
        }
        (loss / m, de)
    }
}

/// How the reference tool was run.
#[derive(Debug, Clone, Deserialize)]
pub struct ToolRun {
    /// `glum 3.4.1` or `skglm 0.5`.
    pub tool: String,
    /// The Python call, with its arguments.
    pub call: String,
    /// α given to the tool (always equal to the case's `alpha`: no conversion needed).
    pub tool_alpha: f64,
    /// The tool's tolerance (glum `gradient_tol`, skglm `tol`).
    pub tol: f64,
    /// glum's `n_iter_` (IRLS iterations); `None` for skglm.
    pub n_iter: Option<u64>,
    /// Warnings the tool raised (glum divides by a zero sample weight once, harmlessly).
    pub warnings: Vec<String>,
    /// The tool's own objective at the solution (glum: `1/(2Σs)·deviance + penalty`).
    pub tool_objective: f64,
    /// `tool_objective − objective`: glum's constant `(1/m) Σ sᵢ (yᵢ log yᵢ − yᵢ)`, 0 for skglm.
    pub tool_objective_minus_objective: f64,
}

/// A second tool's solution of the same case.
#[derive(Debug, Clone, Deserialize)]
pub struct CrossCheck {
    /// `glum 3.4.1`.
    pub tool: String,
    /// Its coefficients, length p.
    pub coef: Vec<f64>,
    /// Its intercept.
    pub intercept: f64,
    /// `F(coef, intercept)` in proxreg's convention.
    pub objective: f64,
    /// `max(max_j |w_j − w'_j|, |b − b'|) / max(1, max_j |w'_j|)` against the case's solution
    /// (measured ≤ 1.1e-12).
    pub agreement: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glm_family_fixtures_load_with_consistent_shapes() {
        for &name in GLM_FAMILY_FILES {
            let fx = load_glm_family(name).unwrap();
            assert_eq!(fx.meta.name, name);
            assert_eq!(fx.meta.format_version, 1);
            assert_eq!(fx.meta.generator.glum, "3.4.1");
            assert_eq!(fx.meta.generator.skglm, "0.5");
            let pb = &fx.problem;
            let (n, p) = (pb.n_samples, pb.n_features);
            assert_eq!(pb.x.len(), n);
            assert!(pb.x.iter().all(|r| r.len() == p));
            assert_eq!(pb.y.len(), n);
            assert_eq!(pb.w_true.len(), p);
            assert_eq!(pb.x_col_major().len(), n * p);
            assert_eq!(pb.x_col_major()[n], pb.x[0][1]);
            let family = if name.starts_with("poisson") {
                GlmFamily::Poisson
            } else {
                GlmFamily::Huber
            };
            if family == GlmFamily::Poisson {
                assert!(pb.y.iter().all(|&v| v >= 0.0 && v.fract() == 0.0));
                assert_eq!(pb.exposure.as_ref().map(Vec::len), Some(n));
                assert!(pb.outlier_rows.is_none());
            } else {
                let rows = pb.outlier_rows.as_ref().unwrap();
                assert_eq!(rows.len(), n / 10);
                assert!(rows.iter().all(|&i| i < n));
            }
            let expected = match name {
                "poisson_glum" => 9,
                "poisson_skglm" => 5,
                _ => 8,
            };
            assert_eq!(fx.cases.len(), expected, "{name}");
            for c in &fx.cases {
                let what = format!("{name}/{}", c.name);
                assert_eq!(c.family, family, "{what}");
                assert_eq!(c.coef.len(), p, "{what}");
                assert_eq!(c.delta.is_some(), family == GlmFamily::Huber, "{what}");
                assert_eq!(c.x_scale.as_ref().map(Vec::len), c.standardize.then_some(p));
                if let Some(s) = &c.sample_weight {
                    assert_eq!(s.len(), n, "{what}");
                }
                if let Some(o) = &c.offset {
                    assert_eq!(o.len(), n, "{what}");
                    assert_eq!(family, GlmFamily::Poisson, "{what}");
                    let ex = pb.exposure.as_ref().unwrap();
                    assert!(o.iter().zip(ex).all(|(o, e)| (o - e.ln()).abs() <= 1e-15));
                }
                // offsets, weights and scaling only in the glum file
                if name != "poisson_glum" {
                    assert!(c.sample_weight.is_none() && c.offset.is_none() && !c.standardize);
                }
                let rho = match c.penalty {
                    GlmPenalty::Lasso => 1.0,
                    GlmPenalty::Enet => 0.5,
                };
                assert_eq!(c.l1_ratio, rho, "{what}");
                assert_eq!(c.solver.tool_alpha, c.alpha, "{what}");
                assert!((c.alpha - c.alpha_rel * c.alpha_max).abs() <= 1e-15 * c.alpha_max);
                if !c.fit_intercept {
                    assert_eq!(c.intercept, 0.0, "{what}");
                    assert_eq!(c.kkt_intercept, 0.0, "{what}");
                }
                // the stored objective and KKT are reproduced here
                let obj = c.objective(pb, &c.coef, c.intercept);
                assert!(
                    (obj - c.objective).abs() <= 1e-12 * c.objective.abs(),
                    "{what}: {obj} vs {}",
                    c.objective
                );
                let (kkt, kkt_b) = c.kkt(pb, &c.coef, c.intercept);
                assert!(kkt <= 1e-8 && kkt_b <= 1e-8, "{what}: {kkt} {kkt_b}");
                assert!((kkt - c.kkt).abs() <= 1e-12, "{what}: {kkt} vs {}", c.kkt);
                assert!((kkt_b - c.kkt_intercept).abs() <= 1e-12, "{what}");
                assert!(c.kkt <= 1e-8 && c.kkt_intercept <= 1e-8, "{what}");
                // the tool's own objective: F exactly (skglm), F + a constant (glum)
                let diff = c.solver.tool_objective - c.objective;
                assert!((diff - c.solver.tool_objective_minus_objective).abs() <= 1e-12);
                if c.solver.tool.starts_with("skglm") {
                    assert!(diff.abs() <= 1e-13 * c.objective.abs().max(1.0), "{what}");
                } else {
                    let s = |i: usize| c.sample_weight.as_ref().map_or(1.0, |s| s[i]);
                    let m: f64 = (0..n).map(s).sum();
                    let k: f64 = (0..n)
                        .map(|i| {
                            let y = pb.y[i];
                            s(i) * (if y > 0.0 { y * y.ln() } else { 0.0 } - y)
                        })
                        .sum::<f64>()
                        / m;
                    assert!((diff - k).abs() <= 1e-12 * k.abs().max(1.0), "{what}");
                }
                // glum's cross-check in the skglm Poisson file
                assert_eq!(c.cross_check.is_some(), name == "poisson_skglm", "{what}");
                if let Some(cc) = &c.cross_check {
                    assert_eq!(cc.coef.len(), p, "{what}");
                    assert!(cc.agreement <= 1e-6, "{what}: {}", cc.agreement);
                    let o = c.objective(pb, &cc.coef, cc.intercept);
                    assert!((o - cc.objective).abs() <= 1e-12 * o.abs(), "{what}");
                    let glum = load_glm_family("poisson_glum").unwrap();
                    let g = glum.case(&c.name).unwrap();
                    assert_eq!(g.coef, cc.coef, "{what}");
                    assert_eq!(g.intercept, cc.intercept, "{what}");
                }
            }
        }
    }
}
