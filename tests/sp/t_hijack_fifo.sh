#!/bin/sh
# t_hijack_fifo.sh: FIFOs in a rump_server's FFS image, used by
# unmodified host programs under librumphijack: mkfifo(1), a shell
# whose background cat reads a FIFO that echo writes, data larger than
# the pipe between two cats, a read-write open that does not wait,
# test -p and stat(1) on the entry; the image checks clean after
# rump.halt.  Each hijacked run is bounded by timeout(1), so a FIFO open
# that never returns fails its point instead of hanging the test.
set -u
. "$(cd "${RUMP_BUILD:-build}/.." && pwd)/tests/sp/hijack_subr.sh"
HJ_TIMEOUT=60	# a FIFO open that never returns fails its point
hijack_setup t_hijack_fifo 16m timeout mkfifo stat cmp

# The shell's open of the FIFO for echo waits for cat's, or the other
# way round: either order must meet.
hj sh -c 'mkfifo /rump/img/p; cat /rump/img/p > "$0/out" &
	echo hi > /rump/img/p; wait' "$W"
t $? "sh: mkfifo, a background cat reads the FIFO that echo writes"
[ "$(cat "$W/out" 2>/dev/null)" = hi ]; t $? "... cat printed what echo wrote"
hj sh -c 'test -p /rump/img/p'; t $? "test -p: the entry is a FIFO"
[ "$(hj stat -c %F /rump/img/p)" = fifo ]; t $? "stat(1) says fifo"

# More than the pipe holds: the writer waits for the reader as it goes.
head -c 300000 /dev/urandom > "$W/big"
hj sh -c 'cat "$0/big" > /rump/img/p & cat /rump/img/p > "$0/big.out"
	wait' "$W"
t $? "300 KB through the FIFO from one cat to another"
cmp -s "$W/big" "$W/big.out"; t $? "... arrived unchanged"

# A read-write open never waits; the shell then writes through another
# open and reads the line back through the first.
[ "$(hj sh -c 'exec 3<> /rump/img/p; echo one > /rump/img/p; read l <&3
	echo "$l"')" = one ]
t $? "exec 3<> on the FIFO opens at once; echo into it, read back from 3"

RUMP_SERVER=$SOCK "$B/bin/rump.halt"
t $? "rump.halt flushes and stops the server"
sleep 0.2
"$B/bin/fsck_ffs" -n "$W/img" >"$W/fsck" 2>&1
t $? "fsck_ffs: the image is clean"

echo "1..$n"
exit $fail
