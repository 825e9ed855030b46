/*
 * ffs_inode.c: reading inodes and mapping file blocks.
 *
 * An inode is read from its block through the buffer cache, decoded
 * from the image's byte order (UFS1: 128 bytes, UFS2: 256) and checked:
 * a known file type, a size within the file system's limit, every block
 * pointer inside the file system.  A bad inode is EIO, never trusted.
 * Indirect blocks are checked the same way as they are followed.
 * ffs_update() encodes a node back into its block.
 *
 * Locking: fm_lock over the inode hash; the I/O happens without it,
 * and a second reader of the same inode keeps the first one's node.
 * Writing a node needs fm_oplock as writer.
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
		np->fn_gen = (int32_t)ffs_get32(p + 108, be);
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
		np->fn_gen = (int32_t)ffs_get32(p + 80, be);
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

/* The buffer holding inode ino, and the inode's offset in it. */
static int
ffs_inode_buf(struct ffs_mount *fm, uint32_t ino, struct buf **bpp,
    size_t *offp)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	uint32_t cg = ino / (uint32_t)sb->sb_ipg;
	int64_t cgstart, fsba;
	size_t isz = sb->sb_ufs == 1 ? 128 : 256;

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
	*offp = (ino % (uint32_t)sb->sb_inopb) * isz;
	return bread(fm->fm_dev, FFS_FSBTODB(fm, fsba), sb->sb_bsize, bpp);
}

static int
ffs_read_inode(struct ffs_mount *fm, uint32_t ino, struct ffs_node *np)
{
	struct buf *bp;
	size_t off;
	int error;

	if ((error = ffs_inode_buf(fm, ino, &bp, &off)) != 0)
		return error;
	np->fn_ino = ino;
	error = ffs_decode_inode(fm, (uint8_t *)bp->b_data + off, np);
	brelse(bp);
	return error;
}

static uint16_t
ffs_type_mode(enum vtype t)
{

	switch (t) {
	case VREG: return RUMP_S_IFREG;
	case VDIR: return RUMP_S_IFDIR;
	case VLNK: return RUMP_S_IFLNK;
	case VCHR: return RUMP_S_IFCHR;
	case VBLK: return RUMP_S_IFBLK;
	case VFIFO: return RUMP_S_IFIFO;
	case VSOCK: return RUMP_S_IFSOCK;
	default: return 0;
	}
}

/* Encode np at p (the fields the driver knows; others stay). */
static void
ffs_encode_inode(struct ffs_mount *fm, const struct ffs_node *np, uint8_t *p)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	bool be = sb->sb_bigendian;
	bool inl = np->fn_type == VLNK && np->fn_blocks == 0;
	int64_t db0 = np->fn_type == VCHR || np->fn_type == VBLK ?
	    (int64_t)np->fn_rdev : np->fn_db[0];
	int i;

	ffs_put16(p, (uint16_t)(ffs_type_mode(np->fn_type) |
	    (np->fn_mode & 07777)), be);
	ffs_put16(p + 2, (uint16_t)np->fn_nlink, be);
	if (sb->sb_ufs == 1) {
		ffs_put64(p + 8, np->fn_size, be);
		ffs_put32(p + 16, (uint32_t)np->fn_atime.tv_sec, be);
		ffs_put32(p + 20, (uint32_t)np->fn_atime.tv_nsec, be);
		ffs_put32(p + 24, (uint32_t)np->fn_mtime.tv_sec, be);
		ffs_put32(p + 28, (uint32_t)np->fn_mtime.tv_nsec, be);
		ffs_put32(p + 32, (uint32_t)np->fn_ctime.tv_sec, be);
		ffs_put32(p + 36, (uint32_t)np->fn_ctime.tv_nsec, be);
		if (inl)
			memcpy(p + 40, np->fn_inline, 60);
		else {
			for (i = 0; i < FFS_NDADDR; i++)
				ffs_put32(p + 40 + 4 * i, (uint32_t)(i == 0 ?
				    db0 : np->fn_db[i]), be);
			for (i = 0; i < FFS_NIADDR; i++)
				ffs_put32(p + 88 + 4 * i,
				    (uint32_t)np->fn_ib[i], be);
		}
		ffs_put32(p + 100, np->fn_flags, be);
		ffs_put32(p + 104, (uint32_t)np->fn_blocks, be);
		ffs_put32(p + 108, (uint32_t)np->fn_gen, be);
		ffs_put32(p + 112, np->fn_uid, be);
		ffs_put32(p + 116, np->fn_gid, be);
	} else {
		ffs_put32(p + 4, np->fn_uid, be);
		ffs_put32(p + 8, np->fn_gid, be);
		ffs_put64(p + 16, np->fn_size, be);
		ffs_put64(p + 24, np->fn_blocks, be);
		ffs_put64(p + 32, (uint64_t)np->fn_atime.tv_sec, be);
		ffs_put64(p + 40, (uint64_t)np->fn_mtime.tv_sec, be);
		ffs_put64(p + 48, (uint64_t)np->fn_ctime.tv_sec, be);
		ffs_put64(p + 56, (uint64_t)np->fn_birthtime.tv_sec, be);
		ffs_put32(p + 64, (uint32_t)np->fn_mtime.tv_nsec, be);
		ffs_put32(p + 68, (uint32_t)np->fn_atime.tv_nsec, be);
		ffs_put32(p + 72, (uint32_t)np->fn_ctime.tv_nsec, be);
		ffs_put32(p + 76, (uint32_t)np->fn_birthtime.tv_nsec, be);
		ffs_put32(p + 80, (uint32_t)np->fn_gen, be);
		ffs_put32(p + 88, np->fn_flags, be);
		if (inl)
			memcpy(p + 112, np->fn_inline, 120);
		else {
			for (i = 0; i < FFS_NDADDR; i++)
				ffs_put64(p + 112 + 8 * i, (uint64_t)(i == 0 ?
				    db0 : np->fn_db[i]), be);
			for (i = 0; i < FFS_NIADDR; i++)
				ffs_put64(p + 208 + 8 * i,
				    (uint64_t)np->fn_ib[i], be);
		}
	}
}

