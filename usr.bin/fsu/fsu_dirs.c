/*
 * fsu_dirs.c: making and removing names in the image.
 *
 *	fsu_mkdir image [-pv] [-m mode] directory ...
 *	fsu_rmdir image [-pv] [--ignore-fail-on-non-empty] directory ...
 *	fsu_rm    image [-dfRrv] [--no-preserve-root] file ...
 *
 * As mkdir(1), rmdir(1) and rm(1): mkdir -p makes missing parents and
 * accepts existing directories, -m sets the mode (octal or symbolic,
 * not limited by the umask); rmdir -p removes each directory and then
 * its parents; rm -r removes trees (never "/", ".", ".."), -f ignores
 * names that do not exist and never fails for them, -d removes empty
 * directories.  Exit status 0, 1 if an operand failed, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

#define MAX_DEPTH	4096	/* a deeper tree is taken as a loop */

static int
is_dir(const char *path)
{
	struct rump_stat st;

	return rump_sys_stat(path, &st) == 0 &&
	    (st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR;
}

/* mkdir -p: each missing component of path, then path itself. */
static int
mkdir_parents(const char *path, mode_t mode, int verbose)
{
	char *p = fsu_strdup(path), *s, c;
	mode_t pmode = (0777 & ~fsu_umask) | S_IWUSR | S_IXUSR;
	size_t len = strlen(p);
	int rv = 0;

	while (len > 1 && p[len - 1] == '/')
		p[--len] = '\0';
	for (s = p + 1; len > 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		if (s[-1] == '/') {	/* "//": one separator; "/" */
			if (*s == '\0')
				break;
			continue;
		}
		c = *s;
		*s = '\0';
		if (rump_sys_mkdir(p, (rump_mode_t)(c == '\0' ? mode :
		    pmode)) == 0) {
			if (verbose)
				printf("fsu_mkdir: created directory '%s'\n",
				    p);
		} else if (errno != EEXIST || !is_dir(p)) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			fsu_warn("%s", p);
			rv = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rv;
}

int
fsu_mkdir_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "parents", no_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct fsu_mode *m = NULL;
	mode_t mode = 0777;
	int ch, i, pflag = 0, vflag = 0, status = FSU_OK;
	const char *mspec = NULL;

	while ((ch = getopt_long(argc, argv, "m:pv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			mspec = optarg;
			break;
		case 'p':
			pflag = 1;
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
	if (optind >= argc)
		return fsu_usage();
	if (mspec != NULL) {
		if ((m = fsu_mode_parse(mspec)) == NULL) {
			fsu_warnx("invalid mode '%s'", mspec);
			return FSU_FAIL;
		}
		mode = fsu_mode_apply(m, S_IFDIR | 0777, fsu_umask) & 07777;
		fsu_mode_free(m);
	}
	for (i = optind; i < argc; i++) {
		if (pflag) {
			if (mkdir_parents(argv[i], mode, vflag) != 0) {
				status = FSU_TROUBLE;
				continue;
			}
		} else if (rump_sys_mkdir(argv[i], (rump_mode_t)mode) != 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
			continue;
		} else if (vflag)
			printf("fsu_mkdir: created directory '%s'\n", argv[i]);
		/* -m means this mode, whatever the umask says. */
		if (mspec != NULL &&
		    rump_sys_chmod(argv[i], (rump_mode_t)mode) != 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
		}
	}
	return status;
}

int
fsu_rmdir_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "parents", no_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "ignore-fail-on-non-empty", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, i, pflag = 0, vflag = 0, ignore = 0, status = FSU_OK;
	char *p, *s;

	while ((ch = getopt_long(argc, argv, "pv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			pflag = 1;
			break;
		case 'v':
			vflag = 1;
			break;
		case 'I':
			ignore = 1;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (optind >= argc)
		return fsu_usage();
	for (i = optind; i < argc; i++) {
		p = fsu_strdup(argv[i]);
		for (;;) {
			/* Trailing slashes name the same directory. */
			for (s = p + strlen(p); s > p + 1 && s[-1] == '/'; s--)
				s[-1] = '\0';
			if (rump_sys_rmdir(p) != 0) {
				if (!(ignore && (errno == ENOTEMPTY ||
				    errno == EEXIST))) {
					fsu_warn("%s", p);
					status = FSU_TROUBLE;
				}
				break;
			}
			if (vflag)
				printf("fsu_rmdir: removing directory, '%s'\n",
				    p);
			if (!pflag || (s = strrchr(p, '/')) == NULL || s == p)
				break;
			*s = '\0';
		}
		free(p);
	}
	return status;
}

static int rflag, fflag, dflag, vflag;

/*
 * rm -r of a directory: its contents, then itself (unless it is the
 * root, which cannot go); 0 or -1 (told).
 */
static int
rm_tree(const char *path, int depth, int isroot)
{
	struct rump_stat st;
	char **names, *child;
	size_t n, i;
	int rv = 0;

	if (depth >= MAX_DEPTH) {
		errno = ELOOP;
		fsu_warn("%s", path);
		return -1;
	}
	if (fsu_readdir(path, &names, &n) != 0) {
		fsu_warn("%s", path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		child = fsu_join(path, names[i]);
		if (rump_sys_lstat(child, &st) != 0) {
			fsu_warn("%s", child);
			rv = -1;
		} else if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR) {
			if (rm_tree(child, depth + 1, 0) != 0)
				rv = -1;
		} else if (rump_sys_unlink(child) != 0) {
			fsu_warn("%s", child);
			rv = -1;
		} else if (vflag)
			printf("removed '%s'\n", child);
		free(child);
	}
	fsu_freenames(names, n);
	if (rv == 0 && !isroot) {
		if (rump_sys_rmdir(path) != 0) {
			fsu_warn("%s", path);
			rv = -1;
		} else if (vflag)
			printf("removed directory '%s'\n", path);
	}
	return rv;
}

int
fsu_rm_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "force", no_argument, NULL, 'f' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "dir", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-preserve-root", no_argument, NULL, 'N' },
		{ "preserve-root", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	struct rump_stat st, root;
	char *base;
	int ch, i, keeproot = 1, status = FSU_OK, dot;

	while ((ch = getopt_long(argc, argv, "dfiRrv", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			dflag = 1;
			break;
		case 'f':
			fflag = 1;
			break;
		case 'i':		/* nobody to ask: as without it */
			fflag = 0;
			break;
		case 'R':
		case 'r':
			rflag = 1;
			break;
		case 'v':
			vflag = 1;
			break;
		case 'N':
			keeproot = 0;
			break;
		case 'K':
			keeproot = 1;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (optind >= argc)
		return fflag ? FSU_OK : fsu_usage();
	if (rump_sys_lstat("/", &root) != 0)
		memset(&root, 0, sizeof(root));
	for (i = optind; i < argc; i++) {
		base = fsu_basename(argv[i]);
		dot = strcmp(base, ".") == 0 || strcmp(base, "..") == 0;
		free(base);
		if (dot) {
			fsu_warnx("refusing to remove '.' or '..' directory: "
			    "skipping '%s'", argv[i]);
			status = FSU_TROUBLE;
			continue;
		}
		if (rump_sys_lstat(argv[i], &st) != 0) {
			if (!(fflag && errno == ENOENT)) {
				fsu_warn("%s", argv[i]);
				status = FSU_TROUBLE;
			}
			continue;
		}
		if ((st.st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR) {
			if (rump_sys_unlink(argv[i]) != 0) {
				fsu_warn("%s", argv[i]);
				status = FSU_TROUBLE;
			} else if (vflag)
				printf("removed '%s'\n", argv[i]);
			continue;
		}
		if (rflag && keeproot && st.st_ino == root.st_ino &&
		    st.st_dev == root.st_dev) {
			fsu_warnx("it is dangerous to operate recursively on "
			    "'%s'", argv[i]);
			fsu_warnx("use --no-preserve-root to override this "
			    "failsafe");
			status = FSU_TROUBLE;
			continue;
		}
		if (rflag) {
			if (rm_tree(argv[i], 0, st.st_ino == root.st_ino &&
			    st.st_dev == root.st_dev) != 0)
				status = FSU_TROUBLE;
		} else if (dflag) {
			if (rump_sys_rmdir(argv[i]) != 0) {
				fsu_warn("%s", argv[i]);
				status = FSU_TROUBLE;
			} else if (vflag)
				printf("removed directory '%s'\n", argv[i]);
		} else {
			errno = EISDIR;
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
		}
	}
	return status;
}
