/*
 * hijack_abi.c: the host's ABI (Linux, glibc) against the rump kernel's
 * (include/rump/rumpdefs.h), translated in one place (rule 6).  Every
 * flag and struct that crosses between a hijacked program and the
 * kernel goes through a function here; the two ABIs happen to share
 * some numbers, but nothing relies on it.  Errors need nothing here:
 * librumpclient already hands the host's errno back.
 *
 * Pure functions, no state, no locking.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hijack.h"

/* open(2) and F_SETFL flags, host -> rump: 0 or an errno. */
int
abi_oflags_in(int f, int *rp)
{
	int r = 0;

	if ((f & O_TMPFILE) == O_TMPFILE)
		return EOPNOTSUPP;
	switch (f & O_ACCMODE) {
	case O_RDONLY:
		r = RUMP_O_RDONLY;
		break;
	case O_WRONLY:
		r = RUMP_O_WRONLY;
		break;
	case O_RDWR:
		r = RUMP_O_RDWR;
		break;
	default:
		return EINVAL;
	}
	if (f & O_CREAT)
		r |= RUMP_O_CREAT;
	if (f & O_EXCL)
		r |= RUMP_O_EXCL;
	if (f & O_TRUNC)
		r |= RUMP_O_TRUNC;
	if (f & O_APPEND)
		r |= RUMP_O_APPEND;
	if (f & O_NONBLOCK)
		r |= RUMP_O_NONBLOCK;
	if (f & O_DIRECTORY)
		r |= RUMP_O_DIRECTORY;
	if (f & O_NOFOLLOW)
		r |= RUMP_O_NOFOLLOW;
	if (f & O_CLOEXEC)
		r |= RUMP_O_CLOEXEC;
	/*
	 * O_PATH opens for reading (the kernel has no path-only
	 * descriptors); O_NOCTTY, O_LARGEFILE, O_NOATIME, O_DIRECT and the
	 * O_*SYNC flags have no meaning there and are dropped.
	 */
	*rp = r;
	return 0;
}

/* F_GETFL's answer, rump -> host. */
int
abi_oflags_out(int r)
{
	int f;

	switch (r & RUMP_O_ACCMODE) {
	case RUMP_O_WRONLY:
		f = O_WRONLY;
		break;
	case RUMP_O_RDWR:
		f = O_RDWR;
		break;
	default:
		f = O_RDONLY;
		break;
	}
	if (r & RUMP_O_APPEND)
		f |= O_APPEND;
	if (r & RUMP_O_NONBLOCK)
		f |= O_NONBLOCK;
	return f;
}

/*
 * The *at() calls' symlink flags, host -> rump: 0 or EINVAL for a flag
 * the caller did not take out first (AT_REMOVEDIR, AT_EACCESS and
 * AT_EMPTY_PATH mean different things per call and are the callers').
 */
int
abi_atflags_in(int f, int *rp)
{
	int r = 0;

	if (f & AT_SYMLINK_NOFOLLOW)
		r |= RUMP_AT_SYMLINK_NOFOLLOW;
	if (f & AT_SYMLINK_FOLLOW)
		r |= RUMP_AT_SYMLINK_FOLLOW;
	f &= ~(AT_SYMLINK_NOFOLLOW | AT_SYMLINK_FOLLOW | AT_NO_AUTOMOUNT |
	    AT_STATX_SYNC_TYPE);
	if (f != 0)
		return EINVAL;
	*rp = r;
	return 0;
}

static mode_t
mode_out(uint32_t m)
{
	mode_t t;

	switch (m & RUMP_S_IFMT) {
	case RUMP_S_IFIFO:
		t = S_IFIFO;
		break;
	case RUMP_S_IFCHR:
		t = S_IFCHR;
		break;
	case RUMP_S_IFDIR:
		t = S_IFDIR;
		break;
	case RUMP_S_IFBLK:
		t = S_IFBLK;
		break;
	case RUMP_S_IFLNK:
		t = S_IFLNK;
		break;
	case RUMP_S_IFSOCK:
		t = S_IFSOCK;
		break;
	default:
		t = S_IFREG;
		break;
	}
	return t | (m & 07777);
}

