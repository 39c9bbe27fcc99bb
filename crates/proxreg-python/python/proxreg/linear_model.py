"""scikit-learn-compatible estimators backed by proxreg's compiled fits.

Parameters are named as scikit-learn names them and mean the same objective (see each class).
Every fitted estimator also carries proxreg's certificates: ``relative_gap_`` (the duality gap
relative to ``‖y‖²/n``, what ``tol`` bounds), ``kkt_violation_``, ``status_`` and
``converged_``; a fit that did not converge warns with ``ConvergenceWarning``.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from . import _proxreg
from ._base import (
    FLOAT_DTYPES,
    SPARSE_FORMATS,
    check_float,
    check_positive_int,
    design,
    fold_ids,
    set_certificates,
)

__all__ = [
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "LogisticRegression",
    "LogisticRegressionCV",
    "MultiTaskElasticNet",
    "MultiTaskLasso",
    "Ridge",
    "RidgeCV",
    "enet_path",
    "lasso_path",
]


def _as_float(y, dtype):
    """``y`` as a contiguous array of the design's floating type."""
    return np.ascontiguousarray(y, dtype=dtype)


def _weights(sample_weight, X):
    """Validated sample weights (non-negative, finite, one per row), or None."""
    if sample_weight is None:
        return None
    sw = _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)
    return np.ascontiguousarray(sw)


class _Regressor(RegressorMixin, BaseEstimator):
    """Prediction and tags shared by the regressors: ``X @ coef_.T + intercept_``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def predict(self, X):
        """Predicted targets ``X @ coef_.T + intercept_`` (dense or sparse X)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=SPARSE_FORMATS, dtype=FLOAT_DTYPES, reset=False)
        return safe_sparse_dot(X, self.coef_.T, dense_output=True) + self.intercept_

    def _validate(self, X, y, multi_output=False, dtype=FLOAT_DTYPES):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=SPARSE_FORMATS,
            dtype=dtype,
            y_numeric=True,
            multi_output=multi_output,
        )
        return X, _as_float(y, X.dtype)

    def _checked_params(self):
        """``(alpha, l1_ratio, tol, max_iter)`` of a single fit, each checked."""
        return (
            check_float(self.alpha, "alpha", 0.0),
            self._l1_ratio(),
            check_float(self.tol, "tol", 0.0, low_open=True),
            check_positive_int(self.max_iter, "max_iter"),
        )

    def _set_model(self, out, n_features, n_tasks=None):
        coef = np.asarray(out["coef"])
        intercept = np.asarray(out["intercept"])
        if n_tasks is None:
            self.coef_ = coef
            self.intercept_ = intercept.dtype.type(intercept[0]) if self.fit_intercept else 0.0
        else:
            # proxreg's coef is p × k row-major; scikit-learn's coef_ is k × p.
            self.coef_ = np.ascontiguousarray(coef.reshape(n_features, n_tasks).T)
            self.intercept_ = intercept if self.fit_intercept else np.zeros(n_tasks, coef.dtype)


