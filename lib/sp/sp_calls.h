/*
 * sp_calls.h: what each system call's pointer arguments carry, for
 * marshalling remote calls (docs/sysproxy.md).  The table sp_calls[]
 * is generated from the annotations in sys/kern/syscalls.master by
 * tools/gensyscalls.awk (what=sptab); indexed by call number, an entry
 * with name NULL is no call.
 *
 * An argument's region is count x size bytes at the pointer, count
 * being 1 (SP_N_ONE), a constant (SP_N_CONST), the value of another
 * argument (SP_N_ARG) or of what another argument points at
 * (SP_N_DEREF).  SP_A_STR is a NUL-terminated string; SP_A_IOVIN and
 * SP_A_IOVOUT are arrays of struct rump_iovec whose buffers go in or
 * out; SP_A_IOCTL is sized and directed by the command in argument
 * as_countarg (BSD encoding: IOCPARM_LEN, IOC_IN, IOC_OUT).  SP_A_FCNTL
 * is fcntl's integer argument, a struct rump_flock in and out when the
 * command is a lock command (SP_FCNTL_ISLOCK), a plain value otherwise.
 * With
 * SP_F_RET the call's return value says how many bytes it wrote (read,
 * readlink, getdents): only those need to travel back.
 */
#ifndef _LIB_SP_SP_CALLS_H_
#define _LIB_SP_SP_CALLS_H_

#include <stdint.h>

enum sp_argkind {
	SP_A_STR = 1, SP_A_IN, SP_A_OUT, SP_A_INOUT, SP_A_IOVIN, SP_A_IOVOUT,
	SP_A_IOCTL, SP_A_FCNTL
};
enum sp_countkind { SP_N_ONE = 1, SP_N_CONST, SP_N_ARG, SP_N_DEREF };

#define SP_MAXSPECS	6

struct sp_argspec {
	uint8_t		as_arg;		/* which argument (0-based) */
	uint8_t		as_kind;	/* enum sp_argkind */
	uint8_t		as_count;	/* enum sp_countkind */
	uint8_t		as_countarg;	/* SP_N_ARG, SP_N_DEREF */
	uint32_t	as_nconst;	/* SP_N_CONST */
	uint32_t	as_size;	/* bytes of one element */
	uint32_t	as_flags;	/* SP_F_* */
};

#define SP_F_RET	0x01	/* the return value counts the bytes out */

/* BSD ioctl command encoding */
#define SP_IOC_OUT	0x40000000u
#define SP_IOC_IN	0x80000000u
#define SP_IOCPARM_LEN(c)	(((c) >> 16) & 0x1fff)

/* fcntl commands whose argument points at a struct rump_flock */
#define SP_FCNTL_ISLOCK(c)	((c) == RUMP_F_GETLK || (c) == RUMP_F_SETLK || \
	(c) == RUMP_F_SETLKW)

struct sp_call {
	const char		*sc_name;
	uint8_t			sc_nargs;
	struct sp_argspec	sc_spec[SP_MAXSPECS];
	uint8_t			sc_nspecs;
};

extern const struct sp_call sp_calls[];
extern const int sp_ncalls;

#endif /* _LIB_SP_SP_CALLS_H_ */
