/*
 * vfs_syscalls.c: the file-system system calls.
 *
 * Each resolves its path (namei), checks permissions against the
 * calling process's credentials, and calls the file system.  The
 * *at() forms resolve relative paths from a directory descriptor.
 * Where POSIX leaves a choice the BSD answer is taken: unlink of a
 * directory is EPERM, link() does not follow a final symlink.
 *
 * Locking: none here but vfs_rename_lock, which serialises renames so
 * that the "not into its own subtree" check stays true until done.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include "vfs_private.h"
#include "syscallargs.h"

kmutex_t vfs_rename_lock;

int	vn_stat(struct vnode *, struct rump_stat *);

static void
nd_init(struct nameidata *nd, const char *upath, int op, int flags, int atfd)
{

	memset(nd, 0, sizeof(*nd));
	nd->ni_upath = upath;
	nd->ni_op = op;
	nd->ni_flags = flags;
	nd->ni_atfd = atfd;
}

/* Look a path up and return its vnode, referenced. */
static int
lookup_vnode(const char *upath, int atfd, bool follow, struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	nd_init(&nd, upath, NI_LOOKUP, follow ? NI_FOLLOW : 0, atfd);
	if ((error = namei(&nd)) != 0)
		return error;
	*vpp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	return 0;
}

static mode_t
apply_umask(struct proc *p, mode_t mode)
{
	mode_t m;

	mutex_enter(&p->p_lock);
	m = mode & ~p->p_umask & 07777;
	mutex_exit(&p->p_lock);
	return m;
}

/* ---- open ---- */

static int
do_open(struct lwp *l, int atfd, const char *upath, int flags, mode_t mode,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	struct nameidata nd;
	struct file *fp;
	struct vnode *vp;
	int fd, error;

	if ((flags & RUMP_O_ACCMODE) == RUMP_O_ACCMODE)
		return EINVAL;
	if ((error = falloc(l, &fp, &fd)) != 0)
		return error;
	nd_init(&nd, upath, NI_LOOKUP, 0, atfd);
	if ((error = vn_open(l, &nd, flags, mode, &vp)) != 0) {
		fd_abort(p, fd, fp);
		return error;
	}
	switch (flags & RUMP_O_ACCMODE) {
	case RUMP_O_RDONLY: fp->f_flag = FREAD; break;
	case RUMP_O_WRONLY: fp->f_flag = FWRITE; break;
	default: fp->f_flag = FREAD | FWRITE; break;
	}
	fp->f_flag |= flags & (FNONBLOCK | FAPPEND);
	fp->f_type = DTYPE_VNODE;
	fp->f_data = vp;
	if (vp->v_type == VFIFO) {
		/* May wait for the other side; sets the FIFO's ops. */
		if ((error = fifo_open(vp, fp)) != 0) {
			fd_abort(p, fd, fp);
			vrele(vp);
			return error;
		}
	} else
		fp->f_ops = &vnops;
	fd_install(p, fd, fp, (flags & RUMP_O_CLOEXEC) ? UF_EXCLOSE : 0);
	retval[0] = fd;
	return 0;
}

int
sys_open(struct lwp *l, const struct sys_open_args *uap, register_t *retval)
{

	return do_open(l, RUMP_AT_FDCWD, SCARG(uap, path), SCARG(uap, flags),
	    SCARG(uap, mode), retval);
}

int
sys_openat(struct lwp *l, const struct sys_openat_args *uap,
    register_t *retval)
{

	return do_open(l, SCARG(uap, fd), SCARG(uap, path), SCARG(uap, flags),
	    SCARG(uap, mode), retval);
}

/* ---- stat, access ---- */

static int
do_stat(int atfd, const char *upath, struct rump_stat *usb, bool follow)
{
	struct rump_stat st;
	struct vnode *vp;
	int error;

	if ((error = lookup_vnode(upath, atfd, follow, &vp)) != 0)
		return error;
	error = vn_stat(vp, &st);
	vrele(vp);
	if (error == 0)
		error = copyout(&st, usb, sizeof(st));
	return error;
}

int
sys_stat(struct lwp *l __unused, const struct sys_stat_args *uap,
    register_t *retval __unused)
{

	return do_stat(RUMP_AT_FDCWD, SCARG(uap, path), SCARG(uap, sb), true);
}

int
sys_lstat(struct lwp *l __unused, const struct sys_lstat_args *uap,
    register_t *retval __unused)
{

	return do_stat(RUMP_AT_FDCWD, SCARG(uap, path), SCARG(uap, sb), false);
}

int
sys_fstatat(struct lwp *l __unused, const struct sys_fstatat_args *uap,
    register_t *retval __unused)
{

	if (SCARG(uap, flag) & ~RUMP_AT_SYMLINK_NOFOLLOW)
		return EINVAL;
	return do_stat(SCARG(uap, fd), SCARG(uap, path), SCARG(uap, sb),
	    !(SCARG(uap, flag) & RUMP_AT_SYMLINK_NOFOLLOW));
}

