#!/bin/sh
# t_fsck_ffs.sh: fsck_ffs(8) against makefs(8) images.
#
# Images of a tree with many files, deep directories, hard links,
# short and long symlinks, a sparse file, a fifo and files with single
# and double indirect blocks, in UFS1 and UFS2, both byte orders and
# block sizes from 4 KiB to 64 KiB, check with no findings.  Copies
# damaged in exact places (h_ffsedit) must be reported (exit 8), be
# repaired by -y (exit 0, then a second check finds nothing), and still
# be read by our driver (fsu_ls -R, fsu_cat) with the undamaged files
# intact.  Preening, the clean flag, options and exit statuses; and
# images damaged at random must never crash or hang fsck_ffs, and a
# repair that says it succeeded must leave nothing to find.
B=${RUMP_BUILD:-build}
F=$B/bin/fsck_ffs
E=$B/tests/ffs/h_ffsedit
LS=$B/bin/fsu_ls
CAT=$B/bin/fsu_cat
command -v makefs >/dev/null 2>&1 || {
	echo "1..0 # SKIP makefs(8) is not installed (tools/deps.sh has it)"
	exit 0
}
for p in "$F" "$E" "$LS" "$CAT"; do
	[ -x "$p" ] || { echo "1..0 # SKIP $p not built"; exit 0; }
