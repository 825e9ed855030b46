/*
 * t_ffs_ro.c: reading FFS images made by makefs(8) through the kernel.
 *
 * A host tree (small and large files, a file with indirect blocks, a
 * hole-free 5 MiB file for double indirection on 4 KiB blocks, short
 * and long symlinks, hard links, nested directories) is put into images
 * of UFS1 and UFS2, little- and big-endian, with several block sizes.
 * Each image is registered with etfs, mounted read-only, and every
 * file is compared with the host's: type, size, mode, link count,
 * contents, link targets, directory listings.  Writing is refused
 * (EROFS); a non-FFS image is EFTYPE (EMEDIUMTYPE on Linux); a damaged
 * image gives errors, never a crash.
 */
#include <sys/stat.h>
#include <dirent.h>
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

#ifndef MIN
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#endif

static char src[300], work[200];
static int nchecked, nbad;

static void
mkfile(const char *name, size_t size, unsigned seed)
{
	char path[512];
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", src, name);
	if ((f = fopen(path, "wb")) == NULL)
		return;
	for (i = 0; i < size; i++)
		fputc((int)((i * 131 + seed) % 251), f);
	fclose(f);
}

static void
build_tree(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/a/b/c %s/empty", src, src);
	if (system(cmd) != 0)
		return;
	mkfile("small", 5, 1);
	mkfile("a/frag", 3000, 2);
	mkfile("a/b/twelve", 12 * 8192 + 17, 3);	/* indirect on 8K */
	mkfile("a/b/c/big", 5 << 20, 4);	/* double indirect on 4K */
	mkfile("exact", 65536, 5);
	snprintf(cmd, sizeof(cmd), "cd %s && ln -s small shortlink && "
	    "ln -s a/b/c/../../../xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx longlink "
	    "&& ln small a/hardlink && chmod 0640 a/frag && chmod 0711 a/b",
	    src);
	if (system(cmd) != 0)
		diag("building the tree failed");
}

static void
bad(const char *what, const char *path)
{

	if (nbad++ < 5)
		diag("%s: %s", path, what);
}

