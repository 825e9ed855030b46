/*
 * rumpclient.c: librumpclient, the client side of sysproxy (remote
 * system calls, docs/sysproxy.md), host code.
 *
 * Interface (<rump/rumpclient.h>, rumpclient(3)): rumpclient_init()
 * connects to $RUMP_SERVER (unix://path or tcp://a.b.c.d:port), checks
 * the banner and does the handshake ($RUMP_SERVER_SECRET, if set, is
 * the secret); in a program that rumpclient_exec() started, it takes
 * over the connection the old image left open instead.
 * rumpclient_syscall() marshals one call from the table generated from
 * syscalls.master (lib/sp/sp_calls.h): what the kernel will read goes
 * with the request as SP_IN regions, what it may write is declared as
 * SP_OUT regions, and the reply's data is copied back only inside
 * those.  The generated rump_sys_* stubs ($(O)/gen/rumpclient_syscalls.c)
 * call it.  rumpclient_prefork/fork_init/fork_cancel, rumpclient_exec
 * and rumpclient_setconnretry: fork, exec and reconnection.  Errors and
 * signals the server sends are in the kernel's (BSD) numbering;
 * errtohost() and sigtohost() are the one place they become the host's.
 *
 * Several calls in flight on one connection: each request has its own
 * reqno and a struct req on its caller's stack, listed on the
 * connection until its reply comes.  There is no reader thread: one
 * waiting caller at a time has the reader role (c_reading), reads whole
 * messages and hands each reply to its caller, waking it on its own
 * condition variable; when its own reply has come it passes the role
 * to another waiter.  Nobody busy-waits.
 *
 * Locking, per connection (struct conn): c_wlock over sending a whole
 * message; c_rlock over receiving one, taken only once the socket is
 * readable, so that whoever holds it knows no message is half read
 * (exec relies on it); c_lock over the fields and the request list.
 * Order: c_wlock, c_rlock, c_lock, then conns_lock.  A connection's
 * descriptor is closed only when no thread uses it outside c_lock
 * (c_users), so its number is never reused under a reader or writer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpdefs.h>
#include <rump/rumpclient.h>

#include "../sp/sp_calls.h"
#include "../sp/sp_msg.h"

#define PAD8(n)		(((n) + 7) & ~(uint64_t)7)
#define BANNER_PREFIX	"RUMPSP-1 "
/* How an exec'd image finds the connection its old image left open. */
#define EXECFD_ENV	"RUMPCLIENT__EXECFD"
/* The exec handshake's request number: never one of a call's. */
#define EXEC_REQNO	0

/*
 * A request waiting for its reply, on its caller's stack.
 * Locking: its connection's c_lock; r_reqno is constant once listed.
 */
struct req {
	struct req	*r_next, *r_prev;	/* on c_reqs */
	uint64_t	r_reqno;
	pthread_cond_t	r_cv;		/* done, or the reader role is free */
	bool		r_done;
	int		r_error;	/* EIO: no reply will come */
	uint8_t		*r_buf;		/* the reply, malloc'd ... */
	struct sp_msg	r_msg;		/* ... and parsed (points into r_buf) */
	int		r_sig;		/* a host signal raised by the call */
};

/*
 * A connection to the server is a kernel process there.  The process's
 * own is sc_main (rumpclient_init); a thread that called
 * rump_lwproc_rfork has a child's connection of its own (sc_cur) until
 * rump_lwproc_releaselwp, listed on sc_kids.
 * Locking: l = c_lock, c = constant, k = conns_lock.
 */
struct conn {
	pthread_mutex_t	c_lock;
	pthread_mutex_t	c_wlock;	/* sending one message */
	pthread_mutex_t	c_rlock;	/* receiving one message */
	pthread_cond_t	c_cv;		/* l: c_fd closed, reconnect over */
	int		c_fd;		/* l: -1: none */
	int		c_users;	/* l: threads using c_fd, unlocked */
	bool		c_live;		/* l: it was connected */
	bool		c_broken;	/* l: and broke; c_fd goes, unused */
	bool		c_giveup;	/* l: reconnecting failed for good */
	bool		c_reading;	/* l: a waiter has the reader role */
	bool		c_connecting;	/* l: a thread is (re)connecting */
	pid_t		c_pid;		/* l: the host process it is for */
	uint64_t	c_reqno;	/* l: last request number used */
	struct req	*c_reqs;	/* l: requests awaiting replies */
	struct conn	*c_parent;	/* c: whose child (rfork) */
	struct conn	*c_next;	/* k: on sc_kids */
};

