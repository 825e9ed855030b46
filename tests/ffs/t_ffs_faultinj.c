/*
 * t_ffs_faultinj.c: faults under the FFS write path.
 *
 * A write workload (files of several sizes whose fragment tails grow
 * into whole blocks, a file through an indirect block, a sparse file,
 * links, short and long symlinks, renames of files and directories
 * across directories and over existing names, truncation down and up,
 * a directory that grows past one block, unlink of an open file,
 * rmdir; half of it after a remount, from a cold cache) runs on a
 * fresh file system once for each N = 1, 2, 3 ..., each run in a
 * process of its own, with one fault armed:
 *
 *   kmem      the Nth kernel allocation fails (kmem_fault_set)
 *   kmemall   every allocation from the Nth on fails
 *   read      the Nth block read from the disk fails (EIO)
 *   write     the Nth block write to the disk fails (EIO), the
 *             unmount included
 *   writeall  every write from the Nth on fails: the disk is lost
 *
 * until N is past the last allocation or transfer the workload makes.
 * In every run nothing crashes or hangs, and the first call whose
 * result differs from a run without faults fails with the fault's own
 * errno (ENOMEM or EIO); later calls may fail as its consequences.
 * Then, with the fault disarmed:
 *
 *   - the file system unmounts (a write fault may fail the first
 *     unmount: a retry must work, as a failed delayed write stays
 *     dirty; under writeall the unmount is forced while the disk
 *     still fails, dropping what was not written);
 *   - rump_ffs_check finds it consistent with no repair at all: the
 *     driver undoes its partial work itself (writeall: the checker's
 *     repair is needed, after which a second check is clean);
 *   - after allocation faults the kernel holds no more memory than
 *     before the mount (no leak on any error path);
 *   - mounted again it shows the tree (names, sizes, links, contents)
 *     that it showed before the unmount (not under writeall);
 *   - and it works: files go and come.
 *
 * A run takes a few milliseconds.  By default UFS1 (4096/512) is run
 * with every fault and UFS2 with allocation faults, about 12 seconds;
 * T_FFS_FAULTINJ_FULL=1 runs every fault on both formats with 4 and 8
 * KiB blocks, for an exhaustive check.  "t_ffs_faultinj MODE N V"
 * runs one case (V: 0-3, the variants below) and says what differed.
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
#include <rump/ffs.h>
#include "../subr.h"

int	rump_ktest_ffsf_disk(uint64_t, uint64_t *);
void	rump_ktest_ffsf_iofail(int, unsigned int, int);
unsigned int rump_ktest_ffsf_iofired(void);
void	rump_ktest_ffsf_kmemfail(unsigned int, int);

#define DISKSIZE	(6u << 20)
#define DEVPATH		"/dev/fdk0"
#define MAXSTEPS	256
#define NAMELEN		250		/* one entry per 512-byte chunk */

enum mode { M_KMEM, M_READ, M_WRITE, M_KMEMALL, M_WRITEALL, M_NMODES };
static const char *const mode_name[] = { "kmem", "read", "write",
    "kmemall", "writeall" };

struct variant {
	int	ufs;
	int	bsize, fsize;
};
static const struct variant variants[] = {
	{ 1, 4096, 512 },
	{ 2, 4096, 512 },
	{ 1, 8192, 1024 },
	{ 2, 8192, 1024 },
};

struct run {
	enum mode		mode;
	unsigned int		nth;
	const struct variant	*var;
};

/* Child exit statuses. */
#define X_CLEAN		0
#define X_NOFAULT	1	/* no fault fired: N is past the end */
#define X_BADERR	2	/* the first failing call: a wrong errno */
#define X_UNMOUNT	3	/* no unmount once the fault was gone */
#define X_CHECK		4	/* the checker found something */
#define X_LEAK		5	/* memory held after the unmount */
#define X_AFTER		6	/* the file system does not work afterwards */
#define X_LOST		7	/* what was there before the unmount is not */
#define X_SETUP		9	/* no kernel, disk or file system */

/* ---- the workload ---- */

