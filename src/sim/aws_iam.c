/*
 * Simulated IAM (query protocol, API 2010-05-08, global: signed for
 * us-east-1 or the simulator's region): managed policies (customer and a
 * few AWS-managed ones), roles with trust policies and attached policies,
 * and OpenID Connect providers. Documents come back percent-encoded, as
 * IAM sends them. State under sim_aws_state "iam":
 *   policies[] {name, id, arn, path, description, document, created,
 *               tags[]}
 *   roles[]    {name, id, arn, path, description, trust, maxSession,
 *               created, tags[], attached[arn]}
 *   oidc[]     {arn, url (no scheme), clients[], thumbprints[], created,
 *               tags[]}
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "latticectl/json.h"
#include "latticectl/sigv4.h"
#include "latticectl/xmalloc.h"

#include "aws_svc_int.h"

#define IAM_MAX_ENTITIES	5000	/* per kind: bounded memory */
#define IAM_MAX_POLICY_SIZE	6144	/* managed policy, no whitespace */
#define IAM_MAX_TRUST_SIZE	2048	/* ACLSizePerRole */
#define IAM_MAX_ATTACHED	10	/* PoliciesPerRole */
#define IAM_AWS_CREATED_MS	1669766400000LL	/* 2022-11-30 */

/* One request. */
struct iam {
	struct sim_aws_call	*call;
	struct sim_aws		*sim;
	cJSON			*st;
	struct sim_aws_params	 p;
	const char		*action;
	cJSON			*aws;	/* AWS-managed policies, this call */
	int64_t			 now;
};

static void	iam_handle(struct sim_aws_call *);

const struct sim_aws_service sim_aws_iam_service = {
	.signing_name = "iam",
	.proto = SIM_AWS_QUERY,
	.family = SIM_FAMILY_IAM,
	.xmlns = IAM_XMLNS,
	.global_region = "us-east-1",
	.handle = iam_handle,
};

/* AWS-managed policies the lab and the installer refer to. */
static const struct {
	const char	*name;
	const char	*path;
	const char	*description;
	const char	*document;
} iam_aws_policies[] = {
	{ "AdministratorAccess", "/", "Provides full access to AWS services "
	    "and resources.", "{\"Version\":\"2012-10-17\",\"Statement\":[{"
	    "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}" },
	{ "VPCLatticeFullAccess", "/", "Provides full access to Amazon VPC "
	    "Lattice and limited access to other related services.",
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	    "\"Action\":[\"vpc-lattice:*\"],\"Resource\":\"*\"},{\"Effect\":"
	    "\"Allow\",\"Action\":[\"ec2:DescribeVpcs\",\"ec2:DescribeSubnets"
	    "\",\"ec2:DescribeSecurityGroups\",\"logs:DescribeLogGroups\","
	    "\"s3:ListAllMyBuckets\",\"firehose:DescribeDeliveryStream\"],"
	    "\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":"
	    "\"iam:CreateServiceLinkedRole\",\"Resource\":\"arn:aws:iam::*:"
	    "role/aws-service-role/vpc-lattice.amazonaws.com/"
	    "AWSServiceRoleForVpcLattice\",\"Condition\":{\"StringLike\":{"
	    "\"iam:AWSServiceName\":\"vpc-lattice.amazonaws.com\"}}}]}" },
	{ "VPCLatticeReadOnlyAccess", "/", "Provides read only access to "
	    "Amazon VPC Lattice.", "{\"Version\":\"2012-10-17\",\"Statement\":"
	    "[{\"Effect\":\"Allow\",\"Action\":[\"vpc-lattice:Get*\","
	    "\"vpc-lattice:List*\"],\"Resource\":\"*\"}]}" },
	{ "VPCLatticeServicesInvokeAccess", "/", "Provides access to invoke "
	    "Amazon VPC Lattice services.", "{\"Version\":\"2012-10-17\","
	    "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
	    "\"vpc-lattice-svcs:Invoke\"],\"Resource\":\"*\"}]}" },
	{ "AmazonEKSClusterPolicy", "/", "This policy provides Kubernetes the "
	    "permissions it requires to manage resources on your behalf.",
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	    "\"Action\":[\"ec2:Describe*\",\"ec2:CreateSecurityGroup\","
	    "\"ec2:AuthorizeSecurityGroupIngress\"],\"Resource\":\"*\"}]}" },
	{ "AmazonEKSWorkerNodePolicy", "/", "This policy allows Amazon EKS "
	    "worker nodes to connect to Amazon EKS Clusters.",
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	    "\"Action\":[\"ec2:DescribeInstances\",\"eks:DescribeCluster\","
	    "\"eks-auth:AssumeRoleForPodIdentity\"],\"Resource\":\"*\"}]}" },
	{ "AmazonEKS_CNI_Policy", "/", "This policy provides the Amazon VPC "
	    "CNI Plugin the permissions it requires.", "{\"Version\":"
	    "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
	    "\"ec2:AssignPrivateIpAddresses\",\"ec2:DescribeNetworkInterfaces"
	    "\"],\"Resource\":\"*\"}]}" },
	{ "AmazonEC2ContainerRegistryReadOnly", "/", "Provides read-only "
	    "access to Amazon EC2 Container Registry repositories.",
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	    "\"Action\":[\"ecr:GetAuthorizationToken\",\"ecr:BatchGetImage\"],"
	    "\"Resource\":\"*\"}]}" },
	{ "AmazonSSMManagedInstanceCore", "/", "The policy for Amazon EC2 Role "
	    "to enable AWS Systems Manager service core functionality.",
	    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	    "\"Action\":[\"ssm:UpdateInstanceInformation\"],\"Resource\":"
	    "\"*\"}]}" },
	{ "AmazonEBSCSIDriverPolicy", "/service-role/", "IAM Policy that "
	    "allows the CSI driver service account to make calls to related "
	    "services such as EC2 on your behalf.", "{\"Version\":"
	    "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
	    "\"ec2:CreateVolume\",\"ec2:AttachVolume\"],\"Resource\":"
	    "\"*\"}]}" },
};

