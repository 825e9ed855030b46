/*
 * vfs_private.h: shared between the files of the VFS component.
 */
#ifndef _VFS_VFS_PRIVATE_H_
#define _VFS_VFS_PRIVATE_H_

#include <sys/types.h>
#include <sys/mutex.h>

struct vnode;
struct proc;
struct file;
struct lwp;
struct nameidata;
struct mount;
struct rump_statvfs;
struct rump_stat;
struct rump_flock;

/* A process's current and root directories (p_cwdi). */
struct cwdinfo {
	kmutex_t	cwdi_lock;
	struct vnode	*cwdi_cdir;	/* cwdi_lock, referenced */
	struct vnode	*cwdi_rdir;	/* cwdi_lock, referenced */
};

extern kmutex_t vfs_rename_lock;

/* The process's cwd and root, referenced. */
void	cwdi_get(struct proc *, struct vnode **cdir, struct vnode **rdir);
int	cwdi_fork(struct proc *parent, struct proc *child);
void	cwdi_exit(struct proc *);

/* vfs_vnops.c */
extern const struct fileops vnops;
int	vn_open(struct lwp *, struct nameidata *, int fmode, mode_t cmode,
	    struct vnode **);
/* The vnode of descriptor fd (referenced), for the *at calls. */
int	fd_getvnode(struct proc *, int fd, struct file **, struct vnode **);
/* File operations FIFOs share with other vnodes. */
int	vn_fstat(struct file *, struct rump_stat *);
int	vn_advlock(struct file *, int cmd, struct rump_flock *, int flags);

/* vfs_fifo.c: FIFOs, their pipes (see there). */
void	fifo_init(void);
int	fifo_open(struct vnode *, struct file *);
void	fifo_kill(struct vnode *);

/* vfs_mount.c */
void	vfs_mount_init(void);
/* statvfs of vp's file system, holding its mount busy meanwhile. */
int	vfs_statvfs(struct vnode *, struct rump_statvfs *);
int	vfs_sync_all(void);
void	vfs_unmount_all(void);
/* Crossing a mount point, down or up: a new reference on the mounted
 * root over a directory, or on the directory under a mounted root;
 * NULL if there is no such mount (any more). */
struct vnode *vfs_mounted_root_hold(struct vnode *covered);
struct vnode *vfs_covered_hold(struct vnode *root);

/* vfs_vnode.c: an unmount's gate on its vnodes' inactive and reclaim
 * calls, closed before the file system's vfs_unmount and opened again
 * after it (gone: it succeeded). */
void	vop_gate(struct mount *);
void	vop_ungate(struct mount *);
void	vnode_gate(struct mount *);
void	vnode_ungate(struct mount *, bool gone);

/* vfs_cache.c: entering a lookup's result without racing a purge. */
uint64_t cache_gen(void);
void	cache_enter_gen(struct vnode *dvp, struct vnode *vp, const char *,
	    size_t, uint64_t gen);

/* vfs_lookup.c */
int	vfs_getcwd(struct proc *, char *buf, size_t len, size_t *outlen);

#endif /* _VFS_VFS_PRIVATE_H_ */