class ElasticNet(_Regressor):
    """Linear regression with combined L1 and L2 penalties.

    Minimises ``(1/(2n))‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1−ρ)‖w‖²`` (``ρ = l1_ratio``), as
    scikit-learn's ``ElasticNet``; with ``sample_weight`` the squared residuals are weighted and
    divided by ``2·Σs``. Coordinate descent with working sets, certified by its duality gap.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength, ``>= 0``.
    l1_ratio : float, default=0.5
        The mix ``ρ`` in ``[0, 1]``.
    fit_intercept : bool, default=True
        Fit an unpenalised intercept.
    max_iter : int, default=1000
        Maximal number of epochs.
    tol : float, default=1e-4
        Tolerance on the duality gap relative to ``‖y‖²/n`` (and on the KKT violation).
    warm_start : bool, default=False
        Start from the previous fit's ``coef_``.
    positive : bool, default=False
        Constrain the coefficients to be ``>= 0``.

    Attributes
    ----------
    coef_, intercept_, n_iter_, dual_gap_, n_features_in_, feature_names_in_
        As scikit-learn's.
    relative_gap_, kkt_violation_, status_, converged_
        proxreg's certificates.
    """

    _kind = "enet"

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive

    def _l1_ratio(self):
        return check_float(self.l1_ratio, "l1_ratio", 0.0, 1.0)

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (dense or sparse, ``n × p``) and ``y`` (``n``); returns ``self``."""
        alpha, l1_ratio, tol, max_iter = self._checked_params()
        X, y = self._validate(X, y)
        sw = _weights(sample_weight, X)
        ws = None
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if np.shape(self.coef_) == (X.shape[1],):
                ws = np.ascontiguousarray(self.coef_, dtype=X.dtype)
        out = _proxreg.linear_fit(
            design(X),
            y,
            kind=self._kind,
            alpha=alpha,
            l1_ratio=l1_ratio,
            fit_intercept=bool(self.fit_intercept),
            tol=tol,
            max_iter=max_iter,
            positive=bool(self.positive),
            sample_weight=sw,
            warm_start=ws,
        )
        self._set_model(out, X.shape[1])
        set_certificates(self, out)
        return self


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty.

    Minimises ``(1/(2n))‖y − Xw − b‖² + α‖w‖₁``, as scikit-learn's ``Lasso`` (an
    :class:`ElasticNet` with ``l1_ratio=1``); see there for the parameters and attributes.
    """

    _kind = "lasso"

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive

    def _l1_ratio(self):
        return 1.0


class Ridge(ElasticNet):
    """Linear regression with a squared L2 penalty.

    Minimises ``‖y − Xw − b‖² + α‖w‖²`` (not divided by ``n``), as scikit-learn's ``Ridge``;
    solved directly (Cholesky / SVD), or by coordinate descent with ``positive=True``. With
    ``sample_weight``: ``Σ s_i r_i² + α‖w‖²``.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, ``>= 0``.
    fit_intercept, max_iter, tol, positive
        As :class:`ElasticNet` (``max_iter`` and ``tol`` apply to ``positive=True``).
    """

    _kind = "ridge"

    def __init__(self, alpha=1.0, *, fit_intercept=True, max_iter=1000, tol=1e-4, positive=False):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.positive = positive

    warm_start = False

    def _l1_ratio(self):
        return 0.0


