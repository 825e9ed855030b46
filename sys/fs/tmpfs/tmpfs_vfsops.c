/*
 * tmpfs_vfsops.c: mounting tmpfs, and its component.
 *
 * Mount data is an optional struct rump_tmpfs_args: a size limit in
 * bytes (ENOSPC past it), a limit on the number of files, and the root
 * directory's owner and mode (default root, 0755).  Without a size
 * limit tmpfs is bounded by kernel memory (RUMP_MEMLIMIT).
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include "tmpfs.h"

static int
tmpfs_mount(struct mount *mp, const void *data, size_t len)
{
	struct rump_tmpfs_args args;
	struct tmpfs_mount *tm;
	int error;

	memset(&args, 0, sizeof(args));
	args.ta_root_mode = 0755;
	if (data != NULL) {
		if (len != sizeof(args))
			return EINVAL;
		memcpy(&args, data, sizeof(args));
		if (args.ta_root_mode == 0)
			args.ta_root_mode = 0755;
	}
	if ((tm = kmem_zalloc(sizeof(*tm), KM_SLEEP)) == NULL)
		return ENOMEM;
	rw_init(&tm->tm_lock);
	mutex_init(&tm->tm_vlock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&tm->tm_nodes);
	tm->tm_mount = mp;
	tm->tm_pages_max = howmany(args.ta_size_max, PAGE_SIZE);
	tm->tm_nodes_max = args.ta_nodes_max;
	error = tmpfs_node_alloc(tm, VDIR, args.ta_root_mode,
	    args.ta_root_uid, args.ta_root_gid, 0, &tm->tm_root);
	if (error) {
		mutex_destroy(&tm->tm_vlock);
		rw_destroy(&tm->tm_lock);
		kmem_free(tm, sizeof(*tm));
		return error;
	}
	tm->tm_root->tn_nlink = 2;		/* "." and its own ".." */
	mp->mnt_data = tm;
	return 0;
}

static int
tmpfs_unmount(struct mount *mp, bool force)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_node *np;
	struct tmpfs_dirent *de;
	struct vnode *vp;

	rw_enter(&tm->tm_lock, RW_WRITER);
	if (!force) {
		LIST_FOREACH(np, &tm->tm_nodes, tn_list) {
			if (np->tn_vnode != NULL &&
			    np->tn_vnode->v_usecount > 0) {
				rw_exit(&tm->tm_lock);
				return EBUSY;
			}
		}
	}
	/* Empty every directory, then free every node; vnodes in use go
	 * dead and are freed by their last holder, the others now
	 * (vnode_kill decides, under the VFS's vnode lock). */
	LIST_FOREACH(np, &tm->tm_nodes, tn_list) {
		if (np->tn_type != VDIR)
			continue;
		while ((de = TAILQ_FIRST(&np->tn_dir.entries)) != NULL) {
			TAILQ_REMOVE(&np->tn_dir.entries, de, td_entries);
			kmem_free(de, sizeof(*de) + de->td_namelen + 1);
		}
		np->tn_dir.nentries = 0;
	}
	while ((np = LIST_FIRST(&tm->tm_nodes)) != NULL) {
		if ((vp = np->tn_vnode) != NULL)
			vnode_kill(vp);
		tmpfs_node_free(tm, np);
	}
	rw_exit(&tm->tm_lock);
	mutex_destroy(&tm->tm_vlock);
	rw_destroy(&tm->tm_lock);
	kmem_free(tm, sizeof(*tm));
	mp->mnt_data = NULL;
	return 0;
}

static int
tmpfs_root(struct mount *mp, struct vnode **vpp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	int error;

	rw_enter(&tm->tm_lock, RW_READER);
	error = tmpfs_vget(tm, tm->tm_root, vpp);
	rw_exit(&tm->tm_lock);
	return error;
}

static int
tmpfs_statvfs(struct mount *mp, struct rump_statvfs *sb)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	uint64_t total, free, limit;

	rw_enter(&tm->tm_lock, RW_READER);
	if (tm->tm_pages_max != 0) {
		total = tm->tm_pages_max;
	} else {
		/* Unbounded but for kernel memory: report what is left of
		 * that, or a large round figure. */
		limit = kmem_limit();
		total = limit != 0 ? limit / PAGE_SIZE : 1ULL << 24;
		total = MAX(total, tm->tm_pages_used);
	}
	free = total - MIN(total, tm->tm_pages_used);
	/* Kernel memory may run out before tmpfs's own limit. */
	if ((limit = kmem_limit()) != 0)
		free = MIN(free, (limit - MIN(limit, kmem_hostbytes())) /
		    PAGE_SIZE);
	sb->f_bsize = sb->f_frsize = PAGE_SIZE;
	sb->f_blocks = total;
	sb->f_bfree = sb->f_bavail = free;
	sb->f_files = tm->tm_nodes_max != 0 ? tm->tm_nodes_max : 1ULL << 32;
	sb->f_ffree = sb->f_favail = sb->f_files - tm->tm_nodes_cnt;
	rw_exit(&tm->tm_lock);
	return 0;
}

static struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = tmpfs_unmount,
	.vfs_root = tmpfs_root,
	.vfs_statvfs = tmpfs_statvfs,
};

static int
tmpfs_attach(void)
{

	return vfs_register(&tmpfs_vfsops);
}

static void
tmpfs_detach(void)
{

	vfs_unregister(&tmpfs_vfsops);
}

RUMP_COMPONENT(RUMP_FACTION_VFS, tmpfs, tmpfs_attach, tmpfs_detach);
