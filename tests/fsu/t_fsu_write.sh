#!/bin/sh
# t_fsu_write.sh: the fs-utils that change an image, each against its
# host counterpart doing the same to a copy of the tree: fsu_put -r then
# fsu_diff and fsu_get back, fsu_cp, fsu_mkdir, fsu_rm, fsu_rmdir,
# fsu_mv, fsu_ln, fsu_chmod (the same modes as chmod gives), fsu_chown,
# fsu_touch, fsu_write; their error paths and exit statuses.  Skipped
# while the FFS driver cannot mount read-write.
B=${RUMP_BUILD:-build}
F=$B/bin
command -v makefs >/dev/null 2>&1 || {
	echo "1..0 # SKIP makefs(8) is not installed (tools/deps.sh installs it)"
	exit 0
}
[ -x "$F/fsu" ] || { echo "1..0 # SKIP $F/fsu not built"; exit 0; }
F=$(cd "$F" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_fsu_write.XXXXXX")
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
mkdir "$tmp/empty"
newimg() {	# newimg PATH [makefs options]: an empty 64 MB image
	p=$1; shift
	makefs -t ffs -s 64m -f 2000 "$@" "$p" "$tmp/empty" >/dev/null 2>&1
}

newimg "$tmp/probe.img"
if ! "$F/fsu_mkdir" "$tmp/probe.img" /probe 2>"$tmp/err"; then
	if grep -q 'Read-only file system' "$tmp/err"; then
		echo "1..0 # SKIP ffs read-write not available"
		exit 0
	fi
	cat "$tmp/err" | sed 's/^/# /'
fi

# The tree to put, as in t_fsu_read.sh, and a sparse file.
s=$tmp/src
mkdir -p "$s/docs/deep" "$s/empty" "$s/dir with space"
printf 'hello\n' > "$s/hello.txt"
printf 'secret\n' > "$s/.hidden"
: > "$s/zero"
head -c 300000 /dev/urandom > "$s/docs/random.bin"
head -c 6000000 /dev/urandom > "$s/big.bin"
printf 'deep\n' > "$s/docs/deep/file"
printf 'spaced\n' > "$s/dir with space/a b.txt"
ln "$s/hello.txt" "$s/hardlink"
ln -s hello.txt "$s/link"
ln -s nowhere "$s/dangling"
mkfifo "$s/fifo"
truncate -s 8M "$s/sparse"
printf 'middle' | dd of="$s/sparse" bs=1 seek=4000000 conv=notrunc 2>/dev/null
chmod 0751 "$s/docs"
chmod 0600 "$s/.hidden"
chmod 2755 "$s/docs/deep"
chmod 0555 "$s/empty"
touch -d '2020-02-03 04:05:06' "$s/docs/random.bin"
touch -d '2019-01-01 00:00:00' "$s/docs"

for v in 1 2; do
	img=$tmp/u$v.img
	newimg "$img" -o version=$v
	"$F/fsu_put" "$img" -r "$s" /t 2>"$tmp/err"
	[ $? -eq 0 ] && [ ! -s "$tmp/err" ]
	t $? "UFS$v: fsu_put -r of a tree, exit 0, nothing on stderr"
	"$F/fsu_diff" "$img" -H -r --no-dereference "$s" /t > "$tmp/got"
	[ $? -eq 0 ] && [ ! -s "$tmp/got" ]
	t $? "UFS$v: fsu_diff -H -r finds the image's copy the same"
	(cd "$s" && find . | sort | xargs -d '\n' stat -c '%n %a %Y %F %h %u %g') \
	    > "$tmp/want"
	(cd "$s" && find . | sort | sed 's,^\.,/t,') | xargs -d '\n' \
	    "$F/fsu_stat" "$img" -c '%n %a %Y %F %h %u %g' |
	    sed 's,^/t,.,' > "$tmp/got"
	same "$tmp/want" "$tmp/got" "UFS$v: fsu_put keeps modes, times, types, links, owners"
done
"$F/fsu_stat" "$img" -c '%i' /t/hello.txt /t/hardlink | uniq | wc -l |
    grep -qx 1
t $? "fsu_put: a hard link stays a hard link"
"$F/fsu_cat" "$img" /t/sparse | cmp -s - "$s/sparse" &&
    [ "$("$F/fsu_stat" "$img" -c %b /t/sparse)" -lt 1000 ]
t $? "fsu_put: a sparse file keeps its holes (and its contents)"
"$F/fsu_cat" "$img" /t/big.bin | cmp -s - "$s/big.bin"
t $? "fsu_put: a 6 MB file byte for byte"
rm -rf "$tmp/back"
"$F/fsu_get" "$img" -r /t "$tmp/back" &&
    diff -r --no-dereference "$s" "$tmp/back" 2>&1 |
    grep -v ' is a fifo while file ' > "$tmp/got"
same /dev/null "$tmp/got" "fsu_get -r of what fsu_put -r put: diff -r finds no change"
[ "$(du -k "$tmp/back/sparse" | cut -f1)" -lt 1000 ]
t $? "fsu_get: the sparse file is sparse on the host too"
before=$("$F/fsu_df" "$img" | awk 'NR == 2 { print $3 }')
head -c 3000000 /dev/urandom > "$tmp/3m"
"$F/fsu_put" "$img" "$tmp/3m" /3m
after=$("$F/fsu_df" "$img" | awk 'NR == 2 { print $3 }')
[ $((after - before)) -ge 2929 ] && [ $((after - before)) -le 3100 ]
t $? "fsu_df: 3 MB put, about 3 MB more used ($before -> $after)"
"$F/fsu_put" "$img" /nonexistent "$tmp/3m" /t 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_put: /nonexistent: No such file or directory$' \
    "$tmp/err" && "$F/fsu_cat" "$img" /t/3m | cmp -s - "$tmp/3m"
t $? "fsu_put: a missing source, exit 1; the others put"
"$F/fsu_put" "$img" "$tmp/3m" /t/hello.txt/x 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_put: /t/hello.txt/x: Not a directory$' "$tmp/err"
t $? "fsu_put into a path through a file: Not a directory, exit 1"
"$F/fsu_put" "$img" "$s/docs" /d2 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "omitting directory" "$tmp/err"
t $? "fsu_put of a directory without -r: exit 1"
"$F/fsu_put" "$img" "$s/big.bin" /big2 2>"$tmp/err" && [ ! -s "$tmp/err" ]
t $? "fsu_put: no progress when stderr is not a terminal"
if command -v script >/dev/null 2>&1; then
	script -qec "$F/fsu_put $img $s/big.bin /big3" /dev/null > "$tmp/tty" 2>&1
	grep -q 'fsu_put: .*copied, .*/s' "$tmp/tty"
	t $? "fsu_put of 6 MB shows its progress on a terminal"
else
	t 0 "# SKIP script(1) is not installed"
fi
small=$tmp/small.img
makefs -t ffs -s 2m "$small" "$tmp/empty" >/dev/null 2>&1
"$F/fsu_put" "$small" "$s/big.bin" /big 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_put: /big: No space left on device$' "$tmp/err"
t $? "fsu_put into a full image: No space left on device, exit 1"

# fsu_cp inside the image.
"$F/fsu_cp" "$img" /t/docs/random.bin /copy.bin &&
    "$F/fsu_cat" "$img" /copy.bin | cmp -s - "$s/docs/random.bin"
t $? "fsu_cp of a file: the same bytes"
[ "$("$F/fsu_stat" "$img" -c %Y /copy.bin)" != \
    "$("$F/fsu_stat" "$img" -c %Y /t/docs/random.bin)" ] &&
    [ "$("$F/fsu_stat" "$img" -c %a /copy.bin)" = 644 ]
t $? "fsu_cp without -p: a new time, the mode less the umask"
"$F/fsu_cp" "$img" -p /t/docs/random.bin /copyp.bin &&
    [ "$("$F/fsu_stat" "$img" -c '%Y %a' /copyp.bin)" = \
    "$("$F/fsu_stat" "$img" -c '%Y %a' /t/docs/random.bin)" ]
t $? "fsu_cp -p keeps the time and mode"
"$F/fsu_cp" "$img" -R /t /t2 && "$F/fsu_diff" "$img" -r --no-dereference /t /t2
t $? "fsu_cp -R of the tree: fsu_diff -r finds them the same"
"$F/fsu_cp" "$img" -a /t /t3 && "$F/fsu_stat" "$img" -c '%i' /t3/hello.txt \
    /t3/hardlink | uniq | wc -l | grep -qx 1 &&
    [ "$("$F/fsu_stat" "$img" -c '%Y' /t3/docs)" = \
    "$("$F/fsu_stat" "$img" -c '%Y' /t/docs)" ]
t $? "fsu_cp -a keeps hard links and directory times"
"$F/fsu_cp" "$img" /t/hello.txt /t/zero /t2/docs/deep &&
    "$F/fsu_cat" "$img" /t2/docs/deep/hello.txt | cmp -s - "$s/hello.txt"
t $? "fsu_cp of files into a directory"
"$F/fsu_cp" "$img" -R /t /t/docs/deep 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^fsu_cp: cannot copy a directory, '/t', into itself, '/t/docs/deep/t'$" \
    "$tmp/err"
t $? "fsu_cp -R of a directory into itself: refused, exit 1"
"$F/fsu_cp" "$img" /t /t4 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^fsu_cp: -r not specified; omitting directory '/t'$" \
    "$tmp/err"
t $? "fsu_cp of a directory without -R: exit 1"
"$F/fsu_cp" "$img" /t/hello.txt /t/hello.txt 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "are the same file" "$tmp/err"
t $? "fsu_cp of a file onto itself: refused"
"$F/fsu_cp" "$img" /nope /x 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_cp: /nope: No such file or directory$' "$tmp/err"
t $? "fsu_cp of a missing file: exit 1"

# fsu_mkdir, fsu_rmdir, fsu_rm.
"$F/fsu_mkdir" "$img" -p /a/b/c /a/b/d && "$F/fsu_mkdir" "$img" -p /a/b &&
    "$F/fsu_stat" "$img" -c '%F %a' /a/b/c /a/b/d | uniq | grep -qx 'directory 755'
t $? "fsu_mkdir -p: parents made, existing ones accepted"
"$F/fsu_mkdir" "$img" /a 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_mkdir: /a: File exists$' "$tmp/err"
t $? "fsu_mkdir of an existing name: File exists, exit 1"
"$F/fsu_mkdir" "$img" /x/y 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_mkdir: /x/y: No such file or directory$' "$tmp/err"
t $? "fsu_mkdir without a parent: exit 1"
"$F/fsu_mkdir" "$img" -p /t/hello.txt/x 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'Not a directory$' "$tmp/err"
t $? "fsu_mkdir -p through a file: Not a directory"
"$F/fsu_mkdir" "$img" -m 1700 /m1 && "$F/fsu_mkdir" "$img" -m u=rwx,g=rx /m2 &&
    [ "$("$F/fsu_stat" "$img" -c %a /m1 /m2 | tr '\n' ' ')" = "1700 757 " ]
t $? "fsu_mkdir -m: octal and symbolic modes, not limited by the umask"
"$F/fsu_rmdir" "$img" /a 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_rmdir: /a: Directory not empty$' "$tmp/err"
t $? "fsu_rmdir of a full directory: exit 1"
"$F/fsu_rmdir" "$img" -p /a/b/c 2>/dev/null; "$F/fsu_rmdir" "$img" /a/b/d &&
    "$F/fsu_rmdir" "$img" -p /a/b && ! "$F/fsu_stat" "$img" /a 2>/dev/null
t $? "fsu_rmdir -p removes the parents"
"$F/fsu_rm" "$img" /t2 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_rm: /t2: Is a directory$' "$tmp/err"
t $? "fsu_rm of a directory without -r: exit 1"
"$F/fsu_rm" "$img" -r /t2 /t3 && ! "$F/fsu_stat" "$img" /t2 2>/dev/null &&
    ! "$F/fsu_stat" "$img" /t3 2>/dev/null
t $? "fsu_rm -r removes trees"
"$F/fsu_rm" "$img" /copy.bin /nope 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_rm: /nope: No such file or directory$' "$tmp/err" &&
    ! "$F/fsu_stat" "$img" /copy.bin 2>/dev/null
t $? "fsu_rm of a missing file: exit 1, the others removed"
"$F/fsu_rm" "$img" -f /nope /copyp.bin
t $? "fsu_rm -f of a missing file: exit 0"
"$F/fsu_rm" "$img" -r / 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "dangerous to operate recursively on '/'" "$tmp/err" &&
    "$F/fsu_stat" "$img" /t >/dev/null
t $? "fsu_rm -r /: refused"
"$F/fsu_rm" "$img" -r /t/. 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "refusing to remove '.' or '..'" "$tmp/err"
t $? "fsu_rm -r of .: refused"
"$F/fsu_mkdir" "$img" /d && "$F/fsu_rm" "$img" -d /d
t $? "fsu_rm -d of an empty directory"

# fsu_mv, fsu_ln.
"$F/fsu_cp" "$img" /t/hello.txt /h1 && "$F/fsu_mv" "$img" /h1 /h2 &&
    ! "$F/fsu_stat" "$img" /h1 2>/dev/null && "$F/fsu_cat" "$img" /h2 |
    cmp -s - "$s/hello.txt"
t $? "fsu_mv renames"
"$F/fsu_mkdir" "$img" /into && "$F/fsu_mv" "$img" /h2 /3m /into &&
    "$F/fsu_ls" "$img" /into | tr '\n' ' ' | grep -qx '3m h2 '
t $? "fsu_mv of files into a directory"
"$F/fsu_cp" "$img" /t/zero /z && "$F/fsu_mv" "$img" /z /into/h2 &&
    [ "$("$F/fsu_stat" "$img" -c %s /into/h2)" = 0 ]
t $? "fsu_mv onto an existing file replaces it"
"$F/fsu_mv" "$img" -n /t/hello.txt /into/h2 &&
    [ "$("$F/fsu_stat" "$img" -c %s /into/h2)" = 0 ]
t $? "fsu_mv -n leaves an existing file alone"
"$F/fsu_mv" "$img" /into /into/sub 2>"$tmp/err"
[ $? -eq 1 ] && [ -s "$tmp/err" ]
t $? "fsu_mv of a directory into itself: exit 1"
"$F/fsu_mv" "$img" /nope /x 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_mv: /nope: No such file or directory$' "$tmp/err"
t $? "fsu_mv of a missing file: exit 1"
"$F/fsu_ln" "$img" /t/hello.txt /hl && [ "$("$F/fsu_stat" "$img" -c '%h %i' \
    /hl)" = "$("$F/fsu_stat" "$img" -c '%h %i' /t/hello.txt)" ] &&
    [ "$("$F/fsu_stat" "$img" -c %h /hl)" = 3 ]
t $? "fsu_ln makes a hard link"
"$F/fsu_ln" "$img" -s t/hello.txt /sl && [ "$("$F/fsu_stat" "$img" -c %N /sl)" = \
    "'/sl' -> 't/hello.txt'" ] && "$F/fsu_cat" "$img" /sl | cmp -s - "$s/hello.txt"
t $? "fsu_ln -s makes a symbolic link, the target as given"
"$F/fsu_ln" "$img" -s x /sl 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_ln: /sl: File exists$' "$tmp/err"
t $? "fsu_ln onto an existing name: File exists, exit 1"
"$F/fsu_ln" "$img" -sf x /sl && [ "$("$F/fsu_stat" "$img" -c %N /sl)" = \
    "'/sl' -> 'x'" ]
t $? "fsu_ln -sf replaces it"
"$F/fsu_ln" "$img" /t/docs /dl 2>"$tmp/err"
[ $? -eq 1 ] && [ -s "$tmp/err" ]
t $? "fsu_ln of a directory (hard): refused, exit 1"
"$F/fsu_ln" "$img" -s /t/hello.txt /t/zero /into && "$F/fsu_stat" "$img" -c %F \
    /into/hello.txt /into/zero | uniq | grep -qx 'symbolic link'
t $? "fsu_ln -s of several targets into a directory"

# fsu_chmod: the same modes as chmod gives, file and directory.
modes='755 0600 4755 u+x go-w a=rX,u+w g+s o-r 1777 -x +w u=g a-rwx,u+r
    o=u,g-x ug=rw,o= +t 02711 u-s,g='
mkdir "$tmp/cm"
"$F/fsu_mkdir" "$img" /cm
i=0
for m in $modes; do
	i=$((i + 1))
	: > "$tmp/cm/f$i"
	mkdir "$tmp/cm/d$i"
	chmod 0640 "$tmp/cm/f$i" "$tmp/cm/d$i"
	chmod -- "$m" "$tmp/cm/f$i" "$tmp/cm/d$i"
	ilist="$ilist /cm/f$i"
	dlist="$dlist /cm/d$i"
done
# shellcheck disable=SC2086
"$F/fsu_touch" "$img" $ilist && "$F/fsu_mkdir" "$img" $dlist &&
    "$F/fsu_chmod" "$img" 0640 $ilist $dlist
i=0
for m in $modes; do
	i=$((i + 1))
	"$F/fsu_chmod" "$img" -- "$m" /cm/f$i /cm/d$i
done
# shellcheck disable=SC2086
(cd "$tmp" && stat -c '%n %a' $(echo $ilist $dlist | sed 's,/cm,cm,g') |
    sed 's,^,/,') > "$tmp/want"
# shellcheck disable=SC2086
"$F/fsu_stat" "$img" -c '%n %a' $ilist $dlist > "$tmp/got"
fails=0
cmp -s "$tmp/want" "$tmp/got" || { fails=1; diff "$tmp/want" "$tmp/got" |
    sed 's/^/# /'; }
t $fails "fsu_chmod gives what chmod gives, for 18 modes on files and directories"
rm -rf "$tmp/r"; cp -a "$s" "$tmp/r"; chmod -R go-rwx,u+rwX "$tmp/r"
"$F/fsu_chmod" "$img" -R go-rwx,u+rwX /t
(cd "$tmp/r" && find . ! -type l | sort | xargs -d '\n' stat -c '%n %a') \
    > "$tmp/want"
(cd "$tmp/r" && find . ! -type l | sort | sed 's,^\.,/t,') | xargs -d '\n' \
    "$F/fsu_stat" "$img" -c '%n %a' | sed 's,^/t,.,' > "$tmp/got"
same "$tmp/want" "$tmp/got" "fsu_chmod -R as chmod -R"
"$F/fsu_chmod" "$img" -w /t/hello.txt && [ "$("$F/fsu_stat" "$img" -c %a \
    /t/hello.txt)" = 400 ]
t $? "fsu_chmod -w: a mode, not an option"
"$F/fsu_chmod" "$img" u+q /t/hello.txt 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "invalid mode" "$tmp/err"
t $? "fsu_chmod of a bad mode: exit 2"
"$F/fsu_chmod" "$img" 644 /nope 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_chmod: /nope: No such file or directory$' "$tmp/err"
t $? "fsu_chmod of a missing file: exit 1"

# fsu_chown: numbers, and names from the image's /etc.
"$F/fsu_chown" "$img" 1234:567 /t/zero && "$F/fsu_chown" "$img" :89 /t/hello.txt &&
    "$F/fsu_chown" "$img" 42 /t/docs/random.bin &&
    [ "$("$F/fsu_stat" "$img" -c '%u:%g' /t/zero /t/hello.txt \
    /t/docs/random.bin | tr '\n' ' ')" = "1234:567 0:89 42:0 " ]
t $? "fsu_chown owner:group, :group, owner"
"$F/fsu_chown" "$img" -R 7:8 /t/docs &&
    "$F/fsu_find" "$img" /t/docs | xargs -d '\n' "$F/fsu_stat" "$img" \
    -c '%u:%g' | sort -u | grep -qx '7:8'
t $? "fsu_chown -R"
"$F/fsu_chown" "$img" -h 9:9 /t/link && [ "$("$F/fsu_stat" "$img" \
    -c '%u:%g' /t/link /t/hello.txt | tr '\n' ' ')" = "9:9 0:89 " ] &&
    "$F/fsu_chown" "$img" 5:5 /t/link && [ "$("$F/fsu_stat" "$img" \
    -c '%u:%g' /t/link /t/hello.txt | tr '\n' ' ')" = "9:9 5:5 " ]
t $? "fsu_chown -h changes the link, without it the target"
printf 'root:x:0:0::/:/bin/sh\nalice:x:1001:1002::/home/alice:/bin/sh\n' |
    "$F/fsu_write" "$img" /etc/passwd 2>/dev/null ||
    { "$F/fsu_mkdir" "$img" /etc && printf 'root:x:0:0::/:/bin/sh\nalice:x:1001:1002::/home/alice:/bin/sh\n' |
    "$F/fsu_write" "$img" /etc/passwd; }
printf 'wheel:x:0:\nstaff:x:1002:alice\nops:x:77:\n' | "$F/fsu_write" "$img" /etc/group
"$F/fsu_chown" "$img" alice:ops /t/zero && "$F/fsu_chown" "$img" alice: \
    /t/hello.txt && [ "$("$F/fsu_stat" "$img" -c '%u:%g %U:%G' /t/zero \
    /t/hello.txt | tr '\n' ' ')" = "1001:77 alice:ops 1001:1002 alice:staff " ]
t $? "fsu_chown and fsu_stat: names from the image's /etc/passwd and /etc/group"
"$F/fsu_chown" "$img" nobody /t/zero 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "invalid user: 'nobody'" "$tmp/err"
t $? "fsu_chown of an unknown user: exit 2"

# fsu_touch.
"$F/fsu_touch" "$img" /new && [ "$("$F/fsu_stat" "$img" -c '%F %a' /new)" = \
    "regular empty file 644" ]
t $? "fsu_touch creates an empty file"
"$F/fsu_touch" "$img" -c /not 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
    ! "$F/fsu_stat" "$img" /not 2>/dev/null
t $? "fsu_touch -c does not"
"$F/fsu_touch" "$img" -d '2021-02-03 04:05:06.5' /new &&
    [ "$("$F/fsu_stat" "$img" -c '%.1X %.1Y' /new)" = \
    "$(date -d '2021-02-03 04:05:06' +%s).5 $(date -d '2021-02-03 04:05:06' +%s).5" ]
t $? "fsu_touch -d sets both times"
"$F/fsu_touch" "$img" -m -t 202201020304.05 /new &&
    [ "$("$F/fsu_stat" "$img" -c '%X %Y' /new)" = \
    "$(date -d '2021-02-03 04:05:06' +%s) $(date -d '2022-01-02 03:04:05' +%s)" ]
t $? "fsu_touch -m -t sets the modification time only"
"$F/fsu_touch" "$img" -a -d @1000000000 /new &&
    [ "$("$F/fsu_stat" "$img" -c '%X %Y' /new)" = \
    "1000000000 $(date -d '2022-01-02 03:04:05' +%s)" ]
t $? "fsu_touch -a -d @seconds sets the access time only"
"$F/fsu_touch" "$img" -r /t/docs/random.bin /new &&
    [ "$("$F/fsu_stat" "$img" -c %Y /new)" = "$(stat -c %Y "$s/docs/random.bin")" ]
t $? "fsu_touch -r takes another file's times"
"$F/fsu_touch" "$img" -d '2021-02-30' /new 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'invalid date' "$tmp/err"
t $? "fsu_touch of a date that does not exist: exit 2"
"$F/fsu_touch" "$img" /nodir/x 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_touch: /nodir/x: No such file or directory$' "$tmp/err"
t $? "fsu_touch in a missing directory: exit 1"

# fsu_write.
head -c 2500000 /dev/urandom > "$tmp/in"
"$F/fsu_write" "$img" /w < "$tmp/in" && "$F/fsu_cat" "$img" /w | cmp -s - "$tmp/in"
t $? "fsu_write: standard input into a file"
printf 'tail\n' | "$F/fsu_write" "$img" -a /w &&
    { cat "$tmp/in"; printf 'tail\n'; } > "$tmp/want" &&
    "$F/fsu_cat" "$img" /w | cmp -s - "$tmp/want"
t $? "fsu_write -a appends"
printf 'short\n' | "$F/fsu_write" "$img" /w && [ "$("$F/fsu_cat" "$img" /w)" = short ]
t $? "fsu_write truncates"
printf 'x' | "$F/fsu_write" "$img" /t 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_write: /t: Is a directory$' "$tmp/err"
t $? "fsu_write onto a directory: exit 1"

# Read-only when asked, and what remains is still what fsu_get finds.
"$F/fsu_mkdir" -o ro "$img" /ro 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_mkdir: /ro: Read-only file system$' "$tmp/err"
t $? "-o ro: a writing command fails with Read-only file system"
# An image that is not clean: the driver mounts it read-only, so the
# writing commands stop at once unless -o force.
newimg "$tmp/unclean.img"
printf '\0' | dd of="$tmp/unclean.img" bs=1 seek=$((8192 + 209)) \
    conv=notrunc 2>/dev/null	# UFS1 fs_clean
"$F/fsu_mkdir" "$tmp/unclean.img" /x >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'unclean.img: the file system can only be mounted read-only' \
    "$tmp/err"
t $? "an image that is not clean: a writing command exits 2, says why"
"$F/fsu_mkdir" -o force "$tmp/unclean.img" /x 2>/dev/null &&
    "$F/fsu_stat" "$tmp/unclean.img" -c %F /x | grep -qx directory &&
    "$F/fsu_ls" "$tmp/unclean.img" /x >/dev/null 2>&1
t $? "-o force writes it anyway"
cp "$img" "$tmp/copy.img"
"$F/fsu_find" "$img" / | sort > "$tmp/want"
"$F/fsu_find" "$tmp/copy.img" / | sort > "$tmp/got"
same "$tmp/want" "$tmp/got" "the image after all this still mounts and walks"
echo "1..$n"
