#!/bin/sh
# t_rump_server_tool.sh: rump_server as a tool: usage and exit statuses, bad
# URLs and components, -d, and daemon mode: the parent returns 0 only
# once the socket listens, and the socket is its owner's only.
set -u
S=$(cd "${RUMP_BUILD:-build}/bin" && pwd)/rump_server
n=0 fail=0
t() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
	echo "not ok $n - $2"; fail=1; fi; }
[ -x "$S" ] || { echo "1..0 # SKIP rump_server not built"; exit 0; }
W=$(mktemp -d "${TMPDIR:-/tmp}/t_rump_server_tool.XXXXXX")
trap 'pkill -f "rump_server -d key=/dev/disk,hostpath=$W/disk" 2>/dev/null; rm -rf "$W"' EXIT

"$S" >/dev/null 2>"$W/err"; t $(( $? == 2 ? 0 : 1 )) "no URL: usage, exit 2"
grep -q "usage:" "$W/err"; t $? "... the usage on stderr"
"$S" --help >"$W/out" 2>&1; t $(( $? == 0 ? 0 : 1 )) "--help: exit 0"
"$S" -s http://x >/dev/null 2>"$W/err"
t $(( $? == 1 ? 0 : 1 )) "a URL of another kind: exit 1"
grep -q "rump_server: http://x" "$W/err"; t $? "... and says which"
"$S" -s tcp://300.1.1.1:80 >/dev/null 2>&1
t $(( $? == 1 ? 0 : 1 )) "a bad address: exit 1"
"$S" -l nosuch -s unix://x >/dev/null 2>"$W/err"
t $(( $? == 1 ? 0 : 1 )) "-l with a component not linked in: exit 1"
"$S" -d key=/dev/x -s unix://x >/dev/null 2>&1
t $(( $? == 1 ? 0 : 1 )) "-d without hostpath: exit 1"
"$S" -d key=/dev/x,hostpath=$W/nosuch -s unix://x >/dev/null 2>&1
t $(( $? == 1 ? 0 : 1 )) "-d of a missing file: exit 1"

"$S" -m type=ffs,dir=/x -s unix://x >/dev/null 2>"$W/err"
t $(( $? == 1 ? 0 : 1 )) "-m ffs without special: exit 1"
grep -q "want type=" "$W/err"; t $? "... and says what it wants"
"$S" -m type=ffs,special=/dev/none,dir=/x -s unix://x >/dev/null 2>&1
t $(( $? == 1 ? 0 : 1 )) "-m of a device that is not there: exit 1"

truncate -s 1m "$W/disk"
"$S" -d key=/dev/disk,hostpath="$W/disk" "unix://$W/sock"
t $? "daemon: the parent returns 0 once it listens"
[ -S "$W/sock" ]; t $? "... the socket is there"
[ "$(stat -c %a "$W/sock")" = 600 ]; t $? "... readable and writable by its owner only"
pgrep -f "rump_server -d key=/dev/disk,hostpath=$W/disk unix://$W/sock" \
    >/dev/null; t $? "... and the server runs on"
pkill -f "rump_server -d key=/dev/disk,hostpath=$W/disk unix://$W/sock"
"$S" "unix:///nonexistent-dir/sock" 2>"$W/err"
t $(( $? == 1 ? 0 : 1 )) "daemon: a socket it cannot make: the parent exits 1"
echo "1..$n"
exit $fail
