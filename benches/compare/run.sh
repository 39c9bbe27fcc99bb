#!/usr/bin/env bash
# Side-by-side comparison of proxreg with scikit-learn, celer, skglm, glmnet and glum.
#   bash benches/compare/run.sh [--quick] [other run.py options]
# Makes .venv-compare at the repo root on first use (pip install -r requirements.txt, plus
# python-glmnet from a binary wheel when one exists for this Python), builds the Rust runner
# (crates/proxreg-compare) in release mode, then runs run.py. Not part of CI.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.venv-compare"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV" >&2
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet -r "$HERE/requirements.txt"
  # glmnet's Fortran core: only from a prebuilt wheel (never a source build); skipped if absent.
  if ! "$VENV/bin/pip" install --quiet --only-binary :all: python-glmnet; then
    echo "python-glmnet: no binary wheel for this Python/platform; the glmnet column is skipped" >&2
  fi
  "$VENV/bin/pip" freeze > "$VENV/installed-versions.txt"
  echo "installed versions recorded in $VENV/installed-versions.txt" >&2
fi

# a venv made before glum joined requirements.txt (T5c/T5d), one with another glum than the
# pinned one, or one whose first install stopped half-way: install requirements.txt again (pip
# keeps the packages that already satisfy it as they are)
GLUM_PIN="$(sed -n 's/^glum==\([^ #]*\).*/\1/p' "$HERE/requirements.txt")"
if ! "$VENV/bin/python" - "$GLUM_PIN" 2>/dev/null <<'PYCHECK'
import sys
from importlib.metadata import version  # raises when a distribution is not installed
for dist in ("numpy", "scipy", "scikit-learn", "celer", "skglm", "threadpoolctl"):
    version(dist)
sys.exit(0 if version("glum") == sys.argv[1] else 1)
PYCHECK
then
  echo "$VENV lacks a package of requirements.txt (or has another glum than $GLUM_PIN): installing it" >&2
  "$VENV/bin/pip" install --quiet -r "$HERE/requirements.txt"
  "$VENV/bin/pip" freeze > "$VENV/installed-versions.txt"
fi

# peak memory is read with GNU time (Debian package `time`)
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -qq time >/dev/null 2>&1 || echo "could not install GNU time: no peak-memory numbers" >&2
fi

if [ -f "$ROOT/crates/proxreg-compare/Cargo.toml" ]; then
  (cd "$ROOT" && cargo build --quiet --release -p proxreg-compare)
else
  echo "crates/proxreg-compare is missing: running the peers only" >&2
fi

exec "$VENV/bin/python" "$HERE/run.py" "$@"
