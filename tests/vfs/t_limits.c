/*
 * t_limits.c: running out, as an error and never a crash.
 *
 * Descriptors: RUMP_OPEN_MAX per process, then EMFILE from every call
 * that makes one, with nothing lost on the way.  Memory: a kernel
 * booted with a small RUMP_MEMLIMIT fills its root tmpfs (which has no
 * size limit of its own, so kernel memory is what runs out); every
 * call then fails with ENOMEM or ENOSPC or works, and once the files
 * are gone the kernel works as before.
 *
 * Each part runs in a forked child that boots its own kernel (the
 * memory limit is read at boot).  The child reports one line per check
 * on stderr ("P what" or "F what"); the parent turns them into TAP
 * points, and adds one saying that the child ended cleanly.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../subr.h"

#define FAILS(call, err)	((call) == -1 && errno == (err))

/* In a child: one check, reported on stderr. */
static void __attribute__((format(printf, 2, 3)))
cok(bool pass, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%c %s\n", pass ? 'P' : 'F', buf);
	fflush(stderr);
}

/* In the parent: run fn in a child and report what it said. */
static void
run_child(void (*fn)(void *), void *arg, const char *what)
{
	struct child_result res;
	char *line, *next;
	int npoints = 0;

	if (child_run(fn, arg, &res) != 0) {
		ok(0, "%s: fork: %s", what, strerror(errno));
		return;
	}
	for (line = res.err; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((line[0] == 'P' || line[0] == 'F') && line[1] == ' ') {
			ok(line[0] == 'P', "%s", line + 2);
			npoints++;
		} else
			diag("%s: %s", what, line);
	}
	ok(res.exited == 0 && res.signal == 0 && npoints > 0,
	    "%s: the child ended cleanly (status %d, signal %d)", what,
	    res.exited, res.signal);
}

static bool
boot(const char *memlimit)
{

	if (memlimit != NULL)
		setenv("RUMP_MEMLIMIT", memlimit, 1);
	else
		unsetenv("RUMP_MEMLIMIT");
	if (rump_init() != 0) {
		cok(false, "rump_init: %s", strerror(errno));
		return false;
	}
	return true;
}

/* ---- descriptors ---- */

static void
emfile_child(void *arg __attribute__((unused)))
{
	int fds[RUMP_OPEN_MAX + 1], pfd[2], i, n, fd;
	bool lowest = true;

	if (!boot(NULL))
		return;
	rump_sys_mkdir("/d", 0755);
	for (n = 0; n < RUMP_OPEN_MAX + 1; n++) {
		if ((fds[n] = rump_sys_open("/d", RUMP_O_RDONLY, 0)) == -1)
			break;
		if (fds[n] != n)
			lowest = false;
	}
	cok(n == RUMP_OPEN_MAX && lowest, "%d descriptors open, numbered "
	    "from 0 (OPEN_MAX %d)", n, RUMP_OPEN_MAX);
	cok(n == RUMP_OPEN_MAX && errno == EMFILE, "the next open: EMFILE");
	cok(FAILS(rump_sys_dup(0), EMFILE) &&
	    FAILS(rump_sys_fcntl(0, RUMP_F_DUPFD, 0), EMFILE) &&
	    FAILS(rump_sys_openat(0, ".", RUMP_O_RDONLY, 0), EMFILE),
	    "dup, F_DUPFD and openat: EMFILE");
	cok(FAILS(rump_sys_pipe(pfd), EMFILE), "pipe: EMFILE");
	cok(rump_sys_dup2(1, RUMP_OPEN_MAX - 1) == RUMP_OPEN_MAX - 1,
	    "dup2 onto a taken number works in a full table");
	rump_sys_close(5);
	cok(FAILS(rump_sys_pipe(pfd), EMFILE), "pipe with one free slot: "
	    "EMFILE");
	fd = rump_sys_open("/d", RUMP_O_RDONLY, 0);
	cok(fd == 5, "the slot a failed pipe tried is still free (got %d)",
	    fd);
	rump_sys_close(5);
	rump_sys_close(9);
	cok(rump_sys_pipe(pfd) == 0 && pfd[0] == 5 && pfd[1] == 9,
	    "with two free slots pipe takes them");
	cok(rump_sys_write(pfd[1], "x", 1) == 1, "and works");
	if (rump_lwproc_rfork(RUMP_RFCFDG) == 0) {
		fd = rump_sys_open("/d", RUMP_O_RDONLY, 0);
		cok(fd == 0, "another process has a table of its own");
		rump_lwproc_releaselwp();
	}
	if (rump_lwproc_rfork(RUMP_RFFDG) == 0) {
		cok(FAILS(rump_sys_open("/d", RUMP_O_RDONLY, 0), EMFILE),
		    "a copied full table is full");
		rump_lwproc_releaselwp();
	}
	for (i = 0; i < RUMP_OPEN_MAX; i++)
		rump_sys_close(i);
	fd = rump_sys_open("/d", RUMP_O_RDONLY, 0);
	cok(fd == 0, "all closed: the next is 0 again");
	rump_sys_close(fd);
}

