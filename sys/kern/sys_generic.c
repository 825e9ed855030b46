/*
 * sys_generic.c: system calls on any descriptor: read, write and their
 * positioned and vectored forms, lseek, ioctl, fstat, poll, select.
 * Each finds the file and calls its operations (struct fileops).
 *
 * poll and select sleep on one kernel-wide condition: selnotify() is
 * called whenever a pollable file changes state, and sleepers recheck
 * their descriptors.  sel_seq makes the check-then-sleep race-free: a
 * sleeper sleeps only while no notification came since it looked.
 *
 * Locking: sel_lock over sel_seq.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "syscallargs.h"

#define SSIZE_MAX	((size_t)__PTRDIFF_MAX__)
#define POLL_MAXFDS	1024

static kmutex_t sel_lock;
static kcondvar_t sel_cv;
static uint64_t sel_seq;		/* sel_lock */

void	descrip_init(void);

void
descrip_init(void)
{

	mutex_init(&sel_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&sel_cv, "select");
}

void
selnotify(void)
{

	mutex_enter(&sel_lock);
	sel_seq++;
	cv_broadcast(&sel_cv);
	mutex_exit(&sel_lock);
}

/* ---- read and write ---- */

static int
dofilerw(struct lwp *l, int fd, struct iovec *iov, int iovcnt, off_t off,
    bool positioned, enum uio_rw rw, register_t *retval)
{
	struct file *fp;
	struct uio uio;
	size_t total = 0;
	int i, error;

	if ((error = fd_getfile(l->l_proc, fd, &fp)) != 0)
		return error;
	if ((fp->f_flag & (rw == UIO_READ ? FREAD : FWRITE)) == 0) {
		error = EBADF;
		goto out;
	}
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX - total) {
			error = EINVAL;
			goto out;
		}
		total += iov[i].iov_len;
	}
	if (positioned) {
		if (fp->f_ops->fo_seek == NULL) {
			error = ESPIPE;
			goto out;
		}
		if (off < 0) {
			error = EINVAL;
			goto out;
		}
	}
	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_offset = off;
	uio.uio_resid = total;
	uio.uio_rw = rw;
	uio.uio_seg = UIO_USERSPACE;
	if (rw == UIO_READ)
		error = fp->f_ops->fo_read(fp, &uio,
		    positioned ? 0 : FOF_UPDATE_OFFSET);
	else
		error = fp->f_ops->fo_write(fp, &uio,
		    positioned ? 0 : FOF_UPDATE_OFFSET);
	/* A partial transfer is a success (the rest fails next time). */
	if (error && uio.uio_resid != total &&
	    (error == EINTR || error == EWOULDBLOCK || error == EPIPE))
		error = 0;
	retval[0] = (register_t)(total - uio.uio_resid);
 out:
	fd_putfile(fp);
	return error;
}

int
sys_read(struct lwp *l, const struct sys_read_args *uap, register_t *retval)
{
	struct iovec iov = { SCARG(uap, buf), SCARG(uap, nbyte) };

	return dofilerw(l, SCARG(uap, fd), &iov, 1, 0, false, UIO_READ,
	    retval);
}

int
sys_write(struct lwp *l, const struct sys_write_args *uap, register_t *retval)
{
	struct iovec iov = { (void *)(uintptr_t)SCARG(uap, buf),
	    SCARG(uap, nbyte) };

	return dofilerw(l, SCARG(uap, fd), &iov, 1, 0, false, UIO_WRITE,
	    retval);
}

int
sys_pread(struct lwp *l, const struct sys_pread_args *uap, register_t *retval)
{
	struct iovec iov = { SCARG(uap, buf), SCARG(uap, nbyte) };

	return dofilerw(l, SCARG(uap, fd), &iov, 1, SCARG(uap, offset), true,
	    UIO_READ, retval);
}

int
sys_pwrite(struct lwp *l, const struct sys_pwrite_args *uap,
    register_t *retval)
{
	struct iovec iov = { (void *)(uintptr_t)SCARG(uap, buf),
	    SCARG(uap, nbyte) };

	return dofilerw(l, SCARG(uap, fd), &iov, 1, SCARG(uap, offset), true,
	    UIO_WRITE, retval);
}

static int
dofilerwv(struct lwp *l, int fd, const struct rump_iovec *uiov, int iovcnt,
    enum uio_rw rw, register_t *retval)
{
	struct iovec *iov;
	size_t len;
	int error;

