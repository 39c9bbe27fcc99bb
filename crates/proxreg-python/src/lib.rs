//! The compiled core of proxreg's Python package (`proxreg._proxreg`).
//!
//! The scikit-learn-compatible estimators live in Python (`python/proxreg/`): they validate
//! their input with scikit-learn's own helpers, encode class labels, turn `cv` into fold ids,
//! and keep the fitted model as numpy arrays (so they pickle and predict without this module).
//! This module does the fits: each function takes the design (a dense numpy array in any
//! layout, or the three arrays of a CSC matrix), the target and the hyper-parameters, releases
//! the GIL, fits with proxreg, and returns a `dict` of numpy arrays and numbers, the
//! certificates among them.
//!
//! Dense designs are read in place through proxreg's `ndarray` backend: a Fortran-ordered
//! (column-major) array is never copied; a C-ordered one is copied once per fit into
//! column-major order by the solver, as any row-major design is. The least-squares fits
//! (Lasso, Elastic Net, Ridge, multi-task) run in the input's type (`float32` in `f32`,
//! `float64` in `f64`); the cross-validations, the paths and the logistic fits take `float64`
//! (the Python side converts, as scikit-learn's default logistic solver does), which keeps the
//! code compiled for the module to about half. Every proxreg error becomes a `ValueError` (bad input or
//! parameters) or a `RuntimeError` (numerical failure), with proxreg's message.

use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyUntypedArray};
use numpy::{PyArrayDescrMethods, PyUntypedArrayMethods, ToPyArray};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use proxreg::linalg::CscRef;
use proxreg::{
    ClassMeasure, ElasticNet, ElasticNetCv, Error, FitReport, Lasso, LinearModel,
    LogisticRegression, LogisticRegressionCv, MultiTaskElasticNet, MultinomialMeasure,
    MultinomialRegression, MultinomialRegressionCv, Ridge, RidgeCv, RidgeCvMode, Scalar, Selection,
    Status,
};

/// A proxreg error as a Python exception: `ValueError` for what the caller passed (input,
/// parameters, targets), `RuntimeError` for the rest (numerical failure, non-convergence when
/// it was required). The message is proxreg's.
fn py_err(e: Error) -> PyErr {
    match e {
        Error::Numerical { .. } | Error::NotConverged { .. } => {
            PyRuntimeError::new_err(e.to_string())
        }
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// The name of a fit's status, as the Python side reports it.
fn status_name(s: Status) -> &'static str {
    match s {
        Status::Converged => "converged",
        Status::MaxIterReached => "max_iter_reached",
        Status::StoppedByObserver => "stopped_by_observer",
        Status::RoundingFloor => "rounding_floor",
        Status::Stalled => "stalled",
        _ => "other",
    }
}

/// The floating-point types a fit runs in.
trait Float: Scalar + numpy::Element {}
impl Float for f32 {}
impl Float for f64 {}

/// Converts a Python float hyper-parameter to the fit's type.
fn lit<T: Float>(v: f64) -> T {
    T::lit(v)
}

/// A design: a dense array or a CSC matrix (`int64` indices: the Python side converts scipy's
/// `int32` ones, a copy of the index arrays only).
enum Design<'py, T: Float> {
    Dense(numpy::PyReadonlyArray2<'py, T>),
    Csc(Csc<'py, T>),
}

/// The three arrays of a CSC matrix (`int64` indices) and its shape.
struct Csc<'py, T: Float> {
    shape: (usize, usize),
    indptr: PyReadonlyArray1<'py, i64>,
    indices: PyReadonlyArray1<'py, i64>,
    data: PyReadonlyArray1<'py, T>,
}

/// Reads the design: a 2-d numpy array of `T`, or the tuple `(n_rows, n_cols, indptr,
/// indices, data)` of a CSC matrix (`data` of `T`, both index arrays `int64`).
fn design<'py, T: Float>(x: &Bound<'py, PyAny>) -> PyResult<Design<'py, T>> {
    if let Ok(a) = x.cast::<PyArray2<T>>() {
        return Ok(Design::Dense(a.readonly()));
    }
    if let Ok(t) = x.cast::<PyTuple>() {
        if t.len() == 5 {
            let shape = (t.get_item(0)?.extract()?, t.get_item(1)?.extract()?);
            let data = t.get_item(4)?.cast::<PyArray1<T>>()?.readonly();
            let p = t.get_item(2)?.cast_into::<PyArray1<i64>>()?;
            let i = t.get_item(3)?.cast_into::<PyArray1<i64>>()?;
            return Ok(Design::Csc(Csc {
                shape,
                indptr: p.readonly(),
                indices: i.readonly(),
                data,
            }));
        }
    }
    Err(PyTypeError::new_err(
        "X must be a 2-d float32 / float64 numpy array or a CSC tuple (n_rows, n_cols, indptr, \
         indices, data)",
    ))
}

