/*
 * Integration test of the mirror, plan and apply against the simulated
 * VPC Lattice over real HTTP (sim_aws on an httpd on loopback, the typed
 * client pointed at it): the lab's rates route is created, checked
 * through the client, re-applied with zero calls, changed, converged,
 * deleted; a crash after every prefix of each plan is followed by a full
 * pass from a fresh mirror (same final state, no duplicates); create and
 * delete delays make apply ask for a requeue; drift behind the mirror's
 * back is repaired after a resync; a surprise refreshes; parallel workers
 * share one mirror.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/aws.h"
#include "latticectl/httpd.h"
#include "latticectl/json.h"
#include "latticectl/lattice.h"
#include "latticectl/plan.h"
#include "latticectl/xmalloc.h"
#include "testlib.h"

#include "../../src/engine/mirror_int.h"
#include "../../src/sim/sim_aws.h"
#include "../unit/plan_fixture.h"

#define IT_MAX_PASSES	10

struct it {
	struct sim_aws	*sim;
	struct httpd	*httpd;
	struct aws	*aws;
	struct mirror	*m;
	char		 url[64];
};

/* A mirror on the test's client. */
static struct mirror *
it_mirror(struct it *t)
{
	struct mirror_config	cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.managed_by = FX_MANAGED_BY;
	cfg.vpc_id = FX_VPC;
	return mirror_new(t->aws, &cfg);
}

/* A client for the simulator at t->url. */
static struct aws *
it_client(struct it *t)
{
	struct aws_config	 cfg;
	struct aws_creds	 creds;
	struct aws		*aws;
	char			*cause = NULL;

	setenv("AWS_ENDPOINT_URL", t->url, 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	memset(&creds, 0, sizeof(creds));
	creds.access_key_id = SIM_ACCESS_KEY;
	creds.secret_access_key = SIM_SECRET_KEY;
	creds.source = "static";
	memset(&cfg, 0, sizeof(cfg));
	cfg.region = SIM_REGION;
	cfg.no_imds = 1;
	cfg.static_creds = &creds;
	if ((aws = aws_new(&cfg, &cause)) == NULL)
		fail_msg("aws_new: %s", cause);
	aws_set_retry(aws, 3, 5, 20);
	return aws;
}

/* A simulator (with create/delete delays in ms), a client, the my-hotel
 * service network and a mirror. */
static struct it *
it_start(unsigned create_delay, unsigned delete_delay)
{
	struct lattice_create_service_network_input	 in = { 0 };
	struct lattice_service_network			 sn = { 0 };
	struct sim_aws_opts				 o;
	struct httpd_opts				 ho;
	struct aws_error				 err = { 0 };
	struct it					*t;
	char						*cause = NULL;

	t = xcalloc(1, sizeof(*t));
	memset(&o, 0, sizeof(o));
	o.create_delay_ms = create_delay;
	o.delete_delay_ms = delete_delay;
	t->sim = sim_aws_new(&o);
	memset(&ho, 0, sizeof(ho));
	ho.listen = "127.0.0.1:0";
	if ((t->httpd = httpd_start(&ho, sim_aws_handle, t->sim, &cause)) ==
	    NULL)
		fail_msg("httpd: %s", cause);
	snprintf(t->url, sizeof(t->url), "http://127.0.0.1:%d",
	    httpd_port(t->httpd));
	t->aws = it_client(t);
	in.name = FX_SN;
	if (lattice_create_service_network(t->aws, &in, &sn, &err) != 0)
		fail_msg("create service network: %s", err.message);
	lattice_service_network_free(&sn);
	t->m = it_mirror(t);
	return t;
}

/* Stop everything. */
static void
it_stop(struct it *t)
{
	mirror_free(t->m);
	aws_free(t->aws);
	httpd_stop(t->httpd);
	sim_aws_free(t->sim);
	free(t);
}

/* Requests the simulator has answered. */
static uint64_t
it_requests(struct it *t)
{
	struct sim_aws_stats	st;

	sim_aws_stats(t->sim, &st);
	return st.requests;
}

/* One reconcile pass; a hard failure fails the test. */
static void
it_pass(struct it *t, const struct lm_stack *st, int deleting,
    const struct plan_apply_opts *o, struct plan_result *r)
{
	if (plan_reconcile(t->m, st, deleting, o, r) != 0)
		fail_msg("reconcile: %s", r->error);
}

/* Passes until converged (advancing the sim clock between passes);
 * returns how many it took. */
static int
it_converge(struct it *t, const struct lm_stack *st, int deleting,
    int64_t advance_ms)
{
	struct plan_result	r;
	int			pass;

	for (pass = 1; pass <= IT_MAX_PASSES; pass++) {
		it_pass(t, st, deleting, NULL, &r);
		if (r.converged) {
			plan_result_free(&r);
			return pass;
		}
		assert_true(r.requeue_after_s > 0);
		plan_result_free(&r);
		if (advance_ms > 0)
			sim_aws_advance(t->sim, advance_ms);
	}
	fail_msg("not converged after %d passes", IT_MAX_PASSES);
	return -1;
}

/* ---- the Lattice state through the client ---- */

/* Fail on a client error. */
static void
it_ok(int rc, struct aws_error *err, const char *what)
{
	if (rc != 0)
		fail_msg("%s: %s: %s", what, err->code, err->message);
}

/* Compare two items by "name", then "priority". */
static int
it_cmp(const void *a, const void *b)
{
	const cJSON	*x = *(const cJSON *const *)a;
	const cJSON	*y = *(const cJSON *const *)b;
	const char	*nx = json_str(x, "name"), *ny = json_str(y, "name");
	int		 c;

	c = strcmp(nx != NULL ? nx : "", ny != NULL ? ny : "");
	if (c != 0)
		return c;
	return (int)(json_num(x, "priority", 0) - json_num(y, "priority", 0));
}

/* Sort an array's items (by name, then priority). */
static void
it_sort(cJSON *arr)
{
	cJSON	**v;
	int	  n = cJSON_GetArraySize(arr), i;

	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (i = n - 1; i >= 0; i--)
		v[i] = cJSON_DetachItemFromArray(arr, i);
	qsort(v, (size_t)n, sizeof(*v), it_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, v[i]);
	free(v);
}

/* Compare two string items. */
static int
it_cmp_str(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->valuestring,
	    (*(const cJSON *const *)b)->valuestring);
}

