/* Step "cluster": the EKS cluster in the lab's VPC, its node group, the
 * IAM roles both need, and a kubeconfig context (native EKS token).
 * CreateCluster takes 10+ minutes on AWS: the step reports CREATING and
 * asks to be looked at again instead of waiting. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/eks.h"
#include "latticectl/error.h"
#include "latticectl/json.h"
#include "latticectl/strbuf.h"
#include "latticectl/xmalloc.h"

#include "iamutil.h"
#include "install_int.h"
#include "labcfg_int.h"

/* What the cluster step saw. */
struct cl_obs {
	int			have_cluster;
	struct eks_cluster	c;
	int			have_ng;
	struct eks_nodegroup	ng;
	int			cluster_role;	/* exists */
	int			node_role;
	int			context;	/* kubeconfig holds it */
};

/* Free the observation data. */
static void
cl_free(void *p)
{
	struct cl_obs	*c = p;

	eks_cluster_clear(&c->c);
	eks_nodegroup_clear(&c->ng);
	free(c);
}

/* Is a status one of the transitions? */
static int
cl_moving(const char *s)
{
	return s != NULL && (strcmp(s, "CREATING") == 0 ||
	    strcmp(s, "UPDATING") == 0 || strcmp(s, "DELETING") == 0 ||
	    strcmp(s, "PENDING") == 0);
}

/* DescribeNodegroup: fills co when it exists. */
static int
cl_nodegroup(struct irun *r, struct cl_obs *co, char **cause)
{
	struct aws_error	err = { 0 };

	if (r->in->lab->nodegroup.name == NULL || !co->have_cluster)
		return 0;
	if (eks_describe_nodegroup(r->in->aws, r->in->lab->cluster.name,
	    r->in->lab->nodegroup.name, &co->ng, &err) == 0) {
		co->have_ng = 1;
		return 0;
	}
	if (inst_aws_is(&err, "ResourceNotFoundException", NULL)) {
		aws_error_clear(&err);
		return 0;
	}
	return inst_aws_fail(&err, "eks DescribeNodegroup", cause);
}

/* Look at the cluster, node group, roles and kubeconfig. */
static int
cl_look(struct irun *r, struct cl_obs *co, char **cause)
{
	struct install		*in = r->in;
	const struct lab_config	*lab = in->lab;
	int			 rc;

	if ((rc = inst_cluster(in, &co->c, cause)) < 0)
		return rc;
	co->have_cluster = rc == 0;
	if ((rc = cl_nodegroup(r, co, cause)) < 0)
		return rc;
	if (lab->cluster.manage) {
		if ((rc = irole_get(in, lab->cluster.role_name, NULL,
		    cause)) < 0)
			return rc;
		co->cluster_role = rc == 0;
		if (lab->nodegroup.name != NULL) {
			if ((rc = irole_get(in, lab->nodegroup.role_name, NULL,
			    cause)) < 0)
				return rc;
			co->node_role = rc == 0;
		}
	}
	if (in->s_context != NULL)
		co->context = in->o.dir == INSTALL_UP;
	else if (co->have_cluster && co->c.endpoint != NULL)
		co->context = kubecfg_has(in->kubeconfig, in->f.cluster_arn,
		    co->c.endpoint);
	else
		co->context = kubecfg_has(in->kubeconfig, in->f.cluster_arn,
		    NULL);
	return 0;
}

