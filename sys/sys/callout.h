/*
 * callout.h: timers.  callout_reset(c, ticks, f, arg) runs f(arg) on the
 * callout thread ticks/hz seconds from now.  Callouts fire in order of
 * their deadlines (ties: in the order they were scheduled).
 *
 * callout_stop() cancels a pending callout without waiting for one that
 * is running; callout_halt() also waits for it to finish, and must not
 * be called from the callout itself.
 *
 * Field legend: C callout_lock (kern_callout.c), which every function
 * here takes itself.
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>

typedef struct callout {
	TAILQ_ENTRY(callout)	c_link;		/* C: on the pending queue */
	int64_t			c_when;		/* C: deadline, uptime ns */
	void			(*c_func)(void *);	/* C */
	void			*c_arg;		/* C */
	u_int			c_flags;	/* C: CALLOUT_* */
	uint64_t		c_seq;		/* C: order among equals */
} callout_t;

#define CALLOUT_PENDING		0x01
#define CALLOUT_FIRED		0x02	/* has fired since last reset */
#define CALLOUT_INVOKING	0x04	/* function running now */
#define CALLOUT_MPSAFE		0x00	/* accepted for compatibility */

struct kmutex;

void	callout_init(callout_t *, u_int);
void	callout_destroy(callout_t *);
void	callout_setfunc(callout_t *, void (*)(void *), void *);
void	callout_reset(callout_t *, int ticks, void (*)(void *), void *);
void	callout_schedule(callout_t *, int ticks);
bool	callout_stop(callout_t *);		/* true if it was pending */
bool	callout_halt(callout_t *, struct kmutex *interlock);
bool	callout_pending(callout_t *);
bool	callout_expired(callout_t *);
void	callout_startup(void);
void	callout_shutdown(void);

#endif /* _SYS_CALLOUT_H_ */
