/*
 * rwlock.h: kernel reader-writer locks, built on the hypercall rwlock.
 * A thread blocking on one gives its virtual CPU back.  The writer is
 * recorded for rw_write_held(); readers are counted for rw_read_held().
 *
 * Field legend: c constant after init; w written only by the write
 * holder; atomic.
 */
#ifndef _SYS_RWLOCK_H_
#define _SYS_RWLOCK_H_

#include <sys/types.h>

struct lwp;
struct rumpuser_rw;

typedef enum krw_t { RW_READER = 0, RW_WRITER = 1 } krw_t;

typedef struct krwlock {
	struct rumpuser_rw	*rw_hyp;	/* c */
	struct lwp		*rw_writer;	/* w: write holder */
	unsigned int		rw_nreaders;	/* atomic */
	const char		*rw_class;	/* c: init site (lockdebug) */
} krwlock_t;

#define rw_init(rw)	rw_init_class((rw), __FILE__ ":" __STRING(__LINE__))
void	rw_init_class(krwlock_t *, const char *);
void	rw_destroy(krwlock_t *);
void	rw_enter(krwlock_t *, krw_t);
int	rw_tryenter(krwlock_t *, krw_t);	/* 1 if acquired */
void	rw_exit(krwlock_t *);
int	rw_tryupgrade(krwlock_t *);		/* 1 if now writer */
void	rw_downgrade(krwlock_t *);
bool	rw_write_held(const krwlock_t *);
bool	rw_read_held(const krwlock_t *);	/* held by some reader */
bool	rw_lock_held(const krwlock_t *);

#endif /* _SYS_RWLOCK_H_ */
