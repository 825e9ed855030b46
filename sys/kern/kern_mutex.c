/*
 * kern_mutex.c: kernel mutexes on hypercall mutexes (see <sys/mutex.h>).
 * A default mutex uses the hypercall that gives the CPU back while it
 * blocks; a spin mutex keeps it.  The owner field is written only by
 * the holder and serves mutex_owned().
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <rumpuser.h>

void
mutex_init_class(kmutex_t *mtx, int type, int ipl, const char *cls)
{

	mtx->mtx_spin = type == MUTEX_SPIN || ipl > IPL_NONE;
	mtx->mtx_owner = NULL;
	mtx->mtx_class = cls;
	if (rumpuser_mutex_init(&mtx->mtx_hyp,
	    mtx->mtx_spin ? RUMPUSER_MTX_SPIN : 0) != 0)
		panic("mutex_init: no host memory");
}

void
mutex_destroy(kmutex_t *mtx)
{

	KASSERTMSG(mtx->mtx_owner == NULL, "mutex_destroy: %p held", mtx);
	rumpuser_mutex_destroy(mtx->mtx_hyp);
}

void
mutex_enter(kmutex_t *mtx)
{
	struct lwp *l = curlwp;

	if (LOCKDEBUG_ENABLED && mtx->mtx_owner == l)
		panic("mutex_enter: locking against myself: %p (%s)",
		    mtx, mtx->mtx_class);
	if (mtx->mtx_spin)
		rumpuser_mutex_enter_nowrap(mtx->mtx_hyp);
	else
		rumpuser_mutex_enter(mtx->mtx_hyp);
	mtx->mtx_owner = l;
	lockdebug_acquire(mtx->mtx_class);
}

int
mutex_tryenter(kmutex_t *mtx)
{

	if (rumpuser_mutex_tryenter(mtx->mtx_hyp) != 0)
		return 0;
	mtx->mtx_owner = curlwp;
	lockdebug_acquire(mtx->mtx_class);
	return 1;
}

void
mutex_exit(kmutex_t *mtx)
{

	if (LOCKDEBUG_ENABLED && mtx->mtx_owner != curlwp)
		panic("mutex_exit: %p (%s) not held by the caller",
		    mtx, mtx->mtx_class);
	lockdebug_release(mtx->mtx_class);
	mtx->mtx_owner = NULL;
	rumpuser_mutex_exit(mtx->mtx_hyp);
}

bool
mutex_owned(const kmutex_t *mtx)
{

	return mtx->mtx_owner != NULL && mtx->mtx_owner == curlwp;
}
