/*
 * t_kmem.c: the kernel memory allocator.  A random workload leaves the
 * per-class statistics exactly where it found them (no leak); with
 * RUMP_MEMLIMIT, allocation fails cleanly at the limit and works again
 * once memory is freed; a limit too small to boot makes rump_init fail
 * with ENOMEM instead of crashing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../ktest.h"
#include "../subr.h"

#define MAXCLASSES	64

static int
kmemstats(struct rump_kmemstat *ks, int *n)
{
	int name[2] = { RUMP_CTL_VM, RUMP_VM_KMEMSTATS };
	size_t len = MAXCLASSES * sizeof(*ks);

	if (rump_sys_sysctl(name, 2, ks, &len, NULL, 0) == -1)
		return -1;
	*n = (int)(len / sizeof(*ks));
	return 0;
}

static uint64_t
sysctl_u64(int top, int node)
{
	int name[2] = { top, node };
	uint64_t v = 0;
	size_t len = sizeof(v);

	if (rump_sys_sysctl(name, 2, &v, &len, NULL, 0) == -1)
		return UINT64_MAX;
	return v;
}

static void
boot_tiny(void *arg)
{

	(void)arg;
	setenv("RUMP_MEMLIMIT", "1k", 1);
	if (rump_init() == -1)
		_exit(errno == ENOMEM ? 10 : 11);
	_exit(0);
}

static void
limit_child(void *arg)
{
	long n;

	(void)arg;
	setenv("RUMP_MEMLIMIT", "4m", 1);
	if (rump_init() == -1)
		_exit(20);
	if (sysctl_u64(RUMP_CTL_VM, RUMP_VM_KMEMLIMIT) != 4 << 20)
		_exit(21);
	n = rump_ktest_kmem_exhaust(1000);
	if (n <= 0 || n * 1000 > 4 << 20)
		_exit(22);
	n = rump_ktest_kmem_exhaust(100000);	/* large objects */
	if (n <= 0 || n * 100000 > 4 << 20)
		_exit(23);
	if (sysctl_u64(RUMP_CTL_VM, RUMP_VM_KMEMUSED) > 4 << 20)
		_exit(24);
	_exit(0);
}

int
main(void)
{
	struct rump_kmemstat before[MAXCLASSES], after[MAXCLASSES];
	struct child_result res;
	char why[256] = "";
	int nb = 0, na = 0, i, leaks = 0;
	uint64_t allocs_b = 0, allocs_a = 0;

	/* Limits are set at boot: these children boot their own. */
	child_run(limit_child, NULL, &res);
	ok(res.exited == 0, "RUMP_MEMLIMIT=4m: allocation stops at the limit, "
	    "recovers after free (child status %d, signal %d)", res.exited,
	    res.signal);
	child_run(boot_tiny, NULL, &res);
	ok(res.exited == 10, "RUMP_MEMLIMIT=1k: rump_init fails with ENOMEM "
	    "(child status %d, signal %d)", res.exited, res.signal);

	if (!ok(rump_init() == 0, "rump_init"))
		return tap_done();
	i = kmemstats(before, &nb);
	ok(i == 0 && nb > 10, "vm.kmemstats lists %d size classes", nb);
	ktest_ok(rump_ktest_kmem_workload(1, 200000, why, sizeof(why)), why,
	    "200000 random allocations and frees, contents intact");
	ktest_ok(rump_ktest_kmem_workload(7, 50000, why, sizeof(why)), why,
	    "second workload");
	ok(kmemstats(after, &na) == 0 && na == nb, "vm.kmemstats again");
	for (i = 0; i < nb && i < na; i++) {
		allocs_b += before[i].ks_allocs;
		allocs_a += after[i].ks_allocs;
		if (before[i].ks_inuse != after[i].ks_inuse) {
			diag("%s: in use %llu before, %llu after",
			    after[i].ks_name,
			    (unsigned long long)before[i].ks_inuse,
			    (unsigned long long)after[i].ks_inuse);
			leaks++;
		}
		if (after[i].ks_allocs - after[i].ks_frees !=
		    before[i].ks_allocs - before[i].ks_frees)
			leaks++;
	}
	ok(leaks == 0, "every class back to its starting use (no leak)");
	ok(allocs_a - allocs_b >= 125000, "the workload was counted: %llu "
	    "allocations", (unsigned long long)(allocs_a - allocs_b));
	ok(sysctl_u64(RUMP_CTL_VM, RUMP_VM_KMEMLIMIT) == 0,
	    "no memory limit by default");

	return tap_done();
}
