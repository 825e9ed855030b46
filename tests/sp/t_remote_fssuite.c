/*
 * t_remote_fssuite.c: the file-semantics suite of the VFS issue, run
 * through the remote path: this program links librumpclient instead of
 * the kernel, so every rump_sys_* call in the suite is marshalled,
 * sent to a rump_server started here, run in the server's kernel, and
 * its results sent back.  Local and remote must agree case by case:
 * the suite is the same code as tests/vfs/t_tmpfs runs locally; its
 * other users and processes are made with rump_lwproc_rfork, which
 * librumpclient does through the server (SP_FORKREQ, a connection per
 * child).
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
#include "../vfs/fssuite.h"
#include "spsubr.h"

int
main(void)
{
	char server[SP_PATHLEN], url[SP_PATHLEN];
	pid_t pid;
	int status, connected;

	if (!sp_test_paths("t_remote_fss", server, url))
		return 0;
	signal(SIGPIPE, SIG_IGN);
	pid = sp_server_start(server, "tmpfs", url, NULL);
	connected = sp_client_connect(url) == 0;
	ok(connected, "connected to rump_server");
	if (connected) {
		ok(rump_sys_mkdir("/fss", 0755) == 0, "a directory in the "
		    "server's root file system");
		/* Other users and other processes are child processes
		 * made through the server (rump_lwproc_rfork remotely, a
		 * connection per child and per thread). */
		fssuite_run("/fss", 0);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	unlink(url + 7);
	return tap_done();
}
