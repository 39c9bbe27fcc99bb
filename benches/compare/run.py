"""Side-by-side comparison of proxreg with scikit-learn, celer, skglm, glmnet (and numpy for ridge).

Run through run.sh (it makes the virtual environment). Every tool runs in its own process with
one thread; every answer is checked by common.relative_gap, the one gap function.

    python run.py [--quick] [--datasets small,corr,tall,wide] [--cap 30] [--cell-timeout 90]
                  [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

import common
from peers import GLMNET_T5A_POINTS, LIBLINEAR_INTERCEPT_SCALING

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATADIR = os.path.join(ROOT, "target", "compare-data")
OUTDIR = os.path.join(DATADIR, "out")
# the runner run.sh builds: $PROXREG_COMPARE_RUNNER, else under $CARGO_TARGET_DIR, else target/
RUNNER = os.environ.get("PROXREG_COMPARE_RUNNER") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release", "proxreg-compare")

LINEAR_TASKS = ["T1", "T2", "T3", "T4a", "T4b"]
T5_TASKS = list(common.T5_TASKS)
POISSON_TASKS = list(common.POISSON_TASKS)
T6_TASKS = list(common.T6_TASKS)
MULTI_TASKS = list(common.MULTI_TASKS)
GROUP_TASKS = list(common.GROUP_TASKS)
TASKS = LINEAR_TASKS + T5_TASKS + POISSON_TASKS + MULTI_TASKS + T6_TASKS + GROUP_TASKS
TASK_NAMES = {
    "T1": "T1 Lasso, one fit",
    "T2": "T2 Lasso path (100)",
    "T3": "T3 ElasticNetCV",
    "T4a": "T4 Ridge, one alpha",
    "T4b": "T4 RidgeCV LOO (50)",
    "T5a": "T5a L1 logistic, one fit",
    "T5b": "T5b L1 logistic path (100)",
    "T5c": "T5c L1 Poisson, one fit",
    "T5d": "T5d L1 Poisson path (100)",
    "T6a": "T6a Lasso path (100), sparse",
    "T6b": "T6b L1 logistic path (100), sparse",
    "T5e": "T5e L1 multinomial, one fit",
    "T5f": f"T5f L1 multinomial CV ({common.MULTI_CV_ALPHAS} α × {common.N_FOLDS} folds)",
    "T7": "T7 group lasso path (100)",
}
# (column key, tool, variant, tasks it runs)
PEERS = [
    ("sklearn", "sklearn", "", ["T1", "T2", "T3", "T4a", "T4b", "T6a"]),
    ("sklearn-gram", "sklearn", "gram", ["T1", "T2"]),
    # T5 (L1 logistic regression): scikit-learn's LogisticRegression with two solvers
    ("sklearn-liblinear", "sklearn", "liblinear", ["T5a", "T5b", "T6b"]),
    ("sklearn-saga", "sklearn", "saga", ["T5a", "T5b", "T6b", "T5e", "T5f"]),
    # celer 0.7.4: LogisticRegression(fit_intercept=True) raises NotImplementedError, so it has
    # no T5 cell (T5 has an unpenalized intercept: without it the problem is another one)
    ("celer", "celer", "", ["T1", "T2", "T3", "T6a", "T7"]),
    ("skglm", "skglm", "", ["T1", "T2", "T3", "T5a", "T5b", "T5c", "T5d", "T6a", "T6b", "T7"]),
    # T5c/T5d (L1 Poisson regression): glum's irls-cd
    ("glum", "glum", "", ["T5c", "T5d"]),
    ("glmnet", "glmnet", "", ["T1", "T2", "T3", "T5a", "T5b", "T6a", "T6b", "T5e", "T5f"]),
    ("numpy", "numpy", "", ["T4a", "T4b"]),
]
GRAM_DATASETS = ("small", "tall")  # precompute=True only where n >> p (a p x p Gram is cheap)
COLUMNS = ["proxreg", "sklearn", "sklearn-gram", "celer", "skglm", "glmnet", "numpy"]
T5_COLUMNS = ["proxreg", "sklearn-liblinear", "sklearn-saga", "celer", "skglm", "glmnet"]
T6A_COLUMNS = ["proxreg", "sklearn", "celer", "skglm", "glmnet"]
POISSON_COLUMNS = ["proxreg", "glum", "skglm", "sklearn", "glmnet", "celer"]
MULTI_COLUMNS = ["proxreg", "sklearn-saga", "glmnet", "skglm", "celer", "sklearn-liblinear"]
GROUP_COLUMNS = ["proxreg", "skglm", "celer", "sklearn", "glmnet"]
ALL_COLUMNS = COLUMNS + [c for c in T5_COLUMNS + POISSON_COLUMNS + MULTI_COLUMNS
                         if c not in COLUMNS]
# --quick leaves these (column, task) cells out: liblinear's T5b is 100 cold fits through five
# ladder decades, ~20 s of solves on the small design, a third of the quick run's T5 time
# T6b on the quick sparse design: liblinear (100 cold fits) and saga each ran over 120 s
# (measured), beyond the cell timeout, so --quick leaves them out too
QUICK_SKIP = {("sklearn-liblinear", "T5b"), ("sklearn-liblinear", "T6b"),
              ("sklearn-saga", "T6b")}
T5_SKIPPED = {"celer": "no intercept: not comparable (celer 0.7.4's LogisticRegression raises "
                       "NotImplementedError for fit_intercept=True)"}
POISSON_SKIPPED = {
    "sklearn": "scikit-learn 1.9.1's PoissonRegressor has only an L2 penalty (no L1)",
    "glmnet": "python-glmnet has no Poisson family (ElasticNet and LogitNet only)",
    "celer": "celer 0.7.4 has no Poisson datafit",
}
MULTI_SKIPPED = {
    "skglm": "skglm 0.5 has no multinomial datafit (its datafits: Quadratic, Logistic (binary), "
             "Poisson, Gamma, Huber, Cox, QuadraticSVC, WeightedQuadratic, the group and "
             "multi-task quadratic ones; `SparseLogisticRegression` is binary)",
    "celer": "celer 0.7.4's LogisticRegression is binary (multi-class only one-vs-rest, another "
             "problem) and raises NotImplementedError for fit_intercept=True",
    "sklearn-liblinear": "liblinear fits multi-class problems one-vs-rest (another problem) "
                         "and penalizes the intercept",
}
GROUP_SKIPPED = {
    "sklearn": "scikit-learn 1.9.1 has no group lasso",
    "glmnet": "python-glmnet has no group penalty (glmnet's only grouped penalties are the "
              "multinomial / multi-response ones over a feature's coefficients)",
}


def child_env() -> dict:
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS",
              "RAYON_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS"):
        env[k] = "1"
    # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when the machine sets them, are left as they are:
    # older OpenBLAS builds compute wrong results without them (see the README).
    return env


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# peers


GNU_TIME = "/usr/bin/time"


def mem_wrap(cmd):
    """`cmd` run under GNU time, which writes the process's peak resident memory (max RSS, kB)
    to a file: (the wrapped command, that file). Not measured from here with os.wait4: a child
    forked from this Python process starts its ru_maxrss at this process's own high-water mark
    (Linux keeps it across exec), while GNU time forks the command from its own small process.
    Without GNU time: (cmd, None), no peak."""
    if not os.path.exists(GNU_TIME):
        return cmd, None
    import tempfile

    fd, path = tempfile.mkstemp(prefix="maxrss-", suffix=".txt")
    os.close(fd)
    return [GNU_TIME, "-f", "%M", "-o", path] + list(cmd), path


def read_peak(path):
    """The peak in MiB written by `mem_wrap`'s GNU time (None if it wrote none: killed)."""
    if path is None:
        return None
    try:
        with open(path) as f:
            lines = [ln.strip() for ln in f if ln.strip()]
        os.remove(path)
        return int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
    except OSError:
        return None


def kill_group(p):
    """Kills the process group of `p` (started with start_new_session): GNU time and the
    command under it."""
    import signal

    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_peer(key, tool, variant, tasks, data, cap, quick, cell_timeout):
    """One process per (peer, task) cell, each killed after `cell_timeout` seconds (start-up and
    numba JIT included): a stuck or very slow cell costs at most that, and the others still run.
    T6 cells also get the peak memory of the cell's process and of a baseline process (the same
    command with `--baseline`: imports, data, JIT warm-up and grid, no solve)."""
    out = {}
    for t in tasks:
        out.update(_run_peer_proc(key, tool, variant, [t], data, cap, quick, cell_timeout))
        if t in T6_TASKS:
            base = _run_peer_proc(key, tool, variant, [t], data, cap, quick, cell_timeout,
                                  baseline=True)
            out[t]["base_mib"] = base[t].get("peak_mib")
    return out


