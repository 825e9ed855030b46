/*
 * vfs_bio.c: the buffer cache (see <sys/buf.h>).
 *
 * Buffers are found by (device, block) in a hash table; idle ones sit
 * on an LRU list, oldest first, from which clean buffers are reused
 * when the cache is at its memory bound.  A buffer is either idle or
 * busy: owned by one caller, or in I/O.  Drivers finish I/O with
 * biodone() from any thread holding a CPU; waiters sleep on buf_cv.
 *
 * Delayed writes (bdwrite) are flushed by the syncer thread every
 * SYNCER_SECS seconds, by bflush() (sync, fsync, unmount), and when the
 * cache needs their memory.  A write that fails leaves the buffer dirty
 * with its error, so no data is silently dropped; the error surfaces at
 * the next bwrite/bflush of that buffer.
 *
 * Locking: bufcache_lock over the hash, the LRU, every buffer's flags
 * and error, and the statistics.  I/O is started without it.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/conf.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/time.h>

#define BUFHASH_BITS	10
#define BUFHASH_SIZE	(1 << BUFHASH_BITS)
#define SYNCER_SECS	5
#define BUFMEM_DEFAULT	(16ULL << 20)

static kmutex_t bufcache_lock;
static kcondvar_t buf_cv;		/* buffer state changes */
static kcondvar_t syncer_cv;		/* wakes the syncer early */
static LIST_HEAD(, buf) bufhash[BUFHASH_SIZE];
static TAILQ_HEAD(, buf) buf_lru = TAILQ_HEAD_INITIALIZER(buf_lru);
static struct bufstats bstats;		/* bufcache_lock */
static struct lwp *syncer_lwp;
static bool syncer_exiting;

static inline u_int
bufhash_of(dev_t dev, int64_t blkno)
{

	/* Multiplicative: block numbers are multiples of the block size
	 * in sectors, so their low bits alone would crowd a few chains. */
	return (u_int)((((uint64_t)blkno ^ ((uint64_t)dev << 40)) *
	    0x9e3779b97f4a7c15ULL) >> (64 - BUFHASH_BITS));
}

int
bufcache_init(void)
{
	uint64_t lim = kmem_limit();
	int i;

	mutex_init(&bufcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&buf_cv, "buf");
	cv_init(&syncer_cv, "syncer");
	for (i = 0; i < BUFHASH_SIZE; i++)
		LIST_INIT(&bufhash[i]);
	/* A quarter of the kernel's memory limit, if there is one. */
	bstats.bs_max = lim != 0 ? MIN(lim / 4, BUFMEM_DEFAULT) :
	    BUFMEM_DEFAULT;
	syncer_exiting = false;
	return 0;
}

static void
buf_free(struct buf *bp)
{

	KASSERT(mutex_owned(&bufcache_lock));
	LIST_REMOVE(bp, b_hash);
	bstats.bs_bytes -= bp->b_bcount;
	if (bp->b_flags & B_DELWRI)
		bstats.bs_dirty--;
	kmem_free(bp->b_data, bp->b_bcount);
	kmem_free(bp, sizeof(*bp));
}

static struct buf *
buf_lookup(dev_t dev, int64_t blkno)
{
	struct buf *bp;

	KASSERT(mutex_owned(&bufcache_lock));
	LIST_FOREACH(bp, &bufhash[bufhash_of(dev, blkno)], b_hash)
		if (bp->b_dev == dev && bp->b_blkno == blkno)
			return bp;
	return NULL;
}

/*
 * Wait until bp is idle; true if it may have changed meanwhile.  Then
 * bp may even be gone (freed by its owner): callers look it up again
 * and never touch it after a wait.
 */
static bool
buf_wait_idle(struct buf *bp)
{

	KASSERT(mutex_owned(&bufcache_lock));
	if ((bp->b_flags & B_BUSY) == 0)
		return false;
	cv_wait(&buf_cv, &bufcache_lock);
	return true;
}

static void
buf_start_io(struct buf *bp)
{
	const struct bdevsw *d = bdevsw_lookup(bp->b_dev);

	bp->b_resid = bp->b_bcount;
	if (d == NULL) {
		bp->b_error = ENXIO;
		biodone(bp);
		return;
	}
	d->d_strategy(bp);
}

