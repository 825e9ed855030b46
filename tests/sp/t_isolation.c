/*
 * t_isolation.c: a driver that panics takes down its own server and
 * nothing else (issue 5, "Isolation test").
 *
 * rump_server loads panicfs (tests/sp/panicfs), a test-only component
 * whose mount panics the kernel.  Two client processes connect: one
 * sits in a read of an empty pipe in the server, the other mounts
 * panicfs.  The kernel panics (its message on the server's stderr, the
 * server dead of SIGABRT); both clients' calls must fail with an
 * error, not hang, and later calls too; a server started again on the
 * same URL serves a new client.  A hang is caught by alarm(), which
 * fails the test instead of stalling make check; no time is asserted.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "spsubr.h"

#define GUARD	30	/* seconds before a call counts as hung */

static char server[512], panicfs[512], url[300], work[256], errlog[300];
static volatile pid_t srv;

static void
hung(int sig __attribute__((__unused__)))
{
	static const char msg[] = "Bail out! a call hung (alarm): a dead "
	    "server must fail calls, not stall them\n";

	(void)write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	if (srv > 0)
		kill(srv, SIGKILL);
	_exit(1);
}

/* The error of a call whose server went away. */
static int
lost(int e)
{

	return e == EIO || e == ENOTCONN || e == ECONNRESET || e == EPIPE;
}

/* rump_server -s -l tmpfs -l panicfs URL, its stderr in errlog. */
static pid_t
start_server(void)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) == 0) {
		struct rlimit nocore = { 0, 0 };

		/* A panic aborts: no core file for the test's. */
		(void)setrlimit(RLIMIT_CORE, &nocore);
		if ((fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC,
		    0644)) >= 0)
			dup2(fd, STDERR_FILENO);
		execl(server, server, "-s", "-l", "tmpfs", "-l", panicfs, url,
		    (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Does the server's stderr hold s? */
static int
logged(const char *s)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if ((fd = open(errlog, O_RDONLY)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strstr(buf, s) != NULL;
}

/*
 * The client that waits: a read of an empty pipe in the server.  It
 * says "r" when about to read, then sends the read's result and errno.
 */
static void
reader(int out)
{
	int p[2], res[2];
	char c;

	signal(SIGALRM, SIG_DFL);	/* a hang kills it */
	alarm(GUARD);
	if (sp_client_connect(url) != 0 || rump_sys_pipe(p) != 0)
		_exit(2);
	if (write(out, "r", 1) != 1)
		_exit(3);
	res[0] = (int)rump_sys_read(p[0], &c, 1);
	res[1] = errno;
	if (write(out, res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(4);
	_exit(0);
}

int
main(void)
{
	const char *b = getenv("RUMP_BUILD"), *tmp = getenv("TMPDIR");
	int pfd[2], res[2], status, n, r, e;
	pid_t rd;
	char c;

	snprintf(server, sizeof(server), "%s/bin/rump_server", b ? b : "build");
	snprintf(panicfs, sizeof(panicfs),
	    "%s/tests/lib/librumpktest_panicfs.so", b ? b : "build");
	if (access(server, X_OK) != 0 || access(panicfs, R_OK) != 0) {
		printf("1..0 # SKIP rump_server or panicfs not built\n");
		return 0;
	}
	snprintf(work, sizeof(work), "%s/t_isolation.XXXXXX", tmp ? tmp :
	    "/tmp");
	if (mkdtemp(work) == NULL)
		return 1;
	snprintf(url, sizeof(url), "unix://%s/sock", work);
	snprintf(errlog, sizeof(errlog), "%s/server.err", work);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, hung);
	alarm(2 * GUARD);

	srv = start_server();
	if (pipe(pfd) != 0)
		return 1;
	if ((rd = fork()) == 0) {
		close(pfd[0]);
		reader(pfd[1]);
	}
	close(pfd[1]);
	ok(read(pfd[0], &c, 1) == 1 && c == 'r', "client 1 connected to "
	    "rump_server -l tmpfs -l panicfs, made a pipe, reads it");
	ok(sp_client_connect(url) == 0 &&
	    rump_sys_mkdir("/mnt", 0755) == 0, "client 2 connected");
	/* Give client 1's read time to reach the server: a nudge only;
	 * had it not, the read would still have to fail below. */
	usleep(300000);
	(void)fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	ok(read(pfd[0], res, sizeof(res)) == -1 && errno == EAGAIN,
	    "... client 1's read is still waiting in the server");
	(void)fcntl(pfd[0], F_SETFL, 0);

	r = rump_sys_mount("panicfs", "/mnt", 0, NULL, 0);
	e = errno;
	ok(r == -1 && lost(e), "client 2 mounts panicfs: the kernel panics, "
	    "and the call fails with an error (%s)", strerror(e));
	n = (int)read(pfd[0], res, sizeof(res));
	ok(n == (int)sizeof(res) && res[0] == -1 && lost(res[1]),
	    "client 1's read fails with an error too (%s)",
	    n == (int)sizeof(res) ? strerror(res[1]) : "no answer");
	ok(waitpid(rd, &status, 0) == rd && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "... and client 1 goes on and exits "
	    "normally");
	if (waitpid(srv, &status, 0) != srv)
		status = 0;
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "the server "
	    "is gone, dead of SIGABRT (wait status 0x%x)", status);
	ok(logged("panic: panicfs: mounted"), "... after the kernel's panic "
	    "message on its stderr");
	r = rump_sys_getpid();
	e = errno;
	ok(r == -1 && lost(e), "client 2's later calls fail (%s)",
	    strerror(e));

	srv = start_server();
	ok(sp_client_connect(url) == 0 && rump_sys_getpid() > 0,
	    "a server started again on the same URL serves a new client");
	{
		int p[2];

		ok(rump_sys_pipe(p) == 0 && rump_sys_write(p[1], "x", 1) == 1 &&
		    rump_sys_read(p[0], &c, 1) == 1 && c == 'x' &&
		    rump_sys_mkdir("/mnt", 0755) == 0,
		    "... a fresh kernel: a pipe works, /mnt can be made again");
	}
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	srv = 0;
	unlink(errlog);
	unlink(url + 7);
	rmdir(work);
	return tap_done();
}
