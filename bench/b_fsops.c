/*
 * b_fsops.c: file creation, stat and removal on tmpfs in the rump
 * kernel, against the same on the host's /dev/shm (its tmpfs), in one
 * process: N rounds of create (open O_CREAT, close), stat, unlink, the
 * names cycling over 100 files.  Prints ns per round for each.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "bench.h"

#define N	100000

static int
run_rump(void)
{
	struct rump_stat st;
	char name[64];
	int i, fd;

	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "/bench/f%d", i % 100);
		if ((fd = rump_sys_open(name, RUMP_O_CREAT | RUMP_O_WRONLY,
		    0644)) == -1 || rump_sys_close(fd) == -1 ||
		    rump_sys_stat(name, &st) == -1 ||
		    rump_sys_unlink(name) == -1)
			return -1;
	}
	return 0;
}

static int
run_host(const char *dir)
{
	struct stat st;
	char name[256];
	int i, fd;

	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "%s/f%d", dir, i % 100);
		if ((fd = open(name, O_CREAT | O_WRONLY, 0644)) == -1 ||
		    close(fd) == -1 || stat(name, &st) == -1 ||
		    unlink(name) == -1)
			return -1;
	}
	return 0;
}

int
main(void)
{
	char dir[] = "/dev/shm/b_fsops.XXXXXX";
	double r[3], h[3];
	uint64_t t0;
	int k;

	if (rump_init() == -1 || rump_sys_mkdir("/bench", 0755) == -1) {
		fprintf(stderr, "b_fsops: boot: %s\n", strerror(errno));
		return 1;
	}
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "b_fsops: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (k = 0; k < 3; k++) {
		t0 = now();
		if (run_rump() == -1) {
			fprintf(stderr, "b_fsops: rump: %s\n",
			    strerror(errno));
			return 1;
		}
		r[k] = (double)(now() - t0) / N;
		t0 = now();
		if (run_host(dir) == -1) {
			fprintf(stderr, "b_fsops: host: %s\n",
			    strerror(errno));
			return 1;
		}
		h[k] = (double)(now() - t0) / N;
	}
	rmdir(dir);
	printf("fsops_n %d\n", N);
	printf("fsops_rump_ns %.1f\n", median(r, 3));
	printf("fsops_host_ns %.1f\n", median(h, 3));
	return 0;
}