/// A contiguous 1-d array as a slice.
fn slice<'a, T: numpy::Element>(a: &'a PyReadonlyArray1<'_, T>, what: &str) -> PyResult<&'a [T]> {
    a.as_slice()
        .map_err(|_| PyValueError::new_err(format!("{what} must be a contiguous 1-d array")))
}

/// Runs `$body` with `$x` bound to the design as a proxreg `DesignMatrix`, the GIL released.
macro_rules! with_design {
    ($py:expr, $d:expr, |$x:ident| $body:expr) => {{
        match &$d {
            Design::Dense(a) => {
                let $x = &a.as_array();
                $py.detach(|| $body)
            }
            Design::Csc(c) => {
                let (ip, ix, v) = (
                    slice(&c.indptr, "indptr")?,
                    slice(&c.indices, "indices")?,
                    slice(&c.data, "data")?,
                );
                let m = CscRef::new(c.shape.0, c.shape.1, ip, ix, v).map_err(py_err)?;
                let $x = &m;
                $py.detach(|| $body)
            }
        }
    }};
}

/// Calls `$f::<f32>` or `$f::<f64>` after the dtype of the array `$y`.
macro_rules! by_dtype {
    ($y:expr, $f:ident($($arg:expr),*)) => {{
        let y: &Bound<'_, PyAny> = $y;
        let arr = y.cast::<PyUntypedArray>().map_err(|_| {
            PyTypeError::new_err("y must be a float32 or float64 numpy array")
        })?;
        let dt = arr.dtype();
        if dt.is_equiv_to(&numpy::dtype::<f64>(y.py())) {
            $f::<f64>($($arg),*)
        } else if dt.is_equiv_to(&numpy::dtype::<f32>(y.py())) {
            $f::<f32>($($arg),*)
        } else {
            Err(PyTypeError::new_err(format!(
                "y must be float32 or float64, found {dt}"
            )))
        }
    }};
}

/// An optional 1-d array of `T` (sample weights, warm starts).
fn opt_array<'py, T: Float>(
    a: Option<&Bound<'py, PyAny>>,
) -> PyResult<Option<PyReadonlyArray1<'py, T>>> {
    a.map(|a| Ok(a.cast::<PyArray1<T>>()?.readonly()))
        .transpose()
}

/// The certificates of a fit into `d`: `n_iter`, `objective`, `dual_gap`, `relative_gap`,
/// `kkt_violation`, `status`, `converged`.
fn put_report<T: Float>(d: &Bound<'_, PyDict>, r: &FitReport<T>) -> PyResult<()> {
    d.set_item("n_iter", r.n_iter)?;
    d.set_item("objective", r.objective.to_f64())?;
    d.set_item("dual_gap", r.duality_gap.and_then(|g| g.to_f64()))?;
    d.set_item("relative_gap", r.relative_gap.and_then(|g| g.to_f64()))?;
    d.set_item("kkt_violation", r.kkt_violation.to_f64())?;
    d.set_item("status", status_name(r.status))?;
    d.set_item(
        "converged",
        matches!(r.status, Status::Converged | Status::RoundingFloor),
    )?;
    Ok(())
}

/// A linear model into a dict: `coef` (`p × k` row-major, flat), `intercept` (`k`), the
/// certificates.
fn model_dict<'py, T: Float>(py: Python<'py>, m: &LinearModel<T>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("coef", m.coef().to_pyarray(py))?;
    d.set_item("intercept", m.intercepts().to_pyarray(py))?;
    d.set_item("alpha", m.alpha().to_f64())?;
    put_report(&d, m.report())?;
    Ok(d)
}

