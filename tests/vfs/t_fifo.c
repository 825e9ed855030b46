/*
 * t_fifo.c: FIFOs (named pipes) in a local kernel, on tmpfs and on FFS.
 *
 * Several kernel processes (host threads that rump_lwproc_rfork) use one
 * FIFO: blocking opens meeting whichever comes first, the O_NONBLOCK
 * rules (a reader opens at once, a writer without a reader gets ENXIO),
 * end of file only when every writer has closed, EPIPE (also for a
 * writer blocked on a full pipe) when every reader has, poll woken by
 * data, by a first writer and by a hangup, writes of PIPE_BUF bytes
 * from two writer processes never interleaved, O_NONBLOCK through
 * fcntl, fstat reporting the file system's inode.  The pipe is there
 * while the FIFO is open or being opened, and gone after the last
 * close (a kernel-side look, ktest_fifo.c).  Unmounts: EBUSY while an
 * open waits; a forced unmount fails the waiting open with EIO, and
 * files already open keep their pipe.  The FFS image checks clean at
 * the end.
 *
 * Blocking calls run in threads of their own; every wait the test
 * makes ends when the kernel does what it should, and alarm() turns a
 * kernel that does not into a failure instead of a hang.  Nothing
 * measures time.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ffs.h>
#include "../tap.h"

int	rump_ktest_fifo_haspipe(const char *);

#define FAILS(call, err)	((call) == -1 && errno == (err))
#define GUARD		120	/* seconds before a hang is a failure */
#define RECLEN		RUMP_PIPE_BUF	/* atomic write size */
#define NRECS		300	/* records each writer sends */
#define MEETS		300	/* rounds of opens meeting */

