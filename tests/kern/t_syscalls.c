/*
 * t_syscalls.c: the process and identity system calls, time, uname and
 * sysctl through rump_sys_*, the lwproc calls, implicit LWPs, and the
 * translation of kernel errors into the host's errno.
 */
#include <sys/utsname.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rumpuser.h>
#include "../subr.h"

#define FAILS(call, err)	((call) == -1 && errno == (err))

static void
test_identity(void)
{
	rump_gid_t g[RUMP_NGROUPS + 1] = { 10, 20, 30 };
	struct lwp *parent;

	ok(rump_sys_getpid() == 1 && rump_sys_getppid() == 0,
	    "the program runs as pid 1, child of the kernel");
	ok(rump_sys_getuid() == 0 && rump_sys_geteuid() == 0 &&
	    rump_sys_getgid() == 0 && rump_sys_getegid() == 0,
	    "as root");
	ok(rump_sys_umask(077) == 022 && rump_sys_umask(01777) == 077 &&
	    rump_sys_umask(022) == 0777, "umask returns the old mask, keeps "
	    "only permission bits");

	ok(rump_sys_setgroups(3, g) == 0, "setgroups(3) as root");
	ok(rump_sys_getgroups(0, NULL) == 3, "getgroups(0) counts 3");
	memset(g, 0, sizeof(g));
	ok(rump_sys_getgroups(RUMP_NGROUPS, g) == 3 && g[0] == 10 &&
	    g[1] == 20 && g[2] == 30, "getgroups returns them");
	ok(FAILS(rump_sys_getgroups(2, g), EINVAL), "getgroups too small: "
	    "EINVAL");
	ok(FAILS(rump_sys_getgroups(3, NULL), EFAULT), "getgroups NULL: "
	    "EFAULT");
	ok(FAILS(rump_sys_setgroups(RUMP_NGROUPS + 1, g), EINVAL),
	    "setgroups(NGROUPS + 1): EINVAL");
	ok(FAILS(rump_sys_setgroups(-1, g), EINVAL), "setgroups(-1): EINVAL");

	/* A process of our own, with its own credentials. */
	parent = rump_lwproc_curlwp();
	ok(parent == NULL, "an implicit LWP is not reported as curlwp");
	ok(rump_lwproc_rfork(RUMP_RFFDG) == 0, "rfork");
	ok(rump_sys_getpid() > 1 && rump_sys_getppid() == 1,
	    "child pid %d, parent 1", (int)rump_sys_getpid());
	ok(rump_lwproc_curlwp() != NULL, "rfork gives an explicit LWP");
	ok(rump_sys_getgroups(0, NULL) == 3, "child inherits the groups");
	ok(rump_sys_seteuid(1000) == 0 && rump_sys_geteuid() == 1000 &&
	    rump_sys_getuid() == 0, "root seteuid(1000): only euid changes");
	ok(FAILS(rump_sys_setgroups(1, g), EPERM), "setgroups as euid 1000: "
	    "EPERM");
	ok(FAILS(rump_sys_seteuid(2000), EPERM), "seteuid(2000) as euid "
	    "1000: EPERM");
	ok(rump_sys_seteuid(0) == 0 && rump_sys_geteuid() == 0,
	    "seteuid back to the real/saved id 0");
	ok(rump_sys_setgid(100) == 0 && rump_sys_getgid() == 100 &&
	    rump_sys_getegid() == 100, "setgid(100) as root sets both");
	ok(rump_sys_setuid(1000) == 0 && rump_sys_getuid() == 1000 &&
	    rump_sys_geteuid() == 1000, "setuid(1000) as root sets both");
	ok(FAILS(rump_sys_setuid(0), EPERM) && FAILS(rump_sys_seteuid(0),
	    EPERM), "no way back to root");
	ok(FAILS(rump_sys_setgid(0), EPERM), "setgid(0) as uid 1000: EPERM");
	ok(rump_sys_setuid(1000) == 0, "setuid to its own uid is allowed");
	rump_lwproc_releaselwp();
	ok(rump_sys_getuid() == 0 && rump_sys_getpid() == 1,
	    "back in pid 1, still root: credentials are per process");
}

