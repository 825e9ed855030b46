/*
 * ffs_vnops.c: FFS vnode operations.
 *
 * Each operation takes the mount's fm_oplock: as reader to look and
 * read, as writer to change anything (see ffs.h); the *_locked
 * functions are the bodies, for callers that hold it.  A change that
 * leaves an unlinked node behind lets its last vrele() free it
 * (ffs_inactive), after fm_oplock is dropped.  Reading a file updates
 * its atime in memory only (under fm_lock); it reaches the disk with
 * the inode's next write, at sync, or when the vnode is reclaimed.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include "ffs.h"

static int
ffs_vtype_dt(enum vtype t)
{

	switch (t) {
	case VREG: return RUMP_DT_REG;
	case VDIR: return RUMP_DT_DIR;
	case VLNK: return RUMP_DT_LNK;
	case VCHR: return RUMP_DT_CHR;
	case VBLK: return RUMP_DT_BLK;
	case VFIFO: return RUMP_DT_FIFO;
	case VSOCK: return RUMP_DT_SOCK;
	default: return RUMP_DT_UNKNOWN;
	}
}

static void
ffs_touch(struct ffs_node *np, bool modified)
{
	struct timespec now;

	getnanotime(&now);
	if (modified)
		np->fn_mtime = now;
	np->fn_ctime = now;
}

static int
ffs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(dvp);
	struct ffs_node *dnp = VP_TO_FFS_NODE(dvp);
	uint32_t ino = 0;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	rw_enter(&fm->fm_oplock, RW_READER);
	error = ffs_dir_lookup(fm, dnp, name, len, &ino);
	if (error == 0) {
		if (ino == dnp->fn_ino) {
			vref(dvp);	/* "." or the root's ".." */
			*vpp = dvp;
		} else
			error = ffs_vget(fm, ino, vpp);
	}
	rw_exit(&fm->fm_oplock);
	return error;
}

/* A new node called name in dnp; a directory gets "." and "..". */
static int
ffs_mknode(struct vnode *dvp, const char *name, size_t len,
    struct vattr *va, const char *target, struct vnode **vpp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(dvp);
	struct ffs_node *dnp = VP_TO_FFS_NODE(dvp), *np;
	enum vtype type = target != NULL ? VLNK : va->va_type;
	size_t tlen;
	struct vnode *vp = NULL;
	uint32_t ino;
	int error;

	rw_enter(&fm->fm_oplock, RW_WRITER);
	if (dnp->fn_nlink == 0) {
		error = ENOENT;		/* a removed directory */
		goto out;
	}
	error = ffs_dir_lookup(fm, dnp, name, len, &ino);
	if (error != ENOENT) {
		if (error == 0)
			error = EEXIST;
		goto out;
	}
	if (type == VDIR && dnp->fn_nlink >= FFS_LINK_MAX) {
		error = EMLINK;
		goto out;
	}
	error = ffs_node_create(fm, dnp->fn_ino, type, va->va_mode,
	    va->va_uid, va->va_gid, &vp);
	if (error)
		goto out;
	np = VP_TO_FFS_NODE(vp);
	np->fn_nlink = 1;
	if (type == VCHR || type == VBLK)
		np->fn_rdev = va->va_rdev;
	if (type == VDIR) {
		np->fn_nlink = 2;
		error = ffs_dir_init(fm, np, dnp->fn_ino);
	} else if (type == VLNK) {
		tlen = strlen(target);
		if (tlen < (size_t)fm->fm_sb.sb_maxsymlinklen) {
			memcpy(np->fn_inline, target, tlen);
			np->fn_size = tlen;
		} else
			error = ffs_rdwr_kernel(np, true, 0,
			    (void *)(uintptr_t)target, tlen);
	}
	if (error == 0)
		error = ffs_update(fm, np);
	if (error == 0)
		error = ffs_dir_enter(fm, dnp, name, len, np->fn_ino,
		    ffs_vtype_dt(type));
	if (error) {
		np->fn_nlink = 0;	/* freed by its vrele below */
		goto out;
	}
	/* The name is there: done, whether or not the directory's inode
	 * block can be had now (if not, it is written later). */
	if (type == VDIR)
		dnp->fn_nlink++;
	ffs_touch(dnp, true);
	(void)ffs_update(fm, dnp);
 out:
	rw_exit(&fm->fm_oplock);
	if (error && vp != NULL) {
		vrele(vp);
		vp = NULL;
	}
	*vpp = vp;
	return error;
}

