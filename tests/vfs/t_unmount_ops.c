/*
 * t_unmount_ops.c: a forced unmount while operations run inside the
 * file system, on tmpfs and on an FFS image.
 *
 * Held: for each of getattr, read, write, readdir, lookup, create,
 * rename and fsync, a thread's system call is held inside the file
 * system's operation (ktest_opgate.c) while another thread forces the
 * unmount.  The unmount must wait for it: the held operation finds its
 * vnode alive when let go and completes (success or a clean error),
 * the unmount then succeeds, the vnode is dead afterwards (EIO) and an
 * FFS image checks clean.  Before the VFS's operation gate, the
 * unmount freed the node and the mounts under the operation: a crash,
 * or AddressSanitizer's use-after-free report.
 *
 * Storm: three threads read, write, create, rename, remove, list and
 * fsync in /mnt/d (keeping files open across unmounts) while the main
 * thread mounts, lets them run, force-unmounts, and (FFS) checks the
 * image, round after round.  Every call must succeed or fail cleanly
 * (ENOENT, EIO, EEXIST, EBADF, ENOTEMPTY; EXDEV for a rename whose
 * two names were looked up on either side of an unmount); nothing may
 * crash.  The workers unlink files they hold open, so each forced
 * unmount of the FFS must also free those.
 *
 * Every case runs in a child process (tests/subr.h), so a panic or a
 * crash fails its test point.  Loops are bounded by counts; nothing
 * here measures time.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ffs.h>
#include "../subr.h"

int	rump_ktest_opgate_arm(const char *, int);
int	rump_ktest_opgate_entered(void);
int	rump_ktest_opgate_release(char *, size_t);
void	rump_ktest_opgate_disarm(void);

/* ktest_opgate.c's numbering. */
enum {
	OPG_GETATTR, OPG_READ, OPG_WRITE, OPG_READDIR, OPG_LOOKUP,
	OPG_CREATE, OPG_RENAME, OPG_FSYNC, OPG_NOPS
};
static const char *const opnames[OPG_NOPS] = {
	"getattr (fstat)", "read (pread)", "write (pwrite)",
	"readdir (getdents)", "lookup (fstatat)", "create (openat)",
	"rename (renameat)", "fsync"
};

struct fscase {
	const char	*img;		/* FFS on this host file, else tmpfs */
	int		rounds;		/* storm rounds */
};

static void
die(const char *what)
{

	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	_exit(1);
}

static void
boot(const struct fscase *fc)
{
	struct rump_ffs_newfs_args nfa;

	if (rump_init() != 0)
		die("rump_init");
	if (rump_sys_mkdir("/mnt", 0755) != 0)
		die("mkdir /mnt");
	if (fc->img == NULL)
		return;
	memset(&nfa, 0, sizeof(nfa));
	nfa.nfa_argsize = sizeof(nfa);
	nfa.nfa_version = 2;
	if ((rump_sys_mkdir("/dev", 0755) != 0 && errno != EEXIST) ||
	    rump_etfs_register("/dev/ffs0", fc->img, RUMP_ETFS_BLK) != 0)
		die("etfs");
	if (rump_ffs_newfs("/dev/ffs0", &nfa) != 0)
		die("newfs");
}

static int
mount_it(const struct fscase *fc)
{
	struct rump_ffs_args args;

	if (fc->img == NULL)
		return rump_sys_mount("tmpfs", "/mnt", 0, NULL, 0);
	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/ffs0");
	return rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args));
}

/* The first finding of a check, for the failure message. */
static void
first_finding(void *arg, const char *line)
{
	char *first = arg;

	if (strncmp(line, "** ", 3) != 0 && first[0] == '\0')
		snprintf(first, 160, "%s", line);
}

/* An unmounted FFS image must check clean: 0, or -1 with why. */
static int
check_clean(const struct fscase *fc, char *why, size_t whylen)
{
	struct rump_ffs_check_result cr;
	char first[160] = "";

	if (fc->img == NULL)
		return 0;
	memset(&cr, 0, sizeof(cr));
	if (rump_ffs_check("/dev/ffs0", 0, first_finding, first, &cr) != 0 ||
	    cr.fcr_findings != 0) {
		snprintf(why, whylen, "the FFS image does not check clean "
		    "(%llu findings, the first: %s)",
		    (unsigned long long)cr.fcr_findings, first);
		return -1;
	}
	return 0;
}