static int
do_access(struct lwp *l, int atfd, const char *upath, int mode, int flag)
{
	kauth_cred_t cred, rcred;
	struct vnode *vp;
	int error, acc = 0;

	if (mode & ~(RUMP_R_OK | RUMP_W_OK | RUMP_X_OK))
		return EINVAL;
	if (flag & ~(RUMP_AT_EACCESS | RUMP_AT_SYMLINK_NOFOLLOW))
		return EINVAL;
	cred = proc_cred_hold(l->l_proc);
	/* access() checks with the real ids. */
	if (!(flag & RUMP_AT_EACCESS)) {
		error = kauth_cred_dup(cred, &rcred);
		kauth_cred_free(cred);
		if (error)
			return error;
		rcred->cr_euid = rcred->cr_uid;
		rcred->cr_egid = rcred->cr_gid;
		cred = rcred;
	}
	error = lookup_vnode(upath, atfd, !(flag & RUMP_AT_SYMLINK_NOFOLLOW),
	    &vp);
	if (error == 0) {
		if (mode & RUMP_R_OK)
			acc |= VREAD;
		if (mode & RUMP_W_OK)
			acc |= VWRITE;
		if (mode & RUMP_X_OK)
			acc |= VEXEC;
		if (acc != 0)
			error = vn_access(vp, acc, cred);
		vrele(vp);
	}
	kauth_cred_free(cred);
	return error;
}

int
sys_access(struct lwp *l, const struct sys_access_args *uap,
    register_t *retval __unused)
{

	return do_access(l, RUMP_AT_FDCWD, SCARG(uap, path), SCARG(uap, mode),
	    0);
}

int
sys_faccessat(struct lwp *l, const struct sys_faccessat_args *uap,
    register_t *retval __unused)
{

	return do_access(l, SCARG(uap, fd), SCARG(uap, path), SCARG(uap, mode),
	    SCARG(uap, flag));
}

/* ---- making things ---- */

/* Create a node of type (with va_mode, va_rdev set) at upath. */
static int
do_mknode(struct lwp *l, int atfd, const char *upath, struct vattr *va,
    const char *target)
{
	struct nameidata nd;
	struct vnode *vp = NULL;
	kauth_cred_t cred;
	int error;

	nd_init(&nd, upath, NI_CREATE, 0, atfd);
	if ((error = namei(&nd)) != 0)
		return error;
	cred = proc_cred_hold(l->l_proc);
	if (nd.ni_vp != NULL) {
		error = EEXIST;
		goto out;
	}
	if (nd.ni_trailslash && va->va_type != VDIR) {
		error = ENOENT;
		goto out;
	}
	if ((error = vn_access(nd.ni_dvp, VWRITE, cred)) != 0)
		goto out;
	va->va_uid = cred->cr_euid;
	va->va_gid = cred->cr_egid;
	if (target != NULL)
		error = VOP_SYMLINK(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, va, target, &vp);
	else
		error = VOP_CREATE(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, va, &vp);
	if (error == 0)
		vrele(vp);
 out:
	kauth_cred_free(cred);
	namei_done(&nd);
	return error;
}

static int
do_mkdir(struct lwp *l, int atfd, const char *upath, mode_t mode)
{
	struct vattr va;

	vattr_null(&va);
	va.va_type = VDIR;
	va.va_mode = apply_umask(l->l_proc, mode);
	return do_mknode(l, atfd, upath, &va, NULL);
}

int
sys_mkdir(struct lwp *l, const struct sys_mkdir_args *uap,
    register_t *retval __unused)
{

	return do_mkdir(l, RUMP_AT_FDCWD, SCARG(uap, path), SCARG(uap, mode));
}

int
sys_mkdirat(struct lwp *l, const struct sys_mkdirat_args *uap,
    register_t *retval __unused)
{

	return do_mkdir(l, SCARG(uap, fd), SCARG(uap, path), SCARG(uap, mode));
}

static int
do_mknod(struct lwp *l, int atfd, const char *upath, mode_t mode, dev_t dev)
{
	struct vattr va;
	kauth_cred_t cred;
	int error = 0;

	vattr_null(&va);
	switch (mode & RUMP_S_IFMT) {
	case RUMP_S_IFIFO:
		va.va_type = VFIFO;
		break;
	case 0:
	case RUMP_S_IFREG:
		va.va_type = VREG;
		break;
	case RUMP_S_IFCHR:
		va.va_type = VCHR;
		break;
	case RUMP_S_IFBLK:
		va.va_type = VBLK;
		break;
	case RUMP_S_IFSOCK:
		va.va_type = VSOCK;
		break;
	default:
		return EINVAL;
	}
	if (va.va_type == VCHR || va.va_type == VBLK) {
		cred = proc_cred_hold(l->l_proc);
		error = kauth_authorize_super(cred);
		kauth_cred_free(cred);
		if (error)
			return error;
	}
	va.va_mode = apply_umask(l->l_proc, mode);
	va.va_rdev = dev;
	return do_mknode(l, atfd, upath, &va, NULL);
}

