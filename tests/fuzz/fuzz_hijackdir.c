/*
 * fuzz_hijackdir.c: libFuzzer target for librumphijack's decoding of
 * the getdents records a server sends (abi_dirent_out in
 * lib/rumphijack/hijack_abi.c), the one structure the library parses
 * out of server data itself (the messages around it are lib/sp's,
 * fuzzed by fuzz_spmsg).  Every record accepted must lie inside the
 * buffer, move forward, and give a NUL-terminated name that fits.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hijack.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dirent64 de;
	size_t pos = 0, last;
	char *buf;

	/* An exact-size copy, so reading past it is ASan's to catch. */
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	while (pos < size) {
		last = pos;
		if (abi_dirent_out(buf, size, &pos, &de) != 0)
			break;
		if (pos <= last || pos > size ||
		    strnlen(de.d_name, sizeof(de.d_name)) >= sizeof(de.d_name))
			abort();
	}
	free(buf);
	return 0;
}
