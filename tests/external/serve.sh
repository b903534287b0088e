#!/usr/bin/env bash
# `coursepack serve` in headless Chromium (playwright-core): open a module page, edit the
# module's TOML, see the new text without a manual reload; break the TOML, see the diagnostic.
# Needs: COURSEPACK_BIN (a built binary) and WORK (a scratch dir), as tests/external.sh sets.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

command -v chromium >/dev/null || { echo "FAIL: chromium is missing (tests/external/html.sh installs it)" >&2; exit 1; }
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || { echo "FAIL: npm ci in tests/external failed" >&2; exit 1; }
fi

course="$WORK/serve-course"
rm -rf "$course"
"$COURSEPACK_BIN" new -q "$course"
log="$WORK/serve.log"
"$COURSEPACK_BIN" serve "$course" --port 0 --color never 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | head -1 || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: coursepack serve did not start:" >&2; cat "$log" >&2; exit 1; }
node "$here/html/serve.mjs" "$url" "$course/modules/first-module.toml"
echo "serve: live reload and diagnostics in Chromium" >&2
