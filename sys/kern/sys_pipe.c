/*
 * sys_pipe.c: pipes: the buffer that pipe(2) and FIFOs share
 * (interface in <sys/pipe.h>), and pipe(2) itself.
 *
 * A struct pipe is a ring of PIPE_SIZE bytes, allocated with the first
 * write, and counts of its read and write ends.  Reads return what is
 * there (waiting only while it is empty and a writer remains; with no
 * writer, end of file); writes of at most PIPE_BUF bytes are atomic.
 * With no reader left a write fails with EPIPE (no signals in the
 * kernel: the sysproxy server raises SIGPIPE for its client).
 * O_NONBLOCK turns every wait into EAGAIN.
 *
 * pipe(2) makes a pipe with one end of each kind, each its own file,
 * and frees it when both are closed.  A FIFO's pipe is made by its
 * first open and freed by its last close (vfs_fifo.c); a FIFO open
 * counts its ends at once, so that a blocked reader is a reader to a
 * writer opening with O_NONBLOCK, and then waits for the other side by
 * generation (opens of each kind so far): a partner that opened and
 * closed while the waiter was not looking has still come.
 *
 * Locking: pipe_lock over every field but pipe_time.  pipe_cv is
 * broadcast on every change of the buffer or of the ends, and
 * selnotify() tells poll/select (outside pipe_lock).  FIFOs take their
 * fifo_lock before pipe_lock.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pipe.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "syscallargs.h"

#define PIPE_SIZE	16384

/* Field legend: l pipe_lock; c constant after pipe_create. */
struct pipe {
	kmutex_t	pipe_lock;
	kcondvar_t	pipe_cv;
	char		*pipe_buf;	/* l: NULL until the first write */
	size_t		pipe_out;	/* l: next byte to read */
	size_t		pipe_cnt;	/* l: bytes in the buffer */
	u_int		pipe_readers;	/* l: read ends, opens waiting too */
	u_int		pipe_writers;	/* l: write ends, the same */
	u_int		pipe_rgen;	/* l: read ends ever counted */
	u_int		pipe_wgen;	/* l: write ends ever counted */
	bool		pipe_revoked;	/* l: FIFO gone: opens fail */
	struct timespec	pipe_time;	/* c: creation, for fstat */
};

