/*
 * ktest_kern.c: kernel-side halves of the kernel-core tests
 * (tests/kern/t_*.c): locks under contention, condition variables,
 * callouts, kmem, virtual CPUs, kernel threads, panics, and four
 * components in mixed factions that log their attach and detach.
 * Prototypes and conventions: tests/ktest.h.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/component.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/time.h>
#include <rump/rump.h>

int	rump_ktest_mutex(int, int, char *, size_t);
int	rump_ktest_rwlock(int, int, char *, size_t);
int	rump_ktest_lockops(char *, size_t);
int	rump_ktest_cv_timeout(char *, size_t);
int	rump_ktest_cv_signal(char *, size_t);
int	rump_ktest_callout_order(char *, size_t);
int	rump_ktest_callout_stop(char *, size_t);
int	rump_ktest_kmem_workload(unsigned int, int, char *, size_t);
long	rump_ktest_kmem_exhaust(size_t);
void	rump_ktest_vcpu_enter(int *, int *, int, long);
int	rump_ktest_kthread(char *, size_t);
void	rump_ktest_panic(void) __dead;
void	rump_ktest_lock_reversal(void);
void	rump_ktest_lock_recurse(void);
extern char rump_ktest_complog[256];

#define FAIL(...) do {							\
	if (fails++ == 0)						\
		snprintf(why, whylen, __VA_ARGS__);			\
} while (0)

/* ---- run a function on n kernel threads and wait for them ---- */

#define KT_MAXTHREADS	64

static int
kt_run(int n, void (*fn)(void *), void *arg)
{
	struct lwp *l[KT_MAXTHREADS];
	int i, error = 0;

	KASSERT(n <= KT_MAXTHREADS);
	for (i = 0; i < n; i++) {
		error = kthread_create(KTHREAD_MUSTJOIN, fn, arg, &l[i], "kt");
		if (error)
			break;
	}
	while (i-- > 0)
		kthread_join(l[i]);
	return error;
}

/* A little work inside a critical section, so that others pile up. */
static void
kt_delay(int n)
{
	volatile int x = 0;

	while (n-- > 0)
		x++;
}

/* ---- mutex ---- */

struct kt_mutex {
	kmutex_t	m;
	long		counter;	/* m */
	int		inside;		/* m: must be 0 on entry */
	int		violations;	/* atomic */
	int		iters;
};

static void
kt_mutex_worker(void *arg)
{
	struct kt_mutex *km = arg;
	long v;
	int i;

	for (i = 0; i < km->iters; i++) {
		mutex_enter(&km->m);
		if (km->inside++ != 0 || !mutex_owned(&km->m))
			atomic_inc_nv(&km->violations);
		v = km->counter;
		kt_delay(i % 7 == 0 ? 200 : 10);
		km->counter = v + 1;
		km->inside--;
		mutex_exit(&km->m);
	}
}

int
rump_ktest_mutex(int nthreads, int iters, char *why, size_t whylen)
{
	struct kt_mutex km;
	int fails = 0, error;

	rump_schedule();
	memset(&km, 0, sizeof(km));
	mutex_init(&km.m, MUTEX_DEFAULT, IPL_NONE);
	km.iters = iters;
	if ((error = kt_run(nthreads, kt_mutex_worker, &km)) != 0)
		FAIL("kthread_create: error %d", error);
	else if (km.counter != (long)nthreads * iters)
		FAIL("counter %ld, want %ld", km.counter,
		    (long)nthreads * iters);
	if (km.violations)
		FAIL("%d threads were inside the mutex at once",
		    km.violations);
	mutex_destroy(&km.m);
	rump_unschedule();
	return fails;
}

/* ---- rwlock ---- */

struct kt_rw {
	krwlock_t	rw;
	int		readers;	/* atomic */
	int		writers;	/* atomic */
	int		violations;	/* atomic */
	long		wcount;		/* rw (writer) */
	int		iters;
	int		seq;		/* atomic: hands out roles */
};

