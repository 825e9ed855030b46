#!/bin/sh
# t_hijack_progs.sh: more unmodified programs under librumphijack, on an
# FFS image served by rump_server: coreutils broadly, findutils, the
# compressors, cpio, patch, sed, awk, perl, python3, git, make with gcc,
# rsync, sqlite3.  Each result is compared with the host's (the same
# program run on a host copy, or the input itself), and what cannot
# work fails with an error, not a wrong result.  A program that is not
# installed skips its points.  The image is checked by fsck_ffs at the
# end.
set -u
. "$(cd "${RUMP_BUILD:-build}/.." && pwd)/tests/sp/hijack_subr.sh"
hijack_setup t_hijack_progs 64m
R=/rump/img

# Inputs: a small source tree and some lines.
T=$W/src
mkdir -p "$T/sub/deep"
printf 'alpha\nbeta\ngamma\n' > "$T/a.txt"
printf 'one\ntwo\n' > "$T/sub/b.txt"
head -c 70000 /dev/urandom > "$T/sub/deep/blob"
ln -s a.txt "$T/link"
seq 1 3000 > "$W/nums"
hj cp -a "$T" $R/src && hj cp "$W/nums" $R/nums
t $? "inputs copied in"

# --- coreutils -----------------------------------------------------
hj install -m 0640 "$T/a.txt" $R/inst &&
    [ "$(hj stat -c '%a %s' $R/inst)" = "640 17" ]
t $? "install -m; stat -c"
hj ln -sr $R/src/sub/b.txt $R/src/rel &&
    [ "$(hj readlink $R/src/rel)" = sub/b.txt ] &&
    [ "$(hj readlink -f $R/src/rel)" = $R/src/sub/b.txt ] &&
    [ "$(hj realpath $R/src/sub/../rel)" = $R/src/sub/b.txt ]
t $? "ln -sr, readlink -f, realpath"
hj chmod -R go-rwx $R/src/sub &&
    [ "$(hj find $R/src/sub -perm /077 | wc -l)" -eq 0 ] &&
    [ "$(hj stat -c %a $R/src/sub/deep)" = 700 ]
t $? "chmod -R"
if [ "$(id -u)" = 0 ]; then
	hj chown -R 123:45 $R/src/sub &&
	    [ "$(hj stat -c '%u:%g' $R/src/sub/deep/blob)" = 123:45 ]
	t $? "chown -R"
else
	sk 1 "chown -R needs root"
fi
touch -d '2003-04-05 06:07:08' "$W/ref"
hj touch -r "$W/ref" $R/inst &&
    [ "$(hj stat -c %Y $R/inst)" = "$(stat -c %Y "$W/ref")" ] &&
    hj touch -d '2001-02-03 04:05:06 UTC' $R/nums &&
    [ "$(hj stat -c %Y $R/nums)" = 981173106 ]
t $? "touch -r, touch -d"

head -c 100000 /dev/urandom > "$W/rnd"
cp "$W/rnd" "$W/rnd2"
dd if=/dev/zero of="$W/rnd2" bs=1k count=3 seek=7 conv=notrunc 2>/dev/null
hj dd if="$W/rnd" of=$R/dd bs=4k status=none &&
    hj dd if=/dev/zero of=$R/dd bs=1k count=3 seek=7 conv=notrunc \
    status=none && hj cmp -s $R/dd "$W/rnd2"
t $? "dd, then dd seek= conv=notrunc"
hj dd if=/dev/zero of=$R/sparse bs=1M seek=30 count=1 status=none &&
    [ "$(hj stat -c %s $R/sparse)" -eq 32505856 ] &&
    [ "$(hj stat -c %b $R/sparse)" -lt 8192 ]
t $? "dd seek=30M: a sparse file"
[ "$(hj dd if=$R/dd bs=1000 skip=5 count=2 status=none | od -An -tx1)" = \
    "$(dd if="$W/rnd2" bs=1000 skip=5 count=2 status=none | od -An -tx1)" ]
t $? "dd skip="
hj split -b 30000 $R/dd $R/part. && hj sh -c "cat $R/part.*" |
    cmp -s - "$W/rnd2"
t $? "split -b, the pieces cat back together"
hj csplit -s -f $R/cs. $R/nums 1000 2000 &&
    [ "$(hj cat $R/cs.01 | wc -l)" -eq 1000 ] && hj sh -c "cat $R/cs.0*" |
    cmp -s - "$W/nums"
