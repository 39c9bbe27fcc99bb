//! Group lasso and sparse group lasso reference fixture (`tests/fixtures/group_lasso_skglm.json`),
//! issue #23.
//!
//! Produced by `scripts/make_group_fixtures.py` from real runs of skglm 0.5: `GroupBCD`
//! (`tol=1e-12`) with `QuadraticGroup` / `LogisticGroup` / `HuberGroup` and `WeightedGroupL2` /
//! `WeightedL1GroupL2`, and `GroupProxNewton` (`tol=1e-12`) with `PoissonGroup` and
//! `WeightedGroupL2` (skglm's `PoissonGroup` cannot run with `GroupBCD` and `GroupProxNewton`
//! cannot take `WeightedL1GroupL2`, hence no sparse group Poisson case). skglm 0.5 has no group
//! Huber datafit: `HuberGroup` is written in the script (in skglm's jitclass style), and its
//! solutions are established by the script's independent KKT check. Each case stores the
//! solution as is, its KKT violation in proxreg's convention (asserted ≤ 1e-8 by the script) and
//! `alpha_max`.
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
//! `η = Xw + b` (`b = 0` without intercept) and `L` by [`GroupFamily`]:
//!
//! - gaussian: `‖y − η‖²/(2n)`, `∂L/∂η = (η − y)/n`;
//! - binomial: `(1/n) Σ log(1 + exp(−(2yᵢ − 1)ηᵢ))`, `y ∈ {0, 1}`, `∂L/∂η = (σ(η) − y)/n`;
//! - poisson: `(1/n) Σ [exp(ηᵢ) − yᵢηᵢ]`, `y ≥ 0` counts, `∂L/∂η = (exp(η) − y)/n`;
//! - huber: `(1/n) Σ h_δ(yᵢ − ηᵢ)`, `h_δ(r) = r²/2` for `|r| ≤ δ`, else `δ(|r| − δ/2)`,
//!   `∂L/∂η = clip(η − y, −δ, δ)/n`, `δ` in [`GroupLassoCase::delta`].
//!
//! `alpha_max` is the smallest `α` at which every penalized group is zero (the intercept and
//! unpenalized groups at their own optimum; Huber's null intercept `argmin_b Σ h_δ(yᵢ − b)` by
//! bisection). The KKT violation is [`GroupLassoCase::kkt`].

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
    /// The data sets (`small`, `binary`, `counts` (Poisson), `robust` (Huber)).
    pub problems: BTreeMap<String, GroupLassoProblem>,
    /// The penalized fits (19: 12 gaussian / binomial, 3 poisson, 4 huber).
    pub cases: Vec<GroupLassoCase>,
}

impl GroupLassoFixture {
    /// The case with this `name` (`gl_small_{0.5,0.1,0.02}`, `gl_scattered_{0.3,0.05}`,
    /// `sgl_small_tau{0.2,0.7}_{0.4,0.05}`, `gl_binary_{0.4,0.05}`, `sgl_binary_tau0.5_0.1`,
    /// `gl_counts_{0.4,0.05}`, `gl_counts_noint_0.1`, `gl_robust_{0.4,0.05}`,
    /// `sgl_robust_tau0.3_0.1`, `gl_robust_delta0.5_0.1`).
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
    /// The conventions, in words (`objective`, `dl_deta`, `delta`, `groups`, `group_weights`,
    /// `alpha_max`, `null_intercept`, `kkt`, `matrices`).
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
    /// Target (real for gaussian and huber, `0/1` for binomial, counts for poisson).
    pub y: Vec<f64>,
    /// The coefficients used to draw `y`.
    pub w_true: Vec<f64>,
    /// `robust` (Huber) only: the rows given a gross outlier (±8).
    #[serde(default)]
    pub outlier_rows: Option<Vec<usize>>,
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
    /// Poisson with log link, `exp(η) − yη` (`y ≥ 0` counts).
    Poisson,
    /// Huber `h_δ(y − η)`, `δ` in [`GroupLassoCase::delta`].
    Huber,
}

