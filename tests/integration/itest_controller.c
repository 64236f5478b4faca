/*
 * Integration test of the whole engine (issue 5, "Done means"): the
 * simulator in process, the Gateway API and AWS CRDs, the lab's objects
 * (my-hotel gateway, parking, review, rates with /parking and /review,
 * inventory) and the controller converging them:
 *   - Lattice through the client: services named as upstream
 *     (rates-default), listeners, rules with priorities, target groups
 *     with upstream-format names and tags, targets = pod IPs;
 *   - Kubernetes: route status Accepted/ResolvedRefs, the DNS and ARN
 *     annotations, the finalizer, Gateway Programmed (and Pending for a
 *     Gateway without a service network), GatewayClass Accepted;
 *   - a second controller (fresh mirror, leader election) makes zero
 *     Lattice and zero Kubernetes writes;
 *   - a route change re-converges; plan is 0 in sync and 1 (exit 2) after
 *     a rule is changed behind its back; map shows the chain;
 *   - deleting a route removes its service and target groups and then
 *     the finalizer.
 * Prints the API calls each phase made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>

#include "latticectl/kutil.h"
#include "ctl_fixture.h"

static struct cfx	fx;

/* Group setup: the simulator and the lab. */
static int
setup(void **state)
{
	(void)state;
	if (test_reference_dir() == NULL) {
		printf("SKIP: reference directory not found\n");
		return -1;
	}
	cfx_start(&fx, 0);
	cfx_apply_text(&fx, "apiVersion: gateway.networking.k8s.io/v1\n"
	    "kind: Gateway\nmetadata:\n  name: lonely\nspec:\n"
	    "  gatewayClassName: amazon-vpc-lattice\n  listeners:\n"
	    "  - name: http\n    protocol: HTTP\n    port: 80\n");
	cfx_lab(&fx);
	return 0;
}

/* Group teardown. */
static int
teardown(void **state)
{
	(void)state;
	cfx_stop(&fx);
	return 0;
}

/* The TG name suffix: exactly 10 lowercase letters after prefix. */
static void
check_tg_name(const char *name, const char *prefix)
{
	size_t	i, n = strlen(prefix);

	assert_int_equal(strncmp(name, prefix, n), 0);
	assert_int_equal(strlen(name), n + 10);
	for (i = n; name[i] != '\0'; i++)
		assert_true(islower((unsigned char)name[i]));
}

/* The tags of an ARN. */
static void
tags_of(const char *arn, struct aws_tags *t)
{
	struct aws_error	err;

	memset(&err, 0, sizeof(err));
	memset(t, 0, sizeof(*t));
	if (lattice_list_tags(fx.aws, arn, t, &err) != 0)
		fail_msg("ListTagsForResource: %s", err.message);
}

/* The route TG for svc: name, tags, config and targets = pod IPs. */
static void
check_tg(const char *svc)
{
	struct lattice_target_group_list	 l;
	struct lattice_list_targets_input	 in;
	struct lattice_target_list		 tl;
	struct aws_error			 err;
	struct aws_tags				 t;
	const struct lattice_target_group	*tg = NULL;
	char					 prefix[64];
	size_t					 i;

	snprintf(prefix, sizeof(prefix), "k8s-default-%s-", svc);
	cfx_tgs(&fx, &l);
	for (i = 0; i < l.n; i++) {
		if (strncmp(l.items[i].name, prefix, strlen(prefix)) == 0) {
			assert_null(tg);
			tg = &l.items[i];
		}
	}
	assert_non_null(tg);
	check_tg_name(tg->name, prefix);
	assert_int_equal(tg->config.port, UP_ROUTE_TG_PORT);
	assert_string_equal(tg->config.protocol, "HTTP");
	assert_string_equal(tg->config.vpc_identifier, CFX_VPC);
	tags_of(tg->arn, &t);
	assert_string_equal(aws_tags_get(&t, UP_TAG_MANAGED_BY),
	    CFX_MANAGED_BY);
	assert_string_equal(aws_tags_get(&t, UP_TAG_CLUSTER_NAME), CFX_CLUSTER);
	assert_string_equal(aws_tags_get(&t, UP_TAG_SERVICE_NAME), svc);
	assert_string_equal(aws_tags_get(&t, UP_TAG_SERVICE_NAMESPACE),
	    "default");
	assert_string_equal(aws_tags_get(&t, UP_TAG_SOURCE_TYPE),
	    UP_SOURCE_HTTPROUTE);
	assert_string_equal(aws_tags_get(&t, UP_TAG_PROTOCOL_VERSION), "HTTP1");
	aws_tags_free(&t);
	memset(&in, 0, sizeof(in));
	memset(&err, 0, sizeof(err));
	in.target_group_identifier = tg->id;
	if (lattice_list_targets(fx.aws, &in, &tl, &err) != 0)
		fail_msg("ListTargets: %s", err.message);
	assert_int_equal(tl.n, 2);
	for (i = 0; i < tl.n; i++) {
		assert_int_equal(strncmp(tl.items[i].id, "10.", 3), 0);
		assert_int_equal(tl.items[i].port, 8090);
	}
	lattice_target_list_free(&tl);
	lattice_target_group_list_free(&l);
}