/* The array key of the IAM state, created empty. */
static cJSON *
iam_st_array(cJSON *st, const char *key)
{
	cJSON	*a = cJSON_GetObjectItemCaseSensitive(st, key);

	if (a == NULL)
		a = cJSON_AddArrayToObject(st, key);
	return a;
}

/* A record of arr whose key equals value (case-insensitive names when
 * icase, as IAM names are), or NULL. */
static cJSON *
iam_find(cJSON *arr, const char *key, const char *value, int icase)
{
	cJSON		*rec;
	const char	*v;

	if (value == NULL)
		return NULL;
	cJSON_ArrayForEach(rec, arr) {
		v = sq_s(rec, key);
		if (v != NULL && (icase ? strcasecmp(v, value) :
		    strcmp(v, value)) == 0)
			return rec;
	}
	return NULL;
}

/* A stable IAM id for an AWS-managed policy name. */
static void
iam_aws_id(const char *name, char out[22])
{
	char	hash[65];
	size_t	i;

	sigv4_sha256_hex(name, strlen(name), hash);
	for (i = 0; i < 17; i++)
		hash[i] = (char)toupper((unsigned char)hash[i]);
	snprintf(out, 22, "ANPA%.17s", hash);
}

/* The AWS-managed policies as records (built once per request). */
static cJSON *
iam_aws_policies_arr(struct iam *i)
{
	cJSON	*p;
	size_t	 k;
	char	 id[22], *arn;

	if (i->aws != NULL)
		return i->aws;
	i->aws = cJSON_CreateArray();
	for (k = 0; k < sizeof iam_aws_policies / sizeof iam_aws_policies[0];
	    k++) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", iam_aws_policies[k].name);
		iam_aws_id(iam_aws_policies[k].name, id);
		cJSON_AddStringToObject(p, "id", id);
		xasprintf(&arn, "arn:aws:iam::aws:policy%s%s",
		    iam_aws_policies[k].path, iam_aws_policies[k].name);
		cJSON_AddStringToObject(p, "arn", arn);
		free(arn);
		cJSON_AddStringToObject(p, "path", iam_aws_policies[k].path);
		cJSON_AddStringToObject(p, "description",
		    iam_aws_policies[k].description);
		cJSON_AddStringToObject(p, "document",
		    iam_aws_policies[k].document);
		cJSON_AddNumberToObject(p, "created",
		    (double)IAM_AWS_CREATED_MS);
		cJSON_AddTrueToObject(p, "aws");
		cJSON_AddItemToArray(i->aws, p);
	}
	return i->aws;
}

/* A policy (customer or AWS-managed) by ARN, or NULL. */
static cJSON *
iam_policy(struct iam *i, const char *arn)
{
	cJSON	*p;

	p = iam_find(iam_st_array(i->st, "policies"), "arn", arn, 0);
	if (p == NULL)
		p = iam_find(iam_aws_policies_arr(i), "arn", arn, 0);
	return p;
}

/* How many roles have this policy attached. */
static long
iam_attachments(struct iam *i, const char *arn)
{
	cJSON	*r;
	long	 n = 0;

	cJSON_ArrayForEach(r, iam_st_array(i->st, "roles")) {
		if (sq_policy_any(cJSON_GetObjectItemCaseSensitive(r,
		    "attached"), arn, 0))
			n++;
	}
	return n;
}

/* Answer ValidationError for a missing parameter; returns NULL. */
static const char *
iam_need(struct iam *i, const char *param, const char *member)
{
	const char	*v = sim_aws_param(&i->p, param);

	if (v == NULL)
		sim_aws_error(i->call, 400, "ValidationError", "1 validation "
		    "error detected: Value null at '%s' failed to satisfy "
		    "constraint: Member must not be null", member);
	return v;
}

/* Is s a name of [\w+=,.@-] of 1..max characters? */
static int
iam_name_ok(const char *s, size_t max)
{
	size_t	n = strlen(s);

	return n > 0 && n <= max && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") == n;
}

/* Check a name; -1 answered. */
static int
iam_check_name(struct iam *i, const char *s, const char *member, size_t max)
{
	if (iam_name_ok(s, max))
		return 0;
	sim_aws_error(i->call, 400, "ValidationError", "1 validation error "
	    "detected: Value '%.200s' at '%s' failed to satisfy constraint: "
	    "Member must satisfy regular expression pattern: [\\w+=,.@-]+ and "
	    "have length between 1 and %zu", s, member, max);
	return -1;
}

