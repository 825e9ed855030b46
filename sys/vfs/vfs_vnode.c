/*
 * vfs_vnode.c: vnode life cycle and the vnode cache.
 *
 * vnode_alloc() makes a vnode with one reference.  A file system that
 * keeps its vnodes with its nodes hands them out again with
 * vnode_activate() (which may take the first reference).  vrele()
 * dropping the last reference calls vop_inactive, after which the VFS
 * frees the vnode (the file system let go of it) or caches it on an
 * LRU list; past RUMP_NVNODES cached vnodes, the thread that cached
 * one takes the oldest off the list and asks its file system to let
 * go of it (vop_reclaim), then frees it.  Each mount counts its vnodes
 * in use (mnt_nactive) for unmount.
 *
 * vnode_kill() is for an unmount: an unreferenced vnode is freed, one
 * in use stays valid for its holders but every operation now fails
 * (dead_vnodeops) and it no longer belongs to a mount; its last vrele
 * frees it.
 *
 * Locking: vnode_lock, one short-held mutex, over the LRU list, every
 * vnode's v_iflag and the transitions of v_usecount from and to zero
 * (counts above one move with atomics alone), and each mount's
 * mnt_vgate, mnt_vbusy and mnt_deferred, and the writes of
 * mnt_opclosed (with the wait for mnt_nops to drain).  It is never held across a
 * call into a file system or the name cache: vop_inactive and
 * vop_reclaim run with no VFS lock held, so inactive calls on
 * different vnodes overlap freely.  Order: the file systems' locks,
 * then nc_lock, then vnode_lock, then (vnode_kill waking a FIFO's
 * waiting opens, vfs_fifo.c) fifo_lock and pipe_lock.
 *
 * What keeps those calls apart without a global lock:
 *   - On one vnode, at most one vop_inactive or vop_reclaim runs at a
 *     time (VI_INACTIVE, VI_RECLAIM).  A last release that finds one
 *     running waits for it, holding its reference, then looks again:
 *     the running call saw that reference and left the vnode alone.
 *     A reference may be taken again meanwhile (vnode_activate: a
 *     name-cache hit, the file system's own lookup); the file system
 *     rechecks v_usecount under its own lock before letting go.
 *   - An unmount first closes its mount to vnode operations (vop_gate:
 *     every VOP_*() call counts itself in mnt_nops, see <sys/vnode.h>)
 *     and waits for those in flight to leave; later ones run
 *     dead_vnodeops.  Before this, a forced unmount freed the nodes,
 *     locks and private mount that a read, write or lookup running on
 *     another thread was using.
 *   - It then closes its mount's gate (vnode_gate) before the file
 *     system's vfs_unmount: the LRU then passes over the mount's
 *     vnodes, a last release only sets the vnode aside (mnt_deferred)
 *     and the gate waits out the inactive and reclaim calls already
 *     running (mnt_vbusy).  So vfs_unmount may free any vnode of its
 *     mount: none is in a file system call it cannot see.  Before the
 *     gate, a thread trimming the LRU could take a vnode off the list,
 *     drop the lock and call vop_reclaim on it while the unmount freed
 *     it, its node and the mount.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rumpuser.h>
#include "vfs_private.h"

struct vnode *rootvnode;

static u_int numvnodes;			/* atomic */
static u_int desiredvnodes = 8192;	/* c: RUMP_NVNODES */
static kmutex_t vnode_lock;
/* A vnode's inactive or reclaim ended (VI_WANTED), a gated mount's
 * last running call ended, a closed mount's last operation left. */
static kcondvar_t vnode_cv;
static TAILQ_HEAD(, vnode) vnode_free_list =	/* vnode_lock */
    TAILQ_HEAD_INITIALIZER(vnode_free_list);

static void	vnode_inactive(struct vnode *, struct mount *);

void
vnode_init(void)
{
	char buf[16];
	uint64_t n;

	mutex_init(&vnode_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&vnode_cv, "vnode");
	if (rumpuser_getparam("RUMP_NVNODES", buf, sizeof(buf)) == 0 &&
	    strtou64(buf, NULL, 10, &n) == 0 && n >= 16 && n <= 1000000)
		desiredvnodes = (u_int)n;
}

