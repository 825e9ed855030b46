/*
 * t_ffs_rw.c: writing FFS images through the kernel.
 *
 * Empty images made by makefs(8) (UFS1 and UFS2, both byte orders,
 * small and large blocks) are mounted read-write and put through the
 * file-semantics suite, then a random workload (create, append,
 * overwrite, truncate, rename, unlink, mkdir, rmdir) checked against a
 * model the test keeps in memory: after every remount each file's
 * size and contents must be the model's.  Also: the clean flag on disk
 * while mounted and after unmount, a dirty image mounting read-only
 * unless forced, a full disk giving ENOSPC with the space coming back,
 * and the free counts returning to where they started.  On a disk
 * filled to the last fragment, a fragment tail grows into a whole
 * block as far as the space allows, and no further: ENOSPC then leaves
 * the file and the free counts as they were.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ffs.h>
#include "../subr.h"
#include "../vfs/fssuite.h"

static char work[200], img[300];

static int
mkimage(const char *opts, const char *order, const char *size)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/empty %s && mkdir %s/empty && "
	    "makefs -t ffs -s %s -f 6000 -o %s -B %s %s %s/empty >/dev/null 2>&1",
	    work, img, work, size, opts, order, img, work);
	return system(cmd) == 0 ? 0 : -1;
}

static int
do_mount(int flags)
{
	struct rump_ffs_args args;

	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/ffs0");
	return rump_sys_mount("ffs", "/mnt", flags, &args, sizeof(args));
}

/* The clean flag byte of the image's superblock (8192 for makefs). */
static int
clean_byte(void)
{
	unsigned char c = 0xff;
	FILE *f = fopen(img, "rb");

	if (f == NULL)
		return -1;
	if (fseek(f, 8192 + 209, SEEK_SET) != 0 || fread(&c, 1, 1, f) != 1)
		c = 0xff;
	fclose(f);
	return c;
}

static void
set_clean_byte(int v)
{
	unsigned char c = (unsigned char)v;
	FILE *f = fopen(img, "r+b");

	if (f == NULL)
		return;
	if (fseek(f, 8192 + 209, SEEK_SET) == 0)
		fwrite(&c, 1, 1, f);
	fclose(f);
}

/* fsck_ffs -n on the (unmounted) image: 0 if it found nothing. */
static int
fsck_clean(void)
{
	const char *b = getenv("RUMP_BUILD");
	char cmd[4096];
	int rc;

	snprintf(cmd, sizeof(cmd), "%s/bin/fsck_ffs -n %s > %s/fsck.out 2>&1",
	    b ? b : "build", img, work);
	rc = system(cmd);
	if (rc != 0) {
		snprintf(cmd, sizeof(cmd), "sed 's/^/# /' %s/fsck.out | "
		    "head -20", work);
		(void)system(cmd);
	}
	return rc;
}

/* ---- the model ---- */
#define NFILES	24
#define NDIRS	4
#define MAXSZ	(600 * 1024)

struct mfile {
	char		path[64];
	unsigned char	*data;
	size_t		size;
	bool		exists;
};
static struct mfile mf[NFILES];
static bool mdir[NDIRS];
static unsigned long rng = 12345;

static unsigned long
rnd(void)
{

	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return rng >> 33;
}

static void
model_reset(void)
{
	int i;

	for (i = 0; i < NFILES; i++) {
		free(mf[i].data);
		memset(&mf[i], 0, sizeof(mf[i]));
		snprintf(mf[i].path, sizeof(mf[i].path), "/mnt/d%d/f%d",
		    i % NDIRS, i);
	}
	for (i = 0; i < NDIRS; i++)
		mdir[i] = false;
}

