/*
 * t_lwpexit.c: threads that exit while others are in the kernel.  An
 * exiting thread's implicit LWP is freed in the kernel, which may
 * sleep on a lock; the thread may come back on another virtual CPU and
 * must give back that one, not the one it started on.  (A regression
 * test: giving back the wrong CPU panicked in kern_sched.c.)
 */
#include <pthread.h>
#include <stdlib.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../subr.h"

static volatile int stop;

static void *
hammer(void *arg)
{

	(void)arg;
	while (!stop) {
		rump_sys_getuid();
		rump_sys_umask(022);
	}
	return NULL;
}

static void *
shortlived(void *arg)
{

	*(int *)arg = rump_sys_getpid();
	return NULL;
}

static void
run(void *arg)
{
	pthread_t h[3], t;
	int i, pid, good = 0;

	(void)arg;
	setenv("RUMP_NCPU", "2", 1);
	if (rump_init() != 0)
		_exit(3);
	for (i = 0; i < 3; i++)
		pthread_create(&h[i], NULL, hammer, NULL);
	for (i = 0; i < 8000; i++) {
		pid = 0;
		pthread_create(&t, NULL, shortlived, &pid);
		pthread_join(t, NULL);
		good += pid == 1;
	}
	stop = 1;
	for (i = 0; i < 3; i++)
		pthread_join(h[i], NULL);
	_exit(good == 8000 ? 0 : 4);
}

int
main(void)
{
	struct child_result res;

	child_run(run, NULL, &res);
	ok(res.exited == 0, "8000 threads exit while three hammer the kernel "
	    "(status %d, signal %d)", res.exited, res.signal);
	if (res.signal != 0)
		diag("%s", res.err);
	return tap_done();
}
