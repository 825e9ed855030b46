/*
 * t_newfs_layout.c: rump_ffs_newfs() against an independent checker
 * (the newfs tool itself: t_newfs.sh).
 *
 * For UFS1 and UFS2, both byte orders, block/fragment sizes from
 * 4096/512 to 65536/8192 and sizes of 1 MiB, 7 MiB, 33 MiB + 12345
 * bytes and 100 MiB, a file system is made on a sparse host file and
 * then checked twice:
 *
 *  - by a small FFS reader in this file, which reads the host file
 *    with pread and shares no code with the kernel: the superblock's
 *    layout rules, and for every cylinder group its header, the map
 *    offsets, the inode/fragment/cluster maps against the counters,
 *    frsum and the cluster summary, its backup superblock and its
 *    summary-area entry, the totals, and the root inode and directory;
 *  - by the kernel's FFS driver: mounted read-only, the root is an
 *    empty directory with "." and "..", statvfs agrees with the counts.
 *
 * For UFS1 the superblock, every cylinder group and the summary area
 * are also compared byte for byte (times and ids aside) with what
 * makefs(8) makes for the same size, block size, fragment size and
 * density.  Then the error cases: bad arguments, too small, dry runs
 * writing nothing, and an old file system's superblock wiped.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ffs.h>
#include "../tap.h"

#ifndef __arraycount
#define __arraycount(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static char work[256];

/* ---- the independent reader ---- */

struct img {
	int		fd;
	uint64_t	len;
	bool		be;
	uint8_t		sb[8192];
	int		ufs;
	uint64_t	sbloc;
};

static uint32_t
g32(const uint8_t *p, bool be)
{

	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3] : (uint32_t)p[3] << 24 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t
