/*
 * ktest_hyp.c: kernel-side half of tests/hyp/t_hyp.c.  Uses the file,
 * block I/O, random and clock hypercalls the way a driver would, from
 * kernel context, and checks what comes back, errors included (which
 * must arrive in the kernel's numbering).
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <rump/rump.h>
#include <rumpuser.h>

int	rump_ktest_hostfile(const char *, const char *, char *, size_t);
int	rump_ktest_random(char *, size_t);
int	rump_ktest_sleep(char *, size_t);
void	rump_ktest_hostsleep(int *, int *, long);

#define FAIL(...) do {							\
	if (fails++ == 0)						\
		snprintf(why, whylen, __VA_ARGS__);			\
} while (0)

struct kt_bio {
	kmutex_t	m;
	kcondvar_t	cv;
	int		done;		/* m */
	uint64_t	count;		/* m */
	int		error;		/* m */
	bool		oncpu;		/* m: callback ran holding a CPU */
};

static void
kt_biodone(void *arg, uint64_t count, int error)
{
	struct kt_bio *kb = arg;

	mutex_enter(&kb->m);
	kb->count = count;
	kb->error = error;
	kb->oncpu = curlwp != NULL && (curlwp->l_flags & LW_ONCPU) != 0;
	kb->done = 1;
	cv_broadcast(&kb->cv);
	mutex_exit(&kb->m);
}

/* Issue one block I/O and wait for its completion callback. */
static int
kt_bio(struct kt_bio *kb, int fd, int op, void *buf, uint64_t len, int64_t off)
{
	int error = 0;

	kb->done = 0;
	rumpuser_bio(fd, op, buf, len, off, kt_biodone, kb);
	mutex_enter(&kb->m);
	while (!kb->done && error == 0)
		error = cv_timedwait(&kb->cv, &kb->m, 10 * hz);
	mutex_exit(&kb->m);
	return error;
}

int
rump_ktest_hostfile(const char *path, const char *dir, char *why,
    size_t whylen)
{
	static char wbuf[65536], rbuf[65536];
	struct rumpuser_iovec iov[3];
	struct kt_bio kb;
	uint64_t size, n;
	int fd = -1, type, error, fails = 0, i;

	rump_schedule();
	mutex_init(&kb.m, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&kb.cv, "kt_bio");
	for (i = 0; i < (int)sizeof(wbuf); i++)
		wbuf[i] = (char)(i * 7 + 3);

	if ((error = rumpuser_open(path, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE | RUMPUSER_OPEN_BIO, &fd)) != 0) {
		FAIL("rumpuser_open: %d", error);
		goto out;
	}
	/* Scatter-gather write at an offset, then read it back. */
	iov[0].iov_base = wbuf;
	iov[0].iov_len = 100;
	iov[1].iov_base = wbuf + 100;
	iov[1].iov_len = 4000;
	iov[2].iov_base = wbuf + 4100;
	iov[2].iov_len = 4092;
	error = rumpuser_iovwrite(fd, iov, 3, 4096, &n);
	if (error || n != 8192)
		FAIL("iovwrite: error %d, %llu bytes", error,
		    (unsigned long long)n);
	memset(rbuf, 0, sizeof(rbuf));
	iov[0].iov_base = rbuf;
	iov[0].iov_len = 5000;
	iov[1].iov_base = rbuf + 5000;
	iov[1].iov_len = 3192;
	error = rumpuser_iovread(fd, iov, 2, 4096, &n);
	if (error || n != 8192 || memcmp(rbuf, wbuf, 8192) != 0)
		FAIL("iovread: error %d, %llu bytes, data %s", error,
		    (unsigned long long)n,
		    memcmp(rbuf, wbuf, 8192) ? "differs" : "same");
	error = rumpuser_getfileinfo(path, &size, &type);
	if (error || size != 12288 || type != RUMPUSER_FT_REG)
		FAIL("getfileinfo: error %d, size %llu, type %d", error,
		    (unsigned long long)size, type);

	/* Asynchronous block I/O: write 64 KiB, read it back. */
	if ((error = kt_bio(&kb, fd, RUMPUSER_BIO_WRITE | RUMPUSER_BIO_SYNC,
	    wbuf, sizeof(wbuf), 65536)) != 0)
		FAIL("bio write: no completion (%d)", error);
	else if (kb.error || kb.count != sizeof(wbuf))
		FAIL("bio write: error %d, %llu bytes", kb.error,
		    (unsigned long long)kb.count);
	else if (!kb.oncpu)
		FAIL("bio completion ran without a virtual CPU");
	memset(rbuf, 0, sizeof(rbuf));
	if ((error = kt_bio(&kb, fd, RUMPUSER_BIO_READ, rbuf, sizeof(rbuf),
	    65536)) != 0 || kb.error || kb.count != sizeof(rbuf) ||
	    memcmp(rbuf, wbuf, sizeof(rbuf)) != 0)
		FAIL("bio read back: error %d/%d, %llu bytes", error, kb.error,
		    (unsigned long long)kb.count);
	/* Past the end: a short count, not an error. */
	if ((error = kt_bio(&kb, fd, RUMPUSER_BIO_READ, rbuf, 8192,
	    131072 - 4096)) != 0 || kb.error || kb.count != 4096)
		FAIL("bio read across EOF: error %d/%d, %llu bytes, want 4096",
		    error, kb.error, (unsigned long long)kb.count);
	if ((error = rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE, 0, 0)) != 0)
		FAIL("syncfd: %d", error);
	if ((error = rumpuser_close(fd)) != 0)
		FAIL("close: %d", error);

	/* Errors, in the kernel's numbering. */
	if ((error = kt_bio(&kb, fd, RUMPUSER_BIO_READ, rbuf, 512, 0)) != 0 ||
	    kb.error != EBADF)
		FAIL("bio on a closed descriptor: error %d, want EBADF %d",
		    kb.error, EBADF);
	if (rumpuser_iovread(fd, iov, 1, 0, &n) != EBADF)
		FAIL("iovread on a closed descriptor: not EBADF");
	if ((error = rumpuser_open("/nonexistent/x", RUMPUSER_OPEN_RDONLY,
	    &fd)) != ENOENT)
		FAIL("open of a missing file: %d, want ENOENT %d", error,
		    ENOENT);
	if ((error = rumpuser_open(path, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE | RUMPUSER_OPEN_EXCL, &fd)) != EEXIST)
		FAIL("exclusive create of an existing file: %d", error);
	if (rumpuser_getfileinfo(dir, &size, &type) != 0 ||
	    type != RUMPUSER_FT_DIR)
		FAIL("getfileinfo of a directory: type %d", type);
	if (rumpuser_getfileinfo("/nonexistent/x", &size, &type) != ENOENT)
		FAIL("getfileinfo of a missing file: not ENOENT");
 out:
	cv_destroy(&kb.cv);
	mutex_destroy(&kb.m);
	rump_unschedule();
	return fails;
}

