/*
 * t_locks.c: kernel mutexes, rwlocks and condition variables, with many
 * kernel threads contending on a few virtual CPUs; the invariants
 * (mutual exclusion, exact counts, reader/writer exclusion) are checked
 * inside the kernel by tests/kern/ktest_kern.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include "../ktest.h"
#include "../subr.h"

int
main(void)
{
	char why[256] = "";

	setenv("RUMP_NCPU", "2", 1);
	if (!ok(rump_init() == 0, "rump_init"))
		return tap_done();

	ktest_ok(rump_ktest_lockops(why, sizeof(why)), why,
	    "lock operations: tryenter, owned, upgrade, downgrade");
	ktest_ok(rump_ktest_mutex(16, 2000, why, sizeof(why)), why,
	    "mutex: 16 threads x 2000 increments, exclusion held");
	ktest_ok(rump_ktest_mutex(2, 20000, why, sizeof(why)), why,
	    "mutex: 2 threads x 20000 increments");
	ktest_ok(rump_ktest_rwlock(16, 2000, why, sizeof(why)), why,
	    "rwlock: 16 threads, readers and writers excluded");
	ktest_ok(rump_ktest_cv_timeout(why, sizeof(why)), why,
	    "cv_timedwait times out with EWOULDBLOCK, not early");
	ktest_ok(rump_ktest_cv_signal(why, sizeof(why)), why,
	    "cv_broadcast wakes a waiter before its timeout");
	ktest_ok(rump_ktest_kthread(why, sizeof(why)), why,
	    "kernel threads: joinable and detached");
	return tap_done();
}
