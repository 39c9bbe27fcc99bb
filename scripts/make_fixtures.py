#!/usr/bin/env python3
"""Generate the scikit-learn reference fixtures of proxreg (tests/fixtures/*.json).

How to run (from the repository root):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install numpy scipy scikit-learn
    .venv-fixtures/bin/python scripts/make_fixtures.py

The script is deterministic: every data set is drawn from a seeded
``numpy.random.Generator`` (PCG64), every solver is deterministic (cyclic
coordinate descent, Cholesky / SVD ridge), and floats are written with
``repr`` (shortest round-trip form) so that the JSON holds the exact float64
bits that numpy / scikit-learn produced.  Re-running with the same library
versions gives byte-identical files; other versions may move the last bits.

Conventions (see tests/fixtures/README.md for the full description):

* matrices are nested lists, row-major: ``x`` is [n][p], ``Y`` is [n][k],
  multi-task coefficients ``W`` are [p][k] (scikit-learn's ``coef_`` is k x p
  and is transposed here), a path's ``coefs`` is [n_alphas][p] (one solution
  per alpha, scikit-learn returns p x n_alphas);
* Lasso / ElasticNet objective (scikit-learn's), rho = l1_ratio:
      (1/(2n)) ||y - Xw - b||^2 + alpha * (rho ||w||_1 + (1-rho)/2 ||w||^2)
  and with sample weights s:
      (1/(2 sum s)) sum_i s_i r_i^2 + alpha * (rho ||w||_1 + (1-rho)/2 ||w||^2)
* Ridge objective (scikit-learn's Ridge, NOT normalised by n, weights NOT
  normalised either):  sum_i s_i r_i^2 + alpha ||w||^2  (s_i = 1 unweighted)
* multi-task: (1/(2n)) ||Y - XW - 1 b^T||_F^2
      + alpha * (rho sum_j ||W_j,:||_2 + (1-rho)/2 ||W||_F^2)
* ``dual_gap`` is scikit-learn's ``dual_gap_``: already divided by n, i.e. on
  the scale of the objective above.

What was verified against scikit-learn's own source / behaviour
(scikit-learn 1.9.1, sklearn/linear_model/_coordinate_descent.py and _ridge.py):

* Sample weights, ElasticNet/Lasso/MultiTask*: ``fit`` rescales
  ``sample_weight`` to sum to n_samples and then minimises
  (1/(2n)) sum_i s'_i r_i^2 + alpha*pen with s' = s * n / sum(s), which is
  exactly (1/(2 sum s)) sum_i s_i r_i^2 + alpha*pen (the objective is
  invariant to rescaling s).  The intercept is obtained by weighted centering
  (np.average(X, weights=s)).  This script checks it three ways: (1) the KKT
  conditions of the stated weighted objective hold at scikit-learn's solution
  to ~1e-10, (2) the weighted fit equals the fit on the data with row i
  repeated s_i times (rows with s_i = 0 dropped), (3) the objective written
  with sum(s) is recomputed and stored.
* Sample weights, Ridge: Ridge does NOT rescale weights; it minimises
  sum_i s_i r_i^2 + alpha ||w||^2, so weighted Ridge also equals Ridge on
  repeated rows with the same alpha (checked below).
* Alpha grids (LassoCV / ElasticNetCV / *_path with an integer ``alphas``):
  alpha_max = max_j |<x_j - xbar_j, y - ybar>| / (n * l1_ratio) computed on
  the FULL data, centered when fit_intercept=True (``_alpha_grid``), and the
  grid is np.geomspace(alpha_max, eps*alpha_max, n_alphas).  The same grid is
  used in every fold (folds are NOT re-gridded); each fold's fit centers with
  its own training means.  Checked below.
* RidgeCV with cv=None is efficient leave-one-out (``_RidgeGCV``).  With
  fit_intercept=True it centers X and y once with the full-data means and
  corrects the hat-matrix diagonal for the unpenalised intercept column
  (h_ii += 1/n in effect), which makes it the EXACT leave-one-out of Ridge
  with an intercept (each left-out model re-estimates its own intercept).
  Checked below by brute force (n refits).  ``cv_results_`` holds the squared
  LOO residuals [n][n_alphas]; ``alpha_`` is the first alpha of minimal mean.
* sklearn's coordinate descent stops when the (unnormalised) gap is
  <= tol * ||y||^2 (y centered / weighted), so tol=1e-12 is a relative gap.
* ``lasso_path`` / ``enet_path`` warm-start along the grid.

glmnet: python-glmnet has no binary wheel for this Python (only an sdist that
needs numpy.distutils and gfortran), so no glmnet reference is produced.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    MultiTaskElasticNet,
    MultiTaskLasso,
    Ridge,
    RidgeCV,
    enet_path,
)
from sklearn.model_selection import KFold

FORMAT_VERSION = 1
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures")

TOL = 1e-12
MAX_ITER = 1_000_000
# float32 data cannot reach a 1e-12 relative gap; use a tolerance float32 reaches.
TOL_F32 = 1e-6
MAX_ITER_F32 = 100_000

REL_ALPHAS = [0.5, 0.1, 0.01]
ENET_L1_RATIOS = [0.2, 0.5, 0.9]
RIDGE_ALPHAS = [0.1, 1.0, 10.0]
MT_REL_ALPHAS = [0.5, 0.1]

SEEDS = {"iid": 1001, "wide": 1002, "corr": 1003, "multitask": 1004}

KKT_TOL = 1e-8  # checked here, relative to max(1, ||X^T y||_inf / n)


# --------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------


def sparse_vector(rng, p, s):
    """Sparse w* with s nonzeros: sorted random support, values +-U(1, 2)."""
    w = np.zeros(p)
    support = np.sort(rng.choice(p, size=s, replace=False))
    w[support] = rng.choice([-1.0, 1.0], size=s) * rng.uniform(1.0, 2.0, size=s)
    return w


def make_iid(rng):
    n, p = 50, 10
    x = rng.standard_normal((n, p))
    w = sparse_vector(rng, p, 4)
    noise = rng.standard_normal(n)
    return x, w, noise


def make_wide(rng):
    n, p = 30, 80
    x = rng.standard_normal((n, p))
    w = sparse_vector(rng, p, 5)
    noise = rng.standard_normal(n)
    return x, w, noise


def make_corr(rng, rho=0.8):
    n, p = 60, 20
    e = rng.standard_normal((n, p))
    x = np.empty((n, p))
    x[:, 0] = e[:, 0]
    c = np.sqrt(1.0 - rho * rho)
    for j in range(1, p):
        x[:, j] = rho * x[:, j - 1] + c * e[:, j]
    w = sparse_vector(rng, p, 5)
    noise = rng.standard_normal(n)
    return x, w, noise


def make_multitask(rng):
    n, p, k = 40, 12, 3
    x = rng.standard_normal((n, p))
    w = np.zeros((p, k))
    rows = np.sort(rng.choice(p, size=4, replace=False))
    w[rows] = rng.standard_normal((4, k)) + np.sign(rng.standard_normal((4, k)))
    noise = rng.standard_normal((n, k))
    return x, w, noise


NOISE = 0.5
INTERCEPT = 1.5


def base_problems():
    """The four engine data sets, plus offsets used by the estimator fixtures."""
    out = {}
    for name, maker in [
        ("iid", make_iid),
        ("wide", make_wide),
        ("corr", make_corr),
        ("multitask", make_multitask),
    ]:
        rng = np.random.default_rng(SEEDS[name])
        x, w, noise = maker(rng)
        y = x @ w + NOISE * noise
        # drawn after the engine data so the engine data do not depend on them
        col_offsets = rng.uniform(-2.0, 2.0, size=x.shape[1])
        weights = rng.integers(0, 4, size=x.shape[0]).astype(np.float64)
        out[name] = {
            "x": x,
            "y": y,
            "w_true": w,
            "noise": noise,
            "col_offsets": col_offsets,
            "weights": weights,
            "seed": SEEDS[name],
        }
    return out


# --------------------------------------------------------------------------------------
# objectives, alpha_max and KKT (numpy, in the documented conventions)
# --------------------------------------------------------------------------------------


def enet_objective(x, y, w, b, alpha, rho, s=None):
    r = y - x @ w - b
    if s is None:
        loss = (r @ r) / (2.0 * x.shape[0])
    else:
        loss = float(np.sum(s * r * r)) / (2.0 * float(np.sum(s)))
    pen = rho * np.sum(np.abs(w)) + 0.5 * (1.0 - rho) * (w @ w)
    return float(loss + alpha * pen)


def ridge_objective(x, y, w, b, alpha, s=None):
    r = y - x @ w - b
    s = np.ones_like(y) if s is None else s
    return float(np.sum(s * r * r) + alpha * (w @ w))


def mt_objective(x, y, w, b, alpha, rho):
    r = y - x @ w - b[None, :]
    loss = np.sum(r * r) / (2.0 * x.shape[0])
    pen = rho * np.sum(np.linalg.norm(w, axis=1)) + 0.5 * (1.0 - rho) * np.sum(w * w)
    return float(loss + alpha * pen)


def center(x, y, s, fit_intercept):
    if not fit_intercept:
        return x, y
    xm = np.average(x, axis=0, weights=s)
    ym = np.average(y, axis=0, weights=s)
    return x - xm, y - ym


def enet_alpha_max(x, y, rho, fit_intercept=False, s=None):
    xc, yc = center(x, y, s, fit_intercept)
    sw = np.ones(x.shape[0]) if s is None else s
    return float(np.max(np.abs(xc.T @ (sw * yc))) / (np.sum(sw) * rho))


def mt_alpha_max(x, y, rho, fit_intercept=False):
    xc, yc = center(x, y, None, fit_intercept)
    return float(np.max(np.linalg.norm(xc.T @ yc, axis=1)) / (x.shape[0] * rho))


def enet_kkt(x, y, w, b, alpha, rho, s=None, positive=False, fit_intercept=False):
    """Max violation of the optimality conditions of the (weighted) EN objective."""
    sw = np.ones(x.shape[0]) if s is None else s
    r = y - x @ w - b
    g = x.T @ (sw * r) / np.sum(sw)  # = -grad of the loss
    viol = 0.0
    if fit_intercept:
        viol = abs(float(np.sum(sw * r) / np.sum(sw)))
    l1 = alpha * rho
    l2 = alpha * (1.0 - rho)
    for j in range(x.shape[1]):
        if w[j] != 0.0:
            v = abs(g[j] - l1 * np.sign(w[j]) - l2 * w[j])
        elif positive:
            v = max(0.0, g[j] - l1)
        else:
            v = max(0.0, abs(g[j]) - l1)
        viol = max(viol, v)
    return float(viol)


def ridge_kkt(x, y, w, b, alpha, s=None, fit_intercept=False):
    sw = np.ones(x.shape[0]) if s is None else s
    r = y - x @ w - b
    grad = -2.0 * x.T @ (sw * r) + 2.0 * alpha * w
    viol = float(np.max(np.abs(grad)))
    if fit_intercept:
        viol = max(viol, abs(float(2.0 * np.sum(sw * r))))
    return viol


def mt_kkt(x, y, w, b, alpha, rho, fit_intercept=False):
    r = y - x @ w - b[None, :]
    g = x.T @ r / x.shape[0]
    viol = 0.0
    if fit_intercept:
        viol = float(np.max(np.abs(np.mean(r, axis=0))))
    l1 = alpha * rho
    l2 = alpha * (1.0 - rho)
    for j in range(x.shape[1]):
        nj = np.linalg.norm(w[j])
        if nj > 0.0:
            v = np.linalg.norm(g[j] - l1 * w[j] / nj - l2 * w[j])
        else:
            v = max(0.0, np.linalg.norm(g[j]) - l1)
        viol = max(viol, float(v))
    return viol


def kkt_scale(x, y):
    return max(1.0, float(np.max(np.abs(x.T @ y))) / x.shape[0])


# --------------------------------------------------------------------------------------
# JSON helpers
# --------------------------------------------------------------------------------------


def jfloat(v):
    v = float(v)
    if not np.isfinite(v):
        raise ValueError("non-finite value in fixture")
    return v


def jlist(a):
    a = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError("non-finite value in fixture")
    return a.tolist()


def versions():
    return {
        "script": "scripts/make_fixtures.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "glmnet": None,
    }


def problem_record(name, x, y, w_true, description, sample_weight=None, intercept_true=None):
    rec = {
        "name": name,
        "description": description,
        "n_samples": int(x.shape[0]),
        "n_features": int(x.shape[1]),
        "x": jlist(x),
        "y": jlist(y),
        "w_true": jlist(w_true),
    }
    if y.ndim == 2:
        rec["n_tasks"] = int(y.shape[1])
    if sample_weight is not None:
        rec["sample_weight"] = jlist(sample_weight)
    if intercept_true is not None:
        rec["intercept_true"] = jfloat(intercept_true) if np.ndim(intercept_true) == 0 else jlist(intercept_true)
    return rec


def fit_sklearn(model, x, y, s=None):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(x, y, sample_weight=s)
    converged = not any(issubclass(c.category, ConvergenceWarning) for c in caught)
    return converged


# --------------------------------------------------------------------------------------
# single fits
# --------------------------------------------------------------------------------------


def single_fit(
    case_id,
    estimator,
    x,
    y,
    alpha,
    l1_ratio=None,
    fit_intercept=False,
    positive=False,
    s=None,
    dtype="float64",
    data="main",
    alpha_rel=None,
):
    """Fit one sklearn estimator and return the fixture record (float64 data in x, y)."""
    xf, yf, sf = x, y, s
    tol, max_iter = TOL, MAX_ITER
    if dtype == "float32":
        xf, yf = x.astype(np.float32), y.astype(np.float32)
        sf = None if s is None else s.astype(np.float32)
        tol, max_iter = TOL_F32, MAX_ITER_F32
    rec = {
        "id": case_id,
        "estimator": estimator,
        "data": data,
        "dtype": dtype,
        "alpha": jfloat(alpha),
        "alpha_rel": None if alpha_rel is None else jfloat(alpha_rel),
        "l1_ratio": None if l1_ratio is None else jfloat(l1_ratio),
        "fit_intercept": fit_intercept,
        "positive": positive,
        "sample_weight": None if s is None else jlist(s),
    }
    if estimator == "Ridge":
        model = Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="cholesky")
        converged = fit_sklearn(model, xf, yf, sf)
        rec.update(solver="cholesky", tol=None, max_iter=None, dual_gap=None, n_iter=None)
    else:
        cls = Lasso if estimator == "Lasso" else ElasticNet
        kw = {} if estimator == "Lasso" else {"l1_ratio": l1_ratio}
        model = cls(
            alpha=alpha,
            fit_intercept=fit_intercept,
            positive=positive,
            tol=tol,
            max_iter=max_iter,
            selection="cyclic",
            **kw,
        )
        converged = fit_sklearn(model, xf, yf, sf)
        rec.update(
            solver="coordinate_descent",
            tol=tol,
            max_iter=max_iter,
            dual_gap=jfloat(model.dual_gap_),
            n_iter=int(model.n_iter_),
        )
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = float(model.intercept_) if fit_intercept else 0.0
    if estimator == "Ridge":
        obj = ridge_objective(x, y, coef, intercept, alpha, s)
        kkt = ridge_kkt(x, y, coef, intercept, alpha, s, fit_intercept)
    else:
        rho = 1.0 if estimator == "Lasso" else l1_ratio
        obj = enet_objective(x, y, coef, intercept, alpha, rho, s)
        kkt = enet_kkt(x, y, coef, intercept, alpha, rho, s, positive, fit_intercept)
    if dtype == "float64":
        assert converged, case_id
        if estimator == "Ridge":
            # the ridge gradient 2 X^T (s r) - 2 alpha w is not divided by n
            sw = np.ones_like(y) if s is None else s
            scale = 2.0 * max(1.0, float(np.max(np.abs(x.T @ (sw * y)))))
        else:
            scale = kkt_scale(x, y)
        assert kkt <= KKT_TOL * scale, (case_id, kkt, scale)
    rec.update(
        converged=converged,
        coef=jlist(coef),
        intercept=jfloat(intercept),
        objective=jfloat(obj),
        kkt_violation=jfloat(kkt),
    )
    return rec


def mt_fit(case_id, estimator, x, y, alpha, l1_ratio, fit_intercept=False, alpha_rel=None):
    cls = MultiTaskLasso if estimator == "MultiTaskLasso" else MultiTaskElasticNet
    kw = {} if estimator == "MultiTaskLasso" else {"l1_ratio": l1_ratio}
    model = cls(alpha=alpha, fit_intercept=fit_intercept, tol=TOL, max_iter=MAX_ITER, **kw)
    converged = fit_sklearn(model, x, y)
    assert converged, case_id
    w = np.asarray(model.coef_).T.copy()  # sklearn: k x p  ->  p x k
    b = np.asarray(model.intercept_, dtype=np.float64) if fit_intercept else np.zeros(y.shape[1])
    obj = mt_objective(x, y, w, b, alpha, l1_ratio)
    kkt = mt_kkt(x, y, w, b, alpha, l1_ratio, fit_intercept)
    assert kkt <= KKT_TOL * kkt_scale(x, y), (case_id, kkt)
    assert abs(obj - mt_objective(x, y, w, b, alpha, l1_ratio)) == 0.0
    return {
        "id": case_id,
        "estimator": estimator,
        "alpha": jfloat(alpha),
        "alpha_rel": None if alpha_rel is None else jfloat(alpha_rel),
        "l1_ratio": jfloat(l1_ratio),
        "fit_intercept": fit_intercept,
        "tol": TOL,
        "max_iter": MAX_ITER,
        "converged": converged,
        "coef": jlist(w),
        "intercept": jlist(b),
        "objective": jfloat(obj),
        "dual_gap": jfloat(model.dual_gap_),
        "n_iter": int(model.n_iter_),
        "kkt_violation": jfloat(kkt),
    }


def path_case(case_id, x, y, l1_ratio, n_alphas=20, eps=1e-3):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        alphas, coefs, gaps, n_iters = enet_path(
            x, y, l1_ratio=l1_ratio, eps=eps, alphas=n_alphas, tol=TOL, max_iter=MAX_ITER, return_n_iter=True
        )
    assert not any(issubclass(c.category, ConvergenceWarning) for c in caught), case_id
    amax = enet_alpha_max(x, y, l1_ratio, fit_intercept=False)
    assert np.isclose(alphas[0], amax, rtol=1e-14, atol=0), (alphas[0], amax)
    coefs_t = coefs.T  # p x n_alphas -> n_alphas x p
    objs, kkts = [], []
    for a, w in zip(alphas, coefs_t):
        objs.append(enet_objective(x, y, w, 0.0, a, l1_ratio))
        k = enet_kkt(x, y, w, 0.0, a, l1_ratio)
        assert k <= KKT_TOL * kkt_scale(x, y), (case_id, a, k)
        kkts.append(k)
    return {
        "id": case_id,
        "function": "lasso_path" if l1_ratio == 1.0 else "enet_path",
        "l1_ratio": jfloat(l1_ratio),
        "eps": eps,
        "n_alphas": n_alphas,
        "fit_intercept": False,
        "tol": TOL,
        "max_iter": MAX_ITER,
        "alpha_max": jfloat(amax),
        "alphas": jlist(alphas),
        "coefs": jlist(coefs_t),
        "objectives": jlist(objs),
        "dual_gaps": jlist(gaps),
        "n_iters": [int(v) for v in n_iters],
        "kkt_violations": jlist(kkts),
    }


# --------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------

DESCRIPTIONS = {
    "iid": "n=50, p=10, X standard normal, w* with 4 nonzeros, y = X w* + 0.5 * noise",
    "wide": "n=30, p=80 (p > n), X standard normal, w* with 5 nonzeros, y = X w* + 0.5 * noise",
    "corr": "n=60, p=20, AR(1) columns rho=0.8 (x_0 = e_0, x_j = 0.8 x_{j-1} + 0.6 e_j), "
    "w* with 5 nonzeros, y = X w* + 0.5 * noise",
    "multitask": "n=40, p=12, k=3, X standard normal, row-sparse W* (4 nonzero rows), Y = X W* + 0.5 * noise",
}


def engine_fixture(name, d):
    x, y = d["x"], d["y"]
    fits = []
    a1 = enet_alpha_max(x, y, 1.0)
    for rel in REL_ALPHAS:
        fits.append(single_fit(f"lasso_rel{rel}", "Lasso", x, y, rel * a1, l1_ratio=1.0, alpha_rel=rel))
    for rho in ENET_L1_RATIOS:
        am = enet_alpha_max(x, y, rho)
        for rel in REL_ALPHAS:
            fits.append(
                single_fit(f"enet_l1r{rho}_rel{rel}", "ElasticNet", x, y, rel * am, l1_ratio=rho, alpha_rel=rel)
            )
    for a in RIDGE_ALPHAS:
        fits.append(single_fit(f"ridge_alpha{a}", "Ridge", x, y, a))
    paths = [path_case("lasso_path", x, y, 1.0), path_case("enet_path_l1r0.5", x, y, 0.5)]
    return {
        "format_version": FORMAT_VERSION,
        "name": f"engine_{name}",
        "description": "Engine references (fit_intercept=False, no sample weights) on data set "
        f"'{name}': Lasso, ElasticNet, Ridge single fits and lasso/enet paths.",
        "generator": versions(),
        "problem": problem_record(name, x, y, d["w_true"], DESCRIPTIONS[name] + f"; seed {d['seed']}"),
        "fits": fits,
        "paths": paths,
    }


def engine_multitask_fixture(d):
    x, y = d["x"], d["y"]
    fits = []
    for est, rho in [("MultiTaskLasso", 1.0), ("MultiTaskElasticNet", 0.5)]:
        am = mt_alpha_max(x, y, rho)
        for rel in MT_REL_ALPHAS:
            fits.append(mt_fit(f"{est}_rel{rel}", est, x, y, rel * am, rho, alpha_rel=rel))
    return {
        "format_version": FORMAT_VERSION,
        "name": "engine_multitask",
        "description": "Engine references (fit_intercept=False): MultiTaskLasso and "
        "MultiTaskElasticNet(l1_ratio=0.5) at alpha_max * {0.5, 0.1}.",
        "generator": versions(),
        "multitask_problem": problem_record(
            "multitask", x, y, d["w_true"], DESCRIPTIONS["multitask"] + f"; seed {d['seed']}"
        ),
        "multitask_fits": fits,
    }


def lasso_cv_case(case_id, x, y, l1_ratios, alphas, folds, n_alphas=20, eps=1e-3):
    """LassoCV (l1_ratios == [1.0]) or ElasticNetCV; alphas: explicit grid or None (auto grid)."""
    kf = KFold(n_splits=folds, shuffle=False)
    grid = n_alphas if alphas is None else alphas
    if l1_ratios == [1.0]:
        model = LassoCV(alphas=grid, eps=eps, cv=kf, tol=TOL, max_iter=MAX_ITER, fit_intercept=True)
        estimator = "LassoCV"
    else:
        model = ElasticNetCV(
            l1_ratio=l1_ratios, alphas=grid, eps=eps, cv=kf, tol=TOL, max_iter=MAX_ITER, fit_intercept=True
        )
        estimator = "ElasticNetCV"
    converged = fit_sklearn(model, x, y)
    assert converged, case_id
    nl = len(l1_ratios)
    alphas_ = np.asarray(model.alphas_, dtype=np.float64)
    if alphas_.ndim == 1:
        # LassoCV, or a given grid shared by every l1_ratio (stored once, sorted descending)
        if alphas is not None:
            assert np.array_equal(alphas_, np.sort(np.asarray(alphas))[::-1])
        alphas_ = np.tile(alphas_, (nl, 1))
    mse = np.asarray(model.mse_path_).reshape(nl, alphas_.shape[1], folds)
    if alphas is None:
        # the auto grid: alpha_max of the CENTERED full data, for each l1_ratio
        for i, rho in enumerate(l1_ratios):
            am = enet_alpha_max(x, y, rho, fit_intercept=True)
            assert np.isclose(alphas_[i, 0], am, rtol=1e-13, atol=0), (alphas_[i, 0], am)
            assert np.allclose(alphas_[i], np.geomspace(am, am * eps, n_alphas), rtol=1e-14, atol=0)
    # the selected model is the argmin of the fold-mean MSE
    mean = mse.mean(axis=2)
    i, j = np.unravel_index(np.argmin(mean), mean.shape)
    rho = float(getattr(model, "l1_ratio_", 1.0))
    assert alphas_[i, j] == model.alpha_ and l1_ratios[i] == rho
    coef = np.asarray(model.coef_, dtype=np.float64)
    b = float(model.intercept_)
    kkt = enet_kkt(x, y, coef, b, model.alpha_, rho, fit_intercept=True)
    assert kkt <= KKT_TOL * kkt_scale(x, y), (case_id, kkt)
    test_folds = [test.tolist() for _, test in kf.split(x)]
    return {
        "id": case_id,
        "estimator": estimator,
        "l1_ratios": jlist(l1_ratios),
        "alphas_given": alphas is not None,
        "n_alphas": int(alphas_.shape[1]),
        "eps": eps,
        "cv": f"KFold(n_splits={folds}, shuffle=False)",
        "test_folds": test_folds,
        "fit_intercept": True,
        "tol": TOL,
        "max_iter": MAX_ITER,
        "alphas": jlist(alphas_),
        "mse_path": jlist(mse),
        "alpha": jfloat(model.alpha_),
        "l1_ratio": jfloat(rho),
        "coef": jlist(coef),
        "intercept": jfloat(b),
        "objective": jfloat(enet_objective(x, y, coef, b, model.alpha_, rho)),
        "dual_gap": jfloat(model.dual_gap_),
        "n_iter": int(model.n_iter_),
        "kkt_violation": jfloat(kkt),
    }


def ridge_cv_case(case_id, x, y, fit_intercept):
    alphas = np.logspace(-3, 3, 13)
    model = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, store_cv_results=True)
    model.fit(x, y)
    loo = np.asarray(model.cv_results_)  # n x n_alphas, squared LOO residuals
    # brute-force exact LOO with Ridge (Cholesky) refits
    n = x.shape[0]
    brute = np.empty_like(loo)
    for a_i, a in enumerate(alphas):
        for i in range(n):
            keep = np.arange(n) != i
            m = Ridge(alpha=a, fit_intercept=fit_intercept, solver="cholesky").fit(x[keep], y[keep])
            brute[i, a_i] = (y[i] - m.predict(x[i : i + 1])[0]) ** 2
    assert np.allclose(loo, brute, rtol=1e-8, atol=1e-12), np.max(np.abs(loo - brute))
    mean = loo.mean(axis=0)
    assert model.alpha_ == alphas[int(np.argmin(mean))]
    coef = np.asarray(model.coef_, dtype=np.float64)
    b = float(model.intercept_) if fit_intercept else 0.0
    return {
        "id": case_id,
        "estimator": "RidgeCV",
        "cv": "leave-one-out (efficient, cv=None)",
        "fit_intercept": fit_intercept,
        "alphas": jlist(alphas),
        "loo_squared_errors": jlist(loo),
        "loo_mse": jlist(mean),
        "best_score": jfloat(model.best_score_),
        "alpha": jfloat(model.alpha_),
        "coef": jlist(coef),
        "intercept": jfloat(b),
        "objective": jfloat(ridge_objective(x, y, coef, b, model.alpha_)),
    }


def estimator_fixture(name, d):
    # shift the columns and add a true intercept so that intercept handling matters
    x = d["x"] + d["col_offsets"][None, :]
    y = x @ d["w_true"] + INTERCEPT + NOISE * d["noise"]
    s = d["weights"]
    assert np.sum(s) > 0
    reps = s.astype(np.int64)
    xr, yr = np.repeat(x, reps, axis=0), np.repeat(y, reps)
    fits = []
    a1 = enet_alpha_max(x, y, 1.0, fit_intercept=True)
    a5 = enet_alpha_max(x, y, 0.5, fit_intercept=True)
    specs = [("Lasso", 1.0, 0.1 * a1, 0.1), ("ElasticNet", 0.5, 0.1 * a5, 0.1), ("Ridge", None, 1.0, None)]
    for est, rho, alpha, rel in specs:
        tag = est.lower()
        common = {"l1_ratio": rho, "alpha_rel": rel}
        fits.append(single_fit(f"{tag}_intercept", est, x, y, alpha, fit_intercept=True, **common))
        fits.append(single_fit(f"{tag}_no_intercept", est, x, y, alpha, fit_intercept=False, **common))
        for fi in (True, False):
            sfx = "intercept" if fi else "no_intercept"
            w_rec = single_fit(f"{tag}_weighted_{sfx}", est, x, y, alpha, fit_intercept=fi, s=s, **common)
            r_rec = single_fit(f"{tag}_repeated_{sfx}", est, xr, yr, alpha, fit_intercept=fi, data="repeated", **common)
            # integer weights == repeated rows (same objective up to float rounding)
            assert np.allclose(w_rec["coef"], r_rec["coef"], rtol=1e-8, atol=1e-10), (est, fi)
            assert np.isclose(w_rec["objective"], r_rec["objective"], rtol=1e-10), (est, fi)
            fits += [w_rec, r_rec]
        if est != "Ridge":
            fits.append(single_fit(f"{tag}_positive", est, x, y, alpha, fit_intercept=True, positive=True, **common))
        fits.append(single_fit(f"{tag}_f32", est, x, y, alpha, fit_intercept=True, dtype="float32", **common))
    cv_alphas = (a1 * np.geomspace(1.0, 1e-3, 20)).tolist()
    lasso_cv = [
        lasso_cv_case("lassocv_given_grid", x, y, [1.0], cv_alphas, 5),
        lasso_cv_case("lassocv_auto_grid", x, y, [1.0], None, 5),
        lasso_cv_case("enetcv_given_grid", x, y, [0.1, 0.5, 0.9], cv_alphas, 5),
        lasso_cv_case("enetcv_auto_grid", x, y, [0.1, 0.5, 0.9], None, 5),
    ]
    ridge_cv = [
        ridge_cv_case("ridgecv_loo_intercept", x, y, True),
        ridge_cv_case("ridgecv_loo_no_intercept", x, y, False),
    ]
    desc = (
        DESCRIPTIONS[name].replace("y = X w*", "y = X w* + 1.5")
        + "; columns shifted by U(-2, 2) offsets (X here = engine X + offsets); "
        + f"seed {d['seed']}; sample_weight are integers in 0..3"
    )
    return {
        "format_version": FORMAT_VERSION,
        "name": f"estimators_{name}",
        "description": f"Estimator references (issue 5) on data set '{name}' with column offsets and a "
        "true intercept: Lasso / ElasticNet(0.5) / Ridge with and without intercept, integer sample "
        "weights and the same problem with repeated rows, positive=True, float32 data; LassoCV, "
        "ElasticNetCV (5-fold contiguous KFold) and RidgeCV (LOO).",
        "generator": versions(),
        "problem": problem_record(name, x, y, d["w_true"], desc, sample_weight=s, intercept_true=INTERCEPT),
        "repeated_problem": problem_record(
            f"{name}_repeated",
            xr,
            yr,
            d["w_true"],
            "the main problem with row i repeated sample_weight[i] times (rows of weight 0 dropped)",
            intercept_true=INTERCEPT,
        ),
        "fits": fits,
        "lasso_cv": lasso_cv,
        "ridge_cv": ridge_cv,
    }


def estimator_multitask_fixture(d):
    x = d["x"] + d["col_offsets"][None, :]
    b_true = np.array([1.5, -1.0, 0.5])
    y = x @ d["w_true"] + b_true[None, :] + NOISE * d["noise"]
    am = mt_alpha_max(x, y, 1.0, fit_intercept=True)
    fits = [
        mt_fit("MultiTaskLasso_intercept_rel0.1", "MultiTaskLasso", x, y, 0.1 * am, 1.0, True, 0.1),
        mt_fit("MultiTaskLasso_intercept_rel0.5", "MultiTaskLasso", x, y, 0.5 * am, 1.0, True, 0.5),
    ]
    return {
        "format_version": FORMAT_VERSION,
        "name": "estimators_multitask",
        "description": "Estimator references (issue 5): MultiTaskLasso with intercept on the multitask "
        "data set with column offsets and true intercepts [1.5, -1, 0.5].",
        "generator": versions(),
        "multitask_problem": problem_record(
            "multitask",
            x,
            y,
            d["w_true"],
            DESCRIPTIONS["multitask"] + "; columns shifted by U(-2, 2) offsets, Y += [1.5, -1, 0.5]",
            intercept_true=b_true,
        ),
        "multitask_fits": fits,
    }


def write(fixture):
    path = os.path.join(OUT_DIR, fixture["name"] + ".json")
    text = json.dumps(fixture, allow_nan=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
    # round-trip check: the JSON holds exactly the float64 values
    with open(path, encoding="utf-8") as f:
        assert json.load(f) == json.loads(text)
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(text)} bytes)")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    data = base_problems()
    for name in ("iid", "wide", "corr"):
        write(engine_fixture(name, data[name]))
    write(engine_multitask_fixture(data["multitask"]))
    for name in ("iid", "corr"):
        write(estimator_fixture(name, data[name]))
    write(estimator_multitask_fixture(data["multitask"]))
    print(
        f"python {platform.python_version()} numpy {np.__version__} scipy {scipy.__version__} "
        f"sklearn {sklearn.__version__}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
