/*
 * b_boot: how long rump_init() takes, in a fresh process.
 *
 * Boots the kernel once and prints two figures on one line: the
 * nanoseconds between clock_gettime(CLOCK_MONOTONIC) calls on either
 * side of rump_init(), and the kernel's own rump_boot_nsec().  Then
 * exits without halting the kernel, as a short-lived tool would.
 * b_driver runs this many times and takes the median; it also times the
 * whole process against b_empty.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>

int
main(void)
{
	struct timespec t0, t1;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (rump_init() == -1) {
		fprintf(stderr, "b_boot: rump_init: %s\n", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL +
	    (t1.tv_nsec - t0.tv_nsec);
	printf("%lld %lld\n", ns, (long long)rump_boot_nsec());
	return 0;
}
