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

/* Poll done(t, arg) every 50 ms until it holds; fail with what after
 * DT_WAIT_MS. */
static void
dt_poll(struct dt *t, int (*done)(struct dt *, const char *),
    const char *arg, const char *what)
{
	uint64_t	end = time_mono_ms() + DT_WAIT_MS;

	while (!done(t, arg)) {
		if (time_mono_ms() > end)
			fail_msg("%s", what);
		time_sleep_ms(50);
	}
}

/* The cluster VPC's associations (caller frees l). */
static void
dt_vpc_assocs(struct dt *t, struct lattice_sn_vpc_assoc_list *l)
{
	struct lattice_list_sn_vpc_assocs_input	 in;
	struct aws_error			 err;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.vpc_identifier = t->vpc;
	assert_int_equal(lattice_list_sn_vpc_assocs(t->aws, &in, l, &err), 0);
}

/* Whether the cluster VPC has no association (arg unused). */
static int
dt_vpc_no_assoc(struct dt *t, const char *arg)
{
	struct lattice_sn_vpc_assoc_list	l;
	size_t					n;

	(void)arg;
	dt_vpc_assocs(t, &l);
	n = l.n;
	lattice_sn_vpc_assoc_list_free(&l);
	return n == 0;
}

/* Wait until the VPC has no association (a deletion finished). */
static void
dt_vpc_unassociated(struct dt *t)
{
	dt_poll(t, dt_vpc_no_assoc, NULL,
	    "the VPC association is not deleted");
}

