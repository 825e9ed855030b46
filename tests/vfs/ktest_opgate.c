/*
 * ktest_opgate.c: kernel half of t_unmount_ops: hold one vnode
 * operation inside a file system while its mount is force-unmounted.
 *
 * Interface (plain C types; the host side declares them itself):
 *   rump_ktest_opgate_arm(path, op)   path's vnode gets a copy of its
 *                                     operations in which op (OPG_*
 *                                     below) blocks once, the first time
 *                                     it is called, until released;
 *                                     0 or an errno.
 *   rump_ktest_opgate_entered()       wait until the armed operation is
 *                                     inside the file system (bounded):
 *                                     0 or ETIMEDOUT.
 *   rump_ktest_opgate_release(why, whylen)
 *                                     wait until the mount has left the
 *                                     mount list (an unmount started),
 *                                     give the unmount every chance to
 *                                     go on, then check that it has not
 *                                     killed the vnode under the held
 *                                     operation, and let the operation
 *                                     go on into the real file system.
 *                                     Returns the failures, the first
 *                                     described in why.
 *   rump_ktest_opgate_disarm()        drop what arm took.
 *
 * Without the VFS's operation gate the unmount freed the node, the
 * private mount and the struct mount under the held operation, which
 * then went on with them: a crash, or AddressSanitizer's report.
 *
 * One armed vnode at a time.  Locking: og_lock over the og_* state
 * marked l; the rest is set by arm and disarm, which the test calls
 * while nothing is held.  Waits are bounded (10 s) so a regression
 * fails instead of hanging; nothing measures time.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/time.h>
#include <sys/vnode.h>
#include <rump/rump.h>

int	rump_ktest_opgate_arm(const char *, int);
int	rump_ktest_opgate_entered(void);
int	rump_ktest_opgate_release(char *, size_t);
void	rump_ktest_opgate_disarm(void);

/* The operations that can be held; the host side uses the numbers. */
enum {
	OPG_GETATTR, OPG_READ, OPG_WRITE, OPG_READDIR, OPG_LOOKUP,
	OPG_CREATE, OPG_RENAME, OPG_FSYNC, OPG_NOPS
};

#define OPG_WAIT	(10 * hz)

static kmutex_t og_lock;
static kcondvar_t og_cv;
static bool og_inited;
static struct vnodeops og_ops;		/* the copy the armed vnode gets */
static const struct vnodeops *og_orig;	/* its file system's */
static struct vnode *og_vp;		/* referenced while armed */
static struct vnode *og_covered;	/* referenced while armed */
static struct mount *og_mp;		/* compared, never followed */
static int og_op;			/* the one to hold */
static bool og_entered;			/* l: it is held */
static bool og_go;			/* l: it may go on */

/* The held operation: the first call of og_op waits for release. */
static void
og_hold(int op)
{

	mutex_enter(&og_lock);
	if (op == og_op && !og_entered) {
		og_entered = true;
		cv_broadcast(&og_cv);
		while (!og_go)
			if (cv_timedwait(&og_cv, &og_lock, OPG_WAIT) ==
			    EWOULDBLOCK)
				break;
	}
	mutex_exit(&og_lock);
}

static int
og_getattr(struct vnode *vp, struct vattr *va)
{

	og_hold(OPG_GETATTR);
	return og_orig->vop_getattr(vp, va);
}

static int
og_read(struct vnode *vp, struct uio *uio, int ioflag)
{

	og_hold(OPG_READ);
	return og_orig->vop_read(vp, uio, ioflag);
}

static int
og_write(struct vnode *vp, struct uio *uio, int ioflag)
{

	og_hold(OPG_WRITE);
	return og_orig->vop_write(vp, uio, ioflag);
}

static int
og_readdir(struct vnode *vp, struct uio *uio, int *eofp)
{

	og_hold(OPG_READDIR);
	return og_orig->vop_readdir(vp, uio, eofp);
}

static int
og_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{

	og_hold(OPG_LOOKUP);
	return og_orig->vop_lookup(dvp, name, len, vpp);
}

static int
og_create(struct vnode *dvp, const char *name, size_t len, struct vattr *va,
    struct vnode **vpp)
{

	og_hold(OPG_CREATE);
	return og_orig->vop_create(dvp, name, len, va, vpp);
}