/* The kernel's dev_t is major << 32 | minor. */
static dev_t
dev_out(uint64_t d)
{

	return makedev((unsigned int)(d >> 32), (unsigned int)d);
}

uint64_t
abi_dev_in(dev_t d)
{

	return (uint64_t)major(d) << 32 | minor(d);
}

void
abi_stat_out(const struct rump_stat *rs, struct stat *st)
{

	memset(st, 0, sizeof(*st));
	st->st_dev = dev_out(rs->st_dev);
	st->st_ino = rs->st_ino;
	st->st_mode = mode_out(rs->st_mode);
	st->st_nlink = rs->st_nlink;
	st->st_uid = rs->st_uid;
	st->st_gid = rs->st_gid;
	st->st_rdev = dev_out(rs->st_rdev);
	st->st_size = rs->st_size;
	st->st_blocks = rs->st_blocks;
	st->st_blksize = rs->st_blksize;
	st->st_atim.tv_sec = rs->st_atim.tv_sec;
	st->st_atim.tv_nsec = rs->st_atim.tv_nsec;
	st->st_mtim.tv_sec = rs->st_mtim.tv_sec;
	st->st_mtim.tv_nsec = rs->st_mtim.tv_nsec;
	st->st_ctim.tv_sec = rs->st_ctim.tv_sec;
	st->st_ctim.tv_nsec = rs->st_ctim.tv_nsec;
}

/* statx(2): everything the kernel knows, whatever the mask asked. */
void
abi_statx_out(const struct rump_stat *rs, unsigned int mask, void *p)
{
	struct statx *sx = p;

	(void)mask;
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS | STATX_BTIME;
	sx->stx_blksize = (uint32_t)rs->st_blksize;
	sx->stx_nlink = rs->st_nlink;
	sx->stx_uid = rs->st_uid;
	sx->stx_gid = rs->st_gid;
	sx->stx_mode = (uint16_t)mode_out(rs->st_mode);
	sx->stx_ino = rs->st_ino;
	sx->stx_size = (uint64_t)rs->st_size;
	sx->stx_blocks = (uint64_t)rs->st_blocks;
	sx->stx_atime.tv_sec = rs->st_atim.tv_sec;
	sx->stx_atime.tv_nsec = (uint32_t)rs->st_atim.tv_nsec;
	sx->stx_btime.tv_sec = rs->st_birthtim.tv_sec;
	sx->stx_btime.tv_nsec = (uint32_t)rs->st_birthtim.tv_nsec;
	sx->stx_ctime.tv_sec = rs->st_ctim.tv_sec;
	sx->stx_ctime.tv_nsec = (uint32_t)rs->st_ctim.tv_nsec;
	sx->stx_mtime.tv_sec = rs->st_mtim.tv_sec;
	sx->stx_mtime.tv_nsec = (uint32_t)rs->st_mtim.tv_nsec;
	sx->stx_rdev_major = (uint32_t)(rs->st_rdev >> 32);
	sx->stx_rdev_minor = (uint32_t)rs->st_rdev;
	sx->stx_dev_major = (uint32_t)(rs->st_dev >> 32);
	sx->stx_dev_minor = (uint32_t)rs->st_dev;
}

static unsigned long
mntflags_out(uint64_t r)
{
	unsigned long f = 0;

	if (r & RUMP_MNT_RDONLY)
		f |= ST_RDONLY;
	if (r & RUMP_MNT_NOSUID)
		f |= ST_NOSUID;
	if (r & RUMP_MNT_NODEV)
		f |= ST_NODEV;
	return f;
}

