/*
 * ffs_inode.c: reading inodes and mapping file blocks.
 *
 * An inode is read from its block through the buffer cache, decoded
 * from the image's byte order (UFS1: 128 bytes, UFS2: 256) and checked:
 * a known file type, a size within the file system's limit, every block
 * pointer inside the file system.  A bad inode is EIO, never trusted.
 * Indirect blocks are checked the same way as they are followed.
 *
 * Locking: fm_lock over the inode hash; the I/O happens without it,
 * and a second reader of the same inode keeps the first one's node.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include "ffs.h"

static enum vtype
ffs_mode_type(uint16_t mode)
{

	switch (mode & RUMP_S_IFMT) {
	case RUMP_S_IFREG: return VREG;
	case RUMP_S_IFDIR: return VDIR;
	case RUMP_S_IFLNK: return VLNK;
	case RUMP_S_IFCHR: return VCHR;
	case RUMP_S_IFBLK: return VBLK;
	case RUMP_S_IFIFO: return VFIFO;
	case RUMP_S_IFSOCK: return VSOCK;
	default: return VBAD;
	}
}

/* Decode and check the inode at p (docs/ffs-format.md, 4.2, 4.3). */
static int
ffs_decode_inode(struct ffs_mount *fm, const uint8_t *p, struct ffs_node *np)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	bool be = sb->sb_bigendian;
	uint16_t mode = ffs_get16(p, be);
	int i, ptrs;

	np->fn_type = ffs_mode_type(mode);
	if (np->fn_type == VBAD)
		return EIO;
	np->fn_mode = mode & 07777;
	np->fn_nlink = (uint16_t)ffs_get16(p + 2, be);
	if (sb->sb_ufs == 1) {
		np->fn_size = ffs_get64(p + 8, be);
		np->fn_atime.tv_sec = (int32_t)ffs_get32(p + 16, be);
		np->fn_atime.tv_nsec = (int32_t)ffs_get32(p + 20, be);
		np->fn_mtime.tv_sec = (int32_t)ffs_get32(p + 24, be);
		np->fn_mtime.tv_nsec = (int32_t)ffs_get32(p + 28, be);
		np->fn_ctime.tv_sec = (int32_t)ffs_get32(p + 32, be);
		np->fn_ctime.tv_nsec = (int32_t)ffs_get32(p + 36, be);
		np->fn_birthtime = np->fn_ctime;
		for (i = 0; i < FFS_NDADDR; i++)
			np->fn_db[i] = (int32_t)ffs_get32(p + 40 + 4 * i, be);
		for (i = 0; i < FFS_NIADDR; i++)
			np->fn_ib[i] = (int32_t)ffs_get32(p + 88 + 4 * i, be);
		np->fn_flags = ffs_get32(p + 100, be);
		np->fn_blocks = ffs_get32(p + 104, be);
		np->fn_uid = ffs_get32(p + 112, be);
		np->fn_gid = ffs_get32(p + 116, be);
		memcpy(np->fn_inline, p + 40, 60);
	} else {
		np->fn_uid = ffs_get32(p + 4, be);
		np->fn_gid = ffs_get32(p + 8, be);
		np->fn_size = ffs_get64(p + 16, be);
		np->fn_blocks = ffs_get64(p + 24, be);
		np->fn_atime.tv_sec = (int64_t)ffs_get64(p + 32, be);
		np->fn_mtime.tv_sec = (int64_t)ffs_get64(p + 40, be);
		np->fn_ctime.tv_sec = (int64_t)ffs_get64(p + 48, be);
		np->fn_birthtime.tv_sec = (int64_t)ffs_get64(p + 56, be);
		np->fn_mtime.tv_nsec = (int32_t)ffs_get32(p + 64, be);
		np->fn_atime.tv_nsec = (int32_t)ffs_get32(p + 68, be);
		np->fn_ctime.tv_nsec = (int32_t)ffs_get32(p + 72, be);
		np->fn_birthtime.tv_nsec = (int32_t)ffs_get32(p + 76, be);
		np->fn_flags = ffs_get32(p + 88, be);
		for (i = 0; i < FFS_NDADDR; i++)
			np->fn_db[i] = (int64_t)ffs_get64(p + 112 + 8 * i, be);
		for (i = 0; i < FFS_NIADDR; i++)
			np->fn_ib[i] = (int64_t)ffs_get64(p + 208 + 8 * i, be);
		memcpy(np->fn_inline, p + 112, 120);
	}
	/* Nanoseconds out of range would confuse every caller. */
	if (np->fn_atime.tv_nsec < 0 || np->fn_atime.tv_nsec >= NSEC_PER_SEC)
		np->fn_atime.tv_nsec = 0;
	if (np->fn_mtime.tv_nsec < 0 || np->fn_mtime.tv_nsec >= NSEC_PER_SEC)
		np->fn_mtime.tv_nsec = 0;
	if (np->fn_ctime.tv_nsec < 0 || np->fn_ctime.tv_nsec >= NSEC_PER_SEC)
		np->fn_ctime.tv_nsec = 0;
	if (np->fn_birthtime.tv_nsec < 0 ||
	    np->fn_birthtime.tv_nsec >= NSEC_PER_SEC)
		np->fn_birthtime.tv_nsec = 0;

	if (np->fn_size > sb->sb_maxfilesize || np->fn_size > INT64_MAX / 2)
		return EIO;
	if (np->fn_type == VDIR && np->fn_size % FFS_DIRBLKSIZ != 0)
		return EIO;
	if (np->fn_type == VCHR || np->fn_type == VBLK) {
		np->fn_rdev = (uint64_t)np->fn_db[0];
		return 0;		/* no blocks */
	}
	/* An inline symlink's bytes are not block pointers. */
	if (np->fn_type == VLNK && (np->fn_size < (uint64_t)
	    sb->sb_maxsymlinklen || np->fn_blocks == 0)) {
		if (np->fn_size > (uint64_t)(sb->sb_ufs == 1 ? 60 : 120))
			return EIO;
		return 0;
	}
	ptrs = FFS_NDADDR + FFS_NIADDR;
	for (i = 0; i < ptrs; i++) {
		int64_t a = i < FFS_NDADDR ? np->fn_db[i] :
		    np->fn_ib[i - FFS_NDADDR];

		if (a < 0 || a >= sb->sb_size)
			return EIO;
	}
	return 0;
}

