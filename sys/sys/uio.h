/*
 * uio.h: describing a transfer between the kernel and a caller's (or
 * the kernel's own) buffers.  uiomove() copies and advances; the
 * copies go through copyin/copyout for UIO_USERSPACE, so a remote
 * caller's memory works the same way later.
 */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

struct iovec {
	void	*iov_base;
	size_t	iov_len;
};

enum uio_rw { UIO_READ, UIO_WRITE };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };

struct uio {
	struct iovec	*uio_iov;
	int		uio_iovcnt;
	off_t		uio_offset;
	size_t		uio_resid;
	enum uio_rw	uio_rw;		/* READ: kernel to buffer */
	enum uio_seg	uio_seg;
};

#define UIO_MAXIOV	1024

int	uiomove(void *kbuf, size_t n, struct uio *);
int	uiomove_zero(size_t n, struct uio *);	/* READ: n zero bytes */
/* Where the next len bytes of a READ go, if the kernel may write there
 * itself (NULL: use uiomove); then uio_advance() past what was put. */
void	*uio_direct(struct uio *, size_t len);
void	uio_advance(struct uio *, size_t n);

#endif /* _SYS_UIO_H_ */
