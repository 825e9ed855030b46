/*
 * ffs_vnops.c: FFS vnode operations (read-only so far).
 *
 * Directories are read 512 bytes at a time (DIRBLKSIZ chunks), and
 * every entry is checked before use: a record length that is a
 * multiple of 4, covers its name and stays in its chunk; a name with no
 * NUL or '/'; an inode number inside the file system.  A bad entry is
 * EIO.  Everything that would write returns EROFS.
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

/* Read len bytes at off of np's data into buf (kernel memory). */
static int
ffs_read_kernel(struct ffs_mount *fm, struct ffs_node *np, uint64_t off,
    void *buf, size_t len)
{
	struct iovec iov = { buf, len };
	struct uio uio = { &iov, 1, (off_t)off, len, UIO_READ, UIO_SYSSPACE };
	int error;

	error = np->fn_vnode->v_op->vop_read(np->fn_vnode, &uio, 0);
	(void)fm;
	if (error == 0 && uio.uio_resid != 0)
		error = EIO;
	return error;
}

/*
 * Walk the entries of directory np from byte offset off; fn(arg, ino,
 * name, namelen, type, next offset) returns nonzero to stop.
 */
typedef int (*ffs_dirfn)(void *arg, uint32_t ino, const char *name,
    size_t len, int type, uint64_t next);

static int
ffs_dir_walk(struct ffs_mount *fm, struct ffs_node *np, uint64_t off,
    ffs_dirfn fn, void *arg)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint8_t chunk[FFS_DIRBLKSIZ];
	uint64_t base, maxino = (uint64_t)sb->sb_ncg * sb->sb_ipg;
	size_t pos, reclen, namlen, i;
	uint32_t ino;
	int type, error, stop;

	for (base = off & ~(uint64_t)(FFS_DIRBLKSIZ - 1); base < np->fn_size;
	    base += FFS_DIRBLKSIZ) {
		error = ffs_read_kernel(fm, np, base, chunk, sizeof(chunk));
		if (error)
			return error;
		for (pos = 0; pos < FFS_DIRBLKSIZ; pos += reclen) {
			ino = ffs_get32(chunk + pos, sb->sb_bigendian);
			reclen = ffs_get16(chunk + pos + 4, sb->sb_bigendian);
			if (fm->fm_olddir) {
				namlen = ffs_get16(chunk + pos + 6,
				    sb->sb_bigendian);
				type = RUMP_DT_UNKNOWN;
			} else {
				type = chunk[pos + 6];
				namlen = chunk[pos + 7];
			}
			if (reclen < 8 || reclen % 4 != 0 ||
			    pos + reclen > FFS_DIRBLKSIZ)
				return EIO;
			if (base + pos < off || ino == 0)
				continue;
			if (namlen == 0 || namlen > RUMP_MAXNAMLEN ||
			    8 + namlen + 1 > reclen || ino >= maxino)
				return EIO;
			for (i = 0; i < namlen; i++)
				if (chunk[pos + 8 + i] == '\0' ||
				    chunk[pos + 8 + i] == '/')
					return EIO;
			stop = fn(arg, ino, (const char *)chunk + pos + 8,
			    namlen, type, base + pos + reclen);
			if (stop)
				return stop < 0 ? 0 : stop;
		}
	}
	return 0;
}

struct ffs_lookup_arg {
	const char	*name;
	size_t		len;
	uint32_t	ino;
};

static int
ffs_lookup_fn(void *arg, uint32_t ino, const char *name, size_t len,
    int type __unused, uint64_t next __unused)
{
	struct ffs_lookup_arg *la = arg;

	if (len != la->len || memcmp(name, la->name, len) != 0)
		return 0;
	la->ino = ino;
	return -1;			/* found: stop */
}

