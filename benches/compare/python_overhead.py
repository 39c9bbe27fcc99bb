"""The Python package's call overhead against the Rust runner on the T1 / T2 cells.

    python benches/compare/python_overhead.py [--datasets small,corr] [--reps 20] [--out FILE.md]

Needs the `proxreg` wheel installed in the running Python (scripts/python-tests.sh builds one
into target/python-venv) and the runner built (`cargo build --release -p proxreg-compare`).
Both sides solve the same problem on the same data (benches/compare's generated designs, made
here if missing): T1, one Lasso fit at alpha_max/10 without intercept, relative gap <= 5e-7;
T2, the 100-alpha Lasso path down to 1e-3 alpha_max, warm started. Columns, medians over
`--reps` repetitions measured in one process each:

- runner: `proxreg-compare`, the solver called from Rust (its in-process time);
- core: `proxreg._proxreg` called directly from Python (the binding: argument conversion, GIL
  release, the estimator-level checks in Rust, results to numpy);
- estimator: `proxreg.Lasso(...).fit` / `proxreg.lasso_path` (adds scikit-learn's validation).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import common  # noqa: E402

import proxreg  # noqa: E402
from proxreg import _proxreg  # noqa: E402

TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
RUNNER = os.path.join(TARGET, "release", "proxreg-compare")
DATADIR = os.path.join(TARGET, "compare-data")
TOL = 5e-7


def median_time(reps, f):
    times = []
    out = None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def runner(task, xp, yp, reps):
    cmd = [RUNNER, "--task", task, "--x", xp, "--y", yp, "--reps", str(reps), "--tol", repr(TOL)]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])["median"]


def fmt(s):
    return f"{s * 1e6:.0f} µs" if abs(s) < 1e-3 else f"{s * 1e3:.2f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default="small,corr")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--out")
    a = ap.parse_args()
    if not os.path.exists(RUNNER):
        sys.exit(f"{RUNNER} not built: cargo build --release -p proxreg-compare")
    rows = []
    for data in a.datasets.split(","):
        common.ensure_data(DATADIR, data)
        xp, yp = common.data_paths(DATADIR, data)
        X = np.load(xp)  # saved Fortran-ordered: read in place by the binding
        y = np.load(yp)
        n = X.shape[0]
        amax = np.max(np.abs(X.T @ y)) / n
        for task in ("T1", "T2"):
            r = runner(task, xp, yp, a.reps)
            if task == "T1":
                core, out = median_time(a.reps, lambda: _proxreg.linear_fit(
                    X, y, kind="lasso", alpha=amax / 10, fit_intercept=False, tol=TOL, max_iter=100_000))
                gap = out["relative_gap"]
                est, m = median_time(a.reps, lambda: proxreg.Lasso(
                    alpha=amax / 10, fit_intercept=False, tol=TOL, max_iter=100_000).fit(X, y))
                assert m.relative_gap_ <= 1e-6
            else:
                core, out = median_time(a.reps, lambda: _proxreg.linear_path(
                    X, y, l1_ratio=1.0, alphas=None, n_alphas=100, eps=1e-3, tol=TOL, max_iter=100_000))
                gap = float(np.max(out["relative_gaps"]))
                est, _ = median_time(a.reps, lambda: proxreg.lasso_path(
                    X, y, eps=1e-3, alphas=100, tol=TOL, max_iter=100_000))
            assert gap <= 1e-6, f"{task} {data}: relative gap {gap}"
            rows.append((data, task, r, core, est))
            print(f"{data} {task}: runner {fmt(r)}, core {fmt(core)}, estimator {fmt(est)}", flush=True)
    lines = [
        f"Python call overhead, medians of {a.reps} repetitions (`benches/compare/python_overhead.py`)",
        "",
        "| data | task | Rust runner | `_proxreg` call | estimator | estimator − runner | estimator / runner |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for data, task, r, core, est in rows:
        lines.append(f"| {data} | {task} | {fmt(r)} | {fmt(core)} | {fmt(est)} | {fmt(est - r)} | {est / r:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
