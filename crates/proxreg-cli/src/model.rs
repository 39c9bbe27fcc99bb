//! Saved models: a versioned JSON file with the coefficients, the intercepts and the names of
//! the features they belong to, written by `fit --save-model` / `cv --save-model` and read by
//! `predict`.
//!
//! ```json
//! { "format": "proxreg-model", "version": 1, "proxreg_version": "0.1.0",
//!   "estimator": "lasso", "alpha": 0.1, "l1_ratio": 1.0,
//!   "feature_names": ["a", "b"], "target_names": ["y"],
//!   "n_features": 2, "n_tasks": 1, "coef": [1.5, 0.0], "intercept": [0.2] }
//! ```
//!
//! `coef` is `n_features × n_tasks`, row-major (one row per feature).
//!
//! A multinomial model (`"family": "multinomial"`, format version 2) has one target and `K`
//! classes: `classes` holds the `K` sorted labels, `coef` is `n_features × K` row-major (column
//! `k` for label `classes[k]`), `intercept` has `K` values and `grouped` says whether the
//! penalty was the grouped one. A group lasso model (`"estimator": "group-lasso"` or
//! `"sparse-group-lasso"`, format version 3; least squares or `"family": "binomial"`) records its partition: `groups`, the group label of
//! each feature, and `group_weights`, `c_g` per group in the order the labels first appear in
//! `groups` (`l1_ratio` is τ); it predicts like any linear model. Every other model is written
//! as version 1, the version earlier builds read; this build reads versions 1 to 3.

use serde::{Deserialize, Serialize};

use crate::io::{DataError, ErrorKind};

/// The `format` field of every model file.
pub const FORMAT: &str = "proxreg-model";
/// The newest version of the model-file format: this build reads versions 1 to 3, and writes
/// version 3 for group lasso models (`groups`, `group_weights`), version 2 for multinomial
/// models ([`VERSION_2`]) and version 1 for every other model (readable by earlier builds).
pub const VERSION: u32 = 3;

/// The version of multinomial model files (`K` coefficient columns for one target).
pub const VERSION_2: u32 = 2;

/// The version of the model files without multinomial classes.
pub const VERSION_1: u32 = 1;

/// A saved linear model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version: 1, 2 ([`VERSION_2`]) for a multinomial model, 3 ([`VERSION`]) for
    /// a group lasso model.
    pub version: u32,
    /// The proxreg version that wrote it.
    pub proxreg_version: String,
    /// How it was fitted: the penalty (`lasso`, `ridge`, `elastic-net`, `multi-task-lasso`,
    /// `multi-task-elastic-net`, `mcp`, `scad`, `group-lasso`, `sparse-group-lasso`), or
    /// `relaxed-lasso` / `adaptive-lasso` (`--relax` / `--adaptive`; information: predictions
    /// are `Xw + b` whatever it says).
    pub estimator: String,
    /// The regularization strength (in the estimator's convention).
    pub alpha: f64,
    /// The ℓ1 ratio (1 for the Lasso, 0 for Ridge).
    pub l1_ratio: f64,
    /// Names of the features, in the order of `coef`'s rows.
    pub feature_names: Vec<String>,
    /// Names of the targets.
    pub target_names: Vec<String>,
    /// Number of features.
    pub n_features: usize,
    /// Number of targets.
    pub n_tasks: usize,
    /// Coefficients, `n_features × n_tasks` row-major.
    pub coef: Vec<f64>,
    /// One intercept per target.
    pub intercept: Vec<f64>,
    /// The datafit: absent (older files) or `"gaussian"` for least squares, `"binomial"` for
    /// logistic regression, `"multinomial"` (softmax over `classes`), `"poisson"` (log link: predictions `exp(Xw + b (+ offset))`) or
    /// `"huber"` (predictions `Xw + b`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The labels, sorted: the two of a binomial model (predictions are probabilities of the
    /// second), the `K >= 2` of a multinomial model (one coefficient column each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<f64>>,
    /// A multinomial model: whether the penalty was the grouped one (information: predictions
    /// do not depend on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouped: Option<bool>,
    /// Huber's δ (information: predictions do not depend on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    /// The offset column a poisson model was fitted with (`COL`, or `log(COL)` for an exposure
    /// column; information: `predict --offset` / `--exposure` gives the offset of new rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    /// A group lasso model: the group label of each feature (information: predictions do not
    /// depend on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// A group lasso model: `c_g` per group, in the order the labels first appear in `groups`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_weights: Option<Vec<f64>>,
}