/* Describe what exists. */
static void
cl_describe(struct irun *r, const struct cl_obs *co, struct iobs *o)
{
	const struct lab_config	*lab = r->in->lab;

	if (co->have_cluster)
		iobs_exists(o, "EKS cluster %s %s (Kubernetes %s, %s)",
		    lab->cluster.name, co->c.status, co->c.version,
		    co->c.vpc.vpc_id != NULL ? co->c.vpc.vpc_id : "?");
	else
		iobs_exists(o, "no EKS cluster %s", lab->cluster.name);
	if (co->have_ng)
		iobs_exists(o, "node group %s %s (%ld nodes)", co->ng.name,
		    co->ng.status, co->ng.desired_size);
	else if (lab->nodegroup.name != NULL)
		iobs_exists(o, "no node group %s", lab->nodegroup.name);
	if (lab->cluster.manage)
		iobs_exists(o, "IAM role %s %s", lab->cluster.role_name,
		    co->cluster_role ? "exists" : "missing");
	if (lab->cluster.manage && lab->nodegroup.name != NULL)
		iobs_exists(o, "IAM role %s %s", lab->nodegroup.role_name,
		    co->node_role ? "exists" : "missing");
	iobs_exists(o, "kubeconfig context %s", co->context ? "present" :
	    "missing");
}

/* How much exists, for an install. */
static void
cl_have_up(struct irun *r, const struct cl_obs *co, struct iobs *o)
{
	const struct lab_config	*lab = r->in->lab;
	const char		*vpc = r->in->f.vpc_id;
	int			 ng_needed = lab->nodegroup.name != NULL &&
	    lab->cluster.manage;

	if (!co->have_cluster && !lab->cluster.manage)
		iobs_set(o, IHAVE_CONFLICT, "NoCluster", "EKS cluster %s does "
		    "not exist and cluster.manage is false", lab->cluster.name);
	else if (co->have_cluster && cl_moving(co->c.status))
		iobs_set(o, IHAVE_WAIT, "Cluster", "EKS cluster %s is %s",
		    lab->cluster.name, co->c.status);
	else if (co->have_cluster && strcmp(co->c.status, "ACTIVE") != 0)
		iobs_set(o, IHAVE_CONFLICT, "ClusterFailed", "EKS cluster %s is "
		    "%s", lab->cluster.name, co->c.status);
	else if (co->have_cluster && vpc != NULL && co->c.vpc.vpc_id != NULL &&
	    strcmp(vpc, co->c.vpc.vpc_id) != 0)
		iobs_set(o, IHAVE_CONFLICT, "OtherVpc", "EKS cluster %s is in "
		    "%s, lab.yaml names %s", lab->cluster.name, co->c.vpc.vpc_id,
		    vpc);
	else if (co->have_ng && cl_moving(co->ng.status))
		iobs_set(o, IHAVE_WAIT, "Nodegroup", "node group %s is %s",
		    co->ng.name, co->ng.status);
	else if (co->have_ng && strcmp(co->ng.status, "ACTIVE") != 0)
		iobs_set(o, IHAVE_CONFLICT, "NodegroupFailed", "node group %s "
		    "is %s%s%s", co->ng.name, co->ng.status, co->ng.n_issues ?
		    ": " : "", co->ng.n_issues ? co->ng.issues[0].message : "");
	else if (co->have_cluster && (co->have_ng || !ng_needed) &&
	    co->context)
		o->have = IHAVE_ALL;
	else
		o->have = co->have_cluster ? IHAVE_SOME : IHAVE_NONE;
}

/* How much is left, for an uninstall. */
static void
cl_have_down(struct irun *r, const struct cl_obs *co, struct iobs *o)
{
	const struct lab_config	*lab = r->in->lab;

	if (!lab->cluster.manage)
		iobs_set(o, co->have_cluster ? IHAVE_CONFLICT : IHAVE_NONE,
		    "Kept", "EKS cluster %s kept (cluster.manage: false)",
		    lab->cluster.name);
	else if ((co->have_ng && cl_moving(co->ng.status)) ||
	    (co->have_cluster && cl_moving(co->c.status)))
		iobs_set(o, IHAVE_WAIT, "Deleting", "%s %s is %s", co->have_ng ?
		    "node group" : "EKS cluster", co->have_ng ? co->ng.name :
		    lab->cluster.name, co->have_ng ? co->ng.status :
		    co->c.status);
	else if (co->have_cluster || co->have_ng || co->cluster_role ||
	    co->node_role || co->context)
		o->have = IHAVE_SOME;
	else
		o->have = IHAVE_NONE;
}

