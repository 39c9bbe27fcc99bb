#!/usr/bin/env python3
"""Reference fixtures for tight tolerances (tests/fixtures/tight_*.json).

How to run (from the repository root):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install numpy scipy scikit-learn
    .venv-fixtures/bin/python scripts/make_tight_fixtures.py

What it writes, in the schema of scripts/make_fixtures.py (read by the test-only crate
proxreg-fixtures):

* ``tight_dup.json``: a design with two identical columns (2 and 7). Elastic Net fits, whose
  unique optimum splits the two columns' weight equally (the grouping effect).
* ``tight_corr.json``: an ill-conditioned AR(1) design (correlation 0.99 between neighbours,
  condition number of X^T X about 1e4). Lasso and Elastic Net at alpha_max * {1, 1 - 1e-3,
  0.1, 0.01}.
* ``tight_multitask.json``: MultiTaskLasso and MultiTaskElasticNet at alpha_max *
  {1, 1 - 1e-3, 0.1}.

``alpha_max`` is computed as scikit-learn computes the top of its grids
(``max_j ||x_j^T Y||_2 / (n * l1_ratio)``, ``_alpha_grid`` with ``fit_intercept=False``),
so it differs from proxreg's own value by rounding only. Every fit is scikit-learn at
``tol=1e-14`` (the strictest relative gap its float64 coordinate descent reaches) and
``max_iter=10**6``.

Independent check of every single-task reference (not only scikit-learn's own gap): on the
support S and signs s of scikit-learn's solution, the optimum solves the linear system
``(X_S^T X_S / n + alpha (1 - rho) I) w_S = X_S^T y / n - alpha rho s``; the script solves it
by a Cholesky factorisation, asserts that the solution keeps the signs and that the KKT
conditions hold off the support, and asserts that scikit-learn's coefficients agree with it
to 1e-10 (measured maxima are printed). The stored ``coef`` is scikit-learn's.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import scipy.linalg
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, MultiTaskElasticNet, MultiTaskLasso

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures")
TOL = 1e-14
MAX_ITER = 1_000_000
AGREE = 1e-10


def generator():
    return {
        "script": "scripts/make_tight_fixtures.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "glmnet": None,
    }


def sparse_vector(rng, p, s):
    w = np.zeros(p)
    support = np.sort(rng.choice(p, size=s, replace=False))
    w[support] = rng.choice([-1.0, 1.0], size=s) * rng.uniform(1.0, 2.0, size=s)
    return w


def alpha_max(x, y, rho):
    """scikit-learn's top of the grid (fit_intercept=False): max_j ||x_j^T Y||_2 / (n rho)."""
    xy = x.T @ y
    if xy.ndim == 1:
        xy = xy[:, None]
    return float(np.sqrt(np.sum(xy**2, axis=1)).max() / (x.shape[0] * rho))


def objective(x, y, w, alpha, rho):
    n = x.shape[0]
    r = y - x @ w
    return float(
        0.5 * np.sum(r**2) / n
        + alpha * (rho * np.sum(np.abs(w)) + 0.5 * (1 - rho) * np.sum(w**2))
    )


def kkt(x, y, w, alpha, rho):
    n = x.shape[0]
    g = -x.T @ (y - x @ w) / n + alpha * (1 - rho) * w
    a = alpha * rho
    d = np.where(w != 0, np.abs(g + a * np.sign(w)), np.maximum(np.abs(g) - a, 0.0))
    return float(d.max())


def exact_on_support(x, y, w, alpha, rho):
    """The optimum on the support and signs of w, by one Cholesky solve."""
    n, p = x.shape
    s = np.flatnonzero(w)
    out = np.zeros(p)
    if len(s) == 0:
        return out
    xs = x[:, s]
    h = xs.T @ xs / n + alpha * (1 - rho) * np.eye(len(s))
    b = xs.T @ y / n - alpha * rho * np.sign(w[s])
    out[s] = scipy.linalg.cho_solve(scipy.linalg.cho_factor(h), b)
    assert np.all(np.sign(out[s]) == np.sign(w[s])), "support solve changed a sign"
    return out


