/*
 * ktest_bio.c: kernel-side half of tests/dev/t_bio.c: the buffer cache
 * over etfs and over "faildisk", a memory disk that fails the I/O it is
 * told to (the Nth from now, or every one in a block range).
 *
 * Each rump_ktest_bio_* returns the number of failures and describes
 * the first in why.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <rump/rump.h>

int	rump_ktest_faildisk_create(uint64_t, uint64_t *);
void	rump_ktest_faildisk_fail(int, int64_t, int64_t);
int	rump_ktest_bio_pattern(uint64_t, size_t, int, int, char *, size_t);
int	rump_ktest_bio_faults(uint64_t, char *, size_t);
int	rump_ktest_bio_bound(uint64_t, size_t, int, char *, size_t);

#define FAIL(...) do {							\
	if (fails++ == 0)						\
		snprintf(why, whylen, __VA_ARGS__);			\
} while (0)

/* ---- faildisk ---- */

static char *fd_mem;
static uint64_t fd_size;
static int fd_major;
static int fd_nth;			/* fail the nth I/O from now; 0 off */
static int64_t fd_from = -1, fd_to = -1;	/* failing block range */
static u_int fd_ios;			/* atomic */

static void
faildisk_strategy(struct buf *bp)
{
	uint64_t off = (uint64_t)bp->b_blkno * DEV_BSIZE;
	u_int n = atomic_inc_nv(&fd_ios);

	bp->b_error = 0;
	if ((fd_nth != 0 && n == (u_int)fd_nth) ||
	    (bp->b_blkno >= fd_from && bp->b_blkno <= fd_to))
		bp->b_error = EIO;
	else if (off + bp->b_bcount > fd_size)
		bp->b_error = EINVAL;
	else if (bp->b_flags & B_READ)
		memcpy(bp->b_data, fd_mem + off, bp->b_bcount);
	else
		memcpy(fd_mem + off, bp->b_data, bp->b_bcount);
	bp->b_resid = bp->b_error ? bp->b_bcount : 0;
	biodone(bp);
}

static const struct bdevsw faildisk_bdevsw = {
	.d_name = "faildisk",
	.d_strategy = faildisk_strategy,
};

int
rump_ktest_faildisk_create(uint64_t size, uint64_t *devp)
{
	int error = 0;

	rump_schedule();
	if (fd_mem == NULL) {
		if ((fd_mem = kmem_zalloc(size, KM_SLEEP)) == NULL)
			error = ENOMEM;
		else if ((error = bdevsw_attach(&faildisk_bdevsw,
		    &fd_major)) == 0)
			fd_size = size;
	}
	*devp = makedev(fd_major, 0);
	rump_unschedule();
	return error;
}

/* Fail the nth I/O from now (0: none) and blocks from..to (-1: none). */
void
rump_ktest_faildisk_fail(int nth, int64_t from, int64_t to)
{

	fd_nth = nth == 0 ? 0 : (int)atomic_load_seq(&fd_ios) + nth;
	fd_from = from;
	fd_to = to;
}

/* ---- tests ---- */

static uint8_t
pattern(uint64_t off)
{

	return (uint8_t)(off * 7 + 3);
}

/*
 * dev holds nblocks blocks of size bytes with pattern() in them:
 * read them (with read-ahead), check, then overwrite every other block
 * with ~pattern through bwrite, bawrite and bdwrite, and bflush.
 */
int
rump_ktest_bio_pattern(uint64_t dev, size_t size, int nblocks, int nra,
    char *why, size_t whylen)
{
	struct bufstats before, after;
	struct buf *bp;
	int64_t sectors = (int64_t)(size / DEV_BSIZE);
	int i, error, fails = 0;
	size_t j;

	rump_schedule();
	bufstats_get(&before);
	for (i = 0; i < nblocks; i++) {
		if ((error = breadn(dev, i * sectors, size, nra, &bp)) != 0) {
			FAIL("bread block %d: error %d", i, error);
			continue;
		}
		for (j = 0; j < size; j++) {
			if (((uint8_t *)bp->b_data)[j] !=
			    pattern((uint64_t)i * size + j)) {
				FAIL("block %d byte %zu differs", i, j);
				break;
			}
		}
		if (i % 2 == 0) {
			for (j = 0; j < size; j++)
				((uint8_t *)bp->b_data)[j] =
				    (uint8_t)~pattern((uint64_t)i * size + j);
			switch (i % 6) {
			case 0: error = bwrite(bp); break;
			case 2: bawrite(bp); error = 0; break;
			default: bdwrite(bp); error = 0; break;
			}
			if (error)
				FAIL("bwrite block %d: error %d", i, error);
		} else
			brelse(bp);
	}
	if ((error = bflush(dev)) != 0)
		FAIL("bflush: error %d", error);
	bufstats_get(&after);
	if (nra > 0 && after.bs_readahead == before.bs_readahead)
		FAIL("no read-ahead happened");
	if (nra > 0 && after.bs_hits == before.bs_hits)
		FAIL("read-ahead gave no cache hits");
	if (after.bs_dirty != 0)
		FAIL("%llu dirty buffers after bflush",
		    (unsigned long long)after.bs_dirty);
	rump_unschedule();
	return fails;
}

