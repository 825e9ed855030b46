/*
 * t_spmsg.c: the sysproxy message codec (lib/sp/sp_msg.c).
 *
 * Every message type is built and parsed back field for field; then
 * every valid message cut short at every length, with a trailing byte
 * added, with each header field out of range, and with random bytes
 * changed, must be refused (EINVAL) or parse to something the checks
 * allow (never read past the buffer: the fuzz target runs this under
 * ASan).  Counts and lengths near 2^64 must not wrap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "../../lib/sp/sp_msg.h"

static uint8_t buf[1 << 20], tmp[1 << 20];

/* Every prefix is refused; so is one byte more. */
static int
cuts_refused(const uint8_t *msg, size_t len)
{
	struct sp_msg m;
	size_t n;
	int bad = 0;

	for (n = 0; n < len; n++) {
		memcpy(tmp, msg, n);
		if (sp_msg_parse(tmp, n, &m) != EINVAL)
			bad++;
	}
	memcpy(tmp, msg, len);
	tmp[len] = 0;
	if (sp_msg_parse(tmp, len + 1, &m) != EINVAL)
		bad++;
	return bad;
}

static void
test_syscall(void)
{
	uint64_t args[SP_NARGS] = { 1, 2, 3, UINT64_MAX, 5, 6, 7, 8 };
	static const char path[] = "/some/path", data[5] = "abcde";
	struct sp_region r[3] = {
		{ 0x1000, sizeof(path), SP_IN, (const uint8_t *)path },
		{ 0x2000, 4096, SP_OUT, NULL },
		{ 0x3000, sizeof(data), SP_IN, (const uint8_t *)data },
	};
	struct sp_msg m;
	size_t len;

	len = sp_build_syscall(buf, sizeof(buf), 77, 33, args, r, 3);
	ok(len == SP_HDRSIZE + 64 + 3 * 24 + 16 + 8, "syscall: built (%zu)",
	    len);
	ok(sp_msg_parse(buf, len, &m) == 0 && m.h.type == SP_SYSCALL &&
	    m.h.reqno == 77 && m.h.a == 33 && m.nregions == 3 &&
	    memcmp(m.args, args, sizeof(args)) == 0, "... parses back");
	ok(m.region[0].uaddr == 0x1000 && m.region[0].len == sizeof(path) &&
	    m.region[0].dir == SP_IN &&
	    memcmp(m.region[0].data, path, sizeof(path)) == 0 &&
	    m.region[1].dir == SP_OUT && m.region[1].len == 4096 &&
	    m.region[1].data == NULL &&
	    memcmp(m.region[2].data, data, sizeof(data)) == 0,
	    "... with its regions and their data");
	ok(cuts_refused(buf, len) == 0, "... every cut and an extra byte "
	    "are refused");
	sp_set_reqno(buf, 0x0123456789abcdefULL);
	ok(sp_msg_parse(buf, len, &m) == 0 &&
	    m.h.reqno == 0x0123456789abcdefULL && m.h.a == 33 &&
	    m.nregions == 3, "sp_set_reqno: the request number changed, "
	    "nothing else");
	ok(sp_build_syscall(buf, len - 1, 77, 33, args, r, 3) == 0,
	    "... not built into too small a buffer");
	ok(sp_build_syscall(buf, sizeof(buf), 1, 1, args, r,
	    SP_MAXREGIONS + 1) == 0, "... nor with too many regions");
}

static void
test_resp(void)
{
	uint64_t rv[2] = { 42, 0 };
	static const uint8_t st[100] = { 1, 2, 3 };
	struct sp_region r[1] = { { 0x2000, sizeof(st), SP_IN, st } };
	struct sp_msg m;
	size_t len;

	len = sp_build_resp(buf, sizeof(buf), 77, 0, rv, r, 1);
	ok(len == SP_HDRSIZE + 16 + 16 + 104 && sp_msg_parse(buf, len, &m) ==
	    0 && m.h.type == SP_RESP && m.rv[0] == 42 && m.nregions == 1 &&
	    m.region[0].uaddr == 0x2000 && m.region[0].len == sizeof(st) &&
	    memcmp(m.region[0].data, st, sizeof(st)) == 0,
	    "resp: built and parsed back");
	ok(cuts_refused(buf, len) == 0, "... cuts refused");
	len = sp_build_resp(buf, sizeof(buf), 9, 2, rv, NULL, 0);
	ok(sp_msg_parse(buf, len, &m) == 0 && m.h.a == 2 && m.nregions == 0,
	    "... an error reply with no data");
}