static int
biowait(struct buf *bp)
{
	int error;

	mutex_enter(&bufcache_lock);
	while (bp->b_flags & B_INIO)
		cv_wait(&buf_cv, &bufcache_lock);
	error = (bp->b_flags & B_ERROR) ? bp->b_error : 0;
	mutex_exit(&bufcache_lock);
	return error;
}

/* Write idle dirty bp (made busy by the caller) and wait; lock held on
 * entry and on return, dropped meanwhile. */
static int
buf_sync_write_locked(struct buf *bp)
{
	int error;

	KASSERT(bp->b_flags & B_BUSY);
	bp->b_flags = (bp->b_flags & ~(B_READ | B_ERROR | B_ASYNC)) | B_INIO;
	bp->b_error = 0;
	bstats.bs_writes++;
	mutex_exit(&bufcache_lock);
	buf_start_io(bp);
	error = biowait(bp);
	mutex_enter(&bufcache_lock);
	if (error == 0 && (bp->b_flags & B_DELWRI)) {
		bp->b_flags &= ~B_DELWRI;
		bstats.bs_dirty--;
	}
	return error;
}

static void
brelse_locked(struct buf *bp)
{

	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(bp->b_flags & B_BUSY);
	if ((bp->b_flags & B_INVAL) ||
	    ((bp->b_flags & B_ERROR) && !(bp->b_flags & B_DELWRI)) ||
	    !(bp->b_flags & (B_DONE | B_DELWRI))) {
		buf_free(bp);
	} else {
		bp->b_flags &= ~(B_BUSY | B_ASYNC);
		TAILQ_INSERT_TAIL(&buf_lru, bp, b_lru);
	}
	cv_broadcast(&buf_cv);
}

static void buf_write_cluster_locked(struct buf *);

/* Make room for size more bytes, reusing idle buffers; lock held. */
static void
buf_reclaim(size_t size)
{
	struct buf *bp, *next;

	KASSERT(mutex_owned(&bufcache_lock));
	for (bp = TAILQ_FIRST(&buf_lru);
	    bp != NULL && bstats.bs_bytes + size > bstats.bs_max; bp = next) {
		next = TAILQ_NEXT(bp, b_lru);
		if (bp->b_flags & B_DELWRI) {
			/* Push it out with its neighbours, not waiting; a
			 * buffer whose write failed stays (dirty). */
			if (bp->b_flags & B_ERROR)
				continue;
			buf_write_cluster_locked(bp);
			next = TAILQ_FIRST(&buf_lru);	/* list changed */
			continue;
		}
		TAILQ_REMOVE(&buf_lru, bp, b_lru);
		buf_free(bp);
		bstats.bs_evictions++;
	}
}

struct buf *
getblk(dev_t dev, int64_t blkno, size_t size)
{
	struct buf *bp;

	KASSERT(size > 0 && blkno >= 0);
	mutex_enter(&bufcache_lock);
	for (;;) {
		if ((bp = buf_lookup(dev, blkno)) == NULL)
			break;
		if (buf_wait_idle(bp))
			continue;
		TAILQ_REMOVE(&buf_lru, bp, b_lru);
		bp->b_flags |= B_BUSY;
		if (bp->b_bcount == size) {
			mutex_exit(&bufcache_lock);
			return bp;
		}
		/* Another size: write it if dirty, then start afresh. */
		if ((bp->b_flags & B_DELWRI) && buf_sync_write_locked(bp)) {
			brelse_locked(bp);
			mutex_exit(&bufcache_lock);
			return NULL;
		}
		buf_free(bp);
	}
	if (bstats.bs_bytes + size > bstats.bs_max)
		buf_reclaim(size);
	mutex_exit(&bufcache_lock);

	if ((bp = kmem_zalloc(sizeof(*bp), KM_SLEEP)) == NULL)
		return NULL;
	if ((bp->b_data = kmem_alloc(size, KM_SLEEP)) == NULL) {
		kmem_free(bp, sizeof(*bp));
		return NULL;
	}
	bp->b_dev = dev;
	bp->b_blkno = blkno;
	bp->b_bcount = size;
	bp->b_flags = B_BUSY;

	mutex_enter(&bufcache_lock);
	if (buf_lookup(dev, blkno) != NULL) {
		/* Someone else made it meanwhile: use theirs. */
		mutex_exit(&bufcache_lock);
		kmem_free(bp->b_data, size);
		kmem_free(bp, sizeof(*bp));
		return getblk(dev, blkno, size);
	}
	LIST_INSERT_HEAD(&bufhash[bufhash_of(dev, blkno)], bp, b_hash);
	bstats.bs_bytes += size;
	mutex_exit(&bufcache_lock);
	return bp;
}