t $? "csplit"
echo more | hj tee -a $R/nums >/dev/null && [ "$(hj tail -n 1 $R/nums)" = more ]
t $? "tee -a"
echo more >> "$W/nums"
rc=0
for p in 'head -c 100' 'head -n 7' 'tail -c 50' 'tail -n 3' 'tail -n +2990' \
    wc md5sum sha256sum cksum 'od -An -tx1 -N 64' base64 nl 'cat -n' \
    'sort -r' uniq 'cut -c1-2'; do
	a=$(cd "$W" && $p nums) b=$(cd "$W" && hj $p $R/nums | sed "s|$R/||")
	[ "$a" = "$b" ] || { echo "# $p differs"; rc=1; }
done
t $rc "head, tail, wc, md5sum, sha256sum, cksum, od, base64, nl, cat -n, sort, uniq, cut: as on the host"
sort "$W/nums" > "$W/s1"
sort -m "$W/s1" "$W/s1" > "$W/m"
paste "$W/s1" "$W/s1" > "$W/p"
hj sort -o $R/s1 $R/nums && hj sort -m $R/s1 "$W/s1" | cmp -s - "$W/m" &&
    hj paste $R/s1 $R/s1 | cmp -s - "$W/p"
t $? "sort -o, sort -m across kernels, paste"
seq 1 200000 > "$W/seq"
sort -R "$W/seq" > "$W/big"
hj sort -n -T $R -S 64K -o $R/big.sorted "$W/big" &&
    hj cmp -s $R/big.sorted "$W/seq"
t $? "sort -T in the image (its temporary files there)"
hj truncate -s 5000 $R/dd && [ "$(hj stat -c %s $R/dd)" -eq 5000 ] &&
    hj truncate -s +1M $R/dd && [ "$(hj stat -c %s $R/dd)" -eq 1053576 ]
t $? "truncate -s, -s +"
hj shred -n 1 -u $R/dd && ! hj test -e $R/dd
t $? "shred -u"
d=$(hj mktemp -d -p $R) && case $d in $R/tmp.*) hj test -d "$d";;
    *) false;; esac && f=$(hj mktemp -p "$d" xXXXXXX --suffix=.c) &&
    hj test -f "$f"
t $? "mktemp -d -p, mktemp --suffix"
hj df $R > "$W/df" && tail -n 1 "$W/df" | grep -q " $R\$"
t $? "df: the file system mounted on $R"
hj sh -c "seq 3 > $R/tl"
hj tail -f -s 0.1 $R/tl > "$W/tail" 2> "$W/tail.err" &
tp=$!
hj sh -c "echo appended >> $R/tl"
i=0
while ! grep -q appended "$W/tail" && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
kill $tp; wait $tp 2>/dev/null
grep -q appended "$W/tail"
t $? "tail -f sees an append (it polls)"
[ ! -s "$W/tail.err" ]; t $? "... without complaining about inotify"
sed 's/^/# /' "$W/tail.err"

# --- findutils --------------------------------------------------------
hj touch -d '2000-01-01' $R/old &&
    hj find $R/src -exec touch -h -d 1999-01-01 {} + &&
    hj touch $R/src/sub/b.txt &&
    [ "$(hj find $R/src -newer $R/old)" = $R/src/sub/b.txt ]
t $? "find -newer, find -exec {} +"
[ "$(hj find $R/src -type f -print0 | hj xargs -0 cat | wc -c)" = \
    "$(find "$T" -type f -print0 | xargs -0 cat | wc -c)" ]
t $? "find -print0 | xargs -0 cat"
hj cp -r $R/src $R/del && hj find $R/del -name '*.txt' -delete &&
    [ "$(hj find $R/del -name '*.txt' | wc -l)" -eq 0 ] &&
    hj test -f $R/del/sub/deep/blob
t $? "find -delete"

# --- compressors, archives ------------------------------------------
hj cp "$W/rnd" $R/c1 && hj gzip -k $R/c1 && hj zcat $R/c1.gz | cmp -s - "$W/rnd" &&
    hj gunzip -f $R/c1.gz && hj cmp -s $R/c1 "$W/rnd"
