//! `--penalty group-lasso|sparse-group-lasso` (issue #23, CLI part): the library's least-squares
//! [`GroupLasso`](proxreg::GroupLasso) / [`GroupLassoCv`](proxreg::GroupLassoCv), with
//! `--family binomial` its logistic [`LogisticGroupLasso`](proxreg::LogisticGroupLasso) /
//! [`LogisticGroupLassoCv`](proxreg::LogisticGroupLassoCv), with `--family poisson` / `huber`
//! [`PoissonGroupLasso`](proxreg::PoissonGroupLasso) / [`HuberGroupLasso`](proxreg::HuberGroupLasso)
//! (`fit` and `path`), over feature groups given on the command line.
//!
//! The groups come from `--groups a,a,b,..` (one label per feature, in the order of the
//! features) or `--groups-file FILE` (lines `column_name,group`, every feature column listed
//! once; blank lines and lines starting with `#` ignored). Groups are numbered in the order
//! their labels first appear over the features. `--group-weights a=1.5,b=0` sets `c_g` by label
//! (groups not listed keep the library's `√|G|`; `0` with the group lasso leaves a group
//! unpenalized). τ, the ℓ1 share of the sparse group lasso, is the library's `l1_ratio`:
//! `--l1-ratio` (default 0.5), in `[0, 1]`.

use std::time::Instant;

use proxreg::penalty::Groups;
use proxreg::prelude::LinearModel;
use proxreg::{
    GroupLasso, GroupLassoCv, GroupLassoParams, HuberGroupLasso, HuberGroupLassoCv,
    HuberGroupLassoParams, LogisticGroupLasso, LogisticGroupLassoCv, LogisticGroupLassoParams,
    PoissonGroupLasso, PoissonGroupLassoCv, PoissonGroupLassoParams, StratifiedKFold,
};
use serde_json::{json, Value};

use crate::commands::{
    class_measure, class_measure_name, delta_of, fitted_from, given_alphas, kfold,
    regression_measure, selection, CliError, CvArgs, CvResult, FamilyArg, Fitted, GlmInfo,
    ModelArgs, PenaltyKind, Result, SolverArg,
};
use crate::io::{self, on_design, Dataset};

/// What a group fit adds to its numbers: the partition and its weights.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupInfo {
    /// The group label of each feature, in the order of the features.
    pub labels: Vec<String>,
    /// The distinct labels in group order (first appearance over the features).
    pub names: Vec<String>,
    /// `c_g`, one per group (in the order of `names`).
    pub weights: Vec<f64>,
}

fn usage<T>(msg: impl Into<String>) -> Result<T> {
    Err(CliError::Usage(msg.into()))
}

/// Whether the penalty needs `--groups`.
pub(crate) fn is_group(p: PenaltyKind) -> bool {
    matches!(p, PenaltyKind::GroupLasso | PenaltyKind::SparseGroupLasso)
}

/// The checks that do not need the data: the group flags only with a group penalty, a group
/// penalty only with least squares or the logistic loss.
pub(crate) fn check_flags(m: &ModelArgs) -> Result<()> {
    let flags = m.groups.is_some() || m.groups_file.is_some() || m.group_weights.is_some();
    if !is_group(m.penalty) {
        if flags {
            return usage(format!(
                "--groups, --groups-file and --group-weights apply to --penalty group-lasso or sparse-group-lasso (not {})",
                m.penalty.name()
            ));
        }
        return Ok(());
    }
    if m.family == FamilyArg::Multinomial {
        return usage(format!(
            "--penalty {} is available for --family gaussian, binomial, poisson and huber, not multinomial (for a feature in or out for every class use --grouped)",
            m.penalty.name()
        ));
    }
    Ok(())
}

/// τ: 0 for the group lasso, `--l1-ratio` (default 0.5) for the sparse group lasso.
pub(crate) fn tau_of(m: &ModelArgs) -> f64 {
    match m.penalty {
        PenaltyKind::SparseGroupLasso => m.l1_ratio.unwrap_or(0.5),
        _ => 0.0,
    }
}

