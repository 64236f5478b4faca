/*
 * The installer against the simulator in process (both halves over real
 * HTTP, the Kubernetes API over TLS with EKS tokens, as `latticectl sim`
 * serves it): the dry run of a fresh account; the full lab from empty to
 * every step Ready (the engine, run in process, stands in for the
 * controller's pods and accepts the GatewayClass), a re-run that changes
 * nothing, a route whose Lattice service the uninstall has the controller
 * remove first, then back to empty; an existing IAM policy with another
 * document is reported and kept; a throttling fault and a 5xx storm mid
 * run, and a run killed after CreateCluster, all recover on re-run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ec2.h"
#include "latticectl/iam.h"
#include "latticectl/kutil.h"
#include "latticectl/log.h"
#include "lab_fixture.h"

#define IT_WAIT_MS	LFX_WAIT_MS

struct it {
	struct lfx		 fx;		/* the lab and the engine */
	struct aws		*aws;		/* fx's, for short */
	struct kube_client	*kc;		/* the simulator's admin */
	struct sim		*sim;
	struct lab_config	*lab;
	char			*kubeconfig;
	atomic_uint		 writes;	/* AWS writes by the installer */
	/* hooks */
	int			 fault_after_cluster;
	int			 cancel_on_create;
	struct install		*running;
	struct strbuf		 log;		/* plain output (fx.lock) */
};

/* Does an operation label ("iam:CreatePolicy") write? */
static int
it_write_op(const char *op)
{
	const char	*c = op != NULL ? strchr(op, ':') : NULL;

	if (c == NULL)
		return 0;
	c++;
	return strncmp(c, "Describe", 8) != 0 && strncmp(c, "Get", 3) != 0 &&
	    strncmp(c, "List", 4) != 0;
}

/* Count the installer's AWS writes. */
static void
it_trace(void *arg, const struct http_trace *t)
{
	struct it	*it = arg;

	if (it_write_op(t->op))
		atomic_fetch_add(&it->writes, 1);
}

/* The event hook: plain lines into the log, and the test's hooks. */
static void
it_event(void *arg, const struct install_event *ev)
{
	struct it		*it = arg;
	struct sim_faults	 f;

	pthread_mutex_lock(&it->fx.lock);
	strbuf_addf(&it->log, "%s %s %s: %s\n", ev->step,
	    install_state_name(ev->state), ev->reason, ev->message);
	pthread_mutex_unlock(&it->fx.lock);
	lfx_on_event(&it->fx, ev);
	if (it->fault_after_cluster && strcmp(ev->step, "cluster") == 0 &&
	    ev->state == INSTALL_READY) {
		memset(&f, 0, sizeof f);
		f.throttle_rate[SIM_FAMILY_IAM] = 1.0;
		sim_aws_set_faults(sim_aws_of(it->sim), &f, NULL);
	}
	if (it->cancel_on_create && strcmp(ev->step, "cluster") == 0 &&
	    strcmp(ev->reason, "Cluster") == 0)
		install_cancel(it->running);
}

/* Clear the simulator's faults. */
static void
it_no_faults(struct it *it)
{
	struct sim_faults	f;

	memset(&f, 0, sizeof f);
	sim_aws_set_faults(sim_aws_of(it->sim), &f, NULL);
}

/* Group setup: the simulator (TLS, EKS tokens) and the clients. */
static int
it_setup(void **state)
{
	struct it	*it = xcalloc(1, sizeof *it);

	lfx_start(&it->fx, 200, 0);
	it->aws = it->fx.aws;
	it->kc = it->fx.kc;
	it->sim = it->fx.sim;
	it->lab = it->fx.lab;
	it->kubeconfig = it->fx.kubeconfig;
	aws_set_trace(it->aws, it_trace, it);
	strbuf_init(&it->log);
	*state = it;
	return 0;
}

/* Group teardown. */
static int
it_teardown(void **state)
{
	struct it	*it = *state;

	lfx_stop(&it->fx);
	strbuf_free(&it->log);
	free(it);
	return 0;
}

/* Run the installer; returns install_run's answer, res filled. */
static int
it_run(struct it *it, enum install_dir dir, const char *only,
    struct install_result *res)
{
	struct install_opts	 o;
	struct install		*in;
	char			*cause = NULL;
	int			 rc;

