/*
 * t_bio.c: block devices and the buffer cache.  A host file registered
 * with etfs is read through the cache (with read-ahead) and written by
 * every kind of write, and the host file shows the result; read-only
 * registration refuses writes; registration errors are clean.  A
 * failing test disk shows errors reaching the caller with no data lost
 * and nothing hanging, and a long read stays within the cache's bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../subr.h"

int	rump_ktest_faildisk_create(uint64_t, uint64_t *);
int	rump_ktest_bio_pattern(uint64_t, size_t, int, int, char *, size_t);
int	rump_ktest_bio_faults(uint64_t, char *, size_t);
int	rump_ktest_bio_bound(uint64_t, size_t, int, char *, size_t);
int	rump_ktest_bio_write_error(uint64_t);

#define DISK_SIZE	(1 << 20)

static uint8_t
pattern(uint64_t off)
{

	return (uint8_t)(off * 7 + 3);
}

int
main(void)
{
	char dir[] = "/tmp/t_bio.XXXXXX", path[64], why[256] = "";
	struct rump_stat st;
	uint8_t *buf;
	uint64_t dev;
	int fd, i, bad;

	setenv("RUMP_MEMLIMIT", "48m", 1);
	if (!ok(rump_init() == 0, "rump_init") || mkdtemp(dir) == NULL)
		return tap_done();
	snprintf(path, sizeof(path), "%s/disk", dir);
	buf = malloc(DISK_SIZE);
	for (i = 0; i < DISK_SIZE; i++)
		buf[i] = pattern((uint64_t)i);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, DISK_SIZE) != DISK_SIZE)
		return tap_done();

	ok(rump_sys_mkdir("/dev", 0755) == 0, "mkdir /dev");
	ok(rump_etfs_register("/dev/disk0", path, RUMP_ETFS_BLK) == 0,
	    "etfs: register a host file as /dev/disk0");
	ok(rump_sys_stat("/dev/disk0", &st) == 0 &&
	    (st.st_mode & RUMP_S_IFMT) == RUMP_S_IFBLK && st.st_rdev != 0,
	    "it is a block device node");
	dev = st.st_rdev;
	ktest_ok(rump_ktest_bio_pattern(dev, 4096, DISK_SIZE / 4096, 4, why,
	    sizeof(why)), why, "read through the cache with read-ahead, "
	    "then bwrite, bawrite, bdwrite and bflush");
	bad = 0;
	if (pread(fd, buf, DISK_SIZE, 0) != DISK_SIZE)
		bad = -1;
	for (i = 0; i < DISK_SIZE && bad == 0; i++) {
		uint8_t want = (i / 4096) % 2 == 0 ?
		    (uint8_t)~pattern((uint64_t)i) : pattern((uint64_t)i);

		if (buf[i] != want)
			bad = i + 1;
	}
	ok(bad == 0, "the host file holds what was written (%d)", bad);
	ok(rump_etfs_register("/dev/disk0", path, RUMP_ETFS_BLK) == -1 &&
	    errno == EEXIST, "registering a key twice: EEXIST");
	ok(rump_etfs_register("/dev/nothere", "/nonexistent/file",
	    RUMP_ETFS_BLK) == -1 && errno == ENOENT,
	    "registering a missing host file: ENOENT");
	ok(rump_etfs_register("/dev/dir", dir, RUMP_ETFS_BLK) == -1 &&
	    errno == EISDIR, "registering a host directory: EISDIR");
	ok(rump_etfs_register("/dev/bad", path, 99) == -1 && errno == EINVAL,
	    "an unknown type: EINVAL");
	ok(rump_etfs_remove("/dev/disk0") == 0 &&
	    rump_sys_stat("/dev/disk0", &st) == -1 && errno == ENOENT,
	    "etfs_remove takes the node away");
	ok(rump_etfs_remove("/dev/disk0") == -1 && errno == ENOENT,
	    "removing it twice: ENOENT");

	ok(rump_etfs_register("/dev/ro", path, RUMP_ETFS_BLK_RO) == 0 &&
	    rump_sys_stat("/dev/ro", &st) == 0, "register read-only");
	ok(rump_ktest_bio_write_error(st.st_rdev) == EROFS,
	    "a write to the read-only device: EROFS");
	rump_etfs_remove("/dev/ro");
	close(fd);
	unlink(path);
	rmdir(dir);

	if (!ok(rump_ktest_faildisk_create(20 << 20, &dev) == 0,
	    "a 20 MiB failing test disk"))
		return tap_done();
	ktest_ok(rump_ktest_bio_faults(dev, why, sizeof(why)), why,
	    "I/O errors reach the caller, data is kept, nothing hangs");
	ktest_ok(rump_ktest_bio_bound(dev, 4096, (20 << 20) / 4096, why,
	    sizeof(why)), why, "reading 20 MiB stays within the cache bound");
	free(buf);
	return tap_done();
}