/* The rules of a service's only listener, by priority: paths. */
static void
check_rules(const char *svc_id, const char *const *paths, size_t n)
{
	struct lattice_listener_list	 ll;
	struct lattice_rule_list	 rl;
	struct lattice_rule		 r;
	struct aws_error		 err;
	size_t				 i, seen = 0;

	memset(&err, 0, sizeof(err));
	if (lattice_list_listeners(fx.aws, svc_id, NULL, &ll, &err) != 0)
		fail_msg("ListListeners: %s", err.message);
	assert_int_equal(ll.n, 1);
	assert_string_equal(ll.items[0].protocol, "HTTP");
	assert_int_equal(ll.items[0].port, 80);
	if (lattice_list_rules(fx.aws, svc_id, ll.items[0].id, NULL, &rl,
	    &err) != 0)
		fail_msg("ListRules: %s", err.message);
	for (i = 0; i < rl.n; i++) {
		if (rl.items[i].is_default)
			continue;
		if (lattice_get_rule(fx.aws, svc_id, ll.items[0].id,
		    rl.items[i].id, &r, &err) != 0)
			fail_msg("GetRule: %s", err.message);
		assert_true(r.priority >= 1 && (size_t)r.priority <= n);
		assert_int_equal(r.match.path.kind, LATTICE_MATCH_PREFIX);
		assert_string_equal(r.match.path.value, paths[r.priority - 1]);
		assert_int_equal(r.action.kind, LATTICE_ACTION_FORWARD);
		lattice_rule_free(&r);
		seen++;
	}
	assert_int_equal(seen, n);
	lattice_rule_list_free(&rl);
	lattice_listener_list_free(&ll);
}

/* A route's status and annotations agree with its service. */
static void
check_route(const char *name, const struct lattice_service *svc)
{
	cJSON		*r = cfx_route(&fx, name);
	const cJSON	*p, *ann;

	assert_non_null(r);
	assert_true(kube_finalizer_has(r, UP_FIN_HTTPROUTE));
	p = cJSON_GetArrayItem(json_path(r, "status.parents"), 0);
	assert_string_equal(json_str(p, "controllerName"), UP_CONTROLLER_NAME);
	assert_true(kube_conditions_is(json_path(p, "conditions"),
	    UP_COND_ACCEPTED, "True"));
	assert_true(kube_conditions_is(json_path(p, "conditions"),
	    UP_COND_RESOLVED_REFS, "True"));
	ann = json_path(r, "metadata.annotations");
	assert_string_equal(json_str(ann, UP_ANN_ASSIGNED_DNS),
	    svc->dns_entry.domain_name);
	assert_string_equal(json_str(ann, UP_ANN_SERVICE_ARN), svc->arn);
	cJSON_Delete(r);
}