void
abi_statvfs_out(const struct rump_statvfs *rv, struct statvfs *sv)
{

	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = rv->f_bsize;
	sv->f_frsize = rv->f_frsize;
	sv->f_blocks = rv->f_blocks;
	sv->f_bfree = rv->f_bfree;
	sv->f_bavail = rv->f_bavail;
	sv->f_files = rv->f_files;
	sv->f_ffree = rv->f_ffree;
	sv->f_favail = rv->f_favail;
	sv->f_fsid = rv->f_fsid;
	sv->f_flag = mntflags_out(rv->f_flag);
	sv->f_namemax = rv->f_namemax;
}

/*
 * statfs(2) names the file system by a magic number, and programs ask
 * it what Linux's own file system of that type would do: tail -f
 * watches a known local type with inotify and polls anything else,
 * fts trusts a known type's link counts.  A rump kernel's file system
 * does what none of Linux's does (the host cannot watch it; it lives
 * in another process), so every type gets a number of its own
 * ("rump"), which such programs treat as unknown and remote: tail -f
 * polls, as it must.  stat -f then shows the number, not a name.
 */
#define RUMP_FS_MAGIC	0x72756d70

void
abi_statfs_out(const struct rump_statvfs *rv, struct statfs *sf)
{
	/* Linux's "f_flags are valid" bit, which glibc does not name. */
	const long st_valid = 0x0020;

	memset(sf, 0, sizeof(*sf));
	sf->f_type = RUMP_FS_MAGIC;
	sf->f_bsize = (long)rv->f_bsize;
	sf->f_frsize = (long)rv->f_frsize;
	sf->f_blocks = rv->f_blocks;
	sf->f_bfree = rv->f_bfree;
	sf->f_bavail = rv->f_bavail;
	sf->f_files = rv->f_files;
	sf->f_ffree = rv->f_ffree;
	memcpy(&sf->f_fsid, &rv->f_fsid, sizeof(sf->f_fsid) <
	    sizeof(rv->f_fsid) ? sizeof(sf->f_fsid) : sizeof(rv->f_fsid));
	sf->f_namelen = (long)rv->f_namemax;
	sf->f_flags = (long)mntflags_out(rv->f_flag) | st_valid;
}

/* struct flock, host -> rump: 0 or EINVAL. */
int
abi_flock_in(const void *p, struct rump_flock *rl)
{
	const struct flock *fl = p;

	memset(rl, 0, sizeof(*rl));
	switch (fl->l_type) {
	case F_RDLCK:
		rl->l_type = RUMP_F_RDLCK;
		break;
	case F_WRLCK:
		rl->l_type = RUMP_F_WRLCK;
		break;
	case F_UNLCK:
		rl->l_type = RUMP_F_UNLCK;
		break;
	default:
		return EINVAL;
	}
	if ((rl->l_whence = (int16_t)abi_whence_in(fl->l_whence)) < 0)
		return EINVAL;
	rl->l_start = fl->l_start;
	rl->l_len = fl->l_len;
	rl->l_pid = fl->l_pid;
	return 0;
}

void
abi_flock_out(const struct rump_flock *rl, void *p)
{
	struct flock *fl = p;

	switch (rl->l_type) {
	case RUMP_F_RDLCK:
		fl->l_type = F_RDLCK;
		break;
	case RUMP_F_WRLCK:
		fl->l_type = F_WRLCK;
		break;
	default:
		fl->l_type = F_UNLCK;
		break;
	}
	fl->l_whence = SEEK_SET;
	if (rl->l_whence == RUMP_SEEK_CUR)
		fl->l_whence = SEEK_CUR;
	else if (rl->l_whence == RUMP_SEEK_END)
		fl->l_whence = SEEK_END;
	fl->l_start = rl->l_start;
	fl->l_len = rl->l_len;
	fl->l_pid = rl->l_pid;
}

