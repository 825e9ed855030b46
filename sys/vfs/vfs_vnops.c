/*
 * vfs_vnops.c: files that are vnodes: open, and the file operations
 * (read, write, seek, stat, ioctl, poll, advisory locks, close).
 *
 * Reads and writes through a descriptor use and advance the file's
 * offset under f_lock, so concurrent calls on one open file do not
 * interleave their offsets.  O_APPEND writes go to the end as of the
 * write itself (the file system decides where that is, under its own
 * lock), so appends from several descriptors never overwrite each
 * other.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include "vfs_private.h"

int
fd_getvnode(struct proc *p, int fd, struct file **fpp, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(p, fd, &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return EINVAL;
	}
	*fpp = fp;
	*vpp = fp->f_data;
	return 0;
}

/*
 * Open (and with RUMP_O_CREAT perhaps create) the file nd names;
 * fmode is the open flags.  Returns the vnode, referenced.
 */
int
vn_open(struct lwp *l, struct nameidata *nd, int fmode, mode_t cmode,
    struct vnode **vpp)
{
	struct proc *p = l->l_proc;
	struct vnode *vp = NULL, *dvp;
	struct vattr va;
	kauth_cred_t cred;
	int acc = 0, error;

	cred = proc_cred_hold(p);
	if (fmode & RUMP_O_CREAT) {
		nd->ni_op = NI_CREATE;
		nd->ni_flags = (fmode & (RUMP_O_EXCL | RUMP_O_NOFOLLOW)) ?
		    0 : NI_FOLLOW;
	} else {
		nd->ni_op = NI_LOOKUP;
		nd->ni_flags = (fmode & RUMP_O_NOFOLLOW) ? 0 : NI_FOLLOW;
	}
 again:
	if ((error = namei(nd)) != 0)
		goto out;
	vp = nd->ni_vp;
	dvp = nd->ni_dvp;
	if (vp == NULL) {
		/* Create it. */
		if (nd->ni_trailslash) {
			error = EISDIR;
			goto out;
		}
		if ((error = vn_access(dvp, VWRITE, cred)) != 0)
			goto out;
		vattr_null(&va);
		va.va_type = VREG;
		mutex_enter(&p->p_lock);
		va.va_mode = cmode & ~p->p_umask & 07777;
		mutex_exit(&p->p_lock);
		va.va_uid = cred->cr_euid;
		va.va_gid = cred->cr_egid;
		error = VOP_CREATE(dvp, nd->ni_name, nd->ni_namelen,
		    &va, &vp);
		if (error == EEXIST && !(fmode & RUMP_O_EXCL)) {
			/* Another thread made it since the lookup: without
			 * O_EXCL that file is the one to open. */
			namei_done(nd);
			goto again;
		}
		if (error)
			goto out;
		fmode &= ~RUMP_O_TRUNC;		/* new and empty */
	} else {
		if ((fmode & (RUMP_O_CREAT | RUMP_O_EXCL)) ==
		    (RUMP_O_CREAT | RUMP_O_EXCL)) {
			error = EEXIST;
			goto out;
		}
		if (vp->v_type == VLNK) {
			error = ELOOP;		/* O_NOFOLLOW */
			goto out;
		}
		if ((fmode & RUMP_O_DIRECTORY) && vp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		if (vp->v_type == VDIR && (fmode & (RUMP_O_ACCMODE |
		    RUMP_O_TRUNC | RUMP_O_CREAT)) != RUMP_O_RDONLY) {
			error = EISDIR;
			goto out;
		}
		if (vp->v_type == VSOCK) {
			error = EOPNOTSUPP;
			goto out;
		}
		if (vp->v_type == VCHR || vp->v_type == VBLK) {
			/* Devices are entries only, so far. */
			error = ENXIO;
			goto out;
		}
		switch (fmode & RUMP_O_ACCMODE) {
		case RUMP_O_RDONLY: acc = VREAD; break;
		case RUMP_O_WRONLY: acc = VWRITE; break;
		case RUMP_O_RDWR: acc = VREAD | VWRITE; break;
		default: error = EINVAL; goto out;
		}
		if (fmode & RUMP_O_TRUNC)
			acc |= VWRITE;
		if ((error = vn_access(vp, acc, cred)) != 0)
			goto out;
	}
	if ((fmode & RUMP_O_TRUNC) && vp->v_type == VREG) {
		vattr_null(&va);
		va.va_size = 0;
		if ((error = VOP_SETATTR(vp, &va)) != 0)
			goto out;
	}
	nd->ni_vp = NULL;
	*vpp = vp;
	vp = NULL;
 out:
	if (vp != NULL && vp != nd->ni_vp)
		vrele(vp);
	namei_done(nd);
	kauth_cred_free(cred);
	return error;
}

static int
vn_read(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_data;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (flags & FOF_UPDATE_OFFSET) {
		mutex_enter(&fp->f_lock);
		uio->uio_offset = fp->f_offset;
	}
	error = VOP_READ(vp, uio, 0);
	if (flags & FOF_UPDATE_OFFSET) {
		fp->f_offset = uio->uio_offset;
		mutex_exit(&fp->f_lock);
	}
	return error;
}

static int
vn_write(struct file *fp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_data;
	int ioflag = 0, error;

	if (flags & FOF_UPDATE_OFFSET) {
		mutex_enter(&fp->f_lock);
		uio->uio_offset = fp->f_offset;
	}
	if (fp->f_flag & FAPPEND)
		ioflag |= IO_APPEND;
	error = VOP_WRITE(vp, uio, ioflag);
	if (flags & FOF_UPDATE_OFFSET) {
		fp->f_offset = uio->uio_offset;
		mutex_exit(&fp->f_lock);
	}
	return error;
}

int	vn_stat(struct vnode *, struct rump_stat *);

int
vn_stat(struct vnode *vp, struct rump_stat *st)
{
	static const mode_t ifmt[] = {
		[VREG] = RUMP_S_IFREG, [VDIR] = RUMP_S_IFDIR,
		[VBLK] = RUMP_S_IFBLK, [VCHR] = RUMP_S_IFCHR,
		[VLNK] = RUMP_S_IFLNK, [VSOCK] = RUMP_S_IFSOCK,
		[VFIFO] = RUMP_S_IFIFO,
	};
	struct vattr va;
	int error;

	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return error;
	memset(st, 0, sizeof(*st));
	st->st_dev = va.va_fsid;
	st->st_ino = va.va_fileid;
	st->st_mode = (va.va_type < __arraycount(ifmt) ? ifmt[va.va_type] :
	    0) | (va.va_mode & 07777);
	st->st_nlink = va.va_nlink;
	st->st_uid = va.va_uid;
	st->st_gid = va.va_gid;
	st->st_rdev = va.va_rdev;
	st->st_size = va.va_size;
	st->st_blocks = (int64_t)howmany(va.va_bytes, 512);
	st->st_blksize = (int32_t)va.va_blocksize;
	st->st_atim = va.va_atime;
	st->st_mtim = va.va_mtime;
	st->st_ctim = va.va_ctime;
	st->st_birthtim = va.va_birthtime;
	return 0;
}

int
vn_fstat(struct file *fp, struct rump_stat *st)
{

	return vn_stat(fp->f_data, st);
}

static int
vn_seek(struct file *fp, off_t off, int whence, off_t *res)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	off_t base, newoff;
	int error = 0;

