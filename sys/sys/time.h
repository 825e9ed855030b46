/*
 * time.h: the kernel clock.  There is no periodic tick: time is read
 * from the host's clocks when asked, and ticks (hz per second) are
 * derived from the monotonic clock.
 */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

#define timespec	rump_timespec	/* one layout inside and outside */

extern int hz;
extern struct timespec boottime;	/* wall clock at boot */

#define NSEC_PER_SEC	1000000000LL

int64_t	getnsecuptime(void);		/* monotonic ns since an origin */
void	getnanouptime(struct timespec *);
void	getnanotime(struct timespec *);	/* wall clock */
int	getticks(void);
int64_t	ticks2ns(int);
int	mstohz(int);
int	timespec_valid(const struct timespec *);
/* Sleep ns nanoseconds, the CPU given back meanwhile. */
void	kpause_ns(int64_t ns);
void	clock_init(void);

#endif /* _SYS_TIME_H_ */
