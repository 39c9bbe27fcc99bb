//! `--relax` and `--adaptive` (issue #23, CLI part): the library's relaxed lasso
//! ([`RelaxedLasso`], [`RelaxedLassoCv`]) and adaptive lasso ([`AdaptiveLasso`],
//! [`AdaptiveLassoCv`]) for `--family gaussian --penalty lasso`.
//!
//! The relaxed lasso blends the Lasso at alpha with the unpenalised least-squares refit on its
//! support, `γ·w_lasso + (1 − γ)·w_refit` (`--gamma`, default 0 as the library; 1 is the
//! Lasso); `cv` chooses `(alpha, γ)` jointly over `--gammas`. Its certificates are the Lasso
//! stage's (duality gap, KKT) and the refit's normal-equation residual. The adaptive lasso is
//! the Lasso with penalty factors `1/(|w̃_j| + ε)^ν` from a first fit (`--adaptive-init ridge`
//! with `--init-alpha`, `ols`, or `--init-coef`); its certificates are the weighted Lasso's.
//! A saved model of either is its coefficients and intercept, `estimator` naming the fit.

use clap::{Args, ValueEnum};
use proxreg::prelude::*;
use proxreg::{
    AdaptiveInit, AdaptiveLassoCv, AdaptiveLassoParams, RelaxedLasso, RelaxedLassoCv,
    RelaxedLassoParams, RelaxedRefit,
};
use serde_json::{json, Value};

use crate::commands::{
    common, fitted_from, given_alphas, grid_and_solver, kfold, selection, CliError, CvArgs,
    CvResult, FamilyArg, Fitted, GridArgs, ModelArgs, PenaltyKind, Result,
};
use crate::io::{on_design, Dataset};

/// The options of the relaxed and the adaptive lasso (flattened into the model options).
#[derive(Debug, Clone, Default, Args)]
pub struct RelaxArgs {
    /// The relaxed lasso (glmnet's `relax = TRUE`), with --family gaussian --penalty lasso:
    /// the Lasso at alpha, the unpenalised least-squares refit on its support, and their blend
    /// `γ·lasso + (1 − γ)·refit` with γ = --gamma in [0, 1] (default 0, the fully relaxed
    /// fit; 1 is the Lasso). `cv` chooses (alpha, γ) over --gammas.
    #[arg(long, conflicts_with = "adaptive")]
    pub relax: bool,
    /// The adaptive lasso (Zou 2006), with --family gaussian --penalty lasso: the Lasso with
    /// penalty factors `1/(|w̃_j| + ε)^ν`, w̃ from a first fit (--adaptive-init); a feature
    /// with w̃_j = 0 and ε = 0 is excluded.
    #[arg(long)]
    pub adaptive: bool,
    /// --adaptive: the exponent ν > 0 of the factors (default 1).
    #[arg(long, value_name = "NU")]
    pub nu: Option<f64>,
    /// --adaptive: the first fit, ridge (the default; --init-alpha) or ols (needs more rows
    /// than features).
    #[arg(long, value_enum, value_name = "FIT", conflicts_with = "init_coef")]
    pub adaptive_init: Option<InitArg>,
    /// --adaptive with the ridge start: its alpha (`‖y − Xw − b‖² + α‖w‖²`, default 1).
    #[arg(long, value_name = "A")]
    pub init_alpha: Option<f64>,
    /// --adaptive: the offset ε >= 0 of the factors (default 0).
    #[arg(long, value_name = "EPS")]
    pub init_eps: Option<f64>,
    /// --adaptive: given initial coefficients w̃, one per feature, comma-separated (instead
    /// of a first fit; `cv` uses them in every fold).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "C1,C2,..",
        allow_negative_numbers = true
    )]
    pub init_coef: Option<Vec<f64>>,
}

/// `--adaptive-init`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InitArg {
    /// Ridge regression with --init-alpha (default 1); works for any shape.
    Ridge,
    /// Ordinary least squares (n > p).
    Ols,
}

