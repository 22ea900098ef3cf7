#!/bin/sh
# libvulkan is opened at run time, never linked: neither the library nor
# the plugin may need it, and neither may export volk's vk* pointers
# (they would shadow the real API for whoever links libvulkan).
set -eu
status=0
for lib in "$@"; do
  if readelf -d "$lib" | grep -q 'NEEDED.*libvulkan'; then
    echo "FAIL: $lib needs libvulkan"; status=1
  fi
  if ldd "$lib" | grep -q libvulkan; then
    echo "FAIL: $lib pulls in libvulkan"; status=1
  fi
  exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -E '^(vk|volk)' || true)
  if [ -n "$exported" ]; then
    echo "FAIL: $lib exports $exported"; status=1
  fi
  echo "ok: $lib"
done
exit $status
