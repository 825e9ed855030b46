/*
 * kern_devsw.c: the block-device switch (see <sys/conf.h>).
 * Locking: devsw_lock over the table.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/mutex.h>

static kmutex_t devsw_lock;
static const struct bdevsw *bdevsw[MAXBDEVSW];	/* devsw_lock */

void	devsw_init(void);

void
devsw_init(void)
{

	mutex_init(&devsw_lock, MUTEX_DEFAULT, IPL_NONE);
}

int
bdevsw_attach(const struct bdevsw *d, int *majorp)
{
	int i;

	mutex_enter(&devsw_lock);
	for (i = 1; i < MAXBDEVSW; i++) {	/* major 0 stays unused */
		if (bdevsw[i] == NULL) {
			bdevsw[i] = d;
			mutex_exit(&devsw_lock);
			*majorp = i;
			return 0;
		}
	}
	mutex_exit(&devsw_lock);
	return ENOSPC;
}

void
bdevsw_detach(const struct bdevsw *d)
{
	int i;

	mutex_enter(&devsw_lock);
	for (i = 0; i < MAXBDEVSW; i++)
		if (bdevsw[i] == d)
			bdevsw[i] = NULL;
	mutex_exit(&devsw_lock);
}

const struct bdevsw *
bdevsw_lookup(dev_t dev)
{
	const struct bdevsw *d = NULL;

	if (major(dev) < MAXBDEVSW) {
		mutex_enter(&devsw_lock);
		d = bdevsw[major(dev)];
		mutex_exit(&devsw_lock);
	}
	return d;
}
