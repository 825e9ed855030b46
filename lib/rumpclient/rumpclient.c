/*
 * rumpclient.c: librumpclient, the client side of sysproxy (remote
 * system calls, docs/sysproxy.md), host code.
 *
 * Interface (<rump/rumpclient.h>): rumpclient_init() connects to
 * $RUMP_SERVER (unix://path or tcp://a.b.c.d:port), checks the banner
 * and does the handshake ($RUMP_SERVER_SECRET, if set, is the secret);
 * rumpclient_syscall() marshals one call from the table generated from
 * syscalls.master (lib/sp/sp_calls.h): what the kernel will read goes
 * with the request as SP_IN regions, what it may write is declared as
 * SP_OUT regions, and the reply's data is copied back only inside
 * those.  The generated rump_sys_* stubs ($(O)/gen/rumpclient_syscalls.c)
 * call it.  Errors the server sends are kernel (BSD) numbers; errtohost()
 * is the one place they become the host's.
 *
 * Locking: each connection's mutex (struct conn) is held across a
 * whole request, from sending it to its reply, so threads sharing a
 * connection are served one after the other; a thread in a child
 * process of its own (rump_lwproc_rfork) has its own connection.
 * Several requests in flight on one connection (each with its reqno,
 * as the protocol allows) come later, as does a reconnect policy: a
 * broken connection stays broken and every call gets EIO.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rump/rumpdefs.h>
#include <rump/rumpclient.h>

#include "../sp/sp_calls.h"
#include "../sp/sp_msg.h"

#define PAD8(n)		(((n) + 7) & ~(uint64_t)7)
#define BANNER_PREFIX	"RUMPSP-1 "

/*
 * A connection to the server is a kernel process there.  The process's
 * own is sc_main (rumpclient_init); a thread that called
 * rump_lwproc_rfork has a child's connection of its own (sc_cur) until
 * rump_lwproc_releaselwp, so one thread's blocking call in its process
 * does not hold up another thread in another process.
 * Locking: c_lock over the connection's fields and a whole request.
 */
struct conn {
	pthread_mutex_t	c_lock;
	int		c_fd;		/* -1: none */
	bool		c_broken;	/* it was, and broke */
	uint64_t	c_reqno;	/* last request number used */
	struct conn	*c_parent;	/* c: whose child (rfork) */
};
static struct conn sc_main = { PTHREAD_MUTEX_INITIALIZER, -1, false, 0,
    NULL };
static __thread struct conn *sc_cur;	/* this thread's child, if any */

static struct conn *
cur_conn(void)
{

	return sc_cur != NULL ? sc_cur : &sc_main;
}

/*
 * Kernel errno -> host errno, indexed by the RUMP_E* numbers.  The
 * kernel-only ones go to the nearest host error (as hyp/posix does).
 */
