/*
 * kern_sched.c: virtual CPUs.
 *
 * A host thread runs kernel code only while it holds a virtual CPU, so
 * at most ncpu threads are in the kernel at once (rule 7).  Taking a CPU
 * is one compare-and-swap on the CPU the LWP last used (or, failing
 * that, on any idle one): the system-call fast path takes no lock.  Only
 * when every CPU is busy does a thread sleep, on sched_cv; a thread
 * giving a CPU back wakes a sleeper only if sched_waiters says there is
 * one.
 *
 * The lost-wakeup argument: a sleeper increments sched_waiters and then
 * retries the CAS, all under sched_lock; a releaser clears ci_curlwp and
 * then reads sched_waiters (both sequentially consistent).  Either the
 * sleeper's retry sees the free CPU, or the releaser sees the waiter
 * and signals under sched_lock, which the sleeper holds until it waits.
 *
 * Locking: ci_curlwp atomic; sched_lock (host mutex) over sleeping.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <rumpuser.h>

u_int ncpu;
struct cpu_info *cpu_infos;

static struct rumpuser_mtx *sched_lock;
static struct rumpuser_cv *sched_cv;
static u_int sched_waiters;		/* atomic */

void
sched_init(void)
{
	char buf[16];
	uint64_t n = 0;
	void *mem;
	u_int i;

	if (rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf, sizeof(buf)) != 0 ||
	    strtou64(buf, NULL, 10, &n) != 0 || n == 0)
		n = 1;
	if (n > MAXCPUS) {
		printf("sched: RUMP_NCPU %llu too large, using %d\n",
		    (unsigned long long)n, MAXCPUS);
		n = MAXCPUS;
	}
	ncpu = (u_int)n;
	if (rumpuser_malloc(ncpu * sizeof(struct cpu_info),
	    __CACHE_LINE_SIZE, &mem) != 0)
		panic("sched_init: no memory for %u CPUs", ncpu);
	cpu_infos = mem;
	memset(cpu_infos, 0, ncpu * sizeof(struct cpu_info));
	for (i = 0; i < ncpu; i++)
		cpu_infos[i].ci_index = i;
	if (rumpuser_mutex_init(&sched_lock, RUMPUSER_MTX_SPIN) != 0 ||
	    rumpuser_cv_init(&sched_cv) != 0)
		panic("sched_init: no memory for locks");
}

void
sched_fini(void)
{

	rumpuser_cv_destroy(sched_cv);
	rumpuser_mutex_destroy(sched_lock);
	rumpuser_free(cpu_infos, ncpu * sizeof(struct cpu_info));
	cpu_infos = NULL;
}

static struct cpu_info *
vcpu_tryget(struct lwp *l)
{
	struct cpu_info *ci;
	u_int i, start;

	/* The CPU this LWP used last is the likeliest to be warm. */
	ci = l->l_cpu;
	if (ci != NULL && atomic_load_relaxed(&ci->ci_curlwp) == NULL &&
	    atomic_cas(&ci->ci_curlwp, NULL, l))
		return ci;
	start = (u_int)l->l_lid;
	for (i = 0; i < ncpu; i++) {
		ci = &cpu_infos[(start + i) % ncpu];
		if (atomic_load_relaxed(&ci->ci_curlwp) == NULL &&
		    atomic_cas(&ci->ci_curlwp, NULL, l))
			return ci;
	}
	return NULL;
}

void
vcpu_schedule(struct lwp *l)
{
	struct cpu_info *ci;

	KASSERT((l->l_flags & LW_ONCPU) == 0);
	if (__predict_false((ci = vcpu_tryget(l)) == NULL)) {
		rumpuser_mutex_enter_nowrap(sched_lock);
		atomic_inc_nv(&sched_waiters);
		while ((ci = vcpu_tryget(l)) == NULL)
			rumpuser_cv_wait_nowrap(sched_cv, sched_lock);
		atomic_dec_nv(&sched_waiters);
		rumpuser_mutex_exit(sched_lock);
	}
	l->l_cpu = ci;
	l->l_flags |= LW_ONCPU;
	ci->ci_nsched++;
}

/* Give ci back; the caller's LWP may already be gone. */
void
vcpu_release(struct cpu_info *ci)
{

	atomic_store_seq(&ci->ci_curlwp, NULL);
	if (__predict_false(atomic_load_seq(&sched_waiters) != 0)) {
		rumpuser_mutex_enter_nowrap(sched_lock);
		rumpuser_cv_signal(sched_cv);
		rumpuser_mutex_exit(sched_lock);
	}
}

void
vcpu_unschedule(struct lwp *l)
{

	KASSERT(l->l_flags & LW_ONCPU);
	KASSERT(l->l_cpu->ci_curlwp == l);
	l->l_flags &= ~LW_ONCPU;
	vcpu_release(l->l_cpu);
}

/* Hand the CPU the calling thread holds from one LWP to another. */
void
vcpu_handoff(struct lwp *from, struct lwp *to)
{
	struct cpu_info *ci = from->l_cpu;

	KASSERT(from->l_flags & LW_ONCPU);
	KASSERT((to->l_flags & LW_ONCPU) == 0);
	from->l_flags &= ~LW_ONCPU;
	to->l_cpu = ci;
	to->l_flags |= LW_ONCPU;
	atomic_store_seq(&ci->ci_curlwp, to);
}
