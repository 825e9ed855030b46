/*
 * vfs_vnode.c: vnode life cycle.
 *
 * vnode_alloc() makes a vnode with one reference.  A file system that
 * keeps its vnodes with its nodes hands them out again with
 * vnode_activate() (which may take the first reference).  vrele()
 * dropping the last reference calls vop_inactive, where the file
 * system frees the vnode (vnode_free) or keeps it for later.
 * Each mount counts its vnodes in use (mnt_nactive) for unmount.
 *
 * vnode_kill() is for a forced unmount: the vnode stays valid for its
 * holders but every operation now fails (dead_vnodeops) and it no
 * longer belongs to a mount; its last vrele frees it.
 *
 * Locking: v_usecount and mnt_nactive are atomic.  The last reference
 * is dropped, and vop_inactive runs, under vnode_inact_lock (see
 * vrele), so inactive calls on one vnode never overlap; the file
 * system's vop_inactive rechecks v_usecount under its own lock, since
 * the vnode may have been handed out again meanwhile.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rumpuser.h>

struct vnode *rootvnode;

static u_int numvnodes;			/* atomic */
static u_int desiredvnodes = 8192;	/* c: RUMP_NVNODES */
static kmutex_t vnode_list_lock;
static kmutex_t vnode_inact_lock;	/* last references: see vrele */
static TAILQ_HEAD(, vnode) vnode_free_list =	/* vnode_list_lock */
    TAILQ_HEAD_INITIALIZER(vnode_free_list);

void
vnode_init(void)
{
	char buf[16];
	uint64_t n;

	mutex_init(&vnode_list_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&vnode_inact_lock, MUTEX_DEFAULT, IPL_NONE);
	if (rumpuser_getparam("RUMP_NVNODES", buf, sizeof(buf)) == 0 &&
	    strtou64(buf, NULL, 10, &n) == 0 && n >= 16 && n <= 1000000)
		desiredvnodes = (u_int)n;
}

u_int
vnode_count(void)
{

	return atomic_load_relaxed(&numvnodes);
}

/* Take vp off the list of cached vnodes, if it is there. */
static void
vnode_unlist(struct vnode *vp)
{

	mutex_enter(&vnode_list_lock);
	if (vp->v_onfreelist) {
		TAILQ_REMOVE(&vnode_free_list, vp, v_freelist);
		vp->v_onfreelist = false;
	}
	mutex_exit(&vnode_list_lock);
}

/*
 * The file system keeps unreferenced vp cached.  Put it at the young
 * end of the list; then, while there are more vnodes than wanted,
 * reclaim from the old end.  Called holding no file-system lock.
 */
void
vnode_cache_release(struct vnode *vp)
{
	struct vnode *old;

	mutex_enter(&vnode_list_lock);
	if (!vp->v_onfreelist && vp->v_usecount == 0) {
		TAILQ_INSERT_TAIL(&vnode_free_list, vp, v_freelist);
		vp->v_onfreelist = true;
	}
	while (atomic_load_relaxed(&numvnodes) > desiredvnodes &&
	    (old = TAILQ_FIRST(&vnode_free_list)) != NULL) {
		TAILQ_REMOVE(&vnode_free_list, old, v_freelist);
		old->v_onfreelist = false;
		mutex_exit(&vnode_list_lock);
		if (old->v_op->vop_reclaim(old) == 0)
			vnode_free(old);
		mutex_enter(&vnode_list_lock);
	}
	mutex_exit(&vnode_list_lock);
}

int
vnode_alloc(struct mount *mp, enum vtype type, const struct vnodeops *ops,
    void *data, struct vnode **vpp)
{
	struct vnode *vp;

	if ((vp = kmem_zalloc(sizeof(*vp), KM_SLEEP)) == NULL)
		return ENOMEM;
	vp->v_usecount = 1;
	vp->v_type = type;
	vp->v_mount = mp;
	vp->v_op = ops;
	vp->v_data = data;
	if (mp != NULL)
		atomic_inc_nv(&mp->mnt_nactive);
	atomic_inc_nv(&numvnodes);
	*vpp = vp;
	return 0;
}

/* Free a vnode from vnode_alloc that was never handed out. */
void
vnode_abandon(struct vnode *vp)
{

	KASSERT(vp->v_usecount == 1);
	vp->v_usecount = 0;
	if (vp->v_mount != NULL)
		atomic_dec_nv(&vp->v_mount->mnt_nactive);
	vnode_free(vp);
}

void
vnode_free(struct vnode *vp)
{

	KASSERT(vp->v_usecount == 0);
	KASSERT(vp->v_lockf == NULL);
	vnode_unlist(vp);
	cache_purge(vp);
	atomic_dec_nv(&numvnodes);
	kmem_free(vp, sizeof(*vp));
}

