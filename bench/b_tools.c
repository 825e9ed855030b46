/*
 * b_tools.c: whole-process costs of the fs-utils against the host's
 * tools, in one run.  Usage: b_tools BINDIR WORKDIR.
 *
 * Makes a tree and its FFS image with makefs(8) in WORKDIR, then times
 * (median over fresh processes, interleaved):
 *   fsu_ls -l of a directory of the image  vs  ls -l of the same tree
 *   fsu_cat of a 64 MiB file in the image   vs  cat of the image file
 *   fsu_ls -R of a tree of 2,000 files      vs  ls -R of the tree
 *   fsu_get -r of that tree                 vs  cp -r of the tree
 *   newfs + fsu_put -r of the tree          vs  makefs of the tree
 * and prints "key value" lines for bench/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BENCH_SPAWN
#include "bench.h"

extern char **environ;

static double
run(char *const argv[])
{

	return spawn_time("b_tools", argv, environ);
}

#define RUNS	100
#define BIGRUNS	5
#define TREERUNS 5

static void
sh(const char *fmt, const char *a, const char *b)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	if (system(cmd) != 0) {
		fprintf(stderr, "b_tools: %s failed\n", cmd);
		exit(1);
	}
}

/* The tree: 40 directories of 50 files, 0 to 64 KiB (~64 MiB). */
static void
tree_bench(const char *bindir, const char *work)
{
	char tree[600], timg[600], out[600], bin[4][600], cmd[2048];
	double a[TREERUNS], b[TREERUNS];
	int i;

	snprintf(tree, sizeof(tree), "%s/tree", work);
	snprintf(timg, sizeof(timg), "%s/timg", work);
	snprintf(out, sizeof(out), "%s/out", work);
	snprintf(cmd, sizeof(cmd), "for d in $(seq 1 40); do mkdir -p %s/d$d;"
	    " for f in $(seq 1 50); do head -c $(( (d * 50 + f) * 2731 %% "
	    "65536 )) /dev/urandom > %s/d$d/f$f; done; done", tree, tree);
	if (system(cmd) != 0)
		exit(1);
	sh("makefs -t ffs -s 120m %s %s >/dev/null", timg, tree);
	snprintf(bin[0], sizeof(bin[0]), "%s/fsu_ls", bindir);
	snprintf(bin[1], sizeof(bin[1]), "%s/fsu_get", bindir);
	snprintf(bin[2], sizeof(bin[2]), "%s/newfs", bindir);
	snprintf(bin[3], sizeof(bin[3]), "%s/fsu_put", bindir);
	{
		char *fsu[] = { bin[0], timg, "-R", "/", NULL };
		char *host[] = { "ls", "-R", tree, NULL };

		for (i = 0; i < TREERUNS; i++) {
			a[i] = run(fsu);
			b[i] = run(host);
		}
		printf("tools_lsR_fsu_ns %.0f\n", median(a, TREERUNS));
		printf("tools_lsR_host_ns %.0f\n", median(b, TREERUNS));
	}
	{
		char *fsu[] = { bin[1], timg, "-r", "/", out, NULL };
		char *host[] = { "cp", "-r", tree, out, NULL };

		for (i = 0; i < TREERUNS; i++) {
			sh("rm -rf %s%s", out, "");
			a[i] = run(fsu);
			sh("rm -rf %s%s", out, "");
			b[i] = run(host);
		}
		sh("rm -rf %s%s", out, "");
		printf("tools_get_fsu_ns %.0f\n", median(a, TREERUNS));
		printf("tools_get_host_ns %.0f\n", median(b, TREERUNS));
	}
	{
		char *mk[] = { bin[2], "-s", "120m", out, NULL };
		char *fsu[] = { bin[3], out, "-r", tree, "/", NULL };
		char *host[] = { "makefs", "-t", "ffs", "-s", "120m", out, tree,
		    NULL };

		for (i = 0; i < TREERUNS; i++) {
			sh("rm -f %s%s", out, "");
			a[i] = run(mk);
			a[i] += run(fsu);
			sh("rm -f %s%s", out, "");
			b[i] = run(host);
		}
		sh("rm -f %s%s", out, "");
		printf("tools_put_fsu_ns %.0f\n", median(a, TREERUNS));
		printf("tools_put_host_ns %.0f\n", median(b, TREERUNS));
	}
}

int
main(int argc, char **argv)
{
	char cmd[3072], img[512], srcdir[512], big[512], fsu_ls[512];
	char fsu_cat[512];
	double a[RUNS], b[RUNS];
	int i;

	if (argc != 3) {
		fprintf(stderr, "usage: b_tools bindir workdir\n");
		return 2;
	}
	snprintf(srcdir, sizeof(srcdir), "%s/src", argv[2]);
	snprintf(img, sizeof(img), "%s/img", argv[2]);
	snprintf(big, sizeof(big), "%s/src/big", argv[2]);
	snprintf(fsu_ls, sizeof(fsu_ls), "%s/fsu_ls", argv[1]);
	snprintf(fsu_cat, sizeof(fsu_cat), "%s/fsu_cat", argv[1]);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/dir && for i in $(seq 1 100);"
	    " do echo $i > %s/dir/file$i; done && head -c 67108864 "
	    "/dev/urandom > %s && makefs -t ffs -s 80m %s %s >/dev/null",
	    srcdir, srcdir, big, img, srcdir);
	if (system(cmd) != 0) {
		fprintf(stderr, "b_tools: cannot make the image\n");
		return 1;
	}
	{
		char *ls_fsu[] = { fsu_ls, img, "-l", "/dir", NULL };
		char dir[600];
		char *ls_host[] = { "ls", "-l", dir, NULL };

		snprintf(dir, sizeof(dir), "%s/dir", srcdir);
		for (i = 0; i < RUNS; i++) {
			a[i] = run(ls_fsu);
			b[i] = run(ls_host);
		}
		printf("tools_ls_fsu_ns %.0f\n", median(a, RUNS));
		printf("tools_ls_host_ns %.0f\n", median(b, RUNS));
	}
	{
		char *cat_fsu[] = { fsu_cat, img, "/big", NULL };
		char *cat_host[] = { "cat", img, NULL };

		for (i = 0; i < BIGRUNS; i++) {
			a[i] = run(cat_fsu);
			b[i] = run(cat_host);
		}
		/* Throughput: 64 MiB out of the image, 80 MiB of image. */
		printf("tools_cat_fsu_mbs %.1f\n", 64.0 /
		    (median(a, BIGRUNS) / 1e9));
		printf("tools_cat_host_mbs %.1f\n", 80.0 /
		    (median(b, BIGRUNS) / 1e9));
	}
	tree_bench(argv[1], argv[2]);
	return 0;
}