done
command -v perl >/dev/null 2>&1 || { echo "1..0 # SKIP no perl"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_fsck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
t() {	# t STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
# Findings in an fsck_ffs output: neither phases nor the summary.
findings() {
	grep -v -e '^\*\* ' -e ' files, .* used, .* free ' -e '^$' \
	    -e '^\*\*\*\*\* ' "$1"
}
# fsck_ffs IMAGE: exit 0 and no finding at all.
clean() {
	"$F" "$1" >"$tmp/clean.out" 2>&1 && ! findings "$tmp/clean.out" \
	    >/dev/null
}

# The tree.
src=$tmp/src
mkdir -p "$src/d/e" "$src/empty" "$src/many"
printf 'abc' >"$src/small"
printf 'hello\n' >"$src/d/f"
: >"$src/emptyfile"
head -c 307200 /dev/urandom >"$src/big"
head -c 5000000 /dev/urandom >"$src/huge"
dd if=/dev/urandom of="$src/sparse" bs=1 count=10 seek=400000 2>/dev/null
ln "$src/small" "$src/hard"
ln "$src/d/f" "$src/d/e/hard2"
ln -s d/f "$src/short"
ln -s "$(printf 'x%.0s' $(seq 1 200))" "$src/long"
mkfifo "$src/fifo"
i=0
while [ $i -lt 300 ]; do echo "file $i" >"$src/many/f$i"; i=$((i + 1)); done
p=$src/deep
i=0
while [ $i -lt 40 ]; do p=$p/d$i; i=$((i + 1)); done
mkdir -p "$p" && echo bottom >"$p/f"
nfiles=$(find "$src" | xargs stat -c %i | sort -u | wc -l)

# ---- clean images: nothing to find, nothing written by -y ----
for spec in "1 le 8192 1024" "2 be 8192 1024" "1 be 4096 512" "2 be 4096 512" \
    "2 le 4096 512" "1 le 16384 2048" "2 be 32768 4096" \
    "2 le 65536 8192" "1 be 65536 8192" "1 le 32768 32768"; do
	set -- $spec
	img=$tmp/u$1$2_$3.img
	makefs -t ffs -o version=$1,bsize=$3,fsize=$4 -B $2 -s 32m "$img" \
	    "$src" >/dev/null 2>&1
	"$F" "$img" >"$tmp/out" 2>&1
	st=$?
	[ $st = 0 ] && ! findings "$tmp/out" >/dev/null &&
	    grep -q "^$nfiles files, " "$tmp/out"
	t $? "UFS$1 $2 $3/$4: no findings, $nfiles files (exit $st)"
	cp "$img" "$tmp/before"
	"$F" -y "$img" >"$tmp/out" 2>&1 && ! grep -q MODIFIED "$tmp/out" &&
	    cmp -s "$img" "$tmp/before"
	t $? "UFS$1 $2 $3/$4: -y on a clean image writes nothing"
done

# where DIRSUFFIX NAME: the path of NAME in fsu_ls -R output ($tmp/ls.out)
# under a directory whose path ends in DIRSUFFIX.
where() {
	awk -v suf="$1" -v ent="$2" '
	    /:$/ { d = substr($0, 1, length($0) - 1); next }
	    $0 == ent && substr(d, length(d) - length(suf) + 1) == suf {
		print (d == "/" ? "" : d) "/" ent; exit }' "$tmp/ls.out"
}

# ---- damage in exact places ----
# damage BASE NAME PATTERN COMMAND...: the damage is found (exit 8,
# a line matching PATTERN), -n writes nothing, -y repairs (exit 0),
# a second check finds nothing, and our driver reads the tree.
damage() {
	base=$1 name=$2 pat=$3
	shift 3
	cp "$base" "$tmp/c.img"
	"$@" >/dev/null || { t 1 "$name: damaging the image"; return; }
	cp "$tmp/c.img" "$tmp/before"
	"$F" -n "$tmp/c.img" >"$tmp/n.out" 2>&1
	st=$?
	[ $st = 8 ] && grep -q -e "$pat" "$tmp/n.out" &&
	    cmp -s "$tmp/c.img" "$tmp/before"
	t $? "$name: found (exit $st), nothing written"
	[ $? = 0 ] || sed 's/^/# /' "$tmp/n.out"
	"$F" -y "$tmp/c.img" >"$tmp/y.out" 2>&1
	st=$?
	[ $st = 0 ] && grep -q 'FILE SYSTEM WAS MODIFIED' "$tmp/y.out" &&
	    ! grep -q 'not fixed' "$tmp/y.out"
	t $? "$name: repaired by -y (exit $st)"
	clean "$tmp/c.img"
	t $? "$name: a second check finds nothing"
	[ $? = 0 ] || sed 's/^/# /' "$tmp/clean.out"
	# Undamaged files, wherever the repair put them (a file whose
	# entry was lost is /lost+found/#inode).
	"$LS" "$tmp/c.img" -R / >"$tmp/ls.out" 2>&1
	sp=$(where '' sparse)
	[ -n "$sp" ] || sp=$(where /lost+found "#$sparse")
	"$LS" "$tmp/c.img" -R / >/dev/null 2>&1 &&
	    "$CAT" "$tmp/c.img" "$(where '' f123)" | grep -q '^file 123$' &&
	    "$CAT" "$tmp/c.img" "$(where /d39 f)" | grep -q '^bottom$' &&
	    "$CAT" "$tmp/c.img" "$sp" | cmp -s - "$src/sparse"
	t $? "$name: the driver reads the repaired tree"
}

for base in "$tmp/u1le_8192.img" "$tmp/u2be_4096.img"; do
	case $base in *u1*) v=UFS1;; *) v=UFS2;; esac
	small=$("$E" "$base" lookup 2 small)
	big=$("$E" "$base" lookup 2 big)
	huge=$("$E" "$base" lookup 2 huge)
	sparse=$("$E" "$base" lookup 2 sparse)
	dino=$("$E" "$base" lookup 2 d)
	f=$("$E" "$base" lookup "$dino" f)
	free=$("$E" "$base" freeino)
	hugeblk=$("$E" "$base" iget "$huge" db0)
	freefrag=$("$E" "$base" freefrag)
	nbfree=$("$E" "$base" cgget 0 nbfree)
	tnbfree=$("$E" "$base" sbget nbfree)

	damage "$base" "$v free map, a used fragment marked free" \
	    'used fragment(s) marked free' "$E" "$tmp/c.img" fragbit "$hugeblk"
	damage "$base" "$v free map, a free fragment marked used" \
	    'free fragment(s) marked in use' "$E" "$tmp/c.img" fragbit \
	    "$freefrag"
	damage "$base" "$v inode map, a file's inode marked free" \
	    "inode $small: allocated .* marked free in the inode map" \
	    "$E" "$tmp/c.img" inobit "$small"
	damage "$base" "$v inode map, a free inode marked used" \
	    "inode $free: marked in use, but unallocated" \
	    "$E" "$tmp/c.img" inobit "$free"
	damage "$base" "$v cs_nbfree of group 0" \
	    'cylinder group 0: counts' \
	    "$E" "$tmp/c.img" cgset 0 nbfree $((nbfree + 3))
	damage "$base" "$v fs_cstotal" 'superblock: totals' \
	    "$E" "$tmp/c.img" sbset nbfree $((tnbfree - 1))
	damage "$base" "$v a block claimed twice" \
	    'also claimed by another file' \
	    "$E" "$tmp/c.img" iset "$small" db0 "$("$E" "$base" iget "$f" db0)"
	damage "$base" "$v a link count off by one" \
	    "inode $big (file): link count 2, should be 1" \
	    "$E" "$tmp/c.img" iset "$big" nlink 2
	damage "$base" "$v an entry naming a free inode" \
	    "entry 'big' names unallocated inode $free" \
	    "$E" "$tmp/c.img" dirent 2 big ino "$free"
	"$CAT" "$tmp/c.img" "/lost+found/#$big" | cmp -s - "$src/big"
	t $? "$v the file it named is in /lost+found, intact"
	damage "$base" "$v a bad record length" 'bad entry (record length 13' \
	    "$E" "$tmp/c.img" dirent 2 short reclen 13
	damage "$base" "$v a bad d_type" "entry 'big' has type 4" \
	    "$E" "$tmp/c.img" dirent 2 big type 4
	"$CAT" "$tmp/c.img" /big | cmp -s - "$src/big"
	t $? "$v the file with the bad d_type reads back intact"
	damage "$base" "$v an unreferenced inode" \
	    "inode $huge (file, 5000000 bytes): unreferenced" \
	    "$E" "$tmp/c.img" dirent 2 huge ino 0
	"$CAT" "$tmp/c.img" "/lost+found/#$huge" | cmp -s - "$src/huge"
	t $? "$v the unreferenced file is reconnected, intact"
	damage "$base" "$v an indirect-block entry out of range" \
	    "inode $huge (file): data block 99999999 (logical block [0-9]*)" \
	    "$E" "$tmp/c.img" indir "$huge" 3 99999999
	"$CAT" "$tmp/c.img" /big | cmp -s - "$src/big"
	t $? "$v the other files read back intact"
	damage "$base" "$v an indirect pointer out of range" \
	    "inode $big (file): indirect block -5 (logical block 12) out" \
	    "$E" "$tmp/c.img" iset "$big" ib0 -5
	edir=$("$E" "$base" lookup "$dino" e)
	manyd=$("$E" "$base" lookup 2 many)
	damage "$base" "$v a hard link to a directory" \
	    "entry 'hard2' is an extra hard link to directory $manyd" \
	    "$E" "$tmp/c.img" dirent "$edir" hard2 ino "$manyd"
	damage "$base" "$v a directory cycle cut off from the root" \
	    "directory $dino .* is in a cycle not connected to the root" \
	    sh -c "'$E' '$tmp/c.img' dirent 2 d ino 0 &&
	    '$E' '$tmp/c.img' dirent $edir hard2 ino $dino"
	"$LS" "$tmp/c.img" "/lost+found/#$dino/e" >/dev/null 2>&1
	t $? "$v the cycle's directory is in /lost+found, its subtree with it"
	damage "$base" "$v an unreferenced empty file" \
	    "inode $free (file): unreferenced and empty" \
	    sh -c "'$E' '$tmp/c.img' iset $free mode 33188 &&
	    '$E' '$tmp/c.img' iset $free nlink 1 &&
	    '$E' '$tmp/c.img' inobit $free"
