/*
 * ffs.h: private to the FFS driver.
 *
 * An ffs_node holds one inode, decoded from the image's byte order and
 * checked when it is read; its vnode lives with it in the mount's hash
 * of inodes, and goes with it when the VFS reclaims the vnode.  A
 * changed node is encoded back into its inode block (ffs_update) at
 * once, as a delayed write: the buffer cache and its syncer decide when
 * it reaches the disk.  If the inode block cannot be had (no memory, a
 * read error) the node stays dirty (fn_dirty) and is written at the
 * next sync, at reclaim or at unmount, which fails while it cannot be;
 * an operation that has already changed the directory tree succeeds
 * all the same.
 *
 * Locking, in this order:
 *   fm_oplock	(rwlock) every vnode operation: readers for lookups and
 *		reads, the writer for anything that changes the file
 *		system.  So one change at a time per mount; a change
 *		never vrele()s (see ffs_inactive).
 *   fm_lock	(mutex) the inode hash and each node's fn_vnode.
 * Field legend: c constant while the node exists; O fm_oplock (read
 * with it held either way, changed by its writer); F fm_lock.
 */
#ifndef _FS_FFS_FFS_H_
#define _FS_FFS_FFS_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/queue.h>
#include <sys/time.h>
#include <sys/vnode.h>
#include "ffs_sb.h"

#define FFS_NDADDR	12		/* direct pointers */
#define FFS_NIADDR	3		/* indirect pointers */
#define FFS_ROOTINO	2
#define FFS_DIRBLKSIZ	512
#define FFS_NHASH	256
#define FFS_LINK_MAX	32767

struct ffs_node {
	LIST_ENTRY(ffs_node)	fn_hash;	/* F */
	struct vnode		*fn_vnode;	/* F */
	uint32_t		fn_ino;		/* c */
	enum vtype		fn_type;	/* O */
	mode_t			fn_mode;	/* O: permission bits */
	uint32_t		fn_nlink;	/* O */
	uid_t			fn_uid;		/* O */
	gid_t			fn_gid;		/* O */
	uint64_t		fn_size;	/* O */
	uint64_t		fn_blocks;	/* O: 512-byte units */
	uint32_t		fn_flags;	/* O */
	int32_t			fn_gen;		/* O */
	uint64_t		fn_rdev;	/* O */
	struct timespec		fn_atime;	/* F */
	struct timespec		fn_mtime, fn_ctime, fn_birthtime; /* O */
	bool			fn_adirty;	/* F: fn_atime not on disk */
	bool			fn_dirty;	/* O: changed since ffs_update
						   last wrote it */
	int64_t			fn_db[FFS_NDADDR];	/* O */
	int64_t			fn_ib[FFS_NIADDR];	/* O */
	uint8_t			fn_inline[120];	/* O: a short symlink */
	struct ffs_dirhash	*fn_dirhash;	/* O, set under F */
};

struct ffs_mount {
	krwlock_t		fm_oplock;
	kmutex_t		fm_lock;
	struct ffs_sb		fm_sb;		/* O (geometry: c) */
	uint8_t			*fm_sbraw;	/* O: the superblock's bytes */
	struct ffs_csum		*fm_cs;		/* O: per-group summaries */
	dev_t			fm_dev;		/* c */
	struct mount		*fm_mount;	/* c */
	bool			fm_ronly;	/* c */
	bool			fm_olddir;	/* c: 4.2BSD directories */
	bool			fm_fmod;	/* O: summaries changed */
	uint32_t		fm_cgrotor;	/* O: where to look next */
	LIST_HEAD(, ffs_node)	fm_hash[FFS_NHASH];	/* F */
};

#define VFS_TO_FFS(mp)		((struct ffs_mount *)(mp)->mnt_data)
#define VP_TO_FFS_NODE(vp)	((struct ffs_node *)(vp)->v_data)
#define VP_TO_FFS_MOUNT(vp)	VFS_TO_FFS((vp)->v_mount)

/* Address arithmetic (docs/ffs-format.md, 1.3). */
#define FFS_FSBTODB(fm, f)	((int64_t)(f) << (fm)->fm_sb.sb_fsbtodb)
#define FFS_CGBASE(fm, c)	((int64_t)(c) * (fm)->fm_sb.sb_fpg)
#define FFS_DTOG(fm, f)		((uint32_t)((f) / (fm)->fm_sb.sb_fpg))
#define FFS_FRAGROUNDUP(fm, n) \
	(((n) + (fm)->fm_sb.sb_fsize - 1) & ~(uint64_t)((fm)->fm_sb.sb_fsize - 1))