int
sys_mknod(struct lwp *l, const struct sys_mknod_args *uap,
    register_t *retval __unused)
{

	return do_mknod(l, RUMP_AT_FDCWD, SCARG(uap, path), SCARG(uap, mode),
	    SCARG(uap, dev));
}

int
sys_mknodat(struct lwp *l, const struct sys_mknodat_args *uap,
    register_t *retval __unused)
{

	return do_mknod(l, SCARG(uap, fd), SCARG(uap, path), SCARG(uap, mode),
	    SCARG(uap, dev));
}

int
sys_mkfifo(struct lwp *l, const struct sys_mkfifo_args *uap,
    register_t *retval __unused)
{

	return do_mknod(l, RUMP_AT_FDCWD, SCARG(uap, path),
	    (SCARG(uap, mode) & 07777) | RUMP_S_IFIFO, 0);
}

int
sys_mkfifoat(struct lwp *l, const struct sys_mkfifoat_args *uap,
    register_t *retval __unused)
{

	return do_mknod(l, SCARG(uap, fd), SCARG(uap, path),
	    (SCARG(uap, mode) & 07777) | RUMP_S_IFIFO, 0);
}

static int
do_symlink(struct lwp *l, const char *utarget, int atfd, const char *upath)
{
	struct vattr va;
	char *target;
	int error;

	if ((target = kmem_alloc(RUMP_PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(utarget, target, RUMP_PATH_MAX, NULL);
	if (error == 0) {
		vattr_null(&va);
		va.va_type = VLNK;
		va.va_mode = 0777;
		error = do_mknode(l, atfd, upath, &va, target);
	}
	kmem_free(target, RUMP_PATH_MAX);
	return error;
}

int
sys_symlink(struct lwp *l, const struct sys_symlink_args *uap,
    register_t *retval __unused)
{

	return do_symlink(l, SCARG(uap, path), RUMP_AT_FDCWD, SCARG(uap, link));
}

int
sys_symlinkat(struct lwp *l, const struct sys_symlinkat_args *uap,
    register_t *retval __unused)
{

	return do_symlink(l, SCARG(uap, path1), SCARG(uap, fd),
	    SCARG(uap, path2));
}

static int
do_link(struct lwp *l, int fd1, const char *upath, int fd2, const char *ulink,
    bool follow)
{
	struct nameidata nd;
	struct vnode *vp;
	kauth_cred_t cred;
	int error;

	if ((error = lookup_vnode(upath, fd1, follow, &vp)) != 0)
		return error;
	if (vp->v_type == VDIR) {
		vrele(vp);
		return EPERM;
	}
	nd_init(&nd, ulink, NI_CREATE, 0, fd2);
	if ((error = namei(&nd)) != 0) {
		vrele(vp);
		return error;
	}
	cred = proc_cred_hold(l->l_proc);
	if (nd.ni_vp != NULL)
		error = EEXIST;
	else if (nd.ni_trailslash)
		error = ENOENT;
	else if (nd.ni_dvp->v_mount != vp->v_mount)
		error = EXDEV;
	else if ((error = vn_access(nd.ni_dvp, VWRITE, cred)) == 0)
		error = VOP_LINK(nd.ni_dvp, vp, nd.ni_name,
		    nd.ni_namelen);
	kauth_cred_free(cred);
	namei_done(&nd);
	vrele(vp);
	return error;
}

int
sys_link(struct lwp *l, const struct sys_link_args *uap,
    register_t *retval __unused)
{

	return do_link(l, RUMP_AT_FDCWD, SCARG(uap, path), RUMP_AT_FDCWD,
	    SCARG(uap, link), false);
}

int
sys_linkat(struct lwp *l, const struct sys_linkat_args *uap,
    register_t *retval __unused)
{

	if (SCARG(uap, flags) & ~RUMP_AT_SYMLINK_FOLLOW)
		return EINVAL;
	return do_link(l, SCARG(uap, fd1), SCARG(uap, name1), SCARG(uap, fd2),
	    SCARG(uap, name2), SCARG(uap, flags) & RUMP_AT_SYMLINK_FOLLOW);
}

/* ---- removing ---- */

static bool
vn_is_busy_dir(struct proc *p, struct vnode *vp)
{
	struct vnode *rdir;
	bool busy;

	if (vp->v_vflag & VV_ROOT || vp->v_mountedhere != NULL)
		return true;
	cwdi_get(p, NULL, &rdir);
	busy = vp == rdir;
	if (rdir != NULL)
		vrele(rdir);
	return busy;
}

static int
do_remove(struct lwp *l, int atfd, const char *upath, bool dir)
{
	struct nameidata nd;
	struct vnode *vp, *dvp;
	kauth_cred_t cred;
	int error;

	/* ERESTART from the file system: the name changed between the
	 * lookup and the removal (another thread renamed over it); forget
	 * what the name cache says and look again, so that the call sees
	 * one state of the directory. */
 again:
	nd_init(&nd, upath, NI_DELETE, 0, atfd);
	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.ni_vp;
	dvp = nd.ni_dvp;
	cred = proc_cred_hold(l->l_proc);
	if (dir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!dir && vp->v_type == VDIR)
		error = EPERM;
	else if (dir && vn_is_busy_dir(l->l_proc, vp))
		error = EBUSY;
	else if ((error = vn_access(dvp, VWRITE, cred)) == 0 &&
	    (error = vn_sticky_ok(dvp, vp, cred)) == 0)
		error = VOP_REMOVE(dvp, vp, nd.ni_name,
		    nd.ni_namelen);
	if (error == 0 || error == ERESTART)
		cache_purge_name(dvp, nd.ni_name, nd.ni_namelen);
	kauth_cred_free(cred);
	namei_done(&nd);
	if (error == ERESTART)
		goto again;
	return error;
}

int
sys_rmdir(struct lwp *l, const struct sys_rmdir_args *uap,
    register_t *retval __unused)
{

	return do_remove(l, RUMP_AT_FDCWD, SCARG(uap, path), true);
}

int
sys_unlink(struct lwp *l, const struct sys_unlink_args *uap,
    register_t *retval __unused)
{

	return do_remove(l, RUMP_AT_FDCWD, SCARG(uap, path), false);
}

int
sys_unlinkat(struct lwp *l, const struct sys_unlinkat_args *uap,
    register_t *retval __unused)
{

	if (SCARG(uap, flag) & ~RUMP_AT_REMOVEDIR)
		return EINVAL;
	return do_remove(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, flag) & RUMP_AT_REMOVEDIR);
}

/* ---- rename ---- */

/* Is dir fvp an ancestor of (or the same as) vp?  vfs_rename_lock held. */
static int
vn_is_ancestor(struct vnode *fvp, struct vnode *vp, bool *res)
{
	struct vnode *dp = vp, *up;
	int error = 0;

	*res = false;
	vref(dp);
	for (;;) {
		if (dp == fvp) {
			*res = true;
			break;
		}
		if ((dp->v_vflag & VV_ROOT) || dp->v_mount != fvp->v_mount)
			break;
		if ((error = VOP_LOOKUP(dp, "..", 2, &up)) != 0)
			break;
		if (up == dp) {
			vrele(up);
			break;
		}
		vrele(dp);
		dp = up;
	}
	vrele(dp);
	return error;
}

static int
do_rename(struct lwp *l, int ffd, const char *ufrom, int tfd, const char *uto)
{
	struct nameidata fnd, tnd;
	struct vnode *fvp, *fdvp, *tvp, *tdvp;
	kauth_cred_t cred;
	bool inside;
	int error;

	/* ERESTART from the file system: a name changed between the
	 * lookups and the rename (another thread was quicker); forget
	 * what the name cache says and do it all again, so that the
	 * rename sees one state of both directories (and a target that
	 * appeared meanwhile is replaced, not EEXIST). */
 again:
	nd_init(&fnd, ufrom, NI_DELETE, 0, ffd);
	if ((error = namei(&fnd)) != 0)
		return error;
	nd_init(&tnd, uto, NI_RENAME, 0, tfd);
	if ((error = namei(&tnd)) != 0) {
		namei_done(&fnd);
		return error;
	}
	fvp = fnd.ni_vp;
	fdvp = fnd.ni_dvp;
	tvp = tnd.ni_vp;
	tdvp = tnd.ni_dvp;
	cred = proc_cred_hold(l->l_proc);

	mutex_enter(&vfs_rename_lock);
	/* A mount point, either side, is EBUSY (POSIX, Linux) before the
	 * EXDEV that the mounted root on another file system would say. */
	if ((fvp->v_vflag & VV_ROOT) || fvp->v_mountedhere != NULL ||
	    (tvp != NULL && ((tvp->v_vflag & VV_ROOT) ||
	    tvp->v_mountedhere != NULL))) {
		error = EBUSY;
		goto out;
	}
	if (fvp->v_mount != tdvp->v_mount ||
	    (tvp != NULL && tvp->v_mount != fvp->v_mount)) {
		error = EXDEV;
		goto out;
	}
	if (tvp != NULL) {
		if (fvp == tvp)
			goto out;		/* the same file: nothing */
		if (fvp->v_type == VDIR && tvp->v_type != VDIR) {
			error = ENOTDIR;
			goto out;
		}
		if (fvp->v_type != VDIR && tvp->v_type == VDIR) {
			error = EISDIR;
			goto out;
		}
	} else if (tnd.ni_trailslash && fvp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}
	if (fvp->v_type == VDIR) {
		/* Not into itself or below. */
		if ((error = vn_is_ancestor(fvp, tdvp, &inside)) != 0)
			goto out;
		if (inside) {
			error = EINVAL;
			goto out;
		}
		/* Moving a directory rewrites its "..". */
		if (fdvp != tdvp && (error = vn_access(fvp, VWRITE, cred)))
			goto out;
	}
	if ((error = vn_access(fdvp, VWRITE, cred)) != 0 ||
	    (error = vn_access(tdvp, VWRITE, cred)) != 0 ||
	    (error = vn_sticky_ok(fdvp, fvp, cred)) != 0 ||
	    (tvp != NULL && (error = vn_sticky_ok(tdvp, tvp, cred)) != 0))
		goto out;
	error = VOP_RENAME(fdvp, fvp, fnd.ni_name, fnd.ni_namelen,
	    tdvp, tvp, tnd.ni_name, tnd.ni_namelen);
	if (error == 0 || error == ERESTART) {
		cache_purge_name(fdvp, fnd.ni_name, fnd.ni_namelen);
		cache_purge_name(tdvp, tnd.ni_name, tnd.ni_namelen);
	}
	if (error == 0 && fvp->v_type == VDIR)
		cache_purge(fvp);		/* its ".." changed */
 out:
	mutex_exit(&vfs_rename_lock);
	kauth_cred_free(cred);
	namei_done(&tnd);
	namei_done(&fnd);
	if (error == ERESTART)
		goto again;
	return error;
}

int
sys_rename(struct lwp *l, const struct sys_rename_args *uap,
    register_t *retval __unused)
{

	return do_rename(l, RUMP_AT_FDCWD, SCARG(uap, from), RUMP_AT_FDCWD,
	    SCARG(uap, to));
}

int
sys_renameat(struct lwp *l, const struct sys_renameat_args *uap,
    register_t *retval __unused)
{

	return do_rename(l, SCARG(uap, fromfd), SCARG(uap, from),
	    SCARG(uap, tofd), SCARG(uap, to));
}

/* ---- readlink ---- */

static int
do_readlink(int atfd, const char *upath, char *ubuf, size_t count,
    register_t *retval)
{
	struct vnode *vp;
	struct iovec iov;
	struct uio uio;
	int error;

	if (count == 0 || count > SIZE_MAX / 2)
		return EINVAL;
	if ((error = lookup_vnode(upath, atfd, false, &vp)) != 0)
		return error;
	if (vp->v_type != VLNK) {
		vrele(vp);
		return EINVAL;
	}
	iov.iov_base = ubuf;
	iov.iov_len = count;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = count;
	uio.uio_rw = UIO_READ;
	uio.uio_seg = UIO_USERSPACE;
	error = VOP_READLINK(vp, &uio);
	vrele(vp);
	if (error == 0)
		retval[0] = (register_t)(count - uio.uio_resid);
	return error;
}

int
sys_readlink(struct lwp *l __unused, const struct sys_readlink_args *uap,
    register_t *retval)
{

	return do_readlink(RUMP_AT_FDCWD, SCARG(uap, path), SCARG(uap, buf),
	    SCARG(uap, count), retval);
}

int
sys_readlinkat(struct lwp *l __unused, const struct sys_readlinkat_args *uap,
    register_t *retval)
{

	return do_readlink(SCARG(uap, fd), SCARG(uap, path), SCARG(uap, buf),
	    SCARG(uap, count), retval);
}

/* ---- attributes ---- */

static bool
is_owner(struct vnode *vp, kauth_cred_t cred, struct vattr *va, int *errorp)
{

	if ((*errorp = VOP_GETATTR(vp, va)) != 0)
		return false;
	return cred->cr_euid == 0 || cred->cr_euid == va->va_uid;
}

static int
vn_chmod(struct lwp *l, struct vnode *vp, mode_t mode)
{
	struct vattr va, nva;
	kauth_cred_t cred;
	int error;

	cred = proc_cred_hold(l->l_proc);
	if (vn_rdonly(vp))
		error = EROFS;
	else if (!is_owner(vp, cred, &va, &error))
		error = error ? error : EPERM;
	else {
		mode &= 07777;
		if (cred->cr_euid != 0) {
			if (vp->v_type != VDIR)
				mode &= ~RUMP_S_ISVTX;
			if (!kauth_cred_groupmember(cred, va.va_gid))
				mode &= ~RUMP_S_ISGID;
		}
		vattr_null(&nva);
		nva.va_mode = mode;
		error = VOP_SETATTR(vp, &nva);
	}
	kauth_cred_free(cred);
	return error;
}

static int
vn_chown(struct lwp *l, struct vnode *vp, uid_t uid, gid_t gid)
{
	struct vattr va, nva;
	kauth_cred_t cred;
	int error;

	cred = proc_cred_hold(l->l_proc);
	if (vn_rdonly(vp)) {
		error = EROFS;
		goto out;
	}
	if ((error = VOP_GETATTR(vp, &va)) != 0)
		goto out;
	if (uid == (uid_t)-1)
		uid = va.va_uid;
	if (gid == (gid_t)-1)
		gid = va.va_gid;
	/* Non-root: only the owner, only to a group of theirs, never
	 * giving the file away. */
	if (cred->cr_euid != 0 && (cred->cr_euid != va.va_uid ||
	    uid != va.va_uid || (gid != va.va_gid &&
	    !kauth_cred_groupmember(cred, gid)))) {
		error = EPERM;
		goto out;
	}
	vattr_null(&nva);
	nva.va_uid = uid;
	nva.va_gid = gid;
	if (cred->cr_euid != 0 && vp->v_type == VREG &&
	    (va.va_mode & (RUMP_S_ISUID | RUMP_S_ISGID)))
		nva.va_mode = va.va_mode & ~(RUMP_S_ISUID | RUMP_S_ISGID);
	error = VOP_SETATTR(vp, &nva);
 out:
	kauth_cred_free(cred);
	return error;
}

static int
vn_utimens(struct lwp *l, struct vnode *vp, const struct rump_timespec *uts)
{
	struct timespec ts[2], now;
	struct vattr va, nva;
	kauth_cred_t cred;
	bool bothnow;
	int error, i;

	if (uts == NULL) {
		ts[0].tv_nsec = ts[1].tv_nsec = RUMP_UTIME_NOW;
	} else if ((error = copyin(uts, ts, sizeof(ts))) != 0)
		return error;
	for (i = 0; i < 2; i++)
		if (ts[i].tv_nsec != RUMP_UTIME_NOW &&
		    ts[i].tv_nsec != RUMP_UTIME_OMIT && !timespec_valid(&ts[i]))
			return EINVAL;
	if (ts[0].tv_nsec == RUMP_UTIME_OMIT &&
	    ts[1].tv_nsec == RUMP_UTIME_OMIT)
		return 0;
	bothnow = ts[0].tv_nsec == RUMP_UTIME_NOW &&
	    ts[1].tv_nsec == RUMP_UTIME_NOW;
	cred = proc_cred_hold(l->l_proc);
	if (vn_rdonly(vp)) {
		error = EROFS;
		goto out;
	}
	/* Setting the present needs write access; other times, the owner. */
	if (!is_owner(vp, cred, &va, &error)) {
		if (error == 0)
			error = bothnow ? vaccess(&va, VWRITE, cred) : EPERM;
		if (error)
			goto out;
	}
	getnanotime(&now);
	vattr_null(&nva);
	if (ts[0].tv_nsec != RUMP_UTIME_OMIT)
		nva.va_atime = ts[0].tv_nsec == RUMP_UTIME_NOW ? now : ts[0];
	if (ts[1].tv_nsec != RUMP_UTIME_OMIT)
		nva.va_mtime = ts[1].tv_nsec == RUMP_UTIME_NOW ? now : ts[1];
	error = VOP_SETATTR(vp, &nva);
 out:
	kauth_cred_free(cred);
	return error;
}

/*
 * The attribute calls come in three forms: by path (following a final
 * symlink or not), by path from a directory descriptor with AT_ flags,
 * and by descriptor.  Each resolves its vnode and calls one vn_ function.
 */
typedef int vn_attr_fn(struct lwp *, struct vnode *, uintptr_t, uintptr_t);

static int
attr_by_path(struct lwp *l, int atfd, const char *upath, int atflag,
    vn_attr_fn *fn, uintptr_t a, uintptr_t b)
{
	struct vnode *vp;
	int error;

	if (atflag & ~RUMP_AT_SYMLINK_NOFOLLOW)
		return EINVAL;
	if ((error = lookup_vnode(upath, atfd,
	    !(atflag & RUMP_AT_SYMLINK_NOFOLLOW), &vp)) != 0)
		return error;
	error = fn(l, vp, a, b);
	vrele(vp);
	return error;
}

static int
attr_by_fd(struct lwp *l, int fd, vn_attr_fn *fn, uintptr_t a, uintptr_t b)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(l->l_proc, fd, &fp, &vp)) != 0)
		return error;
	error = fn(l, vp, a, b);
	fd_putfile(fp);
	return error;
}

