/*
 * vnode.h: vnodes, the VFS's handle on a file of any file system.
 *
 * A vnode is created by its file system when a file is first needed
 * and lives while referenced (v_usecount).  When the count drops to
 * zero the file system's vop_inactive decides what happens: tmpfs lets
 * go of the vnode (and the VFS frees it) with the file when it is
 * unlinked, and otherwise keeps the vnode with its node, cached by the
 * VFS (vfs_vnode.c).  The VFS takes no vnode locks across operations:
 * each file system serialises its operations as it needs to, and
 * cross-directory renames are serialised by vfs_rename_lock.
 *
 * The operations take names as (pointer, length) and return referenced
 * vnodes.  On a forced unmount, vnodes still in use are switched to
 * dead_vnodeops, which fail everything with EIO (lookup, create,
 * symlink, remove and link with ENOENT; fsync succeeds).
 *
 * The VFS calls a file system's operations only through the VOP_*()
 * functions below, never through v_op directly: each holds the
 * vnode's mount busy for the call (vop_enter, vop_exit: one atomic
 * count per mount of operations in flight).  An unmount closes the
 * mount to operations and waits for those in flight to leave before
 * the file system frees anything (vop_gate, vfs_vnode.c); an operation
 * that finds the mount closed runs dead_vnodeops' instead, failing as
 * a dead vnode does.  Each VOP_*() call is one busy period on one
 * mount; none nests in another (file systems never call VOP_*()), and
 * none may sleep for long inside the file system, since an unmount
 * waits for it.  A rename holds only fdvp's mount busy: tdvp is on the
 * same one (the VFS checked EXDEV).
 *
 * Field legend: c constant after creation; a atomic; m mount_lock;
 * f the file system's own locking; l lf_lock (vfs_lockf.c); n nc_lock
 * (vfs_cache.c); V vnode_lock (vfs_vnode.c); k changed once, by
 * vnode_kill under vnode_lock, while no inactive or reclaim runs
 * and no operation is in the file system (the mount is closed);
 * F fifo_lock (vfs_fifo.c), and stable while an open file holds it.
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/cdefs.h>
#include <sys/time.h>
#include <sys/queue.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/mount.h>

struct mount;
struct uio;
struct lockf;
struct vnodeops;
struct kauth_cred;
struct pipe;

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

#define VNOVAL		(-1)

struct vattr {
	enum vtype	va_type;
	mode_t		va_mode;	/* permission bits, 07777 */
	uint32_t	va_nlink;
	uid_t		va_uid;
	gid_t		va_gid;
	uint64_t	va_fsid;
	uint64_t	va_fileid;
	off_t		va_size;
	uint64_t	va_bytes;
	uint32_t	va_blocksize;
	struct timespec	va_atime;
	struct timespec	va_mtime;
	struct timespec	va_ctime;
	struct timespec	va_birthtime;
	uint64_t	va_rdev;
};

struct vnode {
	u_int			v_usecount;	/* a; V from and to 0 */
	enum vtype		v_type;		/* c */
	u_int			v_vflag;	/* c: VV_* */
	u_int			v_iflag;	/* V: VI_* */
	struct mount		*v_mount;	/* k: NULL once dead */
	/* c: the mount it was made on, NULL for none; referenced
	 * (mnt_refs) until the vnode is freed, dead or not */
	struct mount		*v_mntref;
	const struct vnodeops	*v_op;		/* k: dead_vnodeops */
	void			*v_data;	/* f; k: NULL */
	struct mount		*v_mountedhere;	/* m */
	struct lockf		*v_lockf;	/* l */
	struct pipe		*v_fifo;	/* F: a FIFO's, while open */
	/* V: on the LRU (VI_LISTED) or mnt_deferred (VI_DEFERRED) */
	TAILQ_ENTRY(vnode)	v_freelist;
	LIST_HEAD(, ncentry)	v_nclist;	/* n: cache entries naming it */
	LIST_HEAD(, ncentry)	v_dnclist;	/* n: entries in it (a dir) */
};
#define VV_ROOT		0x01	/* root of its file system */