/* A Gateway's Programmed condition. */
static void
check_gateway(const char *name, const char *status, const char *reason,
    const char *message)
{
	struct kube_error	 e;
	cJSON			*gw = NULL, *c;

	memset(&e, 0, sizeof(e));
	if (kube_get(fx.kc, &KUBE_RES_GATEWAYS, "default", name, &gw, &e) != 0)
		fail_msg("get gateway: %s", e.message);
	c = kube_conditions_find(json_path(gw, "status.conditions"),
	    UP_COND_PROGRAMMED);
	assert_non_null(c);
	assert_string_equal(json_str(c, "status"), status);
	assert_string_equal(json_str(c, "reason"), reason);
	assert_string_equal(json_str(c, "message"), message);
	cJSON_Delete(gw);
}

/* The lab converges with upstream names, tags, status. */
static void
test_converge(void **state)
{
	static const char *const rates[] = { "/parking", "/review" };
	static const char *const inv[] = { "/" };
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct controller		*c;
	struct lattice_service		 svc;
	char				*msg;
	cJSON				*gc = NULL;
	struct kube_error		 e;

	(void)state;
	cfx_config(&cfg);
	c = cfx_run(&fx, &cfg, &s);
	printf("converge: %u Lattice calls, %u writes, %u kube writes\n",
	    atomic_load(&fx.lattice_calls), atomic_load(&fx.lattice_writes),
	    atomic_load(&fx.kube_writes));
	cfx_print_keys(c);
	assert_int_equal(s.failed, 0);
	assert_int_equal(s.pending, 0);
	assert_int_equal(s.blocked, 1);		/* Gateway lonely: no SN */
	assert_int_equal(cfx_service(&fx, "rates-default", &svc), 0);
	assert_string_equal(svc.status, "ACTIVE");
	check_rules(svc.id, rates, 2);
	check_route("rates", &svc);
	lattice_service_free(&svc);
	assert_int_equal(cfx_service(&fx, "inventory-default", &svc), 0);
	check_rules(svc.id, inv, 1);
	check_route("inventory", &svc);
	lattice_service_free(&svc);
	check_tg("parking");
	check_tg("review");
	check_tg("inventory-ver1");
	xasprintf(&msg, "%s%s", UP_MSG_SN_ARN_PREFIX, fx.sn_arn);
	check_gateway("my-hotel", "True", UP_REASON_PROGRAMMED, msg);
	free(msg);
	check_gateway("lonely", "False", UP_REASON_PENDING,
	    UP_MSG_SN_NOT_FOUND);
	memset(&e, 0, sizeof(e));
	assert_int_equal(kube_get(fx.kc, &KUBE_RES_GATEWAYCLASSES, NULL,
	    UP_GATEWAYCLASS_NAME, &gc, &e), 0);
	assert_true(kube_conditions_is(json_path(gc, "status.conditions"),
	    UP_COND_ACCEPTED, "True"));
	cJSON_Delete(gc);
	controller_free(c);
}

/* A second controller on a converged state writes nothing. */
static void
test_second_pass_zero_writes(void **state)
{
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct controller		*c;
	unsigned			 calls;

	(void)state;
	atomic_store(&fx.lattice_writes, 0);
	atomic_store(&fx.lattice_calls, 0);
	atomic_store(&fx.kube_writes, 0);
	cfx_config(&cfg);
	cfg.leader_elect = 1;
	cfg.leader_ns = "default";
	cfg.identity = "itest-second";
	c = cfx_run(&fx, &cfg, &s);
	calls = atomic_load(&fx.lattice_calls);
	printf("second pass: %u Lattice calls (reads), %u writes, %u kube "
	    "writes\n", calls, atomic_load(&fx.lattice_writes),
	    atomic_load(&fx.kube_writes));
	assert_int_equal(atomic_load(&fx.lattice_writes), 0);
	assert_int_equal(controller_lattice_calls(c, 1), 0);
	assert_int_equal(atomic_load(&fx.kube_writes), 0);
	assert_int_equal(s.failed + s.pending, 0);
	/* A resync of the running controller: still no writes. */
	assert_int_equal(controller_resync(c, NULL), 0);
	assert_int_equal(controller_wait_converged(c, CFX_WAIT_MS, &s), 0);
	assert_int_equal(atomic_load(&fx.lattice_writes), 0);
	assert_int_equal(atomic_load(&fx.kube_writes), 0);
	controller_free(c);
}

