/*
 * t_vnodes.c: the vnode bound and the name cache.  With RUMP_NVNODES
 * at 100, touching 1,000 files leaves at most about 100 vnodes; files
 * held open are not reclaimed (and still work); repeated lookups of
 * one path are answered by the name cache; a removed or renamed name
 * is not found through a stale cache entry.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../subr.h"

void	rump_ktest_vfs_counters(unsigned int *, uint64_t *, uint64_t *);

int
main(void)
{
	struct rump_stat st;
	char name[64], buf[8];
	unsigned int nv;
	uint64_t h0, h1, m0, m1;
	int fds[120], i, bad;

	setenv("RUMP_NVNODES", "100", 1);
	if (!ok(rump_init() == 0, "rump_init with RUMP_NVNODES=100"))
		return tap_done();
	rump_sys_mkdir("/d", 0755);
	for (i = 0, bad = 0; i < 1000; i++) {
		memset(name, 0, sizeof(name));
		snprintf(name, sizeof(name), "/d/f%d", i);
		int fd = rump_sys_open(name, RUMP_O_CREAT | RUMP_O_WRONLY,
		    0644);
		if (fd < 0 || rump_sys_write(fd, name, 8) != 8 ||
		    rump_sys_close(fd) != 0)
			bad++;
	}
	for (i = 0; i < 1000; i++) {
		memset(name, 0, sizeof(name));
		snprintf(name, sizeof(name), "/d/f%d", i);
		if (rump_sys_stat(name, &st) != 0 || st.st_size != 8)
			bad++;
	}
	rump_ktest_vfs_counters(&nv, &h0, &m0);
	ok(bad == 0, "1000 files made and found");
	ok(nv <= 110, "vnodes held to the bound: %u", nv);

	for (i = 0, bad = 0; i < 120; i++) {
		memset(name, 0, sizeof(name));
		snprintf(name, sizeof(name), "/d/f%d", i);
		if ((fds[i] = rump_sys_open(name, RUMP_O_RDONLY, 0)) < 0)
			bad++;
	}
	rump_ktest_vfs_counters(&nv, &h0, &m0);
	ok(bad == 0 && nv >= 120, "120 open files keep their vnodes: %u", nv);
	for (i = 0, bad = 0; i < 120; i++) {
		memset(name, 0, sizeof(name));
		snprintf(name, sizeof(name), "/d/f%d", i);
		if (rump_sys_pread(fds[i], buf, 8, 0) != 8 ||
		    memcmp(buf, name, 8) != 0)
			bad++;
		rump_sys_close(fds[i]);
	}
	ok(bad == 0, "and they all still read right");

	rump_sys_stat("/d/f999", &st);
	rump_ktest_vfs_counters(&nv, &h0, &m0);
	for (i = 0; i < 1000; i++)
		rump_sys_stat("/d/f999", &st);
	rump_ktest_vfs_counters(&nv, &h1, &m1);
	ok(h1 - h0 >= 1000, "1000 stats of one path: %llu cache hits",
	    (unsigned long long)(h1 - h0));

	ok(rump_sys_unlink("/d/f999") == 0 &&
	    rump_sys_stat("/d/f999", &st) == -1 && errno == ENOENT,
	    "a removed name is gone despite the cache");
	rump_sys_stat("/d/f998", &st);
	ok(rump_sys_rename("/d/f998", "/d/g998") == 0 &&
	    rump_sys_stat("/d/f998", &st) == -1 && errno == ENOENT &&
	    rump_sys_stat("/d/g998", &st) == 0,
	    "a renamed name moves in the cache too");
	rump_sys_mkdir("/d/sub", 0755);
	rump_sys_mkdir("/d/sub/x", 0755);
	rump_sys_stat("/d/sub/x", &st);
	ok(rump_sys_rename("/d/sub", "/d/sub2") == 0 &&
	    rump_sys_stat("/d/sub/x", &st) == -1 &&
	    rump_sys_stat("/d/sub2/x", &st) == 0,
	    "entries below a renamed directory follow it");
	return tap_done();
}
