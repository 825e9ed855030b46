/*
 * kern_condvar.c: kernel condition variables on hypercall ones.
 * While a thread waits, the interlock's owner field is cleared and the
 * lock-order record dropped, then restored on wakeup.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/time.h>
#include <rumpuser.h>

void
cv_init(kcondvar_t *cv, const char *wmesg)
{

	cv->cv_wmesg = wmesg;
	if (rumpuser_cv_init(&cv->cv_hyp) != 0)
		panic("cv_init: no host memory");
}

void
cv_destroy(kcondvar_t *cv)
{

	rumpuser_cv_destroy(cv->cv_hyp);
}

static void
cv_unown(kmutex_t *mtx)
{

	KASSERTMSG(mutex_owned(mtx), "cv_wait: interlock %p not held", mtx);
	lockdebug_release(mtx->mtx_class);
	mtx->mtx_owner = NULL;
}

static void
cv_reown(kmutex_t *mtx)
{

	mtx->mtx_owner = curlwp;
	lockdebug_acquire(mtx->mtx_class);
}

void
cv_wait(kcondvar_t *cv, kmutex_t *mtx)
{

	cv_unown(mtx);
	if (mtx->mtx_spin)
		rumpuser_cv_wait_nowrap(cv->cv_hyp, mtx->mtx_hyp);
	else
		rumpuser_cv_wait(cv->cv_hyp, mtx->mtx_hyp);
	cv_reown(mtx);
}

static int
cv_wait_rel(kcondvar_t *cv, kmutex_t *mtx, int64_t ns)
{
	int64_t sec = ns / NSEC_PER_SEC, nsec = ns % NSEC_PER_SEC;
	int error;

	cv_unown(mtx);
	if (mtx->mtx_spin)
		error = rumpuser_cv_timedwait_nowrap(cv->cv_hyp, mtx->mtx_hyp,
		    sec, nsec);
	else
		error = rumpuser_cv_timedwait(cv->cv_hyp, mtx->mtx_hyp,
		    sec, nsec);
	cv_reown(mtx);
	return error == ETIMEDOUT ? EWOULDBLOCK : error;
}

int
cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{

	if (ticks <= 0) {
		cv_wait(cv, mtx);
		return 0;
	}
	return cv_wait_rel(cv, mtx, ticks2ns(ticks));
}

int
cv_timedwait_ns(kcondvar_t *cv, kmutex_t *mtx, int64_t deadline)
{
	int64_t now = getnsecuptime();

	if (deadline <= now)
		return EWOULDBLOCK;
	return cv_wait_rel(cv, mtx, deadline - now);
}

/*
 * The interruptible waits: slices of at most CV_INTR_NS, the process's
 * interrupt flag looked at before each.  A slice that ends by timing
 * out is no wakeup for the caller (its condition comes with a signal
 * or broadcast), so only the caller's own deadline ends the wait.
 * deadline < 0: none.
 */
static int
cv_wait_intr(kcondvar_t *cv, kmutex_t *mtx, int64_t deadline)
{
	int64_t now, until;
	int error;

	for (;;) {
		if (proc_interrupted(curlwp->l_proc))
			return EINTR;
		now = getnsecuptime();
		if (deadline >= 0 && deadline <= now)
			return EWOULDBLOCK;
		until = now + CV_INTR_NS;
		if (deadline >= 0 && deadline < until)
			until = deadline;
		error = cv_wait_rel(cv, mtx, until - now);
		if (error != EWOULDBLOCK)
			return error;
	}
}

int
cv_wait_sig(kcondvar_t *cv, kmutex_t *mtx)
{

	return cv_wait_intr(cv, mtx, -1);
}

int
cv_timedwait_sig(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{

	return cv_wait_intr(cv, mtx, ticks <= 0 ? -1 :
	    getnsecuptime() + ticks2ns(ticks));
}

int
cv_timedwait_ns_sig(kcondvar_t *cv, kmutex_t *mtx, int64_t deadline)
{

	return cv_wait_intr(cv, mtx, deadline < 0 ? 0 : deadline);
}

void
cv_signal(kcondvar_t *cv)
{

	rumpuser_cv_signal(cv->cv_hyp);
}

void
cv_broadcast(kcondvar_t *cv)
{

	rumpuser_cv_broadcast(cv->cv_hyp);
}

bool
cv_has_waiters(kcondvar_t *cv)
{
	int n;

	rumpuser_cv_has_waiters(cv->cv_hyp, &n);
	return n > 0;
}
