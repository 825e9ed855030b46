/*
 * kern_descrip.c: descriptor tables and the calls that manage them:
 * close, dup, dup2, dup3, fcntl, flock.
 *
 * A table holds RUMP_OPEN_MAX slots; a new descriptor takes the lowest
 * free one (EMFILE when none).  falloc() reserves a slot with a NULL
 * entry and a fresh file; fd_install() publishes it once the file is
 * ready, fd_abort() gives both back.  A file's reference count is
 * atomic; closef() frees the file with its last reference.
 *
 * rump_lwproc_rfork() flags: RFFDG copies the parent's table, RFCFDG
 * starts empty, neither shares the parent's table.
 *
 * Locking: fd_lock over a table's slots.  A file's flags and offset
 * are under f_lock.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include "syscallargs.h"

#define FD_RESERVED	((struct file *)-1)	/* falloc'd, not installed */

static struct filedesc *
filedesc_alloc(void)
{
	struct filedesc *fdp;

	if ((fdp = kmem_zalloc(sizeof(*fdp), KM_SLEEP)) == NULL)
		return NULL;
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT, IPL_NONE);
	fdp->fd_refcnt = 1;
	return fdp;
}

int
filedesc_create(struct proc *p, struct proc *parent, int flags)
{
	struct filedesc *fdp, *pfdp;
	int i;

	if (parent == NULL || (flags & RUMP_RFCFDG)) {
		if ((p->p_fd = filedesc_alloc()) == NULL)
			return ENOMEM;
		return 0;
	}
	pfdp = parent->p_fd;
	if ((flags & RUMP_RFFDG) == 0) {
		atomic_inc_nv(&pfdp->fd_refcnt);
		p->p_fd = pfdp;
		return 0;
	}
	if ((fdp = filedesc_alloc()) == NULL)
		return ENOMEM;
	mutex_enter(&pfdp->fd_lock);
	for (i = 0; i < RUMP_OPEN_MAX; i++) {
		struct file *fp = pfdp->fd_ofiles[i];

		if (fp == NULL || fp == FD_RESERVED)
			continue;
		atomic_inc_nv(&fp->f_count);
		fdp->fd_ofiles[i] = fp;
		fdp->fd_oflags[i] = pfdp->fd_oflags[i];
	}
	mutex_exit(&pfdp->fd_lock);
	p->p_fd = fdp;
	return 0;
}

/*
 * POSIX: closing a descriptor drops the calling process's fcntl locks
 * on the file, however many other descriptors it still has for it.
 */
static void
fd_unlock_posix(struct file *fp)
{
	struct rump_flock fl;

	if (fp->f_ops->fo_advlock == NULL)
		return;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = RUMP_F_UNLCK;
	fp->f_ops->fo_advlock(fp, RUMP_F_SETLK, &fl, 0);
}

/*
 * And they go when it exits, whoever else still has the files open.
 * The owner of those locks is the calling LWP's process, so this runs
 * only in the exiting process's own context (a process that fails to
 * be created never had any).
 */
static void
fd_unlock_all(struct proc *p, struct filedesc *fdp)
{
	struct file *fp;
	int i;

	if (curlwp == NULL || curlwp->l_proc != p)
		return;
	for (i = 0; i < RUMP_OPEN_MAX; i++) {
		mutex_enter(&fdp->fd_lock);
		fp = fdp->fd_ofiles[i];
		if (fp == NULL || fp == FD_RESERVED ||
		    fp->f_ops->fo_advlock == NULL) {
			mutex_exit(&fdp->fd_lock);
			continue;
		}
		atomic_inc_nv(&fp->f_count);
		mutex_exit(&fdp->fd_lock);
		fd_unlock_posix(fp);
		closef(fp);
	}
}

void
filedesc_release(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;
	int i;

	if (fdp == NULL)
		return;
	fd_unlock_all(p, fdp);
	p->p_fd = NULL;
	if (atomic_dec_nv(&fdp->fd_refcnt) > 0)
		return;
	for (i = 0; i < RUMP_OPEN_MAX; i++) {
		fp = fdp->fd_ofiles[i];
		if (fp != NULL && fp != FD_RESERVED)
			closef(fp);
	}
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp, sizeof(*fdp));
}

