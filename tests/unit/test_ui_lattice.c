/* ui pure functions: the Lattice chain below a route (drift, unhealthy
 * targets, health counts), the :tg rows, the route detail lines, the
 * doctor rows, the installer rows, row keys back to items, the drift
 * lines, the config file and freeing a full snapshot. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "latticectl/ui.h"
#include "latticectl/xmalloc.h"
#include "../../ui/ui_int.h"
#include "test_ui_fixture.h"

/* A route row from the fixture object, with the chain and plan. */
static struct ui_item *
route_with_chain(struct ui_list *l, const char *plan_json)
{
	cJSON		*route = cJSON_Parse(ui_fx_route);
	cJSON		*entry = cJSON_Parse(ui_fx_entry);
	cJSON		*plan = plan_json != NULL ? cJSON_Parse(plan_json) : NULL;
	struct ui_item	*it;

	memset(l, 0, sizeof *l);
	ui_list_set_columns(l, ui_route_columns);
	it = ui_route_item(l, route);
	ui_route_chain(it, entry, plan);
	cJSON_Delete(route);
	cJSON_Delete(entry);
	cJSON_Delete(plan);
	return it;
}

/* Free a list built here. */
static void
list_free(struct ui_list *l)
{
	struct ui_snapshot	*s = ui_snapshot_new();

	s->lists[0] = *l;
	ui_snapshot_free(s);
}

/* The chain: service (DNS), association, listener, rules, TGs, targets;
 * a drifting rule and an unhealthy target mark their rows; counts. */
static void
test_route_chain(void **state)
{
	struct ui_list		 l;
	struct ui_item		*it;
	const struct ui_item	*svc, *lsn, *r1, *r2, *tg1, *tg2;

	(void)state;
	it = route_with_chain(&l, ui_fx_plan);
	assert_int_equal(it->nchildren, 1);
	svc = &it->children[0];
	assert_string_equal(svc->kind, "Service");
	assert_string_equal(svc->name, "rates-default");
	assert_string_equal(svc->cells[1], "ACTIVE");
	assert_non_null(strstr(svc->cells[2], "vpc-lattice-svcs"));
	assert_int_equal(svc->nchildren, 2);
	assert_string_equal(svc->children[0].name, "sn my-hotel");
	assert_int_equal(svc->children[0].state, UI_STATE_OK);
	lsn = &svc->children[1];
	assert_string_equal(lsn->kind, "Listener");
	assert_string_equal(lsn->name, "HTTP:80");
	assert_string_equal(lsn->cells[2], "rates-default-80-http");
	assert_int_equal(lsn->nchildren, 2);
	r1 = &lsn->children[0];
	r2 = &lsn->children[1];
	assert_string_equal(r1->name, "#1 prefix:/parking");
	assert_string_equal(r2->name, "#2 prefix:/review");
	/* rule 1 is named by the plan; its TG has an unhealthy target */
	assert_int_equal(r1->state, UI_STATE_ERROR);
	assert_int_equal(r1->drift, 1);
	assert_int_equal(r2->drift, 0);
	assert_int_equal(it->drift, 1);
	tg1 = &r1->children[0];
	assert_string_equal(tg1->name, "k8s-default-parking-8090-http-abc");
	assert_string_equal(tg1->cells[3], "1/2");
	assert_non_null(strstr(tg1->cells[2], "HTTP:8090"));
	assert_non_null(strstr(tg1->cells[2], "hc HTTP /"));
	assert_int_equal(tg1->state, UI_STATE_ERROR);
	assert_int_equal(tg1->nchildren, 2);
	assert_string_equal(tg1->children[0].name, "10.0.1.10:8090");
	assert_int_equal(tg1->children[0].state, UI_STATE_OK);
	assert_string_equal(tg1->children[1].cells[1], "UNHEALTHY");
	assert_string_equal(tg1->children[1].cells[2], "HealthCheckFailed");
	assert_int_equal(tg1->children[1].state, UI_STATE_ERROR);
	assert_non_null(strstr(tg1->children[1].message, "10.0.2.11:8090"));
	/* rule 2 is healthy and not in the plan */
	assert_int_equal(r2->state, UI_STATE_OK);
	tg2 = &r2->children[0];
	assert_string_equal(tg2->cells[3], "2/2");
	assert_non_null(strstr(tg2->cells[2], "hc off"));
	/* the route: error (unhealthy beats drift), counts, why */
	assert_int_equal(it->state, UI_STATE_ERROR);
	assert_string_equal(it->cells[3], "3/4");
	assert_non_null(strstr(it->message, "1 of 4 targets unhealthy"));
	assert_non_null(strstr(it->message, "HealthCheckFailed"));
	list_free(&l);
}

