/*
 * lab.yaml: the lab's defaults, a full file, every validation error
 * naming its field, render -> parse round trips, files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latticectl/install.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

/* Parse text or fail. */
static struct lab_config *
parse_ok(const char *text)
{
	struct lab_config	*c = NULL;
	char			*cause = NULL;

	if (lab_config_parse(text, strlen(text), "lab.yaml", &c, &cause) != 0)
		fail_msg("parse: %s", cause);
	return c;
}

/* An empty file gives the lab's values. */
static void
test_defaults(void **state)
{
	struct lab_config	*c = parse_ok("{}\n");

	(void)state;
	assert_string_equal(c->cluster.name, "c1");
	assert_string_equal(c->cluster.version, "1.33");
	assert_true(c->cluster.manage);
	assert_string_equal(c->cluster.role_name, "c1-eks-cluster-role");
	assert_string_equal(c->cluster.vpc_name, "LatticeWorkshop-Clients-VPC");
	assert_null(c->cluster.vpc_id);
	assert_int_equal(c->cluster.public_subnets.n, 3);
	assert_string_equal(c->cluster.private_subnets.v[2],
	    "LatticeWorkshop-Client-PrivateSubnet03");
	assert_int_equal(c->cluster.logging.n, 5);
	assert_string_equal(c->nodegroup.name, "nodegroup");
	assert_string_equal(c->nodegroup.instance_type, "m5.xlarge");
	assert_int_equal(c->nodegroup.desired_size, 3);
	assert_int_equal(c->nodegroup.volume_size, 20);
	assert_string_equal(c->nodegroup.role_name, "c1-eks-node-role");
	assert_string_equal(aws_tags_get(&c->nodegroup.labels,
	    "nodegroup-type"), "managed-backend-workloads");
	assert_string_equal(c->policy_name, "VPCLatticeControllerIAMPolicy");
	assert_int_equal(c->identity, LAB_IDENTITY_IRSA);
	assert_string_equal(c->ns, "aws-application-networking-system");
	assert_string_equal(c->service_account, "gateway-api-controller");
	assert_int_equal(c->controller.mode, LAB_MODE_HELM);
	assert_string_equal(c->controller.chart_version, "v1.0.3");
	assert_string_equal(c->controller.release, "gateway-api-controller");
	assert_string_equal(c->log_level, "info");
	assert_string_equal(c->gatewayclass, "amazon-vpc-lattice");
	lab_config_free(c);
}

#define FULL \
	"apiVersion: latticectl/v1alpha1\nkind: Lab\n" \
	"region: us-west-2\naccountId: \"123456789012\"\n" \
	"kubeconfig: ~/.kube/lab\n" \
	"cluster:\n  name: c2\n  version: \"1.31\"\n  manage: false\n" \
	"  vpc:\n    id: vpc-0abc1234\n" \
	"  subnets:\n    public: [subnet-1, subnet-2]\n    private: []\n" \
	"  logging: [api]\n" \
	"  nodegroup:\n    name: ng2\n    instanceType: t3.large\n" \
	"    minSize: 1\n    maxSize: 4\n    desiredCapacity: 2\n" \
	"    volumeSize: 40\n    labels: {a: b}\n" \
	"iam:\n  policyName: P\n  roleName: R\n" \
	"identity: irsa\nnamespace: ns1\nserviceAccount: sa1\n" \
	"controller:\n  mode: manifests\n  chartVersion: v1.1.7\n" \
	"  manifest: https://example.com/deploy.yaml\n" \
	"  defaultServiceNetwork: my-hotel\n  replicas: 1\n" \
	"logLevel: debug\ngatewayClass: my-class\n"