/* Patch the rates route: /review becomes /reviews. */
static void
change_route(void)
{
	struct kube_error	e;

	memset(&e, 0, sizeof(e));
	if (kube_patch(fx.kc, &KUBE_RES_HTTPROUTES, "default", "rates", NULL,
	    KUBE_PATCH_JSON, "[{\"op\":\"replace\",\"path\":\"/spec/rules/1/"
	    "matches/0/path/value\",\"value\":\"/reviews\"}]", NULL, 0, NULL,
	    &e) != 0)
		fail_msg("patch: %s", e.message);
}

/* A running controller follows a change of the route. */
static void
test_change(void **state)
{
	static const char *const rates[] = { "/parking", "/reviews" };
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct controller		*c;
	struct lattice_service		 svc;

	(void)state;
	cfx_config(&cfg);
	c = cfx_run(&fx, &cfg, &s);
	atomic_store(&fx.lattice_writes, 0);
	change_route();
	time_sleep_ms(200);
	assert_int_equal(controller_wait_converged(c, CFX_WAIT_MS, &s), 0);
	printf("change: %u Lattice writes\n", atomic_load(&fx.lattice_writes));
	assert_int_equal(atomic_load(&fx.lattice_writes), 1);	/* UpdateRule */
	assert_int_equal(cfx_service(&fx, "rates-default", &svc), 0);
	check_rules(svc.id, rates, 2);
	lattice_service_free(&svc);
	controller_free(c);
}

/* DEFAULT_SERVICE_NETWORK: created (with the VPC association) by the
 * leader; the Gateway named after it becomes Programmed. */
static void
test_default_sn(void **state)
{
	struct lattice_service_network_list	 l;
	struct lattice_list_sn_vpc_assocs_input	 in;
	struct lattice_sn_vpc_assoc_list	 vl;
	struct controller_config		 cfg;
	struct controller_summary		 s;
	struct aws_error			 err;
	char					*arn = NULL, *msg;
	size_t					 i;

	(void)state;
	cfx_config(&cfg);
	cfg.default_sn = "lonely";
	controller_free(cfx_run(&fx, &cfg, &s));
	assert_int_equal(s.blocked + s.failed + s.pending, 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_list_service_networks(fx.aws, NULL, &l, &err),
	    0);
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.items[i].name, "lonely") == 0) {
			assert_null(arn);
			arn = xstrdup(l.items[i].arn);
			memset(&in, 0, sizeof(in));
			in.service_network_identifier = l.items[i].id;
			assert_int_equal(lattice_list_sn_vpc_assocs(fx.aws, &in,
			    &vl, &err), 0);
			assert_int_equal(vl.n, 1);
			lattice_sn_vpc_assoc_list_free(&vl);
		}
	}
	lattice_service_network_list_free(&l);
	assert_non_null(arn);
	xasprintf(&msg, "%s%s", UP_MSG_SN_ARN_PREFIX, arn);
	check_gateway("lonely", "True", UP_REASON_PROGRAMMED, msg);
	free(msg);
	free(arn);
}

/* Lattice writes seen by a second AWS context. */
static void
count_writes(void *arg, const struct http_trace *t)
{
	if (t->op != NULL && strncmp(t->op, "vpc-lattice:", 12) == 0 &&
	    cfx_write_op(t->op))
		atomic_fetch_add((atomic_uint *)arg, 1);
}

/* A started controller electing a leader as identity. */
static struct controller *
start_elector(struct aws *aws, const char *identity)
{
	struct controller_config	 cfg;
	struct controller		*c;
	char				*cause = NULL;

	cfx_config(&cfg);
	cfg.once = 0;
	cfg.leader_elect = 1;
	cfg.leader_ns = "default";
	cfg.identity = identity;
	if ((c = controller_new(fx.kc, aws, &cfg, &cause)) == NULL ||
	    controller_start(c, CFX_WAIT_MS, &cause) != 0)
		fail_msg("%s", cause);
	return c;
}

/* Two replicas: only the leader writes; the follower takes over when
 * the leader goes, with warm caches, and follows later changes. */
