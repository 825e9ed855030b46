/*
 * t_remote_fork.c: fork and exec of a librumpclient program through
 * rump_server, as the hijack library will do them for sh.
 *
 * Fork: a child made by rumpclient_fork() is a new kernel process
 * (its own pid, the parent's as parent) whose descriptors are the
 * parent's open files, offsets shared; the child closing its copy
 * leaves the parent's working; what the child opens is its own.  The
 * child of a plain fork() that calls rumpclient_init() is a new
 * process and leaves the parent's connection alone.  A
 * child whose host parent exits at once still adopts its process (the
 * server does not discard it with the parent's connection).  A child
 * the server parked but nobody adopted (prefork, no fork_init) is
 * discarded: the pipe end it held closes, after RUMP_SERVER_FORKWAIT
 * seconds (5 here), and not at once.
 *
 * Exec: rumpclient_exec() of a failing path returns ENOENT and leaves
 * the client working; of h_remote_exec, the new image finds the same
 * kernel process (pid, gid, cwd, a descriptor with its offset) and its
 * close-on-exec descriptor closed.  Each forked child reports through
 * its exit status only (the TAP output is the parent's).
 */
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "spsubr.h"

static char server[512], helper[512], url[300];

/* The exit status of host child pid: 0..255, or -1 if it did not exit. */
static int
status_of(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
test_fork(void)
{
	rump_pid_t me = rump_sys_getpid();
	char buf[64];
	pid_t pid;
	int fd, st, nfd = -1;

	fd = rump_sys_open("/f", RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	ok(fd >= 0 && rump_sys_write(fd, "parent:", 7) == 7,
	    "parent: a file open, 7 bytes written");
	if ((pid = rumpclient_fork()) == 0) {
		/* The child: report by exit status. */
		if (rump_sys_getpid() == me || rump_sys_getppid() != me)
			_exit(1);
		if (rump_sys_write(fd, "child", 5) != 5)
			_exit(2);
		if ((nfd = rump_sys_open("/g", RUMP_O_RDWR | RUMP_O_CREAT,
		    0644)) < 0)
			_exit(3);
		if (rump_sys_close(fd) != 0)
			_exit(4);
		/* Tell the parent which number the child's own file got. */
		_exit(nfd < 100 ? 10 + nfd : 5);
	}
	ok(pid > 0, "rumpclient_fork: %s", pid > 0 ? "forked" :
	    strerror(errno));
	st = pid > 0 ? status_of(pid) : -1;
	ok(st >= 10, "child: a new kernel process (own pid, parent's as "
	    "parent), wrote through the inherited descriptor, opened a file "
	    "of its own, closed its copy (status %d)", st);
	ok(rump_sys_lseek(fd, 0, RUMP_SEEK_CUR) == 12,
	    "the offset is shared: the child's write moved the parent's");
	memset(buf, 0, sizeof(buf));
	ok(rump_sys_write(fd, "parent", 6) == 6 &&
	    rump_sys_pread(fd, buf, sizeof(buf), 0) == 18 &&
	    strcmp(buf, "parent:childparent") == 0,
	    "the parent's descriptor works after the child closed its copy");
	if (st >= 10) {
		nfd = st - 10;
		ok(nfd != fd && rump_sys_fcntl(nfd, RUMP_F_GETFD, 0) == -1 &&
		    errno == EBADF, "descriptor %d, the child's own, is not "
		    "the parent's", nfd);
	} else
		ok(0, "descriptor of the child's own");
	rump_sys_close(fd);
}

/* A plain fork() whose child starts afresh with rumpclient_init(). */
static void
test_plainfork(void)
{
	rump_pid_t me = rump_sys_getpid();
	pid_t pid;
	int st;

	if ((pid = fork()) == 0)
		_exit(rumpclient_init() == 0 && rump_sys_getpid() != me &&
		    rump_sys_getppid() == 1 ? 0 : 1);
	st = pid > 0 ? status_of(pid) : -1;
	ok(st == 0, "a plain fork()'s child calling rumpclient_init() gets "
	    "a new process of its own (%d) ...", st);
	ok(rump_sys_getpid() == me, "... and leaves the parent's connection "
	    "alone");
}

/*
 * A client forks and exits at once, before its child adopts the
 * process parked for it (a shell running "cmd &" in a subshell).
 */
static void
test_orphan(void)
{
	rump_pid_t me = rump_sys_getpid();
	struct rumpclient_fork *rpf;
	int p[2], fd, st = -1;
	pid_t mid, gc;
	char c = 0;

	fd = rump_sys_open("/o", RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	if (pipe(p) != 0 || fd < 0) {
		ok(0, "orphan: setup");
		return;
	}
	if ((mid = rumpclient_fork()) == 0) {
		/* A client of its own, a child of ours: it forks, and
		 * leaves without waiting. */
		if (rumpclient_prefork(&rpf) != 0)
			_exit(1);
		if ((gc = fork()) == 0) {
			usleep(300000);
			if (rumpclient_fork_init(rpf) == 0)
				c = rump_sys_getppid() != me &&
				    rump_sys_write(fd, "o", 1) == 1 ?
				    'y' : 'n';
			else
				c = 'i';
			(void)write(p[1], &c, 1);
			_exit(0);
		}
		rumpclient_fork_cancel(rpf);
		_exit(gc > 0 ? 0 : 2);
	}
	close(p[1]);
	st = mid > 0 ? status_of(mid) : -1;
	if (read(p[0], &c, 1) != 1)
		c = 0;
	close(p[0]);
	ok(st == 0 && c == 'y' && rump_sys_lseek(fd, 0, RUMP_SEEK_END) == 1,
	    "a child whose parent exited before it adopted its process "
	    "still does, and writes through the inherited descriptor "
	    "(%d, %c)", st, c ? c : '-');
	rump_sys_close(fd);
}

/* A child parked by prefork and never adopted is discarded in time. */
static void
test_unclaimed(void)
{
	struct rumpclient_fork *rpf;
	struct rump_pollfd pfd;
	char c;
	int p[2], i, r = -1;

	if (rump_sys_pipe2(p, RUMP_O_NONBLOCK) != 0) {
		ok(0, "pipe2");
		return;
	}
	ok(rumpclient_prefork(&rpf) == 0, "prefork: the server parks a "
	    "child holding copies of both pipe ends");
	rumpclient_fork_cancel(rpf);	/* no fork(), no fork_init */
	rump_sys_close(p[1]);
	ok(rump_sys_read(p[0], &c, 1) == -1 && errno == EAGAIN,
	    "with our write end closed the pipe still has a writer: the "
	    "parked child");
	/* It goes after RUMP_SERVER_FORKWAIT (5) seconds: wait up to 30. */
	for (i = 0; i < 30; i++) {
		pfd.fd = p[0];
		pfd.events = RUMP_POLLIN;
		pfd.revents = 0;
		if (rump_sys_poll(&pfd, 1, 1000) == 1 &&
		    (r = (int)rump_sys_read(p[0], &c, 1)) == 0)
			break;
	}
	ok(r == 0, "... until the server discards the unclaimed child: "
	    "EOF, its write end is closed");
	rump_sys_close(p[0]);
}

static void
test_exec(void)
{
	char a1[16], a2[16], a3[16], a4[16];
	char *args[] = { helper, a1, a2, a3, a4, NULL };
	char *bad[] = { "/nonexistent/h", NULL };
	extern char **environ;
	pid_t pid;
	int st, fd, cfd, mfd;

	if ((pid = rumpclient_fork()) == 0) {
		/* The child sets up a process, then execs the helper. */
		if (rump_sys_mkdir("/xd", 0755) != 0 ||
		    rump_sys_chdir("/xd") != 0 ||
		    (mfd = rump_sys_open("marker", RUMP_O_CREAT |
		    RUMP_O_WRONLY, 0644)) < 0 || rump_sys_close(mfd) != 0 ||
		    rump_sys_setgid(55) != 0)
			_exit(101);
		fd = rump_sys_open("/x", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
		cfd = rump_sys_open("/x", RUMP_O_RDONLY | RUMP_O_CLOEXEC, 0);
		if (fd < 0 || cfd < 0 || rump_sys_write(fd, "exec me", 7) != 7)
			_exit(102);
		if (rumpclient_exec(bad[0], bad, environ) != -1 ||
		    errno != ENOENT)
			_exit(103);
		/* After the failed exec, everything as it was. */
		if (rump_sys_fcntl(cfd, RUMP_F_GETFD, 0) != RUMP_FD_CLOEXEC ||
		    rump_sys_lseek(fd, 0, RUMP_SEEK_CUR) != 7)
			_exit(104);
		snprintf(a1, sizeof(a1), "%d", (int)rump_sys_getpid());
		snprintf(a2, sizeof(a2), "%d", fd);
		snprintf(a3, sizeof(a3), "%d", cfd);
		snprintf(a4, sizeof(a4), "%d", 55);
		rumpclient_exec(helper, args, environ);
		_exit(105);
	}
	st = pid > 0 ? status_of(pid) : -1;
	ok(st != 101 && st != 102 && st != 103 && st != 104 && st != -1,
	    "exec of a missing program: -1, ENOENT; the client goes on "
	    "with its descriptors, close-on-exec flag and offset (%d)", st);
	ok(st == 0, "exec of h_remote_exec: the new image's rumpclient_init "
	    "finds the same kernel process (pid, gid, cwd, a descriptor and "
	    "its offset), the close-on-exec descriptor closed (status %d: "
	    "see h_remote_exec.c)", st);
	ok(rump_sys_getpid() > 0, "the parent is unaffected");
}

int
main(void)
{
	const char *b = getenv("RUMP_BUILD");
	pid_t spid;

	snprintf(server, sizeof(server), "%s/bin/rump_server", b ? b : "build");
	snprintf(helper, sizeof(helper), "%s/tests/sp/h_remote_exec",
	    b ? b : "build");
	snprintf(url, sizeof(url), "unix://%s/t_remote_fork.%d",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	if (access(server, X_OK) != 0 || access(helper, X_OK) != 0) {
		printf("1..0 # SKIP rump_server or h_remote_exec not built\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	setenv("RUMP_SERVER_FORKWAIT", "5", 1);
	spid = sp_server_start(server, "tmpfs", url, NULL);
	if (sp_client_connect(url) != 0) {
		ok(0, "connect to the server");
		kill(spid, SIGTERM);
		return tap_done();
	}
	test_fork();
	test_plainfork();
	test_orphan();
	test_unclaimed();
	test_exec();
	kill(spid, SIGTERM);
	waitpid(spid, NULL, 0);
	unlink(url + 7);
	return tap_done();
}
