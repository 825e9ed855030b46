/*
 * ktest.h: the kernel-side halves of the tests (tests/<area>/ktest_*.c,
 * linked as librumpktest), as host-side test programs call them.
 *
 * Each returns the number of failures (0: passed) and describes the
 * first in why[whylen]; they enter and leave the kernel themselves.
 * Types are plain C so both sides agree without sharing headers.
 */
#ifndef TESTS_KTEST_H
#define TESTS_KTEST_H

#include <stddef.h>

/* kern/ktest_kern.c */
int	rump_ktest_mutex(int nthreads, int iters, char *why, size_t whylen);
int	rump_ktest_rwlock(int nthreads, int iters, char *why, size_t whylen);
int	rump_ktest_rbtree(unsigned int seed, int n, char *why, size_t whylen);
int	rump_ktest_lockops(char *why, size_t whylen);
int	rump_ktest_cv_timeout(char *why, size_t whylen);
int	rump_ktest_cv_signal(char *why, size_t whylen);
int	rump_ktest_callout_order(char *why, size_t whylen);
int	rump_ktest_callout_stop(char *why, size_t whylen);
int	rump_ktest_kmem_workload(unsigned int seed, int nops, char *why,
	    size_t whylen);
/* Allocate size-byte objects until kmem refuses; free them; returns
 * how many it got (-1 if a later allocation then still failed). */
long	rump_ktest_kmem_exhaust(size_t size);
/* Enter the kernel, count threads inside at once; see t_vcpu.c. */
void	rump_ktest_vcpu_enter(int *maxp, int *overp, int ncpu, long spinms);
int	rump_ktest_kthread(char *why, size_t whylen);
void	rump_ktest_panic(void) __attribute__((noreturn));
void	rump_ktest_lock_reversal(void);
void	rump_ktest_lock_recurse(void);

/* hyp/ktest_hyp.c: hypercalls used from kernel context. */
int	rump_ktest_hostfile(const char *path, const char *dir, char *why,
	    size_t whylen);
int	rump_ktest_random(char *why, size_t whylen);
int	rump_ktest_sleep(char *why, size_t whylen);
/* Sets *asleep, sleeps ms in the host, sets *awake. */
void	rump_ktest_hostsleep(int *asleep, int *awake, long ms);

/* Components: the order their init and detach hooks ran, e.g.
 * "+kern +dev +vfs +net -net -vfs -dev -kern". */
extern char rump_ktest_complog[256];

#endif /* TESTS_KTEST_H */
