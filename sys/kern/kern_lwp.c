/*
 * kern_lwp.c: LWPs, entering and leaving the kernel, and the lwproc
 * calls that bind host threads to kernel processes.
 *
 * A host thread's LWP lives in the hypervisor's thread-local storage
 * (curlwp).  A thread that enters the kernel with none gets an implicit
 * LWP in proc1; the hypervisor calls lwp_hyp_exit() when that thread
 * exits, and the LWP is freed.  An LWP made with the lwproc calls is
 * explicit: it stays until rump_lwproc_releaselwp(), and may be moved
 * between host threads with rump_lwproc_switch() (one at a time).
 *
 * Locking: p_lock over a process's LWP list; an LWP's own fields are
 * touched only by the thread it is bound to ("o" in <sys/lwp.h>).
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <rump/rump.h>
#include <rumpuser.h>

static int
lwp_alloc(struct proc *p, int flags, const char *name, struct lwp **lp)
{
	struct lwp *l;

	if ((l = kmem_zalloc(sizeof(*l), KM_SLEEP)) == NULL)
		return ENOMEM;
	l->l_proc = p;
	l->l_flags = flags;
	strlcpy(l->l_name, name, sizeof(l->l_name));
	*lp = l;
	return 0;
}

static void
lwp_attach(struct lwp *l)
{
	struct proc *p = l->l_proc;

	mutex_enter(&p->p_lock);
	l->l_lid = ++p->p_nextlid;
	LIST_INSERT_HEAD(&p->p_lwps, l, l_sibling);
	p->p_nlwps++;
	mutex_exit(&p->p_lock);
}

int
lwp_create(struct proc *p, int flags, const char *name, struct lwp **lp)
{
	int error;

	if ((error = lwp_alloc(p, flags, name, lp)) != 0)
		return error;
	lwp_attach(*lp);
	return 0;
}

/*
 * Detach l from its process; the process exits with its last LWP
 * (proc0 and proc1 never do).  This may block, and a thread that
 * blocks may come back on another virtual CPU: read l_cpu after it.
 */
void
lwp_detach(struct lwp *l)
{
	struct proc *p = l->l_proc;
	bool last;

	mutex_enter(&p->p_lock);
	LIST_REMOVE(l, l_sibling);
	last = --p->p_nlwps == 0;
	mutex_exit(&p->p_lock);
	if (last && p != &proc0 && p != proc1)
		proc_release(p);
}

void
lwp_free(struct lwp *l)
{

	lwp_detach(l);
	kmem_free(l, sizeof(*l));
}

/* Enter the kernel: make sure the thread has an LWP, take a CPU. */
int
lwp_enter(struct lwp **lp)
{
	struct lwp *l = curlwp;
	int error;

	if (__predict_true(l != NULL)) {
		vcpu_schedule(l);
		*lp = l;
		return 0;
	}
	error = lwp_alloc(proc1, LW_IMPLICIT, "", &l);
	if (error)
		return error;
	rumpuser_curlwp_set(l, RUMPUSER_LWP_IMPLICIT);
	vcpu_schedule(l);
	lwp_attach(l);
	*lp = l;
	return 0;
}

void
rump_schedule(void)
{
	struct lwp *l;

	if (lwp_enter(&l) != 0)
		panic("rump_schedule: no memory for an LWP");
}

void
rump_unschedule(void)
{
	struct lwp *l = curlwp;

	KASSERTMSG(l != NULL && (l->l_flags & LW_ONCPU),
	    "rump_unschedule: the calling thread is not in the kernel");
	vcpu_unschedule(l);
}

/* The calling thread, on a CPU, gives up its LWP for good. */
static void
lwp_exit_current(void)
{
	struct lwp *l = curlwp;
	struct cpu_info *ci;

	lwp_detach(l);
	ci = l->l_cpu;		/* the CPU held now, after any sleep */
	rumpuser_curlwp_set(NULL, 0);
	kmem_free(l, sizeof(*l));	/* never gives the CPU back */
	vcpu_release(ci);
}

