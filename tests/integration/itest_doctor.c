/*
 * latticectl doctor against a full simulated lab, in process: the
 * installer's seven steps (latticectl mode; the engine, run in process,
 * stands in for the controller's pods), the my-hotel service network
 * associated with the cluster VPC, a backend whose pods declare
 * containerPort 8090, a Gateway and an HTTPRoute. On the converged lab
 * doctor is all green (exit 0). Then each test breaks exactly one link,
 * waits until doctor names it (the engine keeps reconciling meanwhile),
 * checks that it is the only finding and that it carries evidence and a
 * fix, repairs the link and waits for all green again. Links the engine
 * owns (the Lattice service, its association, rules) are broken with the
 * engine stopped (it would repair them at its next resync); starting it
 * again is the repair.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/doctor.h"
#include "latticectl/ec2.h"
#include "latticectl/iam.h"
#include "latticectl/log.h"
#include "latticectl/strbuf.h"
#include "lab_fixture.h"

#define DT_WAIT_MS	LFX_WAIT_MS
#define DT_NS		"aws-application-networking-system"
#define DT_SA		"gateway-api-controller"
#define DT_ROLE		"VPCLatticeControllerIAMRole"
#define DT_ROLE_ARN	"arn:aws:iam::" SIM_ACCOUNT_ID ":role/" DT_ROLE
#define DT_POLICY_ARN	"arn:aws:iam::" SIM_ACCOUNT_ID \
	":policy/VPCLatticeControllerIAMPolicy"

struct dt {
	struct lfx		 fx;		/* the lab and the engine */
	struct aws		*aws;		/* fx's, for short */
	struct kube_client	*kc;
	char			*vpc;		/* the cluster's */
	char			*sg;
	char			*sn_id;
	int			 ready;		/* the lab came up */
};

/* The installer's events: the controller step Ready starts the engine. */
static void
dt_event(void *arg, const struct install_event *ev)
{
	struct dt	*t = arg;

	lfx_on_event(&t->fx, ev);
}

/* Create every object of a YAML text. */
static void
dt_apply(struct dt *t, const char *yaml)
{
	cJSON	*docs = NULL;
	char	*cause = NULL;

	assert_int_equal(yaml_load(yaml, strlen(yaml), "inline", &docs,
	    &cause), 0);
	cfx_create_docs(t->kc, docs, "inline", 0);
	cJSON_Delete(docs);
}

/* A merge patch. */
static void
dt_patch(struct dt *t, const struct kube_resource *res, const char *ns,
    const char *name, const char *body)
{
	struct kube_resource	 r;
	struct kube_error	 e;
	char			*cause = NULL;

	memset(&e, 0, sizeof(e));
	assert_int_equal(kube_resource_resolve(t->kc, res, &r, &cause), 0);
	if (kube_patch(t->kc, &r, ns, name, NULL, KUBE_PATCH_MERGE, body,
	    NULL, 0, NULL, &e) != 0)
		fail_msg("patch %s: %s", name, e.message);
	kube_error_clear(&e);
}

/* Delete an object. */
static void
dt_delete(struct dt *t, const struct kube_resource *res, const char *ns,
    const char *name)
{
	struct kube_resource	 r;
	struct kube_error	 e;
	char			*cause = NULL;

	memset(&e, 0, sizeof(e));
	assert_int_equal(kube_resource_resolve(t->kc, res, &r, &cause), 0);
	if (kube_delete(t->kc, &r, ns, name, NULL, &e) != 0)
		fail_msg("delete %s: %s", name, e.message);
	kube_error_clear(&e);
}

/* GET an object (caller frees). */
static cJSON *
dt_get(struct dt *t, const struct kube_resource *res, const char *ns,
    const char *name)
{
	struct kube_resource	 r;
	struct kube_error	 e;
	cJSON			*o = NULL;
	char			*cause = NULL;

	memset(&e, 0, sizeof(e));
	assert_int_equal(kube_resource_resolve(t->kc, res, &r, &cause), 0);
	if (kube_get(t->kc, &r, ns, name, &o, &e) != 0)
		fail_msg("get %s: %s", name, e.message);
	kube_error_clear(&e);
	return o;
}

/* Stop the engine standing in for the controller (nothing repairs
 * drift until dt_engine_start). */
static void
dt_engine_stop(struct dt *t)
{
	struct controller	*c;

	pthread_mutex_lock(&t->fx.lock);
	c = t->fx.engine;
	t->fx.engine = NULL;
	pthread_mutex_unlock(&t->fx.lock);
	controller_free(c);
}

/* Start the engine again: its first sync repairs what was broken. */
static void
dt_engine_start(struct dt *t)
{
	struct controller	*c;
	char			*vpc = NULL, *sg = NULL;

	c = lfx_engine_start(&t->fx, &vpc, &sg);
	free(vpc);
	free(sg);
	if (c == NULL)
		fail_msg("the engine did not start again");
	pthread_mutex_lock(&t->fx.lock);
	t->fx.engine = c;
	pthread_mutex_unlock(&t->fx.lock);
}

