/*
 * deploy/latticectl-controller.yaml applied with the real kubectl to the
 * simulator (TLS, token, its kubeconfig): every object is created, a
 * second apply changes nothing, and the objects say what the engine
 * needs (two replicas electing a leader, the probes on the health
 * address, non-root, the lab's service account, RBAC for status,
 * finalizers and leases); the simulator's Deployment controller makes two
 * Ready pods labelled as the lab's controller step checks. Prints SKIP
 * when kubectl is not installed.
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

#include "latticectl/json.h"
#include "latticectl/kube.h"
#include "latticectl/proc.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"
#include "../../src/sim/sim.h"

#define MANIFEST	"deploy/latticectl-controller.yaml"
#define NS		"aws-application-networking-system"
#define WAIT_MS		30000

struct env {
	struct sim		*sim;
	struct kube_client	*kc;
	char			*dir;
};

static struct env	e;

/* Whether kubectl is on PATH. */
static int
have_kubectl(void)
{
	char	*argv[] = { "kubectl", "version", "--client", NULL };
	char	*out = test_run_capture(argv, NULL);

	free(out);
	return out != NULL;
}

/* Run kubectl with args against the simulator; exit status, stdout. */
static int
kubectl(char **out, const char *a1, const char *a2, const char *a3)
{
	struct proc_opts	 o;
	struct proc_result	 res;
	char			*env[5], *argv[5], *cause = NULL;
	int			 rc;

	xasprintf(&env[0], "KUBECONFIG=%s", sim_kubeconfig_path(e.sim));
	xasprintf(&env[1], "HOME=%s", e.dir);
	xasprintf(&env[2], "KUBECACHEDIR=%s/kcache", e.dir);
	env[3] = "NO_PROXY=127.0.0.1,localhost";
	env[4] = NULL;
	argv[0] = "kubectl";
	argv[1] = (char *)a1;
	argv[2] = (char *)a2;
	argv[3] = (char *)a3;
	argv[4] = NULL;
	memset(&o, 0, sizeof(o));
	o.argv = argv;
	o.env = env;
	o.timeout_ms = 90000;
	if (proc_run(&o, &res, &cause) != 0)
		fail_msg("kubectl: %s", cause);
	rc = res.exited ? res.status : -1;
	*out = xstrdup(res.out);
	proc_result_free(&res);
	free(env[0]);
	free(env[1]);
	free(env[2]);
	return rc;
}

/* Group setup: the simulator (TLS, token) and a client to it. */
static int
setup(void **state)
{
	struct kube_config_opts	 ko;
	struct kube_conn	*conn = NULL;
	struct sim_opts		 o;
	char			*cause = NULL;

	(void)state;
	if (access(MANIFEST, R_OK) != 0) {
		printf("SKIP: %s not found (run from the repo root)\n",
		    MANIFEST);
		return -1;
	}
	memset(&e, 0, sizeof(e));
	e.dir = test_tmpdir();
	memset(&o, 0, sizeof(o));
	o.listen = "127.0.0.1:0";
	o.aws_listen = "127.0.0.1:0";
	o.dir = e.dir;
	if (sim_start(&o, &e.sim, &cause) != 0)
		fail_msg("sim: %s", cause);
	memset(&ko, 0, sizeof(ko));
	ko.kubeconfig = sim_kubeconfig_path(e.sim);
	if (kube_conn_load(&ko, &conn, &cause) != 0 ||
	    (e.kc = kube_client_new(conn, &cause)) == NULL)
		fail_msg("client: %s", cause);
	return 0;
}

/* Group teardown. */
static int
teardown(void **state)
{
	(void)state;
	kube_client_free(e.kc);
	sim_stop(e.sim);
	test_rm_tree(e.dir);
	return 0;
}

/* GET an object (must exist). */
static cJSON *
get(const struct kube_resource *res, const char *ns, const char *name)
{
	struct kube_error	 err;
	cJSON			*o = NULL;

	memset(&err, 0, sizeof(err));
	if (kube_get(e.kc, res, ns, name, &o, &err) != 0)
		fail_msg("get %s %s: %s", res->resource, name, err.message);
	return o;
}

/* Whether a JSON array of strings holds s. */
static int
has_str(const cJSON *arr, const char *s)
{
	const cJSON	*x;

	cJSON_ArrayForEach(x, arr) {
		if (cJSON_IsString(x) && strcmp(x->valuestring, s) == 0)
			return 1;
	}
	return 0;
}

/* Whether a role grants verb on group/resource. */
static int
grants(const cJSON *role, const char *group, const char *resource,
    const char *verb)
{
	const cJSON	*r;

	cJSON_ArrayForEach(r, json_path(role, "rules")) {
		if (has_str(json_path(r, "apiGroups"), group) &&
		    has_str(json_path(r, "resources"), resource) &&
		    has_str(json_path(r, "verbs"), verb))
			return 1;
	}
	return 0;
}