/* Drift alone: route and the named rule drift, message from the plan;
 * an empty plan is in sync. */
static void
test_route_chain_drift(void **state)
{
	struct ui_list	 l;
	struct ui_item	*it;
	cJSON		*entry = cJSON_Parse(ui_fx_entry), *t;
	char		*txt;

	(void)state;
	/* make every target healthy */
	t = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(entry, "listeners"), 0),
	    "rules"), 0), "targetGroups"), 0), "targets"), 1);
	cJSON_ReplaceItemInObject(t, "status", cJSON_CreateString("HEALTHY"));
	txt = cJSON_PrintUnformatted(entry);
	memset(&l, 0, sizeof l);
	it = ui_list_add(&l, "HTTPRoute", "default", "rates");
	it->state = UI_STATE_OK;
	{
		cJSON *e = cJSON_Parse(txt), *p = cJSON_Parse(ui_fx_plan);

		ui_route_chain(it, e, p);
		cJSON_Delete(e);
		cJSON_Delete(p);
	}
	assert_int_equal(it->state, UI_STATE_DRIFT);
	assert_string_equal(it->cells[3], "4/4");
	assert_non_null(strstr(it->message, "drift: 1 change(s): update-rule"));
	assert_int_equal(it->children[0].children[1].children[0].state,
	    UI_STATE_DRIFT);
	assert_int_equal(it->children[0].children[1].children[1].state,
	    UI_STATE_OK);
	it = ui_list_add(&l, "HTTPRoute", "default", "rates2");
	it->state = UI_STATE_OK;
	{
		cJSON *e = cJSON_Parse(txt), *p = cJSON_Parse(ui_fx_plan_empty);

		ui_route_chain(it, e, p);
		cJSON_Delete(e);
		cJSON_Delete(p);
	}
	assert_int_equal(it->state, UI_STATE_OK);
	assert_null(it->message);
	/* a route without a service: no children, the map's reason */
	it = ui_list_add(&l, "HTTPRoute", "default", "orphan");
	{
		cJSON *e = cJSON_Parse("{\"name\":\"orphan\",\"accepted\":false,"
		    "\"reason\":\"parent gateway not found\"}");

		ui_route_chain(it, e, NULL);
		cJSON_Delete(e);
	}
	assert_int_equal(it->nchildren, 0);
	assert_string_equal(it->message, "parent gateway not found");
	assert_string_equal(it->cells[3], "-");
	free(txt);
	cJSON_Delete(entry);
	list_free(&l);
}

/* :tg rows: one per distinct target group, protocol, check, counts. */
static void
test_tg_items(void **state)
{
	struct ui_list	 l;
	cJSON		*entry = cJSON_Parse(ui_fx_entry);

	(void)state;
	memset(&l, 0, sizeof l);
	ui_list_set_columns(&l, ui_tg_columns);
	assert_int_equal(l.ncolumns, 5);
	ui_tg_items(&l, entry);
	ui_tg_items(&l, NULL);
	assert_int_equal(l.nitems, 2);
	assert_string_equal(l.items[0].name,
	    "k8s-default-parking-8090-http-abc");
	assert_string_equal(l.items[0].ns, "default");
	assert_string_equal(l.items[0].cells[0], "rates");
	assert_string_equal(l.items[0].cells[1], "HTTP:8090");
	assert_string_equal(l.items[0].cells[2], "HTTP /");
	assert_string_equal(l.items[0].cells[3], "1/2");
	assert_string_equal(l.items[0].cells[4], "ACTIVE");
	assert_int_equal(l.items[0].state, UI_STATE_ERROR);
	assert_string_equal(l.items[1].cells[2], "off");
	assert_int_equal(l.items[1].state, UI_STATE_OK);
	cJSON_Delete(entry);
	/* targets that report no health yet: "?/n" */
	entry = cJSON_Parse("{\"name\":\"r\",\"listeners\":[{\"rules\":[{"
	    "\"targetGroups\":[{\"name\":\"tg-new\",\"targets\":[{\"ip\":"
	    "\"10.0.0.1\",\"port\":80},{\"ip\":\"10.0.0.2\",\"port\":80}]}]}]}]}");
	ui_tg_items(&l, entry);
	assert_int_equal(l.nitems, 3);
	assert_string_equal(l.items[2].cells[3], "?/2");
	cJSON_Delete(entry);
	list_free(&l);
}

