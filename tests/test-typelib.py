#!/usr/bin/python3
"""GstRk-1.0.typelib loads, and every function the library exports (runtime/
gstringkernel.symbols, the API the README documents) is callable through
it (not marked introspectable="0"): as a function, a method, a constructor or a type's get_type. Skips
(77) where PyGObject is missing."""

import os
import sys
import xml.etree.ElementTree as ET

try:
    import gi
except ImportError:
    print("skipped: PyGObject is missing (Debian: python3-gi)")
    sys.exit(77)

BUILD = os.environ["RK_BUILD_DIR"]
SYMBOLS = os.environ["RK_SYMBOLS"]

if not os.path.exists(os.path.join(BUILD, "GstRk-1.0.typelib")):
    print("skipped: built without introspection (g-ir-scanner missing?)")
    sys.exit(77)

gi.require_version("GIRepository", "2.0")
from gi.repository import GIRepository  # noqa: E402

GIRepository.Repository.prepend_search_path(BUILD)
GIRepository.Repository.prepend_library_path(BUILD)
repo = GIRepository.Repository.get_default()
repo.require("GstRk", "1.0", 0)
path = repo.get_typelib_path("GstRk")
assert os.path.dirname(os.path.abspath(path)) == os.path.abspath(BUILD), \
    f"GstRk-1.0 came from {path}, not the build tree"

IT = GIRepository.InfoType
found = set()
for i in range(repo.get_n_infos("GstRk")):
    info = repo.get_info("GstRk", i)
    kind = info.get_type()
    if kind == IT.FUNCTION:
        found.add(GIRepository.function_info_get_symbol(info))
        continue
    if kind in (IT.OBJECT, IT.STRUCT, IT.ENUM, IT.FLAGS, IT.BOXED):
        getter = {IT.OBJECT: GIRepository.object_info_get_method,
                  IT.STRUCT: GIRepository.struct_info_get_method,
                  IT.BOXED: GIRepository.struct_info_get_method,
                  IT.ENUM: GIRepository.enum_info_get_method,
                  IT.FLAGS: GIRepository.enum_info_get_method}[kind]
        count = {IT.OBJECT: GIRepository.object_info_get_n_methods,
                 IT.STRUCT: GIRepository.struct_info_get_n_methods,
                 IT.BOXED: GIRepository.struct_info_get_n_methods,
                 IT.ENUM: GIRepository.enum_info_get_n_methods,
                 IT.FLAGS: GIRepository.enum_info_get_n_methods}[kind]
        for m in range(count(info)):
            found.add(GIRepository.function_info_get_symbol(getter(info, m)))
        if kind != IT.STRUCT:
            init = GIRepository.registered_type_info_get_type_init(info)
            if init:
                found.add(init)

# The scanner keeps what bindings cannot call, marked introspectable="0".
gir = ET.parse(os.path.join(BUILD, "GstRk-1.0.gir"))
C = "{http://www.gtk.org/introspection/c/1.0}identifier"
unusable = {e.get(C) for e in gir.iter()
            if e.get("introspectable") == "0" and e.get(C)}
found -= unusable

with open(SYMBOLS) as f:
    exported = {line.strip() for line in f if line.strip()}
missing = sorted(exported - found)
print(f"GstRk-1.0 from {path}: {len(found & exported)} of {len(exported)} "
      "exported functions")
if missing:
    print("not in the typelib:\n  " + "\n  ".join(missing))
    sys.exit(1)
