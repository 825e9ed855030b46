/*
 * rump/ffs.h: public entry points of librumpfs_ffs beyond mount(2):
 * making a new file system (newfs) and checking one (fsck_ffs).  Both
 * work on a block device in the kernel's namespace, e.g. one made by
 * rump_etfs_register(), and return 0 or -1 with errno set, like the
 * rest of the public API.
 */
#ifndef _RUMP_FFS_H_
#define _RUMP_FFS_H_

#include <stdint.h>
#include <stddef.h>

/* ---- newfs (sys/fs/ffs/ffs_newfs.c) ---- */

/* ---- fsck (sys/fs/ffs/ffs_check.c) ---- */

#endif /* _RUMP_FFS_H_ */