static void
test_lwproc(void)
{
	struct lwp *a, *b;
	rump_pid_t pa, pb;

	ok(rump_lwproc_rfork(RUMP_RFFDG | RUMP_RFCFDG) == -1 &&
	    errno == EINVAL, "rfork with both descriptor flags: EINVAL");
	ok(rump_lwproc_rfork(0x100) == -1 && errno == EINVAL,
	    "rfork with unknown flags: EINVAL");

	rump_lwproc_rfork(0);
	a = rump_lwproc_curlwp();
	pa = rump_sys_getpid();
	rump_lwproc_rfork(0);
	b = rump_lwproc_curlwp();
	pb = rump_sys_getpid();
	ok(rump_sys_getppid() == pa, "grandchild %d of %d", (int)pb, (int)pa);

	rump_lwproc_switch(a);
	ok(rump_sys_getpid() == pa, "switch back to the child's LWP");
	ok(rump_lwproc_newlwp(pb) == 0 && rump_sys_getpid() == pb,
	    "newlwp joins the grandchild");
	rump_lwproc_releaselwp();		/* grandchild: 1 LWP left */
	rump_lwproc_switch(a);
	rump_lwproc_releaselwp();		/* the child exits */
	ok(rump_sys_getpid() == 1, "after release: an implicit LWP in pid 1");
	rump_lwproc_switch(b);
	ok(rump_sys_getpid() == pb && rump_sys_getppid() == 1,
	    "orphaned grandchild is reparented to pid 1");
	rump_lwproc_releaselwp();
	ok(rump_lwproc_newlwp(pb) == -1 && errno == ESRCH,
	    "newlwp into an exited process: ESRCH");
	ok(rump_lwproc_newlwp(0) == -1 && errno == ESRCH,
	    "newlwp into the kernel's own process: ESRCH");
	ok(rump_lwproc_newlwp(1) == 0 && rump_sys_getpid() == 1,
	    "newlwp into pid 1");
	rump_lwproc_releaselwp();
	rump_lwproc_switch(NULL);
	ok(rump_sys_getpid() == 1, "switch(NULL): the next call gets an "
	    "implicit LWP");
}

static void *
thread_call(void *arg)
{

	*(int *)arg = rump_sys_getpid();
	return NULL;
}

static uint64_t
kmem_inuse(void)
{
	struct rump_kmemstat ks[64];
	int name[2] = { RUMP_CTL_VM, RUMP_VM_KMEMSTATS };
	size_t len = sizeof(ks), i;
	uint64_t sum = 0;

	if (rump_sys_sysctl(name, 2, ks, &len, NULL, 0) == -1)
		return 0;
	for (i = 0; i < len / sizeof(ks[0]); i++)
		sum += ks[i].ks_inuse;
	return sum;
}

static void
test_implicit(void)
{
	pthread_t t;
	uint64_t before, after;
	int i, pid, good = 0;

	before = kmem_inuse();
	for (i = 0; i < 200; i++) {
		pid = 0;
		pthread_create(&t, NULL, thread_call, &pid);
		pthread_join(t, NULL);
		good += pid == 1;
	}
	after = kmem_inuse();
	ok(good == 200, "200 threads each got an implicit LWP in pid 1");
	ok(before == after, "... released when they exited (kmem in use "
	    "%llu before, %llu after)", (unsigned long long)before,
	    (unsigned long long)after);
}

static void
test_time(void)
{
	struct rump_timespec a, b, req = { 0, 20 * 1000 * 1000 }, rem = { 9, 9 };
	struct timespec host;
	int64_t dt;

	clock_gettime(CLOCK_REALTIME, &host);
	ok(rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, &a) == 0 &&
	    llabs((long long)(a.tv_sec - host.tv_sec)) <= 2,
	    "CLOCK_REALTIME agrees with the host");
	ok(rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, &a) == 0 &&
	    rump_sys_nanosleep(&req, &rem) == 0 &&
	    rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, &b) == 0,
	    "nanosleep 20 ms between two monotonic readings");
	dt = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	ok(dt >= 20 * 1000 * 1000, "the monotonic clock advanced by at least "
	    "the sleep (%lld ns)", (long long)dt);
	ok(rem.tv_sec == 0 && rem.tv_nsec == 0, "remaining time zeroed");
	ok(FAILS(rump_sys_clock_gettime(12345, &a), EINVAL),
	    "unknown clock: EINVAL");
	ok(FAILS(rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, NULL), EFAULT),
	    "NULL timespec: EFAULT");
	req.tv_nsec = 1000000000;
	ok(FAILS(rump_sys_nanosleep(&req, NULL), EINVAL),
	    "nanosleep with tv_nsec = 1e9: EINVAL");
	req.tv_sec = -1;
	req.tv_nsec = 0;
	ok(FAILS(rump_sys_nanosleep(&req, NULL), EINVAL),
	    "nanosleep with negative seconds: EINVAL");
}

static int
sysctl2(int top, int node, void *old, size_t *oldlen, const void *new,
    size_t newlen)
{
	int name[2] = { top, node };

	return rump_sys_sysctl(name, 2, old, oldlen, new, newlen);
}