static int
ffs_create(struct vnode *dvp, const char *name, size_t len, struct vattr *va,
    struct vnode **vpp)
{

	if (va->va_type == VBAD || va->va_type == VNON ||
	    va->va_type == VLNK)
		return EINVAL;
	return ffs_mknode(dvp, name, len, va, NULL, vpp);
}

static int
ffs_symlink(struct vnode *dvp, const char *name, size_t len,
    struct vattr *va, const char *target, struct vnode **vpp)
{

	return ffs_mknode(dvp, name, len, va, target, vpp);
}

static int
ffs_remove(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t len)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(dvp);
	struct ffs_node *dnp = VP_TO_FFS_NODE(dvp), *np = VP_TO_FFS_NODE(vp);
	bool empty;
	int error;

	rw_enter(&fm->fm_oplock, RW_WRITER);
	if (np->fn_type == VDIR) {
		if ((error = ffs_dir_isempty(fm, np, &empty)) != 0)
			goto out;
		if (!empty) {
			error = ENOTEMPTY;
			goto out;
		}
	}
	if ((error = ffs_dir_remove(fm, dnp, name, len, np->fn_ino)) != 0)
		goto out;
	if (np->fn_type == VDIR) {
		np->fn_nlink = 0;	/* the name and its "." */
		if (dnp->fn_nlink > 0)
			dnp->fn_nlink--;	/* its ".." */
	} else if (np->fn_nlink > 0)
		np->fn_nlink--;
	/* The name is gone: done, even if an inode block cannot be had
	 * now (it is written later). */
	ffs_touch(np, false);
	ffs_touch(dnp, true);
	(void)ffs_update(fm, np);
	(void)ffs_update(fm, dnp);
	cache_purge(vp);
 out:
	rw_exit(&fm->fm_oplock);
	return error;
}

static int
ffs_link(struct vnode *dvp, struct vnode *vp, const char *name, size_t len)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(dvp);
	struct ffs_node *dnp = VP_TO_FFS_NODE(dvp), *np = VP_TO_FFS_NODE(vp);
	uint32_t ino;
	int error;

	rw_enter(&fm->fm_oplock, RW_WRITER);
	if (dnp->fn_nlink == 0 || np->fn_nlink == 0)
		error = ENOENT;
	else if (np->fn_nlink >= FFS_LINK_MAX)
		error = EMLINK;
	else if ((error = ffs_dir_lookup(fm, dnp, name, len, &ino)) == 0)
		error = EEXIST;
	else if (error == ENOENT) {
		error = ffs_dir_enter(fm, dnp, name, len, np->fn_ino,
		    ffs_vtype_dt(np->fn_type));
		if (error == 0) {
			/* Done, as in ffs_remove. */
			np->fn_nlink++;
			ffs_touch(np, false);
			ffs_touch(dnp, true);
			(void)ffs_update(fm, np);
			(void)ffs_update(fm, dnp);
		}
	}
	rw_exit(&fm->fm_oplock);
	return error;
}