/// Every check of the group options against the data; returns the partition.
pub(crate) fn check_args(ds: &Dataset, m: &ModelArgs) -> Result<GroupInfo> {
    check_flags(m)?;
    let name = m.penalty.name();

    if m.standardize || m.positive || m.penalty_factor.is_some() {
        return usage(format!(
            "--standardize, --positive and --penalty-factor are not supported with {name} (the library's GroupLasso has none of them)"
        ));
    }
    if m.kkt_tol.is_some() {
        return usage(format!(
            "--kkt-tol is not supported with {name}: its --tol bounds the relative duality gap and the relative KKT violation"
        ));
    }
    if !matches!(m.solver, SolverArg::Auto | SolverArg::Cd) {
        return usage(format!(
            "{name} is solved by block coordinate descent (--solver auto or cd)"
        ));
    }
    if m.penalty == PenaltyKind::GroupLasso && m.l1_ratio.is_some() {
        return usage("--l1-ratio is τ of --penalty sparse-group-lasso (the group lasso is τ = 0)");
    }
    let tau = tau_of(m);
    if !(0.0..=1.0).contains(&tau) {
        return usage(format!(
            "--l1-ratio (τ of the sparse group lasso) must be in [0, 1], got {tau}"
        ));
    }
    let labels = labels_of(ds, m)?;
    let groups = partition(&labels)?;
    let names: Vec<String> = (0..groups.n_groups())
        .map(|g| labels[groups.group(g)[0]].clone())
        .collect();
    let mut weights: Vec<f64> = (0..groups.n_groups())
        .map(|g| (groups.size(g) as f64).sqrt())
        .collect();
    let mut seen = vec![false; names.len()];
    for item in m.group_weights.iter().flatten() {
        let Some((label, value)) = item.rsplit_once('=') else {
            return usage(format!("--group-weights: {item:?} is not LABEL=WEIGHT"));
        };
        let Some(g) = names.iter().position(|n| n == label.trim()) else {
            return usage(format!(
                "--group-weights: no group is labelled {:?} (the groups: {})",
                label.trim(),
                names.join(", ")
            ));
        };
        if std::mem::replace(&mut seen[g], true) {
            return usage(format!(
                "--group-weights: group {:?} is given twice",
                names[g]
            ));
        }
        let w: f64 = value.trim().parse().map_err(|_| {
            CliError::Usage(format!(
                "--group-weights: the weight of group {:?} is {value:?}, not a number",
                names[g]
            ))
        })?;
        if !(w.is_finite() && w >= 0.0) {
            return usage(format!(
                "--group-weights: the weight of group {:?} is {w}; weights must be finite numbers >= 0",
                names[g]
            ));
        }
        weights[g] = w;
    }
    Ok(GroupInfo {
        labels,
        names,
        weights,
    })
}

/// The library's partition of the labels.
fn partition(labels: &[String]) -> Result<Groups> {
    Groups::from_labels(labels).map_err(|e| CliError::Usage(format!("--groups: {e}")))
}

/// One label per feature, from `--groups` or `--groups-file`.
fn labels_of(ds: &Dataset, m: &ModelArgs) -> Result<Vec<String>> {
    let names = &ds.feature_names;
    let p = names.len();
    match (&m.groups, &m.groups_file) {
        (None, None) => usage(format!(
            "--penalty {} needs the groups: --groups LABEL,LABEL,.. (one per feature: {p}) or --groups-file FILE",
            m.penalty.name()
        )),
        (Some(_), Some(_)) => usage("give --groups or --groups-file, not both"),
        (Some(l), None) => {
            if l.len() != p {
                return usage(format!(
                    "--groups has {} labels, the data has {p} features ({})",
                    l.len(),
                    names.join(", ")
                ));
            }
            let labels: Vec<String> = l.iter().map(|s| s.trim().to_string()).collect();
            if let Some(j) = labels.iter().position(String::is_empty) {
                return usage(format!(
                    "--groups: label {} (feature {}) is empty",
                    j + 1,
                    names[j]
                ));
            }
            Ok(labels)
        }
        (None, Some(path)) => {
            let file = path.display().to_string();
            let bytes = io::read_file(path)?;
            let Ok(text) = std::str::from_utf8(&bytes) else {
                return usage(format!("{file}: the groups file is not UTF-8 text"));
            };
            let mut labels: Vec<Option<String>> = vec![None; p];
            let mut unknown = Vec::new();
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let Some((col, label)) = line.split_once(',') else {
                    return usage(format!(
                        "{file}:{}: expected `column_name,group`, got {line:?}",
                        i + 1
                    ));
                };
                let (col, label) = (col.trim(), label.trim());
                if label.is_empty() || label.contains(',') {
                    return usage(format!(
                        "{file}:{}: the group of column {col:?} is {}",
                        i + 1,
                        if label.is_empty() {
                            "empty".to_string()
                        } else {
                            format!("{label:?} (one comma per line: `column_name,group`)")
                        }
                    ));
                }
                match names.iter().position(|n| n == col) {
                    None => unknown.push(col.to_string()),
                    Some(j) if labels[j].is_some() => {
                        return usage(format!(
                            "{file}:{}: column {col:?} is listed twice",
                            i + 1
                        ))
                    }
                    Some(j) => labels[j] = Some(label.to_string()),
                }
            }
            if !unknown.is_empty() {
                return usage(format!(
                    "{file}: not feature columns of {}: {} (the features: {})",
                    ds.file,
                    unknown.join(", "),
                    names.join(", ")
                ));
            }
            let missing: Vec<&str> = (0..p)
                .filter(|&j| labels[j].is_none())
                .map(|j| names[j].as_str())
                .collect();
            if !missing.is_empty() {
                return usage(format!(
                    "{file}: every feature column needs a group; missing: {}",
                    missing.join(", ")
                ));
            }
            Ok(labels.into_iter().flatten().collect())
        }
    }
}

