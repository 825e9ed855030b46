/*
 * t_faultinj.c: every allocation failure is a clean error.
 *
 * A workload over the file system calls (files, links, symlinks,
 * renames, directories, pipes, locks, a second process) runs once for
 * each N, in a fresh process, with the Nth kernel allocation failing;
 * then once with every allocation from the Nth on failing.  Each run
 * must end without a crash or a hang, its calls failing with ENOMEM
 * (or a consequence of an earlier failure), and once the faults stop
 * the kernel must work and, after cleaning up, hold no more memory
 * than before the workload (no leak on any error path).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../subr.h"

void	rump_ktest_kmem_fault(unsigned int, int);

static struct rump_kmemstat ks_before[64];

static uint64_t
kmem_inuse_ks(uint64_t *fails, struct rump_kmemstat *ks)
{
	int name[2] = { RUMP_CTL_VM, RUMP_VM_KMEMSTATS };
	size_t len = 64 * sizeof(*ks), i;
	uint64_t sum = 0;

	*fails = 0;
	if (rump_sys_sysctl(name, 2, ks, &len, NULL, 0) == -1)
		return 0;
	for (i = 0; i < len / sizeof(ks[0]); i++) {
		sum += ks[i].ks_inuse;
		*fails += ks[i].ks_fails;
	}
	return sum;
}

static uint64_t
kmem_inuse(uint64_t *fails)
{
	struct rump_kmemstat ks[64];

	return kmem_inuse_ks(fails, ks);
}

static void
workload(void)
{
	static char data[10000];
	struct rump_flock fl = { 0, 0, 0, RUMP_F_WRLCK, RUMP_SEEK_SET };
	struct rump_stat st;
	char dbuf[2048];
	int fd, fd2, p[2];

	rump_sys_mkdir("/w", 0755);
	fd = rump_sys_open("/w/a", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	rump_sys_write(fd, data, sizeof(data));
	rump_sys_fcntl(fd, RUMP_F_SETLK, (long)&fl);
	rump_sys_flock(fd, RUMP_LOCK_SH);
	fd2 = rump_sys_dup(fd);
	rump_sys_link("/w/a", "/w/b");
	rump_sys_symlink("a", "/w/c");
	rump_sys_rename("/w/b", "/w/d");
	rump_sys_mkdir("/w/sub", 0700);
	rump_sys_rename("/w/sub", "/w/sub2");
	rump_sys_close(rump_sys_open("/w/sub2/x", RUMP_O_CREAT | RUMP_O_WRONLY,
	    0600));
	rump_sys_stat("/w/c", &st);
	rump_sys_chmod("/w/d", 0600);
	rump_sys_utimensat(RUMP_AT_FDCWD, "/w/d", NULL, 0);
	rump_sys_truncate("/w/a", 100);
	if ((p[0] = rump_sys_open("/w", RUMP_O_RDONLY, 0)) >= 0) {
		rump_sys_getdents(p[0], dbuf, sizeof(dbuf));
		rump_sys_close(p[0]);
	}
	/* Nonblocking: if the write fails, the read must not wait. */
	if (rump_sys_pipe2(p, RUMP_O_NONBLOCK) == 0) {
		rump_sys_write(p[1], data, 100);
		rump_sys_read(p[0], dbuf, 100);
		rump_sys_close(p[0]);
		rump_sys_close(p[1]);
	}
	if (rump_lwproc_rfork(RUMP_RFFDG) == 0) {
		rump_sys_close(rump_sys_open("/w/child", RUMP_O_CREAT |
		    RUMP_O_WRONLY, 0600));
		rump_lwproc_releaselwp();
	}
	/* A mount, a directory walk, vectored I/O, poll. */
	rump_sys_mkdir("/w/m", 0755);
	if (rump_sys_mount("tmpfs", "/w/m", 0, NULL, 0) == 0) {
		rump_sys_close(rump_sys_open("/w/m/f", RUMP_O_CREAT |
		    RUMP_O_WRONLY, 0600));
		rump_sys_unlink("/w/m/f");
		rump_sys_unmount("/w/m", 0);
	}
	if (rump_sys_chdir("/w/sub2") == 0) {
		rump_sys_getcwd(dbuf, sizeof(dbuf));
		rump_sys_chdir("/");
	}
	{
		struct rump_iovec iov[2] = { { data, 10 }, { data, 20 } };
		struct rump_pollfd pfd = { fd, RUMP_POLLIN, 0 };

		rump_sys_writev(fd, iov, 2);
		rump_sys_readv(fd, iov, 2);
		rump_sys_poll(&pfd, 1, 0);
	}
	rump_sys_rename("/w/d", "/w/sub2/x");	/* over an existing file */
	rump_sys_unlink("/w/a");	/* still open: data stays */
	rump_sys_pread(fd2, dbuf, 100, 0);
	rump_sys_close(fd);
	rump_sys_close(fd2);
}

