/*
 * fssuite.c: the file-semantics suite (see fssuite.h), run on every
 * file system through the system calls alone.
 *
 * The cases are grouped by call.  Each asserts what POSIX says; where
 * NetBSD and Linux differ, it asserts what this kernel decided, and the
 * comment says so:
 *
 *  - unlink() of a directory is EPERM (BSD; Linux says EISDIR);
 *  - link() does not follow a final symlink (BSD, Linux);
 *  - fcntl and flock locks never conflict with each other (Linux; on
 *    BSD both are one lock);
 *  - device nodes are entries only: opening one is ENXIO;
 *  - FIFOs: a read-write open never waits (Linux), a reader that has
 *    never had a writer reads end of file but polls no POLLHUP (Linux,
 *    FreeBSD), advisory locks work on them (Linux);
 *  - getdents returns struct rump_dirent records, d_reclen a multiple
 *    of 8 and d_off a cookie for lseek; getcwd returns the length of
 *    the path including its NUL;
 *  - a failing rump_sys_* returns -1 with the host's errno.
 *
 * Other users are child processes (rump_lwproc_rfork) that set their
 * ids and are released when done; the program's own process (pid 1)
 * stays root with its cwd untouched.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "fssuite.h"

#define NOCHANGE	((rump_uid_t)-1)
#define NOGRP		((rump_gid_t)-1)

static unsigned int fss_flags;
static char fss_cur[RUMP_PATH_MAX];	/* the running case's directory */
static char fss_cwd0[RUMP_PATH_MAX];	/* pid 1's cwd */

/*
 * The path of a name in the running case's directory.  Results come
 * from a ring of buffers, so one call may take several.
 */
static const char * __attribute__((format(printf, 1, 2)))
P(const char *fmt, ...)
{
	static char ring[8][RUMP_PATH_MAX];
	static unsigned int next;
	char *buf = ring[next++ % 8];
	va_list ap;
	int n;

	n = snprintf(buf, RUMP_PATH_MAX, "%s/", fss_cur);
	va_start(ap, fmt);
	vsnprintf(buf + n, RUMP_PATH_MAX - (size_t)n, fmt, ap);
	va_end(ap);
	return buf;
}

/* The call failed with err; if not, say what happened instead. */
static bool
fails_(long ret, int err, int err2, const char *what)
{
	int e = errno;

	if (ret == -1 && (e == err || e == err2))
		return true;
	if (ret == -1)
		diag("%s: errno %d (%s), expected %s", what, e, strerror(e),
		    strerror(err));
	else
		diag("%s: returned %ld, expected %s", what, ret,
		    strerror(err));
	return false;
}
#define FAILS(call, err)	fails_((long)(call), (err), (err), #call)
/* Where POSIX allows either of two errors. */
#define FAILS2(call, e1, e2)	fails_((long)(call), (e1), (e2), #call)

/* The call succeeded (returned >= 0); if not, say why. */
static bool
works_(long ret, const char *what)
{
	int e = errno;

	if (ret >= 0)
		return true;
	diag("%s: errno %d (%s)", what, e, strerror(e));
	return false;
}
#define WORKS(call)		works_((long)(call), #call)

/* Make (or truncate) a file holding data. */
static int
mkfile(const char *path, const char *data)
{
	size_t len = strlen(data);
	int fd;

	fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	if (fd == -1)
		return -1;
	if (rump_sys_write(fd, data, len) != (rump_ssize_t)len) {
		rump_sys_close(fd);
		return -1;
	}
	return rump_sys_close(fd);
}

/* Does the file hold exactly data? */
static bool
holds(const char *path, const char *data)
{
	char buf[256];
	rump_ssize_t n;
	int fd;

	if ((fd = rump_sys_open(path, RUMP_O_RDONLY, 0)) == -1)
		return false;
	n = rump_sys_read(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	return n == (rump_ssize_t)strlen(data) && memcmp(buf, data,
	    (size_t)n) == 0;
}

/* Does fd read exactly data from offset 0? */
static bool
fd_holds(int fd, const char *data)
{
	char buf[256];
	rump_ssize_t n;

	n = rump_sys_pread(fd, buf, sizeof(buf), 0);
	return n == (rump_ssize_t)strlen(data) && memcmp(buf, data,
	    (size_t)n) == 0;
}

static bool
st(const char *path, struct rump_stat *sb)
{

	if (rump_sys_stat(path, sb) == 0)
		return true;
	memset(sb, 0, sizeof(*sb));
	return false;
}

static bool
lst(const char *path, struct rump_stat *sb)
{

	if (rump_sys_lstat(path, sb) == 0)
		return true;
	memset(sb, 0, sizeof(*sb));
	return false;
}

static bool
exists(const char *path)
{
	struct rump_stat sb;

	return lst(path, &sb);
}

static rump_nlink_t
nlink(const char *path)
{
	struct rump_stat sb;

	lst(path, &sb);
	return sb.st_nlink;
}

static rump_ino_t
ino(const char *path)
{
	struct rump_stat sb;

	if (!lst(path, &sb))
		return (rump_ino_t)-1;
	return sb.st_ino;
}

static rump_mode_t
mode(const char *path)
{
	struct rump_stat sb;

	lst(path, &sb);
	return sb.st_mode;
}

static rump_off_t
size(const char *path)
{
	struct rump_stat sb;

	if (!lst(path, &sb))
		return -1;
	return sb.st_size;
}

static bool
ts_after(const struct rump_timespec *a, const struct rump_timespec *b)
{

	return a->tv_sec > b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

static bool
ts_eq(const struct rump_timespec *a, const struct rump_timespec *b)
{

	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Let the wall clock move on, so that a new timestamp is later. */
static void
tick(void)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* Set a file's atime and mtime to long ago. */
static const struct rump_timespec long_ago[2] = {
	{ 1000000000, 0 }, { 1000000000, 0 }
};

static bool
set_long_ago(const char *path)
{

	return rump_sys_utimensat(RUMP_AT_FDCWD, path, long_ago,
	    RUMP_AT_SYMLINK_NOFOLLOW) == 0;
}

/*
 * Become another user: a child process (sharing copies of our
 * descriptors) with ids uid/gid and gid as its only group.  unbecome()
 * ends it and takes the thread back to pid 1.
 */
static bool
become(rump_uid_t uid, rump_gid_t gid)
{

	if (rump_lwproc_rfork(RUMP_RFFDG) != 0) {
		diag("rfork: %s", strerror(errno));
		return false;
	}
	if (rump_sys_setgroups(1, &gid) != 0 || rump_sys_setgid(gid) != 0 ||
	    rump_sys_setuid(uid) != 0) {
		diag("becoming %u/%u: %s", uid, gid, strerror(errno));
		rump_lwproc_releaselwp();
		return false;
	}
	return true;
}

static void
unbecome(void)
{

	rump_lwproc_releaselwp();
}

/* A child process of root's, for locks and directories of its own. */
static bool
fork_root(void)
{

	if (rump_lwproc_rfork(RUMP_RFFDG) != 0) {
		diag("rfork: %s", strerror(errno));
		return false;
	}
	return true;
}

/*
 * Read every record of directory path with a buffer of bufsize bytes,
 * checking each record's shape.  Names go to names[] (up to max),
 * inode numbers and types alongside.  Returns the number of records,
 * or -1 (bad record or failing call, with a diag).
 */
struct dent {
	char		name[RUMP_MAXNAMLEN + 1];
	rump_ino_t	ino;
	int		type;
	rump_off_t	off;
};

static bool
dent_ok(const struct rump_dirent *d, size_t avail)
{
	size_t hdr = __builtin_offsetof(struct rump_dirent, d_name);

	if (d->d_reclen % 8 != 0 || d->d_reclen > avail ||
	    d->d_reclen < hdr + d->d_namlen + 1 ||
	    d->d_namlen == 0 || d->d_namlen > RUMP_MAXNAMLEN ||
	    d->d_name[d->d_namlen] != '\0' ||
	    strlen(d->d_name) != d->d_namlen) {
		diag("bad record: reclen %u namlen %u", d->d_reclen,
		    d->d_namlen);
		return false;
	}
	return true;
}

static int
read_dir_fd(int fd, size_t bufsize, struct dent *names, int max)
{
	char *buf;
	struct rump_dirent *d;
	int n, off, count = 0;

	if ((buf = malloc(bufsize)) == NULL)
		return -1;
	for (;;) {
		n = rump_sys_getdents(fd, buf, bufsize);
		if (n == -1) {
			diag("getdents: %s", strerror(errno));
			count = -1;
			break;
		}
		if (n == 0)
			break;
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct rump_dirent *)(void *)(buf + off);
			if (!dent_ok(d, (size_t)(n - off))) {
				count = -1;
				goto out;
			}
			if (count < max) {
				memcpy(names[count].name, d->d_name,
				    d->d_namlen + 1u);
				names[count].ino = d->d_ino;
				names[count].type = d->d_type;
				names[count].off = d->d_off;
			}
			count++;
		}
	}
 out:
	free(buf);
	return count;
}

static int
read_dir(const char *path, size_t bufsize, struct dent *names, int max)
{
	int fd, n;

	fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0);
	if (fd == -1) {
		diag("open %s: %s", path, strerror(errno));
		return -1;
	}
	n = read_dir_fd(fd, bufsize, names, max);
	rump_sys_close(fd);
	return n;
}

/* How often name is among the n entries. */
static int
dent_count(const struct dent *names, int n, const char *name)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		if (strcmp(names[i].name, name) == 0)
			c++;
	return c;
}

static const struct dent *
dent_find(const struct dent *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i].name, name) == 0)
			return &names[i];
	return NULL;
}

/* Has any name two entries? */
static bool
dent_dups(const struct dent *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (dent_count(names, n, names[i].name) != 1) {
			diag("\"%s\" listed more than once", names[i].name);
			return true;
		}
	return false;
}

/* ---- open, openat ---- */

static void
c_open_create(void)
{
	struct rump_stat sb;
	int fd;

	fd = rump_sys_open(P("f"), RUMP_O_WRONLY | RUMP_O_CREAT, 0666);
	ok(WORKS(fd), "open O_CREAT creates a file");
	ok(st(P("f"), &sb) && (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFREG &&
	    (sb.st_mode & 07777) == 0644 && sb.st_size == 0 &&
	    sb.st_nlink == 1 && sb.st_uid == 0 && sb.st_gid == 0,
	    "regular, mode 0666 less the umask 022, empty, one link, root's");
	rump_sys_close(fd);
	ok(FAILS(rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0600), EEXIST), "O_CREAT|O_EXCL on a file: EEXIST");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT, 0600);
	ok(WORKS(fd) && (mode(P("f")) & 07777) == 0644,
	    "O_CREAT on an existing file opens it, mode unchanged");
	rump_sys_close(fd);
	ok(FAILS(rump_sys_open(P("missing"), RUMP_O_RDONLY, 0), ENOENT),
	    "a missing file without O_CREAT: ENOENT");
	ok(FAILS(rump_sys_open(P("nodir/f"), RUMP_O_RDWR | RUMP_O_CREAT,
	    0644), ENOENT), "O_CREAT in a missing directory: ENOENT");
	ok(FAILS(rump_sys_open(P("f/x"), RUMP_O_RDWR | RUMP_O_CREAT, 0644),
	    ENOTDIR), "a file used as a directory: ENOTDIR");
	ok(FAILS(rump_sys_open("", RUMP_O_RDONLY, 0), ENOENT),
	    "the empty path: ENOENT");
}

static void
c_open_flags(void)
{
	char c;
	int fd, fd2;

	mkfile(P("f"), "hello");
	fd = rump_sys_open(P("f"), RUMP_O_WRONLY | RUMP_O_TRUNC, 0);
	ok(WORKS(fd) && size(P("f")) == 0, "O_TRUNC empties the file");
	ok(FAILS(rump_sys_read(fd, &c, 1), EBADF),
	    "read on an O_WRONLY descriptor: EBADF");
	rump_sys_close(fd);
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_write(fd, "x", 1), EBADF),
	    "write on an O_RDONLY descriptor: EBADF");
	ok(rump_sys_fcntl(fd, RUMP_F_GETFD, 0) == 0,
	    "no close-on-exec without O_CLOEXEC");
	rump_sys_close(fd);
	ok(FAILS(rump_sys_open(P("f"), RUMP_O_ACCMODE, 0), EINVAL),
	    "access mode 3: EINVAL");
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY | RUMP_O_CLOEXEC, 0);
	ok(rump_sys_fcntl(fd, RUMP_F_GETFD, 0) == RUMP_FD_CLOEXEC,
	    "O_CLOEXEC sets FD_CLOEXEC");
	rump_sys_close(fd);
	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_APPEND |
	    RUMP_O_NONBLOCK, 0);
	ok(rump_sys_fcntl(fd, RUMP_F_GETFL, 0) ==
	    (RUMP_O_RDWR | RUMP_O_APPEND | RUMP_O_NONBLOCK),
	    "F_GETFL gives back O_RDWR|O_APPEND|O_NONBLOCK");
	ok(FAILS(rump_sys_open(P("f"), RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0),
	    ENOTDIR), "O_DIRECTORY on a file: ENOTDIR");
	/* The lowest free descriptor is the one handed out. */
	fd2 = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	rump_sys_close(fd);
	ok(rump_sys_open(P("f"), RUMP_O_RDONLY, 0) == fd && fd < fd2,
	    "a new descriptor takes the lowest free number");
	rump_sys_close(fd);
	rump_sys_close(fd2);
}

static void
c_open_dirs(void)
{
	int fd;

	rump_sys_mkdir(P("d"), 0755);
	mkfile(P("f"), "x");
	fd = rump_sys_open(P("d"), RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0);
	ok(WORKS(fd), "a directory opens O_RDONLY|O_DIRECTORY");
	rump_sys_close(fd);
	ok(FAILS(rump_sys_open(P("d"), RUMP_O_WRONLY, 0), EISDIR),
	    "a directory O_WRONLY: EISDIR");
	ok(FAILS(rump_sys_open(P("d"), RUMP_O_RDWR, 0), EISDIR),
	    "a directory O_RDWR: EISDIR");
	ok(FAILS(rump_sys_open(P("d"), RUMP_O_RDONLY | RUMP_O_CREAT, 0644),
	    EISDIR), "O_CREAT naming a directory: EISDIR");
	ok(FAILS(rump_sys_open(P("f/"), RUMP_O_RDONLY, 0), ENOTDIR),
	    "a file with a trailing slash: ENOTDIR");
	/* Linux and NetBSD agree: a new file cannot end in a slash. */
	ok(FAILS(rump_sys_open(P("new/"), RUMP_O_RDWR | RUMP_O_CREAT, 0644),
	    EISDIR) && !exists(P("new")),
	    "O_CREAT with a trailing slash: EISDIR, nothing made");
	fd = rump_sys_open(P("d/.."), RUMP_O_RDONLY, 0);
	ok(WORKS(fd), "d/.. opens");
	rump_sys_close(fd);
}

static void
c_open_names(void)
{
	char name[300], path[RUMP_PATH_MAX + 64];
	size_t i;

	memset(name, 'n', 255);
	name[255] = '\0';
	ok(WORKS(mkfile(P("%s", name), "x")) && holds(P("%s", name), "x"),
	    "a 255-byte name works");
	name[255] = 'n';
	name[256] = '\0';
	ok(FAILS(rump_sys_open(P("%s", name), RUMP_O_RDWR | RUMP_O_CREAT,
	    0644), ENAMETOOLONG), "a 256-byte name: ENAMETOOLONG");
	for (i = 0; i + 2 < sizeof(path); i += 2)
		memcpy(path + i, "a/", 2);
	path[i] = '\0';
	ok(FAILS(rump_sys_stat(path, &(struct rump_stat){ 0 }),
	    ENAMETOOLONG), "a path over PATH_MAX: ENAMETOOLONG");
	ok(WORKS(mkfile(P("with space, comma; \xc3\xbc"), "y")) &&
	    holds(P("with space, comma; \xc3\xbc"), "y"),
	    "any byte but '/' and NUL makes a name");
	ok(holds(P("//./with space, comma; \xc3\xbc"), "y"),
	    "repeated slashes and \".\" components are ignored");
}

static void
c_openat(void)
{
	int dfd, ffd, fd, pfd[2];

	rump_sys_mkdir(P("d"), 0755);
	mkfile(P("f"), "top");
	dfd = rump_sys_open(P("d"), RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0);
	fd = rump_sys_openat(dfd, "g", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	ok(WORKS(fd) && exists(P("d/g")),
	    "openat creates relative to the directory descriptor");
	rump_sys_close(fd);
	fd = rump_sys_openat(dfd, P("f"), RUMP_O_RDONLY, 0);
	ok(fd_holds(fd, "top"), "openat with an absolute path ignores it");
	rump_sys_close(fd);
	fd = rump_sys_openat(dfd, "../f", RUMP_O_RDONLY, 0);
	ok(fd_holds(fd, "top"), "openat: \"..\" from the descriptor");
	rump_sys_close(fd);
	ffd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_openat(ffd, "x", RUMP_O_RDONLY, 0), ENOTDIR),
	    "openat from a file's descriptor: ENOTDIR");
	rump_sys_pipe(pfd);
	ok(FAILS(rump_sys_openat(pfd[0], "x", RUMP_O_RDONLY, 0), ENOTDIR),
	    "openat from a pipe: ENOTDIR");
	rump_sys_close(pfd[0]);
	rump_sys_close(pfd[1]);
	ok(FAILS(rump_sys_openat(-1, "x", RUMP_O_RDONLY, 0), EBADF),
	    "openat from descriptor -1: EBADF");
	rump_sys_close(ffd);
	rump_sys_close(dfd);
}

