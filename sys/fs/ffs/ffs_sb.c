/*
 * ffs_sb.c: finding and checking the FFS superblock (see ffs_sb.h and
 * docs/ffs-format.md, sections 1.2, 2 and 7).
 *
 * Every field the driver will use is read through ffs_get*() in the
 * image's byte order and checked against the others before the
 * superblock is accepted, so a corrupt or hostile image is refused
 * here with EINVAL rather than trusted later.  No locking: pure
 * functions of their arguments.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include "ffs_sb.h"


/* log2 of v if v is a power of two, else -1. */
static int
exact_log2(uint32_t v)
{

	if (v == 0 || (v & (v - 1)) != 0)
		return -1;
	return fls32(v) - 1;
}

int
ffs_sb_decode(const void *raw, size_t len, uint64_t loc, uint64_t devsize,
    struct ffs_sb *sb)
{
	const uint8_t *b = raw;
	uint32_t magic;
	int64_t fpg64, inopf;
	bool be;
	int i;

#define G32(off)	((int32_t)ffs_get32(b + (off), be))
#define G64(off)	((int64_t)ffs_get64(b + (off), be))
#define CHECK(cond)	do { if (!(cond)) return EINVAL; } while (0)

	if (len < FFS_SB_DEFINED)
		return EFTYPE;
	magic = ffs_get32(b + FFS_SBO_MAGIC, false);
	if (magic == FFS_UFS1_MAGIC || magic == FFS_UFS2_MAGIC) {
		be = false;
	} else {
		magic = ffs_get32(b + FFS_SBO_MAGIC, true);
		if (magic != FFS_UFS1_MAGIC && magic != FFS_UFS2_MAGIC)
			return EFTYPE;
		be = true;
	}
	memset(sb, 0, sizeof(*sb));
	sb->sb_ufs = magic == FFS_UFS1_MAGIC ? 1 : 2;
	sb->sb_bigendian = be;
	sb->sb_loc = loc;

	/* Backup copies in a primary's place (section 1.2). */
	if (sb->sb_ufs == 1)
		CHECK(loc != 65536);
	else
		CHECK((uint64_t)G64(FFS_SBO_SBLOCKLOC) == loc);

	sb->sb_sblkno = G32(FFS_SBO_SBLKNO);
	sb->sb_cblkno = G32(FFS_SBO_CBLKNO);
	sb->sb_iblkno = G32(FFS_SBO_IBLKNO);
	sb->sb_dblkno = G32(FFS_SBO_DBLKNO);
	sb->sb_ncg = G32(FFS_SBO_NCG);
	sb->sb_bsize = G32(FFS_SBO_BSIZE);
	sb->sb_fsize = G32(FFS_SBO_FSIZE);
	sb->sb_frag = G32(FFS_SBO_FRAG);
	sb->sb_minfree = G32(FFS_SBO_MINFREE);
	sb->sb_bshift = G32(FFS_SBO_BSHIFT);
	sb->sb_fshift = G32(FFS_SBO_FSHIFT);
	sb->sb_fragshift = G32(FFS_SBO_FRAGSHIFT);
	sb->sb_fsbtodb = G32(FFS_SBO_FSBTODB);
	sb->sb_sbsize = G32(FFS_SBO_SBSIZE);
	sb->sb_nindir = G32(FFS_SBO_NINDIR);
	sb->sb_inopb = G32(FFS_SBO_INOPB);
	sb->sb_ipg = G32(FFS_SBO_IPG);
	sb->sb_fpg = G32(FFS_SBO_FPG);
	sb->sb_cgsize = G32(FFS_SBO_CGSIZE);
	sb->sb_cssize = G32(FFS_SBO_CSSIZE);
	sb->sb_maxcontig = G32(FFS_SBO_MAXCONTIG);
	sb->sb_maxbpg = G32(FFS_SBO_MAXBPG);
	sb->sb_contigsumsize = G32(FFS_SBO_CONTIGSUMSIZE);
	sb->sb_maxsymlinklen = G32(FFS_SBO_MAXSYMLINKLEN);
	sb->sb_inodefmt = G32(FFS_SBO_INODEFMT);
	sb->sb_clean = b[FFS_SBO_CLEAN];
	if (sb->sb_ufs == 1) {
		sb->sb_old_cgoffset = G32(FFS_SBO_OLD_CGOFFSET);
		sb->sb_old_cgmask = G32(FFS_SBO_OLD_CGMASK);
	} else
		sb->sb_old_cgmask = -1;
	sb->sb_maxfilesize = (uint64_t)G64(FFS_SBO_MAXFILESIZE);
	memcpy(sb->sb_volname, b + FFS_SBO_VOLNAME, 32);
	sb->sb_volname[32] = '\0';

