/*
 * b_server.c: how long a server takes to be ready, dlopen()ing its
 * components against having them linked in.
 * Usage: b_server BINDIR WORKDIR.
 *
 * Times, per run, from fork to the exit of the daemon's parent (which
 * exits once the socket listens, usage as a script would see it) for
 * rump_server -l ffs (dlopen of vfs, tmpfs and ffs), rump_allserver
 * (the same components linked in) and rump_server without -l (a bare
 * kernel); each server is halted through librumpclient afterwards.
 * The three kinds are interleaved, RUNS of each; medians in ns as
 * "key value" lines for bench/run.sh.
 */
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include "bench.h"

#define RUNS	21

/* One daemon start: ns until its parent exits 0, or 0 on failure. */
static double
ready(const char *server, const char *comps, const char *url)
{
	uint64_t t0 = now();
	pid_t pid;
	int status;

	if ((pid = fork()) == 0) {
		if (comps != NULL)
			execl(server, server, "-l", comps, url, (char *)NULL);
		else
			execl(server, server, url, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 0;
	return (double)(now() - t0);
}

/* Halt the daemon at url (it exits after the reply). */
static void
halt(const char *url)
{

	setenv("RUMP_SERVER", url, 1);
	if (rumpclient_init() == 0)
		(void)rump_sys_reboot(0);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*key, *prog, *comps;
	} kinds[] = {
		{ "server_ready_dl_ns", "rump_server", "ffs" },
		{ "server_ready_all_ns", "rump_allserver", NULL },
		{ "server_ready_bare_ns", "rump_server", NULL },
	};
	double v[3][RUNS];
	char server[600], url[600];
	int r, k;

	if (argc != 3) {
		fprintf(stderr, "usage: b_server bindir workdir\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	for (r = 0; r < RUNS; r++) {
		for (k = 0; k < 3; k++) {
			snprintf(server, sizeof(server), "%s/%s", argv[1],
			    kinds[k].prog);
			snprintf(url, sizeof(url), "unix://%s/srv%d.%d",
			    argv[2], k, r);
			if ((v[k][r] = ready(server, kinds[k].comps, url)) ==
			    0) {
				fprintf(stderr, "b_server: %s did not start\n",
				    server);
				return 1;
			}
			halt(url);
		}
	}
	for (k = 0; k < 3; k++)
		printf("%s %.0f\n", kinds[k].key, median(v[k], RUNS));
	return 0;
}