/* Whether any line of d contains s. */
static int
detail_has(const struct ui_detail *d, const char *s)
{
	size_t	i;

	for (i = 0; i < d->nlines; i++) {
		if (strstr(d->lines[i], s) != NULL)
			return 1;
	}
	return 0;
}

/* The detail: both sides, events and the plan; "in sync" without one. */
static void
test_route_detail(void **state)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	cJSON			*route = cJSON_Parse(ui_fx_route);
	cJSON			*entry = cJSON_Parse(ui_fx_entry);
	cJSON			*plan = cJSON_Parse(ui_fx_plan);
	cJSON			*ev = cJSON_Parse(ui_fx_events);
	struct ui_detail	*d;

	(void)state;
	s->details = calloc(2, sizeof *s->details);
	s->ndetails = 2;
	d = &s->details[0];
	ui_route_detail(d, route, entry, plan, ev);
	assert_string_equal(d->key, "HTTPRoute/default/rates");
	assert_string_equal(d->lines[0], "HTTPRoute/default/rates");
	assert_true(detail_has(d, "KUBERNETES"));
	assert_true(detail_has(d, "  parent my-hotel section http"));
	assert_true(detail_has(d, "    Accepted=True Accepted"));
	assert_true(detail_has(d, "annotation application-networking"));
	assert_true(detail_has(d, "rule 2 backend Service/review:8090"));
	assert_true(detail_has(d, "  service rates-default ACTIVE"));
	assert_true(detail_has(d, "service network my-hotel: ACTIVE"));
	assert_true(detail_has(d, "listener rates-default-80-http HTTP:80"));
	assert_true(detail_has(d, "rule 1 prefix:/parking"));
	assert_true(detail_has(d, "target 10.0.2.11:8090 UNHEALTHY "
	    "HealthCheckFailed"));
	assert_true(detail_has(d, "Normal DeploymentSucceeded"));
	assert_true(detail_has(d, "update-rule rule 1 (prefix:/parking) on "
	    "rates-default-80-http: match path"));
	assert_false(detail_has(d, "in sync"));
	ui_route_detail(&s->details[1], NULL, entry, NULL, NULL);
	assert_string_equal(s->details[1].key, "HTTPRoute/default/rates");
	assert_true(detail_has(&s->details[1], "(object not loaded)"));
	assert_true(detail_has(&s->details[1], "(none)"));
	assert_true(detail_has(&s->details[1], "in sync"));
	assert_ptr_equal(ui_snap_detail(s, "HTTPRoute/default/rates"), d);
	assert_null(ui_snap_detail(s, "HTTPRoute/default/nope"));
	cJSON_Delete(route);
	cJSON_Delete(entry);
	cJSON_Delete(plan);
	cJSON_Delete(ev);
	ui_snapshot_free(s);
}

/* Row keys lead back to items and their route; drift lines. */
static void
test_row_item_and_drift(void **state)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	struct ui_list		*l = &s->lists[UI_LIST_ROUTES];
	struct ui_item		*it;
	const struct ui_item	*found;
	char			*rk, **lines;
	size_t			 n, i;

	(void)state;
	it = route_with_chain(l, ui_fx_plan);
	(void)it;
	found = ui_row_item(l, "/HTTPRoute/default/rates/Service//"
	    "rates-default/Listener//HTTP:80/Rule//#1 prefix:/parking", &rk);
	assert_non_null(found);
	assert_string_equal(found->kind, "Rule");
	assert_string_equal(rk, "HTTPRoute/default/rates");
	free(rk);
	assert_null(ui_row_item(l, "/HTTPRoute/default/nope", &rk));
	assert_null(rk);
	lines = ui_drift_lines(s, &n);
	assert_int_equal(n, 2);
	assert_string_equal(lines[0], "HTTPRoute/default/rates");
	assert_non_null(strstr(lines[1], "1 of 4 targets unhealthy"));
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	/* with details, the drift view shows the plan lines */
	s->details = calloc(1, sizeof *s->details);
	s->ndetails = 1;
	{
		cJSON *e = cJSON_Parse(ui_fx_entry), *p = cJSON_Parse(ui_fx_plan);

		ui_route_detail(&s->details[0], NULL, e, p, NULL);
		cJSON_Delete(e);
		cJSON_Delete(p);
	}
	lines = ui_drift_lines(s, &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(lines[1], "update-rule"));
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	ui_snapshot_free(s);
}