u_int
vnode_count(void)
{

	return atomic_load_relaxed(&numvnodes);
}

/* Take vp off the LRU or its mount's deferred list, if it is on one. */
static void
vnode_unlist(struct vnode *vp)
{

	KASSERT(mutex_owned(&vnode_lock));
	if (vp->v_iflag & VI_LISTED) {
		TAILQ_REMOVE(&vnode_free_list, vp, v_freelist);
		vp->v_iflag &= ~VI_LISTED;
	} else if (vp->v_iflag & VI_DEFERRED) {
		KASSERT(vp->v_mount != NULL);
		TAILQ_REMOVE(&vp->v_mount->mnt_deferred, vp, v_freelist);
		vp->v_iflag &= ~VI_DEFERRED;
	}
}

/* Wait until no inactive or reclaim runs on vp. */
static void
vnode_wait(struct vnode *vp)
{

	KASSERT(mutex_owned(&vnode_lock));
	while (vp->v_iflag & (VI_INACTIVE | VI_RECLAIM)) {
		vp->v_iflag |= VI_WANTED;
		cv_wait(&vnode_cv, &vnode_lock);
	}
}

/* The inactive or reclaim call (flag) on vp ended; mp is its mount. */
static void
vnode_done(struct vnode *vp, struct mount *mp, u_int flag)
{

	KASSERT(mutex_owned(&vnode_lock));
	KASSERT(vp->v_iflag & flag);
	vp->v_iflag &= ~flag;
	if (vp->v_iflag & VI_WANTED) {
		vp->v_iflag &= ~VI_WANTED;
		cv_broadcast(&vnode_cv);
	}
	if (mp != NULL) {
		KASSERT(mp->mnt_vbusy > 0);
		if (--mp->mnt_vbusy == 0 && mp->mnt_vgate)
			cv_broadcast(&vnode_cv);
	}
}

/* Free vp, which nothing can reach any more. */
static void
vnode_destroy(struct vnode *vp)
{
	struct mount *mp;

	KASSERT(vp->v_usecount == 0);
	KASSERT(vp->v_lockf == NULL);
	KASSERT(vp->v_iflag == 0);
	KASSERT(vp->v_fifo == NULL);	/* its last close took it */
	cache_purge(vp);
	atomic_dec_nv(&numvnodes);
	mp = vp->v_mntref;
	kmem_free(vp, sizeof(*vp));
	if (mp != NULL)
		mount_rele(mp);
}

/*
 * While there are more vnodes than wanted, reclaim cached ones from the
 * old end of the list, passing over those of a mount being unmounted
 * (its unmount frees them).  Called holding no lock.
 */
static void
vnode_trim(void)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if (atomic_load_relaxed(&numvnodes) <= desiredvnodes)
		return;
	mutex_enter(&vnode_lock);
	while (atomic_load_relaxed(&numvnodes) > desiredvnodes) {
		/* A listed vnode's mount is alive: its unmount takes every
		 * vnode off the list before the mount goes. */
		TAILQ_FOREACH(vp, &vnode_free_list, v_freelist)
			if (vp->v_mount == NULL || !vp->v_mount->mnt_vgate)
				break;
		if (vp == NULL)
			break;
		KASSERT(vp->v_usecount == 0);
		KASSERT((vp->v_iflag & (VI_INACTIVE | VI_RECLAIM)) == 0);
		vnode_unlist(vp);
		vp->v_iflag |= VI_RECLAIM;
		if ((mp = vp->v_mount) != NULL)
			mp->mnt_vbusy++;
		mutex_exit(&vnode_lock);

		error = vp->v_op->vop_reclaim(vp);

		mutex_enter(&vnode_lock);
		/* On 0 the file system has let go and purged its names:
		 * nothing can take a reference any more. */
		KASSERT(error != 0 || vp->v_usecount == 0);
		vnode_done(vp, mp, VI_RECLAIM);
		if (error == 0) {
			mutex_exit(&vnode_lock);
			vnode_destroy(vp);
			mutex_enter(&vnode_lock);
		}
		/* EBUSY: in use again (its last release caches it again),
		 * or a node its file system cannot let go of yet: that
		 * one stays off the list, for the unmount. */
	}
	mutex_exit(&vnode_lock);
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
	vp->v_mntref = mp;
	if (mp != NULL) {
		atomic_inc_nv(&mp->mnt_refs);
		atomic_inc_nv(&mp->mnt_nactive);
	}
	atomic_inc_nv(&numvnodes);
	*vpp = vp;
	return 0;
}

