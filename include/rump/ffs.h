/*
 * rump/ffs.h: public entry points of librumpfs_ffs beyond mount(2):
 * making a new file system (newfs) and checking one (fsck_ffs).  Both
 * work on a block device in the kernel's namespace, e.g. one made by
 * rump_etfs_register(), and return 0 or -1 with errno set, like the
 * rest of the public API.
 */
#ifndef _RUMP_FFS_H_
#define _RUMP_FFS_H_

#if __STDC_HOSTED__
#include <stdint.h>
#include <stddef.h>
#else
#include <sys/types.h>		/* the freestanding kernel's own */
#endif

/* ---- newfs (sys/fs/ffs/ffs_newfs.c) ---- */

/*
 * rump_ffs_newfs(devpath, args): lay out a new, empty FFS (UFS1 or UFS2,
 * either byte order) on the block device devpath: superblock and its
 * backups, cylinder groups, zeroed inodes, and a root directory holding
 * only "." and "..".  Everything is written before it returns; the
 * primary superblock is written last.  Errors: EINVAL (bad argument,
 * or a size too small for one cylinder group), EFBIG (too large for
 * the format: UFS1 addresses are 32 bits), ENOTBLK, ENXIO, EIO ...
 *
 * Every field left 0 takes its default.  nfa_argsize must be
 * sizeof(struct rump_ffs_newfs_args) as the caller knows it (for
 * growth: fields added later go at the end; a larger size with the
 * unknown tail all zero is accepted).
 */
#define RUMP_FFS_NEWFS_LE	1234	/* nfa_byteorder */
#define RUMP_FFS_NEWFS_BE	4321

#define RUMP_FFS_NEWFS_DRYRUN	0x01	/* nfa_flags: compute, write nothing */
#define RUMP_FFS_NEWFS_MINFREE	0x02	/* nfa_minfree is given (else 5) */

/* What was (or, with DRYRUN, would be) made. */
struct rump_ffs_newfs_info {
	int32_t		ni_version;	/* 1 or 2 */
	int32_t		ni_bigendian;
	int32_t		ni_bsize;	/* bytes */
	int32_t		ni_fsize;
	int64_t		ni_size;	/* fragments in the file system */
	int64_t		ni_dsize;	/* fragments for data */
	int32_t		ni_ncg;		/* cylinder groups */
	int32_t		ni_fpg;		/* fragments per group */
	int32_t		ni_ipg;		/* inodes per group */
	int32_t		ni_cgsize;	/* bytes of a group header + maps */
	int32_t		ni_sblkno;	/* a group's backup superblock: frag */
	int32_t		ni_minfree;	/* percent */
	int64_t		ni_sblockloc;	/* byte offset of the primary */
	int64_t		ni_ninodes;
	int64_t		ni_nbfree;	/* free blocks, free fragments */
	int64_t		ni_nffree;
};

struct rump_ffs_newfs_args {
	uint32_t	nfa_argsize;	/* sizeof(struct rump_ffs_newfs_args) */
	uint32_t	nfa_flags;	/* RUMP_FFS_NEWFS_* */
	int32_t		nfa_version;	/* 1 (UFS1) or 2 (UFS2); 0: 1 */
	int32_t		nfa_byteorder;	/* RUMP_FFS_NEWFS_LE/_BE; 0: host's */
	uint64_t	nfa_size;	/* bytes to use; 0: the whole device */
	int32_t		nfa_bsize;	/* 4096..65536; 0: by size */
	int32_t		nfa_fsize;	/* bsize/8..bsize; 0: bsize/8 */
	int32_t		nfa_density;	/* bytes per inode; 0: 4 * fsize */
	int32_t		nfa_minfree;	/* percent 0..99, with ..._MINFREE */
	char		nfa_volname[32]; /* label, NUL-terminated: <= 31 */
	/* Out, optional: filled with min(nfa_infosize, its size) bytes. */
	struct rump_ffs_newfs_info *nfa_info;
	uint32_t	nfa_infosize;	/* sizeof(struct rump_ffs_newfs_info) */
	uint32_t	nfa_spare;	/* 0 */
};

int	rump_ffs_newfs(const char *devpath, const struct rump_ffs_newfs_args *);

/* ---- fsck (sys/fs/ffs/ffs_check.c) ---- */

#endif /* _RUMP_FFS_H_ */
