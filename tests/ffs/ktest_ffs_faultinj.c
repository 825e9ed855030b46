/*
 * ktest_ffs_faultinj.c: kernel half of tests/ffs/t_ffs_faultinj.c.
 *
 * "ffsfdisk" is a memory disk that fails on purpose: the Nth read or
 * the Nth write from the moment it is armed (or every one from the
 * Nth on) gets EIO and moves no data (a write that fails leaves the
 * disk as it was), every other transfer works.  With it the test
 * drives the FFS driver's I/O error paths one transfer at a time, and
 * with kmem_fault_set() its allocation failure paths one allocation at
 * a time.
 *
 * Interface (plain C types; the host side declares them itself):
 *   rump_ktest_ffsf_disk(bytes, &dev)  make the disk, once per process
 *   rump_ktest_ffsf_iofail(write, nth, every)
 *                                      fail the nth read (write 0) or
 *                                      write (write 1) from now (every:
 *                                      and all after it); nth 0
 *                                      disarms
 *   rump_ktest_ffsf_iofired()          transfers failed on purpose, so
 *                                      far
 *   rump_ktest_ffsf_kmemfail(nth, every) fail the nth kernel allocation
 *                                      from now (every: and all after
 *                                      it); 0 disarms
 *
 * Locking: the counters are atomic.  The disk's bytes need no lock:
 * the buffer cache has at most one transfer in flight per block, and
 * the test arms and disarms between system calls.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/kmem.h>
#include <rump/rump.h>

int	rump_ktest_ffsf_disk(uint64_t, uint64_t *);
void	rump_ktest_ffsf_iofail(int, unsigned int, int);
unsigned int rump_ktest_ffsf_iofired(void);
void	rump_ktest_ffsf_kmemfail(unsigned int, int);

static char *fdk_mem;			/* c once made */
static uint64_t fdk_size;		/* c once made */
static int fdk_major;			/* c once made */
static u_int fdk_countdown[2];		/* atomic: [0] reads, [1] writes */
static bool fdk_every[2];		/* c while armed */
static u_int fdk_fired;			/* atomic */

/* Is this transfer (a read: 0, a write: 1) the one to fail? */
static bool
fdk_fail(int w)
{
	u_int n;

	do {
		if ((n = atomic_load_relaxed(&fdk_countdown[w])) == 0)
			return false;
		if (n == 1 && fdk_every[w])
			break;
	} while (!atomic_cas(&fdk_countdown[w], n, n - 1));
	if (n != 1)
		return false;
	atomic_inc_nv(&fdk_fired);
	return true;
}

static void
fdk_strategy(struct buf *bp)
{
	uint64_t off = (uint64_t)bp->b_blkno * DEV_BSIZE;
	bool rd = (bp->b_flags & B_READ) != 0;

	bp->b_error = 0;
	if (bp->b_blkno < 0 || off > fdk_size ||
	    bp->b_bcount > fdk_size - off)
		bp->b_error = EINVAL;
	else if (fdk_fail(rd ? 0 : 1))
		bp->b_error = EIO;
	else if (rd)
		memcpy(bp->b_data, fdk_mem + off, bp->b_bcount);
	else
		memcpy(fdk_mem + off, bp->b_data, bp->b_bcount);
	bp->b_resid = bp->b_error ? bp->b_bcount : 0;
	biodone(bp);
}

static int
fdk_dsize(dev_t dev __unused, uint64_t *bytes)
{

	*bytes = fdk_size;
	return 0;
}

static const struct bdevsw fdk_bdevsw = {
	.d_name = "ffsfdisk",
	.d_strategy = fdk_strategy,
	.d_size = fdk_dsize,
};

int
rump_ktest_ffsf_disk(uint64_t bytes, uint64_t *devp)
{
	int error = 0;

	rump_schedule();
	if (fdk_mem != NULL)
		error = EBUSY;
	else if ((fdk_mem = kmem_zalloc(bytes, KM_SLEEP)) == NULL)
		error = ENOMEM;
	else if ((error = bdevsw_attach(&fdk_bdevsw, &fdk_major)) != 0) {
		kmem_free(fdk_mem, bytes);
		fdk_mem = NULL;
	} else {
		fdk_size = bytes;
		*devp = makedev(fdk_major, 0);
	}
	rump_unschedule();
	return error;
}

void
rump_ktest_ffsf_iofail(int write, unsigned int nth, int every)
{

	fdk_every[write ? 1 : 0] = every != 0;
	atomic_store_seq(&fdk_countdown[write ? 1 : 0], nth);
}

unsigned int
rump_ktest_ffsf_iofired(void)
{

	return atomic_load_seq(&fdk_fired);
}

void
rump_ktest_ffsf_kmemfail(unsigned int nth, int every)
{

	kmem_fault_set(nth, every != 0);
}