/* Observe. */
static int
cl_observe(struct irun *r, struct iobs *o, char **cause)
{
	struct cl_obs	*co = xcalloc(1, sizeof *co);
	int		 rc;

	o->priv = co;
	o->priv_free = cl_free;
	if ((rc = cl_look(r, co, cause)) != 0)
		return rc;
	cl_describe(r, co, o);
	if (r->in->o.dir == INSTALL_UP)
		cl_have_up(r, co, o);
	else
		cl_have_down(r, co, o);
	return 0;
}

/* "a,b,c" of the cluster's subnet ids. */
static char *
cl_subnet_list(struct install *in, int private_only)
{
	struct strbuf	sb;
	size_t		i;

	strbuf_init(&sb);
	for (i = 0; !private_only && i < in->f.public_ids.n; i++)
		strbuf_addf(&sb, "%s%s", sb.len ? "," : "",
		    in->f.public_ids.v[i]);
	for (i = 0; i < in->f.private_ids.n; i++)
		strbuf_addf(&sb, "%s%s", sb.len ? "," : "",
		    in->f.private_ids.v[i]);
	if (sb.len == 0)
		strbuf_adds(&sb, "<subnets of cluster.subnets>");
	return strbuf_detach(&sb, NULL);
}

/* The create-cluster command. */
static char *
cl_create_cmd(struct install *in)
{
	const struct lab_config	*lab = in->lab;
	struct strbuf		 lg;
	char			*sn, *vpc, *arn, *log, *cmd;
	size_t			 i;

	sn = cl_subnet_list(in, 0);
	xasprintf(&vpc, "subnetIds=%s", sn);
	arn = inst_iam_arn(in, "role", lab->cluster.role_name);
	strbuf_init(&lg);
	for (i = 0; i < lab->cluster.logging.n; i++)
		strbuf_addf(&lg, "%s\"%s\"", i ? "," : "",
		    lab->cluster.logging.v[i]);
	xasprintf(&log, "{\"clusterLogging\":[{\"types\":[%s],\"enabled\":"
	    "true}]}", lg.buf);
	cmd = icmd("aws", "eks", "create-cluster", "--name", lab->cluster.name,
	    "--kubernetes-version", lab->cluster.version, "--role-arn", arn,
	    "--resources-vpc-config", vpc, lab->cluster.logging.n ?
	    "--logging" : NULL, log, NULL);
	strbuf_free(&lg);
	free(sn);
	free(vpc);
	free(arn);
	free(log);
	return cmd;
}

/* The create-nodegroup command. */
static char *
cl_ng_cmd(struct install *in)
{
	const struct lab_config	*lab = in->lab;
	const struct lab_strv	*sn = in->f.private_ids.n != 0 ?
	    &in->f.private_ids : &in->f.public_ids;
	struct strbuf		 sb;
	char			*scal, *arn, *disk, *head;
	size_t			 i;

	xasprintf(&scal, "minSize=%d,maxSize=%d,desiredSize=%d",
	    lab->nodegroup.min_size, lab->nodegroup.max_size,
	    lab->nodegroup.desired_size);
	xasprintf(&disk, "%d", lab->nodegroup.volume_size);
	arn = inst_iam_arn(in, "role", lab->nodegroup.role_name);
	head = icmd("aws", "eks", "create-nodegroup", "--cluster-name",
	    lab->cluster.name, "--nodegroup-name", lab->nodegroup.name,
	    "--node-role", arn, "--instance-types",
	    lab->nodegroup.instance_type, "--scaling-config", scal,
	    "--disk-size", disk, "--subnets", NULL);
	strbuf_init(&sb);
	strbuf_adds(&sb, head);
	for (i = 0; i < sn->n; i++) {
		strbuf_addc(&sb, ' ');
		icmd_word(&sb, sn->v[i]);
	}
	if (sn->n == 0)
		strbuf_adds(&sb, " '<private subnets>'");
	free(head);
	free(scal);
	free(disk);
	free(arn);
	return strbuf_detach(&sb, NULL);
}

