/* EKS client tests against the canned transport: method, path, query and
 * JSON body sent, typed results, nextToken pages, rest-json errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/eks.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#define ROLE_ARN "arn:aws:iam::123456789012:role/eksctl-c1-cluster-ServiceRole"
#define NODE_ROLE "arn:aws:iam::123456789012:role/eksctl-c1-nodegroup-NodeRole"
#define ISSUER "https://oidc.eks.us-west-2.amazonaws.com/id/" \
	"EXAMPLED539D4633E53DE1B71EXAMPLE"

/* Operations the tests below exercised (checked at the end). */
static struct test_ops eks_ops = { .svc = "eks", .names = {
	"CreateCluster", "DescribeCluster", "DeleteCluster", "ListClusters",
	"CreateNodegroup", "DescribeNodegroup", "DeleteNodegroup",
	"ListNodegroups", NULL
} };

static const char cluster_json[] =
    "{\"cluster\":{\"name\":\"c1\",\"arn\":\"arn:aws:eks:us-west-2:"
    "123456789012:cluster/c1\",\"createdAt\":1795846884.011,\"version\":"
    "\"1.31\",\"endpoint\":\"https://ABCDEF0123456789.gr7.us-west-2.eks."
    "amazonaws.com\",\"roleArn\":\"" ROLE_ARN "\",\"resourcesVpcConfig\":{"
    "\"subnetIds\":[\"subnet-0aa\",\"subnet-0bb\",\"subnet-0cc\"],"
    "\"securityGroupIds\":[\"sg-0cp\"],\"clusterSecurityGroupId\":"
    "\"sg-0123456789abcdef0\",\"vpcId\":\"vpc-0a1b2c3d4e5f60718\","
    "\"endpointPublicAccess\":true,\"endpointPrivateAccess\":false,"
    "\"publicAccessCidrs\":[\"0.0.0.0/0\"]},\"kubernetesNetworkConfig\":{"
    "\"serviceIpv4Cidr\":\"10.100.0.0/16\",\"ipFamily\":\"ipv4\"},"
    "\"logging\":{\"clusterLogging\":[{\"types\":[\"api\",\"audit\"],"
    "\"enabled\":true}]},\"identity\":{\"oidc\":{\"issuer\":\"" ISSUER
    "\"}},\"status\":\"ACTIVE\",\"certificateAuthority\":{\"data\":"
    "\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\"},\"platformVersion\":"
    "\"eks.8\",\"tags\":{\"alpha.eksctl.io/cluster-name\":\"c1\"},"
    "\"health\":{\"issues\":[]},\"accessConfig\":{\"authenticationMode\":"
    "\"API_AND_CONFIG_MAP\"}}}";

static const char nodegroup_json[] =
    "{\"nodegroup\":{\"nodegroupName\":\"nodegroup\",\"nodegroupArn\":"
    "\"arn:aws:eks:us-west-2:123456789012:nodegroup/c1/nodegroup/"
    "0ac1f2e3-aaaa-bbbb-cccc-0123456789ab\",\"clusterName\":\"c1\","
    "\"version\":\"1.31\",\"releaseVersion\":\"1.31.2-20241121\","
    "\"createdAt\":1795847000,\"modifiedAt\":1795847100,\"status\":"
    "\"DEGRADED\",\"capacityType\":\"ON_DEMAND\",\"scalingConfig\":{"
    "\"minSize\":3,\"maxSize\":3,\"desiredSize\":3},\"instanceTypes\":["
    "\"m5.xlarge\"],\"subnets\":[\"subnet-0p1\",\"subnet-0p2\","
    "\"subnet-0p3\"],\"amiType\":\"AL2023_x86_64_STANDARD\",\"nodeRole\":\""
    NODE_ROLE "\",\"labels\":{\"nodegroup-type\":"
    "\"managed-backend-workloads\"},\"resources\":{\"autoScalingGroups\":"
    "[{\"name\":\"eks-nodegroup-0ac1\"}]},\"diskSize\":20,\"health\":{"
    "\"issues\":[{\"code\":\"AsgInstanceLaunchFailures\",\"message\":"
    "\"Could not launch On-Demand Instances.\",\"resourceIds\":["
    "\"eks-nodegroup-0ac1\"]}]},\"tags\":{\"nodegroup-role\":"
    "\"workshop\"}}}";

