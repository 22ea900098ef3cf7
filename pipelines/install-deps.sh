#!/bin/sh
# Installs the Debian 12 packages gst-ringkernel needs to build, run the
# demo, the benchmarks and the tests. Idempotent: installs only what is
# missing, and does nothing (not even apt-get update) when all is there.
# Runs as root, or through sudo when it is available.
#
#   install-deps.sh           build, run, test
#   install-deps.sh --bench   also OpenCV for Python, which bench-kernels.py
#                             compares with (benchmarks only: nothing builds,
#                             runs or tests against it)
set -eu

PACKAGES="
  meson ninja-build pkg-config gcc
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-opencv
  libvulkan-dev libvulkan-volk-dev glslc spirv-tools mesa-vulkan-drivers
  python3 python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0
  python3-matplotlib gobject-introspection libgirepository1.0-dev
  clang libclang-rt-14-dev valgrind
"
BENCH_PACKAGES="python3-opencv python3-numpy"

case "${1:-}" in
  "") ;;
  --bench) PACKAGES="$PACKAGES $BENCH_PACKAGES" ;;
  *) echo "usage: install-deps.sh [--bench]" >&2; exit 2 ;;
esac

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-deps: need root or sudo to install:$missing" >&2
  exit 1
fi

echo "install-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