/* ---- read, write, pread, pwrite, readv, writev ---- */

static void
c_rw_basic(void)
{
	char buf[64];
	int fd;

	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	ok(rump_sys_write(fd, "hello world", 11) == 11 &&
	    rump_sys_lseek(fd, 0, RUMP_SEEK_CUR) == 11,
	    "write returns the count and advances the offset");
	ok(rump_sys_read(fd, buf, sizeof(buf)) == 0, "read at the end: 0");
	rump_sys_lseek(fd, 6, RUMP_SEEK_SET);
	ok(rump_sys_read(fd, buf, sizeof(buf)) == 5 &&
	    memcmp(buf, "world", 5) == 0, "a read past the end is short");
	ok(rump_sys_write(fd, buf, 0) == 0 && size(P("f")) == 11,
	    "a write of 0 bytes writes nothing");
	rump_sys_close(fd);
	ok(FAILS(rump_sys_read(fd, buf, 1), EBADF),
	    "read on a closed descriptor: EBADF");
	ok(FAILS(rump_sys_write(RUMP_OPEN_MAX, "x", 1), EBADF),
	    "write on descriptor OPEN_MAX: EBADF");
	fd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_read(fd, buf, sizeof(buf)), EISDIR),
	    "read on a directory: EISDIR");
	rump_sys_close(fd);
}

static void
c_rw_positioned(void)
{
	char buf[128], zero[100];
	int fd;

	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	ok(rump_sys_pwrite(fd, "xyz", 3, 100) == 3 &&
	    rump_sys_lseek(fd, 0, RUMP_SEEK_CUR) == 0,
	    "pwrite leaves the offset alone");
	ok(size(P("f")) == 103, "pwrite past the end extends the file");
	memset(zero, 0, sizeof(zero));
	ok(rump_sys_read(fd, buf, sizeof(buf)) == 103 &&
	    memcmp(buf, zero, 100) == 0 && memcmp(buf + 100, "xyz", 3) == 0,
	    "the gap reads as zeros");
	ok(rump_sys_pread(fd, buf, 2, 101) == 2 && memcmp(buf, "yz", 2) == 0,
	    "pread reads at its offset");
	ok(rump_sys_pread(fd, buf, 10, 500) == 0, "pread past the end: 0");
	ok(FAILS(rump_sys_pread(fd, buf, 1, -1), EINVAL),
	    "pread at a negative offset: EINVAL");
	ok(FAILS(rump_sys_pwrite(fd, buf, 1, -5), EINVAL),
	    "pwrite at a negative offset: EINVAL");
	rump_sys_close(fd);
}

static void
c_rw_vectored(void)
{
	char a[4], b[10];
	struct rump_iovec wv[3] = {
		{ "ab", 2 }, { "", 0 }, { "cdef", 4 }
	};
	struct rump_iovec rv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int fd;

	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	ok(rump_sys_writev(fd, wv, 3) == 6, "writev gathers 6 bytes");
	rump_sys_lseek(fd, 0, RUMP_SEEK_SET);
	memset(b, 0, sizeof(b));
	ok(rump_sys_readv(fd, rv, 2) == 6 && memcmp(a, "abcd", 4) == 0 &&
	    memcmp(b, "ef", 3) == 0, "readv scatters them in order");
	ok(FAILS(rump_sys_writev(fd, wv, 0), EINVAL), "writev of 0 vectors: "
	    "EINVAL");
	ok(FAILS(rump_sys_readv(fd, rv, RUMP_IOV_MAX + 1), EINVAL),
	    "readv of IOV_MAX + 1 vectors: EINVAL");
	rump_sys_close(fd);
}

static void
c_rw_large(void)
{
	const size_t len = 300000;
	unsigned char *w, *r;
	struct rump_stat sb;
	rump_ssize_t n;
	size_t i, got;
	int fd;

	w = malloc(len);
	r = malloc(len);
	for (i = 0; i < len; i++)
		w[i] = (unsigned char)(i * 7 + i / 4096);
	fd = rump_sys_open(P("big"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	ok(rump_sys_write(fd, w, len) == (rump_ssize_t)len,
	    "one write of 300000 bytes");
	rump_sys_lseek(fd, 0, RUMP_SEEK_SET);
	for (got = 0; got < len; got += (size_t)n)
		if ((n = rump_sys_read(fd, r + got, 5000)) <= 0)
			break;
	ok(got == len && memcmp(w, r, len) == 0,
	    "read back in 5000-byte pieces, intact");
	ok(rump_sys_pread(fd, r, 16, 4090) == 16 &&
	    memcmp(r, w + 4090, 16) == 0, "a read across a page boundary");
	ok(rump_sys_fstat(fd, &sb) == 0 && sb.st_size == (rump_off_t)len &&
	    sb.st_blocks * 512 >= (int64_t)len && sb.st_blksize > 0,
	    "st_size, st_blocks and st_blksize agree with the data");
	rump_sys_close(fd);
	free(w);
	free(r);
}

static void
c_rw_shared(void)
{
	char buf[8];
	int fd1, fd2, fd3;

	fd1 = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	fd2 = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	rump_sys_write(fd1, "abc", 3);
	ok(rump_sys_read(fd2, buf, sizeof(buf)) == 3 &&
	    memcmp(buf, "abc", 3) == 0,
	    "a second open sees the data, from its own offset 0");
	fd3 = rump_sys_dup(fd1);
	rump_sys_lseek(fd1, 1, RUMP_SEEK_SET);
	ok(rump_sys_lseek(fd3, 0, RUMP_SEEK_CUR) == 1 &&
	    rump_sys_lseek(fd2, 0, RUMP_SEEK_CUR) == 3,
	    "a dup shares the offset, another open does not");
	rump_sys_close(fd1);
	rump_sys_close(fd2);
	rump_sys_close(fd3);
}

/* ---- O_APPEND ---- */

struct appender {
	const char	*path;
	int		id;
	int		errors;
};

#define APPEND_RECS	200
#define APPEND_RECLEN	32

static void *
appender(void *arg)
{
	struct appender *a = arg;
	char rec[APPEND_RECLEN];
	int fd, i;

	fd = rump_sys_open(a->path, RUMP_O_WRONLY | RUMP_O_APPEND, 0);
	memset(rec, 'a' + a->id, sizeof(rec));
	for (i = 0; i < APPEND_RECS; i++)
		if (rump_sys_write(fd, rec, sizeof(rec)) != sizeof(rec))
			a->errors++;
	rump_sys_close(fd);
	return NULL;
}

static void
c_append(void)
{
	struct appender a[4];
	pthread_t t[4];
	char gpath[RUMP_PATH_MAX], *buf;
	int fd1, fd2, fd3, i, j, counts[4] = { 0 }, bad = 0, errors = 0;
	const size_t total = 4 * APPEND_RECS * APPEND_RECLEN;

	fd1 = rump_sys_open(P("f"), RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_APPEND, 0644);
	fd2 = rump_sys_open(P("f"), RUMP_O_WRONLY | RUMP_O_APPEND, 0);
	rump_sys_write(fd1, "aaaa", 4);
	rump_sys_write(fd2, "bb", 2);
	rump_sys_write(fd1, "c", 1);
	ok(holds(P("f"), "aaaabbc"),
	    "O_APPEND from two descriptors: neither overwrites the other");
	ok(rump_sys_lseek(fd1, 0, RUMP_SEEK_CUR) == 7,
	    "after an append the offset is at the end");
	rump_sys_lseek(fd1, 0, RUMP_SEEK_SET);
	rump_sys_write(fd1, "d", 1);
	ok(holds(P("f"), "aaaabbcd"), "O_APPEND ignores a seek");
	fd3 = rump_sys_open(P("f"), RUMP_O_WRONLY, 0);
	rump_sys_fcntl(fd3, RUMP_F_SETFL, RUMP_O_APPEND);
	rump_sys_write(fd3, "e", 1);
	rump_sys_fcntl(fd3, RUMP_F_SETFL, 0);
	rump_sys_lseek(fd3, 0, RUMP_SEEK_SET);
	rump_sys_write(fd3, "E", 1);
	ok(holds(P("f"), "Eaaabbcde"), "F_SETFL turns O_APPEND on and off");
	rump_sys_close(fd1);
	rump_sys_close(fd2);
	rump_sys_close(fd3);

	/* Threads appending whole records through descriptors of their
	 * own: every record lands whole, none lost. */
	snprintf(gpath, sizeof(gpath), "%s", P("g"));
	mkfile(gpath, "");
	for (i = 0; i < 4; i++) {
		a[i].path = gpath;
		a[i].id = i;
		a[i].errors = 0;
		pthread_create(&t[i], NULL, appender, &a[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		errors += a[i].errors;
	}
	buf = malloc(total + 1);
	fd1 = rump_sys_open(P("g"), RUMP_O_RDONLY, 0);
	ok(errors == 0 && rump_sys_read(fd1, buf, total + 1) ==
	    (rump_ssize_t)total, "4 threads x %d appends: %zu bytes",
	    APPEND_RECS, total);
	rump_sys_close(fd1);
	for (i = 0; i < 4 * APPEND_RECS; i++) {
		char c = buf[i * APPEND_RECLEN];

		for (j = 1; j < APPEND_RECLEN; j++)
			if (buf[i * APPEND_RECLEN + j] != c)
				bad++;
		if (c >= 'a' && c < 'a' + 4)
			counts[c - 'a']++;
	}
	ok(bad == 0 && counts[0] == APPEND_RECS && counts[1] == APPEND_RECS &&
	    counts[2] == APPEND_RECS && counts[3] == APPEND_RECS,
	    "every record whole, %d from each thread", APPEND_RECS);
	free(buf);
}

/* ---- lseek ---- */

static void
c_lseek(void)
{
	char buf[8];
	int fd;

	mkfile(P("f"), "0123456789");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	ok(rump_sys_lseek(fd, 3, RUMP_SEEK_SET) == 3 &&
	    rump_sys_lseek(fd, 2, RUMP_SEEK_CUR) == 5 &&
	    rump_sys_lseek(fd, -1, RUMP_SEEK_END) == 9 &&
	    rump_sys_lseek(fd, 0, RUMP_SEEK_END) == 10,
	    "SEEK_SET, SEEK_CUR and SEEK_END");
	ok(FAILS(rump_sys_lseek(fd, -1, RUMP_SEEK_SET), EINVAL) &&
	    FAILS(rump_sys_lseek(fd, -11, RUMP_SEEK_CUR), EINVAL) &&
	    rump_sys_lseek(fd, 0, RUMP_SEEK_CUR) == 10,
	    "a negative result: EINVAL, offset unchanged");
	ok(FAILS(rump_sys_lseek(fd, 0, 99), EINVAL), "whence 99: EINVAL");
	ok(rump_sys_lseek(fd, 1000, RUMP_SEEK_SET) == 1000 &&
	    rump_sys_read(fd, buf, sizeof(buf)) == 0 && size(P("f")) == 10,
	    "seeking past the end reads nothing and changes nothing");
	ok(rump_sys_write(fd, "z", 1) == 1 && size(P("f")) == 1001 &&
	    rump_sys_pread(fd, buf, 2, 500) == 2 && buf[0] == 0 &&
	    buf[1] == 0, "a write there extends the file; the gap is zeros");
	rump_sys_close(fd);
}

static void
c_lseek_holes(void)
{
	static char page[4096];
	const rump_off_t far = 1024 * 1024, end = far + 4096;
	rump_off_t h, d;
	int fd;

	memset(page, 'D', sizeof(page));
	fd = rump_sys_open(P("sparse"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	rump_sys_pwrite(fd, page, sizeof(page), 0);
	rump_sys_pwrite(fd, page, sizeof(page), far);
	ok(rump_sys_lseek(fd, 0, RUMP_SEEK_DATA) == 0,
	    "SEEK_DATA at data stays there");
	h = rump_sys_lseek(fd, 0, RUMP_SEEK_HOLE);
	ok(h >= 4096 && h <= end, "SEEK_HOLE from 0: %lld, after the "
	    "first page (a file system without holes says the end)",
	    (long long)h);
	d = rump_sys_lseek(fd, 8192, RUMP_SEEK_DATA);
	ok(d >= 8192 && d <= far, "SEEK_DATA from inside the hole: %lld",
	    (long long)d);
	ok(rump_sys_lseek(fd, far, RUMP_SEEK_HOLE) == end,
	    "SEEK_HOLE in the last data: the end of the file");
	ok(FAILS(rump_sys_lseek(fd, end, RUMP_SEEK_DATA), ENXIO) &&
	    FAILS(rump_sys_lseek(fd, end, RUMP_SEEK_HOLE), ENXIO),
	    "SEEK_DATA and SEEK_HOLE at the end: ENXIO");
	rump_sys_close(fd);
}

/* ---- stat, fstat, lstat, fstatat ---- */

static void
c_stat(void)
{
	struct rump_stat a, b, c;
	int fd, dfd;

	mkfile(P("f"), "12345");
	mkfile(P("g"), "");
	rump_sys_mkdir(P("d"), 0755);
	ok(st(P("f"), &a) && (a.st_mode & RUMP_S_IFMT) == RUMP_S_IFREG &&
	    a.st_size == 5 && a.st_nlink == 1, "a file: S_IFREG, size 5, "
	    "one link");
	ok(st(P("d"), &b) && (b.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR &&
	    b.st_nlink == 2, "an empty directory: S_IFDIR, two links");
	ok(a.st_dev == b.st_dev && a.st_ino != b.st_ino &&
	    ino(P("f")) != ino(P("g")),
	    "one device, a distinct inode number per file");
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	ok(rump_sys_fstat(fd, &c) == 0 && c.st_ino == a.st_ino &&
	    c.st_dev == a.st_dev && c.st_size == 5 && c.st_mode == a.st_mode,
	    "fstat agrees with stat");
	rump_sys_close(fd);
	ok(st(P("d/../f"), &c) && c.st_ino == a.st_ino,
	    "a path through \"..\" finds the same file");
	ok(FAILS(rump_sys_stat(P("f/"), &c), ENOTDIR) && st(P("d/"), &c),
	    "a trailing slash: ENOTDIR on a file, fine on a directory");
	ok(FAILS(rump_sys_stat(P("nothing"), &c), ENOENT) &&
	    FAILS(rump_sys_lstat(P("f/x"), &c), ENOTDIR),
	    "a missing name: ENOENT; a file as a directory: ENOTDIR");
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(rump_sys_fstatat(dfd, "f", &c, 0) == 0 && c.st_ino == a.st_ino,
	    "fstatat relative to a directory descriptor");
	ok(FAILS(rump_sys_fstatat(dfd, "f", &c, 0x4000), EINVAL),
	    "fstatat with an unknown flag: EINVAL");
	rump_sys_close(dfd);
}

static void
c_stat_dirlinks(void)
{
	rump_nlink_t n0;

	n0 = nlink(fss_cur);
	rump_sys_mkdir(P("d"), 0755);
	ok(nlink(fss_cur) == n0 + 1, "a subdirectory adds a link to its "
	    "parent (its \"..\")");
	rump_sys_mkdir(P("d/a"), 0755);
	rump_sys_mkdir(P("d/b"), 0755);
	mkfile(P("d/f"), "");
	ok(nlink(P("d")) == 4, "two subdirectories and a file: 4 links");
	rump_sys_rmdir(P("d/a"));
	ok(nlink(P("d")) == 3, "rmdir gives one back");
}

/* ---- access, faccessat ---- */

static void
c_access(void)
{

	mkfile(P("f"), "");
	rump_sys_chmod(P("f"), 0644);
	rump_sys_mkdir(P("d"), 0);
	ok(rump_sys_access(P("f"), RUMP_F_OK) == 0 &&
	    FAILS(rump_sys_access(P("none"), RUMP_F_OK), ENOENT),
	    "F_OK: exists or ENOENT");
	ok(rump_sys_access(P("f"), RUMP_R_OK | RUMP_W_OK) == 0,
	    "root may read and write a 0644 file");
	ok(FAILS(rump_sys_access(P("f"), RUMP_X_OK), EACCES),
	    "but not execute one without any execute bit: EACCES");
	rump_sys_chmod(P("f"), 0001);
	ok(rump_sys_access(P("f"), RUMP_X_OK | RUMP_R_OK) == 0,
	    "any execute bit will do for root");
	ok(rump_sys_access(P("d"), RUMP_X_OK | RUMP_R_OK | RUMP_W_OK) == 0,
	    "root may search a 0000 directory");
	ok(FAILS(rump_sys_access(P("f"), 0x10), EINVAL) &&
	    FAILS(rump_sys_faccessat(RUMP_AT_FDCWD, P("f"), RUMP_R_OK,
	    0x4000), EINVAL), "unknown mode or flag bits: EINVAL");
}

static void
c_access_user(void)
{
	rump_gid_t none = 300;

	mkfile(P("f"), "");
	rump_sys_chown(P("f"), 1000, 100);
	rump_sys_chmod(P("f"), 0640);
	mkfile(P("g"), "");
	rump_sys_chown(P("g"), 1000, 100);
	rump_sys_chmod(P("g"), 0077);
	if (become(1000, 100)) {
		ok(rump_sys_access(P("f"), RUMP_R_OK | RUMP_W_OK) == 0 &&
		    FAILS(rump_sys_access(P("f"), RUMP_X_OK), EACCES),
		    "the owner gets the owner bits (rw-)");
		ok(FAILS(rump_sys_access(P("g"), RUMP_R_OK), EACCES),
		    "the owner class wins even when group and others may");
		unbecome();
	}
	if (become(1001, 100)) {
		ok(rump_sys_access(P("f"), RUMP_R_OK) == 0 &&
		    FAILS(rump_sys_access(P("f"), RUMP_W_OK), EACCES),
		    "a group member gets the group bits (r--)");
		unbecome();
	}
	if (become(1002, none)) {
		ok(FAILS(rump_sys_access(P("f"), RUMP_R_OK), EACCES),
		    "anyone else gets the other bits (---)");
		unbecome();
	}
	/* access() checks the real ids, AT_EACCESS the effective ones. */
	if (fork_root()) {
		rump_sys_chown(P("f"), 0, 0);
		rump_sys_chmod(P("f"), 0600);
		rump_sys_seteuid(1002);
		ok(rump_sys_access(P("f"), RUMP_R_OK) == 0 &&
		    FAILS(rump_sys_faccessat(RUMP_AT_FDCWD, P("f"), RUMP_R_OK,
		    RUMP_AT_EACCESS), EACCES),
		    "access: real uid 0 may; AT_EACCESS: euid 1002 may not");
		unbecome();
	}
}

/* ---- mkdir, mkdirat, rmdir ---- */

static void
c_mkdir(void)
{
	struct rump_stat sb;
	int dfd;

	mkfile(P("f"), "");
	ok(WORKS(rump_sys_mkdir(P("d"), 0777)) && st(P("d"), &sb) &&
	    (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR &&
	    (sb.st_mode & 07777) == 0755 && sb.st_nlink == 2 &&
	    sb.st_uid == 0, "mkdir: a directory, 0777 less the umask, "
	    "two links");
	ok(FAILS(rump_sys_mkdir(P("d"), 0755), EEXIST) &&
	    FAILS(rump_sys_mkdir(P("f"), 0755), EEXIST),
	    "over a directory or a file: EEXIST");
	ok(FAILS(rump_sys_mkdir(P("d/."), 0755), EEXIST) &&
	    FAILS(rump_sys_mkdir("/", 0755), EEXIST), "\".\" and \"/\": "
	    "EEXIST");
	ok(WORKS(rump_sys_mkdir(P("e/"), 0755)) && exists(P("e")),
	    "a trailing slash is fine");
	ok(FAILS(rump_sys_mkdir(P("none/x"), 0755), ENOENT) &&
	    FAILS(rump_sys_mkdir(P("f/x"), 0755), ENOTDIR),
	    "in a missing parent: ENOENT; under a file: ENOTDIR");
	dfd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_mkdirat(dfd, "sub", 0700)) &&
	    (mode(P("d/sub")) & 07777) == 0700,
	    "mkdirat relative to a directory descriptor");
	rump_sys_close(dfd);
}

static void
c_rmdir(void)
{
	rump_nlink_t n0;
	int dfd;

	n0 = nlink(fss_cur);
	rump_sys_mkdir(P("d"), 0755);
	rump_sys_mkdir(P("e"), 0755);
	mkfile(P("e/f"), "");
	mkfile(P("f"), "");
	ok(WORKS(rump_sys_rmdir(P("d"))) && !exists(P("d")) &&
	    nlink(fss_cur) == n0 + 1, "rmdir removes an empty directory "
	    "and the parent's link");
	ok(FAILS(rump_sys_rmdir(P("e")), ENOTEMPTY) && exists(P("e/f")),
	    "a directory with a file: ENOTEMPTY");
	ok(FAILS(rump_sys_rmdir(P("f")), ENOTDIR), "a file: ENOTDIR");
	ok(FAILS(rump_sys_rmdir(P("d")), ENOENT), "a missing one: ENOENT");
	/* NetBSD says EINVAL for both; Linux ENOTEMPTY for "..". */
	ok(FAILS(rump_sys_rmdir(P("e/.")), EINVAL) &&
	    FAILS(rump_sys_rmdir(P("e/..")), EINVAL),
	    "\".\" and \"..\" as the last component: EINVAL");
	rump_sys_unlink(P("e/f"));
	ok(WORKS(rump_sys_rmdir(P("e/"))), "once empty it goes, trailing "
	    "slash and all");
	rump_sys_mkdir(P("g"), 0755);
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_unlinkat(dfd, "f", RUMP_AT_REMOVEDIR), ENOTDIR) &&
	    WORKS(rump_sys_unlinkat(dfd, "g", RUMP_AT_REMOVEDIR)) &&
	    !exists(P("g")), "unlinkat AT_REMOVEDIR is rmdir");
	rump_sys_close(dfd);
}

static void
c_rmdir_cwd(void)
{
	struct rump_stat sb;
	char buf[RUMP_PATH_MAX];

	rump_sys_mkdir(P("d"), 0755);
	if (!fork_root())
		return;
	rump_sys_chdir(P("d"));
	ok(WORKS(rump_sys_rmdir(P("d"))),
	    "rmdir of a process's cwd works");
	ok(FAILS(rump_sys_getcwd(buf, sizeof(buf)), ENOENT),
	    "then getcwd: ENOENT");
	ok(rump_sys_stat(".", &sb) == 0 && sb.st_nlink == 0,
	    "\".\" still stats, with no links");
	ok(FAILS(rump_sys_open("x", RUMP_O_RDWR | RUMP_O_CREAT, 0644),
	    ENOENT) && FAILS(rump_sys_mkdir("y", 0755), ENOENT),
	    "nothing can be made in it: ENOENT");
	unbecome();
}

/* ---- unlink, unlinkat ---- */

static void
c_unlink(void)
{
	rump_nlink_t n0;
	int dfd;

	mkfile(P("f"), "");
	rump_sys_mkdir(P("d"), 0755);
	n0 = nlink(fss_cur);
	ok(WORKS(rump_sys_unlink(P("f"))) && !exists(P("f")) &&
	    nlink(fss_cur) == n0, "unlink removes the name");
	ok(FAILS(rump_sys_unlink(P("f")), ENOENT) &&
	    FAILS(rump_sys_unlink(""), ENOENT), "a missing name: ENOENT");
	/* BSD; Linux says EISDIR. */
	ok(FAILS(rump_sys_unlink(P("d")), EPERM) && exists(P("d")),
	    "unlink of a directory: EPERM");
	mkfile(P("g"), "");
	ok(FAILS(rump_sys_unlink(P("g/")), ENOTDIR), "a file with a "
	    "trailing slash: ENOTDIR");
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_unlinkat(dfd, "g", 0x4000), EINVAL) &&
	    WORKS(rump_sys_unlinkat(dfd, "g", 0)) && !exists(P("g")),
	    "unlinkat: unknown flags EINVAL; 0 removes the file");
	ok(FAILS(rump_sys_unlinkat(dfd, "d", 0), EPERM), "unlinkat without "
	    "AT_REMOVEDIR on a directory: EPERM");
	rump_sys_close(dfd);
}

static void
c_unlink_open(void)
{
	struct rump_stat sb;
	char buf[64];
	int fd, fd2;

	mkfile(P("f"), "precious");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	ok(WORKS(rump_sys_unlink(P("f"))) && !exists(P("f")),
	    "unlink of an open file removes the name");
	ok(rump_sys_read(fd, buf, sizeof(buf)) == 8 &&
	    memcmp(buf, "precious", 8) == 0,
	    "the data stays readable through the descriptor");
	ok(rump_sys_fstat(fd, &sb) == 0 && sb.st_nlink == 0 &&
	    sb.st_size == 8, "fstat: no links, the size kept");
	ok(rump_sys_write(fd, " more", 5) == 5 && fd_holds(fd,
	    "precious more"), "and it can still be written");
	mkfile(P("f"), "new");
	ok(holds(P("f"), "new") && fd_holds(fd, "precious more"),
	    "a new file under the name is another file");
	fd2 = rump_sys_dup(fd);
	rump_sys_close(fd);
	ok(fd_holds(fd2, "precious more"), "a dup keeps it alive after the "
	    "first close");
	ok(rump_sys_close(fd2) == 0 && holds(P("f"), "new"),
	    "the last close lets it go; the new file is untouched");
}

static void
c_sticky(void)
{
	rump_sys_mkdir(P("t"), 0755);
	rump_sys_chmod(P("t"), 01777);
	mkfile(P("t/root"), "");
	rump_sys_mkdir(P("w"), 0755);
	rump_sys_chmod(P("w"), 0777);
	mkfile(P("w/root"), "");
	mkfile(P("plain"), "");
	if (!become(1000, 100))
		return;
	ok(WORKS(mkfile(P("t/mine"), "")),
	    "anyone may create in a 01777 directory");
	ok(FAILS(rump_sys_unlink(P("t/root")), EPERM) &&
	    FAILS(rump_sys_rename(P("t/root"), P("t/x")), EPERM),
	    "sticky: another's file cannot be removed or renamed: EPERM");
	ok(WORKS(rump_sys_unlink(P("t/mine"))), "sticky: one's own can");
	ok(WORKS(rump_sys_unlink(P("w/root"))),
	    "without the sticky bit, write permission is enough");
	ok(FAILS(rump_sys_unlink(P("plain")), EACCES),
	    "no write permission on the directory: EACCES");
	unbecome();
}

/* ---- rename, renameat ---- */

static void
c_rename(void)
{
	rump_ino_t i0;
	int dfd;

	mkfile(P("f"), "data");
	rump_sys_mkdir(P("d"), 0755);
	i0 = ino(P("f"));
	ok(WORKS(rump_sys_rename(P("f"), P("g"))) && !exists(P("f")) &&
	    holds(P("g"), "data") && ino(P("g")) == i0,
	    "rename: the same file under the new name only");
	ok(WORKS(rump_sys_rename(P("g"), P("d/g"))) && holds(P("d/g"),
	    "data") && !exists(P("g")), "into another directory");
	ok(FAILS(rump_sys_rename(P("g"), P("h")), ENOENT) &&
	    FAILS(rump_sys_rename(P("d/g"), P("none/h")), ENOENT),
	    "a missing source or target directory: ENOENT");
	ok(WORKS(rump_sys_rename(P("d/g"), P("d/g"))) &&
	    holds(P("d/g"), "data"), "onto itself: nothing happens");
	ok(FAILS(rump_sys_rename(P("d/g/"), P("x")), ENOTDIR) &&
	    FAILS(rump_sys_rename(P("d/g"), P("x/")), ENOTDIR),
	    "a file with a trailing slash, either side: ENOTDIR");
	/* NetBSD: EINVAL; Linux says EBUSY. */
	ok(FAILS(rump_sys_rename(P("d/."), P("x")), EINVAL) &&
	    FAILS(rump_sys_rename(P("d/.."), P("x")), EINVAL),
	    "\".\" or \"..\" as the source: EINVAL");
	dfd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_renameat(dfd, "g", dfd, "h")) &&
	    holds(P("d/h"), "data"), "renameat between directory "
	    "descriptors");
	rump_sys_close(dfd);
}