/* Compare host path h (relative rel) with the kernel's /mnt/rel. */
static void
compare(const char *rel)
{
	char h[1024], k[1024], hb[8192], kb[8192], ht[512], kt[512];
	struct rump_stat ks;
	struct stat hs;
	ssize_t hn, kn;
	int hfd, kfd;

	snprintf(h, sizeof(h), "%s/%s", src, rel);
	snprintf(k, sizeof(k), "/mnt/%s", rel);
	nchecked++;
	if (lstat(h, &hs) != 0 || rump_sys_lstat(k, &ks) != 0) {
		bad("lstat", k);
		return;
	}
	if ((rump_mode_t)(hs.st_mode & 0177777) != ks.st_mode ||
	    hs.st_nlink != ks.st_nlink ||
	    (S_ISREG(hs.st_mode) && hs.st_size != ks.st_size))
		bad("attributes differ", k);
	if (S_ISLNK(hs.st_mode)) {
		hn = readlink(h, ht, sizeof(ht));
		kn = rump_sys_readlink(k, kt, sizeof(kt));
		if (hn != kn || hn < 0 || memcmp(ht, kt, (size_t)hn) != 0)
			bad("link target differs", k);
	} else if (S_ISREG(hs.st_mode)) {
		hfd = open(h, O_RDONLY);
		kfd = rump_sys_open(k, RUMP_O_RDONLY, 0);
		if (hfd < 0 || kfd < 0) {
			bad("open", k);
		} else {
			do {
				hn = read(hfd, hb, sizeof(hb));
				kn = rump_sys_read(kfd, kb, sizeof(kb));
				if (hn != kn || (hn > 0 &&
				    memcmp(hb, kb, (size_t)hn) != 0)) {
					bad("contents differ", k);
					break;
				}
			} while (hn > 0);
		}
		if (hfd >= 0)
			close(hfd);
		if (kfd >= 0)
			rump_sys_close(kfd);
	} else if (S_ISDIR(hs.st_mode)) {
		DIR *d = opendir(h);
		struct dirent *de;
		char child[1024];
		int n = 0, kfd2, got, off;
		char dbuf[8192];

		while (d != NULL && (de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			n++;
			snprintf(child, sizeof(child), "%s%s%s", rel,
			    *rel ? "/" : "", de->d_name);
			compare(child);
		}
		if (d != NULL)
			closedir(d);
		/* The kernel lists the same number of names. */
		kfd2 = rump_sys_open(k, RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0);
		got = 0;
		while (kfd2 >= 0 && (kn = rump_sys_getdents(kfd2, dbuf,
		    sizeof(dbuf))) > 0)
			for (off = 0; off < kn;
			    off += ((struct rump_dirent *)(dbuf + off))->d_reclen)
				got++;
		if (kfd2 >= 0)
			rump_sys_close(kfd2);
		if (got != n + 2)
			bad("directory listing differs", k);
	}
}

static int
try_image(const char *opts, const char *order)
{
	char img[512], cmd[1024];
	struct rump_ffs_args args;
	int error;

	snprintf(img, sizeof(img), "%s/img", work);
	snprintf(cmd, sizeof(cmd), "makefs -t ffs -o %s -B %s %s %s "
	    ">/dev/null 2>&1", opts, order, img, src);
	if (system(cmd) != 0)
		return -1;
	if (rump_etfs_register("/dev/ffs0", img, RUMP_ETFS_BLK_RO) != 0)
		return -1;
	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/ffs0");
	error = rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
	    sizeof(args));
	if (error != 0) {
		diag("mount: %s", strerror(errno));
		rump_etfs_remove("/dev/ffs0");
		return -1;
	}
	nchecked = nbad = 0;
	compare("");
	ok(nbad == 0 && nchecked > 10, "%s %s: %d entries match the host",
	    opts, order, nchecked);
	ok(rump_sys_open("/mnt/new", RUMP_O_CREAT | RUMP_O_WRONLY, 0644) ==
	    -1 && errno == EROFS && rump_sys_mkdir("/mnt/d", 0755) == -1 &&
	    errno == EROFS, "... writes are refused with EROFS");
	ok(rump_sys_unmount("/mnt", 0) == 0, "... unmounts");
	rump_etfs_remove("/dev/ffs0");
	return 0;
}

/* Walk /mnt doing every read-only call, ignoring the results. */
static void
walk_any(const char *path, int depth)
{
	char buf[4096], child[1024];
	struct rump_stat st;
	struct rump_dirent *d;
	int fd, n, off;

	if (depth > 8 || rump_sys_lstat(path, &st) != 0)
		return;
	rump_sys_readlink(path, buf, sizeof(buf));
	if ((fd = rump_sys_open(path, RUMP_O_RDONLY, 0)) < 0)
		return;
	while (rump_sys_read(fd, buf, sizeof(buf)) > 0)
		;
	rump_sys_lseek(fd, 0, RUMP_SEEK_SET);
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct rump_dirent *)(buf + off);
			if (d->d_reclen == 0)
				break;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, d->d_name);
			walk_any(child, depth + 1);
		}
	}
	rump_sys_close(fd);
}

/*
 * Damage a good image at random places past the superblock (inodes,
 * directories, indirect blocks, data), mount and walk it: errors are
 * fine, a crash or a hang is not.
 */
