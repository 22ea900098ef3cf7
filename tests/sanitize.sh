#!/bin/sh
# The sanitizer suites CI runs, each in a build directory of its own:
#   tests/sanitize.sh asan       ASan+UBSan build, the whole test suite
#   tests/sanitize.sh tsan       TSan build, the runtime tests (suite "tsan")
#   tests/sanitize.sh valgrind   memcheck on the element tests (suite "memcheck")
#   tests/sanitize.sh all        the three
# The plugin registry is scanned in-process (the scanner helper is not
# instrumented), over the few system plugins the tests use: scanning every
# installed plugin under a sanitizer reports leaks of third-party libraries.
set -eu
cd "$(dirname "$0")/.."

SYSTEM_PLUGINS="coreelements videotestsrc videoconvertscale app audiotestsrc
  audioconvert audioresample spectrum level audiofx videofilter rtp udp tcp"
ARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

prepare_plugins () {
  dir="$1/sanitize-plugins"
  rm -rf "$dir" && mkdir -p "$dir"
  for p in $SYSTEM_PLUGINS; do
    f="/usr/lib/$ARCH/gstreamer-1.0/libgst$p.so"
    [ -e "$f" ] && ln -s "$f" "$dir/"
  done
  export GST_PLUGIN_SYSTEM_PATH_1_0="$PWD/$dir"
  export GST_REGISTRY_FORK=no
  # A registry from another plugin set would be updated in place, a path in
  # GStreamer that LeakSanitizer reports: scan afresh.
  rm -f "$1"/tests/registry-*.bin
}

configure () {
  dir="$1"; shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" -Dwerror=true "$@"
  ninja -C "$dir"
}

run_asan () {
  configure build-asan -Db_sanitize=address,undefined -Db_lundef=false
  prepare_plugins build-asan
  # The smoke test runs Python, which cannot load an ASan-built plugin.
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    meson test -C build-asan --print-errorlogs --num-processes 2 \
      --timeout-multiplier 3 --no-suite smoke
}

run_tsan () {
  configure build-tsan -Db_sanitize=thread -Db_lundef=false
  prepare_plugins build-tsan
  # GSlice hands memory between threads in ways TSan cannot see.
  G_SLICE=always-malloc \
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp" \
    meson test -C build-tsan --suite tsan --print-errorlogs \
      --num-processes 1 --timeout-multiplier 5
}

run_valgrind () {
  configure build
  prepare_plugins build
  # RK_VALGRIND: lavapipe under memcheck is too slow for the tests' bounds
  # and leaks inside libvulkan_lvp; Vulkan cases skip (ASan covers them).
  G_SLICE=always-malloc RK_SOAK_MESSAGES=20000 RK_VALGRIND=1 \
    meson test -C build --suite memcheck --print-errorlogs --num-processes 2 \
      --timeout-multiplier 20 \
      --wrap "valgrind --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        --suppressions=/usr/share/glib-2.0/valgrind/glib.supp \
        --suppressions=$PWD/tests/valgrind.supp --num-callers=30"
}

case "${1:-all}" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  valgrind) run_valgrind ;;
  all) run_asan; run_tsan; run_valgrind ;;
  *) echo "usage: $0 asan|tsan|valgrind|all" >&2; exit 2 ;;
esac