	lfx_install_opts(&it->fx, &o, 100, 20000);
	o.lab = it->lab;
	o.dir = dir;
	o.only = only;
	o.on_event = it_event;
	o.event_arg = it;
	if ((in = install_new(&o, &cause)) == NULL)
		fail_msg("install_new: %s", cause);
	it->running = in;
	pthread_mutex_lock(&it->fx.lock);
	strbuf_reset(&it->log);
	pthread_mutex_unlock(&it->fx.lock);
	rc = install_run(in, res, &cause);
	if (rc < 0)
		fail_msg("install_run: %s", cause);
	it->running = NULL;
	install_free(in);
	return rc;
}

/* Print the run's lines (diagnostics on failure). */
static void
it_dump(struct it *it)
{
	pthread_mutex_lock(&it->fx.lock);
	printf("%s", it->log.buf);
	pthread_mutex_unlock(&it->fx.lock);
}

/* How many EKS clusters, Local IAM policies, roles, OIDC providers. */
static void
it_counts(struct it *it, int *clusters, int *policies, int *roles,
    int *oidc)
{
	struct eks_names		 cl = { 0 };
	struct iam_policies		 pol = { 0 };
	struct iam_policy_query		 q = { 0 };
	struct iam_oidc_providers	 op = { 0 };
	struct aws_error		 err = { 0 };
	struct iam_role			 role;
	const char			*names[] = { "c1-eks-cluster-role",
	    "c1-eks-node-role", "VPCLatticeControllerIAMRole" };
	int				 i;

	assert_int_equal(eks_list_clusters(it->aws, 0, &cl, &err), 0);
	*clusters = (int)cl.n;
	eks_names_free(&cl);
	q.scope = IAM_SCOPE_LOCAL;
	assert_int_equal(iam_list_policies(it->aws, &q, &pol, &err), 0);
	*policies = (int)pol.n;
	iam_policies_free(&pol);
	assert_int_equal(iam_list_oidc_providers(it->aws, &op, &err), 0);
	*oidc = (int)op.n;
	iam_oidc_providers_free(&op);
	*roles = 0;
	for (i = 0; i < 3; i++) {
		memset(&role, 0, sizeof role);
		if (iam_get_role(it->aws, names[i], &role, &err) == 0)
			(*roles)++;
		aws_error_clear(&err);
		iam_role_clear(&role);
	}
}

/* GET an object through the admin client; 1 when it exists. */
static int
it_exists(struct it *it, const struct kube_resource *res, const char *ns,
    const char *name, cJSON **out)
{
	struct kube_resource	 r;
	struct kube_error	 e = { 0 };
	cJSON			*obj = NULL;
	char			*why = NULL;
	int			 rc;

	if (kube_resource_resolve(it->kc, res, &r, &why) != 0) {
		free(why);
		return 0;
	}
	rc = kube_get(it->kc, &r, ns, name, &obj, &e) == 0;
	kube_error_clear(&e);
	if (out != NULL)
		*out = obj;
	else
		cJSON_Delete(obj);
	return rc;
}

/* The dry run of a fresh account: every step planned with its command,
 * nothing written. */
static void
test_dry_run_fresh(void **state)
{
	struct it		*it = *state;
	struct install_opts	 o = { 0 };
	struct install		*in;
	struct strbuf		 text;
	cJSON			*json = NULL, *s;
	char			*cause = NULL;
	int			 c, p, r, oidc, n = 0;

	o.lab = it->lab;
	o.aws = it->aws;
	atomic_store(&it->writes, 0);
	assert_non_null(in = install_new(&o, &cause));
	strbuf_init(&text);
	assert_int_equal(install_plan(in, &text, &json, &cause), 0);
	printf("%s", text.buf);
	assert_non_null(strstr(text.buf, "$ aws eks create-cluster --name c1 "
	    "--kubernetes-version 1.33"));
	assert_non_null(strstr(text.buf, "$ aws iam create-policy "
	    "--policy-name VPCLatticeControllerIAMPolicy --policy-document "
	    "file://recommended-inline-policy.json"));
	assert_non_null(strstr(text.buf, "$ kubectl create namespace "
	    "aws-application-networking-system"));
	assert_non_null(strstr(text.buf, "system:serviceaccount:aws-"
	    "application-networking-system:gateway-api-controller"));
	assert_non_null(strstr(text.buf, "$ eksctl create cluster -f "
	    "lattice_eks01.yaml"));
	assert_non_null(strstr(text.buf, "com.amazonaws.us-west-2.vpc-lattice"));
	cJSON_ArrayForEach(s, json) {
		n++;
		assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(s,
		    "actions")) > 0);
	}
	assert_int_equal(n, 7);
	assert_int_equal(atomic_load(&it->writes), 0);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c + p + r + oidc, 0);
	cJSON_Delete(json);
	strbuf_free(&text);
	install_free(in);
}

