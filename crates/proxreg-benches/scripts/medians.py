#!/usr/bin/env python3
"""Prints the criterion medians of the `backends` bench as the Markdown tables of docs/backends.md.

Usage: python3 crates/proxreg-benches/scripts/medians.py [target/criterion]
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
groups = ["gemv", "gemv_t", "col_dot_axpy_sweep", "gram", "to_col_major"]
backends = ["ColMajor", "faer", "nalgebra", "ndarray-row", "ndarray-col"]
shapes = ["1000x1000", "100000x100"]


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.0f} µs"


for shape in shapes:
    print(f"\n**{shape.replace('x', ' × ')}** (f64, median of criterion samples)\n")
    print("| kernel | " + " | ".join(backends) + " |")
    print("| --- |" + " ---: |" * len(backends))
    for g in groups:
        cells = []
        for b in backends:
            f = root / g / b / shape / "new" / "estimates.json"
            if f.exists():
                cells.append(fmt(json.loads(f.read_text())["median"]["point_estimate"]))
            else:
                cells.append("–")
        print(f"| `{g}` | " + " | ".join(cells) + " |")
