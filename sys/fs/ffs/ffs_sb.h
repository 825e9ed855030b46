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

#endif /* _FS_FFS_FFS_SB_H_ */
