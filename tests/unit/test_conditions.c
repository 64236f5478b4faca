/* Tests for the reconciler helpers (kutil.h): condition semantics on
 * trees, finalizers, optimistic updates with conflict retries, status
 * through /status and annotation patches against the simulated API. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/json.h"
#include "latticectl/kutil.h"
#include "latticectl/timeutil.h"
#include "latticectl/xmalloc.h"
#include "ksim_fixture.h"

#define SVC_PATH "/api/v1/namespaces/default/services/web"

/* A timespec at epoch seconds s. */
static struct timespec
at(time_t s)
{
	struct timespec	ts = { s, 0 };

	return ts;
}

/* A condition literal. */
static struct kube_condition
cond(const char *type, const char *status, const char *reason,
    const char *msg, int64_t gen)
{
	struct kube_condition	c = { type, status, reason, msg, gen };

	return c;
}

/* lastTransitionTime moves only when status changes; other fields are
 * replaced; an identical set changes nothing. */
static void
test_condition_semantics(void **state)
{
	cJSON			*list = cJSON_CreateArray(), *c;
	struct timespec		 t1 = at(1700000000), t2 = at(1700000100);
	struct kube_condition	 k;

	(void)state;
	k = cond("Accepted", "True", "Accepted", NULL, 1);
	assert_int_equal(kube_conditions_set(list, &k, &t1), 1);
	c = kube_conditions_find(list, "Accepted");
	assert_non_null(c);
	assert_string_equal(json_str(c, "lastTransitionTime"),
	    "2023-11-14T22:13:20Z");
	assert_string_equal(json_str(c, "message"), "");
	assert_int_equal((int)json_num(c, "observedGeneration", 0), 1);
	assert_int_equal(kube_conditions_set(list, &k, &t2), 0);
	k = cond("Accepted", "True", "Accepted", "fine", 2);
	assert_int_equal(kube_conditions_set(list, &k, &t2), 1);
	assert_string_equal(json_str(c, "lastTransitionTime"),
	    "2023-11-14T22:13:20Z");
	assert_string_equal(json_str(c, "message"), "fine");
	assert_int_equal((int)json_num(c, "observedGeneration", 0), 2);
	k = cond("Accepted", "False", "NoMatchingParent", "no gw", 2);
	assert_int_equal(kube_conditions_set(list, &k, &t2), 1);
	assert_string_equal(json_str(c, "lastTransitionTime"),
	    "2023-11-14T22:15:00Z");
	assert_string_equal(json_str(c, "reason"), "NoMatchingParent");
	assert_true(kube_conditions_is(list, "Accepted", "False"));
	assert_false(kube_conditions_is(list, "Accepted", "True"));
	assert_false(kube_conditions_is(list, "ResolvedRefs", "True"));
	k = cond("ResolvedRefs", "True", "ResolvedRefs", "", -1);
	assert_int_equal(kube_conditions_set(list, &k, &t1), 1);
	assert_int_equal(cJSON_GetArraySize(list), 2);
	assert_null(json_path(kube_conditions_find(list, "ResolvedRefs"),
	    "observedGeneration"));
	cJSON_Delete(list);
}

/* Object-level helpers: generation default, per-parent route status. */
static void
test_status_local(void **state)
{
	cJSON			*o, *pr, *pr2, *c1, *c2, *c3;
	struct timespec		 t = at(1700000000);
	struct kube_condition	 k[2];

	(void)state;
	o = cJSON_Parse("{\"metadata\":{\"name\":\"g\",\"generation\":7},"
	    "\"status\":\"junk\"}");
	k[0] = cond("Accepted", "True", "Accepted", "", -1);
	k[1] = cond("Programmed", "False", "Pending", "waiting", 3);
	assert_int_equal(kube_status_set_local(o, k, 2, &t), 1);
	assert_int_equal((int)json_num(kube_conditions_find(json_path(o,
	    "status.conditions"), "Accepted"), "observedGeneration", 0), 7);
	assert_int_equal((int)json_num(kube_conditions_find(json_path(o,
	    "status.conditions"), "Programmed"), "observedGeneration", 0), 3);
	assert_int_equal(kube_status_set_local(o, k, 2, &t), 0);
	pr = cJSON_Parse("{\"name\":\"gw\",\"sectionName\":\"http\"}");
	pr2 = cJSON_Parse("{\"name\":\"gw2\"}");
	c1 = kube_status_parent_conditions(o, pr, "ctl-a");
	c2 = kube_status_parent_conditions(o, pr, "ctl-a");
	c3 = kube_status_parent_conditions(o, pr, "ctl-b");
	assert_ptr_equal(c1, c2);
	assert_ptr_not_equal(c1, c3);
	(void)kube_status_parent_conditions(o, pr2, "ctl-a");
	assert_int_equal(cJSON_GetArraySize(json_path(o, "status.parents")), 3);
	assert_string_equal(json_path_str(cJSON_GetArrayItem(json_path(o,
	    "status.parents"), 0), "parentRef.sectionName"), "http");
	cJSON_Delete(pr);
	cJSON_Delete(pr2);
	cJSON_Delete(o);
}

