/*
 * t_ffs_sb.c: the FFS superblock reader, against images made by
 * makefs(8) (UFS1 and UFS2, both byte orders, block sizes 4 KiB to
 * 64 KiB), and against corruption: thousands of damaged superblocks,
 * each refused with EINVAL or EFTYPE (or, if only unused bytes were
 * hit, accepted), never a crash or a read out of bounds.
 *
 * ffs_sb_decode is a pure function, so the test calls the kernel's
 * copy (rumpns_ffs_sb_decode) directly on bytes read from the images.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ffs_sb_decode	rumpns_ffs_sb_decode
#define ffs_sb_find	rumpns_ffs_sb_find
#define EFTYPE_KERN	79		/* the kernel's EFTYPE */
#define EINVAL_KERN	22
#include "../../sys/fs/ffs/ffs_sb.h"
#include "../tap.h"

struct img {
	uint8_t	*data;
	size_t	len;
};

static int
img_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct img *im = arg;

	if (off + len > im->len)
		return 5;		/* EIO */
	memcpy(buf, im->data + off, len);
	return 0;
}

static int
load(const char *path, struct img *im)
{
	struct stat st;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) != 0)
		return -1;
	im->len = (size_t)st.st_size;
	im->data = malloc(im->len);
	if (im->data == NULL || fread(im->data, 1, im->len, f) != im->len) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{

	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

int
main(void)
{
	static const struct {
		int	ver;
		const char *order;
		int	bsize, fsize, mb;
	} cfg[] = {
		{ 1, "le", 8192, 1024, 8 }, { 1, "be", 8192, 1024, 8 },
		{ 2, "le", 8192, 1024, 8 }, { 2, "be", 8192, 1024, 8 },
		{ 1, "le", 4096, 512, 64 }, { 2, "be", 16384, 2048, 8 },
		{ 2, "le", 32768, 4096, 8 }, { 2, "le", 65536, 8192, 8 },
		{ 1, "be", 65536, 8192, 8 }, { 2, "be", 4096, 512, 64 },
	};
	char dir[] = "/tmp/t_ffs_sb.XXXXXX", cmd[512], path[256];
	uint8_t sbuf[FFS_SBSIZE], *work;
	struct ffs_sb sb;
	struct img im;
	unsigned int i, k, n, refused, accepted, other;
	int error;

	if (system("command -v makefs >/dev/null 2>&1") != 0) {
		skip(1, "makefs(8) is not installed (tools/deps.sh installs it)");
		return tap_done();
	}
	if (mkdtemp(dir) == NULL)
		return tap_done();
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/src/d && echo hi > %s/src/d/f",
	    dir, dir);
	if (system(cmd) != 0)
		return tap_done();

	for (i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++) {
		snprintf(path, sizeof(path), "%s/u%d%s%d.img", dir, cfg[i].ver,
		    cfg[i].order, cfg[i].bsize);
		snprintf(cmd, sizeof(cmd), "makefs -t ffs -o version=%d,"
		    "bsize=%d,fsize=%d -B %s -s %dm %s %s/src >/dev/null 2>&1",
		    cfg[i].ver, cfg[i].bsize, cfg[i].fsize, cfg[i].order,
		    cfg[i].mb, path, dir);
		if (system(cmd) != 0 || load(path, &im) != 0) {
			ok(0, "makefs %s", path);
			continue;
		}
		error = ffs_sb_find(img_read, &im, im.len, sbuf, &sb);
		ok(error == 0 && sb.sb_ufs == cfg[i].ver &&
		    sb.sb_bigendian == (cfg[i].order[0] == 'b') &&
		    sb.sb_bsize == cfg[i].bsize && sb.sb_fsize == cfg[i].fsize &&
		    sb.sb_loc == 8192 && sb.sb_size * sb.sb_fsize <= (int64_t)im.len,
		    "UFS%d %s %d/%d: found at %llu, %lld frags, %d groups",
		    cfg[i].ver, cfg[i].order, cfg[i].bsize, cfg[i].fsize,
		    (unsigned long long)sb.sb_loc, (long long)sb.sb_size,
		    sb.sb_ncg);
		if (cfg[i].bsize == 65536 && cfg[i].ver == 2)
			ok(ffs_sb_decode(im.data + 65536, FFS_SBSIZE, 65536,
			    im.len, &sb) == EINVAL_KERN,
			    "the backup copy at 65536 is not taken for the "
			    "primary");

		/* Damage: flip 1-8 random bytes of the defined part. */
		refused = accepted = other = 0;
		work = malloc(FFS_SBSIZE);
		for (n = 0; n < 3000; n++) {
			memcpy(work, im.data + 8192, FFS_SBSIZE);
			for (k = 1 + rnd() % 8; k > 0; k--)
				work[rnd() % FFS_SB_DEFINED] ^=
				    (uint8_t)(1 + rnd() % 255);
			error = ffs_sb_decode(work, FFS_SBSIZE, 8192, im.len,
			    &sb);
			if (error == EINVAL_KERN || error == EFTYPE_KERN)
				refused++;
			else if (error == 0)
				accepted++;
			else
				other++;
		}
		free(work);
		ok(other == 0 && refused > 1000, "3000 damaged superblocks: "
		    "%u refused, %u accepted (unused bytes hit), %u odd",
		    refused, accepted, other);
		/* Truncated and empty input. */
		ok(ffs_sb_decode(im.data + 8192, 100, 8192, im.len, &sb) ==
		    EFTYPE_KERN, "a short buffer is not a superblock");
		free(im.data);
	}
	memset(sbuf, 0, sizeof(sbuf));
	im.data = sbuf;
	im.len = sizeof(sbuf);
	ok(ffs_sb_find(img_read, &im, 0, sbuf, &sb) != 0,
	    "zeroes are not an FFS");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