/* v_iflag: where an unreferenced vnode is, what runs on it. */
#define VI_LISTED	0x01	/* cached, on the LRU list */
#define VI_DEFERRED	0x02	/* released while its mount was gated */
#define VI_INACTIVE	0x04	/* vop_inactive running */
#define VI_RECLAIM	0x08	/* vop_reclaim running */
#define VI_WANTED	0x10	/* a last release waits for those two */

/* I/O flags */
#define IO_APPEND	0x01
#define IO_SYNC		0x02

struct vnodeops {
	/* Look up name in directory dvp: a referenced *vpp or ENOENT.
	 * ".." must work; "." is handled by the VFS. */
	int	(*vop_lookup)(struct vnode *dvp, const char *name,
		    size_t len, struct vnode **vpp);
	/* Make a file of va->va_type (VREG, VDIR, VFIFO, VCHR, VBLK,
	 * VSOCK) with va_mode, va_uid, va_gid, va_rdev; EEXIST if the
	 * name exists. */
	int	(*vop_create)(struct vnode *dvp, const char *name, size_t len,
		    struct vattr *va, struct vnode **vpp);
	int	(*vop_symlink)(struct vnode *dvp, const char *name, size_t len,
		    struct vattr *va, const char *target, struct vnode **vpp);
	/* Remove entry name (naming vp) from dvp; a directory must be
	 * empty (ENOTEMPTY).  ERESTART, here and from vop_rename: the
	 * name changed since the VFS looked it up; the VFS looks again. */
	int	(*vop_remove)(struct vnode *dvp, struct vnode *vp,
		    const char *name, size_t len);
	int	(*vop_link)(struct vnode *dvp, struct vnode *vp,
		    const char *name, size_t len);
	/* Move fdvp/fname (fvp) to tdvp/tname, replacing tvp if not
	 * NULL.  The VFS has checked types, permissions, EXDEV and that a
	 * directory does not move into itself. */
	int	(*vop_rename)(struct vnode *fdvp, struct vnode *fvp,
		    const char *fname, size_t flen, struct vnode *tdvp,
		    struct vnode *tvp, const char *tname, size_t tlen);
	int	(*vop_getattr)(struct vnode *vp, struct vattr *va);
	/* Set the fields not VNOVAL: mode, uid, gid, size, times.  The
	 * VFS has checked permissions. */
	int	(*vop_setattr)(struct vnode *vp, struct vattr *va);
	int	(*vop_read)(struct vnode *vp, struct uio *uio, int ioflag);
	int	(*vop_write)(struct vnode *vp, struct uio *uio, int ioflag);
	/* struct rump_dirent records from cookie uio_offset; a record
	 * that does not fit ends the call (EINVAL if none fit). */
	int	(*vop_readdir)(struct vnode *vp, struct uio *uio, int *eofp);
	int	(*vop_readlink)(struct vnode *vp, struct uio *uio);
	int	(*vop_fsync)(struct vnode *vp, int flags);
	/* Optional: SEEK_DATA / SEEK_HOLE from off. */
	int	(*vop_seek)(struct vnode *vp, off_t off, int whence,
		    off_t *res);
	/* The last reference went.  Return true if the file system let
	 * go of the vnode (the VFS frees it), false if it keeps it with
	 * its node (the VFS caches it, unless in use again).  Before
	 * letting go it purges vp's names (cache_purge) and rechecks
	 * v_usecount under its own lock: a name-cache hit or its own
	 * lookup may have taken a reference again.  Runs with no VFS
	 * lock held and never beside another inactive or reclaim on vp;
	 * it must not vrele vp (that release would wait for it). */
	bool	(*vop_inactive)(struct vnode *vp);
	/* The VFS wants a cached, unreferenced vnode back: detach it from
	 * the node (purging its names) and return 0, or EBUSY if it is in
	 * use again or cannot be let go of yet.  The same rules as for
	 * vop_inactive. */
	int	(*vop_reclaim)(struct vnode *vp);
};

extern const struct vnodeops dead_vnodeops;

/* vfs_vnode.c: the last operation left a mount being closed. */
void	vop_drained(struct mount *);

