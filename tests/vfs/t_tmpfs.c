/*
 * t_tmpfs.c: tmpfs through the system calls.
 *
 * The file-semantics suite (fssuite.c) runs twice: in a directory of
 * the root file system (tmpfs, mounted at boot) and on a tmpfs mounted
 * for it, which must then unmount cleanly (the suite left nothing
 * referenced).  Then what is tmpfs's own: the size and file limits of
 * struct rump_tmpfs_args (ENOSPC, short writes, space coming back),
 * statvfs figures, exact holes, mounting and unmounting (EBUSY while a
 * file is open or a process's cwd is inside, forced unmounts leaving
 * descriptors that fail with EIO), read-only mounts and the edges
 * between file systems (EXDEV, EBUSY, "..").
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include "../tap.h"
#include "fssuite.h"

#define FAILS(call, err)	((call) == -1 && errno == (err))
#define PAGE			4096

static int
mount_tmpfs(const char *path, uint64_t size, uint64_t nodes)
{
	struct rump_tmpfs_args args;

	if (size == 0 && nodes == 0)
		return rump_sys_mount("tmpfs", path, 0, NULL, 0);
	memset(&args, 0, sizeof(args));
	args.ta_size_max = size;
	args.ta_nodes_max = nodes;
	return rump_sys_mount("tmpfs", path, 0, &args, sizeof(args));
}

static int
put(const char *path, const char *data)
{
	int fd, n;

	fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	if (fd == -1)
		return -1;
	n = (int)rump_sys_write(fd, data, strlen(data));
	rump_sys_close(fd);
	return n == (int)strlen(data) ? 0 : -1;
}

static bool
holds(const char *path, const char *data)
{
	char buf[64];
	rump_ssize_t n;
	int fd;

	if ((fd = rump_sys_open(path, RUMP_O_RDONLY, 0)) == -1)
		return false;
	n = rump_sys_read(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	return n == (rump_ssize_t)strlen(data) &&
	    memcmp(buf, data, (size_t)n) == 0;
}

static rump_ino_t
ino(const char *path)
{
	struct rump_stat sb;

	if (rump_sys_lstat(path, &sb) != 0)
		return (rump_ino_t)-1;
	return sb.st_ino;
}

static void
test_suites(void)
{
	struct rump_stat a, b;

	ok(rump_sys_mkdir("/fss", 0755) == 0, "a directory on the root "
	    "file system");
	fssuite_run("/fss", 0);
	ok(rump_sys_mkdir("/mnt", 0755) == 0 && mount_tmpfs("/mnt", 0, 0) ==
	    0, "mount a tmpfs on /mnt");
	ok(rump_sys_stat("/", &a) == 0 && rump_sys_stat("/mnt", &b) == 0 &&
	    a.st_dev != b.st_dev, "another device");
	fssuite_run("/mnt", 0);
	ok(rump_sys_unmount("/mnt", 0) == 0, "after the suite the tmpfs "
	    "unmounts: nothing of it is still referenced");
}

/* The size limit: ENOSPC, short writes, and the space coming back. */
static void
test_size_limit(void)
{
	static char buf[5 * PAGE], back[16 * PAGE];
	struct rump_statvfs sv;
	rump_ssize_t n;
	int fa, fb, i;

	rump_sys_mkdir("/small", 0755);
	ok(mount_tmpfs("/small", 16 * PAGE, 0) == 0, "mount with "
	    "ta_size_max 64 KB");
	ok(rump_sys_statvfs("/small", &sv) == 0 && sv.f_bsize == PAGE &&
	    sv.f_blocks == 16 && sv.f_bfree == 16 && sv.f_bavail == 16,
	    "statvfs: 16 blocks of 4 KB, all free");
	fa = rump_sys_open("/small/a", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	for (i = 0; i < 16 * PAGE; i++)
		back[i] = (char)(i * 13 + 5);
	ok(rump_sys_write(fa, back, 16 * PAGE) == 16 * PAGE,
	    "64 KB fit");
	ok(FAILS(rump_sys_write(fa, "x", 1), ENOSPC), "one byte more: "
	    "ENOSPC");
	ok(rump_sys_statvfs("/small", &sv) == 0 && sv.f_bfree == 0 &&
	    sv.f_bavail == 0, "statvfs: nothing free");
	fb = rump_sys_open("/small/b", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	ok(fb >= 0 && FAILS(rump_sys_write(fb, "y", 1), ENOSPC),
	    "a new file can be made, but not written");
	ok(rump_sys_ftruncate(fb, 1024 * 1024) == 0 &&
	    rump_sys_pread(fb, buf, 16, 512 * 1024) == 16 && buf[0] == 0 &&
	    buf[15] == 0, "a hole costs no space: truncate to 1 MB works "
	    "and reads zeros");
	ok(FAILS(rump_sys_pwrite(fb, "z", 1, 4096), ENOSPC),
	    "writing into the hole needs space: ENOSPC");
	rump_sys_ftruncate(fb, 0);
	ok(rump_sys_ftruncate(fa, 14 * PAGE + 100) == 0,
	    "shrinking a file to 14 pages and a bit");
	memset(buf, 'B', sizeof(buf));
	n = rump_sys_write(fb, buf, 2 * PAGE);
	ok(n == PAGE, "a write of 2 pages with one free: short, %zd bytes",
	    (ssize_t)n);
	ok(FAILS(rump_sys_write(fb, buf, 1), ENOSPC), "then ENOSPC");
	ok(rump_sys_pread(fa, buf, 14 * PAGE + 100, 0) == 14 * PAGE + 100 &&
	    memcmp(buf, back, 14 * PAGE + 100) == 0,
	    "what was written before is intact");
	ok(rump_sys_pread(fb, buf, 2 * PAGE, 0) == PAGE && buf[0] == 'B' &&
	    buf[PAGE - 1] == 'B', "and so is the short write");
	rump_sys_close(fa);
	ok(rump_sys_unlink("/small/a") == 0 &&
	    rump_sys_statvfs("/small", &sv) == 0 && sv.f_bfree == 15,
	    "unlinking the big file frees its pages");
	memset(buf, 'C', sizeof(buf));
	ok(rump_sys_write(fb, buf, 5 * PAGE) == 5 * PAGE, "writes work "
	    "again");
	rump_sys_close(fb);
	ok(rump_sys_unmount("/small", 0) == 0, "unmount");
}

/* The file limit. */
static void
test_nodes_limit(void)
{
	struct rump_statvfs sv;
	char path[64];
	int i, made = 0, fd;

	rump_sys_mkdir("/few", 0755);
	ok(mount_tmpfs("/few", 0, 8) == 0, "mount with ta_nodes_max 8");
	ok(rump_sys_statvfs("/few", &sv) == 0 && sv.f_files == 8 &&
	    sv.f_ffree == 7, "statvfs: 8 files, the root one of them");
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/few/f%d", i);
		if (put(path, "") != 0)
			break;
		made++;
	}
	ok(made == 7 && errno == ENOSPC, "7 files made, then ENOSPC "
	    "(made %d, %s)", made, strerror(errno));
	ok(FAILS(rump_sys_mkdir("/few/d", 0755), ENOSPC) &&
	    FAILS(rump_sys_symlink("x", "/few/l"), ENOSPC) &&
	    FAILS(rump_sys_mkfifo("/few/p", 0644), ENOSPC),
	    "no directory, symlink or FIFO either: ENOSPC");
	ok(rump_sys_link("/few/f0", "/few/hard") == 0, "a hard link needs "
	    "no new file: works");
	ok(rump_sys_statvfs("/few", &sv) == 0 && sv.f_ffree == 0,
	    "statvfs: no files free");
	rump_sys_unlink("/few/f1");
	fd = rump_sys_open("/few/new", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	ok(fd >= 0, "after an unlink a file can be made again");
	rump_sys_close(fd);
	rump_sys_unlink("/few/hard");
	rump_sys_unlink("/few/f0");
	ok(rump_sys_mkdir("/few/d", 0755) == 0, "unlinking a file's last "
	    "name frees it");
	ok(rump_sys_unmount("/few", 0) == 0, "unmount");
}

static void
test_root_args(void)
{
	struct rump_tmpfs_args args;
	struct rump_stat sb;

	memset(&args, 0, sizeof(args));
	args.ta_root_uid = 1000;
	args.ta_root_gid = 100;
	args.ta_root_mode = 01777;
	rump_sys_mkdir("/tmp", 0755);
	ok(rump_sys_mount("tmpfs", "/tmp", 0, &args, sizeof(args)) == 0 &&
	    rump_sys_stat("/tmp", &sb) == 0 && sb.st_uid == 1000 &&
	    sb.st_gid == 100 && sb.st_mode == (RUMP_S_IFDIR | 01777),
	    "ta_root_uid, ta_root_gid and ta_root_mode");
	ok(FAILS(rump_sys_mount("tmpfs", "/tmp", 0, &args, sizeof(args) - 1),
	    EINVAL), "mount data of the wrong size: EINVAL");
	rump_sys_unmount("/tmp", 0);
}

static void
test_statvfs(void)
{
	static char buf[10 * PAGE];
	struct rump_statvfs a, b;
	struct rump_stat sb;
	int fd;

	rump_sys_mkdir("/sv", 0755);
	mount_tmpfs("/sv", 0, 0);
	ok(rump_sys_statvfs("/sv", &a) == 0 && a.f_bsize == PAGE &&
	    a.f_frsize == PAGE && a.f_blocks >= a.f_bfree &&
	    a.f_files - a.f_ffree == 1 && strcmp(a.f_fstypename, "tmpfs") ==
	    0 && strcmp(a.f_mntonname, "/sv") == 0 && a.f_namemax == 255,
	    "statvfs of a fresh tmpfs: one file (the root), type, mount "
	    "point");
	fd = rump_sys_open("/sv/f", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	rump_sys_write(fd, buf, sizeof(buf));
	ok(rump_sys_fstatvfs(fd, &b) == 0 && b.f_bfree == a.f_bfree - 10 &&
	    b.f_ffree == a.f_ffree - 1, "10 pages written: 10 blocks and a "
	    "file fewer");
	ok(rump_sys_fstat(fd, &sb) == 0 && sb.st_blocks == 10 * PAGE / 512 &&
	    sb.st_blksize == PAGE, "st_blocks counts the pages in 512-byte "
	    "units");
	rump_sys_close(fd);
	rump_sys_unlink("/sv/f");
	ok(rump_sys_statvfs("/sv", &b) == 0 && b.f_bfree == a.f_bfree &&
	    b.f_ffree == a.f_ffree, "all back after the unlink");
	rump_sys_unmount("/sv", 0);
}

/* tmpfs knows its holes to the page. */
static void
test_holes(void)
{
	static char page[PAGE];
	struct rump_stat sb;
	int fd;

	memset(page, 'D', sizeof(page));
	fd = rump_sys_open("/holes", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	rump_sys_pwrite(fd, page, PAGE, 0);
	rump_sys_pwrite(fd, page, PAGE, 1024 * 1024);
	ok(rump_sys_lseek(fd, 0, RUMP_SEEK_HOLE) == PAGE &&
	    rump_sys_lseek(fd, PAGE, RUMP_SEEK_DATA) == 1024 * 1024 &&
	    rump_sys_lseek(fd, 100, RUMP_SEEK_DATA) == 100,
	    "SEEK_HOLE and SEEK_DATA to the page");
	ok(rump_sys_fstat(fd, &sb) == 0 && sb.st_blocks == 2 * PAGE / 512,
	    "a sparse file holds only its two pages");
	rump_sys_close(fd);
	rump_sys_unlink("/holes");
}

/* Mounting, unmounting, and the edges between file systems. */
static void
test_mounts(void)
{
	struct rump_stat sb;
	struct lwp *child;
	char buf[RUMP_PATH_MAX];
	int fd;

	rump_sys_mkdir("/m", 0755);
	put("/m/under", "covered");
	put("/file", "x");
	ok(mount_tmpfs("/m", 0, 0) == 0 && FAILS(rump_sys_stat("/m/under",
	    &sb), ENOENT), "a mount hides what was in the directory");
	ok(FAILS(rump_sys_mount("tmpfs", "/file", 0, NULL, 0), ENOTDIR) &&
	    FAILS(rump_sys_mount("tmpfs", "/none", 0, NULL, 0), ENOENT) &&
	    FAILS(rump_sys_mount("nofs", "/m", 0, NULL, 0), ENODEV),
	    "mount on a file: ENOTDIR; on nothing: ENOENT; unknown type: "
	    "ENODEV");
	ok(ino("/m/..") == ino("/"), "\"..\" of a mounted root is the "
	    "covered directory's parent");
	rump_sys_mkdir("/m/sub", 0755);
	put("/m/sub/f", "in");
	ok(FAILS(rump_sys_rename("/m/sub/f", "/g"), EXDEV) &&
	    FAILS(rump_sys_link("/m/sub/f", "/g"), EXDEV) &&
	    FAILS(rump_sys_rename("/file", "/m/file"), EXDEV),
	    "rename or link across file systems: EXDEV");
	ok(FAILS(rump_sys_rmdir("/m"), EBUSY) &&
	    FAILS(rump_sys_rename("/m", "/m2"), EBUSY),
	    "the mount point cannot be removed or renamed: EBUSY");
	ok(FAILS(rump_sys_rmdir("/"), EBUSY) &&
	    FAILS(rump_sys_unmount("/", 0), EBUSY),
	    "nor can the root, or be unmounted: EBUSY");
	ok(FAILS(rump_sys_unmount("/m/sub", 0), EINVAL),
	    "unmount of a directory that is no mount point: EINVAL");

	/* Busy: an open file, then a process's cwd, then a mount on top. */
	fd = rump_sys_open("/m/sub/f", RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_unmount("/m", 0), EBUSY), "an open file: EBUSY");
	rump_sys_close(fd);
	if (rump_lwproc_rfork(RUMP_RFFDG) == 0) {
		rump_sys_chdir("/m/sub");
		ok(rump_sys_getcwd(buf, sizeof(buf)) == 7 &&
		    strcmp(buf, "/m/sub") == 0, "getcwd across a mount");
		child = rump_lwproc_curlwp();
		rump_lwproc_switch(NULL);	/* park it, back to pid 1 */
		ok(rump_sys_getpid() == 1 && FAILS(rump_sys_unmount("/m", 0),
		    EBUSY), "a process's cwd inside: EBUSY");
		rump_lwproc_switch(child);
		rump_lwproc_releaselwp();
	}
	rump_sys_mkdir("/m/sub/top", 0755);
	mount_tmpfs("/m/sub/top", 0, 0);
	ok(FAILS(rump_sys_unmount("/m", 0), EBUSY), "a mount on top: EBUSY");
	ok(rump_sys_unmount("/m/sub/top", 0) == 0, "the top one unmounts");
	ok(rump_sys_unmount("/m", 0) == 0 && holds("/m/under", "covered"),
	    "then the lower one, and what it covered is back");
}

/* An unmount that waits for nothing: what is left open goes dead. */
static void
test_forced(void)
{
	struct rump_stat sb;
	char buf[16];
	int fd, dfd;

	rump_sys_mkdir("/f", 0755);
	mount_tmpfs("/f", 0, 0);
	put("/f/file", "data");
	rump_sys_mkdir("/f/dir", 0755);
	fd = rump_sys_open("/f/file", RUMP_O_RDWR, 0);
	dfd = rump_sys_open("/f/dir", RUMP_O_RDONLY, 0);
	ok(FAILS(rump_sys_unmount("/f", 0), EBUSY), "busy without "
	    "RUMP_MNT_FORCE");
	ok(rump_sys_unmount("/f", RUMP_MNT_FORCE) == 0, "forced, it goes");
	ok(FAILS(rump_sys_read(fd, buf, sizeof(buf)), EIO) &&
	    FAILS(rump_sys_write(fd, "x", 1), EIO) &&
	    FAILS(rump_sys_fstat(fd, &sb), EIO),
	    "the open file: read, write and fstat fail with EIO");
	ok(FAILS(rump_sys_getdents(dfd, buf, sizeof(buf)), EIO) &&
	    FAILS(rump_sys_openat(dfd, "x", RUMP_O_RDONLY, 0), EIO),
	    "the open directory: getdents and openat fail with EIO");
	ok(rump_sys_close(fd) == 0 && rump_sys_close(dfd) == 0,
	    "both close");
	ok(rump_sys_stat("/f", &sb) == 0 && FAILS(rump_sys_stat("/f/file",
	    &sb), ENOENT), "the mount point is a plain empty directory "
	    "again");
}

static void
test_rdonly(void)
{
	struct rump_statvfs sv;
	int fd;

	rump_sys_mkdir("/ro", 0755);
	ok(rump_sys_mount("tmpfs", "/ro", RUMP_MNT_RDONLY, NULL, 0) == 0 &&
	    rump_sys_statvfs("/ro", &sv) == 0 &&
	    (sv.f_flag & RUMP_MNT_RDONLY), "a read-only mount says so");
	ok(FAILS(rump_sys_open("/ro/new", RUMP_O_RDWR | RUMP_O_CREAT, 0644),
	    EROFS) && FAILS(rump_sys_mkdir("/ro/d", 0755), EROFS),
	    "nothing can be made: EROFS");
	ok(FAILS(rump_sys_access("/ro", RUMP_W_OK), EROFS) &&
	    rump_sys_access("/ro", RUMP_R_OK | RUMP_X_OK) == 0,
	    "access W_OK: EROFS; R_OK|X_OK fine");
	ok(FAILS(rump_sys_symlink("x", "/ro/l"), EROFS) &&
	    FAILS(rump_sys_mkfifo("/ro/p", 0644), EROFS),
	    "no symlink or FIFO either: EROFS");
	ok(FAILS(rump_sys_chmod("/ro", 0700), EROFS) &&
	    FAILS(rump_sys_utimensat(RUMP_AT_FDCWD, "/ro", NULL, 0), EROFS),
	    "nor attributes changed: EROFS");
	fd = rump_sys_open("/ro", RUMP_O_RDONLY, 0);
	ok(fd >= 0, "but it can be read");
	rump_sys_close(fd);
	rump_sys_unmount("/ro", 0);
}

int
main(void)
{

	if (rump_init() != 0) {
		diag("rump_init: %s", strerror(errno));
		return 1;
	}
	test_suites();
	test_size_limit();
	test_nodes_limit();
	test_root_args();
	test_statvfs();
	test_holes();
	test_mounts();
	test_forced();
	test_rdonly();
	return tap_done();
}
