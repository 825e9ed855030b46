/*
 * kern_callout.c: timers (see <sys/callout.h>).
 *
 * Pending callouts sit on one queue sorted by deadline, then by the
 * order they were scheduled.  One kernel thread, started with the first
 * callout, sleeps until the head's deadline and runs what is due with
 * callout_lock dropped.  With nothing pending the kernel is idle: no
 * tick, no wakeups.
 *
 * Locking: callout_lock over the queue, every callout's fields and the
 * thread's state.  A callout's function runs without it.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/time.h>

static kmutex_t callout_lock;
static kcondvar_t callout_cv;		/* the thread waits here */
static kcondvar_t callout_done_cv;	/* callout_halt waits here */
static TAILQ_HEAD(, callout) callout_queue =
    TAILQ_HEAD_INITIALIZER(callout_queue);
static callout_t *callout_running;	/* function running now */
static struct lwp *callout_lwp;
static bool callout_exiting;
static uint64_t callout_seq;

void
callout_startup(void)
{

	mutex_init(&callout_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&callout_cv, "callout");
	cv_init(&callout_done_cv, "callout_halt");
	callout_exiting = false;
}

static void
callout_thread(void *arg __unused)
{
	callout_t *c;
	void (*func)(void *);
	void *carg;

	mutex_enter(&callout_lock);
	while (!callout_exiting) {
		c = TAILQ_FIRST(&callout_queue);
		if (c == NULL) {
			cv_wait(&callout_cv, &callout_lock);
			continue;
		}
		if (c->c_when > getnsecuptime()) {
			cv_timedwait_ns(&callout_cv, &callout_lock, c->c_when);
			continue;
		}
		TAILQ_REMOVE(&callout_queue, c, c_link);
		c->c_flags = (c->c_flags & ~CALLOUT_PENDING) |
		    CALLOUT_FIRED | CALLOUT_INVOKING;
		func = c->c_func;
		carg = c->c_arg;
		callout_running = c;
		mutex_exit(&callout_lock);
		(*func)(carg);
		mutex_enter(&callout_lock);
		/* The function may have rescheduled c; keep that. */
		c->c_flags &= ~CALLOUT_INVOKING;
		callout_running = NULL;
		cv_broadcast(&callout_done_cv);
	}
	mutex_exit(&callout_lock);
	kthread_exit(0);
}

void
callout_init(callout_t *c, u_int flags __unused)
{

	memset(c, 0, sizeof(*c));
}

void
callout_destroy(callout_t *c)
{

	KASSERTMSG((c->c_flags & (CALLOUT_PENDING | CALLOUT_INVOKING)) == 0,
	    "callout_destroy: callout %p still pending or running", c);
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{

	mutex_enter(&callout_lock);
	c->c_func = func;
	c->c_arg = arg;
	mutex_exit(&callout_lock);
}

static void
callout_enqueue(callout_t *c, int ticks)
{
	callout_t *it;
	int error;

	KASSERT(mutex_owned(&callout_lock));
	KASSERT(c->c_func != NULL);
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&callout_queue, c, c_link);
	c->c_when = getnsecuptime() + ticks2ns(ticks > 0 ? ticks : 0);
	c->c_seq = ++callout_seq;
	c->c_flags = (c->c_flags & ~CALLOUT_FIRED) | CALLOUT_PENDING;

	/* After every callout due no later than c: ties keep their order. */
	TAILQ_FOREACH(it, &callout_queue, c_link)
		if (it->c_when > c->c_when)
			break;
	if (it != NULL)
		TAILQ_INSERT_BEFORE(it, c, c_link);
	else
		TAILQ_INSERT_TAIL(&callout_queue, c, c_link);

	if (TAILQ_FIRST(&callout_queue) == c)
		cv_signal(&callout_cv);
	if (callout_lwp == NULL && !callout_exiting) {
		error = kthread_create(KTHREAD_MUSTJOIN, callout_thread, NULL,
		    &callout_lwp, "callout");
		if (error) {
			/* Left pending: the next callout_reset tries again. */
			printf("callout: cannot start thread: error %d\n",
			    error);
			callout_lwp = NULL;
		}
	}
}

void
callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg)
{

	mutex_enter(&callout_lock);
	c->c_func = func;
	c->c_arg = arg;
	callout_enqueue(c, ticks);
	mutex_exit(&callout_lock);
}

void
callout_schedule(callout_t *c, int ticks)
{

	mutex_enter(&callout_lock);
	callout_enqueue(c, ticks);
	mutex_exit(&callout_lock);
}

static bool
callout_stop_locked(callout_t *c)
{
	bool pending = (c->c_flags & CALLOUT_PENDING) != 0;

	KASSERT(mutex_owned(&callout_lock));
	if (pending) {
		TAILQ_REMOVE(&callout_queue, c, c_link);
		c->c_flags &= ~CALLOUT_PENDING;
	}
	return pending;
}

bool
callout_stop(callout_t *c)
{
	bool pending;

	mutex_enter(&callout_lock);
	pending = callout_stop_locked(c);
	mutex_exit(&callout_lock);
	return pending;
}

bool
callout_halt(callout_t *c, kmutex_t *interlock)
{
	bool busy;

	KASSERT(curlwp != callout_lwp);
	if (interlock != NULL)
		mutex_exit(interlock);
	mutex_enter(&callout_lock);
	busy = callout_stop_locked(c);
	while (callout_running == c) {
		busy = true;
		cv_wait(&callout_done_cv, &callout_lock);
	}
	mutex_exit(&callout_lock);
	if (interlock != NULL)
		mutex_enter(interlock);
	return busy;
}

bool
callout_pending(callout_t *c)
{

	return (c->c_flags & CALLOUT_PENDING) != 0;
}

bool
callout_expired(callout_t *c)
{

	return (c->c_flags & CALLOUT_FIRED) != 0;
}

/* Stop the thread; pending callouts stay queued and never fire. */
void
callout_shutdown(void)
{
	struct lwp *l;

	mutex_enter(&callout_lock);
	callout_exiting = true;
	cv_broadcast(&callout_cv);
	l = callout_lwp;
	callout_lwp = NULL;
	mutex_exit(&callout_lock);
	if (l != NULL)
		kthread_join(l);
}
