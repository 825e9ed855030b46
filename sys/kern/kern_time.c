/*
 * kern_time.c: time system calls.  nanosleep sleeps in the host with
 * the CPU given back; nothing interrupts it yet, so *rmtp is always 0.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/time.h>
#include <sys/condvar.h>
#include <sys/proc.h>
#include <rumpuser.h>
#include <sys/syscall.h>
#include "syscallargs.h"

int
sys_clock_gettime(struct lwp *l __unused,
    const struct sys_clock_gettime_args *uap, register_t *retval __unused)
{
	struct timespec ts;

	switch (SCARG(uap, clock_id)) {
	case RUMP_CLOCK_REALTIME:
		getnanotime(&ts);
		break;
	case RUMP_CLOCK_MONOTONIC:
		getnanouptime(&ts);
		break;
	default:
		return EINVAL;
	}
	return copyout(&ts, SCARG(uap, tp), sizeof(ts));
}

int
sys_nanosleep(struct lwp *l, const struct sys_nanosleep_args *uap,
    register_t *retval __unused)
{
	struct timespec ts;
	int64_t deadline, now, left = 0, slice;
	int error = 0, e;

	if ((error = copyin(SCARG(uap, rqtp), &ts, sizeof(ts))) != 0)
		return error;
	if (!timespec_valid(&ts))
		return EINVAL;
	/*
	 * In slices, so that an interrupted process (proc_interrupt)
	 * wakes within one: EINTR, with what was left in rmtp.
	 */
	deadline = getnsecuptime() + ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	for (;;) {
		now = getnsecuptime();
		left = deadline > now ? deadline - now : 0;
		if (left == 0)
			break;
		if (proc_interrupted(l->l_proc)) {
			error = EINTR;
			break;
		}
		slice = left < CV_INTR_NS ? left : CV_INTR_NS;
		if ((error = rumpuser_clock_sleep(RUMPUSER_SLEEP_REL,
		    slice / NSEC_PER_SEC, slice % NSEC_PER_SEC)) != 0)
			return error;
	}
	if (SCARG(uap, rmtp) != NULL) {
		ts.tv_sec = left / NSEC_PER_SEC;
		ts.tv_nsec = left % NSEC_PER_SEC;
		if (error == 0)
			memset(&ts, 0, sizeof(ts));
		if ((e = copyout(&ts, SCARG(uap, rmtp), sizeof(ts))) != 0)
			error = e;
	}
	return error;
}
