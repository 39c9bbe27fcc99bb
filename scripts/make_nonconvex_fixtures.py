#!/usr/bin/env python3
"""skglm MCP and SCAD regularization paths (tests/fixtures/nonconvex_*.json).

Run: /path/to/venv/bin/python scripts/make_nonconvex_fixtures.py
(numpy, scikit-learn 1.9.1, skglm==0.5; e.g. `pip install skglm==0.5` into the fixtures venv).

Objective (skglm's, no intercept):

    (1/(2n))||y - Xw||^2 + sum_j pen(w_j)

    MCPenalty(alpha, gamma): pen(x) = alpha|x| - x^2/(2 gamma)      for |x| <= gamma alpha,
                                      gamma alpha^2 / 2               beyond;
    SCAD(alpha, gamma):      pen(x) = alpha|x|                         for |x| <= alpha,
                                      (2 gamma alpha|x| - x^2 - alpha^2) / (2(gamma - 1))
                                                                       for alpha < |x| <= gamma alpha,
                                      alpha^2 (gamma + 1) / 2          beyond.

In proxreg: `alpha * Mcp::for_alpha(gamma, alpha)` and `alpha * Scad::for_alpha(gamma, alpha)` are
exactly these (the penalty holds the knots, the solver the strength alpha).

Non-convex problems have many stationary points; which one a solver reaches depends on where it
starts. The fixtures are *paths*: alphas = alpha_max * geomspace(1, 0.01, 12), alpha_max =
||X^T y||_inf / n, each point solved by skglm's AndersonCD (tol 1e-13, no intercept) warm-started
from the previous point's solution (zero at the first), the usual way for non-convex penalties.
proxreg's test follows the same path from the same starts.

Data:
  * "small": n = 50, p = 10, X ~ N(0, 1) (seeded), w* with 4 nonzeros, y = X w* + 0.5 eps.
  * "diabetes": crates/proxreg-cli/data/diabetes.csv (442 x 10, the CLI's embedded data), X
    centered and scaled to unit population standard deviation (||x_j||^2 / n = 1), y centered:
    the problem `proxreg --standardize` solves (with the intercept fitted, which on centered data
    is the mean). Means and scales are stored so that the coefficients map back to raw units
    (coef_raw_j = coef_j / scale_j, intercept = mean_y - sum_j mean_j coef_raw_j).

Each point also stores a second reference, "plain_cd_*": textbook cyclic coordinate descent
(numpy, no extrapolation, no working sets, the thresholding rules written out here) from the same
warm start. Where two stationary points are reachable, skglm's Anderson extrapolation can jump to
another one than plain coordinate descent (measured: SCAD on diabetes at alpha_max/100).

Before writing, the script checks every reference against the first-order (Frechet) stationarity
conditions of the objective above, computed here in numpy, to <= 1e-10 (relative to alpha_max).
"""
import json
import pathlib

import numpy as np
import skglm
import sklearn
from skglm.datafits import Quadratic
from skglm.penalties import SCAD, MCPenalty
from skglm.solvers import AndersonCD

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOL = 1e-13
N_ALPHAS = 12
SHAPES = {"mcp": 3.0, "scad": 3.7}


def penalty_of(kind, alpha, gamma):
    return MCPenalty(alpha=alpha, gamma=gamma) if kind == "mcp" else SCAD(alpha=alpha, gamma=gamma)


def pen_derivative(kind, w, alpha, gamma):
    """d pen / dw at w != 0 (both penalties are C^1 away from 0)."""
    a = np.abs(w)
    if kind == "mcp":
        return np.sign(w) * np.maximum(alpha - a / gamma, 0.0)
    return np.sign(w) * np.minimum(alpha, np.maximum(gamma * alpha - a, 0.0) / (gamma - 1.0))


def pen_value(kind, w, alpha, gamma):
    a = np.abs(w)
    if kind == "mcp":
        v = np.where(a <= gamma * alpha, alpha * a - a**2 / (2 * gamma), gamma * alpha**2 / 2)
    else:
        v = np.where(
            a <= alpha,
            alpha * a,
            np.where(
                a <= gamma * alpha,
                (2 * gamma * alpha * a - a**2 - alpha**2) / (2 * (gamma - 1)),
                alpha**2 * (gamma + 1) / 2,
            ),
        )
    return float(v.sum())


def kkt(kind, x, y, w, alpha, gamma):
    """max_j dist(-grad_j, Frechet subdifferential of pen at w_j)."""
    n = x.shape[0]
    grad = -x.T @ (y - x @ w) / n
    zero = w == 0
    d = np.where(zero, np.maximum(np.abs(grad) - alpha, 0.0), 0.0)
    nz = ~zero
    d[nz] = np.abs(grad[nz] + pen_derivative(kind, w[nz], alpha, gamma))
    return float(d.max())


def prox_1d(kind, v, t, alpha, gamma):
    """argmin_z t*pen(z)/alpha + (z - v)^2/2 in the convex regime (t < gamma for MCP's knot
    gamma*alpha, t < (gamma - 1)*alpha for SCAD), which plain CD on these data stays in."""
    a, s = abs(v), np.sign(v)
    if kind == "mcp":
        k = gamma * alpha
        assert t < k
        if a <= t:
            return 0.0
        return s * k * (a - t) / (k - t) if a <= k else v
    lam, c = alpha, gamma * alpha
    width = c - lam
    assert t < width
    if a <= lam + t:
        return s * max(a - t, 0.0)
    if a <= c:
        return s * (a - t * c / width) / (1.0 - t / width)
    return v