/* Doctor rows: groups in first-seen order with worst state and counts;
 * checks below with OK/WARN/FAIL/SKIP states; keys find checks. */
static void
test_doctor_rows(void **state)
{
	struct ui_table	 t;
	cJSON		*rep = cJSON_Parse(ui_fx_doctor);
	const cJSON	*c;

	(void)state;
	memset(&t, 0, sizeof t);
	ui_doctor_rows(&t, rep);
	assert_int_equal(t.nrows, 8);
	assert_string_equal(t.rows[0].key, "cluster");
	assert_int_equal(t.rows[0].state, UI_STATE_DRIFT);
	assert_string_equal(t.rows[0].cells[1], "1 of 2");
	assert_string_equal(t.rows[1].key, "cluster/cluster.controller");
	assert_int_equal(t.rows[1].state, UI_STATE_OK);
	assert_int_equal(t.rows[2].state, UI_STATE_DRIFT);
	assert_string_equal(t.rows[3].key, "network");
	assert_int_equal(t.rows[3].state, UI_STATE_ERROR);
	assert_string_equal(t.rows[4].cells[1], "FAIL");
	assert_string_equal(t.rows[5].key, "route");
	assert_string_equal(t.rows[5].cells[1], "2");
	assert_int_equal(t.rows[7].state, UI_STATE_NONE);
	c = ui_doctor_check(rep, "network/network.sg-prefix-list");
	assert_non_null(c);
	assert_string_equal(cJSON_GetObjectItem(c, "status")->valuestring,
	    "FAIL");
	assert_null(ui_doctor_check(rep, "network"));
	assert_null(ui_doctor_check(rep, "route/network.sg-prefix-list"));
	assert_int_equal(ui_doctor_state("SKIP"), UI_STATE_NONE);
	ui_doctor_rows(&t, NULL);
	assert_int_equal(t.nrows, 0);
	ui_table_free(&t);
	cJSON_Delete(rep);
}

/* Installer rows: title, state word, elapsed, reason. */
static void
test_install_rows(void **state)
{
	struct ui_install	in;
	struct ui_step		st[3];
	struct ui_table		t;

	(void)state;
	memset(&in, 0, sizeof in);
	memset(st, 0, sizeof st);
	memset(&t, 0, sizeof t);
	st[0].id = "cluster"; st[0].title = "EKS cluster";
	st[0].state = UI_STATE_OK; st[0].elapsed_ms = 12400;
	st[1].id = "security-group"; st[1].title = "Security group";
	st[1].state = UI_STATE_ERROR; st[1].reason = "AccessDenied";
	st[1].elapsed_ms = 300;
	st[2].id = "iam-policy"; st[2].skipped = 1;
	in.present = 1;
	in.steps = st;
	in.nsteps = 3;
	ui_install_rows(&t, &in);
	assert_int_equal(t.nvis, 3);
	assert_string_equal(t.rows[0].cells[0], "EKS cluster");
	assert_string_equal(t.rows[0].cells[1], "ready");
	assert_string_equal(t.rows[0].cells[2], "12.4s");
	assert_string_equal(t.rows[1].cells[1], "failed");
	assert_string_equal(t.rows[1].cells[3], "AccessDenied");
	assert_int_equal(t.rows[1].state, UI_STATE_ERROR);
	assert_string_equal(t.rows[2].cells[0], "iam-policy");
	assert_string_equal(t.rows[2].cells[1], "skipped");
	assert_string_equal(t.rows[2].cells[2], "-");
	ui_table_free(&t);
}

/* The config file: theme and ascii; errors name the file and field;
 * found under $XDG_CONFIG_HOME; a missing file is fine. */