/// The library's builder for `m` and the partition `info`.
fn params(m: &ModelArgs, info: &GroupInfo) -> Result<GroupLassoParams<f64>> {
    let mut params = GroupLasso::params(partition(&info.labels)?)
        .group_weights(Some(info.weights.clone()))
        .l1_ratio(tau_of(m))
        .fit_intercept(!m.no_intercept)
        .tol(m.tol);
    // without --max-iter: the estimator's own default (100 000 epochs), not the CLI's 10 000
    if let Some(k) = m.max_iter {
        params = params.max_iter(k);
    }
    // bad hyper-parameters are the user's: exit code 2
    params
        .check()
        .map_err(|e| CliError::Usage(format!("--penalty {}: {e}", m.penalty.name())))?;
    Ok(params)
}

/// A family's builder (`$b`: `LogisticGroupLasso::params(..)`, ...) with the options of `m`;
/// [`params`] validates them first.
macro_rules! family_params {
    ($b:expr, $m:expr, $info:expr) => {{
        let (m, info): (&ModelArgs, &GroupInfo) = ($m, $info);
        params(m, info)?;
        let b = $b
            .group_weights(Some(info.weights.clone()))
            .l1_ratio(tau_of(m))
            .fit_intercept(!m.no_intercept)
            .tol(m.tol);
        match m.max_iter {
            Some(k) => b.max_iter(k),
            None => b,
        }
    }};
}

/// The logistic builder (`--family binomial`) with the same options, validated by [`params`].
fn logistic_params(m: &ModelArgs, info: &GroupInfo) -> Result<LogisticGroupLassoParams<f64>> {
    Ok(family_params!(
        LogisticGroupLasso::params(partition(&info.labels)?),
        m,
        info
    ))
}

/// The Poisson builder (`--family poisson`).
fn poisson_params(m: &ModelArgs, info: &GroupInfo) -> Result<PoissonGroupLassoParams<f64>> {
    Ok(family_params!(
        PoissonGroupLasso::params(partition(&info.labels)?),
        m,
        info
    ))
}

/// The Huber builder (`--family huber`, `--huber-delta`).
fn huber_params(m: &ModelArgs, info: &GroupInfo) -> Result<HuberGroupLassoParams<f64>> {
    Ok(family_params!(
        HuberGroupLasso::params(partition(&info.labels)?).delta(delta_of(m)),
        m,
        info
    ))
}

fn fitted(m: &ModelArgs, info: &GroupInfo, model: &LinearModel<f64>) -> Fitted {
    let mut f = fitted_from(m.penalty, tau_of(m), model);
    f.groups = Some(info.clone());
    if m.family.is_glm() {
        f.glm = Some(GlmInfo {
            family: m.family,
            delta: (m.family == FamilyArg::Huber).then(|| delta_of(m)),
            offset: None,
        });
    }
    f
}

/// A Poisson group fit with the offset column it was fitted with (`--offset` / `--exposure`).
fn fitted_offset(
    m: &ModelArgs,
    info: &GroupInfo,
    model: &LinearModel<f64>,
    ds: &Dataset,
) -> Fitted {
    let mut f = fitted(m, info, model);
    if let Some(g) = f.glm.as_mut() {
        g.offset.clone_from(&ds.offset_name);
    }
    f
}

/// A logistic group fit: the linear model and its two labels.
fn fitted_logistic(m: &ModelArgs, info: &GroupInfo, model: &LogisticGroupLasso<f64>) -> Fitted {
    let mut f = fitted(m, info, &model.clone().into_inner());
    f.classes = Some(model.classes());
    f
}

