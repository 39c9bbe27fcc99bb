#!/usr/bin/env python3
"""scikit-learn reference values for proxreg's RidgeCv (tests/fixtures/ridge_cv.json).

Run (from the repository root):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install numpy scipy scikit-learn==1.9.1
    .venv-fixtures/bin/python scripts/make_ridge_cv_fixtures.py

Two seeded data sets (PCG64): a tall one (n = 60 > p = 8, correlated columns) and a wide one
(n = 20 < p = 40). For each, with and without intercept, on a given alpha grid (decreasing,
scikit-learn's Ridge convention ||y - Xw - b||^2 + alpha ||w||^2):

* ``RidgeCV(alphas, fit_intercept, store_cv_results=True)`` (efficient leave-one-out,
  gcv_mode='auto': SVD of the centered design for n > p, eigen-decomposition of X X^T for
  p > n): ``loo`` = ``cv_results_.mean(axis=0)`` (mean squared leave-one-out error per alpha),
  ``loo_sq_errors`` = ``cv_results_`` (n x n_alphas), ``alpha_``, ``coef_``, ``intercept_``;
* ``GridSearchCV(Ridge(fit_intercept), {"alpha": alphas}, cv=KFold(5),
  scoring="neg_mean_squared_error")``: ``kfold_mse`` = -split{k}_test_score ([alpha][fold]),
  ``kfold_mean`` = -mean_test_score, ``kfold_best_index`` = best_index_.

Floats are written with repr (exact float64 bits).
"""
import json
import pathlib

import numpy as np
import scipy
import sklearn
from sklearn.linear_model import Ridge, RidgeCV
from sklearn.model_selection import GridSearchCV, KFold

ROOT = pathlib.Path(__file__).resolve().parent.parent
rng = np.random.Generator(np.random.PCG64(20261127))


def tall():
    n, p = 60, 8
    z = rng.standard_normal((n, p))
    x = z.copy()
    x[:, 1] = 0.8 * z[:, 0] + 0.6 * z[:, 1]
    x[:, 5] = 3.0 * z[:, 5] + 2.0
    w = np.array([1.5, -2.0, 0.0, 0.5, 0.0, 0.3, 0.0, -1.0])
    y = x @ w + 0.7 * rng.standard_normal(n) + 4.0
    return x, y


def wide():
    n, p = 20, 40
    x = rng.standard_normal((n, p)) + 0.5
    w = np.zeros(p)
    w[[0, 3, 7, 11]] = [2.0, -1.0, 1.5, 0.8]
    y = x @ w + 0.5 * rng.standard_normal(n) - 1.0
    return x, y


alphas = [float(a) for a in np.logspace(3, -3, 13)]
sets = {"tall": tall(), "wide": wide()}
cases = []
for name, (x, y) in sets.items():
    for fi in [True, False]:
        r = RidgeCV(alphas=alphas, fit_intercept=fi, store_cv_results=True).fit(x, y)
        cvr = np.asarray(r.cv_results_)
        gs = GridSearchCV(
            Ridge(fit_intercept=fi),
            {"alpha": alphas},
            cv=KFold(5),
            scoring="neg_mean_squared_error",
        ).fit(x, y)
        res = gs.cv_results_
        kmse = [[float(-res[f"split{k}_test_score"][a]) for k in range(5)] for a in range(len(alphas))]
        cases.append(
            {
                "id": f"{name}_{'intercept' if fi else 'nointercept'}",
                "data": name,
                "fit_intercept": fi,
                "loo": [float(v) for v in cvr.mean(axis=0)],
                "loo_sq_errors": [[float(v) for v in row] for row in cvr],
                "alpha": float(r.alpha_),
                "coef": [float(v) for v in r.coef_],
                "intercept": float(r.intercept_),
                "kfold_mse": kmse,
                "kfold_mean": [float(-v) for v in res["mean_test_score"]],
                "kfold_best_index": int(gs.best_index_),
            }
        )

(xt, yt), (xw, yw) = sets["tall"], sets["wide"]
out = {
    "generator": {
        "script": "scripts/make_ridge_cv_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    },
    "alphas": alphas,
    "data": {
        "tall": {"x": [[float(v) for v in row] for row in xt], "y": [float(v) for v in yt]},
        "wide": {"x": [[float(v) for v in row] for row in xw], "y": [float(v) for v in yw]},
    },
    "cases": cases,
}
(ROOT / "tests/fixtures/ridge_cv.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote tests/fixtures/ridge_cv.json with", len(cases), "cases")
