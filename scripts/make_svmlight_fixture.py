#!/usr/bin/env python3
"""scikit-learn's svmlight writer as a cross-check of proxreg-io's reader
(crates/proxreg-io/tests/data/sklearn_*.svm, sklearn_dense.npy, sklearn_y.npy).

Run: /work/venv-fx/bin/python scripts/make_svmlight_fixture.py (numpy, scipy,
scikit-learn==1.9.1; any venv with them).

Seeded data (PCG64, n = 12, p = 7, about 40 % nonzero, last column and row 5 empty, values
spanning 1e-300 .. 1e300 and signs): dump_svmlight_file writes it one-based (with a comment
header), zero-based, and one-based with query ids. The dense matrix (C order) and the labels are
saved as .npy as scikit-learn's own load_svmlight_file reads them back (dump writes 16
significant digits, so the file, not `x`, is the reference): proxreg-io's test reads each file
and must get bitwise these numbers.
"""
import pathlib

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import dump_svmlight_file, load_svmlight_file

OUT = pathlib.Path(__file__).resolve().parent.parent / "crates/proxreg-io/tests/data"
OUT.mkdir(parents=True, exist_ok=True)
rng = np.random.Generator(np.random.PCG64(2020))
n, p = 12, 7
x = rng.standard_normal((n, p)) * np.exp(rng.uniform(-5, 5, (n, p)))
x[rng.uniform(size=(n, p)) > 0.4] = 0.0
x[:, p - 1] = 0.0
x[5, :] = 0.0
x[0, 0], x[1, 1], x[2, 2] = 1e-300, -1e300, 0.1
y = np.round(rng.standard_normal(n) * 10, 3)
y[3] = 2.0
xs = sp.csr_matrix(x)
dump_svmlight_file(xs, y, str(OUT / "sklearn_one_based.svm"), zero_based=False,
                   comment="written by scikit-learn's dump_svmlight_file")
dump_svmlight_file(xs, y, str(OUT / "sklearn_zero_based.svm"), zero_based=True)
dump_svmlight_file(xs, y, str(OUT / "sklearn_qid.svm"), zero_based=False,
                   query_id=np.arange(n) // 4)
xr, yr = load_svmlight_file(str(OUT / "sklearn_one_based.svm"), n_features=p)
for name, zb in [("zero_based", True), ("qid", False)]:
    xo, yo = load_svmlight_file(str(OUT / f"sklearn_{name}.svm"), n_features=p, zero_based=zb)
    assert (xo != xr).nnz == 0 and np.array_equal(yo, yr)
assert np.allclose(xr.toarray(), x, rtol=1e-15, atol=0) and np.array_equal(yr, y)
np.save(OUT / "sklearn_dense.npy", xr.toarray())
np.save(OUT / "sklearn_y.npy", yr)
