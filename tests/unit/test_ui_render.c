/* ui rendering without a terminal: curses on /dev/null (newterm), the
 * widgets and whole frames drawn into stdscr and read back. */
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
#include "../../ui/ui_int.h"
#include "test_ui_fixture.h"

/* A model with two routes (one with a Lattice child) and a gateway. */
static void
model_fill(struct ui_model *m)
{
	struct ui_snapshot	*s = ui_snapshot_new();
	struct ui_item		*it;

	s->context = strdup("lab");
	s->conn = UI_CONN_LIVE;
	ui_list_set_columns(&s->lists[UI_LIST_ROUTES], ui_route_columns);
	ui_list_set_columns(&s->lists[UI_LIST_GATEWAYS], ui_gateway_columns);
	it = ui_list_add(&s->lists[UI_LIST_ROUTES], "HTTPRoute", "default",
	    "rates");
	ui_item_set_cell(it, 0, "my-hotel");
	it->state = UI_STATE_OK;
	ui_item_add_child(it, "Service", "", "rates-default");
	it = ui_list_add(&s->lists[UI_LIST_ROUTES], "HTTPRoute", "prod",
	    "inventory");
	it->state = UI_STATE_ERROR;
	it->message = strdup("BackendNotFound: no inventory-ver2");
	ui_list_add(&s->lists[UI_LIST_GATEWAYS], "Gateway", "default",
	    "my-hotel");
	ui_model_publish(m, s);
}

/* The routes view: header, title, rows with ASCII glyphs, tree child,
 * the selected row's reason, key hints. */
static void
test_routes_frame(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	memset(&o, 0, sizeof o);
	ui_model_init(&m, 8);
	model_fill(&m);
	ui_app_init(&a, &m, &o);
	frame(&a);
	assert_non_null(strstr(line(0), "ctx:lab"));
	assert_non_null(strstr(line(0), "live"));
	/* routes start folded */
	assert_non_null(strstr(line(1), "Routes(all)[2]"));
	assert_non_null(strstr(line(2), "NAME"));
	assert_non_null(strstr(line(2), "PARENTS"));
	assert_non_null(strstr(line(3), "+ > rates"));
	assert_non_null(strstr(line(4), "x inventory"));
	assert_false(screen_has("rates-default"));
	assert_non_null(strstr(line(LINES - 1), "<?> help"));
	ui_app_key(&a, 'G');
	frame(&a);
	assert_non_null(strstr(line(LINES - 2), "BackendNotFound"));
	ui_app_key(&a, 'g');
	ui_app_key(&a, ' ');
	frame(&a);
	assert_non_null(strstr(line(1), "Routes(all)[3]"));
	assert_non_null(strstr(line(3), "v rates"));
	assert_non_null(strstr(line(4), "rates-default"));
	ui_app_key(&a, 'h');
	frame(&a);
	assert_non_null(strstr(line(3), "> rates"));
	assert_false(screen_has("rates-default"));
	ui_app_free(&a);
	ui_model_destroy(&m);
}

/* `/` filters live, esc clears; `:gw`, `:ns`, `?`, esc, `:q`. */
static void
test_keys(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	memset(&o, 0, sizeof o);
	o.readonly = 1;
	ui_model_init(&m, 8);
	model_fill(&m);
	ui_app_init(&a, &m, &o);
	keys(&a, "/inv");
	frame(&a);
	assert_true(screen_has("inventory"));
	assert_false(screen_has("rates"));
	assert_non_null(strstr(line(LINES - 1), "/inv"));
	ui_app_key(&a, '\r');
	ui_app_key(&a, 27);
	frame(&a);
	assert_true(screen_has("rates"));
	assert_true(screen_has("READ-ONLY: --readonly"));
	keys(&a, ":gw\r");
	frame(&a);
	assert_non_null(strstr(line(1), "Gateways(all)[1]"));
	keys(&a, ":ns prod\r");
	frame(&a);
	assert_non_null(strstr(line(1), "Gateways(prod)[0]"));
	ui_app_key(&a, '?');
	frame(&a);
	assert_true(screen_has("KEYS"));
	ui_app_key(&a, 27);
	frame(&a);
	assert_true(screen_has("Gateways(prod)"));
	keys(&a, ":bogus\r");
	frame(&a);
	assert_true(screen_has("unknown command 'bogus'"));
	assert_int_equal(a.quit, 0);
	keys(&a, ":q\r");
	assert_int_equal(a.quit, 1);
	ui_app_free(&a);
	ui_model_destroy(&m);
}

/* Before the first snapshot: "connecting..." in the header and pane. */
static void
test_connecting_and_small(void **state)
{
	struct ui_model	m;
	struct ui_app	a;
	struct ui_opts	o;

	(void)state;
	memset(&o, 0, sizeof o);
	ui_model_init(&m, 8);
	ui_app_init(&a, &m, &o);
	frame(&a);
	assert_non_null(strstr(line(0), "connecting..."));
	assert_true(screen_has("connecting..."));
	resizeterm(5, 40);
	frame(&a);
	assert_non_null(strstr(line(0), "terminal too small"));
	resizeterm(24, 80);
	ui_ring_push(&m.log, "ERROR something broke");
	keys(&a, ":ev\r");
	frame(&a);
	assert_true(screen_has("Events (follow)"));
	assert_true(screen_has("ERROR something broke"));
	ui_app_free(&a);
	ui_model_destroy(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_frame),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_connecting_and_small),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