g16(const uint8_t *p, bool be)
{

	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint64_t
g64(const uint8_t *p, bool be)
{

	return be ? (uint64_t)g32(p, be) << 32 | g32(p + 4, be) :
	    (uint64_t)g32(p + 4, be) << 32 | g32(p, be);
}

#define S32(o)	((int32_t)g32(im->sb + (o), im->be))
#define S64(o)	((int64_t)g64(im->sb + (o), im->be))

static int
rd(struct img *im, uint64_t off, void *buf, size_t len)
{

	if (off + len > im->len)
		return -1;
	return pread(im->fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

static int
bit(const uint8_t *map, int64_t i)
{

	return (map[i / 8] >> (i % 8)) & 1;
}

static int64_t
howmany64(int64_t a, int64_t b)
{

	return (a + b - 1) / b;
}

static int64_t
roundup64(int64_t a, int64_t b)
{

	return howmany64(a, b) * b;
}

#define FAIL(...)	do { snprintf(why, whylen, __VA_ARGS__); \
				goto out; } while (0)

/*
 * Check the whole file system in im; 0, or -1 with the first problem
 * in why.  want_* are what the caller asked for.
 */
static int
check_image(struct img *im, int want_ufs, bool want_be, int32_t want_bsize,
    int32_t want_fsize, char *why, size_t whylen)
{
	uint8_t *cg = NULL, *csum = NULL, *sb2 = NULL, ino[256], dir[512];
	int64_t size, dsize, csaddr, tot[4] = { 0, 0, 0, 0 }, nfree;
	int32_t bsize, fsize, frag, ncg, ipg, fpg, sblkno, cblkno, iblkno;
	int32_t dblkno, cgsize, cssize, inopb, isize, sbsize, contig;
	int32_t c, ndblk, cs[4], frsum[8], cl[17], i, b, run, n, used;
	int32_t iusedoff, freeoff, cloff, clsumoff, nextfree, start;
	int64_t rootblk;
	uint32_t magic;
	int rv = -1;

	/* Where the superblock must be, in which order. */
	im->sbloc = want_ufs == 1 ? 8192 : 65536;
	if (rd(im, im->sbloc, im->sb, sizeof(im->sb)) != 0)
		FAIL("cannot read the superblock");
	im->be = want_be;
	magic = g32(im->sb + 1372, im->be);
	if (magic != (want_ufs == 1 ? 0x00011954u : 0x19540119u))
		FAIL("magic %#x at %" PRIu64, magic, im->sbloc);
	im->ufs = want_ufs;
	bsize = S32(48);
	fsize = S32(52);
	frag = S32(56);
	if (bsize != want_bsize || fsize != want_fsize ||
	    frag != bsize / fsize)
		FAIL("bsize/fsize/frag %d/%d/%d", bsize, fsize, frag);
	if ((uint64_t)S64(1000) != im->sbloc)
		FAIL("fs_sblockloc %" PRId64, S64(1000));
	ncg = S32(44);
	ipg = S32(184);
	fpg = S32(188);
	sblkno = S32(8);
	cblkno = S32(12);
	iblkno = S32(16);
	dblkno = S32(20);
	cgsize = S32(160);
	cssize = S32(156);
	sbsize = S32(104);
	contig = S32(1316);
	size = S64(1080);
	dsize = S64(1088);
	csaddr = S64(1096);
	isize = want_ufs == 1 ? 128 : 256;
	inopb = bsize / isize;
	if (S32(120) != inopb || S32(116) != bsize / (want_ufs == 1 ? 4 : 8))
		FAIL("inopb/nindir");
	if (ncg < 1 || ipg < inopb || ipg % inopb != 0 || fpg % frag != 0)
		FAIL("ncg %d ipg %d fpg %d", ncg, ipg, fpg);
	if (size % frag != 0 || size > (int64_t)(im->len / (uint64_t)fsize))
		FAIL("fs_size %" PRId64, size);
	if (!((int64_t)(ncg - 1) * fpg < size && size <= (int64_t)ncg * fpg))
		FAIL("size %" PRId64 " not in %d groups of %d", size, ncg, fpg);
	/* The layout rules of docs/ffs-format.md 1.3. */
	if (sblkno != roundup64(howmany64((int64_t)im->sbloc + 8192, fsize),
	    frag) || cblkno != sblkno + roundup64(howmany64(8192, fsize),
	    frag) || iblkno != cblkno + roundup64(howmany64(cgsize, fsize),
	    frag) || dblkno != iblkno + ipg / (inopb / frag))
		FAIL("s/c/i/dblkno %d/%d/%d/%d", sblkno, cblkno, iblkno,
		    dblkno);
	if (cgsize > bsize || cgsize % fsize != 0)
		FAIL("cgsize %d", cgsize);
	if (cssize != roundup64((int64_t)ncg * 16, fsize) || csaddr != dblkno)
		FAIL("cssize %d csaddr %" PRId64, cssize, csaddr);
	if (dsize != size - sblkno - (int64_t)ncg * (dblkno - sblkno) -
	    cssize / fsize)
		FAIL("dsize %" PRId64, dsize);
	if (sbsize != (fsize >= 8192 ? 8192 : (int32_t)roundup64(1376, fsize)))
		FAIL("sbsize %d", sbsize);
	if (S32(88) != (bsize == 65536 ? 1 : 65536 / bsize) ||
	    contig != (bsize == 65536 ? 0 : (65536 / bsize > 16 ? 16 :
	    65536 / bsize)))
		FAIL("maxcontig %d contigsumsize %d", S32(88), contig);
	if (S32(1320) != (want_ufs == 1 ? 60 : 120) || S32(1324) != 2)
		FAIL("maxsymlinklen/inodefmt");
	if (im->sb[209] != 1 || im->sb[211] != 0x80 || S32(1312) != 0)
		FAIL("clean %d old_flags %#x flags %#x", im->sb[209],
		    im->sb[211], S32(1312));
	if ((uint64_t)S64(1328) != (uint64_t)bsize * (12 +
	    (uint64_t)S32(116) + (uint64_t)S32(116) * (uint64_t)S32(116) +
	    (uint64_t)S32(116) * (uint64_t)S32(116) * (uint64_t)S32(116)) - 1)
		FAIL("maxfilesize");
	if (want_ufs == 1 && (S32(36) != size || S32(40) != dsize ||
	    S32(152) != csaddr || S32(180) != 1 || S32(1360) != 1 ||
	    S32(1356) != 1 || S32(28) != -1 || S32(24) != 0))
		FAIL("UFS1 old fields");
	if (S32(1196) != 16384 || S32(1200) != 64)
		FAIL("avgfilesize/avgfpdir");

	cg = malloc((size_t)bsize);
	csum = malloc((size_t)cssize);
	sb2 = malloc(8192);
	if (cg == NULL || csum == NULL || sb2 == NULL)
		FAIL("out of memory");
	if (rd(im, (uint64_t)csaddr * (uint64_t)fsize, csum,
	    (size_t)cssize) != 0)
		FAIL("cannot read the summary area");
	for (c = 0; c < ncg; c++) {
		uint64_t base = (uint64_t)c * (uint64_t)fpg * (uint64_t)fsize;

		if (rd(im, base + (uint64_t)sblkno * (uint64_t)fsize, sb2,
		    8192) != 0 || memcmp(sb2, im->sb, (size_t)sbsize) != 0)
			FAIL("cg %d: backup superblock differs", c);
		if (rd(im, base + (uint64_t)cblkno * (uint64_t)fsize, cg,
		    (size_t)bsize) != 0)
			FAIL("cg %d: cannot read", c);
#define C32(o)	((int32_t)g32(cg + (o), im->be))
		ndblk = (int32_t)(size - (int64_t)c * fpg < fpg ?
		    size - (int64_t)c * fpg : fpg);
		if (C32(4) != 0x090255 || C32(12) != c || C32(20) != ndblk)
			FAIL("cg %d: magic/cgx/ndblk", c);
		if (ndblk < dblkno + frag)
			FAIL("cg %d: no room for data (%d frags)", c, ndblk);
		start = want_ufs == 1 ? 168 + 4 + 2 : 168;
		iusedoff = C32(92);
		freeoff = C32(96);
		nextfree = C32(100);
		clsumoff = C32(104);
		cloff = C32(108);
		if (iusedoff != start || freeoff != iusedoff +
		    howmany64(ipg, 8))
			FAIL("cg %d: map offsets", c);
		if (contig > 0 && (clsumoff != roundup64(freeoff +
		    howmany64(fpg, 8), 4) - 4 || cloff != clsumoff +
		    (contig + 1) * 4 || nextfree != cloff +
		    howmany64(fpg / frag, 8) || C32(112) != ndblk / frag))
			FAIL("cg %d: cluster offsets", c);
		if (contig == 0 && (nextfree != freeoff + howmany64(fpg, 8) ||
		    clsumoff != 0 || cloff != 0))
			FAIL("cg %d: offsets without clusters", c);
		if (nextfree > cgsize)
			FAIL("cg %d: maps past fs_cgsize", c);
		if (want_ufs == 1 && (C32(84) != 168 || C32(88) != 172 ||
		    g16(cg + 18, im->be) != ipg || g16(cg + 16, im->be) != 1 ||
		    C32(116) != 0))
			FAIL("cg %d: UFS1 fields", c);
		if (want_ufs == 2 && (C32(116) != ipg || C32(120) != ipg ||
		    C32(84) != 0 || C32(88) != 0))
			FAIL("cg %d: UFS2 niblk/initediblk", c);

		/* Inodes: 0, 1 and 2 used in group 0, none elsewhere. */
		for (i = 0, used = 0; i < ipg; i++)
			used += bit(cg + iusedoff, i);
		if (used != (c == 0 ? 3 : 0) || (c == 0 &&
		    (cg[iusedoff] & 7) != 7))
			FAIL("cg %d: %d inodes used", c, used);
		cs[0] = c == 0 ? 1 : 0;
		cs[2] = ipg - used;

		/* Fragments: metadata never free; count the rest. */
		memset(frsum, 0, sizeof(frsum));
		memset(cl, 0, sizeof(cl));
		cs[1] = cs[3] = 0;
		for (i = 0; i < ndblk; i++) {
			bool meta = (i >= sblkno && i < dblkno) ||
			    (c == 0 && i < dblkno + cssize / fsize + 1);

			if (meta && bit(cg + freeoff, i))
				FAIL("cg %d: metadata frag %d free", c, i);
			if (!meta && !bit(cg + freeoff, i))
				FAIL("cg %d: data frag %d in use", c, i);
		}
		for (i = ndblk; i < fpg; i++)
			if (bit(cg + freeoff, i))
				FAIL("cg %d: frag %d past the end free", c, i);
		run = 0;
		for (b = 0; b < ndblk / frag; b++) {
			for (i = 0, n = 0; i < frag; i++)
				n += bit(cg + freeoff, b * frag + i);
			if (contig > 0 && bit(cg + cloff, b) != (n == frag))
				FAIL("cg %d: cluster bit %d", c, b);
			if (n == frag) {
				cs[1]++;
				run++;
				continue;
			}
			if (run > 0)
				cl[run > contig ? contig : run]++;
			run = 0;
			cs[3] += n;
			for (i = 0, n = 0; i <= frag; i++) {
				if (i < frag && bit(cg + freeoff, b * frag + i))
					n++;
				else if (n > 0) {
					frsum[n]++;
					n = 0;
				}
			}
		}
		if (run > 0 && contig > 0)
			cl[run > contig ? contig : run]++;
		for (i = 1; i < 8; i++)
			if (C32(52 + 4 * i) != (i < frag ? frsum[i] : 0))
				FAIL("cg %d: frsum[%d] %d, counted %d", c, i,
				    C32(52 + 4 * i), frsum[i]);
		for (i = 1; i <= contig; i++)
			if (C32(clsumoff + 4 * i) != cl[i])
				FAIL("cg %d: cluster sum[%d]", c, i);
		for (i = 0; i < 4; i++) {
			if (C32(24 + 4 * i) != cs[i])
				FAIL("cg %d: cs[%d] %d, counted %d", c, i,
				    C32(24 + 4 * i), cs[i]);
			if ((int32_t)g32(csum + 16 * c + 4 * i, im->be) !=
			    cs[i])
				FAIL("cg %d: summary area entry %d", c, i);
			tot[i] += cs[i];
		}
#undef C32
	}
	for (i = 0; i < 4; i++)
		if (S64(1008 + 8 * i) != tot[i] || S32(192 + 4 * i) != tot[i])
			FAIL("fs_cstotal[%d] %" PRId64 " / %d, counted %"
			    PRId64, i, S64(1008 + 8 * i), S32(192 + 4 * i),
			    tot[i]);
	/* All data space is free but the root directory's fragment. */
	nfree = tot[1] * frag + tot[3];
	if (nfree != dsize - 1)
		FAIL("free %" PRId64 " of dsize %" PRId64, nfree, dsize);

	/* The root inode and directory. */
	if (rd(im, (uint64_t)iblkno * (uint64_t)fsize + 2 * (uint64_t)isize,
	    ino, (size_t)isize) != 0)
		FAIL("cannot read inode 2");
	if (g16(ino, im->be) != 040755 || g16(ino + 2, im->be) != 2)
		FAIL("root mode %o nlink %d", g16(ino, im->be),
		    g16(ino + 2, im->be));
	if (want_ufs == 1) {
		rootblk = (int32_t)g32(ino + 40, im->be);
		if (g64(ino + 8, im->be) != 512 ||
		    g32(ino + 104, im->be) != (uint32_t)fsize / 512)
			FAIL("root size/blocks");
	} else {
		rootblk = (int64_t)g64(ino + 112, im->be);
		if (g64(ino + 16, im->be) != 512 ||
		    g64(ino + 24, im->be) != (uint64_t)fsize / 512 ||
		    g64(ino + 56, im->be) == 0)
			FAIL("root size/blocks/birthtime");
	}
	if (rootblk != dblkno + cssize / fsize)
		FAIL("root block %" PRId64, rootblk);
	if (rd(im, (uint64_t)rootblk * (uint64_t)fsize, dir, 512) != 0)
		FAIL("cannot read the root directory");
	if (g32(dir, im->be) != 2 || g16(dir + 4, im->be) != 12 ||
	    dir[6] != 4 || dir[7] != 1 || memcmp(dir + 8, ".\0\0\0", 4) ||
	    g32(dir + 12, im->be) != 2 || g16(dir + 16, im->be) != 500 ||
	    dir[18] != 4 || dir[19] != 2 || memcmp(dir + 20, "..\0\0", 4))
		FAIL("root directory entries");
	for (i = 24; i < 512; i++)
		if (dir[i] != 0)
			FAIL("root directory byte %d not zero", i);
	/* Every other inode of group 0's first block is zero. */
	rv = 0;
 out:
	free(cg);
	free(csum);
	free(sb2);
	return rv;
}

/* ---- running newfs in the kernel ---- */

static int
make_file(const char *path, uint64_t size)
{
	int fd;

	unlink(path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) != 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void
args_init(struct rump_ffs_newfs_args *a, int ufs, bool be, int32_t bsize,
    int32_t fsize, struct rump_ffs_newfs_info *ni)
{

	memset(a, 0, sizeof(*a));
	a->nfa_argsize = sizeof(*a);
	a->nfa_version = ufs;
	a->nfa_byteorder = be ? RUMP_FFS_NEWFS_BE : RUMP_FFS_NEWFS_LE;
	a->nfa_bsize = bsize;
	a->nfa_fsize = fsize;
	a->nfa_info = ni;
	a->nfa_infosize = ni != NULL ? sizeof(*ni) : 0;
}

/* newfs on a fresh file of size bytes; 0 or the errno. */
static int
newfs_file(const char *path, uint64_t size,
    const struct rump_ffs_newfs_args *a)
{
	int rv = 0;

	if (make_file(path, size) != 0)
		return errno;
	if (rump_etfs_register("/dev/nf0", path, RUMP_ETFS_BLK) != 0)
		return errno;
	if (rump_ffs_newfs("/dev/nf0", a) != 0)
		rv = errno;
	rump_etfs_remove("/dev/nf0");
	return rv;
}

/* Mount read-only with our driver: root empty, statvfs as counted. */
static int
check_mount(const char *path, const struct rump_ffs_newfs_info *ni,
    char *why, size_t whylen)
{
	struct rump_ffs_args args;
	struct rump_statvfs sv;
	struct rump_stat st;
	char buf[4096];
	int fd, n, off, names = 0, rv = -1, mounted = 0;

	memset(&args, 0, sizeof(args));
	strcpy(args.fa_fspec, "/dev/nf1");
	if (rump_etfs_register("/dev/nf1", path, RUMP_ETFS_BLK_RO) != 0)
		FAIL("etfs: %s", strerror(errno));
	if (rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
	    sizeof(args)) != 0)
		FAIL("mount: %s", strerror(errno));
	mounted = 1;
	if (rump_sys_stat("/mnt", &st) != 0 || st.st_mode != 040755 ||
	    st.st_nlink != 2 || st.st_ino != 2)
		FAIL("root stat: mode %o nlink %d", (unsigned)st.st_mode,
		    (int)st.st_nlink);
	if ((fd = rump_sys_open("/mnt", RUMP_O_RDONLY, 0)) < 0)
		FAIL("open /: %s", strerror(errno));
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; ) {
			struct rump_dirent *d = (void *)(buf + off);

			if ((strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0) || d->d_ino != 2 ||
			    d->d_type != RUMP_DT_DIR) {
				rump_sys_close(fd);
				FAIL("root entry \"%s\"", d->d_name);
			}
			names++;
			off += d->d_reclen;
		}
	}
	rump_sys_close(fd);
	if (names != 2)
		FAIL("root has %d entries", names);
	if (rump_sys_statvfs("/mnt", &sv) != 0)
		FAIL("statvfs: %s", strerror(errno));
	if (sv.f_frsize != (uint64_t)ni->ni_fsize ||
	    sv.f_blocks != (uint64_t)ni->ni_dsize ||
	    sv.f_bfree != (uint64_t)(ni->ni_dsize - 1) ||
	    sv.f_files != (uint64_t)ni->ni_ninodes ||
	    sv.f_ffree != (uint64_t)ni->ni_ninodes - 3)
		FAIL("statvfs: blocks %" PRIu64 " bfree %" PRIu64 " files %"
		    PRIu64 " ffree %" PRIu64, (uint64_t)sv.f_blocks,
		    (uint64_t)sv.f_bfree, (uint64_t)sv.f_files,
		    (uint64_t)sv.f_ffree);
	/* Metadata is a small share: data space is most of the size
	 * (less so in a 1 MiB file system with 64 KiB blocks). */
	if ((double)sv.f_blocks < (ni->ni_size * ni->ni_fsize < 2 << 20 ?
	    0.65 : 0.80) * (double)ni->ni_size)
		FAIL("only %" PRIu64 " of %" PRId64 " fragments for data",
		    (uint64_t)sv.f_blocks, ni->ni_size);
	rv = 0;
 out:
	if (mounted && rump_sys_unmount("/mnt", 0) != 0 && rv == 0) {
		snprintf(why, whylen, "unmount: %s", strerror(errno));
		rv = -1;
	}
	rump_etfs_remove("/dev/nf1");
	return rv;
}