/* Every field is read. */
static void
test_full(void **state)
{
	struct lab_config	*c = parse_ok(FULL);

	(void)state;
	assert_string_equal(c->region, "us-west-2");
	assert_string_equal(c->account_id, "123456789012");
	assert_string_equal(c->kubeconfig, "~/.kube/lab");
	assert_string_equal(c->cluster.name, "c2");
	assert_string_equal(c->cluster.version, "1.31");
	assert_false(c->cluster.manage);
	assert_string_equal(c->cluster.role_name, "c2-eks-cluster-role");
	assert_string_equal(c->cluster.vpc_id, "vpc-0abc1234");
	assert_null(c->cluster.vpc_name);
	assert_int_equal(c->cluster.public_subnets.n, 2);
	assert_int_equal(c->cluster.private_subnets.n, 0);
	assert_int_equal(c->cluster.logging.n, 1);
	assert_string_equal(c->nodegroup.name, "ng2");
	assert_int_equal(c->nodegroup.max_size, 4);
	assert_int_equal(c->nodegroup.volume_size, 40);
	assert_string_equal(aws_tags_get(&c->nodegroup.labels, "a"), "b");
	assert_null(aws_tags_get(&c->nodegroup.labels, "nodegroup-type"));
	assert_string_equal(c->policy_name, "P");
	assert_string_equal(c->role_name, "R");
	assert_string_equal(c->ns, "ns1");
	assert_int_equal(c->controller.mode, LAB_MODE_MANIFESTS);
	assert_string_equal(c->controller.manifest,
	    "https://example.com/deploy.yaml");
	assert_string_equal(c->controller.default_sn, "my-hotel");
	assert_int_equal(c->controller.replicas, 1);
	assert_string_equal(c->log_level, "debug");
	assert_string_equal(c->gatewayclass, "my-class");
	lab_config_free(c);
}

/* Bad inputs and the field their error must name. */
static const struct {
	const char	*yaml;
	const char	*want;
} bad[] = {
	{ "cluster:\n  version: 1.30\n", "cluster.version: write the version "
	    "as a string" },
	{ "cluster:\n  version: \"1.27\"\n", "cluster.version: EKS no longer "
	    "creates 1.27" },
	{ "cluster:\n  version: \"2.x\"\n", "cluster.version: '2.x' is not" },
	{ "cluster:\n  nodgroup: {}\n", "cluster.nodgroup: unknown field" },
	{ "cluster:\n  nodegroup:\n    minSize: 5\n",
	    "cluster.nodegroup.desiredCapacity: 3 is not between" },
	{ "cluster:\n  nodegroup:\n    minSize: two\n",
	    "cluster.nodegroup.minSize: must be an integer" },
	{ "cluster:\n  nodegroup:\n    maxSize: 0\n    minSize: 0\n"
	    "    desiredCapacity: 0\n", "cluster.nodegroup.maxSize" },
	{ "cluster:\n  nodegroup:\n    volumeSize: 0\n",
	    "cluster.nodegroup.volumeSize" },
	{ "cluster:\n  nodegroup:\n    labels: {a: 1}\n",
	    "cluster.nodegroup.labels.a: must be a string" },
	{ "cluster:\n  nodegroup:\n    name: -x\n", "cluster.nodegroup.name" },
	{ "identity: pod-identity\n", "identity: pod-identity is not "
	    "supported yet" },
	{ "identity: oidc\n", "identity: unknown identity 'oidc'" },
	{ "controller:\n  mode: kubectl\n", "controller.mode: unknown mode" },
	{ "controller:\n  chartVersion: latest\n", "controller.chartVersion" },
	{ "controller:\n  manifest: http://x/y.yaml\n",
	    "controller.manifest" },
	{ "controller:\n  replicas: 0\n", "controller.replicas" },
	{ "controller:\n  release: Big_Name\n", "controller.release" },
	{ "namespace: Bad_NS\n", "namespace: not a DNS-1123 label" },
	{ "serviceAccount: ''\n", "serviceAccount" },
	{ "accountId: 12345\n", "accountId: write the account as a quoted" },
	{ "accountId: '12345'\n", "accountId: must be 12 digits" },
	{ "region: 'us west'\n", "region: 'us west'" },
	{ "cluster:\n  name: 'a b'\n", "cluster.name" },
	{ "cluster:\n  roleName: 'a b'\n", "cluster.roleName" },
	{ "cluster:\n  vpc:\n    id: vpc-XYZ\n", "cluster.vpc.id" },
	{ "cluster:\n  subnets:\n    public: [a]\n    private: []\n",
	    "cluster.subnets: EKS needs at least two" },
	{ "cluster:\n  subnets:\n    public: [a, 3]\n",
	    "cluster.subnets.public[1]: must be a string" },
	{ "cluster:\n  subnets:\n    private: [a, '']\n",
	    "cluster.subnets.private[1]: empty" },
	{ "cluster:\n  logging: [api, kubelet]\n",
	    "cluster.logging[1]: unknown log type 'kubelet'" },
	{ "cluster:\n  manage: yes-please\n",
	    "cluster.manage: must be true or false" },
	{ "cluster: [1]\n", "cluster: must be a mapping" },
	{ "iam:\n  policyName: 'a b'\n", "iam.policyName" },
	{ "iam:\n  roleName: ''\n", "iam.roleName" },
	{ "logLevel: verbose\n", "logLevel: must be debug" },
	{ "gatewayClass: Not_Valid\n", "gatewayClass" },
	{ "- a\n", "(top): must be a mapping" },
	{ "a: 1\n---\nb: 2\n", "expected one YAML document" },
	{ "cluster: {name: [\n", "lab.yaml:" },
};

