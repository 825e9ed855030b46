/*
 * t_client_marshal.c: librumpclient against a fake server run by this
 * test (threads serving a unix and a TCP socket, answering with the
 * sysproxy codec): the handshake, the regions each call sends (address,
 * length, direction, data) as the table generated from syscalls.master
 * says, reply data landing in the caller's buffers and nowhere else,
 * errno translation, two calls in flight answered out of order,
 * SP_SIGNAL raised in the caller, and a server that closes or talks
 * nonsense.
 *
 * The fake server handles one message at a time (M_SWAP: two); what it
 * answers is set by the main thread before each call (the globals
 * under lk).  A client that cannot have two calls in flight hangs in
 * M_SWAP: the alarm makes that a failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>
#include "../tap.h"
#include "../../lib/sp/sp_calls.h"
#include "../../lib/sp/sp_msg.h"

#define MAXREC	(1 << 20)

enum mode {
	M_REPLY,	/* SP_RESP from the reply_* globals */
	M_ECHO,		/* SP_RESP, rv[0] = args[0] */
	M_CLOSE,	/* close without answering */
	M_GARBAGE,	/* send garbage_buf as is, then close */
	M_COPYIN,	/* SP_COPYIN first, then as M_REPLY */
	M_SWAP,		/* wait for a second request, answer it first;
			   each as M_ECHO */
	M_SIGNAL,	/* SP_SIGNAL sig_no for sig_reqno (0: the
			   request's), then as M_REPLY */
};

static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static enum mode mode = M_REPLY;
static const char *banner = "RUMPSP-1 fake\n";
static uint32_t hs_err;			/* the handshake's answer */
static uint32_t reply_err;
static uint64_t reply_rv0;
static struct sp_region reply_reg[4];
static uint32_t reply_nreg;
static uint8_t garbage_buf[256];
static size_t garbage_len;
static bool garbage_wrongreq;		/* garbage: a valid reply, wrong reqno */

/* What the server saw. */
static int nsyscalls;
static struct sp_msg rec;		/* the last SP_SYSCALL; points ... */
static uint8_t *rec_buf;		/* ... into this */
static uint32_t hs_a, hs_b;
static char hs_secret[SP_MAXHSBODY + 1];
static uint32_t sig_no;
static uint64_t sig_reqno;
static uint16_t copy_resp_type;
static uint32_t copy_resp_a;

