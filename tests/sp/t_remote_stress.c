/*
 * t_remote_stress.c: many clients and threads at once, calls that
 * block, signals, and servers that die.
 *
 * Eight client processes of two threads each work through one
 * rump_server at the same time, each thread in a directory of its own
 * (create, write, read back, rename, unlink), and everything must come
 * out as if they had been alone; then eight threads of ONE client (one
 * connection, calls in flight together) do the same.  A thread blocked
 * in read() on an empty pipe does not hold up another thread of the
 * same client, whose write completes it; a client killed while one is
 * blocked has its kernel process cleaned up.  A write to a pipe without a
 * reader fails with EPIPE and raises SIGPIPE in the calling thread
 * (the default action kills the client, as locally).  Then the server
 * is killed (SIGKILL, and SIGABRT as a driver panic would end it)
 * while a client is blocked in a call: the call must fail with an
 * error, not hang, later calls too; a server started again serves new
 * clients.  Last the reconnect policies: forever (from the
 * environment), once, a number of seconds, none.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "spsubr.h"

#define NPROC	8
#define NTHR	2
#define NOPS	150

static char server[SP_PATHLEN], url[SP_PATHLEN];

static pid_t
start_server(void)
{

	return sp_server_start(server, "tmpfs", url, NULL);
}

static int
client_connect(void)
{

	return sp_client_connect(url);
}

static void *
worker(void *arg)
{
	int id = (int)(intptr_t)arg, i, fd, bad = 0;
	char dir[64], a[96], b[96], got[64], want[64];

	snprintf(dir, sizeof(dir), "/w%d", id);
	if (rump_sys_mkdir(dir, 0755) != 0)
		return (void *)(intptr_t)1;
	for (i = 0; i < NOPS; i++) {
		snprintf(a, sizeof(a), "%s/f%d", dir, i);
		snprintf(b, sizeof(b), "%s/g%d", dir, i);
		snprintf(want, sizeof(want), "client %d op %d", id, i);
		fd = rump_sys_open(a, RUMP_O_CREAT | RUMP_O_RDWR, 0644);
		memset(got, 0, sizeof(got));
		if (fd < 0 || rump_sys_write(fd, want, strlen(want)) !=
		    (rump_ssize_t)strlen(want) ||
		    rump_sys_pread(fd, got, sizeof(got), 0) !=
		    (rump_ssize_t)strlen(want) || strcmp(got, want) != 0 ||
		    rump_sys_close(fd) != 0 || rump_sys_rename(a, b) != 0 ||
		    (i % 2 == 0 && rump_sys_unlink(b) != 0))
			bad++;
	}
	return (void *)(intptr_t)bad;
}

static void
test_many(void)
{
	pid_t kids[NPROC];
	int i, status, good = 0;

	for (i = 0; i < NPROC; i++) {
		if ((kids[i] = fork()) == 0) {
			pthread_t t[NTHR];
			void *r;
			int j, bad = 0;

			if (client_connect() != 0)
				_exit(2);
			/* One connection, both threads' calls in
			 * flight on it at once. */
			for (j = 0; j < NTHR; j++)
				pthread_create(&t[j], NULL, worker,
				    (void *)(intptr_t)(i * NTHR + j));
			for (j = 0; j < NTHR; j++) {
				pthread_join(t[j], &r);
				bad += (int)(intptr_t)r;
			}
			_exit(bad ? 1 : 0);
		}
	}
	for (i = 0; i < NPROC; i++)
		if (waitpid(kids[i], &status, 0) == kids[i] &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0)
			good++;
	ok(good == NPROC, "%d clients x %d threads x %d operations at once: "
	    "%d came out right", NPROC, NTHR, NOPS, good);
	if (client_connect() == 0) {
		struct rump_stat st;
		int n = 0;

		for (i = 0; i < NPROC * NTHR; i++) {
			char p[64];

			snprintf(p, sizeof(p), "/w%d/g%d", i, NOPS - 1);
			if (rump_sys_stat(p, &st) == 0)
				n++;
		}
		ok(n == NPROC * NTHR, "... and the server holds what each "
		    "left behind");
	}
}

