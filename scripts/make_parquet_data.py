#!/usr/bin/env python3
"""Synthetic Gaussian regression data as a directory of Parquet parts, written by pyarrow.

Two uses:

* the out-of-core measurement of docs/scale.md (issue #22): a data set larger than the memory
  the fit may use, e.g. 10 GB:

      python scripts/make_parquet_data.py --rows 25000000 --features 50 --parts 100 \
          --row-group 131072 --out /tmp/big-parquet

  (about 10.2 GB of snappy-compressed float64; random doubles do not compress). Not in CI.

* a small committed fixture, written by pyarrow as Spark / pandas users' files are (snappy,
  several row groups per part, float64, float32 and int64 columns, and a CSV copy of the same
  rows for the in-memory side of the comparison; plus bad/nan.parquet and bad/null.parquet,
  30 rows each with one NaN / null, for the error messages):

      python scripts/make_parquet_data.py --fixture crates/proxreg-io/tests/fixtures/pyarrow

Run with a Python that has numpy and pyarrow (`pip install numpy pyarrow`; measured with numpy
2.4.6, pyarrow 26.0.1). Deterministic for a seed: part k is drawn from
`numpy.random.default_rng([seed, k])`, so parts can be written in any order.

Model: x_j ~ N(mu_j, sigma_j^2) with mu_j = 10 * (j + 1) (means far from zero: the centring of
the statistics is exercised), sigma_j = 1 + (j % 5); y = 3 + sum_{j < 5} beta_j x_j + N(0, 4)
with beta = (2, -1.5, 1, -0.5, 0.25); column `id` is the global row number (int64), for folds
by a hash of a row id.
"""

import argparse
import csv
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

BETA = np.array([2.0, -1.5, 1.0, -0.5, 0.25])


def draw(rng, rows, p, start):
    mu = 10.0 * (np.arange(p) + 1.0)
    sigma = 1.0 + (np.arange(p) % 5)
    x = rng.standard_normal((rows, p)) * sigma + mu
    k = min(p, len(BETA))
    y = 3.0 + x[:, :k] @ BETA[:k] + 2.0 * rng.standard_normal(rows)
    ids = np.arange(start, start + rows, dtype=np.int64)
    return ids, x, y


def table(ids, x, y, f32_cols=(), int_cols=()):
    cols = {"id": pa.array(ids)}
    for j in range(x.shape[1]):
        name = f"x{j}"
        if j in f32_cols:
            cols[name] = pa.array(x[:, j].astype(np.float32))
        elif j in int_cols:
            cols[name] = pa.array(np.rint(x[:, j]).astype(np.int64))
        else:
            cols[name] = pa.array(x[:, j])
    cols["y"] = pa.array(y)
    return pa.table(cols)


def write_parts(out, rows, p, parts, row_group, seed, compression="snappy", **kinds):
    os.makedirs(out, exist_ok=True)
    base, extra = divmod(rows, parts)
    start = 0
    tables = []
    for k in range(parts):
        n_k = base + (1 if k < extra else 0)
        rng = np.random.default_rng([seed, k])
        t = table(*draw(rng, n_k, p, start), **kinds)
        pq.write_table(
            t,
            os.path.join(out, f"part-{k:05d}.parquet"),
            row_group_size=row_group,
            compression=compression,
        )
        tables.append(t)
        start += n_k
        if rows > 1_000_000:
            print(f"part {k + 1}/{parts}: {start} rows", flush=True)
    return tables


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=20)
    ap.add_argument("--parts", type=int, default=4)
    ap.add_argument("--row-group", type=int, default=131_072)
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("--out", help="directory of part-NNNNN.parquet files")
    ap.add_argument(
        "--fixture",
        help="write the small committed fixture (3 parts, 1000 rows, 6 features) and its CSV copy here",
    )
    a = ap.parse_args()
    if a.fixture:
        parts_dir = os.path.join(a.fixture, "parts")
        # x4 as float32 and x5 as int64 (readers convert them to the working precision), row
        # groups of 70 rows so that groups cross the contiguous 5-fold boundaries
        tables = write_parts(
            parts_dir, 1000, 6, 3, 70, a.seed, f32_cols=(4,), int_cols=(5,)
        )
        whole = pa.concat_tables(tables)
        with open(os.path.join(a.fixture, "all.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(whole.column_names)
            cols = [whole.column(c).to_pylist() for c in whole.column_names]
            for row in zip(*cols):
                # repr of a Python float round-trips exactly (float32 values are widened exactly)
                w.writerow([repr(v) if isinstance(v, float) else v for v in row])
        print(f"wrote {parts_dir} (3 parts) and all.csv: {whole.num_rows} rows")
        # files with invalid values, for the readers' error messages: a NaN in x1 at row 23
        # (row group 2 of groups of 10 rows) and a null in x0 at row 5 (row group 0)
        bad = os.path.join(a.fixture, "bad")
        os.makedirs(bad, exist_ok=True)
        t = whole.slice(0, 30)
        x1 = t.column("x1").to_numpy().copy()
        x1[23] = np.nan
        pq.write_table(
            t.set_column(t.column_names.index("x1"), "x1", pa.array(x1)),
            os.path.join(bad, "nan.parquet"),
            row_group_size=10,
        )
        x0 = t.column("x0").to_pylist()
        x0[5] = None
        pq.write_table(
            t.set_column(t.column_names.index("x0"), "x0", pa.array(x0, pa.float64())),
            os.path.join(bad, "null.parquet"),
            row_group_size=10,
        )
        print(f"wrote {bad}/nan.parquet and null.parquet")
    elif a.out:
        write_parts(a.out, a.rows, a.features, a.parts, a.row_group, a.seed)
        total = sum(
            os.path.getsize(os.path.join(a.out, f)) for f in os.listdir(a.out) if f.endswith(".parquet")
        )
        print(f"wrote {a.out}: {a.rows} rows x {a.features} features, {total / 1e9:.2f} GB")
    else:
        ap.error("give --out DIR or --fixture DIR")


if __name__ == "__main__":
    main()
