/*
 * fuzz_spmsg.c: libFuzzer target for the sysproxy message parser
 * (lib/sp/sp_msg.c), the first code a server runs on what a client
 * sends.  Whatever parses is re-encoded and must parse to the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/sp/sp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t out[SP_MAXMSG];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_msg m, m2;
	size_t len = 0;

	if (sp_msg_parse(data, size, &m) != 0)
		return 0;
	switch (m.h.type) {
	case SP_SYSCALL:
		len = sp_build_syscall(out, sizeof(out), m.h.reqno, m.h.a,
		    m.args, m.region, m.nregions);
		break;
	case SP_RESP:
		len = sp_build_resp(out, sizeof(out), m.h.reqno, m.h.a, m.rv,
		    m.region, m.nregions);
		break;
	default:
		return 0;
	}
	/* Padding may differ (it is not checked): compare by parsing. */
	if (len == 0 || sp_msg_parse(out, len, &m2) != 0 ||
	    m2.nregions != m.nregions || memcmp(m2.args, m.args,
	    sizeof(m.args)) != 0)
		abort();
	return 0;
}
