#!/usr/bin/env bash
# Dependency checks with cargo alone (CI runs this instead of compiling cargo-deny every time):
#
# 1. licenses: every package in the tree (all features, all targets, dev-dependencies too) has
#    a license expression satisfied by deny.toml's [licenses] allow list (an `OR` needs one
#    allowed alternative, an `AND` needs all its parts);
# 2. duplicates: a crate in more than one version (normal and build edges) must be listed in
#    deny.toml's [bans] skip list, and every name there must still be duplicated;
# 3. MSRV: no package in Cargo.lock declares a `rust-version` newer than the workspace's.
#
#   scripts/check-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

# The quoted entries of a TOML list `key = [` … `]` (one per line) in deny.toml's section.
list() {
  awk -v sec="[$1]" -v key="$2" '
    $0 == sec { insec = 1; next }
    /^\[/ { insec = 0 }
    insec && $0 ~ "^" key " = \\[" { inlist = 1; next }
    inlist && /^\]/ { inlist = 0 }
    inlist { if (match($0, /"[^"]*"/)) print substr($0, RSTART + 1, RLENGTH - 2) }
  ' deny.toml
}

allowed="$(list licenses allow)"
is_allowed() { grep -qxF -- "$1" <<<"$allowed"; }

# 1. licenses
tree="$(cargo tree --workspace --all-features --target all -e normal,build,dev \
  --prefix none --format '{p}|{l}' | sed 's/ (\*)$//; s/ (proc-macro)$//' | sort -u | grep -v '^$')"
n=0
while IFS='|' read -r pkg expr; do
  n=$((n + 1))
  case "$pkg" in proxreg*" (/"*) continue ;; esac # the workspace's own crates
  ok=1
  if [ -z "$expr" ]; then
    ok=0
  else
    # `A AND (B OR C)`: every conjunct needs one allowed alternative; `/` is an old `OR`.
    conj="$(sed 's/ AND /\n/g' <<<"$expr")"
    while read -r c; do
      c="${c//[()]/}"
      any=0
      while read -r alt; do
        alt="$(sed 's/^ *//; s/ *$//' <<<"$alt")"
        if is_allowed "$alt"; then any=1; fi
      done < <(sed 's| OR |\n|g; s|/|\n|g' <<<"$c")
      [ "$any" = 1 ] || ok=0
    done <<<"$conj"
  fi
  if [ "$ok" = 0 ]; then
    echo "license not allowed by deny.toml: $pkg: '${expr}'" >&2
    fail=1
  fi
done <<<"$tree"
echo "licenses: $n packages checked against deny.toml's allow list"

# 2. duplicate versions
skip="$(list bans skip)"
dups="$(cargo tree --workspace --all-features --target all -e normal,build -d --depth 0 \
  --prefix none --format '{p}' | grep -v '^$' | sed 's/ (proc-macro)$//' | awk '{print $1}' | sort -u)"
for d in $dups; do
  if ! grep -qxF -- "$d" <<<"$skip"; then
    echo "crate in several versions, not in deny.toml's [bans] skip: $d" \
      "(who uses which: cargo tree --workspace --all-features -e normal,build -d)" >&2
    fail=1
  fi
done
for s in $skip; do
  if ! grep -qxF -- "$s" <<<"$dups"; then
    echo "deny.toml's [bans] skip lists $s, which is no longer duplicated: remove it" >&2
    fail=1
  fi
done
echo "duplicates: $(wc -w <<<"$dups") crates in several versions, checked against deny.toml's skip list"

# 3. dependencies' rust-version against the workspace's
msrv="$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml)"
# cargo metadata writes each package as {"name":…,"version":…,"id":…, …,"rust_version":…}.
newer="$(cargo metadata --format-version 1 --all-features |
  grep -oE '"name":"[^"]+","version":"[^"]+","id"|"rust_version":("[^"]*"|null)' |
  awk -F'"' '/"name"/ { n = $4 "@" $8; next } $4 != "" { print n, $4 }' |
  while read -r pkg rv; do
    if [ "$(printf '%s\n%s\n' "$msrv" "$rv" | sort -V | tail -n 1)" != "$msrv" ] &&
      [ "$rv" != "$msrv.0" ]; then
      echo "$pkg needs Rust $rv"
    fi
  done)"
if [ -n "$newer" ]; then
  echo "dependencies newer than the workspace's rust-version $msrv:" >&2
  echo "$newer" >&2
  fail=1
fi
echo "rust-version: packages in Cargo.lock checked against the workspace's $msrv"
if [ "$fail" != 0 ]; then echo "check-deps: FAILED (see above)" >&2; fi
exit "$fail"
