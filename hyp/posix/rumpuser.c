/*
 * rumpuser.c: POSIX hypercalls: initialisation, parameters, memory,
 * console, exit, clocks, random bytes.  See docs/rumpuser.md.
 */
#include <sys/random.h>
#include <sched.h>
#include <sys/utsname.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser_int.h"

static void
hyp_nothing(void)
{
}

static void
hyp_nothing_lwp(void *l)
{

	(void)l;
}

static const struct rumpuser_hyperup hyp_none = {
	.hyp_schedule = hyp_nothing,
	.hyp_unschedule = hyp_nothing,
	.hyp_enter = hyp_nothing,
	.hyp_leave = hyp_nothing,
	.hyp_lwpexit = hyp_nothing_lwp,
};
static struct rumpuser_hyperup hyp_kernel;
const struct rumpuser_hyperup *rumpuser__hypp = &hyp_none;

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{
	int error;

	if (version != RUMPUSER_VERSION) {
		fprintf(stderr, "rumpuser: kernel wants hypercall interface "
		    "version %d, this is version %d\n", version,
		    RUMPUSER_VERSION);
		return rumpuser__errtrans(EINVAL);
	}
	if (HYP() != &hyp_none)
		return rumpuser__errtrans(EBUSY);	/* one kernel a process */
	if ((error = rumpuser__thread_init()) != 0)
		return rumpuser__errtrans(error);
	hyp_kernel = *hyp;
	__atomic_store_n(&rumpuser__hypp, &hyp_kernel, __ATOMIC_RELEASE);
	return 0;
}

/* Decimal digits of v, at the end of buf. */
static const char *
utoa(unsigned long v, char *buf, size_t len)
{
	char *p = buf + len;

	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0 && p > buf);
	return p;
}

static int
param_copy(void *buf, uint64_t buflen, const char *val)
{
	size_t len = strlen(val) + 1;

	if (len > buflen)
		return rumpuser__errtrans(E2BIG);
	memcpy(buf, val, len);
	return 0;
}

int
rumpuser_getparam(const char *name, void *buf, uint64_t buflen)
{
	const char *val;
	char tmp[256];
	struct utsname u;
	long n;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0) {
		if ((val = getenv("RUMP_NCPU")) == NULL) {
			/* The CPUs this process may run on: one system
			 * call, where sysconf() reads a sysfs file. */
			cpu_set_t set;

			n = sched_getaffinity(0, sizeof(set), &set) == 0 ?
			    CPU_COUNT(&set) : 1;
			val = utoa((unsigned long)(n > 0 ? n : 1), tmp,
			    sizeof(tmp));
		}
		return param_copy(buf, buflen, val);
	}
	if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0) {
		if ((val = getenv("RUMP_HOSTNAME")) == NULL) {
			if (gethostname(tmp, sizeof(tmp) - 1) != 0)
				return rumpuser__errtrans(errno);
			tmp[sizeof(tmp) - 1] = '\0';
			val = tmp;
		}
		return param_copy(buf, buflen, val);
	}
	if (strcmp(name, RUMPUSER_PARAM_MACHINE) == 0) {
		if (uname(&u) != 0)
			return rumpuser__errtrans(errno);
		return param_copy(buf, buflen, u.machine);
	}
	/* Anything else is taken from the environment as it is. */
	if ((val = getenv(name)) == NULL)
		return rumpuser__errtrans(ENOENT);
	return param_copy(buf, buflen, val);
}

int
rumpuser_malloc(uint64_t len, uint64_t alignment, void **memp)
{
	int error;

	if (alignment < sizeof(void *))
		alignment = sizeof(void *);
	error = posix_memalign(memp, (size_t)alignment, (size_t)len);
	return rumpuser__errtrans(error);
}

void
rumpuser_free(void *mem, uint64_t len)
{

	(void)len;
	free(mem);
}

void
rumpuser_console(const char *buf, uint64_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, buf, (size_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (uint64_t)n;
	}
}

void
rumpuser_exit(int status)
{

	if (status == RUMPUSER_EXIT_PANIC)
		abort();
	exit(status);
}

int
rumpuser_clock_gettime(int clk, int64_t *sec, int64_t *nsec)
{
	struct timespec ts;
	clockid_t id;

	switch (clk) {
	case RUMPUSER_CLOCK_WALL:
		id = CLOCK_REALTIME;
		break;
	case RUMPUSER_CLOCK_MONO:
		id = CLOCK_MONOTONIC;
		break;
	default:
		return rumpuser__errtrans(EINVAL);
	}
	if (clock_gettime(id, &ts) != 0)
		return rumpuser__errtrans(errno);
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

int
rumpuser_clock_sleep(int how, int64_t sec, int64_t nsec)
{
	struct timespec ts;
	int error;

	ts.tv_sec = (time_t)sec;
	ts.tv_nsec = (long)nsec;
	if (how != RUMPUSER_SLEEP_REL && how != RUMPUSER_SLEEP_ABSMONO)
		return rumpuser__errtrans(EINVAL);
	WRAP(
		do {
			error = clock_nanosleep(CLOCK_MONOTONIC,
			    how == RUMPUSER_SLEEP_ABSMONO ? TIMER_ABSTIME : 0,
			    &ts, how == RUMPUSER_SLEEP_REL ? &ts : NULL);
		} while (error == EINTR)
	);
	return rumpuser__errtrans(error);
}

int
rumpuser_getrandom(void *buf, uint64_t buflen, int flags, uint64_t *retlen)
{
	ssize_t n;

	WRAP(
		do {
			n = getrandom(buf, (size_t)buflen,
			    (flags & RUMPUSER_RANDOM_NOWAIT) ? GRND_NONBLOCK : 0);
		} while (n < 0 && errno == EINTR)
	);
	if (n < 0)
		return rumpuser__errtrans(errno);
	*retlen = (uint64_t)n;
	return 0;
}