int
ffs_update(struct ffs_mount *fm, struct ffs_node *np)
{
	struct buf *bp;
	size_t off;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if ((error = ffs_inode_buf(fm, np->fn_ino, &bp, &off)) != 0) {
		np->fn_dirty = true;	/* for ffs_flush_nodes */
		return error;
	}
	ffs_encode_inode(fm, np, (uint8_t *)bp->b_data + off);
	bdwrite(bp);
	np->fn_dirty = false;
	return 0;
}

/* Wipe inode ino on disk (it is being freed), keeping its generation. */
static int
ffs_inode_clear(struct ffs_mount *fm, uint32_t ino)
{
	size_t isz = fm->fm_sb.sb_ufs == 1 ? 128 : 256, off;
	size_t genoff = fm->fm_sb.sb_ufs == 1 ? 108 : 80;
	struct buf *bp;
	uint8_t *p;
	uint32_t gen;
	int error;

	if ((error = ffs_inode_buf(fm, ino, &bp, &off)) != 0)
		return error;
	p = (uint8_t *)bp->b_data + off;
	gen = ffs_get32(p + genoff, fm->fm_sb.sb_bigendian);
	memset(p, 0, isz);
	ffs_put32(p + genoff, gen, fm->fm_sb.sb_bigendian);
	bdwrite(bp);
	return 0;
}

int
ffs_node_create(struct ffs_mount *fm, uint32_t dirino, enum vtype type,
    mode_t mode, uid_t uid, gid_t gid, struct vnode **vpp)
{
	size_t isz = fm->fm_sb.sb_ufs == 1 ? 128 : 256;
	size_t genoff = fm->fm_sb.sb_ufs == 1 ? 108 : 80, off;
	struct ffs_node *np;
	struct timespec now;
	struct buf *bp;
	struct vnode *vp;
	uint32_t ino, gen;
	uint8_t *p;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ffs_ialloc(fm, dirino, type == VDIR, &ino)) != 0)
		goto fail;
	if ((error = ffs_inode_buf(fm, ino, &bp, &off)) != 0)
		goto fail_ifree;
	p = (uint8_t *)bp->b_data + off;
	if (ffs_get16(p, fm->fm_sb.sb_bigendian) != 0) {
		/* The map said free, the inode says otherwise. */
		printf("ffs: %s: inode %u is marked free but in use; run "
		    "fsck_ffs\n", fm->fm_mount->mnt_fromname, ino);
		brelse(bp);
		error = EIO;
		goto fail;	/* and leave it marked used */
	}
	gen = ffs_get32(p + genoff, fm->fm_sb.sb_bigendian) + 1;
	memset(p, 0, isz);
	getnanotime(&now);
	np->fn_ino = ino;
	np->fn_type = type;
	np->fn_mode = mode & 07777;
	np->fn_uid = uid;
	np->fn_gid = gid;
	np->fn_gen = (int32_t)(gen == 0 ? 1 : gen);
	np->fn_atime = np->fn_mtime = np->fn_ctime = np->fn_birthtime = now;
	ffs_encode_inode(fm, np, p);
	bdwrite(bp);
	if ((error = vnode_alloc(fm->fm_mount, type, &ffs_vnodeops, np,
	    &vp)) != 0)
		goto fail_ifree;
	mutex_enter(&fm->fm_lock);
	np->fn_vnode = vp;
	LIST_INSERT_HEAD(&fm->fm_hash[ino % FFS_NHASH], np, fn_hash);
	mutex_exit(&fm->fm_lock);
	*vpp = vp;
	return 0;
 fail_ifree:
	(void)ffs_inode_clear(fm, ino);
	(void)ffs_ifree(fm, ino, type == VDIR);
 fail:
	kmem_free(np, sizeof(*np));
	return error;
}