/* The Path parameter ("/" when absent); NULL answered. */
static const char *
iam_path(struct iam *i)
{
	const char	*path = sim_aws_param(&i->p, "Path");
	size_t		 n;

	if (path == NULL)
		return "/";
	n = strlen(path);
	if (n > 0 && n <= 512 && path[0] == '/' && path[n - 1] == '/' &&
	    strspn(path, "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQ"
	    "RSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~") == n)
		return path;
	sim_aws_error(i->call, 400, "ValidationError",
	    "The specified value for "
	    "path is invalid. It must begin and end with / and contain only "
	    "alphanumeric characters and/or / characters.");
	return NULL;
}

/* Characters of a document that are not whitespace. */
static size_t
iam_doc_size(const char *doc)
{
	size_t	n = 0;

	for (; *doc != '\0'; doc++)
		n += !isspace((unsigned char)*doc);
	return n;
}

/* Check a policy document; -1 answered. */
static int
iam_check_doc(struct iam *i, const char *doc, int trust)
{
	const char	*why;
	cJSON		*parsed;
	size_t		 max = trust ? IAM_MAX_TRUST_SIZE : IAM_MAX_POLICY_SIZE;

	if (iam_doc_size(doc) > max) {
		sim_aws_error(i->call, 409, "LimitExceeded", "Cannot exceed "
		    "quota for %s: %zu", trust ? "ACLSizePerRole" :
		    "PolicySize", max);
		return -1;
	}
	if ((parsed = sq_policy_parse(doc, trust, &why)) == NULL) {
		sim_aws_error(i->call, 400, "MalformedPolicyDocument", "%s",
		    why);
		return -1;
	}
	cJSON_Delete(parsed);
	return 0;
}

/* Store Tags.member.N.Key/Value into rec; -1 answered. */
static int
iam_tags(struct iam *i, cJSON *rec)
{
	int		*idx;
	size_t		 n, k;
	cJSON		*tags, *t;
	const char	*key, *val;

	tags = cJSON_AddArrayToObject(rec, "tags");
	n = sq_indexes(&i->p, "Tags.member", &idx);
	for (k = 0; k < n; k++) {
		key = sq_param(&i->p, "Tags.member.%d.Key", idx[k]);
		val = sq_param(&i->p, "Tags.member.%d.Value", idx[k]);
		if (key == NULL || val == NULL || *key == '\0' ||
		    strlen(key) > 128 || strlen(val) > 256 || k >= 50) {
			free(idx);
			sim_aws_error(i->call, 400, "InvalidInput", "Tags must "
			    "have a Key of 1 to 128 and a Value of 0 to 256 "
			    "characters, at most 50 of them.");
			return -1;
		}
		t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "Key", key);
		cJSON_AddStringToObject(t, "Value", val);
		cJSON_AddItemToArray(tags, t);
	}
	free(idx);
	return 0;
}

/* <Tags><member><Key/><Value/></member></Tags>, nothing when none. */
static void
iam_write_tags(struct xw *x, const cJSON *rec)
{
	const cJSON	*tags = cJSON_GetObjectItemCaseSensitive(rec, "tags");
	const cJSON	*t;

	if (cJSON_GetArraySize(tags) == 0)
		return;
	xw_open(x, "Tags");
	cJSON_ArrayForEach(t, tags) {
		xw_open(x, "member");
		xw_str(x, "Key", sq_s(t, "Key"));
		xw_str(x, "Value", sq_s(t, "Value"));
		xw_close(x);
	}
	xw_close(x);
}

/* <name>date</name> from a record's epoch-ms member. */
static void
iam_write_date(struct xw *x, const char *name, const cJSON *rec,
    const char *member)
{
	char	iso[32];

	sq_iso_sec((int64_t)json_num(rec, member, 0), iso);
	xw_str(x, name, iso);
}

/* <name>percent-encoded document</name>. */
static void
iam_write_doc(struct xw *x, const char *name, const char *doc)
{
	struct strbuf	sb = STRBUF_INIT;

	sq_pct_encode(&sb, doc != NULL ? doc : "");
	xw_str(x, name, strbuf_str(&sb));
	strbuf_free(&sb);
}

/* The members of a Policy; full adds Description and Tags. */
static void
iam_policy_write(struct iam *i, struct xw *x, const cJSON *p, int full)
{
	xw_str(x, "PolicyName", sq_s(p, "name"));
	xw_str(x, "DefaultVersionId", "v1");
	xw_str(x, "PolicyId", sq_s(p, "id"));
	xw_str(x, "Path", sq_s(p, "path"));
	xw_str(x, "Arn", sq_s(p, "arn"));
	xw_long(x, "AttachmentCount", iam_attachments(i, sq_s(p, "arn")));
	xw_long(x, "PermissionsBoundaryUsageCount", 0);
	xw_bool(x, "IsAttachable", 1);
	if (full)
		xw_str(x, "Description", json_str(p, "description"));
	iam_write_date(x, "CreateDate", p, "created");
	iam_write_date(x, "UpdateDate", p, "created");
	if (full)
		iam_write_tags(x, p);
}