static int
ffs_read_inode(struct ffs_mount *fm, uint32_t ino, struct ffs_node *np)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint32_t cg = ino / (uint32_t)sb->sb_ipg;
	int64_t cgstart, fsba;
	size_t isz = sb->sb_ufs == 1 ? 128 : 256, off;
	struct buf *bp;
	int error;

	if (ino < FFS_ROOTINO || ino >= (uint64_t)sb->sb_ncg * sb->sb_ipg)
		return EIO;
	cgstart = (int64_t)cg * sb->sb_fpg;
	if (sb->sb_ufs == 1)
		cgstart += (int64_t)sb->sb_old_cgoffset *
		    (cg & ~(uint32_t)sb->sb_old_cgmask);
	fsba = cgstart + sb->sb_iblkno + ((int64_t)((ino % sb->sb_ipg) /
	    sb->sb_inopb) << sb->sb_fragshift);
	if (fsba + sb->sb_frag > sb->sb_size)
		return EIO;
	error = bread(fm->fm_dev, FFS_FSBTODB(fm, fsba), sb->sb_bsize, &bp);
	if (error)
		return error;
	off = (ino % (uint32_t)sb->sb_inopb) * isz;
	np->fn_ino = ino;
	error = ffs_decode_inode(fm, (uint8_t *)bp->b_data + off, np);
	brelse(bp);
	return error;
}

