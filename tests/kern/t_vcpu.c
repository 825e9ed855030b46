/*
 * t_vcpu.c: N virtual CPUs run N threads in the kernel at once, and
 * never more.  Many host threads enter the kernel and count how many
 * are inside together (kernel side: rump_ktest_vcpu_enter); the count
 * must reach RUMP_NCPU and never pass it.  Shown by counting, not by
 * timing.  Each N runs in its own child, since N is fixed at boot.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <rump/rump.h>
#include "../ktest.h"
#include "../subr.h"

static int vmax, vover, vncpu;

static void *
enter(void *arg)
{

	(void)arg;
	rump_ktest_vcpu_enter(&vmax, &vover, vncpu, 3000);
	return NULL;
}

static void
child(void *arg)
{
	pthread_t t[64];
	char buf[16];
	int i, nthr;

	vncpu = *(int *)arg;
	nthr = 3 * vncpu;
	snprintf(buf, sizeof(buf), "%d", vncpu);
	setenv("RUMP_NCPU", buf, 1);
	if (rump_init() == -1)
		_exit(100);
	for (i = 0; i < nthr; i++)
		pthread_create(&t[i], NULL, enter, NULL);
	for (i = 0; i < nthr; i++)
		pthread_join(t[i], NULL);
	/* 0: reached N exactly, never over. */
	_exit(vover ? 101 : vmax == vncpu ? 0 : 102 + vmax);
}

int
main(void)
{
	static const int ns[] = { 1, 2, 3, 4, 8 };
	struct child_result res;
	unsigned i;
	int n;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		n = ns[i];
		child_run(child, &n, &res);
		ok(res.exited == 0, "RUMP_NCPU=%d: %d threads in the kernel at "
		    "once, never more (status %d)", n, n, res.exited);
		if (res.exited == 101)
			diag("more than %d threads were inside at once", n);
		else if (res.exited > 102)
			diag("at most %d were inside at once", res.exited - 102);
	}
	return tap_done();
}
