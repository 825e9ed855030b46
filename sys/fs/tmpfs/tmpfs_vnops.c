/*
 * tmpfs_vnops.c: tmpfs vnode operations.
 *
 * Operations that only look take tm_lock shared; the rest take it
 * exclusively.  Times follow POSIX: reading a file sets its atime;
 * writing, truncating or changing a directory sets mtime and ctime;
 * changing attributes or links sets ctime.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/rwlock.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include "tmpfs.h"

static int
tmpfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(dvp);
	struct tmpfs_node *dp = VP_TO_TMPFS_NODE(dvp), *np;
	struct tmpfs_dirent *de;
	int error;

	rw_enter(&tm->tm_lock, RW_READER);
	if (dp->tn_nlink == 0) {
		error = ENOENT;			/* removed directory */
	} else if (len == 2 && name[0] == '.' && name[1] == '.') {
		np = dp->tn_dir.parent != NULL ? dp->tn_dir.parent : dp;
		error = tmpfs_vget(tm, np, vpp);
	} else if ((de = tmpfs_dir_lookup(dp, name, len)) == NULL) {
		error = ENOENT;
	} else {
		error = tmpfs_vget(tm, de->td_node, vpp);
	}
	rw_exit(&tm->tm_lock);
	return error;
}

/* Make a node and link it into dvp; used by create and symlink. */
static int
tmpfs_mknode(struct vnode *dvp, const char *name, size_t len,
    struct vattr *va, const char *target, struct vnode **vpp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(dvp);
	struct tmpfs_node *dp = VP_TO_TMPFS_NODE(dvp), *np;
	size_t tlen = 0;
	int error;

	rw_enter(&tm->tm_lock, RW_WRITER);
	if (dp->tn_nlink == 0) {
		error = ENOENT;
		goto out;
	}
	if (tmpfs_dir_lookup(dp, name, len) != NULL) {
		error = EEXIST;
		goto out;
	}
	error = tmpfs_node_alloc(tm, va->va_type, va->va_mode, va->va_uid,
	    va->va_gid, va->va_type == VCHR || va->va_type == VBLK ?
	    va->va_rdev : 0, &np);
	if (error)
		goto out;
	if (target != NULL) {
		tlen = strlen(target);
		if ((np->tn_lnk.target = kmem_alloc(tlen + 1, KM_SLEEP)) ==
		    NULL) {
			error = ENOMEM;
			goto fail;
		}
		memcpy(np->tn_lnk.target, target, tlen + 1);
		np->tn_lnk.len = tlen;
		np->tn_size = (off_t)tlen;
	}
	if (va->va_type == VDIR)
		np->tn_nlink = 1;		/* its "." */
	if ((error = tmpfs_dir_attach(dp, name, len, np)) != 0)
		goto fail;
	if ((error = tmpfs_vget(tm, np, vpp)) != 0) {
		tmpfs_dir_detach(dp, tmpfs_dir_lookup(dp, name, len));
		goto fail;
	}
	goto out;
 fail:
	if (va->va_type == VLNK && np->tn_lnk.target == NULL) {
		/* Never had a target: free as a plain node. */
		np->tn_type = VNON;
	}
	np->tn_nlink = 0;
	tmpfs_node_free(tm, np);
 out:
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_create(struct vnode *dvp, const char *name, size_t len,
    struct vattr *va, struct vnode **vpp)
{

	return tmpfs_mknode(dvp, name, len, va, NULL, vpp);
}

static int
tmpfs_symlink(struct vnode *dvp, const char *name, size_t len,
    struct vattr *va, const char *target, struct vnode **vpp)
{

	return tmpfs_mknode(dvp, name, len, va, target, vpp);
}

static int
tmpfs_remove(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t len)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(dvp);
	struct tmpfs_node *dp = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_dirent *de;
	int error = 0;

	rw_enter(&tm->tm_lock, RW_WRITER);
	de = tmpfs_dir_lookup(dp, name, len);
	if (de == NULL)
		error = ENOENT;		/* gone since the lookup */
	else if (de->td_node != np)
		error = ERESTART;	/* another file now: look again */
	else if (np->tn_type == VDIR && np->tn_dir.nentries > 0)
		error = ENOTEMPTY;
	else
		tmpfs_dir_detach(dp, de);
	rw_exit(&tm->tm_lock);
	/* The node goes with its last reference (tmpfs_inactive). */
	return error;
}

