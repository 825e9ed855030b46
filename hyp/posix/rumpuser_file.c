/*
 * rumpuser_file.c: host files for the kernel's block devices: open,
 * close, size and type, scatter-gather I/O at an offset, asynchronous
 * block I/O and sync.
 *
 * Asynchronous I/O is served by a small pool of host threads started
 * with the first request.  A worker performs the whole transfer with
 * pread/pwrite, then calls the kernel's completion function holding a
 * virtual CPU (hyp_enter/hyp_leave), as rumpuser.h promises.
 *
 * Locking: bio_lock over the request queue.
 */
#include <sys/stat.h>
#include <sys/uio.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "rumpuser_int.h"

#define BIO_NTHREADS	2

int
rumpuser_open(const char *path, int flags, int *fdp)
{
	int oflags = O_CLOEXEC, fd;

	switch (flags & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY: oflags |= O_RDONLY; break;
	case RUMPUSER_OPEN_WRONLY: oflags |= O_WRONLY; break;
	case RUMPUSER_OPEN_RDWR: oflags |= O_RDWR; break;
	default: return rumpuser__errtrans(EINVAL);
	}
	if (flags & RUMPUSER_OPEN_CREATE)
		oflags |= O_CREAT;
	if (flags & RUMPUSER_OPEN_EXCL)
		oflags |= O_EXCL;
	WRAP(fd = open(path, oflags, 0644));
	if (fd < 0)
		return rumpuser__errtrans(errno);
	*fdp = fd;
	return 0;
}

int
rumpuser_close(int fd)
{
	int error;

	WRAP(error = close(fd) == 0 ? 0 : errno);
	return rumpuser__errtrans(error);
}

static int
fileinfo(const char *path, uint64_t *sizep, int *typep)
{
	struct stat st;
	off_t end;
	int fd, error = 0;

	if (stat(path, &st) != 0)
		return errno;
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR: *typep = RUMPUSER_FT_DIR; break;
	case S_IFREG: *typep = RUMPUSER_FT_REG; break;
	case S_IFBLK: *typep = RUMPUSER_FT_BLK; break;
	case S_IFCHR: *typep = RUMPUSER_FT_CHR; break;
	default: *typep = RUMPUSER_FT_OTHER; break;
	}
	if (*typep != RUMPUSER_FT_BLK) {
		*sizep = (uint64_t)st.st_size;
		return 0;
	}
	/* A block device's size is where seeking to its end lands. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	if ((end = lseek(fd, 0, SEEK_END)) < 0)
		error = errno;
	else
		*sizep = (uint64_t)end;
	close(fd);
	return error;
}

int
rumpuser_getfileinfo(const char *path, uint64_t *sizep, int *typep)
{
	int error;

	WRAP(error = fileinfo(path, sizep, typep));
	return rumpuser__errtrans(error);
}

static int
iov_convert(const struct rumpuser_iovec *riov, uint64_t iovcnt,
    struct iovec **iovp)
{
	struct iovec *iov;
	uint64_t i;

	if (iovcnt == 0 || iovcnt > IOV_MAX)
		return EINVAL;
	if ((iov = malloc(iovcnt * sizeof(*iov))) == NULL)
		return ENOMEM;
	for (i = 0; i < iovcnt; i++) {
		iov[i].iov_base = riov[i].iov_base;
		iov[i].iov_len = (size_t)riov[i].iov_len;
	}
	*iovp = iov;
	return 0;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *riov, uint64_t iovcnt,
    int64_t off, uint64_t *retv)
{
	struct iovec *iov;
	ssize_t n;
	int error;

	if ((error = iov_convert(riov, iovcnt, &iov)) != 0)
		return rumpuser__errtrans(error);
	WRAP(
		do {
			n = off == RUMPUSER_IOV_NOSEEK ?
			    readv(fd, iov, (int)iovcnt) :
			    preadv(fd, iov, (int)iovcnt, (off_t)off);
		} while (n < 0 && errno == EINTR)
	);
	error = n < 0 ? errno : 0;
	free(iov);
	if (error)
		return rumpuser__errtrans(error);
	*retv = (uint64_t)n;
	return 0;
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *riov, uint64_t iovcnt,
    int64_t off, uint64_t *retv)
{
	struct iovec *iov;
	ssize_t n;
	int error;

	if ((error = iov_convert(riov, iovcnt, &iov)) != 0)
		return rumpuser__errtrans(error);
	WRAP(
		do {
			n = off == RUMPUSER_IOV_NOSEEK ?
			    writev(fd, iov, (int)iovcnt) :
			    pwritev(fd, iov, (int)iovcnt, (off_t)off);
		} while (n < 0 && errno == EINTR)
	);
	error = n < 0 ? errno : 0;
	free(iov);
	if (error)
		return rumpuser__errtrans(error);
	*retv = (uint64_t)n;
	return 0;
}

int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	int error = 0;

	(void)start;
	(void)len;
	if (flags & (RUMPUSER_SYNCFD_WRITE | RUMPUSER_SYNCFD_SYNC |
	    RUMPUSER_SYNCFD_BARRIER))
		WRAP(error = fdatasync(fd) == 0 ? 0 : errno);
	return rumpuser__errtrans(error);
}

/* ---- asynchronous block I/O ---- */