def single_fit(x, y, rho, alpha, alpha_rel, cid):
    est_cls = Lasso if rho == 1.0 else ElasticNet
    kw = dict(alpha=alpha, fit_intercept=False, tol=TOL, max_iter=MAX_ITER)
    if rho != 1.0:
        kw["l1_ratio"] = rho
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m = est_cls(**kw).fit(x, y)
    w = np.asarray(m.coef_, dtype=float)
    exact = exact_on_support(x, y, w, alpha, rho)
    scale = max(1.0, float(np.abs(exact).max()))
    diff = float(np.abs(w - exact).max()) / scale
    k_exact = kkt(x, y, exact, alpha, rho)
    g0 = float(np.abs(x.T @ y).max()) / x.shape[0]
    print(f"  {cid}: |sklearn - support solve| / max(1, |w|) = {diff:.2e}, "
          f"KKT(support solve) / ||grad f(0)|| = {k_exact / g0:.2e}, nnz = {np.count_nonzero(w)}")
    assert diff <= AGREE, f"{cid}: scikit-learn and the support solve differ by {diff:e}"
    assert k_exact <= 1e-12 * g0, f"{cid}: support solve KKT {k_exact:e}"
    return {
        "id": cid,
        "estimator": "Lasso" if rho == 1.0 else "ElasticNet",
        "data": "main",
        "dtype": "float64",
        "alpha": alpha,
        "alpha_rel": alpha_rel,
        "l1_ratio": rho,
        "fit_intercept": False,
        "positive": False,
        "sample_weight": None,
        "solver": "sklearn coordinate descent",
        "tol": TOL,
        "max_iter": MAX_ITER,
        "converged": True,
        "coef": [float(v) for v in w],
        "intercept": 0.0,
        "objective": objective(x, y, w, alpha, rho),
        "dual_gap": float(m.dual_gap_),
        "n_iter": int(m.n_iter_),
        "kkt_violation": kkt(x, y, w, alpha, rho),
    }


def problem(name, desc, x, y, w):
    n, p = x.shape
    return {
        "name": name,
        "description": desc,
        "n_samples": n,
        "n_features": p,
        "x": x.tolist(),
        "y": y.tolist(),
        "w_true": w.tolist(),
        "sample_weight": None,
        "intercept_true": None,
    }


