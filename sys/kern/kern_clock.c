/*
 * kern_clock.c: the kernel clock.  No periodic interrupt: uptime is the
 * host's monotonic clock less its reading at boot, and ticks (hz per
 * second) are derived from it on demand, which keeps an idle kernel
 * entirely idle.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <rumpuser.h>

int hz = 100;
struct timespec boottime;
static int64_t clock_mono0;	/* c: monotonic ns at boot */

static int64_t
clock_read(int clk)
{
	int64_t sec, nsec;

	if (rumpuser_clock_gettime(clk, &sec, &nsec) != 0)
		panic("clock: host clock %d unreadable", clk);
	return sec * NSEC_PER_SEC + nsec;
}

void
clock_init(void)
{

	clock_mono0 = clock_read(RUMPUSER_CLOCK_MONO);
	getnanotime(&boottime);
}

int64_t
getnsecuptime(void)
{

	return clock_read(RUMPUSER_CLOCK_MONO) - clock_mono0;
}

void
getnanouptime(struct timespec *ts)
{
	int64_t ns = getnsecuptime();

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

void
getnanotime(struct timespec *ts)
{
	int64_t sec, nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_WALL, &sec, &nsec) != 0)
		panic("clock: host wall clock unreadable");
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

int
getticks(void)
{

	return (int)(getnsecuptime() / (NSEC_PER_SEC / hz));
}

int64_t
ticks2ns(int t)
{

	return (int64_t)t * (NSEC_PER_SEC / hz);
}

int
mstohz(int ms)
{

	return (int)(((int64_t)ms * hz + 999) / 1000);
}

int
timespec_valid(const struct timespec *ts)
{

	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	    ts->tv_nsec < NSEC_PER_SEC;
}

void
kpause_ns(int64_t ns)
{

	rumpuser_clock_sleep(RUMPUSER_SLEEP_REL, ns / NSEC_PER_SEC,
	    ns % NSEC_PER_SEC);
}
