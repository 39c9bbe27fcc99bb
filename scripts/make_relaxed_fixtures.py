#!/usr/bin/env python3
"""Relaxed lasso and adaptive lasso references (tests/fixtures/relaxed_{diabetes,small}.json).

Run: /path/to/venv/bin/python scripts/make_relaxed_fixtures.py   (numpy, scikit-learn 1.9.1)

Objective conventions (scikit-learn's; proxreg's `Lasso`):

    lasso:   (1/(2m)) sum_i s_i (y_i - b - x_i^T w)^2 + alpha ||w||_1,   m = sum_i s_i (n unweighted)

Relaxed lasso (glmnet's `relax = TRUE`, its `gamma` convention: 1 = lasso, 0 = fully relaxed):
for each path point, S = support of the lasso coefficients, the refit is the unpenalised weighted
least squares on S (with the intercept), computed here with numpy's `lstsq` (minimal-norm
solution, default rcond) on the weighted centered columns sqrt(s_i)(x_ij - xbar_j); the relaxed
fit is gamma * (w_lasso, b_lasso) + (1 - gamma) * (w_refit, b_refit). The lasso points come from
scikit-learn's `lasso_path` on centered data (unweighted; the intercept is ybar - xbar^T w) or
`Lasso(...).fit(..., sample_weight=s)` (weighted), at tol 1e-12.

Adaptive lasso: penalty factors f_j = 1 / (|w_init_j| + eps)^nu, w_init from scikit-learn's
`Ridge(alpha)` or `LinearRegression` (both with the intercept and the sample weights) or given;
the weighted lasso is computed by the standard reduction: scikit-learn's `Lasso` on the rescaled
columns X_j / f_j, then w_j = v_j / f_j. A feature with f_j = inf (w_init_j = 0, eps = 0) is
dropped (coefficient 0).

Checks before writing (numpy): every lasso point satisfies the KKT conditions of its objective
to <= 1e-10 * alpha_max (weighted factors included for the adaptive fits); every refit's normal
equations hold to <= 1e-9 relative to ||X_S^T S y||_inf / m; every support is robust (the
smallest nonzero |w_j| >= 1e-8 * max |w| and every zero feature's |gradient| <= alpha (1 - 1e-6)),
so that no point sits where a feature enters or leaves (points that do not are skipped).

Data:
  * "diabetes": crates/proxreg-cli/data/diabetes.csv (442 x 10, raw units), unweighted.
  * "small": n = 60, p = 12, X ~ N(0, 1) + column offsets (seeded), w* with 5 nonzeros,
    y = X w* + 2 + 0.5 eps; sample weights U(0.5, 2) (seeded) for the weighted cases.
"""
import json
import pathlib
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import Lasso, LinearRegression, Ridge, lasso_path

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOL = 1e-12
GAMMAS = [0.0, 0.25, 0.5, 0.75, 1.0]
warnings.simplefilter("error")  # a ConvergenceWarning is a failure


def wmean(v, s):
    return (s[:, None] * v).sum(0) / s.sum() if v.ndim == 2 else float((s * v).sum() / s.sum())


def lasso_points(x, y, s, alphas, factors=None):
    """(coef, intercept) of the (weighted, factor-weighted) lasso at each alpha, scikit-learn."""
    p = x.shape[1]
    f = np.ones(p) if factors is None else factors
    kept = np.isfinite(f)
    xs = x[:, kept] / f[kept]
    out = []
    if s is None and factors is None:
        xm, ym = xs.mean(0), y.mean()
        _, coefs, _ = lasso_path(xs - xm, y - ym, alphas=alphas, tol=TOL, max_iter=1_000_000)
        for k in range(len(alphas)):
            v = coefs[:, k]
            out.append((v, float(ym - xm @ v)))
    else:
        for a in alphas:
            m = Lasso(alpha=a, tol=TOL, max_iter=1_000_000).fit(xs, y, sample_weight=s)
            out.append((m.coef_.copy(), float(m.intercept_)))
    res = []
    for v, b in out:
        w = np.zeros(p)
        w[kept] = v / f[kept]
        res.append((w, b))
    return res


def gradient(x, y, s, w, b):
    s = np.ones(len(y)) if s is None else s
    r = y - b - x @ w
    return -(x.T @ (s * r)) / s.sum()


