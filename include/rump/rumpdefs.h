/*
 * rumpdefs.h: the rump kernel's own ABI, as seen from the host (rule 6).
 *
 * Errno values, clock ids, flag bits and struct layouts that cross the
 * public API.  They are the kernel's numbering, not the host's: the
 * kernel's own headers are built on these values, and host-side layers
 * translate at the edge.  The only types used are the compiler's
 * fixed-width builtins, so this header includes nothing and is shared,
 * unchanged, by the freestanding kernel and by host programs.
 */
#ifndef _RUMP_RUMPDEFS_H_
#define _RUMP_RUMPDEFS_H_

typedef __INT32_TYPE__		rump_pid_t;
typedef __UINT32_TYPE__		rump_uid_t;
typedef __UINT32_TYPE__		rump_gid_t;
typedef __UINT32_TYPE__		rump_mode_t;
typedef __INT64_TYPE__		rump_time_t;
typedef __INT64_TYPE__		rump_off_t;
typedef __INT64_TYPE__		rump_register_t;
typedef __INT32_TYPE__		rump_clockid_t;
typedef __SIZE_TYPE__		rump_size_t;
typedef __PTRDIFF_TYPE__		rump_ssize_t;

/* errno: the kernel's numbering. */
#define RUMP_EPERM		1	/* Operation not permitted */
#define RUMP_ENOENT		2	/* No such file or directory */
#define RUMP_ESRCH		3	/* No such process */
#define RUMP_EINTR		4	/* Interrupted system call */
#define RUMP_EIO		5	/* Input/output error */
#define RUMP_ENXIO		6	/* Device not configured */
#define RUMP_E2BIG		7	/* Argument list too long */
#define RUMP_ENOEXEC		8	/* Exec format error */
#define RUMP_EBADF		9	/* Bad file descriptor */
#define RUMP_ECHILD		10	/* No child processes */
#define RUMP_EDEADLK		11	/* Resource deadlock avoided */
#define RUMP_ENOMEM		12	/* Cannot allocate memory */
#define RUMP_EACCES		13	/* Permission denied */
#define RUMP_EFAULT		14	/* Bad address */
#define RUMP_ENOTBLK		15	/* Block device required */
#define RUMP_EBUSY		16	/* Device busy */
#define RUMP_EEXIST		17	/* File exists */
#define RUMP_EXDEV		18	/* Cross-device link */
#define RUMP_ENODEV		19	/* Operation not supported by device */
#define RUMP_ENOTDIR		20	/* Not a directory */
#define RUMP_EISDIR		21	/* Is a directory */
#define RUMP_EINVAL		22	/* Invalid argument */
#define RUMP_ENFILE		23	/* Too many open files in system */
#define RUMP_EMFILE		24	/* Too many open files */
#define RUMP_ENOTTY		25	/* Inappropriate ioctl for device */
#define RUMP_ETXTBSY		26	/* Text file busy */
#define RUMP_EFBIG		27	/* File too large */
#define RUMP_ENOSPC		28	/* No space left on device */
#define RUMP_ESPIPE		29	/* Illegal seek */
#define RUMP_EROFS		30	/* Read-only file system */
#define RUMP_EMLINK		31	/* Too many links */
#define RUMP_EPIPE		32	/* Broken pipe */
#define RUMP_EDOM		33	/* Numerical argument out of domain */
#define RUMP_ERANGE		34	/* Result too large */
#define RUMP_EAGAIN		35	/* Resource temporarily unavailable */
#define RUMP_EWOULDBLOCK	RUMP_EAGAIN
#define RUMP_EINPROGRESS	36	/* Operation now in progress */
#define RUMP_EALREADY		37	/* Operation already in progress */
#define RUMP_ENOTSOCK		38	/* Socket operation on non-socket */
#define RUMP_EDESTADDRREQ	39	/* Destination address required */
#define RUMP_EMSGSIZE		40	/* Message too long */
#define RUMP_EPROTOTYPE		41	/* Protocol wrong type for socket */
#define RUMP_ENOPROTOOPT	42	/* Protocol option not available */
#define RUMP_EPROTONOSUPPORT	43	/* Protocol not supported */
#define RUMP_ESOCKTNOSUPPORT	44	/* Socket type not supported */
#define RUMP_EOPNOTSUPP		45	/* Operation not supported */
#define RUMP_EPFNOSUPPORT	46	/* Protocol family not supported */
#define RUMP_EAFNOSUPPORT	47	/* Address family not supported */
#define RUMP_EADDRINUSE		48	/* Address already in use */
#define RUMP_EADDRNOTAVAIL	49	/* Can't assign requested address */
#define RUMP_ENETDOWN		50	/* Network is down */
#define RUMP_ENETUNREACH	51	/* Network is unreachable */
#define RUMP_ENETRESET		52	/* Network dropped connection on reset */
#define RUMP_ECONNABORTED	53	/* Software caused connection abort */
#define RUMP_ECONNRESET		54	/* Connection reset by peer */
#define RUMP_ENOBUFS		55	/* No buffer space available */
#define RUMP_EISCONN		56	/* Socket is already connected */
#define RUMP_ENOTCONN		57	/* Socket is not connected */
#define RUMP_ESHUTDOWN		58	/* Can't send after socket shutdown */
#define RUMP_ETOOMANYREFS	59	/* Too many references */
#define RUMP_ETIMEDOUT		60	/* Operation timed out */
#define RUMP_ECONNREFUSED	61	/* Connection refused */
#define RUMP_ELOOP		62	/* Too many levels of symbolic links */
#define RUMP_ENAMETOOLONG	63	/* File name too long */
#define RUMP_EHOSTDOWN		64	/* Host is down */
#define RUMP_EHOSTUNREACH	65	/* No route to host */
#define RUMP_ENOTEMPTY		66	/* Directory not empty */
#define RUMP_EPROCLIM		67	/* Too many processes */
#define RUMP_EUSERS		68	/* Too many users */
#define RUMP_EDQUOT		69	/* Disc quota exceeded */
#define RUMP_ESTALE		70	/* Stale file handle */
#define RUMP_ENOLCK		77	/* No locks available */
#define RUMP_ENOSYS		78	/* Function not implemented */
#define RUMP_EFTYPE		79	/* Inappropriate file type or format */
#define RUMP_EAUTH		80	/* Authentication error */
#define RUMP_EIDRM		82	/* Identifier removed */
#define RUMP_ENOMSG		83	/* No message of desired type */
#define RUMP_EOVERFLOW		84	/* Value too large for defined data type */
#define RUMP_EILSEQ		85	/* Illegal byte sequence */
#define RUMP_ENOTSUP		86	/* Not supported */
#define RUMP_ECANCELED		87	/* Operation canceled */
#define RUMP_EBADMSG		88	/* Bad or corrupt message */
#define RUMP_ENODATA		89	/* No message available */
#define RUMP_ETIME		92	/* Timer expired */
#define RUMP_ENOATTR		93	/* Attribute not found */
#define RUMP_EPROTO		96	/* Protocol error */
#define RUMP_ELAST		96