static void
kt_rw_worker(void *arg)
{
	struct kt_rw *kr = arg;
	int i, me = atomic_inc_nv(&kr->seq);

	for (i = 0; i < kr->iters; i++) {
		if ((i + me) % 4 == 0) {
			rw_enter(&kr->rw, RW_WRITER);
			if (atomic_inc_nv(&kr->writers) != 1 ||
			    atomic_load_seq(&kr->readers) != 0 ||
			    !rw_write_held(&kr->rw))
				atomic_inc_nv(&kr->violations);
			kt_delay(50);
			kr->wcount++;
			atomic_dec_nv(&kr->writers);
			rw_exit(&kr->rw);
		} else {
			rw_enter(&kr->rw, RW_READER);
			atomic_inc_nv(&kr->readers);
			if (atomic_load_seq(&kr->writers) != 0 ||
			    !rw_read_held(&kr->rw))
				atomic_inc_nv(&kr->violations);
			kt_delay(50);
			atomic_dec_nv(&kr->readers);
			rw_exit(&kr->rw);
		}
	}
}

int
rump_ktest_rwlock(int nthreads, int iters, char *why, size_t whylen)
{
	struct kt_rw kr;
	long want = 0;
	int fails = 0, error, t, i;

	rump_schedule();
	memset(&kr, 0, sizeof(kr));
	rw_init(&kr.rw);
	kr.iters = iters;
	for (t = 1; t <= nthreads; t++)
		for (i = 0; i < iters; i++)
			if ((i + t) % 4 == 0)
				want++;
	if ((error = kt_run(nthreads, kt_rw_worker, &kr)) != 0)
		FAIL("kthread_create: error %d", error);
	else if (kr.wcount != want)
		FAIL("writer count %ld, want %ld", kr.wcount, want);
	if (kr.violations)
		FAIL("%d exclusion violations", kr.violations);
	rw_destroy(&kr.rw);
	rump_unschedule();
	return fails;
}

/* ---- single-threaded lock operations ---- */

struct kt_try {
	kmutex_t	*m;
	krwlock_t	*rw;
	int		mutex_got;
	int		rw_got;
};

static void
kt_try_worker(void *arg)
{
	struct kt_try *kt = arg;

	kt->mutex_got = mutex_tryenter(kt->m);
	if (kt->mutex_got)
		mutex_exit(kt->m);
	kt->rw_got = rw_tryenter(kt->rw, RW_READER);
	if (kt->rw_got)
		rw_exit(kt->rw);
}

int
rump_ktest_lockops(char *why, size_t whylen)
{
	kmutex_t m;
	krwlock_t rw;
	struct kt_try kt = { &m, &rw, -1, -1 };
	int fails = 0;

	rump_schedule();
	mutex_init(&m, MUTEX_DEFAULT, IPL_NONE);
	rw_init(&rw);
	if (mutex_owned(&m))
		FAIL("fresh mutex owned");
	if (!mutex_tryenter(&m) || !mutex_owned(&m))
		FAIL("mutex_tryenter on a free mutex failed");
	/* Another thread must fail both try-enters while we hold them. */
	rw_enter(&rw, RW_WRITER);
	kt_run(1, kt_try_worker, &kt);
	if (kt.mutex_got != 0)
		FAIL("mutex_tryenter succeeded on a held mutex");
	if (kt.rw_got != 0)
		FAIL("rw_tryenter(READER) succeeded against a writer");
	mutex_exit(&m);
	if (mutex_owned(&m))
		FAIL("mutex owned after exit");

	rw_downgrade(&rw);
	if (rw_write_held(&rw) || !rw_read_held(&rw))
		FAIL("rw_downgrade did not leave a read hold");
	if (!rw_tryupgrade(&rw) || !rw_write_held(&rw))
		FAIL("rw_tryupgrade of the only reader failed");
	rw_exit(&rw);
	if (rw_lock_held(&rw))
		FAIL("rwlock held after exit");
	if (!rw_tryenter(&rw, RW_READER) || !rw_tryenter(&rw, RW_READER))
		FAIL("two readers could not share");
	if (rw_tryupgrade(&rw))
		FAIL("upgraded with two readers");
	if (rw_tryenter(&rw, RW_WRITER))
		FAIL("writer entered with readers in");
	rw_exit(&rw);
	rw_exit(&rw);
	rw_destroy(&rw);
	mutex_destroy(&m);
	rump_unschedule();
	return fails;
}

