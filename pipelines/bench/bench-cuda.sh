#!/bin/sh
# The CUDA benchmarks of issue 4, for a machine with an NVIDIA GPU:
#   round trip of one 64-byte message through rkecho, p50/p99 over 100,000
#   messages: persistent, event-driven, cuLaunchKernel + sync, graph replay;
#   throughput with 256 in flight; rkgray at 1080p and 4K (kernel only
#   against memory bandwidth, end to end against PCIe, against nvcodec's
#   cudaupload ! cudaconvert ! cudadownload where it exists).
# First runs the GPU correctness test (test-cuda-device), so the figures come
# from a backend that gives the CPU backend's outputs.
#
# Writes pipelines/bench/results/cuda-<host>-<date>.json and the raw log
# beside it. Usage: pipelines/bench/bench-cuda.sh [--quick]
set -eu
cd "$(dirname "$0")/../.."
BUILD_DIR="${BUILD_DIR:-build}"
[ -d "$BUILD_DIR" ] || meson setup "$BUILD_DIR" -Dcuda=enabled
ninja -C "$BUILD_DIR"

# test-cuda-device and rkbench-cuda link the runtime and the plugin in (they
# use internals): no plugin files, which would bring a second runtime
export GST_PLUGIN_PATH_1_0=""
export GST_REGISTRY_1_0="$PWD/$BUILD_DIR/registry-bench-cuda.bin"
out="pipelines/bench/results"
stamp="cuda-$(hostname)-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
log="$out/$stamp.log"

{
  echo "# $(date -u) $(uname -a)"
  nvidia-smi 2>&1 || true
  echo "# test-cuda-device"
} > "$log"
status=0
"$BUILD_DIR/tests/test-cuda-device" >> "$log" 2>&1 || status=$?
if [ "$status" -eq 77 ]; then
  tail -1 "$log"
  echo "bench-cuda: no usable CUDA device, nothing measured (log: $log)"
  exit 77
elif [ "$status" -ne 0 ]; then
  echo "bench-cuda: test-cuda-device failed, see $log" >&2
  exit 1
fi

echo "# rkbench-cuda all $*" >> "$log"
"$BUILD_DIR/pipelines/bench/rkbench-cuda" all -o "$out/$stamp.json" "$@" \
  2>&1 | tee -a "$log"
echo "bench-cuda: $out/$stamp.json (raw log $log)"
