/* The new views drawn into curses on /dev/null and driven by keys: the
 * dashboard tree, Route detail, :tg, :drift, the Installer (actions
 * through a fake action function, confirmations, read-only and view-only
 * refusals), the workloads menu and the Diagnose view. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "../../ui/ui_int.h"
#include "test_ui_fixture.h"

/* What the fake action function saw. */
static struct {
	int	calls;
	char	verb[64];
	char	target[128];
} act;

/* The fake producer: records the call; refuses "install.skip". */
static int
fake_action(void *arg, const char *verb, const char *target, char *msg,
    size_t len)
{
	(void)arg;
	act.calls++;
	snprintf(act.verb, sizeof act.verb, "%s", verb);
	snprintf(act.target, sizeof act.target, "%s", target != NULL ?
	    target : "(all)");
	if (strcmp(verb, "install.skip") == 0) {
		snprintf(msg, len, "a run is in progress");
		return -1;
	}
	snprintf(msg, len, "queued %s", verb);
	return 0;
}

/* The fake action function's last call: verb on target ("(all)": no
 * target). */
static void
acted(const char *verb, const char *target)
{
	assert_string_equal(act.verb, verb);
	assert_string_equal(act.target, target);
}

/* Key k asks prompt on the last line before any call; key yes
 * confirms and the action function is called once. */
static void
confirmed(struct ui_app *a, int k, const char *prompt, int yes)
{
	act.calls = 0;
	ui_app_key(a, k);
	frame(a);
	assert_non_null(strstr(line(LINES - 1), prompt));
	assert_int_equal(act.calls, 0);
	ui_app_key(a, yes);
	assert_int_equal(act.calls, 1);
}

/* Set up installer steps in s. */
static void
fill_install(struct ui_snapshot *s)
{
	struct ui_step	*st;

	s->install.present = 1;
	s->install.running = 1;
	s->install.summary = xstrdup("1/3 ready, 12.7 s");
	s->install.steps = xcalloc(3, sizeof *s->install.steps);
	s->install.nsteps = 3;
	st = &s->install.steps[0];
	st->id = xstrdup("cluster");
	st->title = xstrdup("EKS cluster");
	st->state = UI_STATE_OK;
	st->reason = xstrdup("Ready");
	st->elapsed_ms = 12400;
	st = &s->install.steps[1];
	st->id = xstrdup("security-group");
	st->title = xstrdup("Security group");
	st->state = UI_STATE_PROGRESSING;
	st->reason = xstrdup("Authorizing");
	st->elapsed_ms = 300;
	st->command = xstrdup("aws ec2 authorize-security-group-ingress "
	    "--group-id sg-0abc");
	st->log = xcalloc(2, sizeof(char *));
	st->log[0] = xstrdup("found sg-0abc");
	st->log[1] = xstrdup("adding pl-0721453c7ac4ec009");
	st->nlog = 2;
	st = &s->install.steps[2];
	st->id = xstrdup("iam-policy");
	st->title = xstrdup("IAM policy");
	s->workloads = xcalloc(2, sizeof *s->workloads);
	s->nworkloads = 2;
	s->workloads[0].id = xstrdup("gateway");
	s->workloads[0].title = xstrdup("my-hotel gateway");
	s->workloads[0].applied = 1;
	s->workloads[1].id = xstrdup("parking");
	s->workloads[1].title = xstrdup("parking service");
}

/* A snapshot as a producer fills it: the rates route with its chain,
 * the :tg list, details, installer, workloads; doctor when asked. */
static void
publish(struct ui_model *m, int readonly, int doctor)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	cJSON			*route = cJSON_Parse(ui_fx_route);
	cJSON			*entry = cJSON_Parse(ui_fx_entry);
	cJSON			*plan = cJSON_Parse(ui_fx_plan);
	struct ui_item		*it;

	s->context = xstrdup("lab");
	s->conn = UI_CONN_LIVE;
	s->readonly = readonly;
	if (readonly)
		s->readonly_why = xstrdup("another controller");
	ui_list_set_columns(&s->lists[UI_LIST_ROUTES], ui_route_columns);
	ui_list_set_columns(&s->lists[UI_LIST_TARGETGROUPS], ui_tg_columns);
	it = ui_route_item(&s->lists[UI_LIST_ROUTES], route);
	ui_route_chain(it, entry, plan);
	ui_tg_items(&s->lists[UI_LIST_TARGETGROUPS], entry);
	it = ui_list_add(&s->lists[UI_LIST_ROUTES], "HTTPRoute", "default",
	    "inventory");
	it->state = UI_STATE_OK;
	s->details = xcalloc(1, sizeof *s->details);
	s->ndetails = 1;
	ui_route_detail(&s->details[0], route, entry, plan, NULL);
	fill_install(s);
	if (doctor)
		s->doctor = cJSON_Parse(ui_fx_doctor);
	cJSON_Delete(route);
	cJSON_Delete(entry);
	cJSON_Delete(plan);
	ui_model_publish(m, s);
}

