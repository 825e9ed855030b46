/*
 * t_rump_server.c: rump_server speaking the sysproxy protocol, driven
 * here message by message with the codec (lib/sp), no client library:
 * the banner and handshake, system calls whose pointers travel as
 * regions (getpid, mkdir, open, write, pread, fstat, getdents, pipe,
 * readv), a process per connection, and everything a hostile client can
 * send: regions smaller than the call's sizes, unterminated strings,
 * unknown calls, garbage.  The server must answer with errors or close
 * that one connection, and go on serving the others.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "../../lib/sp/sp_msg.h"
#include "spsubr.h"

static char sockpath[108];
static uint8_t buf[1 << 20];
static uint64_t reqno;

static int
conn(void)
{
	struct sockaddr_un sun;
	int s, i;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sockpath);
	for (i = 0; i < 200; i++) {
		if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
			return -1;
		if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return s;
		close(s);
		usleep(10000);
	}
	return -1;
}

/* One message from the server; m points into a buffer kept here. */
static int
recv_msg(int s, struct sp_msg *m)
{
	static uint8_t *rbuf;
	static size_t rcap;

	return sp_recv(s, &rbuf, &rcap, m);
}

/* Banner and handshake: the connection, or -1. */
static int
session(void)
{
	struct sp_msg m;
	size_t len;
	int s;

	if ((s = conn()) < 0 || recv_msg(s, &m) != 0 ||
	    m.h.type != SP_BANNER || m.bodylen < 9 ||
	    memcmp(m.body, "RUMPSP-1 ", 9) != 0)
		return -1;
	len = sp_build_simple(buf, sizeof(buf), SP_HANDSHAKE, ++reqno,
	    SP_VERSION, SP_HS_NEW, NULL, 0);
	if (write(s, buf, len) != (ssize_t)len || recv_msg(s, &m) != 0 ||
	    m.h.type != SP_RESP || m.h.a != 0)
		return -1;
	return s;
}

/*
 * One call: args, regions; the reply's regions are copied back to the
 * addresses they name (this process's own, as a client library does).
 * Returns the errno from the server, -1 if the connection failed.
 */
static int
call(int s, int num, const uint64_t *a, const struct sp_region *r, int nr,
    uint64_t *rv)
{
	uint64_t args[SP_NARGS] = { 0 };
	struct sp_msg m;
	size_t len;
	uint32_t i;

	memcpy(args, a, sizeof(args));
	len = sp_build_syscall(buf, sizeof(buf), ++reqno, (uint32_t)num, args,
	    r, (uint32_t)nr);
	if (len == 0 || write(s, buf, len) != (ssize_t)len ||
	    recv_msg(s, &m) != 0 || m.h.type != SP_RESP || m.h.reqno != reqno)
		return -1;
	for (i = 0; i < m.nregions; i++)
		memcpy((void *)(uintptr_t)m.region[i].uaddr, m.region[i].data,
		    (size_t)m.region[i].len);
	if (rv != NULL) {
		rv[0] = m.rv[0];
		rv[1] = m.rv[1];
	}
	return (int)m.h.a;
}

#define U(p)	((uint64_t)(uintptr_t)(p))
#define IN(p, n)	{ U(p), (n), SP_IN, (const uint8_t *)(p) }
#define OUT(p, n)	{ U(p), (n), SP_OUT, NULL }

