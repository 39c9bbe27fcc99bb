#!/usr/bin/env python3
"""Penalized MULTINOMIAL regression references (tests/fixtures/multinomial_*.json), issue #21.

Run with the fixture venv (Python 3.11, numpy 2.4.6, scikit-learn 1.9.1, python-glmnet 2.6.1,
see scripts/make_logistic_fixtures.py for how it is built):

    /work/venv-fx/bin/python scripts/make_multinomial_fixtures.py

Objective (proxreg's convention; K classes, labels sorted -> class index, s = sample weights):

    f(W, b) = (1/m) sum_i s_i [logsumexp(eta_i) - eta_i[y_i]] + alpha g(W),
    eta_i = W^T x_i + b,  W is p x K,  b in R^K unpenalized,  m = sum_i s_i,
    entrywise: g = rho ||W||_1 + (1 - rho)/2 ||W||_F^2
    grouped:   g = rho sum_j ||W_j.||_2 + (1 - rho)/2 ||W||_F^2   (glmnet type.multinomial="grouped")

scikit-learn: LogisticRegression(C = 1/(m alpha), l1_ratio = rho, solver="saga") is multinomial
for K >= 3 and minimises C sum_i s_i l_i + g(W) = f / alpha (the same minimiser). `penalty=` is
deprecated since 1.8 and not passed. tol 1e-15, max_iter 10^6.

glmnet: the Fortran lognet of python-glmnet called directly with kopt = 2 (the grouped
multinomial; LogitNet does not expose kopt), parm = rho, a 6-point lambda path ending at alpha
(lambda = alpha, glmnet's multinomial objective -(1/sum w) loglik + lambda pen is f), isd = 0
(the data are standardized here already), thr 1e-14. Sample weights enter lognet as the row
sums of its y matrix.

Intercepts: the objective is invariant to b -> b + c 1, so intercepts are compared centred
(proxreg returns sum(b) = 0). The script records every solver's own KKT violation under f
(max over the entries / rows of W and the intercepts of the distance of the gradient to minus the
subdifferential) and asserts sklearn <= 1e-8 and glmnet <= 1e-6 before writing.

Data (the rows of X as stored are the ones fitted; standardized with the population std):
  * "iris": load_iris(), 150 x 4, K = 3, labels 0, 1, 2.
  * "wine": load_wine(), 178 x 13, K = 3, labels relabelled to -1, 0.5, 3 (exercising the label
    sort), sample weights uniform(0.2, 3) from default_rng(21) with row 5 weight 0.
Cases: alpha = alpha_max x factor, alpha_max = max |G_jk| / rho (entrywise) or
max_j ||G_j.||_2 / rho (grouped), G = X^T (pi - Y)/m the gradient at W = 0, b = log pi.
"""
import json
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

warnings.simplefilter("error")
warnings.simplefilter("default", ConvergenceWarning)

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def onehot(yi, k):
    y = np.zeros((len(yi), k))
    y[np.arange(len(yi)), yi] = 1.0
    return y


