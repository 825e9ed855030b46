/*
 * fsu_attr.c: changing the attributes of files in the image.
 *
 *	fsu_chmod image [-Rcfv] mode file ...
 *	fsu_chown image [-Rcfhv] owner[:group] file ...
 *	fsu_touch image [-acmh] [-d date | -r file | -t stamp] file ...
 *
 * As chmod(1), chown(1) and touch(1).  Modes are octal or symbolic
 * ("u+x,go-w", "a=rX"; a clause naming nobody is limited by the umask).
 * Owners and groups are numbers, or names looked up in the image's own
 * /etc/passwd and /etc/group; "owner:" also sets owner's login group,
 * ":group" only the group.  -R descends into directories without
 * following symbolic links found there (chmod skips them, chown changes
 * them only with -h).  touch creates missing files unless -c; times come
 * from -d (ISO 8601 "2024-01-31 12:00[:00[.frac]]" with an optional
 * "Z" or "+hh:mm", or "@seconds"), -t ([[CC]YY]MMDDhhmm[.ss], local
 * time), -r (another file in the image) or the clock; -a and -m pick
 * one of the two times.  Exit status 0, 1 if an operand failed, 2 for
 * bad usage, including a mode, owner or date that does not parse.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

#define MAX_DEPTH	4096	/* a deeper tree is taken as a loop */

static int Rflag, fflag, vflag, cflag, hflag, status;

/*
 * -R: apply fn to each name under dir, not following symbolic links;
 * fn gets lstat's answer and a depth (> 0).
 */
static void
walk(const char *dir, int depth,
    void (*fn)(const char *, const struct rump_stat *, int))
{
	struct rump_stat st;
	char **names, *child;
	size_t n, i;

	if (depth >= MAX_DEPTH) {
		errno = ELOOP;
		fsu_warn("%s", dir);
		status = FSU_TROUBLE;
		return;
	}
	if (fsu_readdir(dir, &names, &n) != 0) {
		if (!fflag)
			fsu_warn("%s", dir);
		status = FSU_TROUBLE;
		return;
	}
	for (i = 0; i < n; i++) {
		child = fsu_join(dir, names[i]);
		if (rump_sys_lstat(child, &st) != 0) {
			if (!fflag)
				fsu_warn("%s", child);
			status = FSU_TROUBLE;
		} else {
			fn(child, &st, depth + 1);
			if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR)
				walk(child, depth + 1, fn);
		}
		free(child);
	}
	fsu_freenames(names, n);
}

/* chmod */

static struct fsu_mode *chmode;

