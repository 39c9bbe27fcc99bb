#!/usr/bin/env python3
"""POISSON and HUBER references (tests/fixtures/{poisson_glum,poisson_skglm,huber_skglm}.json),
issue #21.

Run (CPython 3.11, x86-64 Linux):

    python3 -m venv .venv-fixtures
    .venv-fixtures/bin/pip install numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 \
        skglm==0.5 glum==3.4.1
    .venv-fixtures/bin/python scripts/make_glm_family_fixtures.py

Objectives (proxreg's convention; s = sample weights, s = 1 when absent, m = sum_i s_i):

    Poisson: F(w, b) = (1/m) sum_i s_i [exp(eta_i) - y_i eta_i] + alpha g(w),
             eta = X w + b + offset
    Huber:   F(w, b) = (1/m) sum_i s_i h_delta(y_i - eta_i) + alpha g(w),  eta = X w + b,
             h_delta(r) = r^2/2 (|r| <= delta), delta |r| - delta^2/2 (|r| > delta)
    g(w) = rho ||w||_1 + (1 - rho)/2 ||w||^2 (rho = l1_ratio; lasso rho = 1), b unpenalized
    (0 when fit_intercept is false).

standardize = true (one glum case): the penalty applies to u = sigma * w, sigma_j the s-weighted
population std (1/m, around the weighted mean) of x_j; coefficients are stored on the raw scale.
This is glum's scale_predictors=True (tabmat's _get_col_stds with weights normalised to sum 1;
glum refuses scale_predictors without an intercept, so there is no no-intercept ambiguity); the
script asserts sigma == glum's col_stds_.

Conventions verified in the installed sources (see the JSON's meta.notes):
  * glum 3.4.1 (_glm.py, GeneralizedLinearRegressor docstring and _set_up_and_check_fit_args):
    it minimises 1/(2 sum s) sum_i s_i d(y_i, mu_i) + alpha l1_ratio ||P1 w||_1
    + alpha (1 - l1_ratio)/2 w'P2w with P1 = P2 = identity, and _distribution.py's Poisson unit
    deviance d(y, mu) = 2 (y log(y/mu) - y + mu). Half of it is exp(eta) - y eta + (y log y - y),
    so glum's objective = F + c, c = (1/m) sum_i s_i (y_i log y_i - y_i): same alpha, same
    l1_ratio, no factor 2 left (the 1/2 in front cancels the 2 of the deviance). The script
    checks F_glum - F == c to 1e-12 for every case using glum's own deviance.
  * skglm 0.5 (datafits/single_task.py): Poisson.value = sum(exp(Xw) - y Xw) / n (exactly F's
    loss, unweighted, no offset); Huber.value = mean of h_delta(y - Xw) with the same h_delta;
    L1(alpha).value = alpha ||w||_1, L1_plus_L2(alpha, l1_ratio).value = alpha (l1_ratio ||w||_1 +
    (1 - l1_ratio)/2 ||w||^2). Checked in the script with skglm's compiled datafit and penalty.

Every case asserts: the stored reference (a real glum / skglm run, not polished) has KKT
violation <= 1e-8 in proxreg's convention: max_j dist(-dF_loss/du_j, alpha dg(u_j)) and |dF/db|.
"""
import json
import math
import pathlib
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from scipy.optimize import brentq
from sklearn.linear_model import HuberRegressor

import glum
import skglm
from glum import GeneralizedLinearRegressor
from glum._distribution import PoissonDistribution
from skglm import GeneralizedLinearEstimator
from skglm.datafits import Huber, Poisson
from skglm.penalties import L1, L1_plus_L2
from skglm.solvers import AndersonCD, ProxNewton
from skglm.utils.jit_compilation import compiled_clone

ROOT = pathlib.Path(__file__).resolve().parent.parent
KKT_MAX = 1e-8
GLUM_GRADIENT_TOL = 1e-12
SKGLM_TOL = 1e-13

warnings.simplefilter("error")


def flist(v):
    return [float(t) for t in v]