/* Assert request i's method and path (with query); note op as covered. */
static void
check_req(struct canned *c, size_t i, const char *method, const char *path,
    const char *op)
{
	assert_true(i < c->n_req);
	assert_string_equal(c->req[i].method, method);
	assert_string_equal(canned_path(&c->req[i]), path);
	assert_non_null(strstr(http_headers_get(&c->req[i].headers,
	    "Authorization"), "/us-west-2/eks/aws4_request"));
	test_ops_seen(&eks_ops, op);
}

/* The recorded body of request i as JSON (caller deletes). */
static cJSON *
req_json(struct canned *c, size_t i)
{
	cJSON	*j;
	char	*cause = NULL;

	j = json_parse(c->req[i].body, strlen(c->req[i].body), "body", &cause);
	if (j == NULL)
		fail_msg("request body: %s", cause);
	return j;
}

/* Is s a lowercase UUID v4 (8-4-4-4-12, version 4, variant 8..b)? */
static int
is_uuid4(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

/* Compare a JSON string array with expected values. */
static void
check_strs(const cJSON *arr, const char *const *want, size_t n)
{
	size_t	i;

	assert_true(cJSON_IsArray(arr));
	assert_int_equal(cJSON_GetArraySize(arr), n);
	for (i = 0; i < n; i++)
		assert_string_equal(
		    cJSON_GetArrayItem(arr, (int)i)->valuestring, want[i]);
}

/* CreateCluster: the eksctl ClusterConfig fields, a fresh UUID token. */
static void
test_create_cluster(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct aws_tags		 tags = { 0 };
	struct eks_cluster	 cl = { 0 };
	struct eks_cluster_input in = { 0 };
	const char		*subnets[] = { "subnet-0a1", "subnet-0a2",
				    "subnet-0p1", "subnet-0p2" };
	const char		*logs[] = { "api", "audit", "authenticator",
				    "controllerManager", "scheduler" };
	cJSON			*b1, *b2;
	const char		*t1, *t2;

	aws_tags_set(&tags, "alpha.eksctl.io/cluster-name", "c1");
	in.name = "c1";
	in.role_arn = ROLE_ARN;
	in.version = "1.31";
	in.subnet_ids = subnets;
	in.n_subnet_ids = 4;
	in.endpoint_public_access = 1;
	in.endpoint_private_access = -1;
	in.service_ipv4_cidr = "10.100.0.0/16";
	in.log_types = logs;
	in.n_log_types = 5;
	in.tags = &tags;
	canned_push(&c, 200, cluster_json, NULL, NULL);
	canned_push(&c, 200, cluster_json, NULL, NULL);
	assert_int_equal(eks_create_cluster(aws, &in, &cl, &err), 0);
	check_req(&c, 0, "POST", "/clusters", "CreateCluster");
	assert_string_equal(cl.name, "c1");
	assert_string_equal(cl.status, "ACTIVE");
	eks_cluster_clear(&cl);
	b1 = req_json(&c, 0);
	assert_string_equal(json_str(b1, "name"), "c1");
	assert_string_equal(json_str(b1, "version"), "1.31");
	assert_string_equal(json_str(b1, "roleArn"), ROLE_ARN);
	check_strs(json_path(b1, "resourcesVpcConfig.subnetIds"), subnets, 4);
	assert_null(json_path(b1, "resourcesVpcConfig.securityGroupIds"));
	assert_true(cJSON_IsTrue(json_path(b1,
	    "resourcesVpcConfig.endpointPublicAccess")));
	assert_null(json_path(b1, "resourcesVpcConfig.endpointPrivateAccess"));
	assert_string_equal(json_path_str(b1,
	    "kubernetesNetworkConfig.serviceIpv4Cidr"), "10.100.0.0/16");
	check_strs(json_path(cJSON_GetArrayItem(json_path(b1,
	    "logging.clusterLogging"), 0), "types"), logs, 5);
	assert_true(cJSON_IsTrue(json_path(cJSON_GetArrayItem(json_path(b1,
	    "logging.clusterLogging"), 0), "enabled")));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(json_path(b1,
	    "tags"), "alpha.eksctl.io/cluster-name")->valuestring, "c1");
	t1 = json_str(b1, "clientRequestToken");
	assert_true(is_uuid4(t1));
	/* A second create gets a different token; a given one is kept. */
	assert_int_equal(eks_create_cluster(aws, &in, NULL, &err), 0);
	b2 = req_json(&c, 1);
	t2 = json_str(b2, "clientRequestToken");
	assert_true(is_uuid4(t2));
	assert_string_not_equal(t1, t2);
	cJSON_Delete(b2);
	in.client_request_token = "11111111-2222-4333-8444-555555555555";
	b2 = eks_cluster_input_json(&in, in.client_request_token);
	assert_string_equal(json_str(b2, "clientRequestToken"),
	    "11111111-2222-4333-8444-555555555555");
	cJSON_Delete(b2);
	cJSON_Delete(b1);
	aws_tags_free(&tags);
	aws_free(aws);
	canned_free(&c);
}