/* ---- memory ---- */

static uint64_t
kmemused(void)
{
	int mib[2] = { RUMP_CTL_VM, RUMP_VM_KMEMUSED };
	uint64_t v = 0;
	rump_size_t len = sizeof(v);

	rump_sys_sysctl(mib, 2, &v, &len, NULL, 0);
	return v;
}

/* An error that running out may give: ENOMEM or ENOSPC. */
static bool
out_of(int e)
{

	return e == ENOMEM || e == ENOSPC;
}

static int
mkfile(const char *path)
{
	int fd;

	if ((fd = rump_sys_open(path, RUMP_O_RDWR | RUMP_O_CREAT, 0644)) ==
	    -1)
		return -1;
	return rump_sys_close(fd);
}

static int bad_calls;
static char bad_what[64];

/* A call under memory pressure: it works or says it ran out. */
static void
pressure(long ret, const char *what)
{

	if (ret >= 0 || out_of(errno))
		return;
	if (bad_calls++ == 0)
		snprintf(bad_what, sizeof(bad_what), "%s: %s", what,
		    strerror(errno));
}
#define PRESSURE(call)	pressure((long)(call), #call)

static void
fill_and_drain(const char *how, size_t chunk, int *nfiles, int *lasterr)
{
	static char buf[65536];
	char path[64];
	int fd, i;
	rump_ssize_t n;

	memset(buf, 'm', sizeof(buf));
	*lasterr = 0;
	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof(path), "/%s%d", how, i);
		fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
		if (fd == -1) {
			*lasterr = errno;
			break;
		}
		n = chunk == 0 ? 0 : rump_sys_write(fd, buf, chunk);
		rump_sys_close(fd);
		if (n < 0 || (size_t)n != chunk) {
			*lasterr = n < 0 ? errno : ENOSPC;
			i++;
			break;
		}
	}
	*nfiles = i;
}

/* Calls of every kind, while memory is short; f0 and f1 exist. */
static void
pressure_rounds(const char *when, const char *f0, const char *f1)
{
	char f1r[64];
	struct rump_stat sb;
	char buf[4096], path[64];
	int i, fd, pfd[2];

	memset(buf, 'p', sizeof(buf));
	bad_calls = 0;
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/dir/%s-x%d", when, i);
		PRESSURE(rump_sys_mkdir(path, 0755));
		snprintf(path, sizeof(path), "/dir/%s-l%d", when, i);
		PRESSURE(rump_sys_symlink("/some/target/of/a/symlink", path));
		snprintf(path, sizeof(path), "/dir/%s-f%d", when, i);
		fd = rump_sys_open(path, RUMP_O_RDWR | RUMP_O_CREAT, 0644);
		PRESSURE(fd);
		if (fd >= 0) {
			PRESSURE(rump_sys_write(fd, buf, sizeof(buf)));
			PRESSURE(rump_sys_pwrite(fd, buf, 10, 1 << 20));
			rump_sys_close(fd);
		}
		snprintf(path, sizeof(path), "/dir/%s-h%d", when, i);
		PRESSURE(rump_sys_link(f0, path));
		snprintf(f1r, sizeof(f1r), "%s.r", f1);
		if (rump_sys_rename(f1, f1r) == 0)
			PRESSURE(rump_sys_rename(f1r, f1));
		else
			PRESSURE(-1);
		PRESSURE(rump_sys_stat(f0, &sb));
		if (rump_sys_pipe(pfd) == 0) {
			PRESSURE(rump_sys_write(pfd[1], "p", 1));
			rump_sys_close(pfd[0]);
			rump_sys_close(pfd[1]);
		} else
			PRESSURE(-1);
		fd = rump_sys_open("/", RUMP_O_RDONLY, 0);
		PRESSURE(fd);
		if (fd >= 0) {
			PRESSURE(rump_sys_getdents(fd, buf, sizeof(buf)));
			rump_sys_close(fd);
		}
		PRESSURE(rump_sys_getcwd(buf, sizeof(buf)));
		snprintf(path, sizeof(path), "/dir/%s-p%d", when, i);
		PRESSURE(rump_sys_mkfifo(path, 0644));
		PRESSURE(rump_lwproc_rfork(RUMP_RFFDG));
		if (rump_lwproc_curlwp() != NULL) {
			PRESSURE(rump_sys_chdir("/dir"));
			rump_lwproc_releaselwp();
		}
	}
	cok(bad_calls == 0, "%s: 20 rounds of 16 calls, each works or fails "
	    "with ENOMEM/ENOSPC%s%s", when, bad_calls ? "; first other: " :
	    "", bad_calls ? bad_what : "");
}

