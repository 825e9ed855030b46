/*
 * sp_msg.c: encoding and checking sysproxy messages (see sp_msg.h and
 * docs/sysproxy.md).  Everything is little-endian on the wire.  The
 * parser works on a buffer holding exactly one message and accepts it
 * only if every field is in range and the body parses to its last
 * byte; lengths are summed in 64 bits and compared with what is left,
 * so no count in a message can make it read outside the buffer.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "sp_msg.h"

#define PAD8(n)		(((n) + 7) & ~(uint64_t)7)
#define REGDESC		24		/* uaddr, len, dir, pad */
#define RESPREG		16		/* uaddr, len */

static uint16_t
get16(const uint8_t *p)
{

	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{

	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t
get64(const uint8_t *p)
{

	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void
put16(uint8_t *p, uint16_t v)
{

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{

	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
put64(uint8_t *p, uint64_t v)
{

	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

int
sp_hdr_peek(const uint8_t *buf, size_t n, uint32_t *len)
{
	uint16_t type;

	if (n < SP_HDRSIZE)
		return EINVAL;
	*len = get32(buf);
	type = get16(buf + 4);
	if (*len < SP_HDRSIZE || *len > SP_MAXMSG || type == 0 ||
	    type >= SP_NTYPES || get16(buf + 6) != 0)
		return EINVAL;
	return 0;
}

/*
 * An SP_IN region's data at p + *off (padded to 8 bytes): r->data set,
 * *off past it, *insum counting all regions' data; EINVAL if it does
 * not fit in left bytes or the sum passes SP_MAXDATA.
 */
static int
take_data(struct sp_region *r, const uint8_t *p, uint64_t left,
    uint64_t *off, uint64_t *insum)
{
	uint64_t dlen = PAD8(r->len);

	*insum += r->len;
	if (*insum > SP_MAXDATA || dlen > left - *off)
		return EINVAL;
	r->data = p + (size_t)*off;
	*off += dlen;
	return 0;
}

/* Regions of an SP_SYSCALL (desc: descriptors) or SP_RESP (data inline). */
static int
parse_regions(const uint8_t *p, uint64_t left, struct sp_msg *m, bool resp,
    uint64_t *used)
{
	uint64_t off = 0, outsum = 0, insum = 0;
	uint32_t i;

	if (m->nregions > SP_MAXREGIONS)
		return EINVAL;
	if (!resp) {
		/* All descriptors first, then the SP_IN data. */
		if ((uint64_t)m->nregions * REGDESC > left)
			return EINVAL;
		off = (uint64_t)m->nregions * REGDESC;
		for (i = 0; i < m->nregions; i++) {
			struct sp_region *r = &m->region[i];
			const uint8_t *d = p + (size_t)i * REGDESC;

			r->uaddr = get64(d);
			r->len = get64(d + 8);
			r->dir = get32(d + 16);
			if (get32(d + 20) != 0 || r->len > SP_MAXDATA)
				return EINVAL;
			if (r->dir == SP_OUT) {
				outsum += r->len;
				r->data = NULL;
				if (outsum > SP_MAXDATA)
					return EINVAL;
				continue;
			}
			if (r->dir != SP_IN ||
			    take_data(r, p, left, &off, &insum) != 0)
				return EINVAL;
		}
		*used = off;
		return 0;
	}
	for (i = 0; i < m->nregions; i++) {
		struct sp_region *r = &m->region[i];

		if (left - off < RESPREG)
			return EINVAL;
		r->uaddr = get64(p + off);
		r->len = get64(p + off + 8);
		r->dir = SP_IN;
		off += RESPREG;
		if (r->len > SP_MAXDATA ||
		    take_data(r, p, left, &off, &insum) != 0)
			return EINVAL;
	}
	*used = off;
	return 0;
}

int
sp_msg_parse(const uint8_t *buf, size_t len, struct sp_msg *m)
{
	const uint8_t *p = buf + SP_HDRSIZE;
	uint64_t left, used = 0;
	uint32_t mlen;
	int i, error;

	if ((error = sp_hdr_peek(buf, len, &mlen)) != 0 || mlen != len)
		return EINVAL;
	memset(m, 0, sizeof(*m));
	m->h.len = mlen;
	m->h.type = get16(buf + 4);
	m->h.flags = 0;
	m->h.reqno = get64(buf + 8);
	m->h.a = get32(buf + 16);
	m->h.b = get32(buf + 20);
	left = len - SP_HDRSIZE;
	switch (m->h.type) {
	case SP_BANNER:
		if (left == 0 || left > SP_MAXBANNER)
			return EINVAL;
		break;
	case SP_HANDSHAKE:
		if (m->h.b < SP_HS_NEW || m->h.b > SP_HS_EXEC ||
		    left > SP_MAXHSBODY ||
		    (m->h.b == SP_HS_FORK && left < SP_COOKIELEN))
			return EINVAL;
		break;
	case SP_SYSCALL:
		if (left < 8 * SP_NARGS)
			return EINVAL;
		for (i = 0; i < SP_NARGS; i++)
			m->args[i] = get64(p + 8 * i);
		m->nregions = m->h.b;
		error = parse_regions(p + 8 * SP_NARGS, left - 8 * SP_NARGS, m,
		    false, &used);
		if (error || used != left - 8 * SP_NARGS)
			return EINVAL;
		return 0;
	case SP_RESP:
		if (left < 16)
			return EINVAL;
		m->rv[0] = get64(p);
		m->rv[1] = get64(p + 8);
		m->nregions = m->h.b;
		error = parse_regions(p + 16, left - 16, m, true, &used);
		if (error || used != left - 16)
			return EINVAL;
		return 0;
	case SP_COPYIN:
		if (left != 16)
			return EINVAL;
		m->uaddr = get64(p);
		m->ulen = get64(p + 8);
		if (m->ulen > SP_MAXDATA)
			return EINVAL;
		return 0;
	case SP_COPYOUT:
		if (left < 16)
			return EINVAL;
		m->uaddr = get64(p);
		m->ulen = get64(p + 8);
		if (m->ulen > SP_MAXDATA || m->ulen != left - 16)
			return EINVAL;
		m->body = p + 16;
		m->bodylen = (size_t)m->ulen;
		return 0;
	case SP_COPYIN_RESP:
		if (left > SP_MAXDATA)
			return EINVAL;
		break;
	case SP_SIGNAL:
		if (left != 0 || m->h.a == 0 || m->h.a > 64)
			return EINVAL;
		break;
	case SP_COPYOUT_RESP:
	case SP_FORKREQ:
	case SP_ABORT:
		if (left != 0)
			return EINVAL;
		break;
	default:
		return EINVAL;
	}
	m->body = p;
	m->bodylen = (size_t)left;
	return 0;
}

static void
put_hdr(uint8_t *buf, uint64_t len, enum sp_type type, uint64_t reqno,
    uint32_t a, uint32_t b)
{

	put32(buf, (uint32_t)len);
	put16(buf + 4, (uint16_t)type);
	put16(buf + 6, 0);
	put64(buf + 8, reqno);
	put32(buf + 16, a);
	put32(buf + 20, b);
}

void
sp_set_reqno(uint8_t *buf, uint64_t reqno)
{

	put64(buf + 8, reqno);
}

size_t
sp_build_simple(uint8_t *buf, size_t cap, enum sp_type type, uint64_t reqno,
    uint32_t a, uint32_t b, const void *body, size_t bodylen)
{
	uint64_t len = SP_HDRSIZE + (uint64_t)bodylen;

	if (len > SP_MAXMSG || len > cap)
		return 0;
	put_hdr(buf, len, type, reqno, a, b);
	if (bodylen > 0)
		memcpy(buf + SP_HDRSIZE, body, bodylen);
	return (size_t)len;
}

size_t
sp_build_syscall(uint8_t *buf, size_t cap, uint64_t reqno, uint32_t sysno,
    const uint64_t args[SP_NARGS], const struct sp_region *r,
    uint32_t nregions)
{
	uint64_t len = SP_HDRSIZE + 8 * SP_NARGS + (uint64_t)nregions * REGDESC;
	uint8_t *p;
	uint32_t i;

	if (nregions > SP_MAXREGIONS)
		return 0;
	for (i = 0; i < nregions; i++)
		if (r[i].dir == SP_IN)
			len += PAD8(r[i].len);
	if (len > SP_MAXMSG || len > cap)
		return 0;
	put_hdr(buf, len, SP_SYSCALL, reqno, sysno, nregions);
	p = buf + SP_HDRSIZE;
	for (i = 0; i < SP_NARGS; i++)
		put64(p + 8 * i, args[i]);
	p += 8 * SP_NARGS;
	for (i = 0; i < nregions; i++, p += REGDESC) {
		put64(p, r[i].uaddr);
		put64(p + 8, r[i].len);
		put32(p + 16, r[i].dir);
		put32(p + 20, 0);
	}
	for (i = 0; i < nregions; i++) {
		if (r[i].dir != SP_IN)
			continue;
		memcpy(p, r[i].data, (size_t)r[i].len);
		memset(p + r[i].len, 0, (size_t)(PAD8(r[i].len) - r[i].len));
		p += PAD8(r[i].len);
	}
	return (size_t)len;
}

size_t
sp_build_resp(uint8_t *buf, size_t cap, uint64_t reqno, uint32_t error,
    const uint64_t rv[2], const struct sp_region *r, uint32_t nregions)
{
	uint64_t len = SP_HDRSIZE + 16;
	uint8_t *p;
	uint32_t i;

	if (nregions > SP_MAXREGIONS)
		return 0;
	for (i = 0; i < nregions; i++)
		len += RESPREG + PAD8(r[i].len);
	if (len > SP_MAXMSG || len > cap)
		return 0;
	put_hdr(buf, len, SP_RESP, reqno, error, nregions);
	p = buf + SP_HDRSIZE;
	put64(p, rv[0]);
	put64(p + 8, rv[1]);
	p += 16;
	for (i = 0; i < nregions; i++) {
		put64(p, r[i].uaddr);
		put64(p + 8, r[i].len);
		p += RESPREG;
		memcpy(p, r[i].data, (size_t)r[i].len);
		memset(p + r[i].len, 0, (size_t)(PAD8(r[i].len) - r[i].len));
		p += PAD8(r[i].len);
	}
	return (size_t)len;
}

size_t
sp_build_copy(uint8_t *buf, size_t cap, enum sp_type type, uint64_t reqno,
    uint64_t uaddr, uint64_t ulen, const void *data)
{
	uint64_t len = SP_HDRSIZE + 16 + (type == SP_COPYOUT ? ulen : 0);

	if ((type != SP_COPYIN && type != SP_COPYOUT) || ulen > SP_MAXDATA ||
	    len > cap)
		return 0;
	put_hdr(buf, len, type, reqno, 0, 0);
	put64(buf + SP_HDRSIZE, uaddr);
	put64(buf + SP_HDRSIZE + 8, ulen);
	if (type == SP_COPYOUT && ulen > 0)
		memcpy(buf + SP_HDRSIZE + 16, data, (size_t)ulen);
	return (size_t)len;
}
