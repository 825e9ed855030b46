#!/bin/sh
# t_hijack.sh: unmodified host programs (coreutils, tar, find, dash)
# under librumphijack against a rump_server that serves an FFS image:
# what they write lands in the image (checked afterwards by fsck_ffs and
# the fs-utils, which read the image without the server), what they read
# is what the host has, and paths outside the prefix stay the host's.
set -u
. "$(cd "${RUMP_BUILD:-build}/.." && pwd)/tests/sp/hijack_subr.sh"
[ -e "$B/bin/fsu_ls" ] || { echo "1..0 # SKIP fsu_ls not built"; exit 0; }
hijack_setup t_hijack 64m tar find du cmp diff

# A tree with what copies get wrong: an empty file, one of a few
# fragments, one larger than a block and not a multiple of it, a sparse
# one, a symbolic link, a deep directory, names with spaces.
T=$W/tree
mkdir -p "$T/d1/d2/d3" "$T/with space" "$T/empty"
: > "$T/zero"
printf 'hello\n' > "$T/d1/small"
head -c 300000 /dev/urandom > "$T/d1/d2/random"
head -c 5000000 /dev/urandom > "$T/big"
dd if=/dev/urandom of="$T/sparse" bs=4096 count=1 seek=300 2>/dev/null
ln -s d1/small "$T/link"
printf 'x\n' > "$T/with space/a file"
chmod 0640 "$T/d1/small"
chmod 0751 "$T/d1/d2"


hj ls -la /rump/img >"$W/out" 2>&1; t $? "ls -la of the image's root"
grep -q '^d.* \.\.$' "$W/out"; t $? "... shows its entries"

hj mkdir -p /rump/img/a/b/c; t $? "mkdir -p"
hj ls -d /rump/img/a/b/c >/dev/null; t $? "... the directories are there"

hj cp -r "$T" /rump/img/tree; t $? "cp -r of a tree into the image"
hj diff -r "$T" /rump/img/tree; t $? "... diff -r: the same contents"
hj cmp "$T/big" /rump/img/tree/big; t $? "... cmp of a 5 MB file"
# Type, mode, size and link target of everything, as find prints them.
# (A directory's size is its file system's business: not compared.)
F='find . \( -type d -printf "%y %m %p\n" \) -o -printf "%y %m %s %p %l\n"'
(cd "$T" && eval "$F" | sort) > "$W/host.find"
hj sh -c "cd /rump/img/tree && $F" | sort > "$W/rump.find"
cmp -s "$W/host.find" "$W/rump.find"; t $? "... find: types, modes, sizes, names, links"
dif "$W/host.find" "$W/rump.find"

hj cp -a "$T" /rump/img/tree2; t $? "cp -a (times, modes, links)"
(cd "$T" && find . ! -type l -printf '%m %T@ %p\n' | sort) > "$W/host.t"
hj find /rump/img/tree2 ! -type l -printf '%m %T@ ./%P\n' |
    sed 's| \./$| .|' | sort > "$W/rump.t"
cmp -s "$W/host.t" "$W/rump.t"; t $? "... modes and modification times kept"
dif "$W/host.t" "$W/rump.t"

hj cat /rump/img/tree/d1/small > "$W/cat"; t $? "cat"
cmp -s "$W/cat" "$T/d1/small"; t $? "... what it printed"
[ "$(hj du -s /rump/img/tree | cut -f1)" -gt 5000 ]
t $? "du -s counts the tree"

hj tar cf "$W/out.tar" -C /rump/img tree; t $? "tar c from the image"
mkdir "$W/x" && tar xf "$W/out.tar" -C "$W/x" && diff -r "$T" "$W/x/tree"
t $? "... the archive holds the tree"
tar cf "$W/in.tar" -C "$W" tree
hj mkdir /rump/img/untar && hj tar xf "$W/in.tar" -C /rump/img/untar
t $? "tar x into the image"
hj diff -r "$T" /rump/img/untar/tree; t $? "... extracted right"
hj tar cf /rump/img/t.tar -C "$W" tree; t $? "tar c writing its archive in the image"
hj cmp /rump/img/t.tar "$W/in.tar" >/dev/null 2>&1 ||
    hj tar tf /rump/img/t.tar >/dev/null
t $? "... a readable archive"

hj mv /rump/img/tree2 /rump/img/moved; t $? "mv inside the image"
hj ls -d /rump/img/moved >/dev/null && ! hj ls -d /rump/img/tree2 2>/dev/null
t $? "... renamed"
cp -r "$T" "$W/tomove"
hj mv "$W/tomove" /rump/img/fromhost; t $? "mv from the host into the image"
[ ! -e "$W/tomove" ] && hj diff -r "$T" /rump/img/fromhost
t $? "... copied across kernels, the host's copy gone"
hj rm -r /rump/img/moved; t $? "rm -r"
! hj ls -d /rump/img/moved 2>/dev/null; t $? "... it is gone"

# Temporary files and standard streams on rump files.
printf 'b\na\nroot\n' > "$W/lines"
hj cp "$W/lines" /rump/img/lines && hj sed -i s/root/ROOT/ /rump/img/lines
t $? "sed -i (a temporary file in the image, renamed over)"
[ "$(hj cat /rump/img/lines)" = "$(printf 'b\na\nROOT')" ]; t $? "... edited"
hj sort -o /rump/img/sorted /rump/img/lines; t $? "sort -o (stdout onto a rump file)"
[ "$(hj cat /rump/img/sorted)" = "$(printf 'ROOT\na\nb')" ]; t $? "... sorted"
hj sh -c 'ls -1 /rump/img/tree/d1 > /rump/img/ls.out'
[ "$(hj cat /rump/img/ls.out)" = "$(printf 'd2\nsmall')" ]
t $? "a program's stdio stdout redirected to a rump file by the shell"