/* The eksctl ClusterConfig: the lab's shape with the real subnets. */
static void
test_export_eksctl(void **state)
{
	struct it		*it = *state;
	struct install_opts	 o = { 0 };
	struct install		*in;
	cJSON			*docs = NULL, *c;
	char			*cause = NULL, *y;

	o.lab = it->lab;
	o.aws = it->aws;
	assert_non_null(in = install_new(&o, &cause));
	assert_int_equal(install_export_eksctl(in, &y, &cause), 0);
	assert_int_equal(yaml_load(y, strlen(y), "eksctl", &docs, &cause), 0);
	c = cJSON_GetArrayItem(docs, 0);
	assert_string_equal(json_str(c, "kind"), "ClusterConfig");
	assert_string_equal(json_path_str(c, "metadata.version"), "1.33");
	assert_string_equal(json_path_str(c, "vpc.id"),
	    it->lab->cluster.vpc_id != NULL ? it->lab->cluster.vpc_id :
	    json_path_str(c, "vpc.id"));
	assert_non_null(json_path_str(c,
	    "vpc.subnets.private.PrivateSubnet01.id"));
	assert_non_null(json_path_str(c,
	    "vpc.subnets.public.PublicSubnet03.az"));
	assert_true(json_bool(json_path(c, "iam"), "withOIDC", 0));
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(c,
	    "managedNodeGroups"), 0), "instanceType"), "m5.xlarge");
	cJSON_Delete(docs);
	free(y);
	install_free(in);
}

/* An existing policy with another document: reported, not overwritten,
 * and kept by an uninstall. */
static void
test_policy_differs(void **state)
{
	struct it			*it = *state;
	struct iam_policy_input		 pi = { 0 };
	struct iam_policy		 pol = { 0 };
	struct iam_policy_version	 v = { 0 };
	struct aws_error		 err = { 0 };
	struct install_result		 res;
	const char			*doc = "{\"Version\":\"2012-10-17\","
	    "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
	    "\"Resource\":\"*\"}]}";

	pi.name = "VPCLatticeControllerIAMPolicy";
	pi.document = doc;
	assert_int_equal(iam_create_policy(it->aws, &pi, &pol, &err), 0);
	assert_int_equal(it_run(it, INSTALL_UP, "iam-policy", &res), 1);
	it_dump(it);
	assert_int_equal(res.failed, 1);
	assert_non_null(strstr(it->log.buf, "iam-policy Failed PolicyDiffers"));
	assert_int_equal(iam_get_policy_version(it->aws, pol.arn, "v1", &v,
	    &err), 0);
	assert_true(strstr(v.document, "s3:ListBucket") != NULL);
	iam_policy_version_clear(&v);
	install_result_clear(&res);
	assert_int_equal(it_run(it, INSTALL_DOWN, "iam-policy", &res), 0);
	assert_int_equal(res.n_left_behind, 1);
	assert_non_null(strstr(res.left_behind[0], "different document"));
	install_result_clear(&res);
	assert_int_equal(iam_delete_policy(it->aws, pol.arn, &err), 0);
	iam_policy_clear(&pol);
}

/* A throttling storm on IAM right after the cluster is Ready fails the
 * IAM steps; a re-run without it goes on and finishes (no duplicates).
 * The engine is started by the first controller Ready. */
static void
test_throttle_then_full_lab(void **state)
{
	struct it		*it = *state;
	struct install_result	 res;
	int			 c, p, r, oidc, rc;

	it->fault_after_cluster = 1;
	assert_int_equal(it_run(it, INSTALL_UP, NULL, &res), 1);
	it->fault_after_cluster = 0;
	it_no_faults(it);
	it_dump(it);
	assert_true(res.failed >= 1);
	assert_true(res.ready < res.steps);
	assert_non_null(strstr(it->log.buf, "cluster Ready"));
	install_result_clear(&res);
	/* the re-run recovers */
	rc = it_run(it, INSTALL_UP, NULL, &res);
	it_dump(it);
	assert_int_equal(rc, 0);
	assert_int_equal(res.ready, 7);
	assert_int_equal(res.steps, 7);
	install_result_clear(&res);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c, 1);
	assert_int_equal(p, 1);
	assert_int_equal(r, 3);
	assert_int_equal(oidc, 1);
	lfx_wait_engine(&it->fx);
}

