/*
 * hijack_proc.c: fork, vfork and the exec family in a hijacked program.
 *
 * fork: the server makes a child of our kernel process first
 * (rumpclient_prefork), so the host child starts with a copy of the
 * descriptor table in both kernels, as fork(2) promises; the child
 * adopts it on a connection of its own.  vfork is fork here: a vfork
 * child shares our memory and stack, and the work above cannot be
 * undone from it.
 *
 * exec: the kernel process lives on across exec (rumpclient_exec keeps
 * the connection), and so must our half of the descriptor map and
 * where the current directory is: they travel in the environment
 * (hij_state_export) and the new image's constructor reads them.  The
 * exec family is ours because glibc's execvp and friends call execve
 * internally, where LD_PRELOAD cannot see it.
 *
 * A program file in the rump kernel, which the host's execve cannot
 * open, runs too: a script under its interpreter, a binary from a
 * memfd copy (exec_rump).  posix_spawn, system and popen are made of
 * these (hijack_spawn.c).
 *
 * No state of its own, no locking.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "hijack.h"

HOSTFN(pid_t, fork, (void))
HOSTFN(int, execve, (const char *, char *const[], char *const[]))

extern char **environ;

HIJ_EXPORT pid_t
fork(void)
{
	struct rumpclient_fork *rf;
	pid_t pid;

	if (!hij_connected)
		return get_fork()();
	if (rumpclient_prefork(&rf) != 0) {
		/*
		 * No kernel process to copy (the server went and the
		 * connection stays broken): the program's own work on the
		 * host still forks, and the child finds no server either.
		 */
		if (errno != EIO && errno != ENOTCONN)
			return -1;
		return get_fork()();
	}
	if ((pid = get_fork()()) == 0) {
		if (rumpclient_fork_init(rf) != 0) {
			/* A child without its kernel would lose data. */
			fprintf(stderr, "rumphijack: fork: %s\n",
			    strerror(errno));
			_exit(127);
		}
		return 0;
	}
	rumpclient_fork_cancel(rf);
	return pid;
}

HIJ_EXPORT pid_t
vfork(void)
{

	return fork();
}

/* envp with our state variable put in (an old one taken out). */
static char **
env_with_state(char *const envp[], char **statep)
{
	static const char var[] = "RUMPHIJACK__STATE=";
	char **nenv, *state;
	size_t n, i, k = 0;

	if ((state = hij_state_export()) == NULL)
		return NULL;
	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	if ((nenv = calloc(n + 2, sizeof(*nenv))) == NULL) {
		free(state);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (strncmp(envp[i], var, sizeof(var) - 1) != 0)
			nenv[k++] = envp[i];
	nenv[k++] = state;
	nenv[k] = NULL;
	*statep = state;
	return nenv;
}

/* Run a host program file, keeping our kernel process and state. */
static int
exec_host(const char *path, char *const argv[], char *const envp[])
{
	char **nenv, *state;
	int error;

	if ((nenv = env_with_state(envp, &state)) == NULL)
		return -1;
	(void)rumpclient_exec(path, argv, nenv);
	error = errno;
	free(state);
	free(nenv);
	/*
	 * No kernel process to keep (the server went, the connection
	 * stays broken): the program still runs, on the host alone.
	 */
	if (error == EIO || error == ENOTCONN)
		return get_execve()(path, argv, envp);
	errno = error;
	return -1;
}

static int exec_any(const char *, char *const[], char *const[], int);

/*
 * "#!interpreter [arg]" in the first line of `head': the interpreter
 * runs with the script's path as the program wrote it, as Linux runs
 * it (the interpreter, hijacked too, reads the script through us).
 */
static int
exec_script(const char *path, char *head, char *const argv[],
    char *const envp[], int depth)
{
	char *p, *interp, *arg = NULL, **nargv;
	size_t n = 0, i, k = 0;
	int error;

	if ((p = strchr(head, '\n')) == NULL)
		return ENOEXEC;		/* no line end in the first block */
	*p = '\0';
	for (p = head + 2; *p == ' ' || *p == '\t'; p++)
		continue;
	interp = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0') {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0') {
			arg = p;
			p += strlen(p);
			while (p > arg && (p[-1] == ' ' || p[-1] == '\t'))
				*--p = '\0';
		}
	}
	if (*interp == '\0')
		return ENOEXEC;
	for (n = 0; argv != NULL && argv[n] != NULL; n++)
		continue;
	if ((nargv = calloc(n + 3, sizeof(*nargv))) == NULL)
		return ENOMEM;
	nargv[k++] = interp;
	if (arg != NULL)
		nargv[k++] = arg;
	nargv[k++] = (char *)path;
	for (i = 1; i < n; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	exec_any(interp, nargv, envp, depth + 1);
	error = errno;
	free(nargv);
	return error;
}

