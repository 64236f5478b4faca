/* EKS client against moto_server: the lab's cluster step (cluster and
 * managed nodegroup create/describe/list) and its undo, plus nextToken
 * paging and ResourceNotFoundException. Prints SKIP when moto is missing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/eks.h"
#include "testlib.h"

#define ROLE_ARN "arn:aws:iam::123456789012:role/eksctl-c1-cluster-ServiceRole"
#define NODE_ROLE "arn:aws:iam::123456789012:role/eksctl-c1-nodegroup-NodeRole"

/* The group's moto. */
struct env {
	struct moto_env	 m;
	int		 list_calls;	/* ListClusters exchanges seen */
};

/* Count ListClusters exchanges (the trace hook). */
static void
count_list_calls(void *arg, const struct http_trace *t)
{
	struct env	*e = arg;

	if (t->op != NULL && strstr(t->op, "ListClusters") != NULL)
		e->list_calls++;
}

/* Start moto for the group. */
static int
group_setup(void **state)
{
	return moto_env_setup(state, "itest_moto_eks", sizeof(struct env));
}

/* A cluster input shaped like the workshop's eksctl config. */
static void
cluster_input(struct eks_cluster_input *in, const char *name,
    const char *const *subnets, size_t n)
{
	static const char	*logs[] = { "api", "audit", "authenticator",
				    "controllerManager", "scheduler" };

	memset(in, 0, sizeof *in);
	in->name = name;
	in->role_arn = ROLE_ARN;
	in->version = "1.31";
	in->subnet_ids = subnets;
	in->n_subnet_ids = n;
	in->endpoint_public_access = 1;
	in->endpoint_private_access = 0;
	in->log_types = logs;
	in->n_log_types = 5;
}

/* The cluster step: create, describe, list. */
static void
test_cluster(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_error	 err = { 0 };
	struct eks_cluster_input in;
	struct eks_cluster	 cl = { 0 };
	struct eks_names	 names = { 0 };
	struct aws_tags		 tags = { 0 };
	const char		*subnets[] = { "subnet-0a1", "subnet-0a2",
				    "subnet-0p1" };

	aws_tags_set(&tags, "alpha.eksctl.io/cluster-name", "c1");
	cluster_input(&in, "c1", subnets, 3);
	in.tags = &tags;
	moto_env_ok(&e->m, eks_create_cluster(e->m.aws, &in, &cl, &err), &err,
	    "CreateCluster");
	assert_string_equal(cl.name, "c1");
	assert_non_null(cl.arn);
	assert_non_null(cl.status);
	eks_cluster_clear(&cl);

	moto_env_ok(&e->m, eks_describe_cluster(e->m.aws, "c1", &cl, &err),
	    &err, "DescribeCluster");
	assert_string_equal(cl.status, "ACTIVE");
	assert_string_equal(cl.version, "1.31");
	assert_string_equal(cl.role_arn, ROLE_ARN);
	assert_non_null(cl.endpoint);
	assert_true(strncmp(cl.endpoint, "https://", 8) == 0);
	assert_non_null(cl.oidc_issuer);
	assert_true(strncmp(cl.oidc_issuer,
	    "https://oidc.eks.us-west-2.amazonaws.com/id/", 44) == 0);
	assert_non_null(cl.ca_data);
	assert_int_equal(cl.vpc.n_subnet_ids, 3);
	assert_string_equal(cl.vpc.subnet_ids[2], "subnet-0p1");
	assert_true(cl.created_at.tv_sec > 1600000000);
	assert_string_equal(aws_tags_get(&cl.tags,
	    "alpha.eksctl.io/cluster-name"), "c1");
	eks_cluster_clear(&cl);

	moto_env_ok(&e->m, eks_list_clusters(e->m.aws, 0, &names, &err), &err,
	    "ListClusters");
	assert_int_equal(names.n, 1);
	assert_string_equal(names.v[0], "c1");
	eks_names_free(&names);
	aws_tags_free(&tags);
}

