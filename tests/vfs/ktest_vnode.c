/*
 * ktest_vnode.c: kernel half of the vnode tests in tests/vfs.
 *
 * Interface (plain C types; the host side declares them itself):
 *   rump_ktest_vnode_count()           vnodes that exist now
 *   rump_ktest_inactive_overlap(why, whylen)
 *                                      vop_inactive on one vnode held
 *                                      blocked: another vnode's last
 *                                      release must complete meanwhile,
 *                                      and a last release of the blocked
 *                                      one must wait for it, not run a
 *                                      second inactive beside it.
 *                                      Returns the failures, the first
 *                                      described in why.
 *
 * The vnodes are the test's own (no mount), with dead_vnodeops but for
 * an inactive that records its calls and, for vnode "a", blocks until
 * told to go on.  Like a file system's, it lets go of the vnode only if
 * no reference was taken again meanwhile.
 *
 * Locking: ov_lock over the struct ov_state fields.  Waits that the
 * code under test might never end are bounded (10 s), so a regression
 * fails instead of hanging; nothing measures time.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kthread.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <sys/vnode.h>
#include <rump/rump.h>

unsigned int	rump_ktest_vnode_count(void);
int		rump_ktest_inactive_overlap(char *, size_t);

#define FAIL(...) do {							\
	if (fails++ == 0)						\
		snprintf(why, whylen, __VA_ARGS__);			\
} while (0)

unsigned int
rump_ktest_vnode_count(void)
{
	u_int n;

	rump_schedule();
	n = vnode_count();
	rump_unschedule();
	return n;
}

/* What the test's vop_inactive saw; one per test run. */
struct ov_state {
	kmutex_t	ov_lock;
	kcondvar_t	ov_cv;
	struct vnode	*ov_a;		/* c: the vnode whose inactive blocks */
	bool		ov_go;		/* ov_lock: a's inactive may return */
	int		ov_a_calls;	/* ov_lock: inactive calls on a */
	int		ov_a_running;	/* ov_lock: ... running now */
	int		ov_a_overlap;	/* ov_lock: two at once, seen */
	int		ov_b_calls;	/* ov_lock: inactive calls on b */
	int		ov_b_released;	/* ov_lock: b's vrele returned */
};

static struct ov_state ov;
static struct vnodeops ov_ops;

static bool
ov_inactive(struct vnode *vp)
{
	bool gone;

	mutex_enter(&ov.ov_lock);
	if (vp != ov.ov_a) {
		ov.ov_b_calls++;
		cv_broadcast(&ov.ov_cv);
		mutex_exit(&ov.ov_lock);
		return true;
	}
	ov.ov_a_calls++;
	if (ov.ov_a_running++ > 0)
		ov.ov_a_overlap++;
	cv_broadcast(&ov.ov_cv);
	while (!ov.ov_go)
		cv_wait(&ov.ov_cv, &ov.ov_lock);
	/* As a file system would, under its own lock: let go only if no
	 * reference was taken again while this ran. */
	gone = vp->v_usecount == 0;
	ov.ov_a_running--;
	mutex_exit(&ov.ov_lock);
	return gone;
}

static void
ov_release_a(void *arg)
{

	vrele(arg);
}

static void
ov_release_b(void *arg)
{

	vrele(arg);
	mutex_enter(&ov.ov_lock);
	ov.ov_b_released = 1;
	cv_broadcast(&ov.ov_cv);
	mutex_exit(&ov.ov_lock);
}

/* Wait, bounded, until *cond (under ov_lock) is true. */
static bool
ov_wait(const int *cond)
{
	int error = 0;

	mutex_enter(&ov.ov_lock);
	while (!*cond && error == 0)
		error = cv_timedwait(&ov.ov_cv, &ov.ov_lock, 10 * hz);
	mutex_exit(&ov.ov_lock);
	return *cond != 0;
}