static void
on_alarm(int sig)
{
	static const char msg[] = "Bail out! a FIFO call hung (alarm)\n";

	(void)sig;
	(void)write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

static const char *
path(const char *dir, const char *name)
{
	static char ring[4][256];
	static unsigned int next;
	char *buf = ring[next++ % 4];

	snprintf(buf, 256, "%s/%s", dir, name);
	return buf;
}

/*
 * A peer: fn runs in a kernel process of its own (a new host thread
 * that forks pid 1 with an empty descriptor table).
 */
struct peer {
	pthread_t	t;
	void		(*fn)(struct peer *);
	char		path[256];
	int		flags;
	int		fd;
	int		err;		/* errno of the open, or 0 */
	long		n;		/* bytes moved */
	char		id;		/* record byte, for writers */
	char		buf[64];
	int		done;		/* atomic: fn has returned */
};

static void *
peer_main(void *arg)
{
	struct peer *pe = arg;

	if (rump_lwproc_rfork(RUMP_RFCFDG) != 0)
		pe->err = errno;
	else {
		pe->fn(pe);
		rump_lwproc_releaselwp();
	}
	__atomic_store_n(&pe->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Start fn on p opened with flags; msg: what a writer writes, or
 * for write_recs the record byte. */
static void
peer_start(struct peer *pe, void (*fn)(struct peer *), const char *p,
    int flags, const char *msg)
{

	memset(pe, 0, sizeof(*pe));
	pe->fn = fn;
	snprintf(pe->path, sizeof(pe->path), "%s", p);
	pe->flags = flags;
	pe->fd = -1;
	if (msg != NULL) {
		snprintf(pe->buf, sizeof(pe->buf), "%s", msg);
		pe->id = msg[0];
	}
	pthread_create(&pe->t, NULL, peer_main, pe);
}

static void
peer_join(struct peer *pe)
{

	pthread_join(pe->t, NULL);
}

/* Open, then read to end of file into buf. */
static void
read_all(struct peer *pe)
{
	long n;

	if ((pe->fd = rump_sys_open(pe->path, pe->flags, 0)) == -1) {
		pe->err = errno;
		return;
	}
	while (pe->n < (long)sizeof(pe->buf) &&
	    (n = rump_sys_read(pe->fd, pe->buf + pe->n,
	    sizeof(pe->buf) - (size_t)pe->n)) > 0)
		pe->n += n;
	rump_sys_close(pe->fd);
}

/* Open, write the message in buf, close. */
static void
write_msg(struct peer *pe)
{

	if ((pe->fd = rump_sys_open(pe->path, pe->flags, 0)) == -1) {
		pe->err = errno;
		return;
	}
	pe->n = rump_sys_write(pe->fd, pe->buf, strlen(pe->buf));
	rump_sys_close(pe->fd);
}

/* Open and stay open: only the test's unmount ends it. */
static void
open_only(struct peer *pe)
{

	if ((pe->fd = rump_sys_open(pe->path, pe->flags, 0)) == -1)
		pe->err = errno;
	else
		rump_sys_close(pe->fd);
}

/* Open, write NRECS records of RECLEN bytes of id, close. */
static void
write_recs(struct peer *pe)
{
	char rec[RECLEN];
	int i;

	memset(rec, pe->id, sizeof(rec));
	if ((pe->fd = rump_sys_open(pe->path, pe->flags, 0)) == -1) {
		pe->err = errno;
		return;
	}
	for (i = 0; i < NRECS; i++) {
		if (rump_sys_write(pe->fd, rec, sizeof(rec)) != sizeof(rec)) {
			pe->err = errno;
			break;
		}
		pe->n += sizeof(rec);
	}
	rump_sys_close(pe->fd);
}

/* Write 64 KiB in one call (it fills the pipe and waits), then once
 * more; n is the first write's result, err the second's errno. */
static void
write_big(struct peer *pe)
{
	static char big[65536];

	if ((pe->fd = rump_sys_open(pe->path, pe->flags, 0)) == -1) {
		pe->err = errno;
		return;
	}
	pe->n = rump_sys_write(pe->fd, big, sizeof(big));
	if (rump_sys_write(pe->fd, big, 1) == -1)
		pe->err = errno;
	rump_sys_close(pe->fd);
}

struct poller {
	pthread_t	t;
	int		fd;
	int		events;
	int		revents;
	int		rv;
};

static void *
poll_main(void *arg)
{
	struct poller *po = arg;
	struct rump_pollfd pfd = { po->fd, (short)po->events, 0 };

	po->rv = rump_sys_poll(&pfd, 1, -1);
	po->revents = pfd.revents;
	return NULL;
}

static void
poll_start(struct poller *po, int fd, int events)
{

	memset(po, 0, sizeof(*po));
	po->fd = fd;
	po->events = events;
	pthread_create(&po->t, NULL, poll_main, po);
}

static int
poll_now(int fd, int events)
{
	struct rump_pollfd pfd = { fd, (short)events, 0 };

	if (rump_sys_poll(&pfd, 1, 0) == -1)
		return -1;
	return pfd.revents;
}

/* Wait until the FIFO has a pipe again (an open is counted in it). */
static void
wait_pipe(const char *p)
{

	while (rump_ktest_fifo_haspipe(p) != 1)
		sched_yield();
}

static void
t_meet(const char *d, const char *fs)
{
	struct peer rd, wr;
	const char *p = path(d, "meet");

	ok(rump_sys_mkfifo(p, 0666) == 0, "%s: mkfifo", fs);
	ok(rump_ktest_fifo_haspipe(p) == 0, "%s: no pipe while nobody has "
	    "it open", fs);
	peer_start(&rd, read_all, p, RUMP_O_RDONLY, NULL);
	peer_start(&wr, write_msg, p, RUMP_O_WRONLY, "from another process");
	peer_join(&wr);
	peer_join(&rd);
	ok(rd.err == 0 && wr.err == 0 && wr.n == 20 && rd.n == 20 &&
	    memcmp(rd.buf, "from another process", 20) == 0,
	    "%s: a blocking reader and a blocking writer process meet; "
	    "the data, then end of file", fs);
	ok(rump_ktest_fifo_haspipe(p) == 0, "%s: the pipe went with the "
	    "last close", fs);

	/* A reader waits in open: the FIFO has its pipe meanwhile. */
	peer_start(&rd, read_all, p, RUMP_O_RDONLY, NULL);
	wait_pipe(p);
	ok(!__atomic_load_n(&rd.done, __ATOMIC_ACQUIRE) &&
	    rump_ktest_fifo_haspipe(p) == 1,
	    "%s: a reader waiting in open has the pipe made", fs);
	peer_start(&wr, write_msg, p, RUMP_O_WRONLY | RUMP_O_NONBLOCK, "x");
	peer_join(&wr);
	peer_join(&rd);
	ok(wr.err == 0 && rd.err == 0 && rd.n == 1 && rd.buf[0] == 'x',
	    "%s: ... a non-blocking writer finds it a reader", fs);
	ok(rump_ktest_fifo_haspipe(p) == 0, "%s: ... no pipe after", fs);
}

/*
 * Many rounds of a blocking writer and a blocking reader meeting in
 * either order.  The writer may open, write and close before the
 * reader's open has looked for it: the reader found it there, so its
 * open must not wait for another.
 */
static void
t_meet_many(const char *d, const char *fs)
{
	struct peer rd, wr;
	const char *p = path(d, "many");
	int i, bad = 0;

	rump_sys_mkfifo(p, 0666);
	for (i = 0; i < MEETS; i++) {
		peer_start(&wr, write_msg, p, RUMP_O_WRONLY, "m");
		peer_start(&rd, read_all, p, RUMP_O_RDONLY, NULL);
		peer_join(&rd);
		peer_join(&wr);
		if (rd.err != 0 || wr.err != 0 || rd.n != 1 || wr.n != 1)
			bad++;
	}
	ok(bad == 0 && rump_ktest_fifo_haspipe(p) == 0, "%s: %d rounds of a "
	    "blocking writer and reader meeting: %d went wrong, no pipe "
	    "left", fs, MEETS, bad);
	rump_sys_unlink(p);
}

static void
t_nonblock(const char *d, const char *fs)
{
	struct rump_stat sb, fsb;
	const char *p = path(d, "nb");
	char buf[8];
	int r, w;

	rump_sys_mkfifo(p, 0640);
	ok(FAILS(rump_sys_open(p, RUMP_O_WRONLY | RUMP_O_NONBLOCK, 0), ENXIO),
	    "%s: O_WRONLY|O_NONBLOCK without a reader: ENXIO", fs);
	ok(rump_ktest_fifo_haspipe(p) == 0, "%s: ... and no pipe left", fs);
	r = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	ok(r >= 0, "%s: O_RDONLY|O_NONBLOCK opens at once", fs);
	ok(rump_sys_lstat(p, &sb) == 0 && rump_sys_fstat(r, &fsb) == 0 &&
	    fsb.st_mode == (RUMP_S_IFIFO | 0640) && fsb.st_ino == sb.st_ino &&
	    fsb.st_dev == sb.st_dev && fsb.st_uid == sb.st_uid &&
	    fsb.st_gid == sb.st_gid && fsb.st_nlink == sb.st_nlink &&
	    fsb.st_mtim.tv_sec == sb.st_mtim.tv_sec &&
	    fsb.st_mtim.tv_nsec == sb.st_mtim.tv_nsec,
	    "%s: fstat is the file system's inode", fs);
	w = rump_sys_open(p, RUMP_O_WRONLY, 0);
	ok(w >= 0, "%s: a blocking writer with a reader there opens at once",
	    fs);
	ok(FAILS(rump_sys_read(r, buf, sizeof(buf)), EAGAIN),
	    "%s: empty, with a writer: EAGAIN", fs);
	ok(rump_sys_fcntl(r, RUMP_F_SETFL, 0) == 0 &&
	    rump_sys_fcntl(r, RUMP_F_GETFL, 0) == RUMP_O_RDONLY &&
	    rump_sys_fcntl(r, RUMP_F_SETFL, RUMP_O_NONBLOCK) == 0 &&
	    FAILS(rump_sys_read(r, buf, sizeof(buf)), EAGAIN),
	    "%s: O_NONBLOCK off and on again through fcntl", fs);
	rump_sys_close(w);
	rump_sys_close(r);
	rump_sys_unlink(p);
}

static void
t_eof_epipe(const char *d, const char *fs)
{
	struct peer wr;
	struct poller po;
	const char *p = path(d, "eof");
	char buf[8];
	int r, w1, w2;

	rump_sys_mkfifo(p, 0600);
	r = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	w1 = rump_sys_open(p, RUMP_O_WRONLY, 0);
	w2 = rump_sys_open(p, RUMP_O_WRONLY, 0);
	rump_sys_close(w1);
	ok(FAILS(rump_sys_read(r, buf, sizeof(buf)), EAGAIN) &&
	    poll_now(r, RUMP_POLLIN) == 0,
	    "%s: one of two writers closed: no end of file yet", fs);
	rump_sys_fcntl(r, RUMP_F_SETFL, 0);
	poll_start(&po, r, RUMP_POLLIN);
	rump_sys_close(w2);
	pthread_join(po.t, NULL);
	ok(po.rv == 1 && po.revents == RUMP_POLLHUP &&
	    rump_sys_read(r, buf, sizeof(buf)) == 0,
	    "%s: the last closed: a waiting poll gets POLLHUP, read end of "
	    "file", fs);
	rump_sys_close(r);

	/* A writer blocked on a full pipe: the reader goes. */
	r = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	peer_start(&wr, write_big, p, RUMP_O_WRONLY, NULL);
	while (poll_now(r, RUMP_POLLIN) == 0)
		sched_yield();
	rump_sys_close(r);
	peer_join(&wr);
	ok(wr.n < 65536 && wr.err == EPIPE, "%s: a writer waiting on a full "
	    "pipe: its write ends short (%ld) when the reader goes, the next "
	    "fails with EPIPE", fs, wr.n);

	r = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	w1 = rump_sys_open(p, RUMP_O_WRONLY | RUMP_O_NONBLOCK, 0);
	poll_start(&po, w1, RUMP_POLLIN);	/* POLLERR comes anyway */
	rump_sys_close(r);
	pthread_join(po.t, NULL);
	ok(po.rv == 1 && po.revents == RUMP_POLLERR &&
	    FAILS(rump_sys_write(w1, "x", 1), EPIPE),
	    "%s: no reader: poll POLLERR, write EPIPE", fs);
	rump_sys_close(w1);

	/* A reader that found a writer there has had one: when it goes,
	 * that is a hangup. */
	w1 = rump_sys_open(p, RUMP_O_RDWR, 0);
	r = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	rump_sys_close(w1);
	ok(poll_now(r, RUMP_POLLIN) == RUMP_POLLHUP &&
	    rump_sys_read(r, buf, sizeof(buf)) == 0,
	    "%s: a reader that opened beside a writer: POLLHUP when it goes",
	    fs);
	rump_sys_close(r);
	rump_sys_unlink(p);
}

static void
t_poll(const char *d, const char *fs)
{
	struct poller po;
	const char *p = path(d, "poll");
	char buf[8];
	int r, w;

	rump_sys_mkfifo(p, 0600);
	r = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	ok(poll_now(r, RUMP_POLLIN) == 0,
	    "%s: a reader without a writer yet: nothing to poll", fs);
	poll_start(&po, r, RUMP_POLLIN);
	w = rump_sys_open(p, RUMP_O_WRONLY, 0);
	rump_sys_write(w, "data", 4);
	pthread_join(po.t, NULL);
	ok(po.rv == 1 && po.revents == RUMP_POLLIN,
	    "%s: a poll waiting for the first writer wakes with its data", fs);
	ok(poll_now(w, RUMP_POLLOUT) == RUMP_POLLOUT &&
	    rump_sys_read(r, buf, sizeof(buf)) == 4 &&
	    poll_now(r, RUMP_POLLIN) == 0,
	    "%s: writer POLLOUT; drained, the reader nothing", fs);
	rump_sys_close(w);
	ok(poll_now(r, RUMP_POLLIN) == RUMP_POLLHUP,
	    "%s: after a writer came and went: POLLHUP", fs);
	rump_sys_close(r);
	rump_sys_unlink(p);
}

static void
t_atomic(const char *d, const char *fs)
{
	struct peer wa, wb;
	const char *p = path(d, "atomic");
	static char stream[2 * NRECS * RECLEN + 1];
	long got = 0, n;
	int r, keep, i, j, bad = 0, ca = 0, cb = 0;

	rump_sys_mkfifo(p, 0600);
	/* The test's own writer keeps end of file away until both
	 * writer processes have opened, written and closed. */
	r = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NONBLOCK, 0);
	keep = rump_sys_open(p, RUMP_O_WRONLY, 0);
	rump_sys_fcntl(r, RUMP_F_SETFL, 0);
	peer_start(&wa, write_recs, p, RUMP_O_WRONLY, "a");
	peer_start(&wb, write_recs, p, RUMP_O_WRONLY, "b");
	/* Odd read sizes, so reads and records never line up. */
	while (got < 2 * NRECS * RECLEN &&
	    (n = rump_sys_read(r, stream + got, 700)) > 0)
		got += n;
	peer_join(&wa);
	peer_join(&wb);
	rump_sys_close(keep);
	ok(got == 2 * NRECS * RECLEN && wa.err == 0 && wb.err == 0 &&
	    rump_sys_read(r, stream + got, 1) == 0,
	    "%s: two writer processes x %d writes of PIPE_BUF (%d) bytes: all "
	    "arrive, then end of file", fs, NRECS, RECLEN);
	for (i = 0; i < 2 * NRECS; i++) {
		for (j = 1; j < RECLEN; j++)
			if (stream[i * RECLEN + j] != stream[i * RECLEN])
				bad++;
		ca += stream[i * RECLEN] == 'a';
		cb += stream[i * RECLEN] == 'b';
	}
	ok(bad == 0 && ca == NRECS && cb == NRECS, "%s: ... never "
	    "interleaved: every record whole, %d of each", fs, NRECS);
	rump_sys_close(r);
	rump_sys_unlink(p);
}

/*
 * Unmounts of the file system at mnt (kind fs) while one process waits
 * in open on a FIFO there and another has one open read-write.
 */
static void
t_unmount(const char *mnt, const char *fs, int (*remount)(void),
    bool keeps)
{
	struct peer rd;
	struct rump_stat sb;
	const char *p = path(mnt, "u"), *q = path(mnt, "q");
	char buf[8];
	int rw;

	rump_sys_mkfifo(p, 0600);
	rump_sys_mkfifo(q, 0600);
	rw = rump_sys_open(q, RUMP_O_RDWR, 0);
	peer_start(&rd, open_only, p, RUMP_O_RDONLY, NULL);
	wait_pipe(p);
	ok(FAILS(rump_sys_unmount(mnt, 0), EBUSY),
	    "%s: unmount while an open waits on a FIFO: EBUSY", fs);
	ok(rump_sys_unmount(mnt, RUMP_MNT_FORCE) == 0,
	    "%s: a forced unmount goes through", fs);
	peer_join(&rd);
	ok(rd.err == EIO, "%s: ... the waiting open fails with EIO (%s)", fs,
	    strerror(rd.err));
	ok(rump_sys_write(rw, "kept", 4) == 4 &&
	    rump_sys_read(rw, buf, sizeof(buf)) == 4 &&
	    memcmp(buf, "kept", 4) == 0 && FAILS(rump_sys_fstat(rw, &sb), EIO),
	    "%s: ... a FIFO open read-write keeps its pipe; its vnode is "
	    "dead (fstat EIO)", fs);
	rump_sys_close(rw);
	ok(remount() == 0, "%s: mounted again", fs);
	if (keeps)
		ok(rump_sys_unlink(p) == 0 && rump_sys_unlink(q) == 0,
		    "%s: the FIFOs are still there, and go", fs);
}

static int
mount_tmpfs(void)
{

	return rump_sys_mount("tmpfs", "/tm", 0, NULL, 0);
}

static int
mount_ffs(void)
{
	struct rump_ffs_args args;

	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/ffs0");
	return rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args));
}