	/* Flags moved to 32 bits; older UFS1 kept 8 (section 2.3). */
	if (b[FFS_SBO_OLD_FLAGS] & FFS_FLAGS_UPDATED)
		sb->sb_flags = (uint32_t)G32(FFS_SBO_FLAGS);
	else
		sb->sb_flags = b[FFS_SBO_OLD_FLAGS];

	/* UFS1 that never had its 64-bit copies filled in. */
	if (sb->sb_ufs == 1 && G32(FFS_SBO_MAXBSIZE) != sb->sb_bsize) {
		sb->sb_time = G32(FFS_SBO_OLD_TIME);
		sb->sb_size = G32(FFS_SBO_OLD_SIZE);
		sb->sb_dsize = G32(FFS_SBO_OLD_DSIZE);
		sb->sb_csaddr = G32(FFS_SBO_OLD_CSADDR);
		sb->sb_cstotal.cs_ndir = G32(FFS_SBO_OLD_CSTOTAL);
		sb->sb_cstotal.cs_nbfree = G32(FFS_SBO_OLD_CSTOTAL + 4);
		sb->sb_cstotal.cs_nifree = G32(FFS_SBO_OLD_CSTOTAL + 8);
		sb->sb_cstotal.cs_nffree = G32(FFS_SBO_OLD_CSTOTAL + 12);
	} else {
		sb->sb_time = G64(FFS_SBO_TIME);
		sb->sb_size = G64(FFS_SBO_SIZE);
		sb->sb_dsize = G64(FFS_SBO_DSIZE);
		sb->sb_csaddr = G64(FFS_SBO_CSADDR);
		sb->sb_cstotal.cs_ndir = G64(FFS_SBO_CSTOTAL);
		sb->sb_cstotal.cs_nbfree = G64(FFS_SBO_CSTOTAL + 8);
		sb->sb_cstotal.cs_nifree = G64(FFS_SBO_CSTOTAL + 16);
		sb->sb_cstotal.cs_nffree = G64(FFS_SBO_CSTOTAL + 24);
	}

	/* Sizes, shifts and masks agree (section 2.2, checks 2-5). */
	CHECK(sb->sb_sbsize >= FFS_SB_DEFINED && sb->sb_sbsize <= FFS_SBSIZE);
	CHECK(sb->sb_bsize >= FFS_MINBSIZE && sb->sb_bsize <= FFS_MAXBSIZE);
	CHECK(exact_log2((uint32_t)sb->sb_bsize) == sb->sb_bshift);
	CHECK(sb->sb_fsize >= 512 &&
	    exact_log2((uint32_t)sb->sb_fsize) == sb->sb_fshift);
	CHECK(sb->sb_frag == 1 || sb->sb_frag == 2 || sb->sb_frag == 4 ||
	    sb->sb_frag == 8);
	CHECK(sb->sb_fsize * sb->sb_frag == sb->sb_bsize);
	CHECK(exact_log2((uint32_t)sb->sb_frag) == sb->sb_fragshift);
	CHECK(sb->sb_fsbtodb == sb->sb_fshift - 9);
	CHECK(G32(FFS_SBO_BMASK) == ~(sb->sb_bsize - 1));
	CHECK(G32(FFS_SBO_FMASK) == ~(sb->sb_fsize - 1));
	CHECK(sb->sb_nindir == sb->sb_bsize / (sb->sb_ufs == 1 ? 4 : 8));
	CHECK(sb->sb_inopb == sb->sb_bsize / (sb->sb_ufs == 1 ? 128 : 256));

	/* Groups, inodes and the extent of the file system (6, 7). */
	CHECK(sb->sb_ncg >= 1 && sb->sb_ipg >= 1 && sb->sb_fpg >= 1);
	CHECK(sb->sb_ipg % sb->sb_inopb == 0);
	CHECK((uint64_t)sb->sb_ncg * (uint64_t)sb->sb_ipg <= UINT32_MAX);
	CHECK(sb->sb_fpg % sb->sb_frag == 0);
	CHECK(sb->sb_old_cgoffset >= 0 && sb->sb_old_cgoffset < sb->sb_fpg);
	fpg64 = sb->sb_fpg;
	CHECK(sb->sb_size > (sb->sb_ncg - 1) * fpg64 &&
	    sb->sb_size <= sb->sb_ncg * fpg64);
	if (devsize != 0)
		CHECK((uint64_t)sb->sb_size <= devsize / (uint64_t)sb->sb_fsize);