static int results[MAXSTEPS];	/* per step: 0 or errno */
static int nsteps;
static bool mounted;		/* the workload's file system is */
static bool debug;		/* one run: say what differs */
static char bigbuf[64 * 1024 * 4];

/* Record the result of one call: rv < 0 is a failure with errno. */
static long
step(long rv)
{

	if (nsteps < MAXSTEPS)
		results[nsteps++] = rv < 0 ? errno : 0;
	return rv;
}

/* dir/NNNnnn...: a name of NAMELEN characters, NNN = i. */
static void
longname(char *buf, size_t len, const char *dir, int i)
{
	char name[NAMELEN + 1];

	memset(name, 'n', NAMELEN);
	snprintf(name, sizeof(name), "%03d", i);
	name[3] = 'n';
	name[NAMELEN] = '\0';
	snprintf(buf, len, "%s/%s", dir, name);
}

static int do_mount(void);

static void
workload(int bsize, int fsize)
{
	char path[NAMELEN + 64], path2[NAMELEN + 64], target[201];
	int fd, i, ndir = bsize / 512 + 1;
	size_t b = (size_t)bsize, f = (size_t)fsize;

	nsteps = 0;
	step(rump_sys_mkdir("/mnt/a", 0755));
	step(rump_sys_mkdir("/mnt/b", 0755));

	/* A fragment tail grows in place, then into a whole block. */
	fd = (int)step(rump_sys_open("/mnt/a/f", RUMP_O_CREAT | RUMP_O_RDWR,
	    0644));
	step(rump_sys_write(fd, bigbuf, f + 100));
	step(rump_sys_write(fd, bigbuf, 2 * f));
	step(rump_sys_write(fd, bigbuf, b));
	step(rump_sys_close(fd));

	/* Eleven blocks and a tail, then on through the indirect block. */
	fd = (int)step(rump_sys_open("/mnt/a/big", RUMP_O_CREAT |
	    RUMP_O_RDWR, 0644));
	step(rump_sys_pwrite(fd, bigbuf, 11 * b + f / 2, 0));
	step(rump_sys_pwrite(fd, bigbuf, 3 * b, 12 * (off_t)b - 100));
	step(rump_sys_fsync(fd));
	step(rump_sys_close(fd));

	/* A sparse file: one block behind an indirect one. */
	fd = (int)step(rump_sys_open("/mnt/b/sparse", RUMP_O_CREAT |
	    RUMP_O_WRONLY, 0644));
	step(rump_sys_pwrite(fd, bigbuf, 100, 200 * (off_t)b));
	step(rump_sys_close(fd));

	/* A directory past one block: one long name per chunk. */
	step(rump_sys_mkdir("/mnt/d", 0755));
	for (i = 0; i < ndir; i++) {
		longname(path, sizeof(path), "/mnt/d", i);
		fd = (int)step(rump_sys_open(path, RUMP_O_CREAT |
		    RUMP_O_WRONLY, 0644));
		step(rump_sys_close(fd));
	}
	step(rump_sys_mkdir("/mnt/a/sub", 0755));
	fd = (int)step(rump_sys_open("/mnt/a/sub/x", RUMP_O_CREAT |
	    RUMP_O_WRONLY, 0644));
	step(rump_sys_close(fd));

	/* The rest starts from a cold cache: every block is read again. */
	if (step(rump_sys_unmount("/mnt", 0)) == 0)
		mounted = step(do_mount()) == 0;

	/* Names: links, symlinks (inline and in a block), renames. */
	step(rump_sys_link("/mnt/a/f", "/mnt/b/f2"));
	step(rump_sys_symlink("f", "/mnt/a/s"));
	memset(target, 't', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	step(rump_sys_symlink(target, "/mnt/b/ls"));
	step(rump_sys_rename("/mnt/a/f", "/mnt/b/g"));
	step(rump_sys_rename("/mnt/a/sub", "/mnt/b/sub"));
	step(rump_sys_rename("/mnt/b/f2", "/mnt/b/sparse"));
	step(rump_sys_mkdir("/mnt/a/e", 0755));
	step(rump_sys_rename("/mnt/b/sub", "/mnt/a/e"));

	/* Truncation: an indirect tree goes, a tail shrinks; growing. */
	step(rump_sys_truncate("/mnt/a/big", 5 * (off_t)b + (off_t)f / 2));
	step(rump_sys_truncate("/mnt/b/g", 2 * (off_t)b + 1));	/* a tail */
	step(rump_sys_truncate("/mnt/b/g", 0));
	step(rump_sys_truncate("/mnt/b/g", 3 * (off_t)b + 10));

	/* The directory goes on growing; everything to the disk. */
	for (i = ndir; i < ndir + 3; i++) {
		longname(path, sizeof(path), "/mnt/d", i);
		fd = (int)step(rump_sys_open(path, RUMP_O_CREAT |
		    RUMP_O_WRONLY, 0644));
		step(rump_sys_close(fd));
	}
	step(rump_sys_sync());
	longname(path, sizeof(path), "/mnt/d", 0);
	step(rump_sys_unlink(path));
	longname(path, sizeof(path), "/mnt/d", 1);
	longname(path2, sizeof(path2), "/mnt/d", ndir + 5);
	step(rump_sys_rename(path, path2));
	longname(path, sizeof(path), "/mnt/d", ndir + 6);
	step(rump_sys_mkdir(path, 0755));

	/* An unlinked file still open: freed at its last close. */
	fd = (int)step(rump_sys_open("/mnt/b/open", RUMP_O_CREAT |
	    RUMP_O_RDWR, 0644));
	step(rump_sys_unlink("/mnt/b/open"));
	step(rump_sys_write(fd, bigbuf, 2 * b + 10));
	step(rump_sys_close(fd));

	/* Removals, some refused. */
	step(rump_sys_unlink("/mnt/b/ls"));
	step(rump_sys_unlink("/mnt/a/s"));
	step(rump_sys_rmdir("/mnt/a/e"));	/* ENOTEMPTY */
	step(rump_sys_unlink("/mnt/a/e/x"));
	step(rump_sys_rmdir("/mnt/a/e"));
	step(rump_sys_rmdir("/mnt/a"));		/* ENOTEMPTY: big */
	step(rump_sys_unlink("/mnt/b/sparse"));
}

/* ---- what the tree looks like ---- */

static char sig_before[16384], sig_after[16384];

static void
sig_add(char *sig, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sig_add(char *sig, size_t len, const char *fmt, ...)
{
	size_t n = strlen(sig);
	va_list ap;

	va_start(ap, fmt);
	if (n < len)
		vsnprintf(sig + n, len - n, fmt, ap);
	va_end(ap);
}

/* A line per name under dir: type, size, links, and a hash of the
 * contents (files) or the target (symlinks). */
static void
tree_sig(char *sig, size_t len, const char *dir)
{
	char buf[4096], path[1024], target[512];
	struct rump_stat st;
	uint32_t h;
	int fd, n, off, k;
	ssize_t r;

	if ((fd = rump_sys_open(dir, RUMP_O_RDONLY | RUMP_O_DIRECTORY,
	    0)) < 0) {
		sig_add(sig, len, "%s: %d\n", dir, errno);
		return;
	}
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct rump_dirent *d = (struct rump_dirent *)
			    (buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			if (rump_sys_lstat(path, &st) != 0) {
				sig_add(sig, len, "%.20s: %d\n", path, errno);
				continue;
			}
			h = 2166136261u;
			if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK) {
				r = rump_sys_readlink(path, target,
				    sizeof(target));
				for (k = 0; k < r; k++)
					h = (h ^ (uint8_t)target[k]) *
					    16777619u;
			} else if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFREG &&
			    (k = rump_sys_open(path, RUMP_O_RDONLY, 0)) >= 0) {
				while ((r = rump_sys_read(k, target,
				    sizeof(target))) > 0)
					while (r > 0)
						h = (h ^ (uint8_t)target[--r]) *
						    16777619u;
				rump_sys_close(k);
			}
			/* Long names: their first characters are enough. */
			sig_add(sig, len, "%.20s %o %lld %u %08x\n", path,
			    (unsigned)st.st_mode, (long long)st.st_size,
			    (unsigned)st.st_nlink, h);
			if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR)
				tree_sig(sig, len, path);
		}
	}
	rump_sys_close(fd);
}

