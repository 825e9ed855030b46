/*
 * vfs_init.c: the VFS component.  When it attaches it sets up its
 * locks, takes over per-process directories (the proc hooks), hands
 * the kernel its system calls and arranges for the root file system
 * to be mounted once every file system has attached.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/vnode.h>
#include "vfs_private.h"

extern const struct syscall_package vfs_syscalls[];
extern int (*vfs_mountroot_hook)(void);	/* init_main.c */
extern void (*vfs_shutdown_hook)(void);	/* init_main.c */

static const struct proc_hooks vfs_proc_hooks = {
	.ph_fork = cwdi_fork,
	.ph_exit = cwdi_exit,
};

static int
vfs_attach(void)
{
	int error;

	mutex_init(&vfs_rename_lock, MUTEX_DEFAULT, IPL_NONE);
	vfs_mount_init();
	lf_init();
	nc_init();
	vnode_init();
	fifo_init();
	if ((error = bufcache_init()) != 0)
		return error;
	proc_hooks_set(&vfs_proc_hooks);
	if ((error = syscall_establish_package(vfs_syscalls)) != 0)
		return error;
	vfs_mountroot_hook = vfs_mountroot;
	vfs_shutdown_hook = vfs_unmount_all;
	return 0;
}

static void
vfs_detach(void)
{

	vfs_shutdown_hook = NULL;
	vfs_sync_all();
	bufcache_fini();
	syscall_disestablish_package(vfs_syscalls);
}

RUMP_COMPONENT_BASE(RUMP_FACTION_VFS, vfs, vfs_attach, vfs_detach);