/* Sort an array of strings. */
static void
it_sort_strings(cJSON *arr)
{
	cJSON	**v;
	int	  n = cJSON_GetArraySize(arr), i;

	v = xcalloc((size_t)n + 1, sizeof(*v));
	for (i = n - 1; i >= 0; i--)
		v[i] = cJSON_DetachItemFromArray(arr, i);
	qsort(v, (size_t)n, sizeof(*v), it_cmp_str);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, v[i]);
	free(v);
}

/* Replace TG ids in an action with their names. */
static void
it_names(cJSON *act, const cJSON *tgmap)
{
	cJSON		*tgs, *tg;
	const char	*id, *name;

	tgs = cJSON_GetObjectItem(cJSON_GetObjectItem(act, "forward"),
	    "targetGroups");
	cJSON_ArrayForEach(tg, tgs) {
		id = json_str(tg, "targetGroupIdentifier");
		name = id != NULL ? json_str(tgmap, id) : NULL;
		cJSON_ReplaceItemInObject(tg, "targetGroupIdentifier",
		    cJSON_CreateString(name != NULL ? name : "?"));
	}
}

/* The target groups with tags and targets; fills id -> name. */
static cJSON *
it_dump_tgs(struct it *t, cJSON *tgmap)
{
	struct lattice_list_target_groups_input	 in = { 0 };
	struct lattice_list_targets_input	 ti = { 0 };
	struct lattice_target_group_list	 l = { 0 };
	struct lattice_target_list		 tl = { 0 };
	struct aws_error			 err = { 0 };
	struct aws_tags				 tags = { 0 };
	cJSON					*arr, *o, *ts;
	char					*s;
	size_t					 i, j;

	arr = cJSON_CreateArray();
	it_ok(lattice_list_target_groups(t->aws, &in, &l, &err), &err,
	    "ListTargetGroups");
	for (i = 0; i < l.n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", l.items[i].name);
		cJSON_AddStringToObject(o, "status", l.items[i].status);
		cJSON_AddNumberToObject(o, "port", l.items[i].config.port);
		cJSON_AddStringToObject(tgmap, l.items[i].id, l.items[i].name);
		it_ok(lattice_list_tags(t->aws, l.items[i].arn, &tags, &err),
		    &err, "ListTagsForResource");
		cJSON_AddItemToObject(o, "tags", aws_tags_to_json(&tags));
		aws_tags_free(&tags);
		ti.target_group_identifier = l.items[i].id;
		it_ok(lattice_list_targets(t->aws, &ti, &tl, &err), &err,
		    "ListTargets");
		ts = cJSON_AddArrayToObject(o, "targets");
		for (j = 0; j < tl.n; j++) {
			xasprintf(&s, "%s:%d", tl.items[j].id, tl.items[j].port);
			cJSON_AddItemToArray(ts, cJSON_CreateString(s));
			free(s);
		}
		lattice_target_list_free(&tl);
		it_sort_strings(ts);
		cJSON_AddItemToArray(arr, o);
	}
	lattice_target_group_list_free(&l);
	it_sort(arr);
	return arr;
}