/* ---- one run ---- */

static struct rump_kmemstat ks_before[64], ks_after[64];

/* Bytes in use in the kernel's allocator, per class into ks. */
static uint64_t
kmem_inuse(uint64_t *fails, struct rump_kmemstat *ks)
{
	int name[2] = { RUMP_CTL_VM, RUMP_VM_KMEMSTATS };
	size_t len = sizeof(ks_before), i;
	uint64_t sum = 0;

	*fails = 0;
	memset(ks, 0, len);
	if (rump_sys_sysctl(name, 2, ks, &len, NULL, 0) == -1)
		return 0;
	for (i = 0; i < len / sizeof(ks[0]); i++) {
		sum += ks[i].ks_inuse;
		*fails += ks[i].ks_fails;
	}
	return sum;
}

static int
do_newfs(const struct variant *v)
{
	struct rump_ffs_newfs_args a;

	memset(&a, 0, sizeof(a));
	a.nfa_argsize = sizeof(a);
	a.nfa_version = v->ufs;
	a.nfa_bsize = v->bsize;
	a.nfa_fsize = v->fsize;
	return rump_ffs_newfs(DEVPATH, &a);
}

static int
do_mount(void)
{
	struct rump_ffs_args args;

	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, DEVPATH);
	return rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args));
}

