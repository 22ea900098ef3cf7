#!/bin/sh
# The shared library exports exactly the listed symbols:
#   check-exported-symbols.sh LIBRARY SYMBOLS
# SYMBOLS holds one name a line, sorted (LC_ALL=C), no duplicates
# (runtime/gstringkernel.symbols: the API the README documents). Every
# symbol LIBRARY defines in its dynamic symbol table counts, whatever its
# prefix, except the linker's own (_init, _end, ...) and names with a dot,
# which are not C identifiers (compilers' IFUNC resolvers): no program can
# link to those. A difference fails the test and is printed.
set -eu
lib="$1"
list="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' |
  grep -v '\.' | grep -vxE '_init|_fini|_edata|_end|__bss_start' |
  sort -u > "$tmp/exported"

cat "$list" > "$tmp/given"   # read once: LIST may be a pipe
status=0
if ! sort -uc "$tmp/given" 2>"$tmp/order"; then
  echo "$list is not sorted (LC_ALL=C) or has duplicates: $(cat "$tmp/order")"
  status=1
fi
sort -u "$tmp/given" > "$tmp/listed"
comm -13 "$tmp/listed" "$tmp/exported" | sed 's/^/+ exported, not listed: /' > "$tmp/diff"
comm -23 "$tmp/listed" "$tmp/exported" | sed 's/^/- listed, not exported: /' >> "$tmp/diff"
if [ -s "$tmp/diff" ]; then
  echo "$lib does not export exactly the symbols of $list:"
  cat "$tmp/diff"
  echo "(an API function is declared GST_RK_API in an installed header and"
  echo " listed; an internal one is neither: see runtime/gstrkapi.h)"
  status=1
fi
[ "$status" -ne 0 ] || echo "$(wc -l < "$tmp/exported") symbols, as listed"
exit "$status"