/* Plan an install. */
static void
cl_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	struct install		*in = r->in;
	const struct lab_config	*lab = in->lab;
	const struct cl_obs	*co = o->priv;
	static const char *const cpol[] = { INST_EKS_CLUSTER_POLICY, NULL };

	if (!co->have_cluster && !co->cluster_role)
		irole_plan(p, lab->cluster.role_name, "eks-cluster-trust.json",
		    cpol, "the EKS control plane; trusts eks.amazonaws.com");
	if (!co->have_cluster)
		iplan_add(p, cl_create_cmd(in), "create EKS cluster %s "
		    "(Kubernetes %s) in %s, control-plane logs to CloudWatch",
		    lab->cluster.name, lab->cluster.version, in->f.vpc_id ?
		    in->f.vpc_id : "the lab's VPC");
	if (lab->nodegroup.name != NULL && !co->have_ng) {
		if (!co->node_role)
			irole_plan(p, lab->nodegroup.role_name,
			    "eks-node-trust.json", inst_node_policies(),
			    "the nodes; trusts ec2.amazonaws.com");
		iplan_add(p, cl_ng_cmd(in), "create managed node group %s: "
		    "%d x %s in the private subnets, once the cluster is "
		    "ACTIVE", lab->nodegroup.name, lab->nodegroup.desired_size,
		    lab->nodegroup.instance_type);
	}
	if (!co->context)
		iplan_add(p, icmd("aws", "eks", "update-kubeconfig", "--name",
		    lab->cluster.name, "--region", in->f.region, NULL),
		    "add context %s to %s (token computed natively)",
		    in->f.cluster_arn, in->kubeconfig);
	if (!co->have_cluster)
		iplan_add(p, icmd("eksctl", "create", "cluster", "-f",
		    "lattice_eks01.yaml", NULL), "(the lab did the above, and "
		    "the OIDC provider, with eksctl: write that file with "
		    "--export-eksctl lattice_eks01.yaml)");
}

/* Create the cluster (and its role). */
static int
cl_create(struct irun *r, char **cause)
{
	struct install		*in = r->in;
	const struct lab_config	*lab = in->lab;
	static const char *const cpol[] = { INST_EKS_CLUSTER_POLICY, NULL };
	struct eks_cluster_input ci = { 0 };
	struct eks_cluster	 out = { 0 };
	struct aws_error	 err = { 0 };
	struct lab_strv		 ids = { 0 };
	cJSON			*trust;
	char			*arn;
	size_t			 i;
	int			 rc;

	trust = inst_trust_service("eks.amazonaws.com");
	rc = irole_ensure(in, lab->cluster.role_name, trust, cpol, cause);
	cJSON_Delete(trust);
	if (rc != 0)
		return rc;
	for (i = 0; i < in->f.public_ids.n; i++)
		labcfg_strv_add(&ids, in->f.public_ids.v[i]);
	for (i = 0; i < in->f.private_ids.n; i++)
		labcfg_strv_add(&ids, in->f.private_ids.v[i]);
	arn = inst_iam_arn(in, "role", lab->cluster.role_name);
	ci.name = lab->cluster.name;
	ci.role_arn = arn;
	ci.version = lab->cluster.version;
	ci.subnet_ids = (const char *const *)ids.v;
	ci.n_subnet_ids = ids.n;
	ci.endpoint_public_access = ci.endpoint_private_access = -1;
	ci.log_types = (const char *const *)lab->cluster.logging.v;
	ci.n_log_types = lab->cluster.logging.n;
	rc = eks_create_cluster(in->aws, &ci, &out, &err);
	free(arn);
	labcfg_strv_free(&ids);
	eks_cluster_clear(&out);
	if (rc == 0) {
		irun_log(r, "CreateCluster %s sent", lab->cluster.name);
		return 0;
	}
	if (inst_aws_is(&err, "ResourceInUseException", NULL)) {
		aws_error_clear(&err);
		return 0;
	}
	/* A role created seconds ago may not be assumable yet. */
	rc = err.message != NULL && strstr(err.message, "ole") != NULL &&
	    inst_aws_is(&err, "InvalidParameterException", NULL);
	return rc ? (inst_aws_fail(&err, "eks CreateCluster", cause),
	    INST_RETRY) : inst_aws_fail(&err, "eks CreateCluster", cause);
}

