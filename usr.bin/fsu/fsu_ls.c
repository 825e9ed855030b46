/*
 * fsu_ls.c: ls(1) inside an image.
 *
 *	fsu_ls image [-1AaRdl] [file ...]
 *
 * Lists directories (sorted by name) and files as ls does, one entry a
 * line.  -l gives the long format with numeric owners (the image's users
 * are not the host's), -a and -A show dot files, -d lists directories
 * themselves, -R recurses.  Exit status 1 if an operand could not be
 * listed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

static int lflag, aflag, Aflag, dflag, Rflag;
static int status;
static time_t now;

struct ent {
	char		*name;
	struct rump_stat st;
};

static void
modestr(rump_mode_t m, char *s)
{
	static const char types[] = "?pc?d?b?-?l?s???";
	int i;

	s[0] = types[(m & RUMP_S_IFMT) >> 12];
	for (i = 0; i < 9; i++)
		s[1 + i] = (m & (1 << (8 - i))) ? "rwx"[i % 3] : '-';
	if (m & RUMP_S_ISUID)
		s[3] = (m & 0100) ? 's' : 'S';
	if (m & RUMP_S_ISGID)
		s[6] = (m & 0010) ? 's' : 'S';
	if (m & RUMP_S_ISVTX)
		s[9] = (m & 0001) ? 't' : 'T';
	s[10] = '\0';
}

static void
print_entry(const char *path, const char *name, const struct rump_stat *st)
{
	char mode[11], date[32], target[1024];
	struct tm tm;
	time_t t = (time_t)st->st_mtim.tv_sec;
	rump_ssize_t n;

	if (!lflag) {
		printf("%s\n", name);
		return;
	}
	modestr(st->st_mode, mode);
	localtime_r(&t, &tm);
	/* ls: the time for the last six months, else the year. */
	strftime(date, sizeof(date), t > now - 182 * 86400 && t <= now + 3600 ?
	    "%b %e %H:%M" : "%b %e  %Y", &tm);
	printf("%s %3u %5u %5u ", mode, (unsigned)st->st_nlink,
	    (unsigned)st->st_uid, (unsigned)st->st_gid);
	if ((st->st_mode & RUMP_S_IFMT) == RUMP_S_IFCHR ||
	    (st->st_mode & RUMP_S_IFMT) == RUMP_S_IFBLK)
		printf("%4u, %4u", (unsigned)(st->st_rdev >> 32),
		    (unsigned)(st->st_rdev & 0xffffffff));
	else
		printf("%10lld", (long long)st->st_size);
	printf(" %s %s", date, name);
	if ((st->st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK &&
	    (n = rump_sys_readlink(path, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		printf(" -> %s", target);
	}
	printf("\n");
}

/* A directory entry's type as st_mode's type bits: false if unknown. */
static bool
dtype_mode(int type, rump_mode_t *mode)
{
	static const rump_mode_t modes[] = {
		[RUMP_DT_FIFO] = RUMP_S_IFIFO, [RUMP_DT_CHR] = RUMP_S_IFCHR,
		[RUMP_DT_DIR] = RUMP_S_IFDIR, [RUMP_DT_BLK] = RUMP_S_IFBLK,
		[RUMP_DT_REG] = RUMP_S_IFREG, [RUMP_DT_LNK] = RUMP_S_IFLNK,
		[RUMP_DT_SOCK] = RUMP_S_IFSOCK,
	};

	if (type <= 0 || (size_t)type >= sizeof(modes) / sizeof(modes[0]) ||
	    modes[type] == 0)
		return false;
	*mode = modes[type];
	return true;
}

static int
cmp_ent(const void *a, const void *b)
{

	return strcmp(((const struct ent *)a)->name,
	    ((const struct ent *)b)->name);
}

static void
list_dir(const char *path, int header)
{
	char buf[8192], child[1100];
	struct ent *ents = NULL, *e;
	struct rump_dirent *d;
	size_t n = 0, cap = 0, i;
	long long total = 0;
	int fd, got, off;

	if ((fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY,
	    0)) == -1) {
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return;
	}
	while ((got = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < got; off += d->d_reclen) {
			d = (struct rump_dirent *)(buf + off);
			if (d->d_name[0] == '.' && !aflag && (!Aflag ||
			    strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0))
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				ents = realloc(ents, cap * sizeof(*ents));
				if (ents == NULL) {
					fsu_warnx("out of memory");
					exit(FSU_FAIL);
				}
			}
			e = &ents[n++];
			e->name = strdup(d->d_name);
			if (e->name == NULL) {
				fsu_warnx("out of memory");
				exit(FSU_FAIL);
			}
			/*
			 * Without -l only the type matters (to recurse),
			 * and the entry has it, as ls(1) uses d_type;
			 * otherwise the inode, looked up from this
			 * directory, not again from the root.
			 */
			memset(&e->st, 0, sizeof(e->st));
			if (!lflag && dtype_mode(d->d_type, &e->st.st_mode))
				continue;
			if (rump_sys_fstatat(fd, e->name, &e->st,
			    RUMP_AT_SYMLINK_NOFOLLOW) != 0) {
				snprintf(child, sizeof(child), "%s/%s",
				    strcmp(path, "/") ? path : "", e->name);
				fsu_warn("%s", child);
				status = FSU_TROUBLE;
				memset(&e->st, 0, sizeof(e->st));
			}
			total += e->st.st_blocks;
		}
	}
	if (got < 0) {
		fsu_warn("%s", path);
		status = FSU_TROUBLE;
	}
	rump_sys_close(fd);
	qsort(ents, n, sizeof(*ents), cmp_ent);
	if (header)
		printf("%s:\n", path);
	if (lflag)
		printf("total %lld\n", total / 2);	/* 1 KiB units */
	for (i = 0; i < n; i++) {
		snprintf(child, sizeof(child), "%s/%s",
		    strcmp(path, "/") ? path : "", ents[i].name);
		print_entry(child, ents[i].name, &ents[i].st);
	}
	for (i = 0; Rflag && i < n; i++) {
		if ((ents[i].st.st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR ||
		    strcmp(ents[i].name, ".") == 0 ||
		    strcmp(ents[i].name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s",
		    strcmp(path, "/") ? path : "", ents[i].name);
		printf("\n");
		list_dir(child, 1);
	}
	for (i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
}

int
fsu_ls_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct rump_stat st;
	int ch, i, nfiles = 0, ndirs = 0, first = 1;

	now = time(NULL);
	while ((ch = getopt_long(argc, argv, "1AaRdl", longopts, NULL)) != -1) {
		switch (ch) {
		case '1': break;
		case 'A': Aflag = 1; break;
		case 'a': aflag = 1; break;
		case 'R': Rflag = 1; break;
		case 'd': dflag = 1; break;
		case 'l': lflag = 1; break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		list_dir("/", Rflag);
		return status;
	}
	/* Files first, then directories, as ls does. */
	for (i = 0; i < argc; i++) {
		if (rump_sys_lstat(argv[i], &st) != 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
			continue;
		}
		if ((st.st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR || dflag) {
			print_entry(argv[i], argv[i], &st);
			nfiles++;
		} else
			ndirs++;
	}
	for (i = 0; i < argc; i++) {
		if (rump_sys_stat(argv[i], &st) != 0 || dflag ||
		    (st.st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR)
			continue;
		if (!first || nfiles > 0)
			printf("\n");
		first = 0;
		list_dir(argv[i], ndirs + nfiles > 1 || Rflag);
	}
	return status;
}
