#!/usr/bin/env python3
"""scikit-learn on a sparse (CSR) design, as reference for `proxreg --data FILE.svm` (issue #20):
tests/fixtures/sparse_small.svm, sparse_small_binary.svm and sparse_small.json.

Run: /work/venv-fx/bin/python scripts/make_svmlight_cli_fixture.py (numpy, scipy,
scikit-learn==1.9.1; any venv with them). Deterministic: with the same versions it rewrites
byte-identical files. (scripts/make_svmlight_fixture.py is the reader's cross-check, a
different thing: tiny files with extreme values for proxreg-io.)

Data (PCG64 seed 2020): n = 120, p = 300, about 3 % of the entries nonzero, nonzero values
N(1, 1) times a per-column scale exp(U(-1, 1)) (columns with nonzero means and unequal scales,
so that the intercept and standardization matter; some columns are empty), w* with 10
nonzeros, y = X w* + 2 + 0.3 eps. Written one-based by dump_svmlight_file: sparse_small.svm
with y as the label, sparse_small_binary.svm with the labels -1 / 1 (1{X w* + logistic noise >
median}) on the same rows. Every reference is computed on what load_svmlight_file reads back
from the files (dump writes 16 significant digits), as a scipy CSR matrix: nothing is
densified for scikit-learn either.

Cases (each with fit_intercept=True, tol 1e-12 / max_iter 1e6 for coordinate descent):
- Lasso and ElasticNet(l1_ratio 0.5) at alpha_max * {0.3, 0.05} (alpha_max of the centered
  data and of that l1_ratio): proxreg's `fit --alpha A [--penalty elastic-net --l1-ratio 0.5]`.
- The same with standardization, proxreg's `--standardize` (docs/conventions.md,
  crates/proxreg-solvers/src/problem.rs): the penalty applies to the coefficients of the columns
  centered (with an intercept) and divided by their population (1/n) standard deviation,
  sigma_j = sqrt(mean((x_j - mean(x_j))^2)); a constant (e.g. empty) column keeps scale 1; the
  coefficients and the intercept are reported on the original scale. Emulated: Lasso /
  ElasticNet(fit_intercept=True) on X / sigma (CSR, column scaling keeps it sparse; the
  centering is scikit-learn's own, implied by fit_intercept), then coef = coef_std / sigma,
  intercept = mean(y) - mean(X) . coef. alpha_max is the standardized one.
- A Lasso path: Lasso at 6 alphas alpha_max * geomspace(1, 0.01, 6) (independent fits; the
  problem is convex, so the path's warm starts do not change the minimisers).
- LassoCV(alphas = those 6, cv = KFold(5) without shuffling, i.e. contiguous folds):
  mse_path [alpha][fold] (alphas decreasing) and alpha_, proxreg's `cv --folds 5 --alphas ...`.
- L1 logistic regression on the binary file: LogisticRegression(C = 1/(n alpha), l1_ratio=1,
  solver="saga", tol 1e-15, max_iter 1e6) at alpha_max * {0.5, 0.2} (alpha_max =
  ||X^T(ybar - y)||_inf / n of the 0/1 labels), plain and standardized (saga on X / sigma, as
  above). saga leaves the intercept unpenalised (liblinear would penalise it). proxreg's
  objective (1/n) sum[log(1 + e^eta) - y eta] + alpha ||w||_1 is scikit-learn's divided by
  C n: alpha = 1/(n C) (docs/conventions.md). Label -1 -> 0, 1 -> 1, as proxreg maps them.

Every reference is checked here, in numpy on the CSR matrix, against the optimality (KKT)
conditions of its objective (max violation stored as `kkt`, asserted <= 1e-9 for least squares
and <= 1e-7 for saga) before anything is written.
"""
import json
import pathlib
import warnings

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.datasets import dump_svmlight_file, load_svmlight_file
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, LassoCV, LogisticRegression
from sklearn.model_selection import KFold

warnings.simplefilter("error")

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
SVM = FIX / "sparse_small.svm"
SVM_BIN = FIX / "sparse_small_binary.svm"
TOL, MAX_ITER = 1e-12, 1_000_000

rng = np.random.Generator(np.random.PCG64(2020))
n, p, density = 120, 300, 0.03
mask = rng.uniform(size=(n, p)) < density
vals = (rng.standard_normal((n, p)) + 1.0) * np.exp(rng.uniform(-1, 1, p))[None, :]
x0 = np.where(mask, vals, 0.0)
nnz_col = mask.sum(axis=0)
support = rng.choice(np.flatnonzero(nnz_col >= 4), 10, replace=False)
w_star = np.zeros(p)
w_star[support] = rng.choice([-1.0, 1.0], 10) * rng.uniform(1.0, 3.0, 10)
y0 = x0 @ w_star + 2.0 + 0.3 * rng.standard_normal(n)
eta0 = x0 @ w_star + rng.logistic(size=n)
labels = np.where(eta0 > np.median(eta0), 1.0, -1.0)