static struct conn sc_main = {
	.c_lock = PTHREAD_MUTEX_INITIALIZER,
	.c_wlock = PTHREAD_MUTEX_INITIALIZER,
	.c_rlock = PTHREAD_MUTEX_INITIALIZER,
	.c_cv = PTHREAD_COND_INITIALIZER,
	.c_fd = -1,
};
static __thread struct conn *sc_cur;	/* this thread's child, if any */

/* Locking: conns_lock over these. */
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *sc_kids;		/* the rfork children's connections */

/*
 * Which descriptor numbers are our connections' sockets, for
 * rumpclient_fd_ours(), which must take no lock: a layer that wraps
 * close() (librumphijack) asks it from inside our own calls, with our
 * locks held.  Set when a connection takes a socket, cleared before the
 * socket is closed.  Atomic bit operations, no lock.
 */
#define OURS_MAX	65536
static uint64_t ours_bits[OURS_MAX / 64];

static void
ours_mark(int fd, bool on)
{

	if (fd < 0 || fd >= OURS_MAX)
		return;
	if (on)
		__atomic_fetch_or(&ours_bits[fd / 64], 1ULL << (fd % 64),
		    __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&ours_bits[fd / 64], ~(1ULL << (fd % 64)),
		    __ATOMIC_RELEASE);
}

/* Give connection c the socket fd (-1: none), and close its old one. */
static void
conn_setfd(struct conn *c, int fd)
{
	int old = c->c_fd;

	if (old == fd)
		return;
	if (old >= 0) {
		ours_mark(old, false);
		close(old);
	}
	ours_mark(fd, true);
	c->c_fd = fd;
}
static char *sc_url;			/* $RUMP_SERVER at rumpclient_init */
static time_t sc_retry = RUMPCLIENT_RETRYCONN_NONE;	/* the policy */
static bool sc_retryset;		/* set by rumpclient_setconnretry */

static struct conn *
cur_conn(void)
{

	return sc_cur != NULL ? sc_cur : &sc_main;
}

