/*
 * types.h: the kernel's basic types, from the compiler's builtin type
 * macros (no host header: rule 1).  ABI-visible types come from
 * <rump/rumpdefs.h>, so kernel and public API agree by construction.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <sys/cdefs.h>
#include <rump/rumpdefs.h>

typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;
typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __INTMAX_TYPE__		intmax_t;
typedef __UINTMAX_TYPE__	uintmax_t;
typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ssize_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;

typedef unsigned char		u_char;
typedef unsigned short		u_short;
typedef unsigned int		u_int;
typedef unsigned long		u_long;

typedef _Bool			bool;
#define true			1
#define false			0
#define NULL			((void *)0)

typedef rump_pid_t		pid_t;
typedef int32_t			lwpid_t;
typedef rump_uid_t		uid_t;
typedef rump_gid_t		gid_t;
typedef rump_mode_t		mode_t;
typedef rump_off_t		off_t;
typedef rump_time_t		time_t;
typedef rump_register_t		register_t;
typedef rump_clockid_t		clockid_t;
typedef rump_dev_t		dev_t;
typedef rump_ino_t		ino_t;

#define INT32_MAX		__INT32_MAX__
#define INT64_MAX		__INT64_MAX__
#define UINT32_MAX		__UINT32_MAX__
#define UINT64_MAX		__UINT64_MAX__
#define SIZE_MAX		__SIZE_MAX__
#define INT_MAX			__INT_MAX__

#define offsetof(t, m)		__builtin_offsetof(t, m)

#endif /* _SYS_TYPES_H_ */
