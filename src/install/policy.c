/* The documents the installer writes, restated as data: the controller's
 * recommended IAM policy, the trust policies, the GatewayClass. */
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/xmalloc.h"

#include "install_int.h"

#define POLICY_VERSION	"2012-10-17"

/* The controller's actions on every resource (the recommended inline
 * policy of upstream v2.x: Lattice, the EC2 reads, log delivery, tagging,
 * the bucket policy of access logs, certificates). */
static const char *const policy_actions[] = {
	"vpc-lattice:*",
	"ec2:DescribeVpcs",
	"ec2:DescribeSubnets",
	"ec2:DescribeTags",
	"ec2:DescribeSecurityGroups",
	"logs:CreateLogDelivery",
	"logs:GetLogDelivery",
	"logs:DescribeLogGroups",
	"logs:PutResourcePolicy",
	"logs:DescribeResourcePolicies",
	"logs:UpdateLogDelivery",
	"logs:DeleteLogDelivery",
	"logs:ListLogDeliveries",
	"tag:GetResources",
	"firehose:TagDeliveryStream",
	"s3:GetBucketPolicy",
	"s3:PutBucketPolicy",
	"tag:TagResources",
	"tag:UntagResources",
	"acm:ListCertificates",
	NULL
};

/* The service-linked roles the controller may create. */
static const struct {
	const char	*service;
	const char	*role;
} policy_slr[] = {
	{ "vpc-lattice.amazonaws.com", "AWSServiceRoleForVpcLattice" },
	{ "delivery.logs.amazonaws.com", "AWSServiceRoleForLogDelivery" },
	{ NULL, NULL }
};

/* The AWS managed policies of an EKS node role. */
static const char *const node_policies[] = {
	"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
	"arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
	"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
	"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
	NULL
};

/* The node role's managed policies. */
const char *const *
inst_node_policies(void)
{
	return node_policies;
}

/* One service-linked-role statement. */
static cJSON *
policy_slr_statement(const char *service, const char *role)
{
	cJSON	*st, *cond;
	char	*res;

	st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "Effect", "Allow");
	cJSON_AddStringToObject(st, "Action", "iam:CreateServiceLinkedRole");
	xasprintf(&res, "arn:aws:iam::*:role/aws-service-role/%s/%s", service,
	    role);
	cJSON_AddStringToObject(st, "Resource", res);
	free(res);
	cond = cJSON_AddObjectToObject(cJSON_AddObjectToObject(st,
	    "Condition"), "StringLike");
	cJSON_AddStringToObject(cond, "iam:AWSServiceName", service);
	return st;
}

/* The recommended inline policy. */
cJSON *
install_policy_document(void)
{
	cJSON	*doc, *sts, *st, *acts;
	size_t	 i;

	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", POLICY_VERSION);
	sts = cJSON_AddArrayToObject(doc, "Statement");
	st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "Effect", "Allow");
	acts = cJSON_AddArrayToObject(st, "Action");
	for (i = 0; policy_actions[i] != NULL; i++)
		cJSON_AddItemToArray(acts, cJSON_CreateString(
		    policy_actions[i]));
	cJSON_AddStringToObject(st, "Resource", "*");
	cJSON_AddItemToArray(sts, st);
	for (i = 0; policy_slr[i].service != NULL; i++)
		cJSON_AddItemToArray(sts, policy_slr_statement(
		    policy_slr[i].service, policy_slr[i].role));
	return doc;
}

/* A trust policy with one statement. */
static cJSON *
policy_trust(const char *ptype, const char *principal, const char *action,
    cJSON **st_out)
{
	cJSON	*doc, *st;

	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", POLICY_VERSION);
	st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "Effect", "Allow");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "Principal"),
	    ptype, principal);
	cJSON_AddStringToObject(st, "Action", action);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "Statement"), st);
	if (st_out != NULL)
		*st_out = st;
	return doc;
}

/* Trust for an AWS service principal (eks.amazonaws.com, ...). */
cJSON *
inst_trust_service(const char *service)
{
	return policy_trust("Service", service, "sts:AssumeRole", NULL);
}

/* IRSA trust: the cluster's OIDC provider, for one service account, with
 * audience sts.amazonaws.com. */
cJSON *
inst_trust_irsa(const char *provider_arn, const char *issuer_host,
    const char *ns, const char *sa)
{
	cJSON	*doc, *st, *eq;
	char	*k, *v;

	doc = policy_trust("Federated", provider_arn,
	    "sts:AssumeRoleWithWebIdentity", &st);
	eq = cJSON_AddObjectToObject(cJSON_AddObjectToObject(st, "Condition"),
	    "StringEquals");
	xasprintf(&k, "%s:sub", issuer_host);
	xasprintf(&v, "system:serviceaccount:%s:%s", ns, sa);
	cJSON_AddStringToObject(eq, k, v);
	free(k);
	free(v);
	xasprintf(&k, "%s:aud", issuer_host);
	cJSON_AddStringToObject(eq, k, "sts.amazonaws.com");
	free(k);
	return doc;
}

/* Compare two items by their printed form (for sorting). */
static int
policy_item_cmp(const void *a, const void *b)
{
	char	*x = json_print(*(cJSON *const *)a);
	char	*y = json_print(*(cJSON *const *)b);
	int	 r = strcmp(x, y);

	free(x);
	free(y);
	return r;
}

/* A canonical copy: one-element lists become scalars, lists are sorted. */
static cJSON *
policy_canon(const cJSON *v)
{
	cJSON	*out, *e, **items;
	int	 n, i;

	if (cJSON_IsObject(v)) {
		out = cJSON_CreateObject();
		cJSON_ArrayForEach(e, v)
			cJSON_AddItemToObject(out, e->string, policy_canon(e));
		return out;
	}
	if (!cJSON_IsArray(v))
		return cJSON_Duplicate(v, 1);
	n = cJSON_GetArraySize(v);
	if (n == 1)
		return policy_canon(v->child);
	items = xcalloc((size_t)n + 1, sizeof *items);
	i = 0;
	cJSON_ArrayForEach(e, v)
		items[i++] = policy_canon(e);
	qsort(items, (size_t)n, sizeof *items, policy_item_cmp);
	out = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(out, items[i]);
	free(items);
	return out;
}

/* Do two policy documents say the same? */
int
inst_policy_equal(const cJSON *a, const cJSON *b)
{
	cJSON	*x = policy_canon(a), *y = policy_canon(b);
	int	 eq = json_equal(x, y);

	cJSON_Delete(x);
	cJSON_Delete(y);
	return eq;
}

/* The GatewayClass of the lab, at a served version. */
cJSON *
install_gatewayclass_object(const char *name, const char *version)
{
	cJSON	*o;
	char	*av;

	o = cJSON_CreateObject();
	xasprintf(&av, "gateway.networking.k8s.io/%s", version != NULL ?
	    version : "v1");
	cJSON_AddStringToObject(o, "apiVersion", av);
	free(av);
	cJSON_AddStringToObject(o, "kind", "GatewayClass");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "metadata"), "name",
	    name != NULL ? name : LAB_DEFAULT_GATEWAYCLASS);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "spec"),
	    "controllerName", LAB_CONTROLLER_NAME);
	return o;
}