static int
ffs_rename(struct vnode *fdvp, struct vnode *fvp, const char *fname,
    size_t flen, struct vnode *tdvp, struct vnode *tvp, const char *tname,
    size_t tlen)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(fdvp);
	struct ffs_node *fdp = VP_TO_FFS_NODE(fdvp), *tdp = VP_TO_FFS_NODE(tdvp);
	struct ffs_node *fnp = VP_TO_FFS_NODE(fvp);
	struct ffs_node *tnp = tvp != NULL ? VP_TO_FFS_NODE(tvp) : NULL;
	bool isdir = fnp->fn_type == VDIR, empty;
	uint32_t ino;
	int error;

	rw_enter(&fm->fm_oplock, RW_WRITER);
	/* The names were looked up before the lock: check them again. */
	error = ffs_dir_lookup(fm, fdp, fname, flen, &ino);
	if (error == 0 && ino != fnp->fn_ino)
		error = ERESTART;
	if (error == 0 && tdp->fn_nlink == 0)
		error = ENOENT;
	if (error)
		goto out;
	error = ffs_dir_lookup(fm, tdp, tname, tlen, &ino);
	if (tnp != NULL) {
		if (error == 0 && ino != tnp->fn_ino)
			error = ERESTART;
		if (error == ENOENT)
			error = ERESTART;
		if (error)
			goto out;
		if (tnp == fnp)
			goto out;	/* two links of one file: nothing */
		if (tnp->fn_type == VDIR) {
			if ((error = ffs_dir_isempty(fm, tnp, &empty)) != 0)
				goto out;
			if (!empty) {
				error = ENOTEMPTY;
				goto out;
			}
		}
	} else {
		if (error == 0)
			error = ERESTART;	/* appeared meanwhile */
		if (error != ENOENT)
			goto out;
		if (isdir && fdp != tdp && tdp->fn_nlink >= FFS_LINK_MAX) {
			error = EMLINK;
			goto out;
		}
	}
	/*
	 * Three changes to directories, each of which can fail: the new
	 * name (until it is there, nothing has changed), a moved
	 * directory's "..", and the old name.  A failure takes back the
	 * changes before it, on chunks read just now (so cached: that
	 * needs no memory and no I/O); the link counts change only once
	 * all three are done.
	 */
	if (tnp != NULL)
		error = ffs_dir_rewrite(fm, tdp, tname, tlen, fnp->fn_ino,
		    ffs_vtype_dt(fnp->fn_type));
	else
		error = ffs_dir_enter(fm, tdp, tname, tlen, fnp->fn_ino,
		    ffs_vtype_dt(fnp->fn_type));
	if (error)
		goto out;
	if (isdir && fdp != tdp && (error = ffs_dir_rewrite(fm, fnp, "..", 2,
	    tdp->fn_ino, RUMP_DT_DIR)) != 0)
		goto undo_new;
	if ((error = ffs_dir_remove(fm, fdp, fname, flen, fnp->fn_ino)) != 0)
		goto undo_dotdot;

	/* Done: the counts, and the inodes (written later if their
	 * blocks cannot be had now). */
	if (tnp != NULL) {
		if (tnp->fn_type == VDIR) {
			tnp->fn_nlink = 0;
			tdp->fn_nlink--;	/* its ".." */
		} else if (tnp->fn_nlink > 0)
			tnp->fn_nlink--;
		ffs_touch(tnp, false);
		(void)ffs_update(fm, tnp);
		cache_purge(tvp);
	}
	if (isdir && fdp != tdp) {
		fdp->fn_nlink--;
		tdp->fn_nlink++;
	}
	ffs_touch(fnp, false);
	ffs_touch(fdp, true);
	ffs_touch(tdp, true);
	(void)ffs_update(fm, fnp);
	(void)ffs_update(fm, fdp);
	if (tdp != fdp)
		(void)ffs_update(fm, tdp);
	goto out;

 undo_dotdot:
	if (isdir && fdp != tdp && ffs_dir_rewrite(fm, fnp, "..", 2,
	    fdp->fn_ino, RUMP_DT_DIR) != 0)
		goto lost;
 undo_new:
	if ((tnp != NULL ? ffs_dir_rewrite(fm, tdp, tname, tlen, tnp->fn_ino,
	    ffs_vtype_dt(tnp->fn_type)) : ffs_dir_remove(fm, tdp, tname,
	    tlen, fnp->fn_ino)) == 0)
		goto out;
 lost:
	printf("ffs: %s: rename of inode %u failed half way (error %d) and "
	    "could not be undone; run fsck_ffs\n",
	    fm->fm_mount->mnt_fromname, fnp->fn_ino, error);
 out:
	rw_exit(&fm->fm_oplock);
	return error;
}

