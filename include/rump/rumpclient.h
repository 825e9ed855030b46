/*
 * rumpclient.h: librumpclient, remote system calls to a rump kernel in
 * another process (rump_server) over sysproxy (docs/sysproxy.md).
 *
 * rumpclient_init() connects to the server named by $RUMP_SERVER and
 * makes this process a kernel process there; after it, the rump_sys_*
 * functions of <rump/rump_syscalls.h>, which librumpclient provides in
 * place of librump's, run in that kernel.  rumpclient_syscall() is the
 * one call they all go through.  Thread safe: one request at a time on
 * the connection for now.  See rumpclient(3).
 */
#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#include <stdint.h>

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

#ifdef __cplusplus
}
#endif
#endif /* _RUMP_RUMPCLIENT_H_ */