/* Finalizers on trees. */
static void
test_finalizer_local(void **state)
{
	cJSON	*o = cJSON_Parse("{\"metadata\":{\"name\":\"x\"}}");

	(void)state;
	assert_false(kube_finalizer_has(o, "a/b"));
	assert_int_equal(kube_finalizer_add_local(o, "a/b"), 1);
	assert_int_equal(kube_finalizer_add_local(o, "a/b"), 0);
	assert_int_equal(kube_finalizer_add_local(o, "c/d"), 1);
	assert_true(kube_finalizer_has(o, "a/b"));
	assert_int_equal(kube_finalizer_remove_local(o, "a/b"), 1);
	assert_int_equal(kube_finalizer_remove_local(o, "a/b"), 0);
	assert_int_equal(cJSON_GetArraySize(json_path(o, "metadata.finalizers")),
	    1);
	cJSON_Delete(o);
}

/* Create the Service default/web in the simulator. */
static void
make_service(struct ksim *x)
{
	assert_int_equal(ksim_req(x, "POST", "/api/v1/namespaces/default/"
	    "services", "{\"apiVersion\":\"v1\",\"kind\":\"Service\","
	    "\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":"
	    "80}]}}", NULL), 201);
}

/* Finalizers on the server: add once, idempotent, refused while deleting,
 * removal of the last one lets the deletion finish. */
static void
test_finalizer_server(void **state)
{
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_error	 e;
	cJSON			*out = NULL;
	int			 puts;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	make_service(&x);
	assert_int_equal(kube_finalizer_add(kc, &KUBE_RES_SERVICES, "default",
	    "web", "service.k8s.aws/resources", &out, &e), 0);
	assert_true(kube_finalizer_has(out, "service.k8s.aws/resources"));
	cJSON_Delete(out);
	puts = atomic_load(&x.puts);
	assert_int_equal(kube_finalizer_add(kc, &KUBE_RES_SERVICES, "default",
	    "web", "service.k8s.aws/resources", NULL, &e), 0);
	assert_int_equal(atomic_load(&x.puts), puts);	/* nothing to write */
	assert_int_equal(ksim_req(&x, "DELETE", SVC_PATH, NULL, NULL), 202);
	assert_int_equal(kube_finalizer_add(kc, &KUBE_RES_SERVICES, "default",
	    "web", "other/f", NULL, &e), -1);
	assert_non_null(strstr(e.message, "being deleted"));
	assert_int_equal(kube_finalizer_remove(kc, &KUBE_RES_SERVICES,
	    "default", "web", "service.k8s.aws/resources", NULL, &e), 0);
	assert_int_equal(ksim_req(&x, "GET", SVC_PATH, NULL, NULL), 404);
	assert_int_equal(kube_finalizer_remove(kc, &KUBE_RES_SERVICES,
	    "default", "web", "service.k8s.aws/resources", NULL, &e), -1);
	assert_true(kube_error_is_not_found(&e));
	kube_error_clear(&e);
	kube_client_free(kc);
	ksim_stop(&x);
}

struct meddler {
	struct ksim	*x;
	int		 calls;
	int		 meddle;	/* rounds in which to cause a conflict */
};

/* Mutator that changes the object on the server behind our back first. */
static int
meddle_fn(void *arg, cJSON *obj, char **cause)
{
	struct meddler	*m = arg;
	char		 body[256];

	(void)cause;
	if (m->calls++ < m->meddle) {
		snprintf(body, sizeof body, "{\"metadata\":{\"labels\":"
		    "{\"meddled\":\"%d\"}}}", m->calls);
		assert_int_equal(sim_kube_request(m->x->sk, "PATCH", SVC_PATH,
		    body, "application/merge-patch+json", NULL), 200);
	}
	return kube_finalizer_add_local(obj, "x/y");
}