/* Start deleting the VPC's one association (not waiting). */
static void
dt_vpc_assoc_delete(struct dt *t)
{
	struct lattice_sn_vpc_assoc_list	l;
	struct aws_error			err;

	memset(&err, 0, sizeof(err));
	dt_vpc_assocs(t, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(lattice_delete_sn_vpc_assoc(t->aws, l.items[0].id,
	    NULL, &err), 0);
	lattice_sn_vpc_assoc_list_free(&l);
}

/* Delete the VPC's association and wait until it is gone. */
static void
dt_disassociate(struct dt *t)
{
	dt_vpc_assoc_delete(t);
	dt_vpc_unassociated(t);
}

/* The associations of service svc (caller frees l). */
static void
dt_service_assocs(struct dt *t, const char *svc,
    struct lattice_sn_service_assoc_list *l)
{
	struct lattice_list_sn_service_assocs_input	in;
	struct aws_error				err;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.service_identifier = svc;
	assert_int_equal(lattice_list_sn_service_assocs(t->aws, &in, l, &err),
	    0);
}

/* Whether service svc has no association. */
static int
dt_service_no_assoc(struct dt *t, const char *svc)
{
	struct lattice_sn_service_assoc_list	l;
	size_t					n;

	dt_service_assocs(t, svc, &l);
	n = l.n;
	lattice_sn_service_assoc_list_free(&l);
	return n == 0;
}

/* Start deleting service svc's one association (not waiting). */
static void
dt_service_assoc_delete(struct dt *t, const char *svc)
{
	struct lattice_sn_service_assoc_list	l;
	struct aws_error			err;

	memset(&err, 0, sizeof(err));
	dt_service_assocs(t, svc, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(lattice_delete_sn_service_assoc(t->aws,
	    l.items[0].id, NULL, &err), 0);
	lattice_sn_service_assoc_list_free(&l);
}

/* Try to delete service svc: whether the deletion was accepted. */
static int
dt_service_delete_ok(struct dt *t, const char *svc)
{
	struct aws_error	err;

	memset(&err, 0, sizeof(err));
	if (lattice_delete_service(t->aws, svc, NULL, &err) == 0)
		return 1;
	aws_error_clear(&err);
	return 0;
}

/* Whether service svc no longer exists. */
static int
dt_service_gone(struct dt *t, const char *svc)
{
	struct lattice_service	s;
	struct aws_error	err;

	memset(&s, 0, sizeof(s));
	memset(&err, 0, sizeof(err));
	if (lattice_get_service(t->aws, svc, &s, &err) == 0) {
		lattice_service_free(&s);
		return 0;
	}
	aws_error_clear(&err);
	return 1;
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

/* Wait until id is doctor's only finding, with evidence and a fix
 * (dt_names); the report (caller frees). */
static cJSON *
dt_broken(struct dt *t, const char *id, const char *status,
    const char *evidence, const char *fix)
{
	cJSON	*rep = dt_until(t, id);

	dt_names(rep, id, status, evidence, fix);
	return rep;
}

/* As dt_broken, the report dropped. */
static void
dt_expect(struct dt *t, const char *id, const char *status,
    const char *evidence, const char *fix)
{
	cJSON_Delete(dt_broken(t, id, status, evidence, fix));
}

/* Wait until doctor is all green. */
static void
dt_healthy(struct dt *t)
{
	cJSON_Delete(dt_until(t, ""));
}

/* All green, then the engine stopped (nothing repairs what the test
 * breaks): the route's service id (dt_engine_resume frees it). */
static char *
dt_engine_pause(struct dt *t)
{
	dt_healthy(t);
	dt_engine_stop(t);
	return dt_service_id(t);
}

/* The repair: the engine started again, then all green; frees svc. */
static void
dt_engine_resume(struct dt *t, char *svc)
{
	dt_engine_start(t);
	dt_healthy(t);
	free(svc);
}

/* Set a Deployment's replicas. */
static void
dt_scale(struct dt *t, const char *ns, const char *name, int replicas)
{
	char	*body;

	xasprintf(&body, "{\"spec\":{\"replicas\":%d}}", replicas);
	dt_patch(t, &KUBE_RES_DEPLOYMENTS, ns, name, body);
	free(body);
}

/* Set one annotation of an object to value, a JSON text ("null"
 * deletes it). */
static void
dt_annotate(struct dt *t, const struct kube_resource *res, const char *ns,
    const char *name, const char *key, const char *value)
{
	char	*body;

	xasprintf(&body, "{\"metadata\":{\"annotations\":{\"%s\":%s}}}", key,
	    value);
	dt_patch(t, res, ns, name, body);
	free(body);
}

/* Set the controller ServiceAccount's IRSA role annotation (JSON). */
static void
dt_sa_role(struct dt *t, const char *value)
{
	dt_annotate(t, &KUBE_RES_SERVICEACCOUNTS, DT_NS, DT_SA,
	    "eks.amazonaws.com/role-arn", value);
}

/* Point the parking Service's port 80 at target port. */
static void
dt_target_port(struct dt *t, int port)
{
	char	*body;

	xasprintf(&body, "{\"spec\":{\"ports\":[{\"protocol\":\"TCP\","
	    "\"port\":80,\"targetPort\":%d}]}}", port);
	dt_patch(t, &KUBE_RES_SERVICES, "default", "parking", body);
	free(body);
}

/* Give the route n rules (one per path), each to Service backend. */
static void
dt_route_rules(struct dt *t, int n, const char *backend)
{
	struct strbuf	sb;
	int		i;

	strbuf_init(&sb);
	strbuf_adds(&sb, "{\"spec\":{\"rules\":[");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s{\"matches\":[{\"path\":{\"type\":"
		    "\"PathPrefix\",\"value\":\"/parking%s%.0d\"}}],"
		    "\"backendRefs\":[{\"name\":\"%s\",\"kind\":"
		    "\"Service\",\"port\":80}]}", i > 0 ? "," : "", i > 0 ?
		    "/p" : "", i, backend);
	strbuf_adds(&sb, "]}}");
	strbuf_addc(&sb, '\0');
	dt_patch(t, &KUBE_RES_HTTPROUTES, "default", "rates", sb.buf);
	strbuf_free(&sb);
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

/* A service network named name (its id; caller frees). */
static char *
dt_network(struct dt *t, const char *name)
{
	struct lattice_create_service_network_input	 in;
	struct lattice_service_network			 sn;
	struct aws_error				 err;
	char						*id;

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.name = name;
	assert_int_equal(lattice_create_service_network(t->aws, &in, &sn,
	    &err), 0);
	id = xstrdup(sn.id);
	lattice_service_network_free(&sn);
	return id;
}

/* Associate the cluster VPC with network sn_id. */
static void
dt_associate_sn(struct dt *t, const char *sn_id)
{
	struct lattice_create_sn_vpc_assoc_input	 in;
	struct lattice_sn_vpc_assoc			 a;
	struct aws_error				 err;
	const char					*sgs[1];

	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	sgs[0] = t->sg;
	in.service_network_identifier = sn_id;
	in.vpc_identifier = t->vpc;
	in.security_group_ids = sgs;
	in.n_security_group_ids = 1;
	if (lattice_create_sn_vpc_assoc(t->aws, &in, &a, &err) != 0)
		fail_msg("associate: %s", err.message);
	lattice_sn_vpc_assoc_free(&a);
}

/* Associate the cluster VPC with the my-hotel network. */
static void
dt_associate(struct dt *t)
{
	dt_associate_sn(t, t->sn_id);
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
	t->sn_id = dt_network(t, "my-hotel");
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
	dt_expect(t, "network.sg-prefix-list", "FAIL", pl_id,
	    "authorize-security-group-ingress");
	assert_int_equal(ec2_authorize_sg_ingress(t->aws, t->sg, &p, 1, NULL,
	    &err), 0);
	dt_healthy(t);
	ec2_ip_permission_clear(&p);
	ec2_filters_free(&fl);
	ec2_prefix_lists_free(&pl);
	free(pl_id);
}

/* The VPC association dropped. */
static void
test_vpc_association_dropped(void **state)
{
	struct dt	*t = *state;

	dt_vpc_assoc_delete(t);
	dt_expect(t, "network.vpc-association", "FAIL", t->vpc,
	    "create-service-network-vpc-association");
	/* wait for the deletion to finish before associating again */
	dt_vpc_unassociated(t);
	dt_associate(t);
	dt_healthy(t);
}

/* The IAM policy detached from the controller's role. */
static void
test_policy_detached(void **state)
{
	struct dt		*t = *state;
	struct aws_error	 err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(iam_detach_role_policy(t->aws, DT_ROLE,
	    DT_POLICY_ARN, &err), 0);
	dt_expect(t, "cluster.iam-policy", "FAIL", "no policy is attached",
	    "aws iam attach-role-policy --role-name " DT_ROLE);
	assert_int_equal(iam_attach_role_policy(t->aws, DT_ROLE,
	    DT_POLICY_ARN, &err), 0);
	dt_healthy(t);
}

/* The ServiceAccount's IRSA annotation deleted. */
static void
test_sa_annotation_deleted(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;

	dt_sa_role(t, "null");
	rep = dt_broken(t, "cluster.irsa", "FAIL",
	    "no eks.amazonaws.com/role-arn", "annotate serviceaccount " DT_SA);
	assert_int_equal(doctor_check_status(rep, "cluster.iam-policy"),
	    DOCTOR_SKIP);
	cJSON_Delete(rep);
	dt_sa_role(t, "\"" DT_ROLE_ARN "\"");
	dt_healthy(t);
}

/* A second controller Deployment fighting over the GatewayClass. */
static void
test_two_controllers(void **state)
{
	struct dt	*t = *state;

	dt_apply(t, "apiVersion: v1\nkind: Namespace\nmetadata:\n"
	    "  name: other-ctl\n---\napiVersion: apps/v1\nkind: Deployment\n"
	    "metadata:\n  name: gateway-api-controller\n  namespace: other-ctl"
	    "\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n"
	    "      app: other\n  template:\n    metadata:\n      labels:\n"
	    "        app: other\n    spec:\n      containers:\n"
	    "      - name: manager\n        image: controller\n");
	dt_expect(t, "cluster.single-controller", "FAIL", "other-ctl/"
	    "gateway-api-controller", "delete deployment");
	dt_delete(t, &KUBE_RES_DEPLOYMENTS, "other-ctl",
	    "gateway-api-controller");
	dt_healthy(t);
}

/* The backend scaled to 0. */
static void
test_backend_scaled_to_zero(void **state)
{
	struct dt	*t = *state;

	dt_scale(t, "default", "parking", 0);
	dt_expect(t, "route.targets", "FAIL", "no ready endpoints",
	    "scale deployment parking --replicas=2");
	dt_scale(t, "default", "parking", 2);
	dt_healthy(t);
}

/* The Service's targetPort no longer the pods' containerPort. */
static void
test_port_mismatch(void **state)
{
	struct dt	*t = *state;

	dt_target_port(t, 9090);
	dt_expect(t, "route.target-port", "FAIL", "targetPort 9090, but the "
	    "pods declare containerPort 8090", "patch service parking");
	dt_target_port(t, 8090);
	dt_healthy(t);
}

/* A health check path the pods do not serve (through a
 * TargetGroupPolicy). */
static void
test_health_check_fails(void **state)
{
	struct dt	*t = *state;

	dt_apply(t, "apiVersion: application-networking.k8s.aws/v1alpha1\n"
	    "kind: TargetGroupPolicy\nmetadata:\n  name: parking-hc\n"
	    "  namespace: default\nspec:\n  targetRef:\n    group: \"\"\n"
	    "    kind: Service\n    name: parking\n  healthCheck:\n"
	    "    enabled: true\n    path: /missing/healthz\n");
	dt_expect(t, "route.target-health", "FAIL",
	    "UNHEALTHY Target.ResponseCodeMismatch", "healthCheck");
	dt_delete(t, &KUBE_RES_TARGETGROUPPOLICIES, "default", "parking-hc");
	dt_healthy(t);
}

/* A backendRef to a Service that does not exist: ResolvedRefs False. */
static void
test_backend_not_found(void **state)
{
	struct dt	*t = *state;

	dt_route_rules(t, 1, "parkinq");
	dt_expect(t, "route.accepted", "FAIL", "ResolvedRefs=False",
	    "describe HTTPRoute rates");
	dt_route_rules(t, 1, "parking");
	dt_healthy(t);
}

/* The role's trust policy names another ServiceAccount. */
static void
test_trust_other_sa(void **state)
{
	struct dt		*t = *state;
	struct iam_role		 r;
	struct aws_error	 err;
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
	dt_expect(t, "cluster.iam-trust", "FAIL", "does not name system:"
	    "serviceaccount:" DT_NS ":" DT_SA, "update-assume-role-policy");
	assert_int_equal(iam_update_assume_role_policy(t->aws, DT_ROLE, orig,
	    &err), 0);
	dt_healthy(t);
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
	rep = dt_broken(t, "cluster.single-controller", "WARN", "changed "
	    "hands 9 times", "kubectl get pods");
	assert_int_equal(doctor_check_status(rep, "cluster.gatewayclass"),
	    DOCTOR_OK);
	cJSON_Delete(rep);
	dt_delete(t, &KUBE_RES_LEASES, DT_NS, "amazon-vpc-lattice.io");
	dt_healthy(t);
}

/* A Gateway whose name has no service network (the engine creates none
 * without DEFAULT_SERVICE_NETWORK). */
static void
test_gateway_without_network(void **state)
{
	struct dt	*t = *state;

	dt_apply(t, "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	    "metadata:\n  name: no-such-net\n  namespace: default\nspec:\n"
	    "  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
	    "  - name: http\n    protocol: HTTP\n    port: 80\n");
	dt_expect(t, "network.service-network", "FAIL",
	    "no service network named no-such-net",
	    "create-service-network --name no-such-net");
	dt_delete(t, &KUBE_RES_GATEWAYS, "default", "no-such-net");
	dt_healthy(t);
}

/* The cluster VPC moved to a service network no Gateway names (a VPC
 * may be associated with one network only: the simulator refuses a
 * second association, so ours goes first). */
static void
test_vpc_other_network(void **state)
{
	struct dt		*t = *state;
	struct aws_error	 err;
	cJSON			*rep;
	char			*other;

	memset(&err, 0, sizeof(err));
	dt_disassociate(t);
	other = dt_network(t, "other-net");
	dt_associate_sn(t, other);
	rep = dt_broken(t, "network.vpc-other-sn", "FAIL", "other-net",
	    "delete-service-network-vpc-association");
	assert_int_equal(doctor_check_status(rep, "network.vpc-association"),
	    DOCTOR_SKIP);
	cJSON_Delete(rep);
	dt_disassociate(t);
	assert_int_equal(lattice_delete_service_network(t->aws, other, &err),
	    0);
	free(other);
	dt_associate(t);
	dt_healthy(t);
}

/* 8 rules on one listener: 80 % of the 10 rules quota. */
static void
test_quota_near(void **state)
{
	struct dt	*t = *state;

	dt_route_rules(t, 8, "parking");
	dt_expect(t, "route.quotas", "WARN", "at most 8/10 rules per "
	    "listener", "service-quotas");
	dt_route_rules(t, 1, "parking");
	dt_healthy(t);
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
	char				*svc;
	size_t				 i;
	int				 n = 0;

	svc = dt_engine_pause(t);
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
	dt_expect(t, "route.rules", "FAIL", "create-rule",
	    "latticectl controller --once");
	dt_engine_resume(t, svc);
}

/* The Lattice service deleted out of band (its association first), the
 * engine stopped; the dependent checks are skipped, not failed. */
static void
test_service_deleted(void **state)
{
	struct dt	*t = *state;
	cJSON		*rep;
	char		*svc;

	svc = dt_engine_pause(t);
	dt_service_assoc_delete(t, svc);
	dt_poll(t, dt_service_delete_ok, svc, "the service is not deleted");
	dt_poll(t, dt_service_gone, svc, "the service is not gone");
	rep = dt_broken(t, "route.service", "FAIL", "no Lattice service",
	    "latticectl controller --once");
	assert_int_equal(doctor_check_status(rep, "route.rules"), DOCTOR_SKIP);
	assert_int_equal(doctor_check_status(rep, "route.sn-association"),
	    DOCTOR_SKIP);
	cJSON_Delete(rep);
	dt_engine_resume(t, svc);
}

/* The controller Deployment scaled to 0. */
static void
test_controller_scaled_to_zero(void **state)
{
	struct dt	*t = *state;
	cJSON		*dep;
	int		 replicas;

	dep = dt_get(t, &KUBE_RES_DEPLOYMENTS, DT_NS, DT_SA);
	replicas = (int)json_num(json_path(dep, "spec"), "replicas", 1);
	cJSON_Delete(dep);
	assert_true(replicas > 0);
	dt_scale(t, DT_NS, DT_SA, 0);
	dt_expect(t, "cluster.controller-running", "FAIL",
	    "scaled to 0 replicas", "describe deployment " DT_SA);
	dt_scale(t, DT_NS, DT_SA, replicas);
	dt_healthy(t);
}

/* The HTTPRoute CRD from a Gateway API bundle older than v1.0. */
static void
test_crd_bundle_old(void **state)
{
	struct dt	*t = *state;
	const char	*crd = "httproutes.gateway.networking.k8s.io";
	const char	*key = "gateway.networking.k8s.io/bundle-version";
	const char	*v;
	cJSON		*o;
	char		*orig;

	o = dt_get(t, &KUBE_RES_CRDS, NULL, crd);
	v = json_str(json_path(o, "metadata.annotations"), key);
	if (v != NULL)
		xasprintf(&orig, "\"%s\"", v);
	else
		orig = xstrdup("null");
	cJSON_Delete(o);
	dt_annotate(t, &KUBE_RES_CRDS, NULL, crd, key, "\"v0.8.0\"");
	dt_expect(t, "cluster.crds", "FAIL", "bundle v0.8.0 is older than "
	    "v1.0.0", "standard-install.yaml");
	dt_annotate(t, &KUBE_RES_CRDS, NULL, crd, key, orig);
	free(orig);
	dt_healthy(t);
}

/* The service's association with the network deleted out of band, the
 * engine stopped (it would associate again). */
static void
test_service_association_deleted(void **state)
{
	struct dt	*t = *state;
	char		*svc;

	svc = dt_engine_pause(t);
	dt_service_assoc_delete(t, svc);
	dt_poll(t, dt_service_no_assoc, svc,
	    "the association is not deleted");
	dt_expect(t, "route.sn-association", "FAIL", "create-association",
	    "latticectl controller --once");
	dt_engine_resume(t, svc);
}

/* The ServiceAccount annotated with a role that does not exist. */
static void
test_role_missing(void **state)
{
	struct dt	*t = *state;

	dt_sa_role(t, "\"arn:aws:iam::" SIM_ACCOUNT_ID ":role/NoSuchRole\"");
	dt_expect(t, "cluster.iam-role", "FAIL", "NoSuchRole",
	    "install --only service-account");
	dt_sa_role(t, "\"" DT_ROLE_ARN "\"");
	dt_healthy(t);
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
