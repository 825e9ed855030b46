/*
 * lwp.h: LWPs, the kernel's threads.  Each runs on one host thread; the
 * hypervisor keeps the current one in thread-local storage (curlwp).
 *
 * Locking legend:
 *   c  constant after creation
 *   o  only the owning host thread touches it
 *   p  the process's p_lock
 */
#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <rumpuser.h>

struct proc;
struct cpu_info;

#define LOCKDEBUG_MAXHELD	32

struct lwp {
	struct proc		*l_proc;	/* c */
	struct cpu_info		*l_cpu;		/* o: held or last held */
	LIST_ENTRY(lwp)		l_sibling;	/* p: on p_lwps */
	lwpid_t			l_lid;		/* c */
	int			l_flags;	/* o: LW_* */
	void			*l_hypcookie;	/* c: joinable kthreads */
	char			l_name[MAXCOMLEN];	/* c */
	int			l_nheld;	/* o: lockdebug */
	const char		*l_held[LOCKDEBUG_MAXHELD]; /* o: lockdebug */
};

#define LW_IMPLICIT	0x01	/* created on first entry, dies with thread */
#define LW_SYSTEM	0x02	/* kernel thread */
#define LW_MUSTJOIN	0x04	/* kernel thread someone will join */
#define LW_ONCPU	0x08	/* holds a virtual CPU now */
#define LW_WRAPPED	0x10	/* CPU given back for a blocking hypercall */

#define curlwp		((struct lwp *)rumpuser_curlwp())
#define curproc		(curlwp->l_proc)

int	lwp_create(struct proc *, int flags, const char *name, struct lwp **);
void	lwp_free(struct lwp *);
void	lwp_detach(struct lwp *);	/* may sleep */
/* Give the calling thread an LWP if it has none and take a CPU. */
int	lwp_enter(struct lwp **);
/* Upcall from the hypervisor: an implicit LWP's thread is exiting. */
void	lwp_hyp_exit(void *);

#endif /* _SYS_LWP_H_ */