/* Clocks (clock_gettime). */
#define RUMP_CLOCK_REALTIME	0
#define RUMP_CLOCK_MONOTONIC	3

struct rump_timespec {
	rump_time_t	tv_sec;
	__INT64_TYPE__	tv_nsec;
};

/* uname */
#define RUMP_SYS_NMLN		256
struct rump_utsname {
	char	sysname[RUMP_SYS_NMLN];
	char	nodename[RUMP_SYS_NMLN];
	char	release[RUMP_SYS_NMLN];
	char	version[RUMP_SYS_NMLN];
	char	machine[RUMP_SYS_NMLN];
};

#define RUMP_NGROUPS		16	/* supplementary groups per process */

/* reboot(howto) */
#define RUMP_RB_AUTOBOOT	0x000	/* shut the kernel down, exit the host process */
#define RUMP_RB_HALT		0x008	/* shut the kernel down and return */
#define RUMP_RB_NOSYNC		0x004	/* do not flush file systems */

/* rump_lwproc_rfork() */
#define RUMP_RFFDG		0x01	/* child gets a copy of the descriptors */
#define RUMP_RFCFDG		0x02	/* child gets an empty descriptor table */

/*
 * sysctl: a read of kernel information by a name of integers.
 * Top level, then the node; see docs/syscalls.md.
 */
#define RUMP_CTL_KERN		1
#define  RUMP_KERN_OSTYPE	1	/* string: "anykernel" */
#define  RUMP_KERN_OSRELEASE	2	/* string: release */
#define  RUMP_KERN_VERSION	4	/* string: full version */
#define  RUMP_KERN_HOSTNAME	10	/* string, writable by root */
#define  RUMP_KERN_BOOTTIME	21	/* struct rump_timespec, wall clock */
#define  RUMP_KERN_COMPONENTS	100	/* string: "faction:name ..." booted */
#define  RUMP_KERN_BOOTNSEC	101	/* int64: ns spent inside rump_init() */
#define RUMP_CTL_VM		2
#define  RUMP_VM_KMEMSTATS	100	/* struct rump_kmemstat[] */
#define  RUMP_VM_KMEMUSED	101	/* uint64: bytes taken from the host */
#define  RUMP_VM_KMEMLIMIT	102	/* uint64: RUMP_MEMLIMIT, 0 if none */
#define RUMP_CTL_HW		6
#define  RUMP_HW_MACHINE	1	/* string: host machine type */
#define  RUMP_HW_NCPU		3	/* int: virtual CPUs */

