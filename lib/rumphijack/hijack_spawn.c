/*
 * hijack_spawn.c: posix_spawn, system and popen in a hijacked program.
 *
 * glibc starts these programs with its own clone and exec, inside the
 * library, where our fork and execve are not called: the program would
 * start as a stranger to the rump kernel, with neither the rump
 * descriptors it should inherit nor a current directory there (make
 * runs its recipes with posix_spawn).  So here they are our fork (a
 * child of the kernel process too) and our exec (which passes the
 * descriptor map and the current directory on).
 *
 * posix_spawn's file actions are opaque in glibc's object; we keep a
 * shadow copy of each one as the program adds it (the add functions
 * are wrapped, and call glibc's as well), and run the shadow in the
 * child with our open, dup2, close and chdir, so a file action can
 * name a rump path or descriptor.  An object we have no shadow of (or
 * lost one to a failed allocation) is left to glibc's posix_spawn.
 * An exec failure travels back on a close-on-exec pipe and is
 * posix_spawn's return value, as with glibc.
 *
 * Not connected to a server, each function is glibc's.
 *
 * Locking: sp_lock protects the shadow list (sp_shadows) and
 * popen's list of streams (sp_popens); sys_lock the count of system()
 * calls in progress and the SIGINT/SIGQUIT actions saved by the first.
 */
#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "hijack.h"

extern char **environ;

HOSTFN(int, posix_spawn, (pid_t *, const char *,
    const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
    char *const[], char *const[]))
HOSTFN(int, posix_spawnp, (pid_t *, const char *,
    const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
    char *const[], char *const[]))
HOSTFN(int, posix_spawn_file_actions_init, (posix_spawn_file_actions_t *))
HOSTFN(int, posix_spawn_file_actions_destroy,
    (posix_spawn_file_actions_t *))
HOSTFN(int, posix_spawn_file_actions_addopen, (posix_spawn_file_actions_t *,
    int, const char *, int, mode_t))
HOSTFN(int, posix_spawn_file_actions_addclose,
    (posix_spawn_file_actions_t *, int))
HOSTFN(int, posix_spawn_file_actions_adddup2,
    (posix_spawn_file_actions_t *, int, int))
HOSTFN(int, posix_spawn_file_actions_addchdir_np,
    (posix_spawn_file_actions_t *, const char *))
HOSTFN(int, posix_spawn_file_actions_addfchdir_np,
    (posix_spawn_file_actions_t *, int))
HOSTFN(int, posix_spawn_file_actions_addclosefrom_np,
    (posix_spawn_file_actions_t *, int))
HOSTFN(int, posix_spawn_file_actions_addtcsetpgrp_np,
    (posix_spawn_file_actions_t *, int))
HOSTFN(int, system, (const char *))
HOSTFN(FILE *, popen, (const char *, const char *))
HOSTFN(int, pclose, (FILE *))

/*
 * The shadow of a posix_spawn_file_actions_t.
 */
enum sp_op { SP_OPEN, SP_CLOSE, SP_DUP2, SP_CHDIR, SP_FCHDIR, SP_CLOSEFROM,
    SP_TCSETPGRP };

struct sp_act {
	enum sp_op	a_op;
	int		a_fd;		/* the descriptor acted on */
	int		a_fd2;		/* dup2's source */
	char		*a_path;	/* open, chdir */
	int		a_oflag;
	mode_t		a_mode;
};

struct sp_shadow {
	const posix_spawn_file_actions_t *s_fa;
	struct sp_act	*s_acts;
	int		s_n, s_cap;
	bool		s_lost;		/* an add we could not copy */
	struct sp_shadow *s_next;	/* sp_lock */
};

struct sp_popen {
	FILE		*p_fp;
	pid_t		p_pid;
	struct sp_popen	*p_next;	/* sp_lock */
};

static pthread_mutex_t sp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sp_shadow *sp_shadows;
static struct sp_popen *sp_popens;

