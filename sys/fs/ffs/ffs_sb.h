/*
 * ffs_sb.h: the FFS superblock as the driver uses it: decoded from
 * the image's byte order and checked field by field before anything
 * trusts it.  docs/ffs-format.md is the format reference.
 *
 * ffs_sb_decode() takes the raw bytes of one superblock slot and
 * returns 0, EFTYPE (no FFS magic: not an FFS superblock) or EINVAL
 * (an FFS magic but inconsistent fields: corrupt, or a backup copy
 * in the wrong place).  ffs_sb_find() tries the standard locations in
 * the BSD order through a read callback.
 */
#ifndef _FS_FFS_FFS_SB_H_
#define _FS_FFS_FFS_SB_H_

#include <sys/types.h>

#define FFS_UFS1_MAGIC		0x00011954
#define FFS_UFS2_MAGIC		0x19540119
#define FFS_SBSIZE		8192		/* one superblock slot */
#define FFS_SB_DEFINED		1376		/* bytes the fields cover */
#define FFS_MINBSIZE		4096
#define FFS_MAXBSIZE		65536
#define FFS_MAXCONTIG		16

/* Offsets in the superblock (docs/ffs-format.md, section 2). */
#define FFS_SBO_SBLKNO		8
#define FFS_SBO_CBLKNO		12
#define FFS_SBO_IBLKNO		16
#define FFS_SBO_DBLKNO		20
#define FFS_SBO_OLD_CGOFFSET	24
#define FFS_SBO_OLD_CGMASK	28
#define FFS_SBO_OLD_TIME	32
#define FFS_SBO_OLD_SIZE	36
#define FFS_SBO_OLD_DSIZE	40
#define FFS_SBO_NCG		44
#define FFS_SBO_BSIZE		48
#define FFS_SBO_FSIZE		52
#define FFS_SBO_FRAG		56
#define FFS_SBO_MINFREE		60
#define FFS_SBO_BMASK		72
#define FFS_SBO_FMASK		76
#define FFS_SBO_BSHIFT		80
#define FFS_SBO_FSHIFT		84
#define FFS_SBO_MAXCONTIG	88
#define FFS_SBO_MAXBPG		92
#define FFS_SBO_FRAGSHIFT	96
#define FFS_SBO_FSBTODB		100
#define FFS_SBO_SBSIZE		104
#define FFS_SBO_NINDIR		116
#define FFS_SBO_INOPB		120
#define FFS_SBO_OLD_CSADDR	152
#define FFS_SBO_CSSIZE		156
#define FFS_SBO_CGSIZE		160
#define FFS_SBO_IPG		184
#define FFS_SBO_FPG		188
#define FFS_SBO_OLD_CSTOTAL	192
#define FFS_SBO_CLEAN		209
#define FFS_SBO_OLD_FLAGS	211
#define FFS_SBO_VOLNAME		680
#define FFS_SBO_MAXBSIZE	860
#define FFS_SBO_SBLOCKLOC	1000
#define FFS_SBO_CSTOTAL		1008
#define FFS_SBO_TIME		1072
#define FFS_SBO_SIZE		1080
#define FFS_SBO_DSIZE		1088
#define FFS_SBO_CSADDR		1096
#define FFS_SBO_FLAGS		1312
#define FFS_SBO_CONTIGSUMSIZE	1316
#define FFS_SBO_MAXSYMLINKLEN	1320
#define FFS_SBO_INODEFMT	1324
#define FFS_SBO_MAXFILESIZE	1328
#define FFS_SBO_OLD_POSTBLFMT	1356
#define FFS_SBO_MAGIC		1372
#define FFS_SBO_OPTIM		128
#define FFS_SBO_ID		144
#define FFS_SBO_OLD_NSPF	124
#define FFS_SBO_OLD_CPG		180
#define FFS_SBO_OLD_NCYL	176
#define FFS_SBO_OLD_RPS		68
#define FFS_SBO_QBMASK		1336
#define FFS_SBO_QFMASK		1344
#define FFS_SBO_AVGFILESIZE	1196
#define FFS_SBO_AVGFPDIR	1200
#define FFS_SBO_OLD_NRPOS	1360
#define FFS_SBO_SNAPINUM	1116