int
pipe_create(struct pipe **ppp)
{
	struct pipe *pp;

	if ((pp = kmem_zalloc(sizeof(*pp), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_init(&pp->pipe_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&pp->pipe_cv, "pipe");
	getnanotime(&pp->pipe_time);
	*ppp = pp;
	return 0;
}

void
pipe_destroy(struct pipe *pp)
{

	KASSERTMSG(pp->pipe_readers == 0 && pp->pipe_writers == 0,
	    "pipe_destroy: pipe %p has ends", pp);
	if (pp->pipe_buf != NULL)
		kmem_free(pp->pipe_buf, PIPE_SIZE);
	cv_destroy(&pp->pipe_cv);
	mutex_destroy(&pp->pipe_lock);
	kmem_free(pp, sizeof(*pp));
}

/* Count the ends fflag asks for. */
static void
pipe_count(struct pipe *pp, u_int fflag)
{

	KASSERT(mutex_owned(&pp->pipe_lock));
	if (fflag & FREAD) {
		pp->pipe_readers++;
		pp->pipe_rgen++;
	}
	if (fflag & FWRITE) {
		pp->pipe_writers++;
		pp->pipe_wgen++;
	}
	cv_broadcast(&pp->pipe_cv);
}

int
pipe_fifo_open(struct pipe *pp, u_int fflag, u_int *genp)
{
	int error = 0;

	KASSERT(fflag & (FREAD | FWRITE));
	mutex_enter(&pp->pipe_lock);
	if (pp->pipe_revoked)
		error = EIO;
	else if ((fflag & (FREAD | FNONBLOCK)) == FNONBLOCK &&
	    pp->pipe_readers == 0)
		error = ENXIO;		/* nobody would ever read it */
	else {
		pipe_count(pp, fflag);
		/* The generation that would mean "no partner yet": the
		 * other side's current one if none of it is open, one
		 * less if some is (that one has come already). */
		if (fflag & FREAD)
			*genp = pp->pipe_wgen - (pp->pipe_writers > 0);
		else
			*genp = pp->pipe_rgen - (pp->pipe_readers > 0);
	}
	mutex_exit(&pp->pipe_lock);
	if (error == 0)
		selnotify();	/* a writer's POLLERR may have gone */
	return error;
}

int
pipe_fifo_wait(struct pipe *pp, u_int fflag, u_int gen)
{
	u_int *count, *cgen;
	int error = 0;

	/* Read-write and non-blocking opens never wait (Linux: a
	 * read-write open of a FIFO is its own partner). */
	if ((fflag & (FREAD | FWRITE)) == (FREAD | FWRITE) ||
	    (fflag & FNONBLOCK))
		return 0;
	count = (fflag & FREAD) ? &pp->pipe_writers : &pp->pipe_readers;
	cgen = (fflag & FREAD) ? &pp->pipe_wgen : &pp->pipe_rgen;
	mutex_enter(&pp->pipe_lock);
	while (*count == 0 && *cgen == gen && error == 0) {
		if (pp->pipe_revoked)
			error = EIO;
		else
			error = cv_wait_sig(&pp->pipe_cv, &pp->pipe_lock);
	}
	mutex_exit(&pp->pipe_lock);
	return error;
}

void
pipe_revoke(struct pipe *pp)
{

	mutex_enter(&pp->pipe_lock);
	pp->pipe_revoked = true;
	cv_broadcast(&pp->pipe_cv);
	mutex_exit(&pp->pipe_lock);
}

bool
pipe_close(struct pipe *pp, u_int fflag)
{
	bool last;

	mutex_enter(&pp->pipe_lock);
	if (fflag & FREAD) {
		KASSERT(pp->pipe_readers > 0);
		pp->pipe_readers--;
	}
	if (fflag & FWRITE) {
		KASSERT(pp->pipe_writers > 0);
		pp->pipe_writers--;
	}
	last = pp->pipe_readers == 0 && pp->pipe_writers == 0;
	cv_broadcast(&pp->pipe_cv);
	mutex_exit(&pp->pipe_lock);
	selnotify();
	return last;
}

int
pipe_read(struct pipe *pp, struct uio *uio, u_int fflag)
{
	size_t n;
	int error = 0;

	mutex_enter(&pp->pipe_lock);
	while (pp->pipe_cnt == 0) {
		if (pp->pipe_writers == 0)
			goto out;		/* end of file */
		if (fflag & FNONBLOCK) {
			error = EAGAIN;
			goto out;
		}
		if ((error = cv_wait_sig(&pp->pipe_cv, &pp->pipe_lock)) != 0)
			goto out;
	}
	while (uio->uio_resid > 0 && pp->pipe_cnt > 0 && error == 0) {
		n = MIN(pp->pipe_cnt, PIPE_SIZE - pp->pipe_out);
		n = MIN(n, uio->uio_resid);
		error = uiomove(pp->pipe_buf + pp->pipe_out, n, uio);
		pp->pipe_out = (pp->pipe_out + n) % PIPE_SIZE;
		pp->pipe_cnt -= n;
	}
	cv_broadcast(&pp->pipe_cv);
	mutex_exit(&pp->pipe_lock);
	selnotify();
	return error;
 out:
	mutex_exit(&pp->pipe_lock);
	return error;
}

int
pipe_write(struct pipe *pp, struct uio *uio, u_int fflag)
{
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
			if (fflag & FNONBLOCK) {
				error = EAGAIN;
				break;
			}
			error = cv_wait_sig(&pp->pipe_cv, &pp->pipe_lock);
			if (error != 0)
				break;
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

int
pipe_poll(struct pipe *pp, u_int fflag, int events, u_int gen)
{
	int revents = 0;

	mutex_enter(&pp->pipe_lock);
	if (fflag & FREAD) {
		if (pp->pipe_cnt > 0)
			revents |= events & (RUMP_POLLIN | RUMP_POLLRDNORM);
		/* A FIFO reader that has never had a writer is not hung
		 * up: it is waiting for the first. */
		if (pp->pipe_writers == 0 && pp->pipe_wgen != gen)
			revents |= RUMP_POLLHUP;
	}
	if (fflag & FWRITE) {
		if (pp->pipe_readers == 0)
			revents |= RUMP_POLLERR;
		else if (PIPE_SIZE - pp->pipe_cnt >= RUMP_PIPE_BUF)
			revents |= events & RUMP_POLLOUT;
	}
	mutex_exit(&pp->pipe_lock);
	return revents;
}

int
pipe_nread(struct pipe *pp)
{
	int n;

	mutex_enter(&pp->pipe_lock);
	n = (int)pp->pipe_cnt;
	mutex_exit(&pp->pipe_lock);
	return n;
}

/* ---- pipe(2): each end a file of its own ---- */

static int
pipe_fo_read(struct file *fp, struct uio *uio, int flags __unused)
{

	return pipe_read(fp->f_data, uio, fp->f_flag);
}

static int
pipe_fo_write(struct file *fp, struct uio *uio, int flags __unused)
{

	return pipe_write(fp->f_data, uio, fp->f_flag);
}

static int
pipe_fo_ioctl(struct file *fp, u_long cmd, void *data)
{
	int n;

	if (cmd != RUMP_FIONREAD)
		return ENOTTY;
	n = pipe_nread(fp->f_data);
	return copyout(&n, data, sizeof(n));
}

static int
pipe_fo_poll(struct file *fp, int events)
{

	/* Generation 0: a pipe(2) reader has had its writer. */
	return pipe_poll(fp->f_data, fp->f_flag, events, 0);
}

static int
pipe_fo_stat(struct file *fp, struct rump_stat *st)
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
pipe_fo_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;

	if (pipe_close(pp, fp->f_flag & (FREAD | FWRITE)))
		pipe_destroy(pp);
	return 0;
}

static const struct fileops pipeops = {
	.fo_read = pipe_fo_read,
	.fo_write = pipe_fo_write,
	.fo_ioctl = pipe_fo_ioctl,
	.fo_poll = pipe_fo_poll,
	.fo_stat = pipe_fo_stat,
	.fo_close = pipe_fo_close,
};

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
	if ((error = pipe_create(&pp)) != 0)
		return error;
	if ((error = falloc(l, &rf, &fds[0])) != 0) {
		pipe_destroy(pp);
		return error;
	}
	if ((error = falloc(l, &wf, &fds[1])) != 0) {
		fd_abort(p, fds[0], rf);
		pipe_destroy(pp);
		return error;
	}
	mutex_enter(&pp->pipe_lock);
	pipe_count(pp, FREAD | FWRITE);
	mutex_exit(&pp->pipe_lock);
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