t $? "gzip -k, zcat, gunzip -f over an existing file"
if have bzip2; then
	hj bzip2 -k $R/c1 && hj bzip2 -d -f $R/c1.bz2 &&
	    hj cmp -s $R/c1 "$W/rnd"
	t $? "bzip2 -k, bzip2 -d -f over an existing file (remove(3))"
else
	sk 1 "no bzip2"
fi
if have xz; then
	hj xz -k -T2 $R/c1 && hj xz -dc $R/c1.xz | cmp -s - "$W/rnd"
	t $? "xz -k -T2, xz -dc"
else
	sk 1 "no xz"
fi
hj tar czf $R/src.tgz -C $R src && hj cat $R/src.tgz > "$W/src.tgz" &&
    mkdir "$W/untgz" && tar xzf "$W/src.tgz" -C "$W/untgz" &&
    diff -r "$T/sub/deep" "$W/untgz/src/sub/deep"
t $? "tar czf (tar runs gzip) writing into the image"
hj mkdir $R/untgz && hj tar xzf $R/src.tgz -C $R/untgz &&
    hj cmp -s $R/untgz/src/sub/deep/blob "$T/sub/deep/blob"
t $? "tar xzf in the image"
if have cpio; then
	(cd "$T" && find . | hj cpio -o -H newc -O $R/a.cpio 2>/dev/null) &&
	    hj mkdir $R/cpi && hj sh -c "cd $R/cpi && cpio -idm < $R/a.cpio" \
	    2>/dev/null && hj diff -r "$T" $R/cpi
	t $? "cpio -o into the image, cpio -i from it"
	hj sh -c "cd $R/cpi && find . | cpio -pdm $W/cpp" 2>/dev/null &&
	    diff -r "$T" "$W/cpp"
	t $? "cpio -p out of the image"
else
	sk 2 "no cpio"
fi

# --- patch, diff, grep, sed, awk ------------------------------------
if have patch; then
	cp -r "$T" "$W/p1"
	sed -i 's/beta/BETA/' "$W/p1/a.txt"
	printf 'three\n' >> "$W/p1/sub/b.txt"
	(cd "$W" && diff -ru --no-dereference src p1 > "$W/p.diff")
	hj cp -r "$T" $R/pt && hj sh -c "cd $R/pt && patch -s -p1 < $W/p.diff" &&
	    hj diff -r "$W/p1" $R/pt
	t $? "patch -p1 (old stat ABI, renameat2 by syscall(2))"
	hj patch -s -R -d $R/pt -p1 -i "$W/p.diff" && hj diff -r "$T" $R/pt
	t $? "patch -R"
else
	sk 2 "no patch"
fi
hj diff -r "$T" $R/src >/dev/null; t $(( $? == 1 ? 0 : 1 )) \
    "diff -r sees the changes made in the image (exit 1)"
[ "$(hj grep -rl alpha $R/src $R/pt 2>/dev/null | sort | tr '\n' ' ')" = \
    "$R/pt/a.txt $R/src/a.txt " ]
t $? "grep -rl"
hj cp -r "$T" $R/sed && hj sed -i 's/a/A/g' $R/sed/a.txt $R/sed/sub/b.txt &&
    [ "$(hj cat $R/sed/a.txt $R/sed/sub/b.txt | tr -d '\n')" = AlphAbetAgAmmAonetwo ]
t $? "sed -i on several files"
hj awk '{ print > ("'$R'/awk." ($1 % 3)) }' "$W/nums" &&
    [ "$(hj cat $R/awk.0 $R/awk.1 $R/awk.2 | wc -l)" -eq 3001 ]