/*
 * Enter a vnode operation on vp: count it in its mount's mnt_nops and
 * return the operations to call, dead_vnodeops if the mount is closed
 * (being unmounted or gone).  The count comes before the check, both
 * sequentially consistent, and vop_gate sets mnt_opclosed before it
 * reads the count: so either the unmount sees this operation and waits
 * for it, or this operation sees the mount closed.  vp's reference
 * keeps the struct mount (v_mntref) in memory.
 */
static inline const struct vnodeops *
vop_enter(struct vnode *vp)
{
	struct mount *mp = vp->v_mntref;

	if (mp == NULL)
		return vp->v_op;
	atomic_inc_nv(&mp->mnt_nops);
	if (__predict_false(atomic_load_seq(&mp->mnt_opclosed)))
		return &dead_vnodeops;
	/* Not closed: vnode_kill cannot have run, nor run until we
	 * leave, so v_op is the file system's. */
	return vp->v_op;
}

static inline void
vop_exit(struct vnode *vp)
{
	struct mount *mp = vp->v_mntref;

	if (mp == NULL)
		return;
	if (atomic_dec_nv(&mp->mnt_nops) == 0 &&
	    __predict_false(atomic_load_seq(&mp->mnt_opclosed)))
		vop_drained(mp);
}

static inline int
VOP_LOOKUP(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	int error;

	error = vop_enter(dvp)->vop_lookup(dvp, name, len, vpp);
	vop_exit(dvp);
	return error;
}

static inline int
VOP_CREATE(struct vnode *dvp, const char *name, size_t len,
    struct vattr *va, struct vnode **vpp)
{
	int error;

	error = vop_enter(dvp)->vop_create(dvp, name, len, va, vpp);
	vop_exit(dvp);
	return error;
}

static inline int
VOP_SYMLINK(struct vnode *dvp, const char *name, size_t len,
    struct vattr *va, const char *target, struct vnode **vpp)
{
	int error;

	error = vop_enter(dvp)->vop_symlink(dvp, name, len, va, target, vpp);
	vop_exit(dvp);
	return error;
}

static inline int
VOP_REMOVE(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t len)
{
	int error;

	error = vop_enter(dvp)->vop_remove(dvp, vp, name, len);
	vop_exit(dvp);
	return error;
}

static inline int
VOP_LINK(struct vnode *dvp, struct vnode *vp, const char *name, size_t len)
{
	int error;

	error = vop_enter(dvp)->vop_link(dvp, vp, name, len);
	vop_exit(dvp);
	return error;
}

/* fdvp's mount busy covers tdvp, fvp and tvp: all on the same mount. */
static inline int
VOP_RENAME(struct vnode *fdvp, struct vnode *fvp, const char *fname,
    size_t flen, struct vnode *tdvp, struct vnode *tvp, const char *tname,
    size_t tlen)
{
	int error;

	error = vop_enter(fdvp)->vop_rename(fdvp, fvp, fname, flen, tdvp, tvp,
	    tname, tlen);
	vop_exit(fdvp);
	return error;
}

static inline int
VOP_GETATTR(struct vnode *vp, struct vattr *va)
{
	int error;

	error = vop_enter(vp)->vop_getattr(vp, va);
	vop_exit(vp);
	return error;
}

static inline int
VOP_SETATTR(struct vnode *vp, struct vattr *va)
{
	int error;

	error = vop_enter(vp)->vop_setattr(vp, va);
	vop_exit(vp);
	return error;
}

static inline int
VOP_READ(struct vnode *vp, struct uio *uio, int ioflag)
{
	int error;

	error = vop_enter(vp)->vop_read(vp, uio, ioflag);
	vop_exit(vp);
	return error;
}

static inline int
VOP_WRITE(struct vnode *vp, struct uio *uio, int ioflag)
{
	int error;

	error = vop_enter(vp)->vop_write(vp, uio, ioflag);
	vop_exit(vp);
	return error;
}

static inline int
VOP_READDIR(struct vnode *vp, struct uio *uio, int *eofp)
{
	int error;

	error = vop_enter(vp)->vop_readdir(vp, uio, eofp);
	vop_exit(vp);
	return error;
}

static inline int
VOP_READLINK(struct vnode *vp, struct uio *uio)
{
	int error;

	error = vop_enter(vp)->vop_readlink(vp, uio);
	vop_exit(vp);
	return error;
}