static int
check_file(const char *path, int ufs, bool be, int32_t bsize, int32_t fsize,
    char *why, size_t whylen)
{
	struct img im;
	struct stat st;
	int rv;

	memset(&im, 0, sizeof(im));
	if ((im.fd = open(path, O_RDONLY)) < 0 || fstat(im.fd, &st) != 0) {
		snprintf(why, whylen, "open: %s", strerror(errno));
		return -1;
	}
	im.len = (uint64_t)st.st_size;
	rv = check_image(&im, ufs, be, bsize, fsize, why, whylen);
	close(im.fd);
	return rv;
}

static void
matrix(void)
{
	static const int32_t bf[][2] = { { 4096, 512 }, { 8192, 1024 },
	    { 16384, 2048 }, { 32768, 4096 }, { 65536, 8192 } };
	static const uint64_t sizes[] = { 1 << 20, 7 << 20,
	    (33 << 20) + 12345, 100 << 20 };
	struct rump_ffs_newfs_args a;
	struct rump_ffs_newfs_info ni;
	char path[512], why[256], what[128];
	int ufs, be, error, nbad = 0, n = 0;
	u_int i, j;

	snprintf(path, sizeof(path), "%s/m.img", work);
	for (ufs = 1; ufs <= 2; ufs++)
	for (be = 0; be <= 1; be++)
	for (i = 0; i < __arraycount(bf); i++)
	for (j = 0; j < __arraycount(sizes); j++) {
		snprintf(what, sizeof(what), "UFS%d %s %d/%d %" PRIu64 " bytes",
		    ufs, be ? "BE" : "LE", bf[i][0], bf[i][1], sizes[j]);
		args_init(&a, ufs, be, bf[i][0], bf[i][1], &ni);
		memset(&ni, 0xa5, sizeof(ni));
		n++;
		why[0] = '\0';
		if ((error = newfs_file(path, sizes[j], &a)) != 0)
			snprintf(why, sizeof(why), "newfs: %s",
			    strerror(error));
		else if (ni.ni_version != ufs || ni.ni_bigendian != be ||
		    ni.ni_bsize != bf[i][0] || ni.ni_fsize != bf[i][1] ||
		    (uint64_t)ni.ni_size * (uint64_t)ni.ni_fsize > sizes[j] ||
		    (uint64_t)ni.ni_size * (uint64_t)ni.ni_fsize +
		    (uint64_t)bf[i][0] <= sizes[j] ||
		    ni.ni_sblockloc != (ufs == 1 ? 8192 : 65536))
			snprintf(why, sizeof(why), "info: size %" PRId64
			    " frags", ni.ni_size);
		else if (check_file(path, ufs, be, bf[i][0], bf[i][1], why,
		    sizeof(why)) == 0)
			check_mount(path, &ni, why, sizeof(why));
		if (why[0] != '\0') {
			nbad++;
			ok(0, "%s: %s", what, why);
		}
	}
	unlink(path);
	ok(nbad == 0, "%d file systems (UFS1/2, LE/BE, 4096/512 .. "
	    "65536/8192, 1 MiB .. 100 MiB): the checker and the driver "
	    "accept them", n);
}