/* fa's shadow, made if `make'; sp_lock held. */
static struct sp_shadow *
shadow_find(const posix_spawn_file_actions_t *fa, bool make)
{
	struct sp_shadow *s;

	for (s = sp_shadows; s != NULL; s = s->s_next)
		if (s->s_fa == fa)
			return s;
	if (!make || (s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->s_fa = fa;
	s->s_next = sp_shadows;
	sp_shadows = s;
	return s;
}

static void
shadow_free(struct sp_shadow *s)
{
	int i;

	for (i = 0; i < s->s_n; i++)
		free(s->s_acts[i].a_path);
	free(s->s_acts);
	free(s);
}

/* A copy of a shadow, or NULL; sp_lock held. */
static struct sp_shadow *
shadow_copy(const struct sp_shadow *s)
{
	struct sp_shadow *c;
	int i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (s->s_n == 0)
		return c;
	if ((c->s_acts = calloc((size_t)s->s_n, sizeof(*c->s_acts))) ==
	    NULL) {
		free(c);
		return NULL;
	}
	for (i = 0; i < s->s_n; i++) {
		c->s_acts[i] = s->s_acts[i];
		c->s_acts[i].a_path = NULL;
		c->s_n = i + 1;
		if (s->s_acts[i].a_path != NULL &&
		    (c->s_acts[i].a_path = strdup(s->s_acts[i].a_path)) ==
		    NULL) {
			shadow_free(c);
			return NULL;
		}
	}
	return c;
}

/* Forget fa's shadow; sp_lock held. */
static void
shadow_drop(const posix_spawn_file_actions_t *fa)
{
	struct sp_shadow **sp, *s;

	for (sp = &sp_shadows; (s = *sp) != NULL; sp = &s->s_next)
		if (s->s_fa == fa) {
			*sp = s->s_next;
			shadow_free(s);
			return;
		}
}

/* After glibc's add succeeded: the same action in the shadow. */
static void
shadow_add(const posix_spawn_file_actions_t *fa, const struct sp_act *a)
{
	struct sp_shadow *s;
	struct sp_act *na;
	char *path = NULL;

	pthread_mutex_lock(&sp_lock);
	if ((s = shadow_find(fa, true)) == NULL)
		goto out;	/* no shadow: glibc's posix_spawn runs it */
	if (s->s_lost)
		goto out;
	if (a->a_path != NULL && (path = strdup(a->a_path)) == NULL)
		goto lost;
	if (s->s_n == s->s_cap) {
		na = realloc(s->s_acts, (size_t)(s->s_cap * 2 + 4) *
		    sizeof(*na));
		if (na == NULL)
			goto lost;
		s->s_acts = na;
		s->s_cap = s->s_cap * 2 + 4;
	}
	s->s_acts[s->s_n] = *a;
	s->s_acts[s->s_n++].a_path = path;
	goto out;
 lost:
	free(path);
	s->s_lost = true;
 out:
	pthread_mutex_unlock(&sp_lock);
}

HIJ_EXPORT int
posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	int error;

	if ((error = get_posix_spawn_file_actions_init()(fa)) != 0)
		return error;
	pthread_mutex_lock(&sp_lock);
	shadow_drop(fa);	/* an object used again without destroy */
	(void)shadow_find(fa, true);
	pthread_mutex_unlock(&sp_lock);
	return 0;
}

HIJ_EXPORT int
posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{

	pthread_mutex_lock(&sp_lock);
	shadow_drop(fa);
	pthread_mutex_unlock(&sp_lock);
	return get_posix_spawn_file_actions_destroy()(fa);
}

HIJ_EXPORT int
posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd,
    const char *path, int oflag, mode_t mode)
{
	struct sp_act a = { .a_op = SP_OPEN, .a_fd = fd,
	    .a_path = (char *)path, .a_oflag = oflag, .a_mode = mode };
	int error;

	error = get_posix_spawn_file_actions_addopen()(fa, fd, path, oflag,
	    mode);
	if (error == 0)
		shadow_add(fa, &a);
	return error;
}

HIJ_EXPORT int
posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	struct sp_act a = { .a_op = SP_CLOSE, .a_fd = fd };
	int error;

	if ((error = get_posix_spawn_file_actions_addclose()(fa, fd)) == 0)
		shadow_add(fa, &a);
	return error;
}

HIJ_EXPORT int
posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd,
    int newfd)
{
	struct sp_act a = { .a_op = SP_DUP2, .a_fd = newfd, .a_fd2 = fd };
	int error;

	error = get_posix_spawn_file_actions_adddup2()(fa, fd, newfd);
	if (error == 0)
		shadow_add(fa, &a);
	return error;
}

HIJ_EXPORT int
posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *fa,
    const char *path)
{
	struct sp_act a = { .a_op = SP_CHDIR, .a_path = (char *)path };
	int error;

	error = get_posix_spawn_file_actions_addchdir_np()(fa, path);
	if (error == 0)
		shadow_add(fa, &a);
	return error;
}

