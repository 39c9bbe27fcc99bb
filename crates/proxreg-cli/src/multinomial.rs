//! `--family multinomial`: K-class softmax regression through the library's
//! [`MultinomialRegression`] and [`MultinomialRegressionCv`] (their own API: the library's
//! `Fitted` / `Estimator` traits describe models with at most two classes, so these fits do not
//! go through [`crate::commands`]' estimator dispatch), and `predict` for the saved model.
//!
//! The target column holds the labels (numbers, as every column the readers accept); the `K`
//! distinct ones, sorted, are the classes: coefficient column `k` (and intercept `k`) belongs
//! to `classes[k]`. The mapping is printed, written in the JSON outputs and saved in the model
//! file.

use std::time::Instant;

use proxreg::prelude::*;
use proxreg::{MultinomialMeasure, MultinomialRegressionParams};
use serde_json::{json, Value};

use crate::commands::{
    given_alphas, grid_and_solver, kfold, l1_ratio_of, selection, CliError, CvArgs, CvResult,
    Fitted, GridArgs, MeasureArg, ModelArgs, MultinomialInfo, PenaltyKind, Result, SolverArg,
};
use crate::io::{self, on_design, DataError, Dataset};
use crate::model::Model;

/// A label as it is printed and names its columns (`3`, `0.5`, `-1`).
pub fn label(v: f64) -> String {
    format!("{v}")
}

/// The options a multinomial fit takes, checked before anything is fitted: one target column
/// with at least two distinct finite labels, the penalties lasso / elastic-net / ridge, the
/// library's solver (`--solver auto`), and neither `--positive` nor `--penalty-factor`.
pub(crate) fn check_args(ds: &Dataset, m: &ModelArgs) -> Result<()> {
    if ds.n_tasks() > 1 {
        return Err(CliError::Usage(format!(
            "--family multinomial takes one target column, the labels ({} given: {})",
            ds.n_tasks(),
            ds.target_names.join(", ")
        )));
    }
    if !matches!(
        m.penalty,
        PenaltyKind::Lasso | PenaltyKind::ElasticNet | PenaltyKind::Ridge
    ) {
        return Err(CliError::Usage(format!(
            "--family multinomial takes --penalty lasso, elastic-net or ridge (not {}); --grouped makes them grouped",
            m.penalty.name()
        )));
    }
    if m.solver != SolverArg::Auto {
        return Err(CliError::Usage(
            "--family multinomial is solved by its own proximal Newton solver: use --solver auto"
                .into(),
        ));
    }
    if m.positive || m.penalty_factor.is_some() {
        return Err(CliError::Usage(
            "--positive and --penalty-factor are not supported with --family multinomial".into(),
        ));
    }
    let line = |i: usize| ds.lines.as_ref().and_then(|l| l.get(i).copied());
    let target = ds.target_names.join(",");
    if let Some(i) = ds.y.iter().position(|v| !v.is_finite()) {
        return Err(DataError {
            file: ds.file.clone(),
            line: line(i),
            column: None,
            kind: io::ErrorKind::OutOfRange(format!(
                "--family multinomial: label {} of target {target} in data row {} is not a finite number",
                ds.y[i],
                i + 1
            )),
        }
        .into());
    }
    if let Some(&first) = ds.y.first() {
        if ds.y.iter().all(|&v| v == first) {
            return Err(DataError {
                file: ds.file.clone(),
                line: None,
                column: None,
                kind: io::ErrorKind::OutOfRange(format!(
                    "--family multinomial needs at least two distinct labels: every row of target {target} is {}",
                    label(first)
                )),
            }
            .into());
        }
    }
    Ok(())
}

/// The library's builder with the options of `m` (alpha left at its default).
fn params(m: &ModelArgs) -> MultinomialRegressionParams<f64> {
    let mut b = MultinomialRegression::params()
        .l1_ratio(l1_ratio_of(m))
        .grouped(m.grouped)
        .fit_intercept(!m.no_intercept)
        .standardize(m.standardize)
        .tol(m.tol)
        .max_iter(crate::commands::max_iter_of(m));
    if let Some(k) = m.kkt_tol {
        b = b.kkt_tol(k);
    }
    b
}