/* One listener's non-default rules with match and action. */
static cJSON *
it_dump_rules(struct it *t, const char *svc, const char *lst,
    const cJSON *tgmap)
{
	struct lattice_page	 pg = { 0 };
	struct lattice_rule_list l = { 0 };
	struct lattice_rule	 r;
	struct aws_error	 err = { 0 };
	cJSON			*arr, *o, *act;
	size_t			 i;

	arr = cJSON_CreateArray();
	it_ok(lattice_list_rules(t->aws, svc, lst, &pg, &l, &err), &err,
	    "ListRules");
	for (i = 0; i < l.n; i++) {
		if (l.items[i].is_default)
			continue;
		memset(&r, 0, sizeof(r));
		it_ok(lattice_get_rule(t->aws, svc, lst, l.items[i].id, &r,
		    &err), &err, "GetRule");
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", r.name);
		cJSON_AddNumberToObject(o, "priority", r.priority);
		cJSON_AddItemToObject(o, "match",
		    lattice_rule_match_to_json(&r.match));
		act = lattice_rule_action_to_json(&r.action);
		it_names(act, tgmap);
		cJSON_AddItemToObject(o, "action", act);
		cJSON_AddItemToArray(arr, o);
		lattice_rule_free(&r);
	}
	lattice_rule_list_free(&l);
	it_sort(arr);
	return arr;
}

/* A service's associations and listeners. */
static void
it_dump_service(struct it *t, const struct lattice_service *s, cJSON *o,
    const cJSON *tgmap)
{
	struct lattice_list_sn_service_assocs_input	 ai = { 0 };
	struct lattice_sn_service_assoc_list		 al = { 0 };
	struct lattice_page				 pg = { 0 };
	struct lattice_listener_list			 ll = { 0 };
	struct aws_error				 err = { 0 };
	struct aws_tags					 tags = { 0 };
	cJSON						*arr, *x;
	size_t						 i;

	it_ok(lattice_list_tags(t->aws, s->arn, &tags, &err), &err,
	    "ListTagsForResource");
	cJSON_AddItemToObject(o, "tags", aws_tags_to_json(&tags));
	aws_tags_free(&tags);
	ai.service_identifier = s->id;
	it_ok(lattice_list_sn_service_assocs(t->aws, &ai, &al, &err), &err,
	    "ListServiceNetworkServiceAssociations");
	arr = cJSON_AddArrayToObject(o, "associations");
	for (i = 0; i < al.n; i++) {
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name",
		    al.items[i].service_network_name);
		cJSON_AddStringToObject(x, "status", al.items[i].status);
		cJSON_AddItemToArray(arr, x);
	}
	lattice_sn_service_assoc_list_free(&al);
	it_ok(lattice_list_listeners(t->aws, s->id, &pg, &ll, &err), &err,
	    "ListListeners");
	arr = cJSON_AddArrayToObject(o, "listeners");
	for (i = 0; i < ll.n; i++) {
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", ll.items[i].name);
		cJSON_AddStringToObject(x, "protocol", ll.items[i].protocol);
		cJSON_AddNumberToObject(x, "port", ll.items[i].port);
		cJSON_AddItemToObject(x, "rules", it_dump_rules(t, s->id,
		    ll.items[i].id, tgmap));
		cJSON_AddItemToArray(arr, x);
	}
	lattice_listener_list_free(&ll);
	it_sort(arr);
}