static void
c_rename_replace(void)
{
	struct rump_stat sb;
	rump_nlink_t n0;
	int fd;

	mkfile(P("a"), "new");
	mkfile(P("b"), "old");
	fd = rump_sys_open(P("b"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_rename(P("a"), P("b"))) && holds(P("b"), "new") &&
	    !exists(P("a")), "rename over a file replaces it");
	ok(fd_holds(fd, "old") && rump_sys_fstat(fd, &sb) == 0 &&
	    sb.st_nlink == 0, "the replaced file lives on, unlinked, while "
	    "open");
	rump_sys_close(fd);
	rump_sys_mkdir(P("d1"), 0755);
	mkfile(P("d1/x"), "x");
	rump_sys_mkdir(P("d2"), 0755);
	rump_sys_mkdir(P("full"), 0755);
	mkfile(P("full/y"), "");
	ok(FAILS(rump_sys_rename(P("b"), P("d2")), EISDIR),
	    "a file over a directory: EISDIR");
	ok(FAILS(rump_sys_rename(P("d1"), P("b")), ENOTDIR),
	    "a directory over a file: ENOTDIR");
	n0 = nlink(fss_cur);
	ok(WORKS(rump_sys_rename(P("d1"), P("d2"))) &&
	    holds(P("d2/x"), "x") && !exists(P("d1")) &&
	    nlink(fss_cur) == n0 - 1, "a directory over an empty one "
	    "replaces it; the parent loses a link");
	/* POSIX allows EEXIST too; BSD and Linux say ENOTEMPTY. */
	ok(FAILS(rump_sys_rename(P("d2"), P("full")), ENOTEMPTY) &&
	    exists(P("full/y")) && exists(P("d2/x")),
	    "over a non-empty directory: ENOTEMPTY, nothing moved");
}

static void
c_rename_subtree(void)
{
	rump_nlink_t na, nc;

	rump_sys_mkdir(P("a"), 0755);
	rump_sys_mkdir(P("a/b"), 0755);
	rump_sys_mkdir(P("a/b/c"), 0755);
	rump_sys_mkdir(P("p1"), 0755);
	rump_sys_mkdir(P("p2"), 0755);
	rump_sys_mkdir(P("p1/d"), 0755);
	ok(FAILS(rump_sys_rename(P("a"), P("a/b/c/x")), EINVAL) &&
	    FAILS(rump_sys_rename(P("a"), P("a/x")), EINVAL),
	    "a directory into its own subtree: EINVAL");
	ok(FAILS(rump_sys_rename(P("a/b"), P("a/b/c")), EINVAL),
	    "a directory over its own child: EINVAL");
	/* Linux agrees; the target is not empty. */
	ok(FAILS(rump_sys_rename(P("a/b"), P("a")), ENOTEMPTY),
	    "a directory over its own parent: ENOTEMPTY");
	ok(WORKS(rump_sys_rename(P("a"), P("a"))), "a directory onto "
	    "itself: nothing happens");
	na = nlink(P("a"));
	nc = nlink(fss_cur);
	ok(WORKS(rump_sys_rename(P("a/b"), P("z"))) && exists(P("z/c")) &&
	    nlink(P("a")) == na - 1 && nlink(fss_cur) == nc + 1,
	    "moving a directory up moves the parent link");
	ok(WORKS(rump_sys_rename(P("p1/d"), P("p2/d"))) &&
	    ino(P("p2/d/..")) == ino(P("p2")) && nlink(P("p1")) == 2 &&
	    nlink(P("p2")) == 3, "across directories: \"..\" follows the "
	    "move, both link counts right");
}

struct swapper {
	char	from[RUMP_PATH_MAX];
	char	to[RUMP_PATH_MAX];
	int	errs;
};

static void *
swapper(void *arg)
{
	struct swapper *s = arg;
	int i;

	for (i = 0; i < 300; i++) {
		if (rump_sys_rename(s->from, s->to) == -1 &&
		    errno != ENOENT && errno != EINVAL)
			s->errs++;
		if (rump_sys_rename(s->to, s->from) == -1 && errno != ENOENT)
			s->errs++;
	}
	return NULL;
}

/*
 * Two threads move two sibling directories into each other and back:
 * one A to B/A, the other B to A/B.  Whatever the interleaving the tree
 * stays a tree: the subtree check holds against the lookups before it.
 */