/* Everything the lab promises is there. */
static void
test_lab_ready(void **state)
{
	struct it		*it = *state;
	struct eks_cluster	 cl = { 0 };
	struct aws_error	 err = { 0 };
	cJSON			*obj = NULL;
	const char		*ann;

	assert_int_equal(eks_describe_cluster(it->aws, "c1", &cl, &err), 0);
	assert_string_equal(cl.status, "ACTIVE");
	eks_cluster_clear(&cl);
	assert_true(it_exists(it, &KUBE_RES_NAMESPACES, NULL,
	    "aws-application-networking-system", NULL));
	assert_true(it_exists(it, &KUBE_RES_SERVICEACCOUNTS,
	    "aws-application-networking-system", "gateway-api-controller",
	    &obj));
	ann = json_str(json_path(obj, "metadata.annotations"),
	    "eks.amazonaws.com/role-arn");
	assert_string_equal(ann, "arn:aws:iam::123456789012:role/"
	    "VPCLatticeControllerIAMRole");
	cJSON_Delete(obj);
	assert_true(it_exists(it, &KUBE_RES_GATEWAYCLASSES, NULL,
	    "amazon-vpc-lattice", &obj));
	assert_true(kube_conditions_is(json_path(obj, "status.conditions"),
	    "Accepted", "True"));
	cJSON_Delete(obj);
}

/* A re-run observes, changes nothing and writes nothing. */
static void
test_rerun_no_changes(void **state)
{
	struct it		*it = *state;
	struct install_result	 res;

	atomic_store(&it->writes, 0);
	assert_int_equal(it_run(it, INSTALL_UP, NULL, &res), 0);
	it_dump(it);
	assert_int_equal(res.ready, 7);
	assert_int_equal(res.changed, 0);
	assert_int_equal(atomic_load(&it->writes), 0);
	assert_null(strstr(it->log.buf, "Applying"));
	install_result_clear(&res);
}

/* Apply the lab's Gateway and route; the engine makes a Lattice
 * service. */
static void
it_route(struct it *it)
{
	struct lattice_create_service_network_input	 in = { 0 };
	struct lattice_service_network			 sn = { 0 };
	struct aws_error				 err = { 0 };
	struct kube_resource				 r;
	struct kube_error				 e = { 0 };
	cJSON						*docs = NULL;
	char						*cause = NULL;
	const char *yaml = "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: Gateway\nmetadata:\n  name: my-hotel\n  namespace: default\n"
	    "spec:\n  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
	    "  - name: http\n    protocol: HTTP\n    port: 80\n---\n"
	    "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	    "metadata:\n  name: rates\n  namespace: default\nspec:\n"
	    "  parentRefs:\n  - name: my-hotel\n    sectionName: http\n"
	    "  rules:\n  - backendRefs:\n    - name: parking\n      kind: Service"
	    "\n      port: 80\n";

	in.name = "my-hotel";
	assert_int_equal(lattice_create_service_network(it->aws, &in, &sn,
	    &err), 0);
	lattice_service_network_free(&sn);
	assert_int_equal(yaml_load(yaml, strlen(yaml), "route", &docs,
	    &cause), 0);
	assert_int_equal(kube_resource_resolve(it->kc, &KUBE_RES_GATEWAYS, &r,
	    &cause), 0);
	assert_int_equal(kube_create(it->kc, &r, "default",
	    cJSON_GetArrayItem(docs, 0), NULL, &e), 0);
	assert_int_equal(kube_resource_resolve(it->kc, &KUBE_RES_HTTPROUTES,
	    &r, &cause), 0);
	assert_int_equal(kube_create(it->kc, &r, "default",
	    cJSON_GetArrayItem(docs, 1), NULL, &e), 0);
	cJSON_Delete(docs);
}

/* Lattice services now. */
static int
it_services(struct it *it)
{
	struct lattice_service_list	l = { 0 };
	struct aws_error		err = { 0 };
	int				n;

	assert_int_equal(lattice_list_services(it->aws, NULL, &l, &err), 0);
	n = (int)l.n;
	lattice_service_list_free(&l);
	return n;
}

/* Uninstall: the route's Lattice service goes first (through the
 * controller), then everything else, back to empty. */
