#!/usr/bin/env bash
# Build benchmark: generates N-module courses, measures the raw pulldown-cmark bound on the same
# Markdown in the same run, and times coursepack build (full, no-op rebuild, one-module edit).
# Usage: bench/run.sh [sizes...]   (default: 100 1000 5000). Prints a Markdown table.
# Needs /usr/bin/time (Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "bench/run.sh needs /usr/bin/time: apt-get install time" >&2; exit 1; }
cargo bench --quiet --bench build -- "${@:-100 1000 5000}"