/// Which of the two a command line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `--relax`.
    Relaxed,
    /// `--adaptive`.
    Adaptive,
}

/// What a relaxed or adaptive fit adds to its numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum RelaxInfo {
    /// A relaxed lasso: the blend γ and the refit on the support (its certificate).
    Relaxed {
        /// γ (1 = Lasso, 0 = refit).
        gamma: f64,
        /// The least-squares refit on the Lasso's support.
        refit: RelaxedRefit<f64>,
    },
    /// An adaptive lasso: its weighting.
    Adaptive {
        /// ν.
        nu: f64,
        /// The first fit (`ridge`, `ols`, `given`).
        init: String,
        /// The ridge start's alpha.
        init_alpha: Option<f64>,
        /// ε.
        init_eps: f64,
        /// w̃.
        init_coef: Vec<f64>,
        /// The penalty factors (`+∞` for an excluded feature).
        factors: Vec<f64>,
        /// The excluded features.
        excluded: Vec<usize>,
    },
}

impl RelaxInfo {
    /// The `estimator` of the saved model and of the JSON.
    pub(crate) fn estimator(&self) -> &'static str {
        match self {
            Self::Relaxed { .. } => "relaxed-lasso",
            Self::Adaptive { .. } => "adaptive-lasso",
        }
    }
}

fn usage<T>(msg: impl Into<String>) -> Result<T> {
    Err(CliError::Usage(msg.into()))
}

/// `--relax`, `--adaptive` or neither.
pub(crate) fn kind(m: &ModelArgs) -> Option<Kind> {
    if m.relax.relax {
        Some(Kind::Relaxed)
    } else if m.relax.adaptive {
        Some(Kind::Adaptive)
    } else {
        None
    }
}

/// The checks that do not need the data: the adaptive options only with `--adaptive`, both
/// only with `--family gaussian --penalty lasso`, the options each takes.
pub(crate) fn check_flags(m: &ModelArgs) -> Result<()> {
    let r = &m.relax;
    let adaptive_flags = r.nu.is_some()
        || r.adaptive_init.is_some()
        || r.init_alpha.is_some()
        || r.init_eps.is_some()
        || r.init_coef.is_some();
    if adaptive_flags && !r.adaptive {
        return usage(
            "--nu, --adaptive-init, --init-alpha, --init-eps and --init-coef apply to --adaptive",
        );
    }
    let Some(k) = kind(m) else {
        return Ok(());
    };
    let flag = if k == Kind::Relaxed {
        "--relax"
    } else {
        "--adaptive"
    };
    if m.family != FamilyArg::Gaussian || m.penalty != PenaltyKind::Lasso {
        return usage(format!(
            "{flag} is supported with --family gaussian --penalty lasso only (not --family {} --penalty {})",
            m.family.name(),
            m.penalty.name()
        ));
    }
    if k == Kind::Relaxed && m.positive {
        return usage("--positive is not supported with --relax (the refit on the support is unconstrained least squares)");
    }
    if r.init_alpha.is_some() && r.adaptive_init == Some(InitArg::Ols) {
        return usage("--init-alpha is the ridge start's alpha (not with --adaptive-init ols)");
    }
    if r.init_alpha.is_some() && r.init_coef.is_some() {
        return usage("--init-alpha is the ridge start's alpha (not with --init-coef)");
    }
    Ok(())
}

/// γ of the relaxed lasso: `--gamma`, or the library's default 0.
pub(crate) fn gamma_of(m: &ModelArgs) -> f64 {
    m.gamma.unwrap_or(0.0)
}

/// The library's errors of hyper-parameters are the user's (exit code 2).
fn bad(flag: &str, e: proxreg::Error) -> CliError {
    CliError::Usage(format!("{flag}: {e}"))
}

