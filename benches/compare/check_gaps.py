"""Self-test of the harness's T5e/T5f and T7 certificates (run with the comparison venv):

    .venv-compare/bin/python benches/compare/check_gaps.py

Each check could fail: a peer's answer at a tight tolerance must get a tiny gap, a perturbed
one a large gap, and the multinomial gap must not change when every intercept moves by the
same amount (the softmax's shift). Exits non-zero on the first failure."""

from __future__ import annotations

import numpy as np

import common


def _design(n, p, seed):
    rng = np.random.default_rng(seed)
    return np.asfortranarray(rng.standard_normal((n, p)))


def check_multinomial():
    from sklearn.linear_model import LogisticRegression

    x = _design(150, 12, 1)
    rng = np.random.default_rng(2)
    eta = x[:, :3] @ rng.standard_normal((3, 4))
    y = np.argmax(eta + rng.gumbel(size=eta.shape), axis=1).astype(np.float64)
    a = common.multinomial_alpha_max(x, y) / 10
    m = LogisticRegression(C=1.0 / (x.shape[0] * a), l1_ratio=1.0, solver="saga", tol=1e-13,
                           max_iter=1_000_000, random_state=0).fit(x, y)
    w, b = m.coef_.T, m.intercept_
    g = common.multinomial_relative_gap(x, y, w, b, a)
    assert g < 1e-9, f"saga at tol 1e-13: gap {g:.2e}"
    g_shift = common.multinomial_relative_gap(x, y, w, b + 3.0, a)
    assert abs(g_shift - g) < 1e-10, f"intercept shift changed the gap: {g:.2e} -> {g_shift:.2e}"
    g_scaled = common.multinomial_relative_gap(x, y, 1.05 * w, b, a)
    assert g_scaled > 1e-4, f"W scaled by 1.05: gap only {g_scaled:.2e}"
    b2 = b.copy()
    b2[0] += 0.05
    g_b = common.multinomial_relative_gap(x, y, w, b2, a)
    assert g_b > 1e-5, f"one intercept moved: gap only {g_b:.2e}"
    b0 = np.log(np.bincount(y.astype(int)) / y.size)  # the null model's intercepts
    z = common.multinomial_relative_gap(x, y, np.zeros_like(w), b0,
                                        common.multinomial_alpha_max(x, y))
    assert z < 1e-12, f"W = 0 at alpha_max: gap {z:.2e}"
    z0 = common.multinomial_relative_gap(x, y, np.zeros_like(w), np.zeros(4),
                                         common.multinomial_alpha_max(x, y))
    assert z0 > 1e-3, f"W = 0, b = 0 (not the null intercepts): gap only {z0:.2e}"
    print(f"multinomial: tight {g:.1e}, shifted {g_shift:.1e}, W x1.05 {g_scaled:.1e}, "
          f"b0 + 0.05 {g_b:.1e}, zero at alpha_max {z:.1e}")


def check_group():
    import celer

    x = _design(80, 40, 3)
    w0 = np.zeros(40)
    w0[:common.GROUP_SIZE] = 1.0
    y = x @ w0 + 0.3 * np.random.default_rng(4).standard_normal(80)
    a = common.group_alpha_max(x, y) / 5
    _, coefs, _ = celer.celer_path(x, y, "grouplasso", alphas=np.array([a]),
                                   groups=common.GROUP_SIZE, weights=np.ones(4), tol=1e-14,
                                   prune=True, max_iter=1000)
    w = coefs[:, 0]
    g = common.group_relative_gap(x, y, w, a)
    assert g < 1e-10, f"celer at tol 1e-14: gap {g:.2e}"
    g_scaled = common.group_relative_gap(x, y, 1.05 * w, a)
    assert g_scaled > 1e-5, f"w scaled by 1.05: gap only {g_scaled:.2e}"
    z = common.group_relative_gap(x, y, np.zeros(40), common.group_alpha_max(x, y))
    assert z < 1e-12, f"w = 0 at alpha_max: gap {z:.2e}"
    below = common.group_relative_gap(x, y, np.zeros(40), 0.9 * common.group_alpha_max(x, y))
    assert below > 1e-4, f"w = 0 below alpha_max: gap only {below:.2e}"
    print(f"group lasso: tight {g:.1e}, w x1.05 {g_scaled:.1e}, zero at alpha_max {z:.1e}, "
          f"zero at 0.9 alpha_max {below:.1e}")


if __name__ == "__main__":
    check_multinomial()
    check_group()
    print("ok")