/// A library model in plain numbers (`seconds` 0: the caller times its own work).
fn fitted(m: &ModelArgs, model: &MultinomialRegression<f64>) -> Fitted {
    Fitted {
        penalty: m.penalty,
        alpha: model.alpha(),
        l1_ratio: model.l1_ratio(),
        coef: model.coef().to_vec(),
        intercept: model.intercept().to_vec(),
        report: model.report().clone(),
        seconds: 0.0,
        classes: None,
        glm: None,
        multinomial: Some(MultinomialInfo {
            classes: model.classes().to_vec(),
            grouped: model.grouped(),
        }),
        groups: None,
        relax: None,
    }
}

/// One fit at `alpha` (with the data's sample weights).
pub(crate) fn fit(ds: &Dataset, m: &ModelArgs, alpha: f64) -> Result<Fitted> {
    let t0 = Instant::now();
    let b = params(m).alpha(alpha);
    let model = on_design!(&ds.x, |x| match ds.weights.as_deref() {
        Some(w) => b.fit_weighted(x, &ds.y, w)?,
        None => b.fit(x, &ds.y)?,
    });
    let mut f = fitted(m, &model);
    f.seconds = t0.elapsed().as_secs_f64();
    Ok(f)
}

/// The library's warm-started path over `alphas`.
pub(crate) fn path(ds: &Dataset, m: &ModelArgs, alphas: &[f64]) -> Result<Vec<Fitted>> {
    let b = params(m);
    let w = ds.weights.as_deref();
    let models = on_design!(&ds.x, |x| b.path(x, &ds.y, w, alphas)?);
    Ok(models.iter().map(|mo| fitted(m, mo)).collect())
}

/// The automatic grid: `n_alphas` values log-spaced from the library's `alpha_max` (same
/// weights, standardization and penalty form) down to `eps·alpha_max`.
pub(crate) fn alpha_grid(
    ds: &Dataset,
    m: &ModelArgs,
    n_alphas: usize,
    eps: f64,
) -> Result<Vec<f64>> {
    if l1_ratio_of(m) <= 0.0 {
        return Err(CliError::Usage(
            "multinomial ridge (l1_ratio 0) has no alpha_max to start an automatic grid from: give --alphas".into(),
        ));
    }
    let b = params(m);
    let amax = on_design!(&ds.x, |x| b.alpha_max(x, &ds.y, ds.weights.as_deref())?);
    let ok = amax.is_finite() && amax > 0.0;
    if !ok {
        return Err(CliError::Usage(
            "alpha_max is 0 (constant features): give --alphas".into(),
        ));
    }
    Ok(proxreg::solvers::alpha_grid(amax, n_alphas, eps)?)
}

/// `--measure` for multinomial cross-validation: deviance (default), misclassification, auc.
fn measure_of(a: &CvArgs) -> Result<MultinomialMeasure> {
    match a.measure.unwrap_or(MeasureArg::Deviance) {
        MeasureArg::Deviance => Ok(MultinomialMeasure::Deviance),
        MeasureArg::Misclassification => Ok(MultinomialMeasure::Misclassification),
        MeasureArg::Auc => Ok(MultinomialMeasure::Auc),
        other => Err(CliError::Usage(format!(
            "--measure {} is not for --family multinomial; it takes deviance, misclassification or auc",
            if other == MeasureArg::Mse { "mse" } else { "mae" }
        ))),
    }
}