static int
chmod_fn(struct lwp *l, struct vnode *vp, uintptr_t mode, uintptr_t unused)
{

	(void)unused;
	return vn_chmod(l, vp, (mode_t)mode);
}

static int
chown_fn(struct lwp *l, struct vnode *vp, uintptr_t uid, uintptr_t gid)
{

	return vn_chown(l, vp, (uid_t)uid, (gid_t)gid);
}

static int
utimens_fn(struct lwp *l, struct vnode *vp, uintptr_t tptr, uintptr_t unused)
{

	(void)unused;
	return vn_utimens(l, vp, (const struct rump_timespec *)tptr);
}

int
sys_chmod(struct lwp *l, const struct sys_chmod_args *uap,
    register_t *retval __unused)
{

	return attr_by_path(l, RUMP_AT_FDCWD, SCARG(uap, path), 0, chmod_fn,
	    SCARG(uap, mode), 0);
}

int
sys_fchmodat(struct lwp *l, const struct sys_fchmodat_args *uap,
    register_t *retval __unused)
{

	return attr_by_path(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, flag), chmod_fn, SCARG(uap, mode), 0);
}

int
sys_fchmod(struct lwp *l, const struct sys_fchmod_args *uap,
    register_t *retval __unused)
{

	return attr_by_fd(l, SCARG(uap, fd), chmod_fn, SCARG(uap, mode), 0);
}

