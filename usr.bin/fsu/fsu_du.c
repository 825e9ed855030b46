/*
 * fsu_du.c: du(1) and df(1) for an image.
 *
 *	fsu_du image [-abchkms] [-d depth] [--apparent-size] [file ...]
 *	fsu_df image [-hHikPT] [file ...]
 *
 * fsu_du prints the space each directory (with -a each file too) uses,
 * its own and everything below it, after its contents, as GNU du:
 * blocks allocated (st_blocks), or with --apparent-size (-b) the sizes;
 * in KiB (-k, the default), MiB (-m), bytes (-b) or for people (-h).
 * A file with several names counts once.  -s prints only the operands,
 * -d n the levels down to n, -c a total.  Default operand: ".", the
 * image's root.
 *
 * fsu_df reports the image's file system as GNU df reports a mounted
 * one: the image's path, size, used, available, use% and "/" (or with
 * -i its inodes), from statvfs; -h and -H in powers of 1024 and 1000,
 * -T adds the type, -P the POSIX format.  One line per operand (all are
 * on the same file system), or one line without operands.
 *
 * Exit status 0, 1 if a file could not be examined, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

#define MAX_DEPTH	4096	/* a deeper tree is taken as a loop */

static int aflag, sflag, hflag, apparent, status;
static int maxdepth = -1;
static uint64_t unit = 1024;

/* Files with several names already counted, by inode. */
static uint64_t *seen;
static size_t nseen, seencap;

static int
seen_before(uint64_t ino)
{
	size_t i, h;

	if (2 * (nseen + 1) > seencap) {
		uint64_t *old = seen;
		size_t oldcap = seencap;

		seencap = seencap ? 2 * seencap : 1024;
		seen = fsu_malloc(seencap * sizeof(*seen));
		memset(seen, 0, seencap * sizeof(*seen));
		for (i = 0; i < oldcap; i++) {
			if (old[i] == 0)
				continue;
			h = (size_t)(old[i] * 0x9e3779b97f4a7c15ULL) &
			    (seencap - 1);
			while (seen[h] != 0)
				h = (h + 1) & (seencap - 1);
			seen[h] = old[i];
		}
		free(old);
	}
	/* Inode 0 is never a file's: the slot marker. */
	h = (size_t)((ino + 1) * 0x9e3779b97f4a7c15ULL) & (seencap - 1);
	while (seen[h] != 0) {
		if (seen[h] == ino + 1)
			return 1;
		h = (h + 1) & (seencap - 1);
	}
	seen[h] = ino + 1;
	nseen++;
	return 0;
}

static void
show(uint64_t bytes, const char *path)
{
	char buf[32];

	if (hflag)
		fsu_human(bytes, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)
		    ((bytes + unit - 1) / unit));
	printf("%s\t%s\n", buf, path);
}

