#!/bin/sh
# t_fsu_read.sh: the fs-utils that only read, each against its host
# counterpart on the tree makefs(8) built the image from: fsu_find
# against find, fsu_stat against stat, fsu_du against du, fsu_df against
# the image's own counts, fsu_get -r then diff -r, fsu_diff against
# diff -rq; then the error paths (missing files, not a directory, bad
# options, damaged images) and exit statuses.
B=${RUMP_BUILD:-build}
F=$B/bin
command -v makefs >/dev/null 2>&1 || {
	echo "1..0 # SKIP makefs(8) is not installed (tools/deps.sh installs it)"
	exit 0
}
[ -x "$F/fsu" ] || { echo "1..0 # SKIP $F/fsu not built"; exit 0; }
F=$(cd "$F" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_fsu_read.XXXXXX")
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC
umask 022
n=0
t() {	# t STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
same() {	# same WANT GOT DESCRIPTION: the files are equal
	if cmp -s "$1" "$2"; then t 0 "$3"; else
		t 1 "$3"; diff "$1" "$2" | head -10 | sed 's/^/# /'; fi
}

# The tree: the image's root holds it as /t, so that host commands run
# in $tmp/root and fsu commands in the image print the same paths.
root=$tmp/root
s=$root/t
mkdir -p "$s/docs/deep/deeper" "$s/empty" "$s/dir with space"
printf 'hello\n' > "$s/hello.txt"
printf 'secret\n' > "$s/.hidden"
: > "$s/zero"
head -c 200000 /dev/urandom > "$s/docs/random.bin"
head -c 5000000 /dev/urandom > "$s/big.bin"
printf 'deep\n' > "$s/docs/deep/file"
printf 'deeper\n' > "$s/docs/deep/deeper/x.TXT"
printf 'spaced\n' > "$s/dir with space/a b.txt"
ln "$s/hello.txt" "$s/hardlink"
ln -s hello.txt "$s/link"
ln -s docs/deep "$s/dirlink"
ln -s nowhere "$s/dangling"
mkfifo "$s/fifo"
chmod 0751 "$s/docs"
chmod 0600 "$s/.hidden"
chmod 4755 "$s/docs/deep/file"
touch -d '2020-02-03 04:05:06' "$s/docs/random.bin"
touch -d '2021-06-07 08:09:10' "$s/hello.txt"

img=$tmp/u2.img
makefs -t ffs -s 16m -o version=2 "$img" "$root" >/dev/null 2>&1
t $? "makefs UFS2 image of the tree"
img1=$tmp/u1be.img
makefs -t ffs -s 16m -o version=1 -B be "$img1" "$root" >/dev/null 2>&1
t $? "makefs UFS1 big-endian image of the tree"

# fsu_find against find, for each expression, on both images.
for i in "$img" "$img1"; do
	v=UFS2; [ "$i" = "$img1" ] && v=UFS1be
	fails=0
	while read -r expr; do
		(cd "$root" && eval "find t $expr") | sort > "$tmp/want"
		eval "\"\$F/fsu_find\" \"\$i\" t $expr" | sort > "$tmp/got"
		if ! cmp -s "$tmp/want" "$tmp/got"; then
			fails=$((fails + 1))
			echo "# fsu_find t $expr differs:"
			diff "$tmp/want" "$tmp/got" | head -5 | sed 's/^/# /'
		fi
	done <<-'EOF'

		-print
		-type f
		-type d
		-type l
		-type p
		-type f,l
		-name '*.txt'
		-iname '*.txt'
		-name 'h*' -o -name 'd*'
		! -type d
		-not -name '*.bin' -type f
		-maxdepth 1
		-mindepth 2
		-mindepth 1 -maxdepth 2 -type d
		-type f -size +100k
		-type f -size -2
		-type f -size 6c
		-type f -size +4M
		-empty
		\( -name docs -prune \) -o -print
		-path 't/docs/*'
		-links +1 -type f
		-perm -0751
		-perm /4000
		-perm 0600
		-newer t/docs/random.bin -type f
		-type f -mtime +365
		-type f -mmin -5
		-inum 0
		-false
		-true -a -type d
		-depth -type d
	EOF
	t $fails "$v: fsu_find prints what find prints for 32 expressions"
done
(cd "$root" && find t -depth) > "$tmp/want"
awk '{ seen[$0] = NR } END { for (p in seen) {
	d = p; while (sub(/\/[^\/]*$/, "", d)) if (d in seen && seen[d] < seen[p])
		{ print "parent before child: " p; exit 1 } } }' "$tmp/want" &&
