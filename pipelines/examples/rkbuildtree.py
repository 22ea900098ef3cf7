"""Lets the Python examples run from a source checkout.

PyGObject finds GstRk-1.0 where it is installed. In a checkout built with
pipelines/build.sh it is not: this points PyGObject at the build tree's
typelib and library, and GStreamer at its plugin (RK_BUILD_DIR, default
<checkout>/build). Without PyGObject it re-runs the script under the
system Python (Debian's python3-gi), or exits 77 (skipped) saying why.
"""

import os
import sys

SKIP = 77


def _build_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("RK_BUILD_DIR") or os.path.join(here, "..", "..",
                                                          "build")


def setup():
    try:
        import gi
    except ImportError:
        system = "/usr/bin/python3"
        if os.path.exists(system) and os.path.realpath(sys.executable) != \
                os.path.realpath(system) and "RK_REEXEC" not in os.environ:
            os.environ["RK_REEXEC"] = "1"
            os.execv(system, [system] + sys.argv)
        print("skipped: PyGObject is missing (Debian: apt install python3-gi)",
              file=sys.stderr)
        sys.exit(SKIP)

    build = _build_dir()
    have_typelib = os.path.exists(os.path.join(build, "GstRk-1.0.typelib"))
    if "RK_BUILD_DIR" in os.environ and not have_typelib:
        print(f"skipped: {build} has no GstRk-1.0 typelib (built without "
              "introspection: g-ir-scanner missing?)", file=sys.stderr)
        sys.exit(SKIP)
    if have_typelib:
        gi.require_version("GIRepository", "2.0")
        from gi.repository import GIRepository
        GIRepository.Repository.prepend_search_path(build)
        GIRepository.Repository.prepend_library_path(build)
        os.environ.setdefault("GST_PLUGIN_PATH_1_0",
                              os.path.join(build, "plugin"))
    gi.require_version("Gst", "1.0")
    try:
        gi.require_version("GstRk", "1.0")
    except ValueError as e:
        print(f"skipped: no GstRk-1.0 typelib ({e}); build with "
              "-Dintrospection=enabled", file=sys.stderr)
        sys.exit(SKIP)
    return build