/* Create the node group (and its role). */
static int
cl_create_ng(struct irun *r, char **cause)
{
	struct install		 *in = r->in;
	const struct lab_config	 *lab = in->lab;
	struct eks_nodegroup_input ni = { 0 };
	struct eks_nodegroup	  out = { 0 };
	struct aws_error	  err = { 0 };
	const char		 *types[1];
	cJSON			 *trust;
	char			 *arn;
	int			  rc;

	trust = inst_trust_service("ec2.amazonaws.com");
	rc = irole_ensure(in, lab->nodegroup.role_name, trust,
	    inst_node_policies(), cause);
	cJSON_Delete(trust);
	if (rc != 0)
		return rc;
	arn = inst_iam_arn(in, "role", lab->nodegroup.role_name);
	types[0] = lab->nodegroup.instance_type;
	ni.cluster_name = lab->cluster.name;
	ni.name = lab->nodegroup.name;
	ni.node_role = arn;
	if (in->f.private_ids.n != 0) {
		ni.subnets = (const char *const *)in->f.private_ids.v;
		ni.n_subnets = in->f.private_ids.n;
	} else {
		ni.subnets = (const char *const *)in->f.public_ids.v;
		ni.n_subnets = in->f.public_ids.n;
	}
	ni.instance_types = types;
	ni.n_instance_types = 1;
	ni.min_size = lab->nodegroup.min_size;
	ni.max_size = lab->nodegroup.max_size;
	ni.desired_size = lab->nodegroup.desired_size;
	ni.disk_size = lab->nodegroup.volume_size;
	ni.labels = &lab->nodegroup.labels;
	ni.tags = &lab->nodegroup.tags;
	rc = eks_create_nodegroup(in->aws, &ni, &out, &err);
	free(arn);
	eks_nodegroup_clear(&out);
	if (rc == 0 || inst_aws_is(&err, "ResourceInUseException", NULL)) {
		aws_error_clear(&err);
		irun_log(r, "CreateNodegroup %s sent", lab->nodegroup.name);
		return 0;
	}
	rc = err.message != NULL && strstr(err.message, "ole") != NULL;
	return rc ? (inst_aws_fail(&err, "eks CreateNodegroup", cause),
	    INST_RETRY) : inst_aws_fail(&err, "eks CreateNodegroup", cause);
}

/* Write the kubeconfig context. */
static int
cl_context(struct irun *r, const struct cl_obs *co, char **cause)
{
	struct install	*in = r->in;

	if (kubecfg_put_eks(in->kubeconfig, in->f.cluster_arn, co->c.endpoint,
	    co->c.ca_data, in->f.region, in->lab->cluster.name, cause) != 0)
		return INST_FATAL;
	inst_kube_reset(in);
	irun_log(r, "wrote context %s to %s", in->f.cluster_arn,
	    in->kubeconfig);
	return 0;
}

/* Apply: the next missing piece. */
static int
cl_apply(struct irun *r, const struct iobs *o, char **cause)
{
	const struct lab_config	*lab = r->in->lab;
	const struct cl_obs	*co = o->priv;
	int			 rc;

	if (!co->have_cluster)
		return cl_create(r, cause);
	if (strcmp(co->c.status, "ACTIVE") != 0)
		return 0;
	if (lab->cluster.manage && lab->nodegroup.name != NULL &&
	    !co->have_ng && (rc = cl_create_ng(r, cause)) != 0)
		return rc;
	if (!co->context)
		return cl_context(r, co, cause);
	return 0;
}

