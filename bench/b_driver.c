/*
 * b_driver: the process-level benchmarks, run in fresh processes.
 *
 *	b_driver dir [runs]
 *
 * Spawns the programs in dir (posix_spawn, then waitpid) and prints
 * "key value" lines for bench/run.sh:
 *
 *   Bootstrap.  runs (default 300) fresh b_boot processes, interleaved
 *   with as many b_empty ones (their order alternating).  From b_boot's
 *   output: the median, 10th and 90th percentile of the time spent
 *   inside rump_init() (boot_init_ns, _p10, _p90) and the median of
 *   rump_boot_nsec() (boot_kern_ns).  The wall time of each whole
 *   process, posix_spawn() to the end of waitpid(): medians proc_boot_ns
 *   and proc_empty_ns.
 *
 *   Memory.  MEMRUNS runs each of b_mem and `b_empty rss`, interleaved:
 *   medians of VmRSS, RssAnon and RssFile (rss_mem_kb, anon_mem_kb,
 *   file_mem_kb and the same for _empty_).
 *
 * A few untimed runs of each program come first, to warm the caches.
 */
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define RUNS	300
#define MAXRUNS	100000
#define MEMRUNS	15
#define NWARM	5

extern char **environ;

static uint64_t	spawn(const char *, const char *, char *, size_t);
static void	rss(const char *, const char *, double *, double *,
		    double *);

/*
 * Run path (with the one argument arg, if not NULL) with its standard
 * output into buf, as a string.  Return the wall time, in ns, from
 * posix_spawn() until waitpid() returns.  Any failure is fatal.
 */
static uint64_t
spawn(const char *path, const char *arg, char *buf, size_t len)
{
	posix_spawn_file_actions_t fa;
	char *argv[3];
	uint64_t t0, t1;
	size_t off = 0;
	ssize_t n;
	pid_t pid;
	int fd[2], status, e;

	argv[0] = (char *)path;
	argv[1] = (char *)arg;
	argv[2] = NULL;
	if (pipe2(fd, O_CLOEXEC) == -1)
		err(1, "pipe2");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);

	t0 = now();
	if ((e = posix_spawn(&pid, path, &fa, NULL, argv, environ)) != 0) {
		errno = e;
		err(1, "%s", path);
	}
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	t1 = now();

	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	while (off + 1 < len &&
	    (n = read(fd[0], buf + off, len - off - 1)) > 0)
		off += n;
	buf[off] = '\0';
	close(fd[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "%s %s: failed (status %#x)", path, arg ? arg : "",
		    status);
	return t1 - t0;
}

/* Run path arg; parse its "VmRSS RssAnon RssFile" line into v, a, f. */
static void
rss(const char *path, const char *arg, double *v, double *a, double *f)
{
	char buf[256];

	spawn(path, arg, buf, sizeof(buf));
	if (sscanf(buf, "%lf %lf %lf", v, a, f) != 3)
		errx(1, "%s: bad output \"%s\"", path, buf);
}

int
main(int argc, char **argv)
{
	char boot[PATH_MAX], empty[PATH_MAX], mem[PATH_MAX];
	char buf[256], out[256];
	double *init, *kern, *pboot, *pempty;
	double mv[MEMRUNS], ma[MEMRUNS], mf[MEMRUNS];
	double ev[MEMRUNS], ea[MEMRUNS], ef[MEMRUNS];
	const char *sfx;
	long long ni, nk;
	int i, runs = RUNS;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: b_driver dir [runs [variant]]\n");
		return 2;
	}
	if (argc >= 3 && ((runs = atoi(argv[2])) < 1 || runs > MAXRUNS))
		errx(2, "runs: between 1 and %d", MAXRUNS);
	/* A variant (e.g. "_tmpfs") measures b_boot_tmpfs and b_mem_tmpfs,
	 * kernels with more components linked, and tags its figures. */
	sfx = argc == 4 ? argv[3] : "";
	snprintf(boot, sizeof(boot), "%s/b_boot%s", argv[1], sfx);
	snprintf(empty, sizeof(empty), "%s/b_empty", argv[1]);
	snprintf(mem, sizeof(mem), "%s/b_mem%s", argv[1], sfx);
	if ((init = calloc(runs, sizeof(*init))) == NULL ||
	    (kern = calloc(runs, sizeof(*kern))) == NULL ||
	    (pboot = calloc(runs, sizeof(*pboot))) == NULL ||
	    (pempty = calloc(runs, sizeof(*pempty))) == NULL)
		err(1, "calloc");

	for (i = 0; i < NWARM; i++) {
		spawn(empty, NULL, buf, sizeof(buf));
		spawn(boot, NULL, buf, sizeof(buf));
	}

	/* Bootstrap: b_boot and b_empty in turn, alternating who leads. */
	for (i = 0; i < runs; i++) {
		if (i % 2)
			pempty[i] = spawn(empty, NULL, buf, sizeof(buf));
		pboot[i] = spawn(boot, NULL, out, sizeof(out));
		if (i % 2 == 0)
			pempty[i] = spawn(empty, NULL, buf, sizeof(buf));
		if (sscanf(out, "%lld %lld", &ni, &nk) != 2)
			errx(1, "%s: bad output \"%s\"", boot, out);
		init[i] = ni;
		kern[i] = nk;
	}
	printf("%s%s %d\n", "boot_runs", sfx, runs);
	printf("%s%s %.0f\n", "boot_init_ns", sfx, quantile(init, runs, 0.5));
	printf("%s%s %.0f\n", "boot_init_p10", sfx, quantile(init, runs, 0.1));
	printf("%s%s %.0f\n", "boot_init_p90", sfx, quantile(init, runs, 0.9));
	printf("%s%s %.0f\n", "boot_kern_ns", sfx, quantile(kern, runs, 0.5));
	printf("%s%s %.0f\n", "proc_boot_ns", sfx, quantile(pboot, runs, 0.5));
	printf("%s%s %.0f\n", "proc_empty_ns", sfx, quantile(pempty, runs, 0.5));

	/* Memory: b_mem and b_empty rss in turn. */
	for (i = 0; i < MEMRUNS; i++) {
		rss(mem, NULL, &mv[i], &ma[i], &mf[i]);
		rss(empty, "rss", &ev[i], &ea[i], &ef[i]);
	}
	printf("%s%s %d\n", "mem_runs", sfx, MEMRUNS);
	printf("%s%s %.0f\n", "rss_mem_kb", sfx, quantile(mv, MEMRUNS, 0.5));
	printf("%s%s %.0f\n", "anon_mem_kb", sfx, quantile(ma, MEMRUNS, 0.5));
	printf("%s%s %.0f\n", "file_mem_kb", sfx, quantile(mf, MEMRUNS, 0.5));
	printf("%s%s %.0f\n", "rss_empty_kb", sfx, quantile(ev, MEMRUNS, 0.5));
	printf("%s%s %.0f\n", "anon_empty_kb", sfx, quantile(ea, MEMRUNS, 0.5));
	printf("%s%s %.0f\n", "file_empty_kb", sfx, quantile(ef, MEMRUNS, 0.5));

	free(init);
	free(kern);
	free(pboot);
	free(pempty);
	return 0;
}
