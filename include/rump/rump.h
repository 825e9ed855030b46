/*
 * rump.h: the public API of a local rump kernel.
 *
 * A program links librump (the kernel core), the component libraries it
 * wants and a hypercall library (librumpuser), then calls rump_init().
 * System calls are the rump_sys_* functions of <rump/rump_syscalls.h>;
 * like them, the int functions here return 0, or -1 with the host's
 * errno set (in the host's numbering).
 *
 * Threads: any host thread may call in at any time.  A thread that has
 * not been given a kernel thread (LWP) gets one implicitly, in the
 * default process (pid 1), released when the host thread exits.  The
 * rump_lwproc_* calls give a thread its own process and identity.
 *
 * Like rumpdefs.h, this header includes nothing but our own headers.
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <rump/rumpdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lwp;

/* Boot the kernel and every component linked in or dlopen()ed before.
 * A second call is harmless and returns 0. */
int	rump_init(void);

/* Shut the kernel down: detach components in reverse order, stop the
 * kernel threads.  RUMP_RB_HALT returns; otherwise the process exits. */
int	rump_reboot(int howto);

/* Nanoseconds the last rump_init() spent booting. */
__INT64_TYPE__ rump_boot_nsec(void);

/*
 * Process contexts (the lwproc calls).
 *
 * rump_lwproc_rfork: create a child of the current process, with its
 * own credentials (copied), and switch the calling thread to its LWP.
 * rump_lwproc_newlwp: a new LWP in an existing process pid; the thread
 * switches to it.  rump_lwproc_switch: bind the calling thread to l
 * (NULL: to no LWP; the next call in gets an implicit one).
 * rump_lwproc_releaselwp: release the thread's LWP; when it was the last
 * LWP of its process, the process exits.
 */
int	rump_lwproc_rfork(int flags);
int	rump_lwproc_newlwp(rump_pid_t pid);
void	rump_lwproc_switch(struct lwp *l);
void	rump_lwproc_releaselwp(void);
struct lwp *rump_lwproc_curlwp(void);
/*
 * rump_lwproc_interrupt: the current process is going away: every
 * interruptible sleep of its LWPs (pipe, FIFO, poll/select, lock waits,
 * nanosleep) ends with EINTR, now and from then on.
 */
void	rump_lwproc_interrupt(void);

/* Enter and leave the kernel by hand, for code that calls kernel
 * interfaces directly (component tests).  rump_sys_* do this themselves. */
void	rump_schedule(void);
void	rump_unschedule(void);

/*
 * Host files as kernel block devices (etfs, in librumpdev_etfs, which
 * needs librumpvfs).  rump_etfs_register makes device node key (a path
 * in the kernel's file system, e.g. "/dev/disk0") backed by host file
 * hostpath, whose size is the device's.  RUMP_ETFS_BLK_RO refuses
 * writes (EROFS).  rump_etfs_remove removes the node; EBUSY while the
 * device is open.
 */
#define RUMP_ETFS_BLK		1
#define RUMP_ETFS_BLK_RO	2
int	rump_etfs_register(const char *key, const char *hostpath, int type);
int	rump_etfs_remove(const char *key);

#ifdef __cplusplus
}
#endif

/*
 * rump_syscall: system call num with its arguments as nargs 64-bit
 * slots (pointers in this process), as a proxy such as rump_server
 * makes them on a client's behalf.  Returns the kernel's errno
 * (RUMP_E*, to be forwarded as is) or 0, with the return values in rv.
 */
int	rump_syscall(int num, const __UINT64_TYPE__ *args, int nargs,
	    __UINT64_TYPE__ *rv);

#endif /* _RUMP_RUMP_H_ */
