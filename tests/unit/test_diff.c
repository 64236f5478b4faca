/*
 * Unit tests of the diff (pure: a mirror filled by hand + a desired stack
 * -> the expected ordered operations and reasons) and of the plan's JSON
 * and table output. No network: the mirror has no client and is marked
 * loaded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/plan.h"
#include "latticectl/xmalloc.h"

#include "plan_fixture.h"
#include "../../src/engine/mirror_int.h"

#define ARN_BASE	"arn:aws:vpc-lattice:us-west-2:" FX_ACCOUNT ":"

struct dt {
	struct mirror		*m;
	struct lm_stack		*st;
	struct plan		*p;
	struct mx_service	*svc;
	struct mx_listener	*lst;
};

/* An empty loaded mirror with the my-hotel service network. */
static struct mirror *
dt_mirror(void)
{
	struct mirror_config			 cfg = { FX_MANAGED_BY, FX_VPC,
						    0 };
	struct lattice_service_network_list	 sns = { 0 };
	struct mirror				*m;

	m = mirror_new(NULL, &cfg);
	sns.items = xcalloc(1, sizeof(*sns.items));
	sns.items[0].id = xstrdup("sn-00000000000000001");
	sns.items[0].arn = xstrdup(ARN_BASE "servicenetwork/sn-00000000000000001");
	sns.items[0].name = xstrdup(FX_SN);
	sns.n = 1;
	mx_put_sns(m, &sns);
	free(sns.items);
	m->loaded = 1;
	return m;
}

/* A heap copy of a desired match in wire form. */
static void
dt_match(const struct lm_match *d, struct lattice_rule_match *out)
{
	struct mx_match_buf	b;
	size_t			i;

	mx_match_from_lm(d, &b);
	*out = b.m;
	out->method = xstrdup_or_null(b.m.method);
	out->path.value = xstrdup_or_null(b.m.path.value);
	out->headers = b.m.n_headers > 0 ? xcalloc(b.m.n_headers,
	    sizeof(*out->headers)) : NULL;
	for (i = 0; i < b.m.n_headers; i++) {
		out->headers[i] = b.h[i];
		out->headers[i].name = xstrdup(b.h[i].name);
		out->headers[i].value = xstrdup(b.h[i].value);
	}
}

/* A heap copy of a desired action with the mirror's TG ids. */
static void
dt_action(struct mirror *m, const struct lm_stack *st,
    const struct lm_action *d, struct lattice_rule_action *out)
{
	const char	*ids[LATTICE_MAX_WEIGHTED_TGS];
	size_t		 i;

	memset(out, 0, sizeof(*out));
	if (d->kind == LM_ACTION_FIXED) {
		out->kind = LATTICE_ACTION_FIXED_RESPONSE;
		out->status_code = d->status_code;
		return;
	}
	assert_int_equal(mx_action_ids(m, st, d, ids, NULL), 0);
	out->kind = LATTICE_ACTION_FORWARD;
	out->target_groups = xcalloc(d->n_tgs, sizeof(*out->target_groups));
	for (i = 0; i < d->n_tgs; i++) {
		out->target_groups[i].target_group_id = xstrdup(ids[i]);
		out->target_groups[i].weight = d->tgs[i].weight;
	}
	out->n_target_groups = d->n_tgs;
}

/* Put an actual TG equal to the desired one (ACTIVE, targets HEALTHY). */
static struct mx_tg *
dt_put_tg(struct mirror *m, const struct lm_target_group *d, int n,
    const struct aws_tags *tags)
{
	struct lattice_target_group	 t = { 0 };
	struct lattice_health_check	*hc = &t.config.health_check;
	struct mx_tg			*mt;
	size_t				 i;

	xasprintf(&t.id, "tg-0000000000000000%d", n);
	xasprintf(&t.arn, ARN_BASE "targetgroup/%s", t.id);
	t.name = xstrdup(d->name);
	t.type = xstrdup(d->type);
	t.status = xstrdup("ACTIVE");
	t.config.present = 1;
	t.config.port = d->port;
	t.config.protocol = xstrdup(d->protocol);
	t.config.protocol_version = xstrdup(d->protocol_version);
	t.config.ip_address_type = xstrdup(d->ip_address_type);
	t.config.vpc_identifier = xstrdup(d->vpc_id);
	hc->present = 1;
	hc->enabled = LATTICE_TRUE;
	hc->protocol = xstrdup("HTTP");
	hc->protocol_version = xstrdup("HTTP1");
	hc->path = xstrdup("/");
	hc->interval_seconds = 30;
	hc->timeout_seconds = 5;
	hc->healthy_threshold = 5;
	hc->unhealthy_threshold = 2;
	hc->matcher_http_code = xstrdup("200");
	mt = mx_put_tg(m, &t, tags);
	mt->targets = xcalloc(d->n_targets + 1, sizeof(*mt->targets));
	for (i = 0; i < d->n_targets; i++) {
		mt->targets[i].id = xstrdup(d->targets[i].ip);
		mt->targets[i].port = d->targets[i].port;
		mt->targets[i].status = xstrdup("HEALTHY");
	}
	mt->n_targets = d->n_targets;
	mt->targets_loaded = 1;
	return mt;
}

