/*
 * h_boot.c: a helper for t_boot: boot a kernel, make one system call,
 * exit 0 if both worked.  Runs as a fresh process each time.
 */
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

int
main(void)
{

	if (rump_init() != 0)
		return 1;
	if (rump_sys_getpid() != 1)
		return 2;
	return 0;
}
