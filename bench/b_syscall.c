/*
 * b_syscall: the cost of a local system call.
 *
 * Boots the kernel once, then times rump_sys_getpid() against the
 * host's getpid made with syscall(2) (a real kernel entry: glibc's
 * getpid() is not cached today, but syscall(2) guarantees it).  Each
 * measurement runs in 1 or 2 fresh threads that start together at a
 * barrier; every thread makes the full N calls and times its own loop.
 * The figure is nanoseconds per call per thread, averaged over the
 * threads.  The four measurements (rump and host, 1 and 2 threads) are
 * interleaved in ROUNDS rounds and the median of each is printed, as
 * "key value" lines for bench/run.sh:
 *
 *	syscall_n N		calls per thread per measurement
 *	syscall_rounds R	rounds (ROUNDS)
 *	getpid1_rump ns		1 thread, rump_sys_getpid()
 *	getpid1_host ns		1 thread, syscall(SYS_getpid)
 *	getpid2_rump ns		2 threads
 *	getpid2_host ns
 *
 * N is NMAX, or fewer when the slower call would take more than LOOPNS
 * per loop, to keep the run short on slow machines.
 */
#include <sys/syscall.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "bench.h"

#define ROUNDS	5
#define NMAX	2000000L
#define NMIN	10000L
#define NCAL	5000L		/* calls to calibrate with */
#define LOOPNS	150000000.0	/* longest wanted loop, ns */
#define NWARM	100		/* calls before the barrier */

struct worker {
	pthread_t	 w_thread;
	int		 w_rump;	/* rump_sys_getpid, else the host's */
	long		 w_n;		/* calls to make */
	uint64_t	 w_ns;		/* time they took */
};

static pthread_barrier_t barrier;
static volatile long sink;

static uint64_t	loop(int, long);
static void	*work(void *);
static double	measure(int, int, long);

/* Make n getpid calls into the rump kernel or the host; time them. */
static uint64_t
loop(int rump, long n)
{
	uint64_t t0, t1;
	long i, sum = 0;

	t0 = now();
	if (rump) {
		for (i = 0; i < n; i++)
			sum += rump_sys_getpid();
	} else {
		for (i = 0; i < n; i++)
			sum += syscall(SYS_getpid);
	}
	t1 = now();
	sink += sum;
	return t1 - t0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;

	/* The first call into the kernel gives this thread its implicit
	 * LWP; do that, and fault in the code, before the clock starts. */
	loop(w->w_rump, NWARM);
	pthread_barrier_wait(&barrier);
	w->w_ns = loop(w->w_rump, w->w_n);
	return NULL;
}

/* Per-call ns of nthreads threads each making n calls, averaged. */
static double
measure(int rump, int nthreads, long n)
{
	struct worker w[2];
	double sum = 0;
	int i, e;

	pthread_barrier_init(&barrier, NULL, nthreads);
	for (i = 0; i < nthreads; i++) {
		w[i].w_rump = rump;
		w[i].w_n = n;
		if ((e = pthread_create(&w[i].w_thread, NULL, work,
		    &w[i])) != 0) {
			fprintf(stderr, "b_syscall: pthread_create: %s\n",
			    strerror(e));
			exit(1);
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].w_thread, NULL);
		sum += (double)w[i].w_ns / n;
	}
	pthread_barrier_destroy(&barrier);
	return sum / nthreads;
}

int
main(void)
{
	double r1[ROUNDS], h1[ROUNDS], r2[ROUNDS], h2[ROUNDS], rc, hc;
	long n;
	int i;

	if (rump_init() == -1) {
		fprintf(stderr, "b_syscall: rump_init: %s\n",
		    strerror(errno));
		return 1;
	}

	/* Both calls must work, or we would time error paths. */
	if (rump_sys_getpid() <= 0 || syscall(SYS_getpid) != getpid()) {
		fprintf(stderr, "b_syscall: getpid does not work\n");
		return 1;
	}

	/* Calibrate: as many calls as fit in LOOPNS for the slower. */
	loop(1, NCAL);
	loop(0, NCAL);
	rc = (double)loop(1, NCAL) / NCAL;
	hc = (double)loop(0, NCAL) / NCAL;
	n = NMAX;
	if (rc > 0 && hc > 0)
		n = (long)(LOOPNS / (rc > hc ? rc : hc));
	if (n > NMAX)
		n = NMAX;
	if (n < NMIN)
		n = NMIN;

	for (i = 0; i < ROUNDS; i++) {
		r1[i] = measure(1, 1, n);
		h1[i] = measure(0, 1, n);
		r2[i] = measure(1, 2, n);
		h2[i] = measure(0, 2, n);
	}

	printf("syscall_n %ld\n", n);
	printf("syscall_rounds %d\n", ROUNDS);
	printf("getpid1_rump %.1f\n", median(r1, ROUNDS));
	printf("getpid1_host %.1f\n", median(h1, ROUNDS));
	printf("getpid2_rump %.1f\n", median(r2, ROUNDS));
	printf("getpid2_host %.1f\n", median(h2, ROUNDS));
	return 0;
}
