/*
 * ktest_vfs.c: kernel-side reads of VFS counters for tests/dev/t_vnodes.c.
 */
#include <sys/types.h>
#include <sys/vnode.h>
#include <rump/rump.h>

void	rump_ktest_vfs_counters(unsigned int *, uint64_t *, uint64_t *);

void
rump_ktest_vfs_counters(unsigned int *nvnodes, uint64_t *hits,
    uint64_t *misses)
{
	u_int n;

	rump_schedule();
	*nvnodes = vnode_count();
	cache_stats(hits, misses, &n);
	rump_unschedule();
}

#include <sys/kmem.h>

void	rump_ktest_kmem_fault(unsigned int, int);

/* Fail the nth kernel allocation from now (and, with every, all later
 * ones); 0 turns it off. */
void
rump_ktest_kmem_fault(unsigned int nth, int every)
{

	kmem_fault_set(nth, every != 0);
}