def kkt(x, y, s, w, b, alpha, f):
    """max_j dist(-grad_j, alpha f_j d|w_j|) over the kept features (intercept optimal)."""
    g = gradient(x, y, s, w, b)
    kept = np.isfinite(f)
    f = np.where(kept, f, 0.0)  # excluded features: coefficient 0 by construction
    d = np.where(w == 0, np.maximum(np.abs(g) - alpha * f, 0.0), np.abs(g + alpha * f * np.sign(w)))
    sw = np.ones(len(y)) if s is None else s
    icpt = abs(float((sw * (y - b - x @ w)).sum() / sw.sum()))
    return float(max(d[kept].max(), icpt)), g


def robust(w, g, alpha, f):
    nz = w != 0
    if nz.any() and np.abs(w[nz]).min() < 1e-8 * np.abs(w).max():
        return False
    zero = (~nz) & np.isfinite(f)
    f = np.where(np.isfinite(f), f, 0.0)
    return not (zero.any() and (np.abs(g[zero]) > alpha * f[zero] * (1 - 1e-6)).any())


def refit(x, y, s, support):
    sw = np.ones(len(y)) if s is None else s
    xm, ym = wmean(x, sw), wmean(y, sw)
    root = np.sqrt(sw)
    a = root[:, None] * (x[:, support] - xm[support])
    bvec = root * (y - ym)
    beta = np.zeros(len(support))
    rank = 0
    if len(support):
        beta, _, rank, _ = np.linalg.lstsq(a, bvec, rcond=None)
    coef = np.zeros(x.shape[1])
    coef[support] = beta
    icpt = ym - xm[support] @ beta if len(support) else ym
    m = sw.sum()
    scale = np.abs(a.T @ bvec).max() / m if len(support) else 0.0
    resid = np.abs(a.T @ (bvec - a @ beta)).max() / m if len(support) else 0.0
    assert resid <= 1e-9 * max(scale, 1e-300), (resid, scale)
    return coef, float(icpt), int(rank), float(resid)


def alpha_max(x, y, s, f):
    sw = np.ones(len(y)) if s is None else s
    xm, ym = wmean(x, sw), wmean(y, sw)
    g = np.abs((x - xm).T @ (sw * (y - ym))) / sw.sum()
    kept = np.isfinite(f)
    return float((g[kept] / f[kept]).max())


def relaxed_case(name, x, y, s, n_alphas=12, ratio=1e-3):
    ones = np.ones(x.shape[1])
    amax = alpha_max(x, y, s, ones)
    alphas = amax * np.geomspace(1.0, ratio, n_alphas)[1:]
    points, skipped = [], 0
    for alpha, (w, b) in zip(alphas, lasso_points(x, y, s, alphas)):
        viol, g = kkt(x, y, s, w, b, alpha, ones)
        assert viol <= 1e-10 * amax, (name, alpha, viol)
        if not robust(w, g, alpha, ones):
            skipped += 1
            continue
        support = [int(j) for j in np.flatnonzero(w)]
        rc, ri, rank, resid = refit(x, y, s, support)
        points.append({
            "alpha": float(alpha),
            "lasso_coef": [float(v) for v in w],
            "lasso_intercept": b,
            "kkt_violation": viol,
            "support": support,
            "refit_coef": [float(v) for v in rc],
            "refit_intercept": ri,
            "refit_rank": rank,
            "refit_normal_residual": resid,
            "relaxed": [
                {"gamma": gm, "coef": [float(v) for v in gm * w + (1 - gm) * rc],
                 "intercept": float(gm * b + (1 - gm) * ri)}
                for gm in GAMMAS
            ],
        })
    return {"name": name, "weighted": s is not None, "alpha_max": amax, "gammas": GAMMAS,
            "points": points, "skipped": skipped}