/* Free a vnode from vnode_alloc that was never handed out. */
void
vnode_abandon(struct vnode *vp)
{

	KASSERT(vp->v_usecount == 1);
	KASSERT(vp->v_iflag == 0);
	vp->v_usecount = 0;
	if (vp->v_mount != NULL)
		atomic_dec_nv(&vp->v_mount->mnt_nactive);
	vnode_destroy(vp);
}

/*
 * The file system frees an unreferenced vnode it has let go of, outside
 * its inactive and reclaim (at unmount).
 */
void
vnode_free(struct vnode *vp)
{

	mutex_enter(&vnode_lock);
	KASSERTMSG(vp->v_usecount == 0, "vnode_free: vnode %p in use", vp);
	KASSERTMSG((vp->v_iflag & (VI_INACTIVE | VI_RECLAIM)) == 0,
	    "vnode_free: vnode %p being inactivated or reclaimed", vp);
	vnode_unlist(vp);
	mutex_exit(&vnode_lock);
	vnode_destroy(vp);
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
	u_int n;

	while ((n = atomic_load_relaxed(&vp->v_usecount)) > 0)
		if (atomic_cas(&vp->v_usecount, n, n + 1))
			return;
	mutex_enter(&vnode_lock);
	if (atomic_inc_nv(&vp->v_usecount) == 1) {
		if (vp->v_mount != NULL)
			atomic_inc_nv(&vp->v_mount->mnt_nactive);
		vnode_unlist(vp);
	}
	mutex_exit(&vnode_lock);
}

/*
 * Drop a reference.  The last one runs the file system's vop_inactive
 * (no lock held), unless the vnode's mount is being unmounted: then
 * the vnode is set aside for the unmount to free.
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
	mutex_enter(&vnode_lock);
	vnode_wait(vp);
	if (atomic_dec_nv(&vp->v_usecount) > 0) {
		/* Taken again while we waited. */
		mutex_exit(&vnode_lock);
		return;
	}
	KASSERT((vp->v_iflag & (VI_LISTED | VI_DEFERRED)) == 0);
	if ((mp = vp->v_mount) != NULL) {
		atomic_dec_nv(&mp->mnt_nactive);
		if (mp->mnt_vgate) {
			vp->v_iflag |= VI_DEFERRED;
			TAILQ_INSERT_TAIL(&mp->mnt_deferred, vp, v_freelist);
			mutex_exit(&vnode_lock);
			return;
		}
		mp->mnt_vbusy++;
	}
	vp->v_iflag |= VI_INACTIVE;
	mutex_exit(&vnode_lock);
	vnode_inactive(vp, mp);
}

/*
 * Run vp's vop_inactive (VI_INACTIVE set and counted in mp's
 * mnt_vbusy by the caller), then free or cache it as the file system
 * said.
 */
static void
vnode_inactive(struct vnode *vp, struct mount *mp)
{
	bool gone;

	gone = vp->v_op->vop_inactive(vp);

	mutex_enter(&vnode_lock);
	/* Let go: no name and no node lead here, so no reference can
	 * have been taken meanwhile, nor anyone be waiting. */
	KASSERT(!gone || vp->v_usecount == 0);
	KASSERT(!gone || (vp->v_iflag & VI_WANTED) == 0);
	if (!gone && vp->v_usecount == 0) {
		TAILQ_INSERT_TAIL(&vnode_free_list, vp, v_freelist);
		vp->v_iflag |= VI_LISTED;
	}
	vnode_done(vp, mp, VI_INACTIVE);
	mutex_exit(&vnode_lock);
	if (gone)
		vnode_destroy(vp);
	vnode_trim();
}

