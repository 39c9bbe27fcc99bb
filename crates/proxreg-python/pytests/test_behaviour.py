"""Pickling, dtypes, copies, the GIL, errors and certificates of the Python estimators."""

import pickle
import threading
import time
import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

import proxreg
from proxreg import _proxreg


def _data(n=150, p=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = X[:, :4] @ np.array([1.0, -2.0, 0.5, 1.5]) + 0.1 * rng.normal(size=n)
    return X, y


ALL_REGRESSORS = [
    proxreg.Lasso(alpha=0.05),
    proxreg.ElasticNet(alpha=0.05),
    proxreg.Ridge(alpha=1.0),
    proxreg.LassoCV(),
    proxreg.ElasticNetCV(l1_ratio=[0.2, 0.9]),
    proxreg.RidgeCV(),
]


@pytest.mark.parametrize("est", ALL_REGRESSORS, ids=lambda e: type(e).__name__)
def test_pickle_round_trip_predicts_the_same(est):
    X, y = _data()
    est.fit(X, y)
    back = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(back.predict(X), est.predict(X))
    assert back.get_params() == est.get_params()
    assert back.relative_gap_ == est.relative_gap_


def test_pickle_classifiers():
    X, y = _data()
    for labels in ((y > 0).astype(int), np.digitize(y, [-1.0, 1.0])):
        for est in (proxreg.LogisticRegression(), proxreg.LogisticRegressionCV(Cs=5)):
            est.fit(X, labels)
            back = pickle.loads(pickle.dumps(est))
            np.testing.assert_array_equal(back.predict_proba(X), est.predict_proba(X))
            np.testing.assert_array_equal(back.classes_, est.classes_)


def test_float32_is_fitted_in_float32():
    X, y = _data()
    m64 = proxreg.Lasso(alpha=0.05, tol=1e-8).fit(X, y)
    m32 = proxreg.Lasso(alpha=0.05, tol=1e-5).fit(X.astype(np.float32), y.astype(np.float32))
    assert m32.coef_.dtype == np.float32
    assert m64.coef_.dtype == np.float64
    np.testing.assert_allclose(m32.coef_, m64.coef_, atol=1e-4)
    assert m32.relative_gap_ <= 1e-5


def test_fortran_float64_design_is_not_copied():
    # tracemalloc sees numpy's allocations: a copy of X (8 MB) by the validation or the
    # binding would show in the peak; the compiled fit's own working memory is Rust's.
    rng = np.random.default_rng(1)
    X = np.asfortranarray(rng.normal(size=(5000, 200)))
    y = X[:, 0] + 0.1 * rng.normal(size=5000)
    est = proxreg.Lasso(alpha=0.01)
    tracemalloc.start()
    est.fit(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < X.nbytes / 10, f"peak {peak} bytes while fitting a {X.nbytes}-byte X"


def test_callers_arrays_are_not_modified():
    X, y = _data(n=60, p=8)
    X[np.abs(X) < 0.7] = 0.0
    # A CSC matrix with unsorted and duplicate entries: canonicalized on a copy.
    Xs = sp.csc_matrix(X)
    Xs = sp.csc_matrix((np.r_[Xs.data, 0.5], np.r_[Xs.indices, 0], np.r_[Xs.indptr[:-1], Xs.indptr[-1] + 1]), shape=X.shape)
    before = (Xs.data.copy(), Xs.indices.copy(), Xs.indptr.copy())
    Xc, yc = X.copy(), y.copy()
    sw = np.linspace(0.5, 2.0, y.size)
    swc = sw.copy()
    proxreg.Lasso(alpha=0.01).fit(Xs, y)
    proxreg.ElasticNet(alpha=0.01).fit(X, y, sample_weight=sw)
    proxreg.LassoCV().fit(X, y)
    for a, b in zip(before, (Xs.data, Xs.indices, Xs.indptr)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(y, yc)
    np.testing.assert_array_equal(sw, swc)


def test_the_gil_is_released_during_a_fit():
    # The main thread sleeps 50 ms while a worker runs a fit of well over a second. With the
    # GIL released the main thread wakes during the fit; with it held, only after.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(4000, 300))
    y = X[:, :20].sum(axis=1) + rng.normal(size=4000)
    done = {}
    started = threading.Event()

    def work():
        started.set()
        proxreg.ElasticNetCV(l1_ratio=[0.1, 0.5, 0.9], alphas=100, tol=1e-10, max_iter=100_000).fit(X, y)
        done["t"] = time.perf_counter()

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    time.sleep(0.05)
    woke = time.perf_counter()
    t.join()
    assert woke < done["t"], "the main thread could not run while the fit was in Rust"


def test_errors_are_value_errors_with_proxregs_message():
    X, y = _data(n=30, p=4)
    with pytest.raises(ValueError, match="alpha must be >= 0"):
        proxreg.Lasso(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio"):
        proxreg.ElasticNet(l1_ratio=1.5).fit(X, y)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        proxreg.Lasso().fit(np.full((3, 2), np.nan), [1.0, 2.0, 3.0])
    # Straight from the compiled core: proxreg's own typed errors, as ValueError.
    with pytest.raises(ValueError, match="y"):
        _proxreg.linear_fit(X, y[:-1], kind="lasso", alpha=0.1)
    with pytest.raises(ValueError, match="(?i)sample.weight|weight"):
        _proxreg.linear_fit(X, y, kind="lasso", alpha=0.1, sample_weight=-np.ones_like(y))
    with pytest.raises(ValueError, match="unknown linear model kind"):
        _proxreg.linear_fit(X, y, kind="lasso2", alpha=0.1)
    with pytest.raises(TypeError, match="float32 or float64"):
        _proxreg.linear_fit(X, y.astype(np.int64), kind="lasso", alpha=0.1)
    with pytest.raises(ValueError, match="only one class"):
        proxreg.LogisticRegression().fit(X, np.zeros(30))
    with pytest.raises(ValueError, match="partition"):
        from sklearn.model_selection import ShuffleSplit

        proxreg.LassoCV(cv=ShuffleSplit(3, test_size=0.5, random_state=0)).fit(X, y)


def test_certificates_and_convergence_warning():
    X, y = _data()
    m = proxreg.Lasso(alpha=0.01, tol=1e-9).fit(X, y)
    assert m.converged_ and m.status_ == "converged"
    assert 0.0 <= m.relative_gap_ <= 1e-9
    assert m.dual_gap_ >= 0.0 and m.kkt_violation_ >= 0.0 and m.n_iter_ >= 1
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        m = proxreg.Lasso(alpha=1e-4, tol=1e-14, max_iter=1).fit(X, y)
    assert not m.converged_ and m.status_ == "max_iter_reached"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        proxreg.Ridge().fit(X, y)


def test_cv_attributes_follow_sklearn_shapes():
    X, y = _data()
    m = proxreg.ElasticNetCV(l1_ratio=[0.2, 0.9], alphas=30, cv=4).fit(X, y)
    assert m.alphas_.shape == (2, 30) and m.mse_path_.shape == (2, 30, 4)
    assert m.l1_ratio_ in (0.2, 0.9)
    m1 = proxreg.ElasticNetCV(l1_ratio=[0.2, 0.9], alphas=30, cv=4, rule="1se").fit(X, y)
    assert m1.alpha_ == pytest.approx(m.alpha_1se_) and m1.alpha_ >= m.alpha_
    r = proxreg.RidgeCV(alphas=[0.01, 0.1, 1.0, 10.0]).fit(X, y)
    assert r.alpha_ in (0.01, 0.1, 1.0, 10.0) and r.loo_.shape == (4,)
    rk = proxreg.RidgeCV(alphas=[0.01, 0.1, 1.0, 10.0], cv=5).fit(X, y)
    assert rk.best_score_ < 0


def test_logistic_cv_refit_is_the_logistic_fit_at_c():
    X, y = _data()
    labels = (y > 0).astype(int)
    cv = proxreg.LogisticRegressionCV(Cs=8, tol=1e-10).fit(X, labels)
    assert cv.Cs_.shape == (8,) and cv.scores_.shape == (8,)
    single = proxreg.LogisticRegression(C=cv.C_, tol=1e-10).fit(X, labels)
    np.testing.assert_allclose(cv.coef_, single.coef_, rtol=1e-6, atol=1e-8)
    assert cv.score(X, labels) > 0.8


def test_logistic_cv_scores_follow_sklearns_sign():
    X, y = _data()
    labels = (y > 0).astype(int)
    acc = proxreg.LogisticRegressionCV(Cs=6, scoring="accuracy").fit(X, labels)
    assert np.all((acc.scores_ >= 0) & (acc.scores_ <= 1)) and acc.scores_.max() > 0.8
    ll = proxreg.LogisticRegressionCV(Cs=6, scoring="neg_log_loss").fit(X, labels)
    assert np.all(ll.scores_ < 0)
    # the largest score is at the chosen C (the minimum-loss rule)
    assert ll.Cs_[np.argmax(ll.scores_)] == pytest.approx(ll.C_)
    with pytest.raises(ValueError, match="scoring"):
        proxreg.LogisticRegressionCV(scoring="f1").fit(X, labels)