int
bread(dev_t dev, int64_t blkno, size_t size, struct buf **bpp)
{

	return breadn(dev, blkno, size, 0, bpp);
}

/*
 * Clusters: one device read for a run of blocks none of which is
 * cached, into a bounce buffer whose completion copies each block into
 * its own buffer.  A device round trip per block costs far more than
 * the copy.
 */
struct bcluster {
	struct buf	bc_buf;		/* the transfer itself, not hashed */
	size_t		bc_alloc;	/* bytes of bc_buf.b_data */
	int		bc_n;
	struct buf	*bc_member[BUF_MAXCLUSTER];
};

/* A cluster's transfer is over: each member gets its share. */
static void
buf_cluster_done(struct buf *cbp)
{
	struct bcluster *bc = (struct bcluster *)cbp;
	size_t size = bc->bc_member[0]->b_bcount, done, got;
	bool read = (cbp->b_flags & B_READ) != 0;
	struct buf *bp;
	int i;

	done = cbp->b_bcount - MIN(cbp->b_resid, cbp->b_bcount);
	for (i = 0; i < bc->bc_n; i++) {
		bp = bc->bc_member[i];
		got = done > (size_t)i * size ? MIN(size, done -
		    (size_t)i * size) : 0;
		if (read)
			memcpy(bp->b_data, (char *)cbp->b_data +
			    (size_t)i * size, got);
		bp->b_resid = size - got;
		/* A short read says so by its resid; a short write failed. */
		bp->b_error = cbp->b_error ? cbp->b_error :
		    (!read && got < size ? EIO : 0);
		biodone(bp);
	}
	kmem_free(cbp->b_data, bc->bc_alloc);
	kmem_free(bc, sizeof(*bc));
}

/*
 * Read up to n blocks from blkno that are not cached, as one transfer;
 * first, if not NULL, is the busy buffer of blkno (the caller waits on
 * it), the others are read ahead.  False if no transfer was started
 * (first then still needs reading).
 */
static bool
buf_cluster_read(dev_t dev, int64_t blkno, size_t size, int n,
    struct buf *first)
{
	int64_t step = (int64_t)(size / DEV_BSIZE);
	struct bcluster *bc;
	struct buf *bp;
	bool cached;
	int i;

	n = MIN(n, BUF_MAXCLUSTER);
	if ((bc = kmem_zalloc(sizeof(*bc), KM_SLEEP)) == NULL)
		return false;
	for (i = 0; i < n; i++) {
		if (i == 0 && first != NULL) {
			bp = first;
		} else {
			mutex_enter(&bufcache_lock);
			cached = buf_lookup(dev, blkno + i * step) != NULL;
			mutex_exit(&bufcache_lock);
			if (cached || (bp = getblk(dev, blkno + i * step,
			    size)) == NULL)
				break;
			if (bp->b_flags & (B_DONE | B_DELWRI)) {
				brelse(bp);	/* raced in meanwhile */
				break;
			}
		}
		bc->bc_member[i] = bp;
	}
	bc->bc_n = i;
	if (i < (first != NULL ? 2 : 1) || (bc->bc_buf.b_data =
	    kmem_alloc((size_t)i * size, KM_SLEEP)) == NULL) {
		for (i = first != NULL ? 1 : 0; i < bc->bc_n; i++)
			brelse(bc->bc_member[i]);
		kmem_free(bc, sizeof(*bc));
		return false;
	}
	mutex_enter(&bufcache_lock);
	for (i = 0; i < bc->bc_n; i++) {
		bp = bc->bc_member[i];
		bp->b_flags = (bp->b_flags & ~(B_ERROR | B_ASYNC)) | B_READ |
		    B_INIO | (bp == first ? 0 : B_ASYNC);
		bp->b_error = 0;
		if (bp != first)
			bstats.bs_readahead++;
	}
	bstats.bs_reads++;
	mutex_exit(&bufcache_lock);
	bc->bc_alloc = (size_t)bc->bc_n * size;
	bc->bc_buf.b_dev = dev;
	bc->bc_buf.b_blkno = blkno;
	bc->bc_buf.b_bcount = (size_t)bc->bc_n * size;
	/* Only read ahead: nobody waits, so not on the caller's thread. */
	bc->bc_buf.b_flags = B_BUSY | B_READ | B_INIO |
	    (first == NULL ? B_ASYNC : 0);
	bc->bc_buf.b_iodone = buf_cluster_done;
	buf_start_io(&bc->bc_buf);
	return true;
}

