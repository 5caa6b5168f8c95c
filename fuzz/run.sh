#!/usr/bin/env bash
# Run each cargo-fuzz target for FUZZ_SECONDS (default 60), one after the other, and print one
# summary line per target. Called by `make fuzz`; usable alone: fuzz/run.sh [TARGET...].
#
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_SANITIZER cargo-fuzz --sanitizer (default none: tenpu has no unsafe code, and on two
#                  shared cores the plain build runs about twice as many inputs; use `address`
#                  to fuzz the dependencies' unsafe code too)
#   FUZZ_NICE      niceness of the fuzzer (default 15)
#
# Build: release (-O) with overflow checks on (RUSTFLAGS -Coverflow-checks=on), but without
# cargo-fuzz's default -Cdebug-assertions: mail-parser 0.11.9 has a debug_assert!(false) on a
# multipart part it cannot place (parsers/message.rs:485), compiled out of every real build, that
# a plain mail of ../shared/corpus reaches; with debug assertions on it stops the mail targets
# before they start.
#   FUZZ_TOOLCHAIN +nightly when rustup has a nightly toolchain; otherwise empty: the default
#                  (stable) toolchain. With FUZZ_SANITIZER=none cargo-fuzz passes only stable
#                  flags (-Cpasses=sancov-module, -Cllvm-args, --cfg fuzzing), so Rust 1.95 builds
#                  and runs the targets as is (tried); a sanitizer needs -Zsanitizer, for which
#                  the stable compiler is told RUSTC_BOOTSTRAP=1 (not tried here).
#
# A crash or a hang (an input running over 10 s) leaves its input in
# fuzz/artifacts/<target>/; copy it to tests/regressions/<target>/ once fixed.
# Exit status 1 when any target found something.
set -u -o pipefail
cd "$(dirname "$0")"

SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
SANITIZER=${FUZZ_SANITIZER:-none}
NICE=${FUZZ_NICE:-15}
ALL="check mime msg zip vba_decompress biff lnk iso onenote rtf pdf ole"
TARGETS=${*:-$ALL}

if [ -z "${FUZZ_TOOLCHAIN+x}" ]; then
  if command -v rustup >/dev/null && rustup toolchain list | grep -q '^nightly'; then
    FUZZ_TOOLCHAIN=+nightly
  else
    FUZZ_TOOLCHAIN=
    [ "$SANITIZER" = none ] || export RUSTC_BOOTSTRAP=1
  fi
fi

# Input size cap per target (bytes): large enough for the seeds that matter, small enough that
# mutations still hit structure.
max_len() {
  case "$1" in
    check|zip|msg|ole|iso) echo 131072 ;;
    mime|biff|onenote|rtf|pdf) echo 65536 ;;
    vba_decompress) echo 16384 ;;
    lnk) echo 8192 ;;
    *) echo 65536 ;;
  esac
}

status=0
summary=()
for t in $TARGETS; do
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(ls "artifacts/$t" | wc -l)
  log=$(mktemp)
  echo "== fuzz $t for ${SECONDS_PER_TARGET}s"
  RUSTFLAGS="${RUSTFLAGS:-} -Coverflow-checks=on" \
  nice -n "$NICE" cargo $FUZZ_TOOLCHAIN fuzz run -O --sanitizer "$SANITIZER" "$t" "corpus/$t" -- \
    -max_total_time="$SECONDS_PER_TARGET" -max_len="$(max_len "$t")" -timeout=10 \
    -rss_limit_mb=2048 -dict="dict/$t.dict" -print_final_stats=1 2>&1 | tee "$log" | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|==|Done|stat::number_of_executed_units|SUMMARY|.*panicked at|artifact_prefix|Test unit written)' || true
  runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -1)
  corpus=$(ls "corpus/$t" | wc -l)
  found=$(( $(ls "artifacts/$t" | wc -l) - before ))
  if grep -qE 'error: could not compile|error\[E' "$log"; then
    found="build failed"
    status=1
  elif [ "$found" -gt 0 ]; then
    status=1
  fi
  summary+=("$(printf '%-15s %6ss  runs %-10s corpus %-6s new crashes/hangs %s' "$t" "$SECONDS_PER_TARGET" "${runs:-?}" "$corpus" "$found")")
  rm -f "$log"
done

echo "== fuzz summary (artifacts in fuzz/artifacts/<target>/)"
printf '%s\n' "${summary[@]}"
exit $status