HIJ_EXPORT int
posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa,
    int fd)
{
	struct sp_act a = { .a_op = SP_FCHDIR, .a_fd = fd };
	int error;

	error = get_posix_spawn_file_actions_addfchdir_np()(fa, fd);
	if (error == 0)
		shadow_add(fa, &a);
	return error;
}

HIJ_EXPORT int
posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa,
    int from)
{
	struct sp_act a = { .a_op = SP_CLOSEFROM, .a_fd = from };
	int error;

	error = get_posix_spawn_file_actions_addclosefrom_np()(fa, from);
	if (error == 0)
		shadow_add(fa, &a);
	return error;
}

HIJ_EXPORT int
posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *fa,
    int fd)
{
	struct sp_act a = { .a_op = SP_TCSETPGRP, .a_fd = fd };
	int error;

	error = get_posix_spawn_file_actions_addtcsetpgrp_np()(fa, fd);
	if (error == 0)
		shadow_add(fa, &a);
	return error;
}

/*
 * In the child.  `errfd' is the pipe to report an error on; an action
 * about to use its number moves it first.
 */
static void
keep_clear(int *errfd, int fd)
{
	int n;

	if (*errfd != fd || *errfd < 0)
		return;
	n = fcntl(*errfd, F_DUPFD_CLOEXEC, fd + 1);
	close(*errfd);
	*errfd = n;	/* -1: no report, the exit status says 127 */
}

static int
run_act(const struct sp_act *a, int *errfd)
{
	int fd, fl;

	switch (a->a_op) {
	case SP_OPEN:
		keep_clear(errfd, a->a_fd);
		(void)close(a->a_fd);
		if ((fd = open(a->a_path, a->a_oflag, a->a_mode)) < 0)
			return errno;
		keep_clear(errfd, fd);
		if (fd != a->a_fd) {
			if (dup2(fd, a->a_fd) != a->a_fd)
				return errno;
			close(fd);
		}
		return 0;
	case SP_CLOSE:
		keep_clear(errfd, a->a_fd);
		/* Only a number that could never be open is an error. */
		if (close(a->a_fd) != 0 && a->a_fd < 0)
			return EBADF;
		return 0;
	case SP_DUP2:
		keep_clear(errfd, a->a_fd);
		if (a->a_fd == a->a_fd2) {
			/* POSIX: clears close-on-exec. */
			if ((fl = fcntl(a->a_fd, F_GETFD)) < 0 ||
			    fcntl(a->a_fd, F_SETFD, fl & ~FD_CLOEXEC) != 0)
				return errno;
			return 0;
		}
		return dup2(a->a_fd2, a->a_fd) == a->a_fd ? 0 : errno;
	case SP_CHDIR:
		return chdir(a->a_path) == 0 ? 0 : errno;
	case SP_FCHDIR:
		return fchdir(a->a_fd) == 0 ? 0 : errno;
	case SP_CLOSEFROM:
		if (*errfd >= a->a_fd) {
			/* Below the range if there is room, else lost. */
			fd = fcntl(*errfd, F_DUPFD_CLOEXEC, 0);
			close(*errfd);
			*errfd = fd >= 0 && fd < a->a_fd ? fd : -1;
			if (fd >= a->a_fd)
				close(fd);
		}
		closefrom(a->a_fd);
		return 0;
	case SP_TCSETPGRP:
		return tcsetpgrp(a->a_fd, getpgid(0)) == 0 ? 0 : errno;
	}
	return EINVAL;
}

/* Signals the parent catches go back to SIG_DFL: no handler of the
 * parent's may run in the child before exec. */
static int
child_signals(const posix_spawnattr_t *attr, short flags)
{
	struct sigaction sa;
	sigset_t def;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&def);
	if ((flags & POSIX_SPAWN_SETSIGDEF) &&
	    posix_spawnattr_getsigdefault(attr, &def) != 0)
		return EINVAL;
	for (sig = 1; sig < NSIG; sig++) {
		struct sigaction old;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &old) != 0)
			continue;
		if (sigismember(&def, sig) == 1 || (old.sa_handler != SIG_DFL &&
		    old.sa_handler != SIG_IGN))
			(void)sigaction(sig, &sa, NULL);
	}
	return 0;
}

