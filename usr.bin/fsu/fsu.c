/*
 * fsu.c: the fs-utils driver (see fsu.h).
 *
 *	fsu_CMD [-t type] [-o options] image [command arguments]
 *	fsu CMD [-t type] [-o options] image [command arguments]
 *
 * It boots a rump kernel in this process, registers image as a block
 * device (read-only unless the command writes), mounts it, trying each
 * known file-system type unless -t names one, and runs the command in
 * a kernel process whose root is the image, so that the command's
 * paths are the image's paths.  Nothing touches the host but the
 * image file itself.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

static const struct fsu_cmd cmds[] = {
	{ "ls", fsu_ls_main, "[-1AaRdl] [file ...]", 0,
	    "list directory contents" },
	{ "cat", fsu_cat_main, "file ...", 0,
	    "print files" },
	{ "cp", fsu_cp_main, "[-aHLPpRrv] source ... target", 1,
	    "copy files inside the image" },
	{ "get", fsu_get_main, "[-HLPpRrv] image-source ... host-target", 0,
	    "copy files from the image to the host" },
	{ "put", fsu_put_main, "[-HLPpRrv] host-source ... image-target", 1,
	    "copy files from the host into the image" },
	{ "mkdir", fsu_mkdir_main, "[-pv] [-m mode] directory ...", 1,
	    "make directories" },
	{ "rm", fsu_rm_main, "[-dfRrv] file ...", 1,
	    "remove files" },
	{ "rmdir", fsu_rmdir_main, "[-pv] directory ...", 1,
	    "remove empty directories" },
	{ "mv", fsu_mv_main, "[-fnv] source ... target", 1,
	    "move (rename) files" },
	{ "ln", fsu_ln_main, "[-fnsv] target ... [link-name | directory]", 1,
	    "make links" },
	{ "chmod", fsu_chmod_main, "[-Rfv] mode file ...", 1,
	    "change file modes" },
	{ "chown", fsu_chown_main, "[-Rfhv] owner[:group] file ...", 1,
	    "change file owners and groups" },
	{ "touch", fsu_touch_main,
	    "[-achm] [-d date | -r file | -t stamp] file ...", 1,
	    "change file times, create empty files" },
	{ "stat", fsu_stat_main, "[-fLt] [-c format] [--printf format] "
	    "file ...", 0,
	    "show file or file-system status" },
	{ "find", fsu_find_main, "[-H | -L | -P] [path ...] [expression]", 0,
	    "walk directory trees" },
	{ "du", fsu_du_main, "[-abchkms] [-d depth] [--apparent-size] [file ...]", 0,
	    "estimate file space usage" },
	{ "df", fsu_df_main, "[-hikT] [file ...]", 0,
	    "report the image's space and inodes" },
	{ "write", fsu_write_main, "[-a] file", 1,
	    "write standard input into a file" },
	{ "diff", fsu_diff_main, "[-qrH] [--no-dereference] file1 file2", 0,
	    "compare files and trees" },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

const struct fsu_cmd *fsu_curcmd;
const char *fsu_image;
mode_t fsu_umask = 022;
static const char *progname = "fsu";
static char progbuf[32];

/* File-system types tried when -t is not given, in order. */
static const char *const fstypes[] = { "ffs" };

void
fsu_warn(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
}

