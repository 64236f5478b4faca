/*
 * Simulated EKS (rest-json, API 2017-11-01, epoch-second timestamps):
 * clusters and managed node groups with CREATING -> ACTIVE and DELETING
 * -> gone transitions on the simulated clock. A new cluster gets a real
 * security group in the simulated EC2 (eks-cluster-sg-NAME-NUM) and the
 * VPC of its subnets; once ACTIVE it shows the endpoint and CA set with
 * sim_aws_eks_set_kube and an OIDC issuer. State under "eks":
 *   clusters[]   {name, arn, createdMs, version, roleArn, subnetIds[],
 *                 securityGroupIds[], clusterSg, vpcId, publicAccess,
 *                 privateAccess, publicCidrs[], serviceCidr, logging,
 *                 accessConfig, tags, issuerId, hostId, token, status,
 *                 _activeAtMs, _deleteAtMs}
 *   nodegroups[] {nodegroupName, clusterName, nodegroupArn, createdMs,
 *                 ... the Nodegroup members ..., _activeAtMs, _deleteAtMs}
 *   _kube {endpoint, ca}, _delays {create, delete}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/rand.h"
#include "latticectl/xmalloc.h"

#include "aws_svc_int.h"
#include "sim_aws_lab.h"

#define EKS_MAX_CLUSTERS	100
#define EKS_MAX_NODEGROUPS	30	/* per cluster */
#define EKS_DEFAULT_VERSION	"1.33"
#define EKS_PLATFORM_VERSION	"eks.8"
#define EKS_MAX_SEGS		5

/* One request. */
struct eks {
	struct sim_aws_call	*call;
	struct sim_aws		*sim;
	cJSON			*st;
	cJSON			*body;		/* request JSON, or NULL */
	char			*seg[EKS_MAX_SEGS];
	size_t			 nseg;
	struct sim_aws_params	 q;
	int64_t			 now;
};

typedef void	(*eks_fn)(struct eks *);

static void	eks_handle(struct sim_aws_call *);

const struct sim_aws_service sim_aws_eks_service = {
	.signing_name = "eks",
	.proto = SIM_AWS_REST_JSON,
	.family = SIM_FAMILY_EKS,
	.handle = eks_handle,
};

/* The array key of the EKS state, created empty. */
static cJSON *
eks_array(cJSON *st, const char *key)
{
	cJSON	*a = cJSON_GetObjectItemCaseSensitive(st, key);

	if (a == NULL)
		a = cJSON_AddArrayToObject(st, key);
	return a;
}

/* A delay setting: _delays.{create,delete} or the simulator option. */
static int64_t
eks_delay(struct sim_aws *sim, cJSON *st, int create)
{
	const cJSON	*d = cJSON_GetObjectItemCaseSensitive(st, "_delays");
	const struct sim_aws_opts *o = sim_aws_opts(sim);

	if (d != NULL)
		return (int64_t)json_num(d, create ? "create" : "delete", 0);
	return create ? o->create_delay_ms : o->delete_delay_ms;
}

/* Set a string member (replacing it). */
static void
eks_set_str(cJSON *rec, const char *key, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(rec, key);
	cJSON_AddStringToObject(rec, key, value);
}

/* Apply the due transitions. */
static void
eks_tick(struct sim_aws *sim, cJSON *st, int64_t now)
{
	static const char *const arrays[] = { "nodegroups", "clusters" };
	cJSON		*arr, *rec, *next;
	size_t		 i;

	for (i = 0; i < 2; i++) {
		arr = eks_array(st, arrays[i]);
		for (rec = arr->child; rec != NULL; rec = next) {
			next = rec->next;
			if (cJSON_HasObjectItem(rec, "_deleteAtMs") &&
			    json_num(rec, "_deleteAtMs", 0) <= (double)now) {
				if (json_str(rec, "clusterSg") != NULL)
					sim_ec2_drop_group(sim, sq_s(rec,
					    "clusterSg"));
				cJSON_Delete(cJSON_DetachItemViaPointer(arr,
				    rec));
			} else if (strcmp(sq_s(rec, "status"),
			    "CREATING") == 0 && json_num(rec, "_activeAtMs", 0)
			    <= (double)now)
				eks_set_str(rec, "status", "ACTIVE");
		}
	}
}

/* A cluster by name, or NULL. */
static cJSON *
eks_cluster(cJSON *st, const char *name)
{
	cJSON	*c;

	cJSON_ArrayForEach(c, eks_array(st, "clusters")) {
		if (strcmp(sq_s(c, "name"), name) == 0)
			return c;
	}
	return NULL;
}

/* A node group of a cluster by name, or NULL. */
static cJSON *
eks_nodegroup(cJSON *st, const char *cluster, const char *name)
{
	cJSON	*n;

	cJSON_ArrayForEach(n, eks_array(st, "nodegroups")) {
		if (strcmp(sq_s(n, "clusterName"), cluster) == 0 &&
		    (name == NULL || strcmp(sq_s(n, "nodegroupName"),
		    name) == 0))
			return n;
	}
	return NULL;
}