static void
test_calls(void)
{
	static const char dir[] = "/x", file[] = "/x/f", hello[] = "hello";
	char got[16], dents[4096];
	struct rump_stat st;
	int fds[2];
	uint64_t rv[2], pid1 = 0, pid2 = 0;
	int s, s2;

	s = session();
	ok(s >= 0, "banner and handshake");
	if (s < 0)
		return;
	if (call(s, RUMP_SYS_getpid, (uint64_t[8]){ 0 }, NULL, 0, rv) == 0)
		pid1 = rv[0];
	ok(pid1 > 1, "getpid: %llu", (unsigned long long)pid1);
	{
		struct sp_region r[] = { IN(dir, sizeof(dir)) };

		ok(call(s, RUMP_SYS_mkdir, (uint64_t[8]){ U(dir), 0755 }, r, 1,
		    rv) == 0, "mkdir: the path travels as a region");
	}
	{
		struct sp_region r[] = { IN(file, sizeof(file)) };

		ok(call(s, RUMP_SYS_open, (uint64_t[8]){ U(file),
		    RUMP_O_CREAT | RUMP_O_RDWR, 0644 }, r, 1, rv) == 0 &&
		    rv[0] == 0, "open: descriptor %llu in the new process",
		    (unsigned long long)rv[0]);
	}
	{
		struct sp_region r[] = { IN(hello, 5) };

		ok(call(s, RUMP_SYS_write, (uint64_t[8]){ 0, U(hello), 5 }, r,
		    1, rv) == 0 && rv[0] == 5, "write: 5 bytes in");
	}
	{
		struct sp_region r[] = { OUT(got, sizeof(got)) };

		memset(got, 0, sizeof(got));
		ok(call(s, RUMP_SYS_pread, (uint64_t[8]){ 0, U(got),
		    sizeof(got), 0 }, r, 1, rv) == 0 && rv[0] == 5 &&
		    memcmp(got, "hello", 5) == 0, "pread: the bytes come back "
		    "in the reply");
	}
	{
		struct sp_region r[] = { OUT(&st, sizeof(st)) };

		ok(call(s, RUMP_SYS_fstat, (uint64_t[8]){ 0, U(&st) }, r, 1,
		    rv) == 0 && st.st_size == 5, "fstat: a struct out");
	}
	{
		struct sp_region r[] = { OUT(fds, sizeof(fds)) };

		ok(call(s, RUMP_SYS_pipe, (uint64_t[8]){ U(fds) }, r, 1,
		    rv) == 0 && fds[0] > 0 && fds[1] > fds[0], "pipe: two "
		    "descriptors out");
	}
	{
		struct sp_region r[] = { IN(dir, sizeof(dir)) };
		struct sp_region r2[] = { OUT(dents, sizeof(dents)) };
		uint64_t dfd;

		ok(call(s, RUMP_SYS_open, (uint64_t[8]){ U(dir),
		    RUMP_O_RDONLY | RUMP_O_DIRECTORY }, r, 1, rv) == 0 &&
		    (dfd = rv[0], call(s, RUMP_SYS_getdents, (uint64_t[8]){
		    dfd, U(dents), sizeof(dents) }, r2, 1, rv) == 0) &&
		    rv[0] > 0, "getdents: entries come back");
	}
	/* A second connection is another process. */
	s2 = session();
	if (s2 >= 0 && call(s2, RUMP_SYS_getpid, (uint64_t[8]){ 0 }, NULL, 0,
	    rv) == 0)
		pid2 = rv[0];
	ok(pid2 > 1 && pid2 != pid1, "a second connection is another "
	    "process (%llu)", (unsigned long long)pid2);
	ok(call(s2, RUMP_SYS_fstat, (uint64_t[8]){ 0, U(&st) },
	    (struct sp_region[]){ OUT(&st, sizeof(st)) }, 1, rv) ==
	    RUMP_EBADF, "... with descriptors of its own (EBADF)");
	close(s2);

	/* Hostile requests: errors, and the connection goes on. */
	{
		struct sp_region r[] = { OUT(got, 4) };

		ok(call(s, RUMP_SYS_pread, (uint64_t[8]){ 0, U(got), 1000, 0 },
		    r, 1, rv) == RUMP_EFAULT, "a region smaller than the call "
		    "says: EFAULT");
	}
	{
		static const char nonul[4] = { 'a', 'b', 'c', 'd' };
		struct sp_region r[] = { IN(nonul, 4) };

		ok(call(s, RUMP_SYS_mkdir, (uint64_t[8]){ U(nonul), 0755 }, r,
		    1, rv) == RUMP_EFAULT, "an unterminated string: EFAULT");
	}
	ok(call(s, RUMP_SYS_mkdir, (uint64_t[8]){ U(dir), 0755 }, NULL, 0,
	    rv) == RUMP_EFAULT, "a pointer with no region: EFAULT");
	ok(call(s, RUMP_SYS_fcntl, (uint64_t[8]){ 0, RUMP_F_SETLK,
	    0xdeadbeef }, NULL, 0, rv) == RUMP_EFAULT, "fcntl F_SETLK with "
	    "a pointer and no region: EFAULT (never the raw address)");
	ok(call(s, RUMP_SYS_fcntl, (uint64_t[8]){ 0, RUMP_F_SETFD,
	    RUMP_FD_CLOEXEC }, NULL, 0, rv) == 0, "fcntl with a plain value "
	    "needs no region");
	ok(call(s, 999, (uint64_t[8]){ 0 }, NULL, 0, rv) == RUMP_ENOSYS,
	    "an unknown call: ENOSYS");
	ok(call(s, RUMP_SYS_getpid, (uint64_t[8]){ 0 }, NULL, 0, rv) == 0 &&
	    rv[0] == pid1, "... and the connection still serves");
	/* A call that blocks holds up its own client only. */
	s2 = session();
	if (s2 >= 0) {
		static const struct rump_timespec half = { 0, 500000000 };
		uint64_t args[SP_NARGS] = { U(&half) };
		struct sp_region r[] = { IN(&half, sizeof(half)) };
		struct sp_msg m;
		uint64_t t0, t1;
		struct timespec ts;
		size_t len;

		len = sp_build_syscall(buf, sizeof(buf), ++reqno,
		    RUMP_SYS_nanosleep, args, r, 1);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		t0 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		(void)write(s2, buf, len);
		ok(call(s, RUMP_SYS_getpid, (uint64_t[8]){ 0 }, NULL, 0,
		    rv) == 0, "while another client sleeps in the kernel ...");
		clock_gettime(CLOCK_MONOTONIC, &ts);
		t1 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		ok(t1 - t0 < 400000000u, "... this one is served at once "
		    "(%llu ms)", (unsigned long long)((t1 - t0) / 1000000));
		ok(recv_msg(s2, &m) == 0 && m.h.type == SP_RESP && m.h.a == 0,
		    "... and the sleeper gets its reply");
		close(s2);
	}
	/* Garbage closes only its connection. */
	s2 = session();
	if (s2 >= 0) {
		struct sp_msg m;

		memset(buf, 0xa5, 64);
		(void)write(s2, buf, 64);
		ok(recv_msg(s2, &m) != 0, "garbage: that connection is "
		    "closed");
		close(s2);
	}
	ok(call(s, RUMP_SYS_getpid, (uint64_t[8]){ 0 }, NULL, 0, rv) == 0,
	    "... the others go on");
	close(s);
	s = session();
	ok(s >= 0 && call(s, RUMP_SYS_stat, (uint64_t[8]){ U(file), U(&st) },
	    (struct sp_region[]){ IN(file, sizeof(file)),
	    OUT(&st, sizeof(st)) }, 2, rv) == 0 && st.st_size == 5,
	    "a new client sees the file an earlier one made");
	if (s >= 0)
		close(s);
}

int
main(void)
{
	const char *b = getenv("RUMP_BUILD");
	char server[512], url[128];
	pid_t pid;
	int status;

	snprintf(sockpath, sizeof(sockpath), "%s/t_rump_server.%d",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	snprintf(server, sizeof(server), "%s/bin/rump_server", b ? b : "build");
	snprintf(url, sizeof(url), "unix://%s", sockpath);
	if (access(server, X_OK) != 0) {
		printf("1..0 # SKIP %s not built\n", server);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	pid = sp_server_start(server, "tmpfs", url, NULL);
	test_calls();
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	    "the server ran until stopped");
	unlink(sockpath);
	return tap_done();
}
