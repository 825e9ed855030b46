/*
 * hijack.c: librumphijack, an LD_PRELOAD library that sends an
 * unmodified program's file system calls under a path prefix to a rump
 * kernel in a rump_server (through librumpclient), and everything else
 * to the host.  See rumphijack(3) and hijack.h for how the pieces fit.
 *
 *	LD_PRELOAD=librumphijack.so RUMP_SERVER=unix:///tmp/s ls -l /rump
 *
 * RUMPHIJACK configures it: comma-separated key=value pairs,
 *	path=/rump	the prefix (default /rump); "/rump/a/b" is "/a/b"
 *			in the rump kernel, "/rump" its root
 *	socket=none	which socket families go to the rump kernel (none
 *			until the kernel has a network stack)
 *
 * This file: start-up, the descriptor map, path routing, and the
 * wrappers whose work is one rump call: a wrapper decides where the
 * call goes (by descriptor or by path), translates through
 * hijack_abi.c, and calls the host's function or a rump_sys_* stub.
 * Locking: see hijack.h.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "hijack.h"

/*
 * The I/O size stat reports for rump files: every call is a round trip
 * to the server, so programs that size their buffers by st_blksize
 * (cat, cp) should move a lot per call, as over NFS.
 */
#define HIJ_BLKSIZE	(1024 * 1024)
#define STATE_VAR	"RUMPHIJACK__STATE"

pthread_mutex_t hij_fdlock = PTHREAD_MUTEX_INITIALIZER;
static bool hij_cwd_rump;		/* relative paths go to rump */

static bool
cwd_rump(void)
{

	return __atomic_load_n(&hij_cwd_rump, __ATOMIC_ACQUIRE);
}

static void
set_cwd_rump(bool rump)
{

	__atomic_store_n(&hij_cwd_rump, rump, __ATOMIC_RELEASE);
}
bool hij_connected;
static int hij_fdmap[HIJ_NFD];		/* rump fd + 1; 0: the host's */
static char hij_prefix[PATH_MAX] = "/rump";
static size_t hij_prefixlen = 5;

void *
hij_host(const char *name)
{
	void *fn;

	if ((fn = dlsym(RTLD_NEXT, name)) == NULL) {
		/* Nothing sensible to run instead; say so and stop. */
		fprintf(stderr, "rumphijack: no host function %s\n", name);
		abort();
	}
	return fn;
}

HOSTFN(int, openat, (int, const char *, int, ...))
HOSTFN(int, close, (int))
HOSTFN(ssize_t, read, (int, void *, size_t))
HOSTFN(ssize_t, write, (int, const void *, size_t))
HOSTFN(ssize_t, pread64, (int, void *, size_t, off_t))
HOSTFN(ssize_t, pwrite64, (int, const void *, size_t, off_t))
HOSTFN(ssize_t, readv, (int, const struct iovec *, int))
HOSTFN(ssize_t, writev, (int, const struct iovec *, int))
HOSTFN(off_t, lseek64, (int, off_t, int))
HOSTFN(int, dup, (int))
HOSTFN(int, dup2, (int, int))
HOSTFN(int, dup3, (int, int, int))
HOSTFN(int, fcntl, (int, int, ...))
HOSTFN(int, ioctl, (int, unsigned long, ...))
HOSTFN(int, flock, (int, int))
HOSTFN(int, fsync, (int))
HOSTFN(int, fdatasync, (int))
HOSTFN(int, ftruncate64, (int, off_t))
HOSTFN(int, truncate64, (const char *, off_t))
HOSTFN(int, fstatat64, (int, const char *, struct stat *, int))
HOSTFN(int, statx, (int, const char *, int, unsigned int, struct statx *))
HOSTFN(int, faccessat, (int, const char *, int, int))
HOSTFN(int, mkdirat, (int, const char *, mode_t))
HOSTFN(int, unlinkat, (int, const char *, int))
HOSTFN(int, renameat2, (int, const char *, int, const char *, unsigned int))
HOSTFN(int, linkat, (int, const char *, int, const char *, int))
HOSTFN(int, symlinkat, (const char *, int, const char *))
HOSTFN(ssize_t, readlinkat, (int, const char *, char *, size_t))
HOSTFN(int, fchmod, (int, mode_t))
HOSTFN(int, fchmodat, (int, const char *, mode_t, int))
HOSTFN(int, fchown, (int, uid_t, gid_t))
HOSTFN(int, fchownat, (int, const char *, uid_t, gid_t, int))
HOSTFN(int, utimensat, (int, const char *, const struct timespec *, int))
HOSTFN(int, futimens, (int, const struct timespec *))
HOSTFN(int, utimes, (const char *, const struct timeval *))
HOSTFN(int, lutimes, (const char *, const struct timeval *))
HOSTFN(int, futimes, (int, const struct timeval *))
HOSTFN(int, chdir, (const char *))
HOSTFN(int, fchdir, (int))
HOSTFN(char *, getcwd, (char *, size_t))
HOSTFN(int, mknodat, (int, const char *, mode_t, dev_t))
HOSTFN(int, mkfifoat, (int, const char *, mode_t))
HOSTFN(int, statvfs64, (const char *, struct statvfs *))
HOSTFN(int, fstatvfs64, (int, struct statvfs *))
HOSTFN(int, statfs64, (const char *, struct statfs *))
HOSTFN(int, fstatfs64, (int, struct statfs *))
HOSTFN(int, posix_fadvise64, (int, off_t, off_t, int))
HOSTFN(ssize_t, copy_file_range, (int, off_t *, int, off_t *, size_t,
    unsigned int))
HOSTFN(int, fallocate64, (int, int, off_t, off_t))
HOSTFN(int, posix_fallocate64, (int, off_t, off_t))
HOSTFN(long, pathconf, (const char *, int))
HOSTFN(long, fpathconf, (int, int))
HOSTFN(int, isatty, (int))
HOSTFN(void, sync, (void))
HOSTFN(int, syncfs, (int))
HOSTFN(mode_t, umask, (mode_t))
HOSTFN(ssize_t, getxattr, (const char *, const char *, void *, size_t))
HOSTFN(ssize_t, lgetxattr, (const char *, const char *, void *, size_t))
HOSTFN(ssize_t, fgetxattr, (int, const char *, void *, size_t))
HOSTFN(ssize_t, listxattr, (const char *, char *, size_t))
HOSTFN(ssize_t, llistxattr, (const char *, char *, size_t))
HOSTFN(ssize_t, flistxattr, (int, char *, size_t))
HOSTFN(int, setxattr, (const char *, const char *, const void *, size_t,
    int))
HOSTFN(int, lsetxattr, (const char *, const char *, const void *, size_t,
    int))
HOSTFN(int, fsetxattr, (int, const char *, const void *, size_t, int))

/*
 * glibc declares some path arguments nonnull that Linux takes as NULL
 * (utimensat's: "the descriptor itself"); tested through this, not in
 * the wrapper, so no compiler drops or warns about the test (the
 * library is built with -fno-delete-null-pointer-checks as well).
 */
static bool
isnull(const void *p)
{

	return p == NULL;
}

static int
fail(int error)
{

	errno = error;
	return -1;
}

/*
 * Start-up.
 */

