#!/bin/sh
# Configures (once) and builds gst-ringkernel in $BUILD_DIR (default: build).
# Extra arguments go to meson setup, e.g. -Dvulkan=enabled.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" -Dwerror=true "$@"
elif [ $# -gt 0 ]; then
  meson configure "$BUILD_DIR" "$@"
fi
ninja -C "$BUILD_DIR"