/// The hyper-parameters of a single fit ([`linear_fit`], [`logistic_fit`]), read from the
/// keyword arguments (the Python layer passes them checked).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct FitArgs {
    /// `"lasso"`, `"enet"`, `"ridge"` or `"multitask"` ([`linear_fit`]).
    #[pyo3(default)]
    kind: String,
    alpha: f64,
    #[pyo3(default = 1.0)]
    l1_ratio: f64,
    #[pyo3(default = true)]
    fit_intercept: bool,
    #[pyo3(default = 1e-4)]
    tol: f64,
    /// `None`: the estimator's own default.
    #[pyo3(default)]
    max_iter: Option<usize>,
    #[pyo3(default)]
    positive: bool,
    /// The number of classes ([`logistic_fit`]).
    #[pyo3(default)]
    n_classes: usize,
}

/// The keyword arguments of a call, or a `TypeError` when there are none.
fn params<'a, 'py>(p: Option<&'a Bound<'py, PyDict>>) -> PyResult<&'a Bound<'py, PyAny>> {
    p.map(|d| d.as_any())
        .ok_or_else(|| PyTypeError::new_err("the hyper-parameters are keyword arguments"))
}

fn linear_fit_t<'py, T: Float>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    a: &FitArgs,
    sample_weight: Option<&Bound<'py, PyAny>>,
    warm_start: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = design::<T>(x)?;
    let y = y.cast::<PyArray1<T>>()?.readonly();
    let y = slice(&y, "y")?;
    let sw = opt_array::<T>(sample_weight)?;
    let sw = sw.as_ref().map(|s| slice(s, "sample_weight")).transpose()?;
    let ws = opt_array::<T>(warm_start)?;
    let ws = ws.as_ref().map(|s| slice(s, "warm_start")).transpose()?;
    let (alpha, l1, tol) = (lit::<T>(a.alpha), lit::<T>(a.l1_ratio), lit::<T>(a.tol));
    macro_rules! common {
        ($p:expr) => {{
            let mut p = $p
                .fit_intercept(a.fit_intercept)
                .tol(tol)
                .positive(a.positive);
            if let Some(m) = a.max_iter {
                p = p.max_iter(m);
            }
            if let Some(w) = ws {
                p = p.warm_start(w.to_vec());
            }
            p
        }};
    }
    let model: Result<LinearModel<T>, Error> = match a.kind.as_str() {
        "lasso" => {
            let p = common!(Lasso::<T>::params().alpha(alpha));
            with_design!(py, d, |x| match sw {
                Some(s) => p.fit_weighted(x, y, s).map(|m| m.into_inner()),
                None => p.fit(x, y).map(|m| m.into_inner()),
            })
        }
        "enet" => {
            let p = common!(ElasticNet::<T>::params().alpha(alpha).l1_ratio(l1));
            with_design!(py, d, |x| match sw {
                Some(s) => p.fit_weighted(x, y, s).map(|m| m.into_inner()),
                None => p.fit(x, y).map(|m| m.into_inner()),
            })
        }
        "ridge" => {
            let p = common!(Ridge::<T>::params().alpha(alpha));
            with_design!(py, d, |x| match sw {
                Some(s) => p.fit_weighted(x, y, s).map(|m| m.into_inner()),
                None => p.fit(x, y).map(|m| m.into_inner()),
            })
        }
        "multitask" => {
            let mut p = MultiTaskElasticNet::<T>::params()
                .alpha(alpha)
                .l1_ratio(l1)
                .fit_intercept(a.fit_intercept)
                .tol(tol);
            if let Some(m) = a.max_iter {
                p = p.max_iter(m);
            }
            if let Some(w) = ws {
                p = p.warm_start(w.to_vec());
            }
            with_design!(py, d, |x| match sw {
                Some(s) => p.fit_weighted(x, y, s).map(|m| m.into_inner()),
                None => p.fit(x, y).map(|m| m.into_inner()),
            })
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown linear model kind {other:?}"
            )))
        }
    };
    model_dict(py, &model.map_err(py_err)?)
}