/* Lowest free slot at or above minfd; d held. */
static int
fd_alloc_slot(struct filedesc *fdp, int minfd, int *fdpp)
{
	int i;

	KASSERT(mutex_owned(&fdp->fd_lock));
	for (i = minfd; i < RUMP_OPEN_MAX; i++) {
		if (fdp->fd_ofiles[i] == NULL) {
			*fdpp = i;
			return 0;
		}
	}
	return EMFILE;
}

int
falloc(struct lwp *l, struct file **fpp, int *fdpp)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct file *fp;
	int error, fd;

	if ((fp = kmem_zalloc(sizeof(*fp), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_enter(&fdp->fd_lock);
	error = fd_alloc_slot(fdp, 0, &fd);
	if (error == 0)
		fdp->fd_ofiles[fd] = FD_RESERVED;
	mutex_exit(&fdp->fd_lock);
	if (error) {
		kmem_free(fp, sizeof(*fp));
		return error;
	}
	mutex_init(&fp->f_lock, MUTEX_DEFAULT, IPL_NONE);
	fp->f_count = 1;
	fp->f_cred = proc_cred_hold(l->l_proc);
	*fpp = fp;
	*fdpp = fd;
	return 0;
}

void
fd_install(struct proc *p, int fd, struct file *fp, int uflags)
{
	struct filedesc *fdp = p->p_fd;

	mutex_enter(&fdp->fd_lock);
	KASSERT(fdp->fd_ofiles[fd] == FD_RESERVED);
	fdp->fd_ofiles[fd] = fp;
	fdp->fd_oflags[fd] = (uint8_t)uflags;
	mutex_exit(&fdp->fd_lock);
}

/* Undo falloc for a file that never got its operations. */
void
fd_abort(struct proc *p, int fd, struct file *fp)
{
	struct filedesc *fdp = p->p_fd;

	mutex_enter(&fdp->fd_lock);
	KASSERT(fdp->fd_ofiles[fd] == FD_RESERVED);
	fdp->fd_ofiles[fd] = NULL;
	mutex_exit(&fdp->fd_lock);
	if (fp->f_ops == NULL) {
		kauth_cred_free(fp->f_cred);
		mutex_destroy(&fp->f_lock);
		kmem_free(fp, sizeof(*fp));
	} else
		closef(fp);
}

/* The open file in slot fd, with fd_lock held on success. */
static struct file *
fd_slot_enter(struct filedesc *fdp, int fd)
{
	struct file *fp;

	if (fd < 0 || fd >= RUMP_OPEN_MAX)
		return NULL;
	mutex_enter(&fdp->fd_lock);
	fp = fdp->fd_ofiles[fd];
	if (fp == NULL || fp == FD_RESERVED) {
		mutex_exit(&fdp->fd_lock);
		return NULL;
	}
	return fp;
}

int
fd_getfile(struct proc *p, int fd, struct file **fpp)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;

	if ((fp = fd_slot_enter(fdp, fd)) == NULL)
		return EBADF;
	atomic_inc_nv(&fp->f_count);
	mutex_exit(&fdp->fd_lock);
	*fpp = fp;
	return 0;
}

void
fd_putfile(struct file *fp)
{

	closef(fp);
}

int
closef(struct file *fp)
{
	struct rump_flock fl;
	int error = 0;

	if (atomic_dec_nv(&fp->f_count) > 0)
		return 0;
	if ((fp->f_flag & FHASLOCK) && fp->f_ops->fo_advlock != NULL) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = RUMP_F_UNLCK;
		fp->f_ops->fo_advlock(fp, RUMP_F_SETLK, &fl, ADVLOCK_FLOCK);
	}
	if (fp->f_ops != NULL)
		error = fp->f_ops->fo_close(fp);
	kauth_cred_free(fp->f_cred);
	mutex_destroy(&fp->f_lock);
	kmem_free(fp, sizeof(*fp));
	return error;
}