/* An unlinked node lost its last reference: free its space and inode. */
int
ffs_node_destroy(struct ffs_mount *fm, struct ffs_node *np)
{
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	error = ffs_truncate(fm, np, 0);
	if (error == 0)
		error = ffs_inode_clear(fm, np->fn_ino);
	if (error == 0)
		error = ffs_ifree(fm, np->fn_ino, np->fn_type == VDIR);
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

	ffs_dirhash_free(np);
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

/*
 * Entry i of the indirect block at fragment address ind; with run, also
 * how many of the next entries (at most maxrun) continue it on disk.
 */
static int
ffs_indir(struct ffs_mount *fm, int64_t ind, int64_t i, int maxrun,
    int64_t *addr, int *run)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	struct buf *bp;
	const uint8_t *p;
	int64_t next;
	int error, k;

	if (ind <= 0 || ind + sb->sb_frag > sb->sb_size)
		return EIO;
	error = bread(fm->fm_dev, FFS_FSBTODB(fm, ind), sb->sb_bsize, &bp);
	if (error)
		return error;
	p = bp->b_data;
#define PTR(j)	(sb->sb_ufs == 1 ? \
	(int64_t)(int32_t)ffs_get32(p + 4 * (j), sb->sb_bigendian) : \
	(int64_t)ffs_get64(p + 8 * (j), sb->sb_bigendian))
	*addr = PTR(i);
	for (k = 0; run != NULL && *addr != 0 && k < maxrun &&
	    i + k + 1 < sb->sb_nindir; k++) {
		next = PTR(i + k + 1);
		if (next != *addr + (int64_t)(k + 1) * sb->sb_frag)
			break;
	}
#undef PTR
	brelse(bp);
	if (run != NULL)
		*run = k;
	if (*addr < 0 || *addr >= sb->sb_size ||
	    (*addr != 0 && *addr + (int64_t)(k + 1) * sb->sb_frag >
	    sb->sb_size))
		return EIO;
	return 0;
}