def _run_peer_proc(key, tool, variant, tasks, data, cap, quick, budget, baseline=False):
    cmd = [sys.executable, os.path.join(HERE, "peers.py"), tool, data, "--tasks", ",".join(tasks),
           "--datadir", DATADIR, "--outdir", OUTDIR, "--cap", str(cap)]
    if variant:
        cmd += ["--variant", variant]
    if quick:
        cmd.append("--quick")
    if baseline:
        cmd.append("--baseline")
    out = {}
    err = ""
    # stream the worker's JSON lines (one per task) so progress shows in the log; a watchdog
    # kills a worker that overruns its budget
    import tempfile
    import threading

    with tempfile.TemporaryFile("w+") as errf:
        wcmd, memf = mem_wrap(cmd)
        p = subprocess.Popen(wcmd, env=child_env(), stdout=subprocess.PIPE, stderr=errf,
                             text=True, start_new_session=True)
        killed = []
        timer = threading.Timer(budget, lambda: (killed.append(1), kill_group(p)))
        timer.start()
        try:
            for line in p.stdout:
                if line.startswith("{"):
                    r = json.loads(line)
                    out[r["task"]] = r
                    if r.get("baseline"):
                        continue
                    summary = ("not reached" if r.get("not_reached") else
                               "capped" if r.get("capped") else
                               f"median {statistics.median(r['times']):.4g} s, tol {r.get('tol')}")
                    ladder = [(f"{t:.0e}", round(d, 3), f"{g:.1e}") for t, d, g in r["ladder"]]
                    log(f"    {key} {r['task']}: {summary}, ladder {ladder}")
            p.wait()
        finally:
            timer.cancel()
        peak = read_peak(memf)
        for r in out.values():
            r["peak_mib"] = peak
        errf.seek(0)
        err = "timeout" if killed else errf.read()
    for t in tasks:
        if t not in out:
            if killed:
                # over the cell budget: reported like a capped cell (slower than the cap)
                log(f"  {key} {t} {data}: killed after the {budget:.0f} s cell timeout")
                out[t] = {"capped": True, "ladder": [], "timed_out": budget, "peak_mib": peak}
                continue
            log(f"  {key} {t} {data}: no result ({err.strip().splitlines()[-1:] if err else ''})")
            out[t] = {"capped": True, "ladder": [], "error": err[-2000:]}
    return out


# ----------------------------------------------------------------------------------------------
# proxreg (the Rust runner; the ladder is driven from here so it uses the same check)


def runner_available() -> bool:
    return os.path.exists(RUNNER)


def call_runner(task, data, tol=None, reps=1, coef_out=None, extra_args=(), timeout=None):
    """Runs the runner once; its JSON line, with "peak_mib" (the process's max RSS) added."""
    import tempfile
    import threading

    xp, yp = common.data_paths(DATADIR, data, common.target_of(task))
    # a sparse design (T6) is given as the prefix of its CSC files
    xarg = "--csc" if data in common.SPARSE_SPECS else "--x"
    cmd = [RUNNER, "--task", task, xarg, xp, "--y", yp, "--reps", str(reps)]
    if tol is not None:
        cmd += ["--tol", repr(tol)]
    if coef_out:
        cmd += ["--coef-out", coef_out]
    cmd += list(extra_args)
    with tempfile.TemporaryFile("w+") as outf, tempfile.TemporaryFile("w+") as errf:
        wcmd, memf = mem_wrap(cmd)
        p = subprocess.Popen(wcmd, env=child_env(), stdout=outf, stderr=errf, text=True,
                             start_new_session=True)
        killed = []
        timer = (threading.Timer(timeout, lambda: (killed.append(1), kill_group(p)))
                 if timeout else None)
        if timer:
            timer.start()
        try:
            p.wait()
        finally:
            if timer:
                timer.cancel()
        peak = read_peak(memf)
        if killed:
            e = subprocess.TimeoutExpired(cmd, timeout)
            e.peak_mib = peak  # the killed process's peak so far, still reported for T6
            raise e
        outf.seek(0)
        errf.seek(0)
        stdout, stderr = outf.read(), errf.read()
    if p.returncode != 0:
        raise RuntimeError(f"proxreg-compare {task} {data}: {stderr.strip()[-500:]}")
    r = json.loads(stdout.strip().splitlines()[-1])
    r["peak_mib"] = peak
    return r


def check_gap(task, x, y, coef, extra, variant=""):
    """The one gap check, as used by peers.py (same function, same arguments)."""
    sys.path.insert(0, HERE)
    import peers  # noqa: E402  (import here: it pulls in nothing heavy at import time)

    return peers.check(task, x, y, coef, extra)


def reps_for(t, quick):
    if quick:
        return 3 if t < 0.5 else 1
    return 5 if t < 0.5 else 3 if t < 5.0 else 1


def run_proxreg(data, tasks, x, ys, cap, quick, cell_timeout):
    """`ys`: the targets by kind ({"y": ..., "ybin": ...}; each task uses common.target_of)."""
    out = {}
    for task in tasks:
        y = ys[common.target_of(task)]
        variants = [("", None)]
        if task == "T3":
            variants = [("", None), ("tol1e-6", 5e-7)]
        for variant, fixed_tol in variants:
            key = task + ("@" + variant if variant else "")
            coef_file = os.path.join(OUTDIR, f"proxreg{'-' + variant if variant else ''}_{task}_{data}.npy")
            try:
                res = _proxreg_one(task, data, x, y, cap, quick, coef_file, fixed_tol,
                                   cell_timeout)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                log(f"  proxreg {key} {data}: {e}")
                timed_out = isinstance(e, subprocess.TimeoutExpired)
                res = {"capped": timed_out, "ladder": []}
                if not timed_out:
                    res["error"] = str(e)
                if task in T6_TASKS and timed_out:
                    res["peak_mib"] = getattr(e, "peak_mib", None)
                    res["timed_out"] = True
                    res["base_mib"] = call_runner(task, data, extra_args=["--baseline"],
                                                  timeout=cell_timeout)["peak_mib"]
            out[key] = res
    return out


def _proxreg_one(task, data, x, y, cap, quick, coef_file, fixed_tol, cell_timeout):
    res = _proxreg_ladder(task, data, x, y, cap, quick, coef_file, fixed_tol, cell_timeout)
    if task in T6_TASKS:
        # peak memory: the largest of the cell's runner processes; baseline: the runner with
        # the data loaded and no solve (`--baseline`)
        res["base_mib"] = call_runner(task, data, extra_args=["--baseline"],
                                      timeout=cell_timeout)["peak_mib"]
    return res


def _proxreg_ladder(task, data, x, y, cap, quick, coef_file, fixed_tol, cell_timeout):
    ladder = []
    peaks = []
    timeout = min(cap * 6 + 30, cell_timeout)
    if task in (("T1", "T2") + common.LOGISTIC_TASKS + common.POISSON_TASKS + common.T6_TASKS
                + common.MULTI_TASKS + common.GROUP_TASKS):
        # proxreg's relative gap is gap / (||y||^2 / n): tol 5e-7 is the 1e-6; for T5
        # ProxNewton's is gap / null deviance (2 P0), half of T5's: tol 5e-7 again (it also
        # stops only when its KKT violation is at most tol ||grad F(0)||_inf)
        tol = 5e-7
        for _ in range(5):
            r = call_runner(task, data, tol=tol, reps=1, coef_out=coef_file, timeout=timeout)
            peaks.append(r["peak_mib"])
            coef = np.load(coef_file)
            gap = check_gap(task, x, y, coef, r.get("extra", {}))
            ladder.append((tol, r["times"][0], gap))
            if r["times"][0] > cap:
                return {"capped": True, "ladder": ladder, "peak_mib": max(peaks)}
            if gap <= common.TARGET_REL_GAP:
                break
            if sum(d for _, d, _ in ladder) > 2 * cap:  # the ladder's own budget
                return {"capped": True, "ladder": ladder, "peak_mib": max(peaks)}
            tol /= 10
        if gap > common.TARGET_REL_GAP and task in (common.T6_TASKS + common.POISSON_TASKS
                                                    + common.MULTI_TASKS + common.GROUP_TASKS):
            # as for the peers' T5/T6 cells: 5 decades tighter without passing is "not reached"
            return {"capped": True, "not_reached": True, "ladder": ladder,
                    "best_gap": min(g for _, _, g in ladder), "peak_mib": max(peaks)}
    else:
        tol = fixed_tol
        r = call_runner(task, data, tol=tol, reps=1, coef_out=coef_file, timeout=timeout)
        if r["times"][0] > cap:
            return {"capped": True, "ladder": ladder}
    first = r["times"][0]
    n = reps_for(first, quick)
    times = [first]
    if n > 1:
        r = call_runner(task, data, tol=tol, reps=n - 1, coef_out=coef_file, timeout=timeout)
        times += r["times"]
    peaks.append(r["peak_mib"])
    return {"capped": False, "times": times, "tol": tol, "extra": r.get("extra", {}),
            "ladder": ladder, "coef_file": coef_file, "peak_mib": max(peaks)}


# ----------------------------------------------------------------------------------------------
# probes


PROBE_PY = r"""
import json, time, numpy as np
from threadpoolctl import threadpool_info
res = {}
# streaming read of a 1 GiB array: best of 5 sums (one pass, memory bound)
a = np.ones(1 << 27)
a.sum()
best = min((lambda t0: (a.sum(), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(5))
res["bandwidth_gbs"] = a.nbytes / best / 1e9
del a
# single-thread dgemm, 2000^3
m = 2000
A = np.asfortranarray(np.random.default_rng(0).standard_normal((m, m)))
B = A.copy(order="F")
A @ B
best = min((lambda t0: (A @ B, time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(3))
res["dgemm_gflops"] = 2 * m ** 3 / best / 1e9
res["blas"] = [{k: d.get(k) for k in ("internal_api", "architecture", "num_threads", "version")}
               for d in threadpool_info()]
print(json.dumps(res))
"""


def probes(datasets):
    log("probes: memory bandwidth, dgemm")
    p = subprocess.run([sys.executable, "-c", PROBE_PY], env=child_env(), capture_output=True,
                       text=True, timeout=600)
    res = json.loads(p.stdout.strip().splitlines()[-1])
    if runner_available():
        for data in datasets:
            if data not in ("tall", "corr"):
                continue
            spec = common.SPECS[data]
            xbytes = spec.n * spec.p * 8
            try:
                e = call_runner("epoch", data, reps=5, timeout=600)
                g = call_runner("gram", data, reps=3, timeout=600)
            except (RuntimeError, subprocess.TimeoutExpired) as err:
                log(f"  probe {data}: {err}")
                continue
            ep = statistics.median(e["times"])
            gt = statistics.median(g["times"])
            floor_epoch = xbytes / (res["bandwidth_gbs"] * 1e9)
            flops = spec.n * spec.p * (spec.p + 1)  # the symmetric half X^T X needs
            floor_gram = flops / (res["dgemm_gflops"] * 1e9)
            res[data] = {"epoch_s": ep, "epoch_floor_s": floor_epoch,
                         "epoch_ratio": ep / floor_epoch, "gram_s": gt,
                         "gram_floor_s": floor_gram, "gram_ratio": gt / floor_gram}
    return res