/* lseek's whence, host -> rump: the rump value or -1. */
int
abi_whence_in(int w)
{

	switch (w) {
	case SEEK_SET:
		return RUMP_SEEK_SET;
	case SEEK_CUR:
		return RUMP_SEEK_CUR;
	case SEEK_END:
		return RUMP_SEEK_END;
	case SEEK_DATA:
		return RUMP_SEEK_DATA;
	case SEEK_HOLE:
		return RUMP_SEEK_HOLE;
	default:
		return -1;
	}
}

short
abi_poll_in(short e)
{
	short r = 0;

	if (e & POLLIN)
		r |= RUMP_POLLIN;
	if (e & POLLPRI)
		r |= RUMP_POLLPRI;
	if (e & (POLLOUT | POLLWRNORM))
		r |= RUMP_POLLOUT;
	if (e & POLLRDNORM)
		r |= RUMP_POLLRDNORM;
	return r;
}

/* What the kernel returned; the caller masks it with what was asked. */
short
abi_poll_out(short r)
{
	short e = 0;

	if (r & RUMP_POLLIN)
		e |= POLLIN;
	if (r & RUMP_POLLPRI)
		e |= POLLPRI;
	if (r & RUMP_POLLOUT)
		e |= POLLOUT | POLLWRNORM;
	if (r & RUMP_POLLRDNORM)
		e |= POLLRDNORM;
	if (r & RUMP_POLLERR)
		e |= POLLERR;
	if (r & RUMP_POLLHUP)
		e |= POLLHUP;
	if (r & RUMP_POLLNVAL)
		e |= POLLNVAL;
	return e;
}

/* utimensat's times: UTIME_NOW and UTIME_OMIT have values of their own. */
int
abi_timespec_in(const struct timespec *ts, struct rump_timespec *rts)
{

	rts->tv_sec = ts->tv_sec;
	if (ts->tv_nsec == UTIME_NOW)
		rts->tv_nsec = RUMP_UTIME_NOW;
	else if (ts->tv_nsec == UTIME_OMIT)
		rts->tv_nsec = RUMP_UTIME_OMIT;
	else if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return EINVAL;
	else
		rts->tv_nsec = ts->tv_nsec;
	return 0;
}

static int
dtype_out(int t)
{

	switch (t) {
	case RUMP_DT_FIFO:
		return DT_FIFO;
	case RUMP_DT_CHR:
		return DT_CHR;
	case RUMP_DT_DIR:
		return DT_DIR;
	case RUMP_DT_BLK:
		return DT_BLK;
	case RUMP_DT_REG:
		return DT_REG;
	case RUMP_DT_LNK:
		return DT_LNK;
	case RUMP_DT_SOCK:
		return DT_SOCK;
	default:
		return DT_UNKNOWN;
	}
}

/*
 * The getdents record at buf[*pos] (len bytes in all) as a struct
 * dirent64, *pos moved past it: 0, or EIO for a record that does not
 * fit, is too short for its name, or has no NUL where its length says.
 * The server's bytes are checked before anything is trusted.
 */
int
abi_dirent_out(const char *buf, size_t len, size_t *pos,
    struct dirent64 *de)
{
	const size_t hdr = offsetof(struct rump_dirent, d_name);
	struct rump_dirent rd;
	size_t namlen;

	if (*pos > len || len - *pos < hdr)
		return EIO;
	/* buf is a char buffer: copy the header out, aligned. */
	memcpy(&rd, buf + *pos, hdr);
	if (rd.d_reclen < hdr + 1 || rd.d_reclen > len - *pos)
		return EIO;
	namlen = rd.d_namlen;
	if (namlen >= rd.d_reclen - hdr || namlen >= sizeof(de->d_name) ||
	    buf[*pos + hdr + namlen] != '\0')
		return EIO;
	de->d_ino = rd.d_ino;
	de->d_off = rd.d_off;
	de->d_reclen = sizeof(*de);
	de->d_type = (unsigned char)dtype_out(rd.d_type);
	memcpy(de->d_name, buf + *pos + hdr, namlen + 1);
	*pos += rd.d_reclen;
	return 0;
}