int
ffs_bmap_run(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    int maxrun, int64_t *addr, int *run)
{
	int64_t n = fm->fm_sb.sb_nindir, span = 1, a, i;
	int level, error, k;

	if (lbn < 0)
		return EINVAL;
	if (run != NULL)
		*run = 0;
	if (lbn < FFS_NDADDR) {
		*addr = np->fn_db[lbn];
		for (k = 0; run != NULL && *addr != 0 && k < maxrun &&
		    lbn + k + 1 < FFS_NDADDR && np->fn_db[lbn + k + 1] ==
		    *addr + (int64_t)(k + 1) * fm->fm_sb.sb_frag; k++)
			;
		if (run != NULL)
			*run = k;
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
	/* Walk down: at each level the entry covering lbn; the run is
	 * counted in the last indirect block only. */
	while (a != 0) {
		span /= n;
		i = lbn / span;
		lbn %= span;
		if ((error = ffs_indir(fm, a, i, span == 1 ? maxrun : 0, &a,
		    span == 1 ? run : NULL)) != 0)
			return error;
		if (span == 1)
			break;
	}
	*addr = a;		/* 0: a hole */
	return 0;
}

int
ffs_bmap(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    int64_t *addr)
{

	return ffs_bmap_run(fm, np, lbn, 0, addr, NULL);
}

/*
 * Writing: block allocation (ffs_balloc) and truncation.  Only the
 * last block of a file, if direct, may be a run of fragments; a file
 * growing past it first makes it a whole block.  Every data buffer is
 * kept under its block's address at the block's current size, so a
 * block that changes size or place has its old buffer dropped here.
 */

/* Where lbn sits: level 0 direct, else indirect depth and indices. */
static int
ffs_lbn_path(struct ffs_mount *fm, int64_t lbn, int *level, int64_t idx[3])
{
	int64_t n = fm->fm_sb.sb_nindir, span = 1;
	int l, i;

	if (lbn < FFS_NDADDR) {
		*level = 0;
		return 0;
	}
	lbn -= FFS_NDADDR;
	for (l = 1; l <= FFS_NIADDR; l++) {
		span *= n;
		if (lbn < span)
			break;
		lbn -= span;
	}
	if (l > FFS_NIADDR)
		return EFBIG;
	*level = l;
	for (i = l - 1; i >= 0; i--) {
		idx[i] = lbn % n;
		lbn /= n;
	}
	return 0;
}

static int64_t
ffs_get_ptr(struct ffs_mount *fm, const uint8_t *b, int64_t i)
{

	return fm->fm_sb.sb_ufs == 1 ?
	    (int32_t)ffs_get32(b + 4 * i, fm->fm_sb.sb_bigendian) :
	    (int64_t)ffs_get64(b + 8 * i, fm->fm_sb.sb_bigendian);
}

static void
ffs_put_ptr(struct ffs_mount *fm, uint8_t *b, int64_t i, int64_t v)
{

	if (fm->fm_sb.sb_ufs == 1)
		ffs_put32(b + 4 * i, (uint32_t)v, fm->fm_sb.sb_bigendian);
	else
		ffs_put64(b + 8 * i, (uint64_t)v, fm->fm_sb.sb_bigendian);
}

/* A fresh, zeroed buffer for a block just allocated at addr. */
static int
ffs_newbuf(struct ffs_mount *fm, int64_t addr, size_t size, struct buf **bpp)
{
	struct buf *bp;

	/* getblk() fails when it has no memory, or when the block has a
	 * dirty buffer of another size (a run that grew or shrank in
	 * place) that it could not write out, and then keeps. */
	if ((bp = getblk(fm->fm_dev, FFS_FSBTODB(fm, addr), size)) == NULL)
		return bcached(fm->fm_dev, FFS_FSBTODB(fm, addr)) ? EIO :
		    ENOMEM;
	memset(bp->b_data, 0, size);
	*bpp = bp;
	return 0;
}

/*
 * May direct block lbn grow from osize to nsize bytes where it is?  If
 * so (*inplace) the fragments after it are claimed in the free map at
 * once, and the caller grows it with ffs_realloc() or frees them again.
 */
static int
ffs_extend_claim(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    size_t osize, size_t nsize, bool *inplace)
{
	int error;

	error = ffs_fragextend(fm, np->fn_db[lbn], FFS_NUMFRAGS(fm, osize),
	    FFS_NUMFRAGS(fm, nsize));
	*inplace = error == 0;
	return error == ENOSPC ? 0 : error;
}

/*
 * Grow direct block lbn of np from osize to nsize bytes (fragments): in
 * place if inplace (ffs_extend_claim() claimed the fragments after it),
 * else by moving it to a new run.  Either way the block's buffer
 * changes size or place, so its contents are copied out first.  On
 * failure the file is as it was, and claimed fragments are free again.
 */
static int
ffs_realloc(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    size_t osize, size_t nsize, bool inplace, struct buf **bpp)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	int64_t oaddr = np->fn_db[lbn], naddr;
	int ofr = FFS_NUMFRAGS(fm, osize), nfr = FFS_NUMFRAGS(fm, nsize);
	struct buf *obp, *bp;
	void *tmp;
	int error;

	if ((tmp = kmem_alloc(osize, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	if ((error = bread(fm->fm_dev, FFS_FSBTODB(fm, oaddr), osize,
	    &obp)) != 0)
		goto fail;
	memcpy(tmp, obp->b_data, osize);
	brelse(obp);		/* cached still, dirty or not */
	if (inplace) {
		/* getblk() writes the old-sized buffer out if it is dirty
		 * before it drops it, so if this fails the contents are on
		 * the disk and only the extension goes. */
		if ((error = ffs_newbuf(fm, oaddr, nsize, &bp)) != 0)
			goto fail;
		np->fn_blocks += (uint64_t)(nfr - ofr) << sb->sb_fsbtodb;
	} else {
		/* Elsewhere: a new run (a whole block if nsize is one).
		 * The old run's group is read now, so that freeing the
		 * run once the move is done needs no I/O that could fail. */
		ffs_cg_prefetch(fm, oaddr);
		if ((error = ffs_alloc(fm, np, oaddr, nfr, &naddr)) != 0)
			goto fail;
		if ((error = ffs_newbuf(fm, naddr, nsize, &bp)) != 0) {
			(void)ffs_blkfree(fm, naddr, nfr);
			np->fn_blocks -= (uint64_t)nfr << sb->sb_fsbtodb;
			goto fail;
		}
		np->fn_db[lbn] = naddr;
		np->fn_blocks -= (uint64_t)ofr << sb->sb_fsbtodb;
		/* The file is whole without the old run: if its group
		 * cannot be had after all, only the space is lost (and
		 * the message says to run fsck_ffs). */
		if (ffs_blkfree(fm, oaddr, ofr) != 0)
			printf("ffs: %s: fragments at %lld not freed; run "
			    "fsck_ffs\n", fm->fm_mount->mnt_fromname,
			    (long long)oaddr);
	}
	memcpy(bp->b_data, tmp, osize);
	kmem_free(tmp, osize);
	*bpp = bp;
	return 0;
 fail:
	if (inplace)
		(void)ffs_blkfree(fm, oaddr + ofr, nfr - ofr);
	if (tmp != NULL)
		kmem_free(tmp, osize);
	return error;
}

/*
 * The blocks one ffs_balloc() call allocated, in order, and where the
 * pointer to each went, so that they can be taken back: a failure
 * part way leaves the file as it was (an indirect block past the end
 * of the file would be an inconsistency, not just lost space).
 */
#define FFS_NB_DB	(-1)		/* nb_parent: np->fn_db[nb_idx] */
#define FFS_NB_IB	(-2)		/* nb_parent: np->fn_ib[nb_idx] */

struct ffs_newblks {
	int		n;
	struct {
		int64_t	nb_addr;
		int	nb_nfrags;
		int64_t	nb_parent;	/* indirect block, or FFS_NB_* */
		int64_t	nb_idx;
	} nb[FFS_NIADDR + 1];
};

/*
 * Allocate nfrags near pref and a zeroed buffer for them, to be
 * pointed at from parent[idx]; recorded in nbs.  The caller sets the
 * pointer.
 */
static int
ffs_newblk(struct ffs_mount *fm, struct ffs_node *np, int64_t pref,
    int nfrags, int64_t parent, int64_t idx, struct ffs_newblks *nbs,
    struct buf **bpp)
{
	int64_t addr;
	int error;

	KASSERT(nbs->n < FFS_NIADDR + 1);
	if ((error = ffs_alloc(fm, np, pref, nfrags, &addr)) != 0)
		return error;
	if ((error = ffs_newbuf(fm, addr, (size_t)nfrags <<
	    fm->fm_sb.sb_fshift, bpp)) != 0) {
		(void)ffs_blkfree(fm, addr, nfrags);
		np->fn_blocks -= (uint64_t)nfrags << fm->fm_sb.sb_fsbtodb;
		return error;
	}
	nbs->nb[nbs->n].nb_addr = addr;
	nbs->nb[nbs->n].nb_nfrags = nfrags;
	nbs->nb[nbs->n].nb_parent = parent;
	nbs->nb[nbs->n].nb_idx = idx;
	nbs->n++;
	return 0;
}

/*
 * Take back what nbs records, newest first: clear the pointer, then
 * free the block.  No buffer of those blocks may be held.  The parents
 * were read or made by the same call, so they are cached and this
 * needs no allocation and no I/O; if one is gone after all, its block
 * (and those before it) stay, reachable and counted, and the console
 * says to run fsck_ffs.
 */
static void
ffs_balloc_undo(struct ffs_mount *fm, struct ffs_node *np,
    struct ffs_newblks *nbs)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	struct buf *bp;
	int k;

	for (k = nbs->n - 1; k >= 0; k--) {
		if (nbs->nb[k].nb_parent == FFS_NB_DB)
			np->fn_db[nbs->nb[k].nb_idx] = 0;
		else if (nbs->nb[k].nb_parent == FFS_NB_IB)
			np->fn_ib[nbs->nb[k].nb_idx] = 0;
		else if (bread(fm->fm_dev, FFS_FSBTODB(fm,
		    nbs->nb[k].nb_parent), (size_t)sb->sb_bsize, &bp) == 0) {
			ffs_put_ptr(fm, bp->b_data, nbs->nb[k].nb_idx, 0);
			bdwrite(bp);
		} else
			break;
		/* Unhooked: whatever happens now, not the file's. */
		np->fn_blocks -= (uint64_t)nbs->nb[k].nb_nfrags <<
		    sb->sb_fsbtodb;
		if (ffs_blkfree(fm, nbs->nb[k].nb_addr,
		    nbs->nb[k].nb_nfrags) != 0)
			break;
	}
	if (k >= 0)
		printf("ffs: %s: inode %u: blocks allocated for a failed "
		    "write not all freed; run fsck_ffs\n",
		    fm->fm_mount->mnt_fromname, np->fn_ino);
	nbs->n = 0;
}

/*
 * Block lbn >= NDADDR: through (and making) its indirect blocks.  On
 * failure everything this call allocated is taken back; on success
 * nbs says what it allocated.
 */
static int
ffs_balloc_indir(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    struct buf **bpp, struct ffs_newblks *nbs)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t bsize = (size_t)sb->sb_bsize;
	int64_t idx[3], addr, entry, pref;
	struct buf *bp, *nbp;
	int level, d, error;

	nbs->n = 0;
	if ((error = ffs_lbn_path(fm, lbn, &level, idx)) != 0)
		return error;
	addr = np->fn_ib[level - 1];
	if (addr == 0) {
		pref = np->fn_db[FFS_NDADDR - 1];
		if ((error = ffs_newblk(fm, np, pref ? pref + sb->sb_frag : 0,
		    sb->sb_frag, FFS_NB_IB, level - 1, nbs, &nbp)) != 0)
			return error;
		bdwrite(nbp);
		addr = np->fn_ib[level - 1] = nbs->nb[0].nb_addr;
	}
	for (d = 0; d < level; d++) {
		if (addr <= 0 || addr + sb->sb_frag > sb->sb_size) {
			error = EIO;
			goto fail;
		}
		if ((error = bread(fm->fm_dev, FFS_FSBTODB(fm, addr), bsize,
		    &bp)) != 0)
			goto fail;
		entry = ffs_get_ptr(fm, bp->b_data, idx[d]);
		if (entry < 0 || entry >= sb->sb_size) {
			brelse(bp);
			error = EIO;
			goto fail;
		}
		if (entry != 0) {
			brelse(bp);
			addr = entry;
			continue;
		}
		pref = idx[d] > 0 ? ffs_get_ptr(fm, bp->b_data, idx[d] - 1) :
		    addr;
		if (pref < 0 || pref >= sb->sb_size)
			pref = addr;
		if ((error = ffs_newblk(fm, np, pref + sb->sb_frag,
		    sb->sb_frag, addr, idx[d], nbs, &nbp)) != 0) {
			brelse(bp);
			goto fail;
		}
		entry = nbs->nb[nbs->n - 1].nb_addr;
		ffs_put_ptr(fm, bp->b_data, idx[d], entry);
		bdwrite(bp);
		if (d == level - 1) {
			*bpp = nbp;		/* the new data block */
			return 0;
		}
		bdwrite(nbp);
		addr = entry;
	}
	if (addr + sb->sb_frag > sb->sb_size)
		error = EIO;
	else if ((error = bread(fm->fm_dev, FFS_FSBTODB(fm, addr), bsize,
	    bpp)) == 0)
		return 0;
 fail:
	ffs_balloc_undo(fm, np, nbs);
	return error;
}

/*
 * Block lbn of np, made to hold at least need bytes, where nb is the
 * file's last block (-1: none); what it allocates is recorded in nbs.
 */
static int
ffs_balloc_blk(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    size_t need, int64_t nb, struct buf **bpp, struct ffs_newblks *nbs)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t bsize = (size_t)sb->sb_bsize, osize, nsize;
	int64_t addr, pref;
	bool inplace;
	int error;

	nbs->n = 0;
	if (lbn >= FFS_NDADDR)
		return ffs_balloc_indir(fm, np, lbn, bpp, nbs);

	addr = np->fn_db[lbn];
	if (addr < 0 || addr >= sb->sb_size)
		return EIO;
	if (lbn < nb) {
		/* Inside the file: whole blocks. */
		if (addr != 0)
			return bread(fm->fm_dev, FFS_FSBTODB(fm, addr), bsize,
			    bpp);
		nsize = bsize;
	} else {
		if (addr != 0 && lbn > nb)
			return EIO;	/* a block past the end */
		/* The last block covers at least what the size says, even
		 * when it was a hole until now. */
		osize = lbn == nb ? ffs_blksize(fm, np, lbn) : 0;
		nsize = (size_t)FFS_FRAGROUNDUP(fm, (uint64_t)MAX(need, osize));
		if (addr != 0) {
			if (nsize <= osize)
				return bread(fm->fm_dev, FFS_FSBTODB(fm, addr),
				    osize, bpp);
			if ((error = ffs_extend_claim(fm, np, lbn, osize,
			    nsize, &inplace)) != 0)
				return error;
			return ffs_realloc(fm, np, lbn, osize, nsize, inplace,
			    bpp);
		}
	}
	pref = lbn > 0 && np->fn_db[lbn - 1] != 0 ?
	    np->fn_db[lbn - 1] + sb->sb_frag : 0;
	if ((error = ffs_newblk(fm, np, pref, FFS_NUMFRAGS(fm, nsize),
	    FFS_NB_DB, lbn, nbs, bpp)) != 0)
		return error;
	np->fn_db[lbn] = nbs->nb[0].nb_addr;
	return 0;
}

