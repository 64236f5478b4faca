/* Step "security-group": the EKS cluster security group accepts all
 * traffic from the VPC Lattice managed prefix lists (IPv4 and IPv6), so
 * the Lattice data plane reaches the pods. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/ec2.h"
#include "latticectl/error.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define SG_LISTS	2

/* What the step saw. */
struct sg_obs {
	char	*group;			/* cluster security group id */
	char	*pl_name[SG_LISTS];	/* com.amazonaws.<r>.vpc-lattice ... */
	char	*pl_id[SG_LISTS];	/* NULL: not found */
	int	 rule[SG_LISTS];	/* ingress from the list exists */
};

/* Free the observation data. */
static void
sg_free(void *p)
{
	struct sg_obs	*s = p;
	int		 i;

	free(s->group);
	for (i = 0; i < SG_LISTS; i++) {
		free(s->pl_name[i]);
		free(s->pl_id[i]);
	}
	free(s);
}

/* Find the two prefix lists by name. */
static int
sg_lists(struct irun *r, struct sg_obs *s, char **cause)
{
	struct ec2_filters	 fl = { 0 };
	struct ec2_describe	 d = { 0 };
	struct ec2_prefix_lists	 pl = { 0 };
	struct aws_error	 err = { 0 };
	size_t			 i, k;

	xasprintf(&s->pl_name[0], "com.amazonaws.%s.vpc-lattice",
	    r->in->f.region);
	xasprintf(&s->pl_name[1], "com.amazonaws.%s.ipv6.vpc-lattice",
	    r->in->f.region);
	for (k = 0; k < SG_LISTS; k++)
		ec2_filters_add(&fl, "prefix-list-name", s->pl_name[k]);
	d.filters = &fl;
	if (ec2_describe_prefix_lists(r->in->aws, &d, &pl, &err) != 0) {
		ec2_filters_free(&fl);
		return inst_aws_fail(&err, "ec2 DescribeManagedPrefixLists",
		    cause);
	}
	for (i = 0; i < pl.n; i++)
		for (k = 0; k < SG_LISTS; k++)
			if (strcmp(pl.v[i].name, s->pl_name[k]) == 0)
				s->pl_id[k] = xstrdup(pl.v[i].id);
	ec2_filters_free(&fl);
	ec2_prefix_lists_free(&pl);
	return 0;
}

/* Which all-traffic ingress rules from the lists the group has. */
static int
sg_rules(struct irun *r, struct sg_obs *s, char **cause)
{
	struct ec2_describe		 d = { 0 };
	struct ec2_security_groups	 g = { 0 };
	struct aws_error		 err = { 0 };
	const struct ec2_ip_permission	*p;
	const char			*ids[1] = { s->group };
	size_t				 i, j;
	int				 k;

	d.ids = ids;
	d.n_ids = 1;
	if (ec2_describe_security_groups(r->in->aws, &d, &g, &err) != 0)
		return inst_aws_fail(&err, "ec2 DescribeSecurityGroups", cause);
	for (i = 0; g.n == 1 && i < g.v[0].n_ingress; i++) {
		p = &g.v[0].ingress[i];
		if (p->protocol == NULL || strcmp(p->protocol, "-1") != 0)
			continue;
		for (j = 0; j < p->n_prefix_lists; j++)
			for (k = 0; k < SG_LISTS; k++)
				if (s->pl_id[k] != NULL && strcmp(s->pl_id[k],
				    p->prefix_lists[j].id) == 0)
					s->rule[k] = 1;
	}
	ec2_security_groups_free(&g);
	return 0;
}

/* Decide how much exists. */
static void
sg_have(struct irun *r, const struct sg_obs *s, struct iobs *o)
{
	int	k, n = 0;

	for (k = 0; k < SG_LISTS; k++) {
		iobs_exists(o, "%s: %s", s->pl_name[k], s->pl_id[k] == NULL ?
		    "no such prefix list" : s->rule[k] ? "rule present" :
		    "no rule");
		n += s->rule[k];
	}
	if (r->in->o.dir == INSTALL_UP && (s->pl_id[0] == NULL ||
	    s->pl_id[1] == NULL))
		iobs_set(o, IHAVE_CONFLICT, "NoPrefixList", "the VPC Lattice "
		    "prefix lists are not in %s (is VPC Lattice available "
		    "there?)", r->in->f.region);
	else
		o->have = n == SG_LISTS ? IHAVE_ALL : n ? IHAVE_SOME :
		    IHAVE_NONE;
}