/* ResourceNotFoundException for a cluster (and node group). */
static void
eks_not_found(struct eks *e, const char *cluster, const char *ng)
{
	cJSON	*extra = cJSON_CreateObject();

	cJSON_AddStringToObject(extra, "clusterName", cluster);
	if (ng != NULL) {
		cJSON_AddStringToObject(extra, "nodegroupName", ng);
		sim_aws_error_extra(e->call, 404, "ResourceNotFoundException",
		    extra, "No node group found for name: %.100s.", ng);
	} else
		sim_aws_error_extra(e->call, 404, "ResourceNotFoundException",
		    extra, "No cluster found for name: %.100s.", cluster);
}

/* InvalidParameterException; returns -1. */
static int
eks_invalid(struct eks *e, const char *fmt, const char *arg)
{
	sim_aws_error(e->call, 400, "InvalidParameterException", fmt,
	    arg != NULL ? arg : "null");
	return -1;
}

/* The cluster named by the path; NULL answered. */
static cJSON *
eks_cluster_arg(struct eks *e)
{
	cJSON	*c = eks_cluster(e->st, e->seg[1]);

	if (c == NULL)
		eks_not_found(e, e->seg[1], NULL);
	return c;
}

/* Is s a name of [0-9A-Za-z][A-Za-z0-9_-]* of 1..max characters? */
static int
eks_name_ok(const char *s, size_t max)
{
	size_t	n = s != NULL ? strlen(s) : 0;

	return n > 0 && n <= max && strchr("_-", s[0]) == NULL &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-") == n;
}

/* A string array member of the body, copied (empty when absent); -1
 * when present but not an array of strings. */
static int
eks_str_array(const cJSON *obj, const char *key, cJSON **out)
{
	const cJSON	*a = cJSON_GetObjectItemCaseSensitive(obj, key), *s;

	*out = cJSON_CreateArray();
	if (a == NULL)
		return 0;
	if (!cJSON_IsArray(a))
		return -1;
	cJSON_ArrayForEach(s, a) {
		if (!cJSON_IsString(s))
			return -1;
		cJSON_AddItemToArray(*out, cJSON_CreateString(s->valuestring));
	}
	return 0;
}

/* Check the subnets (exist, one VPC, and two zones when want_zones);
 * the VPC id, or NULL answered. */
static const char *
eks_subnets_vpc(struct eks *e, const cJSON *ids, int want_zones)
{
	const cJSON	*id;
	cJSON		*sub;
	const char	*vpc = NULL, *zone = NULL;
	int		 zones = 0;

	cJSON_ArrayForEach(id, ids) {
		if ((sub = sim_ec2_find_subnet(e->sim,
		    id->valuestring)) == NULL) {
			eks_invalid(e, "The subnet ID '%.64s' does not exist",
			    id->valuestring);
			return NULL;
		}
		if (vpc != NULL && strcmp(vpc, sq_s(sub, "vpcId")) != 0) {
			eks_invalid(e, "Subnets specified must be in the same "
			    "VPC (%s)", vpc);
			return NULL;
		}
		vpc = sq_s(sub, "vpcId");
		if (zone == NULL || strcmp(zone, sq_s(sub,
		    "availabilityZone")) != 0)
			zones++;
		zone = sq_s(sub, "availabilityZone");
	}
	if (vpc == NULL || (want_zones && zones < 2)) {
		sim_aws_error(e->call, 400, "InvalidParameterException",
		    "Subnets specified must be in at least two different AZs");
		return NULL;
	}
	return vpc;
}

/* Is the Kubernetes version one EKS still creates? */
static int
eks_version_ok(const char *v)
{
	char	*end;
	long	 minor;

	if (strncmp(v, "1.", 2) != 0)
		return 0;
	minor = strtol(v + 2, &end, 10);
	return *end == '\0' && minor >= 28 && minor <= 39;
}

