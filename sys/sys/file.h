/*
 * file.h: open files and descriptor tables.
 *
 * A struct file is one open: its flags, offset and operations (a vnode,
 * a pipe, later a socket).  Descriptors in a process's table point at
 * files; dup() and fork share them.  A file is freed when its last
 * reference goes: fd_getfile() takes a reference for the length of a
 * system call, closef() drops one.
 *
 * Field legend: c constant after creation; f f_lock; a atomic;
 * d the table's fd_lock.
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/kauth.h>

struct file;
struct uio;
struct proc;
struct rump_stat;
struct rump_flock;
struct lwp;

#define FREAD		0x0001		/* c */
#define FWRITE		0x0002		/* c */
#define FNONBLOCK	RUMP_O_NONBLOCK	/* f */
#define FAPPEND		RUMP_O_APPEND	/* f */
#define FMASK		(FREAD | FWRITE | FNONBLOCK | FAPPEND)
#define FHASLOCK	0x10000000	/* f: flock() lock held */

#define DTYPE_VNODE	1
#define DTYPE_PIPE	2

struct fileops {
	/* offset: where, updated; NULL for files without one. */
	int	(*fo_read)(struct file *, struct uio *, int flags);
	int	(*fo_write)(struct file *, struct uio *, int flags);
	int	(*fo_ioctl)(struct file *, u_long cmd, void *data);
	int	(*fo_poll)(struct file *, int events);	/* returns revents */
	int	(*fo_stat)(struct file *, struct rump_stat *);
	int	(*fo_seek)(struct file *, off_t off, int whence, off_t *res);
	/* Advisory locks: cmd F_GETLK/F_SETLK/F_SETLKW with a POSIX lock
	 * owned by the process, or with FLOCK set a flock() lock owned by
	 * the file.  NULL: the file cannot be locked. */
	int	(*fo_advlock)(struct file *, int cmd, struct rump_flock *,
		    int flags);
	int	(*fo_close)(struct file *);
};
#define ADVLOCK_FLOCK	0x01
#define FOF_UPDATE_OFFSET	0x01	/* use and advance f_offset */

struct file {
	kmutex_t		f_lock;
	u_int			f_count;	/* a */
	u_int			f_flag;		/* f */
	int			f_type;		/* c */
	const struct fileops	*f_ops;		/* c */
	void			*f_data;	/* c */
	off_t			f_offset;	/* f */
	kauth_cred_t		f_cred;		/* c */
	/* c: a FIFO's writer generation at open (poll, <sys/pipe.h>) */
	u_int			f_fifogen;
};

struct filedesc {
	kmutex_t	fd_lock;
	u_int		fd_refcnt;			/* a: processes */
	struct file	*fd_ofiles[RUMP_OPEN_MAX];	/* d */
	uint8_t		fd_oflags[RUMP_OPEN_MAX];	/* d: UF_* */
};
#define UF_EXCLOSE	0x01	/* close on exec */

int	falloc(struct lwp *, struct file **, int *fdp);	/* reserves fd */
void	fd_install(struct proc *, int fd, struct file *, int uflags);
void	fd_abort(struct proc *, int fd, struct file *);	/* undo falloc */
int	fd_getfile(struct proc *, int fd, struct file **);
void	fd_putfile(struct file *);		/* = closef */
int	fd_close(struct proc *, int fd);
int	closef(struct file *);
int	fd_dup(struct proc *, struct file *, int minfd, int uflags, int *);

int	filedesc_create(struct proc *child, struct proc *parent, int flags);
void	filedesc_release(struct proc *);

/* Wake every poll/select sleeper (state of some file changed). */
void	selnotify(void);

#endif /* _SYS_FILE_H_ */
