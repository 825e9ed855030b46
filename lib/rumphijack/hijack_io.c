/*
 * hijack_io.c: file data that a program moves without read(2) and
 * write(2), on the rump kernel's files.
 *
 *	mmap		MAP_PRIVATE: anonymous memory filled from the file
 *			at the time of the call; MAP_SHARED: ENODEV
 *	sendfile	read and write through a buffer
 *	splice		EINVAL (rump descriptors are never pipes)
 *
 * The host kernel cannot map a file it does not have.  A private
 * mapping is the program's own copy, so one filled by pread is what
 * the program asked for, except that it does not see later writes to
 * the file (POSIX leaves that unspecified; Linux shows them in pages
 * not yet written) and reads zeros past the end of the file where
 * Linux raises SIGBUS.  A shared mapping promises that stores reach
 * the file and other processes' writes reach the memory; a copy would
 * break that silently, so it is refused with the error of a file
 * system that cannot map.
 *
 * No state, no locking.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

HOSTFN(void *, mmap64, (void *, size_t, int, int, int, off_t))
HOSTFN(ssize_t, sendfile64, (int, int, off_t *, size_t))
HOSTFN(ssize_t, splice, (int, off_t *, int, off_t *, size_t,
    unsigned int))

#define SENDFILE_BUF	(1024 * 1024)

static void *
map_fail(int error)
{

	errno = error;
	return MAP_FAILED;
}

HIJ_EXPORT void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct rump_stat rs;
	size_t done = 0, k;
	ssize_t n;
	long pagesize;
	char *p;
	int r, fl, error;

	if ((flags & MAP_ANONYMOUS) || (r = hij_rfd(fd)) < 0)
		return get_mmap64()(addr, len, prot, flags, fd, off);
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		return map_fail(ENODEV);
	pagesize = sysconf(_SC_PAGESIZE);
	if (len == 0 || off < 0 || (pagesize > 0 && off % pagesize != 0))
		return map_fail(EINVAL);
	if ((fl = rump_sys_fcntl(r, RUMP_F_GETFL, 0)) < 0)
		return MAP_FAILED;
	if ((fl & RUMP_O_ACCMODE) == RUMP_O_WRONLY)
		return map_fail(EACCES);
	if (rump_sys_fstat(r, &rs) != 0)
		return MAP_FAILED;
	if ((rs.st_mode & RUMP_S_IFMT) != RUMP_S_IFREG)
		return map_fail(ENODEV);
	p = get_mmap64()(addr, len, PROT_READ | PROT_WRITE,
	    (flags & ~MAP_TYPE) | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return MAP_FAILED;
	while (done < len) {
		k = len - done > HIJ_MAXIO ? HIJ_MAXIO : len - done;
		n = rump_sys_pread(r, p + done, k, off + (off_t)done);
		if (n < 0 || (size_t)n > k) {
			error = n < 0 ? errno : EIO;	/* EIO: a bad count */
			munmap(p, len);
			return map_fail(error);
		}
		if (n == 0)
			break;		/* the rest stays zero */
		done += (size_t)n;
	}
	if (prot != (PROT_READ | PROT_WRITE) && mprotect(p, len, prot) != 0) {
		error = errno;
		munmap(p, len);
		return map_fail(error);
	}
	return p;
}

HIJ_EXPORT void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{

	return mmap64(addr, len, prot, flags, fd, off);
}

/* All of buf to `out' (a host write may be short): bytes written. */
static size_t
write_out(int out, const char *buf, size_t n)
{
	size_t done = 0;
	ssize_t w;

	while (done < n) {
		if ((w = write(out, buf + done, n - done)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		done += (size_t)w;
	}
	return done;
}

/*
 * sendfile with a rump descriptor on either side: through a buffer.
 * Bytes read but not written are given back to a seekable `in' so
 * that its offset says what was sent, as sendfile's does.
 */
HIJ_EXPORT ssize_t
sendfile64(int out, int in, off_t *off, size_t count)
{
	size_t done = 0, want, w;
	ssize_t n;
	char *buf;
	int error = 0;

	if (hij_rfd(out) < 0 && hij_rfd(in) < 0)
		return get_sendfile64()(out, in, off, count);
	if (off != NULL && *off < 0) {
		errno = EINVAL;
		return -1;
	}
	if ((buf = malloc(count < SENDFILE_BUF ? count + 1 : SENDFILE_BUF)) ==
	    NULL)
		return -1;
	while (done < count) {
		want = count - done < SENDFILE_BUF ? count - done :
		    SENDFILE_BUF;
		n = off != NULL ? pread(in, buf, want, *off + (off_t)done) :
		    read(in, buf, want);
		if (n <= 0 || (size_t)n > want) {
			error = n < 0 ? errno : n > 0 ? EIO : 0;
			break;
		}
		w = write_out(out, buf, (size_t)n);
		done += w;
		if (w < (size_t)n) {
			error = errno;
			if (off == NULL)
				(void)lseek(in, -(off_t)((size_t)n - w),
				    SEEK_CUR);
			break;
		}
		if ((size_t)n < want)
			break;
	}
	free(buf);
	if (off != NULL)
		*off += (off_t)done;
	if (done == 0 && error != 0) {
		errno = error;
		return -1;
	}
	return (ssize_t)done;
}

HIJ_EXPORT ssize_t
sendfile(int out, int in, off_t *off, size_t count)
{

	return sendfile64(out, in, off, count);
}

/* Pipes are the host's: a rump descriptor is never the pipe splice
 * needs, and no rump file system splices. */
HIJ_EXPORT ssize_t
splice(int in, off_t *inoff, int out, off_t *outoff, size_t len,
    unsigned int flags)
{

	if (hij_rfd(in) < 0 && hij_rfd(out) < 0)
		return get_splice()(in, inoff, out, outoff, len, flags);
	errno = EINVAL;
	return -1;
}