int
fd_close(struct proc *p, int fd)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;

	if ((fp = fd_slot_enter(fdp, fd)) == NULL)
		return EBADF;
	fdp->fd_ofiles[fd] = NULL;
	fdp->fd_oflags[fd] = 0;
	mutex_exit(&fdp->fd_lock);
	fd_unlock_posix(fp);
	selnotify();
	return closef(fp);
}

/* A new descriptor >= minfd for fp (which gains a reference). */
int
fd_dup(struct proc *p, struct file *fp, int minfd, int uflags, int *newfd)
{
	struct filedesc *fdp = p->p_fd;
	int error, fd;

	if (minfd < 0 || minfd >= RUMP_OPEN_MAX)
		return EINVAL;
	mutex_enter(&fdp->fd_lock);
	if ((error = fd_alloc_slot(fdp, minfd, &fd)) == 0) {
		atomic_inc_nv(&fp->f_count);
		fdp->fd_ofiles[fd] = fp;
		fdp->fd_oflags[fd] = (uint8_t)uflags;
		*newfd = fd;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
sys_close(struct lwp *l, const struct sys_close_args *uap,
    register_t *retval __unused)
{

	return fd_close(l->l_proc, SCARG(uap, fd));
}

int
sys_dup(struct lwp *l, const struct sys_dup_args *uap, register_t *retval)
{
	struct file *fp;
	int error, fd;

	if ((error = fd_getfile(l->l_proc, SCARG(uap, fd), &fp)) != 0)
		return error;
	error = fd_dup(l->l_proc, fp, 0, 0, &fd);
	fd_putfile(fp);
	if (error == 0)
		retval[0] = fd;
	return error;
}

static int
dup_to(struct proc *p, int old, int new, int flags, register_t *retval)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp, *victim;
	int error;

	if ((error = fd_getfile(p, old, &fp)) != 0)
		return error;
	if (new < 0 || new >= RUMP_OPEN_MAX) {
		fd_putfile(fp);
		return EBADF;
	}
	if (old == new) {
		fd_putfile(fp);
		retval[0] = new;
		return 0;
	}
	mutex_enter(&fdp->fd_lock);
	victim = fdp->fd_ofiles[new];
	if (victim == FD_RESERVED) {
		mutex_exit(&fdp->fd_lock);
		fd_putfile(fp);
		return EBUSY;
	}
	fdp->fd_ofiles[new] = fp;	/* our reference moves here */
	fdp->fd_oflags[new] = (flags & RUMP_O_CLOEXEC) ? UF_EXCLOSE : 0;
	mutex_exit(&fdp->fd_lock);
	if (victim != NULL) {
		/* The descriptor replaced is closed, as by close(). */
		fd_unlock_posix(victim);
		selnotify();
		closef(victim);
	}
	retval[0] = new;
	return 0;
}

int
sys_dup2(struct lwp *l, const struct sys_dup2_args *uap, register_t *retval)
{

	return dup_to(l->l_proc, SCARG(uap, from), SCARG(uap, to), 0, retval);
}

int
sys_dup3(struct lwp *l, const struct sys_dup3_args *uap, register_t *retval)
{

	if (SCARG(uap, flags) & ~RUMP_O_CLOEXEC)
		return EINVAL;
	if (SCARG(uap, from) == SCARG(uap, to))
		return EINVAL;
	return dup_to(l->l_proc, SCARG(uap, from), SCARG(uap, to),
	    SCARG(uap, flags), retval);
}

int
sys_fcntl(struct lwp *l, const struct sys_fcntl_args *uap, register_t *retval)
{
	struct proc *p = l->l_proc;
	struct filedesc *fdp = p->p_fd;
	struct rump_flock fl;
	struct file *fp;
	int fd = SCARG(uap, fd), cmd = SCARG(uap, cmd), error, nfd;
	long arg = (long)SCARG(uap, arg);

	if ((error = fd_getfile(p, fd, &fp)) != 0)
		return error;
	switch (cmd) {
	case RUMP_F_DUPFD:
	case RUMP_F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= RUMP_OPEN_MAX) {
			error = EINVAL;
			break;
		}
		error = fd_dup(p, fp, (int)arg, cmd == RUMP_F_DUPFD_CLOEXEC ?
		    UF_EXCLOSE : 0, &nfd);
		if (error == 0)
			retval[0] = nfd;
		break;
	case RUMP_F_GETFD:
		mutex_enter(&fdp->fd_lock);
		retval[0] = (fdp->fd_oflags[fd] & UF_EXCLOSE) ?
		    RUMP_FD_CLOEXEC : 0;
		mutex_exit(&fdp->fd_lock);
		break;
	case RUMP_F_SETFD:
		mutex_enter(&fdp->fd_lock);
		if (arg & RUMP_FD_CLOEXEC)
			fdp->fd_oflags[fd] |= UF_EXCLOSE;
		else
			fdp->fd_oflags[fd] &= ~UF_EXCLOSE;
		mutex_exit(&fdp->fd_lock);
		break;
	case RUMP_F_GETFL:
		mutex_enter(&fp->f_lock);
		retval[0] = (fp->f_flag & (FNONBLOCK | FAPPEND)) |
		    ((fp->f_flag & (FREAD | FWRITE)) == (FREAD | FWRITE) ?
		    RUMP_O_RDWR : (fp->f_flag & FWRITE) ? RUMP_O_WRONLY :
		    RUMP_O_RDONLY);
		mutex_exit(&fp->f_lock);
		break;
	case RUMP_F_SETFL:
		mutex_enter(&fp->f_lock);
		fp->f_flag = (fp->f_flag & ~(FNONBLOCK | FAPPEND)) |
		    ((u_int)arg & (FNONBLOCK | FAPPEND));
		mutex_exit(&fp->f_lock);
		break;
	case RUMP_F_GETLK:
	case RUMP_F_SETLK:
	case RUMP_F_SETLKW:
		if (fp->f_ops->fo_advlock == NULL) {
			error = EINVAL;
			break;
		}
		error = copyin((const void *)arg, &fl, sizeof(fl));
		if (error)
			break;
		if (cmd != RUMP_F_GETLK && ((fl.l_type == RUMP_F_RDLCK &&
		    !(fp->f_flag & FREAD)) || (fl.l_type == RUMP_F_WRLCK &&
		    !(fp->f_flag & FWRITE)))) {
			error = EBADF;
			break;
		}
		error = fp->f_ops->fo_advlock(fp, cmd, &fl, 0);
		if (error == 0 && cmd == RUMP_F_GETLK)
			error = copyout(&fl, (void *)arg, sizeof(fl));
		break;
	default:
		error = EINVAL;
	}
	fd_putfile(fp);
	return error;
}