static void
test_failover(void **state)
{
	static const char *const rates[] = { "/parking", "/review" };
	struct controller_summary	 s;
	struct controller		*a, *b;
	struct lattice_service		 svc;
	struct aws			*aws_b;
	struct kube_error		 e;
	atomic_uint			 writes_b;

	(void)state;
	atomic_store(&writes_b, 0);
	aws_b = cfx_aws(&fx);
	aws_set_trace(aws_b, count_writes, &writes_b);
	a = start_elector(fx.aws, "replica-a");
	assert_int_equal(controller_wait_converged(a, CFX_WAIT_MS, &s), 0);
	b = start_elector(aws_b, "replica-b");
	memset(&e, 0, sizeof(e));
	if (kube_patch(fx.kc, &KUBE_RES_HTTPROUTES, "default", "rates", NULL,
	    KUBE_PATCH_JSON, "[{\"op\":\"replace\",\"path\":\"/spec/rules/1/"
	    "matches/0/path/value\",\"value\":\"/review\"}]", NULL, 0, NULL,
	    &e) != 0)
		fail_msg("patch: %s", e.message);
	time_sleep_ms(300);
	assert_int_equal(controller_wait_converged(a, CFX_WAIT_MS, &s), 0);
	assert_int_equal(atomic_load(&writes_b), 0);	/* the follower */
	assert_int_equal(cfx_service(&fx, "rates-default", &svc), 0);
	check_rules(svc.id, rates, 2);
	lattice_service_free(&svc);
	controller_free(a);		/* releases the Lease */
	assert_int_equal(controller_wait_converged(b, CFX_WAIT_MS, &s), 0);
	printf("failover: follower made %u writes after taking over\n",
	    atomic_load(&writes_b));
	assert_int_equal(atomic_load(&writes_b), 0);
	assert_int_equal(s.failed + s.pending, 0);
	assert_true(s.converged >= 4);
	controller_free(b);
	aws_free(aws_b);
}

/* The Accepted condition of a TargetGroupPolicy: its reason. */
static char *
tgp_reason(const char *name)
{
	struct kube_error	 e;
	cJSON			*o = NULL, *c;
	char			*r;

	memset(&e, 0, sizeof(e));
	if (kube_get(fx.kc, &KUBE_RES_TARGETGROUPPOLICIES, "default", name,
	    &o, &e) != 0)
		fail_msg("get tgp: %s", e.message);
	c = kube_conditions_find(json_path(o, "status.conditions"),
	    UP_COND_ACCEPTED);
	r = xstrdup(c != NULL ? json_str(c, "reason") : "(none)");
	cJSON_Delete(o);
	return r;
}

/* A TargetGroupPolicy changes the health check of parking's TG and is
 * Accepted; one whose Service is missing is TargetNotFound. */
static void
test_tgpolicy(void **state)
{
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct lattice_target_group	 tg;
	struct aws_error		 err;
	char				*id, *r;
	int				 n;

	(void)state;
	cfx_apply_text(&fx, "apiVersion: application-networking.k8s.aws/"
	    "v1alpha1\nkind: TargetGroupPolicy\nmetadata:\n  name: parking-hc\n"
	    "spec:\n  targetRef:\n    group: \"\"\n    kind: Service\n"
	    "    name: parking\n  healthCheck:\n    enabled: true\n"
	    "    path: /healthz\n    intervalSeconds: 10\n");
	cfx_apply_text(&fx, "apiVersion: application-networking.k8s.aws/"
	    "v1alpha1\nkind: TargetGroupPolicy\nmetadata:\n  name: ghost\n"
	    "spec:\n  targetRef:\n    group: \"\"\n    kind: Service\n"
	    "    name: ghost\n  protocol: HTTP\n");
	cfx_config(&cfg);
	controller_free(cfx_run(&fx, &cfg, &s));
	assert_int_equal(s.failed + s.pending, 0);
	id = cfx_tg_id(&fx, "k8s-default-parking-", &n);
	assert_int_equal(n, 1);
	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_get_target_group(fx.aws, id, &tg, &err), 0);
	assert_string_equal(tg.config.health_check.path, "/healthz");
	assert_int_equal(tg.config.health_check.interval_seconds, 10);
	lattice_target_group_free(&tg);
	free(id);
	r = tgp_reason("parking-hc");
	assert_string_equal(r, UP_REASON_ACCEPTED);
	free(r);
	r = tgp_reason("ghost");
	assert_string_equal(r, UP_REASON_TARGET_NOT_FOUND);
	free(r);
}

