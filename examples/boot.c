/*
 * boot.c: the smallest rump kernel program.
 *
 * Boots a kernel inside this process, says what booted and how long it
 * took, and makes a few system calls into it.  Build and run it with
 * `make demo`; link your own program the same way:
 *
 *	cc prog.c -lrump -lrumpuser -lpthread
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

/* Read a string-valued sysctl node. */
static void
sysctl_string(int top, int node, char *buf, size_t len)
{
	int name[2] = { top, node };

	if (rump_sys_sysctl(name, 2, buf, &len, NULL, 0) == -1)
		snprintf(buf, len, "(%s)", strerror(errno));
}

int
main(void)
{
	struct timespec t0, t1;
	struct rump_utsname u;
	struct rump_timespec ts;
	char comps[512];
	int name[2] = { RUMP_CTL_HW, RUMP_HW_NCPU }, ncpu;
	size_t len = sizeof(ncpu);

	/* 1. Boot.  Everything the kernel needs comes through the
	 *    hypercall library (librumpuser) linked into this program. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (rump_init() == -1) {
		fprintf(stderr, "boot: rump_init: %s\n", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	/* 2. What booted.  Component libraries linked in (file systems,
	 *    network stacks) show up in kern.components. */
	rump_sys_uname(&u);
	rump_sys_sysctl(name, 2, &ncpu, &len, NULL, 0);
	sysctl_string(RUMP_CTL_KERN, RUMP_KERN_COMPONENTS, comps,
	    sizeof(comps));
	printf("booted %s %s on %s: %d virtual CPU%s, components: %s\n",
	    u.sysname, u.release, u.machine, ncpu, ncpu == 1 ? "" : "s",
	    comps[0] ? comps : "none (core only)");
	printf("rump_init() took %.1f us (%.1f us inside the kernel)\n",
	    (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3,
	    rump_boot_nsec() / 1e3);

	/* 3. System calls.  The calling thread runs in the kernel's
	 *    process 1 as root until it says otherwise. */
	printf("kernel pid %d, parent %d, uid %u\n", (int)rump_sys_getpid(),
	    (int)rump_sys_getppid(), (unsigned)rump_sys_getuid());
	rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, &ts);
	printf("kernel uptime %lld.%09lld s\n", (long long)ts.tv_sec,
	    (long long)ts.tv_nsec);

	/* A process of our own, then drop privileges inside it. */
	if (rump_lwproc_rfork(RUMP_RFCFDG) == -1) {
		fprintf(stderr, "boot: rfork: %s\n", strerror(errno));
		return 1;
	}
	rump_sys_setgid(100);
	rump_sys_setuid(1000);
	printf("new process: pid %d, uid %u, gid %u\n", (int)rump_sys_getpid(),
	    (unsigned)rump_sys_getuid(), (unsigned)rump_sys_getgid());
	if (rump_sys_setuid(0) == -1)
		printf("setuid(0) as uid 1000: %s, as it should be\n",
		    strerror(errno));
	rump_lwproc_releaselwp();

	rump_reboot(RUMP_RB_HALT);
	printf("kernel halted\n");
	return 0;
}