/* The members of a Role; full adds RoleLastUsed. */
static void
iam_role_write(struct xw *x, const cJSON *r, int full)
{
	xw_str(x, "Path", sq_s(r, "path"));
	xw_str(x, "RoleName", sq_s(r, "name"));
	xw_str(x, "RoleId", sq_s(r, "id"));
	xw_str(x, "Arn", sq_s(r, "arn"));
	iam_write_date(x, "CreateDate", r, "created");
	iam_write_doc(x, "AssumeRolePolicyDocument", sq_s(r, "trust"));
	xw_str(x, "Description", json_str(r, "description"));
	xw_long(x, "MaxSessionDuration", (long)json_num(r, "maxSession",
	    3600));
	iam_write_tags(x, r);
	if (full) {
		xw_open(x, "RoleLastUsed");
		xw_close(x);
	}
}

/* Room for another entity of a kind; -1 answered. */
static int
iam_room(struct iam *i, const char *key)
{
	if (cJSON_GetArraySize(iam_st_array(i->st, key)) < IAM_MAX_ENTITIES)
		return 0;
	sim_aws_error(i->call, 409, "LimitExceeded", "Cannot exceed quota for "
	    "%s: %d", key, IAM_MAX_ENTITIES);
	return -1;
}

/* CreatePolicy. */
static void
iam_create_policy(struct iam *i)
{
	const char	*name, *doc, *path;
	cJSON		*p;
	char		 id[22], *arn;
	struct xw	 x;

	if ((name = iam_need(i, "PolicyName", "policyName")) == NULL ||
	    (doc = iam_need(i, "PolicyDocument", "policyDocument")) == NULL ||
	    iam_check_name(i, name, "policyName", 128) != 0 ||
	    (path = iam_path(i)) == NULL || iam_check_doc(i, doc, 0) != 0 ||
	    iam_room(i, "policies") != 0)
		return;
	if (iam_find(iam_st_array(i->st, "policies"), "name", name, 1)) {
		sim_aws_error(i->call, 409, "EntityAlreadyExists", "A policy "
		    "called %s already exists. Duplicate names are not "
		    "allowed.", name);
		return;
	}
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", name);
	sq_iam_id(id, "ANPA");
	cJSON_AddStringToObject(p, "id", id);
	xasprintf(&arn, "arn:aws:iam::%s:policy%s%s", sim_aws_account(i->sim),
	    path, name);
	cJSON_AddStringToObject(p, "arn", arn);
	free(arn);
	cJSON_AddStringToObject(p, "path", path);
	json_add_str_opt(p, "description", sim_aws_param(&i->p,
	    "Description"));
	cJSON_AddStringToObject(p, "document", doc);
	cJSON_AddNumberToObject(p, "created", (double)i->now);
	if (iam_tags(i, p) != 0) {
		cJSON_Delete(p);
		return;
	}
	cJSON_AddItemToArray(iam_st_array(i->st, "policies"), p);
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "Policy");
	iam_policy_write(i, &x, p, 0);
	iam_write_tags(&x, p);
	xw_close(&x);
	sq_query_end(i->call, &x, 1);
}

/* The policy named by PolicyArn; NULL answered. */
static cJSON *
iam_policy_arg(struct iam *i)
{
	const char	*arn;
	cJSON		*p;

	if ((arn = iam_need(i, "PolicyArn", "policyArn")) == NULL)
		return NULL;
	if (strncmp(arn, "arn:aws:iam::", 13) != 0 ||
	    strstr(arn, ":policy/") == NULL) {
		sim_aws_error(i->call, 400, "InvalidInput", "ARN %.200s is not "
		    "valid.", arn);
		return NULL;
	}
	if ((p = iam_policy(i, arn)) == NULL)
		sim_aws_error(i->call, 404, "NoSuchEntity",
		    "Policy %.200s does "
		    "not exist or is not attachable.", arn);
	return p;
}

/* GetPolicy. */
static void
iam_get_policy(struct iam *i)
{
	cJSON		*p;
	struct xw	 x;

	if ((p = iam_policy_arg(i)) == NULL)
		return;
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "Policy");
	iam_policy_write(i, &x, p, 1);
	xw_close(&x);
	sq_query_end(i->call, &x, 1);
}

/* GetPolicyVersion (every policy has the one version v1). */
static void
iam_get_policy_version(struct iam *i)
{
	cJSON		*p;
	const char	*ver;
	struct xw	 x;

	if ((p = iam_policy_arg(i)) == NULL ||
	    (ver = iam_need(i, "VersionId", "versionId")) == NULL)
		return;
	if (strcmp(ver, "v1") != 0) {
		sim_aws_error(i->call, 404, "NoSuchEntity", "Policy %s version "
		    "%.32s does not exist or is not attachable.",
		    sq_s(p, "arn"), ver);
		return;
	}
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "PolicyVersion");
	iam_write_doc(&x, "Document", sq_s(p, "document"));
	xw_str(&x, "VersionId", "v1");
	xw_bool(&x, "IsDefaultVersion", 1);
	iam_write_date(&x, "CreateDate", p, "created");
	xw_close(&x);
	sq_query_end(i->call, &x, 1);
}