void
vnode_kill(struct vnode *vp)
{

	/* No name-cache hit can take a first reference after this; the
	 * unmount holds the file system's own lookups off. */
	cache_purge(vp);
	mutex_enter(&vnode_lock);
	KASSERTMSG((vp->v_iflag & (VI_INACTIVE | VI_RECLAIM)) == 0,
	    "vnode_kill: vnode %p in a file-system call past the gate", vp);
	if (vp->v_usecount == 0) {
		vnode_unlist(vp);
		mutex_exit(&vnode_lock);
		vnode_destroy(vp);
		return;
	}
	if (vp->v_mount != NULL)
		atomic_dec_nv(&vp->v_mount->mnt_nactive);
	vp->v_op = &dead_vnodeops;
	vp->v_data = NULL;
	vp->v_mount = NULL;
	vp->v_mountedhere = NULL;
	/* Under vnode_lock: a last release could free vp after it. */
	if (vp->v_type == VFIFO)
		fifo_kill(vp);
	mutex_exit(&vnode_lock);
}

/*
 * mp is being unmounted: close it to vnode operations (those that
 * enter from now on run dead_vnodeops) and wait for those in the file
 * system to leave.  None waits for the unmount, so this ends.
 */
void
vop_gate(struct mount *mp)
{

	mutex_enter(&vnode_lock);
	KASSERT(!mp->mnt_opclosed);
	/* Sequentially consistent, against vop_enter's count then check:
	 * see there. */
	atomic_store_seq(&mp->mnt_opclosed, true);
	while (atomic_load_seq(&mp->mnt_nops) > 0)
		cv_wait(&vnode_cv, &vnode_lock);
	mutex_exit(&vnode_lock);
}

/* The unmount of mp failed: let operations in again. */
void
vop_ungate(struct mount *mp)
{

	atomic_store_seq(&mp->mnt_opclosed, false);
}

/*
 * vop_exit took mnt_nops to zero on a closed mount: wake vop_gate.
 * Taking vnode_lock orders this after vop_gate's check of the count or
 * after it went to sleep, so the wakeup is not lost.
 */
void
vop_drained(struct mount *mp __unused)
{

	mutex_enter(&vnode_lock);
	cv_broadcast(&vnode_cv);
	mutex_exit(&vnode_lock);
}

/*
 * mp is being unmounted: hold new inactive and reclaim calls off its
 * vnodes and wait for those running to end.  From here on the file
 * system's vfs_unmount may free any of them.
 */
void
vnode_gate(struct mount *mp)
{

	mutex_enter(&vnode_lock);
	KASSERT(!mp->mnt_vgate);
	mp->mnt_vgate = true;
	while (mp->mnt_vbusy > 0)
		cv_wait(&vnode_cv, &vnode_lock);
	mutex_exit(&vnode_lock);
}

/*
 * The unmount of mp ended: if it failed (!gone), open the gate again
 * and run the inactive calls that were set aside, before anything can
 * close it again (the mount is not on the mount list); if it
 * succeeded, the file system has freed them all.
 */
void
vnode_ungate(struct mount *mp, bool gone)
{
	struct vnode *vp;

	mutex_enter(&vnode_lock);
	KASSERT(mp->mnt_vgate);
	KASSERT(mp->mnt_vbusy == 0);
	KASSERTMSG(!gone || TAILQ_EMPTY(&mp->mnt_deferred),
	    "vnode_ungate: unmounted %p left vnodes", mp);
	mp->mnt_vgate = false;
	while ((vp = TAILQ_FIRST(&mp->mnt_deferred)) != NULL) {
		KASSERT(!mp->mnt_vgate);
		KASSERT(vp->v_usecount == 0);
		vnode_unlist(vp);
		vp->v_iflag |= VI_INACTIVE;
		mp->mnt_vbusy++;
		mutex_exit(&vnode_lock);
		vnode_inactive(vp, mp);
		mutex_enter(&vnode_lock);
	}
	mutex_exit(&vnode_lock);
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

static bool
dead_inactive(struct vnode *vp __unused)
{

	return true;
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