fn init_of(m: &ModelArgs) -> AdaptiveInit<f64> {
    let r = &m.relax;
    match (&r.init_coef, r.adaptive_init) {
        (Some(c), _) => AdaptiveInit::Given(c.clone()),
        (None, Some(InitArg::Ols)) => AdaptiveInit::Ols,
        (None, _) => AdaptiveInit::Ridge(r.init_alpha.unwrap_or(1.0)),
    }
}

fn relaxed_params(m: &ModelArgs, p: usize) -> Result<RelaxedLassoParams<f64>> {
    let b = common!(RelaxedLasso::params().gamma(gamma_of(m)), m, p);
    b.check().map_err(|e| bad("--relax", e))?;
    Ok(b)
}

fn adaptive_params(m: &ModelArgs, p: usize) -> Result<AdaptiveLassoParams<f64>> {
    let r = &m.relax;
    if let Some(c) = &r.init_coef {
        if c.len() != p {
            return usage(format!(
                "--init-coef has {} values, the data has {p} features",
                c.len()
            ));
        }
    }
    let b = AdaptiveLasso::params()
        .nu(r.nu.unwrap_or(1.0))
        .init_eps(r.init_eps.unwrap_or(0.0))
        .init(init_of(m));
    let b = common!(b, m, p);
    b.check().map_err(|e| bad("--adaptive", e))?;
    Ok(b)
}

fn fitted_relaxed(model: &RelaxedLasso<f64>) -> Fitted {
    let mut f = fitted_from(PenaltyKind::Lasso, 1.0, model);
    f.relax = Some(RelaxInfo::Relaxed {
        gamma: model.gamma(),
        refit: model.refit().clone(),
    });
    f
}

fn fitted_adaptive(m: &ModelArgs, model: &AdaptiveLasso<f64>) -> Fitted {
    let r = &m.relax;
    let mut f = fitted_from(PenaltyKind::Lasso, 1.0, model);
    let init = init_of(m);
    f.relax = Some(RelaxInfo::Adaptive {
        nu: r.nu.unwrap_or(1.0),
        init: match init {
            AdaptiveInit::Ols => "ols",
            AdaptiveInit::Given(_) => "given",
            _ => "ridge",
        }
        .into(),
        init_alpha: match init {
            AdaptiveInit::Ridge(a) => Some(a),
            _ => None,
        },
        init_eps: r.init_eps.unwrap_or(0.0),
        init_coef: model.init_coef().to_vec(),
        factors: model.factors().to_vec(),
        excluded: model.excluded().to_vec(),
    });
    f
}

/// One fit at `alpha` (with the data's sample weights).
pub(crate) fn fit(ds: &Dataset, m: &ModelArgs, alpha: f64) -> Result<Fitted> {
    let t0 = std::time::Instant::now();
    let (p, y, w) = (ds.x.ncols(), &ds.y, ds.weights.as_deref());
    let mut f = match kind(m) {
        Some(Kind::Relaxed) => {
            let b = relaxed_params(m, p)?.alpha(alpha);
            fitted_relaxed(&on_design!(&ds.x, |x| match w {
                Some(s) => b.fit_weighted(x, y, s)?,
                None => b.fit(x, y)?,
            }))
        }
        _ => {
            let b = adaptive_params(m, p)?.alpha(alpha);
            let model = on_design!(&ds.x, |x| match w {
                Some(s) => b.fit_weighted(x, y, s)?,
                None => b.fit(x, y)?,
            });
            fitted_adaptive(m, &model)
        }
    };
    f.seconds = t0.elapsed().as_secs_f64();
    Ok(f)
}