/* DescribeCluster: every typed field, epoch-second createdAt. */
static void
test_describe_cluster(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_cluster	 cl = { 0 };

	canned_push(&c, 200, cluster_json, NULL, NULL);
	assert_int_equal(eks_describe_cluster(aws, "c1", &cl, &err), 0);
	check_req(&c, 0, "GET", "/clusters/c1", "DescribeCluster");
	assert_string_equal(c.req[0].body, "");
	assert_string_equal(cl.arn, "arn:aws:eks:us-west-2:123456789012:"
	    "cluster/c1");
	assert_string_equal(cl.version, "1.31");
	assert_string_equal(cl.endpoint,
	    "https://ABCDEF0123456789.gr7.us-west-2.eks.amazonaws.com");
	assert_string_equal(cl.role_arn, ROLE_ARN);
	assert_string_equal(cl.ca_data, "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t");
	assert_string_equal(cl.oidc_issuer, ISSUER);
	assert_string_equal(cl.platform_version, "eks.8");
	assert_string_equal(cl.service_ipv4_cidr, "10.100.0.0/16");
	assert_int_equal(cl.vpc.n_subnet_ids, 3);
	assert_string_equal(cl.vpc.subnet_ids[2], "subnet-0cc");
	assert_int_equal(cl.vpc.n_security_group_ids, 1);
	assert_string_equal(cl.vpc.security_group_ids[0], "sg-0cp");
	assert_string_equal(cl.vpc.cluster_security_group_id,
	    "sg-0123456789abcdef0");
	assert_string_equal(cl.vpc.vpc_id, "vpc-0a1b2c3d4e5f60718");
	assert_true(cl.vpc.endpoint_public_access);
	assert_false(cl.vpc.endpoint_private_access);
	assert_int_equal(cl.created_at.tv_sec, 1795846884);
	assert_true(cl.created_at.tv_nsec > 10000000 &&
	    cl.created_at.tv_nsec < 12000000);
	assert_string_equal(aws_tags_get(&cl.tags,
	    "alpha.eksctl.io/cluster-name"), "c1");
	eks_cluster_clear(&cl);
	aws_free(aws);
	canned_free(&c);
}

