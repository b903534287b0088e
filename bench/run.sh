#!/usr/bin/env bash
# Build-time benchmark: check and build synthetic courses of growing size and report wall time
# and peak memory, to confirm build time grows linearly (DESIGN.md, "Performance").
# Usage: bench/run.sh [sizes...]   (default: 100 300 1000 modules)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/coursepack
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%8s %10s %10s %12s %12s\n' modules "check s" "build s" "rebuild s" "peak MB"
for n in "${@:-100 300 1000}"; do
  for size in $n; do
    python3 bench/make_course.py "$size" "$work/c$size" >/dev/null
    t0=$(date +%s.%N); "$bin" check "$work/c$size" 2>/dev/null; t1=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/mem" "$bin" build "$work/c$size" -o "$work/out$size" 2>/dev/null; t2=$(date +%s.%N)
    "$bin" build "$work/c$size" -o "$work/out$size" 2>/dev/null; t3=$(date +%s.%N)
    printf '%8s %10.2f %10.2f %12.2f %12.0f\n' "$size" "$(echo "$t1-$t0" | bc)" "$(echo "$t2-$t1" | bc)" "$(echo "$t3-$t2" | bc)" "$(( $(cat "$work/mem") / 1024 ))"
  done
done
