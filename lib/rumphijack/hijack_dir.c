/*
 * hijack_dir.c: directory streams and stdio streams on the rump
 * kernel's files.
 *
 * glibc's opendir, readdir and fopen reach the kernel through internal
 * calls that LD_PRELOAD cannot see, so for a rump descriptor the stream
 * is ours: a DIR is a struct hdir that reads the kernel's getdents
 * records and hands out struct dirent, and a FILE is glibc's own,
 * made by fopencookie() over our read/write/lseek/close.  Host
 * streams go to the host's functions untouched.
 *
 * Locking: hd_lock protects the list of our DIRs and FILEs (hd_dirs,
 * hd_files, hd_ndirs, hd_nfiles); a DIR's contents are its user's, as
 * with glibc's (one thread at a time per stream).  The counts let host
 * streams skip the lock while we have none open.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define HD_BUFSIZE	(32 * 1024)

struct hdir {
	int		hd_fd;		/* host number of the rump descriptor */
	char		*hd_buf;	/* getdents records */
	size_t		hd_len;		/* bytes in hd_buf */
	size_t		hd_pos;		/* next record */
	long		hd_loc;		/* telldir: cookie after the last one */
	struct dirent64	hd_ent;		/* what readdir returns */
	struct hdir	*hd_next;	/* hd_lock */
};

struct hfile {
	FILE		*hf_fp;
	int		hf_fd;
	struct hfile	*hf_next;	/* hd_lock */
};

static pthread_mutex_t hd_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hdir *hd_dirs;
static struct hfile *hd_files;
static int hd_ndirs, hd_nfiles;

HOSTFN(DIR *, opendir, (const char *))
HOSTFN(DIR *, fdopendir, (int))
HOSTFN(struct dirent *, readdir, (DIR *))
HOSTFN(struct dirent64 *, readdir64, (DIR *))
HOSTFN(int, readdir_r, (DIR *, struct dirent *, struct dirent **))
HOSTFN(int, readdir64_r, (DIR *, struct dirent64 *, struct dirent64 **))
HOSTFN(int, closedir, (DIR *))
HOSTFN(int, dirfd, (DIR *))
HOSTFN(void, rewinddir, (DIR *))
HOSTFN(void, seekdir, (DIR *, long))
HOSTFN(long, telldir, (DIR *))
HOSTFN(FILE *, fopen, (const char *, const char *))
HOSTFN(FILE *, fopen64, (const char *, const char *))
HOSTFN(FILE *, fdopen, (int, const char *))
HOSTFN(int, fileno, (FILE *))
HOSTFN(int, fileno_unlocked, (FILE *))

_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64),
    "one dirent layout on this host");

static struct hdir *
ours(DIR *d)
{
	struct hdir *h;

	if (__atomic_load_n(&hd_ndirs, __ATOMIC_ACQUIRE) == 0)
		return NULL;
	pthread_mutex_lock(&hd_lock);
	for (h = hd_dirs; h != NULL && (DIR *)h != d; h = h->hd_next)
		continue;
	pthread_mutex_unlock(&hd_lock);
	return h;
}

HIJ_EXPORT DIR *
fdopendir(int fd)
{
	struct rump_stat rs;
	struct hdir *h;
	int r;

	if ((r = hij_rfd(fd)) < 0)
		return get_fdopendir()(fd);
	if (rump_sys_fstat(r, &rs) != 0)
		return NULL;
	if ((rs.st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR) {
		errno = ENOTDIR;
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->hd_buf = malloc(HD_BUFSIZE)) == NULL) {
		free(h);
		errno = ENOMEM;
		return NULL;
	}
	h->hd_fd = fd;
	pthread_mutex_lock(&hd_lock);
	h->hd_next = hd_dirs;
	hd_dirs = h;
	__atomic_add_fetch(&hd_ndirs, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&hd_lock);
	return (DIR *)h;
}