/* Verify: the API server answers. */
static int
cl_verify(struct irun *r, const struct iobs *o, char **cause)
{
	struct kube_client	*kube;
	char			*ver = NULL, *why = NULL;
	int			 rc;

	(void)o;
	if ((rc = inst_kube(r->in, &kube, &why)) != 0) {
		error_set(cause, "kubeconfig: %s", why);
		free(why);
		return rc == 1 ? INST_WAIT : rc;
	}
	if (kube_server_version(kube, &ver, &why) != 0) {
		error_set(cause, "waiting for the API server: %s", why);
		free(why);
		return INST_WAIT;
	}
	irun_log(r, "API server %s answers (%s)", kube_conn_server(
	    kube_client_conn(kube)), ver);
	free(ver);
	return 0;
}

/* Plan an uninstall. */
static void
cl_undo_plan(struct irun *r, const struct iobs *o, struct iplan *p)
{
	struct install		*in = r->in;
	const struct lab_config	*lab = in->lab;
	const struct cl_obs	*co = o->priv;

	if (co->have_ng)
		iplan_add(p, icmd("aws", "eks", "delete-nodegroup",
		    "--cluster-name", lab->cluster.name, "--nodegroup-name",
		    lab->nodegroup.name, NULL), "delete node group %s",
		    lab->nodegroup.name);
	if (co->have_cluster)
		iplan_add(p, icmd("aws", "eks", "delete-cluster", "--name",
		    lab->cluster.name, NULL), "delete EKS cluster %s (the lab: "
		    "eksctl delete cluster -f lattice_eks01.yaml --wait)",
		    lab->cluster.name);
	if (co->node_role)
		irole_undo_plan(p, lab->nodegroup.role_name);
	if (co->cluster_role)
		irole_undo_plan(p, lab->cluster.role_name);
	if (co->context)
		iplan_add(p, icmd("kubectl", "config", "delete-context",
		    in->f.cluster_arn, NULL), "remove the kubeconfig context "
		    "from %s", in->kubeconfig);
}

/* Undo: node group, then cluster, then roles and the context. */
static int
cl_undo(struct irun *r, const struct iobs *o, char **cause)
{
	struct install		*in = r->in;
	const struct lab_config	*lab = in->lab;
	const struct cl_obs	*co = o->priv;
	struct aws_error	 err = { 0 };
	int			 rc = 0;

	if (co->have_ng && eks_delete_nodegroup(in->aws, lab->cluster.name,
	    lab->nodegroup.name, NULL, &err) != 0)
		return inst_aws_fail(&err, "eks DeleteNodegroup", cause);
	if (co->have_ng)
		return 0;
	if (co->have_cluster && eks_delete_cluster(in->aws, lab->cluster.name,
	    NULL, &err) != 0)
		return inst_aws_fail(&err, "eks DeleteCluster", cause);
	if (co->have_cluster) {
		if (lab->cluster.logging.n != 0)
			irun_left(r, "CloudWatch log group /aws/eks/%s/cluster "
			    "(control-plane logs) may remain: aws logs "
			    "delete-log-group --log-group-name "
			    "/aws/eks/%s/cluster", lab->cluster.name,
			    lab->cluster.name);
		return 0;
	}
	if (co->node_role)
		rc = irole_remove(in, lab->nodegroup.role_name, cause);
	if (rc == 0 && co->cluster_role)
		rc = irole_remove(in, lab->cluster.role_name, cause);
	if (rc == 0 && co->context && in->s_context == NULL &&
	    kubecfg_remove(in->kubeconfig, in->f.cluster_arn, cause) != 0)
		rc = INST_FATAL;
	inst_kube_reset(in);
	return rc;
}

const struct istep_ops istep_cluster = {
	.id = "cluster",
	.title = "EKS cluster and node group",
	.deps = { NULL },
	.slow = 1,
	.observe = cl_observe,
	.plan = cl_plan,
	.apply = cl_apply,
	.verify = cl_verify,
	.undo_plan = cl_undo_plan,
	.undo = cl_undo,
};
