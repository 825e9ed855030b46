/*
 * atomic.h: atomic operations for kernel code, on the compiler's
 * __atomic builtins (which compile to instructions, not host calls).
 * Plain loads and stores are relaxed; the _acquire/_release forms and
 * membar_sync() order memory; the cas and read-modify-write forms are
 * sequentially consistent.
 */
#ifndef _SYS_ATOMIC_H_
#define _SYS_ATOMIC_H_

#define atomic_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_load_seq(p)	__atomic_load_n((p), __ATOMIC_SEQ_CST)
#define atomic_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define atomic_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_store_seq(p, v)	__atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define atomic_add_nv(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_sub_nv(p, v)	__atomic_sub_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_inc_nv(p)	atomic_add_nv((p), 1)
#define atomic_dec_nv(p)	atomic_sub_nv((p), 1)
/* Compare-and-swap: true if *p was o and is now n. */
#define atomic_cas(p, o, n) __extension__ ({				\
	__typeof__(*(p)) __o = (o);					\
	__atomic_compare_exchange_n((p), &__o, (n), 0,			\
	    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);			\
})
#define membar_sync()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* _SYS_ATOMIC_H_ */