HIJ_EXPORT DIR *
opendir(const char *path)
{
	const char *rp;
	DIR *d;
	int fd, error;

	if (!hij_route_path(path, &rp))
		return get_opendir()(path);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if ((d = fdopendir(fd)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return d;
}

/*
 * The next entry: NULL at the end (errno untouched) or on an error
 * (errno set; a malformed record from the server is EIO).
 */
static struct dirent64 *
hd_next(struct hdir *h)
{
	int r, n, error;

	if (h->hd_pos >= h->hd_len) {
		if ((r = hij_rfd(h->hd_fd)) < 0) {
			errno = EBADF;
			return NULL;
		}
		if ((n = rump_sys_getdents(r, h->hd_buf, HD_BUFSIZE)) <= 0)
			return NULL;
		if (n > HD_BUFSIZE) {
			errno = EIO;	/* more than the buffer: a bad count */
			return NULL;
		}
		h->hd_len = (size_t)n;
		h->hd_pos = 0;
	}
	error = abi_dirent_out(h->hd_buf, h->hd_len, &h->hd_pos, &h->hd_ent);
	if (error != 0) {
		h->hd_pos = h->hd_len = 0;
		errno = error;
		return NULL;
	}
	h->hd_loc = h->hd_ent.d_off;
	return &h->hd_ent;
}

HIJ_EXPORT struct dirent64 *
readdir64(DIR *d)
{
	struct hdir *h;

	if ((h = ours(d)) == NULL)
		return get_readdir64()(d);
	return hd_next(h);
}

HIJ_EXPORT struct dirent *
readdir(DIR *d)
{
	struct hdir *h;

	if ((h = ours(d)) == NULL)
		return get_readdir()(d);
	return (struct dirent *)hd_next(h);
}

/* Deprecated in glibc, still used by old programs: ours must be there. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
HIJ_EXPORT int
readdir64_r(DIR *d, struct dirent64 *ent, struct dirent64 **res)
{
	struct dirent64 *e;
	struct hdir *h;
	int saved = errno;

	if ((h = ours(d)) == NULL)
		return get_readdir64_r()(d, ent, res);
	errno = 0;
	if ((e = hd_next(h)) == NULL) {
		*res = NULL;
		if (errno != 0)
			return errno;
		errno = saved;
		return 0;
	}
	memcpy(ent, e, sizeof(*ent));
	*res = ent;
	errno = saved;
	return 0;
}

HIJ_EXPORT int
readdir_r(DIR *d, struct dirent *ent, struct dirent **res)
{

	if (ours(d) == NULL)
		return get_readdir_r()(d, ent, res);
	return readdir64_r(d, (struct dirent64 *)ent, (struct dirent64 **)res);
}
#pragma GCC diagnostic pop

HIJ_EXPORT int
closedir(DIR *d)
{
	struct hdir *h, **hp;
	int fd;

	if (ours(d) == NULL)
		return get_closedir()(d);
	pthread_mutex_lock(&hd_lock);
	for (hp = &hd_dirs; *hp != NULL && (DIR *)*hp != d;
	    hp = &(*hp)->hd_next)
		continue;
	if ((h = *hp) != NULL) {
		*hp = h->hd_next;
		__atomic_sub_fetch(&hd_ndirs, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&hd_lock);
	if (h == NULL) {
		errno = EBADF;
		return -1;
	}
	fd = h->hd_fd;
	free(h->hd_buf);
	free(h);
	return close(fd);
}

HIJ_EXPORT int
dirfd(DIR *d)
{
	struct hdir *h;

	if ((h = ours(d)) == NULL)
		return get_dirfd()(d);
	return h->hd_fd;
}

HIJ_EXPORT void
seekdir(DIR *d, long loc)
{
	struct hdir *h;
	int r;

	if ((h = ours(d)) == NULL) {
		get_seekdir()(d, loc);
		return;
	}
	if ((r = hij_rfd(h->hd_fd)) < 0)
		return;
	if (rump_sys_lseek(r, loc, RUMP_SEEK_SET) >= 0) {
		h->hd_pos = h->hd_len = 0;
		h->hd_loc = loc;
	}
}

HIJ_EXPORT void
rewinddir(DIR *d)
{

	if (ours(d) == NULL) {
		get_rewinddir()(d);
		return;
	}
	seekdir(d, 0);
}

HIJ_EXPORT long
telldir(DIR *d)
{
	struct hdir *h;

	if ((h = ours(d)) == NULL)
		return get_telldir()(d);
	return h->hd_loc;
}

/*
 * stdio.  The cookie is the descriptor's host number, so what the
 * stream does goes through our wrappers like any other call.
 */
static ssize_t
ck_read(void *c, char *buf, size_t n)
{

	return read((int)(intptr_t)c, buf, n);
}

static ssize_t
ck_write(void *c, const char *buf, size_t n)
{
	ssize_t w = write((int)(intptr_t)c, buf, n);

	/* fopencookie: 0 is the error return of a write function. */
	return w < 0 ? 0 : w;
}

static int
ck_seek(void *c, off64_t *off, int whence)
{
	off_t o = lseek((int)(intptr_t)c, *off, whence);

	if (o < 0)
		return -1;
	*off = o;
	return 0;
}

static int
ck_close(void *c)
{
	int fd = (int)(intptr_t)c;
	struct hfile *f, **fp;

	pthread_mutex_lock(&hd_lock);
	for (fp = &hd_files; *fp != NULL && (*fp)->hf_fd != fd;
	    fp = &(*fp)->hf_next)
		continue;
	if ((f = *fp) != NULL) {
		*fp = f->hf_next;
		__atomic_sub_fetch(&hd_nfiles, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&hd_lock);
	free(f);
	return close(fd);
}

static FILE *
cookie_open(int fd, const char *mode)
{
	static const cookie_io_functions_t io = {
		.read = ck_read, .write = ck_write, .seek = ck_seek,
		.close = ck_close,
	};
	struct hfile *f;
	FILE *fp;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if ((fp = fopencookie((void *)(intptr_t)fd, mode, io)) == NULL) {
		free(f);
		return NULL;
	}
	f->hf_fp = fp;
	f->hf_fd = fd;
	pthread_mutex_lock(&hd_lock);
	f->hf_next = hd_files;
	hd_files = f;
	__atomic_add_fetch(&hd_nfiles, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&hd_lock);
	return fp;
}

/* fopen's mode string as open(2) flags: 0 or EINVAL. */
static int
mode_flags(const char *mode, int *flagsp)
{
	int flags;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return EINVAL;
	}
	for (mode++; *mode != '\0' && *mode != ','; mode++) {
		if (*mode == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*mode == 'x')
			flags |= O_EXCL;
		else if (*mode == 'e')
			flags |= O_CLOEXEC;
	}
	*flagsp = flags;
	return 0;
}

static FILE *
do_fopen(const char *path, const char *mode, bool large)
{
	const char *rp;
	FILE *fp;
	int fd, flags, error;

	if (!hij_route_path(path, &rp))
		return large ? get_fopen64()(path, mode) :
		    get_fopen()(path, mode);
	if ((error = mode_flags(mode, &flags)) != 0) {
		errno = error;
		return NULL;
	}
	if ((fd = openat(AT_FDCWD, path, flags, 0666)) < 0)
		return NULL;
	if ((fp = cookie_open(fd, mode)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return fp;
}

HIJ_EXPORT FILE *
fopen(const char *path, const char *mode)
{

	return do_fopen(path, mode, false);
}

HIJ_EXPORT FILE *
fopen64(const char *path, const char *mode)
{

	return do_fopen(path, mode, true);
}

HIJ_EXPORT FILE *
fdopen(int fd, const char *mode)
{
	int flags;

	if (hij_rfd(fd) < 0)
		return get_fdopen()(fd, mode);
	if (mode_flags(mode, &flags) != 0) {
		errno = EINVAL;
		return NULL;
	}
	return cookie_open(fd, mode);
}

/* A cookie stream has no descriptor of glibc's; ours has one. */
static int
file_fd(FILE *fp)
{
	struct hfile *f;
	int fd = -1;

	if (__atomic_load_n(&hd_nfiles, __ATOMIC_ACQUIRE) == 0)
		return -1;
	pthread_mutex_lock(&hd_lock);
	for (f = hd_files; f != NULL; f = f->hf_next)
		if (f->hf_fp == fp) {
			fd = f->hf_fd;
			break;
		}
	pthread_mutex_unlock(&hd_lock);
	return fd;
}

HIJ_EXPORT int
fileno(FILE *fp)
{
	int fd;

	if ((fd = file_fd(fp)) >= 0)
		return fd;
	return get_fileno()(fp);
}

HIJ_EXPORT int
fileno_unlocked(FILE *fp)
{
	int fd;

	if ((fd = file_fd(fp)) >= 0)
		return fd;
	return get_fileno_unlocked()(fp);
}

/*
 * The standard streams.  glibc's stdin, stdout and stderr read and
 * write their descriptors with internal calls, so once 0, 1 or 2 is a
 * rump descriptor (inherited over exec, or a dup2 onto it: a shell's
 * "> /rump/file") the stream is replaced by a cookie stream over the
 * same number.  The cookie calls our read and write, which follow the
 * number to whichever kernel holds it, so the replacement can stay
 * when the number goes back to the host.  Called with no stream
 * locks held, before the stream is used through the new descriptor.
 */
void
hij_stdio_adopt(int fd)
{
	static bool adopted[3];
	FILE *fp, **sp;

	if (fd < 0 || fd > 2 || __atomic_exchange_n(&adopted[fd], true,
	    __ATOMIC_ACQ_REL))
		return;
	sp = fd == 0 ? &stdin : fd == 1 ? &stdout : &stderr;
	fflush(*sp);
	if ((fp = cookie_open(fd, fd == 0 ? "r" : "w")) == NULL) {
		adopted[fd] = false;
		return;
	}
	if (fd == 2)
		setvbuf(fp, NULL, _IONBF, 0);
	/* The old FILE stays allocated: code may still hold its address. */
	*sp = fp;
}

HOSTFN(FILE *, freopen, (const char *, const char *, FILE *))
HOSTFN(FILE *, freopen64, (const char *, const char *, FILE *))

/*
 * freopen onto a rump path: only for the standard streams, which is
 * what programs use it for (du --files0-from, sort -o); the stream
 * becomes a cookie stream on the same descriptor number.
 */
static FILE *
do_freopen(const char *path, const char *mode, FILE *fp, bool large)
{
	const char *rp;
	int fd = -1, nfd, flags, error;

	if (path == NULL || !hij_route_path(path, &rp)) {
		if (path != NULL || (fd = file_fd(fp)) < 0 ||
		    hij_rfd(fd) < 0)
			return large ? get_freopen64()(path, mode, fp) :
			    get_freopen()(path, mode, fp);
		errno = EOPNOTSUPP;	/* a new mode on a rump descriptor */
		return NULL;
	}
	if (fp == stdin)
		fd = 0;
	else if (fp == stdout)
		fd = 1;
	else if (fp == stderr)
		fd = 2;
	else {
		errno = EOPNOTSUPP;
		return NULL;
	}
	if ((error = mode_flags(mode, &flags)) != 0) {
		errno = error;
		return NULL;
	}
	fflush(fp);
	if ((nfd = openat(AT_FDCWD, path, flags & ~O_CLOEXEC, 0666)) < 0)
		return NULL;
	if (nfd != fd) {
		if (dup2(nfd, fd) < 0) {
			error = errno;
			close(nfd);
			errno = error;
			return NULL;
		}
		close(nfd);
	}
	hij_stdio_adopt(fd);
	return fd == 0 ? stdin : fd == 1 ? stdout : stderr;
}

HIJ_EXPORT FILE *
freopen(const char *path, const char *mode, FILE *fp)
{

	return do_freopen(path, mode, fp, false);
}

HIJ_EXPORT FILE *
freopen64(const char *path, const char *mode, FILE *fp)
{

	return do_freopen(path, mode, fp, true);
}

/*
 * getdents64(2), which some programs call themselves: the kernel's
 * records as Linux's (struct dirent64, 8-byte aligned).  What does not
 * fit is left for the next call by seeking back to its cookie; a
 * buffer too small for one record is EINVAL, as with Linux.
 */
HOSTFN(ssize_t, getdents64, (int, void *, size_t))

HIJ_EXPORT ssize_t
getdents64(int fd, void *buf, size_t n)
{
	const size_t hdr = offsetof(struct dirent64, d_name);
	struct dirent64 de;
	size_t pos = 0, out = 0, reclen, want;
	off_t start, next = -1;
	char *tmp;
	int r, got, error = 0;

	if ((r = hij_rfd(fd)) < 0)
		return get_getdents64()(fd, buf, n);
	if ((start = rump_sys_lseek(r, 0, RUMP_SEEK_CUR)) < 0)
		return -1;
	want = n > HD_BUFSIZE ? HD_BUFSIZE : n;
	if ((tmp = malloc(want)) == NULL)
		return -1;
	if ((got = rump_sys_getdents(r, tmp, want)) <= 0 ||
	    (size_t)got > want) {
		error = got < 0 ? errno : got > 0 ? EIO : 0;
		goto out;
	}
	while (pos < (size_t)got) {
		if ((error = abi_dirent_out(tmp, (size_t)got, &pos,
		    &de)) != 0)
			break;
		reclen = (hdr + strlen(de.d_name) + 1 + 7) & ~(size_t)7;
		if (reclen > n - out) {
			/* From this one on, next time. */
			(void)rump_sys_lseek(r, next >= 0 ? next : start,
			    RUMP_SEEK_SET);
			if (out == 0)
				error = EINVAL;
			break;
		}
		de.d_reclen = (unsigned short)reclen;
		memset((char *)buf + out, 0, reclen);
		memcpy((char *)buf + out, &de, hdr);
		memcpy((char *)buf + out + hdr, de.d_name,
		    strlen(de.d_name) + 1);
		out += reclen;
		next = de.d_off;
	}
 out:
	free(tmp);
	if (error != 0 && out == 0) {
		errno = error;
		return -1;
	}
	return (ssize_t)out;
}
