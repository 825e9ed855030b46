/*
 * kern_uio.c: uiomove, moving data between a kernel buffer and the
 * buffers a uio describes, advancing both.
 *
 * uio_direct() lets a driver read straight into the destination when
 * the kernel may write there itself: kernel memory, or a local
 * caller's (one address space, as copyout knows).  A remote client's
 * buffers are not ours to write; it will say no for them.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/uio.h>

int
uiomove(void *kbuf, size_t n, struct uio *uio)
{
	char *kp = kbuf;
	struct iovec *iov;
	size_t cnt;
	int error = 0;

	while (n > 0 && uio->uio_resid > 0) {
		iov = uio->uio_iov;
		if (iov->iov_len == 0) {
			KASSERT(uio->uio_iovcnt > 0);
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		cnt = MIN(n, iov->iov_len);
		if (uio->uio_seg == UIO_SYSSPACE) {
			if (uio->uio_rw == UIO_READ)
				memcpy(iov->iov_base, kp, cnt);
			else
				memcpy(kp, iov->iov_base, cnt);
		} else if (uio->uio_rw == UIO_READ) {
			error = copyout(kp, iov->iov_base, cnt);
		} else {
			error = copyin(iov->iov_base, kp, cnt);
		}
		if (error)
			break;
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += (off_t)cnt;
		kp += cnt;
		n -= cnt;
	}
	return error;
}

int
uiomove_zero(size_t n, struct uio *uio)
{
	static const char zeroes[512];
	size_t cnt;
	int error;

	KASSERT(uio->uio_rw == UIO_READ);
	while (n > 0 && uio->uio_resid > 0) {
		cnt = MIN(n, sizeof(zeroes));
		if ((error = uiomove((void *)(uintptr_t)zeroes, cnt, uio)) != 0)
			return error;
		n -= cnt;
	}
	return 0;
}

void *
uio_direct(struct uio *uio, size_t len)
{
	struct iovec *iov;

	if (uio->uio_rw != UIO_READ || uio->uio_resid < len)
		return NULL;
	while (uio->uio_iovcnt > 0 && uio->uio_iov->iov_len == 0) {
		uio->uio_iov++;
		uio->uio_iovcnt--;
	}
	iov = uio->uio_iov;
	if (uio->uio_iovcnt == 0 || iov->iov_len < len || iov->iov_base == NULL)
		return NULL;
	return iov->iov_base;
}

void
uio_advance(struct uio *uio, size_t n)
{

	KASSERT(uio->uio_iovcnt > 0 && uio->uio_iov->iov_len >= n);
	uio->uio_iov->iov_base = (char *)uio->uio_iov->iov_base + n;
	uio->uio_iov->iov_len -= n;
	uio->uio_resid -= n;
	uio->uio_offset += (off_t)n;
}