/// The library's path over `alphas` (the warm-started Lasso path, each point refitted on its
/// support; or one initial fit and the warm-started weighted Lasso path).
pub(crate) fn path(ds: &Dataset, m: &ModelArgs, alphas: &[f64]) -> Result<Vec<Fitted>> {
    let (p, y, w) = (ds.x.ncols(), &ds.y, ds.weights.as_deref());
    Ok(match kind(m) {
        Some(Kind::Relaxed) => {
            let b = relaxed_params(m, p)?;
            on_design!(&ds.x, |x| b.path(x, y, w, alphas)?)
                .iter()
                .map(fitted_relaxed)
                .collect()
        }
        _ => {
            let b = adaptive_params(m, p)?;
            on_design!(&ds.x, |x| b.path(x, y, w, alphas)?)
                .iter()
                .map(|mo| fitted_adaptive(m, mo))
                .collect()
        }
    })
}

/// `alpha_max` of the adaptive lasso's weighted problem (`None` for the others: the relaxed
/// lasso's is the Lasso's).
pub(crate) fn adaptive_alpha_max(ds: &Dataset, m: &ModelArgs) -> Result<Option<f64>> {
    if kind(m) != Some(Kind::Adaptive) {
        return Ok(None);
    }
    let b = adaptive_params(m, ds.x.ncols())?;
    let w = ds.weights.as_deref();
    Ok(Some(on_design!(&ds.x, |x| b.alpha_max(x, &ds.y, w)?)))
}

/// The JSON entries of a relaxed / adaptive fit.
pub(crate) fn json_entries(info: &RelaxInfo) -> Vec<(&'static str, Value)> {
    let mut v = vec![("estimator", json!(info.estimator()))];
    match info {
        RelaxInfo::Relaxed { gamma, refit } => {
            v.push(("gamma", json!(gamma)));
            v.push((
                "certificates_of",
                json!("the lasso stage (the blend minimises no objective of its own); the refit's certificate is refit.relative_normal_residual"),
            ));
            v.push((
                "refit",
                json!({
                    "coef": refit.coef(),
                    "intercept": refit.intercept(),
                    "support": refit.support(),
                    "rank": refit.rank(),
                    "normal_residual": refit.normal_residual(),
                    "relative_normal_residual": refit.relative_normal_residual(),
                }),
            ));
        }
        RelaxInfo::Adaptive {
            nu,
            init,
            init_alpha,
            init_eps,
            init_coef,
            factors,
            excluded,
        } => {
            v.push(("nu", json!(nu)));
            v.push(("init", json!(init)));
            v.push(("init_alpha", json!(init_alpha)));
            v.push(("init_eps", json!(init_eps)));
            v.push(("init_coef", json!(init_coef)));
            // an excluded feature's factor is +∞: null in JSON
            v.push((
                "penalty_factors",
                json!(factors
                    .iter()
                    .map(|f| f.is_finite().then_some(*f))
                    .collect::<Vec<_>>()),
            ));
            v.push(("excluded", json!(excluded)));
            v.push((
                "certificates_of",
                json!("the weighted lasso on the kept (not excluded) features"),
            ));
        }
    }
    v
}

/// `, gamma = G` (relaxed) or `, nu = V` (adaptive) for the header lines.
pub(crate) fn header(info: &RelaxInfo) -> String {
    match info {
        RelaxInfo::Relaxed { gamma, .. } => format!(", gamma = {gamma}"),
        RelaxInfo::Adaptive { nu, .. } => format!(", nu = {nu}"),
    }
}

/// The printed lines after the certificates.
pub(crate) fn summary(info: &RelaxInfo, ds: &Dataset) -> String {
    match info {
        RelaxInfo::Relaxed { gamma, refit } => format!(
            "  relaxed lasso, gamma = {gamma} (1 = lasso, 0 = least-squares refit): the certificates above are the lasso stage's\n  refit on the support ({} features, rank {}): normal-equation residual {:.3e} (relative {:.3e})\n",
            refit.support().len(),
            refit.rank(),
            refit.normal_residual(),
            refit.relative_normal_residual()
        ),
        RelaxInfo::Adaptive {
            nu,
            init,
            init_alpha,
            init_eps,
            excluded,
            ..
        } => {
            let names: Vec<&str> = excluded
                .iter()
                .map(|&j| ds.feature_names[j].as_str())
                .collect();
            format!(
                "  adaptive lasso, factors 1/(|w_init| + {init_eps})^{nu}, w_init from {init}{}: the certificates above are the weighted lasso's; excluded: {}\n",
                init_alpha.map_or(String::new(), |a| format!(" (alpha {a})")),
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(" ")
                }
            )
        }
    }
}