static void
conn_init(struct conn *c)
{

	pthread_mutex_init(&c->c_lock, NULL);
	pthread_mutex_init(&c->c_wlock, NULL);
	pthread_mutex_init(&c->c_rlock, NULL);
	pthread_cond_init(&c->c_cv, NULL);
	c->c_fd = -1;
	c->c_users = 0;
	c->c_live = c->c_broken = c->c_giveup = false;
	c->c_reading = c->c_connecting = false;
	c->c_reqno = 0;
	c->c_reqs = NULL;
	c->c_parent = c->c_next = NULL;
	c->c_pid = getpid();
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


/*
 * Kernel (NetBSD) signal number -> host signal, for SP_SIGNAL; 0 for
 * one the host lacks (the signal is then dropped).
 */
static int
sigtohost(uint32_t ksig)
{
	static const int tab[] = {
		[1] = SIGHUP, [2] = SIGINT, [3] = SIGQUIT, [4] = SIGILL,
		[5] = SIGTRAP, [6] = SIGABRT, [8] = SIGFPE, [9] = SIGKILL,
		[10] = SIGBUS, [11] = SIGSEGV, [12] = SIGSYS,
		[13] = SIGPIPE, [14] = SIGALRM, [15] = SIGTERM, [16] = SIGURG,
		[17] = SIGSTOP, [18] = SIGTSTP, [19] = SIGCONT,
		[20] = SIGCHLD, [21] = SIGTTIN, [22] = SIGTTOU, [23] = SIGIO,
		[24] = SIGXCPU, [25] = SIGXFSZ, [26] = SIGVTALRM,
		[27] = SIGPROF, [28] = SIGWINCH, [30] = SIGUSR1,
		[31] = SIGUSR2,
	};

	if (ksig >= sizeof(tab) / sizeof(tab[0]))
		return 0;
	return tab[ksig];
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

/* ---- connections ---- */

static void
req_add(struct conn *c, struct req *r)
{

	r->r_prev = NULL;
	if ((r->r_next = c->c_reqs) != NULL)
		r->r_next->r_prev = r;
	c->c_reqs = r;
}

static void
req_remove(struct conn *c, struct req *r)
{

	if (r->r_prev != NULL)
		r->r_prev->r_next = r->r_next;
	else
		c->c_reqs = r->r_next;
	if (r->r_next != NULL)
		r->r_next->r_prev = r->r_prev;
	r->r_next = r->r_prev = NULL;
}

static struct req *
req_find(struct conn *c, uint64_t reqno)
{
	struct req *r;

	for (r = c->c_reqs; r != NULL; r = r->r_next)
		if (r->r_reqno == reqno)
			return r;
	return NULL;
}

/* Close a broken connection's socket once nobody uses it. c_lock held. */
static void
conn_idle(struct conn *c)
{

	if (c->c_broken && c->c_users == 0 && c->c_fd >= 0) {
		conn_setfd(c, -1);
		pthread_cond_broadcast(&c->c_cv);
	}
}

/*
 * The connection failed (lost, or the server broke the protocol): its
 * requests fail with EIO, whoever reads or writes on it stops
 * (shutdown), and its socket goes when they have.  c_lock held.
 */
static void
conn_break(struct conn *c)
{
	struct req *r;

	if (c->c_fd >= 0 && !c->c_broken)
		(void)shutdown(c->c_fd, SHUT_RDWR);
	c->c_broken = true;
	while ((r = c->c_reqs) != NULL) {
		req_remove(c, r);
		r->r_done = true;
		r->r_error = EIO;
		pthread_cond_signal(&r->r_cv);
	}
	conn_idle(c);
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

/* The server's URL (malloc'd), or NULL. */
static char *
server_url(void)
{
	const char *env;
	char *url;

	pthread_mutex_lock(&conns_lock);
	url = sc_url != NULL ? strdup(sc_url) : NULL;
	pthread_mutex_unlock(&conns_lock);
	if (url == NULL && (env = getenv("RUMP_SERVER")) != NULL)
		url = strdup(env);
	return url;
}

/*
 * Banner and handshake on a fresh connection: 0 or an errno.  kind is
 * SP_HS_NEW, or SP_HS_FORK with the cookie of the process the server
 * parked for us.
 */
static int
handshake(int fd, uint32_t kind, const uint8_t *cookie)
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
	    kind, body, clen + slen);
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

/*
 * Move a connection's socket to a high descriptor number, out of the
 * way of the numbers a program picks itself (a shell's "exec 3<", a
 * dup2 onto 5): a program that closes or reuses a number it believes
 * free would otherwise cut our connection.  Best effort: where no high
 * number is free the socket stays where it is.
 */
static int
fd_high(int fd)
{
	struct rlimit rl;
	rlim_t min = 512;
	int nfd;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < min)
		min = rl.rlim_cur / 2;
	if ((int)min <= fd ||
	    (nfd = fcntl(fd, F_DUPFD_CLOEXEC, (int)min)) < 0)
		return fd;
	close(fd);
	return nfd;
}

/* A new connection to the server and its handshake: 0 and *fdp. */
static int
conn_open(uint32_t kind, const uint8_t *cookie, int *fdp)
{
	char *url;
	int fd = -1, error;

	if ((url = server_url()) == NULL)
		return EINVAL;
	if ((error = url_connect(url, &fd)) == 0 &&
	    (error = handshake(fd = fd_high(fd), kind, cookie)) != 0)
		close(fd);
	free(url);
	if (error == 0)
		*fdp = fd;
	return error;
}

/*
 * In a new image after rumpclient_exec: the connection is descriptor
 * fdstr, left open by the old image; announce the exec (SP_HANDSHAKE,
 * SP_HS_EXEC: the server closes the close-on-exec descriptors) and
 * wait for the answer.  Replies to the old image's calls may still
 * come before it: they are dropped (the server sends none after).
 */
static int
exec_adopt(const char *fdstr, int *fdp)
{
	uint8_t out[SP_HDRSIZE], *buf;
	struct sp_msg m;
	struct stat st;
	unsigned long n;
	char *end;
	size_t len;
	int fd, error;

	errno = 0;
	n = strtoul(fdstr, &end, 10);
	if (*fdstr == '\0' || *end != '\0' || errno != 0 || n > INT32_MAX)
		return EBADF;
	fd = (int)n;
	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
		return EBADF;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	len = sp_build_simple(out, sizeof(out), SP_HANDSHAKE, EXEC_REQNO,
	    SP_VERSION, SP_HS_EXEC, NULL, 0);
	if ((error = sp_write_full(fd, out, len)) != 0)
		goto fail;
	for (;;) {
		if ((error = recv_msg(fd, &buf, &m)) != 0)
			goto fail;
		if (m.h.type == SP_RESP && m.h.reqno == EXEC_REQNO)
			break;
		free(buf);
	}
	error = errtohost(m.h.a);
	free(buf);
	if (error != 0)
		goto fail;
	*fdp = fd;
	return 0;
 fail:
	close(fd);
	return error;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The policy says try again: connect anew, as rumpclient_setconnretry
 * says, to a NEW kernel process.  Called with c_lock held, the old
 * socket closed and c_connecting set; 0, or EIO (given up for good).
 */
static int
conn_reconnect(struct conn *c)
{
	uint64_t start = now_ms(), delay = 10;
	struct timespec ts;
	time_t policy;
	int fd = -1, error;

	pthread_mutex_lock(&conns_lock);
	policy = sc_retry;
	pthread_mutex_unlock(&conns_lock);
	pthread_mutex_unlock(&c->c_lock);
	for (;;) {
		if ((error = conn_open(SP_HS_NEW, NULL, &fd)) == 0)
			break;
		if (policy == RUMPCLIENT_RETRYCONN_ONCE || (policy > 0 &&
		    now_ms() - start >= (uint64_t)policy * 1000))
			break;
		/* A server restarting takes a moment: back off to 1 s. */
		ts.tv_sec = (time_t)(delay / 1000);
		ts.tv_nsec = (long)(delay % 1000) * 1000000;
		(void)nanosleep(&ts, NULL);
		if (delay < 1000)
			delay *= 2;
	}
	pthread_mutex_lock(&c->c_lock);
	if (error == 0) {
		conn_setfd(c, fd);
		c->c_broken = false;
		c->c_pid = getpid();
	} else
		c->c_giveup = true;
	return error == 0 ? 0 : EIO;
}

/*
 * Has the server closed an idle connection (EOF waiting, nobody
 * reading)?  Then a request sent on it would be lost with it: with a
 * reconnect policy it had better go to a new connection.
 */
static bool
conn_hungup(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	char b;

	if (poll(&pfd, 1, 0) != 1)
		return false;
	if ((pfd.revents & POLLIN) == 0)
		return true;		/* POLLHUP, POLLERR */
	/* Readable: a message (left for the reader), or the end. */
	n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR);
}

/*
 * Make c usable for a new request: 0, or ENOTCONN (never connected),
 * EIO (broken, and the policy says it stays so).  c_lock held.
 */
static int
conn_ready(struct conn *c)
{
	time_t policy;
	int error;

	for (;;) {
		if (c->c_connecting) {
			pthread_cond_wait(&c->c_cv, &c->c_lock);
			continue;
		}
		pthread_mutex_lock(&conns_lock);
		policy = sc_retry;
		pthread_mutex_unlock(&conns_lock);
		if (c->c_fd >= 0 && !c->c_broken) {
			if (c == &sc_main && !c->c_reading &&
			    policy != RUMPCLIENT_RETRYCONN_NONE &&
			    conn_hungup(c->c_fd)) {
				conn_break(c);
				continue;
			}
			return 0;
		}
		if (!c->c_live)
			return ENOTCONN;
		/* Only the process's own connection comes back; an rfork
		 * child's process is gone with its server. */
		if (c != &sc_main || c->c_giveup ||
		    policy == RUMPCLIENT_RETRYCONN_NONE)
			return EIO;
		if (c->c_fd >= 0) {
			/* The old socket is still in someone's hands. */
			pthread_cond_wait(&c->c_cv, &c->c_lock);
			continue;
		}
		c->c_connecting = true;
		error = conn_reconnect(c);
		c->c_connecting = false;
		pthread_cond_broadcast(&c->c_cv);
		return error;
	}
}

/*
 * Read and dispatch one message, as the holder of the reader role (me
 * is its request).  Called with c_lock held, c_reading clear; returns
 * with c_lock held.
 */
static void
conn_read(struct conn *c, struct req *me)
{
	uint8_t *buf = NULL, out[SP_HDRSIZE];
	struct pollfd pfd;
	struct sp_msg m;
	struct req *r;
	size_t cap = 0, len;
	int fd = c->c_fd, error, sig;

	c->c_reading = true;
	c->c_users++;
	pthread_mutex_unlock(&c->c_lock);
	/* Wait for the first byte without c_rlock: holding it must mean
	 * a message is being read, not that one may come some day. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&c->c_rlock);
	error = sp_recv(fd, &buf, &cap, &m);
	pthread_mutex_unlock(&c->c_rlock);
	if (error == 0 && (m.h.type == SP_COPYIN || m.h.type == SP_COPYOUT)) {
		/* No copy round trips yet: the kernel sees EFAULT. */
		len = sp_build_simple(out, sizeof(out),
		    m.h.type == SP_COPYIN ? SP_COPYIN_RESP : SP_COPYOUT_RESP,
		    m.h.reqno, RUMP_EFAULT, 0, NULL, 0);
		free(buf);
		buf = NULL;
		pthread_mutex_lock(&c->c_wlock);
		error = len == 0 ? EIO : sp_write_full(fd, out, len);
		pthread_mutex_unlock(&c->c_wlock);
	}
	pthread_mutex_lock(&c->c_lock);
	c->c_users--;
	c->c_reading = false;
	if (error != 0) {
		free(buf);
		conn_break(c);
		return;
	}
	if (buf == NULL) {
		conn_idle(c);
		return;
	}
	switch (m.h.type) {
	case SP_RESP:
		if ((r = req_find(c, m.h.reqno)) == NULL) {
			/* A reply to nothing we asked: the server is
			 * broken or hostile. */
			free(buf);
			conn_break(c);
			return;
		}
		req_remove(c, r);
		r->r_buf = buf;
		r->r_msg = m;
		r->r_done = true;
		if (r != me)
			pthread_cond_signal(&r->r_cv);
		break;
	case SP_SIGNAL:
		free(buf);
		if ((sig = sigtohost(m.h.a)) == 0)
			break;
		/* For a call: raised in its thread before the call
		 * returns, as the kernel delivers it on the way out. */
		if ((r = req_find(c, m.h.reqno)) != NULL) {
			r->r_sig = sig;
			break;
		}
		pthread_mutex_unlock(&c->c_lock);
		(void)kill(getpid(), sig);
		pthread_mutex_lock(&c->c_lock);
		break;
	default:
		free(buf);
		conn_break(c);
		return;
	}
	conn_idle(c);
}

