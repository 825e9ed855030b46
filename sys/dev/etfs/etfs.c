/*
 * etfs.c: host files as kernel block devices.
 *
 * rump_etfs_register() opens a host file and makes a block-device node
 * for it in the kernel's file system; the buffer cache then reads and
 * writes the file through the asynchronous block-I/O hypercall, and
 * each completion finishes its buf with biodone().  I/O past the end
 * of the file, or writes to a read-only registration, fail with EINVAL
 * and EROFS; errors from the host come back as the buf's error.
 *
 * Locking: etfs_lock over the table and each entry's open count.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/conf.h>
#include <sys/cpu.h>
#include <sys/file.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rumpuser.h>
#include "syscallargs.h"

#define ETFS_MAX	64

struct etfs {
	bool		et_used;
	bool		et_ro;
	int		et_fd;		/* host */
	uint64_t	et_size;	/* bytes */
	int		et_nopen;
	char		et_key[RUMP_PATH_MAX];
};

static kmutex_t etfs_lock;
static struct etfs etfs_tab[ETFS_MAX];	/* etfs_lock */
static int etfs_major;

static struct etfs *
etfs_get(dev_t dev)
{
	uint32_t m = minor(dev);

	return m < ETFS_MAX && etfs_tab[m].et_used ? &etfs_tab[m] : NULL;
}

static int
etfs_open(dev_t dev, int fflags)
{
	struct etfs *et;
	int error = 0;

	mutex_enter(&etfs_lock);
	if ((et = etfs_get(dev)) == NULL)
		error = ENXIO;
	else if (et->et_ro && (fflags & FWRITE))
		error = EROFS;
	else
		et->et_nopen++;
	mutex_exit(&etfs_lock);
	return error;
}

static int
etfs_close(dev_t dev, int fflags __unused)
{
	struct etfs *et;

	mutex_enter(&etfs_lock);
	if ((et = etfs_get(dev)) != NULL && et->et_nopen > 0)
		et->et_nopen--;
	mutex_exit(&etfs_lock);
	return 0;
}

static void
etfs_biodone(void *arg, uint64_t done, int error)
{
	struct buf *bp = arg;

	bp->b_resid = bp->b_bcount - (size_t)done;
	bp->b_error = error;
	biodone(bp);
}

static void
etfs_strategy(struct buf *bp)
{
	struct etfs *et;
	uint64_t off = (uint64_t)bp->b_blkno << DEV_BSHIFT;
	int fd = -1, error = 0;

	mutex_enter(&etfs_lock);
	if ((et = etfs_get(bp->b_dev)) == NULL)
		error = ENXIO;
	else if (et->et_ro && !(bp->b_flags & B_READ))
		error = EROFS;
	else if (bp->b_blkno < 0 || off >= et->et_size ||
	    bp->b_bcount > et->et_size - off)
		error = EINVAL;
	else
		fd = et->et_fd;
	mutex_exit(&etfs_lock);
	if (error) {
		bp->b_error = error;
		biodone(bp);
		return;
	}
	/* Not B_ASYNC: the caller waits in biowait, so the host may as
	 * well do it on this thread. */
	rumpuser_bio(fd, ((bp->b_flags & B_READ) ? RUMPUSER_BIO_READ :
	    RUMPUSER_BIO_WRITE) | ((bp->b_flags & B_ASYNC) ? 0 :
	    RUMPUSER_BIO_WAITED), bp->b_data, bp->b_bcount, (int64_t)off,
	    etfs_biodone, bp);
}

static int
etfs_size(dev_t dev, uint64_t *bytes)
{
	struct etfs *et;
	int error = 0;

	mutex_enter(&etfs_lock);
	if ((et = etfs_get(dev)) == NULL)
		error = ENXIO;
	else
		*bytes = et->et_size;
	mutex_exit(&etfs_lock);
	return error;
}

static int
etfs_sync(dev_t dev)
{
	struct etfs *et;
	int fd = -1;

	mutex_enter(&etfs_lock);
	if ((et = etfs_get(dev)) != NULL && !et->et_ro)
		fd = et->et_fd;
	mutex_exit(&etfs_lock);
	return fd < 0 ? 0 : rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE, 0, 0);
}

static const struct bdevsw etfs_bdevsw = {
	.d_name = "etfs",
	.d_open = etfs_open,
	.d_close = etfs_close,
	.d_strategy = etfs_strategy,
	.d_size = etfs_size,
	.d_sync = etfs_sync,
};