/* The cluster's request-side checks; -1 answered. */
static int
eks_check_cluster(struct eks *e, const char *name, cJSON **subnets,
    cJSON **sgs, const char **vpc)
{
	const cJSON	*vc, *id;
	const char	*role = json_str(e->body, "roleArn");
	const char	*ver = json_str(e->body, "version");
	cJSON		*sg;

	*subnets = *sgs = NULL;
	vc = cJSON_GetObjectItemCaseSensitive(e->body, "resourcesVpcConfig");
	if (!eks_name_ok(name, 100))
		return eks_invalid(e, "The cluster name '%.100s' must start "
		    "with an alphanumeric character and contain only "
		    "alphanumerics, '-' and '_' (1 to 100).", name);
	if (role == NULL || sim_iam_role_by_arn(e->sim, role) == NULL)
		return eks_invalid(e, "Role with arn: %.200s could not be "
		    "assumed because it does not exist or the trusted entity "
		    "is not correct", role);
	if (ver != NULL && !eks_version_ok(ver))
		return eks_invalid(e, "unsupported Kubernetes version %.32s",
		    ver);
	if (!cJSON_IsObject(vc) || eks_str_array(vc, "subnetIds", subnets) ||
	    eks_str_array(vc, "securityGroupIds", sgs)) {
		sim_aws_error(e->call, 400, "InvalidParameterException",
		    "resourcesVpcConfig must have subnetIds and may have "
		    "securityGroupIds, lists of strings");
		return -1;
	}
	if ((*vpc = eks_subnets_vpc(e, *subnets, 1)) == NULL)
		return -1;
	cJSON_ArrayForEach(id, *sgs) {
		sg = sim_ec2_find_group(e->sim, id->valuestring);
		if (sg == NULL || strcmp(sq_s(sg, "vpcId"), *vpc) != 0)
			return eks_invalid(e, "Security group '%.64s' does not "
			    "exist in the VPC of the subnets", id->valuestring);
	}
	return 0;
}

/* A copy of an object member, or a new empty object. */
static cJSON *
eks_obj_copy(const cJSON *obj, const char *key)
{
	const cJSON	*o = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsObject(o) ? cJSON_Duplicate(o, 1) : cJSON_CreateObject();
}

/* The cluster record of a valid CreateCluster body. */
static cJSON *
eks_new_cluster(struct eks *e, const char *name, cJSON *subnets, cJSON *sgs,
    const char *vpc)
{
	const cJSON	*vc;
	cJSON		*c, *logging, *ac;
	const char	*ver = json_str(e->body, "version");
	char		 hex[33], *arn, uuid[37];

	vc = cJSON_GetObjectItemCaseSensitive(e->body, "resourcesVpcConfig");
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "name", name);
	rand_uuid4(uuid);
	xasprintf(&arn, "arn:aws:eks:%s:%s:cluster/%s", sim_aws_region(e->sim),
	    sim_aws_account(e->sim), name);
	cJSON_AddStringToObject(c, "arn", arn);
	free(arn);
	cJSON_AddStringToObject(c, "id", uuid);
	cJSON_AddNumberToObject(c, "createdMs", (double)e->now);
	cJSON_AddStringToObject(c, "version", ver != NULL ? ver :
	    EKS_DEFAULT_VERSION);
	cJSON_AddStringToObject(c, "roleArn", json_str(e->body, "roleArn"));
	cJSON_AddItemToObject(c, "subnetIds", subnets);
	cJSON_AddItemToObject(c, "securityGroupIds", sgs);
	cJSON_AddStringToObject(c, "vpcId", vpc);
	cJSON_AddStringToObject(c, "clusterSg", sim_ec2_cluster_sg(e->sim, vpc,
	    name));
	cJSON_AddBoolToObject(c, "publicAccess", json_bool(vc,
	    "endpointPublicAccess", 1));
	cJSON_AddBoolToObject(c, "privateAccess", json_bool(vc,
	    "endpointPrivateAccess", 0));
	logging = eks_obj_copy(e->body, "logging");
	cJSON_AddItemToObject(c, "logging", logging);
	ac = eks_obj_copy(e->body, "accessConfig");
	if (!cJSON_HasObjectItem(ac, "authenticationMode"))
		cJSON_AddStringToObject(ac, "authenticationMode", "CONFIG_MAP");
	if (!cJSON_HasObjectItem(ac, "bootstrapClusterCreatorAdminPermissions"))
		cJSON_AddTrueToObject(ac,
		    "bootstrapClusterCreatorAdminPermissions");
	cJSON_AddItemToObject(c, "accessConfig", ac);
	cJSON_AddItemToObject(c, "tags", eks_obj_copy(e->body, "tags"));
	sq_upper_hex(hex, 32);
	cJSON_AddStringToObject(c, "issuerId", hex);
	sq_upper_hex(hex, 32);
	cJSON_AddStringToObject(c, "hostId", hex);
	json_add_str_opt(c, "token", json_str(e->body, "clientRequestToken"));
	return c;
}

/* The service CIDR: 10.100.0.0/16 unless the VPC is in 10/8. */
static const char *
eks_service_cidr(struct eks *e, const cJSON *body, const char *vpc_cidr)
{
	const cJSON	*knc;
	const char	*want;

	(void)e;
	knc = cJSON_GetObjectItemCaseSensitive(body, "kubernetesNetworkConfig");
	if ((want = json_str(knc, "serviceIpv4Cidr")) != NULL)
		return want;
	return strncmp(vpc_cidr, "10.", 3) == 0 ? "172.20.0.0/16" :
	    "10.100.0.0/16";
}