static int
og_rename(struct vnode *fdvp, struct vnode *fvp, const char *fname,
    size_t flen, struct vnode *tdvp, struct vnode *tvp, const char *tname,
    size_t tlen)
{

	og_hold(OPG_RENAME);
	return og_orig->vop_rename(fdvp, fvp, fname, flen, tdvp, tvp, tname,
	    tlen);
}

static int
og_fsync(struct vnode *vp, int flags)
{

	og_hold(OPG_FSYNC);
	return og_orig->vop_fsync(vp, flags);
}

int
rump_ktest_opgate_arm(const char *path, int op)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	if (op < 0 || op >= OPG_NOPS)
		return EINVAL;
	rump_schedule();
	if (!og_inited) {
		mutex_init(&og_lock, MUTEX_DEFAULT, IPL_NONE);
		cv_init(&og_cv, "opgate");
		og_inited = true;
	}
	memset(&nd, 0, sizeof(nd));
	nd.ni_upath = path;
	nd.ni_op = NI_LOOKUP;
	nd.ni_atfd = RUMP_AT_FDCWD;
	if ((error = namei(&nd)) != 0) {
		rump_unschedule();
		return error;
	}
	vp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	if (vp->v_mount == NULL || vp->v_mount->mnt_vnodecovered == NULL) {
		vrele(vp);
		rump_unschedule();
		return EINVAL;		/* dead, or on the root file system */
	}
	og_vp = vp;
	og_mp = vp->v_mount;
	og_covered = og_mp->mnt_vnodecovered;
	vref(og_covered);
	og_op = op;
	og_entered = og_go = false;
	og_orig = vp->v_op;
	og_ops = *og_orig;
	og_ops.vop_getattr = og_getattr;
	og_ops.vop_read = og_read;
	og_ops.vop_write = og_write;
	og_ops.vop_readdir = og_readdir;
	og_ops.vop_lookup = og_lookup;
	og_ops.vop_create = og_create;
	og_ops.vop_rename = og_rename;
	og_ops.vop_fsync = og_fsync;
	/* Nothing else runs on this vnode now: the test says so. */
	vp->v_op = &og_ops;
	rump_unschedule();
	return 0;
}

int
rump_ktest_opgate_entered(void)
{
	int error = 0;

	rump_schedule();
	mutex_enter(&og_lock);
	while (!og_entered && error == 0)
		if (cv_timedwait(&og_cv, &og_lock, OPG_WAIT) == EWOULDBLOCK)
			error = ETIMEDOUT;
	mutex_exit(&og_lock);
	rump_unschedule();
	return error;
}

int
rump_ktest_opgate_release(char *why, size_t whylen)
{
	bool off = false;
	int fails = 0, i;

	/* The unmount takes the mount off the list first.  The pauses
	 * are taken without a virtual CPU, which the unmount may need. */
	for (i = 0; i < 10000 && !off; i++) {
		rump_schedule();
		mutex_enter(&mount_lock);
		off = og_covered->v_mountedhere != og_mp;
		mutex_exit(&mount_lock);
		rump_unschedule();
		if (!off)
			kpause_ns(1000000);
	}
	if (!off) {
		snprintf(why, whylen, "the unmount never started");
		fails++;
	}
	/* Let it go as far as it can: without the gate, through the file
	 * system's vfs_unmount (which kills this vnode) and the free. */
	for (i = 0; i < 50; i++)
		kpause_ns(1000000);
	rump_schedule();
	if (og_vp->v_op != &og_ops) {
		if (fails++ == 0)
			snprintf(why, whylen, "the unmount killed the vnode "
			    "while an operation was inside its file system");
	}
	mutex_enter(&og_lock);
	og_go = true;
	cv_broadcast(&og_cv);
	mutex_exit(&og_lock);
	rump_unschedule();
	return fails;
}

void
rump_ktest_opgate_disarm(void)
{

	rump_schedule();
	if (og_vp != NULL) {
		/* Not yet killed (the test failed early): give the
		 * vnode its file system's operations back. */
		if (og_vp->v_op == &og_ops)
			og_vp->v_op = og_orig;
		vrele(og_vp);
		vrele(og_covered);
		og_vp = og_covered = NULL;
		og_mp = NULL;
	}
	rump_unschedule();
}
