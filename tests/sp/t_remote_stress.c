/*
 * t_remote_stress.c: many clients at once, and servers that die.
 *
 * Eight client processes of two threads each work through one
 * rump_server at the same time, each thread in a directory of its own
 * (create, write, read back, rename, unlink), and everything must come
 * out as if they had been alone.  Then the server is killed (SIGKILL,
 * and SIGABRT as a driver panic would end it) while a client is blocked
 * in a call: the call must fail with an error, not hang, later calls
 * too; a server started again serves new clients.
 */
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

static char server[512], url[300];

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
			/* One connection, one mutex: the threads take
			 * turns on it (several calls in flight: later). */
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

/* A client blocked in the kernel when the server dies by sig. */
static void
test_death(int sig, const char *how)
{
	struct rump_timespec ts = { 30, 0 };
	struct timespec t0, t1;
	pid_t pid = start_server(), kid;
	int status;

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
	ok(rump_sys_nanosleep(&ts, NULL) == -1, "server ended by %s while "
	    "a call slept in it: the call fails (%s)", how, strerror(errno));
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

int
main(void)
{
	const char *b = getenv("RUMP_BUILD");
	pid_t pid;

	snprintf(server, sizeof(server), "%s/bin/rump_server", b ? b : "build");
	snprintf(url, sizeof(url), "unix://%s/t_remote_stress.%d",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	if (access(server, X_OK) != 0) {
		printf("1..0 # SKIP rump_server not built\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	pid = start_server();
	test_many();
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	test_death(SIGKILL, "SIGKILL");
	test_death(SIGABRT, "SIGABRT (a panic)");
	unlink(url + 7);
	return tap_done();
}