static char findings[1024];

/* The checker's report: keep the first findings, not the phases. */
static void
check_report(void *arg, const char *line)
{
	size_t n = strlen(findings);

	(void)arg;
	if (strncmp(line, "** ", 3) == 0 || n + strlen(line) + 3 >=
	    sizeof(findings))
		return;
	snprintf(findings + n, sizeof(findings) - n, "%s; ", line);
}

static void
arm(const struct run *r, unsigned int nth)
{

	switch (r->mode) {
	case M_KMEM:
	case M_KMEMALL:
		rump_ktest_ffsf_kmemfail(nth, r->mode == M_KMEMALL);
		break;
	case M_READ:
		rump_ktest_ffsf_iofail(0, nth, 0);
		break;
	case M_WRITE:
	case M_WRITEALL:
		rump_ktest_ffsf_iofail(1, nth, r->mode == M_WRITEALL);
		break;
	default:
		break;
	}
}

static void
one_run(void *arg)
{
	const struct run *r = arg;
	const struct variant *v = r->var;
	struct rump_ffs_check_result cr;
	bool kmem = r->mode == M_KMEM || r->mode == M_KMEMALL, fired;
	int want = kmem ? ENOMEM : EIO, ref[MAXSTEPS], nref, i;
	uint64_t before, after, f0, f1, dev;

	memset(bigbuf, 'w', sizeof(bigbuf));
	if (rump_init() != 0 || rump_sys_mkdir("/dev", 0755) != 0 ||
	    rump_sys_mkdir("/mnt", 0755) != 0 ||
	    rump_ktest_ffsf_disk(DISKSIZE, &dev) != 0 ||
	    rump_sys_mknod(DEVPATH, RUMP_S_IFBLK | 0600, dev) != 0) {
		fprintf(stderr, "setup: %s\n", strerror(errno));
		_exit(X_SETUP);
	}

	/* Without faults: the results to compare with, and warm caches. */
	if (do_newfs(v) != 0 || (mounted = do_mount() == 0) == false) {
		fprintf(stderr, "newfs/mount: %s\n", strerror(errno));
		_exit(X_SETUP);
	}
	workload(v->bsize, v->fsize);
	memcpy(ref, results, sizeof(ref));
	nref = nsteps;
	if (!mounted || rump_sys_unmount("/mnt", 0) != 0 ||
	    do_newfs(v) != 0) {
		fprintf(stderr, "unmount/newfs: %s\n", strerror(errno));
		_exit(X_SETUP);
	}

	before = kmem_inuse(&f0, ks_before);
	if ((mounted = do_mount() == 0) == false) {
		fprintf(stderr, "mount: %s\n", strerror(errno));
		_exit(X_SETUP);
	}
	arm(r, r->nth);
	workload(v->bsize, v->fsize);
	if (r->mode != M_WRITE && r->mode != M_WRITEALL)
		arm(r, 0);
	for (i = 0; debug && i < nsteps && i < nref; i++)
		if (results[i] != ref[i])
			fprintf(stderr, "step %d: %s, without the fault %s\n",
			    i, strerror(results[i]), strerror(ref[i]));
	for (i = 0; i < nsteps && i < nref; i++) {
		if (results[i] == ref[i])
			continue;
		if (results[i] != want) {
			fprintf(stderr, "step %d: %s, without the fault %s\n",
			    i, strerror(results[i]), strerror(ref[i]));
			_exit(X_BADERR);
		}
		break;
	}
	sig_before[0] = '\0';
	if (mounted)
		tree_sig(sig_before, sizeof(sig_before), "/mnt");
	if (mounted && rump_sys_unmount("/mnt", 0) != 0) {
		int e = errno;

		/* A write fault may fail the unmount; once the disk
		 * works, a second try must write everything.  A disk
		 * that keeps failing is given up: forced, the unmount
		 * drops what could not be written. */
		if (r->mode == M_WRITEALL)
			i = rump_sys_unmount("/mnt", RUMP_MNT_FORCE);
		else {
			arm(r, 0);
			i = r->mode == M_WRITE && e == EIO ?
			    rump_sys_unmount("/mnt", 0) : -1;
		}
		if (i != 0) {
			fprintf(stderr, "unmount: %s, then %s\n", strerror(e),
			    strerror(errno));
			_exit(X_UNMOUNT);
		}
	}
	arm(r, 0);
	after = kmem_inuse(&f1, ks_after);
	fired = kmem ? f1 != f0 : rump_ktest_ffsf_iofired() != 0;

	memset(&cr, 0, sizeof(cr));
	findings[0] = '\0';
	if (r->mode == M_WRITEALL) {
		/* Writes were lost: fsck_ffs -y repairs, then all is
		 * clean; what the tree showed is not promised. */
		if (rump_ffs_check(DEVPATH, RUMP_FFS_CHECK_REPAIR, NULL, NULL,
		    &cr) != 0) {
			fprintf(stderr, "repair: %s\n", strerror(errno));
			_exit(X_CHECK);
		}
		if (debug)
			fprintf(stderr, "repaired %llu findings\n",
			    (unsigned long long)cr.fcr_findings);
	}
	if (rump_ffs_check(DEVPATH, 0, check_report, NULL, &cr) != 0) {
		fprintf(stderr, "check: %s\n", strerror(errno));
		_exit(X_CHECK);
	}
	if (cr.fcr_findings != 0) {
		fprintf(stderr, "check: %llu findings: %.900s\n",
		    (unsigned long long)cr.fcr_findings, findings);
		_exit(X_CHECK);
	}
	if (!fired)
		_exit(X_NOFAULT);
	/* More memory is a leak.  Less is not: a kernel thread frees its
	 * start-up record when it first runs, which may be late (the
	 * buffer cache's syncer, started by the first newfs). */
	if (kmem && after > before) {
		fprintf(stderr, "kmem in use: %llu before, %llu after:",
		    (unsigned long long)before, (unsigned long long)after);
		for (i = 0; i < 64 && ks_after[i].ks_name[0] != '\0'; i++)
			if (ks_after[i].ks_inuse != ks_before[i].ks_inuse)
				fprintf(stderr, " %s %+lld",
				    ks_after[i].ks_name,
				    (long long)(ks_after[i].ks_inuse -
				    ks_before[i].ks_inuse));
		fprintf(stderr, "\n");
		_exit(X_LEAK);
	}
	/* Mounted again, it holds what the workload left, as it was
	 * seen before the unmount. */
	if (do_mount() != 0) {
		fprintf(stderr, "mount afterwards: %s\n", strerror(errno));
		_exit(X_AFTER);
	}
	sig_after[0] = '\0';
	if (mounted)
		tree_sig(sig_after, sizeof(sig_after), "/mnt");
	if (r->mode == M_WRITEALL)
		sig_before[0] = sig_after[0] = '\0';	/* not promised */
	if (debug)
		fprintf(stderr, "%s", sig_after);
	if (strcmp(sig_before, sig_after) != 0) {
		for (i = 0; sig_before[i] == sig_after[i]; i++)
			;
		while (i > 0 && sig_before[i - 1] != '\n')
			i--;
		fprintf(stderr, "before the unmount: %.100s; after: %.100s\n",
		    sig_before + i, sig_after + i);
		_exit(X_LOST);
	}
	/* It works: the workload's leftovers go, new files come. */
	if ((rump_sys_unlink("/mnt/a/big") != 0 &&
	    errno != ENOENT) || (i = rump_sys_open("/mnt/new", RUMP_O_CREAT |
	    RUMP_O_RDWR, 0644)) < 0 || rump_sys_write(i, bigbuf,
	    3 * (size_t)v->bsize) != 3 * v->bsize || rump_sys_close(i) != 0 ||
	    rump_sys_unmount("/mnt", 0) != 0) {
		fprintf(stderr, "afterwards: %s\n", strerror(errno));
		_exit(X_AFTER);
	}
	_exit(X_CLEAN);
}