"$F/fsu_find" "$img" t -depth | awk '{ seen[$0] = NR } END { for (p in seen) {
	d = p; while (sub(/\/[^\/]*$/, "", d)) if (d in seen && seen[d] < seen[p])
		exit 1 } }'
t $? "fsu_find -depth: every directory after its contents"
"$F/fsu_find" "$img" t/docs -print0 | tr '\0' '\n' | sort > "$tmp/got"
(cd "$root" && find t/docs) | sort > "$tmp/want"
same "$tmp/want" "$tmp/got" "fsu_find -print0 ends names with NUL"
"$F/fsu_find" "$img" | grep -qx './t/hello.txt'
t $? "fsu_find without a path walks . (the image's root)"
[ "$("$F/fsu_find" "$img" t -name hello.txt -quit -o -print | wc -l)" -le 20 ]
t $? "fsu_find -quit stops"
"$F/fsu_find" "$img" t -bogus >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^fsu_find: unknown predicate '-bogus'" "$tmp/err"
t $? "fsu_find: an unknown predicate, exit 2"
"$F/fsu_find" "$img" t -name >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "missing argument to '-name'" "$tmp/err"
t $? "fsu_find: a missing argument, exit 2"
"$F/fsu_find" "$img" t \( -name x >/dev/null 2>&1
[ $? -eq 2 ]; t $? "fsu_find: an unbalanced parenthesis, exit 2"
"$F/fsu_find" "$img" /nope t/zero >"$tmp/got" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_find: /nope: No such file or directory$' \
    "$tmp/err" && grep -qx 't/zero' "$tmp/got"
t $? "fsu_find: a missing path, exit 1; the others still walked"

# fsu_stat against stat: the fields both file systems keep (not the
# access time: makefs read the files after it was taken).
fields='%n|%s|%a|%A|%h|%u|%g|%Y|%F|%N'
(cd "$root" && find t ! -type d | sort | xargs -d '\n' stat -c "$fields") \
    > "$tmp/want"
(cd "$root" && find t ! -type d | sort) | xargs -d '\n' "$F/fsu_stat" "$img" \
    -c "$fields" > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_stat -c: size, modes, links, owners, times, type as stat's"
dfields='%n|%a|%A|%h|%u|%g|%F'
(cd "$root" && find t -type d | sort | xargs -d '\n' stat -c "$dfields") \
    > "$tmp/want"
(cd "$root" && find t -type d | sort) | xargs -d '\n' "$F/fsu_stat" "$img" \
    -c "$dfields" > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_stat -c on directories"
"$F/fsu_stat" "$img1" -c "$fields" t/hello.txt t/docs/deep/file > "$tmp/got"
(cd "$root" && stat -c "$fields" t/hello.txt t/docs/deep/file) > "$tmp/want"
same "$tmp/want" "$tmp/got" "fsu_stat -c on the UFS1 big-endian image"
# The default report: stat's lines, but for what differs between the
# file systems (device, inode, blocks, I/O size, names, birth, the
# access and change times, fractions of seconds makefs does not keep).
norm='s/Blocks: [0-9]* *IO Block: [0-9]* */Blocks: B IO Block: I /;
s/Device: [0-9a-f,]*\tInode: [0-9]* */Device: D Inode: N /;
s/Uid: ( *\([0-9]*\)\/[^)]*)/Uid: (\1)/; s/Gid: ( *\([0-9]*\)\/[^)]*)/Gid: (\1)/;
/^ Birth:/d; /^Access: [0-9]/d; /^Change:/d; s/\.[0-9]\{9\} / /;
/directory$/s/Size: [0-9]* */Size: S /'
fails=0
for f in t/hello.txt t/link t/docs t/fifo t/zero; do
	(cd "$root" && stat "$f") | sed "$norm" > "$tmp/want"
	"$F/fsu_stat" "$img" "$f" | sed "$norm" > "$tmp/got"
	cmp -s "$tmp/want" "$tmp/got" || { echo "# fsu_stat $f:"; diff \
	    "$tmp/want" "$tmp/got" | sed 's/^/# /'; fails=$((fails + 1)); }
