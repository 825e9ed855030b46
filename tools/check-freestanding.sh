#!/bin/sh
# check-freestanding.sh [DIR]: DESIGN.md rule 1.  The kernel (sys/) must
# build from the project's own headers alone.  Two checks:
#
#  1. every #include <...> in DIR names a header under sys/ or include/
#     (or a generated one under $O/include); anything else is a host
#     header, reported with its file and line;
#  2. every .c file in DIR compiles with -ffreestanding -nostdinc and the
#     kernel's include path (syntax only), so a file that needs a host
#     header to compile fails even if it hides the include.
#
# Exit status 0 if clean, 1 if not.  CC and O are taken from the
# environment (defaults: cc, build); run from the top of the tree.
set -u
dir=${1:-sys}
cc=${CC:-cc}
o=${O:-build}
bad=0

for f in $(find "$dir" -name '*.[ch]' | sort); do
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' "$f" |
	while IFS= read -r line; do
		h=$(printf '%s\n' "$line" | sed 's/.*<\([^>]*\)>.*/\1/')
		if [ ! -f "sys/$h" ] && [ ! -f "include/$h" ] &&
		    [ ! -f "$o/include/$h" ]; then
			echo "$f:${line%%:*}: host header <$h>"
		fi
	done
done > "${TMPDIR:-/tmp}/freestanding.$$"
if [ -s "${TMPDIR:-/tmp}/freestanding.$$" ]; then
	cat "${TMPDIR:-/tmp}/freestanding.$$"
	bad=1
fi
rm -f "${TMPDIR:-/tmp}/freestanding.$$"

for f in $(find "$dir" -name '*.c' | sort); do
	if ! $cc -std=gnu11 -ffreestanding -nostdinc -fsyntax-only \
	    -Isys -Iinclude -I"$o/include" -I"$o/gen" "$f" 2>/dev/null; then
		echo "$f: does not compile freestanding"
		bad=1
	fi
done
exit $bad