/* DeletePolicy. */
static void
iam_delete_policy(struct iam *i)
{
	cJSON		*p;
	struct xw	 x;

	if ((p = iam_policy_arg(i)) == NULL)
		return;
	if (json_bool(p, "aws", 0)) {
		sim_aws_error(i->call, 400, "InvalidInput", "ARN %s is not a "
		    "customer managed policy.", sq_s(p, "arn"));
		return;
	}
	if (iam_attachments(i, sq_s(p, "arn")) > 0) {
		sim_aws_error(i->call, 409, "DeleteConflict", "Cannot delete a "
		    "policy attached to entities.");
		return;
	}
	cJSON_Delete(cJSON_DetachItemViaPointer(iam_st_array(i->st,
	    "policies"), p));
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 0);
	sq_query_end(i->call, &x, 0);
}

/* MaxItems and Marker of a list call; -1 answered. */
static int
iam_paging(struct iam *i, long *max, long *off)
{
	const char	*m = sim_aws_param(&i->p, "Marker");

	if (sq_int(&i->p, "MaxItems", 100, 1, 1000, max) != 0) {
		sim_aws_error(i->call, 400, "ValidationError", "1 validation "
		    "error detected: Value '%.32s' at 'maxItems' failed to "
		    "satisfy constraint: Member must have value between 1 and "
		    "1000", sim_aws_param(&i->p, "MaxItems"));
		return -1;
	}
	*off = 0;
	if (m != NULL && (*off = sq_untoken(m)) < 0) {
		sim_aws_error(i->call, 400, "InvalidInput", "Invalid Marker.");
		return -1;
	}
	return 0;
}

/* Close a list: IsTruncated and Marker. */
static void
iam_list_end(struct xw *x, size_t total, long off, long max)
{
	char	*tok;

	xw_bool(x, "IsTruncated", total > (size_t)(off + max));
	if (total > (size_t)(off + max)) {
		tok = sq_token((size_t)(off + max));
		xw_str(x, "Marker", tok);
		free(tok);
	}
}

/* Does a policy pass ListPolicies' Scope/OnlyAttached/PathPrefix? */
static int
iam_policy_listed(struct iam *i, const cJSON *p, const char *scope)
{
	const char	*prefix = sim_aws_param(&i->p, "PathPrefix");
	int		 aws = json_bool(p, "aws", 0);

	if ((strcmp(scope, "AWS") == 0 && !aws) ||
	    (strcmp(scope, "Local") == 0 && aws))
		return 0;
	if (prefix != NULL && strncmp(sq_s(p, "path"), prefix,
	    strlen(prefix)) != 0)
		return 0;
	return !sq_bool(&i->p, "OnlyAttached", 0) ||
	    iam_attachments(i, sq_s(p, "arn")) > 0;
}

/* ListPolicies. */
static void
iam_list_policies(struct iam *i)
{
	const char	*scope = sim_aws_param(&i->p, "Scope");
	cJSON		*arrs[2], *p;
	struct xw	 x;
	long		 max, off;
	size_t		 seen = 0, k;

	if (scope == NULL)
		scope = "All";
	if (strcmp(scope, "All") != 0 && strcmp(scope, "AWS") != 0 &&
	    strcmp(scope, "Local") != 0) {
		sim_aws_error(i->call, 400, "ValidationError", "1 validation "
		    "error detected: Value '%.32s' at 'scope' failed to "
		    "satisfy constraint: Member must satisfy enum value set: "
		    "[All, AWS, Local]", scope);
		return;
	}
	if (iam_paging(i, &max, &off) != 0)
		return;
	arrs[0] = iam_aws_policies_arr(i);
	arrs[1] = iam_st_array(i->st, "policies");
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "Policies");
	for (k = 0; k < 2; k++) {
		cJSON_ArrayForEach(p, arrs[k]) {
			if (!iam_policy_listed(i, p, scope))
				continue;
			if (seen++ < (size_t)off ||
			    seen > (size_t)(off + max))
				continue;
			xw_open(&x, "member");
			iam_policy_write(i, &x, p, 0);
			xw_close(&x);
		}
	}
	xw_close(&x);
	iam_list_end(&x, seen, off, max);
	sq_query_end(i->call, &x, 1);
}

/* CreateRole. */
static void
iam_create_role(struct iam *i)
{
	const char	*name, *doc, *path;
	cJSON		*r;
	long		 maxs;
	char		 id[22], *arn;
	struct xw	 x;

	if ((name = iam_need(i, "RoleName", "roleName")) == NULL ||
	    (doc = iam_need(i, "AssumeRolePolicyDocument",
	    "assumeRolePolicyDocument")) == NULL ||
	    iam_check_name(i, name, "roleName", 64) != 0 ||
	    (path = iam_path(i)) == NULL || iam_check_doc(i, doc, 1) != 0 ||
	    iam_room(i, "roles") != 0)
		return;
	if (sq_int(&i->p, "MaxSessionDuration", 3600, 3600, 43200,
	    &maxs) != 0) {
		sim_aws_error(i->call, 400, "ValidationError", "The requested "
		    "MaxSessionDuration exceeds the allowed range of 3600 to "
		    "43200 seconds.");
		return;
	}
	if (sim_iam_find_role(i->sim, name) != NULL) {
		sim_aws_error(i->call, 409, "EntityAlreadyExists", "Role with "
		    "name %s already exists.", name);
		return;
	}
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "name", name);
	sq_iam_id(id, "AROA");
	cJSON_AddStringToObject(r, "id", id);
	xasprintf(&arn, "arn:aws:iam::%s:role%s%s", sim_aws_account(i->sim),
	    path, name);
	cJSON_AddStringToObject(r, "arn", arn);
	free(arn);
	cJSON_AddStringToObject(r, "path", path);
	json_add_str_opt(r, "description", sim_aws_param(&i->p, "Description"));
	cJSON_AddStringToObject(r, "trust", doc);
	cJSON_AddNumberToObject(r, "maxSession", (double)maxs);
	cJSON_AddNumberToObject(r, "created", (double)i->now);
	cJSON_AddArrayToObject(r, "attached");
	if (iam_tags(i, r) != 0) {
		cJSON_Delete(r);
		return;
	}
	cJSON_AddItemToArray(iam_st_array(i->st, "roles"), r);
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "Role");
	iam_role_write(&x, r, 0);
	xw_close(&x);
	sq_query_end(i->call, &x, 1);
}

