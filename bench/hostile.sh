#!/usr/bin/env bash
# Bounded time and memory on hostile input (issue 16): one curriculum per input shape, each
# checked (text and JSON diagnostics) and built, with wall time, peak memory and exit status.
# Not a test: read the table. Every row should finish within a few seconds, or be refused early.
# Usage: bench/hostile.sh [CASE…]   (COURSEPACK_BIN=… to time another binary; no CASE: every case)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${COURSEPACK_BIN:-}" ]; then
  cargo build --release --quiet
fi
bin="${COURSEPACK_BIN:-$PWD/target/release/coursepack}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cases=$(python3 bench/hostile.py "$work/in")
if [ $# -gt 0 ]; then cases="$*"; fi
printf '%-16s %8s %-28s %8s\n' case MB "command" "s / MB / exit"
for c in $cases; do
  size=$(du -sm "$work/in/$c" | cut -f1)
  for cmd in "check" "check --format json" "build"; do
    args=($cmd)
    extra=()
    [ "${args[0]}" = build ] && extra=(-o "$work/out-$c")
    /usr/bin/time -f '%e %M' -o "$work/t" timeout 120 "$bin" "${args[@]}" "$work/in/$c" "${extra[@]}" >/dev/null 2>&1 && code=0 || code=$?
    read -r secs kb < <(tail -1 "$work/t")
    printf '%-16s %8s %-28s %6ss %5sMB exit %s\n' "$c" "$size" "$cmd" "$secs" "$((kb / 1024))" "$code"
  done
done
