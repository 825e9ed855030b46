#!/bin/sh
# t_exports.sh: rule 4, from the outside.  The kernel libraries export
# only the public API (rump_*), the hypercalls they need (rumpuser_*)
# and the kernel's own namespace (rumpns_*); the hypercall library only
# rumpuser_*.  The kernel references nothing of the host: its only
# undefined symbols are hypercalls.
B=${RUMP_BUILD:-build}
n=0
fail=0

t() {	# t PASS DESCRIPTION [DETAIL]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | head -20 | sed 's/^/# /'
		fail=1
	fi
}

bad=$(nm -g --defined-only "$B/lib/librump.a" | awk 'NF == 3 {print $3}' |
    grep -Ev '^(rump_|rumpuser_|rumpns_)')
[ -z "$bad" ]; t $? "librump.a defines globally only rump_*, rumpns_*" "$bad"

bad=$(nm -D --defined-only "$B/lib/librump.so" | awk 'NF == 3 {print $3}' |
    grep -Ev '^(rump_|rumpuser_|rumpns_)')
[ -z "$bad" ]; t $? "librump.so exports only rump_*, rumpns_*" "$bad"

bad=$(nm -g --defined-only "$B/lib/librumpuser.a" | awk 'NF == 3 {print $3}' |
    grep -Ev '^rumpuser_')
[ -z "$bad" ]; t $? "librumpuser.a defines globally only rumpuser_*" "$bad"

bad=$(nm -D --defined-only "$B/lib/librumpuser.so" | awk 'NF == 3 {print $3}' |
    grep -Ev '^rumpuser_')
[ -z "$bad" ]; t $? "librumpuser.so exports only rumpuser_*" "$bad"

# (Link-set bounds are the linker's, weak and hidden.)
bad=$(nm -u "$B/lib/librump.a" | awk 'NF == 2 {print $2}' |
    grep -Ev '^(rumpuser_|_GLOBAL_OFFSET_TABLE_$|__(start|stop)_link_set_)')
[ -z "$bad" ]; t $? "the kernel needs nothing from the host but hypercalls" "$bad"

# Every component library keeps to the same namespaces, and needs
# nothing from the host either.
for lib in "$B"/lib/librump[a-z]*_*.a "$B"/lib/librumpvfs.a; do
	[ -f "$lib" ] || continue
	name=$(basename "$lib" .a)
	bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 {print $3}' |
	    grep -Ev '^(rump_|rumpns_)')
	[ -z "$bad" ]; t $? "$name.a defines globally only rump_*, rumpns_*" "$bad"
	bad=$(nm -D --defined-only "$B/lib/$name.so" | awk 'NF == 3 {print $3}' |
	    grep -Ev '^(rump_|rumpns_)')
	[ -z "$bad" ]; t $? "$name.so exports only rump_*, rumpns_*" "$bad"
	bad=$(nm -u "$lib" | awk 'NF == 2 {print $2}' |
	    grep -Ev '^(rumpuser_|rumpns_|rump_|_GLOBAL_OFFSET_TABLE_$|__(start|stop)_link_set_)')
	[ -z "$bad" ]; t $? "$name needs nothing from the host but hypercalls" "$bad"
done

nm -g --defined-only "$B/lib/librump.a" | grep -q ' T rumpns_printf$'
t $? "kernel-internal names live in rumpns_ (rumpns_printf)"
nm -g --defined-only "$B/lib/librump.a" | grep -q ' T rump_sys_getpid$'
t $? "public API keeps its names (rump_sys_getpid)"
nm -u "$B/lib/librump.a" | grep -q ' rumpuser_malloc$'
t $? "hypercalls stay unprefixed (rumpuser_malloc)"

echo "1..$n"
exit $fail