/* The id of rates-default's rule of priority prio; listener and service
 * ids into lid and sid (caller frees all three). */
static char *
rule_id(int prio, char **sid, char **lid)
{
	struct lattice_listener_list	 ll;
	struct lattice_rule_list	 rl;
	struct lattice_service		 svc;
	struct aws_error		 err;
	char				*id = NULL;
	size_t				 i;

	memset(&err, 0, sizeof(err));
	assert_int_equal(cfx_service(&fx, "rates-default", &svc), 0);
	*sid = xstrdup(svc.id);
	lattice_service_free(&svc);
	assert_int_equal(lattice_list_listeners(fx.aws, *sid, NULL, &ll, &err),
	    0);
	*lid = xstrdup(ll.items[0].id);
	assert_int_equal(lattice_list_rules(fx.aws, *sid, *lid, NULL, &rl,
	    &err), 0);
	for (i = 0; i < rl.n; i++) {
		if (rl.items[i].priority == prio)
			id = xstrdup(rl.items[i].id);
	}
	lattice_rule_list_free(&rl);
	lattice_listener_list_free(&ll);
	assert_non_null(id);
	return id;
}

/* A fresh controller's plan: 0 in sync, 1 drift. */
static int
run_plan(cJSON **out)
{
	struct controller_config	 cfg;
	struct controller		*c;
	struct strbuf			 sb;
	char				*cause = NULL;
	int				 rc;

	cfx_config(&cfg);
	if ((c = controller_new(fx.kc, fx.aws, &cfg, &cause)) == NULL ||
	    controller_load(c, NULL, &cause) != 0)
		fail_msg("%s", cause);
	strbuf_init(&sb);
	rc = controller_plan(c, NULL, out, &sb, &cause);
	if (rc < 0)
		fail_msg("plan: %s", cause);
	printf("%s", sb.buf);
	strbuf_free(&sb);
	controller_free(c);
	return rc;
}

/* plan: in sync after convergence, drift after a change behind its back,
 * and in sync again after the controller repaired it. */
static void
test_plan_drift(void **state)
{
	struct lattice_update_rule_input in;
	struct lattice_rule_match	 m;
	struct lattice_rule		 r;
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct aws_error		 err;
	cJSON				*out = NULL;
	char				*sid, *lid, *rid, *txt;
	unsigned			 writes, kwrites;

	(void)state;
	writes = atomic_load(&fx.lattice_writes);
	assert_int_equal(run_plan(&out), 0);
	assert_true(json_bool(out, "inSync", 0));
	cJSON_Delete(out);
	rid = rule_id(1, &sid, &lid);
	memset(&m, 0, sizeof(m));
	m.present = 1;
	m.path.kind = LATTICE_MATCH_PREFIX;
	m.path.value = "/hacked";
	memset(&in, 0, sizeof(in));
	in.service_identifier = sid;
	in.listener_identifier = lid;
	in.rule_identifier = rid;
	in.match = &m;
	memset(&err, 0, sizeof(err));
	assert_int_equal(lattice_update_rule(fx.aws, &in, &r, &err), 0);
	lattice_rule_free(&r);
	writes = atomic_load(&fx.lattice_writes);
	assert_int_equal(run_plan(&out), 1);
	txt = json_print(out);
	assert_non_null(strstr(txt, "update-rule"));
	assert_non_null(strstr(txt, "HTTPRoute default/rates"));
	free(txt);
	cJSON_Delete(out);
	assert_int_equal(atomic_load(&fx.lattice_writes), writes);
	/* a dry run sees the drift and writes nothing */
	kwrites = atomic_load(&fx.kube_writes);
	cfx_config(&cfg);
	cfg.dry_run = 1;
	controller_free(cfx_run(&fx, &cfg, &s));
	assert_int_equal(s.drift, 1);
	assert_int_equal(atomic_load(&fx.lattice_writes), writes);
	assert_int_equal(atomic_load(&fx.kube_writes), kwrites);
	/* the controller repairs it */
	cfx_config(&cfg);
	controller_free(cfx_run(&fx, &cfg, &s));
	assert_int_equal(run_plan(&out), 0);
	cJSON_Delete(out);
	free(sid);
	free(lid);
	free(rid);
}