/* The role named by RoleName; NULL answered. */
static cJSON *
iam_role_arg(struct iam *i)
{
	const char	*name;
	cJSON		*r;

	if ((name = iam_need(i, "RoleName", "roleName")) == NULL)
		return NULL;
	if ((r = sim_iam_find_role(i->sim, name)) == NULL)
		sim_aws_error(i->call, 404, "NoSuchEntity",
		    "The role with name %.64s cannot be found.", name);
	return r;
}

/* GetRole. */
static void
iam_get_role(struct iam *i)
{
	cJSON		*r;
	struct xw	 x;

	if ((r = iam_role_arg(i)) == NULL)
		return;
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "Role");
	iam_role_write(&x, r, 1);
	xw_close(&x);
	sq_query_end(i->call, &x, 1);
}

/* ListRoles. */
static void
iam_list_roles(struct iam *i)
{
	const char	*prefix = sim_aws_param(&i->p, "PathPrefix");
	cJSON		*r;
	struct xw	 x;
	long		 max, off;
	size_t		 seen = 0;

	if (iam_paging(i, &max, &off) != 0)
		return;
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "Roles");
	cJSON_ArrayForEach(r, iam_st_array(i->st, "roles")) {
		if (prefix != NULL && strncmp(sq_s(r, "path"), prefix,
		    strlen(prefix)) != 0)
			continue;
		if (seen++ < (size_t)off || seen > (size_t)(off + max))
			continue;
		xw_open(&x, "member");
		iam_role_write(&x, r, 0);
		xw_close(&x);
	}
	xw_close(&x);
	iam_list_end(&x, seen, off, max);
	sq_query_end(i->call, &x, 1);
}

/* DeleteRole. */
static void
iam_delete_role(struct iam *i)
{
	cJSON		*r;
	struct xw	 x;

	if ((r = iam_role_arg(i)) == NULL)
		return;
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r,
	    "attached")) > 0) {
		sim_aws_error(i->call, 409, "DeleteConflict", "Cannot delete "
		    "entity, must detach all policies first.");
		return;
	}
	cJSON_Delete(cJSON_DetachItemViaPointer(iam_st_array(i->st, "roles"),
	    r));
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 0);
	sq_query_end(i->call, &x, 0);
}

/* UpdateAssumeRolePolicy. */
static void
iam_update_trust(struct iam *i)
{
	cJSON		*r;
	const char	*doc;
	struct xw	 x;

	if ((r = iam_role_arg(i)) == NULL ||
	    (doc = iam_need(i, "PolicyDocument", "policyDocument")) == NULL ||
	    iam_check_doc(i, doc, 1) != 0)
		return;
	cJSON_ReplaceItemInObjectCaseSensitive(r, "trust",
	    cJSON_CreateString(doc));
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 0);
	sq_query_end(i->call, &x, 0);
}

/* The index of arn in a role's attached list, or -1. */
static int
iam_attached_index(const cJSON *r, const char *arn)
{
	const cJSON	*a;
	int		 k = 0;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(r, "attached")) {
		if (cJSON_IsString(a) && strcmp(a->valuestring, arn) == 0)
			return k;
		k++;
	}
	return -1;
}

/* AttachRolePolicy / DetachRolePolicy (attaching twice is a no-op). */
static void
iam_attach(struct iam *i)
{
	cJSON		*r, *p, *att;
	const char	*arn;
	int		 detach = strcmp(i->action, "DetachRolePolicy") == 0, k;
	struct xw	 x;

	if ((r = iam_role_arg(i)) == NULL ||
	    (arn = iam_need(i, "PolicyArn", "policyArn")) == NULL)
		return;
	att = cJSON_GetObjectItemCaseSensitive(r, "attached");
	k = iam_attached_index(r, arn);
	if (detach && k < 0) {
		sim_aws_error(i->call, 404, "NoSuchEntity", "Policy %.200s was "
		    "not found.", arn);
		return;
	}
	if (detach)
		cJSON_DeleteItemFromArray(att, k);
	else if ((p = iam_policy_arg(i)) == NULL)
		return;
	else if (k < 0 && cJSON_GetArraySize(att) >= IAM_MAX_ATTACHED) {
		sim_aws_error(i->call, 409, "LimitExceeded", "Cannot exceed "
		    "quota for PoliciesPerRole: %d", IAM_MAX_ATTACHED);
		return;
	} else if (k < 0)
		cJSON_AddItemToArray(att, cJSON_CreateString(sq_s(p,
		    "arn")));
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 0);
	sq_query_end(i->call, &x, 0);
}

