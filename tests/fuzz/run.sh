#!/bin/sh
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz and runs
# each one for $1 seconds (default 60) on a copy of its committed corpus.
# For a long run: tests/fuzz/run.sh 600
# One target only: FUZZ_TARGETS=caps tests/fuzz/run.sh 600
set -eu
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang meson setup "$BUILD" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dtests=disabled -Dwerror=true
fi
ninja -C "$BUILD"

export GST_REGISTRY_1_0="$PWD/$BUILD/fuzz-registry.bin"
export GST_REGISTRY_FORK=no
export GST_PLUGIN_SYSTEM_PATH_1_0=""
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

for target in ${FUZZ_TARGETS:-envelope caps params userkernel hlcwire envscan}; do
  work="$BUILD/fuzz-corpus-$target"
  rm -rf "$work" && mkdir -p "$work"
  cp tests/fuzz/corpus/$target/* "$work/"
  echo "fuzz-$target: ${SECONDS_EACH} s"
  "$BUILD/tests/fuzz/fuzz-$target" -max_total_time="$SECONDS_EACH" \
    -print_final_stats=1 "$work" 2>&1 | tee "$BUILD/fuzz-$target.log" | \
    grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" || true
  if grep -q "==ERROR\|SUMMARY: .*Sanitizer\|deadly signal" "$BUILD/fuzz-$target.log"; then
    echo "fuzz-$target found a problem: see $BUILD/fuzz-$target.log" >&2
    exit 1
  fi
done
