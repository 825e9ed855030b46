/*
 * tmpfs.h: private to tmpfs, the memory file system.
 *
 * Every file is a tmpfs_node; a directory's entries are a list of
 * tmpfs_dirent; a regular file's data is an array of page pointers, a
 * NULL page being a hole.  A node's vnode is made when first needed and
 * kept with the node; it is freed with the node when the node has no
 * links and the vnode no references.
 *
 * Locking: tm_lock (rwlock) over the whole mount: namespace, nodes and
 * data; readers share it.  tm_vlock over tn_vnode (handing out vnodes
 * under a shared tm_lock) and the access times that shared readers
 * update.  Order: tm_lock, tm_vlock.
 */
#ifndef _FS_TMPFS_TMPFS_H_
#define _FS_TMPFS_TMPFS_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/rwlock.h>
#include <sys/time.h>
#include <sys/vnode.h>

struct tmpfs_node;

struct tmpfs_dirent {
	TAILQ_ENTRY(tmpfs_dirent) td_entries;	/* L */
	struct tmpfs_node	*td_node;	/* L */
	uint64_t		td_cookie;	/* c: position for readdir */
	uint16_t		td_namelen;	/* c */
	char			td_name[];	/* c, NUL-terminated */
};

TAILQ_HEAD(tmpfs_dir, tmpfs_dirent);

struct tmpfs_node {
	LIST_ENTRY(tmpfs_node)	tn_list;	/* L: on tm_nodes */
	enum vtype		tn_type;	/* c */
	uint64_t		tn_id;		/* c */
	mode_t			tn_mode;	/* L: permission bits */
	uid_t			tn_uid;		/* L */
	gid_t			tn_gid;		/* L */
	uint32_t		tn_nlink;	/* L */
	off_t			tn_size;	/* L */
	struct timespec		tn_atime;	/* V */
	struct timespec		tn_mtime;	/* L */
	struct timespec		tn_ctime;	/* L */
	struct timespec		tn_birthtime;	/* c */
	uint64_t		tn_rdev;	/* c */
	struct vnode		*tn_vnode;	/* V */
	union {
		struct {
			struct tmpfs_dir	entries;	/* L */
			struct tmpfs_node	*parent;	/* L */
			uint64_t		nextcookie;	/* L */
			uint32_t		nentries;	/* L */
		} tn_dir;
		struct {
			char		*target;	/* c */
			size_t		len;		/* c */
		} tn_lnk;
		struct {
			char		**pages;	/* L */
			size_t		npages;		/* L: array size */
			size_t		nalloc;		/* L: pages present */
		} tn_reg;
	};
};

struct tmpfs_mount {
	krwlock_t		tm_lock;
	kmutex_t		tm_vlock;
	struct mount		*tm_mount;	/* c */
	struct tmpfs_node	*tm_root;	/* c */
	LIST_HEAD(, tmpfs_node)	tm_nodes;	/* L */
	uint64_t		tm_nextid;	/* L */
	uint64_t		tm_pages_max;	/* c: 0 no limit */
	uint64_t		tm_pages_used;	/* L */
	uint64_t		tm_nodes_max;	/* c: 0 no limit */
	uint64_t		tm_nodes_cnt;	/* L */
};

#define VFS_TO_TMPFS(mp)	((struct tmpfs_mount *)(mp)->mnt_data)
#define VP_TO_TMPFS_NODE(vp)	((struct tmpfs_node *)(vp)->v_data)
#define VP_TO_TMPFS_MOUNT(vp)	VFS_TO_TMPFS((vp)->v_mount)

extern const struct vnodeops tmpfs_vnodeops;

/* tmpfs_subr.c */
int	tmpfs_node_alloc(struct tmpfs_mount *, enum vtype, mode_t, uid_t,
	    gid_t, uint64_t rdev, struct tmpfs_node **);
void	tmpfs_node_free(struct tmpfs_mount *, struct tmpfs_node *);
int	tmpfs_vget(struct tmpfs_mount *, struct tmpfs_node *, struct vnode **);
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *, const char *,
	    size_t);
int	tmpfs_dir_attach(struct tmpfs_node *dir, const char *, size_t,
	    struct tmpfs_node *);
void	tmpfs_dir_detach(struct tmpfs_node *dir, struct tmpfs_dirent *);
int	tmpfs_reg_resize(struct tmpfs_mount *, struct tmpfs_node *, off_t);
void	tmpfs_time(struct timespec *);

#endif /* _FS_TMPFS_TMPFS_H_ */