impl Model {
    /// Parses and validates a model file's text. `file` names it in errors.
    ///
    /// ```
    /// use proxreg_cli::model::Model;
    /// assert!(Model::from_json_str("{}", "m.json").is_err());
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Json`] (with line and column) for malformed JSON or missing / unknown
    /// fields; [`ErrorKind::Model`] for a wrong format or version, inconsistent lengths or
    /// non-finite numbers.
    pub fn from_json_str(text: &str, file: &str) -> Result<Self, DataError> {
        let m: Model = serde_json::from_str(text).map_err(|e| {
            let (line, column) = if e.line() > 0 {
                (Some(e.line() as u64), Some(e.column()))
            } else {
                (None, None)
            };
            DataError::new(file, line, column, ErrorKind::Json(e.to_string()))
        })?;
        m.validate()
            .map_err(|msg| DataError::new(file, None, None, ErrorKind::Model(msg)))?;
        Ok(m)
    }

    /// Parses a model file's bytes (UTF-8 required), as [`Model::from_json_str`].
    ///
    /// # Errors
    /// [`ErrorKind::NotUtf8`] and those of [`Model::from_json_str`].
    pub fn from_json_bytes(bytes: &[u8], file: &str) -> Result<Self, DataError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            // line of the first bad byte
            let good = &bytes[..e.valid_up_to()];
            let line = 1 + good.iter().filter(|&&b| b == b'\n').count() as u64;
            DataError::new(file, Some(line), None, ErrorKind::NotUtf8)
        })?;
        Self::from_json_str(text, file)
    }

    /// The JSON text of the model (pretty-printed).
    ///
    /// # Errors
    /// Only if serialization fails (it does not for finite numbers).
    pub fn to_json_string(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    fn validate(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("format is {:?}, expected {FORMAT:?}", self.format));
        }
        if !(VERSION_1..=VERSION).contains(&self.version) {
            return Err(format!(
                "format version {} (this proxreg reads versions {VERSION_1} to {VERSION})",
                self.version
            ));
        }
        if self.n_features == 0 || self.n_tasks == 0 {
            return Err("n_features and n_tasks must be >= 1".into());
        }
        let multinomial = self.family.as_deref() == Some("multinomial");
        if multinomial {
            self.validate_multinomial()?;
        }
        let cols = self.n_outputs();
        let (what, cols_name) = if multinomial {
            ("K", "classes")
        } else {
            ("n_tasks", "n_tasks")
        };
        let want = self.n_features.checked_mul(cols);
        if want != Some(self.coef.len()) {
            return Err(format!(
                "coef has {} values, n_features × {what} = {} × {cols}",
                self.coef.len(),
                self.n_features,
            ));
        }
        if self.intercept.len() != cols {
            return Err(format!(
                "intercept has {} values, {cols_name} = {cols}",
                self.intercept.len(),
            ));
        }
        if self.feature_names.len() != self.n_features {
            return Err(format!(
                "{} feature names, n_features = {}",
                self.feature_names.len(),
                self.n_features
            ));
        }
        if self.target_names.len() != self.n_tasks {
            return Err(format!(
                "{} target names, n_tasks = {}",
                self.target_names.len(),
                self.n_tasks
            ));
        }
        match (self.family.as_deref(), self.classes.as_deref()) {
            (None | Some("gaussian"), None) | (Some("multinomial"), _) => {}
            (Some("binomial"), Some(c)) => {
                if self.n_tasks != 1 {
                    return Err("a binomial model has one target".into());
                }
                let ok = c.len() == 2 && c[0].is_finite() && c[1].is_finite() && c[0] < c[1];
                if !ok {
                    return Err("classes must be two finite labels, the smaller first".into());
                }
            }
            (Some("binomial"), None) => return Err("a binomial model needs its classes".into()),
            (Some("poisson" | "huber"), None) => {
                if self.n_tasks != 1 {
                    return Err("a poisson or huber model has one target".into());
                }
            }
            (None | Some("gaussian" | "poisson" | "huber"), Some(_)) => {
                return Err("classes are for family \"binomial\" or \"multinomial\"".into())
            }
            (Some(f), _) => {
                return Err(format!(
                    "family {f:?}, expected \"gaussian\", \"binomial\", \"multinomial\", \"poisson\" or \"huber\""
                ))
            }
        }
        if self.grouped.is_some() && !multinomial {
            return Err("grouped is for family \"multinomial\"".into());
        }
        if let Some(d) = self.delta {
            if self.family.as_deref() != Some("huber") {
                return Err("delta is for family \"huber\"".into());
            }
            let ok = d.is_finite() && d > 0.0;
            if !ok {
                return Err(format!("delta must be a finite number > 0, got {d}"));
            }
        }
        if self.offset.is_some() && self.family.as_deref() != Some("poisson") {
            return Err("offset is for family \"poisson\"".into());
        }
        self.validate_groups()?;
        let finite = self
            .coef
            .iter()
            .chain(&self.intercept)
            .all(|v| v.is_finite())
            && self.alpha.is_finite()
            && self.l1_ratio.is_finite();
        if !finite {
            return Err("non-finite coefficient, intercept, alpha or l1_ratio".into());
        }
        Ok(())
    }

    /// The group lasso fields: both or neither, only on a version-3 least-squares or binomial
    /// model with one target; one non-empty label per feature, one finite weight `>= 0` per group.
    fn validate_groups(&self) -> Result<(), String> {
        let (labels, weights) = match (&self.groups, &self.group_weights) {
            (None, None) => return Ok(()),
            (Some(l), Some(w)) => (l, w),
            _ => return Err("groups and group_weights go together".into()),
        };
        if self.version < VERSION {
            return Err(format!(
                "a group lasso model is format version {VERSION} (the file says {})",
                self.version
            ));
        }
        if !matches!(
            self.family.as_deref(),
            None | Some("gaussian" | "binomial" | "poisson" | "huber")
        ) || self.n_tasks != 1
        {
            return Err(
                "groups are for a least-squares, binomial, poisson or huber model with one target"
                    .into(),
            );
        }
        if labels.len() != self.n_features || labels.iter().any(String::is_empty) {
            return Err(format!(
                "groups must hold one non-empty label per feature ({} labels, n_features = {})",
                labels.len(),
                self.n_features
            ));
        }
        let mut distinct: Vec<&String> = Vec::new();
        for l in labels {
            if !distinct.contains(&l) {
                distinct.push(l);
            }
        }
        if weights.len() != distinct.len() || !weights.iter().all(|w| w.is_finite() && *w >= 0.0) {
            return Err(format!(
                "group_weights must hold one finite weight >= 0 per group ({} groups)",
                distinct.len()
            ));
        }
        Ok(())
    }

    /// The multinomial fields: version 2, one target, `K >= 2` finite labels strictly
    /// increasing.
    fn validate_multinomial(&self) -> Result<(), String> {
        if self.version < VERSION_2 {
            return Err(format!(
                "a multinomial model is format version {VERSION_2} (the file says {})",
                self.version
            ));
        }
        if self.n_tasks != 1 {
            return Err("a multinomial model has one target".into());
        }
        let Some(c) = self.classes.as_deref() else {
            return Err("a multinomial model needs its classes".into());
        };
        let ok =
            c.len() >= 2 && c.iter().all(|v| v.is_finite()) && c.windows(2).all(|w| w[0] < w[1]);
        if !ok {
            return Err("classes must be at least two finite labels, strictly increasing".into());
        }
        Ok(())
    }

    /// The number of columns of `coef` (and of intercepts): the `K` classes of a multinomial
    /// model, `n_tasks` otherwise.
    pub fn n_outputs(&self) -> usize {
        match (self.family.as_deref(), &self.classes) {
            (Some("multinomial"), Some(c)) => c.len(),
            _ => self.n_tasks,
        }
    }

    /// Predictions `X·W + b`, `n × n_outputs` column-major ([`Model::n_outputs`]: the targets,
    /// or a multinomial model's linear predictor per class).
    ///
    /// # Errors
    /// [`ErrorKind::Model`] when `x` does not have `n_features` columns (naming `data_file`),
    /// [`ErrorKind::Shape`] when a prediction overflows.
    pub fn predict<X: proxreg::linalg::DesignMatrix<f64> + ?Sized>(
        &self,
        x: &X,
        data_file: &str,
    ) -> Result<Vec<f64>, DataError> {
        if x.ncols() != self.n_features {
            return Err(DataError::new(
                data_file,
                Some(1),
                None,
                ErrorKind::Model(format!(
                    "the model was fitted on {} features ({}), the data has {} feature columns",
                    self.n_features,
                    self.feature_names.join(", "),
                    x.ncols()
                )),
            ));
        }
        let (n, k) = (x.nrows(), self.n_outputs());
        let mut out = vec![0.0; n * k];
        for t in 0..k {
            let o = &mut out[t * n..(t + 1) * n];
            o.iter_mut().for_each(|v| *v = self.intercept[t]);
            for j in 0..self.n_features {
                let w = self.coef[j * k + t];
                if w != 0.0 {
                    // o += w·x_j: O(n) dense, O(nnz_j) sparse
                    x.col_axpy(j, w, o);
                }
            }
        }
        if let Some(i) = out.iter().position(|v| !v.is_finite()) {
            return Err(DataError::new(
                data_file,
                None,
                None,
                ErrorKind::Shape(format!("prediction {} overflows f64", i % n.max(1) + 1)),
            ));
        }
        Ok(out)
    }
}