int
ffs_balloc(struct ffs_mount *fm, struct ffs_node *np, int64_t lbn,
    size_t need, struct buf **bpp)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t bsize = (size_t)sb->sb_bsize, osize;
	struct ffs_newblks nbs;
	struct buf *bp, *obp;
	bool inplace;
	int64_t nb;
	int error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if (lbn < 0 || need == 0 || need > bsize)
		return EINVAL;
	nb = np->fn_size == 0 ? -1 : (int64_t)((np->fn_size - 1) >>
	    sb->sb_bshift);
	if (nb < 0 || lbn <= nb || nb >= FFS_NDADDR || np->fn_db[nb] == 0 ||
	    (osize = ffs_blksize(fm, np, nb)) == bsize)
		return ffs_balloc_blk(fm, np, lbn, need, nb, bpp, &nbs);

	/*
	 * The old last block, a run of fragments, stops being last and
	 * must become a whole block.  The fragments after it are claimed
	 * first if free (so that the new block cannot take them), then
	 * the new block is allocated, and only then the old one grown
	 * or moved: a failure at any step (ENOSPC on a nearly full disk)
	 * takes back the steps before it and leaves the file as it was.
	 */
	if ((error = ffs_extend_claim(fm, np, nb, osize, bsize,
	    &inplace)) != 0)
		return error;
	if ((error = ffs_balloc_blk(fm, np, lbn, need, nb, &bp,
	    &nbs)) != 0) {
		if (inplace)
			(void)ffs_blkfree(fm, np->fn_db[nb] +
			    FFS_NUMFRAGS(fm, osize), sb->sb_frag -
			    FFS_NUMFRAGS(fm, osize));
		return error;
	}
	if ((error = ffs_realloc(fm, np, nb, osize, bsize, inplace,
	    &obp)) != 0) {
		brelse(bp);
		ffs_balloc_undo(fm, np, &nbs);
		return error;
	}
	bdwrite(obp);
	*bpp = bp;
	return 0;
}