/* The whole Lattice state, without ids or times (sorted). */
static cJSON *
it_dump(struct it *t)
{
	struct lattice_page		 pg = { 0 };
	struct lattice_service_list	 l = { 0 };
	struct aws_error		 err = { 0 };
	cJSON				*o, *arr, *x, *tgmap;
	size_t				 i;

	o = cJSON_CreateObject();
	tgmap = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "targetGroups", it_dump_tgs(t, tgmap));
	it_ok(lattice_list_services(t->aws, &pg, &l, &err), &err,
	    "ListServices");
	arr = cJSON_AddArrayToObject(o, "services");
	for (i = 0; i < l.n; i++) {
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", l.items[i].name);
		cJSON_AddStringToObject(x, "status", l.items[i].status);
		it_dump_service(t, &l.items[i], x, tgmap);
		cJSON_AddItemToArray(arr, x);
	}
	lattice_service_list_free(&l);
	it_sort(arr);
	cJSON_Delete(tgmap);
	return o;
}

/* Fail unless two dumps are equal. */
static void
it_same(const cJSON *got, const cJSON *want, const char *what)
{
	char	*g, *w;

	if (json_equal(got, want))
		return;
	g = cJSON_Print(got);
	w = cJSON_Print(want);
	fail_msg("%s: Lattice state differs\n got: %s\nwant: %s", what, g, w);
}

/* Print the calls made, by operation. */
static void
it_print_calls(struct it *t)
{
	struct mirror_call_count	c[64];
	size_t				i, n;

	n = mirror_call_counts(t->m, c, 64);
	for (i = 0; i < n; i++)
		printf("  %s: %llu\n", c[i].op, (unsigned long long)c[i].calls);
}

/* A pass on converged state: no API call at all. */
static void
it_zero_calls(struct it *t, const struct lm_stack *st, int deleting)
{
	struct plan_result	r;
	uint64_t		before = it_requests(t);

	mirror_reset_counts(t->m);
	it_pass(t, st, deleting, NULL, &r);
	assert_true(r.converged);
	assert_int_equal(r.done, 0);
	if (mirror_calls(t->m, 0) != 0)
		it_print_calls(t);
	assert_int_equal(mirror_calls(t->m, 0), 0);
	assert_int_equal(it_requests(t), before);
	plan_result_free(&r);
}

/* The array at path a.b (objects only) and its size. */
static const cJSON *
it_arr(const cJSON *o, const char *path, int n)
{
	const cJSON	*a = json_path(o, path);

	assert_non_null(a);
	assert_int_equal(cJSON_GetArraySize(a), n);
	return a;
}

/* ---- tests ---- */

/* Create, check, zero calls, change, converge, delete, nothing left. */
static void
test_rates_lifecycle(void **state)
{
	struct it		*t = it_start(0, 0);
	struct lm_stack		*st = fx_rates(), *st2;
	struct plan_result	 r;
	const cJSON		*svc, *rules, *tgs, *fwd;
	cJSON			*d;
	uint64_t		 writes;

	assert_int_equal(it_converge(t, st, 0, 0), 1);
	writes = mirror_calls(t->m, 1);
	/* 2 TGs, 2 registers, service, association, listener, 2 rules */
	assert_int_equal(writes, 9);
	d = it_dump(t);
	svc = cJSON_GetArrayItem(it_arr(d, "services", 1), 0);
	assert_string_equal(json_str(svc, "name"), "rates-default");
	assert_string_equal(json_str(cJSON_GetObjectItem(svc, "tags"),
	    UP_TAG_MANAGED_BY), FX_MANAGED_BY);
	assert_string_equal(json_str(cJSON_GetObjectItem(svc, "tags"),
	    UP_TAG_ROUTE_NAME), "rates");
	assert_string_equal(json_str(cJSON_GetArrayItem(it_arr(svc,
	    "associations", 1), 0), "name"), FX_SN);
	assert_string_equal(json_str(cJSON_GetArrayItem(it_arr(svc,
	    "listeners", 1), 0), "name"), "rates-default-80-http");
	rules = it_arr(cJSON_GetArrayItem(cJSON_GetObjectItem(svc,
	    "listeners"), 0), "rules", 2);
	assert_int_equal(json_num(cJSON_GetArrayItem(rules, 0), "priority",
	    0) + json_num(cJSON_GetArrayItem(rules, 1), "priority", 0), 3);
	tgs = it_arr(d, "targetGroups", 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(tgs, 0), "targets")) + cJSON_GetArraySize(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(tgs, 1), "targets")), 3);
	cJSON_Delete(d);

	/* A second pass, and a restart on converged state: no writes. */
	it_zero_calls(t, st, 0);
	mirror_free(t->m);
	t->m = it_mirror(t);
	it_pass(t, st, 0, NULL, &r);
	assert_true(r.converged);
	assert_int_equal(r.done, 0);
	assert_int_equal(mirror_calls(t->m, 1), 0);
	assert_non_null(r.service_arn);
	assert_non_null(r.service_dns);
	plan_result_free(&r);

	/* Weights 80/20 on /parking, /review removed. */
	fx_split(st, 0, 80, 20);
	fx_drop_rule(st, 1);
	mirror_reset_counts(t->m);
	assert_int_equal(it_converge(t, st, 0, 0), 1);
	/* one UpdateRule, one DeleteRule; both TGs are still used */
	assert_int_equal(mirror_calls(t->m, 1), 2);
	d = it_dump(t);
	svc = cJSON_GetArrayItem(it_arr(d, "services", 1), 0);
	rules = it_arr(cJSON_GetArrayItem(cJSON_GetObjectItem(svc,
	    "listeners"), 0), "rules", 1);
	fwd = json_path(cJSON_GetArrayItem(rules, 0), "action.forward");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(fwd,
	    "targetGroups")), 2);
	it_arr(d, "targetGroups", 2);
	cJSON_Delete(d);
	it_zero_calls(t, st, 0);

	/* Back to /parking only: the review TG is deleted at once. */
	st2 = fx_rates();
	fx_drop_rule(st2, 1);
	assert_int_equal(it_converge(t, st2, 0, 0), 1);
	d = it_dump(t);
	tgs = it_arr(d, "targetGroups", 1);
	assert_string_equal(json_str(cJSON_GetArrayItem(tgs, 0), "name"),
	    st2->tgs[0].name);
	cJSON_Delete(d);
	it_zero_calls(t, st2, 0);

	/* Delete: nothing left. */
	assert_int_equal(it_converge(t, st2, 1, 0), 1);
	d = it_dump(t);
	it_arr(d, "services", 0);
	it_arr(d, "targetGroups", 0);
	cJSON_Delete(d);
	it_zero_calls(t, st2, 1);	/* deleting again: nothing */
	lm_stack_free(st);
	lm_stack_free(st2);
	it_stop(t);
}