done
t $fails "fsu_stat's default report is stat's (file, link, directory, fifo, empty)"
"$F/fsu_stat" "$img" t/hello.txt | grep -q '^Access: (0644/-rw-r--r--)  Uid: (    [0-9]*/ *[A-Za-z]*)   Gid: ('
t $? "fsu_stat: the Access line is laid out as stat's"
"$F/fsu_stat" "$img" -L -c '%F %s' t/link t/dirlink > "$tmp/got"
printf 'regular file 6\ndirectory %s\n' \
    "$("$F/fsu_stat" "$img" -c %s t/docs/deep)" > "$tmp/want"
same "$tmp/want" "$tmp/got" "fsu_stat -L follows links"
"$F/fsu_stat" "$img" --printf '%n\t%s\n%%\101\n' t/zero > "$tmp/got"
printf 't/zero\t0\n%%A\n' > "$tmp/want"
same "$tmp/want" "$tmp/got" "fsu_stat --printf: escapes, %%, no newline added"
"$F/fsu_stat" "$img" -c '%.3Y|%10s|%-4h|' t/hello.txt > "$tmp/got"
(cd "$root" && stat -c '%.3Y|%10s|%-4h|' t/hello.txt) > "$tmp/want"
same "$tmp/want" "$tmp/got" "fsu_stat: width, flags and precision as stat's"
"$F/fsu_stat" "$img" -f -c '%T %S %b %f %c %d' / > "$tmp/got"
"$F/fsu_df" "$img" -i | awk 'NR == 2 { print $2, $4 }' > "$tmp/inodes"
read -r typ frsize blocks bfree files ffree < "$tmp/got"
read -r dfi dffree < "$tmp/inodes"
[ "$typ" = ffs ] && [ "$files" = "$dfi" ] && [ "$ffree" = "$dffree" ] &&
    [ $((blocks * frsize)) -le 16777216 ] &&
    [ $((blocks * frsize)) -gt 15000000 ] && [ "$bfree" -lt "$blocks" ]
t $? "fsu_stat -f: type ffs, blocks within the image, inodes as fsu_df -i"
"$F/fsu_stat" "$img" -f / | grep -q '^    ID: [0-9a-f]* *Namelen: [0-9]* *Type: ffs$'
t $? "fsu_stat -f: the default report"
"$F/fsu_stat" "$img" /nope t/zero >"$tmp/got" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_stat: /nope: No such file or directory$' \
    "$tmp/err" && grep -q 'File: t/zero' "$tmp/got"
t $? "fsu_stat: a missing file, exit 1; the others still shown"
"$F/fsu_stat" "$img" t/zero/x 2>"$tmp/err" >/dev/null
[ $? -eq 1 ] && grep -q '^fsu_stat: t/zero/x: Not a directory$' "$tmp/err"
t $? "fsu_stat: a path through a file, Not a directory"