/// One fit at `alpha`.
pub(crate) fn fit(ds: &Dataset, m: &ModelArgs, alpha: f64) -> Result<Fitted> {
    let info = check_args(ds, m)?;
    let (y, sw) = (&ds.y, ds.weights.as_deref());
    let t0 = Instant::now();
    let mut f = match m.family {
        FamilyArg::Binomial => {
            let b = logistic_params(m, &info)?.alpha(alpha);
            fitted_logistic(m, &info, &on_design!(&ds.x, |x| b.fit_with(x, y, sw)?))
        }
        FamilyArg::Poisson => {
            let b = poisson_params(m, &info)?.alpha(alpha);
            let off = ds.offset.as_deref();
            let model = on_design!(&ds.x, |x| b.fit_offset(x, y, sw, off)?.into_inner());
            fitted_offset(m, &info, &model, ds)
        }
        FamilyArg::Huber => {
            let b = huber_params(m, &info)?.alpha(alpha);
            fitted(
                m,
                &info,
                &on_design!(&ds.x, |x| b.fit_with(x, y, sw)?.into_inner()),
            )
        }
        _ => {
            let b = params(m, &info)?.alpha(alpha);
            fitted(
                m,
                &info,
                &on_design!(&ds.x, |x| b.fit_with(x, y, sw)?.into_inner()),
            )
        }
    };
    f.seconds = t0.elapsed().as_secs_f64();
    Ok(f)
}

/// The library's warm-started path over `alphas`.
pub(crate) fn path(ds: &Dataset, m: &ModelArgs, alphas: &[f64]) -> Result<Vec<Fitted>> {
    let info = check_args(ds, m)?;
    let (y, sw) = (&ds.y, ds.weights.as_deref());
    let all =
        |models: Vec<LinearModel<f64>>| models.iter().map(|mo| fitted(m, &info, mo)).collect();
    Ok(match m.family {
        FamilyArg::Binomial => {
            let b = logistic_params(m, &info)?;
            let models = on_design!(&ds.x, |x| b.path(x, y, sw, alphas)?);
            models
                .iter()
                .map(|mo| fitted_logistic(m, &info, mo))
                .collect()
        }
        FamilyArg::Poisson => {
            let b = poisson_params(m, &info)?;
            let off = ds.offset.as_deref();
            let models = on_design!(&ds.x, |x| b.path(x, y, sw, off, alphas)?);
            models
                .into_iter()
                .map(|mo| fitted_offset(m, &info, &mo.into_inner(), ds))
                .collect()
        }
        FamilyArg::Huber => {
            let b = huber_params(m, &info)?;
            let models = on_design!(&ds.x, |x| b.path(x, y, sw, alphas)?);
            all(models.into_iter().map(|mo| mo.into_inner()).collect())
        }
        _ => {
            let b = params(m, &info)?;
            let models = on_design!(&ds.x, |x| b.path(x, y, sw, alphas)?);
            all(models.into_iter().map(|mo| mo.into_inner()).collect())
        }
    })
}

/// The smallest alpha at which every penalized group is zero.
pub(crate) fn alpha_max(ds: &Dataset, m: &ModelArgs) -> Result<f64> {
    let info = check_args(ds, m)?;
    let (y, sw) = (&ds.y, ds.weights.as_deref());
    Ok(match m.family {
        FamilyArg::Binomial => {
            let b = logistic_params(m, &info)?;
            on_design!(&ds.x, |x| b.alpha_max(x, y, sw)?)
        }
        FamilyArg::Poisson => {
            let b = poisson_params(m, &info)?;
            let off = ds.offset.as_deref();
            on_design!(&ds.x, |x| b.alpha_max(x, y, sw, off)?)
        }
        FamilyArg::Huber => {
            let b = huber_params(m, &info)?;
            on_design!(&ds.x, |x| b.alpha_max(x, y, sw)?)
        }
        _ => {
            let b = params(m, &info)?;
            on_design!(&ds.x, |x| b.alpha_max(x, y, sw)?)
        }
    })
}

/// The JSON entries of a group fit.
pub(crate) fn json_entries(info: &GroupInfo, tau: f64) -> Vec<(&'static str, Value)> {
    vec![
        ("groups", json!(info.labels)),
        ("group_labels", json!(info.names)),
        ("group_weights", json!(info.weights)),
        ("tau", json!(tau)),
    ]
}

/// The printed lines: each group's members, weight and whether it is active.
pub(crate) fn summary(info: &GroupInfo, ds: &Dataset, coef: &[f64]) -> String {
    let mut s = String::new();
    for (g, name) in info.names.iter().enumerate() {
        let members: Vec<usize> = (0..info.labels.len())
            .filter(|&j| info.labels[j] == *name)
            .collect();
        let active = members.iter().filter(|&&j| coef[j] != 0.0).count();
        let cols: Vec<&str> = members
            .iter()
            .map(|&j| ds.feature_names[j].as_str())
            .collect();
        s += &format!(
            "  group {name}: weight {:.6}, {active}/{} nonzero ({})\n",
            info.weights[g],
            members.len(),
            cols.join(" ")
        );
    }
    s
}

