/*
 * sp_msg.h: the sysproxy wire format (docs/sysproxy.md), host side,
 * shared by the server (hyp/posix) and librumpclient.
 *
 * sp_msg_parse() checks a whole received message (header and body,
 * every count and length against what is really there) and fills a
 * struct sp_msg whose pointers point into the caller's buffer; it
 * returns 0 or EINVAL, and nothing else may be trusted first.
 * sp_hdr_peek() reads just enough of a header to know how many bytes
 * to receive.  The sp_build_*() functions write a message into a
 * buffer and return its length (0: the buffer is too small).
 * No state, no locking.
 */
#ifndef _LIB_SP_SP_MSG_H_
#define _LIB_SP_SP_MSG_H_

#include <stddef.h>
#include <stdint.h>

#define SP_VERSION	1
#define SP_HDRSIZE	24
#define SP_MAXDATA	(16u * 1024 * 1024)	/* a region, all regions */
#define SP_MAXMSG	(SP_MAXDATA + 65536u)
#define SP_NARGS	8
#define SP_MAXREGIONS	64
#define SP_MAXBANNER	64
#define SP_MAXHSBODY	256
#define SP_COOKIELEN	16

enum sp_type {
	SP_BANNER = 1, SP_HANDSHAKE, SP_SYSCALL, SP_RESP, SP_COPYIN,
	SP_COPYIN_RESP, SP_COPYOUT, SP_COPYOUT_RESP, SP_FORKREQ, SP_SIGNAL,
	SP_ABORT, SP_NTYPES
};

/* SP_HANDSHAKE kinds (b) */
#define SP_HS_NEW	1
#define SP_HS_FORK	2
#define SP_HS_EXEC	3

/* SP_SIGNAL numbers are the kernel's (NetBSD's) */
#define SP_SIGPIPE	13

/* region directions */
#define SP_IN		1
#define SP_OUT		2

struct sp_hdr {
	uint32_t	len;		/* whole message */
	uint16_t	type;
	uint16_t	flags;
	uint64_t	reqno;
	uint32_t	a, b;
};

struct sp_region {
	uint64_t	uaddr;
	uint64_t	len;
	uint32_t	dir;		/* SP_IN, SP_OUT; replies: SP_IN */
	const uint8_t	*data;		/* SP_IN: len bytes */
};

struct sp_msg {
	struct sp_hdr	h;
	uint64_t	args[SP_NARGS];		/* SP_SYSCALL */
	uint64_t	rv[2];			/* SP_RESP */
	uint32_t	nregions;		/* SP_SYSCALL, SP_RESP */
	struct sp_region region[SP_MAXREGIONS];
	uint64_t	uaddr, ulen;		/* SP_COPYIN, SP_COPYOUT */
	const uint8_t	*body;			/* the rest (banner, handshake,
						   copy data) */
	size_t		bodylen;
};

/* 0 and *len: a header of a message of *len bytes follows; EINVAL. */
int	sp_hdr_peek(const uint8_t *buf, size_t n, uint32_t *len);
int	sp_msg_parse(const uint8_t *buf, size_t len, struct sp_msg *);

size_t	sp_build_simple(uint8_t *buf, size_t cap, enum sp_type, uint64_t reqno,
	    uint32_t a, uint32_t b, const void *body, size_t bodylen);
size_t	sp_build_syscall(uint8_t *buf, size_t cap, uint64_t reqno,
	    uint32_t sysno, const uint64_t args[SP_NARGS],
	    const struct sp_region *, uint32_t nregions);
size_t	sp_build_resp(uint8_t *buf, size_t cap, uint64_t reqno,
	    uint32_t error, const uint64_t rv[2], const struct sp_region *,
	    uint32_t nregions);
/* Set the reqno of a message built with sp_build_*() (whose len is
 * at least SP_HDRSIZE): a client numbers a request when it sends it. */
void	sp_set_reqno(uint8_t *buf, uint64_t reqno);
size_t	sp_build_copy(uint8_t *buf, size_t cap, enum sp_type, uint64_t reqno,
	    uint64_t uaddr, uint64_t ulen, const void *data);

/*
 * sp_io.c, on a stream socket: sp_write_full() sends all of buf;
 * sp_recv() receives one message into *bufp (grown with realloc,
 * *capp its size; start with NULL and 0, free when done) and parses it
 * into m.  Both return 0 or an errno: EIO for a closed connection or a
 * malformed message, ENOMEM.
 */
int	sp_write_full(int fd, const void *buf, size_t len);
int	sp_recv(int fd, uint8_t **bufp, size_t *capp, struct sp_msg *);

#endif /* _LIB_SP_SP_MSG_H_ */