int
ffs_vget(struct ffs_mount *fm, uint32_t ino, struct vnode **vpp)
{
	struct ffs_node *np, *other;
	struct vnode *vp;
	u_int h = ino % FFS_NHASH;
	int error;

	mutex_enter(&fm->fm_lock);
	LIST_FOREACH(np, &fm->fm_hash[h], fn_hash) {
		if (np->fn_ino == ino) {
			vnode_activate(np->fn_vnode);
			*vpp = np->fn_vnode;
			mutex_exit(&fm->fm_lock);
			return 0;
		}
	}
	mutex_exit(&fm->fm_lock);

	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ffs_read_inode(fm, ino, np)) != 0 ||
	    (error = vnode_alloc(fm->fm_mount, np->fn_type, &ffs_vnodeops,
	    np, &vp)) != 0) {
		kmem_free(np, sizeof(*np));
		return error;
	}
	mutex_enter(&fm->fm_lock);
	LIST_FOREACH(other, &fm->fm_hash[h], fn_hash) {
		if (other->fn_ino == ino) {
			/* Someone read it meanwhile: use theirs. */
			vnode_activate(other->fn_vnode);
			*vpp = other->fn_vnode;
			mutex_exit(&fm->fm_lock);
			vnode_abandon(vp);
			kmem_free(np, sizeof(*np));
			return 0;
		}
	}
	np->fn_vnode = vp;
	LIST_INSERT_HEAD(&fm->fm_hash[h], np, fn_hash);
	mutex_exit(&fm->fm_lock);
	*vpp = vp;
	return 0;
}

void
ffs_node_free(struct ffs_node *np)
{

	kmem_free(np, sizeof(*np));
}

size_t
ffs_blksize(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint64_t end = (uint64_t)(lbn + 1) << sb->sb_bshift;
	uint64_t tail;

	/* Only a last direct block may be a run of fragments. */
	if (lbn >= FFS_NDADDR || np->fn_size >= end)
		return (size_t)sb->sb_bsize;
	tail = np->fn_size - ((uint64_t)lbn << sb->sb_bshift);
	return (size_t)roundup(tail, (uint64_t)sb->sb_fsize);
}

/* Entry i of the indirect block at fragment address ind. */
static int
ffs_indir(struct ffs_mount *fm, int64_t ind, int64_t i, int64_t *addr)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	struct buf *bp;
	const uint8_t *p;
	int error;

	if (ind <= 0 || ind + sb->sb_frag > sb->sb_size)
		return EIO;
	error = bread(fm->fm_dev, FFS_FSBTODB(fm, ind), sb->sb_bsize, &bp);
	if (error)
		return error;
	p = bp->b_data;
	*addr = sb->sb_ufs == 1 ?
	    (int32_t)ffs_get32(p + 4 * i, sb->sb_bigendian) :
	    (int64_t)ffs_get64(p + 8 * i, sb->sb_bigendian);
	brelse(bp);
	if (*addr < 0 || *addr >= sb->sb_size)
		return EIO;
	return 0;
}

int
ffs_bmap(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    int64_t *addr)
{
	int64_t n = fm->fm_sb.sb_nindir, span = 1, a, i;
	int level, error;

	if (lbn < 0)
		return EINVAL;
	if (lbn < FFS_NDADDR) {
		*addr = np->fn_db[lbn];
		return 0;
	}
	lbn -= FFS_NDADDR;
	for (level = 0; level < FFS_NIADDR; level++) {
		span *= n;
		if (lbn < span)
			break;
		lbn -= span;
	}
	if (level == FFS_NIADDR)
		return EFBIG;
	a = np->fn_ib[level];
	/* Walk down: at each level the entry covering lbn. */
	while (a != 0) {
		span /= n;
		i = lbn / span;
		lbn %= span;
		if ((error = ffs_indir(fm, a, i, &a)) != 0)
			return error;
		if (span == 1)
			break;
	}
	*addr = a;		/* 0: a hole */
	return 0;
}