static void
test_uninstall_to_empty(void **state)
{
	struct it		*it = *state;
	struct install_result	 res;
	uint64_t		 end = time_mono_ms() + IT_WAIT_MS;
	int			 c, p, r, oidc;

	it_route(it);
	while (it_services(it) == 0 && time_mono_ms() < end)
		time_sleep_ms(50);
	assert_int_equal(it_services(it), 1);
	assert_int_equal(it_run(it, INSTALL_DOWN, NULL, &res), 0);
	it_dump(it);
	assert_int_equal(res.ready, 8);
	assert_non_null(strstr(it->log.buf, "routes Ready Removed"));
	assert_int_equal(it_services(it), 0);
	install_result_clear(&res);
	controller_stop(it->fx.engine);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c + p + r + oidc, 0);
	assert_false(it_exists(it, &KUBE_RES_NAMESPACES, NULL,
	    "aws-application-networking-system", NULL));
	assert_false(it_exists(it, &KUBE_RES_CRDS, NULL,
	    "gatewayclasses.gateway.networking.k8s.io", NULL));
	assert_false(it_exists(it, &KUBE_RES_DEPLOYMENTS,
	    "aws-application-networking-system", "gateway-api-controller",
	    NULL));
	assert_int_equal(it_run(it, INSTALL_DOWN, NULL, &res), 0);
	assert_int_equal(res.changed, 0);
	install_result_clear(&res);
}

/* A run killed right after CreateCluster resumes by observing: one
 * cluster, Ready; then the cluster is removed again. */
static void
test_killed_run_resumes(void **state)
{
	struct it		*it = *state;
	struct install_result	 res;
	int			 c, p, r, oidc;

	it->cancel_on_create = 1;
	assert_int_equal(it_run(it, INSTALL_UP, "cluster", &res), 1);
	it->cancel_on_create = 0;
	assert_true(res.cancelled);
	install_result_clear(&res);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c, 1);
	assert_int_equal(it_run(it, INSTALL_UP, "cluster", &res), 0);
	it_dump(it);
	assert_non_null(strstr(it->log.buf, "cluster Ready"));
	install_result_clear(&res);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c, 1);
	assert_int_equal(it_run(it, INSTALL_DOWN, "cluster", &res), 0);
	install_result_clear(&res);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c + r, 0);
}

/* A 5xx storm (half the AWS requests) during a run: the framework's
 * retries carry the steps through, or a re-run finishes them. */
static void
test_5xx_storm(void **state)
{
	struct it		*it = *state;
	struct install_result	 res;
	struct sim_faults	 f;
	int			 c, p, r, oidc, rc;

	memset(&f, 0, sizeof f);
	f.error_rate = 0.5;
	sim_aws_set_faults(sim_aws_of(it->sim), &f, NULL);
	rc = it_run(it, INSTALL_UP, "cluster,iam-policy", &res);
	it_no_faults(it);
	install_result_clear(&res);
	if (rc != 0)
		assert_int_equal(it_run(it, INSTALL_UP, "cluster,iam-policy",
		    &res), 0);
	install_result_clear(&res);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c, 1);
	assert_int_equal(p, 1);
	assert_int_equal(it_run(it, INSTALL_DOWN, "cluster,iam-policy", &res),
	    0);
	install_result_clear(&res);
	it_counts(it, &c, &p, &r, &oidc);
	assert_int_equal(c + p + r, 0);
}

/* --init from the simulated account: the lab's VPC and subnets by
 * Name tag, the account from STS. */
static void
test_init(void **state)
{
	struct it		*it = *state;
	struct lab_config	*lab = NULL;
	char			*cause = NULL, *y;

	setenv("CLUSTER1_NAME", "c9", 1);
	setenv("EKS_VERSION", "1.27", 1);
	assert_int_equal(lab_config_init(it->aws, "latticectl", &lab, &cause),
	    0);
	unsetenv("CLUSTER1_NAME");
	unsetenv("EKS_VERSION");
	assert_string_equal(lab->region, SIM_REGION);
	assert_string_equal(lab->account_id, SIM_ACCOUNT_ID);
	assert_string_equal(lab->cluster.name, "c9");
	assert_string_equal(lab->cluster.version, LAB_DEFAULT_VERSION);
	assert_non_null(lab->cluster.vpc_id);
	assert_int_equal(lab->cluster.public_subnets.n, 3);
	assert_int_equal(lab->cluster.private_subnets.n, 3);
	assert_true(strncmp(lab->cluster.private_subnets.v[0], "subnet-", 7)
	    == 0);
	assert_int_equal(lab->controller.mode, LAB_MODE_LATTICECTL);
	y = lab_config_yaml(lab);
	assert_non_null(strstr(y, "mode: latticectl"));
	free(y);
	lab_config_free(lab);
}

