/*
 * condvar.h: kernel condition variables.  Waiting gives the virtual CPU
 * back (unless the interlock is a spin mutex).  Timeouts are in ticks
 * (hz per second); a timeout of 0 waits forever.  cv_timedwait returns
 * EWOULDBLOCK when the time passed.  With a spin-mutex interlock the
 * waiter keeps its CPU (the _nowrap hypercalls), so such waits must be
 * short.
 *
 * Field legend: c constant after init.
 */
#ifndef _SYS_CONDVAR_H_
#define _SYS_CONDVAR_H_

#include <sys/types.h>

struct kmutex;
struct rumpuser_cv;

typedef struct kcondvar {
	struct rumpuser_cv	*cv_hyp;	/* c */
	const char		*cv_wmesg;	/* c */
} kcondvar_t;

void	cv_init(kcondvar_t *, const char *);
void	cv_destroy(kcondvar_t *);
void	cv_wait(kcondvar_t *, struct kmutex *);
int	cv_timedwait(kcondvar_t *, struct kmutex *, int);
/* Wait until an absolute monotonic time in nanoseconds. */
int	cv_timedwait_ns(kcondvar_t *, struct kmutex *, int64_t deadline);
/*
 * Interruptible forms: EINTR once the caller's process is interrupted
 * (proc_interrupt: its client went away), before sleeping or while
 * asleep; otherwise as above (0, EWOULDBLOCK).  There are no signals:
 * an interrupt is noticed within CV_INTR_NS of being made, the sleeper
 * looking at its process's flag between slices of its wait.  For
 * sleeps whose end depends on another process (pipes, FIFOs, poll,
 * locks); not for waits on the kernel's own work (buffers, vnodes).
 */
#define CV_INTR_NS	(50 * 1000 * 1000)
int	cv_wait_sig(kcondvar_t *, struct kmutex *);
int	cv_timedwait_sig(kcondvar_t *, struct kmutex *, int ticks);
int	cv_timedwait_ns_sig(kcondvar_t *, struct kmutex *, int64_t deadline);
void	cv_signal(kcondvar_t *);
void	cv_broadcast(kcondvar_t *);
bool	cv_has_waiters(kcondvar_t *);

#endif /* _SYS_CONDVAR_H_ */