static void
test_config(void **state)
{
	struct ui_config	 c;
	char			*cause = NULL, dir[] = "/tmp/uicfgXXXXXX";
	char			*path, *sub;
	const char		*doc = "theme: light\nascii: true\nother: 1\n";
	FILE			*f;

	(void)state;
	assert_int_equal(ui_config_parse(doc, strlen(doc), "c.yaml", &c,
	    &cause), 0);
	assert_string_equal(c.theme, "light");
	assert_int_equal(c.ascii, 1);
	ui_config_free(&c);
	doc = "theme: [1]\n";
	assert_int_equal(ui_config_parse(doc, strlen(doc), "c.yaml", &c,
	    &cause), -1);
	assert_non_null(strstr(cause, "c.yaml: theme:"));
	assert_null(c.theme);
	free(cause);
	cause = NULL;
	doc = "ascii: maybe\n";
	assert_int_equal(ui_config_parse(doc, strlen(doc), "c.yaml", &c,
	    &cause), -1);
	assert_non_null(strstr(cause, "c.yaml: ascii: expected true or false"));
	free(cause);
	cause = NULL;
	doc = "theme: [\n";
	assert_int_equal(ui_config_parse(doc, strlen(doc), "c.yaml", &c,
	    &cause), -1);
	assert_non_null(strstr(cause, "c.yaml"));
	free(cause);
	cause = NULL;
	assert_int_equal(ui_config_parse("", 0, "c.yaml", &c, &cause), 0);
	assert_null(c.theme);
	/* found through XDG_CONFIG_HOME */
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(ui_config_load(NULL, &c, &cause), 0);
	assert_null(c.theme);
	path = ui_config_path();
	xasprintf(&sub, "%s/latticectl", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	f = fopen(path, "w");
	fputs("theme: mono\n", f);
	fclose(f);
	assert_int_equal(ui_config_load(NULL, &c, &cause), 0);
	assert_string_equal(c.theme, "mono");
	ui_config_free(&c);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");
	free(path);
	free(sub);
}

/* A snapshot with every new field set frees cleanly (valgrind). */
static void
test_snapshot_free_all(void **state)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	struct ui_list		 l;
	cJSON			*e = cJSON_Parse(ui_fx_entry);

	(void)state;
	route_with_chain(&l, ui_fx_plan);
	s->lists[UI_LIST_ROUTES] = l;
	ui_list_set_columns(&s->lists[UI_LIST_TARGETGROUPS], ui_tg_columns);
	ui_tg_items(&s->lists[UI_LIST_TARGETGROUPS], e);
	s->readonly = 1;
	s->readonly_why = xstrdup("GatewayClass owned by another controller");
	s->install.present = 1;
	s->install.summary = xstrdup("1/2 ready");
	s->install.steps = xcalloc(2, sizeof *s->install.steps);
	s->install.nsteps = 2;
	s->install.steps[0].id = xstrdup("cluster");
	s->install.steps[0].title = xstrdup("EKS cluster");
	s->install.steps[0].reason = xstrdup("Ready");
	s->install.steps[0].message = xstrdup("c1 ACTIVE");
	s->install.steps[0].command = xstrdup("eksctl create cluster");
	s->install.steps[0].log = xcalloc(2, sizeof(char *));
	s->install.steps[0].log[0] = xstrdup("one");
	s->install.steps[0].log[1] = xstrdup("two");
	s->install.steps[0].nlog = 2;
	s->install.steps[1].id = xstrdup("security-group");
	s->workloads = xcalloc(1, sizeof *s->workloads);
	s->nworkloads = 1;
	s->workloads[0].id = xstrdup("parking");
	s->workloads[0].title = xstrdup("parking service");
	s->details = xcalloc(1, sizeof *s->details);
	s->ndetails = 1;
	ui_route_detail(&s->details[0], NULL, e, NULL, NULL);
	s->doctor = cJSON_Parse(ui_fx_doctor);
	ui_snapshot_free(s);
	cJSON_Delete(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_chain),
		cmocka_unit_test(test_route_chain_drift),
		cmocka_unit_test(test_tg_items),
		cmocka_unit_test(test_route_detail),
		cmocka_unit_test(test_row_item_and_drift),
		cmocka_unit_test(test_doctor_rows),
		cmocka_unit_test(test_install_rows),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_snapshot_free_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