static void
cleanup(void)
{
	static const char *files[] = { "/w/a", "/w/b", "/w/c", "/w/d",
	    "/w/sub2/x", "/w/sub/x", "/w/child", "/w/m/f" };
	unsigned int i;
	int fd;

	rump_sys_chdir("/");
	for (fd = 0; fd < RUMP_OPEN_MAX; fd++)
		rump_sys_close(fd);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		rump_sys_unlink(files[i]);
	rump_sys_unmount("/w/m", RUMP_MNT_FORCE);
	rump_sys_rmdir("/w/m");
	rump_sys_rmdir("/w/sub2");
	rump_sys_rmdir("/w/sub");
	rump_sys_rmdir("/w");
}

struct run {
	unsigned int	nth;
	int		every;
};

/* Exit status: 0 clean, 1 the fault never triggered (N past the end),
 * 2 kernel unusable after the faults, 3 leaked memory, 9 no boot. */
static void
one_run(void *arg)
{
	struct run *r = arg;
	struct rump_stat st;
	uint64_t before, after, f0, f1;
	int fd;

	if (rump_init() != 0)
		_exit(9);
	/* Warm up so that caches hold what they will hold anyway. */
	workload();
	cleanup();
	before = kmem_inuse_ks(&f0, ks_before);
	rump_ktest_kmem_fault(r->nth, r->every);
	workload();
	rump_ktest_kmem_fault(0, 0);
	cleanup();
	after = kmem_inuse(&f1);
	if (f1 == f0)
		_exit(1);
	fd = rump_sys_open("/after", RUMP_O_CREAT | RUMP_O_RDWR, 0600);
	if (fd < 0 || rump_sys_write(fd, "ok", 2) != 2 ||
	    rump_sys_fstat(fd, &st) != 0 || st.st_size != 2)
		_exit(2);
	rump_sys_close(fd);
	rump_sys_unlink("/after");
	if (after != before) {
		struct rump_kmemstat ks[64];
		int i;

		memset(ks, 0, sizeof(ks));
		kmem_inuse_ks(&f1, ks);
		fprintf(stderr, "in use %llu before, %llu after:",
		    (unsigned long long)before, (unsigned long long)after);
		for (i = 0; i < 64 && ks[i].ks_name[0]; i++)
			if (ks[i].ks_inuse != ks_before[i].ks_inuse)
				fprintf(stderr, " %s +%lld", ks[i].ks_name,
				    (long long)(ks[i].ks_inuse -
				    ks_before[i].ks_inuse));
		fprintf(stderr, "\n");
		_exit(3);
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct child_result res;
	struct run r;
	int mode, crashes, leaks, broken, n;
	char first[256];

	if (argc == 3) {		/* one run, for debugging */
		r.nth = (unsigned int)atoi(argv[1]);
		r.every = atoi(argv[2]);
		one_run(&r);
	}

	for (mode = 0; mode < 2; mode++) {
		crashes = leaks = broken = 0;
		first[0] = '\0';
		for (n = 1; n < 2000; n++) {
			r.nth = (unsigned int)n;
			r.every = mode;
			child_run(one_run, &r, &res);
			if (res.exited == 1)
				break;
			if (res.exited == 0)
				continue;
			if (res.signal != 0 || res.exited == 9)
				crashes++;
			else if (res.exited == 3)
				leaks++;
			else
				broken++;
			if (first[0] == '\0')
				snprintf(first, sizeof(first), "N=%d: status "
				    "%d signal %d: %.150s", n, res.exited,
				    res.signal, res.err);
		}
		ok(n > 10, "%s: %d allocation points reached",
		    mode ? "every allocation from the Nth" : "the Nth allocation",
		    n - 1);
		ok(crashes == 0, "... no crash or hang (%d)", crashes);
		ok(broken == 0, "... the kernel works afterwards (%d)", broken);
		ok(leaks == 0, "... no memory leaked (%d)", leaks);
		if (first[0] != '\0')
			diag("first failure: %s", first);
	}
	return tap_done();
}