def softmax(eta):
    e = np.exp(eta - eta.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def gradient(x, yi, s, w, b):
    k = w.shape[1]
    m = s.sum()
    r = (softmax(x @ w + b) - onehot(yi, k)) * s[:, None] / m
    return x.T @ r, r.sum(axis=0)


def objective(x, yi, s, w, b, alpha, rho, grouped):
    eta = x @ w + b
    mx = eta.max(axis=1)
    lse = mx + np.log(np.exp(eta - mx[:, None]).sum(axis=1))
    loss = (s * (lse - eta[np.arange(len(yi)), yi])).sum() / s.sum()
    l1 = np.linalg.norm(w, axis=1).sum() if grouped else np.abs(w).sum()
    return loss + alpha * (rho * l1 + 0.5 * (1 - rho) * (w**2).sum())


def kkt(x, yi, s, w, b, alpha, rho, grouped):
    g, gb = gradient(x, yi, s, w, b)
    g = g + alpha * (1 - rho) * w
    lam = alpha * rho
    worst = np.abs(gb).max()
    if grouped:
        for j in range(w.shape[0]):
            nw = np.linalg.norm(w[j])
            if nw > 0:
                v = np.linalg.norm(g[j] + lam * w[j] / nw)
            else:
                v = max(0.0, np.linalg.norm(g[j]) - lam)
            worst = max(worst, v)
    else:
        nz = w != 0
        v = np.where(nz, np.abs(g + lam * np.sign(w)), np.maximum(0.0, np.abs(g) - lam))
        worst = max(worst, v.max())
    return float(worst)


def alpha_max(x, yi, s, rho, grouped):
    k = yi.max() + 1
    m = s.sum()
    pi = (onehot(yi, k) * s[:, None]).sum(axis=0) / m
    g = x.T @ ((pi - onehot(yi, k)) * s[:, None]) / m
    if grouped:
        return float(np.linalg.norm(g, axis=1).max() / rho)
    return float(np.abs(g).max() / rho)


def fit_sklearn(x, yi, s, alpha, rho):
    m = s.sum()
    clf = LogisticRegression(C=1.0 / (m * alpha), l1_ratio=rho, solver="saga", tol=1e-15,
                             max_iter=1_000_000)
    clf.fit(x, yi, sample_weight=s)
    return clf.coef_.T.copy(), clf.intercept_.copy(), int(np.max(clf.n_iter_))


def fit_glmnet(x, yi, s, alpha, rho, amax):
    from glmnet import _glmnet

    n, p = x.shape
    k = yi.max() + 1
    ulam = np.geomspace(amax, alpha, 6)
    yy = np.asfortranarray(onehot(yi, k) * s[:, None])
    lmu, a0, ca, ia, nin, dev0, dev, alm, nlp, jerr = _glmnet.lognet(
        rho, k, np.asfortranarray(x.copy()), yy, np.asfortranarray(np.zeros((n, k))),
        np.array([0], dtype=np.int32), np.ones(p), np.asfortranarray(
            np.vstack([np.full(p, -1e300), np.full(p, 1e300)])),
        p, 1.0, ulam, 1e-14, ne=p, nlam=len(ulam), isd=0, intr=1, maxit=1_000_000, kopt=2)
    assert jerr == 0, f"glmnet jerr {jerr}"
    assert lmu == len(ulam), f"glmnet stopped at {lmu} lambdas"
    last = lmu - 1
    w = np.zeros((p, k))
    for t in range(nin[last]):
        w[ia[t] - 1] = ca[t, :, last]
    return w, a0[:, last].copy(), int(nlp)


def standardize(x):
    return (x - x.mean(axis=0)) / x.std(axis=0)


def main():
    cases = []
    iris = load_iris()
    xi = standardize(iris.data)
    yi_iris = iris.target.astype(int)
    wine = load_wine()
    xw = standardize(wine.data)
    yi_wine = wine.target.astype(int)
    wine_labels = np.array([-1.0, 0.5, 3.0])
    rng = np.random.default_rng(21)
    sw = rng.uniform(0.2, 3.0, len(yi_wine))
    sw[5] = 0.0

    spec = [
        # name, data, labels, weights, rho, factor, grouped
        ("iris_l1", "iris", None, 1.0, 0.1, False),
        ("iris_en", "iris", None, 0.5, 0.05, False),
        ("iris_l1_strong", "iris", None, 1.0, 0.5, False),
        ("wine_en_weighted", "wine", sw, 0.7, 0.1, False),
        ("iris_group", "iris", None, 1.0, 0.1, True),
        ("iris_group_en", "iris", None, 0.5, 0.05, True),
        ("wine_group_weighted", "wine", sw, 1.0, 0.1, True),
    ]
    worst = {}
    for name, data, weights, rho, factor, grouped in spec:
        x, yi = (xi, yi_iris) if data == "iris" else (xw, yi_wine)
        labels = (np.array([0.0, 1.0, 2.0]) if data == "iris" else wine_labels)[yi]
        s = np.ones(len(yi)) if weights is None else weights
        amax = alpha_max(x, yi, s, rho, grouped)
        alpha = amax * factor
        if grouped:
            w, b, it = fit_glmnet(x, yi, s, alpha, rho, amax)
            solver, bound = "glmnet lognet kopt=2", 1e-6
        else:
            w, b, it = fit_sklearn(x, yi, s, alpha, rho)
            solver, bound = "sklearn saga", 1e-8
        viol = kkt(x, yi, s, w, b, alpha, rho, grouped)
        obj = objective(x, yi, s, w, b, alpha, rho, grouped)
        print(f"{name}: {solver} iters {it} kkt {viol:.2e} obj {obj:.12f} "
              f"nnz {int((w != 0).sum())}")
        assert viol <= bound, f"{name}: KKT {viol} > {bound}"
        worst[name] = viol
        proba = softmax(x @ w + b)
        cases.append({
            "name": name,
            "data": data,
            "solver": solver,
            "solver_iterations": it,
            "solver_kkt": viol,
            "alpha": alpha,
            "alpha_max": amax,
            "l1_ratio": rho,
            "grouped": grouped,
            "weighted": weights is not None,
            "objective": obj,
            "coef": w.tolist(),
            "intercept_centred": (b - b.mean()).tolist(),
            "proba": proba.tolist(),
        })
    datasets = {
        "iris": {"x": xi.tolist(), "y": [float(v) for v in yi_iris]},
        "wine": {"x": xw.tolist(), "y": [float(wine_labels[v]) for v in yi_wine],
                 "sample_weight": sw.tolist()},
    }
    out = {
        "description": "multinomial references, see scripts/make_multinomial_fixtures.py",
        "datasets": datasets,
        "cases": cases,
    }
    path = OUT / "multinomial_sklearn_glmnet.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
