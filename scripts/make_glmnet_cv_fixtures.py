#!/usr/bin/env python3
"""glmnet cross-validation reference values (cvm, cvsd, lambda.min, lambda.1se with a given
foldid) for proxreg's LassoCv (tests/fixtures/glmnet_cv.json).

python-glmnet 2.2.1 (the Fortran glmnet) is the newest release on PyPI; its wheel is built
against numpy 1.x, so it needs its own environment:

    python3 -m venv .venv-glmnet
    .venv-glmnet/bin/pip install "numpy<2" "scikit-learn<1.6" glmnet==2.2.1
    .venv-glmnet/bin/python scripts/make_glmnet_cv_fixtures.py

python-glmnet takes glmnet's `foldid` as `groups` (sklearn's GroupKFold with n_splits = the
number of distinct ids: every id is one fold; fold order does not change means or standard
errors). Its cv_mean_score_ is the mean over folds of the per-fold score (here
glmnet.scorer's "mean_squared_error", a negated MSE, so cvm = -cv_mean_score_) and cv_standard_error_ is scipy.stats.sem
(sample sd / sqrt(K)), glmnet's cvsd with equal fold weights. lambda_max_ is glmnet's
lambda.min and lambda_best_ its lambda.1se (cut_point = 1).

Only the Lasso (glmnet alpha = 1) is compared: there glmnet's lambda is proxreg's alpha on every
fold; for alpha < 1 glmnet rescales the ridge part by each fold's sd(y) (see
docs/conventions.md), so fold fits are not the same problems.

Data: the estimators_iid design (tests/fixtures/estimators_iid.json), no standardization, with
an intercept; fold ids i % 5 (interleaved, not contiguous); a given lambda path of 20 values
log-spaced from lambda_max (of the centered data) down to 0.01 lambda_max; tol = 1e-14.
"""
import json
import pathlib

import numpy as np
import glmnet
import sklearn
from glmnet import ElasticNet

ROOT = pathlib.Path(__file__).resolve().parent.parent
src = json.loads((ROOT / "tests/fixtures/estimators_iid.json").read_text())
X = np.asarray(src["problem"]["x"], dtype=np.float64)
y = np.asarray(src["problem"]["y"], dtype=np.float64)
n = X.shape[0]
foldid = np.arange(n) % 5
xc = X - X.mean(0)
lmax = np.max(np.abs(xc.T @ (y - y.mean()))) / n
lambdas = lmax * np.logspace(0, -2, 20)
m = ElasticNet(
    alpha=1.0,
    lambda_path=lambdas,
    standardize=False,
    fit_intercept=True,
    n_splits=5,
    scoring="mean_squared_error",
    tol=1e-14,
    max_iter=1000000,
)
m.fit(X, y, groups=foldid)
assert len(m.lambda_path_) == len(lambdas), "glmnet stopped the path early"
assert np.all(m.cv_mean_score_ <= 0), "the scorer is expected to negate the MSE"
assert np.allclose(m.lambda_path_, lambdas, rtol=1e-14, atol=0)
out = {
    "generator": {
        "script": "scripts/make_glmnet_cv_fixtures.py",
        "glmnet": getattr(glmnet, "__version__", "2.2.1"),
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
    },
    "data": "estimators_iid (problem.x, problem.y)",
    "fold_ids": [int(v) for v in foldid],
    "lambdas": [float(v) for v in m.lambda_path_],
    "cvm": [float(-v) for v in m.cv_mean_score_],
    "cvsd": [float(v) for v in m.cv_standard_error_],
    "lambda_min": float(m.lambda_max_),
    "lambda_1se": float(m.lambda_best_[0] if np.ndim(m.lambda_best_) else m.lambda_best_),
    "index_min": int(m.lambda_max_inx_),
    "index_1se": int(m.lambda_best_inx_[0] if np.ndim(m.lambda_best_inx_) else m.lambda_best_inx_),
}
(ROOT / "tests/fixtures/glmnet_cv.json").write_text(json.dumps(out, indent=1) + "\n")
print(out["index_min"], out["index_1se"], out["cvm"][:3], out["cvsd"][:3])
