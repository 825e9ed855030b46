#!/bin/sh
# t_hijack_cover.sh: lib/rumphijack/hijack_calls.txt against the system
# call table and librumphijack.so: every call of syscalls.master has a
# line (wrapped, or "-" with a reason), and the functions the lines name
# are exactly those the library exports.
set -u
B=$(cd "${RUMP_BUILD:-build}" && pwd)
top=$(cd "$B/.." && pwd)
M=$top/sys/kern/syscalls.master
C=$top/lib/rumphijack/hijack_calls.txt
L=$B/lib/librumphijack.so
for f in "$M" "$C" "$L"; do
	[ -e "$f" ] || { echo "1..0 # SKIP $f not found"; exit 0; }
done
command -v nm >/dev/null || { echo "1..0 # SKIP no nm"; exit 0; }
W=$(mktemp -d "${TMPDIR:-/tmp}/t_hijack_cover.XXXXXX")
trap 'rm -rf "$W"' EXIT
n=0 fail=0
t() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
	echo "not ok $n - $2"; fail=1; fi; }

awk '!/^;/ && NF && $1 ~ /^[0-9]+$/ { print $4 }' "$M" | sort > "$W/calls"
awk '!/^#/ && NF && $1 !~ /^\+/ { print $1 }' "$C" | sort > "$W/listed"
comm -23 "$W/calls" "$W/listed" > "$W/missing"
[ ! -s "$W/missing" ]; t $? "every system call has a line"
sed 's/^/# missing: /' "$W/missing"
comm -13 "$W/calls" "$W/listed" > "$W/extra"
[ ! -s "$W/extra" ]; t $? "no line names a call the table lacks"
sed 's/^/# not a call: /' "$W/extra"
[ -z "$(sort "$W/listed" | uniq -d)" ]; t $? "one line per call"
awk '!/^#/ && NF && $2 == "-" && NF < 3 { print $1 }' "$C" > "$W/noreason"
[ ! -s "$W/noreason" ]; t $? "every call left to the host says why"

awk '!/^#/ && NF && $2 != "-" { for (i = 2; i <= NF; i++) print $i }' \
    "$C" | sort -u > "$W/named"
nm -D --defined-only "$L" | awk '$2 ~ /^[TtWi]$/ { print $3 }' |
    sed 's/@.*//' | sort -u > "$W/exported"
comm -23 "$W/named" "$W/exported" > "$W/unexported"
[ ! -s "$W/unexported" ]; t $? "every function named is exported"
sed 's/^/# not exported: /' "$W/unexported"
comm -13 "$W/named" "$W/exported" > "$W/unnamed"
[ ! -s "$W/unnamed" ]; t $? "every function exported is named"
sed 's/^/# not named: /' "$W/unnamed"
echo "1..$n"
exit $fail
