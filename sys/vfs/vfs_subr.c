/*
 * vfs_subr.c: permission checks and per-process directories.
 *
 * vaccess() is the classic check: the superuser may read and write
 * anything and execute what has any execute bit (or is a directory);
 * others get the owner, group or other bits, in that order, whichever
 * class they fall in first.
 *
 * Locking: cwdi_lock over a process's cwd and root.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/vnode.h>
#include "vfs_private.h"

int
vaccess(const struct vattr *va, int acc, kauth_cred_t cred)
{
	mode_t mask = 0, mode = va->va_mode;

	if (cred->cr_euid == 0) {
		if ((acc & VEXEC) && va->va_type != VDIR &&
		    (mode & (0111)) == 0)
			return EACCES;
		return 0;
	}
	if (cred->cr_euid == va->va_uid) {
		if (acc & VEXEC)
			mask |= 0100;
		if (acc & VREAD)
			mask |= 0400;
		if (acc & VWRITE)
			mask |= 0200;
	} else if (kauth_cred_groupmember(cred, va->va_gid)) {
		if (acc & VEXEC)
			mask |= 0010;
		if (acc & VREAD)
			mask |= 0040;
		if (acc & VWRITE)
			mask |= 0020;
	} else {
		if (acc & VEXEC)
			mask |= 0001;
		if (acc & VREAD)
			mask |= 0004;
		if (acc & VWRITE)
			mask |= 0002;
	}
	return (mode & mask) == mask ? 0 : EACCES;
}

int
vn_access(struct vnode *vp, int acc, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if ((acc & VWRITE) && vn_rdonly(vp) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		return EROFS;
	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return error;
	return vaccess(&va, acc, cred);
}

/* In a sticky directory, only the file's owner, the directory's owner
 * or the superuser may remove or rename a file. */
int
vn_sticky_ok(struct vnode *dvp, struct vnode *vp, kauth_cred_t cred)
{
	struct vattr dva, va;
	int error;

	if (cred->cr_euid == 0)
		return 0;
	if ((error = VOP_GETATTR(dvp, &dva)) != 0)
		return error;
	if ((dva.va_mode & RUMP_S_ISVTX) == 0 || dva.va_uid == cred->cr_euid)
		return 0;
	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return error;
	return va.va_uid == cred->cr_euid ? 0 : EPERM;
}

int
vn_rdonly(struct vnode *vp)
{

	return vp->v_mount != NULL && (vp->v_mount->mnt_flag & RUMP_MNT_RDONLY);
}

/* ---- per-process directories ---- */

void
cwdi_get(struct proc *p, struct vnode **cdir, struct vnode **rdir)
{
	struct cwdinfo *cwdi = p->p_cwdi;

	mutex_enter(&cwdi->cwdi_lock);
	if (cdir != NULL) {
		if ((*cdir = cwdi->cwdi_cdir) != NULL)
			vref(*cdir);
	}
	if (rdir != NULL) {
		if ((*rdir = cwdi->cwdi_rdir) != NULL)
			vref(*rdir);
	}
	mutex_exit(&cwdi->cwdi_lock);
}

/* A child starts where its parent is; proc0 and proc1 at the root. */
int
cwdi_fork(struct proc *parent, struct proc *child)
{
	struct cwdinfo *cwdi;

	if ((cwdi = kmem_zalloc(sizeof(*cwdi), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_init(&cwdi->cwdi_lock, MUTEX_DEFAULT, IPL_NONE);
	child->p_cwdi = cwdi;
	if (parent != NULL && parent->p_cwdi != NULL)
		cwdi_get(parent, &cwdi->cwdi_cdir, &cwdi->cwdi_rdir);
	else if (rootvnode != NULL) {
		vref(rootvnode);
		vref(rootvnode);
		cwdi->cwdi_cdir = cwdi->cwdi_rdir = rootvnode;
	}
	return 0;
}

void
cwdi_exit(struct proc *p)
{
	struct cwdinfo *cwdi = p->p_cwdi;

	if (cwdi == NULL)
		return;
	p->p_cwdi = NULL;
	if (cwdi->cwdi_cdir != NULL)
		vrele(cwdi->cwdi_cdir);
	if (cwdi->cwdi_rdir != NULL)
		vrele(cwdi->cwdi_rdir);
	mutex_destroy(&cwdi->cwdi_lock);
	kmem_free(cwdi, sizeof(*cwdi));
}