/* A conflict makes the update start over; too many give up. */
static void
test_update_conflict_retry(void **state)
{
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_error	 e;
	struct meddler		 m = { NULL, 0, 2 };
	cJSON			*out = NULL;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	make_service(&x);
	m.x = &x;
	assert_int_equal(kube_update_retry(kc, &KUBE_RES_SERVICES, "default",
	    "web", 0, 0, meddle_fn, &m, &out, &e), 0);
	assert_int_equal(m.calls, 3);
	assert_int_equal(atomic_load(&x.puts), 3);
	assert_true(kube_finalizer_has(out, "x/y"));
	assert_string_equal(json_path_str(out, "metadata.labels.meddled"), "2");
	cJSON_Delete(out);
	kube_finalizer_remove(kc, &KUBE_RES_SERVICES, "default", "web", "x/y",
	    NULL, &e);
	m.calls = 0;
	m.meddle = 100;
	assert_int_equal(kube_update_retry(kc, &KUBE_RES_SERVICES, "default",
	    "web", 0, 3, meddle_fn, &m, NULL, &e), -1);
	assert_true(kube_error_is_conflict(&e));
	assert_int_equal(m.calls, 3);
	kube_error_clear(&e);
	kube_client_free(kc);
	ksim_stop(&x);
}

/* Conditions through /status: written once, not rewritten when equal,
 * transition time kept across a reason change. */
static void
test_status_server(void **state)
{
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_error	 e;
	struct kube_condition	 k;
	cJSON			*out = NULL, *got = NULL;
	char			*ltt;
	int			 puts;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	make_service(&x);
	k = cond("Ready", "True", "Synced", "all good", -1);
	assert_int_equal(kube_status_set_conditions(kc, &KUBE_RES_SERVICES,
	    "default", "web", &k, 1, &out, &e), 0);
	cJSON_Delete(out);
	assert_int_equal(ksim_req(&x, "GET", SVC_PATH, NULL, &got), 200);
	assert_true(kube_conditions_is(json_path(got, "status.conditions"),
	    "Ready", "True"));
	assert_int_equal((int)json_num(kube_conditions_find(json_path(got,
	    "status.conditions"), "Ready"), "observedGeneration", 0), 1);
	ltt = xstrdup(json_str(kube_conditions_find(json_path(got,
	    "status.conditions"), "Ready"), "lastTransitionTime"));
	cJSON_Delete(got);
	puts = atomic_load(&x.puts);
	assert_int_equal(kube_status_set_conditions(kc, &KUBE_RES_SERVICES,
	    "default", "web", &k, 1, NULL, &e), 0);
	assert_int_equal(atomic_load(&x.puts), puts);
	time_sleep_ms(1100);
	k.reason = "StillSynced";
	assert_int_equal(kube_status_set_conditions(kc, &KUBE_RES_SERVICES,
	    "default", "web", &k, 1, NULL, &e), 0);
	assert_int_equal(atomic_load(&x.puts), puts + 1);
	assert_int_equal(ksim_req(&x, "GET", SVC_PATH, NULL, &got), 200);
	assert_string_equal(json_str(kube_conditions_find(json_path(got,
	    "status.conditions"), "Ready"), "lastTransitionTime"), ltt);
	assert_string_equal(json_str(kube_conditions_find(json_path(got,
	    "status.conditions"), "Ready"), "reason"), "StillSynced");
	cJSON_Delete(got);
	free(ltt);
	kube_error_clear(&e);
	kube_client_free(kc);
	ksim_stop(&x);
}

/* Annotations: set two with a merge patch, then remove one. */
static void
test_annotations(void **state)
{
	struct ksim		 x;
	struct kube_client	*kc;
	struct kube_error	 e;
	const char		*set[] = {
		"application-networking.k8s.aws/lattice-service-arn", "arn:x",
		"application-networking.k8s.aws/lattice-assigned-domain-name",
		"web-default.lattice.aws" };
	const char		*del[] = {
		"application-networking.k8s.aws/lattice-service-arn", NULL };
	cJSON			*got = NULL;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(ksim_start(&x, NULL), 0);
	kc = ksim_client(&x);
	make_service(&x);
	assert_int_equal(kube_annotations_patch(kc, &KUBE_RES_SERVICES,
	    "default", "web", set, 2, NULL, &e), 0);
	assert_int_equal(kube_annotations_patch(kc, &KUBE_RES_SERVICES,
	    "default", "web", del, 1, &got, &e), 0);
	assert_null(json_str(json_path(got, "metadata.annotations"),
	    "application-networking.k8s.aws/lattice-service-arn"));
	assert_string_equal(json_str(json_path(got, "metadata.annotations"),
	    "application-networking.k8s.aws/lattice-assigned-domain-name"),
	    "web-default.lattice.aws");
	assert_int_equal(atomic_load(&x.patches), 2);
	cJSON_Delete(got);
	kube_error_clear(&e);
	kube_client_free(kc);
	ksim_stop(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_condition_semantics),
		cmocka_unit_test(test_status_local),
		cmocka_unit_test(test_finalizer_local),
		cmocka_unit_test(test_finalizer_server),
		cmocka_unit_test(test_update_conflict_retry),
		cmocka_unit_test(test_status_server),
		cmocka_unit_test(test_annotations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