static void
config(void)
{
	const char *env = getenv("RUMPHIJACK");
	char *s, *tok, *save, *val;

	if (env == NULL || (s = strdup(env)) == NULL)
		return;
	for (tok = strtok_r(s, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((val = strchr(tok, '=')) != NULL)
			*val++ = '\0';
		if (strcmp(tok, "path") == 0 && val != NULL && val[0] == '/' &&
		    strlen(val) < sizeof(hij_prefix)) {
			strcpy(hij_prefix, val);
			hij_prefixlen = strlen(hij_prefix);
			/* "/rump/" is "/rump"; "/" is everything. */
			while (hij_prefixlen > 1 &&
			    hij_prefix[hij_prefixlen - 1] == '/')
				hij_prefix[--hij_prefixlen] = '\0';
		} else if (strcmp(tok, "socket") == 0 && val != NULL &&
		    strcmp(val, "none") == 0) {
			/* Sockets stay the host's: no network stack yet. */
		} else {
			fprintf(stderr, "rumphijack: RUMPHIJACK: ignoring "
			    "\"%s%s%s\"\n", tok, val != NULL ? "=" : "",
			    val != NULL ? val : "");
		}
	}
	free(s);
}

__attribute__((constructor)) static void
hij_ctor(void)
{
	int fd;

	config();
	if (getenv("RUMP_SERVER") == NULL) {
		fprintf(stderr, "rumphijack: RUMP_SERVER is not set; "
		    "%s goes to the host\n", hij_prefix);
		hij_prefixlen = 0;
		return;
	}
	if (rumpclient_init() != 0) {
		/* Paths under the prefix fail with the reason. */
		fprintf(stderr, "rumphijack: %s: %s\n", getenv("RUMP_SERVER"),
		    strerror(errno));
		return;
	}
	hij_connected = true;
	hij_state_import();
	for (fd = 0; fd <= 2; fd++)
		if (hij_rfd(fd) >= 0)
			hij_stdio_adopt(fd);
}

/*
 * The descriptor map.
 */

int
hij_rfd(int fd)
{

	if (fd < 0 || fd >= HIJ_NFD)
		return -1;
	return __atomic_load_n(&hij_fdmap[fd], __ATOMIC_ACQUIRE) - 1;
}

static void
setmap(int fd, int rfd)
{

	__atomic_store_n(&hij_fdmap[fd], rfd + 1, __ATOMIC_RELEASE);
}

/*
 * A host number for rump descriptor rfd: exactly `target' (dup2), the
 * lowest free from `minfd' (F_DUPFD), or any.  Called with hij_fdlock
 * held.  The host number, or -1 with errno (rfd is the caller's to
 * close then).
 */
int
hij_mapfd(int rfd, int target, int minfd, bool cloexec)
{
	int p, fd, error;

	p = get_openat()(AT_FDCWD, "/", O_PATH | O_CLOEXEC);
	if (p < 0)
		return -1;
	if (target >= 0) {
		if (target >= HIJ_NFD) {
			get_close()(p);
			return fail(EBADF);
		}
		fd = get_dup3()(p, target, cloexec ? O_CLOEXEC : 0);
		get_close()(p);
	} else if (minfd > 0) {
		fd = get_fcntl()(p, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, minfd);
		get_close()(p);
	} else {
		fd = p;
		if (!cloexec && get_fcntl()(fd, F_SETFD, 0) != 0) {
			error = errno;
			get_close()(fd);
			return fail(error);
		}
	}
	if (fd < 0)
		return -1;
	if (fd >= HIJ_NFD) {
		get_close()(fd);
		return fail(EMFILE);
	}
	setmap(fd, rfd);
	return fd;
}

/* Forget a host number's rump descriptor.  hij_fdlock held. */
void
hij_unmapfd(int fd)
{

	if (fd >= 0 && fd < HIJ_NFD)
		setmap(fd, -1);
}

/* A new rump descriptor's host number; closes rfd if there is none. */
static int
newfd(int rfd, bool cloexec)
{
	int fd, error;

	if (rfd < 0)
		return -1;
	pthread_mutex_lock(&hij_fdlock);
	fd = hij_mapfd(rfd, -1, 0, cloexec);
	error = errno;
	pthread_mutex_unlock(&hij_fdlock);
	if (fd < 0) {
		rump_sys_close(rfd);
		errno = error;
	}
	return fd;
}

/*
 * What exec passes on: the current directory's kernel and the
 * descriptors that survive it (placeholders without FD_CLOEXEC).
 * "RUMPHIJACK__STATE=c<0|1>;<host>:<rump>,..." or NULL.
 */
char *
hij_state_export(void)
{
	size_t cap = 64, len;
	char *s, *ns;
	int fd, r, fl;

	if ((s = malloc(cap)) == NULL)
		return NULL;
	len = (size_t)snprintf(s, cap, "%s=c%d;", STATE_VAR,
	    cwd_rump() ? 1 : 0);
	for (fd = 0; fd < HIJ_NFD; fd++) {
		if ((r = hij_rfd(fd)) < 0)
			continue;
		fl = get_fcntl()(fd, F_GETFD);
		if (fl < 0 || (fl & FD_CLOEXEC))
			continue;
		if (cap - len < 32) {
			if ((ns = realloc(s, cap * 2)) == NULL) {
				free(s);
				return NULL;
			}
			s = ns;
			cap *= 2;
		}
		len += (size_t)snprintf(s + len, cap - len, "%d:%d,", fd, r);
	}
	return s;
}

/* The other end of hij_state_export, in the new image. */
void
hij_state_import(void)
{
	const char *s = getenv(STATE_VAR);
	char *end;
	long fd, r;

	if (s == NULL || s[0] != 'c')
		return;
	set_cwd_rump(s[1] == '1');
	if ((s = strchr(s, ';')) == NULL)
		goto out;
	for (s++; *s != '\0'; s = end + 1) {
		fd = strtol(s, &end, 10);
		if (*end != ':')
			break;
		r = strtol(end + 1, &end, 10);
		if (*end != ',')
			break;
		/* Only a placeholder that is still open stands for r. */
		if (fd >= 0 && fd < HIJ_NFD && r >= 0 && r < INT_MAX &&
		    get_fcntl()((int)fd, F_GETFD) >= 0)
			setmap((int)fd, (int)r);
	}
 out:
	unsetenv(STATE_VAR);
}

/*
 * Path routing.
 */

/*
 * A relative path from a host directory that walks into the prefix:
 * "rump/img" from "/", which a program that opens a path one name at a
 * time from "/" (rsync) or that runs in "/" asks for.  The host
 * directory's name (getcwd, or /proc/self/fd for a descriptor) is
 * looked up only when the path's first name is one of the prefix's.
 * The rump path goes in one of two buffers of the thread's, so that a
 * call with two paths (rename) has both.  Written without ".."
 * (which the host resolves itself).
 */
static bool
route_host_rel(int dirfd, const char *path, const char **rpath)
{
	static __thread char buf[2][PATH_MAX];
	static __thread int k;
	char dir[PATH_MAX], link[64];
	const char *c, *first_end;
	size_t flen, dlen;
	ssize_t n;
	bool match = false;

	if (hij_prefixlen <= 1 || path[0] == '\0')
		return false;
	first_end = strchr(path, '/');
	flen = first_end != NULL ? (size_t)(first_end - path) : strlen(path);
	for (c = hij_prefix; *c != '\0' && !match; ) {
		const char *e;

		while (*c == '/')
			c++;
		for (e = c; *e != '\0' && *e != '/'; e++)
			continue;
		match = (size_t)(e - c) == flen && strncmp(c, path, flen) == 0;
		c = e;
	}
	if (!match)
		return false;
	if (dirfd == AT_FDCWD) {
		if (get_getcwd()(dir, sizeof(dir)) == NULL)
			return false;
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
		n = get_readlinkat()(AT_FDCWD, link, dir, sizeof(dir) - 1);
		if (n <= 0 || dir[0] != '/')
			return false;
		dir[n] = '\0';
	}
	dlen = strlen(dir);
	k = (k + 1) % 2;
	if ((size_t)snprintf(buf[k], sizeof(buf[k]), "%s%s%s", dir,
	    dlen > 1 ? "/" : "", path) >= sizeof(buf[k]))
		return false;
	if (strncmp(buf[k], hij_prefix, hij_prefixlen) != 0 ||
	    (buf[k][hij_prefixlen] != '\0' && buf[k][hij_prefixlen] != '/'))
		return false;
	*rpath = buf[k][hij_prefixlen] == '\0' ? "/" :
	    buf[k] + hij_prefixlen;
	return true;
}

bool
hij_route(int dirfd, const char *path, const char **rpath, int *rdirfd)
{
	const char *p;
	int r;

	if (rdirfd != NULL)
		*rdirfd = RUMP_AT_FDCWD;
	if (path == NULL || hij_prefixlen == 0)
		return false;
	if (path[0] == '/') {
		/* "//rump" is "/rump". */
		for (p = path; p[1] == '/'; p++)
			continue;
		if (hij_prefixlen == 1) {
			*rpath = p;
			return true;
		}
		if (strncmp(p, hij_prefix, hij_prefixlen) != 0 ||
		    (p[hij_prefixlen] != '\0' && p[hij_prefixlen] != '/'))
			return false;
		*rpath = p[hij_prefixlen] == '\0' ? "/" : p + hij_prefixlen;
		return true;
	}
	if (dirfd == AT_FDCWD) {
		if (!cwd_rump())
			return route_host_rel(dirfd, path, rpath);
		*rpath = path;
		return true;
	}
	if ((r = hij_rfd(dirfd)) < 0)
		return route_host_rel(dirfd, path, rpath);
	if (rdirfd == NULL)
		return false;	/* no *at form to carry it: the host's */
	*rpath = path;
	*rdirfd = r;
	return true;
}

/*
 * Opening and closing.
 */

static int
do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	const char *rp;
	int rdir, rflags, error;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_openat()(dirfd, path, flags, mode);
	if ((error = abi_oflags_in(flags, &rflags)) != 0)
		return fail(error);
	return newfd(rump_sys_openat(rdir, rp, rflags, mode & 07777),
	    (flags & O_CLOEXEC) != 0);
}