/* The plan from state "from" to stack "to" in a fresh simulator. */
static size_t
it_plan_len(const struct lm_stack *from, const struct lm_stack *to,
    int deleting)
{
	struct it	*t = it_start(0, 0);
	struct plan	*p = NULL;
	char		*cause = NULL;
	size_t		 n;

	if (from != NULL)
		it_converge(t, from, 0, 0);
	assert_int_equal(mirror_prepare(t->m, to, deleting, &cause), 0);
	assert_int_equal(plan_diff(t->m, to, deleting, &p, &cause), 0);
	n = p->n_ops;
	plan_free(p);
	it_stop(t);
	return n;
}

/* The state after converging "from" then "to" (reference). */
static cJSON *
it_reference(const struct lm_stack *from, const struct lm_stack *to,
    int deleting)
{
	struct it	*t = it_start(0, 0);
	cJSON		*d;

	if (from != NULL)
		it_converge(t, from, 0, 0);
	it_converge(t, to, deleting, 0);
	d = it_dump(t);
	it_stop(t);
	return d;
}

/* For every k: converge "from", apply k operations of the plan to "to",
 * "crash" (drop the mirror), converge "to" from a fresh mirror. */
static void
it_crash_each_prefix(const struct lm_stack *from, const struct lm_stack *to,
    int deleting, const char *what)
{
	struct plan_apply_opts	 o;
	struct plan_result	 r;
	struct it		*t;
	cJSON			*want, *got;
	size_t			 k, n;
	char			 label[64];

	n = it_plan_len(from, to, deleting);
	assert_true(n > 0);
	want = it_reference(from, to, deleting);
	for (k = 0; k <= n; k++) {
		t = it_start(0, 0);
		if (from != NULL)
			it_converge(t, from, 0, 0);
		memset(&o, 0, sizeof(o));
		o.max_ops = k;
		if (k > 0) {
			it_pass(t, to, deleting, &o, &r);
			assert_int_equal(r.done, k);
			plan_result_free(&r);
		}
		mirror_free(t->m);
		t->m = it_mirror(t);
		assert_true(it_converge(t, to, deleting, 0) <= 2);
		got = it_dump(t);
		snprintf(label, sizeof(label), "%s, crash after %zu of %zu",
		    what, k, n);
		it_same(got, want, label);
		cJSON_Delete(got);
		it_zero_calls(t, to, deleting);
		it_stop(t);
	}
	printf("%s: crash after each of %zu operations: converged, no "
	    "duplicates\n", what, n);
	cJSON_Delete(want);
}