/* Eight threads of this one client, their calls in flight together. */
static void
test_threads(void)
{
	pthread_t t[8];
	void *r;
	int i, bad = 0;

	for (i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, worker,
		    (void *)(intptr_t)(100 + i));
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], &r);
		bad += (int)(intptr_t)r;
	}
	ok(bad == 0, "one client, 8 threads x %d operations on one "
	    "connection: %d went wrong", NOPS, bad);
}

struct blocked {
	int		fd;
	char		buf[16];
	rump_ssize_t	n;
	volatile int	done;
};

static void *
blocked_reader(void *arg)
{
	struct blocked *b = arg;

	b->n = rump_sys_read(b->fd, b->buf, sizeof(b->buf));
	b->done = 1;
	return NULL;
}

/* A blocked call holds up only its own thread. */
static void
test_inflight(void)
{
	struct blocked b;
	pthread_t t;
	int p[2], i, n = 0;

	memset(&b, 0, sizeof(b));
	if (rump_sys_pipe(p) != 0) {
		ok(0, "pipe");
		return;
	}
	b.fd = p[0];
	pthread_create(&t, NULL, blocked_reader, &b);
	usleep(200000);		/* most likely in the server by now */
	for (i = 0; i < 100; i++)
		if (rump_sys_getpid() > 0)
			n++;
	ok(n == 100 && !b.done, "a thread blocked in read() on an empty "
	    "pipe; meanwhile another thread of the same client makes 100 "
	    "calls");
	ok(rump_sys_write(p[1], "wake", 4) == 4, "... and writes to the "
	    "pipe");
	pthread_join(t, NULL);
	ok(b.n == 4 && memcmp(b.buf, "wake", 4) == 0, "the write completes "
	    "the blocked read");
	rump_sys_close(p[0]);
	rump_sys_close(p[1]);
}

static volatile sig_atomic_t npipe;
static pthread_t pipe_thread;
static volatile sig_atomic_t pipe_elsewhere;

static void
on_sigpipe(int sig)
{

	(void)sig;
	npipe++;
	if (!pthread_equal(pthread_self(), pipe_thread))
		pipe_elsewhere = 1;
}

static void *
pipe_writer(void *arg)
{
	int fd = *(int *)arg;

	pipe_thread = pthread_self();
	return (void *)(intptr_t)(rump_sys_write(fd, "x", 1) == -1 &&
	    errno == EPIPE && npipe == 2);
}

/*
 * A client killed while one of its threads is blocked in the server,
 * reading a pipe whose write end its own process holds: the server
 * closes the process's descriptors, the read returns, and the process
 * goes, closing its copy of our pipe's write end.
 */
