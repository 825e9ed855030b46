/*
 * ffs_vfsops.c: mounting FFS, and its component.
 *
 * The mount data names a block device in the kernel's namespace (e.g.
 * one made by rump_etfs_register).  The superblock is found and
 * checked (ffs_sb.c) before anything else is read; an image that is
 * not FFS fails with EFTYPE, a corrupt one with EINVAL.
 *
 * A read-write mount clears the clean flag on disk at once and sets it
 * again at a clean unmount, after everything else is written.  A file
 * system that is not clean (or says it needs fsck) is mounted
 * read-only, with a message, unless the mount is forced
 * (RUMP_MNT_FORCE); so is one with features the driver does not write
 * (soft updates, snapshots, the 4.2BSD inode format).
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/conf.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>
#include <sys/rwlock.h>
#include "ffs.h"

struct ffs_devread {
	dev_t	dev;
};

static int
ffs_devread(void *arg, uint64_t off, void *buf, size_t len)
{
	struct ffs_devread *dr = arg;
	struct buf *bp;
	int error;

	error = bread(dr->dev, (int64_t)(off / DEV_BSIZE), len, &bp);
	if (error)
		return error;
	memcpy(buf, bp->b_data, len);
	brelse(bp);
	return 0;
}

static void
ffs_mount_free(struct ffs_mount *fm)
{

	if (fm->fm_cs != NULL)
		kmem_free(fm->fm_cs, (size_t)fm->fm_sb.sb_ncg *
		    sizeof(*fm->fm_cs));
	kmem_free(fm->fm_sbraw, FFS_SBSIZE);
	rw_destroy(&fm->fm_oplock);
	mutex_destroy(&fm->fm_lock);
	kmem_free(fm, sizeof(*fm));
}

/* Read the per-group summaries (docs/ffs-format.md, 2.1). */
static int
ffs_cs_read(struct ffs_mount *fm)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	size_t cssize = FFS_FRAGROUNDUP(fm, (uint64_t)sb->sb_cssize);
	struct buf *bp;
	const uint8_t *p;
	int32_t c;
	int error;

	fm->fm_cs = kmem_zalloc((size_t)sb->sb_ncg * sizeof(*fm->fm_cs),
	    KM_SLEEP);
	if (fm->fm_cs == NULL)
		return ENOMEM;
	error = bread(fm->fm_dev, FFS_FSBTODB(fm, sb->sb_csaddr), cssize, &bp);
	if (error)
		return error;
	for (c = 0, p = bp->b_data; c < sb->sb_ncg; c++, p += 16) {
		fm->fm_cs[c].cs_ndir = (int32_t)ffs_get32(p, sb->sb_bigendian);
		fm->fm_cs[c].cs_nbfree = (int32_t)ffs_get32(p + 4,
		    sb->sb_bigendian);
		fm->fm_cs[c].cs_nifree = (int32_t)ffs_get32(p + 8,
		    sb->sb_bigendian);
		fm->fm_cs[c].cs_nffree = (int32_t)ffs_get32(p + 12,
		    sb->sb_bigendian);
	}
	brelse(bp);
	return 0;
}

/* May this mount write?  Says why not on the console. */
static bool
ffs_can_write(struct ffs_mount *fm, bool force)
{
	const struct ffs_sb *sb = &fm->fm_sb;
	const char *why = NULL;
	int i;

	for (i = 0; i < 20; i++)
		if (ffs_get32(fm->fm_sbraw + FFS_SBO_SNAPINUM + 4 * i,
		    sb->sb_bigendian) != 0)
			why = "has snapshots";
	if (sb->sb_flags & FFS_FS_DOSOFTDEP)
		why = "uses soft updates";
	if (sb->sb_ufs == 1 && sb->sb_inodefmt < 2)
		why = "has the 4.2BSD inode format";
	if (why == NULL && !force && (sb->sb_clean == 0 ||
	    (sb->sb_flags & (FFS_FS_UNCLEAN | FFS_FS_NEEDSFSCK))))
		why = "is not clean (run fsck_ffs, or force the mount)";
	if (why == NULL)
		return true;
	printf("ffs: %s: file system %s: mounted read-only\n",
	    fm->fm_mount->mnt_fromname, why);
	return false;
}