/* Crash after every prefix of the create plan. */
static void
test_crash_create(void **state)
{
	struct lm_stack	*st = fx_rates();

	it_crash_each_prefix(NULL, st, 0, "create");
	lm_stack_free(st);
}

/* Crash after every prefix of a change plan (weights, a rule and a
 * target group gone, a new target). */
static void
test_crash_change(void **state)
{
	struct lm_stack	*from = fx_rates(), *to = fx_rates();

	fx_drop_rule(to, 0);
	to->listeners[0].rules[0].priority = 1;
	to->listeners[0].rules[0].action.tgs[0].weight = 5;
	free(to->tgs[0].targets[0].ip);
	to->tgs[0].targets[0].ip = xstrdup("10.0.2.9");
	it_crash_each_prefix(from, to, 0, "change");
	lm_stack_free(from);
	lm_stack_free(to);
}

/* Crash after every prefix of the delete plan. */
static void
test_crash_delete(void **state)
{
	struct lm_stack	*st = fx_rates();

	it_crash_each_prefix(st, st, 1, "delete");
	lm_stack_free(st);
}

/* With create and delete delays, apply asks for a requeue instead of
 * waiting, and later passes converge. */
static void
test_delays(void **state)
{
	struct lm_stack		*st = fx_rates();
	cJSON			*want = it_reference(NULL, st, 0), *got;
	struct it		*t = it_start(4000, 4000);
	struct plan_result	 r;
	int			 passes;

	it_pass(t, st, 0, NULL, &r);
	assert_false(r.converged);
	assert_true(r.deferred > 0);
	assert_int_equal(r.requeue_after_s, PLAN_REQUEUE_PENDING_S);
	/* TGs and the service were created; nothing waited on them */
	assert_int_equal(r.done, 3);
	plan_result_free(&r);
	sim_aws_advance(t->sim, 4500);
	passes = it_converge(t, st, 0, 4500);
	assert_true(passes >= 2 && passes <= 4);
	got = it_dump(t);
	it_same(got, want, "with delays");
	cJSON_Delete(got);
	cJSON_Delete(want);
	it_zero_calls(t, st, 0);
	/* Delete: the association is deleted first, the service waits. */
	it_pass(t, st, 1, NULL, &r);
	assert_false(r.converged);
	assert_true(r.requeue_after_s > 0);
	plan_result_free(&r);
	assert_true(it_converge(t, st, 1, 4500) <= 4);
	sim_aws_advance(t->sim, 4500);
	got = it_dump(t);
	it_arr(got, "services", 0);
	it_arr(got, "targetGroups", 0);
	cJSON_Delete(got);
	lm_stack_free(st);
	it_stop(t);
}

/* Drift behind the mirror's back is seen after a resync and repaired;
 * the resync itself costs a few list calls. */