/* The route's Lattice service (its id; caller frees). */
static char *
dt_service_id(struct dt *t)
{
	struct lattice_service_list	 l;
	struct aws_error		 err;
	char				*id = NULL;
	size_t				 i;

	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_list_services(t->aws, NULL, &l, &err), 0);
	for (i = 0; i < l.n; i++) {
		if (l.items[i].name != NULL && strncmp(l.items[i].name,
		    "rates-", 6) == 0)
			id = xstrdup(l.items[i].id);
	}
	lattice_service_list_free(&l);
	if (id == NULL)
		fail_msg("no Lattice service for rates");
	return id;
}

/* Wait until the VPC has no association (a deletion finished). */
static void
dt_vpc_unassociated(struct dt *t)
{
	struct lattice_list_sn_vpc_assocs_input	 in;
	struct lattice_sn_vpc_assoc_list	 l;
	struct aws_error			 err;
	uint64_t				 end = time_mono_ms() +
	    DT_WAIT_MS;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.vpc_identifier = t->vpc;
	for (;;) {
		assert_int_equal(lattice_list_sn_vpc_assocs(t->aws, &in, &l,
		    &err), 0);
		if (l.n == 0)
			break;
		lattice_sn_vpc_assoc_list_free(&l);
		if (time_mono_ms() > end)
			fail_msg("the VPC association is not deleted");
		time_sleep_ms(50);
	}
	lattice_sn_vpc_assoc_list_free(&l);
}