static void
test_killed(void)
{
	struct rump_pollfd pfd;
	pid_t pid;
	char c;
	int p[2], h[2], i, r = -1;

	if (rump_sys_pipe(p) != 0 || pipe(h) != 0) {
		ok(0, "pipes");
		return;
	}
	if ((pid = rumpclient_fork()) == 0) {
		struct blocked b;
		int q[2];
		pthread_t t;

		memset(&b, 0, sizeof(b));
		if (rump_sys_pipe(q) != 0)
			_exit(1);
		b.fd = q[0];
		pthread_create(&t, NULL, blocked_reader, &b);
		usleep(200000);
		(void)write(h[1], "r", 1);
		pause();
		_exit(0);
	}
	close(h[1]);
	rump_sys_close(p[1]);
	ok(pid > 0 && read(h[0], &c, 1) == 1, "a client with a thread "
	    "blocked on a pipe of its own process");
	close(h[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (i = 0; i < 30 && r != 0; i++) {
		pfd.fd = p[0];
		pfd.events = RUMP_POLLIN;
		if (rump_sys_poll(&pfd, 1, 1000) == 1)
			r = (int)rump_sys_read(p[0], &c, 1);
	}
	ok(r == 0, "killed: its kernel process goes (the blocked call "
	    "returned when the process's descriptors were closed), and with "
	    "it its copy of our pipe's write end");
	rump_sys_close(p[0]);
}

/* The kernel's SIGPIPE (through the server) reaches the client. */
static void
test_sigpipe(void)
{
	struct sigaction sa;
	pthread_t t;
	void *r;
	pid_t pid;
	int p[2], q[2], st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sigaction(SIGPIPE, &sa, NULL);
	if (rump_sys_pipe(p) != 0 || rump_sys_pipe(q) != 0) {
		ok(0, "pipe");
		return;
	}
	ok(rump_sys_write(p[1], "x", 1) == 1 && npipe == 0,
	    "a write to a pipe with a reader: no signal");
	rump_sys_close(p[0]);
	pipe_thread = pthread_self();
	ok(rump_sys_write(p[1], "x", 1) == -1 && errno == EPIPE && npipe == 1,
	    "a write to a pipe whose reader closed: EPIPE, and SIGPIPE "
	    "raised before the call returned");
	pthread_create(&t, NULL, pipe_writer, &p[1]);
	pthread_join(t, &r);
	ok(r != NULL && !pipe_elsewhere, "... in the thread that made the "
	    "call");
	signal(SIGPIPE, SIG_IGN);
	ok(rump_sys_write(p[1], "x", 1) == -1 && errno == EPIPE,
	    "ignored: just EPIPE");
	rump_sys_close(q[0]);
	if ((pid = rumpclient_fork()) == 0) {
		signal(SIGPIPE, SIG_DFL);
		(void)rump_sys_write(q[1], "x", 1);
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGPIPE, "a client that keeps SIGPIPE's default "
	    "action dies of it, as a local process would");
	rump_sys_close(p[1]);
	rump_sys_close(q[1]);
}

/* Wait until a server listens at url: 0, or -1. */
static int
server_ready(void)
{
	struct sockaddr_un sun;
	int s, i;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(url + 7) >= sizeof(sun.sun_path))
		return -1;
	memcpy(sun.sun_path, url + 7, strlen(url + 7) + 1);
	for (i = 0; i < 500; i++) {
		if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
			return -1;
		if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			close(s);
			return 0;
		}
		close(s);
		usleep(10000);
	}
	return -1;
}

static void
kill_server(pid_t pid)
{

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The reconnect policies, the server killed and started again. */
static void
test_reconnect(void)
{
	struct rump_timespec ts = { 30, 0 };
	pid_t pid, kid;
	int fd;

	/* forever, from the environment. */
	setenv("RUMPCLIENT_RETRYCONN", "forever", 1);
	pid = start_server();
	ok(client_connect() == 0, "RUMPCLIENT_RETRYCONN=forever: connected");
	unsetenv("RUMPCLIENT_RETRYCONN");
	fd = rump_sys_open("/r", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	kill_server(pid);
	if ((pid = fork()) == 0) {
		/* The server comes back after a while. */
		usleep(500000);
		execl(server, server, "-s", "-l", "tmpfs", url, (char *)NULL);
		_exit(127);
	}
	ok(rump_sys_getpid() > 0, "forever: a call after the server died "
	    "waits until it is back, and goes to a new connection");
	ok(fd >= 0 && rump_sys_fcntl(fd, RUMP_F_GETFD, 0) == -1 &&
	    errno == EBADF, "... a new kernel process: the old descriptors "
	    "are gone");

	/* once */
	ok(rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE) == 0,
	    "rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE)");
	if ((kid = fork()) == 0) {
		usleep(300000);
		kill(pid, SIGKILL);
		_exit(0);
	}
	ok(rump_sys_nanosleep(&ts, NULL) == -1 && errno == EIO,
	    "a call in flight when the server died fails with EIO (it may "
	    "have run), whatever the policy");
	waitpid(kid, NULL, 0);
	waitpid(pid, NULL, 0);
	pid = start_server();
	ok(server_ready() == 0 && rump_sys_getpid() > 0, "once: the next "
	    "call reconnects");
	kill_server(pid);
	ok(rump_sys_getpid() == -1 && errno == EIO, "once: with no server "
	    "the one attempt fails: EIO");
	pid = start_server();
	ok(server_ready() == 0 && rump_sys_getpid() == -1 && errno == EIO,
	    "... and the client has given up for good");
	ok(rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE) == 0 &&
	    rump_sys_getpid() > 0, "a policy set again gets a new attempt");

	/* seconds */
	ok(rumpclient_setconnretry(1) == 0, "rumpclient_setconnretry(1)");
	kill_server(pid);
	ok(rump_sys_getpid() == -1 && errno == EIO, "1 s of attempts with "
	    "no server: EIO");

	/* none */
	pid = start_server();
	ok(rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_NONE) == 0 &&
	    server_ready() == 0 && rump_sys_getpid() == -1 &&
	    errno == EIO, "none: a broken connection stays broken");
	ok(rumpclient_init() == 0 && rump_sys_getpid() > 0,
	    "... until rumpclient_init()");
	ok(rumpclient_setconnretry(-3) == -1 && errno == EINVAL,
	    "rumpclient_setconnretry(-3): EINVAL");
	setenv("RUMPCLIENT_RETRYCONN", "sometimes", 1);
	ok(rumpclient_init() == -1 && errno == EINVAL,
	    "RUMPCLIENT_RETRYCONN=sometimes: rumpclient_init fails, EINVAL");
	unsetenv("RUMPCLIENT_RETRYCONN");
	kill_server(pid);
}