done

# Fragments larger than the superblock's offset (8192): it is still
# written where it was read, not at its fragment's start.
img=$tmp/u1le_32768.img
cp "$img" "$tmp/c.img"
"$E" "$tmp/c.img" sbset nbfree 5
"$F" -y "$tmp/c.img" >/dev/null 2>&1 && clean "$tmp/c.img" &&
    cmp -s -n 8192 "$img" "$tmp/c.img"
t $? "32 KiB fragments: fs_cstotal repaired in place, the boot area untouched"

# ---- the clean flag ----
img=$tmp/u1le_8192.img
cp "$img" "$tmp/c.img"
"$E" "$tmp/c.img" sbset clean 0
"$F" "$tmp/c.img" >"$tmp/out" 2>&1
st=$?
[ $st = 0 ] && grep -q 'was not marked clean' "$tmp/out"
t $? "a consistent file system not marked clean: said, exit 0 ($st)"
"$F" -y "$tmp/c.img" >"$tmp/out" 2>&1 &&
    grep -q 'FILE SYSTEM WAS MODIFIED' "$tmp/out" &&
    [ "$("$E" "$tmp/c.img" sbget clean)" = 1 ]
t $? "-y marks it clean"
"$F" -p "$tmp/c.img" >"$tmp/out" 2>&1 && grep -q ': clean, ' "$tmp/out" &&
    ! grep -q Phase "$tmp/out"