/* Delete the VPC's association and wait until it is gone. */
static void
dt_disassociate(struct dt *t)
{
	struct lattice_list_sn_vpc_assocs_input	 in;
	struct lattice_sn_vpc_assoc_list	 l;
	struct aws_error			 err;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.vpc_identifier = t->vpc;
	assert_int_equal(lattice_list_sn_vpc_assocs(t->aws, &in, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(lattice_delete_sn_vpc_assoc(t->aws, l.items[0].id,
	    NULL, &err), 0);
	lattice_sn_vpc_assoc_list_free(&l);
	dt_vpc_unassociated(t);
}

/* One doctor run (all routes); the report (caller frees). */
static cJSON *
dt_doctor(struct dt *t, const char *route)
{
	struct doctor_opts	 o;
	cJSON			*rep = NULL;
	char			*cause = NULL;

	memset(&o, 0, sizeof(o));
	o.kc = t->kc;
	o.aws = t->aws;
	o.route = route;
	if (doctor_run(&o, &rep, &cause) != 0)
		fail_msg("doctor: %s", cause);
	return rep;
}

/* Print a report as the table (diagnostics). */
static void
dt_print(const cJSON *rep)
{
	struct strbuf	sb;

	strbuf_init(&sb);
	doctor_format_table(rep, 0, &sb);
	printf("%s", sb.buf);
	strbuf_free(&sb);
}

/* The ids of the WARN and FAIL checks, as "a b" (caller frees). */
static char *
dt_findings(const cJSON *rep)
{
	const cJSON	*c;
	struct strbuf	 sb;
	const char	*s;

	strbuf_init(&sb);
	cJSON_ArrayForEach(c, json_path(rep, "checks")) {
		s = json_str(c, "status");
		if (strcmp(s, "WARN") == 0 || strcmp(s, "FAIL") == 0)
			strbuf_addf(&sb, "%s%s", sb.len > 0 ? " " : "",
			    json_str(c, "id"));
	}
	strbuf_addc(&sb, '\0');
	return strbuf_detach(&sb, NULL);
}

/* Run doctor until its findings are exactly want ("" all green); the
 * last report (caller frees). */
static cJSON *
dt_until(struct dt *t, const char *want)
{
	uint64_t	 end = time_mono_ms() + DT_WAIT_MS;
	cJSON		*rep = NULL;
	char		*got = NULL;

	for (;;) {
		cJSON_Delete(rep);
		free(got);
		rep = dt_doctor(t, NULL);
		got = dt_findings(rep);
		if (strcmp(got, want) == 0)
			break;
		if (time_mono_ms() > end) {
			dt_print(rep);
			fail_msg("doctor findings \"%s\", want \"%s\"", got,
			    want);
		}
		time_sleep_ms(200);
	}
	free(got);
	return rep;
}

/* The one finding of a report: id FAIL (or WARN) with evidence and a
 * fix that mentions what. */
static void
dt_names(const cJSON *rep, const char *id, const char *status,
    const char *evidence, const char *fix)
{
	const cJSON	*c;
	int		 n = 0;

	cJSON_ArrayForEach(c, json_path(rep, "checks")) {
		if (strcmp(json_str(c, "id"), id) != 0 ||
		    strcmp(json_str(c, "status"), status) != 0)
			continue;
		n++;
		printf("%s %s: %s\n  fix: %s\n", id, status, json_str(c,
		    "evidence"), json_str(c, "fix"));
		assert_non_null(strstr(json_str(c, "evidence"), evidence));
		assert_non_null(strstr(json_str(c, "fix"), fix));
	}
	assert_int_equal(n, 1);
	assert_int_equal(doctor_exit_code(rep), 1);
}

/* Run the installer's seven steps. */
static void
dt_install(struct dt *t)
{
	struct install_opts	 o;
	struct install_result	 res;
	struct install		*in;
	char			*cause = NULL;

	lfx_install_opts(&t->fx, &o, 50, 30000);
	o.dir = INSTALL_UP;
	o.on_event = dt_event;
	o.event_arg = t;
	if ((in = install_new(&o, &cause)) == NULL)
		fail_msg("install_new: %s", cause);
	memset(&res, 0, sizeof(res));
	if (install_run(in, &res, &cause) != 0)
		fail_msg("install: %zu/%zu steps ready", res.ready, res.steps);
	install_result_clear(&res);
	install_free(in);
}

/* The service network, associated with the cluster VPC. */
static void
dt_network(struct dt *t)
{
	struct lattice_create_service_network_input	 in;
	struct lattice_service_network			 sn;
	struct aws_error				 err;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.name = "my-hotel";
	assert_int_equal(lattice_create_service_network(t->aws, &in, &sn,
	    &err), 0);
	t->sn_id = xstrdup(sn.id);
	lattice_service_network_free(&sn);
}

/* Associate the cluster VPC with the network. */
static void
dt_associate(struct dt *t)
{
	struct lattice_create_sn_vpc_assoc_input	 in;
	struct lattice_sn_vpc_assoc			 a;
	struct aws_error				 err;
	const char					*sgs[1];

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	sgs[0] = t->sg;
	in.service_network_identifier = t->sn_id;
	in.vpc_identifier = t->vpc;
	in.security_group_ids = sgs;
	in.n_security_group_ids = 1;
	if (lattice_create_sn_vpc_assoc(t->aws, &in, &a, &err) != 0)
		fail_msg("associate: %s", err.message);
	lattice_sn_vpc_assoc_free(&a);
}

/* The backend, the Gateway and the route. */
static const char dt_app[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: parking\n"
	"  namespace: default\nspec:\n  replicas: 2\n  selector:\n"
	"    matchLabels:\n      app: parking\n  template:\n    metadata:\n"
	"      labels:\n        app: parking\n    spec:\n      containers:\n"
	"      - name: parking\n        image: http-server\n        ports:\n"
	"        - containerPort: 8090\n---\n"
	"apiVersion: v1\nkind: Service\nmetadata:\n  name: parking\n"
	"  namespace: default\nspec:\n  selector:\n    app: parking\n"
	"  ports:\n  - protocol: TCP\n    port: 80\n    targetPort: 8090\n---\n"
	"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	"metadata:\n  name: my-hotel\n  namespace: default\nspec:\n"
	"  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
	"  - name: http\n    protocol: HTTP\n    port: 80\n---\n"
	"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	"metadata:\n  name: rates\n  namespace: default\nspec:\n"
	"  parentRefs:\n  - name: my-hotel\n    sectionName: http\n"
	"  rules:\n  - matches:\n    - path:\n        type: PathPrefix\n"
	"        value: /parking\n    backendRefs:\n    - name: parking\n"
	"      kind: Service\n      port: 80\n";

/* Group setup: the simulator, the installed lab, the route. */
static int
dt_setup(void **state)
{
	struct dt	*t = xcalloc(1, sizeof(*t));

	lfx_start(&t->fx, 20, 2);
	t->aws = t->fx.aws;
	t->kc = t->fx.kc;
	*state = t;
	dt_install(t);
	lfx_wait_engine(&t->fx);
	t->vpc = t->fx.vpc;
	t->sg = t->fx.sg;
	dt_network(t);
	dt_associate(t);
	dt_apply(t, dt_app);
	t->ready = 1;
	return 0;
}

/* Group teardown. */
static int
dt_teardown(void **state)
{
	struct dt	*t = *state;

	lfx_stop(&t->fx);
	free(t->sn_id);
	free(t);
	return 0;
}

/* The converged lab: every check OK, exit 0, the contract's shape. */
static void
test_healthy_lab(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep = dt_until(t, "");
	const cJSON	*c;
	int		 n = 0;

	dt_print(rep);
	assert_int_equal(doctor_exit_code(rep), 0);
	assert_true(cJSON_IsNull(json_path(rep, "target")));
	assert_non_null(json_str(rep, "checkedAt"));
	assert_int_equal((int)json_num(json_path(rep, "summary"), "fail", -1),
	    0);
	cJSON_ArrayForEach(c, json_path(rep, "checks")) {
		n++;
		assert_non_null(json_str(c, "group"));
		assert_non_null(json_str(c, "subject"));
		assert_non_null(json_str(c, "title"));
		assert_non_null(json_str(c, "evidence"));
		assert_non_null(json_str(c, "fix"));
		assert_string_equal(json_str(c, "status"), "OK");
	}
	assert_int_equal(n, 22);
	assert_int_equal((int)json_num(json_path(rep, "summary"), "ok", 0), n);
	/* the facts came from the controller's configuration */
	assert_int_equal(doctor_check_status(rep, "network.eks-cluster"),
	    DOCTOR_OK);
	assert_int_equal(doctor_check_status(rep, "route.target-health"),
	    DOCTOR_OK);
	cJSON_Delete(rep);
}

/* One route by name, by kind/name; an unknown route cannot be checked. */
static void
test_one_route(void **state)
{
	struct dt		*t = *state;
	struct doctor_opts	 o;
	cJSON			*rep;
	char			*cause = NULL;

	rep = dt_doctor(t, "httproute/rates");
	assert_string_equal(json_str(rep, "target"), "HTTPRoute/default/rates");
	assert_int_equal(doctor_exit_code(rep), 0);
	assert_int_equal(doctor_check_status(rep, "route.rules"), DOCTOR_OK);
	cJSON_Delete(rep);
	memset(&o, 0, sizeof(o));
	o.kc = t->kc;
	o.aws = t->aws;
	o.route = "nope";
	assert_int_equal(doctor_run(&o, &rep, &cause), -1);
	assert_null(rep);
	assert_non_null(strstr(cause, "nope not found"));
	free(cause);
}

/* The prefix-list rule removed from the cluster security group. */
static void
test_sg_rule_removed(void **state)
{
	struct dt			*t = *state;
	struct ec2_prefix_lists		 pl;
	struct ec2_filters		 fl;
	struct ec2_describe		 q;
	struct ec2_ip_permission	 p;
	struct aws_error		 err;
	cJSON				*rep;
	char				*pl_id;

	memset(&pl, 0, sizeof(pl));
	memset(&fl, 0, sizeof(fl));
	memset(&q, 0, sizeof(q));
	memset(&err, 0, sizeof(err));
	ec2_filters_add(&fl, "prefix-list-name",
	    "com.amazonaws." SIM_REGION ".vpc-lattice");
	q.filters = &fl;
	assert_int_equal(ec2_describe_prefix_lists(t->aws, &q, &pl, &err), 0);
	assert_int_equal(pl.n, 1);
	pl_id = xstrdup(pl.v[0].id);
	ec2_ip_permission_init(&p, "-1");
	ec2_ip_permission_add_prefix_list(&p, pl_id, NULL);
	assert_int_equal(ec2_revoke_sg_ingress(t->aws, t->sg, &p, 1, NULL,
	    &err), 0);
	rep = dt_until(t, "network.sg-prefix-list");
	dt_names(rep, "network.sg-prefix-list", "FAIL", pl_id,
	    "authorize-security-group-ingress");
	cJSON_Delete(rep);
	assert_int_equal(ec2_authorize_sg_ingress(t->aws, t->sg, &p, 1, NULL,
	    &err), 0);
	cJSON_Delete(dt_until(t, ""));
	ec2_ip_permission_clear(&p);
	ec2_filters_free(&fl);
	ec2_prefix_lists_free(&pl);
	free(pl_id);
}

/* The VPC association dropped. */
static void
test_vpc_association_dropped(void **state)
{
	struct dt				*t = *state;
	struct lattice_list_sn_vpc_assocs_input	 in;
	struct lattice_sn_vpc_assoc_list	 l;
	struct lattice_sn_vpc_assoc		 a;
	struct aws_error			 err;
	cJSON					*rep;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.vpc_identifier = t->vpc;
	assert_int_equal(lattice_list_sn_vpc_assocs(t->aws, &in, &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(lattice_delete_sn_vpc_assoc(t->aws, l.items[0].id, &a,
	    &err), 0);
	lattice_sn_vpc_assoc_free(&a);
	lattice_sn_vpc_assoc_list_free(&l);
	rep = dt_until(t, "network.vpc-association");
	dt_names(rep, "network.vpc-association", "FAIL", t->vpc,
	    "create-service-network-vpc-association");
	cJSON_Delete(rep);
	/* wait for the deletion to finish before associating again */
	for (;;) {
		assert_int_equal(lattice_list_sn_vpc_assocs(t->aws, &in, &l,
		    &err), 0);
		if (l.n == 0)
			break;
		lattice_sn_vpc_assoc_list_free(&l);
		time_sleep_ms(50);
	}
	lattice_sn_vpc_assoc_list_free(&l);
	dt_associate(t);
	cJSON_Delete(dt_until(t, ""));
}

/* The IAM policy detached from the controller's role. */
static void
test_policy_detached(void **state)
{
	struct dt		*t = *state;
	struct aws_error	 err;
	cJSON			*rep;

	memset(&err, 0, sizeof(err));
	assert_int_equal(iam_detach_role_policy(t->aws, DT_ROLE,
	    DT_POLICY_ARN, &err), 0);
	rep = dt_until(t, "cluster.iam-policy");
	dt_names(rep, "cluster.iam-policy", "FAIL", "no policy is attached",
	    "aws iam attach-role-policy --role-name " DT_ROLE);
	cJSON_Delete(rep);
	assert_int_equal(iam_attach_role_policy(t->aws, DT_ROLE,
	    DT_POLICY_ARN, &err), 0);
	cJSON_Delete(dt_until(t, ""));
}

/* The ServiceAccount's IRSA annotation deleted. */
static void
test_sa_annotation_deleted(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_patch(t, &KUBE_RES_SERVICEACCOUNTS, DT_NS, DT_SA, "{\"metadata\":"
	    "{\"annotations\":{\"eks.amazonaws.com/role-arn\":null}}}");
	rep = dt_until(t, "cluster.irsa");
	dt_names(rep, "cluster.irsa", "FAIL", "no eks.amazonaws.com/role-arn",
	    "annotate serviceaccount " DT_SA);
	assert_int_equal(doctor_check_status(rep, "cluster.iam-policy"),
	    DOCTOR_SKIP);
	cJSON_Delete(rep);
	dt_patch(t, &KUBE_RES_SERVICEACCOUNTS, DT_NS, DT_SA, "{\"metadata\":"
	    "{\"annotations\":{\"eks.amazonaws.com/role-arn\":\"" DT_ROLE_ARN
	    "\"}}}");
	cJSON_Delete(dt_until(t, ""));
}

/* A second controller Deployment fighting over the GatewayClass. */
static void
test_two_controllers(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_apply(t, "apiVersion: v1\nkind: Namespace\nmetadata:\n"
	    "  name: other-ctl\n---\napiVersion: apps/v1\nkind: Deployment\n"
	    "metadata:\n  name: gateway-api-controller\n  namespace: other-ctl"
	    "\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n"
	    "      app: other\n  template:\n    metadata:\n      labels:\n"
	    "        app: other\n    spec:\n      containers:\n"
	    "      - name: manager\n        image: controller\n");
	rep = dt_until(t, "cluster.single-controller");
	dt_names(rep, "cluster.single-controller", "FAIL", "other-ctl/"
	    "gateway-api-controller", "delete deployment");
	cJSON_Delete(rep);
	dt_delete(t, &KUBE_RES_DEPLOYMENTS, "other-ctl",
	    "gateway-api-controller");
	cJSON_Delete(dt_until(t, ""));
}

/* The backend scaled to 0. */
static void
test_backend_scaled_to_zero(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_patch(t, &KUBE_RES_DEPLOYMENTS, "default", "parking",
	    "{\"spec\":{\"replicas\":0}}");
	rep = dt_until(t, "route.targets");
	dt_names(rep, "route.targets", "FAIL", "no ready endpoints",
	    "scale deployment parking --replicas=2");
	cJSON_Delete(rep);
	dt_patch(t, &KUBE_RES_DEPLOYMENTS, "default", "parking",
	    "{\"spec\":{\"replicas\":2}}");
	cJSON_Delete(dt_until(t, ""));
}

/* The Service's targetPort no longer the pods' containerPort. */
static void
test_port_mismatch(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_patch(t, &KUBE_RES_SERVICES, "default", "parking", "{\"spec\":"
	    "{\"ports\":[{\"protocol\":\"TCP\",\"port\":80,\"targetPort\":"
	    "9090}]}}");
	rep = dt_until(t, "route.target-port");
	dt_names(rep, "route.target-port", "FAIL", "targetPort 9090, but the "
	    "pods declare containerPort 8090", "patch service parking");
	cJSON_Delete(rep);
	dt_patch(t, &KUBE_RES_SERVICES, "default", "parking", "{\"spec\":"
	    "{\"ports\":[{\"protocol\":\"TCP\",\"port\":80,\"targetPort\":"
	    "8090}]}}");
	cJSON_Delete(dt_until(t, ""));
}

/* A health check path the pods do not serve (through a
 * TargetGroupPolicy). */
static void
test_health_check_fails(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_apply(t, "apiVersion: application-networking.k8s.aws/v1alpha1\n"
	    "kind: TargetGroupPolicy\nmetadata:\n  name: parking-hc\n"
	    "  namespace: default\nspec:\n  targetRef:\n    group: \"\"\n"
	    "    kind: Service\n    name: parking\n  healthCheck:\n"
	    "    enabled: true\n    path: /missing/healthz\n");
	rep = dt_until(t, "route.target-health");
	dt_names(rep, "route.target-health", "FAIL",
	    "UNHEALTHY Target.ResponseCodeMismatch", "healthCheck");
	cJSON_Delete(rep);
	dt_delete(t, &KUBE_RES_TARGETGROUPPOLICIES, "default", "parking-hc");
	cJSON_Delete(dt_until(t, ""));
}

/* A backendRef to a Service that does not exist: ResolvedRefs False. */
static void
test_backend_not_found(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_patch(t, &KUBE_RES_HTTPROUTES, "default", "rates", "{\"spec\":"
	    "{\"rules\":[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\","
	    "\"value\":\"/parking\"}}],\"backendRefs\":[{\"name\":"
	    "\"parkinq\",\"kind\":\"Service\",\"port\":80}]}]}}");
	rep = dt_until(t, "route.accepted");
	dt_names(rep, "route.accepted", "FAIL", "ResolvedRefs=False",
	    "describe HTTPRoute rates");
	cJSON_Delete(rep);
	dt_patch(t, &KUBE_RES_HTTPROUTES, "default", "rates", "{\"spec\":"
	    "{\"rules\":[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\","
	    "\"value\":\"/parking\"}}],\"backendRefs\":[{\"name\":"
	    "\"parking\",\"kind\":\"Service\",\"port\":80}]}]}}");
	cJSON_Delete(dt_until(t, ""));
}

/* The role's trust policy names another ServiceAccount. */
static void
test_trust_other_sa(void **state)
{
	struct dt		*t = *state;
	struct iam_role		 r;
	struct aws_error	 err;
	cJSON			*rep;
	char			*orig, *p, *bad;

	memset(&r, 0, sizeof(r));
	memset(&err, 0, sizeof(err));
	assert_int_equal(iam_get_role(t->aws, DT_ROLE, &r, &err), 0);
	orig = xstrdup(r.assume_role_policy_document);
	iam_role_clear(&r);
	assert_non_null(p = strstr(orig, ":" DT_SA "\""));
	xasprintf(&bad, "%.*s:other-sa%s", (int)(p - orig), orig,
	    p + strlen(":" DT_SA));
	assert_int_equal(iam_update_assume_role_policy(t->aws, DT_ROLE, bad,
	    &err), 0);
	rep = dt_until(t, "cluster.iam-trust");
	dt_names(rep, "cluster.iam-trust", "FAIL", "does not name system:"
	    "serviceaccount:" DT_NS ":" DT_SA, "update-assume-role-policy");
	cJSON_Delete(rep);
	assert_int_equal(iam_update_assume_role_policy(t->aws, DT_ROLE, orig,
	    &err), 0);
	cJSON_Delete(dt_until(t, ""));
	free(bad);
	free(orig);
}

/* A leader Lease that keeps changing hands. */
static void
test_lease_churn(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_apply(t, "apiVersion: coordination.k8s.io/v1\nkind: Lease\n"
	    "metadata:\n  name: amazon-vpc-lattice.io\n  namespace: " DT_NS
	    "\nspec:\n  holderIdentity: pod-b\n  leaseDurationSeconds: 15\n"
	    "  leaseTransitions: 9\n");
	rep = dt_until(t, "cluster.single-controller");
	dt_names(rep, "cluster.single-controller", "WARN", "changed hands 9 "
	    "times", "kubectl get pods");
	assert_int_equal(doctor_check_status(rep, "cluster.gatewayclass"),
	    DOCTOR_OK);
	cJSON_Delete(rep);
	dt_delete(t, &KUBE_RES_LEASES, DT_NS, "amazon-vpc-lattice.io");
	cJSON_Delete(dt_until(t, ""));
}

/* A Gateway whose name has no service network (the engine creates none
 * without DEFAULT_SERVICE_NETWORK). */
static void
test_gateway_without_network(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_apply(t, "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	    "metadata:\n  name: no-such-net\n  namespace: default\nspec:\n"
	    "  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
	    "  - name: http\n    protocol: HTTP\n    port: 80\n");
	rep = dt_until(t, "network.service-network");
	dt_names(rep, "network.service-network", "FAIL",
	    "no service network named no-such-net",
	    "create-service-network --name no-such-net");
	cJSON_Delete(rep);
	dt_delete(t, &KUBE_RES_GATEWAYS, "default", "no-such-net");
	cJSON_Delete(dt_until(t, ""));
}

/* The cluster VPC moved to a service network no Gateway names (a VPC
 * may be associated with one network only: the simulator refuses a
 * second association, so ours goes first). */
static void
test_vpc_other_network(void **state)
{
	struct dt					*t = *state;
	struct lattice_create_service_network_input	 in;
	struct lattice_create_sn_vpc_assoc_input	 ain;
	struct lattice_service_network			 sn;
	struct lattice_sn_vpc_assoc			 a;
	struct aws_error				 err;
	const char					*sgs[1];
	cJSON						*rep;

	dt_disassociate(t);
	memset(&in, 0, sizeof(in));
	memset(&ain, 0, sizeof(ain));
	memset(&err, 0, sizeof(err));
	in.name = "other-net";
	assert_int_equal(lattice_create_service_network(t->aws, &in, &sn,
	    &err), 0);
	sgs[0] = t->sg;
	ain.service_network_identifier = sn.id;
	ain.vpc_identifier = t->vpc;
	ain.security_group_ids = sgs;
	ain.n_security_group_ids = 1;
	if (lattice_create_sn_vpc_assoc(t->aws, &ain, &a, &err) != 0)
		fail_msg("associate: %s", err.message);
	rep = dt_until(t, "network.vpc-other-sn");
	dt_names(rep, "network.vpc-other-sn", "FAIL", "other-net",
	    "delete-service-network-vpc-association");
	assert_int_equal(doctor_check_status(rep, "network.vpc-association"),
	    DOCTOR_SKIP);
	cJSON_Delete(rep);
	dt_disassociate(t);
	assert_int_equal(lattice_delete_service_network(t->aws, sn.id, &err),
	    0);
	lattice_sn_vpc_assoc_free(&a);
	lattice_service_network_free(&sn);
	dt_associate(t);
	cJSON_Delete(dt_until(t, ""));
}

/* The route's rules (one per path) for n paths, as a merge patch. */
static char *
dt_rules_patch(int n)
{
	struct strbuf	sb;
	int		i;

	strbuf_init(&sb);
	strbuf_adds(&sb, "{\"spec\":{\"rules\":[");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s{\"matches\":[{\"path\":{\"type\":"
		    "\"PathPrefix\",\"value\":\"/parking%s%.0d\"}}],"
		    "\"backendRefs\":[{\"name\":\"parking\",\"kind\":"
		    "\"Service\",\"port\":80}]}", i > 0 ? "," : "", i > 0 ?
		    "/p" : "", i);
	strbuf_adds(&sb, "]}}");
	strbuf_addc(&sb, '\0');
	return strbuf_detach(&sb, NULL);
}

/* 8 rules on one listener: 80 % of the 10 rules quota. */
static void
test_quota_near(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;
	char		*body;

	body = dt_rules_patch(8);
	dt_patch(t, &KUBE_RES_HTTPROUTES, "default", "rates", body);
	free(body);
	rep = dt_until(t, "route.quotas");
	dt_names(rep, "route.quotas", "WARN", "at most 8/10 rules per "
	    "listener", "service-quotas");
	cJSON_Delete(rep);
	body = dt_rules_patch(1);
	dt_patch(t, &KUBE_RES_HTTPROUTES, "default", "rates", body);
	free(body);
	cJSON_Delete(dt_until(t, ""));
}

/* A Lattice rule deleted out of band, the engine stopped (it would put
 * the rule back at its next resync); starting it repairs the rule. */
static void
test_rule_deleted(void **state)
{
	struct dt			*t = *state;
	struct lattice_listener_list	 ll;
	struct lattice_rule_list	 rl;
	struct aws_error		 err;
	cJSON				*rep;
	char				*svc;
	size_t				 i;
	int				 n = 0;

	cJSON_Delete(dt_until(t, ""));
	dt_engine_stop(t);
	svc = dt_service_id(t);
	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_list_listeners(t->aws, svc, NULL, &ll, &err),
	    0);
	assert_int_equal(ll.n, 1);
	assert_int_equal(lattice_list_rules(t->aws, svc, ll.items[0].id, NULL,
	    &rl, &err), 0);
	for (i = 0; i < rl.n; i++) {
		if (rl.items[i].is_default)
			continue;
		assert_int_equal(lattice_delete_rule(t->aws, svc,
		    ll.items[0].id, rl.items[i].id, &err), 0);
		n++;
	}
	assert_int_equal(n, 1);
	lattice_rule_list_free(&rl);
	lattice_listener_list_free(&ll);
	rep = dt_until(t, "route.rules");
	dt_names(rep, "route.rules", "FAIL", "create-rule",
	    "latticectl controller --once");
	cJSON_Delete(rep);
	dt_engine_start(t);
	cJSON_Delete(dt_until(t, ""));
	free(svc);
}

/* The Lattice service deleted out of band (its association first), the
 * engine stopped; the dependent checks are skipped, not failed. */
static void
test_service_deleted(void **state)
{
	struct dt					*t = *state;
	struct lattice_list_sn_service_assocs_input	 in;
	struct lattice_sn_service_assoc_list		 l;
	struct lattice_service				 s;
	struct aws_error				 err;
	uint64_t					 end;
	cJSON						*rep;
	char						*svc;

	cJSON_Delete(dt_until(t, ""));
	dt_engine_stop(t);
	svc = dt_service_id(t);
	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.service_identifier = svc;
	assert_int_equal(lattice_list_sn_service_assocs(t->aws, &in, &l,
	    &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(lattice_delete_sn_service_assoc(t->aws,
	    l.items[0].id, NULL, &err), 0);
	lattice_sn_service_assoc_list_free(&l);
	end = time_mono_ms() + DT_WAIT_MS;
	while (lattice_delete_service(t->aws, svc, NULL, &err) != 0) {
		aws_error_clear(&err);
		if (time_mono_ms() > end)
			fail_msg("the service is not deleted");
		time_sleep_ms(50);
	}
	memset(&s, 0, sizeof(s));
	while (lattice_get_service(t->aws, svc, &s, &err) == 0) {
		lattice_service_free(&s);
		if (time_mono_ms() > end)
			fail_msg("the service is not gone");
		time_sleep_ms(50);
	}
	aws_error_clear(&err);
	rep = dt_until(t, "route.service");
	dt_names(rep, "route.service", "FAIL", "no Lattice service",
	    "latticectl controller --once");
	assert_int_equal(doctor_check_status(rep, "route.rules"), DOCTOR_SKIP);
	assert_int_equal(doctor_check_status(rep, "route.sn-association"),
	    DOCTOR_SKIP);
	cJSON_Delete(rep);
	dt_engine_start(t);
	cJSON_Delete(dt_until(t, ""));
	free(svc);
}

/* The controller Deployment scaled to 0. */
static void
test_controller_scaled_to_zero(void **state)
{
	struct dt	*t = *state;
	cJSON		*dep, *rep;
	char		*body;
	int		 replicas;

	dep = dt_get(t, &KUBE_RES_DEPLOYMENTS, DT_NS, DT_SA);
	replicas = (int)json_num(json_path(dep, "spec"), "replicas", 1);
	cJSON_Delete(dep);
	assert_true(replicas > 0);
	dt_patch(t, &KUBE_RES_DEPLOYMENTS, DT_NS, DT_SA,
	    "{\"spec\":{\"replicas\":0}}");
	rep = dt_until(t, "cluster.controller-running");
	dt_names(rep, "cluster.controller-running", "FAIL",
	    "scaled to 0 replicas", "describe deployment " DT_SA);
	cJSON_Delete(rep);
	xasprintf(&body, "{\"spec\":{\"replicas\":%d}}", replicas);
	dt_patch(t, &KUBE_RES_DEPLOYMENTS, DT_NS, DT_SA, body);
	free(body);
	cJSON_Delete(dt_until(t, ""));
}

/* The HTTPRoute CRD from a Gateway API bundle older than v1.0. */
static void
test_crd_bundle_old(void **state)
{
	struct dt	*t = *state;
	const char	*crd = "httproutes.gateway.networking.k8s.io";
	const char	*v;
	cJSON		*o, *rep;
	char		*body, *orig;

	o = dt_get(t, &KUBE_RES_CRDS, NULL, crd);
	v = json_str(json_path(o, "metadata.annotations"),
	    "gateway.networking.k8s.io/bundle-version");
	if (v != NULL)
		xasprintf(&orig, "\"%s\"", v);
	else
		orig = xstrdup("null");
	cJSON_Delete(o);
	dt_patch(t, &KUBE_RES_CRDS, NULL, crd, "{\"metadata\":{\"annotations"
	    "\":{\"gateway.networking.k8s.io/bundle-version\":\"v0.8.0\"}}}");
	rep = dt_until(t, "cluster.crds");
	dt_names(rep, "cluster.crds", "FAIL", "bundle v0.8.0 is older than "
	    "v1.0.0", "standard-install.yaml");
	cJSON_Delete(rep);
	xasprintf(&body, "{\"metadata\":{\"annotations\":{\"gateway."
	    "networking.k8s.io/bundle-version\":%s}}}", orig);
	dt_patch(t, &KUBE_RES_CRDS, NULL, crd, body);
	free(body);
	free(orig);
	cJSON_Delete(dt_until(t, ""));
}

/* The service's association with the network deleted out of band, the
 * engine stopped (it would associate again). */
static void
test_service_association_deleted(void **state)
{
	struct dt					*t = *state;
	struct lattice_list_sn_service_assocs_input	 in;
	struct lattice_sn_service_assoc_list		 l;
	struct aws_error				 err;
	uint64_t					 end;
	cJSON						*rep;
	char						*svc;

	cJSON_Delete(dt_until(t, ""));
	dt_engine_stop(t);
	svc = dt_service_id(t);
	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.service_identifier = svc;
	assert_int_equal(lattice_list_sn_service_assocs(t->aws, &in, &l,
	    &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(lattice_delete_sn_service_assoc(t->aws,
	    l.items[0].id, NULL, &err), 0);
	lattice_sn_service_assoc_list_free(&l);
	end = time_mono_ms() + DT_WAIT_MS;
	for (;;) {
		assert_int_equal(lattice_list_sn_service_assocs(t->aws, &in,
		    &l, &err), 0);
		if (l.n == 0)
			break;
		lattice_sn_service_assoc_list_free(&l);
		if (time_mono_ms() > end)
			fail_msg("the association is not deleted");
		time_sleep_ms(50);
	}
	lattice_sn_service_assoc_list_free(&l);
	rep = dt_until(t, "route.sn-association");
	dt_names(rep, "route.sn-association", "FAIL", "create-association",
	    "latticectl controller --once");
	cJSON_Delete(rep);
	dt_engine_start(t);
	cJSON_Delete(dt_until(t, ""));
	free(svc);
}

/* The ServiceAccount annotated with a role that does not exist. */
static void
test_role_missing(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_patch(t, &KUBE_RES_SERVICEACCOUNTS, DT_NS, DT_SA, "{\"metadata\":"
	    "{\"annotations\":{\"eks.amazonaws.com/role-arn\":\"arn:aws:iam::"
	    SIM_ACCOUNT_ID ":role/NoSuchRole\"}}}");
	rep = dt_until(t, "cluster.iam-role");
	dt_names(rep, "cluster.iam-role", "FAIL", "NoSuchRole",
	    "install --only service-account");
	cJSON_Delete(rep);
	dt_patch(t, &KUBE_RES_SERVICEACCOUNTS, DT_NS, DT_SA, "{\"metadata\":"
	    "{\"annotations\":{\"eks.amazonaws.com/role-arn\":\"" DT_ROLE_ARN
	    "\"}}}");
	cJSON_Delete(dt_until(t, ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy_lab),
		cmocka_unit_test(test_one_route),
		cmocka_unit_test(test_sg_rule_removed),
		cmocka_unit_test(test_vpc_association_dropped),
		cmocka_unit_test(test_policy_detached),
		cmocka_unit_test(test_sa_annotation_deleted),
		cmocka_unit_test(test_two_controllers),
		cmocka_unit_test(test_backend_scaled_to_zero),
		cmocka_unit_test(test_port_mismatch),
		cmocka_unit_test(test_health_check_fails),
		cmocka_unit_test(test_backend_not_found),
		cmocka_unit_test(test_trust_other_sa),
		cmocka_unit_test(test_lease_churn),
		cmocka_unit_test(test_gateway_without_network),
		cmocka_unit_test(test_vpc_other_network),
		cmocka_unit_test(test_quota_near),
		cmocka_unit_test(test_rule_deleted),
		cmocka_unit_test(test_service_deleted),
		cmocka_unit_test(test_controller_scaled_to_zero),
		cmocka_unit_test(test_crd_bundle_old),
		cmocka_unit_test(test_service_association_deleted),
		cmocka_unit_test(test_role_missing),
	};

	log_open(LOG_LEVEL_OFF, LOG_FORMAT_TEXT, NULL);
	return cmocka_run_group_tests(tests, dt_setup, dt_teardown);
}
