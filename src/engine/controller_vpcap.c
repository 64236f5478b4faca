/* The VpcAssociationPolicy reconciler, as upstream's: the service network
 * of the target Gateway gets an association with the cluster VPC carrying
 * spec.securityGroupIds (created with our ManagedBy tag, or updated when
 * the sorted lists differ); its ARN goes into the resourceArn annotation.
 * An association that exists without our ManagedBy tag is not touched
 * (Conflicted). associateWithVpc false, or the policy's deletion, removes
 * our association (and then the finalizer). An association in transition
 * is looked at again after the pending wait. */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "controller"
#include "latticectl/error.h"
#include "latticectl/kutil.h"
#include "latticectl/log.h"
#include "latticectl/xmalloc.h"

#include "controller_int.h"

/* Order strings (qsort). */
static int
vap_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Do two security group lists hold the same groups? */
int
ctl_vap_same_sgs(char *const *a, size_t na, char *const *b, size_t nb)
{
	char	**sa, **sb;
	size_t	  i;
	int	  same = na == nb;

	if (!same)
		return 0;
	sa = xcalloc(na + 1, sizeof(*sa));
	sb = xcalloc(nb + 1, sizeof(*sb));
	memcpy(sa, a, na * sizeof(*sa));
	memcpy(sb, b, nb * sizeof(*sb));
	qsort(sa, na, sizeof(*sa), vap_strcmp);
	qsort(sb, nb, sizeof(*sb), vap_strcmp);
	for (i = 0; i < na && same; i++)
		same = strcmp(sa[i], sb[i]) == 0;
	free(sa);
	free(sb);
	return same;
}

/* Read an association in full (the summary lacks its security groups):
 * 0, or 1 when it went meanwhile. */
static int
vap_get(struct pctx *x, struct lattice_sn_vpc_assoc *a, char **cause)
{
	struct lattice_sn_vpc_assoc	full;
	struct aws_error		err;
	int				rc;

	memset(&err, 0, sizeof(err));
	memset(&full, 0, sizeof(full));
	rc = lattice_get_sn_vpc_assoc(x->c->aws, a->id, &full, &err);
	ctl_pol_count(x, "GetServiceNetworkVpcAssociation", rc == 0);
	if (rc != 0) {
		lattice_sn_vpc_assoc_free(&full);
		if (err.code != NULL && strcmp(err.code,
		    "ResourceNotFoundException") == 0) {
			aws_error_clear(&err);
			lattice_sn_vpc_assoc_free(a);
			memset(a, 0, sizeof(*a));
			return 1;
		}
		return ctl_pol_aws_fail(x, &err,
		    "GetServiceNetworkVpcAssociation", cause);
	}
	lattice_sn_vpc_assoc_free(a);
	*a = full;
	return 0;
}

/* The association of the service network with the cluster VPC: 0 and
 * *a filled, 1 when there is none, 2 when it is being deleted. */
static int
vap_find(struct pctx *x, struct lattice_sn_vpc_assoc *a, char **cause)
{
	struct lattice_list_sn_vpc_assocs_input	in;
	struct lattice_sn_vpc_assoc_list	l;
	struct aws_error			err;
	size_t					i;
	int					rc;

	memset(a, 0, sizeof(*a));
	memset(&in, 0, sizeof(in));
	in.service_network_identifier = x->id;
	in.vpc_identifier = x->c->cfg.vpc_id;
	memset(&err, 0, sizeof(err));
	memset(&l, 0, sizeof(l));
	rc = lattice_list_sn_vpc_assocs(x->c->aws, &in, &l, &err);
	ctl_pol_count(x, "ListServiceNetworkVpcAssociations", rc == 0);
	if (rc != 0)
		return ctl_pol_aws_fail(x, &err,
		    "ListServiceNetworkVpcAssociations", cause);
	rc = 1;
	for (i = 0; i < l.n && rc == 1; i++) {
		if (l.items[i].vpc_id != NULL && strcmp(l.items[i].vpc_id,
		    x->c->cfg.vpc_id) != 0)
			continue;
		if (l.items[i].status != NULL && strcmp(l.items[i].status,
		    "DELETE_IN_PROGRESS") == 0) {
			*a = l.items[i];
			memset(&l.items[i], 0, sizeof(l.items[i]));
			rc = 2;
			break;
		}
		*a = l.items[i];
		memset(&l.items[i], 0, sizeof(l.items[i]));
		rc = 0;
	}
	lattice_sn_vpc_assoc_list_free(&l);
	return rc == 0 ? vap_get(x, a, cause) : rc;
}