/* Observe. */
static int
sg_observe(struct irun *r, struct iobs *o, char **cause)
{
	struct eks_cluster	 c;
	struct sg_obs		*s = xcalloc(1, sizeof *s);
	int			 rc;

	o->priv = s;
	o->priv_free = sg_free;
	if ((rc = inst_cluster(r->in, &c, cause)) < 0)
		return rc;
	if (rc == 0 && c.vpc.cluster_security_group_id != NULL)
		s->group = xstrdup(c.vpc.cluster_security_group_id);
	eks_cluster_clear(&c);
	if ((rc = sg_lists(r, s, cause)) != 0)
		return rc;
	if (s->group == NULL) {
		iobs_exists(o, "no cluster security group (no cluster %s yet)",
		    r->in->lab->cluster.name);
		iobs_set(o, r->in->o.dir == INSTALL_UP ? IHAVE_BLOCKED :
		    IHAVE_NONE, "NoCluster", "waiting for cluster %s",
		    r->in->lab->cluster.name);
		return 0;
	}
	iobs_exists(o, "cluster security group %s", s->group);
	if ((rc = sg_rules(r, s, cause)) != 0)
		return rc;
	sg_have(r, s, o);
	return 0;
}

/* The lab's --ip-permissions argument for one list. */
static char *
sg_perm_arg(const char *pl_id)
{
	char	*s;

	xasprintf(&s, "PrefixListIds=[{PrefixListId=%s}],IpProtocol=-1",
	    pl_id != NULL ? pl_id : "<prefix list id>");
	return s;
}

/* Plan (undo: revoke) the missing (present) rules. */
static void
sg_plan_dir(struct irun *r, const struct iobs *o, struct iplan *p, int up)
{
	const struct sg_obs	*s = o->priv;
	const char		*grp;
	char			*perm;
	int			 k;

	grp = s->group != NULL ? s->group : "<cluster security group>";
	for (k = 0; k < SG_LISTS; k++) {
		if (up == s->rule[k])
			continue;
		perm = sg_perm_arg(s->pl_id[k]);
		iplan_add(p, icmd("aws", "ec2", up ?
		    "authorize-security-group-ingress" :
		    "revoke-security-group-ingress", "--group-id", grp,
		    "--ip-permissions", perm, NULL), "%s all traffic from %s "
		    "%s %s", up ? "allow" : "revoke", s->pl_name[k] != NULL ?
		    s->pl_name[k] : "the Lattice prefix list", up ? "into" :
		    "on", grp);
		free(perm);
	}
	(void)r;
}

/* Plan an install. */
static void
sg_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	sg_plan_dir(r, o, p, 1);
}

/* Plan an uninstall. */
static void
sg_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	sg_plan_dir(r, o, p, 0);
}

/* Authorize (or revoke) one rule. */
static int
sg_change(struct irun *r, const struct sg_obs *s, int k, int up,
    char **cause)
{
	struct ec2_ip_permission	perm;
	struct aws_error		err = { 0 };
	int				rc;

	ec2_ip_permission_init(&perm, "-1");
	ec2_ip_permission_add_prefix_list(&perm, s->pl_id[k], NULL);
	if (up)
		rc = ec2_authorize_sg_ingress(r->in->aws, s->group, &perm, 1,
		    NULL, &err);
	else
		rc = ec2_revoke_sg_ingress(r->in->aws, s->group, &perm, 1,
		    NULL, &err);
	ec2_ip_permission_clear(&perm);
	if (rc != 0 && !inst_aws_is(&err, "InvalidPermission.Duplicate",
	    "InvalidPermission.NotFound", NULL))
		return inst_aws_fail(&err, up ?
		    "ec2 AuthorizeSecurityGroupIngress" :
		    "ec2 RevokeSecurityGroupIngress", cause);
	aws_error_clear(&err);
	irun_log(r, "%s %s on %s", up ? "authorized" : "revoked",
	    s->pl_id[k], s->group);
	return 0;
}

/* Apply or undo every rule that differs. */
static int
sg_change_all(struct irun *r, const struct iobs *o, int up, char **cause)
{
	const struct sg_obs	*s = o->priv;
	int			 k, rc;

	for (k = 0; k < SG_LISTS; k++) {
		if (up == s->rule[k] || s->pl_id[k] == NULL)
			continue;
		if ((rc = sg_change(r, s, k, up, cause)) != 0)
			return rc;
	}
	return 0;
}

/* Apply. */
static int
sg_apply(struct irun *r, const struct iobs *o, char **cause)
{
	return sg_change_all(r, o, 1, cause);
}

/* Undo. */
static int
sg_undo(struct irun *r, const struct iobs *o, char **cause)
{
	return sg_change_all(r, o, 0, cause);
}

/* Verify: both rules were observed. */
static int
sg_verify(struct irun *r, const struct iobs *o, char **cause)
{
	(void)r;
	(void)o;
	(void)cause;
	return 0;
}

const struct istep_ops istep_sg = {
	.id = "security-group",
	.title = "Security group rules for the Lattice prefix lists",
	.deps = { "cluster", NULL },
	.observe = sg_observe,
	.plan = sg_plan,
	.apply = sg_apply,
	.verify = sg_verify,
	.undo_plan = sg_undo_plan,
	.undo = sg_undo,
};