/* Options opening view (NULL: the dashboard) with the fake action
 * function or none; the fake's record cleared. */
static void
opts(struct ui_opts *o, const char *view, int with_action)
{
	memset(o, 0, sizeof *o);
	memset(&act, 0, sizeof act);
	o->start_view = view;
	o->action = with_action ? fake_action : NULL;
}

/* A model with a snapshot published (see publish) and an app on it. */
static void
app_open(struct ui_model *m, struct ui_app *a, struct ui_opts *o,
    int readonly, int doctor)
{
	ui_model_init(m, 8);
	publish(m, readonly, doctor);
	ui_app_init(a, m, o);
}

/* Free the app and its model. */
static void
app_close(struct ui_app *a, struct ui_model *m)
{
	ui_app_free(a);
	ui_model_destroy(m);
}

/* Routes fold by default; space opens the chain with icons and counts;
 * enter opens the detail; esc comes back. */
static void
test_dashboard_detail(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	opts(&o, NULL, 0);
	app_open(&m, &a, &o, 0, 0);
	frame(&a);
	assert_non_null(strstr(line(1), "Routes(all)[2]"));
	assert_non_null(strstr(line(2), "STATUS"));
	assert_non_null(strstr(line(2), "HEALTH"));
	assert_non_null(strstr(line(3), "x > rates"));
	assert_non_null(strstr(line(3), "3/4"));
	assert_non_null(strstr(line(LINES - 2), "1 of 4 targets unhealthy"));
	/* a filter sees the rows inside folded routes */
	keys(&a, "/10.0.2.11\r");
	frame(&a);
	assert_non_null(strstr(line(1), "Routes(all)[1] /10.0.2.11"));
	assert_non_null(strstr(line(3), "> rates"));
	ui_app_key(&a, 27);
	frame(&a);
	assert_non_null(strstr(line(1), "Routes(all)[2]"));
	ui_app_key(&a, ' ');
	frame(&a);
	assert_non_null(strstr(line(1), "Routes(all)[13]"));
	assert_non_null(strstr(line(4), "x   v rates-default"));
	assert_non_null(strstr(line(5), "+     sn my-hotel"));
	assert_non_null(strstr(line(6), "x     v HTTP:80"));
	assert_non_null(strstr(line(7), "x       v #1 prefix:/p"));
	assert_non_null(strstr(line(8), "x         v k8s-def"));
	assert_non_null(strstr(line(8), "1/2"));
	assert_non_null(strstr(line(9), "+           10.0.1.10"));
	assert_non_null(strstr(line(10), "x           10.0.2.11"));
	assert_non_null(strstr(line(10), "UNHEALTHY"));
	assert_non_null(strstr(line(11), "+       v #2 prefix:/r"));
	/* the selected chain row's why */
	keys(&a, "jjjjjjj");
	frame(&a);
	assert_non_null(strstr(line(LINES - 2), "10.0.2.11:8090 UNHEALTHY"));
	/* enter on a chain row opens its route's detail */
	ui_app_key(&a, '\r');
	frame(&a);
	assert_non_null(strstr(line(1), "Route HTTPRoute/default/rates"));
	assert_true(screen_has("KUBERNETES"));
	assert_true(screen_has("LATTICE"));
	assert_non_null(strstr(line(LINES - 1), "<j/k> scroll"));
	keys(&a, "G");
	frame(&a);
	assert_true(screen_has("PLAN"));
	assert_true(screen_has("update-rule rule 1"));
	ui_app_key(&a, 27);
	frame(&a);
	assert_non_null(strstr(line(1), "Routes(all)[13]"));
	/* a route without details shows its chain from the items */
	keys(&a, "G\r");
	frame(&a);
	assert_non_null(strstr(line(1), "Route HTTPRoute/default/inventory"));
	assert_true(screen_has("CHAIN"));
	app_close(&a, &m);
}