static int
tmpfs_link(struct vnode *dvp, struct vnode *vp, const char *name, size_t len)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(dvp);
	struct tmpfs_node *dp = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	int error;

	rw_enter(&tm->tm_lock, RW_WRITER);
	if (dp->tn_nlink == 0 || np->tn_nlink == 0)
		error = ENOENT;
	else if (np->tn_nlink >= 32767)
		error = EMLINK;
	else if (tmpfs_dir_lookup(dp, name, len) != NULL)
		error = EEXIST;
	else
		error = tmpfs_dir_attach(dp, name, len, np);
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_rename(struct vnode *fdvp, struct vnode *fvp, const char *fname,
    size_t flen, struct vnode *tdvp, struct vnode *tvp, const char *tname,
    size_t tlen)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(fdvp);
	struct tmpfs_node *fdp = VP_TO_TMPFS_NODE(fdvp);
	struct tmpfs_node *tdp = VP_TO_TMPFS_NODE(tdvp);
	struct tmpfs_node *fnp = VP_TO_TMPFS_NODE(fvp);
	struct tmpfs_dirent *fde, *tde = NULL;
	int error = 0;

	/*
	 * The names were looked up before tm_lock was taken.  Gone is
	 * ENOENT; naming other files than the VFS checked is ERESTART,
	 * and the VFS looks them up again.
	 */
	rw_enter(&tm->tm_lock, RW_WRITER);
	fde = tmpfs_dir_lookup(fdp, fname, flen);
	if (fde == NULL || tdp->tn_nlink == 0) {
		error = ENOENT;
		goto out;
	}
	if (fde->td_node != fnp) {
		error = ERESTART;
		goto out;
	}
	if (tvp != NULL) {
		tde = tmpfs_dir_lookup(tdp, tname, tlen);
		if (tde == NULL || tde->td_node != VP_TO_TMPFS_NODE(tvp)) {
			error = ERESTART;
			goto out;
		}
		if (tde->td_node->tn_type == VDIR &&
		    tde->td_node->tn_dir.nentries > 0) {
			error = ENOTEMPTY;
			goto out;
		}
	} else if (tmpfs_dir_lookup(tdp, tname, tlen) != NULL) {
		error = ERESTART;	/* appeared since the lookup */
		goto out;
	}
	/* Link the new name first: it is the only step that can fail, and
	 * until it succeeds nothing has changed. */
	if ((error = tmpfs_dir_attach(tdp, tname, tlen, fnp)) != 0)
		goto out;
	if (tde != NULL)
		tmpfs_dir_detach(tdp, tde);
	if (fnp->tn_type == VDIR) {
		/* Not tmpfs_dir_detach: that would clear the new parent.
		 * The link and the ".." counted by the attach go back. */
		TAILQ_REMOVE(&fdp->tn_dir.entries, fde, td_entries);
		fdp->tn_dir.nentries--;
		fnp->tn_nlink--;
		fdp->tn_nlink--;
		tmpfs_time(&fdp->tn_mtime);
		fdp->tn_ctime = fdp->tn_mtime;
		kmem_free(fde, sizeof(*fde) + fde->td_namelen + 1);
	} else {
		tmpfs_dir_detach(fdp, fde);
	}
 out:
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);

	rw_enter(&tm->tm_lock, RW_READER);
	memset(va, 0, sizeof(*va));
	va->va_type = np->tn_type;
	va->va_mode = np->tn_mode;
	va->va_nlink = np->tn_nlink;
	va->va_uid = np->tn_uid;
	va->va_gid = np->tn_gid;
	va->va_fsid = vp->v_mount->mnt_fsid;
	va->va_fileid = np->tn_id;
	va->va_blocksize = PAGE_SIZE;
	va->va_rdev = np->tn_rdev;
	switch (np->tn_type) {
	case VREG:
		va->va_size = np->tn_size;
		va->va_bytes = (uint64_t)np->tn_reg.nalloc * PAGE_SIZE;
		break;
	case VDIR:
		va->va_size = (off_t)(np->tn_dir.nentries + 2) * 32;
		va->va_bytes = (uint64_t)va->va_size;
		break;
	case VLNK:
		va->va_size = (off_t)np->tn_lnk.len;
		va->va_bytes = np->tn_lnk.len + 1;
		break;
	default:
		break;
	}
	mutex_enter(&tm->tm_vlock);
	va->va_atime = np->tn_atime;
	mutex_exit(&tm->tm_vlock);
	va->va_mtime = np->tn_mtime;
	va->va_ctime = np->tn_ctime;
	va->va_birthtime = np->tn_birthtime;
	rw_exit(&tm->tm_lock);
	return 0;
}