static int
child_attrs(const posix_spawnattr_t *attr, short flags)
{
	struct sched_param sp;
	pid_t pgrp;
	int policy;

	if ((flags & POSIX_SPAWN_SETSID) && setsid() < 0)
		return errno;
	if (flags & POSIX_SPAWN_SETPGROUP) {
		if (posix_spawnattr_getpgroup(attr, &pgrp) != 0)
			return EINVAL;
		if (setpgid(0, pgrp) != 0)
			return errno;
	}
	if (flags & (POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_SETSCHEDPARAM)) {
		if (posix_spawnattr_getschedparam(attr, &sp) != 0)
			return EINVAL;
		if (flags & POSIX_SPAWN_SETSCHEDULER) {
			if (posix_spawnattr_getschedpolicy(attr,
			    &policy) != 0)
				return EINVAL;
			if (sched_setscheduler(0, policy, &sp) < 0)
				return errno;
		} else if (sched_setparam(0, &sp) != 0)
			return errno;
	}
	if (flags & POSIX_SPAWN_RESETIDS) {
		if (setegid(getgid()) != 0 || seteuid(getuid()) != 0)
			return errno;
	}
	return 0;
}

static void __attribute__((noreturn))
spawn_child(int errfd, const char *file, const struct sp_shadow *s,
    const posix_spawnattr_t *attr, const sigset_t *oldmask,
    char *const argv[], char *const envp[], bool search)
{
	sigset_t mask = *oldmask;
	short flags = 0;
	int error, i;

	if (attr != NULL && posix_spawnattr_getflags(attr, &flags) != 0) {
		error = EINVAL;
		goto fail;
	}
	if ((error = child_signals(attr, flags)) != 0 ||
	    (error = child_attrs(attr, flags)) != 0)
		goto fail;
	for (i = 0; s != NULL && i < s->s_n; i++)
		if ((error = run_act(&s->s_acts[i], &errfd)) != 0)
			goto fail;
	if ((flags & POSIX_SPAWN_SETSIGMASK) &&
	    posix_spawnattr_getsigmask(attr, &mask) != 0) {
		error = EINVAL;
		goto fail;
	}
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	if (search)
		execvpe(file, argv, envp);
	else
		execve(file, argv, envp);
	error = errno;
 fail:
	if (errfd >= 0)
		(void)write(errfd, &error, sizeof(error));
	_exit(127);
}

static int
do_spawn(pid_t *pidp, const char *file, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const envp[],
    bool search)
{
	struct sp_shadow *s = NULL, *copy = NULL;
	sigset_t all, old;
	int p[2], error, child_error;
	ssize_t n;
	pid_t pid;

	if (fa != NULL) {
		pthread_mutex_lock(&sp_lock);
		s = shadow_find(fa, false);
		/* Actions we do not know of: glibc's posix_spawn has them. */
		if ((s == NULL && fa->__used > 0) || (s != NULL && s->s_lost)) {
			pthread_mutex_unlock(&sp_lock);
			return search ? get_posix_spawnp()(pidp, file, fa,
			    attr, argv, envp) : get_posix_spawn()(pidp, file,
			    fa, attr, argv, envp);
		}
		/* The child runs a copy: the program may change the object
		 * in another thread meanwhile. */
		if (s != NULL && (copy = shadow_copy(s)) == NULL) {
			pthread_mutex_unlock(&sp_lock);
			return ENOMEM;
		}
		pthread_mutex_unlock(&sp_lock);
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		error = errno;
		if (copy != NULL)
			shadow_free(copy);
		return error;
	}
	/* No handler of ours runs in the child before it is reset. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		spawn_child(p[1], file, copy, attr, &old, argv,
		    envp != NULL ? envp : environ, search);
	}
	error = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	if (copy != NULL)
		shadow_free(copy);
	if (pid < 0) {
		close(p[0]);
		return error;
	}
	do
		n = read(p[0], &child_error, sizeof(child_error));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n == (ssize_t)sizeof(child_error)) {
		/* It never ran: reaped here, as glibc does. */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			continue;
		return child_error;
	}
	if (pidp != NULL)
		*pidp = pid;
	return 0;
}