static int
ffs_getattr(struct vnode *vp, struct vattr *va)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);

	rw_enter(&fm->fm_oplock, RW_READER);
	memset(va, 0, sizeof(*va));
	va->va_type = np->fn_type;
	va->va_mode = np->fn_mode;
	va->va_nlink = np->fn_nlink;
	va->va_uid = np->fn_uid;
	va->va_gid = np->fn_gid;
	va->va_fsid = vp->v_mount->mnt_fsid;
	va->va_fileid = np->fn_ino;
	va->va_size = (off_t)np->fn_size;
	va->va_bytes = np->fn_blocks * DEV_BSIZE;
	va->va_blocksize = (uint32_t)fm->fm_sb.sb_bsize;
	mutex_enter(&fm->fm_lock);
	va->va_atime = np->fn_atime;
	mutex_exit(&fm->fm_lock);
	va->va_mtime = np->fn_mtime;
	va->va_ctime = np->fn_ctime;
	va->va_birthtime = np->fn_birthtime;
	va->va_rdev = np->fn_rdev;
	rw_exit(&fm->fm_oplock);
	return 0;
}

static int
ffs_setattr(struct vnode *vp, struct vattr *va)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	int error = 0;

	rw_enter(&fm->fm_oplock, RW_WRITER);
	if (va->va_size != VNOVAL) {
		if (np->fn_type != VREG) {
			error = np->fn_type == VDIR ? EISDIR : EINVAL;
			goto out;
		}
		if ((uint64_t)va->va_size != np->fn_size &&
		    (error = ffs_truncate(fm, np, (uint64_t)va->va_size)) != 0)
			goto out;
		ffs_touch(np, true);	/* POSIX: even to the same size */
	}
	if (va->va_mode != (mode_t)VNOVAL)
		np->fn_mode = va->va_mode & 07777;
	if (va->va_uid != (uid_t)VNOVAL)
		np->fn_uid = va->va_uid;
	if (va->va_gid != (gid_t)VNOVAL)
		np->fn_gid = va->va_gid;
	if (vattr_timeset(&va->va_atime)) {
		mutex_enter(&fm->fm_lock);
		np->fn_atime = va->va_atime;
		np->fn_adirty = false;
		mutex_exit(&fm->fm_lock);
	}
	if (vattr_timeset(&va->va_mtime))
		np->fn_mtime = va->va_mtime;
	ffs_touch(np, false);
	(void)ffs_update(fm, np);	/* else written later */
 out:
	rw_exit(&fm->fm_oplock);
	return error;
}

#define FFS_MAXRA	31		/* blocks read ahead */

/* How many whole blocks after lbn lie right after it on disk. */
static int
ffs_ra_run(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    int64_t addr)
{
	int64_t a, nblk = (int64_t)((np->fn_size +
	    (uint64_t)fm->fm_sb.sb_bsize - 1) >> fm->fm_sb.sb_bshift);
	int n;

	if (ffs_bmap_run(fm, np, lbn, FFS_MAXRA, &a, &n) != 0 || a != addr)
		return 0;
	n = (int)MIN((int64_t)n, nblk - lbn - 1);
	while (n > 0 && ffs_blksize(fm, np, lbn + n) !=
	    (size_t)fm->fm_sb.sb_bsize)
		n--;		/* a fragment tail is read alone */
	return n;
}

#define FFS_DIRECT_MIN	(64 * 1024)	/* smaller reads go through buffers */
#define FFS_DIRECT_MAX	(1024 * 1024)	/* one transfer at most */

/*
 * A large, block-aligned read of whole blocks that lie one after the
 * other on disk, none of them cached (on a read-write mount: a
 * read-only one has nothing newer than the disk), goes from the device
 * straight to the reader (when uio_direct allows): one transfer and no
 * copy, as a host cat has.  EAGAIN: not such a read; the caller uses
 * buffers.
 */
static int
ffs_read_direct(struct ffs_mount *fm, struct ffs_node *np, struct uio *uio)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	int64_t bsize = sb->sb_bsize, lbn, first = 0, n, max;
	uint64_t off = (uint64_t)uio->uio_offset;
	void *dst;
	int error, run;

	if (uio->uio_resid < FFS_DIRECT_MIN || (off & (uint64_t)(bsize - 1)))
		return EAGAIN;
	max = (int64_t)(MIN(MIN(uio->uio_resid, FFS_DIRECT_MAX),
	    np->fn_size - off) / (uint64_t)bsize);
	lbn = (int64_t)(off >> sb->sb_bshift);
	/* Whole blocks only (max stops short of a fragment tail). */
	if (max < 1 || ffs_bmap_run(fm, np, lbn, (int)max - 1, &first,
	    &run) != 0 || first == 0)
		return EAGAIN;
	for (n = 0; n <= run; n++)
		if (!fm->fm_ronly && bcached(fm->fm_dev,
		    FFS_FSBTODB(fm, first + n * sb->sb_frag)))
			break;
	if (n * bsize < FFS_DIRECT_MIN ||
	    first + n * sb->sb_frag > sb->sb_size ||
	    (dst = uio_direct(uio, (size_t)(n * bsize))) == NULL)
		return EAGAIN;
	error = bread_direct(fm->fm_dev, FFS_FSBTODB(fm, first), dst,
	    (size_t)(n * bsize));
	if (error == 0)
		uio_advance(uio, (size_t)(n * bsize));
	return error;
}

