/*
 * fsu.h: the fs-utils, tools that work on a file-system image without
 * mounting it on the host.  One program, fsu, runs each command:
 * `fsu ls image /dir`, or through a link named fsu_ls.  fsu.c boots a
 * kernel, registers the image as a block device, finds its file-system
 * type (or takes -t), mounts it at FSU_ROOT and calls the command with
 * paths inside the image; the commands reach the image only through
 * rump_sys_* calls, and the host (fsu_get, fsu_put, fsu_diff) only
 * through ordinary system calls.
 *
 * Shared pieces declared here:
 *   fsu_util.c   messages, usage, memory, paths, directory listing,
 *                sizes for people, mode strings and symbolic modes,
 *                the image's user and group names
 *   fsu_fs.c     struct fsu_fs: one set of file operations for the
 *                host and one for the image, so copying (fsu_cp,
 *                fsu_get, fsu_put) and comparing (fsu_diff) are written
 *                once for any pair of sides
 *   fsu_copy.c   cp(1)'s semantics over two fsu_fs sides, with a large
 *                buffer, holes kept, and progress on a terminal
 *
 * Everything runs on one thread; nothing here locks.
 */
#ifndef FSU_FSU_H
#define FSU_FSU_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define FSU_ROOT	"/fsu"

/* Exit statuses, as the POSIX tools use them. */
#define FSU_OK		0
#define FSU_TROUBLE	1	/* some operand failed */
#define FSU_FAIL	2	/* usage, image or mount problems */

/* Copies move data in chunks this large. */
#define FSU_BUFSIZE	(256 * 1024)	/* fits the caches; big enough for clusters */

struct fsu_cmd {
	const char	*name;
	int		(*main)(int argc, char **argv);	/* argv[0]: name */
	const char	*usage;		/* after "[-t type] [-o opts] image" */
	int		writes;		/* needs a read-write mount */
	const char	*what;		/* one line for --help */
};

extern const struct fsu_cmd *fsu_curcmd;	/* the command running */
extern const char *fsu_image;			/* the image's host path */
extern mode_t fsu_umask;			/* the user's umask */

/* warn()-style messages, prefixed with the command's name. */
void	fsu_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	fsu_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The usage line on stderr (returns FSU_FAIL) or, for --help, stdout. */
int	fsu_usage(void);
int	fsu_help(void);
/* Long options every command takes; getopt_long returns FSU_OPT_HELP. */
#define FSU_OPT_HELP	0x1000

/* Allocation that cannot fail: out of memory ends the program. */
void	*fsu_malloc(size_t);
void	*fsu_realloc(void *, size_t);
char	*fsu_strdup(const char *);
/* dir + "/" + name, without doubling a slash; malloc'ed. */
char	*fsu_join(const char *dir, const char *name);
/* The last component of path ("/" for "/", trailing slashes ignored). */
char	*fsu_basename(const char *path);

/*
 * Names in an image directory, "." and ".." left out, in directory
 * order; *names is an array of malloc'ed strings.  -1 and errno on
 * failure.
 */
int	fsu_readdir(const char *path, char ***names, size_t *n);
void	fsu_freenames(char **names, size_t n);
void	fsu_sortnames(char **names, size_t n);

/* bytes as du -h and df -h print them ("4.0K", "12M"), rounded up. */
void	fsu_human(uint64_t bytes, char *buf, size_t len);
/* ls -l's ten characters for a mode (type and permissions). */
void	fsu_modestr(mode_t mode, char *buf);
/* stat's name for a file type ("regular file", "directory" ...). */
const char *fsu_typename(mode_t mode, off_t size);

/*
 * chmod(1) modes: fsu_mode_parse compiles an octal or symbolic mode
 * ("u+x,go-w", "a=rX", "755"), NULL if it is not one; fsu_mode_apply
 * computes the new mode of a file with mode old (its type bits tell
 * whether X applies), with umask for clauses naming nobody.
 */
struct fsu_mode;
struct fsu_mode *fsu_mode_parse(const char *spec);
mode_t	fsu_mode_apply(const struct fsu_mode *, mode_t old, mode_t umask);
void	fsu_mode_free(struct fsu_mode *);

