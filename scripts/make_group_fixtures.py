#!/usr/bin/env python3
"""GROUP LASSO and SPARSE GROUP LASSO references (tests/fixtures/group_lasso_skglm.json), issue #23.

Run (CPython 3.11, x86-64 Linux):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 skglm==0.5
    OPENBLAS_CORETYPE=Haswell .venv-fixtures/bin/python scripts/make_group_fixtures.py

(numba 0.68.1 came with skglm.) OPENBLAS_CORETYPE=Haswell pins the OpenBLAS kernels the
committed file was made with: on an AVX-512 machine OpenBLAS otherwise picks its SkylakeX kernels,
whose X @ w differs in the last bits, and the solutions then differ by up to ~1e-11 (within the
solver tolerance, every assertion still passes) instead of being bitwise identical.

Objective (proxreg's convention; features partitioned into groups G_1..G_q of any sizes, given as
lists of feature indices, not necessarily contiguous):

    F(w, b) = L(w, b) + alpha g(w),
    g(w)    = tau sum_j |w_j| + (1 - tau) sum_g c_g ||w_{G_g}||_2,
    c_g     = sqrt(|G_g|) unless given (a zero weight leaves the group unpenalized),
    tau     = 0 is the group lasso, 0 < tau < 1 the sparse group lasso.

    eta = X w + b, b unpenalized (0 when fit_intercept is false);
    least squares: L = 1/(2n) ||y - eta||^2,                 dL/deta = (eta - y)/n
    logistic:      L = (1/n) sum_i log(1 + exp(-s_i eta_i)), dL/deta = (sigmoid(eta) - y)/n,
                   s_i = 2 y_i - 1 (y in {0, 1})
    poisson:       L = (1/n) sum_i [exp(eta_i) - y_i eta_i], dL/deta = (exp(eta) - y)/n,
                   y_i >= 0 counts (the constant log(y_i!) left out, as in skglm)
    huber:         L = (1/n) sum_i h_d(y_i - eta_i),         dL/deta = clip(eta - y, -d, d)/n,
                   h_d(r) = r^2/2 (|r| <= d), d (|r| - d/2) otherwise; d = delta is stored per
                   case ("delta", only on huber cases; 1.35 unless the name says)

alpha_max (the smallest alpha at which every penalized group is zero at the optimum; unpenalized
groups (c_g = 0) and b at their own optimum (w0, b0): least squares for gaussian; the other
families have no unpenalized group and b0 = log(ybar/(1 - ybar)) (logistic), log(ybar) (poisson),
argmin_b sum_i h_delta(y_i - b) (huber, not closed form: bisection on the nondecreasing
sum_i clip(b - y_i, -delta, delta) over [min y, max y] to 1e-15 relative), 0 without intercept),
v = -X^T dL/deta at (w0, b0) (dL/deta includes the 1/n):

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
    with y in {-1, 1}; PoissonGroup.value = mean(exp(Xw) - y Xw) with the counts y as they are;
    with fit_intercept the intercept enters Xw + b, unpenalized.
  * Poisson is solved by skglm's GroupProxNewton, not GroupBCD: PoissonGroup has no
    get_lipschitz (exp has no global Lipschitz constant), which GroupBCD requires. GroupProxNewton
    requires the penalty's subdiff_distance, which WeightedL1GroupL2 lacks, so there is no sparse
    group Poisson case (tau = 0 only). Its stopping criterion is max(max_g subdiff_distance_g,
    |sum raw_grad|) = proxreg's KKT violation for tau = 0 (group norm distance and |dL/db|), so
    tol = 1e-12 is that bound. max_iter (outer working-set iterations, default 20) is raised to
    1000. Its line search evaluates penalty.value(w[:-1]) also without an intercept, a view one
    coefficient short: numba does not bounds-check, so the group indexing reads the last
    coefficient from just past the view's end and the value comes out right (checked on
    WeightedGroupL2); only the step choice depends on it, and the KKT check above judges the
    result.
  * Huber: skglm 0.5 has no group Huber datafit. HuberGroup below is written in this script in
    the style of skglm's QuadraticGroup (a plain class that skglm's solver compiles to a numba
    jitclass through get_spec / params_to_dict) and has exactly the methods GroupBCD 0.5 calls
    on dense X: initialize, get_lipschitz (group g: ||X_g||_2^2 / n, as h'' <= 1), gradient_g,
    value and intercept_update_step (the intercept step sum_i dL/deta_i = dL/db, Lipschitz
    constant 1; it is also GroupBCD's intercept stopping criterion). The value follows
    skglm's single-task Huber.value. Nothing of it is taken on trust: the stored solution's
    correctness rests on the independent numpy KKT check above (<= 1e-8, as for every case).
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
  * "counts" (own rng, seed 20261205, so the data above is unchanged): n = 100, p = 12,
    X = 0.5 N(0, 1), groups of size 3, w* nonzero on groups 0 and 2,
    y ~ Poisson(exp(X w* + 0.5)).
  * "robust" (own rng, seed 20261206): n = 80, p = 15, X ~ N(0, 1), groups of sizes 3, 3, 4, 5
    (contiguous), w* nonzero on groups 0 and 2, y = X w* + 1 + 0.3 eps, then 8 rows (10%,
    "outlier_rows") shifted by +/- 8.
Each case is one alpha = alpha_rel * alpha_max, solved from zero by skglm's GroupBCD (tol 1e-12;
gaussian, binomial, huber) or GroupProxNewton (tol 1e-12; poisson).
"""
import json
import pathlib
import platform
import sys