static const int errtab[RUMP_ELAST + 1] = {
	[RUMP_EPERM] = EPERM, [RUMP_ENOENT] = ENOENT, [RUMP_ESRCH] = ESRCH,
	[RUMP_EINTR] = EINTR, [RUMP_EIO] = EIO, [RUMP_ENXIO] = ENXIO,
	[RUMP_E2BIG] = E2BIG, [RUMP_ENOEXEC] = ENOEXEC, [RUMP_EBADF] = EBADF,
	[RUMP_ECHILD] = ECHILD, [RUMP_EDEADLK] = EDEADLK,
	[RUMP_ENOMEM] = ENOMEM, [RUMP_EACCES] = EACCES, [RUMP_EFAULT] = EFAULT,
	[RUMP_ENOTBLK] = ENOTBLK, [RUMP_EBUSY] = EBUSY, [RUMP_EEXIST] = EEXIST,
	[RUMP_EXDEV] = EXDEV, [RUMP_ENODEV] = ENODEV,
	[RUMP_ENOTDIR] = ENOTDIR, [RUMP_EISDIR] = EISDIR,
	[RUMP_EINVAL] = EINVAL, [RUMP_ENFILE] = ENFILE, [RUMP_EMFILE] = EMFILE,
	[RUMP_ENOTTY] = ENOTTY, [RUMP_ETXTBSY] = ETXTBSY, [RUMP_EFBIG] = EFBIG,
	[RUMP_ENOSPC] = ENOSPC, [RUMP_ESPIPE] = ESPIPE, [RUMP_EROFS] = EROFS,
	[RUMP_EMLINK] = EMLINK, [RUMP_EPIPE] = EPIPE, [RUMP_EDOM] = EDOM,
	[RUMP_ERANGE] = ERANGE, [RUMP_EAGAIN] = EAGAIN,
	[RUMP_EINPROGRESS] = EINPROGRESS, [RUMP_EALREADY] = EALREADY,
	[RUMP_ENOTSOCK] = ENOTSOCK, [RUMP_EDESTADDRREQ] = EDESTADDRREQ,
	[RUMP_EMSGSIZE] = EMSGSIZE, [RUMP_EPROTOTYPE] = EPROTOTYPE,
	[RUMP_ENOPROTOOPT] = ENOPROTOOPT,
	[RUMP_EPROTONOSUPPORT] = EPROTONOSUPPORT,
	[RUMP_ESOCKTNOSUPPORT] = ESOCKTNOSUPPORT,
	[RUMP_EOPNOTSUPP] = EOPNOTSUPP, [RUMP_EPFNOSUPPORT] = EPFNOSUPPORT,
	[RUMP_EAFNOSUPPORT] = EAFNOSUPPORT, [RUMP_EADDRINUSE] = EADDRINUSE,
	[RUMP_EADDRNOTAVAIL] = EADDRNOTAVAIL, [RUMP_ENETDOWN] = ENETDOWN,
	[RUMP_ENETUNREACH] = ENETUNREACH, [RUMP_ENETRESET] = ENETRESET,
	[RUMP_ECONNABORTED] = ECONNABORTED, [RUMP_ECONNRESET] = ECONNRESET,
	[RUMP_ENOBUFS] = ENOBUFS, [RUMP_EISCONN] = EISCONN,
	[RUMP_ENOTCONN] = ENOTCONN, [RUMP_ESHUTDOWN] = ESHUTDOWN,
	[RUMP_ETOOMANYREFS] = ETOOMANYREFS, [RUMP_ETIMEDOUT] = ETIMEDOUT,
	[RUMP_ECONNREFUSED] = ECONNREFUSED, [RUMP_ELOOP] = ELOOP,
	[RUMP_ENAMETOOLONG] = ENAMETOOLONG, [RUMP_EHOSTDOWN] = EHOSTDOWN,
	[RUMP_EHOSTUNREACH] = EHOSTUNREACH, [RUMP_ENOTEMPTY] = ENOTEMPTY,
	[RUMP_EPROCLIM] = EAGAIN, [RUMP_EUSERS] = EUSERS,
	[RUMP_EDQUOT] = EDQUOT, [RUMP_ESTALE] = ESTALE, [RUMP_ENOLCK] = ENOLCK,
	[RUMP_ENOSYS] = ENOSYS, [RUMP_EFTYPE] = EMEDIUMTYPE,
	[RUMP_EAUTH] = EACCES, [RUMP_EIDRM] = EIDRM, [RUMP_ENOMSG] = ENOMSG,
	[RUMP_EOVERFLOW] = EOVERFLOW, [RUMP_EILSEQ] = EILSEQ,
	[RUMP_ENOTSUP] = EOPNOTSUPP, [RUMP_ECANCELED] = ECANCELED,
	[RUMP_EBADMSG] = EBADMSG, [RUMP_ENODATA] = ENODATA,
	[RUMP_ETIME] = ETIME, [RUMP_ENOATTR] = ENODATA, [RUMP_EPROTO] = EPROTO,
};