static void
test_uname_sysctl(void)
{
	struct rump_utsname u;
	struct utsname hu;
	struct rump_timespec bt;
	char buf[256];
	size_t len;
	int ncpu = 0, name[3] = { RUMP_CTL_KERN, RUMP_KERN_OSTYPE, 0 };

	uname(&hu);
	ok(rump_sys_uname(&u) == 0 && strcmp(u.sysname, "anykernel") == 0 &&
	    strcmp(u.nodename, "t-syscalls") == 0 &&
	    strcmp(u.machine, hu.machine) == 0 && u.release[0] != '\0',
	    "uname: %s %s %s %s", u.sysname, u.nodename, u.release,
	    u.machine);
	ok(FAILS(rump_sys_uname(NULL), EFAULT), "uname(NULL): EFAULT");

	len = 0;
	ok(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, NULL, &len, NULL, 0) == 0
	    && len == sizeof("anykernel"), "size query: %zu bytes", len);
	len = 4;
	memset(buf, 'x', sizeof(buf));
	ok(FAILS(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, &len, NULL, 0),
	    ENOMEM) && len == sizeof("anykernel") &&
	    memcmp(buf, "anyk", 4) == 0 && buf[4] == 'x',
	    "short buffer: partial copy, ENOMEM, full size reported");
	len = sizeof(buf);
	ok(sysctl2(RUMP_CTL_KERN, RUMP_KERN_VERSION, buf, &len, NULL, 0) == 0
	    && strstr(buf, "anykernel") != NULL, "kern.version: %s", buf);
	len = sizeof(ncpu);
	ok(sysctl2(RUMP_CTL_HW, RUMP_HW_NCPU, &ncpu, &len, NULL, 0) == 0 &&
	    ncpu == 3, "hw.ncpu follows RUMP_NCPU: %d", ncpu);
	len = sizeof(bt);
	ok(sysctl2(RUMP_CTL_KERN, RUMP_KERN_BOOTTIME, &bt, &len, NULL, 0) ==
	    0 && llabs((long long)(bt.tv_sec - time(NULL))) < 60,
	    "kern.boottime is recent");
	len = sizeof(buf);
	ok(FAILS(sysctl2(RUMP_CTL_KERN, 9999, buf, &len, NULL, 0), ENOENT),
	    "unknown node: ENOENT");
	ok(FAILS(rump_sys_sysctl(name, 1, buf, &len, NULL, 0), EISDIR),
	    "a name too short: EISDIR");
	ok(FAILS(rump_sys_sysctl(name, 3, buf, &len, NULL, 0), ENOTDIR),
	    "a name too long: ENOTDIR");
	ok(FAILS(rump_sys_sysctl(NULL, 2, buf, &len, NULL, 0), EFAULT),
	    "NULL name: EFAULT");

	len = sizeof(buf);
	ok(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, "newname",
	    7) == 0 && sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, &len,
	    NULL, 0) == 0 && strcmp(buf, "newname") == 0 &&
	    rump_sys_uname(&u) == 0 && strcmp(u.nodename, "newname") == 0,
	    "root sets the hostname; uname sees it");
	ok(FAILS(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, NULL, NULL, "x", 1),
	    EPERM), "writing a read-only node: EPERM");
	memset(buf, 'a', sizeof(buf));
	ok(FAILS(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, buf,
	    sizeof(buf)), EINVAL), "a hostname too long: EINVAL");
	rump_lwproc_rfork(0);
	rump_sys_setuid(5);
	ok(FAILS(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, "x",
	    1), EPERM), "non-root sets the hostname: EPERM");
	rump_lwproc_releaselwp();
}

static void
test_errno(void)
{
	int e, unknown = 0;

	rumpuser_seterrno(RUMP_ENOSYS);
	ok(errno == ENOSYS, "kernel ENOSYS (%d) is the host's ENOSYS (%d)",
	    RUMP_ENOSYS, ENOSYS);
	rumpuser_seterrno(RUMP_EAGAIN);
	ok(errno == EAGAIN, "kernel EAGAIN (%d) is the host's EAGAIN (%d)",
	    RUMP_EAGAIN, EAGAIN);
	rumpuser_seterrno(RUMP_ENAMETOOLONG);
	ok(errno == ENAMETOOLONG, "kernel ENAMETOOLONG (%d) is the host's "
	    "(%d)", RUMP_ENAMETOOLONG, ENAMETOOLONG);
	for (e = 1; e <= RUMP_ELAST; e++) {
		rumpuser_seterrno(e);
		if (errno == EIO && e != RUMP_EIO)
			unknown++;
	}
	/* 71-76, 78 are used; the rest of 71-81 and 90, 91, 94, 95 are
	 * unassigned in the kernel's numbering. */
	ok(unknown <= 12, "%d kernel errno values map to nothing but EIO",
	    unknown);
}

int
main(void)
{

	setenv("RUMP_HOSTNAME", "t-syscalls", 1);
	setenv("RUMP_NCPU", "3", 1);
	if (!ok(rump_init() == 0, "rump_init"))
		return tap_done();
	test_identity();
	test_lwproc();
	test_implicit();
	test_time();
	test_uname_sysctl();
	test_errno();
	return tap_done();
}
