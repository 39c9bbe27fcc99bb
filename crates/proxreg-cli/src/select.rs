//! `proxreg select`: alpha by AIC / BIC ([`LassoIc`], [`ElasticNetIc`]) or a feature set by
//! stability selection ([`StabilitySelection`]), with JSON and SVG figures
//! (`criterion.svg`: the criteria against log10 alpha, the choice marked; `stability.svg`: the
//! selection probability of every feature against log10 alpha, the threshold drawn).

use std::time::Instant;

use proxreg::prelude::*;
use serde_json::{json, Value};

use crate::commands::{
    certificates_line, coef_table, fitted_from, fitted_json, given_alphas, grid_and_solver,
    l1_ratio_of, load, save_model, say, with_extra, write_file, write_json, CliError, CriterionArg,
    Fitted, GridArgs, ModelArgs, PenaltyKind, SelectArgs, SolverArg,
};
use crate::io::{on_design, Dataset};
use crate::plot::{Chart, Marker, Series};

type Result<T> = std::result::Result<T, CliError>;

/// The default threshold π of `--criterion stability`.
pub const DEFAULT_THRESHOLD: f64 = 0.6;
/// The default number of complementary pairs.
pub const DEFAULT_PAIRS: usize = 50;

fn usage<T>(msg: impl Into<String>) -> Result<T> {
    Err(CliError::Usage(msg.into()))
}

/// The options that `select` does not take, and those of the other strategy.
pub(crate) fn check_args(a: &SelectArgs, ds: &Dataset) -> Result<()> {
    let m = &a.model;
    crate::commands::check_family_args(ds, m)?;
    if crate::relax::kind(m).is_some() {
        return usage("--relax and --adaptive apply to fit, path and cv, not select");
    }
    if !matches!(m.penalty, PenaltyKind::Lasso | PenaltyKind::ElasticNet) {
        return usage("`select` takes --penalty lasso or elastic-net");
    }
    if ds.n_tasks() > 1 {
        return usage("`select` takes one target column");
    }
    if ds.weights.is_some() || m.positive || m.penalty_factor.is_some() {
        return usage("--weights, --positive and --penalty-factor are not supported by `select`");
    }
    if !matches!(m.solver, SolverArg::Auto | SolverArg::Cd) {
        return usage("`select` uses coordinate descent (--solver auto or cd)");
    }
    if m.l1_ratio.is_some() && m.penalty != PenaltyKind::ElasticNet {
        return usage("--l1-ratio applies to --penalty elastic-net");
    }
    let stability = a.criterion == CriterionArg::Stability;
    if stability {
        if a.noise_variance.is_some() {
            return usage("--noise-variance applies to --criterion aic / bic");
        }
        if a.save_model.is_some() {
            return usage("--save-model applies to --criterion aic / bic (stability selection selects features, not one model)");
        }
        if let Some(t) = a.threshold {
            let ok = t > 0.5 && t <= 1.0;
            if !ok {
                return usage(format!("--threshold must be in (0.5, 1], got {t}"));
            }
        }
        if let Some(w) = a.weakness {
            let ok = w > 0.0 && w <= 1.0;
            if !ok {
                return usage(format!("--weakness must be in (0, 1], got {w}"));
            }
        }
        if a.n_pairs == Some(0) {
            return usage("--n-pairs must be >= 1");
        }
    } else {
        let given = [
            ("--threshold", a.threshold.is_some()),
            ("--n-pairs", a.n_pairs.is_some()),
            ("--seed", a.seed.is_some()),
            ("--weakness", a.weakness.is_some()),
        ];
        if let Some((name, _)) = given.iter().find(|(_, g)| *g) {
            return usage(format!("{name} applies to --criterion stability"));
        }
        if m.standardize {
            return usage("--standardize is not available with --criterion aic / bic (the degrees of freedom are those of the data given): standardize the columns of the file instead");
        }
        if let Some(v) = a.noise_variance {
            let ok = v.is_finite() && v > 0.0;
            if !ok {
                return usage(format!(
                    "--noise-variance must be a finite number > 0, got {v}"
                ));
            }
        } else {
            let (n, p) = (ds.nrows(), ds.x.ncols());
            let need = p + usize::from(!m.no_intercept);
            if n <= need {
                return usage(format!(
                    "the noise variance cannot be estimated with {n} samples and {p} features (it needs more than {need} samples): give --noise-variance"
                ));
            }
        }
    }
    Ok(())
}