/* Fill the mirror so that it equals the stack. */
static void
dt_converge(struct dt *t)
{
	const struct lm_listener	*dl = &t->st->listeners[0];
	struct lattice_service		 s = { 0 };
	struct lattice_sn_service_assoc	 a = { 0 };
	struct lattice_listener		 l = { 0 };
	struct lattice_rule		 r = { 0 };
	struct mx_assoc			*ma;
	size_t				 i;

	for (i = 0; i < t->st->n_tgs; i++)
		dt_put_tg(t->m, &t->st->tgs[i], (int)i + 1,
		    &t->st->tgs[i].tags);
	s.id = xstrdup("svc-00000000000000001");
	s.arn = xstrdup(ARN_BASE "service/svc-00000000000000001");
	s.name = xstrdup(t->st->service->name);
	s.status = xstrdup("ACTIVE");
	s.dns_entry.domain_name = xstrdup("rates-default.example.lattice");
	t->svc = mx_put_service(t->m, &s, &t->st->service->tags);
	t->svc->children = t->svc->detail = 1;
	a.id = xstrdup("snsa-00000000000000001");
	a.arn = xstrdup(ARN_BASE "servicenetworkserviceassociation/snsa-1");
	a.status = xstrdup("ACTIVE");
	a.service_id = xstrdup(t->svc->s.id);
	a.service_name = xstrdup(t->svc->s.name);
	a.service_network_id = xstrdup("sn-00000000000000001");
	a.service_network_name = xstrdup(FX_SN);
	ma = mx_put_assoc(t->m, &a);
	aws_tags_set(&ma->tags, UP_TAG_MANAGED_BY, FX_MANAGED_BY);
	ma->tags_loaded = 1;
	l.id = xstrdup("listener-00000000000000001");
	l.name = xstrdup(dl->name);
	l.protocol = xstrdup("HTTP");
	l.port = dl->port;
	dt_action(t->m, t->st, &dl->default_action, &l.default_action);
	t->lst = mx_put_listener(t->svc, &l);
	for (i = 0; i < dl->n_rules; i++) {
		memset(&r, 0, sizeof(r));
		xasprintf(&r.id, "rule-0000000000000000%zu", i + 1);
		r.name = xstrdup(dl->rules[i].name);
		r.priority = dl->rules[i].priority;
		dt_match(&dl->rules[i].match, &r.match);
		dt_action(t->m, t->st, &dl->rules[i].action, &r.action);
		mx_put_rule(t->lst, &r, 1);
	}
}

/* Per-test state: mirror + rates stack. */
static int
setup(void **state)
{
	struct dt	*t = xcalloc(1, sizeof(*t));

	t->m = dt_mirror();
	t->st = fx_rates();
	*state = t;
	return 0;
}

/* Free the per-test state. */
static int
teardown(void **state)
{
	struct dt	*t = *state;

	plan_free(t->p);
	lm_stack_free(t->st);
	mirror_free(t->m);
	free(t);
	return 0;
}

/* Diff t->st (deleting or not) into t->p. */
static void
dt_diff(struct dt *t, int deleting)
{
	char	*cause = NULL;

	plan_free(t->p);
	t->p = NULL;
	assert_int_equal(plan_diff(t->m, t->st, deleting, &t->p, &cause), 0);
	assert_null(cause);
}

