/*
 * t_hyp.c: the POSIX hypercalls, used from kernel context as drivers
 * use them: host files (scatter-gather I/O, asynchronous block I/O with
 * its completion on a thread holding a CPU, size and type, sync),
 * errors in the kernel's numbering, random bytes, relative and absolute
 * sleeps; and a thread blocked in a hypercall gives its virtual CPU
 * back, so with one CPU another thread still gets in.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rumpuser.h>
#include "../ktest.h"
#include "../subr.h"

static int asleep, awake;

static void *
sleeper(void *arg)
{

	(void)arg;
	rump_ktest_hostsleep(&asleep, &awake, 1000);
	return NULL;
}

int
main(void)
{
	char dir[] = "/tmp/t_hyp.XXXXXX", path[64], why[256] = "";
	pthread_t t;
	int got;

	setenv("RUMP_NCPU", "1", 1);
	if (!ok(rump_init() == 0, "rump_init with one virtual CPU"))
		return tap_done();
	ok(rumpuser_init(RUMPUSER_VERSION + 1, NULL) != 0,
	    "rumpuser_init refuses another interface version");

	if (mkdtemp(dir) == NULL)
		return tap_done();
	snprintf(path, sizeof(path), "%s/disk", dir);
	ktest_ok(rump_ktest_hostfile(path, dir, why, sizeof(why)), why,
	    "host file: iovec and block I/O, size, type, sync, errors");
	unlink(path);
	rmdir(dir);
	ktest_ok(rump_ktest_random(why, sizeof(why)), why, "random bytes");
	ktest_ok(rump_ktest_sleep(why, sizeof(why)), why,
	    "relative and absolute sleeps");

	/* One CPU: a thread sleeping in the host must not hold it. */
	pthread_create(&t, NULL, sleeper, NULL);
	while (!__atomic_load_n(&asleep, __ATOMIC_SEQ_CST))
		usleep(1000);
	got = rump_sys_getpid();
	ok(got == 1 && !__atomic_load_n(&awake, __ATOMIC_SEQ_CST),
	    "with the only CPU's thread asleep in the host, another thread "
	    "enters the kernel");
	pthread_join(t, NULL);
	return tap_done();
}
