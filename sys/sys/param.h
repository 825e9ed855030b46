/* param.h: kernel constants and arithmetic helpers. */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_
#include <sys/types.h>

#define MAXCOMLEN	16		/* process and thread names */
#define NGROUPS		RUMP_NGROUPS
#define MAXHOSTNAMELEN	256
#define PAGE_SIZE	4096
#define MAXCPUS		256

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	(howmany(x, y) * (y))
#define roundup2(x, m)	(((x) + ((m) - 1)) & ~((m) - 1))
#define rounddown2(x, m) ((x) & ~((m) - 1))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

#endif /* _SYS_PARAM_H_ */