/* kubectl apply creates everything; a second apply changes nothing. */
static void
test_apply(void **state)
{
	char	*out;
	int	 rc;

	(void)state;
	if (!have_kubectl()) {
		printf("SKIP: kubectl not found on PATH\n");
		skip();
	}
	rc = kubectl(&out, "apply", "-f", MANIFEST);
	printf("%s", out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "deployment.apps/gateway-api-controller "
	    "created"));
	assert_non_null(strstr(out, "clusterrole.rbac.authorization.k8s.io/"
	    "latticectl-controller created"));
	free(out);
	rc = kubectl(&out, "apply", "-f", MANIFEST);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "created"));
	assert_null(strstr(out, "configured"));
	free(out);
}

/* The Deployment: 2 replicas, leader election, probes, non-root. */
static void
test_deployment(void **state)
{
	cJSON		*d;
	const cJSON	*c, *args;

	(void)state;
	if (!have_kubectl())
		skip();
	d = get(&KUBE_RES_DEPLOYMENTS, NS, "gateway-api-controller");
	assert_int_equal((int)json_num(json_path(d, "spec"), "replicas", 0),
	    2);
	assert_string_equal(json_path_str(d,
	    "spec.template.spec.serviceAccountName"), "gateway-api-controller");
	assert_true(json_bool(json_path(d, "spec.template.spec."
	    "securityContext"), "runAsNonRoot", 0));
	c = cJSON_GetArrayItem(json_path(d, "spec.template.spec.containers"),
	    0);
	args = json_path(c, "args");
	assert_true(has_str(args, "controller"));
	assert_true(has_str(args, "--leader-elect"));
	assert_true(has_str(args, "--health-addr"));
	assert_string_equal(json_path_str(c, "livenessProbe.httpGet.path"),
	    "/healthz");
	assert_string_equal(json_path_str(c, "readinessProbe.httpGet.path"),
	    "/readyz");
	assert_false(json_bool(json_path(c, "securityContext"),
	    "allowPrivilegeEscalation", 1));
	cJSON_Delete(d);
}

/* RBAC: status, finalizers, watches, events, leases. */
static void
test_rbac(void **state)
{
	static const struct kube_resource cr = { "rbac.authorization.k8s.io",
	    "v1", "clusterroles", "ClusterRole", 0, NULL };
	static const struct kube_resource role = {
	    "rbac.authorization.k8s.io", "v1", "roles", "Role", 1, NULL };
	cJSON				*c, *r;

	(void)state;
	if (!have_kubectl())
		skip();
	c = get(&cr, NULL, "latticectl-controller");
	assert_true(grants(c, "gateway.networking.k8s.io", "httproutes",
	    "watch"));
	assert_true(grants(c, "gateway.networking.k8s.io", "httproutes/status",
	    "update"));
	assert_true(grants(c, "gateway.networking.k8s.io",
	    "httproutes/finalizers", "update"));
	assert_true(grants(c, "gateway.networking.k8s.io", "gateways/status",
	    "update"));
	assert_true(grants(c, "discovery.k8s.io", "endpointslices", "watch"));
	assert_true(grants(c, "application-networking.k8s.aws",
	    "serviceexports", "patch"));
	assert_true(grants(c, "events.k8s.io", "events", "create"));
	r = get(&role, NS, "latticectl-leader-election");
	assert_true(grants(r, "coordination.k8s.io", "leases", "update"));
	cJSON_Delete(c);
	cJSON_Delete(r);
}

/* Ready pods labelled as the lab's controller step expects. */
static int
ready_pods(void)
{
	struct kube_list_opts	 lo;
	struct kube_error	 err;
	cJSON			*items = NULL;
	const cJSON		*p, *cond;
	int			 n = 0;

	memset(&lo, 0, sizeof(lo));
	lo.label_selector = "app.kubernetes.io/instance=gateway-api-controller";
	memset(&err, 0, sizeof(err));
	if (kube_list_all(e.kc, &KUBE_RES_PODS, NS, &lo, &items, NULL, &err) !=
	    0)
		fail_msg("list pods: %s", err.message);
	cJSON_ArrayForEach(p, items) {
		cJSON_ArrayForEach(cond, json_path(p, "status.conditions")) {
			if (strcmp(json_str(cond, "type"), "Ready") == 0 &&
			    strcmp(json_str(cond, "status"), "True") == 0)
				n++;
		}
	}
	cJSON_Delete(items);
	return n;
}

/* The simulator runs the Deployment: two Ready pods. */
static void
test_pods(void **state)
{
	uint64_t	end = time_mono_ms() + WAIT_MS;

	(void)state;
	if (!have_kubectl())
		skip();
	while (ready_pods() < 2 && time_mono_ms() < end)
		time_sleep_ms(100);
	assert_int_equal(ready_pods(), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_deployment),
		cmocka_unit_test(test_rbac),
		cmocka_unit_test(test_pods),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
