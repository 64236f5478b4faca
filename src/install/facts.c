/* What a run resolves once (region, account, VPC, subnets) and the
 * connections steps share (the EKS cluster, the Kubernetes client). */
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "install"
#include "latticectl/ec2.h"
#include "latticectl/error.h"
#include "latticectl/log.h"
#include "latticectl/sts.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"
#include "labcfg_int.h"

/* The account: lab.yaml, else STS. */
static int
facts_account(struct install *in, char **cause)
{
	struct sts_identity	id = { 0 };
	struct aws_error	err = { 0 };

	if (in->lab->account_id != NULL) {
		in->f.account = xstrdup(in->lab->account_id);
		return 0;
	}
	if (sts_get_caller_identity(in->aws, &id, &err) != 0)
		return inst_aws_fail(&err, "sts GetCallerIdentity", cause);
	in->f.account = xstrdup(id.account);
	sts_identity_clear(&id);
	return 0;
}

/* The VPC id: given, or found by Name tag. */
static int
facts_vpc(struct install *in, char **cause)
{
	const struct lab_config	*lab = in->lab;
	struct ec2_filters	 fl = { 0 };
	struct ec2_describe	 d = { 0 };
	struct ec2_vpcs		 v = { 0 };
	struct aws_error	 err = { 0 };
	const char		*ids[1];
	int			 rc = 0;

	if (lab->cluster.vpc_id != NULL) {
		ids[0] = lab->cluster.vpc_id;
		d.ids = ids;
		d.n_ids = 1;
	} else {
		ec2_filters_add(&fl, "tag:Name", lab->cluster.vpc_name);
		d.filters = &fl;
	}
	if (ec2_describe_vpcs(in->aws, &d, &v, &err) != 0)
		rc = inst_aws_fail(&err, "ec2 DescribeVpcs", cause);
	else if (v.n == 0) {
		error_set(cause, "cluster.vpc: no VPC tagged Name=%s in %s",
		    lab->cluster.vpc_name, in->f.region);
		rc = INST_FATAL;
	}
	else
		in->f.vpc_id = xstrdup(v.v[0].id);
	ec2_filters_free(&fl);
	ec2_vpcs_free(&v);
	return rc;
}

/* The subnet of one entry (id or Name tag) in the VPC's list. */
static const struct ec2_subnet *
facts_find(const struct ec2_subnets *sn, const char *want)
{
	const char	*name;
	size_t		 i;

	for (i = 0; i < sn->n; i++) {
		name = aws_tags_get(&sn->v[i].tags, "Name");
		if (strcmp(sn->v[i].id, want) == 0 ||
		    (name != NULL && strcmp(name, want) == 0))
			return &sn->v[i];
	}
	return NULL;
}

/* Resolve one list of subnet entries into ids and zones. */
static int
facts_list(struct install *in, const struct ec2_subnets *sn,
    const struct lab_strv *want, const char *field, struct lab_strv *ids,
    struct lab_strv *azs, char **cause)
{
	const struct ec2_subnet	*s;
	size_t			 i;

	for (i = 0; i < want->n; i++) {
		if ((s = facts_find(sn, want->v[i])) == NULL) {
			error_set(cause, "cluster.subnets.%s[%zu]: no subnet "
			    "'%s' (id or Name tag) in %s", field, i, want->v[i],
			    in->f.vpc_id);
			return INST_FATAL;
		}
		labcfg_strv_add(ids, s->id);
		labcfg_strv_add(azs, s->az != NULL ? s->az : "");
	}
	return 0;
}

/* The VPC's subnets, then the lab's two lists resolved. */
static int
facts_subnets(struct install *in, char **cause)
{
	struct ec2_filters	 fl = { 0 };
	struct ec2_describe	 d = { 0 };
	struct ec2_subnets	 sn = { 0 };
	struct aws_error	 err = { 0 };
	int			 rc;

	ec2_filters_add(&fl, "vpc-id", in->f.vpc_id);
	d.filters = &fl;
	rc = ec2_describe_subnets(in->aws, &d, &sn, &err);
	ec2_filters_free(&fl);
	if (rc != 0)
		return inst_aws_fail(&err, "ec2 DescribeSubnets", cause);
	rc = facts_list(in, &sn, &in->lab->cluster.public_subnets, "public",
	    &in->f.public_ids, &in->f.public_az, cause);
	if (rc == 0)
		rc = facts_list(in, &sn, &in->lab->cluster.private_subnets,
		    "private", &in->f.private_ids, &in->f.private_az, cause);
	ec2_subnets_free(&sn);
	return rc;
}

/* Resolve the run's facts once (what failed with INST_RETRY is tried
 * again by the next call). */