# ------------------------------------------------------------------- losses, objective, KKT
def pen(u, rho):
    return rho * np.sum(np.abs(u)) + 0.5 * (1.0 - rho) * np.sum(u * u)


def loss_and_deta(family, y, eta, s, delta):
    """(loss, dloss/deta) of (1/m) sum_i s_i l(y_i, eta_i)."""
    m = s.sum()
    if family == "poisson":
        mu = np.exp(eta)
        return float(np.sum(s * (mu - y * eta)) / m), s * (mu - y) / m
    r = y - eta
    a = np.abs(r)
    h = np.where(a <= delta, 0.5 * r * r, delta * a - 0.5 * delta * delta)
    return float(np.sum(s * h) / m), -s * np.clip(r, -delta, delta) / m


class Case:
    """One problem in proxreg's convention (z = x / x_scale, penalty on u = x_scale * w)."""

    def __init__(self, family, x, y, alpha_rel, rho, fit_intercept, delta=None, sw=None,
                 offset=None, standardize=False):
        self.family, self.x, self.y, self.rho, self.fit_intercept = family, x, y, rho, fit_intercept
        self.delta, self.sw, self.offset, self.standardize = delta, sw, offset, standardize
        n, p = x.shape
        self.s = np.ones(n) if sw is None else np.asarray(sw, float)
        self.off = np.zeros(n) if offset is None else np.asarray(offset, float)
        m = self.s.sum()
        if standardize:
            assert fit_intercept
            mu = (self.s @ x) / m
            self.sigma = np.sqrt((self.s @ (x - mu) ** 2) / m)
        else:
            self.sigma = np.ones(p)
        self.z = x / self.sigma
        self.alpha_max = self._alpha_max()
        self.alpha_rel = alpha_rel
        self.alpha = self.alpha_max * alpha_rel

    def eta(self, w, b):
        return self.x @ w + b + self.off

    def _null_intercept(self):
        s, y = self.s, self.y
        if not self.fit_intercept:
            return 0.0
        if self.family == "poisson":
            return float(np.log(np.sum(s * y) / np.sum(s * np.exp(self.off))))
        # Huber: the root of sum_i s_i psi(y_i - b) (decreasing in b)
        d = self.delta
        phi = lambda b: float(np.sum(s * np.clip(y - b, -d, d)))
        return brentq(phi, y.min() - 1.0, y.max() + 1.0, xtol=1e-15, rtol=4 * np.finfo(float).eps)

    def _alpha_max(self):
        b0 = self._null_intercept()
        _, de = loss_and_deta(self.family, self.y, b0 + self.off, self.s, self.delta)
        return float(np.max(np.abs(self.z.T @ de)))

    def objective(self, w, b):
        loss, _ = loss_and_deta(self.family, self.y, self.eta(w, b), self.s, self.delta)
        return loss + self.alpha * pen(self.sigma * w, self.rho)

    def kkt(self, w, b):
        """(max_j dist(-d loss/du_j, alpha dg(u_j)), |dF/db|), u = sigma * w."""
        u = self.sigma * w
        _, de = loss_and_deta(self.family, self.y, self.eta(w, b), self.s, self.delta)
        g = self.z.T @ de + self.alpha * (1.0 - self.rho) * u
        l1 = self.alpha * self.rho
        viol = np.where(u != 0, np.abs(g + l1 * np.sign(u)), np.maximum(np.abs(g) - l1, 0.0))
        return float(viol.max()), (abs(float(de.sum())) if self.fit_intercept else 0.0)

    def record(self, name, penalty, coef, intercept, solver, extra=None):
        kv, kb = self.kkt(coef, intercept)
        out = {
            "name": name, "family": self.family, "penalty": penalty,
            "alpha": float(self.alpha), "alpha_max": float(self.alpha_max),
            "alpha_rel": float(self.alpha_rel), "l1_ratio": float(self.rho),
            "delta": None if self.delta is None else float(self.delta),
            "fit_intercept": self.fit_intercept, "standardize": self.standardize,
            "x_scale": flist(self.sigma) if self.standardize else None,
            "sample_weight": None if self.sw is None else flist(self.sw),
            "offset": None if self.offset is None else flist(self.offset),
            "coef": flist(coef), "intercept": float(intercept),
            "objective": self.objective(coef, intercept),
            "kkt": kv, "kkt_intercept": kb, "solver": solver,
        }
        out.update(extra or {})
        return out