static void
chmod_one(const char *path, const struct rump_stat *lst, int depth)
{
	struct rump_stat st;
	char from[11], to[11];
	mode_t old, new;

	if (depth > 0 && (lst->st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK)
		return;			/* never through links found inside */
	if (depth > 0)
		st = *lst;
	else if (rump_sys_stat(path, &st) != 0) {
		if (!fflag)
			fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return;
	}
	old = (mode_t)st.st_mode;
	new = fsu_mode_apply(chmode, old, fsu_umask);
	if (new != old && rump_sys_chmod(path, (rump_mode_t)(new & 07777)) !=
	    0) {
		if (!fflag)
			fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return;
	}
	fsu_modestr(old, from);
	fsu_modestr(new, to);
	if (new != old && (vflag || cflag))
		printf("mode of '%s' changed from %04o (%s) to %04o (%s)\n",
		    path, (unsigned)(old & 07777), from + 1,
		    (unsigned)(new & 07777), to + 1);
	else if (new == old && vflag)
		printf("mode of '%s' retained as %04o (%s)\n", path,
		    (unsigned)(old & 07777), from + 1);
}

/* chmod's own options, told from modes like -w: only these letters. */
static int
chmod_opt(const char *arg)
{
	const char *p;

	if (arg[0] != '-' || arg[1] == '\0' || arg[1] == '-')
		return 0;
	for (p = arg + 1; *p != '\0'; p++)
		if (strchr("Rcfv", *p) == NULL)
			return 0;
	for (p = arg + 1; *p != '\0'; p++) {
		switch (*p) {
		case 'R': Rflag = 1; break;
		case 'c': cflag = 1; break;
		case 'f': fflag = 1; break;
		case 'v': vflag = 1; break;
		}
	}
	return 1;
}

int
fsu_chmod_main(int argc, char **argv)
{
	struct rump_stat st;
	const char *mode = NULL;
	char **files;
	int i, nfiles = 0, dashdash = 0;

	/*
	 * Not getopt: "-w" or "-x" is a mode, not an option, so options are
	 * recognised by their letters wherever they are, as GNU chmod does.
	 */
	files = fsu_malloc((size_t)argc * sizeof(*files));
	for (i = 1; i < argc; i++) {
		if (!dashdash && strcmp(argv[i], "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && strcmp(argv[i], "--help") == 0) {
			free(files);
			return fsu_help();
		}
		if (!dashdash && strcmp(argv[i], "--recursive") == 0) {
			Rflag = 1;
			continue;
		}
		if (!dashdash && strncmp(argv[i], "--", 2) == 0) {
			fsu_warnx("unrecognized option '%s'", argv[i]);
			free(files);
			return fsu_usage();
		}
		if (!dashdash && chmod_opt(argv[i]))
			continue;
		if (mode == NULL)
			mode = argv[i];
		else
			files[nfiles++] = argv[i];
	}
	if (mode == NULL || nfiles == 0) {
		free(files);
		return fsu_usage();
	}
	if ((chmode = fsu_mode_parse(mode)) == NULL) {
		fsu_warnx("invalid mode: '%s'", mode);
		free(files);
		return FSU_FAIL;
	}
	for (i = 0; i < nfiles; i++) {
		chmod_one(files[i], NULL, 0);
		if (Rflag && rump_sys_stat(files[i], &st) == 0 &&
		    (st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR)
			walk(files[i], 0, chmod_one);
	}
	fsu_mode_free(chmode);
	free(files);
	return status;
}

/* chown */

static uid_t newuid;
static gid_t newgid;

static void
chown_one(const char *path, const struct rump_stat *lst, int depth)
{
	struct rump_stat st;
	int nofollow = hflag || depth > 0, rv;

	/* Inside a tree, a link is changed itself (-h) or left alone. */
	if (depth > 0 && (lst->st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK &&
	    !hflag)
		return;
	if ((nofollow ? rump_sys_lstat(path, &st) :
	    rump_sys_stat(path, &st)) != 0) {
		if (!fflag)
			fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return;
	}
	rv = nofollow ? rump_sys_lchown(path, newuid, newgid) :
	    rump_sys_chown(path, newuid, newgid);
	if (rv != 0) {
		if (!fflag)
			fsu_warn("%s", path);
		status = FSU_TROUBLE;
		return;
	}
	if ((newuid == (uid_t)-1 || newuid == st.st_uid) &&
	    (newgid == (gid_t)-1 || newgid == st.st_gid)) {
		if (vflag)
			printf("ownership of '%s' retained as %u:%u\n", path,
			    (unsigned)st.st_uid, (unsigned)st.st_gid);
	} else if (vflag || cflag)
		printf("changed ownership of '%s' from %u:%u to %u:%u\n", path,
		    (unsigned)st.st_uid, (unsigned)st.st_gid,
		    (unsigned)(newuid == (uid_t)-1 ? st.st_uid : newuid),
		    (unsigned)(newgid == (gid_t)-1 ? st.st_gid : newgid));
}

/* A number, or nothing of it is a number. */
static int
numeric_id(const char *s, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end == '\0' && errno == 0 && *v < 0xffffffffUL;
}

/* owner[:group], ":group", "owner:"; 0 or -1 (told). */
static int
parse_owner(const char *spec)
{
	char *s = fsu_strdup(spec), *user = s, *group = NULL;
	unsigned long v;
	gid_t logingid = (gid_t)-1;
	int rv = -1;

	newuid = (uid_t)-1;
	newgid = (gid_t)-1;
	if ((group = strchr(s, ':')) != NULL)
		*group++ = '\0';
	if (*user == '\0' && group == NULL) {
		fsu_warnx("invalid spec: '%s'", spec);
		goto out;
	}
	if (*user != '\0') {
		if (numeric_id(user, &v))
			newuid = (uid_t)v;
		else if (fsu_user_id(user, &newuid, &logingid) != 0) {
			fsu_warnx("invalid user: '%s'", spec);
			goto out;
		}
	}
	if (group != NULL && *group != '\0') {
		if (numeric_id(group, &v))
			newgid = (gid_t)v;
		else if (fsu_group_id(group, &newgid) != 0) {
			fsu_warnx("invalid group: '%s'", spec);
			goto out;
		}
	} else if (group != NULL && *user != '\0') {
		/* "owner:": the owner's login group, from the image. */
		if (logingid == (gid_t)-1 &&
		    fsu_user_gid(newuid, &logingid) != 0) {
			fsu_warnx("invalid spec: '%s' (no login group in the "
			    "image's /etc/passwd)", spec);
			goto out;
		}
		newgid = logingid;
	}
	/* ":" alone changes nothing, as in GNU chown. */
	rv = 0;
out:
	free(s);
	return rv;
}

int
fsu_chown_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "recursive", no_argument, NULL, 'R' },
		{ "no-dereference", no_argument, NULL, 'h' },
		{ "changes", no_argument, NULL, 'c' },
		{ "silent", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct rump_stat st;
	int ch, i;

	while ((ch = getopt_long(argc, argv, "Rcfhv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'R': Rflag = 1; break;
		case 'c': cflag = 1; break;
		case 'f': fflag = 1; break;
		case 'h': hflag = 1; break;
		case 'v': vflag = 1; break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (argc - optind < 2)
		return fsu_usage();
	if (parse_owner(argv[optind]) != 0)
		return FSU_FAIL;
	for (i = optind + 1; i < argc; i++) {
		chown_one(argv[i], NULL, 0);
		if (Rflag && rump_sys_lstat(argv[i], &st) == 0 &&
		    (st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR)
			walk(argv[i], 0, chown_one);
	}
	return status;
}

/* touch */

/* Digits of s[0..n), as a number; -1 if any is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* A struct tm's fields from parts; mktime or timegm fixes the rest. */
static int
make_time(struct tm *tm, int utc, long offset, struct timespec *ts)
{
	struct tm check = *tm;
	time_t t;

	tm->tm_isdst = -1;
	t = utc ? timegm(tm) : mktime(tm);
	/* mktime normalises 31 February: such a date does not exist. */
	if (t == (time_t)-1 || tm->tm_mday != check.tm_mday ||
	    tm->tm_mon != check.tm_mon)
		return -1;
	ts->tv_sec = t - offset;
	return 0;
}

/* -t [[CC]YY]MMDDhhmm[.ss] */
static int
parse_stamp(const char *s, struct timespec *ts)
{
	const char *dot = strchr(s, '.');
	size_t len = dot != NULL ? (size_t)(dot - s) : strlen(s);
	struct tm tm;
	time_t now = time(NULL);
	int year, secs = 0;

	memset(&tm, 0, sizeof(tm));
	localtime_r(&now, &tm);
	year = tm.tm_year + 1900;
	if (len == 12)
		year = digits(s, 4), s += 4;
	else if (len == 10) {
		year = digits(s, 2);
		year += year < 69 ? 2000 : 1900;
		s += 2;
	} else if (len != 8)
		return -1;
	if (dot != NULL && (strlen(dot) != 3 || (secs = digits(dot + 1, 2)) <
	    0 || secs > 60))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = digits(s, 2) - 1;
	tm.tm_mday = digits(s + 2, 2);
	tm.tm_hour = digits(s + 4, 2);
	tm.tm_min = digits(s + 6, 2);
	tm.tm_sec = secs;
	if (year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 ||
	    tm.tm_min > 59)
		return -1;
	ts->tv_nsec = 0;
	return make_time(&tm, 0, 0, ts);
}

/* -d: "@secs[.frac]" or "YYYY-MM-DD[( |T)hh:mm[:ss[.frac]]][Z|(+|-)hh[:]mm]" */
static int
parse_date(const char *s, struct timespec *ts)
{
	struct tm tm;
	long nsec = 0, offset = 0, scale;
	int utc = 0, sign, hh, mm;
	char *end;

	if (*s == '@') {
		errno = 0;
		ts->tv_sec = (time_t)strtoll(s + 1, &end, 10);
		if (end == s + 1 || errno != 0)
			return -1;
		s = end;
		goto frac;
	}
	memset(&tm, 0, sizeof(tm));
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    (tm.tm_year = digits(s, 4)) < 0 || (tm.tm_mon = digits(s + 5, 2)) <
	    1 || tm.tm_mon > 12 || (tm.tm_mday = digits(s + 8, 2)) < 1)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	s += 10;
	if (*s == ' ' || *s == 'T') {
		if (strlen(s) < 6 || s[3] != ':' ||
		    (tm.tm_hour = digits(s + 1, 2)) < 0 || tm.tm_hour > 23 ||
		    (tm.tm_min = digits(s + 4, 2)) < 0 || tm.tm_min > 59)
			return -1;
		s += 6;
		if (*s == ':') {
			if ((tm.tm_sec = digits(s + 1, 2)) < 0 ||
			    tm.tm_sec > 60)
				return -1;
			s += 3;
		}
	}
	if (*s == '.' || *s == ',') {
		for (s++, scale = 100000000; *s >= '0' && *s <= '9'; s++) {
			nsec += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (*s == 'Z' && s[1] == '\0') {
		utc = 1;
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		s++;
		if ((hh = digits(s, 2)) < 0)
			return -1;
		s += 2;
		if (*s == ':')
			s++;
		if ((mm = digits(s, 2)) < 0)
			return -1;
		s += 2;
		utc = 1;
		offset = sign * (hh * 3600L + mm * 60L);
	}
	if (*s != '\0')
		return -1;
	ts->tv_nsec = nsec;
	return make_time(&tm, utc, offset, ts);
frac:
	if (*s == '.') {
		for (s++, scale = 100000000; *s >= '0' && *s <= '9'; s++) {
			nsec += (*s - '0') * scale;
			scale /= 10;
		}
	}
	ts->tv_nsec = nsec;
	return *s == '\0' ? 0 : -1;
}

int
fsu_touch_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "no-create", no_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "reference", required_argument, NULL, 'r' },
		{ "no-dereference", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct rump_timespec ts[2];
	struct timespec when = { 0, 0 };
	struct rump_stat ref;
	int ch, i, fd, aflag = 0, mflag = 0, nocreate = 0, given = 0;
	const char *reffile = NULL;

	while ((ch = getopt_long(argc, argv, "acd:fhmr:t:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'c': nocreate = 1; break;
		case 'f': break;		/* historical, ignored */
		case 'h': hflag = 1; break;
		case 'm': mflag = 1; break;
		case 'd':
			if (parse_date(optarg, &when) != 0) {
				fsu_warnx("invalid date format '%s'", optarg);
				return FSU_FAIL;
			}
			given = 1;
			break;
		case 't':
			if (parse_stamp(optarg, &when) != 0) {
				fsu_warnx("invalid date format '%s'", optarg);
				return FSU_FAIL;
			}
			given = 1;
			break;
		case 'r':
			reffile = optarg;
			break;
		case FSU_OPT_HELP:
			return fsu_help();
		default:
			return fsu_usage();
		}
	}
	if (optind >= argc)
		return fsu_usage();
	if (!aflag && !mflag)
		aflag = mflag = 1;
	ts[0].tv_sec = ts[1].tv_sec = 0;
	ts[0].tv_nsec = ts[1].tv_nsec = RUMP_UTIME_NOW;
	if (reffile != NULL) {
		if (rump_sys_stat(reffile, &ref) != 0) {
			fsu_warn("%s", reffile);
			return FSU_TROUBLE;
		}
		ts[0] = ref.st_atim;
		ts[1] = ref.st_mtim;
	} else if (given) {
		ts[0].tv_sec = ts[1].tv_sec = (rump_time_t)when.tv_sec;
		ts[0].tv_nsec = ts[1].tv_nsec = when.tv_nsec;
	}
	if (!aflag)
		ts[0].tv_nsec = RUMP_UTIME_OMIT;
	if (!mflag)
		ts[1].tv_nsec = RUMP_UTIME_OMIT;
	for (i = optind; i < argc; i++) {
		if (rump_sys_utimensat(RUMP_AT_FDCWD, argv[i], ts,
		    hflag ? RUMP_AT_SYMLINK_NOFOLLOW : 0) == 0)
			continue;
		if (errno != ENOENT) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
			continue;
		}
		if (nocreate || hflag)
			continue;
		if ((fd = rump_sys_open(argv[i], RUMP_O_WRONLY | RUMP_O_CREAT,
		    0666)) == -1 ||
		    rump_sys_futimens(fd, ts) != 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
		}
		if (fd != -1)
			rump_sys_close(fd);
	}
	return status;
}
