#!/bin/sh
# t_freestanding.sh: rule 1.  The kernel tree passes the freestanding
# check, and the check is not toothless: a planted file that includes a
# host header, and one that compiles only with host headers, both fail.
# Run from the top of the tree, as `make check` does.
[ -f tools/check-freestanding.sh ] || { echo "1..0 # SKIP not run from the top of the tree"; exit 0; }
O=${RUMP_BUILD:-build}
export O
echo "1..3"

if out=$(sh tools/check-freestanding.sh sys 2>&1); then
	echo "ok 1 - sys/ includes no host header and compiles freestanding"
else
	echo "not ok 1 - sys/ is not freestanding"
	printf '%s\n' "$out" | sed 's/^/# /'
fi

plant=$(mktemp -d "${TMPDIR:-/tmp}/plant.XXXXXX")
trap 'rm -rf "$plant"' EXIT
mkdir -p "$plant/kern"
printf '#include <sys/types.h>\n#include <stdio.h>\nint f(void);\nint f(void) { return 0; }\n' \
    > "$plant/kern/bad_include.c"
if out=$(sh tools/check-freestanding.sh "$plant" 2>&1); then
	echo "not ok 2 - a planted #include <stdio.h> went unnoticed"
else
	case $out in
	*"bad_include.c:2: host header <stdio.h>"*)
		echo "ok 2 - a planted #include <stdio.h> is reported with its line";;
	*)	echo "not ok 2 - planted include: unexpected report"
		printf '%s\n' "$out" | sed 's/^/# /';;
	esac
fi

rm -f "$plant/kern/bad_include.c"
# No include at all, but it needs the host's FILE and fopen.
printf 'int f(void);\nint f(void) { FILE *fp = fopen("x", "r"); return fp != 0; }\n' \
    > "$plant/kern/needs_host.c"
if out=$(sh tools/check-freestanding.sh "$plant" 2>&1); then
	echo "not ok 3 - a file needing host headers went unnoticed"
else
	case $out in
	*"needs_host.c: does not compile freestanding"*)
		echo "ok 3 - a file that compiles only with host headers is reported";;
	*)	echo "not ok 3 - unexpected report"
		printf '%s\n' "$out" | sed 's/^/# /';;
	esac
fi
