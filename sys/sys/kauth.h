/*
 * kauth.h: credentials.
 *
 * A credential is immutable once shared: changing identity makes a
 * modified copy and swaps the process's pointer under p_lock.  The
 * reference count is atomic.
 */
#ifndef _SYS_KAUTH_H_
#define _SYS_KAUTH_H_

#include <sys/types.h>
#include <sys/param.h>

struct kauth_cred {
	u_int	cr_refcnt;		/* atomic */
	uid_t	cr_uid, cr_euid, cr_svuid;
	gid_t	cr_gid, cr_egid, cr_svgid;
	int	cr_ngroups;
	gid_t	cr_groups[NGROUPS];
};
typedef struct kauth_cred *kauth_cred_t;

int	kauth_cred_alloc(kauth_cred_t *);	/* root, no groups */
int	kauth_cred_dup(kauth_cred_t, kauth_cred_t *);
void	kauth_cred_hold(kauth_cred_t);
void	kauth_cred_free(kauth_cred_t);
/* 0 if cred is the superuser, else EPERM. */
int	kauth_authorize_super(kauth_cred_t);
bool	kauth_cred_groupmember(kauth_cred_t, gid_t);

#endif /* _SYS_KAUTH_H_ */