/* :tg lists target groups; :drift lists the drifting route and its plan. */
static void
test_tg_and_drift(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	opts(&o, NULL, 0);
	app_open(&m, &a, &o, 0, 0);
	keys(&a, ":tg\r");
	frame(&a);
	assert_non_null(strstr(line(1), "TargetGroups(all)[2]"));
	assert_non_null(strstr(line(2), "HEALTHY"));
	assert_true(screen_has("k8s-default-"));
	assert_true(screen_has("1/2"));
	keys(&a, "/review\r");
	frame(&a);
	assert_non_null(strstr(line(1), "TargetGroups(all)[1] /review"));
	keys(&a, ":drift\r");
	frame(&a);
	assert_non_null(strstr(line(1), "Drift[1]"));
	assert_non_null(strstr(line(2), "HTTPRoute/default/rates"));
	assert_non_null(strstr(line(3), "update-rule rule 1 (prefix:/parking)"));
	/* enter on a plan line opens its route's detail; esc comes back */
	keys(&a, "j\r");
	frame(&a);
	assert_non_null(strstr(line(1), "Route HTTPRoute/default/rates"));
	assert_true(screen_has("KUBERNETES"));
	ui_app_key(&a, 27);
	frame(&a);
	assert_non_null(strstr(line(1), "Drift[1]"));
	app_close(&a, &m);
	/* nothing drifts in an empty snapshot */
	ui_model_init(&m, 8);
	ui_app_init(&a, &m, &o);
	keys(&a, ":drift\r");
	frame(&a);
	assert_true(screen_has("no drift"));
	app_close(&a, &m);
}

/* The route of a drift line: the heading at or above it. */
static void
test_drift_route(void **state)
{
	char	*v[] = { "HTTPRoute/default/rates", "  update-rule x",
		    "GRPCRoute/shop/cart", "  create-service y" };
	char	*r;

	(void)state;
	r = ui_drift_route(v, 4, 1);
	assert_string_equal(r, "HTTPRoute/default/rates");
	free(r);
	r = ui_drift_route(v, 4, 2);
	assert_string_equal(r, "GRPCRoute/shop/cart");
	free(r);
	r = ui_drift_route(v, 4, 99);
	assert_string_equal(r, "GRPCRoute/shop/cart");
	free(r);
	assert_null(ui_drift_route(v + 1, 1, 0));
	assert_null(ui_drift_route(NULL, 0, 0));
}

/* The Route detail scrolls by keys in a short window (j, PgDn, G, g,
 * k): the position marker moves and lines below the first page show;
 * a route without details (its chain from the items) scrolls too. */
static void
test_detail_scroll(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;
	char		 want[32];
	size_t		 n;
	int		 owned;

	(void)state;
	opts(&o, NULL, 0);
	app_open(&m, &a, &o, 0, 0);
	resizeterm(12, 80);
	frame(&a);
	ui_app_key(&a, '\r');
	frame(&a);
	assert_non_null(strstr(line(1), "Route HTTPRoute/default/rates"));
	ui_detail_view_lines(a.snap, a.detail_key, &n, &owned);
	assert_int_equal(owned, 0);
	assert_true(n > 14);
	snprintf(want, sizeof want, " 1-7/%zu ", n);
	assert_non_null(strstr(line(9), want));
	assert_false(screen_has("PLAN"));
	ui_app_key(&a, 'j');
	frame(&a);
	snprintf(want, sizeof want, " 2-8/%zu ", n);
	assert_non_null(strstr(line(9), want));
	ui_app_key(&a, KEY_NPAGE);
	frame(&a);
	snprintf(want, sizeof want, " 8-14/%zu ", n);
	assert_non_null(strstr(line(9), want));
	ui_app_key(&a, 'G');
	frame(&a);
	snprintf(want, sizeof want, " %zu-%zu/%zu ", n - 6, n, n);
	assert_non_null(strstr(line(9), want));
	assert_true(screen_has("PLAN"));
	ui_app_key(&a, 'k');
	frame(&a);
	snprintf(want, sizeof want, " %zu-%zu/%zu ", n - 7, n - 1, n);
	assert_non_null(strstr(line(9), want));
	ui_app_key(&a, 'g');
	frame(&a);
	snprintf(want, sizeof want, " 1-7/%zu ", n);
	assert_non_null(strstr(line(9), want));
	/* the items' chain (no producer detail) scrolls as well */
	ui_app_key(&a, 27);
	free(a.detail_key);
	a.detail_key = xstrdup("HTTPRoute/default/none");
	ui_app_push(&a, &ui_view_detail);
	frame(&a);
	assert_true(screen_has("this route is gone"));
	ui_app_key(&a, 27);
	free(a.detail_key);
	a.detail_key = NULL;
	resizeterm(24, 80);
	app_close(&a, &m);
}

