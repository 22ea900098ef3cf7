#!/bin/sh
# The Vulkan benchmarks of issue 3, on the Vulkan device the backend picks
# (lavapipe on CI machines), each contender side by side in one run:
#
#   1. round trip of one 64-byte message through rkecho, persistent vs
#      event-driven, 10,000 messages: p50 and p99, and the same split into
#      its host and device parts
#   2. pipelined throughput, 256 messages in flight
#   3. rkgray frames per second at 1080p, Vulkan beside the CPU
#
# JSON goes to pipelines/bench/results/ (OUT=... to change), with a summary
# of the ratios and, when matplotlib is there, a plot of the round trips.
# Not a test: figures depend on the machine and its load.
set -eu
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
OUT=${OUT:-pipelines/bench/results}
MESSAGES=${MESSAGES:-10000}

[ -x "$BUILD_DIR/pipelines/bench/rkbench" ] || pipelines/build.sh
export GST_PLUGIN_PATH_1_0="$PWD/$BUILD_DIR/plugin"
export GST_REGISTRY_1_0="$PWD/$BUILD_DIR/bench-registry.bin"
export MESA_SHADER_CACHE_DIR="$PWD/$BUILD_DIR/mesa-shader-cache"
RKBENCH="$BUILD_DIR/pipelines/bench/rkbench"
mkdir -p "$OUT"

"$RKBENCH" roundtrip --backend vulkan --messages "$MESSAGES" \
  -o "$OUT/vulkan-roundtrip.json"
"$RKBENCH" roundtrip-split --backend all --messages "$MESSAGES" \
  -o "$OUT/vulkan-roundtrip-split.json"
"$RKBENCH" throughput --backend vulkan --messages 100000 --in-flight 256 \
  -o "$OUT/vulkan-throughput.json"
"$RKBENCH" frames --backend all --frames 200 --width 1920 --height 1080 \
  --format RGBA --in-flight 4 -o "$OUT/vulkan-frames.json"

# Debian's python3 (python3-matplotlib) rather than whatever is on PATH
exec /usr/bin/python3 pipelines/bench/bench-vulkan-summary.py "$OUT"
