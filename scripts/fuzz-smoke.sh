#!/usr/bin/env bash
# Fuzz smoke run: every libFuzzer target of fuzz/ for a few seconds each (CI calls this).
#
#   scripts/fuzz-smoke.sh            # FUZZ_SECONDS (default 20; CI passes 5) per target
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh   # the long local run documented in docs/reliability.md
#   FUZZ_DEV=1 scripts/fuzz-smoke.sh         # unoptimized targets with debug assertions (CI)
#
# Builds the targets with plain cargo and the instrumentation flags cargo-fuzz 0.13 passes for
# `--sanitizer none` (SanitizerCoverage's inline 8-bit counters, PC table, compare tracing and
# stack depth, `--cfg fuzzing`, no branch folding), so CI does not install cargo-fuzz: its
# install took 61 s of every cold CI run on 2 cores. cargo-fuzz stays the tool for local work
# (`cargo fuzz run / cmin / tmin`, docs/reliability.md); it builds the same binaries into the same
# fuzz/target/<triple>/ directory. Only stable Rust is assumed: no sanitizer, no -Z flag.
# Targets are the [[bin]] entries of fuzz/Cargo.toml, so targets added later run too. Each run
# starts from the committed corpus in fuzz/corpus/<target>/ and writes new inputs to a scratch
# copy, so the committed corpus is left as it is; a crash is written to fuzz/artifacts/<target>/
# as cargo-fuzz would write it.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${FUZZ_SECONDS:-20}"
triple="$(rustc -vV | sed -n 's/^host: //p')"

flags="-Cpasses=sancov-module"
flags+=" -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
flags+=" -Cllvm-args=-sanitizer-coverage-pc-table"
flags+=" -Cllvm-args=-sanitizer-coverage-trace-compares"
flags+=" --cfg fuzzing"
flags+=" -Cllvm-args=-simplifycfg-branch-fold-threshold=0"
case "$triple" in *-linux-*) flags+=" -Cllvm-args=-sanitizer-coverage-stack-depth" ;; esac
# FUZZ_DEV=1: unoptimized targets with debug assertions and overflow checks (cargo-fuzz's
# --dev): the optimized build took 6 min of CI's 30 on 2 cores (2026-12-05); for a 5 s smoke
# run the unoptimized targets, which also check overflow, are the better trade. Long runs keep
# the optimized build (cargo-fuzz's default: one codegen unit, line tables, debug assertions).
if [ "${FUZZ_DEV:-0}" = 1 ]; then
  profile=(); dir=debug
  flags+=" -Cdebug-assertions"
else
  profile=(--release --config 'profile.release.debug="line-tables-only"'); dir=release
  flags+=" -Cdebug-assertions -Ccodegen-units=1"
fi

targets="$(sed -n '/^\[\[bin\]\]/,/^name/s/^name = "\(.*\)"$/\1/p' Cargo.toml)"
[ -n "$targets" ] || { echo "no [[bin]] targets in fuzz/Cargo.toml" >&2; exit 1; }

echo "==> building fuzz targets ($dir): $(echo $targets)"
# --target: RUSTFLAGS then apply to the targets only, not to build scripts (as cargo-fuzz does).
RUSTFLAGS="$flags ${RUSTFLAGS:-}" cargo build --target "$triple" "${profile[@]}" --bins

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for t in $targets; do
  echo "==> fuzz $t for ${secs}s"
  mkdir -p "$scratch/$t" "artifacts/$t"
  if [ -d "corpus/$t" ]; then cp -r "corpus/$t/." "$scratch/$t/"; fi
  status=0
  "target/$triple/$dir/$t" -artifact_prefix="artifacts/$t/" "$scratch/$t" \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 >"$scratch/$t.log" 2>&1 || status=$?
  grep -E "^Done" "$scratch/$t.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$t.log" >&2
    echo "fuzz target $t failed (exit $status); the input is in fuzz/artifacts/$t/" >&2
    exit "$status"
  fi
done
echo "==> fuzz smoke: all targets passed"
