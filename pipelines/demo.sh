#!/bin/sh
# The README's demo command: installs what is missing, builds, and runs a
# real pipeline through ring kernels (pipelines/demo.py). Arguments go to
# demo.py, e.g. --frames 60.
set -eu
cd "$(dirname "$0")/.."
pipelines/install-deps.sh
pipelines/build.sh
BUILD_DIR=${BUILD_DIR:-build}
export GST_PLUGIN_PATH_1_0="$PWD/$BUILD_DIR/plugin"
export GST_REGISTRY_1_0="$PWD/$BUILD_DIR/demo-registry.bin"
# Debian's python3 has the GObject bindings; a python3 first on PATH may not.
exec /usr/bin/python3 pipelines/demo.py "$@"