# fsu_du: sizes of files as du's; the totals as the blocks fsu_stat
# reports (each inode once); the layout of -s, -d, -c, -h.
(cd "$root" && du -ab t) | grep -v -e '/hardlink$' -e '/hello.txt$' |
    while IFS="$(printf '\t')" read -r sz p; do
	[ -d "$root/$p" ] || printf '%s\t%s\n' "$sz" "$p"; done |
    sort -k2 > "$tmp/want"
"$F/fsu_du" "$img" -ab t | grep -v -e '/hardlink$' -e '/hello.txt$' |
    while IFS="$(printf '\t')" read -r sz p; do
	[ -d "$root/$p" ] || printf '%s\t%s\n' "$sz" "$p"; done |
    sort -k2 > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_du -ab: every file's size as du -ab's"
"$F/fsu_du" "$img" -ab t | grep -c -e '/hardlink$' -e '/hello.txt$' |
    grep -qx 1
t $? "fsu_du -a: a file with two names counts once"
"$F/fsu_find" "$img" t | xargs -d '\n' "$F/fsu_stat" "$img" -c '%i %b' |
    awk '!seen[$1]++ { b += $2 } END { print int((b * 512 + 1023) / 1024) }' \
    > "$tmp/want"
"$F/fsu_du" "$img" -s t | cut -f1 > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_du -s: the blocks of every inode once, in KiB"
"$F/fsu_du" "$img" -s -b t | cut -f1 > "$tmp/got"
"$F/fsu_find" "$img" t | xargs -d '\n' "$F/fsu_stat" "$img" -c '%i %s' |
    awk '!seen[$1]++ { b += $2 } END { print b }' > "$tmp/want"
same "$tmp/want" "$tmp/got" "fsu_du -sb: the sizes of every inode once"
for f in t/docs/random.bin t/big.bin t/hello.txt t/zero; do
	printf '%s\n' "$(cd "$root" && du -h --apparent-size "$f")"
	printf '%s\n' "$(cd "$root" && du -k --apparent-size "$f")"
	printf '%s\n' "$(cd "$root" && du -m --apparent-size "$f")"
done > "$tmp/want"
for f in t/docs/random.bin t/big.bin t/hello.txt t/zero; do
	"$F/fsu_du" "$img" -h --apparent-size "$f"
	"$F/fsu_du" "$img" -k --apparent-size "$f"
	"$F/fsu_du" "$img" -m --apparent-size "$f"
done > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_du -h, -k, -m round as du's"
[ "$("$F/fsu_du" "$img" -d 1 t | wc -l)" -eq \
    "$(cd "$root" && find t -maxdepth 1 -type d | wc -l)" ] &&
    [ "$("$F/fsu_du" "$img" t | wc -l)" -eq \
    "$(cd "$root" && find t -type d | wc -l)" ] &&
    "$F/fsu_du" "$img" -c t/docs t/empty | tail -1 | grep -q '	total$' &&
    [ "$("$F/fsu_du" "$img" t | tail -1 | cut -f2)" = t ]
t $? "fsu_du: one line per directory (-d 1: per level), the operand last, -c total"
"$F/fsu_du" "$img" /nope >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_du: /nope: No such file or directory$' "$tmp/err"
t $? "fsu_du: a missing operand, exit 1"

# fsu_df: the image, its size, and the space and inodes in use.
"$F/fsu_df" "$img" > "$tmp/got"
used=$("$F/fsu_du" "$img" -s / | cut -f1)
awk -v img="$img" -v used="$used" 'NR == 1 { ok = $1 == "Filesystem" &&
	$2 == "1K-blocks" && $3 == "Used" && $4 == "Available" &&
	$5 == "Use%" && $6 == "Mounted" }
    NR == 2 { ok = ok && $1 == img && $2 > 15000 && $2 <= 16384 &&
	$3 == used && $3 + $4 <= $2 && $6 == "/" &&
	$5 == int(($3 * 100 + $3 + $4 - 1) / ($3 + $4)) "%" }
    END { exit !(ok && NR == 2) }' "$tmp/got"