/* Mode manifests with the reference's deploy-v1.0.3.yaml applied object
 * by object (its CRDs, RBAC, ConfigMap, Service, Deployment), pods
 * Ready; a re-run changes nothing; uninstall removes it all. */
static void
test_manifests_mode(void **state)
{
	struct it		*it = *state;
	struct lab_config	*lab = it->lab, *m;
	struct install_result	 res;
	char			*cause = NULL, *text, *path;
	int			 rc;

	if (test_reference_dir() == NULL) {
		printf("SKIP: reference manifests not found\n");
		skip();
	}
	xasprintf(&path, "%s/controller-installation/deploy-v1.0.3.yaml",
	    test_reference_dir());
	xasprintf(&text, "cluster:\n  name: c1\nkubeconfig: %s\ncontroller:\n"
	    "  mode: manifests\n  manifest: %s\n", it->kubeconfig, path);
	assert_int_equal(lab_config_parse(text, strlen(text), "lab.yaml", &m,
	    &cause), 0);
	it->lab = m;
	rc = it_run(it, INSTALL_UP, "cluster,iam-policy,namespace,"
	    "service-account,controller", &res);
	it_dump(it);
	assert_int_equal(rc, 0);
	install_result_clear(&res);
	assert_true(it_exists(it, &KUBE_RES_CRDS, NULL,
	    "targetgrouppolicies.application-networking.k8s.aws", NULL));
	assert_true(it_exists(it, &KUBE_RES_CONFIGMAPS,
	    "aws-application-networking-system", "manager-config", NULL));
	rc = it_run(it, INSTALL_UP, "cluster,iam-policy,namespace,"
	    "service-account,controller", &res);
	it_dump(it);
	assert_int_equal(rc, 0);
	assert_int_equal(res.changed, 0);
	install_result_clear(&res);
	assert_int_equal(it_run(it, INSTALL_DOWN, NULL, &res), 0);
	install_result_clear(&res);
	assert_false(it_exists(it, &KUBE_RES_CRDS, NULL,
	    "targetgrouppolicies.application-networking.k8s.aws", NULL));
	assert_false(it_exists(it, &KUBE_RES_NAMESPACES, NULL,
	    "aws-application-networking-system", NULL));
	it->lab = lab;
	lab_config_free(m);
	free(text);
	free(path);
}

/* Mode helm needs the helm CLI: SKIP without it; with it, the dry run
 * shows the lab's helm install line. */
static void
test_helm_mode(void **state)
{
	struct it		*it = *state;
	struct lab_config	*lab;
	struct install_opts	 o = { 0 };
	struct install		*in;
	struct strbuf		 text;
	char			*argv[] = { "helm", "version", "--short", NULL };
	char			*out, *cause = NULL, *y;

	if ((out = test_run_capture(argv, NULL)) == NULL) {
		printf("SKIP: helm not installed (controller.mode helm)\n");
		skip();
	}
	free(out);
	xasprintf(&y, "kubeconfig: %s\n", it->kubeconfig);
	assert_int_equal(lab_config_parse(y, strlen(y), "lab.yaml", &lab,
	    &cause), 0);
	o.lab = lab;
	o.aws = it->aws;
	o.only = "controller";
	assert_non_null(in = install_new(&o, &cause));
	strbuf_init(&text);
	assert_int_equal(install_plan(in, &text, NULL, &cause), 0);
	assert_non_null(strstr(text.buf, "$ helm install gateway-api-controller "
	    "oci://public.ecr.aws/aws-application-networking-k8s/aws-gateway-"
	    "controller-chart --version=v1.0.3 --set=serviceAccount.create=false"
	    " --namespace aws-application-networking-system"));
	strbuf_free(&text);
	install_free(in);
	lab_config_free(lab);
	free(y);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dry_run_fresh),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_helm_mode),
		cmocka_unit_test(test_export_eksctl),
		cmocka_unit_test(test_policy_differs),
		cmocka_unit_test(test_throttle_then_full_lab),
		cmocka_unit_test(test_lab_ready),
		cmocka_unit_test(test_rerun_no_changes),
		cmocka_unit_test(test_uninstall_to_empty),
		cmocka_unit_test(test_manifests_mode),
		cmocka_unit_test(test_killed_run_resumes),
		cmocka_unit_test(test_5xx_storm),
	};

	log_open(LOG_LEVEL_OFF, LOG_FORMAT_TEXT, NULL);
	return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
