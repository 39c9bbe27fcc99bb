#!/usr/bin/env python3
"""Penalized LOGISTIC regression references (tests/fixtures/logistic_*.json), issue #19.

Run (CPython 3.11, x86-64 Linux; python-glmnet installs from a binary wheel there):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 \
        python-glmnet==2.6.1
    .venv-fixtures/bin/python scripts/make_logistic_fixtures.py

Versions used for the committed files: Python 3.11.7, numpy 2.4.6, scipy 1.17.1,
scikit-learn 1.9.1, python-glmnet 2.6.1 (PyPI name `python-glmnet`, imported as `glmnet`; the
PyPI package called `glmnet` stops at 2.2.1 and has no wheel for this Python).

Objective (proxreg's convention; y_i in {0, 1}, s = sample weights, s = 1 when absent):

    f(w, b) = (1/m) sum_i s_i [log(1 + exp(eta_i)) - y_i eta_i] + alpha g(w),
    eta = X w + b,  m = sum_i s_i,  b unpenalized (0 when fit_intercept is false),
    g = ||w||_1 (lasso), rho ||w||_1 + (1 - rho)/2 ||w||^2 (enet), 1/2 ||w||^2 (ridge).

standardize = true: the problem is solved on Z = X / sigma (column-wise) with the penalty on
u = sigma * w, sigma_j the s-weighted population std of x_j (1/m normalisation, around the
weighted mean) with an intercept, the weighted RMS (around 0) without one; the stored
coefficients are mapped back, w_j = u_j / sigma_j (the intercept needs no mapping). glmnet's
standardize=True is this (with an intercept). KKT violations and duality gaps are reported in the
space the penalty lives in (u when standardized).

scikit-learn: LogisticRegression(C = 1/(m alpha), l1_ratio = rho) minimises
C sum_i s_i l_i + rho ||w||_1 + (1 - rho)/2 ||w||^2 = f / alpha, so it has the same minimiser
(ridge: l1_ratio = 0, lasso: l1_ratio = 1). `penalty=` is deprecated since 1.8 and is not passed
(the script turns every warning except ConvergenceWarning into an error). Solvers: "saga"
(tol 1e-15) for lasso / enet, "newton-cholesky" for ridge. saga runs on centered (and, for
standardized cases, scaled) columns for conditioning; the intercept is mapped back.

glmnet (python-glmnet LogitNet, the Fortran lognet): lambda = alpha, alpha(glmnet) = rho, for the
lasso / enet cases, given a 6-point lambda path ending at alpha (a user path never stops early),
thresh 1e-14; glmnet minimises -(1/sum w) loglik + lambda pen, the same objective.

Second opinion: a numpy proximal Newton method (cyclic coordinate descent on the exact IRLS
quadratic, including the intercept, with a backtracking line search on f), followed by Newton
polishing on the active set with the signs fixed; it is the stored `reference`.

Data and cases:
  * "small": n = 80, p = 12, X ~ N(0, 1) (numpy default_rng(19)) with three correlated columns
    and shifted means, y = 1{X w* + noise > 0}; checked not separable (LP).
  * "cancer": load_breast_cancer(), first 150 rows and first 10 columns, raw values in the file.
    Its columns differ in scale by 4e4 (cond 1e5), so its cases use standardize = true, except
    "lasso_raw_rel0.1" (saga needs ~1e6 epochs there).
  Per data set: lasso at alpha_max x {1/2, 1/10, 1/50}; enet rho = 0.5 at x {1/2, 1/20}; ridge at
  x 1/10; lasso x 1/10 with sample weights (uniform(0.2, 3), default_rng(1919), row 7 weight 0);
  lasso x 1/10 without intercept; lasso x 1/10 standardized (small) / raw (cancer); lasso at
  exactly alpha_max (all coefficients 0).

The script asserts, before writing: the numpy reference has KKT violation <= 1e-12 and relative
duality gap <= 1e-12; sklearn KKT <= 1e-9 and glmnet <= 1e-6 (times max(1, max_j RMS(z_j)),
gradients grow with the column scale); sklearn agrees with the reference to 1e-7 relative (max
|coef difference| and |intercept difference| over max(1, max |coef|)), glmnet to 1e-5; at
exactly alpha_max the reference is exactly 0. It prints the worst agreements. Exception: at
alpha_max saga stops as soon as the coefficients stop moving (they stay 0) while the intercept
has not converged; there (small: |df/db| = 1.3e-7) sklearn gets 1e-6 / 1e-5 and a "note".
"""
import json
import pathlib
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from scipy.optimize import linprog
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

