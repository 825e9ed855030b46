/*
 * systm.h: what nearly every kernel file needs: console output, panic
 * and assertions, copyin/copyout, the libkern functions.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/stdarg.h>
#include <sys/errno.h>
#include <lib/libkern/libkern.h>

/* subr_prf.c: console output.  aprint_verbose prints only when the
 * RUMP_VERBOSE parameter is set. */
int	printf(const char *, ...) __printflike(1, 2);
int	vprintf(const char *, va_list);
void	aprint_verbose(const char *, ...) __printflike(1, 2);
extern bool boothowto_verbose;

/* A broken kernel invariant, never bad input (rule 8). */
void	panic(const char *, ...) __dead __printflike(1, 2);

#define KASSERT(e) do {							\
	if (__predict_false(!(e)))					\
		panic("kernel assertion \"%s\" failed: file \"%s\", line %d", \
		    #e, __FILE__, __LINE__);				\
} while (0)
#define KASSERTMSG(e, ...) do {						\
	if (__predict_false(!(e)))					\
		panic(__VA_ARGS__);					\
} while (0)
#define CTASSERT(e)	_Static_assert(e, #e)

/*
 * Moving data between the kernel and the caller of a system call.  In
 * a local kernel the caller's memory is ours; a remote client's is not,
 * so every system call goes through these (they return EFAULT for NULL).
 */
int	copyin(const void *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *uaddr, size_t len);
int	copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);
int	copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done);

#endif /* _SYS_SYSTM_H_ */