static void
c_rename_race(void)
{
	struct swapper s[2];
	pthread_t t[2];
	int i, reach;

	rump_sys_mkdir(P("A"), 0755);
	rump_sys_mkdir(P("B"), 0755);
	snprintf(s[0].from, sizeof(s[0].from), "%s", P("A"));
	snprintf(s[0].to, sizeof(s[0].to), "%s", P("B/A"));
	snprintf(s[1].from, sizeof(s[1].from), "%s", P("B"));
	snprintf(s[1].to, sizeof(s[1].to), "%s", P("A/B"));
	for (i = 0; i < 2; i++) {
		s[i].errs = 0;
		pthread_create(&t[i], NULL, swapper, &s[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	ok(s[0].errs == 0 && s[1].errs == 0, "two threads moving two "
	    "directories into each other: only ENOENT or EINVAL");
	reach = exists(P("A")) + exists(P("B")) + exists(P("A/B")) +
	    exists(P("B/A"));
	ok(reach == 2 && exists(P("A")) && exists(P("B")) &&
	    nlink(fss_cur) == 4 && nlink(P("A")) == 2 &&
	    nlink(P("B")) == 2 && ino(P("A/..")) == ino(fss_cur) &&
	    ino(P("B/..")) == ino(fss_cur),
	    "both back side by side, links and \"..\" right, no cycle");
}

/* ---- link, linkat ---- */

static void
c_link(void)
{
	struct rump_stat a, b;
	int dfd, i;

	mkfile(P("f"), "shared");
	rump_sys_mkdir(P("d"), 0755);
	ok(WORKS(rump_sys_link(P("f"), P("g"))) && st(P("f"), &a) &&
	    st(P("g"), &b) && a.st_ino == b.st_ino && a.st_nlink == 2 &&
	    b.st_nlink == 2, "link: one file, two names, two links");
	mkfile(P("g"), "changed");
	ok(holds(P("f"), "changed"), "a write through one name shows "
	    "through the other");
	ok(FAILS(rump_sys_link(P("f"), P("g")), EEXIST) &&
	    FAILS(rump_sys_link(P("f"), P("d")), EEXIST),
	    "to an existing name: EEXIST");
	ok(FAILS(rump_sys_link(P("d"), P("e")), EPERM),
	    "a directory: EPERM");
	ok(FAILS(rump_sys_link(P("none"), P("x")), ENOENT) &&
	    FAILS(rump_sys_link(P("f"), P("none/x")), ENOENT),
	    "a missing source or target directory: ENOENT");
	ok(WORKS(rump_sys_unlink(P("f"))) && nlink(P("g")) == 1 &&
	    holds(P("g"), "changed"), "unlinking one name leaves the other "
	    "with one link");
	dfd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_linkat(RUMP_AT_FDCWD, P("g"), dfd, "h", 0)) &&
	    ino(P("d/h")) == ino(P("g")), "linkat into a directory "
	    "descriptor");
	ok(FAILS(rump_sys_linkat(dfd, "h", dfd, "i", 0x4000), EINVAL),
	    "linkat with unknown flags: EINVAL");
	rump_sys_close(dfd);
	for (i = 0; i < 5; i++)
		rump_sys_link(P("g"), P("n%d", i));
	ok(nlink(P("g")) == 7, "seven names, seven links");
	for (i = 0; i < 3; i++)
		rump_sys_unlink(P("n%d", i));
	ok(nlink(P("g")) == 4 && nlink(P("n4")) == 4, "three unlinked: four "
	    "left, seen from any name");
}

static void
c_link_symlink(void)
{
	struct rump_stat sb;

	mkfile(P("t"), "target");
	rump_sys_symlink("t", P("s"));
	/* link() does not follow: POSIX leaves it open; BSD and Linux. */
	ok(WORKS(rump_sys_link(P("s"), P("s2"))) && lst(P("s2"), &sb) &&
	    (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK &&
	    sb.st_ino == ino(P("s")) && nlink(P("t")) == 1,
	    "link of a symlink links the symlink itself");
	ok(WORKS(rump_sys_linkat(RUMP_AT_FDCWD, P("s"), RUMP_AT_FDCWD,
	    P("s3"), RUMP_AT_SYMLINK_FOLLOW)) && lst(P("s3"), &sb) &&
	    (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFREG &&
	    sb.st_ino == ino(P("t")) && nlink(P("t")) == 2,
	    "linkat AT_SYMLINK_FOLLOW links its target");
}

/* ---- symlink, symlinkat, readlink, readlinkat ---- */

static void
c_symlink(void)
{
	struct rump_stat sb;
	char buf[64], longt[1001];
	int dfd, fd;

	mkfile(P("f"), "file");
	rump_sys_mkdir(P("d"), 0755);
	mkfile(P("d/f"), "inner");
	ok(WORKS(rump_sys_symlink("target", P("l"))) && lst(P("l"), &sb) &&
	    (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK && sb.st_size == 6,
	    "symlink: S_IFLNK, size the target's length");
	memset(buf, 'X', sizeof(buf));
	ok(rump_sys_readlink(P("l"), buf, sizeof(buf)) == 6 &&
	    memcmp(buf, "targetX", 7) == 0,
	    "readlink: the target, not NUL-terminated");
	ok(rump_sys_readlink(P("l"), buf, 3) == 3 && memcmp(buf, "tar", 3) ==
	    0, "readlink into a short buffer truncates");
	ok(FAILS(rump_sys_readlink(P("f"), buf, sizeof(buf)), EINVAL) &&
	    FAILS(rump_sys_readlink(P("none"), buf, sizeof(buf)), ENOENT),
	    "readlink of a file: EINVAL; of nothing: ENOENT");
	ok(FAILS(rump_sys_symlink("x", P("l")), EEXIST) &&
	    FAILS(rump_sys_symlink("x", P("f")), EEXIST),
	    "over an existing name, even a dangling link: EEXIST");
	ok(FAILS(rump_sys_stat(P("l"), &sb), ENOENT) && lst(P("l"), &sb),
	    "dangling: stat ENOENT, lstat works");
	rump_sys_symlink("f", P("d/rel"));
	rump_sys_symlink(P("f"), P("abs"));
	ok(holds(P("d/rel"), "inner") && holds(P("abs"), "file"),
	    "a relative target from the link's directory; an absolute one");
	rump_sys_symlink("d", P("ld"));
	ok(holds(P("ld/f"), "inner"), "a symlink inside a path is followed");
	ok(st(P("ld/"), &sb) && (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR &&
	    lst(P("ld/"), &sb) && (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR,
	    "a trailing slash follows it, even for lstat");
	ok(FAILS(rump_sys_rmdir(P("ld")), ENOTDIR),
	    "rmdir of a symlink to a directory: ENOTDIR");
	ok(WORKS(rump_sys_unlink(P("ld"))) && exists(P("d/f")),
	    "unlink removes the link, not its target");
	dfd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_symlinkat("../f", dfd, "up")) &&
	    rump_sys_readlinkat(dfd, "up", buf, sizeof(buf)) == 4 &&
	    memcmp(buf, "../f", 4) == 0 && holds(P("d/up"), "file"),
	    "symlinkat and readlinkat relative to a descriptor");
	rump_sys_close(dfd);
	memset(longt, 'q', sizeof(longt) - 1);
	longt[sizeof(longt) - 1] = '\0';
	{
		char lbuf[1100];

		ok(WORKS(rump_sys_symlink(longt, P("long"))) &&
		    rump_sys_readlink(P("long"), lbuf, sizeof(lbuf)) == 1000 &&
		    memcmp(lbuf, longt, 1000) == 0,
		    "a 1000-byte target comes back whole");
	}
	fd = rump_sys_open(P("l"), RUMP_O_RDWR | RUMP_O_CREAT, 0600);
	ok(WORKS(fd) && exists(P("target")) && nlink(P("l")) == 1,
	    "O_CREAT through a dangling symlink creates its target");
	rump_sys_close(fd);
	ok(FAILS(rump_sys_open(P("abs"), RUMP_O_RDONLY | RUMP_O_NOFOLLOW, 0),
	    ELOOP), "O_NOFOLLOW on a symlink: ELOOP");
	ok(FAILS(rump_sys_open(P("abs"), RUMP_O_RDWR | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0644), EEXIST), "O_CREAT|O_EXCL on a symlink: "
	    "EEXIST, even to an existing file");
}

static void
c_symlink_loops(void)
{
	struct rump_stat sb;
	int i;

	rump_sys_symlink("b", P("a"));
	rump_sys_symlink("a", P("b"));
	rump_sys_symlink("s", P("s"));
	ok(FAILS(rump_sys_stat(P("a"), &sb), ELOOP) &&
	    FAILS(rump_sys_stat(P("s"), &sb), ELOOP),
	    "a two-link loop and a self loop: ELOOP");
	ok(FAILS(rump_sys_open(P("a"), RUMP_O_RDONLY, 0), ELOOP) &&
	    FAILS(rump_sys_open(P("a"), RUMP_O_RDWR | RUMP_O_CREAT, 0644),
	    ELOOP), "open, with or without O_CREAT: ELOOP");
	ok(FAILS(rump_sys_stat(P("a/x"), &sb), ELOOP) &&
	    FAILS(rump_sys_chdir(P("s")), ELOOP),
	    "a loop in the middle of a path: ELOOP");
	ok(lst(P("a"), &sb) && (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK,
	    "lstat of a looping link works");
	mkfile(P("end"), "end");
	rump_sys_symlink("end", P("c0"));
	for (i = 1; i < 8; i++) {
		char t[8];

		snprintf(t, sizeof(t), "c%d", i - 1);
		rump_sys_symlink(t, P("c%d", i));
	}
	ok(holds(P("c7"), "end"), "a chain of 8 links resolves "
	    "(SYMLOOP_MAX >= 8)");
}

/* ---- chmod, fchmod, fchmodat ---- */

static void
c_chmod(void)
{
	int fd, dfd;

	mkfile(P("f"), "");
	rump_sys_mkdir(P("d"), 0755);
	ok(WORKS(rump_sys_chmod(P("f"), 0751)) &&
	    mode(P("f")) == (RUMP_S_IFREG | 0751),
	    "chmod sets the bits, keeps the type");
	ok(WORKS(rump_sys_chmod(P("f"), 07777)) &&
	    (mode(P("f")) & 07777) == 07777,
	    "root may set setuid, setgid and sticky on a file");
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_fchmod(fd, 0600)) && (mode(P("f")) & 07777) ==
	    0600, "fchmod, even through a read-only descriptor");
	rump_sys_close(fd);
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_fchmodat(dfd, "d", 0700, 0)) &&
	    mode(P("d")) == (RUMP_S_IFDIR | 0700),
	    "fchmodat relative to a descriptor, on a directory");
	ok(FAILS(rump_sys_fchmodat(dfd, "d", 0700, 0x4000), EINVAL),
	    "fchmodat with unknown flags: EINVAL");
	rump_sys_close(dfd);
	ok(FAILS(rump_sys_chmod(P("none"), 0644), ENOENT), "a missing "
	    "file: ENOENT");
}

static void
c_chmod_user(void)
{
	int fd;

	mkfile(P("root"), "");
	mkfile(P("mine"), "");
	rump_sys_chown(P("mine"), 1000, 300);
	if (!become(1000, 100))
		return;
	ok(FAILS(rump_sys_chmod(P("root"), 0666), EPERM) &&
	    (mode(P("root")) & 07777) == 0644,
	    "chmod of another's file: EPERM");
	fd = rump_sys_open(P("root"), RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_fchmod(fd, 0666), EPERM), "fchmod of another's "
	    "file: EPERM, an open descriptor does not help");
	rump_sys_close(fd);
	ok(WORKS(rump_sys_chmod(P("mine"), 0600)) && (mode(P("mine")) &
	    07777) == 0600, "the owner may chmod");
	/* As Linux does; NetBSD refuses with EPERM and EFTYPE. */
	ok(WORKS(rump_sys_chmod(P("mine"), 03755)) &&
	    (mode(P("mine")) & 07777) == 0755,
	    "setgid (not in the group) and sticky (not a directory) are "
	    "cleared for a non-root owner");
	unbecome();
}

/* ---- chown, fchown, lchown, fchownat ---- */

static void
c_chown(void)
{
	struct rump_stat sb;
	int fd, dfd;

	mkfile(P("f"), "");
	ok(WORKS(rump_sys_chown(P("f"), 1000, 100)) && st(P("f"), &sb) &&
	    sb.st_uid == 1000 && sb.st_gid == 100, "root chowns to anyone");
	ok(WORKS(rump_sys_chown(P("f"), NOCHANGE, 200)) && st(P("f"), &sb) &&
	    sb.st_uid == 1000 && sb.st_gid == 200, "-1 leaves the owner");
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_fchown(fd, 5, NOGRP)) && st(P("f"), &sb) &&
	    sb.st_uid == 5 && sb.st_gid == 200, "fchown; -1 leaves the "
	    "group");
	rump_sys_close(fd);
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_fchownat(dfd, "f", 7, 8, 0)) && st(P("f"), &sb) &&
	    sb.st_uid == 7 && sb.st_gid == 8, "fchownat relative to a "
	    "descriptor");
	ok(FAILS(rump_sys_fchownat(dfd, "f", 7, 8, 0x4000), EINVAL),
	    "fchownat with unknown flags: EINVAL");
	rump_sys_close(dfd);
}

static void
c_chown_user(void)
{
	struct rump_stat sb;

	mkfile(P("mine"), "");
	rump_sys_chown(P("mine"), 1000, 300);
	rump_sys_chmod(P("mine"), 06755);
	mkfile(P("root"), "");
	if (!become(1000, 100))
		return;
	ok(FAILS(rump_sys_chown(P("mine"), 1001, NOGRP), EPERM),
	    "giving one's file away: EPERM");
	ok(FAILS(rump_sys_chown(P("mine"), NOCHANGE, 400), EPERM),
	    "to a group one is not in: EPERM");
	ok(FAILS(rump_sys_chown(P("root"), NOCHANGE, 100), EPERM),
	    "another's file: EPERM");
	ok(WORKS(rump_sys_chown(P("mine"), 1000, 100)) && st(P("mine"),
	    &sb) && sb.st_gid == 100 && (sb.st_mode & 07777) == 0755,
	    "to one's own group works, and clears setuid and setgid");
	ok(WORKS(rump_sys_chown(P("mine"), NOCHANGE, NOGRP)),
	    "no change at all is allowed");
	unbecome();
}

static void
c_lchown(void)
{
	struct rump_stat sb;

	mkfile(P("t"), "");
	rump_sys_symlink("t", P("l"));
	ok(WORKS(rump_sys_lchown(P("l"), 1000, 100)) && lst(P("l"), &sb) &&
	    sb.st_uid == 1000 && st(P("l"), &sb) && sb.st_uid == 0,
	    "lchown changes the link, not its target");
	ok(WORKS(rump_sys_chown(P("l"), 2000, 200)) && st(P("t"), &sb) &&
	    sb.st_uid == 2000 && lst(P("l"), &sb) && sb.st_uid == 1000,
	    "chown follows it");
	ok(WORKS(rump_sys_fchownat(RUMP_AT_FDCWD, P("l"), 3000, 300,
	    RUMP_AT_SYMLINK_NOFOLLOW)) && lst(P("l"), &sb) &&
	    sb.st_uid == 3000 && st(P("t"), &sb) && sb.st_uid == 2000,
	    "fchownat AT_SYMLINK_NOFOLLOW is lchown");
	ok(WORKS(rump_sys_chmod(P("l"), 0600)) && (mode(P("t")) & 0777) ==
	    0600 && (mode(P("l")) & RUMP_S_IFMT) == RUMP_S_IFLNK,
	    "chmod follows a symlink");
}

/* ---- utimensat, futimens ---- */

static void
c_utimens(void)
{
	struct rump_timespec ts[2], now;
	struct rump_stat sb, sb2;
	int fd, dfd;

	mkfile(P("f"), "");
	ts[0].tv_sec = 1000000000;
	ts[0].tv_nsec = 5000;
	ts[1].tv_sec = 1100000000;
	ts[1].tv_nsec = 7000;
	ok(WORKS(rump_sys_utimensat(RUMP_AT_FDCWD, P("f"), ts, 0)) &&
	    st(P("f"), &sb) && sb.st_atim.tv_sec == ts[0].tv_sec &&
	    sb.st_mtim.tv_sec == ts[1].tv_sec &&
	    ((fss_flags & FSSUITE_COARSETIME) ||
	    (sb.st_atim.tv_nsec == 5000 && sb.st_mtim.tv_nsec == 7000)),
	    "utimensat sets atime and mtime");
	ts[0].tv_nsec = RUMP_UTIME_OMIT;
	ts[1].tv_sec = 1200000000;
	ts[1].tv_nsec = 0;
	ok(WORKS(rump_sys_utimensat(RUMP_AT_FDCWD, P("f"), ts, 0)) &&
	    st(P("f"), &sb2) && ts_eq(&sb2.st_atim, &sb.st_atim) &&
	    sb2.st_mtim.tv_sec == 1200000000, "UTIME_OMIT keeps one");
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, &now);
	now.tv_nsec = 0;	/* coarse file systems round down */
	ts[0].tv_nsec = RUMP_UTIME_NOW;
	ts[1].tv_nsec = RUMP_UTIME_OMIT;
	ok(WORKS(rump_sys_utimensat(RUMP_AT_FDCWD, P("f"), ts, 0)) &&
	    st(P("f"), &sb) && !ts_after(&now, &sb.st_atim) &&
	    sb.st_mtim.tv_sec == 1200000000, "UTIME_NOW sets the present");
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_futimens(fd, long_ago)) && st(P("f"), &sb) &&
	    sb.st_mtim.tv_sec == long_ago[1].tv_sec, "futimens");
	ok(WORKS(rump_sys_futimens(fd, NULL)) && st(P("f"), &sb) &&
	    !ts_after(&now, &sb.st_mtim) && !ts_after(&now, &sb.st_atim),
	    "NULL times: both now");
	rump_sys_close(fd);
	ts[0].tv_nsec = 1000000000;
	ts[1].tv_nsec = 0;
	ok(FAILS(rump_sys_utimensat(RUMP_AT_FDCWD, P("f"), ts, 0), EINVAL),
	    "tv_nsec of a whole second: EINVAL");
	ts[0].tv_nsec = -1;
	ok(FAILS(rump_sys_utimensat(RUMP_AT_FDCWD, P("f"), ts, 0), EINVAL),
	    "negative tv_nsec: EINVAL");
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_utimensat(dfd, "f", long_ago, 0)) &&
	    FAILS(rump_sys_utimensat(dfd, "f", long_ago, 0x4000), EINVAL),
	    "relative to a descriptor; unknown flags EINVAL");
	rump_sys_close(dfd);
	ok(FAILS(rump_sys_utimensat(RUMP_AT_FDCWD, P("none"), NULL, 0),
	    ENOENT), "a missing file: ENOENT");
}

static void
c_utimens_user(void)
{
	struct rump_timespec both_now[2] = {
		{ 0, RUMP_UTIME_NOW }, { 0, RUMP_UTIME_NOW }
	};

	mkfile(P("open"), "");
	rump_sys_chmod(P("open"), 0666);
	mkfile(P("closed"), "");
	mkfile(P("mine"), "");
	rump_sys_chown(P("mine"), 1000, 100);
	if (!become(1000, 100))
		return;
	ok(WORKS(rump_sys_utimensat(RUMP_AT_FDCWD, P("open"), NULL, 0)) &&
	    WORKS(rump_sys_utimensat(RUMP_AT_FDCWD, P("open"), both_now, 0)),
	    "the present, on a file one may write: allowed");
	ok(FAILS(rump_sys_utimensat(RUMP_AT_FDCWD, P("open"), long_ago, 0),
	    EPERM), "other times on another's file: EPERM");
	ok(FAILS(rump_sys_utimensat(RUMP_AT_FDCWD, P("closed"), NULL, 0),
	    EACCES), "the present without write permission: EACCES");
	ok(WORKS(rump_sys_utimensat(RUMP_AT_FDCWD, P("mine"), long_ago, 0)),
	    "any times on one's own file");
	unbecome();
}

static void
c_utimens_symlink(void)
{
	struct rump_stat sb;

	mkfile(P("t"), "");
	rump_sys_symlink("t", P("l"));
	ok(WORKS(rump_sys_utimensat(RUMP_AT_FDCWD, P("l"), long_ago,
	    RUMP_AT_SYMLINK_NOFOLLOW)) && lst(P("l"), &sb) &&
	    sb.st_mtim.tv_sec == long_ago[1].tv_sec && st(P("t"), &sb) &&
	    sb.st_mtim.tv_sec != long_ago[1].tv_sec,
	    "AT_SYMLINK_NOFOLLOW sets the link's times, not the target's");
}

