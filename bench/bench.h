/*
 * bench.h: helpers shared by the benchmark programs: a monotonic clock
 * in ns, median and quantiles of samples, and the resident-set report
 * that b_mem and b_empty print alike.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of v[0..n-1] (nearest rank); sorts v. */
static inline double
quantile(double *v, int n, double q)
{

	qsort(v, n, sizeof(*v), cmpd);
	return v[(int)(q * (n - 1) + 0.5)];
}

/* The median of v[0..n-1]; sorts v. */
static inline double
median(double *v, int n)
{

	qsort(v, n, sizeof(*v), cmpd);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Print "VmRSS RssAnon RssFile" of this process, in kB. */
static inline int
print_rss(void)
{
	FILE *f;
	char line[256];
	long rss = -1, anon = -1, file = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		sscanf(line, "VmRSS: %ld", &rss);
		sscanf(line, "RssAnon: %ld", &anon);
		sscanf(line, "RssFile: %ld", &file);
	}
	fclose(f);
	if (rss == -1)
		return -1;
	printf("%ld %ld %ld\n", rss, anon, file);
	return 0;
}

/*
 * Run argv[0] (searched in PATH) with envp, its stdout on /dev/null,
 * and wait: the wall time in ns.  A program that fails ends the
 * benchmark (who names it in the message).
 */
#ifdef BENCH_SPAWN
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

static inline double
spawn_time(const char *who, char *const argv[], char *const envp[])
{
	posix_spawn_file_actions_t fa;
	uint64_t t0;
	pid_t pid;
	int status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now();
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, envp) != 0 ||
	    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "%s: %s %s failed\n", who, argv[0],
		    argv[1] != NULL ? argv[1] : "");
		exit(1);
	}
	posix_spawn_file_actions_destroy(&fa);
	return (double)(now() - t0);
}
#endif

#endif /* BENCH_BENCH_H */
