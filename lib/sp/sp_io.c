/*
 * sp_io.c: moving whole sysproxy messages over a stream socket, for
 * rump_server and librumpclient alike (see sp_msg.h).  Writes use
 * MSG_NOSIGNAL, so a peer that went away is EIO, never SIGPIPE.
 */
#include <sys/socket.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sp_msg.h"

int
sp_write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
read_full(int fd, uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
sp_recv(int fd, uint8_t **bufp, size_t *capp, struct sp_msg *m)
{
	uint8_t hdr[SP_HDRSIZE], *nb;
	uint32_t len;

	if (read_full(fd, hdr, sizeof(hdr)) != 0 ||
	    sp_hdr_peek(hdr, sizeof(hdr), &len) != 0)
		return EIO;
	if (len > *capp) {
		if ((nb = realloc(*bufp, len)) == NULL)
			return ENOMEM;
		*bufp = nb;
		*capp = len;
	}
	memcpy(*bufp, hdr, sizeof(hdr));
	if (read_full(fd, *bufp + SP_HDRSIZE, len - SP_HDRSIZE) != 0 ||
	    sp_msg_parse(*bufp, len, m) != 0)
		return EIO;
	return 0;
}
