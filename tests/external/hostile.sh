#!/usr/bin/env bash
# The hostile course (tests/fixtures/hostile/scripts: raw <script>, <img onerror>, <svg onload>
# and <iframe> in every text field) built and loaded page by page in headless Chromium: no
# course script may run and nothing may leave the build. A control page with the same payload
# as live HTML must trip the detector first, so the check cannot pass by seeing nothing.
# Run by tests/external.sh, or alone:
#   cargo build --release && COURSEPACK_BIN=target/release/coursepack WORK=$(mktemp -d) bash tests/external/hostile.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
: "${COURSEPACK_BIN:?set COURSEPACK_BIN to the coursepack binary}"
: "${WORK:?set WORK to a scratch directory}"

if ! command -v chromium >/dev/null; then
  echo "installing chromium with apt-get" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    echo "FAIL: could not install chromium; the hostile-course check needs it" >&2
    exit 1
  fi
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || { echo "FAIL: npm ci in tests/external failed" >&2; exit 1; }
fi

out="$WORK/hostile"
rm -rf "$out"
echo "Hostile course: every page in Chromium, no course script runs" >&2
"$COURSEPACK_BIN" build "$repo/tests/fixtures/hostile/scripts" -o "$out/build" 2>/dev/null
node "$here/html/hostile.mjs" "$out/build" "$repo/tests/fixtures/hostile/scripts/course.toml" "$out/control"