/* An error number from the server; one it has no business sending: EIO. */
static int
errtohost(uint32_t kerr)
{

	if (kerr == 0)
		return 0;
	if (kerr > RUMP_ELAST || errtab[kerr] == 0)
		return EIO;
	return errtab[kerr];
}

/* Drop the connection after a failure; later calls get EIO. */
static void
conn_break(struct conn *c)
{

	if (c->c_fd >= 0)
		close(c->c_fd);
	c->c_fd = -1;
	c->c_broken = true;
}

/*
 * Receive one message and check it whole with the codec: 0 and *bufp
 * (malloc'd, which m points into; the caller frees it), or EIO for a
 * closed connection or a malformed message.
 */
static int
recv_msg(int fd, uint8_t **bufp, struct sp_msg *m)
{
	size_t cap = 0;
	int error;

	*bufp = NULL;
	if ((error = sp_recv(fd, bufp, &cap, m)) != 0) {
		free(*bufp);
		*bufp = NULL;
	}
	return error;
}

/* Connect to a unix://path or tcp://a.b.c.d:port URL: 0 or an errno. */
static int
url_connect(const char *url, int *fdp)
{
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	const char *p, *colon;
	char addr[INET_ADDRSTRLEN];
	unsigned long port;
	char *end;
	int fd;

	if (strncmp(url, "unix://", 7) == 0) {
		/* unix://rel/path or unix:///abs/path */
		p = url + 7;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (*p == '\0' || strlen(p) >= sizeof(sun.sun_path))
			return EINVAL;
		strcpy(sun.sun_path, p);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return errno;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			goto fail;
		*fdp = fd;
		return 0;
	}
	if (strncmp(url, "tcp://", 6) != 0)
		return EINVAL;
	p = url + 6;
	if ((colon = strrchr(p, ':')) == NULL ||
	    (size_t)(colon - p) >= sizeof(addr))
		return EINVAL;
	memcpy(addr, p, (size_t)(colon - p));
	addr[colon - p] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port == 0 ||
	    port > 65535)
		return EINVAL;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return EINVAL;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		goto fail;
	*fdp = fd;
	return 0;
 fail:
	{
		int error = errno;

		close(fd);
		return error;
	}
}

/*
 * Banner and handshake on a fresh connection: 0 or an errno.  A fork's
 * handshake (cookie not NULL) adopts the process the server parked.
 */
static int
handshake(int fd, const uint8_t *cookie)
{
	uint8_t out[SP_HDRSIZE + SP_MAXHSBODY], body[SP_MAXHSBODY], *buf;
	const char *secret;
	struct sp_msg m;
	size_t len, slen = 0, clen = cookie != NULL ? SP_COOKIELEN : 0;
	int error;

	if ((error = recv_msg(fd, &buf, &m)) != 0)
		return error;
	if (m.h.type != SP_BANNER || m.bodylen < strlen(BANNER_PREFIX) ||
	    memcmp(m.body, BANNER_PREFIX, strlen(BANNER_PREFIX)) != 0) {
		/* Not a server of our protocol version: do not talk on. */
		free(buf);
		return EPROTO;
	}
	free(buf);
	secret = getenv("RUMP_SERVER_SECRET");
	if (secret != NULL && (slen = strlen(secret)) > SP_MAXHSBODY - clen)
		return EINVAL;
	if (clen > 0)
		memcpy(body, cookie, clen);
	if (slen > 0)
		memcpy(body + clen, secret, slen);
	len = sp_build_simple(out, sizeof(out), SP_HANDSHAKE, 0, SP_VERSION,
	    cookie != NULL ? SP_HS_FORK : SP_HS_NEW, body, clen + slen);
	if (len == 0)
		return EINVAL;
	if ((error = sp_write_full(fd, out, len)) != 0)
		return error;
	if ((error = recv_msg(fd, &buf, &m)) != 0)
		return error;
	if (m.h.type != SP_RESP)
		error = EPROTO;
	else
		error = errtohost(m.h.a);
	free(buf);
	return error;
}