/*
 * A program file in the rump kernel, which the host's execve cannot
 * open.  A script goes to its interpreter; a binary is copied into a
 * memory file (memfd, close-on-exec) and run as /proc/self/fd/N, which
 * the kernel opens before exec closes the descriptor.  An errno.
 */
static int
exec_rump(const char *path, const char *rp, int rdir, char *const argv[],
    char *const envp[], int depth)
{
	char head[256 + 1], buf[64 * 1024], proc[64];
	struct rump_stat rs;
	ssize_t n, w;
	off_t off = 0;
	int rfd, mfd = -1, error;

	if (depth > 4)
		return ELOOP;	/* interpreters of interpreters ... */
	if (rump_sys_faccessat(rdir, rp, RUMP_X_OK, 0) != 0)
		return errno;
	if ((rfd = rump_sys_openat(rdir, rp, RUMP_O_RDONLY | RUMP_O_CLOEXEC,
	    0)) < 0)
		return errno;
	if (rump_sys_fstat(rfd, &rs) != 0) {
		error = errno;
		goto out;
	}
	if ((rs.st_mode & RUMP_S_IFMT) != RUMP_S_IFREG) {
		error = EACCES;
		goto out;
	}
	if ((n = rump_sys_pread(rfd, head, sizeof(head) - 1, 0)) < 0 ||
	    (size_t)n >= sizeof(head)) {
		error = n < 0 ? errno : EIO;	/* EIO: a bad count */
		goto out;
	}
	head[n] = '\0';
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		rump_sys_close(rfd);
		return exec_script(path, head, argv, envp, depth);
	}
	if (n < 4 || memcmp(head, "\177ELF", 4) != 0) {
		error = ENOEXEC;	/* execvp then tries sh */
		goto out;
	}
	if ((mfd = memfd_create("rumphijack-exec", MFD_CLOEXEC)) < 0) {
		error = errno;
		goto out;
	}
	for (;;) {
		if ((n = rump_sys_pread(rfd, buf, sizeof(buf), off)) < 0 ||
		    (size_t)n > sizeof(buf)) {
			error = n < 0 ? errno : EIO;
			goto out;
		}
		if (n == 0)
			break;
		if ((w = write(mfd, buf, (size_t)n)) != n) {
			error = w < 0 ? errno : EIO;
			goto out;
		}
		off += n;
	}
	rump_sys_close(rfd);
	rfd = -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", mfd);
	exec_host(proc, argv, envp);
	error = errno;
 out:
	if (rfd >= 0)
		rump_sys_close(rfd);
	if (mfd >= 0)
		close(mfd);
	return error;
}

/* execve, wherever the file is; -1 with errno. */
static int
exec_any(const char *path, char *const argv[], char *const envp[],
    int depth)
{
	const char *rp;
	int rdir, error;

	if (!hij_route(AT_FDCWD, path, &rp, &rdir))
		return exec_host(path, argv, envp);
	error = exec_rump(path, rp, rdir, argv, envp, depth);
	errno = error;
	return -1;
}

