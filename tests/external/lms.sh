#!/usr/bin/env bash
# LMS exports, read by real clients: gift-pegjs (npm) parses the GIFT files; Python's XML and zip
# parsers read Moodle XML and QTI; text2qti (PyPI) writes the reference QTI layout. Every
# question, answer, point value and feedback is compared with the TOML source (lms/common.py).
# Run by tests/external.sh, or alone:
#   cargo build --release && COURSEPACK_BIN=target/release/coursepack WORK=$(mktemp -d) bash tests/external/lms.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${COURSEPACK_BIN:?set COURSEPACK_BIN to the coursepack binary}"
: "${WORK:?set WORK to a scratch directory}"

fail() {
  echo "lms.sh: FAILED: $*" >&2
  exit 1
}

# --- clients -------------------------------------------------------------------------------
command -v node >/dev/null || fail "node is not installed (needed for gift-pegjs)"
command -v npm >/dev/null || fail "npm is not installed (needed for gift-pegjs)"
if [ ! -f tests/external/node_modules/gift-pegjs/package.json ]; then
  (cd tests/external && npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1) ||
    fail "npm ci could not install gift-pegjs from tests/external/package-lock.json: $(cat "$WORK/npm.log")"
fi
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  fail "python3 is older than 3.11; the checks read TOML with tomllib"
venv="$WORK/lms-venv"
python3 -m venv "$venv" >"$WORK/venv.log" 2>&1 || fail "python3 -m venv failed: $(cat "$WORK/venv.log")"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/external/lms/requirements.txt \
  >"$WORK/pip.log" 2>&1 || fail "pip could not install text2qti and markdown-it-py: $(tail -5 "$WORK/pip.log")"
py="$venv/bin/python"
lms=tests/external/lms

# --- exports -------------------------------------------------------------------------------
export_all() { # COURSE OUT [ARGS...]: writes OUT.gift.txt, OUT.moodle.xml, OUT.qti.zip (+ .stderr)
  local course=$1 out=$2
  shift 2
  for format in gift:gift.txt moodle-xml:moodle.xml qti:qti.zip; do
    local name=${format%%:*} ext=${format#*:}
    "$COURSEPACK_BIN" export "$name" "$course" -o "$out.$ext" "$@" 2>"$out.$name.stderr" ||
      fail "coursepack export $name $course $* failed: $(cat "$out.$name.stderr")"
  done
}

check_course() { # COURSE [--form A]
  local course=$1 out
  shift
  out="$WORK/lms/$(basename "$course")${1:+-form-$2}"
  mkdir -p "$(dirname "$out")"
  export_all "$course" "$out" "$@"
  export_all "$course" "$out.again" "$@"
  for ext in gift.txt moodle.xml qti.zip; do
    cmp -s "$out.$ext" "$out.again.$ext" || fail "two exports of $course $* differ: $out.$ext"
  done
  node "$lms/gift_parse.js" "$out.gift.txt" >"$out.gift.json" ||
    fail "gift-pegjs rejected $out.gift.txt (exported from $course $*)"
  (cd "$lms" && "$py" check_gift.py "$OLDPWD/$course" "$out.gift.json" "$out.gift.stderr" "$@") ||
    fail "the GIFT export of $course $* does not match its source"
  (cd "$lms" && "$py" check_moodle.py "$OLDPWD/$course" "$out.moodle.xml" "$@") ||
    fail "the Moodle XML export of $course $* does not match its source"
  (cd "$lms" && "$py" check_qti.py "$OLDPWD/$course" "$out.qti.zip" "$@") ||
    fail "the QTI export of $course $* does not match its source"
}

for course in curricula/police-community-relations tests/fixtures/valid/awkward; do
  check_course "$course"
  check_course "$course" --form A
done

# --- QTI layout against text2qti -----------------------------------------------------------
mkdir -p "$WORK/text2qti"
cp "$lms/text2qti-reference.md" "$WORK/text2qti/reference.md"
"$venv/bin/text2qti" "$WORK/text2qti/reference.md" >"$WORK/text2qti/log" 2>&1 ||
  fail "text2qti could not write the reference quiz: $(cat "$WORK/text2qti/log")"
for package in police-community-relations awkward; do
  (cd "$lms" && "$py" check_layout.py "$WORK/lms/$package.qti.zip" "$WORK/text2qti/reference.zip") ||
    fail "the QTI layout of $package differs from text2qti's"
done
echo "lms.sh: GIFT, Moodle XML and QTI exports verified" >&2