/*
 * Free what the indirect block at addr (level 0: it points at data)
 * maps past lbn last, where its first entry maps lbn base and each
 * entry spans span blocks; *empty if nothing is left in it.  The block
 * is copied out first, so no buffer is held busy across the descent
 * (a hostile image may point a block at one of its ancestors).  On
 * failure part way the pointers to what was freed are cleared all the
 * same, so the tree stays consistent with the map.
 */
static int
ffs_indir_trunc(struct ffs_mount *fm, struct ffs_node *np, int level,
    int64_t addr, int64_t base, int64_t span, int64_t last, bool *empty)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t bsize = (size_t)sb->sb_bsize;
	int64_t i, e, n = sb->sb_nindir;
	bool changed = false, kept = false, cempty;
	struct buf *bp;
	uint8_t *copy;
	int error, e2;

	if (addr <= 0 || addr + sb->sb_frag > sb->sb_size)
		return EIO;
	if ((copy = kmem_alloc(bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = bread(fm->fm_dev, FFS_FSBTODB(fm, addr), bsize,
	    &bp)) != 0)
		goto out;
	memcpy(copy, bp->b_data, bsize);
	brelse(bp);
	for (i = 0; i < n; i++) {
		if ((e = ffs_get_ptr(fm, copy, i)) == 0)
			continue;
		if (e < 0 || e + sb->sb_frag > sb->sb_size) {
			error = EIO;
			break;
		}
		if (base + i * span > last) {
			/* Wholly past the end. */
			if (level > 0 && (error = ffs_indir_trunc(fm, np,
			    level - 1, e, base + i * span, span / n, last,
			    &cempty)) != 0)
				break;
		} else if (level > 0 && base + (i + 1) * span - 1 > last) {
			if ((error = ffs_indir_trunc(fm, np, level - 1, e,
			    base + i * span, span / n, last, &cempty)) != 0)
				break;
			if (!cempty) {
				kept = true;
				continue;
			}
		} else {
			kept = true;
			continue;
		}
		if ((error = ffs_blkfree(fm, e, sb->sb_frag)) != 0)
			break;
		np->fn_blocks -= (uint64_t)sb->sb_frag << sb->sb_fsbtodb;
		ffs_put_ptr(fm, copy, i, 0);
		changed = true;
	}
	if (error == 0)
		*empty = !kept;
	/* Emptied, it is freed by the caller; else what changed goes back
	 * (the block was read just now, so it is cached). */
	if (changed && (kept || error != 0)) {
		if ((e2 = bread(fm->fm_dev, FFS_FSBTODB(fm, addr), bsize,
		    &bp)) == 0) {
			memcpy(bp->b_data, copy, bsize);
			bdwrite(bp);
		} else if (error == 0)
			error = e2;
	}
 out:
	kmem_free(copy, bsize);
	return error;
}

