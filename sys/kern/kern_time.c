/*
 * kern_time.c: time system calls.  nanosleep sleeps in the host with
 * the CPU given back; nothing interrupts it yet, so *rmtp is always 0.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/time.h>
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
sys_nanosleep(struct lwp *l __unused, const struct sys_nanosleep_args *uap,
    register_t *retval __unused)
{
	struct timespec ts;
	int error;

	if ((error = copyin(SCARG(uap, rqtp), &ts, sizeof(ts))) != 0)
		return error;
	if (!timespec_valid(&ts))
		return EINVAL;
	error = rumpuser_clock_sleep(RUMPUSER_SLEEP_REL, ts.tv_sec,
	    ts.tv_nsec);
	if (error == 0 && SCARG(uap, rmtp) != NULL) {
		memset(&ts, 0, sizeof(ts));
		error = copyout(&ts, SCARG(uap, rmtp), sizeof(ts));
	}
	return error;
}