/*
 * Keep the nra blocks after blkno coming: once the first of them not
 * cached is in the nearer half, read from there to the end as one
 * cluster (so clusters stay at least half the window).
 */
static void
buf_readahead(dev_t dev, int64_t blkno, size_t size, int nra)
{
	int64_t step = (int64_t)(size / DEV_BSIZE);
	bool cached = true;
	int j;

	mutex_enter(&bufcache_lock);
	for (j = 1; j <= (nra + 1) / 2; j++)
		if (!(cached = buf_lookup(dev, blkno + j * step) != NULL))
			break;
	mutex_exit(&bufcache_lock);
	if (!cached)
		(void)buf_cluster_read(dev, blkno + j * step, size,
		    nra - j + 1, NULL);
}

int
breadn(dev_t dev, int64_t blkno, size_t size, int nra, struct buf **bpp)
{
	struct buf *bp;
	bool clustered;
	int error;

	/* getblk fails for want of memory, or because a dirty buffer of
	 * another size at blkno could not be written out: then it is an
	 * I/O error, and the buffer is still cached. */
	if ((bp = getblk(dev, blkno, size)) == NULL)
		return bcached(dev, blkno) ? EIO : ENOMEM;
	mutex_enter(&bufcache_lock);
	if (bp->b_flags & (B_DONE | B_DELWRI)) {
		bstats.bs_hits++;
		mutex_exit(&bufcache_lock);
		/* A sequential reader keeps blocks in flight: a hit on the
		 * last of them starts the next cluster. */
		if (nra > 0)
			buf_readahead(dev, blkno, size, nra);
		*bpp = bp;
		return 0;
	}
	bstats.bs_misses++;
	mutex_exit(&bufcache_lock);
	clustered = nra > 0 && buf_cluster_read(dev, blkno, size, nra + 1, bp);
	if (!clustered) {
		mutex_enter(&bufcache_lock);
		bstats.bs_reads++;
		bp->b_flags = (bp->b_flags & ~(B_ERROR | B_ASYNC)) | B_READ |
		    B_INIO;
		bp->b_error = 0;
		mutex_exit(&bufcache_lock);
		buf_start_io(bp);
	}
	if ((error = biowait(bp)) == 0 && bp->b_resid != 0)
		error = EIO;		/* past the end of the device */
	if (error && clustered) {
		/* The cluster may have run past the end of the device:
		 * the block alone, once more. */
		mutex_enter(&bufcache_lock);
		bstats.bs_reads++;
		bp->b_flags = (bp->b_flags & ~(B_ERROR | B_ASYNC | B_DONE)) |
		    B_READ | B_INIO;
		bp->b_error = 0;
		mutex_exit(&bufcache_lock);
		buf_start_io(bp);
		if ((error = biowait(bp)) == 0 && bp->b_resid != 0)
			error = EIO;
	}
	if (error) {
		mutex_enter(&bufcache_lock);
		bp->b_flags |= B_INVAL;
		brelse_locked(bp);
		mutex_exit(&bufcache_lock);
		return error;
	}
	*bpp = bp;
	return 0;
}

void
biodone(struct buf *bp)
{

	if (bp->b_iodone != NULL) {
		bp->b_iodone(bp);
		return;
	}
	mutex_enter(&bufcache_lock);
	if (bp->b_error != 0)
		bp->b_flags |= B_ERROR;
	else if (bp->b_flags & B_READ)
		bp->b_flags |= B_DONE;
	bp->b_flags &= ~B_INIO;
	if (bp->b_flags & B_ASYNC) {
		if (!(bp->b_flags & B_READ)) {
			if (bp->b_flags & B_ERROR) {
				/* Keep the data: it is still to be written. */
				if (!(bp->b_flags & B_DELWRI))
					bstats.bs_dirty++;
				bp->b_flags |= B_DELWRI;
			} else if (bp->b_flags & B_DELWRI) {
				bp->b_flags &= ~B_DELWRI;
				bstats.bs_dirty--;
			}
		}
		brelse_locked(bp);
	}
	cv_broadcast(&buf_cv);
	mutex_exit(&bufcache_lock);
}