/// The path's JSON entries and printed note.
pub(crate) fn path_entries(fits: &[Fitted]) -> (Vec<(&'static str, Value)>, String) {
    let Some(first) = fits.first().and_then(|f| f.relax.as_ref()) else {
        return (Vec::new(), String::new());
    };
    let mut v = vec![("estimator", json!(first.estimator()))];
    let note = match first {
        RelaxInfo::Relaxed { gamma, .. } => {
            let res: Vec<Option<f64>> = fits
                .iter()
                .map(|f| match &f.relax {
                    Some(RelaxInfo::Relaxed { refit, .. }) => {
                        Some(refit.relative_normal_residual())
                    }
                    _ => None,
                })
                .collect();
            let worst = res.iter().flatten().fold(0.0_f64, |a, &b| a.max(b));
            v.push(("gamma", json!(gamma)));
            v.push(("refit_relative_normal_residuals", json!(res)));
            format!("  relaxed lasso, gamma = {gamma}: gap and kkt are the lasso stage's; the refits' largest relative normal-equation residual is {worst:.3e}\n")
        }
        RelaxInfo::Adaptive { nu, init, .. } => {
            v.push(("nu", json!(nu)));
            v.push(("init", json!(init)));
            format!("  adaptive lasso, nu = {nu}, w_init from {init}: gap and kkt are the weighted lasso's\n")
        }
    };
    (v, note)
}

/// `cv --relax` ([`RelaxedLassoCv`], `(alpha, γ)` jointly) or `cv --adaptive`
/// ([`AdaptiveLassoCv`], the first fit redone on every fold's training rows). The curve of
/// the result is the selected γ's; the JSON carries every γ's.
pub(crate) fn cv(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    let m = &a.model;
    let grid: &GridArgs = &a.grid;
    match kind(m) {
        Some(Kind::Relaxed) => {
            let gammas = match (&a.gammas, m.gamma) {
                (Some(_), Some(_)) => {
                    return usage("give --gammas (the grid) or --gamma (one value), not both")
                }
                (Some(g), None) => Some(g.clone()),
                (None, Some(g)) => Some(vec![g]),
                (None, None) => None,
            };
            let mut b = grid_and_solver!(RelaxedLassoCv::params(), grid, m)
                .cv(kfold(a))
                .standardize(m.standardize)
                .selection(selection(a));
            if let Some(g) = gammas {
                b = b.gammas(g);
            }
            b.check().map_err(|e| bad("cv --relax", e))?;
            let cv = on_design!(&ds.x, |x| b.fit(x, &ds.y)?);
            Ok(relaxed_result(&cv))
        }
        _ => {
            if a.gammas.is_some() {
                return usage("--gammas applies to cv --relax");
            }
            let p = ds.x.ncols();
            // the length of --init-coef, and the options' own checks
            adaptive_params(m, p)?;
            let r = &m.relax;
            let b = grid_and_solver!(AdaptiveLassoCv::params(), grid, m)
                .cv(kfold(a))
                .standardize(m.standardize)
                .selection(selection(a))
                .nu(r.nu.unwrap_or(1.0))
                .init_eps(r.init_eps.unwrap_or(0.0))
                .init(init_of(m));
            b.check().map_err(|e| bad("cv --adaptive", e))?;
            let cv = on_design!(&ds.x, |x| b.fit(x, &ds.y)?);
            let path = cv.path();
            let extra = vec![
                ("n_fold_fits_not_converged", json!(path.n_not_converged)),
                ("on_grid_edge", json!(cv.on_grid_edge())),
            ];
            let refit = fitted_adaptive(m, cv.model());
            Ok(CvResult::of_path(
                path,
                1.0,
                refit,
                "AdaptiveLassoCv",
                extra,
            ))
        }
    }
}

fn relaxed_result(cv: &RelaxedLassoCv<f64>) -> CvResult {
    let paths = cv.paths();
    let (gmin, amin) = cv.index_min();
    let (g1se, a1se) = cv.index_1se();
    let g = cv
        .gammas()
        .iter()
        .position(|&g| g == cv.gamma())
        .unwrap_or(gmin);
    let curve = &paths[g];
    let extra = vec![
        ("gammas", json!(cv.gammas())),
        ("gamma", json!(cv.gamma())),
        ("gamma_min", json!(cv.gammas()[gmin])),
        ("gamma_1se", json!(cv.gammas()[g1se])),
        ("cv_error_min", json!(paths[gmin].mean[amin])),
        ("cv_std_err_min", json!(paths[gmin].std_err[amin])),
        ("cv_error_1se", json!(paths[g1se].mean[a1se])),
        ("cv_std_err_1se", json!(paths[g1se].std_err[a1se])),
        ("curve_gamma", json!(cv.gammas()[g])),
        (
            "mse_mean_by_gamma",
            json!(paths.iter().map(|p| p.mean.clone()).collect::<Vec<_>>()),
        ),
        (
            "mse_std_err_by_gamma",
            json!(paths.iter().map(|p| p.std_err.clone()).collect::<Vec<_>>()),
        ),
        ("n_fold_fits_not_converged", json!(curve.n_not_converged)),
        ("on_grid_edge", json!(cv.on_grid_edge())),
    ];
    let mut r = CvResult::of_path(
        curve,
        1.0,
        fitted_relaxed(cv.model()),
        "RelaxedLassoCv",
        extra,
    );
    // the alpha indices of the joint (alpha, gamma) selection
    r.index_min = amin;
    r.index_1se = a1se;
    r
}

/// The printed lambda lines of `cv --relax`: the selected `(alpha, γ)` pairs with their mean
/// error (`None` for the other CV results).
pub(crate) fn cv_lines(r: &CvResult) -> Option<String> {
    if r.method != "RelaxedLassoCv" {
        return None;
    }
    let get = |k: &str| {
        r.extra
            .iter()
            .find(|(name, _)| *name == k)
            .and_then(|(_, v)| v.as_f64())
            .unwrap_or(f64::NAN)
    };
    Some(format!(
        "  lambda_min = {:.6e}, gamma_min = {}   mean MSE {:.4} ± {:.4}\n  lambda_1se = {:.6e}, gamma_1se = {}   mean MSE {:.4} ± {:.4}\n",
        r.alphas[r.index_min],
        get("gamma_min"),
        get("cv_error_min"),
        get("cv_std_err_min"),
        r.alphas[r.index_1se],
        get("gamma_1se"),
        get("cv_error_1se"),
        get("cv_std_err_1se"),
    ))
}

/// The model options of the refit's path (`cv`'s JSON and figures): the selected γ.
pub(crate) fn selected_model(m: &mut ModelArgs, refit: &Fitted) {
    if let Some(RelaxInfo::Relaxed { gamma, .. }) = &refit.relax {
        m.gamma = Some(*gamma);
    }
}

/// The name in the printed headers: `relaxed-lasso`, `adaptive-lasso` or the penalty's.
pub(crate) fn name(m: &ModelArgs) -> &'static str {
    match kind(m) {
        Some(Kind::Relaxed) => "relaxed-lasso",
        Some(Kind::Adaptive) => "adaptive-lasso",
        None => m.penalty.name(),
    }
}
