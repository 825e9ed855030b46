/*
 * t_vnode_race.c: the vnode cache, inactive and unmount, racing.
 *
 * With RUMP_NVNODES at its floor (16) every release of a vnode that a
 * file system keeps pushes the oldest cached one out: the releasing
 * thread takes it off the LRU and asks its file system to reclaim it.
 * Churning threads create, look up and remove files in the root file
 * system to keep that going, while the main thread mounts a tmpfs,
 * fills it, looks everything up again (so its vnodes are what the
 * churners reclaim) and unmounts it, forced every other round with a
 * file held open, many times; then the same with an FFS image, whose
 * reclaims write nodes back and whose unlinked files are freed on disk
 * by their last release, and which must check clean at the end.
 *
 * An unmount must never free a vnode that a churner is reclaiming: the
 * VFS asserts it (vnode_kill and vnode_free panic on a vnode in an
 * inactive or reclaim call), and the use after free that followed
 * could crash or hang (the child's alarm makes a hang a failure).  No
 * unmount may fail with EBUSY for a reclaim in flight, and the vnodes
 * must come back to the bound afterwards.
 *
 * Two threads forcing the unmount of one mount at once: one succeeds,
 * the other gets EINVAL.  (Before, the second could go on with a
 * mount the first was freeing, having let go of its root.)
 *
 * Then inactive without a global lock (ktest_vnode.c): while one
 * vnode's vop_inactive is held blocked, another vnode's last release
 * completes, and a second last release of the blocked vnode waits for
 * it instead of running beside it.
 *
 * Every case runs in a child process (tests/subr.h), so a panic fails
 * its test point instead of ending the test.  Loops are bounded by
 * counts; nothing here measures time.
 */
#include <errno.h>
#include <pthread.h>
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

unsigned int	rump_ktest_vnode_count(void);
int		rump_ktest_inactive_overlap(char *, size_t);

#define NCHURN		3	/* churning threads */
#define CHURN_NAMES	64	/* names each churner cycles through */
#define MFILES		48	/* files in the mount that comes and goes */

struct churn {
	int		id;
	atomic_int	*stop;
	long		iters;
	int		errors;
	char		what[128];
};

static void
churn_fail(struct churn *c, const char *what, const char *path)
{

	if (c->errors++ == 0)
		snprintf(c->what, sizeof(c->what), "%s %s: %s", what, path,
		    strerror(errno));
}

/*
 * Create a file (a vnode made and released: cached), look up another
 * (a vnode made again if it was reclaimed), remove a third (freed with
 * its node).  Each release past the bound reclaims the oldest cached
 * vnode, whatever its file system.
 */
static void *
churner(void *arg)
{
	struct churn *c = arg;
	struct rump_stat st;
	char dir[32], path[64];
	int fd, i;

	snprintf(dir, sizeof(dir), "/w/c%d", c->id);
	if (rump_sys_mkdir(dir, 0755) != 0) {
		churn_fail(c, "mkdir", dir);
		return NULL;
	}
	for (i = 0; !atomic_load(c->stop); i++) {
		snprintf(path, sizeof(path), "%s/f%d", dir, i % CHURN_NAMES);
		fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
		if (fd == -1 || rump_sys_close(fd) != 0)
			churn_fail(c, "create", path);
		snprintf(path, sizeof(path), "%s/f%d", dir,
		    (i * 7 + 3) % CHURN_NAMES);
		if (rump_sys_stat(path, &st) != 0 && errno != ENOENT)
			churn_fail(c, "stat", path);
		if (i % 3 == 0) {
			snprintf(path, sizeof(path), "%s/f%d", dir,
			    (i * 5 + 1) % CHURN_NAMES);
			if (rump_sys_unlink(path) != 0 && errno != ENOENT)
				churn_fail(c, "unlink", path);
		}
		c->iters++;
	}
	return NULL;
}

struct race {
	int		rounds;
	bool		force_all;	/* every unmount forced */
	const char	*ffsimg;	/* FFS on this host file, else tmpfs */
};

static int
mount_it(const struct race *ra)
{
	struct rump_ffs_args args;

	if (ra->ffsimg == NULL)
		return rump_sys_mount("tmpfs", "/mnt", 0, NULL, 0);
	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/ffs0");
	return rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args));
}

/*
 * Fill /mnt with files and a directory (they may be there from an
 * earlier round, on FFS), look them all up again, and free a file
 * with its last release (open, unlink, close).
 */
