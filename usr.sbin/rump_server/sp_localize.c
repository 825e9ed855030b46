/*
 * sp_localize.c: localising a remote call's pointer arguments (see
 * sp_localize.h and docs/sysproxy.md).  Host code, no kernel calls, so
 * that tests/fuzz/fuzz_splocal.c can drive it with any message.
 */
#include <stdlib.h>
#include <string.h>

#include <rump/rumpdefs.h>
#include "sp_localize.h"

/* The region the client gave for [uaddr, uaddr + len), with dir. */
static const struct sp_region *
find_region(const struct sp_msg *m, uint64_t uaddr, uint64_t len,
    uint32_t dir)
{
	uint32_t i;

	for (i = 0; i < m->nregions; i++) {
		const struct sp_region *r = &m->region[i];

		if (r->dir == dir && r->uaddr == uaddr && r->len >= len)
			return r;
	}
	return NULL;
}

/*
 * A local buffer for the client's [uaddr, uaddr + len): filled from its
 * SP_IN region if in, sent back if out (an SP_OUT region is needed).
 */
static void *
localize(struct call *c, uint64_t uaddr, uint64_t len, bool in, bool out,
    int *errorp)
{
	const struct sp_region *r;
	struct local *l;

	static uint8_t none[8];

	if (len == 0)
		return none;	/* nothing to carry: any valid address */
	if (len > SP_MAXDATA || c->nloc > SP_MAXREGIONS) {
		*errorp = RUMP_EINVAL;
		return NULL;
	}
	if ((in && (r = find_region(c->m, uaddr, len, SP_IN)) == NULL) ||
	    (out && find_region(c->m, uaddr, len, SP_OUT) == NULL)) {
		*errorp = RUMP_EFAULT;	/* the client did not send it */
		return NULL;
	}
	l = &c->loc[c->nloc];
	if ((l->buf = calloc(1, len ? (size_t)len : 1)) == NULL) {
		*errorp = RUMP_ENOMEM;
		return NULL;
	}
	if (in)
		memcpy(l->buf, r->data, (size_t)len);
	l->uaddr = uaddr;
	l->len = len;
	l->out = out;
	l->ret = false;
	c->nloc++;
	return l->buf;
}

int
sp_localize_args(struct call *c, const struct sp_call *sc, uint64_t *args)
{
	const struct sp_msg *m = c->m;
	int i, error = 0;

	for (i = 0; i < sc->sc_nspecs; i++) {
		const struct sp_argspec *s = &sc->sc_spec[i];
		uint64_t ptr = m->args[s->as_arg], count = 1, len;
		const struct sp_region *r;
		void *p;

		if (s->as_kind == SP_A_FCNTL) {
			/* A pointer only for the lock commands. */
			if (!SP_FCNTL_ISLOCK(m->args[s->as_countarg]))
				continue;
			if (ptr == 0)
				continue;	/* the kernel says EFAULT */
			if ((p = localize(c, ptr, s->as_size, true, true,
			    &error)) == NULL)
				return error;
			args[s->as_arg] = (uint64_t)(uintptr_t)p;
			continue;
		}
		if (ptr == 0)
			continue;	/* NULL stays NULL */
		if (s->as_kind == SP_A_IOCTL) {
			/* The command says the size and the direction. */
			uint64_t cmd = m->args[s->as_countarg];
			bool in = (cmd & SP_IOC_IN) != 0;
			bool out = (cmd & SP_IOC_OUT) != 0;

			if (!in && !out) {
				args[s->as_arg] = 0;	/* no data */
				continue;
			}
			if ((p = localize(c, ptr, SP_IOCPARM_LEN(cmd), in, out,
			    &error)) == NULL)
				return error;
			args[s->as_arg] = (uint64_t)(uintptr_t)p;
			continue;
		}
		switch (s->as_count) {
		case SP_N_CONST:
			count = s->as_nconst;
			break;
		case SP_N_ARG:
			count = m->args[s->as_countarg];
			break;
		case SP_N_DEREF:
			/* What the other argument points at, as sent. */
			r = find_region(m, m->args[s->as_countarg],
			    sizeof(rump_size_t), SP_IN);
			if (r == NULL)
				return RUMP_EFAULT;
			memcpy(&count, r->data, sizeof(rump_size_t));
			break;
		}
		if (count > SP_MAXDATA || count * s->as_size > SP_MAXDATA)
			return RUMP_EINVAL;
		len = count * s->as_size;
		switch (s->as_kind) {
		case SP_A_STR:
			if ((r = find_region(m, ptr, 1, SP_IN)) == NULL)
				return RUMP_EFAULT;
			if (memchr(r->data, '\0', (size_t)r->len) == NULL)
				return RUMP_EFAULT;	/* unterminated */
			p = localize(c, ptr, r->len, true, false, &error);
			break;
		case SP_A_IN:
			p = localize(c, ptr, len, true, false, &error);
			break;
		case SP_A_OUT:
			p = localize(c, ptr, len, false, true, &error);
			break;
		case SP_A_INOUT:
			p = localize(c, ptr, len, true, true, &error);
			break;
		case SP_A_IOVIN:
		case SP_A_IOVOUT: {
			struct rump_iovec *iov;
			uint64_t k;

			iov = localize(c, ptr, len, true, false, &error);
			if (iov == NULL)
				return error;
			for (k = 0; k < count; k++) {
				void *b = localize(c,
				    (uint64_t)(uintptr_t)iov[k].iov_base,
				    iov[k].iov_len, s->as_kind == SP_A_IOVIN,
				    s->as_kind == SP_A_IOVOUT, &error);

				if (b == NULL)
					return error ? error : RUMP_EFAULT;
				if (iov[k].iov_len > 0)
					c->loc[c->nloc - 1].ret =
					    (s->as_flags & SP_F_RET) != 0;
				iov[k].iov_base = b;
			}
			p = iov;
			break;
		}
		default:
			return RUMP_EOPNOTSUPP;
		}
		if (p == NULL)
			return error;
		if ((s->as_flags & SP_F_RET) && s->as_kind == SP_A_OUT &&
		    len > 0)
			c->loc[c->nloc - 1].ret = true;
		args[s->as_arg] = (uint64_t)(uintptr_t)p;
	}
	return 0;
}


void
sp_call_free(struct call *c)
{
	int i;

	for (i = 0; i < c->nloc; i++)
		free(c->loc[i].buf);
	c->nloc = 0;
}
