/*
 * sys_pipe.c: kernel pipes.
 *
 * One struct pipe is shared by the read end and the write end (two
 * files).  Its buffer is a ring of PIPE_SIZE bytes, allocated with the
 * first write.  Reads return what is there (waiting only while it is
 * empty and a writer remains); writes of at most PIPE_BUF bytes are
 * atomic.  With no reader left a write fails with EPIPE (no signals
 * yet).  O_NONBLOCK turns every wait into EAGAIN.
 *
 * Locking: pipe_lock over everything in the pipe; pipe_cv is broadcast
 * on every change, and selnotify() tells poll/select.
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

#define PIPE_SIZE	16384

struct pipe {
	kmutex_t	pipe_lock;
	kcondvar_t	pipe_cv;
	char		*pipe_buf;	/* NULL until the first write */
	size_t		pipe_out;	/* next byte to read */
	size_t		pipe_cnt;	/* bytes in the buffer */
	int		pipe_readers;
	int		pipe_writers;
	struct timespec	pipe_time;	/* creation, for fstat */
};

static int	pipe_read(struct file *, struct uio *, int);
static int	pipe_write(struct file *, struct uio *, int);
static int	pipe_ioctl(struct file *, u_long, void *);
static int	pipe_poll(struct file *, int);
static int	pipe_stat(struct file *, struct rump_stat *);
static int	pipe_close(struct file *);

static const struct fileops pipeops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
};

static int
pipe_read(struct file *fp, struct uio *uio, int flags __unused)
{
	struct pipe *pp = fp->f_data;
	size_t n;
	int error = 0;

	mutex_enter(&pp->pipe_lock);
	while (pp->pipe_cnt == 0) {
		if (pp->pipe_writers == 0)
			goto out;		/* end of file */
		if (fp->f_flag & FNONBLOCK) {
			error = EAGAIN;
			goto out;
		}
		cv_wait(&pp->pipe_cv, &pp->pipe_lock);
	}
	while (uio->uio_resid > 0 && pp->pipe_cnt > 0 && error == 0) {
		n = MIN(pp->pipe_cnt, PIPE_SIZE - pp->pipe_out);
		n = MIN(n, uio->uio_resid);
		error = uiomove(pp->pipe_buf + pp->pipe_out, n, uio);
		pp->pipe_out = (pp->pipe_out + n) % PIPE_SIZE;
		pp->pipe_cnt -= n;
	}
	cv_broadcast(&pp->pipe_cv);
	selnotify();
 out:
	mutex_exit(&pp->pipe_lock);
	return error;
}

static int
pipe_write(struct file *fp, struct uio *uio, int flags __unused)
{
	struct pipe *pp = fp->f_data;
	size_t space, in, n, want;
	char *buf;
	int error = 0;

	mutex_enter(&pp->pipe_lock);
	if (pp->pipe_buf == NULL) {
		mutex_exit(&pp->pipe_lock);
		if ((buf = kmem_alloc(PIPE_SIZE, KM_SLEEP)) == NULL)
			return ENOMEM;
		mutex_enter(&pp->pipe_lock);
		if (pp->pipe_buf == NULL)
			pp->pipe_buf = buf;
		else
			kmem_free(buf, PIPE_SIZE);
	}
	/* Up to PIPE_BUF bytes go in one piece, or not at all. */
	want = uio->uio_resid <= RUMP_PIPE_BUF ? uio->uio_resid : 1;
	while (uio->uio_resid > 0) {
		if (pp->pipe_readers == 0) {
			error = EPIPE;
			break;
		}
		space = PIPE_SIZE - pp->pipe_cnt;
		if (space < want) {
			if (fp->f_flag & FNONBLOCK) {
				error = EAGAIN;
				break;
			}
			cv_wait(&pp->pipe_cv, &pp->pipe_lock);
			continue;
		}
		in = (pp->pipe_out + pp->pipe_cnt) % PIPE_SIZE;
		n = MIN(space, PIPE_SIZE - in);
		n = MIN(n, uio->uio_resid);
		if ((error = uiomove(pp->pipe_buf + in, n, uio)) != 0)
			break;
		pp->pipe_cnt += n;
		cv_broadcast(&pp->pipe_cv);
		selnotify();
	}
	mutex_exit(&pp->pipe_lock);
	return error;
}

static int
pipe_ioctl(struct file *fp, u_long cmd, void *data)
{
	struct pipe *pp = fp->f_data;
	int n;

	if (cmd != RUMP_FIONREAD)
		return ENOTTY;
	mutex_enter(&pp->pipe_lock);
	n = (int)pp->pipe_cnt;
	mutex_exit(&pp->pipe_lock);
	return copyout(&n, data, sizeof(n));
}