import glmnet

ROOT = pathlib.Path(__file__).resolve().parent.parent
warnings.simplefilter("error")
warnings.simplefilter("ignore", ConvergenceWarning)

SAGA_TOL = 1e-15
SAGA_MAX_ITER = 1_000_000
GLMNET_THRESH = 1e-14
TOL_SKLEARN = 1e-7
TOL_GLMNET = 1e-5


# ---------------------------------------------------------------- objective, KKT, duality gap
def sigmoid(t):
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log1pexp(t):
    return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))


def pen(u, rho):
    return rho * np.sum(np.abs(u)) + 0.5 * (1.0 - rho) * np.sum(u * u)


def objective(z, y, s, u, b, alpha, rho):
    eta = z @ u + b
    m = s.sum()
    return float(np.sum(s * (log1pexp(eta) - y * eta)) / m + alpha * pen(u, rho))


def loss_grad(z, y, s, u, b):
    r = s * (sigmoid(z @ u + b) - y) / s.sum()
    return z.T @ r, float(r.sum())


def kkt(z, y, s, u, b, alpha, rho, fit_intercept):
    """(max_j dist(-grad_j, alpha dg(u_j)), |df/db|) in the space of u."""
    g, gb = loss_grad(z, y, s, u, b)
    g = g + alpha * (1.0 - rho) * u
    l1 = alpha * rho
    viol = np.where(u != 0, np.abs(g + l1 * np.sign(u)), np.maximum(np.abs(g) - l1, 0.0))
    return float(viol.max()), (abs(gb) if fit_intercept else 0.0)


def xlogx(t):
    return np.where(t > 0, t * np.log(np.where(t > 0, t, 1.0)), 0.0)


def rel_duality_gap(z, y, s, u, b, alpha, rho, fit_intercept):
    """(P - D)/|P|, dual point theta = c (p - y - shift): the scaled gradient (c <= 1 for the
    lasso), shifted to sum_i s_i theta_i = 0 with an intercept: D is a lower bound anywhere."""
    m = s.sum()
    theta = sigmoid(z @ u + b) - y
    if fit_intercept:  # project onto the dual constraint sum_i s_i theta_i = 0
        theta = theta - np.sum(s * theta) / m
    assert np.all((theta + y > 0) & (theta + y < 1) | (s == 0))
    v = -(z.T @ (s * theta)) / (m * alpha)
    if rho == 1.0:
        c = min(1.0, 1.0 / max(np.max(np.abs(v)), 1e-300))
        theta, v = c * theta, c * v
        gstar = 0.0
    elif rho == 0.0:
        gstar = 0.5 * np.sum(v * v)
    else:
        gstar = np.sum(np.maximum(np.abs(v) - rho, 0.0) ** 2) / (2.0 * (1.0 - rho))
    t = theta + y
    dual = -np.sum(s * (xlogx(t) + xlogx(1.0 - t))) / m - alpha * gstar
    primal = objective(z, y, s, u, b, alpha, rho)
    return float((primal - dual) / abs(primal))