t $? "fsu_df: the image's size, used as fsu_du -s /, use%, mounted on /"
uniq=$("$F/fsu_find" "$img" / | xargs -d '\n' "$F/fsu_stat" "$img" -c %i |
    sort -u | wc -l)
# FFS never gives out inodes 0 and 1: they count as used.
"$F/fsu_df" "$img" -i | awk -v u=$((uniq + 2)) 'NR == 1 { ok = $2 == "Inodes" }
    NR == 2 { ok = ok && $3 == u && $2 == $3 + $4 } END { exit !ok }'
t $? "fsu_df -i: inodes in use are the image's files"
"$F/fsu_df" "$img" -h -T | awk 'NR == 2 { exit !($2 == "ffs" &&
    $3 ~ /^[0-9.]+M$/ && $4 ~ /^[0-9.]+[KM]$/) }'
t $? "fsu_df -hT: the type, sizes for people"
"$F/fsu_df" "$img" t/zero /nope >"$tmp/got" 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l < "$tmp/got")" -eq 2 ] &&
    grep -q '^fsu_df: /nope: No such file or directory$' "$tmp/err"
t $? "fsu_df: one line per operand, a missing one exit 1"

# fsu_get: the tree back on the host, byte for byte, with modes, times,
# links.
out=$tmp/out
"$F/fsu_get" "$img" -r t "$out" 2>"$tmp/err"
t $? "fsu_get -r of the tree, exit 0"
[ ! -s "$tmp/err" ]; t $? "fsu_get: nothing on stderr when it is not a terminal"
# (GNU diff calls two fifos different, whatever they are.)
diff -r --no-dereference "$s" "$out" 2>&1 | grep -v ' is a fifo while file ' \
    > "$tmp/got"
same /dev/null "$tmp/got" "fsu_get -r then diff -r with the source tree: the same"
(cd "$s" && find . | sort | xargs -d '\n' stat -c '%n %a %Y %F %h') \
    > "$tmp/want"
(cd "$out" && find . | sort | xargs -d '\n' stat -c '%n %a %Y %F %h') \
    > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_get -r keeps modes, times, types, link counts"
[ "$(stat -c %i "$out/hello.txt")" = "$(stat -c %i "$out/hardlink")" ]
t $? "fsu_get -r keeps a hard link a hard link"
[ "$(readlink "$out/dirlink")" = docs/deep ] && [ -L "$out/dangling" ]
t $? "fsu_get -r keeps symbolic links, dangling ones too"
"$F/fsu_get" "$img" t/docs/random.bin t/link "$tmp" &&
    cmp -s "$tmp/random.bin" "$s/docs/random.bin" &&
    cmp -s "$tmp/link" "$s/hello.txt" && [ ! -L "$tmp/link" ]
t $? "fsu_get of files into a directory (a link operand followed)"
"$F/fsu_get" "$img" t/hello.txt "$tmp/renamed" && cmp -s "$tmp/renamed" "$s/hello.txt"
t $? "fsu_get of a file to a new name"
mkdir "$tmp/whole"
"$F/fsu_get" "$img" -r / "$tmp/whole" > "$tmp/got" 2>&1
diff -r --no-dereference "$s" "$tmp/whole/t" 2>&1 |
    grep -v ' is a fifo while file ' >> "$tmp/got"
[ ! -s "$tmp/got" ]
t $? "fsu_get -r / into a directory: the whole image"
"$F/fsu_get" "$img" t/docs "$tmp/x" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^fsu_get: -r not specified; omitting directory 't/docs'$" \
    "$tmp/err" && [ ! -e "$tmp/x" ]
t $? "fsu_get of a directory without -r: exit 1, nothing copied"
"$F/fsu_get" "$img" /nope t/zero "$tmp" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_get: /nope: No such file or directory$' \
    "$tmp/err" && [ -f "$tmp/zero" ]