/* Check the plan's operation kinds in order. */
static void
dt_expect(const struct plan *p, const enum plan_op_kind *kinds, size_t n)
{
	char	*text = fx_plan_text(p);
	size_t	 i;

	if (p->n_ops != n)
		fail_msg("want %zu operations, got %zu:\n%s", n, p->n_ops,
		    text);
	for (i = 0; i < n; i++) {
		if (p->ops[i].kind != kinds[i])
			fail_msg("op %zu: want %s, got:\n%s", i,
			    plan_op_kind_str(kinds[i]), text);
	}
	free(text);
}

/* Empty mirror: everything is created, in dependency order. */
static void
test_create_all(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_TG_CREATE,
	    PLAN_TG_CREATE, PLAN_TARGETS_REGISTER, PLAN_TARGETS_REGISTER,
	    PLAN_SVC_CREATE, PLAN_ASSOC_CREATE, PLAN_LISTENER_CREATE,
	    PLAN_RULE_CREATE, PLAN_RULE_CREATE };
	struct dt	*t = *state;

	dt_diff(t, 0);
	dt_expect(t->p, want, sizeof(want) / sizeof(want[0]));
	assert_string_equal(t->p->ops[4].resource, "service rates-default");
	assert_string_equal(t->p->ops[4].reason, "missing");
	assert_string_equal(t->p->ops[2].reason, "2 in a new target group");
	assert_int_equal(t->p->ops[2].n_targets, 2);
	assert_string_equal(t->p->ops[5].sn_id, "sn-00000000000000001");
	assert_string_equal(t->p->ops[7].resource,
	    "rule 1 (/parking*) on rates-default-80-http");
	assert_string_equal(t->p->owner, "HTTPRoute default/rates");
	assert_true(plan_drift(t->p));
}

/* Converged: nothing to do. */
static void
test_converged(void **state)
{
	struct dt	*t = *state;
	char		*text;

	dt_converge(t);
	dt_diff(t, 0);
	text = fx_plan_text(t->p);
	if (t->p->n_ops != 0)
		fail_msg("converged state planned:\n%s", text);
	free(text);
	assert_false(plan_drift(t->p));
}

/* Swapped priorities: one BatchUpdateRule with both. */
static void
test_priority_swap(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_RULE_BATCH };
	struct dt	*t = *state;

	dt_converge(t);
	t->lst->rules[0]->r.priority = 2;
	t->lst->rules[1]->r.priority = 1;
	dt_diff(t, 0);
	dt_expect(t->p, want, 1);
	assert_int_equal(t->p->ops[0].n_changes, 2);
	assert_int_equal(t->p->ops[0].changes[0].from_priority, 2);
	assert_int_equal(t->p->ops[0].changes[0].priority, 1);
	assert_false(t->p->ops[0].changes[0].set_match);
	assert_false(t->p->ops[0].changes[0].set_action);
	assert_string_equal(t->p->ops[0].reason,
	    "1: priority 2->1; 2: priority 1->2");
}

/* A weight change: one UpdateRule of the action. */
static void
test_weight_change(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_RULE_UPDATE };
	struct dt	*t = *state;

	dt_converge(t);
	fx_split(t->st, 0, 80, 20);
	dt_diff(t, 0);
	dt_expect(t->p, want, 1);
	assert_string_equal(t->p->ops[0].reason, "action");
	assert_string_equal(t->p->ops[0].id, "rule-00000000000000001");
	assert_true(t->p->ops[0].changes[0].set_action);
}

/* A rule removed: its rule goes first, its TG last. */
static void
test_rule_removed(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_RULE_DELETE,
	    PLAN_TG_DELETE };
	struct dt	*t = *state;

	dt_converge(t);
	fx_drop_rule(t->st, 1);
	assert_int_equal(t->st->n_tgs, 1);
	dt_diff(t, 0);
	dt_expect(t->p, want, 2);
	assert_string_equal(t->p->ops[0].id, "rule-00000000000000002");
	assert_string_equal(t->p->ops[0].reason, "not in the route");
	assert_string_equal(t->p->ops[1].id, "tg-00000000000000002");
	assert_string_equal(t->p->ops[1].reason, "no longer referenced");
}