/* ---- against makefs ---- */

/*
 * UFS1 from makefs and from us, same size, block and fragment size
 * and density, compared byte for byte: the superblock (but times, id
 * and the in-core pointer area), every group's header and maps (but
 * times and the allocator's rotors) and the summary area.
 */
static int
compare_makefs(uint64_t size, int32_t bsize, int32_t fsize, char *why,
    size_t whylen)
{
	struct rump_ffs_newfs_args a;
	struct rump_ffs_newfs_info ni;
	char mpath[512], npath[512], cmd[1400];
	uint8_t *m = NULL, *n = NULL;
	struct stat st;
	int32_t ncg, fpg, cb, cgsize, c, fs;
	int fd, rv = -1, e;
	size_t i;

	snprintf(mpath, sizeof(mpath), "%s/makefs.img", work);
	snprintf(npath, sizeof(npath), "%s/newfs.img", work);
	snprintf(cmd, sizeof(cmd), "rm -rf %s/empty && mkdir %s/empty && "
	    "makefs -t ffs -B le -s %" PRIu64 " -o version=1,bsize=%d,"
	    "fsize=%d,density=%d %s %s/empty >/dev/null 2>&1", work, work,
	    size, bsize, fsize, 4 * fsize, mpath, work);
	if (system(cmd) != 0)
		FAIL("makefs failed");
	args_init(&a, 1, false, bsize, fsize, &ni);
	a.nfa_density = 4 * fsize;
	if ((e = newfs_file(npath, size, &a)) != 0)
		FAIL("newfs: %s", strerror(e));
	m = malloc((size_t)size);
	n = malloc((size_t)size);
	if (m == NULL || n == NULL)
		FAIL("memory");
	if ((fd = open(mpath, O_RDONLY)) < 0 || fstat(fd, &st) != 0 ||
	    (uint64_t)st.st_size != size ||
	    pread(fd, m, (size_t)size, 0) != (ssize_t)size)
		FAIL("reading the makefs image");
	close(fd);
	if ((fd = open(npath, O_RDONLY)) < 0 ||
	    pread(fd, n, (size_t)size, 0) != (ssize_t)size)
		FAIL("reading our image");
	close(fd);
	for (i = 8192; i < 8192 + 1376; i++) {
		size_t o = i - 8192;

		if ((o >= 32 && o < 36) || (o >= 144 && o < 152) ||
		    (o >= 728 && o < 856) || (o >= 1072 && o < 1080))
			continue;	/* times, id, in-core pointers */
		if (m[i] != n[i])
			FAIL("superblock byte %zu: makefs %#x, ours %#x", o,
			    m[i], n[i]);
	}
	ncg = (int32_t)g32(n + 8192 + 44, false);
	fpg = (int32_t)g32(n + 8192 + 188, false);
	cb = (int32_t)g32(n + 8192 + 12, false);
	cgsize = (int32_t)g32(n + 8192 + 160, false);
	fs = fsize;
	for (c = 0; c < ncg; c++) {
		size_t base = ((size_t)c * (size_t)fpg + (size_t)cb) *
		    (size_t)fs;

		for (i = 0; i < (size_t)cgsize; i++) {
			if ((i >= 8 && i < 12) || (i >= 40 && i < 52))
				continue;	/* old_time, rotors */
			if (m[base + i] != n[base + i])
				FAIL("cg %d byte %zu: makefs %#x, ours %#x",
				    c, i, m[base + i], n[base + i]);
		}
	}
	i = (size_t)g32(n + 8192 + 1096, false) * (size_t)fs;
	if (memcmp(m + i, n + i, (size_t)ncg * 16) != 0)
		FAIL("summary area");
	rv = 0;
 out:
	free(m);
	free(n);
	unlink(mpath);
	unlink(npath);
	return rv;
}