int
rumpclient_init(void)
{
	const char *url;
	int fd = -1, error;

	if ((url = getenv("RUMP_SERVER")) == NULL) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&sc_main.c_lock);
	/* A second init starts over on a new connection. */
	if (sc_main.c_fd >= 0)
		close(sc_main.c_fd);
	sc_main.c_fd = -1;
	sc_main.c_broken = false;
	if ((error = url_connect(url, &fd)) == 0) {
		if ((error = handshake(fd, NULL)) == 0)
			sc_main.c_fd = fd;
		else
			close(fd);
	}
	pthread_mutex_unlock(&sc_main.c_lock);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* The regions of one call, and what the reply may write. */
struct marshal {
	struct sp_region	reg[SP_MAXREGIONS];
	uint32_t		nreg;
	uint64_t		insum, outsum;
};

static int
addreg(struct marshal *ms, uint64_t uaddr, uint64_t len, uint32_t dir,
    const void *data)
{
	struct sp_region *r;

	/* Nothing to carry; the kernel's zero-length copies need no room. */
	if (len == 0)
		return 0;
	if (ms->nreg >= SP_MAXREGIONS || len > SP_MAXDATA)
		return EINVAL;
	if (dir == SP_IN) {
		ms->insum += len;
		if (ms->insum > SP_MAXDATA)
			return EINVAL;
	} else {
		ms->outsum += len;
		if (ms->outsum > SP_MAXDATA)
			return EINVAL;
	}
	r = &ms->reg[ms->nreg++];
	r->uaddr = uaddr;
	r->len = len;
	r->dir = dir;
	r->data = data;
	return 0;
}

/* Bytes of a counted argument: 0 or an errno (too big to carry). */
static int
spec_len(const struct sp_argspec *s, const uint64_t *args, uint64_t *lenp)
{
	uint64_t count;

	switch (s->as_count) {
	case SP_N_ONE:
		count = 1;
		break;
	case SP_N_CONST:
		count = s->as_nconst;
		break;
	case SP_N_ARG:
		count = args[s->as_countarg];
		break;
	case SP_N_DEREF:
		/* What the count argument points at, here, a rump_size_t. */
		if (args[s->as_countarg] == 0)
			count = 0;
		else
			count = *(const rump_size_t *)(uintptr_t)
			    args[s->as_countarg];
		break;
	default:
		return EINVAL;
	}
	if (s->as_size != 0 && count > SP_MAXDATA / s->as_size)
		return EINVAL;
	*lenp = count * s->as_size;
	return 0;
}

static int
marshal_call(const struct sp_call *c, const uint64_t *args,
    struct marshal *ms)
{
	const struct sp_argspec *s;
	const struct rump_iovec *iov;
	uint64_t ptr, len, i;
#ifdef SP_IOC_IN
	uint64_t cmd;
#endif
	size_t slen;
	int k, error;