static void
test_others(void)
{
	static const char banner[] = "RUMPSP-1 anykernel\n";
	uint8_t cookie[SP_COOKIELEN + 4] = { 9 };
	struct sp_msg m;
	size_t len;

	len = sp_build_simple(buf, sizeof(buf), SP_BANNER, 0, 0, 0, banner,
	    sizeof(banner) - 1);
	ok(sp_msg_parse(buf, len, &m) == 0 && m.bodylen == sizeof(banner) - 1
	    && memcmp(m.body, banner, m.bodylen) == 0 &&
	    cuts_refused(buf, len) == 0, "banner");
	len = sp_build_simple(buf, sizeof(buf), SP_HANDSHAKE, 1, SP_VERSION,
	    SP_HS_FORK, cookie, sizeof(cookie));
	ok(sp_msg_parse(buf, len, &m) == 0 && m.h.b == SP_HS_FORK &&
	    m.bodylen == sizeof(cookie), "handshake (fork, cookie, secret)");
	len = sp_build_simple(buf, sizeof(buf), SP_HANDSHAKE, 1, SP_VERSION,
	    SP_HS_FORK, cookie, SP_COOKIELEN - 1);
	ok(sp_msg_parse(buf, len, &m) == EINVAL, "... a short cookie is "
	    "refused");
	len = sp_build_simple(buf, sizeof(buf), SP_HANDSHAKE, 1, SP_VERSION,
	    9, NULL, 0);
	ok(sp_msg_parse(buf, len, &m) == EINVAL, "... an unknown kind too");
	len = sp_build_copy(buf, sizeof(buf), SP_COPYIN, 5, 0x4000, 300, NULL);
	ok(sp_msg_parse(buf, len, &m) == 0 && m.uaddr == 0x4000 &&
	    m.ulen == 300 && cuts_refused(buf, len) == 0, "copyin request");
	len = sp_build_copy(buf, sizeof(buf), SP_COPYOUT, 5, 0x4000, 3, "xyz");
	ok(sp_msg_parse(buf, len, &m) == 0 && m.bodylen == 3 &&
	    memcmp(m.body, "xyz", 3) == 0 && cuts_refused(buf, len) == 0,
	    "copyout request");
	len = sp_build_simple(buf, sizeof(buf), SP_SIGNAL, 0, 65, 0, NULL, 0);
	ok(sp_msg_parse(buf, len, &m) == EINVAL, "signal 65 is refused");
	len = sp_build_simple(buf, sizeof(buf), SP_ABORT, 3, 0, 0, "x", 1);
	ok(sp_msg_parse(buf, len, &m) == EINVAL, "abort with a body is "
	    "refused");
}

/* Header fields out of range, counts that would wrap. */
static void
test_hostile(void)
{
	uint64_t args[SP_NARGS] = { 0 };
	struct sp_region r = { 0, 8, SP_IN, (const uint8_t *)"12345678" };
	struct sp_msg m;
	uint32_t l;
	size_t len;
	int i, bad = 0;

	len = sp_build_syscall(buf, sizeof(buf), 1, 1, args, &r, 1);
	memcpy(tmp, buf, len);
	tmp[6] = 1;			/* flags */
	ok(sp_msg_parse(tmp, len, &m) == EINVAL, "flags must be 0");
	memcpy(tmp, buf, len);
	tmp[4] = SP_NTYPES;		/* type */
	ok(sp_msg_parse(tmp, len, &m) == EINVAL &&
	    sp_hdr_peek(tmp, len, &l) == EINVAL, "an unknown type");
	memcpy(tmp, buf, len);
	tmp[0] = tmp[1] = tmp[2] = tmp[3] = 0xff;	/* len */
	ok(sp_hdr_peek(tmp, len, &l) == EINVAL, "a length over SP_MAXMSG");
	memcpy(tmp, buf, len);
	tmp[20] = 0xff;			/* 255 regions */
	ok(sp_msg_parse(tmp, len, &m) == EINVAL, "too many regions");
	memcpy(tmp, buf, len);
	memset(tmp + SP_HDRSIZE + 64 + 8, 0xff, 8);	/* region len 2^64-1 */
	ok(sp_msg_parse(tmp, len, &m) == EINVAL, "a region of 2^64-1 bytes");
	memcpy(tmp, buf, len);
	tmp[SP_HDRSIZE + 64 + 16] = 3;	/* dir */
	ok(sp_msg_parse(tmp, len, &m) == EINVAL, "a region neither in nor "
	    "out");
	/* Random damage: whatever parses must be consistent with its
	 * length (ASan checks the reads in the fuzz target). */
	srand(7);
	for (i = 0; i < 200000; i++) {
		size_t n = len;

		memcpy(tmp, buf, len);
		tmp[rand() % (int)n] = (uint8_t)rand();
		if (sp_msg_parse(tmp, n, &m) == 0 && (m.h.len != n ||
		    m.nregions > SP_MAXREGIONS))
			bad++;
	}
	ok(bad == 0, "200,000 random one-byte changes: nothing inconsistent "
	    "accepted");
}

int
main(void)
{

	test_syscall();
	test_resp();
	test_others();
	test_hostile();
	return tap_done();
}