t $? "fsu_get: a missing source, exit 1; the others copied"
"$F/fsu_get" "$img" t/zero t/hello.txt "$tmp/zero" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^fsu_get: $tmp/zero: Not a directory$" "$tmp/err"
t $? "fsu_get: several sources to a file, Not a directory"
if command -v script >/dev/null 2>&1; then
	script -qec "$F/fsu_get $img t/big.bin $tmp/big.tty" /dev/null \
	    > "$tmp/tty" 2>&1
	grep -q 'fsu_get: .*copied, .*/s' "$tmp/tty" && cmp -s "$tmp/big.tty" \
	    "$s/big.bin"
	t $? "fsu_get of 5 MB shows its progress on a terminal"
else
	t 0 "# SKIP script(1) is not installed"
fi

# fsu_diff: as diff -rq, between the host and the image and inside it.
# --no-dereference, since the tree has a dangling link.
"$F/fsu_diff" "$img" -H -r --no-dereference "$s" t > "$tmp/got"
[ $? -eq 0 ] && [ ! -s "$tmp/got" ]
t $? "fsu_diff -H -r of the source tree and the image: same, exit 0"
"$F/fsu_diff" "$img" -r t/dirlink t/docs/deep > "$tmp/got"
[ $? -eq 0 ] && [ ! -s "$tmp/got" ]
t $? "fsu_diff -r follows links"
mod=$tmp/mod
cp -a "$s" "$mod"
printf 'changed\n' > "$mod/docs/deep/file"
printf 'new\n' > "$mod/newfile"
rm "$mod/zero"
rm -r "$mod/empty"
printf 'x' >> "$mod/docs/random.bin"
rm "$mod/fifo"; mkdir "$mod/fifo"
ln -sf elsewhere "$mod/link"
(cd "$tmp" && diff -rq --no-dereference mod root/t) > "$tmp/want"
(cd "$tmp" && "$F/fsu_diff" "$img" -H -r --no-dereference mod t) > "$tmp/got"
[ $? -eq 1 ]; t $? "fsu_diff -H -r of a changed tree: exit 1"
sed 's, root/t, t,g' "$tmp/want" > "$tmp/want2"
same "$tmp/want2" "$tmp/got" "fsu_diff -r reports as diff -rq does"
(cd "$tmp" && diff -q --no-dereference mod root/t) | sed 's, root/t, t,g' \
    > "$tmp/want"
(cd "$tmp" && "$F/fsu_diff" "$img" -H --no-dereference mod t) > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_diff without -r: Common subdirectories, as diff -q"
"$F/fsu_diff" "$img" t/hello.txt t/hardlink && "$F/fsu_diff" "$img" t/link \
    t/hello.txt
t $? "fsu_diff of two equal image files (through a link): exit 0"
"$F/fsu_diff" "$img" t/hello.txt t/docs/deep/file > "$tmp/got"
[ $? -eq 1 ] && grep -qx 'Files t/hello.txt and t/docs/deep/file differ' "$tmp/got"
t $? "fsu_diff of two different image files: exit 1, Files X and Y differ"
"$F/fsu_diff" "$img" --no-dereference t/link t/dirlink > "$tmp/got"
[ $? -eq 1 ] && grep -qx 'Symbolic links t/link and t/dirlink differ' "$tmp/got"
t $? "fsu_diff --no-dereference compares links"
"$F/fsu_diff" "$img" -H "$s/hello.txt" t
t $? "fsu_diff of a file and a directory: the directory's entry of that name"
"$F/fsu_diff" "$img" t/nope t/zero >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^fsu_diff: t/nope: No such file or directory$' "$tmp/err"
t $? "fsu_diff of a missing file: exit 2"
"$F/fsu_diff" "$img" -r t t/dangling >/dev/null 2>&1
[ $? -eq 2 ]; t $? "fsu_diff of a dangling link: exit 2"
"$F/fsu_diff" "$img" t/zero >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q '^usage: fsu_diff' "$tmp/err"
t $? "fsu_diff with one operand: usage, exit 2"