	for (k = 0; k < c->sc_nspecs; k++) {
		s = &c->sc_spec[k];
		if (s->as_arg >= SP_NARGS || s->as_countarg >= SP_NARGS)
			return EINVAL;
		if ((ptr = args[s->as_arg]) == 0)
			continue;
		if (s->as_kind == SP_A_FCNTL) {
			/* fcntl's arg is a struct rump_flock only for the
			 * lock commands; otherwise a value, no region. */
			if (!SP_FCNTL_ISLOCK(args[s->as_countarg]))
				continue;
			error = addreg(ms, ptr, s->as_size, SP_IN,
			    (const void *)(uintptr_t)ptr);
			if (error == 0)
				error = addreg(ms, ptr, s->as_size, SP_OUT,
				    NULL);
			if (error != 0)
				return error;
			continue;
		}
		switch (s->as_kind) {
		case SP_A_STR:
			slen = strnlen((const char *)(uintptr_t)ptr,
			    SP_MAXDATA);
			if (slen >= SP_MAXDATA)
				return ENAMETOOLONG;
			error = addreg(ms, ptr, slen + 1, SP_IN,
			    (const void *)(uintptr_t)ptr);
			break;
		case SP_A_IN:
		case SP_A_OUT:
		case SP_A_INOUT:
			if ((error = spec_len(s, args, &len)) != 0)
				return error;
			error = 0;
			if (s->as_kind != SP_A_OUT)
				error = addreg(ms, ptr, len, SP_IN,
				    (const void *)(uintptr_t)ptr);
			/* INOUT: sent in, and declared out at the same place
			 * (docs/sysproxy.md, "In-out arguments"). */
			if (error == 0 && s->as_kind != SP_A_IN)
				error = addreg(ms, ptr, len, SP_OUT, NULL);
			break;
		case SP_A_IOVIN:
		case SP_A_IOVOUT:
			if (s->as_count != SP_N_ARG)
				return EINVAL;
			if ((int64_t)args[s->as_countarg] < 0 ||
			    args[s->as_countarg] > RUMP_IOV_MAX)
				return EINVAL;
			if ((error = spec_len(s, args, &len)) != 0)
				return error;
			iov = (const struct rump_iovec *)(uintptr_t)ptr;
			error = addreg(ms, ptr, len, SP_IN, iov);
			for (i = 0; error == 0 &&
			    i < args[s->as_countarg]; i++) {
				if (iov[i].iov_base == NULL)
					continue;
				error = addreg(ms,
				    (uint64_t)(uintptr_t)iov[i].iov_base,
				    iov[i].iov_len, s->as_kind == SP_A_IOVIN ?
				    SP_IN : SP_OUT, iov[i].iov_base);
			}
			break;
#ifdef SP_IOC_IN
		case SP_A_IOCTL:
			/*
			 * The command says how big the data is and which
			 * way it goes (BSD encoding); both ways: in-out,
			 * sent as two regions like [inout].
			 */
			cmd = args[s->as_countarg];
			len = SP_IOCPARM_LEN(cmd);
			error = 0;
			if (cmd & SP_IOC_IN)
				error = addreg(ms, ptr, len, SP_IN,
				    (const void *)(uintptr_t)ptr);
			if (error == 0 && (cmd & SP_IOC_OUT))
				error = addreg(ms, ptr, len, SP_OUT, NULL);
			break;
#else
		case SP_A_ASK:
			/* Needs SP_COPYIN round trips, which come later. */
			return EOPNOTSUPP;
#endif
		default:
			return EINVAL;
		}
		if (error != 0)
			return error;
	}
	return 0;
}

/* Does [uaddr, uaddr + len) lie inside a region we declared SP_OUT? */
static bool
inside_out(const struct marshal *ms, uint64_t uaddr, uint64_t len)
{
	const struct sp_region *r;
	uint32_t i;

	for (i = 0; i < ms->nreg; i++) {
		r = &ms->reg[i];
		if (r->dir == SP_OUT && uaddr >= r->uaddr &&
		    uaddr - r->uaddr <= r->len &&
		    len <= r->len - (uaddr - r->uaddr))
			return true;
	}
	return false;
}

/*
 * Read messages until our reply, answering the server's copy requests
 * (refused for now).  Called with c->c_lock held.  0 and *error = the
 * call's host errno, or EIO (protocol error or lost connection: the
 * caller breaks the connection).
 */