int
sys_chown(struct lwp *l, const struct sys_chown_args *uap,
    register_t *retval __unused)
{

	return attr_by_path(l, RUMP_AT_FDCWD, SCARG(uap, path), 0, chown_fn,
	    SCARG(uap, uid), SCARG(uap, gid));
}

int
sys_lchown(struct lwp *l, const struct sys_lchown_args *uap,
    register_t *retval __unused)
{

	return attr_by_path(l, RUMP_AT_FDCWD, SCARG(uap, path),
	    RUMP_AT_SYMLINK_NOFOLLOW, chown_fn, SCARG(uap, uid),
	    SCARG(uap, gid));
}

int
sys_fchownat(struct lwp *l, const struct sys_fchownat_args *uap,
    register_t *retval __unused)
{

	return attr_by_path(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, flag), chown_fn, SCARG(uap, uid), SCARG(uap, gid));
}

int
sys_fchown(struct lwp *l, const struct sys_fchown_args *uap,
    register_t *retval __unused)
{

	return attr_by_fd(l, SCARG(uap, fd), chown_fn, SCARG(uap, uid),
	    SCARG(uap, gid));
}

int
sys_utimensat(struct lwp *l, const struct sys_utimensat_args *uap,
    register_t *retval __unused)
{

	return attr_by_path(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, flag), utimens_fn, (uintptr_t)SCARG(uap, tptr), 0);
}