t $? "-p skips a clean file system"
"$F" -pf "$tmp/c.img" >"$tmp/out" 2>&1 &&
    grep -q "c.img: $nfiles files, " "$tmp/out"
t $? "-p -f checks it all the same"

# ---- preening ----
cp "$img" "$tmp/c.img"
"$E" "$tmp/c.img" sbset clean 0
"$E" "$tmp/c.img" fragbit "$("$E" "$img" freefrag)" >/dev/null
"$F" -p "$tmp/c.img" >"$tmp/out" 2>&1 &&
    grep -q 'c.img: cylinder group 0: 1 free fragment(s) marked in use' \
    "$tmp/out" && grep -q 'c.img: FILE SYSTEM WAS MODIFIED' "$tmp/out" &&
    clean "$tmp/c.img"
t $? "-p repairs a map, exit 0, then nothing to find"
cp "$img" "$tmp/c.img"
"$E" "$tmp/c.img" sbset clean 0
small=$("$E" "$img" lookup 2 small)
f=$("$E" "$img" lookup "$("$E" "$img" lookup 2 d)" f)
"$E" "$tmp/c.img" iset "$small" db0 "$("$E" "$img" iget "$f" db0)"
cp "$tmp/c.img" "$tmp/before"
"$F" -p "$tmp/c.img" >"$tmp/out" 2>&1
st=$?
[ $st = 8 ] && grep -q 'UNEXPECTED INCONSISTENCY' "$tmp/out" &&
    cmp -s "$tmp/c.img" "$tmp/before"
t $? "-p stops at a block claimed twice: exit 8 ($st), nothing written"

# ---- UFS2 lazy inode initialisation (3.4) ----
# Inodes past a group's cg_initediblk are garbage to be ignored; one
# marked in use there is a finding.
if [ -x "$B/bin/newfs" ] &&
    "$B/bin/newfs" -O 2 -s 64m "$tmp/lazy.img" >/dev/null 2>&1; then
	ipg=$("$E" "$tmp/lazy.img" info | sed 's/.* ipg=\([0-9]*\) .*/\1/')
	"$E" "$tmp/lazy.img" cgset 0 initediblk 64
	"$E" "$tmp/lazy.img" cgset 1 initediblk 0
	for i in 100 $((ipg + 5)); do
		o=$(($("$E" "$tmp/lazy.img" ioff $i) / 256))
		dd if=/dev/urandom of="$tmp/lazy.img" bs=256 count=1 \
		    conv=notrunc seek=$o 2>/dev/null
	done
	clean "$tmp/lazy.img"
	t $? "UFS2: garbage past cg_initediblk is not read"
	"$E" "$tmp/lazy.img" inobit 100 >/dev/null
	"$F" "$tmp/lazy.img" >"$tmp/out" 2>&1
	[ $? = 8 ] &&
	    grep -q 'inode 100: marked in use, but never initialised' \
	    "$tmp/out" && "$F" -y "$tmp/lazy.img" >/dev/null 2>&1 &&
	    clean "$tmp/lazy.img"
	t $? "UFS2: an inode past cg_initediblk marked in use: found, repaired"
	rm -f "$tmp/lazy.img"
else
	t 0 "lazy inode initialisation # SKIP no newfs"
	t 0 "lazy inode initialisation # SKIP no newfs"
fi

# ---- options and exit statuses ----
"$F" --help >"$tmp/out" 2>&1 && grep -q '^usage: fsck_ffs' "$tmp/out"
t $? "--help: usage on stdout, exit 0"
"$F" -x "$img" >/dev/null 2>&1
[ $? = 1 ]; t $? "an unknown option: exit 1"
"$F" -n -y "$img" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q '^fsck_ffs: -n and -y conflict' "$tmp/err"
t $? "-n with -y: exit 1, a message"
"$F" >/dev/null 2>&1
[ $? = 1 ]; t $? "no image: exit 1"
"$F" "$tmp/nonexistent.img" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q '^fsck_ffs: .*nonexistent.img: No such file' "$tmp/err"
t $? "a missing image: exit 1, a message"
head -c 1048576 /dev/zero >"$tmp/zero.img"
"$F" "$tmp/zero.img" >/dev/null 2>"$tmp/err"
[ $? = 8 ] && grep -q 'not an FFS' "$tmp/err"
t $? "a file that is no FFS: exit 8, a message"
chmod 444 "$tmp/c.img"
if [ "$(id -u)" != 0 ]; then
	"$F" -y "$tmp/c.img" >/dev/null 2>&1
	[ $? = 1 ]; t $? "-y on a read-only image: exit 1"
