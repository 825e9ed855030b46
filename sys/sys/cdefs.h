/*
 * cdefs.h: compiler attribute and link-set macros for kernel code.
 */
#ifndef _SYS_CDEFS_H_
#define _SYS_CDEFS_H_

#define __dead		__attribute__((__noreturn__))
#define __unused	__attribute__((__unused__))
#define __used		__attribute__((__used__))
#define __packed	__attribute__((__packed__))
#define __aligned(x)	__attribute__((__aligned__(x)))
#define __printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define __noinline	__attribute__((__noinline__))
#define __predict_true(e)	__builtin_expect(((e) != 0), 1)
#define __predict_false(e)	__builtin_expect(((e) != 0), 0)
#define __CONCAT1(x, y)	x ## y
#define __CONCAT(x, y)	__CONCAT1(x, y)
#define __STRING1(x)	#x
#define __STRING(x)	__STRING1(x)
#define __arraycount(a)	(sizeof(a) / sizeof((a)[0]))
#define __CACHE_LINE_SIZE 64

/*
 * Link sets: a section of pointers collected from every object of one
 * library (or, statically linked, of the whole program).  The linker
 * provides the __start_ and __stop_ bounds; they are hidden, so each
 * shared library walks only its own set.
 */
#define __link_set_add_data(set, sym)					\
	static void const *const __CONCAT(__link_set_##set##_, sym)	\
	__attribute__((__section__("link_set_" #set), __used__)) = &(sym)
#define __link_set_decl(set, ptype)					\
	extern ptype *const __start_link_set_##set[]			\
	    __attribute__((__visibility__("hidden"), __weak__));	\
	extern ptype *const __stop_link_set_##set[]			\
	    __attribute__((__visibility__("hidden"), __weak__))
#define __link_set_start(set)	(__start_link_set_##set)
#define __link_set_end(set)	(__stop_link_set_##set)

#endif /* _SYS_CDEFS_H_ */