int
bwrite(struct buf *bp)
{
	int error;

	mutex_enter(&bufcache_lock);
	if (!(bp->b_flags & B_DELWRI)) {
		bp->b_flags |= B_DELWRI;	/* dirty until written */
		bstats.bs_dirty++;
	}
	bp->b_flags |= B_DONE;
	error = buf_sync_write_locked(bp);
	if (error == 0 && bp->b_resid != 0)
		error = EIO;
	brelse_locked(bp);
	mutex_exit(&bufcache_lock);
	return error;
}

void
bawrite(struct buf *bp)
{

	mutex_enter(&bufcache_lock);
	bp->b_flags = (bp->b_flags & ~(B_READ | B_ERROR)) | B_DONE |
	    B_ASYNC | B_INIO;
	bp->b_error = 0;
	bstats.bs_writes++;
	mutex_exit(&bufcache_lock);
	buf_start_io(bp);
}

static void syncer_thread(void *);

void
bdwrite(struct buf *bp)
{
	bool start;

	mutex_enter(&bufcache_lock);
	if (!(bp->b_flags & B_DELWRI)) {
		bp->b_flags |= B_DELWRI;
		bstats.bs_dirty++;
	}
	bp->b_flags |= B_DONE;
	brelse_locked(bp);
	start = syncer_lwp == NULL && !syncer_exiting;
	mutex_exit(&bufcache_lock);
	if (start && kthread_create(KTHREAD_MUSTJOIN, syncer_thread, NULL,
	    &syncer_lwp, "syncer") != 0)
		syncer_lwp = NULL;	/* bflush and sync still work */
}

void
brelse(struct buf *bp)
{

	mutex_enter(&bufcache_lock);
	brelse_locked(bp);
	mutex_exit(&bufcache_lock);
}

/* May bp join a write cluster of dev's blocks of size bytes? */
static bool
buf_clusterable(struct buf *bp, dev_t dev, size_t size)
{

	return bp != NULL && bp->b_dev == dev && bp->b_bcount == size &&
	    (bp->b_flags & (B_BUSY | B_DELWRI | B_ERROR)) == B_DELWRI;
}

/*
 * Write a dirty idle buffer together with the dirty idle buffers of
 * the same size that follow and precede it on the device, as one
 * asynchronous transfer (a cluster, as for reads: one device round
 * trip instead of one per block).  Called with bufcache_lock held,
 * which it drops and takes again; the members are busy until their
 * write completes, when biodone releases them (B_ASYNC).  What changed
 * while the lock was dropped is left out, maybe bp itself: callers
 * look at the list again.
 */