static int
xrecv(int fd, uint8_t *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		if ((r = recv(fd, p, n, 0)) <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One message into a malloc'd buffer, checked: 0, or -1. */
static int
getmsg(int fd, uint8_t **bufp, struct sp_msg *m)
{
	uint8_t hdr[SP_HDRSIZE];
	uint32_t len;

	if (xrecv(fd, hdr, sizeof(hdr)) != 0 ||
	    sp_hdr_peek(hdr, sizeof(hdr), &len) != 0 ||
	    (*bufp = malloc(len)) == NULL)
		return -1;
	memcpy(*bufp, hdr, sizeof(hdr));
	if (xrecv(fd, *bufp + SP_HDRSIZE, len - SP_HDRSIZE) != 0 ||
	    sp_msg_parse(*bufp, len, m) != 0) {
		free(*bufp);
		return -1;
	}
	return 0;
}

static void
putmsg(int fd, const uint8_t *p, size_t n)
{

	if (n > 0)
		(void)send(fd, p, n, MSG_NOSIGNAL);
}

/* Answer one request; false: close the connection. */
static bool
answer(int fd, const struct sp_msg *m)
{
	static uint8_t out[MAXREC];
	uint64_t rv[2] = { 0, 0 };
	struct sp_msg cm;
	uint8_t *cbuf;
	size_t n;

	switch (mode) {
	case M_CLOSE:
		return false;
	case M_GARBAGE:
		if (garbage_wrongreq) {
			n = sp_build_resp(out, sizeof(out), m->h.reqno + 7, 0,
			    rv, NULL, 0);
			putmsg(fd, out, n);
		} else
			putmsg(fd, garbage_buf, garbage_len);
		return false;
	case M_ECHO:
		rv[0] = m->args[0];
		n = sp_build_resp(out, sizeof(out), m->h.reqno, 0, rv, NULL,
		    0);
		putmsg(fd, out, n);
		return true;
	case M_SWAP:
		/* Both requests must be in flight at once for this to
		 * work: a client taking turns would never send the
		 * second. */
		pthread_mutex_unlock(&lk);
		if (getmsg(fd, &cbuf, &cm) != 0) {
			pthread_mutex_lock(&lk);
			return false;
		}
		pthread_mutex_lock(&lk);
		rv[0] = cm.args[0];
		n = sp_build_resp(out, sizeof(out), cm.h.reqno, 0, rv, NULL,
		    0);
		putmsg(fd, out, n);
		free(cbuf);
		rv[0] = m->args[0];
		n = sp_build_resp(out, sizeof(out), m->h.reqno, 0, rv, NULL,
		    0);
		putmsg(fd, out, n);
		return true;
	case M_SIGNAL:
		n = sp_build_simple(out, sizeof(out), SP_SIGNAL,
		    sig_reqno != 0 ? sig_reqno : m->h.reqno, sig_no, 0, NULL,
		    0);
		putmsg(fd, out, n);
		rv[0] = reply_rv0;
		n = sp_build_resp(out, sizeof(out), m->h.reqno, reply_err, rv,
		    NULL, 0);
		putmsg(fd, out, n);
		return true;
	case M_COPYIN:
		n = sp_build_copy(out, sizeof(out), SP_COPYIN, m->h.reqno,
		    m->args[1], 4, NULL);
		putmsg(fd, out, n);
		if (getmsg(fd, &cbuf, &cm) != 0)
			return false;
		copy_resp_type = cm.h.type;
		copy_resp_a = cm.h.a;
		free(cbuf);
		/* FALLTHROUGH */
	case M_REPLY:
		rv[0] = reply_rv0;
		n = sp_build_resp(out, sizeof(out), m->h.reqno, reply_err, rv,
		    reply_reg, reply_nreg);
		putmsg(fd, out, n);
		return true;
	}
	return false;
}

static void *
server(void *arg)
{
	uint8_t out[SP_HDRSIZE + SP_MAXBANNER], *buf;
	int lfd = *(int *)arg, fd;
	struct sp_msg m;
	bool keep;
	size_t n;

	while ((fd = accept(lfd, NULL, NULL)) >= 0) {
		pthread_mutex_lock(&lk);
		n = sp_build_simple(out, sizeof(out), SP_BANNER, 0, 0, 0,
		    banner, strlen(banner));
		pthread_mutex_unlock(&lk);
		putmsg(fd, out, n);
		if (getmsg(fd, &buf, &m) != 0) {
			close(fd);
			continue;
		}
		pthread_mutex_lock(&lk);
		hs_a = m.h.a;
		hs_b = m.h.b;
		memcpy(hs_secret, m.body, m.bodylen);
		hs_secret[m.bodylen] = '\0';
		n = sp_build_resp(out, sizeof(out), m.h.reqno, hs_err,
		    (uint64_t[2]){ 0, 0 }, NULL, 0);
		pthread_mutex_unlock(&lk);
		free(buf);
		putmsg(fd, out, n);
		for (keep = true; keep && getmsg(fd, &buf, &m) == 0; ) {
			pthread_mutex_lock(&lk);
			if (m.h.type == SP_SYSCALL) {
				nsyscalls++;
				free(rec_buf);
				rec_buf = buf;
				rec = m;
				keep = answer(fd, &m);
			} else {
				free(buf);
				keep = false;
			}
			pthread_mutex_unlock(&lk);
		}
		close(fd);
	}
	return NULL;
}

static void
setreply(uint32_t err, uint64_t rv0)
{

	pthread_mutex_lock(&lk);
	mode = M_REPLY;
	reply_err = err;
	reply_rv0 = rv0;
	reply_nreg = 0;
	pthread_mutex_unlock(&lk);
}

static void
addreply(const void *uaddr, const void *data, size_t len)
{

	pthread_mutex_lock(&lk);
	reply_reg[reply_nreg].uaddr = (uint64_t)(uintptr_t)uaddr;
	reply_reg[reply_nreg].len = len;
	reply_reg[reply_nreg].data = data;
	reply_nreg++;
	pthread_mutex_unlock(&lk);
}

static void
setmode(enum mode md)
{

	pthread_mutex_lock(&lk);
	mode = md;
	pthread_mutex_unlock(&lk);
}

/* Region i of the last call is (p, len, dir) and, if data, carries it. */
static bool
isreg(uint32_t i, const void *p, uint64_t len, uint32_t dir,
    const void *data)
{
	const struct sp_region *r = &rec.region[i];

	return i < rec.nregions && r->uaddr == (uint64_t)(uintptr_t)p &&
	    r->len == len && r->dir == dir &&
	    (data == NULL || memcmp(r->data, data, len) == 0);
}

static int
reinit(void)
{

	setmode(M_REPLY);
	return rumpclient_init();
}

static void *
dupper(void *arg)
{
	long base = (long)(intptr_t)arg, i, bad = 0;

	for (i = 0; i < 300; i++)
		if (rump_sys_dup((int)(base + i)) != (int)(base + i))
			bad++;
	return (void *)(intptr_t)bad;
}

static void *
onedup(void *arg)
{
	int v = (int)(intptr_t)arg;

	return rump_sys_dup(v) == v ? NULL : (void *)1;
}

static volatile sig_atomic_t nusr1;

static void
on_usr1(int sig)
{

	(void)sig;
	nusr1++;
}

int
main(void)
{
	char dir[] = "/tmp/t_client.XXXXXX", url[256], buf[16], canary[16];
	char small[4], big[6], oldv[64];
	struct rump_iovec iov[2];
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct rump_stat st, rst;
	struct rump_timespec ts = { 1, 2 };
	pthread_t ut, tt, w[2];
	uint64_t args[8] = { 0 }, rv[2];
	rump_size_t oldlen, newlen;
	int ufd, tfd, name[2] = { 1, 7 }, nc0;
	void *r0, *r1;
	long n;

	if (mkdtemp(dir) == NULL || chdir(dir) != 0) {
		perror("t_client_marshal: mkdtemp");
		return 1;
	}
	ufd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/sock", dir);
	tfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ufd < 0 || tfd < 0 ||
	    bind(ufd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(ufd, 4) != 0 ||
	    bind(tfd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(tfd, 4) != 0 ||
	    getsockname(tfd, (struct sockaddr *)&sin, &sl) != 0) {
		perror("t_client_marshal: socket");
		return 1;
	}
	alarm(120);
	pthread_create(&ut, NULL, server, &ufd);
	pthread_create(&tt, NULL, server, &tfd);

	/* Connecting. */
	ok(rump_sys_getpid() == -1 && errno == ENOTCONN,
	    "a call before rumpclient_init: ENOTCONN");
	unsetenv("RUMP_SERVER");
	ok(rumpclient_init() == -1 && errno == EINVAL, "no RUMP_SERVER: "
	    "EINVAL");
	setenv("RUMP_SERVER", "http://x", 1);
	ok(rumpclient_init() == -1 && errno == EINVAL, "unknown URL scheme: "
	    "EINVAL");
	setenv("RUMP_SERVER", "unix://sock", 1);
	pthread_mutex_lock(&lk);
	banner = "RUMPSP-2 future\n";
	pthread_mutex_unlock(&lk);
	ok(rumpclient_init() == -1, "a banner of another version is refused");
	pthread_mutex_lock(&lk);
	banner = "RUMPSP-1 fake\n";
	hs_err = RUMP_EACCES;
	pthread_mutex_unlock(&lk);
	ok(rumpclient_init() == -1 && errno == EACCES, "a refused handshake: "
	    "-1, errno EACCES (translated)");
	pthread_mutex_lock(&lk);
	hs_err = 0;
	pthread_mutex_unlock(&lk);
	setenv("RUMP_SERVER_SECRET", "s3cret", 1);
	ok(rumpclient_init() == 0 && hs_a == SP_VERSION && hs_b == SP_HS_NEW &&
	    strcmp(hs_secret, "s3cret") == 0, "unix://relative: handshake "
	    "version 1, new process, the secret");
	unsetenv("RUMP_SERVER_SECRET");
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%u",
	    (unsigned)ntohs(sin.sin_port));
	setenv("RUMP_SERVER", url, 1);
	setreply(0, 4242);
	ok(rumpclient_init() == 0 && hs_secret[0] == '\0' &&
	    rump_sys_getpid() == 4242 && rec.nregions == 0,
	    "tcp://: no secret, getpid answered with rv[0]");
	snprintf(url, sizeof(url), "unix://%s/sock", dir);
	setenv("RUMP_SERVER", url, 1);
	ok(rumpclient_init() == 0, "unix:///absolute");

	/* write: the buffer goes in. */
	setreply(0, 5);
	ok(rump_sys_write(3, "hello", 5) == 5 && rec.h.a == RUMP_SYS_write &&
	    rec.args[0] == 3 && rec.args[2] == 5 && rec.nregions == 1 &&
	    rec.region[0].len == 5 && rec.region[0].dir == SP_IN &&
	    memcmp(rec.region[0].data, "hello", 5) == 0,
	    "write: one SP_IN region, nbyte bytes of the buffer");

	/* read: space declared, reply lands inside it. */
	memset(buf, 'x', sizeof(buf));
	setreply(0, 5);
	addreply(buf + 2, "world", 5);
	ok(rump_sys_read(4, buf, sizeof(buf)) == 5 &&
	    isreg(0, buf, sizeof(buf), SP_OUT, NULL) && rec.nregions == 1 &&
	    memcmp(buf, "xxworldxxx", 10) == 0,
	    "read: one SP_OUT region; the reply's data lands where it says");

	/*
	 * 4 KiB pwrite and pread: one request, one reply each (the fake
	 * server answers each SP_SYSCALL with one message and drops the
	 * connection on any other kind, so a copy round trip would fail
	 * the call).
	 */
	{
		static uint8_t page[4096], back[4096];
		int before;

		memset(page, 0xa5, sizeof(page));
		setreply(0, sizeof(page));
		before = nsyscalls;
		ok(rump_sys_pwrite(3, page, sizeof(page), 8192) == 4096 &&
		    nsyscalls == before + 1 && rec.nregions == 1 &&
		    rec.region[0].len == 4096 && rec.region[0].dir == SP_IN,
		    "4 KiB pwrite: one message out, the data in it, one back");
		setreply(0, sizeof(back));
		addreply(back, page, sizeof(page));
		before = nsyscalls;
		ok(rump_sys_pread(3, back, sizeof(back), 8192) == 4096 &&
		    nsyscalls == before + 1 &&
		    memcmp(back, page, sizeof(page)) == 0,
		    "4 KiB pread: one message out, one back with the data");
	}

	/* stat: path in, struct out. */
	memset(&st, 0, sizeof(st));
	memset(&rst, 0, sizeof(rst));
	rst.st_size = 1234;
	rst.st_mode = 0100644;
	setreply(0, 0);
	addreply(&st, &rst, sizeof(rst));
	ok(rump_sys_stat("/a/b", &st) == 0 && rec.nregions == 2 &&
	    rec.region[0].len == 5 && rec.region[0].dir == SP_IN &&
	    memcmp(rec.region[0].data, "/a/b", 5) == 0 &&
	    isreg(1, &st, sizeof(st), SP_OUT, NULL) &&
	    st.st_size == 1234 && st.st_mode == 0100644,
	    "stat: the path with its NUL in, a struct rump_stat out, filled");

	/* open: a string, integers widened. */
	setreply(0, 9);
	ok(rump_sys_open("f", RUMP_O_RDWR | RUMP_O_CREAT, 0644) == 9 &&
	    rec.nregions == 1 && rec.region[0].len == 2 &&
	    memcmp(rec.region[0].data, "f", 2) == 0 &&
	    rec.args[1] == (RUMP_O_RDWR | RUMP_O_CREAT) && rec.args[2] == 0644,
	    "open: the path in, flags and mode as words");
	setreply(0, 0);
	ok(rump_sys_lseek(3, -5, 1) == 0 && rec.args[1] == (uint64_t)-5 &&
	    rump_sys_dup(-1) == 0 && rec.args[0] == UINT64_MAX,
	    "signed arguments arrive sign-extended");

	/* sysctl: name in, oldv out by *oldlenp, oldlenp in and out. */
	oldlen = sizeof(oldv);
	newlen = 10;
	memset(oldv, 0, sizeof(oldv));
	setreply(0, 0);
	addreply(oldv, "0123456789", 10);
	addreply(&oldlen, &newlen, sizeof(newlen));
	ok(rump_sys_sysctl(name, 2, oldv, &oldlen, NULL, 0) == 0 &&
	    rec.nregions == 4 && isreg(0, name, sizeof(name), SP_IN, name) &&
	    isreg(1, oldv, sizeof(oldv), SP_OUT, NULL) &&
	    isreg(3, &oldlen, sizeof(oldlen), SP_OUT, NULL) &&
	    rec.region[2].uaddr == (uint64_t)(uintptr_t)&oldlen &&
	    rec.region[2].len == sizeof(oldlen) &&
	    rec.region[2].dir == SP_IN &&
	    memcmp(rec.region[2].data, &(rump_size_t){ sizeof(oldv) },
	    sizeof(rump_size_t)) == 0 &&
	    oldlen == 10 && memcmp(oldv, "0123456789", 11) == 0,
	    "sysctl: name in, oldv out (*oldlenp bytes), oldlenp in and out "
	    "at the same address; the reply fills both");

	/* readv / writev: the iovec array in, then each buffer. */
	iov[0].iov_base = small;
	iov[0].iov_len = sizeof(small);
	iov[1].iov_base = big;
	iov[1].iov_len = sizeof(big);
	setreply(0, 10);
	addreply(small, "abcd", 4);
	addreply(big, "efghij", 6);
	ok(rump_sys_readv(5, iov, 2) == 10 && rec.nregions == 3 &&
	    isreg(0, iov, sizeof(iov), SP_IN, iov) &&
	    isreg(1, small, 4, SP_OUT, NULL) &&
	    isreg(2, big, 6, SP_OUT, NULL) &&
	    memcmp(small, "abcd", 4) == 0 && memcmp(big, "efghij", 6) == 0,
	    "readv: the iovec array in, each buffer out, both filled");
	setreply(0, 10);
	ok(rump_sys_writev(5, iov, 2) == 10 && rec.nregions == 3 &&
	    isreg(0, iov, sizeof(iov), SP_IN, iov) &&
	    isreg(1, small, 4, SP_IN, "abcd") &&
	    isreg(2, big, 6, SP_IN, "efghij"),
	    "writev: the iovec array and each buffer in");

	/* NULL pointers are no region. */
	setreply(0, 0);
	ok(rump_sys_nanosleep(&ts, NULL) == 0 && rec.nregions == 1 &&
	    isreg(0, &ts, sizeof(ts), SP_IN, &ts),
	    "nanosleep(ts, NULL): only the request goes");

	/* Errors. */
	setreply(RUMP_ENOENT, 0);
	ok(rump_sys_open("nope", RUMP_O_RDONLY, 0) == -1 && errno == ENOENT,
	    "server's RUMP_ENOENT: -1, errno ENOENT");
	setreply(RUMP_EAGAIN, 0);
	ok(rump_sys_read(3, buf, 1) == -1 && errno == EAGAIN,
	    "RUMP_EAGAIN (%d) becomes the host's EAGAIN (%d)", RUMP_EAGAIN,
	    EAGAIN);
	setreply(RUMP_ENOTEMPTY, 0);
	ok(rump_sys_rmdir("d") == -1 && errno == ENOTEMPTY,
	    "RUMP_ENOTEMPTY becomes ENOTEMPTY");
	setreply(250, 0);
	ok(rump_sys_rmdir("d") == -1 && errno == EIO,
	    "an error number the kernel does not have: EIO");
	ok(rumpclient_syscall(9999, args, 0, rv) == ENOSYS &&
	    rumpclient_syscall(RUMP_SYS_getpid, args, 9, rv) == EINVAL,
	    "an unknown call number: ENOSYS; too many arguments: EINVAL");
#ifdef SP_IOC_IN
	/* ioctl: the command's size and direction (BSD encoding). */
	memset(buf, 'x', sizeof(buf));
	setreply(0, 0);
	addreply(buf, "IOCTLOUT", 8);
	ok(rump_sys_ioctl(3, SP_IOC_IN | SP_IOC_OUT | (8u << 16) | 0x6501,
	    buf) == 0 && rec.nregions == 2 &&
	    isreg(0, buf, 8, SP_IN, "xxxxxxxx") &&
	    isreg(1, buf, 8, SP_OUT, NULL) && memcmp(buf, "IOCTLOUTxx", 10) == 0,
	    "ioctl in-out of 8 bytes: sent in, declared out, filled");
	setreply(0, 0);
	ok(rump_sys_ioctl(3, 0x20000000u | 0x6502, buf) == 0 &&
	    rec.nregions == 0, "ioctl without data: no region");
	(void)nc0;
#else
	nc0 = nsyscalls;
	ok(rump_sys_ioctl(3, 1, buf) == -1 && errno == EOPNOTSUPP &&
	    nsyscalls == nc0, "ioctl (needs copyin round trips): EOPNOTSUPP, "
	    "nothing sent");
#endif

	/* The kernel's copy requests are refused, the call goes on. */
	setreply(0, 0);
	setmode(M_COPYIN);
	ok(rump_sys_ioctl(3, 1, NULL) == 0 &&
	    copy_resp_type == SP_COPYIN_RESP && copy_resp_a == RUMP_EFAULT,
	    "SP_COPYIN answered by SP_COPYIN_RESP with EFAULT");

	/* Concurrent callers get their own replies. */
	setmode(M_ECHO);
	pthread_create(&w[0], NULL, dupper, (void *)(intptr_t)1000);
	pthread_create(&w[1], NULL, dupper, (void *)(intptr_t)5000);
	pthread_join(w[0], &r0);
	pthread_join(w[1], &r1);
	ok(r0 == NULL && r1 == NULL, "two threads x 300 calls: every reply "
	    "went to its caller");

	/* Two requests in flight at once, answered in the other order. */
	setmode(M_SWAP);
	pthread_create(&w[0], NULL, onedup, (void *)(intptr_t)7001);
	pthread_create(&w[1], NULL, onedup, (void *)(intptr_t)7002);
	pthread_join(w[0], &r0);
	pthread_join(w[1], &r1);
	ok(r0 == NULL && r1 == NULL, "two calls in flight on one "
	    "connection, the replies in the other order: each to its caller");

	/* SP_SIGNAL: in the kernel's numbering, raised in the caller. */
	signal(SIGUSR1, on_usr1);
	setreply(0, 0);
	pthread_mutex_lock(&lk);
	sig_no = 30;		/* NetBSD's SIGUSR1 */
	sig_reqno = 0;
	pthread_mutex_unlock(&lk);
	setmode(M_SIGNAL);
	ok(rump_sys_getpid() == 0 && nusr1 == 1, "SP_SIGNAL 30 for the "
	    "call: the host's SIGUSR1 (%d) raised as the call returns",
	    SIGUSR1);
	pthread_mutex_lock(&lk);
	sig_no = 29;		/* SIGINFO: Linux has none */
	pthread_mutex_unlock(&lk);
	ok(rump_sys_getpid() == 0 && nusr1 == 1, "a signal the host lacks "
	    "is dropped");
	pthread_mutex_lock(&lk);
	sig_no = 30;
	sig_reqno = 999999;
	pthread_mutex_unlock(&lk);
	ok(rump_sys_getpid() == 0 && nusr1 == 2, "one for no request in "
	    "flight goes to the process");

	/* A reply region outside what we declared is never written. */
	memset(buf, 'x', sizeof(buf));
	memset(canary, 'c', sizeof(canary));
	setreply(0, 4);
	addreply(canary, "EVIL", 4);
	ok(rump_sys_read(3, buf, sizeof(buf)) == -1 && errno == EIO &&
	    memcmp(canary, "cccc", 4) == 0 && buf[0] == 'x',
	    "a reply region outside the declared SP_OUT: EIO, not written");
	setreply(0, 0);
	ok(rump_sys_getpid() == -1 && errno == EIO,
	    "... and the connection is closed: EIO after");
	ok(reinit() == 0, "rumpclient_init connects again");
	setreply(0, 10);
	addreply(buf + 10, "0123456789", 10);
	ok(rump_sys_read(3, buf, sizeof(buf)) == -1 && errno == EIO &&
	    buf[10] == 'x' && buf[15] == 'x',
	    "a reply region running past the declared one: EIO, not written");

	/* The server goes away. */
	ok(reinit() == 0, "reconnected");
	setmode(M_CLOSE);
	ok(rump_sys_getpid() == -1 && errno == EIO,
	    "server closes in the middle of a call: EIO");

	/* Malformed replies. */
	ok(reinit() == 0, "reconnected");
	memset(garbage_buf, 0xff, sizeof(garbage_buf));
	garbage_len = sizeof(garbage_buf);
	setmode(M_GARBAGE);
	ok(rump_sys_getpid() == -1 && errno == EIO, "garbage reply: EIO");
	ok(reinit() == 0, "reconnected");
	n = (long)sp_build_resp(garbage_buf, sizeof(garbage_buf), 1, 0,
	    (uint64_t[2]){ 0, 0 }, NULL, 0);
	garbage_buf[20] = 3;	/* b: three regions, none there */
	garbage_len = (size_t)n;
	setmode(M_GARBAGE);
	ok(rump_sys_getpid() == -1 && errno == EIO,
	    "SP_RESP claiming regions it does not carry: EIO");
	ok(reinit() == 0, "reconnected");
	garbage_buf[20] = 0;
	garbage_buf[0] = 200;	/* len: more than will come */
	setmode(M_GARBAGE);
	ok(rump_sys_getpid() == -1 && errno == EIO,
	    "truncated reply: EIO");
	ok(reinit() == 0, "reconnected");
	pthread_mutex_lock(&lk);
	garbage_wrongreq = true;
	pthread_mutex_unlock(&lk);
	setmode(M_GARBAGE);
	ok(rump_sys_getpid() == -1 && errno == EIO,
	    "a reply to another request: EIO");
	ok(reinit() == 0 && (setreply(0, 77), rump_sys_getpid() == 77),
	    "and a good server is served again");

	unlink(sun.sun_path);
	rmdir(dir);
	return tap_done();
}