int
sys_futimens(struct lwp *l, const struct sys_futimens_args *uap,
    register_t *retval __unused)
{

	return attr_by_fd(l, SCARG(uap, fd), utimens_fn,
	    (uintptr_t)SCARG(uap, tptr), 0);
}

static int
vn_truncate(struct vnode *vp, off_t length)
{
	struct vattr va;

	if (length < 0)
		return EINVAL;
	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	vattr_null(&va);
	va.va_size = length;
	return VOP_SETATTR(vp, &va);
}

int
sys_truncate(struct lwp *l, const struct sys_truncate_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	kauth_cred_t cred;
	int error;

	if ((error = lookup_vnode(SCARG(uap, path), RUMP_AT_FDCWD, true,
	    &vp)) != 0)
		return error;
	cred = proc_cred_hold(l->l_proc);
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if ((error = vn_access(vp, VWRITE, cred)) == 0)
		error = vn_truncate(vp, SCARG(uap, length));
	kauth_cred_free(cred);
	vrele(vp);
	return error;
}

int
sys_ftruncate(struct lwp *l, const struct sys_ftruncate_args *uap,
    register_t *retval __unused)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(l->l_proc, SCARG(uap, fd), &fp, &vp)) != 0)
		return error;
	if ((fp->f_flag & FWRITE) == 0)
		error = EINVAL;
	else
		error = vn_truncate(vp, SCARG(uap, length));
	fd_putfile(fp);
	return error;
}