/* map: route -> service network -> service -> listener -> rules ->
 * target groups -> targets. */
static void
test_map(void **state)
{
	struct controller_config	 cfg;
	struct controller		*c;
	cJSON				*out = NULL;
	const cJSON			*r, *l, *rule, *tg;
	char				*cause = NULL;

	(void)state;
	cfx_config(&cfg);
	if ((c = controller_new(fx.kc, fx.aws, &cfg, &cause)) == NULL ||
	    controller_load(c, "default", &cause) != 0 ||
	    controller_map(c, "default", "httproute/rates", &out, &cause) != 0)
		fail_msg("map: %s", cause);
	assert_int_equal(cJSON_GetArraySize(out), 1);
	r = cJSON_GetArrayItem(out, 0);
	assert_true(json_bool(r, "accepted", 0));
	assert_string_equal(json_str(cJSON_GetArrayItem(json_path(r,
	    "serviceNetworks"), 0), "name"), CFX_SN);
	assert_string_equal(json_path_str(r, "service.name"), "rates-default");
	assert_non_null(json_path_str(r, "service.dnsName"));
	l = cJSON_GetArrayItem(json_path(r, "listeners"), 0);
	assert_string_equal(json_str(l, "name"), "rates-default-80-http");
	assert_int_equal(cJSON_GetArraySize(json_path(l, "rules")), 2);
	rule = cJSON_GetArrayItem(json_path(l, "rules"), 0);
	assert_int_equal((int)json_num(rule, "priority", 0), 1);
	assert_string_equal(json_str(rule, "match"), "prefix:/parking");
	tg = cJSON_GetArrayItem(json_path(rule, "targetGroups"), 0);
	check_tg_name(json_str(tg, "name"), "k8s-default-parking-");
	assert_string_equal(json_str(tg, "protocol"), "HTTP");
	assert_true(json_bool(json_path(tg, "healthCheck"), "enabled", 0));
	assert_int_equal(cJSON_GetArraySize(json_path(tg, "targets")), 2);
	cJSON_Delete(out);
	assert_int_not_equal(controller_map(c, "default", "nope", &out,
	    &cause), 0);
	free(cause);
	controller_free(c);
}

/* Deleting a route removes its service and TGs, then the finalizer. */
static void
test_delete(void **state)
{
	struct controller_config	 cfg;
	struct controller_summary	 s;
	struct lattice_service		 svc;
	struct kube_error		 e;
	char				*id;
	int				 n;
	cJSON				*r;

	(void)state;
	memset(&e, 0, sizeof(e));
	assert_int_equal(kube_delete(fx.kc, &KUBE_RES_HTTPROUTES, "default",
	    "rates", NULL, &e), 0);
	r = cfx_route(&fx, "rates");
	assert_non_null(r);	/* held by our finalizer */
	assert_non_null(json_path(r, "metadata.deletionTimestamp"));
	cJSON_Delete(r);
	cfx_config(&cfg);
	controller_free(cfx_run(&fx, &cfg, &s));
	assert_int_not_equal(cfx_service(&fx, "rates-default", &svc), 0);
	id = cfx_tg_id(&fx, "k8s-default-parking-", &n);
	assert_int_equal(n, 0);
	free(id);
	id = cfx_tg_id(&fx, "k8s-default-review-", &n);
	assert_int_equal(n, 0);
	free(id);
	assert_null(cfx_route(&fx, "rates"));
	/* the other route is untouched */
	assert_int_equal(cfx_service(&fx, "inventory-default", &svc), 0);
	lattice_service_free(&svc);
	id = cfx_tg_id(&fx, "k8s-default-inventory-ver1-", &n);
	assert_int_equal(n, 1);
	free(id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_converge),
		cmocka_unit_test(test_second_pass_zero_writes),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_tgpolicy),
		cmocka_unit_test(test_default_sn),
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_plan_drift),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_delete),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
