/*
 * vfs_fifo.c: FIFOs (named pipes).
 *
 * A file system only stores a FIFO's entry and attributes.  While
 * anyone has the FIFO open its vnode carries a pipe (sys_pipe.c,
 * <sys/pipe.h>), made by the first open and freed by the last close,
 * and an open FIFO's reads, writes, poll and FIONREAD go to that pipe,
 * never to the file system; fstat, fchmod and the rest still reach the
 * vnode (the file is DTYPE_VNODE with the vnode as its data), lseek
 * and pread fail with ESPIPE (no fo_seek).
 *
 *	fifo_open(vp, fp)	after vn_open: count fp's ends (FREAD,
 *				FWRITE from fp->f_flag) and wait for the
 *				other side as POSIX says; on success fp
 *				gets the FIFO operations.  A read-only
 *				open waits for a writer unless
 *				O_NONBLOCK; a write-only open waits for a
 *				reader, or with O_NONBLOCK fails (ENXIO)
 *				without one; a read-write open never
 *				waits (Linux).  The wait sleeps
 *				interruptibly (cv_wait_sig), and backs
 *				out completely on an error.
 *	fifo_kill(vp)		vnode_kill of a FIFO vnode in use (a
 *				forced unmount): opens waiting on it fail
 *				with EIO, since no partner can find it any
 *				more; files already open keep their pipe.
 *
 * Locking: fifo_lock over every vnode's v_fifo.  A pipe is attached
 * and detached, and its count of ends goes from and to zero, only
 * under fifo_lock, so an open never finds a pipe that a last close is
 * freeing; while a file holds an end, v_fifo stays put and the FIFO
 * operations use it without the lock.  fifo_lock is held for short
 * stretches only, never across a sleep.  Order: vnode_lock (fifo_kill,
 * from vnode_kill), then fifo_lock, then pipe_lock.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/mutex.h>
#include <sys/pipe.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include "vfs_private.h"

static kmutex_t fifo_lock;

void
fifo_init(void)
{

	mutex_init(&fifo_lock, MUTEX_DEFAULT, IPL_NONE);
}

/* Drop the ends fflag holds of vp's pipe, freeing it after the last. */
static void
fifo_close_ends(struct vnode *vp, u_int fflag)
{
	struct pipe *pp;

	mutex_enter(&fifo_lock);
	pp = vp->v_fifo;
	KASSERT(pp != NULL);
	if (pipe_close(pp, fflag))
		vp->v_fifo = NULL;
	else
		pp = NULL;
	mutex_exit(&fifo_lock);
	if (pp != NULL)
		pipe_destroy(pp);
}

static int
fifo_fo_read(struct file *fp, struct uio *uio, int flags __unused)
{
	struct vnode *vp = fp->f_data;

	return pipe_read(vp->v_fifo, uio, fp->f_flag);
}

static int
fifo_fo_write(struct file *fp, struct uio *uio, int flags __unused)
{
	struct vnode *vp = fp->f_data;

	return pipe_write(vp->v_fifo, uio, fp->f_flag);
}

static int
fifo_fo_ioctl(struct file *fp, u_long cmd, void *data)
{
	struct vnode *vp = fp->f_data;
	int n;

	if (cmd != RUMP_FIONREAD)
		return ENOTTY;
	n = pipe_nread(vp->v_fifo);
	return copyout(&n, data, sizeof(n));
}

static int
fifo_fo_poll(struct file *fp, int events)
{
	struct vnode *vp = fp->f_data;

	return pipe_poll(vp->v_fifo, fp->f_flag, events, fp->f_fifogen);
}

static int
fifo_fo_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;

	fifo_close_ends(vp, fp->f_flag & (FREAD | FWRITE));
	vrele(vp);
	return 0;
}

static const struct fileops fifo_fileops = {
	.fo_read = fifo_fo_read,
	.fo_write = fifo_fo_write,
	.fo_ioctl = fifo_fo_ioctl,
	.fo_poll = fifo_fo_poll,
	.fo_stat = vn_fstat,
	/* Locks work as on any vnode (Linux; BSD refuses them). */
	.fo_advlock = vn_advlock,
	.fo_close = fifo_fo_close,
};

int
fifo_open(struct vnode *vp, struct file *fp)
{
	u_int fflag = fp->f_flag & (FREAD | FWRITE | FNONBLOCK);
	struct pipe *pp, *npp = NULL;
	bool made = false;
	u_int gen;
	int error;

	KASSERT(vp->v_type == VFIFO);
	KASSERT(fp->f_ops == NULL);
	mutex_enter(&fifo_lock);
	if (vp->v_fifo == NULL) {
		mutex_exit(&fifo_lock);
		if ((error = pipe_create(&npp)) != 0)
			return error;
		mutex_enter(&fifo_lock);
	}
	/* A dead vnode cannot be found by a partner: fail now, or (a
	 * pipe attached before the kill) in the wait, woken by
	 * fifo_kill.  vnode_kill sets v_op before it takes fifo_lock. */
	if (vp->v_op == &dead_vnodeops) {
		mutex_exit(&fifo_lock);
		if (npp != NULL)
			pipe_destroy(npp);
		return EIO;
	}
	if (vp->v_fifo == NULL) {
		vp->v_fifo = npp;
		made = true;
		npp = NULL;
	}
	pp = vp->v_fifo;
	/* On an error nothing was counted; a pipe that was there has
	 * ends of others (it only has none under fifo_lock). */
	if ((error = pipe_fifo_open(pp, fflag, &gen)) != 0 && made) {
		vp->v_fifo = NULL;
		npp = pp;
	}
	mutex_exit(&fifo_lock);
	if (npp != NULL)
		pipe_destroy(npp);
	if (error)
		return error;

	if ((error = pipe_fifo_wait(pp, fflag, gen)) != 0) {
		fifo_close_ends(vp, fflag & (FREAD | FWRITE));
		return error;
	}
	fp->f_fifogen = gen;
	fp->f_ops = &fifo_fileops;
	return 0;
}

void
fifo_kill(struct vnode *vp)
{

	KASSERT(vp->v_type == VFIFO);
	KASSERT(vp->v_op == &dead_vnodeops);
	mutex_enter(&fifo_lock);
	if (vp->v_fifo != NULL)
		pipe_revoke(vp->v_fifo);
	mutex_exit(&fifo_lock);
}
