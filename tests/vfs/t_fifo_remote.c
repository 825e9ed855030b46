/*
 * t_fifo_remote.c: a FIFO in a rump_server, and a client that dies
 * while its open of it waits.
 *
 * The FIFO cases of the file-semantics suite run remotely as well
 * (tests/sp/t_remote_fssuite); this is what only a remote kernel has:
 * a client killed while its open(O_RDONLY) waits in the server.  The
 * kernel cannot interrupt a sleeping LWP yet (docs/sysproxy.md), so the
 * open goes on waiting and still counts as a reader: a writer opening
 * with O_NONBLOCK finds it, which ends the wait.  The dead client's
 * kernel process then goes, closing what its open returned, and
 * nothing may be left behind: the writer sees POLLERR and EPIPE, and
 * the tmpfs holding the FIFO unmounts (no vnode still referenced).
 *
 * The client is killed a moment after it says it is about to open; if
 * its open never reached the server, the points are skipped.  alarm()
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

/* A client's open of FIFO that waits, the client killed meanwhile. */
static void
killed_opener(void)
{
	struct rump_pollfd pfd;
	int sync[2], w = -1, i, rv;
	pid_t child;
	char c;

	if (pipe(sync) != 0 || (child = rumpclient_fork()) == -1) {
		ok(0, "a client of its own: %s", strerror(errno));
		return;
	}
	if (child == 0) {
		close(sync[0]);
		(void)write(sync[1], "o", 1);
		rump_sys_open(FIFO, RUMP_O_RDONLY, 0);
		_exit(2);		/* no writer: never gets here */
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) == 1)
		usleep(200 * 1000);	/* let its open reach the server */
	close(sync[0]);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (i = 0; i < 500 && w == -1; i++)
		if ((w = rump_sys_open(FIFO, RUMP_O_WRONLY | RUMP_O_NONBLOCK,
		    0)) == -1) {
			if (errno != ENXIO)
				break;
			usleep(10 * 1000);
		}
	if (w == -1) {
		skip(3, "the killed client's open never reached the server");
		return;
	}
	ok(1, "the open of a killed client still waits, and counts as a "
	    "reader: O_WRONLY|O_NONBLOCK opens");
	/* No events asked: only POLLERR (no reader left) can end it. */
	pfd.fd = w;
	pfd.events = 0;
	pfd.revents = 0;
	rv = rump_sys_poll(&pfd, 1, -1);
	ok(rv == 1 && pfd.revents == RUMP_POLLERR &&
	    rump_sys_write(w, "x", 1) == -1 && errno == EPIPE,
	    "that ended its wait; its process went and closed it: POLLERR, "
	    "EPIPE");
	rump_sys_close(w);
}

int
main(void)
{
	const char *b = getenv("RUMP_BUILD");
	char server[512], url[160], sock[128];
	int status, connected, rv, i;
	pid_t pid;

	snprintf(sock, sizeof(sock), "%s/t_fifo_remote.%d",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	snprintf(server, sizeof(server), "%s/bin/rump_server", b ? b : "build");
	snprintf(url, sizeof(url), "unix://%s", sock);
	if (access(server, X_OK) != 0) {
		printf("1..0 # SKIP %s not built\n", server);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_alarm);
	alarm(GUARD);
	pid = sp_server_start(server, "tmpfs", url, NULL);
	connected = sp_client_connect(url) == 0;
	ok(connected, "connected to rump_server");
	if (connected) {
		ok(rump_sys_mkdir("/mnt", 0755) == 0 &&
		    rump_sys_mount("tmpfs", "/mnt", 0, NULL, 0) == 0 &&
		    rump_sys_mkfifo(FIFO, 0666) == 0,
		    "a FIFO in a tmpfs mounted in the server");
		killed_opener();
		rump_sys_unlink(FIFO);
		/* The dead client's last release runs after the close
		 * that told the writer. */
		for (i = 0; (rv = rump_sys_unmount("/mnt", 0)) == -1 &&
		    errno == EBUSY && i < 500; i++)
			usleep(10 * 1000);
		ok(rv == 0, "the tmpfs unmounts: nothing of the dead client "
		    "is left referenced");
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	unlink(sock);
	return tap_done();
}
