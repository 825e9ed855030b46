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

/* Offsets in the superblock (docs/ffs-format.md, section 2). */
#define O_SBLKNO	8
#define O_CBLKNO	12
#define O_IBLKNO	16
#define O_DBLKNO	20
#define O_OLD_CGOFFSET	24
#define O_OLD_CGMASK	28
#define O_OLD_TIME	32
#define O_OLD_SIZE	36
#define O_OLD_DSIZE	40
#define O_NCG		44
#define O_BSIZE		48
#define O_FSIZE		52
#define O_FRAG		56
#define O_MINFREE	60
#define O_BMASK		72
#define O_FMASK		76
#define O_BSHIFT	80
#define O_FSHIFT	84
#define O_MAXCONTIG	88
#define O_MAXBPG	92
#define O_FRAGSHIFT	96
#define O_FSBTODB	100
#define O_SBSIZE	104
#define O_NINDIR	116
#define O_INOPB		120
#define O_OLD_CSADDR	152
#define O_CSSIZE	156
#define O_CGSIZE	160
#define O_IPG		184
#define O_FPG		188
#define O_OLD_CSTOTAL	192
#define O_CLEAN		209
#define O_OLD_FLAGS	211
#define O_VOLNAME	680
#define O_MAXBSIZE	860
#define O_SBLOCKLOC	1000
#define O_CSTOTAL	1008
#define O_TIME		1072
#define O_SIZE		1080
#define O_DSIZE		1088
#define O_CSADDR	1096
#define O_FLAGS		1312
#define O_CONTIGSUMSIZE	1316
#define O_MAXSYMLINKLEN	1320
#define O_INODEFMT	1324
#define O_MAXFILESIZE	1328
#define O_OLD_POSTBLFMT	1356
#define O_MAGIC		1372

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
	magic = ffs_get32(b + O_MAGIC, false);
	if (magic == FFS_UFS1_MAGIC || magic == FFS_UFS2_MAGIC) {
		be = false;
	} else {
		magic = ffs_get32(b + O_MAGIC, true);
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
		CHECK((uint64_t)G64(O_SBLOCKLOC) == loc);

	sb->sb_sblkno = G32(O_SBLKNO);
	sb->sb_cblkno = G32(O_CBLKNO);
	sb->sb_iblkno = G32(O_IBLKNO);
	sb->sb_dblkno = G32(O_DBLKNO);
	sb->sb_ncg = G32(O_NCG);
	sb->sb_bsize = G32(O_BSIZE);
	sb->sb_fsize = G32(O_FSIZE);
	sb->sb_frag = G32(O_FRAG);
	sb->sb_minfree = G32(O_MINFREE);
	sb->sb_bshift = G32(O_BSHIFT);
	sb->sb_fshift = G32(O_FSHIFT);
	sb->sb_fragshift = G32(O_FRAGSHIFT);
	sb->sb_fsbtodb = G32(O_FSBTODB);
	sb->sb_sbsize = G32(O_SBSIZE);
	sb->sb_nindir = G32(O_NINDIR);
	sb->sb_inopb = G32(O_INOPB);
	sb->sb_ipg = G32(O_IPG);
	sb->sb_fpg = G32(O_FPG);
	sb->sb_cgsize = G32(O_CGSIZE);
	sb->sb_cssize = G32(O_CSSIZE);
	sb->sb_maxcontig = G32(O_MAXCONTIG);
	sb->sb_maxbpg = G32(O_MAXBPG);
	sb->sb_contigsumsize = G32(O_CONTIGSUMSIZE);
	sb->sb_maxsymlinklen = G32(O_MAXSYMLINKLEN);
	sb->sb_inodefmt = G32(O_INODEFMT);
	sb->sb_clean = b[O_CLEAN];
	if (sb->sb_ufs == 1) {
		sb->sb_old_cgoffset = G32(O_OLD_CGOFFSET);
		sb->sb_old_cgmask = G32(O_OLD_CGMASK);
	} else
		sb->sb_old_cgmask = -1;
	sb->sb_maxfilesize = (uint64_t)G64(O_MAXFILESIZE);
	memcpy(sb->sb_volname, b + O_VOLNAME, 32);
	sb->sb_volname[32] = '\0';

	/* Flags moved to 32 bits; older UFS1 kept 8 (section 2.3). */
	if (b[O_OLD_FLAGS] & FFS_FLAGS_UPDATED)
		sb->sb_flags = (uint32_t)G32(O_FLAGS);
	else
		sb->sb_flags = b[O_OLD_FLAGS];

	/* UFS1 that never had its 64-bit copies filled in. */
	if (sb->sb_ufs == 1 && G32(O_MAXBSIZE) != sb->sb_bsize) {
		sb->sb_time = G32(O_OLD_TIME);
		sb->sb_size = G32(O_OLD_SIZE);
		sb->sb_dsize = G32(O_OLD_DSIZE);
		sb->sb_csaddr = G32(O_OLD_CSADDR);
		sb->sb_cstotal.cs_ndir = G32(O_OLD_CSTOTAL);
		sb->sb_cstotal.cs_nbfree = G32(O_OLD_CSTOTAL + 4);
		sb->sb_cstotal.cs_nifree = G32(O_OLD_CSTOTAL + 8);
		sb->sb_cstotal.cs_nffree = G32(O_OLD_CSTOTAL + 12);
	} else {
		sb->sb_time = G64(O_TIME);
		sb->sb_size = G64(O_SIZE);
		sb->sb_dsize = G64(O_DSIZE);
		sb->sb_csaddr = G64(O_CSADDR);
		sb->sb_cstotal.cs_ndir = G64(O_CSTOTAL);
		sb->sb_cstotal.cs_nbfree = G64(O_CSTOTAL + 8);
		sb->sb_cstotal.cs_nifree = G64(O_CSTOTAL + 16);
		sb->sb_cstotal.cs_nffree = G64(O_CSTOTAL + 24);
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
	CHECK(G32(O_BMASK) == ~(sb->sb_bsize - 1));
	CHECK(G32(O_FMASK) == ~(sb->sb_fsize - 1));
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
		CHECK(G32(O_OLD_POSTBLFMT) != -1);
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