/* ---- sync ---- */

static int
do_fsync(struct lwp *l, int fd)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(l->l_proc, fd, &fp, &vp)) != 0)
		return error == EINVAL ? EINVAL : error;
	error = VOP_FSYNC(vp, 0);
	fd_putfile(fp);
	return error;
}

int
sys_fsync(struct lwp *l, const struct sys_fsync_args *uap,
    register_t *retval __unused)
{

	return do_fsync(l, SCARG(uap, fd));
}

int
sys_fdatasync(struct lwp *l, const struct sys_fdatasync_args *uap,
    register_t *retval __unused)
{

	return do_fsync(l, SCARG(uap, fd));
}

int
sys_sync(struct lwp *l __unused, const void *uap __unused,
    register_t *retval __unused)
{

	vfs_sync_all();
	return 0;
}

/* ---- directories ---- */

int
sys_getdents(struct lwp *l, const struct sys_getdents_args *uap,
    register_t *retval)
{
	struct file *fp;
	struct vnode *vp;
	struct iovec iov;
	struct uio uio;
	int error, eof;

	if ((error = fd_getvnode(l->l_proc, SCARG(uap, fd), &fp, &vp)) != 0)
		return error == EINVAL ? ENOTDIR : error;
	if (vp->v_type != VDIR) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	if ((fp->f_flag & FREAD) == 0) {
		fd_putfile(fp);
		return EBADF;
	}
	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = SCARG(uap, count);
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = SCARG(uap, count);
	uio.uio_rw = UIO_READ;
	uio.uio_seg = UIO_USERSPACE;
	mutex_enter(&fp->f_lock);
	uio.uio_offset = fp->f_offset;
	error = VOP_READDIR(vp, &uio, &eof);
	fp->f_offset = uio.uio_offset;
	mutex_exit(&fp->f_lock);
	if (error == 0)
		retval[0] = (register_t)(SCARG(uap, count) - uio.uio_resid);
	fd_putfile(fp);
	return error;
}

