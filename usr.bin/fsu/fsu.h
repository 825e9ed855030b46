/*
 * fsu.h: the fs-utils, tools that work on a file-system image without
 * mounting it on the host.  One program, fsu, runs each command:
 * `fsu ls image /dir`, or through a link named fsu_ls.  fsu.c boots a
 * kernel, registers the image as a block device, finds its file-system
 * type (or takes -t), mounts it at FSU_ROOT and calls the command with
 * paths inside the image; the commands use only rump_sys_* calls.
 */
#ifndef FSU_FSU_H
#define FSU_FSU_H

#define FSU_ROOT	"/fsu"

/* Exit statuses, as the POSIX tools use them. */
#define FSU_OK		0
#define FSU_TROUBLE	1	/* some operand failed */
#define FSU_FAIL	2	/* usage, image or mount problems */

struct fsu_cmd {
	const char	*name;
	int		(*main)(int argc, char **argv);	/* argv[0]: name */
	const char	*usage;		/* after "[-t type] [-o opts] image" */
	int		writes;		/* needs a read-write mount */
};

/* "/fsu" + path inside the image, into buf. */
const char *fsu_path(const char *inimage, char *buf, size_t len);
/* warn()-style messages, prefixed with the command's name. */
void	fsu_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	fsu_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int	fsu_ls_main(int, char **);
int	fsu_cat_main(int, char **);

#endif /* FSU_FSU_H */