# ----------------------------------------------------------------------------------------- glum
def run_glum(case):
    est = GeneralizedLinearRegressor(
        family="poisson", link="log", alpha=case.alpha, l1_ratio=case.rho,
        fit_intercept=case.fit_intercept, solver="irls-cd", gradient_tol=GLUM_GRADIENT_TOL,
        max_iter=1000, max_inner_iter=1_000_000, scale_predictors=case.standardize,
        selection="cyclic")
    with warnings.catch_warnings(record=True) as caught:
        # with a zero sample weight glum's get_one_over_variance divides mu by 0 and takes
        # 1/inf = 0 (the right value); at gradient_tol 1e-12 its line search can also report
        # failure near machine precision. Both are recorded; the KKT check decides.
        warnings.simplefilter("always")
        est.fit(case.x, case.y, sample_weight=case.sw, offset=case.offset)
    caught = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    coef = np.asarray(est.coef_, float).copy()
    b = float(est.intercept_) if case.fit_intercept else 0.0
    if case.standardize:
        np.testing.assert_allclose(est.col_stds_, case.sigma, rtol=1e-12, atol=0)
    # glum's own objective value: 1/(2 sum s) deviance + penalty (P1 = P2 = identity)
    mu = np.exp(case.eta(coef, b))
    dev = PoissonDistribution().deviance(case.y, mu, sample_weight=case.s)
    f_glum = dev / (2.0 * case.s.sum()) + case.alpha * pen(case.sigma * coef, case.rho)
    y, s = case.y, case.s
    const = float(np.sum(s * (np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0) - y))
                  / s.sum())
    f = case.objective(coef, b)
    assert abs((f_glum - f) - const) <= 1e-12 * max(1.0, abs(f_glum)), (f_glum, f, const)
    info = {
        "tool": f"glum {glum.__version__}",
        "call": (f"GeneralizedLinearRegressor(family='poisson', link='log', alpha={case.alpha!r}, "
                 f"l1_ratio={case.rho!r}, fit_intercept={case.fit_intercept}, solver='irls-cd', "
                 f"gradient_tol={GLUM_GRADIENT_TOL!r}, max_iter=1000, max_inner_iter=1000000, "
                 f"scale_predictors={case.standardize}, selection='cyclic')"
                 f".fit(X, y, sample_weight={'s' if case.sw is not None else None}, "
                 f"offset={'offset' if case.offset is not None else None})"),
        "tool_alpha": float(case.alpha), "tol": GLUM_GRADIENT_TOL,
        "n_iter": int(est.n_iter_), "warnings": caught,
        "tool_objective": float(f_glum), "tool_objective_minus_objective": float(f_glum - f),
    }
    return coef, b, info


# ---------------------------------------------------------------------------------------- skglm
def skglm_penalty(case):
    if case.rho == 1.0:
        return L1(case.alpha), f"L1(alpha={case.alpha!r})"
    return (L1_plus_L2(case.alpha, case.rho),
            f"L1_plus_L2(alpha={case.alpha!r}, l1_ratio={case.rho!r})")