/// `cv --family multinomial`: [`MultinomialRegressionCv`] (stratified folds unless
/// `--plain-folds`), then the refit on all rows. A fold whose training rows (or, for AUC,
/// held-out rows) lack a class is the library's `FoldMissingClass`, exit code 2.
pub(crate) fn cv(a: &CvArgs, ds: &Dataset) -> Result<CvResult> {
    let m = &a.model;
    crate::commands::check_family_args(ds, m)?;
    let measure = measure_of(a)?;
    if a.l1_ratios.is_some() && m.penalty != PenaltyKind::ElasticNet {
        return Err(CliError::Usage(
            "--l1-ratios applies to --penalty elastic-net".into(),
        ));
    }
    if l1_ratio_of(m) <= 0.0 && a.grid.alphas.is_none() {
        return Err(CliError::Usage(
            "multinomial ridge (l1_ratio 0) has no alpha_max to start an automatic grid from: give --alphas".into(),
        ));
    }
    let t0 = Instant::now();
    let b = grid_and_solver!(
        MultinomialRegressionCv::params()
            .l1_ratio(l1_ratio_of(m))
            .grouped(m.grouped),
        &a.grid,
        m
    );
    let b = match &a.l1_ratios {
        Some(r) => b.l1_ratios(r.clone()),
        None => b,
    };
    let b = if a.plain_folds {
        b.cv(kfold(a))
    } else {
        b.stratified(proxreg::StratifiedKFold::from(kfold(a)))
    };
    let b = b
        .standardize(m.standardize)
        .selection(selection(a))
        .measure(measure);
    let cv = on_design!(&ds.x, |x| match ds.weights.as_deref() {
        Some(w) => b.fit_weighted(x, &ds.y, w)?,
        None => b.fit(x, &ds.y)?,
    });
    let mut refit = fitted(m, cv.model());
    refit.seconds = t0.elapsed().as_secs_f64();
    Ok(CvResult {
        alphas: cv.alphas().to_vec(),
        mse_path: cv.cv_errors().to_vec(),
        mse_mean: cv.cv_mean().to_vec(),
        mse_std_err: cv.cv_std_err().to_vec(),
        index_min: cv.index_min(),
        index_1se: cv.index_1se(),
        l1_ratios: cv.l1_ratios().to_vec(),
        l1_ratio: cv.l1_ratio(),
        refit,
        method: "MultinomialRegressionCv".into(),
        measure: match measure {
            MultinomialMeasure::Auc => "1 - AUC".into(),
            MultinomialMeasure::Misclassification => "misclassification".into(),
            other => other.name().to_string(),
        },
        extra: vec![
            ("max_fold_relative_gap", json!(cv.max_relative_gap())),
            ("n_fold_fits_not_converged", json!(cv.n_not_converged())),
            ("on_grid_edge", json!(cv.on_grid_edge())),
        ],
    })
}

/// The printed label mapping: `label -1 -> column 0, 0.5 -> column 1, …`.
pub(crate) fn mapping(info: &MultinomialInfo) -> String {
    info.classes
        .iter()
        .enumerate()
        .map(|(k, &c)| format!("label {} -> column {k}", label(c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fit's JSON entries for a multinomial fit.
pub(crate) fn json_entries(info: &MultinomialInfo) -> Vec<(&'static str, Value)> {
    vec![
        ("family", json!("multinomial")),
        ("classes", json!(info.classes)),
        ("n_classes", json!(info.classes.len())),
        ("grouped", json!(info.grouped)),
        ("coef_layout", json!("n_features × n_classes, row-major")),
        ("label_encoding", json!(mapping(info))),
    ]
}

/// `predict` with a multinomial model: `eta` is `X·W + b`, `n × K` column-major. Returns the
/// CSV (one probability column per label, `TARGET_probability_LABEL`, then the predicted label
/// under the target's name) and the JSON (`probabilities[i][k]`, `labels`, `classes`,
/// `decision_function[i][k]`).
pub fn predict(model: &Model, eta: &[f64], n: usize) -> (String, Value) {
    let classes = model.classes.clone().unwrap_or_default();
    let k = classes.len();
    let t = model.target_names.first().map_or("y", String::as_str);
    let mut proba = Vec::with_capacity(n);
    let mut decision = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    let mut csv: String = classes
        .iter()
        .map(|&c| format!("{t}_probability_{},", label(c)))
        .collect();
    csv += t;
    csv.push('\n');
    for i in 0..n {
        let row: Vec<f64> = (0..k).map(|c| eta[c * n + i]).collect();
        // the largest η (the first on ties, as the library's predict); softmax shifted by it
        let mut best = 0;
        for (c, &v) in row.iter().enumerate() {
            if v > row[best] {
                best = c;
            }
        }
        let mx = row[best];
        let e: Vec<f64> = row.iter().map(|v| (v - mx).exp()).collect();
        let s: f64 = e.iter().sum();
        let p: Vec<f64> = e.iter().map(|v| v / s).collect();
        for v in &p {
            csv += &format!("{v},");
        }
        csv += &label(classes[best]);
        csv.push('\n');
        labels.push(classes[best]);
        proba.push(p);
        decision.push(row);
    }
    let v = json!({
        "family": "multinomial",
        "classes": classes,
        "target_names": model.target_names,
        "probabilities": proba,
        "labels": labels,
        "decision_function": decision,
    });
    (csv, v)
}
