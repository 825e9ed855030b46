/*
 * hijack_syscall.c: syscall(2), through which some programs make file
 * system calls themselves (gnulib's renameat2 in patch, getdents64,
 * statx, close_range where the C library lacks them).  The calls of
 * Linux's file interface go to the wrapper of the same name, which
 * routes them as usual; every other number is the host's.  syscall's
 * convention (-1 and errno) is the wrappers' own, so each case is the
 * call itself; only getcwd differs (the system call returns a length).
 *
 * execve is not taken: librumpclient makes that system call itself,
 * through syscall(), when it execs for us.
 *
 * No state, no locking.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "hijack.h"

HOSTFN(long, syscall, (long, ...))

#define A(i, type)	((type)a[i])
#define S(i)		A(i, const char *)

HIJ_EXPORT long
syscall(long nr, ...)
{
	va_list ap;
	long a[6];
	char *cwd;
	int i;

	/* As glibc's: six arguments taken, whatever the call uses. */
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	switch (nr) {
	case SYS_read:
		return read(A(0, int), A(1, void *), A(2, size_t));
	case SYS_write:
		return write(A(0, int), A(1, const void *), A(2, size_t));
	case SYS_pread64:
		return pread(A(0, int), A(1, void *), A(2, size_t),
		    A(3, off_t));
	case SYS_pwrite64:
		return pwrite(A(0, int), A(1, const void *), A(2, size_t),
		    A(3, off_t));
	case SYS_readv:
		return readv(A(0, int), A(1, const struct iovec *),
		    A(2, int));
	case SYS_writev:
		return writev(A(0, int), A(1, const struct iovec *),
		    A(2, int));
	case SYS_lseek:
		return lseek(A(0, int), A(1, off_t), A(2, int));
	case SYS_close:
		return close(A(0, int));
#ifdef SYS_close_range
	case SYS_close_range:
		return close_range(A(0, unsigned int), A(1, unsigned int),
		    A(2, int));
#endif
	case SYS_dup:
		return dup(A(0, int));
#ifdef SYS_dup2
	case SYS_dup2:
		return dup2(A(0, int), A(1, int));
#endif
	case SYS_dup3:
		return dup3(A(0, int), A(1, int), A(2, int));
	case SYS_fcntl:
		return fcntl(A(0, int), A(1, int), A(2, void *));
	case SYS_flock:
		return flock(A(0, int), A(1, int));
	case SYS_fsync:
		return fsync(A(0, int));
	case SYS_fdatasync:
		return fdatasync(A(0, int));
	case SYS_ftruncate:
		return ftruncate(A(0, int), A(1, off_t));
	case SYS_truncate:
		return truncate(S(0), A(1, off_t));
#ifdef SYS_open
	case SYS_open:
		return open(S(0), A(1, int), A(2, mode_t));
#endif
#ifdef SYS_creat
	case SYS_creat:
		return creat(S(0), A(1, mode_t));
#endif
	case SYS_openat:
		return openat(A(0, int), S(1), A(2, int), A(3, mode_t));
#ifdef SYS_stat
	case SYS_stat:
		return stat(S(0), A(1, struct stat *));
#endif
#ifdef SYS_lstat
	case SYS_lstat:
		return lstat(S(0), A(1, struct stat *));
#endif
	case SYS_fstat:
		return fstat(A(0, int), A(1, struct stat *));
#ifdef SYS_newfstatat
	case SYS_newfstatat:
		return fstatat(A(0, int), S(1), A(2, struct stat *),
		    A(3, int));
#endif
	case SYS_statx:
		return statx(A(0, int), S(1), A(2, int), A(3, unsigned int),
		    A(4, struct statx *));
	case SYS_statfs:
		return statfs(S(0), A(1, struct statfs *));
	case SYS_fstatfs:
		return fstatfs(A(0, int), A(1, struct statfs *));
#ifdef SYS_access
	case SYS_access:
		return access(S(0), A(1, int));
#endif
	case SYS_faccessat:
		return faccessat(A(0, int), S(1), A(2, int), 0);
#ifdef SYS_faccessat2
	case SYS_faccessat2:
		return faccessat(A(0, int), S(1), A(2, int), A(3, int));
#endif
#ifdef SYS_mkdir
	case SYS_mkdir:
		return mkdir(S(0), A(1, mode_t));
#endif
	case SYS_mkdirat:
		return mkdirat(A(0, int), S(1), A(2, mode_t));
#ifdef SYS_rmdir
	case SYS_rmdir:
		return rmdir(S(0));
#endif
#ifdef SYS_unlink
	case SYS_unlink:
		return unlink(S(0));
#endif
	case SYS_unlinkat:
		return unlinkat(A(0, int), S(1), A(2, int));
#ifdef SYS_rename
	case SYS_rename:
		return rename(S(0), S(1));
#endif
#ifdef SYS_renameat
	case SYS_renameat:
		return renameat(A(0, int), S(1), A(2, int), S(3));
#endif
	case SYS_renameat2:
		return renameat2(A(0, int), S(1), A(2, int), S(3),
		    A(4, unsigned int));
#ifdef SYS_link
	case SYS_link:
		return link(S(0), S(1));
#endif
	case SYS_linkat:
		return linkat(A(0, int), S(1), A(2, int), S(3), A(4, int));
#ifdef SYS_symlink
	case SYS_symlink:
		return symlink(S(0), S(1));
#endif
	case SYS_symlinkat:
		return symlinkat(S(0), A(1, int), S(2));
#ifdef SYS_readlink
	case SYS_readlink:
		return readlink(S(0), A(1, char *), A(2, size_t));
#endif
	case SYS_readlinkat:
		return readlinkat(A(0, int), S(1), A(2, char *),
		    A(3, size_t));
#ifdef SYS_chmod
	case SYS_chmod:
		return chmod(S(0), A(1, mode_t));
#endif
	case SYS_fchmod:
		return fchmod(A(0, int), A(1, mode_t));
	case SYS_fchmodat:
		return fchmodat(A(0, int), S(1), A(2, mode_t), 0);
#ifdef SYS_chown
	case SYS_chown:
		return chown(S(0), A(1, uid_t), A(2, gid_t));
#endif
#ifdef SYS_lchown
	case SYS_lchown:
		return lchown(S(0), A(1, uid_t), A(2, gid_t));
#endif
	case SYS_fchown:
		return fchown(A(0, int), A(1, uid_t), A(2, gid_t));
	case SYS_fchownat:
		return fchownat(A(0, int), S(1), A(2, uid_t), A(3, gid_t),
		    A(4, int));
	case SYS_utimensat:
		return utimensat(A(0, int), S(1),
		    A(2, const struct timespec *), A(3, int));
#ifdef SYS_mknod
	case SYS_mknod:
		return mknod(S(0), A(1, mode_t), A(2, dev_t));
#endif
	case SYS_mknodat:
		return mknodat(A(0, int), S(1), A(2, mode_t), A(3, dev_t));
	case SYS_chdir:
		return chdir(S(0));
	case SYS_fchdir:
		return fchdir(A(0, int));
	case SYS_getcwd:
		if ((cwd = getcwd(A(0, char *), A(1, size_t))) == NULL)
			return -1;
		return (long)strlen(cwd) + 1;
	case SYS_getdents64:
		return getdents64(A(0, int), A(1, void *), A(2, size_t));
	case SYS_copy_file_range:
		return copy_file_range(A(0, int), A(1, off_t *), A(2, int),
		    A(3, off_t *), A(4, size_t), A(5, unsigned int));
	case SYS_sendfile:
		return sendfile(A(0, int), A(1, int), A(2, off_t *),
		    A(3, size_t));
	default:
		return get_syscall()(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}