/* A removed first rule: the second moves up (priority 2->1). */
static void
test_rule_removed_shift(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_RULE_DELETE,
	    PLAN_RULE_UPDATE, PLAN_TG_DELETE };
	struct dt	*t = *state;

	dt_converge(t);
	fx_drop_rule(t->st, 0);
	t->st->listeners[0].rules[0].priority = 1;
	dt_diff(t, 0);
	dt_expect(t->p, want, 3);
	assert_string_equal(t->p->ops[0].id, "rule-00000000000000001");
	assert_string_equal(t->p->ops[1].reason, "priority 2->1");
	assert_string_equal(t->p->ops[2].id, "tg-00000000000000001");
}

/* A changed path at the same priority reuses the rule (UpdateRule). */
static void
test_rule_match_change(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_RULE_UPDATE };
	struct dt	*t = *state;

	dt_converge(t);
	free(t->st->listeners[0].rules[1].match.path);
	t->st->listeners[0].rules[1].match.path = xstrdup("/reviews");
	dt_diff(t, 0);
	dt_expect(t->p, want, 1);
	assert_string_equal(t->p->ops[0].reason, "match");
	assert_string_equal(t->p->ops[0].id, "rule-00000000000000002");
}

/* A new rule whose name a kept rule has: the name gets a suffix. */
static void
test_rule_name_unique(void **state)
{
	struct dt		*t = *state;
	struct lm_listener	*l;
	int			 i;

	dt_converge(t);
	l = &t->st->listeners[0];
	l->rules = xreallocarray(l->rules, 3, sizeof(*l->rules));
	fx_rule(&l->rules[2], FX_ROUTE, 3, "/extra", "svc/default/review/80",
	    1);
	l->n_rules = 3;
	free(l->rules[2].name);
	l->rules[2].name = xstrdup(l->rules[0].name);
	dt_diff(t, 0);
	assert_int_equal(t->p->n_ops, 1);
	i = fx_index(t->p, PLAN_RULE_CREATE);
	assert_int_equal(i, 0);
	assert_int_equal(strlen(t->p->ops[i].name), strlen(l->rules[0].name) +
	    2);
	assert_memory_equal(t->p->ops[i].name, l->rules[0].name,
	    strlen(l->rules[0].name));
	assert_string_equal(t->p->ops[i].name + strlen(l->rules[0].name),
	    "-2");
}

/* Targets: extra ones deregistered (not the draining), new registered. */
static void
test_targets(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_TARGETS_DEREGISTER,
	    PLAN_TARGETS_REGISTER };
	struct dt	*t = *state;
	struct mx_tg	*mt;

	dt_converge(t);
	mt = mx_tg_by_id(t->m, "tg-00000000000000001");
	free(mt->targets[0].id);
	mt->targets[0].id = xstrdup("10.0.1.99");
	mt->targets = xreallocarray(mt->targets, 3, sizeof(*mt->targets));
	memset(&mt->targets[2], 0, sizeof(mt->targets[2]));
	mt->targets[2].id = xstrdup("10.0.1.77");
	mt->targets[2].port = 8090;
	mt->targets[2].status = xstrdup("DRAINING");
	mt->n_targets = 3;
	dt_diff(t, 0);
	dt_expect(t->p, want, 2);
	assert_int_equal(t->p->ops[0].n_targets, 1);
	assert_string_equal(t->p->ops[0].targets[0].ip, "10.0.1.99");
	assert_int_equal(t->p->ops[1].n_targets, 1);
	assert_string_equal(t->p->ops[1].targets[0].ip, "10.0.1.1");
	assert_string_equal(t->p->ops[1].reason, "1 new endpoints");
}

/* Health check drift: UpdateTargetGroup with what differs. */
static void
test_health_check(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_TG_UPDATE };
	struct dt	*t = *state;

	dt_converge(t);
	free(t->st->tgs[1].health_check.path);
	t->st->tgs[1].health_check.path = xstrdup("/health");
	t->st->tgs[1].health_check.interval_seconds = 10;
	dt_diff(t, 0);
	dt_expect(t->p, want, 1);
	assert_string_equal(t->p->ops[0].reason,
	    "health check: path /->/health, interval 30->10");
	/* Both disabled: other members do not matter. */
	t->st->tgs[1].health_check.enabled = 0;
	mx_tg_by_id(t->m, "tg-00000000000000002")->tg.config.health_check
	    .enabled = LATTICE_FALSE;
	dt_diff(t, 0);
	assert_int_equal(t->p->n_ops, 0);
}

