#!/bin/sh
# t_hijack_api.sh: h_hijack_api's checks of the C library's file calls,
# run on a host directory without librumphijack (the expectations hold
# for Linux itself) and on /rump under librumphijack against a
# rump_server (they hold for us too); each run's points renumbered here.
set -u
B=$(cd "${RUMP_BUILD:-build}" && pwd)
S=$B/bin/rump_allserver
[ -x "$S" ] || S=$B/bin/rump_server
H=$B/lib/librumphijack.so
X=$B/tests/sp/h_hijack_api
for p in "$S" "$H" "$X"; do
	[ -e "$p" ] || { echo "1..0 # SKIP $p not built"; exit 0; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/t_hijack_api.XXXXXX")
SOCK="unix://$W/sock"
trap 'RUMP_SERVER=$SOCK "$B/bin/rump.halt" 2>/dev/null; rm -rf "$W"' EXIT
n=0 fail=0
# Renumber one run's TAP, prefixing its descriptions.
run() {
	what=$1
	shift
	"$@" > "$W/tap" 2>"$W/err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			n=$((n + 1))
			echo "ok $n - $what: ${line#* - }";;
		"not ok "*)
			n=$((n + 1)) fail=1
			echo "not ok $n - $what: ${line#* - }";;
		"#"*)	echo "$line";;
		esac
	done < "$W/tap"
	n=$((n + 1))
	if [ $rc -eq 0 ]; then echo "ok $n - $what: exit 0"; else
		echo "not ok $n - $what: exit $rc"; fail=1
		sed 's/^/# /' "$W/err"; fi
}

mkdir "$W/host" "$W/cross"
run host "$X" "$W/host"
"$S" "$SOCK" || { echo "not ok 1 - rump_server"; exit 1; }
env LD_PRELOAD="$H" RUMP_SERVER="$SOCK" mkdir /rump/t
run rump env LD_PRELOAD="$H" RUMP_SERVER="$SOCK" "$X" /rump/t "$W/cross"
echo "1..$n"
exit $fail
