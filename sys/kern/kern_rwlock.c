/*
 * kern_rwlock.c: kernel reader-writer locks on hypercall rwlocks.
 * The writer is recorded for rw_write_held(); readers are counted
 * atomically (which readers hold it is not tracked).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <sys/rwlock.h>
#include <rumpuser.h>

void
rw_init_class(krwlock_t *rw, const char *cls)
{

	rw->rw_writer = NULL;
	rw->rw_nreaders = 0;
	rw->rw_class = cls;
	if (rumpuser_rw_init(&rw->rw_hyp) != 0)
		panic("rw_init: no host memory");
}

void
rw_destroy(krwlock_t *rw)
{

	KASSERTMSG(!rw_lock_held(rw), "rw_destroy: %p held", rw);
	rumpuser_rw_destroy(rw->rw_hyp);
}

static void
rw_entered(krwlock_t *rw, krw_t op)
{

	if (op == RW_WRITER)
		rw->rw_writer = curlwp;
	else
		atomic_inc_nv(&rw->rw_nreaders);
	lockdebug_acquire(rw->rw_class);
}

void
rw_enter(krwlock_t *rw, krw_t op)
{

	if (LOCKDEBUG_ENABLED && rw->rw_writer == curlwp)
		panic("rw_enter: locking against myself: %p (%s)",
		    rw, rw->rw_class);
	rumpuser_rw_enter(rw->rw_hyp,
	    op == RW_WRITER ? RUMPUSER_RW_WRITER : RUMPUSER_RW_READER);
	rw_entered(rw, op);
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{

	if (rumpuser_rw_tryenter(rw->rw_hyp,
	    op == RW_WRITER ? RUMPUSER_RW_WRITER : RUMPUSER_RW_READER) != 0)
		return 0;
	rw_entered(rw, op);
	return 1;
}

void
rw_exit(krwlock_t *rw)
{

	lockdebug_release(rw->rw_class);
	if (rw->rw_writer == curlwp && curlwp != NULL) {
		rw->rw_writer = NULL;
	} else {
		KASSERTMSG(rw->rw_nreaders > 0, "rw_exit: %p not held", rw);
		atomic_dec_nv(&rw->rw_nreaders);
	}
	rumpuser_rw_exit(rw->rw_hyp);
}

int
rw_tryupgrade(krwlock_t *rw)
{

	KASSERT(rw->rw_nreaders > 0);
	if (rumpuser_rw_tryupgrade(rw->rw_hyp) != 0)
		return 0;
	atomic_dec_nv(&rw->rw_nreaders);
	rw->rw_writer = curlwp;
	return 1;
}

void
rw_downgrade(krwlock_t *rw)
{

	KASSERT(rw_write_held(rw));
	rw->rw_writer = NULL;
	atomic_inc_nv(&rw->rw_nreaders);
	rumpuser_rw_downgrade(rw->rw_hyp);
}

bool
rw_write_held(const krwlock_t *rw)
{

	return rw->rw_writer != NULL && rw->rw_writer == curlwp;
}

bool
rw_read_held(const krwlock_t *rw)
{

	return atomic_load_relaxed(&rw->rw_nreaders) > 0;
}

bool
rw_lock_held(const krwlock_t *rw)
{

	return rw->rw_writer != NULL || rw_read_held(rw);
}