static void
test_resync_drift(void **state)
{
	struct it			*t = it_start(0, 0);
	struct lm_stack			*st = fx_rates();
	struct lattice_update_rule_input u = { 0 };
	struct lattice_rule		 out = { 0 };
	struct lattice_targets_result	 res = { 0 };
	struct lattice_target		 tgt = { 0 };
	struct lattice_service_list	 sl = { 0 };
	struct lattice_page		 pg = { 0 };
	struct lattice_listener_list	 ll = { 0 };
	struct lattice_rule_list	 rl = { 0 };
	struct aws_error		 err = { 0 };
	struct plan_result		 r;
	cJSON				*want, *got;
	char				*cause = NULL;
	size_t				 i;

	it_converge(t, st, 0, 0);
	want = it_dump(t);
	/* Another hand moves rule 2 to priority 7 and removes a target. */
	it_ok(lattice_list_services(t->aws, &pg, &sl, &err), &err, "list");
	it_ok(lattice_list_listeners(t->aws, sl.items[0].id, &pg, &ll, &err),
	    &err, "listeners");
	it_ok(lattice_list_rules(t->aws, sl.items[0].id, ll.items[0].id, &pg,
	    &rl, &err), &err, "rules");
	for (i = 0; i < rl.n; i++) {
		if (rl.items[i].priority != 2)
			continue;
		u.service_identifier = sl.items[0].id;
		u.listener_identifier = ll.items[0].id;
		u.rule_identifier = rl.items[i].id;
		u.priority = 7;
		it_ok(lattice_update_rule(t->aws, &u, &out, &err), &err,
		    "UpdateRule");
		lattice_rule_free(&out);
	}
	tgt.id = st->tgs[0].targets[0].ip;
	tgt.port = st->tgs[0].targets[0].port;
	pthread_mutex_lock(&t->m->mu);
	{
		const char *tgid = mx_tg_find(t->m, &st->tgs[0])->tg.id;
		char *id = xstrdup(tgid);

		pthread_mutex_unlock(&t->m->mu);
		it_ok(lattice_deregister_targets(t->aws, id, &tgt, 1, &res,
		    &err), &err, "DeregisterTargets");
		free(id);
	}
	lattice_targets_result_free(&res);
	/* The mirror does not know: nothing to do, no call. */
	it_zero_calls(t, st, 0);
	/* Resync: a handful of lists, then the repair. */
	mirror_reset_counts(t->m);
	assert_int_equal(mirror_load(t->m, &cause), 0);
	assert_true(mirror_calls(t->m, 0) <= 6);
	it_pass(t, st, 0, NULL, &r);
	assert_true(r.converged);
	assert_int_equal(r.done, 2);	/* UpdateRule, RegisterTargets */
	plan_result_free(&r);
	got = it_dump(t);
	/* The removed target was re-registered (it may still drain: the
	 * dump has it once). */
	it_same(got, want, "after repair");
	cJSON_Delete(got);
	cJSON_Delete(want);
	it_zero_calls(t, st, 0);
	lattice_rule_list_free(&rl);
	lattice_listener_list_free(&ll);
	lattice_service_list_free(&sl);
	lm_stack_free(st);
	it_stop(t);
}

/* A write on something gone (a rule deleted behind our back) is a
 * surprise: refresh, requeue soon, the next pass converges. */
static void
test_surprise(void **state)
{
	struct it		*t = it_start(0, 0);
	struct lm_stack		*st = fx_rates();
	struct plan_result	 r;
	struct aws_error	 err = { 0 };
	struct mx_service	*s;
	char			*svc, *lst, *rule;
	const cJSON		*rules, *x;
	cJSON			*got;

	it_converge(t, st, 0, 0);
	pthread_mutex_lock(&t->m->mu);
	s = mx_svc_by_name(t->m, st->service->name);
	svc = xstrdup(s->s.id);
	lst = xstrdup(s->listeners[0]->l.id);
	rule = xstrdup(s->listeners[0]->rules[1]->r.id);
	pthread_mutex_unlock(&t->m->mu);
	it_ok(lattice_delete_rule(t->aws, svc, lst, rule, &err), &err,
	    "DeleteRule");
	st->listeners[0].rules[1].action.tgs[0].weight = 7;
	it_pass(t, st, 0, NULL, &r);
	assert_false(r.converged);
	assert_int_equal(r.surprises, 1);
	assert_int_equal(r.requeue_after_s, PLAN_REQUEUE_SURPRISE_S);
	plan_result_free(&r);
	assert_int_equal(it_converge(t, st, 0, 0), 1);
	got = it_dump(t);
	rules = json_path(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(got, "services"), 0),
	    "listeners"), 0), "rules");
	assert_int_equal(cJSON_GetArraySize(rules), 2);
	cJSON_ArrayForEach(x, rules) {
		if (json_num(x, "priority", 0) == 2)
			assert_int_equal(json_num(cJSON_GetArrayItem(json_path(
			    x, "action.forward.targetGroups"), 0), "weight",
			    0), 7);
	}
	cJSON_Delete(got);
	it_zero_calls(t, st, 0);
	free(svc);
	free(lst);
	free(rule);
	lm_stack_free(st);
	it_stop(t);
}

/* A transport that reaches the simulator but loses the responses of the
 * next `drop` POSTs to one path: the server acted, the client saw a
 * connection reset. */
struct lossy {
	struct http_client	*http;
	const char		*path;
	int			 drop;
	int			 dropped;
};

/* The aws transport hook of struct lossy. */
static int
lossy_transport(void *arg, const struct http_request *req,
    struct http_response *resp, char **cause)
{
	struct lossy	*l = arg;
	const char	*p;
	int		 rc;