xs0 = sp.csr_matrix(x0)
dump_svmlight_file(xs0, y0, str(SVM), zero_based=False,
                   comment="scripts/make_svmlight_cli_fixture.py (seeded), n=120 p=300")
dump_svmlight_file(xs0, labels, str(SVM_BIN), zero_based=False,
                   comment="scripts/make_svmlight_cli_fixture.py (seeded), labels -1/1")
# the references are computed on what the files hold
x, y = load_svmlight_file(str(SVM), n_features=p, zero_based=False)
xb, lab = load_svmlight_file(str(SVM_BIN), n_features=p, zero_based=False)


def csr32(m):
    """The CSR matrix with 32-bit indices (load_svmlight_file gives 64-bit ones, which
    scikit-learn's coordinate descent refuses)."""
    m = m.tocsr()
    return sp.csr_matrix((m.data, m.indices.astype(np.int32), m.indptr.astype(np.int32)),
                         shape=m.shape)


x, xb = csr32(x), csr32(xb)
assert (x != xb).nnz == 0 and np.array_equal(lab, labels)
assert x.shape == (n, p)
yb = (lab == 1.0).astype(float)

mean = np.asarray(x.mean(axis=0)).ravel()
sq = np.asarray(x.multiply(x).mean(axis=0)).ravel()
var = np.maximum(sq - mean**2, 0.0)
# exact population std from the centered columns (no cancellation): per column, dense n-vector
sigma = np.array([np.sqrt(np.mean((x[:, j].toarray().ravel() - mean[j]) ** 2)) for j in range(p)])
assert np.allclose(sigma**2, var, rtol=1e-10, atol=1e-14)
sigma_fit = np.where(sigma > 0, sigma, 1.0)
xz = x.copy()  # X / sigma column-wise, the CSR structure (and its 32-bit indices) kept
xz.data = xz.data / sigma_fit[xz.indices]


def centered_grad(xm, r):
    """X~^T r for the centered columns of the sparse xm (r sums to 0 when an intercept is fitted)."""
    return np.asarray(xm.T @ r).ravel() - np.asarray(xm.mean(axis=0)).ravel() * r.sum()


def alpha_max_ls(xm, rho=1.0):
    return np.max(np.abs(centered_grad(xm, y - y.mean()))) / (n * rho)


def kkt_ls(xm, coef, b, alpha, rho):
    """max_j dist(X~_j^T r / n, alpha (rho d|w_j| + (1 - rho) w_j)), r = y - X w - b."""
    r = y - xm @ coef - b
    g = np.asarray(xm.T @ r).ravel() / n - alpha * (1 - rho) * coef
    l1 = alpha * rho
    v = np.where(coef != 0, np.abs(g - l1 * np.sign(coef)), np.maximum(np.abs(g) - l1, 0.0))
    return float(max(v.max(), abs(r.mean())))


def fit_ls(kind, alpha, rho, standardize):
    xm = xz if standardize else x
    est = (Lasso(alpha=alpha, tol=TOL, max_iter=MAX_ITER) if kind == "lasso" else
           ElasticNet(alpha=alpha, l1_ratio=rho, tol=TOL, max_iter=MAX_ITER))
    est.fit(xm, y)
    u = est.coef_.copy()
    k = kkt_ls(xm, u, est.intercept_, alpha, rho)
    assert k <= 1e-9, (kind, alpha, standardize, k)
    coef = u / sigma_fit if standardize else u
    intercept = float(y.mean() - mean @ coef)
    assert abs(intercept - est.intercept_) <= 1e-9 * max(1.0, abs(intercept))
    # (scikit-learn's dual_gap_ is not stored: its last digits vary from run to run)
    return {"coef": coef.tolist(), "intercept": intercept, "n_iter": int(est.n_iter_), "kkt": k}


cases = []
for kind, rho in [("lasso", 1.0), ("elastic-net", 0.5)]:
    for standardize in [False, True]:
        amax = alpha_max_ls(xz if standardize else x, rho)
        for rel in [0.3, 0.05]:
            alpha = amax * rel
            res = fit_ls(kind, alpha, rho, standardize)
            cases.append({"name": f"{kind}{'_std' if standardize else ''}_rel{rel}",
                          "family": "gaussian", "penalty": kind, "l1_ratio": rho,
                          "standardize": standardize, "alpha": alpha, "alpha_max": amax,
                          "sklearn": res})

