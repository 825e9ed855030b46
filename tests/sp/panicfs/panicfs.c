/*
 * panicfs.c: a test-only component whose driver panics on demand, for
 * the isolation test (tests/sp/t_isolation.c).  Never installed, never
 * linked into rump_allserver; rump_server loads it by path:
 *
 *	rump_server -l tmpfs -l BUILD/tests/lib/librumpktest_panicfs.so URL
 *
 * It registers a file-system type "panicfs" whose mount calls panic():
 * any client that may mount (mount(2) with type "panicfs" on any
 * directory) brings the kernel down through the kernel's own panic
 * path (console message, rumpuser_exit(RUMPUSER_EXIT_PANIC), abort in
 * hyp/posix), as a driver bug would.  It needs the VFS (load vfs or
 * tmpfs before it).
 *
 * Interface: the component only; no functions of its own.
 * Locking: none; nothing is shared.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/mount.h>

static int
panicfs_mount(struct mount *mp __unused, const void *data __unused,
    size_t len)
{

	panic("panicfs: mounted with %zu bytes of data: a driver bug, "
	    "on demand", len);
}

static struct vfsops panicfs_vfsops = {
	.vfs_name = "panicfs",
	.vfs_mount = panicfs_mount,
};

static int
panicfs_attach(void)
{

	return vfs_register(&panicfs_vfsops);
}

static void
panicfs_detach(void)
{

	vfs_unregister(&panicfs_vfsops);
}

RUMP_COMPONENT(RUMP_FACTION_VFS, panicfs, panicfs_attach, panicfs_detach);