static void
buf_write_cluster_locked(struct buf *bp)
{
	int64_t step = (int64_t)(bp->b_bcount / DEV_BSIZE), start;
	int64_t blkno = bp->b_blkno;
	size_t size = bp->b_bcount;
	struct bcluster *bc;
	dev_t dev = bp->b_dev;
	void *data;
	int i, n;

	KASSERT(mutex_owned(&bufcache_lock));
	/* The run around bp. */
	for (start = bp->b_blkno, n = 1; n < BUF_MAXCLUSTER / 2 &&
	    start >= step && buf_clusterable(buf_lookup(dev, start - step),
	    dev, size); start -= step, n++)
		;
	for (n = 1; n < BUF_MAXCLUSTER && buf_clusterable(buf_lookup(dev,
	    start + n * step), dev, size); n++)
		;
	bc = NULL;
	if (n > 1) {
		/* Not while holding the lock: it may wait for memory. */
		mutex_exit(&bufcache_lock);
		bc = kmem_zalloc(sizeof(*bc), KM_SLEEP);
		data = bc != NULL ? kmem_alloc((size_t)n * size, KM_SLEEP) :
		    NULL;
		if (bc != NULL && data == NULL) {
			kmem_free(bc, sizeof(*bc));
			bc = NULL;
		}
		mutex_enter(&bufcache_lock);
	}
	if (bc != NULL) {
		/* The run may have changed meanwhile: take what is left
		 * of it, from start, while it lasts. */
		for (i = 0; i < n; i++) {
			struct buf *m = buf_lookup(dev, start + i * step);

			if (!buf_clusterable(m, dev, size))
				break;
			bc->bc_member[i] = m;
		}
		bc->bc_n = i;
		if (bc->bc_n < 2) {
			kmem_free(data, (size_t)n * size);
			kmem_free(bc, sizeof(*bc));
			bc = NULL;
		}
	}
	if (bc == NULL) {
		/* Alone: bp by itself.  If the lock was dropped above, bp
		 * may since have been taken busy (written, even freed):
		 * only the buffer cached at its block now, and only if it
		 * is still idle and dirty.  Writing it regardless made
		 * two owners of one buffer (the second brelse then found
		 * it idle) or wrote freed memory to the disk.  Callers
		 * scan again, so one left out here is not lost. */
		if (n > 1 && !buf_clusterable(bp = buf_lookup(dev, blkno),
		    dev, size))
			return;
		TAILQ_REMOVE(&buf_lru, bp, b_lru);
		bp->b_flags = (bp->b_flags & ~(B_READ | B_ERROR)) | B_BUSY |
		    B_DONE | B_ASYNC | B_INIO;
		bp->b_error = 0;
		bstats.bs_writes++;
		mutex_exit(&bufcache_lock);
		buf_start_io(bp);
		mutex_enter(&bufcache_lock);
		return;
	}
	for (i = 0; i < bc->bc_n; i++) {
		struct buf *m = bc->bc_member[i];

		TAILQ_REMOVE(&buf_lru, m, b_lru);
		m->b_flags = (m->b_flags & ~(B_READ | B_ERROR)) | B_BUSY |
		    B_DONE | B_ASYNC | B_INIO;
		m->b_error = 0;
		memcpy((char *)data + (size_t)i * size, m->b_data, size);
	}
	bstats.bs_writes++;
	mutex_exit(&bufcache_lock);
	bc->bc_buf.b_dev = dev;
	bc->bc_buf.b_blkno = start;
	bc->bc_buf.b_bcount = (size_t)bc->bc_n * size;
	bc->bc_buf.b_data = data;
	bc->bc_alloc = (size_t)n * size;
	bc->bc_buf.b_flags = B_BUSY | B_INIO | B_ASYNC;
	bc->bc_buf.b_iodone = buf_cluster_done;
	buf_start_io(&bc->bc_buf);
	mutex_enter(&bufcache_lock);
}

/* Write every delayed buffer of dev (NODEV: of every device). */
static int
bflush_common(dev_t dev)
{
	struct buf *bp;
	int error = 0, i;
	bool again;

	mutex_enter(&bufcache_lock);
	do {
		again = false;
		TAILQ_FOREACH(bp, &buf_lru, b_lru) {
			if (!(bp->b_flags & B_DELWRI) ||
			    (dev != NODEV && bp->b_dev != dev) ||
			    (bp->b_flags & B_ERROR))
				continue;
			buf_write_cluster_locked(bp);
			again = true;
			break;			/* the list changed */
		}
	} while (again);
	/* Writes already on their way (bawrite) count too: wait. */
	for (i = 0; i < BUFHASH_SIZE; i++) {
		LIST_FOREACH(bp, &bufhash[i], b_hash) {
			if ((bp->b_flags & B_INIO) &&
			    (dev == NODEV || bp->b_dev == dev)) {
				cv_wait(&buf_cv, &bufcache_lock);
				i = -1;		/* rescan from the start */
				break;
			}
		}
	}
	/* Buffers whose last write failed: report them. */
	TAILQ_FOREACH(bp, &buf_lru, b_lru) {
		if ((bp->b_flags & (B_DELWRI | B_ERROR)) ==
		    (B_DELWRI | B_ERROR) && (dev == NODEV || bp->b_dev == dev)) {
			if (error == 0)
				error = bp->b_error ? bp->b_error : EIO;
		}
	}
	mutex_exit(&bufcache_lock);
	return error;
}