/* Upcall: a host thread holding an implicit LWP is exiting. */
void
lwp_hyp_exit(void *arg)
{
	struct lwp *l = arg;

	rumpuser_curlwp_set(l, 0);
	vcpu_schedule(l);
	lwp_exit_current();
}

/* Move the calling thread, on a CPU as cur, to LWP nl. */
static void
lwproc_switch(struct lwp *cur, struct lwp *nl)
{

	vcpu_handoff(cur, nl);
	rumpuser_curlwp_set(nl, 0);
	if (cur->l_flags & LW_IMPLICIT)
		lwp_free(cur);
}

static int
lwproc_newlwp(struct proc *p)
{
	struct lwp *nl;
	int error;

	if ((error = lwp_create(p, 0, "", &nl)) != 0)
		return error;
	lwproc_switch(curlwp, nl);
	return 0;
}

int
rump_lwproc_rfork(int flags)
{
	struct lwp *l;
	struct proc *p;
	int error;

	if ((flags & ~(RUMP_RFFDG | RUMP_RFCFDG)) != 0 ||
	    (flags & (RUMP_RFFDG | RUMP_RFCFDG)) ==
	    (RUMP_RFFDG | RUMP_RFCFDG)) {
		rumpuser_seterrno(EINVAL);
		return -1;
	}
	if ((error = lwp_enter(&l)) != 0)
		goto out;
	error = proc_create(l->l_proc, l->l_proc->p_comm, flags, &p);
	if (error == 0 && (error = lwproc_newlwp(p)) != 0)
		proc_release(p);
	rump_unschedule();
 out:
	if (error) {
		rumpuser_seterrno(error);
		return -1;
	}
	return 0;
}

int
rump_lwproc_newlwp(rump_pid_t pid)
{
	struct lwp *l, *nl = NULL;
	struct proc *p;
	int error;

	if ((error = lwp_enter(&l)) != 0)
		goto out;
	/* Make the LWP under proc_lock (its process cannot exit while it
	 * has one more LWP), but switch to it only after: the lock is
	 * released by the LWP that took it. */
	mutex_enter(&proc_lock);
	if ((p = proc_find(pid)) == NULL || p == &proc0)
		error = ESRCH;
	else
		error = lwp_create(p, 0, "", &nl);
	mutex_exit(&proc_lock);
	if (error == 0)
		lwproc_switch(l, nl);
	rump_unschedule();
 out:
	if (error) {
		rumpuser_seterrno(error);
		return -1;
	}
	return 0;
}

void
rump_lwproc_switch(struct lwp *nl)
{
	struct lwp *cur;

	rump_schedule();
	cur = curlwp;
	if (nl == cur) {
		rump_unschedule();
		return;
	}
	if (nl != NULL) {
		KASSERTMSG((nl->l_flags & (LW_ONCPU | LW_IMPLICIT)) == 0,
		    "rump_lwproc_switch: LWP %p is in use by another thread",
		    nl);
		lwproc_switch(cur, nl);
		rump_unschedule();
		return;
	}
	/* To no LWP: an implicit one dies, an explicit one is parked. */
	if (cur->l_flags & LW_IMPLICIT) {
		lwp_exit_current();
	} else {
		rump_unschedule();
		rumpuser_curlwp_set(NULL, 0);
	}
}

void
rump_lwproc_releaselwp(void)
{

	if (curlwp == NULL)
		return;
	rump_schedule();
	lwp_exit_current();
}

/*
 * The calling thread's process is going away (its remote client went):
 * its LWPs' interruptible sleeps end with EINTR, now and later, so
 * calls blocked in it return and the process can go.
 */
void
rump_lwproc_interrupt(void)
{
	struct lwp *l = curlwp;

	if (l != NULL && l->l_proc != NULL)
		proc_interrupt(l->l_proc);
}

struct lwp *
rump_lwproc_curlwp(void)
{
	struct lwp *l = curlwp;

	if (l == NULL || (l->l_flags & LW_IMPLICIT))
		return NULL;
	return l;
}
