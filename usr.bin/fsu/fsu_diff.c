/*
 * fsu_diff.c: diff -q (and -r) between the image and the host, or two
 * places in the image.
 *
 *	fsu_diff image [-qrs] [--no-dereference] file1 file2
 *	fsu_diff image -H [-qrs] [--no-dereference] host-file image-file
 *
 * Without -H both operands are in the image; with -H the first is a
 * host path.  Reports as GNU diff -q does: "Files X and Y differ",
 * "Only in D: name", "File X is a directory while file Y is a regular
 * file", "Common subdirectories: X and Y" (directories inside without
 * -r), "Symbolic links X and Y differ" (with --no-dereference; links
 * are otherwise followed).  -s also reports identical files.  A
 * directory compared with a file compares the directory's entry of the
 * file's name.  -q is accepted: the output is always brief.  Names are
 * compared in strcmp order.
 *
 * Exit status 0 if the operands are the same, 1 if they differ, 2 for
 * trouble (a file that cannot be read, bad usage).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsu.h"

#define MAX_DEPTH	4096	/* a deeper tree is taken as a loop */

static const struct fsu_fs *fsa, *fsb;
static int rflag, sflag, nodereference, trouble;
static char *bufa, *bufb;

static void
fail(const char *path)
{

	fsu_warn("%s", path);
	trouble = 1;
}