	if (iovcnt <= 0 || iovcnt > RUMP_IOV_MAX)
		return EINVAL;
	len = (size_t)iovcnt * sizeof(*iov);
	if ((iov = kmem_alloc(len, KM_SLEEP)) == NULL)
		return ENOMEM;
	CTASSERT(sizeof(struct iovec) == sizeof(struct rump_iovec));
	if ((error = copyin(uiov, iov, len)) == 0)
		error = dofilerw(l, fd, iov, iovcnt, 0, false, rw, retval);
	kmem_free(iov, len);
	return error;
}

int
sys_readv(struct lwp *l, const struct sys_readv_args *uap, register_t *retval)
{

	return dofilerwv(l, SCARG(uap, fd), SCARG(uap, iovp),
	    SCARG(uap, iovcnt), UIO_READ, retval);
}

int
sys_writev(struct lwp *l, const struct sys_writev_args *uap,
    register_t *retval)
{

	return dofilerwv(l, SCARG(uap, fd), SCARG(uap, iovp),
	    SCARG(uap, iovcnt), UIO_WRITE, retval);
}

/* ---- lseek, ioctl, fstat ---- */

int
sys_lseek(struct lwp *l, const struct sys_lseek_args *uap, register_t *retval)
{
	struct file *fp;
	off_t res;
	int error;

	if ((error = fd_getfile(l->l_proc, SCARG(uap, fd), &fp)) != 0)
		return error;
	if (fp->f_ops->fo_seek == NULL)
		error = ESPIPE;
	else
		error = fp->f_ops->fo_seek(fp, SCARG(uap, offset),
		    SCARG(uap, whence), &res);
	if (error == 0)
		retval[0] = res;
	fd_putfile(fp);
	return error;
}

int
sys_ioctl(struct lwp *l, const struct sys_ioctl_args *uap,
    register_t *retval __unused)
{
	struct file *fp;
	int error, on;

	if ((error = fd_getfile(l->l_proc, SCARG(uap, fd), &fp)) != 0)
		return error;
	switch (SCARG(uap, cmd)) {
	case RUMP_FIONBIO:
		if ((error = copyin(SCARG(uap, data), &on, sizeof(on))) != 0)
			break;
		mutex_enter(&fp->f_lock);
		if (on)
			fp->f_flag |= FNONBLOCK;
		else
			fp->f_flag &= ~FNONBLOCK;
		mutex_exit(&fp->f_lock);
		break;
	default:
		error = fp->f_ops->fo_ioctl != NULL ?
		    fp->f_ops->fo_ioctl(fp, SCARG(uap, cmd),
		    SCARG(uap, data)) : ENOTTY;
	}
	fd_putfile(fp);
	return error;
}

int
sys_fstat(struct lwp *l, const struct sys_fstat_args *uap,
    register_t *retval __unused)
{
	struct rump_stat st;
	struct file *fp;
	int error;

	if ((error = fd_getfile(l->l_proc, SCARG(uap, fd), &fp)) != 0)
		return error;
	memset(&st, 0, sizeof(st));
	error = fp->f_ops->fo_stat(fp, &st);
	fd_putfile(fp);
	if (error == 0)
		error = copyout(&st, SCARG(uap, sb), sizeof(st));
	return error;
}

/* ---- poll and select ---- */

/* One pass over fds; returns how many have events.  poll(2) always
 * reports errors and hangups; select(2) only what its sets ask for. */
static int
poll_scan(struct proc *p, struct rump_pollfd *fds, u_int nfds, bool errhup)
{
	struct file *fp;
	u_int i;
	int n = 0, want;

	for (i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		if (fd_getfile(p, fds[i].fd, &fp) != 0) {
			fds[i].revents = RUMP_POLLNVAL;
			n++;
			continue;
		}
		want = fds[i].events |
		    (errhup ? RUMP_POLLERR | RUMP_POLLHUP : 0);
		fds[i].revents = (int16_t)(fp->f_ops->fo_poll(fp, want) & want);
		fd_putfile(fp);
		if (fds[i].revents)
			n++;
	}
	return n;
}

/* Scan until something is ready or the deadline (uptime ns, -1 for
 * none) passes. */
static int
poll_wait(struct proc *p, struct rump_pollfd *fds, u_int nfds, bool errhup,
    int64_t deadline, int *nready)
{
	uint64_t seq;
	int n, error = 0;

	for (;;) {
		mutex_enter(&sel_lock);
		seq = sel_seq;
		mutex_exit(&sel_lock);
		if ((n = poll_scan(p, fds, nfds, errhup)) != 0 || deadline == 0)
			break;
		mutex_enter(&sel_lock);
		while (sel_seq == seq && error == 0) {
			if (deadline < 0)
				error = cv_wait_sig(&sel_cv, &sel_lock);
			else
				error = cv_timedwait_ns_sig(&sel_cv,
				    &sel_lock, deadline);
		}
		mutex_exit(&sel_lock);
		if (error == EWOULDBLOCK) {
			n = poll_scan(p, fds, nfds, errhup);
			error = 0;
			break;
		}
		if (error)
			break;
	}
	*nready = n;
	return error;
}