/* Start a transition to ACTIVE (or be ACTIVE now without a delay). */
static void
eks_start(struct eks *e, cJSON *rec)
{
	int64_t	delay = eks_delay(e->sim, e->st, 1);

	cJSON_AddStringToObject(rec, "status", delay > 0 ? "CREATING" :
	    "ACTIVE");
	cJSON_AddNumberToObject(rec, "_activeAtMs", (double)(e->now + delay));
}

/* The endpoint and CA of an ACTIVE cluster. */
static void
eks_add_kube(struct eks *e, cJSON *out, const cJSON *c)
{
	const cJSON	*k = cJSON_GetObjectItemCaseSensitive(e->st, "_kube");
	const char	*ep = json_str(k, "endpoint"), *ca = json_str(k, "ca");
	cJSON		*cert;
	char		*s;

	if (ep != NULL)
		cJSON_AddStringToObject(out, "endpoint", ep);
	else {
		xasprintf(&s, "https://%s.gr7.%s.eks.amazonaws.com",
		    sq_s(c, "hostId"), sim_aws_region(e->sim));
		cJSON_AddStringToObject(out, "endpoint", s);
		free(s);
	}
	if (ca == NULL)
		ca = "-----BEGIN CERTIFICATE-----\n(no Kubernetes API is "
		    "attached to this simulated cluster)\n"
		    "-----END CERTIFICATE-----\n";
	cert = cJSON_AddObjectToObject(out, "certificateAuthority");
	s = sq_b64(ca, strlen(ca));
	cJSON_AddStringToObject(cert, "data", s);
	free(s);
}

/* The Cluster shape of a record. */
static cJSON *
eks_cluster_json(struct eks *e, const cJSON *c)
{
	cJSON		*out, *vc, *knc, *oidc;
	const char	*status = sq_s(c, "status");
	char		*s;

	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "name", sq_s(c, "name"));
	cJSON_AddStringToObject(out, "arn", sq_s(c, "arn"));
	cJSON_AddNumberToObject(out, "createdAt",
	    json_num(c, "createdMs", 0) / 1000.0);
	cJSON_AddStringToObject(out, "version", sq_s(c, "version"));
	cJSON_AddStringToObject(out, "roleArn", sq_s(c, "roleArn"));
	vc = cJSON_AddObjectToObject(out, "resourcesVpcConfig");
	cJSON_AddItemToObject(vc, "subnetIds", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(c, "subnetIds"), 1));
	cJSON_AddItemToObject(vc, "securityGroupIds", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(c, "securityGroupIds"), 1));
	cJSON_AddStringToObject(vc, "clusterSecurityGroupId",
	    sq_s(c, "clusterSg"));
	cJSON_AddStringToObject(vc, "vpcId", sq_s(c, "vpcId"));
	cJSON_AddBoolToObject(vc, "endpointPublicAccess",
	    json_bool(c, "publicAccess", 1));
	cJSON_AddBoolToObject(vc, "endpointPrivateAccess",
	    json_bool(c, "privateAccess", 0));
	cJSON_AddItemToObject(vc, "publicAccessCidrs",
	    cJSON_CreateStringArray((const char *[]){ "0.0.0.0/0" }, 1));
	knc = cJSON_AddObjectToObject(out, "kubernetesNetworkConfig");
	cJSON_AddStringToObject(knc, "serviceIpv4Cidr",
	    sq_s(c, "serviceCidr"));
	cJSON_AddStringToObject(knc, "ipFamily", "ipv4");
	cJSON_AddFalseToObject(cJSON_AddObjectToObject(knc,
	    "elasticLoadBalancing"), "enabled");
	cJSON_AddItemToObject(out, "logging", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(c, "logging"), 1));
	cJSON_AddStringToObject(out, "status", status);
	if (strcmp(status, "CREATING") != 0) {
		eks_add_kube(e, out, c);
		oidc = cJSON_AddObjectToObject(cJSON_AddObjectToObject(out,
		    "identity"), "oidc");
		xasprintf(&s, "https://oidc.eks.%s.amazonaws.com/id/%s",
		    sim_aws_region(e->sim), sq_s(c, "issuerId"));
		cJSON_AddStringToObject(oidc, "issuer", s);
		free(s);
	} else
		cJSON_AddObjectToObject(out, "certificateAuthority");
	json_add_str_opt(out, "clientRequestToken", json_str(c, "token"));
	cJSON_AddStringToObject(out, "platformVersion", EKS_PLATFORM_VERSION);
	cJSON_AddItemToObject(out, "tags", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(c, "tags"), 1));
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(out, "health"),
	    "issues");
	cJSON_AddItemToObject(out, "accessConfig", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(c, "accessConfig"), 1));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(out, "upgradePolicy"),
	    "supportType", "EXTENDED");
	return out;
}

/* Answer {"cluster": ...}. */
static void
eks_reply_cluster(struct eks *e, const cJSON *c)
{
	cJSON	*body = cJSON_CreateObject();

	cJSON_AddItemToObject(body, "cluster", eks_cluster_json(e, c));
	sim_aws_reply_json(e->call, 200, body);
}

