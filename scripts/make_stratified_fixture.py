#!/usr/bin/env python3
"""Stratified K-fold reference (tests/fixtures/stratified_kfold.json): scikit-learn's
StratifiedKFold(shuffle=False) test folds on seeded label vectors, for
proxreg_cv::StratifiedKFold (issue #19: stratified folds for classification CV).

Run (Python 3.11, numpy 2.4.6, scikit-learn 1.9.1):

    .venv-fixtures/bin/python scripts/make_stratified_fixture.py

Cases: balanced and imbalanced binary labels, labels that are not 0/1 and whose first
appearance is not in sorted order, three classes, a class smaller than the number of folds
(scikit-learn warns and still splits), and n not divisible by K.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIX = os.path.join(ROOT, "tests", "fixtures")

rng = np.random.default_rng(20261203)
cases = []


def add(name, y, k):
    with warnings.catch_warnings():
        # "The least populated class in y has only m members": the split is still made.
        warnings.simplefilter("ignore", UserWarning)
        tests = [te.tolist() for _, te in StratifiedKFold(n_splits=k).split(np.zeros(len(y)), y)]
    cases.append({"name": name, "y": [float(v) for v in y], "n_splits": k, "test_folds": tests})


add("balanced binary", rng.integers(0, 2, 40), 5)
add("imbalanced binary", (rng.random(53) < 0.15).astype(float), 4)
y52 = np.where(rng.random(31) < 0.4, 2.0, 5.0)
y52[0] = 5.0
add("labels 5 and 2, 5 first", y52, 3)
add("three classes", rng.integers(0, 3, 47).astype(float), 5)
add("a class smaller than K", np.r_[np.zeros(20), np.ones(2)][rng.permutation(22)], 3)
add("n not divisible by K", rng.integers(0, 2, 23).astype(float), 6)

out = {
    "source": f"scikit-learn {sklearn.__version__} StratifiedKFold(n_splits, shuffle=False), "
    f"numpy {np.__version__}; scripts/make_stratified_fixture.py",
    "cases": cases,
}
with open(os.path.join(FIX, "stratified_kfold.json"), "w") as f:
    json.dump(out, f)
    f.write("\n")
print("wrote", len(cases), "cases")
