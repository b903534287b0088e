#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 25): `bash fuzz/run.sh 20` in CI,
# `bash fuzz/run.sh 520` for an hour in all (see docs/fuzzing.md). Seeds each corpus from
# curricula/ and tests/fixtures/ first; a panic, a timeout or running out of memory fails the
# run and leaves the input in fuzz/artifacts/<target>/. No sanitizer: coursepack forbids unsafe
# code (docs/fuzzing.md). Needs nightly Rust; installs cargo-fuzz when missing.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-25}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(module_loader course_loader markdown export_gift export_moodle_xml export_qti render_pages)
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

# Seeds: every module and course file we have, and the fixed crashes of earlier runs.
repo="$(cd .. && pwd)"
for target in "${targets[@]}"; do
  corpus="corpus/$target"
  mkdir -p "$corpus"
  case "$target" in
    course_loader) seeds=$(find "$repo/curricula" "$repo/tests/fixtures" -name course.toml -type f) ;;
    *) seeds=$(find "$repo/curricula" "$repo/tests/fixtures" -path '*/modules/*.toml' -type f) ;;
  esac
  for seed in $seeds; do
    cp "$seed" "$corpus/seed-$(sha1sum "$seed" | cut -c1-16)"
  done
  if [ -d "regressions/$target" ]; then
    cp regressions/"$target"/* "$corpus/" 2>/dev/null || true
  fi
done

cargo +nightly fuzz build --release --sanitizer none --codegen-units 16 >&2
total=0
for target in "${targets[@]}"; do
  log="$(mktemp)"
  echo "== fuzz $target for ${seconds}s" >&2
  if ! cargo +nightly fuzz run --release --sanitizer none --codegen-units 16 "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "FAIL: fuzz target $target found a problem; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  echo "$target: $runs executions, no crash" >&2
  total=$((total + runs))
  rm -f "$log"
done
echo "fuzz: ${#targets[@]} targets, $total executions, no crash"
