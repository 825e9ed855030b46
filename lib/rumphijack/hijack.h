/*
 * hijack.h: librumphijack's private interface, shared by its files.
 *
 *	hijack.c	start-up, configuration, the descriptor map, path
 *			routing, and the wrappers of plain file calls
 *	hijack_abi.c	host <-> rump ABI translation: flags, structs
 *			(the one place where the two ABIs meet)
 *	hijack_dir.c	directory streams (opendir ...) and stdio streams
 *			(fopen ...) on the rump kernel's files
 *	hijack_poll.c	poll and select over both kernels' descriptors
 *	hijack_proc.c	fork, vfork and the exec family
 *	hijack_libc.c	libc functions whose glibc versions make internal
 *			calls: realpath, scandir, nftw, glob
 *	hijack_io.c	file data moved without read and write: mmap,
 *			sendfile, splice
 *	hijack_spawn.c	posix_spawn, system and popen as fork and exec
 *	hijack_syscall.c syscall(2) of the file calls, to their wrappers
 *
 * Descriptors.  A rump descriptor reaches the program as a host
 * descriptor number: a placeholder (an O_PATH descriptor of "/") holds
 * the number in the host's table, so the two kernels' numbers never
 * collide, select's fd_sets stay small, and a call we do not wrap fails
 * on the placeholder (EBADF) instead of touching a host file.
 * hij_fdmap[] says which host numbers stand for which rump descriptor;
 * a placeholder's FD_CLOEXEC follows its rump descriptor's, so exec
 * keeps exactly the placeholders whose descriptors the server keeps.
 *
 * Locking: hij_fdlock serialises changes to hij_fdmap (open, close,
 * dup); lookups read an entry atomically without it.  hij_cwd_rump is
 * read and written atomically (cwd_rump(), set_cwd_rump()): chdir in
 * one thread and a relative open in another race as they do in any
 * process.  Everything else is set at start-up.
 */
#ifndef _HIJACK_H_
#define _HIJACK_H_

#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <rump/rumpdefs.h>

#define HIJ_NFD		4096	/* host numbers that may stand for rump */
/* One call's data goes in one message (SP_MAXDATA); reads may be short. */
#define HIJ_MAXIO	(8u * 1024 * 1024)
#define HIJ_EXPORT	__attribute__((visibility("default")))

/* hijack.c */
extern pthread_mutex_t	hij_fdlock;
extern bool		hij_connected;	/* to a server: rump calls can work */

int	hij_rfd(int);			/* rump fd behind a host number, or -1 */
int	hij_mapfd(int, int, int, bool);	/* placeholder for a rump fd */
void	hij_unmapfd(int);
char	*hij_state_export(void);	/* for exec: malloc'd NAME=VALUE */
void	hij_state_import(void);

/*
 * Where a path goes.  hij_route() returns true for the rump kernel,
 * with *rpath the path there (the prefix taken off) and *rdirfd the
 * rump directory descriptor a relative path starts from.
 */
bool	hij_route(int, const char *, const char **, int *);
#define hij_route_path(p, rp)	hij_route(AT_FDCWD, (p), (rp), NULL)
int	hij_prefix_out(const char *, char *, size_t);	/* rump -> ours */

/*
 * The host's own functions: the next definition after ours in the
 * dynamic linker's order, looked up on first use.
 */
void	*hij_host(const char *);
#define HOSTFN(type, name, args)					\
	static type (*host_##name) args;				\
	static inline type (*get_##name(void)) args			\
	{								\
		if (host_##name == NULL)				\
			host_##name = (type (*) args)hij_host(#name);	\
		return host_##name;					\
	}

/*
 * glibc's own entry points that programs built with _FORTIFY_SOURCE
 * call instead of the plain ones; its headers do not declare them.
 */
int	__open_2(const char *, int);
int	__open64_2(const char *, int);
int	__openat_2(int, const char *, int);
int	__openat64_2(int, const char *, int);
ssize_t	__read_chk(int, void *, size_t, size_t);
ssize_t	__pread_chk(int, void *, size_t, off_t, size_t);
ssize_t	__pread64_chk(int, void *, size_t, off_t, size_t);
int	__poll_chk(struct pollfd *, nfds_t, int, size_t);
int	__ppoll_chk(struct pollfd *, nfds_t, const struct timespec *,
	    const sigset_t *, size_t);
char	*__getwd_chk(char *, size_t);
ssize_t	__readlink_chk(const char *, char *, size_t, size_t);
ssize_t	__readlinkat_chk(int, const char *, char *, size_t, size_t);
char	*__getcwd_chk(char *, size_t, size_t);
char	*__realpath_chk(const char *, char *, size_t);

/* glibc's stat and mknod before 2.33, still called by older programs. */
int	__xstat(int, const char *, struct stat *);
int	__xstat64(int, const char *, struct stat64 *);
int	__lxstat(int, const char *, struct stat *);
int	__lxstat64(int, const char *, struct stat64 *);
int	__fxstat(int, int, struct stat *);
int	__fxstat64(int, int, struct stat64 *);
int	__fxstatat(int, int, const char *, struct stat *, int);
int	__fxstatat64(int, int, const char *, struct stat64 *, int);
int	__xmknod(int, const char *, mode_t, dev_t *);
int	__xmknodat(int, int, const char *, mode_t, dev_t *);

/* hijack_dir.c */
void	hij_stdio_adopt(int);

/* hijack_abi.c */
int	abi_oflags_in(int, int *);
int	abi_oflags_out(int);
int	abi_atflags_in(int, int *);
void	abi_stat_out(const struct rump_stat *, struct stat *);
void	abi_statx_out(const struct rump_stat *, unsigned int, void *);
void	abi_statvfs_out(const struct rump_statvfs *, struct statvfs *);
void	abi_statfs_out(const struct rump_statvfs *, struct statfs *);
int	abi_flock_in(const void *, struct rump_flock *);
void	abi_flock_out(const struct rump_flock *, void *);
int	abi_whence_in(int);
short	abi_poll_in(short);
short	abi_poll_out(short);
int	abi_timespec_in(const struct timespec *, struct rump_timespec *);
int	abi_dirent_out(const char *, size_t, size_t *, struct dirent64 *);
uint64_t abi_dev_in(dev_t);

#endif /* _HIJACK_H_ */
