/*
 * fuzz_splocal.c: libFuzzer target for rump_server's argument
 * localisation (usr.sbin/rump_server/sp_localize.c), the code that
 * stands between a client's message and the kernel.  For any system-
 * call message that parses, when sp_localize_args() accepts it, every
 * argument that may point into client memory must now be NULL, a value
 * the table says is not a pointer, or one of our own copies at least
 * as large as the call's other arguments say the kernel will touch.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rumpdefs.h>
#include "sp_localize.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Is v one of c's copies, of at least need bytes? */
static int
ours(const struct call *c, uint64_t v, uint64_t need)
{
	int i;

	if (need == 0)
		return 1;	/* nothing will be touched */
	for (i = 0; i < c->nloc; i++)
		if (v == (uint64_t)(uintptr_t)c->loc[i].buf)
			return c->loc[i].len >= need;
	return 0;
}

static uint64_t
need_of(const struct sp_msg *m, const struct sp_argspec *s)
{
	uint64_t count = 1;
	uint32_t i;

	switch (s->as_count) {
	case SP_N_CONST:
		count = s->as_nconst;
		break;
	case SP_N_ARG:
		count = m->args[s->as_countarg];
		break;
	case SP_N_DEREF:
		count = 0;
		for (i = 0; i < m->nregions; i++)
			if (m->region[i].dir == SP_IN && m->region[i].uaddr ==
			    m->args[s->as_countarg] &&
			    m->region[i].len >= sizeof(rump_size_t)) {
				memcpy(&count, m->region[i].data,
				    sizeof(rump_size_t));
				break;
			}
		break;
	}
	return count * s->as_size;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct call c;
	const struct sp_call *sc;
	struct sp_msg m;
	uint64_t args[SP_NARGS], v, orig;
	int i;

	if (sp_msg_parse(data, size, &m) != 0 || m.h.type != SP_SYSCALL ||
	    m.h.a == 0 || m.h.a >= (uint32_t)sp_ncalls ||
	    (sc = &sp_calls[m.h.a])->sc_name == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	c.m = &m;
	memcpy(args, m.args, sizeof(args));
	if (sp_localize_args(&c, sc, args) == 0) {
		for (i = 0; i < sc->sc_nspecs; i++) {
			const struct sp_argspec *s = &sc->sc_spec[i];
			uint64_t cmd = m.args[s->as_countarg];

			v = args[s->as_arg];
			orig = m.args[s->as_arg];
			if (s->as_kind == SP_A_FCNTL && !SP_FCNTL_ISLOCK(cmd)) {
				if (v != orig)
					abort();
				continue;
			}
			if (orig == 0) {
				if (v != 0)
					abort();
				continue;
			}
			if (s->as_kind == SP_A_IOCTL) {
				if (!(cmd & (SP_IOC_IN | SP_IOC_OUT))) {
					if (v != 0)
						abort();
				} else if (!ours(&c, v, SP_IOCPARM_LEN(cmd)))
					abort();
				continue;
			}
			if (s->as_kind == SP_A_STR) {
				int k;

				for (k = 0; k < c.nloc; k++)
					if (v == (uint64_t)(uintptr_t)
					    c.loc[k].buf)
						break;
				if (k == c.nloc || memchr(c.loc[k].buf, '\0',
				    (size_t)c.loc[k].len) == NULL)
					abort();
				continue;
			}
			if (s->as_kind == SP_A_FCNTL) {
				if (!ours(&c, v, s->as_size))
					abort();
				continue;
			}
			if (!ours(&c, v, need_of(&m, s)))
				abort();
			if (s->as_kind == SP_A_IOVIN ||
			    s->as_kind == SP_A_IOVOUT) {
				const struct rump_iovec *iov =
				    (const struct rump_iovec *)(uintptr_t)v;
				uint64_t k, n = m.args[s->as_countarg];

				for (k = 0; k < n; k++)
					if (!ours(&c, (uint64_t)(uintptr_t)
					    iov[k].iov_base, iov[k].iov_len))
						abort();
			}
		}
	}
	sp_call_free(&c);
	return 0;
}
