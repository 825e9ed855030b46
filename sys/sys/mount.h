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
 * forced.  An unmount first closes the mount's gate (vnode_gate in
 * vfs_vnode.c, which explains it) so that no inactive or reclaim call
 * runs on its vnodes while the file system frees them.
 *
 * Field legend: c constant after mount; m mount_lock; a atomic; V
 * vnode_lock (vfs_vnode.c).
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
int	vfs_busy_check(struct mount *);

#endif /* _SYS_MOUNT_H_ */
