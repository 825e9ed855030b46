#!/bin/sh
# t_ffs_makefs.sh: big images made by makefs(8), read back whole.
#
# A generated tree: 3,000 files in 300 directories (some 20 levels
# deep), sizes from 0 bytes to 200 MiB, a sparse file, short and long
# symlinks, hard links, names with spaces and UTF-8, assorted modes and
# times.  makefs puts it in UFS1 and UFS2 images, little- and
# big-endian; fsu_get -r copies each image's tree back to the host, and
# every file's type, mode, size, times, link count, link target and
# contents must be the source tree's (find -printf and diff -r).
#
# UFS2 uses 16 and 32 KiB blocks: with its default 8 KiB blocks Debian's
# makefs (20190105) leaves some inodes of such a tree unwritten (zero on
# disk while directories name them: inodes 256 and 309 here), which
# fsck_ffs reports and our driver refuses; see docs/ffs-format.md, 9.
set -u
B=$(cd "${RUMP_BUILD:-build}/bin" && pwd)
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $*"; }

command -v makefs >/dev/null 2>&1 || {
	echo "1..0 # SKIP makefs(8) is not installed"; exit 0; }
W=$(mktemp -d "${TMPDIR:-/tmp}/t_ffs_makefs.XXXXXX")
trap 'rm -rf "$W"' EXIT
T=$W/src
mkdir -p "$T"

# 300 directories, 10 files each; every tenth directory is a deep chain.
d=0
while [ $d -lt 300 ]; do
	if [ $((d % 10)) -eq 0 ]; then
		p="$T/deep$d/$(seq -s / 1 20 | sed 's,/, lvl ,g')"
	else
		p="$T/dir $d/ünï $d"
	fi
	mkdir -p "$p"
	f=0
	while [ $f -lt 10 ]; do
		head -c $(( (d * 37 + f * 1013) % 20000 )) /dev/urandom \
		    > "$p/file $f"
		f=$((f + 1))
	done
	chmod $((d % 2 ? 640 : 755)) "$p/file 3"
	d=$((d + 1))
done
head -c $((200 << 20)) /dev/urandom > "$T/big200m"
head -c 300000 /dev/urandom > "$T/indirect"
dd if=/dev/urandom of="$T/sparse" bs=8192 count=3 seek=5000 2>/dev/null
: > "$T/empty"
ln -s big200m "$T/short link"
ln -s "$(printf 'dir 1/%.0s' $(seq 1 25))target" "$T/long link"
ln "$T/indirect" "$T/hard one"
ln "$T/indirect" "$T/dir 1/hard two"
touch -d '2001-02-03 04:05:06' "$T/dir 2/ünï 2/file 1"
touch -h -d '1999-12-31 23:59:59' "$T/short link"

listing() {	# dir: one line per entry, everything comparable
	(cd "$1" && find . -mindepth 1 -printf '%p|%y|%m|%s|%TY%Tm%Td%TH%TM%TS|%n|%l\n' |
	    sed 's/\.[0-9]*|/|/' | sort)
}
listing "$T" > "$W/src.list"
nfiles=$(wc -l < "$W/src.list")

for v in "1 le 8192" "2 le 16384" "1 be 16384" "2 be 32768"; do
	set -- $v
	img=$W/img
	rm -f "$img"
	rm -rf "$W/out"
	if ! makefs -t ffs -B "$2" -o version="$1",bsize="$3",fsize=$(($3 / 8)) "$img" "$T" \
	    >/dev/null 2>"$W/err"; then
		notok "UFS$1 $2: makefs: $(head -c 200 "$W/err")"
		continue
	fi
	mkdir "$W/out"
	if $B/fsu_get "$img" -r / "$W/out/" 2>"$W/err"; then
		ok "UFS$1 $2: fsu_get -r of $nfiles entries"
	else
		notok "UFS$1 $2: fsu_get -r: $(head -c 300 "$W/err")"
	fi
	listing "$W/out" > "$W/out.list"
	if cmp -s "$W/src.list" "$W/out.list"; then
		ok "UFS$1 $2: types, modes, sizes, times, links and targets match"
	else
		notok "UFS$1 $2: metadata differs"
		diff "$W/src.list" "$W/out.list" | head -6 | sed 's/^/# /'
	fi
	if diff -r --no-dereference "$T" "$W/out" >/dev/null 2>&1; then
		ok "UFS$1 $2: every file's contents match"
	else
		notok "UFS$1 $2: contents differ"
	fi
	$B/fsck_ffs -n "$img" >/dev/null 2>&1
	if [ $? -eq 0 ]; then ok "UFS$1 $2: fsck_ffs agrees with makefs"
	else notok "UFS$1 $2: fsck_ffs finds faults in a makefs image"; fi
done
echo "1..$n"
exit $fail
