/*
 * rumpuser_int.h: private to hyp/posix.
 *
 * WRAP(stmt) runs a blocking host call with the calling thread's
 * virtual CPU given back: the upcalls the kernel handed to
 * rumpuser_init() release it before and take one again after.
 */
#ifndef _HYP_POSIX_RUMPUSER_INT_H_
#define _HYP_POSIX_RUMPUSER_INT_H_

#include <stdint.h>
#include <rumpuser.h>

#define HIDDEN	__attribute__((__visibility__("hidden")))

/*
 * The kernel's upcalls.  Until rumpuser_init() they are no-ops, so a
 * thread may block in a hypercall while another is still booting.
 */
extern const struct rumpuser_hyperup *rumpuser__hypp HIDDEN;
#define HYP()	__atomic_load_n(&rumpuser__hypp, __ATOMIC_ACQUIRE)

#define WRAP(stmt) do {							\
	const struct rumpuser_hyperup *hyp_ = HYP();			\
									\
	hyp_->hyp_unschedule();						\
	stmt;								\
	hyp_->hyp_schedule();						\
} while (0)

/* rumpuser_errno.c: the one place host and kernel errno meet. */
int	rumpuser__errtrans(int hosterr) HIDDEN;	/* host -> kernel */
int	rumpuser__errhost(int kernerr) HIDDEN;	/* kernel -> host */

/* rumpuser_pth.c */
int	rumpuser__thread_init(void) HIDDEN;

#endif /* _HYP_POSIX_RUMPUSER_INT_H_ */
