/*
 * mutex.h: kernel mutexes, built on the hypercall mutex.
 *
 * MUTEX_DEFAULT mutexes may be held across sleeps; a thread blocking on
 * one gives its virtual CPU back while it waits.  MUTEX_SPIN mutexes (or
 * any with an IPL above IPL_NONE) protect short critical sections that
 * never sleep; a thread waits for one keeping its CPU.
 *
 * mutex_owned() is always available for KASSERT.  With LOCKDEBUG the
 * enter and exit calls also assert ownership and feed the lock-order
 * checker (kern_lockdebug.c), keyed by where each mutex was initialised.
 *
 * Field legend: c constant after init; m written only by the holder.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

struct lwp;
struct rumpuser_mtx;

#define MUTEX_DEFAULT	0
#define MUTEX_DRIVER	0
#define MUTEX_SPIN	1

#define IPL_NONE	0
#define IPL_SOFTNET	1
#define IPL_VM		2
#define IPL_SCHED	3
#define IPL_HIGH	4

typedef struct kmutex {
	struct rumpuser_mtx	*mtx_hyp;	/* c: host lock */
	struct lwp		*mtx_owner;	/* m: holder, NULL if free */
	const char		*mtx_class;	/* c: init site (lockdebug) */
	int			mtx_spin;	/* c: never sleeps */
} kmutex_t;

#define mutex_init(m, t, ipl)						\
	mutex_init_class((m), (t), (ipl), __FILE__ ":" __STRING(__LINE__))
void	mutex_init_class(kmutex_t *, int, int, const char *);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
void	mutex_exit(kmutex_t *);
int	mutex_tryenter(kmutex_t *);		/* 1 if acquired */
bool	mutex_owned(const kmutex_t *);
#define mutex_spin_enter(m)	mutex_enter(m)
#define mutex_spin_exit(m)	mutex_exit(m)

#endif /* _SYS_MUTEX_H_ */