int
ffs_read_locked(struct vnode *vp, struct uio *uio)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	const struct ffs_sb *sb = &fm->fm_sb;
	int64_t lbn, addr;
	size_t off, n, bsz;
	struct buf *bp;
	int error = 0;

	if (vp->v_type != VREG && vp->v_type != VDIR && vp->v_type != VLNK)
		return EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < np->fn_size) {
		if ((error = ffs_read_direct(fm, np, uio)) != EAGAIN) {
			if (error)
				break;
			continue;
		}
		error = 0;
		lbn = uio->uio_offset >> sb->sb_bshift;
		off = (size_t)(uio->uio_offset & (sb->sb_bsize - 1));
		n = MIN((size_t)sb->sb_bsize - off, uio->uio_resid);
		n = MIN(n, (size_t)(np->fn_size - (uint64_t)uio->uio_offset));
		if ((error = ffs_bmap(fm, np, lbn, &addr)) != 0)
			break;
		if (addr == 0) {
			error = uiomove_zero(n, uio);	/* a hole */
		} else {
			bsz = ffs_blksize(fm, np, lbn);
			if (addr + (int64_t)howmany(bsz, sb->sb_fsize) >
			    sb->sb_size) {
				error = EIO;
				break;
			}
			/* Read ahead: the next blocks, if they follow on
			 * disk (a contiguous run, as FFS lays files out). */
			error = breadn(fm->fm_dev, FFS_FSBTODB(fm, addr), bsz,
			    bsz == (size_t)sb->sb_bsize ? ffs_ra_run(fm, np,
			    lbn, addr) : 0, &bp);
			if (error)
				break;
			error = uiomove((char *)bp->b_data + off,
			    MIN(n, bsz - MIN(bsz, off)), uio);
			brelse(bp);
		}
		if (error)
			break;
	}
	return error;
}

struct ffs_readdir_arg {
	struct uio	*uio;
	uint64_t	next;		/* cookie to resume from */
	int		error;
	bool		full;
};

static int
ffs_readdir_fn(void *arg, uint32_t ino, const char *name, size_t len,
    int type, uint64_t next)
{
	struct ffs_readdir_arg *ra = arg;
	char buf[offsetof(struct rump_dirent, d_name) + RUMP_MAXNAMLEN + 8];
	struct rump_dirent *d = (struct rump_dirent *)buf;
	size_t reclen = roundup(offsetof(struct rump_dirent, d_name) + len + 1,
	    8);
	off_t save = ra->uio->uio_offset;

	if (reclen > ra->uio->uio_resid) {
		ra->full = true;
		return -1;
	}
	memset(buf, 0, reclen);
	d->d_ino = ino;
	d->d_off = (off_t)next;
	d->d_reclen = (uint16_t)reclen;
	d->d_namlen = (uint16_t)len;
	d->d_type = (uint8_t)type;
	memcpy(d->d_name, name, len);
	if ((ra->error = uiomove(buf, reclen, ra->uio)) != 0)
		return -1;
	ra->uio->uio_offset = save;
	ra->next = next;
	return 0;
}

static int
ffs_readdir_locked(struct vnode *vp, struct uio *uio, int *eofp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	struct ffs_readdir_arg ra = { uio, (uint64_t)uio->uio_offset, 0,
	    false };
	size_t resid0 = uio->uio_resid;
	int error;

	*eofp = 0;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	error = ffs_dir_walk(fm, np, (uint64_t)uio->uio_offset,
	    ffs_readdir_fn, &ra);
	if (error == 0)
		error = ra.error;
	if (error == 0 && ra.full && uio->uio_resid == resid0)
		error = EINVAL;		/* not one record fits */
	uio->uio_offset = (off_t)ra.next;
	if (error == 0 && !ra.full) {
		*eofp = 1;
		uio->uio_offset = (off_t)np->fn_size;
	}
	return error;
}