t $? "awk writing files"
hj sh -c "cd $R/src && awk 'BEGIN { system(\"cat a.txt > sys.out\");
    while ((\"cat sub/b.txt\" | getline l) > 0) print l > \"pop.out\" }'" &&
    hj cmp -s $R/src/sys.out "$T/a.txt" && hj cmp -s $R/src/pop.out "$T/sub/b.txt"
t $? "awk system() and a pipe, run in the image's directory"

# --- perl, python ---------------------------------------------------
if have perl; then
	cat > "$W/t.pl" <<'EOF'
use strict; use File::Find; use File::Temp qw(tempfile);
my $d = shift; mkdir "$d/pl" or die "mkdir: $!";
for my $i (1..4) { open(my $f, '>', "$d/pl/f$i") or die; print $f "l\n" x $i; close $f }
opendir(my $dh, "$d/pl") or die; my @e = sort grep { !/^\./ } readdir $dh; closedir $dh;
rename "$d/pl/f1", "$d/pl/g1" or die; unlink "$d/pl/f2" or die;
my $n = 0; find(sub { $n++ if -f }, "$d/pl");
my ($th, $tn) = tempfile(DIR => "$d/pl"); print $th "t"; close $th;
chdir "$d/pl" or die; open(my $f, '<', "f4") or die; my @l = <$f>;
print join(" ", @e), " | $n | ", scalar(@l), " | ", -s $tn, "\n";
EOF
	[ "$(hj perl "$W/t.pl" $R)" = "f1 f2 f3 f4 | 3 | 4 | 1" ]
	t $? "perl: open, opendir/readdir, rename, unlink, File::Find, File::Temp"
	hj perl -i -pe 's/l/L/' $R/pl/f3 && [ "$(hj cat $R/pl/f3 | tr -d '\n')" = LLL ]
	t $? "perl -i"
else
	sk 2 "no perl"
fi
if have python3; then
	cat > "$W/t.py" <<'EOF'
import os, sys, shutil, tempfile, subprocess, pathlib, mmap, errno
d, src = sys.argv[1], sys.argv[2]
p = pathlib.Path(d) / "py"; p.mkdir()
(p / "a").write_text("hello\n")
out = [(p / "a").read_text() == "hello\n"]
os.environ["TMPDIR"] = str(p); tempfile.tempdir = None
with tempfile.TemporaryDirectory() as td:
    with tempfile.NamedTemporaryFile(dir=td, delete=False) as f:
        f.write(b"x" * 10)
    out.append(os.path.getsize(f.name) == 10 and td.startswith(str(p)))
out.append(not os.path.exists(td))
with tempfile.TemporaryFile() as f:
    f.write(b"abc"); f.seek(0); out.append(f.read() == b"abc")
shutil.copytree(src, str(p / "tree"), symlinks=True)
names = sorted(os.path.relpath(os.path.join(r, x), str(p / "tree"))
               for r, ds, fs in os.walk(str(p / "tree")) for x in ds + fs)
want = sorted(os.path.relpath(os.path.join(r, x), src)
              for r, ds, fs in os.walk(src) for x in ds + fs)
out.append(names == want)
with os.scandir(str(p)) as it:
    out.append(sorted(e.name for e in it if e.is_dir()) == ["tree"])
with open(str(p / "ls.out"), "w") as f:
    subprocess.run("ls; cat a", shell=True, cwd=str(p), stdout=f, check=True)
out.append((p / "ls.out").read_text().split() == ["a", "ls.out", "tree", "hello"])
with open(str(p / "a"), "rb") as f:
    m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    out.append(m[:5] == b"hello"); m.close()
    try:
        mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ); out.append(False)
    except OSError as e:
        out.append(e.errno == errno.ENODEV)
shutil.rmtree(str(p / "tree")); out.append(not (p / "tree").exists())
print(" ".join("1" if x else "0" for x in out))
EOF
	r=$(hj python3 "$W/t.py" $R "$T")
	[ "$r" = "1 1 1 1 1 1 1 1 1 1" ]
	t $? "python3: pathlib, tempfile in the image, copytree, os.walk, scandir, subprocess (cwd, redirection), mmap (copy; shared: ENODEV), rmtree: $r"
else
	sk 1 "no python3"
fi

# --- git ------------------------------------------------------------
if have git; then
	G="git -c user.name=t -c user.email=t@t -c init.defaultBranch=main"
	hj sh -c "mkdir $R/repo && cd $R/repo && $G init -q && cp -r $T/. . &&
	    $G add -A && $G commit -qm one && echo x >> a.txt &&
	    $G commit -qam two && $G gc -q && $G fsck" 2>"$W/git.err"
	t $? "git init, add, commit, gc, fsck in the image"
	sed 's/^/# /' "$W/git.err"
	[ "$(hj sh -c "cd $R/repo && git log --oneline | wc -l")" -eq 2 ] &&
	    [ -z "$(hj sh -c "cd $R/repo && git status --porcelain")" ]
	t $? "... git log, git status"
	hj git clone -q $R/repo "$W/clone" && diff -r -x .git "$W/clone" $R/repo \
	    >/dev/null 2>&1 || hj diff -r -x .git "$W/clone" $R/repo
	t $? "git clone out of the image: the same files"
else
	sk 3 "no git"
fi

# --- make, gcc ------------------------------------------------------
if have make && have cc; then
	P=$W/proj
	mkdir "$P"
	printf '#include <stdio.h>\n#include "u.h"\nint main(void) { printf("%%d\\n", add(2, 3)); return 0; }\n' > "$P/main.c"
	printf '#include "u.h"\nint add(int a, int b) { return a + b; }\n' > "$P/u.c"
	printf 'int add(int, int);\n' > "$P/u.h"
	printf 'OBJS = main.o u.o\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\ncheck: prog\n\t./prog > out\n\ttest "$$(cat out)" = 5\n-include $(wildcard *.d)\nCFLAGS = -MMD\n' > "$P/Makefile"
	hj cp -r "$P" $R/proj && hj make -s -j2 -C $R/proj check >/dev/null
	t $? "make -j2 in the image: gcc compiles and links there, the program runs from there"
	hj touch $R/proj/u.h &&
	    [ "$(hj make -C $R/proj 2>&1 | grep -c -- '-c -o')" -eq 2 ]
	t $? "... a touched header rebuilds both objects (.d files, times)"
	(cd "$P" && cc -c u.c -o "$W/u.o")
	hj cc -c $R/proj/u.c -o $R/proj/u2.o && hj cmp -s $R/proj/u2.o "$W/u.o"
	t $? "cc -c $R/x.c -o $R/x.o: the host's object"
else
	sk 3 "no make or cc"
fi

# --- rsync ----------------------------------------------------------
if have rsync; then
	F='find . \( -type d -printf "%y %m %T@ %p\n" \) -o -printf "%y %m %s %T@ %p %l\n"'
	hj rsync -a "$T/" $R/rs/ && (cd "$T" && eval "$F" | sort) > "$W/rs.h" &&
	    hj sh -c "cd $R/rs && $F" | sort > "$W/rs.r" && cmp -s "$W/rs.h" "$W/rs.r"
	t $? "rsync -a into the image: modes, sizes, times, links"
	dif "$W/rs.h" "$W/rs.r"
	hj rsync -a $R/rs/ "$W/rsback/" && diff -r "$T" "$W/rsback"
	t $? "rsync -a out of it"
else
	sk 2 "no rsync"
fi

# --- sqlite3 --------------------------------------------------------
if have sqlite3; then
	[ "$(hj sqlite3 $R/db "create table t(x); insert into t values (1), (2);
	    select sum(x) from t;")" = 3 ]
	t $? "sqlite3 (rollback journal)"
	hj sqlite3 $R/db "pragma journal_mode=wal; insert into t values (3);" \
	    >/dev/null 2>"$W/sq.err"
	[ $? -ne 0 ] && grep -q "disk I/O error" "$W/sq.err"
	t $? "sqlite3 WAL needs a shared mapping: an I/O error, not a crash"
	[ "$(hj sqlite3 $R/db "pragma locking_mode=exclusive;
	    select count(*) from t;" | tail -n 1)" -ge 2 ]
	t $? "... with locking_mode=exclusive it does without"
else
	sk 3 "no sqlite3"
fi

# --- what cannot be hijacked ----------------------------------------
printf '#include <fcntl.h>\n#include <stdio.h>\nint main(int c, char **v) { if (open(v[1], O_RDONLY) < 0) { perror(v[1]); return 1; } return 0; }\n' > "$W/st.c"
if cc -static -o "$W/st" "$W/st.c" 2>/dev/null; then
	hj "$W/st" $R/nums 2>"$W/st.err"
	[ $? -eq 1 ] && grep -q "No such file" "$W/st.err"
	t $? "a static program reaches the host only: ENOENT, no crash"
else
	sk 1 "cannot link a static program here"
fi

RUMP_SERVER=$SOCK "$B/bin/rump.halt"; t $? "rump.halt"
sleep 0.2
"$B/bin/fsck_ffs" -n "$W/img" >"$W/fsck" 2>&1; t $? "fsck_ffs: the image is clean"
echo "1..$n"
exit $fail