/*
 * Send the request in msg (len bytes, its reqno filled in here) and
 * wait for its reply: 0 and r->r_buf, r->r_msg (the caller frees
 * r_buf), r->r_sig; or ENOTCONN, EIO.
 */
static int
conn_request(struct conn *c, uint8_t *msg, size_t len, struct req *r)
{
	int fd, error;

	r->r_next = r->r_prev = NULL;
	r->r_done = false;
	r->r_error = 0;
	r->r_buf = NULL;
	r->r_sig = 0;
	pthread_cond_init(&r->r_cv, NULL);
	pthread_mutex_lock(&c->c_lock);
	if ((error = conn_ready(c)) != 0) {
		pthread_mutex_unlock(&c->c_lock);
		pthread_cond_destroy(&r->r_cv);
		return error;
	}
	r->r_reqno = ++c->c_reqno;
	req_add(c, r);
	c->c_users++;
	fd = c->c_fd;
	pthread_mutex_unlock(&c->c_lock);

	sp_set_reqno(msg, r->r_reqno);
	pthread_mutex_lock(&c->c_wlock);
	error = sp_write_full(fd, msg, len);
	pthread_mutex_unlock(&c->c_wlock);

	pthread_mutex_lock(&c->c_lock);
	c->c_users--;
	if (error != 0)
		conn_break(c);		/* r fails with EIO */
	else
		conn_idle(c);
	while (!r->r_done) {
		if (c->c_reading)
			pthread_cond_wait(&r->r_cv, &c->c_lock);
		else
			conn_read(c, r);
	}
	/* Ours has come: someone else reads now. */
	if (!c->c_reading && c->c_reqs != NULL)
		pthread_cond_signal(&c->c_reqs->r_cv);
	error = r->r_error;
	pthread_mutex_unlock(&c->c_lock);
	pthread_cond_destroy(&r->r_cv);
	return error;
}