def peak_memory(datasets):
    """Max RSS of the proxreg runner (T1 and T2) for the big data sets, via /usr/bin/time -v."""
    out = {}
    tv = shutil.which("time") or "/usr/bin/time"
    if not (runner_available() and os.path.exists(tv)):
        return out
    for data in datasets:
        if data not in ("tall", "wide"):
            continue
        xp, yp = common.data_paths(DATADIR, data)
        for task in ("T1", "T2", "T3"):
            cmd = [tv, "-v", RUNNER, "--task", task, "--x", xp, "--y", yp, "--reps", "1",
                   "--tol", "5e-7"]
            p = subprocess.run(cmd, env=child_env(), capture_output=True, text=True, timeout=900)
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
            if m:
                out[(data, task)] = int(m.group(1)) / 1024
    return out


# ----------------------------------------------------------------------------------------------
# report


def machine():
    info = {"python": platform.python_version()}
    try:
        ls = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for k in ("Model name", "CPU(s)", "L3 cache"):
            m = re.search(rf"^{re.escape(k)}:\s*(.+)$", ls, re.M)
            if m:
                info[k] = m.group(1).strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            kb = float(f.readline().split(":")[1].split()[0])
            info["memory"] = f"{kb / 2**20:.0f} GiB"
    except OSError:
        pass
    vers = {}
    for mod, dist in [("numpy", "numpy"), ("scipy", "scipy"), ("sklearn", "scikit-learn"),
                      ("celer", "celer"), ("skglm", "skglm"), ("glmnet", "python-glmnet"),
                      ("glum", "glum")]:
        try:
            from importlib.metadata import version

            vers[dist] = version(dist)
        except Exception:  # noqa: BLE001
            vers[dist] = "not installed"
    info["versions"] = vers
    try:
        info["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True,
                                       text=True).stdout.strip()
    except OSError:
        pass
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE", "(unset)")
    try:
        info["loadavg_end"] = os.getloadavg()
    except OSError:
        pass
    return info


def fmt_t(t):
    if t >= 100:
        return f"{t:.0f} s"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} µs"


def finalize(cell, task, x, y):
    """Median time and the achieved gap recomputed here from the saved coefficients."""
    if cell.get("capped") or "coef_file" not in cell:
        return cell
    coef = np.load(cell["coef_file"])
    cell["median"] = statistics.median(cell["times"])
    cell["gap"] = check_gap(task, x, y, coef, cell.get("extra", {}))
    return cell


def gap_ok(task, variant, cell):
    """What 'the gap check passes' means per task, for the exit status."""
    if cell.get("capped") or "gap" not in cell:
        return cell.get("capped", False) and "error" not in cell  # capped is reported, not failed
    g = cell["gap"]
    if not np.isfinite(g):
        return False
    if (task in ("T1", "T2") + common.T5_TASKS + common.POISSON_TASKS + common.T6_TASKS
            + common.MULTI_TASKS + common.GROUP_TASKS or variant == "tol1e-6"):
        return g <= common.TARGET_REL_GAP
    if task == "T3":
        return g <= 1e-2  # default tolerances: reported, only sanity-checked
    return g <= 1e-8  # closed-form ridge


def render(results, cap, info, probe, mem, quick, wall, notes=(), runtime_base=None):
    L = []
    L.append("# Benchmarks: proxreg side by side with scikit-learn, celer, skglm, glmnet and glum\n")
    L.append("Generated by `bash benches/compare/run.sh` (see `benches/compare/README.md`); "
             f"{'QUICK mode (small data set only). ' if quick else ''}"
             + (f"total wall time of the run: {wall / 60:.1f} min.\n" if wall is not None else "\n"))
    for note in notes:
        L.append(f"> {note}\n")
    L.append("## Machine\n")
    L.append(f"- CPU: {info.get('Model name', '?')}, {info.get('CPU(s)', '?')} cores "
             f"(L3 {info.get('L3 cache', '?').split(' (')[0]}), memory {info.get('memory', '?')}. "
             "Absolute times depend on what else runs on the machine"
             + (f" (load average at the start "
                f"{', '.join(f'{v:.1f}' for v in info['loadavg_start'])}, at the end "
                f"{', '.join(f'{v:.1f}' for v in info.get('loadavg_end', ()))} on 2 cores)"
                if info.get("loadavg_start") else " (see the notes above for this run)")
             + " and vary by up to 2× between runs of the same binary; ratios within one row are "
             "more telling.")
    L.append(f"- Python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["versions"].items())
             + f"; {info.get('rustc', '')}.")
    if probe.get("blas"):
        b = probe["blas"][0]
        L.append(f"- numpy BLAS: {b.get('internal_api')} {b.get('version')} "
                 f"({b.get('architecture')} kernels), OPENBLAS_CORETYPE={info['OPENBLAS_CORETYPE']}.")
    L.append("- Every tool runs single-threaded (OMP/OPENBLAS/MKL/NUMBA/RAYON_NUM_THREADS=1), "
             "each peer in its own process; times are medians of 1-5 repetitions measured around "
             f"the solve only (data already loaded, numba JIT warmed). A cell over {cap:.0f} s is "
             f"reported as `> {cap:.0f} s`.\n")
    reused = sorted({c for per in results.values() for c, cells in per.items()
                     if any(v.get("reused") for v in cells.values())})
    if reused:
        L.append(f"- Cells of {', '.join(reused)} were measured by an earlier run of the same "
                 "script on the same machine and data (`--reuse`); their saved coefficients were "
                 "re-checked by the gap function in this run.\n")
    L.append("## Problems\n")
    L.append("Data (generated, seeded; the AR(1) design of benchopt's Lasso benchmark): "
             "corr(x_j, x_k) = ρ^|j−k|, w* with k standard-normal entries on a random support, "
             "‖Xw*‖/‖noise‖ = 3.\n")
    L.append("| name | n | p | ρ | k |\n| --- | ---: | ---: | ---: | ---: |")
    for s in common.SPECS.values():
        if s.name in results:
            L.append(f"| {s.name} | {s.n} | {s.p} | {s.rho} | {s.k} |")

    L.append("")
    has_linear = has_tasks(results, LINEAR_TASKS)
    has_t5 = has_tasks(results, T5_TASKS)
    if has_linear:
        L.append("- **T1** Lasso at α = α_max/10, no intercept, cold start, to relative gap ≤ 1e-6.\n"
                 "- **T2** Lasso path, 100 α log-spaced from α_max to 1e-3·α_max, warm started, every "
                 "point to relative gap ≤ 1e-6.\n"
                 "- **T3** ElasticNetCV, l1_ratio 0.5, the same 100-α grid (from the centered data), "
                 "5 contiguous folds, intercept, refit included; each tool at its default tolerance "
                 "(proxreg also at 1e-6). The gap shown is the refit's at the α the tool chose.\n"
                 "- **T4** closed-form Ridge (scikit-learn's convention ‖y−Xw−b‖² + a‖w‖², "
                 f"a = {common.RIDGE_ALPHA_PER_N}·n) and ridge leave-one-out CV over 50 alphas "
                 "a = n·logspace(−4, 1, 50), with intercept; numpy (Cholesky / one eigh) is the floor.\n")
        L.append("Relative gap = gap / (‖y‖²/(2n)) in scikit-learn's objective convention, computed "
                 "for every answer by ONE function (`benches/compare/common.py: relative_gap`). "
                 "For T1/T2 each tool's tolerance starts at its 1e-6 equivalent (sklearn, celer: "
                 "tol 5e-7; proxreg: tol 5e-7 since its gap is scaled by ‖y‖²/n) and is divided by "
                 "10 until that check passes; skglm (KKT-violation criterion) and glmnet (coefficient-"
                 "change criterion) have no equivalent, so their ladder also tries 10× looser and "
                 "keeps the loosest passing decade. The tolerance used is listed under the table.\n")
    has_t6 = has_tasks(results, T6_TASKS)
    has_pois = has_tasks(results, POISSON_TASKS)
    if has_pois:
        L.append("- **T5c/T5d** L1 Poisson regression: see its own section below.\n")
    if has_t5:
        L.append("- **T5** L1 logistic regression: see its own section below.\n")
    if has_tasks(results, MULTI_TASKS):
        L.append("- **T5e/T5f** L1 multinomial regression: see its own section below.\n")
    if has_tasks(results, GROUP_TASKS):
        L.append("- **T7** group lasso path: see its own section below.\n")
    if has_t6:
        L.append("- **T6** T2's and T5b's paths on a sparse (CSC) design: see its own section "
                 "below.\n")
    slower, floor = [], []
    if has_linear:
        L.append("## Results\n")
        L.append("Each cell: median time, (ratio to proxreg: > 1 means proxreg is faster), achieved "
                 "relative gap.\n")
        lines, slower, floor, tols = _table(results, LINEAR_TASKS, COLUMNS, cap)
        L += lines
        if tols:
            L.append("Tolerances used (T1/T2, after the ladder): " + "; ".join(tols) + ".\n")
    if has_t5:
        L.append(T5_BEGIN)
        L.append(t5_section(results, cap))
        L.append(T5_END + "\n")
        slower += _table(results, T5_TASKS, T5_COLUMNS, cap)[1]
    if has_pois:
        L.append(POISSON_BEGIN)
        L.append(poisson_section(results, cap))
        L.append(POISSON_END + "\n")
        slower += _table(results, POISSON_TASKS, POISSON_COLUMNS, cap, POISSON_SKIPPED)[1]
    if has_tasks(results, MULTI_TASKS):
        L.append(MULTI_BEGIN)
        L.append(multi_section(results, cap))
        L.append(MULTI_END + "\n")
        slower += _table(results, MULTI_TASKS, MULTI_COLUMNS, cap, MULTI_SKIPPED)[1]
    if has_t6:
        L.append(T6_BEGIN)
        L.append(t6_section(results, cap, runtime_base))
        L.append(T6_END + "\n")
    if has_tasks(results, GROUP_TASKS):
        L.append(GROUP_BEGIN)
        L.append(group_section(results, cap))
        L.append(GROUP_END + "\n")
        slower += _table(results, GROUP_TASKS, GROUP_COLUMNS, cap, GROUP_SKIPPED)[1]
    L.append("## Where proxreg does not yet meet the 2× target\n")
    L.append("The target of issue 8 is proxreg at most half the time of the fastest peer. Cells "
             "where it is not (ratio = proxreg time / fastest peer time; > 1 means proxreg is "
             "slower):\n")
    L += _slower_lines(results, slower)
    if floor:
        L.append("Against the numpy floor for ridge (not a peer: plain LAPACK calls; ratio = "
                 "proxreg time / numpy time):\n")
        for data, label, r in floor:
            L.append(f"- {data}, {label}: {r:.2f}")
        L.append("")
    L.append("## Near the hardware\n")
    if "bandwidth_gbs" in probe:
        L.append(f"- Measured single-thread memory bandwidth (numpy sum over 1 GiB): "
                 f"{probe['bandwidth_gbs']:.1f} GB/s; single-thread dgemm (numpy, 2000³): "
                 f"{probe['dgemm_gflops']:.1f} GFLOP/s.")
    for data in ("tall", "corr"):
        if data in probe:
            d = probe[data]
            L.append(f"- {data}: one coordinate-descent epoch over all columns "
                     f"(naive updates, `working_set(false)`; the time difference of 11 and 1 epochs "
                     f"divided by the epochs done) {fmt_t(d['epoch_s'])} vs reading X once "
                     f"at that bandwidth {fmt_t(d['epoch_floor_s'])}: ratio **{d['epoch_ratio']:.2f}** "
                     f"(target ≤ 1.5). Gram setup XᵀX {fmt_t(d['gram_s'])} vs n·p·(p+1) flops at "
                     f"the dgemm rate {fmt_t(d['gram_floor_s'])}: ratio **{d['gram_ratio']:.2f}** "
                     "(target ≤ 1.5).")
    L.append("")
    if mem:
        L.append("## Peak memory (proxreg runner, max RSS by `/usr/bin/time -v`)\n")
        L.append("The runner streams the `.npy` file into the array, so the peak is X plus what "
                 "the solver allocates.\n")
        for (data, task), mb in mem.items():
            s = common.SPECS[data]
            L.append(f"- {data} {task}: {mb:.0f} MiB (X itself is {s.n * s.p * 8 / 2**20:.0f} MiB).")
        L.append("")
    return "\n".join(L) + "\n"