/* Each error names lab.yaml and the field. */
static void
test_errors(void **state)
{
	struct lab_config	*c;
	char			*cause;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		c = NULL;
		if (lab_config_parse(bad[i].yaml, strlen(bad[i].yaml),
		    "lab.yaml", &c, &cause) == 0)
			fail_msg("case %zu parsed: %s", i, bad[i].yaml);
		assert_null(c);
		if (strncmp(cause, "lab.yaml", 8) != 0 ||
		    strstr(cause, bad[i].want) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, cause,
			    bad[i].want);
		free(cause);
	}
}

/* nodegroup: null means none; the cluster alone is valid. */
static void
test_no_nodegroup(void **state)
{
	struct lab_config	*c = parse_ok("cluster:\n  nodegroup: null\n");
	char			*y;

	(void)state;
	assert_null(c->nodegroup.name);
	y = lab_config_yaml(c);
	assert_non_null(strstr(y, "nodegroup: null"));
	free(y);
	lab_config_free(c);
}

/* Render then parse gives the same rendering (and a valid config). */
static void
test_round_trip(void **state)
{
	struct lab_config	*a = parse_ok(FULL), *b;
	char			*ya, *yb;

	(void)state;
	ya = lab_config_yaml(a);
	assert_true(ya[0] == '#');
	assert_true(ya[strlen(ya) - 1] == '\n');
	b = parse_ok(ya);
	yb = lab_config_yaml(b);
	assert_string_equal(ya, yb);
	assert_string_equal(b->account_id, "123456789012");
	assert_string_equal(b->cluster.version, "1.31");
	free(ya);
	free(yb);
	lab_config_free(a);
	lab_config_free(b);
}

/* Files: loaded; a missing one names its path. */
static void
test_load_file(void **state)
{
	struct lab_config	*c = NULL;
	char			*dir = test_tmpdir(), *path, *cause = NULL;

	(void)state;
	xasprintf(&path, "%s/lab.yaml", dir);
	assert_int_equal(test_write_file(path, FULL, 0644), 0);
	assert_int_equal(lab_config_load(path, &c, &cause), 0);
	assert_string_equal(c->cluster.name, "c2");
	lab_config_free(c);
	unlink(path);
	assert_int_equal(lab_config_load(path, &c, &cause), -1);
	assert_non_null(strstr(cause, path));
	free(cause);
	free(path);
	test_rm_tree(dir);
}

/* Modes by name and back. */
static void
test_modes(void **state)
{
	enum lab_mode	m;

	(void)state;
	assert_int_equal(lab_mode_parse("latticectl", &m), 0);
	assert_int_equal(m, LAB_MODE_LATTICECTL);
	assert_string_equal(lab_mode_name(LAB_MODE_MANIFESTS), "manifests");
	assert_string_equal(lab_mode_name(LAB_MODE_HELM), "helm");
	assert_int_equal(lab_mode_parse("kubectl", &m), -1);
}

/* A config built in code is validated the same way. */
static void
test_validate_built(void **state)
{
	struct lab_config	*c = lab_config_new();
	char			*cause = NULL;

	(void)state;
	c->cluster.role_name = xstrdup("r");
	c->nodegroup.role_name = xstrdup("n");
	c->cluster.vpc_name = xstrdup("v");
	assert_int_equal(lab_config_validate(c, "x.yaml", &cause), -1);
	assert_non_null(strstr(cause, "x.yaml: cluster.subnets"));
	free(cause);
	lab_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_no_nodegroup),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_validate_built),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
