/* ui snapshot model (publish, references, wake pipe), the log ring and
 * Kubernetes objects to rows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/ui.h"

/* Publishing swaps the snapshot, bumps the version and wakes the UI;
 * a held snapshot stays valid after a newer one replaces it. */
static void
test_publish(void **state)
{
	struct ui_model		 m;
	struct ui_snapshot	*s, *held;
	struct pollfd		 p;

	(void)state;
	ui_model_init(&m, 4);
	held = ui_model_acquire(&m);
	assert_int_equal(held->conn, UI_CONN_CONNECTING);
	s = ui_snapshot_new();
	s->context = strdup("lab");
	ui_list_add(&s->lists[UI_LIST_ROUTES], "HTTPRoute", "default", "rates");
	ui_model_publish(&m, s);
	p.fd = m.wake[0];
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 0), 1);
	ui_model_drain(&m);
	assert_int_equal(poll(&p, 1, 0), 0);
	ui_snapshot_release(&m, held);
	held = ui_model_acquire(&m);
	assert_int_equal(held->version, 1);
	ui_model_publish(&m, ui_snapshot_new());
	assert_string_equal(held->lists[UI_LIST_ROUTES].items[0].name, "rates");
	ui_snapshot_release(&m, held);
	held = ui_model_acquire(&m);
	assert_int_equal(held->version, 2);
	ui_snapshot_release(&m, held);
	ui_model_destroy(&m);
}

/* The ring keeps the newest cap lines. */
static void
test_ring(void **state)
{
	struct ui_ring	 r;
	char		*out[4], line[8];
	size_t		 n, i;

	(void)state;
	ui_ring_init(&r, 3);
	for (i = 0; i < 5; i++) {
		snprintf(line, sizeof line, "l%zu", i);
		ui_ring_push(&r, line);
	}
	assert_int_equal(ui_ring_len(&r), 3);
	n = ui_ring_copy(&r, 0, 4, out);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "l2");
	assert_string_equal(out[2], "l4");
	for (i = 0; i < n; i++)
		free(out[i]);
	assert_int_equal(r.total, 5);
	ui_ring_destroy(&r);
}

static const char *route_json =
	"{\"kind\":\"HTTPRoute\",\"metadata\":{\"name\":\"rates\","
	"\"namespace\":\"default\",\"creationTimestamp\":"
	"\"2024-01-01T00:00:00Z\",\"annotations\":{\"application-networking."
	"k8s.aws/lattice-assigned-domain-name\":\"rates-default-0a.7d67968."
	"vpc-lattice-svcs.us-west-2.on.aws\"}},\"spec\":{\"parentRefs\":"
	"[{\"name\":\"my-hotel\",\"sectionName\":\"http\"}]},\"status\":"
	"{\"parents\":[{\"conditions\":[{\"type\":\"Accepted\",\"status\":"
	"\"True\"},{\"type\":\"ResolvedRefs\",\"status\":\"False\","
	"\"reason\":\"BackendNotFound\",\"message\":\"service parking not "
	"found\"}]}]}}";

/* A route becomes a row with parents, conditions, DNS name and state. */
static void
test_route_item(void **state)
{
	struct ui_list	 l;
	struct ui_item	*it;
	cJSON		*obj = cJSON_Parse(route_json);

	(void)state;
	memset(&l, 0, sizeof l);
	it = ui_route_item(&l, obj);
	assert_string_equal(it->name, "rates");
	assert_string_equal(it->ns, "default");
	assert_string_equal(it->cells[0], "my-hotel");
	assert_string_equal(it->cells[1], "Unresolved");
	assert_non_null(strstr(it->cells[2], "vpc-lattice-svcs"));
	assert_string_equal(it->cells[3], "-");
	assert_int_equal(it->state, UI_STATE_ERROR);
	assert_non_null(strstr(it->message, "BackendNotFound"));
	assert_int_equal(it->created, 1704067200);
	cJSON_Delete(obj);
	obj = cJSON_Parse("{\"metadata\":{\"name\":\"x\"}}");
	it = ui_route_item(&l, obj);
	assert_int_equal(it->state, UI_STATE_PROGRESSING);
	assert_string_equal(it->cells[1], "-");
	assert_string_equal(it->cells[2], "-");
	cJSON_Delete(obj);
	ui_item_add_child(it, "LatticeService", "", "svc");
	assert_int_equal(l.items[1].nchildren, 1);
	{
		struct ui_snapshot	*s = ui_snapshot_new();

		s->lists[0] = l;
		ui_snapshot_free(s);
	}
}

/* Conditions: all True in sync, any False error, unknown progressing. */
static void
test_conditions(void **state)
{
	cJSON	*c;
	char	*why;

	(void)state;
	c = cJSON_Parse("[{\"type\":\"Accepted\",\"status\":\"True\"},"
	    "{\"type\":\"Programmed\",\"status\":\"True\"}]");
	assert_int_equal(ui_state_from_conditions(c, &why), UI_STATE_OK);
	assert_null(why);
	cJSON_Delete(c);
	c = cJSON_Parse("[{\"type\":\"Accepted\",\"status\":\"Unknown\"}]");
	assert_int_equal(ui_state_from_conditions(c, &why),
	    UI_STATE_PROGRESSING);
	free(why);
	cJSON_Delete(c);
	assert_int_equal(ui_state_from_conditions(NULL, NULL),
	    UI_STATE_PROGRESSING);
}

/* Ages read like kubectl's. */
static void
test_age(void **state)
{
	char	b[16];

	(void)state;
	ui_age(59, b, sizeof b);
	assert_string_equal(b, "59s");
	ui_age(150, b, sizeof b);
	assert_string_equal(b, "2m30s");
	ui_age(3 * 3600 + 60, b, sizeof b);
	assert_string_equal(b, "3h1m");
	ui_age(3 * 86400, b, sizeof b);
	assert_string_equal(b, "3d");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_route_item),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