/* The managed nodegroup: create, describe, list. */
static void
test_nodegroup(void **state)
{
	struct env			*e = moto_env_get(state);
	struct aws_error		 err = { 0 };
	struct eks_nodegroup_input	 in = { 0 };
	struct eks_nodegroup		 ng = { 0 };
	struct eks_names		 names = { 0 };
	struct aws_tags			 labels = { 0 };
	const char			*subnets[] = { "subnet-0p1",
					    "subnet-0p2", "subnet-0p3" };
	const char			*types[] = { "m5.xlarge" };

	aws_tags_set(&labels, "nodegroup-type", "managed-backend-workloads");
	in.cluster_name = "c1";
	in.name = "nodegroup";
	in.node_role = NODE_ROLE;
	in.subnets = subnets;
	in.n_subnets = 3;
	in.instance_types = types;
	in.n_instance_types = 1;
	in.min_size = in.max_size = in.desired_size = 3;
	in.disk_size = 20;
	in.labels = &labels;
	moto_env_ok(&e->m, eks_create_nodegroup(e->m.aws, &in, &ng, &err), &err,
	    "CreateNodegroup");
	assert_string_equal(ng.name, "nodegroup");
	eks_nodegroup_clear(&ng);

	moto_env_ok(&e->m, eks_describe_nodegroup(e->m.aws, "c1", "nodegroup",
	    &ng, &err), &err, "DescribeNodegroup");
	assert_string_equal(ng.cluster_name, "c1");
	assert_string_equal(ng.status, "ACTIVE");
	assert_string_equal(ng.node_role, NODE_ROLE);
	assert_int_equal(ng.min_size, 3);
	assert_int_equal(ng.max_size, 3);
	assert_int_equal(ng.desired_size, 3);
	assert_int_equal(ng.disk_size, 20);
	assert_int_equal(ng.n_instance_types, 1);
	assert_string_equal(ng.instance_types[0], "m5.xlarge");
	assert_int_equal(ng.n_subnets, 3);
	assert_non_null(ng.arn);
	assert_string_equal(aws_tags_get(&ng.labels, "nodegroup-type"),
	    "managed-backend-workloads");
	eks_nodegroup_clear(&ng);

	moto_env_ok(&e->m, eks_list_nodegroups(e->m.aws, "c1", 0, &names, &err),
	    &err, "ListNodegroups");
	assert_int_equal(names.n, 1);
	assert_string_equal(names.v[0], "nodegroup");
	eks_names_free(&names);
	aws_tags_free(&labels);
}

/* ListClusters one per page over three clusters. */
static void
test_list_pages(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_error	 err = { 0 };
	struct eks_cluster_input in;
	struct eks_names	 names = { 0 };
	const char		*subnets[] = { "subnet-0a1", "subnet-0a2" };
	const char		*extra[] = { "c2", "c3" };
	size_t			 i;

	for (i = 0; i < 2; i++) {
		cluster_input(&in, extra[i], subnets, 2);
		moto_env_ok(&e->m, eks_create_cluster(e->m.aws, &in, NULL,
		    &err), &err, "CreateCluster");
	}
	e->list_calls = 0;
	aws_set_trace(e->m.aws, count_list_calls, e);
	moto_env_ok(&e->m, eks_list_clusters(e->m.aws, 1, &names, &err), &err,
	    "ListClusters");
	aws_set_trace(e->m.aws, NULL, NULL);
	assert_int_equal(names.n, 3);
	assert_true(e->list_calls >= 3);
	eks_names_free(&names);
	for (i = 0; i < 2; i++)
		moto_env_ok(&e->m, eks_delete_cluster(e->m.aws, extra[i], NULL,
		    &err), &err, "DeleteCluster");
}

/* Undo in the lab's order, and the not-found error afterwards. */
static void
test_delete(void **state)
{
	struct env		*e = moto_env_get(state);
	struct aws_error	 err = { 0 };
	struct eks_nodegroup	 ng = { 0 };
	struct eks_cluster	 cl = { 0 };
	struct eks_names	 names = { 0 };

	moto_env_ok(&e->m, eks_delete_nodegroup(e->m.aws, "c1", "nodegroup",
	    &ng, &err), &err, "DeleteNodegroup");
	assert_string_equal(ng.name, "nodegroup");
	eks_nodegroup_clear(&ng);
	moto_env_ok(&e->m, eks_list_nodegroups(e->m.aws, "c1", 0, &names, &err),
	    &err, "ListNodegroups");
	assert_int_equal(names.n, 0);
	moto_env_ok(&e->m, eks_delete_cluster(e->m.aws, "c1", &cl, &err), &err,
	    "DeleteCluster");
	assert_string_equal(cl.name, "c1");
	eks_cluster_clear(&cl);
	assert_int_equal(eks_describe_cluster(e->m.aws, "c1", &cl, &err), -1);
	assert_string_equal(err.code, "ResourceNotFoundException");
	assert_null(cl.name);
	aws_error_clear(&err);
	assert_int_equal(eks_describe_nodegroup(e->m.aws, "nope", "ng", &ng,
	    &err), -1);
	assert_string_equal(err.code, "ResourceNotFoundException");
	aws_error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cluster),
		cmocka_unit_test(test_nodegroup),
		cmocka_unit_test(test_list_pages),
		cmocka_unit_test(test_delete),
	};

	return cmocka_run_group_tests(tests, group_setup, moto_env_teardown);
}