#define OPEN_MODE(flags, mode) do {					\
	if ((flags) & O_CREAT || ((flags) & O_TMPFILE) == O_TMPFILE) {	\
		va_list ap;						\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
} while (0)

HIJ_EXPORT int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return do_openat(AT_FDCWD, path, flags, mode);
}

HIJ_EXPORT int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return do_openat(AT_FDCWD, path, flags, mode);
}

HIJ_EXPORT int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return do_openat(dirfd, path, flags, mode);
}

HIJ_EXPORT int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return do_openat(dirfd, path, flags, mode);
}

/* _FORTIFY_SOURCE's forms, for opens without O_CREAT. */
HIJ_EXPORT int
__open_2(const char *path, int flags)
{

	return do_openat(AT_FDCWD, path, flags, 0);
}

HIJ_EXPORT int
__open64_2(const char *path, int flags)
{

	return do_openat(AT_FDCWD, path, flags, 0);
}

HIJ_EXPORT int
__openat_2(int dirfd, const char *path, int flags)
{

	return do_openat(dirfd, path, flags, 0);
}

HIJ_EXPORT int
__openat64_2(int dirfd, const char *path, int flags)
{

	return do_openat(dirfd, path, flags, 0);
}

HIJ_EXPORT int
creat(const char *path, mode_t mode)
{

	return do_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

HIJ_EXPORT int
creat64(const char *path, mode_t mode)
{

	return do_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

HIJ_EXPORT int
close(int fd)
{
	int r;

	if (hij_rfd(fd) < 0) {
		/* Our connection is not the program's to close. */
		if (hij_connected && rumpclient_fd_ours(fd))
			return fail(EBADF);
		return get_close()(fd);
	}
	pthread_mutex_lock(&hij_fdlock);
	r = hij_rfd(fd);
	hij_unmapfd(fd);
	get_close()(fd);
	pthread_mutex_unlock(&hij_fdlock);
	if (r < 0)
		return fail(EBADF);	/* another thread closed it first */
	return rump_sys_close(r);
}

/*
 * dup2/dup3 onto `to': the host's number becomes a copy of from's and
 * the rump side follows, whatever each number was before.
 */
static int
do_dup3(int from, int to, int flags)
{
	int rfrom, rto, rnew = -1, fd, error = 0;

	rfrom = hij_rfd(from);
	/* Our connection's number is taken: the program cannot have it. */
	if (hij_connected && rumpclient_fd_ours(to))
		return fail(EBADF);
	if (rfrom < 0 && hij_rfd(to) < 0)
		return flags == -1 ? get_dup2()(from, to) :
		    get_dup3()(from, to, flags);
	if (from == to) {
		if (flags != -1)
			return fail(EINVAL);
		return rfrom >= 0 || get_fcntl()(from, F_GETFD) >= 0 ? to : -1;
	}
	if (flags != -1 && (flags & ~O_CLOEXEC) != 0)
		return fail(EINVAL);
	pthread_mutex_lock(&hij_fdlock);
	rfrom = hij_rfd(from);
	rto = hij_rfd(to);
	if (rfrom >= 0 && (rnew = rump_sys_dup(rfrom)) < 0) {
		error = errno;
		goto out;
	}
	if (rnew >= 0 && flags > 0 &&
	    rump_sys_fcntl(rnew, RUMP_F_SETFD, RUMP_FD_CLOEXEC) != 0) {
		error = errno;
		rump_sys_close(rnew);
		goto out;
	}
	fd = get_dup3()(from, to, flags > 0 ? O_CLOEXEC : 0);
	if (fd < 0) {
		error = errno;
		if (rnew >= 0)
			rump_sys_close(rnew);
		goto out;
	}
	setmap(to, rnew);
	if (rto >= 0)
		rump_sys_close(rto);
 out:
	pthread_mutex_unlock(&hij_fdlock);
	if (error != 0)
		return fail(error);
	if (rnew >= 0)
		hij_stdio_adopt(to);
	return to;
}

HIJ_EXPORT int
dup2(int from, int to)
{

	return do_dup3(from, to, -1);
}

HIJ_EXPORT int
dup3(int from, int to, int flags)
{

	return do_dup3(from, to, flags);
}

/* dup and F_DUPFD: a new rump descriptor and a host number >= minfd. */
static int
dup_min(int fd, int minfd, bool cloexec)
{
	int r, rnew, nfd, error;

	if ((r = hij_rfd(fd)) < 0)
		return get_fcntl()(fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD,
		    minfd);
	if (minfd < 0)
		return fail(EINVAL);
	if ((rnew = rump_sys_dup(r)) < 0)
		return -1;
	if (cloexec && rump_sys_fcntl(rnew, RUMP_F_SETFD, RUMP_FD_CLOEXEC)) {
		error = errno;
		rump_sys_close(rnew);
		return fail(error);
	}
	pthread_mutex_lock(&hij_fdlock);
	nfd = hij_mapfd(rnew, -1, minfd > 0 ? minfd : 0, cloexec);
	error = errno;
	pthread_mutex_unlock(&hij_fdlock);
	if (nfd < 0) {
		rump_sys_close(rnew);
		return fail(error);
	}
	return nfd;
}

HIJ_EXPORT int
dup(int fd)
{

	if (hij_rfd(fd) < 0)
		return get_dup()(fd);
	return dup_min(fd, 0, false);
}

static int
do_fcntl(int fd, int cmd, void *arg)
{
	struct rump_flock rl;
	int r, rcmd, fl, error;
	long v = (long)(intptr_t)arg;

	if ((r = hij_rfd(fd)) < 0)
		return get_fcntl()(fd, cmd, arg);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return dup_min(fd, (int)v, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		if ((fl = rump_sys_fcntl(r, RUMP_F_GETFD, 0)) < 0)
			return -1;
		return (fl & RUMP_FD_CLOEXEC) ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (rump_sys_fcntl(r, RUMP_F_SETFD,
		    (v & FD_CLOEXEC) ? RUMP_FD_CLOEXEC : 0) != 0)
			return -1;
		/* The placeholder follows: exec keeps or drops both. */
		return get_fcntl()(fd, F_SETFD, (v & FD_CLOEXEC) ?
		    FD_CLOEXEC : 0);
	case F_GETFL:
		if ((fl = rump_sys_fcntl(r, RUMP_F_GETFL, 0)) < 0)
			return -1;
		return abi_oflags_out(fl);
	case F_SETFL:
		if ((error = abi_oflags_in((int)v & ~O_ACCMODE, &fl)) != 0)
			return fail(error);
		return rump_sys_fcntl(r, RUMP_F_SETFL, fl);
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		if (arg == NULL)
			return fail(EFAULT);
		if ((error = abi_flock_in(arg, &rl)) != 0)
			return fail(error);
		rcmd = cmd == F_GETLK ? RUMP_F_GETLK : cmd == F_SETLK ?
		    RUMP_F_SETLK : RUMP_F_SETLKW;
		if (rump_sys_fcntl(r, rcmd, (long)(intptr_t)&rl) != 0)
			return -1;
		if (cmd == F_GETLK)
			abi_flock_out(&rl, arg);
		return 0;
	default:
		/* Open file description locks, leases, pipe sizes ... */
		return fail(EINVAL);
	}
}

HIJ_EXPORT int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return do_fcntl(fd, cmd, arg);
}

HIJ_EXPORT int
fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return do_fcntl(fd, cmd, arg);
}

