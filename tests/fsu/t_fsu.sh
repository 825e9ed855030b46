#!/bin/sh
# t_fsu.sh: the fs-utils against a makefs(8) image of a known tree:
# fsu_ls lists what ls(1) lists, fsu_cat prints what cat(1) prints, and
# the exit statuses and messages follow the POSIX tools.
B=${RUMP_BUILD:-build}
F=$B/bin
command -v makefs >/dev/null 2>&1 || {
	echo "1..0 # SKIP makefs(8) is not installed (tools/deps.sh installs it)"
	exit 0
}
[ -x "$F/fsu" ] || { echo "1..0 # SKIP $F/fsu not built"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_fsu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
t() {	# t PASS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

src=$tmp/src
mkdir -p "$src/docs/deep" "$src/empty"
printf 'hello\n' > "$src/hello.txt"
printf 'secret\n' > "$src/.hidden"
head -c 200000 /dev/urandom > "$src/docs/random.bin"
printf 'deep\n' > "$src/docs/deep/file"
ln -s hello.txt "$src/link"
chmod 0751 "$src/docs"
for v in 1 2; do
	img=$tmp/u$v.img
	makefs -t ffs -s 4m -o version=$v "$img" "$src" >/dev/null 2>&1
	t $? "makefs UFS$v image"

	(cd "$src" && LC_ALL=C ls -A) > "$tmp/want"
	"$F/fsu_ls" "$img" -A > "$tmp/got" 2>"$tmp/err"
	cmp -s "$tmp/want" "$tmp/got"; t $? "UFS$v: fsu_ls -A / lists what ls -A lists"
	(cd "$src/docs" && LC_ALL=C ls) > "$tmp/want"
	"$F/fsu" ls "$img" /docs > "$tmp/got"
	cmp -s "$tmp/want" "$tmp/got"; t $? "UFS$v: fsu ls /docs (multi-call form)"

	# Long format: mode, links, numeric owner, name as ls -ln, and the
	# size of regular files (directory sizes are each file system's own).
	long='NR > 1 {print $1, $2, $3, $4, ($1 ~ /^-/ ? $5 : "dir"), $NF}'
	(cd "$src" && LC_ALL=C ls -ln docs | awk "$long") > "$tmp/want"
	"$F/fsu_ls" "$img" -l /docs | awk "$long" > "$tmp/got"
	cmp -s "$tmp/want" "$tmp/got"; t $? "UFS$v: fsu_ls -l matches ls -ln"
	"$F/fsu_ls" "$img" -l /link | grep -q -- '-> hello.txt$'
	t $? "UFS$v: fsu_ls -l shows a symlink's target"

	"$F/fsu_cat" "$img" /docs/random.bin | cmp -s - "$src/docs/random.bin"
	t $? "UFS$v: fsu_cat of a 200 kB file is byte for byte the original"
	"$F/fsu_cat" "$img" /link | cmp -s - "$src/hello.txt"
	t $? "UFS$v: fsu_cat through a symlink"
done

"$F/fsu_cat" "$img" /nope >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q '^fsu_cat: /nope: No such file or directory$' "$tmp/err"
t $? "a missing operand: exit 1, a message on stderr"
"$F/fsu_ls" "$img" /nope /hello.txt >"$tmp/got" 2>/dev/null
[ $? -eq 1 ] && grep -q '^/hello.txt$' "$tmp/got"
t $? "one missing operand of two: the other is still listed, exit 1"
"$F/fsu_ls" "$src/hello.txt" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'not a file system image' "$tmp/err"
t $? "a file that is no image: exit 2 with a message"
"$F/fsu_ls" "$tmp/nonexistent.img" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'No such file or directory' "$tmp/err"
t $? "a missing image: exit 2 with a message"
"$F/fsu_ls" -t nosuchfs "$img" >/dev/null 2>&1
[ $? -eq 2 ]; t $? "an unknown -t type: exit 2"
"$F/fsu_ls" --help | grep -q '^usage: fsu_ls'
t $? "--help prints the usage on stdout, exit 0"
"$F/fsu_ls" >/dev/null 2>&1
[ $? -eq 2 ]; t $? "no image: usage, exit 2"
"$F/fsu_ls" -o bogus "$img" >/dev/null 2>&1
[ $? -eq 2 ]; t $? "an unknown -o option: exit 2"
echo "1..$n"