import numpy as np
import scipy
import sklearn
from numba import float64, int32

import skglm
from skglm.datafits import LogisticGroup, PoissonGroup, QuadraticGroup
from skglm.datafits.base import BaseDatafit
from skglm.penalties import WeightedGroupL2, WeightedL1GroupL2
from skglm.solvers import GroupBCD, GroupProxNewton
from skglm.utils.data import grp_converter

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "group_lasso_skglm.json"
TOL = 1e-12
HUBER_DELTA = 1.35


def flist(v):
    return [float(t) for t in np.asarray(v, dtype=float).ravel()]


def st(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


class HuberGroup(BaseDatafit):
    r"""Huber datafit for group penalties (skglm 0.5 has none; written here, see the docstring).

    value = (1/n) sum_i h_delta(y_i - (Xw)_i); compiled by skglm's solver like its own group
    datafits. Only the methods GroupBCD calls on dense X.
    """

    def __init__(self, delta, grp_ptr, grp_indices):
        self.delta, self.grp_ptr, self.grp_indices = delta, grp_ptr, grp_indices

    def get_spec(self):
        return (
            ('delta', float64),
            ('grp_ptr', int32[:]),
            ('grp_indices', int32[:]),
        )

    def params_to_dict(self):
        return dict(delta=self.delta, grp_ptr=self.grp_ptr, grp_indices=self.grp_indices)

    def initialize(self, X, y):
        pass

    def get_lipschitz(self, X, y):
        grp_ptr, grp_indices = self.grp_ptr, self.grp_indices
        n_groups = len(grp_ptr) - 1
        lipschitz = np.zeros(n_groups)
        for g in range(n_groups):
            grp_g_indices = grp_indices[grp_ptr[g]: grp_ptr[g + 1]]
            lipschitz[g] = np.linalg.norm(X[:, grp_g_indices], ord=2) ** 2 / len(y)
        return lipschitz

    def value(self, y, w, Xw):
        n_samples = len(y)
        res = 0.
        for i in range(n_samples):
            residual = abs(y[i] - Xw[i])
            if residual < self.delta:
                res += 0.5 * residual ** 2
            else:
                res += self.delta * residual - 0.5 * self.delta ** 2
        return res / n_samples

    def raw_grad(self, y, Xw):
        """dL/d(Xw) (includes the 1/n)."""
        return np.minimum(np.maximum(Xw - y, -self.delta), self.delta) / len(y)

    def gradient_g(self, X, y, w, Xw, g):
        grp_ptr, grp_indices = self.grp_ptr, self.grp_indices
        grp_g_indices = grp_indices[grp_ptr[g]: grp_ptr[g + 1]]
        raw_grad_val = self.raw_grad(y, Xw)
        grad_g = np.zeros(len(grp_g_indices))
        for idx, j in enumerate(grp_g_indices):
            grad_g[idx] = X[:, j] @ raw_grad_val
        return grad_g

    def intercept_update_step(self, y, Xw):
        return np.sum(self.raw_grad(y, Xw))


def huber_location(y, delta):
    """argmin_b sum_i h_delta(y_i - b): bisection on the nondecreasing
    phi(b) = sum_i clip(b - y_i, -delta, delta) over [min y, max y] to 1e-15 relative."""
    def phi(b):
        return float(np.sum(np.clip(b - y, -delta, delta)))
    lo, hi = float(y.min()), float(y.max())
    for _ in range(400):
        mid = 0.5 * (lo + hi)
        if phi(mid) < 0.0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * max(abs(lo), abs(hi)):
            break
    # the endpoint with the smaller |phi| (either is within 1e-15 relative of the root)
    return lo if abs(phi(lo)) < abs(phi(hi)) else hi


class Case:
    """One problem in proxreg's convention."""

    def __init__(self, name, family, x, y, groups, weights, tau, alpha_rel, fit_intercept,
                 delta=None):
        self.name, self.family, self.x, self.y = name, family, x, y
        assert (delta is not None) == (family == "huber"), name
        self.delta = None if delta is None else float(delta)
        self.groups = [list(map(int, g)) for g in groups]
        self.c = np.asarray(weights, dtype=float)
        self.tau, self.alpha_rel, self.fit_intercept = float(tau), float(alpha_rel), fit_intercept
        self.n = x.shape[0]
        self.w0, self.b0 = self._null_fit()
        self.alpha_max = self._alpha_max()
        self.alpha = self.alpha_rel * self.alpha_max

    def _null_fit(self):
        """The optimum with every penalized group at zero: unpenalized groups (c_g = 0) and the
        intercept fitted (least squares for gaussian; the other families have no unpenalized
        group)."""
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
        assert not free, "only gaussian cases have unpenalized groups"
        if not self.fit_intercept:
            return w0, 0.0
        ybar = float(self.y.mean())
        if self.family == "binomial":
            return w0, float(np.log(ybar / (1.0 - ybar)))
        if self.family == "poisson":
            return w0, float(np.log(ybar))
        return w0, huber_location(self.y, self.delta)

    def dl_deta(self, eta):
        """dL/deta (includes the 1/n)."""
        if self.family == "gaussian":
            return (eta - self.y) / self.n
        if self.family == "poisson":
            return (np.exp(eta) - self.y) / self.n
        if self.family == "huber":
            return np.clip(eta - self.y, -self.delta, self.delta) / self.n
        return (sigmoid(eta) - self.y) / self.n

    def loss(self, w, b):
        eta = self.x @ w + b
        if self.family == "gaussian":
            return float(0.5 * np.sum((self.y - eta) ** 2) / self.n)
        if self.family == "poisson":
            return float(np.mean(np.exp(eta) - self.y * eta))
        if self.family == "huber":
            r = np.abs(self.y - eta)
            d = self.delta
            return float(np.mean(np.where(r <= d, 0.5 * r * r, d * (r - 0.5 * d))))
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
    yt = case.y
    if case.family == "gaussian":
        datafit = QuadraticGroup(grp_ptr=grp_ptr, grp_indices=grp_indices)
        dname = "QuadraticGroup"
    elif case.family == "binomial":
        datafit = LogisticGroup(grp_ptr=grp_ptr, grp_indices=grp_indices)
        dname = "LogisticGroup"
        yt = 2.0 * case.y - 1.0
    elif case.family == "poisson":
        datafit = PoissonGroup(grp_ptr=grp_ptr, grp_indices=grp_indices)
        dname = "PoissonGroup"
    else:
        datafit = HuberGroup(delta=case.delta, grp_ptr=grp_ptr, grp_indices=grp_indices)
        dname = f"HuberGroup(delta={case.delta}) [defined in scripts/make_group_fixtures.py]"
    if case.tau == 0.0:
        pen = WeightedGroupL2(alpha=case.alpha, weights=case.c.copy(), grp_ptr=grp_ptr,
                              grp_indices=grp_indices)
        call = "WeightedGroupL2(alpha, weights=c)"
    else:
        pen = WeightedL1GroupL2(alpha=case.alpha, weights_groups=(1.0 - case.tau) * case.c,
                                weights_features=feature_weights(case),
                                grp_ptr=grp_ptr, grp_indices=grp_indices)
        call = "WeightedL1GroupL2(alpha, weights_groups=(1-tau) c, weights_features=tau)"
    if case.family == "poisson":
        # PoissonGroup has no get_lipschitz (GroupBCD needs it); GroupProxNewton needs the
        # penalty's subdiff_distance (WeightedGroupL2 only: tau = 0).
        assert case.tau == 0.0, case.name
        solver = GroupProxNewton(max_iter=1000, tol=TOL, fit_intercept=case.fit_intercept)
        solver_call = (f"GroupProxNewton(tol={TOL}, fit_intercept={case.fit_intercept}, "
                       "max_iter=1000)")
    else:
        # WeightedL1GroupL2 has no subdiff_distance in skglm 0.5: the fixed-point working-set
        # score.
        ws = "subdiff" if case.tau == 0.0 else "fixpoint"
        solver = GroupBCD(max_iter=10_000, max_epochs=100_000, tol=TOL,
                          fit_intercept=case.fit_intercept, ws_strategy=ws)
        solver_call = f"GroupBCD(tol={TOL}, fit_intercept={case.fit_intercept}, ws_strategy='{ws}')"
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
        "call": f"{solver_call}.solve(X, y, {dname}, {call})",
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
    rec = {
        "name": case.name, "problem": case.problem, "family": case.family,
        "groups": case.groups, "group_weights": flist(case.c), "tau": case.tau,
        "alpha": float(case.alpha), "alpha_max": float(case.alpha_max),
        "alpha_rel": case.alpha_rel, "fit_intercept": case.fit_intercept,
        "coef": flist(w), "intercept": float(b), "objective": float(obj),
        "kkt": float(kkt), "kkt_intercept": float(kkt_b), "solver": solver,
    }
    if case.delta is not None:  # huber only: the other records stay as they were
        rec["delta"] = case.delta
    return rec


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

    # own generators: the data above (and so the cases on it) stay as they were
    rng_c = np.random.default_rng(20261205)
    nc, pc = 100, 12
    xc = 0.5 * rng_c.standard_normal((nc, pc))
    wc = np.zeros(pc)
    wc[0:3] = [0.5, -0.4, 0.3]
    wc[6:9] = [-0.5, 0.0, 0.4]
    yc = rng_c.poisson(np.exp(xc @ wc + 0.5)).astype(float)
    problems["counts"] = {"x": xc, "y": yc, "w_true": wc}
    triples_c = [list(range(3 * i, 3 * i + 3)) for i in range(pc // 3)]

    rng_r = np.random.default_rng(20261206)
    nr, pr = 80, 15
    xr = rng_r.standard_normal((nr, pr))
    sizes_r = [3, 3, 4, 5]
    bounds_r = np.cumsum([0] + sizes_r)
    groups_r = [list(range(bounds_r[i], bounds_r[i + 1])) for i in range(len(sizes_r))]
    wr = np.zeros(pr)
    wr[groups_r[0]] = [1.0, -1.5, 0.8]
    wr[groups_r[2]] = [1.2, 0.0, -0.9, 0.6]
    yr = xr @ wr + 1.0 + 0.3 * rng_r.standard_normal(nr)
    outliers = np.sort(rng_r.choice(nr, size=nr // 10, replace=False))
    yr[outliers] += 8.0 * rng_r.choice([-1.0, 1.0], size=len(outliers))
    problems["robust"] = {"x": xr, "y": yr, "w_true": wr,
                          "outlier_rows": [int(i) for i in outliers]}

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
    specs = [s + (None,) for s in specs]  # delta (huber only)
    # poisson: tau = 0 only (GroupProxNewton, see the docstring)
    for rel in (0.4, 0.05):
        specs.append((f"gl_counts_{rel}", "counts", "poisson", triples_c, sqrt_sizes(triples_c),
                      0.0, rel, True, None))
    specs.append(("gl_counts_noint_0.1", "counts", "poisson", triples_c, sqrt_sizes(triples_c),
                  0.0, 0.1, False, None))
    for rel in (0.4, 0.05):
        specs.append((f"gl_robust_{rel}", "robust", "huber", groups_r, sqrt_sizes(groups_r),
                      0.0, rel, True, HUBER_DELTA))
    specs.append(("sgl_robust_tau0.3_0.1", "robust", "huber", groups_r, sqrt_sizes(groups_r),
                  0.3, 0.1, True, HUBER_DELTA))
    specs.append(("gl_robust_delta0.5_0.1", "robust", "huber", groups_r, sqrt_sizes(groups_r),
                  0.0, 0.1, True, 0.5))

    cases = []
    for name, prob, family, groups, weights, tau, rel, fi, delta in specs:
        d = problems[prob]
        case = Case(name, family, d["x"], d["y"], groups, weights, tau, rel, fi, delta)
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
            "description": "group lasso and sparse group lasso (least squares, logistic, "
                           "Poisson and Huber) references from skglm GroupBCD and "
                           "GroupProxNewton (Poisson) (issue #23)",
            "generator": {
                "script": "scripts/make_group_fixtures.py", "python": platform.python_version(),
                "numpy": np.__version__, "scipy": scipy.__version__,
                "sklearn": sklearn.__version__, "skglm": skglm.__version__,
            },
            "conventions": {
                "objective": "F(w, b) = L(w, b) + alpha (tau ||w||_1 + (1 - tau) sum_g c_g "
                             "||w_G_g||_2), eta = Xw + b; L = ||y - eta||^2/(2n) (gaussian), "
                             "mean log(1 + exp(-(2y-1) eta)) (binomial, y in {0,1}), "
                             "mean(exp(eta) - y eta) (poisson, y >= 0 counts) or "
                             "mean h_delta(y - eta) (huber, h_delta(r) = r^2/2 for |r| <= delta, "
                             "delta (|r| - delta/2) otherwise; delta in the case)",
                "dl_deta": "(eta - y)/n (gaussian), (sigmoid(eta) - y)/n (binomial), "
                           "(exp(eta) - y)/n (poisson), clip(eta - y, -delta, delta)/n (huber)",
                "delta": "huber cases only (1.35 unless the name says otherwise)",
                "groups": "lists of 0-based feature indices (a partition of 0..p-1, any order)",
                "group_weights": "c_g (0: group unpenalized)",
                "alpha_max": "smallest alpha with every penalized group zero at the optimum (unpenalized groups and intercept at their own optimum)",
                "null_intercept": "b0 = log(ybar/(1-ybar)) (binomial), log(ybar) (poisson), "
                                  "argmin_b sum h_delta(y - b) by bisection to 1e-15 relative "
                                  "(huber), least squares (gaussian)",
                "kkt": "max over groups of the Euclidean distance of -dL/dw_G to alpha dg(w)_G; "
                       "kkt_intercept = |dL/db|; asserted <= 1e-8",
                "matrices": "x is row-major [n][p]",
            },
            "notes": [
                "skglm's WeightedL1GroupL2.prox_1group indexes weights_features by group number; "
                "equal feature weights make that harmless (see the script's docstring)",
                "every case: skglm's own compiled datafit.value + penalty.value at the stored "
                "solution equals F to 1e-12 (solver.tool_objective_minus_objective)",
                "poisson: skglm's PoissonGroup with GroupProxNewton (PoissonGroup lacks the "
                "get_lipschitz GroupBCD needs; GroupProxNewton needs subdiff_distance, which "
                "WeightedL1GroupL2 lacks, so tau = 0 only)",
                "huber: skglm 0.5 has no group Huber datafit; HuberGroup is defined in "
                "scripts/make_group_fixtures.py (value, gradient_g, get_lipschitz = "
                "||X_g||_2^2/n, intercept_update_step = dL/db) and solved with skglm's GroupBCD; "
                "its correctness rests on the independent KKT check (<= 1e-8)",
                "problem 'robust' lists its outlier rows (outlier_rows)",
            ],
        },
        "problems": {
            k: {"n_samples": int(v["x"].shape[0]), "n_features": int(v["x"].shape[1]),
                "x": [flist(r) for r in v["x"]], "y": flist(v["y"]),
                "w_true": flist(v["w_true"]),
                **({"outlier_rows": v["outlier_rows"]} if "outlier_rows" in v else {})}
            for k, v in problems.items()
        },
        "cases": cases,
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