/*
 * Reading and writing.
 */

HIJ_EXPORT ssize_t
read(int fd, void *buf, size_t n)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_read()(fd, buf, n);
	return rump_sys_read(r, buf, n > HIJ_MAXIO ? HIJ_MAXIO : n);
}

HIJ_EXPORT ssize_t
__read_chk(int fd, void *buf, size_t n, size_t buflen)
{

	if (n > buflen)
		abort();	/* what the fortified host function does */
	return read(fd, buf, n);
}

HIJ_EXPORT ssize_t
pread64(int fd, void *buf, size_t n, off_t off)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_pread64()(fd, buf, n, off);
	return rump_sys_pread(r, buf, n > HIJ_MAXIO ? HIJ_MAXIO : n, off);
}

HIJ_EXPORT ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{

	return pread64(fd, buf, n, off);
}

HIJ_EXPORT ssize_t
__pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{

	if (n > buflen)
		abort();
	return pread64(fd, buf, n, off);
}

HIJ_EXPORT ssize_t
__pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{

	return __pread64_chk(fd, buf, n, off, buflen);
}

/* A write goes in pieces a message can carry; a short one ends it. */
static ssize_t
write_all(int r, const void *buf, size_t n, off_t off, bool positioned)
{
	const char *p = buf;
	size_t done = 0, k;
	ssize_t w;

	do {
		k = n - done > HIJ_MAXIO ? HIJ_MAXIO : n - done;
		w = positioned ? rump_sys_pwrite(r, p + done, k,
		    off + (off_t)done) : rump_sys_write(r, p + done, k);
		if (w < 0)
			return done > 0 ? (ssize_t)done : -1;
		done += (size_t)w;
	} while ((size_t)w == k && done < n);
	return (ssize_t)done;
}

HIJ_EXPORT ssize_t
write(int fd, const void *buf, size_t n)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_write()(fd, buf, n);
	return write_all(r, buf, n, 0, false);
}

HIJ_EXPORT ssize_t
pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_pwrite64()(fd, buf, n, off);
	return write_all(r, buf, n, off, true);
}

HIJ_EXPORT ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{

	return pwrite64(fd, buf, n, off);
}

/* struct iovec -> struct rump_iovec; the totals are the kernel's to check. */
static int
iov_in(const struct iovec *iov, int cnt, struct rump_iovec **rivp)
{
	struct rump_iovec *riv;
	int i;

	if (cnt < 0 || cnt > RUMP_IOV_MAX)
		return EINVAL;
	if ((riv = calloc((size_t)cnt + 1, sizeof(*riv))) == NULL)
		return ENOMEM;
	for (i = 0; i < cnt; i++) {
		riv[i].iov_base = iov[i].iov_base;
		riv[i].iov_len = iov[i].iov_len;
	}
	*rivp = riv;
	return 0;
}

HIJ_EXPORT ssize_t
readv(int fd, const struct iovec *iov, int cnt)
{
	struct rump_iovec *riv;
	ssize_t n;
	int r, error;

	if ((r = hij_rfd(fd)) < 0)
		return get_readv()(fd, iov, cnt);
	if ((error = iov_in(iov, cnt, &riv)) != 0)
		return fail(error);
	n = rump_sys_readv(r, riv, cnt);
	error = errno;
	free(riv);
	errno = error;
	return n;
}

HIJ_EXPORT ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	struct rump_iovec *riv;
	ssize_t n;
	int r, error;

	if ((r = hij_rfd(fd)) < 0)
		return get_writev()(fd, iov, cnt);
	if ((error = iov_in(iov, cnt, &riv)) != 0)
		return fail(error);
	n = rump_sys_writev(r, riv, cnt);
	error = errno;
	free(riv);
	errno = error;
	return n;
}

HIJ_EXPORT off_t
lseek64(int fd, off_t off, int whence)
{
	int r, w;

	if ((r = hij_rfd(fd)) < 0)
		return get_lseek64()(fd, off, whence);
	if ((w = abi_whence_in(whence)) < 0)
		return fail(EINVAL);
	return rump_sys_lseek(r, off, w);
}

HIJ_EXPORT off_t
lseek(int fd, off_t off, int whence)
{

	return lseek64(fd, off, whence);
}

/*
 * Terminal and device control: the rump kernel's files are none of the
 * host's devices, so the host's requests (TCGETS, FIONREAD's number,
 * FICLONE ...) mean nothing there.
 */
HIJ_EXPORT int
ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (hij_rfd(fd) < 0)
		return get_ioctl()(fd, req, arg);
	return fail(ENOTTY);
}

HIJ_EXPORT int
isatty(int fd)
{

	if (hij_rfd(fd) < 0)
		return get_isatty()(fd);
	errno = ENOTTY;
	return 0;
}

HIJ_EXPORT int
flock(int fd, int op)
{
	int r, rop = 0;

	if ((r = hij_rfd(fd)) < 0)
		return get_flock()(fd, op);
	if (op & LOCK_SH)
		rop |= RUMP_LOCK_SH;
	if (op & LOCK_EX)
		rop |= RUMP_LOCK_EX;
	if (op & LOCK_UN)
		rop |= RUMP_LOCK_UN;
	if (op & LOCK_NB)
		rop |= RUMP_LOCK_NB;
	return rump_sys_flock(r, rop);
}

HIJ_EXPORT int
fsync(int fd)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_fsync()(fd);
	return rump_sys_fsync(r);
}

HIJ_EXPORT int
fdatasync(int fd)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_fdatasync()(fd);
	return rump_sys_fdatasync(r);
}

HIJ_EXPORT int
syncfs(int fd)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_syncfs()(fd);
	return rump_sys_sync();
}

HIJ_EXPORT void
sync(void)
{

	get_sync()();
	if (hij_prefixlen != 0)
		rump_sys_sync();
}

HIJ_EXPORT int
ftruncate64(int fd, off_t len)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_ftruncate64()(fd, len);
	return rump_sys_ftruncate(r, len);
}

HIJ_EXPORT int
ftruncate(int fd, off_t len)
{

	return ftruncate64(fd, len);
}

HIJ_EXPORT int
truncate64(const char *path, off_t len)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_truncate64()(path, len);
	return rump_sys_truncate(rp, len);
}

HIJ_EXPORT int
truncate(const char *path, off_t len)
{

	return truncate64(path, len);
}

/* Advice only: the rump kernel has none to take. */
HIJ_EXPORT int
posix_fadvise64(int fd, off_t off, off_t len, int advice)
{

	if (hij_rfd(fd) < 0)
		return get_posix_fadvise64()(fd, off, len, advice);
	return 0;
}

HIJ_EXPORT int
posix_fadvise(int fd, off_t off, off_t len, int advice)
{

	return posix_fadvise64(fd, off, len, advice);
}

/*
 * In-kernel copies between descriptors: not across kernels, and the
 * rump kernel has none; EXDEV sends cp and cat to read and write.
 */
HIJ_EXPORT ssize_t
copy_file_range(int in, off_t *inoff, int out, off_t *outoff, size_t len,
    unsigned int flags)
{

	if (hij_rfd(in) < 0 && hij_rfd(out) < 0)
		return get_copy_file_range()(in, inoff, out, outoff, len,
		    flags);
	return fail(EXDEV);
}

HIJ_EXPORT int
fallocate64(int fd, int mode, off_t off, off_t len)
{

	if (hij_rfd(fd) < 0)
		return get_fallocate64()(fd, mode, off, len);
	return fail(EOPNOTSUPP);
}

HIJ_EXPORT int
fallocate(int fd, int mode, off_t off, off_t len)
{

	return fallocate64(fd, mode, off, len);
}

HIJ_EXPORT int
posix_fallocate64(int fd, off_t off, off_t len)
{

	if (hij_rfd(fd) < 0)
		return get_posix_fallocate64()(fd, off, len);
	return EOPNOTSUPP;
}

HIJ_EXPORT int
posix_fallocate(int fd, off_t off, off_t len)
{

	return posix_fallocate64(fd, off, len);
}