# The shell: redirections, dup2 onto stdout and stdin, fork and exec.
[ "$(hj sh -c 'echo hi > /rump/img/x && cat /rump/img/x')" = hi ]
t $? "sh -c 'echo hi > /rump/x && cat /rump/x'"
hj sh -c 'exec > /rump/img/out; echo one; echo two'
[ "$(hj cat /rump/img/out)" = "$(printf 'one\ntwo')" ]
t $? "exec > file: the shell's stdout is a rump descriptor"
[ "$(hj sh -c 'wc -l < /rump/img/out')" -eq 2 ]
t $? "stdin of an exec'd program is a rump descriptor"
[ "$(hj sh -c 'cat /rump/img/tree/big | wc -c')" -eq 5000000 ]
t $? "a pipeline from a rump file"
[ "$(hj sh -c 'cd /rump/img/tree/d1 && pwd && cat small')" = \
    "$(printf '/rump/img/tree/d1\nhello')" ]
t $? "cd into the image: pwd and relative paths"
hj sh -c 'cd /rump/img && find tree -name small -exec cat {} \;' \
    > "$W/exec"; t $? "find -exec from inside the image"
[ "$(cat "$W/exec")" = hello ]; t $? "... ran cat on the right file"

# Outside the prefix everything is the host's.
hj sh -c "echo host > $W/hostfile"; [ "$(cat "$W/hostfile")" = host ]
t $? "a hijacked program writes host files outside /rump"
hj ls "$B/bin" | grep -q rump_server; t $? "... and reads host directories"

# Errors are the host's errno values, reported the usual way.
hj cat /rump/img/nosuch 2>"$W/err"; t $(( $? == 1 ? 0 : 1 )) "cat of a missing file: exit 1"
grep -q "No such file or directory" "$W/err"; t $? "... ENOENT's message"
hj mkdir /rump/img/x/y 2>"$W/err"; t $(( $? != 0 ? 0 : 1 )) "mkdir under a file fails"
grep -q "Not a directory" "$W/err"; t $? "... ENOTDIR's message"
mkdir "$W/mvdest"
hj mv /rump/img/x "$W/mvdest/"; [ -f "$W/mvdest/x" ] &&
    ! hj ls /rump/img/x 2>/dev/null
t $? "mv from the image to the host copies"

# The prefix is configurable.
[ "$(env RUMPHIJACK=path=/mnt LD_PRELOAD="$H" RUMP_SERVER="$SOCK" \
    cat /mnt/img/tree/d1/small)" = hello ]
t $? "RUMPHIJACK=path=/mnt"

# Without a server the host's files still work; the prefix does not.
env LD_PRELOAD="$H" RUMP_SERVER="unix://$W/nosock" cat /rump/img/x \
    >/dev/null 2>"$W/err"; t $(( $? != 0 ? 0 : 1 )) "no server: /rump fails"
grep -q "rumphijack" "$W/err"; t $? "... with a message saying why"
env LD_PRELOAD="$H" RUMP_SERVER="unix://$W/nosock" cat "$T/d1/small" \
    >/dev/null 2>&1; t $? "... host files still work"

# A server that dies under a hijacked shell: its host work goes on.
S2="unix://$W/sock2"
"$S" "$S2" && s2pid=$(pgrep -f "rump_.*server $S2\$")
out=$(env LD_PRELOAD="$H" RUMP_SERVER="$S2" sh -c "ls /rump >/dev/null &&
    kill -9 $s2pid && sleep 0.3 && ls '$B/bin' | grep -c rump_server;
    ls /rump 2>/dev/null || echo gone" 2>/dev/null)
[ "$out" = "$(printf '1\ngone')" ]
t $? "a hijacked shell whose server dies still runs host commands"

# What the programs wrote is in the image, on disk, consistently.
RUMP_SERVER=$SOCK "$B/bin/rump.halt"; t $? "rump.halt flushes and stops the server"
sleep 0.2
"$B/bin/fsck_ffs" -n "$W/img" >"$W/fsck" 2>&1; t $? "fsck_ffs: the image is clean"
"$B/bin/fsu_ls" "$W/img" /tree/d1 | grep -q small; t $? "fsu_ls finds the files"
"$B/bin/fsu_cat" "$W/img" /tree/big | cmp -s - "$T/big"
t $? "fsu_cat reads back the 5 MB file"
"$B/bin/fsu_cat" "$W/img" /untar/tree/d1/d2/random | cmp -s - "$T/d1/d2/random"
t $? "... and what tar x wrote"

# The halt unmounted the image cleanly: it mounts read-write again.
"$S" -d key=/dev/disk,hostpath="$W/img" \
    -m type=ffs,special=/dev/disk,dir=/img "$SOCK" 2>"$W/err"
t $? "a new server mounts the image again"
! grep -q "not clean" "$W/err"; t $? "... without a word about it being unclean"
hj touch /rump/img/again; t $? "... read-write"

echo "1..$n"
exit $fail
