/*
 * t_fifo_remote.c: a FIFO in a rump_server, and a client that dies
 * while a call of it waits on the FIFO in the server.
 *
 * The FIFO cases of the file-semantics suite run remotely as well
 * (tests/sp/t_remote_fssuite); this is what only a remote kernel has:
 * a client killed while its open(O_RDONLY) or its read waits in the
 * server.  rump_server interrupts the process of a client that goes
 * with calls in flight (rump_lwproc_interrupt): the waits end with
 * EINTR, the process goes, and nothing is left referenced - the tmpfs
 * holding the FIFO unmounts without force.
 *
 * The client is killed a moment after it says it is about to wait; if
 * its call had not reached the server yet it never waits at all, and
 * the point passes for that reason instead (not seen here).  alarm()
 * turns a hang into a failure.  Nothing measures time.
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
#include "../sp/spsubr.h"

#define GUARD	120	/* seconds before a hang is a failure */
#define FIFO	"/mnt/p"

static void
on_alarm(int sig)
{
	static const char msg[] = "Bail out! a call hung (alarm)\n";

	(void)sig;
	(void)write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

/*
 * A client blocked in the server on FIFO (how: RUMP_O_RDONLY, an open
 * that waits for a writer; RUMP_O_RDWR, then a read that waits for
 * data) is killed.  The server interrupts the client's process, so the
 * call ends (EINTR), the process goes and its FIFO is released: the
 * tmpfs then unmounts without force.  Without the interrupt the call
 * waits for good and the unmount stays EBUSY.
 */
static void
killed_waiter(int how, const char *what)
{
	int sync[2], i, rv = -1;
	pid_t child;
	char c;

	if (rump_sys_mkdir("/mnt", 0755) != 0 && errno != EEXIST) {
		ok(0, "%s: mkdir", what);
		return;
	}
	if (rump_sys_mount("tmpfs", "/mnt", 0, NULL, 0) != 0 ||
	    rump_sys_mkfifo(FIFO, 0666) != 0) {
		ok(0, "%s: a FIFO in a tmpfs: %s", what, strerror(errno));
		return;
	}
	if (pipe(sync) != 0 || (child = rumpclient_fork()) == -1) {
		ok(0, "a client of its own: %s", strerror(errno));
		return;
	}
	if (child == 0) {
		int fd;

		close(sync[0]);
		if (how == RUMP_O_RDONLY) {
			(void)write(sync[1], "o", 1);
			rump_sys_open(FIFO, RUMP_O_RDONLY, 0);
		} else if ((fd = rump_sys_open(FIFO, RUMP_O_RDWR, 0)) >= 0) {
			(void)write(sync[1], "o", 1);
			(void)rump_sys_read(fd, &c, 1);
		}
		_exit(2);		/* nothing comes: never gets here */
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) == 1)
		usleep(300 * 1000);	/* let its call reach the server */
	close(sync[0]);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (i = 0; i < 500 && (rv = rump_sys_unmount("/mnt", 0)) == -1 &&
	    errno == EBUSY; i++)
		usleep(10 * 1000);
	ok(rv == 0, "%s: the killed client's call ends, its process goes, "
	    "the FIFO's tmpfs unmounts without force", what);
	if (rv != 0)
		(void)rump_sys_unmount("/mnt", RUMP_MNT_FORCE);
}

int
main(void)
{
	char server[SP_PATHLEN], url[SP_PATHLEN];
	int status, connected;
	pid_t pid;

	if (!sp_test_paths("t_fifo_remote", server, url))
		return 0;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_alarm);
	alarm(GUARD);
	pid = sp_server_start(server, "tmpfs", url, NULL);
	connected = sp_client_connect(url) == 0;
	ok(connected, "connected to rump_server");
	if (connected) {
		killed_waiter(RUMP_O_RDONLY, "an open waiting for a writer");
		killed_waiter(RUMP_O_RDWR, "a read waiting for data");
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	unlink(url + 7);
	return tap_done();
}
