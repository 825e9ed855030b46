/*
 * t_spcalls.c: the sysproxy call table generated from syscalls.master
 * (what=sptab): every call is there under its number and name, every
 * region description refers to arguments that exist, and the calls a
 * remote client uses most are described as their semantics say.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "../../lib/sp/sp_calls.h"

static const struct sp_argspec *
spec(int num, int arg)
{
	const struct sp_call *c = &sp_calls[num];
	int i;

	for (i = 0; i < c->sc_nspecs; i++)
		if (c->sc_spec[i].as_arg == arg)
			return &c->sc_spec[i];
	return NULL;
}

#define NAMED(n)	(sp_calls[RUMP_SYS_##n].sc_name != NULL && \
	strcmp(sp_calls[RUMP_SYS_##n].sc_name, #n) == 0)

int
main(void)
{
	const struct sp_argspec *s;
	int i, j, bad = 0, ncalls = 0;

	for (i = 0; i < sp_ncalls; i++) {
		const struct sp_call *c = &sp_calls[i];

		if (c->sc_name == NULL)
			continue;
		ncalls++;
		if (c->sc_nargs > 8 || c->sc_nspecs > SP_MAXSPECS)
			bad++;
		for (j = 0; j < c->sc_nspecs; j++) {
			s = &c->sc_spec[j];
			if (s->as_arg >= c->sc_nargs ||
			    s->as_kind < SP_A_STR || s->as_kind > SP_A_FCNTL ||
			    ((s->as_count == SP_N_ARG ||
			    s->as_count == SP_N_DEREF) &&
			    (s->as_countarg >= c->sc_nargs ||
			    s->as_countarg == s->as_arg)))
				bad++;
		}
	}
	ok(ncalls > 80 && bad == 0, "%d calls, every description refers to "
	    "arguments that exist (%d bad)", ncalls, bad);
	ok(NAMED(read) && NAMED(write) && NAMED(open) && NAMED(stat) &&
	    NAMED(getdents) && NAMED(sysctl) && NAMED(getpid) &&
	    NAMED(rename), "calls are under their numbers and names");
	s = spec(RUMP_SYS_read, 1);
	ok(s != NULL && s->as_kind == SP_A_OUT && s->as_count == SP_N_ARG &&
	    s->as_countarg == 2 && s->as_size == 1, "read: buf is nbyte "
	    "bytes out");
	s = spec(RUMP_SYS_write, 1);
	ok(s != NULL && s->as_kind == SP_A_IN && s->as_countarg == 2,
	    "write: buf is nbyte bytes in");
	s = spec(RUMP_SYS_stat, 1);
	ok(spec(RUMP_SYS_stat, 0) != NULL &&
	    spec(RUMP_SYS_stat, 0)->as_kind == SP_A_STR && s != NULL &&
	    s->as_kind == SP_A_OUT && s->as_count == SP_N_ONE &&
	    s->as_size == sizeof(struct rump_stat), "stat: a path string in, "
	    "a struct rump_stat out");
	s = spec(RUMP_SYS_sysctl, 2);
	ok(s != NULL && s->as_count == SP_N_DEREF && s->as_countarg == 3,
	    "sysctl: oldv's size is what oldlenp points at");
	s = spec(RUMP_SYS_pipe, 0);
	ok(s != NULL && s->as_kind == SP_A_OUT && s->as_count == SP_N_CONST &&
	    s->as_nconst == 2 && s->as_size == sizeof(int),
	    "pipe: two ints out");
	s = spec(RUMP_SYS_readv, 1);
	ok(s != NULL && s->as_kind == SP_A_IOVOUT &&
	    s->as_size == sizeof(struct rump_iovec), "readv: iovecs whose "
	    "buffers come back");
	s = spec(RUMP_SYS_ioctl, 2);
	ok(s != NULL && s->as_kind == SP_A_IOCTL && s->as_countarg == 1,
	    "ioctl: data sized by the command");
	ok(sp_calls[RUMP_SYS_getpid].sc_nspecs == 0 &&
	    sp_calls[RUMP_SYS_close].sc_nspecs == 0, "getpid and close carry "
	    "no memory");
	return tap_done();
}