struct bio_req {
	struct bio_req		*br_next;
	int			br_fd;
	int			br_op;
	void			*br_data;
	uint64_t		br_len;
	int64_t			br_off;
	rumpuser_biodone_fn	br_done;
	void			*br_arg;
};

static pthread_mutex_t bio_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bio_cv = PTHREAD_COND_INITIALIZER;
static struct bio_req *bio_head, **bio_tail = &bio_head;
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;
static int bio_nthreads;

/* Transfer the whole request; a short read past the end is not an
 * error (the count says how much), a short write is EIO-free too. */
static int
bio_transfer(struct bio_req *br, uint64_t *donep)
{
	char *p = br->br_data;
	uint64_t done = 0;
	ssize_t n;

	while (done < br->br_len) {
		if (br->br_op & RUMPUSER_BIO_READ)
			n = pread(br->br_fd, p + done, br->br_len - done,
			    (off_t)(br->br_off + (int64_t)done));
		else
			n = pwrite(br->br_fd, p + done, br->br_len - done,
			    (off_t)(br->br_off + (int64_t)done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*donep = done;
			return errno;
		}
		if (n == 0)
			break;
		done += (uint64_t)n;
	}
	*donep = done;
	if ((br->br_op & RUMPUSER_BIO_WRITE) && (br->br_op & RUMPUSER_BIO_SYNC) &&
	    fdatasync(br->br_fd) != 0)
		return errno;
	return 0;
}

static void *
bio_worker(void *arg)
{
	struct bio_req *br;
	uint64_t done;
	int error;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&bio_lock);
		while ((br = bio_head) == NULL)
			pthread_cond_wait(&bio_cv, &bio_lock);
		if ((bio_head = br->br_next) == NULL)
			bio_tail = &bio_head;
		pthread_mutex_unlock(&bio_lock);

		error = bio_transfer(br, &done);
		HYP()->hyp_enter();
		br->br_done(br->br_arg, done, rumpuser__errtrans(error));
		HYP()->hyp_leave();
		free(br);
	}
	return NULL;
}

static void
bio_start(void)
{
	pthread_t pt;
	int i;

	for (i = 0; i < BIO_NTHREADS; i++) {
		if (pthread_create(&pt, NULL, bio_worker, NULL) != 0)
			break;
		pthread_detach(pt);
		pthread_setname_np(pt, "rumpuser_bio");
		bio_nthreads++;
	}
}

void
rumpuser_bio(int fd, int op, void *data, uint64_t len, int64_t off,
    rumpuser_biodone_fn done, void *arg)
{
	struct bio_req *br;
	uint64_t n;
	int error;

	pthread_once(&bio_once, bio_start);
	/* The caller would only wait: do it here, no hand-off. */
	br = (op & RUMPUSER_BIO_WAITED) ? NULL : malloc(sizeof(*br));
	if (br == NULL || bio_nthreads == 0 ||
	    (op & (RUMPUSER_BIO_READ | RUMPUSER_BIO_WRITE)) == 0 ||
	    (op & RUMPUSER_BIO_READ && op & RUMPUSER_BIO_WRITE)) {
		/* Waited for, or no worker to hand it to: do it here,
		 * synchronously. */
		struct bio_req local = { .br_fd = fd, .br_op = op,
		    .br_data = data, .br_len = len, .br_off = off };

		free(br);
		if ((op & (RUMPUSER_BIO_READ | RUMPUSER_BIO_WRITE)) == 0 ||
		    (op & RUMPUSER_BIO_READ && op & RUMPUSER_BIO_WRITE)) {
			error = EINVAL;
			n = 0;
		} else
			WRAP(error = bio_transfer(&local, &n));
		done(arg, n, rumpuser__errtrans(error));
		return;
	}
	br->br_next = NULL;
	br->br_fd = fd;
	br->br_op = op;
	br->br_data = data;
	br->br_len = len;
	br->br_off = off;
	br->br_done = done;
	br->br_arg = arg;
	pthread_mutex_lock(&bio_lock);
	*bio_tail = br;
	bio_tail = &br->br_next;
	pthread_cond_signal(&bio_cv);
	pthread_mutex_unlock(&bio_lock);
}
