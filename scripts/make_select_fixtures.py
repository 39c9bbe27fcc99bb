#!/usr/bin/env python3
"""scikit-learn LassoLarsIC on the diabetes data as `proxreg select` sees it
(tests/fixtures/diabetes_ic.json).

Run: /path/to/venv/bin/python scripts/make_select_fixtures.py (numpy, scipy, scikit-learn==1.9.1).

Data: crates/proxreg-cli/data/diabetes.csv (the embedded CSV: 442 rows, features age..s6,
target y), read here directly; the script also checks that it equals scikit-learn's
load_diabetes(scaled=False), so the CLI's embedded data and scikit-learn's are the same numbers.

For criterion in {aic, bic}: LassoLarsIC(criterion, fit_intercept=True) -> alphas_ (the LARS
kinks), criterion_, noise_variance_, alpha_, coef_, intercept_, and the number of non-zero
coefficients at every kink (|coef| > machine epsilon, as scikit-learn counts them).
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LassoLarsIC, lars_path

ROOT = pathlib.Path(__file__).resolve().parent.parent
csv = ROOT / "crates/proxreg-cli/data/diabetes.csv"
names = csv.read_text().splitlines()[0].split(",")
table = np.loadtxt(csv, delimiter=",", skiprows=1)
x, y = table[:, :-1], table[:, -1]
ref = load_diabetes(scaled=False)
assert np.array_equal(x, ref.data) and np.array_equal(y, ref.target), "embedded CSV != sklearn"

cases = []
for crit in ["aic", "bic"]:
    m = LassoLarsIC(criterion=crit, fit_intercept=True).fit(x, y)
    _, _, coef_path = lars_path(x - x.mean(0), y - y.mean(), method="lasso")
    df = (np.abs(coef_path) > np.finfo(coef_path.dtype).eps).sum(axis=0)
    assert len(df) == len(m.alphas_)
    cases.append(
        {
            "criterion": crit,
            "alphas": [float(a) for a in m.alphas_],
            "criterion_values": [float(c) for c in m.criterion_],
            "df": [int(d) for d in df],
            "noise_variance": float(m.noise_variance_),
            "alpha": float(m.alpha_),
            "coef": [float(c) for c in m.coef_],
            "intercept": float(m.intercept_),
        }
    )
out = {
    "generator": {
        "script": "scripts/make_select_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
    },
    "data": "crates/proxreg-cli/data/diabetes.csv",
    "feature_names": names[:-1],
    "cases": cases,
}
(ROOT / "tests/fixtures/diabetes_ic.json").write_text(json.dumps(out, indent=1) + "\n")
for c in cases:
    i = int(np.argmin(c["criterion_values"]))
    print(c["criterion"], len(c["alphas"]), "alpha_", c["alpha"], "index", i, "df", c["df"][i],
          "min", c["criterion_values"][i], "sigma2", c["noise_variance"])
