/*
 * kern_kthread.c: kernel threads.  Each is an LWP of proc0 running on a
 * host thread of its own, holding a CPU while it runs kernel code.  A
 * thread created with KTHREAD_MUSTJOIN keeps its LWP after it exits
 * until kthread_join() collects it.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <rumpuser.h>

struct kthread_start {
	void		(*ks_func)(void *);
	void		*ks_arg;
	struct lwp	*ks_lwp;
};

static void *
kthread_trampoline(void *arg)
{
	struct kthread_start ks = *(struct kthread_start *)arg;

	rumpuser_curlwp_set(ks.ks_lwp, 0);
	vcpu_schedule(ks.ks_lwp);
	kmem_free(arg, sizeof(ks));
	ks.ks_func(ks.ks_arg);
	kthread_exit(0);
}

int
kthread_create(int flags, void (*func)(void *), void *arg, struct lwp **lp,
    const char *name)
{
	struct kthread_start *ks;
	struct lwp *l;
	void *cookie = NULL;
	int error;

	if ((ks = kmem_alloc(sizeof(*ks), KM_SLEEP)) == NULL)
		return ENOMEM;
	error = lwp_create(&proc0, LW_SYSTEM |
	    ((flags & KTHREAD_MUSTJOIN) ? LW_MUSTJOIN : 0), name, &l);
	if (error) {
		kmem_free(ks, sizeof(*ks));
		return error;
	}
	ks->ks_func = func;
	ks->ks_arg = arg;
	ks->ks_lwp = l;
	/* A detached thread may be gone, LWP and all, before
	 * rumpuser_thread_create returns: touch l only if joinable. */
	if (lp != NULL)
		*lp = (flags & KTHREAD_MUSTJOIN) ? l : NULL;
	error = rumpuser_thread_create(kthread_trampoline, ks, name,
	    (flags & KTHREAD_MUSTJOIN) != 0, &cookie);
	if (error) {
		kmem_free(ks, sizeof(*ks));
		lwp_free(l);
		if (lp != NULL)
			*lp = NULL;
		return error;
	}
	if (flags & KTHREAD_MUSTJOIN)
		l->l_hypcookie = cookie;
	return 0;
}

void
kthread_exit(int ecode __unused)
{
	struct lwp *l = curlwp;
	struct cpu_info *ci;

	KASSERT(l->l_flags & LW_SYSTEM);
	if (l->l_flags & LW_MUSTJOIN) {
		vcpu_unschedule(l);	/* the joiner frees the LWP */
	} else {
		lwp_detach(l);		/* may sleep: CPU may change */
		ci = l->l_cpu;
		rumpuser_curlwp_set(NULL, 0);
		kmem_free(l, sizeof(*l));
		vcpu_release(ci);
	}
	rumpuser_curlwp_set(NULL, 0);
	rumpuser_thread_exit();
}

int
kthread_join(struct lwp *l)
{
	int error;

	KASSERT(l->l_flags & LW_MUSTJOIN);
	error = rumpuser_thread_join(l->l_hypcookie);
	if (error == 0)
		lwp_free(l);
	return error;
}
