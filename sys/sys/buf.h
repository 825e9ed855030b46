/*
 * buf.h: the buffer cache.
 *
 * A buf holds one block of a device in memory.  bread() returns the
 * block busy (owned by the caller) with its data; the caller ends with
 * brelse() (unchanged), bwrite() (write now, wait), bawrite() (write,
 * do not wait) or bdwrite() (write later: the syncer thread, sync or
 * bflush).  Blocks are addressed in DEV_BSIZE (512-byte) units; a
 * block's size is fixed by its first use.  Read-ahead (breadn) starts
 * reads of following blocks without waiting for them.
 *
 * The cache holds at most bufmem_max bytes (a share of RUMP_MEMLIMIT,
 * or 16 MiB): past that, clean idle buffers are reused, oldest first,
 * and delayed writes are pushed out to make room.  I/O errors are
 * returned to the caller (EIO, or the driver's error); a failed delayed
 * write keeps the data dirty and reports the error at the next flush.
 *
 * Field legend: c constant while cached; B bufcache_lock; o the owner
 * of the busy buffer.
 */
#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>
#include <sys/queue.h>

#define DEV_BSIZE	512
#define DEV_BSHIFT	9

struct buf {
	LIST_ENTRY(buf)		b_hash;		/* B */
	TAILQ_ENTRY(buf)	b_lru;		/* B: idle buffers */
	dev_t			b_dev;		/* c */
	int64_t			b_blkno;	/* c: DEV_BSIZE units */
	size_t			b_bcount;	/* c: bytes */
	void			*b_data;	/* c */
	u_int			b_flags;	/* B */
	int			b_error;	/* B */
	size_t			b_resid;	/* o: bytes not transferred */
	void			(*b_iodone)(struct buf *);	/* c */
};

#define B_BUSY		0x0001	/* owned by a caller or in I/O */
#define B_DONE		0x0002	/* data valid */
#define B_READ		0x0004	/* I/O direction (else write) */
#define B_DELWRI	0x0008	/* dirty: write later */
#define B_ASYNC		0x0010	/* release when the I/O is done */
#define B_ERROR		0x0020	/* last I/O failed: b_error */
#define B_INVAL		0x0040	/* contents worthless */
#define B_INIO		0x0080	/* I/O in progress */

#define BUF_MAXCLUSTER	32	/* blocks in one read-ahead transfer */

int	bread(dev_t, int64_t blkno, size_t size, struct buf **);
int	breadn(dev_t, int64_t blkno, size_t size, int nra, struct buf **);
struct buf *getblk(dev_t, int64_t blkno, size_t size);	/* NULL: ENOMEM */
int	bwrite(struct buf *);
void	bawrite(struct buf *);
void	bdwrite(struct buf *);
void	brelse(struct buf *);
int	bflush(dev_t);		/* write the device's delayed buffers */
int	bflush_all(void);	/* every device's */
void	binval(dev_t);		/* forget the device's (clean) buffers */
void	bforget(dev_t, int64_t blkno);	/* the block was freed: drop it */
bool	bcached(dev_t, int64_t blkno);
int	bread_direct(dev_t, int64_t blkno, void *data, size_t len);
void	biodone(struct buf *);	/* drivers: I/O finished */

/* Statistics, for tests and sysctl. */
struct bufstats {
	uint64_t	bs_hits, bs_misses, bs_reads, bs_writes;
	uint64_t	bs_readahead, bs_evictions;
	uint64_t	bs_bytes, bs_max;	/* memory held, limit */
	uint64_t	bs_dirty;		/* delayed-write buffers */
};
void	bufstats_get(struct bufstats *);
int	bufcache_init(void);
void	bufcache_fini(void);

#endif /* _SYS_BUF_H_ */
