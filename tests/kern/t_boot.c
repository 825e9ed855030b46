/*
 * t_boot.c: booting and shutting down.  Components attach in faction
 * order whatever order they were linked in, and detach in reverse at
 * reboot; a second rump_init() is harmless; concurrent first calls all
 * see one boot; a panic ends the process through the hypercall exit;
 * and 1,000 fresh processes in a row each boot successfully.
 */
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../ktest.h"
#include "../subr.h"

extern char **environ;

static void
panic_child(void *arg)
{

	(void)arg;
	if (rump_init() != 0)
		_exit(3);
	rump_ktest_panic();
}

static void *
init_thread(void *arg)
{

	*(int *)arg = rump_init();
	return NULL;
}

static void
concurrent_child(void *arg)
{
	pthread_t t[8];
	int rv[8], i;

	(void)arg;
	for (i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, init_thread, &rv[i]);
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		if (rv[i] != 0)
			_exit(1);
	}
	/* Exactly one boot: the components attached once. */
	_exit(strcmp(rump_ktest_complog, " +kern +dev +vfs +net") == 0 ? 0 : 2);
}

static void
exit_child(void *arg)
{

	(void)arg;
	if (rump_init() != 0)
		_exit(3);
	rump_reboot(RUMP_RB_AUTOBOOT);
	_exit(4);	/* not reached: reboot without HALT exits */
}

static int
thousand_boots(const char *helper)
{
	char *argv[] = { (char *)helper, NULL };
	int i, status, good = 0;
	pid_t pid;

	for (i = 0; i < 1000; i++) {
		if (posix_spawn(&pid, helper, NULL, NULL, argv, environ) != 0)
			break;
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			good++;
	}
	return good;
}

int
main(int argc, char **argv)
{
	struct child_result res;
	char comps[256], helper[4096], *slash;
	int name[2] = { RUMP_CTL_KERN, RUMP_KERN_COMPONENTS }, n;
	size_t len = sizeof(comps);

	(void)argc;
	ok(rump_sys_getpid() == -1 && errno == ENXIO,
	    "a system call before rump_init fails with ENXIO");

	child_run(concurrent_child, NULL, &res);
	ok(res.exited == 0, "8 threads calling rump_init at once: one boot, "
	    "all succeed (status %d)", res.exited);

	if (!ok(rump_init() == 0, "rump_init"))
		return tap_done();
	ok(strcmp(rump_ktest_complog, " +kern +dev +vfs +net") == 0,
	    "components attach in faction order: \"%s\"", rump_ktest_complog);
	ok(rump_sys_sysctl(name, 2, comps, &len, NULL, 0) == 0 &&
	    strcmp(comps, "kern:ktest_kern dev:ktest_dev vfs:ktest_vfs "
	    "net:ktest_net") == 0, "kern.components: \"%s\"", comps);
	ok(rump_init() == 0, "a second rump_init is harmless");
	ok(strcmp(rump_ktest_complog, " +kern +dev +vfs +net") == 0,
	    "... and attaches nothing again");
	ok(rump_boot_nsec() > 0, "rump_boot_nsec: %lld ns",
	    (long long)rump_boot_nsec());

	child_run(panic_child, NULL, &res);
	ok(res.signal == SIGABRT &&
	    strstr(res.err, "panic: ktest: deliberate panic 42") != NULL,
	    "panic prints its message and aborts (signal %d)", res.signal);
	child_run(exit_child, NULL, &res);
	ok(res.exited == 0, "reboot without RB_HALT exits the process with "
	    "status 0 (status %d)", res.exited);

	/* Non-root may not reboot. */
	rump_lwproc_rfork(0);
	rump_sys_setuid(1000);
	ok(rump_reboot(RUMP_RB_HALT) == -1 && errno == EPERM,
	    "reboot as uid 1000: EPERM");
	rump_lwproc_releaselwp();

	ok(rump_reboot(RUMP_RB_HALT) == 0, "reboot with RB_HALT returns");
	ok(strcmp(rump_ktest_complog,
	    " +kern +dev +vfs +net -net -vfs -dev -kern") == 0,
	    "components detach in reverse order: \"%s\"",
	    rump_ktest_complog);
	ok(rump_sys_getpid() == -1 && errno == ENXIO,
	    "after shutdown, system calls fail with ENXIO");
	ok(rump_init() == -1 && errno == EBUSY,
	    "rump_init after shutdown: EBUSY");

	snprintf(helper, sizeof(helper), "%s", argv[0]);
	if ((slash = strrchr(helper, '/')) != NULL)
		slash[1] = '\0';
	else
		helper[0] = '\0';
	strncat(helper, "h_boot", sizeof(helper) - strlen(helper) - 1);
	n = thousand_boots(helper);
	ok(n == 1000, "1000 boots in fresh processes: %d succeeded", n);
	return tap_done();
}