/* ResourceInUseException with the cluster (and node group) named. */
static void
eks_in_use(struct eks *e, const char *cluster, const char *ng,
    const char *msg)
{
	cJSON	*extra = cJSON_CreateObject();

	cJSON_AddStringToObject(extra, "clusterName", cluster);
	if (ng != NULL)
		cJSON_AddStringToObject(extra, "nodegroupName", ng);
	sim_aws_error_extra(e->call, 409, "ResourceInUseException", extra,
	    "%s", msg);
}

/* The CIDR of a VPC (for the service CIDR default). */
static const char *
eks_vpc_cidr(struct eks *e, const char *vpc)
{
	cJSON	*v;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(sim_ec2_state(
	    e->sim), "vpcs")) {
		if (strcmp(sq_s(v, "vpcId"), vpc) == 0)
			return sq_s(v, "cidrBlock");
	}
	return "";
}

/* CreateCluster. */
static void
eks_create_cluster(struct eks *e)
{
	const char	*name = json_str(e->body, "name"), *vpc, *tok;
	cJSON		*old, *subnets, *sgs, *c;
	char		*msg;

	if ((old = eks_cluster(e->st, name != NULL ? name : "")) != NULL) {
		tok = json_str(e->body, "clientRequestToken");
		if (tok != NULL && json_str(old, "token") != NULL &&
		    strcmp(tok, sq_s(old, "token")) == 0) {
			eks_reply_cluster(e, old);
			return;
		}
		xasprintf(&msg, "Cluster already exists with name: %s", name);
		eks_in_use(e, name, NULL, msg);
		free(msg);
		return;
	}
	if (eks_check_cluster(e, name, &subnets, &sgs, &vpc) != 0) {
		cJSON_Delete(subnets);
		cJSON_Delete(sgs);
		return;
	}
	if (cJSON_GetArraySize(eks_array(e->st, "clusters")) >=
	    EKS_MAX_CLUSTERS) {
		cJSON_Delete(subnets);
		cJSON_Delete(sgs);
		sim_aws_error(e->call, 400, "ResourceLimitExceededException",
		    "Cannot create cluster '%s' because the region already has "
		    "the maximum number of clusters (%d)", name,
		    EKS_MAX_CLUSTERS);
		return;
	}
	c = eks_new_cluster(e, name, subnets, sgs, vpc);
	cJSON_AddStringToObject(c, "serviceCidr", eks_service_cidr(e, e->body,
	    eks_vpc_cidr(e, vpc)));
	eks_start(e, c);
	cJSON_AddItemToArray(eks_array(e->st, "clusters"), c);
	eks_reply_cluster(e, c);
}

/* DescribeCluster. */
static void
eks_describe_cluster(struct eks *e)
{
	cJSON	*c = eks_cluster_arg(e);

	if (c != NULL)
		eks_reply_cluster(e, c);
}

/* Begin deleting a record (DELETING, gone after the delay). */
static void
eks_begin_delete(struct eks *e, cJSON *rec)
{
	eks_set_str(rec, "status", "DELETING");
	if (!cJSON_HasObjectItem(rec, "_deleteAtMs"))
		cJSON_AddNumberToObject(rec, "_deleteAtMs", (double)(e->now +
		    eks_delay(e->sim, e->st, 0)));
}

/* DeleteCluster. */
static void
eks_delete_cluster(struct eks *e)
{
	cJSON	*c = eks_cluster_arg(e);

	if (c == NULL)
		return;
	if (eks_nodegroup(e->st, e->seg[1], NULL) != NULL) {
		eks_in_use(e, e->seg[1], NULL, "Cluster has nodegroups "
		    "attached");
		return;
	}
	eks_begin_delete(e, c);
	eks_reply_cluster(e, c);
	eks_tick(e->sim, e->st, e->now);
}

/* maxResults and nextToken of a list; -1 answered. */
static int
eks_paging(struct eks *e, long *max, long *off)
{
	const char	*tok = sim_aws_param(&e->q, "nextToken");

	if (sq_int(&e->q, "maxResults", 100, 1, 100, max) != 0) {
		sim_aws_error(e->call, 400, "InvalidParameterException",
		    "maxResults must be between 1 and 100");
		return -1;
	}
	*off = 0;
	if (tok != NULL && (*off = sq_untoken(tok)) < 0) {
		sim_aws_error(e->call, 400, "InvalidParameterException",
		    "The nextToken is not valid");
		return -1;
	}
	return 0;
}

/* Answer {key: [names], nextToken} for names[off..off+max). */
static void
eks_reply_names(struct eks *e, const char *key, const struct sq_strv *names,
    long max, long off)
{
	cJSON	*body, *arr;
	size_t	 i;
	char	*tok;

	body = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(body, key);
	for (i = (size_t)off; i < names->n && i < (size_t)(off + max); i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(names->v[i]));
	if (names->n > (size_t)(off + max)) {
		tok = sq_token((size_t)(off + max));
		cJSON_AddStringToObject(body, "nextToken", tok);
		free(tok);
	}
	sim_aws_reply_json(e->call, 200, body);
}

