"""proxreg: norm-regularized linear models, correct to certificates, for scikit-learn users.

The estimators take the parameters scikit-learn's take and minimise the same objectives; their
fits run in proxreg's compiled Rust core (the GIL released) and carry proxreg's certificates:
``relative_gap_`` (the duality gap relative to ``‖y‖²/n``) and ``kkt_violation_``.

>>> import numpy as np
>>> from proxreg import Lasso
>>> X = np.asfortranarray(np.random.default_rng(0).normal(size=(50, 5)))
>>> y = X @ np.array([1.0, 0.0, -2.0, 0.0, 0.5])
>>> m = Lasso(alpha=0.01).fit(X, y)
>>> bool(m.relative_gap_ <= 1e-4)
True
"""

from . import linear_model
from ._proxreg import __version__
from .linear_model import *  # noqa: F401,F403  (the estimators, listed in linear_model.__all__)

__all__ = [*linear_model.__all__, "__version__"]