static int
await_reply(struct conn *c, uint64_t reqno, const struct marshal *ms,
    uint64_t rv[2], int *callerr)
{
	uint8_t *buf, out[SP_HDRSIZE];
	struct sp_msg m;
	uint32_t i;
	size_t len;
	int error;

	for (;;) {
		if ((error = recv_msg(c->c_fd, &buf, &m)) != 0)
			return EIO;
		if (m.h.reqno != reqno && m.h.type != SP_SIGNAL) {
			free(buf);
			return EIO;
		}
		switch (m.h.type) {
		case SP_RESP:
			/*
			 * Check every region before writing any: a server
			 * that writes where we did not ask is broken or
			 * hostile, and the call fails as a whole.
			 */
			for (i = 0; i < m.nregions; i++) {
				if (!inside_out(ms, m.region[i].uaddr,
				    m.region[i].len)) {
					free(buf);
					return EIO;
				}
			}
			for (i = 0; i < m.nregions; i++)
				memcpy((void *)(uintptr_t)m.region[i].uaddr,
				    m.region[i].data, (size_t)m.region[i].len);
			rv[0] = m.rv[0];
			rv[1] = m.rv[1];
			*callerr = errtohost(m.h.a);
			free(buf);
			return 0;
		case SP_COPYIN:
		case SP_COPYOUT:
			/* No copy round trips yet: the kernel sees EFAULT. */
			len = sp_build_simple(out, sizeof(out),
			    m.h.type == SP_COPYIN ? SP_COPYIN_RESP :
			    SP_COPYOUT_RESP, reqno, RUMP_EFAULT, 0, NULL, 0);
			free(buf);
			if (len == 0 || sp_write_full(c->c_fd, out, len) != 0)
				return EIO;
			break;
		case SP_SIGNAL:
			/* Signal delivery comes later; dropped for now. */
			free(buf);
			break;
		default:
			free(buf);
			return EIO;
		}
	}
}

int
rumpclient_syscall(int num, const uint64_t args[8], int nargs,
    uint64_t rv[2])
{
	const struct sp_call *c;
	struct conn *cn;
	struct marshal ms;
	uint64_t a[SP_NARGS] = { 0 }, mlen, reqno;
	uint8_t *msg;
	uint32_t i;
	size_t len;
	int error, callerr = 0;

	if (num < 0 || num >= sp_ncalls || sp_calls[num].sc_name == NULL)
		return ENOSYS;
	c = &sp_calls[num];
	if (nargs < 0 || nargs > SP_NARGS || (nargs > 0 && args == NULL))
		return EINVAL;
	if (nargs > 0)
		memcpy(a, args, (size_t)nargs * sizeof(a[0]));
	memset(&ms, 0, sizeof(ms));
	if ((error = marshal_call(c, a, &ms)) != 0)
		return error;

	mlen = SP_HDRSIZE + 8 * SP_NARGS + (uint64_t)ms.nreg * 24;
	for (i = 0; i < ms.nreg; i++)
		if (ms.reg[i].dir == SP_IN)
			mlen += PAD8(ms.reg[i].len);
	if (mlen > SP_MAXMSG)
		return EINVAL;
	if ((msg = malloc((size_t)mlen)) == NULL)
		return ENOMEM;

	cn = cur_conn();
	pthread_mutex_lock(&cn->c_lock);
	if (cn->c_fd < 0) {
		error = cn->c_broken ? EIO : ENOTCONN;
		goto out;
	}
	reqno = ++cn->c_reqno;
	len = sp_build_syscall(msg, (size_t)mlen, reqno, (uint32_t)num, a,
	    ms.reg, ms.nreg);
	if (len == 0) {
		error = EINVAL;
		goto out;
	}
	if ((error = sp_write_full(cn->c_fd, msg, len)) != 0 ||
	    (error = await_reply(cn, reqno, &ms, rv, &callerr)) != 0) {
		conn_break(cn);
		error = EIO;
		goto out;
	}
	error = callerr;
 out:
	pthread_mutex_unlock(&cn->c_lock);
	free(msg);
	return error;
}

/*
 * rump_lwproc_rfork, remotely: the server gives the calling thread's
 * process a child (SP_FORKREQ) and a new connection adopts it; the
 * thread's calls go to the child until rump_lwproc_releaselwp() closes
 * that connection (the child exits) and returns to the parent's.  As
 * in the local API it is this thread's, not the whole client's.
 */