class MultiTaskElasticNet(_Regressor):
    """Multi-task linear regression with an L2,1 (row-group) and a squared L2 penalty.

    Minimises ``(1/(2n))‖Y − XW − 1bᵀ‖²_F + α(ρ Σ_j ‖W_j‖₂ + ½(1−ρ)‖W‖²_F)``, as
    scikit-learn's ``MultiTaskElasticNet``: features are selected for all tasks together.
    ``Y`` is ``n × k``; ``coef_`` is ``k × p``, ``intercept_`` has ``k`` entries. Parameters and
    certificates as :class:`ElasticNet` (no ``positive``).
    """

    def __init__(
        self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, max_iter=1000, tol=1e-4,
        warm_start=False,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags

    def _l1_ratio(self):
        return check_float(self.l1_ratio, "l1_ratio", 0.0, 1.0)

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (``n × p``) and ``Y`` (``n × k``); returns ``self``."""
        alpha, l1_ratio, tol, max_iter = self._checked_params()
        X, Y = self._validate(X, y, multi_output=True)
        if Y.ndim != 2:
            raise ValueError(
                f"For mono-task outputs, use {type(self).__name__[len('MultiTask'):]}: y must be "
                f"2-d (n_samples, n_tasks), got shape {Y.shape}"
            )
        n, p = X.shape
        k = Y.shape[1]
        sw = _weights(sample_weight, X)
        ws = None
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if np.shape(self.coef_) == (k, p):
                ws = np.ascontiguousarray(np.asarray(self.coef_, dtype=X.dtype).T).ravel()
        out = _proxreg.linear_fit(
            design(X),
            np.ascontiguousarray(Y.ravel(order="F")),
            kind="multitask",
            alpha=alpha,
            l1_ratio=l1_ratio,
            fit_intercept=bool(self.fit_intercept),
            tol=tol,
            max_iter=max_iter,
            sample_weight=sw,
            warm_start=ws,
        )
        self._set_model(out, p, n_tasks=k)
        set_certificates(self, out)
        return self


class MultiTaskLasso(MultiTaskElasticNet):
    """Multi-task Lasso: ``(1/(2n))‖Y − XW − 1bᵀ‖²_F + α Σ_j ‖W_j‖₂``, as scikit-learn's
    ``MultiTaskLasso`` (a :class:`MultiTaskElasticNet` with ``l1_ratio=1``)."""

    def __init__(self, alpha=1.0, *, fit_intercept=True, max_iter=1000, tol=1e-4, warm_start=False):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _l1_ratio(self):
        return 1.0


def _grid_args(alphas, eps):
    """``(n_alphas, eps, alphas)`` of the compiled CV from scikit-learn's ``alphas`` (an int:
    that many log-spaced alphas from ``alpha_max`` down to ``eps·alpha_max``; an array: the
    grid itself)."""
    eps = check_float(eps, "eps", 0.0, low_open=True)
    if isinstance(alphas, numbers.Integral) and not isinstance(alphas, bool):
        return check_positive_int(alphas, "alphas"), eps, None
    grid = np.asarray(alphas, dtype=np.float64).ravel()
    if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
        raise ValueError("alphas must be a positive int or a non-empty array of finite alphas >= 0")
    return grid.size, eps, sorted(grid.tolist(), reverse=True)


class ElasticNetCV(_Regressor):
    """Elastic Net with alpha (and ``l1_ratio``) chosen by K-fold cross-validation, then refit.

    As scikit-learn's ``ElasticNetCV``: for each ``l1_ratio``, a path over ``alphas`` (an int:
    that many alphas from ``alpha_max`` down to ``eps·alpha_max``; or the grid), the held-out
    mean squared error per fold, the minimum of its mean (``alpha_``, ``l1_ratio_``), and the
    refit on all rows. Also the one-standard-error choice ``alpha_1se_`` (the largest alpha
    whose mean error is within one standard error of the minimum; ``rule="1se"`` refits there).

    ``cv`` is anything scikit-learn takes (None: 5 contiguous folds, an int, a splitter, an
    iterable of splits) whose test sets partition the samples. The folds run in parallel
    (rayon); the result does not depend on the number of threads.

    Attributes
    ----------
    alpha_, l1_ratio_, alphas_, mse_path_, coef_, intercept_, n_iter_, dual_gap_
        As scikit-learn's (``alphas_`` is ``(n_l1_ratio, n_alphas)`` and ``mse_path_``
        ``(n_l1_ratio, n_alphas, n_folds)`` when several ``l1_ratio`` are given).
    alpha_min_, alpha_1se_
        The minimum-error and one-standard-error alphas (at ``l1_ratio_``).
    relative_gap_, kkt_violation_, status_, converged_
        The refit's certificates.
    """

    def __init__(
        self,
        *,
        l1_ratio=0.5,
        eps=1e-3,
        alphas=100,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        cv=None,
        rule="min",
    ):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.rule = rule

    def _l1_ratios(self):
        r = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if r.size == 0 or r.ndim != 1:
            raise ValueError("l1_ratio must be a number or a non-empty 1-d list of numbers")
        return [check_float(v, "l1_ratio", 0.0, 1.0) for v in r]

    def fit(self, X, y):
        """Cross-validate on ``X`` and ``y``, then refit; returns ``self``."""
        l1_ratios = self._l1_ratios()
        n_alphas, eps, grid = _grid_args(self.alphas, self.eps)
        tol = check_float(self.tol, "tol", 0.0, low_open=True)
        max_iter = check_positive_int(self.max_iter, "max_iter")
        if self.rule not in ("min", "1se"):
            raise ValueError(f"rule must be 'min' or '1se', got {self.rule!r}")
        X, y = self._validate(X, y, dtype=np.float64)  # the cross-validations run in f64
        ids = fold_ids(self.cv, X, y, classifier=False)
        out = _proxreg.linear_cv(
            design(X),
            y,
            l1_ratios=l1_ratios,
            n_alphas=n_alphas,
            eps=eps,
            alphas=grid,
            fold_ids=ids,
            fit_intercept=bool(self.fit_intercept),
            tol=tol,
            max_iter=max_iter,
            one_se=self.rule == "1se",
        )
        n_l1, n_folds = len(l1_ratios), max(ids) + 1
        alphas = np.asarray(out["alphas"]).reshape(n_l1, -1)
        mse = np.asarray(out["mse_path"]).reshape(n_l1, alphas.shape[1], n_folds)
        single = np.ndim(self.l1_ratio) == 0
        self.alphas_ = alphas[0] if single else alphas
        self.mse_path_ = mse[0] if single else mse
        self.alpha_ = out["alpha_"]
        self.l1_ratio_ = out["l1_ratio_"]
        self.alpha_min_ = out["alpha_min"]
        self.alpha_1se_ = out["alpha_1se"]
        self._set_model(out, X.shape[1])
        set_certificates(self, out)
        return self


class LassoCV(ElasticNetCV):
    """Lasso with alpha chosen by K-fold cross-validation, then refit: an
    :class:`ElasticNetCV` with ``l1_ratio=1`` (scikit-learn's ``LassoCV``); ``alphas_`` is
    ``(n_alphas,)`` and ``mse_path_`` ``(n_alphas, n_folds)``."""

    def __init__(
        self, *, eps=1e-3, alphas=100, fit_intercept=True, max_iter=1000, tol=1e-4, cv=None,
        rule="min",
    ):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.rule = rule

    l1_ratio = 1.0

    def _l1_ratios(self):
        return [1.0]


class RidgeCV(_Regressor):
    """Ridge with alpha chosen by exact leave-one-out, GCV or K-fold cross-validation, then
    refit (scikit-learn's ``RidgeCV``, objective ``‖y − Xw − b‖² + α‖w‖²``).

    ``cv=None`` (the default) uses the exact leave-one-out squared error of every alpha, from
    one decomposition of ``X`` (``criterion="gcv"``: generalized cross-validation instead); an
    int, a splitter or an iterable of splits uses those folds' held-out mean squared error.
    ``best_score_`` is minus the selected mean squared error (scikit-learn's default scoring).
    Attributes as scikit-learn's, plus ``loo_``, ``gcv_`` and ``dof_`` (the effective degrees
    of freedom) over ``alphas``.
    """

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept=True, cv=None, criterion="loo"):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.criterion = criterion

    def fit(self, X, y):
        """Select alpha on ``X`` and ``y``, then refit; returns ``self``."""
        grid = np.asarray(self.alphas, dtype=np.float64).ravel()
        if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid <= 0):
            raise ValueError(f"alphas must be a non-empty array of finite alphas > 0, got {self.alphas!r}")
        if self.criterion not in ("loo", "gcv"):
            raise ValueError(f"criterion must be 'loo' or 'gcv', got {self.criterion!r}")
        X, y = self._validate(X, y, dtype=np.float64)  # the cross-validations run in f64
        order = np.argsort(-grid, kind="stable")
        ids = None
        mode = self.criterion
        if self.cv is not None:
            ids, mode = fold_ids(self.cv, X, y, classifier=False), "folds"
        out = _proxreg.ridge_cv(
            design(X),
            y,
            alphas=grid[order].tolist(),
            mode=mode,
            fold_ids=ids,
            fit_intercept=bool(self.fit_intercept),
        )
        self.alpha_ = out["alpha_"]
        back = np.empty_like(order)
        back[order] = np.arange(order.size)
        self.loo_ = np.asarray(out["loo"])[back]
        self.gcv_ = np.asarray(out["gcv"])[back]
        self.dof_ = np.asarray(out["dof"])[back]
        curve = {"loo": self.loo_, "gcv": self.gcv_}.get(mode)
        if curve is None:
            curve = np.asarray(out["cv_mean"])[back]
        self.best_score_ = -float(np.min(curve))
        self._set_model(out, X.shape[1])
        set_certificates(self, out)
        return self

    tol = None


class _Classifier(ClassifierMixin, BaseEstimator):
    """Label encoding and prediction shared by the logistic classifiers."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _validate_xy(self, X, y, dtype=FLOAT_DTYPES):
        X, y = validate_data(
            self, X, y, accept_sparse=SPARSE_FORMATS, dtype=dtype, multi_output=False
        )
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, but the data "
                f"contains only one class: {self.classes_[0]!r}"
            )
        return X, codes.astype(X.dtype)

    def _set_model(self, out, n_features):
        coef = np.asarray(out["coef"])
        k = self.classes_.size
        if k == 2:
            self.coef_ = coef.reshape(1, n_features)
            self.intercept_ = np.asarray(out["intercept"]).reshape(1)
        else:
            self.coef_ = np.ascontiguousarray(coef.reshape(n_features, k).T)
            self.intercept_ = np.asarray(out["intercept"])

    def decision_function(self, X):
        """``X @ coef_.T + intercept_``: one column per class (one value for two classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=SPARSE_FORMATS, dtype=FLOAT_DTYPES, reset=False)
        scores = safe_sparse_dot(X, self.coef_.T, dense_output=True) + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_proba(self, X):
        """Class probabilities (the logistic function for two classes, the softmax beyond)."""
        eta = self.decision_function(X)
        if eta.ndim == 1:
            p = 1.0 / (1.0 + np.exp(-eta))
            return np.column_stack([1.0 - p, p])
        eta = eta - eta.max(axis=1, keepdims=True)
        e = np.exp(eta)
        return e / e.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithms of :meth:`predict_proba`."""
        return np.log(self.predict_proba(X))

    def predict(self, X):
        """The most probable class of each row."""
        eta = self.decision_function(X)
        idx = (eta > 0).astype(int) if eta.ndim == 1 else eta.argmax(axis=1)
        return self.classes_[idx]


def _alpha_of_c(C, n):
    """proxreg's α of scikit-learn's ``C`` for ``n`` samples: ``α = 1/(n·C)`` (``C = inf``: 0)."""
    return 0.0 if np.isinf(C) else 1.0 / (n * C)


class LogisticRegression(_Classifier):
    """Penalised logistic regression: two classes by the logistic loss, more by the
    multinomial (softmax) loss.

    Minimises ``C·Σ loss_i + ρ‖W‖₁ + ½(1−ρ)‖W‖²`` (``ρ = l1_ratio``), as scikit-learn's
    ``LogisticRegression`` with its ``C`` and ``l1_ratio`` (0: L2, the default; 1: L1; between:
    elastic net; ``C=np.inf``: no penalty). proxreg solves the equivalent
    ``(1/n)Σ loss_i + α(ρ‖W‖₁ + ½(1−ρ)‖W‖²)`` with ``α = 1/(n·C)``, certified by its duality
    gap (``relative_gap_``) and KKT violation. With ``sample_weight``, ``n`` is ``Σs``.

    Parameters
    ----------
    C : float, default=1.0
        Inverse penalty strength, ``> 0``.
    l1_ratio : float, default=0.0
        The mix ``ρ`` in ``[0, 1]``.
    fit_intercept : bool, default=True
    tol : float, default=1e-4
        Tolerance on the relative duality gap and the KKT violation.
    max_iter : int or None, default=None
        Maximal number of outer iterations (None: proxreg's default, 10 000 for two classes
        and 200 for more).
    """

    def __init__(self, C=1.0, *, l1_ratio=0.0, fit_intercept=True, tol=1e-4, max_iter=None):
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (dense or sparse) and the labels ``y``; returns ``self``."""
        C = check_float(self.C, "C", 0.0, low_open=True, allow_inf=True)
        l1_ratio = check_float(self.l1_ratio, "l1_ratio", 0.0, 1.0)
        tol = check_float(self.tol, "tol", 0.0, low_open=True)
        kwargs = {}
        if self.max_iter is not None:
            kwargs["max_iter"] = check_positive_int(self.max_iter, "max_iter")
        X, codes = self._validate_xy(X, y, dtype=np.float64)  # fitted in f64, as sklearn's lbfgs
        sw = _weights(sample_weight, X)
        n_eff = X.shape[0] if sw is None else float(np.sum(sw))
        out = _proxreg.logistic_fit(
            design(X),
            codes,
            n_classes=self.classes_.size,
            alpha=_alpha_of_c(C, n_eff),
            l1_ratio=l1_ratio,
            fit_intercept=bool(self.fit_intercept),
            tol=tol,
            sample_weight=sw,
            **kwargs,
        )
        self._set_model(out, X.shape[1])
        set_certificates(self, out)
        return self


_SCORING = {
    None: "deviance",
    "neg_log_loss": "deviance",
    "accuracy": "class",
    "roc_auc": "auc",
    "neg_brier_score": "mse",
}


class LogisticRegressionCV(_Classifier):
    """Logistic / multinomial regression with ``C`` (and ``l1_ratio``) chosen by stratified
    K-fold cross-validation, then refit on all rows.

    ``Cs``: an int (that many ``C`` log-spaced in ``[1e-4, 1e4]``, scikit-learn's grid) or the
    grid. proxreg fits the CV paths in its convention ``α = 1/(n·C)`` with ``n`` the number of
    training rows of the whole data, the same α in every fold (glmnet's convention; scikit-learn
    keeps ``C`` fixed across folds instead, so its fold fits are less penalised by the fold
    size). ``scoring``: None or ``"neg_log_loss"`` (the deviance), ``"accuracy"``, ``"roc_auc"``,
    ``"neg_brier_score"`` (two classes). ``rule="1se"`` refits at the one-standard-error ``C``.

    Attributes
    ----------
    C_, l1_ratio_, Cs_, coef_, intercept_, classes_, n_iter_
        As scikit-learn's (``C_`` and ``l1_ratio_`` are floats).
    scores_
        Mean held-out score per ``C`` at ``l1_ratio_``, in scikit-learn's sign (higher is
        better): minus the log loss, the accuracy, the AUC or minus the Brier score.
    alpha_, alpha_1se_
        The selected α and the one-standard-error α in proxreg's convention.
    relative_gap_, kkt_violation_, status_, converged_
        The refit's certificates.
    """

    def __init__(
        self, *, Cs=10, l1_ratios=(0.0,), fit_intercept=True, cv=None, scoring=None, tol=1e-4,
        max_iter=None, rule="min",
    ):
        self.Cs = Cs
        self.l1_ratios = l1_ratios
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.scoring = scoring
        self.tol = tol
        self.max_iter = max_iter
        self.rule = rule

    def fit(self, X, y):
        """Cross-validate on ``X`` and the labels ``y``, then refit; returns ``self``."""
        if isinstance(self.Cs, numbers.Integral) and not isinstance(self.Cs, bool):
            Cs = np.logspace(-4, 4, check_positive_int(self.Cs, "Cs"))
        else:
            Cs = np.asarray(self.Cs, dtype=np.float64).ravel()
            if Cs.size == 0 or not np.all(np.isfinite(Cs)) or np.any(Cs <= 0):
                raise ValueError(f"Cs must be a positive int or finite values > 0, got {self.Cs!r}")
        l1_ratios = [
            check_float(v, "l1_ratios", 0.0, 1.0) for v in np.atleast_1d(self.l1_ratios)
        ]
        if not l1_ratios:
            raise ValueError("l1_ratios must not be empty")
        if self.scoring not in _SCORING:
            raise ValueError(f"scoring must be one of {sorted(k for k in _SCORING if k)} or None, got {self.scoring!r}")
        if self.rule not in ("min", "1se"):
            raise ValueError(f"rule must be 'min' or '1se', got {self.rule!r}")
        tol = check_float(self.tol, "tol", 0.0, low_open=True)
        max_iter = None if self.max_iter is None else check_positive_int(self.max_iter, "max_iter")
        X, codes = self._validate_xy(X, y, dtype=np.float64)  # the cross-validations run in f64
        n = X.shape[0]
        ids = fold_ids(self.cv, X, codes, classifier=True)
        Cs = np.sort(Cs)  # increasing C = decreasing alpha
        alphas = [_alpha_of_c(c, n) for c in Cs]
        if max_iter is None:  # proxreg's defaults, as LogisticRegression
            max_iter = 10_000 if self.classes_.size == 2 else 200
        out = _proxreg.logistic_cv(
            design(X),
            codes,
            n_classes=self.classes_.size,
            l1_ratios=l1_ratios,
            n_alphas=len(alphas),
            eps=1e-3,
            alphas=alphas,
            fold_ids=ids,
            fit_intercept=bool(self.fit_intercept),
            tol=tol,
            max_iter=max_iter,
            measure=_SCORING[self.scoring],
            one_se=self.rule == "1se",
        )
        self.Cs_ = Cs
        self.alpha_ = out["alpha_"]
        self.alpha_1se_ = out["alpha_1se"]
        self.C_ = 1.0 / (n * self.alpha_)
        self.l1_ratio_ = out["l1_ratio_"]
        mean = np.asarray(out["cv_mean"]).reshape(len(l1_ratios), -1)
        best = l1_ratios.index(self.l1_ratio_) if self.l1_ratio_ in l1_ratios else 0
        # proxreg's measures are losses (lower is better): misclassification and 1 − AUC give
        # accuracy and AUC as 1 − loss; the deviance is twice scikit-learn's log loss; the
        # Brier score is the mean squared error of the probabilities.
        loss = mean[best]
        if self.scoring in ("accuracy", "roc_auc"):
            self.scores_ = 1.0 - loss
        elif self.scoring == "neg_brier_score":
            self.scores_ = -loss
        else:
            self.scores_ = -loss / 2.0
        self._set_model(out, X.shape[1])
        set_certificates(self, out)
        return self


def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, alphas=100, tol=1e-4, max_iter=1000, positive=False):
    """The Elastic Net path without intercept, as scikit-learn's ``enet_path``.

    Fits ``(1/(2n))‖y − Xw‖² + α·ρ‖w‖₁ + ½α(1−ρ)‖w‖²`` at every alpha (``alphas``: an int,
    that many log-spaced from ``alpha_max`` down to ``eps·alpha_max``, as scikit-learn 1.9; or
    the grid), each warm started from the previous one. ``X`` dense or sparse; fitted in
    float64.

    Returns
    -------
    alphas : ndarray (n_alphas,)
        Decreasing.
    coefs : ndarray (n_features, n_alphas)
    dual_gaps : ndarray (n_alphas,)
        The duality gaps (scikit-learn's).
    """
    return _path(X, y, l1_ratio, eps, alphas, tol, max_iter, positive)[:3]


def lasso_path(X, y, *, eps=1e-3, alphas=100, tol=1e-4, max_iter=1000, positive=False):
    """The Lasso path without intercept (:func:`enet_path` with ``l1_ratio=1``), as
    scikit-learn's ``lasso_path``: returns ``(alphas, coefs, dual_gaps)``."""
    return _path(X, y, 1.0, eps, alphas, tol, max_iter, positive)[:3]


def _path(X, y, l1_ratio, eps, alphas, tol, max_iter, positive):
    from sklearn.utils.validation import check_X_y

    l1_ratio = check_float(l1_ratio, "l1_ratio", 0.0, 1.0)
    tol = check_float(tol, "tol", 0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    X, y = check_X_y(X, y, accept_sparse=SPARSE_FORMATS, dtype=np.float64, y_numeric=True)
    n_alphas, eps, grid = _grid_args(100 if alphas is None else alphas, eps)
    out = _proxreg.linear_path(
        design(X),
        np.ascontiguousarray(y),
        l1_ratio=l1_ratio,
        alphas=grid,
        n_alphas=n_alphas,
        eps=eps,
        tol=tol,
        max_iter=max_iter,
        positive=bool(positive),
    )
    a = np.asarray(out["alphas"])
    coefs = np.asarray(out["coefs"]).reshape(a.size, X.shape[1]).T
    return a, coefs, np.asarray(out["dual_gaps"]), out