static int
pipe_poll(struct file *fp, int events)
{
	struct pipe *pp = fp->f_data;
	int revents = 0;

	mutex_enter(&pp->pipe_lock);
	if (fp->f_flag & FREAD) {
		if (pp->pipe_cnt > 0)
			revents |= events & (RUMP_POLLIN | RUMP_POLLRDNORM);
		if (pp->pipe_writers == 0)
			revents |= RUMP_POLLHUP;
	}
	if (fp->f_flag & FWRITE) {
		if (pp->pipe_readers == 0)
			revents |= RUMP_POLLERR;
		else if (PIPE_SIZE - pp->pipe_cnt >= RUMP_PIPE_BUF)
			revents |= events & RUMP_POLLOUT;
	}
	mutex_exit(&pp->pipe_lock);
	return revents;
}

static int
pipe_stat(struct file *fp, struct rump_stat *st)
{
	struct pipe *pp = fp->f_data;

	mutex_enter(&pp->pipe_lock);
	st->st_mode = RUMP_S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_size = (off_t)pp->pipe_cnt;
	st->st_blksize = PIPE_SIZE;
	st->st_uid = fp->f_cred->cr_euid;
	st->st_gid = fp->f_cred->cr_egid;
	st->st_ino = (rump_ino_t)(uintptr_t)pp;
	st->st_atim = st->st_mtim = st->st_ctim = st->st_birthtim =
	    pp->pipe_time;
	mutex_exit(&pp->pipe_lock);
	return 0;
}

static int
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;
	bool last;

	mutex_enter(&pp->pipe_lock);
	if (fp->f_flag & FREAD)
		pp->pipe_readers--;
	else
		pp->pipe_writers--;
	last = pp->pipe_readers == 0 && pp->pipe_writers == 0;
	cv_broadcast(&pp->pipe_cv);
	mutex_exit(&pp->pipe_lock);
	selnotify();
	if (last) {
		if (pp->pipe_buf != NULL)
			kmem_free(pp->pipe_buf, PIPE_SIZE);
		cv_destroy(&pp->pipe_cv);
		mutex_destroy(&pp->pipe_lock);
		kmem_free(pp, sizeof(*pp));
	}
	return 0;
}

int
sys_pipe2(struct lwp *l, const struct sys_pipe2_args *uap,
    register_t *retval __unused)
{
	struct proc *p = l->l_proc;
	struct file *rf, *wf;
	struct pipe *pp;
	int fds[2], flags = SCARG(uap, flags), uflags, error;

	if (flags & ~(RUMP_O_NONBLOCK | RUMP_O_CLOEXEC))
		return EINVAL;
	if ((pp = kmem_zalloc(sizeof(*pp), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = falloc(l, &rf, &fds[0])) != 0) {
		kmem_free(pp, sizeof(*pp));
		return error;
	}
	if ((error = falloc(l, &wf, &fds[1])) != 0) {
		fd_abort(p, fds[0], rf);
		kmem_free(pp, sizeof(*pp));
		return error;
	}
	mutex_init(&pp->pipe_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&pp->pipe_cv, "pipe");
	pp->pipe_readers = pp->pipe_writers = 1;
	getnanotime(&pp->pipe_time);
	rf->f_flag = FREAD | (flags & RUMP_O_NONBLOCK ? FNONBLOCK : 0);
	wf->f_flag = FWRITE | (flags & RUMP_O_NONBLOCK ? FNONBLOCK : 0);
	rf->f_type = wf->f_type = DTYPE_PIPE;
	rf->f_ops = wf->f_ops = &pipeops;
	rf->f_data = wf->f_data = pp;
	uflags = (flags & RUMP_O_CLOEXEC) ? UF_EXCLOSE : 0;
	error = copyout(fds, SCARG(uap, fildes), sizeof(fds));
	if (error) {
		fd_abort(p, fds[0], rf);
		fd_abort(p, fds[1], wf);
		return error;
	}
	fd_install(p, fds[0], rf, uflags);
	fd_install(p, fds[1], wf, uflags);
	return 0;
}

int
sys_pipe(struct lwp *l, const struct sys_pipe_args *uap, register_t *retval)
{
	struct sys_pipe2_args a;

	SCARG(&a, fildes) = SCARG(uap, fildes);
	SCARG(&a, flags) = 0;
	return sys_pipe2(l, &a, retval);
}
