/*
 * ffs_vfsops.c: mounting FFS (read-only so far), and its component.
 *
 * The mount data names a block device in the kernel's namespace (e.g.
 * one made by rump_etfs_register).  The superblock is found and
 * checked (ffs_sb.c) before anything else is read; an image that is
 * not FFS fails with EFTYPE, a corrupt one with EINVAL.  A read-write
 * mount is refused with EROFS until the driver can write.
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

/* The device of block-device node path (a kernel string). */
static int
ffs_getdev(const char *path, dev_t *devp)
{
	struct nameidata nd;
	int error;

	memset(&nd, 0, sizeof(nd));
	nd.ni_upath = path;
	nd.ni_op = NI_LOOKUP;
	nd.ni_flags = NI_FOLLOW;
	nd.ni_atfd = RUMP_AT_FDCWD;
	if ((error = namei(&nd)) != 0)
		return error;
	if (nd.ni_vp->v_type != VBLK)
		error = ENOTBLK;
	else {
		struct vattr va;

		if ((error = VOP_GETATTR(nd.ni_vp, &va)) == 0)
			*devp = (dev_t)va.va_rdev;
	}
	namei_done(&nd);
	return error;
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
	int error, i;

	if (data == NULL || len != sizeof(args))
		return EINVAL;
	memcpy(&args, data, sizeof(args));
	args.fa_fspec[sizeof(args.fa_fspec) - 1] = '\0';
	if (!(mp->mnt_flag & RUMP_MNT_RDONLY))
		return EROFS;		/* no writing yet */
	if ((error = ffs_getdev(args.fa_fspec, &dev)) != 0)
		return error;
	if ((bd = bdevsw_lookup(dev)) == NULL)
		return ENXIO;
	if (bd->d_open != NULL && (error = bd->d_open(dev, FREAD)) != 0)
		return error;
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
	kmem_free(scratch, FFS_SBSIZE);
	if (error) {
		kmem_free(fm, sizeof(*fm));
		goto fail_close;
	}
	mutex_init(&fm->fm_lock, MUTEX_DEFAULT, IPL_NONE);
	for (i = 0; i < FFS_NHASH; i++)
		LIST_INIT(&fm->fm_hash[i]);
	fm->fm_dev = dev;
	fm->fm_mount = mp;
	fm->fm_olddir = fm->fm_sb.sb_maxsymlinklen <= 0;
	mp->mnt_data = fm;
	strlcpy(mp->mnt_fromname, args.fa_fspec, sizeof(mp->mnt_fromname));
	return 0;
 fail_close:
	binval(dev);
	if (bd->d_close != NULL)
		bd->d_close(dev, FREAD);
	return error;
}

static int
ffs_unmount(struct mount *mp, bool force)
{
	struct ffs_mount *fm = VFS_TO_FFS(mp);
	const struct bdevsw *bd;
	struct ffs_node *np;
	struct vnode *vp;
	int i;

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
	for (i = 0; i < FFS_NHASH; i++) {
		while ((np = LIST_FIRST(&fm->fm_hash[i])) != NULL) {
			LIST_REMOVE(np, fn_hash);
			vp = np->fn_vnode;
			if (vp->v_usecount > 0)
				vnode_kill(vp);
			else
				vnode_free(vp);
			ffs_node_free(np);
		}
	}
	mutex_exit(&fm->fm_lock);
	binval(fm->fm_dev);
	if ((bd = bdevsw_lookup(fm->fm_dev)) != NULL && bd->d_close != NULL)
		bd->d_close(fm->fm_dev, FREAD);
	mutex_destroy(&fm->fm_lock);
	kmem_free(fm, sizeof(*fm));
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
	const struct ffs_sb *sb = &VFS_TO_FFS(mp)->fm_sb;

	sbp->f_bsize = (uint64_t)sb->sb_bsize;
	sbp->f_frsize = (uint64_t)sb->sb_fsize;
	sbp->f_blocks = (uint64_t)sb->sb_dsize;
	sbp->f_bfree = (uint64_t)(sb->sb_cstotal.cs_nbfree * sb->sb_frag +
	    sb->sb_cstotal.cs_nffree);
	sbp->f_bavail = sbp->f_bfree;
	sbp->f_files = (uint64_t)sb->sb_ncg * (uint64_t)sb->sb_ipg;
	sbp->f_ffree = sbp->f_favail = (uint64_t)sb->sb_cstotal.cs_nifree;
	return 0;
}

static struct vfsops ffs_vfsops = {
	.vfs_name = "ffs",
	.vfs_mount = ffs_mount,
	.vfs_unmount = ffs_unmount,
	.vfs_root = ffs_root,
	.vfs_statvfs = ffs_statvfs,
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