def run_skglm(case):
    assert case.sw is None and case.offset is None and not case.standardize
    penalty, pen_str = skglm_penalty(case)
    if case.family == "poisson":
        datafit, df_str = Poisson(), "Poisson()"
        solver = ProxNewton(tol=SKGLM_TOL, max_iter=1000, max_pn_iter=100_000,
                            fit_intercept=case.fit_intercept)
        sv_str = (f"ProxNewton(tol={SKGLM_TOL!r}, max_iter=1000, max_pn_iter=100000, "
                  f"fit_intercept={case.fit_intercept})")
    else:
        datafit, df_str = Huber(case.delta), f"Huber(delta={case.delta!r})"
        solver = AndersonCD(tol=SKGLM_TOL, max_iter=1000, max_epochs=1_000_000,
                            fit_intercept=case.fit_intercept)
        sv_str = (f"AndersonCD(tol={SKGLM_TOL!r}, max_iter=1000, max_epochs=1000000, "
                  f"fit_intercept={case.fit_intercept})")
    est = GeneralizedLinearEstimator(datafit=datafit, penalty=penalty, solver=solver)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(case.x, case.y)
    caught = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    coef = np.asarray(est.coef_, float).ravel().copy()
    b = float(est.intercept_) if case.fit_intercept else 0.0
    # skglm's own objective value with its compiled datafit / penalty
    cdf = compiled_clone(datafit)
    cpen = compiled_clone(penalty)
    xw = case.x @ coef + b
    f_sk = float(cdf.value(case.y, coef, xw)) + float(cpen.value(coef))
    f = case.objective(coef, b)
    assert abs(f_sk - f) <= 1e-13 * max(1.0, abs(f)), (f_sk, f)
    info = {
        "tool": f"skglm {skglm.__version__}",
        "call": f"GeneralizedLinearEstimator({df_str}, {pen_str}, {sv_str}).fit(X, y)",
        "tool_alpha": float(case.alpha), "tol": SKGLM_TOL,
        "n_iter": None, "warnings": caught,
        "tool_objective": f_sk, "tool_objective_minus_objective": float(f_sk - f),
    }
    return coef, b, info


def agreement(w_a, b_a, w_b, b_b):
    scale = max(1.0, float(np.max(np.abs(w_b))))
    return max(float(np.max(np.abs(w_a - w_b))), abs(b_a - b_b)) / scale


def check(rec, worst, label):
    k = max(rec["kkt"], rec["kkt_intercept"])
    assert k <= KKT_MAX, (label, rec["name"], rec["kkt"], rec["kkt_intercept"])
    worst[label] = max(worst.get(label, 0.0), k)
    print(f"  {label:14s} {rec['name']:34s} alpha={rec['alpha']:.6g} "
          f"nnz={sum(v != 0 for v in rec['coef']):2d} kkt={rec['kkt']:.1e} "
          f"|dF/db|={rec['kkt_intercept']:.1e} F={rec['objective']:.15g}")


# ------------------------------------------------------------------------------------------ data
def make_poisson():
    rng = np.random.default_rng(21)
    n, p = 200, 8
    e = rng.standard_normal((n, p))
    x = e.copy()
    x[:, 1] = 0.7 * x[:, 0] + np.sqrt(1 - 0.49) * e[:, 1]
    x[:, 6] = 0.5 * x[:, 5] + np.sqrt(1 - 0.25) * e[:, 6]
    x = 0.5 * x + rng.uniform(-0.5, 0.5, p)  # moderate rates, non-centered columns
    w = np.zeros(p)
    w[[0, 2, 3, 5]] = [0.6, -0.5, 0.4, 0.3]
    b = 0.5
    exposure = rng.uniform(0.5, 2.0, n)
    y = rng.poisson(exposure * np.exp(x @ w + b)).astype(float)
    weights = rng.uniform(0.2, 3.0, n)
    weights[11] = 0.0
    desc = ("n=200, p=8, E ~ N(0,1) (numpy default_rng(21)), x1 = 0.7x0 + 0.714e1, "
            "x6 = 0.5x5 + 0.866e6, X = 0.5 E + U(-0.5, 0.5) per column; w* = 0.6e0 - 0.5e2 + "
            "0.4e3 + 0.3e5, b* = 0.5; exposure ~ U(0.5, 2); y ~ Poisson(exposure exp(X w* + b*)) "
            "(the same y for every case: cases without offset model counts without exposure); "
            "sample_weight ~ U(0.2, 3) with row 11 weight 0; offset = log(exposure)")
    return x, y, w, b, exposure, weights, desc


