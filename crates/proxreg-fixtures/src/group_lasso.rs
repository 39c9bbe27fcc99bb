//! Group lasso and sparse group lasso reference fixture (`tests/fixtures/group_lasso_skglm.json`),
//! issue #23.
//!
//! Produced by `scripts/make_group_fixtures.py` from real runs of skglm 0.5's `GroupBCD`
//! (`tol=1e-12`) with `QuadraticGroup` / `LogisticGroup` and `WeightedGroupL2` /
//! `WeightedL1GroupL2`; each case stores skglm's solution as is, its KKT violation in proxreg's
//! convention (asserted ≤ 1e-8 by the script) and `alpha_max`.
//!
//! ```
//! use proxreg_fixtures::group_lasso::load_group_lasso;
//!
//! let fx = load_group_lasso()?;
//! let case = fx.case("gl_scattered_0.3").ok_or("case exists")?;
//! let pb = fx.problem(case).ok_or("problem exists")?;
//! let obj = case.objective(pb, &case.coef, case.intercept);
//! assert!((obj - case.objective).abs() <= 1e-12 * case.objective.abs());
//! let (kkt, kkt_b) = case.kkt(pb, &case.coef, case.intercept);
//! assert!(kkt <= 1e-8 && kkt_b <= 1e-8);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions (also in the file's `meta.conventions`): features are partitioned into groups
//! `G_g` (lists of 0-based indices, any sizes, any order), group weights `c_g` (`0`: no group
//! term), `τ` the L1 share,
//!
//! `F(w, b) = L(w, b) + α (τ‖w‖₁ + (1 − τ) Σ_g c_g ‖w_G‖₂)`,
//!
//! `L = ‖y − Xw − b‖²/(2n)` (gaussian) or `(1/n) Σ log(1 + exp(−(2yᵢ − 1)ηᵢ))` (binomial,
//! `y ∈ {0, 1}`, `η = Xw + b`); `b = 0` without intercept. `alpha_max` is the smallest `α` at
//! which every penalized group is zero (the intercept and unpenalized groups at their own
//! optimum). The KKT violation is [`GroupLassoCase::kkt`].

use serde::Deserialize;
use std::collections::BTreeMap;

/// Reads and parses `tests/fixtures/group_lasso_skglm.json`; the error names the file and what
/// went wrong.
pub fn load_group_lasso() -> Result<GroupLassoFixture, String> {
    let path = crate::fixtures_dir().join("group_lasso_skglm.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read fixture {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot parse fixture {}: {e}", path.display()))
}

/// The fixture file: data sets by name and the cases solved on them.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupLassoFixture {
    /// Provenance, conventions and notes.
    pub meta: GroupLassoMeta,
    /// The data sets (`small`, `binary`).
    pub problems: BTreeMap<String, GroupLassoProblem>,
    /// The penalized fits (12).
    pub cases: Vec<GroupLassoCase>,
}

impl GroupLassoFixture {
    /// The case with this `name` (`gl_small_{0.5,0.1,0.02}`, `gl_scattered_{0.3,0.05}`,
    /// `sgl_small_tau{0.2,0.7}_{0.4,0.05}`, `gl_binary_{0.4,0.05}`, `sgl_binary_tau0.5_0.1`).
    pub fn case(&self, name: &str) -> Option<&GroupLassoCase> {
        self.cases.iter().find(|c| c.name == name)
    }

    /// The data set of `case`.
    pub fn problem(&self, case: &GroupLassoCase) -> Option<&GroupLassoProblem> {
        self.problems.get(&case.problem)
    }
}

/// Provenance of the file.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupLassoMeta {
    /// Format version (1).
    pub format_version: u32,
    /// `group_lasso_skglm`.
    pub name: String,
    /// What the file holds.
    pub description: String,
    /// Script and library versions.
    pub generator: BTreeMap<String, String>,
    /// The conventions, in words (`objective`, `groups`, `group_weights`, `alpha_max`, `kkt`).
    pub conventions: BTreeMap<String, String>,
    /// Notes on skglm's conventions.
    pub notes: Vec<String>,
}

/// A data set (raw values).
#[derive(Debug, Clone, Deserialize)]
pub struct GroupLassoProblem {
    /// n.
    pub n_samples: usize,
    /// p.
    pub n_features: usize,
    /// Design, row-major `[n][p]`.
    pub x: Vec<Vec<f64>>,
    /// Target (real for gaussian, `0/1` for binomial).
    pub y: Vec<f64>,
    /// The coefficients used to draw `y`.
    pub w_true: Vec<f64>,
}

impl GroupLassoProblem {
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
pub enum GroupFamily {
    /// Least squares `‖y − η‖²/(2n)`.
    Gaussian,
    /// Logistic, `y ∈ {0, 1}`.
    Binomial,
}

/// How skglm was run and what it reported.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupToolRun {
    /// `skglm 0.5`.
    pub tool: String,
    /// The call, in words.
    pub call: String,
    /// The tool's tolerance.
    pub tol: f64,
    /// The tool's final stopping criterion.
    pub stop_crit: f64,
    /// skglm's own datafit + penalty value at the stored solution.
    pub tool_objective: f64,
    /// `tool_objective − objective` (≤ 1e-12 relative).
    pub tool_objective_minus_objective: f64,
}