/* A client blocked in the kernel when the server dies by sig. */
static void
test_death(int sig, const char *how)
{
	struct rump_timespec ts = { 30, 0 };
	struct timespec t0, t1;
	pid_t pid = start_server(), kid;
	int status, r;

	if (client_connect() != 0) {
		ok(0, "%s: connect", how);
		return;
	}
	if ((kid = fork()) == 0) {
		usleep(300000);
		kill(pid, sig);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = rump_sys_nanosleep(&ts, NULL);
	ok(r == -1, "server ended by %s while a call slept in it: the call "
	    "fails (%s)", how, strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ok(t1.tv_sec - t0.tv_sec < 10, "... at once, not after the 30 s");
	ok(rump_sys_getpid() == -1, "... later calls fail too");
	waitpid(kid, NULL, 0);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == sig, "... (the server "
	    "died of it)");
	pid = start_server();
	ok(client_connect() == 0 && rump_sys_getpid() > 0,
	    "a server started again serves a new client");
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

/* A server halted by one client (rump.halt) while another sleeps in it. */
static void
test_halt(void)
{
	struct rump_timespec ts = { 30, 0 };
	struct timespec t0, t1;
	pid_t pid = start_server(), kid;
	int status, r;

	if (client_connect() != 0) {
		ok(0, "halt: connect");
		return;
	}
	if ((kid = fork()) == 0) {
		/* Another client, as rump.halt is. */
		usleep(300000);
		_exit(client_connect() == 0 &&
		    rump_sys_reboot(RUMP_RB_HALT) == 0 ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = rump_sys_nanosleep(&ts, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ok(r == -1 && t1.tv_sec - t0.tv_sec < 10, "server halted by another "
	    "client while a call slept in it: the call fails at once (%s)",
	    strerror(errno));
	ok(waitpid(kid, &status, 0) == kid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "... the halting client's reboot "
	    "succeeded");
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "... and the server exited 0");
}

int
main(void)
{
	pid_t pid;

	if (!sp_test_paths("t_remote_stress", server, url))
		return 0;
	signal(SIGPIPE, SIG_IGN);
	alarm(300);		/* a hang is a failure */
	pid = start_server();
	test_many();
	test_threads();
	test_inflight();
	test_killed();
	test_sigpipe();
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	test_death(SIGKILL, "SIGKILL");
	test_death(SIGABRT, "SIGABRT (a panic)");
	test_reconnect();
	test_halt();
	unlink(url + 7);
	return tap_done();
}