/* Is the association tagged ManagedBy us? */
static int
vap_ours(struct pctx *x, const char *arn, char **cause)
{
	struct aws_error	 err;
	struct aws_tags		 t;
	const char		*mb;
	int			 rc;

	memset(&err, 0, sizeof(err));
	memset(&t, 0, sizeof(t));
	rc = lattice_list_tags(x->c->aws, arn, &t, &err);
	ctl_pol_count(x, "ListTagsForResource", rc == 0);
	if (rc != 0) {
		aws_tags_free(&t);
		return ctl_pol_aws_fail(x, &err, "ListTagsForResource", cause);
	}
	mb = aws_tags_get(&t, UP_TAG_MANAGED_BY);
	rc = mb != NULL && strcmp(mb, x->c->managed_by) == 0;
	aws_tags_free(&t);
	return rc;
}

/* Create the association with the security groups (*a filled). */
static int
vap_create(struct pctx *x, struct lattice_sn_vpc_assoc *a, char **cause)
{
	struct lattice_create_sn_vpc_assoc_input	in;
	struct aws_error				err;
	struct aws_tags					tags;
	int						rc;

	memset(&tags, 0, sizeof(tags));
	aws_tags_set(&tags, UP_TAG_MANAGED_BY, x->c->managed_by);
	memset(&in, 0, sizeof(in));
	in.service_network_identifier = x->id;
	in.vpc_identifier = x->c->cfg.vpc_id;
	in.security_group_ids = (const char *const *)x->sgs;
	in.n_security_group_ids = x->nsgs;
	in.tags = &tags;
	memset(&err, 0, sizeof(err));
	rc = lattice_create_sn_vpc_assoc(x->c->aws, &in, a, &err);
	ctl_pol_count(x, "CreateServiceNetworkVpcAssociation", rc == 0);
	aws_tags_free(&tags);
	if (rc != 0 && err.status >= 400 && err.status < 500 &&
	    !err.throttling && err.code != NULL &&
	    strcmp(err.code, "ValidationException") == 0) {
		ctl_pol_verdict(x, UP_REASON_INVALID, "%s", err.message != NULL ?
		    err.message : err.code);
		aws_error_clear(&err);
		return 1;
	}
	if (rc != 0)
		return ctl_pol_aws_fail(x, &err,
		    "CreateServiceNetworkVpcAssociation", cause);
	log_info("%s: associated %s with %s (%zu security groups)", x->key,
	    x->c->cfg.vpc_id, x->lname, x->nsgs);
	return 0;
}

/* Update the association's security groups. */
static int
vap_update(struct pctx *x, struct lattice_sn_vpc_assoc *a, char **cause)
{
	struct lattice_sn_vpc_assoc	out;
	struct aws_error		err;
	int				rc;

	memset(&err, 0, sizeof(err));
	memset(&out, 0, sizeof(out));
	rc = lattice_update_sn_vpc_assoc(x->c->aws, a->id,
	    (const char *const *)x->sgs, x->nsgs, &out, &err);
	ctl_pol_count(x, "UpdateServiceNetworkVpcAssociation", rc == 0);
	if (rc != 0)
		return ctl_pol_aws_fail(x, &err,
		    "UpdateServiceNetworkVpcAssociation", cause);
	free(a->status);
	a->status = xstrdup_or_null(out.status);
	lattice_sn_vpc_assoc_free(&out);
	log_info("%s: security groups of %s updated", x->key, a->id);
	return 0;
}

/* Delete an association (gone is fine). */
static int
vap_delete_assoc(struct pctx *x, const char *id, char **cause)
{
	struct aws_error	err;
	int			rc;

	memset(&err, 0, sizeof(err));
	rc = lattice_delete_sn_vpc_assoc(x->c->aws, id, NULL, &err);
	ctl_pol_count(x, "DeleteServiceNetworkVpcAssociation", rc == 0);
	if (rc != 0 && (err.code == NULL || strcmp(err.code,
	    "ResourceNotFoundException") != 0))
		return ctl_pol_aws_fail(x, &err,
		    "DeleteServiceNetworkVpcAssociation", cause);
	aws_error_clear(&err);
	if (rc == 0)
		log_info("%s: deleted VPC association %s", x->key, id);
	return 0;
}