/*
 * SP_FORKREQ on c: the server makes a child of c's process (flags
 * RUMP_RFFDG or RUMP_RFCFDG) and parks it under the cookie; 0 or an
 * errno.
 */
static int
fork_request(struct conn *c, int flags, uint8_t *cookie)
{
	uint8_t out[SP_HDRSIZE];
	struct req r;
	size_t len;
	int error;

	len = sp_build_simple(out, sizeof(out), SP_FORKREQ, 0,
	    (uint32_t)flags, 0, NULL, 0);
	if ((error = conn_request(c, out, len, &r)) != 0)
		return error;
	if ((error = errtohost(r.r_msg.h.a)) == 0) {
		if (r.r_msg.nregions == 1 &&
		    r.r_msg.region[0].len == SP_COOKIELEN)
			memcpy(cookie, r.r_msg.region[0].data, SP_COOKIELEN);
		else
			error = EIO;
	}
	free(r.r_buf);
	return error;
}

/*
 * In the child of a host fork(): only this thread exists, the others
 * may have held any of the locks or been half way through a message,
 * and the connections are the parent's, who goes on using them.
 * Nothing is sent or shut down on them: their descriptors are closed
 * and the state starts afresh.
 */
static void
forget_parent(void)
{
	struct conn *c, *next;

	pthread_mutex_init(&conns_lock, NULL);
	for (c = sc_kids; c != NULL; c = next) {
		next = c->c_next;
		conn_setfd(c, -1);
		free(c);
	}
	sc_kids = NULL;
	sc_cur = NULL;
	conn_setfd(&sc_main, -1);
	conn_init(&sc_main);
}