/* ---- condition variables ---- */

int
rump_ktest_cv_timeout(char *why, size_t whylen)
{
	kmutex_t m;
	kcondvar_t cv;
	int64_t t0, dt;
	int fails = 0, error;

	rump_schedule();
	mutex_init(&m, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, "kt_cv");
	mutex_enter(&m);
	t0 = getnsecuptime();
	error = cv_timedwait(&cv, &m, 5);		/* 50 ms */
	dt = getnsecuptime() - t0;
	if (error != EWOULDBLOCK)
		FAIL("cv_timedwait returned %d, want EWOULDBLOCK", error);
	if (dt < ticks2ns(5))
		FAIL("cv_timedwait returned after %lld ns, before its timeout",
		    (long long)dt);
	if (!mutex_owned(&m))
		FAIL("interlock not held after cv_timedwait");
	error = cv_timedwait_ns(&cv, &m, getnsecuptime() - 1);
	if (error != EWOULDBLOCK)
		FAIL("cv_timedwait_ns in the past returned %d", error);
	mutex_exit(&m);
	cv_destroy(&cv);
	mutex_destroy(&m);
	rump_unschedule();
	return fails;
}

struct kt_sig {
	kmutex_t	m;
	kcondvar_t	cv;
	int		flag;		/* m */
};

static void
kt_sig_worker(void *arg)
{
	struct kt_sig *ks = arg;

	kpause_ns(20 * 1000 * 1000);
	mutex_enter(&ks->m);
	ks->flag = 1;
	cv_broadcast(&ks->cv);
	mutex_exit(&ks->m);
}

int
rump_ktest_cv_signal(char *why, size_t whylen)
{
	struct kt_sig ks;
	struct lwp *l;
	int fails = 0, error = 0;

	rump_schedule();
	mutex_init(&ks.m, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ks.cv, "kt_sig");
	ks.flag = 0;
	if (kthread_create(KTHREAD_MUSTJOIN, kt_sig_worker, &ks, &l, "kt"))
		FAIL("kthread_create failed");
	mutex_enter(&ks.m);
	while (!ks.flag && error == 0)
		error = cv_timedwait(&ks.cv, &ks.m, 10 * hz);
	if (error || !ks.flag)
		FAIL("not woken by cv_broadcast (error %d)", error);
	mutex_exit(&ks.m);
	if (fails == 0)
		kthread_join(l);
	cv_destroy(&ks.cv);
	mutex_destroy(&ks.m);
	rump_unschedule();
	return fails;
}

/* ---- callouts ---- */

#define KT_NCALLOUT	12

struct kt_callouts {
	kmutex_t	m;
	kcondvar_t	cv;
	callout_t	c[KT_NCALLOUT];
	int		log[KT_NCALLOUT * 2];	/* m */
	int		nlog;			/* m */
	int		resched;		/* m */
};

struct kt_callarg {
	struct kt_callouts *kc;
	int		idx;
};

static struct kt_callarg kt_args[KT_NCALLOUT];

static void
kt_callout_fn(void *arg)
{
	struct kt_callarg *ka = arg;
	struct kt_callouts *kc = ka->kc;

	mutex_enter(&kc->m);
	kc->log[kc->nlog++] = ka->idx;
	/* Callout 0 reschedules itself once from inside its function. */
	if (ka->idx == 0 && kc->resched++ == 0)
		callout_schedule(&kc->c[0], 30);
	cv_broadcast(&kc->cv);
	mutex_exit(&kc->m);
}