else
	t 0 "-y on a read-only image: # SKIP running as root"
fi

# Memory: proportional to the file system, and running out is an error.
if [ -x "$B/bin/newfs" ] &&
    "$B/bin/newfs" -O 1 -b 4096 -f 512 -s 2g "$tmp/large.img" >/dev/null 2>&1
then
	RUMP_MEMLIMIT=4m "$F" "$tmp/large.img" >/dev/null 2>"$tmp/err"
	[ $? = 1 ] && grep -q 'Cannot allocate memory' "$tmp/err"
	t $? "2 GiB of 512-byte fragments, 4 MiB of memory: ENOMEM, exit 1"
	RUMP_MEMLIMIT=32m "$F" "$tmp/large.img" >"$tmp/out" 2>&1
	t $? "... and in 32 MiB: checked, no findings"
	rm -f "$tmp/large.img"
else
	t 0 "memory limit # SKIP no newfs"
	t 0 "memory limit # SKIP no newfs"
fi

# ---- damage at random: no crash, no hang; repairs stick ----
# rnd IMAGE LO HI BYTES COUNT: COUNT copies, each with BYTES random
# bytes in [LO, HI); every run exits 0 or 8; after -y with exit 0 a
# second check exits 0.
rnd() {
	bad=0 runs=0 fixed=0
	s=1
	while [ $s -le "$5" ]; do
		cp "$1" "$tmp/r.img" || return 1
		perl -e 'srand($ARGV[0]); open(F, "+<", $ARGV[1]) or die;
		    binmode F; for (1 .. $ARGV[4]) {
		    seek(F, $ARGV[2] + int(rand($ARGV[3] - $ARGV[2])), 0);
		    print F chr(int(rand(256))); }' \
		    "$s" "$tmp/r.img" "$2" "$3" "$4"
		timeout 60 "$F" "$tmp/r.img" >/dev/null 2>&1
		a=$?
		timeout 60 "$F" -y "$tmp/r.img" >/dev/null 2>&1
		b=$?
		timeout 60 "$F" "$tmp/r.img" >/dev/null 2>&1
		c=$?
		runs=$((runs + 1))
		[ $b = 0 ] && fixed=$((fixed + 1))
		case $a$b in
		00|08|80|88) ;;
		*) bad=$((bad + 1)); echo "# seed $s: exits $a $b";;
		esac
		if [ $b = 0 ] && [ $c != 0 ]; then
			bad=$((bad + 1))
			echo "# seed $s: -y said it fixed all, recheck $c"
		fi
		s=$((s + 1))
	done
	[ $bad = 0 ]
}
u1=$tmp/u1le_8192.img
u2=$tmp/u2be_4096.img
rnd "$u1" 8192 200000 20 60
t $? "UFS1: 60 images with 20 random bytes in the metadata ($fixed repaired)"
rnd "$u2" 8192 400000 100 40
t $? "UFS2: 40 images with 100 random bytes in the metadata ($fixed repaired)"
rnd "$u2" 24576 28672 8 20
t $? "UFS2: 20 images with a damaged cylinder-group header ($fixed repaired)"
rnd "$u1" 0 33554432 2000 10
t $? "UFS1: 10 images with 2000 random bytes anywhere ($fixed repaired)"

if command -v valgrind >/dev/null 2>&1; then
	vbad=0
	for s in 1 2 3; do
		cp "$u1" "$tmp/r.img"
		perl -e 'srand($ARGV[0]); open(F, "+<", $ARGV[1]) or die;
		    binmode F; for (1 .. 50) {
		    seek(F, 8192 + int(rand(190000)), 0);
		    print F chr(int(rand(256))); }' "$s" "$tmp/r.img"
		for o in -n -y; do
			valgrind -q --error-exitcode=99 "$F" $o "$tmp/r.img" \
			    >/dev/null 2>"$tmp/vg"
			[ $? = 99 ] && { vbad=1; sed 's/^/# /' "$tmp/vg"; }
		done
	done
	[ $vbad = 0 ]
	t $? "valgrind: no memory errors checking and repairing damaged images"
else
	t 0 "valgrind # SKIP not installed"
fi
echo "1..$n"
