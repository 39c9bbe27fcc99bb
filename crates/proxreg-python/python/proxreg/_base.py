"""Shared plumbing of the estimators: design conversion, folds, certificates, warnings."""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import check_cv

FLOAT_DTYPES = (np.float64, np.float32)
SPARSE_FORMATS = ("csc", "csr", "coo")


def design(X):
    """The design as the compiled core takes it.

    A dense array is passed as it is (read in place; a Fortran-ordered array is never
    copied). A sparse matrix or array is passed as the tuple ``(n_rows, n_cols, indptr,
    indices, data)`` of its CSC form: a CSC input with sorted, unique indices is read in place,
    anything else (CSR, COO, unsorted or duplicate indices) is converted to a canonical CSC copy
    first. The caller's matrix is never modified.
    """
    if not sp.issparse(X):
        return X
    Xc = X.tocsc(copy=False)
    if not Xc.has_canonical_format:
        Xc = Xc.copy()
        Xc.sum_duplicates()  # sorts the indices too; on the copy only
    # The compiled core takes int64 indices (scipy's int32 ones are copied; the values are not).
    indptr = Xc.indptr.astype(np.int64, copy=False)
    indices = Xc.indices.astype(np.int64, copy=False)
    n, p = Xc.shape
    return (n, p, indptr, indices, np.ascontiguousarray(Xc.data))


def fold_ids(cv, X, y, classifier):
    """One fold id per sample (``0..K``) from anything scikit-learn accepts as ``cv``.

    ``None`` means 5 folds; an int K-fold (stratified for a classifier), as scikit-learn's
    ``check_cv``; a splitter or an iterable of (train, test) pairs is used as it is. The test
    sets must partition the samples.
    """
    splitter = check_cv(5 if cv is None else cv, y, classifier=classifier)
    n = X.shape[0]
    ids = np.full(n, -1, dtype=np.int64)
    for k, (_, test) in enumerate(splitter.split(X, y)):
        test = np.asarray(test)
        if np.any(ids[test] >= 0):
            raise ValueError(
                "cv: a sample is in two test folds; proxreg's cross-validation needs folds "
                "whose test sets partition the samples (K-fold, stratified K-fold, group K-fold)"
            )
        ids[test] = k
    if np.any(ids < 0):
        raise ValueError(
            "cv: a sample is in no test fold; proxreg's cross-validation needs folds whose "
            "test sets partition the samples (K-fold, stratified K-fold, group K-fold)"
        )
    return ids.tolist()


def set_certificates(est, out):
    """The fit's certificates as attributes, and a ConvergenceWarning when it did not converge."""
    est.n_iter_ = int(out["n_iter"])
    est.dual_gap_ = out["dual_gap"]
    est.relative_gap_ = out["relative_gap"]
    est.kkt_violation_ = out["kkt_violation"]
    est.status_ = out["status"]
    est.converged_ = bool(out["converged"])
    if not est.converged_:
        warnings.warn(
            f"{type(est).__name__} did not converge: status {est.status_} after "
            f"{est.n_iter_} iterations, relative duality gap {est.relative_gap_}, KKT "
            f"violation {est.kkt_violation_} (tol={est.tol}). Increase max_iter or tol.",
            ConvergenceWarning,
        )


def check_positive_int(value, name, minimum=1):
    """An int parameter >= minimum, or a ValueError naming it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_float(value, name, low=None, high=None, low_open=False, allow_inf=False):
    """A finite (or +inf if allowed) float parameter within [low, high], or a ValueError."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if np.isnan(v) or (np.isinf(v) and not (allow_inf and v > 0)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (v < low or (low_open and v == low)):
        op = ">" if low_open else ">="
        raise ValueError(f"{name} must be {op} {low}, got {value!r}")
    if high is not None and v > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
    return v