int
sys_poll(struct lwp *l, const struct sys_poll_args *uap, register_t *retval)
{
	struct rump_pollfd *fds;
	u_int nfds = SCARG(uap, nfds);
	int timeout = SCARG(uap, timeout), error, n;
	int64_t deadline;
	size_t len;

	if (nfds > POLL_MAXFDS)
		return EINVAL;
	len = nfds * sizeof(*fds);
	fds = NULL;
	if (nfds > 0) {
		if ((fds = kmem_alloc(len, KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = copyin(SCARG(uap, fds), fds, len)) != 0)
			goto out;
	}
	deadline = timeout < 0 ? -1 : timeout == 0 ? 0 :
	    getnsecuptime() + (int64_t)timeout * 1000000;
	error = poll_wait(l->l_proc, fds, nfds, true, deadline, &n);
	if (error == 0 && nfds > 0)
		error = copyout(fds, SCARG(uap, fds), len);
	if (error == 0)
		retval[0] = n;
 out:
	if (fds != NULL)
		kmem_free(fds, len);
	return error;
}

int
sys_select(struct lwp *l, const struct sys_select_args *uap,
    register_t *retval)
{
	rump_fd_set sets[3], out[3];
	rump_fd_set *usets[3] = { SCARG(uap, readfds), SCARG(uap, writefds),
	    SCARG(uap, exceptfds) };
	static const int ev[3] = { RUMP_POLLIN | RUMP_POLLHUP,
	    RUMP_POLLOUT | RUMP_POLLERR, RUMP_POLLPRI };
	struct rump_pollfd *fds = NULL;
	struct rump_timeval tv;
	int nfds = SCARG(uap, nd), i, k, n = 0, nready, error;
	int64_t deadline = -1;
	size_t len = 0;

	if (nfds < 0 || nfds > RUMP_FD_SETSIZE)
		return EINVAL;
	memset(sets, 0, sizeof(sets));
	for (k = 0; k < 3; k++)
		if (usets[k] != NULL &&
		    (error = copyin(usets[k], &sets[k], sizeof(sets[k]))) != 0)
			return error;
	if (SCARG(uap, tv) != NULL) {
		if ((error = copyin(SCARG(uap, tv), &tv, sizeof(tv))) != 0)
			return error;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return EINVAL;
		deadline = tv.tv_sec == 0 && tv.tv_usec == 0 ? 0 :
		    getnsecuptime() + tv.tv_sec * NSEC_PER_SEC +
		    tv.tv_usec * 1000;
	}
	/* One pollfd per descriptor named in any set. */
	for (i = 0; i < nfds; i++)
		for (k = 0; k < 3; k++)
			if (RUMP_FD_ISSET(i, &sets[k])) {
				n++;
				break;
			}
	if (n > 0) {
		len = (size_t)n * sizeof(*fds);
		if ((fds = kmem_zalloc(len, KM_SLEEP)) == NULL)
			return ENOMEM;
		for (n = 0, i = 0; i < nfds; i++) {
			int e = 0;

			for (k = 0; k < 3; k++)
				if (RUMP_FD_ISSET(i, &sets[k]))
					e |= ev[k];
			if (e) {
				fds[n].fd = i;
				fds[n++].events = (int16_t)e;
			}
		}
	}
	error = poll_wait(l->l_proc, fds, (u_int)n, false, deadline, &nready);
	if (error)
		goto out;
	memset(out, 0, sizeof(out));
	nready = 0;
	for (i = 0; i < n; i++) {
		if (fds[i].revents & RUMP_POLLNVAL) {
			error = EBADF;
			goto out;
		}
		for (k = 0; k < 3; k++) {
			if (RUMP_FD_ISSET(fds[i].fd, &sets[k]) &&
			    (fds[i].revents & ev[k])) {
				RUMP_FD_SET(fds[i].fd, &out[k]);
				nready++;
			}
		}
	}
	for (k = 0; k < 3 && error == 0; k++)
		if (usets[k] != NULL)
			error = copyout(&out[k], usets[k], sizeof(out[k]));
	if (error == 0)
		retval[0] = nready;
 out:
	if (fds != NULL)
		kmem_free(fds, len);
	return error;
}