HIJ_EXPORT int
posix_spawn(pid_t *pidp, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{

	if (!hij_connected)
		return get_posix_spawn()(pidp, path, fa, attr, argv, envp);
	return do_spawn(pidp, path, fa, attr, argv, envp, false);
}

HIJ_EXPORT int
posix_spawnp(pid_t *pidp, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{

	if (!hij_connected)
		return get_posix_spawnp()(pidp, file, fa, attr, argv, envp);
	return do_spawn(pidp, file, fa, attr, argv, envp, true);
}

/*
 * system(3): sh -c, the caller ignoring SIGINT and SIGQUIT and holding
 * SIGCHLD until the command is done.  Calls in several threads at once
 * share the ignoring: the first saves the actions, the last restores.
 */
static pthread_mutex_t sys_lock = PTHREAD_MUTEX_INITIALIZER;
static int sys_count;
static struct sigaction sys_intr, sys_quit;

HIJ_EXPORT int
system(const char *cmd)
{
	struct sigaction ign;
	sigset_t chld, old;
	int status = -1, error = 0;
	pid_t pid;

	if (!hij_connected)
		return get_system()(cmd);
	if (cmd == NULL)
		return access(_PATH_BSHELL, X_OK) == 0;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	pthread_mutex_lock(&sys_lock);
	if (sys_count++ == 0) {
		sigaction(SIGINT, &ign, &sys_intr);
		sigaction(SIGQUIT, &ign, &sys_quit);
	}
	pthread_mutex_unlock(&sys_lock);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, &old);
	if ((pid = fork()) == 0) {
		sigaction(SIGINT, &sys_intr, NULL);
		sigaction(SIGQUIT, &sys_quit, NULL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		execl(_PATH_BSHELL, "sh", "-c", "--", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		error = errno;
	else {
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				error = errno;
				status = -1;
				break;
			}
		}
	}
	pthread_mutex_lock(&sys_lock);
	if (--sys_count == 0) {
		sigaction(SIGINT, &sys_intr, NULL);
		sigaction(SIGQUIT, &sys_quit, NULL);
	}
	pthread_mutex_unlock(&sys_lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (error != 0)
		errno = error;
	return status;
}

/*
 * popen(3) and pclose(3): a host pipe to sh -c's standard input or
 * output.  pclose waits for the shell of a stream of ours; another
 * stream is glibc's.
 */
HIJ_EXPORT FILE *
popen(const char *cmd, const char *mode)
{
	struct sp_popen *e, *o;
	bool rd, cloexec = false;
	const char *m;
	int p[2], mine, theirs, target, error;
	FILE *fp;
	pid_t pid;

	if (!hij_connected)
		return get_popen()(cmd, mode);
	if (mode[0] != 'r' && mode[0] != 'w') {
		errno = EINVAL;
		return NULL;
	}
	rd = mode[0] == 'r';
	for (m = mode + 1; *m != '\0'; m++) {
		if (*m != 'e') {
			errno = EINVAL;
			return NULL;
		}
		cloexec = true;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if (pipe2(p, O_CLOEXEC) != 0) {
		free(e);
		return NULL;
	}
	mine = rd ? p[0] : p[1];
	theirs = rd ? p[1] : p[0];
	target = rd ? 1 : 0;
	if ((pid = fork()) == 0) {
		/* POSIX: not the streams of earlier popens (no lock: the
		 * child is alone, and a holder at fork is no more). */
		for (o = sp_popens; o != NULL; o = o->p_next)
			close(fileno(o->p_fp));
		if (theirs == target)
			(void)fcntl(theirs, F_SETFD, 0);
		else if (dup2(theirs, target) != target)
			_exit(127);
		execl(_PATH_BSHELL, "sh", "-c", "--", cmd, (char *)NULL);
		_exit(127);
	}
	error = errno;
	close(theirs);
	if (pid < 0) {
		close(mine);
		free(e);
		errno = error;
		return NULL;
	}
	if (!cloexec)
		(void)fcntl(mine, F_SETFD, 0);
	if ((fp = fdopen(mine, rd ? "r" : "w")) == NULL) {
		error = errno;
		close(mine);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			continue;
		free(e);
		errno = error;
		return NULL;
	}
	e->p_fp = fp;
	e->p_pid = pid;
	pthread_mutex_lock(&sp_lock);
	e->p_next = sp_popens;
	sp_popens = e;
	pthread_mutex_unlock(&sp_lock);
	return fp;
}

HIJ_EXPORT int
pclose(FILE *fp)
{
	struct sp_popen **ep, *e;
	int status;
	pid_t pid;

	pthread_mutex_lock(&sp_lock);
	for (ep = &sp_popens; (e = *ep) != NULL; ep = &e->p_next)
		if (e->p_fp == fp) {
			*ep = e->p_next;
			break;
		}
	pthread_mutex_unlock(&sp_lock);
	if (e == NULL)
		return get_pclose()(fp);
	pid = e->p_pid;
	free(e);
	fclose(fp);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}