/*
 * Status.
 */

static int
rstat_at(int rdir, const char *rp, int flags, struct rump_stat *rs)
{
	int rflags, error;

	if ((error = abi_atflags_in(flags, &rflags)) != 0)
		return fail(error);
	return rump_sys_fstatat(rdir, rp, rs, rflags);
}

/*
 * fstatat and statx: AT_EMPTY_PATH with "" is the descriptor itself.
 * 0 and *rs filled, 1 for "the host's", or -1 with errno.
 */
static int
stat_common(int dirfd, const char *path, int flags, struct rump_stat *rs)
{
	const char *rp;
	int r, rdir;

	if ((flags & AT_EMPTY_PATH) && !isnull(path) && path[0] == '\0') {
		if ((r = hij_rfd(dirfd)) < 0)
			return 1;
		return rump_sys_fstat(r, rs);
	}
	if (!hij_route(dirfd, path, &rp, &rdir))
		return 1;
	return rstat_at(rdir, rp, flags & ~AT_EMPTY_PATH, rs);
}

HIJ_EXPORT int
fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	struct rump_stat rs;
	int error;

	if ((error = stat_common(dirfd, path, flags, &rs)) == 1)
		return get_fstatat64()(dirfd, path, (struct stat *)st, flags);
	if (error == 0) {
		if (rs.st_blksize < HIJ_BLKSIZE)
			rs.st_blksize = HIJ_BLKSIZE;
		abi_stat_out(&rs, (struct stat *)st);
	}
	return error;
}

_Static_assert(sizeof(struct stat) == sizeof(struct stat64),
    "one stat layout on this host");

HIJ_EXPORT int
fstatat(int dirfd, const char *path, struct stat *st, int flags)
{

	return fstatat64(dirfd, path, (struct stat64 *)st, flags);
}

HIJ_EXPORT int
stat(const char *path, struct stat *st)
{

	return fstatat64(AT_FDCWD, path, (struct stat64 *)st, 0);
}

HIJ_EXPORT int
stat64(const char *path, struct stat64 *st)
{

	return fstatat64(AT_FDCWD, path, st, 0);
}

HIJ_EXPORT int
lstat(const char *path, struct stat *st)
{

	return fstatat64(AT_FDCWD, path, (struct stat64 *)st,
	    AT_SYMLINK_NOFOLLOW);
}

