/* Tests for the event recorder (kube_recorder_*): events.k8s.io/v1 fields,
 * series deduplication within the window (fake clock), the core v1
 * fallback, note truncation. Against the simulated API server. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kevents.h"
#include "latticectl/xmalloc.h"
#include "ksim_fixture.h"

static const char route[] =
    "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"HTTPRoute\","
    "\"metadata\":{\"name\":\"inventory\",\"namespace\":\"apps\",\"uid\":"
    "\"6b1f4a8e-0000-4000-8000-000000000001\",\"resourceVersion\":\"42\"}}";

/* The fake wall clock. */
static struct timespec
fake_now(void *arg)
{
	return *(struct timespec *)arg;
}

/* A recorder on kc with the fake clock. */
static struct kube_recorder *
recorder(struct kube_client *kc, struct timespec *clock)
{
	struct kube_recorder_opts	o;

	memset(&o, 0, sizeof o);
	o.instance = "test-instance";
	o.now = fake_now;
	o.now_arg = clock;
	return kube_recorder_new(kc, &o);
}

/* The items of a list at path (caller frees the list). */
static cJSON *
list(struct ksim *x, const char *path, int *n)
{
	cJSON	*l = NULL;

	assert_int_equal(ksim_req(x, "GET", path, NULL, &l), 200);
	*n = cJSON_GetArraySize(cJSON_GetObjectItem(l, "items"));
	return l;
}

/* Create the namespace apps. */
static void
make_ns(struct ksim *x)
{
	assert_int_equal(ksim_req(x, "POST", "/api/v1/namespaces",
	    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
	    "{\"name\":\"apps\"}}", NULL), 201);
}

/* An events.k8s.io Event with every required field; a repeat within the
 * window becomes a series; past the window or with another note, a new
 * Event. */
static void
test_events_series(void **state)
{
	struct ksim			 x;
	struct kube_client		*kc;
	struct kube_recorder		*r;
	struct kube_recorder_stats	 st;
	struct kube_error		 e;
	struct timespec			 clock = { 1700000000, 123456000 };
	cJSON				*reg, *l, *ev;
	int				 n;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	make_ns(&x);
	kc = ksim_client(&x);
	r = recorder(kc, &clock);
	reg = cJSON_Parse(route);
	assert_int_equal(kube_recorder_event(r, reg, "Warning",
	    "FailedDeploy", "Reconcile", "service network not found", &e), 0);
	l = list(&x, "/apis/events.k8s.io/v1/namespaces/apps/events", &n);
	assert_int_equal(n, 1);
	ev = cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), 0);
	assert_string_equal(json_str(ev, "reportingController"),
	    "application-networking.k8s.aws/gateway-api-controller");
	assert_string_equal(json_str(ev, "reportingInstance"), "test-instance");
	assert_string_equal(json_str(ev, "action"), "Reconcile");
	assert_string_equal(json_str(ev, "reason"), "FailedDeploy");
	assert_string_equal(json_str(ev, "note"), "service network not found");
	assert_string_equal(json_str(ev, "type"), "Warning");
	assert_string_equal(json_str(ev, "eventTime"),
	    "2023-11-14T22:13:20.123456Z");
	assert_string_equal(json_path_str(ev, "regarding.kind"), "HTTPRoute");
	assert_string_equal(json_path_str(ev, "regarding.uid"),
	    "6b1f4a8e-0000-4000-8000-000000000001");
	assert_int_equal(strncmp(json_path_str(ev, "metadata.name"),
	    "inventory.", 10), 0);
	cJSON_Delete(l);
	clock.tv_sec += 300;
	assert_int_equal(kube_recorder_event(r, reg, "Warning",
	    "FailedDeploy", "Reconcile", "service network not found", &e), 0);
	clock.tv_sec += 300;		/* within 6 min of the last one */
	assert_int_equal(kube_recorder_event(r, reg, "Warning",
	    "FailedDeploy", "Reconcile", "service network not found", &e), 0);
	l = list(&x, "/apis/events.k8s.io/v1/namespaces/apps/events", &n);
	assert_int_equal(n, 1);
	ev = cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), 0);
	assert_int_equal((int)json_num(json_path(ev, "series"), "count", 0), 3);
	assert_string_equal(json_path_str(ev, "series.lastObservedTime"),
	    "2023-11-14T22:23:20.123456Z");
	cJSON_Delete(l);
	assert_int_equal(kube_recorder_event(r, reg, "Warning",
	    "FailedDeploy", "Reconcile", "another note", &e), 0);
	clock.tv_sec += 361;
	assert_int_equal(kube_recorder_event(r, reg, "Warning",
	    "FailedDeploy", "Reconcile", "service network not found", &e), 0);
	l = list(&x, "/apis/events.k8s.io/v1/namespaces/apps/events", &n);
	assert_int_equal(n, 3);
	cJSON_Delete(l);
	kube_recorder_stats(r, &st);
	assert_int_equal(st.created, 3);
	assert_int_equal(st.series, 2);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.core, 0);
	cJSON_Delete(reg);
	kube_error_clear(&e);
	kube_recorder_free(r);
	kube_client_free(kc);
	ksim_stop(&x);
}