	rc = http_do(l->http, req, resp, cause);
	p = strstr(req->url, "://");
	p = p != NULL ? strchr(p + 3, '/') : NULL;
	if (rc == 0 && l->drop > 0 && req->method != NULL &&
	    strcmp(req->method, "POST") == 0 && p != NULL &&
	    strcmp(p, l->path) == 0) {
		l->drop--;
		l->dropped++;
		free(*cause);
		*cause = xstrdup("connection reset by peer (test)");
		return -1;
	}
	return rc;
}

/* A create whose every response was lost is replayed by the next pass
 * with the same client token: the resource is found, not doubled, and no
 * conflict is taken for a surprise. */
static void
test_lost_response(void **state)
{
	struct lm_stack			*st = fx_rates();
	cJSON				*want = it_reference(NULL, st, 0), *got;
	struct it			*t = it_start(0, 0);
	struct http_client_opts		 ho;
	struct lossy			 l;
	struct plan_result		 r;
	char				*cause = NULL;

	memset(&ho, 0, sizeof(ho));
	memset(&l, 0, sizeof(l));
	if ((l.http = http_client_new(&ho, &cause)) == NULL)
		fail_msg("http client: %s", cause);
	l.path = "/targetgroups";
	l.drop = 3;		/* every attempt of the first create */
	aws_set_transport(t->aws, lossy_transport, &l);
	assert_int_equal(plan_reconcile(t->m, st, 0, NULL, &r), -1);
	assert_non_null(r.error);
	assert_int_equal(l.dropped, 3);
	plan_result_free(&r);
	got = it_dump(t);
	it_arr(got, "targetGroups", 1);		/* it was created */
	cJSON_Delete(got);
	it_pass(t, st, 0, NULL, &r);
	assert_true(r.converged);
	assert_int_equal(r.surprises, 0);
	plan_result_free(&r);
	got = it_dump(t);
	it_same(got, want, "after a lost create response");
	cJSON_Delete(got);
	cJSON_Delete(want);
	it_zero_calls(t, st, 0);
	aws_set_transport(t->aws, NULL, NULL);
	http_client_free(l.http);
	lm_stack_free(st);
	it_stop(t);
}

struct it_worker {
	struct it	*t;
	struct lm_stack	*st;
	int		 passes;
};

/* A worker converging one route. */
static void *
it_worker_run(void *arg)
{
	struct it_worker	*w = arg;
	struct plan_result	 r;
	int			 i;

	for (i = 0; i < IT_MAX_PASSES; i++) {
		w->passes++;
		if (plan_reconcile(w->t->m, w->st, 0, NULL, &r) == 0 &&
		    r.converged) {
			plan_result_free(&r);
			break;
		}
		plan_result_free(&r);
	}
	return NULL;
}

/* Four workers on four routes share one mirror while it resyncs. */
static void
test_parallel(void **state)
{
	static const char *const names[] = { "rates", "inventory", "parking",
	    "review" };
	struct it		*t = it_start(0, 0);
	struct it_worker	 w[4];
	struct plan_result	 r;
	pthread_t		 th[4];
	cJSON			*d;
	char			*cause = NULL;
	int			 i;

	assert_int_equal(mirror_load(t->m, &cause), 0);
	for (i = 0; i < 4; i++) {
		w[i].t = t;
		w[i].st = fx_route(names[i]);
		w[i].passes = 0;
		pthread_create(&th[i], NULL, it_worker_run, &w[i]);
	}
	assert_int_equal(mirror_load(t->m, &cause), 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	d = it_dump(t);
	it_arr(d, "services", 4);
	it_arr(d, "targetGroups", 8);
	cJSON_Delete(d);
	for (i = 0; i < 4; i++) {
		assert_true(w[i].passes < IT_MAX_PASSES);
		/* After the resync, a pass re-reads the route's listeners,
		 * rules and targets once (no write), then reads nothing. */
		mirror_reset_counts(t->m);
		it_pass(t, w[i].st, 0, NULL, &r);
		assert_true(r.converged);
		assert_int_equal(mirror_calls(t->m, 1), 0);
		plan_result_free(&r);
		it_zero_calls(t, w[i].st, 0);
		lm_stack_free(w[i].st);
	}
	it_stop(t);
}

/* Run the apply tests against the simulator. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_lifecycle),
		cmocka_unit_test(test_crash_create),
		cmocka_unit_test(test_crash_change),
		cmocka_unit_test(test_crash_delete),
		cmocka_unit_test(test_delays),
		cmocka_unit_test(test_resync_drift),
		cmocka_unit_test(test_surprise),
		cmocka_unit_test(test_lost_response),
		cmocka_unit_test(test_parallel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