/* The cylinder-group header (docs/ffs-format.md, section 3). */
#define FFS_CG_MAGIC		0x00090255
#define FFS_CGO_MAGIC		4
#define FFS_CGO_OLD_TIME	8
#define FFS_CGO_CGX		12
#define FFS_CGO_OLD_NCYL	16
#define FFS_CGO_OLD_NIBLK	18
#define FFS_CGO_NDBLK		20
#define FFS_CGO_CS		24	/* ndir, nbfree, nifree, nffree */
#define FFS_CGO_ROTOR		40
#define FFS_CGO_FROTOR		44
#define FFS_CGO_IROTOR		48
#define FFS_CGO_FRSUM		52	/* i32[8] */
#define FFS_CGO_OLD_BTOTOFF	84
#define FFS_CGO_OLD_BOFF	88
#define FFS_CGO_IUSEDOFF	92
#define FFS_CGO_FREEOFF		96
#define FFS_CGO_NEXTFREEOFF	100
#define FFS_CGO_CLUSTERSUMOFF	104
#define FFS_CGO_CLUSTEROFF	108
#define FFS_CGO_NCLUSTERBLKS	112
#define FFS_CGO_NIBLK		116
#define FFS_CGO_INITEDIBLK	120
#define FFS_CGO_TIME		136
#define FFS_CG_HDRSIZE		168

/* fs_flags (offset 1312) */
#define FFS_FS_UNCLEAN		0x00000001
#define FFS_FS_DOSOFTDEP	0x00000002
#define FFS_FS_NEEDSFSCK	0x00000004
#define FFS_FLAGS_UPDATED	0x80		/* in fs_old_flags */

struct ffs_csum {
	int64_t		cs_ndir;
	int64_t		cs_nbfree;
	int64_t		cs_nifree;
	int64_t		cs_nffree;
};

struct ffs_sb {
	int		sb_ufs;		/* 1 or 2 */
	bool		sb_bigendian;	/* the image's byte order */
	uint64_t	sb_loc;		/* byte offset it was read from */
	int32_t		sb_sblkno, sb_cblkno, sb_iblkno, sb_dblkno;
	int32_t		sb_ncg, sb_bsize, sb_fsize, sb_frag;
	int32_t		sb_minfree, sb_bshift, sb_fshift, sb_fragshift;
	int32_t		sb_fsbtodb, sb_sbsize, sb_nindir, sb_inopb;
	int32_t		sb_ipg, sb_fpg, sb_cgsize, sb_cssize;
	int32_t		sb_maxcontig, sb_maxbpg, sb_contigsumsize;
	int32_t		sb_maxsymlinklen, sb_inodefmt;
	int32_t		sb_old_cgoffset, sb_old_cgmask;	/* UFS1 stagger */
	uint8_t		sb_clean;
	uint32_t	sb_flags;
	int64_t		sb_size, sb_dsize, sb_csaddr, sb_time;
	uint64_t	sb_maxfilesize;
	struct ffs_csum	sb_cstotal;
	char		sb_volname[33];
};

/* Write sb's fields (and the ones derived from them: masks, shifts,
 * UFS1's old copies) into raw in its byte order; other bytes stay. */
void	ffs_sb_encode(const struct ffs_sb *, void *raw);
int	ffs_sb_decode(const void *raw, size_t len, uint64_t loc,
	    uint64_t devsize, struct ffs_sb *);

/* Read len bytes at byte offset off of the device; 0 or an errno. */
typedef int (*ffs_read_fn)(void *arg, uint64_t off, void *buf, size_t len);
int	ffs_sb_find(ffs_read_fn, void *arg, uint64_t devsize, void *scratch,
	    struct ffs_sb *);

/* Byte order, in one place: fields read from the image. */
static inline uint16_t
ffs_get16(const uint8_t *p, bool be)
{

	return be ? (uint16_t)(p[0] << 8 | p[1]) :
	    (uint16_t)(p[1] << 8 | p[0]);
}

static inline uint32_t
ffs_get32(const uint8_t *p, bool be)
{

	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3] :
	    (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t
ffs_get64(const uint8_t *p, bool be)
{

	return be ? (uint64_t)ffs_get32(p, true) << 32 | ffs_get32(p + 4, true) :
	    (uint64_t)ffs_get32(p + 4, false) << 32 | ffs_get32(p, false);
}

static inline void
ffs_put16(uint8_t *p, uint16_t v, bool be)
{

	if (be) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	} else {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

static inline void
ffs_put32(uint8_t *p, uint32_t v, bool be)
{

	if (be) {
		ffs_put16(p, (uint16_t)(v >> 16), true);
		ffs_put16(p + 2, (uint16_t)v, true);
	} else {
		ffs_put16(p, (uint16_t)v, false);
		ffs_put16(p + 2, (uint16_t)(v >> 16), false);
	}
}

static inline void
ffs_put64(uint8_t *p, uint64_t v, bool be)
{

	if (be) {
		ffs_put32(p, (uint32_t)(v >> 32), true);
		ffs_put32(p + 4, (uint32_t)v, true);
	} else {
		ffs_put32(p, (uint32_t)v, false);
		ffs_put32(p + 4, (uint32_t)(v >> 32), false);
	}
}

#endif /* _FS_FFS_FFS_SB_H_ */
