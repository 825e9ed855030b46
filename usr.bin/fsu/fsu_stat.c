/*
 * fsu_stat.c: stat(1), GNU's, inside an image.
 *
 *	fsu_stat image [-fLt] [-c format | --printf format] file ...
 *
 * Prints GNU stat's default report for each file (its File/Size/
 * Device/Access/Modify/Change/Birth lines), or with -f the report on
 * the image's file system (statvfs).  -c (--format) prints a format and
 * a newline, --printf a format with backslash escapes and no newline;
 * the directives are GNU's (%a %A %b %B %d %D %f %F %g %G %h %i %m %n
 * %N %o %s %t %T %u %U %w %W %x %X %y %Y %z %Z %Hd %Ld %Hr %Lr %r %R
 * %%, with -f %a %b %c %d %f %i %l %n %s %S %t %T), with printf's
 * flags, width and precision (a precision on %X %Y %Z %W gives that
 * many digits of the fraction of a second).  -L follows symbolic
 * links, -t is the terse form.  User and group names come from the
 * image's own /etc/passwd and /etc/group ("UNKNOWN" if it has none).
 * Exit status 0, 1 if a file could not be examined, 2 for bad usage.
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

static const char file_fmt[] =
    "  File: %N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Hd,%Ld\tInode: %-11i Links: %h\n";
static const char dev_fmt[] =
    "  File: %N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n";
static const char rest_fmt[] =
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
    "Access: %x\n"
    "Modify: %y\n"
    "Change: %z\n"
    " Birth: %w\n";
static const char fs_fmt[] =
    "  File: \"%n\"\n"
    "    ID: %-8i Namelen: %-7l Type: %T\n"
    "Block size: %-10s Fundamental block size: %S\n"
    "Blocks: Total: %-10b Free: %-10f Available: %a\n"
    "Inodes: Total: %-10c Free: %d\n";
static const char terse_fmt[] =
    "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n";
static const char terse_fs_fmt[] = "%n %i %l %t %s %S %b %f %a %c %d\n";

struct target {
	const char		*name;
	int			fs;		/* -f: st unused */
	struct rump_stat	st;
	struct rump_statvfs	sv;
};

/* The printf directive spec was given, with conversion conv, into buf. */
static void
spec_fmt(char *buf, size_t len, const char *spec, size_t speclen,
    const char *conv)
{

	snprintf(buf, len, "%%%.*s%s", (int)speclen, spec, conv);
}

static void
out_str(const char *spec, size_t speclen, const char *s)
{
	char fmt[64];

	spec_fmt(fmt, sizeof(fmt), spec, speclen, "s");
	printf(fmt, s);
}

static void
out_num(const char *spec, size_t speclen, unsigned long long v,
    const char *conv)
{
	char fmt[64];

	spec_fmt(fmt, sizeof(fmt), spec, speclen, conv);
	printf(fmt, v);
}

/* A time for people: "2024-01-31 12:00:00.123456789 +0000". */
static void
human_time(const struct rump_timespec *ts, char *buf, size_t len)
{
	time_t t = (time_t)ts->tv_sec;
	struct tm tm;
	char a[64], z[16];

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "%lld", (long long)ts->tv_sec);
		return;
	}
	strftime(a, sizeof(a), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);
	snprintf(buf, len, "%s.%09ld %s", a, (long)ts->tv_nsec, z);
}

/*
 * Seconds since the epoch; a precision asks for that many digits of
 * the fraction (GNU's %.3Y).
 */
static void
out_secs(const char *spec, size_t speclen, const struct rump_timespec *ts)
{
	const char *dot = memchr(spec, '.', speclen);
	char val[64], frac[16], flags[64];
	int prec;

	if (dot == NULL) {
		out_num(spec, speclen, (unsigned long long)ts->tv_sec, "lld");
		return;
	}
	prec = atoi(dot + 1);
	if (prec > 9)
		prec = 9;
	snprintf(frac, sizeof(frac), "%09ld", (long)ts->tv_nsec);
	frac[prec] = '\0';
	snprintf(val, sizeof(val), "%lld%s%s", (long long)ts->tv_sec,
	    prec > 0 ? "." : "", frac);
	/* The width and flags apply to the whole number. */
	snprintf(flags, sizeof(flags), "%.*s", (int)(dot - spec), spec);
	out_str(flags, strlen(flags), val);
}

