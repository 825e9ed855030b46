/*
 * fssuite.h: the file-semantics suite, written once and run on every
 * file system.
 *
 * fssuite_run(dir, flags) runs every case inside dir, an existing
 * empty directory of the file system under test (its mount point, or a
 * directory of the root file system), named by an absolute path without
 * symlinks (getcwd is compared with it), and prints TAP points through
 * tap.h.  Each case works in a subdirectory of its own.  The caller has
 * booted the kernel and runs as root in pid 1; the suite leaves the
 * umask and the cwd as it found them.
 *
 * flags say what the file system cannot do; the cases that need it are
 * skipped with the reason:
 *
 *	FSSUITE_NOSYMLINK	no symbolic links (FAT)
 *	FSSUITE_NOHARDLINK	no hard links (FAT)
 *	FSSUITE_NOPERM		no owners or permission bits (FAT)
 *	FSSUITE_NOSPECIAL	no FIFOs or device nodes (FAT)
 *	FSSUITE_COARSETIME	timestamps coarser than a millisecond
 *	FSSUITE_NOLOCK		no advisory locks (remote, for now)
 *
 * tap.h keeps its counters per file, so the macro passes the caller's.
 */
#ifndef TESTS_VFS_FSSUITE_H
#define TESTS_VFS_FSSUITE_H

#define FSSUITE_NOSYMLINK	0x01
#define FSSUITE_NOHARDLINK	0x02
#define FSSUITE_NOPERM		0x04
#define FSSUITE_NOSPECIAL	0x08
#define FSSUITE_COARSETIME	0x10
#define FSSUITE_NOLOCK		0x20

/* Returns the number of failed points of this run. */
int	fssuite_run_tap(const char *dir, unsigned int flags, int *countp,
	    int *failedp);

#define fssuite_run(dir, flags)	\
	fssuite_run_tap((dir), (flags), &tap_count, &tap_failed)

#endif /* TESTS_VFS_FSSUITE_H */