/* Every delayed write of every device (sync(2)). */
int
bflush_all(void)
{

	return bflush_common(NODEV);
}

int
bflush(dev_t dev)
{
	const struct bdevsw *d;
	struct buf *bp;
	int error;

	/* Give failed buffers one more try on an explicit flush. */
	mutex_enter(&bufcache_lock);
	TAILQ_FOREACH(bp, &buf_lru, b_lru)
		if (bp->b_dev == dev && (bp->b_flags & B_DELWRI))
			bp->b_flags &= ~B_ERROR;
	mutex_exit(&bufcache_lock);
	error = bflush_common(dev);
	if (error == 0 && (d = bdevsw_lookup(dev)) != NULL &&
	    d->d_sync != NULL)
		error = d->d_sync(dev);
	return error;
}

/* Forget the device's idle buffers (after bflush, at unmount); a dirty
 * one left means its writes kept failing, and says so. */
void
binval(dev_t dev)
{
	struct buf *bp, *next;

	mutex_enter(&bufcache_lock);
	for (bp = TAILQ_FIRST(&buf_lru); bp != NULL; bp = next) {
		next = TAILQ_NEXT(bp, b_lru);
		if (bp->b_dev != dev)
			continue;
		if (bp->b_flags & B_DELWRI)
			printf("binval: dropping unwritable block %lld of "
			    "device %llx\n", (long long)bp->b_blkno,
			    (unsigned long long)dev);
		TAILQ_REMOVE(&buf_lru, bp, b_lru);
		buf_free(bp);
	}
	mutex_exit(&bufcache_lock);
}

/* Is a buffer for blkno in the cache (in any state)? */
bool
bcached(dev_t dev, int64_t blkno)
{
	bool found;

	mutex_enter(&bufcache_lock);
	found = buf_lookup(dev, blkno) != NULL;
	mutex_exit(&bufcache_lock);
	return found;
}

/*
 * Read len bytes at blkno straight into data, past the cache: for
 * large sequential reads, where a copy through buffers would cost more
 * than caching saves.  The caller has checked that no cached buffer
 * holds newer data for the range.
 */
int
bread_direct(dev_t dev, int64_t blkno, void *data, size_t len)
{
	struct buf b;
	int error;

	memset(&b, 0, sizeof(b));
	b.b_dev = dev;
	b.b_blkno = blkno;
	b.b_bcount = len;
	b.b_data = data;
	b.b_flags = B_BUSY | B_READ | B_INIO;
	mutex_enter(&bufcache_lock);
	bstats.bs_reads++;
	mutex_exit(&bufcache_lock);
	buf_start_io(&b);
	if ((error = biowait(&b)) == 0 && b.b_resid != 0)
		error = EIO;
	return error;
}

/* Block blkno of dev was freed: drop its buffer, dirty or not. */
void
bforget(dev_t dev, int64_t blkno)
{
	struct buf *bp;

	mutex_enter(&bufcache_lock);
	while ((bp = buf_lookup(dev, blkno)) != NULL) {
		if (buf_wait_idle(bp))
			continue;
		TAILQ_REMOVE(&buf_lru, bp, b_lru);
		buf_free(bp);
		break;
	}
	mutex_exit(&bufcache_lock);
}

void
bufstats_get(struct bufstats *bs)
{

	mutex_enter(&bufcache_lock);
	*bs = bstats;
	mutex_exit(&bufcache_lock);
}

static void
syncer_thread(void *arg __unused)
{

	mutex_enter(&bufcache_lock);
	while (!syncer_exiting) {
		cv_timedwait(&syncer_cv, &bufcache_lock, SYNCER_SECS * hz);
		if (syncer_exiting)
			break;
		mutex_exit(&bufcache_lock);
		bflush_common(NODEV);
		mutex_enter(&bufcache_lock);
	}
	mutex_exit(&bufcache_lock);
	kthread_exit(0);
}

void
bufcache_fini(void)
{
	struct lwp *l;

	mutex_enter(&bufcache_lock);
	syncer_exiting = true;
	cv_broadcast(&syncer_cv);
	l = syncer_lwp;
	syncer_lwp = NULL;
	mutex_exit(&bufcache_lock);
	if (l != NULL)
		kthread_join(l);
	bflush_common(NODEV);
}
