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

#endif /* BENCH_BENCH_H */
