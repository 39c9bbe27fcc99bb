"""The Python estimators against the committed reference fixtures (real scikit-learn runs,
tests/fixtures/, made by scripts/make_*.py), and against scikit-learn run here on the same data.
"""

import json
import pathlib

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn.linear_model as sk
from sklearn.model_selection import PredefinedSplit

import proxreg

FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "tests" / "fixtures"


def load(name):
    return json.loads((FIXTURES / f"{name}.json").read_text())


def close(a, ref, rtol):
    """max |a − ref| / max(1, max |ref|) <= rtol (the fixtures' agreement measure)."""
    a, ref = np.asarray(a, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    err = np.max(np.abs(a - ref)) / max(1.0, np.max(np.abs(ref)))
    assert err <= rtol, f"relative error {err:.3e} > {rtol:.0e}"


SINGLE = {"Lasso": proxreg.Lasso, "ElasticNet": proxreg.ElasticNet, "Ridge": proxreg.Ridge}


@pytest.mark.parametrize("name", ["estimators_iid", "estimators_corr"])
def test_single_fits_match_sklearn_fixtures(name):
    fx = load(name)
    n_cases = 0
    for case in fx["fits"]:
        prob = fx["problem"] if case["data"] == "main" else fx["repeated_problem"]
        dtype = np.float32 if case["dtype"] == "float32" else np.float64
        X = np.asfortranarray(prob["x"], dtype=dtype)
        y = np.asarray(prob["y"], dtype=dtype)
        sw = None
        if case["sample_weight"] is not None:
            sw = np.asarray(prob["sample_weight"], dtype=dtype)
        kw = {"alpha": case["alpha"], "fit_intercept": case["fit_intercept"], "positive": case["positive"]}
        if case["estimator"] == "ElasticNet":
            kw["l1_ratio"] = case["l1_ratio"]
        est = SINGLE[case["estimator"]](**kw, tol=1e-10, max_iter=100_000)
        est.fit(X, y, sample_weight=sw)
        assert est.coef_.dtype == dtype
        rtol = 1e-4 if dtype == np.float32 else 1e-7
        close(est.coef_, case["coef"], rtol)
        close(est.intercept_, case["intercept"], rtol)
        n_cases += 1
    assert n_cases == len(fx["fits"]) > 0


@pytest.mark.parametrize("name", ["estimators_iid", "estimators_corr"])
def test_cv_matches_sklearn_fixtures(name):
    fx = load(name)
    X = np.asfortranarray(fx["problem"]["x"])
    y = np.asarray(fx["problem"]["y"])
    for case in fx["lasso_cv"]:
        test_fold = np.empty(X.shape[0], dtype=int)
        for k, rows in enumerate(case["test_folds"]):
            test_fold[rows] = k
        cv = PredefinedSplit(test_fold)
        grid = case["alphas"][0] if case["alphas_given"] else case["n_alphas"]
        common = dict(eps=case["eps"], alphas=grid, cv=cv, fit_intercept=case["fit_intercept"], tol=1e-10, max_iter=100_000)
        if case["estimator"] == "LassoCV":
            est = proxreg.LassoCV(**common).fit(X, y)
            alphas, mse = est.alphas_[None, :], est.mse_path_[None, :, :]
        else:
            est = proxreg.ElasticNetCV(l1_ratio=case["l1_ratios"], **common).fit(X, y)
            alphas, mse = est.alphas_, est.mse_path_
            assert est.l1_ratio_ == case["l1_ratio"]
        close(alphas, case["alphas"], 1e-12)
        close(mse, case["mse_path"], 1e-7)
        assert est.alpha_ == pytest.approx(case["alpha"], rel=1e-12)
        close(est.coef_, case["coef"], 1e-7)
        close(est.intercept_, case["intercept"], 1e-7)
    for case in fx["ridge_cv"]:
        est = proxreg.RidgeCV(alphas=case["alphas"], fit_intercept=case["fit_intercept"]).fit(X, y)
        assert est.alpha_ == pytest.approx(case["alpha"], rel=1e-12)
        assert est.best_score_ == pytest.approx(case["best_score"], rel=1e-9)
        close(est.loo_, case["loo_mse"], 1e-9)
        close(est.coef_, case["coef"], 1e-9)


def test_multitask_matches_sklearn_fixtures():
    fx = load("estimators_multitask")
    prob = fx["multitask_problem"]
    X = np.asfortranarray(prob["x"])
    Y = np.asarray(prob["y"])
    for case in fx["multitask_fits"]:
        cls = proxreg.MultiTaskLasso if case["estimator"] == "MultiTaskLasso" else proxreg.MultiTaskElasticNet
        kw = {"alpha": case["alpha"], "fit_intercept": case["fit_intercept"]}
        if cls is proxreg.MultiTaskElasticNet:
            kw["l1_ratio"] = case["l1_ratio"]
        est = cls(**kw, tol=1e-10, max_iter=100_000).fit(X, Y)
        # The fixture's coef is p × k; scikit-learn's coef_ (and ours) is k × p.
        close(est.coef_.T, case["coef"], 1e-7)
        close(est.intercept_, case["intercept"], 1e-7)


def test_logistic_matches_sklearn_fixtures():
    fx = load("logistic_small")
    X = np.asfortranarray(fx["problem"]["x"])
    y = np.asarray(fx["problem"]["y"])
    n_cases = 0
    for case in fx["cases"]:
        if case["standardize"] or case["sklearn"] is None:
            continue  # standardization is not a parameter of the Python estimators
        sw = None if case["sample_weight"] is None else np.asarray(case["sample_weight"])
        est = proxreg.LogisticRegression(
            C=case["sklearn_C"], l1_ratio=case["l1_ratio"], fit_intercept=case["fit_intercept"], tol=1e-10
        ).fit(X, y, sample_weight=sw)
        ref = case["reference"]
        close(est.coef_.ravel(), ref["coef"], 1e-6)
        close(est.intercept_, ref["intercept"], 1e-6)
        n_cases += 1
    assert n_cases >= 5


def test_multinomial_matches_sklearn_fixtures():
    fx = load("multinomial_sklearn_glmnet")
    n_cases = 0
    for case in fx["cases"]:
        if case["grouped"] or case["weighted"]:
            continue  # grouped penalties and weights are not parameters of LogisticRegression
        data = fx["datasets"][case["data"]]
        X = np.asfortranarray(data["x"])
        y = np.asarray(data["y"])
        C = 1.0 / (X.shape[0] * case["alpha"])
        est = proxreg.LogisticRegression(C=C, l1_ratio=case["l1_ratio"], tol=1e-10, max_iter=10_000).fit(X, y)
        # The fixture's coef is p × K.
        close(est.coef_.T, case["coef"], 1e-6)
        close(est.intercept_ - est.intercept_.mean(), case["intercept_centred"], 1e-6)
        close(est.predict_proba(X), case["proba"], 1e-6)
        n_cases += 1
    assert n_cases >= 3


def test_sparse_lasso_cv_matches_sklearn_fixture():
    fx = load("sparse_small")
    from sklearn.datasets import load_svmlight_file

    X, y = load_svmlight_file(str(FIXTURES / fx["data"]["file"]), n_features=fx["data"]["n_features"])
    cvf = fx["lasso_cv"]
    test_fold = np.empty(X.shape[0], dtype=int)
    for k, rows in enumerate(cvf["test_folds"]):
        test_fold[rows] = k
    est = proxreg.LassoCV(alphas=cvf["alphas"], cv=PredefinedSplit(test_fold), tol=1e-10, max_iter=100_000)
    est.fit(X, y)  # CSR in, read as CSC without densifying
    close(est.mse_path_, cvf["mse_path"], 1e-7)
    assert est.alpha_ == pytest.approx(cvf["alpha"], rel=1e-12)
    close(est.coef_, cvf["coef"], 1e-7)


# --- against scikit-learn run here, on the same data ---------------------------------------

def _data(n=120, p=15, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w = np.zeros(p)
    w[:5] = rng.normal(size=5)
    return X, X @ w + 0.5 + 0.1 * rng.normal(size=n)


@pytest.mark.parametrize(
    "ours, theirs, kw",
    [
        (proxreg.Lasso, sk.Lasso, {"alpha": 0.05}),
        (proxreg.ElasticNet, sk.ElasticNet, {"alpha": 0.05, "l1_ratio": 0.3}),
        (proxreg.Ridge, sk.Ridge, {"alpha": 2.0}),
        (proxreg.Lasso, sk.Lasso, {"alpha": 0.05, "positive": True}),
    ],
)
def test_same_answer_as_sklearn(ours, theirs, kw):
    X, y = _data()
    a = ours(**kw, tol=1e-10).fit(X, y)
    b = theirs(**kw, tol=1e-12, max_iter=100_000).fit(X, y)
    close(a.coef_, b.coef_, 1e-7)
    close(a.intercept_, b.intercept_, 1e-7)
    np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-7, atol=1e-7)
    assert a.score(X, y) == pytest.approx(b.score(X, y), rel=1e-9)


def test_lasso_cv_same_grid_and_choice_as_sklearn():
    X, y = _data(n=200, p=30, seed=1)
    a = proxreg.LassoCV(tol=1e-10, max_iter=100_000).fit(X, y)
    b = sk.LassoCV(tol=1e-12, max_iter=100_000).fit(X, y)
    close(a.alphas_, b.alphas_, 1e-12)
    close(a.mse_path_, b.mse_path_, 1e-6)
    assert a.alpha_ == pytest.approx(b.alpha_, rel=1e-12)
    assert a.alpha_1se_ >= a.alpha_


def test_logistic_same_answer_as_sklearn():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 6))
    y = (X[:, 0] - X[:, 1] + 0.5 * rng.normal(size=200) > 0).astype(int)
    a = proxreg.LogisticRegression(C=0.5, tol=1e-10).fit(X, y)
    b = sk.LogisticRegression(C=0.5, tol=1e-12, max_iter=10_000).fit(X, y)
    close(a.coef_, b.coef_, 1e-6)
    close(a.intercept_, b.intercept_, 1e-6)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-6)
    y3 = np.digitize(X[:, 0] + X[:, 2], [-0.7, 0.7])
    a = proxreg.LogisticRegression(C=0.5, tol=1e-10).fit(X, y3)
    b = sk.LogisticRegression(C=0.5, tol=1e-12, max_iter=10_000).fit(X, y3)
    close(a.coef_, b.coef_, 1e-6)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-6)