/* The installer: steps, the running step's log and command; keys call
 * the action function; undo asks first; l opens the log; w workloads. */
static void
test_install_keys(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	opts(&o, "install", 1);
	app_open(&m, &a, &o, 0, 0);
	frame(&a);
	assert_non_null(strstr(line(1), "Installer  1/3 ready, 12.7 s  (running)"));
	assert_non_null(strstr(line(2), "STEP"));
	assert_non_null(strstr(line(3), "+ EKS cluster"));
	assert_non_null(strstr(line(3), "12.4s"));
	assert_non_null(strstr(line(4), "~ Security group"));
	assert_non_null(strstr(line(4), "running"));
	assert_non_null(strstr(line(5), ". IAM policy"));
	assert_non_null(strstr(line(5), "pending"));
	/* follows the running step: its log and command */
	assert_true(screen_has("Log: Security group"));
	assert_true(screen_has("$ aws ec2 authorize-security-group-ingress"));
	assert_true(screen_has("adding pl-0721453c7ac4ec009"));
	ui_app_key(&a, 'r');
	assert_int_equal(act.calls, 1);
	acted("install.run", "(all)");
	frame(&a);
	assert_non_null(strstr(line(LINES - 2), "queued install.run"));
	ui_app_key(&a, 'R');
	assert_string_equal(act.target, "security-group");
	ui_app_key(&a, 'k');
	ui_app_key(&a, 'R');
	assert_string_equal(act.target, "cluster");
	frame(&a);
	assert_true(screen_has("Log: EKS cluster"));
	assert_true(screen_has("(no output yet)"));
	ui_app_key(&a, 'c');
	assert_string_equal(act.verb, "install.recheck");
	ui_app_key(&a, 'd');
	assert_string_equal(act.verb, "install.dryrun");
	ui_app_key(&a, 's');
	acted("install.skip", "cluster");
	frame(&a);
	assert_non_null(strstr(line(LINES - 2),
	    "install.skip refused: a run is in progress"));
	/* undo: n cancels, y runs */
	act.calls = 0;
	ui_app_key(&a, 'u');
	frame(&a);
	assert_non_null(strstr(line(LINES - 1), "Undo the install"));
	assert_non_null(strstr(line(LINES - 1), "[y/N]"));
	ui_app_key(&a, 'n');
	assert_int_equal(act.calls, 0);
	frame(&a);
	assert_non_null(strstr(line(LINES - 2), "install.undo cancelled"));
	ui_app_key(&a, 'u');
	ui_app_key(&a, 'y');
	assert_int_equal(act.calls, 1);
	assert_string_equal(act.verb, "install.undo");
	/* l: the full log; esc back; w: workloads */
	ui_app_key(&a, 'l');
	frame(&a);
	assert_true(screen_has("Events"));
	ui_app_key(&a, 27);
	ui_app_key(&a, 'w');
	frame(&a);
	assert_non_null(strstr(line(1), "Workloads[2]"));
	assert_non_null(strstr(line(3), "+ my-hotel gateway"));
	assert_non_null(strstr(line(3), "applied"));
	keys(&a, "j\r");
	acted("workload.apply", "parking");
	confirmed(&a, 'x', "Delete the parking service workload's objects? "
	    "[y/N]", 'Y');
	acted("workload.delete", "parking");
	app_close(&a, &m);
}

/* Read-only: the header says why; actions are refused before any call
 * (and before a confirmation); diagnose still runs. Without an action
 * function every action key is refused. */
static void
test_refusals(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	opts(&o, "install", 1);
	app_open(&m, &a, &o, 1, 0);
	frame(&a);
	assert_non_null(strstr(line(0), "READ-ONLY: another controller"));
	keys(&a, "rcdsu");
	assert_int_equal(act.calls, 0);
	assert_int_equal(a.confirm.open, 0);
	frame(&a);
	assert_non_null(strstr(line(LINES - 2), "install.undo refused: "
	    "read-only (another controller)"));
	keys(&a, ":rt\r");
	ui_app_key(&a, 4);
	assert_int_equal(a.confirm.open, 0);
	assert_int_equal(act.calls, 0);
	ui_app_key(&a, 'D');
	assert_int_equal(act.calls, 1);
	acted("doctor.run", "HTTPRoute/default/rates");
	app_close(&a, &m);
	/* no action function: view only */
	o.action = NULL;
	app_open(&m, &a, &o, 0, 0);
	ui_app_key(&a, 'r');
	frame(&a);
	assert_non_null(strstr(line(LINES - 2), "install.run: not available"));
	app_close(&a, &m);
}