/* A service of another controller: conflict, nothing for the service. */
static void
test_conflict(void **state)
{
	struct dt	*t = *state;

	dt_converge(t);
	aws_tags_set(&t->svc->tags, UP_TAG_MANAGED_BY, "999/other/vpc-1");
	t->svc->children = 0;	/* prepare does not list a foreign service */
	dt_diff(t, 0);
	assert_int_equal(t->p->n_problems, 0);
	assert_non_null(t->p->conflict);
	assert_string_equal(t->p->conflict,
	    "service rates-default is managed by 999/other/vpc-1");
	assert_int_equal(t->p->n_ops, 0);
	assert_true(plan_drift(t->p));
	/* allowed by allow-takeover-from: re-tagged */
	t->st->service->allow_takeover_from = xstrdup("999/other/vpc-1");
	t->svc->children = 1;
	dt_diff(t, 0);
	assert_null(t->p->conflict);
	assert_int_equal(t->p->n_ops, 1);
	assert_int_equal(t->p->ops[0].kind, PLAN_SVC_TAG);
	assert_string_equal(t->p->ops[0].reason,
	    "take over from 999/other/vpc-1");
	assert_string_equal(aws_tags_get(&t->p->ops[0].tags,
	    UP_TAG_MANAGED_BY), FX_MANAGED_BY);
}

/* A service of another route with the same name: conflict. */
static void
test_conflict_route(void **state)
{
	struct dt	*t = *state;

	dt_converge(t);
	aws_tags_set(&t->svc->tags, UP_TAG_ROUTE_NAMESPACE, "other");
	dt_diff(t, 0);
	assert_non_null(t->p->conflict);
	assert_non_null(strstr(t->p->conflict, "another route"));
}

/* Untagged service and TG: adopted (tagged), never deleted. */
static void
test_adopt_untagged(void **state)
{
	struct dt		*t = *state;
	struct aws_tags		 none = { 0 };
	struct mx_tg		*mt;

	dt_converge(t);
	aws_tags_free(&t->svc->tags);
	mt = mx_tg_by_id(t->m, "tg-00000000000000002");
	mx_tg_set_tags(t->m, mt, &none);
	dt_diff(t, 0);
	assert_int_equal(fx_count(t->p, PLAN_TG_TAG), 1);
	assert_int_equal(fx_count(t->p, PLAN_SVC_TAG), 1);
	assert_int_equal(fx_count(t->p, PLAN_TG_CREATE), 0);
	assert_string_equal(t->p->ops[0].reason, "adopt: untagged");
	assert_int_equal(t->p->ops[0].tags.n, t->st->tgs[1].tags.n);
	/* Deleting: the untagged service stays. */
	dt_diff(t, 1);
	assert_int_equal(fx_count(t->p, PLAN_SVC_DELETE), 0);
	assert_int_equal(fx_count(t->p, PLAN_ASSOC_DELETE), 0);
	assert_int_equal(fx_count(t->p, PLAN_TG_DELETE), 1);
}

/* A foreign TG with the same identity tags but another owner is not
 * ours: a new TG is planned. */
static void
test_foreign_tg(void **state)
{
	struct dt	*t = *state;
	struct mx_tg	*mt;
	struct aws_tags	 tags = { 0 };

	dt_put_tg(t->m, &t->st->tgs[0], 1, &t->st->tgs[0].tags);
	mt = mx_tg_by_id(t->m, "tg-00000000000000001");
	aws_tags_copy(&tags, &mt->tags);
	aws_tags_set(&tags, UP_TAG_MANAGED_BY, "999/other/vpc-1");
	mx_tg_set_tags(t->m, mt, &tags);
	aws_tags_free(&tags);
	dt_diff(t, 0);
	assert_int_equal(fx_count(t->p, PLAN_TG_CREATE), 2);
	assert_int_equal(fx_count(t->p, PLAN_TG_DELETE), 0);
}

