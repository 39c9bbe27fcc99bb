"""Shared pieces of the side-by-side comparison: data sets, alpha grids and THE duality-gap check.

Every answer of every tool (proxreg and the peers) is judged by `relative_gap` below and by
nothing else, so all tools are held to one definition of "solved".

Conventions (scikit-learn's):
    Lasso       P(w) = ||y - Xw||^2 / (2n) + alpha ||w||_1
    ElasticNet  P(w) = ||y - Xw||^2 / (2n) + alpha rho ||w||_1 + alpha (1 - rho) / 2 ||w||^2
    Ridge       ||y - Xw||^2 + a ||w||^2          (= ElasticNet with alpha = a / n, rho = 0)
With an intercept, X and y are centered first (the unpenalized intercept is profiled out).
relative gap = gap / (||y||^2 / (2n))   (y centered when there is an intercept).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Spec:
    name: str
    n: int
    p: int
    rho: float
    k: int
    seed: int


SPECS = {
    s.name: s
    for s in [
        Spec("small", 200, 50, 0.0, 10, 1),
        Spec("corr", 500, 5000, 0.6, 50, 2),
        Spec("tall", 100_000, 200, 0.5, 20, 3),
        Spec("wide", 1000, 20_000, 0.3, 100, 4),
    ]
}

SNR = 3.0
N_ALPHAS = 100
EPS = 1e-3
L1_RATIO_CV = 0.5
N_FOLDS = 5
# Ridge (scikit-learn's convention ||y - Xw||^2 + a ||w||^2): one alpha for the closed form,
# and a 50-point grid for leave-one-out CV, both proportional to n so they mean the same on
# every data set.
RIDGE_ALPHA_PER_N = 0.1
RIDGE_GRID_PER_N = np.logspace(-4, 1, 50)


def generate(spec: Spec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AR(1) design as in benchopt's Lasso benchmark: x_0 = u, x_j = rho x_{j-1} + sqrt(1-rho^2) e_j,
    so corr(x_j, x_k) = rho^|j-k|; w* has k standard-normal entries on a random support;
    y = X w* + noise with ||X w*|| / ||noise|| = SNR. Returns (X Fortran-ordered, y, w*)."""
    rng = np.random.default_rng([2026, spec.seed])
    n, p, rho = spec.n, spec.p, spec.rho
    x = np.empty((n, p), order="F")
    x[:, 0] = rng.standard_normal(n)
    c = np.sqrt(1.0 - rho * rho)
    for j in range(1, p):
        x[:, j] = rho * x[:, j - 1] + c * rng.standard_normal(n)
    w = np.zeros(p)
    support = rng.choice(p, size=spec.k, replace=False)
    w[support] = rng.standard_normal(spec.k)
    signal = x @ w
    noise = rng.standard_normal(n)
    noise *= np.linalg.norm(signal) / (SNR * np.linalg.norm(noise))
    return x, signal + noise, w


def data_paths(datadir: str, name: str) -> tuple[str, str]:
    return os.path.join(datadir, f"{name}_X.npy"), os.path.join(datadir, f"{name}_y.npy")


def ensure_data(datadir: str, name: str) -> None:
    xp, yp = data_paths(datadir, name)
    if os.path.exists(xp) and os.path.exists(yp):
        return
    os.makedirs(datadir, exist_ok=True)
    x, y, _ = generate(SPECS[name])
    np.save(xp + ".tmp.npy", x)  # np.save keeps Fortran order (fortran_order: True)
    np.save(yp + ".tmp.npy", y)
    os.replace(xp + ".tmp.npy", xp)
    os.replace(yp + ".tmp.npy", yp)


def load(datadir: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    xp, yp = data_paths(datadir, name)
    x = np.load(xp)
    y = np.load(yp)
    assert x.flags.f_contiguous and x.dtype == np.float64
    return x, y


def _center(x, y, fit_intercept):
    if not fit_intercept:
        return x, y, None, 0.0
    xm = x.mean(axis=0)
    ym = float(y.mean())
    return x, y - ym, xm, ym


def alpha_max(x, y, l1_ratio=1.0, fit_intercept=False) -> float:
    n = x.shape[0]
    _, yc, xm, _ = _center(x, y, fit_intercept)
    g = x.T @ yc
    if xm is not None:
        g -= xm * yc.sum()
    return float(np.max(np.abs(g)) / (n * l1_ratio))


def alpha_grid(x, y, l1_ratio=1.0, fit_intercept=False, n_alphas=N_ALPHAS, eps=EPS):
    amax = alpha_max(x, y, l1_ratio, fit_intercept)
    return amax * np.logspace(0.0, np.log10(eps), n_alphas)


def relative_gap(x, y, w, alpha, l1_ratio=1.0, fit_intercept=False) -> float:
    """THE common certificate: relative duality gap of `w` for the (elastic-net) problem above,
    gap / (||y||^2 / (2n)), with y centered when fit_intercept.

    Derivation (objective multiplied by n): P_n(w) = 1/2 ||r||^2 + l1 ||w||_1 + l2/2 ||w||^2 with
    r = y - Xw, l1 = n alpha rho, l2 = n alpha (1 - rho). Its Fenchel dual is
        D(theta) = 1/2 ||y||^2 - 1/2 ||y - theta||^2 - sum_j h*(x_j^T theta),
    h*(v) = (|v| - l1)_+^2 / (2 l2) for l2 > 0, and the indicator of |v| <= l1 for l2 = 0.
    Dual points tried (the gap uses the best, every one is a valid lower bound):
      * theta = s r with s = min(1, l1 / ||X^T r - l2 w||_inf): the Lasso-on-augmented-data point
        (scikit-learn's and celer's choice); for l2 = 0 this is the usual rescaled residual;
      * for l2 > 0, theta = r with the exact conjugate (tighter for the ridge part; the only one
        for l1 = 0).
    Intercept: the intercept is unpenalized, so with X, y centered the problem is the same one
    without intercept; centering is done here in float64 from the raw data."""
    x64 = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64).ravel()
    n = x64.shape[0]
    yv = np.asarray(y, dtype=np.float64)
    if fit_intercept:
        xm = x64.mean(axis=0)
        yc = yv - yv.mean()
        r = yc - (x64 @ w - xm @ w)
        xtr = x64.T @ r - xm * r.sum()
    else:
        yc = yv
        r = yc - x64 @ w
        xtr = x64.T @ r
    l1 = n * alpha * l1_ratio
    l2 = n * alpha * (1.0 - l1_ratio)
    w1 = float(np.abs(w).sum())
    w2 = float(w @ w)
    rr = float(r @ r)
    primal = 0.5 * rr + l1 * w1 + 0.5 * l2 * w2
    ynorm2 = float(yc @ yc)
    duals = []
    if l1 > 0:
        v = xtr - l2 * w
        vmax = float(np.max(np.abs(v))) if v.size else 0.0
        s = 1.0 if vmax <= l1 else l1 / vmax
        # D(s r) = 1/2||y||^2 - 1/2||y - s r||^2 - s^2 l2/2 ||w||^2 (augmented-data form)
        d = yc - s * r
        duals.append(0.5 * ynorm2 - 0.5 * float(d @ d) - 0.5 * s * s * l2 * w2)
    if l2 > 0:
        excess = np.maximum(np.abs(xtr) - l1, 0.0)
        d = yc - r
        duals.append(0.5 * ynorm2 - 0.5 * float(d @ d) - float(excess @ excess) / (2.0 * l2))
    gap = primal - max(duals)
    return max(gap, 0.0) / (0.5 * ynorm2)


TARGET_REL_GAP = 1e-6