/* ListAttachedRolePolicies. */
static void
iam_list_attached(struct iam *i)
{
	cJSON		*r, *a, *p;
	const char	*prefix = sim_aws_param(&i->p, "PathPrefix");
	struct xw	 x;
	long		 max, off;
	size_t		 seen = 0;

	if ((r = iam_role_arg(i)) == NULL || iam_paging(i, &max, &off) != 0)
		return;
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "AttachedPolicies");
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(r, "attached")) {
		if ((p = iam_policy(i, a->valuestring)) == NULL ||
		    (prefix != NULL && strncmp(sq_s(p, "path"), prefix,
		    strlen(prefix)) != 0))
			continue;
		if (seen++ < (size_t)off || seen > (size_t)(off + max))
			continue;
		xw_open(&x, "member");
		xw_str(&x, "PolicyName", sq_s(p, "name"));
		xw_str(&x, "PolicyArn", sq_s(p, "arn"));
		xw_close(&x);
	}
	xw_close(&x);
	iam_list_end(&x, seen, off, max);
	sq_query_end(i->call, &x, 1);
}

/* Read a "PREFIX.member.N" list into a new array; -1 answered. */
static int
iam_str_list(struct iam *i, const char *prefix, size_t maxlen, size_t maxn,
    int thumb, cJSON **out)
{
	const char	**v;
	size_t		  n, k;

	n = sq_list(&i->p, prefix, &v);
	*out = cJSON_CreateArray();
	for (k = 0; k < n; k++) {
		if (k >= maxn || *v[k] == '\0' || strlen(v[k]) > maxlen ||
		    (thumb && (strlen(v[k]) != 40 || strspn(v[k],
		    "0123456789abcdefABCDEF") != 40))) {
			sim_aws_error(i->call, 400, "InvalidInput", "%s: at "
			    "most %zu entries of %s", prefix, maxn, thumb ?
			    "40 hex characters" : "1 to 255 characters");
			free(v);
			cJSON_Delete(*out);
			return -1;
		}
		cJSON_AddItemToArray(*out, cJSON_CreateString(v[k]));
	}
	free(v);
	return 0;
}

/* CreateOpenIDConnectProvider. */
static void
iam_create_oidc(struct iam *i)
{
	const char	*url;
	cJSON		*o, *clients, *thumbs;
	char		*arn;
	struct xw	 x;

	if ((url = iam_need(i, "Url", "url")) == NULL)
		return;
	if (strncmp(url, "https://", 8) != 0 || url[8] == '\0' ||
	    strlen(url) > 255 || strchr(url + 8, '?') != NULL ||
	    strchr(url + 8, '#') != NULL) {
		sim_aws_error(i->call, 400, "InvalidInput", "Invalid Open ID "
		    "Connect Provider URL: it must begin with https:// and "
		    "have no query or fragment.");
		return;
	}
	if (sim_iam_find_oidc(i->sim, url) != NULL) {
		sim_aws_error(i->call, 409, "EntityAlreadyExists", "Provider "
		    "with url %s already exists.", url);
		return;
	}
	if (iam_room(i, "oidc") != 0 || iam_str_list(i, "ClientIDList.member",
	    255, 100, 0, &clients) != 0)
		return;
	if (iam_str_list(i, "ThumbprintList.member", 40, 5, 1, &thumbs) != 0) {
		cJSON_Delete(clients);
		return;
	}
	o = cJSON_CreateObject();
	xasprintf(&arn, "arn:aws:iam::%s:oidc-provider/%s",
	    sim_aws_account(i->sim), url + 8);
	cJSON_AddStringToObject(o, "arn", arn);
	free(arn);
	cJSON_AddStringToObject(o, "url", url + 8);
	cJSON_AddItemToObject(o, "clients", clients);
	cJSON_AddItemToObject(o, "thumbprints", thumbs);
	cJSON_AddNumberToObject(o, "created", (double)i->now);
	if (iam_tags(i, o) != 0) {
		cJSON_Delete(o);
		return;
	}
	cJSON_AddItemToArray(iam_st_array(i->st, "oidc"), o);
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_str(&x, "OpenIDConnectProviderArn", sq_s(o, "arn"));
	iam_write_tags(&x, o);
	sq_query_end(i->call, &x, 1);
}

/* The provider named by OpenIDConnectProviderArn; NULL answered. */
static cJSON *
iam_oidc_arg(struct iam *i)
{
	const char	*arn;
	cJSON		*o;

	if ((arn = iam_need(i, "OpenIDConnectProviderArn",
	    "openIDConnectProviderArn")) == NULL)
		return NULL;
	if (strncmp(arn, "arn:aws:iam::", 13) != 0 ||
	    strstr(arn, ":oidc-provider/") == NULL) {
		sim_aws_error(i->call, 400, "InvalidInput", "ARN %.200s is not "
		    "valid.", arn);
		return NULL;
	}
	o = iam_find(iam_st_array(i->st, "oidc"), "arn", arn, 0);
	if (o == NULL)
		sim_aws_error(i->call, 404, "NoSuchEntity", "OpenIDConnect "
		    "Provider not found for arn %.200s", arn);
	return o;
}