HIJ_EXPORT int
lstat64(const char *path, struct stat64 *st)
{

	return fstatat64(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

HIJ_EXPORT int
fstat(int fd, struct stat *st)
{

	return fstatat64(fd, "", (struct stat64 *)st, AT_EMPTY_PATH);
}

HIJ_EXPORT int
fstat64(int fd, struct stat64 *st)
{

	return fstatat64(fd, "", st, AT_EMPTY_PATH);
}

/*
 * The stat functions of glibc before 2.33, with a layout version as
 * their first argument; programs built against it (patch, make) still
 * call them.  A 64-bit Linux port has one struct stat, the kernel's,
 * whichever of its two version numbers (0, 1) the caller passes.
 */
#define OLD_STAT_VER_OK(v)	((v) == 0 || (v) == 1)

HIJ_EXPORT int
__fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
    int flags)
{

	if (!OLD_STAT_VER_OK(ver))
		return fail(EINVAL);
	return fstatat64(dirfd, path, st, flags);
}

HIJ_EXPORT int
__fxstatat(int ver, int dirfd, const char *path, struct stat *st,
    int flags)
{

	return __fxstatat64(ver, dirfd, path, (struct stat64 *)st, flags);
}

HIJ_EXPORT int
__xstat(int ver, const char *path, struct stat *st)
{

	return __fxstatat64(ver, AT_FDCWD, path, (struct stat64 *)st, 0);
}

HIJ_EXPORT int
__xstat64(int ver, const char *path, struct stat64 *st)
{

	return __fxstatat64(ver, AT_FDCWD, path, st, 0);
}

HIJ_EXPORT int
__lxstat(int ver, const char *path, struct stat *st)
{

	return __fxstatat64(ver, AT_FDCWD, path, (struct stat64 *)st,
	    AT_SYMLINK_NOFOLLOW);
}

HIJ_EXPORT int
__lxstat64(int ver, const char *path, struct stat64 *st)
{

	return __fxstatat64(ver, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

HIJ_EXPORT int
__fxstat(int ver, int fd, struct stat *st)
{

	return __fxstatat64(ver, fd, "", (struct stat64 *)st, AT_EMPTY_PATH);
}

HIJ_EXPORT int
__fxstat64(int ver, int fd, struct stat64 *st)
{

	return __fxstatat64(ver, fd, "", st, AT_EMPTY_PATH);
}

HIJ_EXPORT int
statx(int dirfd, const char *path, int flags, unsigned int mask,
    struct statx *sx)
{
	struct rump_stat rs;
	int error;

	if ((error = stat_common(dirfd, path, flags, &rs)) == 1)
		return get_statx()(dirfd, path, flags, mask, sx);
	if (error == 0) {
		if (rs.st_blksize < HIJ_BLKSIZE)
			rs.st_blksize = HIJ_BLKSIZE;
		abi_statx_out(&rs, mask, sx);
	}
	return error;
}

HIJ_EXPORT int
faccessat(int dirfd, const char *path, int mode, int flags)
{
	const char *rp;
	int rdir, rflags, rmode = 0, error;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_faccessat()(dirfd, path, mode, flags);
	if ((error = abi_atflags_in(flags & ~AT_EACCESS, &rflags)) != 0)
		return fail(error);
	if (flags & AT_EACCESS)
		rflags |= RUMP_AT_EACCESS;
	if (mode & ~(R_OK | W_OK | X_OK))
		return fail(EINVAL);
	if (mode & R_OK)
		rmode |= RUMP_R_OK;
	if (mode & W_OK)
		rmode |= RUMP_W_OK;
	if (mode & X_OK)
		rmode |= RUMP_X_OK;
	return rump_sys_faccessat(rdir, rp, rmode, rflags);
}

HIJ_EXPORT int
access(const char *path, int mode)
{

	return faccessat(AT_FDCWD, path, mode, 0);
}

HIJ_EXPORT int
euidaccess(const char *path, int mode)
{

	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

HIJ_EXPORT int
eaccess(const char *path, int mode)
{

	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

/*
 * Names.
 */

HIJ_EXPORT int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	const char *rp;
	int rdir;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_mkdirat()(dirfd, path, mode);
	return rump_sys_mkdirat(rdir, rp, mode & 07777);
}

HIJ_EXPORT int
mkdir(const char *path, mode_t mode)
{

	return mkdirat(AT_FDCWD, path, mode);
}

HIJ_EXPORT int
unlinkat(int dirfd, const char *path, int flags)
{
	const char *rp;
	int rdir;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_unlinkat()(dirfd, path, flags);
	if (flags & ~AT_REMOVEDIR)
		return fail(EINVAL);
	return rump_sys_unlinkat(rdir, rp,
	    (flags & AT_REMOVEDIR) ? RUMP_AT_REMOVEDIR : 0);
}

HIJ_EXPORT int
unlink(const char *path)
{

	return unlinkat(AT_FDCWD, path, 0);
}

HIJ_EXPORT int
rmdir(const char *path)
{

	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

/*
 * remove(3): glibc's unlinks and rmdirs by internal calls.  A
 * directory is what unlink refuses with EISDIR or (BSD) EPERM.
 */
HOSTFN(int, remove, (const char *))

HIJ_EXPORT int
remove(const char *path)
{
	const char *rp;
	int rdir;

	if (!hij_route(AT_FDCWD, path, &rp, &rdir))
		return get_remove()(path);
	if (rump_sys_unlinkat(rdir, rp, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	return rump_sys_unlinkat(rdir, rp, RUMP_AT_REMOVEDIR);
}

/* Two paths in one call must be in one kernel; else EXDEV, as across
 * mounts (mv then copies). */
HIJ_EXPORT int
renameat2(int fromfd, const char *from, int tofd, const char *to,
    unsigned int flags)
{
	const char *rfrom, *rto;
	int rfd1, rfd2;
	bool r1, r2;

	r1 = hij_route(fromfd, from, &rfrom, &rfd1);
	r2 = hij_route(tofd, to, &rto, &rfd2);
	if (!r1 && !r2)
		return get_renameat2()(fromfd, from, tofd, to, flags);
	if (r1 != r2)
		return fail(EXDEV);
	if (flags != 0)
		return fail(EINVAL);	/* RENAME_NOREPLACE ... */
	return rump_sys_renameat(rfd1, rfrom, rfd2, rto);
}

HIJ_EXPORT int
renameat(int fromfd, const char *from, int tofd, const char *to)
{

	return renameat2(fromfd, from, tofd, to, 0);
}

HIJ_EXPORT int
rename(const char *from, const char *to)
{

	return renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

HIJ_EXPORT int
linkat(int fd1, const char *p1, int fd2, const char *p2, int flags)
{
	const char *r1p, *r2p;
	int rfd1, rfd2, rflags, error;
	bool r1, r2;

	r1 = hij_route(fd1, p1, &r1p, &rfd1);
	r2 = hij_route(fd2, p2, &r2p, &rfd2);
	if (!r1 && !r2)
		return get_linkat()(fd1, p1, fd2, p2, flags);
	if (r1 != r2)
		return fail(EXDEV);
	if ((error = abi_atflags_in(flags, &rflags)) != 0)
		return fail(error);
	return rump_sys_linkat(rfd1, r1p, rfd2, r2p, rflags);
}

HIJ_EXPORT int
link(const char *p1, const char *p2)
{

	return linkat(AT_FDCWD, p1, AT_FDCWD, p2, 0);
}

/* The target is only a string: where the link is made decides. */
HIJ_EXPORT int
symlinkat(const char *target, int dirfd, const char *path)
{
	const char *rp;
	int rdir;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_symlinkat()(target, dirfd, path);
	return rump_sys_symlinkat(target, rdir, rp);
}

HIJ_EXPORT int
symlink(const char *target, const char *path)
{

	return symlinkat(target, AT_FDCWD, path);
}

HIJ_EXPORT ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	const char *rp;
	int rdir;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_readlinkat()(dirfd, path, buf, len);
	return rump_sys_readlinkat(rdir, rp, buf,
	    len > HIJ_MAXIO ? HIJ_MAXIO : len);
}

HIJ_EXPORT ssize_t
readlink(const char *path, char *buf, size_t len)
{

	return readlinkat(AT_FDCWD, path, buf, len);
}

HIJ_EXPORT ssize_t
__readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{

	if (len > buflen)
		abort();
	return readlinkat(AT_FDCWD, path, buf, len);
}

HIJ_EXPORT ssize_t
__readlinkat_chk(int dirfd, const char *path, char *buf, size_t len,
    size_t buflen)
{

	if (len > buflen)
		abort();
	return readlinkat(dirfd, path, buf, len);
}

HIJ_EXPORT int
mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	const char *rp;
	int rdir;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_mknodat()(dirfd, path, mode, dev);
	return rump_sys_mknodat(rdir, rp, mode, abi_dev_in(dev));
}

HIJ_EXPORT int
mknod(const char *path, mode_t mode, dev_t dev)
{

	return mknodat(AT_FDCWD, path, mode, dev);
}

/* glibc before 2.33: mknod with a layout version and dev_t by address. */
HIJ_EXPORT int
__xmknodat(int ver, int dirfd, const char *path, mode_t mode, dev_t *dev)
{

	if (!OLD_STAT_VER_OK(ver) || isnull(dev))
		return fail(EINVAL);
	return mknodat(dirfd, path, mode, *dev);
}

HIJ_EXPORT int
__xmknod(int ver, const char *path, mode_t mode, dev_t *dev)
{

	return __xmknodat(ver, AT_FDCWD, path, mode, dev);
}

HIJ_EXPORT int
mkfifoat(int dirfd, const char *path, mode_t mode)
{
	const char *rp;
	int rdir;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_mkfifoat()(dirfd, path, mode);
	return rump_sys_mkfifoat(rdir, rp, mode & 07777);
}

HIJ_EXPORT int
mkfifo(const char *path, mode_t mode)
{

	return mkfifoat(AT_FDCWD, path, mode);
}

/*
 * Attributes.
 */

HIJ_EXPORT int
fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	const char *rp;
	int rdir, rflags, error;

	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_fchmodat()(dirfd, path, mode, flags);
	if ((error = abi_atflags_in(flags, &rflags)) != 0)
		return fail(error);
	return rump_sys_fchmodat(rdir, rp, mode & 07777, rflags);
}

HIJ_EXPORT int
chmod(const char *path, mode_t mode)
{

	return fchmodat(AT_FDCWD, path, mode, 0);
}

HIJ_EXPORT int
lchmod(const char *path, mode_t mode)
{

	return fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW);
}

HIJ_EXPORT int
fchmod(int fd, mode_t mode)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_fchmod()(fd, mode);
	return rump_sys_fchmod(r, mode & 07777);
}

HIJ_EXPORT int
fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	const char *rp;
	int rdir, rflags, r, error;

	if ((flags & AT_EMPTY_PATH) && !isnull(path) && path[0] == '\0' &&
	    (r = hij_rfd(dirfd)) >= 0)
		return rump_sys_fchown(r, uid, gid);
	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_fchownat()(dirfd, path, uid, gid, flags);
	if ((error = abi_atflags_in(flags, &rflags)) != 0)
		return fail(error);
	return rump_sys_fchownat(rdir, rp, uid, gid, rflags);
}

HIJ_EXPORT int
chown(const char *path, uid_t uid, gid_t gid)
{

	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

HIJ_EXPORT int
lchown(const char *path, uid_t uid, gid_t gid)
{

	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

HIJ_EXPORT int
fchown(int fd, uid_t uid, gid_t gid)
{
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_fchown()(fd, uid, gid);
	return rump_sys_fchown(r, uid, gid);
}

static int
times_in(const struct timespec *ts, struct rump_timespec *rts)
{
	int error;

	if (ts == NULL)
		return 0;
	if ((error = abi_timespec_in(&ts[0], &rts[0])) != 0 ||
	    (error = abi_timespec_in(&ts[1], &rts[1])) != 0)
		return error;
	return 0;
}

HIJ_EXPORT int
utimensat(int dirfd, const char *path, const struct timespec ts[2],
    int flags)
{
	struct rump_timespec rts[2];
	const char *rp;
	int rdir, rflags, error;

	if (isnull(path))	/* Linux: the descriptor itself */
		return futimens(dirfd, ts);
	if (!hij_route(dirfd, path, &rp, &rdir))
		return get_utimensat()(dirfd, path, ts, flags);
	if ((error = abi_atflags_in(flags, &rflags)) != 0 ||
	    (error = times_in(ts, rts)) != 0)
		return fail(error);
	return rump_sys_utimensat(rdir, rp, ts != NULL ? rts : NULL, rflags);
}

HIJ_EXPORT int
futimens(int fd, const struct timespec ts[2])
{
	struct rump_timespec rts[2];
	int r, error;

	if ((r = hij_rfd(fd)) < 0)
		return get_futimens()(fd, ts);
	if ((error = times_in(ts, rts)) != 0)
		return fail(error);
	return rump_sys_futimens(r, ts != NULL ? rts : NULL);
}

static const struct timespec *
tv_to_ts(const struct timeval *tv, struct timespec ts[2])
{

	if (tv == NULL)
		return NULL;
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return ts;
}

HIJ_EXPORT int
utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_utimes()(path, tv);
	return utimensat(AT_FDCWD, path, tv_to_ts(tv, ts), 0);
}

HIJ_EXPORT int
lutimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_lutimes()(path, tv);
	return utimensat(AT_FDCWD, path, tv_to_ts(tv, ts),
	    AT_SYMLINK_NOFOLLOW);
}

HIJ_EXPORT int
futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];

	if (hij_rfd(fd) < 0)
		return get_futimes()(fd, tv);
	return futimens(fd, tv_to_ts(tv, ts));
}