HIJ_EXPORT int
execve(const char *path, char *const argv[], char *const envp[])
{

	if (!hij_connected)
		return get_execve()(path, argv, envp);
	return exec_any(path, argv, envp, 0);
}

HIJ_EXPORT int
execv(const char *path, char *const argv[])
{

	return execve(path, argv, environ);
}

/*
 * execvp's search: each directory of PATH in turn; a file that is not
 * an executable format runs under the shell, as POSIX says.
 */
HIJ_EXPORT int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	const char *path, *p, *end;
	char buf[PATH_MAX];
	bool eacces = false;
	size_t dlen, flen;

	if (*file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/') != NULL) {
		execve(file, argv, envp);
		if (errno == ENOEXEC)
			goto shell;
		return -1;
	}
	if ((path = getenv("PATH")) == NULL)
		path = "/bin:/usr/bin";
	flen = strlen(file);
	for (p = path;; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		dlen = (size_t)(end - p);
		if (dlen + flen + 2 <= sizeof(buf)) {
			if (dlen == 0)
				snprintf(buf, sizeof(buf), "%s", file);
			else
				snprintf(buf, sizeof(buf), "%.*s/%s",
				    (int)dlen, p, file);
			execve(buf, argv, envp);
			if (errno == ENOEXEC) {
				file = buf;
				goto shell;
			}
			if (errno == EACCES)
				eacces = true;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		if (*end == '\0')
			break;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;

 shell:
	{
		size_t n, i;
		char **nargv;

		for (n = 0; argv[n] != NULL; n++)
			continue;
		if ((nargv = calloc(n + 2, sizeof(*nargv))) == NULL)
			return -1;
		nargv[0] = (char *)"sh";
		nargv[1] = (char *)file;
		for (i = 1; i < n; i++)
			nargv[i + 1] = argv[i];
		execve(_PATH_BSHELL, nargv, envp);
		free(nargv);
		return -1;
	}
}

HIJ_EXPORT int
execvp(const char *file, char *const argv[])
{

	return execvpe(file, argv, environ);
}

/* The list forms: argv from the arguments, up to the NULL. */
static char **
list_argv(const char *arg0, va_list ap, char ***envpp)
{
	va_list aq;
	size_t n = 1, i;
	char **argv;

	va_copy(aq, ap);
	while (va_arg(aq, char *) != NULL)
		n++;
	va_end(aq);
	if ((argv = calloc(n + 1, sizeof(*argv))) == NULL)
		return NULL;
	argv[0] = (char *)arg0;
	for (i = 1; i < n; i++)
		argv[i] = va_arg(ap, char *);
	(void)va_arg(ap, char *);	/* the NULL */
	if (envpp != NULL)
		*envpp = va_arg(ap, char **);
	return argv;
}

/* Run argv (from list_argv), searching PATH or not; frees argv. */
static int
exec_list(const char *file, char **argv, char **envp, bool search)
{
	int error;

	if (argv == NULL)
		return -1;
	if (search)
		execvpe(file, argv, envp);
	else
		execve(file, argv, envp);
	error = errno;
	free(argv);
	errno = error;
	return -1;
}

HIJ_EXPORT int
execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **argv;

	va_start(ap, arg0);
	argv = list_argv(arg0, ap, NULL);
	va_end(ap);
	return exec_list(path, argv, environ, false);
}

HIJ_EXPORT int
execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **argv, **envp = NULL;

	va_start(ap, arg0);
	argv = list_argv(arg0, ap, &envp);
	va_end(ap);
	return exec_list(path, argv, envp, false);
}

HIJ_EXPORT int
execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	char **argv;

	va_start(ap, arg0);
	argv = list_argv(arg0, ap, NULL);
	va_end(ap);
	return exec_list(file, argv, environ, true);
}