/// Fits a Lasso, Elastic Net, Ridge or multi-task Elastic Net. Keyword arguments: `kind`
/// (`"lasso"`, `"enet"`, `"ridge"`, `"multitask"`), `alpha`, `l1_ratio`, `fit_intercept`,
/// `tol`, `max_iter`, `positive`, `sample_weight`, `warm_start`; for `"multitask"`, `y` is
/// `n × k` flattened column-major.
#[pyfunction]
#[pyo3(signature = (x, y, *, sample_weight=None, warm_start=None, **params))]
fn linear_fit<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    sample_weight: Option<&Bound<'py, PyAny>>,
    warm_start: Option<&Bound<'py, PyAny>>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let a: FitArgs = self::params(params)?.extract()?;
    by_dtype!(y, linear_fit_t(py, x, y, &a, sample_weight, warm_start))
}

/// The regularization path of the Elastic Net without intercept (scikit-learn's `enet_path`):
/// `alphas` (decreasing) or `n_alphas` from `alpha_max` down to `eps·alpha_max`, each fit warm
/// started from the previous one. Returns `alphas`, `coefs` (`n_alphas × p`, flat),
/// `dual_gaps`, `relative_gaps`, `kkt_violations`, `n_iter` and `converged` per alpha.
#[pyfunction]
#[pyo3(signature = (x, y, *, l1_ratio, alphas, n_alphas, eps, tol, max_iter, positive=false))]
#[allow(clippy::too_many_arguments)]
fn linear_path<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    l1_ratio: f64,
    alphas: Option<Vec<f64>>,
    n_alphas: usize,
    eps: f64,
    tol: f64,
    max_iter: usize,
    positive: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let d = design::<f64>(x)?;
    let y = y.cast::<PyArray1<f64>>()?.readonly();
    let y = slice(&y, "y")?;
    let p = ElasticNet::<f64>::params()
        .l1_ratio(l1_ratio)
        .fit_intercept(false)
        .tol(tol)
        .max_iter(max_iter)
        .positive(positive);
    let grid = match alphas {
        Some(a) => a,
        None => {
            if n_alphas == 0 || !(eps > 0.0 && eps.is_finite()) {
                return Err(PyValueError::new_err(
                    "n_alphas must be >= 1 and eps a finite number > 0",
                ));
            }
            let amax = with_design!(py, d, |x| p.alpha_max(x, y, None)).map_err(py_err)?;
            let last = (n_alphas - 1).max(1) as f64;
            (0..n_alphas)
                .map(|i| amax * eps.powf(i as f64 / last))
                .collect()
        }
    };
    let models = with_design!(py, d, |x| p.path(x, y, None, &grid)).map_err(py_err)?;
    let out = PyDict::new(py);
    let coefs: Vec<f64> = models.iter().flat_map(|m| m.coef().to_vec()).collect();
    let reports: Vec<&FitReport<f64>> = models.iter().map(|m| m.report()).collect();
    out.set_item("alphas", grid.to_pyarray(py))?;
    out.set_item("coefs", coefs.into_pyarray(py))?;
    out.set_item(
        "dual_gaps",
        reports
            .iter()
            .map(|r| r.duality_gap.unwrap_or(f64::NAN))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item(
        "relative_gaps",
        reports
            .iter()
            .map(|r| r.relative_gap.unwrap_or(f64::NAN))
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item(
        "kkt_violations",
        reports
            .iter()
            .map(|r| r.kkt_violation)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    out.set_item(
        "n_iter",
        reports.iter().map(|r| r.n_iter).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "converged",
        reports
            .iter()
            .map(|r| matches!(r.status, Status::Converged | Status::RoundingFloor))
            .collect::<Vec<_>>(),
    )?;
    Ok(out)
}

/// The hyper-parameters of the cross-validated fits ([`linear_cv`], [`logistic_cv`]), read
/// from the keyword arguments.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct CvArgs {
    l1_ratios: Vec<f64>,
    n_alphas: usize,
    eps: f64,
    /// A given grid (`None`: `n_alphas` from `alpha_max` down to `eps·alpha_max`).
    #[pyo3(default)]
    alphas: Option<Vec<f64>>,
    /// One per sample, `0..K`.
    fold_ids: Vec<usize>,
    fit_intercept: bool,
    tol: f64,
    max_iter: usize,
    /// Refit at the one-standard-error alpha.
    #[pyo3(default)]
    one_se: bool,
    /// The held-out measure of the classifiers: `"deviance"`, `"class"`, `"auc"`, `"mse"`.
    #[pyo3(default)]
    measure: String,
    /// The number of classes ([`logistic_cv`]).
    #[pyo3(default)]
    n_classes: usize,
}

impl CvArgs {
    fn selection(&self) -> Selection {
        if self.one_se {
            Selection::OneStandardError
        } else {
            Selection::Min
        }
    }
    fn alphas<T: Float>(&self) -> Option<Vec<T>> {
        self.alphas
            .as_ref()
            .map(|a| a.iter().map(|&v| lit::<T>(v)).collect())
    }
    fn l1_ratios<T: Float>(&self) -> Vec<T> {
        self.l1_ratios.iter().map(|&v| lit::<T>(v)).collect()
    }
}

/// A list of per-l1-ratio CV paths into `d`: `alphas` (`n_l1 × n_alphas`), `mse_path`
/// (`n_l1 × n_alphas × n_folds`, flat), `cv_mean`, `cv_std_err` (`n_l1 × n_alphas`).
fn put_paths<T: Float>(
    py: Python<'_>,
    d: &Bound<'_, PyDict>,
    paths: &[proxreg::CvPath<T>],
) -> PyResult<()> {
    let flat = |f: &dyn Fn(&proxreg::CvPath<T>) -> Vec<T>| -> Vec<T> {
        paths.iter().flat_map(f).collect()
    };
    d.set_item("alphas", flat(&|p| p.alphas.clone()).into_pyarray(py))?;
    d.set_item(
        "mse_path",
        flat(&|p| p.mse.iter().flatten().copied().collect()).into_pyarray(py),
    )?;
    d.set_item("cv_mean", flat(&|p| p.mean.clone()).into_pyarray(py))?;
    d.set_item("cv_std_err", flat(&|p| p.std_err.clone()).into_pyarray(py))?;
    let n_nc: usize = paths.iter().map(|p| p.n_not_converged).sum();
    d.set_item("n_not_converged", n_nc)?;
    Ok(())
}

fn linear_cv_t<'py, T: Float>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    a: &CvArgs,
) -> PyResult<Bound<'py, PyDict>> {
    let d = design::<T>(x)?;
    let y = y.cast::<PyArray1<T>>()?.readonly();
    let y = slice(&y, "y")?;
    let mut p = ElasticNetCv::<T>::params()
        .l1_ratios(a.l1_ratios::<T>())
        .n_alphas(a.n_alphas)
        .eps(lit(a.eps))
        .fold_ids(a.fold_ids.clone())
        .fit_intercept(a.fit_intercept)
        .tol(lit(a.tol))
        .max_iter(a.max_iter)
        .selection(a.selection());
    if let Some(al) = a.alphas::<T>() {
        p = p.alphas(al);
    }
    let cv = with_design!(py, d, |x| p.fit(x, y)).map_err(py_err)?;
    let out = model_dict(py, cv.model())?;
    put_paths(py, &out, cv.paths())?;
    out.set_item("alpha_", cv.alpha().to_f64())?;
    out.set_item("l1_ratio_", cv.l1_ratio().to_f64())?;
    let best = &cv.path();
    out.set_item("alpha_min", best.alphas[best.index_min].to_f64())?;
    out.set_item("alpha_1se", best.alphas[best.index_1se].to_f64())?;
    out.set_item("on_grid_edge", cv.on_grid_edge())?;
    Ok(out)
}