/* <name><member>s</member>...</name> of a string array. */
static void
iam_write_members(struct xw *x, const char *name, const cJSON *arr)
{
	const cJSON	*s;

	xw_open(x, name);
	cJSON_ArrayForEach(s, arr) {
		if (cJSON_IsString(s))
			xw_str(x, "member", s->valuestring);
	}
	xw_close(x);
}

/* GetOpenIDConnectProvider. */
static void
iam_get_oidc(struct iam *i)
{
	cJSON		*o;
	struct xw	 x;

	if ((o = iam_oidc_arg(i)) == NULL)
		return;
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_str(&x, "Url", sq_s(o, "url"));
	iam_write_members(&x, "ClientIDList",
	    cJSON_GetObjectItemCaseSensitive(o, "clients"));
	iam_write_members(&x, "ThumbprintList",
	    cJSON_GetObjectItemCaseSensitive(o, "thumbprints"));
	iam_write_date(&x, "CreateDate", o, "created");
	iam_write_tags(&x, o);
	sq_query_end(i->call, &x, 1);
}

/* ListOpenIDConnectProviders. */
static void
iam_list_oidc(struct iam *i)
{
	cJSON		*o;
	struct xw	 x;

	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 1);
	xw_open(&x, "OpenIDConnectProviderList");
	cJSON_ArrayForEach(o, iam_st_array(i->st, "oidc")) {
		xw_open(&x, "member");
		xw_str(&x, "Arn", sq_s(o, "arn"));
		xw_close(&x);
	}
	xw_close(&x);
	sq_query_end(i->call, &x, 1);
}

/* DeleteOpenIDConnectProvider. */
static void
iam_delete_oidc(struct iam *i)
{
	cJSON		*o;
	struct xw	 x;

	if ((o = iam_oidc_arg(i)) == NULL)
		return;
	cJSON_Delete(cJSON_DetachItemViaPointer(iam_st_array(i->st, "oidc"),
	    o));
	sq_query_begin(i->call, &x, IAM_XMLNS, i->action, 0);
	sq_query_end(i->call, &x, 0);
}

/* A role by name (case-insensitive, as IAM names are). */
cJSON *
sim_iam_find_role(struct sim_aws *sim, const char *name)
{
	return iam_find(iam_st_array(sim_aws_state(sim, "iam"), "roles"),
	    "name", name, 1);
}

/* A role by ARN. */
cJSON *
sim_iam_role_by_arn(struct sim_aws *sim, const char *arn)
{
	return iam_find(iam_st_array(sim_aws_state(sim, "iam"), "roles"),
	    "arn", arn, 0);
}

/* An OIDC provider by issuer URL, with or without the scheme. */
cJSON *
sim_iam_find_oidc(struct sim_aws *sim, const char *url)
{
	if (url != NULL && strncmp(url, "https://", 8) == 0)
		url += 8;
	return iam_find(iam_st_array(sim_aws_state(sim, "iam"), "oidc"),
	    "url", url, 0);
}

static const struct {
	const char	*action;
	void		(*fn)(struct iam *);
} iam_ops[] = {
	{ "CreatePolicy", iam_create_policy },
	{ "GetPolicy", iam_get_policy },
	{ "GetPolicyVersion", iam_get_policy_version },
	{ "ListPolicies", iam_list_policies },
	{ "DeletePolicy", iam_delete_policy },
	{ "CreateRole", iam_create_role },
	{ "GetRole", iam_get_role },
	{ "ListRoles", iam_list_roles },
	{ "DeleteRole", iam_delete_role },
	{ "UpdateAssumeRolePolicy", iam_update_trust },
	{ "AttachRolePolicy", iam_attach },
	{ "DetachRolePolicy", iam_attach },
	{ "ListAttachedRolePolicies", iam_list_attached },
	{ "CreateOpenIDConnectProvider", iam_create_oidc },
	{ "GetOpenIDConnectProvider", iam_get_oidc },
	{ "ListOpenIDConnectProviders", iam_list_oidc },
	{ "DeleteOpenIDConnectProvider", iam_delete_oidc },
};

/* Serve one IAM request. */
static void
iam_handle(struct sim_aws_call *call)
{
	struct iam	i;
	size_t		k, n = sizeof iam_ops / sizeof iam_ops[0];

	memset(&i, 0, sizeof i);
	i.call = call;
	i.sim = call->sim;
	i.st = sim_aws_state(call->sim, "iam");
	i.now = sim_aws_now_ms(call->sim);
	sq_params(call, &i.p);
	i.action = sim_aws_param(&i.p, "Action");
	for (k = 0; i.action != NULL && k < n; k++) {
		if (strcmp(iam_ops[k].action, i.action) == 0)
			break;
	}
	if (i.action == NULL)
		sim_aws_error(call, 400, "MissingAction", "Missing Action");
	else if (k == n)
		sim_aws_unknown_op(call, i.action);
	else
		iam_ops[k].fn(&i);
	sim_aws_params_free(&i.p);
	cJSON_Delete(i.aws);
}