/// One penalized fit: the problem in proxreg's convention and skglm's solution.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupLassoCase {
    /// Unique name.
    pub name: String,
    /// The data set's key in [`GroupLassoFixture::problems`].
    pub problem: String,
    /// The datafit.
    pub family: GroupFamily,
    /// The groups: lists of feature indices (a partition of `0..p`).
    pub groups: Vec<Vec<usize>>,
    /// `c_g` per group.
    pub group_weights: Vec<f64>,
    /// `τ` (0: group lasso).
    pub tau: f64,
    /// α.
    pub alpha: f64,
    /// α_max (see the module docs).
    pub alpha_max: f64,
    /// `alpha / alpha_max`.
    pub alpha_rel: f64,
    /// Whether the unpenalized intercept was fitted.
    pub fit_intercept: bool,
    /// skglm's coefficients.
    pub coef: Vec<f64>,
    /// skglm's intercept (0 without intercept).
    pub intercept: f64,
    /// `F` at the stored solution.
    pub objective: f64,
    /// The stored solution's KKT violation over the groups.
    pub kkt: f64,
    /// `|∂L/∂b|` at the stored solution.
    pub kkt_intercept: f64,
    /// How skglm was run.
    pub solver: GroupToolRun,
}

fn sigmoid(t: f64) -> f64 {
    0.5 * (1.0 + (0.5 * t).tanh())
}

fn st(v: f64, t: f64) -> f64 {
    v.signum() * (v.abs() - t).max(0.0)
}

fn norm(v: impl Iterator<Item = f64>) -> f64 {
    v.map(|a| a * a).sum::<f64>().sqrt()
}

impl GroupLassoCase {
    fn eta(&self, pb: &GroupLassoProblem, w: &[f64], b: f64) -> Vec<f64> {
        pb.x.iter()
            .map(|row| b + row.iter().zip(w).map(|(a, c)| a * c).sum::<f64>())
            .collect()
    }

    /// `F(w, b)` (module docs).
    pub fn objective(&self, pb: &GroupLassoProblem, w: &[f64], b: f64) -> f64 {
        let n = pb.n_samples as f64;
        let eta = self.eta(pb, w, b);
        let loss: f64 = match self.family {
            GroupFamily::Gaussian => {
                pb.y.iter()
                    .zip(&eta)
                    .map(|(y, e)| (y - e) * (y - e))
                    .sum::<f64>()
                    / (2.0 * n)
            }
            GroupFamily::Binomial => {
                pb.y.iter()
                    .zip(&eta)
                    .map(|(y, e)| {
                        let z = -(2.0 * y - 1.0) * e;
                        // log(1 + exp(z)) without overflow
                        z.max(0.0) + (-z.abs()).exp().ln_1p()
                    })
                    .sum::<f64>()
                    / n
            }
        };
        let l1: f64 = w.iter().map(|v| v.abs()).sum();
        let grp: f64 = self
            .groups
            .iter()
            .zip(&self.group_weights)
            .map(|(g, c)| c * norm(g.iter().map(|&j| w[j])))
            .sum();
        loss + self.alpha * (self.tau * l1 + (1.0 - self.tau) * grp)
    }

    /// The KKT violation of `(w, b)` in the script's convention: per group, with `G = ∂L/∂w`
    /// on the group, `max(0, ‖ST(−G, ατ)‖ − α(1−τ)c_g)` if `w_G = 0`, else the Euclidean norm
    /// over the group of `−G_j − ατ sign(w_j) − α(1−τ)c_g w_j/‖w_G‖` (`w_j ≠ 0`) and
    /// `ST(−G_j, ατ)` (`w_j = 0`); returns (the max over groups, `|∂L/∂b|` or 0).
    pub fn kkt(&self, pb: &GroupLassoProblem, w: &[f64], b: f64) -> (f64, f64) {
        let n = pb.n_samples as f64;
        let eta = self.eta(pb, w, b);
        let r: Vec<f64> =
            pb.y.iter()
                .zip(&eta)
                .map(|(y, e)| match self.family {
                    GroupFamily::Gaussian => (e - y) / n,
                    GroupFamily::Binomial => (sigmoid(*e) - y) / n,
                })
                .collect();
        let grad: Vec<f64> = (0..pb.n_features)
            .map(|j| pb.x.iter().zip(&r).map(|(row, ri)| row[j] * ri).sum())
            .collect();
        let (a, t) = (self.alpha, self.tau);
        let mut worst: f64 = 0.0;
        for (g, c) in self.groups.iter().zip(&self.group_weights) {
            let nw = norm(g.iter().map(|&j| w[j]));
            let d = if nw == 0.0 {
                (norm(g.iter().map(|&j| st(-grad[j], a * t))) - a * (1.0 - t) * c).max(0.0)
            } else {
                norm(g.iter().map(|&j| {
                    if w[j] != 0.0 {
                        -grad[j] - a * t * w[j].signum() - a * (1.0 - t) * c * w[j] / nw
                    } else {
                        st(-grad[j], a * t)
                    }
                }))
            };
            worst = worst.max(d);
        }
        let kb = if self.fit_intercept {
            r.iter().sum::<f64>().abs()
        } else {
            0.0
        };
        (worst, kb)
    }
}
