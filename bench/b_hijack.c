/*
 * b_hijack.c: unmodified host programs under librumphijack against a
 * rump_server serving an FFS image, against the same programs on the
 * host's own files, in one run.  Usage: b_hijack BINDIR LIBDIR WORKDIR.
 *
 * Whole processes, median over fresh runs, interleaved:
 *   ls -l of a 100-file directory     /rump/img/dir  vs  the host copy
 *   cat of a 64 MiB file              /rump/img/big  vs  the host copy
 *   cp -r of a 1,000-file tree (~32 MiB) into the image vs into a host
 *       directory
 *   tar cf of that tree out of the image  vs  out of the host directory
 * Each hijacked process connects to the server and becomes a kernel
 * process there; that is part of its figure, as exec is of the host's.
 * Prints "key value" lines for bench/run.sh.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BENCH_SPAWN
#include "bench.h"

#define RUNS		50
#define BIGRUNS		5
#define TREERUNS	5

extern char **environ;
static char *hijenv[64];	/* environ + LD_PRELOAD + RUMP_SERVER */

static double
run(char *const argv[], bool hijacked)
{

	return spawn_time("b_hijack", argv, hijacked ? hijenv : environ);
}

static void
sh(const char *cmd)
{

	if (system(cmd) != 0) {
		fprintf(stderr, "b_hijack: %s failed\n", cmd);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	char cmd[8192], pre[600], srv[600], w[512], hdir[600], hbig[600];
	char htree[600], hout[600], tarout[600];
	const char *bindir, *libdir;
	double a[RUNS], b[RUNS];
	int i, k = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: b_hijack bindir libdir workdir\n");
		return 2;
	}
	bindir = argv[1];
	libdir = argv[2];
	snprintf(w, sizeof(w), "%s/hj", argv[3]);
	snprintf(hdir, sizeof(hdir), "%s/src/dir", w);
	snprintf(hbig, sizeof(hbig), "%s/src/big", w);
	snprintf(htree, sizeof(htree), "%s/tree", w);
	snprintf(hout, sizeof(hout), "%s/out", w);
	snprintf(tarout, sizeof(tarout), "%s/out.tar", w);

	/* The host's files, and the same in a served image. */
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && for i in $(seq 1 100); do "
	    "echo $i > %s/file$i; done && head -c 67108864 /dev/urandom > %s"
	    " && for d in $(seq 1 20); do mkdir -p %s/d$d; for f in "
	    "$(seq 1 50); do head -c $(( (d * 50 + f) * 2731 %% 65536 )) "
	    "/dev/urandom > %s/d$d/f$f; done; done && %s/newfs -s 400m "
	    "%s/img >/dev/null && %s/rump_server -d key=/dev/disk,hostpath="
	    "%s/img -m type=ffs,special=/dev/disk,dir=/img unix://%s/sock",
	    hdir, hdir, hbig, htree, htree, bindir, w, bindir, w, w);
	sh(cmd);
	snprintf(pre, sizeof(pre), "LD_PRELOAD=%s/librumphijack.so", libdir);
	snprintf(srv, sizeof(srv), "RUMP_SERVER=unix://%s/sock", w);
	for (i = 0; environ[i] != NULL && k < 60; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0 &&
		    strncmp(environ[i], "RUMP_SERVER=", 12) != 0)
			hijenv[k++] = environ[i];
	hijenv[k++] = pre;
	hijenv[k++] = srv;
	hijenv[k] = NULL;
	{
		char *cp[] = { "cp", "-r", hdir, hbig, "/rump/img/", NULL };

		run(cp, true);
	}

	{
		char *hj[] = { "ls", "-l", "/rump/img/dir", NULL };
		char *host[] = { "ls", "-l", hdir, NULL };

		for (i = 0; i < RUNS; i++) {
			a[i] = run(hj, true);
			b[i] = run(host, false);
		}
		printf("hijack_ls_ns %.0f\n", median(a, RUNS));
		printf("hijack_ls_host_ns %.0f\n", median(b, RUNS));
	}
	{
		char *hj[] = { "cat", "/rump/img/big", NULL };
		char *host[] = { "cat", hbig, NULL };

		for (i = 0; i < BIGRUNS; i++) {
			a[i] = run(hj, true);
			b[i] = run(host, false);
		}
		printf("hijack_cat_mbs %.1f\n", 64.0 / (median(a, BIGRUNS) / 1e9));
		printf("hijack_cat_host_mbs %.1f\n",
		    64.0 / (median(b, BIGRUNS) / 1e9));
	}
	{
		char *hj[] = { "cp", "-r", htree, "/rump/img/t", NULL };
		char *hjrm[] = { "rm", "-rf", "/rump/img/t", NULL };
		char *host[] = { "cp", "-r", htree, hout, NULL };
		char *hostrm[] = { "rm", "-rf", hout, NULL };

		for (i = 0; i < TREERUNS; i++) {
			run(hjrm, true);
			a[i] = run(hj, true);
			run(hostrm, false);
			b[i] = run(host, false);
		}
		printf("hijack_cp_ns %.0f\n", median(a, TREERUNS));
		printf("hijack_cp_host_ns %.0f\n", median(b, TREERUNS));
	}
	{
		char *hj[] = { "tar", "cf", tarout, "-C", "/rump/img", "t", NULL };
		char *host[] = { "tar", "cf", tarout, "-C", w, "out", NULL };

		for (i = 0; i < TREERUNS; i++) {
			a[i] = run(hj, true);
			b[i] = run(host, false);
		}
		printf("hijack_tar_ns %.0f\n", median(a, TREERUNS));
		printf("hijack_tar_host_ns %.0f\n", median(b, TREERUNS));
	}
	snprintf(cmd, sizeof(cmd), "RUMP_SERVER=unix://%s/sock %s/rump.halt",
	    w, bindir);
	sh(cmd);
	return 0;
}