static void
against_makefs(void)
{
	static const struct { uint64_t size; int32_t b, f; } t[] = {
		{ 1 << 20, 4096, 512 }, { 7 << 20, 8192, 1024 },
		{ 7 << 20, 65536, 8192 }, { 11210752, 4096, 512 },
		{ 33 << 20, 16384, 2048 }, { 100 << 20, 4096, 512 },
		{ 100 << 20, 8192, 1024 }, { 100 << 20, 32768, 4096 },
		{ 100 << 20, 8192, 2048 },
	};
	char why[256];
	u_int i;

	if (system("command -v makefs >/dev/null 2>&1") != 0) {
		skip((int)__arraycount(t), "makefs(8) is not installed");
		return;
	}
	for (i = 0; i < __arraycount(t); i++) {
		why[0] = '\0';
		ok(compare_makefs(t[i].size, t[i].b, t[i].f, why,
		    sizeof(why)) == 0, "UFS1 %" PRIu64 " bytes %d/%d: the "
		    "same superblock, groups and summary as makefs%s%s",
		    t[i].size, t[i].b, t[i].f, why[0] ? ": " : "", why);
	}
}

/* ---- errors and details ---- */

static int
newfs_err(uint64_t size, const struct rump_ffs_newfs_args *a)
{
	char path[512];
	int e;

	snprintf(path, sizeof(path), "%s/e.img", work);
	e = newfs_file(path, size, a);
	unlink(path);
	return e;
}

