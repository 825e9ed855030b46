/*
 * ffs.h: private to the FFS driver (read-only so far).
 *
 * An ffs_node holds one inode, decoded from the image's byte order and
 * checked when it is read; its vnode lives with it in the mount's hash
 * of inodes, and goes with it when the VFS reclaims the vnode.
 *
 * Locking: fm_lock over the inode hash and each node's fn_vnode.  A
 * read-only mount changes nothing else after mount.
 */
#ifndef _FS_FFS_FFS_H_
#define _FS_FFS_FFS_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/time.h>
#include <sys/vnode.h>
#include "ffs_sb.h"

#define FFS_NDADDR	12		/* direct pointers */
#define FFS_NIADDR	3		/* indirect pointers */
#define FFS_ROOTINO	2
#define FFS_DIRBLKSIZ	512
#define FFS_NHASH	256

struct ffs_node {
	LIST_ENTRY(ffs_node)	fn_hash;	/* F */
	struct vnode		*fn_vnode;	/* F */
	uint32_t		fn_ino;		/* c */
	enum vtype		fn_type;	/* c */
	mode_t			fn_mode;	/* c: permission bits */
	uint32_t		fn_nlink;	/* c */
	uid_t			fn_uid;		/* c */
	gid_t			fn_gid;		/* c */
	uint64_t		fn_size;	/* c */
	uint64_t		fn_blocks;	/* c: 512-byte units */
	uint32_t		fn_flags;	/* c */
	uint64_t		fn_rdev;	/* c */
	struct timespec		fn_atime, fn_mtime, fn_ctime, fn_birthtime;
	int64_t			fn_db[FFS_NDADDR];	/* c */
	int64_t			fn_ib[FFS_NIADDR];	/* c */
	uint8_t			fn_inline[120];	/* c: a short symlink */
};

struct ffs_mount {
	kmutex_t		fm_lock;
	struct ffs_sb		fm_sb;		/* c */
	dev_t			fm_dev;		/* c */
	struct mount		*fm_mount;	/* c */
	bool			fm_olddir;	/* c: 4.2BSD directories */
	LIST_HEAD(, ffs_node)	fm_hash[FFS_NHASH];	/* F */
};

#define VFS_TO_FFS(mp)		((struct ffs_mount *)(mp)->mnt_data)
#define VP_TO_FFS_NODE(vp)	((struct ffs_node *)(vp)->v_data)
#define VP_TO_FFS_MOUNT(vp)	VFS_TO_FFS((vp)->v_mount)

extern const struct vnodeops ffs_vnodeops;

/* ffs_inode.c */
int	ffs_vget(struct ffs_mount *, uint32_t ino, struct vnode **);
void	ffs_node_free(struct ffs_node *);
/* The fragment address of logical block lbn of np (0: a hole). */
int	ffs_bmap(struct ffs_mount *, struct ffs_node *, int64_t lbn,
	    int64_t *addr);
/* Bytes that logical block lbn occupies (a short tail, or bsize). */
size_t	ffs_blksize(struct ffs_mount *, struct ffs_node *, int64_t lbn);
/* Sector number (DEV_BSIZE units) of fragment address f. */
#define FFS_FSBTODB(fm, f)	((int64_t)(f) << (fm)->fm_sb.sb_fsbtodb)

#endif /* _FS_FFS_FFS_H_ */