/// K-fold cross-validated Lasso / Elastic Net over `l1_ratios` (Lasso: `[1.0]`) on the folds
/// `fold_ids` (one per sample, `0..K`), then the refit at the selected `(alpha, l1_ratio)`.
/// Keyword arguments: the fields of `CvArgs` but `measure` and `n_classes`.
#[pyfunction]
#[pyo3(signature = (x, y, **params))]
fn linear_cv<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let a: CvArgs = self::params(params)?.extract()?;
    linear_cv_t::<f64>(py, x, y, &a)
}

fn ridge_cv_t<'py, T: Float>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    alphas: &[f64],
    mode: &str,
    fold_ids: Option<Vec<usize>>,
    fit_intercept: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let d = design::<T>(x)?;
    let y = y.cast::<PyArray1<T>>()?.readonly();
    let y = slice(&y, "y")?;
    let mode = match (mode, fold_ids) {
        ("loo", _) => RidgeCvMode::Loo,
        ("gcv", _) => RidgeCvMode::Gcv,
        ("folds", Some(ids)) => RidgeCvMode::FoldIds(ids),
        (m, _) => {
            return Err(PyValueError::new_err(format!(
                "unknown RidgeCV mode {m:?} (or fold ids missing)"
            )))
        }
    };
    let p = RidgeCv::<T>::params()
        .alphas(alphas.iter().map(|&v| lit::<T>(v)).collect())
        .mode(mode)
        .fit_intercept(fit_intercept);
    let cv = with_design!(py, d, |x| p.fit(x, y)).map_err(py_err)?;
    let out = model_dict(py, cv.model())?;
    out.set_item("alpha_", cv.alpha().to_f64())?;
    out.set_item("alphas", cv.alphas().to_pyarray(py))?;
    out.set_item("loo", cv.loo().to_pyarray(py))?;
    out.set_item("gcv", cv.gcv().to_pyarray(py))?;
    out.set_item("dof", cv.dof().to_pyarray(py))?;
    if let Some(k) = cv.kfold() {
        out.set_item("cv_mean", k.mean.to_pyarray(py))?;
    }
    Ok(out)
}

