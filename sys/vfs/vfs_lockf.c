/*
 * vfs_lockf.c: advisory record locks (fcntl F_GETLK/F_SETLK/F_SETLKW)
 * and whole-file locks (flock).
 *
 * Each vnode has a list of locks: owner, shared or exclusive, and an
 * inclusive byte range.  fcntl locks belong to the process, flock locks
 * to the open file, and, as on Linux, the two kinds never conflict with
 * each other.  Setting a lock first removes the owner's own locks in the
 * range (splitting one that straddles it), so upgrades, downgrades and
 * partial unlocks all fall out of one operation.  A waiting F_SETLKW or
 * blocking flock sleeps on lf_cv until some lock goes away; there is no
 * deadlock detection yet.
 *
 * Locking: lf_lock over every vnode's v_lockf list.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/vnode.h>

struct lockf {
	struct lockf	*lf_next;
	void		*lf_owner;
	bool		lf_flock;
	pid_t		lf_pid;
	int		lf_type;	/* RUMP_F_RDLCK or RUMP_F_WRLCK */
	off_t		lf_start;
	off_t		lf_end;		/* inclusive; INT64_MAX: to the end */
};

static kmutex_t lf_lock;
static kcondvar_t lf_cv;

void
lf_init(void)
{

	mutex_init(&lf_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&lf_cv, "lockf");
}

static struct lockf *
lf_conflict(struct vnode *vp, const struct lockf *want)
{
	struct lockf *lf;

	KASSERT(mutex_owned(&lf_lock));
	for (lf = vp->v_lockf; lf != NULL; lf = lf->lf_next) {
		if (lf->lf_owner == want->lf_owner ||
		    lf->lf_flock != want->lf_flock)
			continue;
		if (lf->lf_end < want->lf_start || lf->lf_start > want->lf_end)
			continue;
		if (lf->lf_type == RUMP_F_WRLCK ||
		    want->lf_type == RUMP_F_WRLCK)
			return lf;
	}
	return NULL;
}

/* Remove the owner's locks of this kind from [start, end]; spare is a
 * preallocated lock, used (and set to NULL) if one must be split. */
static void
lf_clear(struct vnode *vp, const struct lockf *range, struct lockf **spare)
{
	struct lockf **lfp = &vp->v_lockf, *lf, *tail;

	KASSERT(mutex_owned(&lf_lock));
	while ((lf = *lfp) != NULL) {
		if (lf->lf_owner != range->lf_owner ||
		    lf->lf_flock != range->lf_flock ||
		    lf->lf_end < range->lf_start ||
		    lf->lf_start > range->lf_end) {
			lfp = &lf->lf_next;
			continue;
		}
		if (lf->lf_start >= range->lf_start &&
		    lf->lf_end <= range->lf_end) {
			*lfp = lf->lf_next;		/* inside: remove */
			kmem_free(lf, sizeof(*lf));
			continue;
		}
		if (lf->lf_start < range->lf_start &&
		    lf->lf_end > range->lf_end) {
			/* Straddles: keep both ends. */
			tail = *spare;
			*spare = NULL;
			KASSERT(tail != NULL);
			*tail = *lf;
			tail->lf_start = range->lf_end + 1;
			lf->lf_end = range->lf_start - 1;
			tail->lf_next = lf->lf_next;
			lf->lf_next = tail;
			lfp = &tail->lf_next;
			continue;
		}
		if (lf->lf_start < range->lf_start)
			lf->lf_end = range->lf_start - 1;
		else
			lf->lf_start = range->lf_end + 1;
		lfp = &lf->lf_next;
	}
}

/*
 * fl is in absolute terms (l_whence SEEK_SET).  owner is the process
 * (fcntl) or the file (flock); pid is reported by F_GETLK.
 */
int
lf_advlock(struct vnode *vp, void *owner, int cmd, struct rump_flock *fl,
    bool flock, pid_t pid)
{
	struct lockf want, *lf, *nlf = NULL, *spare = NULL;
	int error = 0;

	memset(&want, 0, sizeof(want));
	want.lf_owner = owner;
	want.lf_flock = flock;
	want.lf_pid = pid;
	want.lf_type = fl->l_type;
	if (fl->l_type != RUMP_F_RDLCK && fl->l_type != RUMP_F_WRLCK &&
	    fl->l_type != RUMP_F_UNLCK)
		return EINVAL;
	if (flock) {
		want.lf_start = 0;
		want.lf_end = INT64_MAX;
	} else if (fl->l_len >= 0) {
		if (fl->l_start < 0)
			return EINVAL;
		want.lf_start = fl->l_start;
		want.lf_end = fl->l_len == 0 ||
		    fl->l_start > INT64_MAX - fl->l_len ? INT64_MAX :
		    fl->l_start + fl->l_len - 1;
	} else {
		if (fl->l_start + fl->l_len < 0)
			return EINVAL;
		want.lf_start = fl->l_start + fl->l_len;
		want.lf_end = fl->l_start - 1;
	}

	if (cmd == RUMP_F_GETLK) {
		if (want.lf_type == RUMP_F_UNLCK)
			return EINVAL;
		mutex_enter(&lf_lock);
		if ((lf = lf_conflict(vp, &want)) != NULL) {
			fl->l_type = (int16_t)lf->lf_type;
			fl->l_start = lf->lf_start;
			fl->l_len = lf->lf_end == INT64_MAX ? 0 :
			    lf->lf_end - lf->lf_start + 1;
			fl->l_pid = lf->lf_pid;
			fl->l_whence = RUMP_SEEK_SET;
		} else
			fl->l_type = RUMP_F_UNLCK;
		mutex_exit(&lf_lock);
		return 0;
	}
	if (cmd != RUMP_F_SETLK && cmd != RUMP_F_SETLKW)
		return EINVAL;

	/* Allocate before locking: a split needs one, a new lock one.
	 * Nothing straddles the whole file, so unlocking all of it (close,
	 * exit) needs no memory and cannot fail. */
	if ((want.lf_start != 0 || want.lf_end != INT64_MAX) &&
	    (spare = kmem_alloc(sizeof(*spare), KM_SLEEP)) == NULL)
		return ENOMEM;
	if (want.lf_type != RUMP_F_UNLCK &&
	    (nlf = kmem_alloc(sizeof(*nlf), KM_SLEEP)) == NULL) {
		if (spare != NULL)
			kmem_free(spare, sizeof(*spare));
		return ENOMEM;
	}
	mutex_enter(&lf_lock);
	if (want.lf_type != RUMP_F_UNLCK) {
		while (lf_conflict(vp, &want) != NULL) {
			if (cmd == RUMP_F_SETLK) {
				error = EAGAIN;
				goto out;
			}
			if ((error = cv_wait_sig(&lf_cv, &lf_lock)) != 0)
				goto out;
		}
	}
	lf_clear(vp, &want, &spare);
	if (nlf != NULL) {
		*nlf = want;
		nlf->lf_next = vp->v_lockf;
		vp->v_lockf = nlf;
		nlf = NULL;
	}
	cv_broadcast(&lf_cv);
 out:
	mutex_exit(&lf_lock);
	if (spare != NULL)
		kmem_free(spare, sizeof(*spare));
	if (nlf != NULL)
		kmem_free(nlf, sizeof(*nlf));
	return error;
}