#define FFS_NUMFRAGS(fm, n)	((int)((n) >> (fm)->fm_sb.sb_fshift))
#define FFS_DIRSIZ(n)		((8 + (n) + 1 + 3) & ~3)

extern const struct vnodeops ffs_vnodeops;

/* ffs_inode.c */
int	ffs_vget(struct ffs_mount *, uint32_t ino, struct vnode **);
void	ffs_node_free(struct ffs_node *);
int	ffs_update(struct ffs_mount *, struct ffs_node *);
/* The fragment address of logical block lbn of np (0: a hole). */
/* ... and how many blocks after it (at most maxrun) follow it on disk. */
int	ffs_bmap_run(struct ffs_mount *, struct ffs_node *, int64_t lbn,
	    int maxrun, int64_t *addr, int *run);
int	ffs_bmap(struct ffs_mount *, struct ffs_node *, int64_t lbn,
	    int64_t *addr);
/* Bytes that logical block lbn occupies (a short tail, or bsize). */
size_t	ffs_blksize(struct ffs_mount *, struct ffs_node *, int64_t lbn);
/* Make block lbn hold at least need bytes; its buffer, busy. */
int	ffs_balloc(struct ffs_mount *, struct ffs_node *, int64_t lbn,
	    size_t need, struct buf **);
int	ffs_truncate(struct ffs_mount *, struct ffs_node *, uint64_t length);
int	ffs_node_destroy(struct ffs_mount *, struct ffs_node *);
/* A new node of type/mode in the group of dir (0: anywhere). */
int	ffs_node_create(struct ffs_mount *, uint32_t dirino, enum vtype,
	    mode_t, uid_t, gid_t, struct vnode **);

/* ffs_alloc.c */
int	ffs_alloc(struct ffs_mount *, struct ffs_node *, int64_t pref,
	    int nfrags, int64_t *addr);
/* Grow the run of ofrags at addr in place to nfrags: 0 or ENOSPC. */
int	ffs_fragextend(struct ffs_mount *, int64_t addr, int ofrags,
	    int nfrags);
int	ffs_blkfree(struct ffs_mount *, int64_t addr, int nfrags);
/* Read the group holding fragment addr into the cache (errors are for
 * whoever uses it next). */
void	ffs_cg_prefetch(struct ffs_mount *, int64_t addr);
int	ffs_ialloc(struct ffs_mount *, uint32_t dirino, bool isdir,
	    uint32_t *ino);
int	ffs_ifree(struct ffs_mount *, uint32_t ino, bool isdir);
int	ffs_sbupdate(struct ffs_mount *, bool wait);

/* ffs_dir.c */
typedef int (*ffs_dirfn)(void *arg, uint32_t ino, const char *name,
    size_t len, int type, uint64_t next);
int	ffs_dir_walk(struct ffs_mount *, struct ffs_node *, uint64_t off,
	    ffs_dirfn, void *arg);
int	ffs_dir_lookup(struct ffs_mount *, struct ffs_node *, const char *,
	    size_t, uint32_t *ino);
int	ffs_dir_enter(struct ffs_mount *, struct ffs_node *, const char *,
	    size_t, uint32_t ino, int type);
int	ffs_dir_remove(struct ffs_mount *, struct ffs_node *, const char *,
	    size_t, uint32_t ino);
int	ffs_dir_rewrite(struct ffs_mount *, struct ffs_node *, const char *,
	    size_t, uint32_t ino, int type);
int	ffs_dir_isempty(struct ffs_mount *, struct ffs_node *, bool *);
int	ffs_dir_init(struct ffs_mount *, struct ffs_node *, uint32_t parent);
void	ffs_dirhash_free(struct ffs_node *);
int	ffs_rdwr_kernel(struct ffs_node *, bool write, uint64_t off,
	    void *buf, size_t len);
int	ffs_read_locked(struct vnode *, struct uio *);
int	ffs_write_locked(struct vnode *, struct uio *, int ioflag);
int	ffs_flush_nodes(struct ffs_mount *);

#endif /* _FS_FFS_FFS_H_ */