# The T5 section is delimited so that `--splice` can replace it alone in an existing report.
T5_BEGIN = "<!-- T5 section: generated by benches/compare/run.py; --splice replaces it alone -->"
T5_END = "<!-- end of the T5 section -->"
POISSON_BEGIN = ("<!-- T5c/T5d section: generated by benches/compare/run.py; --splice replaces "
                 "it alone -->")
POISSON_END = "<!-- end of the T5c/T5d section -->"
T6_BEGIN = "<!-- T6 section: generated by benches/compare/run.py; --splice replaces it alone -->"
T6_END = "<!-- end of the T6 section -->"
# what --splice can rewrite: name -> (begin marker, end marker, tasks)
MULTI_BEGIN = ("<!-- T5e/T5f section: generated by benches/compare/run.py; --splice replaces "
               "it alone -->")
MULTI_END = "<!-- end of the T5e/T5f section -->"
GROUP_BEGIN = "<!-- T7 section: generated by benches/compare/run.py; --splice replaces it alone -->"
GROUP_END = "<!-- end of the T7 section -->"
SECTIONS = {"T5": (T5_BEGIN, T5_END, T5_TASKS),
            "T5cd": (POISSON_BEGIN, POISSON_END, POISSON_TASKS),
            "T5ef": (MULTI_BEGIN, MULTI_END, MULTI_TASKS),
            "T6": (T6_BEGIN, T6_END, T6_TASKS),
            "T7": (GROUP_BEGIN, GROUP_END, GROUP_TASKS)}
SPLICE_TASKS = T5_TASKS + POISSON_TASKS + MULTI_TASKS + T6_TASKS + GROUP_TASKS
# where --splice inserts a section not yet in the report: after the first of these ends found
SPLICE_AFTER = {"T5cd": ("T5",), "T5ef": ("T5cd", "T5"), "T6": ("T5ef", "T5cd", "T5"),
                # T7: before the 2x section, after the hand-written notes that follow T6
                "T7": ()}


def has_tasks(results, tasks):
    return any(t in cells for per in results.values() for cells in per.values() for t in tasks)


def _slower_lines(results, slower):
    if not per_has_proxreg(results):
        return ["- proxreg was not run (the runner binary was not built).\n"]
    if not slower:
        return ["- none.\n"]
    out = []
    for data, label, peer, r in slower:
        if r is None:
            out.append(f"- {data}, {label}: proxreg over the cap, while {peer} finished")
            continue
        out.append(f"- {data}, {label}: fastest peer {peer}; proxreg/peer = {r:.2f}"
                   + (" (proxreg slower)" if r > 1 else " (faster, but not 2×)"))
    return out + [""]


def _table(results, tasks, columns, cap, skipped=None):
    """The results table for `tasks`: (lines, slower, floor, tols). `skipped`: column -> reason,
    shown as "n/a" in every row (a peer that cannot solve the problem)."""
    skipped = skipped or {}
    present = [c for c in columns
               if c in skipped or any(c in per and any(t in per[c] for t in tasks)
                                      for per in results.values())]
    L = ["| data | task | " + " | ".join(present) + " |",
         "| --- | --- | " + " | ".join("---" for _ in present) + " |"]
    slower = []
    floor = []
    tols = []
    for data, per in results.items():
        for task in tasks:
            rows = [(task, "")]
            if task == "T3":
                rows.append((task, "tol1e-6"))
            for task_, variant in rows:
                ref = per.get("proxreg", {}).get(task_ + ("@" + variant if variant else ""))
                ref_t = ref.get("median") if ref else None
                label = TASK_NAMES[task_] + (" (proxreg tol 1e-6)" if variant else "")
                cells = []
                any_cell = False
                best_peer = None
                for c in present:
                    if variant and c != "proxreg":
                        cells.append("")
                        continue
                    if c in skipped:
                        cells.append("n/a")
                        continue
                    key = task_ + ("@" + variant if (variant and c == "proxreg") else "")
                    cell = per.get(c, {}).get(key)
                    if cell is None:
                        cells.append("—")
                        continue
                    any_cell = True
                    if cell.get("not_reached"):
                        cells.append(f"not reached (best gap {cell['best_gap']:.1e})")
                        continue
                    if cell.get("capped"):
                        # a capped peer is slower than anything timed: not the fastest peer
                        cells.append(f"> {cap:.0f} s" if "error" not in cell else "error")
                        continue
                    t = cell["median"]
                    ratio = f" ({t / ref_t:.2g}×)" if (ref_t and c != "proxreg") else ""
                    cells.append(f"{fmt_t(t)}{ratio}, {cell['gap']:.1e}")
                    if c == "numpy":
                        if ref_t:
                            floor.append((data, label, ref_t / t))
                    elif c != "proxreg" and (best_peer is None or t < best_peer[1]):
                        best_peer = (c, t)
                    if cell.get("tol") is not None and task_ in ("T1", "T2", *T5_TASKS,
                                                                 *POISSON_TASKS, *T6_TASKS,
                                                                 *MULTI_TASKS, *GROUP_TASKS):
                        tols.append(f"{data}/{task_}/{c}: {cell['tol']:.3g}")
                if not any_cell:
                    continue
                L.append(f"| {data} | {label} | " + " | ".join(cells) + " |")
                if ref_t and best_peer and not variant and ref_t > best_peer[1] / 2:
                    slower.append((data, label, best_peer[0], ref_t / best_peer[1]))
                if ref is not None and ref.get("capped") and best_peer and not variant:
                    slower.append((data, label, best_peer[0], None))
    L.append("")
    return L, slower, floor, tols


