#!/bin/sh
# The README's test command: installs what is missing, builds with warnings
# as errors, and runs the whole suite.
set -eu
cd "$(dirname "$0")/.."
pipelines/install-deps.sh
pipelines/build.sh
meson test -C "${BUILD_DIR:-build}" --print-errorlogs --num-processes 2 "$@"
