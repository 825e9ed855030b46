/*
 * rumpuser_pth.c: threads, the current-LWP pointer, and the mutexes,
 * reader-writer locks and condition variables the kernel's own locks
 * are built on, over POSIX threads.
 *
 * The blocking forms give the virtual CPU back (WRAP) only when they
 * must really wait: a mutex is tried first, so an uncontended enter
 * costs one atomic instruction and no scheduler traffic.  After a
 * condition wait the thread drops the host mutex before it takes a CPU
 * again, so it never waits for a CPU holding a lock a CPU holder needs.
 *
 * The rwlock is built here from a mutex and two condition variables,
 * because the kernel needs upgrade and downgrade, which POSIX rwlocks
 * lack.  Writers are preferred: once one waits, new readers wait too.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rumpuser_int.h"

/* ---- threads ---- */

static __thread void *curlwp_tls __attribute__((tls_model("initial-exec")));
static pthread_key_t lwpexit_key;

static void
lwpexit_dtor(void *l)
{

	HYP()->hyp_lwpexit(l);
}

int
rumpuser__thread_init(void)
{

	return pthread_key_create(&lwpexit_key, lwpexit_dtor);
}

int
rumpuser_thread_create(void *(*fn)(void *), void *arg, const char *name,
    int joinable, void **cookiep)
{
	pthread_attr_t attr;
	pthread_t *pt;
	char pname[16];
	int error;

	if ((pt = malloc(sizeof(*pt))) == NULL)
		return rumpuser__errtrans(ENOMEM);
	pthread_attr_init(&attr);
	if (!joinable)
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = pthread_create(pt, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	if (error) {
		free(pt);
		return rumpuser__errtrans(error);
	}
	if (name != NULL) {
		strncpy(pname, name, sizeof(pname) - 1);
		pname[sizeof(pname) - 1] = '\0';
		pthread_setname_np(*pt, pname);
	}
	if (joinable)
		*cookiep = pt;
	else
		free(pt);
	return 0;
}

void
rumpuser_thread_exit(void)
{

	pthread_exit(NULL);
}

int
rumpuser_thread_join(void *cookie)
{
	pthread_t *pt = cookie;
	int error;

	WRAP(error = pthread_join(*pt, NULL));
	if (error == 0)
		free(pt);
	return rumpuser__errtrans(error);
}

void *
rumpuser_curlwp(void)
{

	return curlwp_tls;
}

void
rumpuser_curlwp_set(void *l, int flags)
{
	void *want = (flags & RUMPUSER_LWP_IMPLICIT) ? l : NULL;

	curlwp_tls = l;
	if (pthread_getspecific(lwpexit_key) != want)
		pthread_setspecific(lwpexit_key, want);
}

/* ---- mutexes ---- */

struct rumpuser_mtx {
	pthread_mutex_t	m_pm;
};

int
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	pthread_mutexattr_t attr;
	struct rumpuser_mtx *mtx;
	int error;

	if ((mtx = malloc(sizeof(*mtx))) == NULL)
		return rumpuser__errtrans(ENOMEM);
	pthread_mutexattr_init(&attr);
	if (flags & RUMPUSER_MTX_SPIN)
		pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
	error = pthread_mutex_init(&mtx->m_pm, &attr);
	pthread_mutexattr_destroy(&attr);
	if (error) {
		free(mtx);
		return rumpuser__errtrans(error);
	}
	*mtxp = mtx;
	return 0;
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{

	if (pthread_mutex_trylock(&mtx->m_pm) == 0)
		return;
	WRAP(pthread_mutex_lock(&mtx->m_pm));
}

void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{

	pthread_mutex_lock(&mtx->m_pm);
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{

	return rumpuser__errtrans(pthread_mutex_trylock(&mtx->m_pm));
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{

	pthread_mutex_unlock(&mtx->m_pm);
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{

	pthread_mutex_destroy(&mtx->m_pm);
	free(mtx);
}

/* ---- reader-writer locks ---- */

struct rumpuser_rw {
	pthread_mutex_t	rw_pm;
	pthread_cond_t	rw_rcv;		/* readers wait */
	pthread_cond_t	rw_wcv;		/* writers wait */
	int		rw_readers;
	int		rw_writer;
	int		rw_wwait;	/* writers waiting */
};

int
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;

	if ((rw = calloc(1, sizeof(*rw))) == NULL)
		return rumpuser__errtrans(ENOMEM);
	pthread_mutex_init(&rw->rw_pm, NULL);
	pthread_cond_init(&rw->rw_rcv, NULL);
	pthread_cond_init(&rw->rw_wcv, NULL);
	*rwp = rw;
	return 0;
}

static int
rw_try(struct rumpuser_rw *rw, int op)
{

	if (op == RUMPUSER_RW_WRITER) {
		if (rw->rw_writer || rw->rw_readers)
			return EBUSY;
		rw->rw_writer = 1;
	} else {
		if (rw->rw_writer || rw->rw_wwait)
			return EBUSY;
		rw->rw_readers++;
	}
	return 0;
}

static void
rw_wait(struct rumpuser_rw *rw, int op)
{

	if (op == RUMPUSER_RW_WRITER) {
		rw->rw_wwait++;
		while (rw->rw_writer || rw->rw_readers)
			pthread_cond_wait(&rw->rw_wcv, &rw->rw_pm);
		rw->rw_wwait--;
		rw->rw_writer = 1;
	} else {
		while (rw->rw_writer || rw->rw_wwait)
			pthread_cond_wait(&rw->rw_rcv, &rw->rw_pm);
		rw->rw_readers++;
	}
}

void
rumpuser_rw_enter(struct rumpuser_rw *rw, int op)
{

	pthread_mutex_lock(&rw->rw_pm);
	if (rw_try(rw, op) == 0) {
		pthread_mutex_unlock(&rw->rw_pm);
		return;
	}
	pthread_mutex_unlock(&rw->rw_pm);
	WRAP(
		pthread_mutex_lock(&rw->rw_pm);
		rw_wait(rw, op);
		pthread_mutex_unlock(&rw->rw_pm)
	);
}

void
rumpuser_rw_enter_nowrap(struct rumpuser_rw *rw, int op)
{

	pthread_mutex_lock(&rw->rw_pm);
	rw_wait(rw, op);
	pthread_mutex_unlock(&rw->rw_pm);
}

int
rumpuser_rw_tryenter(struct rumpuser_rw *rw, int op)
{
	int error;

	pthread_mutex_lock(&rw->rw_pm);
	error = rw_try(rw, op);
	pthread_mutex_unlock(&rw->rw_pm);
	return rumpuser__errtrans(error);
}

int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	int error = EBUSY;

	pthread_mutex_lock(&rw->rw_pm);
	if (rw->rw_readers == 1 && !rw->rw_writer) {
		rw->rw_readers = 0;
		rw->rw_writer = 1;
		error = 0;
	}
	pthread_mutex_unlock(&rw->rw_pm);
	return rumpuser__errtrans(error);
}

/* Wake whoever may now go: a waiting writer first, else all readers. */
static void
rw_wakeup(struct rumpuser_rw *rw)
{

	if (rw->rw_wwait) {
		if (!rw->rw_writer && rw->rw_readers == 0)
			pthread_cond_signal(&rw->rw_wcv);
	} else if (!rw->rw_writer) {
		pthread_cond_broadcast(&rw->rw_rcv);
	}
}

void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{

	pthread_mutex_lock(&rw->rw_pm);
	rw->rw_writer = 0;
	rw->rw_readers = 1;
	rw_wakeup(rw);
	pthread_mutex_unlock(&rw->rw_pm);
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{

	pthread_mutex_lock(&rw->rw_pm);
	if (rw->rw_writer)
		rw->rw_writer = 0;
	else
		rw->rw_readers--;
	rw_wakeup(rw);
	pthread_mutex_unlock(&rw->rw_pm);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{

	pthread_cond_destroy(&rw->rw_wcv);
	pthread_cond_destroy(&rw->rw_rcv);
	pthread_mutex_destroy(&rw->rw_pm);
	free(rw);
}

/* ---- condition variables ---- */

struct rumpuser_cv {
	pthread_cond_t	cv_pc;
	int		cv_nwaiters;	/* under the interlock */
};

int
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	pthread_condattr_t attr;
	struct rumpuser_cv *cv;

	if ((cv = malloc(sizeof(*cv))) == NULL)
		return rumpuser__errtrans(ENOMEM);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cv->cv_pc, &attr);
	pthread_condattr_destroy(&attr);
	cv->cv_nwaiters = 0;
	*cvp = cv;
	return 0;
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{

	pthread_cond_destroy(&cv->cv_pc);
	free(cv);
}

/* After a wait that gave the CPU back: take a CPU without holding the
 * interlock, then the interlock (which may give the CPU back again). */
static void
cv_reschedule(struct rumpuser_mtx *mtx)
{

	pthread_mutex_unlock(&mtx->m_pm);
	HYP()->hyp_schedule();
	rumpuser_mutex_enter(mtx);
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{

	cv->cv_nwaiters++;
	HYP()->hyp_unschedule();
	pthread_cond_wait(&cv->cv_pc, &mtx->m_pm);
	cv->cv_nwaiters--;
	cv_reschedule(mtx);
}

void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{

	cv->cv_nwaiters++;
	pthread_cond_wait(&cv->cv_pc, &mtx->m_pm);
	cv->cv_nwaiters--;
}

static void
cv_deadline(struct timespec *ts, int64_t sec, int64_t nsec)
{

	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)sec;
	ts->tv_nsec += (long)nsec;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec)
{
	struct timespec ts;
	int error;

	cv_deadline(&ts, sec, nsec);
	cv->cv_nwaiters++;
	HYP()->hyp_unschedule();
	error = pthread_cond_timedwait(&cv->cv_pc, &mtx->m_pm, &ts);
	cv->cv_nwaiters--;
	cv_reschedule(mtx);
	return error == ETIMEDOUT ? rumpuser__errtrans(ETIMEDOUT) : 0;
}

int
rumpuser_cv_timedwait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec)
{
	struct timespec ts;
	int error;

	cv_deadline(&ts, sec, nsec);
	cv->cv_nwaiters++;
	error = pthread_cond_timedwait(&cv->cv_pc, &mtx->m_pm, &ts);
	cv->cv_nwaiters--;
	return error == ETIMEDOUT ? rumpuser__errtrans(ETIMEDOUT) : 0;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{

	pthread_cond_signal(&cv->cv_pc);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{

	pthread_cond_broadcast(&cv->cv_pc);
}

int
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *nwaitersp)
{

	*nwaitersp = cv->cv_nwaiters;
	return 0;
}