/* ---- one operation held inside the file system ---- */

struct held {
	int		op;
	int		dfd, ffd;
	int		rv;		/* 0 or errno */
};

static void *
held_op(void *arg)
{
	struct held *h = arg;
	struct rump_stat st;
	char buf[4096];
	int fd, r = 0;

	memset(buf, 'h', sizeof(buf));
	switch (h->op) {
	case OPG_GETATTR:
		r = rump_sys_fstat(h->ffd, &st);
		break;
	case OPG_READ:
		r = rump_sys_pread(h->ffd, buf, sizeof(buf), 0) < 0 ? -1 : 0;
		break;
	case OPG_WRITE:
		r = rump_sys_pwrite(h->ffd, buf, sizeof(buf), 0) < 0 ? -1 : 0;
		break;
	case OPG_READDIR:
		r = rump_sys_getdents(h->dfd, buf, sizeof(buf)) < 0 ? -1 : 0;
		break;
	case OPG_LOOKUP:
		/* A name never looked up: no name-cache hit. */
		r = rump_sys_fstatat(h->dfd, "never", &st, 0);
		break;
	case OPG_CREATE:
		if ((fd = rump_sys_openat(h->dfd, "new", RUMP_O_WRONLY |
		    RUMP_O_CREAT, 0644)) == -1)
			r = -1;
		else
			rump_sys_close(fd);
		break;
	case OPG_RENAME:
		r = rump_sys_renameat(h->dfd, "a", h->dfd, "b");
		break;
	case OPG_FSYNC:
		r = rump_sys_fsync(h->ffd);
		break;
	}
	h->rv = r == 0 ? 0 : errno;
	return NULL;
}

static void *
force_unmount(void *arg)
{
	int *rv = arg;

	*rv = rump_sys_unmount("/mnt", RUMP_MNT_FORCE) == 0 ? 0 : errno;
	return NULL;
}

static bool
clean_error(int e)
{

	return e == 0 || e == ENOENT || e == EIO || e == EEXIST ||
	    e == EBADF || e == ENOTEMPTY || e == EXDEV;
}

static void
held_child(void *arg)
{
	const struct fscase *fc = arg;
	struct rump_stat st;
	struct held h;
	pthread_t top, tum;
	char why[256], buf[4096];
	int op, fd, urv, fails;

	boot(fc);
	memset(buf, 'x', sizeof(buf));
	for (op = 0; op < OPG_NOPS; op++) {
		if (mount_it(fc) != 0)
			die("mount");
		if ((rump_sys_mkdir("/mnt/d", 0755) != 0 && errno != EEXIST) ||
		    (fd = rump_sys_open("/mnt/d/a", RUMP_O_WRONLY |
		    RUMP_O_CREAT, 0644)) == -1)
			die("set up /mnt/d");
		rump_sys_close(fd);
		rump_sys_unlink("/mnt/d/b");
		rump_sys_unlink("/mnt/d/new");
		if ((h.ffd = rump_sys_open("/mnt/d/f", RUMP_O_RDWR |
		    RUMP_O_CREAT, 0644)) == -1 ||
		    rump_sys_pwrite(h.ffd, buf, sizeof(buf), 0) !=
		    (ssize_t)sizeof(buf) ||
		    (h.dfd = rump_sys_open("/mnt/d", RUMP_O_RDONLY, 0)) == -1)
			die("open /mnt/d/f");
		h.op = op;
		h.rv = -1;
		if ((errno = rump_ktest_opgate_arm(op == OPG_READDIR ||
		    op == OPG_LOOKUP || op == OPG_CREATE || op == OPG_RENAME ?
		    "/mnt/d" : "/mnt/d/f", op)) != 0)
			die("arm");
		pthread_create(&top, NULL, held_op, &h);
		if (rump_ktest_opgate_entered() != 0) {
			fprintf(stderr, "%s: never reached the file system\n",
			    opnames[op]);
			_exit(1);
		}
		pthread_create(&tum, NULL, force_unmount, &urv);
		fails = rump_ktest_opgate_release(why, sizeof(why));
		pthread_join(top, NULL);
		pthread_join(tum, NULL);
		rump_ktest_opgate_disarm();
		if (fails != 0) {
			fprintf(stderr, "%s on %s: %s\n", opnames[op],
			    fc->img ? "FFS" : "tmpfs", why);
			_exit(1);
		}
		if (!clean_error(h.rv) || urv != 0) {
			fprintf(stderr, "%s on %s: the operation got %s, the "
			    "unmount %s\n", opnames[op],
			    fc->img ? "FFS" : "tmpfs", strerror(h.rv),
			    strerror(urv));
			_exit(1);
		}
		/* Dead now. */
		if (rump_sys_fstat(h.ffd, &st) != -1 || errno != EIO) {
			fprintf(stderr, "%s: fstat after the unmount: %s\n",
			    opnames[op], strerror(errno));
			_exit(1);
		}
		rump_sys_close(h.ffd);
		rump_sys_close(h.dfd);
		if (check_clean(fc, why, sizeof(why)) != 0) {
			fprintf(stderr, "after %s: %s\n", opnames[op], why);
			_exit(1);
		}
	}
	fprintf(stderr, "%d operations held across a forced unmount\n",
	    OPG_NOPS);
	_exit(0);
}