/* One size class of the kernel memory allocator. */
struct rump_kmemstat {
	char		ks_name[16];	/* "kmem-64", "kmem-large" */
	__UINT64_TYPE__	ks_size;	/* object size; 0 for large */
	__UINT64_TYPE__	ks_allocs;	/* successful allocations */
	__UINT64_TYPE__	ks_frees;
	__UINT64_TYPE__	ks_inuse;	/* bytes handed out now */
	__UINT64_TYPE__	ks_host;	/* bytes this class holds from the host */
	__UINT64_TYPE__	ks_fails;	/* allocations refused */
};

/* ---- files (issue 3: VFS) ---- */

typedef __UINT64_TYPE__		rump_ino_t;
typedef __UINT64_TYPE__		rump_dev_t;
typedef __UINT32_TYPE__		rump_nlink_t;

/* open(2) flags */
#define RUMP_O_RDONLY		0x00000000
#define RUMP_O_WRONLY		0x00000001
#define RUMP_O_RDWR		0x00000002
#define RUMP_O_ACCMODE		0x00000003
#define RUMP_O_NONBLOCK		0x00000004
#define RUMP_O_APPEND		0x00000008
#define RUMP_O_CREAT		0x00000200
#define RUMP_O_TRUNC		0x00000400
#define RUMP_O_EXCL		0x00000800
#define RUMP_O_NOFOLLOW		0x00000100
#define RUMP_O_DIRECTORY	0x00200000
#define RUMP_O_CLOEXEC		0x00400000

/* *at() */
#define RUMP_AT_FDCWD		(-100)
#define RUMP_AT_SYMLINK_NOFOLLOW 0x200
#define RUMP_AT_REMOVEDIR	0x800
#define RUMP_AT_SYMLINK_FOLLOW	0x400
#define RUMP_AT_EACCESS		0x100

/* access(2) */
#define RUMP_F_OK		0
#define RUMP_X_OK		0x01
#define RUMP_W_OK		0x02
#define RUMP_R_OK		0x04

/* file types and modes */
#define RUMP_S_IFMT		0170000
#define RUMP_S_IFIFO		0010000
#define RUMP_S_IFCHR		0020000
#define RUMP_S_IFDIR		0040000
#define RUMP_S_IFBLK		0060000
#define RUMP_S_IFREG		0100000
#define RUMP_S_IFLNK		0120000
#define RUMP_S_IFSOCK		0140000
#define RUMP_S_ISUID		0004000
#define RUMP_S_ISGID		0002000
#define RUMP_S_ISVTX		0001000

struct rump_stat {
	rump_dev_t		st_dev;
	rump_ino_t		st_ino;
	rump_mode_t		st_mode;
	rump_nlink_t		st_nlink;
	rump_uid_t		st_uid;
	rump_gid_t		st_gid;
	rump_dev_t		st_rdev;
	rump_off_t		st_size;
	__INT64_TYPE__		st_blocks;	/* 512-byte units */
	__INT32_TYPE__		st_blksize;
	__UINT32_TYPE__		st_spare;
	struct rump_timespec	st_atim;
	struct rump_timespec	st_mtim;
	struct rump_timespec	st_ctim;
	struct rump_timespec	st_birthtim;
};

/* utimensat: special tv_nsec values */
#define RUMP_UTIME_NOW		((1L << 30) - 1)
#define RUMP_UTIME_OMIT		((1L << 30) - 2)

/* getdents: records of d_reclen bytes, each 8-byte aligned. */
#define RUMP_DT_UNKNOWN		0
#define RUMP_DT_FIFO		1
#define RUMP_DT_CHR		2
#define RUMP_DT_DIR		4
#define RUMP_DT_BLK		6
#define RUMP_DT_REG		8
#define RUMP_DT_LNK		10
#define RUMP_DT_SOCK		12
#define RUMP_MAXNAMLEN		255
struct rump_dirent {
	rump_ino_t		d_ino;
	rump_off_t		d_off;		/* cookie of the next record */
	__UINT16_TYPE__		d_reclen;
	__UINT16_TYPE__		d_namlen;
	__UINT8_TYPE__		d_type;
	char			d_name[];	/* NUL-terminated */
};

/* lseek */
#define RUMP_SEEK_SET		0
#define RUMP_SEEK_CUR		1
#define RUMP_SEEK_END		2
#define RUMP_SEEK_DATA		3
#define RUMP_SEEK_HOLE		4