/* ---- which calls update which timestamps ---- */

static void
c_times_file(void)
{
	struct rump_stat a, b;
	char buf[8];
	int fd;

	mkfile(P("f"), "12345678");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR, 0);

	set_long_ago(P("f"));
	st(P("f"), &a);
	tick();
	rump_sys_pwrite(fd, "x", 1, 0);
	ok(st(P("f"), &b) && ts_after(&b.st_mtim, &a.st_mtim) &&
	    ts_after(&b.st_ctim, &a.st_ctim) && ts_eq(&b.st_atim, &a.st_atim),
	    "write: mtime and ctime, not atime");

	set_long_ago(P("f"));
	st(P("f"), &a);
	tick();
	rump_sys_pread(fd, buf, sizeof(buf), 0);
	ok(st(P("f"), &b) && ts_after(&b.st_atim, &a.st_atim) &&
	    ts_eq(&b.st_mtim, &a.st_mtim) && ts_eq(&b.st_ctim, &a.st_ctim),
	    "read: atime only");

	set_long_ago(P("f"));
	st(P("f"), &a);
	tick();
	rump_sys_fchmod(fd, 0640);
	ok(st(P("f"), &b) && ts_after(&b.st_ctim, &a.st_ctim) &&
	    ts_eq(&b.st_mtim, &a.st_mtim) && ts_eq(&b.st_atim, &a.st_atim),
	    "chmod: ctime only");

	set_long_ago(P("f"));
	st(P("f"), &a);
	tick();
	rump_sys_fchown(fd, 1, 1);
	ok(st(P("f"), &b) && ts_after(&b.st_ctim, &a.st_ctim) &&
	    ts_eq(&b.st_mtim, &a.st_mtim), "chown: ctime, not mtime");

	st(P("f"), &a);
	tick();
	rump_sys_utimensat(RUMP_AT_FDCWD, P("f"), long_ago, 0);
	ok(st(P("f"), &b) && ts_after(&b.st_ctim, &a.st_ctim),
	    "utimensat: ctime as well");

	set_long_ago(P("f"));
	st(P("f"), &a);
	tick();
	rump_sys_ftruncate(fd, 2);
	ok(st(P("f"), &b) && ts_after(&b.st_mtim, &a.st_mtim) &&
	    ts_after(&b.st_ctim, &a.st_ctim), "ftruncate: mtime and ctime");
	rump_sys_close(fd);

	set_long_ago(P("f"));
	st(P("f"), &a);
	tick();
	fd = rump_sys_open(P("f"), RUMP_O_WRONLY | RUMP_O_TRUNC, 0);
	rump_sys_close(fd);
	ok(st(P("f"), &b) && ts_after(&b.st_mtim, &a.st_mtim) &&
	    ts_after(&b.st_ctim, &a.st_ctim), "O_TRUNC: mtime and ctime");

	set_long_ago(P("f"));
	st(P("f"), &a);
	tick();
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	rump_sys_close(fd);
	ok(st(P("f"), &b) && ts_eq(&b.st_mtim, &a.st_mtim) &&
	    ts_eq(&b.st_ctim, &a.st_ctim) && ts_eq(&b.st_atim, &a.st_atim),
	    "open and close alone: nothing");
}

static void
c_times_dir(void)
{
	struct rump_stat a, b, fa, fb;

	rump_sys_mkdir(P("d"), 0755);
	rump_sys_mkdir(P("e"), 0755);

	set_long_ago(P("d"));
	st(P("d"), &a);
	tick();
	mkfile(P("d/f"), "");
	ok(st(P("d"), &b) && ts_after(&b.st_mtim, &a.st_mtim) &&
	    ts_after(&b.st_ctim, &a.st_ctim),
	    "creating a file: the directory's mtime and ctime");

	set_long_ago(P("d"));
	st(P("d"), &a);
	tick();
	rump_sys_mkdir(P("d/s"), 0755);
	ok(st(P("d"), &b) && ts_after(&b.st_mtim, &a.st_mtim),
	    "mkdir: the parent's mtime");

	set_long_ago(P("d"));
	set_long_ago(P("e"));
	st(P("d"), &a);
	st(P("d/f"), &fa);
	tick();
	rump_sys_rename(P("d/f"), P("e/f"));
	ok(st(P("d"), &b) && ts_after(&b.st_mtim, &a.st_mtim) &&
	    st(P("e"), &b) && ts_after(&b.st_mtim, &a.st_mtim),
	    "rename: both parents' mtime");
	ok(st(P("e/f"), &fb) && ts_eq(&fb.st_mtim, &fa.st_mtim),
	    "rename: not the file's mtime");

	set_long_ago(P("e"));
	st(P("e"), &a);
	tick();
	rump_sys_unlink(P("e/f"));
	ok(st(P("e"), &b) && ts_after(&b.st_mtim, &a.st_mtim) &&
	    ts_after(&b.st_ctim, &a.st_ctim),
	    "unlink: the directory's mtime and ctime");

	set_long_ago(P("d"));
	st(P("d"), &a);
	tick();
	rump_sys_rmdir(P("d/s"));
	ok(st(P("d"), &b) && ts_after(&b.st_mtim, &a.st_mtim),
	    "rmdir: the parent's mtime");
}

static void
c_times_link(void)
{
	struct rump_stat a, b, da, db;

	mkfile(P("f"), "");
	rump_sys_mkdir(P("d"), 0755);
	set_long_ago(P("d"));
	st(P("f"), &a);
	st(P("d"), &da);
	tick();
	rump_sys_link(P("f"), P("d/g"));
	ok(st(P("f"), &b) && ts_after(&b.st_ctim, &a.st_ctim) &&
	    ts_eq(&b.st_mtim, &a.st_mtim), "link: the file's ctime only");
	ok(st(P("d"), &db) && ts_after(&db.st_mtim, &da.st_mtim),
	    "link: the directory's mtime");
	st(P("f"), &a);
	tick();
	rump_sys_unlink(P("d/g"));
	ok(st(P("f"), &b) && ts_after(&b.st_ctim, &a.st_ctim),
	    "unlink of one of two links: the file's ctime");
}

/* ---- truncate, ftruncate ---- */

static void
c_truncate(void)
{
	char buf[16], zero[6] = { 0 };
	int fd, pfd[2];

	mkfile(P("f"), "0123456789");
	ok(WORKS(rump_sys_truncate(P("f"), 4)) && holds(P("f"), "0123"),
	    "truncate shrinks");
	ok(WORKS(rump_sys_truncate(P("f"), 10)) && size(P("f")) == 10,
	    "and grows");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	ok(rump_sys_pread(fd, buf, sizeof(buf), 0) == 10 &&
	    memcmp(buf, "0123", 4) == 0 && memcmp(buf + 4, zero, 6) == 0,
	    "what grows back is zeros, not the old data");
	rump_sys_lseek(fd, 10, RUMP_SEEK_SET);
	ok(WORKS(rump_sys_ftruncate(fd, 2)) && size(P("f")) == 2 &&
	    rump_sys_lseek(fd, 0, RUMP_SEEK_CUR) == 10,
	    "ftruncate leaves the offset alone");
	ok(rump_sys_write(fd, "x", 1) == 1 && size(P("f")) == 11,
	    "a write at the old offset leaves a gap");
	ok(FAILS(rump_sys_ftruncate(fd, -1), EINVAL) &&
	    FAILS(rump_sys_truncate(P("f"), -1), EINVAL),
	    "a negative length: EINVAL");
	ok(WORKS(rump_sys_ftruncate(fd, 10 * 1024 * 1024)) &&
	    rump_sys_pread(fd, buf, 6, 5 * 1024 * 1024) == 6 &&
	    memcmp(buf, zero, 6) == 0, "growing to 10 MB reads zeros");
	rump_sys_close(fd);
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	/* NetBSD and Linux: EINVAL (POSIX allows EBADF too). */
	ok(FAILS(rump_sys_ftruncate(fd, 0), EINVAL), "ftruncate of a "
	    "read-only descriptor: EINVAL");
	rump_sys_close(fd);
	rump_sys_mkdir(P("d"), 0755);
	ok(FAILS(rump_sys_truncate(P("d"), 0), EISDIR) &&
	    FAILS(rump_sys_truncate(P("none"), 0), ENOENT),
	    "a directory: EISDIR; nothing: ENOENT");
	rump_sys_pipe(pfd);
	ok(FAILS(rump_sys_ftruncate(pfd[1], 0), EINVAL), "a pipe: EINVAL");
	rump_sys_close(pfd[0]);
	rump_sys_close(pfd[1]);
}

static void
c_truncate_user(void)
{

	mkfile(P("f"), "keep");
	if (!become(1000, 100))
		return;
	ok(FAILS(rump_sys_truncate(P("f"), 0), EACCES) &&
	    FAILS(rump_sys_open(P("f"), RUMP_O_RDONLY | RUMP_O_TRUNC, 0),
	    EACCES) && holds(P("f"), "keep"),
	    "truncate or O_TRUNC without write permission: EACCES");
	unbecome();
}

/* ---- fsync, fdatasync, sync ---- */

static void
c_fsync(void)
{
	int fd, dfd, pfd[2];

	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	rump_sys_write(fd, "data", 4);
	ok(WORKS(rump_sys_fsync(fd)) && WORKS(rump_sys_fdatasync(fd)),
	    "fsync and fdatasync of a file");
	rump_sys_close(fd);
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_fsync(dfd)), "fsync of a directory");
	rump_sys_close(dfd);
	ok(FAILS(rump_sys_fsync(dfd), EBADF), "a closed descriptor: EBADF");
	rump_sys_pipe(pfd);
	ok(FAILS(rump_sys_fsync(pfd[0]), EINVAL), "a pipe: EINVAL");
	rump_sys_close(pfd[0]);
	rump_sys_close(pfd[1]);
	ok(WORKS(rump_sys_sync()) && holds(P("f"), "data"), "sync");
}

/* ---- getdents ---- */

/* DT_UNKNOWN is always allowed: not every file system keeps types. */
static bool
dtype_is(const struct dent *d, int type)
{

	return d != NULL && (d->type == type || d->type == RUMP_DT_UNKNOWN);
}

static void
c_getdents(void)
{
	struct dent ents[8];
	char buf[256];
	int n, fd;

	rump_sys_mkdir(P("d"), 0755);
	n = read_dir(P("d"), 4096, ents, 8);
	ok(n == 2 && dent_count(ents, n, ".") == 1 &&
	    dent_count(ents, n, "..") == 1, "an empty directory lists "
	    "\".\" and \"..\" only");
	ok(n == 2 && dent_find(ents, n, ".")->ino == ino(P("d")) &&
	    dent_find(ents, n, "..")->ino == ino(fss_cur) &&
	    dtype_is(dent_find(ents, n, ".."), RUMP_DT_DIR),
	    "\".\" is the directory, \"..\" its parent");
	mkfile(P("d/f"), "");
	rump_sys_mkdir(P("d/s"), 0755);
	n = read_dir(P("d"), 4096, ents, 8);
	ok(n == 4 && dtype_is(dent_find(ents, n, "f"), RUMP_DT_REG) &&
	    dtype_is(dent_find(ents, n, "s"), RUMP_DT_DIR) &&
	    dent_find(ents, n, "f")->ino == ino(P("d/f")),
	    "a file and a directory, with types and inode numbers");
	fd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_getdents(fd, buf, 8), EINVAL),
	    "a buffer too small for any record: EINVAL");
	ok(read_dir_fd(fd, 4096, ents, 8) == 4 &&
	    rump_sys_getdents(fd, buf, sizeof(buf)) == 0,
	    "at the end getdents returns 0");
	ok(rump_sys_lseek(fd, 0, RUMP_SEEK_SET) == 0 &&
	    read_dir_fd(fd, 4096, ents, 8) == 4, "a seek to 0 lists again");
	rump_sys_close(fd);
	fd = rump_sys_open(P("d/f"), RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_getdents(fd, buf, sizeof(buf)), ENOTDIR),
	    "getdents of a file: ENOTDIR");
	rump_sys_close(fd);
	ok(FAILS(rump_sys_getdents(fd, buf, sizeof(buf)), EBADF),
	    "of a closed descriptor: EBADF");
}

#define MANY	300

static void
c_getdents_many(void)
{
	static struct dent ents[MANY + 10], more[MANY + 10];
	char name[32];
	int i, n, m, fd, missing = 0, gone = 0, total;

	rump_sys_mkdir(P("d"), 0755);
	for (i = 0; i < MANY; i++)
		mkfile(P("d/file-%03d", i), "");
	n = read_dir(P("d"), 512, ents, MANY + 10);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "file-%03d", i);
		if (dent_count(ents, n, name) != 1)
			missing++;
	}
	ok(n == MANY + 2 && missing == 0 && !dent_dups(ents, n),
	    "%d files read 512 bytes at a time: each once", MANY);

	/* d_off is a cookie: seeking to one resumes after its record. */
	fd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	ok(rump_sys_lseek(fd, ents[10].off, RUMP_SEEK_SET) == ents[10].off &&
	    (m = read_dir_fd(fd, 4096, more, MANY + 10)) == n - 11 &&
	    strcmp(more[0].name, ents[11].name) == 0,
	    "lseek to a record's d_off resumes at the next record");
	rump_sys_close(fd);

	/* Entries removed while the directory is read: the untouched
	 * ones still come exactly once. */
	fd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	{
		char buf[512];
		struct rump_dirent *d;
		int off, got;

		got = rump_sys_getdents(fd, buf, sizeof(buf));
		total = 0;
		for (off = 0; off < got; off += d->d_reclen) {
			d = (struct rump_dirent *)(void *)(buf + off);
			memcpy(more[total++].name, d->d_name,
			    d->d_namlen + 1u);
		}
	}
	for (i = 0; i < MANY; i += 2)
		rump_sys_unlink(P("d/file-%03d", i));
	m = read_dir_fd(fd, 512, more + total, MANY + 10 - total);
	rump_sys_close(fd);
	total += m < 0 ? 0 : m;
	for (i = 1; i < MANY; i += 2) {
		snprintf(name, sizeof(name), "file-%03d", i);
		if (dent_count(more, total, name) != 1)
			gone++;
	}
	ok(m >= 0 && gone == 0 && !dent_dups(more, total),
	    "removing half while reading: every survivor once, no "
	    "duplicates");
	n = read_dir(P("d"), 4096, ents, MANY + 10);
	ok(n == MANY / 2 + 2, "a fresh read lists the %d survivors",
	    MANY / 2);
	for (i = 1; i < MANY; i += 2)
		rump_sys_unlink(P("d/file-%03d", i));
	ok(read_dir(P("d"), 4096, ents, 8) == 2 && WORKS(rump_sys_rmdir(
	    P("d"))), "emptied, it lists 2 and can be removed");
}

/* ---- chdir, fchdir, getcwd ---- */

static void
c_chdir(void)
{
	char buf[RUMP_PATH_MAX], want[RUMP_PATH_MAX];
	int fd, ffd, pfd[2];

	rump_sys_mkdir(P("d"), 0755);
	mkfile(P("f"), "");
	snprintf(want, sizeof(want), "%s", P("d"));
	if (!fork_root())
		return;
	ok(WORKS(rump_sys_chdir(P("d"))) && WORKS(mkfile("new", "rel")) &&
	    holds(P("d/new"), "rel"), "chdir: relative paths start there");
	ok(rump_sys_getcwd(buf, sizeof(buf)) == (int)strlen(want) + 1 &&
	    strcmp(buf, want) == 0, "getcwd: the path, length with its NUL");
	ok(FAILS(rump_sys_getcwd(buf, strlen(want)), ERANGE) &&
	    FAILS(rump_sys_getcwd(buf, 0), EINVAL),
	    "getcwd: a buffer too small: ERANGE; size 0: EINVAL");
	ok(holds("../d/new", "rel") && WORKS(rump_sys_chdir("..")) &&
	    rump_sys_getcwd(buf, sizeof(buf)) > 0 &&
	    strcmp(buf, fss_cur) == 0, "\"..\" goes up");
	ok(FAILS(rump_sys_chdir(P("f")), ENOTDIR) &&
	    FAILS(rump_sys_chdir(P("none")), ENOENT),
	    "chdir to a file: ENOTDIR; to nothing: ENOENT");
	fd = rump_sys_open(P("d"), RUMP_O_RDONLY, 0);
	ffd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	rump_sys_chdir("/");
	ok(WORKS(rump_sys_fchdir(fd)) && rump_sys_getcwd(buf,
	    sizeof(buf)) > 0 && strcmp(buf, want) == 0,
	    "fchdir to a directory descriptor");
	rump_sys_pipe(pfd);
	ok(FAILS(rump_sys_fchdir(ffd), ENOTDIR) &&
	    FAILS(rump_sys_fchdir(pfd[0]), ENOTDIR) &&
	    FAILS(rump_sys_fchdir(RUMP_OPEN_MAX - 1), EBADF),
	    "fchdir to a file or a pipe: ENOTDIR; a closed one: EBADF");
	unbecome();
	ok(rump_sys_getcwd(buf, sizeof(buf)) > 0 && strcmp(buf,
	    fss_cwd0) == 0, "the cwd is the process's own: pid 1's is "
	    "unchanged");
}

