/*
 * conf.h: the block-device switch.
 *
 * A block-device driver attaches a struct bdevsw and gets a major
 * number; a dev_t is (major << 32 | minor).  File systems reach a disk
 * through the buffer cache, which calls the driver's strategy routine;
 * the driver finishes every buf with biodone(), from any thread.
 *
 * Locking: devsw_lock (kern_devsw.c) over the table; the entries are
 * constant once attached.
 */
#ifndef _SYS_CONF_H_
#define _SYS_CONF_H_

#include <sys/types.h>

struct buf;

struct bdevsw {
	const char	*d_name;
	int		(*d_open)(dev_t, int fflags);
	int		(*d_close)(dev_t, int fflags);
	void		(*d_strategy)(struct buf *);
	int		(*d_size)(dev_t, uint64_t *bytes);
	int		(*d_sync)(dev_t);	/* to stable storage */
};

#define major(d)	((uint32_t)((uint64_t)(d) >> 32))
#define minor(d)	((uint32_t)(d))
#define makedev(M, m)	(((dev_t)(M) << 32) | (uint32_t)(m))
#define NODEV		((dev_t)-1)

#define MAXBDEVSW	32

int	bdevsw_attach(const struct bdevsw *, int *majorp);
void	bdevsw_detach(const struct bdevsw *);
const struct bdevsw *bdevsw_lookup(dev_t);

#endif /* _SYS_CONF_H_ */
