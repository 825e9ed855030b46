/*
 * vfs_mount.c: file-system types, mounting and unmounting, the root
 * file system, statvfs and sync.
 *
 * Only the superuser mounts and unmounts.  Mounting covers a
 * directory; an unmount is EBUSY while any vnode of the mount is in
 * use (open files, current directories, a mount on top) unless
 * RUMP_MNT_FORCE is given, in which case those vnodes go dead.
 *
 * Unmounting, forced or not, first closes the mount to vnode
 * operations and waits for those in flight to leave the file system
 * (vop_gate, see vfs_vnode.c and <sys/vnode.h>): later ones fail as on
 * a dead vnode.  Then it closes the mount's gate on its vnodes
 * (vnode_gate) before the file system's vfs_unmount frees them, so no
 * operation, inactive or reclaim call is then running on one; both
 * open again if the unmount fails.  The struct mount is freed by its
 * last reference (mount_rele): the vnodes made on it hold one each.
 *
 * Locking: vfs_list_lock over the registered types; mount_lock over
 * the mount list and v_mountedhere (taken last).
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/vnode.h>
#include "vfs_private.h"
#include "syscallargs.h"

static int	vfs_unmount_mp(struct mount *, struct vnode *, bool);

kmutex_t mount_lock;
static kmutex_t vfs_list_lock;
static LIST_HEAD(, vfsops) vfs_list = LIST_HEAD_INITIALIZER(vfs_list);
static TAILQ_HEAD(, mount) mount_list = TAILQ_HEAD_INITIALIZER(mount_list);
static uint64_t mount_nextfsid;		/* mount_lock */

void
vfs_mount_init(void)
{

	mutex_init(&mount_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&vfs_list_lock, MUTEX_DEFAULT, IPL_NONE);
}

int
vfs_register(struct vfsops *vfs)
{
	struct vfsops *v;

	mutex_enter(&vfs_list_lock);
	LIST_FOREACH(v, &vfs_list, vfs_list) {
		if (strcmp(v->vfs_name, vfs->vfs_name) == 0) {
			mutex_exit(&vfs_list_lock);
			return EEXIST;
		}
	}
	LIST_INSERT_HEAD(&vfs_list, vfs, vfs_list);
	mutex_exit(&vfs_list_lock);
	return 0;
}

void
vfs_unregister(struct vfsops *vfs)
{

	mutex_enter(&vfs_list_lock);
	LIST_REMOVE(vfs, vfs_list);
	mutex_exit(&vfs_list_lock);
}

static const struct vfsops *
vfs_find(const char *name)
{
	struct vfsops *v;

	mutex_enter(&vfs_list_lock);
	LIST_FOREACH(v, &vfs_list, vfs_list)
		if (strcmp(v->vfs_name, name) == 0)
			break;
	mutex_exit(&vfs_list_lock);
	return v;
}

/* Make and mount a file system of type ops on covered (NULL: root). */
static int
mount_common(const struct vfsops *ops, struct vnode *covered,
    const char *onname, int flags, const void *data, size_t datalen,
    struct mount **mpp)
{
	struct mount *mp;
	int error;

	if ((mp = kmem_zalloc(sizeof(*mp), KM_SLEEP)) == NULL)
		return ENOMEM;
	mp->mnt_op = ops;
	mp->mnt_refs = 1;		/* its own, until unmounted */
	TAILQ_INIT(&mp->mnt_deferred);
	/* RUMP_MNT_FORCE lasts only while vfs_mount runs: there it means
	 * "even if the file system says it needs checking". */
	mp->mnt_flag = flags & (RUMP_MNT_RDONLY | RUMP_MNT_NOSUID |
	    RUMP_MNT_NODEV | RUMP_MNT_FORCE);
	strlcpy(mp->mnt_onname, onname, sizeof(mp->mnt_onname));
	strlcpy(mp->mnt_fromname, ops->vfs_name, sizeof(mp->mnt_fromname));
	mutex_enter(&mount_lock);
	mp->mnt_fsid = ++mount_nextfsid;
	mutex_exit(&mount_lock);
	error = ops->vfs_mount(mp, data, datalen);
	mp->mnt_flag &= ~RUMP_MNT_FORCE;
	if (error)
		goto fail;
	if ((error = ops->vfs_root(mp, &mp->mnt_root)) != 0) {
		vnode_gate(mp);
		ops->vfs_unmount(mp, true);
		vnode_ungate(mp, true);
		goto fail;
	}
	mp->mnt_root->v_vflag |= VV_ROOT;
	mutex_enter(&mount_lock);
	if (covered != NULL && covered->v_mountedhere != NULL) {
		mutex_exit(&mount_lock);
		vnode_gate(mp);
		vrele(mp->mnt_root);
		ops->vfs_unmount(mp, true);
		vnode_ungate(mp, true);
		error = EBUSY;
		goto fail;
	}
	mp->mnt_vnodecovered = covered;
	if (covered != NULL)
		covered->v_mountedhere = mp;
	TAILQ_INSERT_TAIL(&mount_list, mp, mnt_list);
	mutex_exit(&mount_lock);
	*mpp = mp;
	return 0;
 fail:
	mount_rele(mp);
	return error;
}