/* ---- a storm of operations against unmounts in a loop ---- */

#define NWORK	3

struct worker {
	int		id;
	atomic_int	*stop;
	atomic_long	*ops;		/* all workers' successful calls */
	long		calls, ok;
	int		bad;		/* calls that failed uncleanly */
	char		what[128];	/* the first of those */
};

/* Count a call's result; r < 0 with errno is a failure. */
static void
note(struct worker *w, long r, const char *what)
{
	int e = errno;

	w->calls++;
	if (r >= 0) {
		w->ok++;
		atomic_fetch_add(w->ops, 1);
		return;
	}
	if (clean_error(e))
		return;
	if (w->bad++ == 0)
		snprintf(w->what, sizeof(w->what), "%s: %s", what,
		    strerror(e));
}

static void *
worker(void *arg)
{
	struct worker *w = arg;
	char path[64], path2[64], dpath[64], buf[8192];
	struct rump_stat st;
	int fd = -1, dfd = -1, i;
	long r;

	memset(buf, 'a' + w->id, sizeof(buf));
	snprintf(path, sizeof(path), "/mnt/d/w%d", w->id);
	snprintf(path2, sizeof(path2), "/mnt/d/w%d.r", w->id);
	snprintf(dpath, sizeof(dpath), "/mnt/d/dir%d", w->id);
	for (i = 0; !atomic_load(w->stop); i++) {
		/* Files stay open across unmounts: dead ones fail with
		 * EIO, and are opened again. */
		if (fd == -1) {
			fd = rump_sys_open(path, RUMP_O_RDWR | RUMP_O_CREAT,
			    0644);
			note(w, fd, "open");
		}
		if (dfd == -1) {
			dfd = rump_sys_open("/mnt/d", RUMP_O_RDONLY, 0);
			note(w, dfd, "open dir");
		}
		if (fd != -1) {
			note(w, r = rump_sys_pwrite(fd, buf, sizeof(buf),
			    (i % 8) * sizeof(buf)), "pwrite");
			note(w, rump_sys_pread(fd, buf, sizeof(buf), 0),
			    "pread");
			note(w, rump_sys_fstat(fd, &st), "fstat");
			if (i % 4 == 0)
				note(w, rump_sys_fsync(fd), "fsync");
			if (r < 0 || i % 16 == 15) {
				rump_sys_close(fd);
				fd = -1;
			}
		}
		if (dfd != -1) {
			note(w, r = rump_sys_getdents(dfd, buf, sizeof(buf)),
			    "getdents");
			note(w, rump_sys_lseek(dfd, 0, RUMP_SEEK_SET),
			    "lseek");
			if (r < 0) {
				rump_sys_close(dfd);
				dfd = -1;
			}
		}
		note(w, rump_sys_rename(path, path2), "rename");
		note(w, rump_sys_stat(path2, &st), "stat");
		note(w, rump_sys_rename(path2, path), "rename back");
		if (i % 8 == 7) {
			note(w, rump_sys_unlink(path), "unlink");
			note(w, rump_sys_mkdir(dpath, 0755), "mkdir");
			note(w, rump_sys_rmdir(dpath), "rmdir");
		}
	}
	if (fd != -1)
		rump_sys_close(fd);
	if (dfd != -1)
		rump_sys_close(dfd);
	return NULL;
}