/* ListClusters. */
static void
eks_list_clusters(struct eks *e)
{
	struct sq_strv	 names = { NULL, 0 };
	cJSON		*c;
	long		 max, off;

	if (eks_paging(e, &max, &off) != 0)
		return;
	cJSON_ArrayForEach(c, eks_array(e->st, "clusters"))
		sq_strv_add(&names, sq_s(c, "name"));
	eks_reply_names(e, "clusters", &names, max, off);
	sq_strv_free(&names);
}

/* Check and normalize scalingConfig; -1 answered. */
static int
eks_scaling(struct eks *e, cJSON *ng)
{
	const cJSON	*sc;
	cJSON		*out;
	double		 min, max, want;

	sc = cJSON_GetObjectItemCaseSensitive(e->body, "scalingConfig");
	min = json_num(sc, "minSize", 1);
	max = json_num(sc, "maxSize", 2);
	want = json_num(sc, "desiredSize", min > 2 ? min : 2);
	if (min < 0 || max < 1 || want < min || want > max || max > 1000) {
		sim_aws_error(e->call, 400, "InvalidParameterException",
		    "Requested scalingConfig must satisfy 0 <= minSize <= "
		    "desiredSize <= maxSize, 1 <= maxSize <= 1000");
		return -1;
	}
	out = cJSON_AddObjectToObject(ng, "scalingConfig");
	cJSON_AddNumberToObject(out, "minSize", min);
	cJSON_AddNumberToObject(out, "maxSize", max);
	cJSON_AddNumberToObject(out, "desiredSize", want);
	return 0;
}

/* Copy the optional members of CreateNodegroup with their defaults. */
static void
eks_ng_defaults(struct eks *e, cJSON *ng, const cJSON *c)
{
	const char	*s;
	cJSON		*types, *asg, *arr;
	char		 uuid[37], *name;

	if (eks_str_array(e->body, "instanceTypes", &types) != 0 ||
	    cJSON_GetArraySize(types) == 0) {
		cJSON_Delete(types);
		types = cJSON_CreateStringArray((const char *[]){
		    "t3.medium" }, 1);
	}
	cJSON_AddItemToObject(ng, "instanceTypes", types);
	s = json_str(e->body, "amiType");
	cJSON_AddStringToObject(ng, "amiType", s != NULL ? s :
	    "AL2023_x86_64_STANDARD");
	s = json_str(e->body, "capacityType");
	cJSON_AddStringToObject(ng, "capacityType", s != NULL ? s :
	    "ON_DEMAND");
	cJSON_AddNumberToObject(ng, "diskSize", json_num(e->body, "diskSize",
	    20));
	cJSON_AddStringToObject(ng, "version", sq_s(c, "version"));
	xasprintf(&name, "%s.0-20251101", sq_s(c, "version"));
	cJSON_AddStringToObject(ng, "releaseVersion", name);
	free(name);
	cJSON_AddItemToObject(ng, "labels", eks_obj_copy(e->body, "labels"));
	cJSON_AddItemToObject(ng, "tags", eks_obj_copy(e->body, "tags"));
	arr = cJSON_GetObjectItemCaseSensitive(e->body, "taints");
	cJSON_AddItemToObject(ng, "taints", cJSON_IsArray(arr) ?
	    cJSON_Duplicate(arr, 1) : cJSON_CreateArray());
	rand_uuid4(uuid);
	asg = cJSON_CreateObject();
	xasprintf(&name, "eks-%s-%s", sq_s(ng, "nodegroupName"), uuid);
	cJSON_AddStringToObject(asg, "name", name);
	free(name);
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(ng, "resources"),
	    "autoScalingGroups");
	cJSON_AddItemToArray(arr, asg);
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(ng, "updateConfig"),
	    "maxUnavailable", 1);
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(ng, "health"),
	    "issues");
}

/* The node group request's checks; -1 answered. */
static int
eks_check_ng(struct eks *e, const cJSON *c, const char *name,
    cJSON **subnets)
{
	const char	*role = json_str(e->body, "nodeRole");

	*subnets = NULL;
	if (strcmp(sq_s(c, "status"), "ACTIVE") != 0) {
		sim_aws_error(e->call, 400, "InvalidRequestException",
		    "Cluster '%s' is not in ACTIVE status", sq_s(c, "name"));
		return -1;
	}
	if (!eks_name_ok(name, 63))
		return eks_invalid(e, "The node group name '%.63s' must start "
		    "with an alphanumeric character and contain only "
		    "alphanumerics, '-' and '_' (1 to 63).", name);
	if (role == NULL || sim_iam_role_by_arn(e->sim, role) == NULL)
		return eks_invalid(e, "The nodeRole '%.200s' does not exist",
		    role);
	if (eks_str_array(e->body, "subnets", subnets) != 0 ||
	    cJSON_GetArraySize(*subnets) == 0) {
		sim_aws_error(e->call, 400, "InvalidParameterException",
		    "subnets must be a non-empty list of subnet ids");
		return -1;
	}
	if (eks_subnets_vpc(e, *subnets, 0) == NULL)
		return -1;
	return 0;
}