/*
 * Users and groups by the image's /etc/passwd and /etc/group (read
 * once); the lookups return NULL or -1 if the image has none.
 */
const char *fsu_user_name(uid_t);
const char *fsu_group_name(gid_t);
int	fsu_user_id(const char *name, uid_t *uid, gid_t *gid);
int	fsu_user_gid(uid_t uid, gid_t *gid);	/* the login group */
int	fsu_group_id(const char *name, gid_t *gid);

/* One side of a copy or a comparison: the host or the image. */
struct fsu_stat {
	mode_t		mode;
	unsigned long	nlink;
	uid_t		uid;
	gid_t		gid;
	off_t		size;
	int64_t		blocks;		/* 512-byte units */
	uint64_t	ino;
	uint64_t	dev;
	unsigned int	rmajor, rminor;	/* devices */
	struct timespec	atim, mtim;
};

/*
 * The calls behave as the system calls of the same names: -1 and errno
 * (the host's numbering) on failure.  Flags and modes are the host's;
 * the image side translates.  lutimens and lchown do not follow a
 * symbolic link; stat follows one when follow is set.
 */
struct fsu_fs {
	const char	*what;		/* "host" or "image" */
	int	(*stat)(const char *, struct fsu_stat *, int follow);
	int	(*open)(const char *, int, mode_t);
	ssize_t	(*read)(int, void *, size_t);
	ssize_t	(*write)(int, const void *, size_t);
	off_t	(*lseek)(int, off_t, int);
	int	(*ftruncate)(int, off_t);
	int	(*close)(int);
	int	(*mkdir)(const char *, mode_t);
	int	(*mknod)(const char *, mode_t, unsigned int, unsigned int);
	int	(*symlink)(const char *target, const char *path);
	ssize_t	(*readlink)(const char *, char *, size_t);
	int	(*link)(const char *, const char *);
	int	(*unlink)(const char *);
	int	(*chmod)(const char *, mode_t);
	int	(*lchown)(const char *, uid_t, gid_t);
	int	(*lutimens)(const char *, const struct timespec[2]);
	int	(*fchown)(int, uid_t, gid_t);
	int	(*fchmod)(int, mode_t);
	int	(*futimens)(int, const struct timespec[2]);
	int	(*readdir)(const char *, char ***, size_t *);
};
extern const struct fsu_fs fsu_hostfs, fsu_imagefs;

/*
 * A copy in cp(1)'s manner from one side to another (see fsu_copy.c).
 * Fill in the options, then fsu_copy_main() with the operands.
 */
struct fsu_copy {
	const struct fsu_fs *src, *dst;
	int	recursive;	/* -R: descend into directories */
	int	deref;		/* follow links: 0 never, 1 operands, 2 all */
	int	preserve;	/* modes and times of the source */
	int	owners;		/* with preserve: owners too */
	int	quiet_owners;	/* a refused chown is not an error */
	int	hardlinks;	/* files linked in the source stay linked */
	int	verbose;
};
int	fsu_copy_main(struct fsu_copy *, int nsrc, char **srcs,
	    const char *dst);

/* Progress of a long copy, on stderr when it is a terminal. */
void	fsu_progress_start(void);
void	fsu_progress_add(uint64_t bytes);
void	fsu_progress_end(void);

int	fsu_ls_main(int, char **);
int	fsu_cat_main(int, char **);
int	fsu_cp_main(int, char **);
int	fsu_get_main(int, char **);
int	fsu_put_main(int, char **);
int	fsu_mkdir_main(int, char **);
int	fsu_rm_main(int, char **);
int	fsu_rmdir_main(int, char **);
int	fsu_mv_main(int, char **);
int	fsu_ln_main(int, char **);
int	fsu_chmod_main(int, char **);
int	fsu_chown_main(int, char **);
int	fsu_touch_main(int, char **);
int	fsu_stat_main(int, char **);
int	fsu_find_main(int, char **);
int	fsu_du_main(int, char **);
int	fsu_df_main(int, char **);
int	fsu_write_main(int, char **);
int	fsu_diff_main(int, char **);

#endif /* FSU_FSU_H */
