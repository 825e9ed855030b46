/*
 * namei.h: path name lookup.
 *
 * namei() walks a path from the process's root or current directory
 * (or a descriptor's directory, for the *at calls), component by
 * component: ".", "..", mount points in both directions, symbolic links
 * (ELOOP after MAXSYMLINKS), search permission on every directory.
 * For NI_CREATE, NI_DELETE and NI_RENAME it returns the parent and
 * the last name, and a missing last component is not an error.
 */
#ifndef _SYS_NAMEI_H_
#define _SYS_NAMEI_H_

#include <sys/types.h>

struct vnode;
struct kauth_cred;

#define NAME_MAX	RUMP_MAXNAMLEN
#define MAXSYMLINKS	32

#define NI_LOOKUP	0
#define NI_CREATE	1
#define NI_DELETE	2
#define NI_RENAME	3

#define NI_FOLLOW	0x01	/* follow a symlink at the end */
#define NI_WANTPARENT	0x02	/* return the parent too */

struct nameidata {
	/* in */
	const char		*ni_upath;	/* caller's path */
	int			ni_op;
	int			ni_flags;
	int			ni_atfd;	/* RUMP_AT_FDCWD or a dir fd */
	/* out: referenced vnodes (ni_vp NULL if the last is missing) */
	struct vnode		*ni_vp;
	struct vnode		*ni_dvp;
	char			ni_name[NAME_MAX + 1];
	size_t			ni_namelen;
	bool			ni_trailslash;	/* path ended in '/' */
};

int	namei(struct nameidata *);
int	namei_blkdev(const char *path, dev_t *);	/* ENOTBLK if not one */
void	namei_done(struct nameidata *);	/* drop ni_vp and ni_dvp */

#endif /* _SYS_NAMEI_H_ */