static void
memlimit_child(void *arg)
{
	const char *limit = arg;
	struct rump_statvfs sv;
	char buf[4096], path[64];
	uint64_t before, full, after;
	int i, n, nbig, err, fd, removed = 0;

	if (!boot(limit))
		return;
	cok(true, "boots with RUMP_MEMLIMIT=%s", limit);
	before = kmemused();
	rump_sys_mkdir("/dir", 0755);

	/* Big files: the pages run out. */
	fill_and_drain("big", 65536, &nbig, &err);
	n = nbig;
	full = kmemused();
	cok(n > 1 && out_of(err), "%d files of 64 KB, then %s", n,
	    strerror(err));
	n = rump_sys_statvfs("/", &sv);
	cok(n == 0 && sv.f_blocks > 0 && sv.f_bfree < sv.f_blocks / 4,
	    "statvfs still answers: %llu of %llu blocks free",
	    (unsigned long long)sv.f_bfree, (unsigned long long)sv.f_blocks);

	/* Everything else, while full: works or runs out, nothing else;
	 * then again with a little room, so that calls get further. */
	pressure_rounds("full", "/big0", "/big1");
	rump_sys_unlink("/big2");
	pressure_rounds("with 64 KB free", "/big0", "/big1");

	/* Small files: nodes and names run out. */
	fill_and_drain("small", 0, &n, &err);
	cok(out_of(err), "then %d empty files until %s", n, strerror(err));

	/* Let it all go (big2 went already). */
	for (i = 0; i < nbig; i++) {
		snprintf(path, sizeof(path), "/big%d", i);
		if (i != 2 && rump_sys_unlink(path) == 0)
			removed++;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/small%d", i);
		if (rump_sys_unlink(path) == 0)
			removed++;
	}
	after = kmemused();
	cok(removed == nbig - 1 + n, "%d files removed, each unlink worked",
	    removed);
	cok(after < full, "kernel memory in use back from %llu to %llu "
	    "bytes (%llu at boot)", (unsigned long long)full,
	    (unsigned long long)after, (unsigned long long)before);
	fill_and_drain("again", 65536, &n, &err);
	cok(n > 1 && out_of(err), "and it fills again: %d files of 64 KB",
	    n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/again%d", i);
		rump_sys_unlink(path);
	}
	fd = rump_sys_open("/after", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	cok(fd >= 0 && rump_sys_write(fd, buf, sizeof(buf)) ==
	    (rump_ssize_t)sizeof(buf) && rump_sys_mkdir("/after.d", 0755) ==
	    0, "emptied again, files and directories work");
	rump_sys_close(fd);
}

/* A boot and a little of everything, in a kernel with little room. */
static void
sweep_child(void *arg)
{
	const char *limit = arg;
	char path[64];
	int n, err, i;

	setenv("RUMP_MEMLIMIT", limit, 1);
	if (rump_init() != 0) {
		cok(errno == ENOMEM, "RUMP_MEMLIMIT=%s: boot fails with %s",
		    limit, strerror(errno));
		return;
	}
	rump_sys_mkdir("/dir", 0755);
	if (mkfile("/s0") != 0 || mkfile("/s1") != 0) {
		cok(errno == ENOMEM || errno == ENOSPC, "RUMP_MEMLIMIT=%s: "
		    "too little room for two files: %s", limit,
		    strerror(errno));
		return;
	}
	fill_and_drain("big", 16384, &n, &err);
	cok(out_of(err), "RUMP_MEMLIMIT=%s: full after %d files of 16 KB, "
	    "%s", limit, n, strerror(err));
	pressure_rounds(limit, "/s0", "/s1");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/big%d", i);
		rump_sys_unlink(path);
	}
}

static void
tiny_child(void *arg __attribute__((unused)))
{

	setenv("RUMP_MEMLIMIT", "16k", 1);
	cok(rump_init() == -1 && errno == ENOMEM, "a kernel that cannot "
	    "boot in 16 KB says ENOMEM");
}

int
main(void)
{
	static const char *const sweep[] = {
		"160k", "192k", "224k", "256k", "320k", "384k", "512k", "768k"
	};
	size_t i;

	run_child(emfile_child, NULL, "descriptors");
	run_child(memlimit_child, "2m", "RUMP_MEMLIMIT=2m");
	run_child(memlimit_child, "3m", "RUMP_MEMLIMIT=3m");
	run_child(tiny_child, NULL, "RUMP_MEMLIMIT=16k");
	for (i = 0; i < sizeof(sweep) / sizeof(sweep[0]); i++)
		run_child(sweep_child, (void *)(uintptr_t)sweep[i], sweep[i]);
	return tap_done();
}
