#!/bin/sh
# t_gensyscalls.sh: the system-call generator refuses a table whose
# pointer arguments are not all annotated for remote calls, or that
# annotates anything else, or names an argument that is not there.
set -u
top=$(cd "$(dirname "$0")/../../.." 2>/dev/null && pwd)
awkf=tools/gensyscalls.awk
[ -f "$awkf" ] || awkf=$top/tools/gensyscalls.awk
[ -f "$awkf" ] || { echo "1..0 # SKIP tools/gensyscalls.awk not found"; exit 0; }
n=0 fail=0
t() {	# expect-status description master-line
	n=$((n + 1))
	printf '%s\n' "$3" > "${TMPDIR:-/tmp}/t_gensys.$$"
	awk -v what=sptab -f "$awkf" "${TMPDIR:-/tmp}/t_gensys.$$" \
	    >/dev/null 2>&1
	rc=$?
	if { [ "$1" = ok ] && [ $rc -eq 0 ]; } ||
	    { [ "$1" = fail ] && [ $rc -ne 0 ]; }; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"; fail=1
	fi
}
T='	'
t ok "annotated pointers pass" \
    "30${T}kern${T}int${T}read${T}(int fd, void *buf [out nbyte], int nbyte)"
t fail "a pointer without an annotation is refused" \
    "30${T}kern${T}int${T}read${T}(int fd, void *buf, int nbyte)"
t fail "an annotated non-pointer is refused" \
    "30${T}kern${T}int${T}read${T}(int fd [in], void *buf [out nbyte], int nbyte)"
t fail "a count naming no argument is refused" \
    "30${T}kern${T}int${T}read${T}(int fd, void *buf [out size], int nbyte)"
t fail "an unknown annotation is refused" \
    "30${T}kern${T}int${T}read${T}(int fd, void *buf [sideways nbyte], int nbyte)"
rm -f "${TMPDIR:-/tmp}/t_gensys.$$"
echo "1..$n"
exit $fail