static int
kt_callout_wait(struct kt_callouts *kc, int n)
{
	int error = 0;

	mutex_enter(&kc->m);
	while (kc->nlog < n && error == 0)
		error = cv_timedwait(&kc->cv, &kc->m, 10 * hz);
	mutex_exit(&kc->m);
	return error;
}

int
rump_ktest_callout_order(char *why, size_t whylen)
{
	/* Deadlines in ticks; equal ones must fire in scheduling order. */
	static const int ticks[KT_NCALLOUT] =
	    { 12, 3, 8, 1, 1, 9, 2, 7, 4, 6, 3, 1 };
	struct kt_callouts *kc;
	int64_t when[KT_NCALLOUT];
	uint64_t seq[KT_NCALLOUT];
	int i, fails = 0;

	rump_schedule();
	if ((kc = kmem_zalloc(sizeof(*kc), KM_SLEEP)) == NULL) {
		FAIL("no memory");
		goto out;
	}
	mutex_init(&kc->m, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&kc->cv, "kt_callout");
	/* Schedule them all within one tick, so order is by deadline. */
	mutex_enter(&kc->m);
	for (i = 0; i < KT_NCALLOUT; i++) {
		kt_args[i].kc = kc;
		kt_args[i].idx = i;
		callout_init(&kc->c[i], 0);
		callout_reset(&kc->c[i], ticks[i], kt_callout_fn, &kt_args[i]);
		when[i] = kc->c[i].c_when;
		seq[i] = kc->c[i].c_seq;
		if (!callout_pending(&kc->c[i]))
			FAIL("callout %d not pending after reset", i);
	}
	mutex_exit(&kc->m);
	if (kt_callout_wait(kc, KT_NCALLOUT + 1) != 0)
		FAIL("only %d of %d callouts fired", kc->nlog,
		    KT_NCALLOUT + 1);
	/* Firing order is deadline order, ties in scheduling order.  (The
	 * deadlines, not the tick counts: on a slow host the resets above
	 * may span several ticks.) */
	for (i = 1; i < kc->nlog && i < KT_NCALLOUT; i++) {
		int a = kc->log[i - 1], b = kc->log[i];

		if (when[a] > when[b] || (when[a] == when[b] && seq[a] > seq[b]))
			FAIL("callout %d (due %lld) fired after %d (due %lld)",
			    b, (long long)when[b], a, (long long)when[a]);
	}
	/* The rescheduled callout 0 fires last (12 + 30 ticks). */
	if (kc->nlog == KT_NCALLOUT + 1 && kc->log[KT_NCALLOUT] != 0)
		FAIL("rescheduled callout did not fire last");
	for (i = 0; i < KT_NCALLOUT; i++) {
		if (!callout_expired(&kc->c[i]))
			FAIL("callout %d not marked expired", i);
		callout_halt(&kc->c[i], NULL);
		callout_destroy(&kc->c[i]);
	}
	cv_destroy(&kc->cv);
	mutex_destroy(&kc->m);
	kmem_free(kc, sizeof(*kc));
 out:
	rump_unschedule();
	return fails;
}

struct kt_slow {
	kmutex_t	m;
	int		running;	/* m */
	int		done;		/* m */
};

static void
kt_slow_fn(void *arg)
{
	struct kt_slow *ks = arg;

	mutex_enter(&ks->m);
	ks->running = 1;
	mutex_exit(&ks->m);
	kpause_ns(50 * 1000 * 1000);
	mutex_enter(&ks->m);
	ks->done = 1;
	mutex_exit(&ks->m);
}

static void
kt_never_fn(void *arg)
{

	*(int *)arg = 1;
}