int
sys_flock(struct lwp *l, const struct sys_flock_args *uap,
    register_t *retval __unused)
{
	struct rump_flock fl;
	struct file *fp;
	int how = SCARG(uap, how), error;

	if ((error = fd_getfile(l->l_proc, SCARG(uap, fd), &fp)) != 0)
		return error;
	memset(&fl, 0, sizeof(fl));
	switch (how & ~RUMP_LOCK_NB) {
	case RUMP_LOCK_SH:
		fl.l_type = RUMP_F_RDLCK;
		break;
	case RUMP_LOCK_EX:
		fl.l_type = RUMP_F_WRLCK;
		break;
	case RUMP_LOCK_UN:
		fl.l_type = RUMP_F_UNLCK;
		break;
	default:
		error = EINVAL;
	}
	if (error == 0 && fp->f_ops->fo_advlock == NULL)
		error = EOPNOTSUPP;
	if (error == 0) {
		error = fp->f_ops->fo_advlock(fp, (how & RUMP_LOCK_NB) ?
		    RUMP_F_SETLK : RUMP_F_SETLKW, &fl, ADVLOCK_FLOCK);
		/* flock(2) reports a conflict as EWOULDBLOCK. */
		if (error == EACCES)
			error = EWOULDBLOCK;
		mutex_enter(&fp->f_lock);
		if (error == 0 && fl.l_type != RUMP_F_UNLCK)
			fp->f_flag |= FHASLOCK;
		else if (fl.l_type == RUMP_F_UNLCK)
			fp->f_flag &= ~FHASLOCK;
		mutex_exit(&fp->f_lock);
	}
	fd_putfile(fp);
	return error;
}