/* A missing cluster: 404 ResourceNotFoundException, not retried. */
static void
test_describe_cluster_missing(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_cluster	 cl = { 0 };

	canned_push(&c, 404, "{\"message\":\"No cluster found for name: "
	    "nope.\"}", "x-amzn-ErrorType",
	    "ResourceNotFoundException:http://internal.amazon.com/coral/"
	    "com.amazon.eks.v20171101/");
	assert_int_equal(eks_describe_cluster(aws, "nope", &cl, &err), -1);
	assert_int_equal(c.n_req, 1);
	assert_string_equal(err.code, "ResourceNotFoundException");
	assert_string_equal(err.message, "No cluster found for name: nope.");
	assert_int_equal(err.status, 404);
	assert_string_equal(err.op, "eks:DescribeCluster");
	assert_null(cl.name);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* DeleteCluster returns the DELETING cluster; in-use is an error. */
static void
test_delete_cluster(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_cluster	 cl = { 0 };

	canned_push(&c, 200, "{\"cluster\":{\"name\":\"c1\",\"status\":"
	    "\"DELETING\",\"createdAt\":1795846884}}", NULL, NULL);
	canned_push(&c, 409, "{\"message\":\"Cluster has nodegroups attached\","
	    "\"clusterName\":\"c1\"}", "x-amzn-ErrorType",
	    "ResourceInUseException");
	assert_int_equal(eks_delete_cluster(aws, "c1", &cl, &err), 0);
	check_req(&c, 0, "DELETE", "/clusters/c1", "DeleteCluster");
	assert_string_equal(cl.status, "DELETING");
	eks_cluster_clear(&cl);
	assert_int_equal(eks_delete_cluster(aws, "c1", NULL, &err), -1);
	assert_string_equal(err.code, "ResourceInUseException");
	assert_int_equal(err.status, 409);
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* ListClusters: maxResults and nextToken over two pages. */
static void
test_list_clusters(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_names	 names = { 0 };

	canned_push(&c, 200, "{\"clusters\":[\"c1\"],\"nextToken\":"
	    "\"tok/2==\"}", NULL, NULL);
	canned_push(&c, 200, "{\"clusters\":[\"c2\",\"gw-api-controller-demo\"]"
	    ",\"nextToken\":null}", NULL, NULL);
	assert_int_equal(eks_list_clusters(aws, 1, &names, &err), 0);
	assert_int_equal(c.n_req, 2);
	check_req(&c, 0, "GET", "/clusters?maxResults=1", "ListClusters");
	check_req(&c, 1, "GET",
	    "/clusters?maxResults=1&nextToken=tok%2F2%3D%3D", "ListClusters");
	assert_int_equal(names.n, 3);
	assert_string_equal(names.v[0], "c1");
	assert_string_equal(names.v[2], "gw-api-controller-demo");
	eks_names_free(&names);
	aws_free(aws);
	canned_free(&c);
}

/* CreateNodegroup: the managedNodeGroups entry as a request body. */
static void
test_create_nodegroup(void **state)
{
	struct canned			 c = { 0 };
	struct aws			*aws = canned_aws(&c);
	struct aws_error		 err = { 0 };
	struct aws_tags			 labels = { 0 }, tags = { 0 };
	struct eks_nodegroup		 ng = { 0 };
	struct eks_nodegroup_input	 in = { 0 };
	const char			*subnets[] = { "subnet-0p1",
					    "subnet-0p2", "subnet-0p3" };
	const char			*types[] = { "m5.xlarge" };
	cJSON				*b;

	aws_tags_set(&labels, "nodegroup-type", "managed-backend-workloads");
	aws_tags_set(&tags, "nodegroup-role", "workshop");
	in.cluster_name = "c1";
	in.name = "nodegroup";
	in.node_role = NODE_ROLE;
	in.subnets = subnets;
	in.n_subnets = 3;
	in.instance_types = types;
	in.n_instance_types = 1;
	in.ami_type = "AL2023_x86_64_STANDARD";
	in.capacity_type = "ON_DEMAND";
	in.min_size = in.max_size = in.desired_size = 3;
	in.disk_size = 20;
	in.labels = &labels;
	in.tags = &tags;
	canned_push(&c, 200, nodegroup_json, NULL, NULL);
	assert_int_equal(eks_create_nodegroup(aws, &in, &ng, &err), 0);
	check_req(&c, 0, "POST", "/clusters/c1/node-groups", "CreateNodegroup");
	b = req_json(&c, 0);
	assert_string_equal(json_str(b, "nodegroupName"), "nodegroup");
	assert_null(cJSON_GetObjectItemCaseSensitive(b, "clusterName"));
	assert_int_equal(json_num(json_path(b, "scalingConfig"), "minSize", 0),
	    3);
	assert_int_equal(json_num(json_path(b, "scalingConfig"), "maxSize", 0),
	    3);
	assert_int_equal(json_num(json_path(b, "scalingConfig"),
	    "desiredSize", 0), 3);
	assert_int_equal(json_num(b, "diskSize", 0), 20);
	check_strs(json_path(b, "subnets"), subnets, 3);
	check_strs(json_path(b, "instanceTypes"), types, 1);
	assert_string_equal(json_str(b, "amiType"), "AL2023_x86_64_STANDARD");
	assert_string_equal(json_str(b, "capacityType"), "ON_DEMAND");
	assert_string_equal(json_str(b, "nodeRole"), NODE_ROLE);
	assert_string_equal(json_path_str(b, "labels.nodegroup-type"),
	    "managed-backend-workloads");
	assert_string_equal(json_path_str(b, "tags.nodegroup-role"),
	    "workshop");
	assert_true(is_uuid4(json_str(b, "clientRequestToken")));
	assert_null(cJSON_GetObjectItemCaseSensitive(b, "version"));
	cJSON_Delete(b);
	assert_string_equal(ng.name, "nodegroup");
	assert_string_equal(ng.cluster_name, "c1");
	eks_nodegroup_clear(&ng);
	aws_tags_free(&labels);
	aws_tags_free(&tags);
	aws_free(aws);
	canned_free(&c);
}

/* DescribeNodegroup: typed fields and health issues. */
static void
test_describe_nodegroup(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_nodegroup	 ng = { 0 };

	canned_push(&c, 200, nodegroup_json, NULL, NULL);
	assert_int_equal(eks_describe_nodegroup(aws, "c1", "nodegroup", &ng,
	    &err), 0);
	check_req(&c, 0, "GET", "/clusters/c1/node-groups/nodegroup",
	    "DescribeNodegroup");
	assert_string_equal(ng.arn, "arn:aws:eks:us-west-2:123456789012:"
	    "nodegroup/c1/nodegroup/0ac1f2e3-aaaa-bbbb-cccc-0123456789ab");
	assert_string_equal(ng.status, "DEGRADED");
	assert_string_equal(ng.node_role, NODE_ROLE);
	assert_string_equal(ng.ami_type, "AL2023_x86_64_STANDARD");
	assert_string_equal(ng.capacity_type, "ON_DEMAND");
	assert_string_equal(ng.version, "1.31");
	assert_string_equal(ng.release_version, "1.31.2-20241121");
	assert_int_equal(ng.n_subnets, 3);
	assert_string_equal(ng.subnets[1], "subnet-0p2");
	assert_int_equal(ng.n_instance_types, 1);
	assert_string_equal(ng.instance_types[0], "m5.xlarge");
	assert_int_equal(ng.min_size, 3);
	assert_int_equal(ng.max_size, 3);
	assert_int_equal(ng.desired_size, 3);
	assert_int_equal(ng.disk_size, 20);
	assert_int_equal(ng.created_at.tv_sec, 1795847000);
	assert_int_equal(ng.n_issues, 1);
	assert_string_equal(ng.issues[0].code, "AsgInstanceLaunchFailures");
	assert_string_equal(ng.issues[0].message,
	    "Could not launch On-Demand Instances.");
	assert_int_equal(ng.issues[0].n_resource_ids, 1);
	assert_string_equal(ng.issues[0].resource_ids[0], "eks-nodegroup-0ac1");
	assert_string_equal(aws_tags_get(&ng.labels, "nodegroup-type"),
	    "managed-backend-workloads");
	assert_string_equal(aws_tags_get(&ng.tags, "nodegroup-role"),
	    "workshop");
	eks_nodegroup_clear(&ng);
	aws_free(aws);
	canned_free(&c);
}

/* DeleteNodegroup with an escaped name; a missing one is a 404. */
static void
test_delete_nodegroup(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_nodegroup	 ng = { 0 };

	canned_push(&c, 200, "{\"nodegroup\":{\"nodegroupName\":\"ng:1\","
	    "\"status\":\"DELETING\"}}", NULL, NULL);
	canned_push(&c, 404, "{\"message\":\"No node group found for name: "
	    "nodegroup.\",\"clusterName\":\"c1\",\"nodegroupName\":"
	    "\"nodegroup\"}", "X-Amzn-ErrorType", "ResourceNotFoundException");
	assert_int_equal(eks_delete_nodegroup(aws, "c1", "ng:1", &ng, &err),
	    0);
	check_req(&c, 0, "DELETE", "/clusters/c1/node-groups/ng%3A1",
	    "DeleteNodegroup");
	assert_string_equal(ng.status, "DELETING");
	eks_nodegroup_clear(&ng);
	assert_int_equal(eks_delete_nodegroup(aws, "c1", "nodegroup", NULL,
	    &err), -1);
	assert_string_equal(err.code, "ResourceNotFoundException");
	aws_error_clear(&err);
	aws_free(aws);
	canned_free(&c);
}

/* ListNodegroups: two pages; a repeated token stops with an error. */
static void
test_list_nodegroups(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_names	 names = { 0 };

	canned_push(&c, 200, "{\"nodegroups\":[\"ng-a\"],\"nextToken\":\"n2\"}",
	    NULL, NULL);
	canned_push(&c, 200, "{\"nodegroups\":[\"ng-b\"]}", NULL, NULL);
	assert_int_equal(eks_list_nodegroups(aws, "c1", 0, &names, &err), 0);
	check_req(&c, 0, "GET", "/clusters/c1/node-groups", "ListNodegroups");
	check_req(&c, 1, "GET", "/clusters/c1/node-groups?nextToken=n2",
	    "ListNodegroups");
	assert_int_equal(names.n, 2);
	assert_string_equal(names.v[0], "ng-a");
	assert_string_equal(names.v[1], "ng-b");
	eks_names_free(&names);
	canned_push(&c, 200, "{\"nodegroups\":[],\"nextToken\":\"same\"}",
	    NULL, NULL);
	canned_push(&c, 200, "{\"nodegroups\":[],\"nextToken\":\"same\"}",
	    NULL, NULL);
	assert_int_equal(eks_list_nodegroups(aws, "c1", 0, &names, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	assert_int_equal(c.n_req, 4);
	aws_error_clear(&err);
	eks_names_free(&names);
	aws_free(aws);
	canned_free(&c);
}

/* A 200 without the object, and odd member types, are handled. */
static void
test_bad_responses(void **state)
{
	struct canned		 c = { 0 };
	struct aws		*aws = canned_aws(&c);
	struct aws_error	 err = { 0 };
	struct eks_cluster	 cl = { 0 };
	struct eks_nodegroup	 ng = { 0 };
	cJSON			*j;

	canned_push(&c, 200, "{\"clusters\":[]}", NULL, NULL);
	assert_int_equal(eks_describe_cluster(aws, "c1", &cl, &err), -1);
	assert_string_equal(err.code, "InvalidResponse");
	aws_error_clear(&err);
	j = cJSON_Parse("{\"nodegroupName\":7,\"subnets\":[1,\"s\"],"
	    "\"scalingConfig\":\"x\",\"health\":{\"issues\":[1,{}]},"
	    "\"createdAt\":\"2026-11-28T06:22:11Z\"}");
	assert_int_equal(eks_nodegroup_from_json(j, &ng), 0);
	assert_null(ng.name);
	assert_int_equal(ng.n_subnets, 1);
	assert_int_equal(ng.min_size, 0);
	assert_int_equal(ng.n_issues, 1);
	assert_null(ng.issues[0].code);
	assert_true(ng.created_at.tv_sec > 0);
	eks_nodegroup_clear(&ng);
	cJSON_Delete(j);
	assert_int_equal(eks_cluster_from_json(NULL, &cl), -1);
	aws_free(aws);
	canned_free(&c);
}

/* Report how many of the client's operations the tests covered. */
static int
report_coverage(void **state)
{
	return test_ops_report(&eks_ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_cluster),
		cmocka_unit_test(test_describe_cluster),
		cmocka_unit_test(test_describe_cluster_missing),
		cmocka_unit_test(test_delete_cluster),
		cmocka_unit_test(test_list_clusters),
		cmocka_unit_test(test_create_nodegroup),
		cmocka_unit_test(test_describe_nodegroup),
		cmocka_unit_test(test_delete_nodegroup),
		cmocka_unit_test(test_list_nodegroups),
		cmocka_unit_test(test_bad_responses),
	};

	return cmocka_run_group_tests(tests, NULL, report_coverage);
}
