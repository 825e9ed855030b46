/*
 * t_lockdebug.c: the lock-debugging kernel (built with -DLOCKDEBUG).
 * Taking two lock classes in both orders panics naming both; taking a
 * mutex its holder already holds panics; and the contention workloads
 * of t_locks run clean, so the checker raises no false alarms.
 */
#include <signal.h>
#include <string.h>

#include <rump/rump.h>
#include "../ktest.h"
#include "../subr.h"

static void
reversal(void *arg)
{

	(void)arg;
	if (rump_init() != 0)
		_exit(3);
	rump_ktest_lock_reversal();
	_exit(0);
}

static void
recurse(void *arg)
{

	(void)arg;
	if (rump_init() != 0)
		_exit(3);
	rump_ktest_lock_recurse();
	_exit(0);
}

int
main(void)
{
	struct child_result res;
	char why[256] = "";

	child_run(reversal, NULL, &res);
	ok(res.signal == SIGABRT && strstr(res.err, "lock order reversal")
	    != NULL && strstr(res.err, "ktest_kern.c") != NULL,
	    "a lock-order reversal panics, naming the lock classes");
	if (res.signal != SIGABRT)
		diag("child status %d, stderr: %s", res.exited, res.err);
	child_run(recurse, NULL, &res);
	ok(res.signal == SIGABRT &&
	    strstr(res.err, "locking against myself") != NULL,
	    "taking a held mutex again panics");

	if (!ok(rump_init() == 0, "rump_init"))
		return tap_done();
	ktest_ok(rump_ktest_lockops(why, sizeof(why)), why,
	    "lock operations under LOCKDEBUG");
	ktest_ok(rump_ktest_mutex(8, 2000, why, sizeof(why)), why,
	    "mutex contention under LOCKDEBUG");
	ktest_ok(rump_ktest_rwlock(8, 2000, why, sizeof(why)), why,
	    "rwlock contention under LOCKDEBUG");
	ktest_ok(rump_ktest_callout_order(why, sizeof(why)), why,
	    "callouts under LOCKDEBUG");
	return tap_done();
}