void
vref(struct vnode *vp)
{

	KASSERTMSG(vp->v_usecount > 0, "vref: vnode %p unreferenced", vp);
	atomic_inc_nv(&vp->v_usecount);
}

void
vnode_activate(struct vnode *vp)
{

	if (atomic_inc_nv(&vp->v_usecount) == 1) {
		if (vp->v_mount != NULL)
			atomic_inc_nv(&vp->v_mount->mnt_nactive);
		if (vp->v_onfreelist)
			vnode_unlist(vp);
	}
}

/*
 * Dropping what may be the last reference goes under vnode_inact_lock,
 * and so does vop_inactive.  Without it, a vnode dropped to zero could
 * be taken again (a name-cache hit needs no file-system lock), released
 * and freed by that second holder's vop_inactive while the first's was
 * still to run on it.  Other references come and go without the lock;
 * vop_inactive must not vrele.
 */
void
vrele(struct vnode *vp)
{
	struct mount *mp;
	u_int n;

	for (;;) {
		n = atomic_load_relaxed(&vp->v_usecount);
		KASSERTMSG(n > 0, "vrele: vnode %p unreferenced", vp);
		if (n == 1)
			break;
		if (atomic_cas(&vp->v_usecount, n, n - 1))
			return;
	}
	mutex_enter(&vnode_inact_lock);
	if (atomic_dec_nv(&vp->v_usecount) == 0) {
		if ((mp = vp->v_mount) != NULL)
			atomic_dec_nv(&mp->mnt_nactive);
		vp->v_op->vop_inactive(vp);
	}
	mutex_exit(&vnode_inact_lock);
}

void
vnode_kill(struct vnode *vp)
{

	vnode_unlist(vp);
	cache_purge(vp);
	if (vp->v_mount != NULL && vp->v_usecount > 0)
		atomic_dec_nv(&vp->v_mount->mnt_nactive);
	vp->v_op = &dead_vnodeops;
	vp->v_data = NULL;
	vp->v_mount = NULL;
	vp->v_mountedhere = NULL;
}

bool
vattr_timeset(const struct timespec *ts)
{

	return ts->tv_sec != VNOVAL || ts->tv_nsec != VNOVAL;
}

void
vattr_null(struct vattr *va)
{

	memset(va, 0xff, sizeof(*va));	/* every field VNOVAL */
	va->va_type = VNON;
}

/* ---- dead vnodes ---- */

static int
dead_lookup(struct vnode *dvp __unused, const char *name __unused,
    size_t len __unused, struct vnode **vpp __unused)
{

	return ENOENT;
}

static int
dead_create(struct vnode *dvp __unused, const char *name __unused,
    size_t len __unused, struct vattr *va __unused,
    struct vnode **vpp __unused)
{

	return ENOENT;
}

static int
dead_symlink(struct vnode *dvp __unused, const char *name __unused,
    size_t len __unused, struct vattr *va __unused,
    const char *target __unused, struct vnode **vpp __unused)
{

	return ENOENT;
}

static int
dead_remove(struct vnode *dvp __unused, struct vnode *vp __unused,
    const char *name __unused, size_t len __unused)
{

	return ENOENT;
}

static int
dead_rename(struct vnode *fdvp __unused, struct vnode *fvp __unused,
    const char *fname __unused, size_t flen __unused,
    struct vnode *tdvp __unused, struct vnode *tvp __unused,
    const char *tname __unused, size_t tlen __unused)
{

	return EIO;
}

static int
dead_attr(struct vnode *vp __unused, struct vattr *va __unused)
{

	return EIO;
}

static int
dead_rdwr(struct vnode *vp __unused, struct uio *uio __unused,
    int ioflag __unused)
{

	return EIO;
}

static int
dead_readdir(struct vnode *vp __unused, struct uio *uio __unused,
    int *eofp)
{

	*eofp = 1;
	return EIO;
}

static int
dead_readlink(struct vnode *vp __unused, struct uio *uio __unused)
{

	return EIO;
}

static int
dead_fsync(struct vnode *vp __unused, int flags __unused)
{

	return 0;
}

static void
dead_inactive(struct vnode *vp)
{

	vnode_free(vp);
}

static int
dead_reclaim(struct vnode *vp __unused)
{

	return 0;
}

const struct vnodeops dead_vnodeops = {
	.vop_lookup = dead_lookup,
	.vop_create = dead_create,
	.vop_symlink = dead_symlink,
	.vop_remove = dead_remove,
	.vop_link = dead_remove,
	.vop_rename = dead_rename,
	.vop_getattr = dead_attr,
	.vop_setattr = dead_attr,
	.vop_read = dead_rdwr,
	.vop_write = dead_rdwr,
	.vop_readdir = dead_readdir,
	.vop_readlink = dead_readlink,
	.vop_fsync = dead_fsync,
	.vop_inactive = dead_inactive,
	.vop_reclaim = dead_reclaim,
};