static int
tmpfs_setattr(struct vnode *vp, struct vattr *va)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	struct timespec now;
	int error = 0;

	rw_enter(&tm->tm_lock, RW_WRITER);
	tmpfs_time(&now);
	if (va->va_size != VNOVAL) {
		if (np->tn_type != VREG) {
			error = np->tn_type == VDIR ? EISDIR : EINVAL;
			goto out;
		}
		if (va->va_size != np->tn_size) {
			if ((error = tmpfs_reg_resize(tm, np, va->va_size)))
				goto out;
		}
		/* POSIX: truncate always marks the file changed. */
		np->tn_mtime = now;
	}
	if (va->va_mode != (mode_t)VNOVAL)
		np->tn_mode = va->va_mode & 07777;
	if (va->va_uid != (uid_t)VNOVAL)
		np->tn_uid = va->va_uid;
	if (va->va_gid != (gid_t)VNOVAL)
		np->tn_gid = va->va_gid;
	if (vattr_timeset(&va->va_atime)) {
		mutex_enter(&tm->tm_vlock);
		np->tn_atime = va->va_atime;
		mutex_exit(&tm->tm_vlock);
	}
	if (vattr_timeset(&va->va_mtime))
		np->tn_mtime = va->va_mtime;
	np->tn_ctime = now;
 out:
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_read(struct vnode *vp, struct uio *uio, int ioflag __unused)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	size_t pg, off, n;
	char *page;
	int error = 0;

	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	rw_enter(&tm->tm_lock, RW_READER);
	while (uio->uio_resid > 0 && uio->uio_offset < np->tn_size) {
		pg = (size_t)(uio->uio_offset / PAGE_SIZE);
		off = (size_t)(uio->uio_offset % PAGE_SIZE);
		n = MIN(PAGE_SIZE - off, uio->uio_resid);
		n = MIN(n, (size_t)(np->tn_size - uio->uio_offset));
		page = np->tn_reg.pages[pg];
		error = page != NULL ? uiomove(page + off, n, uio) :
		    uiomove_zero(n, uio);
		if (error)
			break;
	}
	mutex_enter(&tm->tm_vlock);
	tmpfs_time(&np->tn_atime);
	mutex_exit(&tm->tm_vlock);
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	size_t pg, off, n, resid0 = uio->uio_resid;
	off_t end;
	char **pp;
	int error = 0;

	if (vp->v_type != VREG)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	rw_enter(&tm->tm_lock, RW_WRITER);
	if (ioflag & IO_APPEND)
		uio->uio_offset = np->tn_size;
	if (uio->uio_offset < 0 ||
	    uio->uio_offset > INT64_MAX - (off_t)uio->uio_resid) {
		error = uio->uio_offset < 0 ? EINVAL : EFBIG;
		goto out;
	}
	end = uio->uio_offset + (off_t)uio->uio_resid;
	if (end > np->tn_size) {
		/* Room for the page pointers first; the size follows the
		 * data actually written. */
		off_t old = np->tn_size;

		if ((error = tmpfs_reg_resize(tm, np, end)) != 0)
			goto out;
		np->tn_size = old;
	}
	while (uio->uio_resid > 0) {
		pg = (size_t)(uio->uio_offset / PAGE_SIZE);
		off = (size_t)(uio->uio_offset % PAGE_SIZE);
		n = MIN(PAGE_SIZE - off, uio->uio_resid);
		pp = &np->tn_reg.pages[pg];
		if (*pp == NULL) {
			if (tm->tm_pages_max != 0 &&
			    tm->tm_pages_used >= tm->tm_pages_max) {
				error = ENOSPC;
				break;
			}
			if ((*pp = kmem_zalloc(PAGE_SIZE, KM_SLEEP)) == NULL) {
				error = ENOSPC;
				break;
			}
			tm->tm_pages_used++;
			np->tn_reg.nalloc++;
		}
		if ((error = uiomove(*pp + off, n, uio)) != 0)
			break;
		if (uio->uio_offset > np->tn_size)
			np->tn_size = uio->uio_offset;
	}
	if (uio->uio_resid != resid0) {
		tmpfs_time(&np->tn_mtime);
		np->tn_ctime = np->tn_mtime;
		error = 0;			/* a short write */
	}
 out:
	rw_exit(&tm->tm_lock);
	return error;
}

