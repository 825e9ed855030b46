#!/bin/sh
# rumpns.sh IN OUT: move a kernel object's global symbols into the rumpns_
# namespace (DESIGN.md rule 4).
#
# Every global symbol, defined or undefined, is renamed NAME -> rumpns_NAME,
# except the public API (rump_*), the hypercalls (rumpuser_*) and names the
# toolchain owns (__*: link-set bounds and the like).  Because the rule
# depends only on the name, separately built component libraries agree on
# it and link to each other, while a host program's own printf, malloc or
# vfs_lookup can never meet the kernel's.
set -eu
in=$1
out=$2
list=$out.syms
${NM:-nm} -P -g "$in" | awk '
	{ name = $1 }
	name ~ /^(rump_|rumpuser_|rumpns_|__|_GLOBAL_OFFSET_TABLE_$)/ { next }
	name ~ /[@.]/ { next }
	!seen[name]++ { print name, "rumpns_" name }
' > "$list"
${OBJCOPY:-objcopy} --redefine-syms="$list" "$in" "$out"
