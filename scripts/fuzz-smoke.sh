#!/usr/bin/env bash
# Fuzz smoke run: every cargo-fuzz target of fuzz/ for a few seconds each (CI calls this).
#
#   scripts/fuzz-smoke.sh            # FUZZ_SECONDS (default 20; CI passes 5) per target
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh   # the long local run documented in docs/reliability.md
#   FUZZ_DEV=1 scripts/fuzz-smoke.sh         # unoptimized targets with debug assertions (CI)
#
# Installs cargo-fuzz when it is missing. Only stable Rust is assumed: libFuzzer's
# instrumentation needs nightly flags, enabled here with RUSTC_BOOTSTRAP=1, and no sanitizer.
# Targets are listed by `cargo fuzz list`, so targets added later run too. Each run starts from
# the committed corpus in fuzz/corpus/<target>/ and writes new inputs to a scratch copy, so
# the committed corpus is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${FUZZ_SECONDS:-20}"
# FUZZ_DEV=1: build and run the targets in cargo-fuzz's development mode (no optimization,
# debug assertions and overflow checks on): the optimized build took 6 min of CI's 30 on 2
# cores (2026-12-05); for a 10 s smoke run the unoptimized targets, which also check overflow,
# are the better trade. Long runs keep the optimized build.
dev=()
if [ "${FUZZ_DEV:-0}" = 1 ]; then dev=(--dev); fi
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

cd fuzz
echo "==> building fuzz targets"
cargo fuzz build "${dev[@]}" --sanitizer none

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for t in $(cargo fuzz list); do
  echo "==> fuzz $t for ${secs}s"
  mkdir -p "$scratch/$t"
  if [ -d "corpus/$t" ]; then cp -r "corpus/$t/." "$scratch/$t/"; fi
  status=0
  cargo fuzz run "$t" "${dev[@]}" --sanitizer none "$scratch/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 >"$scratch/$t.log" 2>&1 || status=$?
  grep -E "^Done" "$scratch/$t.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$t.log" >&2
    echo "fuzz target $t failed (exit $status); the input is in fuzz/artifacts/$t/" >&2
    exit "$status"
  fi
done
echo "==> fuzz smoke: all targets passed"