# ------------------------------------------------------------------- numpy reference (prox Newton)
def cd_quadratic(hmat, g, u, rho, alpha, fit_intercept, sweeps=20000):
    """min_d g.d + 1/2 d'Hd + alpha pen(u + d[:p]); d[p] is the intercept step (unpenalized)."""
    p = len(u)
    d = np.zeros(p + 1)
    hd = np.zeros(p + 1)
    coords = range(p + 1) if fit_intercept else range(p)
    for _ in range(sweeps):
        dmax = 0.0
        for j in coords:
            hjj = hmat[j, j]
            if hjj <= 0:
                continue
            c = g[j] + hd[j] - hjj * d[j]
            if j == p:
                new = -c / hjj
            else:
                a = hjj * u[j] - c
                v = np.sign(a) * max(abs(a) - alpha * rho, 0.0) / (hjj + alpha * (1.0 - rho))
                new = v - u[j]
            delta = new - d[j]
            if delta != 0.0:
                d[j] = new
                hd += delta * hmat[:, j]
                dmax = max(dmax, abs(delta))
        if dmax <= 1e-17 * max(1.0, np.max(np.abs(d))):
            break
    return d


def prox_newton(z, y, s, alpha, rho, fit_intercept, max_outer=500):
    n, p = z.shape
    m = s.sum()
    zt = np.hstack([z, np.ones((n, 1))])
    u = np.zeros(p)
    b = 0.0
    if fit_intercept:
        ybar = np.sum(s * y) / m
        b = float(np.log(ybar / (1.0 - ybar)))
    f = objective(z, y, s, u, b, alpha, rho)
    it = 0
    for it in range(1, max_outer + 1):
        pr = sigmoid(z @ u + b)
        h = s * pr * (1.0 - pr) / m
        hmat = zt.T @ (zt * h[:, None])
        gr = zt.T @ (s * (pr - y)) / m
        d = cd_quadratic(hmat, gr, u, rho, alpha, fit_intercept)
        if not fit_intercept:
            d[p] = 0.0
        decr = gr @ d + alpha * (pen(u + d[:p], rho) - pen(u, rho))
        t = 1.0
        while True:
            un, bn = u + t * d[:p], b + t * d[p]
            fn = objective(z, y, s, un, bn, alpha, rho)
            if fn <= f + 1e-4 * t * decr or t < 1e-12:
                break
            t *= 0.5
        if fn > f:  # no progress possible in floating point
            break
        u, b, f = un, bn, fn
        kv, kb = kkt(z, y, s, u, b, alpha, rho, fit_intercept)
        if max(kv, kb) <= 1e-15 or np.max(np.abs(d)) * t <= 1e-16 * max(1.0, np.max(np.abs(u))):
            break
    u, b = polish(z, y, s, u, b, alpha, rho, fit_intercept)
    return u, b, it


def polish(z, y, s, u, b, alpha, rho, fit_intercept):
    """Newton on the active set with signs fixed (smooth there); kept only if KKT improves."""
    n, p = z.shape
    m = s.sum()
    act = np.flatnonzero(u != 0) if rho > 0 else np.arange(p)
    cols = [z[:, act]] + ([np.ones((n, 1))] if fit_intercept else [])
    za = np.hstack(cols)
    best = (max(kkt(z, y, s, u, b, alpha, rho, fit_intercept)), u.copy(), b)
    if za.shape[1] == 0:
        return u, b
    sg = np.sign(u[act])
    cu, cb = u.copy(), b
    for _ in range(8):
        pr = sigmoid(z @ cu + cb)
        h = s * pr * (1.0 - pr) / m
        g = za.T @ (s * (pr - y)) / m
        g[: len(act)] += alpha * rho * sg + alpha * (1.0 - rho) * cu[act]
        hm = za.T @ (za * h[:, None])
        hm[: len(act), : len(act)] += alpha * (1.0 - rho) * np.eye(len(act))
        step = np.linalg.solve(hm, -g)
        nu = cu.copy()
        nu[act] += step[: len(act)]
        nb = cb + (step[len(act)] if fit_intercept else 0.0)
        if rho > 0 and np.any(np.sign(nu[act]) != sg):
            break
        cu, cb = nu, nb
        k = max(kkt(z, y, s, cu, cb, alpha, rho, fit_intercept))
        if k < best[0]:
            best = (k, cu.copy(), cb)
    return best[1], best[2]


