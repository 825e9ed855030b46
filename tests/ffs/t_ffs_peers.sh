#!/bin/sh
# t_ffs_peers.sh: images written by our FFS driver, read back by readers
# we did not write.
#
# For UFS1 and UFS2, both byte orders and block sizes from 4 KiB to
# 64 KiB: newfs makes the image, fsu_put -r fills it from a generated
# tree (small and large files, indirect blocks, a sparse file, short and
# long symlinks, hard links, deep directories, names with spaces and
# UTF-8), then random edits (remove, rename, append, truncate, mkdir)
# are made in the image and, the same, in a copy of the tree.  Then:
#   fsck_ffs -n            finds nothing;
#   sleuthkit fls -r -p    lists exactly the tree's paths, and icat of
#                          every regular file gives the tree's bytes;
#   grub-fstest            (little-endian only: GRUB reads no other)
#                          compares every regular file with the tree.
set -u
B=$(cd "${RUMP_BUILD:-build}/bin" && pwd)
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $*"; }
check() { if [ "$1" -eq 0 ]; then ok "$2"; else notok "$2"; fi; }

for t in fls icat grub-fstest; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "1..0 # SKIP $t is not installed (sleuthkit, grub-common)"
		exit 0
	fi
done
W=$(mktemp -d "${TMPDIR:-/tmp}/t_ffs_peers.XXXXXX")
trap 'rm -rf "$W"' EXIT

# The tree.
T=$W/tree
mkdir -p "$T/deep/1/2/3/4/5/6/7/8" "$T/with space" "$T/ünïcödé"
i=0
while [ $i -lt 60 ]; do
	head -c $((i * 997)) /dev/urandom > "$T/deep/f$i"
	i=$((i + 1))
done
head -c 3000000 /dev/urandom > "$T/big"
head -c 70000 /dev/urandom > "$T/with space/file one"
echo "grüße" > "$T/ünïcödé/naïve.txt"
dd if=/dev/urandom of="$T/sparse" bs=4096 count=2 seek=300 2>/dev/null
ln -s big "$T/short-link"
ln -s "deep/1/2/3/4/5/6/7/8/../../../../../../../../with space/$(printf 'x%.0s' $(seq 1 130))" \
    "$T/long-link"
ln "$T/deep/f7" "$T/hard-f7"
echo bottom > "$T/deep/1/2/3/4/5/6/7/8/bottom"

# Edits, the same in the image and in the copy of the tree.
edit() {	# image copy
	img=$1 c=$2
	$B/fsu_rm "$img" /deep/f3 /deep/f5 && rm "$c/deep/f3" "$c/deep/f5" &&
	$B/fsu_mv "$img" /deep/f9 "/with space/moved" &&
	    mv "$c/deep/f9" "$c/with space/moved" &&
	head -c 123457 /dev/urandom > "$W/app" &&
	$B/fsu_write "$img" -a /deep/f11 < "$W/app" &&
	    cat "$W/app" >> "$c/deep/f11" &&
	$B/fsu_mkdir "$img" -p /new/dir && mkdir -p "$c/new/dir" &&
	$B/fsu_write "$img" /new/dir/x < "$W/app" && cp "$W/app" "$c/new/dir/x" &&
	$B/fsu_rm "$img" -r /deep/1/2/3/4/5 && rm -r "$c/deep/1/2/3/4/5"
}