int
rump_ktest_random(char *why, size_t whylen)
{
	uint8_t a[64], b[64];
	uint64_t n = 0, m = 0;
	int fails = 0, i, same = 0;

	rump_schedule();
	if (rumpuser_getrandom(a, sizeof(a), 0, &n) != 0 || n != sizeof(a) ||
	    rumpuser_getrandom(b, sizeof(b), RUMPUSER_RANDOM_NOWAIT, &m) != 0 ||
	    m == 0)
		FAIL("getrandom: %llu and %llu bytes", (unsigned long long)n,
		    (unsigned long long)m);
	for (i = 0; i < 64; i++)
		same += a[i] == b[i];
	if (same > 16)
		FAIL("two random buffers agree in %d of 64 bytes", same);
	rump_unschedule();
	return fails;
}

int
rump_ktest_sleep(char *why, size_t whylen)
{
	int64_t t0, t1, sec, nsec;
	int fails = 0, error;

	rump_schedule();
	t0 = getnsecuptime();
	error = rumpuser_clock_sleep(RUMPUSER_SLEEP_REL, 0, 10 * 1000 * 1000);
	t1 = getnsecuptime();
	if (error || t1 - t0 < 10 * 1000 * 1000)
		FAIL("relative sleep: error %d after %lld ns", error,
		    (long long)(t1 - t0));
	rumpuser_clock_gettime(RUMPUSER_CLOCK_MONO, &sec, &nsec);
	nsec += 20 * 1000 * 1000;
	sec += nsec / NSEC_PER_SEC;
	nsec %= NSEC_PER_SEC;
	error = rumpuser_clock_sleep(RUMPUSER_SLEEP_ABSMONO, sec, nsec);
	rumpuser_clock_gettime(RUMPUSER_CLOCK_MONO, &t0, &t1);
	if (error || t0 * NSEC_PER_SEC + t1 < sec * NSEC_PER_SEC + nsec)
		FAIL("absolute sleep woke early (error %d)", error);
	if (rumpuser_clock_sleep(99, 0, 0) != EINVAL)
		FAIL("sleep with an unknown mode: not EINVAL");
	if (rumpuser_clock_gettime(99, &sec, &nsec) != EINVAL)
		FAIL("unknown clock: not EINVAL");
	rump_unschedule();
	return fails;
}

/* Sleep in the host for ms, flagging before and after. */
void
rump_ktest_hostsleep(int *asleep, int *awake, long ms)
{

	rump_schedule();
	atomic_store_seq(asleep, 1);
	rumpuser_clock_sleep(RUMPUSER_SLEEP_REL, ms / 1000,
	    (ms % 1000) * 1000 * 1000);
	atomic_store_seq(awake, 1);
	rump_unschedule();
}