/* ---- all runs ---- */

static void
run_all(enum mode mode, const struct variant *v)
{
	static const char *const what[] = { "a crash or hang",
	    "the first failing call has the fault's errno",
	    "the unmount works once the fault is gone",
	    "the file system checks clean, no repair",
	    "no memory leaked",
	    "the file system works afterwards",
	    "mounted again, everything is as it was seen" };
	int counts[7], n, max, k;
	struct child_result res;
	struct run r;
	char first[300];

	memset(counts, 0, sizeof(counts));
	first[0] = '\0';
	max = 20000;
	for (n = 1; n < max; n++) {
		r.mode = mode;
		r.nth = (unsigned int)n;
		r.var = v;
		if (child_run(one_run, &r, &res) != 0)
			break;
		if (res.exited == X_NOFAULT)
			break;
		if (res.exited == X_CLEAN)
			continue;
		if (res.exited >= X_BADERR && res.exited <= X_LOST)
			k = res.exited - 1;
		else
			k = 0;		/* a signal, or no setup */
		counts[k]++;
		if (first[0] == '\0')
			snprintf(first, sizeof(first), "N=%d: status %d signal "
			    "%d: %.200s", n, res.exited, res.signal, res.err);
	}
	ok(n > 5, "UFS%d %d/%d, %s faults: %d fault points reached",
	    v->ufs, v->bsize, v->fsize, mode_name[mode], n - 1);
	ok(counts[0] == 0, "... never %s (%d)", what[0], counts[0]);
	for (k = 1; k < 7; k++) {
		if ((k == X_LEAK - 1 && mode != M_KMEM && mode != M_KMEMALL) ||
		    (k == X_LOST - 1 && mode == M_WRITEALL))
			continue;
		ok(counts[k] == 0, "... %s (%d runs not)", k == X_CHECK - 1 &&
		    mode == M_WRITEALL ? "repaired by the checker, the file "
		    "system checks clean" : what[k], counts[k]);
	}
	if (first[0] != '\0')
		diag("first failure: %s", first);
}

int
main(int argc, char **argv)
{
	bool full = getenv("T_FFS_FAULTINJ_FULL") != NULL &&
	    strcmp(getenv("T_FFS_FAULTINJ_FULL"), "0") != 0;
	size_t i;
	int m;

	if (argc == 4) {		/* one run, for debugging */
		struct run r = { M_KMEM, 0, NULL };

		for (m = 0; m < M_NMODES; m++)
			if (strcmp(argv[1], mode_name[m]) == 0)
				r.mode = (enum mode)m;
		r.nth = (unsigned int)atoi(argv[2]);
		r.var = &variants[atoi(argv[3]) % 4];
		debug = true;
		one_run(&r);
	}
	for (i = 0; i < (full ? 4 : 2); i++)
		for (m = 0; m < M_NMODES; m++)
			if (full || i == 0 || m == M_KMEM)
				run_all((enum mode)m, &variants[i]);
	return tap_done();
}