# Lasso path at 6 alphas
amax = alpha_max_ls(x)
path_alphas = (amax * np.geomspace(1.0, 0.01, 6)).tolist()
path = [fit_ls("lasso", a, 1.0, False) for a in path_alphas]

# LassoCV on contiguous folds
folds = KFold(5)
cv = LassoCV(alphas=path_alphas, cv=folds, tol=TOL, max_iter=MAX_ITER)
cv.fit(x, y)
assert np.allclose(cv.alphas_, path_alphas, rtol=0, atol=0)
lasso_cv = {"alphas": cv.alphas_.tolist(), "folds": 5, "mse_path": cv.mse_path_.tolist(),
            "mse_mean": cv.mse_path_.mean(axis=1).tolist(), "alpha": float(cv.alpha_),
            "test_folds": [te.tolist() for _, te in folds.split(np.zeros(n))],
            "coef": cv.coef_.tolist(), "intercept": float(cv.intercept_)}


def kkt_logistic(xm, coef, b, alpha):
    eta = xm @ coef + b
    d = 1.0 / (1.0 + np.exp(-eta)) - yb
    g = -np.asarray(xm.T @ d).ravel() / n
    v = np.where(coef != 0, np.abs(g - alpha * np.sign(coef)), np.maximum(np.abs(g) - alpha, 0.0))
    return float(max(v.max(), abs(d.mean())))


logistic = []
for standardize in [False, True]:
    xm = xz if standardize else x
    amax_l = np.max(np.abs(centered_grad(xm, yb.mean() - yb))) / n
    for rel in [0.5, 0.2]:
        alpha = amax_l * rel
        c = 1.0 / (n * alpha)
        est = LogisticRegression(C=c, l1_ratio=1.0, solver="saga", tol=1e-15, max_iter=MAX_ITER,
                                 random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            est.fit(xm, yb.astype(int))
        u = est.coef_.ravel().copy()
        b = float(est.intercept_[0])
        k = kkt_logistic(xm, u, b, alpha)
        assert k <= 1e-7, ("logistic", standardize, rel, k)
        coef = u / sigma_fit if standardize else u
        logistic.append({"name": f"logistic_l1{'_std' if standardize else ''}_rel{rel}",
                         "family": "binomial", "penalty": "lasso", "standardize": standardize,
                         "alpha": alpha, "alpha_max": amax_l, "C": c,
                         "sklearn": {"coef": coef.tolist(), "intercept": b,
                                     "n_iter": int(est.n_iter_[0]), "kkt": k}})

out = {
    "meta": {
        "name": "sparse_small",
        "description": "scikit-learn 1.9.1 on a seeded sparse CSR design read back from "
                       "sparse_small.svm / sparse_small_binary.svm: Lasso, ElasticNet (0.5), "
                       "plain and standardized, a Lasso path, LassoCV (KFold(5)), L1 logistic (saga)",
        "generator": {"script": "scripts/make_svmlight_cli_fixture.py",
                      "sklearn": sklearn.__version__, "numpy": np.__version__,
                      "scipy": scipy.__version__},
        "conventions": "coef on the original scale; standardize: penalty on the coefficients of "
                       "columns divided by their 1/n std after centering (constant columns: 1); "
                       "logistic alpha = 1/(n C), labels -1 -> 0, 1 -> 1; kkt: max violation "
                       "of the optimality conditions (intercept included), computed in numpy",
    },
    "data": {"file": "sparse_small.svm", "binary_file": "sparse_small_binary.svm",
             "n_samples": n, "n_features": p, "nnz": int(x.nnz),
             "empty_columns": int((np.diff(x.tocsc().indptr) == 0).sum()),
             "sigma": sigma.tolist()},
    "cases": cases + logistic,
    "path": {"alphas": path_alphas, "coefs": [r["coef"] for r in path],
             "intercepts": [r["intercept"] for r in path]},
    "lasso_cv": lasso_cv,
}
with open(FIX / "sparse_small.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("nnz", x.nnz, "empty columns", out["data"]["empty_columns"])
for c in out["cases"]:
    print(c["name"], "alpha", c["alpha"], "nonzeros", sum(v != 0 for v in c["sklearn"]["coef"]),
          "kkt", c["sklearn"]["kkt"])
print("cv alpha", lasso_cv["alpha"])
