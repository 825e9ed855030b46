# hijack_subr.sh: what the librumphijack shell tests share; sourced by
# tests/sp/t_hijack*.sh (from the source tree: $RUMP_BUILD/..).
#
#	hijack_setup NAME SIZE [PROGRAMS...]
#		the plan's skip if the server, the library, newfs or
#		fsck_ffs are not built or a PROGRAM is missing; then a
#		work directory $W, an FFS image of SIZE served at /img by
#		rump_server on $SOCK, halted at exit
#	t STATUS DESCRIPTION	one TAP point (0: ok)
#	sk N REASON		N skipped points
#	dif A B			what differs between files, as TAP comments
#	hj PROGRAM ...		run PROGRAM under librumphijack ($HJ_TIMEOUT
#				seconds at most if set)
#	have PROGRAM		is it installed?
B=$(cd "${RUMP_BUILD:-build}" && pwd)
S=$B/bin/rump_allserver
[ -x "$S" ] || S=$B/bin/rump_server
H=$B/lib/librumphijack.so
n=0 fail=0

t() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
	echo "not ok $n - $2"; fail=1; fi; }
sk() { i=0; while [ $i -lt "$1" ]; do i=$((i + 1)); n=$((n + 1))
	echo "ok $n # SKIP $2"; done; }
dif() { diff "$1" "$2" | head -20 | sed 's/^/# /'; }
have() { command -v "$1" >/dev/null 2>&1; }
hj() {
	if [ -n "${HJ_TIMEOUT:-}" ]; then
		timeout "$HJ_TIMEOUT" env LD_PRELOAD="$H" RUMP_SERVER="$SOCK" "$@"
	else
		env LD_PRELOAD="$H" RUMP_SERVER="$SOCK" "$@"
	fi
}

hijack_setup() {
	name=$1 size=$2
	shift 2
	for p in "$S" "$H" "$B/bin/newfs" "$B/bin/fsck_ffs"; do
		[ -e "$p" ] || { echo "1..0 # SKIP $p not built"; exit 0; }
	done
	for p in "$@"; do
		have "$p" || { echo "1..0 # SKIP no $p"; exit 0; }
	done
	W=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
	SOCK="unix://$W/sock"
	trap 'RUMP_SERVER=$SOCK "$B/bin/rump.halt" 2>/dev/null; rm -rf "$W"' \
	    EXIT
	"$B/bin/newfs" -s "$size" "$W/img" >/dev/null
	"$S" -d key=/dev/disk,hostpath="$W/img" \
	    -m type=ffs,special=/dev/disk,dir=/img "$SOCK"
	t $? "rump_server serves an FFS image"
}
