#!/bin/sh
# deps.sh: install what building and testing need beyond gcc and make,
# on Debian, if it is missing.  `make check` and .ci/run both call it.
# Without root (and without sudo) it says what to install and fails.
set -u
need=
have() { command -v "$1" >/dev/null 2>&1; }

have prove	|| need="$need perl"
have nm		|| need="$need binutils"
have objcopy	|| need="$need binutils"
have awk	|| need="$need mawk"
have pkg-config	|| need="$need pkgconf"
have clang	|| need="$need clang"
# libFuzzer's runtime, for the fuzz targets (tests/fuzz, CI's short runs)
if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
    >/dev/null 2>&1; then
	v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p')
	need="$need libclang-rt-${v:-14}-dev"
fi
have makefs	|| need="$need makefs"	# FFS images (tests/ffs)
have fsstat	|| need="$need sleuthkit"	# other FFS readers (t_newfs.sh)
have grub-fstest	|| need="$need grub-common"
have pkill	|| need="$need procps"	# t_rump_server_tool.sh
# Unmodified programs under librumphijack (tests/sp/t_hijack.sh)
have tar	|| need="$need tar"
have find	|| need="$need findutils"
have cmp	|| need="$need diffutils"
have diff	|| need="$need diffutils"
# More of them (tests/sp/t_hijack_progs.sh); each is skipped if missing.
have patch	|| need="$need patch"
have bzip2	|| need="$need bzip2"
have xz		|| need="$need xz-utils"
have cpio	|| need="$need cpio"
have rsync	|| need="$need rsync"
have git	|| need="$need git"
have python3	|| need="$need python3"
have sqlite3	|| need="$need sqlite3"

[ -z "$need" ] && exit 0
need=$(printf '%s\n' $need | sort -u | tr '\n' ' ')
if [ "$(id -u)" = 0 ]; then
	sudo=
elif have sudo; then
	sudo=sudo
else
	echo "deps.sh: please install: $need" >&2
	exit 1
fi
echo "deps.sh: installing $need" >&2
$sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need >&2
