#!/bin/sh
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz and runs
# each one for $1 seconds (default 60) on a copy of its committed corpus.
# Any finding fails the run (exit status 1): a crash, a sanitizer report, an
# input running over 10 s (-timeout), over 2 GiB (-rss_limit_mb), a leak, a
# GLib critical (G_DEBUG=fatal-criticals). Findings are saved as
# $BUILD/fuzz-TARGET-crash-*, -timeout-*, -leak-*, -oom-*; rerun one with
#   build-fuzz/tests/fuzz/fuzz-TARGET FILE
# For a long run: tests/fuzz/run.sh 600
# One target only: FUZZ_TARGETS=caps tests/fuzz/run.sh 600
# That the runner fails on a finding: tests/fuzz/run.sh --selftest (the
# targets crash, hang, leak or log a critical on every input when
# RK_FUZZ_SELFTEST says so; each must fail the run).
set -eu
cd "$(dirname "$0")/../.."
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}

if [ "${1:-}" = "--selftest" ]; then
  # Each mode must fail the run with the runner's own finding message and
  # the fuzzer's report of that kind: a run that fails for another reason
  # (a build error, a missing directory) proves nothing.
  status=0
  mkdir -p "$BUILD"
  for mode in crash hang leak critical; do
    case $mode in
      crash) report="deadly signal" ;;
      hang) report="ERROR: libFuzzer: timeout" ;;
      leak) report="ERROR: LeakSanitizer: detected memory leaks" ;;
      critical) report="CRITICAL" ;;
    esac
    log="$BUILD/fuzz-selftest-$mode.log"
    if RK_FUZZ_SELFTEST=$mode FUZZ_TARGETS=${FUZZ_TARGETS:-envelope} \
        "$0" 30 >"$log" 2>&1; then
      echo "fuzz selftest: a $mode did NOT fail the run (see $log)" >&2
      status=1
    elif ! grep -q "found a problem" "$log" ||
        ! grep -qF "$report" "$log"; then
      echo "fuzz selftest: a $mode failed the run, but not with a finding" \
        "reported as \"$report\" (see $log)" >&2
      status=1
    else
      echo "fuzz selftest: a $mode fails the run, as it must"
    fi
  done
  exit $status
fi
SECONDS_EACH=${1:-60}

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang meson setup "$BUILD" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dtests=disabled -Dwerror=true
fi
ninja -C "$BUILD"

export GST_REGISTRY_1_0="$PWD/$BUILD/fuzz-registry.bin"
export GST_REGISTRY_FORK=no
export GST_PLUGIN_SYSTEM_PATH_1_0=""
export G_DEBUG=fatal-criticals
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

status=0
for target in ${FUZZ_TARGETS:-envelope caps params userkernel hlcwire envscan}; do
  work="$BUILD/fuzz-corpus-$target"
  log="$BUILD/fuzz-$target.log"
  rm -rf "$work" "$BUILD/fuzz-$target-"* && mkdir -p "$work"
  cp tests/fuzz/corpus/$target/* "$work/"
  echo "fuzz-$target: ${SECONDS_EACH} s"
  # The fuzzer's own exit status decides; the log is only for the summary.
  rc=0
  "$BUILD/tests/fuzz/fuzz-$target" -max_total_time="$SECONDS_EACH" \
    -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
    -artifact_prefix="$BUILD/fuzz-$target-" \
    -print_final_stats=1 "$work" >"$log" 2>&1 || rc=$?
  grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units)|ERROR|SUMMARY|CRITICAL" \
    "$log" | head -20 || :
  if [ $rc -ne 0 ] || grep -q "ERROR: libFuzzer\|==ERROR\|SUMMARY: .*Sanitizer\|deadly signal\|runtime error:\|CRITICAL" "$log"; then
    echo "fuzz-$target found a problem (exit status $rc): see $log" >&2
    ls "$BUILD/fuzz-$target-"* 2>/dev/null >&2 || :
    status=1
  fi
done
exit $status