static uint64_t
du(const char *path, int depth)
{
	struct rump_stat st;
	char **names, *child;
	size_t n, i;
	uint64_t total;
	int isdir;

	if (rump_sys_lstat(path, &st) != 0) {
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return 0;
	}
	isdir = (st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR;
	if ((st.st_nlink > 1 || isdir) && seen_before(st.st_ino))
		return 0;
	total = apparent ? (uint64_t)st.st_size : (uint64_t)st.st_blocks * 512;
	if (isdir && depth < MAX_DEPTH) {
		if (fsu_readdir(path, &names, &n) != 0) {
			fsu_warn("%s", path);
			status = FSU_TROUBLE;
		} else {
			for (i = 0; i < n; i++) {
				child = fsu_join(path, names[i]);
				total += du(child, depth + 1);
				free(child);
			}
			fsu_freenames(names, n);
		}
	}
	if (depth == 0 || ((isdir || aflag) && !sflag &&
	    (maxdepth < 0 || depth <= maxdepth)))
		show(total, path);
	return total;
}

int
fsu_du_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "all", no_argument, NULL, 'a' },
		{ "apparent-size", no_argument, NULL, 'A' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "total", no_argument, NULL, 'c' },
		{ "human-readable", no_argument, NULL, 'h' },
		{ "max-depth", required_argument, NULL, 'd' },
		{ "summarize", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	char *dot[] = { ".", NULL }, **files, *end;
	uint64_t total = 0;
	int ch, i, nfiles, cflag = 0;
	long v;

	while ((ch = getopt_long(argc, argv, "abcd:hkmsx", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'A': apparent = 1; break;
		case 'b': apparent = 1; unit = 1; hflag = 0; break;
		case 'c': cflag = 1; break;
		case 'h': hflag = 1; break;
		case 'k': unit = 1024; hflag = 0; break;
		case 'm': unit = 1024 * 1024; hflag = 0; break;
		case 's': sflag = 1; break;
		case 'x': break;	/* one file system: always */
		case 'd':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 0 ||
			    errno != 0) {
				fsu_warnx("invalid maximum depth '%s'", optarg);
				return FSU_FAIL;
			}
			maxdepth = (int)(v > MAX_DEPTH ? MAX_DEPTH : v);
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (sflag && maxdepth > 0) {
		fsu_warnx("cannot both summarize and show all entries");
		return fsu_usage();
	}
	if (sflag)
		maxdepth = 0;
	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles == 0) {
		files = dot;
		nfiles = 1;
	}
	for (i = 0; i < nfiles; i++)
		total += du(files[i], 0);
	if (cflag)
		show(total, "total");
	return status;
}

/* df */

struct col {
	const char	*head;
	char		cell[64];
	int		left;
};

int
fsu_df_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "human-readable", no_argument, NULL, 'h' },
		{ "si", no_argument, NULL, 'H' },
		{ "inodes", no_argument, NULL, 'i' },
		{ "portability", no_argument, NULL, 'P' },
		{ "print-type", no_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	struct rump_statvfs sv;
	struct rump_stat st;
	struct col c[7];
	uint64_t total, used, avail, base = 1024;
	int ch, i, j, k, iflag = 0, Pflag = 0, Tflag = 0, human = 0;
	int ncol, w[7], lines;
	char **files;

	while ((ch = getopt_long(argc, argv, "hHikPT", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h': human = 1; base = 1024; break;
		case 'H': human = 1; base = 1000; break;
		case 'i': iflag = 1; break;
		case 'k': human = 0; break;
		case 'P': Pflag = 1; break;
		case 'T': Tflag = 1; break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	files = argv + optind;
	lines = argc - optind;
	if (lines == 0)
		lines = 1;
	if (rump_sys_statvfs("/", &sv) != 0) {
		fsu_warn("%s", fsu_image);
		return FSU_FAIL;
	}
	/* Every row is the same file system; only the header is once. */
	for (j = -1; j < lines; j++) {
		if (j >= 0 && argc - optind > 0 &&
		    rump_sys_stat(files[j], &st) != 0) {
			fsu_warn("%s", files[j]);
			status = FSU_TROUBLE;
			continue;
		}
		if (iflag) {
			total = sv.f_files;
			avail = sv.f_ffree;
			used = sv.f_files >= sv.f_ffree ?
			    sv.f_files - sv.f_ffree : 0;
		} else {
			total = sv.f_blocks * sv.f_frsize;
			avail = sv.f_bavail * sv.f_frsize;
			used = sv.f_blocks >= sv.f_bfree ? (sv.f_blocks -
			    sv.f_bfree) * sv.f_frsize : 0;
		}
		ncol = 0;
		c[ncol].head = "Filesystem";
		c[ncol].left = 1;
		snprintf(c[ncol++].cell, sizeof(c[0].cell), "%s", fsu_image);
		if (Tflag) {
			c[ncol].head = "Type";
			c[ncol].left = 1;
			snprintf(c[ncol++].cell, sizeof(c[0].cell), "%s",
			    sv.f_fstypename);
		}
		c[ncol].head = iflag ? "Inodes" : human ? "Size" : Pflag ?
		    "1024-blocks" : "1K-blocks";
		c[ncol + 1].head = iflag ? "IUsed" : "Used";
		c[ncol + 2].head = iflag ? "IFree" : human ? "Avail" :
		    "Available";
		for (k = 0; k < 3; k++) {
			uint64_t v = k == 0 ? total : k == 1 ? used : avail;

			c[ncol + k].left = 0;
			if (human && !iflag && base == 1024)
				fsu_human(v, c[ncol + k].cell,
				    sizeof(c[0].cell));
			else if (human && !iflag) {
				/* -H: powers of 1000, rounded up. */
				static const char u[] = "kMGTPE";
				int e = -1;
				uint64_t d = 1;

				while (v >= d * 1000 && e < 5) {
					d *= 1000;
					e++;
				}
				if (e < 0)
					snprintf(c[ncol + k].cell,
					    sizeof(c[0].cell), "%llu",
					    (unsigned long long)v);
				else
					snprintf(c[ncol + k].cell,
					    sizeof(c[0].cell), "%llu%c",
					    (unsigned long long)((v + d - 1) /
					    d), u[e]);
			} else
				snprintf(c[ncol + k].cell, sizeof(c[0].cell),
				    "%llu", (unsigned long long)(iflag ? v :
				    (v + 1023) / 1024));
		}
		ncol += 3;
		c[ncol].head = iflag ? "IUse%" : Pflag ? "Capacity" : "Use%";
		c[ncol].left = 0;
		if (used + avail == 0)
			snprintf(c[ncol].cell, sizeof(c[0].cell), "-");
		else
			snprintf(c[ncol].cell, sizeof(c[0].cell), "%llu%%",
			    (unsigned long long)((used * 100 + used + avail -
			    1) / (used + avail)));
		ncol++;
		c[ncol].head = "Mounted on";
		c[ncol].left = 1;
		snprintf(c[ncol++].cell, sizeof(c[0].cell), "/");
		for (i = 0; i < ncol; i++) {
			w[i] = (int)strlen(c[i].head);
			if ((int)strlen(c[i].cell) > w[i])
				w[i] = (int)strlen(c[i].cell);
		}
		/* The last column is not padded. */
		for (i = 0; i < ncol; i++) {
			const char *s = j < 0 ? c[i].head : c[i].cell;

			if (i == ncol - 1)
				printf("%s\n", s);
			else if (c[i].left)
				printf("%-*s ", w[i], s);
			else
				printf("%*s ", w[i], s);
		}
	}
	return status;
}