/* Without events.k8s.io: core v1 Events with count and lastTimestamp. */
static void
test_core_fallback(void **state)
{
	struct ksim			 x;
	struct kube_client		*kc;
	struct kube_recorder		*r;
	struct kube_recorder_stats	 st;
	struct kube_error		 e;
	struct timespec			 clock = { 1700000000, 0 };
	cJSON				*reg, *l, *ev;
	int				 n;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	make_ns(&x);
	atomic_store(&x.no_events_group, 1);
	kc = ksim_client(&x);
	r = recorder(kc, &clock);
	reg = cJSON_Parse(route);
	assert_int_equal(kube_recorder_event(r, reg, "Normal", "Deployed",
	    "Reconcile", "ok", &e), 0);
	clock.tv_sec += 10;
	assert_int_equal(kube_recorder_event(r, reg, "Normal", "Deployed",
	    "Reconcile", "ok", &e), 0);
	l = list(&x, "/api/v1/namespaces/apps/events", &n);
	assert_int_equal(n, 1);
	ev = cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), 0);
	assert_string_equal(json_path_str(ev, "involvedObject.name"),
	    "inventory");
	assert_string_equal(json_str(ev, "message"), "ok");
	assert_string_equal(json_path_str(ev, "source.component"),
	    "application-networking.k8s.aws/gateway-api-controller");
	assert_int_equal((int)json_num(ev, "count", 0), 2);
	assert_string_equal(json_str(ev, "lastTimestamp"),
	    "2023-11-14T22:13:30Z");
	assert_string_equal(json_str(ev, "firstTimestamp"),
	    "2023-11-14T22:13:20Z");
	cJSON_Delete(l);
	kube_recorder_stats(r, &st);
	assert_int_equal(st.core, 1);
	assert_int_equal(st.created, 1);
	assert_int_equal(st.series, 1);
	cJSON_Delete(reg);
	kube_error_clear(&e);
	kube_recorder_free(r);
	kube_client_free(kc);
	ksim_stop(&x);
}

/* Notes are cut to 1 KiB on a UTF-8 boundary; cluster-scoped objects
 * report into "default"; a namespace 404 is an error, not a fallback. */
static void
test_note_and_namespace(void **state)
{
	struct ksim			 x;
	struct kube_client		*kc;
	struct kube_recorder		*r;
	struct kube_recorder_stats	 st;
	struct kube_error		 e;
	struct timespec			 clock = { 1700000000, 0 };
	cJSON				*reg, *l, *ev;
	char				 note[2000];
	int				 n;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	r = recorder(kc, &clock);
	memset(note, 'a', 1023);
	strcpy(note + 1023, "\xc3\xa9 and more");	/* é across 1024 */
	reg = cJSON_Parse("{\"apiVersion\":\"gateway.networking.k8s.io/v1\","
	    "\"kind\":\"GatewayClass\",\"metadata\":{\"name\":"
	    "\"amazon-vpc-lattice\"}}");
	assert_int_equal(kube_recorder_event(r, reg, "Normal", "Accepted",
	    "Reconcile", note, &e), 0);
	l = list(&x, "/apis/events.k8s.io/v1/namespaces/default/events", &n);
	assert_int_equal(n, 1);
	ev = cJSON_GetArrayItem(cJSON_GetObjectItem(l, "items"), 0);
	assert_int_equal(strlen(json_str(ev, "note")), 1023);
	cJSON_Delete(l);
	cJSON_Delete(reg);
	reg = cJSON_Parse(route);	/* namespace apps does not exist */
	assert_int_equal(kube_recorder_event(r, reg, "Normal", "Deployed",
	    "Reconcile", "x", &e), -1);
	assert_true(kube_error_is_not_found(&e));
	kube_recorder_stats(r, &st);
	assert_int_equal(st.core, 0);
	assert_int_equal(st.errors, 1);
	cJSON_Delete(reg);
	kube_error_clear(&e);
	kube_recorder_free(r);
	kube_client_free(kc);
	ksim_stop(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_series),
		cmocka_unit_test(test_core_fallback),
		cmocka_unit_test(test_note_and_namespace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