def test_sparse_inputs_equal_dense():
    X, y = _data(n=80, p=12, seed=4)
    X[np.abs(X) < 0.8] = 0.0
    dense = proxreg.Lasso(alpha=0.02, tol=1e-10).fit(X, y)
    for conv in (sp.csc_matrix, sp.csr_matrix, sp.coo_matrix, sp.csc_array):
        m = proxreg.Lasso(alpha=0.02, tol=1e-10).fit(conv(X), y)
        close(m.coef_, dense.coef_, 1e-9)
        np.testing.assert_allclose(m.predict(conv(X)), dense.predict(X), rtol=1e-9, atol=1e-9)


def test_paths_match_sklearn():
    X, y = _data(n=100, p=20, seed=5)
    a_ours, c_ours, g_ours = proxreg.lasso_path(X, y, alphas=30, tol=1e-10, max_iter=100_000)
    a_sk, c_sk, _ = sk.lasso_path(X, y, alphas=30, tol=1e-12, max_iter=100_000)
    close(a_ours, a_sk, 1e-12)
    assert c_ours.shape == c_sk.shape == (20, 30)
    close(c_ours, c_sk, 1e-7)
    assert np.all(g_ours >= 0)
    a_ours, c_ours, _ = proxreg.enet_path(X, y, l1_ratio=0.4, alphas=a_sk, tol=1e-10, max_iter=100_000)
    _, c_sk, _ = sk.enet_path(X, y, l1_ratio=0.4, alphas=a_sk, tol=1e-12, max_iter=100_000)
    close(c_ours, c_sk, 1e-7)
    # sparse, as CSR: the same path
    _, c_sp, _ = proxreg.enet_path(sp.csr_matrix(X), y, l1_ratio=0.4, alphas=a_sk, tol=1e-10, max_iter=100_000)
    close(c_sp, c_ours, 1e-9)
