/*
 * spsubr.h: for the remote-call tests and benchmarks: start a
 * rump_server in the foreground as a child, and connect librumpclient
 * to it once it listens.
 *
 *	sp_server_start(server, comps, url, dev)  fork and exec server -s
 *	    [-l comps] [-d dev] url (comps: the components to load, NULL
 *	    for a bare kernel); the child's pid, or -1.
 *	sp_client_connect(url)  RUMP_SERVER=url and rumpclient_init(),
 *	    retried for up to 3 s while the server comes up; 0 or -1.
 *	sp_test_paths(name, server, url)  $RUMP_BUILD/bin/rump_server and
 *	    unix://$TMPDIR/name.pid (SP_PATHLEN bytes each); false, after
 *	    printing the plan's skip, if the server is not built.
 */
#ifndef TESTS_SP_SPSUBR_H
#define TESTS_SP_SPSUBR_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rump/rumpclient.h>

static inline pid_t
sp_server_start(const char *server, const char *comps, const char *url,
    const char *dev)
{
	const char *argv[8];
	int n = 0;
	pid_t pid;

	argv[n++] = server;
	argv[n++] = "-s";
	if (comps != NULL) {
		argv[n++] = "-l";
		argv[n++] = comps;
	}
	if (dev != NULL) {
		argv[n++] = "-d";
		argv[n++] = dev;
	}
	argv[n++] = url;
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		execv(server, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static inline int
sp_client_connect(const char *url)
{
	int i;

	setenv("RUMP_SERVER", url, 1);
	for (i = 0; i < 300; i++) {
		if (rumpclient_init() == 0)
			return 0;
		usleep(10000);
	}
	return -1;
}

#define SP_PATHLEN	256

static inline bool
sp_test_paths(const char *name, char *server, char *url)
{
	const char *b = getenv("RUMP_BUILD"), *tmp = getenv("TMPDIR");

	snprintf(server, SP_PATHLEN, "%s/bin/rump_server", b ? b : "build");
	snprintf(url, SP_PATHLEN, "unix://%s/%s.%d", tmp ? tmp : "/tmp",
	    name, (int)getpid());
	if (access(server, X_OK) != 0) {
		printf("1..0 # SKIP %s not built\n", server);
		return false;
	}
	return true;
}

#endif /* TESTS_SP_SPSUBR_H */
