/*
 * sp_localize.h: the heart of rump_server's safety.  For one SP_SYSCALL
 * message, sp_localize_args() replaces every argument that the call
 * table (lib/sp/sp_calls.h) says may point into client memory with a
 * pointer to a local copy of the region the client sent or declared,
 * after checking that the region covers what the call's other
 * arguments imply; an argument it cannot localise makes the call fail
 * (a kernel errno: EFAULT, EINVAL ...).  So the kernel's copyin and
 * copyout only ever reach memory of ours, of the sizes the call needs.
 * sp_call_free() releases the copies.  No locking: one call's state.
 */
#ifndef _RUMP_SERVER_SP_LOCALIZE_H_
#define _RUMP_SERVER_SP_LOCALIZE_H_

#include <stdbool.h>
#include <stdint.h>

#include "sp_msg.h"
#include "sp_calls.h"

struct local {
	void		*buf;		/* our copy */
	uint64_t	uaddr, len;	/* the client's region */
	bool		out;		/* goes back in the reply */
	bool		ret;		/* ... as far as the return value says */
};

struct call {
	const struct sp_msg *m;
	struct local	loc[SP_MAXREGIONS + 1];
	int		nloc;
};

int	sp_localize_args(struct call *, const struct sp_call *, uint64_t *args);
void	sp_call_free(struct call *);

#endif /* _RUMP_SERVER_SP_LOCALIZE_H_ */
