/*
 * kern_syscall.c: system-call entry.
 *
 * syscall_dispatch() is the one way in for rump_sys_* (and later for
 * remote calls): it checks the number and the argument size, gives the
 * thread an LWP and a CPU, runs the handler and leaves.  The fast path
 * is a table lookup and the lock-free CPU exchange of kern_sched.c.
 *
 * Components fill in their own table entries with syscall_establish();
 * sy_call is read and written atomically.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/syscall.h>
#include <rump/rump.h>

extern int boot_state;		/* init_main.c */
#define RUMP_STATE_UP	2

/* The CPU we hold counts the calls in flight: no atomics on this path. */
static inline void
syscall_count(struct lwp *l, int64_t d)
{
	struct cpu_info *ci = l->l_cpu;

	__atomic_store_n(&ci->ci_nsyscall, ci->ci_nsyscall + d,
	    __ATOMIC_RELAXED);
}

/* System calls in flight, over all CPUs (a moment's snapshot). */
int64_t
syscall_inflight(void)
{
	int64_t n = 0;
	u_int i;

	for (i = 0; i < ncpu; i++)
		n += __atomic_load_n(&cpu_infos[i].ci_nsyscall,
		    __ATOMIC_RELAXED);
	return n;
}

int
syscall_dispatch(int num, const void *args, size_t argsize,
    register_t *retval)
{
	const struct sysent *callp;
	sy_call_t *call;
	struct lwp *l;
	int error;

	if (__predict_false(atomic_load_acquire(&boot_state) != RUMP_STATE_UP))
		return ENXIO;
	if (__predict_false(num <= 0 || num >= nsysent))
		return ENOSYS;
	callp = &sysent[num];
	if (__predict_false((call = atomic_load_acquire(&callp->sy_call)) ==
	    NULL))
		return ENOSYS;
	if (__predict_false(argsize != (size_t)callp->sy_argsize))
		return EINVAL;
	if ((error = lwp_enter(&l)) != 0)
		return error;
	syscall_count(l, 1);
	error = (*call)(l, args, retval);
	syscall_count(l, -1);
	vcpu_unschedule(l);
	if (error == EJUSTRETURN)
		error = 0;
	return error;
}

int
syscall_establish(int num, sy_call_t *call)
{

	if (num <= 0 || num >= nsysent)
		return EINVAL;
	if (!atomic_cas(&sysent[num].sy_call, NULL, call))
		return EBUSY;
	return 0;
}

void
syscall_disestablish(int num)
{

	if (num > 0 && num < nsysent)
		atomic_store_release(&sysent[num].sy_call, NULL);
}

int
syscall_establish_package(const struct syscall_package *sp)
{
	const struct syscall_package *p;
	int error;

	for (p = sp; p->sp_call != NULL; p++) {
		if ((error = syscall_establish(p->sp_code, p->sp_call)) != 0) {
			while (p-- != sp)
				syscall_disestablish(p->sp_code);
			return error;
		}
	}
	return 0;
}

void
syscall_disestablish_package(const struct syscall_package *sp)
{

	for (; sp->sp_call != NULL; sp++)
		syscall_disestablish(sp->sp_code);
}

/*
 * rump_syscall: a system call by number, its arguments as 64-bit slots,
 * for a host-side proxy (rump_server) that received it from elsewhere.
 * Unlike rump_sys_*, it returns the kernel's errno (RUMP_E*), which a
 * proxy forwards as it is; 0 on success, with the return values in rv.
 */
int
rump_syscall(int num, const uint64_t *args, int nargs, uint64_t *rv)
{
	register_t retval[2] = { 0, 0 };
	int error;

	if (nargs < 0 || nargs > 8)
		return EINVAL;
	error = syscall_dispatch(num, nargs > 0 ? args : NULL,
	    (size_t)nargs * sizeof(register_t), retval);
	rv[0] = (uint64_t)retval[0];
	rv[1] = (uint64_t)retval[1];
	return error;
}