static void
c_chdir_user(void)
{
	struct dent ents[4];

	rump_sys_mkdir(P("closed"), 0700);
	mkfile(P("closed/f"), "");
	rump_sys_mkdir(P("search"), 0711);
	mkfile(P("search/f"), "");
	rump_sys_mkdir(P("list"), 0744);
	mkfile(P("list/f"), "");
	if (!become(1000, 100))
		return;
	ok(FAILS(rump_sys_chdir(P("closed")), EACCES) &&
	    FAILS(rump_sys_stat(P("closed/f"), &(struct rump_stat){ 0 }),
	    EACCES), "a 0700 directory of root's: no chdir, no stat inside");
	ok(exists(P("search/f")) &&
	    FAILS(rump_sys_open(P("search"), RUMP_O_RDONLY, 0), EACCES),
	    "0711: search but not list");
	ok(read_dir(P("list"), 4096, ents, 4) == 3 &&
	    FAILS(rump_sys_stat(P("list/f"), &(struct rump_stat){ 0 }),
	    EACCES), "0744: list but not search");
	unbecome();
}

/* ---- mknod, mknodat, mkfifo, mkfifoat ---- */

static void
c_mkfifo(void)
{
	struct dent ents[4];
	int dfd;

	ok(WORKS(rump_sys_mkfifo(P("p"), 0666)) &&
	    mode(P("p")) == (RUMP_S_IFIFO | 0644), "mkfifo: S_IFIFO, "
	    "less the umask");
	ok(FAILS(rump_sys_open(P("p"), RUMP_O_WRONLY | RUMP_O_NONBLOCK, 0),
	    ENXIO), "opening it O_WRONLY|O_NONBLOCK without a reader: ENXIO");
	ok(FAILS(rump_sys_mkfifo(P("p"), 0600), EEXIST), "over an existing "
	    "name: EEXIST");
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_mkfifoat(dfd, "q", 0600)) &&
	    mode(P("q")) == (RUMP_S_IFIFO | 0600), "mkfifoat");
	rump_sys_close(dfd);
	ok(read_dir(fss_cur, 4096, ents, 4) == 4 &&
	    dtype_is(dent_find(ents, 4, "p"), RUMP_DT_FIFO),
	    "getdents: DT_FIFO");
	ok(WORKS(rump_sys_rename(P("q"), P("r"))) &&
	    WORKS(rump_sys_unlink(P("r"))) && !exists(P("r")),
	    "a FIFO renames and unlinks like a file");
}

/* One poll of fd for events, not waiting; the revents, or -1. */
static int
poll1(int fd, int events)
{
	struct rump_pollfd pfd;

	pfd.fd = fd;
	pfd.events = (short)events;
	pfd.revents = 0;
	if (rump_sys_poll(&pfd, 1, 0) == -1)
		return -1;
	return pfd.revents;
}

static void
c_fifo(void)
{
	struct rump_stat sb, fsb;
	char buf[16];
	int r, w, rw, n;

	rump_sys_mkfifo(P("p"), 0644);
	r = rump_sys_open(P("p"), RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	ok(WORKS(r), "O_RDONLY|O_NONBLOCK opens at once, with no writer");
	ok(lst(P("p"), &sb) && rump_sys_fstat(r, &fsb) == 0 &&
	    fsb.st_mode == (RUMP_S_IFIFO | 0644) && fsb.st_ino == sb.st_ino &&
	    fsb.st_dev == sb.st_dev && fsb.st_nlink == 1,
	    "fstat: S_IFIFO, the FIFO's own inode and mode");
	ok(rump_sys_read(r, buf, sizeof(buf)) == 0,
	    "read with no writer: end of file");
	/* Linux and FreeBSD: it is waiting for its first writer. */
	ok(poll1(r, RUMP_POLLIN) == 0,
	    "poll before any writer came: no POLLHUP");
	w = rump_sys_open(P("p"), RUMP_O_WRONLY | RUMP_O_NONBLOCK, 0);
	ok(WORKS(w), "O_WRONLY|O_NONBLOCK with a reader opens");
	ok(FAILS(rump_sys_read(r, buf, sizeof(buf)), EAGAIN),
	    "O_NONBLOCK read of an empty FIFO with a writer: EAGAIN");
	ok(poll1(w, RUMP_POLLOUT) == RUMP_POLLOUT &&
	    poll1(r, RUMP_POLLIN) == 0, "poll: the writer POLLOUT, the "
	    "reader nothing yet");
	ok(rump_sys_write(w, "hello", 5) == 5 &&
	    rump_sys_ioctl(r, RUMP_FIONREAD, &n) == 0 && n == 5 &&
	    poll1(r, RUMP_POLLIN) == RUMP_POLLIN,
	    "write; FIONREAD 5, the reader polls POLLIN");
	ok(rump_sys_read(r, buf, 3) == 3 && memcmp(buf, "hel", 3) == 0 &&
	    rump_sys_read(r, buf, sizeof(buf)) == 2 &&
	    memcmp(buf, "lo", 2) == 0, "read: the bytes in order");
	ok(lst(P("p"), &sb) && sb.st_size == 0,
	    "the data never reach the file system");
	ok(FAILS(rump_sys_lseek(r, 0, RUMP_SEEK_CUR), ESPIPE) &&
	    FAILS(rump_sys_pread(r, buf, 1, 0), ESPIPE) &&
	    FAILS(rump_sys_pwrite(w, "x", 1, 0), ESPIPE),
	    "lseek, pread, pwrite: ESPIPE");
	ok(FAILS(rump_sys_ftruncate(w, 0), EINVAL), "ftruncate: EINVAL");
	ok(rump_sys_fcntl(r, RUMP_F_GETFL, 0) ==
	    (RUMP_O_RDONLY | RUMP_O_NONBLOCK) &&
	    rump_sys_fcntl(w, RUMP_F_SETFL, 0) == 0 &&
	    rump_sys_fcntl(w, RUMP_F_GETFL, 0) == RUMP_O_WRONLY,
	    "F_GETFL and F_SETFL: O_NONBLOCK");
	ok(WORKS(rump_sys_fchmod(r, 0600)) && mode(P("p")) ==
	    (RUMP_S_IFIFO | 0600), "fchmod through a FIFO descriptor");
	rump_sys_close(w);
	ok(poll1(r, RUMP_POLLIN) == RUMP_POLLHUP &&
	    rump_sys_read(r, buf, sizeof(buf)) == 0,
	    "the last writer closed: POLLHUP, end of file");
	w = rump_sys_open(P("p"), RUMP_O_WRONLY | RUMP_O_NONBLOCK, 0);
	rump_sys_close(r);
	ok(poll1(w, RUMP_POLLOUT) == RUMP_POLLERR &&
	    FAILS(rump_sys_write(w, "x", 1), EPIPE),
	    "the last reader closed: POLLERR, write EPIPE");
	rump_sys_close(w);

	rw = rump_sys_open(P("p"), RUMP_O_RDWR, 0);
	ok(WORKS(rw) && rump_sys_write(rw, "abc", 3) == 3 &&
	    rump_sys_read(rw, buf, sizeof(buf)) == 3 &&
	    memcmp(buf, "abc", 3) == 0,
	    "O_RDWR opens at once, its own reader and writer");
	rump_sys_write(rw, "left", 4);
	rump_sys_close(rw);
	rw = rump_sys_open(P("p"), RUMP_O_RDWR | RUMP_O_NONBLOCK, 0);
	ok(WORKS(rw) && FAILS(rump_sys_read(rw, buf, sizeof(buf)), EAGAIN),
	    "what was left in it went with the last close");
	rump_sys_close(rw);
	ok(WORKS(rump_sys_unlink(P("p"))) && !exists(P("p")),
	    "unlinked after use");
}

struct fifo_peer {
	const char	*path;
	int		flags;
	int		fd;
	int		err;
	int		done;		/* atomic: the thread is over */
	rump_ssize_t	n;
	char		buf[16];
};

/* Open path as told (perhaps waiting), then read to end of file. */
static void *
fifo_reader(void *arg)
{
	struct fifo_peer *pe = arg;
	rump_ssize_t n;

	pe->n = 0;
	if ((pe->fd = rump_sys_open(pe->path, pe->flags, 0)) == -1) {
		pe->err = errno;
		__atomic_store_n(&pe->done, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	while ((size_t)pe->n < sizeof(pe->buf) &&
	    (n = rump_sys_read(pe->fd, pe->buf + pe->n,
	    sizeof(pe->buf) - (size_t)pe->n)) > 0)
		pe->n += n;
	rump_sys_close(pe->fd);
	__atomic_store_n(&pe->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Open path as told (perhaps waiting), then write "ping". */
static void *
fifo_writer(void *arg)
{
	struct fifo_peer *pe = arg;

	if ((pe->fd = rump_sys_open(pe->path, pe->flags, 0)) == -1) {
		pe->err = errno;
		return NULL;
	}
	pe->n = rump_sys_write(pe->fd, "ping", 4);
	rump_sys_close(pe->fd);
	return NULL;
}

static void
c_fifo_block(void)
{
	struct fifo_peer peer;
	char path[RUMP_PATH_MAX], buf[16];
	pthread_t t;
	int fd;

	snprintf(path, sizeof(path), "%s", P("p"));
	rump_sys_mkfifo(path, 0666);

	/* A reader waiting in open; this thread's blocking write-only
	 * open meets it whichever comes first. */
	memset(&peer, 0, sizeof(peer));
	peer.path = path;
	peer.flags = RUMP_O_RDONLY;
	pthread_create(&t, NULL, fifo_reader, &peer);
	fd = rump_sys_open(path, RUMP_O_WRONLY, 0);
	ok(WORKS(fd) && rump_sys_write(fd, "pong", 4) == 4,
	    "O_WRONLY meets a reader's O_RDONLY open (both wait)");
	rump_sys_close(fd);
	pthread_join(t, NULL);
	ok(peer.err == 0 && peer.n == 4 && memcmp(peer.buf, "pong", 4) == 0,
	    "... the reader read what was written, then end of file");

	/* And the other way round. */
	memset(&peer, 0, sizeof(peer));
	peer.path = path;
	peer.flags = RUMP_O_WRONLY;
	pthread_create(&t, NULL, fifo_writer, &peer);
	fd = rump_sys_open(path, RUMP_O_RDONLY, 0);
	ok(WORKS(fd), "O_RDONLY meets a writer's O_WRONLY open");
	ok(fd != -1 && rump_sys_read(fd, buf, 4) == 4 &&
	    memcmp(buf, "ping", 4) == 0, "... and reads what it wrote");
	pthread_join(t, NULL);
	ok(peer.err == 0 && peer.n == 4 && rump_sys_read(fd, buf, 4) == 0,
	    "... then end of file once it closed");
	rump_sys_close(fd);

	/* A reader waiting in open counts as a reader: a non-blocking
	 * writer may open (as on Linux). */
	memset(&peer, 0, sizeof(peer));
	peer.path = path;
	peer.flags = RUMP_O_RDONLY;
	pthread_create(&t, NULL, fifo_reader, &peer);
	while ((fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_NONBLOCK,
	    0)) == -1 && errno == ENXIO &&
	    !__atomic_load_n(&peer.done, __ATOMIC_ACQUIRE))
		sched_yield();
	ok(WORKS(fd) && rump_sys_write(fd, "abc", 3) == 3,
	    "a waiting reader lets O_WRONLY|O_NONBLOCK open and write");
	rump_sys_close(fd);
	pthread_join(t, NULL);
	ok(peer.err == 0 && peer.n == 3 && memcmp(peer.buf, "abc", 3) == 0,
	    "... the reader's open returned and read it");
}

static void
c_mknod(void)
{
	struct rump_stat sb;
	int fd, dfd;

	ok(WORKS(rump_sys_mknod(P("c"), RUMP_S_IFCHR | 0600, 0x0102)) &&
	    lst(P("c"), &sb) && sb.st_mode == (RUMP_S_IFCHR | 0600) &&
	    sb.st_rdev == 0x0102, "a character device keeps its st_rdev");
	ok(WORKS(rump_sys_mknod(P("b"), RUMP_S_IFBLK | 0600, 0x0304)) &&
	    lst(P("b"), &sb) && (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFBLK &&
	    sb.st_rdev == 0x0304, "a block device");
	/* Decided: device nodes are entries only, so far. */
	ok(FAILS(rump_sys_open(P("c"), RUMP_O_RDWR, 0), ENXIO) &&
	    FAILS(rump_sys_open(P("b"), RUMP_O_RDONLY, 0), ENXIO),
	    "opening one: ENXIO");
	ok(WORKS(rump_sys_mknod(P("r"), RUMP_S_IFREG | 0640, 0)) &&
	    mode(P("r")) == (RUMP_S_IFREG | 0640) &&
	    WORKS(rump_sys_mknod(P("r0"), 0640, 0)) &&
	    mode(P("r0")) == (RUMP_S_IFREG | 0640),
	    "S_IFREG, or no type at all, makes a regular file");
	fd = rump_sys_open(P("r"), RUMP_O_RDWR, 0);
	ok(WORKS(fd), "which opens");
	rump_sys_close(fd);
	/* BSD: EINVAL; Linux says EPERM. */
	ok(FAILS(rump_sys_mknod(P("dir"), RUMP_S_IFDIR | 0755, 0), EINVAL),
	    "mknod of a directory: EINVAL");
	ok(FAILS(rump_sys_mknod(P("c"), RUMP_S_IFCHR | 0600, 1), EEXIST),
	    "over an existing name: EEXIST");
	dfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	ok(WORKS(rump_sys_mknodat(dfd, "c2", RUMP_S_IFCHR | 0644, 7)) &&
	    lst(P("c2"), &sb) && sb.st_rdev == 7, "mknodat");
	rump_sys_close(dfd);
	/* BSD: a socket node cannot be opened (EOPNOTSUPP); Linux ENXIO. */
	ok(WORKS(rump_sys_mknod(P("sock"), RUMP_S_IFSOCK | 0644, 0)) &&
	    (mode(P("sock")) & RUMP_S_IFMT) == RUMP_S_IFSOCK &&
	    FAILS(rump_sys_open(P("sock"), RUMP_O_RDWR, 0), EOPNOTSUPP),
	    "a socket node: made, cannot be opened (EOPNOTSUPP)");
	rump_sys_mkdir(P("open"), 0777);
	rump_sys_chmod(P("open"), 0777);
	if (!become(1000, 100))
		return;
	ok(FAILS(rump_sys_mknod(P("open/c"), RUMP_S_IFCHR | 0600, 1), EPERM),
	    "a device node by a non-root user: EPERM");
	ok(WORKS(rump_sys_mkfifo(P("open/p"), 0600)), "a FIFO by anyone");
	unbecome();
}

/* ---- statvfs, fstatvfs ---- */

static void
c_statvfs(void)
{
	static char chunk[65536];
	struct rump_statvfs a, b, c;
	struct rump_stat sb;
	int fd, i;

	ok(WORKS(rump_sys_statvfs(fss_cur, &a)) && a.f_bsize > 0 &&
	    a.f_frsize > 0 && a.f_bfree <= a.f_blocks &&
	    a.f_bavail <= a.f_bfree && a.f_ffree <= a.f_files &&
	    a.f_namemax >= 255 && a.f_fstypename[0] != '\0',
	    "statvfs: sizes consistent, a type name");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	ok(WORKS(rump_sys_fstatvfs(fd, &b)) && b.f_fsid == a.f_fsid &&
	    rump_sys_fstat(fd, &sb) == 0 && sb.st_dev == a.f_fsid &&
	    strcmp(a.f_fstypename, b.f_fstypename) == 0,
	    "fstatvfs agrees; f_fsid is st_dev");
	memset(chunk, 'z', sizeof(chunk));
	for (i = 0; i < 8; i++)
		rump_sys_write(fd, chunk, sizeof(chunk));
	rump_sys_close(fd);
	rump_sys_statvfs(fss_cur, &b);
	ok(b.f_bfree < a.f_bfree && b.f_ffree < a.f_ffree,
	    "512 KB in a new file: fewer free blocks and files");
	rump_sys_unlink(P("f"));
	rump_sys_statvfs(fss_cur, &c);
	ok(c.f_bfree > b.f_bfree, "unlinking it frees them");
	ok(FAILS(rump_sys_statvfs(P("none"), &c), ENOENT),
	    "statvfs of nothing: ENOENT");
}

/* ---- dup, dup2, dup3, fcntl descriptor calls ---- */

static void
c_dup(void)
{
	int fd, d, fd2;

	mkfile(P("f"), "0123456789");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR | RUMP_O_CLOEXEC, 0);
	d = rump_sys_dup(fd);
	ok(d > fd && rump_sys_fcntl(d, RUMP_F_GETFD, 0) == 0,
	    "dup: a new number, without close-on-exec");
	rump_sys_lseek(fd, 4, RUMP_SEEK_SET);
	ok(rump_sys_lseek(d, 0, RUMP_SEEK_CUR) == 4, "it shares the offset");
	rump_sys_close(d);
	ok(rump_sys_dup2(fd, fd) == fd && rump_sys_fcntl(fd, RUMP_F_GETFD,
	    0) == RUMP_FD_CLOEXEC, "dup2 onto itself changes nothing");
	fd2 = rump_sys_open(P("f"), RUMP_O_RDONLY | RUMP_O_CLOEXEC, 0);
	ok(rump_sys_dup2(fd, fd2) == fd2 &&
	    rump_sys_fcntl(fd2, RUMP_F_GETFD, 0) == 0 &&
	    rump_sys_write(fd2, "X", 1) == 1 && holds(P("f"), "0123X56789"),
	    "dup2 over an open descriptor replaces it, flags cleared");
	ok(rump_sys_dup2(fd, 100) == 100 &&
	    rump_sys_lseek(100, 0, RUMP_SEEK_CUR) == 5,
	    "dup2 to a high free number");
	ok(FAILS(rump_sys_dup2(fd, RUMP_OPEN_MAX), EBADF) &&
	    FAILS(rump_sys_dup2(-1, 5), EBADF) &&
	    FAILS(rump_sys_dup2(99, 5), EBADF),
	    "dup2 out of range or from a closed descriptor: EBADF");
	ok(rump_sys_dup3(fd, 101, RUMP_O_CLOEXEC) == 101 &&
	    rump_sys_fcntl(101, RUMP_F_GETFD, 0) == RUMP_FD_CLOEXEC,
	    "dup3 O_CLOEXEC");
	ok(FAILS(rump_sys_dup3(fd, fd, 0), EINVAL) &&
	    FAILS(rump_sys_dup3(fd, 102, RUMP_O_APPEND), EINVAL),
	    "dup3 onto itself or with other flags: EINVAL");
	d = rump_sys_fcntl(fd, RUMP_F_DUPFD, 50);
	ok(d == 50 && rump_sys_fcntl(d, RUMP_F_GETFD, 0) == 0,
	    "F_DUPFD: the lowest free at or above the argument");
	ok(rump_sys_fcntl(fd, RUMP_F_DUPFD, 50) == 51 &&
	    rump_sys_fcntl(fd, RUMP_F_DUPFD_CLOEXEC, 50) == 52 &&
	    rump_sys_fcntl(52, RUMP_F_GETFD, 0) == RUMP_FD_CLOEXEC,
	    "F_DUPFD skips taken numbers; F_DUPFD_CLOEXEC");
	ok(FAILS(rump_sys_fcntl(fd, RUMP_F_DUPFD, RUMP_OPEN_MAX), EINVAL) &&
	    FAILS(rump_sys_fcntl(fd, RUMP_F_DUPFD, -1), EINVAL),
	    "F_DUPFD out of range: EINVAL");
	rump_sys_close(50);
	rump_sys_close(51);
	rump_sys_close(52);
	rump_sys_close(100);
	rump_sys_close(101);
	rump_sys_close(fd2);
	ok(rump_sys_close(fd) == 0 && FAILS(rump_sys_close(fd), EBADF) &&
	    FAILS(rump_sys_close(-1), EBADF) &&
	    FAILS(rump_sys_close(RUMP_OPEN_MAX), EBADF),
	    "close twice, -1 or OPEN_MAX: EBADF");
}

static void
c_fcntl(void)
{
	int fd, d;

	mkfile(P("f"), "");
	fd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	ok(rump_sys_fcntl(fd, RUMP_F_SETFD, RUMP_FD_CLOEXEC) == 0 &&
	    rump_sys_fcntl(fd, RUMP_F_GETFD, 0) == RUMP_FD_CLOEXEC &&
	    rump_sys_fcntl(fd, RUMP_F_SETFD, 0) == 0 &&
	    rump_sys_fcntl(fd, RUMP_F_GETFD, 0) == 0,
	    "F_SETFD and F_GETFD");
	ok(rump_sys_fcntl(fd, RUMP_F_GETFL, 0) == RUMP_O_RDONLY,
	    "F_GETFL: O_RDONLY");
	ok(rump_sys_fcntl(fd, RUMP_F_SETFL, RUMP_O_RDWR | RUMP_O_NONBLOCK)
	    == 0 && rump_sys_fcntl(fd, RUMP_F_GETFL, 0) ==
	    (RUMP_O_RDONLY | RUMP_O_NONBLOCK) &&
	    FAILS(rump_sys_write(fd, "x", 1), EBADF),
	    "F_SETFL sets O_NONBLOCK but never the access mode");
	d = rump_sys_dup(fd);
	rump_sys_fcntl(fd, RUMP_F_SETFD, RUMP_FD_CLOEXEC);
	ok(rump_sys_fcntl(d, RUMP_F_GETFL, 0) ==
	    (RUMP_O_RDONLY | RUMP_O_NONBLOCK) &&
	    rump_sys_fcntl(d, RUMP_F_GETFD, 0) == 0,
	    "status flags belong to the open file, FD_CLOEXEC to the "
	    "descriptor");
	rump_sys_close(d);
	ok(FAILS(rump_sys_fcntl(fd, 999, 0), EINVAL) &&
	    FAILS(rump_sys_fcntl(RUMP_OPEN_MAX - 1, RUMP_F_GETFD, 0), EBADF),
	    "an unknown command: EINVAL; a closed descriptor: EBADF");
	rump_sys_close(fd);
}

/* ---- advisory locks: fcntl ---- */

static int
setlk(int fd, int cmd, int type, rump_off_t start, rump_off_t len)
{
	struct rump_flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = (int16_t)type;
	fl.l_whence = RUMP_SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	return rump_sys_fcntl(fd, cmd, (long)&fl);
}

/* Would a lock of type on [start, start+len) be refused? */
static bool
refused(int fd, int type, rump_off_t start, rump_off_t len)
{

	return FAILS2(setlk(fd, RUMP_F_SETLK, type, start, len), EAGAIN,
	    EACCES);
}

struct lkwaiter {
	int	fd;
	int	flock;		/* 0: F_SETLKW; else flock(LOCK_EX) */
	int	result;
	volatile int done;
};

static void *
lkwaiter(void *arg)
{
	struct lkwaiter *w = arg;

	/* Another process, so that fcntl locks are another owner's. */
	if (rump_lwproc_rfork(RUMP_RFFDG) != 0) {
		w->result = -2;
		w->done = 1;
		return NULL;
	}
	if (w->flock)
		w->result = rump_sys_flock(w->fd, RUMP_LOCK_EX);
	else
		w->result = setlk(w->fd, RUMP_F_SETLKW, RUMP_F_WRLCK, 0, 10);
	w->done = 1;
	rump_lwproc_releaselwp();
	return NULL;
}

static void
c_fcntl_locks(void)
{
	struct rump_flock fl;
	struct lkwaiter w;
	pthread_t t;
	int fd, fd2, rfd, wfd;
	rump_pid_t me = rump_sys_getpid();

	mkfile(P("f"), "");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	ok(WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 10)),
	    "F_SETLK: a write lock on [0,10)");
	memset(&fl, 0, sizeof(fl));
	fl.l_type = RUMP_F_WRLCK;
	fl.l_len = 100;
	ok(rump_sys_fcntl(fd, RUMP_F_GETLK, (long)&fl) == 0 &&
	    fl.l_type == RUMP_F_UNLCK, "F_GETLK: one's own locks never "
	    "conflict");
	if (fork_root()) {
		ok(refused(fd, RUMP_F_WRLCK, 5, 10) &&
		    refused(fd, RUMP_F_RDLCK, 0, 1),
		    "another process: overlapping locks refused");
		memset(&fl, 0, sizeof(fl));
		fl.l_type = RUMP_F_WRLCK;
		fl.l_len = 100;
		ok(rump_sys_fcntl(fd, RUMP_F_GETLK, (long)&fl) == 0 &&
		    fl.l_type == RUMP_F_WRLCK && fl.l_start == 0 &&
		    fl.l_len == 10 && fl.l_pid == me,
		    "F_GETLK reports the holder's lock and pid");
		ok(WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 10, 10)),
		    "an adjacent range is free");
		unbecome();
	}
	ok(WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 10, 10)),
	    "a process's locks go when it exits");

	/* Read locks share; unlocking the middle splits a lock. */
	setlk(fd, RUMP_F_SETLK, RUMP_F_UNLCK, 0, 0);
	setlk(fd, RUMP_F_SETLK, RUMP_F_RDLCK, 0, 50);
	if (fork_root()) {
		ok(WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_RDLCK, 0, 50)) &&
		    refused(fd, RUMP_F_WRLCK, 0, 1),
		    "read locks share; a write lock is refused");
		unbecome();
	}
	setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 100);
	setlk(fd, RUMP_F_SETLK, RUMP_F_UNLCK, 40, 20);
	setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 200, 0);
	setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 160, -10);
	if (fork_root()) {
		ok(WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 45, 10)) &&
		    refused(fd, RUMP_F_WRLCK, 30, 1) &&
		    refused(fd, RUMP_F_WRLCK, 70, 1),
		    "unlocking the middle of a lock leaves both ends");
		ok(refused(fd, RUMP_F_WRLCK, 1000000, 1),
		    "l_len 0 locks to the end and beyond");
		ok(refused(fd, RUMP_F_WRLCK, 155, 1) &&
		    WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 160, 1)),
		    "a negative l_len locks the bytes before l_start");
		unbecome();
	}

	/* POSIX: closing any descriptor of the file drops them all. */
	fd2 = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	rump_sys_close(fd2);
	if (fork_root()) {
		ok(WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 0)),
		    "closing another descriptor of the file dropped them");
		unbecome();
	}

	/* dup2 closes the descriptor it replaces: the same again. */
	setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 0);
	fd2 = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	rfd = rump_sys_open(fss_cur, RUMP_O_RDONLY, 0);
	rump_sys_dup2(rfd, fd2);
	rump_sys_close(fd2);
	rump_sys_close(rfd);
	if (fork_root()) {
		ok(WORKS(setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 0)),
		    "so does dup2 over a descriptor of the file");
		unbecome();
	}

	rfd = rump_sys_open(P("f"), RUMP_O_RDONLY, 0);
	wfd = rump_sys_open(P("f"), RUMP_O_WRONLY, 0);
	ok(FAILS(setlk(rfd, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 1), EBADF) &&
	    FAILS(setlk(wfd, RUMP_F_SETLK, RUMP_F_RDLCK, 0, 1), EBADF),
	    "a lock the descriptor's mode does not allow: EBADF");
	ok(FAILS(setlk(fd, RUMP_F_SETLK, 99, 0, 1), EINVAL) &&
	    FAILS(setlk(fd, RUMP_F_GETLK, RUMP_F_UNLCK, 0, 1), EINVAL),
	    "a bad l_type: EINVAL");
	rump_sys_lseek(fd, 30, RUMP_SEEK_SET);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = RUMP_F_WRLCK;
	fl.l_whence = RUMP_SEEK_CUR;
	fl.l_len = 5;
	rump_sys_fcntl(fd, RUMP_F_SETLK, (long)&fl);
	if (fork_root()) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = RUMP_F_RDLCK;
		fl.l_len = 0;
		ok(rump_sys_fcntl(fd, RUMP_F_GETLK, (long)&fl) == 0 &&
		    fl.l_start == 30 && fl.l_len == 5 &&
		    fl.l_whence == RUMP_SEEK_SET,
		    "SEEK_CUR ranges are taken from the offset");
		unbecome();
	}

	/* F_SETLKW waits for the holder. */
	setlk(fd, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 10);
	memset(&w, 0, sizeof(w));
	w.fd = fd;
	pthread_create(&t, NULL, lkwaiter, &w);
	tick();
	tick();
	ok(!w.done, "F_SETLKW on a held range waits");
	setlk(fd, RUMP_F_SETLK, RUMP_F_UNLCK, 0, 0);
	pthread_join(t, NULL);
	ok(w.done && w.result == 0, "and gets the lock once it is let go");
	rump_sys_close(rfd);
	rump_sys_close(wfd);
	rump_sys_close(fd);
}

