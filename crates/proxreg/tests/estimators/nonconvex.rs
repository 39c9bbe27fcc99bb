//! MCP and SCAD against skglm 0.5 (`tests/fixtures/nonconvex_{small,diabetes}.json`, made by
//! `scripts/make_nonconvex_fixtures.py`).
//!
//! The problems are non-convex, so a solution is "a stationary point reached from a start". Each
//! fixture is a path from `alpha_max` down to `alpha_max/100` in skglm's convention
//! (`Mcp::for_alpha(γ, α)` / `Scad::for_alpha(γ, α)` at strength `α`), skglm warm-starting each
//! point from the previous one. What is compared, per point:
//!
//! 1. **same start**: proxreg's coordinate descent from skglm's warm start must reach skglm's
//!    coefficients to `1e-6·max(1, ‖w‖∞)`, and both points must be stationary (KKT violation of
//!    skglm's point, measured with proxreg's Fréchet distance, below `1e-9·alpha_max`);
//! 2. **own path**: proxreg following the path from its own previous solutions must reach the
//!    same coefficients (the same stationary points along the whole path), to the same tolerance.

use proxreg::linalg::DesignMatrix;
use proxreg::penalty::{Mcp, Scad, SeparablePenalty};
use proxreg::prelude::{ColMajor, PenalizedLinear};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = proxreg_fixtures::fixtures_dir().join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn design(f: &Value) -> (ColMajor<f64>, Vec<f64>) {
    let rows: Vec<Vec<f64>> = f["x"].as_array().unwrap().iter().map(floats).collect();
    let (n, p) = (rows.len(), rows[0].len());
    (ColMajor::from_fn(n, p, |i, j| rows[i][j]), floats(&f["y"]))
}

/// The largest `|∇f(w)_j + ∂g|` distance, the objective, from proxreg's own penalty methods.
fn kkt_and_objective<P: SeparablePenalty<f64>>(
    pen: &P,
    x: &ColMajor<f64>,
    y: &[f64],
    w: &[f64],
    alpha: f64,
) -> (f64, f64) {
    let n = y.len();
    let mut r = y.to_vec();
    x.gemv(-1.0, w, 1.0, &mut r);
    let grad: Vec<f64> = (0..w.len()).map(|j| -x.col_dot(j, &r) / n as f64).collect();
    let mut dist = vec![0.0; w.len()];
    let kkt = pen.subdiff_distance(w, &grad, alpha, &mut dist);
    let obj = r.iter().map(|v| v * v).sum::<f64>() / (2.0 * n as f64) + alpha * pen.value(w);
    (kkt, obj)
}

fn fit<P: SeparablePenalty<f64>>(
    pen: P,
    x: &ColMajor<f64>,
    y: &[f64],
    alpha: f64,
    start: Vec<f64>,
) -> Vec<f64> {
    let m = PenalizedLinear::params(pen)
        .alpha(alpha)
        .fit_intercept(false)
        .tol(1e-13)
        .max_iter(100_000)
        .warm_start(start)
        .require_convergence(true)
        .fit_cd(x, y)
        .unwrap();
    assert!(m.duality_gap().is_none(), "non-convex: no gap is claimed");
    m.coef().to_vec()
}

/// The comparisons that reach another stationary point than skglm's, with a *higher* objective,
/// measured (file, penalty, path index, start, bound on the relative objective excess).
///
/// SCAD on standardized diabetes at `alpha_max/100` (γ = 3.7): skglm's AndersonCD and proxreg's
/// coordinate descent, from the same start (skglm's solution at the previous alpha), end in two
/// different stationary points — both with KKT violation ≤ 3e-14 — whose objectives are
/// 1434.2547 (skglm) and 1434.5067 (proxreg), a relative excess of 1.8e-4. Proxreg's point is the
/// one textbook cyclic coordinate descent reaches from that start (the fixture's independent
/// numpy reference `plain_cd_coef`, which this test requires proxreg to match there); skglm's
/// Anderson extrapolation jumps to the other one. (For MCP at the same point it is the other way
/// round: proxreg matches skglm, plain CD ends elsewhere.) The features are strongly correlated
/// (corr(s1, s2) = 0.90, corr(s3, s4) = −0.74) and the flat pieces beyond γα leave several
/// stationary points; which one a descent method reaches depends on its extrapolation (both are
/// valid outputs of a non-convex solver). All other points agree with skglm to ≤ 2e-12.
const KNOWN_DIVERGENT: &[(&str, &str, usize, &str, f64)] = &[
    ("nonconvex_diabetes", "scad", 11, "same start", 2e-4),
    ("nonconvex_diabetes", "scad", 11, "own path", 2e-4),
];

type Point = (Vec<f64>, f64, f64);

/// skglm's `(KKT, objective)`, and ours `(coef, KKT, objective)` from skglm's start and from
/// `own` (our previous path point).
fn compare<P: SeparablePenalty<f64> + Copy>(
    pen: P,
    x: &ColMajor<f64>,
    y: &[f64],
    alpha: f64,
    reference: &[f64],
    start: Vec<f64>,
    own: &[f64],
) -> ((f64, f64), Point, Point) {
    let ours = |w: Vec<f64>| {
        let (k, o) = kkt_and_objective(&pen, x, y, &w, alpha);
        (w, k, o)
    };
    (
        kkt_and_objective(&pen, x, y, reference, alpha),
        ours(fit(pen, x, y, alpha, start)),
        ours(fit(pen, x, y, alpha, own.to_vec())),
    )
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max)
}