def make_huber():
    rng = np.random.default_rng(2121)
    n, p = 200, 10
    e = rng.standard_normal((n, p))
    x = e.copy()
    x[:, 1] = 0.8 * x[:, 0] + 0.6 * e[:, 1]
    x += rng.uniform(-1.0, 1.0, p)
    w = np.zeros(p)
    w[[0, 3, 4, 7]] = [1.5, -1.0, 0.8, 0.5]
    b = 1.0
    y = x @ w + b + 0.5 * rng.standard_normal(n)
    out = rng.choice(n, size=20, replace=False)
    y[out] += rng.choice([-1.0, 1.0], 20) * rng.uniform(8.0, 20.0, 20)
    desc = ("n=200, p=10, X ~ N(0,1) (numpy default_rng(2121)), x1 = 0.8x0 + 0.6e1, columns "
            "shifted by U(-1,1); w* = 1.5e0 - 1.0e3 + 0.8e4 + 0.5e7, b* = 1; y = X w* + b* + "
            "0.5 N(0,1), then 20 rows (10 %, listed in outlier_rows) get +-U(8, 20) added")
    return x, y, w, b, np.sort(out), desc


# ----------------------------------------------------------------------------------------- main
def main():
    versions = {"script": "scripts/make_glm_family_fixtures.py",
                "python": platform.python_version(), "numpy": np.__version__,
                "scipy": scipy.__version__, "sklearn": sklearn.__version__,
                "glum": glum.__version__, "skglm": skglm.__version__}
    common = {
        "penalty": "g(w) = rho ||w||_1 + (1-rho)/2 ||w||^2, rho = l1_ratio (lasso: 1); with "
                   "standardize the penalty is on u = x_scale * w (x_scale: s-weighted "
                   "population std around the weighted mean); coef are on the raw scale",
        "alpha_max": "the lasso's: ||Z^T dloss/deta(b0)||_inf, Z = X / x_scale, b0 the "
                     "intercept-only optimum (0 without intercept); alpha = alpha_rel * "
                     "alpha_max, also for enet",
        "kkt": "max_j dist(-dloss/du_j, alpha dg(u_j)) (u = x_scale * w, = w unless "
               "standardize); kkt_intercept = |dF/db| (0 without intercept); both computed by "
               "the script from the stored coef / intercept, asserted <= 1e-8",
        "objective": "F(coef, intercept) in proxreg's convention, numpy float64",
        "tool_objective": "the tool's own objective value at the stored solution (glum: "
                          "1/(2 sum s) deviance + penalty; skglm: datafit.value + "
                          "penalty.value of its compiled classes)",
        "agreement": "max(max_j |w_j - w_ref_j|, |b - b_ref|) / max(1, max_j |w_ref_j|)",
        "matrices": "x is row-major [n][p]",
    }
    poisson_conv = dict(common, objective_definition=(
        "F(w, b) = (1/m) sum_i s_i [exp(eta_i) - y_i eta_i] + alpha g(w), eta = X w + b + "
        "offset, m = sum_i s_i (n without weights), b unpenalized (0 without intercept)"))
    huber_conv = dict(common, objective_definition=(
        "F(w, b) = (1/m) sum_i s_i h_delta(y_i - eta_i) + alpha g(w), eta = X w + b, "
        "h_delta(r) = r^2/2 if |r| <= delta else delta |r| - delta^2/2; m = n (no weights "
        "here), b unpenalized (0 without intercept)"))
    glum_note = (
        "glum 3.4.1 GeneralizedLinearRegressor minimises 1/(2 sum s) sum_i s_i d(y_i, mu_i) + "
        "alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2 (class docstring; "
        "_set_up_and_check_fit_args divides the weights by their sum), mu = exp(X w + b + "
        "offset), with the Poisson unit deviance d(y, mu) = 2 (y log(y/mu) - y + mu) "
        "(_distribution.py PoissonDistribution.unit_deviance). So d/2 = exp(eta) - y eta + "
        "(y log y - y) and glum's objective = F + c, c = (1/m) sum_i s_i (y_i log y_i - y_i) "
        "(0 log 0 = 0), a constant: glum's alpha = proxreg's alpha and l1_ratio = l1_ratio; "
        "there is no factor 2 to convert (the 1/2 in front of the deviance cancels the 2 inside "
        "it). Checked per case: tool_objective - objective = c to 1e-12 with glum's own "
        "deviance. offset= is glum's fit argument (added to the linear predictor). "
        "scale_predictors=True = proxreg's standardize (tabmat _get_col_stds: sqrt(sum_i "
        "s_i/m (x_ij - mean_j)^2), weighted population std around the weighted mean; glum "
        "refuses it without an intercept); the script asserts col_stds_ == x_scale to 1e-12.")
    skglm_poisson_note = (
        "skglm 0.5 Poisson.value(y, w, Xw) = sum(exp(Xw) - y Xw) / n (datafits/single_task.py): "
        "F's loss exactly (no weights, no offset; the intercept is added into Xw by the "
        "solver). L1(alpha).value = alpha ||w||_1, L1_plus_L2(alpha, l1_ratio).value = alpha "
        "(l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2): same alpha, same l1_ratio. Checked per "
        "case: tool_objective = objective to 1e-13. ProxNewton's stopping criterion is the max "
        "of the subdifferential distance and |sum raw_grad| (the intercept), i.e. the KKT "
        "measure here. Aside: skglm 0.5's Poisson.full_grad_sparse computes exp(Xw - y) instead "
        "of exp(Xw) - y (sparse designs only; not used here).")
    skglm_huber_note = (
        "skglm 0.5 Huber(delta).value(y, w, Xw) = (1/n) sum_i f(y_i - Xw_i), f(r) = r^2/2 "
        "if |r| < delta else delta |r| - delta^2/2 (datafits/single_task.py): proxreg's "
        "h_delta exactly (the two branches agree at |r| = delta; unweighted); penalties as "
        "for Poisson: same alpha, same l1_ratio. Checked per case: tool_objective = "
        "objective to 1e-13.")

    worst = {}
    # ---------------------------------------------------------------- Poisson (glum + skglm)
    x, y, wtrue, btrue, exposure, weights, desc = make_poisson()
    offset = np.log(exposure)
    print(f"poisson: n={x.shape[0]} p={x.shape[1]} mean(y)={y.mean():.3f} max(y)={y.max():.0f}")
    specs = [
        # name, penalty, rel, rho, fit_intercept, sw, offset, standardize
        ("lasso_rel0.5", "lasso", 0.5, 1.0, True, None, None, False),
        ("lasso_rel0.1", "lasso", 0.1, 1.0, True, None, None, False),
        ("lasso_rel0.01", "lasso", 0.01, 1.0, True, None, None, False),
        ("enet0.5_rel0.1", "enet", 0.1, 0.5, True, None, None, False),
        ("lasso_weighted_rel0.1", "lasso", 0.1, 1.0, True, weights, None, False),
        ("lasso_offset_rel0.1", "lasso", 0.1, 1.0, True, None, offset, False),
        ("enet0.5_offset_weighted_rel0.1", "enet", 0.1, 0.5, True, weights, offset, False),
        ("lasso_nointercept_rel0.1", "lasso", 0.1, 1.0, False, None, None, False),
        ("lasso_standardized_rel0.1", "lasso", 0.1, 1.0, True, None, None, True),
    ]
    glum_cases, glum_by_name = [], {}
    for name, penalty, rel, rho, fi, sw, off, std in specs:
        case = Case("poisson", x, y, rel, rho, fi, sw=sw, offset=off, standardize=std)
        coef, b, info = run_glum(case)
        rec = case.record(name, penalty, coef, b, info)
        check(rec, worst, "glum")
        glum_cases.append(rec)
        glum_by_name[name] = (coef, b)
    problem = {"name": "poisson_counts", "description": desc, "n_samples": int(x.shape[0]),
               "n_features": int(x.shape[1]), "x": [flist(r) for r in x], "y": flist(y),
               "w_true": flist(wtrue), "intercept_true": btrue, "exposure": flist(exposure),
               "outlier_rows": None}
    write("poisson_glum", "Poisson (log link) elastic-net references from glum (issue #21)",
          versions, poisson_conv, {"glum": glum_note}, problem, glum_cases)

    sk_cases = []
    agree_worst = 0.0
    for name, penalty, rel, rho, fi, sw, off, std in specs:
        if sw is not None or off is not None or std:
            continue
        case = Case("poisson", x, y, rel, rho, fi)
        coef, b, info = run_skglm(case)
        wg, bg = glum_by_name[name]
        ag = agreement(coef, b, wg, bg)
        agree_worst = max(agree_worst, ag)
        rec = case.record(name, penalty, coef, b, info, {
            "cross_check": {"tool": f"glum {glum.__version__}", "coef": flist(wg),
                            "intercept": float(bg), "objective": case.objective(wg, bg),
                            "agreement": ag}})
        check(rec, worst, "skglm-poisson")
        print(f"    glum vs skglm agreement {ag:.2e}, objective difference "
              f"{rec['objective'] - rec['cross_check']['objective']:.2e}")
        sk_cases.append(rec)
    worst["glum_vs_skglm_agreement"] = agree_worst
    write("poisson_skglm", "Poisson (log link) elastic-net references from skglm ProxNewton, "
          "cross-checked against glum on the same cases (issue #21)",
          versions, poisson_conv, {"skglm": skglm_poisson_note, "glum": glum_note},
          problem, sk_cases)

    # ---------------------------------------------------------------------------- Huber (skglm)
    x, y, wtrue, btrue, outliers, desc = make_huber()
    print(f"huber: n={x.shape[0]} p={x.shape[1]}")
    hspecs = [
        ("d1.35_lasso_rel0.5", "lasso", 0.5, 1.0, True, 1.35),
        ("d1.35_lasso_rel0.1", "lasso", 0.1, 1.0, True, 1.35),
        ("d1.35_lasso_rel0.01", "lasso", 0.01, 1.0, True, 1.35),
        ("d1.35_enet0.5_rel0.1", "enet", 0.1, 0.5, True, 1.35),
        ("d1.35_lasso_nointercept_rel0.1", "lasso", 0.1, 1.0, False, 1.35),
        ("d0.5_lasso_rel0.1", "lasso", 0.1, 1.0, True, 0.5),
        ("d0.5_lasso_rel0.01", "lasso", 0.01, 1.0, True, 0.5),
        ("d0.5_enet0.5_rel0.1", "enet", 0.1, 0.5, True, 0.5),
    ]
    h_cases = []
    for name, penalty, rel, rho, fi, delta in hspecs:
        case = Case("huber", x, y, rel, rho, fi, delta=delta)
        coef, b, info = run_skglm(case)
        rec = case.record(name, penalty, coef, b, info)
        check(rec, worst, "skglm-huber")
        h_cases.append(rec)
    sk_note = sklearn_huber_note(x, y)
    problem = {"name": "huber_outliers", "description": desc, "n_samples": int(x.shape[0]),
               "n_features": int(x.shape[1]), "x": [flist(r) for r in x], "y": flist(y),
               "w_true": flist(wtrue), "intercept_true": btrue, "exposure": None,
               "outlier_rows": [int(i) for i in outliers]}
    write("huber_skglm", "Huber elastic-net references from skglm AndersonCD (issue #21)",
          versions, huber_conv, {"skglm": skglm_huber_note, "sklearn_HuberRegressor": sk_note},
          problem, h_cases)
    for k, v in worst.items():
        print(f"worst {k}: {v:.3e}")


