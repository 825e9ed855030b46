#!/bin/sh
# t_newfs.sh: the newfs(8) tool: its options, messages and exit
# statuses, and its images as other FFS readers see them: our own
# driver (fsu_ls), The Sleuth Kit (fsstat, fls, istat) and GRUB's
# (grub-fstest).  Readers that are not installed are skipped
# (tools/deps.sh installs them).
B=${RUMP_BUILD:-build}
N=$B/bin/newfs
[ -x "$N" ] || { echo "1..0 # SKIP $N not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_newfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
t() {	# t PASS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
skip() {	# skip COUNT WHY
	i=0
	while [ $i -lt "$1" ]; do
		n=$((n + 1)); i=$((i + 1))
		echo "ok $n # SKIP $2"
	done
}
size_of() { wc -c < "$1" | tr -d ' '; }

# ---- options, messages, exit statuses ----
"$N" --help | grep -q '^usage: newfs'
t $? "--help prints the usage on stdout, exit 0"
"$N" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^usage: newfs' "$tmp/err"
t $? "no image: usage on stderr, exit 2"
"$N" -x "$tmp/a.img" >/dev/null 2>&1
[ $? -eq 2 ]; t $? "an unknown option: exit 2"
for bad in "-s garbage" "-s 12q" "-s 0" "-b 3000" "-b 131072" "-f 100" \
    "-b 8192 -f 16384" "-b 8192 -f 512" "-O 3" "-B middle" "-m 100" \
    "-i x" "-V 9" "-L 0123456789012345678901234567890123"; do
	# shellcheck disable=SC2086
	"$N" $bad -s 8m "$tmp/bad.img" >/dev/null 2>"$tmp/err"
	st=$?
	[ $st -eq 2 ] && grep -q '^newfs: ' "$tmp/err" &&
	    [ ! -e "$tmp/bad.img" ]
	t $? "$bad: a message, exit 2, nothing created"
done
"$N" -s 32k "$tmp/small.img" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^newfs: .*small.img: .*too small' "$tmp/err"
t $? "32 KiB: too small, exit 1 with a message"
"$N" -s 8m "$tmp/nodir/x.img" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'No such file or directory' "$tmp/err"
t $? "an image in a missing directory: exit 1"
"$N" -s 8m "$tmp" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'Is a directory' "$tmp/err"
t $? "a directory as image: exit 1"
"$N" "$tmp/missing.img" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'No such file' "$tmp/err"
t $? "no -s and no image: exit 1"
if [ "$(id -u)" != 0 ]; then
	: > "$tmp/ro.img" && truncate -s 8m "$tmp/ro.img" &&
	    chmod 0444 "$tmp/ro.img"
	"$N" "$tmp/ro.img" >/dev/null 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q 'Permission denied' "$tmp/err"
	t $? "a read-only image: exit 1, permission denied"
else
	skip 1 "root can write a read-only file"
fi

# ---- sizes and files ----
"$N" -s 8m "$tmp/a.img" > "$tmp/out"
[ $? -eq 0 ] && [ "$(size_of "$tmp/a.img")" = 8388608 ] &&
    grep -q 'a.img: 8.0MB (16384 sectors) block size 4096, fragment size 512' \
    "$tmp/out" && grep -q 'using 1 cylinder groups' "$tmp/out" &&
    grep -q '^super-block backups' "$tmp/out"
t $? "-s 8m creates an 8 MiB image and prints the summary"
"$N" -V 0 -s 16384 "$tmp/b.img" > "$tmp/out"
[ $? -eq 0 ] && [ ! -s "$tmp/out" ] && [ "$(size_of "$tmp/b.img")" = 8388608 ]
t $? "-s 16384 is 512-byte sectors; -V 0 prints nothing"
"$N" -V 0 -s 12m "$tmp/b.img" && [ "$(size_of "$tmp/b.img")" = 12582912 ]
t $? "an existing image is extended to -s"
"$N" -V 1 -s 4m "$tmp/b.img" | grep -q 'b.img: 4.0MB' &&
    [ "$(size_of "$tmp/b.img")" = 12582912 ]
t $? "a longer image keeps its length; the file system is -s long"
"$N" -V 1 "$tmp/b.img" | grep -q 'b.img: 12.0MB'
t $? "without -s the whole image is used"
"$N" -n -s 64m "$tmp/dry.img" | grep -q 'dry.img: 64.0MB'
[ $? -eq 0 ] && [ ! -e "$tmp/dry.img" ]
t $? "-n prints the summary and creates nothing"
cp "$tmp/b.img" "$tmp/b.copy"
"$N" -n -O 2 -b 65536 "$tmp/b.img" | grep -q 'block size 65536' &&
    cmp -s "$tmp/b.img" "$tmp/b.copy"
t $? "-n on an existing image leaves it unchanged"
"$N" -V 2 -O 2 -B be -b 16384 -f 2048 -i 65536 -m 8 -s 50m "$tmp/c.img" \
    > "$tmp/out"
grep -q 'block size 16384, fragment size 2048' "$tmp/out" &&
    grep -q 'UFS2, big-endian' "$tmp/out" && grep -q '8% reserved' "$tmp/out"
t $? "-O 2 -B be -b -f -m are what is made"
inodes=$(sed -n 's/.*endian, \([0-9]*\) inodes.*/\1/p' "$tmp/out")
[ -n "$inodes" ] && [ "$inodes" -ge 800 ] && [ "$inodes" -le 1100 ]
t $? "-i 65536 on 50 MiB: about 800 inodes ($inodes)"
"$N" -V 0 -F -s 5000001b "$tmp/odd.img" &&
    [ "$(size_of "$tmp/odd.img")" = 5000001 ]
t $? "-F is accepted; a size in bytes (b)"

# Short of kernel memory, at every point: a clean failure, never a crash.
bad=0
for m in $(seq 256 16 640); do
	rm -f "$tmp/mem.img"
	RUMP_MEMLIMIT=${m}k "$N" -V 0 -O 2 -b 65536 -s 20m "$tmp/mem.img" \
	    2>"$tmp/err"
	st=$?
	if [ $st -eq 1 ]; then
		grep -q '^newfs: .*Cannot allocate memory' "$tmp/err" || bad=1
	elif [ $st -ne 0 ]; then
		bad=1
	fi
done
[ $bad = 0 ] && [ $st = 0 ]
t $? "RUMP_MEMLIMIT 256k .. 640k: made, or exit 1 with ENOMEM"

# ---- our driver ----
F=$B/bin/fsu_ls
if [ -x "$F" ]; then
	"$N" -V 0 -L mylabel -s 8m "$tmp/d.img"
	"$F" "$tmp/d.img" -a / > "$tmp/ls" 2>&1
	printf '.\n..\n' | cmp -s - "$tmp/ls"
	t $? "fsu_ls -a: the root holds . and .. only"
else
	skip 1 "fsu_ls not built"
fi

# ---- other readers: matrix of formats ----
matrix="1:le:4096:512:7m 1:be:8192:1024:33m 1:le:65536:8192:100m
2:le:4096:512:33m 2:be:16384:2048:7m 2:le:32768:4096:100m 2:be:65536:8192:1m"
if command -v fsstat >/dev/null 2>&1 && command -v fls >/dev/null 2>&1; then
	for m in $matrix; do
		IFS=: read -r v o b f s <<EOF
$m
EOF
		img=$tmp/tsk.img
		rm -f "$img"
		"$N" -V 0 -O "$v" -B "$o" -b "$b" -f "$f" -s "$s" "$img"
		fsstat -f "ufs$v" "$img" > "$tmp/fsstat" 2>&1
		grep -q "File System Type: UFS $v" "$tmp/fsstat" &&
		    grep -q "Block Size: $b" "$tmp/fsstat" &&
		    grep -q "Fragment Size: $f" "$tmp/fsstat" &&
		    grep -q "Num of Directories: 1" "$tmp/fsstat"
		t $? "fsstat accepts UFS$v $o $b/$f $s"
		fls -a -f "ufs$v" "$img" 2 > "$tmp/fls" 2>&1
		[ "$(grep -c '^d/d 2:' "$tmp/fls")" = 2 ] &&
		    ! grep -qv '^d/d 2:\|\$OrphanFiles' "$tmp/fls"
		t $? "fls: the root of UFS$v $o $b/$f holds . and .."
		istat -f "ufs$v" "$img" 2 > "$tmp/istat" 2>&1
		grep -q 'mode: drwxr-xr-x' "$tmp/istat" &&
		    grep -q 'num of links: 2' "$tmp/istat" &&
		    grep -q 'size: 512' "$tmp/istat"
		t $? "istat: inode 2 of UFS$v $o is a 0755 directory, 2 links"
	done
else
	skip 21 "sleuthkit (fsstat, fls, istat) is not installed"
fi
# GRUB reads UFS1 in both byte orders and UFS2 little-endian only.
if command -v grub-fstest >/dev/null 2>&1; then
	for m in $matrix; do
		IFS=: read -r v o b f s <<EOF
$m
EOF
		if [ "$v" = 2 ] && [ "$o" = be ]; then
			skip 1 "grub reads no big-endian UFS2"
			continue
		fi
		img=$tmp/grub.img
		rm -f "$img"
		"$N" -V 0 -O "$v" -B "$o" -b "$b" -f "$f" -s "$s" "$img"
		# "not found" means grub took the file system; an image it
		# does not know says "unknown filesystem".
		grub-fstest "$img" cat /nonexistent > "$tmp/grub" 2>&1
		grep -q "file .*/nonexistent' not found" "$tmp/grub" &&
		    grub-fstest "$img" ls / > /dev/null 2>&1
		t $? "grub-fstest reads UFS$v $o $b/$f $s"
	done
else
	skip 7 "grub-fstest (grub-common) is not installed"
fi
echo "1..$n"