int
rump_lwproc_rfork(int flags)
{
	uint8_t out[SP_HDRSIZE], *buf = NULL, cookie[SP_COOKIELEN];
	const char *url = getenv("RUMP_SERVER");
	struct conn *c = cur_conn(), *nc;
	struct sp_msg m;
	uint64_t reqno;
	size_t len;
	int fd = -1, error;

	if (url == NULL) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&c->c_lock);
	if (c->c_fd < 0) {
		error = c->c_broken ? EIO : ENOTCONN;
		goto out;
	}
	reqno = ++c->c_reqno;
	len = sp_build_simple(out, sizeof(out), SP_FORKREQ, reqno,
	    (uint32_t)flags, 0, NULL, 0);
	if ((error = sp_write_full(c->c_fd, out, len)) != 0 ||
	    (error = recv_msg(c->c_fd, &buf, &m)) != 0 ||
	    m.h.type != SP_RESP || m.h.reqno != reqno) {
		conn_break(c);
		error = EIO;
		goto out;
	}
	if ((error = errtohost(m.h.a)) != 0)
		goto out;
	if (m.nregions != 1 || m.region[0].len != SP_COOKIELEN) {
		error = EIO;
		goto out;
	}
	memcpy(cookie, m.region[0].data, SP_COOKIELEN);
 out:
	pthread_mutex_unlock(&c->c_lock);
	free(buf);
	if (error == 0 && (error = url_connect(url, &fd)) == 0 &&
	    (error = handshake(fd, cookie)) != 0)
		close(fd);
	if (error == 0 && (nc = calloc(1, sizeof(*nc))) == NULL) {
		close(fd);
		error = ENOMEM;
	}
	if (error) {
		errno = error;
		return -1;
	}
	pthread_mutex_init(&nc->c_lock, NULL);
	nc->c_fd = fd;
	nc->c_parent = c;
	sc_cur = nc;
	return 0;
}

void
rump_lwproc_releaselwp(void)
{
	struct conn *c = sc_cur;

	if (c == NULL)
		return;		/* the process's own connection stays */
	if (c->c_fd >= 0) {
		/* The child exits when the server sees the end of its
		 * connection, and closes its side after that: wait for it,
		 * so that what the child held (descriptors, locks) is gone
		 * when this returns, as it is locally. */
		char junk[64];

		(void)shutdown(c->c_fd, SHUT_WR);
		while (read(c->c_fd, junk, sizeof(junk)) > 0)
			;
		close(c->c_fd);
	}
	sc_cur = c->c_parent == &sc_main ? NULL : c->c_parent;
	pthread_mutex_destroy(&c->c_lock);
	free(c);
}

/*
 * The fork, exec and reconnect interface (<rump/rumpclient.h>); what
 * they do is being built on this branch, for now they refuse.
 */
struct rumpclient_fork {
	uint8_t	rf_cookie[SP_COOKIELEN];
};

int
rumpclient_prefork(struct rumpclient_fork **rpf)
{

	*rpf = NULL;
	errno = ENOSYS;
	return -1;
}

int
rumpclient_fork_init(struct rumpclient_fork *rpf)
{

	free(rpf);
	errno = ENOSYS;
	return -1;
}

void
rumpclient_fork_cancel(struct rumpclient_fork *rpf)
{

	free(rpf);
}

pid_t
rumpclient_fork(void)
{

	errno = ENOSYS;
	return -1;
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{

	(void)path;
	(void)argv;
	(void)envp;
	errno = ENOSYS;
	return -1;
}

int
rumpclient_setconnretry(time_t timeout)
{

	if (timeout != RUMPCLIENT_RETRYCONN_NONE) {
		errno = timeout < RUMPCLIENT_RETRYCONN_INFTIME ? EINVAL :
		    ENOSYS;
		return -1;
	}
	return 0;
}
