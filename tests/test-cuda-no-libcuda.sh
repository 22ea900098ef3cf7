#!/bin/sh
# The CUDA driver is loaded at run time: nothing this project builds may
# link libcuda (a stray -lcuda links against the toolkit's stub library
# through LIBRARY_PATH and then fails at start on machines without a GPU).
status=0
for f in "$@"; do
  if ldd "$f" | grep -q 'libcuda\.so'; then
    echo "FAIL: $f links libcuda:"
    ldd "$f" | grep 'libcuda'
    status=1
  else
    echo "ok: $f does not link libcuda"
  fi
done
exit $status