static int
ffs_read(struct vnode *vp, struct uio *uio, int ioflag __unused)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	struct timespec now;
	int error;

	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	rw_enter(&fm->fm_oplock, RW_READER);
	error = ffs_read_locked(vp, uio);
	if (!fm->fm_ronly) {
		getnanotime(&now);
		mutex_enter(&fm->fm_lock);
		np->fn_atime = now;
		np->fn_adirty = true;
		mutex_exit(&fm->fm_lock);
	}
	rw_exit(&fm->fm_oplock);
	return error;
}

int
ffs_write_locked(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t resid0 = uio->uio_resid, off, n;
	uint64_t end;
	struct buf *bp;
	int64_t lbn;
	int error = 0;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if (vp->v_type != VREG && vp->v_type != VDIR && vp->v_type != VLNK)
		return EINVAL;
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)np->fn_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if ((uint64_t)uio->uio_offset + uio->uio_resid > sb->sb_maxfilesize)
		return EFBIG;
	while (uio->uio_resid > 0) {
		lbn = uio->uio_offset >> sb->sb_bshift;
		off = (size_t)(uio->uio_offset & (sb->sb_bsize - 1));
		n = MIN((size_t)sb->sb_bsize - off, uio->uio_resid);
		if ((error = ffs_balloc(fm, np, lbn, off + n, &bp)) != 0)
			break;
		np->fn_dirty = true;	/* it may have allocated */
		error = uiomove((char *)bp->b_data + off, n, uio);
		/* The size covers what balloc made, even if the copy
		 * failed half way (the rest reads as zeros): the last
		 * block's size must agree with its fragments. */
		end = ((uint64_t)lbn << sb->sb_bshift) + off + n;
		if (end > np->fn_size)
			np->fn_size = error ? end : (uint64_t)uio->uio_offset;
		bdwrite(bp);	/* written in clusters, later */
		if (error)
			break;
	}
	if (uio->uio_resid != resid0) {
		ffs_touch(np, true);
		np->fn_dirty = true;
		error = 0;		/* a short write */
	}
	/* What was written stays written: an inode block that cannot be
	 * had now is written later. */
	if (np->fn_dirty)
		(void)ffs_update(fm, np);
	return error;
}

static int
ffs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	int error;

	if (vp->v_type != VREG)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	rw_enter(&fm->fm_oplock, RW_WRITER);
	error = ffs_write_locked(vp, uio, ioflag);
	rw_exit(&fm->fm_oplock);
	return error;
}

static int
ffs_readdir(struct vnode *vp, struct uio *uio, int *eofp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	int error;

	rw_enter(&fm->fm_oplock, RW_READER);
	error = ffs_readdir_locked(vp, uio, eofp);
	rw_exit(&fm->fm_oplock);
	return error;
}

static int
ffs_readlink(struct vnode *vp, struct uio *uio)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	int error;

	rw_enter(&fm->fm_oplock, RW_READER);
	if (np->fn_blocks == 0 ||
	    np->fn_size < (uint64_t)fm->fm_sb.sb_maxsymlinklen)
		error = uiomove(np->fn_inline, MIN((size_t)np->fn_size,
		    MIN(uio->uio_resid, sizeof(np->fn_inline))), uio);
	else {
		uio->uio_offset = 0;
		error = ffs_read_locked(vp, uio);
	}
	rw_exit(&fm->fm_oplock);
	return error;
}

/*
 * Write back the nodes not in their inode blocks: atimes that reads
 * changed, and nodes whose ffs_update failed (fm_oplock as writer).
 */
int
ffs_flush_nodes(struct ffs_mount *fm)
{
	struct ffs_node *np;
	bool dirty;
	int i, error = 0;

	KASSERT(rw_write_held(&fm->fm_oplock));
	for (i = 0; i < FFS_NHASH; i++) {
		LIST_FOREACH(np, &fm->fm_hash[i], fn_hash) {
			mutex_enter(&fm->fm_lock);
			dirty = np->fn_adirty || np->fn_dirty;
			np->fn_adirty = false;
			mutex_exit(&fm->fm_lock);
			if (dirty && np->fn_nlink > 0 &&
			    (error = ffs_update(fm, np)) != 0)
				return error;
		}
	}
	return 0;
}