static int
fill(char *why, size_t whylen)
{
	struct rump_stat st;
	char path[64];
	int fd, i;

	if (rump_sys_mkdir("/mnt/d", 0755) != 0 && errno != EEXIST) {
		snprintf(why, whylen, "mkdir /mnt/d: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < MFILES; i++) {
		snprintf(path, sizeof(path), "/mnt/%sf%d", i % 4 ? "" : "d/",
		    i);
		fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT |
		    RUMP_O_TRUNC, 0644);
		if (fd == -1 || rump_sys_write(fd, "x", 1) != 1 ||
		    rump_sys_close(fd) != 0) {
			snprintf(why, whylen, "create %s: %s", path,
			    strerror(errno));
			return -1;
		}
	}
	for (i = 0; i < MFILES; i++) {
		snprintf(path, sizeof(path), "/mnt/%sf%d", i % 4 ? "" : "d/",
		    i);
		if (rump_sys_stat(path, &st) != 0 || st.st_size != 1) {
			snprintf(why, whylen, "stat %s: %s", path,
			    strerror(errno));
			return -1;
		}
	}
	fd = rump_sys_open("/mnt/gone", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	if (fd == -1 || rump_sys_write(fd, "y", 1) != 1 ||
	    rump_sys_unlink("/mnt/gone") != 0 || rump_sys_close(fd) != 0) {
		snprintf(why, whylen, "/mnt/gone: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
one_round(const struct race *ra, int r, bool force, char *why,
    size_t whylen)
{
	char c;
	int fd = -1;

	if (mount_it(ra) != 0) {
		snprintf(why, whylen, "round %d: mount: %s", r,
		    strerror(errno));
		return -1;
	}
	if (fill(why, whylen) != 0)
		return -1;
	if (force && (fd = rump_sys_open("/mnt/f1", RUMP_O_RDONLY, 0)) == -1) {
		snprintf(why, whylen, "round %d: open: %s", r,
		    strerror(errno));
		return -1;
	}
	if (rump_sys_unmount("/mnt", force ? RUMP_MNT_FORCE : 0) != 0) {
		snprintf(why, whylen, "round %d: %sunmount: %s", r,
		    force ? "forced " : "", strerror(errno));
		return -1;
	}
	if (fd != -1) {
		/* Dead now: reads fail, and the last close frees it. */
		if (rump_sys_read(fd, &c, 1) != -1 || errno != EIO) {
			snprintf(why, whylen, "round %d: a read after the "
			    "forced unmount did not fail with EIO", r);
			return -1;
		}
		if (rump_sys_close(fd) != 0) {
			snprintf(why, whylen, "round %d: close: %s", r,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
race_child(void *arg)
{
	struct race *ra = arg;
	struct churn ch[NCHURN];
	pthread_t t[NCHURN];
	atomic_int stop = 0;
	struct rump_ffs_newfs_args nfa;
	struct rump_ffs_check_result cr;
	char why[256] = "";
	unsigned int nv;
	long iters = 0;
	int i, r, failed = 0;

	setenv("RUMP_NVNODES", "16", 1);
	if (rump_init() != 0) {
		fprintf(stderr, "rump_init: %s\n", strerror(errno));
		_exit(1);
	}
	if (rump_sys_mkdir("/w", 0755) != 0 ||
	    rump_sys_mkdir("/mnt", 0755) != 0) {
		fprintf(stderr, "mkdir: %s\n", strerror(errno));
		_exit(1);
	}
	if (ra->ffsimg != NULL) {
		memset(&nfa, 0, sizeof(nfa));
		nfa.nfa_argsize = sizeof(nfa);
		nfa.nfa_version = 2;
		if ((rump_sys_mkdir("/dev", 0755) != 0 && errno != EEXIST) ||
		    rump_etfs_register("/dev/ffs0", ra->ffsimg,
		    RUMP_ETFS_BLK) != 0) {
			fprintf(stderr, "etfs %s: %s\n", ra->ffsimg,
			    strerror(errno));
			_exit(1);
		}
		if (rump_ffs_newfs("/dev/ffs0", &nfa) != 0) {
			fprintf(stderr, "newfs: %s\n", strerror(errno));
			_exit(1);
		}
	}
	for (i = 0; i < NCHURN; i++) {
		memset(&ch[i], 0, sizeof(ch[i]));
		ch[i].id = i;
		ch[i].stop = &stop;
		pthread_create(&t[i], NULL, churner, &ch[i]);
	}
	for (r = 0; r < ra->rounds && !failed; r++)
		if (one_round(ra, r, ra->force_all || r % 2 == 1, why,
		    sizeof(why)) != 0)
			failed = 1;
	atomic_store(&stop, 1);
	for (i = 0; i < NCHURN; i++) {
		pthread_join(t[i], NULL);
		iters += ch[i].iters;
		if (ch[i].errors != 0 && !failed) {
			snprintf(why, sizeof(why), "churner %d: %d errors, "
			    "first: %s", i, ch[i].errors, ch[i].what);
			failed = 1;
		}
	}
	if (failed) {
		fprintf(stderr, "%s\n", why);
		_exit(1);
	}
	/* Whatever was cached goes with the next releases past the bound:
	 * make some, then count. */
	for (i = 0; i < 64; i++) {
		char path[32];
		int fd;

		snprintf(path, sizeof(path), "/w/tail%d", i);
		if ((fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT,
		    0644)) != -1)
			rump_sys_close(fd);
	}
	nv = rump_ktest_vnode_count();
	if (nv > 16 + NCHURN + 4) {
		fprintf(stderr, "%u vnodes left, bound 16\n", nv);
		_exit(1);
	}
	/* Each unmount, forced too, wrote everything back and freed
	 * every unlinked file: nothing for fsck to find. */
	if (ra->ffsimg != NULL) {
		memset(&cr, 0, sizeof(cr));
		if (rump_ffs_check("/dev/ffs0", 0, NULL, NULL, &cr) != 0 ||
		    cr.fcr_findings != 0) {
			fprintf(stderr, "the FFS image does not check clean "
			    "(%s, %llu findings)\n", strerror(errno),
			    (unsigned long long)cr.fcr_findings);
			_exit(1);
		}
	}
	fprintf(stderr, "%d rounds, %ld churn iterations, %u vnodes\n",
	    ra->rounds, iters, nv);
	_exit(0);
}

struct twin {
	pthread_barrier_t	*bar;
	int			rounds;
	int			*results;	/* 0 or errno, per round */
};

static void *
twin_unmounter(void *arg)
{
	struct twin *tw = arg;
	int r;

	for (r = 0; r < tw->rounds; r++) {
		pthread_barrier_wait(tw->bar);	/* mounted */
		tw->results[r] = rump_sys_unmount("/mnt", RUMP_MNT_FORCE) == 0 ?
		    0 : errno;
		pthread_barrier_wait(tw->bar);	/* both done */
	}
	return NULL;
}

/*
 * Two threads force the unmount of one mount at once: one succeeds,
 * the other finds no mount point there (EINVAL).  Each holds the root
 * of the mount from its lookup until it is the one that takes the
 * mount off the list.
 */
static void
twin_child(void *arg)
{
	int rounds = *(int *)arg;
	pthread_barrier_t bar;
	pthread_t t[2];
	struct twin tw[2];
	int *res[2], r, i, fd;

	if (rump_init() != 0 || rump_sys_mkdir("/mnt", 0755) != 0) {
		fprintf(stderr, "rump_init, mkdir: %s\n", strerror(errno));
		_exit(1);
	}
	pthread_barrier_init(&bar, NULL, 3);
	for (i = 0; i < 2; i++) {
		res[i] = calloc((size_t)rounds, sizeof(int));
		tw[i].bar = &bar;
		tw[i].rounds = rounds;
		tw[i].results = res[i];
		pthread_create(&t[i], NULL, twin_unmounter, &tw[i]);
	}
	for (r = 0; r < rounds; r++) {
		if (rump_sys_mount("tmpfs", "/mnt", 0, NULL, 0) != 0) {
			fprintf(stderr, "round %d: mount: %s\n", r,
			    strerror(errno));
			_exit(1);
		}
		if ((fd = rump_sys_open("/mnt/f", RUMP_O_WRONLY |
		    RUMP_O_CREAT, 0644)) != -1)
			rump_sys_close(fd);
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
		if (!((res[0][r] == 0 && res[1][r] == EINVAL) ||
		    (res[0][r] == EINVAL && res[1][r] == 0))) {
			fprintf(stderr, "round %d: the two unmounts returned "
			    "%d and %d, want 0 and EINVAL (%d)\n", r,
			    res[0][r], res[1][r], EINVAL);
			_exit(1);
		}
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	fprintf(stderr, "%d rounds\n", rounds);
	_exit(0);
}

static void
overlap_child(void *arg __attribute__((unused)))
{
	char why[256] = "";
	int fails;

	if (rump_init() != 0) {
		fprintf(stderr, "rump_init: %s\n", strerror(errno));
		_exit(1);
	}
	fails = rump_ktest_inactive_overlap(why, sizeof(why));
	fprintf(stderr, "%s\n", fails ? why : "inactive calls overlapped");
	_exit(fails ? 1 : 0);
}

int
main(void)
{
	struct race ra;
	const char *tmp = getenv("TMPDIR");
	char img[4096];
	int fd;

	memset(&ra, 0, sizeof(ra));
	ra.rounds = 400;
	ra.force_all = false;
	child_case(race_child, &ra, "400 mounts of a tmpfs, filled, looked up "
	    "and unmounted (every other one forced, with a file open) while 3 "
	    "threads push vnodes through a cache of 16");
	ra.rounds = 400;
	ra.force_all = true;
	child_case(race_child, &ra, "the same, every unmount forced");
	snprintf(img, sizeof(img), "%s/t_vnode_race.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if ((fd = mkstemp(img)) == -1 || ftruncate(fd, 16 << 20) != 0) {
		ok(0, "an FFS image file: %s", strerror(errno));
	} else {
		ra.rounds = 200;
		ra.force_all = false;
		ra.ffsimg = img;
		child_case(race_child, &ra, "200 mounts of an FFS image, the "
		    "same way; it checks clean after");
	}
	if (fd != -1) {
		close(fd);
		unlink(img);
	}
	ra.rounds = 300;
	child_case(twin_child, &ra.rounds, "300 times, two threads force the "
	    "unmount of one tmpfs at once: one succeeds, the other gets "
	    "EINVAL");
	child_case(overlap_child, NULL, "a vnode's last release completes "
	    "while another's vop_inactive is blocked; a second release of "
	    "the blocked one waits for it");
	return tap_done();
}