/// A group cross-validation builder (`GroupLassoCv` or `LogisticGroupLassoCv`, which share
/// their setters) with the partition, τ, the solver and grid options and the selection rule of
/// the command line, validated (bad hyper-parameters are the user's: exit code 2).
macro_rules! group_cv_params {
    ($est:ident, $a:expr, $info:expr) => {{
        let (a, info): (&CvArgs, &GroupInfo) = ($a, $info);
        let m = &a.model;
        let mut b = $est::params(partition(&info.labels)?)
            .group_weights(Some(info.weights.clone()))
            .l1_ratio(tau_of(m))
            .fit_intercept(!m.no_intercept)
            .tol(m.tol)
            .n_alphas(a.grid.n_alphas)
            .eps(a.grid.eps)
            .selection(selection(a));
        if let Some(al) = &a.grid.alphas {
            b = b.alphas(given_alphas(al)?);
        }
        if let Some(k) = m.max_iter {
            b = b.max_iter(k);
        }
        b.check()
            .map_err(|e| CliError::Usage(format!("--penalty {}: {e}", m.penalty.name())))?;
        b
    }};
}

/// `cv` with a group penalty: the library's [`GroupLassoCv`] (K-fold over a warm-started
/// path from `alpha_max`, held-out MSE, lambda_min / lambda_1se, refit on all the rows), or with
/// `--family binomial` its [`LogisticGroupLassoCv`] (stratified folds unless `--plain-folds`,
/// the held-out `--measure`, default the deviance).
pub(crate) fn cv(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    let m = &a.model;
    let info = check_args(ds, m)?;
    let sw = ds.weights.as_deref();
    let tau = tau_of(m);
    let mut extra = json_entries(&info, tau);
    if m.family == FamilyArg::Binomial {
        let measure = class_measure(a);
        let b = group_cv_params!(LogisticGroupLassoCv, a, &info).measure(measure);
        let b = if a.plain_folds {
            b.cv(kfold(a))
        } else {
            b.stratified(StratifiedKFold::from(kfold(a)))
        };
        let cv = on_design!(&ds.x, |x| b.fit_with(x, &ds.y, sw)?);
        extra.push(("max_fold_relative_gap", json!(cv.max_relative_gap())));
        extra.push(("n_not_converged", json!(cv.n_not_converged())));
        let mut r = CvResult::of_path(
            cv.path(),
            tau,
            fitted_logistic(m, &info, cv.model()),
            "LogisticGroupLassoCv",
            extra,
        );
        r.measure = class_measure_name(measure);
        return Ok(r);
    }
    if m.family.is_glm() {
        if ds.offset.is_some() {
            return usage(format!(
                "`cv` with {} takes no --offset / --exposure (the library's PoissonGroupLassoCv has none yet; `fit` and `path` take them)",
                m.penalty.name()
            ));
        }
        let measure = regression_measure(a)?;
        macro_rules! family_cv {
            ($b:expr, $method:expr) => {{
                let b = $b.cv(kfold(a)).measure(measure);
                let cv = on_design!(&ds.x, |x| b.fit_with(x, &ds.y, sw)?);
                extra.push(("max_fold_relative_gap", json!(cv.max_relative_gap())));
                extra.push(("n_not_converged", json!(cv.n_not_converged())));
                let mut r = CvResult::of_path(
                    cv.path(),
                    tau,
                    fitted(m, &info, &cv.model().clone().into_inner()),
                    $method,
                    extra,
                );
                r.measure = measure.name().into();
                r
            }};
        }
        return Ok(if m.family == FamilyArg::Poisson {
            family_cv!(
                group_cv_params!(PoissonGroupLassoCv, a, &info),
                "PoissonGroupLassoCv"
            )
        } else {
            family_cv!(
                group_cv_params!(HuberGroupLassoCv, a, &info).delta(delta_of(m)),
                "HuberGroupLassoCv"
            )
        });
    }
    let b = group_cv_params!(GroupLassoCv, a, &info).cv(kfold(a));
    let cv = on_design!(&ds.x, |x| b.fit_with(x, &ds.y, sw)?);
    extra.push(("max_fold_relative_gap", json!(cv.max_relative_gap())));
    extra.push(("n_not_converged", json!(cv.n_not_converged())));
    Ok(CvResult::of_path(
        cv.path(),
        tau,
        fitted(m, &info, cv.model()),
        "GroupLassoCv",
        extra,
    ))
}