HIJ_EXPORT int
utime(const char *path, const struct utimbuf *ub)
{
	struct timespec ts[2];

	if (ub == NULL)
		return utimensat(AT_FDCWD, path, NULL, 0);
	ts[0].tv_sec = ub->actime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = ub->modtime;
	ts[1].tv_nsec = 0;
	return utimensat(AT_FDCWD, path, ts, 0);
}

/*
 * Extended attributes: the rump kernel's file systems have none; the
 * answer is the one a host file system without them gives.
 */
HIJ_EXPORT ssize_t
getxattr(const char *path, const char *name, void *v, size_t n)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_getxattr()(path, name, v, n);
	return fail(ENOTSUP);
}

HIJ_EXPORT ssize_t
lgetxattr(const char *path, const char *name, void *v, size_t n)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_lgetxattr()(path, name, v, n);
	return fail(ENOTSUP);
}

HIJ_EXPORT ssize_t
fgetxattr(int fd, const char *name, void *v, size_t n)
{

	if (hij_rfd(fd) < 0)
		return get_fgetxattr()(fd, name, v, n);
	return fail(ENOTSUP);
}

HIJ_EXPORT ssize_t
listxattr(const char *path, char *list, size_t n)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_listxattr()(path, list, n);
	return fail(ENOTSUP);
}

HIJ_EXPORT ssize_t
llistxattr(const char *path, char *list, size_t n)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_llistxattr()(path, list, n);
	return fail(ENOTSUP);
}

HIJ_EXPORT ssize_t
flistxattr(int fd, char *list, size_t n)
{

	if (hij_rfd(fd) < 0)
		return get_flistxattr()(fd, list, n);
	return fail(ENOTSUP);
}

HIJ_EXPORT int
setxattr(const char *path, const char *name, const void *v, size_t n,
    int flags)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_setxattr()(path, name, v, n, flags);
	return fail(ENOTSUP);
}

HIJ_EXPORT int
lsetxattr(const char *path, const char *name, const void *v, size_t n,
    int flags)
{
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_lsetxattr()(path, name, v, n, flags);
	return fail(ENOTSUP);
}

HIJ_EXPORT int
fsetxattr(int fd, const char *name, const void *v, size_t n, int flags)
{

	if (hij_rfd(fd) < 0)
		return get_fsetxattr()(fd, name, v, n, flags);
	return fail(ENOTSUP);
}

/*
 * inotify: the host kernel watches its own files only, and the rump
 * kernel has no notifications to send.  A rump file that exists is
 * "not supported" rather than the host's misleading "no such file";
 * programs that poll instead (tail -f) also learn from statfs that the
 * file system is not one the host knows (hijack_abi.c).
 */
HOSTFN(int, inotify_add_watch, (int, const char *, uint32_t))

HIJ_EXPORT int
inotify_add_watch(int ifd, const char *path, uint32_t mask)
{
	struct rump_stat rs;
	const char *rp;
	int rdir;

	if (!hij_route(AT_FDCWD, path, &rp, &rdir))
		return get_inotify_add_watch()(ifd, path, mask);
	if (rump_sys_fstatat(rdir, rp, &rs, (mask & IN_DONT_FOLLOW) ?
	    RUMP_AT_SYMLINK_NOFOLLOW : 0) != 0)
		return -1;
	return fail(ENOTSUP);
}

/*
 * The current directory: relative paths follow it into the kernel it
 * is in; the rump kernel's own (its process's) is the one there.
 */
HIJ_EXPORT int
chdir(const char *path)
{
	const char *rp;

	if (!hij_route_path(path, &rp)) {
		if (get_chdir()(path) != 0)
			return -1;
		set_cwd_rump(false);
		return 0;
	}
	if (rump_sys_chdir(rp) != 0)
		return -1;
	set_cwd_rump(true);
	return 0;
}

HIJ_EXPORT int
fchdir(int fd)
{
	int r;

	if ((r = hij_rfd(fd)) < 0) {
		if (get_fchdir()(fd) != 0)
			return -1;
		set_cwd_rump(false);
		return 0;
	}
	if (rump_sys_fchdir(r) != 0)
		return -1;
	set_cwd_rump(true);
	return 0;
}

/*
 * A rump kernel path as the program sees it: the kernel's "/" is the
 * prefix, anything deeper follows it.  0, or ERANGE if it needs more
 * than `size' bytes.
 */
int
hij_prefix_out(const char *rpath, char *out, size_t size)
{
	const char *pre = hij_prefixlen > 1 ? hij_prefix : "";
	const char *rest = hij_prefixlen > 1 && strcmp(rpath, "/") == 0 ?
	    "" : rpath;

	if (strlen(pre) + strlen(rest) + 1 > size)
		return ERANGE;
	snprintf(out, size, "%s%s", pre, rest);
	return 0;
}

HIJ_EXPORT char *
getcwd(char *buf, size_t size)
{
	char tmp[PATH_MAX], full[PATH_MAX + sizeof(hij_prefix)], *out;
	int error;

	if (!cwd_rump())
		return get_getcwd()(buf, size);
	/* The kernel's answer is its length, with the NUL. */
	if (rump_sys_getcwd(tmp, sizeof(tmp)) < 0)
		return NULL;
	tmp[sizeof(tmp) - 1] = '\0';	/* whatever the server sent */
	if ((error = hij_prefix_out(tmp, full, sizeof(full))) != 0) {
		errno = error;
		return NULL;
	}
	if (buf == NULL) {
		if (size == 0)
			size = strlen(full) + 1;
		if ((out = malloc(size)) == NULL)
			return NULL;
	} else
		out = buf;
	if (size < strlen(full) + 1) {
		if (out != buf)
			free(out);
		errno = ERANGE;
		return NULL;
	}
	return strcpy(out, full);
}

HIJ_EXPORT char *
__getcwd_chk(char *buf, size_t size, size_t buflen)
{

	if (size > buflen)
		abort();
	return getcwd(buf, size);
}

/* getwd and get_current_dir_name ask glibc's getcwd, not ours. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
HOSTFN(char *, getwd, (char *))
HOSTFN(char *, get_current_dir_name, (void))

HIJ_EXPORT char *
getwd(char *buf)
{
	char tmp[PATH_MAX];

	if (!cwd_rump())
		return get_getwd()(buf);
	if (getcwd(tmp, sizeof(tmp)) == NULL) {
		/* getwd's error goes in the buffer (PATH_MAX bytes). */
		snprintf(buf, PATH_MAX, "%s", strerror(errno));
		return NULL;
	}
	return strcpy(buf, tmp);
}

HIJ_EXPORT char *
__getwd_chk(char *buf, size_t buflen)
{

	if (buflen < PATH_MAX)
		abort();
	return getwd(buf);
}
#pragma GCC diagnostic pop