static int
etfs_register(struct lwp *l, const char *key, const char *hostpath,
    int type)
{
	struct sys_mknod_args ua;
	struct etfs *et = NULL;
	register_t rv[2];
	uint64_t size;
	int ftype, fd, i, error;

	if (type != RUMP_ETFS_BLK && type != RUMP_ETFS_BLK_RO)
		return EINVAL;
	if (strlen(key) >= RUMP_PATH_MAX)
		return ENAMETOOLONG;
	if ((error = rumpuser_getfileinfo(hostpath, &size, &ftype)) != 0)
		return error;
	if (ftype != RUMPUSER_FT_REG && ftype != RUMPUSER_FT_BLK)
		return ftype == RUMPUSER_FT_DIR ? EISDIR : EINVAL;
	error = rumpuser_open(hostpath, (type == RUMP_ETFS_BLK_RO ?
	    RUMPUSER_OPEN_RDONLY : RUMPUSER_OPEN_RDWR) | RUMPUSER_OPEN_BIO,
	    &fd);
	if (error)
		return error;
	mutex_enter(&etfs_lock);
	for (i = 0; i < ETFS_MAX; i++) {
		if (etfs_tab[i].et_used && strcmp(etfs_tab[i].et_key, key) == 0)
			break;
		if (!etfs_tab[i].et_used && et == NULL)
			et = &etfs_tab[i];
	}
	if (i < ETFS_MAX || et == NULL) {
		error = i < ETFS_MAX ? EEXIST : ENOSPC;
		mutex_exit(&etfs_lock);
		rumpuser_close(fd);
		return error;
	}
	memset(et, 0, sizeof(*et));
	et->et_used = true;
	et->et_ro = type == RUMP_ETFS_BLK_RO;
	et->et_fd = fd;
	et->et_size = size;
	strlcpy(et->et_key, key, sizeof(et->et_key));
	i = (int)(et - etfs_tab);
	mutex_exit(&etfs_lock);

	/* The device node, made as by mknod(2) in the caller's process. */
	memset(&ua, 0, sizeof(ua));
	SCARG(&ua, path) = key;
	SCARG(&ua, mode) = RUMP_S_IFBLK | 0600;
	SCARG(&ua, dev) = makedev(etfs_major, i);
	if ((error = sys_mknod(l, &ua, rv)) != 0) {
		mutex_enter(&etfs_lock);
		et->et_used = false;
		mutex_exit(&etfs_lock);
		rumpuser_close(fd);
	}
	return error;
}

static int
etfs_remove(struct lwp *l, const char *key)
{
	struct sys_unlink_args ua;
	struct etfs *et = NULL;
	register_t rv[2];
	int i, fd, error;

	mutex_enter(&etfs_lock);
	for (i = 0; i < ETFS_MAX; i++)
		if (etfs_tab[i].et_used && strcmp(etfs_tab[i].et_key, key) == 0)
			et = &etfs_tab[i];
	if (et == NULL || et->et_nopen > 0) {
		mutex_exit(&etfs_lock);
		return et == NULL ? ENOENT : EBUSY;
	}
	et->et_used = false;
	fd = et->et_fd;
	mutex_exit(&etfs_lock);
	bflush(makedev(etfs_major, et - etfs_tab));
	binval(makedev(etfs_major, et - etfs_tab));
	rumpuser_close(fd);
	memset(&ua, 0, sizeof(ua));
	SCARG(&ua, path) = key;
	error = sys_unlink(l, &ua, rv);
	return error == ENOENT ? 0 : error;	/* already gone is fine */
}

int
rump_etfs_register(const char *key, const char *hostpath, int type)
{
	struct lwp *l;
	int error;

	if ((error = lwp_enter(&l)) == 0) {
		error = etfs_major == 0 ? ENXIO :
		    etfs_register(l, key, hostpath, type);
		vcpu_unschedule(l);
	}
	if (error) {
		rumpuser_seterrno(error);
		return -1;
	}
	return 0;
}

int
rump_etfs_remove(const char *key)
{
	struct lwp *l;
	int error;

	if ((error = lwp_enter(&l)) == 0) {
		error = etfs_major == 0 ? ENXIO : etfs_remove(l, key);
		vcpu_unschedule(l);
	}
	if (error) {
		rumpuser_seterrno(error);
		return -1;
	}
	return 0;
}

static int
etfs_attach(void)
{

	mutex_init(&etfs_lock, MUTEX_DEFAULT, IPL_NONE);
	return bdevsw_attach(&etfs_bdevsw, &etfs_major);
}

static void
etfs_detach(void)
{
	int i;

	for (i = 0; i < ETFS_MAX; i++) {
		if (etfs_tab[i].et_used) {
			bflush(makedev(etfs_major, i));
			binval(makedev(etfs_major, i));
			rumpuser_close(etfs_tab[i].et_fd);
			etfs_tab[i].et_used = false;
		}
	}
	bdevsw_detach(&etfs_bdevsw);
	etfs_major = 0;
}

RUMP_COMPONENT(RUMP_FACTION_DEV, etfs, etfs_attach, etfs_detach);
