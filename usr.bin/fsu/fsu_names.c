/*
 * fsu_names.c: moving and linking names in the image.
 *
 *	fsu_mv image [-fnv] source ... target
 *	fsu_ln image [-fnsv] target [link-name]
 *	fsu_ln image [-fnsv] target ... directory
 *
 * As mv(1) and ln(1): a last operand that is a directory receives the
 * others under their last names.  mv renames (the image is one file
 * system, so nothing is ever copied); -n leaves existing names alone.
 * ln makes hard links, -s symbolic ones (the target is stored as
 * given), -f replaces existing names, -n does not follow a link-name
 * that is a symbolic link to a directory.  Exit status 0, 1 if an
 * operand failed, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

static int
is_dir(const char *path, int follow)
{
	struct rump_stat st;

	return (follow ? rump_sys_stat(path, &st) :
	    rump_sys_lstat(path, &st)) == 0 &&
	    (st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR;
}

/* The name to give operand src: inside target when target is a directory. */
static char *
dest_name(const char *src, const char *target, int intodir)
{
	char *base, *d;

	if (!intodir)
		return fsu_strdup(target);
	base = fsu_basename(src);
	d = fsu_join(target, base);
	free(base);
	return d;
}

int
fsu_mv_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "force", no_argument, NULL, 'f' },
		{ "no-clobber", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct rump_stat sst, dst;
	const char *target;
	char *d;
	int ch, i, nflag = 0, vflag = 0, intodir, status = FSU_OK;

	while ((ch = getopt_long(argc, argv, "finv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
		case 'i':		/* nobody to ask: never asks */
			nflag = 0;
			break;
		case 'n':
			nflag = 1;
			break;
		case 'v':
			vflag = 1;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (argc - optind < 2)
		return fsu_usage();
	target = argv[argc - 1];
	intodir = is_dir(target, 1);
	if (argc - optind > 2 && !intodir) {
		if (rump_sys_stat(target, &dst) == 0)
			errno = ENOTDIR;
		fsu_warn("%s", target);
		return FSU_TROUBLE;
	}
	for (i = optind; i < argc - 1; i++) {
		d = dest_name(argv[i], target, intodir);
		if (rump_sys_lstat(argv[i], &sst) != 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
		} else if (rump_sys_lstat(d, &dst) == 0 && nflag) {
			/* -n: leave it */
		} else if (rump_sys_lstat(d, &dst) == 0 &&
		    dst.st_ino == sst.st_ino && dst.st_dev == sst.st_dev) {
			fsu_warnx("'%s' and '%s' are the same file", argv[i],
			    d);
			status = FSU_TROUBLE;
		} else if (rump_sys_rename(argv[i], d) != 0) {
			if (errno == EINVAL)
				fsu_warnx("cannot move '%s' to a subdirectory "
				    "of itself, '%s'", argv[i], d);
			else
				fsu_warn("%s", d);
			status = FSU_TROUBLE;
		} else if (vflag)
			printf("renamed '%s' -> '%s'\n", argv[i], d);
		free(d);
	}
	return status;
}

int
fsu_ln_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "force", no_argument, NULL, 'f' },
		{ "no-dereference", no_argument, NULL, 'n' },
		{ "symbolic", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct rump_stat sst, dst;
	const char *target;
	char *d;
	int ch, i, fflag = 0, nflag = 0, sflag = 0, vflag = 0, intodir;
	int nsrc, status = FSU_OK, rv;

	while ((ch = getopt_long(argc, argv, "fnsv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			fflag = 1;
			break;
		case 'n':
			nflag = 1;
			break;
		case 's':
			sflag = 1;
			break;
		case 'v':
			vflag = 1;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	nsrc = argc - optind;
	if (nsrc < 1)
		return fsu_usage();
	if (nsrc == 1) {
		/* One operand: a link of that name in the current directory. */
		target = ".";
		intodir = 1;
	} else {
		target = argv[argc - 1];
		nsrc--;
		intodir = is_dir(target, !nflag);
		if (nsrc > 1 && !intodir) {
			if (rump_sys_stat(target, &dst) == 0)
				errno = ENOTDIR;
			fsu_warn("%s", target);
			return FSU_TROUBLE;
		}
	}
	for (i = optind; i < optind + nsrc; i++) {
		d = dest_name(argv[i], target, intodir);
		if (!sflag && rump_sys_lstat(argv[i], &sst) != 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
			free(d);
			continue;
		}
		if (fflag && rump_sys_lstat(d, &dst) == 0) {
			if (!sflag && dst.st_ino == sst.st_ino &&
			    dst.st_dev == sst.st_dev) {
				fsu_warnx("'%s' and '%s' are the same file",
				    argv[i], d);
				status = FSU_TROUBLE;
				free(d);
				continue;
			}
			if ((dst.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR)
				errno = EISDIR;
			if ((dst.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR ||
			    rump_sys_unlink(d) != 0) {
				fsu_warn("%s", d);
				status = FSU_TROUBLE;
				free(d);
				continue;
			}
		}
		rv = sflag ? rump_sys_symlink(argv[i], d) :
		    rump_sys_link(argv[i], d);
		if (rv != 0) {
			fsu_warn("%s", d);
			status = FSU_TROUBLE;
		} else if (vflag)
			printf("'%s' -> '%s'\n", d, argv[i]);
		free(d);
	}
	return status;
}
