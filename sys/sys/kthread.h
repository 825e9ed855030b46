/*
 * kthread.h: kernel threads, each an LWP of proc0 on its own host thread.
 */
#ifndef _SYS_KTHREAD_H_
#define _SYS_KTHREAD_H_

#include <sys/types.h>

struct lwp;

#define KTHREAD_MUSTJOIN	0x01	/* kthread_join() will be called */

/* *lp receives the LWP of a joinable thread; NULL for a detached one,
 * which may be gone by the time kthread_create returns. */
int	kthread_create(int flags, void (*)(void *), void *, struct lwp **,
	    const char *name);
void	kthread_exit(int) __dead;
int	kthread_join(struct lwp *);

#endif /* _SYS_KTHREAD_H_ */