/// How skglm was run and what it reported.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupToolRun {
    /// `skglm 0.5`.
    pub tool: String,
    /// The call, in words (`GroupBCD`, or `GroupProxNewton` for poisson; the huber datafit
    /// class is the script's own).
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
    /// Huber's `δ` (`None` for the other families).
    #[serde(default)]
    pub delta: Option<f64>,
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

    /// Huber's δ; every huber case has one, a missing one gives NaN (no panic).
    fn huber_delta(&self) -> f64 {
        self.delta.unwrap_or(f64::NAN)
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
            GroupFamily::Poisson => {
                pb.y.iter()
                    .zip(&eta)
                    .map(|(y, e)| e.exp() - y * e)
                    .sum::<f64>()
                    / n
            }
            GroupFamily::Huber => {
                let d = self.huber_delta();
                pb.y.iter()
                    .zip(&eta)
                    .map(|(y, e)| {
                        let r = (y - e).abs();
                        if r <= d {
                            0.5 * r * r
                        } else {
                            d * (r - 0.5 * d)
                        }
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

    /// The KKT violation of `(w, b)` in the script's convention (`∂L/∂η` by family, module
    /// docs): per group, with `G = ∂L/∂w` on the group, `max(0, ‖ST(−G, ατ)‖ − α(1−τ)c_g)` if `w_G = 0`, else the Euclidean norm
    /// over the group of `−G_j − ατ sign(w_j) − α(1−τ)c_g w_j/‖w_G‖` (`w_j ≠ 0`) and
    /// `ST(−G_j, ατ)` (`w_j = 0`); returns (the max over groups, `|∂L/∂b|` or 0).
    pub fn kkt(&self, pb: &GroupLassoProblem, w: &[f64], b: f64) -> (f64, f64) {
        let n = pb.n_samples as f64;
        let eta = self.eta(pb, w, b);
        let d = self.huber_delta();
        let r: Vec<f64> =
            pb.y.iter()
                .zip(&eta)
                .map(|(y, e)| match self.family {
                    GroupFamily::Gaussian => (e - y) / n,
                    GroupFamily::Binomial => (sigmoid(*e) - y) / n,
                    GroupFamily::Poisson => (e.exp() - y) / n,
                    // max/min, not clamp: clamp panics on a NaN δ
                    GroupFamily::Huber => (e - y).max(-d).min(d) / n,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_lasso_cases_recompute_for_every_family() {
        let fx = load_group_lasso().unwrap();
        assert_eq!(fx.meta.name, "group_lasso_skglm");
        assert_eq!(fx.meta.format_version, 1);
        assert_eq!(fx.meta.generator["skglm"], "0.5");
        assert_eq!(fx.cases.len(), 19);
        let mut per_family = BTreeMap::new();
        for case in &fx.cases {
            let what = &case.name;
            let pb = fx.problem(case).unwrap();
            let (n, p) = (pb.n_samples, pb.n_features);
            assert_eq!(pb.x.len(), n, "{what}");
            assert!(pb.x.iter().all(|r| r.len() == p), "{what}");
            assert_eq!(pb.y.len(), n, "{what}");
            assert_eq!(case.coef.len(), p, "{what}");
            assert_eq!(case.groups.len(), case.group_weights.len(), "{what}");
            let mut seen = vec![false; p];
            for &j in case.groups.iter().flatten() {
                assert!(!seen[j], "{what}: feature {j} twice");
                seen[j] = true;
            }
            assert!(seen.iter().all(|&s| s), "{what}: not a partition");
            assert_eq!(
                case.delta.is_some(),
                case.family == GroupFamily::Huber,
                "{what}"
            );
            match case.family {
                GroupFamily::Binomial => assert!(pb.y.iter().all(|&v| v == 0.0 || v == 1.0)),
                GroupFamily::Poisson => {
                    assert!(pb.y.iter().all(|&v| v >= 0.0 && v.fract() == 0.0), "{what}");
                    // GroupProxNewton needs subdiff_distance: group lasso only
                    assert_eq!(case.tau, 0.0, "{what}");
                    assert!(case.solver.call.starts_with("GroupProxNewton("), "{what}");
                }
                GroupFamily::Huber => {
                    let rows = pb.outlier_rows.as_ref().unwrap();
                    assert_eq!(rows.len(), n / 10, "{what}");
                    assert!(rows.iter().all(|&i| i < n), "{what}");
                    assert!(case.solver.call.contains("HuberGroup"), "{what}");
                }
                GroupFamily::Gaussian => {}
            }
            if case.family != GroupFamily::Huber {
                assert!(pb.outlier_rows.is_none(), "{what}");
            }
            let obj = case.objective(pb, &case.coef, case.intercept);
            assert!(
                (obj - case.objective).abs() <= 1e-12 * case.objective.abs(),
                "{what}: objective {obj} vs {}",
                case.objective
            );
            assert!(
                (case.solver.tool_objective - obj).abs() <= 1e-12 * obj.abs().max(1.0),
                "{what}"
            );
            let (kkt, kb) = case.kkt(pb, &case.coef, case.intercept);
            assert!(kkt <= 1e-8 && kb <= 1e-8, "{what}: kkt {kkt:e} {kb:e}");
            assert!(
                (kkt - case.kkt).abs() <= 1e-12 && (kb - case.kkt_intercept).abs() <= 1e-12,
                "{what}"
            );
            if !case.fit_intercept {
                assert_eq!(case.intercept, 0.0, "{what}");
            }
            assert!((case.alpha - case.alpha_rel * case.alpha_max).abs() <= 1e-15 * case.alpha_max);
            *per_family.entry(format!("{:?}", case.family)).or_insert(0) += 1;
        }
        let counts: Vec<(&str, i32)> = per_family.iter().map(|(k, &v)| (k.as_str(), v)).collect();
        assert_eq!(
            counts,
            [
                ("Binomial", 3),
                ("Gaussian", 9),
                ("Huber", 4),
                ("Poisson", 3)
            ]
        );
        let huber_deltas: Vec<f64> = fx.cases.iter().filter_map(|c| c.delta).collect();
        assert_eq!(huber_deltas, [1.35, 1.35, 1.35, 0.5]);
    }
}
