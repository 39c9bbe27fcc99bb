"""Reference values from glmnet (python-glmnet, the Fortran glmnet) for proxreg's converters.

Run (python-glmnet installs from a binary wheel on CPython 3.11 / x86-64 Linux):

    python3 -m venv .venv-glmnet
    .venv-glmnet/bin/pip install numpy scikit-learn glmnet==2.6.1
    .venv-glmnet/bin/python scripts/make_glmnet_fixtures.py

It fits glmnet's gaussian elastic net on the `estimators_iid` design (read from
tests/fixtures/estimators_iid.json, so the data are the scikit-learn fixtures' own) for a few
(lambda, a) pairs, without standardization and with an intercept, and writes
tests/fixtures/glmnet_iid.json with the coefficients, intercepts and the y scale s_y (1/n sd).
Each fit is given a lambda path ending at the target lambda (glmnet is meant to be run along a
path; a single lambda works too) with a tight convergence threshold.
"""
import json
import pathlib

import numpy as np
import glmnet

ROOT = pathlib.Path(__file__).resolve().parent.parent
src = json.loads((ROOT / "tests/fixtures/estimators_iid.json").read_text())
X = np.asarray(src["problem"]["x"], dtype=np.float64)
y = np.asarray(src["problem"]["y"], dtype=np.float64)
n = X.shape[0]
s_y = float(np.sqrt(np.mean((y - y.mean()) ** 2)))

cases = []
for a in [1.0, 0.5, 0.2]:
    lam_max = float(np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / n / max(a, 1e-3))
    for rel in [0.3, 0.05]:
        target = rel * lam_max
        path = np.geomspace(lam_max, target, 20)
        m = glmnet.ElasticNet(alpha=a, lambda_path=path, standardize=False, fit_intercept=True,
                              tol=1e-14, max_iter=1_000_000, n_splits=0)
        m.fit(X, y)
        coef = m.coef_path_[:, -1]
        b = float(m.intercept_path_[-1])
        lam = float(m.lambda_path_[-1])
        cases.append({"id": f"glmnet_a{a}_rel{rel}", "lambda": lam, "a": a, "y_scale": s_y,
                      "coef": [float(v) for v in coef], "intercept": b})

out = {"generator": {"script": "scripts/make_glmnet_fixtures.py", "glmnet": glmnet.__version__,
                     "numpy": np.__version__},
       "data": "estimators_iid (problem.x, problem.y)", "fit_intercept": True, "standardize": False,
       "cases": cases}
(ROOT / "tests/fixtures/glmnet_iid.json").write_text(json.dumps(out, indent=1))
print(f"wrote {len(cases)} cases; s_y = {s_y}")