fn check_file(name: &str) {
    let f = load(name);
    let (x, y) = design(&f);
    for path in f["paths"].as_array().unwrap() {
        let kind = path["penalty"].as_str().unwrap();
        let gamma = path["gamma"].as_f64().unwrap();
        let amax = path["alpha_max"].as_f64().unwrap();
        let mut own = vec![0.0; x.ncols()];
        let mut differing = Vec::new();
        let (mut worst_same, mut worst_own, mut worst_kkt) = (0.0_f64, 0.0_f64, 0.0_f64);
        for (idx, pt) in path["points"].as_array().unwrap().iter().enumerate() {
            let alpha = pt["alpha"].as_f64().unwrap();
            let reference = floats(&pt["coef"]);
            let start = floats(&pt["warm_start"]);
            let scale = reference.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
            // (coefficients, KKT violation, objective) of: skglm's point, ours from skglm's
            // start, ours along our own path.
            let ((kkt_ref, obj_ref), same, mine) = match kind {
                "mcp" => compare(
                    Mcp::for_alpha(gamma, alpha).unwrap(),
                    &x,
                    &y,
                    alpha,
                    &reference,
                    start,
                    &own,
                ),
                _ => compare(
                    Scad::for_alpha(gamma, alpha).unwrap(),
                    &x,
                    &y,
                    alpha,
                    &reference,
                    start,
                    &own,
                ),
            };
            // The fixture's objective is skglm's, recomputed by numpy: the conventions agree.
            let obj_fx = pt["objective"].as_f64().unwrap();
            assert!(
                (obj_ref - obj_fx).abs() <= 1e-12 * obj_fx.abs().max(1.0),
                "{name} {kind} α={alpha}: objective {obj_ref} vs {obj_fx}"
            );
            assert!(
                kkt_ref <= 1e-9 * amax,
                "{name} {kind} α={alpha}: reference KKT {kkt_ref}"
            );
            worst_kkt = worst_kkt.max(kkt_ref / amax);
            for (label, (w, kkt, obj)) in [("same start", &same), ("own path", &mine)] {
                let d = max_diff(w, &reference) / scale;
                if d <= 1e-6 {
                    if label == "same start" {
                        worst_same = worst_same.max(d)
                    } else {
                        worst_own = worst_own.max(d)
                    }
                    continue;
                }
                // A different stationary point: it must be one (KKT at proxreg's tolerance) and
                // no worse than skglm's.
                eprintln!(
                    "{name} {kind} α={alpha:.6}: {label} reaches another stationary point, \
                     |Δcoef|/max(1,‖w‖∞) = {d:.3e}, KKT {kkt:.2e}, objective {obj:.15e} vs skglm {obj_ref:.15e} (Δ = {:.3e})\n  ours  {w:?}\n  skglm {reference:?}",
                    obj - obj_ref
                );
                assert!(
                    *kkt <= 1e-9 * amax,
                    "{name} {kind} α={alpha}: {label} KKT {kkt}"
                );
                // ... and it must be the point plain coordinate descent reaches from that start
                // (checked for the same-start run, whose start is the fixture's).
                if label == "same start" {
                    let plain = floats(&pt["plain_cd_coef"]);
                    let dp = max_diff(w, &plain) / scale;
                    assert!(
                        dp <= 1e-6,
                        "{name} {kind} α={alpha}: neither skglm's point nor plain CD's ({dp:.3e})"
                    );
                    eprintln!("  = plain cyclic CD's stationary point to {dp:.2e}");
                }
                let excess = (obj - obj_ref) / obj_ref.abs();
                differing.push((idx, label, excess));
            }
            own = mine.0;
        }
        // Every point where proxreg reaches a stationary point other than skglm's is listed
        // here with its objective excess; a new one, or a worse one, fails.
        for &(idx, label, excess) in &differing {
            let known = KNOWN_DIVERGENT
                .iter()
                .find(|k| (k.0, k.1, k.2, k.3) == (name, kind, idx, label));
            match known {
                Some(k) => assert!(excess <= k.4, "{name} {kind} point {idx} {label}: objective excess {excess:.3e} > {:.1e}", k.4),
                None if excess <= 1e-12 => {}
                None => panic!("{name} {kind} point {idx} {label}: another stationary point, objective excess {excess:.3e}"),
            }
        }
        eprintln!(
            "{name} {kind}: matching points: max |Δcoef|/max(1,‖w‖∞) same start {worst_same:.2e}, \
             own path {worst_own:.2e}; skglm KKT/alpha_max ≤ {worst_kkt:.1e}; \
             {} comparisons reached another stationary point",
            differing.len()
        );
    }
}

#[test]
fn mcp_and_scad_paths_match_skglm_on_a_small_gaussian_design() {
    check_file("nonconvex_small");
}

#[test]
fn mcp_and_scad_paths_match_skglm_on_standardized_diabetes() {
    check_file("nonconvex_diabetes");
}