static int
ffs_mount(struct mount *mp, const void *data, size_t len)
{
	struct rump_ffs_args args;
	const struct bdevsw *bd;
	struct ffs_devread dr;
	struct ffs_mount *fm;
	uint64_t devsize = 0;
	void *scratch;
	dev_t dev;
	int error, i, oflags;

	if (data == NULL || len != sizeof(args))
		return EINVAL;
	memcpy(&args, data, sizeof(args));
	args.fa_fspec[sizeof(args.fa_fspec) - 1] = '\0';
	if ((error = namei_blkdev(args.fa_fspec, &dev)) != 0)
		return error;
	if ((bd = bdevsw_lookup(dev)) == NULL)
		return ENXIO;
	oflags = mp->mnt_flag & RUMP_MNT_RDONLY ? FREAD : FREAD | FWRITE;
	if (bd->d_open != NULL && (error = bd->d_open(dev, oflags)) != 0)
		return error;
	binval(dev);		/* nothing cached from before counts */
	if (bd->d_size != NULL && (error = bd->d_size(dev, &devsize)) != 0)
		goto fail_close;
	if ((scratch = kmem_alloc(FFS_SBSIZE, KM_SLEEP)) == NULL ||
	    (fm = kmem_zalloc(sizeof(*fm), KM_SLEEP)) == NULL) {
		if (scratch != NULL)
			kmem_free(scratch, FFS_SBSIZE);
		error = ENOMEM;
		goto fail_close;
	}
	dr.dev = dev;
	error = ffs_sb_find(ffs_devread, &dr, devsize, scratch, &fm->fm_sb);
	if (error) {
		kmem_free(scratch, FFS_SBSIZE);
		kmem_free(fm, sizeof(*fm));
		goto fail_close;
	}
	fm->fm_sbraw = scratch;
	rw_init(&fm->fm_oplock);
	mutex_init(&fm->fm_lock, MUTEX_DEFAULT, IPL_NONE);
	for (i = 0; i < FFS_NHASH; i++)
		LIST_INIT(&fm->fm_hash[i]);
	fm->fm_dev = dev;
	fm->fm_mount = mp;
	fm->fm_olddir = fm->fm_sb.sb_maxsymlinklen <= 0;
	fm->fm_ronly = true;
	mp->mnt_data = fm;
	strlcpy(mp->mnt_fromname, args.fa_fspec, sizeof(mp->mnt_fromname));
	if ((error = ffs_cs_read(fm)) != 0)
		goto fail_free;
	if (!(mp->mnt_flag & RUMP_MNT_RDONLY)) {
		if (!ffs_can_write(fm, (mp->mnt_flag & RUMP_MNT_FORCE) != 0))
			mp->mnt_flag |= RUMP_MNT_RDONLY;
		else {
			/* Mark it in use on disk before changing anything. */
			fm->fm_ronly = false;
			fm->fm_sb.sb_clean = 0;
			rw_enter(&fm->fm_oplock, RW_WRITER);
			error = ffs_sbupdate(fm, true);
			rw_exit(&fm->fm_oplock);
			if (error)
				goto fail_free;
		}
	}
	return 0;
 fail_free:
	ffs_mount_free(fm);
	mp->mnt_data = NULL;
 fail_close:
	binval(dev);
	if (bd->d_close != NULL)
		bd->d_close(dev, oflags);
	return error;
}

/* Write everything: nodes, summaries, superblock, then the buffers. */
static int
ffs_sync(struct mount *mp)
{
	struct ffs_mount *fm = VFS_TO_FFS(mp);
	int error;

	if (fm->fm_ronly)
		return 0;
	rw_enter(&fm->fm_oplock, RW_WRITER);
	error = ffs_flush_nodes(fm);
	if (error == 0 && fm->fm_fmod)
		error = ffs_sbupdate(fm, false);
	rw_exit(&fm->fm_oplock);
	if (error == 0)
		error = bflush(fm->fm_dev);
	return error;
}

/*
 * Free the unlinked, unreferenced nodes still hashed: those whose
 * freeing failed in ffs_inactive.  For a forced unmount, unlinked files
 * still open too: their vnodes die here (vnode_kill), so no holder can
 * reach the node again, and the unmount runs after every operation left
 * (the VFS's gate), so none is using it.  Left alone, such a file stayed
 * allocated on disk with no name.  The first error, if any.
 */
static int
ffs_free_unlinked(struct ffs_mount *fm, bool force)
{
	struct ffs_node *np, *next;
	struct vnode *vp;
	int i, error = 0, e;

	rw_enter(&fm->fm_oplock, RW_WRITER);
	for (i = 0; i < FFS_NHASH; i++) {
		for (np = LIST_FIRST(&fm->fm_hash[i]); np != NULL; np = next) {
			next = LIST_NEXT(np, fn_hash);
			vp = np->fn_vnode;
			if (np->fn_nlink > 0 ||
			    (!force && vp->v_usecount > 0))
				continue;
			if ((e = ffs_node_destroy(fm, np)) != 0) {
				if (error == 0)
					error = e;
				continue;
			}
			mutex_enter(&fm->fm_lock);
			LIST_REMOVE(np, fn_hash);
			mutex_exit(&fm->fm_lock);
			ffs_node_free(np);
			/* Dead if in use, else freed: vnode_kill decides. */
			if (force)
				vnode_kill(vp);
			else
				vnode_free(vp);
		}
	}
	rw_exit(&fm->fm_oplock);
	return error;
}

