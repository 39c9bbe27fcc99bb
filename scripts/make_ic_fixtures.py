#!/usr/bin/env python3
"""scikit-learn LassoLarsIC reference values for proxreg's information criteria
(tests/fixtures/lasso_ic.json).

Run: .venv-fixtures/bin/python scripts/make_ic_fixtures.py (numpy, scipy, scikit-learn==1.9.1).

Seeded data (PCG64, n = 80, p = 10, 4 true features). For criterion in {aic, bic} and
fit_intercept in {True, False}: LassoLarsIC(criterion, fit_intercept) -> alphas_ (the LARS
kinks), criterion_, noise_variance_, alpha_, and the number of non-zero coefficients per kink
(|coef| > machine epsilon, as scikit-learn counts them).
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.linear_model import LassoLarsIC

ROOT = pathlib.Path(__file__).resolve().parent.parent
rng = np.random.Generator(np.random.PCG64(7070))
n, p = 80, 10
x = rng.standard_normal((n, p)) + np.linspace(0.0, 2.0, p)
w = np.zeros(p)
w[[0, 2, 5, 8]] = [1.5, -2.0, 0.7, 1.0]
y = x @ w + rng.standard_normal(n) + 3.0
cases = []
for crit in ["aic", "bic"]:
    for fi in [True, False]:
        m = LassoLarsIC(criterion=crit, fit_intercept=fi).fit(x, y)
        _, _, coef_path = __import__("sklearn").linear_model.lars_path(
            x - x.mean(0) if fi else x, y - y.mean() if fi else y, method="lasso"
        )
        df = (np.abs(coef_path) > np.finfo(coef_path.dtype).eps).sum(axis=0)
        cases.append(
            {
                "criterion": crit,
                "fit_intercept": fi,
                "alphas": [float(a) for a in m.alphas_],
                "criterion_values": [float(c) for c in m.criterion_],
                "noise_variance": float(m.noise_variance_),
                "alpha": float(m.alpha_),
                "df": [int(d) for d in df],
            }
        )
out = {
    "generator": {"script": "scripts/make_ic_fixtures.py", "sklearn": sklearn.__version__, "numpy": np.__version__},
    "x": [[float(v) for v in row] for row in x],
    "y": [float(v) for v in y],
    "cases": cases,
}
(ROOT / "tests/fixtures/lasso_ic.json").write_text(json.dumps(out, indent=1) + "\n")
for c in cases:
    print(c["criterion"], c["fit_intercept"], len(c["alphas"]), len(c["df"]), c["alpha"], c["noise_variance"])
