/*
 * h_remote_exec.c: the new image in t_remote_fork's exec tests, started
 * by rumpclient_exec().  Not a test of its own (make check builds it,
 * prove does not run it).
 *
 *	h_remote_exec kpid fd cloexec-fd gid
 *
 * rumpclient_init() must find the old image's kernel process: getpid()
 * is kpid, the credentials (gid) and the working directory are kept,
 * descriptor fd is open on the file the old image wrote "exec me" to
 * (its offset after it), and cloexec-fd, opened with O_CLOEXEC, is
 * gone.  Exit status: 0 all of that held, otherwise the first check
 * that failed (1 init ... 7), 64 for usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

int
main(int argc, char **argv)
{
	char buf[16];
	int fd, cfd;

	if (argc != 5) {
		fprintf(stderr,
		    "usage: h_remote_exec kpid fd cloexec-fd gid\n");
		return 64;
	}
	fd = atoi(argv[2]);
	cfd = atoi(argv[3]);
	if (rumpclient_init() != 0) {
		fprintf(stderr, "h_remote_exec: rumpclient_init: %s\n",
		    strerror(errno));
		return 1;
	}
	if (getenv("RUMPCLIENT__EXECFD") != NULL)
		return 2;	/* our own children must not see it */
	if (rump_sys_getpid() != atoi(argv[1]))
		return 3;
	if (rump_sys_getgid() != (rump_gid_t)atoi(argv[4]))
		return 4;
	/* The descriptor and its offset survive the exec. */
	memset(buf, 0, sizeof(buf));
	if (rump_sys_lseek(fd, 0, RUMP_SEEK_CUR) != 7 ||
	    rump_sys_pread(fd, buf, sizeof(buf), 0) != 7 ||
	    strcmp(buf, "exec me") != 0)
		return 5;
	if (rump_sys_fcntl(cfd, RUMP_F_GETFD, 0) != -1 || errno != EBADF)
		return 6;
	/* The working directory: the old image chdir'd to /xd. */
	if (rump_sys_access("marker", RUMP_F_OK) != 0)
		return 7;
	return 0;
}
