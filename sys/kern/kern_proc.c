/*
 * kern_proc.c: processes.
 *
 * proc0 (pid 0) owns the kernel threads; proc1 (pid 1) is the default
 * process of the program that booted the kernel.  Further processes come
 * from rump_lwproc_rfork() (and, later, from remote clients); each gets
 * a copy of its parent's credentials and umask, and exits when its last
 * LWP is released.  Its children are then reparented to proc1.
 *
 * Locking: proc_lock over allproc, parent links and pid allocation;
 * p_lock over the rest (see <sys/proc.h>).  Order: proc_lock, p_lock.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>

#define PID_MAX		99999

kmutex_t proc_lock;
struct proc proc0;
struct proc *proc1;

static LIST_HEAD(, proc) allproc = LIST_HEAD_INITIALIZER(allproc);
static pid_t nextpid;		/* P: last pid handed out */
static const struct proc_hooks *proc_hooks;	/* c: set at boot */

void
proc_hooks_set(const struct proc_hooks *ph)
{

	proc_hooks = ph;
}

static void
proc_setup(struct proc *p, struct proc *parent, pid_t pid, kauth_cred_t cred,
    const char *name)
{

	p->p_pid = pid;
	p->p_pptr = parent;
	mutex_init(&p->p_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&p->p_lwps);
	p->p_cred = cred;
	p->p_umask = parent != NULL ? parent->p_umask : 022;
	strlcpy(p->p_comm, name, sizeof(p->p_comm));
}

/* Runs before any thread is in the kernel: no locks needed yet. */
int
proc_init(void)
{
	kauth_cred_t cred0 = NULL, cred1 = NULL;

	mutex_init(&proc_lock, MUTEX_DEFAULT, IPL_NONE);
	if (kauth_cred_alloc(&cred0) != 0 || kauth_cred_alloc(&cred1) != 0 ||
	    (proc1 = kmem_zalloc(sizeof(*proc1), KM_SLEEP)) == NULL) {
		if (cred0 != NULL)
			kauth_cred_free(cred0);
		if (cred1 != NULL)
			kauth_cred_free(cred1);
		mutex_destroy(&proc_lock);
		return ENOMEM;
	}
	proc_setup(&proc0, NULL, 0, cred0, "kernel");
	proc_setup(proc1, &proc0, 1, cred1, "init");
	if (filedesc_create(&proc0, NULL, RUMP_RFCFDG) != 0 ||
	    filedesc_create(proc1, NULL, RUMP_RFCFDG) != 0) {
		if (proc0.p_fd != NULL)
			filedesc_release(&proc0);
		kauth_cred_free(cred0);
		kauth_cred_free(cred1);
		kmem_free(proc1, sizeof(*proc1));
		mutex_destroy(&proc_lock);
		return ENOMEM;
	}
	LIST_INSERT_HEAD(&allproc, &proc0, p_list);
	LIST_INSERT_HEAD(&allproc, proc1, p_list);
	nextpid = 1;
	return 0;
}

struct proc *
proc_find(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

/* Run the fork hooks once the kernel has booted (components attached). */
int
proc_fork_hooks(struct proc *parent, struct proc *child)
{

	if (proc_hooks == NULL || proc_hooks->ph_fork == NULL)
		return 0;
	return proc_hooks->ph_fork(parent, child);
}

int
proc_create(struct proc *parent, const char *name, int flags,
    struct proc **pp)
{
	struct proc *p;
	kauth_cred_t pcred, cred;
	int error;

	if ((p = kmem_zalloc(sizeof(*p), KM_SLEEP)) == NULL)
		return ENOMEM;
	pcred = proc_cred_hold(parent);
	error = kauth_cred_dup(pcred, &cred);
	kauth_cred_free(pcred);
	if (error) {
		kmem_free(p, sizeof(*p));
		return error;
	}
	mutex_enter(&parent->p_lock);
	proc_setup(p, parent, 0, cred, name);
	mutex_exit(&parent->p_lock);
	if ((error = filedesc_create(p, parent, flags)) != 0)
		goto fail;
	if ((error = proc_fork_hooks(parent, p)) != 0) {
		filedesc_release(p);
		goto fail;
	}

	mutex_enter(&proc_lock);
	do {
		if (++nextpid > PID_MAX)
			nextpid = 2;
	} while (proc_find(nextpid) != NULL);
	p->p_pid = nextpid;
	LIST_INSERT_HEAD(&allproc, p, p_list);
	mutex_exit(&proc_lock);
	*pp = p;
	return 0;
 fail:
	kauth_cred_free(cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
	return error;
}

void
proc_release(struct proc *p)
{
	struct proc *q;

	KASSERT(p != &proc0 && p != proc1);
	KASSERT(p->p_nlwps == 0);
	mutex_enter(&proc_lock);
	LIST_REMOVE(p, p_list);
	LIST_FOREACH(q, &allproc, p_list)
		if (q->p_pptr == p)
			q->p_pptr = proc1;
	mutex_exit(&proc_lock);
	if (proc_hooks != NULL && proc_hooks->ph_exit != NULL)
		proc_hooks->ph_exit(p);
	filedesc_release(p);
	kauth_cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

kauth_cred_t
proc_cred_hold(struct proc *p)
{
	kauth_cred_t cred;

	mutex_enter(&p->p_lock);
	cred = p->p_cred;
	kauth_cred_hold(cred);
	mutex_exit(&p->p_lock);
	return cred;
}

/* Install a new credential (consuming the caller's reference). */
void
proc_cred_replace(struct proc *p, kauth_cred_t cred)
{
	kauth_cred_t old;

	mutex_enter(&p->p_lock);
	old = p->p_cred;
	p->p_cred = cred;
	mutex_exit(&p->p_lock);
	kauth_cred_free(old);
}
