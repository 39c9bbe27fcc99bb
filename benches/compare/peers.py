"""One peer, one task, one data set, in its own process (run.py starts it with single-thread env).

    python peers.py TOOL TASK DATA --datadir D --tol T --reps R --out OUT.npy

Prints one JSON line: {"times": [...], "tol": T, "extra": {...}}; the coefficients (vector, or
p x n_alphas matrix for paths) go to OUT.npy, the intercept / chosen alpha to "extra" (T5: the
intercept is the last entry / row of the coefficient array, [w; b]).
Times are measured around the solver call only (data already in memory, JIT already warm).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

import numpy as np

import common

warnings.filterwarnings("ignore")


def _sklearn(task, x, y, tol, variant):
    from sklearn import linear_model as lm

    pre = variant == "gram"
    if task in common.MULTI_TASKS:
        return _sklearn_multinomial(task, x, y)
    if task in common.LOGISTIC_TASKS:
        return _sklearn_logistic(task, x, y, variant)
    if task == "T1":
        a = common.alpha_max(x, y) / 10

        def run(tol):
            m = lm.Lasso(alpha=a, fit_intercept=False, tol=tol, precompute=pre, max_iter=100_000)
            m.fit(x, y)
            return m.coef_, {}

        return run
    if task in ("T2", "T6a"):
        grid = common.lasso_grid_of(task, x, y)

        def run(tol):
            # copy_X=False: no centering (no intercept), so X is only read (T6a: the CSC as is)
            _, coefs, _ = lm.lasso_path(
                x, y, alphas=grid, tol=tol, precompute=pre, max_iter=100_000, copy_X=False
            )
            return coefs, {}

        return run
    if task == "T3":
        grid = common.alpha_grid(x, y, common.L1_RATIO_CV, True)

        def run(tol):
            m = lm.ElasticNetCV(
                l1_ratio=common.L1_RATIO_CV, alphas=grid, cv=common.N_FOLDS,
                fit_intercept=True, precompute=pre if pre else "auto", n_jobs=1,
            )
            m.fit(x, y)
            return m.coef_, {"alpha": float(m.alpha_), "intercept": float(m.intercept_)}

        return run
    if task == "T4a":
        a = common.RIDGE_ALPHA_PER_N * x.shape[0]

        def run(tol):
            m = lm.Ridge(alpha=a, fit_intercept=True).fit(x, y)
            return m.coef_, {"alpha": a, "intercept": float(m.intercept_)}

        return run
    if task == "T4b":
        grid = common.RIDGE_GRID_PER_N * x.shape[0]

        def run(tol):
            m = lm.RidgeCV(alphas=grid, fit_intercept=True).fit(x, y)
            return m.coef_, {"alpha": float(m.alpha_), "intercept": float(m.intercept_)}

        return run
    raise SystemExit(f"sklearn: no task {task}")


# liblinear fits the intercept as the weight of a constant column of this value, penalized like
# the others: the intercept's penalty is alpha |b| / LIBLINEAR_INTERCEPT_SCALING (negligible at
# 1e5; 1e4 left the gap of the small design's T5a at 2.5e-6 however tight the tolerance).
LIBLINEAR_INTERCEPT_SCALING = 1e5


def _sklearn_logistic(task, x, y, solver):
    """T5 with scikit-learn's LogisticRegression, L1 (l1_ratio=1), C = 1/(n alpha), intercept.
    liblinear: no warm start (scikit-learn: warm_start is useless for liblinear), so the path is
    100 cold fits; saga: warm_start=True along the path."""
    from sklearn import linear_model as lm

    n = x.shape[0]
    # liblinear: max_iter counts its Newton steps (default 100); 100000 let single path points of
    # the small design run for tens of seconds without reaching the check, 1000 bounds that
    kw = ({"intercept_scaling": LIBLINEAR_INTERCEPT_SCALING, "max_iter": 1000}
          if solver == "liblinear" else {"max_iter": 100_000})

    def est(tol, warm=False):
        return lm.LogisticRegression(C=1.0, l1_ratio=1.0, solver=solver, tol=tol,
                                     fit_intercept=True, warm_start=warm, random_state=0, **kw)

    if task == "T5a":
        a = common.logistic_alpha_max(x, y) / common.LOGISTIC_RATIO

        def run(tol):
            m = est(tol)
            m.C = 1.0 / (n * a)
            m.fit(x, y)
            return np.append(m.coef_.ravel(), m.intercept_[0]), {}

        return run
    grid = common.logistic_alpha_grid(x, y)

    def run(tol):
        m = est(tol, warm=solver != "liblinear")
        out = np.empty((x.shape[1] + 1, len(grid)))
        for i, a in enumerate(grid):
            m.C = 1.0 / (n * a)
            m.fit(x, y)
            out[:-1, i] = m.coef_.ravel()
            out[-1, i] = m.intercept_[0]
        return out, {}

    return run


def _multi_coef(coef_kp, intercept_k):
    """[W; b] as T5e/T5f's (p + 1) x K array from a tool's K x p coefficients and K
    intercepts."""
    return np.vstack([np.asarray(coef_kp).T, np.ravel(intercept_k)[None, :]])


def _sklearn_multinomial(task, x, y):
    """T5e/T5f with scikit-learn's multinomial LogisticRegression(l1_ratio=1, C = 1/(n alpha),
    solver="saga") (multinomial for K >= 3: docs/conventions.md, "Multinomial regression").
    T5f: LogisticRegressionCV(Cs = 1/(n grid), l1_ratios=[1], cv=KFold(5) (contiguous),
    scoring="neg_log_loss", refit=True): C multiplies the *sum* of the training fold's losses,
    so on a fold of n_train rows it is alpha n / n_train in T5f's (mean-loss) scale; the refit
    on all rows is at exactly the chosen alpha."""
    from sklearn import linear_model as lm
    from sklearn.model_selection import KFold

    n = x.shape[0]
    if task == "T5e":
        a = common.multinomial_alpha_max(x, y) / common.LOGISTIC_RATIO

        def run(tol):
            m = lm.LogisticRegression(C=1.0 / (n * a), l1_ratio=1.0, solver="saga", tol=tol,
                                      max_iter=100_000, fit_intercept=True, random_state=0)
            m.fit(x, y)
            return _multi_coef(m.coef_, m.intercept_), {}

        return run
    grid = common.multinomial_alpha_grid(x, y)

    def run(tol):
        m = lm.LogisticRegressionCV(Cs=list(1.0 / (n * grid)), l1_ratios=[1.0], solver="saga",
                                    cv=KFold(common.N_FOLDS), scoring="neg_log_loss",
                                    refit=True, tol=tol, max_iter=100_000, fit_intercept=True,
                                    random_state=0, n_jobs=1)
        m.fit(x, y)
        c = float(np.ravel(m.C_)[0])
        return _multi_coef(m.coef_, m.intercept_), {"alpha": 1.0 / (n * c)}

    return run


def _head(x, n, p):
    """An n x p matrix for warming a JIT: the top-left block of x, Fortran-ordered; when x is
    sparse, a seeded random CSC of the same index and value types (so the sparse kernels are
    the ones compiled; x's own corner is almost surely empty at density 1e-3)."""
    import scipy.sparse as sp

    if sp.issparse(x):
        m = sp.random(n, p, density=0.5, format="csc", random_state=0, dtype=np.float64)
        m.indices = m.indices.astype(x.indices.dtype)
        m.indptr = m.indptr.astype(x.indptr.dtype)
        return m
    return np.asfortranarray(x[:n, :p])


def _celer(task, x, y, tol, variant):
    import celer
    from sklearn.model_selection import KFold

    if task == "T1":
        a = common.alpha_max(x, y) / 10

        def run(tol):
            m = celer.Lasso(alpha=a, fit_intercept=False, tol=tol, max_iter=1000)
            m.fit(x, y)
            return m.coef_, {}

        return run
    if task in ("T2", "T6a"):
        grid = common.lasso_grid_of(task, x, y)

        def run(tol):
            _, coefs, _ = celer.celer_path(x, y, "lasso", alphas=grid, tol=tol, prune=True,
                                           max_iter=1000)
            return coefs, {}

        return run
    if task == "T3":
        # celer.ElasticNetCV / LassoCV do not construct with scikit-learn >= 1.8 (they pass the
        # removed `n_alphas`), so the same CV is done by hand with celer's own solvers: per
        # contiguous fold, center the training part (as ElasticNetCV does) and run celer_path
        # over the grid; mean held-out MSE per alpha; refit celer.ElasticNet at the best alpha.
        # Tolerance: celer's estimator default (1e-4).
        grid = common.alpha_grid(x, y, common.L1_RATIO_CV, True)
        n = x.shape[0]

        def run(tol):
            mse = np.zeros(len(grid))
            for tr, te in KFold(common.N_FOLDS).split(x):
                xt, yt = x[tr], y[tr]
                xm, ym = xt.mean(axis=0), yt.mean()
                xc = np.asfortranarray(xt - xm)
                _, coefs, _ = celer.celer_path(xc, yt - ym, "lasso", alphas=grid,
                                               l1_ratio=common.L1_RATIO_CV, tol=1e-4,
                                               prune=True)
                pred = x[te] @ coefs + (ym - xm @ coefs)
                mse += np.mean((y[te][:, None] - pred) ** 2, axis=0)
            best = float(grid[int(np.argmin(mse))])
            m = celer.ElasticNet(alpha=best, l1_ratio=common.L1_RATIO_CV, fit_intercept=True)
            m.fit(x, y)
            return m.coef_, {"alpha": best, "intercept": float(m.intercept_)}

        return run
    if task == "T7":
        # celer_path's group lasso (no intercept, weights 1, groups of GROUP_SIZE contiguous
        # features): its objective is T7's; stops on gap <= tol ||y||^2 / n, as for T2
        grid = common.group_alpha_grid(x, y)
        ng = x.shape[1] // common.GROUP_SIZE

        def run(tol):
            _, coefs, _ = celer.celer_path(x, y, "grouplasso", alphas=grid,
                                           groups=common.GROUP_SIZE, weights=np.ones(ng),
                                           tol=tol, prune=True, max_iter=1000)
            return coefs, {}

        return run
    raise SystemExit(f"celer: no task {task}")


def _skglm(task, x, y, tol, variant):
    import skglm
    from skglm.datafits import Quadratic
    from skglm.penalties import L1_plus_L2
    from skglm.solvers import AndersonCD

    # warm the numba JIT on a tiny problem so compilation is not timed (a sparse one for T6:
    # skglm compiles separate kernels for sparse X)
    xs = _head(x, 20, 5)
    skglm.Lasso(alpha=0.1, fit_intercept=False).fit(xs, y[:20])
    if task in common.LOGISTIC_TASKS:
        return _skglm_logistic(task, x, y)
    if task in common.POISSON_TASKS:
        return _skglm_poisson(task, x, y)
    if task in common.GROUP_TASKS:
        return _skglm_group(task, x, y)
    skglm.Lasso(alpha=0.1, fit_intercept=False).path(xs, y[:20], np.array([0.2, 0.1]))
    if task == "T1":
        a = common.alpha_max(x, y) / 10

        def run(tol):
            m = skglm.Lasso(alpha=a, fit_intercept=False, tol=tol, max_iter=1000)
            m.fit(x, y)
            return m.coef_, {}

        return run
    if task in ("T2", "T6a"):
        grid = common.lasso_grid_of(task, x, y)

        def run(tol):
            m = skglm.Lasso(alpha=1.0, fit_intercept=False, tol=tol, max_iter=1000)
            out = m.path(x, y, grid)
            return np.asarray(out[1]), {}

        return run
    if task == "T3":
        grid = common.alpha_grid(x, y, common.L1_RATIO_CV, True)
        est = skglm.GeneralizedLinearEstimatorCV(
            Quadratic(), L1_plus_L2(alpha=1.0, l1_ratio=common.L1_RATIO_CV),
            AndersonCD(fit_intercept=True), alphas=grid, l1_ratio=common.L1_RATIO_CV,
            cv=common.N_FOLDS, n_jobs=1, random_state=0)
        est.fit(np.asfortranarray(x[:50, :5]), y[:50])  # warm the JIT for this datafit/penalty

        def run(tol):
            est.fit(x, y)
            return est.coef_, {"alpha": float(est.alpha_), "intercept": float(est.intercept_)}

        return run
    raise SystemExit(f"skglm: no task {task}")


def _skglm_logistic(task, x, y):
    """T5 with skglm.SparseLogisticRegression (Logistic datafit, L1, ProxNewton solver with
    intercept; it maps the 0/1 labels to -1/+1 itself). Its objective (1/n) sum log(1 +
    exp(-y_i eta_i)) + alpha ||w||_1 with y in {-1, 1} is T5's, so alpha is passed as is. Path:
    the same estimator with warm_start=True, alpha set point by point."""
    import skglm

    m0 = skglm.SparseLogisticRegression(alpha=0.01, fit_intercept=True)
    m0.fit(_head(x, 40, 5), np.r_[np.zeros(20), np.ones(20)])  # warm the JIT
    if task == "T5a":
        a = common.logistic_alpha_max(x, y) / common.LOGISTIC_RATIO

        def run(tol):
            m = skglm.SparseLogisticRegression(alpha=a, tol=tol, fit_intercept=True,
                                               max_iter=1000)
            m.fit(x, y)
            return np.append(m.coef_.ravel(), np.ravel(m.intercept_)[0]), {}

        return run
    grid = common.logistic_alpha_grid(x, y)

    def run(tol):
        m = skglm.SparseLogisticRegression(alpha=grid[0], tol=tol, fit_intercept=True,
                                           max_iter=1000, warm_start=True)
        out = np.empty((x.shape[1] + 1, len(grid)))
        for i, a in enumerate(grid):
            m.alpha = a
            m.fit(x, y)
            out[:-1, i] = m.coef_.ravel()
            out[-1, i] = np.ravel(m.intercept_)[0]
        return out, {}

    return run


def _skglm_poisson(task, x, y):
    """T5c/T5d with skglm's GeneralizedLinearEstimator(Poisson(), L1(alpha), ProxNewton(tol,
    fit_intercept=True)). skglm's Poisson datafit is (1/n) sum [exp(eta_i) - y_i eta_i] (its
    `value`), T5c's, so alpha is passed as is (tests/fixtures/poisson_skglm.json). Path: the same
    estimator with the solver's warm_start=True, the penalty's alpha set point by point."""
    from skglm import GeneralizedLinearEstimator
    from skglm.datafits import Poisson
    from skglm.penalties import L1
    from skglm.solvers import ProxNewton

    def est(a, tol, warm=False):
        return GeneralizedLinearEstimator(
            Poisson(), L1(a), ProxNewton(tol=tol, fit_intercept=True, max_iter=1000,
                                         max_pn_iter=100_000, warm_start=warm))

    xs = _head(x, 40, 5)
    est(0.01, 1e-6).fit(xs, np.r_[np.zeros(20), np.ones(20)] + 1.0)  # warm the JIT
    if task == "T5c":
        a = common.poisson_alpha_max(x, y) / common.LOGISTIC_RATIO

        def run(tol):
            m = est(a, tol).fit(x, y)
            return np.append(m.coef_.ravel(), np.ravel(m.intercept_)[0]), {}

        return run
    grid = common.poisson_alpha_grid(x, y)

    def run(tol):
        m = est(grid[0], tol, warm=True)
        out = np.empty((x.shape[1] + 1, len(grid)))
        for i, a in enumerate(grid):
            m.penalty.alpha = a
            m.fit(x, y)
            out[:-1, i] = m.coef_.ravel()
            out[-1, i] = np.ravel(m.intercept_)[0]
        return out, {}

    return run


def _skglm_group(task, x, y):
    """T7 with skglm.GroupLasso(groups=GROUP_SIZE, weights=1, fit_intercept=False) (its solver
    is GroupBCD; objective ||y - Xw||^2/(2n) + alpha sum_g w_g ||beta_g||, T7's), warm started
    along the path (warm_start=True, alpha set point by point)."""
    import skglm

    p = x.shape[1]
    ng = p // common.GROUP_SIZE

    def est(a, tol, warm=False, groups=ng):
        return skglm.GroupLasso(groups=common.GROUP_SIZE, alpha=a, weights=np.ones(groups),
                                tol=tol, max_iter=1000, fit_intercept=False, warm_start=warm)

    est(0.1, 1e-6, groups=2).fit(np.asfortranarray(x[:40, :2 * common.GROUP_SIZE]), y[:40])
    grid = common.group_alpha_grid(x, y)

    def run(tol):
        m = est(grid[0], tol, warm=True)
        out = np.empty((p, len(grid)))
        for i, a in enumerate(grid):
            m.alpha = a
            m.fit(x, y)
            out[:, i] = m.coef_
        return out, {}

    return run


def _glum(task, x, y, tol, variant):
    """T5c/T5d with glum's GeneralizedLinearRegressor(family="poisson", l1_ratio=1,
    solver="irls-cd"): glum minimises 1/(2n) sum deviance + alpha ||w||_1 = T5c's objective plus a
    constant, so alpha is passed as is (tests/fixtures/poisson_glum.json, meta.notes.glum).
    Stops on gradient_tol (the largest entry of the projected subgradient, gradient units).
    T5d: alpha_search=True with the grid as `alpha` (glum's own warm-started path, coef_path_ /
    intercept_path_)."""
    from glum import GeneralizedLinearRegressor

    def est(alpha, tol, search=False):
        return GeneralizedLinearRegressor(
            family="poisson", link="log", alpha=alpha, l1_ratio=1.0, fit_intercept=True,
            solver="irls-cd", gradient_tol=tol, max_iter=1000, max_inner_iter=1_000_000,
            scale_predictors=False, selection="cyclic", alpha_search=search)

    xs = _head(x, 40, 5)
    est(0.01, 1e-6).fit(xs, np.r_[np.zeros(20), np.ones(20)] + 1.0)  # first-call set-up untimed
    if task == "T5c":
        a = common.poisson_alpha_max(x, y) / common.LOGISTIC_RATIO

        def run(tol):
            m = est(a, tol).fit(x, y)
            return np.append(np.ravel(m.coef_), float(m.intercept_)), {}

        return run
    if task == "T5d":
        grid = common.poisson_alpha_grid(x, y)

        def run(tol):
            m = est(grid, tol, search=True).fit(x, y)
            coef = np.asarray(m.coef_path_)  # (n_alphas, p)
            b = np.ravel(np.asarray(m.intercept_path_))
            if coef.shape[0] != len(grid):
                raise RuntimeError(f"glum returned {coef.shape[0]} of {len(grid)} path points")
            return np.vstack([coef.T, b[None, :]]), {}

        return run
    raise SystemExit(f"glum: no task {task}")


# glmnet's T5a path: this many lambdas log-spaced from alpha_max down to the target (glmnet is
# meant to be run along a path; the answer checked is the last point)
GLMNET_T5A_POINTS = 10


def _glmnet_logistic(task, x, y):
    """T5 with python-glmnet's LogitNet (lognet, binomial): objective -(1/n) loglik +
    lambda ||w||_1 with an unpenalized intercept, i.e. T5's, lambda = alpha; standardize=False,
    no CV (n_splits=0)."""
    import glmnet

    amax = common.logistic_alpha_max(x, y)
    lams = (amax * np.logspace(0.0, -np.log10(common.LOGISTIC_RATIO), GLMNET_T5A_POINTS)
            if task == "T5a" else common.logistic_alpha_grid(x, y))

    def run(tol):
        m = glmnet.LogitNet(alpha=1.0, lambda_path=lams, standardize=False, fit_intercept=True,
                            n_splits=0, tol=tol, max_iter=1_000_000)
        m.fit(x, y)
        coef = m.coef_path_[0]  # (p, n_lambda_), for class 1
        b = m.intercept_path_[0]
        if coef.shape[1] != len(lams):
            raise RuntimeError(f"glmnet returned {coef.shape[1]} of {len(lams)} path points")
        out = np.vstack([coef, b[None, :]])
        return (out[:, -1] if task == "T5a" else out), {}

    return run


def _glmnet_multinomial(task, x, y):
    """T5e/T5f with python-glmnet's LogitNet on K >= 3 classes (lognet, multinomial,
    type.multinomial = "ungrouped": the entrywise penalty), lambda = alpha, standardize=False.
    T5e: a GLMNET_T5A_POINTS-point path alpha_max ... target, the last point checked. T5f:
    n_splits=5 contiguous folds (GroupKFold on 5 contiguous groups, as T3), scoring="log_loss",
    cut_point=0 (the minimum); glmnet also fits the whole path on all rows (its coef_ is that
    path's point at lambda_best_)."""
    import glmnet

    n = x.shape[0]
    amax = common.multinomial_alpha_max(x, y)
    if task == "T5e":
        lams = amax * np.logspace(0.0, -np.log10(common.LOGISTIC_RATIO), GLMNET_T5A_POINTS)

        def run(tol):
            m = glmnet.LogitNet(alpha=1.0, lambda_path=lams, standardize=False,
                                fit_intercept=True, n_splits=0, tol=tol, max_iter=1_000_000)
            m.fit(x, y)
            coef = m.coef_path_  # (K, p, n_lambda)
            if coef.shape[-1] != len(lams):
                raise RuntimeError(f"glmnet returned {coef.shape[-1]} of {len(lams)} points")
            return _multi_coef(coef[:, :, -1], m.intercept_path_[:, -1]), {}

        return run
    grid = common.multinomial_alpha_grid(x, y)
    groups = np.arange(n) * common.N_FOLDS // n

    def run(tol):
        m = glmnet.LogitNet(alpha=1.0, lambda_path=grid, standardize=False, fit_intercept=True,
                            n_splits=common.N_FOLDS, scoring="log_loss", cut_point=0.0,
                            tol=tol, max_iter=1_000_000)
        m.fit(x, y, groups=groups)
        lam = float(np.ravel(m.lambda_best_)[0])
        return _multi_coef(m.coef_, m.intercept_), {"alpha": lam}

    return run


def _glmnet(task, x, y, tol, variant):
    import glmnet

    n = x.shape[0]
    if task in common.MULTI_TASKS:
        return _glmnet_multinomial(task, x, y)
    if task in common.LOGISTIC_TASKS:
        return _glmnet_logistic(task, x, y)

    def make(lams, intercept, l1, splits, tol):
        return glmnet.ElasticNet(alpha=l1, lambda_path=np.asarray(lams), standardize=False,
                                 fit_intercept=intercept, n_splits=splits,
                                 tol=1e-7 if tol is None else tol,
                                 max_iter=1_000_000, cut_point=0.0)

    if task == "T1":
        a = common.alpha_max(x, y) / 10

        def run(tol):
            m = make([a], False, 1.0, 0, tol).fit(x, y)
            return m.coef_path_[:, 0], {}

        return run
    if task in ("T2", "T6a"):
        grid = common.lasso_grid_of(task, x, y)

        def run(tol):
            m = make(grid, False, 1.0, 0, tol).fit(x, y)
            return m.coef_path_, {}

        return run
    if task == "T3":
        # glmnet's gaussian family standardizes y internally; for l1_ratio < 1 that changes the
        # objective (the ridge part does not scale like the rest), so glmnet solves the
        # scikit-learn problem only for unit-variance y. T3 is therefore run on y / sd(y), with
        # the grid computed from it, and checked on that problem (extra["y_scale"]).
        ys = y / y.std()
        grid = common.alpha_grid(x, ys, common.L1_RATIO_CV, True)
        groups = np.arange(n) * common.N_FOLDS // n  # contiguous folds via GroupKFold

        def run(tol):
            m = make(grid, True, common.L1_RATIO_CV, common.N_FOLDS, None).fit(x, ys, groups=groups)
            return m.coef_, {"alpha": float(m.lambda_best_[0] if np.ndim(m.lambda_best_)
                                            else m.lambda_best_),
                             "intercept": float(m.intercept_), "y_scale": float(y.std())}

        return run
    raise SystemExit(f"glmnet: no task {task}")


def _numpy(task, x, y, tol, variant):
    """The floor for T4: Cholesky of the smaller Gram, and one eigh for LOO over all alphas."""
    import scipy.linalg as sla

    n, p = x.shape
    if task == "T4a":
        a = common.RIDGE_ALPHA_PER_N * n

        def run(tol):
            xm = x.mean(axis=0)
            ym = y.mean()
            xc = x - xm
            yc = y - ym
            if n >= p:
                g = xc.T @ xc
                g.flat[:: p + 1] += a
                w = sla.cho_solve(sla.cho_factor(g, lower=True, check_finite=False),
                                  xc.T @ yc, check_finite=False)
            else:
                k = xc @ xc.T
                k.flat[:: n + 1] += a
                w = xc.T @ sla.cho_solve(sla.cho_factor(k, lower=True, check_finite=False),
                                         yc, check_finite=False)
            return w, {"alpha": a, "intercept": float(ym - xm @ w)}

        return run
    if task == "T4b":
        grid = common.RIDGE_GRID_PER_N * n

        def run(tol):
            xm = x.mean(axis=0)
            ym = y.mean()
            xc = x - xm
            yc = y - ym
            if n >= p:
                s2, v = np.linalg.eigh(xc.T @ xc)
                s2 = np.maximum(s2, 0.0)
                keep = s2 > s2.max() * 1e-12
                s2, v = s2[keep], v[:, keep]
                u = (xc @ v) / np.sqrt(s2)
            else:
                s2, u = np.linalg.eigh(xc @ xc.T)
                s2 = np.maximum(s2, 0.0)
                keep = s2 > s2.max() * 1e-12
                s2, u = s2[keep], u[:, keep]
            uty = u.T @ yc
            u2 = u * u
            best = (np.inf, None)
            for a in grid:
                f = s2 / (s2 + a)
                fit = u @ (f * uty)
                h = u2 @ f + 1.0 / n
                loo = np.mean(((yc - fit) / (1.0 - h)) ** 2)
                if loo < best[0]:
                    best = (loo, a)
            a = best[1]
            # coefficients at the chosen alpha: w = V diag(s/(s^2+a)) U^T y
            if n >= p:
                w = v @ (np.sqrt(s2) / (s2 + a) * uty)
            else:
                w = xc.T @ (u @ (uty / (s2 + a)))
            return w, {"alpha": float(a), "intercept": float(ym - xm @ w)}

        return run
    raise SystemExit(f"numpy: no task {task}")


TOOLS = {"sklearn": _sklearn, "celer": _celer, "skglm": _skglm, "glmnet": _glmnet,
         "numpy": _numpy, "glum": _glum}


# First tolerance tried for the T1/T2 ladder, per tool, as a function of (x, y). sklearn and celer
# stop on their own duality gap, gap <= tol * ||y||^2 / n (objective scaled by 1/n), i.e. on the
# relative gap of the issue, gap / (||y||^2/(2n)), <= 2 tol: tol = 5e-7 is the 1e-6-equivalent.
# skglm stops on the KKT violation (gradient units) and glmnet on the largest weighted change of
# a coefficient relative to the null deviance; neither has an equivalent, so they start at
# their scale's natural guess and may also LOOSEN by 10 while the common gap check still passes.
TOL0 = {
    "sklearn": (lambda x, y: 5e-7, False),
    "celer": (lambda x, y: 5e-7, False),
    "skglm": (lambda x, y: 1e-6 * common.alpha_max(x, y), True),
    "glmnet": (lambda x, y: 1e-9, True),
}
# T5 (L1 logistic regression): no peer stops on T5's relative gap (gap / null objective), so
# every one starts at its scale's natural guess and may also loosen while the check passes:
# scikit-learn liblinear (projected-gradient norm relative to the start) and saga (largest
# coefficient change relative to the largest coefficient) at 1e-6; skglm's ProxNewton (KKT
# violation, gradient units) at 1e-6 alpha_max; glmnet (largest weighted change relative to the
# null deviance) at 1e-9.
TOL0_T5 = {
    "sklearn": (lambda x, y: 1e-6, True),
    "skglm": (lambda x, y: 1e-6 * common.logistic_alpha_max(x, y), True),
    "glmnet": (lambda x, y: 1e-9, True),
}
# T5c/T5d (L1 Poisson): no peer stops on the harness's relative gap either; skglm's ProxNewton
# (KKT violation) and glum's irls-cd (gradient_tol: largest projected-subgradient entry) both
# work in gradient units, so both start at 1e-6 alpha_max and may loosen while the check passes.
TOL0_POISSON = {
    "skglm": (lambda x, y: 1e-6 * common.poisson_alpha_max(x, y), True),
    "glum": (lambda x, y: 1e-6 * common.poisson_alpha_max(x, y), True),
}
# T5e/T5f (L1 multinomial): as T5 (no peer stops on the harness's gap): saga at 1e-6, glmnet at
# 1e-9, both may loosen. T5f's ladder is on the refit's gap (every fold's fits use the same tol).
TOL0_MULTI = {
    "sklearn": (lambda x, y: 1e-6, True),
    "glmnet": (lambda x, y: 1e-9, True),
}
# T7 (group lasso path): celer stops on its duality gap, gap <= tol ||y||^2 / n: 5e-7 is the
# 1e-6 equivalent (as for T2); skglm's GroupBCD on its KKT violation (gradient units): 1e-6
# alpha_max, may loosen.
TOL0_GROUP = {
    "celer": (lambda x, y: 5e-7, False),
    "skglm": (lambda x, y: 1e-6 * common.group_alpha_max(x, y), True),
}
LADDER_TASKS = ("T1", "T2", "T5a", "T5b", "T5c", "T5d", "T5e", "T5f", "T6a", "T6b", "T7")


def tol0_table(task):
    if task in common.MULTI_TASKS:
        return TOL0_MULTI
    if task in common.GROUP_TASKS:
        return TOL0_GROUP
    if task in common.POISSON_TASKS:
        return TOL0_POISSON
    return TOL0_T5 if task in common.LOGISTIC_TASKS else TOL0


def check(task, x, y, coef, extra):
    """Relative gap by THE common function: worst point for paths."""
    if "y_scale" in extra:  # the tool solved the problem for y / y_scale (see glmnet T3)
        y = y / extra["y_scale"]
    if task == "T1":
        return common.relative_gap(x, y, coef, common.alpha_max(x, y) / 10)
    if task in ("T2", "T6a"):
        grid = common.lasso_grid_of(task, x, y)
        if coef.ndim != 2 or coef.shape[1] != len(grid):
            return float("inf")
        return max(common.relative_gap(x, y, coef[:, i], a) for i, a in enumerate(grid))
    if task == "T3":
        return common.relative_gap(x, y, coef, extra["alpha"], common.L1_RATIO_CV, True)
    if task in ("T4a", "T4b"):
        return common.relative_gap(x, y, coef, extra["alpha"] / x.shape[0], 0.0, True)
    # T5: y is the 0/1 target, coef holds [w; b] (a column per path point)
    if task == "T5a":
        a = common.logistic_alpha_max(x, y) / common.LOGISTIC_RATIO
        return common.logistic_relative_gap(x, y, coef[:-1], coef[-1], a)
    if task in ("T5b", "T6b"):
        grid = common.logistic_alpha_grid(x, y)
        if coef.ndim != 2 or coef.shape[1] != len(grid):
            return float("inf")
        return max(common.logistic_relative_gap(x, y, coef[:-1, i], coef[-1, i], a)
                   for i, a in enumerate(grid))
    # T5c/T5d: y is the count target, coef holds [w; b] as for T5a/T5b
    if task == "T5c":
        a = common.poisson_alpha_max(x, y) / common.LOGISTIC_RATIO
        return common.poisson_relative_gap(x, y, coef[:-1], coef[-1], a)
    if task == "T5d":
        grid = common.poisson_alpha_grid(x, y)
        if coef.ndim != 2 or coef.shape[1] != len(grid):
            return float("inf")
        return max(common.poisson_relative_gap(x, y, coef[:-1, i], coef[-1, i], a)
                   for i, a in enumerate(grid))
    # T5e/T5f: y holds the class indices, coef is [W; b] ((p + 1) x K); T5f: the refit at the
    # alpha the tool chose (extra["alpha"])
    if task in common.MULTI_TASKS:
        a = (common.multinomial_alpha_max(x, y) / common.LOGISTIC_RATIO if task == "T5e"
             else extra["alpha"])
        if coef.ndim != 2 or coef.shape[0] != x.shape[1] + 1:
            return float("inf")
        return common.multinomial_relative_gap(x, y, coef[:-1], coef[-1], a)
    if task == "T7":
        grid = common.group_alpha_grid(x, y)
        if coef.ndim != 2 or coef.shape[1] != len(grid):
            return float("inf")
        return max(common.group_relative_gap(x, y, coef[:, i], a) for i, a in enumerate(grid))
    raise ValueError(task)


def reps_for(t, quick):
    if quick:
        return 3 if t < 0.5 else 1
    return 5 if t < 0.5 else 3 if t < 5.0 else 1


def run_task(tool, task, x, y, cap, quick, variant):
    """Ladder (T1/T2), then timed repetitions; the passing ladder run counts as one repetition."""
    run = TOOLS[tool](task, x, y, None, variant)
    ladder = []

    def timed(tol):
        t0 = time.perf_counter()
        coef, extra = run(tol)
        dt = time.perf_counter() - t0
        coef = np.asarray(coef, dtype=np.float64)
        return dt, coef, extra

    if task in LADDER_TASKS:
        tol0, may_loosen = tol0_table(task)[tool]
        tol = tol0(x, y)
        dt, coef, extra = timed(tol)
        gap = check(task, x, y, coef, extra)
        ladder.append((tol, dt, gap))
        if dt > cap:
            return {"capped": True, "ladder": ladder}
        if gap <= common.TARGET_REL_GAP and may_loosen:
            for _ in range(2):
                dt2, coef2, extra2 = timed(tol * 10)
                gap2 = check(task, x, y, coef2, extra2)
                ladder.append((tol * 10, dt2, gap2))
                if gap2 > common.TARGET_REL_GAP:
                    break
                tol, dt, coef, extra, gap = tol * 10, dt2, coef2, extra2, gap2
        steps = 0
        while gap > common.TARGET_REL_GAP and steps < 5:
            if sum(d for _, d, _ in ladder) > 2 * cap:  # the ladder's own budget
                return {"capped": True, "ladder": ladder}
            tol /= 10
            steps += 1
            dt, coef, extra = timed(tol)
            gap = check(task, x, y, coef, extra)
            ladder.append((tol, dt, gap))
            if dt > cap:
                return {"capped": True, "ladder": ladder}
        if gap > common.TARGET_REL_GAP and task in (common.LOGISTIC_TASKS + common.POISSON_TASKS
                                                    + common.T6_TASKS + common.MULTI_TASKS
                                                    + common.GROUP_TASKS):
            # T5, T6: a peer whose ladder ends (5 decades tighter) without passing is reported as
            # "not reached" (with its best gap), not as a failed check of the run
            return {"capped": True, "not_reached": True, "ladder": ladder,
                    "best_gap": min(g for _, _, g in ladder)}
    else:
        tol = None
        dt, coef, extra = timed(None)
        if dt > cap:
            return {"capped": True, "ladder": ladder}
    times = [dt]
    for _ in range(reps_for(dt, quick) - 1):
        dt, coef, extra = timed(tol)
        times.append(dt)
    return {"capped": False, "times": times, "tol": tol, "extra": extra, "ladder": ladder,
            "coef": coef}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("data")
    ap.add_argument("--tasks", required=True,
                    help="comma-separated, e.g. T1,T2,T3,T4a,T4b,T5a,T5b")
    ap.add_argument("--datadir", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--cap", type=float, default=150.0)
    ap.add_argument("--variant", default="")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--baseline", action="store_true",
                    help="everything but the solve (imports, data, JIT warm-up, grid): the "
                         "process whose peak memory is the cell's baseline (T6)")
    a = ap.parse_args()
    for task in a.tasks.split(","):
        x, y = common.load(a.datadir, a.data, common.target_of(task))
        if a.baseline:
            TOOLS[a.tool](task, x, y, None, a.variant)
            print(json.dumps({"tool": a.tool, "variant": a.variant, "task": task,
                              "data": a.data, "baseline": True}), flush=True)
            continue
        res = run_task(a.tool, task, x, y, a.cap, a.quick, a.variant)
        tag = f"{a.tool}{('-' + a.variant) if a.variant else ''}_{task}_{a.data}"
        if "coef" in res:
            path = f"{a.outdir}/{tag}.npy"
            np.save(path, res.pop("coef"))
            res["coef_file"] = path
        res.update({"tool": a.tool, "variant": a.variant, "task": task, "data": a.data})
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