int
rump_ktest_inactive_overlap(char *why, size_t whylen)
{
	struct vnode *a, *b;
	struct lwp *la = NULL, *lb = NULL, *lc = NULL;
	u_int n0;
	int fails = 0, i, wanted;

	rump_schedule();
	memset(&ov, 0, sizeof(ov));
	mutex_init(&ov.ov_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ov.ov_cv, "ktvnode");
	ov_ops = dead_vnodeops;
	ov_ops.vop_inactive = ov_inactive;
	n0 = vnode_count();
	if (vnode_alloc(NULL, VREG, &ov_ops, NULL, &a) != 0 ||
	    vnode_alloc(NULL, VREG, &ov_ops, NULL, &b) != 0) {
		FAIL("vnode_alloc failed");
		goto out;
	}
	ov.ov_a = a;

	/* a's last release: its inactive starts and blocks. */
	if (kthread_create(KTHREAD_MUSTJOIN, ov_release_a, a, &la, "ova")) {
		FAIL("kthread_create failed");
		goto out;
	}
	if (!ov_wait(&ov.ov_a_calls)) {
		FAIL("a's vop_inactive never ran");
		goto release;
	}

	/* Another vnode's last release completes meanwhile. */
	if (kthread_create(KTHREAD_MUSTJOIN, ov_release_b, b, &lb, "ovb")) {
		FAIL("kthread_create failed");
		goto release;
	}
	if (!ov_wait(&ov.ov_b_released))
		FAIL("the last release of vnode b did not complete while "
		    "vnode a's vop_inactive was blocked");
	else if (ov.ov_b_calls != 1)
		FAIL("vnode b's vop_inactive ran %d times, want 1",
		    ov.ov_b_calls);

	/* a taken again (a name-cache hit would) and released by another
	 * thread: that release must wait for the running inactive.  The
	 * VFS marks a vnode someone waits on (VI_WANTED): wait for that
	 * mark, then check no second inactive started. */
	vnode_activate(a);
	if (kthread_create(KTHREAD_MUSTJOIN, ov_release_a, a, &lc, "ovc")) {
		FAIL("kthread_create failed");
		goto release;
	}
	for (i = 0, wanted = 0; i < 1000 && !wanted; i++) {
		mutex_enter(&ov.ov_lock);
		cv_timedwait(&ov.ov_cv, &ov.ov_lock, 1);
		wanted = (atomic_load_relaxed(&a->v_iflag) & VI_WANTED) != 0;
		mutex_exit(&ov.ov_lock);
	}
	if (!wanted)
		FAIL("a second last release of vnode a did not wait for its "
		    "running vop_inactive");
	mutex_enter(&ov.ov_lock);
	if (ov.ov_a_calls != 1)
		FAIL("vnode a's vop_inactive started %d times while the "
		    "first was blocked", ov.ov_a_calls);
	mutex_exit(&ov.ov_lock);

 release:
	/* Let a's inactive return: it saw the new reference and kept the
	 * vnode; the waiting release then runs a second, which lets go. */
	mutex_enter(&ov.ov_lock);
	ov.ov_go = true;
	cv_broadcast(&ov.ov_cv);
	mutex_exit(&ov.ov_lock);
	if (la != NULL)
		kthread_join(la);
	if (lb != NULL)
		kthread_join(lb);
	if (lc != NULL) {
		kthread_join(lc);
		if (ov.ov_a_calls != 2)
			FAIL("vnode a's vop_inactive ran %d times, want 2 "
			    "(kept while referenced, then let go)",
			    ov.ov_a_calls);
	}
	if (ov.ov_a_overlap != 0)
		FAIL("two vop_inactive calls ran at once on vnode a");
	if (fails == 0 && vnode_count() != n0)
		FAIL("%u vnodes after, %u before", vnode_count(), n0);
 out:
	cv_destroy(&ov.ov_cv);
	mutex_destroy(&ov.ov_lock);
	rump_unschedule();
	return fails;
}