int
rump_ktest_callout_stop(char *why, size_t whylen)
{
	callout_t c, slow;
	struct kt_slow ks;
	int fired = 0, fails = 0, running = 0;

	rump_schedule();
	/* A stopped callout never fires. */
	callout_init(&c, 0);
	callout_reset(&c, 2, kt_never_fn, &fired);
	if (!callout_stop(&c))
		FAIL("callout_stop: was not pending");
	if (callout_stop(&c))
		FAIL("callout_stop twice: still pending");
	kpause_ns(60 * 1000 * 1000);
	if (fired)
		FAIL("stopped callout fired");
	callout_destroy(&c);

	/* callout_halt waits for a running function to finish. */
	mutex_init(&ks.m, MUTEX_DEFAULT, IPL_NONE);
	ks.running = ks.done = 0;
	callout_init(&slow, 0);
	callout_reset(&slow, 0, kt_slow_fn, &ks);
	while (!running) {
		kpause_ns(1000 * 1000);
		mutex_enter(&ks.m);
		running = ks.running;
		mutex_exit(&ks.m);
	}
	if (!callout_halt(&slow, NULL))
		FAIL("callout_halt: did not see the callout running");
	mutex_enter(&ks.m);
	if (!ks.done)
		FAIL("callout_halt returned before the function finished");
	mutex_exit(&ks.m);
	callout_destroy(&slow);
	mutex_destroy(&ks.m);
	rump_unschedule();
	return fails;
}

/* ---- kmem ---- */