static int
ffs_fsync(struct vnode *vp, int flags __unused)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	int error;

	if (fm->fm_ronly)
		return 0;
	rw_enter(&fm->fm_oplock, RW_WRITER);
	error = ffs_update(fm, VP_TO_FFS_NODE(vp));
	rw_exit(&fm->fm_oplock);
	if (error == 0)
		error = bflush(fm->fm_dev);
	return error;
}

/* The last reference went: an unlinked file is freed with its vnode
 * (true: the VFS frees the vnode); a linked one keeps it, cached. */
static bool
ffs_inactive(struct vnode *vp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	int error;

	if (np->fn_nlink > 0 || fm->fm_ronly)
		return false;
	/* Unlinked: no name leads here, so only a holder of a reference
	 * (checked under fm_lock) could still want it. */
	rw_enter(&fm->fm_oplock, RW_WRITER);
	cache_purge(vp);
	mutex_enter(&fm->fm_lock);
	if (vp->v_usecount > 0) {
		mutex_exit(&fm->fm_lock);
		rw_exit(&fm->fm_oplock);
		return false;
	}
	mutex_exit(&fm->fm_lock);
	/* It stays hashed until freed: fm_oplock keeps everyone out. */
	if ((error = ffs_node_destroy(fm, np)) == 0) {
		mutex_enter(&fm->fm_lock);
		LIST_REMOVE(np, fn_hash);
		mutex_exit(&fm->fm_lock);
	}
	rw_exit(&fm->fm_oplock);
	if (error) {
		/* Kept, unlinked, with what was freed so far: ffs_reclaim
		 * or the unmount tries again, rather than leave an inode
		 * that is neither in use nor free. */
		printf("ffs: %s: freeing inode %u: error %d; kept for "
		    "later\n", fm->fm_mount->mnt_fromname, np->fn_ino,
		    error);
		return false;
	}
	ffs_node_free(np);
	return true;
}

/*
 * The VFS wants vp back.  An unlinked node still here is one whose
 * freeing failed: tried again now; a changed one is written.  If that
 * fails too, EBUSY: the node stays for the unmount.
 */
static int
ffs_reclaim(struct vnode *vp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);
	int error = 0;

	rw_enter(&fm->fm_oplock, RW_WRITER);
	mutex_enter(&fm->fm_lock);
	cache_purge(vp);
	if (vp->v_usecount > 0) {
		mutex_exit(&fm->fm_lock);
		rw_exit(&fm->fm_oplock);
		return EBUSY;
	}
	mutex_exit(&fm->fm_lock);
	if (!fm->fm_ronly && np->fn_nlink == 0)
		error = ffs_node_destroy(fm, np);
	else if (!fm->fm_ronly && (np->fn_adirty || np->fn_dirty))
		error = ffs_update(fm, np);
	mutex_enter(&fm->fm_lock);
	/* ffs_vget() takes no fm_oplock: it may have found it again. */
	if (error == 0 && vp->v_usecount > 0)
		error = EBUSY;
	if (error == 0)
		LIST_REMOVE(np, fn_hash);
	mutex_exit(&fm->fm_lock);
	rw_exit(&fm->fm_oplock);
	if (error)
		return EBUSY;
	ffs_node_free(np);
	return 0;
}

const struct vnodeops ffs_vnodeops = {
	.vop_lookup = ffs_lookup,
	.vop_create = ffs_create,
	.vop_symlink = ffs_symlink,
	.vop_remove = ffs_remove,
	.vop_link = ffs_link,
	.vop_rename = ffs_rename,
	.vop_getattr = ffs_getattr,
	.vop_setattr = ffs_setattr,
	.vop_read = ffs_read,
	.vop_write = ffs_write,
	.vop_readdir = ffs_readdir,
	.vop_readlink = ffs_readlink,
	.vop_fsync = ffs_fsync,
	.vop_inactive = ffs_inactive,
	.vop_reclaim = ffs_reclaim,
};