def write(name, desc, body):
    doc = {"format_version": 1, "name": name, "description": desc, "generator": generator()}
    doc.update(body)
    path = os.path.join(OUT_DIR, f"{name}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


REL = [1.0, 1.0 - 1e-3, 0.1, 0.01]


def make_single(name, desc, x, y, w, cases):
    print(name)
    fits = []
    for rho, rels in cases:
        amax = alpha_max(x, y, rho)
        for rel in rels:
            alpha = amax * rel
            cid = f"{'lasso' if rho == 1.0 else f'enet{rho}'}_rel{rel!r}"
            fits.append(single_fit(x, y, rho, alpha, rel, cid))
    write(name, desc, {"problem": problem(name, desc, x, y, w), "fits": fits})


def main():
    os.makedirs(OUT_DIR, exist_ok=True)

    rng = np.random.default_rng(2026_1203_1)
    n, p = 50, 8
    x = rng.standard_normal((n, p))
    x[:, 7] = x[:, 2]
    w = sparse_vector(rng, p, 4)
    w[2], w[7] = 1.5, 0.0
    y = x @ w + 0.5 * rng.standard_normal(n)
    make_single(
        "tight_dup",
        "n=50, p=8, X ~ N(0,1) with column 7 an exact copy of column 2; y = Xw* + 0.5 eps",
        x, y, w,
        [(0.5, [0.1, 0.01]), (0.2, [0.1])],
    )

    rng = np.random.default_rng(2026_1203_2)
    n, p = 60, 20
    e = rng.standard_normal((n, p))
    x = np.empty((n, p))
    x[:, 0] = e[:, 0]
    c = 0.99
    for j in range(1, p):
        x[:, j] = c * x[:, j - 1] + np.sqrt(1 - c * c) * e[:, j]
    w = sparse_vector(rng, p, 5)
    y = x @ w + 0.5 * rng.standard_normal(n)
    ev = np.linalg.eigvalsh(x.T @ x)
    print(f"tight_corr: cond(X^T X) = {ev[-1] / ev[0]:.3e}")
    make_single(
        "tight_corr",
        "n=60, p=20, AR(1) with correlation 0.99 between neighbouring columns; y = Xw* + 0.5 eps",
        x, y, w,
        [(1.0, REL), (0.5, REL)],
    )

    print("tight_multitask")
    rng = np.random.default_rng(2026_1203_3)
    n, p, k = 40, 12, 3
    x = rng.standard_normal((n, p))
    wt = np.zeros((p, k))
    rows = np.sort(rng.choice(p, size=4, replace=False))
    wt[rows] = rng.choice([-1.0, 1.0], size=(4, k)) * rng.uniform(1.0, 2.0, size=(4, k))
    yy = x @ wt + 0.5 * rng.standard_normal((n, k))
    fits = []
    for rho in [1.0, 0.5]:
        amax = alpha_max(x, yy, rho)
        for rel in [1.0, 1.0 - 1e-3, 0.1]:
            alpha = amax * rel
            cls = MultiTaskLasso if rho == 1.0 else MultiTaskElasticNet
            kw = dict(alpha=alpha, fit_intercept=False, tol=TOL, max_iter=MAX_ITER)
            if rho != 1.0:
                kw["l1_ratio"] = rho
            with warnings.catch_warnings():
                warnings.simplefilter("error", ConvergenceWarning)
                m = cls(**kw).fit(x, yy)
            wc = m.coef_.T
            r = yy - x @ wc
            obj = 0.5 * np.sum(r**2) / n + alpha * (
                rho * np.sum(np.linalg.norm(wc, axis=1)) + 0.5 * (1 - rho) * np.sum(wc**2)
            )
            g = -x.T @ r / n + alpha * (1 - rho) * wc
            a = alpha * rho
            nr = np.linalg.norm(wc, axis=1)
            d = np.where(
                nr > 0,
                np.linalg.norm(g + a * wc / np.where(nr > 0, nr, 1)[:, None], axis=1),
                np.maximum(np.linalg.norm(g, axis=1) - a, 0.0),
            )
            cid = f"{'mtlasso' if rho == 1.0 else 'mtenet0.5'}_rel{rel!r}"
            print(f"  {cid}: nonzero rows {int(np.count_nonzero(nr))}, KKT {d.max():.2e}")
            fits.append({
                "id": cid,
                "estimator": "MultiTaskLasso" if rho == 1.0 else "MultiTaskElasticNet",
                "alpha": alpha,
                "alpha_rel": rel,
                "l1_ratio": rho,
                "fit_intercept": False,
                "tol": TOL,
                "max_iter": MAX_ITER,
                "converged": True,
                "coef": wc.tolist(),
                "intercept": [0.0] * k,
                "objective": float(obj),
                "dual_gap": float(m.dual_gap_),
                "n_iter": int(m.n_iter_),
                "kkt_violation": float(d.max()),
            })
    mdesc = "n=40, p=12, k=3, X ~ N(0,1), row-sparse W* (4 rows), Y = XW* + 0.5 E"
    write("tight_multitask", mdesc, {
        "multitask_problem": {
            "name": "tight_multitask",
            "description": mdesc,
            "n_samples": n,
            "n_features": p,
            "n_tasks": k,
            "x": x.tolist(),
            "y": yy.tolist(),
            "w_true": wt.tolist(),
            "intercept_true": None,
        },
        "multitask_fits": fits,
    })


if __name__ == "__main__":
    sys.exit(main())
