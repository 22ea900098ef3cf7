#!/bin/sh
# The GPU check of issue 16, for a machine with an NVIDIA GPU: builds with
# CUDA and Vulkan required, runs the CUDA and Vulkan test suites with the
# devices required (RK_TEST_REQUIRE_CUDA=1, RK_TEST_REQUIRE_VULKAN=1: a skip
# for want of a device becomes a failure), then the CUDA benchmarks
# (rkbench-cuda all), the Vulkan benchmarks (bench-vulkan.sh) and the
# benchmark suite (run-bench.py), each under a hard time limit.
#
# Writes pipelines/bench/results/gpu-<date>/: summary.txt (one line per
# step: status, seconds, log), machine.txt (nvidia-smi, vulkaninfo) and each
# step's raw log and results. Exits 0 only when every step passed; without
# an NVIDIA GPU it stops at once, with the reason, having run nothing.
#
# Usage: pipelines/bench/gpu-check.sh [--quick]   (--quick: the quick
#   benchmark runs, about 5 minutes in all, instead of the full ones)
# Environment: BUILD_DIR (default build-gpu), JOBS (test processes, default
#   the CPU count).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD_DIR=${BUILD_DIR:-build-gpu}
JOBS=${JOBS:-$(nproc)}
QUICK=
[ "${1:-}" = "--quick" ] && QUICK=--quick

# No GPU, no check: say so before building anything
if ! command -v nvidia-smi > /dev/null 2>&1; then
  echo "gpu-check: no NVIDIA GPU here (nvidia-smi not found); nothing run" >&2
  exit 1
fi
if ! gpus=$(timeout 30 nvidia-smi -L 2>&1) || [ -z "$gpus" ]; then
  echo "gpu-check: no NVIDIA GPU here (nvidia-smi -L: $gpus); nothing run" >&2
  exit 1
fi

OUT="pipelines/bench/results/gpu-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
failed=0

{
  echo "# $(date -u) $(uname -a)"
  echo "# git $(git rev-parse HEAD 2>/dev/null) $(git status --short | wc -l) files changed"
  echo "$gpus"
  nvidia-smi 2>&1
  timeout 60 vulkaninfo --summary 2>&1 || echo "vulkaninfo: not available"
} > "$OUT/machine.txt"
echo "# gpu-check $(date -u) on $(hostname): $gpus" > "$SUMMARY"

# step NAME LIMIT_S COMMAND...: runs COMMAND with its output in NAME.log,
# killed after LIMIT_S seconds (and 30 s later if it ignores that)
step() {
  name=$1 limit=$2
  shift 2
  echo "gpu-check: $name (at most ${limit} s)"
  start=$(date +%s)
  timeout -k 30 "$limit" "$@" > "$OUT/$name.log" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  case $rc in
    0) result=ok ;;
    124|137) result="TIMED OUT after ${limit} s"; failed=1 ;;
    *) result="FAILED (exit $rc)"; failed=1 ;;
  esac
  printf '%-16s %-26s %6s s  %s\n' "$name" "$result" "$secs" "$name.log" \
    >> "$SUMMARY"
  echo "gpu-check: $name: $result"
  return $rc
}

if ! step build 1800 sh -c "BUILD_DIR='$BUILD_DIR' pipelines/build.sh \
    -Dcuda=enabled -Dvulkan=enabled"; then
  tail -20 "$OUT/build.log" >&2
  echo "gpu-check: the build failed; see $OUT/build.log" >&2
  exit 1
fi

# The suites, with the devices required: a skip would hide a broken probe
export RK_TEST_REQUIRE_CUDA=1 RK_TEST_REQUIRE_VULKAN=1
for suite in cuda vulkan; do
  step "tests-$suite" 1800 meson test -C "$BUILD_DIR" --suite "$suite" \
    --print-errorlogs --num-processes "$JOBS" --no-rebuild
  cp "$BUILD_DIR/meson-logs/testlog.txt" "$OUT/tests-$suite.testlog.txt"
  # meson's counts; a skip here means a test that does not honour
  # RK_TEST_REQUIRE_*: worth a look
  grep -E '^(Ok|Fail|Skipped|Timeout): ' "$OUT/tests-$suite.log" |
    tr -s ' \n' ' ' | sed "s/^/  tests-$suite: /;s/ $/\n/" >> "$SUMMARY"
done
unset RK_TEST_REQUIRE_CUDA RK_TEST_REQUIRE_VULKAN

# The CUDA contenders at driver level (test-cuda-device ran in the suite)
step bench-cuda 1200 env GST_PLUGIN_PATH_1_0= \
  GST_REGISTRY_1_0="$PWD/$BUILD_DIR/registry-gpu-check.bin" \
  "$BUILD_DIR/pipelines/bench/rkbench-cuda" all -o "$OUT/rkbench-cuda.json" \
  $QUICK
step bench-vulkan 1200 env BUILD_DIR="$BUILD_DIR" OUT="$OUT/vulkan" \
  pipelines/bench/bench-vulkan.sh
step bench-suite 3600 /usr/bin/python3 pipelines/bench/run-bench.py \
  --build-dir "$PWD/$BUILD_DIR" --output "$OUT/suite" $QUICK

cat "$SUMMARY"
if [ "$failed" -ne 0 ]; then
  echo "gpu-check: FAILED; results and raw logs in $OUT" >&2
  exit 1
fi
echo "gpu-check: every step passed; results and raw logs in $OUT"
