/*
 * proc.h: processes.  A process owns credentials, a umask and (later)
 * descriptors and a cwd; every local thread and every remote client
 * runs in one (rule 7).
 *
 * proc0 is the kernel's own (pid 0, kernel threads); proc1 (pid 1) is
 * the default process of the program that booted the kernel, where
 * implicit LWPs land.
 *
 * Locking legend:
 *   c  constant after creation
 *   P  proc_lock (the process list, parent links, pid allocation)
 *   p  p_lock
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/kauth.h>

struct lwp;

struct proc {
	LIST_ENTRY(proc)	p_list;		/* P: on allproc */
	pid_t			p_pid;		/* c */
	struct proc		*p_pptr;	/* P: parent */
	kmutex_t		p_lock;
	LIST_HEAD(, lwp)	p_lwps;		/* p */
	int			p_nlwps;	/* p */
	lwpid_t			p_nextlid;	/* p */
	kauth_cred_t		p_cred;		/* p: swapped, never changed */
	mode_t			p_umask;	/* p */
	struct filedesc		*p_fd;		/* c: descriptors */
	void			*p_cwdi;	/* c: cwd and root (vfs) */
	char			p_comm[MAXCOMLEN];	/* c */
	int			p_intr;		/* atomic: interrupted, for good */
};

/*
 * An interrupted process's interruptible sleeps (cv_wait_sig and
 * friends) end with EINTR, now and from then on: rump_server sets it
 * when a client goes with calls still blocked in its process.
 */
static inline void
proc_interrupt(struct proc *p)
{

	__atomic_store_n(&p->p_intr, 1, __ATOMIC_RELEASE);
}

static inline bool
proc_interrupted(const struct proc *p)
{

	return p != NULL && __atomic_load_n(&p->p_intr, __ATOMIC_ACQUIRE);
}

extern kmutex_t proc_lock;
extern struct proc proc0;
extern struct proc *proc1;

int	proc_init(void);
int	proc_create(struct proc *parent, const char *name, int rforkflags,
	    struct proc **);

/*
 * Hooks for subsystems in other libraries that keep per-process state
 * (the VFS: cwd and root).  fork runs in proc_create, after the
 * descriptors are set up, and may fail; exit in proc_release.
 */
struct proc_hooks {
	int	(*ph_fork)(struct proc *parent, struct proc *child);
	void	(*ph_exit)(struct proc *);
};
void	proc_hooks_set(const struct proc_hooks *);
int	proc_fork_hooks(struct proc *parent, struct proc *child);
void	proc_release(struct proc *);		/* last LWP gone */
struct proc *proc_find(pid_t);			/* P held */
kauth_cred_t proc_cred_hold(struct proc *);	/* a reference to p_cred */
void	proc_cred_replace(struct proc *, kauth_cred_t);

#endif /* _SYS_PROC_H_ */