/* Route delete asks y/n and sends the route key. */
static void
test_route_delete(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	opts(&o, NULL, 1);
	app_open(&m, &a, &o, 0, 0);
	frame(&a);
	/* esc cancels */
	ui_app_key(&a, 4);
	ui_app_key(&a, 27);
	assert_int_equal(act.calls, 0);
	confirmed(&a, 4, "Delete HTTPRoute/default/rates", 'y');
	acted("route.delete", "HTTPRoute/default/rates");
	app_close(&a, &m);
}

/* Diagnose: "no report yet"; then groups with icons, the selected
 * check's evidence and fix; D on a route runs doctor for it; r re-runs. */
static void
test_doctor_view(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	opts(&o, NULL, 1);
	app_open(&m, &a, &o, 0, 0);
	keys(&a, ":doctor\r");
	frame(&a);
	assert_true(screen_has("no report yet"));
	ui_app_key(&a, 'r');
	acted("doctor.run", "(all)");
	ui_app_key(&a, 27);
	ui_app_key(&a, 'D');
	assert_string_equal(act.target, "HTTPRoute/default/rates");
	publish(&m, 0, 1);
	frame(&a);
	assert_non_null(strstr(line(1), "Diagnose HTTPRoute/default/rates  ok 2 "
	    "warn 1 fail 1 skip 1"));
	assert_non_null(strstr(line(3), "! v cluster"));
	assert_non_null(strstr(line(4), "+   The controller is running"));
	assert_non_null(strstr(line(5), "!   IRSA role annotation"));
	assert_non_null(strstr(line(6), "x v network"));
	assert_non_null(strstr(line(7), "x   Cluster security group admits"));
	assert_non_null(strstr(line(10), ".   TLS certificate"));
	/* the first failing check is selected until the user moves */
	assert_true(screen_has("network.sg-prefix-list"));
	assert_true(screen_has("evidence: sg-0abc has no inbound rule"));
	keys(&a, "gjj");
	frame(&a);
	assert_true(screen_has("evidence: role has extra policies"));
	keys(&a, "jj");
	frame(&a);
	assert_true(screen_has("network.sg-prefix-list"));
	assert_true(screen_has("evidence: sg-0abc has no inbound rule"));
	assert_true(screen_has("fix: aws ec2 authorize-security-group-ingress"));
	app_close(&a, &m);
}

/* Help lists the new views and keys; every view fits 80x24 with the
 * key bar on the last line. */
static void
test_help_and_fit(void **state)
{
	static const char *const cmds[] = {
		":rt\r", ":tg\r", ":drift\r", ":install\r", ":wl\r", ":doctor\r",
		":gw\r", ":ev\r", ":ctx\r", NULL
	};
	struct ui_model	 m;
	struct ui_app	 a;
	struct ui_opts	 o;
	size_t		 i;

	(void)state;
	opts(&o, NULL, 0);
	app_open(&m, &a, &o, 0, 1);
	ui_app_key(&a, '?');
	frame(&a);
	assert_true(screen_has(":install"));
	assert_true(screen_has(":drift"));
	keys(&a, "jjjjjjjjjjjjjjjjjjjj");
	frame(&a);
	assert_true(screen_has("INSTALLER"));
	ui_app_key(&a, 27);
	for (i = 0; cmds[i] != NULL; i++) {
		keys(&a, cmds[i]);
		frame(&a);
		assert_non_null(strstr(line(LINES - 1), "<"));
		assert_non_null(strstr(line(0), "latticectl"));
		assert_non_null(strchr(line(LINES - 3), 'j'));	/* bottom border */
	}
	app_close(&a, &m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dashboard_detail),
		cmocka_unit_test(test_tg_and_drift),
		cmocka_unit_test(test_drift_route),
		cmocka_unit_test(test_detail_scroll),
		cmocka_unit_test(test_install_keys),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_route_delete),
		cmocka_unit_test(test_doctor_view),
		cmocka_unit_test(test_help_and_fit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
