/*
 * lockdebug.h: lock assertions and the lock-order checker, compiled in
 * with LOCKDEBUG (make LOCKDEBUG=1).  Locks are grouped into classes by
 * the place they were initialised; taking class B while holding class A
 * records A->B, and a later B->A is a lock-order reversal: panic, with
 * both classes named.
 */
#ifndef _SYS_LOCKDEBUG_H_
#define _SYS_LOCKDEBUG_H_

#include <sys/cdefs.h>

#ifdef LOCKDEBUG
#define LOCKDEBUG_ENABLED	1
void	lockdebug_init(void);
/* Record that curlwp took / dropped a lock of class cls. */
void	lockdebug_acquire(const char *cls);
void	lockdebug_release(const char *cls);
#else
#define LOCKDEBUG_ENABLED	0
static inline void lockdebug_init(void) { }
static inline void lockdebug_acquire(const char *cls __unused) { }
static inline void lockdebug_release(const char *cls __unused) { }
#endif

#endif /* _SYS_LOCKDEBUG_H_ */