#define DIRENT_HDR	offsetof(struct rump_dirent, d_name)

static int
dirent_out(struct uio *uio, uint64_t ino, const char *name, size_t len,
    int type, uint64_t next, bool *full)
{
	char buf[DIRENT_HDR + RUMP_MAXNAMLEN + 1 + 8];
	struct rump_dirent *d = (struct rump_dirent *)buf;
	size_t reclen = roundup(DIRENT_HDR + len + 1, 8);
	off_t off = uio->uio_offset;
	int error;

	if (reclen > uio->uio_resid) {
		*full = true;
		return 0;
	}
	memset(buf, 0, reclen);
	d->d_ino = ino;
	d->d_off = (off_t)next;
	d->d_reclen = (uint16_t)reclen;
	d->d_namlen = (uint16_t)len;
	d->d_type = (uint8_t)type;
	memcpy(d->d_name, name, len);
	error = uiomove(buf, reclen, uio);
	uio->uio_offset = off;		/* the cookie, not a byte offset */
	return error;
}

static int
vtype_dt(enum vtype t)
{
	static const int dt[] = {
		[VREG] = RUMP_DT_REG, [VDIR] = RUMP_DT_DIR,
		[VBLK] = RUMP_DT_BLK, [VCHR] = RUMP_DT_CHR,
		[VLNK] = RUMP_DT_LNK, [VSOCK] = RUMP_DT_SOCK,
		[VFIFO] = RUMP_DT_FIFO,
	};

	return (size_t)t < __arraycount(dt) ? dt[t] : RUMP_DT_UNKNOWN;
}

