"""scikit-learn's own estimator checks, on every wrapped estimator.

A check that cannot pass is listed in EXPECTED_FAILED with the reason; the run is strict (a
listed check that passes fails the suite), so the list stays true.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

import proxreg

ESTIMATORS = [
    proxreg.Lasso(),
    proxreg.ElasticNet(),
    proxreg.Ridge(),
    proxreg.MultiTaskLasso(),
    proxreg.MultiTaskElasticNet(),
    proxreg.LassoCV(),
    proxreg.ElasticNetCV(),
    proxreg.RidgeCV(),
    proxreg.LogisticRegression(),
    proxreg.LogisticRegressionCV(),
]

# estimator class name -> {check name: reason}
EXPECTED_FAILED = {}


def expected_failed(estimator):
    return EXPECTED_FAILED.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed, xfail_strict=True)
def test_sklearn_check(estimator, check):
    check(estimator)
