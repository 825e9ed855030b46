/*
 * tmpfs_subr.c: tmpfs nodes, directory entries, vnodes and file pages.
 * Locking: see tmpfs.h; every function here wants tm_lock held, and
 * exclusively if it changes anything.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include "tmpfs.h"

void
tmpfs_time(struct timespec *ts)
{

	getnanotime(ts);
}

int
tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type, mode_t mode,
    uid_t uid, gid_t gid, uint64_t rdev, struct tmpfs_node **npp)
{
	struct tmpfs_node *np;

	KASSERT(rw_write_held(&tm->tm_lock) || tm->tm_root == NULL);
	if (tm->tm_nodes_max != 0 && tm->tm_nodes_cnt >= tm->tm_nodes_max)
		return ENOSPC;
	if ((np = kmem_zalloc(sizeof(*np), KM_SLEEP)) == NULL)
		return ENOMEM;
	np->tn_type = type;
	np->tn_id = ++tm->tm_nextid;
	np->tn_mode = mode & 07777;
	np->tn_uid = uid;
	np->tn_gid = gid;
	np->tn_rdev = rdev;
	tmpfs_time(&np->tn_birthtime);
	np->tn_atime = np->tn_mtime = np->tn_ctime = np->tn_birthtime;
	if (type == VDIR) {
		TAILQ_INIT(&np->tn_dir.entries);
		np->tn_dir.nextcookie = 2;	/* 0 ".", 1 ".." */
	}
	LIST_INSERT_HEAD(&tm->tm_nodes, np, tn_list);
	tm->tm_nodes_cnt++;
	*npp = np;
	return 0;
}

void
tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *np)
{

	KASSERT(rw_write_held(&tm->tm_lock));
	switch (np->tn_type) {
	case VREG:
		tmpfs_reg_resize(tm, np, 0);
		if (np->tn_reg.pages != NULL)
			kmem_free(np->tn_reg.pages,
			    np->tn_reg.npages * sizeof(char *));
		break;
	case VLNK:
		kmem_free(np->tn_lnk.target, np->tn_lnk.len + 1);
		break;
	case VDIR:
		KASSERT(TAILQ_EMPTY(&np->tn_dir.entries));
		break;
	default:
		break;
	}
	LIST_REMOVE(np, tn_list);
	tm->tm_nodes_cnt--;
	kmem_free(np, sizeof(*np));
}

/* The node's vnode, referenced; made if it has none. */
int
tmpfs_vget(struct tmpfs_mount *tm, struct tmpfs_node *np, struct vnode **vpp)
{
	struct vnode *vp;
	int error;

	mutex_enter(&tm->tm_vlock);
	if ((vp = np->tn_vnode) != NULL) {
		vnode_activate(vp);
	} else {
		error = vnode_alloc(tm->tm_mount, np->tn_type,
		    &tmpfs_vnodeops, np, &vp);
		if (error) {
			mutex_exit(&tm->tm_vlock);
			return error;
		}
		np->tn_vnode = vp;
	}
	mutex_exit(&tm->tm_vlock);
	*vpp = vp;
	return 0;
}

struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dp, const char *name, size_t len)
{
	struct tmpfs_dirent *de;

	KASSERT(dp->tn_type == VDIR);
	TAILQ_FOREACH(de, &dp->tn_dir.entries, td_entries)
		if (de->td_namelen == len && memcmp(de->td_name, name, len) == 0)
			return de;
	return NULL;
}

/* Link np into dp under name; counts the link. */
int
tmpfs_dir_attach(struct tmpfs_node *dp, const char *name, size_t len,
    struct tmpfs_node *np)
{
	struct tmpfs_dirent *de;

	if ((de = kmem_alloc(sizeof(*de) + len + 1, KM_SLEEP)) == NULL)
		return ENOMEM;
	de->td_node = np;
	de->td_cookie = dp->tn_dir.nextcookie++;
	de->td_namelen = (uint16_t)len;
	memcpy(de->td_name, name, len);
	de->td_name[len] = '\0';
	TAILQ_INSERT_TAIL(&dp->tn_dir.entries, de, td_entries);
	dp->tn_dir.nentries++;
	np->tn_nlink++;
	if (np->tn_type == VDIR) {
		np->tn_dir.parent = dp;
		dp->tn_nlink++;			/* the child's ".." */
	}
	tmpfs_time(&dp->tn_mtime);
	dp->tn_ctime = dp->tn_mtime;
	np->tn_ctime = dp->tn_mtime;
	return 0;
}

void
tmpfs_dir_detach(struct tmpfs_node *dp, struct tmpfs_dirent *de)
{
	struct tmpfs_node *np = de->td_node;

	TAILQ_REMOVE(&dp->tn_dir.entries, de, td_entries);
	dp->tn_dir.nentries--;
	np->tn_nlink--;
	if (np->tn_type == VDIR) {
		np->tn_nlink--;			/* its "." */
		dp->tn_nlink--;			/* its ".." */
		np->tn_dir.parent = NULL;
	}
	tmpfs_time(&dp->tn_mtime);
	dp->tn_ctime = dp->tn_mtime;
	np->tn_ctime = dp->tn_mtime;
	kmem_free(de, sizeof(*de) + de->td_namelen + 1);
}

/*
 * Set a regular file's size.  Shrinking frees whole pages past the end
 * and zeroes the tail of the last one; growing makes a hole.
 */
int
tmpfs_reg_resize(struct tmpfs_mount *tm, struct tmpfs_node *np, off_t size)
{
	size_t need = howmany((uint64_t)size, PAGE_SIZE), i, n;
	char **pages;
	off_t tail;

	KASSERT(np->tn_type == VREG);
	if (size < 0)
		return EINVAL;
	if (need > np->tn_reg.npages) {
		n = np->tn_reg.npages ? np->tn_reg.npages : 1;
		while (n < need)
			n *= 2;
		if ((pages = kmem_zalloc(n * sizeof(char *), KM_SLEEP)) == NULL)
			return ENOSPC;
		if (np->tn_reg.pages != NULL) {
			memcpy(pages, np->tn_reg.pages,
			    np->tn_reg.npages * sizeof(char *));
			kmem_free(np->tn_reg.pages,
			    np->tn_reg.npages * sizeof(char *));
		}
		np->tn_reg.pages = pages;
		np->tn_reg.npages = n;
	}
	for (i = need; i < np->tn_reg.npages; i++) {
		if (np->tn_reg.pages[i] != NULL) {
			kmem_free(np->tn_reg.pages[i], PAGE_SIZE);
			np->tn_reg.pages[i] = NULL;
			np->tn_reg.nalloc--;
			tm->tm_pages_used--;
		}
	}
	tail = size % PAGE_SIZE;
	if (size < np->tn_size && tail != 0 &&
	    np->tn_reg.pages[need - 1] != NULL)
		memset(np->tn_reg.pages[need - 1] + tail, 0, PAGE_SIZE - tail);
	np->tn_size = size;
	return 0;
}
