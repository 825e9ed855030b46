/*
 * t_server_components.c: what rump_server and rump_allserver get with
 * -l (usr.sbin/rump_server/components_*.c, rump_server.8).
 *
 * rump_server: without -l a bare kernel (processes, descriptors, pipes;
 * no file system calls); -l by short name, library file name, "all" or
 * path, each known component with what it needs, in dependency order
 * (as kern.components shows them attached); an unknown name, a missing
 * library (the message quoting dlerror), a library given by path
 * without what it needs: exit 1 with a message, also in daemon mode;
 * installed by make install, the libraries found through the run path
 * $ORIGIN/../lib.  rump_allserver: every component
 * linked in, -l only checks names.  FFS served with -l ffs is
 * t_remote_ffs; a component that panics is t_isolation.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "spsubr.h"

static char bin[512], allbin[512], lib[512], panicfs[512], url[300];
static char work[256];
static char errlog[300], errbuf[4096];
static volatile pid_t child;

static void
hung(int sig __attribute__((__unused__)))
{
	static const char msg[] = "Bail out! rump_server hung (alarm)\n";

	(void)write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	if (child > 0)
		kill(child, SIGKILL);
	_exit(1);
}

/* Fork and exec argv with stderr into errlog; the pid. */
static pid_t
spawn(char *const argv[])
{
	pid_t pid;
	int fd;

	if ((pid = fork()) == 0) {
		if ((fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC,
		    0644)) >= 0)
			dup2(fd, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* What the last spawned program wrote on stderr, in errbuf. */
static const char *
errtext(void)
{
	ssize_t n = 0;
	int fd;

	if ((fd = open(errlog, O_RDONLY)) >= 0) {
		n = read(fd, errbuf, sizeof(errbuf) - 1);
		close(fd);
	}
	errbuf[n > 0 ? n : 0] = '\0';
	return errbuf;
}

/* Run argv to its end; its exit status, or -1 if it did not exit. */
static int
run(char *const argv[])
{
	int status;

	alarm(20);
	child = spawn(argv);
	if (waitpid(child, &status, 0) != child)
		status = -1;
	alarm(0);
	child = 0;
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The components attached in the server this client is connected to. */
static const char *
attached(void)
{
	static char comps[512];
	int name[2] = { RUMP_CTL_KERN, RUMP_KERN_COMPONENTS };
	size_t len = sizeof(comps) - 1;

	if (rump_sys_sysctl(name, 2, comps, &len, NULL, 0) != 0)
		snprintf(comps, sizeof(comps), "(sysctl: %s)",
		    strerror(errno));
	return comps;
}

/*
 * Serve with argv (foreground, URL last), connect and check that the
 * kernel's components are want; then stop it.
 */
static void
serve(char *const argv[], const char *want, const char *how)
{
	const char *got;

	child = spawn(argv);
	if (sp_client_connect(url) != 0) {
		ok(0, "%s: serves (%s)", how, errtext());
		got = NULL;
	} else {
		got = attached();
		ok(strcmp(got, want) == 0, "%s: serves, with \"%s\"", how, got);
	}
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	child = 0;
}

static void
test_bare(void)
{
	char *const argv[] = { bin, "-s", url, NULL };
	int p[2];
	char c = 0;

	child = spawn(argv);
	if (!ok(sp_client_connect(url) == 0, "rump_server without -l: a bare "
	    "kernel, serving")) {
		skip(3, "no server");
	} else {
		ok(strcmp(attached(), "") == 0, "... no components attached");
		ok(rump_sys_pipe(p) == 0 && rump_sys_write(p[1], "z", 1) == 1 &&
		    rump_sys_read(p[0], &c, 1) == 1 && c == 'z' &&
		    rump_sys_close(p[0]) == 0 && rump_sys_dup2(p[1], 9) == 9,
		    "... pipes and descriptors work");
		ok(rump_sys_mkdir("/d", 0755) == -1 && errno == ENOSYS,
		    "... file-system calls are ENOSYS (no VFS)");
	}
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	child = 0;
}

static void
test_load(void)
{
	char path[600];

	{
		char *const argv[] = { bin, "-s", "-l", "ffs", url, NULL };

		serve(argv, "vfs:vfs vfs:tmpfs vfs:ffs", "-l ffs (with vfs "
		    "and tmpfs, its root)");
	}
	{
		char *const argv[] = { bin, "-s", "-l", "librumpfs_ffs.so",
		    url, NULL };

		serve(argv, "vfs:vfs vfs:tmpfs vfs:ffs", "-l librumpfs_ffs.so");
	}
	{
		char *const argv[] = { bin, "-s", "-l", "ffs,etfs", "-l",
		    "tmpfs", url, NULL };

		serve(argv, "dev:etfs vfs:vfs vfs:tmpfs vfs:ffs",
		    "-l ffs,etfs -l tmpfs");
	}
	{
		char *const argv[] = { bin, "-s", "-l", "all", url, NULL };

		serve(argv, "dev:etfs vfs:vfs vfs:tmpfs vfs:ffs", "-l all");
	}
	{
		char *const argv[] = { bin, "-s", "-l", panicfs, "-l", "vfs",
		    url, NULL };

		serve(argv, "vfs:vfs vfs:tmpfs vfs:panicfs", "-l PATH/"
		    "librumpktest_panicfs.so -l vfs (known ones first)");
	}
	{
		char *const argv[] = { bin, "-v", "-s", "-l", "ffs", url,
		    NULL };

		child = spawn(argv);
		(void)sp_client_connect(url);
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
		child = 0;
		errtext();
		ok(strstr(errbuf, "loaded librumpvfs.so.0\n") != NULL &&
		    strstr(errbuf, "loaded librumpvfs.so.0\n") <
		    strstr(errbuf, "loaded librumpfs_ffs.so.0\n"),
		    "-v says what it loads, dependencies first");
	}

	{
		char *const argv[] = { bin, "-s", "-l", "nosuch", url, NULL };

		ok(run(argv) == 1 && strstr(errtext(), "rump_server: -l "
		    "nosuch: no such component") != NULL,
		    "-l of an unknown name: exit 1 and a message");
	}
	{
		char *const argv[] = { bin, "-s", "-l", "librumpnosuch.so",
		    url, NULL };

		int rc = run(argv);

		errtext();
		ok(rc == 1 && strstr(errbuf, "rump_server: librumpnosuch.so: "
		    "cannot open shared object file") != NULL,
		    "-l of a missing library: exit 1, dlerror's text: %s",
		    strtok(errbuf, "\n"));
	}
	{
		char *const argv[] = { bin, "-l", "librumpnosuch.so", url,
		    NULL };
		struct stat st;

		unlink(url + 7);
		ok(run(argv) == 1 && strstr(errtext(), "cannot open shared "
		    "object file") != NULL && stat(url + 7, &st) != 0,
		    "... as a daemon too: the command exits 1, no socket made");
	}
	snprintf(path, sizeof(path), "%s/librumpfs_ffs.so", lib);
	{
		char *const argv[] = { bin, "-s", "-l", path, url, NULL };

		ok(run(argv) == 1 && strstr(errtext(), "undefined symbol") !=
		    NULL, "-l of a path loads that library only: FFS without "
		    "the VFS is refused at once (undefined symbol), exit 1");
	}
	{
		char *const argv[] = { bin, "-s", "-l", panicfs, url, NULL };

		ok(run(argv) == 1 && strstr(errtext(), "undefined symbol") !=
		    NULL, "... and so is panicfs alone");
	}
	{
		char *const argv[] = { bin, "-s", "-l", "ffs,", url, NULL };

		ok(run(argv) == 1 && strstr(errtext(), "empty") != NULL,
		    "-l ffs, (an empty name): exit 1");
	}
}

/*
 * make install into a directory of ours: the installed rump_server
 * finds the installed libraries through its run path, $ORIGIN/../lib.
 */
static void
test_install(const char *build)
{
	char cmd[2048], ibin[600], path[600];
	int rc;

	if (access("tools/rump.pc.in", R_OK) != 0) {
		skip(4, "not run from the top of the tree: no make install");
		return;
	}
	snprintf(cmd, sizeof(cmd), "make -s O=%s PREFIX=%s/inst install "
	    ">%s 2>&1", build, work, errlog);
	rc = system(cmd);
	snprintf(ibin, sizeof(ibin), "%s/inst/bin/rump_server", work);
	snprintf(path, sizeof(path), "%s/inst/bin/rump_allserver", work);
	if (!ok(rc == 0 && access(ibin, X_OK) == 0 && access(path, X_OK) == 0,
	    "make install: rump_server and rump_allserver installed")) {
		diag("%s", errtext());
		skip(3, "make install failed");
		return;
	}
	snprintf(path, sizeof(path), "%s/inst/lib/librumpktest_panicfs.so.0",
	    work);
	ok(access(path, F_OK) != 0, "... the test component is not");
	{
		char *const argv[] = { ibin, "-s", "-l", "ffs", url, NULL };

		unsetenv("LD_LIBRARY_PATH");
		serve(argv, "vfs:vfs vfs:tmpfs vfs:ffs", "the installed "
		    "rump_server -l ffs (found through $ORIGIN/../lib)");
	}
	snprintf(path, sizeof(path), "%s/inst/lib/librumpdev_etfs.so.0", work);
	if (unlink(path) != 0 || system("ldconfig -p 2>/dev/null | "
	    "grep -q librumpdev_etfs") == 0)
		skip(1, "librumpdev_etfs is installed on this system");
	else {
		char *const argv[] = { ibin, "-s", "-l", "etfs", url, NULL };

		ok(run(argv) == 1 && strstr(errtext(), "-l etfs: "
		    "librumpdev_etfs.so.0: cannot open") != NULL,
		    "... its -l etfs, that library removed: exit 1 naming it");
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s/inst", work);
	(void)system(cmd);
}

static void
test_allserver(void)
{
	{
		char *const argv[] = { allbin, "-s", url, NULL };

		serve(argv, "dev:etfs vfs:vfs vfs:ffs vfs:tmpfs",
		    "rump_allserver without -l");
	}
	{
		char *const argv[] = { allbin, "-s", "-l", "ffs,vfs", "-l",
		    "all", "-l", "librumpfs_tmpfs.so", "-l",
		    "/x/librumpdev_etfs.so.0", url, NULL };

		serve(argv, "dev:etfs vfs:vfs vfs:ffs vfs:tmpfs",
		    "rump_allserver -l of names it has (short, all, library "
		    "files)");
	}
	{
		char *const argv[] = { allbin, "-s", "-l", panicfs, url, NULL };

		ok(run(argv) == 1 && strstr(errtext(), "rump_allserver: -l ") !=
		    NULL && strstr(errbuf, "not linked into") != NULL,
		    "rump_allserver -l of another library: exit 1, "
		    "not linked in");
	}
}

int
main(void)
{
	const char *b = getenv("RUMP_BUILD"), *tmp = getenv("TMPDIR");

	snprintf(bin, sizeof(bin), "%s/bin/rump_server", b ? b : "build");
	snprintf(allbin, sizeof(allbin), "%s/bin/rump_allserver",
	    b ? b : "build");
	snprintf(lib, sizeof(lib), "%s/lib", b ? b : "build");
	snprintf(panicfs, sizeof(panicfs),
	    "%s/tests/lib/librumpktest_panicfs.so", b ? b : "build");
	if (access(bin, X_OK) != 0 || access(allbin, X_OK) != 0 ||
	    access(panicfs, R_OK) != 0) {
		printf("1..0 # SKIP rump_server, rump_allserver or panicfs "
		    "not built\n");
		return 0;
	}
	snprintf(work, sizeof(work), "%s/t_server_components.XXXXXX",
	    tmp ? tmp : "/tmp");
	if (mkdtemp(work) == NULL)
		return 1;
	snprintf(url, sizeof(url), "unix://%s/sock", work);
	snprintf(errlog, sizeof(errlog), "%s/err", work);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, hung);

	test_bare();
	test_load();
	test_install(b ? b : "build");
	test_allserver();

	unlink(errlog);
	unlink(url + 7);
	rmdir(work);
	return tap_done();
}
