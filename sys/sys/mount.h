/*
 * mount.h: mounted file systems and file-system types.
 *
 * A file-system component registers its vfsops (vfs_register); mount
 * makes a struct mount, asks the file system for its root, and hangs
 * it on the covered directory (v_mountedhere).  The first mount, made
 * at boot, is the root: it covers nothing.
 *
 * mnt_nactive counts the mount's vnodes in use; unmount is EBUSY while
 * any is, other than the mount's own reference to its root, unless
 * forced.  An unmount first closes the mount to vnode operations
 * (vop_enter in <sys/vnode.h>, vop_gate in vfs_vnode.c) and waits for
 * those in flight to leave the file system, then closes its gate on
 * inactive and reclaim calls (vnode_gate, vfs_vnode.c), so that nothing
 * runs inside the file system while it frees its vnodes, nodes and
 * private mount.
 *
 * The struct mount itself lives while anything may still look at it:
 * mnt_refs counts the mount's own reference (dropped by a successful
 * unmount) and one per vnode made on it (dropped when the vnode is
 * freed, dead or not), so a vnode's v_mntref never dangles.
 *
 * Field legend: c constant after mount; m mount_lock; a atomic; V
 * vnode_lock (vfs_vnode.c); g atomic, written by the unmounter only
 * (under vnode_lock), read without a lock by vop_enter.
 */
#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>

struct vnode;
struct mount;

struct vfsops {
	const char	*vfs_name;
	/* Set up mp->mnt_data and the root from the caller's data. */
	int	(*vfs_mount)(struct mount *mp, const void *data, size_t len);
	/* Tear down; with force, vnode_kill() every vnode in use. */
	int	(*vfs_unmount)(struct mount *mp, bool force);
	int	(*vfs_root)(struct mount *mp, struct vnode **vpp);
	int	(*vfs_statvfs)(struct mount *mp, struct rump_statvfs *sbp);
	int	(*vfs_sync)(struct mount *mp);
	LIST_ENTRY(vfsops) vfs_list;	/* vfs_list_lock */
};

struct mount {
	TAILQ_ENTRY(mount)	mnt_list;	/* m */
	const struct vfsops	*mnt_op;	/* c */
	void			*mnt_data;	/* c: the file system's */
	struct vnode		*mnt_vnodecovered; /* c: NULL for the root */
	struct vnode		*mnt_root;	/* c: referenced */
	int			mnt_flag;	/* c: RUMP_MNT_* */
	uint64_t		mnt_fsid;	/* c */
	u_int			mnt_nactive;	/* a: vnodes in use */
	u_int			mnt_refs;	/* a: see above */
	u_int			mnt_nops;	/* a: vnode operations in flight */
	bool			mnt_opclosed;	/* g: new operations fail */
	bool			mnt_vgate;	/* V: being unmounted */
	u_int			mnt_vbusy;	/* V: inactive, reclaim calls */
	TAILQ_HEAD(, vnode)	mnt_deferred;	/* V: released while gated */
	char			mnt_onname[256];	/* c */
	char			mnt_fromname[256];	/* c */
};

extern kmutex_t mount_lock;

int	vfs_register(struct vfsops *);
void	vfs_unregister(struct vfsops *);
int	vfs_mountroot(void);
/* Drop a reference to mp's memory (mnt_refs); the last frees it. */
void	mount_rele(struct mount *);

#endif /* _SYS_MOUNT_H_ */