static void
run_all(const char *d, const char *fs)
{

	t_meet(d, fs);
	t_meet_many(d, fs);
	t_nonblock(d, fs);
	t_eof_epipe(d, fs);
	t_poll(d, fs);
	t_atomic(d, fs);
}

int
main(void)
{
	struct rump_ffs_newfs_args nfa;
	struct rump_ffs_check_result cr;
	const char *tmp = getenv("TMPDIR");
	char img[4096];
	bool ffs = false;
	int fd;

	signal(SIGALRM, on_alarm);
	alarm(GUARD);
	if (rump_init() != 0) {
		printf("Bail out! rump_init: %s\n", strerror(errno));
		return 1;
	}
	rump_sys_mkdir("/t", 0755);
	rump_sys_mkdir("/tm", 0755);
	rump_sys_mkdir("/mnt", 0755);
	rump_sys_mkdir("/dev", 0755);
	run_all("/t", "tmpfs");
	ok(mount_tmpfs() == 0, "tmpfs: a mount for unmounting");
	t_unmount("/tm", "tmpfs", mount_tmpfs, false);
	ok(rump_sys_unmount("/tm", 0) == 0, "tmpfs: unmounts, nothing "
	    "referenced");

	snprintf(img, sizeof(img), "%s/t_fifo.XXXXXX", tmp ? tmp : "/tmp");
	memset(&nfa, 0, sizeof(nfa));
	nfa.nfa_argsize = sizeof(nfa);
	nfa.nfa_version = 2;
	if ((fd = mkstemp(img)) != -1 && ftruncate(fd, 16 << 20) == 0 &&
	    rump_etfs_register("/dev/ffs0", img, RUMP_ETFS_BLK) == 0 &&
	    rump_ffs_newfs("/dev/ffs0", &nfa) == 0 && mount_ffs() == 0)
		ffs = true;
	ok(ffs, "FFS: a new image mounted: %s", ffs ? "yes" : strerror(errno));
	if (ffs) {
		run_all("/mnt", "FFS");
		t_unmount("/mnt", "FFS", mount_ffs, true);
		ok(rump_sys_unmount("/mnt", 0) == 0, "FFS: unmounts, nothing "
		    "referenced");
		memset(&cr, 0, sizeof(cr));
		ok(rump_ffs_check("/dev/ffs0", 0, NULL, NULL, &cr) == 0 &&
		    cr.fcr_findings == 0, "FFS: the image checks clean");
	}
	if (fd != -1) {
		close(fd);
		unlink(img);
	}
	return tap_done();
}