/// The information-criteria results in plain numbers.
pub(crate) struct IcResult {
    pub(crate) alphas: Vec<f64>,
    pub(crate) aic: Vec<f64>,
    pub(crate) bic: Vec<f64>,
    pub(crate) dof: Vec<f64>,
    pub(crate) rss: Vec<f64>,
    pub(crate) noise_variance: f64,
    pub(crate) index: usize,
    pub(crate) on_grid_edge: bool,
    pub(crate) refit: Fitted,
}

fn information_criteria(a: &SelectArgs, ds: &Dataset) -> Result<IcResult> {
    let crit = if a.criterion == CriterionArg::Aic {
        Criterion::Aic
    } else {
        Criterion::Bic
    };
    let m = &a.model;
    macro_rules! run {
        ($params:expr) => {{
            let mut b = grid_and_solver!($params.criterion(crit), &a.grid, m);
            if let Some(v) = a.noise_variance {
                b = b.noise_variance(v);
            }
            let ic = on_design!(&ds.x, |x| b.fit(x, &ds.y)?);
            IcResult {
                alphas: ic.alphas().to_vec(),
                aic: ic.aic().to_vec(),
                bic: ic.bic().to_vec(),
                dof: ic.dof().to_vec(),
                rss: ic.rss().to_vec(),
                noise_variance: ic.noise_variance(),
                index: ic.index(),
                on_grid_edge: ic.on_grid_edge(),
                refit: fitted_from(m.penalty, ic.l1_ratio(), ic.model()),
            }
        }};
    }
    Ok(match m.penalty {
        PenaltyKind::ElasticNet => run!(ElasticNetIc::params().l1_ratio(l1_ratio_of(m))),
        _ => run!(LassoIc::params()),
    })
}

/// The criteria against log10 alpha, the minimiser of the chosen one marked.
fn criterion_chart(r: &IcResult, name: &str, crit: &str) -> Chart {
    let curve = |label: &str, v: &[f64]| Series {
        label: label.into(),
        points: r
            .alphas
            .iter()
            .zip(v)
            .map(|(a, c)| (a.log10(), *c))
            .collect(),
        error: None,
    };
    Chart {
        title: format!("{name}: information criteria along the path"),
        x_label: "log10(alpha)".into(),
        y_label: "criterion (lower is better)".into(),
        series: vec![curve("AIC", &r.aic), curve("BIC", &r.bic)],
        markers: vec![Marker {
            label: format!("{crit} minimum"),
            x: r.alphas[r.index].log10(),
        }],
    }
}

/// The selection probability of every feature against log10 alpha, the threshold as a
/// horizontal line.
fn stability_chart(st: &StabilitySelection<f64>, ds: &Dataset, name: &str) -> Chart {
    let lx: Vec<f64> = st.alphas().iter().map(|a| a.log10()).collect();
    let mut series: Vec<Series> = ds
        .feature_names
        .iter()
        .enumerate()
        .map(|(j, f)| Series {
            label: f.clone(),
            points: lx
                .iter()
                .zip(st.probabilities())
                .map(|(&x, row)| (x, row[j]))
                .collect(),
            error: None,
        })
        .collect();
    let (lo, hi) = lx
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    series.push(Series {
        label: format!("threshold {}", st.threshold()),
        points: vec![(lo, st.threshold()), (hi, st.threshold())],
        error: None,
    });
    Chart {
        title: format!(
            "{name}: stability selection ({} half-samples)",
            st.n_subsamples()
        ),
        x_label: "log10(alpha)".into(),
        y_label: "selection probability".into(),
        series,
        markers: Vec::new(),
    }
}

fn ic_output(a: &SelectArgs, ds: &Dataset, out: &mut dyn std::io::Write) -> Result<()> {
    let t0 = Instant::now();
    let mut r = information_criteria(a, ds)?;
    r.refit.seconds = t0.elapsed().as_secs_f64();
    ic_report(a, ds, &r, &[], out)
}