	/* Layout inside a group (8, 9). */
	CHECK(sb->sb_sblkno >= 0 && sb->sb_sblkno < sb->sb_cblkno &&
	    sb->sb_cblkno < sb->sb_iblkno && sb->sb_iblkno < sb->sb_dblkno &&
	    sb->sb_dblkno < sb->sb_fpg);
	CHECK(sb->sb_sblkno % sb->sb_frag == 0 &&
	    sb->sb_cblkno % sb->sb_frag == 0 &&
	    sb->sb_iblkno % sb->sb_frag == 0 &&
	    sb->sb_dblkno % sb->sb_frag == 0);
	inopf = sb->sb_inopb >> sb->sb_fragshift;
	CHECK(inopf >= 1 && sb->sb_ipg % inopf == 0 &&
	    sb->sb_dblkno - sb->sb_iblkno == sb->sb_ipg / inopf);
	CHECK((int64_t)(sb->sb_cblkno - sb->sb_sblkno) * sb->sb_fsize >=
	    sb->sb_sbsize);
	CHECK(sb->sb_cgsize > 0 && sb->sb_cgsize <= sb->sb_bsize &&
	    (int64_t)(sb->sb_iblkno - sb->sb_cblkno) * sb->sb_fsize >=
	    sb->sb_cgsize);

	/* The summary area (10). */
	CHECK(sb->sb_cssize ==
	    roundup((int64_t)sb->sb_ncg * 16, (int64_t)sb->sb_fsize));
	CHECK(sb->sb_csaddr > 0 && sb->sb_csaddr +
	    howmany(sb->sb_cssize, sb->sb_fsize) <= sb->sb_size);

	/* Allocation and format details (11-14). */
	CHECK(sb->sb_contigsumsize >= 0 &&
	    sb->sb_contigsumsize <= FFS_MAXCONTIG);
	CHECK(sb->sb_maxcontig >= 1 && sb->sb_maxbpg >= 1);
	if (sb->sb_ufs == 1 && sb->sb_inodefmt < 2)
		CHECK(sb->sb_maxsymlinklen == 0);
	else
		CHECK(sb->sb_maxsymlinklen ==
		    (sb->sb_ufs == 1 ? 60 : 120));
	if (sb->sb_ufs == 1)
		CHECK(G32(FFS_SBO_OLD_POSTBLFMT) != -1);
	CHECK(sb->sb_dsize > 0 && sb->sb_dsize <= sb->sb_size);
	CHECK(sb->sb_minfree >= 0 && sb->sb_minfree <= 99);
	CHECK(sb->sb_cstotal.cs_ndir >= 0 && sb->sb_cstotal.cs_nbfree >= 0 &&
	    sb->sb_cstotal.cs_nifree >= 0 && sb->sb_cstotal.cs_nffree >= 0);
	CHECK(sb->sb_cstotal.cs_nifree <=
	    (int64_t)sb->sb_ncg * sb->sb_ipg &&
	    sb->sb_cstotal.cs_nbfree <= sb->sb_size / sb->sb_frag &&
	    sb->sb_cstotal.cs_nffree <= sb->sb_size);
	for (i = 0; i < 32; i++)	/* a label is text */
		if (sb->sb_volname[i] != '\0' &&
		    ((uint8_t)sb->sb_volname[i] < 0x20 ||
		    (uint8_t)sb->sb_volname[i] > 0x7e))
			sb->sb_volname[i] = '?';
	return 0;
#undef G32
#undef G64
#undef CHECK
}

int
ffs_sb_find(ffs_read_fn readfn, void *arg, uint64_t devsize, void *scratch,
    struct ffs_sb *sb)
{
	static const uint64_t where[] = { 65536, 8192, 0, 262144 };
	int error, best = EFTYPE;
	u_int i;

	for (i = 0; i < __arraycount(where); i++) {
		if (devsize != 0 && where[i] + FFS_SBSIZE > devsize)
			continue;
		if ((error = readfn(arg, where[i], scratch, FFS_SBSIZE)) != 0)
			return error;
		error = ffs_sb_decode(scratch, FFS_SBSIZE, where[i], devsize,
		    sb);
		if (error == 0)
			return 0;
		if (error == EINVAL)
			best = EINVAL;	/* an FFS, but not a sound one here */
	}
	return best;
}