	mutex_enter(&fp->f_lock);
	switch (whence) {
	case RUMP_SEEK_SET:
		base = 0;
		break;
	case RUMP_SEEK_CUR:
		base = fp->f_offset;
		break;
	case RUMP_SEEK_END:
		if ((error = VOP_GETATTR(vp, &va)) != 0)
			goto out;
		base = va.va_size;
		break;
	case RUMP_SEEK_DATA:
	case RUMP_SEEK_HOLE:
		if (vp->v_type != VREG) {
			error = EINVAL;
			goto out;
		}
		error = VOP_SEEK(vp, off, whence, &newoff);
		if (error == EOPNOTSUPP) {
			/* Without help: all data, one hole at the end. */
			if ((error = VOP_GETATTR(vp, &va)) != 0)
				goto out;
			if (off < 0 || off >= va.va_size)
				error = ENXIO;
			newoff = whence == RUMP_SEEK_DATA ? off : va.va_size;
		}
		if (error == 0)
			fp->f_offset = *res = newoff;
		goto out;
	default:
		error = EINVAL;
		goto out;
	}
	if ((off > 0 && base > INT64_MAX - off) ||
	    (newoff = base + off) < 0) {
		error = (off > 0) ? EOVERFLOW : EINVAL;
		goto out;
	}
	fp->f_offset = *res = newoff;
 out:
	mutex_exit(&fp->f_lock);
	return error;
}

static int
vn_ioctl(struct file *fp, u_long cmd, void *data)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int error, n;

	if (cmd != RUMP_FIONREAD || vp->v_type != VREG)
		return ENOTTY;
	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return error;
	mutex_enter(&fp->f_lock);
	n = va.va_size > fp->f_offset ?
	    (int)MIN(va.va_size - fp->f_offset, INT_MAX) : 0;
	mutex_exit(&fp->f_lock);
	return copyout(&n, data, sizeof(n));
}

static int
vn_poll(struct file *fp __unused, int events)
{

	/* Regular files and directories never block. */
	return events & (RUMP_POLLIN | RUMP_POLLRDNORM | RUMP_POLLOUT);
}

int
vn_advlock(struct file *fp, int cmd, struct rump_flock *fl, int flags)
{
	struct lwp *l = curlwp;
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int error;

	if (!(flags & ADVLOCK_FLOCK)) {
		/* Make the range absolute. */
		switch (fl->l_whence) {
		case RUMP_SEEK_SET:
			break;
		case RUMP_SEEK_CUR:
			mutex_enter(&fp->f_lock);
			fl->l_start += fp->f_offset;
			mutex_exit(&fp->f_lock);
			break;
		case RUMP_SEEK_END:
			if ((error = VOP_GETATTR(vp, &va)) != 0)
				return error;
			fl->l_start += va.va_size;
			break;
		default:
			return EINVAL;
		}
		fl->l_whence = RUMP_SEEK_SET;
	}
	if (flags & ADVLOCK_FLOCK)
		return lf_advlock(vp, fp, cmd, fl, true, l->l_proc->p_pid);
	return lf_advlock(vp, l->l_proc, cmd, fl, false, l->l_proc->p_pid);
}

static int
vn_closefile(struct file *fp)
{

	vrele(fp->f_data);
	return 0;
}

const struct fileops vnops = {
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_poll = vn_poll,
	.fo_stat = vn_fstat,
	.fo_seek = vn_seek,
	.fo_advlock = vn_advlock,
	.fo_close = vn_closefile,
};