static void
damage_runs(const char *opts, int runs)
{
	char img[512], bad_img[512], cmd[1200];
	struct rump_ffs_args args;
	struct stat st;
	uint8_t *data;
	uint32_t r = 7;
	int fd, i, k, mounted = 0;

	snprintf(img, sizeof(img), "%s/dimg", work);
	snprintf(bad_img, sizeof(bad_img), "%s/dbad", work);
	snprintf(cmd, sizeof(cmd), "makefs -t ffs -o %s %s %s >/dev/null 2>&1",
	    opts, img, src);
	if (system(cmd) != 0 || stat(img, &st) != 0 ||
	    (data = malloc((size_t)st.st_size)) == NULL)
		return;
	fd = open(img, O_RDONLY);
	if (fd < 0 || read(fd, data, (size_t)st.st_size) != st.st_size)
		return;
	close(fd);
	for (i = 0; i < runs; i++) {
		uint8_t *copy = malloc((size_t)st.st_size);

		memcpy(copy, data, (size_t)st.st_size);
		for (k = 0; k < 64; k++) {
			r ^= r << 13; r ^= r >> 17; r ^= r << 5;
			/* mostly the metadata near the start */
			copy[16384 + r % (uint32_t)MIN(st.st_size - 16384,
			    (k % 2) ? 262144 : st.st_size - 16384)] ^=
			    (uint8_t)(1 + (r >> 8) % 255);
		}
		fd = open(bad_img, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, copy, (size_t)st.st_size) !=
		    st.st_size) {
			free(copy);
			break;
		}
		close(fd);
		free(copy);
		rump_etfs_register("/dev/bad0", bad_img, RUMP_ETFS_BLK_RO);
		memset(&args, 0, sizeof(args));
		strcpy(args.fa_fspec, "/dev/bad0");
		if (rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
		    sizeof(args)) == 0) {
			mounted++;
			walk_any("/mnt", 0);
			rump_sys_unmount("/mnt", RUMP_MNT_FORCE);
		}
		rump_etfs_remove("/dev/bad0");
	}
	free(data);
	ok(1, "%s: %d damaged images (%d mounted and walked), no crash",
	    opts, runs, mounted);
}

int
main(void)
{
	static const struct { const char *opts, *order; } imgs[] = {
		{ "version=1", "le" }, { "version=1", "be" },
		{ "version=2", "le" }, { "version=2", "be" },
		{ "version=2,bsize=4096,fsize=512", "le" },
		{ "version=1,bsize=4096,fsize=512", "be" },
		{ "version=2,bsize=65536,fsize=8192", "be" },
	};
	struct rump_ffs_args args;
	char tmpl[] = "/tmp/t_ffs_ro.XXXXXX", path[512], cmd[600];
	unsigned int i;
	int fd;

	if (system("command -v makefs >/dev/null 2>&1") != 0) {
		skip(1, "makefs(8) is not installed (tools/deps.sh installs it)");
		return tap_done();
	}
	if (mkdtemp(tmpl) == NULL || rump_init() != 0)
		return tap_done();
	snprintf(work, sizeof(work), "%s", tmpl);
	snprintf(src, sizeof(src), "%s/src", work);
	build_tree();
	rump_sys_mkdir("/dev", 0755);
	rump_sys_mkdir("/mnt", 0755);
	for (i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++)
		if (try_image(imgs[i].opts, imgs[i].order) != 0)
			ok(0, "%s %s: image made and mounted", imgs[i].opts,
			    imgs[i].order);

	damage_runs("version=1,bsize=4096,fsize=512", 50);
	damage_runs("version=2", 50);

	/* Not FFS at all. */
	snprintf(path, sizeof(path), "%s/zero", work);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd >= 0 && ftruncate(fd, 1 << 20) == 0)
		close(fd);
	rump_etfs_register("/dev/zero0", path, RUMP_ETFS_BLK_RO);
	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/zero0");
	ok(rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
	    sizeof(args)) == -1 && errno == EMEDIUMTYPE,
	    "an image of zeroes: EFTYPE, EMEDIUMTYPE to the host");
	strcpy(args.fa_fspec, "/mnt");
	ok(rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
	    sizeof(args)) == -1 && errno == ENOTBLK,
	    "a directory as the device: ENOTBLK");
	strcpy(args.fa_fspec, "/dev/zero0");
	ok(rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args)) == -1 &&
	    errno == EROFS, "a read-write mount: EROFS, for now");
	rump_etfs_remove("/dev/zero0");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", work);
	if (system(cmd) != 0)
		diag("could not remove %s", work);
	return tap_done();
}