variant() {	# version byteorder bsize fsize
	v=$1 bo=$2 bs=$3 fs=$4
	name="UFS$v $bo $bs/$fs"
	img=$W/img c=$W/copy
	rm -rf "$img" "$c"
	cp -a "$T" "$c"
	if ! $B/newfs -O "$v" -B "$bo" -b "$bs" -f "$fs" -s 64m "$img" \
	    >/dev/null 2>"$W/err"; then
		notok "$name: newfs: $(cat "$W/err")"
		return
	fi
	(cd "$T" && $B/fsu_put "$img" -r big deep "with space" ünïcödé \
	    sparse short-link long-link hard-f7 /) 2>"$W/err"
	check $? "$name: fsu_put -r of the tree $(head -c 300 "$W/err")"
	edit "$img" "$c" 2>"$W/err"
	check $? "$name: edits in the image $(head -c 200 "$W/err")"
	$B/fsck_ffs -n "$img" >"$W/fsck" 2>&1
	check $? "$name: fsck_ffs finds nothing"

	# sleuthkit: the paths, then every file's bytes by inode.
	ft=ufs$v
	fls -r -p -u -f $ft "$img" 2>"$W/err" | grep -v '\$OrphanFiles' \
	    > "$W/fls"
	sed 's/^[^	]*	//' "$W/fls" | sort > "$W/fls.paths"
	(cd "$c" && find . -mindepth 1 | sed 's,^\./,,' | sort) > "$W/host.paths"
	if cmp -s "$W/fls.paths" "$W/host.paths"; then
		ok "$name: fls lists the tree's $(wc -l < "$W/host.paths") paths"
	else
		notok "$name: fls lists other paths"
		diff "$W/fls.paths" "$W/host.paths" | head -5 | sed 's/^/# /'
	fi
	bad=0 nf=0
	grep '^r/r' "$W/fls" | sed 's/^r\/r \([0-9]*\):	/\1 /' > "$W/files"
	while read -r ino path; do
		nf=$((nf + 1))
		icat -f $ft "$img" "$ino" | cmp -s - "$c/$path" || {
			bad=$((bad + 1)); echo "# icat differs: $path"; }
	done < "$W/files"
	check $bad "$name: icat gives the bytes of all $nf files"

	if [ "$bo" = le ]; then
		bad=0
		while read -r ino path; do
			grub-fstest "$img" cmp "/$path" "$c/$path" \
			    >/dev/null 2>&1 || { bad=$((bad + 1));
			    echo "# grub-fstest differs: $path"; }
		done < "$W/files"
		check $bad "$name: grub-fstest reads all $nf files the same"
	fi
}

variant 1 le 16384 2048
variant 2 le 32768 4096
variant 1 be 4096 512
variant 2 be 8192 1024
variant 2 le 65536 8192
variant 1 le 65536 8192

# UFS2 lazy inode initialisation (docs/ffs-format.md 3.4): with
# cg_initediblk cut to 64 and garbage in the inode blocks past it, new
# files must get zeroed inode blocks (and the count advanced), and the
# result must check clean and read back.
E=$(cd "${RUMP_BUILD:-build}/tests/ffs" && pwd)/h_ffsedit
img=$W/lazy.img
if $B/newfs -O 2 -s 32m "$img" >/dev/null 2>&1 && [ -x "$E" ]; then
	"$E" "$img" cgset 0 initediblk 64
	i=64
	while [ $i -lt 200 ]; do
		o=$(($("$E" "$img" ioff $i) / 256))
		dd if=/dev/urandom of="$img" bs=256 count=1 seek=$o \
		    conv=notrunc 2>/dev/null
		i=$((i + 1))
	done
	rm -rf "$W/many" && mkdir -p "$W/many"
	i=0
	while [ $i -lt 150 ]; do echo $i > "$W/many/f$i"; i=$((i + 1)); done
	$B/fsu_put "$img" -r "$W/many" / 2>"$W/err"
	check $? "UFS2 lazy inodes: 150 files past cg_initediblk $(head -c 200 "$W/err")"
	[ "$("$E" "$img" cgget 0 initediblk)" -gt 150 ]
	check $? "... cg_initediblk advanced ($("$E" "$img" cgget 0 initediblk))"
	$B/fsck_ffs -n "$img" >"$W/fsck" 2>&1
	check $? "... fsck_ffs finds nothing"
	rm -rf "$W/back" && mkdir "$W/back" &&
	    $B/fsu_get "$img" -r /many "$W/back/" && diff -r "$W/many" "$W/back/many"
	check $? "... and the files read back"
fi
echo "1..$n"
exit $fail
