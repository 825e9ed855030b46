/*
 * subr.h: helpers for host-side tests.
 *
 *	child_run(fn, arg, &res)  run fn(arg) in a forked child and
 *	    collect how it ended and what it wrote to stderr.
 *	ktest_ok(fails, why, "name")  one TAP point for a ktest result.
 *	child_case(fn, arg, "what")  one TAP point: fn(arg) in a child
 *	    must exit 0; what it wrote to stderr becomes a comment.
 */
#ifndef TESTS_SUBR_H
#define TESTS_SUBR_H

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

struct child_result {
	int	exited;		/* exit status if it exited, else -1 */
	int	signal;		/* terminating signal, else 0 */
	char	err[4096];	/* what it wrote to stderr */
};

static inline int
child_run(void (*fn)(void *), void *arg, struct child_result *res)
{
	int fds[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	res->exited = -1;
	if (pipe(fds) != 0)
		return -1;
	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };

		setrlimit(RLIMIT_CORE, &nocore);	/* panics abort */
		alarm(60);		/* a hang fails, it does not stall */
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		signal(SIGABRT, SIG_DFL);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	while (got < sizeof(res->err) - 1 &&
	    (n = read(fds[0], res->err + got, sizeof(res->err) - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		res->exited = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->signal = WTERMSIG(status);
	return 0;
}

#define ktest_ok(fails, why, ...) do {					\
	int ktest_fails_ = (fails);					\
	ok(ktest_fails_ == 0, __VA_ARGS__);				\
	if (ktest_fails_)						\
		diag("%d failure(s), first: %s", ktest_fails_, (why));	\
} while (0)

static inline void
child_case(void (*fn)(void *), void *arg, const char *what)
{
	struct child_result res;

	if (child_run(fn, arg, &res) != 0) {
		ok(0, "%s: could not run the child", what);
		return;
	}
	ok(res.exited == 0 && res.signal == 0, "%s", what);
	if (res.exited != 0 || res.signal != 0)
		diag("exit %d, signal %d: %s", res.exited, res.signal,
		    res.err);
	else
		diag("%s", res.err);
}

#endif /* TESTS_SUBR_H */