def sklearn_huber_note(x, y):
    """HuberRegressor mapping, verified numerically (information only, not a fixture)."""
    eps, a_sk = 1.35, 1.0
    n = x.shape[0]
    est = HuberRegressor(epsilon=eps, alpha=a_sk, fit_intercept=True, max_iter=100_000,
                         tol=1e-12)
    est.fit(x, y)
    sigma = float(est.scale_)
    delta = eps * sigma
    alpha_p = a_sk * sigma / n
    case = Case("huber", x, y, 1.0, 0.0, True, delta=delta)
    case.alpha = alpha_p  # ridge: rho = 0
    kv, kb = case.kkt(est.coef_, float(est.intercept_))
    assert max(kv, kb) <= 1e-5, (kv, kb)  # L-BFGS-B stops on its relative ftol first
    # Newton on proxreg's (smooth, piecewise-quadratic) ridge-Huber objective at that (delta,
    # alpha) from scikit-learn's point: the exact minimiser, to measure how close sklearn is
    xa = np.hstack([x, np.ones((n, 1))])
    v = np.append(est.coef_, est.intercept_)
    for _ in range(50):
        r = y - xa @ v
        g = -xa.T @ np.clip(r, -delta, delta) / n
        g[:-1] += alpha_p * v[:-1]
        hm = xa.T @ (xa * (np.abs(r) <= delta)[:, None]) / n
        hm[:-1, :-1] += alpha_p * np.eye(x.shape[1])
        v = v - np.linalg.solve(hm, g)
        if max(case.kkt(v[:-1], v[-1])) <= 1e-15:
            break
    kn = max(case.kkt(v[:-1], v[-1]))
    assert kn <= 1e-13, kn
    ag = agreement(est.coef_, float(est.intercept_), v[:-1], v[-1])
    assert ag <= 1e-4, ag
    return (
        "scikit-learn 1.9.1 HuberRegressor(epsilon, alpha) (linear_model/_huber.py "
        "_huber_loss_and_gradient) minimises over (w, c, sigma > 0): sum_i s_i [sigma + sigma "
        "H_eps(r_i/sigma)] + alpha ||w||^2, r = y - Xw - c, H_eps(z) = z^2 (|z| <= eps), "
        "2 eps |z| - eps^2 (else); the scale sigma is fitted jointly and the L2 penalty is "
        "neither divided by m nor halved. For a fixed sigma, sigma H_eps(r/sigma) = (2/sigma) "
        "h_delta(r) with delta = eps sigma, so at its solution (w, c) minimises (1/m) sum_i s_i "
        "h_delta(r_i) + (alpha sigma/(2m)) ||w||^2: proxreg's Huber with delta = eps * scale_, "
        "l1_ratio = 0 (ridge) and alpha_proxreg = alpha_sklearn * scale_ / m (m = sum s). "
        "Neither delta nor alpha_proxreg is known before the fit (both depend on scale_). "
        f"Checked on this file's data: HuberRegressor(epsilon={eps}, alpha={a_sk}, tol=1e-12) "
        f"gives scale_ = {sigma!r}, i.e. delta = {delta!r}, alpha_proxreg = {alpha_p!r}; its "
        f"(coef_, intercept_) has proxreg KKT violation {kv:.1e} (|dF/db| {kb:.1e}) for that "
        "(delta, alpha, l1_ratio = 0) (its L-BFGS-B stops on the relative decrease of its own "
        "objective first); Newton on proxreg's objective from there reaches KKT "
        f"{kn:.1e} and differs from sklearn's solution by {ag:.1e} (agreement measure). Not a "
        "fixture proxreg reproduces.")


def write(stem, description, versions, conventions, notes, problem, cases):
    out = {"meta": {"format_version": 1, "name": stem, "description": description,
                    "generator": versions, "conventions": conventions, "notes": notes},
           "problem": problem, "cases": cases}
    path = ROOT / "tests" / "fixtures" / f"{stem}.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    size = path.stat().st_size
    assert size < 200_000, (path, size)
    print(f"wrote {path} ({size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    sys.exit(main())