int
vfs_mountroot(void)
{
	const struct vfsops *ops;
	struct mount *mp;
	int error;

	if ((ops = vfs_find("tmpfs")) == NULL) {
		aprint_verbose("vfs: no tmpfs linked: no root file system\n");
		return 0;
	}
	if ((error = mount_common(ops, NULL, "/", 0, NULL, 0, &mp)) != 0)
		return error;
	rootvnode = mp->mnt_root;
	vref(rootvnode);
	/* The processes that exist already start at the root. */
	if ((error = cwdi_fork(NULL, &proc0)) != 0 ||
	    (error = cwdi_fork(NULL, proc1)) != 0)
		return error;
	return 0;
}

int
sys_mount(struct lwp *l, const struct sys_mount_args *uap,
    register_t *retval __unused)
{
	char type[RUMP_MFSNAMELEN];
	struct nameidata nd;
	const struct vfsops *ops;
	struct mount *mp;
	kauth_cred_t cred;
	void *data = NULL;
	size_t datalen = SCARG(uap, datalen);
	int error;

	cred = proc_cred_hold(l->l_proc);
	error = kauth_authorize_super(cred);
	kauth_cred_free(cred);
	if (error)
		return error;
	if ((error = copyinstr(SCARG(uap, type), type, sizeof(type), NULL)))
		return error == ENAMETOOLONG ? ENODEV : error;
	if ((ops = vfs_find(type)) == NULL)
		return ENODEV;
	if (datalen > 4096)
		return EINVAL;
	if (datalen > 0) {
		if ((data = kmem_alloc(datalen, KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = copyin(SCARG(uap, data), data, datalen)) != 0)
			goto out;
	}
	memset(&nd, 0, sizeof(nd));
	nd.ni_upath = SCARG(uap, path);
	nd.ni_op = NI_LOOKUP;
	nd.ni_flags = NI_FOLLOW;
	nd.ni_atfd = RUMP_AT_FDCWD;
	if ((error = namei(&nd)) != 0)
		goto out;
	if (nd.ni_vp->v_type != VDIR) {
		error = ENOTDIR;
		namei_done(&nd);
		goto out;
	}
	/* The covered directory stays referenced by the mount. */
	error = mount_common(ops, nd.ni_vp, "", SCARG(uap, flags), data,
	    datalen, &mp);
	if (error) {
		namei_done(&nd);
		goto out;
	}
	copyinstr(SCARG(uap, path), mp->mnt_onname, sizeof(mp->mnt_onname),
	    NULL);
	nd.ni_vp = NULL;
	namei_done(&nd);
 out:
	if (data != NULL)
		kmem_free(data, datalen);
	return error;
}

int
sys_unmount(struct lwp *l, const struct sys_unmount_args *uap,
    register_t *retval __unused)
{
	struct nameidata nd;
	struct mount *mp;
	struct vnode *root;
	kauth_cred_t cred;
	bool force = (SCARG(uap, flags) & RUMP_MNT_FORCE) != 0;
	int error;

	cred = proc_cred_hold(l->l_proc);
	error = kauth_authorize_super(cred);
	kauth_cred_free(cred);
	if (error)
		return error;
	memset(&nd, 0, sizeof(nd));
	nd.ni_upath = SCARG(uap, path);
	nd.ni_op = NI_LOOKUP;
	nd.ni_flags = NI_FOLLOW;
	nd.ni_atfd = RUMP_AT_FDCWD;
	if ((error = namei(&nd)) != 0)
		return error;
	/* The root stays held until vfs_unmount_mp has the mount off the
	 * list: another unmount may be freeing it meanwhile. */
	root = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	if ((mp = root->v_mount) == NULL || (root->v_vflag & VV_ROOT) == 0) {
		vrele(root);
		return EINVAL;		/* not a mount point */
	}
	return vfs_unmount_mp(mp, root, force);
}

/*
 * Unmount mp: EBUSY if it is covered by another mount or (unless
 * forced) in use; EINVAL if it is not mounted (any more).  held, if not
 * NULL, is a reference to what the caller looked up as mp's root,
 * released here.
 */
static int
vfs_unmount_mp(struct mount *mp, struct vnode *held, bool force)
{
	struct vnode *covered, *root;
	struct mount *m;
	int error = 0;

	mutex_enter(&mount_lock);
	/* A mount on the list is not being unmounted; held keeps its
	 * memory, so mp (maybe freed by another unmount and reused) is
	 * compared, never followed, until it is found. */
	TAILQ_FOREACH(m, &mount_list, mnt_list)
		if (m == mp)
			break;
	if (m == NULL || (held != NULL && mp->mnt_root != held))
		error = EINVAL;		/* not a mount point */
	else if (mp->mnt_vnodecovered == NULL)
		error = EBUSY;		/* the root file system */
	else if (mp->mnt_root->v_mountedhere != NULL)
		error = EBUSY;		/* something mounted on top */
	/* In use: any vnode but the root, or the root beyond the mount's
	 * own reference and the caller's. */
	else if (!force && (mp->mnt_nactive > 1 ||
	    mp->mnt_root->v_usecount > (held != NULL ? 2u : 1u)))
		error = EBUSY;
	if (error) {
		mutex_exit(&mount_lock);
		if (held != NULL)
			vrele(held);
		return error;
	}
	root = mp->mnt_root;
	covered = mp->mnt_vnodecovered;
	covered->v_mountedhere = NULL;
	TAILQ_REMOVE(&mount_list, mp, mnt_list);
	mutex_exit(&mount_lock);
	if (held != NULL)
		vrele(held);		/* not the last: the mount's is left */

	/* From here no operation runs in the file system (new ones
	 * fail as on a dead vnode), then no inactive or reclaim on the
	 * mount's vnodes; the root's release below only sets it aside,
	 * so it is still there to take back if the unmount fails. */
	vop_gate(mp);
	vnode_gate(mp);
	if (mp->mnt_op->vfs_sync != NULL)
		mp->mnt_op->vfs_sync(mp);
	vrele(root);
	error = mp->mnt_op->vfs_unmount(mp, force);
	if (error) {
		/* Put it back as it was.  The releases set aside run
		 * before the mount is on the list again, where another
		 * unmount could close the gate on them. */
		vnode_activate(root);
		vnode_ungate(mp, false);
		vop_ungate(mp);
		mutex_enter(&mount_lock);
		covered->v_mountedhere = mp;
		TAILQ_INSERT_TAIL(&mount_list, mp, mnt_list);
		mutex_exit(&mount_lock);
		return error;
	}
	vnode_ungate(mp, true);
	vrele(covered);
	/* Operations stay closed: dead vnodes still point here. */
	mount_rele(mp);
	return 0;
}

/*
 * At shutdown (reboot(2), after the kernel stopped taking system
 * calls, so nothing else unmounts): unmount every file system but the root,
 * the newest first, forced, so each writes itself back and marks
 * itself clean as at any unmount, before the components go.  One that
 * fails stays mounted (and is synced with the rest at detach); the
 * console says which.
 */
void
vfs_unmount_all(void)
{
	struct mount *mp, *m;
	int error;

	for (;;) {
		/* The newest that is not the root nor covered. */
		mp = NULL;
		mutex_enter(&mount_lock);
		TAILQ_FOREACH(m, &mount_list, mnt_list)
			if (m->mnt_vnodecovered != NULL &&
			    m->mnt_root->v_mountedhere == NULL)
				mp = m;
		mutex_exit(&mount_lock);
		if (mp == NULL)
			return;
		if ((error = vfs_unmount_mp(mp, NULL, true)) != 0) {
			printf("vfs: unmounting %s at shutdown: error %d\n",
			    mp->mnt_onname, error);
			return;
		}
	}
}

/*
 * Lookups cross mount points holding only the vnode they stand on, so
 * the mount may be going meanwhile: an unmount takes it off the list
 * and clears v_mountedhere under mount_lock, and only after that drops
 * the mount's references on its root and on the covered directory.
 * Read under mount_lock, a mount still listed still holds both, so
 * taking one more is safe.  Unlocked, a lookup could read the mount,
 * lose the race and take a reference on a vnode whose last one had
 * gone (the panic "vref: vnode unreferenced"), or one already freed.
 */
struct vnode *
vfs_mounted_root_hold(struct vnode *covered)
{
	struct vnode *rvp = NULL;
	struct mount *mp;

	mutex_enter(&mount_lock);
	if ((mp = covered->v_mountedhere) != NULL) {
		rvp = mp->mnt_root;
		vref(rvp);
	}
	mutex_exit(&mount_lock);
	return rvp;
}

struct vnode *
vfs_covered_hold(struct vnode *root)
{
	struct vnode *covered = NULL;
	struct mount *mp, *m;

	/* v_mntref, not v_mount (which vnode_kill clears): constant, and
	 * the caller's reference on root keeps that memory. */
	if ((root->v_vflag & VV_ROOT) == 0 || (mp = root->v_mntref) == NULL)
		return NULL;
	mutex_enter(&mount_lock);
	TAILQ_FOREACH(m, &mount_list, mnt_list)
		if (m == mp)
			break;
	if (m != NULL && mp->mnt_root == root &&
	    (covered = mp->mnt_vnodecovered) != NULL)
		vref(covered);
	mutex_exit(&mount_lock);
	return covered;
}

void
mount_rele(struct mount *mp)
{

	KASSERT(mp->mnt_refs > 0);
	if (atomic_dec_nv(&mp->mnt_refs) == 0) {
		KASSERT(mp->mnt_nops == 0);
		kmem_free(mp, sizeof(*mp));
	}
}

int
vfs_statvfs(struct vnode *vp, struct rump_statvfs *sb)
{
	struct mount *mp = NULL;
	int error;

	memset(sb, 0, sizeof(*sb));
	/* Busy like a vnode operation: the file system's statvfs reads
	 * its private mount, which an unmount frees. */
	if (vop_enter(vp) == &dead_vnodeops || (mp = vp->v_mount) == NULL)
		error = EIO;
	else
		error = mp->mnt_op->vfs_statvfs(mp, sb);
	vop_exit(vp);
	if (error)
		return error;
	sb->f_fsid = mp->mnt_fsid;
	sb->f_flag = (uint64_t)mp->mnt_flag;
	sb->f_namemax = RUMP_MAXNAMLEN;
	strlcpy(sb->f_fstypename, mp->mnt_op->vfs_name,
	    sizeof(sb->f_fstypename));
	strlcpy(sb->f_mntonname, mp->mnt_onname, sizeof(sb->f_mntonname));
	strlcpy(sb->f_mntfromname, mp->mnt_fromname,
	    sizeof(sb->f_mntfromname));
	return 0;
}

int
vfs_sync_all(void)
{
	struct mount *mp;
	int error = 0, e;

	/* File systems are not unmounted while their sync runs: the
	 * syncing thread holds mount_lock. */
	mutex_enter(&mount_lock);
	TAILQ_FOREACH(mp, &mount_list, mnt_list) {
		if (mp->mnt_op->vfs_sync != NULL &&
		    (e = mp->mnt_op->vfs_sync(mp)) != 0 && error == 0)
			error = e;
	}
	mutex_exit(&mount_lock);
	/* Then what the file systems left in the buffer cache. */
	if ((e = bflush_all()) != 0 && error == 0)
		error = e;
	return error;
}
