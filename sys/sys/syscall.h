/*
 * syscall.h: the system-call dispatch table (rule 5).
 *
 * sys/kern/syscalls.master is the one table.  tools/gensyscalls.awk
 * turns it into the argument structures (syscallargs.h), this kernel's
 * table (kern_sysent.c), the public rump_sys_* stubs and their header.
 * Arguments travel as a structure of 64-bit slots, so the same bytes
 * serve a local call and, later, a remote one.
 */
#ifndef _SYS_SYSCALL_H_
#define _SYS_SYSCALL_H_

#include <sys/types.h>

struct lwp;

typedef int sy_call_t(struct lwp *, const void *, register_t *);

struct sysent {
	int16_t		sy_narg;
	int16_t		sy_argsize;	/* bytes of the argument structure */
	sy_call_t	*sy_call;	/* NULL: component not linked */
	const char	*sy_name;
};

extern struct sysent sysent[];
extern const int nsysent;

#define SCARG(uap, name)	((uap)->name.val)

/* Run system call num for the calling thread, entering the kernel. */
int64_t	syscall_inflight(void);
int	syscall_dispatch(int num, const void *args, size_t argsize,
	    register_t *retval);
/* For a component's own calls (syscalls.master names the component):
 * the generated NAME_syscalls[] table, ended by a zero entry. */
struct syscall_package {
	int		sp_code;
	sy_call_t	*sp_call;
};
int	syscall_establish(int num, sy_call_t *);
void	syscall_disestablish(int num);
int	syscall_establish_package(const struct syscall_package *);
void	syscall_disestablish_package(const struct syscall_package *);

#endif /* _SYS_SYSCALL_H_ */