/// What `select --criterion aic|bic` prints and writes for the criteria `r` on `ds`
/// (`extra`: entries added to the JSON).
pub(crate) fn ic_report(
    a: &SelectArgs,
    ds: &Dataset,
    r: &IcResult,
    extra: &[(&'static str, Value)],
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let crit = if a.criterion == CriterionArg::Aic {
        "AIC"
    } else {
        "BIC"
    };
    let values = if a.criterion == CriterionArg::Aic {
        &r.aic
    } else {
        &r.bic
    };
    let name = a.model.penalty.name();
    let i = r.index;
    if !a.out.quiet {
        say(
            out,
            &format!(
                "{name} {crit} on {} ({} samples × {} features, target {}), {} alphas{}\n  noise variance {:.6e} ({})\n  alpha = {:.6e}   {crit} {:.4}   dof {:.4}{}\n",
                ds.file,
                ds.nrows(),
                ds.x.ncols(),
                ds.target_names.join(","),
                r.alphas.len(),
                if a.model.penalty == PenaltyKind::ElasticNet {
                    format!(", l1_ratio = {}", r.refit.l1_ratio)
                } else {
                    String::new()
                },
                r.noise_variance,
                if a.noise_variance.is_some() {
                    "given"
                } else {
                    "estimated: least-squares RSS/(n − p − [intercept])"
                },
                r.alphas[i],
                values[i],
                r.dof[i],
                if r.on_grid_edge {
                    "   (at the edge of the grid: widen it)"
                } else {
                    ""
                },
            ),
        );
        say(
            out,
            &format!("refit on all rows at alpha = {:.6e}:\n", r.refit.alpha),
        );
        say(out, &coef_table(&r.refit, ds));
        say(out, &certificates_line(&r.refit.report));
    }
    if let Some(p) = &a.out.json {
        write_json(
            p,
            with_extra(
                json!({
                    "command": "select",
                    "criterion": crit.to_lowercase(),
                    "data": ds.file,
                    "penalty": name,
                    "l1_ratio": r.refit.l1_ratio,
                    "alphas": r.alphas,
                    "criterion_values": values,
                    "aic": r.aic,
                    "bic": r.bic,
                    "dof": r.dof,
                    "rss": r.rss,
                    "noise_variance": r.noise_variance,
                    "noise_variance_given": a.noise_variance.is_some(),
                    "index": i,
                    "alpha": r.alphas[i],
                    "on_grid_edge": r.on_grid_edge,
                    "fit": fitted_json(&r.refit, ds),
                    "seconds": r.refit.seconds,
                }),
                extra,
            ),
        )?;
    }
    if let Some(dir) = &a.out.plot {
        let f = dir.join("criterion.svg");
        write_file(&f, &criterion_chart(r, name, crit).to_svg())?;
        if !a.out.quiet {
            say(out, &format!("figure: {}\n", f.display()));
        }
    }
    if let Some(p) = &a.save_model {
        save_model(p, &r.refit, ds)?;
    }
    Ok(())
}

fn stability_output(a: &SelectArgs, ds: &Dataset, out: &mut dyn std::io::Write) -> Result<()> {
    let m = &a.model;
    let t0 = Instant::now();
    let mut b = grid_and_solver!(StabilitySelection::params(), &a.grid, m)
        .l1_ratio(l1_ratio_of(m))
        .standardize(m.standardize)
        .threshold(a.threshold.unwrap_or(DEFAULT_THRESHOLD))
        .n_pairs(a.n_pairs.unwrap_or(DEFAULT_PAIRS))
        .seed(a.seed.unwrap_or(0));
    if let Some(w) = a.weakness {
        b = b.weakness(w);
    }
    let binomial = m.family == crate::commands::FamilyArg::Binomial;
    let st = on_design!(&ds.x, |x| if binomial {
        b.fit_logistic(x, &ds.y)?
    } else {
        b.fit(x, &ds.y)?
    });
    let seconds = t0.elapsed().as_secs_f64();
    let name = m.penalty.name();
    let maxp = st.max_probabilities();
    let selected: Vec<&str> = st
        .selected()
        .iter()
        .map(|&j| ds.feature_names[j].as_str())
        .collect();
    if !a.out.quiet {
        let mut s = format!(
            "{}{name} stability selection on {} ({} samples × {} features, target {}), {} complementary pairs ({} half-samples, seed {}), {} alphas{}{}{}\n",
            if binomial { "binomial " } else { "" },
            ds.file,
            ds.nrows(),
            ds.x.ncols(),
            ds.target_names.join(","),
            st.n_subsamples() / 2,
            st.n_subsamples(),
            a.seed.unwrap_or(0),
            st.alphas().len(),
            if m.penalty == PenaltyKind::ElasticNet {
                format!(", l1_ratio = {}", st.l1_ratio())
            } else {
                String::new()
            },
            if m.standardize { ", standardized" } else { "" },
            st.weakness()
                .map_or(String::new(), |w| format!(", randomized (weakness {w})")),
        );
        let width = ds
            .feature_names
            .iter()
            .map(|f| f.chars().count())
            .max()
            .unwrap_or(0)
            .max(7);
        s += &format!(
            "  {:<width$} {:>15}  selected\n",
            "feature", "max probability"
        );
        for (j, f) in ds.feature_names.iter().enumerate() {
            s += &format!(
                "  {f:<width$} {:>15.3}  {}\n",
                maxp[j],
                if st.selected().contains(&j) {
                    "yes"
                } else {
                    ""
                }
            );
        }
        s += &format!(
            "  threshold {}: {} selected ({})\n  q = {:.3} features per half-sample over the alphas; expected false selections <= q²/((2π−1)p) = {:.4}\n",
            st.threshold(),
            selected.len(),
            selected.join(", "),
            st.mean_selected(),
            st.error_bound(),
        );
        if st.error_bound() >= 1.0 {
            s += "  (a bound >= 1 controls nothing: the alphas reach where most features enter every half-sample; narrow the region with a larger --eps or --alphas, or raise --threshold)\n";
        }
        if st.n_not_converged() > 0 {
            s += &format!(
                "  warning: {} half-sample fits did not reach the tolerance\n",
                st.n_not_converged()
            );
        }
        say(out, &s);
    }
    if let Some(p) = &a.out.json {
        let v: Value = json!({
            "command": "select",
            "criterion": "stability",
            "family": if binomial { "binomial" } else { "gaussian" },
            "data": ds.file,
            "penalty": name,
            "l1_ratio": st.l1_ratio(),
            "standardize": m.standardize,
            "feature_names": ds.feature_names,
            "alphas": st.alphas(),
            "probabilities": st.probabilities(),
            "max_probabilities": maxp,
            "threshold": st.threshold(),
            "selected": st.selected(),
            "selected_names": selected,
            "mean_selected": st.mean_selected(),
            "error_bound": st.error_bound(),
            "n_pairs": st.n_subsamples() / 2,
            "n_subsamples": st.n_subsamples(),
            "n_selected_per_subsample": st.path().n_selected,
            "seed": a.seed.unwrap_or(0),
            "weakness": st.weakness(),
            "n_not_converged": st.n_not_converged(),
            "seconds": seconds,
        });
        write_json(p, v)?;
    }
    if let Some(dir) = &a.out.plot {
        let f = dir.join("stability.svg");
        write_file(&f, &stability_chart(&st, ds, name).to_svg())?;
        if !a.out.quiet {
            say(out, &format!("figure: {}\n", f.display()));
        }
    }
    Ok(())
}

/// `proxreg select`.
///
/// # Errors
/// Data, argument and fit errors.
pub fn select(a: &SelectArgs, out: &mut dyn std::io::Write) -> Result<()> {
    if a.model.family.is_glm() || a.model.family == crate::commands::FamilyArg::Multinomial {
        return Err(CliError::Usage(format!(
            "`select` is not available for --family {}: use `cv` (or `path` and `fit`)",
            a.model.family.name()
        )));
    }
    if a.model.family == crate::commands::FamilyArg::Binomial
        && a.criterion != CriterionArg::Stability
    {
        return Err(CliError::Usage(
            "`select --family binomial` takes --criterion stability (the information criteria are least squares only)".into(),
        ));
    }
    if let Some(d) = crate::stats_route::source(&a.data, None)? {
        return crate::stats_route::select(a, &d, out);
    }
    let ds = load(&a.data)?;
    check_args(a, &ds)?;
    match a.criterion {
        CriterionArg::Stability => stability_output(a, &ds, out),
        _ => ic_output(a, &ds, out),
    }
}
