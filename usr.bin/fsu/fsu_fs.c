/*
 * fsu_fs.c: the two sides a copy or comparison works between (struct
 * fsu_fs in fsu.h).  fsu_hostfs is the host's system calls; fsu_imagefs
 * the same calls made into the image through rump_sys_*, with the
 * host's open flags, modes and times translated to the kernel's ABI.
 * Both report errors as system calls do: -1 and errno in the host's
 * numbering (rump_sys_* already translate theirs).  Stateless.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

/* The kernel's mode bits are the traditional ones, as the host's. */
_Static_assert(RUMP_S_IFMT == S_IFMT && RUMP_S_IFDIR == S_IFDIR &&
    RUMP_S_IFREG == S_IFREG && RUMP_S_IFLNK == S_IFLNK &&
    RUMP_S_IFIFO == S_IFIFO && RUMP_S_IFCHR == S_IFCHR &&
    RUMP_S_IFBLK == S_IFBLK && RUMP_S_IFSOCK == S_IFSOCK &&
    RUMP_S_ISUID == S_ISUID && RUMP_S_ISGID == S_ISGID &&
    RUMP_S_ISVTX == S_ISVTX, "mode bits differ");

/* The host. */

static int
host_stat(const char *path, struct fsu_stat *fs, int follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) != 0)
		return -1;
	fs->mode = st.st_mode;
	fs->nlink = (unsigned long)st.st_nlink;
	fs->uid = st.st_uid;
	fs->gid = st.st_gid;
	fs->size = st.st_size;
	fs->blocks = (int64_t)st.st_blocks;
	fs->ino = (uint64_t)st.st_ino;
	fs->dev = (uint64_t)st.st_dev;
	fs->rmajor = major(st.st_rdev);
	fs->rminor = minor(st.st_rdev);
	fs->atim = st.st_atim;
	fs->mtim = st.st_mtim;
	return 0;
}

static int
host_mknod(const char *path, mode_t mode, unsigned int maj, unsigned int min)
{

	return mknod(path, mode, makedev(maj, min));
}

static int
host_lutimens(const char *path, const struct timespec ts[2])
{

	return utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
}

static int
host_readdir(const char *path, char ***namesp, size_t *np)
{
	struct dirent *d;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *dir;
	int e;

	if ((dir = opendir(path)) == NULL)
		return -1;
	for (;;) {
		errno = 0;
		if ((d = readdir(dir)) == NULL)
			break;
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = fsu_realloc(names, cap * sizeof(*names));
		}
		names[n++] = fsu_strdup(d->d_name);
	}
	e = errno;
	closedir(dir);
	if (e != 0) {
		fsu_freenames(names, n);
		errno = e;
		return -1;
	}
	*namesp = names;
	*np = n;
	return 0;
}

static ssize_t
host_read(int fd, void *buf, size_t n)
{

	return read(fd, buf, n);
}

static ssize_t
host_write(int fd, const void *buf, size_t n)
{

	return write(fd, buf, n);
}

static int
host_open(const char *path, int flags, mode_t mode)
{

	return open(path, flags | O_CLOEXEC, mode);
}

const struct fsu_fs fsu_hostfs = {
	.what = "host",
	.stat = host_stat,
	.open = host_open,
	.read = host_read,
	.write = host_write,
	.lseek = lseek,
	.ftruncate = ftruncate,
	.close = close,
	.mkdir = mkdir,
	.mknod = host_mknod,
	.symlink = symlink,
	.readlink = readlink,
	.link = link,
	.unlink = unlink,
	.chmod = chmod,
	.lchown = lchown,
	.lutimens = host_lutimens,
	.fchown = fchown,
	.fchmod = fchmod,
	.futimens = futimens,
	.readdir = host_readdir,
};

/* The image. */

static int
img_stat(const char *path, struct fsu_stat *fs, int follow)
{
	struct rump_stat st;

	if ((follow ? rump_sys_stat(path, &st) : rump_sys_lstat(path, &st)) !=
	    0)
		return -1;
	fs->mode = (mode_t)st.st_mode;
	fs->nlink = st.st_nlink;
	fs->uid = (uid_t)st.st_uid;
	fs->gid = (gid_t)st.st_gid;
	fs->size = (off_t)st.st_size;
	fs->blocks = st.st_blocks;
	fs->ino = st.st_ino;
	fs->dev = st.st_dev;
	fs->rmajor = (unsigned int)(st.st_rdev >> 32);
	fs->rminor = (unsigned int)st.st_rdev;
	fs->atim.tv_sec = (time_t)st.st_atim.tv_sec;
	fs->atim.tv_nsec = (long)st.st_atim.tv_nsec;
	fs->mtim.tv_sec = (time_t)st.st_mtim.tv_sec;
	fs->mtim.tv_nsec = (long)st.st_mtim.tv_nsec;
	return 0;
}