/* Deleting the route: associations, service, then TGs. */
static void
test_delete(void **state)
{
	static const enum plan_op_kind want[] = { PLAN_ASSOC_DELETE,
	    PLAN_SVC_DELETE, PLAN_TG_DELETE, PLAN_TG_DELETE };
	struct dt	*t = *state;

	dt_converge(t);
	dt_diff(t, 1);
	dt_expect(t->p, want, 4);
	assert_string_equal(t->p->ops[1].reason, "route deleted");
	assert_string_equal(t->p->ops[2].reason, "source deleted");
	assert_true(t->p->deleting);
	/* Nothing left: nothing planned. */
	mx_drop_assoc(t->m, "snsa-00000000000000001");
	mx_drop_service(t->m, "svc-00000000000000001");
	mx_drop_tg(t->m, "tg-00000000000000001");
	mx_drop_tg(t->m, "tg-00000000000000002");
	dt_diff(t, 1);
	assert_int_equal(t->p->n_ops, 0);
}

/* Deleting a route whose (truncated) service name another route's
 * service holds: that service and its associations stay; our TGs go. */
static void
test_delete_other_routes_service(void **state)
{
	struct dt	*t = *state;

	dt_converge(t);
	aws_tags_set(&t->svc->tags, UP_TAG_ROUTE_NAME, "rates-with-a-longer");
	dt_diff(t, 1);
	assert_int_equal(fx_count(t->p, PLAN_SVC_DELETE), 0);
	assert_int_equal(fx_count(t->p, PLAN_ASSOC_DELETE), 0);
	assert_int_equal(fx_count(t->p, PLAN_TG_DELETE), 2);
}

/* A service network that does not exist: a problem, no association. */
static void
test_sn_missing(void **state)
{
	struct dt	*t = *state;

	free(t->st->service->sn_names[0]);
	t->st->service->sn_names[0] = xstrdup("nowhere");
	dt_diff(t, 0);
	assert_int_equal(t->p->n_problems, 1);
	assert_string_equal(t->p->problems[0],
	    "service network nowhere not found");
	assert_int_equal(fx_count(t->p, PLAN_ASSOC_CREATE), 0);
}

/* Standalone: our association goes, a foreign one stays. */
static void
test_standalone(void **state)
{
	struct dt			*t = *state;
	struct lattice_sn_service_assoc	 a = { 0 };
	struct mx_assoc			*ma;

	dt_converge(t);
	a.id = xstrdup("snsa-00000000000000002");
	a.status = xstrdup("ACTIVE");
	a.service_id = xstrdup(t->svc->s.id);
	a.service_network_id = xstrdup("sn-00000000000000009");
	ma = mx_put_assoc(t->m, &a);
	aws_tags_set(&ma->tags, UP_TAG_MANAGED_BY, "999/other/vpc-1");
	ma->tags_loaded = 1;
	t->st->service->standalone = 1;
	dt_diff(t, 0);
	assert_int_equal(t->p->n_ops, 1);
	assert_int_equal(t->p->ops[0].kind, PLAN_ASSOC_DELETE);
	assert_string_equal(t->p->ops[0].id, "snsa-00000000000000001");
	assert_string_equal(t->p->ops[0].reason, "standalone service");
}

/* Listeners: a stale port deleted at the end, a protocol change
 * replaces the listener (delete before create). */
static void
test_listeners(void **state)
{
	struct dt		*t = *state;
	struct lattice_listener	 l = { 0 };
	int			 d, c;

	dt_converge(t);
	l.id = xstrdup("listener-00000000000000002");
	l.name = xstrdup("rates-default-8080-http");
	l.protocol = xstrdup("HTTP");
	l.port = 8080;
	mx_put_listener(t->svc, &l);
	dt_diff(t, 0);
	assert_int_equal(t->p->n_ops, 1);
	assert_int_equal(t->p->ops[0].kind, PLAN_LISTENER_DELETE);
	assert_string_equal(t->p->ops[0].id, "listener-00000000000000002");
	mx_drop_listener(t->svc, "listener-00000000000000002");
	free(t->lst->l.protocol);
	t->lst->l.protocol = xstrdup("HTTPS");
	dt_diff(t, 0);
	d = fx_index(t->p, PLAN_LISTENER_DELETE);
	c = fx_index(t->p, PLAN_LISTENER_CREATE);
	assert_true(d >= 0 && c > d);
	assert_int_equal(fx_count(t->p, PLAN_RULE_CREATE), 2);
	assert_string_equal(t->p->ops[d].reason, "protocol HTTPS->HTTP: "
	    "replace");
}