/// Cross-validated Ridge over `alphas` (scikit-learn's `Ridge` convention): `mode` `"loo"`
/// (exact leave-one-out), `"gcv"`, or `"folds"` with `fold_ids`.
#[pyfunction]
#[pyo3(signature = (x, y, *, alphas, mode, fold_ids=None, fit_intercept=true))]
fn ridge_cv<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    alphas: Vec<f64>,
    mode: &str,
    fold_ids: Option<Vec<usize>>,
    fit_intercept: bool,
) -> PyResult<Bound<'py, PyDict>> {
    ridge_cv_t::<f64>(py, x, y, &alphas, mode, fold_ids, fit_intercept)
}

fn logistic_fit_t<'py, T: Float>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    a: &FitArgs,
    sample_weight: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = design::<T>(x)?;
    let y = y.cast::<PyArray1<T>>()?.readonly();
    let y = slice(&y, "y")?;
    let sw = opt_array::<T>(sample_weight)?;
    let sw = sw.as_ref().map(|s| slice(s, "sample_weight")).transpose()?;
    let (alpha, l1, tol) = (lit::<T>(a.alpha), lit::<T>(a.l1_ratio), lit::<T>(a.tol));
    let out = PyDict::new(py);
    if a.n_classes <= 2 {
        let mut p = LogisticRegression::<T>::params()
            .alpha(alpha)
            .l1_ratio(l1)
            .fit_intercept(a.fit_intercept)
            .tol(tol);
        if let Some(m) = a.max_iter {
            p = p.max_iter(m);
        }
        let m = with_design!(py, d, |x| match sw {
            Some(s) => p.fit_weighted(x, y, s),
            None => p.fit(x, y),
        })
        .map_err(py_err)?;
        out.set_item("coef", m.coef().to_pyarray(py))?;
        out.set_item("intercept", vec![m.intercept()].into_pyarray(py))?;
        put_report(&out, m.report())?;
    } else {
        let mut p = MultinomialRegression::<T>::params()
            .alpha(alpha)
            .l1_ratio(l1)
            .fit_intercept(a.fit_intercept)
            .tol(tol);
        if let Some(m) = a.max_iter {
            p = p.max_iter(m);
        }
        let m = with_design!(py, d, |x| match sw {
            Some(s) => p.fit_weighted(x, y, s),
            None => p.fit(x, y),
        })
        .map_err(py_err)?;
        out.set_item("coef", m.coef().to_pyarray(py))?;
        out.set_item("intercept", m.intercept().to_pyarray(py))?;
        put_report(&out, m.report())?;
    }
    Ok(out)
}

/// Fits a penalised logistic (`n_classes <= 2`, `y` in {0, 1}) or multinomial regression (`y`
/// the class index `0..K` as a float), objective `(1/n)Σ loss + α(ρ‖W‖₁ + ½(1−ρ)‖W‖²)`.
/// Keyword arguments: `n_classes`, `alpha`, `l1_ratio`, `fit_intercept`, `tol`, `max_iter`
/// (absent: proxreg's default), `sample_weight`.
#[pyfunction]
#[pyo3(signature = (x, y, *, sample_weight=None, **params))]
fn logistic_fit<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    sample_weight: Option<&Bound<'py, PyAny>>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let a: FitArgs = self::params(params)?.extract()?;
    logistic_fit_t::<f64>(py, x, y, &a, sample_weight)
}

