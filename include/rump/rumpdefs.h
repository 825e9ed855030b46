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

#endif /* _RUMP_RUMPDEFS_H_ */
