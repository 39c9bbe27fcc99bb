#!/usr/bin/env python3
"""GROUP LASSO and SPARSE GROUP LASSO references (tests/fixtures/group_lasso_skglm.json), issue #23.

Run (CPython 3.11, x86-64 Linux):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 skglm==0.5
    .venv-fixtures/bin/python scripts/make_group_fixtures.py

Objective (proxreg's convention; features partitioned into groups G_1..G_q of any sizes, given as
lists of feature indices, not necessarily contiguous):

    F(w, b) = L(w, b) + alpha g(w),
    g(w)    = tau sum_j |w_j| + (1 - tau) sum_g c_g ||w_{G_g}||_2,
    c_g     = sqrt(|G_g|) unless given (a zero weight leaves the group unpenalized),
    tau     = 0 is the group lasso, 0 < tau < 1 the sparse group lasso.

    least squares: L = 1/(2n) ||y - X w - b||^2
    logistic:      L = (1/n) sum_i log(1 + exp(-s_i eta_i)), s_i = 2 y_i - 1 (y in {0, 1}),
                   eta = X w + b
    b unpenalized (0 when fit_intercept is false).

alpha_max (the smallest alpha at which every penalized group is zero at the optimum; unpenalized
groups (c_g = 0) and b at their own optimum (w0, b0), found by least squares), v = -X^T dL/deta at
(w0, b0) (dL/deta includes the 1/n):

    tau = 0: max_g ||v_{G_g}|| / c_g          (groups with c_g = 0 excluded; their v is 0)
    tau > 0: the smallest a with ||ST(v_G, a tau)|| <= a (1 - tau) c_g for every group (found per
             group by bisection to 1e-15 relative; the per-group threshold is monotone in a)

KKT violation (what the script asserts on every stored reference, <= 1e-8), per group, with
G = dL/dw restricted to the group:
    w_G = 0:  max(0, ||ST(-G, alpha tau)|| - alpha (1 - tau) c_g)
    w_G != 0: the Euclidean norm over the group of
              -G_j - alpha tau sign(w_j) - alpha (1 - tau) c_g w_j / ||w_G||   (w_j != 0)
              ST(-G_j, alpha tau)                                              (w_j == 0)
    and |dL/db| for the intercept; kkt = the max over groups.

skglm 0.5 conventions (checked in the installed sources and by evaluating skglm's own compiled
datafit and penalty at the stored solution, meta.notes):
  * QuadraticGroup.value = ||y - Xw||^2 / (2 n); LogisticGroup.value = mean log(1 + exp(-y Xw))
    with y in {-1, 1}; with fit_intercept the intercept enters Xw + b, unpenalized.
  * WeightedGroupL2(alpha, weights).value = alpha sum_g weights_g ||w_g||: proxreg's tau = 0 with
    c_g = weights_g.
  * WeightedL1GroupL2(alpha, weights_groups, weights_features).value = alpha (sum_g
    weights_groups_g ||w_g|| + sum_j weights_features_j |w_j|): proxreg's tau with
    weights_groups = (1 - tau) c and weights_features = tau. Its prox_1group soft-thresholds with
    weights_features[g] (indexed by the group number, not by the group's features), which is right
    only for equal feature weights: the script uses equal feature weights, and the KKT check above
    would catch a wrong solution anyway.

Data (seeded, numpy default_rng):
  * "small": n = 60, p = 20, X ~ N(0, 1), groups of sizes 1, 2, 3, 4, 5, 5 (contiguous), w* nonzero
    on groups 1 and 3 and on one feature of group 4, y = X w* + 2 + 0.5 eps.
  * "scattered": the same X, groups given as non-contiguous index lists of sizes 3, 7, 4, 6, group
    weights (1.0, 0.0, 2.0, 0.5) (group 2 unpenalized), no intercept.
  * "binary": n = 80, p = 12, groups of size 3, y ~ Bernoulli(sigmoid(X w* - 0.3)).
Each case is one alpha = alpha_rel * alpha_max, solved from zero by skglm's GroupBCD (tol 1e-12).
"""
import json
import pathlib
import platform
import sys

import numpy as np
import scipy
import sklearn

import skglm
from skglm.datafits import LogisticGroup, QuadraticGroup
from skglm.penalties import WeightedGroupL2, WeightedL1GroupL2
from skglm.solvers import GroupBCD
from skglm.utils.data import grp_converter

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "group_lasso_skglm.json"
TOL = 1e-12


def flist(v):
    return [float(t) for t in np.asarray(v, dtype=float).ravel()]