def plain_cd(kind, x, y, w, alpha, gamma):
    """Textbook cyclic coordinate descent (no extrapolation, no working sets) from w: an
    independent second reference, written here from the thresholding rules."""
    n = x.shape[0]
    w = w.copy()
    lips = (x**2).sum(0) / n
    r = y - x @ w
    for _ in range(200_000):
        delta = 0.0
        for j in range(x.shape[1]):
            old = w[j]
            v = old + x[:, j] @ r / n / lips[j]
            w[j] = prox_1d(kind, v, alpha / lips[j], alpha, gamma)
            if w[j] != old:
                r -= x[:, j] * (w[j] - old)
                delta = max(delta, abs(w[j] - old))
        if delta <= 1e-15 * max(1.0, np.abs(w).max()):
            break
    return w


def path(kind, x, y):
    n = x.shape[0]
    gamma = SHAPES[kind]
    amax = float(np.max(np.abs(x.T @ y)) / n)
    alphas = amax * np.geomspace(1.0, 0.01, N_ALPHAS)
    w = np.zeros(x.shape[1])
    points = []
    for alpha in alphas:
        solver = AndersonCD(tol=TOL, max_iter=1000, max_epochs=100_000, fit_intercept=False,
                            warm_start=True)
        w_start = w.copy()
        # skglm 0.5 takes Xw_init = 0 when it is not given, even with a w_init (and then works
        # with an inconsistent residual): pass both. It also overwrites w_init: pass a copy.
        w, _, stop = solver.solve(x, y, Quadratic(), penalty_of(kind, alpha, gamma),
                                  w_init=w.copy(), Xw_init=x @ w)
        w = np.asarray(w, dtype=float)
        viol = kkt(kind, x, y, w, alpha, gamma)
        assert viol <= 1e-10 * amax, (kind, alpha, viol)
        obj = float(np.sum((y - x @ w) ** 2) / (2 * n) + pen_value(kind, w, alpha, gamma))
        w_cd = plain_cd(kind, x, y, w_start, alpha, gamma)
        viol_cd = kkt(kind, x, y, w_cd, alpha, gamma)
        assert viol_cd <= 1e-10 * amax, (kind, alpha, viol_cd)
        obj_cd = float(np.sum((y - x @ w_cd) ** 2) / (2 * n) + pen_value(kind, w_cd, alpha, gamma))
        points.append({
            "alpha": float(alpha),
            "warm_start": [float(v) for v in w_start],
            "coef": [float(v) for v in w],
            "objective": obj,
            "kkt_violation": viol,
            "skglm_stop_crit": float(stop),
            "n_nonzero": int(np.count_nonzero(w)),
            "plain_cd_coef": [float(v) for v in w_cd],
            "plain_cd_objective": obj_cd,
            "plain_cd_kkt_violation": viol_cd,
        })
    return {"penalty": kind, "gamma": gamma, "alpha_max": amax, "points": points}


def small():
    rng = np.random.default_rng(2301)
    n, p = 50, 10
    x = rng.standard_normal((n, p))
    w_star = np.zeros(p)
    w_star[[0, 3, 5, 8]] = [2.0, -1.5, 1.0, 0.5]
    y = x @ w_star + 0.5 * rng.standard_normal(n)
    return x, y, {}


def diabetes():
    csv = ROOT / "crates/proxreg-cli/data/diabetes.csv"
    names = csv.read_text().splitlines()[0].split(",")
    table = np.loadtxt(csv, delimiter=",", skiprows=1)
    raw_x, raw_y = table[:, :-1], table[:, -1]
    mean_x, mean_y = raw_x.mean(0), raw_y.mean()
    scale = np.sqrt(((raw_x - mean_x) ** 2).mean(0))
    x = (raw_x - mean_x) / scale
    y = raw_y - mean_y
    return x, y, {
        "data": "crates/proxreg-cli/data/diabetes.csv",
        "feature_names": names[:-1],
        "x_mean": [float(v) for v in mean_x],
        "x_scale": [float(v) for v in scale],
        "y_mean": float(mean_y),
    }


def main():
    for name, make in [("small", small), ("diabetes", diabetes)]:
        x, y, extra = make()
        out = {
            "format_version": 1,
            "name": f"nonconvex_{name}",
            "generator": {
                "script": "scripts/make_nonconvex_fixtures.py",
                "skglm": skglm.__version__,
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "solver": f"AndersonCD(tol={TOL}, fit_intercept=False), warm-started path",
            },
            "objective": "(1/(2n))||y - Xw||^2 + sum_j pen(w_j), skglm's MCPenalty / SCAD(alpha, gamma)",
            "x": [[float(v) for v in row] for row in x],
            "y": [float(v) for v in y],
            **extra,
            "paths": [path("mcp", x, y), path("scad", x, y)],
        }
        target = ROOT / f"tests/fixtures/nonconvex_{name}.json"
        target.write_text(json.dumps(out, indent=1) + "\n")
        for pth in out["paths"]:
            worst = max(pt["kkt_violation"] for pt in pth["points"])
            apart = [
                (i, pt["objective"], pt["plain_cd_objective"])
                for i, pt in enumerate(pth["points"])
                if np.max(np.abs(np.subtract(pt["coef"], pt["plain_cd_coef"]))) > 1e-8
            ]
            nnz = [pt["n_nonzero"] for pt in pth["points"]]
            print(f"{target.name} {pth['penalty']}: alpha_max {pth['alpha_max']:.4g}, "
                  f"worst KKT {worst:.2e}, nonzeros {nnz}; skglm != plain CD at {apart}")


if __name__ == "__main__":
    main()