/* The Nodegroup shape of a record. */
static cJSON *
eks_ng_json(const cJSON *ng)
{
	cJSON	*out, *item;

	out = cJSON_CreateObject();
	cJSON_ArrayForEach(item, ng) {
		if (item->string[0] != '_' && strcmp(item->string, "createdMs")
		    != 0 && strcmp(item->string, "modifiedMs") != 0)
			cJSON_AddItemToObject(out, item->string,
			    cJSON_Duplicate(item, 1));
	}
	cJSON_AddNumberToObject(out, "createdAt",
	    json_num(ng, "createdMs", 0) / 1000.0);
	cJSON_AddNumberToObject(out, "modifiedAt",
	    json_num(ng, "modifiedMs", 0) / 1000.0);
	return out;
}

/* Answer {"nodegroup": ...}. */
static void
eks_reply_ng(struct eks *e, const cJSON *ng)
{
	cJSON	*body = cJSON_CreateObject();

	cJSON_AddItemToObject(body, "nodegroup", eks_ng_json(ng));
	sim_aws_reply_json(e->call, 200, body);
}

/* CreateNodegroup. */
static void
eks_create_ng(struct eks *e)
{
	const char	*name = json_str(e->body, "nodegroupName");
	cJSON		*c, *ng, *subnets;
	char		*s, uuid[37];

	if ((c = eks_cluster_arg(e)) == NULL)
		return;
	if (name != NULL && eks_nodegroup(e->st, e->seg[1], name) != NULL) {
		xasprintf(&s, "NodeGroup already exists with name %s and "
		    "cluster name %s", name, e->seg[1]);
		eks_in_use(e, e->seg[1], name, s);
		free(s);
		return;
	}
	if (eks_check_ng(e, c, name, &subnets) != 0) {
		cJSON_Delete(subnets);
		return;
	}
	ng = cJSON_CreateObject();
	cJSON_AddStringToObject(ng, "nodegroupName", name);
	cJSON_AddStringToObject(ng, "clusterName", e->seg[1]);
	rand_uuid4(uuid);
	xasprintf(&s, "arn:aws:eks:%s:%s:nodegroup/%s/%s/%s",
	    sim_aws_region(e->sim), sim_aws_account(e->sim), e->seg[1], name,
	    uuid);
	cJSON_AddStringToObject(ng, "nodegroupArn", s);
	free(s);
	cJSON_AddNumberToObject(ng, "createdMs", (double)e->now);
	cJSON_AddNumberToObject(ng, "modifiedMs", (double)e->now);
	cJSON_AddItemToObject(ng, "subnets", subnets);
	cJSON_AddStringToObject(ng, "nodeRole", json_str(e->body, "nodeRole"));
	if (eks_scaling(e, ng) != 0) {
		cJSON_Delete(ng);
		return;
	}
	eks_ng_defaults(e, ng, c);
	eks_start(e, ng);
	cJSON_AddItemToArray(eks_array(e->st, "nodegroups"), ng);
	eks_reply_ng(e, ng);
}

/* The node group named by the path; NULL answered. */
static cJSON *
eks_ng_arg(struct eks *e)
{
	cJSON	*ng;

	if (eks_cluster_arg(e) == NULL)
		return NULL;
	if ((ng = eks_nodegroup(e->st, e->seg[1], e->seg[3])) == NULL)
		eks_not_found(e, e->seg[1], e->seg[3]);
	return ng;
}

/* DescribeNodegroup. */
static void
eks_describe_ng(struct eks *e)
{
	cJSON	*ng = eks_ng_arg(e);

	if (ng != NULL)
		eks_reply_ng(e, ng);
}

/* DeleteNodegroup. */
static void
eks_delete_ng(struct eks *e)
{
	cJSON	*ng = eks_ng_arg(e);

	if (ng == NULL)
		return;
	eks_begin_delete(e, ng);
	cJSON_ReplaceItemInObjectCaseSensitive(ng, "modifiedMs",
	    cJSON_CreateNumber((double)e->now));
	eks_reply_ng(e, ng);
	eks_tick(e->sim, e->st, e->now);
}

/* ListNodegroups. */
static void
eks_list_ng(struct eks *e)
{
	struct sq_strv	 names = { NULL, 0 };
	cJSON		*ng;
	long		 max, off;

	if (eks_cluster_arg(e) == NULL || eks_paging(e, &max, &off) != 0)
		return;
	cJSON_ArrayForEach(ng, eks_array(e->st, "nodegroups")) {
		if (strcmp(sq_s(ng, "clusterName"), e->seg[1]) == 0)
			sq_strv_add(&names, sq_s(ng, "nodegroupName"));
	}
	eks_reply_names(e, "nodegroups", &names, max, off);
	sq_strv_free(&names);
}