# ------------------------------------------------------------------------------- scikit-learn
def run_sklearn(z, y, s, alpha, rho, fit_intercept, sw):
    """Fits on centered columns (intercept) for conditioning; returns (u, b) for z."""
    m = s.sum()
    mu = (s @ z) / m if fit_intercept else np.zeros(z.shape[1])
    zc = z - mu
    C = 1.0 / (m * alpha)
    if rho == 0.0:
        solver, tol, max_iter = "newton-cholesky", 1e-15, 1000
    else:
        solver, tol, max_iter = "saga", SAGA_TOL, SAGA_MAX_ITER
    est = LogisticRegression(C=C, l1_ratio=rho, solver=solver, tol=tol, max_iter=max_iter,
                             fit_intercept=fit_intercept, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        est.fit(zc, y.astype(int), sample_weight=sw)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    u = est.coef_.ravel().copy()
    b = float(est.intercept_[0]) - float(mu @ u) if fit_intercept else 0.0
    info = {"solver": solver, "tol": tol, "max_iter": max_iter, "n_iter": int(est.n_iter_[0]),
            "converged": converged, "C": float(C), "random_state": 0}
    return u, b, info


# ------------------------------------------------------------------------------------- glmnet
def run_glmnet(x, y, sw, alpha, rho, alpha_max_case, fit_intercept, standardize, sigma):
    """glmnet on x; standardized without an intercept, the script scales x itself (glmnet's own
    standardize=True divides by the centered std even when intercept=False, not by the RMS)."""
    by_script = standardize and not fit_intercept
    if by_script:
        x = x / sigma
    start = max(alpha_max_case / rho, alpha) * 1.0
    path = np.geomspace(start, alpha, 6) if start > alpha else np.array([alpha])
    path[-1] = alpha
    est = glmnet.LogitNet(alpha=rho, lambda_path=path, standardize=standardize and not by_script,
                          fit_intercept=fit_intercept, tol=GLMNET_THRESH, max_iter=10_000_000,
                          n_splits=0)
    est.fit(x, y.astype(int), sample_weight=sw)
    assert est.n_lambda_ == len(path), (est.n_lambda_, len(path))
    assert est.lambda_path_[-1] == alpha
    coef = est.coef_path_[0, :, -1] / (sigma if by_script else 1.0)
    b = float(est.intercept_path_[0, -1])
    info = {"lambda": float(alpha), "alpha": float(rho), "lambda_path": [float(v) for v in path],
            "thresh": GLMNET_THRESH,
            "standardize": bool(standardize and not by_script),
            "x_scaled_by_script": bool(by_script),
            "fit_intercept": bool(fit_intercept), "classes": [int(c) for c in est.classes_]}
    return coef, b, info


# ----------------------------------------------------------------------------------- the cases
def scales(x, s, fit_intercept):
    m = s.sum()
    if fit_intercept:
        mu = (s @ x) / m
        return np.sqrt((s @ (x - mu) ** 2) / m)
    return np.sqrt((s @ (x * x)) / m)


def alpha_max_of(z, y, s, fit_intercept):
    m = s.sum()
    pbar = np.sum(s * y) / m if fit_intercept else 0.5
    return float(np.max(np.abs(z.T @ (s * (pbar - y)))) / m)


def agreement(w_a, b_a, w_b, b_b):
    scale = max(1.0, float(np.max(np.abs(w_b))))
    return max(float(np.max(np.abs(w_a - w_b))), abs(b_a - b_b)) / scale


def flist(v):
    return [float(t) for t in v]


def solve_case(x, y, spec, worst):
    penalty, rel, fit_intercept, standardize, sw = (
        spec["penalty"], spec["alpha_rel"], spec["fit_intercept"], spec["standardize"],
        spec["sample_weight"])
    n, p = x.shape
    s = np.ones(n) if sw is None else np.asarray(sw, dtype=float)
    rho = {"lasso": 1.0, "enet": spec.get("l1_ratio", 0.5), "ridge": 0.0}[penalty]
    sigma = scales(x, s, fit_intercept) if standardize else np.ones(p)
    z = x / sigma
    amax = alpha_max_of(z, y, s, fit_intercept)
    alpha = amax * rel if rel != 1.0 else amax
    m = s.sum()

    def record(u, b, extra):
        kv, kb = kkt(z, y, s, u, b, alpha, rho, fit_intercept)
        out = {"coef": flist(u / sigma), "intercept": float(b),
               "objective": objective(z, y, s, u, b, alpha, rho),
               "kkt": kv, "kkt_intercept": kb,
               "rel_duality_gap": rel_duality_gap(z, y, s, u, b, alpha, rho, fit_intercept)}
        out.update(extra)
        return out

    u_ref, b_ref, iters = prox_newton(z, y, s, alpha, rho, fit_intercept)
    ref = record(u_ref, b_ref, {"solver": "numpy proximal Newton (CD on the IRLS quadratic) + "
                                          "active-set Newton polish", "n_outer": iters})
    u_sk, b_sk, sk_info = run_sklearn(z, y, s, alpha, rho, fit_intercept, sw)
    sk = record(u_sk, b_sk, sk_info)
    w_ref = u_ref / sigma
    agree = {"sklearn_vs_reference": agreement(u_sk / sigma, b_sk, w_ref, b_ref)}
    gl = None
    if penalty in ("lasso", "enet"):
        w_gl, b_gl, gl_info = run_glmnet(x, y, sw, alpha, rho, amax, fit_intercept, standardize,
                                         sigma)
        gl = record(w_gl * sigma, b_gl, gl_info)
        agree["glmnet_vs_reference"] = agreement(w_gl, b_gl, w_ref, b_ref)

    name = spec["name"]
    assert ref["kkt"] <= 1e-12 and ref["kkt_intercept"] <= 1e-12, (name, ref["kkt"])
    zscale = max(1.0, float(np.max(np.sqrt((s @ (z * z)) / m))))  # gradients scale with columns
    if rel == 1.0 and sk["kkt_intercept"] > 1e-9:
        # saga's stopping rule watches the coefficients only: with all of them at 0 it stops after
        # a few epochs while the intercept is still moving (measured |df/db| ~1e-7 at alpha_max;
        # ~1e-2 at 2 alpha_max). Looser bounds here, and a note in the file.
        sk["note"] = ("saga stops when the coefficients stop moving; at alpha_max they stay 0 "
                      "and the intercept is not converged (see kkt_intercept)")
        sk_kkt, sk_agree, key = 1e-6, 1e-5, "sklearn_vs_reference_at_alpha_max"
    else:
        sk_kkt, sk_agree, key = 1e-9 * zscale, TOL_SKLEARN, "sklearn_vs_reference"
    assert sk["kkt"] <= sk_kkt and sk["kkt_intercept"] <= sk_kkt, (name, sk["kkt"],
                                                                   sk["kkt_intercept"])
    assert agree["sklearn_vs_reference"] <= sk_agree, (name, agree)
    if gl is not None:
        assert gl["kkt"] <= 1e-6 * zscale and gl["kkt_intercept"] <= 1e-6, (
            name, gl["kkt"], gl["kkt_intercept"])
        assert agree["glmnet_vs_reference"] <= TOL_GLMNET, (name, agree)
    assert ref["rel_duality_gap"] <= 1e-12, (name, ref["rel_duality_gap"])
    if rel == 1.0:
        assert np.all(u_ref == 0.0), (name, u_ref)
    for k, v in agree.items():
        k = key if k == "sklearn_vs_reference" else k
        if v > worst.get(k, (0.0, ""))[0]:
            worst[k] = (v, f"{name} ({x.shape[0]}x{x.shape[1]})")
    print(f"  {name:28s} alpha={alpha:.6g} nnz={int(np.sum(u_ref != 0)):2d} "
          f"kkt ref={max(ref['kkt'], ref['kkt_intercept']):.1e} "
          f"sk={max(sk['kkt'], sk['kkt_intercept']):.1e}"
          + (f" gl={max(gl['kkt'], gl['kkt_intercept']):.1e}" if gl else "")
          + "  agree " + " ".join(f"{k.split('_')[0]}={v:.1e}" for k, v in agree.items()))
    return {
        "name": name, "penalty": penalty, "alpha": float(alpha), "alpha_max": amax,
        "alpha_rel": float(rel), "l1_ratio": rho, "fit_intercept": fit_intercept,
        "standardize": standardize, "x_scale": flist(sigma) if standardize else None,
        "sample_weight": None if sw is None else flist(sw), "sklearn_C": float(1.0 / (m * alpha)),
        "reference": ref, "sklearn": sk, "glmnet": gl, "agreement": agree,
    }


def specs(weights, std_all):
    out = []

    def add(name, penalty, rel, fit_intercept=True, standardize=std_all, sw=None, l1_ratio=None):
        d = {"name": name, "penalty": penalty, "alpha_rel": rel, "fit_intercept": fit_intercept,
             "standardize": standardize, "sample_weight": sw}
        if l1_ratio is not None:
            d["l1_ratio"] = l1_ratio
        out.append(d)

    add("lasso_rel0.5", "lasso", 0.5)
    add("lasso_rel0.1", "lasso", 0.1)
    add("lasso_rel0.02", "lasso", 0.02)
    add("enet0.5_rel0.5", "enet", 0.5, l1_ratio=0.5)
    add("enet0.5_rel0.05", "enet", 0.05, l1_ratio=0.5)
    add("ridge_rel0.1", "ridge", 0.1)
    add("lasso_weighted_rel0.1", "lasso", 0.1, sw=weights)
    add("lasso_nointercept_rel0.1", "lasso", 0.1, fit_intercept=False)
    if std_all:  # raw columns (cond 1e5): slow for saga, but it gets there at this alpha
        add("lasso_raw_rel0.1", "lasso", 0.1, standardize=False)
    else:
        add("lasso_standardized_rel0.1", "lasso", 0.1, standardize=True)
    add("lasso_rel1", "lasso", 1.0)
    return out


def separable(x, y):
    """True if some (w, b) has (2y-1)(xw+b) >= 1 for all i (LP feasibility)."""
    n, p = x.shape
    sgn = 2.0 * y - 1.0
    a = -sgn[:, None] * np.hstack([x, np.ones((n, 1))])
    res = linprog(np.zeros(p + 1), A_ub=a, b_ub=-np.ones(n), bounds=[(None, None)] * (p + 1))
    return res.status == 0


def make_small():
    rng = np.random.default_rng(19)
    n, p = 80, 12
    e = rng.standard_normal((n, p))
    x = e.copy()
    x[:, 1] = 0.8 * x[:, 0] + 0.6 * e[:, 1]  # corr 0.8 with column 0
    x[:, 2] = 0.6 * x[:, 0] + 0.8 * e[:, 2]
    x[:, 5] = 0.9 * x[:, 4] + np.sqrt(1 - 0.81) * e[:, 5]
    x += rng.uniform(-1.0, 1.0, p)  # non-centered columns
    w = np.zeros(p)
    w[[0, 3, 4, 8]] = [1.5, -1.0, 0.8, 0.5]
    eta = x @ w - (x.mean(0) @ w) + 0.4 + rng.standard_normal(n)
    y = (eta > 0).astype(float)
    desc = ("n=80, p=12, X ~ N(0,1) (numpy default_rng(19)) with x1 = 0.8x0 + 0.6e1, "
            "x2 = 0.6x0 + 0.8e2, x5 = 0.9x4 + 0.436e5, each column shifted by U(-1,1); "
            "w* = 1.5e0 - 1.0e3 + 0.8e4 + 0.5e8; y = 1{x.w* - mean(x).w* + 0.4 + N(0,1) > 0}")
    return x, y, w, desc


def make_cancer():
    data = load_breast_cancer()
    x = np.array(data.data[:150, :10], dtype=float)
    y = np.array(data.target[:150], dtype=float)
    desc = ("sklearn.datasets.load_breast_cancer(): first 150 rows, first 10 columns (" +
            ", ".join(data.feature_names[:10]) + "), raw values; y = target (1 = benign)")
    return x, y, None, desc


def main():
    versions = {"script": "scripts/make_logistic_fixtures.py", "python": platform.python_version(),
                "numpy": np.__version__, "scipy": scipy.__version__,
                "sklearn": sklearn.__version__, "glmnet": "python-glmnet " + glmnet.__version__}
    conventions = {
        "objective": "(1/m) sum_i s_i [log(1 + exp(eta_i)) - y_i eta_i] + alpha g(w), "
                     "eta = X w + b, y in {0,1}, m = sum_i s_i (n without weights), "
                     "b unpenalized (0 when fit_intercept is false)",
        "penalty": "lasso: ||w||_1; enet: rho ||w||_1 + (1-rho)/2 ||w||^2 (rho = l1_ratio); "
                   "ridge: 1/2 ||w||^2 (l1_ratio = 0)",
        "standardize": "solved on Z = X / x_scale with the penalty on u = x_scale * w; x_scale "
                       "= s-weighted population std (1/m) around the weighted mean with an "
                       "intercept, weighted RMS around 0 without; coef are mapped back (w)",
        "alpha_max": "||Z^T s (pbar - y)||_inf / m, pbar = weighted mean of y with an intercept, "
                     "1/2 without (the lasso's, of this case's weights / intercept / scaling); "
                     "alpha = alpha_rel * alpha_max, also for enet and ridge",
        "sklearn": "LogisticRegression(C = sklearn_C = 1/(m alpha), l1_ratio = rho), penalty not "
                   "passed (deprecated since 1.8); same minimiser",
        "glmnet": "LogitNet(alpha = rho, lambda_path ending at lambda = alpha, standardize as the "
                  "case, tol = thresh); glmnet's objective is the one above with lambda = alpha",
        "kkt": "max_j dist(-d/du_j loss, alpha dg(u_j)) in the penalized (u) space; "
               "kkt_intercept = |df/db|",
        "rel_duality_gap": "(P - D)/|P|, dual point theta = c (sigmoid(eta) - y - shift) (shift: "
                           "weighted mean, with an intercept; c <= 1 scales into the lasso's "
                           "dual ball); tiny negatives are rounding",
        "agreement": "max(max_j |w_j - w_ref_j|, |b - b_ref|) / max(1, max_j |w_ref_j|)",
        "matrices": "x is row-major [n][p]",
    }
    worst = {}
    for name, (x, y, wtrue, desc) in {"small": make_small(), "cancer": make_cancer()}.items():
        print(f"{name}: n={x.shape[0]} p={x.shape[1]} mean(y)={y.mean():.3f}")
        assert not separable(x, y), name
        wrng = np.random.default_rng(1919)
        weights = wrng.uniform(0.2, 3.0, x.shape[0])
        weights[7] = 0.0
        cases = [solve_case(x, y, sp, worst) for sp in specs(weights, std_all=(name == "cancer"))]
        out = {
            "meta": {"format_version": 1, "name": f"logistic_{name}",
                     "description": "penalized logistic regression references (issue #19): "
                                    "scikit-learn, python-glmnet and a numpy proximal Newton",
                     "generator": versions, "conventions": conventions},
            "problem": {"name": name, "description": desc, "n_samples": int(x.shape[0]),
                        "n_features": int(x.shape[1]),
                        "x": [flist(r) for r in x], "y": flist(y),
                        "w_true": None if wtrue is None else flist(wtrue)},
            "cases": cases,
        }
        path = ROOT / "tests" / "fixtures" / f"logistic_{name}.json"
        path.write_text(json.dumps(out, indent=1) + "\n")
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    for k, (v, case) in worst.items():
        print(f"worst {k}: {v:.3e} ({case})")


if __name__ == "__main__":
    sys.exit(main())
