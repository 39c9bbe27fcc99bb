#!/usr/bin/env python3
"""Cross-validated logistic regression reference (tests/fixtures/logistic_cv_sklearn.json),
issue #19: scikit-learn's LogisticRegressionCV(scoring="neg_log_loss") on logistic_small.

Run (the versions of scripts/make_logistic_fixtures.py: Python 3.11, numpy 2.4.6,
scikit-learn 1.9.1):

    .venv-fixtures/bin/python scripts/make_logistic_cv_fixture.py

Ridge-penalised logistic regression (l1_ratio = 0: newton-cholesky solves it to rounding; saga,
scikit-learn's only solver for l1, does not reach 1e-8 in reasonable time) on 4 contiguous
folds of the 80 rows (KFold(4) without shuffling: 60 training rows in every fold). proxreg's
alpha and scikit-learn's C are related by C = 1/(m alpha) with m = 60 the training rows of a
fold, the same for every fold. scikit-learn's score for a fold is the mean log loss of its
held-out rows, negated: proxreg's binomial deviance is -2 times it.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import log_loss
from sklearn.model_selection import KFold

warnings.simplefilter("error")
warnings.simplefilter("default", category=sklearn.exceptions.ConvergenceWarning)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIX = os.path.join(ROOT, "tests", "fixtures")

with open(os.path.join(FIX, "logistic_small.json")) as f:
    small = json.load(f)
prob = small["problem"]
n, p = prob["n_samples"], prob["n_features"]
x = np.array(prob["x"], dtype=float)  # row-major [n][p]
y = np.array(prob["y"], dtype=float)
assert x.shape == (n, p)

n_splits = 4
splits = list(KFold(n_splits).split(x))
m_train = {len(tr) for tr, _ in splits}
assert m_train == {60}, m_train
m = 60
alphas = [0.3, 0.1, 0.03, 0.01, 0.003, 0.001]
cs = [1.0 / (m * a) for a in alphas]

cv = LogisticRegressionCV(
    Cs=cs,
    cv=splits,
    l1_ratios=(0.0,),
    solver="newton-cholesky",
    tol=1e-12,
    max_iter=1000,
    scoring="neg_log_loss",
    refit=True,
    use_legacy_attributes=True,
)
cv.fit(x, y)
scores = np.asarray(cv.scores_[1.0]).reshape(n_splits, len(cs))
# an independent check of scikit-learn's scores from its own fold models
coefs = np.asarray(cv.coefs_paths_[1.0]).reshape(n_splits, len(cs), p + 1)
for k, (_, te) in enumerate(splits):
    for a in range(len(cs)):
        eta = x[te] @ coefs[k, a, :p] + coefs[k, a, p]
        prob1 = 1.0 / (1.0 + np.exp(-eta))
        ll = log_loss(y[te], prob1, labels=[0.0, 1.0])
        assert abs(ll + scores[k, a]) < 1e-12, (k, a, ll, scores[k, a])

out = {
    "meta": {
        "name": "logistic_cv_sklearn",
        "description": "scikit-learn LogisticRegressionCV(scoring='neg_log_loss'), ridge "
        "(l1_ratio 0), newton-cholesky tol 1e-12, on logistic_small with KFold(4) (no shuffle)",
        "generator": {
            "script": "scripts/make_logistic_cv_fixture.py",
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
        },
        "conventions": "alpha = 1/(60 C) (60 training rows per fold); "
        "deviance[alpha][fold] = -2 * neg_log_loss score",
    },
    "n_splits": n_splits,
    "test_folds": [te.tolist() for _, te in splits],
    "alphas": alphas,
    "Cs": cs,
    "deviance": [[-2.0 * scores[k, a] for k in range(n_splits)] for a in range(len(cs))],
    "C_selected": float(np.ravel(cv.C_)[0]),
    "refit_coef": np.ravel(cv.coef_).tolist(),
    "refit_intercept": float(np.ravel(cv.intercept_)[0]),
}
with open(os.path.join(FIX, "logistic_cv_sklearn.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("C_ =", out["C_selected"], "alpha =", 1.0 / (m * out["C_selected"]))
