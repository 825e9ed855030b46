/*
 * t_callout.c: callouts fire in deadline order (ties in scheduling
 * order), a callout may reschedule itself, callout_stop cancels and
 * callout_halt waits for a running function.
 */
#include <stdlib.h>

#include <rump/rump.h>
#include "../ktest.h"
#include "../subr.h"

int
main(void)
{
	char why[256] = "";

	if (!ok(rump_init() == 0, "rump_init"))
		return tap_done();
	ktest_ok(rump_ktest_callout_order(why, sizeof(why)), why,
	    "12 callouts fire in deadline order, self-reschedule last");
	ktest_ok(rump_ktest_callout_stop(why, sizeof(why)), why,
	    "callout_stop cancels, callout_halt waits");
	return tap_done();
}