static int
model_step(void)
{
	int i = (int)(rnd() % NFILES), d = i % NDIRS, fd, op = (int)(rnd() % 8);
	struct mfile *f = &mf[i];
	char dpath[32], buf[64];
	size_t off, len, k;
	unsigned char *p;

	snprintf(dpath, sizeof(dpath), "/mnt/d%d", d);
	if (!mdir[d]) {
		if (rump_sys_mkdir(dpath, 0755) != 0)
			return -1;
		mdir[d] = true;
	}
	switch (op) {
	case 0: case 1: case 2:		/* write somewhere, maybe past EOF */
		off = rnd() % 3 == 0 ? f->size : rnd() % (MAXSZ / 2);
		len = rnd() % 3 == 0 ? rnd() % 100 : rnd() % (MAXSZ / 2);
		if ((fd = rump_sys_open(f->path, RUMP_O_WRONLY |
		    RUMP_O_CREAT, 0644)) < 0)
			return -1;
		if ((p = malloc(len + 1)) == NULL)
			return -1;
		for (k = 0; k < len; k++)
			p[k] = (unsigned char)rnd();
		if (getenv("T_FFS_RW_TRACE"))
			diag("write %s size %zu off %zu len %zu", f->path,
			    f->size, off, len);
		if (rump_sys_pwrite(fd, p, len, (off_t)off) != (ssize_t)len) {
			free(p);
			rump_sys_close(fd);
			return -1;
		}
		rump_sys_close(fd);
		if (off + len > f->size) {
			f->data = realloc(f->data, off + len + 1);
			memset(f->data + f->size, 0, off + len - f->size);
			f->size = off + len;
		}
		memcpy(f->data + off, p, len);
		free(p);
		f->exists = true;
		break;
	case 3:				/* truncate */
		if (!f->exists)
			break;
		len = rnd() % 2 ? rnd() % (f->size + 1) : rnd() % MAXSZ;
		if (getenv("T_FFS_RW_TRACE"))
			diag("truncate %s size %zu to %zu", f->path, f->size,
			    len);
		if (rump_sys_truncate(f->path, (off_t)len) != 0)
			return -1;
		if (len > f->size) {
			f->data = realloc(f->data, len + 1);
			memset(f->data + f->size, 0, len - f->size);
		}
		f->size = len;
		break;
	case 4:				/* unlink */
		if (!f->exists)
			break;
		if (rump_sys_unlink(f->path) != 0)
			return -1;
		f->exists = false;
		f->size = 0;
		break;
	case 5: {			/* rename onto another slot */
		int j = (int)(rnd() % NFILES);
		struct mfile *g = &mf[j];

		if (!f->exists || i == j || !mdir[j % NDIRS])
			break;
		if (rump_sys_rename(f->path, g->path) != 0)
			return -1;
		free(g->data);
		g->data = f->data;
		g->size = f->size;
		g->exists = true;
		f->data = NULL;
		f->size = 0;
		f->exists = false;
		break;
	}
	case 6:				/* a subdirectory comes and goes */
		snprintf(buf, sizeof(buf), "%s/sub%d", dpath, i);
		if (rump_sys_rmdir(buf) == 0)
			break;
		if (rump_sys_mkdir(buf, 0700) != 0)
			return -1;
		if (rnd() % 2 && rump_sys_rmdir(buf) != 0)
			return -1;
		break;
	case 7:				/* a symlink comes and goes */
		snprintf(buf, sizeof(buf), "%s/ln%d", dpath, i);
		rump_sys_unlink(buf);
		if (rump_sys_symlink(rnd() % 2 ? "short" :
		    "a-much-longer-target-that-does-not-fit-in-the-inode-"
		    "of-either-ufs1-or-ufs2-because-it-is-long-enough-"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", buf) != 0)
			return -1;
		break;
	}
	return 0;
}

/* Every file as the model says; the number of differences. */
static int
model_check(void)
{
	unsigned char *buf;
	struct rump_stat st;
	int i, fd, nbad = 0;
	ssize_t n;

	for (i = 0; i < NFILES; i++) {
		struct mfile *f = &mf[i];

		if (!f->exists) {
			if (rump_sys_stat(f->path, &st) == 0 || errno != ENOENT) {
				diag("%s: exists, should not", f->path);
				nbad++;
			}
			continue;
		}
		if (rump_sys_stat(f->path, &st) != 0 ||
		    (size_t)st.st_size != f->size) {
			diag("%s: size %lld, model %zu", f->path,
			    (long long)st.st_size, f->size);
			nbad++;
			continue;
		}
		buf = malloc(f->size + 1);
		fd = rump_sys_open(f->path, RUMP_O_RDONLY, 0);
		n = fd < 0 ? -1 : rump_sys_read(fd, buf, f->size + 1);
		if (fd >= 0)
			rump_sys_close(fd);
		if (n != (ssize_t)f->size || memcmp(buf, f->data, f->size)) {
			diag("%s: contents differ (read %zd)", f->path, n);
			nbad++;
		}
		free(buf);
	}
	return nbad;
}

/* rm -r path. */
static int
rm_tree(const char *path)
{
	char buf[8192], child[512];
	struct rump_stat st;
	int fd, n, off, removed;

	if (rump_sys_lstat(path, &st) != 0)
		return -1;
	if ((st.st_mode & RUMP_S_IFMT) != RUMP_S_IFDIR)
		return rump_sys_unlink(path);
	if ((fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY, 0)) < 0)
		return -1;
	do {
		removed = 0;
		if ((n = rump_sys_getdents(fd, buf, sizeof(buf))) <= 0)
			break;
		for (off = 0; off < n;) {
			struct rump_dirent *d = (struct rump_dirent *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, d->d_name);
			if (rm_tree(child) != 0) {
				rump_sys_close(fd);
				return -1;
			}
			removed++;
		}
		rump_sys_lseek(fd, 0, RUMP_SEEK_SET);
	} while (removed > 0);
	rump_sys_close(fd);
	return rump_sys_rmdir(path);
}

static void
free_counts(uint64_t *bfree, uint64_t *ffree)
{
	struct rump_statvfs sv;

	*bfree = *ffree = 0;
	if (rump_sys_statvfs("/mnt", &sv) == 0) {
		*bfree = sv.f_bfree;
		*ffree = sv.f_ffree;
	}
}

/*
 * A directory big enough for a dirhash: 3,000 names, then random
 * removals, renames within it and re-creations, each name's presence
 * checked against a table; after remounts too, and fsck_ffs.
 */
#define BIGN	3000
static void
test_bigdir(void)
{
	static bool present[BIGN];
	char a[64], b[64];
	struct rump_stat st;
	int i, j, k, fd, bad = 0, step;

	ok(rump_sys_mkdir("/mnt/big", 0755) == 0, "... a big directory");
	for (i = 0; i < BIGN; i++) {
		snprintf(a, sizeof(a), "/mnt/big/name-%d-%s", i,
		    i % 3 ? "x" : "a-longer-name-to-vary-the-record-sizes");
		if ((fd = rump_sys_open(a, RUMP_O_CREAT | RUMP_O_WRONLY |
		    RUMP_O_EXCL, 0644)) < 0)
			bad++;
		else
			rump_sys_close(fd);
		present[i] = true;
	}
	ok(bad == 0, "... %d files created in it", BIGN);
	for (step = 0; step < 3 * BIGN; step++) {
		i = (int)(rnd() % BIGN);
		j = (int)(rnd() % BIGN);
		snprintf(a, sizeof(a), "/mnt/big/name-%d-%s", i,
		    i % 3 ? "x" : "a-longer-name-to-vary-the-record-sizes");
		snprintf(b, sizeof(b), "/mnt/big/name-%d-%s", j,
		    j % 3 ? "x" : "a-longer-name-to-vary-the-record-sizes");
		switch (rnd() % 3) {
		case 0:
			k = rump_sys_unlink(a);
			if ((k == 0) != present[i])
				bad++;
			present[i] = false;
			break;
		case 1:
			k = rump_sys_rename(a, b);
			if ((k == 0) != present[i])
				bad++;
			if (k == 0 && i != j) {
				present[j] = true;
				present[i] = false;
			}
			break;
		case 2:
			fd = rump_sys_open(a, RUMP_O_CREAT | RUMP_O_WRONLY |
			    RUMP_O_EXCL, 0644);
			if ((fd >= 0) == present[i])
				bad++;
			if (fd >= 0)
				rump_sys_close(fd);
			present[i] = true;
			break;
		}
		if (step == BIGN || step == 2 * BIGN) {
			if (rump_sys_unmount("/mnt", 0) != 0 ||
			    fsck_clean() != 0 || do_mount(0) != 0)
				bad++;
		}
	}
	for (i = 0; i < BIGN; i++) {
		snprintf(a, sizeof(a), "/mnt/big/name-%d-%s", i,
		    i % 3 ? "x" : "a-longer-name-to-vary-the-record-sizes");
		if ((rump_sys_lstat(a, &st) == 0) != present[i])
			bad++;
	}
	ok(bad == 0, "... %d random removes, renames and creations agree "
	    "with the table, across remounts (%d differences)", 3 * BIGN, bad);
	ok(rm_tree("/mnt/big") == 0, "... and it goes with rm -r");
}

static void
test_variant(const char *opts, const char *order)
{
	uint64_t bfree0, ffree0, bfree1, ffree1;
	struct rump_statvfs sv;
	int i, step, failed = 0, fd, every;

	if (mkimage(opts, order, "64m") != 0 ||
	    rump_etfs_register("/dev/ffs0", img, RUMP_ETFS_BLK) != 0) {
		ok(0, "%s %s: image (%s)", opts, order, strerror(errno));
		return;
	}
	ok(do_mount(0) == 0, "%s %s: mounts read-write", opts, order);
	ok(clean_byte() == 0, "... the clean flag is cleared on disk");
	ok(rump_sys_mkdir("/mnt/fss", 0755) == 0, "... mkdir");
	fssuite_run("/mnt/fss", 0);
	ok(rump_sys_unmount("/mnt", 0) == 0, "... unmounts after the suite");
	ok(fsck_clean() == 0, "... fsck_ffs finds nothing wrong");
	ok(do_mount(0) == 0, "... mounts again");
	free_counts(&bfree0, &ffree0);

	model_reset();
	every = getenv("T_FFS_RW_EVERY") ? atoi(getenv("T_FFS_RW_EVERY")) : 100;
	for (step = 0; step < 400 && !failed; step++) {
		if (model_step() != 0) {
			diag("step %d: %s", step, strerror(errno));
			failed = 1;
		}
		if (step % every == every - 1) {
			if (rump_sys_unmount("/mnt", 0) != 0 ||
			    fsck_clean() != 0 || do_mount(0) != 0) {
				diag("remount: %s", strerror(errno));
				failed = 1;
				break;
			}
			if (model_check() != 0)
				failed = 1;
		}
	}
	ok(!failed, "... 400 random steps agree with the model across "
	    "remounts");

	test_bigdir();

	/* Fill it up. */
	fd = rump_sys_open("/mnt/filler", RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	{
		static char blk[65536];
		ssize_t n;

		memset(blk, 'x', sizeof(blk));
		while ((n = rump_sys_write(fd, blk, sizeof(blk))) > 0)
			;
		ok(n == -1 && errno == ENOSPC, "... a full disk is ENOSPC");
	}
	rump_sys_close(fd);
	ok(rump_sys_statvfs("/mnt", &sv) == 0 &&
	    sv.f_bfree < sv.f_blocks / 20, "... with almost nothing free");
	ok(model_check() == 0, "... and every file still as it was");
	ok(rump_sys_unmount("/mnt", 0) == 0 && fsck_clean() == 0 &&
	    do_mount(0) == 0, "... the full file system checks clean");
	ok(rump_sys_unlink("/mnt/filler") == 0, "... unlink the filler");
	/* Everything else goes too: the space must all come back. */
	for (i = 0; i < NDIRS; i++) {
		char d[32];

		snprintf(d, sizeof(d), "/mnt/d%d", i);
		if (mdir[i] && rm_tree(d) != 0)
			diag("rm %s: %s", d, strerror(errno));
	}
	ok(rump_sys_unmount("/mnt", 0) == 0, "... unmounts");
	ok(fsck_clean() == 0, "... fsck_ffs finds nothing wrong after the "
	    "random workload, a full disk and rm -r");
	ok(do_mount(0) == 0, "... remounts");
	free_counts(&bfree1, &ffree1);
	ok(bfree1 == bfree0 && ffree1 == ffree0, "... with the free space and "
	    "inodes it had before (%llu/%llu blocks, %llu/%llu inodes)",
	    (unsigned long long)bfree1, (unsigned long long)bfree0,
	    (unsigned long long)ffree1, (unsigned long long)ffree0);
	ok(rump_sys_unmount("/mnt", 0) == 0, "... unmounts");
	ok(clean_byte() == 1, "... and the clean flag is set again");
	model_reset();

	/* A dirty image: read-only unless forced. */
	set_clean_byte(0);
	ok(do_mount(0) == 0 && rump_sys_statvfs("/mnt", &sv)
	    == 0 && (sv.f_flag & RUMP_MNT_RDONLY) &&
	    rump_sys_mkdir("/mnt/x", 0755) == -1 && errno == EROFS,
	    "... a dirty image mounts read-only");
	ok(rump_sys_unmount("/mnt", 0) == 0 && clean_byte() == 0,
	    "... and stays dirty");
	ok(do_mount(RUMP_MNT_FORCE) == 0 && rump_sys_mkdir("/mnt/x", 0755)
	    == 0, "... forced, it mounts read-write");
	ok(rump_sys_rmdir("/mnt/x") == 0 && rump_sys_unmount("/mnt", 0) ==
	    0 && clean_byte() == 1, "... and is clean after unmount");
	rump_etfs_remove("/dev/ffs0");
}

/*
 * I/O errors: the image file is cut short under a mounted file system,
 * so reads and writes of what lay past the cut fail in the host.  They
 * must come back as errors (never a crash or a hang), and the mount
 * must still go away (forced if a write could not be done).  A cut
 * image does not mount at all.
 */
static void
test_ioerror(void)
{
	static char buf[65536];
	int fd, n, e, rc;
	ssize_t r;

	if (mkimage("version=2,bsize=16384,fsize=2048", "le", "32m") != 0 ||
	    rump_etfs_register("/dev/ffs0", img, RUMP_ETFS_BLK) != 0 ||
	    do_mount(0) != 0) {
		ok(0, "I/O errors: image");
		return;
	}
	memset(buf, 'q', sizeof(buf));
	fd = rump_sys_open("/mnt/f", RUMP_O_CREAT | RUMP_O_WRONLY, 0644);
	for (n = 0; n < 400; n++)		/* 25 MiB: to the end */
		if (rump_sys_write(fd, buf, sizeof(buf)) != sizeof(buf))
			break;
	rump_sys_close(fd);
	ok(n > 300 && rump_sys_unmount("/mnt", 0) == 0 && do_mount(0) == 0,
	    "I/O errors: 25 MiB written, remounted");
	ok(truncate(img, 8 << 20) == 0, "... the image is cut to 8 MiB");
	fd = rump_sys_open("/mnt/f", RUMP_O_RDONLY, 0);
	e = 0;
	while ((r = rump_sys_read(fd, buf, sizeof(buf))) > 0)
		;
	e = errno;
	rump_sys_close(fd);
	ok(r == -1 && (e == EIO || e == EINVAL), "... reading past the cut "
	    "fails (%s)", strerror(e));
	/* Freeing f reads groups past the cut: errors, reported. */
	(void)rump_sys_unlink("/mnt/f");
	rc = rump_sys_unmount("/mnt", 0);
	e = errno;
	ok(rc == 0 || (rc == -1 && rump_sys_unmount("/mnt", RUMP_MNT_FORCE)
	    == 0), "... the mount goes away (%s)", rc == 0 ? "cleanly" :
	    strerror(e));
	if (rump_etfs_remove("/dev/ffs0") != 0)
		diag("etfs_remove: %s", strerror(errno));
	ok(truncate(img, 8 << 20) == 0 &&
	    rump_etfs_register("/dev/ffs0", img, RUMP_ETFS_BLK) == 0,
	    "... cut again, registered again");
	ok(do_mount(RUMP_MNT_RDONLY) == -1 && (errno == EINVAL ||
	    errno == EIO), "... and the cut image does not mount (%s)",
	    strerror(errno));
	rump_etfs_remove("/dev/ffs0");
}

/*
 * ENOSPC when a fragment tail becomes a whole block.  A file growing
 * past its last block, a run of fragments, needs that block whole and
 * the new one too; on a full disk the write must succeed exactly when
 * the free space holds both, and fail otherwise with the file and the
 * free counts as they were.  Each case starts from a new 2 MiB UFS1
 * (4096/512) with every fragment in use, laid out through the public
 * calls: first files of one fragment until no partly used block has a
 * free fragment, then the files of the case, then a filler of whole
 * blocks until ENOSPC, then removals that free exactly what the case
 * wants.  The checker's free counts confirm each layout.
 */
#define TE_DEV		"/dev/ffs1"
#define TE_BSIZE	4096
#define TE_FSIZE	512

static char te_img[320];
static char te_blk[TE_BSIZE * 16];

static int
te_mount(void)
{
	struct rump_ffs_args args;

	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, TE_DEV);
	return rump_sys_mount("ffs", "/mnt", 0, &args, sizeof(args));
}

/* Unmount, check, mount: is the check clean, with nb blocks and nf
 * fragments free (outside free blocks)? */
static bool
te_free(uint64_t nb, uint64_t nf)
{
	struct rump_ffs_check_result cr;

	memset(&cr, 0, sizeof(cr));
	if (rump_sys_unmount("/mnt", 0) != 0 ||
	    rump_ffs_check(TE_DEV, 0, NULL, NULL, &cr) != 0 ||
	    te_mount() != 0) {
		diag("remount and check: %s", strerror(errno));
		return false;
	}
	if (cr.fcr_findings == 0 && cr.fcr_nbfree == nb &&
	    cr.fcr_nffree == nf)
		return true;
	diag("%llu findings, %llu blocks and %llu fragments free, wanted "
	    "%llu and %llu", (unsigned long long)cr.fcr_findings,
	    (unsigned long long)cr.fcr_nbfree,
	    (unsigned long long)cr.fcr_nffree, (unsigned long long)nb,
	    (unsigned long long)nf);
	return false;
}

/* A file of len bytes of c. */
static int
te_file(const char *path, size_t len, int c)
{
	int fd;
	ssize_t n;

	memset(te_blk, c, sizeof(te_blk));
	if ((fd = rump_sys_open(path, RUMP_O_CREAT | RUMP_O_WRONLY |
	    RUMP_O_TRUNC, 0644)) < 0)
		return -1;
	n = rump_sys_write(fd, te_blk, len);
	rump_sys_close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Is path n bytes of c, then (if at > 0) zeros up to one c2 at at? */
static bool
te_is(const char *path, size_t n, int c, size_t at, int c2)
{
	static char buf[sizeof(te_blk) + 1];
	size_t size = at > 0 ? at + 1 : n, i;
	struct rump_stat st;
	int fd;
	ssize_t r;

	if (rump_sys_stat(path, &st) != 0 || (size_t)st.st_size != size ||
	    (fd = rump_sys_open(path, RUMP_O_RDONLY, 0)) < 0)
		return false;
	r = rump_sys_read(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	if (r != (ssize_t)size)
		return false;
	for (i = 0; i < size; i++)
		if (buf[i] != (i < n ? c : i == at ? c2 : 0))
			return false;
	return true;
}

/*
 * A new file system whose partly used blocks are full: returns 0 with
 * it mounted.  The fragments are eaten by one-fragment files e0, e1 ...
 */
static int
te_setup(void)
{
	struct rump_ffs_check_result cr;
	struct rump_ffs_newfs_args a;
	char path[32];
	int fd, round, k = 0;
	uint64_t i;

	(void)rump_sys_unmount("/mnt", 0);	/* the case before */
	(void)rump_etfs_remove(TE_DEV);
	if ((fd = open(te_img, O_CREAT | O_TRUNC | O_RDWR, 0644)) < 0 ||
	    ftruncate(fd, 2 << 20) != 0 || close(fd) != 0 ||
	    rump_etfs_register(TE_DEV, te_img, RUMP_ETFS_BLK) != 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.nfa_argsize = sizeof(a);
	a.nfa_version = 1;
	a.nfa_bsize = TE_BSIZE;
	a.nfa_fsize = TE_FSIZE;
	if (rump_ffs_newfs(TE_DEV, &a) != 0)
		return -1;
	for (round = 0; round < 4; round++) {
		memset(&cr, 0, sizeof(cr));
		if (rump_ffs_check(TE_DEV, 0, NULL, NULL, &cr) != 0 ||
		    cr.fcr_findings != 0 || te_mount() != 0)
			return -1;
		if (cr.fcr_nffree == 0)
			return 0;
		for (i = 0; i < cr.fcr_nffree; i++) {
			snprintf(path, sizeof(path), "/mnt/e%d", k++);
			if (te_file(path, 1, 'e') != 0)
				return -1;
		}
		if (rump_sys_unmount("/mnt", 0) != 0)
			return -1;
	}
	return -1;
}

/* Whole blocks until ENOSPC: the disk is full. */
static int
te_fill(void)
{
	int fd, i;
	ssize_t n;

	if ((fd = rump_sys_open("/mnt/filler", RUMP_O_CREAT | RUMP_O_WRONLY,
	    0644)) < 0)
		return -1;
	for (i = 0; i < 100000; i++)
		if ((n = rump_sys_write(fd, te_blk, i < 1000 ?
		    sizeof(te_blk) : TE_BSIZE)) <= 0 && (n == 0 ||
		    errno == ENOSPC) && i >= 1000)
			break;
		else if (n <= 0 && i < 1000)
			i = 999;	/* on with single blocks */
	rump_sys_close(fd);
	return n == -1 && errno == ENOSPC ? 0 : -1;
}

static void
test_tail_enospc(void)
{
	bool setup;
	int fd;

	snprintf(te_img, sizeof(te_img), "%s/enospc.img", work);

	/* The tail can grow where it is: only fragments free. */
	setup = te_setup() == 0 && te_file("/mnt/t", 1, 't') == 0 &&
	    te_fill() == 0;
	ok(setup && te_free(0, 7), "ENOSPC and tails: a full disk, one "
	    "block holding a one-fragment tail and 7 free fragments");
	fd = rump_sys_open("/mnt/t", RUMP_O_WRONLY, 0);
	ok(setup && rump_sys_pwrite(fd, "u", 1, TE_BSIZE) == -1 &&
	    errno == ENOSPC, "... growing the file past the block: ENOSPC "
	    "(8 fragments wanted)");
	rump_sys_close(fd);
	ok(setup && te_is("/mnt/t", 1, 't', 0, 0) && te_free(0, 7),
	    "... the file and the free counts as they were, the check clean");
	fd = rump_sys_open("/mnt/t", RUMP_O_WRONLY, 0);
	ok(setup && rump_sys_unlink("/mnt/e0") == 0 &&
	    rump_sys_pwrite(fd, "u", 1, TE_BSIZE) == 1, "... with one more "
	    "fragment free, it grows: the tail in place, the new block in "
	    "that fragment");
	rump_sys_close(fd);
	ok(setup && te_is("/mnt/t", 1, 't', TE_BSIZE, 'u') && te_free(0, 0),
	    "... right contents, nothing free, the check clean");

	/* The tail must move: exactly one block free. */
	setup = te_setup() == 0 && te_file("/mnt/w", TE_BSIZE, 'w') == 0 &&
	    te_file("/mnt/t", 7 * TE_FSIZE, 't') == 0 &&
	    te_file("/mnt/x", 1, 'x') == 0 && te_fill() == 0 &&
	    rump_sys_unlink("/mnt/w") == 0;
	ok(setup && te_free(1, 0), "... a full disk but one block, a "
	    "7-fragment tail that cannot grow in place");
	fd = rump_sys_open("/mnt/t", RUMP_O_WRONLY, 0);
	ok(setup && rump_sys_pwrite(fd, "u", 1, TE_BSIZE) == -1 &&
	    errno == ENOSPC, "... growing the file past the block: ENOSPC "
	    "(a block and a fragment wanted)");
	rump_sys_close(fd);
	ok(setup && te_is("/mnt/t", 7 * TE_FSIZE, 't', 0, 0) &&
	    te_free(1, 0), "... the file and the free counts as they were, "
	    "the check clean");
	fd = rump_sys_open("/mnt/t", RUMP_O_WRONLY, 0);
	ok(setup && rump_sys_pwrite(fd, "v", 1, TE_BSIZE - 1) == 1,
	    "... growing the tail to the end of its block moves it into "
	    "the free block");
	rump_sys_close(fd);
	ok(setup && te_is("/mnt/t", 7 * TE_FSIZE, 't', TE_BSIZE - 1, 'v') &&
	    te_free(0, 7), "... right contents, its old 7 fragments free, "
	    "the check clean");

	/* The tail moves, the new block takes a lone free fragment. */
	setup = te_setup() == 0 && te_file("/mnt/w", TE_BSIZE, 'w') == 0 &&
	    te_file("/mnt/t", 7 * TE_FSIZE, 't') == 0 &&
	    te_file("/mnt/x", 1, 'x') == 0 && te_file("/mnt/y", 1, 'y') == 0 &&
	    te_file("/mnt/z", 7 * TE_FSIZE, 'z') == 0 && te_fill() == 0 &&
	    rump_sys_unlink("/mnt/w") == 0 && rump_sys_unlink("/mnt/y") == 0;
	ok(setup && te_free(1, 1), "... a full disk but one block and one "
	    "fragment");
	fd = rump_sys_open("/mnt/t", RUMP_O_WRONLY, 0);
	ok(setup && rump_sys_pwrite(fd, "u", 1, TE_BSIZE) == 1,
	    "... growing the file past the block works: the tail moves "
	    "into the block, the new one takes the fragment");
	rump_sys_close(fd);
	ok(setup && te_is("/mnt/t", 7 * TE_FSIZE, 't', TE_BSIZE, 'u') &&
	    te_free(0, 7), "... right contents, the old fragments free, the "
	    "check clean");

	/* Through an indirect block: it, the data block and the tail. */
	setup = te_setup() == 0 && te_file("/mnt/w1", TE_BSIZE, 'w') == 0 &&
	    te_file("/mnt/w2", TE_BSIZE, 'w') == 0 &&
	    te_file("/mnt/w3", TE_BSIZE, 'w') == 0 &&
	    te_file("/mnt/t", 11 * TE_BSIZE + 7 * TE_FSIZE, 't') == 0 &&
	    te_file("/mnt/x", 1, 'x') == 0 && te_fill() == 0 &&
	    rump_sys_unlink("/mnt/w1") == 0 && rump_sys_unlink("/mnt/w2") == 0;
	ok(setup && te_free(2, 0), "... a full disk but two blocks, a file "
	    "of 11 blocks and a tail");
	fd = rump_sys_open("/mnt/t", RUMP_O_WRONLY, 0);
	ok(setup && rump_sys_pwrite(fd, "u", 1, 12 * TE_BSIZE) == -1 &&
	    errno == ENOSPC, "... growing it through the indirect block: "
	    "ENOSPC (three blocks wanted)");
	rump_sys_close(fd);
	ok(setup && te_is("/mnt/t", 11 * TE_BSIZE + 7 * TE_FSIZE, 't', 0,
	    0) && te_free(2, 0), "... the file and the free counts as they "
	    "were (the indirect and data blocks taken back), the check clean");
	fd = rump_sys_open("/mnt/t", RUMP_O_WRONLY, 0);
	ok(setup && rump_sys_unlink("/mnt/w3") == 0 &&
	    rump_sys_pwrite(fd, "u", 1, 12 * TE_BSIZE) == 1,
	    "... with a third block free, it grows");
	rump_sys_close(fd);
	ok(setup && te_is("/mnt/t", 11 * TE_BSIZE + 7 * TE_FSIZE, 't',
	    12 * TE_BSIZE, 'u') && te_free(0, 7), "... right contents, the "
	    "old fragments free, the check clean");
	rump_sys_unmount("/mnt", 0);
	rump_etfs_remove(TE_DEV);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	if (system("command -v makefs >/dev/null 2>&1") != 0) {
		printf("1..0 # SKIP makefs(8) is not installed\n");
		return 0;
	}
	snprintf(work, sizeof(work), "%s/t_ffs_rw.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(work) == NULL)
		return 1;
	snprintf(img, sizeof(img), "%s/img", work);
	if (rump_init() != 0 || rump_sys_mkdir("/mnt", 0755) != 0 ||
	    rump_sys_mkdir("/dev", 0755) != 0) {
		printf("1..0 # SKIP no kernel\n");
		return 1;
	}
	if (getenv("T_FFS_RW_ONLY") == NULL) {
		test_variant("version=1,bsize=16384,fsize=2048,maxbpcg=512",
		    "le");
		test_variant("version=2,bsize=32768,fsize=4096,maxbpcg=256",
		    "be");
		test_variant("version=1,bsize=4096,fsize=512", "be");
		test_variant("version=2,bsize=65536,fsize=8192", "le");
	} else
		test_variant(getenv("T_FFS_RW_ONLY"), "le");
	test_ioerror();
	test_tail_enospc();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", work);
		(void)system(cmd);
	}
	return tap_done();
}