def adaptive_case(name, x, y, s, init, nu, init_eps=0.0, init_alpha=None, given=None, n_alphas=6):
    if init == "ridge":
        w0 = Ridge(alpha=init_alpha).fit(x, y, sample_weight=s).coef_
    elif init == "ols":
        w0 = LinearRegression().fit(x, y, sample_weight=s).coef_
    else:
        w0 = np.asarray(given, dtype=float)
    with np.errstate(divide="ignore"):
        f = 1.0 / (np.abs(w0) + init_eps) ** nu
    amax = alpha_max(x, y, s, f)
    alphas = amax * np.geomspace(1.0, 1e-3, n_alphas + 1)[1:]
    points, skipped = [], 0
    for alpha, (w, b) in zip(alphas, lasso_points(x, y, s, alphas, f)):
        viol, g = kkt(x, y, s, w, b, alpha, f)
        assert viol <= 1e-10 * amax * max(1.0, f[np.isfinite(f)].max()), (name, alpha, viol)
        if not robust(w, g, alpha, f):
            skipped += 1
            continue
        points.append({"alpha": float(alpha), "coef": [float(v) for v in w], "intercept": b,
                       "kkt_violation": viol})
    return {
        "name": name, "init": init, "init_alpha": init_alpha, "nu": nu, "init_eps": init_eps,
        "weighted": s is not None, "given": None if given is None else [float(v) for v in given],
        "init_coef": [float(v) for v in w0],
        "factors": [float(v) if np.isfinite(v) else None for v in f],
        "alpha_max": amax, "points": points, "skipped": skipped,
    }


def diabetes():
    csv = ROOT / "crates/proxreg-cli/data/diabetes.csv"
    table = np.loadtxt(csv, delimiter=",", skiprows=1)
    x, y = table[:, :-1], table[:, -1]
    relaxed = [relaxed_case("unweighted", x, y, None)]
    adaptive = [
        adaptive_case("ridge", x, y, None, "ridge", 1.0, init_alpha=1.0),
        adaptive_case("ols_nu2", x, y, None, "ols", 2.0),
    ]
    return x, y, None, relaxed, adaptive, {"data": "crates/proxreg-cli/data/diabetes.csv"}


def small():
    rng = np.random.default_rng(2323)
    n, p = 60, 12
    x = rng.standard_normal((n, p)) + rng.uniform(-2, 2, p)
    w_star = np.zeros(p)
    w_star[[0, 2, 5, 7, 10]] = [2.0, -1.5, 1.0, 0.6, -0.4]
    y = x @ w_star + 2.0 + 0.5 * rng.standard_normal(n)
    s = rng.uniform(0.5, 2.0, n)
    given = LinearRegression().fit(x, y).coef_.copy()
    given[[3, 8]] = 0.0  # zero initial weights: excluded features
    relaxed = [relaxed_case("unweighted", x, y, None), relaxed_case("weighted", x, y, s)]
    adaptive = [
        adaptive_case("ridge_weighted", x, y, s, "ridge", 1.0, init_alpha=5.0),
        adaptive_case("given_zeros", x, y, None, "given", 1.0, given=given),
        adaptive_case("ols_eps", x, y, None, "ols", 0.5, init_eps=0.1),
    ]
    return x, y, s, relaxed, adaptive, {}


def main():
    for name, make in [("diabetes", diabetes), ("small", small)]:
        x, y, s, relaxed, adaptive, extra = make()
        out = {
            "format_version": 1,
            "name": f"relaxed_{name}",
            "generator": {
                "script": "scripts/make_relaxed_fixtures.py",
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "solver": f"lasso_path / Lasso(tol={TOL}), numpy lstsq refit",
            },
            "objective": "(1/(2 sum s)) sum s_i (y_i - b - x_i^T w)^2 + alpha sum_j f_j |w_j|",
            "x": [[float(v) for v in row] for row in x],
            "y": [float(v) for v in y],
            "sample_weight": None if s is None else [float(v) for v in s],
            **extra,
            "relaxed": relaxed,
            "adaptive": adaptive,
        }
        target = ROOT / f"tests/fixtures/relaxed_{name}.json"
        target.write_text(json.dumps(out, indent=1) + "\n")
        for c in relaxed:
            sizes = [len(pt["support"]) for pt in c["points"]]
            worst = max(pt["kkt_violation"] for pt in c["points"])
            print(f"{target.name} relaxed {c['name']}: {len(c['points'])} points "
                  f"(skipped {c['skipped']}), supports {sizes}, worst KKT {worst:.1e}")
        for c in adaptive:
            worst = max(pt["kkt_violation"] for pt in c["points"])
            nnz = [int(np.count_nonzero(pt["coef"])) for pt in c["points"]]
            print(f"{target.name} adaptive {c['name']}: {len(c['points'])} points "
                  f"(skipped {c['skipped']}), nonzeros {nnz}, worst KKT {worst:.1e}")


if __name__ == "__main__":
    main()
