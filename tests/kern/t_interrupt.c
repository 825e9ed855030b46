/*
 * t_interrupt.c: rump_lwproc_interrupt() ends the interruptible sleeps
 * of the calling thread's process with EINTR - a nanosleep, a read of
 * an empty pipe and a poll with no timeout, each in its own LWP of the
 * process - and leaves other processes' sleeps alone.  rump_server
 * uses it when a client goes with calls still blocked (t_fifo_remote
 * shows that end of it).  alarm() turns a hang into a failure.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"

static rump_pid_t pid;
static int pfd[2];

struct sleeper {
	int	kind;		/* 0 nanosleep, 1 read, 2 poll */
	int	rv;
	int	error;
};

static void *
sleeper(void *arg)
{
	struct sleeper *s = arg;
	struct rump_timespec ts = { 30, 0 };
	struct rump_pollfd p;
	char c;

	if (rump_lwproc_newlwp(pid) != 0) {
		s->rv = -2;
		return NULL;
	}
	errno = 0;
	switch (s->kind) {
	case 0:
		s->rv = rump_sys_nanosleep(&ts, NULL);
		break;
	case 1:
		s->rv = (int)rump_sys_read(pfd[0], &c, 1);
		break;
	default:
		p.fd = pfd[0];
		p.events = RUMP_POLLIN;
		s->rv = rump_sys_poll(&p, 1, -1);
		break;
	}
	s->error = errno;
	rump_lwproc_releaselwp();
	return NULL;
}

static void
on_alarm(int sig)
{
	static const char msg[] = "Bail out! an interrupted sleep went on\n";

	(void)sig;
	(void)write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

int
main(void)
{
	static const char *const what[] = { "nanosleep(30 s)",
	    "read of an empty pipe", "poll with no timeout" };
	struct sleeper s[3];
	struct rump_timespec ts = { 0, 100 * 1000 * 1000 }, rem;
	pthread_t t[3];
	struct lwp *main_lwp, *other;
	int i;

	signal(SIGALRM, on_alarm);
	alarm(20);
	if (rump_init() != 0) {
		printf("Bail out! rump_init\n");
		return 1;
	}
	/* Another process first, to see that it is left alone. */
	ok(rump_lwproc_rfork(RUMP_RFCFDG) == 0, "a process that stays");
	other = rump_lwproc_curlwp();
	rump_lwproc_switch(NULL);
	ok(rump_lwproc_rfork(RUMP_RFCFDG) == 0 &&
	    (pid = rump_sys_getpid()) > 0 && rump_sys_pipe(pfd) == 0,
	    "the process to interrupt, with a pipe");
	main_lwp = rump_lwproc_curlwp();
	for (i = 0; i < 3; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].kind = i;
		pthread_create(&t[i], NULL, sleeper, &s[i]);
	}
	usleep(300 * 1000);	/* all asleep by now, most likely */
	rump_lwproc_interrupt();
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		ok(s[i].rv == -1 && s[i].error == EINTR, "%s in another LWP "
		    "of the process: EINTR (rv %d, %s)", what[i], s[i].rv,
		    strerror(s[i].error));
	}
	ok(rump_sys_nanosleep(&ts, &rem) == -1 && errno == EINTR,
	    "a sleep begun after the interrupt: EINTR at once");
	rump_lwproc_switch(other);
	ok(rump_sys_nanosleep(&ts, NULL) == 0,
	    "another process's sleep is not interrupted");
	rump_lwproc_switch(main_lwp);
	return tap_done();
}