static int
img_open(const char *path, int flags, mode_t mode)
{
	int rf = 0;

	switch (flags & O_ACCMODE) {
	case O_RDONLY: rf = RUMP_O_RDONLY; break;
	case O_WRONLY: rf = RUMP_O_WRONLY; break;
	default: rf = RUMP_O_RDWR; break;
	}
	if (flags & O_CREAT)
		rf |= RUMP_O_CREAT;
	if (flags & O_TRUNC)
		rf |= RUMP_O_TRUNC;
	if (flags & O_EXCL)
		rf |= RUMP_O_EXCL;
	if (flags & O_APPEND)
		rf |= RUMP_O_APPEND;
	if (flags & O_NOFOLLOW)
		rf |= RUMP_O_NOFOLLOW;
	if (flags & O_DIRECTORY)
		rf |= RUMP_O_DIRECTORY;
	return rump_sys_open(path, rf, (rump_mode_t)mode);
}

static ssize_t
img_read(int fd, void *buf, size_t n)
{

	return (ssize_t)rump_sys_read(fd, buf, n);
}

static ssize_t
img_write(int fd, const void *buf, size_t n)
{

	return (ssize_t)rump_sys_write(fd, buf, n);
}

static off_t
img_lseek(int fd, off_t off, int whence)
{
	int w;

	switch (whence) {
	case SEEK_SET: w = RUMP_SEEK_SET; break;
	case SEEK_CUR: w = RUMP_SEEK_CUR; break;
	case SEEK_END: w = RUMP_SEEK_END; break;
	default:
		errno = EINVAL;
		return -1;
	}
	return (off_t)rump_sys_lseek(fd, (rump_off_t)off, w);
}

static int
img_ftruncate(int fd, off_t len)
{

	return rump_sys_ftruncate(fd, (rump_off_t)len);
}

static int
img_close(int fd)
{

	return rump_sys_close(fd);
}

static int
img_mkdir(const char *path, mode_t mode)
{

	return rump_sys_mkdir(path, (rump_mode_t)mode);
}

static int
img_mknod(const char *path, mode_t mode, unsigned int maj, unsigned int min)
{

	if (S_ISFIFO(mode))
		return rump_sys_mkfifo(path, (rump_mode_t)(mode & 07777));
	return rump_sys_mknod(path, (rump_mode_t)mode,
	    ((rump_dev_t)maj << 32) | min);
}

static int
img_symlink(const char *target, const char *path)
{

	return rump_sys_symlink(target, path);
}

static ssize_t
img_readlink(const char *path, char *buf, size_t n)
{

	return (ssize_t)rump_sys_readlink(path, buf, n);
}

static int
img_link(const char *from, const char *to)
{

	return rump_sys_link(from, to);
}

static int
img_unlink(const char *path)
{

	return rump_sys_unlink(path);
}

static int
img_chmod(const char *path, mode_t mode)
{

	return rump_sys_chmod(path, (rump_mode_t)mode);
}

static int
img_lchown(const char *path, uid_t uid, gid_t gid)
{

	return rump_sys_lchown(path, (rump_uid_t)uid, (rump_gid_t)gid);
}

static void
to_rump_times(const struct timespec ts[2], struct rump_timespec rts[2])
{
	int i;

	for (i = 0; i < 2; i++) {
		rts[i].tv_sec = (rump_time_t)ts[i].tv_sec;
		rts[i].tv_nsec = ts[i].tv_nsec == UTIME_NOW ? RUMP_UTIME_NOW :
		    ts[i].tv_nsec == UTIME_OMIT ? RUMP_UTIME_OMIT :
		    ts[i].tv_nsec;
	}
}

static int
img_lutimens(const char *path, const struct timespec ts[2])
{
	struct rump_timespec rts[2];

	to_rump_times(ts, rts);
	return rump_sys_utimensat(RUMP_AT_FDCWD, path, rts,
	    RUMP_AT_SYMLINK_NOFOLLOW);
}

static int
img_fchown(int fd, uid_t uid, gid_t gid)
{

	return rump_sys_fchown(fd, (rump_uid_t)uid, (rump_gid_t)gid);
}

static int
img_fchmod(int fd, mode_t mode)
{

	return rump_sys_fchmod(fd, (rump_mode_t)mode);
}

static int
img_futimens(int fd, const struct timespec ts[2])
{
	struct rump_timespec rts[2];

	to_rump_times(ts, rts);
	return rump_sys_futimens(fd, rts);
}

const struct fsu_fs fsu_imagefs = {
	.what = "image",
	.stat = img_stat,
	.open = img_open,
	.read = img_read,
	.write = img_write,
	.lseek = img_lseek,
	.ftruncate = img_ftruncate,
	.close = img_close,
	.mkdir = img_mkdir,
	.mknod = img_mknod,
	.symlink = img_symlink,
	.readlink = img_readlink,
	.link = img_link,
	.unlink = img_unlink,
	.chmod = img_chmod,
	.lchown = img_lchown,
	.lutimens = img_lutimens,
	.fchown = img_fchown,
	.fchmod = img_fchmod,
	.futimens = img_futimens,
	.readdir = fsu_readdir,
};
