/*
 * vfs_genfs.c: vnode operations that file systems share.
 *
 * genfs_rofs_*: every operation that would change a read-only file
 * system (FFS until it writes, ISO 9660) fails with EROFS.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

int
genfs_rofs_create(struct vnode *dvp __unused, const char *name __unused,
    size_t len __unused, struct vattr *va __unused,
    struct vnode **vpp __unused)
{

	return EROFS;
}

int
genfs_rofs_symlink(struct vnode *dvp __unused, const char *name __unused,
    size_t len __unused, struct vattr *va __unused,
    const char *target __unused, struct vnode **vpp __unused)
{

	return EROFS;
}

int
genfs_rofs_remove(struct vnode *dvp __unused, struct vnode *vp __unused,
    const char *name __unused, size_t len __unused)
{

	return EROFS;
}

int
genfs_rofs_rename(struct vnode *fdvp __unused, struct vnode *fvp __unused,
    const char *fname __unused, size_t flen __unused,
    struct vnode *tdvp __unused, struct vnode *tvp __unused,
    const char *tname __unused, size_t tlen __unused)
{

	return EROFS;
}

int
genfs_rofs_setattr(struct vnode *vp __unused, struct vattr *va __unused)
{

	return EROFS;
}

int
genfs_rofs_write(struct vnode *vp __unused, struct uio *uio __unused,
    int ioflag __unused)
{

	return EROFS;
}
