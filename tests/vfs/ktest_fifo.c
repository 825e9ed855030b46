/*
 * ktest_fifo.c: kernel half of tests/vfs/t_fifo: does a FIFO have its
 * pipe?
 *
 * Interface (plain C types; the host side declares it itself):
 *   rump_ktest_fifo_haspipe(path)      1 if the FIFO path names has a
 *                                      pipe attached (someone has it
 *                                      open, or is opening it), 0 if
 *                                      not, -1 if path cannot be looked
 *                                      up or is no FIFO.
 *
 * Locking: v_fifo is read without fifo_lock (vfs_fifo.c keeps it
 * private): the answer is a snapshot, exact only while no open or
 * close of the FIFO runs, which is how the test asks.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/namei.h>
#include <sys/vnode.h>
#include <rump/rump.h>

int	rump_ktest_fifo_haspipe(const char *);

int
rump_ktest_fifo_haspipe(const char *path)
{
	struct nameidata nd;
	int rv;

	rump_schedule();
	memset(&nd, 0, sizeof(nd));
	nd.ni_upath = path;
	nd.ni_op = NI_LOOKUP;
	nd.ni_atfd = RUMP_AT_FDCWD;
	if (namei(&nd) != 0 || nd.ni_vp == NULL || nd.ni_vp->v_type != VFIFO)
		rv = -1;
	else
		rv = atomic_load_relaxed(&nd.ni_vp->v_fifo) != NULL;
	namei_done(&nd);
	rump_unschedule();
	return rv;
}