/* Split the decoded path into segments; -1 when too many. */
static int
eks_split(struct eks *e, const char *path)
{
	const char	*p = path, *end;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		end = p + strcspn(p, "/");
		if (e->nseg == EKS_MAX_SEGS)
			return -1;
		e->seg[e->nseg++] = xstrndup(p, (size_t)(end - p));
		p = *end == '/' ? end + 1 : end;
	}
	return 0;
}

/* Route the request by method and path; NULL when no route. */
static eks_fn
eks_route(struct eks *e)
{
	const char	*m = e->call->req->method;
	int		 get = strcmp(m, "GET") == 0, post = strcmp(m,
	    "POST") == 0;
	int		 del = strcmp(m, "DELETE") == 0;

	if (e->nseg == 0 || strcmp(e->seg[0], "clusters") != 0)
		return NULL;
	if (e->nseg == 1)
		return post ? eks_create_cluster : get ? eks_list_clusters :
		    NULL;
	if (e->nseg == 2)
		return get ? eks_describe_cluster : del ? eks_delete_cluster :
		    NULL;
	if (strcmp(e->seg[2], "node-groups") != 0)
		return NULL;
	if (e->nseg == 3)
		return post ? eks_create_ng : get ? eks_list_ng : NULL;
	if (e->nseg == 4)
		return get ? eks_describe_ng : del ? eks_delete_ng : NULL;
	return NULL;
}

/* Parse the JSON body of a POST; -1 answered. */
static int
eks_body(struct eks *e)
{
	const struct httpd_request	*req = e->call->req;
	char				*cause = NULL;

	if (strcmp(req->method, "POST") != 0)
		return 0;
	if (req->body != NULL && req->body_len > 0)
		e->body = json_parse(req->body, req->body_len, "body", &cause);
	else
		e->body = cJSON_CreateObject();
	free(cause);
	if (e->body == NULL || !cJSON_IsObject(e->body)) {
		sim_aws_error(e->call, 400, "InvalidParameterException",
		    "The request body is not a JSON object");
		return -1;
	}
	return 0;
}

/* Serve one EKS request. */
static void
eks_handle(struct sim_aws_call *call)
{
	struct eks	 e;
	eks_fn		 fn = NULL;
	size_t		 i;

	memset(&e, 0, sizeof e);
	e.call = call;
	e.sim = call->sim;
	e.st = sim_aws_state(call->sim, "eks");
	e.now = sim_aws_now_ms(call->sim);
	sim_aws_params_parse(&e.q, call->req->query, strlen(call->req->query));
	eks_tick(e.sim, e.st, e.now);
	if (eks_split(&e, call->req->path) == 0)
		fn = eks_route(&e);
	if (fn == NULL)
		sim_aws_unknown_op(call, call->req->path);
	else if (eks_body(&e) == 0)
		fn(&e);
	for (i = 0; i < e.nseg; i++)
		free(e.seg[i]);
	cJSON_Delete(e.body);
	sim_aws_params_free(&e.q);
}

/* Names of the ACTIVE clusters (lock held). */
void
sim_eks_cluster_names(struct sim_aws *sim, struct sq_strv *out)
{
	cJSON	*st = sim_aws_state(sim, "eks"), *c;

	eks_tick(sim, st, sim_aws_now_ms(sim));
	cJSON_ArrayForEach(c, eks_array(st, "clusters")) {
		if (strcmp(sq_s(c, "status"), "ACTIVE") == 0)
			sq_strv_add(out, sq_s(c, "name"));
	}
}

/* Point ACTIVE clusters at the simulated Kubernetes API. */
void
sim_aws_eks_set_kube(struct sim_aws *sim, const char *endpoint_url,
    const char *ca_pem)
{
	cJSON	*st, *k;

	sq_lock(sim);
	st = sim_aws_state(sim, "eks");
	cJSON_DeleteItemFromObjectCaseSensitive(st, "_kube");
	k = cJSON_AddObjectToObject(st, "_kube");
	json_add_str_opt(k, "endpoint", endpoint_url);
	json_add_str_opt(k, "ca", ca_pem);
	sq_unlock(sim);
}

/* Set the EKS transition delays. */
void
sim_aws_eks_set_delays(struct sim_aws *sim, unsigned create_ms,
    unsigned delete_ms)
{
	cJSON	*st, *d;

	sq_lock(sim);
	st = sim_aws_state(sim, "eks");
	cJSON_DeleteItemFromObjectCaseSensitive(st, "_delays");
	d = cJSON_AddObjectToObject(st, "_delays");
	cJSON_AddNumberToObject(d, "create", create_ms);
	cJSON_AddNumberToObject(d, "delete", delete_ms);
	sq_unlock(sim);
}
