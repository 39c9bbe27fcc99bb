"""Shared pieces of the side-by-side comparison: data sets, alpha grids and THE duality-gap check.

Every answer of every tool (proxreg and the peers) is judged by `relative_gap` below and by
nothing else, so all tools are held to one definition of "solved".

Conventions (scikit-learn's):
    Lasso       P(w) = ||y - Xw||^2 / (2n) + alpha ||w||_1
    ElasticNet  P(w) = ||y - Xw||^2 / (2n) + alpha rho ||w||_1 + alpha (1 - rho) / 2 ||w||^2
    Ridge       ||y - Xw||^2 + a ||w||^2          (= ElasticNet with alpha = a / n, rho = 0)
With an intercept, X and y are centered first (the unpenalized intercept is profiled out).
relative gap = gap / (||y||^2 / (2n))   (y centered when there is an intercept).

T5, L1 logistic regression (proxreg's convention), binary target y in {0, 1}, with an unpenalized
intercept b:
    P(w, b) = (1/n) sum_i [log(1 + exp(eta_i)) - y_i eta_i] + alpha ||w||_1,   eta = Xw + b,
alpha_max = ||X^T (ybar - y)||_inf / n, and its one certificate is `logistic_relative_gap`
(gap / null objective).

T5c/T5d, L1 Poisson regression (log link, proxreg's convention), count target y >= 0, with an
unpenalized intercept b:
    P(w, b) = (1/n) sum_i [exp(eta_i) - y_i eta_i] + alpha ||w||_1,   eta = Xw + b,
the same alpha_max formula, and its certificate `poisson_relative_gap` (gap / (null objective -
saturated objective), i.e. gap / (null deviance / 2), as T5's gap / P0).
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
        # T5e/T5f (multinomial) and T7 (group lasso): opt-in designs (OPT_IN_SPECS), run only
        # when named in --datasets, never by the plain full run
        Spec("multi", 2000, 500, 0.6, 20, 8),
        Spec("group", 500, 1000, 0.6, 100, 9),
    ]
}
# designs the full run leaves out unless --datasets names them
OPT_IN_SPECS = ("multi", "group")

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
# T5 (L1 logistic regression): one fit at alpha_max / 10 (T5a) and a 100-alpha path down to
# 1e-2 alpha_max (T5b); the binary target's noise has std = std(X w*) / 2 (classes overlap).
LOGISTIC_RATIO = 10.0
LOGISTIC_EPS = 1e-2
LOGISTIC_NOISE = 0.5
# T5c/T5d (L1 Poisson regression): the count target's log-rate is X w* scaled to standard
# deviation POISSON_ETA_STD and shifted so that the mean rate is POISSON_MEAN
POISSON_ETA_STD = 0.5
POISSON_MEAN = 3.0
# which target file a task uses: "y" (regression), "ybin" (T5a/T5b, T6b: classes 0/1) or
# "ycount" (T5c/T5d: counts)
T5_TASKS = ("T5a", "T5b")
POISSON_TASKS = ("T5c", "T5d")
# T6: the same path tasks as T2 (Lasso, T6a) and T5b (L1 logistic, T6b) on a sparse CSC design
T6_TASKS = ("T6a", "T6b")
LOGISTIC_TASKS = T5_TASKS + ("T6b",)
# T6a's path goes down to 1e-2 alpha_max (as T5b): with p = 5 n, 1e-3 alpha_max is close to
# interpolation (thousands of nonzeros) and not what a sparse Lasso path is run for
T6_EPS = 1e-2
# T5e/T5f: L1 multinomial regression (entrywise, ungrouped), K classes; T5e one fit at
# alpha_max / LOGISTIC_RATIO, T5f K-fold CV over MULTI_CV_ALPHAS alphas alpha_max ...
# LOGISTIC_EPS alpha_max (contiguous folds), refit at the held-out deviance's minimum
MULTI_TASKS = ("T5e", "T5f")
N_CLASSES = 4
MULTI_ETA_STD = 1.5
MULTI_CV_ALPHAS = 20
# T7: group lasso path (least squares, no intercept), equal groups of GROUP_SIZE contiguous
# features, every group weight 1, 100 alphas alpha_max ... T7_EPS alpha_max
GROUP_TASKS = ("T7",)
GROUP_SIZE = 10
T7_EPS = 1e-2


def target_of(task: str) -> str:
    if task in POISSON_TASKS:
        return "ycount"
    if task in MULTI_TASKS:
        return "ymulti"
    if task in GROUP_TASKS:
        return "ygroup"
    return "ybin" if task in LOGISTIC_TASKS else "y"


def lasso_grid_of(task, x, y):
    """The Lasso path's grid: T2 down to EPS (1e-3) alpha_max, T6a down to T6_EPS (1e-2)."""
    return alpha_grid(x, y, eps=T6_EPS if task == "T6a" else EPS)


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