static int
ffs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(dvp);
	struct ffs_lookup_arg la = { name, len, 0 };
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	error = ffs_dir_walk(fm, VP_TO_FFS_NODE(dvp), 0, ffs_lookup_fn, &la);
	if (error)
		return error;
	if (la.ino == 0)
		return ENOENT;
	if (la.ino == VP_TO_FFS_NODE(dvp)->fn_ino) {
		vref(dvp);		/* "." or the root's ".." */
		*vpp = dvp;
		return 0;
	}
	return ffs_vget(fm, la.ino, vpp);
}

static int
ffs_getattr(struct vnode *vp, struct vattr *va)
{
	struct ffs_node *np = VP_TO_FFS_NODE(vp);

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
	va->va_blocksize = (uint32_t)VP_TO_FFS_MOUNT(vp)->fm_sb.sb_bsize;
	va->va_atime = np->fn_atime;
	va->va_mtime = np->fn_mtime;
	va->va_ctime = np->fn_ctime;
	va->va_birthtime = np->fn_birthtime;
	va->va_rdev = np->fn_rdev;
	return 0;
}

#define FFS_MAXRA	16		/* blocks read ahead */

/* How many blocks after lbn lie right after addr on disk. */
static int
ffs_ra_run(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    int64_t addr)
{
	int64_t next, nblk = (int64_t)((np->fn_size +
	    (uint64_t)fm->fm_sb.sb_bsize - 1) >> fm->fm_sb.sb_bshift);
	int n;

	for (n = 0; n < FFS_MAXRA && lbn + n + 1 < nblk; n++) {
		if (ffs_bmap(fm, np, lbn + n + 1, &next) != 0 ||
		    next != addr + (int64_t)(n + 1) * fm->fm_sb.sb_frag ||
		    ffs_blksize(fm, np, lbn + n + 1) !=
		    (size_t)fm->fm_sb.sb_bsize)
			break;
	}
	return n;
}

static int
ffs_read(struct vnode *vp, struct uio *uio, int ioflag __unused)
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
ffs_readdir(struct vnode *vp, struct uio *uio, int *eofp)
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
ffs_readlink(struct vnode *vp, struct uio *uio)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);

	if (np->fn_size < (uint64_t)fm->fm_sb.sb_maxsymlinklen ||
	    np->fn_blocks == 0)
		return uiomove(np->fn_inline, MIN((size_t)np->fn_size,
		    uio->uio_resid), uio);
	uio->uio_offset = 0;
	return ffs_read(vp, uio, 0);
}

static int
ffs_fsync(struct vnode *vp __unused, int flags __unused)
{

	return 0;
}

static void
ffs_inactive(struct vnode *vp)
{

	/* Nothing on disk changes: keep it cached. */
	vnode_cache_release(vp);
}

static int
ffs_reclaim(struct vnode *vp)
{
	struct ffs_mount *fm = VP_TO_FFS_MOUNT(vp);
	struct ffs_node *np = VP_TO_FFS_NODE(vp);

	mutex_enter(&fm->fm_lock);
	cache_purge(vp);
	if (vp->v_usecount > 0) {
		mutex_exit(&fm->fm_lock);
		return EBUSY;
	}
	LIST_REMOVE(np, fn_hash);
	mutex_exit(&fm->fm_lock);
	ffs_node_free(np);
	return 0;
}

const struct vnodeops ffs_vnodeops = {
	.vop_lookup = ffs_lookup,
	.vop_create = genfs_rofs_create,
	.vop_symlink = genfs_rofs_symlink,
	.vop_remove = genfs_rofs_remove,
	.vop_link = genfs_rofs_remove,
	.vop_rename = genfs_rofs_rename,
	.vop_getattr = ffs_getattr,
	.vop_setattr = genfs_rofs_setattr,
	.vop_read = ffs_read,
	.vop_write = genfs_rofs_write,
	.vop_readdir = ffs_readdir,
	.vop_readlink = ffs_readlink,
	.vop_fsync = ffs_fsync,
	.vop_inactive = ffs_inactive,
	.vop_reclaim = ffs_reclaim,
};
