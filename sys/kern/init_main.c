/*
 * init_main.c: booting and shutting down the kernel.
 *
 * rump_init() connects to the hypervisor, brings up the core (memory,
 * clock, virtual CPUs, processes, sysctl, callouts) and attaches every
 * registered component in faction order.  The calling thread boots as
 * an implicit LWP of proc1.  A second call returns at once; concurrent
 * first calls wait for the one that boots.  reboot(2) detaches the
 * components in reverse and stops the kernel threads; the kernel does
 * not boot again in the same process.
 *
 * Locking: boot_state is atomic.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/component.h>
#include <sys/cpu.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/time.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rumpuser.h>
#include <sys/syscall.h>
#include "syscallargs.h"

#define RUMP_STATE_COLD		0
#define RUMP_STATE_BOOTING	1
#define RUMP_STATE_UP		2
#define RUMP_STATE_DOWN		3

int boot_state;			/* atomic */
int64_t boot_ns;
/* Set by the VFS component: mount the root once all have attached. */
int (*vfs_mountroot_hook)(void);
/* Set by the VFS component: unmount file systems before detaching. */
void (*vfs_shutdown_hook)(void);

void	sysctl_init(void);
void	descrip_init(void);
void	devsw_init(void);

/*
 * Upcalls around a blocking hypercall.  A thread may block in the host
 * without a CPU (waiting for another thread's boot, say): then there is
 * nothing to give back, and LW_WRAPPED remembers whether to take one.
 */
static void
hyp_unschedule(void)
{
	struct lwp *l = curlwp;

	if (l != NULL && (l->l_flags & LW_ONCPU)) {
		vcpu_unschedule(l);
		l->l_flags |= LW_WRAPPED;
	}
}

static void
hyp_schedule(void)
{
	struct lwp *l = curlwp;

	if (l != NULL && (l->l_flags & LW_WRAPPED)) {
		l->l_flags &= ~LW_WRAPPED;
		vcpu_schedule(l);
	}
}

static const struct rumpuser_hyperup rump_hyperup = {
	.hyp_schedule = hyp_schedule,
	.hyp_unschedule = hyp_unschedule,
	.hyp_enter = rump_schedule,
	.hyp_leave = rump_unschedule,
	.hyp_lwpexit = lwp_hyp_exit,
};

static int
rump_boot(void)
{
	struct lwp *l;
	int64_t t0;
	char buf[16];
	int error;

	if ((error = rumpuser_init(RUMPUSER_VERSION, &rump_hyperup)) != 0)
		return error;
	clock_init();
	t0 = getnsecuptime();
	boothowto_verbose =
	    rumpuser_getparam(RUMPUSER_PARAM_VERBOSE, buf, sizeof(buf)) == 0 &&
	    buf[0] != '\0' && buf[0] != '0';

	kmem_init();
	lockdebug_init();
	sched_init();
	if ((error = proc_init()) != 0)
		return error;
	sysctl_init();
	descrip_init();
	devsw_init();
	callout_startup();

	if ((error = lwp_enter(&l)) != 0)
		return error;
	error = component_attach_all();
	if (error == 0 && vfs_mountroot_hook != NULL)
		error = vfs_mountroot_hook();
	boot_ns = getnsecuptime() - t0;
	aprint_verbose("anykernel 0.1: %u virtual CPU%s, booted in %lld us\n",
	    ncpu, ncpu == 1 ? "" : "s", (long long)boot_ns / 1000);
	vcpu_unschedule(l);
	return error;
}

int
rump_init(void)
{
	int error = 0;

	if (atomic_cas(&boot_state, RUMP_STATE_COLD, RUMP_STATE_BOOTING)) {
		error = rump_boot();
		atomic_store_release(&boot_state,
		    error ? RUMP_STATE_DOWN : RUMP_STATE_UP);
	} else {
		while (atomic_load_acquire(&boot_state) == RUMP_STATE_BOOTING)
			rumpuser_clock_sleep(RUMPUSER_SLEEP_REL, 0, 100000);
		if (atomic_load_acquire(&boot_state) != RUMP_STATE_UP)
			error = EBUSY;
	}
	if (error) {
		rumpuser_seterrno(error);
		return -1;
	}
	return 0;
}

int64_t
rump_boot_nsec(void)
{

	return boot_ns;
}

int
sys_reboot(struct lwp *l, const struct sys_reboot_args *uap,
    register_t *retval __unused)
{
	kauth_cred_t cred;
	int error, i;

	cred = proc_cred_hold(l->l_proc);
	error = kauth_authorize_super(cred);
	kauth_cred_free(cred);
	if (error)
		return error;
	if (!atomic_cas(&boot_state, RUMP_STATE_UP, RUMP_STATE_DOWN))
		return EBUSY;
	aprint_verbose("anykernel: shutting down\n");
	/*
	 * No call enters now.  Those in flight (another client's write or
	 * fsync) finish before file systems go, for up to a second; one
	 * blocked for good (a read on an empty pipe) holds the shutdown up
	 * no longer than that.
	 */
	for (i = 0; i < 100 && syscall_inflight() > 1; i++)
		kpause_ns(10 * 1000 * 1000);
	if (vfs_shutdown_hook != NULL)
		vfs_shutdown_hook();
	component_detach_all();
	callout_shutdown();
	if ((SCARG(uap, howto) & RUMP_RB_HALT) == 0)
		rumpuser_exit(0);
	return 0;
}

int
rump_reboot(int howto)
{

	return rump_sys_reboot(howto);
}
