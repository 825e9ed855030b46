/*
 * fuzz_ffs.c: libFuzzer target for the FFS driver.
 *
 * Each input is a disk image.  It is mounted read-only and walked
 * (every directory listed, every file stat'ed and read, every link
 * read), then mounted read-write with RUMP_MNT_FORCE (so the clean flag
 * does not stop it) and changed: files created, written, truncated,
 * renamed and removed, directories made and removed, which drives the
 * allocator over whatever maps the image holds.  Last, fsck_ffs's
 * checker runs over it, repairs it, and checks again: after a repair
 * that says it succeeded, the second check must find nothing.  Errors
 * are expected; a crash, a sanitizer report, a kernel panic, a hang or
 * a repair that did not repair is a finding.
 *
 * Built by `make fuzz-ffs` (tools/fuzz.sh) with ASan, UBSan and
 * libFuzzer's coverage in the kernel too.
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
#include <rump/ffs.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char imgpath[64];
static int budget;		/* operations left for this input */

static void
walk(const char *path, int depth)
{
	char buf[4096], child[512], data[8192];
	struct rump_stat st;
	int fd, n, off;

	if (depth > 8 || budget-- <= 0 || rump_sys_lstat(path, &st) != 0)
		return;
	if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFLNK) {
		(void)rump_sys_readlink(path, data, sizeof(data));
		return;
	}
	if ((fd = rump_sys_open(path, RUMP_O_RDONLY, 0)) < 0)
		return;
	if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFREG) {
		while (budget-- > 0 && rump_sys_read(fd, data,
		    sizeof(data)) > 0)
			;
	} else if ((st.st_mode & RUMP_S_IFMT) == RUMP_S_IFDIR) {
		while (budget > 0 &&
		    (n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
			for (off = 0; off < n;) {
				struct rump_dirent *d =
				    (struct rump_dirent *)(buf + off);

				if (d->d_reclen == 0)
					break;
				off += d->d_reclen;
				if (strcmp(d->d_name, ".") == 0 ||
				    strcmp(d->d_name, "..") == 0)
					continue;
				snprintf(child, sizeof(child), "%s/%s", path,
				    d->d_name);
				walk(child, depth + 1);
			}
		}
	}
	rump_sys_close(fd);
}

/* Change things, starting from what the root holds. */
static void
mutate(void)
{
	static char blk[20000];
	char buf[4096], name[300], to[300];
	int fd, n, i = 0;

	memset(blk, 'z', sizeof(blk));
	if ((fd = rump_sys_open("/mnt/new", RUMP_O_RDWR | RUMP_O_CREAT,
	    0644)) >= 0) {
		(void)rump_sys_write(fd, blk, sizeof(blk));
		(void)rump_sys_pwrite(fd, blk, 100, 300000);
		(void)rump_sys_ftruncate(fd, 5000);
		rump_sys_close(fd);
	}
	(void)rump_sys_mkdir("/mnt/newdir", 0755);
	(void)rump_sys_symlink("/mnt/new", "/mnt/newdir/l");
	(void)rump_sys_link("/mnt/new", "/mnt/newdir/h");
	(void)rump_sys_rename("/mnt/new", "/mnt/newdir/n");
	if ((fd = rump_sys_open("/mnt", RUMP_O_RDONLY, 0)) < 0)
		return;
	n = rump_sys_getdents(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	for (int off = 0; n > 0 && off < n && i < 6; i++) {
		struct rump_dirent *d = (struct rump_dirent *)(buf + off);

		if (d->d_reclen == 0)
			break;
		off += d->d_reclen;
		snprintf(name, sizeof(name), "/mnt/%s", d->d_name);
		snprintf(to, sizeof(to), "/mnt/newdir/m%d", i);
		switch (i % 3) {
		case 0:
			(void)rump_sys_truncate(name, 1);
			(void)rump_sys_unlink(name);
			break;
		case 1:
			(void)rump_sys_rename(name, to);
			break;
		case 2:
			(void)rump_sys_rmdir(name);
			(void)rump_sys_chmod(name, 0600);
			break;
		}
	}
	(void)rump_sys_unlink("/mnt/newdir/l");
	(void)rump_sys_unlink("/mnt/newdir/h");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int booted;
	struct rump_ffs_args args;
	int fd;

	if (!booted) {
		if (rump_init() != 0 || rump_sys_mkdir("/dev", 0755) != 0 ||
		    rump_sys_mkdir("/mnt", 0755) != 0)
			abort();
		snprintf(imgpath, sizeof(imgpath), "/dev/shm/fuzz_ffs.%d",
		    (int)getpid());
		booted = 1;
	}
	if ((fd = open(imgpath, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (rump_etfs_register("/dev/fz", imgpath, RUMP_ETFS_BLK) != 0)
		abort();
	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/fz");
	if (rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
	    sizeof(args)) == 0) {
		budget = 2000;
		walk("/mnt", 0);
		if (rump_sys_unmount("/mnt", 0) != 0)
			abort();	/* nothing is open: must unmount */
	}
	if (rump_sys_mount("ffs", "/mnt", RUMP_MNT_FORCE, &args,
	    sizeof(args)) == 0) {
		mutate();
		budget = 500;
		walk("/mnt", 0);
		if (rump_sys_unmount("/mnt", 0) != 0)
			(void)rump_sys_unmount("/mnt", RUMP_MNT_FORCE);
	}
	{
		struct rump_ffs_check_result r1, r2;

		memset(&r1, 0, sizeof(r1));
		memset(&r2, 0, sizeof(r2));
		(void)rump_ffs_check("/dev/fz", 0, NULL, NULL, &r1);
		if (rump_ffs_check("/dev/fz", RUMP_FFS_CHECK_REPAIR, NULL,
		    NULL, &r1) == 0 && r1.fcr_fixed == r1.fcr_findings &&
		    rump_ffs_check("/dev/fz", 0, NULL, NULL, &r2) == 0 &&
		    r2.fcr_findings != 0)
			abort();	/* repaired, yet not clean */
	}
	rump_etfs_remove("/dev/fz");
	unlink(imgpath);
	return 0;
}
