#!/usr/bin/env bash
# The Python package's tests (CI calls this): builds the wheel of crates/proxreg-python with
# maturin, installs it into a fresh venv with the pinned test requirements, and runs pytest on
# crates/proxreg-python/pytests (scikit-learn's estimator checks, the reference fixtures,
# agreement with scikit-learn, pickling, dtypes, copies, the GIL, errors).
#
#   scripts/python-tests.sh                  # venv in target/python-venv, wheel in target/wheels
#   PYTHON=python3.12 scripts/python-tests.sh
#
# Needs a CPython >= 3.10 with venv and pip (the machine's python3), and PyPI for the pinned
# requirements. Exit code 3 means PyPI could not be reached (nothing was tested).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
venv="target/python-venv"
wheels="target/wheels"

rm -rf "$venv" "$wheels"
"$python" -m venv "$venv"
pip_log="$(mktemp)"
if ! "$venv/bin/pip" install --disable-pip-version-check -q -r crates/proxreg-python/requirements-test.txt 2>&1 | tee "$pip_log"; then
  if grep -qiE "network|connection|resolve|timed out|temporary failure|no matching distribution" "$pip_log"; then
    echo "!! PyPI could not be reached: the Python package was not tested" >&2
    exit 3
  fi
  exit 1
fi
rm -f "$pip_log"

echo "==> building the wheel (maturin, release profile)"
"$venv/bin/maturin" build --release --manifest-path crates/proxreg-python/Cargo.toml \
  --interpreter "$venv/bin/python" --out "$wheels"
"$venv/bin/pip" install --disable-pip-version-check -q --no-deps "$wheels"/proxreg-*.whl

echo "==> pytest crates/proxreg-python/pytests"
# From the tests' directory: `import proxreg` is the installed wheel, not the source tree.
cd crates/proxreg-python/pytests
"../../../$venv/bin/python" -m pytest -q -p no:cacheprovider -ra
