/*
 * kern_auth.c: credentials.  Shared credentials are never modified:
 * identity changes copy (kauth_cred_dup), edit the copy, and install
 * it with proc_cred_replace().  References are counted atomically.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kauth.h>
#include <sys/kmem.h>

int
kauth_cred_alloc(kauth_cred_t *credp)
{
	kauth_cred_t cred;

	if ((cred = kmem_zalloc(sizeof(*cred), KM_SLEEP)) == NULL)
		return ENOMEM;
	cred->cr_refcnt = 1;
	*credp = cred;
	return 0;
}

int
kauth_cred_dup(kauth_cred_t src, kauth_cred_t *credp)
{
	kauth_cred_t cred;

	if ((cred = kmem_alloc(sizeof(*cred), KM_SLEEP)) == NULL)
		return ENOMEM;
	*cred = *src;
	cred->cr_refcnt = 1;
	*credp = cred;
	return 0;
}

void
kauth_cred_hold(kauth_cred_t cred)
{

	atomic_inc_nv(&cred->cr_refcnt);
}

void
kauth_cred_free(kauth_cred_t cred)
{

	KASSERT(cred->cr_refcnt > 0);
	if (atomic_dec_nv(&cred->cr_refcnt) == 0)
		kmem_free(cred, sizeof(*cred));
}

int
kauth_authorize_super(kauth_cred_t cred)
{

	return cred->cr_euid == 0 ? 0 : EPERM;
}

bool
kauth_cred_groupmember(kauth_cred_t cred, gid_t gid)
{
	int i;

	if (cred->cr_egid == gid)
		return true;
	for (i = 0; i < cred->cr_ngroups; i++)
		if (cred->cr_groups[i] == gid)
			return true;
	return false;
}