/* associateWithVpc true: create or update. 1 when the verdict changed,
 * 2 when the association is in transition. */
static int
vap_upsert(struct pctx *x, char **cause)
{
	struct lattice_sn_vpc_assoc	 a;
	const char			*kv[2];
	int				 rc, ours;

	if (ctl_pol_finalizer(x, UP_FIN_VAP, 1, cause) != 0 ||
	    (rc = vap_find(x, &a, cause)) < 0)
		return -1;
	if (rc == 2) {
		lattice_sn_vpc_assoc_free(&a);
		return 2;
	}
	if (rc == 1)
		rc = vap_create(x, &a, cause);
	else if ((ours = vap_ours(x, a.arn, cause)) < 0)
		rc = -1;
	else if (!ours) {
		ctl_pol_verdict(x, UP_REASON_CONFLICTED, "the association %s "
		    "of %s with %s is not managed by this controller", a.id,
		    x->lname, x->c->cfg.vpc_id);
		rc = 1;
	} else if (x->nsgs > 0 && !ctl_vap_same_sgs(x->sgs, x->nsgs,
	    a.security_group_ids, a.n_security_group_ids))
		rc = vap_update(x, &a, cause);
	if (rc == 0) {
		kv[0] = UP_ANN_RESOURCE_ARN;
		kv[1] = a.arn;
		rc = ctl_pol_annotate(x, kv, 1, cause);
	}
	if (rc == 0 && a.status != NULL && strstr(a.status, "_IN_PROGRESS") !=
	    NULL)
		rc = 2;
	lattice_sn_vpc_assoc_free(&a);
	return rc;
}

/* Remove our association of the service network (associateWithVpc
 * false, or the policy going). x->id must be set. */
static int
vap_remove(struct pctx *x, char **cause)
{
	struct lattice_sn_vpc_assoc	a;
	int				rc, ours = 0;

	if ((rc = vap_find(x, &a, cause)) < 0)
		return -1;
	if (rc == 0 && (ours = vap_ours(x, a.arn, cause)) < 0)
		rc = -1;
	else if (rc == 0 && ours)
		rc = vap_delete_assoc(x, a.id, cause);
	lattice_sn_vpc_assoc_free(&a);
	return rc < 0 ? -1 : 0;
}

/* associateWithVpc false: no association, no annotation, no finalizer. */
static int
vap_disassociate(struct pctx *x, char **cause)
{
	const char	*kv[2] = { UP_ANN_RESOURCE_ARN, NULL };

	if (vap_remove(x, cause) != 0 || ctl_pol_annotate(x, kv, 1, cause) !=
	    0)
		return -1;
	return ctl_pol_finalizer(x, UP_FIN_VAP, 0, cause);
}

/* The policy is going: remove our association (when the Gateway and its
 * network are still there). */
static int
vap_undo(struct pctx *x, char **cause)
{
	int	rc = 0;

	if (kube_finalizer_has(x->cur, UP_FIN_VAP) &&
	    ctl_pol_ann(x, UP_ANN_RESOURCE_ARN) != NULL) {
		ctl_pol_check(x);
		if (x->lname != NULL && (rc = ctl_pol_resolve(x, cause)) == 0)
			rc = vap_remove(x, cause);
	}
	return rc < 0 ? -1 : 0;
}

/* An accepted policy: associate, or (associateWithVpc false) not. */
static int
vap_apply(struct pctx *x, char **cause)
{
	return x->associate ? vap_upsert(x, cause) : vap_disassociate(x,
	    cause);
}

/* Reconcile "VpcAssociationPolicy/ns/name". */
enum reconcile_outcome
ctl_vap_reconcile(struct controller *c, const char *key, uint64_t *after_ms,
    char **cause)
{
	static const struct pol_ops ops = { UP_FIN_VAP, vap_undo, vap_apply };

	return ctl_pol_reconcile(c, CS_VAP, key, &ops, after_ms, cause);
}