/* RUMPCLIENT_RETRYCONN: none, once, forever or seconds; 0 or EINVAL. */
static int
parse_retry(const char *s, time_t *policy)
{
	unsigned long n;
	char *end;

	if (strcmp(s, "none") == 0)
		*policy = RUMPCLIENT_RETRYCONN_NONE;
	else if (strcmp(s, "once") == 0)
		*policy = RUMPCLIENT_RETRYCONN_ONCE;
	else if (strcmp(s, "forever") == 0)
		*policy = RUMPCLIENT_RETRYCONN_INFTIME;
	else {
		errno = 0;
		n = strtoul(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
		    n > 100000000)
			return EINVAL;
		*policy = (time_t)n;
	}
	return 0;
}

int
rumpclient_init(void)
{
	const char *url = getenv("RUMP_SERVER"), *efd = getenv(EXECFD_ENV);
	const char *retry = getenv("RUMPCLIENT_RETRYCONN");
	struct conn *c = &sc_main;
	time_t policy = RUMPCLIENT_RETRYCONN_NONE;
	char *u;
	int fd = -1, error;

	if (url == NULL || (retry != NULL && parse_retry(retry, &policy))) {
		errno = EINVAL;
		return -1;
	}
	if ((u = strdup(url)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	pthread_mutex_lock(&conns_lock);
	free(sc_url);
	sc_url = u;
	if (retry != NULL && !sc_retryset)
		sc_retry = policy;
	pthread_mutex_unlock(&conns_lock);

	/* A second init starts over: the old connection goes first (its
	 * calls in flight fail with EIO); in a host fork's child it is
	 * the parent's, and only forgotten. */
	if (c->c_fd >= 0 && c->c_pid != getpid())
		forget_parent();
	pthread_mutex_lock(&c->c_lock);
	while (c->c_connecting)
		pthread_cond_wait(&c->c_cv, &c->c_lock);
	if (c->c_fd >= 0)
		conn_break(c);
	while (c->c_fd >= 0)
		pthread_cond_wait(&c->c_cv, &c->c_lock);
	c->c_connecting = true;
	c->c_live = false;
	pthread_mutex_unlock(&c->c_lock);
	if (efd != NULL) {
		/* Started by rumpclient_exec: the same process goes on. */
		error = exec_adopt(efd, &fd);
		(void)unsetenv(EXECFD_ENV);
	} else
		error = conn_open(SP_HS_NEW, NULL, &fd);
	pthread_mutex_lock(&c->c_lock);
	c->c_connecting = false;
	c->c_broken = c->c_giveup = false;
	if (error == 0) {
		conn_setfd(c, fd);
		c->c_live = true;
		c->c_pid = getpid();
	}
	pthread_cond_broadcast(&c->c_cv);
	pthread_mutex_unlock(&c->c_lock);
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

int
rumpclient_syscall(int num, const uint64_t args[8], int nargs,
    uint64_t rv[2])
{
	const struct sp_call *c;
	struct conn *cn;
	struct marshal ms;
	struct req r;
	uint64_t a[SP_NARGS] = { 0 }, mlen;
	uint8_t *msg;
	uint32_t i;
	size_t len;
	int error;

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
	/* The request number goes in when the message is sent. */
	len = sp_build_syscall(msg, (size_t)mlen, 0, (uint32_t)num, a,
	    ms.reg, ms.nreg);
	cn = cur_conn();
	error = len == 0 ? EINVAL : conn_request(cn, msg, len, &r);
	free(msg);
	if (error != 0)
		return error;

	/*
	 * Check every region before writing any: a server that writes
	 * where we did not ask is broken or hostile, and the call fails
	 * as a whole, the connection with it.
	 */
	for (i = 0; i < r.r_msg.nregions; i++) {
		if (!inside_out(&ms, r.r_msg.region[i].uaddr,
		    r.r_msg.region[i].len)) {
			free(r.r_buf);
			pthread_mutex_lock(&cn->c_lock);
			conn_break(cn);
			pthread_mutex_unlock(&cn->c_lock);
			return EIO;
		}
	}
	for (i = 0; i < r.r_msg.nregions; i++)
		memcpy((void *)(uintptr_t)r.r_msg.region[i].uaddr,
		    r.r_msg.region[i].data, (size_t)r.r_msg.region[i].len);
	rv[0] = r.r_msg.rv[0];
	rv[1] = r.r_msg.rv[1];
	error = errtohost(r.r_msg.h.a);
	free(r.r_buf);
	if (r.r_sig != 0)
		(void)raise(r.r_sig);
	return error;
}

/* ---- processes: rfork, fork, exec ---- */

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
	uint8_t cookie[SP_COOKIELEN];
	struct conn *c = cur_conn(), *nc;
	int fd = -1, error;

	if ((error = fork_request(c, flags, cookie)) == 0 &&
	    (error = conn_open(SP_HS_FORK, cookie, &fd)) == 0 &&
	    (nc = malloc(sizeof(*nc))) == NULL) {
		close(fd);
		error = ENOMEM;
	}
	if (error) {
		errno = error;
		return -1;
	}
	conn_init(nc);
	conn_setfd(nc, fd);
	nc->c_live = true;
	nc->c_parent = c;
	pthread_mutex_lock(&conns_lock);
	nc->c_next = sc_kids;
	sc_kids = nc;
	pthread_mutex_unlock(&conns_lock);
	sc_cur = nc;
	return 0;
}

void
rump_lwproc_releaselwp(void)
{
	struct conn *c = sc_cur, **pp;

	if (c == NULL)
		return;		/* the process's own connection stays */
	pthread_mutex_lock(&conns_lock);
	for (pp = &sc_kids; *pp != NULL && *pp != c; pp = &(*pp)->c_next)
		;
	if (*pp != NULL)
		*pp = c->c_next;
	pthread_mutex_unlock(&conns_lock);
	if (c->c_fd >= 0) {
		/* The child exits when the server sees the end of its
		 * connection, and closes its side after that: wait for it,
		 * so that what the child held (descriptors, locks) is gone
		 * when this returns, as it is locally. */
		char junk[64];

		(void)shutdown(c->c_fd, SHUT_WR);
		while (read(c->c_fd, junk, sizeof(junk)) > 0)
			;
		conn_setfd(c, -1);
	}
	sc_cur = c->c_parent == &sc_main ? NULL : c->c_parent;
	pthread_mutex_destroy(&c->c_lock);
	pthread_mutex_destroy(&c->c_wlock);
	pthread_mutex_destroy(&c->c_rlock);
	pthread_cond_destroy(&c->c_cv);
	free(c);
}

/* A fork in progress: the cookie of the child the server parked. */
struct rumpclient_fork {
	uint8_t	rf_cookie[SP_COOKIELEN];
};

int
rumpclient_prefork(struct rumpclient_fork **rpf)
{
	struct rumpclient_fork *f;
	int error;

	if ((f = malloc(sizeof(*f))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	/* The child gets a copy of the table: shared files, as fork(2). */
	if ((error = fork_request(cur_conn(), RUMP_RFFDG,
	    f->rf_cookie)) != 0) {
		free(f);
		errno = error;
		return -1;
	}
	*rpf = f;
	return 0;
}

int
rumpclient_fork_init(struct rumpclient_fork *rpf)
{
	int fd = -1, error;

	forget_parent();
	error = conn_open(SP_HS_FORK, rpf->rf_cookie, &fd);
	free(rpf);
	if (error != 0) {
		errno = error;
		return -1;
	}
	conn_setfd(&sc_main, fd);
	sc_main.c_live = true;
	return 0;
}

void
rumpclient_fork_cancel(struct rumpclient_fork *rpf)
{

	/* The server discards a child nobody adopts, in its own time
	 * (docs/sysproxy.md): there is nothing to send. */
	free(rpf);
}

pid_t
rumpclient_fork(void)
{
	struct rumpclient_fork *rpf;
	pid_t pid;
	int error;

	if (rumpclient_prefork(&rpf) != 0)
		return -1;
	switch ((pid = fork())) {
	case -1:
		error = errno;
		rumpclient_fork_cancel(rpf);
		errno = error;
		return -1;
	case 0:
		/* A child without its kernel process takes the caller's
		 * error path: -1 there too. */
		return rumpclient_fork_init(rpf) == 0 ? 0 : -1;
	default:
		rumpclient_fork_cancel(rpf);
		return pid;
	}
}

/*
 * envp for the new image: envp without any EXECFD_ENV, then ours, and
 * RUMP_SERVER when envp has none.  NULL: no memory.
 */
static char **
exec_env(char *const envp[], int fd)
{
	size_t n = 0, i, k = 0, elen = strlen(EXECFD_ENV);
	bool has_server = false;
	char **env, *url;

	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		;
	if ((env = calloc(n + 3, sizeof(*env))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (strncmp(envp[i], EXECFD_ENV, elen) == 0 &&
		    envp[i][elen] == '=')
			continue;
		if (strncmp(envp[i], "RUMP_SERVER=", 12) == 0)
			has_server = true;
		env[k++] = envp[i];
	}
	if (asprintf(&env[k++], "%s=%d", EXECFD_ENV, fd) < 0) {
		free(env);
		return NULL;
	}
	if (!has_server && (url = server_url()) != NULL) {
		if (asprintf(&env[k++], "RUMP_SERVER=%s", url) < 0)
			env[--k] = NULL;
		free(url);
	}
	return env;
}

static void
exec_env_free(char **env, char *const envp[])
{
	size_t i, j;
	bool theirs;

	/* Free what exec_env made: the strings not from envp. */
	for (i = 0; env[i] != NULL; i++) {
		theirs = false;
		for (j = 0; envp != NULL && envp[j] != NULL; j++)
			if (env[i] == envp[j])
				theirs = true;
		if (!theirs)
			free(env[i]);
	}
	free(env);
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	struct conn *c = cur_conn();
	char **env;
	int fd, error;

	pthread_mutex_lock(&c->c_lock);
	if ((error = conn_ready(c)) == 0) {
		c->c_users++;
		fd = c->c_fd;
	}
	pthread_mutex_unlock(&c->c_lock);
	if (error != 0) {
		errno = error;
		return -1;
	}
	if ((env = exec_env(envp, fd)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	/*
	 * With both locks no message is half sent or half read, so the
	 * new image starts at a message boundary.  The socket stays
	 * open across execve; its number travels in the environment.
	 */
	pthread_mutex_lock(&c->c_wlock);
	pthread_mutex_lock(&c->c_rlock);
	if (fcntl(fd, F_SETFD, 0) != 0)
		error = errno;
	else {
		/* The system call itself: a library that wraps execve
		 * (librumphijack) calls us from its wrapper. */
		(void)syscall(SYS_execve, path, argv, env);
		error = errno;
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_unlock(&c->c_rlock);
	pthread_mutex_unlock(&c->c_wlock);
	exec_env_free(env, envp);
 out:
	pthread_mutex_lock(&c->c_lock);
	c->c_users--;
	conn_idle(c);
	pthread_mutex_unlock(&c->c_lock);
	errno = error;
	return -1;
}

int
rumpclient_setconnretry(time_t timeout)
{

	if (timeout < RUMPCLIENT_RETRYCONN_INFTIME) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&sc_main.c_lock);
	pthread_mutex_lock(&conns_lock);
	sc_retry = timeout;
	sc_retryset = true;
	pthread_mutex_unlock(&conns_lock);
	/* A new policy gets a new chance. */
	sc_main.c_giveup = false;
	pthread_mutex_unlock(&sc_main.c_lock);
	return 0;
}

/*
 * Is fd one of our connections?  For a layer that closes or replaces
 * descriptors on a program's behalf (librumphijack), which must leave
 * these alone.
 */
int
rumpclient_fd_ours(int fd)
{

	if (fd < 0 || fd >= OURS_MAX)
		return 0;
	return (__atomic_load_n(&ours_bits[fd / 64], __ATOMIC_ACQUIRE) &
	    (1ULL << (fd % 64))) != 0;
}
