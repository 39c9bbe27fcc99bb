#!/usr/bin/env python3
"""Write proxreg sufficient statistics (format "proxreg-sufficient-stats", version 1) from numpy.

The layout is documented in docs/scale.md. A directory holds

    stats.json   header: format, version, dtype, n_features, feature_names, target_name,
                 and per block n_samples, weight_sum, y_mean, yy
    x_mean.npy   float64 (K, p)     block k's weighted column means
    xy.npy       float64 (K, p)     block k's  sum_i s_i (x_i - mu_k)(y_i - ybar_k)
    xx.npy       float64 (K*p, p)   block k's  sum_i s_i (x_i - mu_k)(x_i - mu_k)^T in rows k*p..(k+1)*p

All moments are centred at each block's own weighted means (two passes over the block), never
formed as raw moments minus the mean's outer product. Blocks (e.g. cross-validation folds)
hold disjoint rows; proxreg merges them by the pairwise (Chan-Golub-LeVeque) update.

Usage:
    python3 scripts/write_stats.py OUT_DIR                 # deterministic demo data
    python3 scripts/write_stats.py OUT_DIR --csv data.csv --target y [--folds 5] [--weights w]
    python3 scripts/write_stats.py OUT_DIR --demo-fixture  # also writes X.npy, y.npy, w.npy, folds.npy

Then, in Rust: `proxreg_io::stats::read::<f64>(Path::new("OUT_DIR"))`.
"""

import argparse
import json
import os

import numpy as np

FORMAT = "proxreg-sufficient-stats"
VERSION = 1


def block_stats(X, y, w=None):
    """Centred weighted statistics of one block of rows (two passes)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    if not (np.all(np.isfinite(w)) and np.all(w >= 0) and w.sum() > 0):
        raise ValueError("weights must be finite, >= 0 and not all zero")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("X and y must be finite")
    W = w.sum()
    mu = (w @ X) / W
    ybar = (w @ y) / W
    Xc = X - mu  # pass 2: centre, then weight
    yc = y - ybar
    return {
        "n_samples": int(n),
        "weight_sum": float(W),
        "y_mean": float(ybar),
        "yy": float(w @ (yc * yc)),
        "x_mean": mu,
        "xy": Xc.T @ (w * yc),
        "xx": Xc.T @ (Xc * w[:, None]),
    }


def write_stats(out_dir, X, y, weights=None, folds=None, feature_names=None, target_name=None):
    """Write the statistics of (X, y) to out_dir; `folds` (ints 0..K-1 per row) splits the rows
    into K blocks, one per fold (all rows in one block when None)."""
    X = np.asarray(X, dtype=np.float64)
    n, p = X.shape
    folds = np.zeros(n, dtype=np.int64) if folds is None else np.asarray(folds)
    k = int(folds.max()) + 1
    blocks = []
    for f in range(k):
        rows = folds == f
        blocks.append(
            block_stats(X[rows], np.asarray(y)[rows], None if weights is None else np.asarray(weights)[rows])
        )
    os.makedirs(out_dir, exist_ok=True)
    np.save(os.path.join(out_dir, "x_mean.npy"), np.stack([b["x_mean"] for b in blocks]))
    np.save(os.path.join(out_dir, "xy.npy"), np.stack([b["xy"] for b in blocks]))
    np.save(os.path.join(out_dir, "xx.npy"), np.concatenate([b["xx"] for b in blocks], axis=0))
    header = {
        "format": FORMAT,
        "version": VERSION,
        "dtype": "float64",
        "n_features": int(p),
        "feature_names": None if feature_names is None else list(feature_names),
        "target_name": target_name,
        "blocks": [
            {key: b[key] for key in ("n_samples", "weight_sum", "y_mean", "yy")} for b in blocks
        ],
    }
    with open(os.path.join(out_dir, "stats.json"), "w") as fh:
        json.dump(header, fh, indent=2)  # Python's float repr round-trips exactly
        fh.write("\n")


def demo_data(n=50, p=4):
    """Deterministic data with large column means (so centring matters), weights and 2 folds."""
    i = np.arange(n)[:, None]
    j = np.arange(p)[None, :]
    X = 1000.0 + ((i * 37 + j * 101 + i * j * 7) % 97) / 97.0 + 0.5 * j
    y = 2.0 * X[:, 0] - 1.5 * X[:, 2] + (np.arange(n) * 13 % 7) / 7.0
    w = np.array([0.5, 1.0, 2.0, 0.0, 1.5])[np.arange(n) % 5]
    folds = (np.arange(n) * 2) // n  # contiguous halves
    return X, y, w, folds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--csv", help="a CSV file with a header row (all columns numeric)")
    ap.add_argument("--target", help="the target column of --csv")
    ap.add_argument("--weights", help="a sample-weight column of --csv")
    ap.add_argument("--folds", type=int, default=1, help="K contiguous blocks of rows (default 1)")
    ap.add_argument("--demo-fixture", action="store_true",
                    help="write the demo data's X.npy, y.npy, w.npy, folds.npy next to the statistics")
    a = ap.parse_args()
    if a.csv:
        if not a.target:
            ap.error("--csv needs --target")
        data = np.genfromtxt(a.csv, delimiter=",", names=True)
        names = list(data.dtype.names)
        feats = [c for c in names if c not in (a.target, a.weights)]
        X = np.column_stack([data[c] for c in feats])
        y = data[a.target]
        w = data[a.weights] if a.weights else None
        folds = (np.arange(len(y)) * a.folds) // len(y)
        write_stats(a.out_dir, X, y, w, folds, feats, a.target)
        return
    X, y, w, folds = demo_data()
    write_stats(a.out_dir, X, y, w, folds, [f"x{j}" for j in range(X.shape[1])], "y")
    if a.demo_fixture:
        np.save(os.path.join(a.out_dir, "X.npy"), X)
        np.save(os.path.join(a.out_dir, "y.npy"), y)
        np.save(os.path.join(a.out_dir, "w.npy"), w)
        np.save(os.path.join(a.out_dir, "folds.npy"), folds.astype(np.float64))


if __name__ == "__main__":
    main()