void
fsu_warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static void
usage(const struct fsu_cmd *c, FILE *out)
{
	unsigned int i;

	if (c != NULL) {
		fprintf(out, "usage: fsu_%s [-t type] [-o options] image %s\n",
		    c->name, c->usage);
		return;
	}
	fprintf(out, "usage: fsu command [-t type] [-o options] image "
	    "[arguments]\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(out, "  %-6s %s\n", cmds[i].name, cmds[i].what);
}

int
fsu_usage(void)
{

	usage(fsu_curcmd, stderr);
	return FSU_FAIL;
}

int
fsu_help(void)
{

	usage(fsu_curcmd, stdout);
	printf("fsu_%s: %s in a file-system image (see fsu(1))\n",
	    fsu_curcmd->name, fsu_curcmd->what);
	return FSU_OK;
}

static const struct fsu_cmd *
find_cmd(const char *name)
{
	unsigned int i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

/* Mount the image's file system at FSU_ROOT; the type it had. */
static int
mount_image(const char *type, int flags, const char **found)
{
	struct rump_ffs_args ffs;
	unsigned int i;

	memset(&ffs, 0, sizeof(ffs));
	strcpy(ffs.fa_fspec, "/dev/image");
	for (i = 0; i < sizeof(fstypes) / sizeof(fstypes[0]); i++) {
		if (type != NULL && strcmp(type, fstypes[i]) != 0)
			continue;
		if (rump_sys_mount(fstypes[i], FSU_ROOT, flags, &ffs,
		    sizeof(ffs)) == 0) {
			*found = fstypes[i];
			return 0;
		}
		/* Not this type: try the next.  Anything else is final. */
		if (errno != EMEDIUMTYPE && type == NULL)
			return -1;
	}
	if (type != NULL && i == sizeof(fstypes) / sizeof(fstypes[0]) &&
	    errno == 0)
		errno = ENODEV;
	return -1;
}

int
main(int argc, char **argv)
{
	const struct fsu_cmd *c;
	const char *type = NULL, *found = NULL, *image, *base;
	char *opt, *tok, *save, **cmd_argv;
	struct rump_statvfs sv;
	int ch, readonly = 0, force = 0, rv, cmd_argc, mflags;

	base = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	if (strncmp(base, "fsu_", 4) == 0) {
		c = find_cmd(base + 4);
	} else {
		if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0) {
			usage(NULL, argc < 2 ? stderr : stdout);
			return argc < 2 ? FSU_FAIL : FSU_OK;
		}
		c = find_cmd(argv[1]);
		argv++;
		argc--;
	}
	if (c == NULL) {
		fprintf(stderr, "fsu: unknown command \"%s\"\n", argc > 0 &&
		    strncmp(base, "fsu_", 4) != 0 ? argv[0] : base);
		usage(NULL, stderr);
		return FSU_FAIL;
	}
	snprintf(progbuf, sizeof(progbuf), "fsu_%s", c->name);
	progname = progbuf;
	fsu_curcmd = c;
	if (argc >= 2 && strcmp(argv[1], "--help") == 0)
		return fsu_help();

	/* Our options come before the image; the command's after it. */
	while ((ch = getopt(argc, argv, "+t:o:h")) != -1) {
		switch (ch) {
		case 't':
			type = optarg;
			break;
		case 'o':
			opt = optarg;
			for (tok = strtok_r(opt, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save)) {
				if (strcmp(tok, "ro") == 0)
					readonly = 1;
				else if (strcmp(tok, "rw") == 0)
					readonly = 0;
				else if (strcmp(tok, "force") == 0)
					force = 1;
				else {
					fsu_warnx("unknown mount option \"%s\"",
					    tok);
					return FSU_FAIL;
				}
			}
			break;
		case 'h':
			return fsu_help();
		default:
			usage(c, stderr);
			return FSU_FAIL;
		}
	}
	if (optind >= argc) {
		usage(c, stderr);
		return FSU_FAIL;
	}
	image = argv[optind++];
	fsu_image = image;
	/* Files the commands create get the user's umask, not the kernel's. */
	fsu_umask = umask(022);
	umask(fsu_umask);

	if (rump_init() != 0) {
		fsu_warn("cannot boot the kernel");
		return FSU_FAIL;
	}
	if (rump_sys_mkdir("/dev", 0755) != 0 ||
	    rump_sys_mkdir(FSU_ROOT, 0755) != 0 ||
	    rump_etfs_register("/dev/image", image, c->writes && !readonly ?
	    RUMP_ETFS_BLK : RUMP_ETFS_BLK_RO) != 0) {
		fsu_warn("%s", image);
		return FSU_FAIL;
	}
	errno = 0;
	mflags = c->writes && !readonly ? 0 : RUMP_MNT_RDONLY;
	if (force)
		mflags |= RUMP_MNT_FORCE;
	if (mount_image(type, mflags, &found) != 0) {
		if (errno == EMEDIUMTYPE)
			fsu_warnx("%s: not a file system image fsu knows%s%s",
			    image, type ? " as " : "", type ? type : "");
		else if (errno == ENODEV)
			fsu_warnx("%s: unknown file system type", type);
		else
			fsu_warn("%s", image);
		return FSU_FAIL;
	}

	/*
	 * A driver may mount read-only what it should not write (a file
	 * system that is not clean, features it does not write) and say
	 * why; a command that writes stops here, before it fails half way.
	 */
	if (c->writes && !readonly && rump_sys_statvfs(FSU_ROOT, &sv) == 0 &&
	    (sv.f_flag & RUMP_MNT_RDONLY) != 0) {
		fsu_warnx("%s: the file system can only be mounted read-only%s",
		    image, force ? "" : " (-o force mounts it read-write)");
		rump_sys_unmount(FSU_ROOT, 0);
		return FSU_FAIL;
	}

	/* Run the command in a process whose root is the image. */
	if (rump_lwproc_rfork(RUMP_RFCFDG) != 0 ||
	    rump_sys_chroot(FSU_ROOT) != 0 || rump_sys_chdir("/") != 0) {
		fsu_warn("cannot enter the image");
		return FSU_FAIL;
	}
	rump_sys_umask((rump_mode_t)fsu_umask);
	/* The command's argv: its name, then what follows the image. */
	cmd_argc = argc - (optind - 1);
	cmd_argv = &argv[optind - 1];
	cmd_argv[0] = progbuf;	/* getopt's messages name the command */
	optind = 0;			/* glibc: restart getopt afresh */
	rv = c->main(cmd_argc, cmd_argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fsu_warn("standard output");
		rv = FSU_FAIL;
	}
	/* Changes reach the image before we report success. */
	if (c->writes && !readonly && rump_sys_sync() != 0) {
		fsu_warn("%s", image);
		rv = FSU_FAIL;
	}

	rump_lwproc_releaselwp();
	if (rump_sys_unmount(FSU_ROOT, 0) != 0) {
		fsu_warn("unmounting %s", image);
		if (rv == FSU_OK)
			rv = FSU_FAIL;
	}
	return rv;
}