/* ---- advisory locks: flock ---- */

static void
c_flock(void)
{
	struct lkwaiter w;
	pthread_t t;
	int fd1, fd2, fd3;

	mkfile(P("f"), "");
	fd1 = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	fd2 = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	ok(WORKS(rump_sys_flock(fd1, RUMP_LOCK_EX)), "flock LOCK_EX");
	ok(FAILS(rump_sys_flock(fd2, RUMP_LOCK_EX | RUMP_LOCK_NB),
	    EWOULDBLOCK) && FAILS(rump_sys_flock(fd2, RUMP_LOCK_SH |
	    RUMP_LOCK_NB), EWOULDBLOCK),
	    "another open file of the same process: EWOULDBLOCK");
	fd3 = rump_sys_dup(fd1);
	ok(WORKS(rump_sys_flock(fd3, RUMP_LOCK_EX | RUMP_LOCK_NB)),
	    "a dup shares the open file's lock");
	rump_sys_close(fd3);
	ok(FAILS(rump_sys_flock(fd2, RUMP_LOCK_EX | RUMP_LOCK_NB),
	    EWOULDBLOCK), "closing the dup does not let it go");
	/* Decided, as on Linux: flock and fcntl locks are independent. */
	if (fork_root()) {
		ok(WORKS(setlk(fd2, RUMP_F_SETLK, RUMP_F_WRLCK, 0, 0)),
		    "an fcntl lock does not conflict with a flock lock");
		unbecome();
	}
	ok(WORKS(rump_sys_flock(fd1, RUMP_LOCK_UN)) &&
	    WORKS(rump_sys_flock(fd2, RUMP_LOCK_SH | RUMP_LOCK_NB)) &&
	    WORKS(rump_sys_flock(fd1, RUMP_LOCK_SH | RUMP_LOCK_NB)),
	    "after LOCK_UN: two shared locks");
	ok(FAILS(rump_sys_flock(fd1, RUMP_LOCK_EX | RUMP_LOCK_NB),
	    EWOULDBLOCK), "no upgrade while another shares it");
	rump_sys_close(fd2);
	ok(WORKS(rump_sys_flock(fd1, RUMP_LOCK_EX | RUMP_LOCK_NB)),
	    "the last close of the other file let its lock go");
	ok(FAILS(rump_sys_flock(fd1, 0), EINVAL) &&
	    FAILS(rump_sys_flock(fd1, RUMP_LOCK_SH | RUMP_LOCK_EX), EINVAL),
	    "flock with no or two operations: EINVAL");

	/* A blocking flock waits. */
	fd2 = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	memset(&w, 0, sizeof(w));
	w.fd = fd2;
	w.flock = 1;
	pthread_create(&t, NULL, lkwaiter, &w);
	tick();
	tick();
	ok(!w.done, "a blocking LOCK_EX waits");
	rump_sys_flock(fd1, RUMP_LOCK_UN);
	pthread_join(t, NULL);
	ok(w.done && w.result == 0, "and gets the lock once it is let go");
	rump_sys_close(fd2);
	rump_sys_close(fd1);
}

/* ---- poll, select and ioctl on files ---- */

static void
c_file_ioctl(void)
{
	struct rump_pollfd pfd;
	rump_fd_set r, w;
	int fd, n, on = 1;

	mkfile(P("f"), "0123456789");
	fd = rump_sys_open(P("f"), RUMP_O_RDWR, 0);
	rump_sys_lseek(fd, 3, RUMP_SEEK_SET);
	ok(rump_sys_ioctl(fd, RUMP_FIONREAD, &n) == 0 && n == 7,
	    "FIONREAD: the bytes left to read");
	ok(WORKS(rump_sys_ioctl(fd, RUMP_FIONBIO, &on)) &&
	    (rump_sys_fcntl(fd, RUMP_F_GETFL, 0) & RUMP_O_NONBLOCK),
	    "FIONBIO sets O_NONBLOCK");
	ok(FAILS(rump_sys_ioctl(fd, 0x20007400, NULL), ENOTTY),
	    "an unknown ioctl: ENOTTY");
	pfd.fd = fd;
	pfd.events = RUMP_POLLIN | RUMP_POLLOUT;
	pfd.revents = 0;
	ok(rump_sys_poll(&pfd, 1, -1) == 1 &&
	    pfd.revents == (RUMP_POLLIN | RUMP_POLLOUT),
	    "a file polls readable and writable at once");
	RUMP_FD_ZERO(&r);
	RUMP_FD_ZERO(&w);
	RUMP_FD_SET(fd, &r);
	RUMP_FD_SET(fd, &w);
	ok(rump_sys_select(fd + 1, &r, &w, NULL, NULL) == 2 &&
	    RUMP_FD_ISSET(fd, &r) && RUMP_FD_ISSET(fd, &w),
	    "and selects so");
	rump_sys_close(fd);
}

/* ---- chroot ---- */

static void
c_chroot(void)
{
	struct rump_stat a, b;
	char buf[RUMP_PATH_MAX];

	rump_sys_mkdir(P("jail"), 0755);
	mkfile(P("jail/f"), "inside");
	mkfile(P("f"), "outside");
	if (!(fss_flags & FSSUITE_NOSYMLINK))
		rump_sys_symlink("/f", P("jail/abs"));
	if (fork_root()) {
		ok(WORKS(rump_sys_chroot(P("jail"))) && holds("/f", "inside"),
		    "chroot: \"/\" is the new root");
		ok(WORKS(rump_sys_stat("/..", &a)) && st("/", &b) &&
		    a.st_ino == b.st_ino && holds("/../../f", "inside"),
		    "\"..\" at the root stays there");
		ok(WORKS(rump_sys_chdir("/")) && rump_sys_getcwd(buf,
		    sizeof(buf)) == 2 && strcmp(buf, "/") == 0,
		    "getcwd inside: \"/\"");
		if (!(fss_flags & FSSUITE_NOSYMLINK))
			ok(holds("/abs", "inside"), "an absolute symlink "
			    "resolves inside");
		ok(FAILS(rump_sys_chroot("/f"), ENOTDIR) &&
		    FAILS(rump_sys_chroot("/none"), ENOENT),
		    "chroot to a file: ENOTDIR; to nothing: ENOENT");
		unbecome();
	}
	ok(holds(P("f"), "outside"), "the root is the process's own");
	if (become(1000, 100)) {
		ok(FAILS(rump_sys_chroot(P("jail")), EPERM),
		    "chroot by a non-root user: EPERM");
		unbecome();
	}
}

/* ---- a user who may not ---- */