static void
storm_child(void *arg)
{
	const struct fscase *fc = arg;
	struct worker w[NWORK];
	pthread_t t[NWORK];
	atomic_int stop = 0;
	atomic_long ops = 0;
	char why[256] = "";
	long start, calls = 0, ok = 0;
	int i, r, spins, failed = 0;

	boot(fc);
	for (i = 0; i < NWORK; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		w[i].stop = &stop;
		w[i].ops = &ops;
		pthread_create(&t[i], NULL, worker, &w[i]);
	}
	for (r = 0; r < fc->rounds && !failed; r++) {
		if (mount_it(fc) != 0) {
			snprintf(why, sizeof(why), "round %d: mount: %s", r,
			    strerror(errno));
			failed = 1;
			break;
		}
		if (rump_sys_mkdir("/mnt/d", 0755) != 0 && errno != EEXIST) {
			snprintf(why, sizeof(why), "round %d: mkdir: %s", r,
			    strerror(errno));
			failed = 1;
			break;
		}
		/* Let the workers into it (bounded: a stuck worker shows
		 * as few calls, not as a hang). */
		start = atomic_load(&ops);
		for (spins = 0; spins < 100000 &&
		    atomic_load(&ops) - start < 300; spins++)
			sched_yield();
		if (rump_sys_unmount("/mnt", RUMP_MNT_FORCE) != 0) {
			snprintf(why, sizeof(why), "round %d: forced "
			    "unmount: %s", r, strerror(errno));
			failed = 1;
			break;
		}
		if (check_clean(fc, why, sizeof(why)) != 0)
			failed = 1;
	}
	atomic_store(&stop, 1);
	for (i = 0; i < NWORK; i++) {
		pthread_join(t[i], NULL);
		calls += w[i].calls;
		ok += w[i].ok;
		if (w[i].bad != 0 && !failed) {
			snprintf(why, sizeof(why), "worker %d: %d unclean "
			    "failures, first %s", i, w[i].bad, w[i].what);
			failed = 1;
		}
	}
	if (failed) {
		fprintf(stderr, "%s\n", why);
		_exit(1);
	}
	fprintf(stderr, "%d rounds, %ld calls, %ld succeeded\n", fc->rounds,
	    calls, ok);
	_exit(0);
}

int
main(void)
{
	struct fscase fc;
	const char *tmp = getenv("TMPDIR");
	char img[4096];
	int fd;

	memset(&fc, 0, sizeof(fc));
	fc.rounds = 200;
	child_case(held_child, &fc, "tmpfs: each operation held inside the "
	    "file system survives a forced unmount, which waits for it");
	/*
	 * The storms once failed now and then on a loaded machine (an
	 * FFS image unclean, a panic "bp->b_flags & B_BUSY", "vref:
	 * vnode unreferenced", a SIGSEGV): the buffer cache writing a
	 * buffer it no longer owned, and lookups crossing a mount point
	 * as it was unmounted.  Run them beside t_vnode_race and t_fifo
	 * to load the machine.
	 */
	child_case(storm_child, &fc, "tmpfs: 200 forced unmounts under 3 "
	    "threads of I/O, renames and listings: no crash, clean errors");
	snprintf(img, sizeof(img), "%s/t_unmount_ops.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if ((fd = mkstemp(img)) == -1 || ftruncate(fd, 16 << 20) != 0) {
		ok(0, "an FFS image file: %s", strerror(errno));
		ok(0, "an FFS image file: %s", strerror(errno));
	} else {
		fc.img = img;
		fc.rounds = 60;
		child_case(held_child, &fc, "FFS: the same, checking clean "
		    "after each unmount");
		child_case(storm_child, &fc, "FFS: 60 forced unmounts under "
		    "the same load, checking clean after each");
	}
	if (fd != -1) {
		close(fd);
		unlink(img);
	}
	return tap_done();
}
