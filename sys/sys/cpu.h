/*
 * cpu.h: virtual CPUs.
 *
 * A virtual CPU is a licence to run kernel code: at most ncpu LWPs run
 * in the kernel at once.  ci_curlwp is the only scheduling state and is
 * changed with atomic compare-and-swap, so taking and giving back a CPU
 * needs no lock (kern_sched.c).
 *
 * Field legend: c constant after sched_init; ci only the holder of
 * the CPU; atomic.
 */
#ifndef _SYS_CPU_H_
#define _SYS_CPU_H_

#include <sys/types.h>

struct lwp;

struct cpu_info {
	struct lwp	*ci_curlwp;	/* atomic: holder, NULL if idle */
	u_int		ci_index;	/* c */
	uint64_t	ci_nsched;	/* ci: times taken (holder only) */
	/*
	 * System calls entered minus left on this CPU (holder only; a call
	 * that blocks may leave on another CPU, so one CPU's count can go
	 * negative: only the sum over all CPUs means something).  Read by
	 * reboot, relaxed, to let calls in flight finish.
	 */
	int64_t		ci_nsyscall;
} __aligned(__CACHE_LINE_SIZE);

extern u_int ncpu;
extern struct cpu_info *cpu_infos;

#define curcpu()	(curlwp->l_cpu)
#define cpu_index(ci)	((ci)->ci_index)

void	sched_init(void);
void	sched_fini(void);
/* Take / give back a CPU for the calling thread (which has curlwp set). */
void	vcpu_schedule(struct lwp *);
void	vcpu_unschedule(struct lwp *);
void	vcpu_release(struct cpu_info *);
void	vcpu_handoff(struct lwp *from, struct lwp *to);

#endif /* _SYS_CPU_H_ */