fn logistic_cv_t<'py, T: Float>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    a: &CvArgs,
) -> PyResult<Bound<'py, PyDict>> {
    let d = design::<T>(x)?;
    let y = y.cast::<PyArray1<T>>()?.readonly();
    let y = slice(&y, "y")?;
    let out = PyDict::new(py);
    macro_rules! setup {
        ($p:expr, $measure:expr) => {{
            let mut p = $p
                .l1_ratios(a.l1_ratios::<T>())
                .n_alphas(a.n_alphas)
                .eps(lit(a.eps))
                .fold_ids(a.fold_ids.clone())
                .fit_intercept(a.fit_intercept)
                .tol(lit(a.tol))
                .max_iter(a.max_iter)
                .measure($measure)
                .selection(a.selection());
            if let Some(al) = a.alphas::<T>() {
                p = p.alphas(al);
            }
            p
        }};
    }
    if a.n_classes <= 2 {
        let measure = match a.measure.as_str() {
            "deviance" => ClassMeasure::Deviance,
            "class" => ClassMeasure::Misclassification,
            "auc" => ClassMeasure::Auc,
            "mse" => ClassMeasure::Mse,
            m => return Err(PyValueError::new_err(format!("unknown measure {m:?}"))),
        };
        let p = setup!(LogisticRegressionCv::<T>::params(), measure);
        let cv = with_design!(py, d, |x| p.fit(x, y)).map_err(py_err)?;
        let m = cv.model();
        out.set_item("coef", m.coef().to_pyarray(py))?;
        out.set_item("intercept", vec![m.intercept()].into_pyarray(py))?;
        put_report(&out, m.report())?;
        put_paths(py, &out, cv.paths())?;
        out.set_item("alpha_", cv.alpha().to_f64())?;
        out.set_item("alpha_min", cv.alpha_min().to_f64())?;
        out.set_item("alpha_1se", cv.alpha_1se().to_f64())?;
        out.set_item("l1_ratio_", cv.l1_ratio().to_f64())?;
    } else {
        let measure = match a.measure.as_str() {
            "deviance" => MultinomialMeasure::Deviance,
            "class" => MultinomialMeasure::Misclassification,
            "auc" => MultinomialMeasure::Auc,
            m => {
                return Err(PyValueError::new_err(format!(
                    "measure {m:?} is not available for more than two classes"
                )))
            }
        };
        let p = setup!(MultinomialRegressionCv::<T>::params(), measure);
        let cv = with_design!(py, d, |x| p.fit(x, y)).map_err(py_err)?;
        let m = cv.model();
        out.set_item("coef", m.coef().to_pyarray(py))?;
        out.set_item("intercept", m.intercept().to_pyarray(py))?;
        put_report(&out, m.report())?;
        put_paths(py, &out, cv.paths())?;
        out.set_item("alpha_", cv.alpha().to_f64())?;
        out.set_item("alpha_min", cv.alpha_min().to_f64())?;
        out.set_item("alpha_1se", cv.alpha_1se().to_f64())?;
        out.set_item("l1_ratio_", cv.l1_ratio().to_f64())?;
    }
    Ok(out)
}

/// Cross-validated logistic / multinomial regression over an alpha grid and `l1_ratios`, on
/// the folds `fold_ids`, scored by `measure` (`"deviance"`, `"class"`, `"auc"`, `"mse"`), then
/// the refit. Keyword arguments: the fields of `CvArgs`.
#[pyfunction]
#[pyo3(signature = (x, y, **params))]
fn logistic_cv<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    params: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let a: CvArgs = self::params(params)?.extract()?;
    logistic_cv_t::<f64>(py, x, y, &a)
}

/// proxreg's compiled core: the fits behind the estimators of the `proxreg` package.
#[pymodule]
fn _proxreg(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(linear_fit, m)?)?;
    m.add_function(wrap_pyfunction!(linear_path, m)?)?;
    m.add_function(wrap_pyfunction!(linear_cv, m)?)?;
    m.add_function(wrap_pyfunction!(ridge_cv, m)?)?;
    m.add_function(wrap_pyfunction!(logistic_fit, m)?)?;
    m.add_function(wrap_pyfunction!(logistic_cv, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