/* Make vp (referenced; consumed) the cwd or the root of p. */
static int
change_dir(struct lwp *l, struct vnode *vp, bool root)
{
	struct cwdinfo *cwdi = l->l_proc->p_cwdi;
	struct vnode *old;
	kauth_cred_t cred;
	int error;

	cred = proc_cred_hold(l->l_proc);
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else
		error = vn_access(vp, VEXEC, cred);
	if (error == 0 && root)
		error = kauth_authorize_super(cred);
	kauth_cred_free(cred);
	if (error) {
		vrele(vp);
		return error;
	}
	mutex_enter(&cwdi->cwdi_lock);
	if (root) {
		old = cwdi->cwdi_rdir;
		cwdi->cwdi_rdir = vp;
	} else {
		old = cwdi->cwdi_cdir;
		cwdi->cwdi_cdir = vp;
	}
	mutex_exit(&cwdi->cwdi_lock);
	if (old != NULL)
		vrele(old);
	return 0;
}

int
sys_chdir(struct lwp *l, const struct sys_chdir_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	int error;

	if ((error = lookup_vnode(SCARG(uap, path), RUMP_AT_FDCWD, true,
	    &vp)) != 0)
		return error;
	return change_dir(l, vp, false);
}

int
sys_fchdir(struct lwp *l, const struct sys_fchdir_args *uap,
    register_t *retval __unused)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(l->l_proc, SCARG(uap, fd), &fp, &vp)) != 0)
		return error == EINVAL ? ENOTDIR : error;
	vref(vp);
	fd_putfile(fp);
	return change_dir(l, vp, false);
}

int
sys_chroot(struct lwp *l, const struct sys_chroot_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	int error;

	if ((error = lookup_vnode(SCARG(uap, path), RUMP_AT_FDCWD, true,
	    &vp)) != 0)
		return error;
	return change_dir(l, vp, true);
}

int
sys_getcwd(struct lwp *l, const struct sys_getcwd_args *uap,
    register_t *retval)
{
	size_t size = SCARG(uap, size), len;
	char *buf;
	int error;

	if (size == 0)
		return EINVAL;
	if (size > RUMP_PATH_MAX)
		size = RUMP_PATH_MAX;
	if ((buf = kmem_alloc(size, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = vfs_getcwd(l->l_proc, buf, size, &len);
	if (error == 0)
		error = copyout(buf, SCARG(uap, buf), len);
	if (error == 0)
		retval[0] = (register_t)len;
	kmem_free(buf, size);
	return error;
}

/* ---- statvfs ---- */

int
sys_statvfs(struct lwp *l __unused, const struct sys_statvfs_args *uap,
    register_t *retval __unused)
{
	struct rump_statvfs sb;
	struct vnode *vp;
	int error;

	if ((error = lookup_vnode(SCARG(uap, path), RUMP_AT_FDCWD, true,
	    &vp)) != 0)
		return error;
	error = vfs_statvfs(vp, &sb);
	vrele(vp);
	if (error == 0)
		error = copyout(&sb, SCARG(uap, buf), sizeof(sb));
	return error;
}

int
sys_fstatvfs(struct lwp *l, const struct sys_fstatvfs_args *uap,
    register_t *retval __unused)
{
	struct rump_statvfs sb;
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(l->l_proc, SCARG(uap, fd), &fp, &vp)) != 0)
		return error;
	error = vfs_statvfs(vp, &sb);
	fd_putfile(fp);
	if (error == 0)
		error = copyout(&sb, SCARG(uap, buf), sizeof(sb));
	return error;
}