def binary_target(spec: Spec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """T5's target: y = 1{X w* + noise > 0} in {0., 1.}, noise ~ N(0, (std(X w*) LOGISTIC_NOISE)^2)
    from its own seeded stream (the regression data above do not change), so the classes overlap
    and the unpenalized problem has a finite solution on the n > p designs."""
    rng = np.random.default_rng([2026, spec.seed, 5])
    signal = x @ w
    noise = LOGISTIC_NOISE * float(np.std(signal)) * rng.standard_normal(spec.n)
    return (signal + noise > 0).astype(np.float64)


def count_target(spec: Spec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """T5c/T5d's target: y ~ Poisson(exp(eta)), eta = c X w* + b with c such that std(eta) =
    POISSON_ETA_STD and b such that mean(exp(eta)) = POISSON_MEAN (moderate rates, few zeros),
    from its own seeded stream (the other targets do not change)."""
    rng = np.random.default_rng([2026, spec.seed, 6])
    signal = x @ w
    eta = POISSON_ETA_STD * signal / float(np.std(signal))
    eta += np.log(POISSON_MEAN) - np.log(float(np.mean(np.exp(eta))))
    return rng.poisson(np.exp(eta)).astype(np.float64)


def multi_target(spec: Spec, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """T5e/T5f's target: labels 0..N_CLASSES-1 drawn from softmax(c X W*), W* (p x K) with
    standard-normal entries on the rows of w*'s support (the design's own sparse truth), c such
    that std(c X W*) = MULTI_ETA_STD (the classes overlap); its own seeded stream."""
    rng = np.random.default_rng([2026, spec.seed, 7])
    support = np.flatnonzero(w)
    wm = np.zeros((x.shape[1], N_CLASSES))
    wm[support] = rng.standard_normal((support.size, N_CLASSES))
    eta = x @ wm
    eta *= MULTI_ETA_STD / float(np.std(eta))
    eta -= eta.max(axis=1, keepdims=True)
    prob = np.exp(eta)
    prob /= prob.sum(axis=1, keepdims=True)
    u = rng.random(x.shape[0])
    labels = (prob.cumsum(axis=1) < u[:, None]).sum(axis=1)
    return np.minimum(labels, N_CLASSES - 1).astype(np.float64)


def group_target(spec: Spec, x: np.ndarray) -> np.ndarray:
    """T7's target: y = X w* + noise, w* group-sparse: max(1, k // GROUP_SIZE) of the groups of
    GROUP_SIZE contiguous features (drawn at random) with standard-normal entries,
    ||X w*|| / ||noise|| = SNR; its own seeded stream."""
    rng = np.random.default_rng([2026, spec.seed, 8])
    n_groups = x.shape[1] // GROUP_SIZE
    active = rng.choice(n_groups, size=min(n_groups, max(1, spec.k // GROUP_SIZE)),
                        replace=False)
    w = np.zeros(x.shape[1])
    for g in active:
        w[g * GROUP_SIZE:(g + 1) * GROUP_SIZE] = rng.standard_normal(GROUP_SIZE)
    signal = x @ w
    noise = rng.standard_normal(x.shape[0])
    noise *= np.linalg.norm(signal) / (SNR * np.linalg.norm(noise))
    return signal + noise


def data_paths(datadir: str, name: str, target: str = "y") -> tuple[str, str]:
    """(X, y) paths; for a sparse design X is the prefix of its CSC files (`csc_paths`)."""
    if name in SPARSE_SPECS:
        return os.path.join(datadir, f"{name}_X"), os.path.join(datadir, f"{name}_{target}.npy")
    return os.path.join(datadir, f"{name}_X.npy"), os.path.join(datadir, f"{name}_{target}.npy")


def _save(path, a):
    np.save(path + ".tmp.npy", a)  # np.save keeps Fortran order (fortran_order: True)
    os.replace(path + ".tmp.npy", path)


def ensure_data(datadir: str, name: str) -> None:
    if name in SPARSE_SPECS:
        return ensure_sparse_data(datadir, name)
    _ensure_dense(datadir, name)


def _ensure_dense(datadir: str, name: str) -> None:
    """Writes {name}_X.npy, {name}_y.npy (regression), {name}_ybin.npy (T5a/T5b's 0/1 target),
    {name}_ycount.npy (T5c/T5d's counts), {name}_ymulti.npy (T5e/T5f's class labels) and
    {name}_ygroup.npy (T7's target); only the missing ones (all from the same seeded X and w*)."""
    xp, yp = data_paths(datadir, name)
    bp = data_paths(datadir, name, "ybin")[1]
    cp = data_paths(datadir, name, "ycount")[1]
    mp = data_paths(datadir, name, "ymulti")[1]
    gp = data_paths(datadir, name, "ygroup")[1]
    if all(os.path.exists(f) for f in (xp, yp, bp, cp, mp, gp)):
        return
    os.makedirs(datadir, exist_ok=True)
    spec = SPECS[name]
    x, y, w = generate(spec)
    if not (os.path.exists(xp) and os.path.exists(yp)):
        _save(xp, x)
        _save(yp, y)
    if not os.path.exists(bp):
        _save(bp, binary_target(spec, x, w))
    if not os.path.exists(cp):
        _save(cp, count_target(spec, x, w))
    if not os.path.exists(mp):
        _save(mp, multi_target(spec, x, w))
    if not os.path.exists(gp):
        _save(gp, group_target(spec, x))


def load(datadir: str, name: str, target: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """(X, y): X dense Fortran-ordered, or a scipy.sparse CSC matrix for a sparse design."""
    if name in SPARSE_SPECS:
        return load_csc(datadir, name), np.load(data_paths(datadir, name, target)[1])
    xp, yp = data_paths(datadir, name, target)
    x = np.load(xp)
    y = np.load(yp)
    assert x.flags.f_contiguous and x.dtype == np.float64
    return x, y


def _issparse(x) -> bool:
    import scipy.sparse as sp

    return sp.issparse(x)


def _as_design(x):
    """X as float64 for the checks: a sparse matrix as it is (its products stay sparse), a dense
    one through np.asarray."""
    if _issparse(x):
        assert x.dtype == np.float64
        return x
    return np.asarray(x, dtype=np.float64)


def _col_means(x):
    return np.asarray(x.mean(axis=0), dtype=np.float64).ravel()


def _center(x, y, fit_intercept):
    if not fit_intercept:
        return x, y, None, 0.0
    xm = _col_means(x)
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
    x64 = _as_design(x)
    w = np.asarray(w, dtype=np.float64).ravel()
    n = x64.shape[0]
    yv = np.asarray(y, dtype=np.float64)
    if fit_intercept:
        xm = _col_means(x64)
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


# ----------------------------------------------------------------------------------------------
# T5: L1 logistic regression with an unpenalized intercept


def logistic_alpha_max(x, y) -> float:
    """Smallest alpha with w = 0 optimal (the intercept at logit(ybar)): ||X^T (ybar - y)||_inf / n."""
    y = np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs(x.T @ (y.mean() - y))) / x.shape[0])


def logistic_alpha_grid(x, y, n_alphas=N_ALPHAS, eps=LOGISTIC_EPS):
    """T5b's and T6b's grid: alpha_max ... LOGISTIC_EPS alpha_max."""
    return logistic_alpha_max(x, y) * np.logspace(0.0, np.log10(eps), n_alphas)


def _bin_entropy(p, q):
    """-(p log p + q log q) for q = 1 - p given separately (accurate near 1), 0 log 0 = 0."""
    from scipy.special import xlogy

    return -(xlogy(p, p) + xlogy(q, q))


def logistic_null_objective(y) -> float:
    """P0 = (1/n) sum_i l(y_i, b0) with b0 = logit(ybar): the binary entropy of ybar."""
    ybar = float(np.mean(y))
    return float(_bin_entropy(ybar, 1.0 - ybar))


def _sigmoid_pair(t):
    """(sigma(t), 1 - sigma(t)) = (sigma(t), sigma(-t)), both without cancellation."""
    from scipy.special import expit

    return expit(t), expit(-t)


def logistic_relative_gap(x, y, coef, intercept, alpha) -> float:
    """THE certificate for T5: relative duality gap of (w, b) = (coef, intercept) for
        P(w, b) = (1/n) sum_i f(eta_i; y_i) + alpha ||w||_1,  f(eta; y) = log(1 + e^eta) - y eta,
    eta = Xw + b, y in {0, 1}, intercept unpenalized; divided by the null objective
    P0 = P(0, logit(ybar)) (the binary entropy of ybar, <= log 2).

    Derivation. Write F(eta) = (1/n) sum_i f(eta_i; y_i). Its conjugate: f*(u; y) =
    sup_eta (u + y) eta - log(1 + e^eta) = H(y + u), H(q) = q log q + (1-q) log(1-q) on [0, 1]
    (+inf outside), so F*(g) = (1/n) sum_i H(y_i + n g_i). Fenchel-Young gives for every g and
    every (w, b):  F(Xw + b1) >= <X^T g, w> + b sum_i g_i - F*(g). If sum_i g_i = 0 (this is the
    constraint the unpenalized intercept puts on the dual) and ||X^T g||_inf <= alpha, then
    <X^T g, w> + alpha ||w||_1 >= 0, hence
        P(w, b) >= D(g) = -(1/n) sum_i H(p_i),   p_i = y_i + n g_i in [0, 1],
    i.e. D is the mean binary entropy of the p_i. (At the optimum g = grad F = (sigma(eta) - y)/n,
    p = sigma(eta), and P = D.)
    Dual point used, from the answer's eta:
      1. q_i = sigma(eta_i + delta), delta the root of sum_i sigma(eta_i + delta) = sum_i y_i
         (the best intercept shift: makes sum g = 0 while keeping q in (0, 1); delta = 0 at the
         optimum); the rounding-level rest of sum(q - y) is removed by an additive shift, q
         clamped to [0, 1];
      2. g = (q - y)/n scaled by s = min(1, alpha / ||X^T g||_inf), so p = (1 - s) y + s q
         (in [0, 1], sum p = sum y).
    Returns max(P - D, 0) / P0."""
    from scipy.optimize import brentq

    x64 = _as_design(x)
    yv = np.asarray(y, dtype=np.float64).ravel()
    w = np.asarray(coef, dtype=np.float64).ravel()
    b = float(np.ravel(np.asarray(intercept, dtype=np.float64))[0])
    n = x64.shape[0]
    eta = x64 @ w + b
    primal = float(np.mean(np.logaddexp(0.0, eta) - yv * eta)) + alpha * float(np.abs(w).sum())
    # 1. intercept shift so that sum sigma(eta + delta) = sum y (monotone in delta)
    target = float(yv.sum())

    def excess(d):
        return float(_sigmoid_pair(eta + d)[0].sum()) - target

    lo, hi = -1.0, 1.0
    while excess(lo) > 0:
        lo *= 2
    while excess(hi) < 0:
        hi *= 2
    delta = brentq(excess, lo, hi, xtol=1e-15, rtol=1e-15, maxiter=500)
    q, q1 = _sigmoid_pair(eta + delta)  # q1 = 1 - q
    rest = (float(q.sum()) - target) / n
    q = np.clip(q - rest, 0.0, 1.0)
    q1 = np.clip(q1 + rest, 0.0, 1.0)
    # 2. scale into the dual feasible set ||X^T g||_inf <= alpha
    g = (q - yv) / n
    gmax = float(np.max(np.abs(x64.T @ g))) if w.size else 0.0
    s = 1.0 if gmax <= alpha else alpha / gmax
    p = (1.0 - s) * yv + s * q
    p1 = (1.0 - s) * (1.0 - yv) + s * q1  # 1 - p, accurately
    dual = float(np.mean(_bin_entropy(p, p1)))
    return max(primal - dual, 0.0) / logistic_null_objective(yv)


# ----------------------------------------------------------------------------------------------
# T5c/T5d: L1 Poisson regression (log link) with an unpenalized intercept


def poisson_alpha_max(x, y) -> float:
    """Smallest alpha with w = 0 optimal (the intercept at log(ybar)): ||X^T (ybar - y)||_inf / n
    (the same formula as the logistic one: exp(b0) = ybar)."""
    return logistic_alpha_max(x, y)


def poisson_alpha_grid(x, y, n_alphas=N_ALPHAS, eps=LOGISTIC_EPS):
    """T5d's grid: alpha_max ... LOGISTIC_EPS alpha_max (as T5b's)."""
    return poisson_alpha_max(x, y) * np.logspace(0.0, np.log10(eps), n_alphas)


def poisson_null_excess(y) -> float:
    """P0 - Ps: the null objective (1/n) sum [ybar - y_i log ybar] minus the saturated one
    (1/n) sum [y_i - y_i log y_i] (0 log 0 = 0), i.e. half the null deviance."""
    from scipy.special import xlogy

    yv = np.asarray(y, dtype=np.float64)
    ybar = float(yv.mean())
    null = ybar - ybar * np.log(ybar)
    sat = float(np.mean(yv - xlogy(yv, yv)))
    return null - sat


def poisson_relative_gap(x, y, coef, intercept, alpha) -> float:
    """THE certificate for T5c/T5d: relative duality gap of (w, b) for
        P(w, b) = (1/n) sum_i f(eta_i; y_i) + alpha ||w||_1,  f(eta; y) = exp(eta) - y eta,
    eta = Xw + b, y >= 0, intercept unpenalized; divided by P0 - Ps (half the null deviance, as
    T5's gap is divided by P0 = half the binomial null deviance).

    Derivation. f*(u; y) = sup_eta (u + y) eta - exp(eta) = q log q - q with q = y + u >= 0
    (+inf for q < 0; 0 at q = 0). With F(eta) = (1/n) sum f(eta_i; y_i), F*(g) = (1/n) sum
    f*(n g_i; y_i); for every g with sum g = 0 (the unpenalized intercept) and ||X^T g||_inf <=
    alpha, P(w, b) >= D(g) = -(1/n) sum_i (q_i log q_i - q_i), q = y + n g.
    Dual point from the answer's eta: mu = exp(eta + delta), delta = log(sum y / sum exp(eta))
    (the best intercept shift, closed form: sum mu = sum y; 0 at the optimum), g = (mu - y)/n
    scaled by s = min(1, alpha / ||X^T g||_inf), so q = (1 - s) y + s mu >= 0 and sum q = sum y.
    Returns max(P - D, 0) / (P0 - Ps)."""
    from scipy.special import xlogy

    x64 = _as_design(x)
    yv = np.asarray(y, dtype=np.float64).ravel()
    w = np.asarray(coef, dtype=np.float64).ravel()
    b = float(np.ravel(np.asarray(intercept, dtype=np.float64))[0])
    n = x64.shape[0]
    eta = x64 @ w + b
    if not np.all(np.isfinite(eta)) or np.max(eta) > 700:
        return float("inf")
    primal = float(np.mean(np.exp(eta) - yv * eta)) + alpha * float(np.abs(w).sum())
    # the intercept shift in closed form, computed in the log domain (exp(eta) may be large)
    m = float(np.max(eta))
    delta = np.log(float(yv.sum())) - (m + np.log(float(np.exp(eta - m).sum())))
    mu = np.exp(eta + delta)
    g = (mu - yv) / n
    gmax = float(np.max(np.abs(x64.T @ g))) if w.size else 0.0
    s = 1.0 if gmax <= alpha else alpha / gmax
    q = np.maximum((1.0 - s) * yv + s * mu, 0.0)
    dual = -float(np.mean(xlogy(q, q) - q))
    return max(primal - dual, 0.0) / poisson_null_excess(yv)


# ----------------------------------------------------------------------------------------------
# T5e/T5f: L1 multinomial regression (entrywise penalty) with unpenalized intercepts


def multinomial_labels(y) -> np.ndarray:
    """The class indices 0..K-1 of T5e/T5f's target (stored as floats)."""
    yi = np.asarray(y).astype(np.int64).ravel()
    assert np.all(yi == np.asarray(y).ravel()) and yi.min() >= 0
    return yi


def _one_hot(yi, k):
    out = np.zeros((yi.size, k))
    out[np.arange(yi.size), yi] = 1.0
    return out


def multinomial_alpha_max(x, y) -> float:
    """Smallest alpha with W = 0 optimal (intercepts at the log class shares): the largest entry
    of |X^T (Pi - Y)| / n, Pi the class shares in every row, Y the one-hot labels."""
    yi = multinomial_labels(y)
    yy = _one_hot(yi, int(yi.max()) + 1)
    g = x.T @ (yy.mean(axis=0)[None, :] - yy) / x.shape[0]
    return float(np.max(np.abs(g)))


def multinomial_alpha_grid(x, y, n_alphas=MULTI_CV_ALPHAS, eps=LOGISTIC_EPS):
    """T5f's grid: alpha_max ... LOGISTIC_EPS alpha_max, MULTI_CV_ALPHAS points."""
    return multinomial_alpha_max(x, y) * np.logspace(0.0, np.log10(eps), n_alphas)


def multinomial_null_objective(y) -> float:
    """P0: the objective at W = 0 with the best intercepts, the entropy of the class shares."""
    from scipy.special import xlogy

    yi = multinomial_labels(y)
    pi = np.bincount(yi) / yi.size
    return float(-xlogy(pi, pi).sum())


def multinomial_relative_gap(x, y, coef, intercept, alpha) -> float:
    """THE certificate for T5e/T5f: relative duality gap of (W, b) (W p x K, b of length K) for
        P(W, b) = (1/n) sum_i [logsumexp(eta_i) - eta_{i, c_i}] + alpha ||W||_1,
    eta_i = W^T x_i + b, c_i the class of row i, intercepts unpenalized; divided by the null
    objective P0 (the entropy of the class shares, half the multinomial null deviance).

    Derivation. f(eta; c) = logsumexp(eta) - eta_c has the conjugate f*(u; c) = sum_k q_k log q_k
    with q = e_c + u in the simplex (+inf outside). With F(E) = (1/n) sum_i f(E_i; c_i),
    F*(G) = (1/n) sum_i f*(n G_i; c_i), and Fenchel-Young gives F(XW + 1 b^T) >= <X^T G, W> +
    b^T (G^T 1) - F*(G). If every column of G sums to zero (the unpenalized intercepts) and
    max_jk |X^T G|_jk <= alpha, then <X^T G, W> + alpha ||W||_1 >= 0, hence
        P(W, b) >= D(G) = (1/n) sum_i H(q_i),   q_i = e_{c_i} + n G_i in the simplex,
    H the entropy. (At the optimum G = grad F = (softmax(eta) - Y)/n and P = D.)
    Dual point from the answer's eta: q_i = softmax(eta_i + delta), delta in R^K the Newton
    root of sum_i q_i = class counts (the best intercept shift, 0 at the optimum), the
    rounding-level rest removed by a shift of each column, q clamped to [0, 1]; then
    G = (q - Y)/n scaled by s = min(1, alpha / max|X^T G|), i.e. q -> (1 - s) Y + s q (still in
    the simplex, column sums kept). Returns max(P - D, 0) / P0."""
    from scipy.special import logsumexp, softmax, xlogy

    x64 = _as_design(x)
    yi = multinomial_labels(y)
    w = np.asarray(coef, dtype=np.float64)
    k = w.shape[1]
    b = np.asarray(intercept, dtype=np.float64).ravel()
    n = x64.shape[0]
    yy = _one_hot(yi, k)
    eta = x64 @ w + b[None, :]
    if not np.all(np.isfinite(eta)):
        return float("inf")
    primal = (float(np.mean(logsumexp(eta, axis=1) - eta[np.arange(n), yi]))
              + alpha * float(np.abs(w).sum()))
    counts = yy.sum(axis=0)
    # the intercept shift: minimise sum_i logsumexp(eta_i + d) - counts . d (convex; its
    # gradient is sum_i q_i - counts), by Newton with d_{K-1} fixed at 0 (the shift along 1
    # changes nothing)
    d = np.zeros(k)
    for _ in range(100):
        q = softmax(eta + d[None, :], axis=1)
        grad = q.sum(axis=0) - counts
        if np.max(np.abs(grad)) <= 1e-14 * n:
            break
        hess = np.diag(q.sum(axis=0)) - q.T @ q
        step = np.zeros(k)
        step[:-1] = np.linalg.solve(hess[:-1, :-1], grad[:-1])
        d -= step
    q = softmax(eta + d[None, :], axis=1)
    q = np.clip(q - (q.sum(axis=0) - counts)[None, :] / n, 0.0, 1.0)
    g = (q - yy) / n
    gmax = float(np.max(np.abs(x64.T @ g))) if w.size else 0.0
    s = 1.0 if gmax <= alpha else alpha / gmax
    p = (1.0 - s) * yy + s * q
    dual = float(np.mean(-xlogy(p, p).sum(axis=1)))
    return max(primal - dual, 0.0) / multinomial_null_objective(yi)


# ----------------------------------------------------------------------------------------------
# T7: group lasso (least squares, no intercept), equal contiguous groups of GROUP_SIZE, weights 1


def _group_norms(v):
    return np.sqrt((np.asarray(v).reshape(-1, GROUP_SIZE) ** 2).sum(axis=1))


def group_alpha_max(x, y) -> float:
    """Smallest alpha with w = 0 optimal: max_g ||X_g^T y|| / n (group weights 1)."""
    assert x.shape[1] % GROUP_SIZE == 0
    return float(np.max(_group_norms(x.T @ y)) / x.shape[0])


def group_alpha_grid(x, y, n_alphas=N_ALPHAS, eps=T7_EPS):
    """T7's grid: alpha_max ... T7_EPS alpha_max, 100 points."""
    return group_alpha_max(x, y) * np.logspace(0.0, np.log10(eps), n_alphas)


def group_relative_gap(x, y, w, alpha) -> float:
    """THE certificate for T7: relative duality gap of w for
        P(w) = ||y - Xw||^2 / (2n) + alpha sum_g ||w_g||_2
    (groups of GROUP_SIZE contiguous features, weights 1, no intercept), divided by
    ||y||^2 / (2n) (relative_gap's scale). Objective times n: 1/2 ||r||^2 + n alpha sum_g
    ||w_g||; dual D(theta) = 1/2 ||y||^2 - 1/2 ||y - theta||^2 on ||X_g^T theta|| <= n alpha for
    every g; dual point theta = s r, s = min(1, n alpha / max_g ||X_g^T r||)."""
    x64 = _as_design(x)
    w = np.asarray(w, dtype=np.float64).ravel()
    yv = np.asarray(y, dtype=np.float64)
    n = x64.shape[0]
    r = yv - x64 @ w
    lam = n * alpha
    primal = 0.5 * float(r @ r) + lam * float(_group_norms(w).sum())
    gmax = float(np.max(_group_norms(x64.T @ r)))
    s = 1.0 if gmax <= lam else lam / gmax
    d = yv - s * r
    dual = 0.5 * float(yv @ yv) - 0.5 * float(d @ d)
    return max(primal - dual, 0.0) / (0.5 * float(yv @ yv))


TARGET_REL_GAP = 1e-6


# ----------------------------------------------------------------------------------------------
# T6: a sparse design (CSC), never densified by the harness


@dataclass(frozen=True)
class SparseSpec:
    name: str
    n: int
    p: int
    density: float
    k: int
    seed: int


SPARSE_SPECS = {
    s.name: s
    for s in [
        SparseSpec("sparse", 20_000, 100_000, 1e-3, 100, 6),
        # --quick: the same density and k at a tenth of n and p
        SparseSpec("sparse-quick", 2_000, 10_000, 1e-3, 100, 7),
    ]
}
CSC_PARTS = ("indptr", "indices", "data", "shape")


def csc_paths(prefix: str) -> dict:
    """The four files of a CSC design: {prefix}_indptr.npy (int32, p + 1), _indices.npy (int32,
    nnz, row indices sorted within each column), _data.npy (float64, nnz), _shape.npy (int64,
    [n, p])."""
    return {k: f"{prefix}_{k}.npy" for k in CSC_PARTS}


def generate_sparse(spec: SparseSpec):
    """X: exactly round(density n p) nonzero entries at positions drawn uniformly without
    replacement, values standard normal; w* with k standard-normal entries on a random support;
    y = X w* + noise with ||X w*|| / ||noise|| = SNR. Returns (X as scipy.sparse CSC, y, w*)."""
    import scipy.sparse as sp

    rng = np.random.default_rng([2026, spec.seed])
    n, p = spec.n, spec.p
    nnz = int(round(spec.density * n * p))
    flat = np.sort(rng.choice(n * p, size=nnz, replace=False))  # column-major positions
    cols, rows = np.divmod(flat, n)
    indptr = np.zeros(p + 1, dtype=np.int64)
    np.cumsum(np.bincount(cols, minlength=p), out=indptr[1:])
    assert nnz < 2**31
    x = sp.csc_matrix((rng.standard_normal(nnz), rows.astype(np.int32), indptr.astype(np.int32)),
                      shape=(n, p))
    assert x.has_sorted_indices
    w = np.zeros(p)
    support = rng.choice(p, size=spec.k, replace=False)
    w[support] = rng.standard_normal(spec.k)
    signal = x @ w
    noise = rng.standard_normal(n)
    noise *= np.linalg.norm(signal) / (SNR * np.linalg.norm(noise))
    return x, signal + noise, w


def csc_nbytes(x) -> int:
    """Bytes of the CSC arrays as stored (data + indices + indptr)."""
    return int(x.data.nbytes + x.indices.nbytes + x.indptr.nbytes)


def ensure_sparse_data(datadir: str, name: str) -> None:
    """Writes the CSC files of `name`, {name}_y.npy and {name}_ybin.npy (the 0/1 target,
    T6b: 1{X w* + noise > 0} as for T5)."""
    prefix, yp = data_paths(datadir, name)
    bp = data_paths(datadir, name, "ybin")[1]
    files = list(csc_paths(prefix).values()) + [yp, bp]
    if all(os.path.exists(f) for f in files):
        return
    os.makedirs(datadir, exist_ok=True)
    spec = SPARSE_SPECS[name]
    x, y, w = generate_sparse(spec)
    paths = csc_paths(prefix)
    _save(paths["indptr"], x.indptr.astype(np.int32))
    _save(paths["indices"], x.indices.astype(np.int32))
    _save(paths["data"], x.data.astype(np.float64))
    _save(paths["shape"], np.array(x.shape, dtype=np.int64))
    _save(yp, y)
    _save(bp, binary_target(spec, x, w))


def load_csc(datadir: str, name: str):
    """The sparse design as scipy.sparse.csc_matrix (int32 indices, float64 values), no copy."""
    import scipy.sparse as sp

    paths = csc_paths(data_paths(datadir, name)[0])
    n, p = (int(v) for v in np.load(paths["shape"]))
    x = sp.csc_matrix((np.load(paths["data"]), np.load(paths["indices"]),
                       np.load(paths["indptr"])), shape=(n, p), copy=False)
    x.has_sorted_indices = True
    return x