/* Fill buf from fd up to n bytes; the count, or -1. */
static ssize_t
fill(const struct fsu_fs *fs, int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		if ((r = fs->read(fd, buf + got, n - got)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* 0 same, 1 different, -1 trouble (told). */
static int
same_contents(const char *a, const char *b)
{
	ssize_t na, nb;
	int fa, fb, rv = 0;

	if ((fa = fsa->open(a, O_RDONLY, 0)) < 0) {
		fail(a);
		return -1;
	}
	if ((fb = fsb->open(b, O_RDONLY, 0)) < 0) {
		fail(b);
		fsa->close(fa);
		return -1;
	}
	for (;;) {
		if ((na = fill(fsa, fa, bufa, FSU_BUFSIZE)) < 0) {
			fail(a);
			rv = -1;
			break;
		}
		if ((nb = fill(fsb, fb, bufb, FSU_BUFSIZE)) < 0) {
			fail(b);
			rv = -1;
			break;
		}
		if (na != nb || memcmp(bufa, bufb, (size_t)na) != 0) {
			rv = 1;
			break;
		}
		if (na == 0)
			break;
	}
	fsa->close(fa);
	fsb->close(fb);
	return rv;
}

static int compare(const char *, const char *, int);

/* Two directories, entry by entry. */
static int
compare_dirs(const char *a, const char *b, int depth)
{
	char **na, **nb, *ca, *cb;
	size_t ka, kb, i = 0, j = 0;
	int differ = 0, c;
	struct fsu_stat sa, sb;

	if (depth >= MAX_DEPTH) {
		errno = ELOOP;
		fail(a);
		return 0;
	}
	if (fsa->readdir(a, &na, &ka) != 0) {
		fail(a);
		return 0;
	}
	if (fsb->readdir(b, &nb, &kb) != 0) {
		fail(b);
		fsu_freenames(na, ka);
		return 0;
	}
	fsu_sortnames(na, ka);
	fsu_sortnames(nb, kb);
	while (i < ka || j < kb) {
		c = i >= ka ? 1 : j >= kb ? -1 : strcmp(na[i], nb[j]);
		if (c < 0) {
			printf("Only in %s: %s\n", a, na[i++]);
			differ = 1;
			continue;
		}
		if (c > 0) {
			printf("Only in %s: %s\n", b, nb[j++]);
			differ = 1;
			continue;
		}
		ca = fsu_join(a, na[i++]);
		cb = fsu_join(b, nb[j++]);
		if (!rflag && fsa->stat(ca, &sa, !nodereference) == 0 &&
		    fsb->stat(cb, &sb, !nodereference) == 0 &&
		    S_ISDIR(sa.mode) && S_ISDIR(sb.mode))
			printf("Common subdirectories: %s and %s\n", ca, cb);
		else if (compare(ca, cb, depth + 1) > 0)
			differ = 1;
		free(ca);
		free(cb);
	}
	fsu_freenames(na, ka);
	fsu_freenames(nb, kb);
	return differ;
}

/* 0 same, 1 different; trouble is noted in the global. */
static int
compare(const char *a, const char *b, int depth)
{
	struct fsu_stat sa, sb;
	char *base, *sub, la[4097], lb[4097];
	ssize_t n;
	int rv, oka, okb;

	oka = fsa->stat(a, &sa, !nodereference) == 0;
	if (!oka)
		fail(a);
	okb = fsb->stat(b, &sb, !nodereference) == 0;
	if (!okb)
		fail(b);
	if (!oka || !okb)
		return 0;
	if (S_ISDIR(sa.mode) && S_ISDIR(sb.mode))
		return compare_dirs(a, b, depth);
	/* An operand directory and a file: the directory's entry of it. */
	if (depth == 0 && S_ISDIR(sa.mode) != S_ISDIR(sb.mode)) {
		base = fsu_basename(S_ISDIR(sa.mode) ? b : a);
		sub = fsu_join(S_ISDIR(sa.mode) ? a : b, base);
		rv = S_ISDIR(sa.mode) ? compare(sub, b, 1) : compare(a, sub, 1);
		free(base);
		free(sub);
		return rv;
	}
	if ((sa.mode & S_IFMT) != (sb.mode & S_IFMT)) {
		printf("File %s is a %s while file %s is a %s\n", a,
		    fsu_typename(sa.mode, sa.size), b,
		    fsu_typename(sb.mode, sb.size));
		return 1;
	}
	if (S_ISLNK(sa.mode)) {
		if ((n = fsa->readlink(a, la, sizeof(la) - 1)) < 0) {
			fail(a);
			return 0;
		}
		la[n] = '\0';
		if ((n = fsb->readlink(b, lb, sizeof(lb) - 1)) < 0) {
			fail(b);
			return 0;
		}
		lb[n] = '\0';
		if (strcmp(la, lb) != 0) {
			printf("Symbolic links %s and %s differ\n", a, b);
			return 1;
		}
		rv = 0;
	} else if (S_ISREG(sa.mode)) {
		if (sa.size != sb.size)
			rv = 1;
		else if ((rv = same_contents(a, b)) < 0)
			return 0;
		if (rv) {
			printf("Files %s and %s differ\n", a, b);
			return 1;
		}
	} else if ((S_ISCHR(sa.mode) || S_ISBLK(sa.mode)) &&
	    (sa.rmajor != sb.rmajor || sa.rminor != sb.rminor)) {
		printf("File %s is a %s while file %s is a %s\n", a,
		    fsu_typename(sa.mode, sa.size), b,
		    fsu_typename(sb.mode, sb.size));
		return 1;
	} else
		rv = 0;
	if (sflag)
		printf("Files %s and %s are identical\n", a, b);
	return rv;
}

int
fsu_diff_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "brief", no_argument, NULL, 'q' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "report-identical-files", no_argument, NULL, 's' },
		{ "no-dereference", no_argument, NULL, 'N' },
		{ "host", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, differ;

	fsa = fsb = &fsu_imagefs;
	while ((ch = getopt_long(argc, argv, "Hqrs", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			fsa = &fsu_hostfs;
			break;
		case 'q':
			break;
		case 'r':
			rflag = 1;
			break;
		case 's':
			sflag = 1;
			break;
		case 'N':
			nodereference = 1;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (argc - optind != 2)
		return fsu_usage();
	bufa = fsu_malloc(FSU_BUFSIZE);
	bufb = fsu_malloc(FSU_BUFSIZE);
	differ = compare(argv[optind], argv[optind + 1], 0);
	free(bufa);
	free(bufb);
	return trouble ? FSU_FAIL : differ ? 1 : FSU_OK;
}