def st(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


class Case:
    """One problem in proxreg's convention."""

    def __init__(self, name, family, x, y, groups, weights, tau, alpha_rel, fit_intercept):
        self.name, self.family, self.x, self.y = name, family, x, y
        self.groups = [list(map(int, g)) for g in groups]
        self.c = np.asarray(weights, dtype=float)
        self.tau, self.alpha_rel, self.fit_intercept = float(tau), float(alpha_rel), fit_intercept
        self.n = x.shape[0]
        self.w0, self.b0 = self._null_fit()
        self.alpha_max = self._alpha_max()
        self.alpha = self.alpha_rel * self.alpha_max

    def _null_fit(self):
        """The optimum with every penalized group at zero: unpenalized groups (c_g = 0) and the
        intercept fitted (least squares for gaussian; binomial cases have no unpenalized group)."""
        p = self.x.shape[1]
        free = [j for g, c in zip(self.groups, self.c) if c == 0 for j in g]
        w0 = np.zeros(p)
        if self.family == "gaussian":
            cols = [self.x[:, free]] + ([np.ones((self.n, 1))] if self.fit_intercept else [])
            a = np.hstack(cols) if cols else np.zeros((self.n, 0))
            if a.shape[1] == 0:
                return w0, 0.0
            sol = np.linalg.lstsq(a, self.y, rcond=None)[0]
            w0[free] = sol[:len(free)]
            return w0, (float(sol[-1]) if self.fit_intercept else 0.0)
        assert not free, "binomial cases have no unpenalized group"
        if not self.fit_intercept:
            return w0, 0.0
        ybar = float(self.y.mean())
        return w0, float(np.log(ybar / (1.0 - ybar)))

    def dl_deta(self, eta):
        """dL/deta (includes the 1/n)."""
        if self.family == "gaussian":
            return (eta - self.y) / self.n
        return (sigmoid(eta) - self.y) / self.n

    def loss(self, w, b):
        eta = self.x @ w + b
        if self.family == "gaussian":
            return float(0.5 * np.sum((self.y - eta) ** 2) / self.n)
        s = 2.0 * self.y - 1.0
        return float(np.mean(np.logaddexp(0.0, -s * eta)))

    def penalty(self, w):
        grp = sum(c * np.linalg.norm(w[g]) for g, c in zip(self.groups, self.c))
        return self.tau * float(np.abs(w).sum()) + (1.0 - self.tau) * float(grp)

    def objective(self, w, b):
        return self.loss(w, b) + self.alpha * self.penalty(w)

    def _alpha_max(self):
        v = -(self.x.T @ self.dl_deta(self.x @ self.w0 + self.b0))
        best = 0.0
        for g, c in zip(self.groups, self.c):
            vg = v[g]
            if self.tau == 0.0:
                if c > 0:
                    best = max(best, float(np.linalg.norm(vg)) / c)
                continue
            # smallest a with ||ST(vg, a tau)|| <= a (1 - tau) c: phi(a) decreasing in a.
            def phi(a):
                return np.linalg.norm(st(vg, a * self.tau)) - a * (1.0 - self.tau) * c
            lo, hi = 0.0, float(np.abs(vg).max()) / self.tau
            if phi(lo) <= 0:
                continue
            for _ in range(200):
                mid = 0.5 * (lo + hi)
                if phi(mid) > 0:
                    lo = mid
                else:
                    hi = mid
                if hi - lo <= 1e-15 * hi:
                    break
            best = max(best, hi)
        return best

    def kkt(self, w, b):
        r = self.dl_deta(self.x @ w + b)
        grad = self.x.T @ r
        a, t = self.alpha, self.tau
        worst = 0.0
        for g, c in zip(self.groups, self.c):
            G, wg = grad[g], w[g]
            nw = float(np.linalg.norm(wg))
            if nw == 0.0:
                d = max(0.0, float(np.linalg.norm(st(-G, a * t))) - a * (1.0 - t) * c)
            else:
                res = np.where(
                    wg != 0.0,
                    -G - a * t * np.sign(wg) - a * (1.0 - t) * c * wg / nw,
                    st(-G, a * t),
                )
                d = float(np.linalg.norm(res))
            worst = max(worst, d)
        return worst, (abs(float(r.sum())) if self.fit_intercept else 0.0)


def skglm_ptr(groups):
    """skglm's (grp_indices, grp_ptr) for a list of index lists."""
    return grp_converter([list(g) for g in groups], sum(len(g) for g in groups))


def feature_weights(case):
    """tau for each feature; with an intercept skglm 0.5's GroupBCD passes the penalty w with the
    intercept appended (length p + 1) to value(), so a trailing 0 is added (the intercept stays
    unpenalized; prox_1group only reads the first n_groups entries)."""
    w = [case.tau] * case.x.shape[1] + ([0.0] if case.fit_intercept else [])
    return np.asarray(w, dtype=float)


def run_skglm(case):
    grp_indices, grp_ptr = skglm_ptr(case.groups)
    if case.family == "gaussian":
        datafit = QuadraticGroup(grp_ptr=grp_ptr, grp_indices=grp_indices)
        yt = case.y
    else:
        datafit = LogisticGroup(grp_ptr=grp_ptr, grp_indices=grp_indices)
        yt = 2.0 * case.y - 1.0
    if case.tau == 0.0:
        pen = WeightedGroupL2(alpha=case.alpha, weights=case.c.copy(), grp_ptr=grp_ptr,
                              grp_indices=grp_indices)
        call = "WeightedGroupL2(alpha, weights=c)"
    else:
        pen = WeightedL1GroupL2(alpha=case.alpha, weights_groups=(1.0 - case.tau) * case.c,
                                weights_features=feature_weights(case),
                                grp_ptr=grp_ptr, grp_indices=grp_indices)
        call = "WeightedL1GroupL2(alpha, weights_groups=(1-tau) c, weights_features=tau)"
    # WeightedL1GroupL2 has no subdiff_distance in skglm 0.5: the fixed-point working-set score.
    ws = "subdiff" if case.tau == 0.0 else "fixpoint"
    solver = GroupBCD(max_iter=10_000, max_epochs=100_000, tol=TOL,
                      fit_intercept=case.fit_intercept, ws_strategy=ws)
    x = np.asfortranarray(case.x)
    w_full, _, stop_crit = solver.solve(x, yt, datafit, pen)
    p = case.x.shape[1]
    w = np.asarray(w_full[:p], dtype=float)
    b = float(w_full[p]) if case.fit_intercept else 0.0
    datafit.initialize(x, yt)
    w_pen = np.append(w, 0.0) if (case.tau > 0.0 and case.fit_intercept) else w
    tool_obj = float(datafit.value(yt, w, x @ w + b) + pen.value(w_pen))
    return w, b, {
        "tool": f"skglm {skglm.__version__}",
        "call": f"GroupBCD(tol={TOL}, fit_intercept={case.fit_intercept}, ws_strategy='{ws}').solve(X, y, "
                f"{type(datafit).__name__}, {call})",
        "tol": TOL,
        "stop_crit": float(stop_crit),
        "tool_objective": tool_obj,
    }


def record(case, w, b, solver):
    kkt, kkt_b = case.kkt(w, b)
    assert kkt <= 1e-8 and kkt_b <= 1e-8, (case.name, kkt, kkt_b)
    obj = case.objective(w, b)
    diff = solver["tool_objective"] - obj
    assert abs(diff) <= 1e-12 * max(1.0, abs(obj)), (case.name, diff)
    solver["tool_objective_minus_objective"] = float(diff)
    # w = 0 must be optimal at alpha_max and not below it (checks the alpha_max formula).
    return {
        "name": case.name, "problem": case.problem, "family": case.family,
        "groups": case.groups, "group_weights": flist(case.c), "tau": case.tau,
        "alpha": float(case.alpha), "alpha_max": float(case.alpha_max),
        "alpha_rel": case.alpha_rel, "fit_intercept": case.fit_intercept,
        "coef": flist(w), "intercept": float(b), "objective": float(obj),
        "kkt": float(kkt), "kkt_intercept": float(kkt_b), "solver": solver,
    }


def check_alpha_max(case):
    """At alpha_max, the null fit (penalized groups zero) satisfies KKT; slightly below it does
    not."""
    saved = case.alpha
    case.alpha = case.alpha_max * (1.0 + 1e-12)
    k_at, _ = case.kkt(case.w0, case.b0)
    case.alpha = case.alpha_max * (1.0 - 1e-6)
    k_below, _ = case.kkt(case.w0, case.b0)
    case.alpha = saved
    assert k_at <= 1e-12 and k_below > 0.0, (case.name, k_at, k_below)


def main():
    rng = np.random.default_rng(20261204)
    problems = {}

    n, p = 60, 20
    x = rng.standard_normal((n, p))
    sizes = [1, 2, 3, 4, 5, 5]
    bounds = np.cumsum([0] + sizes)
    contiguous = [list(range(bounds[i], bounds[i + 1])) for i in range(len(sizes))]
    w_true = np.zeros(p)
    w_true[contiguous[1]] = [1.5, -2.0]
    w_true[contiguous[3]] = [0.8, 0.0, -1.2, 0.5]
    w_true[contiguous[4][2]] = 1.0
    y = x @ w_true + 2.0 + 0.5 * rng.standard_normal(n)
    problems["small"] = {"x": x, "y": y, "w_true": w_true}

    perm = rng.permutation(p)
    scattered = [sorted(perm[:3]), sorted(perm[3:10]), sorted(perm[10:14]), sorted(perm[14:])]
    scattered = [[int(j) for j in g] for g in scattered]

    nb, pb = 80, 12
    xb = rng.standard_normal((nb, pb))
    wb = np.zeros(pb)
    wb[0:3] = [1.2, -0.8, 0.6]
    wb[6:9] = [-1.0, 0.0, 0.9]
    yb = (rng.random(nb) < sigmoid(xb @ wb - 0.3)).astype(float)
    problems["binary"] = {"x": xb, "y": yb, "w_true": wb}
    triples = [list(range(3 * i, 3 * i + 3)) for i in range(pb // 3)]

    def sqrt_sizes(groups):
        return [float(np.sqrt(len(g))) for g in groups]

    specs = []
    for rel in (0.5, 0.1, 0.02):
        specs.append((f"gl_small_{rel}", "small", "gaussian", contiguous, sqrt_sizes(contiguous),
                      0.0, rel, True))
    for rel in (0.3, 0.05):
        specs.append((f"gl_scattered_{rel}", "small", "gaussian", scattered,
                      [1.0, 0.0, 2.0, 0.5], 0.0, rel, False))
    for tau in (0.2, 0.7):
        for rel in (0.4, 0.05):
            specs.append((f"sgl_small_tau{tau}_{rel}", "small", "gaussian", contiguous,
                          sqrt_sizes(contiguous), tau, rel, True))
    for rel in (0.4, 0.05):
        specs.append((f"gl_binary_{rel}", "binary", "binomial", triples, sqrt_sizes(triples),
                      0.0, rel, True))
    specs.append(("sgl_binary_tau0.5_0.1", "binary", "binomial", triples, sqrt_sizes(triples),
                  0.5, 0.1, True))

    cases = []
    for name, prob, family, groups, weights, tau, rel, fi in specs:
        d = problems[prob]
        case = Case(name, family, d["x"], d["y"], groups, weights, tau, rel, fi)
        case.problem = prob
        check_alpha_max(case)
        w, b, solver = run_skglm(case)
        rec = record(case, w, b, solver)
        cases.append(rec)
        print(f"{name:28s} alpha {case.alpha:.4e} kkt {rec['kkt']:.1e} "
              f"nnz {int(np.count_nonzero(w))}/{len(w)}", file=sys.stderr)

    out = {
        "meta": {
            "format_version": 1,
            "name": "group_lasso_skglm",
            "description": "group lasso and sparse group lasso (least squares and logistic) "
                           "references from skglm GroupBCD (issue #23)",
            "generator": {
                "script": "scripts/make_group_fixtures.py", "python": platform.python_version(),
                "numpy": np.__version__, "scipy": scipy.__version__,
                "sklearn": sklearn.__version__, "skglm": skglm.__version__,
            },
            "conventions": {
                "objective": "F(w, b) = L(w, b) + alpha (tau ||w||_1 + (1 - tau) sum_g c_g "
                             "||w_G_g||_2); L = ||y - Xw - b||^2/(2n) (gaussian) or "
                             "mean log(1 + exp(-(2y-1) eta)) (binomial, y in {0,1})",
                "groups": "lists of 0-based feature indices (a partition of 0..p-1, any order)",
                "group_weights": "c_g (0: group unpenalized)",
                "alpha_max": "smallest alpha with every penalized group zero at the optimum (unpenalized groups and intercept at their own optimum)",
                "kkt": "max over groups of the Euclidean distance of -dL/dw_G to alpha dg(w)_G; "
                       "kkt_intercept = |dL/db|; asserted <= 1e-8",
                "matrices": "x is row-major [n][p]",
            },
            "notes": [
                "skglm's WeightedL1GroupL2.prox_1group indexes weights_features by group number; "
                "equal feature weights make that harmless (see the script's docstring)",
                "every case: skglm's own compiled datafit.value + penalty.value at the stored "
                "solution equals F to 1e-12 (solver.tool_objective_minus_objective)",
            ],
        },
        "problems": {
            k: {"n_samples": int(v["x"].shape[0]), "n_features": int(v["x"].shape[1]),
                "x": [flist(r) for r in v["x"]], "y": flist(v["y"]),
                "w_true": flist(v["w_true"])}
            for k, v in problems.items()
        },
        "cases": cases,
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