static void
errors(void)
{
	struct rump_ffs_newfs_args a;
	struct rump_ffs_newfs_info ni;
	char path[512], why[256], buf[65536];
	int fd, zero, e;
	ssize_t r;
	size_t i;

	args_init(&a, 1, false, 3000, 0, NULL);
	ok(newfs_err(8 << 20, &a) == EINVAL, "block size 3000: EINVAL");
	args_init(&a, 1, false, 131072, 0, NULL);
	ok(newfs_err(8 << 20, &a) == EINVAL, "block size 128 KiB: EINVAL");
	args_init(&a, 1, false, 8192, 16384, NULL);
	ok(newfs_err(8 << 20, &a) == EINVAL, "fragment > block: EINVAL");
	args_init(&a, 1, false, 8192, 512, NULL);
	ok(newfs_err(8 << 20, &a) == EINVAL, "16 fragments a block: EINVAL");
	args_init(&a, 3, false, 0, 0, NULL);
	ok(newfs_err(8 << 20, &a) == EINVAL, "version 3: EINVAL");
	args_init(&a, 2, false, 0, 0, NULL);
	a.nfa_byteorder = 1;
	ok(newfs_err(8 << 20, &a) == EINVAL, "byte order 1: EINVAL");
	args_init(&a, 2, false, 0, 0, NULL);
	a.nfa_flags = RUMP_FFS_NEWFS_MINFREE;
	a.nfa_minfree = 100;
	ok(newfs_err(8 << 20, &a) == EINVAL, "minfree 100%%: EINVAL");
	args_init(&a, 2, false, 0, 0, NULL);
	memset(a.nfa_volname, 'x', sizeof(a.nfa_volname));
	ok(newfs_err(8 << 20, &a) == EINVAL, "unterminated label: EINVAL");
	args_init(&a, 2, false, 0, 0, NULL);
	a.nfa_argsize = 8;
	ok(newfs_err(8 << 20, &a) == EINVAL, "short argument size: EINVAL");
	args_init(&a, 2, false, 0, 0, NULL);
	a.nfa_size = 9 << 20;
	ok(newfs_err(8 << 20, &a) == EINVAL, "larger than the device: EINVAL");
	/* UFS1, 4096/512: 38 KiB of metadata, the summary, the root
	 * directory and one free block; the size is whole blocks. */
	args_init(&a, 1, false, 0, 0, &ni);
	ok(newfs_err(40 << 10, &a) == 0 && ni.ni_size == 80 &&
	    ni.ni_nbfree == 1, "UFS1 in 40 KiB: one free block");
	args_init(&a, 1, false, 0, 0, NULL);
	ok(newfs_err(36 << 10, &a) == EINVAL, "UFS1 in 36 KiB: EINVAL");
	args_init(&a, 2, false, 0, 0, NULL);
	ok(newfs_err(96 << 10, &a) == EINVAL, "UFS2 in 96 KiB: EINVAL");
	args_init(&a, 2, false, 65536, 8192, NULL);
	ok(newfs_err(384 << 10, &a) == EINVAL,
	    "UFS2 with 64 KiB blocks in 384 KiB: EINVAL");
	args_init(&a, 1, false, 0, 0, NULL);
	ok(rump_ffs_newfs("/nonexistent", &a) == -1 && errno == ENOENT,
	    "a missing device: ENOENT");
	ok(rump_ffs_newfs("/mnt", &a) == -1 && errno == ENOTBLK,
	    "a directory: ENOTBLK");

	/* Defaults: NetBSD's sizes, and 4 fragments per inode. */
	args_init(&a, 0, false, 0, 0, &ni);
	a.nfa_byteorder = 0;
	snprintf(path, sizeof(path), "%s/d.img", work);
	e = newfs_file(path, 64 << 20, &a);
	ok(e == 0 && ni.ni_version == 1 && ni.ni_bsize == 8192 &&
	    ni.ni_fsize == 1024 && ni.ni_minfree == 5 &&
	    ni.ni_bigendian == (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) &&
	    (int64_t)ni.ni_ipg * 4 > ni.ni_fpg - 4 * 64 &&
	    (int64_t)ni.ni_ipg * 4 < ni.ni_fpg + 4 * 64,
	    "defaults for 64 MiB: UFS1, host order, 8192/1024, 5%%, one "
	    "inode per 4 KiB");

	/* A label is stored; minfree below 5 optimises for space. */
	args_init(&a, 2, true, 0, 0, &ni);
	strcpy(a.nfa_volname, "scratch");
	a.nfa_flags = RUMP_FFS_NEWFS_MINFREE;
	a.nfa_minfree = 0;
	e = newfs_file(path, 4 << 20, &a);
	fd = open(path, O_RDONLY);
	r = pread(fd, buf, 8192, 65536);
	close(fd);
	ok(e == 0 && r == 8192 && strcmp(buf + 680, "scratch") == 0 &&
	    g32((uint8_t *)buf + 60, true) == 0 &&
	    g32((uint8_t *)buf + 128, true) == 1,
	    "the label, minfree 0 and FS_OPTSPACE are in the superblock");

	/* Two file systems never share an id. */
	args_init(&a, 2, false, 0, 0, NULL);
	newfs_file(path, 4 << 20, &a);
	fd = open(path, O_RDONLY);
	r = pread(fd, buf, 8, 65536 + 144);
	close(fd);
	newfs_file(path, 4 << 20, &a);
	fd = open(path, O_RDONLY);
	r += pread(fd, buf + 8, 8, 65536 + 144);
	close(fd);
	ok(r == 16 && memcmp(buf, buf + 8, 8) != 0, "fs_id differs per run");

	/* A dry run: the geometry, and not a byte written. */
	args_init(&a, 2, false, 0, 0, &ni);
	a.nfa_flags = RUMP_FFS_NEWFS_DRYRUN;
	memset(&ni, 0, sizeof(ni));
	make_file(path, 16 << 20);
	rump_etfs_register("/dev/nf0", path, RUMP_ETFS_BLK_RO);
	e = rump_ffs_newfs("/dev/nf0", &a);
	rump_etfs_remove("/dev/nf0");
	fd = open(path, O_RDONLY);
	zero = 1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < (size_t)r; i++)
			zero &= buf[i] == 0;
	close(fd);
	ok(e == 0 && zero && ni.ni_ncg >= 1 && ni.ni_bsize == 4096 &&
	    ni.ni_size == (16 << 20) / 512,
	    "a dry run on a read-only device fills the info, writes nothing");

	/*
	 * UFS2 (superblock at 65536), then UFS1 with small blocks over
	 * it: 65536 is then inside UFS1's data, and a reader searching
	 * 65536 first must not find the old file system there.
	 */
	args_init(&a, 2, false, 4096, 512, NULL);
	e = newfs_file(path, 4 << 20, &a);
	args_init(&a, 1, false, 4096, 512, &ni);
	a.nfa_density = 1 << 20;	/* few inodes: data before 64 KiB */
	if (e == 0) {
		rump_etfs_register("/dev/nf0", path, RUMP_ETFS_BLK);
		e = rump_ffs_newfs("/dev/nf0", &a) == 0 ? 0 : errno;
		rump_etfs_remove("/dev/nf0");
	}
	fd = open(path, O_RDONLY);
	r = pread(fd, buf, 4, 65536 + 1372);
	close(fd);
	why[0] = '\0';
	ok(e == 0 && r == 4 && g32((uint8_t *)buf, false) != 0x19540119 &&
	    check_file(path, 1, false, 4096, 512, why, sizeof(why)) == 0 &&
	    check_mount(path, &ni, why, sizeof(why)) == 0,
	    "UFS1 over UFS2: the old superblock at 65536 is wiped%s%s",
	    why[0] ? ": " : "", why);
	unlink(path);
}

int
main(void)
{
	char tmpl[300];

	snprintf(tmpl, sizeof(tmpl), "%s/t_newfs_layout.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpl) == NULL || rump_init() != 0) {
		ok(0, "setup");
		return tap_done();
	}
	strcpy(work, tmpl);
	if (rump_sys_mkdir("/dev", 0755) != 0 ||
	    rump_sys_mkdir("/mnt", 0755) != 0)
		ok(0, "mkdir /dev /mnt");
	matrix();
	against_makefs();
	errors();
	rmdir(work);
	return tap_done();
}