/* $PWD if it names the current directory (it keeps symbolic links). */
HIJ_EXPORT char *
get_current_dir_name(void)
{
	struct stat a, b;
	const char *pwd;

	if (!cwd_rump())
		return get_get_current_dir_name()();
	if ((pwd = getenv("PWD")) != NULL && pwd[0] == '/' &&
	    stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return strdup(pwd);
	return getcwd(NULL, 0);
}

HIJ_EXPORT mode_t
umask(mode_t mask)
{
	mode_t old = get_umask()(mask);

	/* Both kernels create files with the program's mask. */
	if (hij_prefixlen != 0)
		(void)rump_sys_umask(mask & 0777);
	return old;
}

/*
 * File system status.
 */

HIJ_EXPORT int
statvfs64(const char *path, struct statvfs64 *sv)
{
	struct rump_statvfs rv;
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_statvfs64()(path, (struct statvfs *)sv);
	if (rump_sys_statvfs(rp, &rv) != 0)
		return -1;
	abi_statvfs_out(&rv, (struct statvfs *)sv);
	return 0;
}

_Static_assert(sizeof(struct statvfs) == sizeof(struct statvfs64),
    "one statvfs layout on this host");
_Static_assert(sizeof(struct statfs) == sizeof(struct statfs64),
    "one statfs layout on this host");

HIJ_EXPORT int
statvfs(const char *path, struct statvfs *sv)
{

	return statvfs64(path, (struct statvfs64 *)sv);
}

HIJ_EXPORT int
fstatvfs64(int fd, struct statvfs64 *sv)
{
	struct rump_statvfs rv;
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_fstatvfs64()(fd, (struct statvfs *)sv);
	if (rump_sys_fstatvfs(r, &rv) != 0)
		return -1;
	abi_statvfs_out(&rv, (struct statvfs *)sv);
	return 0;
}

HIJ_EXPORT int
fstatvfs(int fd, struct statvfs *sv)
{

	return fstatvfs64(fd, (struct statvfs64 *)sv);
}

HIJ_EXPORT int
statfs64(const char *path, struct statfs64 *sf)
{
	struct rump_statvfs rv;
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_statfs64()(path, (struct statfs *)sf);
	if (rump_sys_statvfs(rp, &rv) != 0)
		return -1;
	abi_statfs_out(&rv, (struct statfs *)sf);
	return 0;
}

HIJ_EXPORT int
statfs(const char *path, struct statfs *sf)
{

	return statfs64(path, (struct statfs64 *)sf);
}

HIJ_EXPORT int
fstatfs64(int fd, struct statfs64 *sf)
{
	struct rump_statvfs rv;
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_fstatfs64()(fd, (struct statfs *)sf);
	if (rump_sys_fstatvfs(r, &rv) != 0)
		return -1;
	abi_statfs_out(&rv, (struct statfs *)sf);
	return 0;
}

HIJ_EXPORT int
fstatfs(int fd, struct statfs *sf)
{

	return fstatfs64(fd, (struct statfs64 *)sf);
}

/* pathconf: the limits the kernel's file systems have. */
static long
rump_pathconf(int name)
{

	switch (name) {
	case _PC_NAME_MAX:
		return 255;
	case _PC_PATH_MAX:
		return 1024;
	case _PC_LINK_MAX:
		return 32767;
	case _PC_PIPE_BUF:
		return 512;
	case _PC_CHOWN_RESTRICTED:
		return 1;
	case _PC_NO_TRUNC:
		return 1;
	case _PC_FILESIZEBITS:
		return 64;
	case _PC_SYMLINK_MAX:
		return 1023;
	default:
		return -1;	/* no limit, errno unchanged */
	}
}

HIJ_EXPORT long
pathconf(const char *path, int name)
{
	struct rump_stat rs;
	const char *rp;

	if (!hij_route_path(path, &rp))
		return get_pathconf()(path, name);
	if (rump_sys_stat(rp, &rs) != 0)
		return -1;
	return rump_pathconf(name);
}

HIJ_EXPORT long
fpathconf(int fd, int name)
{

	if (hij_rfd(fd) < 0)
		return get_fpathconf()(fd, name);
	return rump_pathconf(name);
}

/*
 * Temporary files (sed -i, tar, sort): glibc makes them with internal
 * calls, so under the prefix the names are made here.  The template's
 * last six X's before `suffixlen' characters become random letters;
 * O_EXCL (or mkdir's EEXIST) says whether the name was free.
 */
HOSTFN(int, mkostemps, (char *, int, int))
HOSTFN(char *, mkdtemp, (char *))

static int
tmpname_next(char *tmpl, int suffixlen, char **xp)
{
	static const char chars[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	struct timespec ts;
	size_t len = strlen(tmpl);
	uint64_t v;
	char *x;
	int i;

	if (suffixlen < 0 || len < (size_t)suffixlen + 6)
		return EINVAL;
	x = tmpl + len - suffixlen - 6;
	if (*xp == NULL && strncmp(x, "XXXXXX", 6) != 0)
		return EINVAL;
	*xp = x;
	clock_gettime(CLOCK_REALTIME, &ts);
	v = (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)ts.tv_sec ^
	    ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)x;
	for (i = 0; i < 6; i++) {
		x[i] = chars[v % (sizeof(chars) - 1)];
		v /= sizeof(chars) - 1;
		v ^= v << 13;
	}
	return 0;
}

HIJ_EXPORT int
mkostemps(char *tmpl, int suffixlen, int flags)
{
	const char *rp;
	char *x = NULL;
	int tries, fd, error;

	if (!hij_route_path(tmpl, &rp))
		return get_mkostemps()(tmpl, suffixlen, flags);
	for (tries = 0; tries < 100; tries++) {
		if ((error = tmpname_next(tmpl, suffixlen, &x)) != 0)
			return fail(error);
		fd = do_openat(AT_FDCWD, tmpl, O_RDWR | O_CREAT | O_EXCL |
		    (flags & (O_APPEND | O_CLOEXEC | O_SYNC)), 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return fail(EEXIST);
}

HIJ_EXPORT int
mkostemp(char *tmpl, int flags)
{

	return mkostemps(tmpl, 0, flags);
}

HIJ_EXPORT int
mkstemps(char *tmpl, int suffixlen)
{

	return mkostemps(tmpl, suffixlen, 0);
}

HIJ_EXPORT int
mkstemp(char *tmpl)
{

	return mkostemps(tmpl, 0, 0);
}

HIJ_EXPORT int
mkostemps64(char *tmpl, int suffixlen, int flags)
{

	return mkostemps(tmpl, suffixlen, flags);
}

HIJ_EXPORT int
mkostemp64(char *tmpl, int flags)
{

	return mkostemps(tmpl, 0, flags);
}

HIJ_EXPORT int
mkstemps64(char *tmpl, int suffixlen)
{

	return mkostemps(tmpl, suffixlen, 0);
}

HIJ_EXPORT int
mkstemp64(char *tmpl)
{

	return mkostemps(tmpl, 0, 0);
}

HIJ_EXPORT char *
mkdtemp(char *tmpl)
{
	const char *rp;
	char *x = NULL;
	int tries, error;

	if (!hij_route_path(tmpl, &rp))
		return get_mkdtemp()(tmpl);
	for (tries = 0; tries < 100; tries++) {
		if ((error = tmpname_next(tmpl, 0, &x)) != 0) {
			errno = error;
			return NULL;
		}
		if (mkdirat(AT_FDCWD, tmpl, 0700) == 0)
			return tmpl;
		if (errno != EEXIST)
			return NULL;
	}
	errno = EEXIST;
	return NULL;
}

/*
 * closefrom and close_range: each open descriptor in the range goes
 * through close() (or fcntl for CLOSE_RANGE_CLOEXEC), so placeholders
 * take their rump descriptors with them and our connection is left
 * alone.  The open ones are found in /proc/self/fd; without it, every
 * number up to the descriptor limit is tried.
 */
static int
each_open_fd(unsigned int first, unsigned int last, bool cloexec)
{
	struct rlimit rl;
	struct dirent *de;
	unsigned long fd, max;
	char *end;
	DIR *d;

	if ((d = opendir("/proc/self/fd")) != NULL) {
		int dfd = dirfd(d);

		while ((de = readdir(d)) != NULL) {
			fd = strtoul(de->d_name, &end, 10);
			if (*end != '\0' || de->d_name[0] == '.' ||
			    fd < first || fd > last || (int)fd == dfd)
				continue;
			if (cloexec) {
				int fl = fcntl((int)fd, F_GETFD);

				if (fl >= 0)
					fcntl((int)fd, F_SETFD,
					    fl | FD_CLOEXEC);
			} else
				close((int)fd);
		}
		closedir(d);
		return 0;
	}
	max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1048576 ?
	    (unsigned long)rl.rlim_cur : 1048576;
	for (fd = first; fd <= last && fd < max; fd++) {
		if (cloexec) {
			int fl = fcntl((int)fd, F_GETFD);

			if (fl >= 0)
				fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
		} else
			close((int)fd);
	}
	return 0;
}

HOSTFN(void, closefrom, (int))
HOSTFN(int, close_range, (unsigned int, unsigned int, int))

HIJ_EXPORT void
closefrom(int low)
{

	if (!hij_connected) {
		get_closefrom()(low);
		return;
	}
	(void)each_open_fd(low < 0 ? 0 : (unsigned int)low, ~0u, false);
}

HIJ_EXPORT int
close_range(unsigned int first, unsigned int last, int flags)
{

	if (!hij_connected)
		return get_close_range()(first, last, flags);
	if (first > last || (flags & ~CLOSE_RANGE_CLOEXEC) != 0)
		return fail(EINVAL);
	return each_open_fd(first, last, (flags & CLOSE_RANGE_CLOEXEC) != 0);
}
