#!/usr/bin/env bash
# HTML checks in real tools: the Nu Html Checker (vnu-jar, Java), axe-core in headless
# Chromium (playwright-core), print to PDF read back with pdftotext, and screenshots.
# Needs: COURSEPACK_BIN (a built binary) and WORK (a scratch dir), as tests/external.sh sets.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v java >/dev/null || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} with apt-get" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null; }; then
    echo "FAIL: could not install ${need_apt[*]}; the HTML checks need them" >&2
    exit 1
  fi
fi
if [ ! -d "$here/node_modules/vnu-jar" ] || [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || { echo "FAIL: npm ci in tests/external failed" >&2; exit 1; }
fi

out="$WORK/html"
rm -rf "$out"
for course in police-community-relations roll-call-de-escalation; do
  "$COURSEPACK_BIN" build "$repo/curricula/$course" -o "$out/$course" 2>/dev/null
done

echo "Nu Html Checker: every HTML file of both bundled courses, the Spanish edition included" >&2
files=$(find "$out" -name '*.html' | sort)
count=$(echo "$files" | wc -l)
if ! java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only $files; then
  echo "FAIL: the Nu Html Checker found errors (above)" >&2
  exit 1
fi
echo "vnu: $count files, 0 errors" >&2

shots="${SCREENSHOTS:-$repo/target/screenshots}"
node "$here/html/check.mjs" "$out/police-community-relations" "$shots" "$WORK/pdf"
node "$here/html/check.mjs" "$out/roll-call-de-escalation" "$shots/roll-call" "$WORK/pdf-roll-call" | sed 's/^/roll-call: /'
# The Spanish edition of the roll-call course: same layout under es/ (vnu above already read it).
node "$here/html/check.mjs" "$out/roll-call-de-escalation/es" "$shots/roll-call-es" "$WORK/pdf-roll-call-es" | sed 's/^/roll-call (es): /'
python3 "$here/html/pages.py" "$WORK/pdf" "$out/police-community-relations"
echo "screenshots: $shots" >&2

# The hostile course is tests/external/hostile.sh, which runs alone too.