static inline int
VOP_FSYNC(struct vnode *vp, int flags)
{
	int error;

	error = vop_enter(vp)->vop_fsync(vp, flags);
	vop_exit(vp);
	return error;
}

/* EOPNOTSUPP if the file system (or a dead vnode) has no vop_seek. */
static inline int
VOP_SEEK(struct vnode *vp, off_t off, int whence, off_t *res)
{
	const struct vnodeops *ops;
	int error;

	ops = vop_enter(vp);
	error = ops->vop_seek != NULL ? ops->vop_seek(vp, off, whence, res) :
	    EOPNOTSUPP;
	vop_exit(vp);
	return error;
}

extern struct vnode *rootvnode;

/* vfs_vnode.c */
int	vnode_alloc(struct mount *, enum vtype, const struct vnodeops *,
	    void *data, struct vnode **);	/* usecount 1 */
/* Free an unreferenced vnode the file system let go of outside its
 * vop_inactive and vop_reclaim (at unmount). */
void	vnode_free(struct vnode *);
void	vnode_abandon(struct vnode *);		/* never handed out */
void	vref(struct vnode *);			/* usecount > 0 already */
/* Drop a reference; the last runs vop_inactive.  Called holding no
 * file-system lock (and no vnode_lock); may wait for an inactive or
 * reclaim already running on the vnode. */
void	vrele(struct vnode *);
/* The file system hands out a vnode it keeps with its node: take a
 * reference that may be the first.  Called with the fs's lock held;
 * never waits. */
void	vnode_activate(struct vnode *);
/* Unmount (vfs_unmount): free vp if unreferenced, else make it dead
 * for its holders; decided under vnode_lock, since a last release or
 * a name-cache hit may come at any moment. */
void	vnode_kill(struct vnode *);
void	vattr_null(struct vattr *);
/* Is this time of a setattr request set (not VNOVAL)? */
bool	vattr_timeset(const struct timespec *);

/* vfs_subr.c: may cred do acc (VREAD|VWRITE|VEXEC) to a file like va? */
#define VEXEC		0x01
#define VWRITE		0x02
#define VREAD		0x04
int	vaccess(const struct vattr *, int acc, struct kauth_cred *);
int	vn_access(struct vnode *, int acc, struct kauth_cred *);
/* May cred remove or rename vp out of sticky directory dvp? */
int	vn_sticky_ok(struct vnode *dvp, struct vnode *vp, struct kauth_cred *);
int	vn_rdonly(struct vnode *);

/* vfs_cache.c: the name cache (see there for the rules). */
void	nc_init(void);
struct vnode *cache_lookup(struct vnode *dvp, const char *, size_t);
void	cache_enter(struct vnode *dvp, struct vnode *, const char *, size_t);
void	cache_purge_name(struct vnode *dvp, const char *, size_t);
void	cache_purge(struct vnode *);
void	cache_stats(uint64_t *hits, uint64_t *misses, u_int *count);

/* vfs_vnode.c: the vnode cache, bounded by RUMP_NVNODES.  Unreferenced
 * vnodes a file system keeps go on an LRU list; past the bound the
 * oldest are reclaimed (vop_reclaim) and freed. */
u_int	vnode_count(void);
void	vnode_init(void);

/* vfs_genfs.c: EROFS for every change, for read-only file systems. */
int	genfs_rofs_create(struct vnode *, const char *, size_t, struct vattr *,
	    struct vnode **);
int	genfs_rofs_symlink(struct vnode *, const char *, size_t,
	    struct vattr *, const char *, struct vnode **);
int	genfs_rofs_remove(struct vnode *, struct vnode *, const char *, size_t);
int	genfs_rofs_rename(struct vnode *, struct vnode *, const char *, size_t,
	    struct vnode *, struct vnode *, const char *, size_t);
int	genfs_rofs_setattr(struct vnode *, struct vattr *);
int	genfs_rofs_write(struct vnode *, struct uio *, int);

/* vfs_lockf.c */
int	lf_advlock(struct vnode *, void *owner, int cmd,
	    struct rump_flock *, bool flock, pid_t pid);
void	lf_init(void);

#endif /* _SYS_VNODE_H_ */