/* fcntl */
#define RUMP_F_DUPFD		0
#define RUMP_F_GETFD		1
#define RUMP_F_SETFD		2
#define RUMP_F_GETFL		3
#define RUMP_F_SETFL		4
#define RUMP_F_GETLK		7
#define RUMP_F_SETLK		8
#define RUMP_F_SETLKW		9
#define RUMP_F_DUPFD_CLOEXEC	12
#define RUMP_FD_CLOEXEC		1
#define RUMP_F_RDLCK		1
#define RUMP_F_UNLCK		2
#define RUMP_F_WRLCK		3
struct rump_flock {
	rump_off_t		l_start;
	rump_off_t		l_len;		/* 0: to the end */
	rump_pid_t		l_pid;
	__INT16_TYPE__		l_type;		/* F_RDLCK ... */
	__INT16_TYPE__		l_whence;
};
/* flock(2) */
#define RUMP_LOCK_SH		0x01
#define RUMP_LOCK_EX		0x02
#define RUMP_LOCK_NB		0x04
#define RUMP_LOCK_UN		0x08

/* ioctl */
#define RUMP_FIONREAD		0x4004667f
#define RUMP_FIONBIO		0x8004667e

/* poll and select */
#define RUMP_POLLIN		0x0001
#define RUMP_POLLPRI		0x0002
#define RUMP_POLLOUT		0x0004
#define RUMP_POLLERR		0x0008
#define RUMP_POLLHUP		0x0010
#define RUMP_POLLNVAL		0x0020
#define RUMP_POLLRDNORM		0x0040
#define RUMP_POLLWRNORM		RUMP_POLLOUT
struct rump_pollfd {
	__INT32_TYPE__		fd;
	__INT16_TYPE__		events;
	__INT16_TYPE__		revents;
};
#define RUMP_FD_SETSIZE		256
typedef struct rump_fd_set {
	__UINT32_TYPE__		fds_bits[RUMP_FD_SETSIZE / 32];
} rump_fd_set;
#define RUMP_FD_SET(n, p)	((p)->fds_bits[(n) / 32] |= (1U << ((n) % 32)))
#define RUMP_FD_CLR(n, p)	((p)->fds_bits[(n) / 32] &= ~(1U << ((n) % 32)))
#define RUMP_FD_ISSET(n, p)	(((p)->fds_bits[(n) / 32] & (1U << ((n) % 32))) != 0)
#define RUMP_FD_ZERO(p)		__builtin_memset((p), 0, sizeof(*(p)))
struct rump_timeval {
	rump_time_t		tv_sec;
	__INT64_TYPE__		tv_usec;
};

/* statvfs */
struct rump_statvfs {
	__UINT64_TYPE__		f_bsize;
	__UINT64_TYPE__		f_frsize;
	__UINT64_TYPE__		f_blocks;
	__UINT64_TYPE__		f_bfree;
	__UINT64_TYPE__		f_bavail;
	__UINT64_TYPE__		f_files;
	__UINT64_TYPE__		f_ffree;
	__UINT64_TYPE__		f_favail;
	__UINT64_TYPE__		f_fsid;
	__UINT64_TYPE__		f_flag;		/* RUMP_MNT_* */
	__UINT64_TYPE__		f_namemax;
	char			f_fstypename[32];
	char			f_mntonname[256];
	char			f_mntfromname[256];
};

/* mount */
#define RUMP_MNT_RDONLY		0x00000001
#define RUMP_MNT_NOSUID		0x00000008
#define RUMP_MNT_NODEV		0x00000010
#define RUMP_MNT_FORCE		0x00080000	/* unmount: even if busy */
#define RUMP_MFSNAMELEN		32
/* tmpfs mount data */
struct rump_tmpfs_args {
	__UINT64_TYPE__		ta_size_max;	/* bytes, 0: no limit but kmem's */
	__UINT64_TYPE__		ta_nodes_max;	/* 0: no limit */
	rump_uid_t		ta_root_uid;
	rump_gid_t		ta_root_gid;
	rump_mode_t		ta_root_mode;
};

struct rump_iovec {
	void			*iov_base;
	rump_size_t		iov_len;
};
#define RUMP_IOV_MAX		1024
#define RUMP_PIPE_BUF		512	/* atomic pipe writes up to this */

#define RUMP_PATH_MAX		1024

/* ffs mount data: the block device (a path in the kernel's namespace,
 * e.g. one made by rump_etfs_register).  Read-only for now. */
struct rump_ffs_args {
	char			fa_fspec[RUMP_PATH_MAX];
};
#define RUMP_OPEN_MAX		128	/* descriptors per process */

#endif /* _RUMP_RUMPDEFS_H_ */