static int
ffs_unmount(struct mount *mp, bool force)
{
	struct ffs_mount *fm = VFS_TO_FFS(mp);
	const struct bdevsw *bd;
	struct ffs_node *np;
	int i, error;

	mutex_enter(&fm->fm_lock);
	if (!force) {
		for (i = 0; i < FFS_NHASH; i++) {
			LIST_FOREACH(np, &fm->fm_hash[i], fn_hash) {
				if (np->fn_vnode->v_usecount > 0) {
					mutex_exit(&fm->fm_lock);
					return EBUSY;
				}
			}
		}
	}
	mutex_exit(&fm->fm_lock);
	if (!fm->fm_ronly) {
		/* Unlinked files whose freeing failed before: now. */
		error = ffs_free_unlinked(fm, force);
		if (error && !force)
			return error;
		/* Clean only if everything before it reached the disk. */
		error = ffs_sync(mp);
		if (error == 0) {
			rw_enter(&fm->fm_oplock, RW_WRITER);
			fm->fm_sb.sb_clean = 1;
			error = ffs_sbupdate(fm, true);
			rw_exit(&fm->fm_oplock);
		}
		if (error == 0)
			error = bflush(fm->fm_dev);
		if (error && !force)
			return error;
	}
	mutex_enter(&fm->fm_lock);
	for (i = 0; i < FFS_NHASH; i++) {
		while ((np = LIST_FIRST(&fm->fm_hash[i])) != NULL) {
			LIST_REMOVE(np, fn_hash);
			/* Dead if in use, else freed: vnode_kill decides. */
			vnode_kill(np->fn_vnode);
			ffs_node_free(np);
		}
	}
	mutex_exit(&fm->fm_lock);
	binval(fm->fm_dev);
	if ((bd = bdevsw_lookup(fm->fm_dev)) != NULL && bd->d_close != NULL)
		bd->d_close(fm->fm_dev, fm->fm_ronly ? FREAD : FREAD | FWRITE);
	ffs_mount_free(fm);
	mp->mnt_data = NULL;
	return 0;
}

static int
ffs_root(struct mount *mp, struct vnode **vpp)
{
	struct vnode *vp;
	int error;

	if ((error = ffs_vget(VFS_TO_FFS(mp), FFS_ROOTINO, &vp)) != 0)
		return error;
	if (vp->v_type != VDIR) {
		vrele(vp);
		return EINVAL;		/* a root that is not a directory */
	}
	*vpp = vp;
	return 0;
}

static int
ffs_statvfs(struct mount *mp, struct rump_statvfs *sbp)
{
	struct ffs_mount *fm = VFS_TO_FFS(mp);
	const struct ffs_sb *sb = &fm->fm_sb;
	uint64_t reserved;

	rw_enter(&fm->fm_oplock, RW_READER);
	sbp->f_bsize = (uint64_t)sb->sb_bsize;
	sbp->f_frsize = (uint64_t)sb->sb_fsize;
	sbp->f_blocks = (uint64_t)sb->sb_dsize;
	sbp->f_bfree = (uint64_t)(sb->sb_cstotal.cs_nbfree * sb->sb_frag +
	    sb->sb_cstotal.cs_nffree);
	/* minfree is kept back from ordinary users, as df shows it. */
	reserved = (uint64_t)sb->sb_dsize * (uint64_t)sb->sb_minfree / 100;
	sbp->f_bavail = sbp->f_bfree > reserved ? sbp->f_bfree - reserved : 0;
	sbp->f_files = (uint64_t)sb->sb_ncg * (uint64_t)sb->sb_ipg;
	sbp->f_ffree = sbp->f_favail = (uint64_t)sb->sb_cstotal.cs_nifree;
	rw_exit(&fm->fm_oplock);
	return 0;
}

static struct vfsops ffs_vfsops = {
	.vfs_name = "ffs",
	.vfs_mount = ffs_mount,
	.vfs_unmount = ffs_unmount,
	.vfs_root = ffs_root,
	.vfs_statvfs = ffs_statvfs,
	.vfs_sync = ffs_sync,
};

static int
ffs_attach(void)
{

	return vfs_register(&ffs_vfsops);
}

static void
ffs_detach(void)
{

	vfs_unregister(&ffs_vfsops);
}

RUMP_COMPONENT(RUMP_FACTION_VFS, ffs, ffs_attach, ffs_detach);