def t5_section(results, cap, header=None):
    """The T5 part of the report: definition, table, tolerances, what was skipped."""
    L = ["## T5: L1 logistic regression\n"]
    if header:
        L.append(header)
    L.append(
        "- **Data**: the designs above (same X) with a binary target "
        "y = 1{Xw* + noise > 0}, w* the design's own sparse truth, noise standard deviation "
        f"{common.LOGISTIC_NOISE}·std(Xw*) from its own seeded stream (the classes overlap), "
        "written as `{name}_ybin.npy`.\n"
        "- **Objective** (proxreg's convention): (1/n)·Σ[log(1+exp(η_i)) − y_i·η_i] + α‖w‖₁, "
        "η = Xw + b, with an unpenalized intercept b; α_max = ‖Xᵀ(ȳ − y)‖∞/n.\n"
        f"- **T5a**: one fit at α_max/{common.LOGISTIC_RATIO:g}, cold start. **T5b**: a "
        f"{common.N_ALPHAS}-α path log-spaced α_max … {common.LOGISTIC_EPS:g}·α_max, warm "
        "started where the tool can, every point checked.\n"
        "- **Check**: relative gap ≤ 1e-6 by ONE function "
        "(`benches/compare/common.py: logistic_relative_gap`): the duality gap of the "
        "intercept-augmented problem (dual point from the answer's gradient, its sum made zero "
        "by re-fitting the intercept shift, scaled into ‖Xᵀg‖∞ ≤ α; the dual is the mean binary "
        "entropy of p = y + n·g) divided by the null objective (1/n)·Σ ℓ(y_i, logit(ȳ)).\n"
        "- **Tolerances**: no peer stops on this quantity, so each starts at its scale's natural "
        "guess and is divided by 10 until the check passes (also tried 10× looser, keeping the "
        "loosest passing decade); a peer still failing 5 decades tighter is shown as "
        "`not reached` with its best gap. proxreg's ProxNewton stops on the gap over the null "
        "deviance 2·P0 (and its KKT violation), so tol 5e-7 is the 1e-6 equivalent.\n"
        "- **Peers**: scikit-learn `LogisticRegression(l1_ratio=1, C=1/(n·α))` with "
        "`solver=\"liblinear\"` (it penalizes the intercept: fitted as the weight of a constant "
        f"column of value intercept_scaling = {LIBLINEAR_INTERCEPT_SCALING:g}, so the intercept's "
        "penalty is α|b|/1e5; no warm start in liblinear, so its path is 100 cold fits; "
        "max_iter 1000) and `solver=\"saga\"` (warm_start along the path); skglm "
        "`SparseLogisticRegression(alpha, fit_intercept=True)` (ProxNewton; labels mapped to "
        "±1 by skglm; warm_start along the path); glmnet `LogitNet(standardize=False)` with "
        f"lambda = α (T5a: a {GLMNET_T5A_POINTS}-point path α_max … target, the last point "
        "checked; T5b: the grid itself). celer: "
        + T5_SKIPPED["celer"] + ".\n")
    L.append("Each cell: median time, (ratio to proxreg: > 1 means proxreg is faster), achieved "
             "relative gap (worst path point for T5b).\n")
    lines, slower, _, tols = _table(results, T5_TASKS, T5_COLUMNS, cap, T5_SKIPPED)
    L += lines
    if tols:
        L.append("Tolerances used (after the ladder): " + "; ".join(tols) + ".\n")
    if header:  # spliced: the report's 2× section is another run's, so T5's own list is here
        L.append("T5 cells where proxreg is not at most half the time of the fastest peer "
                 "(issue 19's target; ratio = proxreg time / fastest peer time):\n")
        L += _slower_lines(results, slower)
    return "\n".join(L)


def poisson_section(results, cap, header=None):
    """The T5c/T5d part of the report (L1 Poisson regression): definition, table, tolerances."""
    L = ["## T5c/T5d: L1 Poisson regression\n"]
    if header:
        L.append(header)
    L.append(
        "- **Data**: the designs above (same X) with a count target y ~ Poisson(exp(η*)), "
        f"η* = c·Xw* + b* with c such that std(η*) = {common.POISSON_ETA_STD:g} and b* such "
        f"that mean(exp(η*)) = {common.POISSON_MEAN:g}, from its own seeded stream "
        "(`common.py: count_target`), written as `{name}_ycount.npy`.\n"
        "- **Objective** (proxreg's convention): (1/n)·Σ[exp(η_i) − y_i·η_i] + α‖w‖₁, "
        "η = Xw + b, unpenalized intercept b; α_max = ‖Xᵀ(ȳ − y)‖∞/n.\n"
        f"- **T5c**: one fit at α_max/{common.LOGISTIC_RATIO:g}, cold start. **T5d**: a "
        f"{common.N_ALPHAS}-α path log-spaced α_max … {common.LOGISTIC_EPS:g}·α_max, warm "
        "started, every point checked.\n"
        "- **Check**: relative gap ≤ 1e-6 by ONE function "
        "(`benches/compare/common.py: poisson_relative_gap`): the duality gap with the "
        "conjugate ℓ*(y, u) = q·log q − q, q = y + u ≥ 0 (dual point from the answer's "
        "gradient, the intercept shift that makes its sum zero in closed form, scaled into "
        "‖Xᵀg‖∞ ≤ α), divided by half the null deviance, (1/n)·Σ[ȳ − y_i·log ȳ] − "
        "(1/n)·Σ[y_i − y_i·log y_i] (as T5's gap is divided by P0, half the binomial null "
        "deviance). proxreg's `report().relative_gap` is the gap over the null deviance "
        "itself, so its tol 5e-7 is the 1e-6 equivalent.\n"
        "- **Tolerances**: as T5: each peer starts at its scale's natural guess (skglm's KKT "
        "violation and glum's gradient_tol, both in gradient units: 1e-6·α_max), divided by 10 "
        "until the check passes (also tried 10× looser, keeping the loosest passing decade); "
        "5 decades tighter without passing is `not reached`.\n"
        "- **Peers**: proxreg `PoissonRegression::params().l1_ratio(1.0).tol(t)` (`fit_offset`, "
        "T5d `path`: warm-started proximal Newton); glum `GeneralizedLinearRegressor("
        "family=\"poisson\", alpha, l1_ratio=1, solver=\"irls-cd\", gradient_tol)` (its "
        "objective is half the mean deviance: the same α; T5d: `alpha_search=True` with the "
        "grid as `alpha`, glum's own warm-started path); skglm "
        "`GeneralizedLinearEstimator(Poisson(), L1(α), ProxNewton(tol, fit_intercept=True))` "
        "(T5d: the solver's warm_start, α set point by point). Not available: "
        + "; ".join(f"{k}: {v}" for k, v in POISSON_SKIPPED.items()) + ".\n")
    L.append("Each cell: median time, (ratio to proxreg: > 1 means proxreg is faster), achieved "
             "relative gap (worst path point for T5d).\n")
    lines, slower, _, tols = _table(results, POISSON_TASKS, POISSON_COLUMNS, cap,
                                    POISSON_SKIPPED)
    L += lines
    if tols:
        L.append("Tolerances used (after the ladder): " + "; ".join(tols) + ".\n")
    if header:
        L.append("T5c/T5d cells where proxreg is not at most half the time of the fastest peer "
                 "(issue 21's target; ratio = proxreg time / fastest peer time):\n")
        L += _slower_lines(results, slower)
    return "\n".join(L)


def _centered_rows(w):
    """W (p x K) with each row's mean removed: the entrywise L1 multinomial's W is unique only
    up to adding a constant to a row when K is even (the row's L1 norm is flat between its two
    middle values), and this removes exactly that."""
    return w - w.mean(axis=1, keepdims=True)


def coef_agreement(results, data, task, columns):
    """{tool: max |coef - proxreg's| / max |proxreg's|} from the saved coefficient files (T5e:
    W with centered rows, intercepts centered; T7: the whole path)."""
    per = results.get(data, {})
    ref = per.get("proxreg", {}).get(task)
    if not ref or "coef_file" not in ref or not os.path.exists(ref["coef_file"]):
        return {}
    base = np.load(ref["coef_file"])

    def norm(c):
        if task == "T5e":
            return np.vstack([_centered_rows(c[:-1]), c[-1:] - c[-1].mean()])
        return c

    rb = norm(base)
    out = {}
    for c in columns:
        cell = per.get(c, {}).get(task)
        if c == "proxreg" or not cell or cell.get("capped") or "coef_file" not in cell:
            continue
        if not os.path.exists(cell["coef_file"]):
            continue
        other = np.load(cell["coef_file"])
        if other.shape != base.shape:
            continue
        out[c] = float(np.max(np.abs(norm(other) - rb)) / max(np.max(np.abs(rb)), 1e-300))
    return out