static int
facts_resolve(struct install *in, char **cause)
{
	char	*why = NULL;
	int	 rc;

	free(in->f.region);
	in->f.region = xstrdup(aws_region(in->aws));
	if (in->f.account == NULL && (rc = facts_account(in, cause)) != 0)
		return rc;
	free(in->f.cluster_arn);
	xasprintf(&in->f.cluster_arn, "arn:aws:eks:%s:%s:cluster/%s",
	    in->f.region, in->f.account, in->lab->cluster.name);
	if ((rc = facts_vpc(in, &why)) == 0)
		rc = facts_subnets(in, &why);
	if (rc == INST_RETRY) {
		labcfg_strv_free(&in->f.public_ids);
		labcfg_strv_free(&in->f.private_ids);
		labcfg_strv_free(&in->f.public_az);
		labcfg_strv_free(&in->f.private_az);
		xfree_ptr(&in->f.vpc_id);
		*cause = why;
		return rc;
	}
	if (why != NULL) {
		xfree_ptr(&in->f.vpc_id);
		in->f.vpc_error = why;
	}
	in->f.resolved = 1;
	return 0;
}

/* Resolve the facts, retrying throttling and 5xx answers with backoff. */
int
inst_facts(struct install *in, int need_vpc, char **cause)
{
	unsigned	i;
	int		rc = 0;

	for (i = 0; !in->f.resolved && i < in->o.max_failures; i++) {
		if (i != 0)
			time_sleep_ms((uint64_t)in->o.retry_base_ms << (i - 1));
		xfree_ptr(cause);
		if ((rc = facts_resolve(in, cause)) != INST_RETRY)
			break;
	}
	if (!in->f.resolved)
		return -1;
	if (need_vpc && in->f.vpc_error != NULL)
		return error_set(cause, "%s", in->f.vpc_error);
	return rc;
}

/* DescribeCluster of the lab's cluster. */
int
inst_cluster(struct install *in, struct eks_cluster *c, char **cause)
{
	struct aws_error	err = { 0 };

	memset(c, 0, sizeof *c);
	if (eks_describe_cluster(in->aws, in->lab->cluster.name, c, &err) == 0)
		return 0;
	if (inst_aws_is(&err, "ResourceNotFoundException", NULL)) {
		aws_error_clear(&err);
		return 1;
	}
	return inst_aws_fail(&err, "eks DescribeCluster", cause);
}

/* The Kubernetes client for the lab's cluster (made once). */
int
inst_kube(struct install *in, struct kube_client **out, char **cause)
{
	struct kube_config_opts	 ko = { 0 };
	struct kube_conn	*conn;
	int			 rc = 0;

	*out = NULL;
	pthread_mutex_lock(&in->kube_lock);
	if (in->kube != NULL)
		goto done;
	if (in->s_context != NULL) {
		ko.kubeconfig = in->s_kubeconfig;
		ko.context = in->s_context;
	} else {
		ko.kubeconfig = in->kubeconfig;
		ko.context = in->f.cluster_arn;
		if (!kubecfg_has(in->kubeconfig, ko.context, NULL)) {
			rc = 1;
			error_set(cause, "no kubeconfig context for cluster %s "
			    "in %s", in->lab->cluster.name, in->kubeconfig);
			goto done;
		}
	}
	if (kube_conn_load(&ko, &conn, cause) != 0 ||
	    (in->kube = kube_client_new(conn, cause)) == NULL)
		rc = INST_FATAL;
done:
	*out = in->kube;
	pthread_mutex_unlock(&in->kube_lock);
	return rc;
}

/* Forget the client (the kubeconfig changed). */
void
inst_kube_reset(struct install *in)
{
	pthread_mutex_lock(&in->kube_lock);
	kapply_free(in->ka);
	in->ka = NULL;
	kube_client_free(in->kube);
	in->kube = NULL;
	pthread_mutex_unlock(&in->kube_lock);
}

/* An IAM ARN in the lab's account. */
char *
inst_iam_arn(struct install *in, const char *kind, const char *name)
{
	char	*s;

	xasprintf(&s, "arn:aws:iam::%s:%s/%s", in->f.account != NULL ?
	    in->f.account : "ACCOUNT", kind, name);
	return s;
}

/* Has the step's Kubernetes wait gone on for too long? */
int
inst_wait_budget(struct irun *r)
{
	uint64_t	now = inst_now(), lim = r->in->o.wait_limit_ms;

	pthread_mutex_lock(&r->in->lock);
	if (r->wait_since_ms == 0)
		r->wait_since_ms = now;
	now -= r->wait_since_ms;
	pthread_mutex_unlock(&r->in->lock);
	return now > lim ? -1 : 0;
}

/* The step's client, or BLOCKED / NONE (no cluster context yet). */
int
inst_kube_obs(struct irun *r, struct iobs *o, struct kube_client **kube,
    char **cause)
{
	char	*why = NULL;
	int	 rc;

	if ((rc = inst_kube(r->in, kube, &why)) == 1) {
		iobs_exists(o, "no Kubernetes API yet (%s)", why);
		iobs_set(o, r->in->o.dir == INSTALL_UP ? IHAVE_BLOCKED :
		    IHAVE_NONE, "NoCluster", "waiting for cluster %s",
		    r->in->lab->cluster.name);
		free(why);
		return 1;
	}
	if (rc != 0) {
		*cause = why;
		return rc;
	}
	return 0;
}