/* Errors reach the caller and nothing hangs (faildisk). */
int
rump_ktest_bio_faults(uint64_t dev, char *why, size_t whylen)
{
	struct buf *bp;
	int error, fails = 0;

	rump_schedule();
	/* A read of a failing block: EIO, and no buffer stays behind. */
	rump_ktest_faildisk_fail(0, 8, 15);
	if ((error = bread(dev, 8, 4096, &bp)) != EIO)
		FAIL("bread of a failing block: %d, want EIO", error);
	rump_ktest_faildisk_fail(0, -1, -1);
	if ((error = bread(dev, 8, 4096, &bp)) != 0)
		FAIL("bread after the fault cleared: %d", error);
	else
		brelse(bp);

	/* The next I/O fails: a bwrite returns it, keeps the data. */
	if ((error = bread(dev, 16, 4096, &bp)) != 0) {
		FAIL("bread: %d", error);
		goto out;
	}
	memset(bp->b_data, 0xAB, 4096);
	rump_ktest_faildisk_fail(1, -1, -1);
	if ((error = bwrite(bp)) != EIO)
		FAIL("bwrite on a failing I/O: %d, want EIO", error);
	if (fd_mem[16 * DEV_BSIZE] == (char)0xAB)
		FAIL("failed write reached the disk");
	/* ... and the data survives for the next flush. */
	rump_ktest_faildisk_fail(0, -1, -1);
	if ((error = bflush(dev)) != 0)
		FAIL("bflush after the fault: %d", error);
	if (fd_mem[16 * DEV_BSIZE] != (char)0xAB)
		FAIL("data of the failed write was lost");

	/* A delayed write to a failing range: bflush reports it. */
	if ((error = bread(dev, 24, 4096, &bp)) != 0) {
		FAIL("bread: %d", error);
		goto out;
	}
	memset(bp->b_data, 0xCD, 4096);
	bdwrite(bp);
	rump_ktest_faildisk_fail(0, 24, 31);
	if ((error = bflush(dev)) != EIO)
		FAIL("bflush onto a failing range: %d, want EIO", error);
	rump_ktest_faildisk_fail(0, -1, -1);
	if ((error = bflush(dev)) != 0)
		FAIL("bflush once the range works: %d", error);
	if (fd_mem[24 * DEV_BSIZE] != (char)0xCD)
		FAIL("delayed write lost after a failed flush");

	/* Past the end of the disk: an error, not a crash. */
	if ((error = bread(dev, (int64_t)(fd_size / DEV_BSIZE), 4096, &bp)) ==
	    0) {
		FAIL("bread past the end succeeded");
		brelse(bp);
	}
 out:
	rump_unschedule();
	return fails;
}

/* Reading more than the cache holds stays within its bound. */
int
rump_ktest_bio_bound(uint64_t dev, size_t size, int nblocks, char *why,
    size_t whylen)
{
	struct bufstats bs;
	struct buf *bp;
	int i, error, fails = 0;

	rump_schedule();
	for (i = 0; i < nblocks; i++) {
		error = bread(dev, (int64_t)i * (int64_t)(size / DEV_BSIZE),
		    size, &bp);
		if (error) {
			FAIL("bread %d: %d", i, error);
			break;
		}
		brelse(bp);
		bufstats_get(&bs);
		if (bs.bs_bytes > bs.bs_max + size) {
			FAIL("cache holds %llu bytes, bound %llu",
			    (unsigned long long)bs.bs_bytes,
			    (unsigned long long)bs.bs_max);
			break;
		}
	}
	bufstats_get(&bs);
	if ((uint64_t)nblocks * size > bs.bs_max && bs.bs_evictions == 0)
		FAIL("nothing was evicted");
	rump_unschedule();
	return fails;
}

int	rump_ktest_bio_write_error(uint64_t);

/* The error a one-block bwrite to dev gets. */
int
rump_ktest_bio_write_error(uint64_t dev)
{
	struct buf *bp;
	int error;

	rump_schedule();
	if ((error = bread(dev, 0, DEV_BSIZE, &bp)) == 0) {
		error = bwrite(bp);
		bflush(dev);
		binval(dev);
	}
	rump_unschedule();
	return error;
}