static int
tmpfs_readdir(struct vnode *vp, struct uio *uio, int *eofp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *dp = VP_TO_TMPFS_NODE(vp), *pp;
	struct tmpfs_dirent *de;
	size_t resid0 = uio->uio_resid;
	uint64_t cookie;
	bool full = false;
	int error = 0;

	*eofp = 0;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	rw_enter(&tm->tm_lock, RW_READER);
	cookie = (uint64_t)uio->uio_offset;
	if (cookie == 0) {
		error = dirent_out(uio, dp->tn_id, ".", 1, RUMP_DT_DIR, 1,
		    &full);
		if (error || full)
			goto out;
		cookie = uio->uio_offset = 1;
	}
	if (cookie == 1) {
		pp = dp->tn_dir.parent != NULL ? dp->tn_dir.parent : dp;
		error = dirent_out(uio, pp->tn_id, "..", 2, RUMP_DT_DIR, 2,
		    &full);
		if (error || full)
			goto out;
		cookie = uio->uio_offset = 2;
	}
	TAILQ_FOREACH(de, &dp->tn_dir.entries, td_entries) {
		if (de->td_cookie < cookie)
			continue;
		error = dirent_out(uio, de->td_node->tn_id, de->td_name,
		    de->td_namelen, vtype_dt(de->td_node->tn_type),
		    de->td_cookie + 1, &full);
		if (error || full)
			goto out;
		uio->uio_offset = (off_t)(de->td_cookie + 1);
	}
	*eofp = 1;
 out:
	if (full && uio->uio_resid == resid0)
		error = EINVAL;		/* not even one record fits */
	if (error == 0) {
		mutex_enter(&tm->tm_vlock);
		tmpfs_time(&dp->tn_atime);
		mutex_exit(&tm->tm_vlock);
	}
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_readlink(struct vnode *vp, struct uio *uio)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	int error;

	rw_enter(&tm->tm_lock, RW_READER);
	error = uiomove(np->tn_lnk.target, MIN(np->tn_lnk.len,
	    uio->uio_resid), uio);
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_fsync(struct vnode *vp __unused, int flags __unused)
{

	return 0;		/* memory is as stable as it gets */
}

static int
tmpfs_seek(struct vnode *vp, off_t off, int whence, off_t *res)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	bool want_data = whence == RUMP_SEEK_DATA;
	size_t pg;
	int error = ENXIO;

	rw_enter(&tm->tm_lock, RW_READER);
	if (off < 0 || off >= np->tn_size)
		goto out;
	for (pg = (size_t)(off / PAGE_SIZE);
	    (off_t)pg * PAGE_SIZE < np->tn_size; pg++) {
		if ((np->tn_reg.pages[pg] != NULL) == want_data) {
			*res = MAX(off, (off_t)pg * PAGE_SIZE);
			error = 0;
			goto out;
		}
	}
	if (!want_data) {
		*res = np->tn_size;		/* the hole at the end */
		error = 0;
	}
 out:
	rw_exit(&tm->tm_lock);
	return error;
}

/* The last reference went: an unlinked file goes with its vnode (true:
 * the VFS frees it); a linked one keeps its vnode, cached. */
static bool
tmpfs_inactive(struct vnode *vp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);

	rw_enter(&tm->tm_lock, RW_WRITER);
	if (np->tn_nlink > 0) {
		rw_exit(&tm->tm_lock);
		return false;
	}
	/* Unlinked: with the cache entries gone, nothing can hand the
	 * vnode out again but tmpfs_vget, which needs tm_lock. */
	cache_purge(vp);
	mutex_enter(&tm->tm_vlock);
	if (vp->v_usecount > 0) {
		mutex_exit(&tm->tm_vlock);
		rw_exit(&tm->tm_lock);
		return false;
	}
	np->tn_vnode = NULL;
	mutex_exit(&tm->tm_vlock);
	tmpfs_node_free(tm, np);
	rw_exit(&tm->tm_lock);
	return true;
}

/* The VFS reclaims a cached vnode: the node lives on without it. */
static int
tmpfs_reclaim(struct vnode *vp)
{
	struct tmpfs_mount *tm = VP_TO_TMPFS_MOUNT(vp);
	struct tmpfs_node *np = VP_TO_TMPFS_NODE(vp);
	int error = 0;

	rw_enter(&tm->tm_lock, RW_WRITER);
	cache_purge(vp);
	mutex_enter(&tm->tm_vlock);
	if (vp->v_usecount > 0)
		error = EBUSY;
	else
		np->tn_vnode = NULL;
	mutex_exit(&tm->tm_vlock);
	rw_exit(&tm->tm_lock);
	return error;
}

const struct vnodeops tmpfs_vnodeops = {
	.vop_lookup = tmpfs_lookup,
	.vop_create = tmpfs_create,
	.vop_symlink = tmpfs_symlink,
	.vop_remove = tmpfs_remove,
	.vop_link = tmpfs_link,
	.vop_rename = tmpfs_rename,
	.vop_getattr = tmpfs_getattr,
	.vop_setattr = tmpfs_setattr,
	.vop_read = tmpfs_read,
	.vop_write = tmpfs_write,
	.vop_readdir = tmpfs_readdir,
	.vop_readlink = tmpfs_readlink,
	.vop_fsync = tmpfs_fsync,
	.vop_seek = tmpfs_seek,
	.vop_inactive = tmpfs_inactive,
	.vop_reclaim = tmpfs_reclaim,
};