static uint32_t
kt_rand(uint32_t *s)
{

	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define KT_NSLOTS	512

int
rump_ktest_kmem_workload(unsigned int seed, int nops, char *why,
    size_t whylen)
{
	static void *ptr[KT_NSLOTS];
	static size_t sz[KT_NSLOTS];
	uint32_t s = seed | 1;
	int i, k, fails = 0;
	size_t j;

	rump_schedule();
	for (i = 0; i < nops; i++) {
		k = kt_rand(&s) % KT_NSLOTS;
		if (ptr[k] != NULL) {
			/* The pattern written at allocation is intact. */
			for (j = 0; j < sz[k]; j += 61)
				if (((unsigned char *)ptr[k])[j] !=
				    (unsigned char)(k + j))
					FAIL("slot %d corrupted", k);
			kmem_free(ptr[k], sz[k]);
			ptr[k] = NULL;
			continue;
		}
		sz[k] = kt_rand(&s) % 3 == 0 ? 1 + kt_rand(&s) % 20000 :
		    1 + kt_rand(&s) % 600;
		if ((ptr[k] = kmem_alloc(sz[k], KM_SLEEP)) == NULL) {
			FAIL("kmem_alloc(%zu) failed", sz[k]);
			continue;
		}
		if (((uintptr_t)ptr[k] & 15) != 0)
			FAIL("kmem_alloc(%zu) = %p: misaligned", sz[k], ptr[k]);
		for (j = 0; j < sz[k]; j += 61)
			((unsigned char *)ptr[k])[j] = (unsigned char)(k + j);
	}
	for (k = 0; k < KT_NSLOTS; k++) {
		if (ptr[k] != NULL)
			kmem_free(ptr[k], sz[k]);
		ptr[k] = NULL;
	}
	rump_unschedule();
	return fails;
}

struct kt_chunk {
	struct kt_chunk	*next;
};

long
rump_ktest_kmem_exhaust(size_t size)
{
	struct kt_chunk *head = NULL, *c;
	long n = 0;

	rump_schedule();
	while ((c = kmem_alloc(size, KM_SLEEP)) != NULL) {
		c->next = head;
		head = c;
		n++;
	}
	while ((c = head) != NULL) {
		head = c->next;
		kmem_free(c, size);
	}
	/* Freed memory is usable again. */
	if ((c = kmem_alloc(size, KM_SLEEP)) == NULL)
		n = -1;
	else
		kmem_free(c, size);
	rump_unschedule();
	return n;
}

/* ---- virtual CPUs ---- */

static int kt_inside;		/* atomic */

void
rump_ktest_vcpu_enter(int *maxp, int *overp, int want, long spinms)
{
	int64_t until;
	int n, m;

	rump_schedule();
	n = atomic_inc_nv(&kt_inside);
	if (n > (int)ncpu)
		atomic_inc_nv(overp);
	while ((m = atomic_load_seq(maxp)) < n && !atomic_cas(maxp, m, n))
		;
	/* Stay until every CPU was seen busy at once, or time runs out. */
	until = getnsecuptime() + spinms * 1000 * 1000;
	while (atomic_load_seq(maxp) < want && getnsecuptime() < until)
		kt_delay(100);
	/* And a little longer, so that late arrivals overlap too. */
	until = getnsecuptime() + 2 * 1000 * 1000;
	while (getnsecuptime() < until)
		kt_delay(100);
	atomic_dec_nv(&kt_inside);
	rump_unschedule();
}

/* ---- kernel threads ---- */

static void
kt_kthread_fn(void *arg)
{

	*(lwpid_t *)arg = curlwp->l_proc->p_pid == 0 ? 1 : -1;
}

static void
kt_detached_fn(void *arg)
{

	atomic_inc_nv((int *)arg);
}

int
rump_ktest_kthread(char *why, size_t whylen)
{
	struct lwp *l;
	lwpid_t v = 0;
	int fails = 0, n = 0, i, error;
	int64_t until;

	rump_schedule();
	if ((error = kthread_create(KTHREAD_MUSTJOIN, kt_kthread_fn, &v, &l,
	    "kt")) != 0)
		FAIL("kthread_create: %d", error);
	else if ((error = kthread_join(l)) != 0)
		FAIL("kthread_join: %d", error);
	else if (v != 1)
		FAIL("kernel thread did not run in proc0");
	for (i = 0; i < 8; i++)
		if (kthread_create(0, kt_detached_fn, &n, NULL, "kt") != 0)
			FAIL("kthread_create (detached) failed");
	until = getnsecuptime() + 5 * NSEC_PER_SEC;
	while (atomic_load_seq(&n) < 8 && getnsecuptime() < until)
		kpause_ns(1000 * 1000);
	if (atomic_load_seq(&n) != 8)
		FAIL("%d of 8 detached threads ran", n);
	rump_unschedule();
	return fails;
}

/* ---- deliberate failures, run in child processes ---- */

void
rump_ktest_panic(void)
{

	rump_schedule();
	panic("ktest: deliberate panic %d", 42);
}

void
rump_ktest_lock_reversal(void)
{
	kmutex_t a, b;

	rump_schedule();
	mutex_init(&a, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&b, MUTEX_DEFAULT, IPL_NONE);
	mutex_enter(&a);
	mutex_enter(&b);
	mutex_exit(&b);
	mutex_exit(&a);
	mutex_enter(&b);
	mutex_enter(&a);	/* LOCKDEBUG: panic here */
	mutex_exit(&a);
	mutex_exit(&b);
	rump_unschedule();
}

void
rump_ktest_lock_recurse(void)
{
	kmutex_t a;

	rump_schedule();
	mutex_init(&a, MUTEX_DEFAULT, IPL_NONE);
	mutex_enter(&a);
	mutex_enter(&a);	/* LOCKDEBUG: panic; otherwise a deadlock */
}

/* ---- components: attach and detach order ---- */

char rump_ktest_complog[256];

static void
kt_log(const char *s)
{

	strlcat(rump_ktest_complog, s, sizeof(rump_ktest_complog));
}

#define KT_COMPONENT(faction, name)					\
static int kt_init_##name(void) { kt_log(" +" #name); return 0; }	\
static void kt_detach_##name(void) { kt_log(" -" #name); }		\
RUMP_COMPONENT(faction, ktest_##name, kt_init_##name, kt_detach_##name)

/* Declared out of order on purpose. */
KT_COMPONENT(RUMP_FACTION_NET, net);
KT_COMPONENT(RUMP_FACTION_VFS, vfs);
KT_COMPONENT(RUMP_FACTION_KERN, kern);
KT_COMPONENT(RUMP_FACTION_DEV, dev);