void
ffs_sb_encode(const struct ffs_sb *sb, void *raw)
{
	uint8_t *b = raw;
	bool be = sb->sb_bigendian;

#define P32(off, v)	ffs_put32(b + (off), (uint32_t)(v), be)
#define P64(off, v)	ffs_put64(b + (off), (uint64_t)(v), be)
	P32(FFS_SBO_SBLKNO, sb->sb_sblkno);
	P32(FFS_SBO_CBLKNO, sb->sb_cblkno);
	P32(FFS_SBO_IBLKNO, sb->sb_iblkno);
	P32(FFS_SBO_DBLKNO, sb->sb_dblkno);
	P32(FFS_SBO_NCG, sb->sb_ncg);
	P32(FFS_SBO_BSIZE, sb->sb_bsize);
	P32(FFS_SBO_FSIZE, sb->sb_fsize);
	P32(FFS_SBO_FRAG, sb->sb_frag);
	P32(FFS_SBO_MINFREE, sb->sb_minfree);
	P32(FFS_SBO_BMASK, ~(sb->sb_bsize - 1));
	P32(FFS_SBO_FMASK, ~(sb->sb_fsize - 1));
	P32(FFS_SBO_BSHIFT, sb->sb_bshift);
	P32(FFS_SBO_FSHIFT, sb->sb_fshift);
	P32(FFS_SBO_MAXCONTIG, sb->sb_maxcontig);
	P32(FFS_SBO_MAXBPG, sb->sb_maxbpg);
	P32(FFS_SBO_FRAGSHIFT, sb->sb_fragshift);
	P32(FFS_SBO_FSBTODB, sb->sb_fsbtodb);
	P32(FFS_SBO_SBSIZE, sb->sb_sbsize);
	P32(FFS_SBO_NINDIR, sb->sb_nindir);
	P32(FFS_SBO_INOPB, sb->sb_inopb);
	P32(FFS_SBO_CSSIZE, sb->sb_cssize);
	P32(FFS_SBO_CGSIZE, sb->sb_cgsize);
	P32(FFS_SBO_IPG, sb->sb_ipg);
	P32(FFS_SBO_FPG, sb->sb_fpg);
	b[FFS_SBO_CLEAN] = sb->sb_clean;
	b[FFS_SBO_OLD_FLAGS] = FFS_FLAGS_UPDATED;
	P32(FFS_SBO_FLAGS, sb->sb_flags);
	memcpy(b + FFS_SBO_VOLNAME, sb->sb_volname, 32);
	P32(FFS_SBO_MAXBSIZE, sb->sb_bsize);
	P64(FFS_SBO_SBLOCKLOC, sb->sb_loc);
	P64(FFS_SBO_CSTOTAL, sb->sb_cstotal.cs_ndir);
	P64(FFS_SBO_CSTOTAL + 8, sb->sb_cstotal.cs_nbfree);
	P64(FFS_SBO_CSTOTAL + 16, sb->sb_cstotal.cs_nifree);
	P64(FFS_SBO_CSTOTAL + 24, sb->sb_cstotal.cs_nffree);
	P64(FFS_SBO_TIME, sb->sb_time);
	P64(FFS_SBO_SIZE, sb->sb_size);
	P64(FFS_SBO_DSIZE, sb->sb_dsize);
	P64(FFS_SBO_CSADDR, sb->sb_csaddr);
	P32(FFS_SBO_CONTIGSUMSIZE, sb->sb_contigsumsize);
	P32(FFS_SBO_MAXSYMLINKLEN, sb->sb_maxsymlinklen);
	P32(FFS_SBO_INODEFMT, sb->sb_inodefmt);
	P64(FFS_SBO_MAXFILESIZE, sb->sb_maxfilesize);
	P64(FFS_SBO_QBMASK, sb->sb_bsize - 1);
	P64(FFS_SBO_QFMASK, sb->sb_fsize - 1);
	/* Every version keeps the 32-bit totals (makefs does, for UFS2
	 * too); UFS1 keeps its other old copies equal (section 2.3). */
	P32(FFS_SBO_OLD_CSTOTAL, sb->sb_cstotal.cs_ndir);
	P32(FFS_SBO_OLD_CSTOTAL + 4, sb->sb_cstotal.cs_nbfree);
	P32(FFS_SBO_OLD_CSTOTAL + 8, sb->sb_cstotal.cs_nifree);
	P32(FFS_SBO_OLD_CSTOTAL + 12, sb->sb_cstotal.cs_nffree);
	if (sb->sb_ufs == 1) {
		P32(FFS_SBO_OLD_CGOFFSET, sb->sb_old_cgoffset);
		P32(FFS_SBO_OLD_CGMASK, sb->sb_old_cgmask);
		P32(FFS_SBO_OLD_TIME, sb->sb_time);
		P32(FFS_SBO_OLD_SIZE, sb->sb_size);
		P32(FFS_SBO_OLD_DSIZE, sb->sb_dsize);
		P32(FFS_SBO_OLD_CSADDR, sb->sb_csaddr);
		P32(FFS_SBO_OLD_NSPF, sb->sb_fsize / 512);
		P32(FFS_SBO_MAGIC, FFS_UFS1_MAGIC);
	} else
		P32(FFS_SBO_MAGIC, FFS_UFS2_MAGIC);
#undef P32
#undef P64
}