# Every command: --help, a bad option, no operands.
cmds="ls cat cp get put mkdir rm rmdir mv ln chmod chown touch stat find du df
    write diff"
fails=0
for c in $cmds; do
	"$F/fsu_$c" --help > "$tmp/got" 2>&1 &&
	    grep -q "^usage: fsu_$c \[-t type\] \[-o options\] image" "$tmp/got" ||
	    { echo "# fsu_$c --help"; fails=$((fails + 1)); }
	"$F/fsu_$c" "$img" --help > "$tmp/got" 2>&1 &&
	    grep -q "^usage: fsu_$c" "$tmp/got" ||
	    { echo "# fsu_$c image --help"; fails=$((fails + 1)); }
	[ "$c" = find ] && continue	# a predicate, not an option
	"$F/fsu_$c" "$img" -Z t/zero t/zero t/zero >/dev/null 2>"$tmp/err"
	[ $? -eq 2 ] || { echo "# fsu_$c -Z: exit not 2"; fails=$((fails + 1)); }
	[ "$c" = chmod ] && continue	# -Z is a mode that does not parse
	grep -q "^usage: fsu_$c" "$tmp/err" ||
	    { echo "# fsu_$c -Z: no usage"; fails=$((fails + 1)); }
done
t $fails "every command: --help (exit 0, stdout); a bad option: exit 2 and the usage"
fails=0
for c in cat cp get put mkdir rm rmdir mv ln chmod chown touch stat write diff; do
	"$F/fsu_$c" "$img" >/dev/null 2>"$tmp/err"
	[ $? -eq 2 ] && grep -q "^usage: fsu_$c" "$tmp/err" ||
	    { echo "# fsu_$c without operands"; fails=$((fails + 1)); }
done
t $fails "every command that needs operands: without them, usage, exit 2"

# Images that are not, or are damaged.
head -c 1048576 /dev/zero > "$tmp/zeros.img"
fails=0
for c in stat find du df get diff; do
	"$F/fsu_$c" "$tmp/zeros.img" / / >/dev/null 2>"$tmp/err"
	[ $? -eq 2 ] && grep -q "^fsu_$c: .*zeros.img: not a file system image" \
	    "$tmp/err" || { echo "# fsu_$c on zeros"; fails=$((fails + 1)); }
done
t $fails "an image of zeros: every read command exits 2 with a message"
"$F/fsu_stat" "$tmp/nonexistent.img" / >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'nonexistent.img: No such file or directory' "$tmp/err"
t $? "a missing image: exit 2"
# Damage the image's inodes and directories (not its superblocks, so
# that it still mounts): every command ends, with a status, not a signal.
fails=0
for seed in 1 2 3 4 5 6; do
	cp "$img" "$tmp/bad.img"
	awk -v seed=$seed 'BEGIN { srand(seed); for (i = 0; i < 40; i++)
		printf "%d %d\n", 65536 + 8192 + int(rand() * 3000000),
		int(rand() * 256) }' |
	while read -r off byte; do
		printf "$(printf '\\%03o' "$byte")" | dd of="$tmp/bad.img" \
		    bs=1 seek="$off" conv=notrunc 2>/dev/null
	done
	for cmd in "find /" "du -a /" "stat t/hello.txt t/docs" "df /" \
	    "diff -r t t" "get -r t $tmp/badout$seed"; do
		# shellcheck disable=SC2086
		"$F/fsu_${cmd%% *}" "$tmp/bad.img" ${cmd#* } >/dev/null 2>&1
		st=$?
		[ $st -le 2 ] || { echo "# fsu_$cmd on damaged image $seed:" \
		    "status $st"; fails=$((fails + 1)); }
	done
done
t $fails "damaged images: find, du, stat, df, diff, get end cleanly"
echo "1..$n"