def multi_section(results, cap, header=None):
    """The T5e/T5f part of the report (L1 multinomial regression): definition, table,
    tolerances, coefficient agreement, chosen alphas."""
    L = ["## T5e/T5f: L1 multinomial regression\n"]
    if header:
        L.append(header)
    L.append(
        f"- **Data**: the designs above (same X) with {common.N_CLASSES} classes: labels drawn "
        "from softmax(c·XW*), W* (p × K) standard normal on the rows of w*'s support, c such "
        f"that std(c·XW*) = {common.MULTI_ETA_STD:g}, own seeded stream (`common.py: "
        "multi_target`), written as `{name}_ymulti.npy`. Besides `small`, the opt-in design "
        "`multi` (n = 2000, p = 500, ρ = 0.6, 20 nonzero rows of W*), only run when named in "
        "`--datasets`.\n"
        "- **Objective** (proxreg's `MultinomialRegression`, entrywise penalty): "
        "(1/n)·Σ[logsumexp(η_i) − η_{i,c_i}] + α‖W‖₁, η_i = Wᵀx_i + b, W p × K, K unpenalized "
        "intercepts; α_max = max_jk |Xᵀ(Π − Y)|_jk / n (Π the class shares).\n"
        f"- **T5e**: one fit at α_max/{common.LOGISTIC_RATIO:g}, cold start. **T5f**: "
        f"{common.N_FOLDS}-fold CV (contiguous folds) over {common.MULTI_CV_ALPHAS} α "
        f"log-spaced α_max … {common.LOGISTIC_EPS:g}·α_max (α_max of all rows), warm-started "
        "paths per fold, held-out deviance (log loss), refit on all rows at the minimum; the "
        "refit's gap is the one checked.\n"
        "- **Check**: relative gap ≤ 1e-6 by ONE function (`benches/compare/common.py: "
        "multinomial_relative_gap`): the duality gap with the conjugate of the softmax loss "
        "(the dual is the mean entropy of q_i = e_{c_i} + n·G_i in the simplex; dual point from "
        "the answer's probabilities, re-fitting the intercepts' shift so every column of G sums "
        "to zero, scaled into max|XᵀG| ≤ α), divided by the null objective (the entropy of the "
        "class shares, half the null deviance). proxreg's relative gap is over the null "
        "deviance itself, so its tol 5e-7 is the 1e-6 equivalent. Checked: 2.3e-12 for a saga "
        "answer at tol 1e-12, 5e-3 after scaling its W by 1.01, 4e-6 after moving one "
        "intercept by 0.01, unchanged after adding 5 to every intercept.\n"
        "- **Tolerances**: as T5 (saga at 1e-6, glmnet at 1e-9, divided by 10 until the check "
        "passes, also tried 10× looser; 5 decades tighter without passing is `not reached`); "
        "T5f's ladder is on the refit's gap, every fold run at the same tolerance.\n"
        "- **Peers**: proxreg `MultinomialRegression::params().l1_ratio(1.0).tol(t)` (T5f: "
        "`MultinomialRegressionCv` with the grid, `KFold::new(5)`, deviance, serial); "
        "scikit-learn multinomial `LogisticRegression(C = 1/(n·α), l1_ratio=1, "
        "solver=\"saga\")` (T5f: `LogisticRegressionCV(Cs = 1/(n·grid), l1_ratios=[1], "
        "cv=KFold(5), scoring=\"neg_log_loss\")`; its C multiplies the *sum* of a training "
        "fold's losses, so on a fold it is α·n/n_train in this scale — the refit is at α "
        "exactly); glmnet `LogitNet(standardize=False)` (lognet, ungrouped multinomial, "
        f"lambda = α; T5e a {GLMNET_T5A_POINTS}-point path α_max … target, the last point "
        "checked; T5f `n_splits=5` on contiguous groups, `scoring=\"log_loss\"`, "
        "`cut_point=0`; glmnet also fits the whole path on all rows). Not available: "
        + "; ".join(f"{k}: {v}" for k, v in MULTI_SKIPPED.items()) + ".\n")
    L.append("Each cell: median time, (ratio to proxreg: > 1 means proxreg is faster), achieved "
             "relative gap (of the refit for T5f).\n")
    lines, slower, _, tols = _table(results, MULTI_TASKS, MULTI_COLUMNS, cap, MULTI_SKIPPED)
    L += lines
    if tols:
        L.append("Tolerances used (after the ladder): " + "; ".join(tols) + ".\n")
    agree = []
    for data in results:
        for c, d in coef_agreement(results, data, "T5e", MULTI_COLUMNS).items():
            agree.append(f"{data}/{c}: {d:.1e}")
    if agree:
        L.append("T5e coefficient agreement with proxreg (max |W − W_proxreg| over max "
                 "|W_proxreg|, rows of W and the intercepts centered: with K even the L1 "
                 "multinomial's W is unique only up to a constant per row): "
                 + "; ".join(agree) + ".\n")
    chosen = []
    for data, per in results.items():
        for c in MULTI_COLUMNS:
            cell = per.get(c, {}).get("T5f")
            if cell and not cell.get("capped") and "alpha" in cell.get("extra", {}):
                chosen.append(f"{data}/{c}: {cell['extra']['alpha']:.4g}")
    if chosen:
        L.append("T5f chosen α (the folds and scoring differ slightly between tools, see "
                 "above): " + "; ".join(chosen) + ".\n")
    if header:
        L.append("T5e/T5f cells where proxreg is not at most half the time of the fastest peer "
                 "(issue 21's target; ratio = proxreg time / fastest peer time):\n")
        L += _slower_lines(results, slower)
    return "\n".join(L)


def group_section(results, cap, header=None):
    """The T7 part of the report (group lasso path)."""
    L = ["## T7: group lasso path\n"]
    if header:
        L.append(header)
    L.append(
        "- **Data**: the designs above (same X) with a group-sparse regression target "
        f"y = Xw* + noise, ‖Xw*‖/‖noise‖ = {common.SNR:g}, w* nonzero on max(1, k/"
        f"{common.GROUP_SIZE}) of the groups (standard normal entries), own seeded stream "
        "(`common.py: group_target`), written as `{name}_ygroup.npy`. Besides `small` (5 "
        "groups), the opt-in design `group` (n = 500, p = 1000, ρ = 0.6, 100 groups, 10 of them "
        "active), only run when named in `--datasets`.\n"
        f"- **Objective**: ‖y − Xw‖²/(2n) + α·Σ_g ‖w_g‖₂, groups of {common.GROUP_SIZE} "
        "contiguous features, every group weight 1, **no intercept** (as T2: every peer then "
        "solves exactly this); α_max = max_g ‖X_gᵀy‖/n.\n"
        f"- **T7**: {common.N_ALPHAS} α log-spaced α_max … {common.T7_EPS:g}·α_max, warm "
        "started, every point to relative gap ≤ 1e-6 by ONE function (`common.py: "
        "group_relative_gap`: dual point θ = s·r, s = min(1, nα / max_g ‖X_gᵀr‖), gap over "
        "‖y‖²/(2n), `relative_gap`'s scale).\n"
        "- **Tolerances**: proxreg `GroupCd` (relative gap over the null objective ‖y‖²/(2n), "
        "and its KKT violation) and celer (gap ≤ tol·‖y‖²/n) start at 5e-7, divided by 10 "
        "until the check passes; skglm's `GroupBCD` (KKT violation, gradient units) starts at "
        "1e-6·α_max and may also loosen.\n"
        "- **Peers**: proxreg `GroupLasso::params(Groups::contiguous(..)).group_weights(1)"
        ".fit_intercept(false).tol(t).path(..)` (`GroupCd`); skglm `GroupLasso(groups=10, "
        "weights=1, fit_intercept=False, warm_start=True)` (GroupBCD), α set point by point; "
        "celer `celer_path(X, y, \"grouplasso\", groups=10, weights=1, alphas=grid, "
        "prune=True)`. Not available: "
        + "; ".join(f"{k}: {v}" for k, v in GROUP_SKIPPED.items()) + ".\n")
    L.append("Each cell: median time, (ratio to proxreg: > 1 means proxreg is faster), achieved "
             "relative gap (worst path point).\n")
    lines, slower, _, tols = _table(results, GROUP_TASKS, GROUP_COLUMNS, cap, GROUP_SKIPPED)
    L += lines
    if tols:
        L.append("Tolerances used (after the ladder): " + "; ".join(tols) + ".\n")
    agree = []
    for data in results:
        for c, d in coef_agreement(results, data, "T7", GROUP_COLUMNS).items():
            agree.append(f"{data}/{c}: {d:.1e}")
    if agree:
        L.append("Coefficient agreement with proxreg (max over the path of |w − w_proxreg| "
                 "over max |w_proxreg|): " + "; ".join(agree) + ".\n")
    if header:
        L.append("T7 cells where proxreg is not at most half the time of the fastest peer "
                 "(issue 23's target; ratio = proxreg time / fastest peer time):\n")
        L += _slower_lines(results, slower)
    return "\n".join(L)


T6_SKIPPED = {"celer": T5_SKIPPED["celer"]}


def t6_runtime_baselines(tools):
    """Peak memory (MiB) of trivial runs, to subtract from T6's peaks: the runner doing nothing
    (`--task noop`) and Python importing numpy and scipy.sparse (no data)."""
    out = {}
    cmds = {"python (numpy, scipy.sparse imported)":
            [sys.executable, "-c", "import numpy, scipy.sparse"]}
    if "proxreg" in tools and runner_available():
        cmds = {"proxreg runner (`--task noop`)": [RUNNER, "--task", "noop"], **cmds}
    for name, cmd in cmds.items():
        wcmd, memf = mem_wrap(cmd)
        subprocess.run(wcmd, env=child_env(), stdout=subprocess.DEVNULL)
        out[name] = read_peak(memf)
    return out


def _mib(v):
    return "—" if v is None else f"{v:.0f} MiB"