/*
 * Set np's size to length.  Growing allocates the new last block.
 * Shrinking frees blocks past the new end, direct ones first, then the
 * indirect trees, then shortens the new last block; a failure part way
 * (no memory, an unreadable indirect block) leaves a consistent file
 * of the old size whose blocks past the new end may be partly freed
 * (holes, reading as zeros), and the node as far as it got.
 */
int
ffs_truncate(struct ffs_mount *fm, struct ffs_node *np, uint64_t length)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t bsize = (size_t)sb->sb_bsize, osize, nsize, inblk;
	int64_t last, lbn, addr, base, span;
	struct buf *bp, *nbp;
	uint8_t *tmp;
	bool empty;
	int level, error;

	KASSERT(rw_write_held(&fm->fm_oplock));
	if (length > sb->sb_maxfilesize)
		return EFBIG;
	if (np->fn_type == VLNK && np->fn_blocks == 0) {
		np->fn_size = MIN(length, np->fn_size);	/* inline */
		(void)ffs_update(fm, np);	/* else written later */
		return 0;
	}
	if (length > np->fn_size) {
		/* Growing: the new last block exists (BSD does the same,
		 * and it keeps fragments only at the end). */
		lbn = (int64_t)((length - 1) >> sb->sb_bshift);
		inblk = (size_t)(((length - 1) & (uint64_t)(bsize - 1)) + 1);
		if ((error = ffs_balloc(fm, np, lbn, inblk, &bp)) != 0)
			return error;
		bdwrite(bp);
		np->fn_size = length;
		(void)ffs_update(fm, np);
		return 0;
	}
	if (length == np->fn_size)
		return 0;

	last = length == 0 ? -1 : (int64_t)((length - 1) >> sb->sb_bshift);
	/* Direct blocks past the end (sizes as the old length says). */
	for (lbn = FFS_NDADDR - 1; lbn > last; lbn--) {
		if ((addr = np->fn_db[lbn]) == 0)
			continue;
		osize = ffs_blksize(fm, np, lbn);
		if ((error = ffs_blkfree(fm, addr, FFS_NUMFRAGS(fm, osize)))
		    != 0)
			goto fail;
		np->fn_blocks -= (uint64_t)FFS_NUMFRAGS(fm, osize) <<
		    sb->sb_fsbtodb;
		np->fn_db[lbn] = 0;
	}
	/* Indirect trees. */
	base = FFS_NDADDR;
	span = 1;
	for (level = 0; level < FFS_NIADDR; level++) {
		int64_t cover = span * sb->sb_nindir;	/* blocks mapped */

		if (np->fn_ib[level] != 0 && base + cover - 1 > last) {
			error = ffs_indir_trunc(fm, np, level, np->fn_ib[level],
			    base, span, last, &empty);
			if (error)
				goto fail;
			if (empty) {
				if ((error = ffs_blkfree(fm, np->fn_ib[level],
				    sb->sb_frag)) != 0)
					goto fail;
				np->fn_blocks -= (uint64_t)sb->sb_frag <<
				    sb->sb_fsbtodb;
				np->fn_ib[level] = 0;
			}
		}
		base += cover;
		span = cover;
	}
	/* The new last block: zeros past the end, fewer fragments. */
	if (last >= 0) {
		if ((error = ffs_bmap(fm, np, last, &addr)) != 0)
			goto fail;
		inblk = (size_t)(length - ((uint64_t)last << sb->sb_bshift));
		if (addr != 0) {
			osize = ffs_blksize(fm, np, last);
			nsize = last >= FFS_NDADDR ? bsize :
			    (size_t)FFS_FRAGROUNDUP(fm, (uint64_t)inblk);
			if ((error = bread(fm->fm_dev, FFS_FSBTODB(fm, addr),
			    osize, &bp)) != 0)
				goto fail;
			if (nsize == osize) {
				memset((char *)bp->b_data + inblk, 0,
				    osize - inblk);
				bdwrite(bp);
			} else {
				/* The buffer changes size: the contents are
				 * copied out, and getblk() writes the old
				 * buffer out if dirty before it drops it, so
				 * a failure leaves the block as it was. */
				if ((tmp = kmem_zalloc(nsize, KM_SLEEP)) ==
				    NULL) {
					brelse(bp);
					error = ENOMEM;
					goto fail;
				}
				memcpy(tmp, bp->b_data, inblk);
				brelse(bp);
				error = ffs_newbuf(fm, addr, nsize, &nbp);
				if (error == 0) {
					memcpy(nbp->b_data, tmp, nsize);
					bdwrite(nbp);
				}
				kmem_free(tmp, nsize);
				if (error)
					goto fail;
				/* No buffer covers the tail now: it goes. */
				if ((error = ffs_blkfree(fm, addr +
				    FFS_NUMFRAGS(fm, nsize), FFS_NUMFRAGS(fm,
				    osize - nsize))) != 0)
					goto fail;
				np->fn_blocks -= (uint64_t)FFS_NUMFRAGS(fm,
				    osize - nsize) << sb->sb_fsbtodb;
			}
		}
	}
	np->fn_size = length;
	(void)ffs_update(fm, np);	/* else written later */
	return 0;
 fail:
	(void)ffs_update(fm, np);
	return error;
}