/* Transitions: a service being deleted is waited for; a failed TG is
 * deleted and created again. */
static void
test_transitions(void **state)
{
	struct dt	*t = *state;
	struct mx_tg	*mt;

	dt_converge(t);
	mt = mx_tg_by_id(t->m, "tg-00000000000000001");
	free(mt->tg.status);
	mt->tg.status = xstrdup("CREATE_FAILED");
	free(t->svc->s.status);
	t->svc->s.status = xstrdup("DELETE_IN_PROGRESS");
	dt_diff(t, 0);
	assert_int_equal(fx_count(t->p, PLAN_WAIT), 1);
	assert_int_equal(fx_count(t->p, PLAN_TG_CREATE), 1);
	assert_int_equal(fx_count(t->p, PLAN_TG_DELETE), 1);
	assert_string_equal(t->p->ops[fx_index(t->p, PLAN_TG_DELETE)].reason,
	    "CREATE_FAILED: recreate");
	/* The failed group holds the name: it goes first. */
	assert_true(fx_index(t->p, PLAN_TG_DELETE) <
	    fx_index(t->p, PLAN_TG_CREATE));
}

/* JSON and table output. */
static void
test_output(void **state)
{
	struct dt	*t = *state;
	struct strbuf	 sb;
	cJSON		*j, *op;

	dt_diff(t, 0);
	j = plan_to_json(t->p);
	assert_string_equal(json_str(j, "owner"), "HTTPRoute default/rates");
	assert_true(json_bool(j, "drift", 0));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "operations")), 9);
	op = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "operations"), 4);
	assert_string_equal(json_str(op, "op"), "create-service");
	assert_string_equal(json_str(op, "reason"), "missing");
	cJSON_Delete(j);
	strbuf_init(&sb);
	plan_print_table(t->p, &sb);
	assert_non_null(strstr(sb.buf, "OPERATION"));
	assert_non_null(strstr(sb.buf, "create-service"));
	assert_non_null(strstr(sb.buf, "service rates-default"));
	strbuf_free(&sb);
	assert_string_equal(plan_op_kind_str(PLAN_RULE_BATCH),
	    "batch-update-rules");
}

/* Owners from our tags: the route once (service and TGs), foreign and
 * untagged resources left out. */
static void
test_owners(void **state)
{
	struct dt		*t = *state;
	struct mirror_owner	*o;
	struct lm_stack		*other = fx_route("other");
	size_t			 n;

	dt_converge(t);
	dt_put_tg(t->m, &other->tgs[0], 7, &other->tgs[0].tags);
	dt_put_tg(t->m, &other->tgs[1], 8, NULL);	/* untagged */
	n = mirror_owners(t->m, &o);
	assert_int_equal(n, 2);
	assert_int_equal(o[0].kind, LM_SRC_HTTPROUTE);
	assert_string_equal(o[0].name, "other");
	assert_null(o[0].service_name);
	assert_string_equal(o[1].namespace, "default");
	assert_string_equal(o[1].name, "rates");
	assert_string_equal(o[1].service_name, "rates-default");
	mirror_owners_free(o, n);
	aws_tags_set(&t->svc->tags, UP_TAG_MANAGED_BY, "999/other/vpc-1");
	n = mirror_owners(t->m, &o);
	assert_int_equal(n, 2);		/* rates still has its TGs */
	assert_null(o[1].service_name);
	mirror_owners_free(o, n);
	lm_stack_free(other);
}

/* Client tokens: deterministic per key and content, changed by a bump. */
static void
test_tokens(void **state)
{
	struct dt	*t = *state;
	char		 a[65], b[65], c[65], d[65];

	mx_token(t->m, "svc:x", "body", a);
	mx_token(t->m, "svc:x", "body", b);
	mx_token(t->m, "svc:x", "other", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), 64);
	mx_salt_bump(t->m, "svc:x");
	mx_token(t->m, "svc:x", "body", d);
	assert_string_not_equal(a, d);
}

/* Run the diff tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_all, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_converged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_priority_swap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_weight_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rule_removed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rule_removed_shift, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rule_match_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rule_name_unique, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_health_check, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_route, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_untagged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_foreign_tg, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delete_other_routes_service,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sn_missing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_standalone, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_listeners, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_transitions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owners, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