def t6_section(results, cap, runtime_base=None, header=None):
    """The T6 part of the report: the sparse designs, the two tables, peak memory."""
    sets = [s for name, s in common.SPARSE_SPECS.items() if name in results]
    L = ["## T6: Lasso and L1 logistic paths on a sparse design (CSC)\n"]
    if header:
        L.append(header)
    L.append("| name | n | p | density | nnz | k | CSC size | path output |\n"
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in sets:
        nnz = int(round(s.density * s.n * s.p))
        csc = nnz * (8 + 4) + (s.p + 1) * 4
        out = (s.p + 1) * common.N_ALPHAS * 8
        L.append(f"| {s.name} | {s.n} | {s.p} | {s.density:g} | {nnz} | {s.k} | "
                 f"{csc / 2**20:.1f} MiB | {out / 2**20:.1f} MiB |")
    L.append("")
    L.append(
        "- **Data** (`common.py: generate_sparse`, seeded): exactly round(density·n·p) nonzero "
        "entries at positions drawn uniformly without replacement, values standard normal; w* "
        "with k standard-normal entries on a random support; T6a: y = Xw* + noise, "
        f"‖Xw*‖/‖noise‖ = {common.SNR:g}; T6b: y = 1{{Xw* + noise > 0}} as for T5 (noise "
        f"standard deviation {common.LOGISTIC_NOISE}·std(Xw*)). Written once as CSC arrays "
        "(`{name}_X_indptr.npy` int32, `_indices.npy` int32, `_data.npy` float64, "
        "`_shape.npy`); every tool reads them without densifying (scipy.sparse.csc_matrix, "
        "proxreg `CscMatrix<f64, i32>`). CSC size = nnz·(8 + 4) + (p + 1)·4 bytes; path "
        f"output = the (p + 1) × {common.N_ALPHAS} float64 coefficient matrix every tool "
        "returns (part of every peak below).\n"
        f"- **T6a**: Lasso path, **no intercept** (as T2: every peer solves exactly this on CSC "
        "input; with an intercept scikit-learn centers implicitly but `lasso_path`, celer's "
        f"and skglm's paths do not), {common.N_ALPHAS} α log-spaced α_max … "
        f"{common.T6_EPS:g}·α_max (with p = 5n, 1e-3·α_max is near interpolation), warm "
        "started, every point to relative gap ≤ 1e-6 by `common.relative_gap` (sparse "
        "products). Peers: scikit-learn `lasso_path(copy_X=False)`, celer `celer_path`, skglm "
        "`Lasso.path`, glmnet `ElasticNet(fit_intercept=False, standardize=False)` on "
        "scipy.sparse; proxreg `CoordinateDescent::path` on the `CscMatrix`. Tolerance "
        "ladders as T2.\n"
        "- **T6b**: T5b (L1 logistic path with unpenalized intercept, α_max … "
        f"{common.LOGISTIC_EPS:g}·α_max, `common.logistic_relative_gap`), the same peers and "
        "tolerance ladders as T5; proxreg `ProxNewton::path` on the `CscMatrix`. celer: "
        + T6_SKIPPED["celer"] + ".\n"
        "- A tool whose ladder ends 5 decades tighter without passing is `not reached` (best "
        "gap shown), as in T5.\n")
    L.append("Each cell: median time, (ratio to proxreg: > 1 means proxreg is faster), achieved "
             "relative gap (worst path point).\n")
    lines, slower_a, _, tols_a = _table(results, ["T6a"], T6A_COLUMNS, cap)
    L += lines
    lines, slower_b, _, tols_b = _table(results, ["T6b"], T5_COLUMNS, cap, T6_SKIPPED)
    L += lines
    if tols_a or tols_b:
        L.append("Tolerances used (after the ladder): " + "; ".join(tols_a + tols_b) + ".\n")
    L.append("### Peak memory\n")
    L.append("Peak resident memory (max RSS of each cell's process by GNU time, `/usr/bin/time "
             "-f %M`; proxreg: the "
             "largest of its runner processes) and the baseline of the same cell without the "
             "solve (`--baseline`: imports, data loaded, JIT warmed, grid computed); "
             "peak − baseline is what the solve added.\n")
    if runtime_base:
        L.append("Trivial runs (no data): " + "; ".join(f"{k}: {_mib(v)}"
                                                       for k, v in runtime_base.items()) + ".\n")
    L.append("| data | task | tool | peak | baseline | peak − baseline |\n"
             "| --- | --- | --- | ---: | ---: | ---: |")
    mem_rows = []
    for s in sets:
        per = results[s.name]
        for task in T6_TASKS:
            for c in (T6A_COLUMNS if task == "T6a" else T5_COLUMNS):
                cell = per.get(c, {}).get(task)
                if not cell or cell.get("peak_mib") is None:
                    continue
                pk, base = cell.get("peak_mib"), cell.get("base_mib")
                diff = None if base is None else pk - base
                note = ""
                if cell.get("capped"):
                    note = " (not reached)" if cell.get("not_reached") else " (over the cap)"
                L.append(f"| {s.name} | {task} | {c}{note} | {_mib(pk)} | {_mib(base)} | "
                         f"{_mib(diff)} |")
                if c == "proxreg":
                    mem_rows.append((s, task, pk))
    L.append("")
    L.append("Issue 20's targets for proxreg: time at most half the fastest peer's, and peak "
             "memory at most twice the CSC matrix plus the runtime's own baseline "
             "(the `noop` run above).\n")
    runner_base = next((v for k, v in (runtime_base or {}).items() if k.startswith("proxreg")),
                       None)
    for s, task, pk in mem_rows:
        nnz = int(round(s.density * s.n * s.p))
        csc = (nnz * 12 + (s.p + 1) * 4) / 2**20
        if runner_base is None:
            continue
        limit = runner_base + 2 * csc
        L.append(f"- {s.name} {task}: peak {pk:.0f} MiB vs runtime {runner_base:.0f} MiB + "
                 f"2·CSC {2 * csc:.1f} MiB = {limit:.0f} MiB: "
                 + ("met" if pk <= limit else f"**not met** ({pk / limit:.1f}× the limit)"))
    slower = slower_a + slower_b
    L.append("\nT6 cells where proxreg is not at most half the time of the fastest peer "
             "(ratio = proxreg time / fastest peer time):\n")
    L += _slower_lines(results, slower)
    return "\n".join(L)


# Everything from this line on in the existing report is hand-written (measurements quoted
# from the API docs, moved here) and is carried over when the report is rewritten.
KEPT_MARKER = "<!-- hand-written below: kept by benches/compare/run.py when it rewrites this file -->"


def splice_header(info, wall, results, tasks=tuple(T5_TASKS)):
    """A spliced section's own context (it goes into a report made by another run)."""
    reused = sorted({c for per in results.values() for c, cells in per.items()
                     if any(v.get("reused") for v in cells.values())})
    load = ", ".join(f"{v:.1f}" for v in info.get("loadavg_start", ()))
    load_end = ", ".join(f"{v:.1f}" for v in info.get("loadavg_end", ()))
    vers = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    return (f"Measured by a separate run (`run.py --datasets {','.join(results)} --tasks "
            f"{','.join(tasks)} --splice`, "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, wall time "
            f"{wall / 60:.1f} min) on the machine above (load average at the start {load}, at "
            f"the end {load_end}); Python {info['python']}; {vers}; {info.get('rustc', '')}. "
            "Single thread, one process per (tool, task) cell, medians of 1-5 repetitions as "
            "above."
            + (f" Cells of {', '.join(reused)} were measured by an earlier run of the same script "
               "on the same machine and data (`--reuse`); their saved coefficients were "
               "re-checked by the gap function in this run." if reused else "") + "\n")


def _existing_header(path, name="T5"):
    """The "Measured by a separate run" line of section `name` in the report at `path`."""
    begin, end, _ = SECTIONS[name]
    try:
        with open(path) as f:
            old = f.read()
    except OSError:
        return None
    i, j = old.find(begin), old.find(end)
    if i < 0 or j < i:
        return None
    for line in old[i:j].splitlines():
        if line.startswith("Measured by a separate run"):
            return line + "\n"
    return None


def write_splice(path, section, name="T5"):
    """Replaces section `name` (a key of SECTIONS) of the report at `path` by `section` (or
    inserts it after the last earlier section found, `SPLICE_AFTER`, else before the 2× section /
    the hand-written tail); everything else in the file is kept as it is."""
    begin, end, _ = SECTIONS[name]
    with open(path) as f:
        old = f.read()
    block = begin + "\n" + section + "\n" + end + "\n\n"
    i, j = old.find(begin), old.find(end)
    if i >= 0 and j > i:
        new = old[:i] + block + old[j + len(end):].lstrip("\n")
    else:
        at = -1
        for after in (SECTIONS[a][1] for a in SPLICE_AFTER.get(name, ())):
            if old.find(after) >= 0:
                at = old.find(after) + len(after)
                while at < len(old) and old[at] == "\n":
                    at += 1
                break
        if at < 0:
            at = old.find("## Where proxreg does not yet meet")
        if at < 0:
            at = old.find(KEPT_MARKER)
        if at < 0:
            at = len(old)
        new = old[:at] + block + old[at:]
    with open(path, "w") as f:
        f.write(new)


def write_report(path, md):
    """Writes the generated report `md` to `path`, keeping the hand-written tail of the old file."""
    tail = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        at = old.find(KEPT_MARKER)
        if at >= 0:
            tail = "\n" + old[at:]
    with open(path, "w") as f:
        f.write(md + tail)


def load_targets(data):
    """{"x": X, "y": regression target, "ybin": T5's 0/1 target, "ycount": T5c/T5d's counts
    (dense designs only)}."""
    x, y = common.load(DATADIR, data)
    out = {"x": x, "y": y, "ybin": common.load(DATADIR, data, "ybin")[1]}
    if data in common.SPECS:
        for t in ("ycount", "ymulti", "ygroup"):
            out[t] = common.load(DATADIR, data, t)[1]
    return out


def per_has_proxreg(results):
    return any("proxreg" in per for per in results.values())


def render_only(a):
    results, probe, mem, run_info = {}, {}, {}, {}
    for path in a.render_only:
        with open(path) as f:
            d = json.load(f)
        run_info = d.get("run", run_info)
        for data, per in d.get("results", {}).items():
            results.setdefault(data, {}).update(per)
        probe.update(d.get("probe", {}))
        for k, v in d.get("mem", {}).items():
            data, task = k.split("/")
            mem[(data, task)] = v
    order = [d for d in list(common.SPECS) + list(common.SPARSE_SPECS) if d in results]
    results = {d: results[d] for d in order}
    failed = []
    for data, per in results.items():
        ys = load_targets(data)
        x = ys.pop("x")
        for key, cells in per.items():
            for tk, cell in cells.items():
                task, _, variant = tk.partition("@")
                finalize(cell, task, x, ys[common.target_of(task)])
                if not gap_ok(task, variant, cell):
                    failed.append((data, tk, key))
    info = machine()
    out_md = a.out or os.path.join(ROOT, "docs", "benchmarks.md")
    if a.splice:
        # the header of the run that measured the results (saved with them), else the one the
        # report's T5 section already has (written by that run), else a plain one
        # (one header per section: the run's saved one, else the section's existing one)
        plain = "Re-rendered from saved results (`run.py --render-only ... --splice`).\n"
        done = []
        for name, (_, _, tasks) in SECTIONS.items():
            if not has_tasks(results, tasks):
                continue
            header = run_info.get("t5_header") or _existing_header(out_md, name) or plain
            section = (t5_section(results, a.cap, header) if name == "T5" else
                       poisson_section(results, a.cap, header) if name == "T5cd" else
                       multi_section(results, a.cap, header) if name == "T5ef" else
                       group_section(results, a.cap, header) if name == "T7" else
                       t6_section(results, a.cap, run_info.get("t6_runtime"), header))
            write_splice(out_md, section, name)
            done.append(name)
        log(f"wrote the {', '.join(done)} section(s) of {out_md}; gap check failures: {failed}")
        return
    md = render(results, a.cap, info, probe, mem, False, None, notes=a.note,
                runtime_base=run_info.get("t6_runtime"))
    write_report(out_md, md)
    log(f"wrote {out_md}; gap check failures: {failed}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small data set only (CI-sized)")
    ap.add_argument("--datasets", default=None)
    ap.add_argument("--tools", default=None, help="comma-separated subset of columns")
    ap.add_argument("--tasks", default=None,
                    help="comma-separated subset of tasks (" + ",".join(TASKS) + "); skips the "
                         "probes and peak memory, and writes target/compare-data/"
                         "benchmarks-tasks.md (not docs/benchmarks.md) unless --out is given")
    ap.add_argument("--cap", type=float, default=30.0,
                    help="seconds per solve; a cell whose solve takes longer is reported as over it")
    ap.add_argument("--cell-timeout", type=float, default=90.0,
                    help="hard limit in seconds on each (tool, task) cell's process, start-up included")
    ap.add_argument("--out", default=None)
    ap.add_argument("--reuse", default=None,
                    help="results.json of an earlier run: the peers' cells found there are taken "
                         "from it instead of run again (their saved coefficients are re-checked "
                         "by the gap function in this run); proxreg is always run")
    ap.add_argument("--render-only", nargs="+", default=None, metavar="RESULTS_JSON",
                    help="run nothing: merge saved results files (later ones win per data set "
                         "and tool), re-check every saved coefficient file, write the report")
    ap.add_argument("--splice", action="store_true",
                    help="with --tasks among " + ",".join(SPLICE_TASKS) + ": replace (or insert) "
                         "only the sections (T5, T5c/T5d, T5e/T5f, T6, T7) of the tasks run in "
                         "the report given by --out (e.g. "
                         "docs/benchmarks.md), keeping the rest")
    ap.add_argument("--note", action="append", default=[],
                    help="a line added to the report's header (e.g. where cells came from)")
    a = ap.parse_args()
    if a.render_only:
        return render_only(a)
    t_start = time.time()
    load_start = os.getloadavg()
    tools = a.tools.split(",") if a.tools else ALL_COLUMNS
    # --quick without --tasks leaves T6 out (its quick design alone takes minutes, see the
    # README) and T5c/T5d (37 s of run.py on the small design at load 6.5, mostly the peers'
    # start-up and skglm's JIT); `--quick --tasks T6a,T6b` / `--quick --tasks T5c,T5d` run them
    # T5e/T5f and T7 stay out of plain --quick as T5c/T5d do (`--quick --tasks T5e,T5f,T7` runs
    # them on the small design)
    tasks_sel = (a.tasks.split(",") if a.tasks else
                 [t for t in TASKS if t not in T6_TASKS + POISSON_TASKS + MULTI_TASKS
                  + GROUP_TASKS] if a.quick else TASKS)
    bad = [t for t in tasks_sel if t not in TASKS]
    if bad:
        ap.error(f"unknown task(s) {bad}; known: {TASKS}")
    if a.splice and (not a.out or any(t not in SPLICE_TASKS for t in tasks_sel)):
        ap.error("--splice needs --out FILE and --tasks among " + ",".join(SPLICE_TASKS))
    # the dense tasks run on the dense data sets, T6 on the sparse design (its quick size with
    # --quick); --datasets may name either kind
    named = a.datasets.split(",") if a.datasets else None
    bad = [d for d in named or [] if d not in common.SPECS and d not in common.SPARSE_SPECS]
    if bad:
        ap.error(f"unknown data set(s) {bad}")
    dense_tasks = [t for t in tasks_sel if t not in T6_TASKS]
    sparse_tasks = [t for t in tasks_sel if t in T6_TASKS]
    # the opt-in designs (multi, group: T5e/T5f's and T7's larger cases) only when named
    datasets = ([d for d in named if d in common.SPECS] if named else
                (["small"] if a.quick else [d for d in common.SPECS
                                            if d not in common.OPT_IN_SPECS])
                ) if dense_tasks else []
    sparse_sets = ([d for d in named if d in common.SPARSE_SPECS] if named else
                   (["sparse-quick"] if a.quick else ["sparse"])) if sparse_tasks else []
    jobs = [(d, dense_tasks) for d in datasets] + [(d, sparse_tasks) for d in sparse_sets]
    out_md = a.out or (os.path.join(DATADIR, "benchmarks-quick.md") if a.quick else
                       os.path.join(DATADIR, "benchmarks-tasks.md") if a.tasks else
                       os.path.join(ROOT, "docs", "benchmarks.md"))
    os.makedirs(OUTDIR, exist_ok=True)
    for d, _ in jobs:
        log(f"data: {d}")
        common.ensure_data(DATADIR, d)
    if "proxreg" in tools and not runner_available():
        log("proxreg-compare runner not built: proxreg column will be missing")
    results = {}
    failed = []
    reuse = {}
    if a.reuse:
        with open(a.reuse) as f:
            reuse = json.load(f)["results"]
    runtime_base = t6_runtime_baselines(tools) if sparse_sets else {}
    for data, tasks_here in jobs:
        ys = load_targets(data)
        x = ys.pop("x")
        per = {}
        if "proxreg" in tools and runner_available():
            log(f"[{data}] proxreg")
            per["proxreg"] = run_proxreg(data, tasks_here, x, ys, a.cap, a.quick, a.cell_timeout)
        # peers measured by an earlier run (--reuse) are not run again; proxreg always is
        for key, cells in reuse.get(data, {}).items():
            if key != "proxreg" and key in ALL_COLUMNS:
                per[key] = {tk: dict(c, reused=True) for tk, c in cells.items()}
                log(f"[{data}] {key}: reused from {a.reuse}")
        for key, tool, variant, peer_tasks_all in PEERS:
            if key not in tools or key in per:
                continue
            if variant == "gram" and data not in GRAM_DATASETS:
                continue
            peer_tasks = [t for t in peer_tasks_all if t in tasks_here
                          and not (a.quick and (key, t) in QUICK_SKIP)]
            if not peer_tasks:
                continue
            log(f"[{data}] {key}")
            per[key] = run_peer(key, tool, variant, peer_tasks, data, a.cap, a.quick, a.cell_timeout)
        for key, cells in per.items():
            for tk, cell in cells.items():
                task, _, variant = tk.partition("@")
                finalize(cell, task, x, ys[common.target_of(task)])
                ok = gap_ok(task, variant, cell)
                msg = (f"not reached (best gap {cell.get('best_gap', float('nan')):.1e})"
                       if cell.get("not_reached") else "capped" if cell.get("capped") else
                       f"{cell.get('median', float('nan')):.4g} s gap {cell.get('gap', float('nan')):.2e}")
                log(f"  {data} {tk:<12} {key:<13} {msg}{'' if ok else '  <-- GAP CHECK FAILED'}")
                if not ok:
                    failed.append((data, tk, key))
        results[data] = per
        # save as we go, so an interrupted run keeps what it measured
        with open(os.path.join(DATADIR, "results-partial.json"), "w") as f:
            json.dump({"results": results}, f, indent=1, default=str)
    probe = probes(datasets) if not (a.quick or a.tasks) else {}
    mem = peak_memory(datasets) if not (a.quick or a.tasks) else {}
    info = machine()
    info["loadavg_start"] = load_start
    os.makedirs(os.path.dirname(out_md), exist_ok=True)
    t5_header = splice_header(info, time.time() - t_start, results,
                              [t for t in tasks_sel if t in SPLICE_TASKS] or T5_TASKS)
    if a.splice:
        # rewrite the sections of the tasks run, each between its own markers
        if any(t in T5_TASKS for t in tasks_sel):
            write_splice(out_md, t5_section(results, a.cap, t5_header), "T5")
        if any(t in POISSON_TASKS for t in tasks_sel):
            write_splice(out_md, poisson_section(results, a.cap, t5_header), "T5cd")
        if any(t in MULTI_TASKS for t in tasks_sel):
            write_splice(out_md, multi_section(results, a.cap, t5_header), "T5ef")
        if any(t in GROUP_TASKS for t in tasks_sel):
            write_splice(out_md, group_section(results, a.cap, t5_header), "T7")
        if any(t in T6_TASKS for t in tasks_sel):
            write_splice(out_md, t6_section(results, a.cap, runtime_base, t5_header), "T6")
    else:
        notes = list(a.note)
        if a.quick:
            notes += [f"`--quick` leaves out {c} {t} (`run.py: QUICK_SKIP`)."
                      for c, t in sorted(QUICK_SKIP) if t in tasks_sel]
        write_report(out_md, render(results, a.cap, info, probe, mem, a.quick,
                                    time.time() - t_start, notes=notes,
                                    runtime_base=runtime_base))
    res_json = ("results-quick.json" if a.quick else "results-tasks.json" if a.tasks else
                "results.json")
    with open(os.path.join(DATADIR, res_json), "w") as f:
        json.dump({"results": results, "probe": probe,
                   "run": {"t5_header": t5_header, "t6_runtime": runtime_base},
                   "mem": {f"{k[0]}/{k[1]}": v for k, v in mem.items()}}, f, indent=1, default=str)
    log(f"wrote {out_md} ({(time.time() - t_start):.0f} s)")
    if failed:
        log("GAP CHECK FAILED: " + ", ".join("/".join(f) for f in failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
