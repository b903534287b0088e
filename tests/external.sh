#!/usr/bin/env bash
# Checks that need clients outside the Rust toolchain: LMS parsers (npm, PyPI) and a real browser
# with HTML validators (Debian packages, npm). Installs what it needs and fails loudly when it
# cannot; .ci/run runs it after `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# The debug binary, which `cargo test` has just built: a release build here cost CI two minutes,
# and these checks build small courses.
export COURSEPACK_BIN="${COURSEPACK_BIN:-$PWD/target/debug/coursepack}"
cargo build --quiet
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export WORK

passed=0
for part in tests/external/*.sh; do
  echo "== ${part}" >&2
  bash "$part"
  passed=$((passed + 1))
done
echo "external: ${passed} passed, 0 failed"