static void
c_perm_user(void)
{
	int fd;

	mkfile(P("secret"), "");
	rump_sys_chmod(P("secret"), 0600);
	mkfile(P("public"), "");
	mkfile(P("group"), "");
	rump_sys_chown(P("group"), 0, 100);
	rump_sys_chmod(P("group"), 0060);
	rump_sys_mkdir(P("sub"), 0755);
	rump_sys_mkdir(P("p1"), 0755);
	rump_sys_mkdir(P("p2"), 0755);
	rump_sys_chown(P("p1"), 1000, 100);
	rump_sys_chown(P("p2"), 1000, 100);
	rump_sys_mkdir(P("p1/d"), 0755);
	rump_sys_mkdir(P("wx"), 0755);
	rump_sys_chown(P("wx"), 1000, 100);
	rump_sys_chmod(P("wx"), 0300);
	if (!become(1000, 100))
		return;
	ok(FAILS(rump_sys_open(P("secret"), RUMP_O_RDONLY, 0), EACCES) &&
	    FAILS(rump_sys_open(P("secret"), RUMP_O_WRONLY, 0), EACCES),
	    "root's 0600 file: EACCES for reading and writing");
	fd = rump_sys_open(P("public"), RUMP_O_RDONLY, 0);
	ok(WORKS(fd) && FAILS(rump_sys_open(P("public"), RUMP_O_RDWR, 0),
	    EACCES), "root's 0644 file: read yes, read-write EACCES");
	rump_sys_close(fd);
	fd = rump_sys_open(P("group"), RUMP_O_RDWR, 0);
	ok(WORKS(fd), "a 0060 file of one's group: read-write");
	rump_sys_close(fd);
	ok(FAILS(mkfile(P("new"), ""), EACCES) &&
	    FAILS(rump_sys_mkdir(P("newdir"), 0755), EACCES) &&
	    FAILS(rump_sys_mkfifo(P("newfifo"), 0644), EACCES),
	    "nothing made in root's 0755 directory: EACCES");
	ok(FAILS(rump_sys_rename(P("public"), P("moved")), EACCES) &&
	    FAILS(rump_sys_unlink(P("public")), EACCES) &&
	    FAILS(rump_sys_rmdir(P("sub")), EACCES),
	    "nor renamed or removed: EACCES");
	if (!(fss_flags & FSSUITE_NOSYMLINK))
		ok(FAILS(rump_sys_symlink("x", P("l")), EACCES),
		    "nor symlinked: EACCES");
	if (!(fss_flags & FSSUITE_NOHARDLINK))
		ok(FAILS(rump_sys_link(P("public"), P("l2")), EACCES) &&
		    WORKS(rump_sys_link(P("public"), P("p1/l2"))),
		    "a link needs write access to the target directory only");
	/* Moving a directory to a new parent rewrites its "..". */
	ok(FAILS(rump_sys_rename(P("p1/d"), P("p2/d")), EACCES) &&
	    WORKS(rump_sys_rename(P("p1/d"), P("p1/e"))),
	    "root's directory moves within one's own directory, but not to "
	    "another (EACCES)");
	ok(WORKS(mkfile(P("wx/f"), "")) &&
	    FAILS(rump_sys_open(P("wx"), RUMP_O_RDONLY, 0), EACCES),
	    "a 0300 directory: create in it, but not list it");
	ok(FAILS(rump_sys_mount("tmpfs", P("sub"), 0, NULL, 0), EPERM) &&
	    FAILS(rump_sys_unmount("/", 0), EPERM),
	    "mount and unmount by a non-root user: EPERM");
	unbecome();
}

/* ---- many threads in one directory ---- */

#define CC_THREADS	8
#define CC_OPS		500
#define CC_FILES	24
#define CC_DIRS		6

struct ccthread {
	char	dir[RUMP_PATH_MAX];
	int	id;
	int	unexpected;
	int	lasterr;
	char	lastop[16];
	int	listings;
	int	badlists;
};

static volatile int cc_running;

static void
cc_check(struct ccthread *c, int ret, const char *op, int e1, int e2, int e3)
{

	if (ret >= 0 || errno == e1 || errno == e2 || errno == e3)
		return;
	c->unexpected++;
	c->lasterr = errno;
	snprintf(c->lastop, sizeof(c->lastop), "%s", op);
}

static void *
cc_worker(void *arg)
{
	struct ccthread *c = arg;
	unsigned int seed = (unsigned int)c->id * 7919u + 1u;
	char a[RUMP_PATH_MAX + 16], b[RUMP_PATH_MAX + 16];
	int i, op, fd;

	for (i = 0; i < CC_OPS; i++) {
		op = rand_r(&seed) % 100;
		if (op < 85) {
			snprintf(a, sizeof(a), "%s/f%02d", c->dir,
			    (unsigned int)rand_r(&seed) % CC_FILES);
			snprintf(b, sizeof(b), "%s/f%02d", c->dir,
			    (unsigned int)rand_r(&seed) % CC_FILES);
		} else {
			snprintf(a, sizeof(a), "%s/d%02d", c->dir,
			    (unsigned int)rand_r(&seed) % CC_DIRS);
			snprintf(b, sizeof(b), "%s/d%02d", c->dir,
			    (unsigned int)rand_r(&seed) % CC_DIRS);
		}
		if (op < 30) {
			fd = rump_sys_open(a, RUMP_O_WRONLY | RUMP_O_CREAT |
			    RUMP_O_EXCL, 0644);
			cc_check(c, fd, "create", EEXIST, EEXIST, EEXIST);
			if (fd >= 0) {
				rump_sys_write(fd, "data", 4);
				rump_sys_close(fd);
			}
		} else if (op < 55) {
			cc_check(c, rump_sys_rename(a, b), "rename", ENOENT,
			    ENOENT, ENOENT);
		} else if (op < 72) {
			cc_check(c, rump_sys_unlink(a), "unlink", ENOENT,
			    ENOENT, ENOENT);
		} else if (op < 82 && !(fss_flags & FSSUITE_NOHARDLINK)) {
			cc_check(c, rump_sys_link(a, b), "link", ENOENT,
			    EEXIST, EEXIST);
		} else if (op < 85) {
			cc_check(c, rump_sys_stat(a, &(struct rump_stat){ 0 }),
			    "stat", ENOENT, ENOENT, ENOENT);
		} else if (op < 91) {
			cc_check(c, rump_sys_mkdir(a, 0755), "mkdir", EEXIST,
			    EEXIST, EEXIST);
		} else if (op < 96) {
			cc_check(c, rump_sys_rmdir(a), "rmdir", ENOENT,
			    ENOENT, ENOENT);
		} else {
			/* Onto an empty directory or a missing name. */
			cc_check(c, rump_sys_rename(a, b), "rename dir",
			    ENOENT, ENOENT, ENOENT);
		}
	}
	return NULL;
}

/*
 * Lists the directory over and over while the others work.  Across
 * calls a name may come twice (removed and made again: POSIX leaves it
 * open), but each call is one look at the directory: its records are
 * well formed and no name is in it twice.
 */
static void *
cc_lister(void *arg)
{
	struct ccthread *c = arg;
	struct rump_dirent *d;
	struct dent ents[64];
	char buf[512];
	int fd, n, off, k;

	while (cc_running) {
		fd = rump_sys_open(c->dir, RUMP_O_RDONLY, 0);
		while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
			for (k = 0, off = 0; off < n; off += d->d_reclen) {
				d = (struct rump_dirent *)(void *)(buf + off);
				if (!dent_ok(d, (size_t)(n - off))) {
					c->badlists++;
					break;
				}
				memcpy(ents[k++].name, d->d_name,
				    d->d_namlen + 1u);
			}
			if (dent_dups(ents, k))
				c->badlists++;
		}
		if (n < 0)
			c->badlists++;
		rump_sys_close(fd);
		c->listings++;
	}
	return NULL;
}

static void
c_concurrent(void)
{
	static struct ccthread cc[CC_THREADS + 1];
	struct dent ents[CC_FILES + CC_DIRS + 8];
	char name[16];
	pthread_t t[CC_THREADS + 1];
	int i, j, n, unexpected = 0, liststat = 0, nlinkbad = 0, ndirs = 0;
	int dirbad = 0, nthere = 0, same;
	struct rump_stat sb, sb2;
	bool listed, there;

	rump_sys_mkdir(P("c"), 0755);
	cc_running = 1;
	for (i = 0; i <= CC_THREADS; i++) {
		memset(&cc[i], 0, sizeof(cc[i]));
		snprintf(cc[i].dir, sizeof(cc[i].dir), "%s", P("c"));
		cc[i].id = i;
		pthread_create(&t[i], NULL, i < CC_THREADS ? cc_worker :
		    cc_lister, &cc[i]);
	}
	for (i = 0; i < CC_THREADS; i++) {
		pthread_join(t[i], NULL);
		unexpected += cc[i].unexpected;
		if (cc[i].unexpected)
			diag("thread %d: %s: %s", i, cc[i].lastop,
			    strerror(cc[i].lasterr));
	}
	cc_running = 0;
	pthread_join(t[CC_THREADS], NULL);
	ok(unexpected == 0, "%d threads x %d create, rename, link, unlink, "
	    "mkdir, rmdir: no unexpected error", CC_THREADS, CC_OPS);
	ok(cc[CC_THREADS].badlists == 0, "%d listings meanwhile, each "
	    "call's records well formed, no name twice in one",
	    cc[CC_THREADS].listings);

	n = read_dir(P("c"), 4096, ents, CC_FILES + CC_DIRS + 8);
	ok(n >= 2 && !dent_dups(ents, n) && dent_count(ents, n, ".") == 1 &&
	    dent_count(ents, n, "..") == 1, "afterwards getdents lists %d "
	    "entries, each once", n);
	for (i = 0; i < CC_FILES + CC_DIRS; i++) {
		if (i < CC_FILES)
			snprintf(name, sizeof(name), "f%02d", i);
		else
			snprintf(name, sizeof(name), "d%02d", i - CC_FILES);
		listed = dent_count(ents, n, name) == 1;
		there = lst(P("c/%s", name), &sb);
		nthere += there;
		if (listed != there)
			liststat++;
		if (!there)
			continue;
		if ((sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR) {
			ndirs++;
			if (sb.st_nlink != 2 || i < CC_FILES)
				dirbad++;
			continue;
		}
		/* A file's links: the names in the directory with its
		 * inode number. */
		same = 0;
		for (j = 0; j < CC_FILES; j++) {
			snprintf(name, sizeof(name), "f%02d", j);
			if (lst(P("c/%s", name), &sb2) &&
			    sb2.st_ino == sb.st_ino)
				same++;
		}
		if ((int)sb.st_nlink != same || sb.st_size != 4)
			nlinkbad++;
	}
	ok(liststat == 0 && n - 2 == nthere, "every name listed stats, "
	    "every name that stats is listed, nothing else");
	ok(nlinkbad == 0, "every file's link count is its number of names");
	ok(dirbad == 0 && nlink(P("c")) == 2 + (rump_nlink_t)ndirs,
	    "%d subdirectories, 2 links each; the directory has %d", ndirs,
	    2 + ndirs);
	for (i = 0; i < CC_FILES; i++)
		rump_sys_unlink(P("c/f%02d", i));
	for (i = 0; i < CC_DIRS; i++)
		rump_sys_rmdir(P("c/d%02d", i));
	ok(WORKS(rump_sys_rmdir(P("c"))), "emptied, it can be removed");
}

/* ---- the runner ---- */

#define NEED_SYM	FSSUITE_NOSYMLINK
#define NEED_LINK	FSSUITE_NOHARDLINK
#define NEED_PERM	FSSUITE_NOPERM
#define NEED_SPEC	FSSUITE_NOSPECIAL
#define NEED_TIME	FSSUITE_COARSETIME
#define NEED_LOCK	FSSUITE_NOLOCK

static const struct fss_case {
	const char	*name;
	void		(*fn)(void);
	unsigned int	needs;		/* FSSUITE_* that rule it out */
} fss_cases[] = {
	{ "open-create", c_open_create, 0 },
	{ "open-flags", c_open_flags, 0 },
	{ "open-dirs", c_open_dirs, 0 },
	{ "open-names", c_open_names, 0 },
	{ "openat", c_openat, 0 },
	{ "rw-basic", c_rw_basic, 0 },
	{ "rw-positioned", c_rw_positioned, 0 },
	{ "rw-vectored", c_rw_vectored, 0 },
	{ "rw-large", c_rw_large, 0 },
	{ "rw-shared", c_rw_shared, 0 },
	{ "append", c_append, 0 },
	{ "lseek", c_lseek, 0 },
	{ "lseek-holes", c_lseek_holes, 0 },
	{ "stat", c_stat, 0 },
	{ "stat-dirlinks", c_stat_dirlinks, 0 },
	{ "access", c_access, NEED_PERM },
	{ "access-user", c_access_user, NEED_PERM },
	{ "mkdir", c_mkdir, 0 },
	{ "rmdir", c_rmdir, 0 },
	{ "rmdir-cwd", c_rmdir_cwd, 0 },
	{ "unlink", c_unlink, 0 },
	{ "unlink-open", c_unlink_open, 0 },
	{ "sticky", c_sticky, NEED_PERM },
	{ "rename", c_rename, 0 },
	{ "rename-replace", c_rename_replace, 0 },
	{ "rename-subtree", c_rename_subtree, 0 },
	{ "rename-race", c_rename_race, 0 },
	{ "link", c_link, NEED_LINK },
	{ "link-symlink", c_link_symlink, NEED_LINK | NEED_SYM },
	{ "symlink", c_symlink, NEED_SYM },
	{ "symlink-loops", c_symlink_loops, NEED_SYM },
	{ "chmod", c_chmod, NEED_PERM },
	{ "chmod-user", c_chmod_user, NEED_PERM },
	{ "chown", c_chown, NEED_PERM },
	{ "chown-user", c_chown_user, NEED_PERM },
	{ "lchown", c_lchown, NEED_PERM | NEED_SYM },
	{ "utimens", c_utimens, 0 },
	{ "utimens-user", c_utimens_user, NEED_PERM },
	{ "utimens-symlink", c_utimens_symlink, NEED_SYM },
	{ "times-file", c_times_file, NEED_TIME | NEED_PERM },
	{ "times-dir", c_times_dir, NEED_TIME },
	{ "times-link", c_times_link, NEED_TIME | NEED_LINK },
	{ "truncate", c_truncate, 0 },
	{ "truncate-user", c_truncate_user, NEED_PERM },
	{ "fsync", c_fsync, 0 },
	{ "getdents", c_getdents, 0 },
	{ "getdents-many", c_getdents_many, 0 },
	{ "chdir", c_chdir, 0 },
	{ "chdir-user", c_chdir_user, NEED_PERM },
	{ "mkfifo", c_mkfifo, NEED_SPEC },
	{ "fifo", c_fifo, NEED_SPEC },
	{ "fifo-block", c_fifo_block, NEED_SPEC },
	{ "mknod", c_mknod, NEED_SPEC | NEED_PERM },
	{ "statvfs", c_statvfs, 0 },
	{ "dup", c_dup, 0 },
	{ "fcntl", c_fcntl, 0 },
	{ "fcntl-locks", c_fcntl_locks, NEED_LOCK },
	{ "flock", c_flock, NEED_LOCK },
	{ "file-ioctl", c_file_ioctl, 0 },
	{ "chroot", c_chroot, 0 },
	{ "perm-user", c_perm_user, NEED_PERM },
	{ "concurrent", c_concurrent, 0 },
};

static const char *
fss_why(unsigned int flags)
{

	if (flags & FSSUITE_NOSYMLINK)
		return "no symbolic links on this file system";
	if (flags & FSSUITE_NOHARDLINK)
		return "no hard links on this file system";
	if (flags & FSSUITE_NOPERM)
		return "no owners or permissions on this file system";
	if (flags & FSSUITE_NOSPECIAL)
		return "no FIFOs or device nodes on this file system";
	if (flags & FSSUITE_COARSETIME)
		return "timestamps too coarse on this file system";
	return "no advisory locks here";
}

int
fssuite_run_tap(const char *dir, unsigned int flags, int *countp,
    int *failedp)
{
	const struct fss_case *c;
	struct rump_stat sb;
	rump_mode_t omask;
	rump_pid_t pid0;
	size_t i;
	int fd0, fd, failed0 = *failedp;

	tap_count = *countp;
	tap_failed = *failedp;
	fss_flags = flags;
	if (rump_sys_getcwd(fss_cwd0, sizeof(fss_cwd0)) == -1)
		fss_cwd0[0] = '\0';
	diag("file-semantics suite in %s", dir);
	omask = rump_sys_umask(022);
	pid0 = rump_sys_getpid();
	fd0 = rump_sys_open(dir, RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0);
	rump_sys_close(fd0);

	for (i = 0; i < sizeof(fss_cases) / sizeof(fss_cases[0]); i++) {
		c = &fss_cases[i];
		if (c->needs & flags) {
			skip(1, fss_why(c->needs & flags));
			continue;
		}
		snprintf(fss_cur, sizeof(fss_cur), "%s/%s", dir, c->name);
		if (rump_sys_mkdir(fss_cur, 0755) != 0) {
			ok(0, "%s: mkdir %s: %s", c->name, fss_cur,
			    strerror(errno));
			continue;
		}
		c->fn();
	}

	/* What the cases left behind: no descriptor, the umask. */
	fd = rump_sys_open(dir, RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0);
	rump_sys_close(fd);
	ok(fd == fd0 && rump_sys_umask(omask) == 022 &&
	    rump_sys_stat(dir, &sb) == 0 && rump_sys_getuid() == 0 &&
	    rump_sys_getpid() == pid0, "the suite left no descriptor open "
	    "and runs as root in the process it started in");
	*countp = tap_count;
	*failedp = tap_failed;
	return tap_failed - failed0;
}
