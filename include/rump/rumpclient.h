/*
 * rumpclient.h: librumpclient, remote system calls to a rump kernel in
 * another process (rump_server) over sysproxy (docs/sysproxy.md).
 *
 * rumpclient_init() connects to the server named by $RUMP_SERVER and
 * makes this process a kernel process there; after it, the rump_sys_*
 * functions of <rump/rump_syscalls.h>, which librumpclient provides in
 * place of librump's, run in that kernel.  rumpclient_syscall() is the
 * one call they all go through.  Thread safe: several threads may have
 * calls in flight on one connection at once.  A client process may fork
 * (rumpclient_prefork, fork_init, fork_cancel, or rumpclient_fork) and
 * exec (rumpclient_exec) keeping its kernel process, as fork(2) and
 * execve(2) keep a process's descriptors; rumpclient_setconnretry sets
 * what happens when the connection to the server breaks.  See
 * rumpclient(3).
 */
#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0, or -1 with errno set. */
int	rumpclient_init(void);

/*
 * System call num with nargs argument words (pointers are this
 * process's addresses): 0 and rv[] set, or a host errno.
 */
int	rumpclient_syscall(int num, const uint64_t args[8], int nargs,
	    uint64_t rv[2]);

/*
 * As in the local API (rump/rump.h): rump_lwproc_rfork makes the client
 * a child process of its kernel process (RUMP_RFFDG: a copy of the
 * descriptors, RUMP_RFCFDG: none), on a connection of its own, until
 * rump_lwproc_releaselwp ends the child and returns to the parent.
 */
int	rump_lwproc_rfork(int flags);
void	rump_lwproc_releaselwp(void);

/*
 * fork(2) for a client: rumpclient_prefork, before the host's fork(),
 * has the server make a child of this client's kernel process (the
 * descriptor table copied as fork(2) says: open files shared, offsets
 * too) and park it.  In the host child, rumpclient_fork_init forgets
 * the parent's connections without sending anything on them, connects
 * anew and adopts the parked child; in the parent,
 * rumpclient_fork_cancel.  Either frees rpf.  A child never adopted is
 * discarded by the server after a while (rumpclient(3)).
 * rumpclient_fork does all three around fork().  The int functions
 * return 0 or -1 with errno set.
 */
struct rumpclient_fork;
int	rumpclient_prefork(struct rumpclient_fork **rpf);
int	rumpclient_fork_init(struct rumpclient_fork *rpf);
void	rumpclient_fork_cancel(struct rumpclient_fork *rpf);
pid_t	rumpclient_fork(void);

/*
 * execve(2) keeping the kernel process: the new image's
 * rumpclient_init() finds the same process (descriptors, cwd,
 * credentials); its close-on-exec descriptors are closed.  Returns only
 * on failure: -1 with errno set, the client as it was.
 */
int	rumpclient_exec(const char *path, char *const argv[],
	    char *const envp[]);

/*
 * What a broken connection does (the default is set by
 * $RUMPCLIENT_RETRYCONN at rumpclient_init(): none, once, forever or a
 * number of seconds): NONE, calls fail (EIO); ONCE, one attempt to
 * connect again; INFTIME, attempts until one works; timeout > 0, for
 * that many seconds.  A new connection is a NEW kernel process: the
 * old one's descriptors are gone.  0, or -1 with errno EINVAL.
 */
/*
 * 1 if fd is one of librumpclient's own connections to the server
 * (they sit at high descriptor numbers), else 0; for layers such as
 * librumphijack that close descriptors on a program's behalf.
 */
int	rumpclient_fd_ours(int fd);

#define RUMPCLIENT_RETRYCONN_NONE	0
#define RUMPCLIENT_RETRYCONN_ONCE	-1
#define RUMPCLIENT_RETRYCONN_INFTIME	-2
int	rumpclient_setconnretry(time_t timeout);

#ifdef __cplusplus
}
#endif
#endif /* _RUMP_RUMPCLIENT_H_ */
