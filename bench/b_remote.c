/*
 * b_remote.c: the cost of a remote system call, against a bare unix-
 * socket round trip measured in the same run.
 * Usage: b_remote BINDIR WORKDIR.
 *
 * Starts BINDIR/rump_server -l tmpfs on a unix socket and, through
 * librumpclient, times rump_sys_getpid() (a null call: header-only
 * request and reply), a 4 KiB pwrite and a 4 KiB pread.  The baseline
 * is a 1-byte ping-pong between this process and a child over a unix
 * socketpair.  Medians of rounds of N calls, per call.  Then NCLIENTS
 * client processes make null calls at once: their total rate against
 * one client's; and NTHREADS threads of this one client, their calls
 * in flight together on its one connection, against one thread's.
 * "key value" lines for bench/run.sh.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include "bench.h"
#include "../tests/sp/spsubr.h"

#define ROUNDS	7
#define N	5000
#define NCLIENTS 4
#define NTHREADS 4

static double
pingpong(void)
{
	double v[ROUNDS];
	int sv[2], r, i;
	uint64_t t0;
	pid_t pid;
	char c = 'x';

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		exit(1);
	if ((pid = fork()) == 0) {
		close(sv[0]);
		while (read(sv[1], &c, 1) == 1)
			if (write(sv[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(sv[1]);
	for (r = 0; r < ROUNDS; r++) {
		t0 = now();
		for (i = 0; i < N; i++)
			if (write(sv[0], &c, 1) != 1 || read(sv[0], &c, 1) != 1)
				exit(1);
		v[r] = (double)(now() - t0) / N;
	}
	close(sv[0]);
	waitpid(pid, NULL, 0);
	return median(v, ROUNDS);
}

static void *
nullcalls(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < N; i++)
		(void)rump_sys_getpid();
	return NULL;
}

int
main(int argc, char **argv)
{
	static char blk[4096];
	char server[512], url[600];
	double v[ROUNDS], base, one_ns;
	uint64_t t0;
	pid_t pid;
	int r, i, fd;

	if (argc != 3) {
		fprintf(stderr, "usage: b_remote bindir workdir\n");
		return 2;
	}
	snprintf(server, sizeof(server), "%s/rump_server", argv[1]);
	snprintf(url, sizeof(url), "unix://%s/sock", argv[2]);
	signal(SIGPIPE, SIG_IGN);
	pid = sp_server_start(server, "tmpfs", url, NULL);
	if (sp_client_connect(url) != 0) {
		fprintf(stderr, "b_remote: cannot reach %s\n", url);
		kill(pid, SIGTERM);
		return 1;
	}
	base = pingpong();
	for (r = 0; r < ROUNDS; r++) {
		t0 = now();
		for (i = 0; i < N; i++)
			(void)rump_sys_getpid();
		v[r] = (double)(now() - t0) / N;
	}
	one_ns = median(v, ROUNDS);
	printf("remote_null_ns %.0f\n", one_ns);
	printf("remote_pingpong_ns %.0f\n", base);
	fd = rump_sys_open("/bench", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	for (r = 0; r < ROUNDS; r++) {
		t0 = now();
		for (i = 0; i < N; i++)
			(void)rump_sys_pwrite(fd, blk, sizeof(blk), 0);
		v[r] = (double)(now() - t0) / N;
	}
	printf("remote_write4k_ns %.0f\n", median(v, ROUNDS));
	for (r = 0; r < ROUNDS; r++) {
		t0 = now();
		for (i = 0; i < N; i++)
			(void)rump_sys_pread(fd, blk, sizeof(blk), 0);
		v[r] = (double)(now() - t0) / N;
	}
	printf("remote_read4k_ns %.0f\n", median(v, ROUNDS));
	{
		/* Many clients: each its own connection and process. */
		int pfd[2], k;
		pid_t kids[NCLIENTS];

		if (pipe(pfd) != 0)
			return 1;
		for (k = 0; k < NCLIENTS; k++) {
			if ((kids[k] = fork()) == 0) {
				char go;

				close(pfd[1]);
				if (sp_client_connect(url) != 0 ||
				    read(pfd[0], &go, 1) != 1)
					_exit(1);
				for (i = 0; i < N; i++)
					(void)rump_sys_getpid();
				_exit(0);
			}
		}
		close(pfd[0]);
		usleep(200000);		/* all connected */
		t0 = now();
		for (k = 0; k < NCLIENTS; k++)
			(void)write(pfd[1], "g", 1);
		for (k = 0; k < NCLIENTS; k++)
			waitpid(kids[k], NULL, 0);
		printf("remote_many_calls_per_s %.0f\n",
		    (double)NCLIENTS * N / ((double)(now() - t0) / 1e9));
		printf("remote_one_calls_per_s %.0f\n", 1e9 / one_ns);
		close(pfd[1]);
	}
	{
		/* Threads of one client: one connection, one process. */
		pthread_t t[NTHREADS];
		int k;

		t0 = now();
		for (k = 0; k < NTHREADS; k++)
			if (pthread_create(&t[k], NULL, nullcalls, NULL) != 0)
				return 1;
		for (k = 0; k < NTHREADS; k++)
			pthread_join(t[k], NULL);
		printf("remote_threads_calls_per_s %.0f\n",
		    (double)NTHREADS * N / ((double)(now() - t0) / 1e9));
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return 0;
}
