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

/*
 * rump_ffs_check(devpath, flags, report, arg, result): check the FFS
 * on the block device devpath, which must not be mounted, in the
 * passes of BSD fsck_ffs: superblock and cylinder-group headers,
 * inodes and their blocks (1, 1b for blocks claimed twice), directory
 * entries (2), connectivity (3), link counts (4), and the maps and
 * summaries rebuilt from what was found (5).  A clean file system
 * (clean flag set) is checked in full unless SKIPCLEAN says otherwise.
 *
 * flags:
 *   0                         check only; nothing is written (the
 *                             device may be read-only)
 *   RUMP_FFS_CHECK_REPAIR     repair everything found: counts, maps,
 *                             summaries, block counts, link counts;
 *                             clear bad inodes and entries naming
 *                             unallocated inodes; reconnect what is
 *                             unreferenced to /lost+found (made if
 *                             missing); then mark the file system clean
 *   RUMP_FFS_CHECK_PREEN      repair only what an unclean shutdown
 *                             leaves (maps, summaries, counts, block
 *                             counts, link counts that are too high,
 *                             unreferenced empty files); after anything
 *                             else nothing more is written and
 *                             fcr_unexpected says so
 *   RUMP_FFS_CHECK_SKIPCLEAN  if the clean flag is set, read only the
 *                             superblock (fcr_state gets SKIPPED)
 *
 * report(arg, line) is called (may be NULL) with one line of text, no
 * newline, for each finding, in the order found, and for each phase
 * ("** Phase 1 - Check Blocks and Sizes"; such lines start with "** "
 * and are not findings).  When repairing, each finding ends in what was
 * done ("; fixed", "; cleared", "; removed", "; zeroed", "; reconnected
 * to /lost+found" ...) or "; not fixed"; a check-only run reports the
 * same findings, as if each repair had been made.  It runs inside the
 * kernel call: it must not call back into the kernel.
 *
 * Returns 0 when the check ran (findings or not: see *result, which
 * may be NULL), or -1 with errno: EFTYPE (no FFS superblock), EINVAL
 * (a superblock too damaged to check against, or bad flags), ENOTBLK,
 * ENOENT, EROFS (repairing on a read-only device), ENOMEM, EIO.
 * Memory used is proportional to the file system (a few bits per
 * fragment, a few bytes per inode and per directory).
 */
#define RUMP_FFS_CHECK_REPAIR		0x01
#define RUMP_FFS_CHECK_PREEN		0x02
#define RUMP_FFS_CHECK_SKIPCLEAN	0x04

/* fcr_state */
#define RUMP_FFS_CHECK_WASCLEAN		0x01	/* clean flag was set */
#define RUMP_FFS_CHECK_MODIFIED		0x02	/* something was written */
#define RUMP_FFS_CHECK_SKIPPED		0x04	/* clean: not checked */
#define RUMP_FFS_CHECK_BIGENDIAN	0x08
#define RUMP_FFS_CHECK_STOPPED		0x10	/* no root directory: the
						   passes after 2 not run */

struct rump_ffs_check_result {
	uint64_t	fcr_findings;	/* inconsistencies found */
	uint64_t	fcr_fixed;	/* of them, repaired */
	uint64_t	fcr_unexpected;	/* of them, more than preening fixes */
	uint64_t	fcr_files;	/* inodes in use (root included) */
	uint64_t	fcr_dirs;	/* of them, directories */
	uint64_t	fcr_used;	/* data fragments in use */
	uint64_t	fcr_free;	/* free fragments, in blocks or not */
	uint64_t	fcr_nbfree;	/* free blocks */
	uint64_t	fcr_nffree;	/* free fragments outside free blocks */
	uint64_t	fcr_dsize;	/* fragments for data */
	uint32_t	fcr_ufs;	/* 1 or 2 */
	uint32_t	fcr_frag;	/* fragments per block */
	uint32_t	fcr_bsize;	/* bytes */
	uint32_t	fcr_fsize;
	uint32_t	fcr_state;	/* RUMP_FFS_CHECK_WASCLEAN ... */
	uint32_t	fcr_spare;
};

int	rump_ffs_check(const char *devpath, int flags,
	    void (*report)(void *arg, const char *line), void *arg,
	    struct rump_ffs_check_result *result);

#endif /* _RUMP_FFS_H_ */
