/*
 * pipe.h: the pipe buffer, shared by pipe(2) and FIFOs (sys_pipe.c).
 *
 * A pipe is a ring buffer with counted read and write ends.  pipe(2)
 * makes one with an end of each kind; a FIFO vnode has one while it is
 * open by anyone (vfs_fifo.c), each open adding its ends by the FIFO
 * rules.  The caller of every function but pipe_create keeps the pipe
 * alive: it holds an end, or (FIFOs) the lock under which the pipe is
 * attached to its vnode.
 *
 *	pipe_create(&pp)	a pipe without ends
 *	pipe_destroy(pp)	free it; it has no ends left
 *	pipe_fifo_open(pp, fflag, &gen)
 *				count the ends fflag (FREAD, FWRITE) asks
 *				for; with FNONBLOCK, a write-only open
 *				without a reader fails (ENXIO) and counts
 *				nothing.  gen: the other side's
 *				generation that means "no partner yet"
 *				(one behind if a partner is there), for
 *				pipe_fifo_wait and, for a reader,
 *				pipe_poll.
 *	pipe_fifo_wait(pp, fflag, gen)
 *				a blocking read-only (write-only) open
 *				waits until a writer (reader) is there or
 *				has opened since gen: a partner that came
 *				and went meanwhile counts.  On an error
 *				(EIO: revoked) the ends stay counted, for
 *				the caller to close.
 *	pipe_revoke(pp)		the FIFO's file system is gone: waiting
 *				opens fail with EIO
 *	pipe_close(pp, fflag)	drop the ends fflag holds; true if that
 *				was the last end
 *	pipe_read, pipe_write	data, as read(2) and write(2) on the ends
 *				fflag holds (FNONBLOCK: EAGAIN, not wait)
 *	pipe_poll(pp, fflag, events, gen)
 *				revents; a reader that opened at writer
 *				generation gen sees no POLLHUP before a
 *				writer has come (as on Linux and FreeBSD)
 *	pipe_nread(pp)		bytes waiting (FIONREAD)
 */
#ifndef _SYS_PIPE_H_
#define _SYS_PIPE_H_

#include <sys/types.h>

struct pipe;
struct uio;

int	pipe_create(struct pipe **);
void	pipe_destroy(struct pipe *);
int	pipe_fifo_open(struct pipe *, u_int fflag, u_int *genp);
int	pipe_fifo_wait(struct pipe *, u_int fflag, u_int gen);
void	pipe_revoke(struct pipe *);
bool	pipe_close(struct pipe *, u_int fflag);
int	pipe_read(struct pipe *, struct uio *, u_int fflag);
int	pipe_write(struct pipe *, struct uio *, u_int fflag);
int	pipe_poll(struct pipe *, u_int fflag, int events, u_int gen);
int	pipe_nread(struct pipe *);

#endif /* _SYS_PIPE_H_ */