static int
birth_known(const struct rump_stat *st)
{

	return st->st_birthtim.tv_sec != 0 || st->st_birthtim.tv_nsec != 0;
}

static void
quoted(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	if (len < 3)
		return;
	buf[o++] = '\'';
	for (; *s != '\0' && o + 5 < len; s++) {
		if (*s == '\'') {	/* ' becomes '\'' */
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else
			buf[o++] = *s;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

/* One file directive; conv is the letter, hl 'H' or 'L' or 0. */
static void
file_directive(const struct target *t, const char *spec, size_t speclen,
    int hl, int conv)
{
	const struct rump_stat *st = &t->st;
	char buf[4400], link[1025], q1[2100], q2[2100];
	const char *s;
	rump_ssize_t n;
	uint64_t dev = st->st_dev;

	switch (conv) {
	case 'a':
		out_num(spec, speclen, st->st_mode & 07777, "llo");
		break;
	case 'A':
		fsu_modestr((mode_t)st->st_mode, buf);
		out_str(spec, speclen, buf);
		break;
	case 'b':
		out_num(spec, speclen, (unsigned long long)st->st_blocks,
		    "llu");
		break;
	case 'B':
		out_num(spec, speclen, 512, "llu");
		break;
	case 'C':
		out_str(spec, speclen, "?");
		break;
	case 'd':
		if (hl == 'H')
			out_num(spec, speclen, dev >> 32, "llu");
		else if (hl == 'L')
			out_num(spec, speclen, dev & 0xffffffffULL, "llu");
		else
			out_num(spec, speclen, dev, "llu");
		break;
	case 'D':
		out_num(spec, speclen, dev, "llx");
		break;
	case 'f':
		out_num(spec, speclen, st->st_mode, "llx");
		break;
	case 'F':
		out_str(spec, speclen, fsu_typename((mode_t)st->st_mode,
		    (off_t)st->st_size));
		break;
	case 'g':
		out_num(spec, speclen, st->st_gid, "llu");
		break;
	case 'G':
		s = fsu_group_name((gid_t)st->st_gid);
		out_str(spec, speclen, s != NULL ? s : "UNKNOWN");
		break;
	case 'h':
		out_num(spec, speclen, st->st_nlink, "llu");
		break;
	case 'i':
		out_num(spec, speclen, st->st_ino, "llu");
		break;
	case 'm':
		out_str(spec, speclen, "/");
		break;
	case 'n':
		out_str(spec, speclen, t->name);
		break;
	case 'N':
		quoted(t->name, q1, sizeof(q1));
		if ((st->st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK &&
		    (n = rump_sys_readlink(t->name, link, sizeof(link) - 1)) >=
		    0) {
			link[n] = '\0';
			quoted(link, q2, sizeof(q2));
			snprintf(buf, sizeof(buf), "%s -> %s", q1, q2);
		} else
			snprintf(buf, sizeof(buf), "%s", q1);
		out_str(spec, speclen, buf);
		break;
	case 'o':
		out_num(spec, speclen, (unsigned long long)st->st_blksize,
		    "llu");
		break;
	case 's':
		out_num(spec, speclen, (unsigned long long)st->st_size, "llu");
		break;
	case 'r':
		if (hl == 'H')
			out_num(spec, speclen, st->st_rdev >> 32, "llu");
		else if (hl == 'L')
			out_num(spec, speclen, st->st_rdev & 0xffffffffULL,
			    "llu");
		else
			out_num(spec, speclen, st->st_rdev, "llu");
		break;
	case 'R':
		out_num(spec, speclen, st->st_rdev, "llx");
		break;
	case 't':
		out_num(spec, speclen, st->st_rdev >> 32, "llx");
		break;
	case 'T':
		out_num(spec, speclen, st->st_rdev & 0xffffffffULL, "llx");
		break;
	case 'u':
		out_num(spec, speclen, st->st_uid, "llu");
		break;
	case 'U':
		s = fsu_user_name((uid_t)st->st_uid);
		out_str(spec, speclen, s != NULL ? s : "UNKNOWN");
		break;
	case 'w':
		if (birth_known(st)) {
			human_time(&st->st_birthtim, buf, sizeof(buf));
			out_str(spec, speclen, buf);
		} else
			out_str(spec, speclen, "-");
		break;
	case 'W':
		if (birth_known(st))
			out_secs(spec, speclen, &st->st_birthtim);
		else
			out_num(spec, speclen, 0, "llu");
		break;
	case 'x':
	case 'y':
	case 'z':
		human_time(conv == 'x' ? &st->st_atim : conv == 'y' ?
		    &st->st_mtim : &st->st_ctim, buf, sizeof(buf));
		out_str(spec, speclen, buf);
		break;
	case 'X':
	case 'Y':
	case 'Z':
		out_secs(spec, speclen, conv == 'X' ? &st->st_atim :
		    conv == 'Y' ? &st->st_mtim : &st->st_ctim);
		break;
	default:
		out_str(spec, speclen, "?");
		break;
	}
}

static void
fs_directive(const struct target *t, const char *spec, size_t speclen,
    int conv)
{
	const struct rump_statvfs *sv = &t->sv;

	switch (conv) {
	case 'a':
		out_num(spec, speclen, sv->f_bavail, "llu");
		break;
	case 'b':
		out_num(spec, speclen, sv->f_blocks, "llu");
		break;
	case 'c':
		out_num(spec, speclen, sv->f_files, "llu");
		break;
	case 'd':
		out_num(spec, speclen, sv->f_ffree, "llu");
		break;
	case 'f':
		out_num(spec, speclen, sv->f_bfree, "llu");
		break;
	case 'i':
		out_num(spec, speclen, sv->f_fsid, "llx");
		break;
	case 'l':
		out_num(spec, speclen, sv->f_namemax, "llu");
		break;
	case 'n':
		out_str(spec, speclen, t->name);
		break;
	case 's':
		out_num(spec, speclen, sv->f_bsize, "llu");
		break;
	case 'S':
		out_num(spec, speclen, sv->f_frsize, "llu");
		break;
	case 't':
		out_num(spec, speclen, 0, "llx");
		break;
	case 'T':
		out_str(spec, speclen, sv->f_fstypename[0] != '\0' ?
		    sv->f_fstypename : "?");
		break;
	default:
		out_str(spec, speclen, "?");
		break;
	}
}

/* A backslash escape at *pp (after the backslash); advances *pp. */
static void
escape(const char **pp)
{
	const char *p = *pp;
	int v, i;

	switch (*p) {
	case 'a': putchar('\a'); break;
	case 'b': putchar('\b'); break;
	case 'e': putchar('\033'); break;
	case 'f': putchar('\f'); break;
	case 'n': putchar('\n'); break;
	case 'r': putchar('\r'); break;
	case 't': putchar('\t'); break;
	case 'v': putchar('\v'); break;
	case '\\': putchar('\\'); break;
	case '"': putchar('"'); break;
	case '\0':
		putchar('\\');
		*pp = p;
		return;
	case 'x':
		for (v = 0, i = 0; i < 2 && strchr("0123456789abcdefABCDEF",
		    p[1]) != NULL && p[1] != '\0'; i++, p++)
			v = v * 16 + (p[1] <= '9' ? p[1] - '0' :
			    (p[1] | 0x20) - 'a' + 10);
		if (i == 0)
			printf("\\x");
		else
			putchar(v);
		break;
	default:
		if (*p >= '0' && *p <= '7') {
			for (v = 0, i = 0; i < 3 && *p >= '0' && *p <= '7';
			    i++, p++)
				v = v * 8 + (*p - '0');
			putchar(v);
			*pp = p;
			return;
		}
		putchar('\\');
		putchar(*p);
		break;
	}
	*pp = p + 1;
}

static void
print_format(const struct target *t, const char *fmt, int escapes)
{
	const char *p = fmt, *spec;
	size_t speclen;
	int hl;

	while (*p != '\0') {
		if (*p == '\\' && escapes) {
			p++;
			escape(&p);
			continue;
		}
		if (*p != '%') {
			putchar(*p++);
			continue;
		}
		p++;
		spec = p;
		while (*p != '\0' && strchr("-+ #0'", *p) != NULL)
			p++;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		speclen = (size_t)(p - spec);
		/* GNU's ' flag is not printf's here; leave it out. */
		if (memchr(spec, '\'', speclen) != NULL)
			speclen = 0;
		hl = 0;
		if ((*p == 'H' || *p == 'L') && !t->fs &&
		    (p[1] == 'd' || p[1] == 'r'))
			hl = *p++;
		if (*p == '\0') {
			putchar('%');
			break;
		}
		if (*p == '%')
			putchar('%');
		else if (t->fs)
			fs_directive(t, spec, speclen, *p);
		else
			file_directive(t, spec, speclen, hl, *p);
		p++;
	}
}

int
fsu_stat_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, FSU_OPT_HELP },
		{ "dereference", no_argument, NULL, 'L' },
		{ "file-system", no_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'c' },
		{ "printf", required_argument, NULL, 'P' },
		{ "terse", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct target t;
	const char *fmt = NULL;
	char *withnl = NULL;
	int ch, i, fflag = 0, Lflag = 0, tflag = 0, escapes = 0;
	int status = FSU_OK, rv;

	while ((ch = getopt_long(argc, argv, "c:fLt", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			free(withnl);
			withnl = fsu_malloc(strlen(optarg) + 2);
			sprintf(withnl, "%s\n", optarg);
			fmt = withnl;
			escapes = 0;
			break;
		case 'P':
			fmt = optarg;
			escapes = 1;
			break;
		case 'f':
			fflag = 1;
			break;
		case 'L':
			Lflag = 1;
			break;
		case 't':
			tflag = 1;
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
		memset(&t, 0, sizeof(t));
		t.name = argv[i];
		t.fs = fflag;
		if (fflag)
			rv = rump_sys_statvfs(argv[i], &t.sv);
		else if (Lflag)
			rv = rump_sys_stat(argv[i], &t.st);
		else
			rv = rump_sys_lstat(argv[i], &t.st);
		if (rv != 0) {
			fsu_warn("%s", argv[i]);
			status = FSU_TROUBLE;
			continue;
		}
		if (fmt != NULL)
			print_format(&t, fmt, escapes);
		else if (fflag)
			print_format(&t, tflag ? terse_fs_fmt : fs_fmt, 0);
		else if (tflag)
			print_format(&t, terse_fmt, 0);
		else {
			int dev = (t.st.st_mode & RUMP_S_IFMT) ==
			    RUMP_S_IFCHR || (t.st.st_mode & RUMP_S_IFMT) ==
			    RUMP_S_IFBLK;

			/* The default report names the file unquoted. */
			printf("  File: %s", t.name);
			if ((t.st.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK) {
				char link[1025];
				rump_ssize_t n = rump_sys_readlink(t.name,
				    link, sizeof(link) - 1);

				if (n >= 0) {
					link[n] = '\0';
					printf(" -> %s", link);
				}
			}
			printf("\n");
			print_format(&t, strchr(dev ? dev_fmt : file_fmt,
			    '\n') + 1, 0);
			print_format(&t, rest_fmt, 0);
		}
	}
	free(withnl);
	return status;
}
