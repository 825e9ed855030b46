#!/bin/sh
# t_install.sh: `make install PREFIX=...` installs headers, static and
# shared libraries and a pkg-config file from which a program builds
# and runs, both ways.
B=${RUMP_BUILD:-build}
[ -f tools/rump.pc.in ] || { echo "1..0 # SKIP not run from the top of the tree"; exit 0; }
command -v pkg-config >/dev/null || { echo "1..0 # SKIP no pkg-config (tools/deps.sh installs it)"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/inst.XXXXXX")
: >"$tmp/out"
trap 'rm -rf "$tmp"' EXIT
echo "1..5"

if make -s O="$B" PREFIX="$tmp/usr" install >"$tmp/log" 2>&1; then
	echo "ok 1 - make install"
else
	echo "not ok 1 - make install"; sed 's/^/# /' "$tmp/log"
fi
for f in include/rump/rump.h include/rump/rumpdefs.h \
    include/rump/rump_syscalls.h include/rumpuser.h lib/librump.a \
    lib/librump.so lib/librump.so.0 lib/librumpuser.a lib/librumpuser.so \
    lib/pkgconfig/rump.pc; do
	[ -e "$tmp/usr/$f" ] || missing="${missing:-} $f"
done
if [ -z "${missing:-}" ]; then
	echo "ok 2 - headers, libraries and rump.pc are installed"
else
	echo "not ok 2 - missing:$missing"
fi

export PKG_CONFIG_PATH="$tmp/usr/lib/pkgconfig"
cflags=$(pkg-config --cflags rump) && libs=$(pkg-config --libs rump) &&
    slibs=$(pkg-config --static --libs rump)
# shellcheck disable=SC2086
if ${CC:-cc} $cflags -o "$tmp/boot_shared" examples/boot.c $libs \
    -Wl,-rpath,"$tmp/usr/lib" -lpthread 2>"$tmp/log" &&
    "$tmp/boot_shared" >"$tmp/out" 2>&1 && grep -q "kernel halted" "$tmp/out"; then
	echo "ok 3 - the demo builds with pkg-config and runs on the shared libraries"
else
	echo "not ok 3 - shared build or run"; sed 's/^/# /' "$tmp/log" "$tmp/out"
fi
if ${CC:-cc} $cflags -o "$tmp/boot_static" examples/boot.c \
    "$tmp/usr/lib/librump.a" "$tmp/usr/lib/librumpuser.a" -lpthread 2>"$tmp/log" &&
    "$tmp/boot_static" >"$tmp/out" 2>&1 && grep -q "kernel halted" "$tmp/out"; then
	echo "ok 4 - the demo builds and runs on the static libraries"
else
	echo "not ok 4 - static build or run"; sed 's/^/# /' "$tmp/log" "$tmp/out"
fi
case $slibs in
*-lpthread*) echo "ok 5 - pkg-config --static adds -lpthread";;
*) echo "not ok 5 - pkg-config --static: $slibs";;
esac
